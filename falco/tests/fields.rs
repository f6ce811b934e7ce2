//! The fields of Falco 0.44's syscall source (tests/fields/falco-0.44.1-syscall-fields.tsv, read from
//! libs and the container plugin at the versions Falco 0.44.1 uses): `falco --list syscall` must show every
//! field Falco lists, with Falco's type, and every field Falco accepts (deprecated and table-only
//! ones included) must exist with that type.

mod common;

use std::collections::BTreeMap;

use falco_engine::fields::{FIELDS, registry};

struct Expected {
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
            let [_, name, ty, flags] = cols[..] else {
                panic!("bad line in {}: {l}", path.display())
            };
            let hidden = flags
                .split('|')
                .any(|f| matches!(f, "TABLE_ONLY" | "PRINT_ONLY" | "DEPRECATED"));
            Expected {
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
