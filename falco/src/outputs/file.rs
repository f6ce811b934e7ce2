//! file_output: alerts appended to a file, one per line. With keep_alive the file stays open between
//! alerts (and with buffered_outputs, lines are written in blocks); otherwise it is opened and
//! closed for each alert. SIGUSR1 closes it, so the next alert reopens the path (logrotate moves
//! the old file away, then signals). The file is created 0600 and never opened through a symbolic
//! link. A write cut short by a full disk is truncated back to the last whole line, and the alerts
//! it held are counted as failed.

use std::fs::File;
use std::path::{Path, PathBuf};

use super::lines::{Lines, Torn};
use super::{Delivery, Failure, Output, OutputError};
use crate::alert::Alert;
use crate::logger;

pub struct FileOutput {
    path: PathBuf,
    keep_alive: bool,
    buffered: bool,
    file: Option<File>,
    lines: Lines,
}

impl FileOutput {
    /// Refuses a path that is a symbolic link now, so the mistake shows at start; with
    /// `follow_symlinks`, reads the link now instead and writes its target from then on.
    pub fn new(
        path: &Path,
        keep_alive: bool,
        buffered: bool,
        follow_symlinks: bool,
    ) -> Result<FileOutput, OutputError> {
        let mut path = path.to_path_buf();
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
            if !follow_symlinks {
                return Err(OutputError::Setup(format!(
                    "file_output.filename {} is a symbolic link; falco does not write through symbolic links (name the target instead, or set file_output.follow_symlinks)",
                    path.display()
                )));
            }
            // One level, and the target need not exist yet; a link to a link is refused at open.
            let target = std::fs::read_link(&path).map_err(|source| OutputError::Io {
                what: format!("file {} (a symbolic link)", path.display()),
                source,
            })?;
            path = path.parent().unwrap_or(Path::new("/")).join(target);
        }
        Ok(FileOutput {
            path,
            keep_alive,
            buffered,
            file: None,
            lines: Lines::default(),
        })
    }

    fn io(&self, e: std::io::Error) -> OutputError {
        OutputError::Io {
            what: format!("file {}", self.path.display()),
            source: e,
        }
    }

    /// Writes what is waiting, opening the file if needed.
    fn write_out(&mut self) -> Delivery {
        if self.lines.pending() == 0 {
            return Ok(0);
        }
        if self.file.is_none() {
            match crate::private_file::append(&self.path) {
                Ok(f) => self.file = Some(f),
                Err(e) => {
                    let e = self.io(e);
                    return Err(self.lines.lose(e));
                }
            }
        }
        let f = self.file.as_mut().expect("opened above");
        match self.lines.write_to(f) {
            Ok(n) => {
                if !self.keep_alive {
                    self.file = None;
                }
                Ok(n)
            }
            Err(t) => Err(self.torn(t)),
        }
    }

    /// A write cut short: remove the torn line, and start over with a fresh handle next time.
    fn torn(&mut self, t: Torn) -> Failure {
        if let Some(f) = self.file.take()
            && t.torn_bytes > 0
        {
            let cut = f
                .metadata()
                .and_then(|m| f.set_len(m.len().saturating_sub(t.torn_bytes)));
            if let Err(e) = cut {
                logger::error(&format!(
                    "file {}: a partial alert line of {} bytes is left at its end: {e}",
                    self.path.display(),
                    t.torn_bytes
                ));
            }
        }
        t.failure(format!("file {}", self.path.display()))
    }
}

impl Output for FileOutput {
    fn name(&self) -> &'static str {
        "file"
    }

    fn write(&mut self, alert: &Alert) -> Delivery {
        self.lines.push(&alert.line);
        if self.buffered && self.keep_alive && !self.lines.full() {
            return Ok(0);
        }
        self.write_out()
    }

    fn reopen(&mut self) -> Delivery {
        let r = self.write_out();
        self.file = None;
        r
    }

    fn flush(&mut self) -> Delivery {
        self.write_out()
    }

    fn pending(&self) -> u64 {
        self.lines.pending()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::priority::Priority;
    use std::sync::Arc;

    fn alert(s: &str) -> Alert {
        Alert {
            ts: 0,
            priority: Priority::Notice,
            rule: Arc::from("r"),
            source: Arc::from("syscall"),
            line: s.to_string(),
            json: false,
        }
    }

    #[test]
    fn reopen_follows_a_rotated_path() {
        let dir = std::env::temp_dir().join(format!("falco-file-unit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.txt");
        let rotated = dir.join("events.txt.1");
        let mut o = FileOutput::new(&path, true, true, false).unwrap();
        assert_eq!(o.write(&alert("one")).unwrap(), 0);
        assert_eq!(o.flush().unwrap(), 1);
        std::fs::rename(&path, &rotated).unwrap();
        // Still open: the next line lands in the rotated file.
        o.write(&alert("two")).unwrap();
        assert_eq!(o.reopen().unwrap(), 1);
        o.write(&alert("three")).unwrap();
        o.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&rotated).unwrap(), "one\ntwo\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three\n");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_link_put_after_start_is_not_written_through() {
        let dir = std::env::temp_dir().join(format!("falco-file-link-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("events.txt");
        let victim = dir.join("victim");
        std::fs::write(&victim, "keep\n").unwrap();
        let mut o = FileOutput::new(&path, false, false, false).unwrap();
        // Rotated away, and a link put in its place before the next alert.
        std::os::unix::fs::symlink(&victim, &path).unwrap();
        let f = o.write(&alert("x")).unwrap_err();
        assert_eq!((f.sent, f.lost), (0, 1));
        assert!(f.error.to_string().contains("symbolic link"), "{}", f.error);
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep\n");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn follow_symlinks_writes_the_links_target() {
        let dir = std::env::temp_dir().join(format!("falco-file-follow-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (path, target) = (dir.join("events.txt"), dir.join("real.txt"));
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let refused = FileOutput::new(&path, false, false, false).err().unwrap();
        assert!(refused.to_string().contains("follow_symlinks"), "{refused}");
        let mut o = FileOutput::new(&path, false, false, true).unwrap();
        o.write(&alert("one")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "one\n");
        std::fs::remove_dir_all(&dir).ok();
    }
}
