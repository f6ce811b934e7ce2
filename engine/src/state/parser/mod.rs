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
use super::limits::MAX_STRING_BYTES;
use super::threads::{ThreadInfo, split_nul};
use super::{ContainerInfo, State};
use crate::abi::sock_family;
use crate::event::{Event, NO_OFFSETS, ParamOffsets};
use crate::schema::{self, Direction, ef, pt};

mod containers;
mod files;
mod process;
mod sockets;

pub use containers::split_image;
use files::with_slash;
pub use files::{PPM_FD_LOWER_LAYER, PPM_FD_UPPER_LAYER, PPM_O_F_CREATED, concat_paths};
pub use sockets::{SockAddr, SockTuple, parse_sockaddr, parse_socktuple};

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
    Switch,
    /// brk, mmap, munmap: their exits carry the process's memory sizes.
    Memory,
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
        "switch" => Kind::Switch,
        "brk" | "mmap" | "mmap2" | "munmap" => Kind::Memory,
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
    /// The parameter holding the return value (`res`, or the `fd` a creating syscall returns).
    pub res: Option<u8>,
    /// The first parameter that is an fd (what an enter event works on).
    pub first_fd: Option<u8>,
    /// Its only effect on state is the pairing of a syscall's enter and exit events (no handler,
    /// no fd made or destroyed): when no rule wants it, [`State::pass_over`] will do.
    pub pairing_only: bool,
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
                let creates_fd = e.flags & ef::EF_CREATES_FD != 0;
                let destroys_fd = e.flags & ef::EF_DESTROYS_FD != 0;
                TypeInfo {
                    kind,
                    pairing_only: kind == Kind::Other && !creates_fd && !destroys_fd,
                    skip_pairing: e.flags & ef::EF_SKIPPARSERESET != 0 || e.name == "switch",
                    creates_fd,
                    uses_fd: e.flags & ef::EF_USES_FD != 0,
                    destroys_fd,
                    res: res_param(e),
                    first_fd: e
                        .params
                        .iter()
                        .position(|p| p.ptype == pt::PT_FD)
                        .map(|i| i as u8),
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
            res: None,
            first_fd: None,
            pairing_only: true,
        })
}

/// Where an event type keeps its return value: its first parameter when that is `res` or the
/// fd a creating syscall returns, else its parameter named `res`.
fn res_param(e: &schema::EventInfo) -> Option<u8> {
    let p0 = e.params.first()?;
    if p0.name == "res" || (p0.name == "fd" && e.flags & ef::EF_CREATES_FD != 0) {
        return Some(0);
    }
    e.params
        .iter()
        .position(|p| p.name == "res")
        .map(|i| i as u8)
}

/// What processing an event found out, for field extraction.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventCtx {
    /// The fd the event works on (`fd.num`): the fd argument, or the one a creating syscall returned;
    /// -1 on the enter event of a syscall that creates one. None when the event has no fd.
    pub fd: Option<i64>,
    /// The fd table entry applies to this event (false for an exit whose enter event was not seen).
    pub fd_valid: bool,
    /// Processing the event changed the name of its fd (a new fd with a name, a connect, a sendto
    /// that set an unconnected socket's peer): Falco's fd.name_changed.
    pub fd_name_changed: bool,
    /// On scheduler switches, the time since the previous switch on the same CPU (thread.exectime).
    pub exectime: u64,
}

/// CPUs whose scheduler switches are timed (thread.exectime); a corrupt cpu number beyond it is
/// ignored rather than growing the table.
const MAX_CPUS: usize = 4096;

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

/// [`p_i64`], [`p_u64`], [`p_str`] and `param_by_name` for a literal name: the parameter's
/// position is looked up once per event type ([`crate::event::ParamSlot`]).
macro_rules! param_i64 {
    ($e:expr, $name:literal) => {{
        let e: &$crate::event::Event<'_> = &$e;
        $crate::param_index!(e, $name).and_then(|i| e.param_i64(i))
    }};
}
macro_rules! param_u64 {
    ($e:expr, $name:literal) => {{
        let e: &$crate::event::Event<'_> = &$e;
        $crate::param_index!(e, $name).and_then(|i| e.param_u64(i))
    }};
}
macro_rules! param_str {
    ($e:expr, $name:literal) => {{
        let e: &$crate::event::Event<'_> = &$e;
        $crate::param_index!(e, $name)
            .and_then(|i| e.param(i))
            .map($crate::scap::trim_nul)
    }};
}
macro_rules! param_bytes {
    ($e:expr, $name:literal) => {{
        let e: &$crate::event::Event<'_> = &$e;
        $crate::param_index!(e, $name).and_then(|i| e.param(i))
    }};
}
pub(crate) use {param_bytes, param_i64, param_str, param_u64};

/// A string parameter as state keeps it: at most [`MAX_STRING_BYTES`] (the drivers' `MAX_PATH`).
fn lossy(b: &[u8]) -> String {
    let b = &b[..b.len().min(MAX_STRING_BYTES)];
    // The standard library's check of valid text is faster than the lossy conversion's.
    match std::str::from_utf8(b) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(b).into_owned(),
    }
}

/// [`lossy`] into `spare` (empty) when it has room; else into a new string with some room to
/// spare, so that it can take a longer path when it comes back ([`State::remove_fd`]).
fn lossy_into(spare: String, b: &[u8]) -> String {
    let b = &b[..b.len().min(MAX_STRING_BYTES)];
    let mut s = if spare.capacity() >= b.len() {
        spare
    } else {
        String::with_capacity(b.len().next_multiple_of(64))
    };
    match std::str::from_utf8(b) {
        Ok(t) => s.push_str(t),
        Err(_) => s.push_str(&String::from_utf8_lossy(b)),
    }
    s
}

/// The return value of an exit event: `res`, or the created `fd`.
pub(crate) fn retval(e: &Event<'_>) -> Option<i64> {
    e.param_i64(type_info(e.event_type).res? as usize)
}

// ---- the parser ----------------------------------------------------------------------------------

impl State {
    /// Applies one event to the state and returns what field extraction needs to know about it.
    pub fn process(&mut self, e: &Event<'_>) -> EventCtx {
        self.apply_pending(e.tid);
        let ti = type_info(e.event_type);
        // Threads seen first mid-flight get a placeholder, made where process_enter and
        // process_exit first look the thread up; procinfo records describe threads but do not
        // make them known (sysdig does the same).
        match ti.kind {
            Kind::Container => {
                self.parse_container(e);
                return EventCtx::default();
            }
            Kind::ContainerJson => {
                self.parse_container_json(e);
                return EventCtx::default();
            }
            Kind::ProcInfo => {
                self.parse_procinfo(e);
                return EventCtx::default();
            }
            Kind::Switch => return self.parse_switch(e),
            _ => {}
        }
        match e.direction() {
            Direction::Enter => self.process_enter(e, ti),
            Direction::Exit => self.process_exit(e, ti),
        }
    }

    /// [`process`](Self::process) for an event of a [`TypeInfo::pairing_only`] type whose fields
    /// no one extracts (no rule can match it): the same state after it, without keeping the enter
    /// event's bytes or working out its field context. Half the events of a real system (mmap,
    /// mprotect, fstat, clock_gettime, access) are such.
    pub fn pass_over(&mut self, e: &Event<'_>) {
        self.apply_pending(e.tid);
        let ti = type_info(e.event_type);
        debug_assert!(ti.pairing_only, "pass_over on event type {}", e.event_type);
        if ti.skip_pairing && e.direction() == Direction::Enter {
            return;
        }
        match e.direction() {
            Direction::Enter => {
                let fd = match ti.first_fd {
                    Some(i) if ti.uses_fd => e.param_i64(i as usize).unwrap_or(-1),
                    _ => -1,
                };
                let len = e.bytes().len();
                if !self.threads.note_enter(e.tid, len, e.event_type, fd) {
                    self.add_thread(ThreadInfo::unknown(e.tid));
                    self.threads.note_enter(e.tid, len, e.event_type, fd);
                }
            }
            Direction::Exit => {
                let exit_fd = if ti.uses_fd { fd_param(e) } else { None };
                if self.threads.pair_exit(e.tid, exit_fd).is_none() && !ti.skip_pairing {
                    self.add_thread(ThreadInfo::unknown(e.tid));
                    self.threads.pair_exit(e.tid, exit_fd);
                }
            }
        }
    }

    /// Removals the previous event asked for, and the memory budget its changes may have crossed
    /// (never at the expense of `tid`, the thread of the event about to be parsed). Inlined test,
    /// out-of-line work: most events find nothing to do.
    #[inline]
    fn apply_pending(&mut self, tid: i64) {
        if !self.pending_fd_removals.is_empty()
            || self.pending_thread_removal.is_some()
            || self.threads.bytes() > self.max_state_bytes
        {
            self.apply_pending_now(tid);
        }
    }

    #[cold]
    #[inline(never)]
    fn apply_pending_now(&mut self, tid: i64) {
        if !self.pending_fd_removals.is_empty() {
            // Drained in place: the list keeps its capacity, so a close costs no allocation.
            let mut pending = std::mem::take(&mut self.pending_fd_removals);
            for (tid, fd) in pending.drain(..) {
                self.remove_fd(tid, fd);
            }
            self.pending_fd_removals = pending;
        }
        if let Some(tid) = self.pending_thread_removal.take() {
            self.remove_thread(tid);
        }
        self.enforce_budget(tid);
    }

    fn process_enter(&mut self, e: &Event<'_>, ti: TypeInfo) -> EventCtx {
        // Scheduler and other bookkeeping events do not interrupt a syscall's enter/exit pairing.
        if ti.skip_pairing {
            return EventCtx::default();
        }
        let fd = match ti.first_fd {
            Some(i) if ti.uses_fd => e.param_i64(i as usize).unwrap_or(-1),
            _ => -1,
        };
        // A thread not known yet gets its placeholder (add_thread always keeps it) and then
        // remembers the event like any other.
        if !self
            .threads
            .remember_enter(e.tid, e.bytes(), e.event_type, fd)
        {
            self.add_thread(ThreadInfo::unknown(e.tid));
            self.threads
                .remember_enter(e.tid, e.bytes(), e.event_type, fd);
        }
        match ti.kind {
            Kind::ProcExit => {
                self.pending_thread_removal = Some(e.tid);
                self.threads.update_counters(e.tid, |t| t.exited = true);
            }
            Kind::Connect => {
                self.parse_connect_enter(e, fd);
            }
            Kind::SendRecv if e.name() == "sendto" && self.fd(e.tid, fd).is_none() => {
                self.infer_sendto_socket(e, fd)
            }
            _ => {}
        }
        // No handler above changes the thread's fd: it is the one just remembered.
        let mut ctx = EventCtx::default();
        if ti.uses_fd || ti.creates_fd || ti.destroys_fd {
            ctx.fd = Some(fd);
            ctx.fd_valid = true;
        }
        ctx
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

    /// The matching enter event of this thread, if it was the last one seen, with its parameter
    /// boundaries recorded in `offs`: the exits that read it take several of its parameters, and
    /// each would otherwise add up the lengths before it.
    fn enter_for<'s>(&'s self, e: &Event<'_>, offs: &'s mut ParamOffsets) -> Option<Event<'s>> {
        let t = self.threads.get(e.tid)?;
        if t.last_enter.is_empty() || !enter_matches(t.last_enter_type, e.event_type) {
            return None;
        }
        Event::decode_into(&t.last_enter, e.cpu, offs).ok()
    }

    fn set_last_fd(&mut self, tid: i64, fd: i64) {
        self.threads.set_last_fd(tid, fd);
    }

    fn process_exit(&mut self, e: &Event<'_>, ti: TypeInfo) -> EventCtx {
        let res = ti.res.and_then(|i| e.param_i64(i as usize));
        // Today's layouts carry the fd in the exit event; the 2016 ones only in the enter event.
        let exit_fd = if ti.uses_fd { fd_param(e) } else { None };
        let exit_fd_kept = exit_fd.filter(|_| !ti.creates_fd);
        let paired = match self.threads.pair_exit(e.tid, exit_fd_kept) {
            Some(p) => Some(p),
            None if ti.skip_pairing => None,
            None => {
                self.add_thread(ThreadInfo::unknown(e.tid));
                self.threads.pair_exit(e.tid, exit_fd_kept)
            }
        };
        let valid = paired.is_some_and(|(enter_type, _)| enter_matches(enter_type, e.event_type))
            || exit_fd.is_some();
        let used_fd = paired.map(|(_, fd)| fd).filter(|_| valid);
        let mut renamed = false;
        match ti.kind {
            Kind::Open => self.parse_open(e, res),
            Kind::Socket => self.parse_socket(e, res),
            Kind::Connect => renamed = self.parse_connect_exit(e, res, used_fd),
            Kind::Accept => self.parse_accept(e, res),
            Kind::Bind => renamed = self.parse_bind(e, res, used_fd),
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
                let old = param_i64!(e, "oldfd").or(used_fd);
                if let (Some(newfd), Some(oldfd)) = (res, old)
                    && newfd >= 0
                {
                    self.dup_fd(e.tid, oldfd, newfd);
                }
            }
            Kind::Fcntl => {
                let mut offs = NO_OFFSETS;
                let cmd = self
                    .enter_for(e, &mut offs)
                    .and_then(|en| param_u64!(&en, "cmd"))
                    .or_else(|| param_u64!(e, "cmd"));
                if let (Some(c), Some(newfd), Some(oldfd)) = (cmd, res, used_fd) {
                    // PPM_FCNTL_F_DUPFD / F_DUPFD_CLOEXEC return a copy of the fd.
                    if (c == 1 || c == 26) && newfd >= 0 {
                        self.dup_fd(e.tid, oldfd, newfd);
                    }
                }
            }
            Kind::Pipe => {
                if res.is_some_and(|r| r >= 0) {
                    let ino = param_u64!(e, "ino").unwrap_or(0);
                    let flags = param_u64!(e, "flags").unwrap_or(0) as u32;
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
                    let (fd1, fd2) = (
                        param_i64!(e, "fd1").unwrap_or(-1),
                        param_i64!(e, "fd2").unwrap_or(-1),
                    );
                    if fd1 != fd2 {
                        let mut fi = FdInfo::named(FdType::UnixSock, "");
                        fi.unix_source = param_u64!(e, "source").unwrap_or(0);
                        fi.unix_dest = param_u64!(e, "peer").unwrap_or(0);
                        self.add_fd(e.tid, fd1, fi.clone());
                        self.add_fd(e.tid, fd2, fi);
                        self.set_last_fd(e.tid, fd1);
                    }
                }
            }
            Kind::NamedFd(kind) => {
                if let Some(fd) = res.filter(|f| *f >= 0) {
                    let name = match kind {
                        FdType::MemFd => param_str!(e, "name")
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
                    && let Some(path) = param_str!(e, "path")
                {
                    let path = lossy(path);
                    if let Some(mut t) = self.threads.get_mut(e.tid) {
                        t.cwd = with_slash(concat_paths(&t.cwd, &path));
                    }
                }
            }
            Kind::Fchdir => {
                if res.is_some_and(|r| r >= 0)
                    && let Some(fd) = used_fd
                {
                    let name = self.fd(e.tid, fd).map(|f| f.name.clone());
                    if let (Some(name), Some(mut t)) = (name, self.threads.get_mut(e.tid)) {
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
            Kind::SendRecv => renamed = self.parse_sendrecv(e, res, used_fd),
            Kind::ReadWrite => self.mark_connected(e.tid, res, used_fd),
            Kind::Memory => {
                self.threads
                    .update_counters(e.tid, |t| process::set_vm(t, e));
            }
            Kind::Container | Kind::ContainerJson | Kind::ProcInfo | Kind::Switch | Kind::Other => {
            }
        }
        let mut ctx = self.ctx_for(e, ti, valid);
        ctx.fd_name_changed = renamed || self.created_named_fd(ti, res, ctx.fd, e.tid);
        ctx
    }

    /// A successful fd-creating syscall made a new fd whose name is not empty (a dup copies its
    /// name, so its name did not change).
    fn created_named_fd(&self, ti: TypeInfo, res: Option<i64>, fd: Option<i64>, tid: i64) -> bool {
        ti.creates_fd
            && !matches!(ti.kind, Kind::Dup | Kind::Fcntl)
            && res.is_some_and(|r| r >= 0)
            && fd
                .and_then(|fd| self.fd(tid, fd))
                .is_some_and(|f| !f.name.is_empty())
    }

    /// procinfo records carry a thread's CPU times (thread.cpu compares two successive ones).
    fn parse_procinfo(&mut self, e: &Event<'_>) {
        let (Some(user), Some(sys)) = (param_u64!(e, "cpu_usr"), param_u64!(e, "cpu_sys")) else {
            return;
        };
        self.threads.update_counters(e.tid, |t| {
            t.cpu_times_prev = t.cpu_times;
            t.cpu_times = (user, sys);
        });
    }

    /// A scheduler switch ends the running time of the outgoing thread (the event's) on its CPU.
    fn parse_switch(&mut self, e: &Event<'_>) -> EventCtx {
        let mut ctx = EventCtx::default();
        let cpu = e.cpu as usize;
        if cpu >= MAX_CPUS {
            return ctx;
        }
        if self.switch_ts.len() <= cpu {
            self.switch_ts.resize(cpu + 1, 0);
        }
        let last = std::mem::replace(&mut self.switch_ts[cpu], e.ts);
        if last != 0 {
            ctx.exectime = e.ts.saturating_sub(last);
        }
        // The switch carries the outgoing thread's page faults and its process's memory sizes.
        let mut pid = None;
        self.threads.update_counters(e.tid, |t| {
            t.totexectime = t.totexectime.wrapping_add(ctx.exectime);
            if param_u64!(e, "vm_swap").is_some() {
                process::set_faults(t, e);
                pid = Some(t.pid);
            }
        });
        if let Some(p) = pid {
            self.threads
                .update_counters(p, |main| process::set_vm(main, e));
        }
        ctx
    }
}

/// Whether `exit_type` is the exit of the enter event `enter_type` (execveat's success is an execve exit).
fn enter_matches(enter_type: u16, exit_type: u16) -> bool {
    enter_type.wrapping_add(1) == exit_type
        || (enter_type == crate::schema::ev::SYSCALL_EXECVEAT_E
            && crate::schema::info(exit_type).is_some_and(|i| i.name == "execve"))
}

/// The parameter named `fd`, when it is an fd.
fn fd_param(e: &Event<'_>) -> Option<i64> {
    let i = crate::param_index!(e, "fd")?;
    if e.param_info(i)?.ptype != pt::PT_FD {
        return None;
    }
    e.param_i64(i)
}
