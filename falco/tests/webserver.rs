//! The embedded webserver: /healthz, /versions and Prometheus /metrics.

mod common;

use common::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::{Duration, Instant};

#[test]
fn webserver_healthz_and_prometheus_metrics() {
    let dir = scratch("webserver");
    let cfg = config(&dir, "");
    let mut child = falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .args([
            "-o",
            "webserver.enabled=true",
            "-o",
            "webserver.listen_address=127.0.0.1",
            "-o",
            "webserver.listen_port=0",
            "-o",
            "webserver.prometheus_metrics_enabled=true",
            "-M",
            "4",
            "-e",
        ])
        .arg(trace("cat_write.scap"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let err = BufReader::new(child.stderr.take().unwrap());
    let mut port = 0;
    let mut lines = err.lines();
    for l in lines.by_ref() {
        let l = l.unwrap();
        if let Some(addr) = l.split("listening on ").nth(1) {
            port = addr.rsplit(':').next().unwrap().trim().parse().unwrap();
            break;
        }
    }
    assert!(port > 0);
    std::thread::spawn(move || for _ in lines {});
    let (status, body) = http_get(port, "/healthz");
    assert_eq!(status, 200);
    assert!(body.contains("ok"));
    // The replay of a small trace is done well within the -M window; wait for its counters.
    let deadline = Instant::now() + Duration::from_secs(3);
    let samples = loop {
        let (status, text) = http_get(port, "/metrics");
        assert_eq!(status, 200);
        let samples = parse_prometheus(&text);
        let done = samples
            .iter()
            .any(|(n, _, v)| n == "falcosecurity_falco_events_processed_total" && *v == 345.0);
        if done || Instant::now() > deadline {
            break samples;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let get = |name: &str| {
        samples
            .iter()
            .filter(|(n, _, _)| n == name)
            .collect::<Vec<_>>()
    };
    let matches = get("falcosecurity_falco_rules_matches_total");
    assert_eq!(matches.len(), 1, "{samples:?}");
    let labels = &matches[0].1;
    assert!(labels.contains(&("rule_name".into(), "cat_write".into())));
    assert!(labels.contains(&("priority".into(), "4".into())));
    assert!(labels.contains(&("tag_filesystem".into(), "true".into())));
    assert_eq!(matches[0].2, 4.0);
    assert_eq!(get("falcosecurity_scap_n_drops_buffer_total")[0].2, 0.0);
    assert_eq!(
        get("falcosecurity_falco_outputs_queue_num_drops_total")[0].2,
        0.0
    );
    assert_eq!(get("falcosecurity_scap_n_evts_total")[0].2, 345.0);
    assert_eq!(
        get("falcosecurity_falco_version_info")[0].1[0],
        ("version".to_string(), env!("CARGO_PKG_VERSION").to_string())
    );
    let (status, _) = http_get(port, "/nope");
    assert_eq!(status, 404);
    assert!(child.wait().unwrap().success());
}
