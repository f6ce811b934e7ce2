//! Fields of Falco's container plugin: `container.*`, `k8s.*` (from the CRI labels
//! `io.kubernetes.*`) and its deprecated `proc.is_container_*`. The id comes from the thread's
//! cgroups; the rest from the capture's container events. On a container event itself, the
//! fields describe the container the event announces. Outside containers the plugin's `host`
//! container answers: id, name and type `host`, empty metadata.

use std::borrow::Cow;
use std::cell::RefCell;

use rustc_hash::FxHashMap;

use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::schema::ev;
use crate::state::ContainerInfo;
use crate::state::containers::{Mount, find};
use crate::state::parser::param_str;

/// The host's pseudo-container.
static HOST: std::sync::LazyLock<ContainerInfo> = std::sync::LazyLock::new(|| ContainerInfo {
    id: "host".into(),
    full_id: "host".into(),
    name: "host".into(),
    runtime: "host".into(),
    privileged: Some(false),
    ..Default::default()
});

/// The container id a container event announces.
fn event_container_id(ctx: &Ctx<'_>) -> Option<String> {
    let e = ctx.evt;
    let id = match e.event_type {
        ev::CONTAINER_E => param_str!(e, "id").map(|b| String::from_utf8_lossy(b).into_owned()),
        ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E => {
            let json = param_str!(e, "json")?;
            let v: serde_json::Value = serde_json::from_slice(json).ok()?;
            let c = v.get("container").unwrap_or(&v);
            c.get("id").and_then(|i| i.as_str()).map(str::to_string)
        }
        _ => return None,
    }?;
    Some(id.chars().take(12).collect())
}

fn is_container_event(t: u16) -> bool {
    matches!(
        t,
        ev::CONTAINER_E | ev::CONTAINER_JSON_E | ev::CONTAINER_JSON_2_E
    )
}

/// The container of the event: the one a container event announces, else the thread's.
/// Returns the id as the thread knows it and the metadata, when known.
pub fn event_container<'a>(ctx: &Ctx<'a>) -> Option<(Cow<'a, str>, Option<&'a ContainerInfo>)> {
    // The descriptions written at the start of a capture (thread 0) only fill the table: Falco 0.40
    // gives them no container fields, so no rule fires on them; a container started during the
    // capture (thread -1) is announced with its fields.
    if is_container_event(ctx.evt.event_type) && ctx.evt.tid != 0 {
        let id = event_container_id(ctx)?;
        let info = ctx.state.containers.get(&id);
        return Some((Cow::Owned(id), info));
    }
    let t = ctx.thread?;
    if t.container_id.is_empty() {
        return Some((Cow::Borrowed(""), Some(&HOST)));
    }
    let info = ctx.state.containers.get(&t.container_id);
    Some((Cow::Borrowed(t.container_id.as_str()), info))
}

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let (id, info) = event_container(ctx)?;
    // Known without the container's metadata.
    match f.id {
        FieldId::ContainerId => {
            return Some(match info {
                Some(c) => s(&c.id),
                None => Value::Str(id),
            });
        }
        FieldId::ContainerStartTs | FieldId::ContainerDuration => {
            let start = ctx.thread.map_or(0, |t| t.pidns_init_start_ts);
            if start == 0 {
                return None;
            }
            return Some(Value::Uint(if f.id == FieldId::ContainerStartTs {
                start
            } else {
                ctx.evt.ts.wrapping_sub(start)
            }));
        }
        _ => {}
    }
    let c = info?;
    Some(match f.id {
        FieldId::ContainerFullId => s(&c.full_id),
        FieldId::ContainerName => s(&c.name),
        FieldId::ContainerImage => s(&c.image),
        FieldId::ContainerImageId => s(&c.image_id),
        FieldId::ContainerType => s(&c.runtime),
        FieldId::ContainerPrivileged => Value::Bool(c.privileged.unwrap_or(false)),
        FieldId::ContainerMounts => Value::Str(Cow::Owned(
            c.mounts
                .iter()
                .map(Mount::text)
                .collect::<Vec<_>>()
                .join(","),
        )),
        FieldId::ContainerMount
        | FieldId::ContainerMountSource
        | FieldId::ContainerMountDest
        | FieldId::ContainerMountMode
        | FieldId::ContainerMountRdwr
        | FieldId::ContainerMountPropagation => return mount_field(f, c),
        FieldId::ContainerImageRepository => s(&c.image_repository),
        FieldId::ContainerImageTag => s(&c.image_tag),
        FieldId::ContainerImageDigest => s(&c.image_digest),
        FieldId::ContainerIp => s(&c.ip),
        FieldId::ContainerCniJson => s(&c.cni_json),
        FieldId::ContainerHostPid => Value::Bool(c.host_pid),
        FieldId::ContainerHostNetwork => Value::Bool(c.host_network),
        FieldId::ContainerHostIpc => Value::Bool(c.host_ipc),
        FieldId::ContainerLabel => s(c.label(arg_name(f)?)?),
        FieldId::ContainerLabels => Value::Str(Cow::Owned(join_labels(&c.labels))),
        FieldId::K8sPodName => s(c.label("io.kubernetes.pod.name")?),
        FieldId::K8sNsName => s(c.label("io.kubernetes.pod.namespace")?),
        FieldId::K8sPodId | FieldId::K8sPodUid => s(c.label("io.kubernetes.pod.uid")?),
        FieldId::K8sPodSandboxId => s(&c.pod_sandbox_id[..c.pod_sandbox_id.len().min(12)]),
        FieldId::K8sPodFullSandboxId => s(&c.pod_sandbox_id),
        FieldId::K8sPodLabel
        | FieldId::K8sPodLabels
        | FieldId::K8sPodIp
        | FieldId::K8sPodCniJson => {
            return pod_field(f, c, ctx);
        }
        // Deprecated by the plugin: never a value.
        _ => return None,
    })
}

fn arg_name(f: &Field) -> Option<&str> {
    match &f.arg {
        Some(FieldArg::Name(n)) => Some(n),
        _ => None,
    }
}

/// Labels as `key:value`, comma-separated, without Kubernetes' own labels and annotations.
fn join_labels(labels: &[(String, String)]) -> String {
    let mut out = String::new();
    for (k, v) in labels {
        if k.starts_with("annotation.") || k.starts_with("io.kubernetes.") {
            continue;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(k);
        if !v.is_empty() {
            out.push(':');
            out.push_str(v);
        }
    }
    out
}

/// The pod's own fields come from the pod sandbox container when this container has no CNI result.
fn pod_field<'a>(f: &Field, c: &'a ContainerInfo, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let sandbox = if c.cni_json.is_empty() {
        let sid = &c.pod_sandbox_id[..c.pod_sandbox_id.len().min(12)];
        ctx.state.containers.get(sid)
    } else {
        None
    };
    Some(match f.id {
        FieldId::K8sPodLabel => {
            let key = arg_name(f)?;
            s(sandbox
                .and_then(|sb| find(&sb.pod_sandbox_labels, key))
                .or_else(|| find(&c.pod_sandbox_labels, key))?)
        }
        FieldId::K8sPodLabels => Value::Str(Cow::Owned(join_labels(
            &sandbox.unwrap_or(c).pod_sandbox_labels,
        ))),
        FieldId::K8sPodIp if c.cni_json.is_empty() => s(&sandbox?.ip),
        FieldId::K8sPodIp => s(&c.ip),
        FieldId::K8sPodCniJson if c.cni_json.is_empty() => s(&sandbox?.cni_json),
        _ => s(&c.cni_json),
    })
}

/// A mount by index, or by a pattern (a regular expression, as the plugin matches it) on its source
/// (on its destination for container.mount.source).
fn mount_field<'a>(f: &Field, c: &'a ContainerInfo) -> Option<Value<'a>> {
    let m = match f.arg.as_ref()? {
        FieldArg::Index(i) => c.mounts.get(usize::try_from(*i).ok()?)?,
        FieldArg::Name(pat) => {
            let by_dest = f.id == FieldId::ContainerMountSource;
            c.mounts
                .iter()
                .find(|m| pattern_find(pat, if by_dest { &m.dest } else { &m.source }))?
        }
    };
    Some(match f.id {
        FieldId::ContainerMount => Value::Str(Cow::Owned(m.text())),
        FieldId::ContainerMountSource => s(&m.source),
        FieldId::ContainerMountDest => s(&m.dest),
        FieldId::ContainerMountMode => s(&m.mode),
        FieldId::ContainerMountRdwr => s(if m.rdwr { "true" } else { "false" }),
        _ => s(&m.propagation),
    })
}

/// Whether the regular expression `pat` matches somewhere in `text`; patterns are compiled once.
fn pattern_find(pat: &str, text: &str) -> bool {
    thread_local! {
        static CACHE: RefCell<FxHashMap<String, Option<regex::Regex>>> = RefCell::default();
    }
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        // Bounded: patterns come from rules, a handful in practice.
        if c.len() > 1024 {
            c.clear();
        }
        if let Some(r) = c.get(pat) {
            return r.as_ref().is_some_and(|r| r.is_match(text));
        }
        let r = regex::RegexBuilder::new(pat).multi_line(true).build().ok();
        let hit = r.as_ref().is_some_and(|r| r.is_match(text));
        c.insert(pat.to_string(), r);
        hit
    })
}
