/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Linux x86_64 syscall values to their scap encodings (PPM_*), as the kernel module converts them
 * (probe/convert.rs, whose comments say where each rule comes from). Flags scap defines bit for
 * bit like Linux (file modes, mount, umount, unlinkat, linkat, renameat2) pass through unchanged.
 */
#ifndef FALCO_BPF_CONVERT_H
#define FALCO_BPF_CONVERT_H

#include "kernel.h"

#define L_O_WRONLY 01
#define L_O_RDWR 02
#define L_O_CREAT 0100
#define L_O_EXCL 0200
#define L_O_TRUNC 01000
#define L_O_APPEND 02000
#define L_O_NONBLOCK 04000
#define L_O_DSYNC 010000
#define L_O_DIRECT 040000
#define L_O_LARGEFILE 0100000
#define L_O_DIRECTORY 0200000
#define L_O_CLOEXEC 02000000
#define L_O_SYNC (04000000 | L_O_DSYNC)
#define L_O_TMPFILE (020000000 | L_O_DIRECTORY)

#define PPM_O_RDONLY (1 << 0)
#define PPM_O_WRONLY (1 << 1)
#define PPM_O_RDWR (PPM_O_RDONLY | PPM_O_WRONLY)
#define PPM_O_CREAT (1 << 2)
#define PPM_O_APPEND (1 << 3)
#define PPM_O_DSYNC (1 << 4)
#define PPM_O_EXCL (1 << 5)
#define PPM_O_NONBLOCK (1 << 6)
#define PPM_O_SYNC (1 << 7)
#define PPM_O_TRUNC (1 << 8)
#define PPM_O_DIRECT (1 << 9)
#define PPM_O_DIRECTORY (1 << 10)
#define PPM_O_LARGEFILE (1 << 11)
#define PPM_O_CLOEXEC (1 << 12)
#define PPM_O_TMPFILE (1 << 13)
#define PPM_O_F_CREATED (1 << 14)

static __always_inline __u32 open_flags(__u32 f)
{
	__u32 r = (f & L_O_WRONLY) ? PPM_O_WRONLY : (f & L_O_RDWR) ? PPM_O_RDWR : PPM_O_RDONLY;

	if (f & L_O_CREAT)
		r |= PPM_O_CREAT;
	if (f & L_O_APPEND)
		r |= PPM_O_APPEND;
	if (f & L_O_EXCL)
		r |= PPM_O_EXCL;
	if (f & L_O_NONBLOCK)
		r |= PPM_O_NONBLOCK;
	if (f & L_O_TRUNC)
		r |= PPM_O_TRUNC;
	if (f & L_O_DIRECT)
		r |= PPM_O_DIRECT;
	if (f & L_O_LARGEFILE)
		r |= PPM_O_LARGEFILE;
	if (f & L_O_CLOEXEC)
		r |= PPM_O_CLOEXEC;
	/* O_SYNC and O_TMPFILE contain O_DSYNC's and O_DIRECTORY's bits: any of them sets the flag,
	 * as in the upstream C driver. */
	if (f & L_O_DSYNC)
		r |= PPM_O_DSYNC;
	if (f & L_O_SYNC)
		r |= PPM_O_SYNC;
	if (f & L_O_DIRECTORY)
		r |= PPM_O_DIRECTORY;
	if (f & L_O_TMPFILE)
		r |= PPM_O_TMPFILE;
	return r;
}

static __always_inline __u32 open_mode(__u32 flags, __u32 mode)
{
	if ((flags & L_O_CREAT) || (flags & L_O_TMPFILE) == L_O_TMPFILE)
		return mode & 07777;
	return 0;
}

static __always_inline __u32 fd_flags(__u32 f)
{
	__u32 r = 0;

	if (f & L_O_CLOEXEC)
		r |= PPM_O_CLOEXEC;
	if (f & L_O_NONBLOCK)
		r |= PPM_O_NONBLOCK;
	if (f & L_O_DIRECT)
		r |= PPM_O_DIRECT;
	return r;
}

#define PPM_CL_CLONE_VM (1 << 15)
#define PPM_CL_CLONE_VFORK (1 << 27)
#define PPM_CL_CHILD_IN_PIDNS (1 << 29)

static __always_inline __u32 clone_flags(__u64 f)
{
	__u32 r = 0;

#define CL(linux, ppm)                                                                            \
	if (f & (linux))                                                                          \
		r |= (ppm);
	CL(0x400, 1 << 0)          /* CLONE_FILES */
	CL(0x200, 1 << 1)          /* CLONE_FS */
	CL(0x80000000, 1 << 2)     /* CLONE_IO */
	CL(0x08000000, 1 << 3)     /* CLONE_NEWIPC */
	CL(0x40000000, 1 << 4)     /* CLONE_NEWNET */
	CL(0x00020000, 1 << 5)     /* CLONE_NEWNS */
	CL(0x20000000, 1 << 6)     /* CLONE_NEWPID */
	CL(0x04000000, 1 << 7)     /* CLONE_NEWUTS */
	CL(0x8000, 1 << 8)         /* CLONE_PARENT */
	CL(0x00100000, 1 << 9)     /* CLONE_PARENT_SETTID */
	CL(0x2000, 1 << 10)        /* CLONE_PTRACE */
	CL(0x800, 1 << 11)         /* CLONE_SIGHAND */
	CL(0x00040000, 1 << 12)    /* CLONE_SYSVSEM */
	CL(0x00010000, 1 << 13)    /* CLONE_THREAD */
	CL(0x00800000, 1 << 14)    /* CLONE_UNTRACED */
	CL(0x100, PPM_CL_CLONE_VM) /* CLONE_VM */
	CL(0x10000000, 1 << 20)    /* CLONE_NEWUSER */
	CL(0x00200000, 1 << 23)    /* CLONE_CHILD_CLEARTID */
	CL(0x01000000, 1 << 24)    /* CLONE_CHILD_SETTID */
	CL(0x00080000, 1 << 25)    /* CLONE_SETTLS */
	CL(0x4000, PPM_CL_CLONE_VFORK)
	CL(0x02000000, 1 << 28) /* CLONE_NEWCGROUP */
#undef CL
	return r;
}

static __always_inline __u16 ptrace_request(__u64 req)
{
	if (req <= 9)
		return req + 1; /* TRACEME .. SINGLESTEP */
	switch (req) {
	case 16: return 11; /* ATTACH */
	case 17: return 12; /* DETACH */
	case 24: return 13; /* SYSCALL */
	case 12: return 26; /* GETREGS */
	case 13: return 27; /* SETREGS */
	case 14: return 28; /* GETFPREGS */
	case 15: return 29; /* SETFPREGS */
	case 18: return 30; /* GETFPXREGS */
	case 19: return 31; /* SETFPXREGS */
	case 21: return 32; /* OLDSETOPTIONS */
	case 25: return 33; /* GET_THREAD_AREA */
	case 26: return 34; /* SET_THREAD_AREA */
	case 30: return 35; /* ARCH_PRCTL */
	case 31: return 36; /* SYSEMU */
	case 32: return 37; /* SYSEMU_SINGLESTEP */
	case 33: return 38; /* SINGLEBLOCK */
	}
	if (req >= 0x4200 && req <= 0x420b)
		return req - 0x4200 + 14; /* SETOPTIONS .. SETSIGMASK */
	return 0;
}

static __always_inline __u32 mount_flags(__u64 f)
{
	if ((f & 0xffff0000ULL) == 0xc0ed0000ULL)
		f &= ~0xffff0000ULL;
	return (__u32)f;
}

static __always_inline __u32 fchownat_flags(__u32 f)
{
	__u32 r = 0;

	if (f & 0x100) /* AT_SYMLINK_NOFOLLOW */
		r |= 1 << 0;
	if (f & 0x1000) /* AT_EMPTY_PATH */
		r |= 1 << 1;
	return r;
}

/* The *at() directory fd: AT_FDCWD is scap's PPM_AT_FDCWD (-100, the same value). */
static __always_inline __s64 dirfd(__u64 fd)
{
	return (__s64)(__s32)fd;
}

#endif
