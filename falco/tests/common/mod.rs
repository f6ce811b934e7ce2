//! Helpers shared by the daemon's integration tests: the falco binary, scratch dirs and configs,
//! replays, a FIFO-fed falco for signal tests, local HTTP receivers and a Prometheus parser.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub fn falco_bin() -> &'static str {
    env!("CARGO_BIN_EXE_falco")
}

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn traces_dir() -> PathBuf {
    repo().join("tests/traces")
}

pub fn trace(name: &str) -> PathBuf {
    traces_dir().join(name)
}

/// Every capture of tests/traces, in name order.
pub fn shipped_traces() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(traces_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "scap"))
        .collect();
    v.sort();
    v
}

pub fn test_rules() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/trace_rules.yaml")
}

/// A scratch directory for one test.
pub fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("falco-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A quiet configuration: stdout alerts only, no webserver, no syslog, no file watching. Top-level
/// keys of `extra` replace these defaults.
pub fn config(dir: &Path, extra: &str) -> PathBuf {
    let p = dir.join("falco.yaml");
    let base = [
        ("stdout_output", "stdout_output:\n  enabled: true\n"),
        ("syslog_output", "syslog_output:\n  enabled: false\n"),
        ("log_syslog", "log_syslog: false\n"),
        ("watch_config_files", "watch_config_files: false\n"),
        ("webserver", "webserver:\n  enabled: false\n"),
    ];
    let mut text = String::new();
    for (key, yaml) in base {
        if !extra.lines().any(|l| l.starts_with(&format!("{key}:"))) {
            text.push_str(yaml);
        }
    }
    text.push_str(extra);
    std::fs::write(&p, text).unwrap();
    p
}

pub fn falco(cfg: &Path) -> Command {
    let mut c = Command::new(falco_bin());
    c.env("TZ", "UTC")
        .env("FALCO_HOSTNAME", "testhost")
        .arg("-c")
        .arg(cfg);
    c
}

pub fn run(c: &mut Command) -> Output {
    c.stdin(Stdio::null()).output().expect("falco runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The alert lines of stdout (everything before the exit summary).
pub fn alerts(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .take_while(|l| !l.starts_with("Events detected: "))
        .map(str::to_string)
        .collect()
}

pub fn replay(dir: &Path, extra: &str, trace_name: &str, args: &[&str]) -> Output {
    let cfg = config(dir, extra);
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(test_rules())
        .arg("-e")
        .arg(trace(trace_name))
        .args(args));
    assert!(o.status.success(), "falco failed: {}", stderr(&o));
    o
}

/// A tiny HTTP/1.1 server on 127.0.0.1: records each request (headers, body), answers 200 after
/// `delay`.
pub fn http_server(delay: Duration) -> (u16, mpsc::Receiver<(String, String)>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for conn in l.incoming() {
            let Ok(mut s) = conn else { break };
            let tx = tx.clone();
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut head = String::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                head.push_str(&line);
            }
            let len = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            let mut body = vec![0u8; len];
            let _ = r.read_exact(&mut body);
            std::thread::sleep(delay);
            let _ =
                s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            if tx
                .send((head, String::from_utf8_lossy(&body).into_owned()))
                .is_err()
            {
                break;
            }
        }
    });
    (port, rx)
}

/// A falco reading a FIFO the test writes the capture into, piece by piece.
pub struct Live {
    pub child: Child,
    pub fifo: Option<std::fs::File>,
    pub stderr_lines: mpsc::Receiver<String>,
    pub seen: Vec<String>,
    pub stdout_lines: mpsc::Receiver<String>,
    pub out: Vec<String>,
}

/// Blocks of a capture, decompressed: (offset, length, event ts when an event block).
pub fn blocks(raw: &[u8]) -> Vec<(usize, usize, Option<u64>)> {
    let mut out = Vec::new();
    let mut at = 0;
    while at + 12 <= raw.len() {
        let ty = u32::from_le_bytes(raw[at..at + 4].try_into().unwrap());
        let len = u32::from_le_bytes(raw[at + 4..at + 8].try_into().unwrap()) as usize;
        let body = &raw[at + 8..at + len - 4];
        let ts = match ty {
            0x204 | 0x216 | 0x221 => Some(u64::from_le_bytes(body[2..10].try_into().unwrap())),
            0x208 | 0x217 | 0x222 => Some(u64::from_le_bytes(body[6..14].try_into().unwrap())),
            _ => None,
        };
        out.push((at, len, ts));
        at += len;
    }
    out
}

pub fn decompressed(p: &Path) -> Vec<u8> {
    let f = std::fs::File::open(p).unwrap();
    let mut d = flate2::read::MultiGzDecoder::new(f);
    let mut v = Vec::new();
    d.read_to_end(&mut v).unwrap();
    v
}

impl Live {
    pub fn start(dir: &Path, cfg: &Path, args: &[&str]) -> Live {
        let fifo = dir.join("capture.fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let mut child = falco(cfg)
            .args(args)
            .arg("-e")
            .arg(&fifo)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let lines_of = |r: Box<dyn Read + Send>| {
            let (tx, rx) = mpsc::channel();
            std::thread::spawn(move || {
                for l in BufReader::new(r).lines().map_while(Result::ok) {
                    if tx.send(l).is_err() {
                        break;
                    }
                }
            });
            rx
        };
        let rx = lines_of(Box::new(child.stderr.take().unwrap()));
        let out_rx = lines_of(Box::new(child.stdout.take().unwrap()));
        // Opening the write end waits for falco to open the read end.
        let w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
        Live {
            child,
            fifo: Some(w),
            stderr_lines: rx,
            seen: Vec::new(),
            stdout_lines: out_rx,
            out: Vec::new(),
        }
    }

    pub fn write(&mut self, bytes: &[u8]) {
        let f = self.fifo.as_mut().unwrap();
        f.write_all(bytes).unwrap();
        f.flush().unwrap();
    }

    pub fn wait_log(&mut self, needle: &str) {
        self.wait_log_line(needle);
    }

    /// Waits for a stderr line containing `needle` and returns it.
    pub fn wait_log_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        if let Some(l) = self.seen.iter().find(|l| l.contains(needle)) {
            return l.clone();
        }
        while Instant::now() < deadline {
            if let Ok(l) = self.stderr_lines.recv_timeout(Duration::from_millis(100)) {
                let hit = l.contains(needle);
                self.seen.push(l.clone());
                if hit {
                    return l;
                }
            }
        }
        panic!("no log line with '{needle}' in {:#?}", self.seen);
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether falco still runs.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits up to `timeout` for falco to exit; its status, or None if it still runs.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                // Exited: the reader thread ends at end of file with every line sent.
                self.seen.extend(self.stderr_lines.iter());
                return Some(s);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Ends falco with SIGKILL (for tests that do not look at how it exits).
    pub fn kill(self) {
        drop(self);
    }

    /// Waits until stdout has shown `n` lines.
    pub fn wait_stdout(&mut self, n: usize) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while self.out.len() < n {
            assert!(Instant::now() < deadline, "stdout so far: {:#?}", self.out);
            if let Ok(l) = self.stdout_lines.recv_timeout(Duration::from_millis(100)) {
                self.out.push(l);
            }
        }
    }

    pub fn signal(&self, sig: i32) {
        // SAFETY: signalling our own child.
        unsafe {
            libc::kill(self.child.id() as i32, sig);
        }
    }

    pub fn finish(mut self) -> (String, Vec<String>) {
        drop(self.fifo.take());
        let status = self.child.wait().unwrap();
        let more: Vec<String> = self.stdout_lines.iter().collect();
        self.out.extend(more);
        let mut out = self.out.join("\n");
        out.push('\n');
        // Until the reader thread's end of file: after the exit its last lines may still be queued
        // behind the pipe (sighup_with_a_rules_bomb_keeps_the_old_rules lost the error's detail).
        let more: Vec<String> = self.stderr_lines.iter().collect();
        self.seen.extend(more);
        assert!(status.success(), "{:#?}", self.seen);
        (out, std::mem::take(&mut self.seen))
    }
}

impl Drop for Live {
    /// A test that fails half-way does not leave its falco running.
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The blocks of cat_write.scap before its first event (header, process and fd lists): written to
/// a FIFO, they leave falco fully started and waiting for events.
pub fn capture_head() -> Vec<u8> {
    let raw = decompressed(&trace("cat_write.scap"));
    let first_event = blocks(&raw)
        .into_iter()
        .find(|(_, _, ts)| ts.is_some())
        .unwrap()
        .0;
    raw[..first_event].to_vec()
}

/// A falco with its webserver on 127.0.0.1 (ephemeral port), started and idle on a FIFO that
/// receives no event. `extra` is appended to the configuration right after the webserver section
/// (indented lines belong to it).
pub fn serve(dir: &Path, extra: &str) -> (Live, u16) {
    let cfg = config(
        dir,
        &format!(
            "webserver:\n  enabled: true\n  listen_address: 127.0.0.1\n  listen_port: 0\n{extra}"
        ),
    );
    let mut live = Live::start(dir, &cfg, &["-r", test_rules().to_str().unwrap()]);
    live.write(&capture_head());
    let line = live.wait_log_line("listening on ");
    let port = line.rsplit(':').next().unwrap().trim().parse().unwrap();
    (live, port)
}

/// A numeric field of /proc/PID/status (`Threads`, `VmHWM` in kB, ...).
pub fn proc_status(pid: u32, key: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}:")))
        .unwrap_or_else(|| panic!("no {key} in /proc/{pid}/status"))
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// CPU time of a process in clock ticks (utime + stime of /proc/PID/stat).
pub fn cpu_ticks(pid: u32) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = &text[text.rfind(')').unwrap() + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    f[11].parse::<u64>().unwrap() + f[12].parse::<u64>().unwrap()
}

/// Clock ticks per second.
pub fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    unsafe { libc::sysconf(libc::_SC_CLK_TCK) as u64 }
}

/// Sends `request` on a new connection and reads the answer until the server closes or `timeout`
/// passes; whatever arrived (possibly nothing).
pub fn raw_http(port: u16, request: &[u8], timeout: Duration) -> String {
    let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    s.set_read_timeout(Some(timeout)).unwrap();
    s.set_write_timeout(Some(timeout)).unwrap();
    let _ = s.write_all(request);
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&got).into_owned()
}

/// GET `path` with a deadline: the status and body, or None when no complete answer came in time.
pub fn http_get_within(port: u16, path: &str, timeout: Duration) -> Option<(u16, String)> {
    let r = raw_http(
        port,
        format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        timeout,
    );
    let status = r.split_whitespace().nth(1)?.parse().ok()?;
    let body = r.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

/// One rule: every program that bash (pid 500 of the generator's world) runs.
pub const EXEC_RULES: &str = "- rule: exec\n  desc: d\n  condition: evt.type = execve and evt.dir = < and proc.pname = bash\n  output: \"exec (cmd=%proc.cmdline)\"\n  priority: WARNING\n";

/// Writes a gzip capture of the generator's world, with the events `f` adds, and a rules file
/// with [`EXEC_RULES`]; returns (capture, rules).
pub fn gen_capture(dir: &Path, f: impl FnOnce(&mut falco_gen::World)) -> (PathBuf, PathBuf) {
    let cap = dir.join("gen.scap");
    let mut w = falco_gen::World::create(&cap, true, 1).unwrap();
    f(&mut w);
    w.finish().unwrap();
    let rules = dir.join("exec.yaml");
    std::fs::write(&rules, EXEC_RULES).unwrap();
    (cap, rules)
}

/// cat_write.scap split after the event of its second alert: (head, one quiet event, rest).
pub fn cat_write_pieces() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let raw = decompressed(&trace("cat_write.scap"));
    let b = blocks(&raw);
    let second_alert_ts = 1_470_327_477_881_799_840u64;
    let i = b
        .iter()
        .rposition(|(_, _, ts)| *ts == Some(second_alert_ts))
        .unwrap();
    let split = b[i].0 + b[i].1;
    let quiet_end = b[i + 1].0 + b[i + 1].1;
    (
        raw[..split].to_vec(),
        raw[split..quiet_end].to_vec(),
        raw[quiet_end..].to_vec(),
    )
}

pub fn http_get(port: u16, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut r = String::new();
    s.read_to_string(&mut r).unwrap();
    let status = r.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = r
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

/// One Prometheus sample: name, labels, value.
pub type Sample = (String, Vec<(String, String)>, f64);

/// Parses the Prometheus text format; fails on a malformed line.
pub fn parse_prometheus(text: &str) -> Vec<Sample> {
    let mut out = Vec::new();
    let mut typed = std::collections::HashSet::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("# TYPE ") {
            let mut it = rest.split_whitespace();
            let name = it.next().unwrap();
            let kind = it.next().unwrap();
            assert!(["counter", "gauge", "untyped", "histogram", "summary"].contains(&kind));
            assert!(
                typed.insert(name.to_string()),
                "second TYPE line for {name}"
            );
            continue;
        }
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        let (series, value) = line.rsplit_once(' ').unwrap();
        let value: f64 = value
            .parse()
            .unwrap_or_else(|_| panic!("bad value: {line}"));
        let (name, labels) = match series.split_once('{') {
            Some((n, l)) => {
                let l = l.strip_suffix('}').unwrap_or_else(|| panic!("{line}"));
                let mut labels = Vec::new();
                let mut rest = l;
                while !rest.is_empty() {
                    let (k, v) = rest.split_once("=\"").unwrap_or_else(|| panic!("{line}"));
                    let mut val = String::new();
                    let mut chars = v.char_indices();
                    let mut end = None;
                    while let Some((i, c)) = chars.next() {
                        match c {
                            '\\' => {
                                let (_, e) = chars.next().unwrap();
                                val.push(if e == 'n' { '\n' } else { e });
                            }
                            '"' => {
                                end = Some(i);
                                break;
                            }
                            c => val.push(c),
                        }
                    }
                    let end = end.unwrap_or_else(|| panic!("{line}"));
                    labels.push((k.to_string(), val));
                    rest = v[end + 1..].strip_prefix(',').unwrap_or(&v[end + 1..]);
                }
                (n.to_string(), labels)
            }
            None => (series.to_string(), Vec::new()),
        };
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':'),
            "{line}"
        );
        out.push((name, labels, value));
    }
    out
}

/// What a child process used: peak RSS (the kernel's `ru_maxrss`, as VmHWM) and CPU time.
#[derive(Debug)]
pub struct Usage {
    pub success: bool,
    pub peak_rss_kb: u64,
    pub cpu: Duration,
    /// Why the watchdog ended the child, if it did.
    pub killed: Option<String>,
}

/// Runs `c` under `/usr/bin/time` (stdout and stderr to files under `dir`) and reports its peak RSS
/// and CPU time. (A child's own `wait4` figure would not do: exec records the parent's peak RSS in
/// it, so `time`, a small process, stands in between.) A watchdog ends the run with SIGKILL once
/// the child's resident memory passes `kill_rss_kb` or it runs `timeout`, so a test of a bound that
/// does not hold fails without exhausting the machine.
pub fn measure(c: &Command, dir: &Path, kill_rss_kb: u64, timeout: Duration) -> Usage {
    use std::os::unix::process::CommandExt;
    let report = dir.join("time.out");
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-f")
        .arg("%M %U %S")
        .arg("-o")
        .arg(&report)
        .arg(c.get_program())
        .args(c.get_args())
        .envs(c.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(dir.join("stdout")).unwrap())
        .stderr(std::fs::File::create(dir.join("stderr")).unwrap())
        .process_group(0);
    let mut child = timed.spawn().expect("/usr/bin/time starts");
    let pgid = child.id() as libc::pid_t;
    let started = Instant::now();
    let mut killed = None;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if killed.is_none() {
            let rss = std::fs::read_to_string(format!("/proc/{pgid}/task/{pgid}/children"))
                .ok()
                .and_then(|s| s.split_whitespace().next()?.parse::<u32>().ok())
                .and_then(|pid| std::fs::read_to_string(format!("/proc/{pid}/status")).ok())
                .and_then(|s| {
                    let l = s.lines().find(|l| l.starts_with("VmRSS:"))?;
                    l.split_whitespace().nth(1)?.parse::<u64>().ok()
                })
                .unwrap_or(0);
            let why = if rss > kill_rss_kb {
                Some(format!("resident memory reached {rss} kB"))
            } else if started.elapsed() > timeout {
                Some(format!("still running after {timeout:?}"))
            } else {
                None
            };
            if let Some(why) = why {
                // SAFETY: plain kill(2) of the process group we created.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                killed = Some(why);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = std::fs::read_to_string(&report).unwrap_or_default();
    let f: Vec<&str> = text
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    let secs =
        |i: usize| Duration::from_secs_f64(f.get(i).and_then(|v| v.parse().ok()).unwrap_or(0.0));
    Usage {
        success: killed.is_none() && status.success(),
        peak_rss_kb: f.first().and_then(|v| v.parse().ok()).unwrap_or(0),
        cpu: secs(1) + secs(2),
        killed,
    }
}

/// Many alerts on libs_curl_google.scap (one per curl mmap, close, read...).
pub const BUSY_RULES: &str = "- rule: busy\n  desc: many alerts\n  condition: evt.type in (mmap, mprotect, close, read, fstat) and evt.dir = < and proc.name = curl\n  output: \"busy %evt.type\"\n  priority: NOTICE\n";

/// A slow HTTP receiver (one answer a second) behind a queue of 2 alerts, stdout off, and
/// BUSY_RULES: most alerts are dropped by the full queue. Returns (configuration, rules, the
/// receiver's requests).
pub fn slow_http_queue(
    dir: &Path,
    extra: &str,
) -> (PathBuf, PathBuf, mpsc::Receiver<(String, String)>) {
    let (port, rx) = http_server(Duration::from_secs(1));
    let rules = dir.join("busy.yaml");
    std::fs::write(&rules, BUSY_RULES).unwrap();
    let cfg = config(
        dir,
        &format!(
            "stdout_output:\n  enabled: false\noutput_timeout: 500\noutputs_queue:\n  capacity: 2\nhttp_output:\n  enabled: true\n  url: http://127.0.0.1:{port}/\n{extra}"
        ),
    );
    (cfg, rules, rx)
}

/// Replays `capture` with `rules` and the test configuration plus `extra`; falco must succeed.
pub fn replay_with(dir: &Path, extra: &str, rules: &Path, capture: &Path, args: &[&str]) -> Output {
    let cfg = config(dir, extra);
    let o = run(falco(&cfg)
        .arg("-r")
        .arg(rules)
        .arg("-e")
        .arg(capture)
        .args(args));
    assert!(o.status.success(), "falco failed: {}", stderr(&o));
    o
}

/// A small tmpfs (a disk that fills up), unmounted when dropped. Needs root, as the VM tests do.
pub struct Tmpfs(PathBuf);

impl Tmpfs {
    pub fn mount(at: &Path, bytes: u64) -> Tmpfs {
        std::fs::create_dir_all(at).unwrap();
        let st = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(at)
            .status()
            .unwrap();
        assert!(st.success(), "mount -t tmpfs {} (needs root)", at.display());
        Tmpfs(at.to_path_buf())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// A TCP listener that accepts connections and never answers (a receiver that hangs).
pub fn stalled_http_receiver() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for c in l.incoming() {
            held.push(c);
        }
    });
    port
}

/// Whether a process exists and has not exited (a zombie has).
pub fn process_alive(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => !s[s.rfind(')').unwrap() + 2..].starts_with('Z'),
        Err(_) => false,
    }
}

/// Certificates made with the openssl command: a CA, a server certificate for 127.0.0.1, and a
/// client certificate of X.509 version 1 (what `openssl x509 -req` makes without extensions).
pub struct TestCerts {
    pub ca_cert: PathBuf,
    pub server_cert: PathBuf,
    pub server_key: PathBuf,
    pub client_v1_cert: PathBuf,
    pub client_v1_key: PathBuf,
    dir: PathBuf,
}

fn openssl(dir: &Path, args: &str) -> Vec<u8> {
    let o = Command::new("openssl")
        .args(args.split_whitespace())
        .current_dir(dir)
        .output()
        .expect("the openssl command (scripts/deps.sh installs it)");
    assert!(
        o.status.success(),
        "openssl {args}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

impl TestCerts {
    pub fn generate(dir: &Path) -> TestCerts {
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
        openssl(
            dir,
            &format!("req -x509 {ec} -keyout ca.key -out ca.crt -days 2 -subj /CN=test-ca"),
        );
        std::fs::write(
            dir.join("server.ext"),
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .unwrap();
        openssl(
            dir,
            &format!("req -new {ec} -keyout server.key -out server.csr -subj /CN=127.0.0.1"),
        );
        openssl(
            dir,
            "x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out server.crt",
        );
        openssl(
            dir,
            &format!("req -new {ec} -keyout client.key -out client.csr -subj /CN=client"),
        );
        openssl(
            dir,
            "x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 -out client.crt",
        );
        let text = String::from_utf8(openssl(dir, "x509 -in client.crt -noout -text")).unwrap();
        assert!(text.contains("Version: 1 (0x0)"), "{text}");
        TestCerts {
            ca_cert: dir.join("ca.crt"),
            server_cert: dir.join("server.crt"),
            server_key: dir.join("server.key"),
            client_v1_cert: dir.join("client.crt"),
            client_v1_key: dir.join("client.key"),
            dir: dir.to_path_buf(),
        }
    }

    /// The server's key followed by its certificate in one PEM file, as Falco's falco.pem (the
    /// webserver's ssl_certificate, the k8saudit plugin's sslCertificate).
    pub fn server_pem(&self) -> PathBuf {
        let pem = self.dir.join("falco.pem");
        let mut text = std::fs::read_to_string(&self.server_key).unwrap();
        text.push_str(&std::fs::read_to_string(&self.server_cert).unwrap());
        std::fs::write(&pem, text).unwrap();
        pem
    }

    /// The client certificate, DER.
    pub fn client_v1_der(&self) -> Vec<u8> {
        openssl(&self.dir, "x509 -in client.crt -outform DER")
    }

    /// The client certificate's public key (SubjectPublicKeyInfo, DER).
    fn client_v1_spki(&self) -> Vec<u8> {
        let pem = openssl(&self.dir, "x509 -in client.crt -noout -pubkey");
        std::fs::write(self.dir.join("client.pub"), pem).unwrap();
        openssl(&self.dir, "pkey -pubin -in client.pub -outform DER")
    }
}

/// One request a [`tls_receiver`] got.
pub struct TlsRequest {
    pub head: String,
    pub body: String,
    /// The certificate the client presented (DER).
    pub client_cert: Vec<u8>,
}

pub struct TlsReceiver {
    pub port: u16,
    pub requests: mpsc::Receiver<TlsRequest>,
}

/// Accepts exactly the test client certificate (whatever its X.509 version) and checks the
/// handshake signature against its public key; TLS 1.3 only.
#[derive(Debug)]
struct TestClientVerifier {
    spki: Vec<u8>,
    cert: Vec<u8>,
    algs: rustls::crypto::WebPkiSupportedAlgorithms,
}

impl rustls::server::danger::ClientCertVerifier for TestClientVerifier {
    fn root_hint_subjects(&self) -> &[rustls::DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _now: rustls::pki_types::UnixTime,
    ) -> Result<rustls::server::danger::ClientCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.cert.as_slice() {
            Ok(rustls::server::danger::ClientCertVerified::assertion())
        } else {
            Err(rustls::Error::General("unknown client certificate".into()))
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &rustls::pki_types::CertificateDer<'_>,
        _dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("TLS 1.3 only".into()))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        _cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        let spki = rustls::pki_types::SubjectPublicKeyInfoDer::from(self.spki.as_slice());
        rustls::crypto::verify_tls13_signature_with_raw_key(message, &spki, dss, &self.algs)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algs.supported_schemes()
    }
}

/// An HTTPS receiver on 127.0.0.1 that requires the test client certificate: records each request
/// and answers 200.
pub fn tls_receiver(certs: &TestCerts) -> TlsReceiver {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use std::sync::Arc;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = TestClientVerifier {
        spki: certs.client_v1_spki(),
        cert: certs.client_v1_der(),
        algs: provider.signature_verification_algorithms,
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&certs.server_cert)
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(&certs.server_key).unwrap();
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .unwrap()
            .with_client_cert_verifier(Arc::new(verifier))
            .with_single_cert(chain, key)
            .unwrap(),
    );
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for tcp in l.incoming() {
            let Ok(tcp) = tcp else { break };
            let conn = rustls::ServerConnection::new(config.clone()).unwrap();
            let mut tls = rustls::StreamOwned::new(conn, tcp);
            // Requests on this connection until the client closes it.
            while let Some((head, body)) = read_http_request(&mut tls) {
                let client_cert = tls
                    .conn
                    .peer_certificates()
                    .and_then(|c| c.first())
                    .map(|c| c.as_ref().to_vec())
                    .unwrap_or_default();
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                let _ = tls.flush();
                if tx
                    .send(TlsRequest {
                        head,
                        body,
                        client_cert,
                    })
                    .is_err()
                {
                    return;
                }
            }
        }
    });
    TlsReceiver { port, requests: rx }
}

/// Reads one HTTP/1.1 request (head and Content-Length body) from a stream.
fn read_http_request(s: &mut impl Read) -> Option<(String, String)> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if s.read(&mut byte).ok()? == 0 {
            return None;
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).ok()?;
    Some((head, String::from_utf8_lossy(&body).into_owned()))
}

/// GET `path` over HTTPS from 127.0.0.1:`port`, trusting the certificates of `ca` (PEM).
pub fn https_get(port: u16, ca: &Path, path: &str) -> (u16, String) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    https_request(port, ca, request.as_bytes())
}

/// Sends `request` (a whole HTTP/1.1 request that closes the connection) over HTTPS to
/// 127.0.0.1:`port`, trusting the certificates of `ca` (PEM): the response's status and body.
pub fn https_request(port: u16, ca: &Path, request: &[u8]) -> (u16, String) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    use std::sync::Arc;
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let name = ServerName::try_from("127.0.0.1").unwrap();
    let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    tls.write_all(request).unwrap();
    let mut r = Vec::new();
    // A TLS peer that closes without close_notify is an error after the data; keep what came.
    let _ = tls.read_to_end(&mut r);
    let r = String::from_utf8_lossy(&r).into_owned();
    let status = r.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = r.split_once("\r\n\r\n").unwrap().1.to_string();
    (status, body)
}

/// Falco's stock falco.yaml of `version` (0.40.0 or 0.44.1), from the shared upstream material.
pub fn stock_config(version: &str) -> PathBuf {
    repo().join(format!("../shared/upstream/config/falco-{version}.yaml"))
}

/// A running falco with its webserver on an ephemeral port of 127.0.0.1; stderr lines are
/// collected in the background.
pub struct Served {
    pub child: Child,
    pub port: u16,
    pub log: mpsc::Receiver<String>,
}

/// Options that serve the webserver on an ephemeral port of 127.0.0.1.
pub const WEBSERVER_ON_LOOPBACK: &[&str] = &[
    "-o",
    "webserver.enabled=true",
    "-o",
    "webserver.listen_address=127.0.0.1",
    "-o",
    "webserver.listen_port=0",
];

/// Options that add Prometheus /metrics to the webserver.
pub const PROMETHEUS: &[&str] = &[
    "-o",
    "webserver.prometheus_metrics_enabled=true",
    "-o",
    "metrics.enabled=true",
];

impl Served {
    /// Starts `falco -c cfg ARGS` with the webserver forced on 127.0.0.1:0, and waits for the
    /// port it logs.
    pub fn start(cfg: &Path, args: &[&str]) -> Served {
        let mut child = falco(cfg)
            .args(WEBSERVER_ON_LOOPBACK)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for l in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(l).is_err() {
                    break;
                }
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = Vec::new();
        let port = loop {
            assert!(Instant::now() < deadline, "no webserver port in {seen:#?}");
            if let Ok(l) = rx.recv_timeout(Duration::from_millis(100)) {
                if let Some(addr) = l.split("listening on ").nth(1) {
                    break addr.rsplit(':').next().unwrap().trim().parse().unwrap();
                }
                seen.push(l);
            }
        };
        Served {
            child,
            port,
            log: rx,
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Event timestamps of a capture, in file order.
pub fn event_times(p: &Path) -> Vec<u64> {
    blocks(&decompressed(p))
        .into_iter()
        .filter_map(|(_, _, ts)| ts)
        .collect()
}

/// One field as `falco --list` shows it.
#[derive(Debug, Clone)]
pub struct ListedField {
    /// The `Field Class:` line it is listed under.
    pub class: String,
    /// Its type: the `(Type: X)` of the description.
    pub ty: String,
    /// The tags shown before the description (`EPF_IS_LIST`, `ARG_REQUIRED`...), sorted.
    pub tags: Vec<String>,
}

/// The fields of a `falco --list` text listing, by name.
pub fn field_listing(text: &str) -> std::collections::BTreeMap<String, ListedField> {
    let mut out = std::collections::BTreeMap::new();
    let mut class = String::new();
    let mut pending: Option<String> = None;
    for line in text.lines() {
        if let Some(c) = line.strip_prefix("Field Class:") {
            class = c.trim().to_string();
            continue;
        }
        // A field line starts with its name; a name of 30 characters or more has its type on the
        // next line.
        let (name, rest) = match (line.starts_with(' '), pending.take()) {
            (true, Some(name)) => (name, line.trim_start()),
            (true, None) => continue,
            (false, _) => {
                let name = line.split_whitespace().next().unwrap_or("");
                if !name.contains('.') || name.ends_with(':') {
                    continue;
                }
                let rest = line[name.len()..].trim_start();
                if rest.is_empty() {
                    pending = Some(name.to_string());
                    continue;
                }
                (name.to_string(), rest)
            }
        };
        let Some((ty, after)) = rest.strip_prefix("(Type: ").and_then(|r| r.split_once(')')) else {
            continue;
        };
        // Tags are upper-case words in parentheses right after the type.
        let mut tags: Vec<String> = after
            .trim_start()
            .strip_prefix('(')
            .and_then(|r| r.split_once(')'))
            .map(|(t, _)| t)
            .filter(|t| {
                t.chars()
                    .all(|c| c.is_ascii_uppercase() || c == '_' || c == ',')
            })
            .map(|t| t.split(',').map(str::to_string).collect())
            .unwrap_or_default();
        tags.sort();
        out.insert(
            name,
            ListedField {
                class: class.clone(),
                ty: ty.to_string(),
                tags,
            },
        );
    }
    out
}
