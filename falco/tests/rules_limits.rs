//! Small hostile rules and configuration files: each is refused with a message naming the file,
//! the line and the limit, within a bounded peak RSS (documented in docs/rules.md), and a SIGHUP
//! reload of one keeps the running rules.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Stdio};

/// Peak RSS allowed to `falco` refusing any of these files.
const MAX_RSS_KB: i64 = 100 * 1024;

/// Runs falco with `args`; returns (exit code, stdout + stderr, peak RSS in KiB).
fn run_measured(dir: &Path, args: &[&str]) -> (i32, String, i64) {
    let out = dir.join("out.txt");
    let f = std::fs::File::create(&out).unwrap();
    // Reaped below by wait4, which also returns the child's peak RSS.
    #[expect(clippy::zombie_processes)]
    let child = Command::new(falco_bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(f.try_clone().unwrap())
        .stderr(f)
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: rusage is plain data that wait4 fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waiting for our own child, with valid pointers to locals.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    (
        code,
        std::fs::read_to_string(&out).unwrap(),
        usage.ru_maxrss,
    )
}

/// Validates `content` as a rules file: it must be refused with `want` in the message, under
/// the RSS bound.
fn refused(name: &str, content: &str, want: &str) -> String {
    let dir = scratch(name);
    let rules = dir.join("bomb.yaml");
    std::fs::write(&rules, content).unwrap();
    let (code, out, rss) = run_measured(&dir, &["-V", rules.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(want), "{out}");
    assert!(
        out.contains(&format!("{}:", rules.display())),
        "no file:line:col in {out}"
    );
    assert!(rss < MAX_RSS_KB, "peak RSS {rss} KiB for {name}");
    out
}

/// The 681-byte billion-laughs document: nine levels of nine aliases.
fn alias_bomb() -> String {
    let mut s = String::from(
        "- list: a\n  items: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_string();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("- list: {n}\n  items: &{n} [{refs}]\n"));
        prev = n.to_string();
    }
    s
}

#[test]
fn yaml_alias_bomb_in_rules_is_refused() {
    refused(
        "alias-bomb",
        &alias_bomb(),
        "aliases expand to more than 100000 nodes",
    );
}

#[test]
fn yaml_alias_bomb_in_configuration_is_refused() {
    let dir = scratch("alias-bomb-config");
    let cfg = dir.join("falco.yaml");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = "a".to_string();
    for n in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n.to_string();
    }
    std::fs::write(&cfg, bomb).unwrap();
    let (code, out, rss) = run_measured(
        &dir,
        &[
            "-c",
            cfg.to_str().unwrap(),
            "-e",
            trace("cat_write.scap").to_str().unwrap(),
        ],
    );
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("aliases expand to more than"), "{out}");
    assert!(rss < MAX_RSS_KB, "peak RSS {rss} KiB");
}

/// Ten lists of ten, each naming the next, defined from the top down so that Falco's text
/// substitution multiplies them by ten at each step (10^10 items).
fn nested_lists_top_down() -> String {
    let mut s = String::new();
    for i in (1..10).rev() {
        let items = vec![format!("l{}", i - 1); 10].join(", ");
        s.push_str(&format!("- list: l{i}\n  items: [{items}]\n"));
    }
    s.push_str("- list: l0\n  items: [a, a, a, a, a, a, a, a, a, a]\n");
    s.push_str("- rule: r\n  desc: d\n  condition: evt.type = open and proc.name in (l9)\n  output: o\n  priority: INFO\n");
    s
}

#[test]
fn nested_lists_bomb_is_refused() {
    let out = refused(
        "list-bomb",
        &nested_lists_top_down(),
        "grows past 1048576 bytes (the limit) when list",
    );
    assert!(out.contains("bomb.yaml:"), "{out}");
}

/// The same lists defined bottom-up: Falco expands a list's items one level only, so this one is
/// small and loads.
#[test]
fn nested_lists_bottom_up_load_as_falco_expands_them() {
    let mut s = String::from("- list: l0\n  items: [a, a, a, a, a, a, a, a, a, a]\n");
    for i in 1..10 {
        let items = vec![format!("l{}", i - 1); 10].join(", ");
        s.push_str(&format!("- list: l{i}\n  items: [{items}]\n"));
    }
    s.push_str("- rule: r\n  desc: d\n  condition: evt.type = open and proc.name in (l9)\n  output: o\n  priority: INFO\n");
    let dir = scratch("list-bottom-up");
    let rules = dir.join("lists.yaml");
    std::fs::write(&rules, s).unwrap();
    let (code, out, rss) = run_measured(&dir, &["-V", rules.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(rss < MAX_RSS_KB, "peak RSS {rss} KiB");
}

/// Forty macros, each using the previous one twice: 2^40 nodes expanded.
fn macro_bomb() -> String {
    let mut s = String::from("- macro: m0\n  condition: proc.name = a\n");
    for i in 1..=40 {
        s.push_str(&format!(
            "- macro: m{i}\n  condition: (m{p} or m{p})\n",
            p = i - 1
        ));
    }
    s.push_str(
        "- rule: r\n  desc: d\n  condition: evt.type = open and m40\n  output: o\n  priority: INFO\n",
    );
    s
}

#[test]
fn nested_macros_bomb_is_refused() {
    refused(
        "macro-bomb",
        &macro_bomb(),
        "condition is too large with its macros expanded (more than 100000 nodes)",
    );
}

#[test]
fn sighup_with_a_rules_bomb_keeps_the_old_rules() {
    let dir = scratch("sighup-bomb");
    let rules = dir.join("rules.yaml");
    std::fs::write(
        &rules,
        "- rule: before\n  desc: d\n  condition: evt.type in (open, openat) and evt.dir = < and proc.name = cat\n  output: \"before %fd.name\"\n  priority: WARNING\n",
    )
    .unwrap();
    let cfg = config(&dir, "");
    let (head, quiet, rest) = cat_write_pieces();
    let mut live = Live::start(&dir, &cfg, &["-r", rules.to_str().unwrap()]);
    live.write(&head);
    live.wait_stdout(2);
    std::fs::write(&rules, macro_bomb()).unwrap();
    live.signal(libc::SIGHUP);
    live.wait_log("Reload failed, keeping the running configuration and rules");
    live.write(&quiet);
    live.write(&rest);
    let (out, log) = live.finish();
    // The alerts, up to Falco's exit summary (the drop summary goes to stderr, as Falco's).
    let lines: Vec<&str> = out
        .lines()
        .take_while(|l| !l.starts_with("Events detected"))
        .collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines.iter().all(|l| l.contains("Warning before ")), "{out}");
    assert!(
        log.iter().any(|l| l.contains("more than 100000 nodes")),
        "{log:#?}"
    );
}
