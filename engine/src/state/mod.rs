//! The system state falco reconstructs from events: threads and their fds, users and groups,
//! containers, the machine and its interfaces.

pub mod containers;
pub mod fds;
pub mod host;
pub mod parser;
pub mod proc_scan;
pub mod threads;
pub mod users;

pub use containers::{ContainerInfo, ContainerTable};
pub use fds::{FdInfo, FdTable, FdType, IpTuple, L4Proto};
pub use parser::EventCtx;
pub use threads::{ThreadInfo, ThreadTable};
pub use users::UserTable;

use crate::scap::{Interface, Item, MachineInfo};

/// Default bound on tracked threads; beyond it the oldest placeholders are dropped first.
pub const DEFAULT_MAX_THREADS: usize = 131_072;
/// Bound on fds tracked per process.
pub const MAX_FDS_PER_PROCESS: usize = 65_536;

#[derive(Debug, Clone)]
pub struct State {
    pub threads: ThreadTable,
    pub users: UserTable,
    pub containers: ContainerTable,
    pub machine: MachineInfo,
    pub interfaces: Vec<Interface>,
    pub max_threads: usize,
    /// Threads dropped because the table was full.
    pub threads_dropped: u64,
    pending_fd_removals: Vec<(i64, i64)>,
    pending_thread_removal: Option<i64>,
}

impl Default for State {
    fn default() -> Self {
        State {
            threads: ThreadTable::default(),
            users: UserTable::default(),
            containers: ContainerTable::default(),
            machine: MachineInfo::default(),
            interfaces: Vec::new(),
            max_threads: DEFAULT_MAX_THREADS,
            threads_dropped: 0,
            pending_fd_removals: Vec::new(),
            pending_thread_removal: None,
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
                for p in procs {
                    self.add_thread(ThreadInfo::from_entry(p));
                }
            }
            Item::Fds { tid, fds } => {
                if let Some(t) = self.threads.get_mut(*tid) {
                    for f in fds {
                        t.fds.insert(f.fd, FdInfo::from_entry(f));
                    }
                }
            }
            Item::Interfaces(i) => self.interfaces = i.clone(),
            Item::Users { users, groups } => {
                for u in users {
                    self.users.add_user(u.clone());
                }
                for g in groups {
                    self.users.add_group(g.clone());
                }
            }
            Item::Event { .. } => return false,
        }
        true
    }

    pub fn add_thread(&mut self, t: ThreadInfo) {
        if self.threads.len() >= self.max_threads && !self.threads.contains(t.tid) {
            self.evict_one();
        }
        self.threads.insert(t);
    }

    /// Keeps memory bounded when threads exit unseen: drop a placeholder first, else any thread.
    fn evict_one(&mut self) {
        let victim = self
            .threads
            .iter()
            .find(|t| t.incomplete)
            .or_else(|| self.threads.iter().next())
            .map(|t| t.tid);
        if let Some(tid) = victim {
            self.threads.remove(tid);
            self.threads_dropped += 1;
        }
    }

    pub fn remove_thread(&mut self, tid: i64) {
        let Some(t) = self.threads.remove(tid) else {
            return;
        };
        // A leader that exits before its threads hands its fd table to one of them.
        if t.is_main_thread() && !t.fds.is_empty() {
            let heir = self.threads.iter().find(|o| o.pid == t.pid).map(|o| o.tid);
            if let Some(heir) = heir
                && let Some(h) = self.threads.get_mut(heir)
            {
                h.fds = t.fds;
            }
        }
    }

    pub fn add_fd(&mut self, tid: i64, fd: i64, info: FdInfo) {
        if let Some(table) = self.threads.fd_table_mut(tid)
            && (table.len() < MAX_FDS_PER_PROCESS || table.get(fd).is_some())
        {
            table.insert(fd, info);
        }
    }

    /// The fd `fd` of thread `tid`'s process.
    pub fn fd(&self, tid: i64, fd: i64) -> Option<&FdInfo> {
        self.threads.fd_owner(tid)?.fds.get(fd)
    }

    pub fn thread(&self, tid: i64) -> Option<&ThreadInfo> {
        self.threads.get(tid)
    }
}
