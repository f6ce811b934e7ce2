//! Which runtimes to ask, on which sockets: the `engines` of Falco's container plugin (also read from
//! falco.yaml's older `container_engines`). Every engine is enabled by default on its default sockets;
//! a socket that does not exist under the host root is skipped.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// A container runtime API falco speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EngineKind {
    /// Docker Engine API (HTTP over a unix socket).
    Docker,
    /// Podman's libpod API (HTTP over a unix socket).
    Podman,
    /// The Kubernetes Container Runtime Interface (gRPC): CRI-O, containerd's CRI plugin, k3s.
    Cri,
    /// containerd's own API (gRPC), for containers outside Kubernetes (nerdctl, docker's moby).
    Containerd,
}

impl EngineKind {
    pub const ALL: [EngineKind; 4] = [
        EngineKind::Docker,
        EngineKind::Podman,
        EngineKind::Cri,
        EngineKind::Containerd,
    ];

    /// The name in the configuration and in logs.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Docker => "docker",
            EngineKind::Podman => "podman",
            EngineKind::Cri => "cri",
            EngineKind::Containerd => "containerd",
        }
    }

    /// The container plugin's default sockets (relative to the host root).
    pub fn default_sockets(self) -> &'static [&'static str] {
        match self {
            EngineKind::Docker => &["/var/run/docker.sock"],
            EngineKind::Podman => &["/run/podman/podman.sock"],
            EngineKind::Cri => &[
                "/run/containerd/containerd.sock",
                "/run/crio/crio.sock",
                "/run/k3s/containerd/containerd.sock",
                "/run/host-containerd/containerd.sock",
            ],
            EngineKind::Containerd => &["/run/host-containerd/containerd.sock"],
        }
    }
}

/// One engine's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    pub kind: EngineKind,
    pub enabled: bool,
    /// Empty: the default sockets.
    pub sockets: Vec<String>,
}

/// The engines and the lookup settings.
#[derive(Debug, Clone, PartialEq)]
pub struct EnginesConfig {
    pub engines: Vec<EngineConfig>,
    /// Labels with longer values are left out (the plugin's `label_max_len`).
    pub label_max_len: usize,
    /// How long one runtime call may take before it counts as failed.
    pub timeout: Duration,
    /// After a failure, a runtime is left alone this long (lookups go to the others meanwhile).
    pub retry_after: Duration,
}

pub const DEFAULT_LABEL_MAX_LEN: usize = 100;

impl Default for EnginesConfig {
    fn default() -> Self {
        EnginesConfig {
            engines: EngineKind::ALL
                .iter()
                .map(|&kind| EngineConfig {
                    kind,
                    enabled: true,
                    sockets: Vec::new(),
                })
                .collect(),
            label_max_len: DEFAULT_LABEL_MAX_LEN,
            timeout: Duration::from_secs(2),
            retry_after: Duration::from_secs(10),
        }
    }
}

/// A socket to ask, with its engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub kind: EngineKind,
    /// The path as falco opens it (under the host root).
    pub socket: PathBuf,
}

impl EnginesConfig {
    pub fn engine_mut(&mut self, kind: EngineKind) -> &mut EngineConfig {
        let i = self
            .engines
            .iter()
            .position(|e| e.kind == kind)
            .expect("every kind is configured");
        &mut self.engines[i]
    }

    /// The sockets to ask, in the order lookups try them (docker, podman, cri, containerd), for the
    /// enabled engines whose socket exists under `host_root`. Podman's default also covers each
    /// user's rootless socket (`/run/user/UID/podman/podman.sock`).
    pub fn endpoints(&self, host_root: &Path) -> Vec<Endpoint> {
        let mut out: Vec<Endpoint> = Vec::new();
        for e in self.engines.iter().filter(|e| e.enabled) {
            let mut sockets: Vec<String> = if e.sockets.is_empty() {
                e.kind
                    .default_sockets()
                    .iter()
                    .map(|s| s.to_string())
                    .collect()
            } else {
                e.sockets.clone()
            };
            if e.kind == EngineKind::Podman && e.sockets.is_empty() {
                sockets.extend(rootless_podman_sockets(host_root));
            }
            for s in sockets {
                let s = s.strip_prefix("unix://").unwrap_or(&s);
                let path = under_root(host_root, s);
                let seen = out.iter().any(|o| o.kind == e.kind && o.socket == path);
                if !seen && path.exists() {
                    out.push(Endpoint {
                        kind: e.kind,
                        socket: path,
                    });
                }
            }
        }
        out
    }
}

fn under_root(root: &Path, socket: &str) -> PathBuf {
    if root == Path::new("/") || root.as_os_str().is_empty() {
        PathBuf::from(socket)
    } else {
        root.join(socket.trim_start_matches('/'))
    }
}

fn rootless_podman_sockets(host_root: &Path) -> Vec<String> {
    let Ok(dir) = std::fs::read_dir(under_root(host_root, "/run/user")) else {
        return Vec::new();
    };
    let mut out: Vec<String> = dir
        .flatten()
        .filter_map(|d| {
            let uid = d.file_name().into_string().ok()?;
            let s = format!("/run/user/{uid}/podman/podman.sock");
            under_root(host_root, &s).exists().then_some(s)
        })
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_existing_sockets_of_enabled_engines() {
        let root = std::env::temp_dir().join(format!("falco-rt-cfg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("var/run")).unwrap();
        std::fs::create_dir_all(root.join("run/user/1000/podman")).unwrap();
        std::fs::write(root.join("var/run/docker.sock"), "").unwrap();
        std::fs::write(root.join("run/user/1000/podman/podman.sock"), "").unwrap();
        let mut cfg = EnginesConfig::default();
        let eps = cfg.endpoints(&root);
        assert_eq!(
            eps.iter().map(|e| e.kind).collect::<Vec<_>>(),
            vec![EngineKind::Docker, EngineKind::Podman]
        );
        assert_eq!(eps[0].socket, root.join("var/run/docker.sock"));
        assert_eq!(eps[1].socket, root.join("run/user/1000/podman/podman.sock"));
        cfg.engine_mut(EngineKind::Docker).enabled = false;
        cfg.engine_mut(EngineKind::Podman).sockets = vec!["unix:///nowhere.sock".into()];
        assert!(cfg.endpoints(&root).is_empty());
        let _ = std::fs::remove_dir_all(&root);
    }
}
