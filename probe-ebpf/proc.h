/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Process events: the clone family (both sides), execve/execveat and procexit, with the same
 * parameters as the kernel module's fillers.rs (clone_event, exec_event, procexit).
 */
#ifndef FALCO_BPF_PROC_H
#define FALCO_BPF_PROC_H

#include "task.h"
#include "syscalls.h"

/* argv[0] and the remaining args of `pi`'s mm: [arg_start, arg_end) holds the strings back to
 * back. Read from the current address space (after exec, or a fork child's copy of it). */
static __always_inline void push_mm_args(struct enc *e, struct proc_info *pi)
{
	__u64 total = pi->arg_end > pi->arg_start ? pi->arg_end - pi->arg_start : 0;
	__u64 max = total < MAX_PATH ? total : MAX_PATH;
	long exe_len = 0;

	if (!total) {
		push_empty(e);
		push_empty(e);
		return;
	}
	if (max) {
		exe_len = bpf_probe_read_user_str(at(e), max & (MAX_PATH * 2 - 1), (void *)pi->arg_start);
		if (exe_len < 0) {
			e->s->faulted = 1;
			exe_len = 0;
		}
	}
	param_done(e, exe_len);
	total = total > (__u64)exe_len ? total - exe_len : 0;
	push_user_bytes(e, pi->arg_start + exe_len, total, MAX_ARGS);
}

static __always_inline void push_mm_env(struct enc *e, struct proc_info *pi)
{
	__u64 total = pi->env_end > pi->env_start ? pi->env_end - pi->env_start : 0;

	push_user_bytes(e, pi->env_start, total, MAX_ARGS);
}

/* The argv or env strings of a user pointer array (a failed execve), NUL separated; with
 * `split_first`, argv[0] goes into its own (exe) parameter first. */
static __always_inline void push_user_strv(struct enc *e, __u64 argv, bool split_first)
{
	__u64 p = 0, off = 0;
	int i = 0;

	if (!argv || bpf_probe_read_user(&p, 8, (void *)argv)) {
		if (split_first)
			push_empty(e);
		push_empty(e);
		return;
	}
	if (split_first) {
		push_user_str(e, p, MAX_PATH);
		i = 1;
	}
	for (; i < 64; i++) {
		long n;

		if (bpf_probe_read_user(&p, 8, (void *)(argv + 8 * i)) || !p || off >= MAX_ARGS)
			break;
		n = bpf_probe_read_user_str(at_off(e, off), (MAX_ARGS - off) & (MAX_ARGS * 2 - 1), (void *)p);
		if (n <= 0)
			break;
		/* A no-op (off stays below MAX_ARGS), which gives every iteration the same range. */
		off = (off + n) & (MAX_ARGS * 2 - 1);
	}
	param_done(e, off);
}

/* kernfs_path_from_node(kn): "/" for the root, else "/a/b". Returns the bytes written at `off`
 * past the parameter start, NUL included. */
static __always_inline __u64 put_kernfs_path(struct enc *e, __u64 off, struct kernfs_node *kn)
{
	__u64 *names = e->s->names;
	__u32 n;
	int i;

	/* The depth is counted in map memory, whose values the verifier does not track: every way
	 * out of the walk then reaches the writing loop in the same state. */
	e->s->depth = 0;
	for (i = 0; i < MAX_CGROUP_DEPTH; i++) {
		struct kernfs_node *parent;

		if (bpf_core_field_exists(kn->__parent))
			parent = BPF_CORE_READ(kn, __parent);
		else
			parent = (void *)BPF_CORE_READ((struct kernfs_node___old *)kn, parent);
		if (!parent)
			break;
		names[e->s->depth & (MAX_PATH_DEPTH - 1)] = (__u64)BPF_CORE_READ(kn, name);
		e->s->depth++;
		kn = parent;
	}
	n = e->s->depth & (2 * MAX_PATH_DEPTH - 1);
	__u64 start = off;

	if (!n) {
		PUT8(at_off(e, off), '/');
		off++;
	}
	/* Root first; a component that cannot be read ends the path (no diverging paths for the
	 * verifier to follow). */
	for (i = 0; i < MAX_CGROUP_DEPTH; i++) {
		long r;

		if (i >= n)
			break;
		PUT8(at_off(e, off), '/');
		off++;
		r = bpf_probe_read_kernel_str(at_off(e, off), 256, (void *)names[(n - 1 - i) & (MAX_PATH_DEPTH - 1)]);
		if (r <= 0)
			break;
		off = (off + r - 1) & (MAX_CGROUPS * 4 - 1);
	}
	PUT8(at_off(e, off), 0);
	off++;
	return (off - start) & (MAX_CGROUPS * 4 - 1);
}

/* "subsys=path\0" for each cgroup subsystem of `t`. */
static __always_inline void push_cgroups(struct enc *e, struct task_struct *t)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	__u32 count = bpf_core_field_size(cs->subsys) / sizeof(void *);
	__u64 off = 0;

	for (__u32 i = 0; i < 16; i++) {
		struct cgroup_subsys_state *css;
		struct kernfs_node *kn;
		long r;

		if (i >= count || off + 300 > MAX_CGROUPS)
			break;
		css = BPF_CORE_READ(cs, subsys[i]);
		if (!css || !BPF_CORE_READ(css, ss) || !(kn = BPF_CORE_READ(css, cgroup, kn)))
			continue;
		r = bpf_probe_read_kernel_str(at_off(e, off), 64, BPF_CORE_READ(css, ss, name));
		if (r <= 1)
			continue;
		off += r - 1;
		PUT8(at_off(e, off), '=');
		off++;
		/* A no-op (off stays below MAX_CGROUPS + 300): every iteration starts from the same range. */
		off = (off + put_kernfs_path(e, off, kn)) & (MAX_CGROUPS * 4 - 1);
	}
	param_done(e, off);
}

/* d_path of `t`'s executable: the dentries up to the root, crossing mounts. */
static __always_inline void push_exe_path(struct enc *e, struct task_struct *t)
{
	struct file *exe = BPF_CORE_READ(t, mm, exe_file);
	__u64 *names = e->s->names;
	struct vfsmount *vfsmnt;
	struct dentry *d;
	struct mount *mnt;
	__u64 off = 0;
	__u32 n;
	int i;

	if (!exe) {
		push_empty(e);
		return;
	}
	d = BPF_CORE_READ(exe, f_path.dentry);
	vfsmnt = BPF_CORE_READ(exe, f_path.mnt);
	mnt = (void *)vfsmnt - bpf_core_field_offset(struct mount, mnt);
	e->s->depth = 0; /* in map memory, as in put_kernfs_path */
	for (i = 0; i < MAX_PATH_DEPTH; i++) {
		struct dentry *parent;

		if (d == BPF_CORE_READ(vfsmnt, mnt_root)) {
			struct mount *up = BPF_CORE_READ(mnt, mnt_parent);

			if (up == mnt)
				break;
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = up;
			vfsmnt = (void *)mnt + bpf_core_field_offset(struct mount, mnt);
			continue;
		}
		parent = BPF_CORE_READ(d, d_parent);
		if (parent == d) {
			/* A pseudo file's dentry (memfd_create's), outside any tree: its name is the path. */
			if (e->s->depth == 0) {
				names[0] = (__u64)BPF_CORE_READ(d, d_name.name);
				e->s->depth = 1;
			}
			break;
		}
		names[e->s->depth & (MAX_PATH_DEPTH - 1)] = (__u64)BPF_CORE_READ(d, d_name.name);
		e->s->depth++;
		d = parent;
	}
	n = e->s->depth & (2 * MAX_PATH_DEPTH - 1);
	if (!n) {
		PUT8(at_off(e, off), '/');
		off++;
	}
	for (i = 0; i < MAX_PATH_DEPTH; i++) {
		long r;

		if (i >= n || off >= MAX_PATH - 256)
			break;
		PUT8(at_off(e, off), '/');
		off++;
		r = bpf_probe_read_kernel_str(at_off(e, off), 256, (void *)names[(n - 1 - i) & (MAX_PATH_DEPTH - 1)]);
		if (r <= 0)
			break;
		off = (off + r - 1) & (MAX_PATH * 2 - 1);
	}
	PUT8(at_off(e, off), 0);
	param_done(e, off + 1);
}

/* The clone-family exit event of `t`: the parent's (from sys_exit, res = the child's tid) or the
 * child's (from sched_process_fork, res = 0, header tid = the child). `arg0` is the call's first
 * argument (the parent's registers hold it in both cases). */
static __always_inline void clone_event(struct falco_settings *st, __u64 ts, __u64 tid, long id, long res,
					struct task_struct *t, bool is_current, __u64 arg0)
{
	struct enc e;
	struct proc_info *pi;
	__u16 type;
	__u32 flags = 0;

	switch (id) {
	case NR_fork: type = PPME_SYSCALL_FORK_20_X; break;
	case NR_vfork: type = PPME_SYSCALL_VFORK_20_X; flags = PPM_CL_CLONE_VFORK | PPM_CL_CLONE_VM; break;
	case NR_clone3: type = PPME_SYSCALL_CLONE3_X; break;
	default: type = PPME_SYSCALL_CLONE_20_X; break;
	}
	if (id == NR_clone) {
		flags = clone_flags(arg0);
	} else if (id == NR_clone3) {
		__u64 f = 0;

		if (!bpf_probe_read_user(&f, 8, (void *)arg0))
			flags = clone_flags(f);
	}
	if (!enc_start(&e, type, 21, ts, tid))
		return;
	pi = &e.s->pi;
	proc_info(t, pi, is_current);
	if (pi->pidns_level)
		flags |= PPM_CL_CHILD_IN_PIDNS;
	push_i64(&e, res);
	push_mm_args(&e, pi);
	push_i64(&e, pi->pid);
	push_i64(&e, pi->tgid);
	push_i64(&e, pi->ptid);
	push_empty(&e); /* cwd: left to userspace, as with the kernel module (chdir events track it) */
	push_u64(&e, pi->fdlimit);
	push_u64(&e, pi->pgft_maj);
	push_u64(&e, pi->pgft_min);
	push_u32(&e, pi->vm_size_kb);
	push_u32(&e, pi->vm_rss_kb);
	push_u32(&e, pi->vm_swap_kb);
	push_kernel_str(&e, &t->comm, 16);
	push_cgroups(&e, t);
	push_u32(&e, flags);
	push_u32(&e, pi->euid);
	push_u32(&e, pi->egid);
	push_i64(&e, pi->vtid);
	push_i64(&e, pi->vpid);
	push_u64(&e, pi->pidns_init_start);
	enc_submit(&e, st);
}

/* The execve/execveat exit event of the current task `t`. A successful exec (from
 * sched_process_exec: `filename` is bprm->filename) reads the new image; a failed one (from
 * sys_exit: `regs`) reads the call's user arguments. */
static __always_inline void exec_event(struct falco_settings *st, __u64 ts, __u64 tid, bool is_at, long res,
				       struct task_struct *t, const char *filename, struct pt_regs *regs)
{
	struct enc e;
	struct proc_info *pi;

	if (!enc_start(&e, is_at ? PPME_SYSCALL_EXECVEAT_X : PPME_SYSCALL_EXECVE_19_X, is_at ? 30 : 31, ts, tid))
		return;
	pi = &e.s->pi;
	proc_info(t, pi, true);
	push_i64(&e, res);
	if (regs)
		push_user_strv(&e, is_at ? BPF_CORE_READ(regs, dx) : BPF_CORE_READ(regs, si), true);
	else
		push_mm_args(&e, pi);
	push_i64(&e, pi->pid);
	push_i64(&e, pi->tgid);
	push_i64(&e, pi->ptid);
	push_empty(&e); /* cwd, as for clone */
	push_u64(&e, pi->fdlimit);
	push_u64(&e, pi->pgft_maj);
	push_u64(&e, pi->pgft_min);
	push_u32(&e, pi->vm_size_kb);
	push_u32(&e, pi->vm_rss_kb);
	push_u32(&e, pi->vm_swap_kb);
	push_kernel_str(&e, &t->comm, 16);
	push_cgroups(&e, t);
	if (regs)
		push_user_strv(&e, is_at ? BPF_CORE_READ(regs, r10) : BPF_CORE_READ(regs, dx), false);
	else
		push_mm_env(&e, pi);
	push_u32(&e, pi->tty);
	push_i64(&e, pi->vpgid);
	push_u32(&e, pi->loginuid);
	push_u32(&e, pi->exe_flags);
	push_u64(&e, pi->cap_inheritable);
	push_u64(&e, pi->cap_permitted);
	push_u64(&e, pi->cap_effective);
	push_u64(&e, pi->exe_ino);
	push_u64(&e, pi->exe_ctime_ns);
	push_u64(&e, pi->exe_mtime_ns);
	push_u32(&e, pi->euid);
	if (regs)
		push_empty(&e);
	else
		push_exe_path(&e, t);
	push_i64(&e, pi->pgid);
	push_u32(&e, pi->egid);
	/* execve ends with the filename; execveat has no enter parameters appended (libs' table). */
	if (!is_at) {
		if (regs)
			push_user_str(&e, BPF_CORE_READ(regs, di), MAX_PATH);
		else
			push_kernel_str(&e, filename, MAX_PATH);
	}
	enc_submit(&e, st);
}

/* The thread that inherits the children of exiting `t` (procexit's reaper_tid): 0 if it has
 * none, else a live thread of its group, else its pid namespace's init (subreapers are not
 * considered; scap readers resolve 0 themselves). */
static __always_inline long reaper_of(struct task_struct *t, bool group_dead)
{
	struct task_struct *reaper;

	if ((void *)BPF_CORE_READ(t, children.next) == (void *)&t->children)
		return 0;
	if (!group_dead) {
		struct signal_struct *sig = BPF_CORE_READ(t, signal);
		struct list_head *pos = BPF_CORE_READ(sig, thread_head.next);
		long off = bpf_core_field_offset(struct task_struct, thread_node);

		for (int i = 0; i < 16; i++) {
			struct task_struct *th = (void *)pos - off;

			if (!pos || (void *)pos == (void *)&sig->thread_head)
				break;
			if (th != t && !(BPF_CORE_READ(th, flags) & PF_EXITING))
				return BPF_CORE_READ(th, pid);
			pos = BPF_CORE_READ(th, thread_node.next);
		}
	}
	reaper = BPF_CORE_READ(task_pidns(t), child_reaper);
	return reaper && reaper != t ? BPF_CORE_READ(reaper, pid) : 0;
}

#endif
