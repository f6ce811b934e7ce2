// SPDX-License-Identifier: GPL-2.0
//! x86_64 syscall numbers the fillers dispatch on (arch/x86/entry/syscalls/syscall_64.tbl), and the
//! scap syscall code (`PPM_SC_*`) of any syscall, for the generic event.

pub(crate) const READ: i64 = 0;
pub(crate) const WRITE: i64 = 1;
pub(crate) const OPEN: i64 = 2;
pub(crate) const CLOSE: i64 = 3;
pub(crate) const PREAD64: i64 = 17;
pub(crate) const PWRITE64: i64 = 18;
pub(crate) const READV: i64 = 19;
pub(crate) const WRITEV: i64 = 20;
pub(crate) const PIPE: i64 = 22;
pub(crate) const DUP: i64 = 32;
pub(crate) const DUP2: i64 = 33;
pub(crate) const SOCKET: i64 = 41;
pub(crate) const CONNECT: i64 = 42;
pub(crate) const ACCEPT: i64 = 43;
pub(crate) const SENDTO: i64 = 44;
pub(crate) const RECVFROM: i64 = 45;
pub(crate) const SENDMSG: i64 = 46;
pub(crate) const RECVMSG: i64 = 47;
pub(crate) const BIND: i64 = 49;
pub(crate) const LISTEN: i64 = 50;
pub(crate) const SOCKETPAIR: i64 = 53;
pub(crate) const CLONE: i64 = 56;
pub(crate) const FORK: i64 = 57;
pub(crate) const VFORK: i64 = 58;
pub(crate) const EXECVE: i64 = 59;
pub(crate) const KILL: i64 = 62;
pub(crate) const CHDIR: i64 = 80;
pub(crate) const FCHDIR: i64 = 81;
pub(crate) const RENAME: i64 = 82;
pub(crate) const MKDIR: i64 = 83;
pub(crate) const RMDIR: i64 = 84;
pub(crate) const CREAT: i64 = 85;
pub(crate) const LINK: i64 = 86;
pub(crate) const UNLINK: i64 = 87;
pub(crate) const SYMLINK: i64 = 88;
pub(crate) const CHMOD: i64 = 90;
pub(crate) const FCHMOD: i64 = 91;
pub(crate) const CHOWN: i64 = 92;
pub(crate) const FCHOWN: i64 = 93;
pub(crate) const LCHOWN: i64 = 94;
pub(crate) const PTRACE: i64 = 101;
pub(crate) const SETUID: i64 = 105;
pub(crate) const SETGID: i64 = 106;
pub(crate) const SETRESUID: i64 = 117;
pub(crate) const SETRESGID: i64 = 119;
pub(crate) const MOUNT: i64 = 165;
pub(crate) const UMOUNT2: i64 = 166;
pub(crate) const OPENAT: i64 = 257;
pub(crate) const MKDIRAT: i64 = 258;
pub(crate) const FCHOWNAT: i64 = 260;
pub(crate) const UNLINKAT: i64 = 263;
pub(crate) const RENAMEAT: i64 = 264;
pub(crate) const LINKAT: i64 = 265;
pub(crate) const SYMLINKAT: i64 = 266;
pub(crate) const FCHMODAT: i64 = 268;
pub(crate) const ACCEPT4: i64 = 288;
pub(crate) const DUP3: i64 = 292;
pub(crate) const PIPE2: i64 = 293;
pub(crate) const RENAMEAT2: i64 = 316;
pub(crate) const EXECVEAT: i64 = 322;
pub(crate) const CLONE3: i64 = 435;
pub(crate) const OPENAT2: i64 = 437;

/// The scap syscall code (`PPM_SC_*`) of x86_64 syscall `nr`, 0 (UNKNOWN) if it has none.
pub(crate) fn ppm_sc(nr: i64) -> u16 {
    match usize::try_from(nr) {
        Ok(i) if i < crate::abi::SYSCALL_TABLE_SIZE => crate::abi::syscall::X86_64[i].ppm_sc,
        _ => crate::abi::syscall::PPM_SC_UNKNOWN,
    }
}
