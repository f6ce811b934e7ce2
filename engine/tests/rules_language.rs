//! Conditions, lists, macros and exceptions compiled exactly as Falco compiles them, and the YAML
//! Falco reads; each test is named after the difference it fixed.

use std::path::{Path, PathBuf};

use falco_engine::inspector::Inspector;
use falco_engine::rules::{RuleEngine, RuleMatching, RulesError};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn engine(yaml: &str) -> RuleEngine {
    let mut e = RuleEngine::new();
    if let Err(err) = e.load_rules(yaml, "rules.yaml") {
        panic!("{err}\n{yaml}");
    }
    e.set_rule_matching(RuleMatching::All);
    e
}

fn first_error(yaml: &str) -> String {
    let mut e = RuleEngine::new();
    match e.load_rules(yaml, "rules.yaml") {
        Ok(_) => panic!("loaded:\n{yaml}"),
        Err(err) => err.errors()[0].to_string(),
    }
}

/// Matches per rule on a shipped trace.
fn matches(e: &mut RuleEngine, trace: &str) -> Vec<(String, u64)> {
    let mut insp = Inspector::open(root().join("tests/traces").join(trace)).unwrap();
    while let Some(p) = insp.next().unwrap() {
        e.process_event(&p.ctx());
    }
    e.stats()
        .by_rule()
        .into_iter()
        .map(|(r, n)| (r.to_string(), n))
        .collect()
}

fn rule(name: &str, cond: &str) -> String {
    format!(
        "- rule: {name}\n  desc: d\n  condition: {cond}\n  output: \"%proc.name %fd.name\"\n  priority: WARNING\n"
    )
}

/// The opens by `cat` in cat_write.scap.
const CAT_OPENS: &str = "evt.type in (open, openat) and evt.dir = <";

fn cat_open_count() -> u64 {
    let mut e = engine(&rule("all", &format!("{CAT_OPENS} and proc.name = cat")));
    matches(&mut e, "cat_write.scap")[0].1
}

#[test]
fn quoted_list_items_match_on_string_fields() {
    let yaml = format!(
        "- list: cats\n  items: ['\"cat\"', \"'dog'\"]\n{}",
        rule("r", &format!("{CAT_OPENS} and proc.name in (cats)"))
    );
    let mut e = engine(&yaml);
    assert_eq!(
        matches(&mut e, "cat_write.scap"),
        [("r".into(), cat_open_count())]
    );
}

#[test]
fn list_name_substituted_anywhere_in_a_condition() {
    let yaml = format!(
        "- list: cat_binaries\n  items: [cat]\n{}{}",
        rule("eq", &format!("{CAT_OPENS} and proc.name=cat_binaries")),
        rule(
            "bare_in",
            &format!("{CAT_OPENS} and proc.name in cat_binaries")
        )
    );
    let mut e = engine(&yaml);
    let n = cat_open_count();
    assert_eq!(
        matches(&mut e, "cat_write.scap"),
        [("eq".into(), n), ("bare_in".into(), n)]
    );
}

#[test]
fn list_reference_in_exception_values_is_resolved() {
    let yaml = format!(
        "- list: cat_cmdlines\n  items: [cat, bash]\n{}  exceptions:\n    - name: cats\n      fields: [proc.name, fd.name]\n      comps: [in, startswith]\n      values:\n        - [(cat_cmdlines), /]\n",
        rule("r", &format!("{CAT_OPENS} and proc.name = cat"))
    );
    let mut e = engine(&yaml);
    assert_eq!(matches(&mut e, "cat_write.scap"), []);
    let yaml = format!(
        "- list: cat_names\n  items: [cat]\n{}  exceptions:\n    - name: cats\n      fields: proc.name\n      values: [cat_names]\n",
        rule("r", &format!("{CAT_OPENS} and proc.name = cat"))
    );
    let mut e = engine(&yaml);
    assert_eq!(matches(&mut e, "cat_write.scap"), []);
}

#[test]
fn quoted_ip_list_items_load_on_ip_fields() {
    let yaml = format!(
        "- list: rfc_1918_addresses\n  items: ['\"10.0.0.0/8\"', '\"172.16.0.0/12\"', '\"192.168.0.0/16\"']\n{}",
        rule(
            "r",
            "evt.type = connect and evt.dir = < and not fd.snet in (rfc_1918_addresses)"
        )
    );
    engine(&yaml);
}

#[test]
fn intersects_operator_and_modifiers_compile() {
    engine(&rule(
        "r",
        "evt.type = open and proc.name intersects (a, b) and fd.name startswith anyof (/etc, /var) and proc.name != allof (x, y)",
    ));
}

#[test]
fn transformers_in_conditions_and_outputs() {
    let yaml = "- rule: r\n  desc: d\n  condition: evt.type in (open, openat) and evt.dir = < and toupper(proc.name) = CAT and basename(fd.name) = val(fd.filename) and len(proc.name) = 3 and concat(proc.name, \"-\", proc.name) = cat-cat\n  output: \"%tolower(proc.name) %toupper(proc.name)\"\n  priority: WARNING\n";
    let mut e = engine(yaml);
    let n = cat_open_count();
    let got = matches(&mut e, "cat_write.scap");
    assert_eq!(got, [("r".into(), n)]);
}

#[test]
fn unknown_field_operator_and_transformer_have_positions() {
    assert_eq!(
        first_error(&rule("r", "evt.type = open and proc.nope = 1")),
        "rules.yaml:3:34: error: rule 'r': unknown field 'proc.nope' (LOAD_ERR_COMPILE_CONDITION)"
    );
    assert!(
        first_error(&rule("r", "evt.type = open and proc.name equals 1"))
            .starts_with("rules.yaml:3:44: error: rule 'r': unknown operator 'equals'"),
    );
    assert!(
        first_error(&rule("r", "evt.type = open and tolowr(proc.name) = a"))
            .starts_with("rules.yaml:3:34: error: rule 'r': unknown transformer 'tolowr'"),
    );
    assert!(
        first_error("- rule: r\n  desc: d\n  condition: evt.type = open\n  output: \"%tolowr(proc.name)\"\n  priority: INFO\n")
            .starts_with("rules.yaml:4:12: error: rule 'r': invalid output"),
    );
}

#[test]
fn macros_and_lists_across_files() {
    let mut e = RuleEngine::new();
    let a = "- list: cats\n  items: [cat]\n- macro: cat_opens\n  condition: evt.type in (open, openat) and evt.dir = <\n";
    let b = rule("r", "cat_opens and proc.name in (cats)");
    let dir = std::env::temp_dir().join(format!("falco-lang-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.yaml"), a).unwrap();
    std::fs::write(dir.join("b.yaml"), &b).unwrap();
    let w = e
        .load_rules_paths(&[dir.join("a.yaml"), dir.join("b.yaml")])
        .unwrap();
    assert!(w.is_empty(), "{w:?}");
    e.set_rule_matching(RuleMatching::All);
    assert_eq!(matches(&mut e, "cat_write.scap")[0].1, cat_open_count());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn first_match_stops_and_rule_matching_all_reports_every_rule() {
    let yaml = format!(
        "{}{}",
        rule("one", &format!("{CAT_OPENS} and proc.name = cat")),
        rule("two", &format!("{CAT_OPENS} and proc.name = cat"))
    );
    let n = cat_open_count();
    let mut e = engine(&yaml);
    assert_eq!(
        matches(&mut e, "cat_write.scap"),
        [("one".into(), n), ("two".into(), n)]
    );
    let mut e = engine(&yaml);
    e.set_rule_matching(RuleMatching::First);
    assert_eq!(matches(&mut e, "cat_write.scap"), [("one".into(), n)]);
}

#[test]
fn sandbox_flow_sequence_closed_at_key_indentation_loads() {
    let yaml = "- list: miners\n  items: [\n    \"a.example\",\n    \"b.example\"\n  ]\n- rule: r\n  desc: d\n  condition: evt.type = connect and fd.sip.name in (miners)\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n";
    let mut e = RuleEngine::new();
    e.load_rules(yaml, "rules.yaml").unwrap();
    assert_eq!(e.lists().next().unwrap().1.len(), 2);
}

#[test]
fn byte_order_mark_is_accepted() {
    let dir = std::env::temp_dir().join(format!("falco-lang-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bom.yaml");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(rule("r", "evt.type = open").as_bytes());
    std::fs::write(&f, bytes).unwrap();
    RuleEngine::new().load_rules_file(&f).unwrap();
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn non_utf8_rules_file_is_reported_at_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("falco-lang-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("latin1.yaml");
    std::fs::write(&f, b"- list: l\n  items: [caf\xe9]\n").unwrap();
    let err = RuleEngine::new().load_rules_file(&f).unwrap_err();
    let RulesError::Invalid { errors, .. } = &err else {
        panic!("{err}")
    };
    let want = format!("{}:2:14: error: invalid UTF-8", f.display());
    assert!(errors[0].to_string().starts_with(&want), "{err}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn duplicate_condition_key_keeps_the_first_with_a_warning() {
    let yaml = "- rule: r\n  desc: d\n  condition: evt.type = open\n  condition: evt.type = close\n  output: o\n  priority: INFO\n";
    let mut e = RuleEngine::new();
    let w = e.load_rules(yaml, "rules.yaml").unwrap();
    assert_eq!(e.describe_rule("r").unwrap().condition, "evt.type = open");
    assert_eq!(
        w.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        [
            "rules.yaml:4:3: warning: key 'condition' appears more than once; the first value is used (LOAD_DUPLICATE_KEY)"
        ]
    );
}

#[test]
fn second_rule_with_the_same_name_replaces_the_first_with_a_warning() {
    let yaml = format!(
        "{}{}{}",
        rule("r", "evt.type = open"),
        rule("other", "evt.type = close"),
        rule("r", "evt.type = connect")
    );
    let mut e = RuleEngine::new();
    let w = e.load_rules(&yaml, "rules.yaml").unwrap();
    // Replaced in place, as Falco does: it keeps the first one's position.
    let names: Vec<String> = e.rules().map(|(r, _)| r.name.clone()).collect();
    assert_eq!(names, ["r", "other"]);
    assert_eq!(e.describe_rule("r").unwrap().event_types, ["connect"]);
    assert_eq!(
        w.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
        [
            "rules.yaml:11:3: warning: rule 'r': rule redefined: it replaces the rule defined at rules.yaml:1:3 (LOAD_RULE_REDEFINED)"
        ]
    );
}

#[test]
fn container_plugin_requirement_is_met_by_the_builtin_support() {
    let yaml = format!(
        "- required_plugin_versions:\n    - name: container\n      version: 0.4.0\n{}",
        rule("r", "evt.type = open")
    );
    engine(&yaml);
    let too_new = "- required_plugin_versions:\n    - name: container\n      version: 1.0.0\n";
    assert!(first_error(too_new).contains("plugin requirement not satisfied"));
    let other = "- required_plugin_versions:\n    - name: cloudtrail\n      version: 0.1.0\n";
    assert!(first_error(other).starts_with("rules.yaml:2:7: error: plugin requirement not satisfied, must load one of: cloudtrail (>= 0.1.0)"));
}

/// libsinsp's bare strings stop at a blank, parenthesis, quote, `=` or `,`: Falco refuses
/// `evt.info = res=0` and `proc.name < cat` (sysdig 0.29 took both), and takes the quoted value.
#[test]
fn bare_string_ends_at_equals_as_in_libsinsp() {
    use falco_engine::filter::Filter;
    assert!(Filter::new("evt.info = res=0").is_err());
    assert!(Filter::new("evt.info = 'res=0'").is_ok());
    // Only a number follows `< <= > >=`, as in libsinsp.
    assert!(Filter::new("proc.name < cat").is_err());
    assert!(Filter::new("proc.pid < 10").is_ok());
}
