//! Writing files safely: every output goes to a temporary file in the same folder and is
//! renamed into place, so a crash never leaves half a file behind.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Writes `bytes` to `path` atomically (temp file + rename in the same folder).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, true)
}

/// Writes a new file atomically, refusing to replace one that exists.
pub fn create_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_via_temp(path, bytes, false)
}

fn write_via_temp(path: &Path, bytes: &[u8], replace: bool) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new()
        .prefix(".rolebook-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        // Temporary files are private (0600); outputs are meant to be read, and served: keep
        // the mode of the file replaced, else the usual 0644.
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    let persisted = if replace {
        tmp.persist(path)
    } else {
        tmp.persist_noclobber(path)
    };
    persisted.map(|_| ()).map_err(|e| e.error)
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
}
