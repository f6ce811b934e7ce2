//! The event ids of probe/abi.rs (`abi::event_id`) are generated from the schema table
//! (engine/src/schema/table.rs): each row of the table starts with `/* id NAME */`, and every named
//! row is one `pub const NAME: u16 = id;` between the `BEGIN EVENT IDS` and `END EVENT IDS` lines of
//! abi.rs. This test regenerates that block and fails when abi.rs differs;
//! `FALCO_UPDATE_ABI=1 cargo test -p falco-engine --test abi_event_ids` writes it instead.

use std::path::Path;

use falco_engine::schema::table::EVENTS;

const BEGIN: &str = "    // BEGIN EVENT IDS";
const END: &str = "    // END EVENT IDS";

/// The `(id, NAME)` of every row of the table's source, in order; `NAME` is empty on unnamed rows.
fn table_rows(table: &str) -> Vec<(usize, String)> {
    table
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix("/* ")?;
            let (comment, _) = rest.split_once(" */")?;
            let mut words = comment.split(' ');
            let id = words.next()?.parse().ok()?;
            Some((id, words.next().unwrap_or("").to_string()))
        })
        .collect()
}

/// The block's constants, as abi.rs holds them between its BEGIN and END lines.
fn generated(rows: &[(usize, String)]) -> String {
    rows.iter()
        .filter(|(_, name)| !name.is_empty())
        .map(|(id, name)| format!("    pub const {name}: u16 = {id};\n"))
        .collect()
}

#[test]
fn abi_event_ids_are_the_schema_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let table = std::fs::read_to_string(root.join("engine/src/schema/table.rs")).unwrap();
    let rows = table_rows(&table);
    // Every row is commented with its position, so an id is where the row is.
    assert_eq!(
        rows.len(),
        EVENTS.len(),
        "rows of the table with an id comment"
    );
    for (i, (id, name)) in rows.iter().enumerate() {
        assert_eq!(*id, i, "the row commented {id} {name} is row {i}");
    }

    let abi_path = root.join("probe/abi.rs");
    let abi = std::fs::read_to_string(&abi_path).unwrap();
    let begin = abi.find(BEGIN).expect("abi.rs has a BEGIN EVENT IDS line");
    let start = begin
        + abi[begin..]
            .find("\n    pub const ")
            .expect("constants after BEGIN")
        + 1;
    let end = abi.find(END).expect("abi.rs has an END EVENT IDS line");
    let want = generated(&rows);
    if abi[start..end] == want {
        return;
    }
    if std::env::var_os("FALCO_UPDATE_ABI").is_some() {
        std::fs::write(&abi_path, format!("{}{want}{}", &abi[..start], &abi[end..])).unwrap();
        return;
    }
    panic!(
        "probe/abi.rs's event ids differ from the schema table: \
         FALCO_UPDATE_ABI=1 cargo test -p falco-engine --test abi_event_ids rewrites them"
    );
}
