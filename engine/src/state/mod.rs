//! The system state falco reconstructs from events: threads and their fds, users and groups,
//! containers, the machine and its interfaces.

pub mod cgroup_lists;
pub mod containers;
pub mod fds;
pub mod host;
pub mod limits;
pub mod nul_list;
pub mod parser;
pub mod proc_scan;
pub mod thread_table;
pub mod threads;
pub mod users;

pub use containers::{ContainerInfo, ContainerTable};
pub use fds::{FdInfo, FdTable, FdType, IpTuple, L4Proto};
pub use limits::{DEFAULT_MAX_STATE_BYTES, DEFAULT_MAX_THREADS, Drops, MAX_FDS_PER_PROCESS};
pub use nul_list::NulList;
pub use parser::EventCtx;
pub use thread_table::{ThreadMut, ThreadTable};
pub use threads::ThreadInfo;
pub use users::UserTable;

use crate::scap::{Interface, Item, MachineInfo};

#[derive(Debug, Clone)]
pub struct State {
    pub threads: ThreadTable,
    pub users: UserTable,
    pub containers: ContainerTable,
    pub machine: MachineInfo,
    pub interfaces: Vec<Interface>,
    /// Threads tracked at most (`falco_libs.thread_table_size`); past it the oldest placeholder,
    /// else the oldest thread, makes room.
    pub max_threads: usize,
    /// Heap bytes the thread table may hold; past it the oldest threads go.
    pub max_state_bytes: usize,
    drops: Drops,
    pending_fd_removals: Vec<(i64, i64)>,
    pending_thread_removal: Option<i64>,
    /// Timestamp of the last scheduler switch per CPU (thread.exectime).
    switch_ts: Vec<u64>,
    /// The cgroup lists clones and execs were given last, parsed.
    cgroup_lists: cgroup_lists::CgroupLists,
    /// Names of closed fds, cleared, for the next opens' paths: at most [`SPARE_NAMES`], each
    /// at most [`SPARE_NAME_CAPACITY`] bytes.
    spare_names: Vec<String>,
}

/// Closed fds' names kept for reuse: an open's path is then copied into one, not allocated and
/// later freed (most processes open and close files in turn).
const SPARE_NAMES: usize = 16;
const SPARE_NAME_CAPACITY: usize = 512;

impl Default for State {
    fn default() -> Self {
        State {
            threads: ThreadTable::default(),
            users: UserTable::default(),
            containers: ContainerTable::default(),
            machine: MachineInfo::default(),
            interfaces: Vec::new(),
            max_threads: DEFAULT_MAX_THREADS,
            max_state_bytes: DEFAULT_MAX_STATE_BYTES,
            drops: Drops::default(),
            pending_fd_removals: Vec::new(),
            pending_thread_removal: None,
            switch_ts: Vec::new(),
            cgroup_lists: Default::default(),
            spare_names: Vec::new(),
        }
    }
}

impl State {
    /// Seeds the tables from a capture's metadata block. Returns false for events (not metadata).
    pub fn seed(&mut self, item: &Item<'_>) -> bool {
        match item {
            Item::Section { .. } => {}
            Item::Machine(m) => self.machine = m.clone(),
            Item::Processes(procs) => {
                for p in procs.clone() {
                    self.add_thread(ThreadInfo::from_entry(&p));
                }
            }
            Item::Fds { tid, fds } => {
                // A block cannot hold more fds than a process may: the rest are counted, not kept.
                let mut dropped = 0;
                if let Some(mut t) = self.threads.get_mut(*tid) {
                    for f in fds.clone() {
                        if !t.fds.insert(f.fd, FdInfo::from_entry(&f)) {
                            dropped += 1;
                        }
                    }
                }
                self.drops.fds += dropped;
                self.enforce_budget(*tid);
            }
            Item::Interfaces(list) => {
                self.interfaces.clear();
                for i in list.clone() {
                    if self.interfaces.len() < limits::MAX_INTERFACES {
                        self.interfaces.push(i);
                    } else {
                        self.drops.metadata += 1;
                    }
                }
            }
            Item::Users(list) => {
                for r in list.clone() {
                    if !self.users.add(r) {
                        self.drops.metadata += 1;
                    }
                }
            }
            Item::Event { .. } => return false,
        }
        true
    }

    /// What was not kept because a limit was reached.
    pub fn drops(&self) -> Drops {
        Drops {
            containers: self.containers.evicted(),
            ..self.drops
        }
    }

    /// Adds a thread; when the table is full, the oldest placeholder (else the oldest thread) makes
    /// room, so a flood of threads never seen to exit cannot grow the table.
    pub fn add_thread(&mut self, t: ThreadInfo) {
        let tid = t.tid;
        if !self.threads.contains(tid) {
            while self.threads.len() >= self.max_threads.max(1) {
                let Some(victim) = self.threads.eviction_victim(tid) else {
                    break;
                };
                self.threads.remove(victim);
                self.drops.threads_full += 1;
            }
        }
        self.threads.insert(t);
        self.enforce_budget(tid);
    }

    /// Evicts the oldest threads (never `keep`) while the table holds more than `max_state_bytes`.
    pub(crate) fn enforce_budget(&mut self, keep: i64) {
        while self.threads.bytes() > self.max_state_bytes && self.threads.len() > 1 {
            let Some(victim) = self.threads.eviction_victim(keep) else {
                break;
            };
            self.threads.remove(victim);
            self.drops.threads_memory += 1;
        }
    }

    pub fn remove_thread(&mut self, tid: i64) {
        let Some(t) = self.threads.remove(tid) else {
            return;
        };
        // A leader that exits before its threads hands its fd table to one of them.
        if t.is_main_thread() && !t.fds.is_empty() {
            let heir = self.threads.non_leaders(t.pid).next();
            if let Some(heir) = heir
                && let Some(mut h) = self.threads.get_mut(heir)
            {
                h.fds = t.fds;
            }
        }
    }

    /// An exec ends every other thread of the process but its leader.
    pub fn exec_ends_other_threads(&mut self, tid: i64, pid: i64) {
        let others: Vec<i64> = self
            .threads
            .non_leaders(pid)
            .filter(|&o| o != tid)
            .collect();
        for o in others {
            self.threads.remove(o);
        }
    }

    /// Adds an fd to thread `tid`'s process, unless that process already has
    /// [`MAX_FDS_PER_PROCESS`] (then it is counted in [`Drops::fds`]).
    pub fn add_fd(&mut self, tid: i64, fd: i64, info: FdInfo) {
        let Some((owner, kept)) = self.threads.with_fd_table(tid, |fds| fds.insert(fd, info))
        else {
            return;
        };
        if !kept {
            self.drops.fds += 1;
        }
        self.enforce_budget(owner);
    }

    /// Forgets fd `fd` of thread `tid`'s process.
    pub fn remove_fd(&mut self, tid: i64, fd: i64) {
        if let Some((_, Some(old))) = self.threads.with_fd_table(tid, |fds| fds.remove(fd))
            && self.spare_names.len() < SPARE_NAMES
            && old.name.capacity() <= SPARE_NAME_CAPACITY
        {
            let mut name = old.name;
            name.clear();
            self.spare_names.push(name);
        }
    }

    /// An empty string, with room from a closed fd's name when there is one.
    fn spare_name(&mut self) -> String {
        self.spare_names.pop().unwrap_or_default()
    }

    /// The fd `fd` of thread `tid`'s process.
    pub fn fd(&self, tid: i64, fd: i64) -> Option<&FdInfo> {
        self.threads.fd_owner(tid)?.fds.get(fd)
    }

    pub fn thread(&self, tid: i64) -> Option<&ThreadInfo> {
        self.threads.get(tid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_fds_names_are_kept_for_reuse_within_bounds() {
        let mut s = State::default();
        s.add_thread(ThreadInfo::unknown(1));
        let long = format!("/{}", "d".repeat(SPARE_NAME_CAPACITY));
        s.add_fd(1, 3, FdInfo::named(FdType::File, long));
        for fd in 4..4 + SPARE_NAMES as i64 + 2 {
            s.add_fd(1, fd, FdInfo::named(FdType::File, format!("/tmp/{fd}")));
        }
        s.remove_fd(1, 3);
        assert!(s.spare_names.is_empty(), "a long name is not kept");
        for fd in 4..4 + SPARE_NAMES as i64 + 2 {
            s.remove_fd(1, fd);
        }
        assert_eq!(s.spare_names.len(), SPARE_NAMES);
        assert!(s.spare_names.iter().all(|n| n.is_empty()));
        assert!(s.spare_name().capacity() >= "/tmp/4".len());
    }
}
