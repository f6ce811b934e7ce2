//! The running machine, for live capture: what a capture file's header would say about it (machine
//! info, network interfaces, users and groups), read from a host root (`/`, or `/host` when falco
//! runs in a container with the host's filesystem mounted there, as `HOST_ROOT` says).

use std::fs;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;

use super::proc_scan::ScanStats;
use super::{State, UserTable};
use crate::scap::{Interface, MachineInfo};

/// Machine info from `root`'s /proc: CPUs, memory, pid_max, hostname, boot time.
pub fn machine_info(root: &Path) -> MachineInfo {
    let proc = root.join("proc");
    let num_cpus = fs::read_to_string(proc.join("stat"))
        .map(|s| {
            s.lines()
                .filter(|l| {
                    l.starts_with("cpu") && l.as_bytes().get(3).is_some_and(u8::is_ascii_digit)
                })
                .count() as u32
        })
        .unwrap_or(0)
        .max(1);
    let memory_bytes = fs::read_to_string(proc.join("meminfo"))
        .ok()
        .and_then(|s| {
            let l = s.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kb: u64 = l.split_whitespace().nth(1)?.parse().ok()?;
            Some(kb * 1024)
        })
        .unwrap_or(0);
    let max_pid = fs::read_to_string(proc.join("sys/kernel/pid_max"))
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(32768);
    let hostname = fs::read_to_string(proc.join("sys/kernel/hostname"))
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    // Boot time in ns since the epoch: "btime" in /proc/stat has second resolution, enough for
    // proc.pid.ts-style arithmetic done by readers.
    let boot_ts = fs::read_to_string(proc.join("stat"))
        .ok()
        .and_then(|s| {
            let l = s.lines().find(|l| l.starts_with("btime "))?;
            l[6..].trim().parse::<u64>().ok()
        })
        .map(|s| s * 1_000_000_000)
        .unwrap_or(0);
    MachineInfo {
        num_cpus,
        memory_bytes,
        max_pid,
        hostname,
        boot_ts,
        flags: 0,
    }
}

fn hex_u32_le(s: &str) -> Option<u32> {
    u32::from_str_radix(s, 16).ok()
}

/// IPv4 interfaces from /proc/net/fib_trie's local routes, plus IPv6 ones from /proc/net/if_inet6.
/// (The same list getifaddrs gives for addresses, without needing the netlink socket, so it also
/// works on a mounted host root.)
pub fn interfaces(root: &Path) -> Vec<Interface> {
    let net = root.join("proc/net");
    let mut out = Vec::new();
    // Interface names for IPv4 addresses: /proc/net/route maps interface -> destination/mask.
    let routes: Vec<(String, u32, u32)> = fs::read_to_string(net.join("route"))
        .map(|s| {
            s.lines()
                .skip(1)
                .filter_map(|l| {
                    let f: Vec<&str> = l.split_whitespace().collect();
                    Some((
                        f.first()?.to_string(),
                        hex_u32_le(f.get(1)?)?,
                        hex_u32_le(f.get(7)?)?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    if let Ok(trie) = fs::read_to_string(net.join("fib_trie")) {
        // Local addresses appear as "|-- A.B.C.D" followed by "/32 host LOCAL".
        let lines: Vec<&str> = trie.lines().collect();
        let mut seen: Vec<Ipv4Addr> = Vec::new();
        for w in lines.windows(2) {
            let (a, b) = (w[0].trim(), w[1].trim());
            let Some(addr) = a
                .strip_prefix("|-- ")
                .and_then(|s| s.parse::<Ipv4Addr>().ok())
            else {
                continue;
            };
            if !b.contains("host LOCAL") || seen.contains(&addr) {
                continue;
            }
            seen.push(addr);
            let raw = u32::from_le_bytes(addr.octets());
            let (name, mask) = if addr.is_loopback() {
                ("lo".to_string(), u32::from_le_bytes([255, 0, 0, 0]))
            } else {
                routes
                    .iter()
                    .filter(|(_, dst, m)| *m != 0 && raw & m == *dst)
                    .max_by_key(|(_, _, m)| m.count_ones())
                    .map(|(n, _, m)| (n.clone(), *m))
                    .unwrap_or_default()
            };
            let bcast = raw | !mask;
            out.push(Interface {
                name,
                addr: IpAddr::V4(addr),
                netmask: IpAddr::V4(Ipv4Addr::from(mask.to_le_bytes())),
                bcast: IpAddr::V4(Ipv4Addr::from(bcast.to_le_bytes())),
                linkspeed: 0,
            });
        }
    }
    if let Ok(s) = fs::read_to_string(net.join("if_inet6")) {
        for l in s.lines() {
            let f: Vec<&str> = l.split_whitespace().collect();
            if f.len() < 6 || f[0].len() != 32 {
                continue;
            }
            let Ok(v) = u128::from_str_radix(f[0], 16) else {
                continue;
            };
            let plen = u32::from_str_radix(f[2], 16).unwrap_or(128).min(128);
            let mask = if plen == 0 {
                0
            } else {
                u128::MAX << (128 - plen)
            };
            out.push(Interface {
                name: f[5].to_string(),
                addr: IpAddr::V6(Ipv6Addr::from(v)),
                netmask: IpAddr::V6(Ipv6Addr::from(mask)),
                bcast: IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                linkspeed: 0,
            });
        }
    }
    out
}

/// Threads to forget when live events can no longer be trusted to say so: see
/// [`State::sweep_exited_threads`].
#[derive(Debug, Default)]
pub struct ExitSweep {
    /// Threads absent from /proc at the previous sweep.
    suspects: Vec<i64>,
}

impl State {
    /// Forgets threads that exited without their procexit event reaching us (the probe dropped it
    /// when its ring was full), so the thread table follows the machine rather than filling up.
    /// A thread goes only when two sweeps in a row found no `proc_root/TID`: in between, the events
    /// it wrote before exiting have been read (the rings hold seconds of events, sweeps are tens of
    /// seconds apart), and a thread whose procexit did arrive is already gone. Returns how many
    /// threads went.
    pub fn sweep_exited_threads(&mut self, proc_root: &Path, sweep: &mut ExitSweep) -> usize {
        let mut absent: Vec<i64> = self
            .threads
            .iter()
            .map(|t| t.tid)
            .filter(|tid| *tid > 0 && !proc_root.join(tid.to_string()).exists())
            .collect();
        absent.sort_unstable();
        let mut removed = 0;
        for tid in &absent {
            if sweep.suspects.binary_search(tid).is_ok() {
                self.remove_thread(*tid);
                removed += 1;
            }
        }
        absent.retain(|tid| self.threads.contains(*tid));
        sweep.suspects = absent;
        removed
    }

    /// Everything live capture knows before its first event: machine, interfaces, users and
    /// groups, and every thread and open fd under `root`/proc.
    pub fn seed_from_host(&mut self, root: &Path) -> ScanStats {
        self.machine = machine_info(root);
        self.interfaces = interfaces(root);
        self.interfaces.truncate(super::limits::MAX_INTERFACES);
        self.users = UserTable::load_host(root);
        self.seed_from_proc(&root.join("proc"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_machine() {
        let m = machine_info(Path::new("/"));
        assert!(m.num_cpus >= 1);
        assert!(m.memory_bytes > 0);
        assert!(m.boot_ts > 0);
        let ifs = interfaces(Path::new("/"));
        // Every Linux network namespace has a loopback address.
        assert!(
            ifs.iter()
                .any(|i| i.addr == IpAddr::V4(Ipv4Addr::LOCALHOST) && i.name == "lo"),
            "{ifs:?}"
        );
    }

    #[test]
    fn threads_absent_from_proc_twice_are_forgotten() {
        use crate::state::ThreadInfo;
        let proc = std::env::temp_dir().join(format!("falco-sweep-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&proc);
        for tid in [100, 101] {
            std::fs::create_dir_all(proc.join(tid.to_string())).unwrap();
        }
        let mut s = State::default();
        for tid in [100, 101, 102] {
            s.add_thread(ThreadInfo::unknown(tid));
        }
        let mut sweep = ExitSweep::default();
        // First sweep: 102 becomes a suspect, nothing goes.
        assert_eq!(s.sweep_exited_threads(&proc, &mut sweep), 0);
        assert!(s.threads.contains(102));
        // 101 exits meanwhile; a new thread 103 arrives and is gone already.
        std::fs::remove_dir(proc.join("101")).unwrap();
        s.add_thread(ThreadInfo::unknown(103));
        assert_eq!(s.sweep_exited_threads(&proc, &mut sweep), 1);
        assert!(!s.threads.contains(102));
        assert!(s.threads.contains(101) && s.threads.contains(103));
        assert_eq!(s.sweep_exited_threads(&proc, &mut sweep), 2);
        assert_eq!(s.threads.len(), 1);
        let _ = std::fs::remove_dir_all(&proc);
    }

    #[test]
    fn a_missing_root_gives_defaults() {
        let m = machine_info(Path::new("/nonexistent"));
        assert_eq!(m.num_cpus, 1);
        assert!(interfaces(Path::new("/nonexistent")).is_empty());
    }
}
