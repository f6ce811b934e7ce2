//! The system calls the behaviours need beyond the workload's, written in the current libs event
//! layouts (falco reads them; sysdig 0.29.3 does not know all of them, which is why the behaviours
//! capture is separate from the detections scenario).

use anyhow::Result;
use falco_engine::abi::event_id as ev;

use crate::world::World;

const AT_FDCWD: i64 = -100;
/// execve flags (libs' execve_flags).
pub const EXE_UPPER_LAYER: u32 = 1 << 1;
pub const EXE_FROM_MEMFD: u32 = 1 << 2;
/// Every capability (CAP_CHOWN..CAP_CHECKPOINT_RESTORE), as a privileged container has.
pub const CAPS_ALL: u64 = 0x1ff_ffff_ffff;
/// Docker's default set (no CAP_SYS_ADMIN, CAP_SYS_MODULE...).
pub const CAPS_DOCKER: u64 = 0xa804_25fb;
/// The device number of /dev/pts/1 (major 136), as `docker exec -it` gives a shell.
pub const TTY_PTS: u32 = (136 << 8) | 1;
const AF_PACKET: u32 = 17;
const PTRACE_TRACEME: u16 = 1;
const PTRACE_ATTACH: u16 = 11;
const BPF_PROG_LOAD: u32 = 5;

/// What an exec carries besides the program: the fields newer drivers fill.
#[derive(Clone, Copy)]
pub struct Exec<'a> {
    pub tty: u32,
    pub flags: u32,
    pub caps: u64,
    /// The resolved executable path (proc.exepath), when it differs from the program path.
    pub exepath: Option<&'a str>,
}

impl Default for Exec<'_> {
    fn default() -> Self {
        Exec {
            tty: 0,
            flags: 0,
            caps: CAPS_ALL,
            exepath: None,
        }
    }
}

/// An execve in `pid` (already forked) of `exe` with `args`, in the 30-parameter layout.
pub fn exec(w: &mut World, pid: i64, exe: &str, args: &[&str], x: Exec<'_>) -> Result<()> {
    let p = w.procs.get_mut(&pid).expect("known process");
    p.comm = exe
        .rsplit('/')
        .next()
        .unwrap_or(exe)
        .chars()
        .take(15)
        .collect();
    p.exe = exe.to_string();
    p.exepath = x.exepath.unwrap_or(exe).to_string();
    p.args = args.iter().map(|s| s.to_string()).collect();
    let p = p.clone();
    w.emit(pid, ev::SYSCALL_EXECVE_19_E, |b| {
        b.str(exe);
    })?;
    w.emit(pid, ev::SYSCALL_EXECVE_19_X, |b| {
        crate::world::execve_exit_head(b, &p, pid, p.ppid, x.tty)
            .u32(x.flags)
            .u64(x.caps)
            .u64(x.caps)
            .u64(x.caps)
            .u64(4_242_000 + pid as u64)
            .u64(EXE_INO_TIME)
            .u64(EXE_INO_TIME)
            .u32(p.uid)
            .str(&p.exepath)
            .i64(pid)
            .u32(p.gid);
    })
}

/// Inode times of executables: a fixed instant keeps captures reproducible.
const EXE_INO_TIME: u64 = 1_767_225_000_000_000_000;

/// Forks `parent` (the child re-executes the parent's program, as a fork-and-exec helper such as
/// `runc init` does), then execs `exe` with the exec fields `x`: the way to give a program a
/// terminal, exec flags or capabilities.
pub fn spawn_x(w: &mut World, parent: i64, exe: &str, args: &[&str], x: Exec<'_>) -> Result<i64> {
    let p = &w.procs[&parent];
    let (pexe, pargs) = (p.exe.clone(), p.args.clone());
    let pargs: Vec<&str> = pargs.iter().map(String::as_str).collect();
    let c = w.spawn(parent, &pexe, &pargs)?;
    exec(w, c, exe, args, x)?;
    Ok(c)
}

pub fn symlinkat(w: &mut World, pid: i64, target: &str, linkpath: &str) -> Result<()> {
    w.emit(pid, ev::SYSCALL_SYMLINKAT_E, |_| {})?;
    w.emit(pid, ev::SYSCALL_SYMLINKAT_X, |b| {
        b.i64(0).str(target).i64(AT_FDCWD).str(linkpath);
    })
}

pub fn linkat(w: &mut World, pid: i64, oldpath: &str, newpath: &str) -> Result<()> {
    w.emit(pid, ev::SYSCALL_LINKAT_2_E, |_| {})?;
    w.emit(pid, ev::SYSCALL_LINKAT_2_X, |b| {
        b.i64(0)
            .i64(AT_FDCWD)
            .str(oldpath)
            .i64(AT_FDCWD)
            .str(newpath)
            .u32(0);
    })
}

pub fn finit_module(w: &mut World, pid: i64, fd: i64) -> Result<()> {
    w.emit(pid, ev::SYSCALL_FINIT_MODULE_E, |_| {})?;
    w.emit(pid, ev::SYSCALL_FINIT_MODULE_X, |b| {
        b.i64(0).i64(fd).str("").u32(0);
    })
}

pub fn mount(w: &mut World, pid: i64, dev: &str, dir: &str, fstype: &str, res: i64) -> Result<()> {
    w.emit(pid, ev::SYSCALL_MOUNT_E, |b| {
        b.u32(0);
    })?;
    w.emit(pid, ev::SYSCALL_MOUNT_X, |b| {
        b.i64(res).str(dev).str(dir).str(fstype).u32(0);
    })
}

/// socket(AF_PACKET, SOCK_RAW, ETH_P_ALL) returning `fd`.
pub fn packet_socket(w: &mut World, pid: i64, fd: i64) -> Result<()> {
    w.emit(pid, ev::SOCKET_SOCKET_E, |b| {
        b.u32(AF_PACKET).u32(3).u32(768);
    })?;
    w.emit(pid, ev::SOCKET_SOCKET_X, |b| {
        b.i64(fd).u32(AF_PACKET).u32(3).u32(768).u32(0);
    })
}

pub fn dup2(w: &mut World, pid: i64, oldfd: i64, newfd: i64) -> Result<()> {
    w.emit(pid, ev::SYSCALL_DUP2_E, |b| {
        b.i64(oldfd);
    })?;
    w.emit(pid, ev::SYSCALL_DUP2_X, |b| {
        b.i64(newfd).i64(oldfd).i64(newfd);
    })
}

pub fn ptrace(w: &mut World, pid: i64, traceme: bool, target: i64) -> Result<()> {
    let req = if traceme {
        PTRACE_TRACEME
    } else {
        PTRACE_ATTACH
    };
    w.emit(pid, ev::SYSCALL_PTRACE_E, |b| {
        b.u16(req).i64(target);
    })?;
    w.emit(pid, ev::SYSCALL_PTRACE_X, |b| {
        b.i64(0)
            .raw(&[0, 0, 0, 0, 0, 0, 0, 0, 0])
            .raw(&[0, 0, 0, 0, 0, 0, 0, 0, 0])
            .u16(req)
            .i64(target);
    })
}

pub fn setuid(w: &mut World, pid: i64, uid: u32) -> Result<()> {
    w.emit(pid, ev::SYSCALL_SETUID_E, |b| {
        b.u32(uid);
    })?;
    w.emit(pid, ev::SYSCALL_SETUID_X, |b| {
        b.i64(0).u32(uid);
    })
}

pub fn setns(w: &mut World, pid: i64, fd: i64) -> Result<()> {
    w.emit(pid, ev::SYSCALL_SETNS_E, |b| {
        b.i64(fd).u32(0);
    })?;
    w.emit(pid, ev::SYSCALL_SETNS_X, |b| {
        b.i64(0).i64(fd).u32(0);
    })
}

/// unshare(CLONE_NEWUSER | CLONE_NEWNS) in the PPM flag bits.
pub fn unshare(w: &mut World, pid: i64) -> Result<()> {
    let flags = (1 << 28) | (1 << 17);
    w.emit(pid, ev::SYSCALL_UNSHARE_E, |b| {
        b.u32(flags);
    })?;
    w.emit(pid, ev::SYSCALL_UNSHARE_X, |b| {
        b.i64(0).u32(flags);
    })
}

pub fn userfaultfd(w: &mut World, pid: i64, fd: i64) -> Result<()> {
    w.emit(pid, ev::SYSCALL_USERFAULTFD_E, |_| {})?;
    w.emit(pid, ev::SYSCALL_USERFAULTFD_X, |b| {
        b.i64(fd).u32(0);
    })
}

pub fn bpf_prog_load(w: &mut World, pid: i64, fd: i64) -> Result<()> {
    w.emit(pid, ev::SYSCALL_BPF_2_E, |b| {
        b.i64(BPF_PROG_LOAD as i64);
    })?;
    w.emit(pid, ev::SYSCALL_BPF_2_X, |b| {
        b.i64(fd).u32(BPF_PROG_LOAD);
    })
}

/// recvfrom on a connected socket `fd` returning `data` (no address: the peer is the fd's).
pub fn recvfrom(w: &mut World, pid: i64, fd: i64, data: &[u8]) -> Result<()> {
    w.emit(pid, ev::SOCKET_RECVFROM_E, |b| {
        b.i64(fd).u32(4096);
    })?;
    w.emit(pid, ev::SOCKET_RECVFROM_X, |b| {
        b.i64(data.len() as i64)
            .raw(data)
            .raw(&[])
            .i64(fd)
            .u32(4096);
    })
}
