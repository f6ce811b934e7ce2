//! Rule test files: YAML documents that name a capture, the rules to load, and the alerts the
//! replay must raise. docs/rules.md ("Testing rules") describes the format; `parse` is its
//! definition.

use std::path::{Path, PathBuf};

use falco_engine::rules::Priority;
use yaml_rust2::{Yaml, YamlLoader};

/// What a test file can get wrong; each message names the case and key.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{file}: cannot read: {source}")]
    Read {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}: invalid YAML: {msg}")]
    Yaml { file: String, msg: String },
    #[error("{file}: {at}: {msg}")]
    Invalid {
        file: String,
        at: String,
        msg: String,
    },
}

/// How alerts of rules that no expectation names are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherAlerts {
    /// They fail the case (the default: the capture raises exactly what is expected).
    Fail,
    /// They are ignored (the case checks some rules of a capture that triggers many).
    Ignore,
}

/// One expected alert group: `count` alerts of `rule` whose fields match.
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    pub rule: String,
    pub count: usize,
    pub priority: Option<Priority>,
    /// A substring of the rendered output.
    pub output: Option<String>,
    /// Field name and expected text (None: the field must be missing, printed `<NA>`).
    pub output_fields: Vec<(String, Option<String>)>,
}

/// One test case: replay `capture` with `rules` (then `rules_content`), compare the alerts.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub name: String,
    pub capture: PathBuf,
    pub rules: Vec<PathBuf>,
    pub rules_content: Option<String>,
    /// Rule names turned off after loading (as -D does, by exact name).
    pub disable_rules: Vec<String>,
    /// When not empty, only the rules with one of these tags run (as -t does).
    pub tags: Vec<String>,
    /// Falco's rule_matching: false = first (Falco's default), true = all.
    pub match_all: bool,
    pub other_alerts: OtherAlerts,
    pub expect: Vec<Expect>,
}

/// Where relative paths of a test file are looked up.
pub struct Resolver<'a> {
    /// The test file's folder.
    pub base: &'a Path,
    /// Extra folders for captures (`falco test --capture-dir`), after `base`.
    pub capture_dirs: &'a [PathBuf],
}

impl Resolver<'_> {
    fn path(&self, p: &str) -> PathBuf {
        let p = Path::new(p);
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.base.join(p)
        }
    }

    fn capture(&self, p: &str) -> PathBuf {
        let direct = self.path(p);
        if direct.exists() || Path::new(p).is_absolute() {
            return direct;
        }
        self.capture_dirs
            .iter()
            .map(|d| d.join(p))
            .find(|c| c.exists())
            .unwrap_or(direct)
    }
}

fn scalar(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

struct Ctx<'a> {
    file: &'a str,
    at: String,
}

impl Ctx<'_> {
    fn err(&self, msg: impl Into<String>) -> SpecError {
        SpecError::Invalid {
            file: self.file.to_string(),
            at: self.at.clone(),
            msg: msg.into(),
        }
    }

    fn str_list(&self, y: &Yaml, key: &str) -> Result<Vec<String>, SpecError> {
        match y {
            Yaml::BadValue => Ok(Vec::new()),
            Yaml::Array(a) => a
                .iter()
                .map(|i| scalar(i).ok_or_else(|| self.err(format!("{key}: items must be strings"))))
                .collect(),
            other => scalar(other)
                .map(|s| vec![s])
                .ok_or_else(|| self.err(format!("{key}: expected a list of strings"))),
        }
    }

    fn check_keys(&self, y: &Yaml, allowed: &[&str]) -> Result<(), SpecError> {
        let Yaml::Hash(h) = y else {
            return Err(self.err("expected a mapping"));
        };
        for k in h.keys() {
            let k = k.as_str().unwrap_or("");
            if !allowed.contains(&k) {
                return Err(self.err(format!("unknown key '{k}' (known: {})", allowed.join(", "))));
            }
        }
        Ok(())
    }
}

const FILE_KEYS: &[&str] = &[
    "capture",
    "rules",
    "rules_content",
    "rule_matching",
    "cases",
];
const CASE_KEYS: &[&str] = &[
    "name",
    "capture",
    "rules",
    "rules_content",
    "disable_rules",
    "tags",
    "rule_matching",
    "other_alerts",
    "expect",
];
const EXPECT_KEYS: &[&str] = &["rule", "count", "priority", "output", "output_fields"];

fn parse_expect(c: &Ctx<'_>, y: &Yaml) -> Result<Expect, SpecError> {
    c.check_keys(y, EXPECT_KEYS)?;
    let rule = y["rule"]
        .as_str()
        .ok_or_else(|| c.err("an expectation needs a rule name (rule:)"))?
        .to_string();
    let count = match &y["count"] {
        Yaml::BadValue => 1,
        Yaml::Integer(n) if *n >= 0 => *n as usize,
        _ => return Err(c.err(format!("rule '{rule}': count must be a whole number >= 0"))),
    };
    let priority = match &y["priority"] {
        Yaml::BadValue => None,
        p => Some(
            scalar(p)
                .and_then(|s| s.parse::<Priority>().ok())
                .ok_or_else(|| c.err(format!("rule '{rule}': unknown priority")))?,
        ),
    };
    let output = match &y["output"] {
        Yaml::BadValue => None,
        o => Some(scalar(o).ok_or_else(|| c.err("output must be a string"))?),
    };
    let mut output_fields = Vec::new();
    match &y["output_fields"] {
        Yaml::BadValue => {}
        Yaml::Hash(h) => {
            for (k, v) in h {
                let k = scalar(k).ok_or_else(|| c.err("output_fields keys are field names"))?;
                let v = match v {
                    Yaml::Null => None,
                    v => Some(scalar(v).ok_or_else(|| {
                        c.err(format!("output_fields.{k}: expected a scalar value"))
                    })?),
                };
                output_fields.push((k, v));
            }
        }
        _ => return Err(c.err("output_fields must be a mapping of field: value")),
    }
    Ok(Expect {
        rule,
        count,
        priority,
        output,
        output_fields,
    })
}

fn match_all(c: &Ctx<'_>, y: &Yaml, default: bool) -> Result<bool, SpecError> {
    match y.as_str() {
        None if y.is_badvalue() => Ok(default),
        Some("first") => Ok(false),
        Some("all") => Ok(true),
        _ => Err(c.err("rule_matching must be first or all")),
    }
}

/// Parses the test file `text` (read from `file`); paths resolve with `r`.
pub fn parse(text: &str, file: &str, r: &Resolver<'_>) -> Result<Vec<Case>, SpecError> {
    let docs = YamlLoader::load_from_str(text).map_err(|e| SpecError::Yaml {
        file: file.to_string(),
        msg: e.to_string(),
    })?;
    let root = docs.first().cloned().unwrap_or(Yaml::Null);
    let top = Ctx {
        file,
        at: "top level".into(),
    };
    // A bare list of cases is accepted as well as the mapping form.
    let (defaults, cases) = match &root {
        Yaml::Array(a) => (Yaml::Hash(Default::default()), a.clone()),
        Yaml::Hash(_) => {
            top.check_keys(&root, FILE_KEYS)?;
            match &root["cases"] {
                Yaml::Array(a) => (root.clone(), a.clone()),
                _ => return Err(top.err("'cases' must be a list of test cases")),
            }
        }
        _ => return Err(top.err("a test file is a mapping with 'cases', or a list of cases")),
    };
    if cases.is_empty() {
        return Err(top.err("no test cases"));
    }
    let default_rules = top.str_list(&defaults["rules"], "rules")?;
    let default_matching = match_all(&top, &defaults["rule_matching"], false)?;
    let mut out = Vec::new();
    for (i, y) in cases.iter().enumerate() {
        let name = y["name"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("case {}", i + 1));
        let c = Ctx {
            file,
            at: format!("case '{name}'"),
        };
        c.check_keys(y, CASE_KEYS)?;
        let capture = y["capture"]
            .as_str()
            .or_else(|| defaults["capture"].as_str())
            .ok_or_else(|| c.err("no capture (set capture: in the case or at the top level)"))?;
        let rules = match &y["rules"] {
            Yaml::BadValue => default_rules.clone(),
            v => c.str_list(v, "rules")?,
        };
        let rules_content = y["rules_content"]
            .as_str()
            .or_else(|| defaults["rules_content"].as_str())
            .map(str::to_string);
        if rules.is_empty() && rules_content.is_none() {
            return Err(c.err("no rules (rules: files, or rules_content: inline YAML)"));
        }
        let other_alerts = match y["other_alerts"].as_str() {
            None if y["other_alerts"].is_badvalue() => OtherAlerts::Fail,
            Some("fail") => OtherAlerts::Fail,
            Some("ignore") => OtherAlerts::Ignore,
            _ => return Err(c.err("other_alerts must be fail or ignore")),
        };
        let expect = match &y["expect"] {
            Yaml::BadValue | Yaml::Null => Vec::new(),
            Yaml::Array(a) => a
                .iter()
                .map(|e| parse_expect(&c, e))
                .collect::<Result<_, _>>()?,
            _ => return Err(c.err("expect must be a list (an empty list: no alert at all)")),
        };
        out.push(Case {
            name,
            capture: r.capture(capture),
            rules: rules.iter().map(|p| r.path(p)).collect(),
            rules_content,
            disable_rules: c.str_list(&y["disable_rules"], "disable_rules")?,
            tags: c.str_list(&y["tags"], "tags")?,
            match_all: match_all(&c, &y["rule_matching"], default_matching)?,
            other_alerts,
            expect,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Result<Vec<Case>, SpecError> {
        let r = Resolver {
            base: Path::new("/t"),
            capture_dirs: &[],
        };
        parse(text, "t.yaml", &r)
    }

    #[test]
    fn defaults_apply_to_cases_and_paths_resolve_next_to_the_file() {
        let cases = p("rules: [r.yaml]\ncapture: c.scap\ncases:\n  - name: a\n    expect:\n      - rule: R\n        output_fields: {proc.name: bash, fd.num: 3, k8s.pod.name: ~}\n  - name: b\n    capture: /abs.scap\n    rule_matching: all\n    other_alerts: ignore\n    expect: []\n").unwrap();
        assert_eq!(cases.len(), 2);
        assert_eq!(cases[0].capture, Path::new("/t/c.scap"));
        assert_eq!(cases[0].rules, vec![PathBuf::from("/t/r.yaml")]);
        let e = &cases[0].expect[0];
        assert_eq!(e.count, 1);
        assert_eq!(
            e.output_fields,
            vec![
                ("proc.name".into(), Some("bash".into())),
                ("fd.num".into(), Some("3".into())),
                ("k8s.pod.name".into(), None)
            ]
        );
        assert_eq!(cases[1].capture, Path::new("/abs.scap"));
        assert!(cases[1].match_all);
        assert_eq!(cases[1].other_alerts, OtherAlerts::Ignore);
        assert!(cases[1].expect.is_empty());
    }

    #[test]
    fn mistakes_name_the_case_and_key() {
        let e = p("cases:\n  - name: x\n    capture: c\n    rules: [r]\n    expect:\n      - rule: R\n        cout: 2\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("case 'x'") && e.contains("unknown key 'cout'"),
            "{e}"
        );
        let e = p("cases:\n  - name: y\n    rules: [r]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no capture"), "{e}");
        let e = p("cases: [{name: z, capture: c}]\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no rules"), "{e}");
        assert!(p("cases: [").is_err());
    }
}
