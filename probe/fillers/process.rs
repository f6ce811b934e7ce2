// SPDX-License-Identifier: GPL-2.0
//! Process events: both sides of clone/fork/vfork/clone3, execve/execveat, the process exit
//! (sched_process_exit), and the calls that act on another process (kill, ptrace).

use super::emit::emit;
use super::user::user_strv;
use super::{Exit, MAX_ARGS, MAX_PATH};
use crate::abi::event_id as ev;
use crate::convert;
use crate::event::Event;
use crate::ffi::{self, ProcInfo, Task};
use crate::ring::Ring;
use crate::syscalls as nr;

/// Largest cgroups list.
const MAX_CGROUPS: usize = 1024;

/// The clone-family exit event for `task`: the parent's (from sys_exit, `res` = child tid, `x` set)
/// or the child's (from sched_process_fork, `res` = 0, header tid = the child).
pub(crate) fn clone_event(
    ring: &Ring,
    ts: u64,
    tid: u64,
    syscall: i64,
    res: i64,
    task: &Task,
    x: Option<&Exit<'_>>,
) {
    let ty = match syscall {
        nr::FORK => ev::SYSCALL_FORK_20_X,
        nr::VFORK => ev::SYSCALL_VFORK_20_X,
        nr::CLONE3 => ev::SYSCALL_CLONE3_X,
        _ => ev::SYSCALL_CLONE_20_X,
    };
    let pi = task.proc_info();
    // The clone flags are the syscall's first argument (clone3: the first field of the struct it
    // points to). The child's event is written from sched_process_fork, in the parent, whose
    // registers still hold them: both sides report the flags the call was made with, as the upstream
    // driver does.
    let arg0 = match x {
        Some(x) => x.arg(0),
        None => ffi::current_syscall_arg0(),
    };
    let flags = match syscall {
        nr::CLONE => convert::clone_flags(arg0),
        nr::CLONE3 => {
            let mut f = [0u8; 8];
            if ffi::copy_from_user(&mut f, arg0) {
                convert::clone_flags(u64::from_le_bytes(f))
            } else {
                0
            }
        }
        nr::VFORK => convert::PPM_CL_CLONE_VFORK | convert::PPM_CL_CLONE_VM,
        _ => 0,
    };
    let flags = if pi.pidns_level != 0 {
        flags | convert::PPM_CL_CHILD_IN_PIDNS
    } else {
        flags
    };
    let comm = task.comm();
    emit(ring, ts, tid, ty, 21, |e| {
        e.i64(res);
        mm_args(e, &pi);
        e.i64(pi.pid as i64);
        e.i64(pi.tgid as i64);
        e.i64(pi.ptid as i64);
        e.empty(); // cwd: left to userspace, like the modern driver (chdir events track it)
        e.u64(pi.fdlimit);
        e.u64(pi.pgft_maj);
        e.u64(pi.pgft_min);
        e.u32(pi.vm_size_kb as u32);
        e.u32(pi.vm_rss_kb as u32);
        e.u32(pi.vm_swap_kb as u32);
        e.cstr(&comm);
        cgroups(e, task);
        e.u32(flags);
        e.u32(pi.euid as u32);
        e.u32(pi.egid as u32);
        e.i64(pi.vtid as i64);
        e.i64(pi.vpid as i64);
        e.u64(pi.pidns_init_start);
    });
}

/// How an exec event gets its exe/args/env/filename.
pub(crate) enum Exec<'a> {
    /// From the new image (sched_process_exec); `filename` is bprm->filename.
    Ok { filename: &'a [u8] },
    /// From the failed call's user arguments.
    Failed(&'a Exit<'a>),
}

/// The execve/execveat exit event of `task` (current).
pub(crate) fn exec_event(
    ring: &Ring,
    ts: u64,
    tid: u64,
    at: bool,
    res: i64,
    task: &Task,
    how: Exec<'_>,
) {
    let pi = task.proc_info();
    let comm = task.comm();
    let (ty, n) = if at {
        (ev::SYSCALL_EXECVEAT_X, 30)
    } else {
        (ev::SYSCALL_EXECVE_19_X, 31)
    };
    emit(ring, ts, tid, ty, n, |e| {
        e.i64(res);
        match &how {
            Exec::Ok { .. } => mm_args(e, &pi),
            Exec::Failed(x) => user_strv(e, x.arg(if at { 2 } else { 1 }), true),
        }
        e.i64(pi.pid as i64);
        e.i64(pi.tgid as i64);
        e.i64(pi.ptid as i64);
        e.empty(); // cwd, as for clone
        e.u64(pi.fdlimit);
        e.u64(pi.pgft_maj);
        e.u64(pi.pgft_min);
        e.u32(pi.vm_size_kb as u32);
        e.u32(pi.vm_rss_kb as u32);
        e.u32(pi.vm_swap_kb as u32);
        e.cstr(&comm);
        cgroups(e, task);
        match &how {
            Exec::Ok { .. } => mm_env(e, &pi),
            Exec::Failed(x) => user_strv(e, x.arg(if at { 3 } else { 2 }), false),
        }
        e.u32(pi.tty as u32);
        e.i64(pi.vpgid as i64);
        e.u32(pi.loginuid as u32);
        e.u32(pi.exe_flags as u32);
        e.u64(pi.cap_inheritable);
        e.u64(pi.cap_permitted);
        e.u64(pi.cap_effective);
        e.u64(pi.exe_ino);
        e.u64(pi.exe_ctime_ns);
        e.u64(pi.exe_mtime_ns);
        e.u32(pi.euid as u32);
        if matches!(how, Exec::Ok { .. }) {
            e.with(MAX_PATH, |buf| task.exe_path(buf));
        } else {
            e.empty();
        }
        e.i64(pi.pgid as i64);
        e.u32(pi.egid as u32);
        // execve ends with the filename; execveat has no enter parameters appended (libs' table).
        if !at {
            match &how {
                Exec::Ok { filename } => e.cstr(filename),
                Exec::Failed(x) => e.user_str(x.arg(0), MAX_PATH),
            }
        }
    });
}

/// The procexit event of `task` (current), from sched_process_exit.
pub(crate) fn procexit(ring: &Ring, ts: u64, task: &Task, reaper: i64) {
    let code = task.exit_code();
    let tid = task.pid() as u64;
    emit(ring, ts, tid, ev::PROCEXIT_1_E, 5, |e| {
        e.i64(i64::from(code));
        e.i64(i64::from((code >> 8) & 0xff)); // WEXITSTATUS
        e.u8((code & 0x7f) as u8); // WTERMSIG
        e.u8(u8::from((code & 0x80) != 0)); // WCOREDUMP
        e.i64(reaper);
    });
}

/// The parent's side of a clone-family call (the child's comes from sched_process_fork).
#[inline(always)]
pub(super) fn clone_parent(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    if x.ret != 0 {
        // SAFETY: the reference does not outlive this call, made by the probe of current's exit.
        let cur = unsafe { Task::current() };
        clone_event(ring, ts, tid, x.nr, x.ret, cur, Some(x));
    }
}

/// A failed execve/execveat (a successful exec is reported by sched_process_exec, from the new
/// image).
#[inline(always)]
pub(super) fn exec_failed(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    if x.ret != 0 {
        // SAFETY: as in `clone_parent`.
        let cur = unsafe { Task::current() };
        exec_event(
            ring,
            ts,
            tid,
            x.nr == nr::EXECVEAT,
            x.ret,
            cur,
            Exec::Failed(x),
        );
    }
}

#[inline(always)]
pub(super) fn kill(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_KILL_X, 3, |e| {
        e.i64(x.ret);
        e.i64(i64::from(x.arg(0) as i32));
        e.u8(x.arg(1) as u8);
    })
}

#[inline(always)]
pub(super) fn ptrace(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SYSCALL_PTRACE_X, 5, |e| {
        e.i64(x.ret);
        // PT_DYN: a table index byte (PPM_PTRACE_IDX_UINT64 = 0), then the value.
        let mut dynv = [0u8; 9];
        dynv[1..].copy_from_slice(&x.arg(2).to_le_bytes());
        e.bytes(&dynv);
        dynv[1..].copy_from_slice(&x.arg(3).to_le_bytes());
        e.bytes(&dynv);
        e.u16(convert::ptrace_request(x.arg(0)));
        e.i64(i64::from(x.arg(1) as i32));
    })
}

/// argv[0] and the remaining args of the *current* mm (after exec, or in a fork child whose memory
/// is still the parent's): `[arg_start, arg_end)` holds the strings back to back.
fn mm_args(e: &mut Event, pi: &ProcInfo) {
    let total = pi.arg_end.saturating_sub(pi.arg_start) as usize;
    let mut exe_len = 0;
    if total == 0 {
        e.empty();
    } else {
        e.with(MAX_PATH.min(total), |buf| {
            let r = ffi::strncpy_from_user(buf, pi.arg_start);
            exe_len = r.unwrap_or(0);
            r
        });
    }
    let rest = total.saturating_sub(exe_len).min(MAX_ARGS);
    if rest == 0 {
        e.empty()
    } else {
        e.user_bytes(pi.arg_start + exe_len as u64, rest)
    }
}

fn mm_env(e: &mut Event, pi: &ProcInfo) {
    let total = (pi.env_end.saturating_sub(pi.env_start) as usize).min(MAX_ARGS);
    if total == 0 {
        e.empty()
    } else {
        e.user_bytes(pi.env_start, total)
    }
}

fn cgroups(e: &mut Event, t: &Task) {
    e.with(MAX_CGROUPS, |buf| {
        let n = t.cgroups(buf);
        (n > 0).then_some(n)
    });
}
