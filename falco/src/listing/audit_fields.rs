//! `falco --list k8s_audit`: the source's fields in the classes Falco lists them in. In Falco they
//! come from libs' generic event fields and the k8saudit and json plugins, so they are printed as
//! libs prints plugin fields: a class per plugin (`k8saudit (plugin)`), names without their
//! argument, libs' types (a plugin's `string` is CHARBUF) and tags (`EPF_IS_LIST`, `ARG_*`).

use std::fmt::Write as _;

use falco_engine::k8saudit::SOURCE;
use falco_engine::k8saudit::fields::{self, ArgKind, FieldInfo};
use serde_json::{Value as Json, json};

use super::events::{text_class_header, text_field};

/// A field class as libs describes it.
struct Class {
    name: &'static str,
    shortdesc: &'static str,
    desc: &'static str,
    fields: Vec<&'static FieldInfo>,
}

/// The classes in Falco's order: the generic event fields, then each plugin's.
fn classes() -> Vec<Class> {
    let class = |name, shortdesc, desc, plugin: Option<&str>| Class {
        name,
        shortdesc,
        desc,
        fields: fields::all()
            .iter()
            .filter(|f| f.plugin == plugin)
            .collect(),
    };
    vec![
        class(
            "evt",
            "All event types",
            "These fields can be used for all event types",
            None,
        ),
        class("k8saudit (plugin)", "", "", Some("k8saudit")),
        class("json (plugin)", "", "", Some("json")),
    ]
}

/// libs' tags of a plugin field: an index argument is optional, a key argument required, as the
/// plugins declare them.
fn tags(f: &FieldInfo) -> Vec<&'static str> {
    let mut t = match f.arg {
        ArgKind::None => vec![],
        ArgKind::Index => vec!["ARG_ALLOWED", "ARG_INDEX"],
        ArgKind::Key => vec!["ARG_KEY", "ARG_REQUIRED"],
    };
    if f.is_list {
        t.push("EPF_IS_LIST");
    }
    t.sort_unstable();
    t
}

/// The text or markdown listing; `header`: start with the `Event Sources:` line (when the source
/// is listed alone).
pub fn listing(names_only: bool, markdown: bool, header: bool) -> String {
    let mut s = String::new();
    if header && !names_only && !markdown {
        let _ = writeln!(s, "Event Sources: {SOURCE}\n");
    }
    for c in classes() {
        if names_only {
            for f in &c.fields {
                let _ = writeln!(s, "{}", f.name);
            }
            continue;
        }
        if markdown {
            let _ = write!(s, "## Field Class: {}\n\n", c.name);
            if !c.desc.is_empty() {
                let _ = write!(s, "{}\n\n", c.desc);
            }
            let _ = write!(
                s,
                "Event Sources: {SOURCE} \n\nName | Type | Description\n:----|:-----|:-----------\n"
            );
            for f in &c.fields {
                let ty = f.ftype.libs_name();
                let ty = if f.is_list {
                    format!("LIST({ty})")
                } else {
                    ty.to_string()
                };
                let _ = writeln!(s, "`{}` | {ty} | {}", f.name, f.desc);
            }
        } else {
            let label = if c.shortdesc.is_empty() {
                c.name.to_string()
            } else {
                format!("{} ({})", c.name, c.shortdesc)
            };
            text_class_header(&mut s, &label, c.desc, SOURCE);
            for f in &c.fields {
                text_field(&mut s, &f.name, f.ftype.libs_name(), &tags(f), &f.desc);
            }
        }
    }
    s
}

/// The classes as `--list --format json` shows them.
pub fn json_classes() -> Vec<Json> {
    classes()
        .into_iter()
        .map(|c| {
            let fields: Vec<Json> = c
                .fields
                .iter()
                .map(|f| {
                    let argument = match f.arg {
                        ArgKind::None => Json::Null,
                        ArgKind::Index => json!({"required": false, "type": ["INDEX"]}),
                        ArgKind::Key => json!({"required": true, "type": ["KEY"]}),
                    };
                    json!({
                        "name": f.name,
                        "type": f.ftype.libs_name(),
                        "desc": f.desc,
                        "is_list": f.is_list,
                        "argument": argument,
                    })
                })
                .collect();
            let mut v = json!({"name": c.name, "event_sources": [SOURCE], "fields": fields});
            if !c.desc.is_empty() {
                v["desc"] = json!(c.desc);
            }
            v
        })
        .collect()
}
