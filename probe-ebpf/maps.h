/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The maps: what userspace configures (settings), the per-CPU counters and scratch buffer, the
 * ring buffers (one per group of CPUs, looked up by CPU id), the exit encoders (a program array
 * indexed by x86_64 syscall number), and the enter events whose user memory was not resident yet.
 */
#ifndef FALCO_BPF_MAPS_H
#define FALCO_BPF_MAPS_H

#include "kernel.h"
#include <bpf/bpf_helpers.h>
#include "abi.h"

/* Largest event written (the kernel module's MAX_EVENT_BYTES). */
#define MAX_EVENT_BYTES (64 * 1024)
#define EVENT_MASK (MAX_EVENT_BYTES - 1)
/* CPU ids the ring-buffer table covers. */
#define MAX_CPUS 1024

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct falco_settings);
} settings SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct falco_counters);
} counters SEC(".maps");

/* Process facts gathered for clone and exec events (kept off the 512-byte BPF stack). */
struct proc_info {
	__u64 pid, tgid, ptid, pgid;
	__u64 vtid, vpid, vpgid, pidns_level, pidns_init_start;
	__u64 euid, egid, loginuid;
	__u64 cap_inheritable, cap_permitted, cap_effective;
	__u64 fdlimit, pgft_maj, pgft_min;
	__u64 vm_size_kb, vm_rss_kb, vm_swap_kb, tty;
	__u64 arg_start, arg_end, env_start, env_end;
	__u64 exe_ino, exe_ctime_ns, exe_mtime_ns, exe_flags;
};

/* Path components walked for the executable's path and cgroup paths. */
#define MAX_PATH_DEPTH 32

/* Where variable-size events are built before they are copied to a ring: twice the largest
 * event, so a write of up to MAX_EVENT_BYTES at any offset masked by EVENT_MASK stays inside.
 * Then room for the process facts and the names of a path being walked. */
struct scratch {
	__u8 data[2 * MAX_EVENT_BYTES];
	struct proc_info pi;
	__u64 names[MAX_PATH_DEPTH];
	/* The encoder's state (encode.h). In map memory the verifier does not track values, so the
	 * paths an event takes (which parameters were long, which faulted) do not multiply the states
	 * it explores. */
	__u64 pos, ts, tid;
	__u32 idx, nparams;
	__u32 depth; /* names[] in use */
	__u64 acc;   /* bytes gathered so far by a loop */
	__u16 type;
	__u8 faulted, bug, too_big;
};

/* Indexed by CPU id (a per-CPU array's values are capped at 32 KiB); userspace sizes it to the
 * number of possible CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* CPU id -> its group's ring buffer. Userspace creates the rings (their size is the
 * buf_size_preset) and fills every possible CPU's slot. */
struct ringbuf_inner {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, MAX_CPUS);
	__type(key, __u32);
	__array(values, struct ringbuf_inner);
} ringbufs SEC(".maps");

/* Syscall number -> its exit encoder (programs named x_<syscall>); a syscall without one gets the
 * generic event. */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, FALCO_SYSCALL_TABLE_SIZE);
	__type(key, __u32);
	__type(value, __u32);
} exit_encoders SEC(".maps");

/* Enter events whose user memory faulted at sys_enter (a page not touched yet): thread id ->
 * the enter's timestamp. The exit rewrites the event from the same arguments, now resident. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, __u64);
} deferred_enter SEC(".maps");

static const __u32 ZERO = 0;

static __always_inline struct falco_settings *get_settings(void)
{
	return bpf_map_lookup_elem(&settings, &ZERO);
}

static __always_inline struct falco_counters *get_counters(void)
{
	return bpf_map_lookup_elem(&counters, &ZERO);
}

#endif
