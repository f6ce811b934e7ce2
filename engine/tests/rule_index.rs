//! The rule index by event type leaves out the enter events on which a condition can never hold
//! (`open_read` names `openat`, but tests fields only exit events have), and that changes no
//! result: the fixed values it assumes are the ones extraction gives on every enter event of the
//! shipped traces.

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
    ];
    let fields: Vec<Field> = names
        .iter()
        .map(|n| Field::parse(n, None).unwrap())
        .collect();
    let mut checked = 0;
    let traces = common::shipped_traces();
    for trace in &traces {
        let mut insp = Inspector::open(trace).unwrap();
        while let Some(p) = insp.next().unwrap() {
            if Direction::of(p.event.event_type) != Direction::Enter {
                continue;
            }
            let ctx = p.ctx();
            for (f, name) in fields.iter().zip(names) {
                let fixed = value_on_enter(f.id).expect("a field with a fixed value on enters");
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
}

#[test]
fn rules_are_not_indexed_on_enter_events_they_cannot_match() {
    let mut e = RuleEngine::new();
    let rules = r#"
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
"#;
    e.load_rules(rules, "index.yaml").unwrap();
    assert!(!e.has_rules_for(ev::SYSCALL_OPENAT_2_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_X));
    assert!(!e.has_rules_for(ev::SYSCALL_OPEN_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPEN_X));
    // `evt.res != SUCCESS` has no value on an enter event, so it is false there.
    assert!(!e.has_rules_for(ev::SOCKET_CONNECT_E));
    assert!(e.has_rules_for(ev::SOCKET_CONNECT_X));

    // A condition that can hold on an enter event keeps it.
    let mut e = RuleEngine::new();
    let rules = r#"
- rule: any openat
  desc: d
  condition: evt.type = openat and not evt.is_open_read=true
  output: "%fd.name"
  priority: WARNING
"#;
    e.load_rules(rules, "index.yaml").unwrap();
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_E));
    assert!(e.has_rules_for(ev::SYSCALL_OPENAT_2_X));
}
