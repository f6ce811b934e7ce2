//! The default rules (rules/falco_rules.yaml, falco-incubating_rules.yaml,
//! falco-sandbox_rules.yaml) through `falco test`:
//! - rules/tests/*.test.yaml pass on the generator's behaviours and workload captures (every
//!   rule fires exactly where expected, with its output fields; benign work fires nothing);
//! - every rule of the three files has a case of its own;
//! - `falco test` reports failures and broken files with a non-zero exit;
//! - a local rules file written against the names of Falco's three sets (user_* hooks
//!   overridden, lists appended, rules appended to and disabled by name) loads over our defaults;
//! - rules/tests/live.test.yaml holds the same on a capture recorded live (record-live.sh).

mod common;

use common::{repo, run, scratch, stdout};
use std::path::{Path, PathBuf};
use std::process::Command;

const RULE_FILES: &[&str] = &[
    "falco_rules",
    "falco-incubating_rules",
    "falco-sandbox_rules",
];

/// The captures the default rules' tests name, written to `dir`.
fn write_captures(dir: &Path) {
    falco_gen::write_behaviours(&dir.join("behaviours.scap"), true, 42).unwrap();
    falco_gen::write_workload(&dir.join("workload.scap"), true, 7, 200_000).unwrap();
}

fn falco_test(args: &[&Path], capture_dir: Option<&Path>) -> (bool, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_falco"));
    c.env("TZ", "UTC").arg("test");
    if let Some(d) = capture_dir {
        c.arg("--capture-dir").arg(d);
    }
    c.args(args);
    let o = run(&mut c);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    (o.status.success(), format!("{}{err}", stdout(&o)))
}

fn test_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(repo().join("rules/tests"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".test.yaml"))
        .collect();
    v.sort();
    v
}

fn names(text: &str, kind: &str) -> Vec<String> {
    let prefix = format!("- {kind}: ");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(|s| s.trim().to_string())
        .collect()
}

#[test]
fn the_default_rules_pass_their_tests() {
    let dir = scratch("rule-tests");
    write_captures(&dir);
    let files = test_files();
    assert!(files.len() >= 4, "{files:?}");
    let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
    let (ok, out) = falco_test(&refs, Some(&dir));
    assert!(ok, "{out}");
    assert!(out.contains(" 0 failed"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn every_default_rule_has_a_test_case() {
    for f in RULE_FILES {
        let rules = std::fs::read_to_string(repo().join(format!("rules/{f}.yaml"))).unwrap();
        let tests =
            std::fs::read_to_string(repo().join(format!("rules/tests/{f}.test.yaml"))).unwrap();
        let cases: Vec<String> = tests
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("- name: "))
            .map(|s| s.trim().to_string())
            .collect();
        let rule_names = names(&rules, "rule");
        assert!(!rule_names.is_empty());
        for r in &rule_names {
            assert!(cases.contains(r), "{f}: rule '{r}' has no test case");
            assert!(
                tests.contains(&format!("rule: {r}\n")),
                "{f}: rule '{r}' has no expectation"
            );
        }
        // The maturity tag says which set a rule belongs to; a MITRE ATT&CK tactic or technique
        // tag says what it detects, as on every Falco rule.
        let tag = match *f {
            "falco_rules" => "maturity_stable",
            "falco-incubating_rules" => "maturity_incubating",
            _ => "maturity_sandbox",
        };
        let tagged = rules
            .lines()
            .filter(|l| l.trim_start().starts_with("tags: [") && l.contains(tag))
            .count();
        assert_eq!(tagged, rule_names.len(), "{f}: every rule is tagged {tag}");
        let mitre = rules
            .lines()
            .filter(|l| l.trim_start().starts_with("tags: [") && l.contains(", mitre_"))
            .count();
        assert_eq!(mitre, rule_names.len(), "{f}: every rule has a mitre_ tag");
    }
}

#[test]
fn falco_test_reports_failures_and_exits_non_zero() {
    let dir = scratch("rule-tests-fail");
    falco_gen::write_detections(&dir.join("d.scap"), true, 42).unwrap();
    let rules = dir.join("r.yaml");
    std::fs::write(
        &rules,
        "- rule: shadow read\n  desc: d\n  condition: evt.type = openat and evt.dir = < and fd.name = /etc/shadow\n  output: read %fd.name by %proc.name\n  priority: WARNING\n",
    )
    .unwrap();
    let good = dir.join("good.yaml");
    std::fs::write(
        &good,
        "capture: d.scap\nrules: [r.yaml]\ncases:\n  - name: python reads shadow\n    expect:\n      - rule: shadow read\n        priority: Warning\n        output: by python3\n        output_fields: {fd.name: /etc/shadow, proc.name: python3}\n",
    )
    .unwrap();
    let (ok, out) = falco_test(&[&good], None);
    assert!(ok, "{out}");
    assert!(
        out.contains("PASS  python reads shadow") && out.contains("1 passed, 0 failed"),
        "{out}"
    );

    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "capture: d.scap\nrules: [r.yaml]\ncases:\n  - name: wrong count\n    expect:\n      - {rule: shadow read, count: 2}\n  - name: wrong field\n    expect:\n      - rule: shadow read\n        output_fields: {proc.name: cat}\n  - name: nothing expected\n    expect: []\n  - name: inline rules\n    rules: []\n    rules_content: \"- rule: never\\n  desc: d\\n  condition: evt.num = 0\\n  output: x\\n  priority: INFO\\n\"\n    expect: []\n",
    )
    .unwrap();
    let (ok, out) = falco_test(&[&bad], None);
    assert!(!ok, "{out}");
    assert!(
        out.contains("FAIL  wrong count")
            && out.contains("expected 2 alert(s) of 'shadow read', got 1"),
        "{out}"
    );
    assert!(
        out.contains("FAIL  wrong field") && out.contains("proc.name=cat"),
        "{out}"
    );
    assert!(
        out.contains("FAIL  nothing expected") && out.contains("1 unexpected alert(s)"),
        "{out}"
    );
    assert!(out.contains("PASS  inline rules"), "{out}");
    assert!(out.contains("1 passed, 3 failed"), "{out}");

    let broken = dir.join("broken.yaml");
    std::fs::write(&broken, "cases:\n  - name: x\n    rules: [r.yaml]\n").unwrap();
    let missing = dir.join("missing-capture.yaml");
    std::fs::write(
        &missing,
        "capture: nope.scap\nrules: [r.yaml]\ncases: [{name: y, expect: []}]\n",
    )
    .unwrap();
    let (ok, out) = falco_test(&[&good, &broken, &missing], None);
    assert!(!ok, "{out}");
    assert!(out.contains("case 'x': no capture"), "{out}");
    assert!(
        out.contains("FAIL  y") && out.contains("cannot open capture"),
        "{out}"
    );
}

/// A falco_rules.local.yaml such as Falco users write, built from one of Falco's own rules files:
/// every user_*/known_*/allowed_* macro overridden, every such list (and every *_binaries and
/// *_images list) appended to, every rule appended to, given an exception and then disabled by
/// name.
fn falco_user_overrides(upstream: &str) -> String {
    let mut out = String::new();
    let is_hook =
        |n: &str| n.starts_with("user_") || n.starts_with("known_") || n.starts_with("allowed_");
    for m in names(upstream, "macro").iter().filter(|n| is_hook(n)) {
        out.push_str(&format!(
            "- macro: {m}\n  condition: (proc.name = my-agent)\n  override:\n    condition: replace\n\n"
        ));
    }
    for l in names(upstream, "list")
        .iter()
        .filter(|n| is_hook(n) || n.ends_with("_binaries") || n.ends_with("_images"))
    {
        // Lists of addresses take addresses.
        let item = if l.ends_with("_ipaddrs") {
            "'\"192.0.2.10\"'"
        } else if l.ends_with("_networks") {
            "'\"192.0.2.0/24\"'"
        } else {
            "my-agent"
        };
        out.push_str(&format!(
            "- list: {l}\n  items: [{item}]\n  override:\n    items: append\n\n"
        ));
    }
    for r in names(upstream, "rule") {
        out.push_str(&format!(
            "- rule: {r}\n  condition: and not proc.name = my-agent\n  override:\n    condition: append\n\n- rule: {r}\n  exceptions:\n    - name: my_agent\n      fields: [proc.name]\n      values: [[my-agent]]\n  override:\n    exceptions: append\n\n- rule: {r}\n  enabled: false\n\n"
        ));
    }
    out
}

#[test]
fn local_rules_written_for_falcos_names_load_over_the_defaults() {
    let dir = scratch("falco-local-rules");
    let local = dir.join("falco_rules.local.yaml");
    // Falco's stable, incubating and sandbox sets (3.2.0 and current), each over ours up to the
    // same set: every hook, list and rule name a local file for Falco's set can use is ours too.
    for version in ["head", "falco-rules-3.2.0"] {
        for (i, f) in RULE_FILES.iter().enumerate() {
            let upstream = repo().join(format!("../shared/upstream/rules/{version}/{f}.yaml"));
            let text =
                std::fs::read_to_string(&upstream).expect("Falco's rules in ../shared/upstream");
            std::fs::write(&local, falco_user_overrides(&text)).unwrap();
            let mut c = Command::new(env!("CARGO_BIN_EXE_falco"));
            for ours in &RULE_FILES[..=i] {
                c.arg("-V").arg(repo().join(format!("rules/{ours}.yaml")));
            }
            let o = run(c.arg("-V").arg(&local));
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                o.status.success() && !err.contains(" error: "),
                "{version}/{f}: {}{err}",
                stdout(&o)
            );
        }
    }
    // The classic `append: true` form over the three sets: a hook redefined, a list and rules of
    // each set appended to, a stable rule disabled by name.
    std::fs::write(
        &local,
        "- macro: user_known_write_below_root_activities\n  condition: (never_true)\n- list: user_known_shell_spawn_binaries\n  items: [my-agent]\n  append: true\n- rule: Terminal shell in container\n  condition: and not container.image.repository = my/toolbox\n  append: true\n- rule: Write below etc\n  condition: and not proc.name = my-agent\n  append: true\n- rule: Launch Privileged Container\n  condition: and not container.image.repository = my/agent\n  append: true\n- rule: Read sensitive file untrusted\n  enabled: false\n",
    )
    .unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_falco"));
    for ours in RULE_FILES {
        c.arg("-V").arg(repo().join(format!("rules/{ours}.yaml")));
    }
    let o = run(c.arg("-V").arg(&local));
    assert!(
        o.status.success(),
        "{}{}",
        stdout(&o),
        String::from_utf8_lossy(&o.stderr)
    );
}
