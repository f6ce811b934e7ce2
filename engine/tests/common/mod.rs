//! Helpers shared by the engine's integration tests.

// Each test file uses some of them.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every capture of tests/traces, in name order.
pub fn shipped_traces() -> Vec<PathBuf> {
    let mut traces: Vec<PathBuf> = std::fs::read_dir(root().join("tests/traces"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "scap"))
        .collect();
    traces.sort();
    traces
}

/// Falco's own material (rules files, alerts, captures): ../shared/upstream.
pub fn upstream() -> PathBuf {
    root().join("../shared/upstream")
}

/// The shipped traces and Falco's generator capture (the one upstream Falco's alerts were taken
/// on).
pub fn traces_and_detections() -> Vec<PathBuf> {
    let mut v = shipped_traces();
    v.push(upstream().join("alerts/falco-0.40.0_rules-3.2.0/generator-detections.scap"));
    v
}

/// The default rules and Falco's own rules files (3.2.0 and current), by name.
pub fn rule_sets() -> Vec<(&'static str, Vec<PathBuf>)> {
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
