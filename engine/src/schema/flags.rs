//! Flag, enum and mode name tables of event parameters, and the tables of PT_DYN parameters.
//!
//! Transcribed from the scap format facts in libs `driver/flags_table.c` and `driver/dynamic_params_table.c`
//! (values are the PPM_* encodings of `driver/ppm_events_public.h`). Entry order matters: renderers walk a
//! table front to back, so each table keeps the libs order.

use super::{FlagName, ParamExtra, ParamInfo};
use crate::abi::param_type::*;
use crate::abi::print_fmt::*;

const fn f(name: &'static str, value: u32) -> FlagName {
    FlagName { name, value }
}

/// `socket_families`.
pub static SOCKET_FAMILIES: &[FlagName] = &[
    f("AF_NFC", 39),
    f("AF_ALG", 38),
    f("AF_CAIF", 37),
    f("AF_IEEE802154", 36),
    f("AF_PHONET", 35),
    f("AF_ISDN", 34),
    f("AF_RXRPC", 33),
    f("AF_IUCV", 32),
    f("AF_BLUETOOTH", 31),
    f("AF_TIPC", 30),
    f("AF_CAN", 29),
    f("AF_LLC", 26),
    f("AF_WANPIPE", 25),
    f("AF_PPPOX", 24),
    f("AF_IRDA", 23),
    f("AF_SNA", 22),
    f("AF_RDS", 21),
    f("AF_ATMSVC", 20),
    f("AF_ECONET", 19),
    f("AF_ASH", 18),
    f("AF_PACKET", 17),
    f("AF_ROUTE", 16),
    f("AF_NETLINK", 16),
    f("AF_KEY", 15),
    f("AF_SECURITY", 14),
    f("AF_NETBEUI", 13),
    f("AF_DECnet", 12),
    f("AF_ROSE", 11),
    f("AF_INET6", 10),
    f("AF_X25", 9),
    f("AF_ATMPVC", 8),
    f("AF_BRIDGE", 7),
    f("AF_NETROM", 6),
    f("AF_APPLETALK", 5),
    f("AF_IPX", 4),
    f("AF_AX25", 3),
    f("AF_INET", 2),
    f("AF_LOCAL", 1),
    f("AF_UNIX", 1),
    f("AF_UNSPEC", 0),
];

/// `file_flags`. O_F_CREATED and the FD_*_LAYER bits (set by the probe for overlayfs files) are newer than
/// sysdig 0.29.3 (2022), whose table stops at O_TMPFILE.
pub static FILE_FLAGS: &[FlagName] = &[
    f("O_LARGEFILE", 1 << 11),
    f("O_DIRECTORY", 1 << 10),
    f("O_DIRECT", 1 << 9),
    f("O_TRUNC", 1 << 8),
    f("O_SYNC", 1 << 7),
    f("O_NONBLOCK", 1 << 6),
    f("O_EXCL", 1 << 5),
    f("O_DSYNC", 1 << 4),
    f("O_APPEND", 1 << 3),
    f("O_CREAT", 1 << 2),
    f("O_RDWR", 0x3),
    f("O_WRONLY", 1 << 1),
    f("O_RDONLY", 1 << 0),
    f("O_CLOEXEC", 1 << 12),
    f("O_NONE", 0),
    f("O_TMPFILE", 1 << 13),
    f("O_F_CREATED", 1 << 14),
    f("FD_UPPER_LAYER", 1 << 15),
    f("FD_LOWER_LAYER", 1 << 16),
];

/// `creat_flags`: the overlayfs layer bits of creat, which has no flags parameter of its own to carry
/// FD_UPPER_LAYER/FD_LOWER_LAYER (they do not fit in its 16 bits).
pub static CREAT_FLAGS: &[FlagName] = &[
    f("FD_UPPER_LAYER_CREAT", 1 << 0),
    f("FD_LOWER_LAYER_CREAT", 1 << 1),
];

/// `flock_flags`.
pub static FLOCK_FLAGS: &[FlagName] = &[
    f("LOCK_SH", 1 << 0),
    f("LOCK_EX", 1 << 1),
    f("LOCK_NB", 1 << 2),
    f("LOCK_UN", 1 << 3),
    f("LOCK_NONE", 0),
];

/// `clone_flags`.
pub static CLONE_FLAGS: &[FlagName] = &[
    f("CLONE_FILES", 1 << 0),
    f("CLONE_FS", 1 << 1),
    f("CLONE_IO", 1 << 2),
    f("CLONE_NEWIPC", 1 << 3),
    f("CLONE_NEWNET", 1 << 4),
    f("CLONE_NEWNS", 1 << 5),
    f("CLONE_NEWPID", 1 << 6),
    f("CLONE_NEWUTS", 1 << 7),
    f("CLONE_PARENT", 1 << 8),
    f("CLONE_PARENT_SETTID", 1 << 9),
    f("CLONE_PTRACE", 1 << 10),
    f("CLONE_SIGHAND", 1 << 11),
    f("CLONE_SYSVSEM", 1 << 12),
    f("CLONE_THREAD", 1 << 13),
    f("CLONE_UNTRACED", 1 << 14),
    f("CLONE_VM", 1 << 15),
    f("CLONE_INVERTED", 1 << 16),
    f("NAME_CHANGED", 1 << 17),
    f("CLOSED", 1 << 18),
    f("CLONE_NEWUSER", 1 << 20),
    f("CLONE_CHILD_CLEARTID", 1 << 23),
    f("CLONE_CHILD_SETTID", 1 << 24),
    f("CLONE_SETTLS", 1 << 25),
    f("CLONE_STOPPED", 1 << 26),
    f("CLONE_VFORK", 1 << 27),
    f("CLONE_NEWCGROUP", 1 << 28),
];

/// `futex_operations`.
pub static FUTEX_OPERATIONS: &[FlagName] = &[
    f("FUTEX_CLOCK_REALTIME", 256),
    f("FUTEX_PRIVATE_FLAG", 128),
    f("FUTEX_CMP_REQUEUE_PI", 12),
    f("FUTEX_WAIT_REQUEUE_PI", 11),
    f("FUTEX_WAKE_BITSET", 10),
    f("FUTEX_WAIT_BITSET", 9),
    f("FUTEX_TRYLOCK_PI", 8),
    f("FUTEX_UNLOCK_PI", 7),
    f("FUTEX_LOCK_PI", 6),
    f("FUTEX_WAKE_OP", 5),
    f("FUTEX_CMP_REQUEUE", 4),
    f("FUTEX_REQUEUE", 3),
    f("FUTEX_FD", 2),
    f("FUTEX_WAKE", 1),
    f("FUTEX_WAIT", 0),
];

/// `poll_flags`.
pub static POLL_FLAGS: &[FlagName] = &[
    f("POLLIN", 1 << 0),
    f("POLLPRI", 1 << 1),
    f("POLLOUT", 1 << 2),
    f("POLLRDHUP", 1 << 3),
    f("POLLERR", 1 << 4),
    f("POLLHUP", 1 << 5),
    f("POLLNVAL", 1 << 6),
    f("POLLRDNORM", 1 << 7),
    f("POLLRDBAND", 1 << 8),
    f("POLLWRNORM", 1 << 9),
    f("POLLWRBAND", 1 << 10),
];

/// `mount_flags`.
pub static MOUNT_FLAGS: &[FlagName] = &[
    f("RDONLY", 1 << 0),
    f("NOSUID", 1 << 1),
    f("NODEV", 1 << 2),
    f("NOEXEC", 1 << 3),
    f("SYNCHRONOUS", 1 << 4),
    f("REMOUNT", 1 << 5),
    f("MANDLOCK", 1 << 6),
    f("DIRSYNC", 1 << 7),
    f("NOATIME", 1 << 10),
    f("NODIRATIME", 1 << 11),
    f("BIND", 1 << 12),
    f("MOVE", 1 << 13),
    f("REC", 1 << 14),
    f("SILENT", 1 << 15),
    f("POSIXACL", 1 << 16),
    f("UNBINDABLE", 1 << 17),
    f("PRIVATE", 1 << 18),
    f("SLAVE", 1 << 19),
    f("SHARED", 1 << 20),
    f("RELATIME", 1 << 21),
    f("KERNMOUNT", 1 << 22),
    f("I_VERSION", 1 << 23),
    f("STRICTATIME", 1 << 24),
    f("LAZYTIME", 1 << 25),
    f("NOSEC", 1 << 28),
    f("BORN", 1 << 29),
    f("ACTIVE", 1 << 30),
    f("NOUSER", 1 << 31),
];

/// `umount_flags`.
pub static UMOUNT_FLAGS: &[FlagName] = &[
    f("FORCE", 1 << 0),
    f("DETACH", 1 << 1),
    f("EXPIRE", 1 << 2),
    f("NOFOLLOW", 1 << 3),
];

/// `lseek_whence`.
pub static LSEEK_WHENCE: &[FlagName] = &[f("SEEK_END", 2), f("SEEK_CUR", 1), f("SEEK_SET", 0)];

/// `shutdown_how`.
pub static SHUTDOWN_HOW: &[FlagName] = &[f("SHUT_RDWR", 2), f("SHUT_WR", 1), f("SHUT_RD", 0)];

/// `rlimit_resources`.
pub static RLIMIT_RESOURCES: &[FlagName] = &[
    f("RLIMIT_UNKNOWN", 255),
    f("RLIMIT_RTTIME", 15),
    f("RLIMIT_RTPRIO", 14),
    f("RLIMIT_NICE", 13),
    f("RLIMIT_MSGQUEUE", 12),
    f("RLIMIT_SIGPENDING", 11),
    f("RLIMIT_LOCKS", 10),
    f("RLIMIT_AS", 9),
    f("RLIMIT_MEMLOCK", 8),
    f("RLIMIT_NOFILE", 7),
    f("RLIMIT_NPROC", 6),
    f("RLIMIT_RSS", 5),
    f("RLIMIT_CORE", 4),
    f("RLIMIT_STACK", 3),
    f("RLIMIT_DATA", 2),
    f("RLIMIT_FSIZE", 1),
    f("RLIMIT_CPU", 0),
];

/// `fcntl_commands`. The three *64 commands are 32-bit only in the kernel driver but present in userspace (sysdig) tables.
pub static FCNTL_COMMANDS: &[FlagName] = &[
    f("F_GETPIPE_SZ", 29),
    f("F_SETPIPE_SZ", 28),
    f("F_NOTIFY", 27),
    f("F_DUPFD_CLOEXEC", 26),
    f("F_CANCELLK", 25),
    f("F_GETLEASE", 24),
    f("F_SETLEASE", 23),
    f("F_GETOWN_EX", 22),
    f("F_SETOWN_EX", 21),
    f("F_SETLKW64", 19),
    f("F_SETLK64", 18),
    f("F_GETLK64", 17),
    f("F_GETSIG", 15),
    f("F_SETSIG", 13),
    f("F_GETOWN", 12),
    f("F_SETOWN", 10),
    f("F_SETLKW", 9),
    f("F_SETLK", 8),
    f("F_GETLK", 6),
    f("F_SETFL", 5),
    f("F_GETFL", 4),
    f("F_SETFD", 3),
    f("F_GETFD", 2),
    f("F_DUPFD", 1),
    f("F_OFD_GETLK", 30),
    f("F_OFD_SETLK", 31),
    f("F_OFD_SETLKW", 32),
    f("UNKNOWN", 0),
];

/// `sockopt_levels`.
pub static SOCKOPT_LEVELS: &[FlagName] = &[f("SOL_SOCKET", 1), f("SOL_TCP", 2), f("UNKNOWN", 0)];

/// `sockopt_options`.
pub static SOCKOPT_OPTIONS: &[FlagName] = &[
    f("SO_COOKIE", 53),
    f("SO_MEMINFO", 52),
    f("SO_PEERGROUPS", 51),
    f("SO_ATTACH_BPF", 50),
    f("SO_INCOMING_CPU", 49),
    f("SO_BPF_EXTENSIONS", 48),
    f("SO_MAX_PACING_RATE", 47),
    f("SO_BUSY_POLL", 46),
    f("SO_SELECT_ERR_QUEUE", 45),
    f("SO_LOCK_FILTER", 44),
    f("SO_NOFCS", 43),
    f("SO_PEEK_OFF", 42),
    f("SO_WIFI_STATUS", 41),
    f("SO_RXQ_OVFL", 40),
    f("SO_DOMAIN", 39),
    f("SO_PROTOCOL", 38),
    f("SO_TIMESTAMPING", 37),
    f("SO_MARK", 36),
    f("SO_TIMESTAMPNS", 35),
    f("SO_PASSSEC", 34),
    f("SO_PEERSEC", 31),
    f("SO_ACCEPTCONN", 30),
    f("SO_TIMESTAMP", 29),
    f("SO_PEERNAME", 28),
    f("SO_DETACH_FILTER", 27),
    f("SO_ATTACH_FILTER", 26),
    f("SO_BINDTODEVICE", 25),
    f("SO_SECURITY_ENCRYPTION_NETWORK", 24),
    f("SO_SECURITY_ENCRYPTION_TRANSPORT", 23),
    f("SO_SECURITY_AUTHENTICATION", 22),
    f("SO_SNDTIMEO", 21),
    f("SO_RCVTIMEO", 20),
    f("SO_SNDLOWAT", 19),
    f("SO_RCVLOWAT", 18),
    f("SO_PEERCRED", 17),
    f("SO_PASSCRED", 16),
    f("SO_REUSEPORT", 15),
    f("SO_BSDCOMPAT", 14),
    f("SO_LINGER", 13),
    f("SO_PRIORITY", 12),
    f("SO_NO_CHECK", 11),
    f("SO_OOBINLINE", 10),
    f("SO_KEEPALIVE", 9),
    f("SO_RCVBUFFORCE", 33),
    f("SO_SNDBUFFORCE", 32),
    f("SO_RCVBUF", 8),
    f("SO_SNDBUF", 7),
    f("SO_BROADCAST", 6),
    f("SO_DONTROUTE", 5),
    f("SO_ERROR", 4),
    f("SO_TYPE", 3),
    f("SO_REUSEADDR", 2),
    f("SO_DEBUG", 1),
    f("UNKNOWN", 0),
];

/// `ptrace_requests`.
pub static PTRACE_REQUESTS: &[FlagName] = &[
    f("PTRACE_SINGLEBLOCK", 38),
    f("PTRACE_SYSEMU_SINGLESTEP", 37),
    f("PTRACE_SYSEMU", 36),
    f("PTRACE_ARCH_PRCTL", 35),
    f("PTRACE_SET_THREAD_AREA", 34),
    f("PTRACE_GET_THREAD_AREA", 33),
    f("PTRACE_OLDSETOPTIONS", 32),
    f("PTRACE_SETFPXREGS", 31),
    f("PTRACE_GETFPXREGS", 30),
    f("PTRACE_SETFPREGS", 29),
    f("PTRACE_GETFPREGS", 28),
    f("PTRACE_SETREGS", 27),
    f("PTRACE_GETREGS", 26),
    f("PTRACE_SETSIGMASK", 25),
    f("PTRACE_GETSIGMASK", 24),
    f("PTRACE_PEEKSIGINFO", 23),
    f("PTRACE_LISTEN", 22),
    f("PTRACE_INTERRUPT", 21),
    f("PTRACE_SEIZE", 20),
    f("PTRACE_SETREGSET", 19),
    f("PTRACE_GETREGSET", 18),
    f("PTRACE_SETSIGINFO", 17),
    f("PTRACE_GETSIGINFO", 16),
    f("PTRACE_GETEVENTMSG", 15),
    f("PTRACE_SETOPTIONS", 14),
    f("PTRACE_SYSCALL", 13),
    f("PTRACE_DETACH", 12),
    f("PTRACE_ATTACH", 11),
    f("PTRACE_SINGLESTEP", 10),
    f("PTRACE_KILL", 9),
    f("PTRACE_CONT", 8),
    f("PTRACE_POKEUSR", 7),
    f("PTRACE_POKEDATA", 6),
    f("PTRACE_POKETEXT", 5),
    f("PTRACE_PEEKUSR", 4),
    f("PTRACE_PEEKDATA", 3),
    f("PTRACE_PEEKTEXT", 2),
    f("PTRACE_TRACEME", 1),
    f("PTRACE_UNKNOWN", 0),
];

/// `prot_flags`.
pub static PROT_FLAGS: &[FlagName] = &[
    f("PROT_READ", 1 << 0),
    f("PROT_WRITE", 1 << 1),
    f("PROT_EXEC", 1 << 2),
    f("PROT_SEM", 1 << 3),
    f("PROT_GROWSDOWN", 1 << 4),
    f("PROT_GROWSUP", 1 << 5),
    f("PROT_SAO", 1 << 6),
    f("PROT_NONE", 0),
];

/// `mmap_flags`.
pub static MMAP_FLAGS: &[FlagName] = &[
    f("MAP_SHARED", 1 << 0),
    f("MAP_PRIVATE", 1 << 1),
    f("MAP_FIXED", 1 << 2),
    f("MAP_ANONYMOUS", 1 << 3),
    f("MAP_32BIT", 1 << 4),
    f("MAP_RENAME", 1 << 5),
    f("MAP_NORESERVE", 1 << 6),
    f("MAP_POPULATE", 1 << 7),
    f("MAP_NONBLOCK", 1 << 8),
    f("MAP_GROWSDOWN", 1 << 9),
    f("MAP_DENYWRITE", 1 << 10),
    f("MAP_EXECUTABLE", 1 << 11),
    f("MAP_INHERIT", 1 << 12),
    f("MAP_FILE", 1 << 13),
    f("MAP_LOCKED", 1 << 14),
];

/// `splice_flags`.
pub static SPLICE_FLAGS: &[FlagName] = &[
    f("SPLICE_F_MOVE", 1 << 0),
    f("SPLICE_F_NONBLOCK", 1 << 1),
    f("SPLICE_F_MORE", 1 << 2),
    f("SPLICE_F_GIFT", 1 << 3),
];

/// `quotactl_dqi_flags`.
pub static QUOTACTL_DQI_FLAGS: &[FlagName] = &[f("DQF_NONE", 1 << 0), f("V1_DQF_RSQUASH", 1 << 1)];

/// `quotactl_cmds`.
pub static QUOTACTL_CMDS: &[FlagName] = &[
    f("Q_QUOTAON", 1 << 0),
    f("Q_QUOTAOFF", 1 << 1),
    f("Q_GETFMT", 1 << 2),
    f("Q_GETINFO", 1 << 3),
    f("Q_SETINFO", 1 << 4),
    f("Q_GETQUOTA", 1 << 5),
    f("Q_SETQUOTA", 1 << 6),
    f("Q_SYNC", 1 << 7),
    f("Q_XQUOTAON", 1 << 8),
    f("Q_XQUOTAOFF", 1 << 9),
    f("Q_XGETQUOTA", 1 << 10),
    f("Q_XSETQLIM", 1 << 11),
    f("Q_XGETQSTAT", 1 << 12),
    f("Q_XQUOTARM", 1 << 13),
    f("Q_XQUOTASYNC", 1 << 14),
];

/// `quotactl_types`.
pub static QUOTACTL_TYPES: &[FlagName] = &[f("USRQUOTA", 1 << 0), f("GRPQUOTA", 1 << 1)];

/// `quotactl_quota_fmts`.
pub static QUOTACTL_QUOTA_FMTS: &[FlagName] = &[
    f("QFMT_NOT_USED", 1 << 0),
    f("QFMT_VFS_OLD", 1 << 1),
    f("QFMT_VFS_V0", 1 << 2),
    f("QFMT_VFS_V1", 1 << 3),
];

/// `semop_flags`.
pub static SEMOP_FLAGS: &[FlagName] = &[f("IPC_NOWAIT", 1 << 0), f("SEM_UNDO", 1 << 1)];

/// `semget_flags`.
pub static SEMGET_FLAGS: &[FlagName] = &[f("IPC_EXCL", 1 << 14), f("IPC_CREAT", 1 << 13)];

/// `semctl_commands`.
pub static SEMCTL_COMMANDS: &[FlagName] = &[
    f("IPC_STAT", 1 << 0),
    f("IPC_SET", 1 << 1),
    f("IPC_RMID", 1 << 2),
    f("IPC_INFO", 1 << 3),
    f("SEM_INFO", 1 << 4),
    f("SEM_STAT", 1 << 5),
    f("GETALL", 1 << 6),
    f("GETNCNT", 1 << 7),
    f("GETPID", 1 << 8),
    f("GETVAL", 1 << 9),
    f("GETZCNT", 1 << 10),
    f("SETALL", 1 << 11),
    f("SETVAL", 1 << 12),
];

/// `access_flags`.
pub static ACCESS_FLAGS: &[FlagName] = &[
    f("F_OK", 0),
    f("R_OK", 1 << 2),
    f("W_OK", 1 << 1),
    f("X_OK", 1 << 0),
];

/// `pf_flags`.
pub static PF_FLAGS: &[FlagName] = &[
    f("PROTECTION_VIOLATION", 1 << 0),
    f("PAGE_NOT_PRESENT", 1 << 1),
    f("WRITE_ACCESS", 1 << 2),
    f("READ_ACCESS", 1 << 3),
    f("USER_FAULT", 1 << 4),
    f("SUPERVISOR_FAULT", 1 << 5),
    f("RESERVED_PAGE", 1 << 6),
    f("INSTRUCTION_FETCH", 1 << 7),
];

/// `unlinkat_flags`.
pub static UNLINKAT_FLAGS: &[FlagName] = &[f("AT_REMOVEDIR", 1 << 9)];

/// `linkat_flags`.
pub static LINKAT_FLAGS: &[FlagName] =
    &[f("AT_SYMLINK_FOLLOW", 1 << 10), f("AT_EMPTY_PATH", 1 << 12)];

/// `chmod_mode`.
pub static CHMOD_MODE: &[FlagName] = &[
    f("S_IXOTH", 0o1),
    f("S_IWOTH", 0o2),
    f("S_IROTH", 0o4),
    f("S_IXGRP", 0o10),
    f("S_IWGRP", 0o20),
    f("S_IRGRP", 0o40),
    f("S_IXUSR", 0o100),
    f("S_IWUSR", 0o200),
    f("S_IRUSR", 0o400),
    f("S_ISVTX", 0o1000),
    f("S_ISGID", 0o2000),
    f("S_ISUID", 0o4000),
];

/// `renameat2_flags`.
pub static RENAMEAT2_FLAGS: &[FlagName] = &[
    f("RENAME_NOREPLACE", 1 << 0),
    f("RENAME_EXCHANGE", 1 << 1),
    f("RENAME_WHITEOUT", 1 << 2),
];

/// `openat2_flags`.
pub static OPENAT2_FLAGS: &[FlagName] = &[
    f("RESOLVE_BENEATH", 1 << 0),
    f("RESOLVE_IN_ROOT", 1 << 1),
    f("RESOLVE_NO_MAGICLINKS", 1 << 2),
    f("RESOLVE_NO_SYMLINKS", 1 << 3),
    f("RESOLVE_NO_XDEV", 1 << 4),
    f("RESOLVE_CACHED", 1 << 5),
];

/// `execve_flags`. sysdig 0.29.3 (2022) only has EXE_WRITABLE.
pub static EXECVE_FLAGS: &[FlagName] = &[
    f("EXE_WRITABLE", 1 << 0),
    f("EXE_UPPER_LAYER", 1 << 1),
    f("EXE_FROM_MEMFD", 1 << 2),
];

/// `execveat_flags`.
pub static EXECVEAT_FLAGS: &[FlagName] =
    &[f("AT_EMPTY_PATH", 1 << 0), f("AT_SYMLINK_NOFOLLOW", 1 << 1)];

/// `fchownat_flags`. libs labels 0x400 (PPM_AT_SYMLINK_FOLLOW) as "AT_SYMLINK_NOFOLLOW"; kept as libs has it.
pub static FCHOWNAT_FLAGS: &[FlagName] = &[
    f("AT_SYMLINK_NOFOLLOW", 1 << 10),
    f("AT_EMPTY_PATH", 1 << 12),
];

/// `io_uring_setup_flags`.
pub static IO_URING_SETUP_FLAGS: &[FlagName] = &[
    f("IORING_SETUP_IOPOLL", 1 << 0),
    f("IORING_SETUP_SQPOLL", 1 << 1),
    f("IORING_SQ_NEED_WAKEUP", 1 << 2),
    f("IORING_SETUP_SQ_AFF", 1 << 3),
    f("IORING_SETUP_CQSIZE", 1 << 4),
    f("IORING_SETUP_CLAMP", 1 << 5),
    f("IORING_SETUP_ATTACH_RW", 1 << 6),
    f("IORING_SETUP_R_DISABLED", 1 << 7),
];

/// `io_uring_setup_feats`.
pub static IO_URING_SETUP_FEATS: &[FlagName] = &[
    f("IORING_FEAT_SINGLE_MMAP", 1 << 0),
    f("IORING_FEAT_NODROP", 1 << 1),
    f("IORING_FEAT_SUBMIT_STABLE", 1 << 2),
    f("IORING_FEAT_RW_CUR_POS", 1 << 3),
    f("IORING_FEAT_CUR_PERSONALITY", 1 << 4),
    f("IORING_FEAT_FAST_POLL", 1 << 5),
    f("IORING_FEAT_POLL_32BITS", 1 << 6),
    f("IORING_FEAT_SQPOLL_NONFIXED", 1 << 7),
    f("IORING_FEAT_ENTER_EXT_ARG", 1 << 8),
    f("IORING_FEAT_NATIVE_WORKERS", 1 << 9),
    f("IORING_FEAT_RSRC_TAGS", 1 << 10),
];

/// `io_uring_enter_flags`.
pub static IO_URING_ENTER_FLAGS: &[FlagName] = &[
    f("IORING_ENTER_GETEVENTS", 1 << 0),
    f("IORING_ENTER_SQ_WAKEUP", 1 << 1),
    f("IORING_ENTER_SQ_WAIT", 1 << 2),
    f("IORING_ENTER_EXT_ARG", 1 << 3),
];

/// `io_uring_register_opcodes`.
pub static IO_URING_REGISTER_OPCODES: &[FlagName] = &[
    f("IORING_REGISTER_BUFFERS", 0),
    f("IORING_UNREGISTER_BUFFERS", 1),
    f("IORING_REGISTER_FILES", 2),
    f("IORING_UNREGISTER_FILES", 3),
    f("IORING_REGISTER_EVENTFD", 4),
    f("IORING_UNREGISTER_EVENTFD", 5),
    f("IORING_REGISTER_FILES_UPDATE", 6),
    f("IORING_REGISTER_EVENTFD_ASYNC", 7),
    f("IORING_REGISTER_PROBE", 8),
    f("IORING_REGISTER_PERSONALITY", 9),
    f("IORING_UNREGISTER_PERSONALITY", 10),
    f("IORING_REGISTER_RESTRICTIONS", 11),
    f("IORING_REGISTER_ENABLE_RINGS", 12),
    f("IORING_REGISTER_FILES2", 13),
    f("IORING_REGISTER_FILES_UPDATE2", 14),
    f("IORING_REGISTER_BUFFERS2", 15),
    f("IORING_REGISTER_BUFFERS_UPDATE", 16),
    f("IORING_REGISTER_IOWQ_AFF", 17),
    f("IORING_UNREGISTER_IOWQ_AFF", 18),
    f("IORING_REGISTER_IOWQ_MAX_WORKERS", 19),
    f("IORING_REGISTER_RING_FDS", 20),
    f("IORING_UNREGISTER_RING_FDS", 21),
];

/// `mlockall_flags`.
pub static MLOCKALL_FLAGS: &[FlagName] = &[
    f("MCL_CURRENT", 1 << 0),
    f("MCL_FUTURE", 1 << 1),
    f("MCL_ONFAULT", 1 << 2),
];

/// `mlock2_flags`.
pub static MLOCK2_FLAGS: &[FlagName] = &[f("MLOCK_ONFAULT", 1 << 0)];

/// `fsconfig_cmds`.
pub static FSCONFIG_CMDS: &[FlagName] = &[
    f("FSCONFIG_SET_FLAG", 0),
    f("FSCONFIG_SET_STRING", 1),
    f("FSCONFIG_SET_BINARY", 2),
    f("FSCONFIG_SET_PATH", 3),
    f("FSCONFIG_SET_PATH_EMPTY", 4),
    f("FSCONFIG_SET_FD", 5),
    f("FSCONFIG_CMD_CREATE", 6),
    f("FSCONFIG_CMD_RECONFIGURE", 7),
];

/// `epoll_create1_flags`.
pub static EPOLL_CREATE1_FLAGS: &[FlagName] = &[f("EPOLL_CLOEXEC", 1 << 0)];

/// `prctl_options`. PR_MCE_KILL is listed twice in libs; kept.
pub static PRCTL_OPTIONS: &[FlagName] = &[
    f("PR_GET_DUMPABLE", 3),
    f("PR_SET_DUMPABLE", 4),
    f("PR_GET_KEEPCAPS", 7),
    f("PR_SET_KEEPCAPS", 8),
    f("PR_SET_NAME", 15),
    f("PR_GET_NAME", 16),
    f("PR_GET_SECCOMP", 21),
    f("PR_SET_SECCOMP", 22),
    f("PR_CAPBSET_READ", 23),
    f("PR_CAPBSET_DROP", 24),
    f("PR_GET_SECUREBITS", 27),
    f("PR_SET_SECUREBITS", 28),
    f("PR_MCE_KILL", 33),
    f("PR_MCE_KILL", 33),
    f("PR_SET_MM", 35),
    f("PR_SET_CHILD_SUBREAPER", 36),
    f("PR_GET_CHILD_SUBREAPER", 37),
    f("PR_SET_NO_NEW_PRIVS", 38),
    f("PR_GET_NO_NEW_PRIVS", 39),
    f("PR_GET_TID_ADDRESS", 40),
    f("PR_SET_THP_DISABLE", 41),
    f("PR_GET_THP_DISABLE", 42),
    f("PR_CAP_AMBIENT", 47),
];

/// `memfd_create_flags`.
pub static MEMFD_CREATE_FLAGS: &[FlagName] = &[
    f("MFD_CLOEXEC", 1 << 0),
    f("MFD_ALLOW_SEALING", 1 << 1),
    f("MFD_HUGETLB", 1 << 2),
];

/// `pidfd_open_flags`.
pub static PIDFD_OPEN_FLAGS: &[FlagName] = &[f("PIDFD_NONBLOCK", 1 << 0)];

/// `mknod_mode`.
pub static MKNOD_MODE: &[FlagName] = &[
    f("S_IXOTH", 0o1),
    f("S_IWOTH", 0o2),
    f("S_IROTH", 0o4),
    f("S_IXGRP", 0o10),
    f("S_IWGRP", 0o20),
    f("S_IRGRP", 0o40),
    f("S_IXUSR", 0o100),
    f("S_IWUSR", 0o200),
    f("S_IRUSR", 0o400),
    f("S_ISVTX", 0o1000),
    f("S_ISGID", 0o2000),
    f("S_ISUID", 0o4000),
    f("S_IFREG", 0o100000),
    f("S_IFCHR", 0o20000),
    f("S_IFBLK", 0o60000),
    f("S_IFIFO", 0o10000),
    f("S_IFSOCK", 0o140000),
];

/// `newfstatat_flags` (libs driver/flags_table.c).
pub static NEWFSTATAT_FLAGS: &[FlagName] = &[
    f("AT_EMPTY_PATH", 1 << 12),
    f("AT_NO_AUTOMOUNT", 1 << 11),
    f("AT_SYMLINK_NOFOLLOW", 1 << 8),
];

/// `delete_module_flags` (libs driver/flags_table.c, in its order).
pub static DELETE_MODULE_FLAGS: &[FlagName] = &[f("O_NONBLOCK", 1 << 1), f("O_TRUNC", 1 << 0)];

/// `finit_module_flags` (libs driver/flags_table.c).
pub static FINIT_MODULE_FLAGS: &[FlagName] = &[
    f("MODULE_INIT_IGNORE_MODVERSIONS", 1),
    f("MODULE_INIT_IGNORE_VERMAGIC", 2),
    f("MODULE_INIT_COMPRESSED_FILE", 4),
];

/// `bpf_commands`: the bpf(2) command of a bpf exit event (libs driver/flags_table.c; the values are
/// the kernel's, and BPF_PROG_RUN is BPF_PROG_TEST_RUN's newer name).
pub static BPF_COMMANDS: &[FlagName] = &[
    f("BPF_MAP_CREATE", 0),
    f("BPF_MAP_LOOKUP_ELEM", 1),
    f("BPF_MAP_UPDATE_ELEM", 2),
    f("BPF_MAP_DELETE_ELEM", 3),
    f("BPF_MAP_GET_NEXT_KEY", 4),
    f("BPF_PROG_LOAD", 5),
    f("BPF_OBJ_PIN", 6),
    f("BPF_OBJ_GET", 7),
    f("BPF_PROG_ATTACH", 8),
    f("BPF_PROG_DETACH", 9),
    f("BPF_PROG_TEST_RUN", 10),
    f("BPF_PROG_RUN", 10),
    f("BPF_PROG_GET_NEXT_ID", 11),
    f("BPF_MAP_GET_NEXT_ID", 12),
    f("BPF_PROG_GET_FD_BY_ID", 13),
    f("BPF_MAP_GET_FD_BY_ID", 14),
    f("BPF_OBJ_GET_INFO_BY_FD", 15),
    f("BPF_PROG_QUERY", 16),
    f("BPF_RAW_TRACEPOINT_OPEN", 17),
    f("BPF_BTF_LOAD", 18),
    f("BPF_BTF_GET_FD_BY_ID", 19),
    f("BPF_TASK_FD_QUERY", 20),
    f("BPF_MAP_LOOKUP_AND_DELETE_ELEM", 21),
    f("BPF_MAP_FREEZE", 22),
    f("BPF_BTF_GET_NEXT_ID", 23),
    f("BPF_MAP_LOOKUP_BATCH", 24),
    f("BPF_MAP_LOOKUP_AND_DELETE_BATCH", 25),
    f("BPF_MAP_UPDATE_BATCH", 26),
    f("BPF_MAP_DELETE_BATCH", 27),
    f("BPF_LINK_CREATE", 28),
    f("BPF_LINK_UPDATE", 29),
    f("BPF_LINK_GET_FD_BY_ID", 30),
    f("BPF_LINK_GET_NEXT_ID", 31),
    f("BPF_ENABLE_STATS", 32),
    f("BPF_ITER_CREATE", 33),
    f("BPF_LINK_DETACH", 34),
    f("BPF_PROG_BIND_MAP", 35),
];

const fn d(ptype: u8, fmt: u8) -> ParamInfo {
    ParamInfo {
        name: "",
        ptype,
        fmt,
        extra: ParamExtra::None,
    }
}

/// `sockopt_dynamic_param`, indexed by PPM_SOCKOPT_IDX_*: unknown, errno, u32, u64, timeval.
pub static SOCKOPT_DYNAMIC_PARAM: &[ParamInfo] = &[
    d(PT_BYTEBUF, PF_HEX),
    d(PT_ERRNO, PF_DEC),
    d(PT_UINT32, PF_DEC),
    d(PT_UINT64, PF_DEC),
    d(PT_RELTIME, PF_DEC),
];

/// `ptrace_dynamic_param`, indexed by PPM_PTRACE_IDX_*: u64, signal.
pub static PTRACE_DYNAMIC_PARAM: &[ParamInfo] = &[d(PT_UINT64, PF_HEX), d(PT_SIGTYPE, PF_DEC)];

/// `bpf_dynamic_param`, indexed by PPM_BPF_IDX_*: fd, result.
pub static BPF_DYNAMIC_PARAM: &[ParamInfo] = &[d(PT_FD, PF_DEC), d(PT_ERRNO, PF_DEC)];

/// keyctl's arguments 2..5: a number, or a string for the operations that take one.
pub static KEYCTL_DYNAMIC_PARAM: &[ParamInfo] = &[d(PT_INT64, PF_DEC), d(PT_CHARBUF, PF_NA)];

/// `keyctl_operations` (libs driver/flags_table.c; the values are the kernel's KEYCTL_* numbers).
pub static KEYCTL_OPERATIONS: &[FlagName] = &[
    f("KEYCTL_GET_KEYRING_ID", 0),
    f("KEYCTL_JOIN_SESSION_KEYRING", 1),
    f("KEYCTL_UPDATE", 2),
    f("KEYCTL_REVOKE", 3),
    f("KEYCTL_CHOWN", 4),
    f("KEYCTL_SETPERM", 5),
    f("KEYCTL_DESCRIBE", 6),
    f("KEYCTL_CLEAR", 7),
    f("KEYCTL_LINK", 8),
    f("KEYCTL_UNLINK", 9),
    f("KEYCTL_SEARCH", 10),
    f("KEYCTL_READ", 11),
    f("KEYCTL_INSTANTIATE", 12),
    f("KEYCTL_NEGATE", 13),
    f("KEYCTL_SET_REQKEY_KEYRING", 14),
    f("KEYCTL_SET_TIMEOUT", 15),
    f("KEYCTL_ASSUME_AUTHORITY", 16),
    f("KEYCTL_GET_SECURITY", 17),
    f("KEYCTL_SESSION_TO_PARENT", 18),
    f("KEYCTL_REJECT", 19),
    f("KEYCTL_INSTANTIATE_IOV", 20),
    f("KEYCTL_INVALIDATE", 21),
    f("KEYCTL_GET_PERSISTENT", 22),
    f("KEYCTL_DH_COMPUTE", 23),
    f("KEYCTL_PKEY_QUERY", 24),
    f("KEYCTL_PKEY_ENCRYPT", 25),
    f("KEYCTL_PKEY_DECRYPT", 26),
    f("KEYCTL_PKEY_SIGN", 27),
    f("KEYCTL_PKEY_VERIFY", 28),
    f("KEYCTL_RESTRICT_KEYRING", 29),
    f("KEYCTL_MOVE", 30),
    f("KEYCTL_CAPABILITIES", 31),
    f("KEYCTL_WATCH_KEY", 32),
];

/// `close_range_flags` (libs driver/flags_table.c).
pub static CLOSE_RANGE_FLAGS: &[FlagName] = &[
    f("CLOSE_RANGE_UNSHARE", 1 << 1),
    f("CLOSE_RANGE_CLOEXEC", 1 << 2),
];
