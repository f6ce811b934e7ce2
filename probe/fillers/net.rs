// SPDX-License-Identifier: GPL-2.0
//! Sockets: socket, socketpair, connect (enter and exit events), accept/accept4, bind, listen,
//! sendto, recvfrom, sendmsg, recvmsg. Addresses and tuples are encoded by `sockaddr`.

use super::emit::{emit, patch_u32};
use super::sockaddr::{encode_sockaddr, fd_tuple, sockaddr, user_sockaddr, MAX_SOCKADDR};
use super::user::{data, iov_data, user_fd_pair};
use super::Exit;
use crate::abi::event_id as ev;
use crate::convert;
use crate::ffi::{self, Regs, SockInfo};
use crate::ring::Ring;
use crate::syscalls as nr;

#[inline(always)]
pub(super) fn connect_enter(ring: &Ring, ts: u64, tid: u64, regs: &Regs) {
    let a = |i| regs.arg(i);
    emit(ring, ts, tid, ev::SOCKET_CONNECT_E, 2, |e| {
        e.i64(i64::from(a(0) as i32));
        sockaddr(e, a(1), a(2));
    })
}

#[inline(always)]
pub(super) fn socket(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SOCKET_SOCKET_X, 5, |e| {
        e.i64(x.ret);
        e.u32(x.arg(0) as u32);
        e.u32(x.arg(1) as u32);
        e.u32(x.arg(2) as u32);
        // SOCK_NONBLOCK and SOCK_CLOEXEC are O_NONBLOCK and O_CLOEXEC.
        e.u32(convert::fd_flags(x.arg(1) as u32));
    })
}

#[inline(always)]
pub(super) fn socketpair(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let (fd1, fd2) = user_fd_pair(x.ret, x.arg(3));
    let mut si = SockInfo::zeroed();
    let have = fd1 >= 0 && ffi::fd_sock_info(fd1, &mut si);
    emit(ring, ts, tid, ev::SOCKET_SOCKETPAIR_X, 8, |e| {
        e.i64(x.ret);
        e.i64(fd1);
        e.i64(fd2);
        e.u64(if have { si.sk } else { 0 });
        e.u64(if have { si.peer } else { 0 });
        e.u32(x.arg(0) as u32);
        e.u32(x.arg(1) as u32);
        e.u32(x.arg(2) as u32);
    })
}

#[inline(always)]
pub(super) fn connect(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let mut raw = [0u8; MAX_SOCKADDR];
    let ulen = user_sockaddr(&mut raw, x.arg(1), x.arg(2));
    emit(ring, ts, tid, ev::SOCKET_CONNECT_X, 4, |e| {
        e.i64(x.ret);
        fd_tuple(e, x.fd(0), false, ulen.map(|n| &raw[..n]));
        e.i64(x.fd(0));
        match ulen {
            Some(n) => encode_sockaddr(e, &raw[..n]),
            None => e.empty(),
        }
    })
}

/// accept and accept4 (`accept4`: with its flags parameter).
#[inline(always)]
pub(super) fn accept(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>, accept4: bool) {
    let mut lsi = SockInfo::zeroed();
    let listening = ffi::fd_sock_info(x.fd(0), &mut lsi);
    let (qlen, qmax) = if listening {
        (lsi.ack_backlog, lsi.max_ack_backlog)
    } else {
        (0, 0)
    };
    let pct = if qmax > 0 {
        (u64::from(qlen) * 100 / u64::from(qmax)).min(100) as u8
    } else {
        0
    };
    let (ty, n) = if accept4 {
        (ev::SOCKET_ACCEPT4_6_X, 6)
    } else {
        (ev::SOCKET_ACCEPT_5_X, 5)
    };
    emit(ring, ts, tid, ty, n, |e| {
        e.i64(x.ret);
        if x.ret >= 0 {
            fd_tuple(e, x.ret, true, None)
        } else {
            e.empty()
        }
        e.u8(pct);
        e.u32(qlen);
        e.u32(qmax);
        if accept4 {
            e.u32(x.arg(3) as u32);
        }
    })
}

#[inline(always)]
pub(super) fn bind(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SOCKET_BIND_X, 3, |e| {
        e.i64(x.ret);
        sockaddr(e, x.arg(1), x.arg(2));
        e.i64(x.fd(0));
    })
}

#[inline(always)]
pub(super) fn listen(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    emit(ring, ts, tid, ev::SOCKET_LISTEN_X, 3, |e| {
        e.i64(x.ret);
        e.i64(x.fd(0));
        e.u32(x.arg(1) as u32);
    })
}

#[inline(always)]
pub(super) fn sendto(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let mut raw = [0u8; MAX_SOCKADDR];
    let ulen = user_sockaddr(&mut raw, x.arg(4), x.arg(5));
    emit(ring, ts, tid, ev::SOCKET_SENDTO_X, 5, |e| {
        e.i64(x.ret);
        let sent = if x.ret > 0 { x.ret } else { x.arg(2) as i64 };
        data(e, x.arg(1), x.data_len(sent));
        e.i64(x.fd(0));
        e.u32(x.arg(2) as u32);
        fd_tuple(e, x.fd(0), false, ulen.map(|n| &raw[..n]));
    })
}

#[inline(always)]
pub(super) fn recvfrom(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let mut raw = [0u8; MAX_SOCKADDR];
    let mut alen = [0u8; 4];
    let ulen = if x.arg(5) != 0 && x.ret >= 0 && ffi::copy_from_user(&mut alen, x.arg(5)) {
        user_sockaddr(&mut raw, x.arg(4), u64::from(u32::from_le_bytes(alen)))
    } else {
        None
    };
    emit(ring, ts, tid, ev::SOCKET_RECVFROM_X, 5, |e| {
        e.i64(x.ret);
        data(e, x.arg(1), x.data_len(x.ret));
        fd_tuple(e, x.fd(0), true, ulen.map(|n| &raw[..n]));
        e.i64(x.fd(0));
        e.u32(x.arg(2) as u32);
    })
}

/// sendmsg/recvmsg: the data comes from the msghdr's iovecs, the address from its msg_name.
pub(super) fn msg(ring: &Ring, ts: u64, tid: u64, x: &Exit<'_>) {
    let ret = x.ret;
    // struct user_msghdr: name(8) namelen(4)+pad(4) iov(8) iovlen(8) control(8) controllen(8) flags
    let mut hdr = [0u8; 48];
    let have = ffi::copy_from_user(&mut hdr, x.arg(1));
    let w = |i: usize| u64::from_le_bytes(hdr[i..i + 8].try_into().unwrap_or([0; 8]));
    let (name, namelen, iov, iovlen, control, controllen) = if have {
        (w(0), w(8) & 0xffff_ffff, w(16), w(24), w(32), w(40))
    } else {
        (0, 0, 0, 0, 0, 0)
    };
    let mut raw = [0u8; MAX_SOCKADDR];
    let ulen = user_sockaddr(&mut raw, name, namelen);
    if x.nr == nr::SENDMSG {
        emit(ring, ts, tid, ev::SOCKET_SENDMSG_X, 5, |e| {
            e.i64(ret);
            let len = x.data_len(if ret > 0 { ret } else { i64::MAX });
            let size = if have {
                iov_data(e, iov, iovlen, len)
            } else {
                e.empty();
                0
            };
            e.i64(x.fd(0));
            e.u32(size as u32);
            fd_tuple(e, x.fd(0), false, ulen.map(|n| &raw[..n]));
        })
    } else {
        emit(ring, ts, tid, ev::SOCKET_RECVMSG_X, 6, |e| {
            e.i64(ret);
            e.u32(0); // size: the iovec total, known once the iovecs are read below
            let size = if have {
                iov_data(e, iov, iovlen, x.data_len(ret))
            } else {
                e.empty();
                0
            };
            patch_u32(e, 1, size as u32);
            fd_tuple(e, x.fd(0), true, ulen.map(|n| &raw[..n]));
            if ret >= 0 && control != 0 && controllen != 0 {
                e.user_bytes(control, (controllen as usize).min(x.snaplen as usize));
            } else {
                e.empty();
            }
            e.i64(x.fd(0));
        })
    }
}
