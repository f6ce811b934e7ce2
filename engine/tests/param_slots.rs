//! A parameter's position cached per event type (`param_index!`) is the one a scan of the
//! event's own layout finds, on every event of the shipped traces: old captures whose events carry
//! fewer parameters than today's layout included.

mod common;

use falco_engine::inspector::Inspector;
use falco_engine::param_index;

#[test]
fn cached_parameter_positions_equal_a_scan_on_every_event() {
    let traces = common::shipped_traces();
    let (mut events, mut short, mut found) = (0, 0, 0);
    for trace in &traces {
        let mut insp = Inspector::open(trace).unwrap();
        while let Some(p) = insp.next().unwrap() {
            let e = &p.event;
            let cached = [
                param_index!(e, "fd"),
                param_index!(e, "res"),
                param_index!(e, "flags"),
                param_index!(e, "name"),
                param_index!(e, "tuple"),
                param_index!(e, "cgroups"),
                param_index!(e, "dirfd"),
            ];
            let names = ["fd", "res", "flags", "name", "tuple", "cgroups", "dirfd"];
            for (c, n) in cached.iter().zip(names) {
                assert_eq!(
                    *c,
                    e.param_index(n),
                    "{n} of event {} ({}) in {}",
                    p.num,
                    e.name(),
                    trace.display()
                );
                found += c.is_some() as usize;
            }
            events += 1;
            short += e.info().is_some_and(|i| e.nparams() < i.params.len()) as usize;
        }
    }
    assert!(
        events > 10_000 && found > 10_000,
        "{events} events, {found} found"
    );
    assert!(short > 0, "no event with fewer parameters than its layout");
}
