//! `positions/` -> [`Org`] plus the [`Sources`] it came from and the `parse` findings.
//!
//! Every file is read and reported on its own (in parallel): one broken file never hides the
//! problems of the others. Ids are file stems; sub-folders only organise files.

/// The loader's TOML reader; public for the benchmark and the fuzz target, not an interface.
#[doc(hidden)]
pub mod doc;
mod fields;
pub mod org;
mod path;
mod position;
pub mod spec;
mod templates;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::check::Rule;
use crate::diag::{
    Diagnostic, FileId, Severity, SourceFile, Sources, display_path, display_path_in,
};
use crate::model::{Org, OrgSettings, Position};
use doc::Table;
use fields::{Fields, Name, Sink};

/// Re-exported from its home, [`crate::util`], for the callers that take it from here.
pub use crate::util::did_you_mean;

pub use fields::PARSE;
pub use path::{Step, key_path_at};
pub use templates::{EXTENDS, TEMPLATE_CYCLE, TEMPLATES_DIR, TemplateInfo, UNKNOWN_TEMPLATE};
use templates::{Lookup, Templates};

pub const MISSING_ORG: Rule = Rule::new(
    "missing-org",
    Severity::Error,
    "the folder has no `_org.toml` (the default levels are assumed so the rest is still checked)",
    "create _org.toml with the organization's levels (rolebook init writes one)",
);

pub const DUPLICATE_ID: Rule = Rule::new(
    "duplicate-id",
    Severity::Error,
    "two files in different folders have the same stem",
    "ids are file stems and must be unique across all folders: rename one file",
);

/// The keys of a position file ([`spec::POSITION`]): top level, then each section's, by
/// section name. Whatever else needs the list (the `[confidential]` field names) derives it
/// from here.
pub fn position_keys() -> (Vec<&'static str>, Vec<(&'static str, Vec<&'static str>)>) {
    let sections = spec::POSITION
        .iter()
        .filter_map(|k| match k.kind {
            spec::Kind::Table(keys) | spec::Kind::Tables(keys) => Some((k.name, spec::names(keys))),
            _ => None,
        })
        .collect();
    (spec::names(spec::POSITION), sections)
}

/// The name of the organization settings file.
pub const ORG_FILE: &str = "_org.toml";

/// Position files larger than this are refused: they are not hand-written position files.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// What could not be loaded at all (the tool cannot run: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("positions folder `{0}` does not exist")]
    Missing(String),
    #[error("`{0}` is not a folder")]
    NotADir(String),
    #[error("failed to read folder `{path}` ({source})")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// The organization as loaded, with every file read and every finding of the loader.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub org: Org,
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
    /// Ids of position files that exist but could not be read (their errors are reported):
    /// references to them are not reported again.
    pub broken: Vec<String>,
    /// The folder as the user named it.
    pub dir: PathBuf,
    /// The templates of `_templates/`, by id (they are not positions).
    pub templates: Vec<TemplateInfo>,
}

impl Loaded {
    pub fn is_known_id(&self, id: &str) -> bool {
        self.org.get(id).is_some() || self.broken.binary_search_by(|b| b.as_str().cmp(id)).is_ok()
    }
}

/// One file as read from disk (or handed in by a test or fuzzer): its path and its bytes, or
/// why they could not be read (message, help).
#[derive(Debug, Clone)]
pub struct Input {
    pub path: PathBuf,
    pub bytes: Result<Vec<u8>, (String, String)>,
}

impl Input {
    pub fn new(path: impl Into<PathBuf>, bytes: impl Into<Vec<u8>>) -> Self {
        Input {
            path: path.into(),
            bytes: Ok(bytes.into()),
        }
    }

    /// Reads a file, refusing what no one writes by hand (over [`MAX_FILE_BYTES`]). One open:
    /// the size comes from the open file, and sizes the buffer the text is read into.
    pub fn read(path: &Path) -> Self {
        Input {
            path: path.to_path_buf(),
            bytes: read_limited(path),
        }
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, (String, String)> {
    use std::io::Read;
    let failed = |e: std::io::Error| {
        (
            format!("failed to read file ({e})"),
            "check the file's permissions".to_string(),
        )
    };
    let mut file = std::fs::File::open(path).map_err(failed)?;
    let len = file.metadata().map_or(0, |m| m.len());
    if len > MAX_FILE_BYTES {
        return Err((
            format!(
                "file is {:.1} MiB; a position file is at most {} MiB",
                len as f64 / 1048576.0,
                MAX_FILE_BYTES / 1048576
            ),
            "is this the right file? split it, or move it out of the positions folder".into(),
        ));
    }
    // One byte more than the size, so the read that finds the end needs no second buffer.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.read_to_end(&mut bytes).map_err(failed)?;
    Ok(bytes)
}

/// Reads a positions folder.
pub fn load_dir(dir: &Path) -> Result<Loaded, LoadError> {
    let (root, found) = find(dir)?;
    let org_path = dir.join(ORG_FILE);
    let org = match std::fs::symlink_metadata(&org_path) {
        Ok(m) if m.file_type().is_symlink() => Some(match outside(&root, &org_path) {
            Some(refusal) => Input {
                path: org_path,
                bytes: Err(refusal),
            },
            None => Input::read(&org_path),
        }),
        Ok(m) if m.is_file() => Some(Input::read(&org_path)),
        _ => None,
    };
    let positions = read_found(found);
    let templates = template_inputs(dir)?;
    Ok(load_with_templates(dir, org, templates, positions))
}

/// Reads the template files of `dir/_templates/` (none when the folder has none), with the
/// same rules as position files: links only inside the positions folder.
pub fn template_inputs(dir: &Path) -> Result<Vec<Input>, LoadError> {
    Ok(read_found(find_templates(dir)?))
}

/// The template files of `dir/_templates/`, sorted (a link leaving the positions folder as
/// its refusal).
fn find_templates(dir: &Path) -> Result<Vec<Found>, LoadError> {
    let tdir = dir.join(TEMPLATES_DIR);
    if !tdir.is_dir() {
        return Ok(Vec::new());
    }
    let root = dir.canonicalize().map_err(|source| LoadError::Io {
        path: display_path(dir),
        source,
    })?;
    let mut found = Vec::new();
    if let Some(refusal) = outside(&root, &tdir) {
        found.push((tdir, Some(refusal)));
    } else {
        let real = tdir.canonicalize().unwrap_or_else(|_| tdir.clone());
        collect(
            &root,
            &tdir,
            &mut HashSet::from([root.clone(), real]),
            &mut found,
        )?;
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(found)
}

/// Reads the files found (in parallel), a refused link as its refusal.
fn read_found(found: Vec<Found>) -> Vec<Input> {
    found
        .into_par_iter()
        .map(|(path, refusal)| match refusal {
            Some(r) => Input {
                path,
                bytes: Err(r),
            },
            None => Input {
                bytes: read_limited(&path),
                path,
            },
        })
        .collect()
}

/// The files [`load_dir`] reads from `dir` (`_org.toml` first, when it exists, then the
/// positions, then the templates): what a watcher looks at to know when to load again.
pub fn source_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let (_, found) = find(dir)?;
    let org = dir.join(ORG_FILE);
    let mut files: Vec<PathBuf> = org.exists().then_some(org).into_iter().collect();
    files.extend(found.into_iter().map(|(path, _)| path));
    files.extend(find_templates(dir)?.into_iter().map(|(path, _)| path));
    Ok(files)
}

/// The real path of the positions folder and the position files under it, sorted.
fn find(dir: &Path) -> Result<(PathBuf, Vec<Found>), LoadError> {
    let shown = display_path(dir);
    if !dir.exists() {
        return Err(LoadError::Missing(shown));
    }
    if !dir.is_dir() {
        return Err(LoadError::NotADir(shown));
    }
    let root = dir.canonicalize().map_err(|source| LoadError::Io {
        path: shown.clone(),
        source,
    })?;
    let mut found = Vec::new();
    let mut visited = HashSet::from([root.clone()]);
    collect(&root, dir, &mut visited, &mut found)?;
    found.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((root, found))
}

/// Builds the organization from files already read: `_org.toml` (if any) and the position
/// files, whose ids are their file stems. Never fails: every problem is a diagnostic.
pub fn load_inputs(dir: &Path, org: Option<Input>, positions: Vec<Input>) -> Loaded {
    load_with_templates(dir, org, Vec::new(), positions)
}

/// [`load_inputs`], with the template files of `_templates/` the positions may `extends`.
pub fn load_with_templates(
    dir: &Path,
    org: Option<Input>,
    templates: Vec<Input>,
    positions: Vec<Input>,
) -> Loaded {
    let mut sources = Sources::default();
    // Where the user stands, for the paths shown: asked once, not for every file.
    let cwd = std::env::current_dir().ok();
    let cwd = cwd.as_deref();
    let mut diagnostics = Vec::new();

    let org_path = dir.join(ORG_FILE);
    let settings = if let Some(input) = org {
        let (source, text_err) = decode_input(input, cwd);
        let file = sources.add(source);
        let mut sink = Sink::new(file, None);
        let mut settings = fallback_settings(Some(file));
        if let Some((message, help)) = text_err {
            sink.push(0..0, message, Some(help));
        } else if let Some(table) = parse_toml(sources.get(file), &mut sink) {
            settings = org::read(Fields::new(&table, 0..0, Name::Top, spec::ORG), &mut sink);
        }
        diagnostics.append(&mut sink.diagnostics);
        settings
    } else {
        let file = sources.add(SourceFile::new(
            display_path(&org_path),
            org_path.clone(),
            String::new(),
        ));
        diagnostics.push(
            MISSING_ORG
                .at(
                    file,
                    0..0,
                    format!("`{}` has no {ORG_FILE}", display_path(dir)),
                )
            .help(format!(
                "create {ORG_FILE} with the organization's `levels` (rolebook init writes one); \
                 until then the levels {} are assumed",
                OrgSettings::DEFAULT_LEVELS.join(" < ")
            )),
        );
        fallback_settings(None)
    };

    let template_files: Vec<(String, FileId, Option<TextError>)> = templates
        .into_iter()
        .map(|input| {
            let id = stem(&input.path);
            let (source, err) = decode_input(input, cwd);
            (id, sources.add(source), err)
        })
        .collect();
    let position_ids: Vec<String> = positions.iter().map(|i| stem(&i.path)).collect();
    let templates = Templates::build(
        &sources,
        template_files,
        &settings,
        &position_ids,
        &mut diagnostics,
    );
    let first = sources.len() as u32;
    // Each part in a list of its own: the positions (the bulk of the memory) are then
    // gathered in place, not copied once more.
    let (files, (mut read, (mut diags, ids))): Loads = positions
        .into_par_iter()
        .enumerate()
        .map(|(i, input)| {
            let (source, position, diags, id) = load_position(
                input,
                cwd,
                FileId(first + i as u32),
                &settings,
                &templates,
                &position_ids,
            );
            (source, (position, (diags, id)))
        })
        .unzip();
    let template_info = templates.info();
    drop(templates);

    let mut broken = Vec::new();
    sources.reserve(files.len());
    let mut seen: rustc_hash::FxHashMap<&str, FileId> =
        HashMap::with_capacity_and_hasher(ids.len(), Default::default());
    for (i, source) in files.into_iter().enumerate() {
        let file = sources.add(source);
        let id = ids[i].as_str();
        diagnostics.append(&mut diags[i]);
        if let Some(&other) = seen.get(id) {
            diagnostics.push(
                DUPLICATE_ID
                    .at(file, 0..0, format!("two position files are named `{id}`"))
                    .position(id)
                    .related(other, 0..0, "the other file")
                    .help(
                        "ids are file stems and must be unique across all folders: rename one file",
                    ),
            );
            read[i] = None;
            continue;
        }
        seen.insert(id, file);
        if read[i].is_none() {
            broken.push(id.to_string());
        }
    }
    // `filter_map` (unlike `flatten`) collects in place: the list of positions is not made
    // again (at 50,000 positions, 50 MB of fresh pages on one core).
    #[allow(clippy::filter_map_identity)]
    let positions: Vec<Position> = read.into_iter().filter_map(|p| p).collect();
    broken.sort();
    Loaded {
        org: Org::new(settings, positions),
        sources,
        diagnostics,
        broken,
        dir: dir.to_path_buf(),
        templates: template_info,
    }
}

/// What loading the position files gives, a list per part: the files, each one's position
/// (`None`: broken), its findings and its id.
type Loads = (
    Vec<SourceFile>,
    (Vec<Option<Position>>, (Vec<Vec<Diagnostic>>, Vec<String>)),
);

/// A file's id: its stem.
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The settings assumed when `_org.toml` is missing or unreadable.
fn fallback_settings(file: Option<FileId>) -> OrgSettings {
    let mut s = OrgSettings {
        file,
        levels: org::default_levels(0..0),
        confidential: vec!["pay_grade".into(), "pay_type".into()],
        ..Default::default()
    };
    s.reserved = org::builtin_reserved(&s);
    s
}

/// A position file found, or a link refused with (message, help) in place of its content.
type Found = (PathBuf, Option<(String, String)>);

/// Finds the position files under `dir` (extension `.toml` in any case). A symlink is followed
/// only when it resolves inside `root`, the positions folder; one that leaves it is reported
/// in place of the file and never read, so a link to a system file cannot have its lines
/// printed in diagnostics. Each real folder is visited once, whatever links lead to it.
fn collect(
    root: &Path,
    dir: &Path,
    visited: &mut HashSet<PathBuf>,
    out: &mut Vec<Found>,
) -> Result<(), LoadError> {
    let io = |source| LoadError::Io {
        path: display_path(dir),
        source,
    };
    // Each folder's entries by name, each sub-folder where its name sorts: the files come out
    // in the order of their paths, so the sort of the whole list finds it sorted.
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .map(|e| e.map(|e| (e.file_name(), e)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in entries {
        let name = name.to_string_lossy();
        if name.starts_with('_') || name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let is_toml = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"));
        let ty = entry.file_type().map_err(io)?;
        if ty.is_symlink() {
            if let Some(refusal) = outside(root, &path) {
                if is_toml || path.is_dir() {
                    out.push((path, Some(refusal)));
                }
                continue;
            }
            // Inside the folder: follow it.
            match std::fs::canonicalize(&path) {
                Ok(real) if real.is_dir() && visited.insert(real.clone()) => {
                    collect(root, &path, visited, out)?;
                }
                Ok(real) if real.is_file() && is_toml => out.push((path, None)),
                _ => {}
            }
        } else if ty.is_dir() {
            let real = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
            if visited.insert(real) {
                collect(root, &path, visited, out)?;
            }
        } else if ty.is_file() && is_toml {
            out.push((path, None));
        }
    }
    Ok(())
}

/// Why the symlink at `link` is not followed, when it resolves outside `root` (or nowhere).
fn outside(root: &Path, link: &Path) -> Option<(String, String)> {
    let shown = display_path(link);
    let help = "copy the file into the positions folder, or remove the link".to_string();
    match std::fs::canonicalize(link) {
        Ok(real) if real.starts_with(root) => None,
        Ok(real) => {
            let folder = if real.is_dir() {
                &real
            } else {
                real.parent().unwrap_or(&real)
            };
            Some((
                format!(
                    "`{shown}` is a symlink into `{}`, outside the positions folder: it is not \
                     read",
                    folder.display()
                ),
                help,
            ))
        }
        Err(_) => Some((
            format!("`{shown}` is a symlink to nothing (its target does not exist)"),
            help,
        )),
    }
}

pub(crate) type TextError = (String, String);

/// Decodes a file read as [`Input`]; the error says what is wrong with its bytes.
fn decode_input(input: Input, cwd: Option<&Path>) -> (SourceFile, Option<TextError>) {
    let display = display_path_in(&input.path, cwd);
    match input.bytes {
        Ok(bytes) => {
            let (text, err) = decode(bytes);
            (SourceFile::new(display, input.path, text), err)
        }
        Err(e) => (SourceFile::new(display, input.path, String::new()), Some(e)),
    }
}

/// UTF-8 with or without BOM; anything else is an error with the way to convert it.
fn decode(mut bytes: Vec<u8>) -> (String, Option<TextError>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return (
            String::new(),
            Some((
                "file is UTF-16, not UTF-8".into(),
                "save it as UTF-8 (in Notepad: Save as > Encoding: UTF-8)".into(),
            )),
        );
    }
    // One validation pass, vectorized (most of a position file is Chinese text, where the
    // standard library's check goes byte by byte); the error is described by the standard one.
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: the bytes were just validated as UTF-8.
        return (unsafe { String::from_utf8_unchecked(bytes) }, None);
    }
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(e) => {
            let (e, bytes) = (e.utf8_error(), e.into_bytes());
            let body = bytes.as_slice();
            let lossy = String::from_utf8_lossy(body).into_owned();
            let gbk = encoding_rs::GBK
                .decode_without_bom_handling_and_without_replacement(body)
                .is_some();
            let message = if gbk {
                format!(
                    "file is not UTF-8 (invalid byte at offset {}); it looks like GBK/GB2312",
                    e.valid_up_to()
                )
            } else {
                format!(
                    "file is not UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                )
            };
            let help = if gbk {
                "convert it: iconv -f GBK -t UTF-8 FILE > FILE.new, or save it as UTF-8 in your editor"
            } else {
                "save the file as UTF-8"
            };
            (lossy, Some((message, help.into())))
        }
    }
}

fn parse_toml<'s>(source: &'s SourceFile, sink: &mut Sink) -> Option<Table<'s>> {
    match doc::parse(&source.text) {
        Ok(t) => Some(t),
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            sink.fatal(
                span,
                format!("invalid TOML: {}", e.message().trim_end_matches('\n')),
                Some(
                    "see the position file format; values need quotes, lists need brackets".into(),
                ),
            );
            None
        }
    }
}

fn load_position(
    input: Input,
    cwd: Option<&Path>,
    file: FileId,
    settings: &OrgSettings,
    templates: &Templates<'_>,
    position_ids: &[String],
) -> (SourceFile, Option<Position>, Vec<Diagnostic>, String) {
    let id = stem(&input.path);
    let (source, text_err) = decode_input(input, cwd);
    let mut sink = Sink::new(file, Some(id.clone()));
    let mut position = None;
    if !valid_id(&id) {
        sink.fatal(
            0..0,
            format!("`{id}` is not a valid position id"),
            Some("rename the file: ids may contain letters, digits, `-` and `_` only".into()),
        );
    } else if let Some((message, help)) = text_err {
        sink.fatal(0..0, message, Some(help));
    } else if source.text.trim().is_empty() {
        sink.fatal(
            0..0,
            "file is empty".into(),
            Some(format!(
                "a position needs at least title, department and summary; \
                 `rolebook new {id} --title …` writes a complete one"
            )),
        );
    } else if let Some(table) = parse_toml(&source, &mut sink) {
        let (table, chain) = extend(table, templates, position_ids, &mut sink);
        position = position::read(
            &id,
            Fields::new(&table, 0..0, Name::Top, spec::POSITION),
            settings,
            &mut sink,
        );
        // Errors in the template's values were reported at the template, once.
        sink.diagnostics
            .retain(|d| d.source().is_none_or(|(f, _)| f == file));
        if let Some(p) = &mut position {
            p.templates = chain;
        }
    }
    (source, position, sink.diagnostics, id)
}

/// The position's table with the keys it does not set taken from the template it `extends`,
/// and the template chain; a position whose template is unknown or unusable is read alone,
/// leniently (its own errors are still reported), and is broken.
fn extend<'s>(
    mut table: Table<'s>,
    templates: &Templates<'s>,
    position_ids: &[String],
    sink: &mut Sink,
) -> (Table<'s>, Vec<String>) {
    let Some(v) = table.get(EXTENDS) else {
        return (table, Vec::new());
    };
    // Not text: `position::read` reports the type; what the template would give is unknown,
    // so missing keys are not reported on top.
    let Some(name) = v.get_ref().as_str() else {
        sink.lenient = true;
        return (table, Vec::new());
    };
    let name = name.to_string();
    match templates.lookup(&name) {
        Lookup::Found(t, chain) => {
            table = templates::merged(table, t);
            sink.extends = Some(name);
            (table, chain.to_vec())
        }
        Lookup::Broken => {
            sink.broken = true;
            sink.lenient = true;
            (table, Vec::new())
        }
        Lookup::Unknown => {
            let mut d =
                templates::unknown(sink.file, v.span(), &name, &templates.ids(), position_ids);
            if let Some(p) = &sink.position {
                d = d.position(p.clone());
            }
            sink.diagnostics.push(d);
            sink.broken = true;
            sink.lenient = true;
            (table, Vec::new())
        }
    }
}

/// Ids are Unicode letters, digits, `-` and `_`.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}
