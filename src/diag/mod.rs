//! Findings as data: [`Diagnostic`], [`Severity`], and the [`Sources`] they point into.
//!
//! Every stage (load, check) returns diagnostics; only the emitters in this module's
//! children turn them into text, and only `cli` decides where that text goes.

mod github;
mod human;
mod json;
pub mod origin;
mod sarif;

use rayon::prelude::*;
use std::ops::Range;
use std::path::{Path, PathBuf};

pub use github::render_github;
pub use human::{HumanOptions, escape_controls, render_human, render_human_findings};
pub use json::render_json;
pub use sarif::render_sarif;

/// Byte range in a source file.
pub type Span = Range<usize>;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Index of a file in [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A workbook cell a finding points at: `results.xlsx › Sheet1!D7`. Spreadsheets have no text
/// spans, so a cell is named, not underlined.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cell {
    /// The workbook as shown to the user.
    pub workbook: String,
    pub sheet: String,
    /// A1 notation (`D7`).
    pub cell: String,
}

impl Cell {
    /// `Sheet1!D7`.
    pub fn sheet_ref(&self) -> String {
        sheet_ref(&self.sheet, &self.cell)
    }
}

/// `Sheet1!D7`, quoting sheet names the way Excel does (`'Q1 results'!D7`).
pub fn sheet_ref(sheet: &str, cell: &str) -> String {
    let plain = !sheet.is_empty()
        && sheet
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if plain {
        format!("{sheet}!{cell}")
    } else {
        format!("'{}'!{cell}", sheet.replace('\'', "''"))
    }
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// A byte range in a file read this run (a position file, `_org.toml`).
    Source { file: FileId, span: Span },
    /// A cell of a workbook.
    Cell(Cell),
    /// A whole file that is not kept as source text (a workbook that cannot be read).
    File(String),
    /// No one place (a grade quota exceeded over a whole run).
    Nowhere,
}

impl Location {
    /// A place in the sources. Every source location is made here, so a span a position
    /// inherited from a template names the template's file ([`origin`]).
    pub fn source(file: FileId, span: Span) -> Location {
        let (file, span) = origin::resolve(file, span);
        Location::Source { file, span }
    }

    /// The workbook or file, for a location outside the sources.
    pub fn file_name(&self) -> Option<&str> {
        match self {
            Location::Cell(c) => Some(&c.workbook),
            Location::File(f) => Some(f),
            Location::Source { .. } | Location::Nowhere => None,
        }
    }

    /// The cell in A1 notation, for a workbook location.
    pub fn cell(&self) -> Option<&Cell> {
        match self {
            Location::Cell(c) => Some(c),
            _ => None,
        }
    }

    /// `results.xlsx › Sheet1!D7`, or `path/file.toml:3:9`: the place as the user reads it.
    pub fn place(&self, sources: Option<&Sources>) -> Option<String> {
        match self {
            Location::Source { file, span } => sources.map(|s| {
                let src = s.get(*file);
                let (line, col) = src.line_col(span.start);
                format!("{}:{line}:{col}", src.display)
            }),
            Location::Cell(c) => Some(format!("{} › {}", c.workbook, c.sheet_ref())),
            Location::File(f) => Some(f.clone()),
            Location::Nowhere => None,
        }
    }
}

/// A secondary location shown with a finding: the other copy, the superior's file, the rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub at: Location,
    pub message: String,
}

/// One finding: what is wrong, where, and how to fix it. Made from its rule in the registry
/// ([`crate::check::Rule::at`]), which gives the code and the default severity.
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub severity: Severity,
    /// The position (id) the finding is about, when it is about one.
    pub position: Option<String>,
    pub at: Location,
    pub message: String,
    /// Short label under the underlined source; empty for none.
    pub label: String,
    pub help: Vec<String>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    /// Only [`crate::check::Rule`] makes findings: the code and severity come from the registry.
    pub(crate) fn new(
        code: &'static str,
        severity: Severity,
        at: Location,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity,
            position: None,
            at,
            message: message.into(),
            label: String::new(),
            help: Vec::new(),
            related: Vec::new(),
        }
    }

    pub fn position(mut self, id: impl Into<String>) -> Self {
        self.position = Some(id.into());
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Another place in the sources involved.
    pub fn related(mut self, file: FileId, span: Span, message: impl Into<String>) -> Self {
        self.related.push(Related {
            at: Location::source(file, span),
            message: message.into(),
        });
        self
    }

    /// Another place anywhere (a workbook cell: the first copy of a duplicate row).
    pub fn related_at(mut self, at: Location, message: impl Into<String>) -> Self {
        self.related.push(Related {
            at,
            message: message.into(),
        });
        self
    }

    /// The place outside the sources (`results.xlsx › Sheet1!D7`), as the score outputs list
    /// it; `None` for a finding in a source file or nowhere.
    pub fn place(&self) -> Option<String> {
        self.at.place(None)
    }

    /// The source file and span, for a finding in the sources.
    pub fn source(&self) -> Option<(FileId, &Span)> {
        match &self.at {
            Location::Source { file, span } => Some((*file, span)),
            _ => None,
        }
    }
}

/// One file the findings can point into.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to the user (relative to where they stand when possible).
    pub display: String,
    pub path: PathBuf,
    /// The decoded text; empty when the file could not be decoded.
    pub text: String,
    /// Where each line starts, computed when a finding in the file is first printed: most
    /// files of a large organization have none.
    line_starts: std::sync::OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(display: String, path: PathBuf, text: String) -> Self {
        SourceFile {
            display,
            path,
            text,
            line_starts: std::sync::OnceLock::new(),
        }
    }

    fn line_starts(&self) -> &[usize] {
        self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1))
                .collect()
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let starts = self.line_starts();
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, column + 1)
    }

    /// The text of a 1-based line, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let starts = self.line_starts();
        let Some(&start) = starts.get(line - 1) else {
            return "";
        };
        let end = starts.get(line).copied().unwrap_or(self.text.len());
        self.text
            .get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// All files read in one run; diagnostics refer to them by [`FileId`].
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    /// Room for `n` more files, so a large organization's files are not copied as it grows.
    pub fn reserve(&mut self, n: usize) {
        self.files.reserve(n);
    }

    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// How a path is shown: relative to the current directory when it lies below it.
pub fn display_path(path: &Path) -> String {
    display_path_in(path, std::env::current_dir().ok().as_deref())
}

/// [`display_path`] with the current folder given (`None`: unknown), for a caller that shows
/// many paths.
pub fn display_path_in(path: &Path, cwd: Option<&Path>) -> String {
    let shown = cwd
        .and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path);
    let shown: PathBuf = shown
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    shown.to_string_lossy().replace('\\', "/")
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub positions: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(positions: usize, diagnostics: &[Diagnostic]) -> Self {
        let count = |s| diagnostics.iter().filter(|d| d.severity == s).count();
        Summary {
            positions,
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
        }
    }
}

/// Sorts diagnostics the way every output shows them: by file, then position in the file.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &Sources) {
    fn key<'a>(d: &'a Diagnostic, sources: &'a Sources) -> (&'a str, usize, Option<&'a Cell>) {
        match &d.at {
            Location::Source { file, span } => (&sources.get(*file).display, span.start, None),
            Location::Cell(c) => (&c.workbook, 0, Some(c)),
            Location::File(f) => (f, 0, None),
            Location::Nowhere => ("", 0, None),
        }
    }
    // Stable, as `sort_by`, over the cores: tens of thousands of findings compare by path.
    diagnostics.par_sort_by(|a, b| {
        key(a, sources)
            .cmp(&key(b, sources))
            .then(a.code.cmp(b.code))
            .then(a.message.cmp(&b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let f = SourceFile::new("a".into(), "a".into(), "a = 1\ntitle = \"客服\"\n".into());
        let off = f.text.find('服').unwrap();
        assert_eq!(f.line_col(off), (2, 11));
        assert_eq!(f.line_text(2), "title = \"客服\"");
        assert_eq!(f.line_col(0), (1, 1));
    }
}
