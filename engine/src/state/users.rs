//! Users and groups: from a capture's user-list block, or live from the host's /etc/passwd and
//! /etc/group (under the host root when falco runs in a container).

use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

use super::limits::{MAX_GROUPS, MAX_USERS};
use crate::scap::blocks::UserRecord;
use crate::scap::{GroupEntry, UserEntry};

#[derive(Debug, Clone, Default)]
pub struct UserTable {
    users: HashMap<u32, UserEntry>,
    groups: HashMap<u32, GroupEntry>,
}

impl UserTable {
    pub fn user(&self, uid: u32) -> Option<&UserEntry> {
        self.users.get(&uid)
    }

    pub fn group(&self, gid: u32) -> Option<&GroupEntry> {
        self.groups.get(&gid)
    }

    /// Adds a user unless known already; false when the table holds [`MAX_USERS`].
    pub fn add_user(&mut self, u: UserEntry) -> bool {
        if self.users.len() >= MAX_USERS && !self.users.contains_key(&u.uid) {
            return false;
        }
        self.users.entry(u.uid).or_insert(u);
        true
    }

    /// Adds a group unless known already; false when the table holds [`MAX_GROUPS`].
    pub fn add_group(&mut self, g: GroupEntry) -> bool {
        if self.groups.len() >= MAX_GROUPS && !self.groups.contains_key(&g.gid) {
            return false;
        }
        self.groups.entry(g.gid).or_insert(g);
        true
    }

    /// Adds an entry of a capture's user list; false when its table is full.
    pub fn add(&mut self, r: UserRecord) -> bool {
        match r {
            UserRecord::User(u) => self.add_user(u),
            UserRecord::Group(g) => self.add_group(g),
        }
    }

    pub fn users(&self) -> impl Iterator<Item = &UserEntry> {
        self.users.values()
    }

    pub fn groups(&self) -> impl Iterator<Item = &GroupEntry> {
        self.groups.values()
    }

    pub fn clear(&mut self) {
        self.users.clear();
        self.groups.clear();
    }

    /// Loads `etc/passwd` and `etc/group` below `root` ("/" on the host). Missing files are not an
    /// error: the fields then render as `<NA>`.
    pub fn load_host(root: &Path) -> UserTable {
        let mut t = UserTable::default();
        if let Ok(s) = std::fs::read_to_string(root.join("etc/passwd")) {
            for line in s.lines() {
                let f: Vec<&str> = line.split(':').collect();
                if f.len() < 7 || line.starts_with('#') {
                    continue;
                }
                let (Ok(uid), Ok(gid)) = (f[2].parse(), f[3].parse()) else {
                    continue;
                };
                // A full table keeps the first entries.
                let _ = t.add_user(UserEntry {
                    uid,
                    gid,
                    name: f[0].to_string(),
                    homedir: f[5].to_string(),
                    shell: f[6].to_string(),
                });
            }
        }
        if let Ok(s) = std::fs::read_to_string(root.join("etc/group")) {
            for line in s.lines() {
                let f: Vec<&str> = line.split(':').collect();
                if f.len() < 3 || line.starts_with('#') {
                    continue;
                }
                let Ok(gid) = f[2].parse() else { continue };
                let _ = t.add_group(GroupEntry {
                    gid,
                    name: f[0].to_string(),
                });
            }
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_passwd_and_group() {
        let dir = std::env::temp_dir().join(format!("falco-users-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("etc")).unwrap();
        std::fs::write(
            dir.join("etc/passwd"),
            "root:x:0:0:root:/root:/bin/bash\nbad line\n",
        )
        .unwrap();
        std::fs::write(dir.join("etc/group"), "root:x:0:\nadm:x:4:syslog\n").unwrap();
        let t = UserTable::load_host(&dir);
        assert_eq!(t.user(0).unwrap().name, "root");
        assert_eq!(t.user(0).unwrap().homedir, "/root");
        assert_eq!(t.group(4).unwrap().name, "adm");
        assert!(t.user(1).is_none());
        std::fs::remove_dir_all(dir).unwrap();
    }
}
