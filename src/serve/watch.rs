//! Knowing when to build again, by polling: every [`POLL`] the files the loader would read are
//! listed the way it lists them ([`crate::load::source_files`]) and stamped (length,
//! modification time, inode). Polling, rather than the OS's file events, because editors save
//! by writing a temporary file and renaming it over the old one, and the positions folder may
//! itself disappear and come back: a fresh listing sees all of that the same way, with no
//! watch to re-arm, on every platform and file system. A few hundred `stat`s every 200 ms
//! cost nothing next to a build.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How often the files are looked at.
pub const POLL: Duration = Duration::from_millis(200);

/// What the watched files looked like at one moment. Two stamps differ when a file was
/// added, removed, renamed, written or replaced, or the folder went away or came back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    files: Result<Vec<FileStamp>, String>,
    templates: Vec<FileStamp>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStamp {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
    /// Changes when an editor replaces the file by renaming another over it.
    inode: u64,
}

impl Stamp {
    /// Stamps the positions folder `dir` and, when given, the templates folder.
    pub fn take(dir: &Path, templates: Option<&Path>) -> Stamp {
        let files = crate::load::source_files(dir)
            .map(|files| files.iter().map(|f| stamp(f)).collect())
            .map_err(|e| e.to_string());
        let templates = templates
            .and_then(|t| std::fs::read_dir(t).ok())
            .map(|entries| {
                let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                paths.sort();
                paths.iter().map(|p| stamp(p)).collect()
            })
            .unwrap_or_default();
        Stamp { files, templates }
    }
}

fn stamp(path: &Path) -> FileStamp {
    let meta = std::fs::metadata(path).ok();
    FileStamp {
        path: path.to_path_buf(),
        len: meta.as_ref().map_or(0, |m| m.len()),
        modified: meta.as_ref().and_then(|m| m.modified().ok()),
        inode: meta.as_ref().map_or(0, inode),
    }
}

#[cfg(unix)]
fn inode(meta: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(meta)
}

#[cfg(not(unix))]
fn inode(_: &std::fs::Metadata) -> u64 {
    0
}

/// Decides when to build: when the files differ from those of the last build and have held
/// still for one poll (an editor's save in several writes is built once), or have kept
/// changing for a second (a file rewritten all the time is still shown).
#[derive(Debug)]
pub struct Settle {
    built: Stamp,
    seen: Stamp,
    changing_since: Option<std::time::Instant>,
}

impl Settle {
    /// Starts from the stamp taken before the first build.
    pub fn new(built: Stamp) -> Self {
        Settle {
            seen: built.clone(),
            built,
            changing_since: None,
        }
    }

    /// Takes the latest stamp; true when it is time to build (the caller then builds and
    /// calls [`Settle::built`] with this stamp).
    pub fn look(&mut self, now: Stamp) -> bool {
        if now == self.built {
            self.seen = now;
            self.changing_since = None;
            return false;
        }
        let since = *self
            .changing_since
            .get_or_insert_with(std::time::Instant::now);
        let still = now == self.seen;
        self.seen = now;
        still || since.elapsed() >= Duration::from_secs(1)
    }

    /// Records that the files as last seen were built.
    pub fn built(&mut self) {
        self.built = self.seen.clone();
        self.changing_since = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_built_once_it_holds_still() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.toml"), "title = \"A\"").unwrap();
        let mut settle = Settle::new(Stamp::take(dir.path(), None));
        assert!(
            !settle.look(Stamp::take(dir.path(), None)),
            "nothing changed"
        );
        std::fs::write(dir.path().join("a.toml"), "title = \"AB\"").unwrap();
        assert!(!settle.look(Stamp::take(dir.path(), None)), "just changed");
        assert!(settle.look(Stamp::take(dir.path(), None)), "held still");
        settle.built();
        assert!(!settle.look(Stamp::take(dir.path(), None)), "built");
    }

    #[test]
    fn a_replaced_file_a_new_file_and_a_missing_folder_are_changes() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.toml");
        std::fs::write(&a, "title = \"A\"").unwrap();
        let before = Stamp::take(dir.path(), None);
        // An editor's atomic save: same length, a new file renamed over the old one.
        let tmp = dir.path().join(".a.toml.swp");
        std::fs::write(&tmp, "title = \"B\"").unwrap();
        std::fs::rename(&tmp, &a).unwrap();
        let replaced = Stamp::take(dir.path(), None);
        assert_ne!(before, replaced);
        std::fs::write(dir.path().join("b.toml"), "").unwrap();
        assert_ne!(replaced, Stamp::take(dir.path(), None));
        assert_ne!(before, Stamp::take(&dir.path().join("gone"), None));
    }
}
