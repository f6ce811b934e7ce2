// SPDX-License-Identifier: GPL-2.0
//! Event encoders ("fillers"): one per syscall the default Falco rules and state tracking need, in the
//! scap schema of current drivers: exit events carry every parameter (the enter parameters appended
//! after the exit ones), enter events exist only for open/openat/openat2/creat/connect, the child
//! side of clone comes from sched_process_fork and successful execs from sched_process_exec. Every
//! other syscall becomes the generic `syscall` exit event. docs/probe.md lists the layouts.
//!
//! `enter` and `exit` are the dispatch tables, syscall number to encoder; the encoders live in one
//! submodule per syscall family, on top of `emit` (writing an event into a ring), `user`
//! (parameters read from user memory) and `sockaddr` (socket address encodings). Every encoder is
//! `#[inline(always)]`: the tables compile to one jump table, as one match over every syscall would.

mod creds;
mod emit;
mod files;
mod fs;
mod io;
mod net;
mod process;
mod sockaddr;
mod user;

pub(crate) use process::{clone_event, exec_event, procexit, Exec};

use crate::abi::event_id as ev;
use crate::ffi::Regs;
use crate::ring::Ring;
use crate::syscalls::{self as nr, ppm_sc};

/// Longest path read from user or kernel memory (PATH_MAX).
pub(crate) const MAX_PATH: usize = 4096;
/// Largest argv/env block copied for execve and clone events.
const MAX_ARGS: usize = 4096;

/// What a syscall exit encoder needs.
pub(crate) struct Exit<'a> {
    pub(crate) regs: &'a Regs,
    pub(crate) ret: i64,
    pub(crate) nr: i64,
    pub(crate) snaplen: u32,
}

impl Exit<'_> {
    #[inline(always)]
    fn arg(&self, i: usize) -> u64 {
        self.regs.arg(i)
    }
    #[inline(always)]
    fn fd(&self, i: usize) -> i64 {
        i64::from(self.arg(i) as i32)
    }
    /// Bytes of a data buffer to capture: the snaplen, at most what the call moved (`n`).
    #[inline(always)]
    fn data_len(&self, n: i64) -> usize {
        if n <= 0 {
            0
        } else {
            (n as u64).min(u64::from(self.snaplen)) as usize
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Enter events (sys_enter): only the calls whose arguments may change under the kernel's feet
// (TOCTOU): the path and address as passed in are what the rules must see.
// ---------------------------------------------------------------------------------------------------

/// True for the syscalls that have an enter event.
#[inline(always)]
pub(crate) fn has_enter(id: i64) -> bool {
    matches!(
        id,
        nr::OPEN | nr::OPENAT | nr::OPENAT2 | nr::CREAT | nr::CONNECT
    )
}

/// Encodes the enter event of syscall `id`, if it has one (`has_enter`).
pub(crate) fn enter(ring: &Ring, ts: u64, tid: u64, regs: &Regs, id: i64) {
    match id {
        nr::OPEN => files::open_enter(ring, ts, tid, regs),
        nr::OPENAT => files::openat_enter(ring, ts, tid, regs),
        nr::OPENAT2 => files::openat2_enter(ring, ts, tid, regs),
        nr::CREAT => files::creat_enter(ring, ts, tid, regs),
        nr::CONNECT => net::connect_enter(ring, ts, tid, regs),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------------
// Exit events (sys_exit)
// ---------------------------------------------------------------------------------------------------

/// Encodes the exit event of syscall `x.nr`, made by the current task. Successful execs and clone
/// children are reported by the sched tracepoints instead, so nothing is written for them here.
pub(crate) fn exit(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    match x.nr {
        nr::READ => io::read(ring, ts, tid, x),
        nr::WRITE => io::write(ring, ts, tid, x),
        nr::PREAD64 => io::pread(ring, ts, tid, x),
        nr::PWRITE64 => io::pwrite(ring, ts, tid, x),
        nr::READV => io::readv(ring, ts, tid, x),
        nr::WRITEV => io::writev(ring, ts, tid, x),
        nr::OPEN => files::open(ring, ts, tid, x),
        nr::OPENAT => files::openat(ring, ts, tid, x),
        nr::OPENAT2 => files::openat2(ring, ts, tid, x),
        nr::CREAT => files::creat(ring, ts, tid, x),
        nr::CLOSE => files::close(ring, ts, tid, x),
        nr::DUP => files::dup(ring, ts, tid, x),
        nr::DUP2 => files::dup2(ring, ts, tid, x),
        nr::DUP3 => files::dup3(ring, ts, tid, x),
        nr::PIPE => files::pipe(ring, ts, tid, x, false),
        nr::PIPE2 => files::pipe(ring, ts, tid, x, true),
        nr::CHDIR => files::chdir(ring, ts, tid, x),
        nr::FCHDIR => files::fchdir(ring, ts, tid, x),
        nr::SOCKET => net::socket(ring, ts, tid, x),
        nr::SOCKETPAIR => net::socketpair(ring, ts, tid, x),
        nr::CONNECT => net::connect(ring, ts, tid, x),
        nr::ACCEPT => net::accept(ring, ts, tid, x, false),
        nr::ACCEPT4 => net::accept(ring, ts, tid, x, true),
        nr::BIND => net::bind(ring, ts, tid, x),
        nr::LISTEN => net::listen(ring, ts, tid, x),
        nr::SENDTO => net::sendto(ring, ts, tid, x),
        nr::RECVFROM => net::recvfrom(ring, ts, tid, x),
        nr::SENDMSG | nr::RECVMSG => net::msg(ring, ts, tid, x),
        nr::CLONE | nr::FORK | nr::VFORK | nr::CLONE3 => process::clone_parent(ring, ts, tid, x),
        nr::EXECVE | nr::EXECVEAT => process::exec_failed(ring, ts, tid, x),
        nr::KILL => process::kill(ring, ts, tid, x),
        nr::PTRACE => process::ptrace(ring, ts, tid, x),
        nr::MKDIR => fs::mkdir(ring, ts, tid, x),
        nr::MKDIRAT => fs::at_path_u32(ring, ts, tid, ev::SYSCALL_MKDIRAT_X, x),
        nr::RMDIR => fs::path1(ring, ts, tid, ev::SYSCALL_RMDIR_2_X, x),
        nr::UNLINK => fs::path1(ring, ts, tid, ev::SYSCALL_UNLINK_2_X, x),
        nr::UNLINKAT => fs::at_path_u32(ring, ts, tid, ev::SYSCALL_UNLINKAT_2_X, x),
        nr::RENAME => fs::path2(ring, ts, tid, ev::SYSCALL_RENAME_X, x),
        nr::RENAMEAT => fs::at_path2(ring, ts, tid, ev::SYSCALL_RENAMEAT_X, false, x),
        nr::RENAMEAT2 => fs::at_path2(ring, ts, tid, ev::SYSCALL_RENAMEAT2_X, true, x),
        nr::LINK => fs::path2(ring, ts, tid, ev::SYSCALL_LINK_2_X, x),
        nr::LINKAT => fs::at_path2(ring, ts, tid, ev::SYSCALL_LINKAT_2_X, true, x),
        nr::SYMLINK => fs::path2(ring, ts, tid, ev::SYSCALL_SYMLINK_X, x),
        nr::SYMLINKAT => fs::symlinkat(ring, ts, tid, x),
        nr::CHMOD => fs::chmod(ring, ts, tid, x),
        nr::FCHMOD => fs::fchmod(ring, ts, tid, x),
        nr::FCHMODAT => fs::fchmodat(ring, ts, tid, x),
        nr::CHOWN => fs::chown(ring, ts, tid, ev::SYSCALL_CHOWN_X, x),
        nr::LCHOWN => fs::chown(ring, ts, tid, ev::SYSCALL_LCHOWN_X, x),
        nr::FCHOWN => fs::fchown(ring, ts, tid, x),
        nr::FCHOWNAT => fs::fchownat(ring, ts, tid, x),
        nr::MOUNT => fs::mount(ring, ts, tid, x),
        nr::UMOUNT2 => fs::umount2(ring, ts, tid, x),
        nr::SETUID => creds::set_id(ring, ts, tid, ev::SYSCALL_SETUID_X, x),
        nr::SETGID => creds::set_id(ring, ts, tid, ev::SYSCALL_SETGID_X, x),
        nr::SETRESUID => creds::set_res_ids(ring, ts, tid, ev::SYSCALL_SETRESUID_X, x),
        nr::SETRESGID => creds::set_res_ids(ring, ts, tid, ev::SYSCALL_SETRESGID_X, x),
        _ => generic(ring, ts, tid, x),
    }
}

/// The generic `syscall` exit event of every other syscall: its scap code and its x86_64 number.
#[inline(always)]
fn generic(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let payload = [ppm_sc(x.nr), x.nr as u16];
    emit::emit_fixed(ring, ts, tid, ev::GENERIC_X, [2, 2], payload)
}
