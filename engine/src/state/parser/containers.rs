//! Container events: the container table from the capture's `container` and container JSON events.

use super::*;

impl State {
    pub(super) fn parse_container(&mut self, e: &Event<'_>) {
        let id = param_str!(e, "id").map(lossy).unwrap_or_default();
        if id.is_empty() {
            return;
        }
        let image = param_str!(e, "image").map(lossy).unwrap_or_default();
        let (repo, tag) = split_image(&image);
        self.containers.upsert(ContainerInfo {
            id: id.chars().take(12).collect(),
            full_id: if id.len() > 12 {
                id.clone()
            } else {
                String::new()
            },
            name: param_str!(e, "name").map(lossy).unwrap_or_default(),
            runtime: crate::state::containers::runtime_name(
                param_u64!(e, "type").unwrap_or(u64::MAX),
            )
            .to_string(),
            image_repository: repo,
            image_tag: tag,
            image,
            ..Default::default()
        });
    }

    pub(super) fn parse_container_json(&mut self, e: &Event<'_>) {
        let Some(json) = param_str!(e, "json") else {
            return;
        };
        let Ok(v) = serde_json::from_slice::<serde_json::Value>(json) else {
            return;
        };
        if let Some(info) = ContainerInfo::from_json(&v) {
            self.containers.upsert(info);
        }
    }
}

pub use crate::state::containers::split_image;
use crate::state::parser::{param_str, param_u64};
