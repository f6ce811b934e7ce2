//! What falco prints and then exits: --version, --support, -L/-l (rules), -V (validation), --list
//! (fields), --list-events and -i (event types).

use std::fmt::Write as _;
use std::path::PathBuf;

use falco_engine::abi;
use falco_engine::fields::FIELDS;
use falco_engine::rules::{RuleEngine, RuleInfo, validate_rules_files};
use falco_engine::schema::{ef, table::EVENTS};
use serde_json::{Value as Json, json};

pub const FALCO_VERSION: &str = env!("CARGO_PKG_VERSION");

fn semver(v: u64) -> String {
    format!(
        "{}.{}.{}",
        abi::version_major(v),
        abi::version_minor(v),
        abi::version_patch(v)
    )
}

/// The versions as JSON (also served on /versions).
pub fn versions_json() -> Json {
    json!({
        "falco_version": FALCO_VERSION,
        "engine_version": falco_engine::rules::ENGINE_VERSION,
        "engine_version_semver": falco_engine::rules::ENGINE_VERSION,
        "driver_api_version": semver(abi::API_VERSION),
        "driver_schema_version": semver(abi::SCHEMA_VERSION),
        "default_driver_version": FALCO_VERSION,
        "drivers": ["modern_ebpf", "kmod"],
    })
}

/// `falco --version`.
pub fn version(json_output: bool) -> String {
    if json_output {
        return format!("{}\n", versions_json());
    }
    format!(
        "Falco version: {FALCO_VERSION} ({arch})\nEngine:        {engine}\nDriver:\n  API version:    {api}\n  Schema version: {schema}\n  Default driver: falco_probe {FALCO_VERSION}\n  Drivers:        modern_ebpf (CO-RE eBPF, built in), kmod (falco_probe kernel module)\n",
        arch = std::env::consts::ARCH,
        engine = falco_engine::rules::ENGINE_VERSION,
        api = semver(abi::API_VERSION),
        schema = semver(abi::SCHEMA_VERSION),
    )
}

fn rule_json(r: &RuleInfo, enabled: bool) -> Json {
    json!({"info": {
        "name": r.name,
        "condition": r.condition,
        "description": r.desc,
        "output": r.output,
        "priority": r.priority.name(),
        "source": r.source,
        "tags": r.tags,
        "enabled": enabled,
        "exceptions": r.exceptions,
    }, "details": {
        "events": r.event_types,
    }})
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn rules_table<'a>(rules: impl Iterator<Item = &'a RuleInfo>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{:<50} Description", "Rule");
    let _ = writeln!(s, "{:<50} -----------", "----");
    for r in rules {
        let _ = writeln!(s, "{:<50} {}", r.name, collapse(&r.desc));
    }
    s
}

/// `falco -L`: every loaded rule (JSON: rules, macros and lists).
pub fn describe_all(engine: &RuleEngine, json_output: bool) -> String {
    if json_output {
        let rules: Vec<Json> = engine.rules().map(|(r, e)| rule_json(r, e)).collect();
        let macros: Vec<Json> = engine
            .macros()
            .map(|(n, c)| json!({"info": {"name": n, "condition": c}}))
            .collect();
        let lists: Vec<Json> = engine
            .lists()
            .map(|(n, items)| json!({"info": {"name": n, "items": items}}))
            .collect();
        return format!(
            "{}\n",
            json!({"rules": rules, "macros": macros, "lists": lists})
        );
    }
    rules_table(engine.rules().map(|(r, _)| r))
}

/// `falco -l RULE`.
pub fn describe_rule(engine: &RuleEngine, name: &str, json_output: bool) -> Option<String> {
    let (r, enabled) = engine.rules().find(|(r, _)| r.name == name)?;
    if json_output {
        return Some(format!("{}\n", json!({"rules": [rule_json(r, enabled)]})));
    }
    Some(rules_table(std::iter::once(r)))
}

/// `falco -V FILE...`: returns the report and whether every file is valid.
pub fn validate(paths: &[PathBuf], json_output: bool) -> (String, bool) {
    let v = validate_rules_files(paths);
    let ok = v.ok();
    if json_output {
        let results: Vec<Json> = paths
            .iter()
            .map(|p| {
                let name = p.display().to_string();
                let mine = |d: &&falco_engine::rules::Diagnostic| *d.location.file == *name;
                json!({
                    "name": name,
                    "successful": !v.errors.iter().any(|d| mine(&d)),
                    "errors": v.errors.iter().filter(mine).map(|d| d.to_string()).collect::<Vec<_>>(),
                    "warnings": v.warnings.iter().filter(mine).map(|d| d.to_string()).collect::<Vec<_>>(),
                })
            })
            .collect();
        return (format!("{}\n", json!({"falco_load_results": results})), ok);
    }
    let mut s = String::new();
    for p in paths {
        let name = p.display().to_string();
        let errors: Vec<_> = v
            .errors
            .iter()
            .filter(|d| *d.location.file == *name)
            .collect();
        let warnings: Vec<_> = v
            .warnings
            .iter()
            .filter(|d| *d.location.file == *name)
            .collect();
        if errors.is_empty() && ok {
            let _ = writeln!(s, "{name}: Ok");
        } else if errors.is_empty() {
            let _ = writeln!(s, "{name}: Ok (not loaded: an earlier file has errors)");
        } else {
            let _ = writeln!(s, "{name}: Invalid");
        }
        for d in errors.iter().chain(warnings.iter()) {
            let _ = writeln!(s, "{d}");
        }
    }
    // Errors not tied to one of the files (a read error) still show.
    for d in &v.errors {
        if !paths
            .iter()
            .any(|p| p.display().to_string() == *d.location.file)
        {
            let _ = writeln!(s, "{d}");
        }
    }
    (s, ok)
}

/// What `--list` says about a field class.
fn class_description(class: &str) -> &'static str {
    match class {
        "evt" => {
            "Event fields of syscall events. The arguments of an event are evt.arg.NAME (evt.arg.filename)."
        }
        "process" => "Fields of the process and thread that produced the event.",
        "user" => "The user of the process.",
        "group" => "The group of the process.",
        "fd" => "The file descriptor the event works on: a file, a socket, a pipe...",
        "fdlist" => "The fd lists of poll events.",
        "fs.path" => {
            "The paths of syscalls that act on paths (open, unlink, rename...), as opposed to fds."
        }
        "container" => {
            "Container and Kubernetes metadata, as Falco's container plugin provides them."
        }
        _ => "",
    }
}

/// libs' tags of a field, as `--list` shows them before the description.
fn field_tags(f: &falco_engine::fields::FieldDef) -> Vec<&'static str> {
    use falco_engine::fields::{ArgKind, registry::flags};
    let mut tags = Vec::new();
    for (bit, tag) in [
        (flags::FILTER_ONLY, "FILTER_ONLY"),
        (flags::NO_RHS, "EPF_NO_RHS"),
        (flags::NO_TRANSFORMER, "EPF_NO_TRANSFORMER"),
        (flags::IS_LIST, "EPF_IS_LIST"),
    ] {
        if f.flags & bit != 0 {
            tags.push(tag);
        }
    }
    match f.arg {
        ArgKind::None => {}
        ArgKind::Required | ArgKind::RequiredName | ArgKind::Index => tags.push("ARG_REQUIRED"),
        _ => tags.push("ARG_ALLOWED"),
    }
    tags.sort_unstable();
    tags
}

/// Appends `text` wrapped at 120 columns, continuation lines indented by 30 (as Falco).
fn wrap(out: &mut String, text: &str) {
    let mut len = 0;
    for word in text.split_whitespace() {
        if len + word.len() + 1 > 90 && len > 0 {
            let _ = write!(out, "\n{:30}", "");
            len = 0;
        }
        out.push_str(word);
        out.push(' ');
        len += word.len() + 1;
    }
}

/// `falco --list [SOURCE]`: the fields of conditions and outputs, by class, each with its type (as
/// Falco's `--list -v`). Deprecated and table-only fields are accepted but not listed.
pub fn list_fields(source: &str, names_only: bool, markdown: bool) -> Result<String, String> {
    let audit = falco_engine::k8saudit::SOURCE;
    if source == audit {
        return Ok(crate::source::k8saudit::listing::fields(
            names_only, markdown, true,
        ));
    }
    if !source.is_empty() && source != "syscall" {
        return Err(format!(
            "unknown event source '{source}' (this falco has two: syscall, {audit})"
        ));
    }
    let mut s = String::new();
    if !names_only && !markdown {
        s.push_str(if source.is_empty() {
            "Event Sources: syscall, k8s_audit\n\n"
        } else {
            "Event Sources: syscall\n\n"
        });
    }
    let mut class = "";
    for f in FIELDS.iter().filter(|f| f.is_listed()) {
        if names_only {
            let _ = writeln!(s, "{}", f.name);
            continue;
        }
        if f.class != class {
            class = f.class;
            let desc = class_description(class);
            if markdown {
                let _ = write!(
                    s,
                    "## Field Class: {class}\n\n{desc}\n\nEvent Sources: syscall \n\nName | Type | Description\n:----|:-----|:-----------\n"
                );
            } else {
                let _ = write!(
                    s,
                    "-------------------------------\n{:30}{class}\n{:30}",
                    "Field Class:", "Description:"
                );
                wrap(&mut s, desc);
                let _ = write!(s, "\n{:30}syscall \n\n", "Event Sources:");
            }
        }
        let ty = f.ptype.name();
        let tags = field_tags(f);
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!("({}) ", tags.join(","))
        };
        if markdown {
            let _ = writeln!(s, "`{}` | {ty} | {tags}{}", f.name, f.desc);
        } else {
            if f.name.len() >= 30 {
                let _ = write!(s, "{}\n{:30}", f.name, "");
            } else {
                let _ = write!(s, "{:30}", f.name);
            }
            wrap(&mut s, &format!("(Type: {ty}) {tags}{}", f.desc));
            s.push('\n');
        }
    }
    if source.is_empty() {
        s.push_str(&crate::source::k8saudit::listing::fields(
            names_only, markdown, false,
        ));
    }
    Ok(s)
}

fn param_type_name(t: u8) -> &'static str {
    use falco_engine::schema::pt::*;
    match t {
        PT_INT8 => "INT8",
        PT_INT16 => "INT16",
        PT_INT32 => "INT32",
        PT_INT64 => "INT64",
        PT_UINT8 => "UINT8",
        PT_UINT16 => "UINT16",
        PT_UINT32 => "UINT32",
        PT_UINT64 => "UINT64",
        PT_CHARBUF => "CHARBUF",
        PT_BYTEBUF => "BYTEBUF",
        PT_ERRNO => "ERRNO",
        PT_SOCKADDR => "SOCKADDR",
        PT_SOCKTUPLE => "SOCKTUPLE",
        PT_FD => "FD",
        PT_PID => "PID",
        PT_FDLIST => "FDLIST",
        PT_FSPATH => "FSPATH",
        PT_SYSCALLID => "SYSCALLID",
        PT_SIGTYPE => "SIGTYPE",
        PT_RELTIME => "RELTIME",
        PT_ABSTIME => "ABSTIME",
        PT_FLAGS8 => "FLAGS8",
        PT_FLAGS16 => "FLAGS16",
        PT_FLAGS32 => "FLAGS32",
        PT_UID => "UID",
        PT_GID => "GID",
        PT_DOUBLE => "DOUBLE",
        PT_SIGSET => "SIGSET",
        PT_CHARBUFARRAY => "CHARBUFARRAY",
        PT_CHARBUF_PAIR_ARRAY => "CHARBUF_PAIR_ARRAY",
        PT_IPV4NET => "IPV4NET",
        PT_IPV6ADDR => "IPV6ADDR",
        PT_IPV6NET => "IPV6NET",
        PT_IPADDR => "IPADDR",
        PT_IPNET => "IPNET",
        PT_MODE => "MODE",
        PT_FSRELPATH => "FSRELPATH",
        PT_ENUMFLAGS8 => "ENUMFLAGS8",
        PT_ENUMFLAGS16 => "ENUMFLAGS16",
        PT_ENUMFLAGS32 => "ENUMFLAGS32",
        PT_DYN => "DYN",
        PT_PORT => "PORT",
        PT_L4PROTO => "L4PROTO",
        PT_SOCKFAMILY => "SOCKFAMILY",
        PT_BOOL => "BOOL",
        PT_IPV4ADDR => "IPV4ADDR",
        _ => "NONE",
    }
}

/// `falco --list-events`: every current event type, `> name(TYPE param, ...)`.
pub fn list_events(markdown: bool) -> String {
    let mut s = String::new();
    if markdown {
        s.push_str("Dir | Event\n:---|:-----\n");
    }
    for (i, e) in EVENTS.iter().enumerate() {
        if e.flags & (ef::EF_UNUSED | ef::EF_OLD_VERSION) != 0 || e.name.is_empty() {
            continue;
        }
        let dir = if i % 2 == 0 { '>' } else { '<' };
        let params: Vec<String> = e
            .params
            .iter()
            .map(|p| format!("{} {}", param_type_name(p.ptype), p.name))
            .collect();
        if markdown {
            let _ = writeln!(s, "{dir} | `{}({})`", e.name, params.join(", "));
        } else {
            let _ = writeln!(s, "{dir} {}({})", e.name, params.join(", "));
        }
    }
    s
}

/// `falco -i`: the high-volume events skipped without -A.
pub fn ignored_events() -> String {
    let mut names: Vec<&str> = EVENTS
        .iter()
        .filter(|e| e.flags & ef::EF_DROP_SIMPLE_CONS != 0 && e.flags & ef::EF_OLD_VERSION == 0)
        .map(|e| e.name)
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut s = String::from(
        "Ignored syscall(s) (not captured without -A; rules on them only see them with -A):\n",
    );
    for n in names {
        let _ = writeln!(s, "- {n}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_names_the_probe_abi() {
        let v = version(false);
        assert!(v.starts_with("Falco version: "));
        assert!(v.contains("Schema version: 4.5.1"), "{v}");
        let j: Json = serde_json::from_str(&version(true)).unwrap();
        assert_eq!(j["driver_schema_version"], "4.5.1");
    }

    #[test]
    fn field_and_event_lists() {
        let l = list_fields("", false, false).unwrap();
        assert!(l.contains("Field Class:                  evt"), "{l}");
        assert!(
            l.contains("proc.name                     (Type: CHARBUF)"),
            "{l}"
        );
        assert!(
            !l.lines().any(|l| l.starts_with("evt.dir ")),
            "deprecated fields are not listed"
        );
        assert!(
            list_fields("k8s_audit", false, false)
                .unwrap()
                .contains("ka.verb")
        );
        assert!(list_fields("aws_cloudtrail", false, false).is_err());
        assert!(
            list_fields("syscall", true, false)
                .unwrap()
                .lines()
                .any(|l| l == "fd.name")
        );
        let e = list_events(false);
        assert!(e.lines().any(|l| l.starts_with("< execve(")), "{e}");
        assert!(ignored_events().contains("- read"));
    }
}
