//! `fs.path.*` fields: the path arguments of the exits of successful filesystem syscalls, raw or
//! made absolute, as Falco's fs.path class defines them per event type.

use std::borrow::Cow;

use super::{Ctx, Field, FieldId, Value};
use crate::schema::Direction;
use crate::state::FdType;
use crate::state::parser::concat_paths;
use crate::state::parser::param_i64;

/// Which argument holds a path, per syscall: (name, how success is checked, path argument, source
/// argument, target argument). `fd` arguments name the event's fd rather than a path.
#[derive(Clone, Copy)]
enum Success {
    ResZero,
    FdNotMinusOne,
}

struct PathArgs {
    success: Success,
    path: Option<&'static str>,
    source: Option<&'static str>,
    target: Option<&'static str>,
}

const fn path(success: Success, arg: &'static str) -> PathArgs {
    PathArgs {
        success,
        path: Some(arg),
        source: None,
        target: None,
    }
}

const fn pair(source: &'static str, target: &'static str) -> PathArgs {
    PathArgs {
        success: Success::ResZero,
        path: None,
        source: Some(source),
        target: Some(target),
    }
}

fn path_args(syscall: &str) -> Option<PathArgs> {
    use Success::*;
    Some(match syscall {
        "mkdir" | "mkdirat" | "rmdir" | "unlink" | "chown" | "lchown" => path(ResZero, "path"),
        "unlinkat" | "umount" | "umount2" => path(ResZero, "name"),
        "open" | "openat" | "openat2" => path(FdNotMinusOne, "name"),
        "fchmodat" | "chmod" => path(ResZero, "filename"),
        "fchmod" | "fchown" => path(ResZero, "fd"),
        "fchownat" => path(ResZero, "pathname"),
        "quotactl" => path(ResZero, "special"),
        "rename" | "renameat" | "renameat2" => pair("oldpath", "newpath"),
        // Falco names the new link the source and the existing file the target.
        "link" | "linkat" => pair("newpath", "oldpath"),
        "symlink" | "symlinkat" => pair("linkpath", "target"),
        "mount" => pair("dev", "dir"),
        _ => return None,
    })
}

/// The text of a path argument (from the enter event for exit layouts that lack it).
fn arg_text(ctx: &Ctx<'_>, name: &str) -> Option<String> {
    if name == "fd" {
        // fchmod / fchown: the file of the event's fd.
        return ctx.fd.map(|f| f.name.clone());
    }
    match super::evt::raw_param(ctx, name)? {
        Value::Str(s) => Some(s.into_owned()),
        _ => None,
    }
}

fn succeeded(ctx: &Ctx<'_>, s: Success) -> bool {
    let get = |n| match super::evt::raw_param(ctx, n) {
        Some(Value::Int(v)) => Some(v),
        Some(Value::Uint(v)) => Some(v as i64),
        _ => None,
    };
    match s {
        Success::ResZero => get("res") == Some(0),
        Success::FdNotMinusOne => get("fd").is_some_and(|fd| fd != -1),
    }
}

/// A directory fd's name with a trailing slash, or `<UNKNOWN>` (Falco's prefix for paths relative to
/// a directory it does not know).
fn dirfd_dir(ctx: &Ctx<'_>, dirfd: Option<i64>) -> String {
    let e = ctx.evt;
    match dirfd.and_then(|d| ctx.state.fd(e.tid, d)) {
        Some(f) if f.kind == FdType::Directory => {
            if f.name.is_empty() || f.name.ends_with('/') {
                f.name.clone()
            } else {
                format!("{}/", f.name)
            }
        }
        _ => "<UNKNOWN>".to_string(),
    }
}

/// The directory a relative path is resolved against, per syscall (as Falco: the cwd unless the
/// syscall's directory fd is handled).
fn base_dir(ctx: &Ctx<'_>, id: FieldId, path: &str) -> Option<String> {
    let e = ctx.evt;
    let t = ctx.thread?;
    Some(match e.name() {
        // The open's new fd already has the resolved path.
        "openat" | "openat2" => return Some(String::new()),
        "newfstatat" | "fchownat" | "fchmodat" | "mkdirat" | "unlinkat" | "mknodat" => {
            dirfd_dir(ctx, param_i64!(e, "dirfd"))
        }
        "symlinkat" if id == FieldId::FsPathSource => dirfd_dir(ctx, param_i64!(e, "linkdirfd")),
        "symlinkat" => "<UNKNOWN>".to_string(),
        "renameat2" => {
            let d = match id {
                FieldId::FsPathTarget => param_i64!(e, "newdirfd"),
                FieldId::FsPathSource => param_i64!(e, "olddirfd"),
                _ => return Some("<UNKNOWN>".to_string()),
            };
            match d {
                _ if path.starts_with('/') => ".".to_string(),
                Some(crate::abi::AT_FDCWD) => t.cwd.clone(),
                Some(fd) => match ctx.state.fd(e.tid, fd) {
                    Some(f) if f.name.is_empty() || f.name.ends_with('/') => f.name.clone(),
                    Some(f) => format!("{}/", f.name),
                    None => "<UNKNOWN>".to_string(),
                },
                None => "<UNKNOWN>".to_string(),
            }
        }
        _ => t.cwd.clone(),
    })
}

/// Joins as Falco does: the directory is expected to end in '/', and is used as it is otherwise.
fn join(base: &str, path: &str) -> String {
    if base.is_empty() || base.ends_with('/') {
        concat_paths(base, path)
    } else {
        concat_paths("", &format!("{base}{path}"))
    }
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let e = ctx.evt;
    if e.direction() != Direction::Exit {
        return None;
    }
    let args = path_args(e.name())?;
    if !succeeded(ctx, args.success) {
        return None;
    }
    let arg = match f.id {
        FieldId::FsPathName | FieldId::FsPathNameraw => args.path,
        FieldId::FsPathSource | FieldId::FsPathSourceraw => args.source,
        _ => args.target,
    }?;
    let raw = arg_text(ctx, arg)?;
    let resolved = match f.id {
        FieldId::FsPathNameraw | FieldId::FsPathSourceraw | FieldId::FsPathTargetraw => raw,
        _ if raw.is_empty() => raw,
        _ if raw.starts_with('/') => concat_paths("", &raw),
        _ => {
            let base = base_dir(ctx, f.id, &raw)?;
            if matches!(e.name(), "openat" | "openat2") {
                // Falco reads the open's fd instead of resolving the path again.
                let name = ctx.fd.map_or("<UNKNOWN>", |fd| fd.name.as_str());
                concat_paths("", name)
            } else {
                join(&base, &raw)
            }
        }
    };
    Some(Value::Str(Cow::Owned(resolved)))
}
