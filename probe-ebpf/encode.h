/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The event encoder: the same scap layout as the kernel module's (probe/event.rs): a 26-byte header,
 * u16 parameter lengths, then the parameters back to back. Variable-size events are built in the
 * per-CPU scratch buffer and copied to the ring in one piece; fixed-size ones are written straight
 * into a reserved ring record. Every write offset is masked into the first half of the scratch
 * buffer, so the verifier sees each access in bounds; an event that outgrows MAX_EVENT_BYTES is
 * dropped whole when it is submitted, never truncated.
 */
#ifndef FALCO_BPF_ENCODE_H
#define FALCO_BPF_ENCODE_H

#include "maps.h"

/* x86_64 tolerates unaligned stores, and so does the verifier on it; packed layouts need them. */
#define PUT8(p, v) (*(__u8 *)(p) = (__u8)(v))
#define PUT16(p, v) (*(__u16 *)(p) = (__u16)(v))
#define PUT32(p, v) (*(__u32 *)(p) = (__u32)(v))
#define PUT64(p, v) (*(__u64 *)(p) = (__u64)(v))

#define HDR FALCO_EVENT_HEADER_LEN

/* Longest path read (PATH_MAX), argv/env block, cgroups list, sockaddr. */
#define MAX_PATH 4096
#define MAX_ARGS 4096
#define MAX_CGROUPS 1024
#define MAX_SOCKADDR 128

/* The event being built: its state lives in the scratch map (see struct scratch). */
struct enc {
	struct scratch *s;
	__u8 *data;
};

static __always_inline __u64 now_ns(struct falco_settings *st)
{
	return bpf_ktime_get_boot_ns() + st->boot_to_epoch_ns;
}

static __always_inline __u64 current_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

static __always_inline bool enc_start(struct enc *e, __u16 type, __u32 nparams, __u64 ts, __u64 tid)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct scratch *s = bpf_map_lookup_elem(&scratch, &cpu);

	if (!s)
		return false;
	e->s = s;
	e->data = s->data;
	e->s->pos = HDR + 2 * (nparams & 31);
	e->s->ts = ts;
	e->s->tid = tid;
	e->s->idx = 0;
	e->s->nparams = nparams;
	e->s->type = type;
	e->s->faulted = 0;
	e->s->bug = 0;
	e->s->too_big = 0;
	return true;
}

/*
 * The next parameter is `len` bytes, already written at pos. The new position is masked: a
 * variable-length parameter then leaves the same position range, [0, 2 * MAX_EVENT_BYTES), on
 * every path, so the verifier can merge the paths that follow instead of exploring each (the mask
 * changes nothing for an event that fits; one that does not is flagged too big).
 */
static __always_inline void param_done(struct enc *e, __u32 len)
{
	__u64 pos = e->s->pos + len;

	if (e->s->idx >= e->s->nparams) {
		e->s->bug = 1;
		return;
	}
	PUT16(&e->data[HDR + 2 * (e->s->idx & 31)], len);
	e->s->idx++;
	if (pos > MAX_EVENT_BYTES)
		e->s->too_big = 1;
	e->s->pos = pos & (2 * MAX_EVENT_BYTES - 1);
}

static __always_inline __u8 *at(struct enc *e)
{
	return &e->data[e->s->pos & EVENT_MASK];
}

/* `off` bytes past the current parameter's start. */
static __always_inline __u8 *at_off(struct enc *e, __u64 off)
{
	return &e->data[(e->s->pos + off) & EVENT_MASK];
}

static __always_inline void push_u8(struct enc *e, __u8 v)
{
	PUT8(at(e), v);
	param_done(e, 1);
}
static __always_inline void push_u16(struct enc *e, __u16 v)
{
	PUT16(at(e), v);
	param_done(e, 2);
}
static __always_inline void push_u32(struct enc *e, __u32 v)
{
	PUT32(at(e), v);
	param_done(e, 4);
}
static __always_inline void push_u64(struct enc *e, __u64 v)
{
	PUT64(at(e), v);
	param_done(e, 8);
}
static __always_inline void push_i64(struct enc *e, __s64 v)
{
	push_u64(e, (__u64)v);
}
static __always_inline void push_empty(struct enc *e)
{
	param_done(e, 0);
}

/* A NUL-terminated user string of at most MAX bytes (NUL included); empty if it faults. */
#define push_user_str(e, uptr, MAX)                                                               \
	({                                                                                        \
		__u64 __u = (__u64)(uptr);                                                        \
		long __n = 0;                                                                     \
		if (__u) {                                                                        \
			__n = bpf_probe_read_user_str(at(e), (MAX), (const void *)__u);           \
			if (__n < 0) {                                                            \
				(e)->s->faulted = 1;                                                 \
				__n = 0;                                                          \
			}                                                                         \
		}                                                                                 \
		param_done((e), (__u32)__n);                                                      \
	})

/* A NUL-terminated kernel string of at most MAX bytes (NUL included). */
#define push_kernel_str(e, kptr, MAX)                                                             \
	({                                                                                        \
		const void *__k = (const void *)(kptr);                                           \
		long __n = __k ? bpf_probe_read_kernel_str(at(e), (MAX), __k) : 0;                \
		param_done((e), __n > 0 ? (__u32)__n : 0);                                       \
	})

/* `len` bytes of user memory, at most MAX; empty if any of it faults. */
#define push_user_bytes(e, uptr, len, MAX)                                                        \
	({                                                                                        \
		__u64 __l = (__u64)(len);                                                         \
		if (__l > (MAX))                                                                  \
			__l = (MAX);                                                              \
		if (__l && bpf_probe_read_user(at(e), __l, (const void *)(__u64)(uptr)) == 0) {   \
			param_done((e), (__u32)__l);                                              \
		} else {                                                                          \
			if (__l)                                                                  \
				(e)->s->faulted = 1;                                                 \
			param_done((e), 0);                                                       \
		}                                                                                 \
	})

/* The ring buffer of this CPU's group. */
static __always_inline void *this_ring(void)
{
	__u32 cpu = bpf_get_smp_processor_id();

	return bpf_map_lookup_elem(&ringbufs, &cpu);
}

/* Write without a wakeup (the consumer drains on a timer), except when this event takes the
 * ring past the wakeup threshold. */
static __always_inline __u64 wake_flags(void *rb, struct falco_settings *st, __u64 len)
{
	__u64 avail;

	if (!st->wakeup_bytes)
		return 0;
	avail = bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA);
	if (avail < st->wakeup_bytes && avail + len >= st->wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	return BPF_RB_NO_WAKEUP;
}

static __always_inline void put_header(__u8 *p, __u64 ts, __u64 tid, __u32 len, __u16 type, __u32 nparams)
{
	PUT64(p, ts);
	PUT64(p + 8, tid);
	PUT32(p + 16, len);
	PUT16(p + 20, type);
	/* nparams sits at offset 22: two halves keep the stores 2-aligned. */
	PUT16(p + 22, nparams);
	PUT16(p + 24, nparams >> 16);
}

/* Writes the header and copies the event to the ring, counting what happens to it. */
static __always_inline void enc_submit(struct enc *e, struct falco_settings *st)
{
	struct falco_counters *c = get_counters();
	__u64 len = e->s->pos;
	void *rb;

	if (!c)
		return;
	if (e->s->bug || e->s->idx != e->s->nparams) {
		c->n_drops_bug++;
		return;
	}
	if (e->s->too_big || len > MAX_EVENT_BYTES) {
		c->n_drops_too_big++;
		return;
	}
	put_header(e->data, e->s->ts, e->s->tid, len, e->s->type, e->s->nparams);
	rb = this_ring();
	if (!rb) {
		c->n_drops_bug++;
		return;
	}
	if (bpf_ringbuf_output(rb, e->data, len, wake_flags(rb, st, len))) {
		c->n_drops_buffer++;
		return;
	}
	c->n_evts++;
	if (e->s->faulted)
		c->n_drops_pf++;
}

/*
 * Fixed-size events, written straight into a reserved ring record: FIXED_BEGIN reserves SIZE bytes
 * and writes the header (or counts the drop and leaves `p` NULL); the caller writes the lengths
 * and payload at p + HDR; FIXED_END submits.
 */
static __always_inline __u8 *fixed_begin(void **rbp, __u64 size, __u64 ts, __u64 tid, __u16 type, __u32 nparams)
{
	struct falco_counters *c = get_counters();
	void *rb = this_ring();
	__u8 *p;

	if (!c)
		return NULL;
	if (!rb) {
		c->n_drops_bug++;
		return NULL;
	}
	p = bpf_ringbuf_reserve(rb, size, 0);
	if (!p) {
		c->n_drops_buffer++;
		return NULL;
	}
	c->n_evts++;
	put_header(p, ts, tid, size, type, nparams);
	*rbp = rb;
	return p;
}

static __always_inline void fixed_end(__u8 *p, void *rb, struct falco_settings *st, __u64 size)
{
	bpf_ringbuf_submit(p, wake_flags(rb, st, size));
}

#endif
