//! Detection: the engine's rules, loaded from the configured files, with the rule selection
//! (falco.yaml's `rules:`, then the command line's -D, -T, -t), the priority threshold,
//! rule_matching, the -p output suffix and falco.yaml's output additions (append_output,
//! static_fields) applied.

use std::path::{Path, PathBuf};

use falco_engine::fields::Ctx;
use falco_engine::filter::EventTypeSet;
use falco_engine::rules::{self, RuleEngine, RulesError};

use crate::config::{Config, RuleMatching, RuleSelection};
use crate::output_extras::{self, Extras};
use crate::stats::RuleTable;

/// Which rules run, from the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    /// -D: rules whose name contains this (or matches it, when it is a regular expression).
    pub disable_names: Vec<String>,
    /// -T
    pub disable_tags: Vec<String>,
    /// -t: only these tags.
    pub enable_tags: Vec<String>,
    /// -p: appended to every rule's output.
    pub print: Option<String>,
}

pub struct Detector {
    engine: RuleEngine,
    /// falco.yaml's output additions, by rule index.
    extras: Vec<Option<Extras>>,
}

/// A `rules:` name pattern (`*` matches any text) as an anchored regular expression.
fn wildcard_regex(pattern: &str) -> String {
    let parts: Vec<String> = pattern.split('*').map(regex_escape).collect();
    format!("^{}$", parts.join(".*"))
}

fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Applies falco.yaml's `rules:` entries, in order.
fn apply_selection(engine: &mut RuleEngine, rules: &[RuleSelection]) -> Result<(), RulesError> {
    for sel in rules {
        let verb = if sel.enable { "Enabling" } else { "Disabling" };
        if let Some(r) = &sel.rule {
            crate::logger::info(&format!("{verb} rules with name: {r}"));
            engine.enable_rule_regex(&wildcard_regex(r), sel.enable)?;
        }
        if let Some(t) = &sel.tag {
            crate::logger::info(&format!("{verb} rules with tag: {t}"));
            engine.enable_rule_by_tag(&[t.as_str()], sel.enable);
        }
    }
    Ok(())
}

/// The format `-p` appends, and whether it stands in for `%container.info` (-pc/-pk).
fn print_suffix(p: &str) -> (String, bool) {
    match p {
        "c" | "container" => (
            "container_id=%container.id container_name=%container.name".to_string(),
            true,
        ),
        "k" | "kubernetes" => (
            "k8s_ns=%k8s.ns.name k8s_pod=%k8s.pod.name container_id=%container.id container_name=%container.name"
                .to_string(),
            true,
        ),
        other => (other.to_string(), false),
    }
}

fn looks_like_regex(s: &str) -> bool {
    s.chars().any(|c| "^$*+?[](){}|\\".contains(c))
}

/// The rules files of `paths` that exist; a missing directory-like path (no .yaml/.yml extension) is
/// skipped with a warning, as the packaged default lists /etc/falco/rules.d.
pub fn existing_rules_paths(paths: &[PathBuf], warnings: &mut Vec<String>) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|p| {
            let is_yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if !p.exists() && !is_yaml {
                warnings.push(format!(
                    "rules path {} does not exist (skipped)",
                    p.display()
                ));
                return false;
            }
            true
        })
        .cloned()
        .collect()
}

/// Why rules could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum DetectorError {
    #[error("{0}")]
    Rules(#[from] RulesError),
    /// Falco would run without a single rule (and say nothing); falco refuses to start blind.
    #[error(
        "no rules to load: {0} (name an existing rules file or directory with -r or rules_files)"
    )]
    NoRulesPath(String),
}

/// Every path of `paths` is missing (or there are none): nothing could ever match.
fn nothing_to_load(paths: &[PathBuf]) -> Option<DetectorError> {
    if paths.is_empty() {
        return Some(DetectorError::NoRulesPath("no rules path given".into()));
    }
    paths.iter().all(|p| !p.exists()).then(|| {
        let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        DetectorError::NoRulesPath(format!("{} does not exist", names.join(", ")))
    })
}

impl Detector {
    /// Loads the rules of `cfg.rules_files` (or `rules_override`) and applies the selection.
    /// Returns the detector and the load warnings (one line each).
    pub fn load(
        cfg: &Config,
        rules_files: &[PathBuf],
        sel: &Selection,
    ) -> Result<(Detector, Vec<String>), DetectorError> {
        if let Some(e) = nothing_to_load(rules_files) {
            return Err(e);
        }
        let mut warnings = Vec::new();
        let paths = existing_rules_paths(rules_files, &mut warnings);
        let mut engine = RuleEngine::new();
        let w = engine.load_rules_paths(&paths)?;
        warnings.extend(w.iter().map(|d| d.to_string()));
        Self::configure(&mut engine, cfg, sel)?;
        engine.set_output_fields(cfg.json_output && cfg.json_include_output_fields_property);
        engine.set_hostname(&crate::app::hostname());
        let extras = engine
            .rules()
            .map(|(r, _)| output_extras::for_rule(cfg, r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| RulesError::Output(e.to_string()))?;
        let mut d = Detector::from_engine(engine);
        d.extras = extras;
        Ok((d, warnings))
    }

    fn configure(engine: &mut RuleEngine, cfg: &Config, sel: &Selection) -> Result<(), RulesError> {
        apply_selection(engine, &cfg.rules_selection)?;
        if !sel.enable_tags.is_empty() {
            engine.enable_rule("", false);
            let tags: Vec<&str> = sel.enable_tags.iter().map(String::as_str).collect();
            engine.enable_rule_by_tag(&tags, true);
        }
        for d in &sel.disable_names {
            if looks_like_regex(d) {
                engine.enable_rule_regex(d, false)?;
            } else {
                engine.enable_rule(d, false);
            }
        }
        if !sel.disable_tags.is_empty() {
            let tags: Vec<&str> = sel.disable_tags.iter().map(String::as_str).collect();
            engine.enable_rule_by_tag(&tags, false);
        }
        engine.set_min_priority(cfg.priority);
        engine.set_rule_matching(match cfg.rule_matching {
            RuleMatching::First => rules::RuleMatching::First,
            RuleMatching::All => rules::RuleMatching::All,
        });
        if let Some(p) = &sel.print {
            let (extra, replace) = print_suffix(p);
            engine.set_extra_output(&extra, replace)?;
        }
        Ok(())
    }

    fn from_engine(engine: RuleEngine) -> Detector {
        Detector {
            engine,
            extras: Vec::new(),
        }
    }

    /// The counters table of these rules (load order), for statistics.
    pub fn rule_table(&self) -> RuleTable {
        RuleTable::new(
            self.engine
                .rules()
                .map(|(r, _)| (r.name.clone(), r.priority, r.source.clone(), r.tags.clone())),
        )
    }

    /// Rules that run (enabled and at or above the priority threshold).
    pub fn rule_count(&self) -> usize {
        self.engine.rules().filter(|(_, e)| *e).count()
    }

    pub fn engine(&self) -> &RuleEngine {
        &self.engine
    }

    /// What live capture must deliver for these rules: the event types they can match, and the
    /// ppm_sc codes of the syscalls without events of their own (generic events) they name.
    pub fn live_requirements(&self) -> (EventTypeSet, Vec<u16>) {
        (
            self.engine.required_event_types(),
            self.engine.required_generic_syscalls(),
        )
    }

    /// Whether some enabled rule can match `evt` (the cheap test to make before building its field
    /// context), and if not, whether the state needs it whole.
    #[inline]
    pub fn need(&self, evt: &falco_engine::event::Event<'_>) -> rules::Need {
        self.engine.need(evt)
    }

    /// Calls `f` for every rule that fires on the event (one with rule_matching first). The
    /// caller has checked [`Detector::need`].
    #[inline]
    pub fn for_each_match(&mut self, ctx: &Ctx<'_>, f: impl FnMut(&rules::RuleMatch)) {
        let Some(matches) = self.engine.process_event(ctx) else {
            return;
        };
        self.report(matches, Some(ctx), f);
    }

    /// Calls `f` for every `k8s_audit` rule that fires on audit event `ev` (number `num` of its
    /// stream).
    pub fn for_each_audit_match(
        &mut self,
        ev: &falco_engine::k8saudit::AuditEvent,
        num: u64,
        f: impl FnMut(&rules::RuleMatch),
    ) {
        if let Some(matches) = self.engine.process_audit_event(ev, num) {
            self.report(matches, None, f);
        }
    }

    /// Hands the matches to `f`, with the output extras (append_output, static_fields) of syscall
    /// rules applied (`ctx`: the syscall event; None for audit events, which have none of those).
    fn report(
        &self,
        matches: Vec<rules::RuleMatch>,
        ctx: Option<&Ctx<'_>>,
        mut f: impl FnMut(&rules::RuleMatch),
    ) {
        for mut m in matches {
            // The engine's rule positions are the rule table's.
            if let (Some(Some(x)), Some(ctx)) = (self.extras.get(m.index), ctx) {
                x.apply(ctx, &mut m.output, &mut m.output_fields);
            }
            f(&m);
        }
    }
}

/// Loads rules files into a fresh engine for listing (-L, -l) with the same selection.
pub fn load_for_listing(
    cfg: &Config,
    rules_files: &[PathBuf],
    sel: &Selection,
) -> Result<(RuleEngine, Vec<String>), DetectorError> {
    let (d, w) = Detector::load(cfg, rules_files, sel)?;
    Ok((d.engine, w))
}

/// Name and sha256 of each rules file (for metrics).
pub fn rules_file_digests(paths: &[PathBuf]) -> Vec<(String, String)> {
    let mut warnings = Vec::new();
    let files =
        rules::expand_paths(&existing_rules_paths(paths, &mut warnings)).unwrap_or_default();
    files
        .iter()
        .filter_map(|p| Some((file_name(p), sha256_file(p)?)))
        .collect()
}

pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    let d = sha2::Sha256::digest(bytes);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

fn sha256_file(p: &Path) -> Option<String> {
    std::fs::read(p).ok().map(|b| sha256_hex(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_wildcards_match_whole_names() {
        let mut e = RuleEngine::new();
        let rule = |n: &str, tag: &str| {
            format!(
                "- rule: {n}\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  tags: [{tag}]\n"
            )
        };
        let text = [
            rule("Write below etc", "fs"),
            rule("Do Write below etc", "fs"),
            rule("a.b (c)", "net"),
            rule("axb (c)", "net"),
        ]
        .concat();
        e.load_rules(&text, "t.yaml").unwrap();
        let sel = |enable, rule: Option<&str>, tag: Option<&str>| RuleSelection {
            enable,
            rule: rule.map(str::to_string),
            tag: tag.map(str::to_string),
        };
        apply_selection(
            &mut e,
            &[
                sel(false, Some("*"), None),
                sel(true, Some("Write below*"), None),
                sel(true, Some("a.b (c)"), None),
            ],
        )
        .unwrap();
        let on: Vec<_> = e
            .rules()
            .filter(|(_, on)| *on)
            .map(|(r, _)| r.name.clone())
            .collect();
        assert_eq!(on, ["Write below etc", "a.b (c)"]);
        apply_selection(&mut e, &[sel(false, None, Some("fs"))]).unwrap();
        let on: Vec<_> = e
            .rules()
            .filter(|(_, on)| *on)
            .map(|(r, _)| r.name.clone())
            .collect();
        assert_eq!(on, ["a.b (c)"]);
    }

    #[test]
    fn print_suffixes() {
        assert!(print_suffix("c").0.contains("%container.id"));
        assert!(print_suffix("k").0.contains("%k8s.pod.name"));
        assert_eq!(
            print_suffix("x=%proc.name"),
            ("x=%proc.name".to_string(), false)
        );
        assert!(looks_like_regex("^Write.*"));
        assert!(!looks_like_regex("Write below"));
    }

    #[test]
    fn missing_directories_are_skipped_missing_files_kept() {
        let mut w = Vec::new();
        let kept = existing_rules_paths(
            &[
                PathBuf::from("/nonexistent/rules.d"),
                PathBuf::from("/nonexistent/x.yaml"),
            ],
            &mut w,
        );
        assert_eq!(kept, vec![PathBuf::from("/nonexistent/x.yaml")]);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn only_missing_paths_is_an_error() {
        let e = nothing_to_load(&[PathBuf::from("/nonexistent/rules.d")]).unwrap();
        assert!(
            e.to_string()
                .contains("/nonexistent/rules.d does not exist"),
            "{e}"
        );
        assert!(nothing_to_load(&[]).is_some());
        assert!(
            nothing_to_load(&[PathBuf::from("/nonexistent/rules.d"), PathBuf::from("/")]).is_none()
        );
    }
}
