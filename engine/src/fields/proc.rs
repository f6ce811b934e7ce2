//! `proc.*` and `thread.*` fields.

use std::borrow::Cow;

use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::state::ThreadInfo;

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}

/// Shells that make a login-shell chain (proc.loginshellid).
const SHELLS: &[&str] = &[
    "sh", "bash", "csh", "tcsh", "zsh", "ksh", "fish", "dash", "ash", "busybox",
];

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

fn caps(v: u64) -> String {
    CAPS.iter()
        .enumerate()
        .filter(|(i, _)| v & (1u64 << i) != 0)
        .map(|(_, n)| *n)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The attribute an ancestor field reads.
fn ancestor_value<'a>(id: FieldId, t: &'a ThreadInfo) -> Value<'a> {
    match id {
        FieldId::ProcApid => Value::Int(t.pid),
        FieldId::ProcAname => s(&t.comm),
        FieldId::ProcAexe => s(&t.exe),
        FieldId::ProcAexepath => s(&t.exepath),
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

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    // The thread id is the event's, known even when the thread is not.
    if f.id == FieldId::ThreadTid {
        return Some(Value::Int(ctx.evt.tid));
    }
    let t = ctx.thread?;
    let threads = &ctx.state.threads;
    // Process-wide attributes come from the leader when it is known.
    let leader = ctx.leader.unwrap_or(t);
    Some(match f.id {
        FieldId::ProcPid => Value::Int(t.pid),
        FieldId::ProcExe => s(&t.exe),
        FieldId::ProcName => s(&t.comm),
        FieldId::ProcArgs => Value::Str(Cow::Owned(t.args_joined())),
        // Threads share their process's environment.
        FieldId::ProcEnv => match &f.arg {
            Some(FieldArg::Name(n)) => {
                let prefix = format!("{n}=");
                let v = leader
                    .env
                    .iter()
                    .find_map(|e| e.strip_prefix(prefix.as_str()))?;
                s(v)
            }
            _ => Value::Str(Cow::Owned(leader.env.join(" "))),
        },
        FieldId::ProcCmdline => Value::Str(Cow::Owned(t.cmdline())),
        FieldId::ProcExeline => {
            let mut v = t.exe.clone();
            for a in &t.args {
                v.push(' ');
                v.push_str(a);
            }
            Value::Str(Cow::Owned(v))
        }
        FieldId::ProcCwd => s(&t.cwd),
        FieldId::ProcNthreads => Value::Uint(threads.thread_count(t.pid) as u64),
        FieldId::ProcNchilds if !t.is_main_thread() => Value::Uint(0),
        FieldId::ProcNchilds => Value::Uint(threads.non_leader_count(t.pid) as u64),
        FieldId::ProcPpid => Value::Int(leader.ptid),
        FieldId::ProcPname => s(&threads.parent(leader)?.comm),
        FieldId::ProcPcmdline => Value::Str(Cow::Owned(threads.parent(leader)?.cmdline())),
        FieldId::ProcPexe => s(&threads.parent(leader)?.exe),
        FieldId::ProcPexepath => s(&threads.parent(leader)?.exepath),
        FieldId::ProcApid
        | FieldId::ProcAname
        | FieldId::ProcAexe
        | FieldId::ProcAexepath
        | FieldId::ProcAcmdline => {
            let n = match f.arg {
                Some(FieldArg::Index(i)) => usize::try_from(i).ok()?,
                _ => 1,
            };
            ancestor_value(f.id, threads.ancestor(leader, n)?)
        }
        FieldId::ProcLoginshellid => {
            let mut found = None;
            if SHELLS.contains(&leader.comm.as_str()) {
                found = Some(leader.pid);
            }
            for a in threads.ancestors(leader) {
                if SHELLS.contains(&a.comm.as_str()) {
                    found = Some(a.pid);
                }
            }
            Value::Int(found?)
        }
        FieldId::ProcDuration => {
            if leader.clone_ts == 0 {
                return None;
            }
            Value::Uint(ctx.evt.ts.saturating_sub(leader.clone_ts))
        }
        FieldId::ProcFdopencount => Value::Uint(threads.fd_owner(t.tid)?.fds.len() as u64),
        FieldId::ProcFdlimit => Value::Int(leader.fdlimit as i64),
        FieldId::ProcVmsize => Value::Uint(leader.vmsize_kb as u64),
        FieldId::ProcVmrss => Value::Uint(leader.vmrss_kb as u64),
        FieldId::ProcVmswap => Value::Uint(leader.vmswap_kb as u64),
        FieldId::ProcVpid if t.vpid == -1 => return None,
        FieldId::ProcVpid => Value::Int(t.vpid),
        FieldId::ProcSid => Value::Int(t.sid),
        // The session's name: the topmost ancestor that is still in the same session.
        FieldId::ProcSname => {
            let mut name = leader.comm.as_str();
            for a in threads.ancestors(leader) {
                if a.sid != leader.sid {
                    break;
                }
                name = a.comm.as_str();
            }
            s(name)
        }
        FieldId::ProcTty => Value::Int(t.tty as i64),
        FieldId::ProcExepath => s(&t.exepath),
        FieldId::ProcVpgid => Value::Int(t.vpgid),
        FieldId::ProcIsExeWritable => Value::Bool(t.exe_writable),
        FieldId::ProcIsExeUpperLayer => Value::Bool(t.exe_upper_layer),
        FieldId::ProcIsExeFromMemfd => Value::Bool(t.exe_from_memfd),
        FieldId::ProcIsSidLeader => Value::Bool(t.sid == t.pid),
        FieldId::ProcIsVpgidLeader => Value::Bool(t.vpgid >= 0 && t.vpgid == t.vpid),
        FieldId::ThreadTid => Value::Int(t.tid),
        FieldId::ThreadVtid if t.vtid == -1 => return None,
        FieldId::ThreadVtid => Value::Int(t.vtid),
        FieldId::ThreadIsmain => Value::Bool(t.is_main_thread()),
        FieldId::ThreadCgroups if t.cgroups.is_empty() => return None,
        FieldId::ThreadCgroups => Value::Str(Cow::Owned(
            t.cgroups
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(" "),
        )),
        FieldId::ThreadCgroup => {
            let Some(FieldArg::Name(sub)) = &f.arg else {
                return None;
            };
            s(t.cgroups.iter().find(|(k, _)| k == sub)?.1.as_str())
        }
        FieldId::ThreadPfmajor => Value::Uint(t.pfmajor),
        FieldId::ThreadPfminor => Value::Uint(t.pfminor),
        FieldId::ThreadCapPermitted => Value::Str(Cow::Owned(caps(t.cap_permitted))),
        FieldId::ThreadCapInheritable => Value::Str(Cow::Owned(caps(t.cap_inheritable))),
        FieldId::ThreadCapEffective => Value::Str(Cow::Owned(caps(t.cap_effective))),
        _ => return None,
    })
}
