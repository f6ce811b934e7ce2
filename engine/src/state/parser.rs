//! Event → state updates: the thread table (clone, execve, procexit, chdir, setuid…), fd tables (open,
//! socket, connect, accept, dup, pipe, close…) and containers.
//!
//! Handlers look parameters up by name, so every version of an event (the 2016 execve with 8
//! parameters and today's with 30) goes through the same code: rules see one representation.
//! Removals (close, procexit) take effect before the next event, so the event that closes an fd or
//! ends a thread still shows it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

use super::fds::{FdInfo, FdType, IpTuple, L4Proto, SocketRole};
use super::threads::{ThreadInfo, split_nul};
use super::{ContainerInfo, State};
use crate::abi::sock_family;
use crate::event::Event;
use crate::schema::{self, Direction, ef, pt};

/// What an event type does to state, computed once per type from the schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Other,
    Open,
    Socket,
    Connect,
    Accept,
    Bind,
    Close,
    Dup,
    Fcntl,
    Pipe,
    SocketPair,
    NamedFd(FdType),
    Chdir,
    Fchdir,
    Clone,
    Execve,
    ProcExit,
    SetUid,
    SetGid,
    SetResUid,
    SetResGid,
    SendRecv,
    ReadWrite,
    Container,
    ContainerJson,
    ProcInfo,
}

fn kind_of(name: &str) -> Kind {
    match name {
        "open" | "openat" | "openat2" | "creat" | "open_by_handle_at" => Kind::Open,
        "socket" => Kind::Socket,
        "connect" => Kind::Connect,
        "accept" | "accept4" => Kind::Accept,
        "bind" => Kind::Bind,
        "close" => Kind::Close,
        "dup" | "dup2" | "dup3" => Kind::Dup,
        "fcntl" => Kind::Fcntl,
        "pipe" | "pipe2" => Kind::Pipe,
        "socketpair" => Kind::SocketPair,
        "eventfd" | "eventfd2" => Kind::NamedFd(FdType::Event),
        "signalfd" | "signalfd4" => Kind::NamedFd(FdType::SignalFd),
        "timerfd_create" => Kind::NamedFd(FdType::TimerFd),
        "inotify_init" | "inotify_init1" => Kind::NamedFd(FdType::Inotify),
        "epoll_create" | "epoll_create1" => Kind::NamedFd(FdType::EventPoll),
        "userfaultfd" => Kind::NamedFd(FdType::UserFaultFd),
        "io_uring_setup" => Kind::NamedFd(FdType::IoUring),
        "memfd_create" => Kind::NamedFd(FdType::MemFd),
        "pidfd_open" | "pidfd_getfd" => Kind::NamedFd(FdType::PidFd),
        "bpf" => Kind::NamedFd(FdType::Bpf),
        "chdir" => Kind::Chdir,
        "fchdir" => Kind::Fchdir,
        "clone" | "clone3" | "fork" | "vfork" => Kind::Clone,
        "execve" | "execveat" => Kind::Execve,
        "procexit" => Kind::ProcExit,
        "setuid" => Kind::SetUid,
        "setgid" => Kind::SetGid,
        "setresuid" => Kind::SetResUid,
        "setresgid" => Kind::SetResGid,
        "sendto" | "recvfrom" | "sendmsg" | "recvmsg" => Kind::SendRecv,
        "read" | "write" | "pread" | "pwrite" | "readv" | "writev" | "preadv" | "pwritev"
        | "send" | "recv" => Kind::ReadWrite,
        "container" => Kind::Container,
        "procinfo" => Kind::ProcInfo,
        _ => Kind::Other,
    }
}

/// Per event type: its state kind and whether it works on an fd.
#[derive(Debug, Clone, Copy)]
pub struct TypeInfo {
    pub kind: Kind,
    /// Scheduler switches and other EF_SKIPPARSERESET events leave the thread's last syscall alone.
    pub skip_pairing: bool,
    pub creates_fd: bool,
    pub uses_fd: bool,
    pub destroys_fd: bool,
}

/// The per-type table, built once from the schema.
pub fn type_table() -> &'static [TypeInfo] {
    static TABLE: OnceLock<Vec<TypeInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        schema::table::EVENTS
            .iter()
            .map(|e| {
                let mut kind = kind_of(e.name);
                if kind == Kind::Container && e.params.first().is_some_and(|p| p.name == "json") {
                    kind = Kind::ContainerJson;
                }
                TypeInfo {
                    kind,
                    skip_pairing: e.flags & ef::EF_SKIPPARSERESET != 0 || e.name == "switch",
                    creates_fd: e.flags & ef::EF_CREATES_FD != 0,
                    uses_fd: e.flags & ef::EF_USES_FD != 0,
                    destroys_fd: e.flags & ef::EF_DESTROYS_FD != 0,
                }
            })
            .collect()
    })
}

pub fn type_info(event_type: u16) -> TypeInfo {
    type_table()
        .get(event_type as usize)
        .copied()
        .unwrap_or(TypeInfo {
            kind: Kind::Other,
            skip_pairing: false,
            creates_fd: false,
            uses_fd: false,
            destroys_fd: false,
        })
}

/// What processing an event found out, for field extraction.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventCtx {
    /// The fd the event works on (`fd.num`): the fd argument, or the one a creating syscall returned;
    /// -1 on the enter event of a syscall that creates one. None when the event has no fd.
    pub fd: Option<i64>,
    /// The fd table entry applies to this event (false for an exit whose enter event was not seen).
    pub fd_valid: bool,
}

/// PPM_O_DIRECTORY: the driver's encoding of O_DIRECTORY in open flags.
pub const PPM_O_DIRECTORY: u32 = 1 << 10;

// ---- parameter helpers ---------------------------------------------------------------------------

pub(crate) fn p_i64(e: &Event<'_>, name: &str) -> Option<i64> {
    e.param_index(name).and_then(|i| e.param_i64(i))
}

pub(crate) fn p_u64(e: &Event<'_>, name: &str) -> Option<u64> {
    e.param_index(name).and_then(|i| e.param_u64(i))
}

pub(crate) fn p_str<'a>(e: &Event<'a>, name: &str) -> Option<&'a [u8]> {
    e.param_by_name(name).map(crate::scap::trim_nul)
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The return value of an exit event: `res`, or the created `fd`.
pub(crate) fn retval(e: &Event<'_>) -> Option<i64> {
    let info = e.info()?;
    let p0 = info.params.first()?;
    if p0.name == "res" || (p0.name == "fd" && info.flags & ef::EF_CREATES_FD != 0) {
        return e.param_i64(0);
    }
    p_i64(e, "res")
}

/// A parsed PT_SOCKADDR / PT_SOCKTUPLE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SockAddr {
    Ip(IpAddr, u16),
    Unix(String),
    Other(u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SockTuple {
    Ip(IpTuple),
    Unix {
        source: u64,
        dest: u64,
        path: String,
    },
    Other(u8),
}

fn ip4(b: &[u8]) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
}

fn ip6(b: &[u8]) -> IpAddr {
    let a: [u8; 16] = b[..16].try_into().expect("16 bytes");
    // IPv4-mapped addresses print as IPv4, as sysdig does.
    let v6 = Ipv6Addr::from(a);
    match v6.to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(v6),
    }
}

fn port(b: &[u8]) -> u16 {
    u16::from_le_bytes([b[0], b[1]])
}

pub fn parse_sockaddr(b: &[u8]) -> Option<SockAddr> {
    let fam = *b.first()?;
    let d = &b[1..];
    Some(match fam {
        sock_family::AF_INET if d.len() >= 6 => SockAddr::Ip(ip4(d), port(&d[4..])),
        sock_family::AF_INET6 if d.len() >= 18 => SockAddr::Ip(ip6(d), port(&d[16..])),
        sock_family::AF_UNIX => SockAddr::Unix(lossy(crate::scap::trim_nul(d))),
        _ => SockAddr::Other(fam),
    })
}

pub fn parse_socktuple(b: &[u8]) -> Option<SockTuple> {
    let fam = *b.first()?;
    let d = &b[1..];
    Some(match fam {
        sock_family::AF_INET if d.len() >= 12 => SockTuple::Ip(IpTuple {
            sip: ip4(d),
            sport: port(&d[4..]),
            dip: ip4(&d[6..]),
            dport: port(&d[10..]),
        }),
        sock_family::AF_INET6 if d.len() >= 36 => SockTuple::Ip(IpTuple {
            sip: ip6(d),
            sport: port(&d[16..]),
            dip: ip6(&d[18..]),
            dport: port(&d[34..]),
        }),
        sock_family::AF_UNIX if d.len() >= 16 => SockTuple::Unix {
            source: u64::from_le_bytes(d[..8].try_into().expect("8")),
            dest: u64::from_le_bytes(d[8..16].try_into().expect("8")),
            path: lossy(crate::scap::trim_nul(&d[16..])),
        },
        _ => SockTuple::Other(fam),
    })
}

/// Joins `path` to `base` (a directory, with or without a trailing slash) and removes `.` and `..`
/// components, as sysdig does for relative paths.
pub fn concat_paths(base: &str, path: &str) -> String {
    let joined = if path.starts_with('/') || base.is_empty() {
        path.to_string()
    } else if base.ends_with('/') {
        format!("{base}{path}")
    } else {
        format!("{base}/{path}")
    };
    normalize_path(&joined)
}

fn normalize_path(p: &str) -> String {
    if !p.starts_with('/') {
        return p.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut s = String::with_capacity(p.len());
    for c in &parts {
        s.push('/');
        s.push_str(c);
    }
    if s.is_empty() {
        s.push('/');
    }
    if p.ends_with('/') && s.len() > 1 {
        s.push('/');
    }
    s
}

// ---- the parser ----------------------------------------------------------------------------------

/// errno values the parser needs.
const EINPROGRESS: i64 = -115;

impl State {
    /// Applies one event to the state and returns what field extraction needs to know about it.
    pub fn process(&mut self, e: &Event<'_>) -> EventCtx {
        self.apply_pending();
        let ti = type_info(e.event_type);
        let tid = e.tid;
        // Threads seen first mid-flight get a placeholder; procinfo records describe threads but do
        // not make them known (sysdig does the same).
        let bookkeeping = matches!(
            ti.kind,
            Kind::ProcInfo | Kind::Container | Kind::ContainerJson
        );
        if !bookkeeping && !ti.skip_pairing && !self.threads.contains(tid) {
            self.add_thread(ThreadInfo::unknown(tid));
        }
        if ti.kind == Kind::ProcInfo || ti.kind == Kind::Container || ti.kind == Kind::ContainerJson
        {
            if ti.kind == Kind::Container {
                self.parse_container(e);
            } else if ti.kind == Kind::ContainerJson {
                self.parse_container_json(e);
            }
            return EventCtx::default();
        }
        match e.direction() {
            Direction::Enter => self.process_enter(e, ti),
            Direction::Exit => self.process_exit(e, ti),
        }
    }

    fn apply_pending(&mut self) {
        for (tid, fd) in std::mem::take(&mut self.pending_fd_removals) {
            if let Some(t) = self.threads.fd_table_mut(tid) {
                t.remove(fd);
            }
        }
        if let Some(tid) = self.pending_thread_removal.take() {
            self.remove_thread(tid);
        }
    }

    fn process_enter(&mut self, e: &Event<'_>, ti: TypeInfo) -> EventCtx {
        // Scheduler and other bookkeeping events do not interrupt a syscall's enter/exit pairing.
        if ti.skip_pairing {
            return EventCtx::default();
        }
        let fd = if ti.uses_fd {
            first_fd_param(e).unwrap_or(-1)
        } else {
            -1
        };
        if let Some(t) = self.threads.get_mut(e.tid) {
            t.last_enter.clear();
            t.last_enter.extend_from_slice(e.bytes());
            if t.last_enter.capacity() > 64 << 10 {
                t.last_enter.shrink_to(4 << 10);
            }
            t.last_enter_type = e.event_type;
            t.last_fd = fd;
        }
        match ti.kind {
            Kind::ProcExit => {
                self.pending_thread_removal = Some(e.tid);
                if let Some(t) = self.threads.get_mut(e.tid) {
                    t.exited = true;
                }
            }
            Kind::Connect => self.parse_connect_enter(e, fd),
            Kind::SendRecv if e.name() == "sendto" && self.fd(e.tid, fd).is_none() => {
                self.infer_sendto_socket(e, fd)
            }
            _ => {}
        }
        self.ctx_for(e, ti, true)
    }

    /// fd.num and whether the fd table entry applies, after parsing.
    fn ctx_for(&self, e: &Event<'_>, ti: TypeInfo, valid: bool) -> EventCtx {
        let mut ctx = EventCtx::default();
        if (ti.uses_fd || ti.creates_fd || ti.destroys_fd)
            && let Some(t) = self.threads.get(e.tid)
        {
            ctx.fd = Some(t.last_fd);
            ctx.fd_valid = valid;
        }
        ctx
    }

    /// The matching enter event of this thread, if it was the last one seen.
    fn enter_for<'s>(&'s self, e: &Event<'_>) -> Option<Event<'s>> {
        let t = self.threads.get(e.tid)?;
        if t.last_enter.is_empty() || !enter_matches(t.last_enter_type, e.event_type) {
            return None;
        }
        Event::from_bytes(&t.last_enter, e.cpu).ok()
    }

    fn set_last_fd(&mut self, tid: i64, fd: i64) {
        if let Some(t) = self.threads.get_mut(tid) {
            t.last_fd = fd;
        }
    }

    fn process_exit(&mut self, e: &Event<'_>, ti: TypeInfo) -> EventCtx {
        let res = retval(e);
        let valid = self
            .threads
            .get(e.tid)
            .is_some_and(|t| enter_matches(t.last_enter_type, e.event_type));
        // Today's layouts carry the fd in the exit event; the 2016 ones only in the enter event.
        if ti.uses_fd
            && !ti.creates_fd
            && let Some(fd) = first_fd_param_named(e, "fd")
        {
            self.set_last_fd(e.tid, fd);
        }
        let valid = valid || (ti.uses_fd && first_fd_param_named(e, "fd").is_some());
        let used_fd = self.threads.get(e.tid).map(|t| t.last_fd).filter(|_| valid);
        match ti.kind {
            Kind::Open => self.parse_open(e, res),
            Kind::Socket => self.parse_socket(e, res),
            Kind::Connect => self.parse_connect_exit(e, res, used_fd),
            Kind::Accept => self.parse_accept(e, res),
            Kind::Bind => self.parse_bind(e, res, used_fd),
            Kind::Close => {
                if let (Some(r), Some(fd)) = (res, used_fd)
                    && r >= 0
                    && self.fd(e.tid, fd).is_some()
                {
                    self.pending_fd_removals.push((e.tid, fd));
                }
            }
            Kind::Dup => {
                // The old fd: the enter event's (2016) or the exit's "oldfd"/"fd".
                let old = p_i64(e, "oldfd").or(used_fd);
                if let (Some(newfd), Some(oldfd)) = (res, old)
                    && newfd >= 0
                {
                    self.dup_fd(e.tid, oldfd, newfd);
                }
            }
            Kind::Fcntl => {
                let cmd = self
                    .enter_for(e)
                    .and_then(|en| p_u64(&en, "cmd"))
                    .or_else(|| p_u64(e, "cmd"));
                if let (Some(c), Some(newfd), Some(oldfd)) = (cmd, res, used_fd) {
                    // PPM_FCNTL_F_DUPFD / F_DUPFD_CLOEXEC return a copy of the fd.
                    if (c == 1 || c == 26) && newfd >= 0 {
                        self.dup_fd(e.tid, oldfd, newfd);
                    }
                }
            }
            Kind::Pipe => {
                if res.is_some_and(|r| r >= 0) {
                    let ino = p_u64(e, "ino").unwrap_or(0);
                    let flags = p_u64(e, "flags").unwrap_or(0) as u32;
                    let mut last = None;
                    for name in ["fd1", "fd2"] {
                        if let Some(fd) = p_i64(e, name) {
                            let mut fi = FdInfo::named(FdType::Fifo, "");
                            fi.ino = ino;
                            fi.open_flags = flags;
                            self.add_fd(e.tid, fd, fi);
                            last = Some(fd);
                        }
                    }
                    if let Some(fd) = last {
                        self.set_last_fd(e.tid, fd);
                    }
                }
            }
            Kind::SocketPair => {
                if res.is_some_and(|r| r >= 0) {
                    let (fd1, fd2) = (p_i64(e, "fd1").unwrap_or(-1), p_i64(e, "fd2").unwrap_or(-1));
                    if fd1 != fd2 {
                        let mut fi = FdInfo::named(FdType::UnixSock, "");
                        fi.unix_source = p_u64(e, "source").unwrap_or(0);
                        fi.unix_dest = p_u64(e, "peer").unwrap_or(0);
                        self.add_fd(e.tid, fd1, fi.clone());
                        self.add_fd(e.tid, fd2, fi);
                        self.set_last_fd(e.tid, fd1);
                    }
                }
            }
            Kind::NamedFd(kind) => {
                if let Some(fd) = res.filter(|f| *f >= 0) {
                    let name = match kind {
                        FdType::MemFd => p_str(e, "name")
                            .map(|n| format!("memfd:{}", lossy(n)))
                            .unwrap_or_default(),
                        _ => String::new(),
                    };
                    self.add_fd(e.tid, fd, FdInfo::named(kind, name));
                    self.set_last_fd(e.tid, fd);
                }
            }
            Kind::Chdir => {
                if res.is_some_and(|r| r >= 0)
                    && let Some(path) = p_str(e, "path")
                {
                    let path = lossy(path);
                    if let Some(t) = self.threads.get_mut(e.tid) {
                        t.cwd = with_slash(concat_paths(&t.cwd, &path));
                    }
                }
            }
            Kind::Fchdir => {
                if res.is_some_and(|r| r >= 0)
                    && let Some(fd) = used_fd
                {
                    let name = self.fd(e.tid, fd).map(|f| f.name.clone());
                    if let (Some(name), Some(t)) = (name, self.threads.get_mut(e.tid)) {
                        t.cwd = with_slash(name);
                    }
                }
            }
            Kind::Clone => self.parse_clone(e, res),
            Kind::Execve => self.parse_execve(e, res),
            Kind::ProcExit => {
                self.pending_thread_removal = Some(e.tid);
            }
            Kind::SetUid | Kind::SetResUid | Kind::SetGid | Kind::SetResGid => {
                self.parse_setid(e, ti.kind, res)
            }
            Kind::SendRecv => self.parse_sendrecv(e, res, used_fd),
            Kind::ReadWrite => self.mark_connected(e.tid, res, used_fd),
            Kind::Container | Kind::ContainerJson | Kind::ProcInfo | Kind::Other => {}
        }
        self.ctx_for(e, ti, valid)
    }

    fn parse_open(&mut self, e: &Event<'_>, res: Option<i64>) {
        let enter = self.enter_for(e);
        // The enter event's path wins (it is what the caller asked for); old openat layouts have it
        // only there.
        let name = enter
            .as_ref()
            .and_then(|en| p_str(en, "name"))
            .filter(|n| *n != b"<NA>")
            .or_else(|| p_str(e, "name"))
            .or_else(|| p_str(e, "pathname"))
            .map(lossy);
        let flags = enter
            .as_ref()
            .and_then(|en| p_u64(en, "flags"))
            .or_else(|| p_u64(e, "flags"))
            .unwrap_or(0) as u32;
        let dirfd = enter
            .as_ref()
            .and_then(|en| p_i64(en, "dirfd"))
            .or_else(|| p_i64(e, "dirfd"));
        let Some(fd) = res.filter(|f| *f >= 0) else {
            return;
        };
        let dev = p_u64(e, "dev").unwrap_or(0) as u32;
        let ino = p_u64(e, "ino").unwrap_or(0);
        let name = name.unwrap_or_default();
        let path = self.resolve_path(e.tid, dirfd, &name);
        let kind = if flags & PPM_O_DIRECTORY != 0 {
            FdType::Directory
        } else {
            FdType::File
        };
        let mut fi = FdInfo::named(kind, path);
        fi.open_flags = flags;
        fi.dev = dev;
        fi.ino = ino;
        self.add_fd(e.tid, fd, fi);
        self.set_last_fd(e.tid, fd);
    }

    /// Resolves a path of an *at() syscall (dirfd, or the cwd for AT_FDCWD / plain calls).
    pub fn resolve_path(&self, tid: i64, dirfd: Option<i64>, path: &str) -> String {
        if path.starts_with('/') {
            return concat_paths("", path);
        }
        let base = match dirfd {
            Some(d) if d != crate::abi::AT_FDCWD => match self.fd(tid, d) {
                Some(f) => f.name.clone(),
                None => return path.to_string(),
            },
            _ => self
                .threads
                .get(tid)
                .map(|t| t.cwd.clone())
                .unwrap_or_default(),
        };
        if base.is_empty() {
            return path.to_string();
        }
        concat_paths(&base, path)
    }

    fn parse_socket(&mut self, e: &Event<'_>, res: Option<i64>) {
        let Some(fd) = res.filter(|f| *f >= 0) else {
            return;
        };
        // Without the enter event (and no parameters in the exit), the socket stays unknown, as in sysdig.
        let enter = self.enter_for(e);
        let get = |n: &str| p_u64(e, n).or_else(|| enter.as_ref().and_then(|en| p_u64(en, n)));
        let (Some(domain), Some(stype), Some(proto)) = (get("domain"), get("type"), get("proto"))
        else {
            return;
        };
        self.add_socket(e.tid, fd, domain as u8, stype as u32, proto as u32);
        self.set_last_fd(e.tid, fd);
    }

    fn add_socket(&mut self, tid: i64, fd: i64, domain: u8, stype: u32, proto: u32) {
        const SOCK_STREAM: u32 = 1;
        const SOCK_DGRAM: u32 = 2;
        const SOCK_RAW: u32 = 3;
        let kind = match domain {
            sock_family::AF_UNIX => FdType::UnixSock,
            sock_family::AF_INET => FdType::Ipv4Sock,
            sock_family::AF_INET6 => FdType::Ipv6Sock,
            sock_family::AF_NETLINK => FdType::Netlink,
            _ => FdType::Unknown,
        };
        let mut fi = FdInfo::named(kind, "");
        if kind.is_ip_socket() {
            let raw = stype & 0xff == SOCK_RAW;
            fi.l4proto = match proto {
                6 => {
                    if raw {
                        L4Proto::Raw
                    } else {
                        L4Proto::Tcp
                    }
                }
                17 => {
                    if raw {
                        L4Proto::Raw
                    } else {
                        L4Proto::Udp
                    }
                }
                1 | 58 => {
                    if raw {
                        L4Proto::Raw
                    } else {
                        L4Proto::Icmp
                    }
                }
                255 => L4Proto::Raw,
                0 => match stype & 0xff {
                    SOCK_STREAM => L4Proto::Tcp,
                    SOCK_DGRAM => L4Proto::Udp,
                    _ => L4Proto::Unknown,
                },
                _ => L4Proto::Unknown,
            };
        }
        self.add_fd(tid, fd, fi);
    }

    /// A sendto on an fd falco never saw created: assume a UDP socket, as sysdig does.
    fn infer_sendto_socket(&mut self, e: &Event<'_>, fd: i64) {
        if fd < 0 {
            return;
        }
        let Some(&fam) = e.param_by_name("tuple").and_then(|t| t.first()) else {
            return;
        };
        if fam == sock_family::AF_INET || fam == sock_family::AF_INET6 {
            self.add_socket(e.tid, fd, fam, 2, 17);
        }
    }

    fn parse_connect_enter(&mut self, e: &Event<'_>, fd: i64) {
        // Today's connect enter carries the address: the destination (or the unix path) is known
        // before the call returns.
        let Some(addr) = e.param_by_name("addr").filter(|a| !a.is_empty()) else {
            return;
        };
        let Some(fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return;
        };
        match parse_sockaddr(addr) {
            Some(SockAddr::Ip(ip, port)) => {
                fi.kind = if ip.is_ipv6() {
                    FdType::Ipv6Sock
                } else {
                    FdType::Ipv4Sock
                };
                let mut t = fi.tuple.unwrap_or_else(|| empty_tuple(ip.is_ipv6()));
                t.dip = ip;
                t.dport = port;
                fi.tuple = Some(t);
            }
            Some(SockAddr::Unix(path)) => fi.name = path,
            _ => {}
        }
    }

    fn parse_connect_exit(&mut self, e: &Event<'_>, res: Option<i64>, fd: Option<i64>) {
        let Some(res) = res else { return };
        if res < 0 && res != EINPROGRESS {
            return;
        }
        // Without the enter event, today's exit names the fd itself.
        let fd = fd.or_else(|| p_i64(e, "fd").filter(|f| *f >= 0));
        let Some(fd) = fd else { return };
        let Some(tuple) = e
            .param_by_name("tuple")
            .filter(|t| !t.is_empty())
            .and_then(parse_socktuple)
        else {
            return;
        };
        let Some(fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return;
        };
        fi.connected = true;
        match tuple {
            SockTuple::Ip(t) => {
                fi.kind = if t.sip.is_ipv6() {
                    FdType::Ipv6Sock
                } else {
                    FdType::Ipv4Sock
                };
                let changed = update_addresses(fi, &t, false);
                if changed && fi.role == SocketRole::Server && fi.l4proto == L4Proto::Udp {
                    swap_tuple(fi);
                }
                fi.name = fi
                    .tuple
                    .as_ref()
                    .map(crate::state::fds::format_tuple)
                    .unwrap_or_default();
            }
            SockTuple::Unix { source, dest, path } => {
                fi.unix_source = source;
                fi.unix_dest = dest;
                fi.name = unix_name(source, dest, &path);
            }
            SockTuple::Other(_) => {}
        }
        if fi.role == SocketRole::None {
            fi.role = SocketRole::Client;
        }
    }

    fn parse_accept(&mut self, e: &Event<'_>, res: Option<i64>) {
        let Some(fd) = res.filter(|f| *f >= 0) else {
            return;
        };
        self.set_last_fd(e.tid, fd);
        let Some(tuple) = e
            .param_by_name("tuple")
            .filter(|t| !t.is_empty())
            .and_then(parse_socktuple)
        else {
            return;
        };
        let mut fi = FdInfo::default();
        match tuple {
            SockTuple::Ip(t) => {
                fi.kind = if t.sip.is_ipv6() {
                    FdType::Ipv6Sock
                } else {
                    FdType::Ipv4Sock
                };
                fi.l4proto = L4Proto::Tcp;
                fi.set_tuple(t);
            }
            SockTuple::Unix { source, dest, path } => {
                fi.kind = FdType::UnixSock;
                fi.unix_source = source;
                fi.unix_dest = dest;
                fi.name = unix_name(source, dest, &path);
            }
            SockTuple::Other(_) => return,
        }
        fi.role = SocketRole::Server;
        fi.connected = true;
        self.add_fd(e.tid, fd, fi);
    }

    fn parse_bind(&mut self, e: &Event<'_>, res: Option<i64>, fd: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        let Some(fd) = fd else { return };
        let Some(raw) = e.param_by_name("addr").filter(|a| !a.is_empty()) else {
            return;
        };
        let Some(fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return;
        };
        match parse_sockaddr(raw) {
            Some(SockAddr::Ip(ip, port)) => {
                if port > 0 {
                    fi.kind = if ip.is_ipv6() {
                        FdType::Ipv6ServSock
                    } else {
                        FdType::Ipv4ServSock
                    };
                    fi.tuple = Some(IpTuple {
                        sip: if ip.is_ipv6() {
                            IpAddr::V6(Ipv6Addr::UNSPECIFIED)
                        } else {
                            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
                        },
                        sport: 0,
                        dip: ip,
                        dport: port,
                    });
                    fi.role = SocketRole::Server;
                }
                fi.name = format!("{ip}:{port}");
            }
            Some(SockAddr::Unix(path)) => fi.name = path,
            _ => {}
        }
    }

    /// A successful read or write on an IP socket means it is connected.
    fn mark_connected(&mut self, tid: i64, res: Option<i64>, fd: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        let Some(fd) = fd else { return };
        if let Some(fi) = self.threads.fd_table_mut(tid).and_then(|t| t.get_mut(fd))
            && (fi.kind == FdType::Ipv4Sock || fi.kind == FdType::Ipv6Sock)
        {
            fi.connected = true;
        }
    }

    fn parse_sendrecv(&mut self, e: &Event<'_>, res: Option<i64>, fd: Option<i64>) {
        self.mark_connected(e.tid, res, fd);
        // Connectionless sockets learn their peer from sendto/recvfrom/sendmsg/recvmsg.
        if res.is_none_or(|r| r < 0) {
            return;
        }
        let Some(fd) = fd else { return };
        let incoming = e.name().starts_with("recv");
        let raw: Option<Vec<u8>> = if incoming {
            e.param_by_name("tuple").map(<[u8]>::to_vec)
        } else {
            self.enter_for(e)
                .and_then(|en| en.param_by_name("tuple").map(<[u8]>::to_vec))
        };
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            return;
        };
        let Some(tuple) = parse_socktuple(&raw) else {
            return;
        };
        let interfaces = &self.interfaces;
        let Some(fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return;
        };
        if !(fi.name.is_empty() || fi.l4proto != L4Proto::Tcp) {
            return;
        }
        match tuple {
            SockTuple::Ip(t) => {
                if fi.kind == FdType::Ipv4ServSock || fi.kind == FdType::Ipv6ServSock {
                    fi.tuple = None;
                }
                fi.kind = if t.sip.is_ipv6() {
                    FdType::Ipv6Sock
                } else {
                    FdType::Ipv4Sock
                };
                if !update_addresses(fi, &t, false) {
                    return;
                }
                if fi.l4proto == L4Proto::Unknown {
                    fi.l4proto = L4Proto::Udp;
                }
                patch_incomplete_tuple(fi, interfaces);
                if fi.role == SocketRole::None {
                    fi.role = if incoming {
                        SocketRole::Server
                    } else {
                        SocketRole::Client
                    };
                }
                if (incoming && fi.role == SocketRole::Client)
                    || (!incoming && fi.role == SocketRole::Server)
                {
                    swap_tuple(fi);
                }
                fi.name = fi
                    .tuple
                    .as_ref()
                    .map(crate::state::fds::format_tuple)
                    .unwrap_or_default();
            }
            SockTuple::Unix { source, dest, path } => {
                fi.kind = FdType::UnixSock;
                fi.unix_source = source;
                fi.unix_dest = dest;
                fi.name = path;
            }
            SockTuple::Other(_) => {}
        }
    }

    fn dup_fd(&mut self, tid: i64, oldfd: i64, newfd: i64) {
        if let Some(fi) = self.fd(tid, oldfd).cloned() {
            self.add_fd(tid, newfd, fi);
            self.set_last_fd(tid, newfd);
        }
    }

    fn parse_clone(&mut self, e: &Event<'_>, res: Option<i64>) {
        const CLONE_THREAD: u64 = 1 << 13; // PPM_CL_CLONE_THREAD
        let Some(res) = res else { return };
        if res < 0 {
            return;
        }
        let flags = p_u64(e, "flags").unwrap_or(0);
        let is_thread = flags & CLONE_THREAD != 0;
        if res == 0 {
            self.parse_clone_child(e, flags, is_thread);
            return;
        }
        // The caller's side: complete a placeholder caller from the event.
        if let Some(t) = self.threads.get_mut(e.tid)
            && t.incomplete
        {
            if let Some(p) = p_i64(e, "pid") {
                t.pid = p;
            }
            if let Some(p) = p_i64(e, "ptid") {
                t.ptid = p;
            }
        }
        let Some(caller) = self.threads.get(e.tid) else {
            return;
        };
        let caller_valid = !caller.incomplete;
        // A child already created by its own clone exit keeps its data.
        if self.threads.get(res).is_some_and(|c| c.clone_inverted) {
            return;
        }
        let mut child = ThreadInfo::unknown(res);
        child.flags = flags as u32;
        if is_thread {
            child.pid = caller.pid;
            child.ptid = caller.ptid;
        } else {
            child.pid = res;
            child.ptid = caller.tid;
            if caller_valid {
                child.cwd = caller.cwd.clone();
                child.env = caller.env.clone();
                if let Some(owner) = self.threads.fd_owner(e.tid) {
                    child.fds = owner.fds.clone();
                }
            }
        }
        // The caller cannot know the child's ids in its pid namespace; the child's own exit tells.
        child.vtid = -1;
        child.vpid = -1;
        if caller_valid {
            copy_inherited(&mut child, caller);
        }
        fill_child_from_event(&mut child, e);
        child.clone_ts = e.ts;
        child.incomplete = false;
        if !caller_valid {
            // What the event says about the child is the best we know about the caller too.
            let (exe, comm, args) = (child.exe.clone(), child.comm.clone(), child.args.clone());
            if let Some(c) = self.threads.get_mut(e.tid) {
                c.exe = exe;
                c.comm = comm;
                c.args = args;
            }
        }
        self.threads.remove(res);
        self.add_thread(child);
    }

    fn parse_clone_child(&mut self, e: &Event<'_>, flags: u64, is_thread: bool) {
        // The caller's exit may already have created this thread: it only learns its namespace ids.
        if let Some(t) = self.threads.get_mut(e.tid)
            && t.clone_ts != 0
            && !t.incomplete
        {
            if let Some(v) = p_i64(e, "vtid") {
                t.vtid = v;
            }
            if let Some(v) = p_i64(e, "vpid") {
                t.vpid = v;
            }
            return;
        }
        let mut child = ThreadInfo::unknown(e.tid);
        child.pid = p_i64(e, "pid").unwrap_or(e.tid);
        child.ptid = p_i64(e, "ptid").unwrap_or(-1);
        child.vtid = p_i64(e, "vtid").unwrap_or(e.tid);
        child.vpid = p_i64(e, "vpid").unwrap_or(-1);
        child.flags = flags as u32;
        child.clone_inverted = true;
        let lookup = if is_thread { child.pid } else { child.ptid };
        if let Some(l) = self.threads.get(lookup).filter(|l| !l.incomplete) {
            copy_inherited(&mut child, l);
            if !is_thread {
                child.cwd = l.cwd.clone();
                child.env = l.env.clone();
                if let Some(owner) = self.threads.fd_owner(lookup) {
                    child.fds = owner.fds.clone();
                }
            }
        }
        fill_child_from_event(&mut child, e);
        child.clone_ts = e.ts;
        child.incomplete = false;
        self.threads.remove(e.tid);
        self.add_thread(child);
    }

    fn parse_execve(&mut self, e: &Event<'_>, res: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        // The path the caller asked to run, from the enter event (execve_E filename) when present.
        let enter_path = self.enter_for(e).and_then(|en| {
            p_str(&en, "filename")
                .or_else(|| p_str(&en, "pathname"))
                .map(lossy)
        });
        let tid = e.tid;
        let resolved = enter_path.map(|p| {
            if p == "<NA>" {
                p
            } else {
                self.resolve_path(tid, None, &p)
            }
        });
        let Some(t) = self.threads.get_mut(tid) else {
            return;
        };
        if let Some(exe) = p_str(e, "exe") {
            t.exe = lossy(exe);
        }
        // Old layouts have no comm: sysdig uses the exe.
        t.comm = match p_str(e, "comm") {
            Some(c) => lossy(c),
            None => t.exe.clone(),
        };
        if let Some(args) = e.param_by_name("args") {
            t.args = split_nul(args);
        }
        if let Some(p) = p_i64(e, "pid") {
            t.pid = p;
        }
        if t.incomplete
            && let Some(p) = p_i64(e, "ptid")
        {
            t.ptid = p;
        }
        if let Some(v) = p_u64(e, "fdlimit") {
            t.fdlimit = v;
        }
        if let Some(env) = e.param_by_name("env") {
            t.env = split_nul(env);
        }
        if let Some(cg) = e.param_by_name("cgroups") {
            t.set_cgroups(cg);
        }
        if let Some(v) = p_u64(e, "tty") {
            t.tty = v as u32;
        }
        if let Some(x) = p_str(e, "trusted_exepath") {
            t.exepath = lossy(x);
        } else if let Some(r) = resolved {
            t.exepath = r;
        }
        if let Some(v) = p_i64(e, "vpgid") {
            t.vpgid = v;
        }
        if let Some(v) = p_u64(e, "loginuid") {
            t.loginuid = v as u32;
        }
        if let Some(v) = p_u64(e, "flags") {
            const PPM_EXE_WRITABLE: u64 = 1;
            const PPM_EXE_UPPER_LAYER: u64 = 2;
            const PPM_EXE_FROM_MEMFD: u64 = 4;
            t.exe_writable = v & PPM_EXE_WRITABLE != 0;
            t.exe_upper_layer = v & PPM_EXE_UPPER_LAYER != 0;
            t.exe_from_memfd = v & PPM_EXE_FROM_MEMFD != 0;
        }
        if let Some(v) = p_u64(e, "cap_inheritable") {
            t.cap_inheritable = v;
        }
        if let Some(v) = p_u64(e, "cap_permitted") {
            t.cap_permitted = v;
        }
        if let Some(v) = p_u64(e, "cap_effective") {
            t.cap_effective = v;
        }
        if let Some(v) = p_u64(e, "uid") {
            t.uid = v as u32;
        }
        if let Some(v) = p_u64(e, "gid") {
            t.gid = v as u32;
        }
        t.incomplete = false;
        // An exec ends every other thread of the process.
        let pid = t.pid;
        let others: Vec<i64> = self
            .threads
            .iter()
            .filter(|o| o.pid == pid && o.tid != tid && o.tid != pid)
            .map(|o| o.tid)
            .collect();
        for o in others {
            self.threads.remove(o);
        }
    }

    fn parse_setid(&mut self, e: &Event<'_>, kind: Kind, res: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        let (name, is_gid) = match kind {
            Kind::SetUid => ("uid", false),
            Kind::SetGid => ("gid", true),
            Kind::SetResUid => ("euid", false),
            _ => ("egid", true),
        };
        let v = self
            .enter_for(e)
            .and_then(|en| p_u64(&en, name))
            .or_else(|| p_u64(e, name));
        let Some(v) = v.map(|v| v as u32) else { return };
        if v == u32::MAX {
            return; // -1: unchanged
        }
        if let Some(t) = self.threads.get_mut(e.tid) {
            if is_gid {
                t.gid = v;
            } else {
                t.uid = v;
            }
        }
    }

    fn parse_container(&mut self, e: &Event<'_>) {
        let id = p_str(e, "id").map(lossy).unwrap_or_default();
        if id.is_empty() {
            return;
        }
        let image = p_str(e, "image").map(lossy).unwrap_or_default();
        let (repo, tag) = split_image(&image);
        self.containers.upsert(ContainerInfo {
            id: id.chars().take(12).collect(),
            name: p_str(e, "name").map(lossy).unwrap_or_default(),
            image_repository: repo,
            image_tag: tag,
            image,
            ..Default::default()
        });
    }

    fn parse_container_json(&mut self, e: &Event<'_>) {
        let Some(json) = p_str(e, "json") else { return };
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(json) else {
            return;
        };
        let c = v.get("container").unwrap_or(&v);
        let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let id = s("id");
        if id.is_empty() {
            return;
        }
        let image = s("image");
        let (repo, tag) = split_image(&image);
        let runtime = match c.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            Some(serde_json::Value::Number(n)) => match n.as_u64() {
                Some(0) => "docker",
                Some(1) => "lxc",
                Some(2) => "libvirt-lxc",
                Some(3) => "mesos",
                Some(4) => "rkt",
                Some(5) => "custom",
                Some(6) => "cri",
                Some(7) => "containerd",
                Some(8) => "cri-o",
                Some(9) => "bpm",
                Some(10) => "static",
                Some(11) => "podman",
                _ => "unknown",
            }
            .to_string(),
            _ => String::new(),
        };
        self.containers.upsert(ContainerInfo {
            id: id.chars().take(12).collect(),
            name: s("name"),
            image_repository: if s("imagerepo").is_empty() {
                repo
            } else {
                s("imagerepo")
            },
            image_tag: if s("imagetag").is_empty() {
                tag
            } else {
                s("imagetag")
            },
            image,
            privileged: c.get("privileged").and_then(|x| x.as_bool()),
            runtime,
        });
    }
}

/// Whether `exit_type` is the exit of the enter event `enter_type` (execveat's success is an execve exit).
fn enter_matches(enter_type: u16, exit_type: u16) -> bool {
    enter_type.wrapping_add(1) == exit_type
        || (enter_type == crate::schema::ev::SYSCALL_EXECVEAT_E
            && crate::schema::info(exit_type).is_some_and(|i| i.name == "execve"))
}

fn empty_tuple(v6: bool) -> IpTuple {
    let z = if v6 {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    } else {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    };
    IpTuple {
        sip: z,
        sport: 0,
        dip: z,
        dport: 0,
    }
}

/// Sets the endpoints from an event tuple, as sysdig does: the source always, the destination only
/// when still unknown (or `overwrite_dest`). Returns false when nothing changed.
fn update_addresses(fi: &mut FdInfo, t: &IpTuple, overwrite_dest: bool) -> bool {
    let cur = fi.tuple.unwrap_or_else(|| empty_tuple(t.sip.is_ipv6()));
    let same = |a: &IpTuple| {
        (a.sip == t.sip && a.sport == t.sport && a.dip == t.dip && a.dport == t.dport)
            || (a.sip == t.dip && a.sport == t.dport && a.dip == t.sip && a.dport == t.sport)
    };
    if fi.tuple.is_some() && same(&cur) {
        return false;
    }
    let mut n = cur;
    let mut changed = false;
    if n.sip != t.sip || n.sport != t.sport {
        n.sip = t.sip;
        n.sport = t.sport;
        changed = true;
    }
    if n.dip.is_unspecified() || (overwrite_dest && n.dip != t.dip) {
        n.dip = t.dip;
        changed = true;
    }
    if n.dport == 0 || (overwrite_dest && n.dport != t.dport) {
        n.dport = t.dport;
        changed = true;
    }
    if n.sip.is_ipv6() != n.dip.is_ipv6() {
        n.dip = t.dip;
        n.dport = t.dport;
        changed = true;
    }
    fi.tuple = Some(n);
    changed || fi.name.is_empty()
}

fn swap_tuple(fi: &mut FdInfo) {
    if let Some(t) = fi.tuple.as_mut() {
        std::mem::swap(&mut t.sip, &mut t.dip);
        std::mem::swap(&mut t.sport, &mut t.dport);
    }
}

/// An unbound source (0.0.0.0 / ::) is filled in from the interface that reaches the destination.
fn patch_incomplete_tuple(fi: &mut FdInfo, interfaces: &[crate::scap::Interface]) {
    let Some(t) = fi.tuple.as_mut() else { return };
    let guess = |peer: IpAddr| -> Option<IpAddr> {
        if peer.is_loopback() {
            return Some(peer);
        }
        interfaces
            .iter()
            .find(|i| same_net(i.addr, i.netmask, peer))
            .map(|i| i.addr)
    };
    if t.sip.is_unspecified() && !t.dip.is_unspecified() {
        if let Some(ip) = guess(t.dip) {
            t.sip = ip;
        }
    } else if t.dip.is_unspecified()
        && !t.sip.is_unspecified()
        && let Some(ip) = guess(t.sip)
    {
        t.dip = ip;
    }
}

fn same_net(addr: IpAddr, mask: IpAddr, peer: IpAddr) -> bool {
    match (addr, mask, peer) {
        (IpAddr::V4(a), IpAddr::V4(m), IpAddr::V4(p)) => {
            let (a, m, p) = (u32::from(a), u32::from(m), u32::from(p));
            m != 0 && a & m == p & m
        }
        (IpAddr::V6(a), IpAddr::V6(m), IpAddr::V6(p)) => {
            let (a, m, p) = (u128::from(a), u128::from(m), u128::from(p));
            m != 0 && a & m == p & m
        }
        _ => false,
    }
}

/// sysdig's name of a unix socket from a tuple: `source->dest path`.
fn unix_name(source: u64, dest: u64, path: &str) -> String {
    format!("{source:x}->{dest:x} {path}")
}

/// What a new process or thread takes from its parent (or leader) besides what the event carries.
fn copy_inherited(child: &mut ThreadInfo, from: &ThreadInfo) {
    child.exepath = from.exepath.clone();
    child.exe_writable = from.exe_writable;
    child.exe_upper_layer = from.exe_upper_layer;
    child.exe_from_memfd = from.exe_from_memfd;
    child.root = from.root.clone();
    child.sid = from.sid;
    child.vpgid = from.vpgid;
    child.tty = from.tty;
    child.loginuid = from.loginuid;
    child.cap_permitted = from.cap_permitted;
    child.cap_inheritable = from.cap_inheritable;
    child.cap_effective = from.cap_effective;
    child.cgroups = from.cgroups.clone();
    child.container_id = from.container_id.clone();
}

/// The process description clone exits carry: exe, args, comm, fdlimit, memory, uid/gid, cgroups.
fn fill_child_from_event(child: &mut ThreadInfo, e: &Event<'_>) {
    if let Some(exe) = p_str(e, "exe") {
        child.exe = lossy(exe);
    }
    if let Some(args) = e.param_by_name("args") {
        child.args = split_nul(args);
    }
    child.comm = match p_str(e, "comm") {
        Some(c) => lossy(c),
        None => child.exe.clone(),
    };
    if let Some(v) = p_i64(e, "fdlimit") {
        child.fdlimit = v as u64;
    }
    if let Some(v) = p_u64(e, "pgft_maj") {
        child.pfmajor = v;
    }
    if let Some(v) = p_u64(e, "pgft_min") {
        child.pfminor = v;
    }
    if let Some(v) = p_u64(e, "vm_size") {
        child.vmsize_kb = v as u32;
    }
    if let Some(v) = p_u64(e, "vm_rss") {
        child.vmrss_kb = v as u32;
    }
    if let Some(v) = p_u64(e, "vm_swap") {
        child.vmswap_kb = v as u32;
    }
    if let Some(v) = p_u64(e, "uid") {
        child.uid = v as u32;
    }
    if let Some(v) = p_u64(e, "gid") {
        child.gid = v as u32;
    }
    if let Some(cg) = e.param_by_name("cgroups") {
        child.set_cgroups(cg);
    }
}

/// `repo:tag` → (repo, tag); a digest or port colon is not a tag separator.
pub fn split_image(image: &str) -> (String, String) {
    let base = image.split('@').next().unwrap_or(image);
    match base.rfind(':') {
        Some(i) if !base[i..].contains('/') => (base[..i].to_string(), base[i + 1..].to_string()),
        _ => (base.to_string(), String::new()),
    }
}

fn with_slash(mut s: String) -> String {
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

/// The first PT_FD parameter of an event.
fn first_fd_param(e: &Event<'_>) -> Option<i64> {
    let info = e.info()?;
    let i = info
        .params
        .iter()
        .take(e.nparams())
        .position(|p| p.ptype == pt::PT_FD)?;
    e.param_i64(i)
}

fn first_fd_param_named(e: &Event<'_>, name: &str) -> Option<i64> {
    let i = e.param_index(name)?;
    if e.param_info(i)?.ptype != pt::PT_FD {
        return None;
    }
    e.param_i64(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(concat_paths("/tmp/", "a"), "/tmp/a");
        assert_eq!(concat_paths("/tmp", "./a/../b"), "/tmp/b");
        assert_eq!(concat_paths("/tmp/", "/etc//passwd"), "/etc/passwd");
        assert_eq!(concat_paths("/", ".."), "/");
        assert_eq!(concat_paths("", "rel"), "rel");
    }

    #[test]
    fn images() {
        assert_eq!(split_image("nginx:1.25"), ("nginx".into(), "1.25".into()));
        assert_eq!(
            split_image("reg:5000/app"),
            ("reg:5000/app".into(), "".into())
        );
        assert_eq!(
            split_image("reg:5000/app:v1@sha256:ab"),
            ("reg:5000/app".into(), "v1".into())
        );
    }
}
