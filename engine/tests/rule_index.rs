//! The rule index by event type leaves out the enter events on which a condition can never hold
//! (`open_read` names `openat`, but tests fields only exit events have; the fd an open makes has no
//! name on its enter event), and that changes no result: the fixed values it assumes are the ones
//! extraction gives on every enter event of the shipped traces.

mod common;

use falco_engine::fields::{Field, value_on_enter};
use falco_engine::inspector::Inspector;
use falco_engine::rules::RuleEngine;
use falco_engine::schema::{Direction, ev};

#[test]
fn enter_events_give_the_fixed_values_the_rule_index_assumes() {
    let names = [
        "evt.is_open_read",
        "evt.is_open_write",
        "evt.is_open_exec",
        "evt.is_open_create",
        "evt.failed",
        "evt.res",
        "evt.rawres",
        "fd.name",
        "fd.nameraw",
        "fd.directory",
    ];
    let fields: Vec<Field> = names
        .iter()
        .map(|n| Field::parse(n, None).unwrap())
        .collect();
    let mut checked = 0;
    let mut fixed_for = vec![0; names.len()];
    let traces = common::shipped_traces();
    for trace in &traces {
        let mut insp = Inspector::open(trace).unwrap();
        while let Some(p) = insp.next().unwrap() {
            if Direction::of(p.event.event_type) != Direction::Enter {
                continue;
            }
            let ctx = p.ctx();
            for (i, (f, name)) in fields.iter().zip(names).enumerate() {
                // The fd's fields are fixed only on the enter events of syscalls that take no fd.
                let Some(fixed) = value_on_enter(f.id, p.event.event_type) else {
                    continue;
                };
                fixed_for[i] += 1;
                assert_eq!(
                    f.extract(&ctx),
                    fixed,
                    "{name} on event {} ({}) of {}",
                    p.num,
                    p.event.name(),
                    trace.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 10_000, "only {checked} enter events");
    for (n, name) in fixed_for.iter().zip(names) {
        assert!(*n > 1_000, "{name} fixed on only {n} enter events");
    }
}

/// An engine with the rules of `yaml`.
fn engine(yaml: &str) -> RuleEngine {
    let mut e = RuleEngine::new();
    e.load_rules(yaml, "index.yaml").unwrap();
    e
}

#[test]
fn rules_are_not_indexed_on_enter_events_they_cannot_match() {
    let e = engine(
        r#"
- macro: open_read
  condition: (evt.type in (open,openat,openat2) and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)
- rule: read below etc
  desc: d
  condition: open_read and fd.name startswith /etc
  output: "%fd.name"
  priority: WARNING
- rule: failed connect
  desc: d
  condition: evt.type = connect and evt.res != SUCCESS
  output: "%fd.name"
  priority: WARNING
"#,
    );
    assert!(!e.has_rules_for(ev::SYSCALL_OPENAT_2_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_X));
    assert!(!e.has_rules_for(ev::SYSCALL_OPEN_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPEN_X));
    // `evt.res != SUCCESS` has no value on an enter event, so it is false there.
    assert!(!e.has_rules_for(ev::SOCKET_CONNECT_E));
    assert!(e.has_rules_for(ev::SOCKET_CONNECT_X));
    // The fd an open makes has no name, nor directory, on the open's enter event; a read's fd has.
    let e = engine(
        r#"
- rule: create below dev
  desc: d
  condition: evt.type in (open, openat, read) and evt.arg.flags contains O_CREAT and fd.directory = /dev
  output: "%fd.name"
  priority: WARNING
"#,
    );
    assert!(!e.has_rules_for(ev::SYSCALL_OPENAT_2_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_X));
    assert!(e.has_rules_for(ev::SYSCALL_READ_E));

    // A condition that can hold on an enter event keeps it.
    let e = engine(
        r#"
- rule: any openat
  desc: d
  condition: evt.type = openat and not evt.is_open_read=true
  output: "%fd.name"
  priority: WARNING
"#,
    );
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_X));
}
