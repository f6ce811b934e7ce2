//! User-list blocks (UL V1/V2): users and groups.

use super::{Cursor, Entries, MAX_CREDENTIALS, put_lp};
use crate::scap::block_type;
use crate::scap::error::ScapError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserEntry {
    pub uid: u32,
    pub gid: u32,
    pub name: String,
    pub homedir: String,
    pub shell: String,
}

/// A group of the UL block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupEntry {
    pub gid: u32,
    pub name: String,
}

const USERBLOCK_TYPE_USER: u8 = 0;
const USERBLOCK_TYPE_GROUP: u8 = 1;

/// One entry of a user-list block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRecord {
    User(UserEntry),
    Group(GroupEntry),
}

/// The entries of a user-list block body of type `btype`, decoded as they are iterated.
pub fn user_entries(c: Cursor<'_>, btype: u32) -> Entries<'_, UserRecord> {
    Entries::new(c, btype, parse_next_user)
}

fn parse_next_user(c: &mut Cursor<'_>, btype: u32) -> Result<UserRecord, ScapError> {
    let start = c.pos();
    let at = c.offset();
    let sub_len = if btype == block_type::UL_V2 {
        c.u32("UL entry length")? as usize
    } else {
        0
    };
    let ty = c.u8("UL type")?;
    let rec = if ty == USERBLOCK_TYPE_USER {
        UserRecord::User(UserEntry {
            uid: c.u32("UL uid")?,
            gid: c.u32("UL gid")?,
            name: c.lp_string(MAX_CREDENTIALS - 1, "UL user name")?,
            homedir: c.lp_string(MAX_CREDENTIALS - 1, "UL homedir")?,
            shell: c.lp_string(MAX_CREDENTIALS - 1, "UL shell")?,
        })
    } else {
        UserRecord::Group(GroupEntry {
            gid: c.u32("UL gid")?,
            name: c.lp_string(MAX_CREDENTIALS - 1, "UL group name")?,
        })
    };
    if sub_len != 0 {
        let read = c.pos() - start;
        if read > sub_len {
            return Err(ScapError::corrupt(at, "user entry longer than its length"));
        }
        c.skip(sub_len - read, "UL entry tail")?;
    }
    Ok(rec)
}

/// Appends a user in the UL_V2 layout.
pub fn encode_user_v2(u: &UserEntry, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    out.push(USERBLOCK_TYPE_USER);
    out.extend_from_slice(&u.uid.to_le_bytes());
    out.extend_from_slice(&u.gid.to_le_bytes());
    put_lp(out, u.name.as_bytes(), MAX_CREDENTIALS - 1);
    put_lp(out, u.homedir.as_bytes(), MAX_CREDENTIALS - 1);
    put_lp(out, u.shell.as_bytes(), MAX_CREDENTIALS - 1);
    let len = (out.len() - start) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

/// Appends a group in the UL_V2 layout.
pub fn encode_group_v2(g: &GroupEntry, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    out.push(USERBLOCK_TYPE_GROUP);
    out.extend_from_slice(&g.gid.to_le_bytes());
    put_lp(out, g.name.as_bytes(), MAX_CREDENTIALS - 1);
    let len = (out.len() - start) as u32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}
