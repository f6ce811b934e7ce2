//! The target kernel: its release, its configuration, its build tree and the toolchain it needs.
//! Every host path goes through [`Host`], so the same code serves a host install (root `/`) and a
//! container that mounts the host under `HOST_ROOT` (`/host/{lib/modules,usr/src,proc,boot,etc,dev}`).

use crate::Failure;
use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

/// Where the host's filesystem is seen from here.
#[derive(Debug, Clone)]
pub struct Host {
    root: PathBuf,
}

impl Host {
    pub fn new(root: Option<PathBuf>) -> Host {
        Host {
            root: root.unwrap_or_else(|| PathBuf::from("/")),
        }
    }

    /// True in container mode (HOST_ROOT set to something other than `/`).
    pub fn is_container(&self) -> bool {
        self.root != Path::new("/")
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The path under which the host's absolute path `p` is visible here.
    pub fn path(&self, p: impl AsRef<Path>) -> PathBuf {
        let p = p.as_ref();
        self.root.join(p.strip_prefix("/").unwrap_or(p))
    }

    /// Resolves the host path `p`, following symlinks the way the host would: an absolute link
    /// target is re-rooted under HOST_ROOT (`/lib/modules/R/build -> /usr/src/linux-headers-R` must
    /// land in `/host/usr/src`, not in the container's `/usr/src`). Returns the visible path.
    pub fn resolve(&self, p: impl AsRef<Path>) -> Option<PathBuf> {
        let mut pending: Vec<PathBuf> = vec![p.as_ref().to_path_buf()];
        let mut host_path = PathBuf::from("/");
        let mut hops = 0;
        while let Some(next) = pending.pop() {
            let mut comps: Vec<Component> = next.components().collect();
            comps.reverse();
            if next.is_absolute() {
                host_path = PathBuf::from("/");
            }
            while let Some(c) = comps.pop() {
                match c {
                    Component::RootDir | Component::Prefix(_) | Component::CurDir => {}
                    Component::ParentDir => {
                        host_path.pop();
                    }
                    Component::Normal(name) => {
                        let candidate = host_path.join(name);
                        let visible = self.path(&candidate);
                        match std::fs::read_link(&visible) {
                            Ok(target) => {
                                hops += 1;
                                if hops > 40 {
                                    return None;
                                }
                                // The rest of this path is resolved after the link target.
                                let rest: PathBuf = comps.iter().rev().collect();
                                if !rest.as_os_str().is_empty() {
                                    pending.push(rest);
                                }
                                pending.push(target);
                                comps.clear();
                            }
                            Err(_) => host_path = candidate,
                        }
                    }
                }
            }
        }
        let visible = self.path(&host_path);
        visible.exists().then_some(visible)
    }
}

/// `uname -r` of the running kernel (in a container, the host's kernel: there is only one).
pub fn running_release() -> Option<String> {
    // SAFETY: uname fills the zeroed struct it is given; the fields are NUL-terminated.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return None;
        }
        let rel = std::ffi::CStr::from_ptr(u.release.as_ptr());
        Some(rel.to_string_lossy().into_owned())
    }
}

/// A parsed kernel `.config`.
#[derive(Debug, Clone)]
pub struct KernelConfig {
    /// Where it was read from (a visible path, or "/proc/config.gz").
    pub source: PathBuf,
    values: BTreeMap<String, String>,
}

impl KernelConfig {
    pub fn parse(source: PathBuf, text: &str) -> KernelConfig {
        let mut values = BTreeMap::new();
        for line in text.lines() {
            if let Some((k, v)) = line.split_once('=')
                && k.starts_with("CONFIG_")
            {
                values.insert(k.to_string(), v.trim_matches('"').to_string());
            }
        }
        KernelConfig { source, values }
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }

    pub fn enabled(&self, key: &str) -> bool {
        matches!(self.get(key), Some("y"))
    }
}

/// The places a kernel's config is looked for, in order, as visible paths.
pub fn config_candidates(host: &Host, release: &str, build_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut v = vec![
        host.path(format!("/boot/config-{release}")),
        host.path(format!("/lib/modules/{release}/config")),
        host.path(format!("/usr/lib/modules/{release}/config")),
    ];
    if let Some(b) = build_dir {
        v.push(b.join(".config"));
    }
    // /proc/config.gz describes the running kernel only.
    if running_release().as_deref() == Some(release) {
        v.push(host.path("/proc/config.gz"));
    }
    v
}

pub fn read_config(candidates: &[PathBuf]) -> Result<Option<KernelConfig>, Failure> {
    for c in candidates {
        let Ok(bytes) = std::fs::read(c) else {
            continue;
        };
        let text = if c.extension() == Some(OsStr::new("gz")) {
            let mut s = String::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .read_to_string(&mut s)
                .map_err(|e| Failure::config(format!("cannot decompress {}: {e}", c.display()),
                    "check that the file is a gzip'd kernel config (CONFIG_IKCONFIG_PROC), or pass \
                     the config's directory through HOST_ROOT"))?;
            s
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        };
        return Ok(Some(KernelConfig::parse(c.clone(), &text)));
    }
    Ok(None)
}

/// Checks that the kernel can run falco_probe at all, whatever the module's origin.
pub fn check_config(cfg: &KernelConfig, release: &str) -> Result<(), Failure> {
    let src = cfg.source.display();
    if !cfg.enabled("CONFIG_RUST") {
        return Err(Failure::config(
            format!("kernel {release} has no Rust support: CONFIG_RUST is not set in {src}"),
            "falco_probe is a Rust-for-Linux module and loads only into a kernel built with \
             CONFIG_RUST=y. Boot such a kernel (Debian's 7.x amd64 kernels have it), or \
             rebuild this one with CONFIG_RUST=y (`make menuconfig`: General setup > Rust support)",
        ));
    }
    if !cfg.enabled("CONFIG_MODULES") {
        return Err(Failure::config(
            format!("kernel {release} cannot load modules: CONFIG_MODULES is not set in {src}"),
            "boot a kernel built with CONFIG_MODULES=y",
        ));
    }
    for key in ["CONFIG_TRACEPOINTS", "CONFIG_HAVE_SYSCALL_TRACEPOINTS"] {
        if !cfg.enabled(key) {
            return Err(Failure::config(
                format!("kernel {release} has no syscall tracepoints: {key} is not set in {src}"),
                "falco_probe attaches to the raw_syscalls tracepoints: boot a kernel built with \
                 CONFIG_FTRACE_SYSCALLS=y (which selects CONFIG_TRACEPOINTS)",
            ));
        }
    }
    Ok(())
}

/// The kernel build tree (KDIR) for `release`, if there is one.
pub fn find_build_dir(host: &Host, release: &str, explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(e) = explicit {
        return e.is_dir().then(|| e.to_path_buf());
    }
    for p in [
        format!("/lib/modules/{release}/build"),
        format!("/usr/lib/modules/{release}/build"),
        format!("/usr/src/linux-headers-{release}"),
    ] {
        if let Some(v) = host.resolve(&p)
            && v.is_dir()
        {
            return Some(v);
        }
    }
    None
}

/// What a build tree needs for an out-of-tree Rust module: Kbuild's Makefile, the config, and the
/// Rust artefacts (the crates' metadata and the proc-macro libraries) that distribution header
/// packages usually leave out.
pub fn check_build_dir(kdir: &Path, release: &str) -> Result<(), Failure> {
    let fix_tree = format!(
        "install the complete build tree of {release}, Rust artefacts included, at \
         /lib/modules/{release}/build. Distribution header packages (Debian's linux-headers-*) \
         do not ship rust/*.rmeta: build the tree from the kernel's sources with the kernel's own \
         config and rustc (`make olddefconfig && make modules_prepare && make` or keep the tree \
         of your kernel build), see docs/install.md. Or skip building: pass a module built for \
         this kernel with --module FILE"
    );
    for f in ["Makefile", ".config"] {
        if !kdir.join(f).is_file() {
            return Err(Failure::build_tree(
                format!("the kernel build tree {} has no {f}", kdir.display()),
                fix_tree,
            ));
        }
    }
    for f in [
        "rust/libkernel.rmeta",
        "rust/libcore.rmeta",
        "rust/libmacros.so",
    ] {
        if !kdir.join(f).is_file() {
            return Err(Failure::build_tree(
                format!(
                    "the kernel build tree {} has no Rust artefacts ({f} is missing)",
                    kdir.display()
                ),
                fix_tree,
            ));
        }
    }
    Ok(())
}

/// The rustc to build with: $RUSTC, or `rustc` on PATH.
pub fn rustc_command() -> String {
    std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string())
}

/// `rustc --version` of `rustc`, or None when it does not run.
pub fn rustc_version(rustc: &str) -> Option<String> {
    let out = Command::new(rustc).arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The version number in a `rustc X.Y.Z (...)` line.
pub fn rustc_semver(text: &str) -> &str {
    text.split_whitespace().nth(1).unwrap_or("")
}

/// A Rust module must be compiled by exactly the rustc that built the kernel's crates (otherwise
/// rustc rejects their metadata with E0514).
pub fn check_rustc(cfg: &KernelConfig, rustc: &str, release: &str) -> Result<String, Failure> {
    let want = cfg.get("CONFIG_RUSTC_VERSION_TEXT").unwrap_or("");
    let ver = rustc_semver(want).to_string();
    let how = format!(
        "install rustc {ver} with its rust-src (Debian trixie ships 1.85.1: `apt-get install \
         rustc rust-src`; elsewhere `rustup toolchain install {ver} --component rust-src`) and \
         put it first on PATH or set RUSTC=/path/to/rustc"
    );
    let Some(have) = rustc_version(rustc) else {
        return Err(Failure::toolchain(
            format!(
                "rustc not found (tried `{rustc} --version`); kernel {release} was built with \
                 \"{want}\""
            ),
            how,
        ));
    };
    if !want.is_empty() && have != want {
        return Err(Failure::toolchain(
            format!(
                "rustc mismatch: kernel {release} was built with \"{want}\" but `{rustc}` is \
                 \"{have}\"; Rust modules must be built by the kernel's exact rustc"
            ),
            how,
        ));
    }
    Ok(have)
}

/// Looks `prog` up on PATH.
pub fn which(prog: &str) -> Option<PathBuf> {
    if prog.contains('/') {
        return Path::new(prog).is_file().then(|| PathBuf::from(prog));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn resolve_reroots_absolute_links() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path();
        std::fs::create_dir_all(root.join("usr/src/linux-headers-1.0")).unwrap();
        std::fs::create_dir_all(root.join("lib/modules/1.0")).unwrap();
        symlink(
            "/usr/src/linux-headers-1.0",
            root.join("lib/modules/1.0/build"),
        )
        .unwrap();
        let host = Host::new(Some(root.to_path_buf()));
        assert_eq!(
            host.resolve("/lib/modules/1.0/build").unwrap(),
            root.join("usr/src/linux-headers-1.0")
        );
        // A relative link, then a further component below it.
        std::fs::create_dir_all(root.join("usr/src/linux-headers-1.0/rust")).unwrap();
        symlink(
            "../../../usr/src/linux-headers-1.0",
            root.join("lib/modules/1.0/source"),
        )
        .unwrap();
        assert_eq!(
            host.resolve("/lib/modules/1.0/source/rust").unwrap(),
            root.join("usr/src/linux-headers-1.0/rust")
        );
        assert!(host.resolve("/lib/modules/2.0/build").is_none());
    }

    #[test]
    fn config_parsing() {
        let c = KernelConfig::parse(
            "x".into(),
            "CONFIG_RUST=y\n# CONFIG_MODULES is not set\nCONFIG_RUSTC_VERSION_TEXT=\"rustc 1.85.1 (x)\"\n",
        );
        assert!(c.enabled("CONFIG_RUST"));
        assert!(!c.enabled("CONFIG_MODULES"));
        assert_eq!(c.get("CONFIG_RUSTC_VERSION_TEXT"), Some("rustc 1.85.1 (x)"));
        assert_eq!(rustc_semver("rustc 1.85.1 (x)"), "1.85.1");
        let e = check_config(&c, "r").unwrap_err();
        assert!(e.what.contains("CONFIG_MODULES"), "{}", e.what);
    }
}
