//! Containers: the container id comes from a thread's cgroup path, as Falco's container plugin does.
//! The rest (name, image, mounts, labels, the pod) comes from `container` events: carried in a
//! capture, or made live from the container runtimes' answers. Both use the container JSON of
//! Falco's libs and container plugin (`{"container": {...}}`), read and written here.

use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;
use serde_json::{Map, Value, json};

use super::limits::{MAX_CONTAINERS, bound_container};

/// One mount of a container (`container.mounts`: `source:dest:mode:rdwr:propagation`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mount {
    pub source: String,
    pub dest: String,
    pub mode: String,
    pub rdwr: bool,
    pub propagation: String,
}

impl Mount {
    /// `source:dest:mode:rdwr:propagation`, as `container.mount` prints it.
    pub fn text(&self) -> String {
        format!(
            "{}:{}:{}:{}:{}",
            self.source, self.dest, self.mode, self.rdwr, self.propagation
        )
    }
}

/// A health probe: the command a runtime runs to check the container (docker HEALTHCHECK,
/// Kubernetes liveness and readiness probes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HealthProbe {
    pub exe: String,
    pub args: Vec<String>,
}

/// Container metadata known for an id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerInfo {
    /// The 12-character id.
    pub id: String,
    pub full_id: String,
    pub name: String,
    pub image: String,
    pub image_repository: String,
    pub image_tag: String,
    pub image_id: String,
    pub image_digest: String,
    pub privileged: Option<bool>,
    /// docker, containerd, cri-o, podman...
    pub runtime: String,
    /// The user the container runs as, as the runtime says it (a name or a uid).
    pub user: String,
    /// Primary IPv4 address ("" when it has none, e.g. `--network none`).
    pub ip: String,
    /// The pod's CNI result (CRI only).
    pub cni_json: String,
    pub mounts: Vec<Mount>,
    /// Labels, sorted by key; values longer than the configured maximum are left out.
    pub labels: Vec<(String, String)>,
    pub healthcheck: Option<HealthProbe>,
    pub liveness_probe: Option<HealthProbe>,
    pub readiness_probe: Option<HealthProbe>,
    /// Creation time, seconds since the epoch (0 when unknown).
    pub created_time: i64,
    pub host_pid: bool,
    pub host_network: bool,
    pub host_ipc: bool,
    /// This is a pod's sandbox (pause) container.
    pub is_pod_sandbox: bool,
    /// The full id of the pod sandbox (CRI), "" outside Kubernetes.
    pub pod_sandbox_id: String,
    pub pod_sandbox_labels: Vec<(String, String)>,
}

/// Falco's numbering of container types (`"type"` in the JSON), for captures that carry numbers.
const TYPES: &[&str] = &[
    "docker",
    "lxc",
    "libvirt-lxc",
    "mesos",
    "rkt",
    "custom",
    "cri",
    "containerd",
    "cri-o",
    "bpm",
    "static",
    "podman",
];

/// The runtime a container event's numeric type names ("" for numbers Falco does not define).
pub fn runtime_name(n: u64) -> &'static str {
    usize::try_from(n)
        .ok()
        .and_then(|n| TYPES.get(n))
        .copied()
        .unwrap_or("")
}

/// The value of `key` in a label list sorted by key.
pub fn find<'a>(labels: &'a [(String, String)], key: &str) -> Option<&'a str> {
    labels
        .binary_search_by(|(k, _)| k.as_str().cmp(key))
        .ok()
        .map(|i| labels[i].1.as_str())
}

impl ContainerInfo {
    /// The value of a label, if set.
    pub fn label(&self, key: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `k8s.pod.name`, `k8s.ns.name`, `k8s.pod.uid`: from the CRI labels (io.kubernetes.*).
    pub fn k8s_pod_name(&self) -> Option<&str> {
        self.label("io.kubernetes.pod.name")
            .filter(|s| !s.is_empty())
    }

    pub fn k8s_ns_name(&self) -> Option<&str> {
        self.label("io.kubernetes.pod.namespace")
            .filter(|s| !s.is_empty())
    }

    pub fn k8s_pod_uid(&self) -> Option<&str> {
        self.label("io.kubernetes.pod.uid")
            .filter(|s| !s.is_empty())
    }

    /// Reads the container JSON of a `container` event (`{"container": {...}}`, or the inner object).
    /// None without an id.
    pub fn from_json(v: &Value) -> Option<ContainerInfo> {
        let c = v.get("container").unwrap_or(v);
        let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let b = |k: &str| c.get(k).and_then(Value::as_bool).unwrap_or(false);
        let full_id = s("full_id");
        let mut id = s("id");
        if id.is_empty() {
            id = full_id.clone();
        }
        if id.is_empty() {
            return None;
        }
        let image = s("image");
        let (repo, tag) = split_image(&image);
        let runtime = match c.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(Value::Number(n)) => n
                .as_u64()
                .and_then(|n| TYPES.get(n as usize))
                .copied()
                .unwrap_or("unknown")
                .to_string(),
            _ => String::new(),
        };
        let or = |a: String, b: String| if a.is_empty() { b } else { a };
        Some(ContainerInfo {
            id: id.chars().take(12).collect(),
            full_id,
            name: s("name"),
            image_repository: or(s("imagerepo"), repo),
            image_tag: or(s("imagetag"), tag),
            image,
            image_id: s("imageid"),
            image_digest: s("imagedigest"),
            privileged: c.get("privileged").and_then(Value::as_bool),
            runtime,
            user: s("User"),
            ip: Some(s("ip"))
                .filter(|ip| ip != "0.0.0.0")
                .unwrap_or_default(),
            cni_json: s("cni_json"),
            mounts: c
                .get("Mounts")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(mount_from_json).collect())
                .unwrap_or_default(),
            labels: string_map(c.get("labels")),
            healthcheck: probe_from_json(c.get("Healthcheck")),
            liveness_probe: probe_from_json(c.get("LivenessProbe")),
            readiness_probe: probe_from_json(c.get("ReadinessProbe")),
            created_time: c.get("created_time").and_then(Value::as_i64).unwrap_or(0),
            host_pid: b("host_pid"),
            host_network: b("host_network"),
            host_ipc: b("host_ipc"),
            is_pod_sandbox: b("is_pod_sandbox"),
            pod_sandbox_id: s("pod_sandbox_id"),
            pod_sandbox_labels: string_map(c.get("pod_sandbox_labels")),
        })
    }

    /// The container JSON Falco's `container` events carry, which [`ContainerInfo::from_json`] reads back.
    pub fn to_json(&self) -> Value {
        let mounts: Vec<Value> = self
            .mounts
            .iter()
            .map(|m| {
                json!({"Source": m.source, "Destination": m.dest, "Mode": m.mode, "RW": m.rdwr,
                       "Propagation": m.propagation})
            })
            .collect();
        let map = |l: &[(String, String)]| {
            Value::Object(
                l.iter()
                    .map(|(k, v)| (k.clone(), Value::String(v.clone())))
                    .collect::<Map<_, _>>(),
            )
        };
        let ty = TYPES
            .iter()
            .position(|t| *t == self.runtime)
            .map_or(Value::String(self.runtime.clone()), |n| json!(n));
        let mut c = json!({
            "type": ty,
            "id": self.id,
            "full_id": self.full_id,
            "name": self.name,
            "image": self.image,
            "imagerepo": self.image_repository,
            "imagetag": self.image_tag,
            "imageid": self.image_id,
            "imagedigest": self.image_digest,
            "privileged": self.privileged.unwrap_or(false),
            "User": self.user,
            "ip": self.ip,
            "cni_json": self.cni_json,
            "Mounts": mounts,
            "labels": map(&self.labels),
            "created_time": self.created_time,
            "host_pid": self.host_pid,
            "host_network": self.host_network,
            "host_ipc": self.host_ipc,
            "is_pod_sandbox": self.is_pod_sandbox,
            "pod_sandbox_id": self.pod_sandbox_id,
            "pod_sandbox_labels": map(&self.pod_sandbox_labels),
        });
        let obj = c.as_object_mut().expect("an object");
        for (key, probe) in [
            ("Healthcheck", &self.healthcheck),
            ("LivenessProbe", &self.liveness_probe),
            ("ReadinessProbe", &self.readiness_probe),
        ] {
            if let Some(p) = probe {
                obj.insert(key.into(), json!({"exe": p.exe, "args": p.args}));
            }
        }
        json!({ "container": c })
    }
}

fn mount_from_json(m: &Value) -> Mount {
    let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Mount {
        source: s("Source"),
        dest: s("Destination"),
        mode: s("Mode"),
        rdwr: m.get("RW").and_then(Value::as_bool).unwrap_or(false),
        propagation: s("Propagation"),
    }
}

fn probe_from_json(v: Option<&Value>) -> Option<HealthProbe> {
    let v = v?;
    let exe = v.get("exe").and_then(Value::as_str)?.to_string();
    let args = v
        .get("args")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Some(HealthProbe { exe, args })
}

/// A JSON object of strings as sorted pairs (null and other values are ignored).
fn string_map(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// `repo:tag` → (repo, tag); a digest or a registry port's colon is not a tag separator.
pub fn split_image(image: &str) -> (String, String) {
    let base = image.split('@').next().unwrap_or(image);
    match base.rfind(':') {
        Some(i) if !base[i..].contains('/') => (base[..i].to_string(), base[i + 1..].to_string()),
        _ => (base.to_string(), String::new()),
    }
}

/// Containers seen, by short id: at most [`MAX_CONTAINERS`], the oldest going first.
#[derive(Debug, Clone, Default)]
pub struct ContainerTable {
    by_id: HashMap<String, ContainerInfo>,
    /// Ids in the order they were first seen.
    order: VecDeque<String>,
    evicted: u64,
}

impl ContainerTable {
    pub fn get(&self, id: &str) -> Option<&ContainerInfo> {
        self.by_id.get(id)
    }

    /// Adds or updates a container, cut to the limits of [`bound_container`].
    pub fn upsert(&mut self, mut info: ContainerInfo) {
        bound_container(&mut info);
        if !self.by_id.contains_key(&info.id) {
            while self.by_id.len() >= MAX_CONTAINERS {
                let Some(old) = self.order.pop_front() else {
                    break;
                };
                if self.by_id.remove(&old).is_some() {
                    self.evicted += 1;
                }
            }
            self.order.push_back(info.id.clone());
        }
        self.by_id.insert(info.id.clone(), info);
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    /// Containers evicted to stay within [`MAX_CONTAINERS`].
    pub fn evicted(&self) -> u64 {
        self.evicted
    }
}

fn is_hex_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The 12-character container id in a cgroup path, for the docker, containerd (cri), cri-o and podman
/// layouts, with systemd or cgroupfs drivers. None for host cgroups.
///
/// Examples:
/// - `/docker/<id>`, `/system.slice/docker-<id>.scope`
/// - `/kubepods/burstable/pod<uid>/<id>`, `/kubepods.slice/.../cri-containerd-<id>.scope`
/// - `/kubepods.slice/.../crio-<id>.scope`, `/machine.slice/libpod-<id>.scope`
/// - `/libpod_parent/libpod-<id>` (podman with the cgroupfs manager)
pub fn container_id_from_cgroup(path: &str) -> Option<String> {
    full_container_id_from_cgroup(path).map(|id| id[..12].to_string())
}

/// The full (64-character) container id in a cgroup path; the runtimes are asked with it.
pub fn full_container_id_from_cgroup(path: &str) -> Option<&str> {
    // Host cgroups are short: a path or segment shorter than an id holds none.
    if path.len() < 64 {
        return None;
    }
    for seg in path.rsplit('/') {
        if seg.len() < 64 {
            continue;
        }
        let core = seg.strip_suffix(".scope").unwrap_or(seg);
        let id = core
            .strip_prefix("docker-")
            .or_else(|| core.strip_prefix("cri-containerd-"))
            .or_else(|| core.strip_prefix("crio-"))
            .or_else(|| core.strip_prefix("libpod-"))
            .or_else(|| core.strip_prefix("containerd-"))
            .unwrap_or(core);
        // podman/crio conmon scopes are not the container itself.
        if core.starts_with("crio-conmon-") || core.starts_with("libpod-conmon-") {
            continue;
        }
        if is_hex_id(id) {
            return Some(id);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::container_id_from_cgroup as cid;
    use super::*;
    use crate::state::limits::MAX_CONTAINER_STRING_BYTES;

    #[test]
    fn the_table_keeps_the_newest_containers() {
        let mut t = ContainerTable::default();
        for i in 0..MAX_CONTAINERS + 10 {
            t.upsert(ContainerInfo {
                id: format!("{i:012x}"),
                name: "n".repeat(100_000),
                ..Default::default()
            });
        }
        assert_eq!(t.len(), MAX_CONTAINERS);
        assert_eq!(t.evicted(), 10);
        assert!(t.get(&format!("{:012x}", 9)).is_none());
        let newest = t.get(&format!("{:012x}", MAX_CONTAINERS + 9)).unwrap();
        assert_eq!(newest.name.len(), MAX_CONTAINER_STRING_BYTES);
        // An update keeps its place and does not evict.
        t.upsert(ContainerInfo {
            id: format!("{:012x}", 10),
            ..Default::default()
        });
        assert_eq!((t.len(), t.evicted()), (MAX_CONTAINERS, 10));
    }

    const ID: &str = "d7f7d8650d99ee7832c8a13c369f055b4319a0c57f456f88c8c509ac50a7f3b6";

    #[test]
    fn runtimes() {
        assert_eq!(
            cid(&format!("/system.slice/docker-{ID}.scope")).as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            cid(&format!("/docker/{ID}")).as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            cid(&format!("/kubepods/besteffort/pod1234-5678/{ID}")).as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            cid(&format!(
                "/kubepods.slice/kubepods-pod1.slice/cri-containerd-{ID}.scope"
            ))
            .as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            cid(&format!("/kubepods.slice/x/crio-{ID}.scope")).as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            cid(&format!("/machine.slice/libpod-{ID}.scope/container")).as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            cid(&format!("/machine.slice/libpod-conmon-{ID}.scope")),
            None
        );
        assert_eq!(
            cid(&format!("/libpod_parent/libpod-{ID}")).as_deref(),
            Some("d7f7d8650d99")
        );
        assert_eq!(
            super::full_container_id_from_cgroup(&format!("/docker/{ID}")),
            Some(ID)
        );
        assert_eq!(cid("/user.slice/user-1000.slice/session-1.scope"), None);
        assert_eq!(cid("/"), None);
    }

    #[test]
    fn images() {
        use super::split_image;
        assert_eq!(split_image("nginx:1.25"), ("nginx".into(), "1.25".into()));
        assert_eq!(
            split_image("reg:5000/app"),
            ("reg:5000/app".into(), "".into())
        );
        assert_eq!(
            split_image("reg:5000/app:v1@sha256:ab"),
            ("reg:5000/app".into(), "v1".into())
        );
    }

    #[test]
    fn json_round_trip() {
        use super::*;
        let info = ContainerInfo {
            id: ID[..12].into(),
            full_id: ID.into(),
            name: "web".into(),
            image: "localhost/app:v1".into(),
            image_repository: "localhost/app".into(),
            image_tag: "v1".into(),
            image_id: "abc".into(),
            image_digest: "sha256:def".into(),
            privileged: Some(true),
            runtime: "podman".into(),
            user: "1000".into(),
            ip: "10.0.0.2".into(),
            mounts: vec![Mount {
                source: "/etc".into(),
                dest: "/host/etc".into(),
                mode: "ro".into(),
                rdwr: false,
                propagation: "rprivate".into(),
            }],
            labels: vec![
                ("io.kubernetes.pod.name".into(), "p".into()),
                ("io.kubernetes.pod.namespace".into(), "ns".into()),
            ],
            healthcheck: Some(HealthProbe {
                exe: "/bin/sh".into(),
                args: vec!["-c".into(), "true".into()],
            }),
            created_time: 1_700_000_000,
            host_network: true,
            ..Default::default()
        };
        let back = ContainerInfo::from_json(&info.to_json()).unwrap();
        assert_eq!(back, info);
        assert_eq!(back.k8s_pod_name(), Some("p"));
        assert_eq!(back.k8s_ns_name(), Some("ns"));
        // Old captures number the type and print a missing ip as 0.0.0.0.
        let old = serde_json::json!({"container": {"id": "abc", "type": 0, "ip": "0.0.0.0"}});
        let c = ContainerInfo::from_json(&old).unwrap();
        assert_eq!((c.runtime.as_str(), c.ip.as_str()), ("docker", ""));
    }
}
