//! `user.*` and `group.*` fields.

use std::borrow::Cow;

use super::{Ctx, Field, FieldId, Value};

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let t = ctx.thread?;
    let users = &ctx.state.users;
    let na = || Value::Str(Cow::Borrowed("<NA>"));
    Some(match f.id {
        FieldId::UserUid => Value::Uint(t.uid as u64),
        FieldId::UserName => users
            .user(t.uid)
            .map_or_else(na, |u| Value::Str(Cow::Borrowed(&u.name))),
        FieldId::UserHomedir => users
            .user(t.uid)
            .map_or_else(na, |u| Value::Str(Cow::Borrowed(&u.homedir))),
        FieldId::UserShell => users
            .user(t.uid)
            .map_or_else(na, |u| Value::Str(Cow::Borrowed(&u.shell))),
        FieldId::UserLoginuid => Value::Int(t.loginuid as i32 as i64),
        FieldId::UserLoginname => {
            if t.loginuid == u32::MAX {
                na()
            } else {
                users
                    .user(t.loginuid)
                    .map_or_else(na, |u| Value::Str(Cow::Borrowed(&u.name)))
            }
        }
        FieldId::GroupGid => Value::Uint(t.gid as u64),
        FieldId::GroupName => users
            .group(t.gid)
            .map_or_else(na, |g| Value::Str(Cow::Borrowed(&g.name))),
        _ => return None,
    })
}
