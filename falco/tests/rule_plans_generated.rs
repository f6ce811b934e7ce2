//! The rule engine's fast path (the index by event type, the conditions folded for each type, the
//! plans whose stages run tests several rules need once, their first conjuncts or tests their
//! conditions require) matches exactly the rules whose condition, evaluated alone, holds: on every
//! event of the generator's behaviours capture (one of each behaviour a rule of Falco's three sets
//! detects) and of a slice of its workload, with the default rules and Falco's rules files. The
//! engine's own test (engine/tests/rule_plans.rs) does the same on the shipped traces.

mod common;

use std::path::{Path, PathBuf};

use common::{repo, scratch};
use falco_engine::rules::{RuleEngine, RuleMatching};

fn rule_sets() -> Vec<(&'static str, PathBuf)> {
    let upstream = repo().join("../shared/upstream/rules");
    vec![
        ("default", repo().join("rules")),
        ("falco-rules 3.2.0", upstream.join("falco-rules-3.2.0")),
        ("falco-rules current", upstream.join("head")),
    ]
}

fn engine(dir: &Path) -> RuleEngine {
    let files: Vec<PathBuf> = [
        "falco_rules.yaml",
        "falco-incubating_rules.yaml",
        "falco-sandbox_rules.yaml",
    ]
    .iter()
    .map(|f| dir.join(f))
    .collect();
    let mut engine = RuleEngine::new();
    engine.load_rules_paths(&files).unwrap();
    engine.set_rule_matching(RuleMatching::All);
    engine
}

#[test]
fn the_engine_matches_the_rules_whose_condition_holds_alone_on_generated_behaviours() {
    let dir = scratch("rule-plans");
    let behaviours = dir.join("behaviours.scap");
    let workload = dir.join("workload.scap");
    falco_gen::write_behaviours(&behaviours, false, 42).unwrap();
    falco_gen::write_workload(&workload, false, 7, 30_000).unwrap();
    for (name, rules) in rule_sets() {
        let mut engine = engine(&rules);
        let mut matched = 0;
        for capture in [&behaviours, &workload] {
            matched += engine
                .check_fast_path(capture)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        // Most of the sets' rules fire on the behaviours capture.
        assert!(matched > 60, "{name}: only {matched} matches");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
