//! Files falco writes (alert files, captures, statistics and metrics files) hold syscall data: they
//! are created 0600, and never opened through a symbolic link (falco runs as root, and a link put
//! where an alert file will be would otherwise let whoever placed it choose what falco writes to).

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Opens `path` for appending, creating it 0600.
pub fn append(path: &Path) -> std::io::Result<File> {
    open(path, OpenOptions::new().append(true).create(true))
}

/// Creates or truncates `path` for writing, creating it 0600.
pub fn create(path: &Path) -> std::io::Result<File> {
    open(
        path,
        OpenOptions::new().write(true).create(true).truncate(true),
    )
}

fn open(path: &Path, options: &mut OpenOptions) -> std::io::Result<File> {
    options
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| {
            // O_NOFOLLOW on a link fails with ELOOP before anything is created or truncated.
            if e.raw_os_error() == Some(libc::ELOOP) {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "{} is a symbolic link; falco does not write through symbolic links (name the target instead)",
                        path.display()
                    ),
                )
            } else {
                e
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_0600_and_refuses_links() {
        let dir = std::env::temp_dir().join(format!("falco-private-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("a.txt");
        let _ = std::fs::remove_file(&p);
        drop(append(&p).unwrap());
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let target = dir.join("target");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.join("link");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = create(&link).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(append(&link).is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        std::fs::remove_dir_all(&dir).ok();
    }
}
