// SPDX-License-Identifier: GPL-2.0
//! The tracepoint probes, the capture configuration they read, and the capture session (the rings)
//! they write to.
//!
//! Lifetime rule: a session is published in `SESSION` before any probe is attached, and freed only
//! after every probe is detached and `synchronize_tracepoints` has returned, so a probe that sees a
//! non-null `SESSION` may use it for the whole of its run.
//!
//! Hot-path state is read with `core::sync::atomic` rather than the kernel's `Atomic<T>`: on x86_64
//! these compile to plain moves, where `Atomic<T>` costs a call into a C helper per access (this
//! kernel has no inline Rust helpers), and the probes run on every syscall.

use crate::abi::{self, tracepoint as tpid, SYSCALL_TABLE_SIZE};
use crate::ffi::{self, Binprm, Pinned, Regs, Task};
use crate::fillers::{self, Exec, Exit};
use crate::ring::Ring;
use crate::syscalls as nr;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, Ordering::*};
use kernel::bindings;
use kernel::prelude::*;

const MASK_WORDS: usize = SYSCALL_TABLE_SIZE / 64;

/// What userspace configured through the ioctls.
pub(crate) struct Config {
    pub(crate) capture: AtomicBool,
    pub(crate) dropfailed: AtomicBool,
    pub(crate) snaplen: AtomicU32,
    /// Interesting syscalls, by x86_64 number.
    mask: [AtomicU64; MASK_WORDS],
}

pub(crate) static CONFIG: Config = Config {
    capture: AtomicBool::new(false),
    dropfailed: AtomicBool::new(false),
    snaplen: AtomicU32::new(abi::DEFAULT_SNAPLEN),
    mask: [const { AtomicU64::new(u64::MAX) }; MASK_WORDS],
};

impl Config {
    /// Back to the state of a fresh open: capture off, every syscall interesting.
    pub(crate) fn reset(&self) {
        self.capture.store(false, Relaxed);
        self.dropfailed.store(false, Relaxed);
        self.snaplen.store(abi::DEFAULT_SNAPLEN, Relaxed);
        self.set_all(true);
    }

    #[inline(always)]
    pub(crate) fn wants(&self, id: i64) -> bool {
        let id = id as u64;
        if id >= SYSCALL_TABLE_SIZE as u64 {
            return false;
        }
        self.mask[(id / 64) as usize].load(Relaxed) & (1 << (id % 64)) != 0
    }

    pub(crate) fn set_syscall(&self, id: u64, on: bool) -> Result {
        if id >= SYSCALL_TABLE_SIZE as u64 {
            return Err(EINVAL);
        }
        let w = &self.mask[(id / 64) as usize];
        if on {
            w.fetch_or(1 << (id % 64), Relaxed);
        } else {
            w.fetch_and(!(1 << (id % 64)), Relaxed);
        }
        Ok(())
    }

    pub(crate) fn set_all(&self, on: bool) {
        for w in &self.mask {
            w.store(if on { u64::MAX } else { 0 }, Relaxed);
        }
    }
}

/// The rings of an open device.
pub(crate) struct Session {
    pub(crate) rings: KVec<Ring>,
    /// Added to boot-clock readings to give ns since the epoch.
    epoch_offset: u64,
}

impl Session {
    pub(crate) fn new(ring_bytes: u64) -> Result<Session> {
        let n = kernel::cpu::nr_cpu_ids() as usize;
        let mut rings = KVec::with_capacity(n, GFP_KERNEL)?;
        for _ in 0..n {
            rings.push(Ring::new(ring_bytes)?, GFP_KERNEL)?;
        }
        let epoch_offset = ffi::real_ns().wrapping_sub(ffi::boot_ns());
        Ok(Session {
            rings,
            epoch_offset,
        })
    }

    #[inline(always)]
    fn ts(&self) -> u64 {
        ffi::boot_ns().wrapping_add(self.epoch_offset)
    }
}

pub(crate) static SESSION: AtomicPtr<Session> = AtomicPtr::new(core::ptr::null_mut());

/// The live session, if capture may write. See the module's lifetime rule.
#[inline(always)]
fn session() -> Option<&'static Session> {
    let p = SESSION.load(Acquire);
    // SAFETY: a non-null SESSION stays valid until all probes are detached and synchronized.
    (!p.is_null()).then(|| unsafe { &*p })
}

/// Pins to the current CPU and returns its ring.
#[inline(always)]
fn pinned_ring(s: &Session) -> Option<(Pinned, &Ring)> {
    let pin = Pinned::new();
    let ring = s.rings.get(pin.cpu)?;
    ring.hit();
    Some((pin, ring))
}

// ---------------------------------------------------------------------------------------------------
// Probes. Signatures are `void probe(void *data, TP_PROTO...)` of each tracepoint in 7.3.
// ---------------------------------------------------------------------------------------------------

// The two syscall probes run on every syscall: their entry points only test the configuration and
// call the out-of-line writer, so a masked or non-captured syscall pays no register saves.
//
// Each probe turns the raw pointers it is handed into typed references (ffi::Task, ffi::Regs,
// ffi::Binprm) before anything else uses them; their `# Safety` sections are what the tracepoint
// guarantees, and each probe's own `# Safety` section says so.

/// # Safety
/// Called by the sys_enter tracepoint only: `regs` is the live `pt_regs` of the current task.
unsafe extern "C" fn probe_sys_enter(_d: *mut c_void, regs: *mut bindings::pt_regs, id: c_long) {
    // SAFETY: the tracepoint hands over the current task's registers, valid until we return.
    let regs = unsafe { Regs::from_raw(regs) };
    let id = id as i64;
    if fillers::has_enter(id) && CONFIG.capture.load(Relaxed) && CONFIG.wants(id) {
        sys_enter(regs, id);
    }
}

#[inline(never)]
fn sys_enter(regs: &Regs, id: i64) {
    if ffi::in_compat_syscall() {
        return;
    }
    let Some(s) = session() else { return };
    let Some((_pin, ring)) = pinned_ring(s) else {
        return;
    };
    // SAFETY: the reference does not outlive this probe.
    let tid = unsafe { Task::current() }.pid() as u64;
    fillers::enter(ring, s.ts(), tid, regs, id);
}

/// # Safety
/// Called by the sys_exit tracepoint only: `regs` is the live `pt_regs` of the current task.
unsafe extern "C" fn probe_sys_exit(_d: *mut c_void, regs: *mut bindings::pt_regs, ret: c_long) {
    if CONFIG.capture.load(Relaxed) {
        // SAFETY: the tracepoint hands over the current task's registers, valid until we return.
        let regs = unsafe { Regs::from_raw(regs) };
        let id = regs.syscall_nr();
        if CONFIG.wants(id) {
            sys_exit(regs, id, ret as i64);
        }
    }
}

#[inline(never)]
fn sys_exit(regs: &Regs, id: i64, ret: i64) {
    if ret < 0 && CONFIG.dropfailed.load(Relaxed) {
        return;
    }
    if ffi::in_compat_syscall() {
        return;
    }
    // Children and successful execs come from the sched tracepoints, when those are attached.
    if ret == 0 {
        match id {
            nr::CLONE | nr::FORK | nr::VFORK | nr::CLONE3 if attached(tpid::SCHED_PROC_FORK) => {
                return
            }
            nr::EXECVE | nr::EXECVEAT if attached(tpid::SCHED_PROC_EXEC) => return,
            _ => {}
        }
    }
    let Some(s) = session() else { return };
    let Some((_pin, ring)) = pinned_ring(s) else {
        return;
    };
    // SAFETY: `cur` does not outlive this probe.
    let cur = unsafe { Task::current() };
    let tid = cur.pid() as u64;
    let x = Exit {
        regs,
        ret,
        nr: id,
        snaplen: CONFIG.snaplen.load(Relaxed),
    };
    let ts = s.ts();
    match id {
        // Fallbacks for a detached sched tracepoint.
        nr::CLONE | nr::FORK | nr::VFORK | nr::CLONE3 if ret == 0 => {
            fillers::clone_event(ring, ts, tid, id, 0, cur, Some(&x))
        }
        nr::EXECVE | nr::EXECVEAT if ret == 0 => fillers::exec_event(
            ring,
            ts,
            tid,
            id == nr::EXECVEAT,
            0,
            cur,
            Exec::Ok { filename: &[] },
        ),
        _ => fillers::exit(ring, ts, tid, &x),
    }
}

/// # Safety
/// Called by the sched_process_exit tracepoint only: `p` is the exiting task (current).
unsafe extern "C" fn probe_sched_exit(
    _d: *mut c_void,
    p: *mut bindings::task_struct,
    group_dead: bool,
) {
    // SAFETY: the exiting task is current, alive until we return.
    let task = unsafe { Task::from_raw(p) };
    if !CONFIG.capture.load(Relaxed) || task.flags() & bindings::PF_KTHREAD != 0 {
        return;
    }
    let Some(s) = session() else { return };
    let reaper = task.reaper(group_dead);
    let Some((_pin, ring)) = pinned_ring(s) else {
        return;
    };
    fillers::procexit(ring, s.ts(), task, reaper);
}

/// # Safety
/// Called by the sched_process_fork tracepoint only: `child` is the new task, which cannot run
/// (nor exit) before the forking parent, current, returns from the tracepoint.
unsafe extern "C" fn probe_sched_fork(
    _d: *mut c_void,
    _parent: *mut bindings::task_struct,
    child: *mut bindings::task_struct,
) {
    if !CONFIG.capture.load(Relaxed) {
        return;
    }
    // SAFETY: the child is not yet running and cannot be freed until we return.
    let child = unsafe { Task::from_raw(child) };
    // SAFETY: the reference does not outlive this probe.
    let parent = unsafe { Task::current() };
    let kernel_side = bindings::PF_KTHREAD | bindings::PF_IO_WORKER | bindings::PF_USER_WORKER;
    if parent.flags() & bindings::PF_KTHREAD != 0 || child.flags() & kernel_side != 0 {
        return;
    }
    let id = ffi::current_syscall();
    if !matches!(id, nr::CLONE | nr::FORK | nr::VFORK | nr::CLONE3) || !CONFIG.wants(id) {
        return;
    }
    let Some(s) = session() else { return };
    let Some((_pin, ring)) = pinned_ring(s) else {
        return;
    };
    let tid = child.pid() as u64;
    fillers::clone_event(ring, s.ts(), tid, id, 0, child, None);
}

/// # Safety
/// Called by the sched_process_exec tracepoint only: `p` is the task that execs (current) and
/// `bprm` its binprm, alive until we return.
unsafe extern "C" fn probe_sched_exec(
    _d: *mut c_void,
    p: *mut bindings::task_struct,
    _old_pid: c_int,
    bprm: *mut bindings::linux_binprm,
) {
    if !CONFIG.capture.load(Relaxed) {
        return;
    }
    let id = ffi::current_syscall();
    if !matches!(id, nr::EXECVE | nr::EXECVEAT) || !CONFIG.wants(id) {
        return;
    }
    let Some(s) = session() else { return };
    // SAFETY: the task is current and the binprm belongs to its running exec: both outlive us.
    let (task, bprm) = unsafe { (Task::from_raw(p), Binprm::from_raw(bprm)) };
    let filename = bprm.filename(fillers::MAX_PATH);
    let Some((_pin, ring)) = pinned_ring(s) else {
        return;
    };
    let tid = task.pid() as u64;
    fillers::exec_event(
        ring,
        s.ts(),
        tid,
        id == nr::EXECVEAT,
        0,
        task,
        Exec::Ok { filename },
    );
}

// ---------------------------------------------------------------------------------------------------
// Attaching
// ---------------------------------------------------------------------------------------------------

struct Hook {
    id: u64,
    name: &'static CStr,
    tp: AtomicPtr<bindings::tracepoint>,
    attached: AtomicBool,
}

static HOOKS: [Hook; 5] = [
    Hook::new(tpid::SYS_ENTER, c"sys_enter"),
    Hook::new(tpid::SYS_EXIT, c"sys_exit"),
    Hook::new(tpid::SCHED_PROC_EXIT, c"sched_process_exit"),
    Hook::new(tpid::SCHED_PROC_FORK, c"sched_process_fork"),
    Hook::new(tpid::SCHED_PROC_EXEC, c"sched_process_exec"),
];

impl Hook {
    const fn new(id: u64, name: &'static CStr) -> Hook {
        Hook {
            id,
            name,
            tp: AtomicPtr::new(core::ptr::null_mut()),
            attached: AtomicBool::new(false),
        }
    }

    fn probe(&self) -> *mut c_void {
        match self.id {
            tpid::SYS_ENTER => probe_sys_enter as *mut c_void,
            tpid::SYS_EXIT => probe_sys_exit as *mut c_void,
            tpid::SCHED_PROC_EXIT => probe_sched_exit as *mut c_void,
            tpid::SCHED_PROC_FORK => probe_sched_fork as *mut c_void,
            _ => probe_sched_exec as *mut c_void,
        }
    }
}

#[inline(always)]
fn attached(id: u64) -> bool {
    HOOKS.iter().any(|h| h.id == id && h.attached.load(Relaxed))
}

/// Resolves every tracepoint; called once at module load.
pub(crate) fn resolve() -> Result {
    for h in &HOOKS {
        match ffi::find_tracepoint(h.name) {
            Some(tp) => h.tp.store(tp, Relaxed),
            None => {
                pr_err!("tracepoint {} not found\n", h.name.to_str().unwrap_or("?"));
                return Err(ENOENT);
            }
        }
    }
    Ok(())
}

/// Attaches (or detaches) tracepoint `id` (sched_switch and signal_deliver are not supported:
/// EINVAL). Callers serialize (the device allows one opener and one ioctl at a time).
pub(crate) fn set_attached(id: u64, on: bool) -> Result {
    let h = HOOKS.iter().find(|h| h.id == id).ok_or(EINVAL)?;
    if h.attached.load(Relaxed) == on {
        return Ok(());
    }
    let tp = h.tp.load(Relaxed);
    if on {
        // SAFETY: `tp` was resolved at load; the probe matches its signature and lives in this
        // module, which cannot unload while attached (the device holds a module reference).
        unsafe { ffi::register(tp, h.probe()) }?;
        h.attached.store(true, Relaxed);
    } else {
        h.attached.store(false, Relaxed);
        // SAFETY: as above; the probe is attached.
        unsafe { ffi::unregister(tp, h.probe()) };
        ffi::synchronize_tracepoints();
    }
    Ok(())
}

/// Attaches every tracepoint, or none.
pub(crate) fn attach_all() -> Result {
    for h in &HOOKS {
        if let Err(e) = set_attached(h.id, true) {
            detach_all();
            return Err(e);
        }
    }
    Ok(())
}

/// Detaches every tracepoint and waits until no probe runs.
pub(crate) fn detach_all() {
    for h in &HOOKS {
        if h.attached.swap(false, Relaxed) {
            // SAFETY: attached with this tracepoint and probe in `set_attached`.
            unsafe { ffi::unregister(h.tp.load(Relaxed), h.probe()) };
        }
    }
    ffi::synchronize_tracepoints();
}
