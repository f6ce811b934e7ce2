//! Embedding the engine: load rules, choose which run, replay a capture, print alerts and stats.
//!
//!     cargo run --release -p falco-engine --example rules_replay -- rules/falco_rules.yaml tests/traces/modern_scenario.scap

use std::process::ExitCode;

use falco_engine::inspector::Inspector;
use falco_engine::rules::{Priority, RuleEngine, RuleMatching, RulesError};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [rules, capture] = args.as_slice() else {
        eprintln!("usage: rules_replay RULES.yaml CAPTURE.scap");
        return ExitCode::from(2);
    };
    let mut engine = RuleEngine::new();
    match engine.load_rules_file(rules.as_ref()) {
        Ok(warnings) => warnings.iter().for_each(|w| eprintln!("{w}")),
        Err(RulesError::Invalid { errors, warnings }) => {
            errors
                .iter()
                .chain(&warnings)
                .for_each(|d| eprintln!("{d}"));
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    engine.set_min_priority(Priority::Debug);
    engine.set_rule_matching(RuleMatching::All);
    if let Some(r) = engine.describe_rule("Write below etc") {
        eprintln!(
            "rule '{}' ({}) watches {:?}",
            r.name, r.priority, r.event_types
        );
    }
    let mut insp = match Inspector::open(capture) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{capture}: {e}");
            return ExitCode::FAILURE;
        }
    };
    loop {
        let p = match insp.next() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                eprintln!("{capture}: {e}");
                return ExitCode::FAILURE;
            }
        };
        if !engine.has_rules_for_event(&p.event) {
            continue;
        }
        if let Some(matches) = engine.process_event(&p.ctx()) {
            for m in matches {
                println!("{} {}: {}", m.priority, m.rule, m.output);
            }
        }
    }
    let stats = engine.stats();
    eprintln!("{} events, {} matches", stats.events, stats.matches);
    for (rule, n) in stats.by_rule() {
        eprintln!("  {rule}: {n}");
    }
    ExitCode::SUCCESS
}
