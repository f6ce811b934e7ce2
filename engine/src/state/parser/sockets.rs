//! Sockets: addresses and tuples as the driver encodes them, socket/connect/accept/bind and the
//! send and receive calls that reveal a socket's endpoints.

use super::*;
use crate::state::parser::{param_bytes, param_i64};

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

pub(super) fn ip4(b: &[u8]) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(b[0], b[1], b[2], b[3]))
}

pub(super) fn ip6(b: &[u8]) -> IpAddr {
    let a: [u8; 16] = b[..16].try_into().expect("16 bytes");
    // IPv4-mapped addresses print as IPv4, as sysdig does.
    let v6 = Ipv6Addr::from(a);
    match v6.to_ipv4_mapped() {
        Some(v4) => IpAddr::V4(v4),
        None => IpAddr::V6(v6),
    }
}

pub(super) fn port(b: &[u8]) -> u16 {
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

/// errno values the parser needs.
pub(super) const EINPROGRESS: i64 = -115;

impl State {
    pub(super) fn parse_socket(&mut self, e: &Event<'_>, res: Option<i64>) {
        let Some(fd) = res.filter(|f| *f >= 0) else {
            return;
        };
        // Without the enter event (and no parameters in the exit), the socket stays unknown, as in sysdig.
        let mut offs = NO_OFFSETS;
        let enter = self.enter_for(e, &mut offs);
        let get = |n: &str| p_u64(e, n).or_else(|| enter.as_ref().and_then(|en| p_u64(en, n)));
        let (Some(domain), Some(stype), Some(proto)) = (get("domain"), get("type"), get("proto"))
        else {
            return;
        };
        self.add_socket(e.tid, fd, domain as u8, stype as u32, proto as u32);
        self.set_last_fd(e.tid, fd);
    }

    pub(super) fn add_socket(&mut self, tid: i64, fd: i64, domain: u8, stype: u32, proto: u32) {
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
    pub(super) fn infer_sendto_socket(&mut self, e: &Event<'_>, fd: i64) {
        if fd < 0 {
            return;
        }
        let Some(&fam) = param_bytes!(e, "tuple").and_then(|t| t.first()) else {
            return;
        };
        if fam == sock_family::AF_INET || fam == sock_family::AF_INET6 {
            self.add_socket(e.tid, fd, fam, 2, 17);
        }
    }

    pub(super) fn parse_connect_enter(&mut self, e: &Event<'_>, fd: i64) {
        // Today's connect enter carries the address: the destination (or the unix path) is known
        // before the call returns.
        let Some(addr) = param_bytes!(e, "addr") else {
            self.forget_destination(e.tid, fd);
            return;
        };
        if addr.is_empty() {
            return;
        }
        let Some(mut fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
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

    /// The oldest connect enter carries only the fd: as Falco's libs do, the socket forgets its
    /// destination, so the exit's tuple names the new peer (a UDP socket connected again goes
    /// elsewhere). sysdig 0.29 keeps the old destination: falco/tests/sysdig_differential.rs lists
    /// the difference.
    fn forget_destination(&mut self, tid: i64, fd: i64) {
        let Some(mut fi) = self.threads.fd_table_mut(tid).and_then(|t| t.get_mut(fd)) else {
            return;
        };
        let Some(t) = fi.tuple.as_mut() else { return };
        t.dip = empty_tuple(t.dip.is_ipv6()).dip;
        t.dport = 0;
        let name = fi
            .tuple
            .as_ref()
            .map(crate::state::fds::format_tuple)
            .unwrap_or_default();
        set_name(&mut fi, name);
    }

    pub(super) fn parse_connect_exit(
        &mut self,
        e: &Event<'_>,
        res: Option<i64>,
        fd: Option<i64>,
    ) -> bool {
        let mut changed = false;
        let Some(res) = res else { return false };
        if res < 0 && res != EINPROGRESS {
            return false;
        }
        // Without the enter event, today's exit names the fd itself.
        let fd = fd.or_else(|| param_i64!(e, "fd").filter(|f| *f >= 0));
        let Some(fd) = fd else { return false };
        let Some(tuple) = e
            .param_by_name("tuple")
            .filter(|t| !t.is_empty())
            .and_then(parse_socktuple)
        else {
            return false;
        };
        let Some(mut fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return false;
        };
        fi.connected = true;
        match tuple {
            SockTuple::Ip(t) => {
                fi.kind = if t.sip.is_ipv6() {
                    FdType::Ipv6Sock
                } else {
                    FdType::Ipv4Sock
                };
                let moved = update_addresses(&mut fi, &t, false);
                if moved && fi.role == SocketRole::Server && fi.l4proto == L4Proto::Udp {
                    swap_tuple(&mut fi);
                }
                let name = fi
                    .tuple
                    .as_ref()
                    .map(crate::state::fds::format_tuple)
                    .unwrap_or_default();
                changed |= set_name(&mut fi, name);
            }
            SockTuple::Unix { source, dest, path } => {
                fi.unix_source = source;
                fi.unix_dest = dest;
                changed |= set_name(&mut fi, unix_name(source, dest, &path));
            }
            SockTuple::Other(_) => {}
        }
        if fi.role == SocketRole::None {
            fi.role = SocketRole::Client;
        }
        changed
    }

    pub(super) fn parse_accept(&mut self, e: &Event<'_>, res: Option<i64>) {
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

    pub(super) fn parse_bind(&mut self, e: &Event<'_>, res: Option<i64>, fd: Option<i64>) -> bool {
        let mut changed = false;
        if res.is_none_or(|r| r < 0) {
            return false;
        }
        let Some(fd) = fd else { return false };
        let Some(raw) = param_bytes!(e, "addr").filter(|a| !a.is_empty()) else {
            return false;
        };
        let Some(mut fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return false;
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
                changed |= set_name(&mut fi, format!("{ip}:{port}"));
            }
            Some(SockAddr::Unix(path)) => changed |= set_name(&mut fi, path),
            _ => {}
        }
        changed
    }

    /// A successful read or write on an IP socket means it is connected.
    pub(super) fn mark_connected(&mut self, tid: i64, res: Option<i64>, fd: Option<i64>) {
        if res.is_none_or(|r| r < 0) {
            return;
        }
        let Some(fd) = fd else { return };
        if let Some(mut fi) = self.threads.fd_table_mut(tid).and_then(|t| t.get_mut(fd))
            && (fi.kind == FdType::Ipv4Sock || fi.kind == FdType::Ipv6Sock)
        {
            fi.connected = true;
        }
    }

    pub(super) fn parse_sendrecv(
        &mut self,
        e: &Event<'_>,
        res: Option<i64>,
        fd: Option<i64>,
    ) -> bool {
        let mut changed = false;
        self.mark_connected(e.tid, res, fd);
        // Connectionless sockets learn their peer from sendto/recvfrom/sendmsg/recvmsg.
        if res.is_none_or(|r| r < 0) {
            return false;
        }
        let Some(fd) = fd else { return false };
        let incoming = e.name().starts_with("recv");
        let raw: Option<Vec<u8>> = if incoming {
            param_bytes!(e, "tuple").map(<[u8]>::to_vec)
        } else {
            let mut offs = NO_OFFSETS;
            self.enter_for(e, &mut offs)
                .and_then(|en| param_bytes!(en, "tuple").map(<[u8]>::to_vec))
        };
        let Some(raw) = raw.filter(|r| !r.is_empty()) else {
            return false;
        };
        let Some(tuple) = parse_socktuple(&raw) else {
            return false;
        };
        let interfaces = &self.interfaces;
        let Some(mut fi) = self.threads.fd_table_mut(e.tid).and_then(|t| t.get_mut(fd)) else {
            return false;
        };
        if !(fi.name.is_empty() || fi.l4proto != L4Proto::Tcp) {
            return false;
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
                if !update_addresses(&mut fi, &t, false) {
                    return false;
                }
                if fi.l4proto == L4Proto::Unknown {
                    fi.l4proto = L4Proto::Udp;
                }
                patch_incomplete_tuple(&mut fi, interfaces);
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
                    swap_tuple(&mut fi);
                }
                let name = fi
                    .tuple
                    .as_ref()
                    .map(crate::state::fds::format_tuple)
                    .unwrap_or_default();
                changed |= set_name(&mut fi, name);
            }
            SockTuple::Unix { source, dest, path } => {
                fi.kind = FdType::UnixSock;
                fi.unix_source = source;
                fi.unix_dest = dest;
                changed |= set_name(&mut fi, path);
            }
            SockTuple::Other(_) => {}
        }
        changed
    }
}

pub(super) fn empty_tuple(v6: bool) -> IpTuple {
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
pub(super) fn update_addresses(fi: &mut FdInfo, t: &IpTuple, overwrite_dest: bool) -> bool {
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

pub(super) fn swap_tuple(fi: &mut FdInfo) {
    if let Some(t) = fi.tuple.as_mut() {
        std::mem::swap(&mut t.sip, &mut t.dip);
        std::mem::swap(&mut t.sport, &mut t.dport);
    }
}

/// An unbound source (0.0.0.0 / ::) is filled in from the interface that reaches the destination.
pub(super) fn patch_incomplete_tuple(fi: &mut FdInfo, interfaces: &[crate::scap::Interface]) {
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

pub(super) fn same_net(addr: IpAddr, mask: IpAddr, peer: IpAddr) -> bool {
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

/// Sets an fd's name; true when it changed (Falco's fd.name_changed).
pub(super) fn set_name(fi: &mut FdInfo, name: String) -> bool {
    if fi.name == name {
        return false;
    }
    fi.name = name;
    true
}

/// sysdig's name of a unix socket from a tuple: `source->dest path`.
pub(super) fn unix_name(source: u64, dest: u64, path: &str) -> String {
    format!("{source:x}->{dest:x} {path}")
}
