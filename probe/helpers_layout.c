// SPDX-License-Identifier: GPL-2.0
/*
 * The layout of helpers.h's structs as the C compiler lays them out, against which the Rust mirrors
 * in ffi.rs are checked at build time, field by field. Kbuild compiles this file to assembly only
 * (it is never linked) and turns each marker below into a Rust assertion in
 * helpers_layout_generated.rs, which ffi.rs includes (see Kbuild): a mirror whose size or any field
 * offset differs from C fails the build. A field added to a struct is added here too.
 *
 * OFFSET(Rust type, Rust field, C struct, C field), SIZE(Rust type, C struct), VALUE(Rust const, C value).
 */
#include <linux/kbuild.h>
#include <linux/stddef.h>

#include "helpers.h"

#define OFFSET_OF(rs_type, rs_field, c_struct, c_field) \
	DEFINE(offset rs_type rs_field, offsetof(struct c_struct, c_field))
#define SIZE_OF(rs_type, c_struct) DEFINE(size rs_type, sizeof(struct c_struct))
#define VALUE(rs_const, c_value) DEFINE(value rs_const, c_value)

void falco_helpers_layout(void);

void falco_helpers_layout(void)
{
	SIZE_OF(ProcInfo, falco_proc_info);
	OFFSET_OF(ProcInfo, pid, falco_proc_info, pid);
	OFFSET_OF(ProcInfo, tgid, falco_proc_info, tgid);
	OFFSET_OF(ProcInfo, ptid, falco_proc_info, ptid);
	OFFSET_OF(ProcInfo, pgid, falco_proc_info, pgid);
	OFFSET_OF(ProcInfo, sid, falco_proc_info, sid);
	OFFSET_OF(ProcInfo, vtid, falco_proc_info, vtid);
	OFFSET_OF(ProcInfo, vpid, falco_proc_info, vpid);
	OFFSET_OF(ProcInfo, vpgid, falco_proc_info, vpgid);
	OFFSET_OF(ProcInfo, pidns_level, falco_proc_info, pidns_level);
	OFFSET_OF(ProcInfo, pidns_init_start, falco_proc_info, pidns_init_start);
	OFFSET_OF(ProcInfo, uid, falco_proc_info, uid);
	OFFSET_OF(ProcInfo, gid, falco_proc_info, gid);
	OFFSET_OF(ProcInfo, euid, falco_proc_info, euid);
	OFFSET_OF(ProcInfo, egid, falco_proc_info, egid);
	OFFSET_OF(ProcInfo, loginuid, falco_proc_info, loginuid);
	OFFSET_OF(ProcInfo, cap_inheritable, falco_proc_info, cap_inheritable);
	OFFSET_OF(ProcInfo, cap_permitted, falco_proc_info, cap_permitted);
	OFFSET_OF(ProcInfo, cap_effective, falco_proc_info, cap_effective);
	OFFSET_OF(ProcInfo, fdlimit, falco_proc_info, fdlimit);
	OFFSET_OF(ProcInfo, pgft_maj, falco_proc_info, pgft_maj);
	OFFSET_OF(ProcInfo, pgft_min, falco_proc_info, pgft_min);
	OFFSET_OF(ProcInfo, vm_size_kb, falco_proc_info, vm_size_kb);
	OFFSET_OF(ProcInfo, vm_rss_kb, falco_proc_info, vm_rss_kb);
	OFFSET_OF(ProcInfo, vm_swap_kb, falco_proc_info, vm_swap_kb);
	OFFSET_OF(ProcInfo, tty, falco_proc_info, tty);
	OFFSET_OF(ProcInfo, arg_start, falco_proc_info, arg_start);
	OFFSET_OF(ProcInfo, arg_end, falco_proc_info, arg_end);
	OFFSET_OF(ProcInfo, env_start, falco_proc_info, env_start);
	OFFSET_OF(ProcInfo, env_end, falco_proc_info, env_end);
	OFFSET_OF(ProcInfo, exe_ino, falco_proc_info, exe_ino);
	OFFSET_OF(ProcInfo, exe_ctime_ns, falco_proc_info, exe_ctime_ns);
	OFFSET_OF(ProcInfo, exe_mtime_ns, falco_proc_info, exe_mtime_ns);
	OFFSET_OF(ProcInfo, task_flags, falco_proc_info, task_flags);
	OFFSET_OF(ProcInfo, files, falco_proc_info, files);
	OFFSET_OF(ProcInfo, start_time_ns, falco_proc_info, start_time_ns);
	OFFSET_OF(ProcInfo, exe_flags, falco_proc_info, exe_flags);

	SIZE_OF(FileInfo, falco_file_info);
	OFFSET_OF(FileInfo, ino, falco_file_info, ino);
	OFFSET_OF(FileInfo, dev, falco_file_info, dev);
	OFFSET_OF(FileInfo, fmode, falco_file_info, fmode);
	OFFSET_OF(FileInfo, created, falco_file_info, created);
	OFFSET_OF(FileInfo, pad, falco_file_info, pad);

	SIZE_OF(SockInfo, falco_sock_info);
	OFFSET_OF(SockInfo, sk, falco_sock_info, sk);
	OFFSET_OF(SockInfo, peer, falco_sock_info, peer);
	OFFSET_OF(SockInfo, family, falco_sock_info, family);
	OFFSET_OF(SockInfo, sock_type, falco_sock_info, type);
	OFFSET_OF(SockInfo, lport, falco_sock_info, lport);
	OFFSET_OF(SockInfo, rport, falco_sock_info, rport);
	OFFSET_OF(SockInfo, laddr, falco_sock_info, laddr);
	OFFSET_OF(SockInfo, raddr, falco_sock_info, raddr);
	OFFSET_OF(SockInfo, ack_backlog, falco_sock_info, ack_backlog);
	OFFSET_OF(SockInfo, max_ack_backlog, falco_sock_info, max_ack_backlog);
	OFFSET_OF(SockInfo, path_len, falco_sock_info, path_len);
	OFFSET_OF(SockInfo, pad, falco_sock_info, pad);
	OFFSET_OF(SockInfo, path, falco_sock_info, path);
	VALUE(SOCK_PATH_BYTES, sizeof(((struct falco_sock_info *)0)->path));
}
