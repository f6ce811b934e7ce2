/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit encoders of the calls that move data or create, duplicate and close fds: files, pipes and
 * sockets. Parameter lists as in docs/probe.md (the kernel module's fillers.rs).
 */
#ifndef FALCO_BPF_FILLERS_FD_H
#define FALCO_BPF_FILLERS_FD_H

#include "exit.h"

/* ---- data ---- */

/* Gathers up to `len` bytes of a user iovec array into one data parameter; returns the sum of the
 * iovec lengths (the `size` scap reports). */
static __always_inline __u64 push_iov_data(struct enc *e, __u64 iov, __u64 cnt, __u64 len)
{
	__u64 total = 0;

	/* Bytes gathered, counted in map memory so that every iteration starts from the same state
	 * for the verifier (see struct scratch). */
	e->s->acc = 0;
	for (int i = 0; i < 16; i++) {
		__u64 v[2], off = e->s->acc & (2 * MAX_EVENT_BYTES - 1);

		if (i >= cnt || bpf_probe_read_user(v, 16, (void *)(iov + 16 * i)))
			break;
		total += v[1];
		if (off < len) {
			__u64 take = v[1] < len - off ? v[1] : len - off;

			if (take > FALCO_MAX_SNAPLEN)
				take = FALCO_MAX_SNAPLEN;
			if (take && bpf_probe_read_user(at_off(e, off), take, (void *)v[0])) {
				e->s->faulted = 1;
				break;
			}
			e->s->acc = off + take;
		}
	}
	param_done(e, e->s->acc & (2 * MAX_EVENT_BYTES - 1));
	return total;
}

static __always_inline int io_event(__u64 *ctx, __u16 type, bool is_write, bool positional)
{
	XBEGIN(type, positional ? 5 : 4);
	long moved = is_write && x.ret <= 0 ? (long)x.a[2] : x.ret;

	push_i64(&e, x.ret);
	push_user_bytes(&e, x.a[1], data_len(&x, moved), FALCO_MAX_SNAPLEN);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, x.a[2]);
	if (positional)
		push_u64(&e, x.a[3]);
	XEND
}

X(read) { return io_event(ctx, PPME_SYSCALL_READ_X, false, false); }
X(write) { return io_event(ctx, PPME_SYSCALL_WRITE_X, true, false); }
X(pread64) { return io_event(ctx, PPME_SYSCALL_PREAD_X, false, true); }
X(pwrite64) { return io_event(ctx, PPME_SYSCALL_PWRITE_X, true, true); }

X(readv)
{
	XBEGIN(PPME_SYSCALL_READV_X, 4);
	__u64 size_at;

	push_i64(&e, x.ret);
	size_at = e.s->pos;
	push_u32(&e, 0); /* the iovec total, known once the iovecs are read */
	PUT32(&e.data[size_at & EVENT_MASK], push_iov_data(&e, x.a[1], x.a[2], data_len(&x, x.ret)));
	push_i64(&e, fd_arg(x.a[0]));
	XEND
}

X(writev)
{
	XBEGIN(PPME_SYSCALL_WRITEV_X, 4);
	__u64 size;

	push_i64(&e, x.ret);
	size = push_iov_data(&e, x.a[1], x.a[2], data_len(&x, x.ret > 0 ? x.ret : 0x7fffffff));
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, size);
	XEND
}

/* ---- opening ---- */

/* The open-family exit tail: flags (with "created") and the new fd's device and inode. */
static __always_inline void open_tail(struct enc *e, long fd, __u32 flags, __u32 mode)
{
	struct file_info fi;

	fd_file_info(fd, &fi);
	push_u32(e, open_flags(flags) | (fi.created ? PPM_O_F_CREATED : 0));
	push_u32(e, open_mode(flags, mode));
	push_u32(e, fi.dev);
	push_u64(e, fi.ino);
}

X(open)
{
	XBEGIN_ENTER(PPME_SYSCALL_OPEN_X, 6);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	open_tail(&e, x.ret, x.a[1], x.a[2]);
	XEND
}

X(openat)
{
	XBEGIN_ENTER(PPME_SYSCALL_OPENAT_2_X, 7);
	push_i64(&e, x.ret);
	push_i64(&e, dirfd(x.a[0]));
	push_user_str(&e, x.a[1], MAX_PATH);
	open_tail(&e, x.ret, x.a[2], x.a[3]);
	XEND
}

X(openat2)
{
	XBEGIN_ENTER(PPME_SYSCALL_OPENAT2_X, 8);
	struct open_how how;
	struct file_info fi;

	read_open_how(x.a[2], x.a[3], &how);
	fd_file_info(x.ret, &fi);
	push_i64(&e, x.ret);
	push_i64(&e, dirfd(x.a[0]));
	push_user_str(&e, x.a[1], MAX_PATH);
	push_u32(&e, open_flags(how.flags));
	push_u32(&e, open_mode(how.flags, how.mode));
	push_u32(&e, how.resolve);
	push_u32(&e, fi.dev);
	push_u64(&e, fi.ino);
	XEND
}

X(creat)
{
	XBEGIN_ENTER(PPME_SYSCALL_CREAT_X, 6);
	struct file_info fi;

	fd_file_info(x.ret, &fi);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_u32(&e, open_mode(L_O_CREAT, x.a[1]));
	push_u32(&e, fi.dev);
	push_u64(&e, fi.ino);
	push_u16(&e, 0); /* creat_flags: overlayfs layers, not computed */
	XEND
}

/* ---- fd table ---- */

/* Two i64 parameters (res and an fd), written straight into the ring. */
static __always_inline int two_i64(__u64 *ctx, __u16 type)
{
	struct xctx x;
	void *rb;
	__u8 *p;

	if (!xctx_load(ctx, &x))
		return 0;
	p = fixed_begin(&rb, HDR + 4 + 16, x.ts, x.tid, type, 2);
	if (!p)
		return 0;
	PUT16(p + HDR, 8);
	PUT16(p + HDR + 2, 8);
	PUT64(p + HDR + 4, x.ret);
	PUT64(p + HDR + 12, fd_arg(x.a[0]));
	fixed_end(p, rb, x.st, HDR + 4 + 16);
	return 0;
}

X(close) { return two_i64(ctx, PPME_SYSCALL_CLOSE_X); }
X(dup) { return two_i64(ctx, PPME_SYSCALL_DUP_1_X); }
X(fchdir) { return two_i64(ctx, PPME_SYSCALL_FCHDIR_X); }

X(dup2)
{
	XBEGIN(PPME_SYSCALL_DUP2_X, 3);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_i64(&e, fd_arg(x.a[1]));
	XEND
}

X(dup3)
{
	XBEGIN(PPME_SYSCALL_DUP3_X, 4);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_i64(&e, fd_arg(x.a[1]));
	push_u32(&e, fd_flags(x.a[2]));
	XEND
}

/* The two fds pipe, pipe2 and socketpair store in user memory; -1, -1 if the call failed or that
 * memory cannot be read. */
static __always_inline void user_fd_pair(long ret, __u64 ptr, __s64 *fd1, __s64 *fd2)
{
	__s32 fds[2];

	*fd1 = *fd2 = -1;
	if (ret != 0 || bpf_probe_read_user(fds, 8, (void *)ptr))
		return;
	*fd1 = fds[0];
	*fd2 = fds[1];
}

static __always_inline int pipe_event(__u64 *ctx, bool pipe2)
{
	XBEGIN(pipe2 ? PPME_SYSCALL_PIPE2_X : PPME_SYSCALL_PIPE_X, pipe2 ? 5 : 4);
	struct file_info fi;
	__s64 fd1, fd2;

	user_fd_pair(x.ret, x.a[0], &fd1, &fd2);
	fd_file_info(fd1, &fi);
	push_i64(&e, x.ret);
	push_i64(&e, fd1);
	push_i64(&e, fd2);
	push_u64(&e, fi.ino);
	if (pipe2)
		push_u32(&e, fd_flags(x.a[1]));
	XEND
}

X(pipe) { return pipe_event(ctx, false); }
X(pipe2) { return pipe_event(ctx, true); }

/* ---- sockets ---- */

X(socket)
{
	XBEGIN(PPME_SOCKET_SOCKET_X, 5);
	push_i64(&e, x.ret);
	push_u32(&e, x.a[0]);
	push_u32(&e, x.a[1]);
	push_u32(&e, x.a[2]);
	push_u32(&e, fd_flags(x.a[1])); /* SOCK_NONBLOCK and SOCK_CLOEXEC are O_NONBLOCK, O_CLOEXEC */
	XEND
}

X(socketpair)
{
	XBEGIN(PPME_SOCKET_SOCKETPAIR_X, 8);
	struct sock *sk;
	__s64 fd1, fd2;

	user_fd_pair(x.ret, x.a[3], &fd1, &fd2);
	sk = fd1 >= 0 ? fd_sock(fd1) : NULL;
	push_i64(&e, x.ret);
	push_i64(&e, fd1);
	push_i64(&e, fd2);
	push_u64(&e, (__u64)sk);
	push_u64(&e, sk ? (__u64)BPF_CORE_READ((struct unix_sock *)sk, peer) : 0);
	push_u32(&e, x.a[0]);
	push_u32(&e, x.a[1]);
	push_u32(&e, x.a[2]);
	XEND
}

X(connect)
{
	XBEGIN_ENTER(PPME_SOCKET_CONNECT_X, 4);
	struct user_sa sa;
	bool have;

	have = read_user_sa(x.a[1], x.a[2], &sa);
	push_i64(&e, x.ret);
	push_fd_tuple(&e, fd_arg(x.a[0]), false, have ? &sa : NULL);
	push_i64(&e, fd_arg(x.a[0]));
	if (have)
		push_user_sockaddr(&e, x.a[1], &sa);
	else
		push_empty(&e);
	XEND
}

static __always_inline int accept_event(__u64 *ctx, bool four)
{
	XBEGIN(four ? PPME_SOCKET_ACCEPT4_6_X : PPME_SOCKET_ACCEPT_5_X, four ? 6 : 5);
	struct sock *lsk = fd_sock(fd_arg(x.a[0]));
	__u32 qlen = lsk ? BPF_CORE_READ(lsk, sk_ack_backlog) : 0;
	__u32 qmax = lsk ? BPF_CORE_READ(lsk, sk_max_ack_backlog) : 0;
	__u64 pct = qmax ? (__u64)qlen * 100 / qmax : 0;

	push_i64(&e, x.ret);
	if (x.ret >= 0)
		push_fd_tuple(&e, x.ret, true, NULL);
	else
		push_empty(&e);
	push_u8(&e, pct > 100 ? 100 : pct);
	push_u32(&e, qlen);
	push_u32(&e, qmax);
	if (four)
		push_u32(&e, x.a[3]);
	XEND
}

X(accept) { return accept_event(ctx, false); }
X(accept4) { return accept_event(ctx, true); }

X(bind)
{
	XBEGIN(PPME_SOCKET_BIND_X, 3);
	struct user_sa sa;

	push_i64(&e, x.ret);
	if (read_user_sa(x.a[1], x.a[2], &sa))
		push_user_sockaddr(&e, x.a[1], &sa);
	else
		push_empty(&e);
	push_i64(&e, fd_arg(x.a[0]));
	XEND
}

X(listen)
{
	XBEGIN(PPME_SOCKET_LISTEN_X, 3);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, x.a[1]);
	XEND
}

X(sendto)
{
	XBEGIN(PPME_SOCKET_SENDTO_X, 5);
	struct user_sa sa;
	bool have = read_user_sa(x.a[4], x.a[5], &sa);

	push_i64(&e, x.ret);
	push_user_bytes(&e, x.a[1], data_len(&x, x.ret > 0 ? x.ret : (long)x.a[2]), FALCO_MAX_SNAPLEN);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, x.a[2]);
	push_fd_tuple(&e, fd_arg(x.a[0]), false, have ? &sa : NULL);
	XEND
}

X(recvfrom)
{
	XBEGIN(PPME_SOCKET_RECVFROM_X, 5);
	struct user_sa sa;
	__u32 alen = 0;
	bool have = false;

	if (x.a[5] && x.ret >= 0 && !bpf_probe_read_user(&alen, 4, (void *)x.a[5]))
		have = read_user_sa(x.a[4], alen, &sa);
	push_i64(&e, x.ret);
	push_user_bytes(&e, x.a[1], data_len(&x, x.ret), FALCO_MAX_SNAPLEN);
	push_fd_tuple(&e, fd_arg(x.a[0]), true, have ? &sa : NULL);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, x.a[2]);
	XEND
}

/* struct user_msghdr. */
struct user_msghdr {
	__u64 name;
	__u32 namelen, pad;
	__u64 iov, iovlen, control, controllen;
};

X(sendmsg)
{
	XBEGIN(PPME_SOCKET_SENDMSG_X, 5);
	struct user_msghdr m;
	struct user_sa sa;
	bool have_m = !bpf_probe_read_user(&m, sizeof(m), (void *)x.a[1]);
	bool have = have_m && read_user_sa(m.name, m.namelen, &sa);
	__u64 size = 0;

	push_i64(&e, x.ret);
	if (have_m)
		size = push_iov_data(&e, m.iov, m.iovlen, data_len(&x, x.ret > 0 ? x.ret : 0x7fffffff));
	else
		push_empty(&e);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, size);
	push_fd_tuple(&e, fd_arg(x.a[0]), false, have ? &sa : NULL);
	XEND
}

X(recvmsg)
{
	XBEGIN(PPME_SOCKET_RECVMSG_X, 6);
	struct user_msghdr m;
	struct user_sa sa;
	bool have_m = !bpf_probe_read_user(&m, sizeof(m), (void *)x.a[1]);
	bool have = have_m && read_user_sa(m.name, m.namelen, &sa);
	__u64 size_at;

	push_i64(&e, x.ret);
	size_at = e.s->pos;
	push_u32(&e, 0); /* the iovec total, known once the iovecs are read */
	if (have_m)
		PUT32(&e.data[size_at & EVENT_MASK], push_iov_data(&e, m.iov, m.iovlen, data_len(&x, x.ret)));
	else
		push_empty(&e);
	push_fd_tuple(&e, fd_arg(x.a[0]), true, have ? &sa : NULL);
	if (have_m && x.ret >= 0 && m.control && m.controllen)
		push_user_bytes(&e, m.control, m.controllen < x.st->snaplen ? m.controllen : x.st->snaplen,
				FALCO_MAX_SNAPLEN);
	else
		push_empty(&e);
	push_i64(&e, fd_arg(x.a[0]));
	XEND
}

#endif
