//! Sets of event types: which events a condition can possibly match, so rules are only evaluated
//! on those (and the live probe only captures what rules need).

use crate::schema::{self, EVENT_COUNT, ev};

const WORDS: usize = EVENT_COUNT.div_ceil(64);

/// A set of event type ids (enter and exit ids separately).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventTypeSet([u64; WORDS]);

impl std::fmt::Debug for EventTypeSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

impl EventTypeSet {
    pub const fn empty() -> EventTypeSet {
        EventTypeSet([0; WORDS])
    }

    /// Every event type this build knows.
    pub fn all() -> EventTypeSet {
        let mut s = EventTypeSet::empty();
        for id in 0..EVENT_COUNT {
            s.insert(id as u16);
        }
        s
    }

    pub fn insert(&mut self, id: u16) {
        if (id as usize) < EVENT_COUNT {
            self.0[id as usize / 64] |= 1 << (id % 64);
        }
    }

    #[inline]
    pub fn contains(&self, id: u16) -> bool {
        (id as usize) < EVENT_COUNT && self.0[id as usize / 64] & (1 << (id % 64)) != 0
    }

    pub fn union(&self, o: &EventTypeSet) -> EventTypeSet {
        let mut r = *self;
        r.0.iter_mut().zip(o.0).for_each(|(a, b)| *a |= b);
        r
    }

    pub fn intersect(&self, o: &EventTypeSet) -> EventTypeSet {
        let mut r = *self;
        r.0.iter_mut().zip(o.0).for_each(|(a, b)| *a &= b);
        r
    }

    pub fn minus(&self, o: &EventTypeSet) -> EventTypeSet {
        let mut r = *self;
        r.0.iter_mut().zip(o.0).for_each(|(a, b)| *a &= !b);
        r
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    pub fn ids(&self) -> impl Iterator<Item = u16> + '_ {
        (0..EVENT_COUNT as u16).filter(|i| self.contains(*i))
    }

    /// Number of distinct named event types (an enter/exit pair counts once).
    pub fn count_names(&self) -> usize {
        let mut names: Vec<&str> = self.names();
        names.dedup();
        names.len()
    }

    /// Sorted distinct names of the event types in the set. The generic event (which carries
    /// syscalls without an event of their own) is named `syscall` only when alone.
    pub fn names(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self
            .ids()
            .filter_map(|i| schema::info(i).map(|e| e.name))
            .filter(|n| *n != "NA")
            .collect();
        if v.iter().any(|n| *n != "syscall") {
            v.retain(|n| *n != "syscall");
        }
        v.sort_unstable();
        v.dedup();
        v
    }

    /// True when the set holds (almost) every event: the condition gives no event-type restriction.
    pub fn is_unrestricted(&self) -> bool {
        self.count_names() > 100
    }
}

/// The event ids a rule naming `name` in `evt.type` runs on, as Falco indexes them: the events of
/// that name; for a syscall that has no event of its own, the generic events (which carry it).
/// A syscall with an event of its own reaches no rule by name as a generic event, even where an
/// older driver recorded it as one (mprotect in 2018 captures): Falco does not run such rules on it.
pub fn ids_for_name(name: &str) -> EventTypeSet {
    let mut s = EventTypeSet::empty();
    for (i, info) in schema::table::EVENTS.iter().enumerate() {
        if info.name == name && name != "NA" {
            s.insert(i as u16);
        }
    }
    if s.is_empty() && syscall_id(name).is_some() {
        s.insert(ev::GENERIC_E);
        s.insert(ev::GENERIC_X);
    }
    s
}

/// The ppm_sc code of a syscall name.
pub fn syscall_id(name: &str) -> Option<u16> {
    schema::syscalls::SYSCALL_NAMES
        .iter()
        .position(|n| *n == name && name != "unknown")
        .map(|i| i as u16)
}
