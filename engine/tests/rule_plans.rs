//! The rule engine's fast path (rules indexed by event type, conditions folded for each type, and
//! the per-type plans that extract a field several rules test once) matches exactly the rules
//! whose condition, evaluated alone, holds: on every event of the shipped traces and of Falco's
//! generator capture, with the default rules and Falco's own rules files (3.2.0 and current).

mod common;

use std::path::PathBuf;

use common::root;
use falco_engine::rules::{RuleEngine, RuleMatching};

fn upstream() -> PathBuf {
    root().join("../shared/upstream")
}

fn captures() -> Vec<PathBuf> {
    let mut v = common::shipped_traces();
    v.push(upstream().join("alerts/falco-0.40.0_rules-3.2.0/generator-detections.scap"));
    v
}

fn rule_sets() -> Vec<(&'static str, Vec<PathBuf>)> {
    let files = |dir: PathBuf| {
        [
            "falco_rules.yaml",
            "falco-incubating_rules.yaml",
            "falco-sandbox_rules.yaml",
        ]
        .iter()
        .map(|f| dir.join(f))
        .collect::<Vec<_>>()
    };
    vec![
        ("default", files(root().join("rules"))),
        (
            "falco-rules 3.2.0",
            files(upstream().join("rules/falco-rules-3.2.0")),
        ),
        ("falco-rules current", files(upstream().join("rules/head"))),
    ]
}

#[test]
fn the_engine_matches_the_rules_whose_condition_holds_alone() {
    for (name, files) in rule_sets() {
        let mut engine = RuleEngine::new();
        engine.load_rules_paths(&files).unwrap();
        engine.set_rule_matching(RuleMatching::All);
        let mut matched = 0;
        for capture in captures() {
            matched += engine
                .check_fast_path(&capture)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(matched > 20, "{name}: only {matched} matches");
    }
}
