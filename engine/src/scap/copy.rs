//! Rewriting a capture in the current format: the metadata blocks it starts with, then its events.

use std::path::Path;

use super::ScapError;
use super::reader::{Item, ScapReader};
use super::writer::{CaptureHeader, ScapWriter};

/// Reads `input` and writes it to `output` in the current format (section 1.2, EV_V2 blocks), keeping
/// every event (bookkeeping ones too, so event numbers stay the same) for which `keep` returns true.
/// Returns the number of events written.
pub fn rewrite(
    input: &Path,
    output: &Path,
    gzip: bool,
    mut keep: impl FnMut(&crate::event::Event<'_>) -> bool,
) -> Result<u64, ScapError> {
    let mut reader = ScapReader::open(input)?;
    let mut writer = ScapWriter::create(output, gzip)?;
    let mut header = CaptureHeader::default();
    let mut header_written = false;
    while let Some(item) = reader.next()? {
        match item {
            Item::Event { event, flags } => {
                if !header_written {
                    writer.write_header(&header)?;
                    header_written = true;
                }
                if keep(&event) {
                    writer.write_event(&event, flags)?;
                }
            }
            // Metadata after the first event cannot go back into the header; readers rebuild that state
            // from the events themselves.
            _ if header_written => {}
            Item::Section { .. } => {}
            Item::Machine(m) => header.machine = m,
            Item::Processes(p) => header.processes.extend(p),
            Item::Fds { tid, fds } => header.fds.push((tid, fds)),
            Item::Interfaces(i) => header.interfaces.extend(i),
            Item::Users { users, groups } => {
                header.users.extend(users);
                header.groups.extend(groups);
            }
        }
    }
    if !header_written {
        writer.write_header(&header)?;
    }
    let n = writer.events_written();
    writer.finish()?;
    Ok(n)
}

/// Like [`rewrite`], but tracks the state so `keep` can look at fields (a filter).
pub fn rewrite_with_state(
    input: &Path,
    output: &Path,
    gzip: bool,
    state: &mut crate::state::State,
    mut keep: impl FnMut(&crate::event::Event<'_>, &crate::state::State, crate::state::EventCtx) -> bool,
) -> Result<u64, ScapError> {
    let mut reader = ScapReader::open(input)?;
    let mut writer = ScapWriter::create(output, gzip)?;
    let mut header_written = false;
    while reader.advance()? {
        if !reader.at_event() {
            let item = reader.current()?;
            if !header_written {
                state.seed(&item);
            }
            continue;
        }
        if !header_written {
            writer.write_header(&CaptureHeader::from_state(state))?;
            header_written = true;
        }
        let Item::Event { event, flags } = reader.current()? else {
            unreachable!("at_event() checked the block type")
        };
        let ectx = state.process(&event);
        if keep(&event, state, ectx) {
            writer.write_event(&event, flags)?;
        }
    }
    if !header_written {
        writer.write_header(&CaptureHeader::from_state(state))?;
    }
    let n = writer.events_written();
    writer.finish()?;
    Ok(n)
}
