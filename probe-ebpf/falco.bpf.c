// SPDX-License-Identifier: GPL-2.0
/*
 * falco's CO-RE eBPF driver (engine.kind: modern_ebpf): the same scap events as the falco_probe
 * kernel module, from BTF tracepoint programs (tp_btf) on raw_syscalls sys_enter/sys_exit and
 * sched_process_exec/fork/exit, written to BPF ring buffers that falco drains
 * (engine/src/capture/ebpf/). docs/modern-ebpf.md describes the design.
 *
 * sys_exit filters (capture on, syscall wanted, drop_failed_exit, 64-bit ABI) and tail-calls the
 * syscall's exit encoder (x_<syscall>, fillers_*.h); a syscall without one gets the fixed-size
 * generic event written here. Successful execs and clone children come from the sched
 * tracepoints, as with the kernel module.
 */
#include "fillers_fd.h"
#include "fillers_misc.h"

char LICENSE[] SEC("license") = "GPL";

static __always_inline void count_hit(void)
{
	struct falco_counters *c = get_counters();

	if (c)
		c->n_tp_hits++;
}

static __always_inline bool wanted(struct falco_settings *st, long id)
{
	return (__u64)id < FALCO_SYSCALL_TABLE_SIZE && st->interesting[id & (FALCO_SYSCALL_TABLE_SIZE - 1)];
}

static __always_inline bool is_clone(long id)
{
	return id == NR_clone || id == NR_fork || id == NR_vfork || id == NR_clone3;
}

SEC("tp_btf/sys_enter")
int sys_enter(__u64 *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx[0];
	long id = ctx[1];
	struct falco_settings *st;
	__u64 a[6];

	if (!has_enter(id))
		return 0;
	st = get_settings();
	if (!st || !st->capture || !wanted(st, id))
		return 0;
	if (bpf_get_current_task_btf()->thread_info.status & TS_COMPAT)
		return 0;
	count_hit();
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
	enter_event(st, now_ns(st), current_tid(), id, a, false);
	return 0;
}

/* The generic exit event: ID (PPM_SC code), nativeID (x86_64 number). */
static __always_inline void generic_event(struct falco_settings *st, long id)
{
	const __u64 size = HDR + 4 + 4;
	void *rb;
	__u8 *p = fixed_begin(&rb, size, now_ns(st), current_tid(), PPME_GENERIC_X, 2);

	if (!p)
		return;
	PUT16(p + HDR, 2);
	PUT16(p + HDR + 2, 2);
	PUT16(p + HDR + 4, falco_ppm_sc[id & (FALCO_SYSCALL_TABLE_SIZE - 1)]);
	PUT16(p + HDR + 6, id);
	fixed_end(p, rb, st, size);
}

SEC("tp_btf/sys_exit")
int sys_exit(__u64 *ctx)
{
	struct pt_regs *regs = (struct pt_regs *)ctx[0];
	long ret = ctx[1];
	struct falco_settings *st = get_settings();
	long id;

	if (!st || !st->capture)
		return 0;
	id = regs->orig_ax;
	if (!wanted(st, id))
		return 0;
	if (ret < 0 && st->dropfailed) {
		if (has_enter(id)) {
			__u32 key = current_tid();

			bpf_map_delete_elem(&deferred_enter, &key);
		}
		return 0;
	}
	if (bpf_get_current_task_btf()->thread_info.status & TS_COMPAT)
		return 0;
	/* Children and successful execs come from the sched tracepoints. */
	if (ret == 0 && (is_clone(id) || id == NR_execve || id == NR_execveat))
		return 0;
	count_hit();
	bpf_tail_call(ctx, &exit_encoders, id & (FALCO_SYSCALL_TABLE_SIZE - 1));
	generic_event(st, id);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int sched_exec(__u64 *ctx)
{
	struct task_struct *p = (struct task_struct *)ctx[0];
	struct linux_binprm *bprm = (struct linux_binprm *)ctx[2];
	struct falco_settings *st = get_settings();
	long id;

	if (!st || !st->capture)
		return 0;
	id = task_syscall(p);
	if ((id != NR_execve && id != NR_execveat) || !wanted(st, id))
		return 0;
	count_hit();
	exec_event(st, now_ns(st), BPF_CORE_READ(p, pid), id == NR_execveat, 0, p, BPF_CORE_READ(bprm, filename),
		   NULL);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int sched_fork(__u64 *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx[0];
	struct task_struct *child = (struct task_struct *)ctx[1];
	struct falco_settings *st = get_settings();
	long id;

	if (!st || !st->capture)
		return 0;
	if ((BPF_CORE_READ(parent, flags) & PF_KTHREAD) ||
	    (BPF_CORE_READ(child, flags) & (PF_KTHREAD | PF_IO_WORKER | PF_USER_WORKER)))
		return 0;
	id = task_syscall(parent);
	if (!is_clone(id) || !wanted(st, id))
		return 0;
	count_hit();
	clone_event(st, now_ns(st), BPF_CORE_READ(child, pid), id, 0, child, false, task_syscall_arg0(parent));
	return 0;
}

SEC("tp_btf/sched_process_exit")
int sched_exit(__u64 *ctx)
{
	struct task_struct *p = (struct task_struct *)ctx[0];
	bool group_dead = ctx[1];
	struct falco_settings *st = get_settings();
	struct enc e;
	int code;

	if (!st || !st->capture || (BPF_CORE_READ(p, flags) & PF_KTHREAD))
		return 0;
	count_hit();
	if (!enc_start(&e, PPME_PROCEXIT_1_E, 5, now_ns(st), BPF_CORE_READ(p, pid)))
		return 0;
	code = BPF_CORE_READ(p, exit_code);
	push_i64(&e, code);
	push_i64(&e, (code >> 8) & 0xff); /* WEXITSTATUS */
	push_u8(&e, code & 0x7f);         /* WTERMSIG */
	push_u8(&e, (code & 0x80) != 0);  /* WCOREDUMP */
	push_i64(&e, reaper_of(p, group_dead));
	enc_submit(&e, st);
	return 0;
}
