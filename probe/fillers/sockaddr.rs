// SPDX-License-Identifier: GPL-2.0
//! Socket addresses in scap's encodings: `PT_SOCKADDR` (an address as the caller passed it) and
//! `PT_SOCKTUPLE` (both ends of a socket, read from the kernel's socket): a family byte, IPv4
//! addresses in network order, ports in host order, IPv4-mapped IPv6 sockets as IPv4, unix sockets
//! as (socket address, peer address, path) with abstract names written `@name`.

use crate::convert;
use crate::event::Event;
use crate::ffi::{self, SockInfo};

/// Longest sockaddr copied from user memory.
pub(super) const MAX_SOCKADDR: usize = 128;

/// The `PT_SOCKADDR` encoding of a user sockaddr of `len` bytes at `addr`.
pub(super) fn sockaddr(e: &mut Event, addr: u64, len: u64) {
    let len = (len as usize).min(MAX_SOCKADDR);
    let mut raw = [0u8; MAX_SOCKADDR];
    if addr == 0 || len < 2 || !ffi::copy_from_user(&mut raw[..len], addr) {
        e.empty();
        return;
    }
    encode_sockaddr(e, &raw[..len]);
}

pub(super) fn encode_sockaddr(e: &mut Event, raw: &[u8]) {
    let family = u16::from_le_bytes([raw[0], raw[1]]);
    match family {
        2 if raw.len() >= 8 => {
            let mut out = [0u8; 7];
            out[0] = convert::socket_family(family);
            out[1..5].copy_from_slice(&raw[4..8]);
            out[5..7].copy_from_slice(&u16::from_be_bytes([raw[2], raw[3]]).to_le_bytes());
            e.bytes(&out);
        }
        10 if raw.len() >= 24 => {
            let mut out = [0u8; 19];
            out[0] = convert::socket_family(family);
            out[1..17].copy_from_slice(&raw[8..24]);
            out[17..19].copy_from_slice(&u16::from_be_bytes([raw[2], raw[3]]).to_le_bytes());
            e.bytes(&out);
        }
        1 => {
            let path = &raw[2..];
            e.with(1 + path.len() + 1, |buf| {
                buf[0] = 1;
                let n = unix_path(&mut buf[1..], path);
                Some(1 + n)
            });
        }
        _ => e.bytes(&[convert::socket_family(family)]),
    }
}

/// Copies a sun_path into `out` as a C string; abstract names (leading NUL) get a leading '@', as
/// the scap drivers write them. Returns the bytes written, NUL included.
fn unix_path(out: &mut [u8], path: &[u8]) -> usize {
    if out.is_empty() {
        return 0;
    }
    let (abstract_name, p) = match path.first() {
        Some(0) => (true, &path[1..]),
        _ => (false, path),
    };
    let end = if abstract_name {
        p.len()
    } else {
        p.iter().position(|&c| c == 0).unwrap_or(p.len())
    };
    let mut n = 0;
    if abstract_name && out.len() > 1 {
        out[0] = b'@';
        n = 1;
    }
    let take = end.min(out.len() - n - 1);
    out[n..n + take].copy_from_slice(&p[..take]);
    n += take;
    out[n] = 0;
    n + 1
}

fn v4_mapped(a: &[u8; 16]) -> bool {
    a[..10].iter().all(|&b| b == 0) && a[10] == 0xff && a[11] == 0xff
}

/// The `PT_SOCKTUPLE` of a socket. Outbound (connect, send): source is the local end; inbound
/// (accept, receive): source is the peer. `remote` replaces an unset peer address (unconnected UDP).
pub(super) fn socktuple(e: &mut Event, si: &SockInfo, inbound: bool, remote: Option<&[u8]>) {
    let (mut raddr, mut rport) = (si.raddr, si.rport);
    if let Some(r) = remote {
        let fam = u16::from_le_bytes([r[0], r[1]]);
        if raddr == [0; 16] && rport == 0 {
            if fam == 2 && r.len() >= 8 && si.family == 2 {
                raddr[..4].copy_from_slice(&r[4..8]);
                rport = u16::from_be_bytes([r[2], r[3]]);
            } else if fam == 10 && r.len() >= 24 && si.family == 10 {
                raddr.copy_from_slice(&r[8..24]);
                rport = u16::from_be_bytes([r[2], r[3]]);
            }
        }
    }
    let order = |l: &[u8], lp: u16, r: &[u8], rp: u16, out: &mut [u8], w: usize| {
        let (s, sp, d, dp) = if inbound {
            (r, rp, l, lp)
        } else {
            (l, lp, r, rp)
        };
        out[1..1 + w].copy_from_slice(s);
        out[1 + w..3 + w].copy_from_slice(&sp.to_le_bytes());
        out[3 + w..3 + 2 * w].copy_from_slice(d);
        out[3 + 2 * w..5 + 2 * w].copy_from_slice(&dp.to_le_bytes());
    };
    match si.family {
        2 => {
            let mut out = [0u8; 13];
            out[0] = 2;
            order(&si.laddr[..4], si.lport, &raddr[..4], rport, &mut out, 4);
            e.bytes(&out);
        }
        10 if v4_mapped(&si.laddr) && (v4_mapped(&raddr) || raddr == [0; 16]) => {
            let mut out = [0u8; 13];
            out[0] = 2;
            order(&si.laddr[12..], si.lport, &raddr[12..], rport, &mut out, 4);
            e.bytes(&out);
        }
        10 => {
            let mut out = [0u8; 37];
            out[0] = 10;
            order(&si.laddr, si.lport, &raddr, rport, &mut out, 16);
            e.bytes(&out);
        }
        1 => {
            let path = &si.path[..(si.path_len as usize).min(si.path.len())];
            e.with(17 + path.len() + 2, |buf| {
                if buf.len() < 18 {
                    return None;
                }
                buf[0] = 1;
                buf[1..9].copy_from_slice(&si.sk.to_le_bytes());
                buf[9..17].copy_from_slice(&si.peer.to_le_bytes());
                Some(17 + unix_path(&mut buf[17..], path))
            });
        }
        _ => e.empty(),
    }
}

/// The tuple of socket `fd`, or an empty parameter if it is not a socket.
pub(super) fn fd_tuple(e: &mut Event, fd: i64, inbound: bool, remote: Option<&[u8]>) {
    let mut si = SockInfo::zeroed();
    if ffi::fd_sock_info(fd, &mut si) {
        socktuple(e, &si, inbound, remote);
    } else {
        e.empty();
    }
}

/// Reads a user sockaddr into `buf` for tuple completion; returns the bytes read.
pub(super) fn user_sockaddr(buf: &mut [u8; MAX_SOCKADDR], addr: u64, len: u64) -> Option<usize> {
    let len = (len as usize).min(MAX_SOCKADDR);
    (addr != 0 && len >= 2 && ffi::copy_from_user(&mut buf[..len], addr)).then_some(len)
}
