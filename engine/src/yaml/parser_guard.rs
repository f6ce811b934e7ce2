//! Inputs that make libyaml-safer 0.3 panic instead of returning an error: the known ones refused
//! or mended up front, and any panic left contained ([`contained`]) and turned into an error at the
//! last position the parser reached, so bad YAML is always an error, never a crash.
//!
//! The known ones: a tag inside a flow collection directly followed by a comma (`[!,` or
//! `{!tag, x}`): the scanner reaches a `panic!` where libyaml has no rule either; and a backslash as
//! the last character of the stream inside a double-quoted scalar: the scanner looks one character
//! past the end, where libyaml's buffer holds a NUL and libyaml-safer's holds nothing.

use std::borrow::Cow;
use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

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

/// `text` as the scanner may safely see it: ending with a line break. The scanner looks one
/// character past the last in several places (a backslash ending a double-quoted scalar, a block
/// scalar's last line), where libyaml's buffer holds a NUL and libyaml-safer's holds nothing.
/// Values stay the same, except a keep-chomped block scalar (`|+`) ending a file that has no final
/// line break, which gains one.
pub(super) fn terminated(text: &str) -> Cow<'_, str> {
    if text.is_empty() || text.ends_with('\n') {
        text.into()
    } else {
        format!("{text}\n").into()
    }
}

thread_local! {
    /// Set while the parser runs on this thread, so the panic hook stays quiet.
    static IN_PARSER: Cell<bool> = const { Cell::new(false) };
}

/// Runs one step of the parser with its panics contained: None if it panicked. The panic hook in
/// place (the default one prints a message; a fuzzer's aborts) is not called for these panics,
/// which are input errors, while any other panic goes to it as before. The hook is installed the
/// first time; a hook set later by the application replaces it, and then these panics are still
/// contained, only reported by that hook.
pub(super) fn contained<T>(step: impl FnOnce() -> T) -> Option<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_PARSER.with(Cell::get) {
                previous(info);
            }
        }));
    });
    IN_PARSER.with(|p| p.set(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(step));
    IN_PARSER.with(|p| p.set(false));
    result.ok()
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
    fn a_text_without_a_final_line_break_gets_one() {
        assert_eq!(super::terminated("a: \"x\\"), "a: \"x\\\n");
        assert_eq!(super::terminated("a: x\n"), "a: x\n");
        assert_eq!(super::terminated(""), "");
    }

    #[test]
    fn tags_elsewhere_and_brackets_in_plain_scalars_are_not() {
        assert_eq!(find("- a: !tag,x"), None);
        assert_eq!(find("- c: proc.aname[2] != a, b"), None);
        assert_eq!(find("- l: ['!,', \"!,\"] # [!,"), None);
        assert_eq!(find("- l: [!!str a, b]"), None);
    }
}
