/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every exit encoder starts from, and the enter events: the encoders are tail-called from
 * sys_exit (falco.bpf.c) with its context, one program per syscall (x_<syscall>).
 */
#ifndef FALCO_BPF_EXIT_H
#define FALCO_BPF_EXIT_H

#include "net.h"
#include "proc.h"

struct xctx {
	struct falco_settings *st;
	__u64 a[6];
	long ret;
	long nr;
	__u64 ts, tid;
};

static __always_inline bool xctx_load(__u64 *ctx, struct xctx *x)
{
	struct pt_regs *regs = (struct pt_regs *)ctx[0];

	x->st = get_settings();
	if (!x->st)
		return false;
	x->ret = ctx[1];
	x->nr = regs->orig_ax;
	x->a[0] = regs->di;
	x->a[1] = regs->si;
	x->a[2] = regs->dx;
	x->a[3] = regs->r10;
	x->a[4] = regs->r8;
	x->a[5] = regs->r9;
	x->ts = now_ns(x->st);
	x->tid = current_tid();
	return true;
}

/* Bytes of a data buffer to capture: the snaplen, at most what the call moved (`n`). */
static __always_inline __u64 data_len(struct xctx *x, long n)
{
	__u32 snap = x->st->snaplen;

	if (n <= 0)
		return 0;
	if (snap > FALCO_MAX_SNAPLEN)
		snap = FALCO_MAX_SNAPLEN;
	return (__u64)n < snap ? (__u64)n : snap;
}

static __always_inline __s64 fd_arg(__u64 v)
{
	return (__s64)(__s32)v;
}

#define X(name) SEC("tp_btf/sys_exit") int x_##name(__u64 *ctx)
#define XBEGIN(type, n)                                                                           \
	struct xctx x;                                                                            \
	struct enc e;                                                                             \
	if (!xctx_load(ctx, &x) || !enc_start(&e, (type), (n), x.ts, x.tid))                      \
		return 0;
/* The same for the syscalls with an enter event: a deferred enter event is written first (it
 * uses the scratch buffer the exit event is then built in). */
#define XBEGIN_ENTER(type, n)                                                                     \
	struct xctx x;                                                                            \
	struct enc e;                                                                             \
	if (!xctx_load(ctx, &x))                                                                  \
		return 0;                                                                         \
	flush_deferred(&x);                                                                       \
	if (!enc_start(&e, (type), (n), x.ts, x.tid))                                             \
		return 0;
#define XEND                                                                                      \
	enc_submit(&e, x.st);                                                                     \
	return 0;

/* `struct open_how` {flags, mode, resolve} of openat2, or zeros if unreadable. */
struct open_how {
	__u64 flags, mode, resolve;
};

static __always_inline void read_open_how(__u64 addr, __u64 size, struct open_how *h)
{
	h->flags = h->mode = h->resolve = 0;
	if (size >= 24 && bpf_probe_read_user(h, 24, (void *)addr))
		h->flags = h->mode = h->resolve = 0;
}

/* The enter events: only the calls whose arguments may change under the kernel's feet (TOCTOU),
 * whose path or address as passed in is what the rules must see. */
static __always_inline bool has_enter(long nr)
{
	return nr == NR_open || nr == NR_openat || nr == NR_openat2 || nr == NR_creat || nr == NR_connect;
}

/*
 * Writes the enter event of syscall `nr` with arguments `a`. At sys_enter (`at_exit` false) a user
 * read can fault on a page the syscall has not touched yet; such an event is not written but
 * deferred (its timestamp kept per thread), and the exit encoder writes it from the same
 * arguments, resident by then.
 */
static __always_inline void enter_event(struct falco_settings *st, __u64 ts, __u64 tid, long nr, __u64 *a,
					bool at_exit)
{
	struct user_sa sa;
	struct open_how how;
	struct enc e;
	__u16 type;
	__u32 n;

	switch (nr) {
	case NR_open: type = PPME_SYSCALL_OPEN_E; n = 3; break;
	case NR_openat: type = PPME_SYSCALL_OPENAT_2_E; n = 4; break;
	case NR_openat2: type = PPME_SYSCALL_OPENAT2_E; n = 5; break;
	case NR_creat: type = PPME_SYSCALL_CREAT_E; n = 2; break;
	default: type = PPME_SOCKET_CONNECT_E; n = 2; break;
	}
	if (!enc_start(&e, type, n, ts, tid))
		return;
	switch (nr) {
	case NR_open:
		push_user_str(&e, a[0], MAX_PATH);
		push_u32(&e, open_flags(a[1]));
		push_u32(&e, open_mode(a[1], a[2]));
		break;
	case NR_openat:
		push_i64(&e, dirfd(a[0]));
		push_user_str(&e, a[1], MAX_PATH);
		push_u32(&e, open_flags(a[2]));
		push_u32(&e, open_mode(a[2], a[3]));
		break;
	case NR_openat2:
		read_open_how(a[2], a[3], &how);
		push_i64(&e, dirfd(a[0]));
		push_user_str(&e, a[1], MAX_PATH);
		push_u32(&e, open_flags(how.flags));
		push_u32(&e, open_mode(how.flags, how.mode));
		push_u32(&e, how.resolve);
		break;
	case NR_creat:
		push_user_str(&e, a[0], MAX_PATH);
		push_u32(&e, open_mode(L_O_CREAT, a[1]));
		break;
	default:
		push_i64(&e, fd_arg(a[0]));
		if (read_user_sa(a[1], a[2], &sa))
			push_user_sockaddr(&e, a[1], &sa);
		else
			push_empty(&e);
		break;
	}
	if (e.s->faulted && !at_exit) {
		__u32 key = tid;

		bpf_map_update_elem(&deferred_enter, &key, &ts, BPF_ANY);
		return;
	}
	enc_submit(&e, st);
}

/* Writes this thread's deferred enter event, if any (exit encoders of the enter syscalls). */
static __always_inline void flush_deferred(struct xctx *x)
{
	__u32 key = x->tid;
	__u64 *ts = bpf_map_lookup_elem(&deferred_enter, &key);

	if (!ts)
		return;
	enter_event(x->st, *ts, x->tid, x->nr, x->a, true);
	bpf_map_delete_elem(&deferred_enter, &key);
}

#endif
