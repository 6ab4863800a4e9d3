//! Writing files safely, the one place every output goes through: a temporary file in the same
//! folder, flushed to disk and renamed into place ([`Staged`]), so a crash never leaves half a
//! file behind, and never over anything but a regular file ([`check_target`]): a symlink, a
//! folder, a device or a pipe at the target is refused, not replaced or followed.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Writes `bytes` to `path` atomically (temp file + fsync + rename in the same folder),
/// replacing a regular file there and refusing anything else ([`check_target`]).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut staged = Staged::new(path)?;
    staged.write_all(bytes)?;
    staged.commit()
}

/// Writes a new file atomically, refusing to replace whatever exists at `path`.
pub fn create_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "it already exists; rolebook does not replace it",
        ));
    }
    let mut staged = Staged::beside(path)?;
    staged.write_all(bytes)?;
    staged.commit_new()
}

/// What exists at a path that is about to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing yet.
    Absent,
    /// A regular file, with its permission bits (kept by the new file).
    File { mode: u32 },
}

/// Looks at `path` without following a symlink there: a regular file or nothing may be
/// written; a symlink, a folder, a device, a pipe or a socket is refused with an error that
/// says what it is and what to do.
pub fn check_target(path: &Path) -> io::Result<Target> {
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Target::Absent),
        Err(e) => return Err(e),
    };
    let ty = meta.file_type();
    if ty.is_file() {
        #[cfg(unix)]
        let mode = {
            use std::os::unix::fs::PermissionsExt;
            meta.permissions().mode() & 0o777
        };
        #[cfg(not(unix))]
        let mode = 0o644;
        return Ok(Target::File { mode });
    }
    let (kind, what) = if ty.is_symlink() {
        (io::ErrorKind::InvalidInput, "a symlink")
    } else if ty.is_dir() {
        (io::ErrorKind::IsADirectory, "a folder")
    } else {
        (io::ErrorKind::InvalidInput, special_kind(&ty))
    };
    Err(io::Error::new(
        kind,
        format!("it is {what}; remove it or choose another --out"),
    ))
}

#[cfg(unix)]
fn special_kind(ty: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ty.is_fifo() {
        "a named pipe, not a regular file"
    } else if ty.is_socket() {
        "a socket, not a regular file"
    } else if ty.is_block_device() || ty.is_char_device() {
        "a device, not a regular file"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "not a regular file"
}

/// A file being written: a temporary file beside `path`, renamed onto it only by
/// [`Staged::commit`]. Dropped uncommitted, the temporary file is removed and `path` is
/// untouched. Large outputs are streamed into it ([`Write`], [`Staged::file`]).
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Starts writing `path`, refusing at once a target that is not a regular file.
    pub fn new(path: &Path) -> io::Result<Self> {
        check_target(path)?;
        Self::beside(path)
    }

    fn beside(path: &Path) -> io::Result<Self> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // tempfile names its random file in the error; the user knows only the folder.
        let tmp = tempfile::Builder::new()
            .prefix(".rolebook-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => {
                    io::Error::new(e.kind(), "its folder does not exist or is not a folder")
                }
                io::ErrorKind::PermissionDenied => io::Error::new(
                    e.kind(),
                    "permission denied: its folder is not writable; choose another --out",
                ),
                kind if e.get_ref().is_some() => io::Error::from(kind),
                _ => e,
            })?;
        Ok(Staged {
            tmp,
            path: path.to_path_buf(),
        })
    }

    /// The temporary file, for writers that take a `&File`.
    pub fn file(&self) -> &std::fs::File {
        self.tmp.as_file()
    }

    /// The final path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes the file to disk and renames it onto the path, replacing a regular file there.
    /// The target is looked at again right before: it may have changed while writing.
    pub fn commit(self) -> io::Result<()> {
        let target = check_target(&self.path)?;
        self.finish(target, true)
    }

    /// Like [`Staged::commit`], but fails if anything exists at the path.
    pub fn commit_new(self) -> io::Result<()> {
        self.finish(Target::Absent, false)
    }

    fn finish(self, target: Target, replace: bool) -> io::Result<()> {
        self.tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            // Temporary files are private (0600); outputs are meant to be read, and served:
            // keep the mode of the file replaced, else the usual 0644.
            use std::os::unix::fs::PermissionsExt;
            let mode = match target {
                Target::File { mode } => mode,
                Target::Absent => 0o644,
            };
            self.tmp
                .as_file()
                .set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        #[cfg(not(unix))]
        let _ = target;
        let persisted = if replace {
            self.tmp.persist(&self.path)
        } else {
            self.tmp.persist_noclobber(&self.path)
        };
        persisted.map(|_| ()).map_err(|e| e.error)
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.tmp.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.tmp.flush()
    }
}

/// `base/name`, when `name` is one plain file name: ids and user text never escape `base`.
pub fn contained(base: &Path, name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    let mut parts = p.components();
    match (parts.next(), parts.next()) {
        (Some(Component::Normal(n)), None) if !name.contains(['/', '\\']) => Some(base.join(n)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_never_escape_the_folder() {
        let base = Path::new("/out");
        assert_eq!(
            contained(base, "a.html"),
            Some(PathBuf::from("/out/a.html"))
        );
        assert_eq!(contained(base, "../a.html"), None);
        assert_eq!(contained(base, "/etc/passwd"), None);
        assert_eq!(contained(base, "a/b.html"), None);
        assert_eq!(contained(base, ".."), None);
        assert_eq!(contained(base, ""), None);
    }

    #[test]
    fn atomic_write_replaces_and_create_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert!(create_atomic(&p, b"three").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
    }

    #[cfg(unix)]
    #[test]
    fn never_replaces_a_symlink_or_a_folder_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        std::fs::write(&real, b"keep").unwrap();
        let link = dir.path().join("link.txt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write_atomic(&link, b"x").unwrap_err();
        assert!(err.to_string().contains("is a symlink"), "{err}");
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read(&real).unwrap(), b"keep");
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let err = write_atomic(&sub, b"x").unwrap_err();
        assert!(err.to_string().contains("is a folder"), "{err}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 3);
    }

    #[test]
    fn an_uncommitted_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.txt");
        {
            let mut s = Staged::new(&p).unwrap();
            s.write_all(b"half").unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
