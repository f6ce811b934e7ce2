/* SPDX-License-Identifier: GPL-2.0 */
/* The C helpers of falco_probe, called from Rust (ffi.rs mirrors these declarations and structs). */
#ifndef FALCO_PROBE_HELPERS_H
#define FALCO_PROBE_HELPERS_H

#include <linux/types.h>
#include <linux/un.h>

struct page;
struct task_struct;
struct linux_binprm;

struct falco_proc_info {
	u64 pid, tgid, ptid, pgid, sid;
	u64 vtid, vpid, vpgid;
	u64 pidns_level, pidns_init_start;
	u64 uid, gid, euid, egid, loginuid;
	u64 cap_inheritable, cap_permitted, cap_effective;
	u64 fdlimit, pgft_maj, pgft_min;
	u64 vm_size_kb, vm_rss_kb, vm_swap_kb;
	u64 tty;
	u64 arg_start, arg_end, env_start, env_end;
	u64 exe_ino, exe_ctime_ns, exe_mtime_ns;
	u64 task_flags;
	u64 files; /* address of the fd table, to tell CLONE_FILES children */
	u64 start_time_ns;
	u64 exe_flags; /* PPM_EXE_* */
};

struct falco_file_info {
	u64 ino;
	u32 dev;
	u32 fmode;
	u32 created;
	u32 pad;
};

struct falco_sock_info {
	u64 sk;   /* the socket's kernel address: scap's identity for unix sockets */
	u64 peer; /* unix: the peer's kernel address */
	u16 family, type, lport, rport; /* ports in host order */
	u8 laddr[16], raddr[16];        /* network order; IPv4 uses the first 4 bytes */
	u32 ack_backlog, max_ack_backlog;
	u32 path_len; /* unix: bytes of sun_path in path (abstract names start with a NUL) */
	u32 pad;
	char path[UNIX_PATH_MAX + 4];
};

int falco_pin(void);
void falco_unpin(void);
void *falco_vmap(struct page **pages, unsigned int n);
void falco_vunmap(void *addr);
long falco_strncpy_user_nofault(char *dst, const void __user *src, long count);
long falco_current_syscall(void);
unsigned long falco_current_syscall_arg0(void);
void falco_proc_info(struct task_struct *t, struct falco_proc_info *o);
long falco_exe_path(struct task_struct *t, char *buf, long len);
long falco_cgroups(struct task_struct *t, char *buf, long len);
int falco_fd_file_info(int fd, struct falco_file_info *o);
int falco_fd_sock_info(int fd, struct falco_sock_info *o);
long falco_reaper(struct task_struct *t, bool group_dead);
const char *falco_bprm_filename(struct linux_binprm *bprm);

#endif
