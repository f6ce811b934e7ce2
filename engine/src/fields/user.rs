//! `user.*` and `group.*` fields. Names of ids the user table does not know are missing (`<NA>`).

use std::borrow::Cow;

use super::{Ctx, Field, FieldId, Value};

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let t = ctx.thread?;
    let users = &ctx.state.users;
    let s = |v: &'a str| Value::Str(Cow::Borrowed(v));
    Some(match f.id {
        FieldId::UserUid => Value::Uint(t.uid as u64),
        FieldId::UserName => s(&users.user(t.uid)?.name),
        FieldId::UserHomedir => s(&users.user(t.uid)?.homedir),
        FieldId::UserShell => s(&users.user(t.uid)?.shell),
        FieldId::UserLoginuid => Value::Int(t.loginuid as i32 as i64),
        FieldId::UserLoginname => {
            if t.loginuid == u32::MAX {
                return None;
            }
            s(&users.user(t.loginuid)?.name)
        }
        FieldId::GroupGid => Value::Uint(t.gid as u64),
        FieldId::GroupName => s(&users.group(t.gid)?.name),
        _ => return None,
    })
}
