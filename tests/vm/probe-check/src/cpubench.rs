//! `probe-check cpubench MODE [SCALE]`: the CPU time a syscall costs with a driver attached, on
//! this host's kernel (make bench-ebpf). Pinned to CPU 0; each operation runs five times and the
//! median of the thread CPU time per call is printed:
//!
//!   BENCHCPU mode=MODE op=OP iters=N ns_per_op=X
//!
//! MODE: `none` (nothing attached here), `floor` (empty programs on sys_enter/sys_exit), `masked`
//! (the eBPF driver capturing, with the benchmarked syscalls masked), `full` (nothing attached
//! here: falco consumes the driver in another process, capturing every syscall).
//! `probe-check storm-load SECONDS` is the storm of make bench-ebpf: the syscall mix on every CPU,
//! no reader of its own.

use falco_engine::abi;
use falco_engine::capture::ebpf::Floor;
use falco_engine::capture::{Capture, EbpfCapture, EbpfOptions};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// x86_64 numbers of the benchmarked syscalls: getppid, open, openat, close, read.
const BENCH_SYSCALLS: [u32; 5] = [110, 2, 257, 3, 0];

fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Median over five runs of the thread CPU ns per call of `op`.
fn measure(iters: u64, op: &mut dyn FnMut()) -> f64 {
    for _ in 0..iters / 20 {
        op(); // warm-up
    }
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let t0 = thread_cpu_ns();
            for _ in 0..iters {
                op();
            }
            (thread_cpu_ns() - t0) as f64 / iters as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

pub fn cpubench(mode: &str, scale: f64) -> Result<(), String> {
    super::pin_to(0);
    let n = |base: f64| ((base * scale) as u64).max(1000);
    // What stays attached while the operations run.
    let _attached: (Option<Floor>, Option<EbpfCapture>) = match mode {
        "none" | "full" => (None, None),
        "floor" => (Some(Floor::attach().map_err(|e| e.to_string())?), None),
        "masked" => {
            let mut c = EbpfCapture::open(&EbpfOptions::default()).map_err(|e| e.to_string())?;
            let rest: Vec<u32> = (0..abi::SYSCALL_TABLE_SIZE as u32)
                .filter(|nr| !BENCH_SYSCALLS.contains(nr))
                .collect();
            c.set_syscalls(&rest, false).map_err(|e| e.to_string())?;
            c.enable_capture().map_err(|e| e.to_string())?;
            (None, Some(c))
        }
        _ => return Err(format!("unknown cpubench mode {mode:?}")),
    };
    let path = c"/tmp/falco-bench-file";
    std::fs::write("/tmp/falco-bench-file", b"falco").map_err(|e| e.to_string())?;
    let zero = std::fs::File::open("/dev/zero").map_err(|e| e.to_string())?;
    let zfd = std::os::fd::AsRawFd::as_raw_fd(&zero);
    let mut buf = vec![0u8; 4096];
    let bufp = buf.as_mut_ptr();
    let mut getppid = || {
        // SAFETY: getppid takes no arguments.
        unsafe { libc::syscall(libc::SYS_getppid) };
    };
    let mut open_close = || {
        // SAFETY: `path` is NUL-terminated; closing the fd just opened.
        unsafe { libc::close(libc::open(path.as_ptr(), libc::O_RDONLY)) };
    };
    let mut read4k = || {
        // SAFETY: `bufp` points to the 4096-byte `buf`, alive until the end of this function.
        unsafe { libc::read(zfd, bufp.cast(), 4096) };
    };
    let ops: [(&str, u64, &mut dyn FnMut()); 3] = [
        ("getppid", n(5_000_000.0), &mut getppid),
        ("open+close", n(500_000.0), &mut open_close),
        ("read4k", n(1_000_000.0), &mut read4k),
    ];
    for (name, iters, op) in ops {
        let ns = measure(iters, op);
        println!("BENCHCPU mode={mode} op={name} iters={iters} ns_per_op={ns:.1}");
    }
    drop(zero);
    Ok(())
}

/// The syscall mix on every CPU for `seconds`, nothing read here (falco is the reader).
pub fn storm_load(seconds: u64) -> Result<(), String> {
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = (0..super::ncpus())
        .map(|cpu| {
            let stop = stop.clone();
            std::thread::spawn(move || {
                super::pin_to(cpu);
                let mut buf = [0u8; 4096];
                let mut round = 1u64;
                while !stop.load(Ordering::Relaxed) {
                    super::syscall_mix(&mut buf, round);
                    round += 1;
                }
                round
            })
        })
        .collect();
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let rounds: u64 = threads.into_iter().map(|t| t.join().unwrap_or(0)).sum();
    println!(
        "STORMLOAD cpus={} seconds={:.1} rounds={rounds}",
        super::ncpus(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}
