//! Positions inside a scalar's value: a condition error at byte N of a folded `>` condition is
//! shown at the file's line and column of that character.

use super::{Pos, Style};

/// Maps byte offsets of a scalar's value back to file positions, by walking the value and the
/// source text side by side (folding and indentation only change whitespace; quoting adds quotes
/// and backslashes).
pub struct ScalarMap<'a> {
    source: &'a str,
    start: usize,
}

impl<'a> ScalarMap<'a> {
    /// `source` is the whole file; `at` is where the scalar node starts (libyaml marks quoted
    /// scalars at their quote and block scalars at their `|`/`>` indicator).
    pub fn new(source: &'a str, at: Pos, style: Style) -> ScalarMap<'a> {
        let line_start = source
            .split_inclusive('\n')
            .take(at.line.saturating_sub(1))
            .map(str::len)
            .sum::<usize>();
        let mut start = line_start;
        for (i, (b, _)) in source[line_start..].char_indices().enumerate() {
            if i + 1 == at.col {
                start = line_start + b;
                break;
            }
        }
        match style {
            Style::SingleQuoted | Style::DoubleQuoted => start += 1,
            // The content starts on the line after the indicator (and its comment, if any).
            Style::Literal | Style::Folded => {
                start = source[start..]
                    .find('\n')
                    .map_or(source.len(), |n| start + n + 1)
            }
            Style::Plain => {}
        }
        ScalarMap {
            source,
            start: start.min(source.len()),
        }
    }

    /// File position of byte `offset` of `value`, or None when the walk loses track.
    pub fn position(&self, value: &str, offset: usize) -> Option<Pos> {
        let src = self.source.as_bytes();
        let val = value.as_bytes();
        let mut j = self.start;
        for (i, &c) in val.iter().enumerate() {
            // Skip source characters the value does not have: indentation, folded line breaks,
            // escapes.
            while j < src.len() && src[j] != c {
                if !(src[j].is_ascii_whitespace()
                    || src[j] == b'\\'
                    || src[j] == b'\''
                    || src[j] == b'"')
                {
                    return None;
                }
                j += 1;
            }
            if j >= src.len() {
                return None;
            }
            if i == offset {
                return Some(offset_pos(self.source, j));
            }
            j += 1;
        }
        if offset >= val.len() {
            return Some(offset_pos(self.source, j.min(src.len())));
        }
        None
    }
}

/// Line and column of a byte offset.
pub fn offset_pos(text: &str, off: usize) -> Pos {
    let (line, col) = crate::filter::error::line_col(text, off);
    Pos { line, col }
}
