//! Process lineage: clone and fork children, execve, and the uid/gid changes.

use super::*;
use crate::state::cgroup_lists::CgroupLists;
use crate::state::parser::{param_bytes, param_i64, param_str, param_u64};

impl State {
    pub(super) fn parse_clone(&mut self, e: &Event<'_>, res: Option<i64>) {
        const CLONE_THREAD: u64 = 1 << 13; // PPM_CL_CLONE_THREAD
        let Some(res) = res else { return };
        if res < 0 {
            return;
        }
        let flags = param_u64!(e, "flags").unwrap_or(0);
        let is_thread = flags & CLONE_THREAD != 0;
        if res == 0 {
            self.parse_clone_child(e, flags, is_thread);
            return;
        }
        // The caller's side: complete a placeholder caller from the event.
        if let Some(mut t) = self.threads.get_mut(e.tid)
            && t.incomplete
        {
            if let Some(p) = param_i64!(e, "pid") {
                t.pid = p;
            }
            if let Some(p) = param_i64!(e, "ptid") {
                t.ptid = p;
            }
        }
        let Some(caller) = self.threads.get(e.tid) else {
            return;
        };
        let caller_valid = !caller.incomplete;
        // A child already created by its own clone exit keeps its data.
        if self.threads.get(res).is_some_and(|c| c.clone_inverted) {
            return;
        }
        let mut child = ThreadInfo::blank(res);
        child.flags = flags as u32;
        if is_thread {
            child.pid = caller.pid;
            child.ptid = caller.ptid;
        } else {
            child.pid = res;
            child.ptid = caller.tid;
            if caller_valid {
                child.cwd = caller.cwd.clone();
                child.env = caller.env.clone();
                if let Some(owner) = self.threads.fd_owner(e.tid) {
                    child.fds = owner.fds.clone();
                }
            }
        }
        // The caller cannot know the child's ids in its pid namespace; the child's own exit tells.
        child.vtid = -1;
        child.vpid = -1;
        if caller_valid {
            copy_inherited(&mut child, caller);
        }
        fill_child_from_event(&mut child, e, &mut self.cgroup_lists);
        child.clone_ts = e.ts;
        child.pidns_init_start_ts = self.machine.boot_ts;
        child.incomplete = false;
        if !caller_valid {
            // What the event says about the child is the best we know about the caller too.
            let (exe, comm, args) = (child.exe.clone(), child.comm.clone(), child.args.clone());
            if let Some(mut c) = self.threads.get_mut(e.tid) {
                c.exe = exe;
                c.comm = comm;
                c.args = args;
            }
        }
        self.threads.remove(res);
        self.add_thread(child);
    }

    pub(super) fn parse_clone_child(&mut self, e: &Event<'_>, flags: u64, is_thread: bool) {
        // The caller's exit may already have created this thread: it only learns its namespace ids.
        if let Some(mut t) = self.threads.get_mut(e.tid)
            && t.clone_ts != 0
            && !t.incomplete
        {
            if let Some(v) = param_i64!(e, "vtid") {
                t.vtid = v;
            }
            if let Some(v) = param_i64!(e, "vpid") {
                t.vpid = v;
            }
            return;
        }
        let mut child = ThreadInfo::blank(e.tid);
        child.pid = param_i64!(e, "pid").unwrap_or(e.tid);
        child.ptid = param_i64!(e, "ptid").unwrap_or(-1);
        child.vtid = param_i64!(e, "vtid").unwrap_or(e.tid);
        child.vpid = param_i64!(e, "vpid").unwrap_or(-1);
        child.flags = flags as u32;
        child.clone_inverted = true;
        let lookup = if is_thread { child.pid } else { child.ptid };
        if let Some(l) = self.threads.get(lookup).filter(|l| !l.incomplete) {
            copy_inherited(&mut child, l);
            if !is_thread {
                child.cwd = l.cwd.clone();
                child.env = l.env.clone();
                if let Some(owner) = self.threads.fd_owner(lookup) {
                    child.fds = owner.fds.clone();
                }
            }
        }
        fill_child_from_event(&mut child, e, &mut self.cgroup_lists);
        child.clone_ts = e.ts;
        child.pidns_init_start_ts = pidns_start(&child, e, self.machine.boot_ts);
        child.incomplete = false;
        self.threads.remove(e.tid);
        self.add_thread(child);
    }

    pub(super) fn parse_execve(&mut self, e: &Event<'_>, res: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        // The path the caller asked to run, from the enter event (execve_E filename) when present.
        let mut offs = NO_OFFSETS;
        let enter_path = self.enter_for(e, &mut offs).and_then(|en| {
            param_str!(&en, "filename")
                .or_else(|| param_str!(&en, "pathname"))
                .map(lossy)
        });
        let tid = e.tid;
        let resolved = enter_path.map(|p| {
            if p == "<NA>" {
                p
            } else {
                self.resolve_path(tid, None, &p)
            }
        });
        let Some(mut t) = self.threads.get_mut(tid) else {
            return;
        };
        if let Some(exe) = param_str!(e, "exe") {
            t.exe = lossy(exe);
        }
        // Old layouts have no comm: sysdig uses the exe.
        t.comm = match param_str!(e, "comm") {
            Some(c) => lossy(c),
            None => t.exe.clone(),
        };
        if let Some(args) = param_bytes!(e, "args") {
            t.args = split_nul(args);
        }
        if let Some(p) = param_i64!(e, "pid") {
            t.pid = p;
        }
        if t.incomplete
            && let Some(p) = param_i64!(e, "ptid")
        {
            t.ptid = p;
        }
        if let Some(v) = param_u64!(e, "fdlimit") {
            t.fdlimit = v;
        }
        set_memory(&mut t, e);
        if let Some(env) = param_bytes!(e, "env") {
            t.env = split_nul(env);
        }
        if let Some(cg) = param_bytes!(e, "cgroups") {
            self.cgroup_lists.set(&mut t, cg);
        }
        if let Some(v) = param_u64!(e, "tty") {
            t.tty = v as u32;
        }
        if let Some(x) = param_str!(e, "trusted_exepath") {
            t.exepath = lossy(x);
        } else if let Some(r) = resolved {
            t.exepath = r;
        }
        if let Some(v) = param_i64!(e, "vpgid") {
            t.vpgid = v;
        }
        if let Some(v) = param_u64!(e, "loginuid") {
            t.loginuid = v as u32;
        }
        if let Some(v) = param_u64!(e, "flags") {
            const PPM_EXE_WRITABLE: u64 = 1;
            const PPM_EXE_UPPER_LAYER: u64 = 2;
            const PPM_EXE_FROM_MEMFD: u64 = 4;
            const PPM_EXE_LOWER_LAYER: u64 = 8;
            t.exe_writable = v & PPM_EXE_WRITABLE != 0;
            t.exe_upper_layer = v & PPM_EXE_UPPER_LAYER != 0;
            t.exe_from_memfd = v & PPM_EXE_FROM_MEMFD != 0;
            t.exe_lower_layer = v & PPM_EXE_LOWER_LAYER != 0;
        }
        set_exe_ino(&mut t, e);
        // Falco's process group id: -1 when the event does not carry it.
        t.pgid = param_i64!(e, "pgid").unwrap_or(-1);
        if let Some(v) = param_u64!(e, "cap_inheritable") {
            t.cap_inheritable = v;
        }
        if let Some(v) = param_u64!(e, "cap_permitted") {
            t.cap_permitted = v;
        }
        if let Some(v) = param_u64!(e, "cap_effective") {
            t.cap_effective = v;
        }
        if let Some(v) = param_u64!(e, "uid") {
            t.uid = v as u32;
        }
        if let Some(v) = param_u64!(e, "gid") {
            t.gid = v as u32;
        }
        t.incomplete = false;
        // An exec ends every other thread of the process.
        let pid = t.pid;
        drop(t);
        self.exec_ends_other_threads(tid, pid);
    }

    pub(super) fn parse_setid(&mut self, e: &Event<'_>, kind: Kind, res: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        let (name, is_gid) = match kind {
            Kind::SetUid => ("uid", false),
            Kind::SetGid => ("gid", true),
            Kind::SetResUid => ("euid", false),
            _ => ("egid", true),
        };
        let mut offs = NO_OFFSETS;
        let v = self
            .enter_for(e, &mut offs)
            .and_then(|en| p_u64(&en, name))
            .or_else(|| p_u64(e, name));
        let Some(v) = v.map(|v| v as u32) else { return };
        if v == u32::MAX {
            return; // -1: unchanged
        }
        self.threads.update_counters(e.tid, |t| {
            if is_gid {
                t.gid = v;
            } else {
                t.uid = v;
            }
        });
    }
}

/// What a new process or thread takes from its parent (or leader) besides what the event carries.
pub(super) fn copy_inherited(child: &mut ThreadInfo, from: &ThreadInfo) {
    child.exepath = from.exepath.clone();
    child.exe_writable = from.exe_writable;
    child.exe_upper_layer = from.exe_upper_layer;
    child.exe_from_memfd = from.exe_from_memfd;
    child.root = from.root.clone();
    child.sid = from.sid;
    child.vpgid = from.vpgid;
    child.tty = from.tty;
    child.loginuid = from.loginuid;
    child.cap_permitted = from.cap_permitted;
    child.cap_inheritable = from.cap_inheritable;
    child.cap_effective = from.cap_effective;
    child.cgroups = from.cgroups.clone();
    child.container_id = from.container_id.clone();
    child.exe_lower_layer = from.exe_lower_layer;
    child.pgid = from.pgid;
    child.exe_ino = from.exe_ino;
    child.exe_ino_ctime = from.exe_ino_ctime;
    child.exe_ino_mtime = from.exe_ino_mtime;
    child.exe_ino_ctime_duration_clone_ts = from.exe_ino_ctime_duration_clone_ts;
}

/// The executable's inode times an execve exit carries, and the durations Falco derives from them.
fn set_exe_ino(t: &mut ThreadInfo, e: &Event<'_>) {
    let Some(mtime) = param_u64!(e, "exe_ino_mtime") else {
        return;
    };
    t.exe_ino = param_u64!(e, "exe_ino").unwrap_or(0);
    t.exe_ino_ctime = param_u64!(e, "exe_ino_ctime").unwrap_or(0);
    t.exe_ino_mtime = mtime;
    if t.clone_ts != 0 {
        t.exe_ino_ctime_duration_clone_ts = t.clone_ts.wrapping_sub(t.exe_ino_ctime);
    }
    if t.pidns_init_start_ts != 0 && t.exe_ino_ctime > t.pidns_init_start_ts {
        t.exe_ino_ctime_duration_pidns_start = t.exe_ino_ctime - t.pidns_init_start_ts;
    }
}

/// When a new thread's pid namespace started (Falco's proc.pidns_init_start_ts, container.start_ts):
/// the event's value (from boot) for a thread in a child pid namespace, else the machine's boot.
pub(super) fn pidns_start(child: &ThreadInfo, e: &Event<'_>, boot_ts: u64) -> u64 {
    const PPM_CL_CLONE_NEWPID: u32 = 1 << 6;
    const PPM_CL_CHILD_IN_PIDNS: u32 = 1 << 29;
    let in_pidns = child.flags & (PPM_CL_CLONE_NEWPID | PPM_CL_CHILD_IN_PIDNS) != 0
        || (child.vtid != -1 && child.tid != child.vtid);
    if !in_pidns {
        return boot_ts;
    }
    match param_u64!(e, "pidns_init_start_ts") {
        Some(v) => v.wrapping_add(boot_ts),
        None => child.pidns_init_start_ts,
    }
}

/// Page faults and memory sizes that execve and clone exits carry.
pub(super) fn set_memory(t: &mut ThreadInfo, e: &Event<'_>) {
    set_faults(t, e);
    set_vm(t, e);
}

pub(super) fn set_faults(t: &mut ThreadInfo, e: &Event<'_>) {
    if let Some(v) = param_u64!(e, "pgft_maj") {
        t.pfmajor = v;
    }
    if let Some(v) = param_u64!(e, "pgft_min") {
        t.pfminor = v;
    }
}

/// Memory sizes (brk, mmap and munmap exits carry them too).
pub(super) fn set_vm(t: &mut ThreadInfo, e: &Event<'_>) {
    if let Some(v) = param_u64!(e, "vm_size") {
        t.vmsize_kb = v as u32;
    }
    if let Some(v) = param_u64!(e, "vm_rss") {
        t.vmrss_kb = v as u32;
    }
    if let Some(v) = param_u64!(e, "vm_swap") {
        t.vmswap_kb = v as u32;
    }
}

/// The process description clone exits carry: exe, args, comm, fdlimit, memory, uid/gid, cgroups;
/// `child` is [`ThreadInfo::blank`] or a copy of what it inherits.
pub(super) fn fill_child_from_event(
    child: &mut ThreadInfo,
    e: &Event<'_>,
    cgroup_lists: &mut CgroupLists,
) {
    // The child is blank: what the event lacks is not known.
    child.exe = match param_str!(e, "exe") {
        Some(exe) => lossy(exe),
        None => crate::state::threads::NA.to_string(),
    };
    if let Some(args) = param_bytes!(e, "args") {
        child.args = split_nul(args);
    }
    child.comm = match param_str!(e, "comm") {
        Some(c) => lossy(c),
        None => child.exe.clone(),
    };
    if let Some(v) = param_i64!(e, "fdlimit") {
        child.fdlimit = v as u64;
    }
    set_memory(child, e);
    if let Some(v) = param_u64!(e, "uid") {
        child.uid = v as u32;
    }
    if let Some(v) = param_u64!(e, "gid") {
        child.gid = v as u32;
    }
    if let Some(cg) = param_bytes!(e, "cgroups") {
        cgroup_lists.set(child, cg);
    }
}
