//! The module itself: finding a built one, building one (DKMS or plain Kbuild), loading and
//! unloading it with the module syscalls (no kmod needed in a container), and asking the loaded
//! module for its API and schema versions through /dev/falco.

use crate::kernel::{self, Host, KernelConfig};
use crate::{Failure, abi, info};
use std::ffi::CString;
use std::io::Read;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const MODULE_NAME: &str = "falco_probe";
pub const DKMS_NAME: &str = "falco-probe";
const SUFFIXES: [&str; 4] = [".ko", ".ko.xz", ".ko.zst", ".ko.gz"];

/// The `vermagic=` string of a module file (its first word is the kernel release it was built for).
pub fn vermagic(ko: &Path) -> Option<String> {
    let name = ko.file_name()?.to_string_lossy().into_owned();
    let bytes = if name.ends_with(".ko.gz") {
        let mut v = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(ko).ok()?)
            .read_to_end(&mut v)
            .ok()?;
        v
    } else if name.ends_with(".ko") {
        std::fs::read(ko).ok()?
    } else {
        // xz and zstd: kmod's modinfo decompresses them.
        let out = Command::new("modinfo")
            .args(["-F", "vermagic"])
            .arg(ko)
            .output()
            .ok()?;
        let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
        return (out.status.success() && !s.is_empty()).then_some(s);
    };
    let key = b"vermagic=";
    let at = bytes.windows(key.len()).position(|w| w == key)? + key.len();
    let end = bytes[at..].iter().position(|&b| b == 0)? + at;
    Some(String::from_utf8_lossy(&bytes[at..end]).into_owned())
}

fn built_for(ko: &Path, release: &str) -> Result<(), String> {
    match vermagic(ko) {
        Some(v) if v.split_whitespace().next() == Some(release) => Ok(()),
        Some(v) => Err(format!(
            "it was built for another kernel (vermagic \"{v}\")"
        )),
        None => Err("it has no readable vermagic (not a kernel module?)".to_string()),
    }
}

/// Module files named falco_probe.ko* anywhere under `dir` (bounded depth; symlinked dirs such as
/// `build` and `source` are not followed).
fn find_named(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name().to_string_lossy().into_owned();
        if ft.is_dir() && depth > 0 {
            find_named(&e.path(), depth - 1, out);
        } else if ft.is_file() && SUFFIXES.iter().any(|s| name == format!("{MODULE_NAME}{s}")) {
            out.push(e.path());
        }
    }
}

/// Modules installed for `release` (by DKMS: updates/dkms on Debian, extra/ elsewhere), newest
/// locations first, then the loader's own cache.
pub fn installed_candidates(host: &Host, release: &str, cache: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for base in ["/lib/modules", "/usr/lib/modules"] {
        if let Some(dir) = host.resolve(format!("{base}/{release}")) {
            find_named(&dir, 4, &mut v);
            if !v.is_empty() {
                break;
            }
        }
    }
    find_named(&cache.join(release), 0, &mut v);
    v
}

/// The first candidate that was built for `release`; the others are reported and skipped.
pub fn pick_built(candidates: &[PathBuf], release: &str) -> Option<PathBuf> {
    for c in candidates {
        match built_for(c, release) {
            Ok(()) => return Some(c.clone()),
            Err(why) => info(&format!("skipping {}: {why}", c.display())),
        }
    }
    None
}

/// An explicitly given module must fit the kernel: loading a mismatched one only gives ENOEXEC.
pub fn check_explicit(ko: &Path, release: &str) -> Result<(), Failure> {
    if !ko.is_file() {
        return Err(Failure::load(
            format!("the module file {} does not exist", ko.display()),
            "pass the path of a falco_probe.ko built for this kernel (--module / FALCO_PROBE_KO)",
        ));
    }
    built_for(ko, release).map_err(|why| {
        Failure::load(
            format!("{} cannot load into kernel {release}: {why}", ko.display()),
            format!("build the module for {release} (run falco-probe-loader without --module)"),
        )
    })
}

/// What a build needs besides the tree: make, a C compiler (helpers.c, modpost) and the right rustc.
pub fn check_build_tools(cfg: &KernelConfig, release: &str) -> Result<String, Failure> {
    for (prog, pkg) in [("make", "make"), ("gcc", "gcc"), ("ld", "binutils")] {
        if kernel::which(prog).is_none() {
            return Err(Failure::toolchain(
                format!("`{prog}` is not installed; it is needed to build kernel modules"),
                format!(
                    "install it (Debian: `apt-get install {pkg}`; the kernel was built with \
                     \"{}\")",
                    cfg.get("CONFIG_CC_VERSION_TEXT").unwrap_or("its own gcc")
                ),
            ));
        }
    }
    kernel::check_rustc(cfg, &kernel::rustc_command(), release)
}

/// The DKMS source tree of this version (`/usr/src/falco-probe-VERSION`), as a host path.
pub fn dkms_source_host_path() -> String {
    format!("/usr/src/{DKMS_NAME}-{}", env!("CARGO_PKG_VERSION"))
}

fn run_logged(cmd: &mut Command, what: &str) -> Result<(String, bool), Failure> {
    let out = cmd.output().map_err(|e| {
        Failure::build(
            format!("cannot run {what}: {e}"),
            "check that it is installed and on PATH",
        )
    })?;
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    Ok((text, out.status.success()))
}

fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Explains a failed build log in terms of its usual causes.
fn build_failure(log: &str, log_path: &str) -> Failure {
    let fix = if log.contains("E0514") || log.contains("incompatible version of rustc") {
        "the kernel's Rust crates were built by another rustc: build with exactly the rustc named \
         in CONFIG_RUSTC_VERSION_TEXT (set RUSTC or PATH)"
            .to_string()
    } else if log.contains("GLIBC_") {
        "the build tree's host tools (objtool, modpost) were built against a newer glibc than this \
         system's: rebuild them here with `make -C KDIR modules_prepare`, or build on the system \
         that built the kernel"
            .to_string()
    } else {
        format!("read the build log ({log_path}) for the first error")
    };
    Failure::build(
        format!(
            "building {MODULE_NAME} failed; last lines:\n{}",
            tail(log, 15)
        ),
        fix,
    )
}

/// Builds and installs with DKMS for `release`, then returns the installed module.
pub fn build_dkms(host: &Host, release: &str, cache: &Path) -> Result<PathBuf, Failure> {
    let ver = env!("CARGO_PKG_VERSION");
    let (status, _) = run_logged(
        Command::new("dkms").args(["status", "-m", DKMS_NAME, "-v", ver]),
        "dkms status",
    )?;
    if status.trim().is_empty() {
        info(&format!("dkms add -m {DKMS_NAME} -v {ver}"));
        let (log, ok) = run_logged(
            Command::new("dkms").args(["add", "-m", DKMS_NAME, "-v", ver]),
            "dkms add",
        )?;
        if !ok && !log.contains("already added") {
            return Err(Failure::build(
                format!("dkms add failed:\n{}", tail(&log, 10)),
                format!("check the DKMS source tree {}", dkms_source_host_path()),
            ));
        }
    }
    info(&format!(
        "dkms install -m {DKMS_NAME} -v {ver} -k {release} (this compiles the module)"
    ));
    let (log, ok) = run_logged(
        Command::new("dkms").args(["install", "-m", DKMS_NAME, "-v", ver, "-k", release]),
        "dkms install",
    )?;
    if !ok {
        let make_log = format!("/var/lib/dkms/{DKMS_NAME}/{ver}/build/make.log");
        let full = std::fs::read_to_string(&make_log).unwrap_or_default();
        return Err(build_failure(&format!("{log}\n{full}"), &make_log));
    }
    let found = installed_candidates(host, release, cache);
    pick_built(&found, release).ok_or_else(|| {
        Failure::build(
            format!("dkms install succeeded but no {MODULE_NAME}.ko for {release} was found under /lib/modules/{release}"),
            "run `dkms status` and check DEST_MODULE_LOCATION in dkms.conf",
        )
    })
}

/// Builds with Kbuild in a scratch copy of `src` and stores the module in the cache.
pub fn build_make(
    src: &Path,
    kdir: &Path,
    release: &str,
    cache: &Path,
) -> Result<PathBuf, Failure> {
    let work = std::env::temp_dir().join(format!("falco-probe-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    copy_sources(src, &work).map_err(|e| {
        Failure::build(
            format!(
                "cannot copy the sources {} to {}: {e}",
                src.display(),
                work.display()
            ),
            "check free space and permissions of the temporary directory (TMPDIR)",
        )
    })?;
    info(&format!(
        "make -C {} M={} modules (this compiles the module)",
        kdir.display(),
        work.display()
    ));
    let mut cmd = Command::new("make");
    cmd.arg("-C").arg(kdir).arg(format!("M={}", work.display()));
    if let Ok(r) = std::env::var("RUSTC") {
        // Kbuild sets RUSTC itself; only a command-line variable overrides it.
        cmd.arg(format!("RUSTC={r}"));
    }
    cmd.arg("modules");
    let (log, ok) = run_logged(&mut cmd, "make")?;
    let log_path = cache.join(release).join("build.log");
    let _ = std::fs::create_dir_all(cache.join(release));
    let _ = std::fs::write(&log_path, &log);
    let ko = work.join(format!("{MODULE_NAME}.ko"));
    if !ok || !ko.is_file() {
        let f = build_failure(&log, &log_path.display().to_string());
        let _ = std::fs::remove_dir_all(&work);
        return Err(f);
    }
    let dest = cache.join(release).join(format!("{MODULE_NAME}.ko"));
    let r = std::fs::copy(&ko, &dest);
    let _ = std::fs::remove_dir_all(&work);
    r.map_err(|e| {
        Failure::build(
            format!("cannot store the module in {}: {e}", dest.display()),
            "set FALCO_PROBE_CACHE to a writable directory",
        )
    })?;
    Ok(dest)
}

/// Copies the module's sources (Kbuild, Makefile, `*.rs`, `*.c`, `*.h`), subfolders included: the
/// Rust crate has modules in folders (probe/fillers/).
fn copy_sources(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dst)?;
    for e in std::fs::read_dir(src)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        let kind = e.file_type()?;
        if kind.is_dir() {
            copy_sources(&e.path(), &dst.join(&name))?;
            continue;
        }
        let keep = name == "Kbuild"
            || name == "Makefile"
            || [".rs", ".c", ".h"].iter().any(|s| name.ends_with(s));
        if keep && kind.is_file() {
            std::fs::copy(e.path(), dst.join(&name))?;
        }
    }
    Ok(())
}

/// The reference count of the loaded module, or None when it is not loaded.
pub fn loaded_refcount(host: &Host) -> Option<u64> {
    let modules = std::fs::read_to_string(host.path("/proc/modules"))
        .or_else(|_| std::fs::read_to_string("/proc/modules"))
        .ok()?;
    modules.lines().find_map(|l| {
        let mut f = l.split_whitespace();
        (f.next() == Some(MODULE_NAME)).then(|| f.nth(1).and_then(|r| r.parse().ok()).unwrap_or(0))
    })
}

fn errno_text(e: &std::io::Error) -> String {
    format!("{e}")
}

/// Removes the loaded module (delete_module), refusing when a consumer holds it.
pub fn unload(host: &Host) -> Result<bool, Failure> {
    let Some(refs) = loaded_refcount(host) else {
        return Ok(false);
    };
    if refs > 0 {
        return Err(Failure::load(
            format!(
                "{MODULE_NAME} is loaded and in use ({refs} users), so it cannot be replaced or removed"
            ),
            "stop what reads it first (`systemctl stop falco`, or the falco container), then run \
             falco-probe-loader again",
        ));
    }
    let name = CString::new(MODULE_NAME).expect("no NUL in the module name");
    // SAFETY: delete_module takes a NUL-terminated name and flags.
    let rc = unsafe { libc::syscall(libc::SYS_delete_module, name.as_ptr(), libc::O_NONBLOCK) };
    if rc != 0 {
        let e = std::io::Error::last_os_error();
        return Err(Failure::load(
            format!(
                "removing the loaded {MODULE_NAME} failed: {}",
                errno_text(&e)
            ),
            match e.raw_os_error() {
                Some(libc::EPERM) => {
                    "run as root (CAP_SYS_MODULE); in a container, run it privileged"
                }
                Some(libc::EBUSY) | Some(libc::EAGAIN) => {
                    "stop the process that holds /dev/falco, then retry"
                }
                _ => "see `dmesg` for the kernel's reason",
            },
        ));
    }
    Ok(true)
}

/// Loads `ko` with finit_module, passing `params` (`key=value` words).
pub fn load(ko: &Path, params: &[String]) -> Result<(), Failure> {
    let file = std::fs::File::open(ko).map_err(|e| {
        Failure::load(
            format!("cannot open {}: {e}", ko.display()),
            "check the path and that it is readable by root",
        )
    })?;
    let compressed = !ko.to_string_lossy().ends_with(".ko");
    let p = CString::new(params.join(" ")).map_err(|_| {
        Failure::usage(
            "module parameters contain a NUL byte",
            "remove it from --param",
        )
    })?;
    // The kernel decompresses .ko.{xz,zst,gz} itself when built with CONFIG_MODULE_DECOMPRESS.
    const MODULE_INIT_COMPRESSED_FILE: libc::c_int = 4;
    let flags = if compressed {
        MODULE_INIT_COMPRESSED_FILE
    } else {
        0
    };
    // SAFETY: finit_module takes an open fd, a NUL-terminated parameter string and flags.
    let rc = unsafe { libc::syscall(libc::SYS_finit_module, file.as_raw_fd(), p.as_ptr(), flags) };
    if rc == 0 {
        return Ok(());
    }
    let e = std::io::Error::last_os_error();
    let fix = match e.raw_os_error() {
        Some(libc::EPERM) => {
            "run as root (CAP_SYS_MODULE); in a container run it privileged. If you are root, the \
             kernel refuses unsigned modules (Secure Boot lockdown or module.sig_enforce): sign \
             the module with a key the kernel trusts (DKMS on Debian signs with its MOK key: \
             enroll it with `mokutil --import /var/lib/dkms/mok.pub`)"
        }
        Some(libc::ENOEXEC) => {
            "the module does not fit this kernel (another kernel build or config): rebuild it for \
             this kernel (`dkms install` or falco-probe-loader without --module); `dmesg` names \
             the mismatch"
        }
        Some(libc::EKEYREJECTED) | Some(libc::EBADMSG) => {
            "its signature was rejected: sign the module with a key the kernel trusts"
        }
        Some(libc::ENOENT) => "the kernel lacks a symbol the module uses: see `dmesg` for it",
        Some(libc::EOPNOTSUPP) => {
            "this kernel cannot decompress modules: decompress it (`xz -d`/`zstd -d`) and pass the .ko"
        }
        Some(libc::EINVAL) => "a module parameter is invalid: see `dmesg`",
        _ => "see `dmesg` for the kernel's reason",
    };
    Err(Failure::load(
        format!("loading {} failed: {e}", ko.display()),
        fix,
    ))
}

/// A semantic version as packed by the probe (`abi::pack_version`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Semver(pub u64, pub u64, pub u64);

impl Semver {
    pub fn unpack(v: u64) -> Semver {
        Semver(
            abi::version_major(v),
            abi::version_minor(v),
            abi::version_patch(v),
        )
    }
    pub fn parse(s: &str) -> Option<Semver> {
        let mut it = s.trim().split('.').map(|x| x.parse::<u64>().ok());
        Some(Semver(it.next()??, it.next()??, it.next()??))
    }
    /// The drivers' rule: same major, and at least the required minor.patch.
    pub fn satisfies(self, required: Semver) -> bool {
        self.0 == required.0 && (self.1, self.2) >= (required.1, required.2)
    }
}

impl std::fmt::Display for Semver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// Opens the device (it can take a moment for devtmpfs/udev to create the node) and reads the
/// module's API and schema versions.
pub fn query_versions(dev: &Path) -> Result<(Semver, Semver), Failure> {
    let mut last = None;
    for _ in 0..50 {
        match std::fs::OpenOptions::new().read(true).write(true).open(dev) {
            Ok(f) => {
                let get = |req: u32| -> Result<u64, Failure> {
                    let mut v: u64 = 0;
                    // SAFETY: both ioctls write one u64 through the pointer.
                    let rc = unsafe { libc::ioctl(f.as_raw_fd(), req as _, &mut v as *mut u64) };
                    if rc < 0 {
                        let e = std::io::Error::last_os_error();
                        return Err(Failure::version(
                            format!("{} rejected the version ioctl: {e}", dev.display()),
                            "the loaded module is not falco_probe or is too old: rebuild it from this falco's sources",
                        ));
                    }
                    Ok(v)
                };
                let api = get(abi::IOCTL_GET_API_VERSION)?;
                let schema = get(abi::IOCTL_GET_SCHEMA_VERSION)?;
                return Ok((Semver::unpack(api), Semver::unpack(schema)));
            }
            Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
                return Err(Failure::version(
                    format!(
                        "{} is busy: another consumer has it open, so the versions cannot be checked",
                        dev.display()
                    ),
                    "stop the other consumer (a running falco) and run the loader again",
                ));
            }
            Err(e) => last = Some(e),
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err(Failure::version(
        format!(
            "the module is loaded but {} cannot be opened: {}",
            dev.display(),
            last.map(|e| e.to_string()).unwrap_or_default()
        ),
        "in a container, mount the host's /dev (`-v /dev:/host/dev`); otherwise check that \
         devtmpfs or udev runs (see `dmesg`)",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_rule() {
        let r = Semver(1, 2, 3);
        assert!(Semver(1, 2, 3).satisfies(r));
        assert!(Semver(1, 3, 0).satisfies(r));
        assert!(!Semver(1, 2, 2).satisfies(r));
        assert!(!Semver(2, 2, 3).satisfies(r));
        assert_eq!(Semver::unpack(abi::pack_version(4, 5, 1)), Semver(4, 5, 1));
        assert_eq!(Semver::parse("4.5.1"), Some(Semver(4, 5, 1)));
        assert_eq!(Semver::parse("4.5"), None);
    }

    #[test]
    fn vermagic_of_a_fake_module() {
        let t = tempfile::tempdir().unwrap();
        let ko = t.path().join("falco_probe.ko");
        std::fs::write(
            &ko,
            b"\x7fELF...license=GPL\0vermagic=7.3.4-test SMP preempt mod_unload \0name=falco_probe\0",
        )
        .unwrap();
        assert_eq!(vermagic(&ko).unwrap(), "7.3.4-test SMP preempt mod_unload ");
        assert!(built_for(&ko, "7.3.4-test").is_ok());
        assert!(built_for(&ko, "7.3.5").is_err());
    }

    /// The Kbuild scratch copy holds every source of probe/, those in its subfolders included.
    #[test]
    fn copy_sources_takes_the_whole_probe_tree() {
        let probe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../probe");
        let t = tempfile::tempdir().unwrap();
        copy_sources(&probe, t.path()).unwrap();
        for f in [
            "Kbuild",
            "Makefile",
            "main.rs",
            "abi.rs",
            "helpers.c",
            "fillers/io.rs",
        ] {
            assert!(t.path().join(f).is_file(), "{f} was not copied");
        }
    }
}
