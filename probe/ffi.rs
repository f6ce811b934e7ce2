// SPDX-License-Identifier: GPL-2.0
//! Every raw call into C lives here: helpers.c, tracepoint registration, fault-safe user copies,
//! clocks, and reads of `task_struct`/`pt_regs` fields. The wrappers are small and safe to call from
//! the tracepoint probes (no sleeping); the rest of the module is plain Rust on top of them.

use core::ptr;
use kernel::bindings;
use kernel::prelude::*;

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

// Layouts must match helpers.h exactly; a mismatch fails the build here rather than corrupting events.
const _: () = assert!(core::mem::size_of::<ProcInfo>() == 36 * 8);
const _: () = assert!(core::mem::size_of::<FileInfo>() == 24);
const _: () = assert!(core::mem::size_of::<SockInfo>() == 72 + SOCK_PATH_BYTES);

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
// Tasks and syscall registers
// ---------------------------------------------------------------------------------------------------

/// The current task.
#[inline(always)]
pub(crate) fn current() -> *mut bindings::task_struct {
    // SAFETY: always valid in process context, which is where every probe runs.
    unsafe { bindings::get_current() }
}

/// `task->pid` (the host thread id).
#[inline(always)]
pub(crate) fn task_pid(t: *mut bindings::task_struct) -> i32 {
    // SAFETY: callers pass current or a task pinned by the tracepoint that handed it over.
    unsafe { (*t).pid }
}

/// `task->flags` (PF_*).
#[inline(always)]
pub(crate) fn task_flags(t: *mut bindings::task_struct) -> u32 {
    // SAFETY: as for `task_pid`.
    unsafe { (*t).flags }
}

/// `task->comm`, as a NUL-padded array.
pub(crate) fn task_comm(t: *mut bindings::task_struct) -> [u8; 16] {
    // SAFETY: as for `task_pid`; comm is a fixed array that is always NUL-terminated, and a racing
    // rename (prctl) can at worst give a torn but still terminated name.
    unsafe { ptr::read_volatile(ptr::addr_of!((*t).comm)).map(|c| c as u8) }
}

/// `task->exit_code`.
pub(crate) fn task_exit_code(t: *mut bindings::task_struct) -> i32 {
    // SAFETY: as for `task_pid`.
    unsafe { (*t).exit_code }
}

/// True if the current syscall is a 32-bit one, whose numbers and arguments differ (not captured).
#[inline(always)]
pub(crate) fn in_compat_syscall() -> bool {
    #[cfg(CONFIG_IA32_EMULATION)]
    {
        // SAFETY: thread_info of current is always valid.
        return unsafe { (*current()).thread_info.status } & bindings::TS_COMPAT != 0;
    }
    #[cfg(not(CONFIG_IA32_EMULATION))]
    false
}

/// The syscall registers handed to the raw_syscalls tracepoints.
#[derive(Clone, Copy)]
pub(crate) struct Regs(pub(crate) *mut bindings::pt_regs);

impl Regs {
    /// The syscall number (`orig_ax`).
    #[inline(always)]
    pub(crate) fn syscall_nr(self) -> i64 {
        // SAFETY: the tracepoint passes the live pt_regs of the current task.
        unsafe { (*self.0).orig_ax as i64 }
    }

    /// Syscall argument `i` (0..6), per the x86_64 syscall ABI.
    #[inline(always)]
    pub(crate) fn arg(self, i: usize) -> u64 {
        // SAFETY: as for `syscall_nr`.
        let r = unsafe { &*self.0 };
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

pub(crate) fn proc_info(t: *mut bindings::task_struct) -> ProcInfo {
    let mut out = ProcInfo::default();
    // SAFETY: `t` is current or a task the calling tracepoint keeps alive; `out` is a valid mirror.
    unsafe { falco_proc_info(t, &mut out) };
    out
}

/// Writes the executable path of `t` (NUL included) into `buf`; returns its length.
pub(crate) fn exe_path(t: *mut bindings::task_struct, buf: &mut [u8]) -> Option<usize> {
    // SAFETY: `buf` is valid for its length; `t` as for `proc_info`.
    let n = unsafe { falco_exe_path(t, buf.as_mut_ptr().cast(), buf.len() as c_long) };
    (n > 0).then_some(n as usize)
}

/// Writes the `subsys=path\0` list of `t` into `buf`; returns the bytes written.
pub(crate) fn cgroups(t: *mut bindings::task_struct, buf: &mut [u8]) -> usize {
    // SAFETY: as for `exe_path`.
    let n = unsafe { falco_cgroups(t, buf.as_mut_ptr().cast(), buf.len() as c_long) };
    n.max(0) as usize
}

/// `bprm->filename` (NUL-terminated, alive while the exec tracepoint runs).
pub(crate) fn bprm_filename(bprm: *mut bindings::linux_binprm) -> *const u8 {
    // SAFETY: `bprm` is the live binprm handed over by sched_process_exec.
    unsafe { falco_bprm_filename(bprm) }.cast()
}

/// The tid that inherits the children of exiting task `t` (0: none or unknown).
pub(crate) fn reaper(t: *mut bindings::task_struct, group_dead: bool) -> i64 {
    // SAFETY: `t` is the exiting current task, handed over by sched_process_exit.
    unsafe { falco_reaper(t, group_dead) as i64 }
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
pub(crate) fn vmap(pages: &mut [*mut bindings::page]) -> Result<*mut u8> {
    // SAFETY: every entry is an order-0 page owned by the caller, which keeps them alive until the
    // matching `vunmap`.
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
