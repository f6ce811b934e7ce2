//! Rewriting a capture in the current format: the metadata blocks it starts with, then its events.
//! Keeping events by their fields needs the state: `inspector::rewrite_matching`.

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
    // Metadata blocks are converted as they come, so memory does not grow with the header's size.
    let mut section_written = false;
    let mut events_started = false;
    while let Some(item) = reader.next()? {
        if !section_written {
            writer.write_section()?;
            section_written = true;
        }
        match item {
            Item::Event { event, flags } => {
                events_started = true;
                if keep(&event) {
                    writer.write_event(&event, flags)?;
                }
            }
            // Metadata after the first event cannot go back into the header; readers rebuild that state
            // from the events themselves.
            _ if events_started => {}
            Item::Section { .. } => {}
            Item::Machine(m) => writer.write_machine(&m)?,
            Item::Processes(p) => writer.write_processes(p)?,
            Item::Fds { tid, fds } => writer.write_fds(tid, fds)?,
            Item::Interfaces(i) => writer.write_interfaces(i)?,
            Item::Users(u) => writer.write_user_records(u)?,
        }
    }
    if !section_written {
        writer.write_header(&CaptureHeader::default())?;
    }
    let n = writer.events_written();
    writer.finish()?;
    Ok(n)
}
