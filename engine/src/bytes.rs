//! Scans of short byte strings, eight bytes at a time: on the 20 to 60 bytes of a typical path a
//! loop per byte, or a call to memchr per match, costs several times more, and every open asks.

const LOW_SEVEN: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that equals `c`, and of no other (exact, unlike the usual
/// zero-byte test, which may also flag a byte above a match).
#[inline(always)]
fn bytes_equal(w: u64, c: u8) -> u64 {
    let x = w ^ (u64::from(c) * 0x0101_0101_0101_0101);
    !(((x & LOW_SEVEN) + LOW_SEVEN) | x) & HIGH_BITS
}

/// Whether some `/` in `b` is directly followed by `a` or `c`.
#[inline]
pub fn slash_followed_by(b: &[u8], a: u8, c: u8) -> bool {
    let mut chunks = b.chunks_exact(8);
    // Whether the previous word ended with a slash.
    let mut carry = 0u64;
    let mut test = |w: u64| {
        let slashes = bytes_equal(w, b'/');
        let next = bytes_equal(w, a) | bytes_equal(w, c);
        // A slash's high bit shifted up one byte lands on the next byte's; the last byte's
        // carries into the next word's first.
        let hit = ((slashes << 8) | carry) & next;
        carry = slashes >> 56;
        hit != 0
    };
    for chunk in &mut chunks {
        if test(u64::from_le_bytes(chunk.try_into().expect("8 bytes"))) {
            return true;
        }
    }
    let rest = chunks.remainder();
    if rest.is_empty() {
        return false;
    }
    // Zero bytes are neither a slash nor, for the callers here, a byte that follows one.
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    test(u64::from_le_bytes(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_bytes(b: &[u8], a: u8, c: u8) -> bool {
        b.windows(2)
            .any(|w| w[0] == b'/' && (w[1] == a || w[1] == c))
    }

    #[test]
    fn slash_followed_by_gives_what_a_scan_per_byte_gives() {
        let parts: [&[u8]; 8] = [
            b"/",
            b".",
            b"..",
            b"a",
            b"//",
            b"bcdefgh",
            b"\x80/",
            b"\xff\xaf",
        ];
        // Every sequence of up to four parts: slashes and dots at every offset of a word.
        let mut cases: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..4 {
            let longer: Vec<Vec<u8>> = cases
                .iter()
                .flat_map(|c| parts.iter().map(move |p| [c.as_slice(), p].concat()))
                .collect();
            cases.extend(longer);
        }
        for case in &cases {
            for pad in 0..9 {
                let b = [vec![b'x'; pad], case.clone()].concat();
                for (a, c) in [(b'/', b'.'), (b'/', b'/'), (b'.', b'.')] {
                    assert_eq!(slash_followed_by(&b, a, c), by_bytes(&b, a, c), "{b:?}");
                }
            }
        }
    }
}
