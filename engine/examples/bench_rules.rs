//! Rule-matching benchmark: replays one capture three times — with no rules, with the default
//! rules, and with 200 generated rules — and prints events/s and the overhead against the 0-rule
//! replay of the same run (`make bench-rules`).
//!
//!     bench_rules CAPTURE RULES.yaml

use std::time::Instant;

use falco_engine::inspector::Inspector;
use falco_engine::rules::RuleEngine;

/// 200 rules in the default rules' style: event-type restricted, string and list tests.
fn generated_rules() -> String {
    let mut y = String::from(
        "- macro: gen_spawned\n  condition: evt.type in (execve, execveat) and evt.dir = <\n- list: gen_names\n  items: [gen_a, gen_b, gen_c, gen_d, gen_e, gen_f, gen_g, gen_h, gen_i, gen_j]\n",
    );
    for i in 0..200 {
        let cond = match i % 5 {
            0 => format!(
                "evt.type in (open, openat, openat2) and evt.dir = < and fd.name startswith /gen/{i}/"
            ),
            1 => format!("gen_spawned and proc.name = gen{i} and not proc.pname in (gen_names)"),
            2 => format!(
                "evt.type = connect and evt.dir = < and fd.sport = {}",
                10000 + i
            ),
            3 => format!(
                "evt.type in (read, write) and fd.name pmatch (/gen/{i}) and proc.aname = gen{i}"
            ),
            _ => format!(
                "gen_spawned and proc.cmdline contains \"--gen-{i}\" and user.uid = {}",
                5000 + i
            ),
        };
        y.push_str(&format!(
            "- rule: generated {i}\n  desc: generated\n  condition: {cond}\n  output: gen {i} %proc.name %fd.name\n  priority: NOTICE\n"
        ));
    }
    y
}

/// Profiling aid (BENCH_RULES_ONLY=ctx): build the field context but match nothing.
static CTX_ONLY: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Replays the capture with `engine` (or none); returns (events, seconds, matches).
fn replay(capture: &str, mut engine: Option<&mut RuleEngine>) -> (u64, f64, u64) {
    let mut insp = Inspector::open(capture).expect("open capture");
    let start = Instant::now();
    let mut n = 0u64;
    let mut matches = 0u64;
    while let Some(p) = insp.next().expect("read capture") {
        n += 1;
        // As the daemon does: build the field context only for events some rule can match.
        if let Some(e) = engine.as_deref_mut()
            && e.has_rules_for_event(&p.event)
        {
            if CTX_ONLY.load(std::sync::atomic::Ordering::Relaxed) {
                std::hint::black_box(p.ctx());
            } else if let Some(m) = e.process_event(&p.ctx()) {
                matches += m.len() as u64;
            }
        }
    }
    (n, start.elapsed().as_secs_f64(), matches)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [capture, rules] = args.as_slice() else {
        eprintln!("usage: bench_rules CAPTURE RULES.yaml");
        std::process::exit(2);
    };
    let mut default = RuleEngine::new();
    default
        .load_rules_file(rules.as_ref())
        .expect("default rules");
    let mut generated = RuleEngine::new();
    generated
        .load_rules(&generated_rules(), "generated.yaml")
        .expect("generated rules");
    // Warm the page cache, then measure each configuration; best of 3 damps noise.
    replay(capture, None);
    let best = |engine: &mut Option<&mut RuleEngine>| {
        (0..3)
            .map(|_| replay(capture, engine.as_deref_mut()))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("3 runs")
    };
    // BENCH_RULES_ONLY=default (or generated) skips the other rule set, for profiling.
    let only = std::env::var("BENCH_RULES_ONLY").unwrap_or_default();
    CTX_ONLY.store(only == "ctx", std::sync::atomic::Ordering::Relaxed);
    let base = best(&mut None);
    let with_default = if only == "generated" {
        base
    } else {
        best(&mut Some(&mut default))
    };
    let with_generated = if only == "default" {
        base
    } else {
        best(&mut Some(&mut generated))
    };
    println!("capture: {capture} ({} events)", base.0);
    let rate = |r: (u64, f64, u64)| r.0 as f64 / r.1;
    for (name, r, rules) in [
        ("0 rules", base, 0),
        ("default rules", with_default, default.rules().count()),
        (
            "200 generated rules",
            with_generated,
            generated.rules().count(),
        ),
    ] {
        println!(
            "{name:<22} {rules:>4} rules  {:>12.0} events/s  {:>7.3} s  overhead x{:.3}  matches {}",
            rate(r),
            r.1,
            r.1 / base.1,
            r.2
        );
    }
}
