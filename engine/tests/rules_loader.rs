//! The rules loader: every item kind and modification form, every error and every warning, each
//! with its exact message and file:line:col.

use falco_engine::rules::{Diagnostic, Priority, RuleEngine, RulesError};

fn load(yaml: &str) -> Result<(RuleEngine, Vec<Diagnostic>), RulesError> {
    let mut e = RuleEngine::new();
    let w = e.load_rules(yaml, "rules.yaml")?;
    Ok((e, w))
}

/// The first error, as text.
fn error(yaml: &str) -> String {
    match load(yaml) {
        Ok(_) => panic!("loaded without error:\n{yaml}"),
        Err(e) => e
            .errors()
            .first()
            .map(|d| d.to_string())
            .unwrap_or_else(|| e.to_string()),
    }
}

/// Every warning, as text.
fn warnings(yaml: &str) -> Vec<String> {
    match load(yaml) {
        Ok((_, w)) => w.iter().map(|d| d.to_string()).collect(),
        Err(e) => panic!("error: {e}"),
    }
}

const BASE: &str = r#"
- list: shells
  items: [bash, sh]
- macro: spawned
  condition: evt.type = execve and evt.dir = <
- rule: shell
  desc: a shell
  condition: spawned and proc.name in (shells)
  output: shell %proc.name
  priority: WARNING
  tags: [a]
"#;

fn with_base(extra: &str) -> String {
    format!("{BASE}{extra}")
}

fn rule<'a>(e: &'a RuleEngine, name: &str) -> &'a falco_engine::rules::RuleInfo {
    e.describe_rule(name)
        .unwrap_or_else(|| panic!("no rule {name}"))
}

fn list(e: &RuleEngine, name: &str) -> Vec<String> {
    e.lists()
        .find(|l| l.0 == name)
        .map(|l| l.1.to_vec())
        .unwrap()
}

#[test]
fn list_macro_and_rule_items() {
    let (e, w) = load(BASE).unwrap();
    assert!(w.is_empty(), "{w:?}");
    let r = rule(&e, "shell");
    assert_eq!(r.priority, Priority::Warning);
    assert_eq!(r.condition, "spawned and proc.name in (shells)");
    assert_eq!(r.event_types, vec!["execve"]);
    assert_eq!(r.tags, vec!["a"]);
    assert_eq!((r.location.line, r.location.col), (6, 3));
    assert_eq!(list(&e, "shells"), ["bash", "sh"]);
}

#[test]
fn required_engine_version() {
    assert!(load("- required_engine_version: 0.26.0\n").is_ok());
    assert!(load("- required_engine_version: 9\n").is_ok());
    assert_eq!(
        error("- required_engine_version: 99.0.0\n"),
        "rules.yaml:1:28: error: rules require engine version 99.0.0, but this engine is version 0.62.0 (LOAD_ERR_VALIDATE)"
    );
}

#[test]
fn list_append_and_override() {
    let (e, _) = load(&with_base(
        "- list: shells\n  items: [zsh]\n  append: true\n",
    ))
    .unwrap();
    assert_eq!(list(&e, "shells"), ["bash", "sh", "zsh"]);
    let (e, _) = load(&with_base(
        "- list: shells\n  items: [zsh]\n  override:\n    items: append\n",
    ))
    .unwrap();
    assert_eq!(list(&e, "shells"), ["bash", "sh", "zsh"]);
    let (e, _) = load(&with_base(
        "- list: shells\n  items: [zsh]\n  override:\n    items: replace\n",
    ))
    .unwrap();
    assert_eq!(list(&e, "shells"), ["zsh"]);
}

#[test]
fn lists_can_name_lists() {
    let (e, w) = load(&with_base("- list: more\n  items: [shells, fish]\n- rule: r2\n  desc: d\n  condition: spawned and proc.name in (more)\n  output: o\n  priority: INFO\n")).unwrap();
    // Listed as written; the rule sees the expansion (and `shells` counts as used).
    assert!(w.is_empty(), "{w:?}");
    assert_eq!(list(&e, "more"), ["shells", "fish"]);
}

#[test]
fn macro_append_and_override() {
    let (e, _) = load(&with_base(
        "- macro: spawned\n  condition: and proc.pid > 0\n  append: true\n",
    ))
    .unwrap();
    assert_eq!(
        e.macros().find(|m| m.0 == "spawned").unwrap().1,
        "evt.type = execve and evt.dir = < and proc.pid > 0"
    );
    let (e, _) = load(&with_base(
        "- macro: spawned\n  condition: evt.type = clone\n  override:\n    condition: replace\n",
    ))
    .unwrap();
    assert_eq!(rule(&e, "shell").event_types, vec!["clone"]);
}

#[test]
fn rule_append_and_override() {
    let (e, _) = load(&with_base(
        "- rule: shell\n  condition: and proc.pid > 1\n  append: true\n",
    ))
    .unwrap();
    assert_eq!(
        rule(&e, "shell").condition,
        "spawned and proc.name in (shells) and proc.pid > 1"
    );
    let (e, _) = load(&with_base(
        "- rule: shell\n  condition: and user.uid = 0\n  output: root shell\n  priority: critical\n  tags: [b]\n  enabled: false\n  override:\n    condition: append\n    output: replace\n    priority: replace\n    tags: append\n    enabled: replace\n",
    ))
    .unwrap();
    let r = rule(&e, "shell");
    assert_eq!(
        r.condition,
        "spawned and proc.name in (shells) and user.uid = 0"
    );
    assert_eq!(r.output, "root shell");
    assert_eq!(r.priority, Priority::Critical);
    assert_eq!(r.tags, vec!["a", "b"]);
    assert!(!e.rules().find(|x| x.0.name == "shell").unwrap().1);
}

#[test]
fn rule_enabled_only_item() {
    let (e, _) = load(&with_base("- rule: shell\n  enabled: false\n")).unwrap();
    assert!(!e.rules().next().unwrap().1);
}

#[test]
fn redefinition_replaces() {
    let (e, _) = load(&with_base("- rule: shell\n  desc: d2\n  condition: evt.type = open\n  output: o2\n  priority: DEBUG\n")).unwrap();
    assert_eq!(e.rules().count(), 1);
    assert_eq!(rule(&e, "shell").desc, "d2");
}

#[test]
fn exceptions_and_their_appends() {
    let yaml = with_base(
        r#"- rule: opener
  desc: d
  condition: evt.type = open and evt.dir = <
  output: o %fd.name
  priority: NOTICE
  exceptions:
    - name: known
      fields: [proc.name, fd.name]
      comps: [=, startswith]
      values:
        - [cat, /etc/]
    - name: by_name
      fields: proc.name
      values: [python, shells]
"#,
    );
    let (e, _) = load(&yaml).unwrap();
    assert_eq!(rule(&e, "opener").exceptions, vec!["known", "by_name"]);
    let more = format!(
        "{yaml}- rule: opener\n  exceptions:\n    - name: known\n      values:\n        - [curl, /tmp/]\n  append: true\n- rule: opener\n  exceptions:\n    - name: third\n      fields: [fd.directory]\n      comps: [in]\n      values:\n        - [[/usr, /lib]]\n  override:\n    exceptions: append\n"
    );
    let (e, _) = load(&more).unwrap();
    assert_eq!(
        rule(&e, "opener").exceptions,
        vec!["known", "by_name", "third"]
    );
    assert_eq!(
        error(&format!(
            "{yaml}- rule: opener\n  exceptions:\n    - name: known\n      fields: [proc.name]\n      values:\n        - [a, b]\n  override:\n    exceptions: replace\n"
        )),
        "rules.yaml:28:7: error: rule 'opener': exception 'known': fields and values lists must have equal length (LOAD_ERR_VALIDATE)"
    );
    assert_eq!(
        error(&format!(
            "{yaml}- rule: opener\n  exceptions:\n    - name: bad\n      fields: [proc.nope]\n      values:\n        - [a]\n  override:\n    exceptions: append\n"
        )),
        "rules.yaml:28:7: error: rule 'opener': exception 'bad': 'proc.nope' is not a supported filter field: unknown field 'proc.nope' (LOAD_ERR_VALIDATE)"
    );
}

#[test]
fn error_bad_yaml() {
    assert_eq!(
        error("- rule: x\n  condition: [a\n"),
        "rules.yaml:3:1: error: invalid YAML: while parsing a flow sequence: did not find expected ',' or ']' (LOAD_ERR_YAML_PARSE)"
    );
    assert_eq!(
        error("rule: x\n"),
        "rules.yaml:1:1: error: rules content must be a sequence of items, found a mapping (LOAD_ERR_YAML_VALIDATE)"
    );
}

#[test]
fn error_unknown_field() {
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: >\n    evt.type = open\n    and proc.nam = cat\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:5:9: error: rule 'r': unknown field 'proc.nam' (LOAD_ERR_COMPILE_CONDITION)"
    );
}

#[test]
fn warning_unknown_key() {
    // Falco ignores a key it does not know, with a warning.
    assert_eq!(
        warnings(
            "- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  severity: high\n"
        ),
        ["rules.yaml:6:3: warning: rule 'r': unknown key 'severity', ignored (LOAD_UNKNOWN_KEY)"]
    );
}

#[test]
fn error_undefined_macro_or_list() {
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: evt.type = open and not_defined\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:3:34: error: rule 'r': undefined macro 'not_defined' (LOAD_ERR_COMPILE_CONDITION)"
    );
    assert_eq!(
        error("- list: l\n  items: [a]\n  append: true\n"),
        "rules.yaml:1:3: error: list 'l': list uses 'append' or 'override.items: append' but no list by that name already exists (LOAD_ERR_VALIDATE)"
    );
    assert_eq!(
        error("- macro: m\n  condition: a\n  override:\n    condition: append\n"),
        "rules.yaml:1:3: error: macro 'm': macro uses 'append' or 'override.condition: append' but no macro by that name already exists (LOAD_ERR_VALIDATE)"
    );
    assert_eq!(
        error("- rule: r\n  condition: a\n  append: true\n"),
        "rules.yaml:1:3: error: rule 'r': rule uses 'append' or 'override.<key>: append' but no rule by that name already exists (LOAD_ERR_VALIDATE)"
    );
}

#[test]
fn error_in_macro_names_the_macro() {
    assert_eq!(
        error(
            "- macro: m\n  condition: proc.name = a or\n- rule: r\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:2:30: error: macro 'm': unexpected end of condition, expected a condition after 'or' (LOAD_ERR_COMPILE_CONDITION)"
    );
}

#[test]
fn error_operator_wrong_for_type() {
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: evt.type = open and proc.pid contains 1\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:3:43: error: rule 'r': operator 'contains' is not supported for field 'proc.pid' of type int64 (LOAD_ERR_COMPILE_CONDITION)"
    );
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: evt.type = open and proc.pid = abc\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:3:45: error: rule 'r': 'abc' is not a valid number for field 'proc.pid' (LOAD_ERR_COMPILE_CONDITION)"
    );
}

#[test]
fn error_unbalanced_parentheses() {
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: (evt.type = open and (proc.name = a)\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:3:14: error: rule 'r': unbalanced parentheses: '(' is never closed (LOAD_ERR_COMPILE_CONDITION)"
    );
}

#[test]
fn error_empty_rule_name() {
    assert_eq!(
        error(
            "- rule: \"\"\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:1:9: error: 'rule' must not be empty (LOAD_ERR_YAML_VALIDATE)"
    );
}

#[test]
fn error_rule_without_condition() {
    assert_eq!(
        error("- rule: r\n  desc: d\n  output: o\n  priority: INFO\n"),
        "rules.yaml:1:3: error: rule 'r': item has no 'condition' (LOAD_ERR_YAML_VALIDATE)"
    );
}

#[test]
fn error_output_unknown_field() {
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: evt.type = open\n  output: >\n    opened %fd.name by %proc.nope\n  priority: INFO\n"
        ),
        "rules.yaml:5:24: error: rule 'r': invalid output: unknown field 'proc.nope' (LOAD_ERR_COMPILE_OUTPUT)"
    );
}

#[test]
fn error_bad_priority() {
    assert_eq!(
        error(
            "- rule: r\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: LOUD\n"
        ),
        "rules.yaml:5:13: error: rule 'r': invalid priority 'LOUD': expected one of emergency, alert, critical, error, warning, notice, informational (or info), debug (LOAD_ERR_YAML_VALIDATE)"
    );
}

#[test]
fn error_deep_nesting_is_refused() {
    let cond = format!("{}evt.type = open{}", "(".repeat(500), ")".repeat(500));
    assert_eq!(
        error(&format!(
            "- rule: r\n  desc: d\n  condition: {cond}\n  output: o\n  priority: INFO\n"
        )),
        "rules.yaml:3:142: error: rule 'r': condition nests too deeply (more than 128 levels) (LOAD_ERR_COMPILE_CONDITION)"
    );
}

#[test]
fn error_macro_cycle() {
    // A macro sees only the macros defined before it (or before its latest append), as in Falco.
    assert_eq!(
        error(
            "- macro: a\n  condition: b\n- macro: b\n  condition: proc.pid = 1\n- rule: r\n  desc: d\n  condition: evt.type = open and a\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:2:14: error: macro 'a': undefined macro 'b' (LOAD_ERR_COMPILE_CONDITION)"
    );
    assert_eq!(
        error(
            "- macro: a\n  condition: proc.pid = 1\n- macro: b\n  condition: a\n- macro: a\n  condition: or b\n  override:\n    condition: append\n- rule: r\n  desc: d\n  condition: evt.type = open and a\n  output: o\n  priority: INFO\n"
        ),
        "rules.yaml:2:14: error: macro 'a': reference loop in macro 'b' (LOAD_ERR_COMPILE_CONDITION)"
    );
}

#[test]
fn load_failure_keeps_old_rules() {
    let (mut e, _) = load(BASE).unwrap();
    assert!(
        e.load_rules("- rule: x\n  condition: [\n", "bad.yaml")
            .is_err()
    );
    assert_eq!(e.rules().count(), 1);
}

#[test]
fn warning_no_evttype() {
    assert_eq!(
        warnings(
            "- rule: r\n  desc: d\n  condition: proc.name = cat\n  output: o\n  priority: INFO\n"
        ),
        [
            "rules.yaml:1:3: warning: rule 'r': rule matches too many evt.type values; this has a significant performance penalty (LOAD_NO_EVTTYPE)"
        ]
    );
    assert!(warnings("- rule: r\n  desc: d\n  condition: proc.name = cat\n  output: o\n  priority: INFO\n  warn_evttypes: false\n").is_empty());
}

#[test]
fn warning_unused_macro_and_list() {
    assert_eq!(
        warnings(&with_base(
            "- macro: idle\n  condition: proc.pid = 1\n- list: spare\n  items: [x]\n"
        )),
        [
            "rules.yaml:12:3: warning: macro 'idle': macro not referred to by any other rule/macro (LOAD_UNUSED_MACRO)",
            "rules.yaml:14:3: warning: list 'spare': list not referred to by any other rule/macro (LOAD_UNUSED_LIST)",
        ]
    );
}

#[test]
fn warning_unknown_source_and_item() {
    assert_eq!(
        warnings(
            "- rule: r\n  desc: d\n  condition: ct.name = x\n  output: o\n  priority: INFO\n  source: aws_cloudtrail\n- something: else\n"
        ),
        [
            "rules.yaml:1:3: warning: rule 'r': unknown source 'aws_cloudtrail', the rule is skipped (LOAD_UNKNOWN_SOURCE)",
            "rules.yaml:7:3: warning: unknown top-level item, ignored (LOAD_UNKNOWN_ITEM)",
        ]
    );
}

#[test]
fn warning_skip_if_unknown_filter() {
    assert_eq!(
        warnings(
            "- rule: r\n  desc: d\n  condition: evt.type = open and proc.future = 1\n  output: o\n  priority: INFO\n  skip-if-unknown-filter: true\n"
        ),
        [
            "rules.yaml:3:34: warning: rule 'r': unknown field 'proc.future': the rule is skipped (skip-if-unknown-filter) (LOAD_UNKNOWN_FILTER)"
        ]
    );
}

#[test]
fn warning_append_no_values_and_names() {
    assert_eq!(
        warnings(&with_base(
            "- list: shells\n  items: []\n  append: true\n- macro: bad-name\n  condition: proc.pid = 1\n"
        )),
        [
            "rules.yaml:12:3: warning: list 'shells': 'append' key is deprecated: add an 'append' entry (e.g. 'condition: append') under 'override' instead (LOAD_DEPRECATED_ITEM)",
            "rules.yaml:15:3: warning: macro 'bad-name': macro names should be a letter followed by letters, digits and underscores (LOAD_INVALID_MACRO_NAME)",
            "rules.yaml:15:3: warning: macro 'bad-name': macro not referred to by any other rule/macro (LOAD_UNUSED_MACRO)",
        ]
    );
}

#[test]
fn several_files_load_in_order() {
    let mut e = RuleEngine::new();
    e.load_rules(BASE, "a.yaml").unwrap();
    e.load_rules(
        "- list: shells\n  items: [fish]\n  append: true\n",
        "b.yaml",
    )
    .unwrap();
    assert_eq!(list(&e, "shells"), ["bash", "sh", "fish"]);
    let dir = std::env::temp_dir().join(format!("falco-rules-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("10-base.yaml"), BASE).unwrap();
    std::fs::write(
        dir.join("20-local.yaml"),
        "- rule: shell\n  enabled: false\n",
    )
    .unwrap();
    let mut e = RuleEngine::new();
    e.load_rules_paths(std::slice::from_ref(&dir)).unwrap();
    assert!(!e.rules().next().unwrap().1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn default_rules_load_without_errors_or_warnings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../rules");
    let mut e = RuleEngine::new();
    for f in [
        "falco_rules.yaml",
        "application_rules.yaml",
        "falco_rules.local.yaml",
    ] {
        let mut w = e
            .load_rules_file(&root.join(f))
            .unwrap_or_else(|err| panic!("{f}: {err}"));
        // always_true is unused on purpose: Falco's rules define it for local rules to use.
        w.retain(|d| !d.to_string().contains("always_true"));
        assert!(
            w.is_empty(),
            "{f}: unexpected warnings:\n{}",
            w.iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
    assert!(e.rules().count() >= 14);
}
