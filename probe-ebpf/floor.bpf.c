// SPDX-License-Identifier: GPL-2.0
/*
 * The benchmark's floor (make bench-ebpf): empty programs on both syscall tracepoints, the cost
 * any tracepoint driver pays before it does anything.
 */
#include "kernel.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int floor_enter(__u64 *ctx)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int floor_exit(__u64 *ctx)
{
	return 0;
}
