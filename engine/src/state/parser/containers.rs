//! Container events: the container table from the capture's `container` and container JSON events.

use super::*;

impl State {
    pub(super) fn parse_container(&mut self, e: &Event<'_>) {
        let id = p_str(e, "id").map(lossy).unwrap_or_default();
        if id.is_empty() {
            return;
        }
        let image = p_str(e, "image").map(lossy).unwrap_or_default();
        let (repo, tag) = split_image(&image);
        self.containers.upsert(ContainerInfo {
            id: id.chars().take(12).collect(),
            name: p_str(e, "name").map(lossy).unwrap_or_default(),
            image_repository: repo,
            image_tag: tag,
            image,
            ..Default::default()
        });
    }

    pub(super) fn parse_container_json(&mut self, e: &Event<'_>) {
        let Some(json) = p_str(e, "json") else { return };
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(json) else {
            return;
        };
        let c = v.get("container").unwrap_or(&v);
        let s = |k: &str| c.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let id = s("id");
        if id.is_empty() {
            return;
        }
        let image = s("image");
        let (repo, tag) = split_image(&image);
        let runtime = match c.get("type") {
            Some(serde_json::Value::String(t)) => t.clone(),
            Some(serde_json::Value::Number(n)) => match n.as_u64() {
                Some(0) => "docker",
                Some(1) => "lxc",
                Some(2) => "libvirt-lxc",
                Some(3) => "mesos",
                Some(4) => "rkt",
                Some(5) => "custom",
                Some(6) => "cri",
                Some(7) => "containerd",
                Some(8) => "cri-o",
                Some(9) => "bpm",
                Some(10) => "static",
                Some(11) => "podman",
                _ => "unknown",
            }
            .to_string(),
            _ => String::new(),
        };
        self.containers.upsert(ContainerInfo {
            id: id.chars().take(12).collect(),
            name: s("name"),
            image_repository: if s("imagerepo").is_empty() {
                repo
            } else {
                s("imagerepo")
            },
            image_tag: if s("imagetag").is_empty() {
                tag
            } else {
                s("imagetag")
            },
            image,
            privileged: c.get("privileged").and_then(|x| x.as_bool()),
            runtime,
        });
    }
}

/// `repo:tag` → (repo, tag); a digest or port colon is not a tag separator.
pub fn split_image(image: &str) -> (String, String) {
    let base = image.split('@').next().unwrap_or(image);
    match base.rfind(':') {
        Some(i) if !base[i..].contains('/') => (base[..i].to_string(), base[i + 1..].to_string()),
        _ => (base.to_string(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images() {
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
}
