//! Writing a rendered handbook's files: every file atomically through [`crate::output`], so a
//! reader never sees half a handbook, and never outside the output folder. The split folder
//! has a manifest of the pages written ([`MANIFEST`]) so that a rebuild removes the pages of
//! positions that no longer exist, and nothing else.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;

use super::html::Rendered;
use crate::diag::display_path;
use crate::output::write_atomic;

/// The list of the files a build wrote into the split folder, one name a line, kept beside it
/// (`.handbook.rolebook-manifest` for `handbook/`, so the folder holds only pages): the next
/// build removes those it does not write again. A file not listed (a user's own) is never
/// removed.
pub const MANIFEST: &str = "rolebook-manifest";

/// Why the handbook's files could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
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

/// Writes every file under `out` and returns their paths. Pages a previous build left in the
/// split folder for positions that no longer exist are removed, so an intranet never serves a
/// stale form; files rolebook did not write are left alone.
pub fn write(out: &Path, rendered: &Rendered) -> Result<Vec<PathBuf>, FilesError> {
    let mut dirs: HashSet<PathBuf> = HashSet::new();
    let mut paths = Vec::with_capacity(rendered.files.len());
    for file in &rendered.files {
        if !stays_inside(&file.path) {
            return Err(FilesError::Outside(display_path(&file.path)));
        }
        let path = out.join(&file.path);
        let dir = path.parent().unwrap_or(out).to_path_buf();
        if dirs.insert(dir.clone()) {
            std::fs::create_dir_all(&dir).map_err(|source| FilesError::CreateDir {
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
            write_atomic(path, file.contents.as_bytes()).map_err(|source| FilesError::Write {
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

/// Removes the files the previous build listed in the split folder's [`MANIFEST`] and this one
/// did not write, then lists this build's files there.
fn prune(dir: &Path, written: &[PathBuf]) -> Result<(), FilesError> {
    let names: Vec<String> = written
        .iter()
        .filter(|p| p.parent() == Some(dir))
        .filter_map(|p| p.file_name()?.to_str().map(str::to_string))
        .collect();
    let keep: HashSet<&str> = names.iter().map(String::as_str).collect();
    let folder = dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let manifest = dir.with_file_name(format!(".{folder}.{MANIFEST}"));
    let previous = std::fs::read_to_string(&manifest).unwrap_or_default();
    for name in previous.lines().filter(|l| !l.starts_with('#')) {
        if keep.contains(name) {
            continue;
        }
        // Only a plain name inside the folder, only a regular file: a hand-edited manifest
        // cannot make a build delete anything else.
        let Some(path) = crate::output::contained(dir, name) else {
            continue;
        };
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file()) {
            std::fs::remove_file(&path).map_err(|source| FilesError::Write {
                path: display_path(&path),
                source,
            })?;
        }
    }
    let mut list = String::from(
        "# written by rolebook build --split: the next build removes the files listed here that \
         it does not write again\n",
    );
    for n in &names {
        list.push_str(n);
        list.push('\n');
    }
    write_atomic(&manifest, list.as_bytes()).map_err(|source| FilesError::Write {
        path: display_path(&manifest),
        source,
    })
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
