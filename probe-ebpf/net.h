/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket parameters as scap encodes them (the kernel module's fillers.rs: sockaddr, socktuple,
 * unix_path): a family byte, IPv4 addresses in network order, ports in host order, IPv4-mapped
 * IPv6 sockets as IPv4, unix sockets as (socket, peer, path) with abstract names written `@name`.
 */
#ifndef FALCO_BPF_NET_H
#define FALCO_BPF_NET_H

#include "task.h"
#include <bpf/bpf_endian.h>

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define UNIX_PATH_MAX 108

/* The first bytes of a user sockaddr: enough for sockaddr_in and sockaddr_in6. */
struct user_sa {
	__u16 family;
	__be16 port;
	__u32 flowinfo; /* sockaddr_in: the IPv4 address */
	__u8 addr6[16];
	__u32 len; /* bytes the caller passed */
};

static __always_inline bool read_user_sa(__u64 uaddr, __u64 len, struct user_sa *sa)
{
	__u32 n = len > 24 ? 24 : len;

	sa->family = 0;
	sa->len = 0;
	if (!uaddr || len < 2 || bpf_probe_read_user(sa, n & 31, (void *)uaddr))
		return false;
	sa->len = len > MAX_SOCKADDR ? MAX_SOCKADDR : len;
	return true;
}

/* A unix path of `n` bytes at `src` (user or kernel memory) as a C string at the encoder's pos;
 * returns the bytes written, NUL included. Abstract names (leading NUL) get a leading '@'. */
static __always_inline __u32 put_unix_path(__u8 *dst, const void *src, __u32 n, bool user)
{
	__u8 first = 0;
	long r;

	if (n > UNIX_PATH_MAX)
		n = UNIX_PATH_MAX;
	if (!n) {
		dst[0] = 0;
		return 1;
	}
	if (user)
		bpf_probe_read_user(&first, 1, src);
	else
		bpf_probe_read_kernel(&first, 1, src);
	if (first == 0) {
		__u32 m = (n - 1) & 127;

		dst[0] = '@';
		if (m && (user ? bpf_probe_read_user(dst + 1, m, src + 1)
			       : bpf_probe_read_kernel(dst + 1, m, src + 1)))
			m = 0;
		dst[(1 + m) & 255] = 0;
		return m + 2;
	}
	r = user ? bpf_probe_read_user_str(dst, (n & 127) + 1, src)
		 : bpf_probe_read_kernel_str(dst, (n & 127) + 1, src);
	if (r <= 0) {
		dst[0] = 0;
		return 1;
	}
	return r;
}

/* The PT_SOCKADDR of a user sockaddr. */
static __always_inline void push_user_sockaddr(struct enc *e, __u64 uaddr, struct user_sa *sa)
{
	__u8 *p = at(e);

	if (!sa->len) {
		push_empty(e);
		return;
	}
	if (sa->family == AF_INET && sa->len >= 8) {
		PUT8(p, PPM_AF_INET);
		PUT32(p + 1, sa->flowinfo);
		PUT16(p + 5, bpf_ntohs(sa->port));
		param_done(e, 7);
	} else if (sa->family == AF_INET6 && sa->len >= 24) {
		PUT8(p, PPM_AF_INET6);
		__builtin_memcpy(p + 1, sa->addr6, 16);
		PUT16(p + 17, bpf_ntohs(sa->port));
		param_done(e, 19);
	} else if (sa->family == AF_UNIX) {
		PUT8(p, PPM_AF_UNIX);
		param_done(e, 1 + put_unix_path(p + 1, (void *)(uaddr + 2), sa->len - 2, true));
	} else {
		PUT8(p, sa->family);
		param_done(e, 1);
	}
}

static __always_inline bool is_v4_mapped(const __u8 *a)
{
	__u64 lo;
	__u32 mid;

	__builtin_memcpy(&lo, a, 8);
	__builtin_memcpy(&mid, a + 8, 4);
	return lo == 0 && mid == 0xffff0000;
}

static __always_inline bool is_zero16(const __u8 *a)
{
	__u64 lo, hi;

	__builtin_memcpy(&lo, a, 8);
	__builtin_memcpy(&hi, a + 8, 8);
	return !(lo | hi);
}

/* The name identifying a unix connection: the socket's own if bound, else the peer's. */
static __always_inline __u32 put_unix_sock_path(__u8 *dst, struct sock *sk, struct sock *peer)
{
	struct unix_address *ua = BPF_CORE_READ((struct unix_sock *)sk, addr);

	if (!ua && peer)
		ua = BPF_CORE_READ((struct unix_sock *)peer, addr);
	if (!ua) {
		dst[0] = 0;
		return 1;
	}
	int len = BPF_CORE_READ(ua, len) - 2;

	if (len <= 0) {
		dst[0] = 0;
		return 1;
	}
	/* name[] is a flexible array of sockaddr_un, whose sun_path is at offset 2 (UAPI). */
	return put_unix_path(dst, (void *)ua + bpf_core_field_offset(struct unix_address, name) + 2, len, false);
}

/*
 * The PT_SOCKTUPLE of `sk`. Outbound (connect, send): source is the local end; inbound (accept,
 * receive): source is the peer. `remote` replaces an unset peer address (unconnected UDP).
 */
static __always_inline void push_tuple(struct enc *e, struct sock *sk, bool inbound, struct user_sa *remote)
{
	__u16 family = sk ? BPF_CORE_READ(sk, __sk_common.skc_family) : 0;
	__u8 *p = at(e);
	__u16 lport, rport;

	if (family == AF_UNIX) {
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);

		PUT8(p, PPM_AF_UNIX);
		PUT64(p + 1, (__u64)sk);
		PUT64(p + 9, (__u64)peer);
		param_done(e, 17 + put_unix_sock_path(p + 17, sk, peer));
		return;
	}
	if (family != AF_INET && family != AF_INET6) {
		push_empty(e);
		return;
	}
	lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 r = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		if (!r && !rport && remote && remote->len >= 8 && remote->family == AF_INET) {
			r = remote->flowinfo;
			rport = bpf_ntohs(remote->port);
		}
		PUT8(p, PPM_AF_INET);
		PUT32(p + 1, inbound ? r : l);
		PUT16(p + 5, inbound ? rport : lport);
		PUT32(p + 7, inbound ? l : r);
		PUT16(p + 11, inbound ? lport : rport);
		param_done(e, 13);
		return;
	}
	struct in6_addr l6 = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
	struct in6_addr r6 = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);

	if (is_zero16(r6.in6_u.u6_addr8) && !rport && remote && remote->len >= 24 && remote->family == AF_INET6) {
		__builtin_memcpy(r6.in6_u.u6_addr8, remote->addr6, 16);
		rport = bpf_ntohs(remote->port);
	}
	if (is_v4_mapped(l6.in6_u.u6_addr8) && (is_v4_mapped(r6.in6_u.u6_addr8) || is_zero16(r6.in6_u.u6_addr8))) {
		PUT8(p, PPM_AF_INET);
		__builtin_memcpy(p + 1, inbound ? &r6.in6_u.u6_addr8[12] : &l6.in6_u.u6_addr8[12], 4);
		PUT16(p + 5, inbound ? rport : lport);
		__builtin_memcpy(p + 7, inbound ? &l6.in6_u.u6_addr8[12] : &r6.in6_u.u6_addr8[12], 4);
		PUT16(p + 11, inbound ? lport : rport);
		param_done(e, 13);
		return;
	}
	PUT8(p, PPM_AF_INET6);
	__builtin_memcpy(p + 1, inbound ? r6.in6_u.u6_addr8 : l6.in6_u.u6_addr8, 16);
	PUT16(p + 17, inbound ? rport : lport);
	__builtin_memcpy(p + 19, inbound ? l6.in6_u.u6_addr8 : r6.in6_u.u6_addr8, 16);
	PUT16(p + 35, inbound ? lport : rport);
	param_done(e, 37);
}

static __always_inline void push_fd_tuple(struct enc *e, long fd, bool inbound, struct user_sa *remote)
{
	struct sock *sk = fd_sock(fd);

	if (sk)
		push_tuple(e, sk, inbound, remote);
	else
		push_empty(e);
}

#endif
