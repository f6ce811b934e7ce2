//! The rule engine's fast path (rules indexed by event type, conditions folded for each type, and
//! the per-type plans that extract a field several rules test once) matches exactly the rules
//! whose condition, evaluated alone, holds: on every event of the shipped traces and of Falco's
//! generator capture, with the default rules and Falco's own rules files (3.2.0 and current).

mod common;

use falco_engine::rules::{RuleEngine, RuleMatching};

#[test]
fn the_engine_matches_the_rules_whose_condition_holds_alone() {
    for (name, files) in common::rule_sets() {
        let mut engine = RuleEngine::new();
        engine.load_rules_paths(&files).unwrap();
        engine.set_rule_matching(RuleMatching::All);
        let mut matched = 0;
        for capture in common::traces_and_detections() {
            matched += engine
                .check_fast_path(&capture)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(matched > 20, "{name}: only {matched} matches");
    }
}
