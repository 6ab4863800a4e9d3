//! PDF documents: one document model ([`Doc`]) and its two writers, with Chinese text done
//! right. The handbook ([`crate::render::pdf`]) and the KPI scorecards ([`crate::kpi::report`])
//! build a [`Doc`]; neither draws anything itself.
//!
//! Which writer for what, and why:
//!
//! * [`render()`] lays a document out with genpdf, the PDF crate the project was asked
//!   to use: the handbook, a few hundred pages at most. genpdf 0.2 out of the box drops
//!   unbreakable Chinese runs, embeds fonts whole and several times, and extracts some
//!   characters wrongly (`shared/notes/genpdf-cjk.md`); this module keeps it behind one door
//!   and fixes each problem.
//! * [`direct::write`] writes the same model without genpdf, for documents of tens of
//!   thousands of pages (the scorecards of 100,000 result rows): genpdf takes about 3 ms a
//!   page, this writer tens of µs.
//!
//! Every layout rule both writers follow lives once, in [`layout`] (page geometry, sizes,
//! borders, contents lines, drawings placed on the page) and [`text`] (line breaking and rich
//! text), with the fonts in [`fonts`]:
//!
//! * [`fonts`]: TrueType faces (the shipped Noto Sans SC, or the user's), format and
//!   coverage checks, subsetting to the characters used (allsorts);
//! * [`linebreak`]: UAX #14 line breaking with hard splits of over-long tokens;
//! * [`text`]: inline Markdown to styled runs, and the text element that draws them;
//! * [`layout`]: the [`Doc`] model (cover, contents, sections, bordered forms) and its
//!   two-pass rendering with page headers, "第 X 页 / 共 Y 页" footers and contents page numbers;
//! * [`postprocess`]: subset tags, ToUnicode rewrite, compression (lopdf);
//! * [`direct`]: a [`Doc`] written as PDF without genpdf, for documents of thousands of
//!   pages (KPI scorecards: genpdf takes about 3 ms a page, this writer tens of µs).
//!
//! Other documents build a [`Doc`] and call [`render()`] or [`direct::write`].

pub mod direct;
pub mod fonts;
pub mod layout;
pub mod linebreak;
mod postprocess;
mod render;
pub mod text;

use std::path::Path;

pub use fonts::{FontSource, Fonts};
pub use layout::{
    Bar, Block, Caption, Cover, Doc, Drawing, Form, FormCell, FormRow, Section, Stroke,
};
pub use render::render;
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

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// failed or interrupted write never leaves a partial file at `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PdfError> {
    crate::output::write_atomic(path, bytes).map_err(|source| PdfError::Write {
        path: path.display().to_string(),
        source,
    })
}
