//! [`Scored`] -> scorecards: `scorecards.html` (tera), `scorecards.pdf` (the handbook's
//! [`crate::pdf`] module), `scores.csv`, `scores.xlsx`, `scores.json`, each streamed
//! into a temporary file and renamed into place only when all of them were written
//! ([`Outputs::write_all`]).
//!
//! Figures are rounded only here, for people to read, by one rule ([`crate::util::number`]:
//! half away from zero, [`PLACES`] decimals; an achievement, shown as a percentage, keeps
//! [`SHARE_PLACES`] as a ratio): the HTML and PDF show them so, and the CSV and XLSX hold the
//! same rounded numbers ([`figure`], [`share`]); only the JSON carries full precision.
//! What the HTML and PDF show is one view ([`view`]): both only lay it out.
//!
//! This module holds what the outputs share (file names, [`Labels`], the texts of a KPI's
//! figures, [`skipped`]) and [`Outputs`], which writes them all; each format is in its own file.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_xlsxwriter::XlsxError;
use serde::Serialize;

use super::score::{KpiScore, Scored};
use crate::diag::{Diagnostic, Severity, display_path};
use crate::model::{Direction, Lang};
use crate::output::Staged;
use crate::pdf::{Fonts, PdfError};
use crate::util::number::{num, round_into, rounded};
use crate::vocab::Term;

mod csv;
mod html;
mod json;
mod pdf;
mod view;
mod xlsx;

pub use self::csv::{csv, write_csv};
pub use self::html::{html, write_html};
pub use self::json::{json, write_json};
pub use self::pdf::{card_section, pdf_frame, ranking_section, skipped_section, write_pdf};
pub use self::view::{Card, Overview};
pub use self::xlsx::{write_xlsx, xlsx};

/// The file names written.
pub const HTML: &str = "scorecards.html";
pub const PDF: &str = "scorecards.pdf";
pub const CSV: &str = "scores.csv";
pub const XLSX: &str = "scores.xlsx";
pub const JSON: &str = "scores.json";

/// A failure to build or write an output.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("failed to render the template ({0})")]
    Template(#[from] tera::Error),
    #[error("failed to build the workbook ({0})")]
    Xlsx(#[from] XlsxError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// Labels in outputs, by the organization's `lang` (`{{ l.total }}` in the HTML template).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Labels {
    pub title: &'static str,
    pub summary: &'static str,
    pub rank: &'static str,
    pub position: &'static str,
    pub position_id: &'static str,
    pub department: &'static str,
    pub employee: &'static str,
    pub period: &'static str,
    pub total: &'static str,
    pub grade: &'static str,
    pub kpi: &'static str,
    pub unit: &'static str,
    pub direction: &'static str,
    pub target: &'static str,
    pub threshold: &'static str,
    pub actual: &'static str,
    pub achievement: &'static str,
    pub weight: &'static str,
    pub score: &'static str,
    pub note: &'static str,
    pub no_data: &'static str,
    pub skipped: &'static str,
    pub warnings: &'static str,
    pub people: &'static str,
    pub formula: &'static str,
    pub details_sheet: &'static str,
    pub totals_sheet: &'static str,
    pub skipped_sheet: &'static str,
    pub place: &'static str,
    pub code: &'static str,
    pub message: &'static str,
    pub form: &'static str,
    pub employee_id: &'static str,
    pub rater: &'static str,
    pub comments: &'static str,
    pub sign_employee: &'static str,
    pub sign_rater: &'static str,
    pub date: &'static str,
    pub grade_distribution: &'static str,
    pub count: &'static str,
    pub share: &'static str,
    pub quota: &'static str,
    pub over_quota: &'static str,
    pub calibration: &'static str,
    pub by_department: &'static str,
    pub by_rater: &'static str,
    pub mean: &'static str,
    pub stdev: &'static str,
    pub flag: &'static str,
    pub calibration_rule: &'static str,
    pub colon: &'static str,
}

pub const ZH: Labels = Labels::of_lang(Lang::Zh);
pub const EN: Labels = Labels::of_lang(Lang::En);

impl Labels {
    /// The labels of `lang`, each the text of its [`Term`]: the same words as the handbook's
    /// where they name the same thing (岗位名称, 所在部门, 指标名称, 权重 …).
    const fn of_lang(lang: Lang) -> Labels {
        Labels {
            title: Term::ScorecardsTitle.text(lang),
            summary: Term::Overview.text(lang),
            rank: Term::Rank.text(lang),
            position: Term::PositionTitle.text(lang),
            position_id: Term::PositionId.text(lang),
            department: Term::Department.text(lang),
            employee: Term::Employee.text(lang),
            period: Term::Period.text(lang),
            total: Term::Total.text(lang),
            grade: Term::Grade.text(lang),
            kpi: Term::KpiName.text(lang),
            unit: Term::Unit.text(lang),
            direction: Term::Direction.text(lang),
            target: Term::Target.text(lang),
            threshold: Term::Threshold.text(lang),
            actual: Term::Actual.text(lang),
            achievement: Term::Achievement.text(lang),
            weight: Term::Weight.text(lang),
            score: Term::Score.text(lang),
            note: Term::Notes.text(lang),
            no_data: Term::NoData.text(lang),
            skipped: Term::SkippedRows.text(lang),
            warnings: Term::Warnings.text(lang),
            people: Term::People.text(lang),
            formula: Term::Formula.text(lang),
            details_sheet: Term::DetailsSheet.text(lang),
            totals_sheet: Term::TotalsSheet.text(lang),
            skipped_sheet: Term::SkippedSheet.text(lang),
            place: Term::Place.text(lang),
            code: Term::ProblemCode.text(lang),
            message: Term::Message.text(lang),
            form: Term::AppraisalForm.text(lang),
            employee_id: Term::EmployeeId.text(lang),
            rater: Term::Rater.text(lang),
            comments: Term::Comments.text(lang),
            sign_employee: Term::SignatureEmployee.text(lang),
            sign_rater: Term::SignatureRater.text(lang),
            date: Term::Date.text(lang),
            grade_distribution: Term::GradeDistribution.text(lang),
            count: Term::PeopleCount.text(lang),
            share: Term::Share.text(lang),
            quota: Term::Quota.text(lang),
            over_quota: Term::OverQuota.text(lang),
            calibration: Term::Calibration.text(lang),
            by_department: Term::ByDepartment.text(lang),
            by_rater: Term::ByRater.text(lang),
            mean: Term::Mean.text(lang),
            stdev: Term::Stdev.text(lang),
            flag: Term::Flag.text(lang),
            calibration_rule: Term::CalibrationRule.text(lang),
            colon: Term::Colon.text(lang),
        }
    }
}

/// The scorecards' labels in `lang`, built from the vocabulary.
pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// 越高越好 / higher … for a KPI's direction as the scorecard carries it (`"higher"` …).
fn direction_label(d: &str, lang: Lang) -> &'static str {
    Term::direction(Direction::parse(d).unwrap_or_default()).text(lang)
}

/// Decimals a figure (weight, target, actual, score, total, mean) is shown with.
pub const PLACES: usize = 2;
/// Decimals of an achievement as a ratio: shown as a percentage with [`PLACES`] decimals.
pub const SHARE_PLACES: usize = PLACES + 2;

/// A figure as shown, as a number (CSV, XLSX cells).
pub fn figure(x: f64) -> f64 {
    rounded(x, PLACES)
}

/// An achievement as shown (`102.22%` is 1.0222), as a number.
pub fn share(x: f64) -> f64 {
    rounded(x, SHARE_PLACES)
}

/// `90`, `[25, 35]` as text.
fn target_text(k: &KpiScore) -> String {
    match &k.target {
        serde_json::Value::Number(n) => num(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::Array(a) => {
            let v: Vec<String> = a.iter().map(|x| num(x.as_f64().unwrap_or(0.0))).collect();
            v.join("–")
        }
        _ => "—".into(),
    }
}

fn with_unit(v: String, unit: &Option<String>) -> String {
    match unit.as_deref().map(str::trim) {
        Some("%") => format!("{v}%"),
        Some(u) if !u.is_empty() => format!("{v} {u}"),
        _ => v,
    }
}

/// `num(x)` followed by `%`, in one allocation.
fn percent_text(x: f64) -> String {
    let mut s = String::with_capacity(8);
    round_into(&mut s, x * 100.0, PLACES, true);
    s.push('%');
    s
}

/// Shown for a figure that has no value (no employee, no grade, no achievement).
const DASH: &str = "—";

/// The rows left out under `--partial`: every error.
pub fn skipped(scored: &Scored) -> impl Iterator<Item = &Diagnostic> {
    scored
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
}

// ---------------------------------------------------------------------------------------------
// Writing

/// The outputs of a run, each streamed into a temporary file beside its final name
/// ([`Staged`]), all of them side by side, and renamed into place only when every one was
/// written: a failure leaves the previous scorecards untouched, and no output is ever held
/// whole in memory.
pub struct Outputs;

impl Outputs {
    pub fn write_all(
        scored: &Scored,
        org_name: Option<&str>,
        lang: Lang,
        partial: bool,
        fonts: &Fonts,
        dir: &Path,
    ) -> anyhow::Result<Vec<PathBuf>> {
        use anyhow::Context as _;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
        let build = |name: &'static str| -> anyhow::Result<Staged> {
            let path = dir.join(name);
            let written = (|| -> Result<Staged, ReportError> {
                let staged = Staged::new(&path)?;
                let mut w = io::BufWriter::with_capacity(1 << 17, staged.file());
                match name {
                    HTML => write_html(scored, org_name, lang, &mut w)?,
                    PDF => write_pdf(scored, org_name, lang, fonts, &mut w)?,
                    XLSX => write_xlsx(scored, lang, Some(dir), &mut w)?,
                    CSV => write_csv(scored, lang, &mut w)?,
                    _ => write_json(scored, partial, &mut w)?,
                }
                w.flush()?;
                drop(w);
                Ok(staged)
            })();
            written.with_context(|| format!("failed to write `{}`", display_path(&path)))
        };
        // Every output is staged before any is renamed into place; a failure drops the staged
        // files (removing them) and leaves the previous scorecards as they were.
        let results: Vec<anyhow::Result<Staged>> = [HTML, PDF, XLSX, CSV, JSON]
            .into_par_iter()
            .map(build)
            .collect();
        let staged = results
            .into_iter()
            .collect::<anyhow::Result<Vec<Staged>>>()?;
        let mut written = Vec::new();
        for s in staged {
            let path = s.path().to_path_buf();
            s.commit()
                .with_context(|| format!("failed to write `{}`", display_path(&path)))?;
            written.push(path);
        }
        Ok(written)
    }
}
