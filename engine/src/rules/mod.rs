//! Falco rules: loading rules files (lists, macros, rules, `append`, `override`, exceptions),
//! choosing which rules run, and matching events against them.
//!
//! # Embedding
//!
//! [`RuleEngine`] is the whole API a program needs:
//!
//! ```no_run
//! use falco_engine::inspector::Inspector;
//! use falco_engine::rules::{Priority, RuleEngine, RuleMatching};
//!
//! let mut engine = RuleEngine::new();
//! for w in engine.load_rules_file("rules/falco_rules.yaml".as_ref())? {
//!     eprintln!("{w}"); // file:line:col: warning: rule 'X': ... (LOAD_NO_EVTTYPE)
//! }
//! engine.enable_rule("Read sensitive", false);          // substring, like -D
//! engine.enable_rule_by_tag(&["network"], false);        // like -T
//! engine.set_min_priority(Priority::Notice);
//! engine.set_rule_matching(RuleMatching::First);
//! let mut insp = Inspector::open("trace.scap")?;
//! while let Some(p) = insp.next()? {
//!     // Skip the events no enabled rule can match before building their field context.
//!     if !engine.has_rules_for_event(&p.event) {
//!         continue;
//!     }
//!     if let Some(matches) = engine.process_event(&p.ctx()) {
//!         for m in matches {
//!             println!("{} {}: {}", m.priority, m.rule, m.output);
//!         }
//!     }
//! }
//! println!("{:?}", engine.stats().by_rule());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Loading is all-or-nothing: when a file has errors, [`RuleEngine::load_rules`] returns
//! [`RulesError::Invalid`] with every error and warning (each with file:line:col) and the engine
//! keeps the rules it had. [`validate_rules_files`] checks files without an engine (`falco -V`).
//!
//! Rules are indexed by event type (generic events by syscall), so an event is only tested against
//! the rules whose condition can match it. Each rule's output format is compiled once, at load.
//!
//! API summary:
//! - loading: [`RuleEngine::load_rules_file`], [`RuleEngine::load_rules`] (content + name),
//!   [`RuleEngine::load_rules_paths`] (files and directories in order), [`RuleEngine::clear`];
//!   [`validate_rules_files`] for `-V`. Errors and warnings are [`Diagnostic`]s with
//!   file:line:col, item and Falco's code.
//! - selection: [`RuleEngine::enable_rule`] (substring), [`RuleEngine::enable_rule_exact`],
//!   [`RuleEngine::enable_rule_regex`], [`RuleEngine::enable_rule_by_tag`],
//!   [`RuleEngine::set_min_priority`], [`RuleEngine::set_rule_matching`],
//!   [`RuleEngine::set_extra_output`] (`-p`/`-pc`/`-pk`).
//! - matching: [`RuleEngine::has_rules_for_event`], [`RuleEngine::process_event`] →
//!   `Option<Vec<RuleMatch>>` (rule, priority, output, output_fields, tags, source, time).
//! - inspection: [`RuleEngine::describe_rule`], [`RuleEngine::rules`], [`RuleEngine::macros`],
//!   [`RuleEngine::lists`], [`RuleEngine::required_event_types`], [`RuleEngine::stats`].

pub mod collection;
pub mod compile;
pub mod diag;
mod index;
mod plan;
pub mod priority;
pub mod reader;
pub mod versions;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use compile::RuleInfo;
pub use diag::{Diagnostic, Location, RulesError, Severity};
pub use index::Need;
pub use priority::{Priority, PriorityError};
pub use versions::{BUILTIN_PLUGINS, BuiltinPlugin, ENGINE_VERSION};

use crate::fields::{Ctx, Value};
use crate::filter::EventTypeSet;
use crate::filter::program::Bodies;
use crate::output::Formatter;
use crate::schema::ev;
use collection::Collection;
use compile::CompiledRule;

/// Whether an event stops at the first matching rule (Falco's default) or reports every match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RuleMatching {
    #[default]
    First,
    All,
}

impl std::str::FromStr for RuleMatching {
    type Err = String;
    fn from_str(s: &str) -> Result<RuleMatching, String> {
        match s {
            "first" => Ok(RuleMatching::First),
            "all" => Ok(RuleMatching::All),
            _ => Err(format!(
                "invalid rule_matching '{s}': expected 'first' or 'all'"
            )),
        }
    }
}

/// One rule that matched one event.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleMatch {
    /// Position of the rule in [`RuleEngine::rules`] (syscall rules, then `k8s_audit` rules).
    pub index: usize,
    pub rule: Arc<str>,
    pub priority: Priority,
    /// The rule's output, rendered (missing values as `<NA>`). Without time or priority prefix.
    pub output: String,
    /// Every field the output names, in order of first use: its value, or None when missing.
    pub output_fields: Vec<(String, Option<Value<'static>>)>,
    pub tags: Arc<[String]>,
    pub source: Arc<str>,
    /// Event timestamp, nanoseconds since the epoch.
    pub time: u64,
    /// The rule's `capture: true` and `capture_duration` (ms), for capture on alert.
    pub capture: bool,
    pub capture_duration_ms: u64,
}

/// Match counters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleStats {
    /// Events given to [`RuleEngine::process_event`].
    pub events: u64,
    /// Matches reported.
    pub matches: u64,
    /// Per rule (in load order): name, priority, matches.
    pub rules: Vec<(String, Priority, u64)>,
}

impl RuleStats {
    /// (rule, count) for the rules that matched at least once.
    pub fn by_rule(&self) -> Vec<(&str, u64)> {
        self.rules
            .iter()
            .filter(|r| r.2 > 0)
            .map(|r| (r.0.as_str(), r.2))
            .collect()
    }

    /// (priority, count) for the priorities that matched at least once, most severe first.
    pub fn by_priority(&self) -> Vec<(Priority, u64)> {
        Priority::ALL
            .iter()
            .map(|p| {
                (
                    *p,
                    self.rules.iter().filter(|r| r.1 == *p).map(|r| r.2).sum(),
                )
            })
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// The rules engine: loaded rules, which are enabled, and match counters.
pub struct RuleEngine {
    collection: Collection,
    rules: Vec<CompiledRule>,
    enabled: Vec<bool>,
    counts: Vec<u64>,
    events: u64,
    matches: u64,
    min_priority: Priority,
    matching: RuleMatching,
    /// Whether matches carry their output fields (JSON outputs print them; text outputs do not).
    output_fields: bool,
    /// Rule indexes by event type id, enabled and at/above the threshold, in load order.
    index: Vec<Vec<u32>>,
    /// By event type id, how the rules of `index` are evaluated (positions in `index`).
    plans: Vec<plan::TypePlan>,
    /// The positions in a plan whose rules hold on the event being matched.
    held: Vec<u32>,
    /// The same for generic events, by syscall id (ppm_sc).
    generic_index: Vec<Vec<u32>>,
    /// The results of the subconditions the rules share, for the event being matched.
    memo: crate::filter::shared::Memo,
    extra_output: Option<(String, bool)>,
    /// The event sources rules may name; rules of others are skipped with a warning.
    sources: Vec<&'static str>,
    /// The rules of the `k8s_audit` source.
    audit: crate::k8saudit::ruleset::AuditRuleset,
    /// The first `k8s_audit` event's time (its `evt.reltime` origin), once one was matched.
    audit_first_ts: Option<u64>,
    /// `evt.hostname` of `k8s_audit` events.
    audit_hostname: String,
}

/// The event source of system calls (Falco's default).
pub const SYSCALL_SOURCE: &str = "syscall";

/// The first plugin requirement that neither a built-in plugin meets, as an error.
fn unsatisfied_plugin(col: &Collection) -> Option<Diagnostic> {
    col.required_plugins.iter().find_map(|req| {
        let ok = req.alternatives.iter().any(|(name, version)| {
            BUILTIN_PLUGINS.iter().any(|p| {
                p.name == name
                    && matches!(
                        (versions::Version::parse(p.version), versions::Version::parse(version)),
                        (Some(have), Some(want)) if have.compatible_with(want)
                    )
            })
        });
        (!ok).then(|| Diagnostic {
            severity: Severity::Error,
            code: diag::code::VALIDATE,
            location: req.loc.clone(),
            item: None,
            message: format!(
                "plugin requirement not satisfied, must load one of: {} (built in: {})",
                req.alternatives
                    .iter()
                    .map(|(n, v)| format!("{n} (>= {v})"))
                    .collect::<Vec<_>>()
                    .join(", "),
                BUILTIN_PLUGINS
                    .iter()
                    .map(|p| format!("{} {}", p.name, p.version))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })
    })
}

impl Default for RuleEngine {
    fn default() -> Self {
        RuleEngine::new()
    }
}

impl RuleEngine {
    pub fn new() -> RuleEngine {
        RuleEngine {
            collection: Collection::default(),
            rules: Vec::new(),
            enabled: Vec::new(),
            counts: Vec::new(),
            events: 0,
            matches: 0,
            min_priority: Priority::Debug,
            matching: RuleMatching::First,
            output_fields: true,
            index: Vec::new(),
            plans: Vec::new(),
            held: Vec::new(),
            generic_index: Vec::new(),
            memo: Default::default(),
            extra_output: None,
            sources: vec![SYSCALL_SOURCE, crate::k8saudit::SOURCE],
            audit: Default::default(),
            audit_first_ts: None,
            audit_hostname: String::new(),
        }
    }

    /// Loads rules from a file; see [`RuleEngine::load_rules`].
    pub fn load_rules_file(&mut self, path: &Path) -> Result<Vec<Diagnostic>, RulesError> {
        let content = std::fs::read(path).map_err(|source| RulesError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.load_many(&[(&content, &path.display().to_string())])
    }

    /// Loads files and directories in order; a directory's `*.yaml`/`*.yml` files load sorted by
    /// name. Returns the warnings of all of them.
    pub fn load_rules_paths(&mut self, paths: &[PathBuf]) -> Result<Vec<Diagnostic>, RulesError> {
        let mut contents = Vec::new();
        for p in expand_paths(paths)? {
            let c = std::fs::read(&p).map_err(|source| RulesError::Io {
                path: p.clone(),
                source,
            })?;
            contents.push((c, p.display().to_string()));
        }
        let refs: Vec<(&[u8], &str)> = contents
            .iter()
            .map(|(c, n)| (c.as_slice(), n.as_str()))
            .collect();
        self.load_many(&refs)
    }

    /// Adds the rules in `content` (named `name` in messages) to those already loaded, then
    /// recompiles. Items redefined here replace earlier ones; `append`/`override` modify them.
    /// Returns the warnings; on error nothing changes.
    pub fn load_rules(&mut self, content: &str, name: &str) -> Result<Vec<Diagnostic>, RulesError> {
        self.load_many(&[(content.as_bytes(), name)])
    }

    /// The event sources rules can be written for.
    pub fn sources(&self) -> &[&'static str] {
        &self.sources
    }

    fn load_many(&mut self, files: &[(&[u8], &str)]) -> Result<Vec<Diagnostic>, RulesError> {
        let mut col = self.collection.clone();
        let mut errors = Vec::new();
        let mut warnings = Vec::new();
        let check = |source: &str, field: &str| -> Option<Result<(), String>> {
            (source == SYSCALL_SOURCE)
                .then(|| crate::filter::check_operand(field).map_err(|e| e.kind.to_string()))
        };
        let sources = reader::Sources {
            names: &self.sources,
            check_field: &check,
        };
        for (content, name) in files {
            let (e, w) = reader::read(&mut col, content, name, &sources);
            warnings.extend(w);
            if !e.is_empty() {
                errors.extend(e);
                return Err(RulesError::Invalid { errors, warnings });
            }
        }
        if let Some(d) = unsatisfied_plugin(&col) {
            return Err(RulesError::Invalid {
                errors: vec![d],
                warnings,
            });
        }
        let compiled = compile::compile(&col, &self.sources);
        warnings.extend(compiled.warnings);
        if !compiled.errors.is_empty() {
            return Err(RulesError::Invalid {
                errors: compiled.errors,
                warnings,
            });
        }
        self.collection = col;
        let mut rules = compiled.rules;
        let slots = crate::filter::shared::share(rules.iter_mut().map(|r| r.filter.expr_mut()));
        let mut bodies = Bodies::default();
        rules
            .iter_mut()
            .for_each(|r| r.filter.recompile(&mut bodies));
        self.memo = crate::filter::shared::Memo::new(slots);
        self.install(rules)?;
        self.audit.install(compiled.audit);
        Ok(warnings)
    }

    /// Forgets every rule, macro and list.
    pub fn clear(&mut self) {
        self.collection = Collection::default();
        self.memo = Default::default();
        let _ = self.install(Vec::new());
        self.audit.install(Vec::new());
    }

    fn install(&mut self, mut rules: Vec<CompiledRule>) -> Result<(), RulesError> {
        if let Some((extra, replace)) = &self.extra_output {
            for r in &mut rules {
                r.formatter = formatter_with_extra(&r.output_text, extra, *replace)?;
            }
        }
        // Keep the enabled state and counts of rules that survive a reload.
        let old: std::collections::HashMap<&str, (bool, u64)> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (&*r.name, (self.enabled[i], self.counts[i])))
            .collect();
        let mut enabled = Vec::with_capacity(rules.len());
        let mut counts = Vec::with_capacity(rules.len());
        for r in &rules {
            let (e, c) = old
                .get(&*r.name)
                .copied()
                .unwrap_or((r.info.enabled_by_default, 0));
            enabled.push(if old.contains_key(&*r.name) {
                e
            } else {
                r.info.enabled_by_default
            });
            counts.push(c);
        }
        self.rules = rules;
        self.enabled = enabled;
        self.counts = counts;
        self.reindex();
        Ok(())
    }

    /// The rules to try on `evt`: by event type, or by syscall for generic events.
    #[inline]
    fn bucket(&self, evt: &crate::event::Event<'_>) -> Option<&[u32]> {
        let t = evt.event_type;
        let b = if t == ev::GENERIC_E || t == ev::GENERIC_X {
            let sc = evt.param_u64(0)?;
            self.generic_index.get(sc as usize)?
        } else {
            self.index.get(t as usize)?
        };
        (!b.is_empty()).then_some(b.as_slice())
    }

    /// Enables or disables every rule whose name contains `substring` (`""` = all rules).
    pub fn enable_rule(&mut self, substring: &str, enabled: bool) {
        self.set_enabled(|r| r.name.contains(substring), enabled);
    }

    /// Enables or disables the rule named exactly `name`.
    pub fn enable_rule_exact(&mut self, name: &str, enabled: bool) {
        self.set_enabled(|r| r.name == name, enabled);
    }

    /// Enables or disables the rules whose name matches the regular expression (anywhere in the
    /// name, as Falco's -D).
    pub fn enable_rule_regex(&mut self, pattern: &str, enabled: bool) -> Result<(), RulesError> {
        let re = regex::Regex::new(pattern).map_err(|e| RulesError::Pattern {
            pattern: pattern.to_string(),
            message: e.to_string(),
        })?;
        self.set_enabled(|r| re.is_match(&r.name), enabled);
        Ok(())
    }

    /// Enables or disables the rules that have any of `tags`.
    pub fn enable_rule_by_tag(&mut self, tags: &[&str], enabled: bool) {
        self.set_enabled(
            |r| r.tags.iter().any(|t| tags.contains(&t.as_str())),
            enabled,
        );
    }

    fn set_enabled(&mut self, pred: impl Fn(&RuleInfo) -> bool, enabled: bool) {
        self.audit.set_enabled(&pred, enabled);
        for (i, r) in self.rules.iter().enumerate() {
            if pred(&r.info) {
                self.enabled[i] = enabled;
            }
        }
        self.reindex();
    }

    /// Only rules at least this severe run (Falco's `priority` setting).
    pub fn set_min_priority(&mut self, p: Priority) {
        self.min_priority = p;
        self.audit.set_min_priority(p);
        self.reindex();
    }

    pub fn set_rule_matching(&mut self, m: RuleMatching) {
        self.matching = m;
    }

    /// Whether syscall matches carry [`RuleMatch::output_fields`] (on by default). Off, a match
    /// extracts and copies only what its output text needs.
    pub fn set_output_fields(&mut self, on: bool) {
        self.output_fields = on;
    }

    /// Adds `extra` (a format with %fields, e.g. Falco's -pc `container_id=%container.id`) to
    /// every rule's output: in place of `%container.info` when `replace_container_info` and the
    /// output has it, else at the end.
    pub fn set_extra_output(
        &mut self,
        extra: &str,
        replace_container_info: bool,
    ) -> Result<(), RulesError> {
        for r in &self.rules {
            formatter_with_extra(&r.output_text, extra, replace_container_info)?;
        }
        self.extra_output = Some((extra.to_string(), replace_container_info));
        let rules = std::mem::take(&mut self.rules);
        let (enabled, counts) = (self.enabled.clone(), self.counts.clone());
        self.install(rules)?;
        self.enabled = enabled;
        self.counts = counts;
        self.reindex();
        Ok(())
    }

    /// Matches one event. None when no rule matches (the common case allocates nothing).
    pub fn process_event(&mut self, ctx: &Ctx<'_>) -> Option<Vec<RuleMatch>> {
        self.events += 1;
        let t = ctx.evt.event_type;
        let generic = t == ev::GENERIC_E || t == ev::GENERIC_X;
        let bucket: &[u32] = if generic {
            self.generic_index.get(ctx.evt.param_u64(0)? as usize)?
        } else {
            self.index.get(t as usize)?
        };
        let mut out: Option<Vec<RuleMatch>> = None;
        self.memo.next_event();
        if generic {
            // Generic events carry many syscalls: their rules run the condition for all types.
            self.held.clear();
            for (n, &i) in bucket.iter().enumerate() {
                if self.rules[i as usize].filter.eval(ctx, &self.memo) {
                    self.held.push(n as u32);
                }
            }
        } else {
            self.plans[t as usize].eval(ctx, &self.memo, &mut self.held);
        }
        for &n in &self.held {
            let i = bucket[n as usize];
            let r = &self.rules[i as usize];
            let mut output = String::with_capacity(128);
            r.formatter.render(ctx, &mut output);
            // Only JSON outputs print the fields: text alerts skip extracting and copying them.
            let output_fields = if self.output_fields {
                r.formatter
                    .field_values(ctx)
                    .into_iter()
                    .map(|(k, v)| (k, v.map(Value::into_owned)))
                    .collect()
            } else {
                Vec::new()
            };
            self.counts[i as usize] += 1;
            self.matches += 1;
            out.get_or_insert_with(Vec::new).push(RuleMatch {
                index: i as usize,
                rule: r.name.clone(),
                priority: r.info.priority,
                output,
                output_fields,
                tags: r.tags.clone(),
                source: r.source.clone(),
                time: ctx.evt.ts,
                capture: r.info.capture,
                capture_duration_ms: r.info.capture_duration,
            });
            if self.matching == RuleMatching::First {
                break;
            }
        }
        out
    }

    /// The indexes of the enabled rules (at or above the priority threshold) whose condition
    /// holds on the event, each condition evaluated alone as it was compiled: no index, no
    /// per-type form, no plan. [`RuleEngine::process_event`] gives the same rules (tested on
    /// every event of the shipped traces); this is slower, for checking it.
    pub fn matches_by_condition(&self, ctx: &Ctx<'_>) -> Vec<usize> {
        let memo = crate::filter::shared::Memo::default();
        (0..self.rules.len())
            .filter(|&i| self.enabled[i] && self.rules[i].info.priority.at_least(self.min_priority))
            .filter(|&i| self.rules[i].filter.expr().eval(ctx, &memo))
            .collect()
    }

    /// True when some enabled rule could match events of this type (for early skipping).
    pub fn has_rules_for(&self, event_type: u16) -> bool {
        self.index
            .get(event_type as usize)
            .is_some_and(|b| !b.is_empty())
    }

    /// True when some enabled rule could match this event: like [`RuleEngine::has_rules_for`],
    /// and for generic events it also checks the syscall. Call it before building the field
    /// context ([`crate::inspector::Processed::ctx`]) to skip the events no rule wants.
    #[inline]
    pub fn has_rules_for_event(&self, evt: &crate::event::Event<'_>) -> bool {
        self.bucket(evt).is_some()
    }

    /// The rule named `name`.
    pub fn describe_rule(&self, name: &str) -> Option<&RuleInfo> {
        self.rules().map(|(r, _)| r).find(|r| r.name == name)
    }

    /// Every loaded rule with whether it is enabled now: the syscall rules in load order, then
    /// the `k8s_audit` rules in load order.
    pub fn rules(&self) -> impl Iterator<Item = (&RuleInfo, bool)> {
        self.rules
            .iter()
            .zip(&self.enabled)
            .map(|(r, e)| (&*r.info, *e))
            .chain(self.audit.rules())
    }

    /// Matches one `k8s_audit` event (`num`: its number in that source's stream). None when no
    /// rule matches.
    pub fn process_audit_event(
        &mut self,
        ev: &crate::k8saudit::AuditEvent,
        num: u64,
    ) -> Option<Vec<RuleMatch>> {
        let first_ts = *self.audit_first_ts.get_or_insert(ev.time());
        let info = crate::k8saudit::extract::EvtInfo {
            num,
            first_ts,
            hostname: &self.audit_hostname,
        };
        let mut matches = self.audit.process(ev, info, self.matching)?;
        // Audit rules come after the syscall rules in `rules()`.
        for m in &mut matches {
            m.index += self.rules.len();
        }
        Some(matches)
    }

    /// The host's name as `k8s_audit` events' `evt.hostname` gives it (syscall events take theirs
    /// from the state).
    pub fn set_hostname(&mut self, hostname: &str) {
        hostname.clone_into(&mut self.audit_hostname);
    }

    /// True when some enabled `k8s_audit` rule can match.
    pub fn has_audit_rules(&self) -> bool {
        self.audit.has_active_rules()
    }

    /// `k8s_audit` events matched so far.
    pub fn audit_events(&self) -> u64 {
        self.audit.events()
    }

    /// The macros loaded: (name, condition).
    pub fn macros(&self) -> impl Iterator<Item = (&str, String)> {
        self.collection
            .macros
            .iter()
            .map(|m| (m.name.as_str(), m.condition.joined()))
    }

    /// The lists loaded: (name, items).
    pub fn lists(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.collection
            .lists
            .iter()
            .map(|l| (l.name.as_str(), l.items.as_slice()))
    }

    /// The event types the enabled rules (at/above the priority threshold) need: what the live
    /// capture must deliver.
    pub fn required_event_types(&self) -> EventTypeSet {
        let mut s = EventTypeSet::empty();
        for (t, b) in self.index.iter().enumerate() {
            if !b.is_empty() {
                s.insert(t as u16);
            }
        }
        s
    }

    /// The ppm_sc codes of syscalls that the active rules name in `evt.type` (see
    /// [`crate::filter::Filter::named_syscalls`]); with [`RuleEngine::required_event_types`], what a
    /// live source must capture.
    pub fn required_generic_syscalls(&self) -> Vec<u16> {
        let mut active: Vec<u32> = self.index.iter().flatten().copied().collect();
        active.sort_unstable();
        active.dedup();
        let mut out: Vec<u16> = active
            .iter()
            .flat_map(|i| self.rules[*i as usize].filter.named_syscalls())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn stats(&self) -> RuleStats {
        RuleStats {
            events: self.events,
            matches: self.matches + self.audit.counts().map(|c| c.2).sum::<u64>(),
            rules: self
                .rules
                .iter()
                .zip(&self.counts)
                .map(|(r, c)| (r.info.name.clone(), r.info.priority, *c))
                .chain(self.audit.counts().map(|(n, p, c)| (n.to_string(), p, c)))
                .collect(),
        }
    }

    pub fn reset_stats(&mut self) {
        self.audit.reset_counts();
        self.events = 0;
        self.matches = 0;
        self.counts.iter_mut().for_each(|c| *c = 0);
    }
}

fn formatter_with_extra(output: &str, extra: &str, replace: bool) -> Result<Formatter, RulesError> {
    let text = if replace && output.contains("%container.info") {
        output.replace("%container.info", extra)
    } else {
        format!("{output} {extra}")
    };
    Formatter::parse(&text)
        .map_err(|e| RulesError::Output(format!("invalid extra output '{extra}': {}", e.message)))
}

/// Files of `paths` in load order: files as given, directories' `.yaml`/`.yml` files sorted.
pub fn expand_paths(paths: &[PathBuf]) -> Result<Vec<PathBuf>, RulesError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let rd = std::fs::read_dir(p).map_err(|source| RulesError::Io {
                path: p.clone(),
                source,
            })?;
            let mut files: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            files.sort();
            out.extend(files);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// The result of validating rules files (`falco -V`).
#[derive(Debug, Default)]
pub struct Validation {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
}

impl Validation {
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Loads `paths` in order into a fresh engine and reports every error and warning.
pub fn validate_rules_files(paths: &[PathBuf]) -> Validation {
    let mut engine = RuleEngine::new();
    match engine.load_rules_paths(paths) {
        Ok(warnings) => Validation {
            errors: Vec::new(),
            warnings,
        },
        Err(RulesError::Invalid { errors, warnings }) => Validation { errors, warnings },
        Err(other) => Validation {
            errors: vec![Diagnostic {
                severity: Severity::Error,
                code: "LOAD_ERR_FILE_READ",
                location: Location {
                    file: Arc::from(
                        paths
                            .first()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default(),
                    ),
                    line: 0,
                    col: 0,
                },
                item: None,
                message: other.to_string(),
            }],
            warnings: Vec::new(),
        },
    }
}
