//! The replay loop: reads a capture, keeps the state up to date, and hands out each event with what
//! field extraction needs. [`next_event`] is the one step every replay takes (the daemon's replay
//! source, `falco inspect`, rules tests); [`Inspector`] adds the event numbering and timestamps
//! sysdig gives, and [`rewrite_matching`] writes the events a filter keeps.

use std::path::Path;

use crate::event::Event;
use crate::fields::Ctx;
use crate::scap::writer::{CaptureHeader, ScapWriter};
use crate::scap::{ScapError, ScapReader};
use crate::schema::ev;
use crate::state::{EventCtx, State};

/// The next event of `reader` and its EVF flags (0 for EV blocks), with the metadata blocks met
/// on the way (process, fd, user and container lists) absorbed into `state`. The event is
/// borrowed from the reader's buffer; `state` has not processed it yet.
#[inline]
pub fn next_event<'r>(
    reader: &'r mut ScapReader,
    state: &mut State,
) -> Result<Option<(Event<'r>, u32)>, ScapError> {
    loop {
        if !reader.advance()? {
            return Ok(None);
        }
        if reader.at_event() {
            break;
        }
        state.seed(&reader.current()?);
    }
    reader.current_event().map(Some)
}

/// One processed event.
pub struct Processed<'a> {
    pub event: Event<'a>,
    /// EVF block flags (0 for EV blocks).
    pub flags: u32,
    pub ectx: EventCtx,
    /// sysdig's evt.num: counts every event, hidden ones included.
    pub num: u64,
    pub state: &'a State,
    pub first_ts: u64,
    pub prev_ts: u64,
}

impl<'a> Processed<'a> {
    /// The field-extraction context of this event.
    pub fn ctx(&'a self) -> Ctx<'a> {
        let mut c = Ctx::new(&self.event, self.state, self.ectx, self.num);
        c.first_ts = self.first_ts;
        c.prev_ts = self.prev_ts;
        c
    }

    /// Internal bookkeeping events sysdig does not show (per-thread procinfo records).
    pub fn is_hidden(&self) -> bool {
        is_hidden_type(self.event.event_type)
    }
}

/// Bookkeeping events sysdig counts but does not print, and rules never see: per-thread procinfo
/// records. Container events are shown and matched (Falco's "Launch Privileged Container" fires on
/// them); sysdig 0.29 hides them too.
pub fn is_hidden_type(t: u16) -> bool {
    matches!(t, ev::PROCINFO_E | ev::PROCINFO_X)
}

/// Replays a capture through the state engine.
pub struct Inspector {
    reader: ScapReader,
    pub state: State,
    num: u64,
    first_ts: Option<u64>,
    prev_ts: u64,
}

impl Inspector {
    pub fn open(path: impl AsRef<Path>) -> Result<Inspector, ScapError> {
        Ok(Self::new(ScapReader::open(path)?))
    }

    pub fn new(reader: ScapReader) -> Inspector {
        Inspector {
            reader,
            state: State::default(),
            num: 0,
            first_ts: None,
            prev_ts: 0,
        }
    }

    pub fn reader(&mut self) -> &mut ScapReader {
        &mut self.reader
    }

    /// The next event, with metadata blocks absorbed into the state on the way.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<Processed<'_>>, ScapError> {
        let Some((event, flags)) = next_event(&mut self.reader, &mut self.state)? else {
            return Ok(None);
        };
        self.num += 1;
        // As sysdig: the stream starts at its first event with a timestamp (container descriptions
        // written at the start of a capture have none).
        if self.first_ts.is_none() && event.ts != 0 {
            self.first_ts = Some(event.ts);
        }
        let first_ts = self.first_ts.unwrap_or(event.ts);
        let prev_ts = std::mem::replace(&mut self.prev_ts, event.ts);
        let ectx = self.state.process(&event);
        Ok(Some(Processed {
            event,
            flags,
            ectx,
            num: self.num,
            state: &self.state,
            first_ts,
            prev_ts,
        }))
    }
}

/// Reads `input` and writes the events `keep` accepts to `output` in the current format, with the
/// state tracked so `keep` can look at any field (a filter). The header is the state at the first
/// event. Returns the number of events written.
pub fn rewrite_matching(
    input: &Path,
    output: &Path,
    gzip: bool,
    mut keep: impl FnMut(&Ctx<'_>) -> bool,
) -> Result<u64, ScapError> {
    let mut insp = Inspector::open(input)?;
    let mut writer = ScapWriter::create(output, gzip)?;
    let mut header_written = false;
    while let Some(p) = insp.next()? {
        if !header_written {
            writer.write_header(&CaptureHeader::from_state(p.state))?;
            header_written = true;
        }
        if keep(&p.ctx()) {
            writer.write_event(&p.event, p.flags)?;
        }
    }
    if !header_written {
        writer.write_header(&CaptureHeader::from_state(&insp.state))?;
    }
    let n = writer.events_written();
    writer.finish()?;
    Ok(n)
}
