//! The event table: name, category, flags and parameters of every event type, indexed by event id.
//!
//! Checked against falcosecurity/libs 0.25.4 (`driver/event_table.c`, `flags_table.c`,
//! `dynamic_params_table.c`, `ppm_events_public.h`: schema 4.5.1, PPM_EVENT_MAX 454), the libs Falco
//! 0.44.1 is built with: ids, names, categories and parameters (name, type, format, flag names) match,
//! with these deliberate differences:
//! - enter events keep their parameters (libs 0.25 marks them EF_OLD_VERSION and converts them into the
//!   exit event when it reads an old capture); exit events carry the enter parameters appended, as in libs;
//! - `EF_DROP_SIMPLE_CONS`, dropped from libs in late 2022, is kept on the events the 2021/2022 tables gave it
//!   (sysdig 0.29.3's table), because falco's simple consumer mode uses it;
//! - openat and openat2 exits list a last `fullpath` parameter that libs added after 0.25; drivers of
//!   schema 4.5.1 do not send it, and an event without it simply lacks it;
//! - mmap and mmap2 lack libs' EF_USES_FD, as in sysdig 0.29.3: with it, an anonymous mapping (fd -1)
//!   would need libs' exact fd.* answers, which the differential tests cannot check;
//! - ids 430..=449 (the modern probe's proc-scan iterator events, category EC_ITER, which the ABI module does
//!   not define) are placeholders: no driver of ours emits them and captures do not carry them.
//!
//! Where sysdig 0.29.3 (the 2022 table, which renders the 2016-2018 reference captures) differs, a comment
//! above the event says how, and [`sysdig_2022`] has the same facts as data.

use super::flags::*;
use super::{EventInfo, FlagName, ParamExtra, ParamInfo};
use crate::abi::event_category::*;
use crate::abi::event_flags::*;
use crate::abi::event_id::EVENT_MAX;
use crate::abi::param_type::*;
use crate::abi::print_fmt::*;

/// A plain parameter.
const fn p(name: &'static str, ptype: u8, fmt: u8) -> ParamInfo {
    ParamInfo {
        name,
        ptype,
        fmt,
        extra: ParamExtra::None,
    }
}

/// A flags, enum or mode parameter rendered with `names`.
const fn pf(name: &'static str, ptype: u8, fmt: u8, names: &'static [FlagName]) -> ParamInfo {
    ParamInfo {
        name,
        ptype,
        fmt,
        extra: ParamExtra::Flags(names),
    }
}

/// A PT_DYN parameter whose first byte indexes `types`.
const fn pd(name: &'static str, fmt: u8, types: &'static [ParamInfo]) -> ParamInfo {
    ParamInfo {
        name,
        ptype: PT_DYN,
        fmt,
        extra: ParamExtra::Dyn(types),
    }
}

/// A PT_FSRELPATH parameter relative to the directory fd in parameter `dirfd`.
const fn pr(name: &'static str, dirfd: u8) -> ParamInfo {
    ParamInfo {
        name,
        ptype: PT_FSRELPATH,
        fmt: PF_NA,
        extra: ParamExtra::DirFd(dirfd),
    }
}

const fn e(
    name: &'static str,
    category: u32,
    flags: u32,
    params: &'static [ParamInfo],
) -> EventInfo {
    EventInfo {
        name,
        category,
        flags,
        params,
    }
}

/// The exit half of enter-only events (tracepoints, meta events) and the reserved ids.
const NA: EventInfo = e("NA", EC_UNKNOWN, EF_UNUSED, &[]);

// Used by events 45, 47.
const P_SETSOCKOPT_X: &[ParamInfo] = &[
    p("res", PT_ERRNO, PF_DEC),
    p("fd", PT_FD, PF_DEC),
    pf("level", PT_ENUMFLAGS8, PF_DEC, SOCKOPT_LEVELS),
    pf("optname", PT_ENUMFLAGS8, PF_DEC, SOCKOPT_OPTIONS),
    pd("val", PF_DEC, SOCKOPT_DYNAMIC_PARAM),
    p("optlen", PT_UINT32, PF_DEC),
];

// Used by events 157, 183, 185.
const P_CLONE_16_X: &[ParamInfo] = &[
    p("res", PT_PID, PF_DEC),
    p("exe", PT_CHARBUF, PF_NA),
    p("args", PT_BYTEBUF, PF_NA),
    p("tid", PT_PID, PF_DEC),
    p("pid", PT_PID, PF_DEC),
    p("ptid", PT_PID, PF_DEC),
    p("cwd", PT_CHARBUF, PF_NA),
    p("fdlimit", PT_INT64, PF_DEC),
    p("pgft_maj", PT_UINT64, PF_DEC),
    p("pgft_min", PT_UINT64, PF_DEC),
    p("vm_size", PT_UINT32, PF_DEC),
    p("vm_rss", PT_UINT32, PF_DEC),
    p("vm_swap", PT_UINT32, PF_DEC),
    pf("flags", PT_FLAGS32, PF_HEX, CLONE_FLAGS),
    p("uid", PT_UINT32, PF_DEC),
    p("gid", PT_UINT32, PF_DEC),
];

// Used by events 217, 219, 221.
const P_CLONE_17_X: &[ParamInfo] = &[
    p("res", PT_PID, PF_DEC),
    p("exe", PT_CHARBUF, PF_NA),
    p("args", PT_BYTEBUF, PF_NA),
    p("tid", PT_PID, PF_DEC),
    p("pid", PT_PID, PF_DEC),
    p("ptid", PT_PID, PF_DEC),
    p("cwd", PT_CHARBUF, PF_NA),
    p("fdlimit", PT_INT64, PF_DEC),
    p("pgft_maj", PT_UINT64, PF_DEC),
    p("pgft_min", PT_UINT64, PF_DEC),
    p("vm_size", PT_UINT32, PF_DEC),
    p("vm_rss", PT_UINT32, PF_DEC),
    p("vm_swap", PT_UINT32, PF_DEC),
    p("comm", PT_CHARBUF, PF_NA),
    pf("flags", PT_FLAGS32, PF_HEX, CLONE_FLAGS),
    p("uid", PT_UINT32, PF_DEC),
    p("gid", PT_UINT32, PF_DEC),
];

// Used by events 223, 225, 227, 335.
const P_CLONE_20_X: &[ParamInfo] = &[
    p("res", PT_PID, PF_DEC),
    p("exe", PT_CHARBUF, PF_NA),
    p("args", PT_BYTEBUF, PF_NA),
    p("tid", PT_PID, PF_DEC),
    p("pid", PT_PID, PF_DEC),
    p("ptid", PT_PID, PF_DEC),
    p("cwd", PT_CHARBUF, PF_NA),
    p("fdlimit", PT_INT64, PF_DEC),
    p("pgft_maj", PT_UINT64, PF_DEC),
    p("pgft_min", PT_UINT64, PF_DEC),
    p("vm_size", PT_UINT32, PF_DEC),
    p("vm_rss", PT_UINT32, PF_DEC),
    p("vm_swap", PT_UINT32, PF_DEC),
    p("comm", PT_CHARBUF, PF_NA),
    p("cgroups", PT_BYTEBUF, PF_NA),
    pf("flags", PT_FLAGS32, PF_HEX, CLONE_FLAGS),
    p("uid", PT_UINT32, PF_DEC),
    p("gid", PT_UINT32, PF_DEC),
    p("vtid", PT_PID, PF_DEC),
    p("vpid", PT_PID, PF_DEC),
    p("pidns_init_start_ts", PT_UINT64, PF_DEC),
];

// Used by events 247, 249.
const P_ACCEPT_5_X: &[ParamInfo] = &[
    p("fd", PT_FD, PF_DEC),
    p("tuple", PT_SOCKTUPLE, PF_NA),
    p("queuepct", PT_UINT8, PF_DEC),
    p("queuelen", PT_UINT32, PF_DEC),
    p("queuemax", PT_UINT32, PF_DEC),
];

// Used by event 389: accept5's parameters and the accept4 flags of the enter event.
const P_ACCEPT4_6_X: &[ParamInfo] = &[
    p("fd", PT_FD, PF_DEC),
    p("tuple", PT_SOCKTUPLE, PF_NA),
    p("queuepct", PT_UINT8, PF_DEC),
    p("queuelen", PT_UINT32, PF_DEC),
    p("queuemax", PT_UINT32, PF_DEC),
    p("flags", PT_INT32, PF_HEX),
];

// Used by events 283, 289.
const P_EXECVE_17_X: &[ParamInfo] = &[
    p("res", PT_ERRNO, PF_DEC),
    p("exe", PT_CHARBUF, PF_NA),
    p("args", PT_BYTEBUF, PF_NA),
    p("tid", PT_PID, PF_DEC),
    p("pid", PT_PID, PF_DEC),
    p("ptid", PT_PID, PF_DEC),
    p("cwd", PT_CHARBUF, PF_NA),
    p("fdlimit", PT_UINT64, PF_DEC),
    p("pgft_maj", PT_UINT64, PF_DEC),
    p("pgft_min", PT_UINT64, PF_DEC),
    p("vm_size", PT_UINT32, PF_DEC),
    p("vm_rss", PT_UINT32, PF_DEC),
    p("vm_swap", PT_UINT32, PF_DEC),
    p("comm", PT_CHARBUF, PF_NA),
    p("cgroups", PT_BYTEBUF, PF_NA),
    p("env", PT_BYTEBUF, PF_NA),
    p("tty", PT_INT32, PF_DEC),
];

// Used by event 293.
const P_EXECVE_19_X: &[ParamInfo] = &[
    p("res", PT_ERRNO, PF_DEC),
    p("exe", PT_CHARBUF, PF_NA),
    p("args", PT_BYTEBUF, PF_NA),
    p("tid", PT_PID, PF_DEC),
    p("pid", PT_PID, PF_DEC),
    p("ptid", PT_PID, PF_DEC),
    p("cwd", PT_CHARBUF, PF_NA),
    p("fdlimit", PT_UINT64, PF_DEC),
    p("pgft_maj", PT_UINT64, PF_DEC),
    p("pgft_min", PT_UINT64, PF_DEC),
    p("vm_size", PT_UINT32, PF_DEC),
    p("vm_rss", PT_UINT32, PF_DEC),
    p("vm_swap", PT_UINT32, PF_DEC),
    p("comm", PT_CHARBUF, PF_NA),
    p("cgroups", PT_BYTEBUF, PF_NA),
    p("env", PT_BYTEBUF, PF_NA),
    p("tty", PT_UINT32, PF_DEC),
    p("vpgid", PT_PID, PF_DEC),
    p("loginuid", PT_UID, PF_DEC),
    pf("flags", PT_FLAGS32, PF_HEX, EXECVE_FLAGS),
    p("cap_inheritable", PT_UINT64, PF_HEX),
    p("cap_permitted", PT_UINT64, PF_HEX),
    p("cap_effective", PT_UINT64, PF_HEX),
    p("exe_ino", PT_UINT64, PF_DEC),
    p("exe_ino_ctime", PT_ABSTIME, PF_DEC),
    p("exe_ino_mtime", PT_ABSTIME, PF_DEC),
    p("uid", PT_UID, PF_DEC),
    p("trusted_exepath", PT_FSPATH, PF_NA),
    p("pgid", PT_PID, PF_NA),
    p("gid", PT_GID, PF_DEC),
    p("filename", PT_FSPATH, PF_NA),
];

// Used by event 331: execve's parameters without the filename.
const P_EXECVEAT_X: &[ParamInfo] = &[
    p("res", PT_ERRNO, PF_DEC),
    p("exe", PT_CHARBUF, PF_NA),
    p("args", PT_BYTEBUF, PF_NA),
    p("tid", PT_PID, PF_DEC),
    p("pid", PT_PID, PF_DEC),
    p("ptid", PT_PID, PF_DEC),
    p("cwd", PT_CHARBUF, PF_NA),
    p("fdlimit", PT_UINT64, PF_DEC),
    p("pgft_maj", PT_UINT64, PF_DEC),
    p("pgft_min", PT_UINT64, PF_DEC),
    p("vm_size", PT_UINT32, PF_DEC),
    p("vm_rss", PT_UINT32, PF_DEC),
    p("vm_swap", PT_UINT32, PF_DEC),
    p("comm", PT_CHARBUF, PF_NA),
    p("cgroups", PT_BYTEBUF, PF_NA),
    p("env", PT_BYTEBUF, PF_NA),
    p("tty", PT_UINT32, PF_DEC),
    p("vpgid", PT_PID, PF_DEC),
    p("loginuid", PT_UID, PF_DEC),
    pf("flags", PT_FLAGS32, PF_HEX, EXECVE_FLAGS),
    p("cap_inheritable", PT_UINT64, PF_HEX),
    p("cap_permitted", PT_UINT64, PF_HEX),
    p("cap_effective", PT_UINT64, PF_HEX),
    p("exe_ino", PT_UINT64, PF_DEC),
    p("exe_ino_ctime", PT_ABSTIME, PF_DEC),
    p("exe_ino_mtime", PT_ABSTIME, PF_DEC),
    p("uid", PT_UID, PF_DEC),
    p("trusted_exepath", PT_FSPATH, PF_NA),
    p("pgid", PT_PID, PF_NA),
    p("gid", PT_GID, PF_DEC),
];

// Used by events 354, 356.
const P_USER_ADDED_E: &[ParamInfo] = &[
    p("uid", PT_UINT32, PF_DEC),
    p("gid", PT_UINT32, PF_DEC),
    p("name", PT_CHARBUF, PF_NA),
    p("home", PT_CHARBUF, PF_NA),
    p("shell", PT_CHARBUF, PF_NA),
    p("container_id", PT_CHARBUF, PF_NA),
];

/// Every event type, indexed by event id (`ppm_event_code`).
#[rustfmt::skip]
pub static EVENTS: [EventInfo; EVENT_MAX as usize] = [
    /* 0 GENERIC_E */ e("syscall", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("ID", PT_SYSCALLID, PF_DEC), p("nativeID", PT_UINT16, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 1 GENERIC_X */ e("syscall", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("ID", PT_SYSCALLID, PF_DEC), p("nativeID", PT_UINT16, PF_DEC)]),
    /* 2 SYSCALL_OPEN_E */ e("open", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("name", PT_FSPATH, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT)]),
    // sysdig 0.29.3 (2022): 5 params (ours 6).
    /* 3 SYSCALL_OPEN_X */ e("open", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("name", PT_FSPATH, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT), p("dev", PT_UINT32, PF_HEX), p("ino", PT_UINT64, PF_DEC)]),
    /* 4 SYSCALL_CLOSE_E */ e("close", EC_IO_OTHER | EC_SYSCALL, EF_DESTROYS_FD | EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 5 SYSCALL_CLOSE_X */ e("close", EC_IO_OTHER | EC_SYSCALL, EF_DESTROYS_FD | EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC)]),
    /* 6 SYSCALL_READ_E */ e("read", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 4).
    /* 7 SYSCALL_READ_X */ e("read", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    /* 8 SYSCALL_WRITE_E */ e("write", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 4).
    /* 9 SYSCALL_WRITE_X */ e("write", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    /* 10 SYSCALL_BRK_1_E */ e("brk", EC_MEMORY | EC_SYSCALL, EF_OLD_VERSION, &[p("size", PT_UINT32, PF_DEC)]),
    /* 11 SYSCALL_BRK_1_X */ e("brk", EC_MEMORY | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_UINT64, PF_HEX)]),
    /* 12 SYSCALL_EXECVE_8_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 13 SYSCALL_EXECVE_8_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC), p("exe", PT_CHARBUF, PF_NA), p("args", PT_BYTEBUF, PF_NA), p("tid", PT_PID, PF_DEC), p("pid", PT_PID, PF_DEC), p("ptid", PT_PID, PF_DEC), p("cwd", PT_CHARBUF, PF_NA), p("fdlimit", PT_UINT64, PF_DEC)]),
    /* 14 SYSCALL_CLONE_11_E */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 15 SYSCALL_CLONE_11_X */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_PID, PF_DEC), p("exe", PT_CHARBUF, PF_NA), p("args", PT_BYTEBUF, PF_NA), p("tid", PT_PID, PF_DEC), p("pid", PT_PID, PF_DEC), p("ptid", PT_PID, PF_DEC), p("cwd", PT_CHARBUF, PF_NA), p("fdlimit", PT_INT64, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, CLONE_FLAGS), p("uid", PT_UINT32, PF_DEC), p("gid", PT_UINT32, PF_DEC)]),
    /* 16 PROCEXIT_E */ e("procexit", EC_PROCESS | EC_TRACEPOINT, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    // sysdig 0.29.3 (2022): named "NA1".
    /* 17 PROCEXIT_X */ e("NA", EC_UNKNOWN, EF_UNUSED | EF_OLD_VERSION, &[]),
    // sysdig 0.29.3 (2022): param 0 domain was FLAGS32.
    /* 18 SOCKET_SOCKET_E */ e("socket", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[pf("domain", PT_ENUMFLAGS32, PF_DEC, SOCKET_FAMILIES), p("type", PT_UINT32, PF_DEC), p("proto", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 5).
    // Param 4 "flags": the PPM O_NONBLOCK/O_CLOEXEC bits of the socket type (libs 0.25 event_table.c).
    /* 19 SOCKET_SOCKET_X */ e("socket", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), pf("domain", PT_ENUMFLAGS32, PF_DEC, SOCKET_FAMILIES), p("type", PT_UINT32, PF_DEC), p("proto", PT_UINT32, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS)]),
    /* 20 SOCKET_BIND_E */ e("bind", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 3).
    /* 21 SOCKET_BIND_X */ e("bind", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("addr", PT_SOCKADDR, PF_NA), p("fd", PT_FD, PF_DEC)]),
    /* 22 SOCKET_CONNECT_E */ e("connect", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("addr", PT_SOCKADDR, PF_NA)]),
    // sysdig 0.29.3 (2022): 2 params (ours 4).
    /* 23 SOCKET_CONNECT_X */ e("connect", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA), p("fd", PT_FD, PF_DEC), p("addr", PT_SOCKADDR, PF_NA)]),
    // sysdig 0.29.3 (2022): param 1 backlog was UINT32.
    /* 24 SOCKET_LISTEN_E */ e("listen", EC_NET | EC_SYSCALL, EF_USES_FD, &[p("fd", PT_FD, PF_DEC), p("backlog", PT_INT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 25 SOCKET_LISTEN_X */ e("listen", EC_NET | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("backlog", PT_INT32, PF_DEC)]),
    /* 26 SOCKET_ACCEPT_E */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 27 SOCKET_ACCEPT_X */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("fd", PT_FD, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA), p("queuepct", PT_UINT8, PF_DEC)]),
    /* 28 SOCKET_SEND_E */ e("send", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 29 SOCKET_SEND_X */ e("send", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    /* 30 SOCKET_SENDTO_E */ e("sendto", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 31 SOCKET_SENDTO_X */ e("sendto", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    /* 32 SOCKET_RECV_E */ e("recv", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 33 SOCKET_RECV_X */ e("recv", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    /* 34 SOCKET_RECVFROM_E */ e("recvfrom", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 3 params (ours 5).
    /* 35 SOCKET_RECVFROM_X */ e("recvfrom", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("tuple", PT_SOCKTUPLE, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): param 1 how was FLAGS8.
    /* 36 SOCKET_SHUTDOWN_E */ e("shutdown", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), pf("how", PT_ENUMFLAGS8, PF_HEX, SHUTDOWN_HOW)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 37 SOCKET_SHUTDOWN_X */ e("shutdown", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), pf("how", PT_ENUMFLAGS8, PF_HEX, SHUTDOWN_HOW)]),
    /* 38 SOCKET_GETSOCKNAME_E */ e("getsockname", EC_NET | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 39 SOCKET_GETSOCKNAME_X */ e("getsockname", EC_NET | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 40 SOCKET_GETPEERNAME_E */ e("getpeername", EC_NET | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 41 SOCKET_GETPEERNAME_X */ e("getpeername", EC_NET | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    // sysdig 0.29.3 (2022): param 0 domain was FLAGS32.
    /* 42 SOCKET_SOCKETPAIR_E */ e("socketpair", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[pf("domain", PT_ENUMFLAGS32, PF_DEC, SOCKET_FAMILIES), p("type", PT_UINT32, PF_DEC), p("proto", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 5 params (ours 8).
    /* 43 SOCKET_SOCKETPAIR_X */ e("socketpair", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("fd1", PT_FD, PF_DEC), p("fd2", PT_FD, PF_DEC), p("source", PT_UINT64, PF_HEX), p("peer", PT_UINT64, PF_HEX), pf("domain", PT_ENUMFLAGS32, PF_DEC, SOCKET_FAMILIES), p("type", PT_UINT32, PF_DEC), p("proto", PT_UINT32, PF_DEC)]),
    /* 44 SOCKET_SETSOCKOPT_E */ e("setsockopt", EC_NET | EC_SYSCALL, EF_NONE, &[]),
    // sysdig 0.29.3 (2022): param 2 level was FLAGS8; param 3 optname was FLAGS8.
    /* 45 SOCKET_SETSOCKOPT_X */ e("setsockopt", EC_NET | EC_SYSCALL, EF_USES_FD, P_SETSOCKOPT_X),
    /* 46 SOCKET_GETSOCKOPT_E */ e("getsockopt", EC_NET | EC_SYSCALL, EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[]),
    // sysdig 0.29.3 (2022): param 2 level was FLAGS8; param 3 optname was FLAGS8.
    /* 47 SOCKET_GETSOCKOPT_X */ e("getsockopt", EC_NET | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, P_SETSOCKOPT_X),
    /* 48 SOCKET_SENDMSG_E */ e("sendmsg", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 49 SOCKET_SENDMSG_X */ e("sendmsg", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    /* 50 SOCKET_SENDMMSG_E */ e("sendmmsg", EC_IO_WRITE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    // sysdig 0.29.3 (2022): 0 params (ours 5).
    // libs now fills sendmmsg/recvmmsg exits (first message only) and marks them EF_USES_FD; sysdig 0.29.3
    // had EF_NONE and no parameters.
    /* 51 SOCKET_SENDMMSG_X */ e("sendmmsg", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("tuple", PT_SOCKTUPLE, PF_NA)]),
    /* 52 SOCKET_RECVMSG_E */ e("recvmsg", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC)]),
    // sysdig 0.29.3 (2022): 4 params (ours 6).
    /* 53 SOCKET_RECVMSG_X */ e("recvmsg", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("size", PT_UINT32, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("tuple", PT_SOCKTUPLE, PF_NA), p("msgcontrol", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC)]),
    /* 54 SOCKET_RECVMMSG_E */ e("recvmmsg", EC_IO_READ | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    // sysdig 0.29.3 (2022): 0 params (ours 6).
    /* 55 SOCKET_RECVMMSG_X */ e("recvmmsg", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("tuple", PT_SOCKTUPLE, PF_NA), p("msgcontrol", PT_BYTEBUF, PF_NA)]),
    /* 56 SOCKET_ACCEPT4_E */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("flags", PT_INT32, PF_HEX)]),
    /* 57 SOCKET_ACCEPT4_X */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("fd", PT_FD, PF_DEC), p("tuple", PT_SOCKTUPLE, PF_NA), p("queuepct", PT_UINT8, PF_DEC)]),
    /* 58 SYSCALL_CREAT_E */ e("creat", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("name", PT_FSPATH, PF_NA), p("mode", PT_UINT32, PF_OCT)]),
    // sysdig 0.29.3 (2022): 4 params (ours 6).
    /* 59 SYSCALL_CREAT_X */ e("creat", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("name", PT_FSPATH, PF_NA), p("mode", PT_UINT32, PF_OCT), p("dev", PT_UINT32, PF_HEX), p("ino", PT_UINT64, PF_DEC), pf("creat_flags", PT_FLAGS16, PF_HEX, CREAT_FLAGS)]),
    /* 60 SYSCALL_PIPE_E */ e("pipe", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 61 SYSCALL_PIPE_X */ e("pipe", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("fd1", PT_FD, PF_DEC), p("fd2", PT_FD, PF_DEC), p("ino", PT_UINT64, PF_DEC)]),
    /* 62 SYSCALL_EVENTFD_E */ e("eventfd", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("initval", PT_UINT64, PF_DEC), p("flags", PT_FLAGS32, PF_HEX)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 63 SYSCALL_EVENTFD_X */ e("eventfd", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_FD, PF_DEC), p("initval", PT_UINT64, PF_DEC), p("flags", PT_UINT32, PF_HEX)]),
    // sysdig 0.29.3 (2022): param 1 op was FLAGS16.
    /* 64 SYSCALL_FUTEX_E */ e("futex", EC_IPC | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX), pf("op", PT_ENUMFLAGS16, PF_HEX, FUTEX_OPERATIONS), p("val", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    // Params 1..3 are the enter's, but libs now types op PT_FLAGS16 (the enter kept PT_ENUMFLAGS16 here).
    /* 65 SYSCALL_FUTEX_X */ e("futex", EC_IPC | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("addr", PT_UINT64, PF_HEX), pf("op", PT_FLAGS16, PF_HEX, FUTEX_OPERATIONS), p("val", PT_UINT64, PF_DEC)]),
    /* 66 SYSCALL_STAT_E */ e("stat", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 67 SYSCALL_STAT_X */ e("stat", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 68 SYSCALL_LSTAT_E */ e("lstat", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 69 SYSCALL_LSTAT_X */ e("lstat", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 70 SYSCALL_FSTAT_E */ e("fstat", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_NA)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 71 SYSCALL_FSTAT_X */ e("fstat", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_NA)]),
    /* 72 SYSCALL_STAT64_E */ e("stat64", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 73 SYSCALL_STAT64_X */ e("stat64", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 74 SYSCALL_LSTAT64_E */ e("lstat64", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 75 SYSCALL_LSTAT64_X */ e("lstat64", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 76 SYSCALL_FSTAT64_E */ e("fstat64", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_NA)]),
    /* 77 SYSCALL_FSTAT64_X */ e("fstat64", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 78 SYSCALL_EPOLLWAIT_E */ e("epoll_wait", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("maxevents", PT_ERRNO, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 79 SYSCALL_EPOLLWAIT_X */ e("epoll_wait", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("maxevents", PT_ERRNO, PF_DEC)]),
    /* 80 SYSCALL_POLL_E */ e("poll", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("fds", PT_FDLIST, PF_DEC), p("timeout", PT_INT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 3).
    /* 81 SYSCALL_POLL_X */ e("poll", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fds", PT_FDLIST, PF_DEC), p("timeout", PT_INT64, PF_DEC)]),
    /* 82 SYSCALL_SELECT_E */ e("select", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[]),
    /* 83 SYSCALL_SELECT_X */ e("select", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 84 SYSCALL_NEWSELECT_E */ e("select", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_OLD_VERSION | EF_DROP_SIMPLE_CONS, &[]),
    /* 85 SYSCALL_NEWSELECT_X */ e("select", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_OLD_VERSION | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC)]),
    // sysdig 0.29.3 (2022): param 2 whence was FLAGS8.
    /* 86 SYSCALL_LSEEK_E */ e("lseek", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC), pf("whence", PT_ENUMFLAGS8, PF_DEC, LSEEK_WHENCE)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 87 SYSCALL_LSEEK_X */ e("lseek", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC), pf("whence", PT_ENUMFLAGS8, PF_DEC, LSEEK_WHENCE)]),
    // sysdig 0.29.3 (2022): param 2 whence was FLAGS8.
    /* 88 SYSCALL_LLSEEK_E */ e("llseek", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC), pf("whence", PT_ENUMFLAGS8, PF_DEC, LSEEK_WHENCE)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 89 SYSCALL_LLSEEK_X */ e("llseek", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC), pf("whence", PT_ENUMFLAGS8, PF_DEC, LSEEK_WHENCE)]),
    /* 90 SYSCALL_IOCTL_2_E */ e("ioctl", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD | EF_OLD_VERSION, &[p("fd", PT_FD, PF_DEC), p("request", PT_UINT64, PF_HEX)]),
    /* 91 SYSCALL_IOCTL_2_X */ e("ioctl", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 92 SYSCALL_GETCWD_E */ e("getcwd", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 93 SYSCALL_GETCWD_X */ e("getcwd", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_CHARBUF, PF_NA)]),
    /* 94 SYSCALL_CHDIR_E */ e("chdir", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 95 SYSCALL_CHDIR_X */ e("chdir", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_CHARBUF, PF_NA)]),
    /* 96 SYSCALL_FCHDIR_E */ e("fchdir", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_NA)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 97 SYSCALL_FCHDIR_X */ e("fchdir", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_NA)]),
    /* 98 SYSCALL_MKDIR_E */ e("mkdir", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("path", PT_FSPATH, PF_NA), p("mode", PT_UINT32, PF_HEX)]),
    /* 99 SYSCALL_MKDIR_X */ e("mkdir", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 100 SYSCALL_RMDIR_E */ e("rmdir", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("path", PT_FSPATH, PF_NA)]),
    /* 101 SYSCALL_RMDIR_X */ e("rmdir", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 102 SYSCALL_OPENAT_E */ e("openat", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("dirfd", PT_FD, PF_DEC), p("name", PT_CHARBUF, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT)]),
    /* 103 SYSCALL_OPENAT_X */ e("openat", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("fd", PT_FD, PF_DEC)]),
    /* 104 SYSCALL_LINK_E */ e("link", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("oldpath", PT_FSPATH, PF_NA), p("newpath", PT_FSPATH, PF_NA)]),
    /* 105 SYSCALL_LINK_X */ e("link", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 106 SYSCALL_LINKAT_E */ e("linkat", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("olddir", PT_FD, PF_DEC), p("oldpath", PT_CHARBUF, PF_NA), p("newdir", PT_FD, PF_DEC), p("newpath", PT_CHARBUF, PF_NA)]),
    /* 107 SYSCALL_LINKAT_X */ e("linkat", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 108 SYSCALL_UNLINK_E */ e("unlink", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("path", PT_FSPATH, PF_NA)]),
    /* 109 SYSCALL_UNLINK_X */ e("unlink", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 110 SYSCALL_UNLINKAT_E */ e("unlinkat", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("dirfd", PT_FD, PF_DEC), p("name", PT_CHARBUF, PF_NA)]),
    /* 111 SYSCALL_UNLINKAT_X */ e("unlinkat", EC_FILE | EC_SYSCALL, EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 112 SYSCALL_PREAD_E */ e("pread", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 113 SYSCALL_PREAD_X */ e("pread", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    /* 114 SYSCALL_PWRITE_E */ e("pwrite", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 115 SYSCALL_PWRITE_X */ e("pwrite", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    /* 116 SYSCALL_READV_E */ e("readv", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC)]),
    // sysdig 0.29.3 (2022): 3 params (ours 4).
    /* 117 SYSCALL_READV_X */ e("readv", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("size", PT_UINT32, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC)]),
    /* 118 SYSCALL_WRITEV_E */ e("writev", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 4).
    /* 119 SYSCALL_WRITEV_X */ e("writev", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC)]),
    /* 120 SYSCALL_PREADV_E */ e("preadv", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 3 params (ours 5).
    /* 121 SYSCALL_PREADV_X */ e("preadv", EC_IO_READ | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("size", PT_UINT32, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    /* 122 SYSCALL_PWRITEV_E */ e("pwritev", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 123 SYSCALL_PWRITEV_X */ e("pwritev", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_WRITES_TO_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("data", PT_BYTEBUF, PF_NA), p("fd", PT_FD, PF_DEC), p("size", PT_UINT32, PF_DEC), p("pos", PT_UINT64, PF_DEC)]),
    /* 124 SYSCALL_DUP_E */ e("dup", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("fd", PT_FD, PF_DEC)]),
    /* 125 SYSCALL_DUP_X */ e("dup", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_FD, PF_DEC)]),
    /* 126 SYSCALL_SIGNALFD_E */ e("signalfd", EC_SIGNAL | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("mask", PT_UINT32, PF_HEX), p("flags", PT_FLAGS8, PF_HEX)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 127 SYSCALL_SIGNALFD_X */ e("signalfd", EC_SIGNAL | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), p("fd", PT_FD, PF_DEC), p("mask", PT_UINT32, PF_HEX), p("flags", PT_UINT8, PF_HEX)]),
    /* 128 SYSCALL_KILL_E */ e("kill", EC_SIGNAL | EC_SYSCALL, EF_NONE, &[p("pid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 129 SYSCALL_KILL_X */ e("kill", EC_SIGNAL | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("pid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    /* 130 SYSCALL_TKILL_E */ e("tkill", EC_SIGNAL | EC_SYSCALL, EF_NONE, &[p("tid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 131 SYSCALL_TKILL_X */ e("tkill", EC_SIGNAL | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("tid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    /* 132 SYSCALL_TGKILL_E */ e("tgkill", EC_SIGNAL | EC_SYSCALL, EF_NONE, &[p("pid", PT_PID, PF_DEC), p("tid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 133 SYSCALL_TGKILL_X */ e("tgkill", EC_SIGNAL | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("pid", PT_PID, PF_DEC), p("tid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    /* 134 SYSCALL_NANOSLEEP_E */ e("nanosleep", EC_SLEEP | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("interval", PT_RELTIME, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 135 SYSCALL_NANOSLEEP_X */ e("nanosleep", EC_SLEEP | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("interval", PT_RELTIME, PF_DEC)]),
    /* 136 SYSCALL_TIMERFD_CREATE_E */ e("timerfd_create", EC_TIME | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("clockid", PT_UINT8, PF_DEC), p("flags", PT_FLAGS8, PF_HEX)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 137 SYSCALL_TIMERFD_CREATE_X */ e("timerfd_create", EC_TIME | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_FD, PF_DEC), p("clockid", PT_UINT8, PF_DEC), p("flags", PT_UINT8, PF_HEX)]),
    /* 138 SYSCALL_INOTIFY_INIT_E */ e("inotify_init", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("flags", PT_FLAGS8, PF_HEX)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 139 SYSCALL_INOTIFY_INIT_X */ e("inotify_init", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), p("flags", PT_UINT8, PF_HEX)]),
    // sysdig 0.29.3 (2022): param 0 resource was FLAGS8.
    /* 140 SYSCALL_GETRLIMIT_E */ e("getrlimit", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[pf("resource", PT_ENUMFLAGS8, PF_DEC, RLIMIT_RESOURCES)]),
    // sysdig 0.29.3 (2022): 3 params (ours 4).
    /* 141 SYSCALL_GETRLIMIT_X */ e("getrlimit", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("cur", PT_INT64, PF_DEC), p("max", PT_INT64, PF_DEC), pf("resource", PT_ENUMFLAGS8, PF_DEC, RLIMIT_RESOURCES)]),
    // sysdig 0.29.3 (2022): param 0 resource was FLAGS8.
    /* 142 SYSCALL_SETRLIMIT_E */ e("setrlimit", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[pf("resource", PT_ENUMFLAGS8, PF_DEC, RLIMIT_RESOURCES)]),
    // sysdig 0.29.3 (2022): 3 params (ours 4).
    /* 143 SYSCALL_SETRLIMIT_X */ e("setrlimit", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("cur", PT_INT64, PF_DEC), p("max", PT_INT64, PF_DEC), pf("resource", PT_ENUMFLAGS8, PF_DEC, RLIMIT_RESOURCES)]),
    // sysdig 0.29.3 (2022): param 1 resource was FLAGS8.
    /* 144 SYSCALL_PRLIMIT_E */ e("prlimit", EC_PROCESS | EC_SYSCALL, EF_NONE, &[p("pid", PT_PID, PF_DEC), pf("resource", PT_ENUMFLAGS8, PF_DEC, RLIMIT_RESOURCES)]),
    // sysdig 0.29.3 (2022): 5 params (ours 7).
    /* 145 SYSCALL_PRLIMIT_X */ e("prlimit", EC_PROCESS | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("newcur", PT_INT64, PF_DEC), p("newmax", PT_INT64, PF_DEC), p("oldcur", PT_INT64, PF_DEC), p("oldmax", PT_INT64, PF_DEC), p("pid", PT_INT64, PF_DEC), pf("resource", PT_ENUMFLAGS8, PF_DEC, RLIMIT_RESOURCES)]),
    /* 146 SCHEDSWITCH_1_E */ e("switch", EC_SCHEDULER | EC_TRACEPOINT, EF_SKIPPARSERESET | EF_OLD_VERSION | EF_DROP_SIMPLE_CONS, &[p("next", PT_PID, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "NA2".
    /* 147 SCHEDSWITCH_1_X */ e("NA", EC_UNKNOWN, EF_SKIPPARSERESET | EF_UNUSED | EF_OLD_VERSION, &[]),
    /* 148 DROP_E */ e("drop", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET, &[p("ratio", PT_UINT32, PF_DEC)]),
    /* 149 DROP_X */ e("drop", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET, &[p("ratio", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): param 1 cmd was FLAGS8.
    /* 150 SYSCALL_FCNTL_E */ e("fcntl", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_DEC), pf("cmd", PT_ENUMFLAGS8, PF_DEC, FCNTL_COMMANDS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    // Param 3 "arg": the raw fcntl argument (libs 0.25 event_table.c: PT_UINT64, hex).
    /* 151 SYSCALL_FCNTL_X */ e("fcntl", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD | EF_MODIFIES_STATE | EF_DROP_SIMPLE_CONS, &[p("res", PT_FD, PF_DEC), p("fd", PT_FD, PF_DEC), pf("cmd", PT_ENUMFLAGS8, PF_DEC, FCNTL_COMMANDS), p("arg", PT_UINT64, PF_HEX)]),
    /* 152 SCHEDSWITCH_6_E */ e("switch", EC_SCHEDULER | EC_TRACEPOINT, EF_DROP_SIMPLE_CONS, &[p("next", PT_PID, PF_DEC), p("pgft_maj", PT_UINT64, PF_DEC), p("pgft_min", PT_UINT64, PF_DEC), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "NA2".
    /* 153 SCHEDSWITCH_6_X */ NA,
    /* 154 SYSCALL_EXECVE_13_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 155 SYSCALL_EXECVE_13_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC), p("exe", PT_CHARBUF, PF_NA), p("args", PT_BYTEBUF, PF_NA), p("tid", PT_PID, PF_DEC), p("pid", PT_PID, PF_DEC), p("ptid", PT_PID, PF_DEC), p("cwd", PT_CHARBUF, PF_NA), p("fdlimit", PT_UINT64, PF_DEC), p("pgft_maj", PT_UINT64, PF_DEC), p("pgft_min", PT_UINT64, PF_DEC), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC)]),
    /* 156 SYSCALL_CLONE_16_E */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 157 SYSCALL_CLONE_16_X */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_CLONE_16_X),
    /* 158 SYSCALL_BRK_4_E */ e("brk", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX)]),
    // sysdig 0.29.3 (2022): 4 params (ours 5).
    /* 159 SYSCALL_BRK_4_X */ e("brk", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_UINT64, PF_HEX), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("addr", PT_UINT64, PF_HEX)]),
    /* 160 SYSCALL_MMAP_E */ e("mmap", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC), pf("prot", PT_FLAGS32, PF_HEX, PROT_FLAGS), pf("flags", PT_FLAGS32, PF_HEX, MMAP_FLAGS), p("fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): param 0 res was UINT64; 4 params (ours 10).
    // libs today also marks mmap/mmap2 EF_USES_FD (enter and exit); kept off here, as the fd state machinery
    // would then give the 2016-2018 captures' mmap events an fd.num sysdig 0.29.3 does not print.
    /* 161 SYSCALL_MMAP_X */ e("mmap", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_HEX), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC), pf("prot", PT_FLAGS32, PF_HEX, PROT_FLAGS), pf("flags", PT_FLAGS32, PF_HEX, MMAP_FLAGS), p("fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC)]),
    /* 162 SYSCALL_MMAP2_E */ e("mmap2", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC), pf("prot", PT_FLAGS32, PF_HEX, PROT_FLAGS), pf("flags", PT_FLAGS32, PF_HEX, MMAP_FLAGS), p("fd", PT_FD, PF_DEC), p("pgoffset", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): param 0 res was UINT64; 4 params (ours 10).
    /* 163 SYSCALL_MMAP2_X */ e("mmap2", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_HEX), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC), pf("prot", PT_FLAGS32, PF_HEX, PROT_FLAGS), pf("flags", PT_FLAGS32, PF_HEX, MMAP_FLAGS), p("fd", PT_FD, PF_DEC), p("pgoffset", PT_UINT64, PF_DEC)]),
    /* 164 SYSCALL_MUNMAP_E */ e("munmap", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 4 params (ours 6).
    /* 165 SYSCALL_MUNMAP_X */ e("munmap", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC)]),
    /* 166 SYSCALL_SPLICE_E */ e("splice", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd_in", PT_FD, PF_DEC), p("fd_out", PT_FD, PF_DEC), p("size", PT_UINT64, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, SPLICE_FLAGS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 5).
    /* 167 SYSCALL_SPLICE_X */ e("splice", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd_in", PT_FD, PF_DEC), p("fd_out", PT_FD, PF_DEC), p("size", PT_UINT64, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, SPLICE_FLAGS)]),
    // sysdig 0.29.3 (2022): param 0 request was FLAGS16.
    /* 168 SYSCALL_PTRACE_E */ e("ptrace", EC_PROCESS | EC_SYSCALL, EF_NONE, &[pf("request", PT_ENUMFLAGS16, PF_DEC, PTRACE_REQUESTS), p("pid", PT_PID, PF_DEC)]),
    // sysdig 0.29.3 (2022): 3 params (ours 5).
    /* 169 SYSCALL_PTRACE_X */ e("ptrace", EC_PROCESS | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), pd("addr", PF_HEX, PTRACE_DYNAMIC_PARAM), pd("data", PF_HEX, PTRACE_DYNAMIC_PARAM), pf("request", PT_ENUMFLAGS16, PF_DEC, PTRACE_REQUESTS), p("pid", PT_PID, PF_DEC)]),
    /* 170 SYSCALL_IOCTL_3_E */ e("ioctl", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD, &[p("fd", PT_FD, PF_DEC), p("request", PT_UINT64, PF_HEX), p("argument", PT_UINT64, PF_HEX)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 171 SYSCALL_IOCTL_3_X */ e("ioctl", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("request", PT_UINT64, PF_HEX), p("argument", PT_UINT64, PF_HEX)]),
    /* 172 SYSCALL_EXECVE_14_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 173 SYSCALL_EXECVE_14_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC), p("exe", PT_CHARBUF, PF_NA), p("args", PT_BYTEBUF, PF_NA), p("tid", PT_PID, PF_DEC), p("pid", PT_PID, PF_DEC), p("ptid", PT_PID, PF_DEC), p("cwd", PT_CHARBUF, PF_NA), p("fdlimit", PT_UINT64, PF_DEC), p("pgft_maj", PT_UINT64, PF_DEC), p("pgft_min", PT_UINT64, PF_DEC), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("env", PT_BYTEBUF, PF_NA)]),
    /* 174 SYSCALL_RENAME_E */ e("rename", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 175 SYSCALL_RENAME_X */ e("rename", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("oldpath", PT_FSPATH, PF_NA), p("newpath", PT_FSPATH, PF_NA)]),
    /* 176 SYSCALL_RENAMEAT_E */ e("renameat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 177 SYSCALL_RENAMEAT_X */ e("renameat", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("olddirfd", PT_FD, PF_DEC), pr("oldpath", 1), p("newdirfd", PT_FD, PF_DEC), pr("newpath", 3)]),
    /* 178 SYSCALL_SYMLINK_E */ e("symlink", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 179 SYSCALL_SYMLINK_X */ e("symlink", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("target", PT_CHARBUF, PF_NA), p("linkpath", PT_FSPATH, PF_NA)]),
    /* 180 SYSCALL_SYMLINKAT_E */ e("symlinkat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    // libs (exit-only era) marks the *at exits carrying a dirfd EF_USES_FD; sysdig 0.29.3 had EF_NONE.
    /* 181 SYSCALL_SYMLINKAT_X */ e("symlinkat", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("target", PT_CHARBUF, PF_NA), p("linkdirfd", PT_FD, PF_DEC), pr("linkpath", 2)]),
    /* 182 SYSCALL_FORK_E */ e("fork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 183 SYSCALL_FORK_X */ e("fork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_CLONE_16_X),
    /* 184 SYSCALL_VFORK_E */ e("vfork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 185 SYSCALL_VFORK_X */ e("vfork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_CLONE_16_X),
    // sysdig 0.29.3 (2022): 4 params (ours 5).
    /* 186 PROCEXIT_1_E */ e("procexit", EC_PROCESS | EC_TRACEPOINT, EF_MODIFIES_STATE, &[p("status", PT_ERRNO, PF_DEC), p("ret", PT_ERRNO, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC), p("core", PT_UINT8, PF_DEC), p("reaper_tid", PT_PID, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "NA1".
    /* 187 PROCEXIT_1_X */ NA,
    /* 188 SYSCALL_SENDFILE_E */ e("sendfile", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("out_fd", PT_FD, PF_DEC), p("in_fd", PT_FD, PF_DEC), p("offset", PT_UINT64, PF_DEC), p("size", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 5).
    /* 189 SYSCALL_SENDFILE_X */ e("sendfile", EC_IO_WRITE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("offset", PT_UINT64, PF_DEC), p("out_fd", PT_FD, PF_DEC), p("in_fd", PT_FD, PF_DEC), p("size", PT_UINT64, PF_DEC)]),
    /* 190 SYSCALL_QUOTACTL_E */ e("quotactl", EC_USER | EC_SYSCALL, EF_NONE, &[pf("cmd", PT_FLAGS16, PF_DEC, QUOTACTL_CMDS), pf("type", PT_FLAGS8, PF_DEC, QUOTACTL_TYPES), p("id", PT_UINT32, PF_DEC), pf("quota_fmt", PT_FLAGS8, PF_DEC, QUOTACTL_QUOTA_FMTS)]),
    // sysdig 0.29.3 (2022): 14 params (ours 18).
    /* 191 SYSCALL_QUOTACTL_X */ e("quotactl", EC_USER | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("special", PT_CHARBUF, PF_NA), p("quotafilepath", PT_CHARBUF, PF_NA), p("dqb_bhardlimit", PT_UINT64, PF_DEC), p("dqb_bsoftlimit", PT_UINT64, PF_DEC), p("dqb_curspace", PT_UINT64, PF_DEC), p("dqb_ihardlimit", PT_UINT64, PF_DEC), p("dqb_isoftlimit", PT_UINT64, PF_DEC), p("dqb_btime", PT_RELTIME, PF_DEC), p("dqb_itime", PT_RELTIME, PF_DEC), p("dqi_bgrace", PT_RELTIME, PF_DEC), p("dqi_igrace", PT_RELTIME, PF_DEC), pf("dqi_flags", PT_FLAGS8, PF_DEC, QUOTACTL_DQI_FLAGS), pf("quota_fmt_out", PT_FLAGS8, PF_DEC, QUOTACTL_QUOTA_FMTS), pf("cmd", PT_FLAGS16, PF_DEC, QUOTACTL_CMDS), pf("type", PT_FLAGS8, PF_DEC, QUOTACTL_TYPES), p("id", PT_UINT32, PF_DEC), pf("quota_fmt", PT_FLAGS8, PF_DEC, QUOTACTL_QUOTA_FMTS)]),
    /* 192 SYSCALL_SETRESUID_E */ e("setresuid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("ruid", PT_UID, PF_DEC), p("euid", PT_UID, PF_DEC), p("suid", PT_UID, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 193 SYSCALL_SETRESUID_X */ e("setresuid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("ruid", PT_UID, PF_DEC), p("euid", PT_UID, PF_DEC), p("suid", PT_UID, PF_DEC)]),
    /* 194 SYSCALL_SETRESGID_E */ e("setresgid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("rgid", PT_GID, PF_DEC), p("egid", PT_GID, PF_DEC), p("sgid", PT_GID, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 195 SYSCALL_SETRESGID_X */ e("setresgid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("rgid", PT_GID, PF_DEC), p("egid", PT_GID, PF_DEC), p("sgid", PT_GID, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "sysdigevent".
    /* 196 SCAPEVENT_E */ e("scapevent", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET, &[p("event_type", PT_UINT32, PF_DEC), p("event_data", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "sysdigevent".
    /* 197 SCAPEVENT_X */ e("scapevent", EC_INTERNAL | EC_METAEVENT, EF_UNUSED, &[]),
    /* 198 SYSCALL_SETUID_E */ e("setuid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("uid", PT_UID, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 199 SYSCALL_SETUID_X */ e("setuid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("uid", PT_UID, PF_DEC)]),
    /* 200 SYSCALL_SETGID_E */ e("setgid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("gid", PT_GID, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 201 SYSCALL_SETGID_X */ e("setgid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("gid", PT_GID, PF_DEC)]),
    /* 202 SYSCALL_GETUID_E */ e("getuid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 203 SYSCALL_GETUID_X */ e("getuid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("uid", PT_UID, PF_DEC)]),
    /* 204 SYSCALL_GETEUID_E */ e("geteuid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 205 SYSCALL_GETEUID_X */ e("geteuid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("euid", PT_UID, PF_DEC)]),
    /* 206 SYSCALL_GETGID_E */ e("getgid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 207 SYSCALL_GETGID_X */ e("getgid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("gid", PT_GID, PF_DEC)]),
    /* 208 SYSCALL_GETEGID_E */ e("getegid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 209 SYSCALL_GETEGID_X */ e("getegid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("egid", PT_GID, PF_DEC)]),
    /* 210 SYSCALL_GETRESUID_E */ e("getresuid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 211 SYSCALL_GETRESUID_X */ e("getresuid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("ruid", PT_UID, PF_DEC), p("euid", PT_UID, PF_DEC), p("suid", PT_UID, PF_DEC)]),
    /* 212 SYSCALL_GETRESGID_E */ e("getresgid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[]),
    /* 213 SYSCALL_GETRESGID_X */ e("getresgid", EC_USER | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("rgid", PT_GID, PF_DEC), p("egid", PT_GID, PF_DEC), p("sgid", PT_GID, PF_DEC)]),
    /* 214 SYSCALL_EXECVE_15_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 215 SYSCALL_EXECVE_15_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC), p("exe", PT_CHARBUF, PF_NA), p("args", PT_BYTEBUF, PF_NA), p("tid", PT_PID, PF_DEC), p("pid", PT_PID, PF_DEC), p("ptid", PT_PID, PF_DEC), p("cwd", PT_CHARBUF, PF_NA), p("fdlimit", PT_UINT64, PF_DEC), p("pgft_maj", PT_UINT64, PF_DEC), p("pgft_min", PT_UINT64, PF_DEC), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("comm", PT_CHARBUF, PF_NA), p("env", PT_BYTEBUF, PF_NA)]),
    /* 216 SYSCALL_CLONE_17_E */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 217 SYSCALL_CLONE_17_X */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_CLONE_17_X),
    /* 218 SYSCALL_FORK_17_E */ e("fork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 219 SYSCALL_FORK_17_X */ e("fork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_CLONE_17_X),
    /* 220 SYSCALL_VFORK_17_E */ e("vfork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 221 SYSCALL_VFORK_17_X */ e("vfork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_CLONE_17_X),
    /* 222 SYSCALL_CLONE_20_E */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    // sysdig 0.29.3 (2022): 20 params (ours 21).
    /* 223 SYSCALL_CLONE_20_X */ e("clone", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, P_CLONE_20_X),
    /* 224 SYSCALL_FORK_20_E */ e("fork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    // sysdig 0.29.3 (2022): 20 params (ours 21).
    /* 225 SYSCALL_FORK_20_X */ e("fork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, P_CLONE_20_X),
    /* 226 SYSCALL_VFORK_20_E */ e("vfork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    // sysdig 0.29.3 (2022): 20 params (ours 21).
    /* 227 SYSCALL_VFORK_20_X */ e("vfork", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, P_CLONE_20_X),
    /* 228 CONTAINER_E */ e("container", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("id", PT_CHARBUF, PF_NA), p("type", PT_UINT32, PF_DEC), p("name", PT_CHARBUF, PF_NA), p("image", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "container".
    /* 229 CONTAINER_X */ e("NA", EC_UNKNOWN, EF_UNUSED | EF_OLD_VERSION, &[]),
    /* 230 SYSCALL_EXECVE_16_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 231 SYSCALL_EXECVE_16_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC), p("exe", PT_CHARBUF, PF_NA), p("args", PT_BYTEBUF, PF_NA), p("tid", PT_PID, PF_DEC), p("pid", PT_PID, PF_DEC), p("ptid", PT_PID, PF_DEC), p("cwd", PT_CHARBUF, PF_NA), p("fdlimit", PT_UINT64, PF_DEC), p("pgft_maj", PT_UINT64, PF_DEC), p("pgft_min", PT_UINT64, PF_DEC), p("vm_size", PT_UINT32, PF_DEC), p("vm_rss", PT_UINT32, PF_DEC), p("vm_swap", PT_UINT32, PF_DEC), p("comm", PT_CHARBUF, PF_NA), p("cgroups", PT_BYTEBUF, PF_NA), p("env", PT_BYTEBUF, PF_NA)]),
    /* 232 SIGNALDELIVER_E */ e("signaldeliver", EC_SIGNAL | EC_TRACEPOINT, EF_DROP_SIMPLE_CONS, &[p("spid", PT_PID, PF_DEC), p("dpid", PT_PID, PF_DEC), p("sig", PT_SIGTYPE, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "signaldeliver".
    /* 233 SIGNALDELIVER_X */ NA,
    /* 234 PROCINFO_E */ e("procinfo", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET | EF_DROP_SIMPLE_CONS, &[p("cpu_usr", PT_UINT64, PF_DEC), p("cpu_sys", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "NA2".
    /* 235 PROCINFO_X */ NA,
    /* 236 SYSCALL_GETDENTS_E */ e("getdents", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_NA)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 237 SYSCALL_GETDENTS_X */ e("getdents", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_NA)]),
    /* 238 SYSCALL_GETDENTS64_E */ e("getdents64", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("fd", PT_FD, PF_NA)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 239 SYSCALL_GETDENTS64_X */ e("getdents64", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_NA)]),
    /* 240 SYSCALL_SETNS_E */ e("setns", EC_PROCESS | EC_SYSCALL, EF_USES_FD, &[p("fd", PT_FD, PF_NA), pf("nstype", PT_FLAGS32, PF_HEX, CLONE_FLAGS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 241 SYSCALL_SETNS_X */ e("setns", EC_PROCESS | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_NA), pf("nstype", PT_FLAGS32, PF_HEX, CLONE_FLAGS)]),
    /* 242 SYSCALL_FLOCK_E */ e("flock", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("fd", PT_FD, PF_NA), pf("operation", PT_FLAGS32, PF_HEX, FLOCK_FLAGS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 243 SYSCALL_FLOCK_X */ e("flock", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_NA), pf("operation", PT_FLAGS32, PF_HEX, FLOCK_FLAGS)]),
    /* 244 CPU_HOTPLUG_E */ e("cpu_hotplug", EC_SYSTEM | EC_METAEVENT, EF_SKIPPARSERESET | EF_MODIFIES_STATE, &[p("cpu", PT_UINT32, PF_DEC), p("action", PT_UINT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): named "NA2".
    /* 245 CPU_HOTPLUG_X */ NA,
    /* 246 SOCKET_ACCEPT_5_E */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 247 SOCKET_ACCEPT_5_X */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, P_ACCEPT_5_X),
    /* 248 SOCKET_ACCEPT4_5_E */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("flags", PT_INT32, PF_HEX)]),
    /* 249 SOCKET_ACCEPT4_5_X */ e("accept", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE | EF_OLD_VERSION, P_ACCEPT_5_X),
    /* 250 SYSCALL_SEMOP_E */ e("semop", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("semid", PT_INT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 8 params (ours 9).
    /* 251 SYSCALL_SEMOP_X */ e("semop", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("nsops", PT_UINT32, PF_DEC), p("sem_num_0", PT_UINT16, PF_DEC), p("sem_op_0", PT_INT16, PF_DEC), pf("sem_flg_0", PT_FLAGS16, PF_HEX, SEMOP_FLAGS), p("sem_num_1", PT_UINT16, PF_DEC), p("sem_op_1", PT_INT16, PF_DEC), pf("sem_flg_1", PT_FLAGS16, PF_HEX, SEMOP_FLAGS), p("semid", PT_INT32, PF_DEC)]),
    /* 252 SYSCALL_SEMCTL_E */ e("semctl", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("semid", PT_INT32, PF_DEC), p("semnum", PT_INT32, PF_DEC), pf("cmd", PT_FLAGS16, PF_HEX, SEMCTL_COMMANDS), p("val", PT_INT32, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 5).
    /* 253 SYSCALL_SEMCTL_X */ e("semctl", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("semid", PT_INT32, PF_DEC), p("semnum", PT_INT32, PF_DEC), pf("cmd", PT_FLAGS16, PF_HEX, SEMCTL_COMMANDS), p("val", PT_INT32, PF_DEC)]),
    /* 254 SYSCALL_PPOLL_E */ e("ppoll", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("fds", PT_FDLIST, PF_DEC), p("timeout", PT_RELTIME, PF_DEC), p("sigmask", PT_SIGSET, PF_DEC)]),
    // sysdig 0.29.3 (2022): 2 params (ours 4).
    /* 255 SYSCALL_PPOLL_X */ e("ppoll", EC_WAIT | EC_SYSCALL, EF_WAITS | EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("fds", PT_FDLIST, PF_DEC), p("timeout", PT_RELTIME, PF_DEC), p("sigmask", PT_SIGSET, PF_DEC)]),
    /* 256 SYSCALL_MOUNT_E */ e("mount", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[pf("flags", PT_FLAGS32, PF_HEX, MOUNT_FLAGS)]),
    // sysdig 0.29.3 (2022): 4 params (ours 5).
    /* 257 SYSCALL_MOUNT_X */ e("mount", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("dev", PT_CHARBUF, PF_NA), p("dir", PT_FSPATH, PF_NA), p("type", PT_CHARBUF, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, MOUNT_FLAGS)]),
    /* 258 SYSCALL_UMOUNT_E */ e("umount", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[pf("flags", PT_FLAGS32, PF_HEX, UMOUNT_FLAGS)]),
    /* 259 SYSCALL_UMOUNT_X */ e("umount", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("res", PT_ERRNO, PF_DEC), p("name", PT_FSPATH, PF_NA)]),
    /* 260 K8S_E */ e("k8s", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET | EF_MODIFIES_STATE, &[p("json", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "NA3".
    /* 261 K8S_X */ NA,
    /* 262 SYSCALL_SEMGET_E */ e("semget", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("key", PT_INT32, PF_HEX), p("nsems", PT_INT32, PF_DEC), pf("semflg", PT_FLAGS32, PF_HEX, SEMGET_FLAGS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 263 SYSCALL_SEMGET_X */ e("semget", EC_PROCESS | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("key", PT_INT32, PF_HEX), p("nsems", PT_INT32, PF_DEC), pf("semflg", PT_FLAGS32, PF_HEX, SEMGET_FLAGS)]),
    /* 264 SYSCALL_ACCESS_E */ e("access", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[pf("mode", PT_FLAGS32, PF_HEX, ACCESS_FLAGS)]),
    // sysdig 0.29.3 (2022): 2 params (ours 3).
    /* 265 SYSCALL_ACCESS_X */ e("access", EC_FILE | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("name", PT_FSPATH, PF_NA), pf("mode", PT_FLAGS32, PF_HEX, ACCESS_FLAGS)]),
    /* 266 SYSCALL_CHROOT_E */ e("chroot", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 267 SYSCALL_CHROOT_X */ e("chroot", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 268 TRACER_E */ e("tracer", EC_OTHER | EC_METAEVENT, EF_NONE, &[p("id", PT_INT64, PF_DEC), p("tags", PT_CHARBUFARRAY, PF_NA), p("args", PT_CHARBUF_PAIR_ARRAY, PF_NA)]),
    /* 269 TRACER_X */ e("tracer", EC_OTHER | EC_METAEVENT, EF_NONE, &[p("id", PT_INT64, PF_DEC), p("tags", PT_CHARBUFARRAY, PF_NA), p("args", PT_CHARBUF_PAIR_ARRAY, PF_NA)]),
    /* 270 MESOS_E */ e("mesos", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET | EF_MODIFIES_STATE, &[p("json", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "NA4".
    /* 271 MESOS_X */ NA,
    /* 272 CONTAINER_JSON_E */ e("container", EC_PROCESS | EC_METAEVENT, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("json", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "container".
    /* 273 CONTAINER_JSON_X */ e("NA", EC_UNKNOWN, EF_UNUSED | EF_OLD_VERSION, &[]),
    /* 274 SYSCALL_SETSID_E */ e("setsid", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 275 SYSCALL_SETSID_X */ e("setsid", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_PID, PF_DEC)]),
    /* 276 SYSCALL_MKDIR_2_E */ e("mkdir", EC_FILE | EC_SYSCALL, EF_NONE, &[p("mode", PT_UINT32, PF_HEX)]),
    // sysdig 0.29.3 (2022): 2 params (ours 3).
    /* 277 SYSCALL_MKDIR_2_X */ e("mkdir", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA), p("mode", PT_UINT32, PF_HEX)]),
    /* 278 SYSCALL_RMDIR_2_E */ e("rmdir", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 279 SYSCALL_RMDIR_2_X */ e("rmdir", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 280 NOTIFICATION_E */ e("notification", EC_OTHER | EC_METAEVENT, EF_SKIPPARSERESET, &[p("id", PT_CHARBUF, PF_DEC), p("desc", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "NA4".
    /* 281 NOTIFICATION_X */ NA,
    /* 282 SYSCALL_EXECVE_17_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[]),
    /* 283 SYSCALL_EXECVE_17_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_EXECVE_17_X),
    /* 284 SYSCALL_UNSHARE_E */ e("unshare", EC_PROCESS | EC_SYSCALL, EF_NONE, &[pf("flags", PT_FLAGS32, PF_HEX, CLONE_FLAGS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 285 SYSCALL_UNSHARE_X */ e("unshare", EC_PROCESS | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, CLONE_FLAGS)]),
    /* 286 INFRASTRUCTURE_EVENT_E */ e("infra", EC_INTERNAL | EC_METAEVENT, EF_SKIPPARSERESET, &[p("source", PT_CHARBUF, PF_DEC), p("name", PT_CHARBUF, PF_NA), p("description", PT_CHARBUF, PF_NA), p("scope", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "NA4".
    /* 287 INFRASTRUCTURE_EVENT_X */ NA,
    /* 288 SYSCALL_EXECVE_18_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, &[p("filename", PT_FSPATH, PF_NA)]),
    /* 289 SYSCALL_EXECVE_18_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE | EF_OLD_VERSION, P_EXECVE_17_X),
    /* 290 PAGE_FAULT_E */ e("page_fault", EC_OTHER | EC_TRACEPOINT, EF_SKIPPARSERESET | EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX), p("ip", PT_UINT64, PF_HEX), pf("error", PT_FLAGS32, PF_HEX, PF_FLAGS)]),
    // sysdig 0.29.3 (2022): named "NA5".
    /* 291 PAGE_FAULT_X */ NA,
    /* 292 SYSCALL_EXECVE_19_E */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("filename", PT_FSPATH, PF_NA)]),
    // sysdig 0.29.3 (2022): param 16 tty was INT32; param 17 vpgid was named "pgid"; param 18 loginuid was INT32;
    // 20 params (ours 31).
    /* 293 SYSCALL_EXECVE_19_X */ e("execve", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, P_EXECVE_19_X),
    /* 294 SYSCALL_SETPGID_E */ e("setpgid", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("pid", PT_PID, PF_DEC), p("pgid", PT_PID, PF_DEC)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 295 SYSCALL_SETPGID_X */ e("setpgid", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("pid", PT_PID, PF_DEC), p("pgid", PT_PID, PF_DEC)]),
    /* 296 SYSCALL_BPF_E */ e("bpf", EC_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_OLD_VERSION, &[p("cmd", PT_INT64, PF_DEC)]),
    /* 297 SYSCALL_BPF_X */ e("bpf", EC_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_OLD_VERSION, &[pd("res_or_fd", PF_DEC, BPF_DYNAMIC_PARAM)]),
    // sysdig 0.29.3 (2022): 1 params (ours 2).
    /* 298 SYSCALL_SECCOMP_E */ e("seccomp", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("op", PT_UINT64, PF_DEC), p("flags", PT_UINT64, PF_HEX)]),
    // sysdig 0.29.3 (2022): 1 params (ours 3).
    /* 299 SYSCALL_SECCOMP_X */ e("seccomp", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("op", PT_UINT64, PF_DEC), p("flags", PT_UINT64, PF_HEX)]),
    /* 300 SYSCALL_UNLINK_2_E */ e("unlink", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 301 SYSCALL_UNLINK_2_X */ e("unlink", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA)]),
    /* 302 SYSCALL_UNLINKAT_2_E */ e("unlinkat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 303 SYSCALL_UNLINKAT_2_X */ e("unlinkat", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("name", 1), pf("flags", PT_FLAGS32, PF_HEX, UNLINKAT_FLAGS)]),
    /* 304 SYSCALL_MKDIRAT_E */ e("mkdirat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 305 SYSCALL_MKDIRAT_X */ e("mkdirat", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("path", 1), p("mode", PT_UINT32, PF_HEX)]),
    /* 306 SYSCALL_OPENAT_2_E */ e("openat", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("dirfd", PT_FD, PF_DEC), pr("name", 0), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT)]),
    // sysdig 0.29.3 (2022): 6 params (ours 8).
    // Param 7 "fullpath" (kernel-resolved path) is newer than schema 4.5.1: libs test_suites openat_x.cpp.
    /* 307 SYSCALL_OPENAT_2_X */ e("openat", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("name", 1), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT), p("dev", PT_UINT32, PF_HEX), p("ino", PT_UINT64, PF_DEC), p("fullpath", PT_FSPATH, PF_NA)]),
    /* 308 SYSCALL_LINK_2_E */ e("link", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 309 SYSCALL_LINK_2_X */ e("link", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("oldpath", PT_FSPATH, PF_NA), p("newpath", PT_FSPATH, PF_NA)]),
    /* 310 SYSCALL_LINKAT_2_E */ e("linkat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 311 SYSCALL_LINKAT_2_X */ e("linkat", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("olddir", PT_FD, PF_DEC), pr("oldpath", 1), p("newdir", PT_FD, PF_DEC), pr("newpath", 3), pf("flags", PT_FLAGS32, PF_HEX, LINKAT_FLAGS)]),
    /* 312 SYSCALL_FCHMODAT_E */ e("fchmodat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 313 SYSCALL_FCHMODAT_X */ e("fchmodat", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("filename", 1), pf("mode", PT_MODE, PF_OCT, CHMOD_MODE)]),
    /* 314 SYSCALL_CHMOD_E */ e("chmod", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 315 SYSCALL_CHMOD_X */ e("chmod", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("filename", PT_FSPATH, PF_NA), pf("mode", PT_MODE, PF_OCT, CHMOD_MODE)]),
    /* 316 SYSCALL_FCHMOD_E */ e("fchmod", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 317 SYSCALL_FCHMOD_X */ e("fchmod", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), pf("mode", PT_MODE, PF_OCT, CHMOD_MODE)]),
    /* 318 SYSCALL_RENAMEAT2_E */ e("renameat2", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 319 SYSCALL_RENAMEAT2_X */ e("renameat2", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("olddirfd", PT_FD, PF_DEC), pr("oldpath", 1), p("newdirfd", PT_FD, PF_DEC), pr("newpath", 3), pf("flags", PT_FLAGS32, PF_HEX, RENAMEAT2_FLAGS)]),
    /* 320 SYSCALL_USERFAULTFD_E */ e("userfaultfd", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 321 SYSCALL_USERFAULTFD_X */ e("userfaultfd", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS)]),
    // sysdig 0.29.3 (2022): param 0 plugin_id was name "plugin ID".
    /* 322 PLUGINEVENT_E */ e("pluginevent", EC_OTHER | EC_PLUGIN, EF_LARGE_PAYLOAD, &[p("plugin_id", PT_UINT32, PF_DEC), p("event_data", PT_BYTEBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "pluginevent".
    /* 323 PLUGINEVENT_X */ NA,
    /* 324 CONTAINER_JSON_2_E */ e("container", EC_PROCESS | EC_METAEVENT, EF_MODIFIES_STATE | EF_LARGE_PAYLOAD, &[p("json", PT_CHARBUF, PF_NA)]),
    // sysdig 0.29.3 (2022): named "container".
    /* 325 CONTAINER_JSON_2_X */ NA,
    // libs (2022 and 2450f8ee) say DIRFD_PARAM(1), the name itself; the dirfd is parameter 0.
    /* 326 SYSCALL_OPENAT2_E */ e("openat2", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("dirfd", PT_FD, PF_DEC), pr("name", 0), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT), pf("resolve", PT_FLAGS32, PF_HEX, OPENAT2_FLAGS)]),
    // sysdig 0.29.3 (2022): 6 params (ours 9).
    // Param 8 "fullpath" is newer than schema 4.5.1 (libs savefile converter table.cpp); type as openat's.
    /* 327 SYSCALL_OPENAT2_X */ e("openat2", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("name", 1), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("mode", PT_UINT32, PF_OCT), pf("resolve", PT_FLAGS32, PF_HEX, OPENAT2_FLAGS), p("dev", PT_UINT32, PF_HEX), p("ino", PT_UINT64, PF_DEC), p("fullpath", PT_FSPATH, PF_NA)]),
    /* 328 SYSCALL_MPROTECT_E */ e("mprotect", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC), pf("prot", PT_FLAGS32, PF_HEX, PROT_FLAGS)]),
    // sysdig 0.29.3 (2022): 1 params (ours 4).
    /* 329 SYSCALL_MPROTECT_X */ e("mprotect", EC_MEMORY | EC_SYSCALL, EF_DROP_SIMPLE_CONS, &[p("res", PT_ERRNO, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("length", PT_UINT64, PF_DEC), pf("prot", PT_FLAGS32, PF_HEX, PROT_FLAGS)]),
    /* 330 SYSCALL_EXECVEAT_E */ e("execveat", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("dirfd", PT_FD, PF_DEC), pr("pathname", 0), pf("flags", PT_FLAGS32, PF_HEX, EXECVEAT_FLAGS)]),
    // sysdig 0.29.3 (2022): param 16 tty was INT32; param 17 vpgid was named "pgid"; param 18 loginuid was INT32;
    // 20 params (ours 30).
    /* 331 SYSCALL_EXECVEAT_X */ e("execveat", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, P_EXECVEAT_X),
    /* 332 SYSCALL_COPY_FILE_RANGE_E */ e("copy_file_range", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_WRITES_TO_FD, &[p("fdin", PT_FD, PF_DEC), p("offin", PT_UINT64, PF_DEC), p("len", PT_UINT64, PF_DEC)]),
    // sysdig 0.29.3 (2022): 3 params (ours 6).
    /* 333 SYSCALL_COPY_FILE_RANGE_X */ e("copy_file_range", EC_FILE | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD | EF_WRITES_TO_FD, &[p("res", PT_ERRNO, PF_DEC), p("fdout", PT_FD, PF_DEC), p("offout", PT_UINT64, PF_DEC), p("fdin", PT_FD, PF_DEC), p("offin", PT_UINT64, PF_DEC), p("len", PT_UINT64, PF_DEC)]),
    /* 334 SYSCALL_CLONE3_E */ e("clone3", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    // sysdig 0.29.3 (2022): 20 params (ours 21).
    /* 335 SYSCALL_CLONE3_X */ e("clone3", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, P_CLONE_20_X),
    /* 336 SYSCALL_OPEN_BY_HANDLE_AT_E */ e("open_by_handle_at", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 337 SYSCALL_OPEN_BY_HANDLE_AT_X */ e("open_by_handle_at", EC_FILE | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("mountfd", PT_FD, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS), p("path", PT_FSPATH, PF_NA), p("dev", PT_UINT32, PF_HEX), p("ino", PT_UINT64, PF_DEC)]),
    /* 338 SYSCALL_IO_URING_SETUP_E */ e("io_uring_setup", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 339 SYSCALL_IO_URING_SETUP_X */ e("io_uring_setup", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("entries", PT_UINT32, PF_DEC), p("sq_entries", PT_UINT32, PF_DEC), p("cq_entries", PT_UINT32, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, IO_URING_SETUP_FLAGS), p("sq_thread_cpu", PT_UINT32, PF_DEC), p("sq_thread_idle", PT_UINT32, PF_DEC), pf("features", PT_FLAGS32, PF_HEX, IO_URING_SETUP_FEATS)]),
    /* 340 SYSCALL_IO_URING_ENTER_E */ e("io_uring_enter", EC_IO_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 341 SYSCALL_IO_URING_ENTER_X */ e("io_uring_enter", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("to_submit", PT_UINT32, PF_DEC), p("min_complete", PT_UINT32, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, IO_URING_ENTER_FLAGS), p("sig", PT_SIGSET, PF_DEC)]),
    /* 342 SYSCALL_IO_URING_REGISTER_E */ e("io_uring_register", EC_IO_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 343 SYSCALL_IO_URING_REGISTER_X */ e("io_uring_register", EC_IO_OTHER | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), pf("opcode", PT_ENUMFLAGS16, PF_DEC, IO_URING_REGISTER_OPCODES), p("arg", PT_UINT64, PF_HEX), p("nr_args", PT_UINT32, PF_DEC)]),
    /* 344 SYSCALL_MLOCK_E */ e("mlock", EC_MEMORY | EC_SYSCALL, EF_NONE, &[]),
    /* 345 SYSCALL_MLOCK_X */ e("mlock", EC_MEMORY | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("len", PT_UINT64, PF_DEC)]),
    /* 346 SYSCALL_MUNLOCK_E */ e("munlock", EC_MEMORY | EC_SYSCALL, EF_NONE, &[]),
    /* 347 SYSCALL_MUNLOCK_X */ e("munlock", EC_MEMORY | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("len", PT_UINT64, PF_DEC)]),
    /* 348 SYSCALL_MLOCKALL_E */ e("mlockall", EC_MEMORY | EC_SYSCALL, EF_NONE, &[]),
    /* 349 SYSCALL_MLOCKALL_X */ e("mlockall", EC_MEMORY | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, MLOCKALL_FLAGS)]),
    /* 350 SYSCALL_MUNLOCKALL_E */ e("munlockall", EC_MEMORY | EC_SYSCALL, EF_NONE, &[]),
    /* 351 SYSCALL_MUNLOCKALL_X */ e("munlockall", EC_MEMORY | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC)]),
    /* 352 SYSCALL_CAPSET_E */ e("capset", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 353 SYSCALL_CAPSET_X */ e("capset", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("cap_inheritable", PT_UINT64, PF_HEX), p("cap_permitted", PT_UINT64, PF_HEX), p("cap_effective", PT_UINT64, PF_HEX)]),
    /* 354 USER_ADDED_E */ e("useradded", EC_PROCESS | EC_METAEVENT, EF_MODIFIES_STATE, P_USER_ADDED_E),
    /* 355 USER_ADDED_X */ NA,
    /* 356 USER_DELETED_E */ e("userdeleted", EC_PROCESS | EC_METAEVENT, EF_MODIFIES_STATE, P_USER_ADDED_E),
    /* 357 USER_DELETED_X */ NA,
    /* 358 GROUP_ADDED_E */ e("groupadded", EC_PROCESS | EC_METAEVENT, EF_MODIFIES_STATE, &[p("gid", PT_UINT32, PF_DEC), p("name", PT_CHARBUF, PF_NA), p("container_id", PT_CHARBUF, PF_NA)]),
    /* 359 GROUP_ADDED_X */ NA,
    /* 360 GROUP_DELETED_E */ e("groupdeleted", EC_PROCESS | EC_METAEVENT, EF_MODIFIES_STATE, &[p("gid", PT_UINT32, PF_DEC), p("name", PT_CHARBUF, PF_NA), p("container_id", PT_CHARBUF, PF_NA)]),
    /* 361 GROUP_DELETED_X */ NA,
    /* 362 SYSCALL_DUP2_E */ e("dup2", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC)]),
    /* 363 SYSCALL_DUP2_X */ e("dup2", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), p("oldfd", PT_FD, PF_DEC), p("newfd", PT_FD, PF_DEC)]),
    /* 364 SYSCALL_DUP3_E */ e("dup3", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC)]),
    /* 365 SYSCALL_DUP3_X */ e("dup3", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), p("oldfd", PT_FD, PF_DEC), p("newfd", PT_FD, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS)]),
    /* 366 SYSCALL_DUP_1_E */ e("dup", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC)]),
    /* 367 SYSCALL_DUP_1_X */ e("dup", EC_IO_OTHER | EC_SYSCALL, EF_CREATES_FD | EF_USES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), p("oldfd", PT_FD, PF_DEC)]),
    /* 368 SYSCALL_BPF_2_E */ e("bpf", EC_OTHER | EC_SYSCALL, EF_CREATES_FD, &[p("cmd", PT_INT64, PF_DEC)]),
    /* 369 SYSCALL_BPF_2_X */ e("bpf", EC_OTHER | EC_SYSCALL, EF_CREATES_FD, &[p("fd", PT_FD, PF_DEC), pf("cmd", PT_ENUMFLAGS32, PF_DEC, BPF_COMMANDS)]),
    /* 370 SYSCALL_MLOCK2_E */ e("mlock2", EC_MEMORY | EC_SYSCALL, EF_NONE, &[]),
    /* 371 SYSCALL_MLOCK2_X */ e("mlock2", EC_MEMORY | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("addr", PT_UINT64, PF_HEX), p("len", PT_UINT64, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, MLOCK2_FLAGS)]),
    /* 372 SYSCALL_FSCONFIG_E */ e("fsconfig", EC_SYSTEM | EC_SYSCALL, EF_NONE, &[]),
    /* 373 SYSCALL_FSCONFIG_X */ e("fsconfig", EC_SYSTEM | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), pf("cmd", PT_ENUMFLAGS32, PF_DEC, FSCONFIG_CMDS), p("key", PT_CHARBUF, PF_NA), p("value_bytebuf", PT_BYTEBUF, PF_NA), p("value_charbuf", PT_CHARBUF, PF_NA), p("aux", PT_INT32, PF_DEC)]),
    /* 374 SYSCALL_EPOLL_CREATE_E */ e("epoll_create", EC_WAIT | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("size", PT_INT32, PF_DEC)]),
    /* 375 SYSCALL_EPOLL_CREATE_X */ e("epoll_create", EC_WAIT | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("size", PT_INT32, PF_DEC)]),
    /* 376 SYSCALL_EPOLL_CREATE1_E */ e("epoll_create1", EC_WAIT | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[pf("flags", PT_FLAGS32, PF_HEX, EPOLL_CREATE1_FLAGS)]),
    /* 377 SYSCALL_EPOLL_CREATE1_X */ e("epoll_create1", EC_WAIT | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, EPOLL_CREATE1_FLAGS)]),
    /* 378 SYSCALL_CHOWN_E */ e("chown", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 379 SYSCALL_CHOWN_X */ e("chown", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA), p("uid", PT_UINT32, PF_DEC), p("gid", PT_UINT32, PF_DEC)]),
    /* 380 SYSCALL_LCHOWN_E */ e("lchown", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 381 SYSCALL_LCHOWN_X */ e("lchown", EC_FILE | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA), p("uid", PT_UINT32, PF_DEC), p("gid", PT_UINT32, PF_DEC)]),
    /* 382 SYSCALL_FCHOWN_E */ e("fchown", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 383 SYSCALL_FCHOWN_X */ e("fchown", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("uid", PT_UINT32, PF_DEC), p("gid", PT_UINT32, PF_DEC)]),
    /* 384 SYSCALL_FCHOWNAT_E */ e("fchownat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 385 SYSCALL_FCHOWNAT_X */ e("fchownat", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("pathname", 1), p("uid", PT_UINT32, PF_DEC), p("gid", PT_UINT32, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, FCHOWNAT_FLAGS)]),
    /* 386 SYSCALL_UMOUNT_1_E */ e("umount", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 387 SYSCALL_UMOUNT_1_X */ e("umount", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("name", PT_FSPATH, PF_NA)]),
    /* 388 SOCKET_ACCEPT4_6_E */ e("accept4", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("flags", PT_INT32, PF_HEX)]),
    /* 389 SOCKET_ACCEPT4_6_X */ e("accept4", EC_NET | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, P_ACCEPT4_6_X),
    /* 390 SYSCALL_UMOUNT2_E */ e("umount2", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[pf("flags", PT_FLAGS32, PF_HEX, UMOUNT_FLAGS)]),
    /* 391 SYSCALL_UMOUNT2_X */ e("umount2", EC_FILE | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("name", PT_FSPATH, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, UMOUNT_FLAGS)]),
    /* 392 SYSCALL_PIPE2_E */ e("pipe2", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 393 SYSCALL_PIPE2_X */ e("pipe2", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("fd1", PT_FD, PF_DEC), p("fd2", PT_FD, PF_DEC), p("ino", PT_UINT64, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, FILE_FLAGS)]),
    /* 394 SYSCALL_INOTIFY_INIT1_E */ e("inotify_init1", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 395 SYSCALL_INOTIFY_INIT1_X */ e("inotify_init1", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), pf("flags", PT_FLAGS16, PF_HEX, FILE_FLAGS)]),
    /* 396 SYSCALL_EVENTFD2_E */ e("eventfd2", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("initval", PT_UINT64, PF_DEC)]),
    /* 397 SYSCALL_EVENTFD2_X */ e("eventfd2", EC_IPC | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), pf("flags", PT_FLAGS16, PF_HEX, FILE_FLAGS), p("initval", PT_UINT64, PF_DEC)]),
    /* 398 SYSCALL_SIGNALFD4_E */ e("signalfd4", EC_SIGNAL | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("mask", PT_UINT32, PF_HEX)]),
    /* 399 SYSCALL_SIGNALFD4_X */ e("signalfd4", EC_SIGNAL | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("res", PT_FD, PF_DEC), pf("flags", PT_FLAGS16, PF_HEX, FILE_FLAGS), p("fd", PT_FD, PF_DEC), p("mask", PT_UINT32, PF_HEX)]),
    /* 400 SYSCALL_PRCTL_E */ e("prctl", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 401 SYSCALL_PRCTL_X */ e("prctl", EC_PROCESS | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), pf("option", PT_ENUMFLAGS32, PF_DEC, PRCTL_OPTIONS), p("arg2_str", PT_CHARBUF, PF_NA), p("arg2_int", PT_INT64, PF_DEC)]),
    /* 402 ASYNCEVENT_E */ e("asyncevent", EC_OTHER | EC_METAEVENT, EF_LARGE_PAYLOAD, &[p("plugin_id", PT_UINT32, PF_DEC), p("name", PT_CHARBUF, PF_NA), p("data", PT_BYTEBUF, PF_NA)]),
    /* 403 ASYNCEVENT_X */ NA,
    /* 404 SYSCALL_MEMFD_CREATE_E */ e("memfd_create", EC_MEMORY | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 405 SYSCALL_MEMFD_CREATE_X */ e("memfd_create", EC_MEMORY | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("name", PT_CHARBUF, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, MEMFD_CREATE_FLAGS)]),
    /* 406 SYSCALL_PIDFD_GETFD_E */ e("pidfd_getfd", EC_PROCESS | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 407 SYSCALL_PIDFD_GETFD_X */ e("pidfd_getfd", EC_PROCESS | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("pid_fd", PT_FD, PF_DEC), p("target_fd", PT_FD, PF_DEC), p("flags", PT_FLAGS32, PF_HEX)]),
    /* 408 SYSCALL_PIDFD_OPEN_E */ e("pidfd_open", EC_PROCESS | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[]),
    /* 409 SYSCALL_PIDFD_OPEN_X */ e("pidfd_open", EC_PROCESS | EC_SYSCALL, EF_CREATES_FD | EF_MODIFIES_STATE, &[p("fd", PT_FD, PF_DEC), p("pid", PT_PID, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, PIDFD_OPEN_FLAGS)]),
    /* 410 SYSCALL_INIT_MODULE_E */ e("init_module", EC_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 411 SYSCALL_INIT_MODULE_X */ e("init_module", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("img", PT_BYTEBUF, PF_NA), p("length", PT_UINT64, PF_DEC), p("uargs", PT_CHARBUF, PF_NA)]),
    /* 412 SYSCALL_FINIT_MODULE_E */ e("finit_module", EC_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 413 SYSCALL_FINIT_MODULE_X */ e("finit_module", EC_OTHER | EC_SYSCALL, EF_USES_FD | EF_READS_FROM_FD, &[p("res", PT_ERRNO, PF_DEC), p("fd", PT_FD, PF_DEC), p("uargs", PT_CHARBUF, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, FINIT_MODULE_FLAGS)]),
    /* 414 SYSCALL_MKNOD_E */ e("mknod", EC_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 415 SYSCALL_MKNOD_X */ e("mknod", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("path", PT_FSPATH, PF_NA), pf("mode", PT_MODE, PF_OCT, MKNOD_MODE), p("dev", PT_UINT32, PF_DEC)]),
    /* 416 SYSCALL_MKNODAT_E */ e("mknodat", EC_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 417 SYSCALL_MKNODAT_X */ e("mknodat", EC_OTHER | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("path", 1), pf("mode", PT_MODE, PF_OCT, MKNOD_MODE), p("dev", PT_UINT32, PF_DEC)]),
    /* 418 SYSCALL_NEWFSTATAT_E */ e("newfstatat", EC_FILE | EC_SYSCALL, EF_NONE, &[]),
    /* 419 SYSCALL_NEWFSTATAT_X */ e("newfstatat", EC_FILE | EC_SYSCALL, EF_USES_FD, &[p("res", PT_ERRNO, PF_DEC), p("dirfd", PT_FD, PF_DEC), pr("path", 1), pf("flags", PT_FLAGS32, PF_HEX, NEWFSTATAT_FLAGS)]),
    /* 420 SYSCALL_PROCESS_VM_READV_E */ e("process_vm_readv", EC_IPC | EC_SYSCALL, EF_NONE, &[]),
    /* 421 SYSCALL_PROCESS_VM_READV_X */ e("process_vm_readv", EC_IPC | EC_SYSCALL, EF_NONE, &[p("res", PT_INT64, PF_DEC), p("pid", PT_PID, PF_DEC), p("data", PT_BYTEBUF, PF_NA)]),
    /* 422 SYSCALL_PROCESS_VM_WRITEV_E */ e("process_vm_writev", EC_IPC | EC_SYSCALL, EF_NONE, &[]),
    /* 423 SYSCALL_PROCESS_VM_WRITEV_X */ e("process_vm_writev", EC_IPC | EC_SYSCALL, EF_NONE, &[p("res", PT_INT64, PF_DEC), p("pid", PT_PID, PF_DEC), p("data", PT_BYTEBUF, PF_NA)]),
    /* 424 SYSCALL_DELETE_MODULE_E */ e("delete_module", EC_OTHER | EC_SYSCALL, EF_NONE, &[]),
    /* 425 SYSCALL_DELETE_MODULE_X */ e("delete_module", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), p("name", PT_CHARBUF, PF_NA), pf("flags", PT_FLAGS32, PF_HEX, DELETE_MODULE_FLAGS)]),
    /* 426 SYSCALL_SETREUID_E */ e("setreuid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 427 SYSCALL_SETREUID_X */ e("setreuid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("ruid", PT_UID, PF_DEC), p("euid", PT_UID, PF_DEC)]),
    /* 428 SYSCALL_SETREGID_E */ e("setregid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[]),
    /* 429 SYSCALL_SETREGID_X */ e("setregid", EC_USER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("rgid", PT_GID, PF_DEC), p("egid", PT_GID, PF_DEC)]),
    /* 430 */ NA,
    /* 431 */ NA,
    /* 432 */ NA,
    /* 433 */ NA,
    /* 434 */ NA,
    /* 435 */ NA,
    /* 436 */ NA,
    /* 437 */ NA,
    /* 438 */ NA,
    /* 439 */ NA,
    /* 440 */ NA,
    /* 441 */ NA,
    /* 442 */ NA,
    /* 443 */ NA,
    /* 444 */ NA,
    /* 445 */ NA,
    /* 446 */ NA,
    /* 447 */ NA,
    /* 448 */ NA,
    /* 449 */ NA,
    /* 450 SYSCALL_CLOSE_RANGE_E */ NA,
    /* 451 SYSCALL_CLOSE_RANGE_X */ e("close_range", EC_IO_OTHER | EC_SYSCALL, EF_MODIFIES_STATE, &[p("res", PT_ERRNO, PF_DEC), p("first", PT_UINT32, PF_DEC), p("last", PT_UINT32, PF_DEC), pf("flags", PT_FLAGS32, PF_HEX, CLOSE_RANGE_FLAGS)]),
    /* 452 SYSCALL_KEYCTL_E */ NA,
    /* 453 SYSCALL_KEYCTL_X */ e("keyctl", EC_OTHER | EC_SYSCALL, EF_NONE, &[p("res", PT_ERRNO, PF_DEC), pf("operation", PT_ENUMFLAGS32, PF_DEC, KEYCTL_OPERATIONS), pd("arg2", PF_DEC, KEYCTL_DYNAMIC_PARAM), pd("arg3", PF_DEC, KEYCTL_DYNAMIC_PARAM), pd("arg4", PF_DEC, KEYCTL_DYNAMIC_PARAM), pd("arg5", PF_DEC, KEYCTL_DYNAMIC_PARAM)]),
];

/// How sysdig 0.29.3's event table (libs e5c53d64, March 2022) differs from [`EVENTS`]. It renders the
/// reference captures, so a renderer matching its output applies these on top of [`EVENTS`].
pub mod sysdig_2022 {
    use super::*;

    /// Event names that differ (unused exits were NA1..NA5 or kept the enter name; scapevent was sysdigevent).
    pub static NAMES: &[(u16, &str)] = &[
        (17, "NA1"),
        (147, "NA2"),
        (153, "NA2"),
        (187, "NA1"),
        (196, "sysdigevent"),
        (197, "sysdigevent"),
        (229, "container"),
        (233, "signaldeliver"),
        (235, "NA2"),
        (245, "NA2"),
        (261, "NA3"),
        (271, "NA4"),
        (273, "container"),
        (281, "NA4"),
        (287, "NA4"),
        (291, "NA5"),
        (323, "pluginevent"),
        (325, "container"),
    ];

    /// Parameters whose name, type or format differed: (event id, parameter index, parameter in 2022).
    /// Most are PT_FLAGS* that became PT_ENUMFLAGS*: 2022 rendered them with flag (bitmask) matching.
    #[rustfmt::skip]
    pub static PARAMS: &[(u16, u8, ParamInfo)] = &[
        (18, 0, pf("domain", PT_FLAGS32, PF_DEC, SOCKET_FAMILIES)),
        (24, 1, p("backlog", PT_UINT32, PF_DEC)),
        (36, 1, pf("how", PT_FLAGS8, PF_HEX, SHUTDOWN_HOW)),
        (42, 0, pf("domain", PT_FLAGS32, PF_DEC, SOCKET_FAMILIES)),
        (45, 2, pf("level", PT_FLAGS8, PF_DEC, SOCKOPT_LEVELS)),
        (45, 3, pf("optname", PT_FLAGS8, PF_DEC, SOCKOPT_OPTIONS)),
        (47, 2, pf("level", PT_FLAGS8, PF_DEC, SOCKOPT_LEVELS)),
        (47, 3, pf("optname", PT_FLAGS8, PF_DEC, SOCKOPT_OPTIONS)),
        (64, 1, pf("op", PT_FLAGS16, PF_HEX, FUTEX_OPERATIONS)),
        (86, 2, pf("whence", PT_FLAGS8, PF_DEC, LSEEK_WHENCE)),
        (88, 2, pf("whence", PT_FLAGS8, PF_DEC, LSEEK_WHENCE)),
        (140, 0, pf("resource", PT_FLAGS8, PF_DEC, RLIMIT_RESOURCES)),
        (142, 0, pf("resource", PT_FLAGS8, PF_DEC, RLIMIT_RESOURCES)),
        (144, 1, pf("resource", PT_FLAGS8, PF_DEC, RLIMIT_RESOURCES)),
        (150, 1, pf("cmd", PT_FLAGS8, PF_DEC, FCNTL_COMMANDS)),
        (161, 0, p("res", PT_UINT64, PF_HEX)),
        (163, 0, p("res", PT_UINT64, PF_HEX)),
        (168, 0, pf("request", PT_FLAGS16, PF_DEC, PTRACE_REQUESTS)),
        (293, 16, p("tty", PT_INT32, PF_DEC)),
        (293, 17, p("pgid", PT_PID, PF_DEC)),
        (293, 18, p("loginuid", PT_INT32, PF_DEC)),
        (322, 0, p("plugin ID", PT_UINT32, PF_DEC)),
        (331, 16, p("tty", PT_INT32, PF_DEC)),
        (331, 17, p("pgid", PT_PID, PF_DEC)),
        (331, 18, p("loginuid", PT_INT32, PF_DEC)),
    ];

    /// Events that gained parameters since 2022: (event id, number of parameters sysdig 0.29.3 knows).
    /// The extra parameters are appended at the end, so captures of that era carry the first n.
    pub static NPARAMS: &[(u16, u8)] = &[
        (1, 1),
        (3, 5),
        (5, 1),
        (7, 2),
        (9, 2),
        (19, 1),
        (21, 2),
        (23, 2),
        (25, 1),
        (29, 2),
        (31, 2),
        (33, 2),
        (35, 3),
        (37, 1),
        (43, 5),
        (49, 2),
        (51, 0),
        (53, 4),
        (55, 0),
        (59, 4),
        (63, 1),
        (65, 1),
        (71, 1),
        (79, 1),
        (81, 2),
        (87, 1),
        (89, 1),
        (97, 1),
        (113, 2),
        (115, 2),
        (117, 3),
        (119, 2),
        (121, 3),
        (123, 2),
        (127, 1),
        (129, 1),
        (131, 1),
        (133, 1),
        (135, 1),
        (137, 1),
        (139, 1),
        (141, 3),
        (143, 3),
        (145, 5),
        (151, 1),
        (159, 4),
        (161, 4),
        (163, 4),
        (165, 4),
        (167, 1),
        (169, 3),
        (171, 1),
        (186, 4),
        (189, 2),
        (191, 14),
        (193, 1),
        (195, 1),
        (199, 1),
        (201, 1),
        (223, 20),
        (225, 20),
        (227, 20),
        (237, 1),
        (239, 1),
        (241, 1),
        (243, 1),
        (251, 8),
        (253, 1),
        (255, 2),
        (257, 4),
        (263, 1),
        (265, 2),
        (277, 2),
        (285, 1),
        (293, 20),
        (295, 1),
        (298, 1),
        (299, 1),
        (307, 6),
        (327, 6),
        (329, 1),
        (331, 20),
        (333, 3),
        (335, 20),
    ];

    /// Number of event types sysdig 0.29.3 knows (its PPM_EVENT_MAX).
    pub const EVENT_MAX: u16 = 336;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::MAX_EVENT_PARAMS;
    use crate::abi::event_id as ev;
    use crate::abi::syscall::{self as sc, X86_64};

    /// Enter events whose exit is the unused "NA" placeholder: tracepoints, meta events and plugin/async events
    /// are enter-only.
    const ENTER_ONLY: &[usize] = &[
        16, 146, 152, 186, 228, 232, 234, 244, 260, 270, 272, 280, 286, 290, 322, 324, 354, 356,
        358, 360, 402,
    ];

    /// Events libs defines with an unused enter half (close_range, keyctl).
    const EXIT_ONLY: &[usize] = &[450, 452];

    #[test]
    fn enter_and_exit_share_a_name() {
        for i in (0..EVENTS.len()).step_by(2) {
            if EXIT_ONLY.contains(&i) {
                assert_eq!(EVENTS[i].name, "NA", "enter of exit-only event {i}");
                assert_ne!(
                    EVENTS[i].flags & EF_UNUSED,
                    0,
                    "enter of exit-only event {i}"
                );
            } else if ENTER_ONLY.contains(&i) {
                assert_eq!(EVENTS[i + 1].name, "NA", "exit of enter-only event {i}");
                assert_ne!(
                    EVENTS[i + 1].flags & EF_UNUSED,
                    0,
                    "exit of enter-only event {i}"
                );
            } else {
                assert_eq!(EVENTS[i].name, EVENTS[i + 1].name, "event pair {i}");
            }
        }
    }

    #[test]
    fn one_entry_per_event_id() {
        assert_eq!(EVENTS.len(), ev::EVENT_MAX as usize);
        assert_eq!(super::super::EVENT_COUNT, 454);
        assert_eq!(EVENTS.len() % 2, 0);
    }

    #[test]
    fn parameters_are_consistent() {
        for (i, info) in EVENTS.iter().enumerate() {
            assert!(
                info.params.len() <= MAX_EVENT_PARAMS,
                "event {i} has too many params"
            );
            assert!(
                !info.name.is_empty() && info.name.len() < 32,
                "event {i} name"
            );
            for (k, prm) in info.params.iter().enumerate() {
                assert!(
                    !prm.name.is_empty() && prm.name.len() < 32,
                    "event {i} param {k} name"
                );
                assert!(
                    prm.ptype < PT_MAX && prm.ptype != PT_NONE,
                    "event {i} param {k} type"
                );
                match prm.extra {
                    ParamExtra::DirFd(d) => {
                        assert_eq!(prm.ptype, PT_FSRELPATH, "event {i} param {k}");
                        let dirfd = info.params.get(d as usize).expect("dirfd index in range");
                        assert_eq!(dirfd.ptype, PT_FD, "event {i} param {k} dirfd");
                    }
                    ParamExtra::Dyn(types) => {
                        assert_eq!(prm.ptype, PT_DYN, "event {i} param {k}");
                        assert!(!types.is_empty());
                    }
                    ParamExtra::Flags(names) => {
                        assert!(
                            matches!(
                                prm.ptype,
                                PT_FLAGS8
                                    | PT_FLAGS16
                                    | PT_FLAGS32
                                    | PT_ENUMFLAGS8
                                    | PT_ENUMFLAGS16
                                    | PT_ENUMFLAGS32
                                    | PT_MODE
                                    | PT_UINT32
                            ),
                            "event {i} param {k} type with a name table"
                        );
                        assert!(!names.is_empty());
                    }
                    ParamExtra::None => {
                        assert!(
                            prm.ptype != PT_FSRELPATH && prm.ptype != PT_DYN,
                            "event {i} param {k}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn large_payload_only_on_plugin_container_and_async() {
        let large: Vec<usize> = (0..EVENTS.len())
            .filter(|&i| EVENTS[i].flags & EF_LARGE_PAYLOAD != 0)
            .collect();
        assert_eq!(
            large,
            [
                ev::PLUGINEVENT_E as usize,
                ev::CONTAINER_JSON_2_E as usize,
                ev::ASYNCEVENT_E as usize
            ]
        );
    }

    fn names(i: u16) -> Vec<&'static str> {
        EVENTS[i as usize].params.iter().map(|p| p.name).collect()
    }

    #[test]
    fn spot_checks() {
        assert_eq!(ev::GENERIC_E, 0);
        assert_eq!(ev::SYSCALL_OPEN_E, 2);
        assert_eq!(EVENTS[2].name, "open");
        assert_eq!(names(2), ["name", "flags", "mode"]);
        assert_eq!(EVENTS[2].category, EC_FILE | EC_SYSCALL);

        assert_eq!(ev::SYSCALL_OPENAT_2_X, 307);
        assert_eq!(EVENTS[307].name, "openat");
        assert_eq!(
            names(307),
            [
                "fd", "dirfd", "name", "flags", "mode", "dev", "ino", "fullpath"
            ]
        );
        assert!(matches!(EVENTS[307].params[2].extra, ParamExtra::DirFd(1)));

        assert_eq!(ev::SYSCALL_EXECVE_19_X, 293);
        assert_eq!(EVENTS[293].name, "execve");
        assert_eq!(EVENTS[293].params.len(), 31);
        assert_eq!(EVENTS[293].params[27].name, "trusted_exepath");
        assert_eq!(EVENTS[293].params[17].name, "vpgid");
        assert_eq!(EVENTS[293].params[28].name, "pgid");
        assert_eq!(EVENTS[293].params[30].name, "filename");
        assert_eq!(EVENTS[331].params.len(), 30);

        assert_eq!(ev::SYSCALL_CLONE_20_X, 223);
        assert_eq!(EVENTS[223].name, "clone");
        assert_eq!(EVENTS[223].params.len(), 21);

        assert_eq!(ev::SYSCALL_NEWFSTATAT_X, 419);
        assert_eq!(EVENTS[419].name, "newfstatat");
        assert_eq!(names(419), ["res", "dirfd", "path", "flags"]);
        assert_eq!(EVENTS[419].params[2].ptype, PT_FSRELPATH);

        // EF_DROP_SIMPLE_CONS survives from the 2021/2022 tables.
        assert_ne!(
            EVENTS[ev::SYSCALL_READ_X as usize].flags & EF_DROP_SIMPLE_CONS,
            0
        );
        assert_eq!(
            EVENTS[ev::SYSCALL_OPEN_X as usize].flags & EF_DROP_SIMPLE_CONS,
            0
        );

        // Flag tables keep libs order: O_LARGEFILE first, O_RDONLY after O_RDWR.
        assert_eq!(FILE_FLAGS[0].name, "O_LARGEFILE");
        let pos = |n: &str| FILE_FLAGS.iter().position(|f| f.name == n).unwrap();
        assert!(pos("O_RDWR") < pos("O_RDONLY"));
        assert_eq!(FILE_FLAGS[pos("O_CLOEXEC")].value, 1 << 12);
        assert_eq!(SOCKOPT_DYNAMIC_PARAM.len(), 5);
    }

    #[test]
    fn sysdig_2022_differences_point_at_real_parameters() {
        for &(id, idx, old) in sysdig_2022::PARAMS {
            let now = &EVENTS[id as usize].params[idx as usize];
            assert!(
                old.name != now.name || old.ptype != now.ptype || old.fmt != now.fmt,
                "{id}/{idx}"
            );
        }
        for &(id, n) in sysdig_2022::NPARAMS {
            assert!((n as usize) < EVENTS[id as usize].params.len(), "{id}");
        }
        for &(id, _) in sysdig_2022::NAMES {
            assert!(id < sysdig_2022::EVENT_MAX);
        }
    }

    #[test]
    fn x86_64_syscall_table() {
        for (nr, entry) in X86_64.iter().enumerate() {
            let (enter, exit) = (entry.enter as usize, entry.exit as usize);
            assert_eq!(enter % 2, 0, "syscall {nr}");
            assert_eq!(exit, enter + 1, "syscall {nr}");
            assert_eq!(
                EVENTS[enter].flags & (EF_OLD_VERSION | EF_UNUSED),
                0,
                "syscall {nr}"
            );
            assert_eq!(
                EVENTS[exit].flags & (EF_OLD_VERSION | EF_UNUSED),
                0,
                "syscall {nr}"
            );
            assert_ne!(EVENTS[enter].category & EC_SYSCALL, 0, "syscall {nr}");
            assert!(entry.ppm_sc < sc::PPM_SC_MAX, "syscall {nr}");
            if enter != 0 {
                assert_ne!(entry.ppm_sc, sc::PPM_SC_UNKNOWN, "syscall {nr}");
            }
        }
        let open = X86_64[2];
        assert_eq!(
            (open.enter, open.exit, open.ppm_sc),
            (ev::SYSCALL_OPEN_E, ev::SYSCALL_OPEN_X, sc::PPM_SC_OPEN)
        );
        assert_eq!(X86_64[257].exit, ev::SYSCALL_OPENAT_2_X);
        assert_eq!(X86_64[59].exit, ev::SYSCALL_EXECVE_19_X);
        assert_eq!(X86_64[56].exit, ev::SYSCALL_CLONE_20_X);
        assert_eq!(X86_64[262].exit, ev::SYSCALL_NEWFSTATAT_X);
        // A generic one: getpid.
        assert_eq!(
            (X86_64[39].enter, X86_64[39].ppm_sc),
            (ev::GENERIC_E, sc::PPM_SC_GETPID)
        );
        // Unassigned numbers.
        assert_eq!(X86_64[400].ppm_sc, sc::PPM_SC_UNKNOWN);
        assert_eq!(X86_64[511].ppm_sc, sc::PPM_SC_UNKNOWN);
        assert_eq!(
            super::super::syscalls::SYSCALL_NAMES[sc::PPM_SC_OPENAT as usize],
            "openat"
        );
        assert_eq!(
            super::super::syscalls::SYSCALL_NAMES[sc::PPM_SC_MSEAL as usize],
            "mseal"
        );
    }
}
