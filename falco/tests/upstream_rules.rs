//! Falco's own rules files (../shared/upstream/rules: falco-rules 3.2.0 and the current ones) pass
//! `falco -V` alone and three at a time: exit 0, every file Ok, no error and no warning (Falco
//! prints none for them).
//!
//! Until every field of Falco 0.44 exists, an error naming one of [`PENDING_FIELDS`] is tolerated,
//! and so is the current rules' `required_engine_version` while the engine version is below it;
//! nothing else is.

mod common;

use common::*;
use std::path::PathBuf;

/// Fields these files use that falco does not have yet (syscall and container plugin fields).
const PENDING_FIELDS: &[&str] = &[
    "container.mount.dest",
    "container.mounts",
    "container.start_ts",
    "fd.cip.name",
    "fd.lip.name",
    "fd.name_changed",
    "fd.rip.name",
    "fd.sip.name",
    "proc.exe_ino.ctime",
    "proc.exe_ino.ctime_duration_proc_start",
    "proc.exe_ino.mtime",
];

fn upstream(rel: &str) -> PathBuf {
    let dir = repo().join("../shared/upstream/rules");
    assert!(
        dir.is_dir(),
        "{} is missing: the upstream rules are read from ../shared/upstream beside the repository",
        dir.display()
    );
    dir.join(rel)
}

/// Why an error line is tolerated for now, or None.
fn pending(line: &str) -> Option<&'static str> {
    if PENDING_FIELDS
        .iter()
        .any(|f| line.contains(&format!("unknown field '{f}'")))
    {
        return Some("unknown field");
    }
    let below = falco_engine::rules::versions::engine_version()
        < falco_engine::rules::versions::Version(0, 57, 0);
    (below && line.contains("rules require engine version 0.57.0")).then_some("engine version")
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
    let mut tolerated = 0;
    for l in text.lines() {
        if l.contains(": warning: ") {
            problems.push(format!("warning: {l}"));
        } else if l.contains(": error: ") {
            match pending(l) {
                Some(_) => tolerated += 1,
                None => problems.push(format!("error: {l}")),
            }
        }
    }
    if tolerated == 0 {
        if !out.status.success() {
            problems.push(format!("exit status {:?}:\n{text}", out.status.code()));
        }
        for p in &paths {
            let ok = format!("{}: Ok", p.display());
            if !text.lines().any(|l| l == ok) {
                problems.push(format!("no '{ok}' line in:\n{text}"));
            }
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
