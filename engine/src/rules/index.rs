//! The rules by event type: which rules an event of each type is tried against (generic events:
//! by syscall), and the plan that evaluates them ([`super::plan`]).

use std::collections::HashMap;
use std::sync::Arc;

use super::RuleEngine;
use super::plan::TypePlan;
use crate::filter::Expr;
use crate::filter::program::{Bodies, Program};
use crate::schema::{Direction, ev};
use crate::state::parser::type_info;

/// What a compiled program depends on: the rule, what its condition depends on for the type
/// ([`crate::filter::Filter::type_signature`]) and how many first conjuncts its plan runs before
/// it.
type ProgramKey<'a> = (u32, &'a [u8], usize);

impl RuleEngine {
    /// Rebuilds the rules' index by event type and the plans that evaluate them, after the
    /// rules, their enabled state or the priority threshold changed.
    pub(super) fn reindex(&mut self) {
        let mut index = vec![Vec::new(); crate::schema::EVENT_COUNT];
        // Beside each entry of `index`, what the rule's condition depends on for that type.
        let mut signatures: Vec<Vec<Vec<u8>>> = vec![Vec::new(); crate::schema::EVENT_COUNT];
        // Each rule's condition as it stands on a type; types on which it folds the same way
        // (open, openat, openat2) share one.
        let mut folded: HashMap<(u32, Vec<u8>), Expr> = HashMap::new();
        let mut generic_index = vec![Vec::new(); crate::abi::syscall::PPM_SC_MAX as usize];
        for (i, r) in self.rules.iter().enumerate() {
            if !self.enabled[i] || !r.info.priority.at_least(self.min_priority) {
                continue;
            }
            let types = r.filter.event_types();
            for t in types.ids() {
                // Leave out the types on which the condition is false whatever the event: the
                // enter events of `open_read` and the like, which name the type but test a
                // field only exits have.
                if r.filter.expr().value_for_type(t) == Some(false) {
                    continue;
                }
                index[t as usize].push(i as u32);
                if t != ev::GENERIC_E && t != ev::GENERIC_X {
                    let sig = r.filter.type_signature(t);
                    folded
                        .entry((i as u32, sig.clone()))
                        .or_insert_with(|| r.filter.expr_for_type(t));
                    signatures[t as usize].push(sig);
                }
            }
            if types.contains(ev::GENERIC_E) || types.contains(ev::GENERIC_X) {
                match &r.generic_syscalls {
                    Some(ids) => {
                        for id in ids {
                            if let Some(b) = generic_index.get_mut(*id as usize) {
                                b.push(i as u32);
                            }
                        }
                    }
                    None => generic_index.iter_mut().for_each(|b| b.push(i as u32)),
                }
            }
        }
        let mut bodies = Bodies::default();
        let mut programs: HashMap<ProgramKey, Arc<Program>> = HashMap::new();
        let plans = (0..crate::schema::EVENT_COUNT)
            .map(|t| {
                let rules = &index[t];
                let sigs = &signatures[t];
                let conditions: Vec<&Expr> = rules
                    .iter()
                    .zip(sigs)
                    .map(|(i, sig)| &folded[&(*i, sig.clone())])
                    .collect();
                TypePlan::build(t as u16, &conditions, |pos, taken, cond| {
                    let p = programs
                        .entry((rules[pos], &sigs[pos], taken))
                        .or_insert_with(|| {
                            Arc::new(Program::compile_in(cond, &mut bodies, t as u32))
                        });
                    Arc::clone(p)
                })
            })
            .collect();
        self.plans = plans;
        self.index = index;
        self.generic_index = generic_index;
    }
}

/// What an event needs of the event loop ([`RuleEngine::need`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Some rule can match it: the state takes it ([`crate::state::State::process`]), then the
    /// rules.
    Match,
    /// No rule can match it; the state takes it.
    State,
    /// No rule can match it or, for an enter event, its exit, and its type only pairs a syscall's
    /// enter and exit ([`crate::state::parser::TypeInfo::pairing_only`]):
    /// [`crate::state::State::pass_over`] leaves what the rules see as processing would.
    Pairing,
}

impl RuleEngine {
    /// What `evt` needs: half the events of a real system (mmap, mprotect, fstat, access) only
    /// need their syscall paired. An enter event whose exit some rule can match goes to the state
    /// whole: the exit's `evt.arg.*` and `evt.latency` read it (`ptrace` rules test the enter's
    /// request on the exit). Generic events are indexed by syscall, the same for both directions.
    #[inline]
    pub fn need(&self, evt: &crate::event::Event<'_>) -> Need {
        if self.bucket(evt).is_some() {
            return Need::Match;
        }
        let t = evt.event_type;
        if !type_info(t).pairing_only
            || (Direction::of(t) == Direction::Enter
                && t != ev::GENERIC_E
                && self.has_rules_for(t.wrapping_add(1)))
        {
            return Need::State;
        }
        Need::Pairing
    }
}

impl RuleEngine {
    /// Replays `capture` and checks on each event that [`RuleEngine::process_event`] (the index,
    /// the conditions folded for the type, the plans) gives the rules
    /// [`RuleEngine::matches_by_condition`] gives. Returns the matches, or the first event on
    /// which they differ. For tests of the fast path on any capture.
    pub fn check_fast_path(&mut self, capture: &std::path::Path) -> Result<usize, String> {
        let mut insp = crate::inspector::Inspector::open(capture).map_err(|e| e.to_string())?;
        let mut matched = 0;
        while let Some(p) = insp.next().map_err(|e| e.to_string())? {
            let ctx = p.ctx();
            let expected = self.matches_by_condition(&ctx);
            let got: Vec<usize> = self
                .process_event(&ctx)
                .unwrap_or_default()
                .iter()
                .map(|m| m.index)
                .collect();
            if got != expected {
                return Err(format!(
                    "event {} ({}) of {}: the engine matched rules {got:?}, their conditions \
                     {expected:?}",
                    p.num,
                    p.event.name(),
                    capture.display()
                ));
            }
            matched += got.len();
        }
        Ok(matched)
    }
}
