//! Seeds the state from a live /proc before capture starts: every thread with its lineage, command
//! line, credentials, cgroups, and every process's open fds (files, sockets with their tuples, pipes).
//! Events then keep it current. Under a container, pass the host's /proc (e.g. /host/proc).

use std::collections::HashMap;
use std::fs;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use super::fds::{FdInfo, FdType, IpTuple, L4Proto, SocketRole};
use super::limits::MAX_ENV_BYTES;
use super::threads::ThreadInfo;
use super::{NulList, State};

/// What a socket inode is, from /proc/net.
#[derive(Debug, Clone)]
enum NetSock {
    Ip {
        l4: L4Proto,
        local: (IpAddr, u16),
        remote: (IpAddr, u16),
        listening: bool,
    },
    Unix {
        path: String,
    },
}

/// Counts of what a scan found, for logs.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ScanStats {
    pub threads: usize,
    pub fds: usize,
    /// Entries that vanished or could not be read while scanning (processes exit meanwhile).
    pub skipped: usize,
}

fn read_trim(p: &Path) -> Option<String> {
    fs::read_to_string(p)
        .ok()
        .map(|s| s.trim_end_matches('\n').to_string())
}

fn nul_list(b: &[u8]) -> NulList {
    super::threads::split_nul(b)
}

/// Parses `/proc/net/{tcp,udp,raw}{,6}` address fields: `0100007F:1F90` (IPv4 as a little-endian
/// u32) or 32 hex digits (IPv6 as four little-endian u32 words).
fn parse_addr(s: &str) -> Option<(IpAddr, u16)> {
    let (ip, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(
            u32::from_str_radix(ip, 16).ok()?.to_le_bytes(),
        )),
        32 => {
            let mut b = [0u8; 16];
            for w in 0..4 {
                let word = u32::from_str_radix(&ip[w * 8..w * 8 + 8], 16).ok()?;
                b[w * 4..w * 4 + 4].copy_from_slice(&word.to_le_bytes());
            }
            let v6 = Ipv6Addr::from(b);
            match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            }
        }
        _ => return None,
    };
    Some((ip, port))
}

fn scan_net(proc_root: &Path) -> HashMap<u64, NetSock> {
    let mut out = HashMap::new();
    for (file, l4) in [
        ("tcp", L4Proto::Tcp),
        ("tcp6", L4Proto::Tcp),
        ("udp", L4Proto::Udp),
        ("udp6", L4Proto::Udp),
        ("raw", L4Proto::Raw),
        ("raw6", L4Proto::Raw),
    ] {
        let Ok(text) = fs::read_to_string(proc_root.join("net").join(file)) else {
            continue;
        };
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 {
                continue;
            }
            let (Some(local), Some(remote), Ok(inode)) =
                (parse_addr(f[1]), parse_addr(f[2]), f[9].parse::<u64>())
            else {
                continue;
            };
            // TCP state 0A is LISTEN; an unconnected UDP socket has no remote port.
            let listening =
                (l4 == L4Proto::Tcp && f[3] == "0A") || (l4 == L4Proto::Udp && remote.1 == 0);
            out.insert(
                inode,
                NetSock::Ip {
                    l4,
                    local,
                    remote,
                    listening,
                },
            );
        }
    }
    if let Ok(text) = fs::read_to_string(proc_root.join("net/unix")) {
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 7 {
                continue;
            }
            if let Ok(inode) = f[6].parse::<u64>() {
                out.insert(
                    inode,
                    NetSock::Unix {
                        path: f.get(7).unwrap_or(&"").to_string(),
                    },
                );
            }
        }
    }
    out
}

/// Linux open flags (octal in /proc/PID/fdinfo) → the driver's PPM_O_* encoding.
pub fn ppm_open_flags(linux: u32) -> u32 {
    let mut f = match linux & 0o3 {
        0 => 1, // O_RDONLY
        1 => 2, // O_WRONLY
        _ => 3, // O_RDWR
    };
    let map = [
        (0o100, 1 << 2),      // O_CREAT
        (0o2000, 1 << 3),     // O_APPEND
        (0o10000, 1 << 4),    // O_DSYNC
        (0o200, 1 << 5),      // O_EXCL
        (0o4000, 1 << 6),     // O_NONBLOCK
        (0o4010000, 1 << 7),  // O_SYNC
        (0o1000, 1 << 8),     // O_TRUNC
        (0o40000, 1 << 9),    // O_DIRECT
        (0o200000, 1 << 10),  // O_DIRECTORY
        (0o100000, 1 << 11),  // O_LARGEFILE
        (0o2000000, 1 << 12), // O_CLOEXEC
    ];
    for (l, p) in map {
        if linux & l == l {
            f |= p;
        }
    }
    f
}

fn fd_info(
    proc_pid: &Path,
    fd: i64,
    net: &HashMap<u64, NetSock>,
    listening_ports: &[(IpAddr, u16)],
) -> Option<FdInfo> {
    let link = fs::read_link(proc_pid.join("fd").join(fd.to_string())).ok()?;
    let target = link.to_string_lossy().to_string();
    let fdinfo =
        fs::read_to_string(proc_pid.join("fdinfo").join(fd.to_string())).unwrap_or_default();
    let flags = fdinfo
        .lines()
        .find_map(|l| l.strip_prefix("flags:"))
        .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        .map(ppm_open_flags)
        .unwrap_or(0);
    let ino = fdinfo
        .lines()
        .find_map(|l| l.strip_prefix("ino:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let bracket = |prefix: &str| -> Option<u64> {
        target.strip_prefix(prefix)?.strip_suffix(']')?.parse().ok()
    };
    let mut fi = if let Some(inode) = bracket("socket:[") {
        match net.get(&inode) {
            Some(NetSock::Ip {
                l4,
                local,
                remote,
                listening,
            }) => {
                let v6 = local.0.is_ipv6();
                let mut fi = FdInfo {
                    l4proto: *l4,
                    ..FdInfo::default()
                };
                if *listening {
                    fi.kind = if v6 {
                        FdType::Ipv6ServSock
                    } else {
                        FdType::Ipv4ServSock
                    };
                    fi.tuple = Some(IpTuple {
                        sip: remote.0,
                        sport: 0,
                        dip: local.0,
                        dport: local.1,
                    });
                    fi.name = format!("{}:{}", local.0, local.1);
                    fi.role = SocketRole::Server;
                } else {
                    fi.kind = if v6 {
                        FdType::Ipv6Sock
                    } else {
                        FdType::Ipv4Sock
                    };
                    // The side whose local port is a listening port is the server.
                    let server = listening_ports
                        .iter()
                        .any(|(ip, p)| *p == local.1 && (ip.is_unspecified() || *ip == local.0));
                    let t = if server {
                        IpTuple {
                            sip: remote.0,
                            sport: remote.1,
                            dip: local.0,
                            dport: local.1,
                        }
                    } else {
                        IpTuple {
                            sip: local.0,
                            sport: local.1,
                            dip: remote.0,
                            dport: remote.1,
                        }
                    };
                    fi.set_tuple(t);
                    fi.role = if server {
                        SocketRole::Server
                    } else {
                        SocketRole::Client
                    };
                    fi.connected = true;
                }
                fi
            }
            Some(NetSock::Unix { path }) => FdInfo::named(FdType::UnixSock, path.clone()),
            None => FdInfo::named(FdType::Unknown, ""),
        }
    } else if bracket("pipe:[").is_some() {
        FdInfo::named(FdType::Fifo, "")
    } else if let Some(kind) = target.strip_prefix("anon_inode:") {
        let t = match kind.trim_matches(|c| c == '[' || c == ']') {
            "eventfd" => FdType::Event,
            "signalfd" => FdType::SignalFd,
            "eventpoll" => FdType::EventPoll,
            "inotify" => FdType::Inotify,
            "timerfd" => FdType::TimerFd,
            "bpf-map" | "bpf-prog" | "bpf_link" => FdType::Bpf,
            "userfaultfd" => FdType::UserFaultFd,
            "io_uring" => FdType::IoUring,
            "pidfd" => FdType::PidFd,
            _ => FdType::Unknown,
        };
        FdInfo::named(t, "")
    } else if let Some(name) = target.strip_prefix("/memfd:") {
        FdInfo::named(FdType::MemFd, format!("memfd:{name}"))
    } else if target.starts_with('/') {
        let dir = flags & (1 << 10) != 0 || fs::metadata(&link).is_ok_and(|m| m.is_dir());
        let mut fi = FdInfo::named(
            if dir { FdType::Directory } else { FdType::File },
            target.clone(),
        );
        fi.open_flags = flags;
        fi
    } else {
        FdInfo::named(FdType::Unknown, target.clone())
    };
    fi.ino = ino;
    Some(fi)
}

/// Fields of /proc/PID/task/TID/stat after the comm (which may contain spaces and parentheses).
fn stat_fields(path: &Path) -> Option<Vec<String>> {
    let s = fs::read_to_string(path).ok()?;
    let close = s.rfind(')')?;
    Some(
        s[close + 1..]
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    )
}

fn status_value<'a>(status: &'a str, key: &str) -> Option<&'a str> {
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .map(str::trim)
}

fn read_thread(proc_pid: &Path, task: &Path, pid: i64, tid: i64) -> Option<ThreadInfo> {
    let status = fs::read_to_string(task.join("status")).ok()?;
    let mut t = ThreadInfo::unknown(tid);
    t.pid = pid;
    t.comm = read_trim(&task.join("comm")).unwrap_or_default();
    t.ptid = status_value(&status, "PPid:")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    if tid != pid {
        // A thread's parent is its process's parent.
        t.ptid = t.ptid.max(0);
    }
    let ids = |key: &str| -> Vec<u32> {
        status_value(&status, key)
            .map(|v| {
                v.split_whitespace()
                    .filter_map(|x| x.parse().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    // The effective ids are what falco reports as user.uid / group.gid.
    t.uid = ids("Uid:").get(1).copied().unwrap_or(u32::MAX);
    t.gid = ids("Gid:").get(1).copied().unwrap_or(u32::MAX);
    let last = |key: &str| -> Option<i64> {
        status_value(&status, key)?
            .split_whitespace()
            .last()?
            .parse()
            .ok()
    };
    t.vpid = last("NStgid:").unwrap_or(pid);
    t.vtid = last("NSpid:").unwrap_or(tid);
    let cmdline = fs::read(proc_pid.join("cmdline")).unwrap_or_default();
    let mut args = nul_list(&cmdline);
    t.exe = args.take_first().unwrap_or_else(|| t.comm.clone());
    t.args = args;
    t.exepath = fs::read_link(proc_pid.join("exe"))
        .map(|p| p.to_string_lossy().to_string())
        .unwrap_or_default();
    t.cwd = fs::read_link(task.join("cwd"))
        .map(|p| {
            let mut s = p.to_string_lossy().to_string();
            if !s.ends_with('/') {
                s.push('/');
            }
            s
        })
        .unwrap_or_default();
    t.env = NulList::from_raw(
        &fs::read(proc_pid.join("environ")).unwrap_or_default(),
        MAX_ENV_BYTES,
    );
    let cg = fs::read_to_string(task.join("cgroup")).unwrap_or_default();
    let mut raw = Vec::new();
    for line in cg.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, ctrls, path) = (
            parts.next(),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        // cgroup v2 has one unified hierarchy: report it for the usual controllers, as the drivers do.
        let names: Vec<&str> = if ctrls.is_empty() {
            vec!["cpuset", "cpu", "io", "memory", "pids"]
        } else {
            ctrls.split(',').collect()
        };
        for n in names {
            raw.extend_from_slice(format!("{n}={path}\0").as_bytes());
        }
    }
    t.set_cgroups(&raw);
    t.loginuid = read_trim(&proc_pid.join("loginuid"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(u32::MAX);
    if let Some(st) = stat_fields(&task.join("stat")) {
        // stat(5): state ppid pgrp session tty_nr ...
        t.vpgid = st.get(2).and_then(|v| v.parse().ok()).unwrap_or(-1);
        t.sid = st.get(3).and_then(|v| v.parse().ok()).unwrap_or(-1);
        t.tty = st.get(4).and_then(|v| v.parse().ok()).unwrap_or(0);
    }
    if let Ok(limits) = fs::read_to_string(proc_pid.join("limits")) {
        t.fdlimit = limits
            .lines()
            .find(|l| l.starts_with("Max open files"))
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
    }
    t.incomplete = false;
    Some(t)
}

impl State {
    /// Adds every thread and open fd found under `proc_root` (normally /proc). Processes that exit
    /// while scanning are skipped.
    pub fn seed_from_proc(&mut self, proc_root: &Path) -> ScanStats {
        let mut stats = ScanStats::default();
        let net = scan_net(proc_root);
        let listening: Vec<(IpAddr, u16)> = net
            .values()
            .filter_map(|s| match s {
                NetSock::Ip {
                    local,
                    listening: true,
                    ..
                } => Some(*local),
                _ => None,
            })
            .collect();
        let Ok(dir) = fs::read_dir(proc_root) else {
            return stats;
        };
        let mut pids: Vec<i64> = dir
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
            .collect();
        pids.sort_unstable();
        for pid in pids {
            let proc_pid: PathBuf = proc_root.join(pid.to_string());
            let tasks: Vec<i64> = match fs::read_dir(proc_pid.join("task")) {
                Ok(d) => d
                    .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                    .collect(),
                Err(_) => {
                    stats.skipped += 1;
                    continue;
                }
            };
            for tid in tasks {
                match read_thread(
                    &proc_pid,
                    &proc_pid.join("task").join(tid.to_string()),
                    pid,
                    tid,
                ) {
                    Some(t) => {
                        self.add_thread(t);
                        stats.threads += 1;
                    }
                    None => stats.skipped += 1,
                }
            }
            if let Ok(fds) = fs::read_dir(proc_pid.join("fd")) {
                for e in fds.flatten() {
                    // Past the per-process limit fds are only counted, not read.
                    if self.threads.get(pid).is_some_and(|t| t.fds.is_full()) {
                        self.drops.fds += 1;
                        continue;
                    }
                    let Some(fd) = e.file_name().to_str().and_then(|s| s.parse::<i64>().ok())
                    else {
                        continue;
                    };
                    if let Some(fi) = fd_info(&proc_pid, fd, &net, &listening) {
                        self.add_fd(pid, fd, fi);
                        stats.fds += 1;
                    }
                }
            }
        }
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_proc_net_addresses() {
        assert_eq!(
            parse_addr("0100007F:1F90"),
            Some((IpAddr::V4(Ipv4Addr::LOCALHOST), 8080))
        );
        assert_eq!(
            parse_addr("00000000000000000000000001000000:0016"),
            Some((IpAddr::V6(Ipv6Addr::LOCALHOST), 22))
        );
        assert_eq!(
            parse_addr("0000000000000000FFFF00000100007F:0050"),
            Some((IpAddr::V4(Ipv4Addr::LOCALHOST), 80))
        );
        assert_eq!(parse_addr("zz:1"), None);
    }

    #[test]
    fn open_flags_convert() {
        assert_eq!(ppm_open_flags(0), 1);
        assert_eq!(ppm_open_flags(0o2000001), 2 | (1 << 12));
        assert_eq!(ppm_open_flags(0o1102), 3 | (1 << 2) | (1 << 8));
    }

    /// The scan finds this very test process, its command line and its open files.
    #[test]
    fn scans_the_live_system() {
        let f = std::fs::File::open("/etc/hostname")
            .or_else(|_| std::fs::File::open("/etc/passwd"))
            .unwrap();
        let mut s = State::default();
        let stats = s.seed_from_proc(Path::new("/proc"));
        assert!(stats.threads > 1 && stats.fds > 3, "{stats:?}");
        let me = std::process::id() as i64;
        let t = s.thread(me).expect("this process is in the table");
        assert!(!t.exepath.is_empty());
        assert!(t.cwd.ends_with('/'));
        let names: Vec<String> = t.fds.iter().map(|(_, f)| f.name.clone()).collect();
        assert!(
            names
                .iter()
                .any(|n| n == "/etc/hostname" || n == "/etc/passwd"),
            "{names:?}"
        );
        drop(f);
    }
}
