//! Containers: the container id comes from a thread's cgroup path, as Falco's container plugin does.
//! Names and images come from container events carried in the capture, when there are any.

use rustc_hash::FxHashMap as HashMap;

/// Container metadata known for an id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerInfo {
    pub id: String,
    pub name: String,
    pub image: String,
    pub image_repository: String,
    pub image_tag: String,
    pub privileged: Option<bool>,
    /// docker, containerd, cri-o, podman...
    pub runtime: String,
}

/// Containers seen, by short id.
#[derive(Debug, Clone, Default)]
pub struct ContainerTable {
    by_id: HashMap<String, ContainerInfo>,
}

impl ContainerTable {
    pub fn get(&self, id: &str) -> Option<&ContainerInfo> {
        self.by_id.get(id)
    }

    pub fn upsert(&mut self, info: ContainerInfo) {
        self.by_id.insert(info.id.clone(), info);
    }

    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
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
pub fn container_id_from_cgroup(path: &str) -> Option<String> {
    for seg in path.rsplit('/') {
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
            return Some(id[..12].to_string());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::container_id_from_cgroup as cid;

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
        assert_eq!(cid("/user.slice/user-1000.slice/session-1.scope"), None);
        assert_eq!(cid("/"), None);
    }
}
