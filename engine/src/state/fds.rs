//! File descriptors: what each open fd of a process refers to (file, directory, socket, pipe...).

use rustc_hash::FxHashMap as HashMap;
use std::net::IpAddr;

use super::limits::{MAX_FDS_PER_PROCESS, MAX_STRING_BYTES, truncate_str};
use crate::scap::blocks::{FdDetail, FdEntry, FdKind};

/// The kind of an fd, as sysdig reports it in `fd.type` / `fd.typechar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FdType {
    #[default]
    Unknown,
    File,
    Directory,
    Ipv4Sock,
    Ipv6Sock,
    Ipv4ServSock,
    Ipv6ServSock,
    Fifo,
    UnixSock,
    Event,
    Unsupported,
    SignalFd,
    EventPoll,
    Inotify,
    TimerFd,
    Netlink,
    Bpf,
    UserFaultFd,
    IoUring,
    MemFd,
    PidFd,
}

impl FdType {
    /// `fd.typechar`.
    pub fn typechar(self) -> char {
        match self {
            FdType::File => 'f',
            FdType::Directory => 'd',
            FdType::Ipv4Sock | FdType::Ipv4ServSock => '4',
            FdType::Ipv6Sock | FdType::Ipv6ServSock => '6',
            FdType::Fifo => 'p',
            FdType::UnixSock => 'u',
            FdType::Event => 'e',
            FdType::SignalFd => 's',
            FdType::EventPoll => 'l',
            FdType::Inotify => 'i',
            FdType::TimerFd => 't',
            FdType::Netlink => 'n',
            FdType::Bpf => 'b',
            FdType::UserFaultFd => 'u',
            FdType::IoUring => 'r',
            FdType::MemFd => 'm',
            FdType::PidFd => 'P',
            FdType::Unknown | FdType::Unsupported => 'o',
        }
    }

    /// `fd.type`.
    pub fn name(self) -> &'static str {
        match self {
            FdType::File => "file",
            FdType::Directory => "directory",
            FdType::Ipv4Sock | FdType::Ipv4ServSock => "ipv4",
            FdType::Ipv6Sock | FdType::Ipv6ServSock => "ipv6",
            FdType::Fifo => "pipe",
            FdType::UnixSock => "unix",
            FdType::Event => "event",
            FdType::SignalFd => "signalfd",
            FdType::EventPoll => "eventpoll",
            FdType::Inotify => "inotify",
            FdType::TimerFd => "timerfd",
            FdType::Netlink => "netlink",
            FdType::Bpf => "bpf",
            FdType::UserFaultFd => "userfaultfd",
            FdType::IoUring => "io_uring",
            FdType::MemFd => "memfd",
            FdType::PidFd => "pidfd",
            FdType::Unknown | FdType::Unsupported => "unknown",
        }
    }

    pub fn is_socket(self) -> bool {
        matches!(
            self,
            FdType::Ipv4Sock
                | FdType::Ipv6Sock
                | FdType::Ipv4ServSock
                | FdType::Ipv6ServSock
                | FdType::UnixSock
        )
    }

    pub fn is_ip_socket(self) -> bool {
        matches!(
            self,
            FdType::Ipv4Sock | FdType::Ipv6Sock | FdType::Ipv4ServSock | FdType::Ipv6ServSock
        )
    }
}

/// Layer-4 protocol of a socket (`scap_l4_proto`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum L4Proto {
    #[default]
    Unknown = 0,
    Na = 1,
    Tcp = 2,
    Udp = 3,
    Icmp = 4,
    Raw = 5,
}

impl L4Proto {
    pub fn from_u8(v: u8) -> L4Proto {
        match v {
            1 => L4Proto::Na,
            2 => L4Proto::Tcp,
            3 => L4Proto::Udp,
            4 => L4Proto::Icmp,
            5 => L4Proto::Raw,
            _ => L4Proto::Unknown,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            L4Proto::Tcp => "tcp",
            L4Proto::Udp => "udp",
            L4Proto::Icmp => "icmp",
            L4Proto::Raw => "raw",
            L4Proto::Unknown | L4Proto::Na => "<NA>",
        }
    }
}

/// The endpoints of an IP socket. For a server (listening) socket only `dip`/`dport` are set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpTuple {
    pub sip: IpAddr,
    pub sport: u16,
    pub dip: IpAddr,
    pub dport: u16,
}

/// What an fd refers to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FdInfo {
    pub kind: FdType,
    /// The name sysdig shows: a path, `sip:sport->dip:dport`, a unix path, `pipe:[ino]`...
    pub name: String,
    /// The path an open was given, before resolution (fd.nameraw); None for fds not opened by path
    /// and when [`name_raw_is_name`](Self::name_raw_is_name).
    pub name_raw: Option<Box<str>>,
    /// The path the open was given is `name` itself (absolute, nothing to resolve): most opens,
    /// which then keep one copy of it.
    pub name_raw_is_name: bool,
    /// Open flags as the driver encodes them (PPM_O_*), for files.
    pub open_flags: u32,
    pub ino: u64,
    pub dev: u32,
    pub l4proto: L4Proto,
    pub tuple: Option<IpTuple>,
    /// Unix sockets: kernel addresses of the two ends.
    pub unix_source: u64,
    pub unix_dest: u64,
    /// The fd was opened by this thread's process as a server (accept) or client (connect) side.
    pub role: SocketRole,
    /// A socket that connected, was accepted, or moved data.
    pub connected: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SocketRole {
    #[default]
    None,
    Client,
    Server,
}

impl FdInfo {
    /// The path the fd was opened with, before resolution (fd.nameraw); "" when not opened by path.
    pub fn raw_name(&self) -> &str {
        if self.name_raw_is_name {
            &self.name
        } else {
            self.name_raw.as_deref().unwrap_or("")
        }
    }

    pub fn named(kind: FdType, name: impl Into<String>) -> FdInfo {
        FdInfo {
            kind,
            name: name.into(),
            ..FdInfo::default()
        }
    }

    /// Builds the fd from a capture's fd-list entry.
    pub fn from_entry(e: &FdEntry) -> FdInfo {
        let kind = match e.kind {
            FdKind::Unknown => FdType::Unknown,
            FdKind::File | FdKind::FileV2 => FdType::File,
            FdKind::Directory => FdType::Directory,
            FdKind::Ipv4Sock => FdType::Ipv4Sock,
            FdKind::Ipv6Sock => FdType::Ipv6Sock,
            FdKind::Ipv4ServSock => FdType::Ipv4ServSock,
            FdKind::Ipv6ServSock => FdType::Ipv6ServSock,
            FdKind::Fifo => FdType::Fifo,
            FdKind::UnixSock => FdType::UnixSock,
            FdKind::Event => FdType::Event,
            FdKind::Unsupported => FdType::Unsupported,
            FdKind::SignalFd => FdType::SignalFd,
            FdKind::EventPoll => FdType::EventPoll,
            FdKind::Inotify => FdType::Inotify,
            FdKind::TimerFd => FdType::TimerFd,
            FdKind::Netlink => FdType::Netlink,
            FdKind::Bpf => FdType::Bpf,
            FdKind::UserFaultFd => FdType::UserFaultFd,
            FdKind::IoUring => FdType::IoUring,
            FdKind::MemFd => FdType::MemFd,
            FdKind::PidFd => FdType::PidFd,
        };
        let mut fi = FdInfo {
            kind,
            ino: e.ino,
            ..FdInfo::default()
        };
        match &e.detail {
            FdDetail::Ipv4 {
                sip,
                dip,
                sport,
                dport,
                l4proto,
            } => {
                fi.l4proto = L4Proto::from_u8(*l4proto);
                fi.set_tuple(IpTuple {
                    sip: IpAddr::V4(*sip),
                    sport: *sport,
                    dip: IpAddr::V4(*dip),
                    dport: *dport,
                });
            }
            FdDetail::Ipv6 {
                sip,
                dip,
                sport,
                dport,
                l4proto,
            } => {
                fi.l4proto = L4Proto::from_u8(*l4proto);
                fi.set_tuple(IpTuple {
                    sip: IpAddr::V6(*sip),
                    sport: *sport,
                    dip: IpAddr::V6(*dip),
                    dport: *dport,
                });
            }
            FdDetail::Ipv4Server { ip, port, l4proto } => {
                fi.l4proto = L4Proto::from_u8(*l4proto);
                fi.tuple = Some(IpTuple {
                    sip: IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
                    sport: 0,
                    dip: IpAddr::V4(*ip),
                    dport: *port,
                });
                fi.name = format!("{}:{}", ip, port);
                fi.role = SocketRole::Server;
            }
            FdDetail::Ipv6Server { ip, port, l4proto } => {
                fi.l4proto = L4Proto::from_u8(*l4proto);
                fi.tuple = Some(IpTuple {
                    sip: IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED),
                    sport: 0,
                    dip: IpAddr::V6(*ip),
                    dport: *port,
                });
                fi.name = format!("{}:{}", ip, port);
                fi.role = SocketRole::Server;
            }
            FdDetail::Unix { source, dest, path } => {
                fi.unix_source = *source;
                fi.unix_dest = *dest;
                fi.name = path.clone();
            }
            FdDetail::File {
                open_flags,
                name,
                dev,
            } => {
                fi.open_flags = *open_flags;
                fi.dev = *dev;
                fi.name = name.clone();
            }
            FdDetail::Named(name) => fi.name = name.clone(),
        }
        fi
    }

    /// The protocol as sysdig reports it: unknown (NA) for an IP socket with no role yet, except raw.
    pub fn effective_l4proto(&self) -> L4Proto {
        match self.kind {
            FdType::Ipv4Sock | FdType::Ipv6Sock => {
                if self.l4proto == L4Proto::Raw {
                    L4Proto::Raw
                } else if self.role == SocketRole::None {
                    L4Proto::Na
                } else {
                    self.l4proto
                }
            }
            _ => self.l4proto,
        }
    }

    /// Sets an IP tuple and the matching `sip:sport->dip:dport` name.
    pub fn set_tuple(&mut self, t: IpTuple) {
        self.name = format_tuple(&t);
        self.tuple = Some(t);
    }
}

/// `1.2.3.4:5->6.7.8.9:10`, with IPv6 addresses unbracketed as sysdig prints them.
pub fn format_tuple(t: &IpTuple) -> String {
    // Written piece by piece: `format!` with the addresses' Display cost about 4,000 instructions
    // a tuple, and every connect and accept names its fd with one.
    let mut s = String::with_capacity(48);
    push_addr(&mut s, &t.sip);
    s.push(':');
    s.push_str(itoa::Buffer::new().format(t.sport));
    s.push_str("->");
    push_addr(&mut s, &t.dip);
    s.push(':');
    s.push_str(itoa::Buffer::new().format(t.dport));
    s
}

fn push_addr(s: &mut String, a: &IpAddr) {
    match a {
        IpAddr::V4(v4) => {
            for (i, octet) in v4.octets().into_iter().enumerate() {
                if i > 0 {
                    s.push('.');
                }
                s.push_str(itoa::Buffer::new().format(octet));
            }
        }
        // IPv6 has Display's zero-run compression and embedded IPv4 forms to get right.
        IpAddr::V6(v6) => {
            use std::fmt::Write;
            let _ = write!(s, "{v6}");
        }
    }
}

/// The open fds of one process, at most [`MAX_FDS_PER_PROCESS`] of them (libsinsp's bound). Threads
/// of a process share their leader's table.
#[derive(Debug, Clone, Default)]
pub struct FdTable {
    fds: HashMap<i64, FdInfo>,
    /// Heap bytes held: entries (with the map's overhead) and their names.
    bytes: usize,
}

/// What one entry costs besides its names.
const ENTRY_BYTES: usize = std::mem::size_of::<(i64, FdInfo)>() * 8 / 7 + 1;

fn entry_bytes(f: &FdInfo) -> usize {
    ENTRY_BYTES + f.name.capacity() + f.name_raw.as_ref().map_or(0, |r| r.len())
}

/// An fd being changed in place; its weight in the table is updated when the guard is dropped.
pub struct FdMut<'a> {
    info: &'a mut FdInfo,
    bytes: &'a mut usize,
    before: usize,
}

impl std::ops::Deref for FdMut<'_> {
    type Target = FdInfo;
    fn deref(&self) -> &FdInfo {
        self.info
    }
}

impl std::ops::DerefMut for FdMut<'_> {
    fn deref_mut(&mut self) -> &mut FdInfo {
        self.info
    }
}

impl Drop for FdMut<'_> {
    fn drop(&mut self) {
        *self.bytes = *self.bytes - self.before + entry_bytes(self.info);
    }
}

impl FdTable {
    pub fn get(&self, fd: i64) -> Option<&FdInfo> {
        self.fds.get(&fd)
    }

    /// In-place changes (a socket learning its tuple) go through a guard that re-weighs the entry
    /// when dropped, so the table's byte count stays exact whatever the change does to the name.
    pub fn get_mut(&mut self, fd: i64) -> Option<FdMut<'_>> {
        let info = self.fds.get_mut(&fd)?;
        let before = entry_bytes(info);
        Some(FdMut {
            info,
            bytes: &mut self.bytes,
            before,
        })
    }

    /// Adds or replaces an fd. A new fd is refused (false) when the table is full; its name is cut
    /// to [`MAX_STRING_BYTES`].
    pub fn insert(&mut self, fd: i64, mut info: FdInfo) -> bool {
        if self.fds.len() >= MAX_FDS_PER_PROCESS && !self.fds.contains_key(&fd) {
            return false;
        }
        truncate_str(&mut info.name, MAX_STRING_BYTES);
        self.bytes += entry_bytes(&info);
        if let Some(old) = self.fds.insert(fd, info) {
            self.bytes -= entry_bytes(&old);
        }
        true
    }

    pub fn remove(&mut self, fd: i64) -> Option<FdInfo> {
        let old = self.fds.remove(&fd)?;
        self.bytes -= entry_bytes(&old);
        Some(old)
    }

    pub fn len(&self) -> usize {
        self.fds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fds.is_empty()
    }

    pub fn is_full(&self) -> bool {
        self.fds.len() >= MAX_FDS_PER_PROCESS
    }

    pub fn iter(&self) -> impl Iterator<Item = (&i64, &FdInfo)> {
        self.fds.iter()
    }

    pub fn clear(&mut self) {
        self.fds.clear();
        self.bytes = 0;
    }

    /// Heap bytes held, for the thread table's memory budget.
    pub fn heap_bytes(&self) -> usize {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tuples_are_written_as_display_writes_them() {
        let addrs: Vec<IpAddr> = [
            "0.0.0.0",
            "1.2.3.4",
            "10.0.255.9",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1:2",
            "::ffff:1.2.3.4",
            "2001:db8::8a2e:370:7334",
        ]
        .iter()
        .map(|a| a.parse().unwrap())
        .collect();
        for (i, &sip) in addrs.iter().enumerate() {
            for (sport, dport) in [(0, 65535), (80, 5), (12345, 443)] {
                let t = IpTuple {
                    sip,
                    sport,
                    dip: addrs[(i + 3) % addrs.len()],
                    dport,
                };
                let shown = format!("{}:{}->{}:{}", t.sip, t.sport, t.dip, t.dport);
                assert_eq!(format_tuple(&t), shown);
            }
        }
    }
}
