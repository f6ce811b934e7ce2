//! Random token soup: conditions and rules files assembled from the language's own tokens in any
//! order must compile or be refused with an error located inside the text; nothing panics.

use falco_engine::filter::Filter;
use falco_engine::rules::RuleEngine;
use proptest::prelude::*;

/// Loads `text` as a rules file; fails if anything panicked on the way, even a panic the YAML
/// reader contained, so the regression tests below show the input is refused by a rule, not by
/// luck.
fn load_refused(text: &str) -> String {
    let err = RuleEngine::new()
        .load_rules(text, "soup.yaml")
        .expect_err("the input is invalid")
        .to_string();
    assert!(err.contains("soup.yaml:"), "{err}");
    assert!(!err.contains("cannot read this input"), "{err}");
    err
}

const TOKENS: &[&str] = &[
    "and",
    "or",
    "not",
    "(",
    ")",
    "(",
    ")",
    ",",
    "=",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "contains",
    "icontains",
    "bcontains",
    "startswith",
    "bstartswith",
    "endswith",
    "glob",
    "iglob",
    "regex",
    "in",
    "intersects",
    "pmatch",
    "exists",
    "evt.type",
    "proc.name",
    "fd.name",
    "proc.aname[2]",
    "evt.arg.fd",
    "evt.arg[0]",
    "fd.sip",
    "fd.net",
    "evt.num",
    "thread.ismain",
    "evt.buffer",
    "tolower(",
    "toupper(",
    "b64(",
    "basename(",
    "len(",
    "val(",
    "open",
    "bash",
    "/etc",
    "127.0.0.1",
    "10.0.0.0/8",
    "true",
    "1",
    "-1",
    "0x10",
    "'quoted'",
    "\"dq\\\"x\"",
    "'",
    "\"",
    "a_macro",
    "[",
    "]",
    "*",
    "\\",
    "\n",
    "é",
    "proc.nope",
    "",
    "6361",
    "[a-z]*",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|v| v.join(" "))
}

fn tight_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|v| v.concat())
}

fn check(text: &str) {
    match Filter::new(text) {
        Ok(f) => {
            let _ = f.event_types().names();
        }
        Err(e) => {
            assert!(
                e.pos <= text.len(),
                "error offset {} past the end of {text:?}",
                e.pos
            );
            assert!(!e.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn conditions_never_panic(text in soup()) {
        check(&text);
    }

    #[test]
    fn unspaced_conditions_never_panic(text in tight_soup()) {
        check(&text);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        check(&text);
    }

    #[test]
    fn rules_files_never_panic(cond in soup(), out in ".{0,60}", prio in "[A-Za-z]{0,10}") {
        let yaml = format!(
            "- macro: a_macro\n  condition: proc.name = bash\n- rule: r\n  desc: d\n  condition: {cond:?}\n  output: {out:?}\n  priority: {prio:?}\n"
        );
        let mut e = RuleEngine::new();
        if let Err(err) = e.load_rules(&yaml, "soup.yaml") {
            for d in err.errors() {
                assert!(d.location.line >= 1, "{d}");
            }
        }
    }

    #[test]
    fn arbitrary_yaml_never_panics(text in "[-:\\[\\]{}'\"|> \\\\\\na-z#&*!%@`,]{0,200}") {
        let _ = RuleEngine::new().load_rules(&text, "soup.yaml");
    }
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    for depth in [129, 10_000, 1_000_000] {
        let text = format!("{}proc.name = a{}", "(".repeat(depth), ")".repeat(depth));
        let e = Filter::new(&text).unwrap_err();
        assert!(e.to_string().contains("nests too deeply"), "{e}");
    }
    // Macros nested through each other are bounded after expansion too.
    let mut yaml = String::from("- macro: m0\n  condition: proc.name = a\n");
    for i in 1..600 {
        yaml.push_str(&format!("- macro: m{i}\n  condition: (m{})\n", i - 1));
    }
    yaml.push_str("- rule: r\n  desc: d\n  condition: evt.type = open and m599\n  output: o\n  priority: INFO\n");
    let err = RuleEngine::new()
        .load_rules(&yaml, "deep.yaml")
        .unwrap_err();
    assert!(err.to_string().contains("nests too deeply"), "{err}");
}

/// Found by the condition fuzzer: a word operator followed by a backspace, which the grammar counts
/// as a blank (as libsinsp does) but `str::trim` does not, was not recognised after parsing.
#[test]
fn word_operator_followed_by_a_backspace_parses_not_panics() {
    for text in ["proc.name glob\u{08}a*", "proc.name contains\u{08}\u{08}a"] {
        Filter::new(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
    }
    check("prob.MMMMMMMMMMMMMMMMper    glob\u{08}\0\0\0\0\0\0\0be*a*a*a*a*a*a*a**");
}

/// Found by the soup: an unknown call after a multi-byte character sliced inside it.
#[test]
fn unknown_call_after_a_multibyte_character_is_an_error_not_a_panic() {
    for text in ["evt.type=éand()tolower()", "proc.name==énot()tolower()"] {
        check(text);
    }
}

/// Found by the soup: libyaml-safer panics on a tag directly before a comma in a flow collection.
#[test]
fn yaml_tag_before_a_comma_in_a_flow_collection_is_an_error_not_a_panic() {
    for text in ["[!,", "- rule: r\n  tags: [!x, y]\n"] {
        assert!(load_refused(text).contains("a tag directly before ','"));
    }
}

/// Found by the rules_loader fuzzer: libyaml-safer looks one character past the end of a file that
/// does not end with a line break (a backslash ending a quoted scalar, a folded scalar's last line)
/// and panics there.
#[test]
fn yaml_without_a_final_line_break_is_read_not_a_panic() {
    for text in [
        "\"\\",
        "- rule: \"r\\",
        "[\"\\",
        ">\r priorety",
        ">#@#~ m0\n  ~~1",
    ] {
        load_refused(text);
    }
    let ok = "- list: l\n  items: [a, b]";
    RuleEngine::new()
        .load_rules(ok, "soup.yaml")
        .expect("a valid file");
}

/// Found by the rules_loader fuzzer: a panic the YAML parser still has (a tag after a quoted scalar,
/// before a comma) is an error at the position it reached, and the fuzzer's panic hook is not
/// called for it.
#[test]
fn yaml_parser_panics_are_contained_as_located_errors() {
    let err = RuleEngine::new()
        .load_rules("- list: l\n  items: [','!,~", "soup.yaml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("soup.yaml:2:"), "{err}");
}
