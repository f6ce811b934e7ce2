//! Docker and podman: the container's inspect answer (podman's libpod API has the image's name and
//! digest in it; docker's needs the image inspected too), turned into a [`ContainerInfo`].

use std::path::Path;

use falco_engine::state::ContainerInfo;
use falco_engine::state::containers::{HealthProbe, Mount, split_image};
use serde_json::Value;

use crate::error::RuntimeError;
use crate::http;
use crate::labels;

fn parse(body: &[u8]) -> Result<Value, RuntimeError> {
    serde_json::from_slice(body).map_err(|e| RuntimeError::Decode(e.to_string()))
}

fn text<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    let mut cur = v;
    for k in path {
        match cur.get(k) {
            Some(x) => cur = x,
            None => return "",
        }
    }
    cur.as_str().unwrap_or("")
}

/// Docker: `GET /containers/ID/json`, then the image for its tags and digests.
pub async fn docker(
    socket: &Path,
    id: &str,
    label_max: usize,
) -> Result<ContainerInfo, RuntimeError> {
    let c = parse(&http::get(socket, &format!("/containers/{id}/json")).await?)?;
    let mut info = common(&c, "docker", label_max);
    info.image = text(&c, &["Config", "Image"]).to_string();
    let image_ref = text(&c, &["Image"]).to_string();
    info.image_id = image_ref.trim_start_matches("sha256:").to_string();
    // The image's tags and digests; a missing image leaves them empty, as the plugin does.
    if !image_ref.is_empty()
        && let Ok(body) = http::get(socket, &format!("/images/{image_ref}/json")).await
        && let Ok(img) = parse(&body)
    {
        fill_from_image(&mut info, &img);
    }
    if info.image_repository.is_empty() {
        (info.image_repository, info.image_tag) = split_image(&info.image);
    }
    Ok(info)
}

/// The repository, tag and digest from an image's RepoDigests and RepoTags, as the container plugin
/// picks them: the first repository, its digest, and a tag of that repository.
fn fill_from_image(info: &mut ContainerInfo, img: &Value) {
    let list = |k: &str| -> Vec<String> {
        img.get(k)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut repo = String::new();
    let mut digests = Vec::new();
    let mut digest = String::new();
    for rd in list("RepoDigests") {
        let Some((r, d)) = rd.split_once('@') else {
            continue;
        };
        if repo.is_empty() {
            repo = r.to_string();
        }
        digests.push(d.to_string());
        if rd.contains(&repo) {
            digest = d.to_string();
            break;
        }
    }
    if digest.is_empty() && digests.len() == 1 {
        digest = digests.remove(0);
    }
    let mut tag = String::new();
    for rt in list("RepoTags") {
        let (r, t) = split_image(&rt);
        if r.is_empty() || t.is_empty() {
            continue;
        }
        if repo.is_empty() {
            repo = r;
        }
        if rt.contains(&repo) {
            tag = t;
            break;
        }
    }
    info.image_repository = repo;
    info.image_tag = tag;
    info.image_digest = digest;
}

/// Podman (4.0 and later): `GET /v4.0.0/libpod/containers/ID/json`.
pub async fn podman(
    socket: &Path,
    id: &str,
    label_max: usize,
) -> Result<ContainerInfo, RuntimeError> {
    let c = parse(&http::get(socket, &format!("/v4.0.0/libpod/containers/{id}/json")).await?)?;
    let mut info = common(&c, "podman", label_max);
    info.image = text(&c, &["ImageName"]).to_string();
    info.image_digest = text(&c, &["ImageDigest"]).to_string();
    info.image_id = text(&c, &["Image"]).to_string();
    (info.image_repository, info.image_tag) = split_image(&info.image);
    Ok(info)
}

/// What docker's and podman's inspect answers share.
fn common(c: &Value, runtime: &str, label_max: usize) -> ContainerInfo {
    let full_id = text(c, &["Id"]).to_string();
    let name = text(c, &["Name"]).trim_start_matches('/').to_string();
    let host = |k: &str| text(c, &["HostConfig", k]) == "host";
    let mounts = c
        .get("Mounts")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .map(|m| Mount {
                    source: text(m, &["Source"]).to_string(),
                    dest: text(m, &["Destination"]).to_string(),
                    mode: text(m, &["Mode"]).to_string(),
                    rdwr: m.get("RW").and_then(Value::as_bool).unwrap_or(false),
                    propagation: text(m, &["Propagation"]).to_string(),
                })
                .collect()
        })
        .unwrap_or_default();
    let labels = labels::bounded(c.pointer("/Config/Labels"), label_max);
    let (liveness_probe, readiness_probe) = labels::k8s_probes(c.pointer("/Config/Labels"));
    ContainerInfo {
        id: full_id.chars().take(12).collect(),
        is_pod_sandbox: name.contains("k8s_POD"),
        name,
        full_id,
        privileged: Some(
            c.pointer("/HostConfig/Privileged")
                .and_then(Value::as_bool)
                .unwrap_or(false),
        ),
        runtime: runtime.to_string(),
        user: text(c, &["Config", "User"]).to_string(),
        ip: text(c, &["NetworkSettings", "IPAddress"]).to_string(),
        mounts,
        labels,
        healthcheck: healthcheck(c.pointer("/Config/Healthcheck/Test")),
        liveness_probe,
        readiness_probe,
        created_time: labels::rfc3339_secs(text(c, &["Created"])),
        host_pid: host("PidMode"),
        host_network: host("NetworkMode"),
        host_ipc: host("IpcMode"),
        ..Default::default()
    }
}

/// A HEALTHCHECK's test: `["CMD-SHELL", "cmd"]` runs `/bin/sh -c cmd`, `["CMD", exe, args...]` runs
/// exe; `["NONE"]` or nothing is no probe.
fn healthcheck(test: Option<&Value>) -> Option<HealthProbe> {
    let words: Vec<String> = test?
        .as_array()?
        .iter()
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect();
    match words.split_first()? {
        (kind, [cmd]) if kind == "CMD-SHELL" => Some(HealthProbe {
            exe: "/bin/sh".into(),
            args: vec!["-c".into(), cmd.clone()],
        }),
        (kind, [exe, args @ ..]) if kind == "CMD" => Some(HealthProbe {
            exe: exe.clone(),
            args: args.to_vec(),
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn inspect_answer() {
        let c = json!({
            "Id": "57d4de31ba59ce7ead949ad9becfb8bbbddc4cad5c1e276b6b44c531a341f1a4",
            "Name": "/web", "Created": "2026-12-06T01:22:00.670839904Z",
            "Config": {"User": "1000", "Labels": {"a": "b", "long": "x".repeat(200)},
                       "Healthcheck": {"Test": ["CMD-SHELL", "curl -f localhost"]}},
            "HostConfig": {"Privileged": true, "NetworkMode": "host", "PidMode": "", "IpcMode": "private"},
            "NetworkSettings": {"IPAddress": "172.17.0.2"},
            "Mounts": [{"Source": "/etc", "Destination": "/host/etc", "Mode": "ro", "RW": false,
                        "Propagation": "rprivate"}]
        });
        let i = common(&c, "docker", 100);
        assert_eq!(i.id, "57d4de31ba59");
        assert_eq!(i.name, "web");
        assert_eq!(i.privileged, Some(true));
        assert!(i.host_network && !i.host_pid && !i.host_ipc);
        assert_eq!(i.labels, vec![("a".to_string(), "b".to_string())]);
        assert_eq!(i.mounts[0].dest, "/host/etc");
        assert_eq!(i.created_time, 1_796_520_120);
        assert_eq!(
            i.healthcheck.unwrap().args,
            vec!["-c".to_string(), "curl -f localhost".to_string()]
        );
        let mut info = ContainerInfo::default();
        fill_from_image(
            &mut info,
            &json!({"RepoTags": ["reg:5000/app:v1"], "RepoDigests": ["reg:5000/app@sha256:ab"]}),
        );
        assert_eq!(
            (
                info.image_repository.as_str(),
                info.image_tag.as_str(),
                info.image_digest.as_str()
            ),
            ("reg:5000/app", "v1", "sha256:ab")
        );
    }
}
