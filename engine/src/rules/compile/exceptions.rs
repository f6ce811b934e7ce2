//! A rule's exceptions as condition text, built exactly as Falco builds it: the rule matches
//! `(condition) and not (e1) and not (e2) ...`, each exception being the `or` of its value
//! tuples, each tuple the `and` of `field comp value`.

use super::text::{Mapped, quote_item};
use crate::rules::collection::{Entry, ExceptionDef};

/// List operators (and modifier operators) take a parenthesised value.
fn is_list_comp(comp: &str) -> bool {
    matches!(comp, "in" | "intersects" | "pmatch") || comp.split_whitespace().count() == 2
}

fn item(e: &Entry) -> &str {
    match e {
        Entry::One(s) => s,
        Entry::Many(_) => "",
    }
}

/// Appends ` and not (...)` for each exception with values; an error message for a malformed
/// exception.
pub fn append(m: &mut Mapped<'_>, exceptions: &[ExceptionDef]) -> Result<(), (usize, String)> {
    for (ei, ex) in exceptions.iter().enumerate() {
        let mut parts: Vec<(String, &crate::rules::diag::Location)> = Vec::new();
        match (&ex.fields, &ex.comps) {
            (Some(Entry::One(field)), comp) => {
                let comp = comp.as_ref().map_or("in", item);
                let mut first = true;
                for (v, loc) in &ex.values {
                    let Entry::One(v) = v else {
                        return Err((
                            ei,
                            format!(
                                "exception '{}': with a single field, each value must be a string",
                                ex.name
                            ),
                        ));
                    };
                    let head = if first {
                        format!("({field} {comp} (")
                    } else {
                        ", ".to_string()
                    };
                    first = false;
                    parts.push((head, &ex.loc));
                    parts.push((quote_item(v), loc));
                }
                if !first {
                    parts.push(("))".into(), &ex.loc));
                }
            }
            (Some(Entry::Many(fields)), Some(Entry::Many(comps))) => {
                if ex.values.is_empty() {
                    continue;
                }
                parts.push(("(".into(), &ex.loc));
                for (ti, (tuple, loc)) in ex.values.iter().enumerate() {
                    let Entry::Many(vals) = tuple else {
                        return Err((
                            ei,
                            format!(
                                "exception '{}': each value must be a list with one entry per field",
                                ex.name
                            ),
                        ));
                    };
                    if vals.len() != fields.len() {
                        return Err((
                            ei,
                            format!(
                                "exception '{}': fields and values lists must have equal length",
                                ex.name
                            ),
                        ));
                    }
                    parts.push((if ti == 0 { "(" } else { " or (" }.into(), &ex.loc));
                    for (k, (f, c)) in fields.iter().zip(comps).enumerate() {
                        let (f, c) = (item(f), item(c));
                        let value = match &vals[k] {
                            Entry::Many(items) => {
                                let v: Vec<String> =
                                    items.iter().map(|i| quote_item(item(i))).collect();
                                format!("({})", v.join(", "))
                            }
                            Entry::One(v) if is_list_comp(c) && !v.starts_with('(') => {
                                format!("({v})")
                            }
                            Entry::One(v) if is_list_comp(c) => v.clone(),
                            Entry::One(v) => quote_item(v),
                        };
                        let and = if k == 0 { "" } else { " and " };
                        parts.push((format!("{and} {f} {c} "), &ex.loc));
                        parts.push((value, loc));
                    }
                    parts.push((")".into(), &ex.loc));
                }
                parts.push((")".into(), &ex.loc));
            }
            _ => continue,
        }
        if parts.is_empty() {
            continue;
        }
        m.push(" and not ", &ex.loc);
        for (s, loc) in parts {
            m.push(&s, loc);
        }
    }
    Ok(())
}
