/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit encoders of the calls on paths (directories, links, renames, modes, owners, mounts), on
 * credentials and signals, ptrace, and the failed or parent sides of clone and exec.
 */
#ifndef FALCO_BPF_FILLERS_MISC_H
#define FALCO_BPF_FILLERS_MISC_H

#include "exit.h"

/* ---- processes ---- */

/* The parent's side of the clone family (the child's comes from sched_process_fork; sys_exit
 * does not tail-call here for a 0 return). */
static __always_inline int clone_parent(__u64 *ctx)
{
	struct xctx x;

	if (!xctx_load(ctx, &x))
		return 0;
	clone_event(x.st, x.ts, x.tid, x.nr, x.ret, bpf_get_current_task_btf(), true, x.a[0]);
	return 0;
}

X(clone) { return clone_parent(ctx); }
X(fork) { return clone_parent(ctx); }
X(vfork) { return clone_parent(ctx); }
X(clone3) { return clone_parent(ctx); }

/* A failed exec (a successful one is reported by sched_process_exec, from the new image). */
static __always_inline int exec_failed(__u64 *ctx)
{
	struct xctx x;

	if (!xctx_load(ctx, &x))
		return 0;
	exec_event(x.st, x.ts, x.tid, x.nr == NR_execveat, x.ret, bpf_get_current_task_btf(), NULL,
		   (struct pt_regs *)ctx[0]);
	return 0;
}

X(execve) { return exec_failed(ctx); }
X(execveat) { return exec_failed(ctx); }

X(kill)
{
	XBEGIN(PPME_SYSCALL_KILL_X, 3);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_u8(&e, x.a[1]);
	XEND
}

X(ptrace)
{
	XBEGIN(PPME_SYSCALL_PTRACE_X, 5);
	__u8 *p;

	push_i64(&e, x.ret);
	/* PT_DYN: a table index byte (PPM_PTRACE_IDX_UINT64 = 0), then the value. */
	p = at(&e);
	PUT8(p, 0);
	PUT64(p + 1, x.a[2]);
	param_done(&e, 9);
	p = at(&e);
	PUT8(p, 0);
	PUT64(p + 1, x.a[3]);
	param_done(&e, 9);
	push_u16(&e, ptrace_request(x.a[0]));
	push_i64(&e, fd_arg(x.a[1]));
	XEND
}

/* ---- credentials ---- */

static __always_inline int set_id(__u64 *ctx, __u16 type)
{
	XBEGIN(type, 2);
	push_i64(&e, x.ret);
	push_u32(&e, x.a[0]);
	XEND
}

static __always_inline int set_res_id(__u64 *ctx, __u16 type)
{
	XBEGIN(type, 4);
	push_i64(&e, x.ret);
	push_u32(&e, x.a[0]);
	push_u32(&e, x.a[1]);
	push_u32(&e, x.a[2]);
	XEND
}

X(setuid) { return set_id(ctx, PPME_SYSCALL_SETUID_X); }
X(setgid) { return set_id(ctx, PPME_SYSCALL_SETGID_X); }
X(setresuid) { return set_res_id(ctx, PPME_SYSCALL_SETRESUID_X); }
X(setresgid) { return set_res_id(ctx, PPME_SYSCALL_SETRESGID_X); }

/* ---- kernel modules ---- */

/* init_module(image, length, uargs): the image itself is not copied. */
X(init_module)
{
	XBEGIN(PPME_SYSCALL_INIT_MODULE_X, 4);
	push_i64(&e, x.ret);
	push_empty(&e);
	push_u64(&e, x.a[1]);
	push_user_str(&e, x.a[2], MAX_PATH);
	XEND
}

/* finit_module(fd, uargs, flags); the MODULE_INIT_* flags are libs' PPM_FINIT_MODULE_* bits. */
X(finit_module)
{
	XBEGIN(PPME_SYSCALL_FINIT_MODULE_X, 4);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_user_str(&e, x.a[1], MAX_PATH);
	push_u32(&e, x.a[2] & 7);
	XEND
}

/* ---- paths ---- */

/* res, path (arg 0). */
static __always_inline int path1(__u64 *ctx, __u16 type)
{
	XBEGIN(type, 2);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	XEND
}

/* res, path (arg 0), path (arg 1). */
static __always_inline int path2(__u64 *ctx, __u16 type)
{
	XBEGIN(type, 3);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_user_str(&e, x.a[1], MAX_PATH);
	XEND
}

X(chdir) { return path1(ctx, PPME_SYSCALL_CHDIR_X); }
X(rmdir) { return path1(ctx, PPME_SYSCALL_RMDIR_2_X); }
X(unlink) { return path1(ctx, PPME_SYSCALL_UNLINK_2_X); }
X(rename) { return path2(ctx, PPME_SYSCALL_RENAME_X); }
X(link) { return path2(ctx, PPME_SYSCALL_LINK_2_X); }
X(symlink) { return path2(ctx, PPME_SYSCALL_SYMLINK_X); }

X(mkdir)
{
	XBEGIN(PPME_SYSCALL_MKDIR_2_X, 3);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_u32(&e, x.a[1]);
	XEND
}

/* res, dirfd (arg 0), path (arg 1), u32 (arg 2): mkdirat, unlinkat. */
static __always_inline int at_path_u32(__u64 *ctx, __u16 type, __u32 mask)
{
	XBEGIN(type, 4);
	push_i64(&e, x.ret);
	push_i64(&e, dirfd(x.a[0]));
	push_user_str(&e, x.a[1], MAX_PATH);
	push_u32(&e, x.a[2] & mask);
	XEND
}

X(mkdirat) { return at_path_u32(ctx, PPME_SYSCALL_MKDIRAT_X, 0xffffffff); }
X(unlinkat) { return at_path_u32(ctx, PPME_SYSCALL_UNLINKAT_2_X, 0xffffffff); }
X(fchmodat) { return at_path_u32(ctx, PPME_SYSCALL_FCHMODAT_X, 07777); }

/* res, olddirfd, oldpath, newdirfd, newpath (, flags): renameat, renameat2, linkat. */
static __always_inline int two_at_paths(__u64 *ctx, __u16 type, bool flags)
{
	XBEGIN(type, flags ? 6 : 5);
	push_i64(&e, x.ret);
	push_i64(&e, dirfd(x.a[0]));
	push_user_str(&e, x.a[1], MAX_PATH);
	push_i64(&e, dirfd(x.a[2]));
	push_user_str(&e, x.a[3], MAX_PATH);
	if (flags)
		push_u32(&e, x.a[4]);
	XEND
}

X(renameat) { return two_at_paths(ctx, PPME_SYSCALL_RENAMEAT_X, false); }
X(renameat2) { return two_at_paths(ctx, PPME_SYSCALL_RENAMEAT2_X, true); }
X(linkat) { return two_at_paths(ctx, PPME_SYSCALL_LINKAT_2_X, true); }

X(symlinkat)
{
	XBEGIN(PPME_SYSCALL_SYMLINKAT_X, 4);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_i64(&e, dirfd(x.a[1]));
	push_user_str(&e, x.a[2], MAX_PATH);
	XEND
}

X(chmod)
{
	XBEGIN(PPME_SYSCALL_CHMOD_X, 3);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_u32(&e, x.a[1] & 07777);
	XEND
}

X(fchmod)
{
	XBEGIN(PPME_SYSCALL_FCHMOD_X, 3);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, x.a[1] & 07777);
	XEND
}

static __always_inline int chown_path(__u64 *ctx, __u16 type)
{
	XBEGIN(type, 4);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_u32(&e, x.a[1]);
	push_u32(&e, x.a[2]);
	XEND
}

X(chown) { return chown_path(ctx, PPME_SYSCALL_CHOWN_X); }
X(lchown) { return chown_path(ctx, PPME_SYSCALL_LCHOWN_X); }

X(fchown)
{
	XBEGIN(PPME_SYSCALL_FCHOWN_X, 4);
	push_i64(&e, x.ret);
	push_i64(&e, fd_arg(x.a[0]));
	push_u32(&e, x.a[1]);
	push_u32(&e, x.a[2]);
	XEND
}

X(fchownat)
{
	XBEGIN(PPME_SYSCALL_FCHOWNAT_X, 6);
	push_i64(&e, x.ret);
	push_i64(&e, dirfd(x.a[0]));
	push_user_str(&e, x.a[1], MAX_PATH);
	push_u32(&e, x.a[2]);
	push_u32(&e, x.a[3]);
	push_u32(&e, fchownat_flags(x.a[4]));
	XEND
}

X(mount)
{
	XBEGIN(PPME_SYSCALL_MOUNT_X, 5);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_user_str(&e, x.a[1], MAX_PATH);
	push_user_str(&e, x.a[2], MAX_PATH);
	push_u32(&e, mount_flags(x.a[3]));
	XEND
}

X(umount2)
{
	XBEGIN(PPME_SYSCALL_UMOUNT2_X, 3);
	push_i64(&e, x.ret);
	push_user_str(&e, x.a[0], MAX_PATH);
	push_u32(&e, x.a[1]);
	XEND
}

#endif
