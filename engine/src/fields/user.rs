//! `user.*` and `group.*` fields. Ids the user table does not know have the name `root` for id 0
//! and `<NA>` otherwise (a value, as in Falco, not a missing field).

use std::borrow::Cow;

use super::{Ctx, Field, FieldId, Value};
use crate::schema::ev;

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let t = ctx.thread?;
    let users = &ctx.state.users;
    let s = |v: &'a str| Value::Str(Cow::Borrowed(v));
    // A container event's user is the container's configured user, when it has one.
    if f.id == FieldId::UserName
        && ctx.evt.event_type == ev::CONTAINER_JSON_2_E
        && let Some((_, Some(c))) = super::container::event_container(ctx)
        && !c.user.is_empty()
    {
        return Some(s(&c.user));
    }
    let user = users.user(t.uid);
    Some(match f.id {
        FieldId::UserUid => Value::Uint(t.uid as u64),
        FieldId::UserName => s(user.map_or(if t.uid == 0 { "root" } else { "<NA>" }, |u| &u.name)),
        FieldId::UserHomedir => {
            s(user.map_or(if t.uid == 0 { "/root" } else { "<NA>" }, |u| &u.homedir))
        }
        FieldId::UserShell => s(user.map_or("<NA>", |u| &u.shell)),
        FieldId::UserLoginuid => Value::Int(if t.loginuid == u32::MAX {
            -1
        } else {
            t.loginuid as i64
        }),
        FieldId::UserLoginname => s(users
            .user(t.loginuid)
            .map_or(if t.loginuid == 0 { "root" } else { "<NA>" }, |u| &u.name)),
        FieldId::GroupGid => Value::Uint(t.gid as u64),
        FieldId::GroupName => s(users
            .group(t.gid)
            .map_or(if t.gid == 0 { "root" } else { "<NA>" }, |g| &g.name)),
        _ => return None,
    })
}
