//! `proc.*` and `thread.*` fields.

use std::borrow::Cow;

use super::lineage::{self, ancestor_env, ancestor_field, caps, group_leader};
use super::{Ctx, Field, FieldArg, FieldId, Value};
use crate::state::ThreadInfo;

fn s(v: &str) -> Value<'_> {
    Value::Str(Cow::Borrowed(v))
}

fn owned<'a>(v: String) -> Value<'a> {
    Value::Str(Cow::Owned(v))
}

/// Missing when zero (Falco's rule for the inode and start-time fields).
fn nonzero<'a>(v: u64) -> Option<Value<'a>> {
    (v != 0).then_some(Value::Uint(v))
}

pub use lineage::any_ancestor;

#[inline]
/// `proc.name`, as [`extract`] gives it, for [`Field::extractor`].
pub(super) fn name<'a>(_: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    Some(s(&ctx.thread?.comm))
}

/// `proc.exe`, as [`extract`] gives it, for [`Field::extractor`].
pub(super) fn exe<'a>(_: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    Some(s(&ctx.thread?.exe))
}

/// `proc.pname`, as [`extract`] gives it, for [`Field::extractor`].
pub(super) fn pname<'a>(_: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    let t = ctx.thread?;
    let leader = ctx.leader.unwrap_or(t);
    Some(s(&ctx.state.threads.parent(leader)?.comm))
}

pub fn extract<'a>(f: &Field, ctx: &Ctx<'a>) -> Option<Value<'a>> {
    match f.id {
        // Known even when the thread is not.
        FieldId::ThreadTid => return Some(Value::Int(ctx.evt.tid)),
        FieldId::ThreadExectime => return Some(Value::Uint(ctx.ectx.exectime)),
        _ => {}
    }
    let t = ctx.thread?;
    // Process-wide attributes come from the leader when it is known.
    let leader = ctx.leader.unwrap_or(t);
    match f.id {
        FieldId::ProcPid => Some(Value::Int(t.pid)),
        FieldId::ProcExe => Some(s(&t.exe)),
        FieldId::ProcName => Some(s(&t.comm)),
        FieldId::ProcArgs => Some(match f.arg {
            Some(FieldArg::Index(i)) => s(usize::try_from(i)
                .ok()
                .and_then(|i| t.args.get(i))
                .map_or("", |a| a)),
            _ => owned(t.args_joined()),
        }),
        FieldId::ProcCmdline => Some(owned(t.cmdline())),
        FieldId::ProcCmdnargs => Some(Value::Uint(t.args.len() as u64)),
        FieldId::ProcCmdlenargs => Some(Value::Uint(t.args.iter().map(|a| a.len() as u64).sum())),
        // argv[0], a space, then the arguments (a trailing space without arguments, as Falco).
        FieldId::ProcExeline => Some(owned(format!("{} {}", t.exe, t.args.join(" ")))),
        // Threads share their process's environment.
        FieldId::ProcEnv => Some(match &f.arg {
            Some(FieldArg::Name(n)) => s(lineage::env_var(&leader.env, n).unwrap_or("")),
            _ => owned(leader.env.join(" ")),
        }),
        FieldId::ProcAenv => ancestor_env(&f.arg, leader, &ctx.state.threads),
        FieldId::ProcCwd => Some(s(&t.cwd)),
        FieldId::ProcTty => Some(Value::Uint(t.tty as u64)),
        FieldId::ProcExepath => Some(s(&t.exepath)),
        FieldId::ProcVpid if t.vpid == -1 => None,
        FieldId::ProcVpid => Some(Value::Int(t.vpid)),
        FieldId::ProcPvpid => Some(Value::Int(ctx.state.threads.get(t.ptid)?.vpid)),
        FieldId::ProcSid => Some(Value::Int(t.sid)),
        FieldId::ProcVpgid => Some(Value::Int(t.vpgid)),
        FieldId::ProcPgid => Some(Value::Int(t.pgid)),
        FieldId::ThreadVtid if t.vtid == -1 => None,
        FieldId::ThreadVtid => Some(Value::Int(t.vtid)),
        FieldId::ThreadIsmain => Some(Value::Bool(t.is_main_thread())),
        _ => lineage_fields(f, ctx, t, leader).or_else(|| attribute_fields(f, ctx, t, leader)),
    }
}

/// Parents, ancestors and group leaders.
fn lineage_fields<'a>(
    f: &Field,
    ctx: &Ctx<'a>,
    t: &'a ThreadInfo,
    leader: &'a ThreadInfo,
) -> Option<Value<'a>> {
    let threads = &ctx.state.threads;
    let group = |id_of: fn(&ThreadInfo) -> i64, virt: bool, get: fn(&ThreadInfo) -> &str| {
        s(group_leader(t, threads, id_of, virt).map_or("", get))
    };
    Some(match f.id {
        FieldId::ProcPpid => Value::Int(leader.ptid),
        FieldId::ProcPname => s(&threads.parent(leader)?.comm),
        FieldId::ProcPcmdline => owned(threads.parent(leader)?.cmdline()),
        FieldId::ProcPexe => s(&threads.parent(leader)?.exe),
        FieldId::ProcPexepath => s(&threads.parent(leader)?.exepath),
        FieldId::ProcApid
        | FieldId::ProcAname
        | FieldId::ProcAexe
        | FieldId::ProcAexepath
        | FieldId::ProcAcmdline
        | FieldId::ProcAargs => return ancestor_field(f.id, &f.arg, leader, threads),
        FieldId::ProcLoginshellid => Value::Int(lineage::login_shell(leader, threads)?),
        FieldId::ProcSname => s(lineage::session_name(leader, threads)),
        FieldId::ProcSidExe => group(|t| t.sid, true, |t| &t.exe),
        FieldId::ProcSidExepath => group(|t| t.sid, true, |t| &t.exepath),
        FieldId::ProcVpgidName => group(|t| t.vpgid, true, |t| &t.comm),
        FieldId::ProcVpgidExe => group(|t| t.vpgid, true, |t| &t.exe),
        FieldId::ProcVpgidExepath => group(|t| t.vpgid, true, |t| &t.exepath),
        FieldId::ProcPgidName => group(|t| t.pgid, false, |t| &t.comm),
        FieldId::ProcPgidExe => group(|t| t.pgid, false, |t| &t.exe),
        FieldId::ProcPgidExepath => group(|t| t.pgid, false, |t| &t.exepath),
        FieldId::ProcIsSidLeader => Value::Bool(t.sid == t.vpid),
        FieldId::ProcIsVpgidLeader => Value::Bool(t.vpgid == t.vpid),
        FieldId::ProcIsPgidLeader => Value::Bool(t.pgid == t.pid),
        FieldId::ProcDuration if t.clone_ts == 0 => return None,
        FieldId::ProcDuration => Value::Uint(ctx.evt.ts.saturating_sub(t.clone_ts)),
        FieldId::ProcPpidDuration => {
            let p = threads.parent(leader).filter(|p| p.clone_ts != 0)?;
            Value::Uint(ctx.evt.ts.saturating_sub(p.clone_ts))
        }
        FieldId::ProcPidTs => return nonzero(t.clone_ts),
        FieldId::ProcPpidTs => Value::Uint(threads.get(t.ptid)?.clone_ts),
        // From the table's per-process index: no scan of the table per event.
        FieldId::ProcNthreads => Value::Uint(threads.thread_count(t.pid) as u64),
        FieldId::ProcNchilds if !t.is_main_thread() => Value::Uint(0),
        FieldId::ProcNchilds => Value::Uint(threads.non_leader_count(t.pid) as u64),
        _ => return None,
    })
}

/// Attributes of the thread or its process: memory, fds, executable, capabilities, cgroups.
fn attribute_fields<'a>(
    f: &Field,
    ctx: &Ctx<'a>,
    t: &'a ThreadInfo,
    leader: &'a ThreadInfo,
) -> Option<Value<'a>> {
    let threads = &ctx.state.threads;
    let main_only = |v: u64| Value::Uint(if t.is_main_thread() { v } else { 0 });
    Some(match f.id {
        FieldId::ProcFdopencount => Value::Uint(threads.fd_owner(t.tid)?.fds.len() as u64),
        // An unknown limit is -1 (no process runs with a limit of 0).
        FieldId::ProcFdlimit if leader.fdlimit == 0 => Value::Int(-1),
        FieldId::ProcFdlimit => Value::Int(leader.fdlimit as i64),
        FieldId::ProcFdusage => {
            let open = threads.fd_owner(t.tid).map_or(0, |o| o.fds.len()) as f64;
            let limit = leader.fdlimit as i64;
            Value::Double(if limit > 0 {
                (open * 100.0 / limit as f64).min(100.0)
            } else {
                0.0
            })
        }
        FieldId::ProcVmsize => Value::Uint(t.vmsize_kb as u64),
        FieldId::ProcVmrss => Value::Uint(t.vmrss_kb as u64),
        FieldId::ProcVmswap => Value::Uint(t.vmswap_kb as u64),
        FieldId::ThreadVmsize => main_only(t.vmsize_kb as u64),
        FieldId::ThreadVmrss => main_only(t.vmrss_kb as u64),
        FieldId::ThreadVmsizeB => main_only(t.vmsize_kb as u64 * 1024),
        FieldId::ThreadVmrssB => main_only(t.vmrss_kb as u64 * 1024),
        FieldId::ThreadPfmajor => Value::Uint(t.pfmajor),
        FieldId::ThreadPfminor => Value::Uint(t.pfminor),
        FieldId::ThreadNametid => owned(format!("{}{}", t.comm, ctx.evt.tid)),
        FieldId::ThreadTotexectime => Value::Uint(t.totexectime),
        FieldId::ThreadCpu | FieldId::ThreadCpuUser | FieldId::ThreadCpuSystem => {
            return thread_cpu(f.id, ctx, t);
        }
        FieldId::ProcIsExeWritable => Value::Bool(t.exe_writable),
        FieldId::ProcIsExeUpperLayer => Value::Bool(t.exe_upper_layer),
        FieldId::ProcIsExeLowerLayer => Value::Bool(t.exe_lower_layer),
        FieldId::ProcIsExeFromMemfd => Value::Bool(t.exe_from_memfd),
        FieldId::ProcExeIno if t.exe_ino == 0 => return None,
        FieldId::ProcExeIno => Value::Int(t.exe_ino as i64),
        FieldId::ProcExeInoCtime => return nonzero(t.exe_ino_ctime),
        FieldId::ProcExeInoMtime => return nonzero(t.exe_ino_mtime),
        FieldId::ProcExeInoCtimeDurationProcStart => {
            return nonzero(t.exe_ino_ctime_duration_clone_ts);
        }
        FieldId::ProcExeInoCtimeDurationPidnsStart => {
            return nonzero(t.exe_ino_ctime_duration_pidns_start);
        }
        FieldId::ProcPidnsInitStartTs => return nonzero(t.pidns_init_start_ts),
        FieldId::ThreadCapPermitted => owned(caps(t.cap_permitted)),
        FieldId::ThreadCapInheritable => owned(caps(t.cap_inheritable)),
        FieldId::ThreadCapEffective => owned(caps(t.cap_effective)),
        FieldId::ThreadCgroups if t.cgroups.is_empty() => return None,
        FieldId::ThreadCgroups => {
            let mut v = String::new();
            for (k, p) in t.cgroups.iter() {
                if !v.is_empty() {
                    v.push(' ');
                }
                v.push_str(k);
                v.push('=');
                v.push_str(p);
            }
            owned(v)
        }
        FieldId::ThreadCgroup => {
            let Some(FieldArg::Name(sub)) = &f.arg else {
                return None;
            };
            s(t.cgroups.iter().find(|(k, _)| k == sub)?.1.as_str())
        }
        FieldId::ProcStdinType | FieldId::ProcStdoutType | FieldId::ProcStderrType => {
            let fd = f.id as i64 - FieldId::ProcStdinType as i64;
            s(threads.fd_owner(t.tid)?.fds.get(fd)?.kind.name())
        }
        FieldId::ProcStdinName | FieldId::ProcStdoutName | FieldId::ProcStderrName => {
            let fd = f.id as i64 - FieldId::ProcStdinName as i64;
            s(&threads.fd_owner(t.tid)?.fds.get(fd)?.name)
        }
        _ => return None,
    })
}

/// thread.cpu / .user / .system on procinfo events: the CPU time since the thread's previous
/// procinfo event, capped at 100 (0 for the first one).
fn thread_cpu<'a>(id: FieldId, ctx: &Ctx<'a>, t: &ThreadInfo) -> Option<Value<'a>> {
    if ctx.evt.event_type != crate::schema::ev::PROCINFO_E {
        return None;
    }
    let (cur, prev) = (t.cpu_times, t.cpu_times_prev);
    let pick = |(u, s): (u64, u64)| match id {
        FieldId::ThreadCpuUser => u,
        FieldId::ThreadCpuSystem => s,
        _ => u.wrapping_add(s),
    };
    let (c, p) = (pick(cur), pick(prev));
    Some(Value::Double(if p != 0 {
        (c.wrapping_sub(p) as f64).min(100.0)
    } else {
        0.0
    }))
}
