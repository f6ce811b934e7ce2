//! The inspector: reads a capture, keeps the state up to date, and hands out each event with what
//! field extraction needs. It is the replay counterpart of the live capture loop.

use std::path::Path;

use crate::event::Event;
use crate::fields::Ctx;
use crate::scap::{Item, ScapError, ScapReader};
use crate::schema::ev;
use crate::state::{EventCtx, State};

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
        loop {
            if !self.reader.advance()? {
                return Ok(None);
            }
            if self.reader.at_event() {
                break;
            }
            let item = self.reader.current()?;
            self.state.seed(&item);
        }
        let Item::Event { event, flags } = self.reader.current()? else {
            unreachable!("at_event() checked the block type")
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
