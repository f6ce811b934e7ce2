//! Writes `probe-ebpf/abi.h`, the C view of `probe/abi.rs` (event ids, the x86_64 syscall table,
//! versions and sizes) and of the structures in [`super::shared`], so the eBPF programs and the
//! engine share one definition. The file is committed; a test fails when it is stale, and
//! `FALCO_UPDATE_ABI_HEADER=1 cargo test -p falco-engine abi_header` (or `make bpf-abi-header`)
//! rewrites it.

use super::shared::{Counters, Settings};
use crate::abi;
use std::fmt::Write;

/// The path of the header, relative to the repository root.
pub const HEADER_PATH: &str = "probe-ebpf/abi.h";

/// `(name, value)` of every event id in `abi::event_id`, read from abi.rs's text (the module has
/// no list of its names), in file order.
fn event_ids() -> Vec<(&'static str, u16)> {
    let src = include_str!("../../../../probe/abi.rs");
    let start = src.find("pub mod event_id {").unwrap_or(0);
    let end = src[start..].find("\n}").map_or(src.len(), |e| start + e);
    src[start..end]
        .lines()
        .filter_map(|l| {
            let l = l.trim().strip_prefix("pub const ")?;
            let (name, rest) = l.split_once(": u16 = ")?;
            let v = rest.strip_suffix(';')?.parse().ok()?;
            Some((name, v))
        })
        .collect()
}

fn shared<F: Fn() -> Vec<(String, usize)>>(out: &mut String, cname: &str, size: usize, fields: F) {
    let _ = writeln!(out, "struct {cname} {{");
    for (decl, _) in fields() {
        let _ = writeln!(out, "\t{decl};");
    }
    let _ = writeln!(out, "}};");
    let _ = writeln!(
        out,
        "_Static_assert(sizeof(struct {cname}) == {size}, \"{cname}: size differs from Rust\");"
    );
    for (decl, off) in fields() {
        let field = decl
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .split('[')
            .next()
            .unwrap_or("");
        let _ = writeln!(
            out,
            "_Static_assert(__builtin_offsetof(struct {cname}, {field}) == {off}, \"{cname}.{field}\");"
        );
    }
    out.push('\n');
}

/// The header's text.
pub fn render() -> String {
    let mut o = String::new();
    o.push_str(
        "/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0 */\n\
         /* GENERATED from probe/abi.rs and engine/src/capture/ebpf/shared.rs by\n \
         * engine/src/capture/ebpf/abi_header.rs: do not edit. Regenerate with `make bpf-abi-header`. */\n\
         #ifndef FALCO_BPF_ABI_H\n#define FALCO_BPF_ABI_H\n\n",
    );
    let defs: [(&str, u64); 9] = [
        ("FALCO_SCHEMA_VERSION", abi::SCHEMA_VERSION),
        ("FALCO_EVENT_HEADER_LEN", abi::EVENT_HEADER_LEN as u64),
        ("FALCO_MAX_EVENT_PARAMS", abi::MAX_EVENT_PARAMS as u64),
        ("FALCO_DEFAULT_SNAPLEN", abi::DEFAULT_SNAPLEN as u64),
        ("FALCO_MAX_SNAPLEN", abi::MAX_SNAPLEN as u64),
        ("FALCO_SYSCALL_TABLE_SIZE", abi::SYSCALL_TABLE_SIZE as u64),
        ("PPM_AF_UNIX", abi::sock_family::AF_UNIX as u64),
        ("PPM_AF_INET", abi::sock_family::AF_INET as u64),
        ("PPM_AF_INET6", abi::sock_family::AF_INET6 as u64),
    ];
    for (n, v) in defs {
        let _ = writeln!(o, "#define {n} {v}ULL");
    }
    let _ = writeln!(o, "#define PPM_AT_FDCWD ({}LL)", abi::AT_FDCWD);
    o.push_str("\n/* Event ids (ppm_event_code). */\n");
    for (name, v) in event_ids() {
        let _ = writeln!(o, "#define PPME_{name} {v}");
    }
    o.push_str(
        "\n/* x86_64 syscall number -> scap syscall code (PPM_SC_*), for the generic event. */\n",
    );
    let _ = writeln!(
        o,
        "static const volatile __u16 falco_ppm_sc[FALCO_SYSCALL_TABLE_SIZE] = {{"
    );
    for chunk in abi::syscall::X86_64.chunks(16) {
        let row: Vec<String> = chunk.iter().map(|e| e.ppm_sc.to_string()).collect();
        let _ = writeln!(o, "\t{},", row.join(", "));
    }
    o.push_str("};\n\n/* Shared with userspace through maps. */\n");
    shared(
        &mut o,
        Settings::C_NAME,
        std::mem::size_of::<Settings>(),
        Settings::c_fields,
    );
    shared(
        &mut o,
        Counters::C_NAME,
        std::mem::size_of::<Counters>(),
        Counters::c_fields,
    );
    o.push_str("#endif\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn event_ids_are_read_from_abi_rs() {
        let ids = event_ids();
        assert!(ids.len() > 400, "{} ids", ids.len());
        assert!(ids.contains(&("SYSCALL_OPENAT_2_X", abi::event_id::SYSCALL_OPENAT_2_X)));
        assert!(ids.contains(&("PROCEXIT_1_E", abi::event_id::PROCEXIT_1_E)));
        assert!(ids.contains(&("EVENT_MAX", abi::event_id::EVENT_MAX)));
    }

    /// The committed header matches abi.rs and shared.rs; with FALCO_UPDATE_ABI_HEADER=1 it is
    /// rewritten instead.
    #[test]
    fn abi_header_is_up_to_date() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(HEADER_PATH);
        let want = render();
        if std::env::var_os("FALCO_UPDATE_ABI_HEADER").is_some() {
            std::fs::write(&path, &want).expect("writing the header");
            return;
        }
        let have = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            have == want,
            "{HEADER_PATH} is stale: regenerate it with `make bpf-abi-header`"
        );
    }
}
