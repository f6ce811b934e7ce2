// SPDX-License-Identifier: GPL-2.0
//! falco_floor: attaches to sys_enter and sys_exit with probes that only count, so `make bench-probe`
//! can measure what any tracepoint-based probe costs on the benchmark kernel (the floor the probe's
//! masked-syscall cost is compared with). Test-only; not part of the product.

use core::sync::atomic::{AtomicU64, Ordering};
use kernel::bindings;
use kernel::prelude::*;

module! {
    type: Floor,
    name: "falco_floor",
    authors: ["The falco authors"],
    description: "Benchmark floor: counting-only raw_syscalls probes",
    license: "GPL",
}

static HITS: AtomicU64 = AtomicU64::new(0);

unsafe extern "C" fn count(_d: *mut c_void, _regs: *mut bindings::pt_regs, _x: c_long) {
    HITS.fetch_add(1, Ordering::Relaxed);
}

struct Lookup {
    name: &'static CStr,
    found: *mut bindings::tracepoint,
}

unsafe extern "C" fn visit(tp: *mut bindings::tracepoint, data: *mut c_void) {
    // SAFETY: `data` is the Lookup passed by `find`, alive for the walk.
    let l = unsafe { &mut *data.cast::<Lookup>() };
    // SAFETY: the kernel passes valid tracepoints with NUL-terminated names.
    if unsafe { CStr::from_char_ptr((*tp).name) }.to_bytes() == l.name.to_bytes() {
        l.found = tp;
    }
}

fn find(name: &'static CStr) -> Result<*mut bindings::tracepoint> {
    let mut l = Lookup {
        name,
        found: core::ptr::null_mut(),
    };
    // SAFETY: the callback only uses `l` through the pointer, which outlives the call.
    unsafe { bindings::for_each_kernel_tracepoint(Some(visit), core::ptr::addr_of_mut!(l).cast()) };
    if l.found.is_null() {
        Err(ENOENT)
    } else {
        Ok(l.found)
    }
}

struct Floor {
    tps: [*mut bindings::tracepoint; 2],
}

// SAFETY: the tracepoint pointers are kernel globals.
unsafe impl Send for Floor {}
// SAFETY: as above.
unsafe impl Sync for Floor {}

impl kernel::Module for Floor {
    fn init(_m: &'static ThisModule) -> Result<Self> {
        let tps = [find(c"sys_enter")?, find(c"sys_exit")?];
        for (i, tp) in tps.iter().enumerate() {
            // SAFETY: `tp` was found by name; `count` has the raw_syscalls probe signature.
            let r = unsafe {
                bindings::tracepoint_probe_register(
                    *tp,
                    count as *mut c_void,
                    core::ptr::null_mut(),
                )
            };
            if r != 0 {
                for tp in &tps[..i] {
                    // SAFETY: registered just above.
                    unsafe {
                        bindings::tracepoint_probe_unregister(
                            *tp,
                            count as *mut c_void,
                            core::ptr::null_mut(),
                        )
                    };
                }
                return Err(Error::from_errno(r));
            }
        }
        pr_info!("floor probes attached\n");
        Ok(Floor { tps })
    }
}

impl Drop for Floor {
    fn drop(&mut self) {
        for tp in &self.tps {
            // SAFETY: registered in init.
            unsafe {
                bindings::tracepoint_probe_unregister(
                    *tp,
                    count as *mut c_void,
                    core::ptr::null_mut(),
                )
            };
        }
        // SAFETY: process context (module exit); both srcu structs are kernel globals.
        unsafe {
            bindings::synchronize_srcu(core::ptr::addr_of_mut!(
                bindings::rcu_tasks_trace_srcu_struct
            ));
            bindings::synchronize_srcu(core::ptr::addr_of_mut!(bindings::tracepoint_srcu));
        }
        pr_info!(
            "floor probes detached after {} hits\n",
            HITS.load(Ordering::Relaxed)
        );
    }
}
