//! falco-probe-loader: gets the falco_probe kernel module into the running kernel.
//!
//! It finds the target kernel, checks that it can take a Rust module (CONFIG_RUST), uses a module
//! already built for it (DKMS-installed, cached, or given) or builds one (DKMS, or Kbuild against
//! the kernel's build tree with the kernel's exact rustc), replaces an older loaded module, and
//! checks the API and schema versions the module reports against the ones falco needs.
//!
//! It is a Rust program rather than the conventional shell script because the version check is
//! two ioctls on /dev/falco, and because loading through finit_module/delete_module needs no kmod
//! in the driver-loader container. The ioctl numbers and the expected versions come from
//! probe/abi.rs, the same file the module and the engine compile.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

#[path = "../../probe/abi.rs"]
mod abi;
mod kernel;
mod module;

use kernel::Host;
use module::Semver;

/// A failure: what is wrong, and what to do about it. The exit code tells the class.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub what: String,
    pub fix: String,
}

impl Failure {
    fn new(code: u8, what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure {
            code,
            what: what.into(),
            fix: fix.into(),
        }
    }
    pub fn usage(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(2, what, fix)
    }
    /// The kernel itself cannot take the module (config).
    pub fn config(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(3, what, fix)
    }
    /// No usable build tree.
    pub fn build_tree(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(4, what, fix)
    }
    /// Build tools missing or wrong (rustc, make, gcc).
    pub fn toolchain(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(5, what, fix)
    }
    pub fn build(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(6, what, fix)
    }
    pub fn load(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(7, what, fix)
    }
    pub fn version(what: impl Into<String>, fix: impl Into<String>) -> Failure {
        Failure::new(8, what, fix)
    }
}

pub fn info(msg: &str) {
    println!("* {msg}");
}

const HELP: &str = "\
falco-probe-loader: build or find, load and version-check the falco_probe kernel module

Usage: falco-probe-loader [OPTIONS]

With no option it loads the module for the running kernel: a module already built for it
(installed by DKMS, in the cache, or --module), or else one it builds with DKMS or Kbuild. A
loaded falco_probe is replaced. Then it checks the module's API and schema versions.

Options:
  --compile-only         build the module (DKMS or Kbuild) but do not load it
  --unload               remove the loaded module and exit
  --print-env            print what was detected (kernel, config, build tree, rustc, dkms, ...)
  --kernel-release REL   target kernel release instead of `uname -r`      [KERNEL_RELEASE]
  --kernel-dir DIR       kernel build tree (KDIR) instead of /lib/modules/REL/build [KERNEL_DIR]
  --module FILE          load this prebuilt falco_probe.ko                [FALCO_PROBE_KO]
  --source DIR           falco_probe sources to build (default /usr/src/falco-probe-VERSION)
                                                                          [FALCO_PROBE_SRC]
  --host-root DIR        the host's filesystem is mounted at DIR: container mode   [HOST_ROOT]
  --no-dkms              build with Kbuild even when dkms is installed
  --param KEY=VALUE      module parameter, repeatable (e.g. ring_bytes=16777216)
  --falco PATH           falco binary whose `--version` names the API/schema it needs [FALCO_BIN]
  -V, --version          print versions and exit
  -h, --help             print this help and exit

Environment: RUSTC (the rustc to build with), FALCO_PROBE_CACHE (where built modules are kept,
default /var/cache/falco/probes).

Container mode (HOST_ROOT=/host) reads the host's /lib/modules, /usr/src, /proc, /boot, /etc and
/dev under /host; the container must be privileged to load modules.

Exit codes: 0 ok, 2 usage, 3 kernel cannot take the module (config), 4 no usable build tree,
5 build tools missing or wrong rustc, 6 build failed, 7 load failed, 8 version mismatch.
";

#[derive(Debug, Default)]
struct Opts {
    compile_only: bool,
    unload: bool,
    print_env: bool,
    no_dkms: bool,
    kernel_release: Option<String>,
    kernel_dir: Option<PathBuf>,
    module: Option<PathBuf>,
    source: Option<PathBuf>,
    host_root: Option<PathBuf>,
    falco: Option<String>,
    params: Vec<String>,
}

enum Parsed {
    Run(Opts),
    Help,
    Version,
}

fn parse_args(args: &[String]) -> Result<Parsed, Failure> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut o = Opts {
        kernel_release: env("KERNEL_RELEASE"),
        kernel_dir: env("KERNEL_DIR").map(PathBuf::from),
        module: env("FALCO_PROBE_KO").map(PathBuf::from),
        source: env("FALCO_PROBE_SRC").map(PathBuf::from),
        host_root: env("HOST_ROOT").map(PathBuf::from),
        falco: env("FALCO_BIN"),
        ..Opts::default()
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (a.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, Failure> {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| Failure::usage(format!("{name} needs a value"), "see --help"))
        };
        match flag {
            "-h" | "--help" => return Ok(Parsed::Help),
            "-V" | "--version" => return Ok(Parsed::Version),
            "--compile-only" => o.compile_only = true,
            "--unload" => o.unload = true,
            "--print-env" => o.print_env = true,
            "--no-dkms" => o.no_dkms = true,
            "--kernel-release" => o.kernel_release = Some(value(flag)?),
            "--kernel-dir" => o.kernel_dir = Some(value(flag)?.into()),
            "--module" => o.module = Some(value(flag)?.into()),
            "--source" => o.source = Some(value(flag)?.into()),
            "--host-root" => o.host_root = Some(value(flag)?.into()),
            "--falco" => o.falco = Some(value(flag)?),
            "--param" => {
                let p = value(flag)?;
                if !p.contains('=') {
                    return Err(Failure::usage(
                        format!("--param {p}: expected KEY=VALUE"),
                        "e.g. --param ring_bytes=16777216",
                    ));
                }
                o.params.push(p);
            }
            other => {
                return Err(Failure::usage(
                    format!("unknown option {other}"),
                    "see falco-probe-loader --help",
                ));
            }
        }
    }
    Ok(Parsed::Run(o))
}

/// The API and schema versions falco needs, and where that came from: the falco binary's
/// `--version` when it prints them, else this build's probe/abi.rs (falco and the loader ship
/// together, built from the same tree).
fn required_versions(falco: Option<&str>) -> (Semver, Semver, String) {
    let baked = (
        Semver::unpack(abi::API_VERSION),
        Semver::unpack(abi::SCHEMA_VERSION),
        "probe/abi.rs of this build".to_string(),
    );
    let bin = falco
        .map(str::to_string)
        .or_else(|| kernel::which("falco").map(|p| p.display().to_string()));
    let Some(bin) = bin else { return baked };
    let Ok(out) = Command::new(&bin).arg("--version").output() else {
        return baked;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    // Lenient about the wording ("API version: 1.0.0", "probe API 1.0.0", ...): the first x.y.z
    // on a line that names the API (or the schema); Falco's "Plugin API" line is another API.
    let find = |label: &str| {
        text.lines().find_map(|l| {
            let lower = l.to_ascii_lowercase();
            if lower.contains("plugin") {
                return None;
            }
            let at = lower.find(label)?;
            l[at..]
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .find_map(Semver::parse)
        })
    };
    match (find("api"), find("schema")) {
        (Some(a), Some(s)) => (a, s, format!("`{bin} --version`")),
        _ => baked,
    }
}

/// The probe sources to build, as a visible path.
fn source_dir(host: &Host, o: &Opts) -> Result<PathBuf, Failure> {
    if let Some(s) = &o.source {
        return if s.join("Kbuild").is_file() {
            Ok(s.clone())
        } else {
            Err(Failure::build(
                format!(
                    "{} is not a falco_probe source tree (no Kbuild)",
                    s.display()
                ),
                "pass the probe/ directory of the falco sources, or /usr/src/falco-probe-VERSION",
            ))
        };
    }
    let p = module::dkms_source_host_path();
    host.resolve(&p)
        .filter(|v| v.join("Kbuild").is_file())
        .ok_or_else(|| {
            Failure::build(
                format!(
                    "the falco_probe sources are missing: {p} does not exist{}",
                    if host.is_container() {
                        format!(" under {}", host.root().display())
                    } else {
                        String::new()
                    }
                ),
                "reinstall the falco package (it ships them as the DKMS tree), mount the host's \
                 /usr/src in the container (-v /usr/src:/host/usr/src:ro), or pass --source DIR",
            )
        })
}

fn cache_dir() -> PathBuf {
    std::env::var_os("FALCO_PROBE_CACHE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/var/cache/falco/probes"))
}

struct Target {
    host: Host,
    release: String,
    build_dir: Option<PathBuf>,
    config: Option<kernel::KernelConfig>,
    config_candidates: Vec<PathBuf>,
}

fn detect(o: &Opts) -> Result<Target, Failure> {
    let host = Host::new(o.host_root.clone());
    if host.is_container() && !host.root().is_dir() {
        return Err(Failure::usage(
            format!("HOST_ROOT {} is not a directory", host.root().display()),
            "mount the host's filesystems under it (see docs/install.md), or unset HOST_ROOT",
        ));
    }
    let release = match &o.kernel_release {
        Some(r) => r.clone(),
        None => kernel::running_release().ok_or_else(|| {
            Failure::usage(
                "uname failed: cannot tell the running kernel",
                "pass --kernel-release",
            )
        })?,
    };
    let build_dir = kernel::find_build_dir(&host, &release, o.kernel_dir.as_deref());
    let config_candidates = kernel::config_candidates(&host, &release, build_dir.as_deref());
    let config = kernel::read_config(&config_candidates)?;
    Ok(Target {
        host,
        release,
        build_dir,
        config,
        config_candidates,
    })
}

fn print_env(o: &Opts) -> Result<(), Failure> {
    let t = detect(o)?;
    let show = |p: &Option<PathBuf>| {
        p.as_ref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(missing)".into())
    };
    println!("LOADER_VERSION={}", env!("CARGO_PKG_VERSION"));
    println!("HOST_ROOT={}", t.host.root().display());
    println!("CONTAINER_MODE={}", t.host.is_container());
    println!("KERNEL_RELEASE={}", t.release);
    println!(
        "KERNEL_RUNNING={}",
        kernel::running_release().unwrap_or_default()
    );
    println!(
        "KERNEL_CONFIG={}",
        show(&t.config.as_ref().map(|c| c.source.clone()))
    );
    let cfg = |k: &str| {
        t.config
            .as_ref()
            .and_then(|c| c.get(k).map(str::to_string))
            .unwrap_or_else(|| "(not set)".into())
    };
    for k in [
        "CONFIG_RUST",
        "CONFIG_MODULES",
        "CONFIG_TRACEPOINTS",
        "CONFIG_HAVE_SYSCALL_TRACEPOINTS",
        "CONFIG_RUSTC_VERSION_TEXT",
        "CONFIG_CC_VERSION_TEXT",
    ] {
        println!("{k}={}", cfg(k));
    }
    println!("KERNEL_BUILD_DIR={}", show(&t.build_dir));
    if let Some(b) = &t.build_dir {
        let ok = kernel::check_build_dir(b, &t.release)
            .map(|_| "complete".to_string())
            .unwrap_or_else(|f| f.what);
        println!("KERNEL_BUILD_DIR_STATUS={ok}");
    }
    let rustc = kernel::rustc_command();
    println!("RUSTC={rustc}");
    println!(
        "RUSTC_VERSION={}",
        kernel::rustc_version(&rustc).unwrap_or_else(|| "(not found)".into())
    );
    for p in ["make", "gcc", "dkms"] {
        println!("{}={}", p.to_ascii_uppercase(), show(&kernel::which(p)));
    }
    println!("PROBE_VERSION={}", env!("CARGO_PKG_VERSION"));
    println!(
        "PROBE_SOURCE={}",
        source_dir(&t.host, o)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|f| format!("(missing: {})", f.what))
    );
    let cands = module::installed_candidates(&t.host, &t.release, &cache_dir());
    println!("PROBE_CACHE={}", cache_dir().display());
    println!(
        "PROBE_MODULES={}",
        cands
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "PROBE_LOADED={}",
        module::loaded_refcount(&t.host)
            .map(|r| format!("yes ({r} users)"))
            .unwrap_or_else(|| "no".into())
    );
    let (api, schema, from) = required_versions(o.falco.as_deref());
    println!("API_VERSION_REQUIRED={api}");
    println!("SCHEMA_VERSION_REQUIRED={schema}");
    println!("REQUIRED_VERSIONS_FROM={from}");
    Ok(())
}

/// Builds a module for the target: DKMS on a host that has it and the DKMS tree, Kbuild otherwise.
fn build(t: &Target, o: &Opts, cfg: &kernel::KernelConfig) -> Result<PathBuf, Failure> {
    let kdir = t.build_dir.clone().ok_or_else(|| {
        let looked = if let Some(k) = &o.kernel_dir {
            k.display().to_string()
        } else {
            format!("{} (and /usr/src/linux-headers-{})", t.host.path(format!("/lib/modules/{}/build", t.release)).display(), t.release)
        };
        Failure::build_tree(
            format!("no kernel build tree for {}: {looked} does not exist", t.release),
            format!(
                "falco_probe has to be built for this kernel and needs its build tree with the \
                 Rust artefacts (rust/*.rmeta): install it at /lib/modules/{0}/build (see \
                 docs/install.md){1}; or pass a module already built for {0} with --module FILE",
                t.release,
                if t.host.is_container() { "; in a container also mount the host's /lib/modules and /usr/src under HOST_ROOT" } else { "" }
            ),
        )
    })?;
    kernel::check_build_dir(&kdir, &t.release)?;
    let rustc = module::check_build_tools(cfg, &t.release)?;
    info(&format!("building with {rustc} against {}", kdir.display()));
    let cache = cache_dir();
    let dkms_ok = !o.no_dkms
        && !t.host.is_container()
        && o.source.is_none()
        && o.kernel_dir.is_none()
        && kernel::which("dkms").is_some()
        && Path::new(&module::dkms_source_host_path())
            .join("dkms.conf")
            .is_file();
    if dkms_ok {
        module::build_dkms(&t.host, &t.release, &cache)
    } else {
        let src = source_dir(&t.host, o)?;
        std::fs::create_dir_all(cache.join(&t.release)).map_err(|e| {
            Failure::build(
                format!("cannot create the module cache {}: {e}", cache.display()),
                "set FALCO_PROBE_CACHE to a writable directory",
            )
        })?;
        module::build_make(&src, &kdir, &t.release, &cache)
    }
}

fn run(o: &Opts) -> Result<(), Failure> {
    let t = detect(o)?;
    if o.unload {
        if module::unload(&t.host)? {
            info(&format!("removed {}", module::MODULE_NAME));
        } else {
            info(&format!("{} is not loaded", module::MODULE_NAME));
        }
        return Ok(());
    }
    info(&format!(
        "kernel {}{}",
        t.release,
        if t.host.is_container() {
            format!(" (container mode, host at {})", t.host.root().display())
        } else {
            String::new()
        }
    ));
    let cfg = t.config.clone().ok_or_else(|| {
        Failure::config(
            format!(
                "cannot find the configuration of kernel {}: looked in {}",
                t.release,
                t.config_candidates
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "install the kernel's config as /boot/config-RELEASE (Debian's linux-image packages \
             ship it) or boot a kernel with CONFIG_IKCONFIG_PROC; in a container mount the \
             host's /boot and /proc (-v /boot:/host/boot:ro -v /proc:/host/proc:ro)",
        )
    })?;
    kernel::check_config(&cfg, &t.release)?;
    info(&format!(
        "{} has CONFIG_RUST=y ({})",
        t.release,
        cfg.source.display()
    ));

    let ko = if o.compile_only {
        build(&t, o, &cfg)?
    } else if let Some(m) = &o.module {
        module::check_explicit(m, &t.release)?;
        m.clone()
    } else {
        let found = module::installed_candidates(&t.host, &t.release, &cache_dir());
        match module::pick_built(&found, &t.release) {
            Some(k) => {
                info(&format!(
                    "using the module built for {}: {}",
                    t.release,
                    k.display()
                ));
                k
            }
            None => {
                info(&format!(
                    "no {} built for {}: building one",
                    module::MODULE_NAME,
                    t.release
                ));
                build(&t, o, &cfg)?
            }
        }
    };
    if o.compile_only {
        info(&format!("built {}", ko.display()));
        return Ok(());
    }

    if t.release != kernel::running_release().unwrap_or_default() {
        return Err(Failure::usage(
            format!(
                "the module is for {} but the running kernel is {}: it can only be loaded by that kernel",
                t.release,
                kernel::running_release().unwrap_or_default()
            ),
            "boot that kernel, or use --compile-only to only build",
        ));
    }
    if module::unload(&t.host)? {
        info(&format!(
            "removed the previously loaded {}",
            module::MODULE_NAME
        ));
    }
    module::load(&ko, &o.params)?;
    info(&format!("loaded {}", ko.display()));

    let dev = t.host.path(format!("/dev/{}", abi::DEVICE_NAME));
    let (api, schema) = module::query_versions(&dev)?;
    let (req_api, req_schema, from) = required_versions(o.falco.as_deref());
    if !api.satisfies(req_api) || !schema.satisfies(req_schema) {
        // Leave no module behind that falco would refuse anyway.
        let _ = module::unload(&t.host);
        return Err(Failure::version(
            format!(
                "{} reports API {api} and schema {schema}, but falco needs API {req_api} and \
                 schema {req_schema} (from {from}; same major, at least that minor.patch); it was unloaded",
                ko.display()
            ),
            format!(
                "rebuild the module from the sources that came with this falco: remove the old \
                 one (`dkms remove {}/OLDVERSION --all`, or delete {}) and run falco-probe-loader again",
                module::DKMS_NAME,
                ko.display()
            ),
        ));
    }
    info(&format!(
        "{} is ready: API {api}, schema {schema} (falco needs {req_api} / {req_schema})",
        dev.display()
    ));
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = parse_args(&args).and_then(|p| match p {
        Parsed::Help => {
            print!("{HELP}");
            Ok(())
        }
        Parsed::Version => {
            println!(
                "falco-probe-loader {} (falco-probe {}, driver API {}, schema {})",
                env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_VERSION"),
                Semver::unpack(abi::API_VERSION),
                Semver::unpack(abi::SCHEMA_VERSION)
            );
            Ok(())
        }
        Parsed::Run(o) if o.print_env => print_env(&o),
        Parsed::Run(o) => run(&o),
    });
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("falco-probe-loader: error: {}", f.what);
            eprintln!("falco-probe-loader: fix: {}", f.fix);
            ExitCode::from(f.code)
        }
    }
}
