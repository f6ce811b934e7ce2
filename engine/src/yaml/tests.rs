use super::*;

fn items(src: &str) -> Vec<Node> {
    let docs = parse(src).unwrap();
    let NodeKind::Seq(items) = &docs[0].kind else {
        panic!("not a sequence")
    };
    items.clone()
}

#[test]
fn positions_of_nodes() {
    let items = items("- rule: a\n  condition: >\n    evt.type = open\n    and x\n");
    assert_eq!(items[0].pos, Pos { line: 1, col: 3 });
    let NodeKind::Map(kv) = &items[0].kind else {
        panic!()
    };
    assert_eq!(kv[1].0.pos, Pos { line: 2, col: 3 });
    assert_eq!(kv[1].1.as_str(), Some("evt.type = open and x\n"));
}

#[test]
fn maps_scalar_offsets_to_file_positions() {
    let src = "- rule: a\n  condition: >\n    evt.type = open\n    and x\n- macro: m\n  condition: proc.name = a and\n     fd.name = b\n- macro: q\n  condition: \"x = 'a'\"\n";
    let items = items(src);
    for (item, off, want) in [
        (0, 20, Pos { line: 4, col: 9 }),
        (1, 18, Pos { line: 7, col: 6 }),
        (2, 4, Pos { line: 9, col: 19 }),
    ] {
        let v = items[item].get("condition").unwrap();
        let NodeKind::Scalar { value, style } = &v.kind else {
            panic!()
        };
        let m = ScalarMap::new(src, v.pos, *style);
        assert_eq!(m.position(value, off), Some(want), "{value:?}");
    }
}

#[test]
fn syntax_errors_have_positions() {
    let e = parse("- rule: a\n  condition: [x\n").unwrap_err();
    assert!(e.pos().line >= 2, "{e:?}");
    assert!(!e.to_string().is_empty());
}

#[test]
fn aliases_resolve() {
    let items = items("- &a [x, y]\n- *a\n");
    assert_eq!(items[0].kind, items[1].kind);
}

/// Falco's sandbox rules close a flow sequence at the indentation of its key, as yaml-cpp allows.
#[test]
fn flow_sequence_closed_at_key_indentation() {
    let items = items("- list: l\n  items: [\n    \"a\",\n    \"b\"\n  ]\n");
    let NodeKind::Seq(v) = &items[0].get("items").unwrap().kind else {
        panic!()
    };
    assert_eq!(v.len(), 2);
}

#[test]
fn byte_order_mark_is_accepted() {
    let text = decode(b"\xEF\xBB\xBF- list: l\n  items: []\n").unwrap();
    assert_eq!(parse(text).unwrap().len(), 1);
}

#[test]
fn non_utf8_is_reported_at_its_line_and_column() {
    let e = decode(b"- list: l\n  items: [\"a\xff\"]\n").unwrap_err();
    assert_eq!(e.pos(), Pos { line: 2, col: 13 });
    assert!(e.to_string().contains("UTF-8"), "{e}");
    let e = decode(b"- a: 1\n- b: \x01\n").unwrap_err();
    assert_eq!(e.pos(), Pos { line: 2, col: 6 });
}

/// A 681-byte billion-laughs document: nine levels of nine aliases.
pub fn alias_bomb() -> String {
    let mut s = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        let refs = vec![format!("*{prev}"); 9].join(",");
        s.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    s
}

#[test]
fn alias_bomb_is_refused() {
    let bomb = alias_bomb();
    let e = parse(&bomb).unwrap_err();
    assert!(
        matches!(e, YamlError::AliasLimit { limit: 100_000, .. }),
        "{e:?}"
    );
    assert!(e.pos().line > 1);
}

#[test]
fn deep_nesting_is_refused() {
    let s = format!("{}x{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = parse(&s).unwrap_err();
    assert!(matches!(e, YamlError::TooDeep { limit: 256, .. }), "{e:?}");
}

#[test]
fn duplicate_keys_keep_both_in_order() {
    let items = items("- rule: a\n  condition: x\n  condition: y\n");
    assert_eq!(items[0].get("condition").unwrap().as_str(), Some("x"));
    let NodeKind::Map(kv) = &items[0].kind else {
        panic!()
    };
    assert_eq!(kv.len(), 3);
}
