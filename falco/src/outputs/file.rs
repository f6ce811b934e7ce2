//! file_output: alerts appended to a file, one per line. With keep_alive the file stays open between
//! alerts; otherwise it is opened and closed for each. SIGUSR1 closes it, so the next alert reopens
//! the path (logrotate moves the old file away, then signals).

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{Output, OutputError};
use crate::alert::Alert;

pub struct FileOutput {
    path: PathBuf,
    keep_alive: bool,
    buffered: bool,
    file: Option<BufWriter<File>>,
}

impl FileOutput {
    pub fn new(path: &Path, keep_alive: bool, buffered: bool) -> FileOutput {
        FileOutput {
            path: path.to_path_buf(),
            keep_alive,
            buffered,
            file: None,
        }
    }

    fn io(&self, e: std::io::Error) -> OutputError {
        OutputError::Io {
            what: format!("file {}", self.path.display()),
            source: e,
        }
    }

    fn close(&mut self) -> Result<(), OutputError> {
        if let Some(mut f) = self.file.take() {
            f.flush().map_err(|e| self.io(e))?;
        }
        Ok(())
    }
}

impl Output for FileOutput {
    fn name(&self) -> &'static str {
        "file"
    }

    fn write(&mut self, alert: &Alert) -> Result<(), OutputError> {
        if self.file.is_none() {
            let f = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .map_err(|e| self.io(e))?;
            self.file = Some(BufWriter::with_capacity(64 << 10, f));
        }
        let f = self.file.as_mut().expect("opened above");
        let r = f
            .write_all(alert.line.as_bytes())
            .and_then(|_| f.write_all(b"\n"))
            .and_then(|_| if self.buffered { Ok(()) } else { f.flush() });
        if let Err(e) = r {
            // Start over with a fresh handle next time.
            self.file = None;
            return Err(self.io(e));
        }
        if !self.keep_alive {
            self.close()?;
        }
        Ok(())
    }

    fn reopen(&mut self) -> Result<(), OutputError> {
        self.close()
    }

    fn flush(&mut self) -> Result<(), OutputError> {
        match self.file.as_mut() {
            Some(f) => f.flush().map_err(|e| OutputError::Io {
                what: format!("file {}", self.path.display()),
                source: e,
            }),
            None => Ok(()),
        }
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
        let mut o = FileOutput::new(&path, true, true);
        o.write(&alert("one")).unwrap();
        o.flush().unwrap();
        std::fs::rename(&path, &rotated).unwrap();
        // Still open: the next line lands in the rotated file.
        o.write(&alert("two")).unwrap();
        o.reopen().unwrap();
        o.write(&alert("three")).unwrap();
        o.flush().unwrap();
        assert_eq!(std::fs::read_to_string(&rotated).unwrap(), "one\ntwo\n");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three\n");
        std::fs::remove_dir_all(&dir).ok();
    }
}
