//! A decoded view of one event, borrowed from the buffer that holds it (a capture-file block or a ring).
//!
//! Parsing validates the header and the parameter lengths once and records where each parameter starts,
//! so field extraction later is a bounds-free slice lookup. Nothing is allocated per event.

use crate::abi::{EVENT_HEADER_LEN, MAX_EVENT_PARAMS};
use std::sync::atomic::{AtomicU8, Ordering};

use crate::schema::{self, Direction, EventInfo, ParamInfo};

/// Why an event buffer could not be decoded. Offsets are relative to the start of the event.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("event shorter than its header ({0} bytes)")]
    ShortHeader(usize),
    #[error("event length {len} does not match its buffer of {buf} bytes")]
    BadLength { len: u32, buf: usize },
    #[error("event has {0} parameters, more than the maximum 32")]
    TooManyParams(u32),
    #[error("parameter lengths run past the end of the event (parameter {param})")]
    ParamOverflow { param: usize },
}

/// Where each parameter of an event starts, and (after the last) where the last one ends.
pub type ParamOffsets = [u32; MAX_EVENT_PARAMS + 1];

/// A boundary table to decode into.
pub const NO_OFFSETS: ParamOffsets = [0; MAX_EVENT_PARAMS + 1];

/// One event: its header fields, borrowed bytes and parameter count, and the parameter boundaries
/// borrowed from the decoder that recorded them ([`Event::decode_into`]: a capture reader, a live
/// source), so the event is small enough (48 bytes) to pass around by value without a memmove.
/// Decoded without such a table ([`Event::from_bytes`]), a parameter is found by adding the
/// lengths before it. Decoding checks that every parameter ends within the event.
#[derive(Clone, Copy)]
pub struct Event<'a> {
    buf: &'a [u8],
    offs: Option<&'a ParamOffsets>,
    pub ts: u64,
    pub tid: i64,
    pub event_type: u16,
    pub cpu: u16,
    nparams: u8,
    /// Parameter lengths are u32 (large-payload event types), else u16.
    large: bool,
}

impl std::fmt::Debug for Event<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Event")
            .field("ts", &self.ts)
            .field("tid", &self.tid)
            .field("type", &self.name())
            .field("dir", &self.direction())
            .field("cpu", &self.cpu)
            .field("nparams", &self.nparams)
            .finish()
    }
}

#[inline]
fn le_u16(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

#[inline]
fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

#[inline]
fn le_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

/// Length of parameter `i` from the length table after the header.
#[inline]
fn param_len(buf: &[u8], large: bool, i: usize) -> usize {
    if large {
        le_u32(buf, EVENT_HEADER_LEN + i * 4) as usize
    } else {
        le_u16(buf, EVENT_HEADER_LEN + i * 2) as usize
    }
}

/// Walks a length table of `W`-byte entries whose parameters start at `start`: records where each
/// starts in `starts` (when it has room: an empty slice records nothing) and returns where the
/// last ends, or the first parameter that ends past `limit`.
#[inline(always)]
fn param_ends<const W: usize>(
    table: &[u8],
    start: usize,
    limit: usize,
    starts: &mut [u32],
) -> Result<usize, DecodeError> {
    let mut pos = start;
    for (i, len) in table.chunks_exact(W).enumerate() {
        if let Some(s) = starts.get_mut(i) {
            *s = pos as u32;
        }
        pos += match W {
            2 => u16::from_le_bytes([len[0], len[1]]) as usize,
            _ => u32::from_le_bytes([len[0], len[1], len[2], len[3]]) as usize,
        };
        if pos > limit {
            return Err(DecodeError::ParamOverflow { param: i });
        }
    }
    Ok(pos)
}

impl<'a> Event<'a> {
    /// Decodes an event in the current layout (26-byte header with nparams). `buf` must hold exactly
    /// the event (`len` bytes) or more; extra trailing bytes are ignored.
    pub fn from_bytes(buf: &'a [u8], cpu: u16) -> Result<Event<'a>, DecodeError> {
        Self::decode(buf, cpu, None)
    }

    /// Like [`Event::from_bytes`], recording the parameter boundaries in `offs` (the decoder's,
    /// reused for every event), which the event then reads them from.
    #[inline]
    pub fn decode_into(
        buf: &'a [u8],
        cpu: u16,
        offs: &'a mut ParamOffsets,
    ) -> Result<Event<'a>, DecodeError> {
        Self::decode(buf, cpu, Some(offs))
    }

    /// An event [`Event::decode_into`] decoded before (the capture reader's read-ahead thread did),
    /// its boundaries kept in `offs`: only the header is read again. Given bytes that did not
    /// decode, this panics or gives wrong parameters; it never reads outside `buf`.
    #[inline]
    pub(crate) fn predecoded(buf: &'a [u8], cpu: u16, offs: &'a ParamOffsets) -> Event<'a> {
        let buf = &buf[..le_u32(buf, 16) as usize];
        let event_type = le_u16(buf, 20);
        Event {
            buf,
            offs: Some(offs),
            ts: le_u64(buf, 0),
            tid: le_u64(buf, 8) as i64,
            event_type,
            cpu,
            nparams: buf[22],
            large: schema::is_large_payload(event_type),
        }
    }

    #[inline]
    fn decode(
        buf: &'a [u8],
        cpu: u16,
        mut offs: Option<&'a mut ParamOffsets>,
    ) -> Result<Event<'a>, DecodeError> {
        if buf.len() < EVENT_HEADER_LEN {
            return Err(DecodeError::ShortHeader(buf.len()));
        }
        let len = le_u32(buf, 16);
        if (len as usize) < EVENT_HEADER_LEN || len as usize > buf.len() {
            return Err(DecodeError::BadLength {
                len,
                buf: buf.len(),
            });
        }
        let buf = &buf[..len as usize];
        let event_type = le_u16(buf, 20);
        let nparams = le_u32(buf, 22);
        if nparams as usize > MAX_EVENT_PARAMS {
            return Err(DecodeError::TooManyParams(nparams));
        }
        let large = schema::is_large_payload(event_type);
        let lsize = if large { 4 } else { 2 };
        let mut pos = EVENT_HEADER_LEN + nparams as usize * lsize;
        if pos > buf.len() {
            return Err(DecodeError::ParamOverflow { param: 0 });
        }
        let table = &buf[EVENT_HEADER_LEN..pos];
        pos = match (offs.as_deref_mut(), large) {
            (Some(o), false) => param_ends::<2>(table, pos, buf.len(), &mut o[..])?,
            (Some(o), true) => param_ends::<4>(table, pos, buf.len(), &mut o[..])?,
            (None, false) => param_ends::<2>(table, pos, buf.len(), &mut [])?,
            (None, true) => param_ends::<4>(table, pos, buf.len(), &mut [])?,
        };
        if let Some(o) = offs.as_deref_mut() {
            o[nparams as usize] = pos as u32;
        }
        Ok(Event {
            buf,
            offs: offs.map(|o| &*o),
            ts: le_u64(buf, 0),
            tid: le_u64(buf, 8) as i64,
            event_type,
            cpu,
            nparams: nparams as u8,
            large,
        })
    }

    /// The whole event, header included.
    #[inline]
    pub fn bytes(&self) -> &'a [u8] {
        self.buf
    }

    #[inline]
    pub fn nparams(&self) -> usize {
        self.nparams as usize
    }

    /// Raw bytes of parameter `i`, if present.
    #[inline(always)]
    pub fn param(&self, i: usize) -> Option<&'a [u8]> {
        if i >= self.nparams as usize {
            return None;
        }
        match self.offs {
            Some(o) => self.buf.get(o[i] as usize..o[i + 1] as usize),
            None => self.param_by_lengths(i),
        }
    }

    /// [`Event::param`] for an event decoded without a boundary table (a thread's stored enter
    /// event): out of line, so the table's path inlines into its callers as a few loads.
    #[inline(never)]
    fn param_by_lengths(&self, i: usize) -> Option<&'a [u8]> {
        let lsize = if self.large { 4 } else { 2 };
        let mut at = EVENT_HEADER_LEN + self.nparams as usize * lsize;
        for j in 0..i {
            at += param_len(self.buf, self.large, j);
        }
        let len = param_len(self.buf, self.large, i);
        // from_bytes checked that every parameter ends within the event.
        self.buf.get(at..at + len)
    }

    #[inline]
    pub fn info(&self) -> Option<&'static EventInfo> {
        schema::info(self.event_type)
    }

    /// The schema entry of parameter `i`, when the schema knows it. Parameters beyond the schema
    /// (a newer driver appended them) have none and are skipped by rendering.
    #[inline]
    pub fn param_info(&self, i: usize) -> Option<&'static ParamInfo> {
        self.info().and_then(|e| e.params.get(i))
    }

    /// Index of the parameter named `name`, if the event has it.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        let info = self.info()?;
        info.params
            .iter()
            .take(self.nparams as usize)
            .position(|p| p.name == name)
    }

    /// Raw bytes of the parameter named `name`.
    #[inline]
    pub fn param_by_name(&self, name: &str) -> Option<&'a [u8]> {
        self.param_index(name).and_then(|i| self.param(i))
    }

    #[inline]
    pub fn direction(&self) -> Direction {
        Direction::of(self.event_type)
    }

    /// The schema name of the event type ("open", "execve", "syscall"...).
    pub fn name(&self) -> &'static str {
        self.info().map_or("<unknown>", |i| i.name)
    }

    /// Integer parameters, read at their natural width (little-endian), sign-extended as their
    /// width suggests for 1/2/4/8 bytes.
    /// (Inlined: with the boundary table and the width match, a read is a few loads.)
    #[inline(always)]
    pub fn param_u64(&self, i: usize) -> Option<u64> {
        let b = self.param(i)?;
        Some(match *b {
            [x] => x as u64,
            [a, b] => u16::from_le_bytes([a, b]) as u64,
            [a, b, c, d] => u32::from_le_bytes([a, b, c, d]) as u64,
            [a, b, c, d, e, f, g, h] => u64::from_le_bytes([a, b, c, d, e, f, g, h]),
            _ => return None,
        })
    }

    /// Signed integer parameter (PT_INT*, PT_ERRNO, PT_FD, PT_PID).
    #[inline(always)]
    pub fn param_i64(&self, i: usize) -> Option<i64> {
        let b = self.param(i)?;
        Some(match *b {
            [x] => x as i8 as i64,
            [a, b] => i16::from_le_bytes([a, b]) as i64,
            [a, b, c, d] => i32::from_le_bytes([a, b, c, d]) as i64,
            [a, b, c, d, e, f, g, h] => i64::from_le_bytes([a, b, c, d, e, f, g, h]),
            _ => return None,
        })
    }
}

/// Converts an event in the pre-2019 layout (22-byte header without nparams, EV block V1) into the
/// current layout in `out`. The parameter count is inferred as libscap does: starting from the
/// schema's count, the largest n whose lengths add up exactly to the event length.
pub fn convert_v1(v1: &[u8], out: &mut Vec<u8>) -> Result<(), DecodeError> {
    use crate::abi::EVENT_HEADER_V1_LEN;
    if v1.len() < EVENT_HEADER_V1_LEN {
        return Err(DecodeError::ShortHeader(v1.len()));
    }
    let len = le_u32(v1, 16) as usize;
    if len < EVENT_HEADER_V1_LEN || len > v1.len() {
        return Err(DecodeError::BadLength {
            len: len as u32,
            buf: v1.len(),
        });
    }
    let v1 = &v1[..len];
    let event_type = le_u16(v1, 20);
    let max = schema::info(event_type).map_or(MAX_EVENT_PARAMS, |i| i.params.len());
    let large = schema::is_large_payload(event_type);
    let lsize = if large { 4 } else { 2 };
    let body = &v1[EVENT_HEADER_V1_LEN..];
    let mut found = None;
    for n in (0..=max).rev() {
        let mut end = n * lsize;
        if end > body.len() {
            continue;
        }
        for i in 0..n {
            end += if large {
                le_u32(body, i * 4) as usize
            } else {
                le_u16(body, i * 2) as usize
            };
        }
        if end == body.len() {
            found = Some(n);
            break;
        }
        if end < body.len() {
            // Lengths add up to less than the event: nothing smaller will match either.
            break;
        }
    }
    let n = found.ok_or(DecodeError::ParamOverflow { param: 0 })?;
    out.clear();
    out.extend_from_slice(&v1[..16]);
    out.extend_from_slice(&((len + 4) as u32).to_le_bytes());
    out.extend_from_slice(&event_type.to_le_bytes());
    out.extend_from_slice(&(n as u32).to_le_bytes());
    out.extend_from_slice(body);
    Ok(())
}

/// Where one parameter name sits in each event type's layout, found on first use per type: the
/// state parser and the fields name parameters (`"fd"`, `"flags"`) on every event, and a scan of
/// the layout's names per lookup cost more than the rest of parsing an open. One per call site,
/// through [`param_index!`](crate::param_index).
pub struct ParamSlot {
    /// Per event type: 0 not looked up yet, [`ParamSlot::ABSENT`] no such parameter, else the
    /// index plus one.
    by_type: [AtomicU8; schema::EVENT_COUNT],
}

impl Default for ParamSlot {
    fn default() -> ParamSlot {
        ParamSlot::new()
    }
}

impl ParamSlot {
    const ABSENT: u8 = u8::MAX;

    pub const fn new() -> ParamSlot {
        ParamSlot {
            by_type: [const { AtomicU8::new(0) }; schema::EVENT_COUNT],
        }
    }

    /// As [`Event::param_index`]`(name)`; `name` must be the same on every call.
    #[inline]
    pub fn index(&self, e: &Event<'_>, name: &str) -> Option<usize> {
        let Some(cell) = self.by_type.get(e.event_type as usize) else {
            return e.param_index(name);
        };
        let mut v = cell.load(Ordering::Relaxed);
        if v == 0 {
            // A race only stores the same value twice.
            v = e
                .info()
                .and_then(|info| info.params.iter().position(|p| p.name == name))
                .filter(|i| *i < Self::ABSENT as usize - 1)
                .map_or(Self::ABSENT, |i| i as u8 + 1);
            cell.store(v, Ordering::Relaxed);
        }
        // An event recorded with fewer parameters than today's layout lacks the later ones.
        (v != Self::ABSENT)
            .then(|| v as usize - 1)
            .filter(|i| *i < e.nparams())
    }
}

/// `e.param_index(name)` for a literal `name`, through a [`ParamSlot`] of this call site.
#[macro_export]
macro_rules! param_index {
    ($e:expr, $name:literal) => {{
        static SLOT: $crate::event::ParamSlot = $crate::event::ParamSlot::new();
        SLOT.index($e, $name)
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(event_type: u16, params: &[&[u8]]) -> Vec<u8> {
        let mut v = Vec::new();
        let len =
            EVENT_HEADER_LEN + params.len() * 2 + params.iter().map(|p| p.len()).sum::<usize>();
        v.extend_from_slice(&7u64.to_le_bytes());
        v.extend_from_slice(&42u64.to_le_bytes());
        v.extend_from_slice(&(len as u32).to_le_bytes());
        v.extend_from_slice(&event_type.to_le_bytes());
        v.extend_from_slice(&(params.len() as u32).to_le_bytes());
        for p in params {
            v.extend_from_slice(&(p.len() as u16).to_le_bytes());
        }
        for p in params {
            v.extend_from_slice(p);
        }
        v
    }

    #[test]
    fn parses_params() {
        let b = build(
            3,
            &[&5i64.to_le_bytes(), b"/etc/passwd\0", &1u32.to_le_bytes()],
        );
        let mut offs = [0; MAX_EVENT_PARAMS + 1];
        let with_table = Event::decode_into(&b, 1, &mut offs).unwrap();
        let e = Event::from_bytes(&b, 1).unwrap();
        for i in 0..4 {
            assert_eq!(e.param(i), with_table.param(i));
        }
        assert_eq!(e.ts, 7);
        assert_eq!(e.tid, 42);
        assert_eq!(e.nparams(), 3);
        assert_eq!(e.param_i64(0), Some(5));
        assert_eq!(e.param(1), Some(&b"/etc/passwd\0"[..]));
        assert_eq!(e.param_u64(2), Some(1));
        assert_eq!(e.param(3), None);
    }

    #[test]
    fn small_enough_to_pass_by_value() {
        // Events are handed from the reader to the state and the rules by value.
        assert!(std::mem::size_of::<Event<'_>>() <= 48);
    }

    #[test]
    fn large_payload_params() {
        let mut v = Vec::new();
        let params: [&[u8]; 2] = [&3i64.to_le_bytes(), b"hello"];
        let len = EVENT_HEADER_LEN + 2 * 4 + 8 + 5;
        v.extend_from_slice(&7u64.to_le_bytes());
        v.extend_from_slice(&42u64.to_le_bytes());
        v.extend_from_slice(&(len as u32).to_le_bytes());
        let t = (0..u16::MAX)
            .find(|t| schema::is_large_payload(*t))
            .expect("some large-payload event type");
        v.extend_from_slice(&t.to_le_bytes());
        v.extend_from_slice(&2u32.to_le_bytes());
        for p in params {
            v.extend_from_slice(&(p.len() as u32).to_le_bytes());
        }
        for p in params {
            v.extend_from_slice(p);
        }
        let e = Event::from_bytes(&v, 0).unwrap();
        assert_eq!(e.param_i64(0), Some(3));
        assert_eq!(e.param(1), Some(&b"hello"[..]));
        assert_eq!(e.param(2), None);
    }

    #[test]
    fn rejects_overflowing_lengths() {
        let mut b = build(3, &[b"abc"]);
        b[26] = 200;
        assert!(matches!(
            Event::from_bytes(&b, 0),
            Err(DecodeError::ParamOverflow { .. })
        ));
        assert!(Event::from_bytes(&b[..10], 0).is_err());
    }

    #[test]
    fn converts_v1_layout() {
        let v2 = build(3, &[&5i64.to_le_bytes(), b"x\0"]);
        // Drop nparams to get the V1 layout.
        let mut v1 = Vec::new();
        v1.extend_from_slice(&v2[..16]);
        v1.extend_from_slice(&((v2.len() - 4) as u32).to_le_bytes());
        v1.extend_from_slice(&v2[20..22]);
        v1.extend_from_slice(&v2[26..]);
        let mut out = Vec::new();
        convert_v1(&v1, &mut out).unwrap();
        assert_eq!(out, v2);
    }
}
