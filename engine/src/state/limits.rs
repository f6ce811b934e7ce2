//! The bounds on what the state holds, whatever the input: a hostile capture or a flood of events
//! cannot make it grow past them. Where Falco (libsinsp, libscap, the drivers) has a limit, the value
//! is Falco's; docs/architecture.md lists them all. What goes over a limit is counted in [`Drops`].

/// Threads tracked: Falco's `falco_libs.thread_table_size` default (libsinsp's thread manager).
pub const DEFAULT_MAX_THREADS: usize = 262_144;
/// Open fds tracked per process: libsinsp's `MAX_FD_TABLE_SIZE`.
pub const MAX_FDS_PER_PROCESS: usize = 4096;
/// Bytes of a process's arguments and of its environment: the drivers read at most
/// `MAX_PROC_ARG_ENV` (4096) of each, libscap's `SCAP_MAX_ARGS_SIZE` / `SCAP_MAX_ENV_SIZE`.
pub const MAX_ARGS_BYTES: usize = 4096;
pub const MAX_ENV_BYTES: usize = 4096;
/// Bytes of a thread's cgroup list: libscap's `SCAP_MAX_CGROUPS_SIZE`; and at most this many
/// entries (a cgroup v1 host has about fifteen controllers, v2 one hierarchy).
pub const MAX_CGROUPS_BYTES: usize = 4096;
pub const MAX_CGROUPS: usize = 64;
/// Bytes of one string taken from an event (names, paths): the drivers' `MAX_PATH`.
pub const MAX_STRING_BYTES: usize = 4096;
/// Enter events longer than this are not kept for pairing with their exit: libsinsp's
/// `SP_EVT_BUF_SIZE`.
pub const MAX_ENTER_EVENT_BYTES: usize = 4096;
/// Heap bytes the thread table may hold in all (threads, their strings, args, env, fd tables).
/// Falco has no such bound; with every per-thread limit above at its maximum, a full table of
/// 262,144 threads would need several GB, so the oldest threads go first past this budget.
pub const DEFAULT_MAX_STATE_BYTES: usize = 1 << 30;
/// Containers tracked (the oldest goes first). Falco's container plugin keeps every container until
/// its removal; this is a safety net far above what one node runs.
pub const MAX_CONTAINERS: usize = 16_384;
/// Network interface addresses, users and groups taken from a capture or the host.
pub const MAX_INTERFACES: usize = 4096;
pub const MAX_USERS: usize = 65_536;
pub const MAX_GROUPS: usize = 65_536;

/// What the state did not keep because a limit was reached.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drops {
    /// Threads evicted because the table held `max_threads` (Falco's `n_drops_full_threadtable`).
    pub threads_full: u64,
    /// Threads evicted to keep the table under `max_state_bytes`.
    pub threads_memory: u64,
    /// Fds not tracked because their process already had [`MAX_FDS_PER_PROCESS`].
    pub fds: u64,
    /// Containers evicted past [`MAX_CONTAINERS`].
    pub containers: u64,
    /// Interfaces, users or groups not kept past their limits.
    pub metadata: u64,
}

impl Drops {
    pub fn total(&self) -> u64 {
        self.threads_full + self.threads_memory + self.fds + self.containers + self.metadata
    }
}

/// Cuts `s` to at most `max` bytes, on a character boundary.
pub fn truncate_str(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.shrink_to_fit();
    }
}
