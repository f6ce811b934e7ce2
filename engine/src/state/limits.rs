//! The bounds on what the state holds, whatever the input: a hostile capture or a flood of events
//! cannot make it grow past them. Where Falco (libsinsp, libscap, the drivers) has a limit, the value
//! is Falco's; docs/architecture.md lists them all. What goes over a limit is counted in [`Drops`].

use super::containers::ContainerInfo;

/// Threads tracked: Falco's `falco_libs.thread_table_size` default (libsinsp's thread manager).
pub const DEFAULT_MAX_THREADS: usize = 262_144;
/// Open fds tracked per process: libsinsp's `MAX_FD_TABLE_SIZE`.
pub const MAX_FDS_PER_PROCESS: usize = 4096;
/// Bytes of a process's arguments and of its environment: the drivers read at most
/// `MAX_PROC_ARG_ENV` (4096) of each, libscap's `SCAP_MAX_ARGS_SIZE` / `SCAP_MAX_ENV_SIZE`.
pub const MAX_ARGS_BYTES: usize = 4096;
pub const MAX_ENV_BYTES: usize = 4096;
/// Bytes of a thread's cgroup list: libscap's `SCAP_MAX_CGROUPS_SIZE`; and at most this many
/// entries (a cgroup v1 host has about fifteen controllers, v2 one hierarchy).
pub const MAX_CGROUPS_BYTES: usize = 4096;
pub const MAX_CGROUPS: usize = 64;
/// Bytes of one string taken from an event (names, paths): the drivers' `MAX_PATH`.
pub const MAX_STRING_BYTES: usize = 4096;
/// Enter events longer than this are not kept for pairing with their exit: libsinsp's
/// `SP_EVT_BUF_SIZE`.
pub const MAX_ENTER_EVENT_BYTES: usize = 4096;
/// Heap bytes the thread table may hold in all (threads, their strings, args, env, fd tables).
/// Falco has no such bound; with every per-thread limit above at its maximum, a full table of
/// 262,144 threads would need several GB, so the oldest threads go first past this budget.
pub const DEFAULT_MAX_STATE_BYTES: usize = 1 << 30;
/// Containers tracked (the oldest goes first). Falco's container plugin keeps every container until
/// its removal; this is a safety net far above what one node runs.
pub const MAX_CONTAINERS: usize = 16_384;
/// Bytes kept of each of a container's strings (an image reference with registry, tag and digest
/// is a few hundred bytes), except its CNI result, which gets [`MAX_STRING_BYTES`].
pub const MAX_CONTAINER_STRING_BYTES: usize = 1024;
/// Bytes of one container's strings, lists (labels, mounts, probes) included: entries past it are
/// left out, so the table's worst case is [`MAX_CONTAINERS`] times this (256 MB).
pub const MAX_CONTAINER_BYTES: usize = 16 << 10;
/// Network interface addresses, users and groups taken from a capture or the host.
pub const MAX_INTERFACES: usize = 4096;
pub const MAX_USERS: usize = 65_536;
pub const MAX_GROUPS: usize = 65_536;

/// Cuts a container's metadata to [`MAX_CONTAINER_STRING_BYTES`] per string and
/// [`MAX_CONTAINER_BYTES`] in all: strings first, then list entries while they fit.
pub fn bound_container(c: &mut ContainerInfo) {
    let mut budget = MAX_CONTAINER_BYTES;
    cut_within(&mut c.cni_json, &mut budget, MAX_STRING_BYTES);
    for s in [
        &mut c.id,
        &mut c.full_id,
        &mut c.name,
        &mut c.image,
        &mut c.image_repository,
        &mut c.image_tag,
        &mut c.image_id,
        &mut c.image_digest,
        &mut c.runtime,
        &mut c.user,
        &mut c.ip,
        &mut c.pod_sandbox_id,
    ] {
        cut_within(s, &mut budget, MAX_CONTAINER_STRING_BYTES);
    }
    let pair = |(k, v): &(String, String)| k.len() + v.len();
    keep_within(&mut c.labels, &mut budget, pair);
    keep_within(&mut c.pod_sandbox_labels, &mut budget, pair);
    keep_within(&mut c.mounts, &mut budget, |m| {
        m.source.len() + m.dest.len() + m.mode.len() + m.propagation.len()
    });
    for p in [
        &mut c.healthcheck,
        &mut c.liveness_probe,
        &mut c.readiness_probe,
    ]
    .into_iter()
    .flatten()
    {
        cut_within(&mut p.exe, &mut budget, MAX_CONTAINER_STRING_BYTES);
        keep_within(&mut p.args, &mut budget, String::len);
    }
}

/// Cuts `s` to `max` bytes and to what is left of `budget`, and takes its size from it.
fn cut_within(s: &mut String, budget: &mut usize, max: usize) {
    truncate_str(s, max.min(*budget));
    *budget -= s.len();
}

/// Keeps the first entries of `list` whose sizes fit in `budget`, and takes them from it.
fn keep_within<T>(list: &mut Vec<T>, budget: &mut usize, size: impl Fn(&T) -> usize) {
    let mut kept = 0;
    for item in list.iter() {
        let n = size(item);
        if n > *budget {
            break;
        }
        *budget -= n;
        kept += 1;
    }
    list.truncate(kept);
    list.shrink_to_fit();
}

/// What the state did not keep because a limit was reached.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Drops {
    /// Threads evicted because the table held `max_threads` (Falco's `n_drops_full_threadtable`).
    pub threads_full: u64,
    /// Threads evicted to keep the table under `max_state_bytes`.
    pub threads_memory: u64,
    /// Fds not tracked because their process already had [`MAX_FDS_PER_PROCESS`].
    pub fds: u64,
    /// Containers evicted past [`MAX_CONTAINERS`].
    pub containers: u64,
    /// Interfaces, users or groups not kept past their limits.
    pub metadata: u64,
}

impl Drops {
    pub fn total(&self) -> u64 {
        self.threads_full + self.threads_memory + self.fds + self.containers + self.metadata
    }
}

/// Cuts `s` to at most `max` bytes, on a character boundary.
pub fn truncate_str(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::containers::{HealthProbe, Mount};

    fn size(c: &ContainerInfo) -> usize {
        let strings = [&c.id, &c.name, &c.image, &c.cni_json, &c.user]
            .iter()
            .map(|s| s.len())
            .sum::<usize>();
        let labels = c
            .labels
            .iter()
            .map(|(k, v)| k.len() + v.len())
            .sum::<usize>();
        let mounts = c
            .mounts
            .iter()
            .map(|m| m.source.len() + m.dest.len())
            .sum::<usize>();
        let probe = c.healthcheck.as_ref().map_or(0, |p| {
            p.exe.len() + p.args.iter().map(String::len).sum::<usize>()
        });
        strings + labels + mounts + probe
    }

    #[test]
    fn a_container_holds_at_most_its_byte_budget() {
        let long = "x".repeat(50_000);
        let mut c = ContainerInfo {
            id: "abc".into(),
            name: long.clone(),
            image: long.clone(),
            cni_json: long.clone(),
            user: long.clone(),
            labels: (0..10_000)
                .map(|i| (format!("label-{i}"), "v".repeat(100)))
                .collect(),
            mounts: (0..10_000)
                .map(|i| Mount {
                    source: format!("/src/{i}"),
                    dest: long.clone(),
                    ..Default::default()
                })
                .collect(),
            healthcheck: Some(HealthProbe {
                exe: long.clone(),
                args: vec![long.clone(); 1000],
            }),
            ..Default::default()
        };
        bound_container(&mut c);
        assert!(size(&c) <= MAX_CONTAINER_BYTES, "{}", size(&c));
        assert_eq!(c.name.len(), MAX_CONTAINER_STRING_BYTES);
        assert_eq!(c.cni_json.len(), MAX_STRING_BYTES);
        assert!(!c.labels.is_empty() && c.labels.len() < 10_000);
        assert_eq!(c.id, "abc");
    }
}
