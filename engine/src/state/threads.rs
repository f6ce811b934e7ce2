//! Threads and processes: what falco knows about every thread it has seen, and their lineage.

use std::sync::Arc;

use super::cgroup_lists::Cgroups;
use super::fds::FdTable;
use super::limits::{
    MAX_ARGS_BYTES, MAX_CGROUPS, MAX_CGROUPS_BYTES, MAX_ENTER_EVENT_BYTES, MAX_ENV_BYTES,
};
use super::nul_list::NulList;
use crate::scap::ProcEntry;

/// The first size of a thread's kept enter event buffer (bytes).
const FIRST_ENTER_CAPACITY: usize = 256;

/// sysdig's placeholder for a value it cannot know (a thread first seen mid-flight).
pub const NA: &str = "<NA>";

/// One thread. Process-wide data (fds) lives in the process leader's entry.
#[derive(Debug, Clone)]
pub struct ThreadInfo {
    pub tid: i64,
    pub pid: i64,
    pub ptid: i64,
    pub sid: i64,
    pub vpgid: i64,
    pub pgid: i64,
    pub comm: String,
    /// argv[0] as the process was started.
    pub exe: String,
    /// Full path of the executable.
    pub exepath: String,
    pub args: NulList,
    pub env: NulList,
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub vtid: i64,
    pub vpid: i64,
    /// `(subsystem, path)` pairs, shared with the threads that have the same ones (a clone
    /// inherits its parent's, and most keep them).
    pub cgroups: Arc<Cgroups>,
    /// Container id derived from the cgroups ("" on the host).
    pub container_id: String,
    pub root: String,
    pub fdlimit: u64,
    pub tty: u32,
    pub flags: u32,
    pub exe_writable: bool,
    pub exe_upper_layer: bool,
    pub exe_from_memfd: bool,
    pub exe_lower_layer: bool,
    /// The executable's inode and its ctime/mtime (ns), 0 when unknown.
    pub exe_ino: u64,
    pub exe_ino_ctime: u64,
    pub exe_ino_mtime: u64,
    /// Set at exec when known: clone_ts - ctime, and ctime - the pid namespace's start (when later).
    pub exe_ino_ctime_duration_clone_ts: u64,
    pub exe_ino_ctime_duration_pidns_start: u64,
    pub cap_inheritable: u64,
    pub cap_permitted: u64,
    pub cap_effective: u64,
    pub pidns_init_start_ts: u64,
    pub clone_ts: u64,
    pub vmsize_kb: u32,
    pub vmrss_kb: u32,
    pub vmswap_kb: u32,
    pub pfmajor: u64,
    pub pfminor: u64,
    /// CPU time (user, system) of the last two procinfo events, for thread.cpu.
    pub cpu_times: (u64, u64),
    pub cpu_times_prev: (u64, u64),
    /// CPU time accumulated over the scheduler switches seen, for thread.totexectime.
    pub totexectime: u64,
    /// Open fds; used on the process leader (tid == pid) only.
    pub fds: FdTable,
    /// The last enter event of this thread, to pair with its exit.
    pub last_enter: Vec<u8>,
    pub last_enter_type: u16,
    /// The fd the current syscall works on (from its enter event), -1 when none.
    pub last_fd: i64,
    /// The thread was created by falco from a mid-flight event, not from the capture's process list
    /// or a clone it saw.
    pub incomplete: bool,
    /// The thread exited (procexit seen); it is purged before the next event.
    pub exited: bool,
    /// Created by its own clone exit before the caller's (the caller then leaves it alone).
    pub clone_inverted: bool,
}

impl ThreadInfo {
    /// A thread seen for the first time in an event, with nothing known about it.
    pub fn unknown(tid: i64) -> ThreadInfo {
        ThreadInfo {
            comm: NA.to_string(),
            exe: NA.to_string(),
            ..ThreadInfo::blank(tid)
        }
    }

    /// [`ThreadInfo::unknown`] with an empty name and exe, for a caller that sets both.
    pub(super) fn blank(tid: i64) -> ThreadInfo {
        ThreadInfo {
            tid,
            pid: tid,
            ptid: -1,
            sid: -1,
            vpgid: -1,
            pgid: -1,
            comm: String::new(),
            exe: String::new(),
            exepath: String::new(),
            args: NulList::default(),
            env: NulList::default(),
            cwd: String::new(),
            uid: u32::MAX,
            gid: u32::MAX,
            loginuid: u32::MAX,
            vtid: -1,
            vpid: -1,
            cgroups: Cgroups::none(),
            container_id: String::new(),
            root: String::new(),
            fdlimit: 0,
            tty: 0,
            flags: 0,
            exe_writable: false,
            exe_upper_layer: false,
            exe_from_memfd: false,
            exe_lower_layer: false,
            exe_ino: 0,
            exe_ino_ctime: 0,
            exe_ino_mtime: 0,
            exe_ino_ctime_duration_clone_ts: 0,
            exe_ino_ctime_duration_pidns_start: 0,
            cap_inheritable: 0,
            cap_permitted: 0,
            cap_effective: 0,
            pidns_init_start_ts: 0,
            clone_ts: 0,
            vmsize_kb: 0,
            vmrss_kb: 0,
            vmswap_kb: 0,
            pfmajor: 0,
            pfminor: 0,
            cpu_times: (0, 0),
            cpu_times_prev: (0, 0),
            totexectime: 0,
            fds: FdTable::default(),
            last_enter: Vec::new(),
            last_enter_type: u16::MAX,
            last_fd: -1,
            incomplete: true,
            exited: false,
            clone_inverted: false,
        }
    }

    /// A thread from a capture's process list.
    pub fn from_entry(e: &ProcEntry) -> ThreadInfo {
        let mut t = ThreadInfo::unknown(e.tid);
        t.pid = e.pid;
        t.ptid = e.ptid;
        t.sid = e.sid;
        t.vpgid = e.vpgid;
        t.comm = e.comm.clone();
        t.exe = e.exe.clone();
        t.exepath = e.exepath.clone();
        t.args = split_nul(&e.args);
        t.env = NulList::from_raw(&e.env, MAX_ENV_BYTES);
        t.cwd = e.cwd.clone();
        if !t.cwd.is_empty() && !t.cwd.ends_with('/') {
            t.cwd.push('/');
        }
        t.uid = e.uid;
        t.gid = e.gid;
        t.loginuid = e.loginuid;
        t.vtid = e.vtid;
        t.vpid = e.vpid;
        t.set_cgroups(&e.cgroups);
        t.root = e.root.clone();
        t.fdlimit = e.fdlimit;
        t.tty = e.tty;
        t.flags = e.flags;
        t.exe_writable = e.exe_writable;
        t.exe_upper_layer = e.exe_upper_layer;
        t.exe_from_memfd = e.exe_from_memfd;
        t.exe_ino = e.exe_ino;
        t.exe_ino_ctime = e.exe_ino_ctime;
        t.exe_ino_mtime = e.exe_ino_mtime;
        t.cap_inheritable = e.cap_inheritable;
        t.cap_permitted = e.cap_permitted;
        t.cap_effective = e.cap_effective;
        t.pidns_init_start_ts = e.pidns_init_start_ts;
        t.vmsize_kb = e.vmsize_kb;
        t.vmrss_kb = e.vmrss_kb;
        t.vmswap_kb = e.vmswap_kb;
        t.pfmajor = e.pfmajor;
        t.pfminor = e.pfminor;
        t.incomplete = false;
        t
    }

    /// The entry the writer saves for this thread.
    pub fn to_entry(&self) -> ProcEntry {
        ProcEntry {
            tid: self.tid,
            pid: self.pid,
            ptid: self.ptid,
            sid: self.sid,
            vpgid: self.vpgid,
            comm: self.comm.clone(),
            exe: self.exe.clone(),
            exepath: self.exepath.clone(),
            args: self.args.to_raw(),
            cwd: self.cwd.clone(),
            fdlimit: self.fdlimit,
            flags: self.flags,
            uid: self.uid,
            gid: self.gid,
            vmsize_kb: self.vmsize_kb,
            vmrss_kb: self.vmrss_kb,
            vmswap_kb: self.vmswap_kb,
            pfmajor: self.pfmajor,
            pfminor: self.pfminor,
            env: self.env.to_raw(),
            vtid: self.vtid,
            vpid: self.vpid,
            cgroups: self
                .cgroups
                .iter()
                .flat_map(|(s, p)| format!("{s}={p}\0").into_bytes())
                .collect(),
            root: self.root.clone(),
            pidns_init_start_ts: self.pidns_init_start_ts,
            tty: self.tty,
            loginuid: self.loginuid,
            exe_writable: self.exe_writable,
            cap_inheritable: self.cap_inheritable,
            cap_permitted: self.cap_permitted,
            cap_effective: self.cap_effective,
            exe_upper_layer: self.exe_upper_layer,
            exe_ino: self.exe_ino,
            exe_ino_ctime: self.exe_ino_ctime,
            exe_ino_mtime: self.exe_ino_mtime,
            exe_from_memfd: self.exe_from_memfd,
        }
    }

    /// Sets the cgroups from a NUL-separated `subsys=path` list (at most [`MAX_CGROUPS_BYTES`] of
    /// it, [`MAX_CGROUPS`] entries) and derives the container id.
    pub fn set_cgroups(&mut self, raw: &[u8]) {
        if self.cgroups.parsed_from(raw) {
            // Most clones and execs stay in their cgroups: nothing to rebuild or allocate.
            return;
        }
        self.parse_cgroups(raw);
    }

    /// Sets the cgroups from `raw` as [`ThreadInfo::set_cgroups`] does, without first looking
    /// whether they changed.
    pub(super) fn parse_cgroups(&mut self, raw: &[u8]) {
        let pairs: Box<[(String, String)]> = NulList::from_raw(raw, MAX_CGROUPS_BYTES)
            .iter()
            .filter_map(|s| {
                let (k, v) = s.split_once('=')?;
                Some((cgroup_subsystem(k).to_string(), v.to_string()))
            })
            .take(MAX_CGROUPS)
            .collect();
        self.set_cgroup_list(Arc::new(Cgroups::new(pairs, raw)));
    }

    /// Takes `list` as the thread's cgroups, and the container id they give.
    pub(super) fn set_cgroup_list(&mut self, list: Arc<Cgroups>) {
        self.container_id.clear();
        self.container_id.push_str(list.container_id());
        self.cgroups = list;
    }

    pub fn is_main_thread(&self) -> bool {
        self.tid == self.pid
    }

    /// `proc.cmdline`: the name and the arguments, space-separated.
    pub fn cmdline(&self) -> String {
        // Sized once: rules test this field on most events of a process.
        let len = self.comm.len() + 1 + self.args.joined_len();
        let mut s = String::with_capacity(len);
        s.push_str(&self.comm);
        for a in &self.args {
            s.push(' ');
            s.push_str(a);
        }
        s
    }

    /// `proc.args`.
    pub fn args_joined(&self) -> String {
        self.args.join(" ")
    }

    /// Keeps an enter event to pair with its exit, with the fd it works on. Events longer than
    /// [`MAX_ENTER_EVENT_BYTES`] are not kept, as libsinsp does not keep them: their exit is then
    /// parsed on its own.
    pub fn remember_enter(&mut self, bytes: &[u8], event_type: u16, fd: i64) {
        self.last_enter.clear();
        if bytes.len() <= MAX_ENTER_EVENT_BYTES {
            // A new thread's buffer starts at a size most enter events fit in: growing it event by
            // event cost a reallocation each.
            if self.last_enter.capacity() < bytes.len() {
                self.last_enter
                    .reserve(bytes.len().max(FIRST_ENTER_CAPACITY));
            }
            self.last_enter.extend_from_slice(bytes);
            self.last_enter_type = event_type;
        } else {
            self.last_enter_type = u16::MAX;
        }
        self.last_fd = fd;
    }

    /// What [`remember_enter`](Self::remember_enter) leaves of an enter event whose exit nothing
    /// reads ([`State::pass_over`](crate::state::State::pass_over)): the pairing (its type, its
    /// fd), not its bytes.
    pub fn note_enter(&mut self, len: usize, event_type: u16, fd: i64) {
        self.last_enter.clear();
        self.last_enter_type = if len <= MAX_ENTER_EVENT_BYTES {
            event_type
        } else {
            u16::MAX
        };
        self.last_fd = fd;
    }

    /// Heap bytes this thread holds (its strings, lists and fd table), for the table's memory
    /// budget. A field holding heap memory must be counted here.
    pub fn heap_bytes(&self) -> usize {
        let strings = [
            &self.comm,
            &self.exe,
            &self.exepath,
            &self.cwd,
            &self.container_id,
            &self.root,
        ]
        .iter()
        .map(|s| s.capacity())
        .sum::<usize>();
        // Counted whole for each thread that shares them: the budget stays an upper bound.
        let cgroups = self.cgroups.heap_bytes();
        strings
            + self.args.heap_bytes()
            + self.env.heap_bytes()
            + cgroups
            + self.last_enter.capacity()
            + self.fds.heap_bytes()
    }
}

/// Splits a NUL-separated argument or environment list (a trailing NUL does not make an empty last
/// item), keeping at most [`MAX_ARGS_BYTES`] of it.
pub fn split_nul(raw: &[u8]) -> NulList {
    NulList::from_raw(raw, MAX_ARGS_BYTES)
}

/// A cgroup subsystem under the name libs gives it (`io` is `blkio`, `perf` is `perf_event`...).
fn cgroup_subsystem(k: &str) -> std::borrow::Cow<'_, str> {
    // Most names have no underscore: no substring search for them.
    let suffix = if k.as_bytes().contains(&b'_') {
        k.find("_cgroup")
    } else {
        None
    };
    let k: std::borrow::Cow<'_, str> = match suffix {
        Some(p) => format!("{}{}", &k[..p], &k[p + "_cgroup".len()..]).into(),
        None => k.into(),
    };
    match &*k {
        "perf" => "perf_event".into(),
        "mem" => "memory".into(),
        "io" => "blkio".into(),
        _ => k,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgroup_subsystems_take_the_names_libs_gives_them() {
        for (k, name) in [
            ("cpuset", "cpuset"),
            ("mem_cgroup", "memory"),
            ("perf", "perf_event"),
            ("net_cls", "net_cls"),
            ("io", "blkio"),
            ("x_cgroup_y", "x_y"),
        ] {
            assert_eq!(cgroup_subsystem(k), name, "{k}");
        }
    }

    #[test]
    fn same_cgroups_are_kept_other_cgroups_replace_them() {
        let docker = b"cpuset=/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\0mem_cgroup=/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\0";
        let mut t = ThreadInfo::unknown(1);
        t.set_cgroups(docker);
        assert_eq!(t.container_id, "0123456789ab");
        assert_eq!(t.cgroups[1].0, "memory");
        assert!(t.cgroups.parsed_from(docker));
        t.set_cgroups(docker);
        assert_eq!(t.cgroups.len(), 2);
        assert!(!t.cgroups.parsed_from(b"cpuset=/\0"));
        assert!(!t.cgroups.parsed_from(
            b"cpuset=/docker/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\0"
        ));
        t.set_cgroups(b"cpuset=/\0");
        assert_eq!(t.container_id, "");
        assert_eq!(t.cgroups[..], [("cpuset".to_string(), "/".to_string())]);
        assert!(!t.cgroups.parsed_from(b""));
        t.set_cgroups(b"");
        assert!(t.cgroups.is_empty() && t.cgroups.parsed_from(b"\0"));
    }
}
