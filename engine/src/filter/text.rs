//! Byte-string tests of the condition language: equality and prefixes of short strings in place,
//! case-insensitive search, substring finders, shell globs and path prefixes.

/// A shell-style pattern (`*`, `?`, `[...]`, backslash escapes), as fnmatch without flags.
#[derive(Debug)]
pub struct Glob {
    pat: Box<[u8]>,
    icase: bool,
    /// How many bytes the pattern starts with that match only themselves: compared first, they
    /// reject most values at once (`/home/*/.ssh/*` on `/usr/lib/...`).
    literal: usize,
}

impl Glob {
    pub fn new(p: &str, icase: bool) -> Glob {
        let pat = if icase {
            p.to_ascii_lowercase()
        } else {
            p.to_string()
        };
        let literal = pat
            .bytes()
            .position(|c| matches!(c, b'*' | b'?' | b'[' | b'\\'))
            .unwrap_or(pat.len());
        Glob {
            pat: pat.into_bytes().into(),
            icase,
            literal,
        }
    }

    /// Whether the pattern starts with a literal byte (most values fail it at once).
    pub fn starts_literal(&self) -> bool {
        self.literal > 0
    }

    pub fn matches(&self, s: &[u8]) -> bool {
        let (head, rest) = self.pat.split_at(self.literal);
        let Some(start) = s.get(..head.len()) else {
            return false;
        };
        let same = if self.icase {
            start.eq_ignore_ascii_case(head)
        } else {
            same_bytes(start, head)
        };
        same && glob_match(rest, &s[head.len()..], self.icase)
    }
}

/// Iterative wildcard matching with single backtracking point for `*`.
fn glob_match(p: &[u8], s: &[u8], icase: bool) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    let norm = |c: u8| if icase { c.to_ascii_lowercase() } else { c };
    while si < s.len() {
        if pi < p.len() {
            match p[pi] {
                b'*' => {
                    star = Some((pi, si));
                    pi += 1;
                    continue;
                }
                b'?' => {
                    pi += 1;
                    si += 1;
                    continue;
                }
                b'[' => {
                    if let Some((ok, next)) = class_match(p, pi, norm(s[si]), icase) {
                        if ok {
                            pi = next;
                            si += 1;
                            continue;
                        }
                    } else if s[si] == b'[' {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
                b'\\' if pi + 1 < p.len() => {
                    if p[pi + 1] == norm(s[si]) {
                        pi += 2;
                        si += 1;
                        continue;
                    }
                }
                c => {
                    if c == norm(s[si]) {
                        pi += 1;
                        si += 1;
                        continue;
                    }
                }
            }
        }
        match star {
            Some((sp, ss)) => {
                pi = sp + 1;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            None => return false,
        }
    }
    p[pi..].iter().all(|c| *c == b'*')
}

/// Matches `c` against the bracket expression at `p[start]`; returns (matched, index after `]`),
/// or None when the bracket is not closed (then it is a literal `[`).
fn class_match(p: &[u8], start: usize, c: u8, icase: bool) -> Option<(bool, usize)> {
    let mut i = start + 1;
    let negate = matches!(p.get(i), Some(b'!') | Some(b'^'));
    if negate {
        i += 1;
    }
    let mut matched = false;
    let mut first = true;
    while i < p.len() {
        if p[i] == b']' && !first {
            return Some((matched != negate, i + 1));
        }
        first = false;
        let mut lo = p[i];
        if lo == b'\\' && i + 1 < p.len() {
            i += 1;
            lo = p[i];
        }
        let (lo, hi, next) =
            if p.get(i + 1) == Some(&b'-') && p.get(i + 2).is_some_and(|h| *h != b']') {
                (lo, p[i + 2], i + 3)
            } else {
                (lo, lo, i + 1)
            };
        let (lo, hi) = if icase {
            (lo.to_ascii_lowercase(), hi.to_ascii_lowercase())
        } else {
            (lo, hi)
        };
        if lo <= c && c <= hi {
            matched = true;
        }
        i = next;
    }
    None
}

/// A substring searcher built once per `contains` operand.
pub struct Finder(memchr::memmem::Finder<'static>);

impl Finder {
    pub fn new(needle: &[u8]) -> Finder {
        Finder(memchr::memmem::Finder::new(needle).into_owned())
    }

    /// True when the needle occurs in `hay`.
    #[inline]
    pub fn is_in(&self, hay: &[u8]) -> bool {
        self.0.find(hay).is_some()
    }
}

impl std::fmt::Debug for Finder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Finder({:?})", String::from_utf8_lossy(self.0.needle()))
    }
}

/// `a == b`. Literals and the values tested against them are mostly short: up to 16 bytes they
/// are compared by two overlapping words (or bytes) in place, not by a call to memcmp, which
/// cost about 20 instructions a test.
#[inline]
pub(super) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let word = |s: &[u8], at: usize| u64::from_le_bytes(s[at..at + 8].try_into().expect("8"));
    let half = |s: &[u8], at: usize| u32::from_le_bytes(s[at..at + 4].try_into().expect("4"));
    match n {
        0..4 => a.iter().zip(b).all(|(x, y)| x == y),
        4..8 => half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4),
        8..=16 => word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8),
        _ => a == b,
    }
}

#[inline]
pub(super) fn starts_with(h: &[u8], n: &[u8]) -> bool {
    h.len() >= n.len() && same_bytes(&h[..n.len()], n)
}

#[inline]
pub(super) fn ends_with(h: &[u8], n: &[u8]) -> bool {
    h.len() >= n.len() && same_bytes(&h[h.len() - n.len()..], n)
}

#[inline]
pub(super) fn contains_bytes(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

#[inline]
pub(super) fn icontains_bytes(hay: &[u8], needle_lower: &[u8]) -> bool {
    let Some((&first, rest)) = needle_lower.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle_lower.len()) else {
        return false;
    };
    // Candidates are where the first byte is, in either case (a SIMD scan), not every position.
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start]).any(|at| {
        hay[at + 1..at + needle_lower.len()]
            .iter()
            .zip(rest)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

/// Path-prefix match: `/etc` matches `/etc` and `/etc/passwd`, not `/etcd`.
#[inline]
pub(super) fn pmatch(path: &str, prefix: &str) -> bool {
    match path.strip_prefix(prefix) {
        Some(rest) => rest.is_empty() || rest.starts_with('/') || prefix.ends_with('/'),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_comparisons_agree_with_the_standard_library_at_every_length() {
        for n in 0..40usize {
            let a: Vec<u8> = (0..n as u8).map(|i| b'a' + i % 26).collect();
            assert!(same_bytes(&a, &a.clone()), "{n}");
            // A difference at each position, and a length that differs.
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!same_bytes(&a, &b), "{n} {at}");
            }
            assert!(!same_bytes(&a, &a[..n.saturating_sub(1)]) || n == 0, "{n}");
            for k in 0..=n {
                assert_eq!(starts_with(&a, &a[..k]), a.starts_with(&a[..k]));
                assert_eq!(ends_with(&a, &a[k..]), a.ends_with(&a[k..]));
                assert_eq!(starts_with(&a[..k], &a), a[..k].starts_with(&a));
            }
        }
    }

    #[test]
    fn icontains_finds_a_needle_in_either_case_wherever_it_is() {
        let naive = |h: &[u8], n: &[u8]| {
            n.is_empty()
                || h.windows(n.len())
                    .any(|w| w.iter().zip(n).all(|(a, b)| a.to_ascii_lowercase() == *b))
        };
        let hay = b"/usr/Bin/Python3 -c IMPORT socket;S=socket.SOCKET()";
        for n in [
            &b""[..],
            b"/",
            b"bin",
            b"python3 -c",
            b"socket()",
            b"s=s",
            b"x",
            b"3 -c i",
        ] {
            let lower = n.to_ascii_lowercase();
            for end in 0..=hay.len() {
                assert_eq!(
                    icontains_bytes(&hay[..end], &lower),
                    naive(&hay[..end], &lower),
                    "{n:?} in {:?}",
                    &hay[..end]
                );
            }
        }
    }

    #[test]
    fn glob_semantics() {
        let g = |p: &str, s: &str| Glob::new(p, false).matches(s.as_bytes());
        assert!(g("ca*", "cat"));
        assert!(g("*", ""));
        assert!(g("c?t", "cat"));
        assert!(g("c[a-z]t", "cat"));
        assert!(!g("c[!a]t", "cat"));
        assert!(g("c\\at", "cat"));
        assert!(g("/etc/*", "/etc/a/b"));
        assert!(g("*.so*", "libc.so.6"));
        assert!(!g("a*b", "acbd"));
        assert!(g("[", "["));
        assert!(Glob::new("CA*", true).matches(b"cat"));
    }

    #[test]
    fn comparing_a_literal_start_first_gives_what_matching_the_whole_pattern_gives() {
        let patterns = [
            "abc",
            "/home/*/.ssh/*",
            "/proc/*/environ",
            "a\\*",
            "ab[c]",
            "AB*",
            "*",
            "",
            "a?c",
        ];
        let values = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "a*",
            "/home/u/.ssh/id",
            "/home/.ssh/x",
            "/hom",
            "/usr/lib/x",
            "/proc/1/environ",
            "/proc/environ",
            "abd",
            "ABC",
            "aXc",
        ];
        for p in patterns {
            for icase in [false, true] {
                let g = Glob::new(p, icase);
                for v in values {
                    let whole = glob_match(&g.pat, v.as_bytes(), icase);
                    assert_eq!(g.matches(v.as_bytes()), whole, "{p:?} {v:?} icase {icase}");
                }
            }
        }
        assert!(Glob::new("/HOME/*", true).matches(b"/home/x"));
        assert!(!Glob::new("/home/*", false).matches(b"/hom"));
    }

    #[test]
    fn path_prefixes() {
        assert!(pmatch("/etc/passwd", "/etc"));
        assert!(pmatch("/etc", "/etc"));
        assert!(!pmatch("/etcd/x", "/etc"));
        assert!(pmatch("/var/log/x", "/var/log/"));
    }
}
