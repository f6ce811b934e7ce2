//! Runs the cases of rule test files: each capture is replayed once per set of rules (cases that
//! share both share the alerts), then each case's expectations are checked against the alerts.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use falco_engine::inspector::Inspector;
use falco_engine::rules::{Priority, RuleEngine, RuleMatching};

use super::spec::{Case, Expect, OtherAlerts};

/// One alert of a replay, with its fields as text.
#[derive(Debug, Clone)]
pub struct Alert {
    pub rule: String,
    pub priority: Priority,
    pub output: String,
    pub fields: Vec<(String, Option<String>)>,
}

impl Alert {
    fn field(&self, name: &str) -> Option<Option<&str>> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_deref())
    }

    fn matches(&self, e: &Expect) -> bool {
        self.rule == e.rule
            && e.priority.is_none_or(|p| p == self.priority)
            && e.output
                .as_ref()
                .is_none_or(|o| self.output.contains(o.as_str()))
            && e.output_fields.iter().all(|(k, want)| match self.field(k) {
                // A field the output does not name cannot be checked: a mistake in the test.
                None => false,
                Some(got) => match want {
                    None => got.is_none() || got == Some("<NA>"),
                    Some(w) => got == Some(w.as_str()),
                },
            })
    }
}

/// The outcome of one case.
pub struct Outcome {
    pub name: String,
    /// Empty when the case passed; otherwise what went wrong, one line each.
    pub failures: Vec<String>,
}

#[derive(PartialEq, Eq, Hash, Clone)]
struct ReplayKey {
    capture: PathBuf,
    rules: Vec<PathBuf>,
    rules_content: Option<String>,
    disable_rules: Vec<String>,
    tags: Vec<String>,
    match_all: bool,
}

/// Replays captures with rules, remembering the alerts of each combination.
#[derive(Default)]
pub struct Runner {
    replays: HashMap<ReplayKey, Result<Vec<Alert>, String>>,
}

fn replay(key: &ReplayKey) -> Result<Vec<Alert>, String> {
    let mut engine = RuleEngine::new();
    if !key.rules.is_empty() {
        engine
            .load_rules_paths(&key.rules)
            .map_err(|e| format!("cannot load rules: {e}"))?;
    }
    if let Some(text) = &key.rules_content {
        engine
            .load_rules(text, "rules_content")
            .map_err(|e| format!("cannot load rules_content: {e}"))?;
    }
    if !key.tags.is_empty() {
        engine.enable_rule("", false);
        let tags: Vec<&str> = key.tags.iter().map(String::as_str).collect();
        engine.enable_rule_by_tag(&tags, true);
    }
    for name in &key.disable_rules {
        if engine.describe_rule(name).is_none() {
            return Err(format!("disable_rules: no rule named '{name}'"));
        }
        engine.enable_rule_exact(name, false);
    }
    engine.set_rule_matching(if key.match_all {
        RuleMatching::All
    } else {
        RuleMatching::First
    });
    let mut insp = Inspector::open(&key.capture)
        .map_err(|e| format!("cannot open capture {}: {e}", key.capture.display()))?;
    let mut out = Vec::new();
    loop {
        let p = match insp.next() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => return Err(format!("capture {}: {e}", key.capture.display())),
        };
        for m in engine.process_event(&p.ctx()).into_iter().flatten() {
            out.push(Alert {
                rule: m.rule.to_string(),
                priority: m.priority,
                output: m.output,
                fields: m
                    .output_fields
                    .into_iter()
                    .map(|(k, v)| (k, v.map(|v| v.to_text())))
                    .collect(),
            });
        }
    }
    Ok(out)
}

fn describe(e: &Expect) -> String {
    let mut s = format!("'{}'", e.rule);
    for (k, v) in &e.output_fields {
        let _ = write!(s, " {k}={}", v.as_deref().unwrap_or("<NA>"));
    }
    if let Some(p) = e.priority {
        let _ = write!(s, " priority={p}");
    }
    if let Some(o) = &e.output {
        let _ = write!(s, " output~{o:?}");
    }
    s
}

fn brief(a: &Alert) -> String {
    format!("{} {}: {}", a.priority, a.rule, a.output)
}

/// Checks `alerts` against the case; returns the failures.
pub fn check(case: &Case, alerts: &[Alert]) -> Vec<String> {
    let mut failures = Vec::new();
    for e in &case.expect {
        let hits: Vec<&Alert> = alerts.iter().filter(|a| a.matches(e)).collect();
        if hits.len() != e.count {
            let mut msg = format!(
                "expected {} alert(s) of {}, got {}",
                e.count,
                describe(e),
                hits.len()
            );
            let same_rule: Vec<&Alert> = alerts.iter().filter(|a| a.rule == e.rule).collect();
            if hits.len() < e.count && same_rule.len() > hits.len() {
                for a in same_rule.iter().take(3) {
                    let _ = write!(msg, "\n      alert of that rule: {}", brief(a));
                    for (k, _) in &e.output_fields {
                        if a.field(k).is_none() {
                            let _ = write!(msg, "\n      (its output has no field {k})");
                        }
                    }
                }
            }
            failures.push(msg);
        }
    }
    if case.other_alerts == OtherAlerts::Fail {
        let mut unexpected: Vec<&Alert> = alerts
            .iter()
            .filter(|a| !case.expect.iter().any(|e| e.rule == a.rule))
            .collect();
        if !unexpected.is_empty() {
            let n = unexpected.len();
            unexpected.truncate(5);
            let mut msg = format!("{n} unexpected alert(s):");
            for a in unexpected {
                let _ = write!(msg, "\n      {}", brief(a));
            }
            failures.push(msg);
        }
    }
    failures
}

impl Runner {
    pub fn run(&mut self, case: &Case) -> Outcome {
        let key = ReplayKey {
            capture: case.capture.clone(),
            rules: case.rules.clone(),
            rules_content: case.rules_content.clone(),
            disable_rules: case.disable_rules.clone(),
            tags: case.tags.clone(),
            match_all: case.match_all,
        };
        let alerts = self
            .replays
            .entry(key.clone())
            .or_insert_with(|| replay(&key));
        let failures = match alerts {
            Ok(alerts) => check(case, alerts),
            Err(e) => vec![e.clone()],
        };
        Outcome {
            name: case.name.clone(),
            failures,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(rule: &str, fields: &[(&str, Option<&str>)]) -> Alert {
        Alert {
            rule: rule.into(),
            priority: Priority::Warning,
            output: format!("{rule} happened"),
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
        }
    }

    fn case(expect: Vec<Expect>, other: OtherAlerts) -> Case {
        Case {
            name: "c".into(),
            capture: PathBuf::new(),
            rules: Vec::new(),
            rules_content: None,
            disable_rules: Vec::new(),
            tags: Vec::new(),
            match_all: false,
            other_alerts: other,
            expect,
        }
    }

    fn expect(rule: &str, count: usize, fields: &[(&str, Option<&str>)]) -> Expect {
        Expect {
            rule: rule.into(),
            count,
            priority: None,
            output: None,
            output_fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.map(str::to_string)))
                .collect(),
        }
    }

    #[test]
    fn counts_fields_and_unexpected_alerts_decide() {
        let alerts = vec![
            alert("A", &[("proc.name", Some("bash")), ("k8s.pod.name", None)]),
            alert("A", &[("proc.name", Some("sh")), ("k8s.pod.name", None)]),
            alert("B", &[]),
        ];
        let ok = case(
            vec![
                expect(
                    "A",
                    1,
                    &[("proc.name", Some("bash")), ("k8s.pod.name", None)],
                ),
                expect("A", 2, &[]),
            ],
            OtherAlerts::Ignore,
        );
        assert!(check(&ok, &alerts).is_empty());
        // B is not expected.
        let strict = case(vec![expect("A", 2, &[])], OtherAlerts::Fail);
        let f = check(&strict, &alerts);
        assert_eq!(f.len(), 1);
        assert!(
            f[0].contains("1 unexpected alert") && f[0].contains("B happened"),
            "{f:?}"
        );
        // Wrong value, and a field the output does not carry.
        let wrong = case(
            vec![
                expect("A", 1, &[("proc.name", Some("zsh"))]),
                expect("A", 1, &[("fd.name", Some("/x"))]),
            ],
            OtherAlerts::Ignore,
        );
        let f = check(&wrong, &alerts);
        assert_eq!(f.len(), 2, "{f:?}");
        assert!(
            f[0].contains("got 0") && f[0].contains("alert of that rule"),
            "{f:?}"
        );
        assert!(f[1].contains("has no field fd.name"), "{f:?}");
        // Count 0: the rule must not fire.
        let none = case(vec![expect("B", 0, &[])], OtherAlerts::Ignore);
        assert_eq!(check(&none, &alerts).len(), 1);
    }
}
