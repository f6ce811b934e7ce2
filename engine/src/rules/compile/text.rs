//! Condition text as Falco builds it before parsing (exceptions appended, list names replaced by
//! their items), remembering where each byte came from so errors still point into the file.

use crate::rules::collection::Text;
use crate::rules::diag::Location;

/// Where a run of bytes came from.
#[derive(Debug, Clone)]
enum Origin {
    /// Byte N of the condition's own [`Text`] (and on from there).
    Text(usize),
    /// Byte N of the condition's own [`Text`], for the whole run: a substituted list is located
    /// where its name was. (Resolved when asked: a location costs a scan of the file.)
    TextPoint(usize),
    /// A fixed place: generated text (exceptions).
    At(Location),
}

/// Text with the origin of each run of bytes.
#[derive(Debug, Clone)]
pub struct Mapped<'t> {
    pub text: String,
    /// (start, origin), sorted by start; a span runs to the next one's start.
    spans: Vec<(usize, Origin)>,
    cond: &'t Text,
}

impl<'t> Mapped<'t> {
    /// The joined condition text.
    pub fn new(cond: &'t Text) -> Mapped<'t> {
        Mapped {
            text: cond.joined(),
            spans: vec![(0, Origin::Text(0))],
            cond,
        }
    }

    /// `(condition)`, ready for exceptions to follow.
    pub fn parenthesized(cond: &'t Text) -> Mapped<'t> {
        let inner = cond.joined();
        let len = inner.len();
        Mapped {
            text: format!("({inner})"),
            spans: vec![
                (0, Origin::Text(0)),
                (1, Origin::Text(0)),
                (1 + len, Origin::Text(len)),
            ],
            cond,
        }
    }

    /// Appends generated text located at `loc`.
    pub fn push(&mut self, s: &str, loc: &Location) {
        if s.is_empty() {
            return;
        }
        self.spans.push((self.text.len(), Origin::At(loc.clone())));
        self.text.push_str(s);
    }

    /// The file location of byte `off`.
    pub fn location(&self, off: usize) -> Location {
        let i = self.spans.partition_point(|(s, _)| *s <= off).max(1) - 1;
        let (start, origin) = &self.spans[i];
        match origin {
            Origin::Text(k) => self
                .cond
                .location(k + off.saturating_sub(*start))
                .unwrap_or_else(|| self.fallback()),
            Origin::TextPoint(k) => self.cond.location(*k).unwrap_or_else(|| self.fallback()),
            Origin::At(l) => l.clone(),
        }
    }

    /// Where byte `off` comes from, as the origin of a run that replaces it.
    fn point(&self, off: usize) -> Origin {
        match self.origin_at(off) {
            Some((s, Origin::Text(k))) => Origin::TextPoint(k + (off - s)),
            Some((_, o)) => o,
            None => Origin::TextPoint(0),
        }
    }

    fn fallback(&self) -> Location {
        self.cond.start().unwrap_or(Location {
            file: "".into(),
            line: 0,
            col: 0,
        })
    }

    /// Replaces bytes `start..end` with `new`, whose bytes come from `origin`.
    fn replace(&mut self, start: usize, end: usize, new: &str, origin: Origin) {
        let tail_origin = match self.origin_at(end) {
            Some((s, Origin::Text(k))) => Some(Origin::Text(k + (end - s))),
            Some((_, o)) => Some(o),
            None => None,
        };
        let delta = new.len() as isize - (end - start) as isize;
        let mut spans: Vec<(usize, Origin)> = self
            .spans
            .iter()
            .filter(|(s, _)| *s < start)
            .cloned()
            .collect();
        spans.push((start, origin));
        let new_end = start + new.len();
        if end < self.text.len()
            && let Some(o) = tail_origin
        {
            spans.push((new_end, o));
        }
        spans.extend(
            self.spans
                .iter()
                .filter(|(s, _)| *s > end)
                .map(|(s, o)| ((*s as isize + delta) as usize, o.clone())),
        );
        self.text.replace_range(start..end, new);
        self.spans = spans;
    }

    fn origin_at(&self, off: usize) -> Option<(usize, Origin)> {
        let i = self.spans.partition_point(|(s, _)| *s <= off);
        (i > 0).then(|| self.spans[i - 1].clone())
    }
}

/// Falco's quoting of a list item or exception value: a value with a blank that is not already
/// quoted gets double quotes. (Other characters go in as they are, as in Falco.)
pub fn quote_item(e: &str) -> String {
    if e.contains(' ') && !e.starts_with('"') && !e.starts_with('\'') {
        format!("\"{e}\"")
    } else {
        e.to_string()
    }
}

/// A list's name, with a searcher for it built once for all the conditions it is looked for in.
pub struct ListName<'n> {
    name: &'n str,
    finder: memchr::memmem::Finder<'n>,
}

impl<'n> ListName<'n> {
    pub fn new(name: &'n str) -> ListName<'n> {
        ListName {
            name,
            finder: memchr::memmem::Finder::new(name.as_bytes()),
        }
    }
}

/// Text grew past the limit while substituting a list.
#[derive(Debug)]
pub struct TooLong;

/// Replaces every whole-word occurrence of the name of `list` in `m` by its items, exactly as
/// Falco's loader does it on text (a word ends at a blank, `(`, `)`, `,`, `=` or either end; the
/// blanks around the name are replaced too). Returns whether the list was used.
pub fn substitute_list(
    m: &mut Mapped<'_>,
    list: &ListName<'_>,
    items: &[String],
    max_len: usize,
) -> Result<bool, TooLong> {
    let (name, finder) = (list.name, &list.finder);
    const BLANKS: &[u8] = b" \t\n\r";
    const DELIMS: &[u8] = b" \t\n\r(),=";
    if name.is_empty() {
        return Ok(false);
    }
    // Built at the first use: most lists are absent from most conditions.
    let mut joined: Option<String> = None;
    let mut used = false;
    let mut from = 0usize;
    while let Some(found) = m.text.as_bytes().get(from..).and_then(|t| finder.find(t)) {
        let mut start = from + found;
        let mut end = start + name.len();
        let b = m.text.as_bytes();
        let before_ok = start == 0 || DELIMS.contains(&b[start - 1]);
        let after_ok = end >= b.len() || DELIMS.contains(&b[end]);
        if !(before_ok && after_ok) {
            from = start + 1;
            continue;
        }
        let sub: &str = joined.get_or_insert_with(|| {
            items
                .iter()
                .map(|i| quote_item(i))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let at = m.point(start);
        while start > 0 && BLANKS.contains(&b[start - 1]) {
            start -= 1;
        }
        while end < b.len() && BLANKS.contains(&b[end]) {
            end += 1;
        }
        if sub.is_empty() {
            if start > 0 && b[start - 1] == b',' {
                start -= 1;
            } else if end < b.len() && b[end] == b',' {
                end += 1;
            }
        }
        let new = if start > 0 {
            format!(" {sub} ")
        } else {
            format!("{sub} ")
        };
        if m.text.len() - (end - start) + new.len() > max_len {
            return Err(TooLong);
        }
        m.replace(start, end, &new, at);
        used = true;
        // Where Falco resumes its search (past the items and one more byte).
        from = start + sub.len() + 2;
    }
    Ok(used)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::collection::Segment;
    use crate::yaml::{Pos, Style};
    use std::sync::Arc;

    fn text(s: &str) -> Text {
        Text::one(Segment {
            text: s.to_string(),
            file: Arc::from("f.yaml"),
            source: Arc::from(format!("- macro: m\n  condition: {s}\n").as_str()),
            pos: Pos { line: 2, col: 14 },
            style: Style::Plain,
        })
    }

    fn sub(cond: &str, name: &str, items: &[&str]) -> String {
        let t = text(cond);
        let mut m = Mapped::new(&t);
        let items: Vec<String> = items.iter().map(|s| s.to_string()).collect();
        substitute_list(&mut m, &ListName::new(name), &items, 1 << 20).unwrap();
        m.text
    }

    #[test]
    fn substitutes_like_falco() {
        assert_eq!(
            sub("proc.name in (shells)", "shells", &["bash", "sh"]),
            "proc.name in ( bash, sh )"
        );
        assert_eq!(sub("proc.name=cats", "cats", &["cat"]), "proc.name= cat ");
        assert_eq!(
            sub("proc.name in (a, shells)", "shells", &[]),
            "proc.name in (a  )"
        );
        assert_eq!(
            sub("proc.name in (shells_x)", "shells", &["b"]),
            "proc.name in (shells_x)"
        );
        assert_eq!(
            sub("x in (l) and y in (l)", "l", &["a b", "\"c\""]),
            "x in ( \"a b\", \"c\" ) and y in ( \"a b\", \"c\" )"
        );
    }

    #[test]
    fn locations_survive_substitution() {
        let t = text("proc.name in (shells) and bad.field = 1");
        let mut m = Mapped::new(&t);
        substitute_list(
            &mut m,
            &ListName::new("shells"),
            &["bash".into(), "zsh".into()],
            1 << 20,
        )
        .unwrap();
        let off = m.text.find("bad.field").unwrap();
        assert_eq!(m.location(off).col, 14 + 26);
        let off = m.text.find("zsh").unwrap();
        assert_eq!(m.location(off).col, 14 + 14);
    }
}
