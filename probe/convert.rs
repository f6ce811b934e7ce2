// SPDX-License-Identifier: GPL-2.0
//! Conversions from Linux x86_64 syscall values to the scap encodings (`PPM_*` in libs'
//! `driver/ppm_events_public.h`), where the two differ. Flags that scap defines bit-for-bit like
//! Linux (file modes, mount, umount, unlinkat, linkat, renameat2 flags) pass through unchanged.

// Linux open(2) flags (asm-generic/fcntl.h, as on x86_64).
const O_WRONLY: u32 = 0o1;
const O_RDWR: u32 = 0o2;
const O_CREAT: u32 = 0o100;
const O_EXCL: u32 = 0o200;
const O_TRUNC: u32 = 0o1000;
const O_APPEND: u32 = 0o2000;
const O_NONBLOCK: u32 = 0o4000;
const O_DSYNC: u32 = 0o10000;
const O_DIRECT: u32 = 0o40000;
const O_LARGEFILE: u32 = 0o100000;
const O_DIRECTORY: u32 = 0o200000;
const O_CLOEXEC: u32 = 0o2000000;
const O_SYNC: u32 = 0o4000000 | O_DSYNC;
const O_TMPFILE: u32 = 0o20000000 | O_DIRECTORY;

// scap file flags (PPM_O_*).
pub(crate) const PPM_O_RDONLY: u32 = 1 << 0;
pub(crate) const PPM_O_WRONLY: u32 = 1 << 1;
pub(crate) const PPM_O_RDWR: u32 = PPM_O_RDONLY | PPM_O_WRONLY;
pub(crate) const PPM_O_CREAT: u32 = 1 << 2;
pub(crate) const PPM_O_APPEND: u32 = 1 << 3;
pub(crate) const PPM_O_DSYNC: u32 = 1 << 4;
pub(crate) const PPM_O_EXCL: u32 = 1 << 5;
pub(crate) const PPM_O_NONBLOCK: u32 = 1 << 6;
pub(crate) const PPM_O_SYNC: u32 = 1 << 7;
pub(crate) const PPM_O_TRUNC: u32 = 1 << 8;
pub(crate) const PPM_O_DIRECT: u32 = 1 << 9;
pub(crate) const PPM_O_DIRECTORY: u32 = 1 << 10;
pub(crate) const PPM_O_LARGEFILE: u32 = 1 << 11;
pub(crate) const PPM_O_CLOEXEC: u32 = 1 << 12;
pub(crate) const PPM_O_TMPFILE: u32 = 1 << 13;
/// Set on open exits when the call created the file.
pub(crate) const PPM_O_F_CREATED: u32 = 1 << 14;

/// `open_flags_to_scap`.
pub(crate) fn open_flags(f: u32) -> u32 {
    let mut r = if f & O_WRONLY != 0 {
        PPM_O_WRONLY
    } else if f & O_RDWR != 0 {
        PPM_O_RDWR
    } else {
        PPM_O_RDONLY
    };
    // Straight-line tests: this runs on every open, and a loop over a table is not unrolled here.
    if f & O_CREAT != 0 {
        r |= PPM_O_CREAT;
    }
    if f & O_APPEND != 0 {
        r |= PPM_O_APPEND;
    }
    if f & O_EXCL != 0 {
        r |= PPM_O_EXCL;
    }
    if f & O_NONBLOCK != 0 {
        r |= PPM_O_NONBLOCK;
    }
    if f & O_TRUNC != 0 {
        r |= PPM_O_TRUNC;
    }
    if f & O_DIRECT != 0 {
        r |= PPM_O_DIRECT;
    }
    if f & O_LARGEFILE != 0 {
        r |= PPM_O_LARGEFILE;
    }
    if f & O_CLOEXEC != 0 {
        r |= PPM_O_CLOEXEC;
    }
    // O_SYNC and O_TMPFILE contain the bits of O_DSYNC and O_DIRECTORY. Like the upstream C driver
    // (whose output falco's rules are written against), any of their bits sets the flag.
    if f & O_DSYNC != 0 {
        r |= PPM_O_DSYNC;
    }
    if f & O_SYNC != 0 {
        r |= PPM_O_SYNC;
    }
    if f & O_DIRECTORY != 0 {
        r |= PPM_O_DIRECTORY;
    }
    if f & O_TMPFILE != 0 {
        r |= PPM_O_TMPFILE;
    }
    r
}

/// `open_modes_to_scap`: the mode only means something when the call may create a file.
/// scap's PPM_S_* bits equal Linux's permission bits.
pub(crate) fn open_mode(flags: u32, mode: u32) -> u32 {
    if flags & O_CREAT != 0 || flags & O_TMPFILE == O_TMPFILE {
        mode & 0o7777
    } else {
        0
    }
}

/// Flags of dup3/pipe2/eventfd2-style calls, which only carry O_CLOEXEC/O_NONBLOCK/O_DIRECT.
pub(crate) fn fd_flags(f: u32) -> u32 {
    let mut r = 0;
    if f & O_CLOEXEC != 0 {
        r |= PPM_O_CLOEXEC;
    }
    if f & O_NONBLOCK != 0 {
        r |= PPM_O_NONBLOCK;
    }
    if f & O_DIRECT != 0 {
        r |= PPM_O_DIRECT;
    }
    r
}

// scap clone flags (PPM_CL_*).
pub(crate) const PPM_CL_CLONE_FILES: u32 = 1 << 0;
pub(crate) const PPM_CL_CLONE_SIGHAND: u32 = 1 << 11;
pub(crate) const PPM_CL_CLONE_THREAD: u32 = 1 << 13;
pub(crate) const PPM_CL_CLONE_VM: u32 = 1 << 15;
pub(crate) const PPM_CL_CLONE_VFORK: u32 = 1 << 27;
pub(crate) const PPM_CL_CHILD_IN_PIDNS: u32 = 1 << 29;

/// Linux CLONE_* (low 32 bits) to PPM_CL_*.
pub(crate) fn clone_flags(f: u64) -> u32 {
    const MAP: [(u64, u32); 22] = [
        (0x400, PPM_CL_CLONE_FILES),
        (0x200, 1 << 1),       // CLONE_FS
        (0x8000_0000, 1 << 2), // CLONE_IO
        (0x0800_0000, 1 << 3), // CLONE_NEWIPC
        (0x4000_0000, 1 << 4), // CLONE_NEWNET
        (0x0002_0000, 1 << 5), // CLONE_NEWNS
        (0x2000_0000, 1 << 6), // CLONE_NEWPID
        (0x0400_0000, 1 << 7), // CLONE_NEWUTS
        (0x8000, 1 << 8),      // CLONE_PARENT
        (0x0010_0000, 1 << 9), // CLONE_PARENT_SETTID
        (0x2000, 1 << 10),     // CLONE_PTRACE
        (0x800, PPM_CL_CLONE_SIGHAND),
        (0x0004_0000, 1 << 12), // CLONE_SYSVSEM
        (0x0001_0000, PPM_CL_CLONE_THREAD),
        (0x0080_0000, 1 << 14), // CLONE_UNTRACED
        (0x100, PPM_CL_CLONE_VM),
        (0x1000_0000, 1 << 20), // CLONE_NEWUSER
        (0x0020_0000, 1 << 23), // CLONE_CHILD_CLEARTID
        (0x0100_0000, 1 << 24), // CLONE_CHILD_SETTID
        (0x0008_0000, 1 << 25), // CLONE_SETTLS
        (0x4000, PPM_CL_CLONE_VFORK),
        (0x0200_0000, 1 << 28), // CLONE_NEWCGROUP
    ];
    let mut r = 0;
    for (linux, ppm) in MAP {
        if f & linux != 0 {
            r |= ppm;
        }
    }
    r
}

/// Linux `PTRACE_*` requests to `PPM_PTRACE_*`.
pub(crate) fn ptrace_request(req: u64) -> u16 {
    match req {
        0 => 1,       // TRACEME
        1 => 2,       // PEEKTEXT
        2 => 3,       // PEEKDATA
        3 => 4,       // PEEKUSR
        4 => 5,       // POKETEXT
        5 => 6,       // POKEDATA
        6 => 7,       // POKEUSR
        7 => 8,       // CONT
        8 => 9,       // KILL
        9 => 10,      // SINGLESTEP
        16 => 11,     // ATTACH
        17 => 12,     // DETACH
        24 => 13,     // SYSCALL
        0x4200 => 14, // SETOPTIONS
        0x4201 => 15, // GETEVENTMSG
        0x4202 => 16, // GETSIGINFO
        0x4203 => 17, // SETSIGINFO
        0x4204 => 18, // GETREGSET
        0x4205 => 19, // SETREGSET
        0x4206 => 20, // SEIZE
        0x4207 => 21, // INTERRUPT
        0x4208 => 22, // LISTEN
        0x4209 => 23, // PEEKSIGINFO
        0x420a => 24, // GETSIGMASK
        0x420b => 25, // SETSIGMASK
        12 => 26,     // GETREGS
        13 => 27,     // SETREGS
        14 => 28,     // GETFPREGS
        15 => 29,     // SETFPREGS
        18 => 30,     // GETFPXREGS
        19 => 31,     // SETFPXREGS
        21 => 32,     // OLDSETOPTIONS
        25 => 33,     // GET_THREAD_AREA
        26 => 34,     // SET_THREAD_AREA
        30 => 35,     // ARCH_PRCTL
        31 => 36,     // SYSEMU
        32 => 37,     // SYSEMU_SINGLESTEP
        33 => 38,     // SINGLEBLOCK
        _ => 0,       // UNKNOWN
    }
}

/// mount(2) flags: scap's PPM_MS_* equal Linux MS_*, minus the legacy magic in the top 16 bits.
pub(crate) fn mount_flags(f: u64) -> u32 {
    const MS_MGC_MSK: u64 = 0xffff_0000;
    const MS_MGC_VAL: u64 = 0xc0ed_0000;
    let f = if f & MS_MGC_MSK == MS_MGC_VAL {
        f & !MS_MGC_MSK
    } else {
        f
    };
    f as u32
}

/// fchownat(2) flags to `PPM_AT_*`.
pub(crate) fn fchownat_flags(f: u32) -> u32 {
    const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
    const AT_EMPTY_PATH: u32 = 0x1000;
    let mut r = 0;
    if f & AT_SYMLINK_NOFOLLOW != 0 {
        r |= 1 << 0;
    }
    if f & AT_EMPTY_PATH != 0 {
        r |= 1 << 1;
    }
    r
}

/// The *at() directory fd: AT_FDCWD is written as scap's PPM_AT_FDCWD (-100, the same value).
pub(crate) fn dirfd(fd: u64) -> i64 {
    i64::from(fd as i32)
}

/// Linux socket address families: scap's PPM_AF_* use the Linux numbers.
pub(crate) fn socket_family(f: u16) -> u8 {
    f as u8
}
