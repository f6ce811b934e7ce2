//! Which syscalls live capture asks the probe for: those the loaded rules can match, plus those
//! state tracking needs to keep the thread and fd tables right (as Falco's `base_syscalls` does).
//! Everything else is never encoded, which is most of the cost saved on a busy host.

use crate::abi::SYSCALL_TABLE_SIZE;
use crate::abi::syscall::X86_64;
use crate::filter::evttype::{EventTypeSet, syscall_id};
use crate::schema::{self, ef, ev};

/// Syscalls that change the process tree, credentials, the fd table or the working directory:
/// without them, fields such as proc.pname, user.name, fd.name and proc.cwd go stale.
pub const STATE_SYSCALLS: &[&str] = &[
    // Process tree and programs.
    "clone",
    "clone3",
    "fork",
    "vfork",
    "execve",
    "execveat",
    "exit",
    "exit_group",
    // Credentials, sessions, namespaces, capabilities.
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setfsuid",
    "setfsgid",
    "setpgid",
    "setsid",
    "capset",
    "prctl",
    "unshare",
    "setns",
    // Working directory and root.
    "chdir",
    "fchdir",
    "chroot",
    // The fd table.
    "open",
    "openat",
    "openat2",
    "creat",
    "open_by_handle_at",
    "close",
    "close_range",
    "dup",
    "dup2",
    "dup3",
    "fcntl",
    "pipe",
    "pipe2",
    "eventfd",
    "eventfd2",
    "signalfd",
    "signalfd4",
    "timerfd_create",
    "inotify_init",
    "inotify_init1",
    "epoll_create",
    "epoll_create1",
    "userfaultfd",
    "memfd_create",
    "pidfd_open",
    "pidfd_getfd",
    "io_uring_setup",
    "bpf",
    // Sockets: creation, addresses, and fds passed over unix sockets.
    "socket",
    "socketpair",
    "bind",
    "connect",
    "listen",
    "accept",
    "accept4",
    "shutdown",
    "recvmsg",
    "recvmmsg",
    // Mounts change what paths mean for containers.
    "mount",
    "umount",
    "umount2",
];

/// How to choose the syscall set (the `base_syscalls` section of falco.yaml, and -A).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Every syscall (-A).
    pub all: bool,
    /// base_syscalls.custom_set: names to add; `!name` removes a name from the state set.
    pub custom_set: Vec<String>,
    /// base_syscalls.repair: with a custom set, still add what state tracking needs.
    pub repair: bool,
}

/// High-volume events (read, write, mmap, ...): without -A, rules naming them do not switch them
/// on, as in Falco (`falco -i` lists them). State tracking still asks for those it needs (close).
fn ignored_without_all(event_type: u16) -> bool {
    schema::info(event_type).is_some_and(|i| i.flags & ef::EF_DROP_SIMPLE_CONS != 0)
}

/// The syscalls the rules can match that stay off without -A: their names, for a warning.
pub fn ignored_rule_syscalls(required: &EventTypeSet, sel: &Selection) -> Vec<&'static str> {
    if sel.all {
        return Vec::new();
    }
    let mut v: Vec<&'static str> = required
        .ids()
        .filter(|&id| id != ev::GENERIC_E && id != ev::GENERIC_X && ignored_without_all(id))
        .filter_map(|id| schema::info(id).map(|i| i.name))
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Problems with a selection: unknown names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("base_syscalls.custom_set: unknown syscall '{0}'")]
pub struct UnknownSyscall(pub String);

/// x86_64 syscall numbers to enable, given the event types the rules need (`required`) and the
/// syscall codes generic-event rules name (`rule_syscalls`, ppm_sc codes).
pub fn syscall_numbers(
    required: &EventTypeSet,
    rule_syscalls: &[u16],
    sel: &Selection,
) -> Result<Vec<u32>, UnknownSyscall> {
    if sel.all {
        return Ok((0..SYSCALL_TABLE_SIZE as u32).collect());
    }
    let mut codes: Vec<u16> = rule_syscalls.to_vec();
    let mut removed: Vec<u16> = Vec::new();
    let custom = !sel.custom_set.is_empty();
    for name in &sel.custom_set {
        let (neg, n) = match name.strip_prefix('!') {
            Some(n) => (true, n.trim()),
            None => (false, name.trim()),
        };
        let code = syscall_id(n).ok_or_else(|| UnknownSyscall(n.to_string()))?;
        if neg {
            removed.push(code)
        } else {
            codes.push(code)
        }
    }
    // Falco's rule: no custom set means the full state set; a custom set replaces it unless
    // repair asks for it back.
    if !custom || sel.repair {
        codes.extend(STATE_SYSCALLS.iter().filter_map(|n| syscall_id(n)));
    }
    codes.retain(|c| !removed.contains(c));
    codes.sort_unstable();
    codes.dedup();
    let mut out = Vec::new();
    for (nr, e) in X86_64.iter().enumerate() {
        if e.ppm_sc == 0 {
            continue;
        }
        let dedicated = e.enter != ev::GENERIC_E;
        let by_event = dedicated
            && (required.contains(e.enter) || required.contains(e.exit))
            && !ignored_without_all(e.exit);
        if (by_event && !removed.contains(&e.ppm_sc)) || codes.binary_search(&e.ppm_sc).is_ok() {
            out.push(nr as u32);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filter::evttype::ids_for_name;

    fn nr(name: &str) -> u32 {
        let code = syscall_id(name).unwrap();
        X86_64.iter().position(|e| e.ppm_sc == code).unwrap() as u32
    }

    #[test]
    fn state_names_are_known_syscalls() {
        for n in STATE_SYSCALLS {
            assert!(syscall_id(n).is_some(), "{n}");
        }
    }

    #[test]
    fn rules_plus_state() {
        let req = ids_for_name("ptrace");
        let v = syscall_numbers(&req, &[], &Selection::default()).unwrap();
        for n in ["ptrace", "execve", "openat", "close", "connect", "clone3"] {
            assert!(v.contains(&nr(n)), "{n}");
        }
        // High-volume syscalls no rule asked for stay off.
        for n in ["read", "write", "futex", "nanosleep", "mmap"] {
            assert!(!v.contains(&nr(n)), "{n}");
        }
    }

    #[test]
    fn high_volume_syscalls_need_all() {
        let req = ids_for_name("read").union(&ids_for_name("openat"));
        let v = syscall_numbers(&req, &[], &Selection::default()).unwrap();
        assert!(!v.contains(&nr("read")) && v.contains(&nr("openat")));
        assert_eq!(
            ignored_rule_syscalls(&req, &Selection::default()),
            vec!["read"]
        );
        // close is high-volume too, but state tracking needs it.
        assert!(v.contains(&nr("close")));
    }

    #[test]
    fn generic_syscalls_by_code() {
        let code = syscall_id("sched_yield").unwrap();
        let v = syscall_numbers(&EventTypeSet::empty(), &[code], &Selection::default()).unwrap();
        assert!(v.contains(&nr("sched_yield")));
    }

    #[test]
    fn custom_set_without_repair_replaces_the_state_set() {
        let sel = Selection {
            custom_set: vec!["execve".into(), "!openat".into()],
            ..Selection::default()
        };
        let v = syscall_numbers(&ids_for_name("openat"), &[], &sel).unwrap();
        assert!(v.contains(&nr("execve")));
        assert!(!v.contains(&nr("openat")), "removed explicitly");
        assert!(!v.contains(&nr("clone3")), "no repair");
        let sel = Selection {
            repair: true,
            ..sel
        };
        let v = syscall_numbers(&EventTypeSet::empty(), &[], &sel).unwrap();
        assert!(v.contains(&nr("clone3")) && !v.contains(&nr("openat")));
    }

    #[test]
    fn unknown_names_and_all() {
        let sel = Selection {
            custom_set: vec!["nosuchcall".into()],
            ..Selection::default()
        };
        assert_eq!(
            syscall_numbers(&EventTypeSet::empty(), &[], &sel),
            Err(UnknownSyscall("nosuchcall".into()))
        );
        let all = Selection {
            all: true,
            ..Selection::default()
        };
        assert_eq!(
            syscall_numbers(&EventTypeSet::empty(), &[], &all)
                .unwrap()
                .len(),
            SYSCALL_TABLE_SIZE
        );
    }
}
