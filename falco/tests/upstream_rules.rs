//! Falco's own rules files (../shared/upstream/rules: falco-rules 3.2.0 and the current ones) pass
//! `falco -V` alone and three at a time: exit 0, every file Ok, no error and no warning (Falco
//! prints none for them).

mod common;

use common::*;
use std::path::PathBuf;

fn upstream(rel: &str) -> PathBuf {
    let dir = repo().join("../shared/upstream/rules");
    assert!(
        dir.is_dir(),
        "{} is missing: the upstream rules are read from ../shared/upstream beside the repository",
        dir.display()
    );
    dir.join(rel)
}

fn validate(files: &[&str]) -> Vec<String> {
    let paths: Vec<PathBuf> = files.iter().map(|f| upstream(f)).collect();
    // `-V` takes one file and repeats, as in Falco.
    let mut cmd = std::process::Command::new(falco_bin());
    for p in &paths {
        cmd.arg("-V").arg(p);
    }
    let out = run(&mut cmd);
    let text = format!("{}{}", stdout(&out), stderr(&out));
    let mut problems = Vec::new();
    for l in text.lines() {
        if l.contains(": warning: ") {
            problems.push(format!("warning: {l}"));
        } else if l.contains(": error: ") {
            problems.push(format!("error: {l}"));
        }
    }
    if !out.status.success() {
        problems.push(format!("exit status {:?}:\n{text}", out.status.code()));
    }
    for p in &paths {
        let ok = format!("{}: Ok", p.display());
        if !text.lines().any(|l| l == ok) {
            problems.push(format!("no '{ok}' line in:\n{text}"));
        }
    }
    problems
}

const SETS: [&str; 2] = ["falco-rules-3.2.0", "head"];
const FILES: [&str; 3] = [
    "falco_rules.yaml",
    "falco-incubating_rules.yaml",
    "falco-sandbox_rules.yaml",
];

#[test]
fn each_upstream_rules_file_validates() {
    let mut problems = Vec::new();
    for set in SETS {
        for f in FILES {
            problems.extend(validate(&[&format!("{set}/{f}")]));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_set_of_three_upstream_rules_files_validates() {
    let mut problems = Vec::new();
    for set in SETS {
        let files: Vec<String> = FILES.iter().map(|f| format!("{set}/{f}")).collect();
        let refs: Vec<&str> = files.iter().map(String::as_str).collect();
        problems.extend(validate(&refs));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
