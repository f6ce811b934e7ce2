//! Audit events from files: a file or a directory read once (replay and tests), or a log file
//! followed as the API server's log backend appends to it and rotates it.
//!
//! A file holds JSON lines (one payload per line, as the log backend writes) or one JSON
//! document (a payload, possibly spread over many lines). A line longer than the batch size limit
//! is skipped and counted, so memory stays bounded whatever the file.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{Feed, FeedError};
use crate::logger;

/// How often a followed file is checked for new lines.
const FOLLOW_PERIOD: Duration = Duration::from_millis(200);

/// The files to read for `path`: itself, or a directory's regular files oldest first (by
/// modification time, then name), as the plugin orders them.
pub fn list(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let meta = std::fs::metadata(path)?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for e in std::fs::read_dir(path)? {
        let e = e?;
        let m = e.metadata()?;
        if m.is_file() {
            files.push((m.modified().ok(), e.path()));
        }
    }
    files.sort();
    Ok(files.into_iter().map(|(_, p)| p).collect())
}

/// Reads `files` in order on a thread; the queue's end is signalled when it returns.
pub fn spawn_read(files: Vec<PathBuf>, feed: Feed, max_batch: usize) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("k8s_audit-read".into())
        .spawn(move || {
            for f in files {
                if let Err(e) = read_file(&f, &feed, max_batch) {
                    logger::error(&format!("k8s_audit: cannot read {}: {e}", f.display()));
                }
                if feed.stopped() {
                    return;
                }
            }
        })
        .expect("spawn the k8s_audit reader")
}

fn push(feed: &Feed, body: Vec<u8>, what: &dyn Fn() -> String) {
    match feed.push(body, true) {
        Ok(_) | Err(FeedError::Closed) => {}
        Err(e) => logger::warning(&format!("k8s_audit: {}: {e}", what())),
    }
}

/// One file: the whole of it as one document when it is one, else line by line.
pub fn read_file(path: &Path, feed: &Feed, max_batch: usize) -> std::io::Result<()> {
    let mut f = File::open(path)?;
    let size = f.metadata()?.len();
    let shown = path.display().to_string();
    if size <= max_batch as u64 {
        let mut text = Vec::with_capacity(size as usize);
        f.read_to_end(&mut text)?;
        let lines = text
            .split(|&b| b == b'\n')
            .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
            .count();
        if lines <= 1
            || falco_engine::k8saudit::json::Doc::parse(String::from_utf8_lossy(&text).into_owned())
                .is_ok()
        {
            push(feed, text, &|| shown.clone());
            return Ok(());
        }
        f.seek(SeekFrom::Start(0))?;
    }
    let mut r = BufReader::new(f);
    let mut n = 0;
    while let Some(line) = next_line(&mut r, max_batch, feed)? {
        n += 1;
        if !line.iter().all(u8::is_ascii_whitespace) {
            push(feed, line, &|| format!("{shown}:{n}"));
        }
        if feed.stopped() {
            break;
        }
    }
    Ok(())
}

/// The next complete line (without its newline), or None at the end of the data. A line over
/// `max` bytes is skipped and counted as a bad payload. A last line without a newline is returned
/// only when `partial_ok`.
fn read_line(
    r: &mut impl BufRead,
    max: usize,
    feed: &Feed,
    partial_ok: bool,
) -> std::io::Result<Option<(Vec<u8>, usize)>> {
    let mut line = Vec::new();
    let mut consumed = 0;
    let mut too_long = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            if line.is_empty() && !too_long || !partial_ok {
                return Ok(None);
            }
            break;
        }
        let (chunk, done) = match buf.iter().position(|&b| b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long && line.len() + chunk.len() > max {
            too_long = true;
            line = Vec::new();
        }
        if !too_long {
            line.extend_from_slice(chunk);
        }
        let used = done.unwrap_or(buf.len());
        r.consume(used);
        consumed += used;
        if done.is_some() {
            break;
        }
    }
    if too_long {
        feed.counters.bad_payloads.fetch_add(1, Ordering::Relaxed);
        logger::warning(&format!(
            "k8s_audit: a line over webhookMaxBatchSize ({max} bytes) skipped"
        ));
        line.clear();
    }
    Ok(Some((line, consumed)))
}

fn next_line(r: &mut impl BufRead, max: usize, feed: &Feed) -> std::io::Result<Option<Vec<u8>>> {
    Ok(read_line(r, max, feed, true)?.map(|(l, _)| l))
}

/// Follows `path` on a thread from its current end: new complete lines are read every
/// [`FOLLOW_PERIOD`]; a file replaced (rotation) or truncated is read again from its start.
pub fn spawn_follow(
    path: PathBuf,
    feed: Feed,
    max_batch: usize,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    std::thread::Builder::new()
        .name("k8s_audit-follow".into())
        .spawn(move || follow(&path, &feed, max_batch, &stop))
        .expect("spawn the k8s_audit follower")
}

fn follow(path: &Path, feed: &Feed, max_batch: usize, stop: &AtomicBool) {
    // (inode, offset) of the file being read; it starts at the end of what exists now.
    let mut pos: Option<(u64, u64)> = std::fs::metadata(path).ok().map(|m| (m.ino(), m.len()));
    while !stop.load(Ordering::Relaxed) {
        if let Ok(m) = std::fs::metadata(path) {
            let offset = match pos {
                Some((ino, off)) if ino == m.ino() && off <= m.len() => off,
                // A new file, or the same one truncated.
                _ => 0,
            };
            if offset < m.len() {
                match read_from(path, offset, feed, max_batch) {
                    Ok(next) => pos = Some((m.ino(), next)),
                    Err(e) => {
                        logger::warning(&format!("k8s_audit: cannot read {}: {e}", path.display()))
                    }
                }
            } else {
                pos = Some((m.ino(), offset));
            }
        }
        std::thread::sleep(FOLLOW_PERIOD);
    }
}

/// Reads the complete lines after `offset`; returns the offset after the last one.
fn read_from(path: &Path, offset: u64, feed: &Feed, max_batch: usize) -> std::io::Result<u64> {
    let mut f = File::open(path)?;
    f.seek(SeekFrom::Start(offset))?;
    let mut r = BufReader::new(f);
    let mut at = offset;
    while let Some((line, used)) = read_line(&mut r, max_batch, feed, false)? {
        at += used as u64;
        if !line.iter().all(u8::is_ascii_whitespace) {
            push(feed, line, &|| path.display().to_string());
        }
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::super::{Polled, channel};
    use super::*;
    use std::io::Write;

    const EV: &str = r#"{"kind":"Event","auditID":"a","stageTimestamp":"2018-10-25T14:09:12Z"}"#;

    fn scratch() -> PathBuf {
        let d = std::env::temp_dir().join(format!(
            "falco-k8s-file-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn count(input: &super::super::AuditInput) -> usize {
        let mut n = 0;
        while let Polled::Payload(p) = input.try_next() {
            n += p.events.len();
        }
        n
    }

    #[test]
    fn lines_documents_and_long_lines() {
        let d = scratch();
        let pretty = format!("{{\n \"kind\": \"EventList\",\n \"items\": [{EV},\n {EV}]\n}}\n");
        std::fs::write(d.join("a.json"), &pretty).unwrap();
        let long = format!("{}\n{EV}\n\n{EV}", " ".repeat(300));
        std::fs::write(d.join("b.json"), format!("{EV}\n{long}")).unwrap();
        let (feed, input) = channel(1 << 20, 200);
        read_file(&d.join("a.json"), &feed, 1 << 20).unwrap();
        assert_eq!(count(&input), 2);
        read_file(&d.join("b.json"), &feed, 200).unwrap();
        assert_eq!(count(&input), 3);
        assert_eq!(
            super::super::AuditCounters::get(&feed.counters.bad_payloads),
            1
        );
        assert_eq!(list(&d).unwrap().len(), 2);
    }

    #[test]
    fn follows_appends_and_rotation() {
        let d = scratch();
        let p = d.join("audit.log");
        std::fs::write(&p, format!("{EV}\n")).unwrap();
        let (feed, input) = channel(1 << 20, 1 << 20);
        let stop = Arc::new(AtomicBool::new(false));
        let h = spawn_follow(p.clone(), feed, 1 << 20, stop.clone());
        std::thread::sleep(FOLLOW_PERIOD * 2);
        let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
        write!(f, "{EV}\n{EV}").unwrap();
        let wait = |want: usize| {
            let mut got = 0;
            for _ in 0..50 {
                got += count(&input);
                if got >= want {
                    break;
                }
                std::thread::sleep(FOLLOW_PERIOD / 2);
            }
            got
        };
        assert_eq!(wait(1), 1, "only the complete new line");
        writeln!(f).unwrap();
        assert_eq!(wait(1), 1);
        std::fs::rename(&p, d.join("audit.log.1")).unwrap();
        std::fs::write(&p, format!("{EV}\n{EV}\n")).unwrap();
        assert_eq!(wait(2), 2);
        stop.store(true, Ordering::Relaxed);
        h.join().unwrap();
    }
}
