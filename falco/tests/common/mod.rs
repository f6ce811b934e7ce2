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

/// The alert lines of stdout (everything before the drop monitoring block).
pub fn alerts(o: &Output) -> Vec<String> {
    stdout(o)
        .lines()
        .take_while(|l| !l.starts_with("Syscall event drop monitoring:"))
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
        let deadline = Instant::now() + Duration::from_secs(20);
        if self.seen.iter().any(|l| l.contains(needle)) {
            return;
        }
        while Instant::now() < deadline {
            if let Ok(l) = self.stderr_lines.recv_timeout(Duration::from_millis(100)) {
                let hit = l.contains(needle);
                self.seen.push(l);
                if hit {
                    return;
                }
            }
        }
        panic!("no log line with '{needle}' in {:#?}", self.seen);
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
        self.out.extend(self.stdout_lines.iter());
        let mut out = self.out.join("\n");
        out.push('\n');
        self.seen.extend(self.stderr_lines.try_iter());
        assert!(status.success(), "{:#?}", self.seen);
        (out, self.seen)
    }
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
