// SPDX-License-Identifier: GPL-2.0
//! Every raw call into C lives here: helpers.c, tracepoint registration, fault-safe user copies,
//! clocks, and reads of `task_struct`/`pt_regs`/`linux_binprm` fields. The wrappers are small and
//! safe to call from the tracepoint probes (no sleeping); the rest of the module is plain Rust on
//! top of them.
//!
//! The unsafe boundary: the pointers the kernel hands a tracepoint probe become typed references
//! ([`Task`], [`Regs`], [`Binprm`]) once, at the probe's entry point (tp.rs), through an
//! `unsafe fn from_raw` whose `# Safety` section says what the probe guarantees. Past that point
//! nothing takes a raw pointer: a function here that is handed one is an `unsafe fn`.

use core::ptr;
use kernel::bindings;
use kernel::prelude::*;
use kernel::types::Opaque;

/// Mirror of `struct falco_proc_info` in helpers.h.
#[repr(C)]
#[derive(Default)]
pub(crate) struct ProcInfo {
    pub(crate) pid: u64,
    pub(crate) tgid: u64,
    pub(crate) ptid: u64,
    pub(crate) pgid: u64,
    pub(crate) sid: u64,
    pub(crate) vtid: u64,
    pub(crate) vpid: u64,
    pub(crate) vpgid: u64,
    pub(crate) pidns_level: u64,
    pub(crate) pidns_init_start: u64,
    pub(crate) uid: u64,
    pub(crate) gid: u64,
    pub(crate) euid: u64,
    pub(crate) egid: u64,
    pub(crate) loginuid: u64,
    pub(crate) cap_inheritable: u64,
    pub(crate) cap_permitted: u64,
    pub(crate) cap_effective: u64,
    pub(crate) fdlimit: u64,
    pub(crate) pgft_maj: u64,
    pub(crate) pgft_min: u64,
    pub(crate) vm_size_kb: u64,
    pub(crate) vm_rss_kb: u64,
    pub(crate) vm_swap_kb: u64,
    pub(crate) tty: u64,
    pub(crate) arg_start: u64,
    pub(crate) arg_end: u64,
    pub(crate) env_start: u64,
    pub(crate) env_end: u64,
    pub(crate) exe_ino: u64,
    pub(crate) exe_ctime_ns: u64,
    pub(crate) exe_mtime_ns: u64,
    pub(crate) task_flags: u64,
    pub(crate) files: u64,
    pub(crate) start_time_ns: u64,
    /// PPM_EXE_* flags of the executable (writable by the task: PPM_EXE_WRITABLE).
    pub(crate) exe_flags: u64,
}

/// Mirror of `struct falco_file_info` in helpers.h.
#[repr(C)]
#[derive(Default)]
pub(crate) struct FileInfo {
    pub(crate) ino: u64,
    pub(crate) dev: u32,
    pub(crate) fmode: u32,
    pub(crate) created: u32,
    pad: u32,
}

/// `UNIX_PATH_MAX` plus the padding helpers.c adds.
pub(crate) const SOCK_PATH_BYTES: usize = 112;

/// Mirror of `struct falco_sock_info` in helpers.h.
#[repr(C)]
pub(crate) struct SockInfo {
    pub(crate) sk: u64,
    pub(crate) peer: u64,
    pub(crate) family: u16,
    pub(crate) sock_type: u16,
    pub(crate) lport: u16,
    pub(crate) rport: u16,
    pub(crate) laddr: [u8; 16],
    pub(crate) raddr: [u8; 16],
    pub(crate) ack_backlog: u32,
    pub(crate) max_ack_backlog: u32,
    pub(crate) path_len: u32,
    pad: u32,
    pub(crate) path: [u8; SOCK_PATH_BYTES],
}

impl SockInfo {
    pub(crate) const fn zeroed() -> Self {
        SockInfo {
            sk: 0,
            peer: 0,
            family: 0,
            sock_type: 0,
            lport: 0,
            rport: 0,
            laddr: [0; 16],
            raddr: [0; 16],
            ack_backlog: 0,
            max_ack_backlog: 0,
            path_len: 0,
            pad: 0,
            path: [0; SOCK_PATH_BYTES],
        }
    }
}

// Layouts must match helpers.h exactly: one assertion per field offset, per struct size and for
// SOCK_PATH_BYTES, generated at build time from the C compiler's view of the structs
// (helpers_layout.c, through Kbuild). A mismatch fails the build rather than corrupting events.
include!("helpers_layout_generated.rs");

// The structs are only ever passed by pointer; bindgen's task_struct contains opaque members that
// the FFI-safety lint flags although C never sees them by value.
#[allow(improper_ctypes)]
extern "C" {
    fn falco_pin() -> c_int;
    fn falco_strncpy_user_nofault(dst: *mut c_char, src: *const c_void, count: c_long) -> c_long;
    fn falco_unpin();
    fn falco_vmap(pages: *mut *mut bindings::page, n: c_uint) -> *mut c_void;
    fn falco_vunmap(addr: *mut c_void);
    fn falco_current_syscall() -> c_long;
    fn falco_current_syscall_arg0() -> c_ulong;
    fn falco_proc_info(t: *mut bindings::task_struct, out: *mut ProcInfo);
    fn falco_exe_path(t: *mut bindings::task_struct, buf: *mut c_char, len: c_long) -> c_long;
    fn falco_cgroups(t: *mut bindings::task_struct, buf: *mut c_char, len: c_long) -> c_long;
    fn falco_fd_file_info(fd: c_int, out: *mut FileInfo) -> c_int;
    fn falco_fd_sock_info(fd: c_int, out: *mut SockInfo) -> c_int;
    fn falco_reaper(t: *mut bindings::task_struct, group_dead: bool) -> c_long;
    fn falco_bprm_filename(bprm: *mut bindings::linux_binprm) -> *const c_char;
}

// ---------------------------------------------------------------------------------------------------
// CPU pinning and clocks
// ---------------------------------------------------------------------------------------------------

/// Preemption off for as long as this lives: the holder owns its CPU's ring.
pub(crate) struct Pinned {
    pub(crate) cpu: usize,
}

impl Pinned {
    #[inline(always)]
    pub(crate) fn new() -> Pinned {
        // SAFETY: preempt_disable has no preconditions; Drop re-enables it exactly once.
        let cpu = unsafe { falco_pin() };
        Pinned { cpu: cpu as usize }
    }
}

impl Drop for Pinned {
    #[inline(always)]
    fn drop(&mut self) {
        // SAFETY: paired with the falco_pin in `new`.
        unsafe { falco_unpin() };
    }
}

/// Nanoseconds since boot; NMI-safe, monotonic, consistent across CPUs (the k-way merge relies on it).
#[inline(always)]
pub(crate) fn boot_ns() -> u64 {
    // SAFETY: no preconditions; callable from any context.
    unsafe { bindings::ktime_get_boot_fast_ns() }
}

/// Nanoseconds since the epoch (only used once per session to anchor boot time).
pub(crate) fn real_ns() -> u64 {
    // SAFETY: no preconditions; callable from any context.
    unsafe { bindings::ktime_get_real_fast_ns() }
}

// ---------------------------------------------------------------------------------------------------
// Tasks, syscall registers and binprm: the typed references the probes work with
// ---------------------------------------------------------------------------------------------------

/// A `task_struct` the caller may read: only ever used as `&Task`, made from a raw pointer once, by
/// [`Task::from_raw`] at a tracepoint entry point or by [`Task::current`].
///
/// Invariant: the task stays allocated for as long as the reference lives. Its fields may still
/// change under us (another thread renames it, it exits), hence `Opaque`: reads go through raw
/// pointers and never assume a field is stable unless the kernel says so.
#[repr(transparent)]
pub(crate) struct Task(Opaque<bindings::task_struct>);

impl Task {
    /// # Safety
    /// `t` must point to a `task_struct` that stays allocated for `'a`: the current task, or a task
    /// the calling tracepoint hands over and keeps alive while it runs (the child of
    /// sched_process_fork, the exiting task of sched_process_exit, the task of sched_process_exec).
    #[inline(always)]
    pub(crate) unsafe fn from_raw<'a>(t: *mut bindings::task_struct) -> &'a Task {
        // SAFETY: `Task` is a transparent wrapper of `task_struct`; the caller guarantees that `t`
        // is valid for `'a`.
        unsafe { &*t.cast::<Task>() }
    }

    /// The current task.
    ///
    /// # Safety
    /// The reference must not outlive the task's current run of the caller (a probe, or a file
    /// operation of the device): it must not be stored anywhere another task could reach it.
    #[inline(always)]
    pub(crate) unsafe fn current<'a>() -> &'a Task {
        // SAFETY: `get_current` is always valid in process context, where every probe and file
        // operation runs, and current cannot be freed while it runs the caller.
        unsafe { Task::from_raw(bindings::get_current()) }
    }

    /// The raw pointer, for C. (Not `Opaque::get`: the kernel crate's out-of-line instance of it
    /// would cost a call on every event.)
    #[inline(always)]
    fn as_ptr(&self) -> *mut bindings::task_struct {
        ptr::from_ref(self).cast_mut().cast()
    }

    /// `task->pid` (the host thread id).
    #[inline(always)]
    pub(crate) fn pid(&self) -> i32 {
        // SAFETY: the task is allocated (type invariant); its pid never changes once it runs.
        unsafe { (*self.as_ptr()).pid }
    }

    /// `task->flags` (PF_*).
    #[inline(always)]
    pub(crate) fn flags(&self) -> u32 {
        // SAFETY: the task is allocated (type invariant); a racing update gives the old or the
        // new flags, both meaningful.
        unsafe { (*self.as_ptr()).flags }
    }

    /// `task->comm`, as a NUL-padded array.
    pub(crate) fn comm(&self) -> [u8; 16] {
        // SAFETY: the task is allocated (type invariant); comm is a fixed array that is always
        // NUL-terminated, and a racing rename (prctl) can at worst give a torn but still
        // terminated name.
        unsafe { ptr::read_volatile(ptr::addr_of!((*self.as_ptr()).comm)) }
    }

    /// `task->exit_code`.
    pub(crate) fn exit_code(&self) -> i32 {
        // SAFETY: the task is allocated (type invariant).
        unsafe { (*self.as_ptr()).exit_code }
    }

    /// Process facts for clone and execve events (helpers.c).
    pub(crate) fn proc_info(&self) -> ProcInfo {
        let mut out = ProcInfo::default();
        // SAFETY: the task is allocated (type invariant); `out` is a valid mirror of the C struct.
        unsafe { falco_proc_info(self.as_ptr(), &mut out) };
        out
    }

    /// Writes the executable path (NUL included) into `buf`; returns its length.
    pub(crate) fn exe_path(&self, buf: &mut [u8]) -> Option<usize> {
        // SAFETY: `buf` is valid for its length; the task is allocated (type invariant).
        let n =
            unsafe { falco_exe_path(self.as_ptr(), buf.as_mut_ptr().cast(), buf.len() as c_long) };
        (n > 0).then_some(n as usize)
    }

    /// Writes the `subsys=path\0` list of the task's cgroups into `buf`; returns the bytes written.
    pub(crate) fn cgroups(&self, buf: &mut [u8]) -> usize {
        // SAFETY: as for `exe_path`.
        let n =
            unsafe { falco_cgroups(self.as_ptr(), buf.as_mut_ptr().cast(), buf.len() as c_long) };
        n.max(0) as usize
    }

    /// The tid that inherits the children of this exiting task (0: none or unknown).
    pub(crate) fn reaper(&self, group_dead: bool) -> i64 {
        // SAFETY: the task is allocated (type invariant); the helper only walks RCU-protected
        // lists under rcu_read_lock.
        unsafe { falco_reaper(self.as_ptr(), group_dead) as i64 }
    }
}

/// True if the current syscall is a 32-bit one, whose numbers and arguments differ (not captured).
#[inline(always)]
pub(crate) fn in_compat_syscall() -> bool {
    #[cfg(CONFIG_IA32_EMULATION)]
    {
        // SAFETY: current is valid in process context, where every probe runs, and its
        // thread_info is embedded in it.
        return unsafe { (*bindings::get_current()).thread_info.status } & bindings::TS_COMPAT != 0;
    }
    #[cfg(not(CONFIG_IA32_EMULATION))]
    false
}

/// The syscall registers handed to the raw_syscalls tracepoints: only ever used as `&Regs`, made
/// by [`Regs::from_raw`] at the tracepoint entry points.
///
/// Invariant: the registers are the live, saved user registers of the current task, which nobody
/// changes while the task runs the probe (a tracer may change them only while the task is stopped).
#[repr(transparent)]
pub(crate) struct Regs(Opaque<bindings::pt_regs>);

impl Regs {
    #[inline(always)]
    fn as_ptr(&self) -> *mut bindings::pt_regs {
        ptr::from_ref(self).cast_mut().cast()
    }

    /// # Safety
    /// `regs` must be the `pt_regs` a raw_syscalls tracepoint handed over, and `'a` must end
    /// before the probe returns.
    #[inline(always)]
    pub(crate) unsafe fn from_raw<'a>(regs: *mut bindings::pt_regs) -> &'a Regs {
        // SAFETY: `Regs` is a transparent wrapper of `pt_regs`; the caller guarantees that `regs`
        // is valid for `'a`.
        unsafe { &*regs.cast::<Regs>() }
    }

    /// The syscall number (`orig_ax`).
    #[inline(always)]
    pub(crate) fn syscall_nr(&self) -> i64 {
        // SAFETY: the registers are valid and stable while the probe runs (type invariant).
        unsafe { (*self.as_ptr()).orig_ax as i64 }
    }

    /// Syscall argument `i` (0..6), per the x86_64 syscall ABI.
    #[inline(always)]
    pub(crate) fn arg(&self, i: usize) -> u64 {
        // SAFETY: as for `syscall_nr`.
        let r = unsafe { &*self.as_ptr() };
        (match i {
            0 => r.di,
            1 => r.si,
            2 => r.dx,
            3 => r.r10,
            4 => r.r8,
            _ => r.r9,
        }) as u64
    }
}

/// The `linux_binprm` of an exec, handed to sched_process_exec: only ever used as `&Binprm`, made
/// by [`Binprm::from_raw`] at that tracepoint's entry point.
///
/// Invariant: the binprm is alive, and its `filename` is a NUL-terminated kernel string, for as
/// long as the reference lives.
#[repr(transparent)]
pub(crate) struct Binprm(Opaque<bindings::linux_binprm>);

impl Binprm {
    #[inline(always)]
    fn as_ptr(&self) -> *mut bindings::linux_binprm {
        ptr::from_ref(self).cast_mut().cast()
    }

    /// # Safety
    /// `bprm` must be the binprm sched_process_exec handed over, and `'a` must end before the
    /// probe returns (exec frees it afterwards).
    #[inline(always)]
    pub(crate) unsafe fn from_raw<'a>(bprm: *mut bindings::linux_binprm) -> &'a Binprm {
        // SAFETY: `Binprm` is a transparent wrapper of `linux_binprm`; the caller guarantees that
        // `bprm` is valid for `'a`.
        unsafe { &*bprm.cast::<Binprm>() }
    }

    /// `bprm->filename`, the path exec was asked to run, without its NUL (at most `max` bytes).
    pub(crate) fn filename(&self, max: usize) -> &[u8] {
        // SAFETY: the binprm is alive (type invariant); the helper only reads a field.
        let p = unsafe { falco_bprm_filename(self.as_ptr()) }.cast::<u8>();
        if p.is_null() {
            return &[];
        }
        let mut n = 0;
        // SAFETY: `filename` is NUL-terminated (type invariant): every byte up to the NUL is
        // readable, and the loop stops there.
        while n < max && unsafe { *p.add(n) } != 0 {
            n += 1;
        }
        // SAFETY: the first `n` bytes were just read, and live as long as the binprm (`&self`).
        unsafe { core::slice::from_raw_parts(p, n) }
    }
}

/// The syscall the current task is executing (for tracepoints without pt_regs).
pub(crate) fn current_syscall() -> i64 {
    // SAFETY: no preconditions; reads current's saved registers.
    unsafe { falco_current_syscall() as i64 }
}

/// The first argument of the syscall the current task is executing.
pub(crate) fn current_syscall_arg0() -> u64 {
    // SAFETY: no preconditions; reads current's saved registers.
    unsafe { falco_current_syscall_arg0() as u64 }
}

pub(crate) fn fd_file_info(fd: i64) -> Option<FileInfo> {
    let fd = i32::try_from(fd).ok()?;
    let mut out = FileInfo::default();
    // SAFETY: `out` is a valid mirror; the helper validates `fd` against current's table.
    (unsafe { falco_fd_file_info(fd, &mut out) } == 0).then_some(out)
}

pub(crate) fn fd_sock_info(fd: i64, out: &mut SockInfo) -> bool {
    let Ok(fd) = i32::try_from(fd) else {
        return false;
    };
    // SAFETY: as for `fd_file_info`.
    unsafe { falco_fd_sock_info(fd, out) == 0 }
}

// ---------------------------------------------------------------------------------------------------
// User memory: only the fault-safe variants, because the writer runs with preemption off.
// ---------------------------------------------------------------------------------------------------

/// Copies `dst.len()` bytes from user address `src`. False if any byte faulted.
#[inline]
pub(crate) fn copy_from_user(dst: &mut [u8], src: u64) -> bool {
    if dst.is_empty() {
        return true;
    }
    // SAFETY: `dst` is valid for writes of its length; the nofault copy checks `src` itself and
    // never sleeps or faults pages in.
    unsafe {
        bindings::copy_from_user_nofault(dst.as_mut_ptr().cast(), src as *const c_void, dst.len())
            == 0
    }
}

/// Copies a NUL-terminated user string into `dst` (at most `dst.len()` bytes, NUL included, always
/// terminated). Returns the length with the NUL, or None if the first byte faulted.
#[inline]
pub(crate) fn strncpy_from_user(dst: &mut [u8], src: u64) -> Option<usize> {
    if dst.is_empty() || src == 0 {
        return None;
    }
    // SAFETY: as for `copy_from_user`; the kernel writes at most `dst.len()` bytes.
    let n = unsafe {
        falco_strncpy_user_nofault(
            dst.as_mut_ptr().cast(),
            src as *const c_void,
            dst.len() as c_long,
        )
    };
    (n > 0).then_some(n as usize)
}

// ---------------------------------------------------------------------------------------------------
// Ring memory
// ---------------------------------------------------------------------------------------------------

/// Maps `pages` contiguously into kernel virtual memory.
///
/// # Safety
/// Every entry must be an order-0 page that the caller keeps allocated until the matching `vunmap`.
pub(crate) unsafe fn vmap(pages: &mut [*mut bindings::page]) -> Result<*mut u8> {
    // SAFETY: per the function's contract; `pages` is valid for its length.
    let p = unsafe { falco_vmap(pages.as_mut_ptr(), pages.len() as c_uint) };
    if p.is_null() {
        Err(ENOMEM)
    } else {
        Ok(p.cast())
    }
}

/// # Safety
/// `addr` must come from `vmap` and be unmapped only once, with no writer still using it.
pub(crate) unsafe fn vunmap(addr: *mut u8) {
    // SAFETY: per the function's contract.
    unsafe { falco_vunmap(addr.cast()) }
}

// ---------------------------------------------------------------------------------------------------
// Tracepoints
// ---------------------------------------------------------------------------------------------------

struct Lookup<'a> {
    name: &'a CStr,
    found: *mut bindings::tracepoint,
}

/// The `for_each_kernel_tracepoint` callback of `find_tracepoint`.
///
/// # Safety
/// `tp` must be a registered tracepoint and `data` the `Lookup` of `find_tracepoint`.
unsafe extern "C" fn visit_tracepoint(tp: *mut bindings::tracepoint, data: *mut c_void) {
    // SAFETY: `data` is the `Lookup` of `find_tracepoint`, alive for the whole walk.
    let l = unsafe { &mut *data.cast::<Lookup<'_>>() };
    // SAFETY: the kernel hands valid tracepoints with NUL-terminated names.
    let name = unsafe { CStr::from_char_ptr((*tp).name) };
    if name.to_bytes() == l.name.to_bytes() {
        l.found = tp;
    }
}

/// The kernel tracepoint called `name` (e.g. `sys_enter`), if this kernel has it.
pub(crate) fn find_tracepoint(name: &CStr) -> Option<*mut bindings::tracepoint> {
    let mut l = Lookup {
        name,
        found: ptr::null_mut(),
    };
    // SAFETY: the callback only touches `l` through the pointer, which outlives the call.
    unsafe {
        bindings::for_each_kernel_tracepoint(Some(visit_tracepoint), ptr::addr_of_mut!(l).cast())
    };
    (!l.found.is_null()).then_some(l.found)
}

/// Attaches `probe` to `tp`.
///
/// # Safety
/// `tp` must come from `find_tracepoint`, and `probe` must be a function with that tracepoint's
/// signature (`void (*)(void *data, TP_PROTO...)`) that stays loaded while attached.
pub(crate) unsafe fn register(tp: *mut bindings::tracepoint, probe: *mut c_void) -> Result {
    // SAFETY: per the function's contract.
    let r = unsafe { bindings::tracepoint_probe_register(tp, probe, ptr::null_mut()) };
    if r == 0 {
        Ok(())
    } else {
        Err(Error::from_errno(r))
    }
}

/// Detaches `probe` from `tp` (callers then `synchronize_tracepoints` before freeing what it uses).
///
/// # Safety
/// As for `register`, with `probe` currently attached to `tp`.
pub(crate) unsafe fn unregister(tp: *mut bindings::tracepoint, probe: *mut c_void) {
    // SAFETY: per the function's contract.
    let r = unsafe { bindings::tracepoint_probe_unregister(tp, probe, ptr::null_mut()) };
    if r != 0 {
        pr_warn!("tracepoint unregister failed: {}\n", r);
    }
}

/// Waits until no probe is running anywhere (what the C inline `tracepoint_synchronize_unregister`
/// does in 7.3: faultable tracepoints use tasks-trace RCU, the others SRCU).
pub(crate) fn synchronize_tracepoints() {
    // SAFETY: both srcu structs are kernel globals; synchronize_srcu may sleep, and callers are
    // process-context paths (module exit, device release, ioctl).
    unsafe {
        bindings::synchronize_srcu(ptr::addr_of_mut!(bindings::rcu_tasks_trace_srcu_struct));
        bindings::synchronize_srcu(ptr::addr_of_mut!(bindings::tracepoint_srcu));
    }
}
