// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of falco_probe: reads of kernel state that the Rust `kernel` crate cannot reach, because
 * the state sits behind C macros or inline functions (preempt_disable, task_css_set, unix_sk, ...) or
 * behind structs that its bindings leave opaque (struct sock). Every function here only gathers raw
 * facts into plain structs; encoding them into scap events is the Rust side's job (fillers.rs).
 * The structs are mirrored field for field in ffi.rs; both use only u64/u32/u16/u8 and explicit padding.
 *
 * Everything here may run with preemption disabled, so nothing here may sleep.
 */
#include <linux/audit.h>
#include <linux/binfmts.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/ipv6.h>
#include <linux/kernfs.h>
#include <linux/mm.h>
#include <linux/net.h>
#include <linux/pid_namespace.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/tty.h>
#include <linux/un.h>
#include <linux/vmalloc.h>
#include <net/af_unix.h>
#include <net/inet_sock.h>
#include <net/sock.h>
#include <asm/syscall.h>

#include "helpers.h"

/* Pins the caller to its CPU (preemption off) and returns the CPU: the ring writer's exclusion. */
int falco_pin(void)
{
	preempt_disable();
	return raw_smp_processor_id();
}

void falco_unpin(void)
{
	preempt_enable();
}

/* Maps @n pages contiguously in kernel virtual memory (the ring: info, consumer, data, data again). */
void *falco_vmap(struct page **pages, unsigned int n)
{
	return vmap(pages, n, VM_MAP, PAGE_KERNEL);
}

void falco_vunmap(void *addr)
{
	vunmap(addr);
}

/*
 * strncpy_from_user that fails instead of faulting pages in (strncpy_from_user_nofault is not
 * exported to modules). Returns the length with the NUL, @count if truncated (still terminated),
 * or <0 if the first bytes faulted.
 */
long falco_strncpy_user_nofault(char *dst, const void __user *src, long count)
{
	long ret;

	if (count <= 0)
		return 0;
	pagefault_disable();
	ret = strncpy_from_user(dst, src, count);
	pagefault_enable();
	if (ret >= count) {
		ret = count;
		dst[ret - 1] = '\0';
	} else if (ret >= 0) {
		ret++;
	}
	return ret;
}

/* The syscall the current task is in (for sched_process_fork, which runs inside clone/fork). */
long falco_current_syscall(void)
{
	return syscall_get_nr(current, task_pt_regs(current));
}

/* mm->exe_file with a reference (get_mm_exe_file is not exported to modules). */
static struct file *exe_file_get(struct mm_struct *mm)
{
	struct file *f;

	rcu_read_lock();
	f = get_file_rcu(&mm->exe_file);
	rcu_read_unlock();
	return f;
}

static u64 ts_ns(struct timespec64 ts)
{
	return (u64)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* The first argument of the syscall the current task is in (clone flags, seen from sched_process_fork). */
unsigned long falco_current_syscall_arg0(void)
{
	unsigned long args[6];

	syscall_get_arguments(current, task_pt_regs(current), args);
	return args[0];
}

/* scap's PPM_EXE_WRITABLE: the executable is writable by the task that runs it. */
#define PPM_EXE_WRITABLE (1 << 0)

/* Process facts for execve/clone events. @t is current or a child that cannot run yet. */
void falco_proc_info(struct task_struct *t, struct falco_proc_info *o)
{
	struct pid_namespace *ns;
	const struct cred *cred;
	struct mm_struct *mm = t->mm;
	struct task_struct *reaper;

	memset(o, 0, sizeof(*o));
	rcu_read_lock();
	o->pid = t->pid;
	o->tgid = t->tgid;
	o->ptid = rcu_dereference(t->real_parent)->pid;
	o->pgid = __task_pid_nr_ns(t, PIDTYPE_PGID, &init_pid_ns);
	o->sid = __task_pid_nr_ns(t, PIDTYPE_SID, &init_pid_ns);
	ns = task_active_pid_ns(t);
	if (ns) {
		o->vtid = __task_pid_nr_ns(t, PIDTYPE_PID, ns);
		o->vpid = __task_pid_nr_ns(t, PIDTYPE_TGID, ns);
		o->vpgid = __task_pid_nr_ns(t, PIDTYPE_PGID, ns);
		o->pidns_level = ns->level;
		reaper = READ_ONCE(ns->child_reaper);
		if (reaper)
			o->pidns_init_start = reaper->start_time;
	}
	cred = rcu_dereference(t->cred);
	o->uid = from_kuid_munged(&init_user_ns, cred->uid);
	o->gid = from_kgid_munged(&init_user_ns, cred->gid);
	o->euid = from_kuid_munged(&init_user_ns, cred->euid);
	o->egid = from_kgid_munged(&init_user_ns, cred->egid);
	o->cap_inheritable = cred->cap_inheritable.val;
	o->cap_permitted = cred->cap_permitted.val;
	o->cap_effective = cred->cap_effective.val;
	rcu_read_unlock();
	o->loginuid = (u32)from_kuid(&init_user_ns, audit_get_loginuid(t));
	o->fdlimit = READ_ONCE(t->signal->rlim[RLIMIT_NOFILE].rlim_cur);
	o->pgft_maj = t->maj_flt;
	o->pgft_min = t->min_flt;
	if (t->signal->tty)
		o->tty = new_encode_dev(tty_devnum(t->signal->tty));
	o->task_flags = t->flags;
	o->files = (u64)(unsigned long)t->files;
	o->start_time_ns = t->start_time;
	if (mm) {
		struct file *exe;

		o->vm_size_kb = mm->total_vm << (PAGE_SHIFT - 10);
		o->vm_rss_kb = get_mm_rss(mm) << (PAGE_SHIFT - 10);
		o->vm_swap_kb = get_mm_counter(mm, MM_SWAPENTS) << (PAGE_SHIFT - 10);
		o->arg_start = mm->arg_start;
		o->arg_end = mm->arg_end;
		o->env_start = mm->env_start;
		o->env_end = mm->env_end;
		exe = exe_file_get(mm);
		if (exe) {
			struct inode *inode = file_inode(exe);

			o->exe_ino = inode->i_ino;
			/* MAY_NOT_BLOCK: the permission walk must not sleep here (it answers -ECHILD instead). */
			if (t == current && inode_permission(file_mnt_idmap(exe), inode, MAY_WRITE | MAY_NOT_BLOCK) == 0)
				o->exe_flags |= PPM_EXE_WRITABLE;
			o->exe_ctime_ns = ts_ns(inode_get_ctime(inode));
			o->exe_mtime_ns = ts_ns(inode_get_mtime(inode));
			fput(exe);
		}
	}
}

/* Copies the path of @t's executable, NUL included, to @buf. Returns its length or <0. */
long falco_exe_path(struct task_struct *t, char *buf, long len)
{
	struct file *exe;
	char *p;
	long n;

	if (!t->mm || len <= 0)
		return -ENOENT;
	exe = exe_file_get(t->mm);
	if (!exe)
		return -ENOENT;
	/* d_path fills from the end of the buffer; move the result to the front. */
	p = d_path(&exe->f_path, buf, len);
	fput(exe);
	if (IS_ERR(p))
		return PTR_ERR(p);
	n = buf + len - p;
	memmove(buf, p, n);
	return n;
}

/* Writes "subsys=path\0" for each cgroup subsystem of @t to @buf. Returns the bytes written. */
long falco_cgroups(struct task_struct *t, char *buf, long len)
{
	long off = 0;
	int i;

	rcu_read_lock();
	for (i = 0; i < CGROUP_SUBSYS_COUNT; i++) {
		struct cgroup_subsys_state *css = task_css_set(t)->subsys[i];
		size_t nlen;
		int plen;

		if (!css || !css->ss || !css->cgroup || !css->cgroup->kn)
			continue;
		nlen = strlen(css->ss->name);
		if (off + nlen + 3 > len)
			break;
		memcpy(buf + off, css->ss->name, nlen);
		buf[off + nlen] = '=';
		plen = kernfs_path_from_node(css->cgroup->kn, NULL, buf + off + nlen + 1, len - off - nlen - 1);
		if (plen < 0 || off + nlen + 1 + plen + 1 > len)
			break;
		off += nlen + 1 + plen + 1; /* kernfs wrote the NUL */
	}
	rcu_read_unlock();
	return off;
}

/* Inode facts of the current task's file descriptor @fd. Returns 0 or -EBADF. */
int falco_fd_file_info(int fd, struct falco_file_info *o)
{
	struct file *f;
	struct inode *inode;

	memset(o, 0, sizeof(*o));
	if (fd < 0)
		return -EBADF;
	f = fget_raw(fd);
	if (!f)
		return -EBADF;
	inode = file_inode(f);
	o->ino = inode->i_ino;
	o->dev = new_encode_dev(inode->i_sb->s_dev);
	o->fmode = (__force u32)f->f_mode;
	o->created = !!(f->f_mode & FMODE_CREATED);
	fput(f);
	return 0;
}

static void unix_name(struct sock *sk, struct falco_sock_info *o)
{
	struct unix_address *addr;
	int n;

	if (!sk)
		return;
	addr = READ_ONCE(unix_sk(sk)->addr);
	if (!addr)
		return;
	n = addr->len - (int)offsetof(struct sockaddr_un, sun_path);
	if (n <= 0)
		return;
	if (n > UNIX_PATH_MAX)
		n = UNIX_PATH_MAX;
	memcpy(o->path, addr->name->sun_path, n);
	o->path_len = n;
}

/* Socket facts of the current task's file descriptor @fd. Returns 0, -EBADF or -ENOTSOCK. */
int falco_fd_sock_info(int fd, struct falco_sock_info *o)
{
	struct file *f;
	struct socket *sock;
	struct sock *sk;

	memset(o, 0, sizeof(*o));
	if (fd < 0)
		return -EBADF;
	f = fget_raw(fd);
	if (!f)
		return -EBADF;
	sock = sock_from_file(f);
	if (!sock || !sock->sk) {
		fput(f);
		return -ENOTSOCK;
	}
	sk = sock->sk;
	o->sk = (u64)(unsigned long)sk;
	o->family = sk->sk_family;
	o->type = sk->sk_type;
	o->ack_backlog = READ_ONCE(sk->sk_ack_backlog);
	o->max_ack_backlog = READ_ONCE(sk->sk_max_ack_backlog);
	switch (sk->sk_family) {
	case AF_INET:
		memcpy(o->laddr, &sk->sk_rcv_saddr, 4);
		memcpy(o->raddr, &sk->sk_daddr, 4);
		o->lport = sk->sk_num;
		o->rport = ntohs(sk->sk_dport);
		break;
#if IS_ENABLED(CONFIG_IPV6)
	case AF_INET6:
		memcpy(o->laddr, &sk->sk_v6_rcv_saddr, 16);
		memcpy(o->raddr, &sk->sk_v6_daddr, 16);
		o->lport = sk->sk_num;
		o->rport = ntohs(sk->sk_dport);
		break;
#endif
	case AF_UNIX: {
		struct sock *peer = READ_ONCE(unix_sk(sk)->peer);

		o->peer = (u64)(unsigned long)peer;
		/* The name that identifies the connection: ours if bound, else the peer's (a client). */
		unix_name(sk, o);
		if (!o->path_len)
			unix_name(peer, o);
		break;
	}
	default:
		break;
	}
	fput(f);
	return 0;
}

/*
 * The thread that inherits the children of exiting task @t (procexit's reaper_tid): 0 if it has
 * none, else a live thread of its group, else its pid namespace's init. Subreapers are not
 * considered; scap readers fall back to their own search when this is 0.
 */
long falco_reaper(struct task_struct *t, bool group_dead)
{
	struct task_struct *th, *reaper;
	struct pid_namespace *ns;
	long r = 0;

	if (list_empty(&t->children))
		return 0;
	rcu_read_lock();
	if (!group_dead) {
		for_each_thread(t, th) {
			if (th != t && !(th->flags & PF_EXITING)) {
				r = th->pid;
				break;
			}
		}
	}
	if (!r) {
		ns = task_active_pid_ns(t);
		reaper = ns ? READ_ONCE(ns->child_reaper) : NULL;
		if (reaper && reaper != t)
			r = reaper->pid;
	}
	rcu_read_unlock();
	return r;
}

/* bprm->filename, the path exec was asked to run (struct linux_binprm is opaque to Rust). */
const char *falco_bprm_filename(struct linux_binprm *bprm)
{
	return bprm->filename;
}
