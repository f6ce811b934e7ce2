//! Fields that walk a process's lineage or its groups: ancestors (`proc.aname[2]`), the session and
//! process-group leaders (`proc.sname`, `proc.pgid.name`), the login shell, and the environment of
//! ancestors.

use std::borrow::Cow;

use super::{Ctx, FieldArg, FieldId, Value};
use crate::state::{NulList, ThreadInfo, ThreadTable};

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}

/// The attribute an ancestor field reads.
pub fn ancestor_value<'a>(id: FieldId, t: &'a ThreadInfo) -> Value<'a> {
    match id {
        FieldId::ProcApid => Value::Int(t.pid),
        FieldId::ProcAname => s(&t.comm),
        FieldId::ProcAexe => s(&t.exe),
        FieldId::ProcAexepath => s(&t.exepath),
        FieldId::ProcAargs => Value::Str(Cow::Owned(t.args_joined())),
        _ => Value::Str(Cow::Owned(t.cmdline())),
    }
}

/// Any ancestor of the thread (parent first) whose value satisfies `f`.
pub fn any_ancestor<'a>(id: FieldId, ctx: &Ctx<'a>, f: &mut dyn FnMut(&Value<'a>) -> bool) -> bool {
    let Some(t) = ctx.thread else { return false };
    let threads = &ctx.state.threads;
    // Ancestors are processes: start from the process leader of the thread.
    let start = threads.get(t.pid).unwrap_or(t);
    threads.ancestors(start).any(|a| f(&ancestor_value(id, a)))
}

/// An ancestor field's value: the indexed ancestor, or without index (in an output) every ancestor's
/// value, space-separated, parent first (missing when there is none).
pub fn ancestor_field<'a>(
    id: FieldId,
    arg: &Option<FieldArg>,
    leader: &'a ThreadInfo,
    threads: &'a ThreadTable,
) -> Option<Value<'a>> {
    match arg {
        Some(FieldArg::Index(i)) => {
            let n = usize::try_from(*i).ok()?;
            Some(ancestor_value(id, threads.ancestor(leader, n)?))
        }
        // Without index, proc.apid prints the process's own pid (as Falco).
        _ if id == FieldId::ProcApid => Some(ancestor_value(id, leader)),
        _ => {
            let mut out = String::new();
            for a in threads.ancestors(leader) {
                if !out.is_empty() {
                    out.push(' ');
                }
                ancestor_value(id, a).render(&mut out);
            }
            (!out.is_empty()).then_some(Value::Str(Cow::Owned(out)))
        }
    }
}

/// Whether the thread lives in a child pid namespace.
fn in_pid_namespace(t: &ThreadInfo) -> bool {
    const PPM_CL_CHILD_IN_PIDNS: u32 = 1 << 29;
    t.flags & PPM_CL_CHILD_IN_PIDNS != 0 || (t.vtid >= 0 && t.tid != t.vtid)
}

/// The leader of the group `id_of` names (session, process group): the thread with that id when the
/// id is a host id (or the thread is in the host's pid namespace), else the oldest consecutive
/// ancestor with the same id.
pub fn group_leader<'a>(
    t: &'a ThreadInfo,
    threads: &'a ThreadTable,
    id_of: fn(&ThreadInfo) -> i64,
    virtual_id: bool,
) -> Option<&'a ThreadInfo> {
    let id = id_of(t);
    if id == -1 {
        return None;
    }
    if (!virtual_id || !in_pid_namespace(t))
        && let Some(l) = threads.get(id)
    {
        return Some(l);
    }
    threads.ancestors(t).take_while(|a| id_of(a) == id).last()
}

/// `proc.sname`: the name of the session's topmost process, as sysdig computes it (the session
/// leader when the walk up the lineage stays in the session).
pub fn session_name<'a>(leader: &'a ThreadInfo, threads: &'a ThreadTable) -> &'a str {
    let mut name = leader.comm.as_str();
    for a in threads.ancestors(leader) {
        if a.sid != leader.sid {
            break;
        }
        name = a.comm.as_str();
    }
    name
}

/// `proc.loginshellid`: the pid of the outermost process whose name ends in "sh", among the process
/// and its ancestors.
pub fn login_shell(leader: &ThreadInfo, threads: &ThreadTable) -> Option<i64> {
    let is_shell = |t: &ThreadInfo| t.comm.len() >= 2 && t.comm.ends_with("sh");
    let mut found = is_shell(leader).then_some(leader.pid);
    for a in threads.ancestors(leader) {
        if is_shell(a) {
            found = Some(a.pid);
        }
    }
    found
}

/// One variable of an environment (`NAME=value` entries).
pub fn env_var<'a>(env: &'a NulList, name: &str) -> Option<&'a str> {
    env.iter()
        .find_map(|e| e.strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
}

/// `proc.aenv`: without argument (or `[0]`) the process's environment; `[N]` the Nth ancestor's;
/// `[NAME]` the value of NAME in the nearest ancestor that has it (empty when none does).
pub fn ancestor_env<'a>(
    arg: &Option<FieldArg>,
    leader: &'a ThreadInfo,
    threads: &'a ThreadTable,
) -> Option<Value<'a>> {
    match arg {
        Some(FieldArg::Name(n)) => {
            let v = threads
                .ancestors(leader)
                .take(20)
                .find_map(|a| env_var(&a.env, n).filter(|v| !v.is_empty()))
                .unwrap_or("");
            Some(s(v))
        }
        Some(FieldArg::Index(i)) if *i > 0 => {
            let a = threads.ancestor(leader, usize::try_from(*i).ok()?)?;
            Some(Value::Str(Cow::Owned(a.env.join(" "))))
        }
        _ => Some(Value::Str(Cow::Owned(leader.env.join(" ")))),
    }
}

/// Capability names by bit, for thread.cap_*.
const CAPS: &[&str] = &[
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
];

/// A capability set as space-separated names.
pub fn caps(v: u64) -> String {
    let mut out = String::new();
    for (i, n) in CAPS.iter().enumerate() {
        if v & (1u64 << i) != 0 {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(n);
        }
    }
    out
}
