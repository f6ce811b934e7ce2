//! Field and event listings: --list (fields), --list-events, -i (ignored events), with --format.

use std::fmt::Write as _;

use falco_engine::fields::FIELDS;
use falco_engine::fields::registry::{ArgKind, FieldDef, flags};
use falco_engine::schema::{ParamExtra, ParamInfo, ec, ef, table::EVENTS};
use serde_json::{Value as Json, json};

use crate::cli::OutputFormat;

fn arg_json(a: ArgKind) -> Json {
    let (required, types): (bool, &[&str]) = match a {
        ArgKind::None => return Json::Null,
        ArgKind::Required => (true, &["INDEX", "KEY"]),
        ArgKind::RequiredName => (true, &["KEY"]),
        ArgKind::NameOrIndex => (false, &["INDEX", "KEY"]),
        ArgKind::Index => (true, &["INDEX"]),
        ArgKind::IndexOptional => (false, &["INDEX"]),
        ArgKind::NameOptional => (false, &["KEY"]),
    };
    json!({"required": required, "type": types})
}

/// The listed field classes, in table order: (class name, its fields).
fn classes() -> Vec<(&'static str, Vec<&'static FieldDef>)> {
    let mut out: Vec<(&str, Vec<&FieldDef>)> = Vec::new();
    for f in FIELDS.iter().filter(|f| f.is_listed()) {
        match out.last_mut() {
            Some((name, v)) if *name == f.class => v.push(f),
            _ => out.push((f.class, vec![f])),
        }
    }
    out
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
fn field_tags(f: &FieldDef) -> Vec<&'static str> {
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

/// Appends the head of a field class as libs prints it: its name, its description (when it has
/// one) and the event sources it serves.
pub(super) fn text_class_header(out: &mut String, label: &str, desc: &str, sources: &str) {
    let _ = write!(
        out,
        "-------------------------------\n{:30}{label}\n",
        "Field Class:"
    );
    if !desc.is_empty() {
        let _ = write!(out, "{:30}", "Description:");
        wrap(out, desc);
        out.push('\n');
    }
    let _ = write!(out, "{:30}{sources} \n\n", "Event Sources:");
}

/// Appends one field as `falco --list -v` shows it: the name in 30 columns (on a line of its own
/// when longer), then its type, its tags and its description.
pub(super) fn text_field(out: &mut String, name: &str, ty: &str, tags: &[&str], desc: &str) {
    if name.len() >= 30 {
        let _ = write!(out, "{name}\n{:30}", "");
    } else {
        let _ = write!(out, "{name:30}");
    }
    let tags = if tags.is_empty() {
        String::new()
    } else {
        format!("({}) ", tags.join(","))
    };
    wrap(out, &format!("(Type: {ty}) {tags}{desc}"));
    out.push('\n');
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

fn list_json(names_only: bool, syscall: bool, k8s: bool) -> String {
    let v = if names_only {
        let mut names: Vec<&str> = Vec::new();
        if syscall {
            names.extend(FIELDS.iter().filter(|f| f.is_listed()).map(|f| f.name));
        }
        if k8s {
            names.extend(
                falco_engine::k8saudit::fields::all()
                    .iter()
                    .map(|f| f.name.as_str()),
            );
        }
        json!({ "fieldnames": names })
    } else {
        let mut classes: Vec<Json> = Vec::new();
        if syscall {
            classes.extend(classes_json());
        }
        if k8s {
            classes.extend(super::audit_fields::json_classes());
        }
        json!({ "fieldclasses": classes })
    };
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}

fn classes_json() -> Vec<Json> {
    classes()
        .into_iter()
        .map(|(c, fields)| {
            json!({
                "name": c,
                "desc": class_description(c),
                "event_sources": ["syscall"],
                "fields": fields.iter().map(|f| json!({
                    "name": f.name,
                    "type": f.ptype.name(),
                    "desc": f.desc,
                    "is_list": f.flags & flags::IS_LIST != 0,
                    "argument": arg_json(f.arg),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// `falco --list [SOURCE]`: the fields of conditions and outputs, by class, each with its type (as
/// Falco's `--list -v`). Deprecated and table-only fields are accepted but not listed.
pub fn list_fields(source: &str, names_only: bool, format: OutputFormat) -> Result<String, String> {
    let audit = falco_engine::k8saudit::SOURCE;
    let (syscall, k8s) = match source {
        "" => (true, true),
        "syscall" => (true, false),
        s if s == audit => (false, true),
        _ => return Err("Value for --list must be a valid source type".to_string()),
    };
    if format == OutputFormat::Json {
        return Ok(list_json(names_only, syscall, k8s));
    }
    let markdown = format == OutputFormat::Markdown;
    if !syscall {
        return Ok(super::audit_fields::listing(names_only, markdown, true));
    }
    let mut s = String::new();
    if !names_only && !markdown {
        s.push_str(if k8s {
            "Event Sources: syscall, k8s_audit\n\n"
        } else {
            "Event Sources: syscall\n\n"
        });
    }
    for (class, fields) in classes() {
        if !names_only {
            let desc = class_description(class);
            if markdown {
                let _ = write!(
                    s,
                    "## Field Class: {class}\n\n{desc}\n\nEvent Sources: syscall \n\nName | Type | Description\n:----|:-----|:-----------\n"
                );
            } else {
                text_class_header(&mut s, class, desc, "syscall");
            }
        }
        for f in fields {
            if names_only {
                let _ = writeln!(s, "{}", f.name);
                continue;
            }
            let ty = f.ptype.name();
            let tags = field_tags(f);
            if markdown {
                let tags = if tags.is_empty() {
                    String::new()
                } else {
                    format!("({}) ", tags.join(","))
                };
                let _ = writeln!(s, "`{}` | {ty} | {tags}{}", f.name, f.desc);
            } else {
                text_field(&mut s, f.name, ty, &tags, f.desc);
            }
        }
    }
    if k8s {
        s.push_str(&super::audit_fields::listing(names_only, markdown, false));
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

fn flag_names(p: &ParamInfo) -> Option<Vec<&'static str>> {
    match p.extra {
        ParamExtra::Flags(f) if is_flag_type(p.ptype) => Some(f.iter().map(|x| x.name).collect()),
        _ => None,
    }
}

fn is_flag_type(t: u8) -> bool {
    use falco_engine::schema::pt::*;
    matches!(
        t,
        PT_FLAGS8 | PT_FLAGS16 | PT_FLAGS32 | PT_ENUMFLAGS8 | PT_ENUMFLAGS16 | PT_ENUMFLAGS32
    )
}

/// One listed event: direction, name, parameters, whether captured without -A.
struct Listed {
    enter: bool,
    name: &'static str,
    params: &'static [ParamInfo],
    available: bool,
}

/// Falco's categories, in its order, with their events.
fn categories() -> Vec<(&'static str, Vec<Listed>)> {
    let mut cats: Vec<(&str, Vec<Listed>)> = vec![
        ("Syscall events", Vec::new()),
        ("Tracepoint events", Vec::new()),
        ("Plugin events", Vec::new()),
        ("Metaevents", Vec::new()),
    ];
    for (i, e) in EVENTS.iter().enumerate() {
        if e.flags & (ef::EF_UNUSED | ef::EF_OLD_VERSION) != 0 || e.name.is_empty() {
            continue;
        }
        let slot = if e.category & ec::EC_SYSCALL != 0 {
            0
        } else if e.category & ec::EC_TRACEPOINT != 0 {
            1
        } else if e.category & ec::EC_PLUGIN != 0 {
            2
        } else if e.category & ec::EC_METAEVENT != 0 {
            3
        } else {
            continue;
        };
        cats[slot].1.push(Listed {
            enter: i % 2 == 0,
            name: e.name,
            params: e.params,
            available: e.flags & ef::EF_DROP_SIMPLE_CONS == 0,
        });
    }
    cats
}

/// `falco --list-events`: every current event type, by category, in Falco's shapes.
pub fn list_events(format: OutputFormat) -> String {
    let schema = format!(
        "{}.{}.{}",
        falco_engine::abi::version_major(falco_engine::abi::SCHEMA_VERSION),
        falco_engine::abi::version_minor(falco_engine::abi::SCHEMA_VERSION),
        falco_engine::abi::version_patch(falco_engine::abi::SCHEMA_VERSION)
    );
    if format == OutputFormat::Json {
        let mut root = serde_json::Map::new();
        root.insert("schema_version".into(), json!(schema));
        for (cat, events) in categories() {
            let list: Vec<Json> = events
                .iter()
                .map(|e| {
                    let params: Vec<Json> = e
                        .params
                        .iter()
                        .map(|p| {
                            let mut o = json!({"type": param_type_name(p.ptype), "name": p.name});
                            if let Some(f) = flag_names(p) {
                                o["flags"] = json!(f);
                            }
                            o
                        })
                        .collect();
                    json!({"name": e.name, "dir": if e.enter { ">" } else { "<" },
                        "available": e.available, "params": params})
                })
                .collect();
            root.insert(cat.to_string(), Json::Array(list));
        }
        return format!(
            "{}\n",
            serde_json::to_string_pretty(&root).unwrap_or_default()
        );
    }
    let md = format == OutputFormat::Markdown;
    let mut s = format!("The events below are valid for Falco *Schema Version*: {schema}\n");
    for (cat, events) in categories() {
        let _ = writeln!(s, "## {cat}\n");
        if md {
            s.push_str("Default | Dir | Name | Params \n:-------|:----|:-----|:-----\n");
        }
        for e in events {
            let dir = if e.enter { '>' } else { '<' };
            let params: Vec<String> = e
                .params
                .iter()
                .map(|p| {
                    let mut t = format!("{} **{}**", param_type_name(p.ptype), p.name);
                    if let Some(f) = flag_names(p) {
                        let f: Vec<String> = if md {
                            f.iter().map(|x| format!("*{x}*")).collect()
                        } else {
                            f.iter().map(|x| x.to_string()).collect()
                        };
                        let _ = write!(t, ": {}", f.join(", "));
                    }
                    t
                })
                .collect();
            if md {
                let avail = if e.available { "Yes" } else { "No" };
                let _ = writeln!(
                    s,
                    "{avail} | `{dir}` | `{}` | {}",
                    e.name,
                    params.join(", ")
                );
            } else {
                let _ = writeln!(s, "{dir} {}({})", e.name, params.join(", "));
            }
        }
        s.push('\n');
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
    fn field_and_event_lists() {
        let l = list_fields("", false, OutputFormat::Text).unwrap();
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
            list_fields("k8s_audit", false, OutputFormat::Text)
                .unwrap()
                .contains("ka.verb")
        );
        assert!(list_fields("aws_cloudtrail", false, OutputFormat::Text).is_err());
        assert!(
            list_fields("syscall", true, OutputFormat::Text)
                .unwrap()
                .lines()
                .any(|l| l == "fd.name")
        );
        let j: Json =
            serde_json::from_str(&list_fields("", false, OutputFormat::Json).unwrap()).unwrap();
        assert!(
            j["fieldclasses"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["name"] == "process")
        );
        let e = list_events(OutputFormat::Text);
        assert!(e.lines().any(|l| l.starts_with("< execve(")), "{e}");
        assert!(e.starts_with("The events below are valid for Falco *Schema Version*: 4.5.1\n"));
        let j: Json = serde_json::from_str(&list_events(OutputFormat::Json)).unwrap();
        assert_eq!(j["schema_version"], "4.5.1");
        assert!(j["Syscall events"].as_array().unwrap().len() > 100);
        assert!(ignored_events().contains("- read"));
    }
}
