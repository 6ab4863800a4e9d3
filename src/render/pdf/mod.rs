//! The PDF handbook (genpdf), with Chinese text done right; the last stage of
//! `load -> check -> render`.
//!
//! genpdf 0.2 out of the box drops unbreakable Chinese runs, embeds fonts whole and several
//! times, and extracts some characters wrongly (`shared/notes/genpdf-cjk.md`). This module
//! keeps genpdf behind one door and fixes each problem:
//!
//! * [`fonts`]: TrueType faces (the shipped Noto Sans SC, or the user's), format and
//!   coverage checks, subsetting to the characters used (allsorts);
//! * [`linebreak`]: UAX #14 line breaking with hard splits of over-long tokens;
//! * [`text`]: inline Markdown to styled runs, and the text element that draws them;
//! * [`layout`]: the [`Doc`] model (cover, contents, sections, bordered forms) and its
//!   two-pass rendering with page headers, "第 X 页 / 共 Y 页" footers and contents page numbers;
//! * [`postprocess`]: subset tags, ToUnicode rewrite, compression (lopdf);
//! * [`handbook`]: the handbook view ([`crate::render::view::Book`]) as a [`Doc`];
//! * [`direct`]: a [`Doc`] written as PDF without genpdf, for documents of thousands of
//!   pages (KPI scorecards: genpdf takes about 3 ms a page, this writer tens of µs).
//!
//! Other documents build a [`Doc`] and call [`layout::render`] or [`direct::write`].

pub mod direct;
pub mod fonts;
pub mod handbook;
pub mod layout;
pub mod linebreak;
mod postprocess;
pub mod text;

use std::path::Path;

pub use fonts::{FontSource, Fonts};
pub use handbook::{handbook_doc, render_handbook};
pub use layout::{
    Block, Caption, Cover, Doc, Drawing, Form, FormCell, FormRow, Section, Stroke, render,
};
pub use text::{Emph, Para, Rich};

/// Why a PDF could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("failed to read font `{path}` ({source})")]
    FontRead {
        path: String,
        source: std::io::Error,
    },
    #[error("font `{font}` cannot be used: {why}")]
    FontFormat { font: String, why: String },
    #[error(
        "character '{ch}' (U+{:04X}) in {what} is not in font `{font}`; \
         rephrase it or give a font that has it with --font",
        *ch as u32
    )]
    MissingGlyph {
        what: String,
        ch: char,
        font: String,
    },
    #[error(transparent)]
    Handbook(#[from] crate::render::RenderError),
    #[error("failed to lay out the PDF ({0})")]
    Layout(String),
    #[error("failed to finish the PDF: {0}")]
    Finish(String),
    #[error("failed to write the PDF ({0})")]
    Io(#[from] std::io::Error),
    #[error("failed to write `{path}` ({source})")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Lays out a handbook view and writes it as `out_dir/handbook.pdf` (the public edition:
/// `handbook-public.pdf`), atomically; returns the path written.
pub fn write_handbook(
    book: &crate::render::view::Book,
    fonts: &FontSource,
    out_dir: &Path,
) -> Result<std::path::PathBuf, PdfError> {
    let fonts = Fonts::load(fonts)?;
    let doc = handbook_doc(book, &fonts)?;
    let bytes = render(&doc, &fonts)?;
    std::fs::create_dir_all(out_dir).map_err(|source| PdfError::Write {
        path: out_dir.display().to_string(),
        source,
    })?;
    let path = out_dir.join(format!("{}.pdf", book.edition.stem()));
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failed or interrupted write never leaves a partial file at `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PdfError> {
    crate::output::write_atomic(path, bytes).map_err(|source| PdfError::Write {
        path: path.display().to_string(),
        source,
    })
}
