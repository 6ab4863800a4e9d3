//! Rendering the handbook: one view ([`view::Book`]), laid out as HTML (tera, pulldown-cmark),
//! as PDF ([`pdf`], on the document model of [`crate::pdf`]) and as Word ([`docx`]).
//!
//! `load -> check -> render`: [`html::render`] turns an [`Org`](crate::model::Org) into the
//! files of a handbook (data in memory); [`files::write`] puts them on disk atomically.
//! [`pdf`] makes the PDF handbook from the same view.

mod chart;
pub mod docx;
pub mod files;
pub mod html;
pub mod labels;
pub mod pdf;
pub mod slug;
pub mod view;

use crate::model::Date;

/// Which handbook: everything, or without the `[confidential]` fields. The one edition type:
/// `--edition` parses into it, and the view, the HTML and the PDF read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Edition {
    /// every field
    #[default]
    Internal,
    /// without the fields listed in _org.toml [confidential] (pay_grade, pay_type by default)
    Public,
}

impl Edition {
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::Internal => "internal",
            Edition::Public => "public",
        }
    }

    /// The file stem of the edition's handbook: `handbook` or `handbook-public`.
    pub fn stem(self) -> &'static str {
        match self {
            Edition::Internal => "handbook",
            Edition::Public => "handbook-public",
        }
    }
}

/// What a build asks for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub edition: Edition,
    /// The cover date (`--date`); else the newest 岗位分析日期 is used.
    pub date: Option<Date>,
    /// The date of `SOURCE_DATE_EPOCH`, the last fallback for the cover date.
    pub source_date: Option<Date>,
    /// Also write one page per position and an index page.
    pub split: bool,
}

/// Why a handbook could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("`[confidential]` in _org.toml lists `{name}`, which is not a field ({hint})")]
    UnknownConfidential { name: String, hint: String },
    #[error("templates folder `{0}` does not exist")]
    TemplatesMissing(String),
    #[error("failed to read template `{path}` ({source})")]
    TemplateIo {
        path: String,
        source: std::io::Error,
    },
    #[error("`{path}` is not one of the templates ({hint})")]
    UnknownTemplate { path: String, hint: String },
    /// A template that does not parse or fails while rendering: tera's report, which names
    /// the template file, line and column.
    #[error("broken template: {0}")]
    Template(String),
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("failed to lay out the Word handbook ({0})")]
    Docx(String),
    #[error("failed to write `{path}` ({source})")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Escapes text for HTML and SVG (element content and quoted attributes).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The UTC calendar date of a Unix time (for `SOURCE_DATE_EPOCH`).
pub fn date_of_epoch(secs: i64) -> Option<Date> {
    // Howard Hinnant's days-to-civil algorithm.
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Some(Date {
        year: u16::try_from(year).ok()?,
        month: month as u8,
        day: day as u8,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_seconds_become_calendar_dates() {
        let d = |y, m, d| {
            Some(Date {
                year: y,
                month: m,
                day: d,
            })
        };
        assert_eq!(date_of_epoch(0), d(1970, 1, 1));
        assert_eq!(date_of_epoch(1_705_881_600), d(2024, 1, 22));
        assert_eq!(date_of_epoch(951_782_400), d(2000, 2, 29));
    }
}
