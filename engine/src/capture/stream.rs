//! The live loop's step: the next event of a driver, in timestamp order, decoded in place in its
//! ring. Waiting, decoding and counting what does not decode are written once, here, for any
//! program that reads a driver (the daemon's live source is one).

use std::time::Duration;

use super::{Capture, CaptureError};
use crate::event::{Event, ParamOffsets};

/// A driver read one event at a time.
pub struct LiveStream {
    cap: Box<dyn Capture>,
    /// The parameter boundaries of the event handed out last.
    offs: ParamOffsets,
    /// Records that were not events (a ring resynchronized, or a driver/engine schema
    /// disagreement): Falco counts these as bug drops.
    undecodable: u64,
}

/// What [`LiveStream::next`] found.
pub enum LiveStep<'a> {
    /// An event, borrowed from the ring until the next call.
    Event(Event<'a>),
    /// No event within the wait.
    Idle,
    /// A record that was not an event, skipped and counted; why, for the log.
    Skipped(String),
}

impl LiveStream {
    pub fn new(cap: Box<dyn Capture>) -> LiveStream {
        LiveStream {
            cap,
            offs: [0; crate::abi::MAX_EVENT_PARAMS + 1],
            undecodable: 0,
        }
    }

    /// The driver, to configure it or read its counters.
    pub fn capture(&self) -> &dyn Capture {
        self.cap.as_ref()
    }

    pub fn capture_mut(&mut self) -> &mut dyn Capture {
        self.cap.as_mut()
    }

    /// Records skipped because they were not events.
    pub fn undecodable(&self) -> u64 {
        self.undecodable
    }

    /// Waits at most `wait` for an event and takes it. One record per call: the event borrows the
    /// ring until the next call, so a skipped record is reported rather than retried.
    pub fn next(&mut self, wait: Duration) -> Result<LiveStep<'_>, CaptureError> {
        if !self.cap.wait(wait) {
            return Ok(LiveStep::Idle);
        }
        match self.cap.next_event() {
            Ok(Some((cpu, bytes))) => match Event::decode_into(bytes, cpu, &mut self.offs) {
                Ok(event) => Ok(LiveStep::Event(event)),
                Err(e) => {
                    self.undecodable += 1;
                    Ok(LiveStep::Skipped(format!(
                        "skipped an undecodable event from CPU {cpu}: {e}"
                    )))
                }
            },
            Ok(None) => Ok(LiveStep::Idle),
            // The reader resynchronized past bytes that were not an event; go on.
            Err(e) if e.is_corrupt() => {
                self.undecodable += 1;
                Ok(LiveStep::Skipped(e.to_string()))
            }
            Err(e) => Err(e),
        }
    }
}
