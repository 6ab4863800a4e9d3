//! `rolebook build [DIR]`: load, check, refuse on errors, render the handbook, write it.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context as _;
use clap::ValueEnum;

use super::{Outcome, default_dir, print};
use crate::check::check_with;
use crate::diag::{self, HumanOptions, Severity, Summary, display_path};
use crate::load::load_dir;
use crate::model::Date;
use crate::pdf::FontSource;
use crate::render::html::{self, Templates};
use crate::render::view::Book;
use crate::render::{self, Edition, Options, files};
use crate::render::{docx, pdf};
use crate::util::number::plural;

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum To {
    /// one self-contained .html file (and pages with --split)
    Html,
    /// handbook.pdf: A4, fonts embedded
    Pdf,
    /// handbook.docx: the Word forms, for editing in Word, WPS or LibreOffice
    Docx,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Writes OUT/handbook.html and OUT/handbook.pdf (the public edition: \
handbook-public.html and handbook-public.pdf); with --split also OUT/handbook/index.html and \
one page per position. --to docx writes OUT/handbook.docx (handbook-public.docx), the forms \
for Word.\n\
The organization is checked first: errors stop the build (exit 1) unless --allow-errors.\n\
Exit codes: 0 written, 1 the organization has errors, 2 the tool could not run."
)]
pub struct Args {
    /// The positions folder
    #[arg(default_value_os_t = default_dir())]
    pub dir: PathBuf,
    /// Where to write the handbook
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Output formats, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,pdf")]
    pub to: Vec<To>,
    /// Which edition to write
    #[arg(long, value_enum, default_value_t = Edition::Internal)]
    pub edition: Edition,
    /// Build even when the organization has errors
    #[arg(long)]
    pub allow_errors: bool,
    /// A folder of templates replacing the built-in ones by name (handbook.html,
    /// position.html, style.css, …)
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Also write one page per position plus an index page (for an intranet)
    #[arg(long)]
    pub split: bool,
    /// The date on the cover (default: the newest analysis_date)
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<Date>,
    /// PDF: TrueType font files to use instead of the shipped Noto Sans SC
    #[arg(long, value_name = "REGULAR.ttf[,BOLD.ttf]")]
    pub font: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let loaded = load_dir(&args.dir)?;
    let fonts = FontSource::choose(args.font.as_deref(), &loaded.org.settings, &args.dir);
    // The characters are checked against the font the PDF is set in, if there is a PDF.
    let diagnostics = check_with(&loaded, args.to.contains(&To::Pdf).then_some(&fonts));
    let errors: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .cloned()
        .collect();
    let positions = loaded.org.positions.len() + loaded.broken.len();
    if !errors.is_empty() {
        let mut stderr = std::io::stderr().lock();
        if !args.allow_errors {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let text = diag::render_human(
                &errors,
                &loaded.sources,
                Summary::of(positions, &errors),
                HumanOptions { color },
            );
            let _ = write!(stderr, "{text}");
            let _ = writeln!(
                stderr,
                "error: refusing to build the handbook of `{}`: fix the errors above, or pass \
                 --allow-errors to build it anyway",
                display_path(&args.dir)
            );
            return Ok(Outcome::Findings);
        }
        let _ = writeln!(
            stderr,
            "warning: building despite {} (run `rolebook check {}` to see them)",
            plural(errors.len(), "error"),
            display_path(&args.dir)
        );
    }

    let options = Options {
        edition: args.edition,
        date: args.date,
        source_date: source_date_epoch(),
        split: args.split,
    };
    // One view of the handbook; every format lays out the same one.
    let book = Book::new(&loaded.org, &options)?;
    let count = plural(loaded.org.positions.len(), "position");
    let edition = options.edition.as_str();
    let mut lines = String::new();
    for to in dedup(&args.to) {
        match to {
            To::Pdf => {
                let path = pdf::write_handbook(&book, &fonts, &args.out)?;
                lines.push_str(&format!(
                    "wrote {} ({count}, {edition} edition)\n",
                    display_path(&path),
                ));
            }
            To::Docx => {
                let path = docx::write_handbook(&book, &args.out)?;
                lines.push_str(&format!(
                    "wrote {} ({count}, {edition} edition)\n",
                    display_path(&path),
                ));
            }
            To::Html => {
                let templates = Templates::load(args.templates.as_deref())?;
                let rendered = html::render_book(&book, options.split, &templates)?;
                let written = files::write(&args.out, &rendered)?;
                let main = written.first().context("the handbook rendered no file")?;
                lines.push_str(&format!(
                    "wrote {} ({count}, {edition} edition)\n",
                    display_path(main),
                ));
                if let Some(dir) = &rendered.split_dir {
                    lines.push_str(&format!(
                        "wrote {} ({} pages and index.html)\n",
                        display_path(&args.out.join(dir)),
                        written.len() - 2
                    ));
                }
            }
        }
    }
    print(&lines)?;
    Ok(Outcome::Ok)
}

fn dedup(to: &[To]) -> Vec<To> {
    let mut out: Vec<To> = Vec::new();
    for t in to {
        if !out.contains(t) {
            out.push(*t);
        }
    }
    out
}

/// `SOURCE_DATE_EPOCH` as a date, when set: reproducible builds pin the cover date with it.
pub(super) fn source_date_epoch() -> Option<Date> {
    let secs = std::env::var("SOURCE_DATE_EPOCH").ok()?;
    render::date_of_epoch(secs.trim().parse().ok()?)
}

fn parse_date(s: &str) -> Result<Date, String> {
    let bad = || format!("`{s}` is not a date: write YYYY-MM-DD, e.g. 2024-01-22");
    let parts: Vec<&str> = s.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let year: u16 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let day: u8 = d.parse().map_err(|_| bad())?;
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if day == 0 || day > days {
        return Err(bad());
    }
    Ok(Date { year, month, day })
}

#[cfg(test)]
mod tests {
    use super::parse_date;

    #[test]
    fn dates_must_be_real_calendar_days() {
        assert!(parse_date("2024-01-22").is_ok());
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("2024-1-22").is_err());
        assert!(parse_date("22/01/2024").is_err());
    }
}
