//! Joining captures into one: the replay benchmark's real capture is the shipped traces, each in
//! turn and then again, rewritten by the engine's writer as one section until it holds the number of
//! events asked for. With a single input larger than that, it is the input's first events (a slice).
//!
//! The header holds every input's process and fd lists (later lists of a thread id replace earlier
//! ones, in falco as in sysdig), and the first input's machine, interface and user lists: sysdig
//! refuses lists between events. Timestamps are shifted so that time runs forward across copies,
//! 1 ms after the previous copy's last event. The procinfo records a driver writes when a capture
//! starts are kept in the first copy only: on a running system they come once, not every few
//! thousand events.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use falco_engine::inspector::is_hidden_type;
use falco_engine::scap::{Item, ScapReader, ScapWriter};

/// Gap between the last event of one copy and the first of the next.
const GAP_NS: u64 = 1_000_000;

/// Writes `out` from `inputs` repeated in order until it holds `events` events. Returns the number
/// written.
pub fn join(inputs: &[PathBuf], out: &Path, gzip: bool, events: u64) -> Result<u64> {
    if inputs.is_empty() {
        bail!("nothing to join");
    }
    let mut w = ScapWriter::create(out, gzip)?;
    w.write_section()?;
    for (i, input) in inputs.iter().enumerate() {
        write_lists(&mut w, input, i == 0)
            .with_context(|| format!("reading the lists of {}", input.display()))?;
    }
    let mut j = Joiner {
        w,
        left: events,
        last_ts: 0,
        first_round: true,
        scratch: Vec::new(),
    };
    while j.left > 0 {
        let before = j.left;
        for input in inputs {
            j.copy(input)
                .with_context(|| format!("joining {}", input.display()))?;
            if j.left == 0 {
                break;
            }
        }
        if j.left == before {
            bail!("the inputs hold no event");
        }
        j.first_round = false;
    }
    let n = j.w.events_written();
    j.w.finish()?;
    Ok(n)
}

/// Copies the lists `input` starts with; the machine, interfaces and users only when `all`.
fn write_lists(w: &mut ScapWriter, input: &Path, all: bool) -> Result<()> {
    let mut r = ScapReader::open(input)?;
    while let Some(item) = r.next()? {
        match item {
            Item::Event { .. } => break,
            Item::Section { .. } => {}
            Item::Processes(p) => w.write_processes(p)?,
            Item::Fds { tid, fds } => w.write_fds(tid, fds)?,
            _ if !all => {}
            Item::Machine(m) => w.write_machine(&m)?,
            Item::Interfaces(i) => w.write_interfaces(i)?,
            Item::Users(u) => w.write_user_records(u)?,
        }
    }
    Ok(())
}

struct Joiner {
    w: ScapWriter,
    /// Events still to write.
    left: u64,
    /// Timestamp of the last event written.
    last_ts: u64,
    /// Procinfo records are copied in the first round only.
    first_round: bool,
    scratch: Vec<u8>,
}

impl Joiner {
    /// Appends the events of one copy of `input` (its first ones, when fewer are left).
    fn copy(&mut self, input: &Path) -> Result<()> {
        let mut r = ScapReader::open(input)?;
        // (first timestamp of the input, the timestamp it is moved to)
        let mut shift: Option<(u64, u64)> = None;
        while self.left > 0
            && let Some(item) = r.next()?
        {
            let Item::Event { event, flags } = item else {
                continue;
            };
            if !self.first_round && is_hidden_type(event.event_type) {
                continue;
            }
            let (from, to) = *shift.get_or_insert_with(|| {
                let to = if self.last_ts == 0 {
                    event.ts
                } else {
                    self.last_ts + GAP_NS
                };
                (event.ts, to)
            });
            let ts = event.ts.wrapping_sub(from).wrapping_add(to);
            self.scratch.clear();
            self.scratch.extend_from_slice(event.bytes());
            self.scratch[..8].copy_from_slice(&ts.to_le_bytes());
            let large = falco_engine::schema::is_large_payload(event.event_type);
            self.w
                .write_raw_event(&self.scratch, event.cpu, flags, large)?;
            self.last_ts = self.last_ts.max(ts);
            self.left -= 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use falco_engine::scap::Item;

    fn trace(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../traces")
            .join(name)
    }

    #[test]
    fn joins_copies_until_the_count_with_time_running_forward() {
        let dir = std::env::temp_dir().join(format!("falco-gen-join-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("joined.scap");
        let inputs = [trace("cat_write.scap"), trace("ping_sendto.scap")];
        assert_eq!(join(&inputs, &out, true, 5000).unwrap(), 5000);
        let mut r = ScapReader::open(&out).unwrap();
        let (mut events, mut procinfo, mut lists_after_events) = (0u64, 0u64, 0u64);
        let mut last_ts = 0;
        while let Some(item) = r.next().unwrap() {
            match item {
                Item::Event { event, .. } => {
                    events += 1;
                    procinfo += u64::from(is_hidden_type(event.event_type));
                    // Within a copy events keep their order; between copies time moves on.
                    if event.ts + GAP_NS / 2 < last_ts {
                        panic!("event {events} goes back in time");
                    }
                    last_ts = last_ts.max(event.ts);
                }
                Item::Processes(_) | Item::Fds { .. } if events > 0 => lists_after_events += 1,
                _ => {}
            }
        }
        assert_eq!(events, 5000);
        assert_eq!(lists_after_events, 0, "sysdig refuses lists between events");
        // The start-of-capture procinfo records of the two traces, once.
        let once: u64 = inputs
            .iter()
            .map(|p| {
                let mut r = ScapReader::open(p).unwrap();
                let mut n = 0;
                while let Some(item) = r.next().unwrap() {
                    if let Item::Event { event, .. } = item {
                        n += u64::from(is_hidden_type(event.event_type));
                    }
                }
                n
            })
            .sum();
        assert!(once > 0);
        assert_eq!(procinfo, once);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
