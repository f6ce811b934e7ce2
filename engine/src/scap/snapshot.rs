//! The tracked state as a capture header: what `falco -w` writes before the first event, so that a
//! reader of the new capture starts with the threads, fds, users and interfaces falco knew.

use std::net::IpAddr;

use super::blocks::{FdDetail, FdEntry, FdKind};
use super::writer::CaptureHeader;
use crate::state::fds::SocketRole;
use crate::state::{FdInfo, FdType, State};

fn kind_of(t: FdType) -> FdKind {
    match t {
        FdType::Unknown => FdKind::Unknown,
        FdType::File => FdKind::FileV2,
        FdType::Directory => FdKind::Directory,
        FdType::Ipv4Sock => FdKind::Ipv4Sock,
        FdType::Ipv6Sock => FdKind::Ipv6Sock,
        FdType::Ipv4ServSock => FdKind::Ipv4ServSock,
        FdType::Ipv6ServSock => FdKind::Ipv6ServSock,
        FdType::Fifo => FdKind::Fifo,
        FdType::UnixSock => FdKind::UnixSock,
        FdType::Event => FdKind::Event,
        FdType::Unsupported => FdKind::Unsupported,
        FdType::SignalFd => FdKind::SignalFd,
        FdType::EventPoll => FdKind::EventPoll,
        FdType::Inotify => FdKind::Inotify,
        FdType::TimerFd => FdKind::TimerFd,
        FdType::Netlink => FdKind::Netlink,
        FdType::Bpf => FdKind::Bpf,
        FdType::UserFaultFd => FdKind::UserFaultFd,
        FdType::IoUring => FdKind::IoUring,
        FdType::MemFd => FdKind::MemFd,
        FdType::PidFd => FdKind::PidFd,
    }
}

/// The fd-list entry of one tracked fd (the inverse of [`FdInfo::from_entry`]).
pub fn fd_entry(fd: i64, f: &FdInfo) -> FdEntry {
    let mut kind = kind_of(f.kind);
    let l4proto = f.l4proto as u8;
    let detail = match (f.kind, f.tuple) {
        (FdType::Ipv4Sock | FdType::Ipv6Sock, Some(t)) if f.role == SocketRole::Server => {
            // A listening socket is saved as a server socket: its local address and port.
            match t.dip {
                IpAddr::V4(ip) => {
                    kind = FdKind::Ipv4ServSock;
                    FdDetail::Ipv4Server {
                        ip,
                        port: t.dport,
                        l4proto,
                    }
                }
                IpAddr::V6(ip) => {
                    kind = FdKind::Ipv6ServSock;
                    FdDetail::Ipv6Server {
                        ip,
                        port: t.dport,
                        l4proto,
                    }
                }
            }
        }
        (FdType::Ipv4ServSock, Some(t)) => match t.dip {
            IpAddr::V4(ip) => FdDetail::Ipv4Server {
                ip,
                port: t.dport,
                l4proto,
            },
            IpAddr::V6(_) => FdDetail::Named(f.name.clone()),
        },
        (FdType::Ipv6ServSock, Some(t)) => match t.dip {
            IpAddr::V6(ip) => FdDetail::Ipv6Server {
                ip,
                port: t.dport,
                l4proto,
            },
            IpAddr::V4(ip) => FdDetail::Ipv6Server {
                ip: ip.to_ipv6_mapped(),
                port: t.dport,
                l4proto,
            },
        },
        (FdType::Ipv4Sock, Some(t)) => match (t.sip, t.dip) {
            (IpAddr::V4(sip), IpAddr::V4(dip)) => FdDetail::Ipv4 {
                sip,
                dip,
                sport: t.sport,
                dport: t.dport,
                l4proto,
            },
            _ => FdDetail::Named(f.name.clone()),
        },
        (FdType::Ipv6Sock, Some(t)) => {
            let v6 = |a: IpAddr| match a {
                IpAddr::V6(a) => a,
                IpAddr::V4(a) => a.to_ipv6_mapped(),
            };
            FdDetail::Ipv6 {
                sip: v6(t.sip),
                dip: v6(t.dip),
                sport: t.sport,
                dport: t.dport,
                l4proto,
            }
        }
        (FdType::UnixSock, _) => FdDetail::Unix {
            source: f.unix_source,
            dest: f.unix_dest,
            path: f.name.clone(),
        },
        (FdType::File, _) => FdDetail::File {
            open_flags: f.open_flags,
            name: f.name.clone(),
            dev: f.dev,
        },
        (FdType::Unknown, _) => FdDetail::Named(String::new()),
        _ => FdDetail::Named(f.name.clone()),
    };
    FdEntry {
        fd,
        ino: f.ino,
        kind,
        detail,
    }
}

impl CaptureHeader {
    /// The header describing `state` (see [`capture_header`]).
    pub fn from_state(state: &State) -> CaptureHeader {
        capture_header(state)
    }
}

/// The capture header describing `state`: machine, interfaces, users and groups, every thread, and
/// the open fds of every process.
pub fn capture_header(state: &State) -> CaptureHeader {
    let mut processes: Vec<_> = state.threads.iter().map(|t| t.to_entry()).collect();
    processes.sort_by_key(|p| p.tid);
    let mut fds: Vec<(i64, Vec<FdEntry>)> = state
        .threads
        .iter()
        .filter(|t| !t.fds.is_empty())
        .map(|t| {
            let mut v: Vec<FdEntry> = t.fds.iter().map(|(fd, f)| fd_entry(*fd, f)).collect();
            v.sort_by_key(|e| e.fd);
            (t.tid, v)
        })
        .collect();
    fds.sort_by_key(|(tid, _)| *tid);
    CaptureHeader {
        machine: state.machine.clone(),
        interfaces: state.interfaces.clone(),
        users: state.users.users().cloned().collect(),
        groups: state.users.groups().cloned().collect(),
        processes,
        fds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{FdTable, IpTuple, L4Proto};
    use std::net::Ipv4Addr;

    #[test]
    fn fd_entries_round_trip() {
        let mut tcp = FdInfo {
            kind: FdType::Ipv4Sock,
            l4proto: L4Proto::Tcp,
            role: SocketRole::Client,
            ..FdInfo::default()
        };
        tcp.set_tuple(IpTuple {
            sip: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
            sport: 40000,
            dip: IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2)),
            dport: 80,
        });
        let file = FdInfo {
            kind: FdType::File,
            name: "/etc/passwd".into(),
            open_flags: 1,
            dev: 2049,
            ino: 77,
            ..FdInfo::default()
        };
        for f in [tcp, file] {
            let e = fd_entry(3, &f);
            let back = FdInfo::from_entry(&e);
            assert_eq!(back.kind, f.kind);
            assert_eq!(back.name, f.name);
            assert_eq!(back.ino, f.ino);
            assert_eq!(back.tuple, f.tuple);
            assert_eq!(back.open_flags, f.open_flags);
        }
        let _ = FdTable::default();
    }
}
