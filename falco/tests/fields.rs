//! The fields of Falco 0.44's syscall source (tests/fields/falco-0.44.1-syscall-fields.tsv, read from
//! libs and the container plugin at the versions Falco 0.44.1 uses): `falco --list syscall` must show every
//! field Falco lists, with Falco's type, and every field Falco accepts (deprecated and table-only
//! ones included) must exist with that type. The container fields are the container plugin's
//! exactly: none missing and none of falco's own.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use falco_engine::fields::{FIELDS, registry};

struct Expected {
    /// libs' filtercheck class, or `container` for the container plugin's fields.
    class: String,
    name: String,
    ty: String,
    /// Falco's `--list` shows it (not table-only, print-only or deprecated).
    listed: bool,
}

fn falco_fields() -> Vec<Expected> {
    let path = common::repo().join("tests/fields/falco-0.44.1-syscall-fields.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            let [class, name, ty, flags] = cols[..] else {
                panic!("bad line in {}: {l}", path.display())
            };
            let hidden = flags
                .split('|')
                .any(|f| matches!(f, "TABLE_ONLY" | "PRINT_ONLY" | "DEPRECATED"));
            Expected {
                class: class.into(),
                name: name.into(),
                ty: ty.into(),
                listed: !hidden,
            }
        })
        .collect()
}

/// `falco --list syscall`: field name → the type it shows.
fn listed_fields() -> BTreeMap<String, String> {
    let o =
        common::run(std::process::Command::new(common::falco_bin()).args(["--list", "syscall"]));
    assert!(o.status.success(), "{}", common::stderr(&o));
    common::field_listing(&common::stdout(&o))
        .into_iter()
        .map(|(name, f)| (name, f.ty))
        .collect()
}

#[test]
fn falco_list_shows_every_field_of_falco_0_44_with_its_type() {
    let listed = listed_fields();
    let mut missing = Vec::new();
    let mut wrong = Vec::new();
    for f in falco_fields().iter().filter(|f| f.listed) {
        match listed.get(&f.name) {
            None => missing.push(f.name.clone()),
            Some(ty) if *ty != f.ty => wrong.push(format!("{}: {ty}, Falco {}", f.name, f.ty)),
            Some(_) => {}
        }
    }
    assert!(
        missing.is_empty() && wrong.is_empty(),
        "missing from falco --list: {missing:?}\nwrong types: {wrong:?}"
    );
}

#[test]
fn every_field_falco_accepts_exists_with_its_type() {
    let mut bad = Vec::new();
    for f in falco_fields() {
        match registry::lookup(&f.name) {
            None => bad.push(format!("{}: unknown", f.name)),
            Some(id) if FIELDS[id as usize].ptype.name() != f.ty => bad.push(format!(
                "{}: {}, Falco {}",
                f.name,
                FIELDS[id as usize].ptype.name(),
                f.ty
            )),
            Some(_) => {}
        }
    }
    assert!(bad.is_empty(), "{bad:#?}");
}

/// A field falco added under the plugin's names (a `container.` or `k8s.` field Falco has not)
/// would load rules Falco rejects, so the two lists must be equal both ways: by name prefix, and
/// by the class `--list` groups them under (the plugin's class holds the `proc.is_container_*`
/// fields too).
#[test]
fn container_and_k8s_fields_are_the_container_plugins_exactly() {
    let plugin_prefix = |n: &str| n.starts_with("container.") || n.starts_with("k8s.");
    let falco = falco_fields();
    let theirs_by_prefix: BTreeSet<&str> = falco
        .iter()
        .map(|f| f.name.as_str())
        .filter(|n| plugin_prefix(n))
        .collect();
    let ours_by_prefix: BTreeSet<&str> = FIELDS
        .iter()
        .map(|f| f.name)
        .filter(|n| plugin_prefix(n))
        .collect();
    let theirs_by_class: BTreeSet<&str> = falco
        .iter()
        .filter(|f| f.class == "container")
        .map(|f| f.name.as_str())
        .collect();
    let ours_by_class: BTreeSet<&str> = FIELDS
        .iter()
        .filter(|f| f.class == "container")
        .map(|f| f.name)
        .collect();
    // A wrong filter on either side would make both sets empty and the test pass.
    assert!(theirs_by_prefix.len() > 50, "{theirs_by_prefix:?}");
    assert_eq!(ours_by_prefix, theirs_by_prefix, "container./k8s. fields");
    assert_eq!(ours_by_class, theirs_by_class, "the container class");
}
