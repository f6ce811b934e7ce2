//! The Kubernetes CRI (CRI-O, containerd's CRI plugin): ContainerStatus, then the pod sandbox's
//! status for the pod's name, namespace, uid, labels, ip and host namespaces.

use std::path::Path;

use falco_engine::state::ContainerInfo;
use falco_engine::state::containers::{Mount as ContainerMount, split_image};
use serde_json::Value;

use crate::error::RuntimeError;
use crate::grpc::unary;
use crate::labels::bounded_pairs;
use crate::proto::cri::*;

const SERVICE: &str = "/runtime.v1.RuntimeService";
/// The CNI result kept per container (the plugin's bound).
const MAX_CNI_JSON: usize = 4096;
/// NamespaceMode NODE: the host's namespace.
const NODE: i32 = 2;

/// The runtime behind a CRI socket: `containerd`, `cri-o`, or `cri` for others.
pub async fn runtime_name(socket: &Path) -> Result<&'static str, RuntimeError> {
    let v: VersionResponse = unary(
        socket,
        &format!("{SERVICE}/Version"),
        None,
        &VersionRequest::default(),
    )
    .await?;
    Ok(match v.runtime_name.as_str() {
        "containerd" => "containerd",
        "cri-o" => "cri-o",
        _ => "cri",
    })
}

pub async fn lookup(
    socket: &Path,
    id: &str,
    runtime: &str,
    label_max: usize,
) -> Result<ContainerInfo, RuntimeError> {
    let req = ContainerStatusRequest {
        container_id: id.to_string(),
        verbose: true,
    };
    let resp: ContainerStatusResponse =
        unary(socket, &format!("{SERVICE}/ContainerStatus"), None, &req).await?;
    let status = resp.status.ok_or_else(|| RuntimeError::Grpc {
        code: 5,
        message: "no status".into(),
    })?;
    let verbose: Value = resp
        .info
        .get("info")
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Value::Null);
    let sandbox_id = verbose
        .get("sandboxID")
        .and_then(Value::as_str)
        .or_else(|| {
            status
                .annotations
                .get("io.kubernetes.cri.sandbox-id")
                .map(String::as_str)
        })
        .or_else(|| {
            status
                .annotations
                .get("io.kubernetes.cri-o.SandboxID")
                .map(String::as_str)
        })
        .unwrap_or("")
        .to_string();
    let sandbox = if sandbox_id.is_empty() {
        None
    } else {
        let req = PodSandboxStatusRequest {
            pod_sandbox_id: sandbox_id.clone(),
            verbose: true,
        };
        unary::<_, PodSandboxStatusResponse>(
            socket,
            &format!("{SERVICE}/PodSandboxStatus"),
            None,
            &req,
        )
        .await
        .ok()
    };
    Ok(to_info(status, &verbose, sandbox, runtime, label_max))
}

fn to_info(
    status: ContainerStatus,
    verbose: &Value,
    sandbox: Option<PodSandboxStatusResponse>,
    runtime: &str,
    label_max: usize,
) -> ContainerInfo {
    let mounts = status
        .mounts
        .iter()
        .map(|m| ContainerMount {
            source: m.host_path.clone(),
            dest: m.container_path.clone(),
            mode: String::new(),
            rdwr: !m.readonly,
            propagation: match m.propagation {
                0 => "private",
                1 => "rslave",
                2 => "rshared",
                _ => "unknown",
            }
            .to_string(),
        })
        .collect();
    let (image, digest) = image_and_digest(&status);
    let (repo, tag) = split_image(&image);
    let mut labels: Vec<(String, String)> = status.labels.clone().into_iter().collect();
    let sb_status = sandbox.as_ref().and_then(|s| s.status.as_ref());
    let sandbox_id = sb_status.map_or(status.id.clone(), |s| s.id.clone());
    labels.push(("io.kubernetes.sandbox.id".into(), sandbox_id.clone()));
    if let Some(md) = sb_status.and_then(|s| s.metadata.as_ref()) {
        labels.retain(|(k, _)| !k.starts_with("io.kubernetes.pod."));
        labels.push(("io.kubernetes.pod.uid".into(), md.uid.clone()));
        labels.push(("io.kubernetes.pod.name".into(), md.name.clone()));
        labels.push(("io.kubernetes.pod.namespace".into(), md.namespace.clone()));
    }
    let ns = sb_status
        .and_then(|s| s.linux.as_ref())
        .and_then(|l| l.namespaces.as_ref())
        .and_then(|n| n.options.clone())
        .unwrap_or_default();
    let privileged = [
        "/runtimeSpec/linux/security_context/privileged",
        "/config/linux/security_context/privileged",
        "/privileged",
    ]
    .iter()
    .find_map(|p| verbose.pointer(p).and_then(Value::as_bool))
    .unwrap_or(false);
    let is_sandbox = status.id == sandbox_id;
    ContainerInfo {
        id: status.id.chars().take(12).collect(),
        full_id: status.id.clone(),
        name: status
            .metadata
            .as_ref()
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        image,
        image_repository: repo,
        image_tag: tag,
        image_id: image_id(verbose, &status),
        image_digest: digest,
        privileged: Some(privileged),
        runtime: runtime.to_string(),
        ip: sb_status
            .and_then(|s| s.network.as_ref())
            .map(|n| n.ip.clone())
            .unwrap_or_default(),
        cni_json: sandbox.as_ref().map(cni_json).unwrap_or_default(),
        mounts,
        labels: bounded_pairs(labels, label_max),
        created_time: status.created_at / 1_000_000_000,
        host_pid: ns.pid == NODE,
        host_network: ns.network == NODE,
        host_ipc: ns.ipc == NODE,
        is_pod_sandbox: is_sandbox,
        pod_sandbox_id: sandbox_id,
        pod_sandbox_labels: sb_status
            .map(|s| bounded_pairs(s.labels.clone(), label_max))
            .unwrap_or_default(),
        ..Default::default()
    }
}

/// image_ref is `host/image@sha256:...` or `sha256:...`: the image name and its digest, as the
/// container plugin reads them (the tag comes from the image spec).
fn image_and_digest(status: &ContainerStatus) -> (String, String) {
    let spec_image = status
        .image
        .as_ref()
        .map(|i| i.image.clone())
        .unwrap_or_default();
    let r = &status.image_ref;
    let mut image = spec_image.clone();
    let mut digest = String::new();
    match r.find("sha256:") {
        Some(0) => digest = r.clone(),
        Some(at) if r.as_bytes()[at - 1] == b'@' => {
            image = r[..at - 1].to_string();
            digest = r[at..].to_string();
            let (_, tag) = split_image(&spec_image);
            if !tag.is_empty() {
                image = format!("{image}:{tag}");
            }
        }
        _ => {}
    }
    if image.is_empty() || image.starts_with("sha256") {
        for k in [
            "io.kubernetes.cri.image-name",
            "io.kubernetes.cri-o.Image",
            "io.kubernetes.cri-o.ImageName",
        ] {
            if let Some(v) = status.annotations.get(k) {
                image = v.clone();
                break;
            }
        }
    }
    (image, digest)
}

fn image_id(verbose: &Value, status: &ContainerStatus) -> String {
    let from_config = verbose
        .pointer("/config/image/image")
        .and_then(Value::as_str)
        .map(|s| split_image(s).1)
        .unwrap_or_default();
    if !from_config.is_empty() {
        return from_config;
    }
    status.image_ref.trim_start_matches("sha256:").to_string()
}

/// The pod's CNI result (interfaces other than lo), or CRI-O's annotation; bounded.
fn cni_json(sandbox: &PodSandboxStatusResponse) -> String {
    let Some(info) = sandbox
        .info
        .get("info")
        .and_then(|s| serde_json::from_str::<Value>(s).ok())
    else {
        return String::new();
    };
    let mut out = if let Some(ifaces) = info
        .pointer("/cniResult/Interfaces")
        .or_else(|| info.pointer("/cniResult/interfaces"))
    {
        let kept: Vec<Value> = ifaces
            .as_object()
            .map(|o| {
                o.iter()
                    .filter(|(name, _)| *name != "lo")
                    .map(|(name, v)| serde_json::json!({ name: v }))
                    .collect()
            })
            .or_else(|| ifaces.as_array().cloned())
            .unwrap_or_default();
        Value::Array(kept).to_string()
    } else {
        info.pointer("/runtimeSpec/annotations/io.kubernetes.cri-o.CNIResult")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    if out.len() > MAX_CNI_JSON {
        let mut end = MAX_CNI_JSON;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn status_and_sandbox() {
        let status = ContainerStatus {
            id: "a".repeat(64),
            metadata: Some(ContainerMetadata {
                name: "nginx".into(),
                attempt: 0,
            }),
            image: Some(ImageSpec {
                image: "docker.io/library/nginx:1.25".into(),
            }),
            image_ref: "docker.io/library/nginx@sha256:abcd".into(),
            created_at: 1_700_000_000_123_456_789,
            mounts: vec![Mount {
                container_path: "/data".into(),
                host_path: "/srv".into(),
                readonly: true,
                selinux_relabel: false,
                propagation: 1,
            }],
            ..Default::default()
        };
        let sandbox = PodSandboxStatusResponse {
            status: Some(PodSandboxStatus {
                id: "b".repeat(64),
                metadata: Some(PodSandboxMetadata {
                    name: "web-0".into(),
                    uid: "uid-1".into(),
                    namespace: "prod".into(),
                    attempt: 0,
                }),
                network: Some(PodSandboxNetworkStatus {
                    ip: "10.1.2.3".into(),
                }),
                linux: Some(LinuxPodSandboxStatus {
                    namespaces: Some(Namespace {
                        options: Some(NamespaceOption {
                            network: NODE,
                            pid: 0,
                            ipc: 0,
                        }),
                    }),
                }),
                labels: HashMap::from([("app".to_string(), "web".to_string())]),
                ..Default::default()
            }),
            info: HashMap::new(),
        };
        let verbose = serde_json::json!({"runtimeSpec": {"linux": {"security_context": {"privileged": true}}}});
        let i = to_info(status, &verbose, Some(sandbox), "containerd", 100);
        assert_eq!(i.name, "nginx");
        assert_eq!(i.image, "docker.io/library/nginx:1.25");
        assert_eq!(
            (i.image_repository.as_str(), i.image_tag.as_str()),
            ("docker.io/library/nginx", "1.25")
        );
        assert_eq!(i.image_digest, "sha256:abcd");
        assert_eq!(i.k8s_pod_name(), Some("web-0"));
        assert_eq!(i.k8s_ns_name(), Some("prod"));
        assert_eq!(i.k8s_pod_uid(), Some("uid-1"));
        assert_eq!(i.ip, "10.1.2.3");
        assert!(i.host_network && !i.host_pid);
        assert_eq!(i.privileged, Some(true));
        assert_eq!(i.created_time, 1_700_000_000);
        assert_eq!(i.mounts[0].propagation, "rslave");
        assert!(!i.mounts[0].rdwr);
        assert_eq!(i.pod_sandbox_id, "b".repeat(64));
        assert!(!i.is_pod_sandbox);
    }
}
