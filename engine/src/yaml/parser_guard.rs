//! Inputs that make libyaml-safer 0.3 panic instead of returning an error, refused up front with
//! a position; [`super::parse_with`] also catches any panic left, so bad YAML is always an error.
//!
//! The known one: a tag inside a flow collection directly followed by a comma (`[!,` or
//! `{!tag, x}`): the scanner reaches a `panic!` where libyaml has no rule either.

use super::{Pos, offset_pos};

/// The byte offset of a tag written directly before a comma inside a flow collection, if any.
/// Quoted scalars and comments are skipped; a bracket counts as a flow indicator only at the start
/// of a token, so `proc.aname[2]` in a plain scalar opens nothing.
pub(super) fn tag_before_comma_in_flow(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let token_start = |i: usize| {
        i == 0
            || matches!(
                b[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':'
            )
    };
    while i < b.len() {
        match b[i] {
            b'#' if i == 0 || matches!(b[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\'' if token_start(i) => {
                i += 1;
                while i < b.len() && !(b[i] == b'\'' && b.get(i + 1) != Some(&b'\'')) {
                    i += if b[i] == b'\'' { 2 } else { 1 };
                }
            }
            b'"' if token_start(i) => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'[' | b'{' if token_start(i) => depth += 1,
            b']' | b'}' if depth > 0 => depth -= 1,
            b'!' if depth > 0 && token_start(i) => {
                let end = b[i..]
                    .iter()
                    .position(|c| {
                        matches!(
                            c,
                            b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}'
                        )
                    })
                    .map_or(b.len(), |n| i + n);
                if b.get(end) == Some(&b',') {
                    return Some(i);
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The position of such a tag, for the error.
pub(super) fn refused_at(text: &str) -> Option<Pos> {
    tag_before_comma_in_flow(text).map(|off| offset_pos(text, off))
}

#[cfg(test)]
mod tests {
    use super::tag_before_comma_in_flow as find;

    #[test]
    fn a_tag_before_a_comma_in_a_flow_collection_is_found() {
        assert_eq!(find("[!,"), Some(1));
        assert_eq!(find("- a: {x: !tag, y: 1}"), Some(9));
    }

    #[test]
    fn tags_elsewhere_and_brackets_in_plain_scalars_are_not() {
        assert_eq!(find("- a: !tag,x"), None);
        assert_eq!(find("- c: proc.aname[2] != a, b"), None);
        assert_eq!(find("- l: ['!,', \"!,\"] # [!,"), None);
        assert_eq!(find("- l: [!!str a, b]"), None);
    }
}
