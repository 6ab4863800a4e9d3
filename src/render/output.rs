//! Writing a rendered handbook: every file atomically ([`write_atomic`]: a temporary file in the
//! same folder, then a rename), so a reader never sees half a handbook, and never outside the
//! output folder.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::html::Rendered;
use crate::diag::display_path;
use crate::output::write_atomic;

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("failed to create output folder `{path}` ({source})")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("failed to write `{path}` ({source})")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("refusing to write `{0}`: it is not inside the output folder")]
    Outside(String),
}

/// Writes every file under `out` and returns their paths. Pages left in the split folder by
/// positions that no longer exist are removed, so an intranet never serves a stale form.
pub fn write(out: &Path, rendered: &Rendered) -> Result<Vec<PathBuf>, OutputError> {
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    let mut paths = Vec::with_capacity(rendered.files.len());
    for file in &rendered.files {
        if !stays_inside(&file.path) {
            return Err(OutputError::Outside(display_path(&file.path)));
        }
        let path = out.join(&file.path);
        let dir = path.parent().unwrap_or(out).to_path_buf();
        if dirs.insert(dir.clone()) {
            std::fs::create_dir_all(&dir).map_err(|source| OutputError::CreateDir {
                path: display_path(&dir),
                source,
            })?;
        }
        paths.push(path);
    }
    // Split pages are many small files, each flushed to disk: write them side by side.
    paths
        .par_iter()
        .zip(&rendered.files)
        .try_for_each(|(path, file)| {
            write_atomic(path, file.contents.as_bytes()).map_err(|source| OutputError::Write {
                path: display_path(path),
                source,
            })
        })?;
    if let Some(split) = &rendered.split_dir {
        prune(&out.join(split), &paths)?;
    }
    Ok(paths)
}

/// A relative path of plain names only: no `..`, no root, no drive.
fn stays_inside(path: &Path) -> bool {
    path.components().all(|c| matches!(c, Component::Normal(_)))
        && path.components().next().is_some()
}

/// Removes `.html` files in the split folder that this build did not write.
fn prune(dir: &Path, written: &[PathBuf]) -> Result<(), OutputError> {
    let keep: HashSet<&Path> = written.iter().map(PathBuf::as_path).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let is_page = path.extension().is_some_and(|e| e == "html")
            && entry.file_type().is_ok_and(|t| t.is_file());
        if is_page && !keep.contains(path.as_path()) {
            std::fs::remove_file(&path).map_err(|source| OutputError::Write {
                path: display_path(&path),
                source,
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_paths_stay_inside() {
        assert!(stays_inside(Path::new("handbook.html")));
        assert!(stays_inside(Path::new("handbook/客服部经理.html")));
        assert!(!stays_inside(Path::new("../x.html")));
        assert!(!stays_inside(Path::new("/etc/x.html")));
        assert!(!stays_inside(Path::new("a/../../x.html")));
        assert!(!stays_inside(Path::new("")));
    }
}
