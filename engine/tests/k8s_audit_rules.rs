//! Falco's k8s audit rules (../shared/upstream/k8s_audit) load into the rules engine beside syscall
//! rules without an error or a warning, and match audit events: a privileged pod raises `Create
//! Privileged Pod` with Falco's output, an unprivileged one nothing.

use std::path::{Path, PathBuf};

use falco_engine::k8saudit::parse_payload;
use falco_engine::rules::{RuleEngine, RuleMatching, validate_rules_files};

fn upstream() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/upstream/k8s_audit");
    assert!(d.is_dir(), "{} is missing", d.display());
    d
}

fn engine() -> RuleEngine {
    let mut e = RuleEngine::new();
    let w = e
        .load_rules_file(&upstream().join("k8s_audit_rules.yaml"))
        .unwrap_or_else(|err| panic!("{err}"));
    assert!(w.is_empty(), "{w:#?}");
    e
}

fn matches(e: &mut RuleEngine, trace: &str) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(upstream().join("traces").join(trace)).unwrap();
    let mut out = Vec::new();
    for (i, ev) in parse_payload(text, 1 << 20)
        .unwrap()
        .events
        .iter()
        .enumerate()
    {
        for m in e.process_audit_event(ev, i as u64 + 1).unwrap_or_default() {
            assert_eq!(&*m.source, "k8s_audit");
            out.push((m.rule.to_string(), m.output));
        }
    }
    out
}

#[test]
fn upstream_rules_validate_clean() {
    let v = validate_rules_files(&[upstream().join("k8s_audit_rules.yaml")]);
    assert!(
        v.errors.is_empty() && v.warnings.is_empty(),
        "{:#?}",
        v.errors
    );
}

#[test]
fn privileged_pod() {
    let mut e = engine();
    let got = matches(&mut e, "create_nginx_pod_privileged.json");
    assert_eq!(
        got,
        [(
            "Create Privileged Pod".to_string(),
            "Pod started with privileged container (user=system:serviceaccount:kube-system:replicaset-controller \
             pod=nginx-deployment-5cdcc99dbf-rgw6z resource=pods ns=default images=(nginx) init_images=<NA> \
             ephemeral_images=<NA>)"
                .to_string()
        )]
    );
    assert!(matches(&mut e, "create_nginx_pod_unprivileged.json").is_empty());
    e.enable_rule("Create Privileged Pod", false);
    assert!(matches(&mut e, "create_nginx_pod_privileged.json").is_empty());
    assert_eq!(e.audit_events(), 3);
}

#[test]
fn first_and_all_matching() {
    let mut e = engine();
    let first = matches(&mut e, "anonymous_creates_namespace_foo.json");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].0, "Anonymous Request Allowed");
    e.set_rule_matching(RuleMatching::All);
    assert_eq!(
        matches(&mut e, "anonymous_creates_namespace_foo.json").len(),
        3
    );
    assert!(e.rules().any(|(r, _)| r.source == "k8s_audit"));
    let counted: u64 = e.stats().rules.iter().map(|r| r.2).sum();
    assert_eq!(counted, 4);
}
