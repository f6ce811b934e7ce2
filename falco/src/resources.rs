//! Resource utilization as Falco's metrics report it: this process's CPU share and memory, and
//! the host's CPU, memory, running processes and open files (read under HOST_ROOT in a container).

use std::path::PathBuf;

/// One reading.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Resources {
    /// CPU time of falco over its lifetime, in percent of one CPU.
    pub cpu_usage_perc: f64,
    pub memory_rss_kb: u64,
    pub memory_vsz_kb: u64,
    pub memory_pss_kb: u64,
    /// The memory charged to falco's cgroup (its container), bytes.
    pub container_memory_used_bytes: u64,
    /// Busy share of the host's CPU time since boot, in percent.
    pub host_cpu_usage_perc: f64,
    pub host_memory_used_kb: u64,
    pub host_procs_running: u64,
    pub host_open_fds: u64,
    /// Boot time, ns since the epoch.
    pub host_boot_ts: u64,
}

fn host_path(p: &str) -> PathBuf {
    match std::env::var_os("HOST_ROOT") {
        Some(r) if !r.is_empty() => PathBuf::from(r).join(p.trim_start_matches('/')),
        _ => PathBuf::from(p),
    }
}

fn read(p: impl AsRef<std::path::Path>) -> String {
    std::fs::read_to_string(p).unwrap_or_default()
}

/// The number after `key` in a `Key: value kB` style file.
fn field(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|r| r.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn clock_ticks() -> f64 {
    // SAFETY: sysconf has no preconditions.
    (unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).max(1) as f64
}

/// Seconds since boot.
fn uptime() -> f64 {
    read(host_path("/proc/uptime"))
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// (CPU seconds used, seconds since this process started).
fn own_cpu() -> (f64, f64) {
    let s = read("/proc/self/stat");
    // Fields after the command name (which may contain spaces) start after the last ')'.
    let Some(rest) = s.rsplit_once(')').map(|r| r.1) else {
        return (0.0, 0.0);
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let num = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let hz = clock_ticks();
    // utime, stime and starttime are fields 14, 15 and 22 of stat(5): here 11, 12 and 19.
    let cpu = (num(11) + num(12)) / hz;
    let own_uptime = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|u| u.split_whitespace().next()?.parse::<f64>().ok())
        .unwrap_or(0.0);
    (cpu, (own_uptime - num(19) / hz).max(0.0))
}

pub fn num_cpus() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn cgroup_memory() -> u64 {
    // cgroup v2: the process's own cgroup; v1: the memory controller's.
    let cg = read("/proc/self/cgroup");
    for line in cg.lines() {
        let mut parts = line.splitn(3, ':');
        let (_, ctrl, path) = (parts.next(), parts.next(), parts.next());
        let path = path.unwrap_or("/");
        let file = match ctrl {
            Some("") => format!("/sys/fs/cgroup{path}/memory.current"),
            Some(c) if c.split(',').any(|x| x == "memory") => {
                format!("/sys/fs/cgroup/memory{path}/memory.usage_in_bytes")
            }
            _ => continue,
        };
        if file.contains("..") {
            continue;
        }
        if let Ok(v) = read(&file).trim().parse() {
            return v;
        }
    }
    0
}

/// Reads everything now.
pub fn read_all() -> Resources {
    let status = read("/proc/self/status");
    let (cpu, alive) = own_cpu();
    let meminfo = read(host_path("/proc/meminfo"));
    let stat = read(host_path("/proc/stat"));
    let host_cpu = stat
        .lines()
        .find_map(|l| l.strip_prefix("cpu "))
        .map(|r| {
            let v: Vec<f64> = r
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            let total: f64 = v.iter().sum();
            // idle and iowait are fields 4 and 5.
            let idle = v.get(3).copied().unwrap_or(0.0) + v.get(4).copied().unwrap_or(0.0);
            if total > 0.0 {
                100.0 * (total - idle) / total
            } else {
                0.0
            }
        })
        .unwrap_or(0.0);
    let btime = field(&stat, "btime ");
    let boot_ts = if btime > 0 {
        btime * 1_000_000_000
    } else {
        let now = crate::stats::now_ns();
        now.saturating_sub((uptime() * 1e9) as u64)
    };
    Resources {
        cpu_usage_perc: if alive > 0.0 {
            100.0 * cpu / alive
        } else {
            0.0
        },
        memory_rss_kb: field(&status, "VmRSS:"),
        memory_vsz_kb: field(&status, "VmSize:"),
        memory_pss_kb: field(&read("/proc/self/smaps_rollup"), "Pss:"),
        container_memory_used_bytes: cgroup_memory(),
        host_cpu_usage_perc: host_cpu,
        host_memory_used_kb: field(&meminfo, "MemTotal:")
            .saturating_sub(field(&meminfo, "MemFree:"))
            .saturating_sub(field(&meminfo, "Buffers:"))
            .saturating_sub(field(&meminfo, "Cached:")),
        host_procs_running: field(&stat, "procs_running "),
        host_open_fds: read(host_path("/proc/sys/fs/file-nr"))
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        host_boot_ts: boot_ts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_has_memory_and_the_host_has_cpus() {
        let r = read_all();
        assert!(r.memory_rss_kb > 0 && r.memory_vsz_kb >= r.memory_rss_kb);
        assert!(r.host_boot_ts > 0);
        assert!((0.0..=100.0).contains(&r.host_cpu_usage_perc));
    }
}
