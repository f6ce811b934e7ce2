//! The k8s_audit source against Falco's own material (../shared/upstream/k8s_audit): its rules pass
//! `-V`; each trace replayed through the k8saudit plugin's file open_params raises exactly the
//! alerts its name describes; each trace's events posted to the webhook over 127.0.0.1 (HTTP, and
//! HTTPS with sslCertificate) raise exactly the same alerts, counted in /metrics; bad requests get
//! a 4xx (or a closed connection), are counted, and the next good request is still detected;
//! `--list k8s_audit` shows the fields the k8saudit and json plugins declare, with Falco's types;
//! `-l` describes a k8s_audit rule as Falco does.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;

fn upstream() -> PathBuf {
    let d = repo().join("../shared/upstream/k8s_audit");
    assert!(
        d.is_dir(),
        "{} is missing: Falco's k8s audit rules and traces are read from ../shared/upstream",
        d.display()
    );
    d
}

fn rules() -> PathBuf {
    upstream().join("k8s_audit_rules.yaml")
}

/// What each trace raises with every rule reported (`rule_matching: all`): (rule, count).
const EXPECTED: &[(&str, &[(&str, usize)])] = &[
    (
        "anonymous_creates_namespace_foo.json",
        &[
            ("Anonymous Request Allowed", 1),
            ("Create Disallowed Namespace", 1),
            ("K8s Namespace Created", 1),
        ],
    ),
    (
        "attach_cluster_admin_role.json",
        &[
            ("Attach to cluster-admin Role", 1),
            ("K8s ClusterRoleBinding Created", 1),
        ],
    ),
    ("attach_pod.json", &[("Attach/Exec Pod", 1)]),
    (
        "create_cluster_role_pod_exec.json",
        &[
            ("ClusterRole With Pod Exec Created", 1),
            ("K8s ClusterRole Created", 1),
        ],
    ),
    (
        "create_cluster_role_wildcard_resources.json",
        &[
            ("ClusterRole With Wildcard Created", 1),
            ("K8s ClusterRole Created", 1),
        ],
    ),
    (
        "create_cluster_role_wildcard_verbs.json",
        &[
            ("ClusterRole With Wildcard Created", 1),
            ("K8s ClusterRole Created", 1),
        ],
    ),
    (
        "create_cluster_role_write_privileges.json",
        &[
            ("ClusterRole With Write Privileges Created", 1),
            ("K8s ClusterRole Created", 1),
        ],
    ),
    ("create_clusterrole.json", &[("K8s ClusterRole Created", 1)]),
    (
        "create_clusterrolebinding.json",
        &[("K8s ClusterRoleBinding Created", 1)],
    ),
    ("create_configmap.json", &[("K8s ConfigMap Created", 1)]),
    (
        "create_configmap_no_sensitive_values.json",
        &[("K8s ConfigMap Created", 1)],
    ),
    (
        "create_configmap_sensitive_values.json",
        &[
            ("Create/Modify Configmap With Private Credentials", 6),
            ("K8s ConfigMap Created", 6),
        ],
    ),
    ("create_deployment.json", &[("K8s Deployment Created", 1)]),
    // Secrets in kube-system are service account tokens: not reported.
    ("create_kube_system_secret.json", &[]),
    (
        "create_nginx_pod_hostnetwork.json",
        &[("Create HostNetwork Pod", 1)],
    ),
    (
        "create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json",
        &[("Create Privileged Pod", 1)],
    ),
    ("create_nginx_pod_nohostnetwork.json", &[]),
    (
        "create_nginx_pod_privileged.json",
        &[("Create Privileged Pod", 1)],
    ),
    (
        "create_nginx_pod_privileged_2nd_container.json",
        &[("Create Privileged Pod", 1)],
    ),
    (
        "create_nginx_pod_sensitive_mount.json",
        &[("Create Sensitive Mount Pod", 1)],
    ),
    (
        "create_nginx_pod_sensitive_mount_2nd_container.json",
        &[("Create Sensitive Mount Pod", 1)],
    ),
    ("create_nginx_pod_unprivileged.json", &[]),
    ("create_nginx_pod_unsensitive_mount.json", &[]),
    (
        "create_nginx_service_nodeport.json",
        &[("Create NodePort Service", 1), ("K8s Service Created", 1)],
    ),
    (
        "create_nginx_service_nonodeport.json",
        &[("K8s Service Created", 1)],
    ),
    (
        "create_pod_kube_public_namespace.json",
        &[("Pod Created in Kube Namespace", 1)],
    ),
    (
        "create_pod_kube_system_namespace.json",
        &[("Pod Created in Kube Namespace", 1)],
    ),
    ("create_secret.json", &[("K8s Secret Created", 1)]),
    ("create_service.json", &[("K8s Service Created", 1)]),
    ("create_service_account_token_secret.json", &[]),
    (
        "create_serviceaccount.json",
        &[("K8s Serviceaccount Created", 1)],
    ),
    (
        "create_serviceaccount_kube_public_namespace.json",
        &[
            ("Service Account Created in Kube Namespace", 1),
            ("K8s Serviceaccount Created", 1),
        ],
    ),
    (
        "create_serviceaccount_kube_system_namespace.json",
        &[
            ("Service Account Created in Kube Namespace", 1),
            ("K8s Serviceaccount Created", 1),
        ],
    ),
    (
        "delete_cluster_role_kube_aggregator.json",
        &[
            ("System ClusterRole Modified/Deleted", 1),
            ("K8s ClusterRole Deleted", 1),
        ],
    ),
    ("delete_clusterrole.json", &[("K8s ClusterRole Deleted", 1)]),
    (
        "delete_clusterrolebinding.json",
        &[("K8s ClusterRoleBinding Deleted", 1)],
    ),
    ("delete_configmap.json", &[("K8s ConfigMap Deleted", 1)]),
    ("delete_deployment.json", &[("K8s Deployment Deleted", 1)]),
    ("delete_namespace_foo.json", &[("K8s Namespace Deleted", 1)]),
    ("delete_secret.json", &[("K8s Secret Deleted", 1)]),
    ("delete_service.json", &[("K8s Service Deleted", 1)]),
    (
        "delete_serviceaccount.json",
        &[("K8s Serviceaccount Deleted", 1)],
    ),
    ("exec_pod.json", &[("Attach/Exec Pod", 1)]),
    // {"kind": 0}: not audit events; refused and counted.
    ("fal_01_003.json", &[]),
    (
        "minikube_creates_namespace_foo.json",
        &[
            ("Create Disallowed Namespace", 1),
            ("K8s Namespace Created", 1),
        ],
    ),
    (
        "modify_cluster_role_node_problem_detector.json",
        &[("System ClusterRole Modified/Deleted", 1)],
    ),
    (
        "some-user_creates_namespace_foo.json",
        &[
            ("Disallowed K8s User", 1),
            ("Create Disallowed Namespace", 1),
            ("K8s Namespace Created", 1),
        ],
    ),
];

fn k8s_config(dir: &Path, open_params: &str, init_config: &str) -> PathBuf {
    config(
        dir,
        &format!(
            "json_output: true\nrule_matching: all\nload_plugins: [k8saudit, json]\nplugins:\n  \
             - name: k8saudit\n    library_path: libk8saudit.so\n    init_config: {init_config}\n    \
             open_params: \"{open_params}\"\n  - name: json\n    library_path: libjson.so\n"
        ),
    )
}

/// (rule, source) of each JSON alert line.
fn rule_of(line: &str) -> Option<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    Some((
        v.get("rule")?.as_str()?.to_string(),
        v.get("source")?.as_str()?.to_string(),
    ))
}

fn tally(lines: impl Iterator<Item = String>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for (rule, source) in lines.filter_map(|l| rule_of(&l)) {
        assert_eq!(source, "k8s_audit", "{rule}");
        *m.entry(rule).or_default() += 1;
    }
    m
}

fn expected(entries: &[(&str, usize)]) -> BTreeMap<String, usize> {
    entries.iter().map(|(r, n)| (r.to_string(), *n)).collect()
}

#[test]
fn upstream_k8s_audit_rules_validate() {
    let o = run(std::process::Command::new(falco_bin())
        .arg("-V")
        .arg(rules()));
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{text}");
    assert!(!text.to_lowercase().contains("error"), "{text}");
}

#[test]
fn each_trace_raises_the_alerts_its_name_describes() {
    let traces = upstream().join("traces");
    let mut names: Vec<String> = std::fs::read_dir(&traces)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let listed: Vec<&str> = EXPECTED.iter().map(|e| e.0).collect();
    assert_eq!(names, listed, "every trace has a row in the table");
    let dir = scratch("k8s-traces");
    let mut failures = Vec::new();
    for (name, want) in EXPECTED {
        let cfg = k8s_config(&dir, &traces.join(name).display().to_string(), "\"\"");
        let o = run(falco(&cfg)
            .arg("-r")
            .arg(rules())
            .args(["--disable-source", "syscall"]));
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let got = tally(stdout(&o).lines().map(str::to_string));
        if got != expected(want) {
            failures.push(format!("{name}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// falco running with the webhook, its stdout and stderr lines.
struct Webhook {
    child: Child,
    port: u16,
    /// The health webserver's port, when `args` enable it.
    web_port: Option<u16>,
    out: mpsc::Receiver<String>,
    err: mpsc::Receiver<String>,
    log: Vec<String>,
}

fn lines_of(r: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for l in BufReader::new(r).lines().map_while(Result::ok) {
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    rx
}

/// The port of a log line's `needle` address (`... listening on 127.0.0.1:PORT`).
fn port_after(line: &str, needle: &str) -> Option<u16> {
    line.split(needle)
        .nth(1)?
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

impl Webhook {
    fn start(dir: &Path, init_config: &str) -> Webhook {
        Self::start_with(dir, "http://127.0.0.1:0/k8s-audit", init_config, &[])
    }

    /// falco with the upstream rules and the webhook of `open_params`; `args` are added to its
    /// command line.
    fn start_with(dir: &Path, open_params: &str, init_config: &str, args: &[&str]) -> Webhook {
        let cfg = k8s_config(dir, open_params, init_config);
        let mut child = falco(&cfg)
            .arg("-r")
            .arg(rules())
            .args(["--disable-source", "syscall"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = lines_of(child.stdout.take().unwrap());
        let err = lines_of(child.stderr.take().unwrap());
        let want_web = args.contains(&"webserver.enabled=true");
        let mut log = Vec::new();
        let (mut port, mut web_port) = (None, None);
        let deadline = Instant::now() + Duration::from_secs(20);
        while port.is_none() || (want_web && web_port.is_none()) {
            assert!(
                Instant::now() < deadline,
                "no listening address in {log:#?}"
            );
            if let Ok(l) = err.recv_timeout(Duration::from_millis(100)) {
                port = port.or(port_after(&l, "k8s_audit webhook listening on 127.0.0.1:"));
                web_port = web_port.or(port_after(&l, "health webserver, listening on 127.0.0.1:"));
                log.push(l);
            }
        }
        Webhook {
            child,
            port: port.unwrap(),
            web_port,
            out,
            err,
            log,
        }
    }

    /// Waits for `n` more alert lines.
    fn alerts(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut v = Vec::new();
        while v.len() < n {
            assert!(Instant::now() < deadline, "alerts so far: {v:#?}");
            if let Ok(l) = self.out.recv_timeout(Duration::from_millis(100))
                && rule_of(&l).is_some()
            {
                v.push(l);
            }
        }
        v
    }

    /// The alerts raised before the barrier alert of `id` (see [`barrier`]): events are matched
    /// in the order they were queued, so these are the alerts of what was posted before it.
    fn alerts_before_barrier(&self, id: &str) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut v = Vec::new();
        loop {
            assert!(Instant::now() < deadline, "no barrier {id}; alerts: {v:#?}");
            let Ok(l) = self.out.recv_timeout(Duration::from_millis(100)) else {
                continue;
            };
            match rule_of(&l) {
                Some((rule, _)) if rule == BARRIER_RULE => {
                    assert!(
                        l.contains(id),
                        "barrier out of order: {l}, waiting for {id}"
                    );
                    return v;
                }
                Some(_) => v.push(l),
                None => {}
            }
        }
    }

    /// Stops falco: its log, and the alerts it printed that were not read yet.
    fn stop(mut self) -> (Vec<String>, Vec<String>) {
        // SAFETY: signalling our own child.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let status = self.child.wait().unwrap();
        // To the reader's end of file: the exit summary may still be queued behind the pipe.
        self.log.extend(self.err.iter());
        assert!(status.success(), "{:#?}", self.log);
        // The reader thread ends at the pipe's end of file.
        let mut rest = Vec::new();
        while let Ok(l) = self.out.recv_timeout(Duration::from_secs(10)) {
            if rule_of(&l).is_some() {
                rest.push(l);
            }
        }
        (self.log, rest)
    }
}

/// The rule of the barrier events the webhook test posts after each trace file.
const BARRIER_RULE: &str = "Webhook test barrier";

/// A rules file with the barrier rule; it matches only barrier events.
fn barrier_rules(dir: &Path) -> PathBuf {
    let p = dir.join("barrier_rules.yaml");
    std::fs::write(
        &p,
        format!(
            "- rule: {BARRIER_RULE}\n  desc: marks the end of one trace file's events\n  \
             condition: ka.auditid startswith \"barrier-\"\n  output: barrier %ka.auditid\n  \
             priority: INFO\n  source: k8s_audit\n"
        ),
    )
    .unwrap();
    p
}

/// A barrier event: a trace event that raises nothing with the upstream rules, with the audit
/// id `id`.
fn barrier(id: &str) -> Vec<u8> {
    let base = payloads("create_nginx_pod_unprivileged.json").remove(0);
    let mut v: serde_json::Value = serde_json::from_slice(&base).unwrap();
    v["auditID"] = serde_json::json!(id);
    serde_json::to_vec(&v).unwrap()
}

/// Sends one request on a new connection; the response status, or None when the connection was
/// closed without one.
fn post(port: u16, method: &str, ctype: &str, body: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let head = format!(
        "{method} /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    let _ = s.write_all(body);
    let mut resp = String::new();
    let _ = s.read_to_string(&mut resp);
    resp.split(' ').nth(1)?.parse().ok()
}

/// The payloads of a trace file: each non-empty line.
fn payloads(name: &str) -> Vec<Vec<u8>> {
    let text = std::fs::read_to_string(upstream().join("traces").join(name)).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.as_bytes().to_vec())
        .collect()
}

/// Each trace file posted to the webhook raises exactly the alerts its replay raises: after its
/// events, a barrier event marks where the file's alerts end, so an extra or missing alert is
/// pinned to its file; after the last file, falco prints nothing more. /metrics counts every
/// posted event, request and refused payload.
#[test]
fn webhook_raises_the_same_alerts_as_the_files() {
    let dir = scratch("k8s-webhook");
    let barriers = barrier_rules(&dir);
    let mut args = vec!["-r", barriers.to_str().unwrap()];
    args.extend(WEBSERVER_ON_LOOPBACK);
    args.extend(PROMETHEUS);
    let w = Webhook::start_with(&dir, "http://127.0.0.1:0/k8s-audit", "\"\"", &args);
    let (mut events, mut requests, mut bad) = (0.0, 0.0, 0.0);
    let mut failures = Vec::new();
    for (i, (name, want)) in EXPECTED.iter().enumerate() {
        for p in payloads(name) {
            let status = post(w.port, "POST", "application/json", &p);
            let ok = if *name == "fal_01_003.json" {
                bad += 1.0;
                400
            } else {
                events += 1.0;
                200
            };
            assert_eq!(status, Some(ok), "{name}");
            requests += 1.0;
        }
        let id = format!("barrier-{i}");
        let status = post(w.port, "POST", "application/json", &barrier(&id));
        assert_eq!(status, Some(200), "barrier after {name}");
        events += 1.0;
        requests += 1.0;
        let got = tally(w.alerts_before_barrier(&id).into_iter());
        if got != expected(want) {
            failures.push(format!("{name}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // The source's counters, per source as docs/k8s-audit.md names them (a request is counted
    // once its answer is sent, so the last one may still be on its way).
    let web = w.web_port.unwrap();
    let want = [
        ("events", events),
        ("requests", requests),
        ("bad_payloads", bad),
        ("rejected_requests", bad),
        ("dropped_events", 0.0),
        ("queue_full", 0.0),
    ];
    let deadline = Instant::now() + Duration::from_secs(5);
    let got = loop {
        let (status, text) = http_get(web, "/metrics");
        assert_eq!(status, 200);
        let samples = parse_prometheus(&text);
        let got: Vec<(&str, Option<f64>)> = want
            .iter()
            .map(|(name, _)| {
                let metric = format!("falcosecurity_falco_k8s_audit_{name}_total");
                let v = samples.iter().find(|(n, _, _)| *n == metric).map(|s| s.2);
                (*name, v)
            })
            .collect();
        let done = got.iter().zip(&want).all(|(g, w)| g.1 == Some(w.1));
        if done || Instant::now() > deadline {
            break got;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let want: Vec<(&str, Option<f64>)> = want.iter().map(|(n, v)| (*n, Some(*v))).collect();
    assert_eq!(got, want);
    let (_, rest) = w.stop();
    assert!(rest.is_empty(), "alerts after the last barrier: {rest:#?}");
}

#[test]
fn bad_requests_are_refused_counted_and_the_next_good_one_detected() {
    let dir = scratch("k8s-bad");
    let w = Webhook::start(&dir, "{webhookMaxBatchSize: 65536}");
    let good = payloads("create_nginx_pod_privileged.json").remove(0);
    assert_eq!(
        post(w.port, "POST", "application/json", b"not json"),
        Some(400)
    );
    assert_eq!(post(w.port, "POST", "text/plain", &good), Some(400));
    assert_eq!(post(w.port, "GET", "application/json", b""), Some(405));
    // Over webhookMaxBatchSize: 413, or the connection closed.
    let big = vec![b' '; 200_000];
    assert!(matches!(
        post(w.port, "POST", "application/json", &big),
        Some(413) | None
    ));
    // A slowloris client and 300 idle connections (over the server's 256) do not stop a good
    // request: the oldest connections are closed to make room, and counted.
    let mut slow = TcpStream::connect(("127.0.0.1", w.port)).unwrap();
    slow.write_all(b"POST /k8s-audit HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", w.port)).ok())
        .collect();
    assert_eq!(post(w.port, "POST", "application/json", &good), Some(200));
    let a = w.alerts(1);
    assert_eq!(rule_of(&a[0]).unwrap().0, "Create Privileged Pod");
    drop(idle);
    drop(slow);
    let log = w.stop().0.join("\n");
    let counters = log
        .lines()
        .find(|l| l.contains("k8s_audit:") && l.contains("bad payloads"))
        .unwrap_or_else(|| panic!("no k8s_audit counters in {log}"));
    assert!(counters.contains("1 bad payloads"), "{counters}");
    assert!(counters.contains("4 rejected"), "{counters}");
    let closed: u64 = counters
        .split(" connections closed at the limit")
        .next()
        .and_then(|h| h.rsplit(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(closed > 0, "{counters}");
}

/// `https://` open_params serve the webhook over TLS with the key and certificate chain of
/// init_config's sslCertificate: an event posted over TLS raises its alert, and plain HTTP gets
/// no answer from that port.
#[test]
fn webhook_over_https_raises_the_alert() {
    let dir = scratch("k8s-https");
    let certs = TestCerts::generate(&dir);
    let pem = certs.server_pem();
    let w = Webhook::start_with(
        &dir,
        "https://127.0.0.1:0/k8s-audit",
        &format!("{{sslCertificate: {}}}", pem.display()),
        &[],
    );
    let body = payloads("create_nginx_pod_privileged.json").remove(0);
    let mut request = format!(
        "POST /k8s-audit HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend(&body);
    let (status, _) = https_request(w.port, &certs.ca_cert, &request);
    assert_eq!(status, 200);
    let a = w.alerts(1);
    assert_eq!(rule_of(&a[0]).unwrap().0, "Create Privileged Pod", "{a:?}");
    let plain = raw_http(w.port, &request, Duration::from_secs(3));
    assert!(!plain.contains("200 OK"), "{plain}");
    let (_, rest) = w.stop();
    assert!(rest.is_empty(), "{rest:#?}");
}

/// A field of Falco's k8saudit or json plugin.
#[derive(Debug)]
struct PluginField {
    plugin: String,
    ty: String,
    tags: Vec<String>,
}

/// Rows of a field fixture of tests/fields: its columns, comments left out.
fn fixture_rows(name: &str) -> Vec<Vec<String>> {
    let path = repo().join("tests/fields").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

/// The plugins' fields, read from their source (tests/fields/k8saudit-0.18.0-json-0.7.4-fields.tsv).
fn plugin_fields() -> BTreeMap<String, PluginField> {
    fixture_rows("k8saudit-0.18.0-json-0.7.4-fields.tsv")
        .into_iter()
        .map(|cols| {
            let [plugin, name, ty, tags] = &cols[..] else {
                panic!("bad fixture line: {cols:?}")
            };
            let mut tags: Vec<String> = tags
                .split('|')
                .filter(|t| *t != "-")
                .map(str::to_string)
                .collect();
            tags.sort();
            let f = PluginField {
                plugin: plugin.clone(),
                ty: ty.clone(),
                tags,
            };
            (name.clone(), f)
        })
        .collect()
}

/// libs' generic event fields (`evt.*` of every source) have the types they have for syscalls.
fn syscall_field_types() -> BTreeMap<String, String> {
    fixture_rows("falco-0.44.1-syscall-fields.tsv")
        .into_iter()
        .map(|cols| (cols[1].clone(), cols[2].clone()))
        .collect()
}

/// `falco --list k8s_audit` lists each field of the k8saudit and json plugins in its plugin's
/// class with Falco's type and tags, and nothing the plugins lack but libs' event fields.
#[test]
fn list_k8s_audit_shows_the_plugins_fields_with_falcos_types() {
    let o = run(std::process::Command::new(falco_bin()).args(["--list", "k8s_audit"]));
    let text = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(text.starts_with("Event Sources: k8s_audit"), "{text}");
    let listed = field_listing(&text);
    let want = plugin_fields();
    let evt_types = syscall_field_types();
    let mut bad = Vec::new();
    for (name, w) in &want {
        match listed.get(name) {
            None => bad.push(format!("{name}: not listed")),
            Some(f)
                if f.class != format!("{} (plugin)", w.plugin)
                    || f.ty != w.ty
                    || f.tags != w.tags =>
            {
                bad.push(format!("{name}: listed {f:?}, Falco {w:?}"))
            }
            Some(_) => {}
        }
    }
    for (name, f) in listed.iter().filter(|(n, _)| !want.contains_key(*n)) {
        match evt_types.get(name) {
            Some(ty) if name.starts_with("evt.") && f.class.starts_with("evt ") => {
                if f.ty != *ty {
                    bad.push(format!("{name}: listed {}, Falco {ty}", f.ty));
                }
            }
            _ => bad.push(format!(
                "{name}: listed in {}, not a field of the plugins",
                f.class
            )),
        }
    }
    // The JSON listing says the same.
    let o = run(std::process::Command::new(falco_bin()).args([
        "--list",
        "k8s_audit",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut in_json = 0;
    for class in v["fieldclasses"].as_array().unwrap() {
        for f in class["fields"].as_array().unwrap() {
            let name = f["name"].as_str().unwrap();
            let Some(w) = want.get(name) else { continue };
            in_json += 1;
            let has = |t: &str| w.tags.iter().any(|x| x == t);
            let arg = if has("ARG_INDEX") || has("ARG_KEY") {
                let ty = if has("ARG_INDEX") { "INDEX" } else { "KEY" };
                serde_json::json!({"required": has("ARG_REQUIRED"), "type": [ty]})
            } else {
                serde_json::Value::Null
            };
            let expect = (w.ty.as_str(), has("EPF_IS_LIST"), &arg);
            let got = (
                f["type"].as_str().unwrap_or(""),
                f["is_list"] == true,
                &f["argument"],
            );
            if got != expect {
                bad.push(format!("{name}: JSON {got:?}, Falco {expect:?}"));
            }
        }
    }
    assert_eq!(in_json, want.len(), "plugin fields in the JSON listing");
    assert!(bad.is_empty(), "{bad:#?}");
    let all = stdout(&run(std::process::Command::new(falco_bin()).arg("--list")));
    assert!(all.contains("proc.name") && all.contains("ka.user.name"));
}

#[test]
fn sources_are_chosen_as_falco_chooses_them() {
    let dir = scratch("k8s-sources");
    let plain = config(&dir, "");
    let o = run(falco(&plain)
        .arg("-r")
        .arg(rules())
        .args(["--enable-source", "k8s_audit"]));
    assert!(!o.status.success());
    assert!(stderr(&o).contains("Attempted enabling an unknown event source: k8s_audit"));
    let cfg = k8s_config(&dir, "/nonexistent", "\"\"");
    let o = run(falco(&cfg).arg("-r").arg(rules()).args([
        "--enable-source",
        "syscall",
        "--disable-source",
        "k8s_audit",
    ]));
    assert!(stderr(&o).contains("You can not mix --enable-source and --disable-source"));
    let o = run(falco(&cfg).arg("-r").arg(rules()).args([
        "--disable-source",
        "syscall",
        "--disable-source",
        "k8s_audit",
    ]));
    assert!(stderr(&o).contains("Must enable at least one event source"));
}

#[test]
fn k8s_audit_rules_run_beside_syscall_rules() {
    let dir = scratch("k8s-beside");
    let trace = upstream().join("traces/create_nginx_pod_privileged.json");
    let cfg = k8s_config(&dir, &trace.display().to_string(), "\"\"");
    // Both sources: system calls (nodriver: no driver needed) and the audit file; -M ends the run.
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(repo().join("rules/falco_rules.yaml"))
        .arg("-r")
        .arg(rules())
        .args(["-o", "engine.kind=nodriver", "-M", "3"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let got = tally(stdout(&o).lines().map(str::to_string));
    assert_eq!(got.get("Create Privileged Pod"), Some(&1), "{}", stdout(&o));
    // -L lists the rules of both sources.
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(repo().join("rules/falco_rules.yaml"))
        .arg("-r")
        .arg(rules())
        .arg("-L"));
    let text = stdout(&o);
    assert!(text.contains("Create Privileged Pod") && text.contains("Terminal shell in container"));
    // -l describes a k8s_audit rule as Falco's does: in text, the name and description in two
    // columns (Falco's "%-50s %s"; the description's words each followed by a space, wrapped
    // before the 59th column and indented by 51) and an empty line.
    let describe = |json: &str| {
        let o = run(falco(&cfg).arg("-r").arg(rules()).args([
            "-o",
            &format!("json_output={json}"),
            "-l",
            "Create Privileged Pod",
        ]));
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o)
    };
    let text = describe("false");
    let want = format!(
        "{:<50} Description\n{:<50} -----------\n{:<50} {}\n{:51}{}\n\n",
        "Rule",
        "----",
        "Create Privileged Pod",
        "Detect an attempt to start a pod with a privileged ",
        "",
        "container ",
    );
    assert_eq!(text, want);
    // With json_output, the rule's details: a plugin source's rule matches plugin and async
    // events.
    let v: serde_json::Value = serde_json::from_str(&describe("true")).unwrap();
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1, "{v}");
    let info = &rules[0]["info"];
    assert_eq!(info["name"], "Create Privileged Pod");
    assert_eq!(info["source"], "k8s_audit");
    assert_eq!(info["priority"], "Warning");
    assert_eq!(info["enabled"], true);
    assert_eq!(info["tags"], serde_json::json!(["k8s"]));
    assert!(
        info["condition"]
            .as_str()
            .unwrap()
            .starts_with("kevt and pod and kcreate and any_container_privileged"),
        "{info}"
    );
    let mut events: Vec<&str> = rules[0]["details"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e.as_str())
        .collect();
    events.sort_unstable();
    assert_eq!(events, ["asyncevent", "pluginevent"]);
}

/// libs' event fields of every plugin source that k8s_audit lacked: evt.datetime.s, evt.reltime
/// (from the stream's first event), evt.hostname (FALCO_HOSTNAME), evt.asynctype (none).
#[test]
fn generic_event_fields_of_audit_events() {
    let dir = scratch("k8s-evt-fields");
    let events = dir.join("events.json");
    let event = |id: &str, ts: &str| {
        format!(
            r#"{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"{id}","stage":"ResponseComplete","verb":"create","stageTimestamp":"{ts}"}}"#
        )
    };
    std::fs::write(
        &events,
        format!(
            "{}\n{}\n",
            event("a1", "2024-01-02T03:04:05.250000000Z"),
            event("a2", "2024-01-02T03:04:07.000000000Z")
        ),
    )
    .unwrap();
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: audit fields\n  desc: d\n  condition: ka.verb = create and not evt.asynctype exists\n  output: \"%evt.datetime.s %evt.reltime %evt.reltime.s %evt.reltime.ns %evt.hostname\"\n  priority: NOTICE\n  source: k8s_audit\n",
    )
    .unwrap();
    let cfg = k8s_config(&dir, &events.display().to_string(), "\"\"");
    let o = run(falco(&cfg)
        .env("TZ", "UTC")
        .arg("-r")
        .arg(&rules)
        .args(["--disable-source", "syscall"]));
    assert!(o.status.success(), "{}", stderr(&o));
    let fields: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["rule"] == "audit fields")
        .map(|v| v["output_fields"].clone())
        .collect();
    assert_eq!(fields.len(), 2, "{}", stdout(&o));
    assert_eq!(fields[0]["evt.datetime.s"], "2024-01-02 03:04:05");
    assert_eq!(fields[0]["evt.reltime"], "0");
    assert_eq!(fields[1]["evt.reltime"], "1750000000");
    assert_eq!(fields[1]["evt.reltime.s"], "1");
    assert_eq!(fields[1]["evt.reltime.ns"], "750000000");
    assert_eq!(fields[1]["evt.hostname"], "testhost");
}
