//! docs/fields.md is generated from the field registry; this test keeps it in step. The section
//! "Differences from Falco" at its end is written by hand and kept as it is.
//! Regenerate with: `UPDATE_DOCS=1 cargo test -p falco-engine --test fields_doc`.

use std::fmt::Write as _;
use std::path::Path;

use falco_engine::fields::{ArgKind, FIELDS, registry::flags};

const DIFFERENCES: &str = "\n## Differences from Falco\n";

fn render() -> String {
    let mut s = String::new();
    s.push_str("# Fields\n\n");
    s.push_str(
        "Fields name the values of an event and of its context: conditions compare them and outputs print \
         them (`%proc.name`). A missing value prints as `<NA>` and never matches a comparison.\n\n\
         These are the fields of Falco 0.44's syscall source (libs 0.25) and of its container plugin \
         (0.7), with Falco's types; `falco --list` shows them. Types decide the operators a condition \
         may use (see docs/rules.md). `filter only` fields can be used in conditions but not printed; \
         `deprecated` and `table only` fields are accepted but `--list` leaves them out, as Falco's \
         does. This file is generated from `engine/src/fields/table.rs`.\n",
    );
    let mut class = "";
    for f in FIELDS {
        if f.class != class {
            class = f.class;
            let _ = write!(
                s,
                "\n## {class}\n\n| field | type | argument | description |\n|---|---|---|---|\n"
            );
        }
        let arg = match f.arg {
            ArgKind::None => "",
            ArgKind::Required => "required: name or index",
            ArgKind::RequiredName => "required: name",
            ArgKind::NameOrIndex => "optional: name or index",
            ArgKind::Index => "required: index",
            ArgKind::IndexOptional => "optional: index",
            ArgKind::NameOptional => "optional: name",
        };
        let mut ty = f.ptype.name().to_string();
        for (bit, note) in [
            (flags::FILTER_ONLY, "filter only"),
            (flags::PRINT_ONLY, "output only"),
            (flags::DEPRECATED, "deprecated"),
            (flags::TABLE_ONLY, "table only"),
            (flags::IS_LIST, "list"),
        ] {
            if f.flags & bit != 0 {
                let _ = write!(ty, " ({note})");
            }
        }
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
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    let tail = have
        .find(DIFFERENCES)
        .map_or(String::new(), |i| have[i..].to_string());
    let want = render() + &tail;
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    assert!(
        have == want,
        "docs/fields.md is out of date: run UPDATE_DOCS=1 cargo test -p falco-engine --test fields_doc"
    );
    assert!(
        !tail.is_empty(),
        "docs/fields.md lists the differences from Falco at its end"
    );
}
