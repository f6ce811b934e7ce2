//! Why the eBPF driver could not start, naming the missing piece: a capability, BTF, or a newer
//! kernel.

use std::path::Path;

/// Oldest kernel the programs load on: tp_btf programs with `bpf_task_pt_regs` (5.15), and the
/// task and memory layouts the CO-RE reads name (`mm_struct.rss_stat` as per-CPU counters, 6.2).
pub const MIN_KERNEL: (u32, u32) = (6, 2);

/// Where the kernel publishes its BTF.
pub const KERNEL_BTF: &str = "/sys/kernel/btf/vmlinux";

/// Failures of the eBPF driver.
#[derive(Debug, thiserror::Error)]
pub enum EbpfError {
    #[error(
        "the eBPF driver needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), which this process lacks: \
         run falco as root, or give it those capabilities (in a container: privileged, or \
         --cap-add BPF --cap-add PERFMON --cap-add SYS_RESOURCE)"
    )]
    Capability,
    #[error(
        "this kernel has no BTF ({KERNEL_BTF} is missing): the eBPF driver needs a kernel built with \
         CONFIG_DEBUG_INFO_BTF=y (every major distribution's kernel since 2021 has it); use \
         engine.kind: kmod on this host instead"
    )]
    NoBtf,
    #[error(
        "kernel {found} is too old for the eBPF driver, which needs {}.{} or newer; use engine.kind: \
         kmod on this host instead",
        MIN_KERNEL.0,
        MIN_KERNEL.1
    )]
    KernelTooOld { found: String },
    #[error("cannot read the kernel's BTF: {0}")]
    Btf(String),
    #[error("cannot load the eBPF object: {0}")]
    Object(String),
    #[error("the kernel refused eBPF program {program}: {reason}{log}")]
    Program {
        program: String,
        reason: String,
        log: String,
    },
    #[error("eBPF map {map}: {reason}")]
    Map { map: &'static str, reason: String },
    #[error("cannot attach {program} to tracepoint {tracepoint}: {reason}")]
    Attach {
        program: String,
        tracepoint: String,
        reason: String,
    },
    #[error("cannot map ring buffer {ring}: {source}")]
    Mmap { ring: usize, source: std::io::Error },
    #[error("ring buffer {ring} holds a record that is not an event at {pos} ({len} bytes)")]
    Corrupt { ring: usize, pos: u64, len: u64 },
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// `(major, minor)` of a kernel release string such as "6.18.44-fc-v1300".
pub fn kernel_version(release: &str) -> Option<(u32, u32)> {
    let mut it = release.split(['.', '-']);
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    Some((major, minor))
}

/// Effective capabilities of this process (the CapEff mask of /proc/self/status).
fn effective_caps() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let hex = status.lines().find_map(|l| l.strip_prefix("CapEff:"))?;
    u64::from_str_radix(hex.trim(), 16).ok()
}

/// Whether a capability mask allows loading tracing programs and reading kernel memory.
pub fn caps_allow_bpf(caps: u64) -> bool {
    const CAP_SYS_ADMIN: u64 = 21;
    const CAP_PERFMON: u64 = 38;
    const CAP_BPF: u64 = 39;
    caps & (1 << CAP_SYS_ADMIN) != 0
        || (caps & (1 << CAP_BPF) != 0 && caps & (1 << CAP_PERFMON) != 0)
}

/// The checks made before loading anything, so a host that cannot run the driver gets the reason
/// rather than a verifier or syscall error.
pub fn preflight() -> Result<(), EbpfError> {
    if effective_caps().is_some_and(|c| !caps_allow_bpf(c)) {
        return Err(EbpfError::Capability);
    }
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let release = release.trim();
    if kernel_version(release).is_some_and(|v| v < MIN_KERNEL) {
        return Err(EbpfError::KernelTooOld {
            found: release.to_string(),
        });
    }
    if !Path::new(KERNEL_BTF).exists() {
        return Err(EbpfError::NoBtf);
    }
    Ok(())
}

/// The last lines of a verifier log (the part that says why).
pub fn log_tail(log: &str) -> String {
    let lines: Vec<&str> = log.lines().collect();
    let tail = &lines[lines.len().saturating_sub(12)..];
    if tail.is_empty() {
        String::new()
    } else {
        format!("\nverifier log (tail):\n{}", tail.join("\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_versions() {
        assert_eq!(kernel_version("6.18.44-fc-v1300"), Some((6, 18)));
        assert_eq!(kernel_version("5.15.0-91-generic"), Some((5, 15)));
        assert_eq!(kernel_version("6.2"), Some((6, 2)));
        assert_eq!(kernel_version("garbage"), None);
        assert!((5, 15) < MIN_KERNEL && (6, 18) >= MIN_KERNEL);
    }

    #[test]
    fn capability_masks() {
        assert!(caps_allow_bpf(1 << 21));
        assert!(caps_allow_bpf((1 << 38) | (1 << 39)));
        assert!(!caps_allow_bpf(1 << 39));
        assert!(!caps_allow_bpf(0));
    }

    #[test]
    fn errors_name_the_missing_piece() {
        assert!(EbpfError::Capability.to_string().contains("CAP_BPF"));
        assert!(
            EbpfError::NoBtf
                .to_string()
                .contains("CONFIG_DEBUG_INFO_BTF")
        );
        let old = EbpfError::KernelTooOld {
            found: "5.4.0".into(),
        };
        assert!(old.to_string().contains("5.4.0") && old.to_string().contains("6.2"));
    }
}
