//! probe-check: the in-guest half of the falco_probe VM tests (tests/vm), and the same checks of the
//! eBPF driver on the host (tests/ebpf). Built on the host, run in the guest by the scenario
//! scripts; every subcommand prints what it saw and exits non-zero on a failed check.
//!
//!   probe-check [--ebpf] COMMAND ...    --ebpf: the CO-RE eBPF driver instead of /dev/falco
//!
//!   probe-check acceptance PORT         the workload below, checked event by event
//!   probe-check workload PATH PORT CODE (child) open PATH for writing, connect to 127.0.0.1:PORT, exit CODE
//!   probe-check storm SECONDS           a syscall storm on every CPU with a reader draining
//!   probe-check stall                   a reader that never reads: drops are counted, the workload runs on
//!   probe-check bench MODE [SCALE]      the syscall microbenchmark (MODE: none, floor, off, masked, full, drain)
//!   probe-check dump SECONDS            print every event (debugging)
//!   probe-check cpubench MODE [SCALE]   CPU time per syscall on this host (cpubench.rs)
//!   probe-check storm-load SECONDS      the storm of make bench-ebpf, with no reader of its own

use falco_engine::abi::{self, event_id as ev};
use falco_engine::capture::{AheadCapture, Capture, EbpfCapture, EbpfOptions, LiveCapture};
use falco_engine::event::Event;
use falco_engine::scap::writer::{CaptureHeader, ScapWriter};
use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::process::{Command, ExitCode};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod cpubench;

type Res<T> = Result<T, String>;

/// Set by --ebpf: every command drives the eBPF driver.
static EBPF: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
/// Set by --ahead: the driver is read through `AheadCapture`, on a thread of its own, as falco
/// reads it with two event threads.
static AHEAD: std::sync::OnceLock<bool> = std::sync::OnceLock::new();

/// Opens the driver under test with `ring_bytes` rings (the eBPF driver's size; the module's is
/// fixed at insmod).
fn open_capture(ring_bytes: u64) -> Res<Box<dyn Capture>> {
    let cap: Box<dyn Capture> = if *EBPF.get().unwrap_or(&false) {
        let opts = EbpfOptions {
            ring_bytes,
            ..EbpfOptions::default()
        };
        Box::new(EbpfCapture::open(&opts).map_err(|e| e.to_string())?)
    } else {
        Box::new(LiveCapture::open_default().map_err(|e| e.to_string())?)
    };
    if *AHEAD.get().unwrap_or(&false) {
        return Ok(Box::new(AheadCapture::spawn(cap).map_err(e2s)?));
    }
    Ok(cap)
}

fn e2s<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().collect();
    let mut flag = |name: &str| {
        let at = args.iter().position(|a| a == name);
        at.map(|i| args.remove(i)).is_some()
    };
    let (ebpf, ahead) = (flag("--ebpf"), flag("--ahead"));
    let _ = EBPF.set(ebpf);
    let _ = AHEAD.set(ahead);
    let arg = |i: usize| args.get(i).map(String::as_str).unwrap_or("");
    let r = match arg(1) {
        "acceptance" => acceptance(arg(2).parse().unwrap_or(7357)),
        "workload" => workload(
            arg(2),
            arg(3).parse().unwrap_or(0),
            arg(4).parse().unwrap_or(0),
        ),
        "storm" => storm(arg(2).parse().unwrap_or(10)),
        "stall" => stall(),
        "bench" => bench(arg(2), arg(3).parse().unwrap_or(1.0)),
        "dump" => dump(arg(2).parse().unwrap_or(2)),
        "cpubench" => cpubench::cpubench(arg(2), arg(3).parse().unwrap_or(1.0)),
        "storm-load" => cpubench::storm_load(arg(2).parse().unwrap_or(10)),
        other => Err(format!(
            "unknown command {other:?} (see the source for usage)"
        )),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("FAIL: {e}");
            ExitCode::FAILURE
        }
    }
}

fn err<E: std::fmt::Display>(what: &str) -> impl FnOnce(E) -> String + '_ {
    move |e| format!("{what}: {e}")
}

// ---------------------------------------------------------------------------------------------------
// Decoding helpers (on top of the engine's Event)
// ---------------------------------------------------------------------------------------------------

/// An event copied out of the ring.
struct Owned {
    cpu: u16,
    bytes: Vec<u8>,
}

impl Owned {
    fn ev(&self) -> Event<'_> {
        Event::from_bytes(&self.bytes, self.cpu).expect("validated when drained")
    }
}

fn p_i64(e: &Event<'_>, i: usize) -> Option<i64> {
    let b = e.param(i)?;
    match b.len() {
        8 => Some(i64::from_le_bytes(b.try_into().ok()?)),
        4 => Some(i32::from_le_bytes(b.try_into().ok()?) as i64),
        2 => Some(i16::from_le_bytes(b.try_into().ok()?) as i64),
        1 => Some(b[0] as i8 as i64),
        _ => None,
    }
}

fn p_u64(e: &Event<'_>, i: usize) -> Option<u64> {
    let b = e.param(i)?;
    match b.len() {
        8 => Some(u64::from_le_bytes(b.try_into().ok()?)),
        4 => Some(u32::from_le_bytes(b.try_into().ok()?) as u64),
        2 => Some(u16::from_le_bytes(b.try_into().ok()?) as u64),
        1 => Some(b[0] as u64),
        _ => None,
    }
}

fn p_str(e: &Event<'_>, i: usize) -> String {
    let b = e.param(i).unwrap_or(&[]);
    let b = b.strip_suffix(&[0]).unwrap_or(b);
    String::from_utf8_lossy(b).into_owned()
}

/// Drains everything available now, validating every event; returns them in merge order.
/// [`drain`] after capture stopped, until nothing more comes: a driver read ahead (--ahead) may
/// still be moving the rings' last events when the reader first finds none.
fn drain_all(cap: &mut dyn Capture, out: &mut Vec<Owned>, keep: bool) -> Res<u64> {
    let mut n = drain(cap, out, keep)?;
    while cap.wait(Duration::from_millis(100)) {
        n += drain(cap, out, keep)?;
    }
    Ok(n)
}

fn drain(cap: &mut dyn Capture, out: &mut Vec<Owned>, keep: bool) -> Res<u64> {
    let mut n = 0;
    while let Some((cpu, b)) = cap.next_event().map_err(err("reading the rings"))? {
        Event::from_bytes(b, cpu)
            .map_err(|e| format!("event {n} on cpu {cpu} does not decode: {e}"))?;
        if keep {
            out.push(Owned {
                cpu,
                bytes: b.to_vec(),
            });
        }
        n += 1;
    }
    Ok(n)
}

fn describe(e: &Event<'_>) -> String {
    let mut s = format!(
        "ts={} tid={} cpu={} {}{}(",
        e.ts,
        e.tid,
        e.cpu,
        e.direction().symbol(),
        e.name()
    );
    for i in 0..e.nparams() {
        let b = e.param(i).unwrap_or(&[]);
        let printable = b.iter().all(|&c| c == 0 || (0x20..0x7f).contains(&c)) && b.len() > 1;
        if i > 0 {
            s.push_str(", ");
        }
        if printable {
            s.push_str(&format!(
                "{:?}",
                String::from_utf8_lossy(b).trim_end_matches('\0')
            ));
        } else if b.len() <= 8 && !b.is_empty() {
            s.push_str(&p_i64(e, i).map_or_else(|| format!("{b:02x?}"), |v| v.to_string()));
        } else {
            s.push_str(&format!("{} bytes", b.len()));
        }
    }
    s.push(')');
    s
}

fn check(ok: bool, what: &str, failures: &mut Vec<String>) {
    println!("  [{}] {what}", if ok { "ok" } else { "FAIL" });
    if !ok {
        failures.push(what.to_string());
    }
}

// ---------------------------------------------------------------------------------------------------
// Acceptance: exec, open for writing, connect, exit
// ---------------------------------------------------------------------------------------------------

fn workload(path: &str, port: u16, code: i32) -> Res<()> {
    let mut f = std::fs::File::create(path).map_err(err("create"))?;
    f.write_all(b"hello").map_err(err("write"))?;
    drop(f);
    let s = TcpStream::connect(("127.0.0.1", port)).map_err(err("connect"))?;
    drop(s);
    // The fd pairs the probe reads back from user memory: pipe2 and socketpair.
    let pipe = std::io::pipe().map_err(err("pipe"))?;
    drop(pipe);
    let pair = std::os::unix::net::UnixStream::pair().map_err(err("socketpair"))?;
    drop(pair);
    std::process::exit(code);
}

const CLONES: [u16; 4] = [
    ev::SYSCALL_CLONE_20_X,
    ev::SYSCALL_CLONE3_X,
    ev::SYSCALL_FORK_20_X,
    ev::SYSCALL_VFORK_20_X,
];

fn acceptance(port: u16) -> Res<()> {
    let path = "/tmp/falco-acceptance.txt";
    let code = 42;
    // Port 0: an ephemeral port (on a shared host).
    let listener = TcpListener::bind(("127.0.0.1", port)).map_err(err("listen"))?;
    let port = listener.local_addr().map_err(err("listen"))?.port();
    let mut cap = open_capture(abi::DEFAULT_RING_BYTES)?;
    cap.set_snaplen(80).map_err(|e| e.to_string())?;
    cap.enable_capture().map_err(|e| e.to_string())?;
    let exe = std::env::current_exe().map_err(err("current_exe"))?;
    let exe = exe.to_string_lossy().into_owned();
    let mut child = Command::new(&exe)
        .args(["workload", path, &port.to_string(), &code.to_string()])
        .spawn()
        .map_err(err("spawn"))?;
    let pid = child.id() as i64;
    let me = std::process::id() as i64;
    let (conn, peer) = listener.accept().map_err(err("accept"))?;
    drop(conn);
    let status = child.wait().map_err(err("wait"))?;
    cap.disable_capture().map_err(|e| e.to_string())?;
    let mut events = Vec::new();
    let total = drain_all(cap.as_mut(), &mut events, true)?;
    let stats = cap.counters();
    println!("workload pid {pid} exited with {status}; {total} events captured; stats {stats:?}");

    // Keep the capture: the host renders it with `falco inspect`, which checks that the engine
    // decodes what the probe writes.
    let mut w = ScapWriter::create("acceptance.scap", true).map_err(|e| e.to_string())?;
    w.write_header(&CaptureHeader::default())
        .map_err(|e| e.to_string())?;
    for o in &events {
        w.write_event(&o.ev(), 0).map_err(|e| e.to_string())?;
    }
    w.finish().map_err(|e| e.to_string())?;

    let mine: Vec<&Owned> = events.iter().filter(|o| o.ev().tid == pid).collect();
    println!("events of the workload ({}):", mine.len());
    for o in &mine {
        let e = o.ev();
        if e.event_type != ev::GENERIC_X {
            println!("  {}", describe(&e));
        }
    }
    let of = |types: &[u16]| -> Vec<Event<'_>> {
        mine.iter()
            .map(|o| o.ev())
            .filter(|e| types.contains(&e.event_type))
            .collect()
    };
    let mut f = Vec::new();
    check(
        status.code() == Some(code),
        &format!("workload exited with {code}"),
        &mut f,
    );
    check(
        peer.ip().to_string() == "127.0.0.1",
        "the listener saw the workload's connection",
        &mut f,
    );
    check(
        stats.n_drops_buffer == 0 && stats.n_drops_bug == 0,
        "no drops",
        &mut f,
    );

    // clone: the child's side (sched_process_fork) and the parent's (sys_exit).
    let child_clone = of(&CLONES);
    check(
        child_clone.len() == 1
            && p_i64(&child_clone[0], 0) == Some(0)
            && p_i64(&child_clone[0], 3) == Some(pid)
            && p_i64(&child_clone[0], 4) == Some(pid),
        "exactly one clone-family child event: res 0, tid and pid = workload",
        &mut f,
    );
    let parent_clone: Vec<Event<'_>> = events
        .iter()
        .map(|o| o.ev())
        .filter(|e| CLONES.contains(&e.event_type) && p_i64(e, 0) == Some(pid))
        .collect();
    check(
        parent_clone.len() == 1 && p_i64(&parent_clone[0], 4) == Some(me),
        "exactly one clone-family parent event returning the workload's pid, from this process",
        &mut f,
    );

    // execve, from sched_process_exec.
    let execs = of(&[ev::SYSCALL_EXECVE_19_X, ev::SYSCALL_EXECVEAT_X]);
    let args_ok = |e: &Event<'_>| {
        let a = e.param(2).unwrap_or(&[]);
        let want = format!("workload\0{path}\0{port}\0{code}\0");
        a == want.as_bytes()
    };
    check(
        execs.len() == 1
            && execs[0].event_type == ev::SYSCALL_EXECVE_19_X
            && p_i64(&execs[0], 0) == Some(0)
            && p_str(&execs[0], 1) == exe
            && args_ok(&execs[0])
            && p_i64(&execs[0], 3) == Some(pid)
            && p_i64(&execs[0], 4) == Some(pid)
            && p_i64(&execs[0], 5) == Some(me)
            && p_str(&execs[0], 13) == "probe-check"
            && p_str(&execs[0], 27) == exe
            && p_str(&execs[0], 30) == exe,
        "exactly one execve exit: res 0, exe, args, tid/pid/ptid, comm, exepath, filename",
        &mut f,
    );

    // open for writing: openat enter and exit with the path and O_WRONLY|O_CREAT|O_TRUNC.
    const WANT: u64 = (1 << 1) | (1 << 2) | (1 << 8); // PPM_O_WRONLY | PPM_O_CREAT | PPM_O_TRUNC
    let opens_e: Vec<Event<'_>> = of(&[ev::SYSCALL_OPENAT_2_E])
        .into_iter()
        .filter(|e| p_str(e, 1) == path)
        .collect();
    let opens_x: Vec<Event<'_>> = of(&[ev::SYSCALL_OPENAT_2_X])
        .into_iter()
        .filter(|e| p_str(e, 2) == path)
        .collect();
    check(
        opens_e.len() == 1
            && p_i64(&opens_e[0], 0) == Some(abi::AT_FDCWD)
            && p_u64(&opens_e[0], 2).is_some_and(|fl| fl & WANT == WANT),
        "exactly one openat enter: dirfd AT_FDCWD, the path, O_WRONLY|O_CREAT|O_TRUNC",
        &mut f,
    );
    let fd = opens_x.first().and_then(|e| p_i64(e, 0)).unwrap_or(-1);
    check(
        opens_x.len() == 1
            && fd >= 0
            && p_u64(&opens_x[0], 3).is_some_and(|fl| fl & WANT == WANT)
            && p_u64(&opens_x[0], 6).is_some_and(|ino| ino != 0),
        "exactly one openat exit: fd >= 0, the path, the flags, an inode",
        &mut f,
    );
    let writes: Vec<Event<'_>> = of(&[ev::SYSCALL_WRITE_X])
        .into_iter()
        .filter(|e| p_i64(e, 2) == Some(fd))
        .collect();
    check(
        writes.len() == 1
            && p_i64(&writes[0], 0) == Some(5)
            && writes[0].param(1) == Some(&b"hello"[..]),
        "exactly one write exit on that fd, with its data",
        &mut f,
    );

    // connect to 127.0.0.1:PORT.
    let lo = [127u8, 0, 0, 1];
    let mut sa = vec![2u8];
    sa.extend_from_slice(&lo);
    sa.extend_from_slice(&port.to_le_bytes());
    let conn_e = of(&[ev::SOCKET_CONNECT_E]);
    let conn_x = of(&[ev::SOCKET_CONNECT_X]);
    check(
        conn_e.len() == 1 && conn_e[0].param(1) == Some(&sa[..]),
        "exactly one connect enter: addr 127.0.0.1:PORT",
        &mut f,
    );
    let tuple_ok = conn_x.first().and_then(|e| e.param(1)).is_some_and(|t| {
        t.len() == 13
            && t[0] == 2
            && t[1..5] == lo
            && t[7..11] == lo
            && u16::from_le_bytes([t[11], t[12]]) == port
            && u16::from_le_bytes([t[5], t[6]]) != 0
    });
    check(
        conn_x.len() == 1
            && p_i64(&conn_x[0], 0) == Some(0)
            && tuple_ok
            && conn_x[0].param(3) == Some(&sa[..]),
        "exactly one connect exit: res 0, tuple 127.0.0.1:sport -> 127.0.0.1:PORT, addr",
        &mut f,
    );

    // pipe2 and socketpair: both fds, read back from user memory, and what they refer to.
    let fd_pair = |e: &Event<'_>| {
        let (a, b) = (p_i64(e, 1).unwrap_or(-1), p_i64(e, 2).unwrap_or(-1));
        a >= 0 && b >= 0 && a != b
    };
    let pipes = of(&[ev::SYSCALL_PIPE2_X]);
    check(
        pipes.len() == 1
            && p_i64(&pipes[0], 0) == Some(0)
            && fd_pair(&pipes[0])
            && p_u64(&pipes[0], 3).is_some_and(|ino| ino != 0),
        "exactly one pipe2 exit: res 0, two fds, the pipe's inode",
        &mut f,
    );
    let pairs = of(&[ev::SOCKET_SOCKETPAIR_X]);
    check(
        pairs.len() == 1
            && p_i64(&pairs[0], 0) == Some(0)
            && fd_pair(&pairs[0])
            && p_u64(&pairs[0], 3).is_some_and(|sk| sk != 0)
            && p_u64(&pairs[0], 4).is_some_and(|peer| peer != 0),
        "exactly one socketpair exit: res 0, two fds, both sockets",
        &mut f,
    );

    // exit.
    let exits = of(&[ev::PROCEXIT_1_E]);
    check(
        exits.len() == 1
            && p_i64(&exits[0], 0) == Some((code as i64) << 8)
            && p_i64(&exits[0], 1) == Some(code as i64)
            && p_u64(&exits[0], 2) == Some(0),
        "exactly one procexit: status, exit code, no signal",
        &mut f,
    );

    // Order, as the workload did it.
    let ts = |v: &[Event<'_>]| v.first().map_or(0, |e| e.ts);
    let seq = [
        ts(&child_clone),
        ts(&execs),
        ts(&opens_e),
        ts(&opens_x),
        ts(&conn_e),
        ts(&conn_x),
        ts(&exits),
    ];
    check(
        seq.windows(2).all(|w| w[0] > 0 && w[0] < w[1]),
        "clone < execve < open < connect < exit in time",
        &mut f,
    );
    if f.is_empty() {
        println!("ACCEPTANCE OK");
        Ok(())
    } else {
        Err(format!("{} acceptance checks failed", f.len()))
    }
}

// ---------------------------------------------------------------------------------------------------
// Storm, stall
// ---------------------------------------------------------------------------------------------------

fn pin_to(cpu: usize) {
    // SAFETY: a zeroed cpu_set_t is valid; the call only reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

fn ncpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// One round of assorted syscalls; returns false if one misbehaved.
fn syscall_mix(buf: &mut [u8], round: u64) -> bool {
    // SAFETY: plain syscalls on valid, NUL-terminated paths and a buffer of the given size.
    unsafe {
        let ppid = libc::syscall(libc::SYS_getppid);
        let fd = libc::open(c"/dev/zero".as_ptr(), libc::O_RDONLY);
        let r = libc::read(fd, buf.as_mut_ptr().cast(), buf.len().min(256));
        libc::close(fd);
        let s = libc::socket(libc::AF_INET, libc::SOCK_DGRAM, 0);
        libc::close(s);
        let nul = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        libc::write(nul, buf.as_ptr().cast(), 64);
        libc::close(nul);
        if round.is_multiple_of(200) {
            let pid = libc::fork();
            if pid == 0 {
                if round.is_multiple_of(1000) {
                    // An exec now and then, for sched_process_exec.
                    let argv = [c"/bin/true".as_ptr(), std::ptr::null()];
                    libc::execv(argv[0], argv.as_ptr());
                }
                libc::_exit(0);
            }
            let mut st = 0;
            libc::waitpid(pid, &mut st, 0);
        }
        ppid > 0 && fd >= 0 && r > 0 && s >= 0
    }
}

fn storm(seconds: u64) -> Res<()> {
    let mut cap = open_capture(abi::DEFAULT_RING_BYTES)?;
    cap.enable_capture().map_err(|e| e.to_string())?;
    let stop = Arc::new(AtomicBool::new(false));
    let bad = Arc::new(AtomicU64::new(0));
    let mut threads = Vec::new();
    for cpu in 0..ncpus() {
        let (stop, bad) = (stop.clone(), bad.clone());
        threads.push(std::thread::spawn(move || {
            pin_to(cpu);
            let mut buf = [0u8; 4096];
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                if !syscall_mix(&mut buf, round) {
                    bad.fetch_add(1, Ordering::Relaxed);
                }
                round += 1;
            }
            round
        }));
    }
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut n = 0;
    let mut sink = Vec::new();
    while Instant::now() < deadline {
        n += drain(cap.as_mut(), &mut sink, false)?;
        cap.wait(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    let rounds: u64 = threads.into_iter().map(|t| t.join().unwrap_or(0)).sum();
    cap.disable_capture().map_err(|e| e.to_string())?;
    n += drain_all(cap.as_mut(), &mut sink, false)?;
    let st = cap.counters();
    println!(
        "STORM cpus={} rounds={rounds} events_read={n} stats={st:?}",
        ncpus()
    );
    if bad.load(Ordering::Relaxed) != 0 {
        return Err(format!(
            "{} syscall rounds misbehaved",
            bad.load(Ordering::Relaxed)
        ));
    }
    if st.n_drops_bug != 0 || n == 0 || n + st.n_drops_buffer < st.n_evts {
        return Err("events were lost without being counted, or encoders failed".into());
    }
    Ok(())
}

fn stall() -> Res<()> {
    let mut cap = open_capture(128 << 10)?;
    cap.enable_capture().map_err(|e| e.to_string())?;
    let ring = cap.ring_bytes();
    // Enough work to overflow every ring several times, spread over every CPU.
    let rounds = 4 * ring / 200 + 1000;
    let t0 = Instant::now();
    let mut bad = 0u64;
    let threads: Vec<_> = (0..ncpus())
        .map(|cpu| {
            std::thread::spawn(move || {
                pin_to(cpu);
                let mut buf = [0u8; 4096];
                (0..rounds)
                    .filter(|&r| !syscall_mix(&mut buf, r + 1))
                    .count() as u64
            })
        })
        .collect();
    for t in threads {
        bad += t.join().unwrap_or(u64::MAX);
    }
    let elapsed = t0.elapsed();
    let st = cap.counters();
    println!(
        "STALL rounds={rounds}x{} elapsed={elapsed:?} stats={st:?}",
        ncpus()
    );
    let mut f = Vec::new();
    check(
        bad == 0,
        "every syscall of the workload returned normally",
        &mut f,
    );
    check(
        st.n_drops_buffer > 0,
        "drops counted (n_drops_buffer > 0)",
        &mut f,
    );
    // Nothing was read, so every ring holds what it could: its size, less at most one event.
    let (nrings, backlog) = (cap.num_rings() as u64, cap.backlog());
    println!("  {nrings} rings of {ring} bytes: {backlog} bytes unread");
    check(
        backlog + nrings * 65536 >= nrings * ring,
        "every ring filled (unread bytes within the largest event of the rings' size)",
        &mut f,
    );
    // Reading again after the stall: the rings still hold valid events.
    let mut sink = Vec::new();
    let n = drain(cap.as_mut(), &mut sink, false)?;
    check(n > 0, "the stalled rings drain cleanly afterwards", &mut f);
    if f.is_empty() {
        Ok(())
    } else {
        Err(format!("{} stall checks failed", f.len()))
    }
}

fn dump(seconds: u64) -> Res<()> {
    let mut cap = open_capture(abi::DEFAULT_RING_BYTES)?;
    cap.enable_capture().map_err(|e| e.to_string())?;
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while Instant::now() < deadline {
        cap.wait(Duration::from_millis(100));
        while let Some((cpu, b)) = cap.next_event().map_err(|e| e.to_string())? {
            let e = Event::from_bytes(b, cpu).map_err(|e| e.to_string())?;
            println!("{}", describe(&e));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------------
// Benchmark
// ---------------------------------------------------------------------------------------------------

/// x86_64 numbers of the benchmarked syscalls (masked in the "masked" mode).
const BENCH_SYSCALLS: [u32; 5] = [
    110, /* getppid */
    2,   /* open */
    257, /* openat */
    3,   /* close */
    0,   /* read */
];

fn bench(mode: &str, scale: f64) -> Res<()> {
    pin_to(0);
    let n = |base: f64| (base * scale) as u64;
    let mut cap = match mode {
        // "floor": no device either, but the counting-only falco_floor module is loaded.
        "none" | "floor" => None,
        "off" | "masked" | "full" | "drain" => Some(open_capture(abi::DEFAULT_RING_BYTES)?),
        _ => return Err(format!("unknown bench mode {mode:?}")),
    };
    if let Some(c) = cap.as_mut() {
        if mode == "masked" {
            let rest: Vec<u32> = (0..abi::SYSCALL_TABLE_SIZE as u32)
                .filter(|nr| !BENCH_SYSCALLS.contains(nr))
                .collect();
            c.set_syscalls(&rest, false).map_err(e2s)?;
        }
        if mode != "off" {
            c.enable_capture().map_err(|e| e.to_string())?;
        }
    }
    // The draining reader runs on the other CPU while the benchmark runs.
    let stop = Arc::new(AtomicBool::new(false));
    // The draining reader's view of the drop counter, for the per-operation lines.
    let drops_seen = Arc::new(AtomicU64::new(0));
    let reader = if mode == "drain" {
        let mut c = cap.take().ok_or("no capture")?;
        let (stop, seen) = (stop.clone(), drops_seen.clone());
        Some(std::thread::spawn(move || {
            pin_to(1);
            let mut sink = Vec::new();
            let mut total = 0;
            let (mut max_gap, mut max_backlog, mut last) = (Duration::ZERO, 0u64, Instant::now());
            while !stop.load(Ordering::Relaxed) {
                max_gap = max_gap.max(last.elapsed());
                max_backlog = max_backlog.max(c.backlog());
                total += drain(c.as_mut(), &mut sink, false).unwrap_or(0);
                last = Instant::now();
                seen.store(c.counters().n_drops_buffer, Ordering::Relaxed);
                c.wait(Duration::from_millis(1));
            }
            total += drain(c.as_mut(), &mut sink, false).unwrap_or(0);
            println!("BENCH reader max_gap={max_gap:?} max_backlog={max_backlog}");
            (c, total)
        }))
    } else {
        None
    };
    let path = c"/tmp/falco-bench-file";
    std::fs::write("/tmp/falco-bench-file", b"falco").map_err(err("bench file"))?;
    let mut buf = vec![0u8; 4096];
    type Op<'a> = (&'static str, u64, Box<dyn FnMut() + 'a>);
    let zero = std::fs::File::open("/dev/zero").map_err(err("/dev/zero"))?;
    let zfd = std::os::fd::AsRawFd::as_raw_fd(&zero);
    let bufp = buf.as_mut_ptr();
    let ops: Vec<Op<'_>> = vec![
        (
            "getppid",
            n(2_000_000.0),
            // SAFETY: getppid takes no arguments.
            Box::new(|| unsafe {
                libc::syscall(libc::SYS_getppid);
            }),
        ),
        (
            "open+close",
            n(200_000.0),
            // SAFETY: `path` is NUL-terminated; closing the fd we just opened.
            Box::new(|| unsafe {
                let fd = libc::open(path.as_ptr(), libc::O_RDONLY);
                libc::close(fd);
            }),
        ),
        (
            "read4k",
            n(500_000.0),
            // SAFETY: `bufp` points to the 4096-byte `buf`, alive until after the loop.
            Box::new(move || unsafe {
                libc::read(zfd, bufp.cast(), 4096);
            }),
        ),
    ];
    for (name, iters, mut op) in ops {
        for _ in 0..iters / 100 {
            op(); // warm-up
        }
        if let Some(c) = cap.as_mut() {
            c.skip_all(); // start from empty rings: the run must fit
        }
        let t0 = Instant::now();
        for _ in 0..iters {
            op();
        }
        let ns = t0.elapsed().as_nanos() as f64 / iters as f64;
        let (events, drops, read_ns) = match cap.as_mut() {
            Some(c) => {
                let mut sink = Vec::new();
                let t = Instant::now();
                let events = drain(c.as_mut(), &mut sink, false)?;
                let read_ns = t.elapsed().as_nanos() as f64 / events.max(1) as f64;
                (events, c.counters().n_drops_buffer, read_ns)
            }
            None => (0, drops_seen.load(Ordering::Relaxed), 0.0),
        };
        println!(
            "BENCH mode={mode} op={name} iters={iters} ns_per_op={ns:.1} events={events} drops={drops} read_ns_per_event={read_ns:.0}"
        );
    }
    drop(zero);
    if let Some(r) = reader {
        stop.store(true, Ordering::Relaxed);
        let (c, total) = r.join().map_err(|_| "reader panicked")?;
        let st = c.counters();
        println!(
            "BENCH mode=drain reader_events={total} drops={} n_evts={}",
            st.n_drops_buffer, st.n_evts
        );
    }
    Ok(())
}
