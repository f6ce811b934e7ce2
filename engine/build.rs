//! Compiles the eBPF driver's programs (probe-ebpf/) with clang into one BPF object, embedded in
//! the engine by `capture::ebpf` so nothing is compiled on the host falco runs on. The object keeps
//! its BTF and CO-RE relocations (`-g`); the loader adapts it to the running kernel.
//!
//! clang comes from $CLANG, else the first of clang-19 (bookworm), clang-22 (bookworm-security) or
//! clang on PATH; scripts/deps.sh installs clang-19.

use std::path::{Path, PathBuf};
use std::process::Command;

const CANDIDATES: [&str; 3] = ["clang-19", "clang-22", "clang"];

fn clang() -> Option<String> {
    if let Ok(c) = std::env::var("CLANG") {
        return Some(c);
    }
    CANDIDATES.iter().find_map(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|_| c.to_string())
    })
}

fn main() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../probe-ebpf");
    println!("cargo:rerun-if-env-changed=CLANG");
    for entry in std::fs::read_dir(&src).expect("probe-ebpf/ is part of the repository") {
        let p = entry.expect("readable directory").path();
        if matches!(p.extension().and_then(|e| e.to_str()), Some("c" | "h")) {
            println!("cargo:rerun-if-changed={}", p.display());
        }
    }
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let Some(clang) = clang() else {
        panic!(
            "building the eBPF driver needs clang with the BPF target (Debian: clang-19 and \
             libbpf-dev; `sudo scripts/deps.sh` installs them), or CLANG=/path/to/clang"
        );
    };
    // The driver, and the benchmark's floor (empty programs).
    for name in ["falco", "floor"] {
        let status = Command::new(&clang)
            .args([
                "-target", "bpf", "-mcpu=v3", "-g", "-O2", "-Wall", "-Werror",
            ])
            .args(["-Wno-unused-function", "-I"])
            .arg(&src)
            .arg("-c")
            .arg(src.join(format!("{name}.bpf.c")))
            .arg("-o")
            .arg(out_dir.join(format!("{name}.bpf.o")))
            .status()
            .unwrap_or_else(|e| panic!("cannot run {clang}: {e}"));
        assert!(
            status.success(),
            "{clang} failed to compile probe-ebpf/{name}.bpf.c (is libbpf-dev installed? scripts/deps.sh)"
        );
    }
}
