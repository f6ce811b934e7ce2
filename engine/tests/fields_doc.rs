//! docs/fields.md is generated from the field registry; this test keeps it in step.
//! Regenerate with: `UPDATE_DOCS=1 cargo test -p falco-engine --test fields_doc`.

use std::fmt::Write as _;
use std::path::Path;

use falco_engine::fields::{ArgKind, FIELDS};

fn render() -> String {
    let mut s = String::new();
    s.push_str("# Fields\n\n");
    s.push_str(
        "Fields name the values of an event and of its context: conditions compare them and outputs print \
         them (`%proc.name`). A missing value prints as `<NA>` and never matches a comparison.\n\n\
         Types decide the operators a condition may use (see docs/rules.md). `filter only` fields can be \
         used in conditions but not printed. This file is generated from `engine/src/fields/registry.rs`.\n",
    );
    let mut class = "";
    for f in FIELDS {
        let c = f.name.split('.').next().unwrap_or("");
        if c != class {
            class = c;
            let _ = write!(
                s,
                "\n## {class}\n\n| field | type | argument | description |\n|---|---|---|---|\n"
            );
        }
        let arg = match f.arg {
            ArgKind::None => "",
            ArgKind::Required => "required: name or index",
            ArgKind::NameOrIndex => "optional: name or index",
            ArgKind::Index => "required: index",
            ArgKind::IndexOptional => "optional: index",
            ArgKind::NameOptional => "optional: name",
        };
        let ty = if f.filter_only {
            format!("{} (filter only)", f.ftype.name())
        } else {
            f.ftype.name().to_string()
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} |",
            f.name,
            ty,
            arg,
            f.desc.replace('|', "\\|")
        );
    }
    s
}

#[test]
fn fields_doc_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/fields.md");
    let want = render();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/fields.md is out of date: run UPDATE_DOCS=1 cargo test -p falco-engine --test fields_doc"
    );
}
