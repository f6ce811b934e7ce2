//! Pieces every runtime's answer needs: labels with a length bound, Kubernetes probes from the
//! last-applied configuration, timestamps.

use falco_engine::state::containers::HealthProbe;
use serde_json::Value;

/// A JSON object of string labels as sorted pairs, leaving out values longer than `max`.
pub fn bounded(v: Option<&Value>, max: usize) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| {
                    let v = v.as_str()?;
                    (v.len() <= max).then(|| (k.clone(), v.to_string()))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Pairs with values longer than `max` left out, sorted.
pub fn bounded_pairs(
    pairs: impl IntoIterator<Item = (String, String)>,
    max: usize,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        pairs.into_iter().filter(|(_, v)| v.len() <= max).collect();
    out.sort();
    out
}

/// The label kubectl leaves on what it applied: the pod spec, with its probes.
const LAST_APPLIED: &str = "annotation.kubectl.kubernetes.io/last-applied-configuration";

/// Liveness and readiness probes (exec probes only) of the pod's first container, from the
/// last-applied configuration label when the container has it.
pub fn k8s_probes(labels: Option<&Value>) -> (Option<HealthProbe>, Option<HealthProbe>) {
    let Some(spec) = labels
        .and_then(|l| l.get(LAST_APPLIED))
        .and_then(Value::as_str)
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    else {
        return (None, None);
    };
    let Some(container) = spec.pointer("/spec/containers/0") else {
        return (None, None);
    };
    let probe = |k: &str| -> Option<HealthProbe> {
        let cmd: Vec<String> = container
            .get(k)?
            .pointer("/exec/command")?
            .as_array()?
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect();
        let (exe, args) = cmd.split_first()?;
        Some(HealthProbe {
            exe: exe.clone(),
            args: args.to_vec(),
        })
    };
    (probe("livenessProbe"), probe("readinessProbe"))
}

/// Seconds since the epoch of an RFC 3339 time (`2026-12-06T01:22:00.6708Z`, `...+02:00`); 0 when
/// it is not one (docker's zero time is year 1, which gives a negative number: also 0).
pub fn rfc3339_secs(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp().max(0))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn probes_from_last_applied() {
        let spec = json!({"spec": {"containers": [{"livenessProbe": {"exec": {"command": ["cat", "/ok"]}}}]}});
        let labels = json!({ LAST_APPLIED: spec.to_string() });
        let (l, r) = k8s_probes(Some(&labels));
        assert_eq!(l.unwrap().exe, "cat");
        assert!(r.is_none());
        assert_eq!(rfc3339_secs("1970-01-01T00:01:00+00:00"), 60);
        assert_eq!(rfc3339_secs("0001-01-01T00:00:00Z"), 0);
        assert_eq!(rfc3339_secs("junk"), 0);
    }
}
