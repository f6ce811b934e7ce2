//! Files and paths: opens, the path a relative name resolves to, dup.

use super::*;
use crate::state::parser::{param_i64, param_str, param_u64};

const SCAP_MAX_PATH_SIZE: usize = 1024;

/// Whether `path` is its own resolution ([`State::resolve_path`]): absolute, normal and short
/// enough that [`concat_paths`] gives it back unchanged.
fn resolves_to_itself(path: &str) -> bool {
    path.len() < SCAP_MAX_PATH_SIZE && is_normal(path.as_bytes())
}

/// Joins `path` to `base` (a directory, with or without a trailing slash) and removes `.` and `..`
/// components, as sysdig does for relative paths.
///
/// Like libsinsp, a result that could exceed `SCAP_MAX_PATH_SIZE` (1024) bytes is replaced by
/// `/DIR_TOO_LONG/FILENAME_TOO_LONG`, so repeated relative chdirs cannot grow a cwd without bound.
pub fn concat_paths(base: &str, path: &str) -> String {
    if base.len() + path.len() + 1 > SCAP_MAX_PATH_SIZE {
        return "/DIR_TOO_LONG/FILENAME_TOO_LONG".to_string();
    }
    let mut joined = String::with_capacity(base.len() + 1 + path.len());
    if !(path.starts_with('/') || base.is_empty()) {
        joined.push_str(base);
        if !base.ends_with('/') {
            joined.push('/');
        }
    }
    joined.push_str(path);
    if is_normal(joined.as_bytes()) {
        // Most paths are: no second buffer, no list of components.
        return joined;
    }
    normalize_path(&joined)
}

/// Whether [`normalize_path`] would return `p` unchanged: absolute, and no empty, `.` or `..`
/// component before the last (which may be empty: a trailing slash is kept).
fn is_normal(p: &[u8]) -> bool {
    let Some((b'/', rest)) = p.split_first() else {
        return false;
    };
    // Only a component after a slash that starts with a slash or a dot can be empty, `.` or `..`.
    if !crate::bytes::slash_followed_by(p, b'/', b'.') {
        return true;
    }
    let mut parts = rest.split(|&b| b == b'/').peekable();
    while let Some(c) = parts.next() {
        let last = parts.peek().is_none();
        match c {
            b"." | b".." => return false,
            b"" if !last => return false,
            _ => {}
        }
    }
    true
}

pub(super) fn normalize_path(p: &str) -> String {
    if !p.starts_with('/') {
        return p.to_string();
    }
    let mut parts: Vec<&str> = Vec::new();
    for c in p.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let mut s = String::with_capacity(p.len());
    for c in &parts {
        s.push('/');
        s.push_str(c);
    }
    if s.is_empty() {
        s.push('/');
    }
    if p.ends_with('/') && s.len() > 1 {
        s.push('/');
    }
    s
}

impl State {
    pub(super) fn parse_open(&mut self, e: &Event<'_>, res: Option<i64>) {
        // The enter event's path wins (it is what the caller asked for); old openat layouts have it
        // only there. An enter event that carries no path (empty, or `<NA>`) leaves it to the exit.
        let spare = self.spare_name();
        let mut offs = NO_OFFSETS;
        let enter = self.enter_for(e, &mut offs).and_then(|en| {
            let name = param_str!(en, "name").filter(|n| !n.is_empty() && *n != b"<NA>")?;
            Some((en, name))
        });
        let name = enter
            .as_ref()
            .map(|(_, name)| *name)
            .or_else(|| param_str!(e, "name"))
            .or_else(|| param_str!(e, "pathname"))
            .map(|b| lossy_into(spare, b));
        // The exit adds what the call did (created the file, overlay layer) to the requested flags.
        let exit_flags = param_u64!(e, "flags").unwrap_or(0) as u32 | creat_layer_flags(e);
        let flags = match enter.as_ref().and_then(|(en, _)| param_u64!(en, "flags")) {
            Some(f) => f as u32 | (exit_flags & !(PPM_O_F_CREATED - 1)),
            None => exit_flags,
        };
        let dirfd = enter
            .as_ref()
            .and_then(|(en, _)| param_i64!(en, "dirfd"))
            .or_else(|| param_i64!(e, "dirfd"));
        let Some(fd) = res.filter(|f| *f >= 0) else {
            return;
        };
        let dev = param_u64!(e, "dev").unwrap_or(0) as u32;
        let ino = param_u64!(e, "ino").unwrap_or(0);
        let name = name.unwrap_or_default();
        let kind = if flags & PPM_O_DIRECTORY != 0 {
            FdType::Directory
        } else {
            FdType::File
        };
        // An absolute path with nothing to resolve is its own resolution: one copy, kept as the
        // fd's name and read back as fd.nameraw.
        let (path, raw) = if resolves_to_itself(&name) {
            (name, None)
        } else {
            (
                self.resolve_path(e.tid, dirfd, &name),
                Some(name.into_boxed_str()),
            )
        };
        let mut fi = FdInfo::named(kind, path);
        fi.name_raw_is_name = raw.is_none();
        fi.name_raw = raw;
        fi.open_flags = flags;
        fi.dev = dev;
        fi.ino = ino;
        self.add_fd(e.tid, fd, fi);
        self.set_last_fd(e.tid, fd);
    }

    /// Resolves a path of an *at() syscall (dirfd, or the cwd for AT_FDCWD / plain calls).
    pub fn resolve_path(&self, tid: i64, dirfd: Option<i64>, path: &str) -> String {
        if path.starts_with('/') {
            return concat_paths("", path);
        }
        let base = match dirfd {
            Some(d) if d != crate::abi::AT_FDCWD => match self.fd(tid, d) {
                Some(f) => f.name.clone(),
                None => return path.to_string(),
            },
            _ => self
                .threads
                .get(tid)
                .map(|t| t.cwd.clone())
                .unwrap_or_default(),
        };
        if base.is_empty() {
            return path.to_string();
        }
        concat_paths(&base, path)
    }

    pub(super) fn dup_fd(&mut self, tid: i64, oldfd: i64, newfd: i64) {
        if let Some(fi) = self.fd(tid, oldfd).cloned() {
            self.add_fd(tid, newfd, fi);
            self.set_last_fd(tid, newfd);
        }
    }
}

/// PPM_O_F_CREATED: the open created the file. Flags from this bit up are the exit's findings.
pub const PPM_O_F_CREATED: u32 = 1 << 14;
/// The file is in an overlayfs upper / lower layer (open flags).
pub const PPM_FD_UPPER_LAYER: u32 = 1 << 15;
pub const PPM_FD_LOWER_LAYER: u32 = 1 << 16;

/// creat reports the overlay layer in its own `creat_flags`: as open flags.
fn creat_layer_flags(e: &Event<'_>) -> u32 {
    match param_u64!(e, "creat_flags") {
        Some(f) if f & 1 != 0 => PPM_FD_UPPER_LAYER,
        Some(f) if f & 2 != 0 => PPM_FD_LOWER_LAYER,
        _ => 0,
    }
}

pub(super) fn with_slash(mut s: String) -> String {
    if !s.ends_with('/') {
        s.push('/');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_goes_into_a_spare_name_with_room_else_into_a_new_one_with_room() {
        let spare = String::with_capacity(64);
        let at = spare.as_ptr();
        let s = lossy_into(spare, b"/etc/passwd");
        assert_eq!((s.as_str(), s.as_ptr()), ("/etc/passwd", at));
        let long = format!("/{}", "d".repeat(100));
        let s = lossy_into(String::with_capacity(8), long.as_bytes());
        assert_eq!((s.as_str(), s.capacity()), (long.as_str(), 128));
        assert_eq!(lossy_into(String::new(), b"/a\xffb"), "/a\u{fffd}b");
    }

    #[test]
    fn is_normal_exactly_when_normalizing_an_absolute_path_changes_nothing() {
        for p in [
            "/", "/a", "/a/b/", "/a/.b", "/a/..b", "/a/b.", "//a", "/a//b", "/a/./b", "/a/../b",
            "/a/.", "/a/..", "/.", "/..", "/a//", "//",
        ] {
            assert_eq!(is_normal(p.as_bytes()), normalize_path(p) == p, "{p}");
        }
        assert!(!is_normal(b"a/b") && !is_normal(b""));
    }

    #[test]
    fn a_path_resolves_to_itself_exactly_when_resolving_it_gives_it_back() {
        let long = format!("/{}", "d".repeat(1022));
        let longer = format!("/{}", "d".repeat(1023));
        for p in [
            "/", "/a", "/a/b/", "/a/./b", "/a/../b", "//a", "a/b", "", &long, &longer,
        ] {
            // resolve_path resolves an absolute path on its own, whatever the directory.
            let itself = p.starts_with('/') && concat_paths("", p) == p;
            assert_eq!(resolves_to_itself(p), itself, "{p:?}");
        }
    }

    #[test]
    fn paths() {
        assert_eq!(concat_paths("/tmp/", "a"), "/tmp/a");
        assert_eq!(concat_paths("/tmp", "./a/../b"), "/tmp/b");
        assert_eq!(concat_paths("/tmp/", "/etc//passwd"), "/etc/passwd");
        assert_eq!(concat_paths("/", ".."), "/");
        assert_eq!(concat_paths("", "rel"), "rel");
        let long = format!("/{}", "d".repeat(1020));
        assert_eq!(
            concat_paths(&long, "abc"),
            "/DIR_TOO_LONG/FILENAME_TOO_LONG"
        );
    }
}
