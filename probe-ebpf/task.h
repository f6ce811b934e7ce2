/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel state the events carry: process facts (as the module's helpers.c falco_proc_info), the
 * file and socket behind an fd, the executable's path and the cgroups. All reads are CO-RE
 * (BPF_CORE_READ), so they follow the running kernel's layouts.
 */
#ifndef FALCO_BPF_TASK_H
#define FALCO_BPF_TASK_H

#include "encode.h"
#include "convert.h"
#include <bpf/bpf_core_read.h>

#define PF_EXITING 0x00000004
#define PF_IO_WORKER 0x00000010
#define PF_USER_WORKER 0x00004000
#define PF_KTHREAD 0x00200000
#define TS_COMPAT 0x0002
#define RLIMIT_NOFILE 7
#define PIDTYPE_PGID 2
#define S_IFMT 0170000
#define S_IFSOCK 0140000
#define FMODE_CREATED 0x100000
#define SB_RDONLY 1
#define S_IMMUTABLE 8
#define CAP_DAC_OVERRIDE 1
#define PPM_EXE_WRITABLE 1
#define PPM_EXE_UPPER_LAYER 2
#define PPM_EXE_FROM_MEMFD 4
#define OVERLAYFS_SUPER_MAGIC 0x794c7630
/* Levels of a cgroup path (kubepods.slice/.../cri-containerd-ID.scope is 4). */
#define MAX_CGROUP_DEPTH 8

static __always_inline bool in_compat_syscall(struct task_struct *t)
{
	return BPF_CORE_READ(t, thread_info.status) & TS_COMPAT;
}

/* The syscall `t` is in (for the sched tracepoints, which run inside clone or exec). */
static __always_inline long task_syscall(struct task_struct *t)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);

	return BPF_CORE_READ(regs, orig_ax);
}

static __always_inline unsigned long task_syscall_arg0(struct task_struct *t)
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(t);

	return BPF_CORE_READ(regs, di);
}

/* The number of `pid` in namespace level `level` (pid_nr_ns). */
static __always_inline int pid_nr_at(struct pid *pid, unsigned int level)
{
	if (!pid || BPF_CORE_READ(pid, level) < level)
		return 0;
	return BPF_CORE_READ(pid, numbers[level & 31].nr);
}

static __always_inline struct pid_namespace *task_pidns(struct task_struct *t)
{
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);

	return BPF_CORE_READ(pid, numbers[level & 31].ns);
}


static __always_inline __u64 counter_kb(struct mm_struct *mm, int i)
{
	__s64 v = BPF_CORE_READ(mm, rss_stat[i & 3].count);

	return v > 0 ? (__u64)v * 4 : 0;
}

static __always_inline __u32 encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & 0xfffff;

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

/* PPM_EXE_UPPER_LAYER: the executable is an overlayfs file with a copy in the upper (writable)
 * layer: written in the container. overlayfs embeds the VFS inode in its own inode, followed by
 * the upper dentry (struct ovl_inode: ..., vfs_inode, __upperdentry, ...). */
static __always_inline bool exe_upper_layer(struct inode *ino)
{
	struct dentry *upper = NULL;

	if (BPF_CORE_READ(ino, i_sb, s_magic) != OVERLAYFS_SUPER_MAGIC)
		return false;
	if (bpf_probe_read_kernel(&upper, sizeof(upper), (void *)ino + bpf_core_type_size(struct inode)))
		return false;
	return upper != NULL;
}

/* PPM_EXE_FROM_MEMFD: the executable is an anonymous memory file, whose dentry memfd_create names
 * "memfd:NAME". */
static __always_inline bool exe_from_memfd(struct file *exe)
{
	char name[6];

	if (bpf_probe_read_kernel(name, sizeof(name), BPF_CORE_READ(exe, f_path.dentry, d_name.name)))
		return false;
	return name[0] == 'm' && name[1] == 'e' && name[2] == 'm' && name[3] == 'f' && name[4] == 'd' &&
	       name[5] == ':';
}

/* PPM_EXE_WRITABLE: what inode_permission(MAY_WRITE) would say for `cred`, from the mode bits,
 * CAP_DAC_OVERRIDE, a read-only superblock and the immutable flag. */
static __always_inline bool exe_writable(struct inode *ino, const struct cred *cred)
{
	unsigned short mode = BPF_CORE_READ(ino, i_mode);
	__u32 fsuid = BPF_CORE_READ(cred, fsuid.val), fsgid = BPF_CORE_READ(cred, fsgid.val);
	bool ok;

	if (BPF_CORE_READ(ino, i_sb, s_flags) & SB_RDONLY)
		return false;
	if (BPF_CORE_READ(ino, i_flags) & S_IMMUTABLE)
		return false;
	if (BPF_CORE_READ(cred, cap_effective.val) & (1ULL << CAP_DAC_OVERRIDE))
		return true;
	if (fsuid == BPF_CORE_READ(ino, i_uid.val))
		ok = mode & 0200;
	else if (fsgid == BPF_CORE_READ(ino, i_gid.val))
		ok = mode & 0020;
	else
		ok = mode & 0002;
	return ok;
}

static __always_inline void proc_info(struct task_struct *t, struct proc_info *o, bool is_current)
{
	struct pid_namespace *ns = task_pidns(t);
	const struct cred *cred = BPF_CORE_READ(t, cred);
	struct signal_struct *sig = BPF_CORE_READ(t, signal);
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	unsigned int level = BPF_CORE_READ(ns, level);
	struct tty_struct *tty;

	o->pid = BPF_CORE_READ(t, pid);
	o->tgid = BPF_CORE_READ(t, tgid);
	o->ptid = BPF_CORE_READ(t, real_parent, pid);
	o->pgid = pid_nr_at(BPF_CORE_READ(sig, pids[PIDTYPE_PGID]), 0);
	o->vtid = pid_nr_at(BPF_CORE_READ(t, thread_pid), level);
	o->vpid = pid_nr_at(BPF_CORE_READ(t, group_leader, thread_pid), level);
	o->vpgid = pid_nr_at(BPF_CORE_READ(sig, pids[PIDTYPE_PGID]), level);
	o->pidns_level = level;
	o->pidns_init_start = BPF_CORE_READ(ns, child_reaper, start_time);
	o->euid = BPF_CORE_READ(cred, euid.val);
	o->egid = BPF_CORE_READ(cred, egid.val);
	o->loginuid = bpf_core_field_exists(t->loginuid) ? BPF_CORE_READ(t, loginuid.val) : 0xffffffff;
	o->cap_inheritable = BPF_CORE_READ(cred, cap_inheritable.val);
	o->cap_permitted = BPF_CORE_READ(cred, cap_permitted.val);
	o->cap_effective = BPF_CORE_READ(cred, cap_effective.val);
	o->fdlimit = BPF_CORE_READ(sig, rlim[RLIMIT_NOFILE].rlim_cur);
	o->pgft_maj = BPF_CORE_READ(t, maj_flt);
	o->pgft_min = BPF_CORE_READ(t, min_flt);
	tty = BPF_CORE_READ(sig, tty);
	o->tty = 0;
	if (tty) {
		__u32 major = BPF_CORE_READ(tty, driver, major);
		__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);

		o->tty = encode_dev((major << 20) | minor);
	}
	o->vm_size_kb = o->vm_rss_kb = o->vm_swap_kb = 0;
	o->arg_start = o->arg_end = o->env_start = o->env_end = 0;
	o->exe_ino = o->exe_ctime_ns = o->exe_mtime_ns = o->exe_flags = 0;
	if (mm) {
		struct file *exe = BPF_CORE_READ(mm, exe_file);

		o->vm_size_kb = BPF_CORE_READ(mm, total_vm) * 4;
		/* MM_FILEPAGES + MM_ANONPAGES + MM_SHMEMPAGES; MM_SWAPENTS is 2. */
		o->vm_rss_kb = counter_kb(mm, 0) + counter_kb(mm, 1) + counter_kb(mm, 3);
		o->vm_swap_kb = counter_kb(mm, 2);
		o->arg_start = BPF_CORE_READ(mm, arg_start);
		o->arg_end = BPF_CORE_READ(mm, arg_end);
		o->env_start = BPF_CORE_READ(mm, env_start);
		o->env_end = BPF_CORE_READ(mm, env_end);
		if (exe) {
			struct inode *ino = BPF_CORE_READ(exe, f_inode);

			o->exe_ino = BPF_CORE_READ(ino, i_ino);
			o->exe_ctime_ns = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ULL +
					  BPF_CORE_READ(ino, i_ctime_nsec);
			o->exe_mtime_ns = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ULL +
					  BPF_CORE_READ(ino, i_mtime_nsec);
			if (is_current && exe_writable(ino, cred))
				o->exe_flags = PPM_EXE_WRITABLE;
			if (exe_from_memfd(exe))
				o->exe_flags |= PPM_EXE_FROM_MEMFD;
			if (exe_upper_layer(ino))
				o->exe_flags |= PPM_EXE_UPPER_LAYER;
		}
	}
}

/* The current task's file behind `fd`, or NULL. */
static __always_inline struct file *fd_file(long fd)
{
	struct task_struct *t = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds;
	struct file *f = NULL;

	if (fd < 0 || !fdt || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd & 0xffffff]);
	return f;
}

struct file_info {
	__u64 ino;
	__u32 dev;
	__u32 created;
};

static __always_inline bool fd_file_info(long fd, struct file_info *o)
{
	struct file *f = fd_file(fd);
	struct inode *ino;

	o->ino = 0;
	o->dev = 0;
	o->created = 0;
	if (!f)
		return false;
	ino = BPF_CORE_READ(f, f_inode);
	o->ino = BPF_CORE_READ(ino, i_ino);
	o->dev = encode_dev(BPF_CORE_READ(ino, i_sb, s_dev));
	o->created = !!(BPF_CORE_READ(f, f_mode) & FMODE_CREATED);
	return true;
}

/* The socket behind `fd`, or NULL. */
static __always_inline struct sock *fd_sock(long fd)
{
	struct file *f = fd_file(fd);
	struct socket *so;

	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & S_IFMT) != S_IFSOCK)
		return NULL;
	so = BPF_CORE_READ(f, private_data);
	return BPF_CORE_READ(so, sk);
}

#endif
