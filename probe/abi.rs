// SPDX-License-Identifier: Apache-2.0 OR GPL-2.0
//! The ABI shared by the `falco_probe` kernel module and the falco engine.
//!
//! This file is compiled twice: into the kernel module (edition 2021, `no_std`, the kernel's rustc 1.85)
//! and into the userspace engine (edition 2024, via `#[path]`). It therefore has no dependencies, uses only
//! `core`, and avoids language features newer than Rust 1.85.
//!
//! Events use the binary layout and the event-type numbering of the scap format of sysdig and Falco, so
//! captures move freely between this project and those tools. The ring layout and the ioctls are this
//! project's own (see docs/architecture.md).
#![allow(dead_code)]

/// Version of this ABI: the ring layout and ioctls. Bump the major on incompatible changes.
pub const API_VERSION_MAJOR: u64 = 1;
pub const API_VERSION_MINOR: u64 = 0;
pub const API_VERSION_PATCH: u64 = 0;

/// Version of the event schema the probe emits (the libs event-table schema it follows).
pub const SCHEMA_VERSION_MAJOR: u64 = 4;
pub const SCHEMA_VERSION_MINOR: u64 = 5;
pub const SCHEMA_VERSION_PATCH: u64 = 1;

/// Packs a semantic version the way the scap drivers do: 20 bits major, 20 minor, 24 patch.
pub const fn pack_version(major: u64, minor: u64, patch: u64) -> u64 {
    (major << 44) | (minor << 24) | patch
}
pub const fn version_major(v: u64) -> u64 {
    v >> 44
}
pub const fn version_minor(v: u64) -> u64 {
    (v >> 24) & 0xfffff
}
pub const fn version_patch(v: u64) -> u64 {
    v & 0xffffff
}
pub const API_VERSION: u64 = pack_version(API_VERSION_MAJOR, API_VERSION_MINOR, API_VERSION_PATCH);
pub const SCHEMA_VERSION: u64 = pack_version(
    SCHEMA_VERSION_MAJOR,
    SCHEMA_VERSION_MINOR,
    SCHEMA_VERSION_PATCH,
);

// ---------------------------------------------------------------------------------------------------------
// Event header and parameters
// ---------------------------------------------------------------------------------------------------------

/// The event header (`ppm_evt_hdr`): 26 bytes, packed, little-endian. It is followed by `nparams`
/// parameter lengths (u16, or u32 for events flagged `EF_LARGE_PAYLOAD`), then the parameter data
/// back to back. `len` counts the whole event, header included.
#[repr(C, packed)]
#[derive(Clone, Copy, Debug, Default)]
pub struct EventHeader {
    /// Nanoseconds since the epoch.
    pub ts: u64,
    /// Thread id (host namespace) of the thread that generated the event.
    pub tid: u64,
    /// Total length in bytes, header included.
    pub len: u32,
    /// Event type (`event_id::*`).
    pub event_type: u16,
    /// Number of parameters.
    pub nparams: u32,
}

/// Size of [`EventHeader`] in bytes.
pub const EVENT_HEADER_LEN: usize = 26;
/// Size of the pre-2019 header, which has no `nparams` (EV block version 1).
pub const EVENT_HEADER_V1_LEN: usize = 22;
/// Maximum number of parameters an event can carry.
pub const MAX_EVENT_PARAMS: usize = 32;
/// Largest parameter the drivers emit.
pub const MAX_ARG_SIZE: usize = 65000;
/// Default snapshot length of data buffers (read/write payloads), in bytes.
pub const DEFAULT_SNAPLEN: u32 = 80;
/// Largest snapshot length accepted by `IOCTL_SET_SNAPLEN`.
pub const MAX_SNAPLEN: u32 = 65000;

/// Parameter types (`ppm_param_type`).
pub mod param_type {
    pub const PT_NONE: u8 = 0;
    pub const PT_INT8: u8 = 1;
    pub const PT_INT16: u8 = 2;
    pub const PT_INT32: u8 = 3;
    pub const PT_INT64: u8 = 4;
    pub const PT_UINT8: u8 = 5;
    pub const PT_UINT16: u8 = 6;
    pub const PT_UINT32: u8 = 7;
    pub const PT_UINT64: u8 = 8;
    /// NUL-terminated printable string.
    pub const PT_CHARBUF: u8 = 9;
    /// Raw bytes.
    pub const PT_BYTEBUF: u8 = 10;
    /// i64 return value, negative values are errnos.
    pub const PT_ERRNO: u8 = 11;
    /// u8 family followed by the address.
    pub const PT_SOCKADDR: u8 = 12;
    /// u8 family, then source and destination addresses/ports.
    pub const PT_SOCKTUPLE: u8 = 13;
    /// i64 file descriptor.
    pub const PT_FD: u8 = 14;
    /// i64 pid/tid.
    pub const PT_PID: u8 = 15;
    /// u16 count, then count × (i64 fd, i16 flags).
    pub const PT_FDLIST: u8 = 16;
    /// Path, absolute or relative to the cwd.
    pub const PT_FSPATH: u8 = 17;
    /// u16 system call id.
    pub const PT_SYSCALLID: u8 = 18;
    /// u8 signal number.
    pub const PT_SIGTYPE: u8 = 19;
    /// u64 relative time in ns.
    pub const PT_RELTIME: u8 = 20;
    /// u64 absolute time in ns since the epoch.
    pub const PT_ABSTIME: u8 = 21;
    pub const PT_PORT: u8 = 22;
    pub const PT_L4PROTO: u8 = 23;
    pub const PT_SOCKFAMILY: u8 = 24;
    pub const PT_BOOL: u8 = 25;
    pub const PT_IPV4ADDR: u8 = 26;
    /// First byte selects the real type from the parameter's dynamic table.
    pub const PT_DYN: u8 = 27;
    pub const PT_FLAGS8: u8 = 28;
    pub const PT_FLAGS16: u8 = 29;
    pub const PT_FLAGS32: u8 = 30;
    pub const PT_UID: u8 = 31;
    pub const PT_GID: u8 = 32;
    pub const PT_DOUBLE: u8 = 33;
    pub const PT_SIGSET: u8 = 34;
    pub const PT_CHARBUFARRAY: u8 = 35;
    pub const PT_CHARBUF_PAIR_ARRAY: u8 = 36;
    pub const PT_IPV4NET: u8 = 37;
    pub const PT_IPV6ADDR: u8 = 38;
    pub const PT_IPV6NET: u8 = 39;
    pub const PT_IPADDR: u8 = 40;
    pub const PT_IPNET: u8 = 41;
    pub const PT_MODE: u8 = 42;
    /// Path relative to a directory fd given by another parameter.
    pub const PT_FSRELPATH: u8 = 43;
    pub const PT_ENUMFLAGS8: u8 = 44;
    pub const PT_ENUMFLAGS16: u8 = 45;
    pub const PT_ENUMFLAGS32: u8 = 46;
    pub const PT_MAX: u8 = 47;
}

/// Print formats (`ppm_print_format`).
pub mod print_fmt {
    pub const PF_NA: u8 = 0;
    pub const PF_DEC: u8 = 1;
    pub const PF_HEX: u8 = 2;
    pub const PF_10_PADDED_DEC: u8 = 3;
    pub const PF_ID: u8 = 4;
    pub const PF_DIR: u8 = 5;
    pub const PF_OCT: u8 = 6;
}

/// Event categories (`ppm_event_category`). The low 6 bits are an enumeration, the rest are bits.
pub mod event_category {
    pub const EC_UNKNOWN: u32 = 0;
    pub const EC_OTHER: u32 = 1;
    pub const EC_FILE: u32 = 2;
    pub const EC_NET: u32 = 3;
    pub const EC_IPC: u32 = 4;
    pub const EC_MEMORY: u32 = 5;
    pub const EC_PROCESS: u32 = 6;
    pub const EC_SLEEP: u32 = 7;
    pub const EC_SYSTEM: u32 = 8;
    pub const EC_SIGNAL: u32 = 9;
    pub const EC_USER: u32 = 10;
    pub const EC_TIME: u32 = 11;
    pub const EC_PROCESSING: u32 = 12;
    pub const EC_IO_BASE: u32 = 32;
    pub const EC_IO_READ: u32 = 32;
    pub const EC_IO_WRITE: u32 = 33;
    pub const EC_IO_OTHER: u32 = 34;
    pub const EC_WAIT: u32 = 1 << 6;
    pub const EC_SCHEDULER: u32 = 1 << 7;
    pub const EC_INTERNAL: u32 = 1 << 8;
    pub const EC_SYSCALL: u32 = 1 << 9;
    pub const EC_TRACEPOINT: u32 = 1 << 10;
    pub const EC_PLUGIN: u32 = 1 << 11;
    pub const EC_METAEVENT: u32 = 1 << 12;
    /// Mask of the enumerated part.
    pub const EC_ENUM_MASK: u32 = 0x3f;
}

/// Event flags (`ppm_event_flags`).
pub mod event_flags {
    pub const EF_NONE: u32 = 0;
    pub const EF_CREATES_FD: u32 = 1 << 0;
    pub const EF_DESTROYS_FD: u32 = 1 << 1;
    pub const EF_USES_FD: u32 = 1 << 2;
    pub const EF_READS_FROM_FD: u32 = 1 << 3;
    pub const EF_WRITES_TO_FD: u32 = 1 << 4;
    pub const EF_MODIFIES_STATE: u32 = 1 << 5;
    pub const EF_UNUSED: u32 = 1 << 6;
    pub const EF_WAITS: u32 = 1 << 7;
    pub const EF_SKIPPARSERESET: u32 = 1 << 8;
    pub const EF_OLD_VERSION: u32 = 1 << 9;
    /// Low-value events that a consumer may skip for speed (falco's `-A` keeps them).
    pub const EF_DROP_SIMPLE_CONS: u32 = 1 << 10;
    /// Parameter lengths are u32 instead of u16.
    pub const EF_LARGE_PAYLOAD: u32 = 1 << 11;
}

/// Socket families as encoded in events (`PPM_AF_*`).
pub mod sock_family {
    pub const AF_UNSPEC: u8 = 0;
    pub const AF_UNIX: u8 = 1;
    pub const AF_INET: u8 = 2;
    pub const AF_INET6: u8 = 10;
    pub const AF_NETLINK: u8 = 16;
}

/// `PT_FD` value of `AT_FDCWD` in *at() syscalls.
pub const AT_FDCWD: i64 = -100;

// ---------------------------------------------------------------------------------------------------------
// Event ids (`ppm_event_code`). Even ids are enter events, odd ids exit events.
// ---------------------------------------------------------------------------------------------------------

/// Event type numbers, named like libs' `PPME_*` without the prefix.
pub mod event_id {
    // BEGIN EVENT IDS: one constant per named row of the schema table (engine/src/schema/table.rs,
    // whose rows start with `/* id NAME */`), written by engine/tests/abi_event_ids.rs, which fails
    // when this block is stale; `FALCO_UPDATE_ABI=1 cargo test -p falco-engine --test abi_event_ids`
    // rewrites it.
    pub const GENERIC_E: u16 = 0;
    pub const GENERIC_X: u16 = 1;
    pub const SYSCALL_OPEN_E: u16 = 2;
    pub const SYSCALL_OPEN_X: u16 = 3;
    pub const SYSCALL_CLOSE_E: u16 = 4;
    pub const SYSCALL_CLOSE_X: u16 = 5;
    pub const SYSCALL_READ_E: u16 = 6;
    pub const SYSCALL_READ_X: u16 = 7;
    pub const SYSCALL_WRITE_E: u16 = 8;
    pub const SYSCALL_WRITE_X: u16 = 9;
    pub const SYSCALL_BRK_1_E: u16 = 10;
    pub const SYSCALL_BRK_1_X: u16 = 11;
    pub const SYSCALL_EXECVE_8_E: u16 = 12;
    pub const SYSCALL_EXECVE_8_X: u16 = 13;
    pub const SYSCALL_CLONE_11_E: u16 = 14;
    pub const SYSCALL_CLONE_11_X: u16 = 15;
    pub const PROCEXIT_E: u16 = 16;
    pub const PROCEXIT_X: u16 = 17;
    pub const SOCKET_SOCKET_E: u16 = 18;
    pub const SOCKET_SOCKET_X: u16 = 19;
    pub const SOCKET_BIND_E: u16 = 20;
    pub const SOCKET_BIND_X: u16 = 21;
    pub const SOCKET_CONNECT_E: u16 = 22;
    pub const SOCKET_CONNECT_X: u16 = 23;
    pub const SOCKET_LISTEN_E: u16 = 24;
    pub const SOCKET_LISTEN_X: u16 = 25;
    pub const SOCKET_ACCEPT_E: u16 = 26;
    pub const SOCKET_ACCEPT_X: u16 = 27;
    pub const SOCKET_SEND_E: u16 = 28;
    pub const SOCKET_SEND_X: u16 = 29;
    pub const SOCKET_SENDTO_E: u16 = 30;
    pub const SOCKET_SENDTO_X: u16 = 31;
    pub const SOCKET_RECV_E: u16 = 32;
    pub const SOCKET_RECV_X: u16 = 33;
    pub const SOCKET_RECVFROM_E: u16 = 34;
    pub const SOCKET_RECVFROM_X: u16 = 35;
    pub const SOCKET_SHUTDOWN_E: u16 = 36;
    pub const SOCKET_SHUTDOWN_X: u16 = 37;
    pub const SOCKET_GETSOCKNAME_E: u16 = 38;
    pub const SOCKET_GETSOCKNAME_X: u16 = 39;
    pub const SOCKET_GETPEERNAME_E: u16 = 40;
    pub const SOCKET_GETPEERNAME_X: u16 = 41;
    pub const SOCKET_SOCKETPAIR_E: u16 = 42;
    pub const SOCKET_SOCKETPAIR_X: u16 = 43;
    pub const SOCKET_SETSOCKOPT_E: u16 = 44;
    pub const SOCKET_SETSOCKOPT_X: u16 = 45;
    pub const SOCKET_GETSOCKOPT_E: u16 = 46;
    pub const SOCKET_GETSOCKOPT_X: u16 = 47;
    pub const SOCKET_SENDMSG_E: u16 = 48;
    pub const SOCKET_SENDMSG_X: u16 = 49;
    pub const SOCKET_SENDMMSG_E: u16 = 50;
    pub const SOCKET_SENDMMSG_X: u16 = 51;
    pub const SOCKET_RECVMSG_E: u16 = 52;
    pub const SOCKET_RECVMSG_X: u16 = 53;
    pub const SOCKET_RECVMMSG_E: u16 = 54;
    pub const SOCKET_RECVMMSG_X: u16 = 55;
    pub const SOCKET_ACCEPT4_E: u16 = 56;
    pub const SOCKET_ACCEPT4_X: u16 = 57;
    pub const SYSCALL_CREAT_E: u16 = 58;
    pub const SYSCALL_CREAT_X: u16 = 59;
    pub const SYSCALL_PIPE_E: u16 = 60;
    pub const SYSCALL_PIPE_X: u16 = 61;
    pub const SYSCALL_EVENTFD_E: u16 = 62;
    pub const SYSCALL_EVENTFD_X: u16 = 63;
    pub const SYSCALL_FUTEX_E: u16 = 64;
    pub const SYSCALL_FUTEX_X: u16 = 65;
    pub const SYSCALL_STAT_E: u16 = 66;
    pub const SYSCALL_STAT_X: u16 = 67;
    pub const SYSCALL_LSTAT_E: u16 = 68;
    pub const SYSCALL_LSTAT_X: u16 = 69;
    pub const SYSCALL_FSTAT_E: u16 = 70;
    pub const SYSCALL_FSTAT_X: u16 = 71;
    pub const SYSCALL_STAT64_E: u16 = 72;
    pub const SYSCALL_STAT64_X: u16 = 73;
    pub const SYSCALL_LSTAT64_E: u16 = 74;
    pub const SYSCALL_LSTAT64_X: u16 = 75;
    pub const SYSCALL_FSTAT64_E: u16 = 76;
    pub const SYSCALL_FSTAT64_X: u16 = 77;
    pub const SYSCALL_EPOLLWAIT_E: u16 = 78;
    pub const SYSCALL_EPOLLWAIT_X: u16 = 79;
    pub const SYSCALL_POLL_E: u16 = 80;
    pub const SYSCALL_POLL_X: u16 = 81;
    pub const SYSCALL_SELECT_E: u16 = 82;
    pub const SYSCALL_SELECT_X: u16 = 83;
    pub const SYSCALL_NEWSELECT_E: u16 = 84;
    pub const SYSCALL_NEWSELECT_X: u16 = 85;
    pub const SYSCALL_LSEEK_E: u16 = 86;
    pub const SYSCALL_LSEEK_X: u16 = 87;
    pub const SYSCALL_LLSEEK_E: u16 = 88;
    pub const SYSCALL_LLSEEK_X: u16 = 89;
    pub const SYSCALL_IOCTL_2_E: u16 = 90;
    pub const SYSCALL_IOCTL_2_X: u16 = 91;
    pub const SYSCALL_GETCWD_E: u16 = 92;
    pub const SYSCALL_GETCWD_X: u16 = 93;
    pub const SYSCALL_CHDIR_E: u16 = 94;
    pub const SYSCALL_CHDIR_X: u16 = 95;
    pub const SYSCALL_FCHDIR_E: u16 = 96;
    pub const SYSCALL_FCHDIR_X: u16 = 97;
    pub const SYSCALL_MKDIR_E: u16 = 98;
    pub const SYSCALL_MKDIR_X: u16 = 99;
    pub const SYSCALL_RMDIR_E: u16 = 100;
    pub const SYSCALL_RMDIR_X: u16 = 101;
    pub const SYSCALL_OPENAT_E: u16 = 102;
    pub const SYSCALL_OPENAT_X: u16 = 103;
    pub const SYSCALL_LINK_E: u16 = 104;
    pub const SYSCALL_LINK_X: u16 = 105;
    pub const SYSCALL_LINKAT_E: u16 = 106;
    pub const SYSCALL_LINKAT_X: u16 = 107;
    pub const SYSCALL_UNLINK_E: u16 = 108;
    pub const SYSCALL_UNLINK_X: u16 = 109;
    pub const SYSCALL_UNLINKAT_E: u16 = 110;
    pub const SYSCALL_UNLINKAT_X: u16 = 111;
    pub const SYSCALL_PREAD_E: u16 = 112;
    pub const SYSCALL_PREAD_X: u16 = 113;
    pub const SYSCALL_PWRITE_E: u16 = 114;
    pub const SYSCALL_PWRITE_X: u16 = 115;
    pub const SYSCALL_READV_E: u16 = 116;
    pub const SYSCALL_READV_X: u16 = 117;
    pub const SYSCALL_WRITEV_E: u16 = 118;
    pub const SYSCALL_WRITEV_X: u16 = 119;
    pub const SYSCALL_PREADV_E: u16 = 120;
    pub const SYSCALL_PREADV_X: u16 = 121;
    pub const SYSCALL_PWRITEV_E: u16 = 122;
    pub const SYSCALL_PWRITEV_X: u16 = 123;
    pub const SYSCALL_DUP_E: u16 = 124;
    pub const SYSCALL_DUP_X: u16 = 125;
    pub const SYSCALL_SIGNALFD_E: u16 = 126;
    pub const SYSCALL_SIGNALFD_X: u16 = 127;
    pub const SYSCALL_KILL_E: u16 = 128;
    pub const SYSCALL_KILL_X: u16 = 129;
    pub const SYSCALL_TKILL_E: u16 = 130;
    pub const SYSCALL_TKILL_X: u16 = 131;
    pub const SYSCALL_TGKILL_E: u16 = 132;
    pub const SYSCALL_TGKILL_X: u16 = 133;
    pub const SYSCALL_NANOSLEEP_E: u16 = 134;
    pub const SYSCALL_NANOSLEEP_X: u16 = 135;
    pub const SYSCALL_TIMERFD_CREATE_E: u16 = 136;
    pub const SYSCALL_TIMERFD_CREATE_X: u16 = 137;
    pub const SYSCALL_INOTIFY_INIT_E: u16 = 138;
    pub const SYSCALL_INOTIFY_INIT_X: u16 = 139;
    pub const SYSCALL_GETRLIMIT_E: u16 = 140;
    pub const SYSCALL_GETRLIMIT_X: u16 = 141;
    pub const SYSCALL_SETRLIMIT_E: u16 = 142;
    pub const SYSCALL_SETRLIMIT_X: u16 = 143;
    pub const SYSCALL_PRLIMIT_E: u16 = 144;
    pub const SYSCALL_PRLIMIT_X: u16 = 145;
    pub const SCHEDSWITCH_1_E: u16 = 146;
    pub const SCHEDSWITCH_1_X: u16 = 147;
    pub const DROP_E: u16 = 148;
    pub const DROP_X: u16 = 149;
    pub const SYSCALL_FCNTL_E: u16 = 150;
    pub const SYSCALL_FCNTL_X: u16 = 151;
    pub const SCHEDSWITCH_6_E: u16 = 152;
    pub const SCHEDSWITCH_6_X: u16 = 153;
    pub const SYSCALL_EXECVE_13_E: u16 = 154;
    pub const SYSCALL_EXECVE_13_X: u16 = 155;
    pub const SYSCALL_CLONE_16_E: u16 = 156;
    pub const SYSCALL_CLONE_16_X: u16 = 157;
    pub const SYSCALL_BRK_4_E: u16 = 158;
    pub const SYSCALL_BRK_4_X: u16 = 159;
    pub const SYSCALL_MMAP_E: u16 = 160;
    pub const SYSCALL_MMAP_X: u16 = 161;
    pub const SYSCALL_MMAP2_E: u16 = 162;
    pub const SYSCALL_MMAP2_X: u16 = 163;
    pub const SYSCALL_MUNMAP_E: u16 = 164;
    pub const SYSCALL_MUNMAP_X: u16 = 165;
    pub const SYSCALL_SPLICE_E: u16 = 166;
    pub const SYSCALL_SPLICE_X: u16 = 167;
    pub const SYSCALL_PTRACE_E: u16 = 168;
    pub const SYSCALL_PTRACE_X: u16 = 169;
    pub const SYSCALL_IOCTL_3_E: u16 = 170;
    pub const SYSCALL_IOCTL_3_X: u16 = 171;
    pub const SYSCALL_EXECVE_14_E: u16 = 172;
    pub const SYSCALL_EXECVE_14_X: u16 = 173;
    pub const SYSCALL_RENAME_E: u16 = 174;
    pub const SYSCALL_RENAME_X: u16 = 175;
    pub const SYSCALL_RENAMEAT_E: u16 = 176;
    pub const SYSCALL_RENAMEAT_X: u16 = 177;
    pub const SYSCALL_SYMLINK_E: u16 = 178;
    pub const SYSCALL_SYMLINK_X: u16 = 179;
    pub const SYSCALL_SYMLINKAT_E: u16 = 180;
    pub const SYSCALL_SYMLINKAT_X: u16 = 181;
    pub const SYSCALL_FORK_E: u16 = 182;
    pub const SYSCALL_FORK_X: u16 = 183;
    pub const SYSCALL_VFORK_E: u16 = 184;
    pub const SYSCALL_VFORK_X: u16 = 185;
    pub const PROCEXIT_1_E: u16 = 186;
    pub const PROCEXIT_1_X: u16 = 187;
    pub const SYSCALL_SENDFILE_E: u16 = 188;
    pub const SYSCALL_SENDFILE_X: u16 = 189;
    pub const SYSCALL_QUOTACTL_E: u16 = 190;
    pub const SYSCALL_QUOTACTL_X: u16 = 191;
    pub const SYSCALL_SETRESUID_E: u16 = 192;
    pub const SYSCALL_SETRESUID_X: u16 = 193;
    pub const SYSCALL_SETRESGID_E: u16 = 194;
    pub const SYSCALL_SETRESGID_X: u16 = 195;
    pub const SCAPEVENT_E: u16 = 196;
    pub const SCAPEVENT_X: u16 = 197;
    pub const SYSCALL_SETUID_E: u16 = 198;
    pub const SYSCALL_SETUID_X: u16 = 199;
    pub const SYSCALL_SETGID_E: u16 = 200;
    pub const SYSCALL_SETGID_X: u16 = 201;
    pub const SYSCALL_GETUID_E: u16 = 202;
    pub const SYSCALL_GETUID_X: u16 = 203;
    pub const SYSCALL_GETEUID_E: u16 = 204;
    pub const SYSCALL_GETEUID_X: u16 = 205;
    pub const SYSCALL_GETGID_E: u16 = 206;
    pub const SYSCALL_GETGID_X: u16 = 207;
    pub const SYSCALL_GETEGID_E: u16 = 208;
    pub const SYSCALL_GETEGID_X: u16 = 209;
    pub const SYSCALL_GETRESUID_E: u16 = 210;
    pub const SYSCALL_GETRESUID_X: u16 = 211;
    pub const SYSCALL_GETRESGID_E: u16 = 212;
    pub const SYSCALL_GETRESGID_X: u16 = 213;
    pub const SYSCALL_EXECVE_15_E: u16 = 214;
    pub const SYSCALL_EXECVE_15_X: u16 = 215;
    pub const SYSCALL_CLONE_17_E: u16 = 216;
    pub const SYSCALL_CLONE_17_X: u16 = 217;
    pub const SYSCALL_FORK_17_E: u16 = 218;
    pub const SYSCALL_FORK_17_X: u16 = 219;
    pub const SYSCALL_VFORK_17_E: u16 = 220;
    pub const SYSCALL_VFORK_17_X: u16 = 221;
    pub const SYSCALL_CLONE_20_E: u16 = 222;
    pub const SYSCALL_CLONE_20_X: u16 = 223;
    pub const SYSCALL_FORK_20_E: u16 = 224;
    pub const SYSCALL_FORK_20_X: u16 = 225;
    pub const SYSCALL_VFORK_20_E: u16 = 226;
    pub const SYSCALL_VFORK_20_X: u16 = 227;
    pub const CONTAINER_E: u16 = 228;
    pub const CONTAINER_X: u16 = 229;
    pub const SYSCALL_EXECVE_16_E: u16 = 230;
    pub const SYSCALL_EXECVE_16_X: u16 = 231;
    pub const SIGNALDELIVER_E: u16 = 232;
    pub const SIGNALDELIVER_X: u16 = 233;
    pub const PROCINFO_E: u16 = 234;
    pub const PROCINFO_X: u16 = 235;
    pub const SYSCALL_GETDENTS_E: u16 = 236;
    pub const SYSCALL_GETDENTS_X: u16 = 237;
    pub const SYSCALL_GETDENTS64_E: u16 = 238;
    pub const SYSCALL_GETDENTS64_X: u16 = 239;
    pub const SYSCALL_SETNS_E: u16 = 240;
    pub const SYSCALL_SETNS_X: u16 = 241;
    pub const SYSCALL_FLOCK_E: u16 = 242;
    pub const SYSCALL_FLOCK_X: u16 = 243;
    pub const CPU_HOTPLUG_E: u16 = 244;
    pub const CPU_HOTPLUG_X: u16 = 245;
    pub const SOCKET_ACCEPT_5_E: u16 = 246;
    pub const SOCKET_ACCEPT_5_X: u16 = 247;
    pub const SOCKET_ACCEPT4_5_E: u16 = 248;
    pub const SOCKET_ACCEPT4_5_X: u16 = 249;
    pub const SYSCALL_SEMOP_E: u16 = 250;
    pub const SYSCALL_SEMOP_X: u16 = 251;
    pub const SYSCALL_SEMCTL_E: u16 = 252;
    pub const SYSCALL_SEMCTL_X: u16 = 253;
    pub const SYSCALL_PPOLL_E: u16 = 254;
    pub const SYSCALL_PPOLL_X: u16 = 255;
    pub const SYSCALL_MOUNT_E: u16 = 256;
    pub const SYSCALL_MOUNT_X: u16 = 257;
    pub const SYSCALL_UMOUNT_E: u16 = 258;
    pub const SYSCALL_UMOUNT_X: u16 = 259;
    pub const K8S_E: u16 = 260;
    pub const K8S_X: u16 = 261;
    pub const SYSCALL_SEMGET_E: u16 = 262;
    pub const SYSCALL_SEMGET_X: u16 = 263;
    pub const SYSCALL_ACCESS_E: u16 = 264;
    pub const SYSCALL_ACCESS_X: u16 = 265;
    pub const SYSCALL_CHROOT_E: u16 = 266;
    pub const SYSCALL_CHROOT_X: u16 = 267;
    pub const TRACER_E: u16 = 268;
    pub const TRACER_X: u16 = 269;
    pub const MESOS_E: u16 = 270;
    pub const MESOS_X: u16 = 271;
    pub const CONTAINER_JSON_E: u16 = 272;
    pub const CONTAINER_JSON_X: u16 = 273;
    pub const SYSCALL_SETSID_E: u16 = 274;
    pub const SYSCALL_SETSID_X: u16 = 275;
    pub const SYSCALL_MKDIR_2_E: u16 = 276;
    pub const SYSCALL_MKDIR_2_X: u16 = 277;
    pub const SYSCALL_RMDIR_2_E: u16 = 278;
    pub const SYSCALL_RMDIR_2_X: u16 = 279;
    pub const NOTIFICATION_E: u16 = 280;
    pub const NOTIFICATION_X: u16 = 281;
    pub const SYSCALL_EXECVE_17_E: u16 = 282;
    pub const SYSCALL_EXECVE_17_X: u16 = 283;
    pub const SYSCALL_UNSHARE_E: u16 = 284;
    pub const SYSCALL_UNSHARE_X: u16 = 285;
    pub const INFRASTRUCTURE_EVENT_E: u16 = 286;
    pub const INFRASTRUCTURE_EVENT_X: u16 = 287;
    pub const SYSCALL_EXECVE_18_E: u16 = 288;
    pub const SYSCALL_EXECVE_18_X: u16 = 289;
    pub const PAGE_FAULT_E: u16 = 290;
    pub const PAGE_FAULT_X: u16 = 291;
    pub const SYSCALL_EXECVE_19_E: u16 = 292;
    pub const SYSCALL_EXECVE_19_X: u16 = 293;
    pub const SYSCALL_SETPGID_E: u16 = 294;
    pub const SYSCALL_SETPGID_X: u16 = 295;
    pub const SYSCALL_BPF_E: u16 = 296;
    pub const SYSCALL_BPF_X: u16 = 297;
    pub const SYSCALL_SECCOMP_E: u16 = 298;
    pub const SYSCALL_SECCOMP_X: u16 = 299;
    pub const SYSCALL_UNLINK_2_E: u16 = 300;
    pub const SYSCALL_UNLINK_2_X: u16 = 301;
    pub const SYSCALL_UNLINKAT_2_E: u16 = 302;
    pub const SYSCALL_UNLINKAT_2_X: u16 = 303;
    pub const SYSCALL_MKDIRAT_E: u16 = 304;
    pub const SYSCALL_MKDIRAT_X: u16 = 305;
    pub const SYSCALL_OPENAT_2_E: u16 = 306;
    pub const SYSCALL_OPENAT_2_X: u16 = 307;
    pub const SYSCALL_LINK_2_E: u16 = 308;
    pub const SYSCALL_LINK_2_X: u16 = 309;
    pub const SYSCALL_LINKAT_2_E: u16 = 310;
    pub const SYSCALL_LINKAT_2_X: u16 = 311;
    pub const SYSCALL_FCHMODAT_E: u16 = 312;
    pub const SYSCALL_FCHMODAT_X: u16 = 313;
    pub const SYSCALL_CHMOD_E: u16 = 314;
    pub const SYSCALL_CHMOD_X: u16 = 315;
    pub const SYSCALL_FCHMOD_E: u16 = 316;
    pub const SYSCALL_FCHMOD_X: u16 = 317;
    pub const SYSCALL_RENAMEAT2_E: u16 = 318;
    pub const SYSCALL_RENAMEAT2_X: u16 = 319;
    pub const SYSCALL_USERFAULTFD_E: u16 = 320;
    pub const SYSCALL_USERFAULTFD_X: u16 = 321;
    pub const PLUGINEVENT_E: u16 = 322;
    pub const PLUGINEVENT_X: u16 = 323;
    pub const CONTAINER_JSON_2_E: u16 = 324;
    pub const CONTAINER_JSON_2_X: u16 = 325;
    pub const SYSCALL_OPENAT2_E: u16 = 326;
    pub const SYSCALL_OPENAT2_X: u16 = 327;
    pub const SYSCALL_MPROTECT_E: u16 = 328;
    pub const SYSCALL_MPROTECT_X: u16 = 329;
    pub const SYSCALL_EXECVEAT_E: u16 = 330;
    pub const SYSCALL_EXECVEAT_X: u16 = 331;
    pub const SYSCALL_COPY_FILE_RANGE_E: u16 = 332;
    pub const SYSCALL_COPY_FILE_RANGE_X: u16 = 333;
    pub const SYSCALL_CLONE3_E: u16 = 334;
    pub const SYSCALL_CLONE3_X: u16 = 335;
    pub const SYSCALL_OPEN_BY_HANDLE_AT_E: u16 = 336;
    pub const SYSCALL_OPEN_BY_HANDLE_AT_X: u16 = 337;
    pub const SYSCALL_IO_URING_SETUP_E: u16 = 338;
    pub const SYSCALL_IO_URING_SETUP_X: u16 = 339;
    pub const SYSCALL_IO_URING_ENTER_E: u16 = 340;
    pub const SYSCALL_IO_URING_ENTER_X: u16 = 341;
    pub const SYSCALL_IO_URING_REGISTER_E: u16 = 342;
    pub const SYSCALL_IO_URING_REGISTER_X: u16 = 343;
    pub const SYSCALL_MLOCK_E: u16 = 344;
    pub const SYSCALL_MLOCK_X: u16 = 345;
    pub const SYSCALL_MUNLOCK_E: u16 = 346;
    pub const SYSCALL_MUNLOCK_X: u16 = 347;
    pub const SYSCALL_MLOCKALL_E: u16 = 348;
    pub const SYSCALL_MLOCKALL_X: u16 = 349;
    pub const SYSCALL_MUNLOCKALL_E: u16 = 350;
    pub const SYSCALL_MUNLOCKALL_X: u16 = 351;
    pub const SYSCALL_CAPSET_E: u16 = 352;
    pub const SYSCALL_CAPSET_X: u16 = 353;
    pub const USER_ADDED_E: u16 = 354;
    pub const USER_ADDED_X: u16 = 355;
    pub const USER_DELETED_E: u16 = 356;
    pub const USER_DELETED_X: u16 = 357;
    pub const GROUP_ADDED_E: u16 = 358;
    pub const GROUP_ADDED_X: u16 = 359;
    pub const GROUP_DELETED_E: u16 = 360;
    pub const GROUP_DELETED_X: u16 = 361;
    pub const SYSCALL_DUP2_E: u16 = 362;
    pub const SYSCALL_DUP2_X: u16 = 363;
    pub const SYSCALL_DUP3_E: u16 = 364;
    pub const SYSCALL_DUP3_X: u16 = 365;
    pub const SYSCALL_DUP_1_E: u16 = 366;
    pub const SYSCALL_DUP_1_X: u16 = 367;
    pub const SYSCALL_BPF_2_E: u16 = 368;
    pub const SYSCALL_BPF_2_X: u16 = 369;
    pub const SYSCALL_MLOCK2_E: u16 = 370;
    pub const SYSCALL_MLOCK2_X: u16 = 371;
    pub const SYSCALL_FSCONFIG_E: u16 = 372;
    pub const SYSCALL_FSCONFIG_X: u16 = 373;
    pub const SYSCALL_EPOLL_CREATE_E: u16 = 374;
    pub const SYSCALL_EPOLL_CREATE_X: u16 = 375;
    pub const SYSCALL_EPOLL_CREATE1_E: u16 = 376;
    pub const SYSCALL_EPOLL_CREATE1_X: u16 = 377;
    pub const SYSCALL_CHOWN_E: u16 = 378;
    pub const SYSCALL_CHOWN_X: u16 = 379;
    pub const SYSCALL_LCHOWN_E: u16 = 380;
    pub const SYSCALL_LCHOWN_X: u16 = 381;
    pub const SYSCALL_FCHOWN_E: u16 = 382;
    pub const SYSCALL_FCHOWN_X: u16 = 383;
    pub const SYSCALL_FCHOWNAT_E: u16 = 384;
    pub const SYSCALL_FCHOWNAT_X: u16 = 385;
    pub const SYSCALL_UMOUNT_1_E: u16 = 386;
    pub const SYSCALL_UMOUNT_1_X: u16 = 387;
    pub const SOCKET_ACCEPT4_6_E: u16 = 388;
    pub const SOCKET_ACCEPT4_6_X: u16 = 389;
    pub const SYSCALL_UMOUNT2_E: u16 = 390;
    pub const SYSCALL_UMOUNT2_X: u16 = 391;
    pub const SYSCALL_PIPE2_E: u16 = 392;
    pub const SYSCALL_PIPE2_X: u16 = 393;
    pub const SYSCALL_INOTIFY_INIT1_E: u16 = 394;
    pub const SYSCALL_INOTIFY_INIT1_X: u16 = 395;
    pub const SYSCALL_EVENTFD2_E: u16 = 396;
    pub const SYSCALL_EVENTFD2_X: u16 = 397;
    pub const SYSCALL_SIGNALFD4_E: u16 = 398;
    pub const SYSCALL_SIGNALFD4_X: u16 = 399;
    pub const SYSCALL_PRCTL_E: u16 = 400;
    pub const SYSCALL_PRCTL_X: u16 = 401;
    pub const ASYNCEVENT_E: u16 = 402;
    pub const ASYNCEVENT_X: u16 = 403;
    pub const SYSCALL_MEMFD_CREATE_E: u16 = 404;
    pub const SYSCALL_MEMFD_CREATE_X: u16 = 405;
    pub const SYSCALL_PIDFD_GETFD_E: u16 = 406;
    pub const SYSCALL_PIDFD_GETFD_X: u16 = 407;
    pub const SYSCALL_PIDFD_OPEN_E: u16 = 408;
    pub const SYSCALL_PIDFD_OPEN_X: u16 = 409;
    pub const SYSCALL_INIT_MODULE_E: u16 = 410;
    pub const SYSCALL_INIT_MODULE_X: u16 = 411;
    pub const SYSCALL_FINIT_MODULE_E: u16 = 412;
    pub const SYSCALL_FINIT_MODULE_X: u16 = 413;
    pub const SYSCALL_MKNOD_E: u16 = 414;
    pub const SYSCALL_MKNOD_X: u16 = 415;
    pub const SYSCALL_MKNODAT_E: u16 = 416;
    pub const SYSCALL_MKNODAT_X: u16 = 417;
    pub const SYSCALL_NEWFSTATAT_E: u16 = 418;
    pub const SYSCALL_NEWFSTATAT_X: u16 = 419;
    pub const SYSCALL_PROCESS_VM_READV_E: u16 = 420;
    pub const SYSCALL_PROCESS_VM_READV_X: u16 = 421;
    pub const SYSCALL_PROCESS_VM_WRITEV_E: u16 = 422;
    pub const SYSCALL_PROCESS_VM_WRITEV_X: u16 = 423;
    pub const SYSCALL_DELETE_MODULE_E: u16 = 424;
    pub const SYSCALL_DELETE_MODULE_X: u16 = 425;
    pub const SYSCALL_SETREUID_E: u16 = 426;
    pub const SYSCALL_SETREUID_X: u16 = 427;
    pub const SYSCALL_SETREGID_E: u16 = 428;
    pub const SYSCALL_SETREGID_X: u16 = 429;
    pub const SYSCALL_CLOSE_RANGE_E: u16 = 450;
    pub const SYSCALL_CLOSE_RANGE_X: u16 = 451;
    pub const SYSCALL_KEYCTL_E: u16 = 452;
    pub const SYSCALL_KEYCTL_X: u16 = 453;
    // END EVENT IDS

    /// Number of event types (`PPM_EVENT_MAX` of schema 4.5.1), the length of the schema table, where
    /// ids 430..449 are placeholders (engine/src/schema/table.rs says why).
    pub const EVENT_MAX: u16 = 454;
}

/// System-independent syscall codes (`ppm_sc_code`) and the x86_64 syscall table.
pub mod syscall {
    use super::SYSCALL_TABLE_SIZE;
    use super::event_id::*;

    // `ppm_sc_code` (libs ppm_events_public.h @58bf3a93). Code 382 is unassigned.
    pub const PPM_SC_UNKNOWN: u16 = 0;
    pub const PPM_SC_RESTART_SYSCALL: u16 = 1;
    pub const PPM_SC_EXIT: u16 = 2;
    pub const PPM_SC_READ: u16 = 3;
    pub const PPM_SC_WRITE: u16 = 4;
    pub const PPM_SC_OPEN: u16 = 5;
    pub const PPM_SC_CLOSE: u16 = 6;
    pub const PPM_SC_CREAT: u16 = 7;
    pub const PPM_SC_LINK: u16 = 8;
    pub const PPM_SC_UNLINK: u16 = 9;
    pub const PPM_SC_CHDIR: u16 = 10;
    pub const PPM_SC_TIME: u16 = 11;
    pub const PPM_SC_MKNOD: u16 = 12;
    pub const PPM_SC_CHMOD: u16 = 13;
    pub const PPM_SC_STAT: u16 = 14;
    pub const PPM_SC_LSEEK: u16 = 15;
    pub const PPM_SC_GETPID: u16 = 16;
    pub const PPM_SC_MOUNT: u16 = 17;
    pub const PPM_SC_PTRACE: u16 = 18;
    pub const PPM_SC_ALARM: u16 = 19;
    pub const PPM_SC_FSTAT: u16 = 20;
    pub const PPM_SC_PAUSE: u16 = 21;
    pub const PPM_SC_UTIME: u16 = 22;
    pub const PPM_SC_ACCESS: u16 = 23;
    pub const PPM_SC_SYNC: u16 = 24;
    pub const PPM_SC_KILL: u16 = 25;
    pub const PPM_SC_RENAME: u16 = 26;
    pub const PPM_SC_MKDIR: u16 = 27;
    pub const PPM_SC_RMDIR: u16 = 28;
    pub const PPM_SC_DUP: u16 = 29;
    pub const PPM_SC_PIPE: u16 = 30;
    pub const PPM_SC_TIMES: u16 = 31;
    pub const PPM_SC_BRK: u16 = 32;
    pub const PPM_SC_ACCT: u16 = 33;
    pub const PPM_SC_IOCTL: u16 = 34;
    pub const PPM_SC_FCNTL: u16 = 35;
    pub const PPM_SC_SETPGID: u16 = 36;
    pub const PPM_SC_UMASK: u16 = 37;
    pub const PPM_SC_CHROOT: u16 = 38;
    pub const PPM_SC_USTAT: u16 = 39;
    pub const PPM_SC_DUP2: u16 = 40;
    pub const PPM_SC_GETPPID: u16 = 41;
    pub const PPM_SC_GETPGRP: u16 = 42;
    pub const PPM_SC_SETSID: u16 = 43;
    pub const PPM_SC_SETHOSTNAME: u16 = 44;
    pub const PPM_SC_SETRLIMIT: u16 = 45;
    pub const PPM_SC_GETRUSAGE: u16 = 46;
    pub const PPM_SC_GETTIMEOFDAY: u16 = 47;
    pub const PPM_SC_SETTIMEOFDAY: u16 = 48;
    pub const PPM_SC_SYMLINK: u16 = 49;
    pub const PPM_SC_LSTAT: u16 = 50;
    pub const PPM_SC_READLINK: u16 = 51;
    pub const PPM_SC_USELIB: u16 = 52;
    pub const PPM_SC_SWAPON: u16 = 53;
    pub const PPM_SC_REBOOT: u16 = 54;
    pub const PPM_SC_MMAP: u16 = 55;
    pub const PPM_SC_MUNMAP: u16 = 56;
    pub const PPM_SC_TRUNCATE: u16 = 57;
    pub const PPM_SC_FTRUNCATE: u16 = 58;
    pub const PPM_SC_FCHMOD: u16 = 59;
    pub const PPM_SC_GETPRIORITY: u16 = 60;
    pub const PPM_SC_SETPRIORITY: u16 = 61;
    pub const PPM_SC_STATFS: u16 = 62;
    pub const PPM_SC_FSTATFS: u16 = 63;
    pub const PPM_SC_SYSLOG: u16 = 64;
    pub const PPM_SC_SETITIMER: u16 = 65;
    pub const PPM_SC_GETITIMER: u16 = 66;
    pub const PPM_SC_UNAME: u16 = 67;
    pub const PPM_SC_VHANGUP: u16 = 68;
    pub const PPM_SC_WAIT4: u16 = 69;
    pub const PPM_SC_SWAPOFF: u16 = 70;
    pub const PPM_SC_SYSINFO: u16 = 71;
    pub const PPM_SC_FSYNC: u16 = 72;
    pub const PPM_SC_SETDOMAINNAME: u16 = 73;
    pub const PPM_SC_ADJTIMEX: u16 = 74;
    pub const PPM_SC_MPROTECT: u16 = 75;
    pub const PPM_SC_INIT_MODULE: u16 = 76;
    pub const PPM_SC_DELETE_MODULE: u16 = 77;
    pub const PPM_SC_QUOTACTL: u16 = 78;
    pub const PPM_SC_GETPGID: u16 = 79;
    pub const PPM_SC_FCHDIR: u16 = 80;
    pub const PPM_SC_SYSFS: u16 = 81;
    pub const PPM_SC_PERSONALITY: u16 = 82;
    pub const PPM_SC_GETDENTS: u16 = 83;
    pub const PPM_SC_SELECT: u16 = 84;
    pub const PPM_SC_FLOCK: u16 = 85;
    pub const PPM_SC_MSYNC: u16 = 86;
    pub const PPM_SC_READV: u16 = 87;
    pub const PPM_SC_WRITEV: u16 = 88;
    pub const PPM_SC_GETSID: u16 = 89;
    pub const PPM_SC_FDATASYNC: u16 = 90;
    pub const PPM_SC_MLOCK: u16 = 91;
    pub const PPM_SC_MUNLOCK: u16 = 92;
    pub const PPM_SC_MLOCKALL: u16 = 93;
    pub const PPM_SC_MUNLOCKALL: u16 = 94;
    pub const PPM_SC_SCHED_SETPARAM: u16 = 95;
    pub const PPM_SC_SCHED_GETPARAM: u16 = 96;
    pub const PPM_SC_SCHED_SETSCHEDULER: u16 = 97;
    pub const PPM_SC_SCHED_GETSCHEDULER: u16 = 98;
    pub const PPM_SC_SCHED_YIELD: u16 = 99;
    pub const PPM_SC_SCHED_GET_PRIORITY_MAX: u16 = 100;
    pub const PPM_SC_SCHED_GET_PRIORITY_MIN: u16 = 101;
    pub const PPM_SC_SCHED_RR_GET_INTERVAL: u16 = 102;
    pub const PPM_SC_NANOSLEEP: u16 = 103;
    pub const PPM_SC_MREMAP: u16 = 104;
    pub const PPM_SC_POLL: u16 = 105;
    pub const PPM_SC_PRCTL: u16 = 106;
    pub const PPM_SC_RT_SIGACTION: u16 = 107;
    pub const PPM_SC_RT_SIGPROCMASK: u16 = 108;
    pub const PPM_SC_RT_SIGPENDING: u16 = 109;
    pub const PPM_SC_RT_SIGTIMEDWAIT: u16 = 110;
    pub const PPM_SC_RT_SIGQUEUEINFO: u16 = 111;
    pub const PPM_SC_RT_SIGSUSPEND: u16 = 112;
    pub const PPM_SC_GETCWD: u16 = 113;
    pub const PPM_SC_CAPGET: u16 = 114;
    pub const PPM_SC_CAPSET: u16 = 115;
    pub const PPM_SC_SENDFILE: u16 = 116;
    pub const PPM_SC_GETRLIMIT: u16 = 117;
    pub const PPM_SC_LCHOWN: u16 = 118;
    pub const PPM_SC_GETUID: u16 = 119;
    pub const PPM_SC_GETGID: u16 = 120;
    pub const PPM_SC_GETEUID: u16 = 121;
    pub const PPM_SC_GETEGID: u16 = 122;
    pub const PPM_SC_SETREUID: u16 = 123;
    pub const PPM_SC_SETREGID: u16 = 124;
    pub const PPM_SC_GETGROUPS: u16 = 125;
    pub const PPM_SC_SETGROUPS: u16 = 126;
    pub const PPM_SC_FCHOWN: u16 = 127;
    pub const PPM_SC_SETRESUID: u16 = 128;
    pub const PPM_SC_GETRESUID: u16 = 129;
    pub const PPM_SC_SETRESGID: u16 = 130;
    pub const PPM_SC_GETRESGID: u16 = 131;
    pub const PPM_SC_CHOWN: u16 = 132;
    pub const PPM_SC_SETUID: u16 = 133;
    pub const PPM_SC_SETGID: u16 = 134;
    pub const PPM_SC_SETFSUID: u16 = 135;
    pub const PPM_SC_SETFSGID: u16 = 136;
    pub const PPM_SC_PIVOT_ROOT: u16 = 137;
    pub const PPM_SC_MINCORE: u16 = 138;
    pub const PPM_SC_MADVISE: u16 = 139;
    pub const PPM_SC_GETTID: u16 = 140;
    pub const PPM_SC_SETXATTR: u16 = 141;
    pub const PPM_SC_LSETXATTR: u16 = 142;
    pub const PPM_SC_FSETXATTR: u16 = 143;
    pub const PPM_SC_GETXATTR: u16 = 144;
    pub const PPM_SC_LGETXATTR: u16 = 145;
    pub const PPM_SC_FGETXATTR: u16 = 146;
    pub const PPM_SC_LISTXATTR: u16 = 147;
    pub const PPM_SC_LLISTXATTR: u16 = 148;
    pub const PPM_SC_FLISTXATTR: u16 = 149;
    pub const PPM_SC_REMOVEXATTR: u16 = 150;
    pub const PPM_SC_LREMOVEXATTR: u16 = 151;
    pub const PPM_SC_FREMOVEXATTR: u16 = 152;
    pub const PPM_SC_TKILL: u16 = 153;
    pub const PPM_SC_FUTEX: u16 = 154;
    pub const PPM_SC_SCHED_SETAFFINITY: u16 = 155;
    pub const PPM_SC_SCHED_GETAFFINITY: u16 = 156;
    pub const PPM_SC_SET_THREAD_AREA: u16 = 157;
    pub const PPM_SC_GET_THREAD_AREA: u16 = 158;
    pub const PPM_SC_IO_SETUP: u16 = 159;
    pub const PPM_SC_IO_DESTROY: u16 = 160;
    pub const PPM_SC_IO_GETEVENTS: u16 = 161;
    pub const PPM_SC_IO_SUBMIT: u16 = 162;
    pub const PPM_SC_IO_CANCEL: u16 = 163;
    pub const PPM_SC_EXIT_GROUP: u16 = 164;
    pub const PPM_SC_EPOLL_CREATE: u16 = 165;
    pub const PPM_SC_EPOLL_CTL: u16 = 166;
    pub const PPM_SC_EPOLL_WAIT: u16 = 167;
    pub const PPM_SC_REMAP_FILE_PAGES: u16 = 168;
    pub const PPM_SC_SET_TID_ADDRESS: u16 = 169;
    pub const PPM_SC_TIMER_CREATE: u16 = 170;
    pub const PPM_SC_TIMER_SETTIME: u16 = 171;
    pub const PPM_SC_TIMER_GETTIME: u16 = 172;
    pub const PPM_SC_TIMER_GETOVERRUN: u16 = 173;
    pub const PPM_SC_TIMER_DELETE: u16 = 174;
    pub const PPM_SC_CLOCK_SETTIME: u16 = 175;
    pub const PPM_SC_CLOCK_GETTIME: u16 = 176;
    pub const PPM_SC_CLOCK_GETRES: u16 = 177;
    pub const PPM_SC_CLOCK_NANOSLEEP: u16 = 178;
    pub const PPM_SC_TGKILL: u16 = 179;
    pub const PPM_SC_UTIMES: u16 = 180;
    pub const PPM_SC_MQ_OPEN: u16 = 181;
    pub const PPM_SC_MQ_UNLINK: u16 = 182;
    pub const PPM_SC_MQ_TIMEDSEND: u16 = 183;
    pub const PPM_SC_MQ_TIMEDRECEIVE: u16 = 184;
    pub const PPM_SC_MQ_NOTIFY: u16 = 185;
    pub const PPM_SC_MQ_GETSETATTR: u16 = 186;
    pub const PPM_SC_KEXEC_LOAD: u16 = 187;
    pub const PPM_SC_WAITID: u16 = 188;
    pub const PPM_SC_ADD_KEY: u16 = 189;
    pub const PPM_SC_REQUEST_KEY: u16 = 190;
    pub const PPM_SC_KEYCTL: u16 = 191;
    pub const PPM_SC_IOPRIO_SET: u16 = 192;
    pub const PPM_SC_IOPRIO_GET: u16 = 193;
    pub const PPM_SC_INOTIFY_INIT: u16 = 194;
    pub const PPM_SC_INOTIFY_ADD_WATCH: u16 = 195;
    pub const PPM_SC_INOTIFY_RM_WATCH: u16 = 196;
    pub const PPM_SC_OPENAT: u16 = 197;
    pub const PPM_SC_MKDIRAT: u16 = 198;
    pub const PPM_SC_MKNODAT: u16 = 199;
    pub const PPM_SC_FCHOWNAT: u16 = 200;
    pub const PPM_SC_FUTIMESAT: u16 = 201;
    pub const PPM_SC_UNLINKAT: u16 = 202;
    pub const PPM_SC_RENAMEAT: u16 = 203;
    pub const PPM_SC_LINKAT: u16 = 204;
    pub const PPM_SC_SYMLINKAT: u16 = 205;
    pub const PPM_SC_READLINKAT: u16 = 206;
    pub const PPM_SC_FCHMODAT: u16 = 207;
    pub const PPM_SC_FACCESSAT: u16 = 208;
    pub const PPM_SC_PSELECT6: u16 = 209;
    pub const PPM_SC_PPOLL: u16 = 210;
    pub const PPM_SC_UNSHARE: u16 = 211;
    pub const PPM_SC_SET_ROBUST_LIST: u16 = 212;
    pub const PPM_SC_GET_ROBUST_LIST: u16 = 213;
    pub const PPM_SC_SPLICE: u16 = 214;
    pub const PPM_SC_TEE: u16 = 215;
    pub const PPM_SC_VMSPLICE: u16 = 216;
    pub const PPM_SC_GETCPU: u16 = 217;
    pub const PPM_SC_EPOLL_PWAIT: u16 = 218;
    pub const PPM_SC_UTIMENSAT: u16 = 219;
    pub const PPM_SC_SIGNALFD: u16 = 220;
    pub const PPM_SC_TIMERFD_CREATE: u16 = 221;
    pub const PPM_SC_EVENTFD: u16 = 222;
    pub const PPM_SC_TIMERFD_SETTIME: u16 = 223;
    pub const PPM_SC_TIMERFD_GETTIME: u16 = 224;
    pub const PPM_SC_SIGNALFD4: u16 = 225;
    pub const PPM_SC_EVENTFD2: u16 = 226;
    pub const PPM_SC_EPOLL_CREATE1: u16 = 227;
    pub const PPM_SC_DUP3: u16 = 228;
    pub const PPM_SC_PIPE2: u16 = 229;
    pub const PPM_SC_INOTIFY_INIT1: u16 = 230;
    pub const PPM_SC_PREADV: u16 = 231;
    pub const PPM_SC_PWRITEV: u16 = 232;
    pub const PPM_SC_RT_TGSIGQUEUEINFO: u16 = 233;
    pub const PPM_SC_PERF_EVENT_OPEN: u16 = 234;
    pub const PPM_SC_FANOTIFY_INIT: u16 = 235;
    pub const PPM_SC_PRLIMIT64: u16 = 236;
    pub const PPM_SC_CLOCK_ADJTIME: u16 = 237;
    pub const PPM_SC_SYNCFS: u16 = 238;
    pub const PPM_SC_SETNS: u16 = 239;
    pub const PPM_SC_GETDENTS64: u16 = 240;
    pub const PPM_SC_SOCKET: u16 = 241;
    pub const PPM_SC_BIND: u16 = 242;
    pub const PPM_SC_CONNECT: u16 = 243;
    pub const PPM_SC_LISTEN: u16 = 244;
    pub const PPM_SC_ACCEPT: u16 = 245;
    pub const PPM_SC_GETSOCKNAME: u16 = 246;
    pub const PPM_SC_GETPEERNAME: u16 = 247;
    pub const PPM_SC_SOCKETPAIR: u16 = 248;
    pub const PPM_SC_SENDTO: u16 = 249;
    pub const PPM_SC_RECVFROM: u16 = 250;
    pub const PPM_SC_SHUTDOWN: u16 = 251;
    pub const PPM_SC_SETSOCKOPT: u16 = 252;
    pub const PPM_SC_GETSOCKOPT: u16 = 253;
    pub const PPM_SC_SENDMSG: u16 = 254;
    pub const PPM_SC_SENDMMSG: u16 = 255;
    pub const PPM_SC_RECVMSG: u16 = 256;
    pub const PPM_SC_RECVMMSG: u16 = 257;
    pub const PPM_SC_ACCEPT4: u16 = 258;
    pub const PPM_SC_SEMOP: u16 = 259;
    pub const PPM_SC_SEMGET: u16 = 260;
    pub const PPM_SC_SEMCTL: u16 = 261;
    pub const PPM_SC_MSGSND: u16 = 262;
    pub const PPM_SC_MSGRCV: u16 = 263;
    pub const PPM_SC_MSGGET: u16 = 264;
    pub const PPM_SC_MSGCTL: u16 = 265;
    pub const PPM_SC_SHMDT: u16 = 266;
    pub const PPM_SC_SHMGET: u16 = 267;
    pub const PPM_SC_SHMCTL: u16 = 268;
    pub const PPM_SC_STATFS64: u16 = 269;
    pub const PPM_SC_FSTATFS64: u16 = 270;
    pub const PPM_SC_FSTATAT64: u16 = 271;
    pub const PPM_SC_SENDFILE64: u16 = 272;
    pub const PPM_SC_UGETRLIMIT: u16 = 273;
    pub const PPM_SC_BDFLUSH: u16 = 274;
    pub const PPM_SC_SIGPROCMASK: u16 = 275;
    pub const PPM_SC_IPC: u16 = 276;
    pub const PPM_SC_SOCKETCALL: u16 = 277;
    pub const PPM_SC_STAT64: u16 = 278;
    pub const PPM_SC_LSTAT64: u16 = 279;
    pub const PPM_SC_FSTAT64: u16 = 280;
    pub const PPM_SC_FCNTL64: u16 = 281;
    pub const PPM_SC_MMAP2: u16 = 282;
    pub const PPM_SC__NEWSELECT: u16 = 283;
    pub const PPM_SC_SGETMASK: u16 = 284;
    pub const PPM_SC_SSETMASK: u16 = 285;
    pub const PPM_SC_SIGPENDING: u16 = 286;
    pub const PPM_SC_OLDUNAME: u16 = 287;
    pub const PPM_SC_UMOUNT: u16 = 288;
    pub const PPM_SC_SIGNAL: u16 = 289;
    pub const PPM_SC_NICE: u16 = 290;
    pub const PPM_SC_STIME: u16 = 291;
    pub const PPM_SC__LLSEEK: u16 = 292;
    pub const PPM_SC_WAITPID: u16 = 293;
    pub const PPM_SC_PREAD64: u16 = 294;
    pub const PPM_SC_PWRITE64: u16 = 295;
    pub const PPM_SC_ARCH_PRCTL: u16 = 296;
    pub const PPM_SC_SHMAT: u16 = 297;
    pub const PPM_SC_RT_SIGRETURN: u16 = 298;
    pub const PPM_SC_FALLOCATE: u16 = 299;
    pub const PPM_SC_NEWFSTATAT: u16 = 300;
    pub const PPM_SC_PROCESS_VM_READV: u16 = 301;
    pub const PPM_SC_PROCESS_VM_WRITEV: u16 = 302;
    pub const PPM_SC_FORK: u16 = 303;
    pub const PPM_SC_VFORK: u16 = 304;
    pub const PPM_SC_SETUID32: u16 = 305;
    pub const PPM_SC_GETUID32: u16 = 306;
    pub const PPM_SC_SETGID32: u16 = 307;
    pub const PPM_SC_GETEUID32: u16 = 308;
    pub const PPM_SC_GETGID32: u16 = 309;
    pub const PPM_SC_SETRESUID32: u16 = 310;
    pub const PPM_SC_SETRESGID32: u16 = 311;
    pub const PPM_SC_GETRESUID32: u16 = 312;
    pub const PPM_SC_GETRESGID32: u16 = 313;
    pub const PPM_SC_FINIT_MODULE: u16 = 314;
    pub const PPM_SC_BPF: u16 = 315;
    pub const PPM_SC_SECCOMP: u16 = 316;
    pub const PPM_SC_SIGALTSTACK: u16 = 317;
    pub const PPM_SC_GETRANDOM: u16 = 318;
    pub const PPM_SC_FADVISE64: u16 = 319;
    pub const PPM_SC_RENAMEAT2: u16 = 320;
    pub const PPM_SC_USERFAULTFD: u16 = 321;
    pub const PPM_SC_OPENAT2: u16 = 322;
    pub const PPM_SC_UMOUNT2: u16 = 323;
    pub const PPM_SC_EXECVE: u16 = 324;
    pub const PPM_SC_EXECVEAT: u16 = 325;
    pub const PPM_SC_COPY_FILE_RANGE: u16 = 326;
    pub const PPM_SC_CLONE: u16 = 327;
    pub const PPM_SC_CLONE3: u16 = 328;
    pub const PPM_SC_OPEN_BY_HANDLE_AT: u16 = 329;
    pub const PPM_SC_IO_URING_SETUP: u16 = 330;
    pub const PPM_SC_IO_URING_ENTER: u16 = 331;
    pub const PPM_SC_IO_URING_REGISTER: u16 = 332;
    pub const PPM_SC_MLOCK2: u16 = 333;
    pub const PPM_SC_GETEGID32: u16 = 334;
    pub const PPM_SC_FSCONFIG: u16 = 335;
    pub const PPM_SC_FSPICK: u16 = 336;
    pub const PPM_SC_FSMOUNT: u16 = 337;
    pub const PPM_SC_FSOPEN: u16 = 338;
    pub const PPM_SC_OPEN_TREE: u16 = 339;
    pub const PPM_SC_MOVE_MOUNT: u16 = 340;
    pub const PPM_SC_MOUNT_SETATTR: u16 = 341;
    pub const PPM_SC_MEMFD_CREATE: u16 = 342;
    pub const PPM_SC_MEMFD_SECRET: u16 = 343;
    pub const PPM_SC_IOPERM: u16 = 344;
    pub const PPM_SC_KEXEC_FILE_LOAD: u16 = 345;
    pub const PPM_SC_PIDFD_GETFD: u16 = 346;
    pub const PPM_SC_PIDFD_OPEN: u16 = 347;
    pub const PPM_SC_PIDFD_SEND_SIGNAL: u16 = 348;
    pub const PPM_SC_PKEY_ALLOC: u16 = 349;
    pub const PPM_SC_PKEY_MPROTECT: u16 = 350;
    pub const PPM_SC_PKEY_FREE: u16 = 351;
    pub const PPM_SC_LANDLOCK_CREATE_RULESET: u16 = 352;
    pub const PPM_SC_QUOTACTL_FD: u16 = 353;
    pub const PPM_SC_LANDLOCK_RESTRICT_SELF: u16 = 354;
    pub const PPM_SC_LANDLOCK_ADD_RULE: u16 = 355;
    pub const PPM_SC_EPOLL_PWAIT2: u16 = 356;
    pub const PPM_SC_MIGRATE_PAGES: u16 = 357;
    pub const PPM_SC_MOVE_PAGES: u16 = 358;
    pub const PPM_SC_PREADV2: u16 = 359;
    pub const PPM_SC_PWRITEV2: u16 = 360;
    pub const PPM_SC_KCMP: u16 = 361;
    pub const PPM_SC_SCHED_SETATTR: u16 = 362;
    pub const PPM_SC_MBIND: u16 = 363;
    pub const PPM_SC_EPOLL_CTL_OLD: u16 = 364;
    pub const PPM_SC_LOOKUP_DCOOKIE: u16 = 365;
    pub const PPM_SC_MODIFY_LDT: u16 = 366;
    pub const PPM_SC_STATX: u16 = 367;
    pub const PPM_SC_SET_MEMPOLICY: u16 = 368;
    pub const PPM_SC_IO_PGETEVENTS: u16 = 369;
    pub const PPM_SC_SET_MEMPOLICY_HOME_NODE: u16 = 370;
    pub const PPM_SC_SEMTIMEDOP: u16 = 371;
    pub const PPM_SC_GET_KERNEL_SYMS: u16 = 372;
    pub const PPM_SC_READAHEAD: u16 = 373;
    pub const PPM_SC_FUTEX_WAITV: u16 = 374;
    pub const PPM_SC_GETPMSG: u16 = 375;
    pub const PPM_SC_NAME_TO_HANDLE_AT: u16 = 376;
    pub const PPM_SC_PROCESS_MRELEASE: u16 = 377;
    pub const PPM_SC_NFSSERVCTL: u16 = 378;
    pub const PPM_SC_EPOLL_WAIT_OLD: u16 = 379;
    pub const PPM_SC_RSEQ: u16 = 380;
    pub const PPM_SC_CREATE_MODULE: u16 = 381;
    pub const PPM_SC_SCHED_GETATTR: u16 = 383;
    pub const PPM_SC_FACCESSAT2: u16 = 384;
    pub const PPM_SC__SYSCTL: u16 = 385;
    pub const PPM_SC_QUERY_MODULE: u16 = 386;
    pub const PPM_SC_GET_MEMPOLICY: u16 = 387;
    pub const PPM_SC_SYNC_FILE_RANGE: u16 = 388;
    pub const PPM_SC_PROCESS_MADVISE: u16 = 389;
    pub const PPM_SC_MEMBARRIER: u16 = 390;
    pub const PPM_SC_IOPL: u16 = 391;
    pub const PPM_SC_CLOSE_RANGE: u16 = 392;
    pub const PPM_SC_FANOTIFY_MARK: u16 = 393;
    pub const PPM_SC_RECV: u16 = 394;
    pub const PPM_SC_SEND: u16 = 395;
    pub const PPM_SC_SCHED_PROCESS_EXIT: u16 = 396;
    pub const PPM_SC_SCHED_SWITCH: u16 = 397;
    pub const PPM_SC_PAGE_FAULT_USER: u16 = 398;
    pub const PPM_SC_PAGE_FAULT_KERNEL: u16 = 399;
    pub const PPM_SC_SIGNAL_DELIVER: u16 = 400;
    pub const PPM_SC_TIMERFD: u16 = 401;
    pub const PPM_SC_S390_PCI_MMIO_READ: u16 = 402;
    pub const PPM_SC_SIGACTION: u16 = 403;
    pub const PPM_SC_S390_PCI_MMIO_WRITE: u16 = 404;
    pub const PPM_SC_READDIR: u16 = 405;
    pub const PPM_SC_S390_STHYI: u16 = 406;
    pub const PPM_SC_SIGSUSPEND: u16 = 407;
    pub const PPM_SC_IDLE: u16 = 408;
    pub const PPM_SC_S390_RUNTIME_INSTR: u16 = 409;
    pub const PPM_SC_SIGRETURN: u16 = 410;
    pub const PPM_SC_S390_GUARDED_STORAGE: u16 = 411;
    pub const PPM_SC_CACHESTAT: u16 = 412;
    pub const PPM_SC_FCHMODAT2: u16 = 413;
    pub const PPM_SC_MAP_SHADOW_STACK: u16 = 414;
    pub const PPM_SC_RISCV_FLUSH_ICACHE: u16 = 415;
    pub const PPM_SC_RISCV_HWPROBE: u16 = 416;
    pub const PPM_SC_FUTEX_WAKE: u16 = 417;
    pub const PPM_SC_FUTEX_REQUEUE: u16 = 418;
    pub const PPM_SC_FUTEX_WAIT: u16 = 419;
    pub const PPM_SC_OLDSTAT: u16 = 420;
    pub const PPM_SC_SWITCH_ENDIAN: u16 = 421;
    pub const PPM_SC_MULTIPLEXER: u16 = 422;
    pub const PPM_SC_OLDLSTAT: u16 = 423;
    pub const PPM_SC_SPU_CREATE: u16 = 424;
    pub const PPM_SC_SYNC_FILE_RANGE2: u16 = 425;
    pub const PPM_SC_OLDFSTAT: u16 = 426;
    pub const PPM_SC_SPU_RUN: u16 = 427;
    pub const PPM_SC_SWAPCONTEXT: u16 = 428;
    pub const PPM_SC_PCICONFIG_WRITE: u16 = 429;
    pub const PPM_SC_RTAS: u16 = 430;
    pub const PPM_SC_PCICONFIG_READ: u16 = 431;
    pub const PPM_SC_SYS_DEBUG_SETCONTEXT: u16 = 432;
    pub const PPM_SC_VM86: u16 = 433;
    pub const PPM_SC_OLDOLDUNAME: u16 = 434;
    pub const PPM_SC_SUBPAGE_PROT: u16 = 435;
    pub const PPM_SC_PCICONFIG_IOBASE: u16 = 436;
    pub const PPM_SC_LISTMOUNT: u16 = 437;
    pub const PPM_SC_STATMOUNT: u16 = 438;
    pub const PPM_SC_LSM_GET_SELF_ATTR: u16 = 439;
    pub const PPM_SC_LSM_SET_SELF_ATTR: u16 = 440;
    pub const PPM_SC_LSM_LIST_MODULES: u16 = 441;
    pub const PPM_SC_MSEAL: u16 = 442;
    pub const PPM_SC_MAX: u16 = 443;

    /// What an x86_64 syscall number produces: its enter and exit event types and its syscall code.
    #[derive(Clone, Copy)]
    pub struct SyscallEntry {
        pub enter: u16,
        pub exit: u16,
        pub ppm_sc: u16,
    }

    const fn sc(enter: u16, exit: u16, ppm_sc: u16) -> SyscallEntry {
        SyscallEntry {
            enter,
            exit,
            ppm_sc,
        }
    }

    /// Syscalls without a dedicated event pair use the generic one.
    const fn generic(ppm_sc: u16) -> SyscallEntry {
        sc(GENERIC_E, GENERIC_X, ppm_sc)
    }

    /// x86_64 syscall number -> current (non-EF_OLD_VERSION) events and syscall code, as libs
    /// `driver/syscall_table.c` maps them. Numbers no syscall has (or without a ppm_sc code) are generic/UNKNOWN.
    pub static X86_64: [SyscallEntry; SYSCALL_TABLE_SIZE] = {
        let mut t = [generic(PPM_SC_UNKNOWN); SYSCALL_TABLE_SIZE];
        t[0] = sc(SYSCALL_READ_E, SYSCALL_READ_X, PPM_SC_READ);
        t[1] = sc(SYSCALL_WRITE_E, SYSCALL_WRITE_X, PPM_SC_WRITE);
        t[2] = sc(SYSCALL_OPEN_E, SYSCALL_OPEN_X, PPM_SC_OPEN);
        t[3] = sc(SYSCALL_CLOSE_E, SYSCALL_CLOSE_X, PPM_SC_CLOSE);
        t[4] = sc(SYSCALL_STAT_E, SYSCALL_STAT_X, PPM_SC_STAT);
        t[5] = sc(SYSCALL_FSTAT_E, SYSCALL_FSTAT_X, PPM_SC_FSTAT);
        t[6] = sc(SYSCALL_LSTAT_E, SYSCALL_LSTAT_X, PPM_SC_LSTAT);
        t[7] = sc(SYSCALL_POLL_E, SYSCALL_POLL_X, PPM_SC_POLL);
        t[8] = sc(SYSCALL_LSEEK_E, SYSCALL_LSEEK_X, PPM_SC_LSEEK);
        t[9] = sc(SYSCALL_MMAP_E, SYSCALL_MMAP_X, PPM_SC_MMAP);
        t[10] = sc(SYSCALL_MPROTECT_E, SYSCALL_MPROTECT_X, PPM_SC_MPROTECT);
        t[11] = sc(SYSCALL_MUNMAP_E, SYSCALL_MUNMAP_X, PPM_SC_MUNMAP);
        t[12] = sc(SYSCALL_BRK_4_E, SYSCALL_BRK_4_X, PPM_SC_BRK);
        t[13] = generic(PPM_SC_RT_SIGACTION);
        t[14] = generic(PPM_SC_RT_SIGPROCMASK);
        t[15] = generic(PPM_SC_RT_SIGRETURN);
        t[16] = sc(SYSCALL_IOCTL_3_E, SYSCALL_IOCTL_3_X, PPM_SC_IOCTL);
        t[17] = sc(SYSCALL_PREAD_E, SYSCALL_PREAD_X, PPM_SC_PREAD64);
        t[18] = sc(SYSCALL_PWRITE_E, SYSCALL_PWRITE_X, PPM_SC_PWRITE64);
        t[19] = sc(SYSCALL_READV_E, SYSCALL_READV_X, PPM_SC_READV);
        t[20] = sc(SYSCALL_WRITEV_E, SYSCALL_WRITEV_X, PPM_SC_WRITEV);
        t[21] = sc(SYSCALL_ACCESS_E, SYSCALL_ACCESS_X, PPM_SC_ACCESS);
        t[22] = sc(SYSCALL_PIPE_E, SYSCALL_PIPE_X, PPM_SC_PIPE);
        t[23] = sc(SYSCALL_SELECT_E, SYSCALL_SELECT_X, PPM_SC_SELECT);
        t[24] = generic(PPM_SC_SCHED_YIELD);
        t[25] = generic(PPM_SC_MREMAP);
        t[26] = generic(PPM_SC_MSYNC);
        t[27] = generic(PPM_SC_MINCORE);
        t[28] = generic(PPM_SC_MADVISE);
        t[29] = generic(PPM_SC_SHMGET);
        t[30] = generic(PPM_SC_SHMAT);
        t[31] = generic(PPM_SC_SHMCTL);
        t[32] = sc(SYSCALL_DUP_1_E, SYSCALL_DUP_1_X, PPM_SC_DUP);
        t[33] = sc(SYSCALL_DUP2_E, SYSCALL_DUP2_X, PPM_SC_DUP2);
        t[34] = generic(PPM_SC_PAUSE);
        t[35] = sc(SYSCALL_NANOSLEEP_E, SYSCALL_NANOSLEEP_X, PPM_SC_NANOSLEEP);
        t[36] = generic(PPM_SC_GETITIMER);
        t[37] = generic(PPM_SC_ALARM);
        t[38] = generic(PPM_SC_SETITIMER);
        t[39] = generic(PPM_SC_GETPID);
        t[40] = sc(SYSCALL_SENDFILE_E, SYSCALL_SENDFILE_X, PPM_SC_SENDFILE);
        t[41] = sc(SOCKET_SOCKET_E, SOCKET_SOCKET_X, PPM_SC_SOCKET);
        t[42] = sc(SOCKET_CONNECT_E, SOCKET_CONNECT_X, PPM_SC_CONNECT);
        t[43] = sc(SOCKET_ACCEPT_5_E, SOCKET_ACCEPT_5_X, PPM_SC_ACCEPT);
        t[44] = sc(SOCKET_SENDTO_E, SOCKET_SENDTO_X, PPM_SC_SENDTO);
        t[45] = sc(SOCKET_RECVFROM_E, SOCKET_RECVFROM_X, PPM_SC_RECVFROM);
        t[46] = sc(SOCKET_SENDMSG_E, SOCKET_SENDMSG_X, PPM_SC_SENDMSG);
        t[47] = sc(SOCKET_RECVMSG_E, SOCKET_RECVMSG_X, PPM_SC_RECVMSG);
        t[48] = sc(SOCKET_SHUTDOWN_E, SOCKET_SHUTDOWN_X, PPM_SC_SHUTDOWN);
        t[49] = sc(SOCKET_BIND_E, SOCKET_BIND_X, PPM_SC_BIND);
        t[50] = sc(SOCKET_LISTEN_E, SOCKET_LISTEN_X, PPM_SC_LISTEN);
        t[51] = sc(
            SOCKET_GETSOCKNAME_E,
            SOCKET_GETSOCKNAME_X,
            PPM_SC_GETSOCKNAME,
        );
        t[52] = sc(
            SOCKET_GETPEERNAME_E,
            SOCKET_GETPEERNAME_X,
            PPM_SC_GETPEERNAME,
        );
        t[53] = sc(SOCKET_SOCKETPAIR_E, SOCKET_SOCKETPAIR_X, PPM_SC_SOCKETPAIR);
        t[54] = sc(SOCKET_SETSOCKOPT_E, SOCKET_SETSOCKOPT_X, PPM_SC_SETSOCKOPT);
        t[55] = sc(SOCKET_GETSOCKOPT_E, SOCKET_GETSOCKOPT_X, PPM_SC_GETSOCKOPT);
        t[56] = sc(SYSCALL_CLONE_20_E, SYSCALL_CLONE_20_X, PPM_SC_CLONE);
        t[57] = sc(SYSCALL_FORK_20_E, SYSCALL_FORK_20_X, PPM_SC_FORK);
        t[58] = sc(SYSCALL_VFORK_20_E, SYSCALL_VFORK_20_X, PPM_SC_VFORK);
        t[59] = sc(SYSCALL_EXECVE_19_E, SYSCALL_EXECVE_19_X, PPM_SC_EXECVE);
        t[60] = generic(PPM_SC_EXIT);
        t[61] = generic(PPM_SC_WAIT4);
        t[62] = sc(SYSCALL_KILL_E, SYSCALL_KILL_X, PPM_SC_KILL);
        t[63] = generic(PPM_SC_UNAME);
        t[64] = sc(SYSCALL_SEMGET_E, SYSCALL_SEMGET_X, PPM_SC_SEMGET);
        t[65] = sc(SYSCALL_SEMOP_E, SYSCALL_SEMOP_X, PPM_SC_SEMOP);
        t[66] = sc(SYSCALL_SEMCTL_E, SYSCALL_SEMCTL_X, PPM_SC_SEMCTL);
        t[67] = generic(PPM_SC_SHMDT);
        t[68] = generic(PPM_SC_MSGGET);
        t[69] = generic(PPM_SC_MSGSND);
        t[70] = generic(PPM_SC_MSGRCV);
        t[71] = generic(PPM_SC_MSGCTL);
        t[72] = sc(SYSCALL_FCNTL_E, SYSCALL_FCNTL_X, PPM_SC_FCNTL);
        t[73] = sc(SYSCALL_FLOCK_E, SYSCALL_FLOCK_X, PPM_SC_FLOCK);
        t[74] = generic(PPM_SC_FSYNC);
        t[75] = generic(PPM_SC_FDATASYNC);
        t[76] = generic(PPM_SC_TRUNCATE);
        t[77] = generic(PPM_SC_FTRUNCATE);
        t[78] = sc(SYSCALL_GETDENTS_E, SYSCALL_GETDENTS_X, PPM_SC_GETDENTS);
        t[79] = sc(SYSCALL_GETCWD_E, SYSCALL_GETCWD_X, PPM_SC_GETCWD);
        t[80] = sc(SYSCALL_CHDIR_E, SYSCALL_CHDIR_X, PPM_SC_CHDIR);
        t[81] = sc(SYSCALL_FCHDIR_E, SYSCALL_FCHDIR_X, PPM_SC_FCHDIR);
        t[82] = sc(SYSCALL_RENAME_E, SYSCALL_RENAME_X, PPM_SC_RENAME);
        t[83] = sc(SYSCALL_MKDIR_2_E, SYSCALL_MKDIR_2_X, PPM_SC_MKDIR);
        t[84] = sc(SYSCALL_RMDIR_2_E, SYSCALL_RMDIR_2_X, PPM_SC_RMDIR);
        t[85] = sc(SYSCALL_CREAT_E, SYSCALL_CREAT_X, PPM_SC_CREAT);
        t[86] = sc(SYSCALL_LINK_2_E, SYSCALL_LINK_2_X, PPM_SC_LINK);
        t[87] = sc(SYSCALL_UNLINK_2_E, SYSCALL_UNLINK_2_X, PPM_SC_UNLINK);
        t[88] = sc(SYSCALL_SYMLINK_E, SYSCALL_SYMLINK_X, PPM_SC_SYMLINK);
        t[89] = generic(PPM_SC_READLINK);
        t[90] = sc(SYSCALL_CHMOD_E, SYSCALL_CHMOD_X, PPM_SC_CHMOD);
        t[91] = sc(SYSCALL_FCHMOD_E, SYSCALL_FCHMOD_X, PPM_SC_FCHMOD);
        t[92] = sc(SYSCALL_CHOWN_E, SYSCALL_CHOWN_X, PPM_SC_CHOWN);
        t[93] = sc(SYSCALL_FCHOWN_E, SYSCALL_FCHOWN_X, PPM_SC_FCHOWN);
        t[94] = sc(SYSCALL_LCHOWN_E, SYSCALL_LCHOWN_X, PPM_SC_LCHOWN);
        t[95] = generic(PPM_SC_UMASK);
        t[96] = generic(PPM_SC_GETTIMEOFDAY);
        t[97] = sc(SYSCALL_GETRLIMIT_E, SYSCALL_GETRLIMIT_X, PPM_SC_GETRLIMIT);
        t[98] = generic(PPM_SC_GETRUSAGE);
        t[99] = generic(PPM_SC_SYSINFO);
        t[100] = generic(PPM_SC_TIMES);
        t[101] = sc(SYSCALL_PTRACE_E, SYSCALL_PTRACE_X, PPM_SC_PTRACE);
        t[102] = sc(SYSCALL_GETUID_E, SYSCALL_GETUID_X, PPM_SC_GETUID);
        t[103] = generic(PPM_SC_SYSLOG);
        t[104] = sc(SYSCALL_GETGID_E, SYSCALL_GETGID_X, PPM_SC_GETGID);
        t[105] = sc(SYSCALL_SETUID_E, SYSCALL_SETUID_X, PPM_SC_SETUID);
        t[106] = sc(SYSCALL_SETGID_E, SYSCALL_SETGID_X, PPM_SC_SETGID);
        t[107] = sc(SYSCALL_GETEUID_E, SYSCALL_GETEUID_X, PPM_SC_GETEUID);
        t[108] = sc(SYSCALL_GETEGID_E, SYSCALL_GETEGID_X, PPM_SC_GETEGID);
        t[109] = sc(SYSCALL_SETPGID_E, SYSCALL_SETPGID_X, PPM_SC_SETPGID);
        t[110] = generic(PPM_SC_GETPPID);
        t[111] = generic(PPM_SC_GETPGRP);
        t[112] = sc(SYSCALL_SETSID_E, SYSCALL_SETSID_X, PPM_SC_SETSID);
        t[113] = sc(SYSCALL_SETREUID_E, SYSCALL_SETREUID_X, PPM_SC_SETREUID); // a dedicated event pair since schema ids 420..429; older drivers sent the generic event
        t[114] = sc(SYSCALL_SETREGID_E, SYSCALL_SETREGID_X, PPM_SC_SETREGID); // a dedicated event pair since schema ids 420..429; older drivers sent the generic event
        t[115] = generic(PPM_SC_GETGROUPS);
        t[116] = generic(PPM_SC_SETGROUPS);
        t[117] = sc(SYSCALL_SETRESUID_E, SYSCALL_SETRESUID_X, PPM_SC_SETRESUID);
        t[118] = sc(SYSCALL_GETRESUID_E, SYSCALL_GETRESUID_X, PPM_SC_GETRESUID);
        t[119] = sc(SYSCALL_SETRESGID_E, SYSCALL_SETRESGID_X, PPM_SC_SETRESGID);
        t[120] = sc(SYSCALL_GETRESGID_E, SYSCALL_GETRESGID_X, PPM_SC_GETRESGID);
        t[121] = generic(PPM_SC_GETPGID);
        t[122] = generic(PPM_SC_SETFSUID);
        t[123] = generic(PPM_SC_SETFSGID);
        t[124] = generic(PPM_SC_GETSID);
        t[125] = generic(PPM_SC_CAPGET);
        t[126] = sc(SYSCALL_CAPSET_E, SYSCALL_CAPSET_X, PPM_SC_CAPSET);
        t[127] = generic(PPM_SC_RT_SIGPENDING);
        t[128] = generic(PPM_SC_RT_SIGTIMEDWAIT);
        t[129] = generic(PPM_SC_RT_SIGQUEUEINFO);
        t[130] = generic(PPM_SC_RT_SIGSUSPEND);
        t[131] = generic(PPM_SC_SIGALTSTACK);
        t[132] = generic(PPM_SC_UTIME);
        t[133] = sc(SYSCALL_MKNOD_E, SYSCALL_MKNOD_X, PPM_SC_MKNOD);
        t[134] = generic(PPM_SC_USELIB);
        t[135] = generic(PPM_SC_PERSONALITY);
        t[136] = generic(PPM_SC_USTAT);
        t[137] = generic(PPM_SC_STATFS);
        t[138] = generic(PPM_SC_FSTATFS);
        t[139] = generic(PPM_SC_SYSFS);
        t[140] = generic(PPM_SC_GETPRIORITY);
        t[141] = generic(PPM_SC_SETPRIORITY);
        t[142] = generic(PPM_SC_SCHED_SETPARAM);
        t[143] = generic(PPM_SC_SCHED_GETPARAM);
        t[144] = generic(PPM_SC_SCHED_SETSCHEDULER);
        t[145] = generic(PPM_SC_SCHED_GETSCHEDULER);
        t[146] = generic(PPM_SC_SCHED_GET_PRIORITY_MAX);
        t[147] = generic(PPM_SC_SCHED_GET_PRIORITY_MIN);
        t[148] = generic(PPM_SC_SCHED_RR_GET_INTERVAL);
        t[149] = sc(SYSCALL_MLOCK_E, SYSCALL_MLOCK_X, PPM_SC_MLOCK);
        t[150] = sc(SYSCALL_MUNLOCK_E, SYSCALL_MUNLOCK_X, PPM_SC_MUNLOCK);
        t[151] = sc(SYSCALL_MLOCKALL_E, SYSCALL_MLOCKALL_X, PPM_SC_MLOCKALL);
        t[152] = sc(
            SYSCALL_MUNLOCKALL_E,
            SYSCALL_MUNLOCKALL_X,
            PPM_SC_MUNLOCKALL,
        );
        t[153] = generic(PPM_SC_VHANGUP);
        t[154] = generic(PPM_SC_MODIFY_LDT);
        t[155] = generic(PPM_SC_PIVOT_ROOT);
        t[156] = generic(PPM_SC__SYSCTL);
        t[157] = sc(SYSCALL_PRCTL_E, SYSCALL_PRCTL_X, PPM_SC_PRCTL);
        t[158] = generic(PPM_SC_ARCH_PRCTL);
        t[159] = generic(PPM_SC_ADJTIMEX);
        t[160] = sc(SYSCALL_SETRLIMIT_E, SYSCALL_SETRLIMIT_X, PPM_SC_SETRLIMIT);
        t[161] = sc(SYSCALL_CHROOT_E, SYSCALL_CHROOT_X, PPM_SC_CHROOT);
        t[162] = generic(PPM_SC_SYNC);
        t[163] = generic(PPM_SC_ACCT);
        t[164] = generic(PPM_SC_SETTIMEOFDAY);
        t[165] = sc(SYSCALL_MOUNT_E, SYSCALL_MOUNT_X, PPM_SC_MOUNT);
        t[166] = sc(SYSCALL_UMOUNT2_E, SYSCALL_UMOUNT2_X, PPM_SC_UMOUNT2);
        t[167] = generic(PPM_SC_SWAPON);
        t[168] = generic(PPM_SC_SWAPOFF);
        t[169] = generic(PPM_SC_REBOOT);
        t[170] = generic(PPM_SC_SETHOSTNAME);
        t[171] = generic(PPM_SC_SETDOMAINNAME);
        t[172] = generic(PPM_SC_IOPL);
        t[173] = generic(PPM_SC_IOPERM);
        t[174] = generic(PPM_SC_CREATE_MODULE);
        t[175] = sc(
            SYSCALL_INIT_MODULE_E,
            SYSCALL_INIT_MODULE_X,
            PPM_SC_INIT_MODULE,
        );
        t[176] = sc(
            SYSCALL_DELETE_MODULE_E,
            SYSCALL_DELETE_MODULE_X,
            PPM_SC_DELETE_MODULE,
        ); // a dedicated event pair since schema ids 420..429; older drivers sent the generic event
        t[177] = generic(PPM_SC_GET_KERNEL_SYMS);
        t[178] = generic(PPM_SC_QUERY_MODULE);
        t[179] = sc(SYSCALL_QUOTACTL_E, SYSCALL_QUOTACTL_X, PPM_SC_QUOTACTL);
        t[180] = generic(PPM_SC_NFSSERVCTL);
        t[181] = generic(PPM_SC_GETPMSG);
        // 182 putpmsg: no ppm_sc code
        // 183 afs_syscall: no ppm_sc code
        // 184 tuxcall: no ppm_sc code
        // 185 security: no ppm_sc code
        t[186] = generic(PPM_SC_GETTID);
        t[187] = generic(PPM_SC_READAHEAD);
        t[188] = generic(PPM_SC_SETXATTR);
        t[189] = generic(PPM_SC_LSETXATTR);
        t[190] = generic(PPM_SC_FSETXATTR);
        t[191] = generic(PPM_SC_GETXATTR);
        t[192] = generic(PPM_SC_LGETXATTR);
        t[193] = generic(PPM_SC_FGETXATTR);
        t[194] = generic(PPM_SC_LISTXATTR);
        t[195] = generic(PPM_SC_LLISTXATTR);
        t[196] = generic(PPM_SC_FLISTXATTR);
        t[197] = generic(PPM_SC_REMOVEXATTR);
        t[198] = generic(PPM_SC_LREMOVEXATTR);
        t[199] = generic(PPM_SC_FREMOVEXATTR);
        t[200] = sc(SYSCALL_TKILL_E, SYSCALL_TKILL_X, PPM_SC_TKILL);
        t[201] = generic(PPM_SC_TIME);
        t[202] = sc(SYSCALL_FUTEX_E, SYSCALL_FUTEX_X, PPM_SC_FUTEX);
        t[203] = generic(PPM_SC_SCHED_SETAFFINITY);
        t[204] = generic(PPM_SC_SCHED_GETAFFINITY);
        t[205] = generic(PPM_SC_SET_THREAD_AREA);
        t[206] = generic(PPM_SC_IO_SETUP);
        t[207] = generic(PPM_SC_IO_DESTROY);
        t[208] = generic(PPM_SC_IO_GETEVENTS);
        t[209] = generic(PPM_SC_IO_SUBMIT);
        t[210] = generic(PPM_SC_IO_CANCEL);
        t[211] = generic(PPM_SC_GET_THREAD_AREA);
        t[212] = generic(PPM_SC_LOOKUP_DCOOKIE);
        t[213] = sc(
            SYSCALL_EPOLL_CREATE_E,
            SYSCALL_EPOLL_CREATE_X,
            PPM_SC_EPOLL_CREATE,
        );
        t[214] = generic(PPM_SC_EPOLL_CTL_OLD);
        t[215] = generic(PPM_SC_EPOLL_WAIT_OLD);
        t[216] = generic(PPM_SC_REMAP_FILE_PAGES);
        t[217] = sc(
            SYSCALL_GETDENTS64_E,
            SYSCALL_GETDENTS64_X,
            PPM_SC_GETDENTS64,
        );
        t[218] = generic(PPM_SC_SET_TID_ADDRESS);
        t[219] = generic(PPM_SC_RESTART_SYSCALL);
        t[220] = generic(PPM_SC_SEMTIMEDOP);
        t[221] = generic(PPM_SC_FADVISE64);
        t[222] = generic(PPM_SC_TIMER_CREATE);
        t[223] = generic(PPM_SC_TIMER_SETTIME);
        t[224] = generic(PPM_SC_TIMER_GETTIME);
        t[225] = generic(PPM_SC_TIMER_GETOVERRUN);
        t[226] = generic(PPM_SC_TIMER_DELETE);
        t[227] = generic(PPM_SC_CLOCK_SETTIME);
        t[228] = generic(PPM_SC_CLOCK_GETTIME);
        t[229] = generic(PPM_SC_CLOCK_GETRES);
        t[230] = generic(PPM_SC_CLOCK_NANOSLEEP);
        t[231] = generic(PPM_SC_EXIT_GROUP);
        t[232] = sc(SYSCALL_EPOLLWAIT_E, SYSCALL_EPOLLWAIT_X, PPM_SC_EPOLL_WAIT);
        t[233] = generic(PPM_SC_EPOLL_CTL);
        t[234] = sc(SYSCALL_TGKILL_E, SYSCALL_TGKILL_X, PPM_SC_TGKILL);
        t[235] = generic(PPM_SC_UTIMES);
        // 236 vserver: no ppm_sc code
        t[237] = generic(PPM_SC_MBIND);
        t[238] = generic(PPM_SC_SET_MEMPOLICY);
        t[239] = generic(PPM_SC_GET_MEMPOLICY);
        t[240] = generic(PPM_SC_MQ_OPEN);
        t[241] = generic(PPM_SC_MQ_UNLINK);
        t[242] = generic(PPM_SC_MQ_TIMEDSEND);
        t[243] = generic(PPM_SC_MQ_TIMEDRECEIVE);
        t[244] = generic(PPM_SC_MQ_NOTIFY);
        t[245] = generic(PPM_SC_MQ_GETSETATTR);
        t[246] = generic(PPM_SC_KEXEC_LOAD);
        t[247] = generic(PPM_SC_WAITID);
        t[248] = generic(PPM_SC_ADD_KEY);
        t[249] = generic(PPM_SC_REQUEST_KEY);
        t[250] = generic(PPM_SC_KEYCTL);
        t[251] = generic(PPM_SC_IOPRIO_SET);
        t[252] = generic(PPM_SC_IOPRIO_GET);
        t[253] = sc(
            SYSCALL_INOTIFY_INIT_E,
            SYSCALL_INOTIFY_INIT_X,
            PPM_SC_INOTIFY_INIT,
        );
        t[254] = generic(PPM_SC_INOTIFY_ADD_WATCH);
        t[255] = generic(PPM_SC_INOTIFY_RM_WATCH);
        t[256] = generic(PPM_SC_MIGRATE_PAGES);
        t[257] = sc(SYSCALL_OPENAT_2_E, SYSCALL_OPENAT_2_X, PPM_SC_OPENAT);
        t[258] = sc(SYSCALL_MKDIRAT_E, SYSCALL_MKDIRAT_X, PPM_SC_MKDIRAT);
        t[259] = sc(SYSCALL_MKNODAT_E, SYSCALL_MKNODAT_X, PPM_SC_MKNODAT);
        t[260] = sc(SYSCALL_FCHOWNAT_E, SYSCALL_FCHOWNAT_X, PPM_SC_FCHOWNAT);
        t[261] = generic(PPM_SC_FUTIMESAT);
        t[262] = sc(
            SYSCALL_NEWFSTATAT_E,
            SYSCALL_NEWFSTATAT_X,
            PPM_SC_NEWFSTATAT,
        );
        t[263] = sc(SYSCALL_UNLINKAT_2_E, SYSCALL_UNLINKAT_2_X, PPM_SC_UNLINKAT);
        t[264] = sc(SYSCALL_RENAMEAT_E, SYSCALL_RENAMEAT_X, PPM_SC_RENAMEAT);
        t[265] = sc(SYSCALL_LINKAT_2_E, SYSCALL_LINKAT_2_X, PPM_SC_LINKAT);
        t[266] = sc(SYSCALL_SYMLINKAT_E, SYSCALL_SYMLINKAT_X, PPM_SC_SYMLINKAT);
        t[267] = generic(PPM_SC_READLINKAT);
        t[268] = sc(SYSCALL_FCHMODAT_E, SYSCALL_FCHMODAT_X, PPM_SC_FCHMODAT);
        t[269] = generic(PPM_SC_FACCESSAT);
        t[270] = generic(PPM_SC_PSELECT6);
        t[271] = sc(SYSCALL_PPOLL_E, SYSCALL_PPOLL_X, PPM_SC_PPOLL);
        t[272] = sc(SYSCALL_UNSHARE_E, SYSCALL_UNSHARE_X, PPM_SC_UNSHARE);
        t[273] = generic(PPM_SC_SET_ROBUST_LIST);
        t[274] = generic(PPM_SC_GET_ROBUST_LIST);
        t[275] = sc(SYSCALL_SPLICE_E, SYSCALL_SPLICE_X, PPM_SC_SPLICE);
        t[276] = generic(PPM_SC_TEE);
        t[277] = generic(PPM_SC_SYNC_FILE_RANGE);
        t[278] = generic(PPM_SC_VMSPLICE);
        t[279] = generic(PPM_SC_MOVE_PAGES);
        t[280] = generic(PPM_SC_UTIMENSAT);
        t[281] = generic(PPM_SC_EPOLL_PWAIT);
        t[282] = sc(SYSCALL_SIGNALFD_E, SYSCALL_SIGNALFD_X, PPM_SC_SIGNALFD);
        t[283] = sc(
            SYSCALL_TIMERFD_CREATE_E,
            SYSCALL_TIMERFD_CREATE_X,
            PPM_SC_TIMERFD_CREATE,
        );
        t[284] = sc(SYSCALL_EVENTFD_E, SYSCALL_EVENTFD_X, PPM_SC_EVENTFD);
        t[285] = generic(PPM_SC_FALLOCATE);
        t[286] = generic(PPM_SC_TIMERFD_SETTIME);
        t[287] = generic(PPM_SC_TIMERFD_GETTIME);
        t[288] = sc(SOCKET_ACCEPT4_6_E, SOCKET_ACCEPT4_6_X, PPM_SC_ACCEPT4);
        t[289] = sc(SYSCALL_SIGNALFD4_E, SYSCALL_SIGNALFD4_X, PPM_SC_SIGNALFD4);
        t[290] = sc(SYSCALL_EVENTFD2_E, SYSCALL_EVENTFD2_X, PPM_SC_EVENTFD2);
        t[291] = sc(
            SYSCALL_EPOLL_CREATE1_E,
            SYSCALL_EPOLL_CREATE1_X,
            PPM_SC_EPOLL_CREATE1,
        );
        t[292] = sc(SYSCALL_DUP3_E, SYSCALL_DUP3_X, PPM_SC_DUP3);
        t[293] = sc(SYSCALL_PIPE2_E, SYSCALL_PIPE2_X, PPM_SC_PIPE2);
        t[294] = sc(
            SYSCALL_INOTIFY_INIT1_E,
            SYSCALL_INOTIFY_INIT1_X,
            PPM_SC_INOTIFY_INIT1,
        );
        t[295] = sc(SYSCALL_PREADV_E, SYSCALL_PREADV_X, PPM_SC_PREADV);
        t[296] = sc(SYSCALL_PWRITEV_E, SYSCALL_PWRITEV_X, PPM_SC_PWRITEV);
        t[297] = generic(PPM_SC_RT_TGSIGQUEUEINFO);
        t[298] = generic(PPM_SC_PERF_EVENT_OPEN);
        t[299] = sc(SOCKET_RECVMMSG_E, SOCKET_RECVMMSG_X, PPM_SC_RECVMMSG);
        t[300] = generic(PPM_SC_FANOTIFY_INIT);
        t[301] = generic(PPM_SC_FANOTIFY_MARK);
        t[302] = sc(SYSCALL_PRLIMIT_E, SYSCALL_PRLIMIT_X, PPM_SC_PRLIMIT64);
        t[303] = generic(PPM_SC_NAME_TO_HANDLE_AT);
        t[304] = sc(
            SYSCALL_OPEN_BY_HANDLE_AT_E,
            SYSCALL_OPEN_BY_HANDLE_AT_X,
            PPM_SC_OPEN_BY_HANDLE_AT,
        );
        t[305] = generic(PPM_SC_CLOCK_ADJTIME);
        t[306] = generic(PPM_SC_SYNCFS);
        t[307] = sc(SOCKET_SENDMMSG_E, SOCKET_SENDMMSG_X, PPM_SC_SENDMMSG);
        t[308] = sc(SYSCALL_SETNS_E, SYSCALL_SETNS_X, PPM_SC_SETNS);
        t[309] = generic(PPM_SC_GETCPU);
        t[310] = sc(
            SYSCALL_PROCESS_VM_READV_E,
            SYSCALL_PROCESS_VM_READV_X,
            PPM_SC_PROCESS_VM_READV,
        ); // a dedicated event pair since schema ids 420..429; older drivers sent the generic event
        t[311] = sc(
            SYSCALL_PROCESS_VM_WRITEV_E,
            SYSCALL_PROCESS_VM_WRITEV_X,
            PPM_SC_PROCESS_VM_WRITEV,
        ); // a dedicated event pair since schema ids 420..429; older drivers sent the generic event
        t[312] = generic(PPM_SC_KCMP);
        t[313] = sc(
            SYSCALL_FINIT_MODULE_E,
            SYSCALL_FINIT_MODULE_X,
            PPM_SC_FINIT_MODULE,
        );
        t[314] = generic(PPM_SC_SCHED_SETATTR);
        t[315] = generic(PPM_SC_SCHED_GETATTR);
        t[316] = sc(SYSCALL_RENAMEAT2_E, SYSCALL_RENAMEAT2_X, PPM_SC_RENAMEAT2);
        t[317] = sc(SYSCALL_SECCOMP_E, SYSCALL_SECCOMP_X, PPM_SC_SECCOMP);
        t[318] = generic(PPM_SC_GETRANDOM);
        t[319] = sc(
            SYSCALL_MEMFD_CREATE_E,
            SYSCALL_MEMFD_CREATE_X,
            PPM_SC_MEMFD_CREATE,
        );
        t[320] = generic(PPM_SC_KEXEC_FILE_LOAD);
        t[321] = sc(SYSCALL_BPF_2_E, SYSCALL_BPF_2_X, PPM_SC_BPF);
        t[322] = sc(SYSCALL_EXECVEAT_E, SYSCALL_EXECVEAT_X, PPM_SC_EXECVEAT);
        t[323] = sc(
            SYSCALL_USERFAULTFD_E,
            SYSCALL_USERFAULTFD_X,
            PPM_SC_USERFAULTFD,
        );
        t[324] = generic(PPM_SC_MEMBARRIER);
        t[325] = sc(SYSCALL_MLOCK2_E, SYSCALL_MLOCK2_X, PPM_SC_MLOCK2);
        t[326] = sc(
            SYSCALL_COPY_FILE_RANGE_E,
            SYSCALL_COPY_FILE_RANGE_X,
            PPM_SC_COPY_FILE_RANGE,
        );
        t[327] = generic(PPM_SC_PREADV2);
        t[328] = generic(PPM_SC_PWRITEV2);
        t[329] = generic(PPM_SC_PKEY_MPROTECT);
        t[330] = generic(PPM_SC_PKEY_ALLOC);
        t[331] = generic(PPM_SC_PKEY_FREE);
        t[332] = generic(PPM_SC_STATX);
        t[333] = generic(PPM_SC_IO_PGETEVENTS);
        t[334] = generic(PPM_SC_RSEQ);
        t[424] = generic(PPM_SC_PIDFD_SEND_SIGNAL);
        t[425] = sc(
            SYSCALL_IO_URING_SETUP_E,
            SYSCALL_IO_URING_SETUP_X,
            PPM_SC_IO_URING_SETUP,
        );
        t[426] = sc(
            SYSCALL_IO_URING_ENTER_E,
            SYSCALL_IO_URING_ENTER_X,
            PPM_SC_IO_URING_ENTER,
        );
        t[427] = sc(
            SYSCALL_IO_URING_REGISTER_E,
            SYSCALL_IO_URING_REGISTER_X,
            PPM_SC_IO_URING_REGISTER,
        );
        t[428] = generic(PPM_SC_OPEN_TREE);
        t[429] = generic(PPM_SC_MOVE_MOUNT);
        t[430] = generic(PPM_SC_FSOPEN);
        t[431] = sc(SYSCALL_FSCONFIG_E, SYSCALL_FSCONFIG_X, PPM_SC_FSCONFIG);
        t[432] = generic(PPM_SC_FSMOUNT);
        t[433] = generic(PPM_SC_FSPICK);
        t[434] = sc(
            SYSCALL_PIDFD_OPEN_E,
            SYSCALL_PIDFD_OPEN_X,
            PPM_SC_PIDFD_OPEN,
        );
        t[435] = sc(SYSCALL_CLONE3_E, SYSCALL_CLONE3_X, PPM_SC_CLONE3);
        t[436] = generic(PPM_SC_CLOSE_RANGE);
        t[437] = sc(SYSCALL_OPENAT2_E, SYSCALL_OPENAT2_X, PPM_SC_OPENAT2);
        t[438] = sc(
            SYSCALL_PIDFD_GETFD_E,
            SYSCALL_PIDFD_GETFD_X,
            PPM_SC_PIDFD_GETFD,
        );
        t[439] = generic(PPM_SC_FACCESSAT2);
        t[440] = generic(PPM_SC_PROCESS_MADVISE);
        t[441] = generic(PPM_SC_EPOLL_PWAIT2);
        t[442] = generic(PPM_SC_MOUNT_SETATTR);
        t[443] = generic(PPM_SC_QUOTACTL_FD);
        t[444] = generic(PPM_SC_LANDLOCK_CREATE_RULESET);
        t[445] = generic(PPM_SC_LANDLOCK_ADD_RULE);
        t[446] = generic(PPM_SC_LANDLOCK_RESTRICT_SELF);
        t[447] = generic(PPM_SC_MEMFD_SECRET);
        t[448] = generic(PPM_SC_PROCESS_MRELEASE);
        t[449] = generic(PPM_SC_FUTEX_WAITV);
        t[450] = generic(PPM_SC_SET_MEMPOLICY_HOME_NODE);
        t[451] = generic(PPM_SC_CACHESTAT);
        t[452] = generic(PPM_SC_FCHMODAT2);
        t[453] = generic(PPM_SC_MAP_SHADOW_STACK);
        t[454] = generic(PPM_SC_FUTEX_WAKE);
        t[455] = generic(PPM_SC_FUTEX_WAIT);
        t[456] = generic(PPM_SC_FUTEX_REQUEUE);
        t[457] = generic(PPM_SC_STATMOUNT);
        t[458] = generic(PPM_SC_LISTMOUNT);
        t[459] = generic(PPM_SC_LSM_GET_SELF_ATTR);
        t[460] = generic(PPM_SC_LSM_SET_SELF_ATTR);
        t[461] = generic(PPM_SC_LSM_LIST_MODULES);
        t[462] = generic(PPM_SC_MSEAL);
        t
    };
}

// ---------------------------------------------------------------------------------------------------------
// Rings and the device (this project's own layout)
// ---------------------------------------------------------------------------------------------------------

/// Name of the character device (a misc device, mode 0600): `/dev/falco`. One opener at a time.
pub const DEVICE_NAME: &str = "falco";
/// Default ring data size per CPU, bytes (power of two, multiple of the page size).
pub const DEFAULT_RING_BYTES: u64 = 8 << 20;
/// Largest ring data size per CPU the probe accepts (its `ring_bytes` parameter), bytes.
pub const MAX_RING_BYTES: u64 = 1 << 30;
/// Page size the layout is expressed in.
pub const PAGE_SIZE: u64 = 4096;

/// Page 0 of a CPU's region: written only by the kernel, mapped read-only.
///
/// `head` and `tail` are free-running byte counters; the offset into the data area is
/// `counter & (ring_bytes - 1)`. `head - tail` is the number of unread bytes.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct RingInfo {
    /// Producer position. Published with release ordering after the event bytes are written.
    pub head: u64,
    /// Ring data size in bytes.
    pub ring_bytes: u64,
    /// Events written.
    pub n_evts: u64,
    /// Events dropped because the ring was full.
    pub n_drops_buffer: u64,
    /// Events in which a read of user memory faulted (the parameter is written empty; the event
    /// is kept). Named after the scap counter.
    pub n_drops_pf: u64,
    /// Events dropped because encoding failed (internal error, should stay 0).
    pub n_drops_bug: u64,
    /// Events dropped because the event did not fit the per-event maximum.
    pub n_drops_too_big: u64,
    /// Times a writer found its ring busy (re-entered on the same CPU) and dropped. Writers run
    /// with preemption off, so this stays 0 unless something is badly wrong.
    pub n_preemptions: u64,
    /// Context switches seen (sched_switch), when that tracepoint is enabled.
    pub n_context_switches: u64,
    /// Tracepoint hits that reached a writer (capture on and the syscall wanted).
    pub n_tp_hits: u64,
}

/// Page 1 of a CPU's region: the only memory userspace writes, mapped read-write.
/// The kernel treats `tail` as untrusted: a tail behind `head - ring_bytes` or ahead of `head` is
/// clamped, so a misbehaving reader can only lose its own events.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct RingConsumer {
    /// Consumer position. Store with release ordering after the events are consumed.
    pub tail: u64,
}

/// Sections of a CPU's region, in pages from the region start.
pub const RING_INFO_PAGE: u64 = 0;
pub const RING_CONSUMER_PAGE: u64 = 1;
pub const RING_DATA_PAGE: u64 = 2;

/// Pages in one CPU's region: info, consumer, and the data mapped twice back to back.
pub const fn ring_region_pages(ring_bytes: u64) -> u64 {
    2 + 2 * (ring_bytes / PAGE_SIZE)
}

/// The mmap offset (bytes) of `section` page of `cpu`'s region on the device.
pub const fn ring_mmap_offset(cpu: u64, ring_bytes: u64, section_page: u64) -> u64 {
    (cpu * ring_region_pages(ring_bytes) + section_page) * PAGE_SIZE
}

/// Statistics summed over every CPU (`IOCTL_GET_STATS`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ProbeStats {
    pub n_evts: u64,
    pub n_drops_buffer: u64,
    pub n_drops_pf: u64,
    pub n_drops_bug: u64,
    pub n_drops_too_big: u64,
    pub n_preemptions: u64,
    pub n_tp_hits: u64,
    pub n_cpus: u64,
    pub ring_bytes: u64,
}

impl ProbeStats {
    /// Adds the counters of one CPU's ring: the one definition of what `IOCTL_GET_STATS` sums, used
    /// by the probe and by readers that sum the info pages themselves.
    pub fn add_ring(&mut self, ring: &RingInfo) {
        self.n_evts = self.n_evts.wrapping_add(ring.n_evts);
        self.n_drops_buffer = self.n_drops_buffer.wrapping_add(ring.n_drops_buffer);
        self.n_drops_pf = self.n_drops_pf.wrapping_add(ring.n_drops_pf);
        self.n_drops_bug = self.n_drops_bug.wrapping_add(ring.n_drops_bug);
        self.n_drops_too_big = self.n_drops_too_big.wrapping_add(ring.n_drops_too_big);
        self.n_preemptions = self.n_preemptions.wrapping_add(ring.n_preemptions);
        self.n_tp_hits = self.n_tp_hits.wrapping_add(ring.n_tp_hits);
    }
}

/// Tracepoints the probe can attach (`IOCTL_ENABLE_TP` / `IOCTL_DISABLE_TP`).
pub mod tracepoint {
    pub const SYS_ENTER: u64 = 0;
    pub const SYS_EXIT: u64 = 1;
    pub const SCHED_PROC_EXIT: u64 = 2;
    pub const SCHED_SWITCH: u64 = 3;
    pub const SCHED_PROC_FORK: u64 = 4;
    pub const SCHED_PROC_EXEC: u64 = 5;
    pub const SIGNAL_DELIVER: u64 = 6;
    pub const COUNT: u64 = 7;
}

/// Number of syscall slots in the interesting-syscall mask (x86_64 numbering).
pub const SYSCALL_TABLE_SIZE: usize = 512;

// ioctl number encoding (asm-generic, as on x86_64).
const IOC_NONE: u32 = 0;
const IOC_WRITE: u32 = 1;
const IOC_READ: u32 = 2;
const fn ioc(dir: u32, ty: u8, nr: u8, size: usize) -> u32 {
    (dir << 30) | ((size as u32) << 16) | ((ty as u32) << 8) | nr as u32
}
/// ioctl magic, as in the scap drivers.
pub const IOCTL_MAGIC: u8 = b's';

/// Stop writing events (the tracepoints stay attached).
pub const IOCTL_DISABLE_CAPTURE: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 0, 0);
/// Start writing events.
pub const IOCTL_ENABLE_CAPTURE: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 1, 0);
/// Set the data-buffer snapshot length; the argument is the value.
pub const IOCTL_SET_SNAPLEN: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 4, 0);
/// Write the packed API version to the u64 the argument points to.
pub const IOCTL_GET_API_VERSION: u32 = ioc(IOC_READ, IOCTL_MAGIC, 24, 8);
/// Write the packed schema version to the u64 the argument points to.
pub const IOCTL_GET_SCHEMA_VERSION: u32 = ioc(IOC_READ, IOCTL_MAGIC, 25, 8);
/// Capture one syscall (x86_64 number given as the argument).
pub const IOCTL_ENABLE_SYSCALL: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 29, 0);
/// Stop capturing one syscall (x86_64 number given as the argument).
pub const IOCTL_DISABLE_SYSCALL: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 30, 0);
/// Attach one tracepoint (`tracepoint::*` given as the argument).
pub const IOCTL_ENABLE_TP: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 31, 0);
/// Detach one tracepoint.
pub const IOCTL_DISABLE_TP: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 32, 0);
/// Drop syscalls that failed (negative return) instead of writing them.
pub const IOCTL_ENABLE_DROPFAILED: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 33, 0);
pub const IOCTL_DISABLE_DROPFAILED: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 34, 0);
/// Capture every syscall (argument 1) or none (argument 0).
pub const IOCTL_SET_ALL_SYSCALLS: u32 = ioc(IOC_NONE, IOCTL_MAGIC, 35, 0);
/// Copy a [`ProbeStats`] to the argument.
pub const IOCTL_GET_STATS: u32 = ioc(
    IOC_READ,
    IOCTL_MAGIC,
    40,
    core::mem::size_of::<ProbeStats>(),
);
/// Write the number of rings (possible CPUs) to the u64 the argument points to.
pub const IOCTL_GET_NRINGS: u32 = ioc(IOC_READ, IOCTL_MAGIC, 41, 8);
/// Write the ring data size in bytes to the u64 the argument points to.
pub const IOCTL_GET_RING_BYTES: u32 = ioc(IOC_READ, IOCTL_MAGIC, 42, 8);
