//! A list of strings kept in one buffer: a process's arguments and environment. One allocation per
//! list whatever the number of entries, so memory follows the bytes (which are capped), not the
//! count (a hostile execve can carry tens of thousands of one-byte arguments).

use std::fmt;

/// Strings separated by NUL in one buffer. The entries themselves never contain NUL.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NulList {
    buf: String,
    len: usize,
}

impl NulList {
    /// Splits a NUL-separated list as the kernel lays out argv and envp (a trailing NUL does not make
    /// an empty last entry), keeping at most `max_bytes` of it: the rest is cut, mid-entry if need
    /// be, as the drivers cut what they read.
    pub fn from_raw(raw: &[u8], max_bytes: usize) -> NulList {
        let raw = &raw[..raw.len().min(max_bytes)];
        let raw = raw.strip_suffix(b"\0").unwrap_or(raw);
        if raw.is_empty() {
            return NulList::default();
        }
        // Usually all valid UTF-8 (NUL is): then the list is the bytes as they are, validated in
        // one pass with the standard library's word-at-a-time check, not entry by entry.
        if let Ok(text) = std::str::from_utf8(raw) {
            return NulList {
                buf: text.to_owned(),
                len: memchr::memchr_iter(0, raw).count() + 1,
            };
        }
        let mut l = NulList {
            buf: String::with_capacity(raw.len()),
            len: 0,
        };
        for part in raw.split(|&b| b == 0) {
            l.push(&String::from_utf8_lossy(part));
        }
        l
    }

    fn push(&mut self, s: &str) {
        if self.len > 0 {
            self.buf.push('\0');
        }
        self.buf.push_str(s);
        self.len += 1;
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The entries' bytes with one separator between each two: the length of the list joined.
    pub fn joined_len(&self) -> usize {
        self.buf.len()
    }

    pub fn iter(&self) -> NulIter<'_> {
        NulIter {
            rest: (self.len > 0).then_some(self.buf.as_str()),
        }
    }

    pub fn first(&self) -> Option<&str> {
        self.iter().next()
    }

    pub fn get(&self, i: usize) -> Option<&str> {
        self.iter().nth(i)
    }

    /// The entries joined by `sep` (`proc.args`, `proc.env`).
    pub fn join(&self, sep: &str) -> String {
        if sep == "\0" {
            return self.buf.clone();
        }
        // A one-byte ASCII separator (the space of proc.args and proc.env) takes the place of each
        // NUL byte for byte: one pass over an environment of kilobytes, no copy per entry.
        if let &[b] = sep.as_bytes()
            && b.is_ascii()
        {
            let bytes: Vec<u8> = self
                .buf
                .bytes()
                .map(|c| if c == 0 { b } else { c })
                .collect();
            // One ASCII byte for another keeps the text valid: the check never fails.
            return String::from_utf8(bytes).unwrap_or_default();
        }
        let mut s = String::with_capacity(self.buf.len());
        for (i, e) in self.iter().enumerate() {
            if i > 0 {
                s.push_str(sep);
            }
            s.push_str(e);
        }
        s
    }

    /// Removes and returns the first entry (argv[0] out of a /proc cmdline).
    pub fn take_first(&mut self) -> Option<String> {
        let first = self.first()?.to_string();
        self.buf.drain(..(first.len() + 1).min(self.buf.len()));
        self.len -= 1;
        Some(first)
    }

    /// Each entry NUL-terminated, as capture files store them.
    pub fn to_raw(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.buf.len() + 1);
        for e in self.iter() {
            v.extend_from_slice(e.as_bytes());
            v.push(0);
        }
        v
    }

    /// Heap bytes held.
    pub fn heap_bytes(&self) -> usize {
        self.buf.capacity()
    }
}

impl<S: AsRef<str>> FromIterator<S> for NulList {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut l = NulList::default();
        for s in iter {
            // An entry cannot hold a NUL: it would read back as two.
            l.push(&s.as_ref().replace('\0', ""));
        }
        l
    }
}

impl fmt::Debug for NulList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<S: AsRef<str>> PartialEq<[S]> for NulList {
    fn eq(&self, other: &[S]) -> bool {
        self.len == other.len() && self.iter().zip(other).all(|(a, b)| a == b.as_ref())
    }
}

impl<S: AsRef<str>> PartialEq<Vec<S>> for NulList {
    fn eq(&self, other: &Vec<S>) -> bool {
        self == other.as_slice()
    }
}

/// The entries of a [`NulList`].
#[derive(Clone)]
pub struct NulIter<'a> {
    rest: Option<&'a str>,
}

impl<'a> Iterator for NulIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        // Items are short (arguments, environment entries): a plain byte loop beats setting up a
        // char searcher for each.
        match rest.bytes().position(|b| b == 0) {
            Some(i) => {
                self.rest = Some(&rest[i + 1..]);
                Some(&rest[..i])
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

impl<'a> IntoIterator for &'a NulList {
    type Item = &'a str;
    type IntoIter = NulIter<'a>;

    fn into_iter(self) -> NulIter<'a> {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Raw lists: empty entries, trailing NULs, text and invalid UTF-8 (a sequence cut by a NUL).
    const LISTS: [&[u8]; 10] = [
        b"",
        b"\0",
        b"a",
        b"a\0\0b\0",
        b"\0\0",
        b"caf\xc3\xa9\0x",
        b"bad\xff\0ok\0",
        b"\xc3\0\xa9",
        b"-la\0/tmp\0\0",
        b"HOME=/root\0PATH=/usr/bin:/bin\0TERM=xterm\0",
    ];

    #[test]
    fn splits_like_argv() {
        let l = NulList::from_raw(b"-la\0/tmp\0", 4096);
        assert_eq!(l, vec!["-la", "/tmp"]);
        assert_eq!(l.join(" "), "-la /tmp");
        assert_eq!(l.to_raw(), b"-la\0/tmp\0");
        assert!(NulList::from_raw(b"", 4096).is_empty());
        assert!(NulList::from_raw(b"\0", 4096).is_empty());
        // Empty entries in the middle are kept.
        assert_eq!(NulList::from_raw(b"a\0\0b", 4096), vec!["a", "", "b"]);
        assert_eq!(NulList::from_raw(b"\0\0", 4096), vec!["", ""]);
    }

    #[test]
    fn valid_text_in_one_pass_gives_the_entries_of_the_split() {
        // What from_raw gives, entry by entry: the split, each entry made valid text.
        fn split(raw: &[u8]) -> Vec<String> {
            let raw = raw.strip_suffix(b"\0").unwrap_or(raw);
            if raw.is_empty() {
                return Vec::new();
            }
            raw.split(|&b| b == 0)
                .map(|p| String::from_utf8_lossy(p).into_owned())
                .collect()
        }
        for raw in LISTS {
            let l = NulList::from_raw(raw, 4096);
            assert_eq!(l.iter().collect::<Vec<_>>(), split(raw), "{raw:?}");
            assert_eq!(l.len(), split(raw).len(), "{raw:?}");
        }
    }

    #[test]
    fn joining_by_one_byte_gives_the_entries_joined() {
        for raw in LISTS {
            let l = NulList::from_raw(raw, 4096);
            for sep in [" ", ",", "\0", ", ", "\u{e9}"] {
                let by_entry = l.iter().collect::<Vec<_>>().join(sep);
                assert_eq!(l.join(sep), by_entry, "{raw:?} joined by {sep:?}");
            }
        }
    }

    #[test]
    fn caps_the_bytes_not_the_count() {
        let raw: Vec<u8> = b"x\0".repeat(30_000);
        let l = NulList::from_raw(&raw, 4096);
        assert_eq!(l.len(), 2048);
        assert!(l.heap_bytes() <= 4096);
        let cut = NulList::from_raw(b"abcdef\0ghijkl\0", 9);
        assert_eq!(cut, vec!["abcdef", "gh"]);
    }

    #[test]
    fn takes_argv0() {
        let mut l = NulList::from_raw(b"/bin/ls\0-l\0", 4096);
        assert_eq!(l.take_first().as_deref(), Some("/bin/ls"));
        assert_eq!(l, vec!["-l"]);
        assert_eq!(l.take_first().as_deref(), Some("-l"));
        assert!(l.is_empty() && l.take_first().is_none());
        let mut one: NulList = [""].into_iter().collect();
        assert_eq!(one.take_first().as_deref(), Some(""));
        assert!(one.is_empty());
    }
}
