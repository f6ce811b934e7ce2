//! `falco --list k8s_audit`: the source's fields, laid out as the syscall fields are listed.

use std::fmt::Write as _;

use falco_engine::k8saudit::fields::{self, ArgKind};

/// The fields of the `k8s_audit` source, by class (`ka`, `json`, `jevt`, `evt`); `header`: start
/// with the `Event Sources:` line (when listed alone).
pub fn fields(names_only: bool, markdown: bool, header: bool) -> String {
    let mut s = String::new();
    if header && !names_only && !markdown {
        s.push_str("Event Sources: k8s_audit\n");
    }
    let mut class = "";
    for f in fields::all() {
        if names_only {
            let _ = writeln!(s, "{}", f.name);
            continue;
        }
        let c = f.name.split('.').next().unwrap_or("");
        if c != class {
            class = c;
            let from = match f.plugin {
                Some(p) => format!(" (plugin {p}, built in; event source k8s_audit)"),
                None => " (event source k8s_audit)".to_string(),
            };
            if markdown {
                let _ = writeln!(
                    s,
                    "\n## Field Class: {c}{from}\n\nName | Type | Description\n:----|:-----|:-----------"
                );
            } else {
                let _ = writeln!(s, "\nField Class: {c}{from}\n");
            }
        }
        let mut ty = f.ftype.name().to_ascii_uppercase();
        if f.is_list {
            ty.push_str(" (LIST)");
        }
        let name = match f.arg {
            ArgKind::None => f.name.clone(),
            ArgKind::Index => format!("{}[N]", f.name),
            ArgKind::Key => format!("{}[KEY]", f.name),
        };
        if markdown {
            let _ = writeln!(s, "`{name}` | {ty} | {}", f.desc);
        } else {
            let _ = writeln!(s, "{name:<50} {ty:<15} {}", f.desc);
        }
    }
    s
}
