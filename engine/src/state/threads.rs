//! Threads and processes: what falco knows about every thread it has seen, and their lineage.

// Thread and fd ids are small integers: a fast non-cryptographic hash is enough.
use rustc_hash::FxHashMap as HashMap;

use super::fds::FdTable;
use crate::scap::ProcEntry;

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
    pub args: Vec<String>,
    pub env: Vec<String>,
    pub cwd: String,
    pub uid: u32,
    pub gid: u32,
    pub loginuid: u32,
    pub vtid: i64,
    pub vpid: i64,
    /// `(subsystem, path)` pairs.
    pub cgroups: Vec<(String, String)>,
    /// Container id derived from the cgroups ("" on the host).
    pub container_id: String,
    pub root: String,
    pub fdlimit: u64,
    pub tty: u32,
    pub flags: u32,
    pub exe_writable: bool,
    pub exe_upper_layer: bool,
    pub exe_from_memfd: bool,
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
            tid,
            pid: tid,
            ptid: -1,
            sid: -1,
            vpgid: -1,
            pgid: -1,
            comm: NA.to_string(),
            exe: NA.to_string(),
            exepath: String::new(),
            args: Vec::new(),
            env: Vec::new(),
            cwd: String::new(),
            uid: u32::MAX,
            gid: u32::MAX,
            loginuid: u32::MAX,
            vtid: -1,
            vpid: -1,
            cgroups: Vec::new(),
            container_id: String::new(),
            root: String::new(),
            fdlimit: 0,
            tty: 0,
            flags: 0,
            exe_writable: false,
            exe_upper_layer: false,
            exe_from_memfd: false,
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
        t.env = split_nul(&e.env);
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
            args: join_nul(&self.args),
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
            env: join_nul(&self.env),
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
            exe_ino: 0,
            exe_ino_ctime: 0,
            exe_ino_mtime: 0,
            exe_from_memfd: self.exe_from_memfd,
        }
    }

    /// Sets the cgroups from a NUL-separated `subsys=path` list and derives the container id.
    pub fn set_cgroups(&mut self, raw: &[u8]) {
        self.cgroups = split_nul(raw)
            .into_iter()
            .filter_map(|s| {
                let (k, v) = s.split_once('=')?;
                Some((k.to_string(), v.to_string()))
            })
            .collect();
        self.container_id = self
            .cgroups
            .iter()
            .find_map(|(_, p)| super::containers::container_id_from_cgroup(p))
            .unwrap_or_default();
    }

    pub fn is_main_thread(&self) -> bool {
        self.tid == self.pid
    }

    /// `proc.cmdline`: the name and the arguments, space-separated.
    pub fn cmdline(&self) -> String {
        let mut s = self.comm.clone();
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
}

/// Splits a NUL-separated list (a trailing NUL does not make an empty last item).
pub fn split_nul(raw: &[u8]) -> Vec<String> {
    let raw = raw.strip_suffix(b"\0").unwrap_or(raw);
    if raw.is_empty() {
        return Vec::new();
    }
    raw.split(|&b| b == 0)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

fn join_nul(items: &[String]) -> Vec<u8> {
    let mut v = Vec::new();
    for i in items {
        v.extend_from_slice(i.as_bytes());
        v.push(0);
    }
    v
}

/// Every thread falco knows, by tid.
#[derive(Debug, Default, Clone)]
pub struct ThreadTable {
    threads: HashMap<i64, ThreadInfo>,
}

/// Lineage walks stop after this many ancestors (a corrupt ptid loop must not hang matching).
pub const MAX_LINEAGE: usize = 64;

impl ThreadTable {
    pub fn get(&self, tid: i64) -> Option<&ThreadInfo> {
        self.threads.get(&tid)
    }

    pub fn get_mut(&mut self, tid: i64) -> Option<&mut ThreadInfo> {
        self.threads.get_mut(&tid)
    }

    pub fn insert(&mut self, t: ThreadInfo) {
        self.threads.insert(t.tid, t);
    }

    pub fn remove(&mut self, tid: i64) -> Option<ThreadInfo> {
        self.threads.remove(&tid)
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
        self.threads.values()
    }

    /// The thread holding `tid`'s fd table: its process leader when known, else itself.
    pub fn fd_owner(&self, tid: i64) -> Option<&ThreadInfo> {
        let t = self.threads.get(&tid)?;
        if t.pid != t.tid
            && let Some(leader) = self.threads.get(&t.pid)
        {
            return Some(leader);
        }
        Some(t)
    }

    /// Mutable access to the fd table `tid` uses.
    pub fn fd_table_mut(&mut self, tid: i64) -> Option<&mut FdTable> {
        let pid = self.threads.get(&tid)?.pid;
        let owner = if pid != tid && self.threads.contains_key(&pid) {
            pid
        } else {
            tid
        };
        self.threads.get_mut(&owner).map(|t| &mut t.fds)
    }

    /// The parent of a thread (by ptid).
    pub fn parent(&self, t: &ThreadInfo) -> Option<&ThreadInfo> {
        if t.ptid <= 0 || t.ptid == t.tid {
            return None;
        }
        self.threads.get(&t.ptid)
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
        self.threads.clear();
    }
}
