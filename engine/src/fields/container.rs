//! `container.*` fields. The id comes from the thread's cgroups; name and image from container
//! events when the capture has them. Outside containers, id and name are `host`.

use std::borrow::Cow;

use super::{Ctx, Field, FieldId, Value};

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let t = ctx.thread?;
    let id = t.container_id.as_str();
    let host = id.is_empty();
    let info = if host {
        None
    } else {
        ctx.state.containers.get(id)
    };
    let s = |v: &'a str| Value::Str(Cow::Borrowed(v));
    Some(match f.id {
        FieldId::ContainerId => s(if host { "host" } else { id }),
        FieldId::ContainerName => match (host, info) {
            (true, _) => s("host"),
            (false, Some(c)) if !c.name.is_empty() => s(&c.name),
            _ => return None,
        },
        FieldId::ContainerImage => s(&info.filter(|c| !c.image.is_empty())?.image),
        FieldId::ContainerImageRepository => s(&info
            .filter(|c| !c.image_repository.is_empty())?
            .image_repository),
        FieldId::ContainerImageTag => s(&info.filter(|c| !c.image_tag.is_empty())?.image_tag),
        FieldId::ContainerType => {
            if host {
                s("host")
            } else {
                s(info
                    .filter(|c| !c.runtime.is_empty())
                    .map_or("container", |c| c.runtime.as_str()))
            }
        }
        FieldId::ContainerPrivileged => Value::Bool(info?.privileged?),
        FieldId::ContainerInfo => {
            if host {
                s("host")
            } else {
                let name = info
                    .map(|c| c.name.as_str())
                    .filter(|n| !n.is_empty())
                    .unwrap_or("<NA>");
                Value::Str(Cow::Owned(format!(
                    "container_id={id} container_name={name}"
                )))
            }
        }
        FieldId::K8sNsName => s(info?.k8s_ns_name()?),
        FieldId::K8sPodName => s(info?.k8s_pod_name()?),
        _ => return None,
    })
}
