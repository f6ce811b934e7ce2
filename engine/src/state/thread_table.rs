//! The thread table: every thread falco knows, by tid, with the indexes that keep each event's work
//! independent of the table's size: the threads of each process (exec, leader exit,
//! `proc.nthreads`), the order threads arrived in (eviction), and the heap bytes they hold (the
//! memory budget).
//!
//! Mutable access goes through [`ThreadMut`], which re-indexes the thread when its pid changed and
//! re-weighs it when it is released, so no caller has to remember to.

use std::collections::VecDeque;
use std::ops::{Deref, DerefMut};

// Thread ids are small integers: a fast non-cryptographic hash is enough.
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::fds::FdTable;
use super::threads::ThreadInfo;

/// Lineage walks stop after this many ancestors (a corrupt ptid loop must not hang matching).
pub const MAX_LINEAGE: usize = 64;

#[derive(Debug, Clone)]
struct Slot {
    info: ThreadInfo,
    /// Insertion number: queue entries naming an older insertion of the same tid are stale.
    seq: u64,
    /// Bytes this thread was last weighed at (see [`weight`]).
    weight: usize,
    /// The part of `weight` that is its fd table's bytes (which [`ThreadTable::with_fd_table`]
    /// re-weighs alone).
    fds_weight: usize,
}

/// What one thread costs: its boxed slot, its bucket in the map (which keeps up to half its
/// buckets free), the queue entries that name it, and the heap its strings, lists and fd table
/// hold.
fn weight(t: &ThreadInfo) -> usize {
    const FIXED: usize = std::mem::size_of::<Slot>() + 16 + 2 * 17 + 2 * 16;
    FIXED + t.heap_bytes()
}

/// Every thread falco knows, by tid.
#[derive(Debug, Default, Clone)]
pub struct ThreadTable {
    /// Slots are boxed: the map's buckets then take 16 bytes each, not a whole thread, which
    /// matters as a map keeps up to half its buckets empty.
    threads: HashMap<i64, Box<Slot>>,
    /// The threads of each process other than its leader (tid != pid), by pid.
    members: HashMap<i64, HashSet<i64>>,
    /// Every thread as (tid, seq), oldest first; entries of threads since removed or re-inserted are
    /// skipped when met.
    order: VecDeque<(i64, u64)>,
    /// The placeholders (threads first seen mid-flight), oldest first, skipped likewise once gone
    /// or completed.
    placeholders: VecDeque<(i64, u64)>,
    next_seq: u64,
    bytes: usize,
}

/// A thread borrowed mutably from its table; dropping it updates the table's indexes.
pub struct ThreadMut<'a> {
    slot: &'a mut Slot,
    members: &'a mut HashMap<i64, HashSet<i64>>,
    bytes: &'a mut usize,
    /// The pid the thread is indexed under (named apart from ThreadInfo's fields, which a guard's
    /// own fields would shadow).
    indexed_pid: i64,
}

impl Deref for ThreadMut<'_> {
    type Target = ThreadInfo;
    fn deref(&self) -> &ThreadInfo {
        &self.slot.info
    }
}

impl DerefMut for ThreadMut<'_> {
    fn deref_mut(&mut self) -> &mut ThreadInfo {
        &mut self.slot.info
    }
}

impl Drop for ThreadMut<'_> {
    fn drop(&mut self) {
        let t = &self.slot.info;
        if t.pid != self.indexed_pid {
            unlink_member(self.members, t.tid, self.indexed_pid);
            link_member(self.members, t.tid, t.pid);
        }
        let w = weight(t);
        *self.bytes = *self.bytes - self.slot.weight + w;
        self.slot.weight = w;
        self.slot.fds_weight = t.fds.heap_bytes();
    }
}

fn link_member(members: &mut HashMap<i64, HashSet<i64>>, tid: i64, pid: i64) {
    if tid != pid {
        members.entry(pid).or_default().insert(tid);
    }
}

fn unlink_member(members: &mut HashMap<i64, HashSet<i64>>, tid: i64, pid: i64) {
    if tid == pid {
        return;
    }
    if let Some(set) = members.get_mut(&pid) {
        set.remove(&tid);
        if set.is_empty() {
            members.remove(&pid);
        }
    }
}

impl ThreadTable {
    pub fn get(&self, tid: i64) -> Option<&ThreadInfo> {
        self.threads.get(&tid).map(|s| &s.info)
    }

    pub fn get_mut(&mut self, tid: i64) -> Option<ThreadMut<'_>> {
        let slot: &mut Slot = self.threads.get_mut(&tid)?;
        let pid = slot.info.pid;
        Some(ThreadMut {
            slot,
            members: &mut self.members,
            bytes: &mut self.bytes,
            indexed_pid: pid,
        })
    }

    /// Adds or replaces a thread; returns the one it replaced.
    pub fn insert(&mut self, t: ThreadInfo) -> Option<ThreadInfo> {
        let old = self.remove(t.tid);
        let (tid, pid) = (t.tid, t.pid);
        self.next_seq += 1;
        let seq = self.next_seq;
        if t.incomplete {
            self.placeholders.push_back((tid, seq));
        }
        self.order.push_back((tid, seq));
        let w = weight(&t);
        self.bytes += w;
        let fds_weight = t.fds.heap_bytes();
        self.threads.insert(
            tid,
            Box::new(Slot {
                info: t,
                seq,
                weight: w,
                fds_weight,
            }),
        );
        link_member(&mut self.members, tid, pid);
        self.compact();
        old
    }

    pub fn remove(&mut self, tid: i64) -> Option<ThreadInfo> {
        let slot = self.threads.remove(&tid)?;
        self.bytes -= slot.weight;
        unlink_member(&mut self.members, tid, slot.info.pid);
        Some(slot.info)
    }

    pub fn contains(&self, tid: i64) -> bool {
        self.threads.contains_key(&tid)
    }

    pub fn len(&self) -> usize {
        self.threads.len()
    }

    pub fn is_empty(&self) -> bool {
        self.threads.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &ThreadInfo> {
        self.threads.values().map(|s| &s.info)
    }

    /// Heap bytes the table holds, as weighed when each thread was last inserted or released.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The threads known with process id `pid`, its leader included (`proc.nthreads`).
    pub fn thread_count(&self, pid: i64) -> usize {
        let leader = self.get(pid).is_some_and(|t| t.pid == pid);
        usize::from(leader) + self.non_leader_count(pid)
    }

    /// The threads known with process id `pid` other than its leader.
    pub fn non_leader_count(&self, pid: i64) -> usize {
        self.members.get(&pid).map_or(0, HashSet::len)
    }

    /// The tids of the threads of process `pid` other than its leader, in no particular order.
    pub fn non_leaders(&self, pid: i64) -> impl Iterator<Item = i64> + '_ {
        self.members.get(&pid).into_iter().flatten().copied()
    }

    /// The thread to evict next: the oldest placeholder, else the oldest thread; never `keep`.
    /// Each queue entry is looked at once, so eviction costs O(1) amortized.
    pub fn eviction_victim(&mut self, keep: i64) -> Option<i64> {
        while let Some((tid, seq)) = self.placeholders.pop_front() {
            if tid != keep
                && let Some(s) = self.threads.get(&tid)
                && s.seq == seq
                && s.info.incomplete
            {
                return Some(tid);
            }
        }
        let mut kept = None;
        let mut victim = None;
        while let Some((tid, seq)) = self.order.pop_front() {
            if self.threads.get(&tid).is_none_or(|s| s.seq != seq) {
                continue;
            }
            if tid == keep {
                kept = Some((tid, seq));
                continue;
            }
            victim = Some(tid);
            break;
        }
        if let Some(k) = kept {
            self.order.push_front(k);
        }
        victim
    }

    /// Drops stale queue entries once they outnumber the live ones, so the queues stay
    /// proportional to the table however many threads come and go.
    fn compact(&mut self) {
        let live = self.threads.len();
        if self.order.len() > 2 * live + 1024 {
            let threads = &self.threads;
            self.order
                .retain(|(tid, seq)| threads.get(tid).is_some_and(|s| s.seq == *seq));
        }
        if self.placeholders.len() > 2 * live + 1024 {
            let threads = &self.threads;
            self.placeholders.retain(|(tid, seq)| {
                threads
                    .get(tid)
                    .is_some_and(|s| s.seq == *seq && s.info.incomplete)
            });
        }
    }

    /// The thread holding `tid`'s fd table: its process leader when known, else itself.
    pub fn fd_owner(&self, tid: i64) -> Option<&ThreadInfo> {
        let t = self.get(tid)?;
        if t.pid != t.tid
            && let Some(leader) = self.get(t.pid)
        {
            return Some(leader);
        }
        Some(t)
    }

    /// The tid whose entry holds `tid`'s fd table.
    pub fn fd_owner_tid(&self, tid: i64) -> Option<i64> {
        self.fd_owner(tid).map(|t| t.tid)
    }

    /// [`ThreadInfo::remember_enter`] on thread `tid`, weighing only what it changes (the kept
    /// enter event's buffer): every enter event does this, and re-weighing the whole thread
    /// (strings, cgroups) through [`get_mut`](Self::get_mut) each time cost more than the copy.
    /// Returns false when the thread is not known.
    pub fn remember_enter(&mut self, tid: i64, bytes: &[u8], event_type: u16, fd: i64) -> bool {
        let Some(slot) = self.threads.get_mut(&tid) else {
            return false;
        };
        let before = slot.info.last_enter.capacity();
        slot.info.remember_enter(bytes, event_type, fd);
        let after = slot.info.last_enter.capacity();
        // The buffer only grows (it is cleared, not shrunk).
        if after != before {
            slot.weight = slot.weight - before + after;
            self.bytes = self.bytes - before + after;
        }
        true
    }

    /// [`ThreadInfo::note_enter`] on thread `tid` (its buffer keeps its size: nothing to re-weigh).
    /// Returns false when the thread is not known.
    pub fn note_enter(&mut self, tid: i64, len: usize, event_type: u16, fd: i64) -> bool {
        let Some(slot) = self.threads.get_mut(&tid) else {
            return false;
        };
        slot.info.note_enter(len, event_type, fd);
        true
    }

    /// For an exit event of thread `tid`: first sets the fd it works on when the exit carries it
    /// (`exit_fd`), then returns the type of the thread's last enter event and that fd. One lookup
    /// for what pairing an exit with its enter event needs.
    pub fn pair_exit(&mut self, tid: i64, exit_fd: Option<i64>) -> Option<(u16, i64)> {
        let slot = self.threads.get_mut(&tid)?;
        if let Some(fd) = exit_fd {
            slot.info.last_fd = fd;
        }
        Some((slot.info.last_enter_type, slot.info.last_fd))
    }

    /// Sets the fd thread `tid` last worked on (no heap memory changes).
    pub fn set_last_fd(&mut self, tid: i64, fd: i64) {
        if let Some(slot) = self.threads.get_mut(&tid) {
            slot.info.last_fd = fd;
        }
    }

    /// Changes counters of thread `tid` (memory sizes, page faults, CPU times, flags) that hold no
    /// heap memory and leave its pid alone, so the thread is neither re-weighed nor re-indexed:
    /// memory and scheduler events do this, and a full re-weigh walks the thread's cgroups.
    pub fn update_counters(&mut self, tid: i64, f: impl FnOnce(&mut ThreadInfo)) -> bool {
        let Some(slot) = self.threads.get_mut(&tid) else {
            return false;
        };
        let pid = slot.info.pid;
        f(&mut slot.info);
        debug_assert!(
            slot.info.pid == pid
                && weight(&slot.info) - slot.info.fds.heap_bytes() == slot.weight - slot.fds_weight,
            "update_counters changed the pid or heap memory of thread {tid}"
        );
        true
    }

    /// Mutable access to the fd table `tid` uses. Changes made here are weighed when the owner is
    /// next released through [`get_mut`](Self::get_mut); [`State::add_fd`](super::State::add_fd)
    /// does so at once.
    pub fn fd_table_mut(&mut self, tid: i64) -> Option<&mut FdTable> {
        let owner = self.fd_owner_tid(tid)?;
        self.threads.get_mut(&owner).map(|s| &mut s.info.fds)
    }

    /// Runs `f` on the fd table `tid` uses, then re-weighs the owner's fd table alone (changes made
    /// through [`fd_table_mut`](Self::fd_table_mut) since the last weighing included), not its
    /// strings and cgroups: opens and closes do this. Returns the owner's tid and `f`'s result.
    pub fn with_fd_table<R>(
        &mut self,
        tid: i64,
        f: impl FnOnce(&mut FdTable) -> R,
    ) -> Option<(i64, R)> {
        // A process leader holds its own table: one lookup.
        if let Some(slot) = self.threads.get_mut(&tid)
            && slot.info.pid == tid
        {
            return Some((tid, Self::change_fds(slot, &mut self.bytes, f)));
        }
        let owner = self.fd_owner_tid(tid)?;
        let slot = self.threads.get_mut(&owner)?;
        Some((owner, Self::change_fds(slot, &mut self.bytes, f)))
    }

    /// Runs `f` on `slot`'s fd table and re-weighs the table (the table's total in `bytes`).
    fn change_fds<R>(slot: &mut Slot, bytes: &mut usize, f: impl FnOnce(&mut FdTable) -> R) -> R {
        let r = f(&mut slot.info.fds);
        let now = slot.info.fds.heap_bytes();
        if now != slot.fds_weight {
            slot.weight = slot.weight - slot.fds_weight + now;
            *bytes = *bytes - slot.fds_weight + now;
            slot.fds_weight = now;
        }
        r
    }

    /// The parent of a thread (by ptid).
    pub fn parent(&self, t: &ThreadInfo) -> Option<&ThreadInfo> {
        if t.ptid <= 0 || t.ptid == t.tid {
            return None;
        }
        self.get(t.ptid)
    }

    /// The `n`th ancestor (0 = the thread itself).
    pub fn ancestor<'a>(&'a self, t: &'a ThreadInfo, n: usize) -> Option<&'a ThreadInfo> {
        let mut cur = t;
        for _ in 0..n.min(MAX_LINEAGE) {
            cur = self.parent(cur)?;
        }
        Some(cur)
    }

    /// Iterates the ancestors of a thread, parent first.
    pub fn ancestors<'a>(&'a self, t: &'a ThreadInfo) -> impl Iterator<Item = &'a ThreadInfo> + 'a {
        let mut cur = Some(t);
        let mut n = 0;
        std::iter::from_fn(move || {
            let next = self.parent(cur?);
            n += 1;
            if n > MAX_LINEAGE {
                return None;
            }
            cur = next;
            next
        })
    }

    pub fn clear(&mut self) {
        *self = ThreadTable::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(tid: i64, pid: i64) -> ThreadInfo {
        let mut t = ThreadInfo::unknown(tid);
        t.pid = pid;
        t.incomplete = false;
        t
    }

    #[test]
    fn counts_the_threads_of_a_process() {
        let mut t = ThreadTable::default();
        t.insert(thread(10, 10));
        t.insert(thread(11, 10));
        t.insert(thread(12, 10));
        t.insert(thread(20, 20));
        assert_eq!(t.thread_count(10), 3);
        assert_eq!(t.non_leader_count(10), 2);
        assert_eq!(t.thread_count(20), 1);
        assert_eq!(t.thread_count(30), 0);
        t.remove(10);
        assert_eq!(t.thread_count(10), 2);
        // A pid changed through get_mut moves the thread to its new process.
        t.get_mut(12).unwrap().pid = 20;
        assert_eq!(t.thread_count(10), 1);
        assert_eq!(t.thread_count(20), 2);
        let mut others: Vec<i64> = t.non_leaders(20).collect();
        others.sort();
        assert_eq!(others, [12]);
    }

    #[test]
    fn evicts_placeholders_first_then_the_oldest() {
        let mut t = ThreadTable::default();
        t.insert(thread(1, 1));
        t.insert(ThreadInfo::unknown(2));
        t.insert(thread(3, 3));
        t.insert(ThreadInfo::unknown(4));
        // 4 completes: no longer a placeholder.
        t.get_mut(4).unwrap().incomplete = false;
        assert_eq!(t.eviction_victim(-1), Some(2));
        t.remove(2);
        assert_eq!(t.eviction_victim(1), Some(3));
        t.remove(3);
        assert_eq!(t.eviction_victim(-1), Some(1));
        t.remove(1);
        assert_eq!(t.eviction_victim(4), None);
        assert_eq!(t.eviction_victim(-1), Some(4));
    }

    #[test]
    fn queues_stay_proportional_to_the_table() {
        let mut t = ThreadTable::default();
        for tid in 0..100_000 {
            t.insert(ThreadInfo::unknown(tid));
            t.remove(tid);
        }
        assert!(t.order.len() <= 1025 && t.placeholders.len() <= 1025);
        assert_eq!(t.bytes(), 0);
    }

    #[test]
    fn a_thread_costs_under_a_kilobyte() {
        // The figure docs/architecture.md uses for a full table of placeholders.
        let t = ThreadInfo::unknown(1);
        assert!(weight(&t) < 1024, "{} bytes", weight(&t));
    }

    #[test]
    fn weighs_what_threads_hold() {
        let mut t = ThreadTable::default();
        t.insert(thread(1, 1));
        let empty = t.bytes();
        t.get_mut(1).unwrap().exe = "x".repeat(10_000);
        assert!(t.bytes() >= empty + 9_000);
        t.get_mut(1).unwrap().exe = "<NA>".to_string();
        assert_eq!(t.bytes(), empty);
        t.remove(1);
        assert_eq!(t.bytes(), 0);
    }

    #[test]
    fn fd_table_and_counter_changes_weigh_as_a_full_reweigh_would() {
        use crate::state::fds::{FdInfo, FdType};
        let mut t = ThreadTable::default();
        t.insert(thread(1, 1));
        t.insert(thread(2, 1));
        // Thread 2's fds live in its leader's table.
        let added = t.with_fd_table(2, |fds| {
            fds.insert(3, FdInfo::named(FdType::File, "/etc/x"))
        });
        assert_eq!(added, Some((1, true)));
        let full = |t: &mut ThreadTable| {
            let narrow = t.bytes();
            drop(t.get_mut(1));
            assert_eq!(t.bytes(), narrow);
        };
        full(&mut t);
        // A change made through fd_table_mut, not weighed yet, is caught up by the next one.
        if let Some(mut f) = t.fd_table_mut(1).and_then(|fds| fds.get_mut(3)) {
            f.name = "x".repeat(5_000);
        }
        t.with_fd_table(1, |fds| fds.remove(99));
        full(&mut t);
        assert!(t.update_counters(2, |x| x.vmsize_kb = 7));
        assert!(!t.update_counters(9, |x| x.vmsize_kb = 7));
        full(&mut t);
        assert_eq!(t.get(2).unwrap().vmsize_kb, 7);
        assert!(
            t.with_fd_table(2, |fds| fds.remove(3))
                .is_some_and(|(_, f)| f.is_some())
        );
        full(&mut t);
        t.remove(2);
        t.remove(1);
        assert_eq!(t.bytes(), 0);
    }

    #[test]
    fn remembering_enter_events_weighs_as_a_full_reweigh_would() {
        let mut t = ThreadTable::default();
        t.insert(thread(1, 1));
        for len in [40, 10, 300, 2_000, 50] {
            t.remember_enter(1, &vec![7u8; len], 2, 3);
            t.set_last_fd(1, 4);
            let narrow = t.bytes();
            // Releasing a guard re-weighs the whole thread.
            drop(t.get_mut(1));
            assert_eq!(t.bytes(), narrow, "after an enter event of {len} bytes");
        }
        assert_eq!(t.get(1).unwrap().last_fd, 4);
        t.remove(1);
        assert_eq!(t.bytes(), 0);
    }
}
