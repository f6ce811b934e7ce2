//! containerd's own API, for containers outside Kubernetes (nerdctl, docker's `moby` namespace):
//! the container is looked for in every namespace; its OCI spec gives the user, mounts, host
//! namespaces and whether it is privileged.

use std::path::Path;

use falco_engine::state::ContainerInfo;
use falco_engine::state::containers::{Mount, split_image};
use serde_json::Value;

use crate::error::RuntimeError;
use crate::grpc::unary;
use crate::labels::bounded_pairs;
use crate::proto::containerd::*;

pub async fn lookup(
    socket: &Path,
    id: &str,
    label_max: usize,
) -> Result<ContainerInfo, RuntimeError> {
    let list: ListNamespacesResponse = unary(
        socket,
        "/containerd.services.namespaces.v1.Namespaces/List",
        None,
        &ListNamespacesRequest::default(),
    )
    .await?;
    for ns in &list.namespaces {
        let req = GetContainerRequest { id: id.to_string() };
        let got: Result<GetContainerResponse, _> = unary(
            socket,
            "/containerd.services.containers.v1.Containers/Get",
            Some(&ns.name),
            &req,
        )
        .await;
        let c = match got {
            Ok(GetContainerResponse { container: Some(c) }) => c,
            Ok(_) => continue,
            Err(e) if e.is_not_found() => continue,
            Err(e) => return Err(e),
        };
        let digest = if c.image.is_empty() {
            String::new()
        } else {
            let req = GetImageRequest {
                name: c.image.clone(),
            };
            unary::<_, GetImageResponse>(
                socket,
                "/containerd.services.images.v1.Images/Get",
                Some(&ns.name),
                &req,
            )
            .await
            .ok()
            .and_then(|r| r.image?.target)
            .map(|t| t.digest)
            .unwrap_or_default()
        };
        return Ok(to_info(c, digest, label_max));
    }
    Err(RuntimeError::Grpc {
        code: 5,
        message: format!("container {id} in no namespace"),
    })
}

fn to_info(c: Container, digest: String, label_max: usize) -> ContainerInfo {
    let spec: Value = c
        .spec
        .as_ref()
        .and_then(|a| serde_json::from_slice(&a.value).ok())
        .unwrap_or(Value::Null);
    let propagation = spec
        .pointer("/linux/rootfsPropagation")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mounts: Vec<Mount> = spec
        .get("mounts")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|m| {
                    let opts: Vec<&str> = m
                        .get("options")
                        .and_then(Value::as_array)
                        .map(|o| o.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let s = |k: &str| m.get(k).and_then(Value::as_str).unwrap_or("").to_string();
                    Mount {
                        source: s("source"),
                        dest: s("destination"),
                        mode: opts
                            .iter()
                            .find_map(|o| o.strip_prefix("mode="))
                            .unwrap_or("")
                            .to_string(),
                        rdwr: !opts.contains(&"ro"),
                        propagation: propagation.clone(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    // A namespace missing from the spec is the host's (that is how host namespaces are asked for).
    let has_ns = |t: &str| {
        spec.pointer("/linux/namespaces")
            .and_then(Value::as_array)
            .is_some_and(|a| {
                a.iter()
                    .any(|n| n.get("type").and_then(Value::as_str) == Some(t))
            })
    };
    let sandbox = if c.sandbox.is_empty() {
        spec.pointer("/annotations/io.kubernetes.cri.sandbox-id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    } else {
        c.sandbox.clone()
    };
    let (repo, tag) = split_image(&c.image);
    let short: String = c.id.chars().take(12).collect();
    ContainerInfo {
        id: short.clone(),
        name: short,
        full_id: c.id.clone(),
        image: c.image.clone(),
        image_repository: repo,
        image_tag: tag,
        image_digest: digest,
        privileged: Some(privileged(&spec)),
        runtime: "containerd".into(),
        user: spec
            .pointer("/process/user/uid")
            .and_then(Value::as_u64)
            .map(|u| u.to_string())
            .unwrap_or_default(),
        mounts,
        is_pod_sandbox: c.labels.get("io.cri-containerd.kind").map(String::as_str)
            == Some("sandbox"),
        labels: bounded_pairs(c.labels, label_max),
        created_time: c.created_at.map_or(0, |t| t.seconds),
        host_pid: spec.is_object() && !has_ns("pid"),
        host_network: spec.is_object() && !has_ns("network"),
        host_ipc: spec.is_object() && !has_ns("ipc"),
        pod_sandbox_id: sandbox,
        ..Default::default()
    }
}

fn text(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or("")
}

/// What containerd's privileged option does to a spec: no masked or read-only paths, no SELinux
/// label, no AppArmor profile, no seccomp, and sysfs and cgroup mounted read-write.
fn privileged(spec: &Value) -> bool {
    let linux = spec.get("linux");
    let process = spec.get("process");
    let (Some(linux), Some(process)) = (linux, process) else {
        return false;
    };
    let empty = |v: Option<&Value>| {
        v.is_none_or(|x| x.is_null() || x.as_array().is_some_and(Vec::is_empty))
    };
    if !empty(linux.get("maskedPaths"))
        || !empty(linux.get("readonlyPaths"))
        || !text(process.get("selinuxLabel")).is_empty()
        || !matches!(text(process.get("apparmorProfile")), "" | "unconfined")
        || linux.get("seccomp").is_some_and(|s| !s.is_null())
    {
        return false;
    }
    !spec
        .get("mounts")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter().any(|m| {
                matches!(
                    m.get("type").and_then(Value::as_str),
                    Some("sysfs" | "cgroup")
                ) && m
                    .get("options")
                    .and_then(Value::as_array)
                    .is_some_and(|o| o.iter().any(|x| x.as_str() == Some("ro")))
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn container(spec: Value) -> Container {
        Container {
            id: "c".repeat(64),
            image: "docker.io/library/redis:7".into(),
            spec: Some(Any {
                type_url: "types.containerd.io/opencontainers/runtime-spec/1/Spec".into(),
                value: spec.to_string().into_bytes(),
            }),
            created_at: Some(Timestamp {
                seconds: 42,
                nanos: 0,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn spec_fields() {
        let confined = json!({
            "process": {"user": {"uid": 1000}, "apparmorProfile": "docker-default"},
            "linux": {"namespaces": [{"type": "pid"}, {"type": "ipc"}], "maskedPaths": ["/proc/kcore"]},
            "mounts": [{"destination": "/data", "source": "/srv", "type": "bind", "options": ["rbind", "ro"]}]
        });
        let i = to_info(container(confined), "sha256:ee".into(), 100);
        assert_eq!(i.privileged, Some(false));
        assert_eq!(i.user, "1000");
        assert!(i.host_network && !i.host_pid && !i.host_ipc);
        assert_eq!(
            (i.mounts[0].source.as_str(), i.mounts[0].rdwr),
            ("/srv", false)
        );
        assert_eq!(
            (i.image_repository.as_str(), i.image_tag.as_str()),
            ("docker.io/library/redis", "7")
        );
        assert_eq!(i.name, "cccccccccccc");
        assert_eq!(i.created_time, 42);
        let privileged = json!({
            "process": {"user": {"uid": 0}},
            "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}]},
            "mounts": [{"destination": "/sys", "type": "sysfs", "options": ["nosuid", "rw"]}]
        });
        assert_eq!(
            to_info(container(privileged), String::new(), 100).privileged,
            Some(true)
        );
    }
}
