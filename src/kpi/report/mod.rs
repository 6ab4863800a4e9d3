//! [`Scored`] -> scorecards: `scorecards.html` (tera), `scorecards.pdf` (the handbook's
//! [`crate::pdf`] module), `scores.csv`, `scores.xlsx`, `scores.json`, each streamed
//! into a temporary file and renamed into place only when all of them were written
//! ([`Outputs::write_all`]).
//!
//! Figures are rounded only here, for people to read ([`round2`], [`num`]); the JSON, CSV and
//! XLSX carry the unrounded numbers (the XLSX shows them to 2 decimals with a number format).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::score::{KpiScore, Scorecard, Scored};
use crate::diag::{Diagnostic, Severity, display_path};
use crate::model::{Direction, Lang};
use crate::output::Staged;
use crate::pdf::{self, Block, Doc, Fonts, Form, FormCell, PdfError, Rich, Section};
use crate::util::number::{num, round_into, round2};
use crate::vocab::{self, Term};

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
        }
    }
}

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

// ---------------------------------------------------------------------------------------------
// JSON

#[derive(Serialize)]
struct JsonProblem<'a> {
    code: &'a str,
    severity: &'a str,
    file: Option<&'a str>,
    sheet: Option<&'a str>,
    cell: Option<&'a str>,
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    help: &'a Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related: Vec<String>,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    version: u32,
    scorecards: &'a [Scorecard],
    problems: Vec<JsonProblem<'a>>,
}

/// `scores.json` and `--format json`: unrounded numbers; `scorecards` is empty when there
/// are errors and `partial` is off.
pub fn json(scored: &Scored, partial: bool) -> String {
    let mut out = Vec::new();
    // Writing into memory fails only on a value serde_json cannot write (never here).
    if write_json(scored, partial, &mut out).is_err() {
        return "{}\n".into();
    }
    String::from_utf8(out).unwrap_or_else(|_| "{}\n".into())
}

/// [`json`], streamed to `w`.
pub fn write_json(scored: &Scored, partial: bool, mut w: impl Write) -> io::Result<()> {
    let cards: &[Scorecard] = if scored.errors() > 0 && !partial {
        &[]
    } else {
        &scored.scorecards
    };
    let out = JsonOut {
        version: 1,
        scorecards: cards,
        problems: scored
            .problems
            .iter()
            .map(|p| JsonProblem {
                code: p.code,
                severity: p.severity.as_str(),
                file: p.at.file_name(),
                sheet: p.at.cell().map(|c| c.sheet.as_str()),
                cell: p.at.cell().map(|c| c.cell.as_str()),
                message: &p.message,
                help: &p.help,
                related: p
                    .related
                    .iter()
                    .filter_map(|r| Some(format!("{}: {}", r.at.place(None)?, r.message)))
                    .collect(),
            })
            .collect(),
    };
    serde_json::to_writer_pretty(&mut w, &out)?;
    w.write_all(b"\n")
}

// ---------------------------------------------------------------------------------------------
// CSV

/// What a spreadsheet program reads as the start of a formula (OWASP "CSV injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field. Text that a spreadsheet would run as a formula (a name such as
/// `=HYPERLINK(…)` typed into a results workbook) gets a leading `'`, so it is shown as text;
/// in a `numeric` column a number (a negative one) stays a number.
fn csv_field(out: &mut String, s: &str, numeric: bool) {
    let guarded;
    let s = if s.starts_with(FORMULA_START) && !(numeric && s.parse::<f64>().is_ok()) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// One CSV row; the fields at the indices in `numeric` are numbers (or empty).
fn csv_row(out: &mut String, fields: &[&str], numeric: std::ops::Range<usize>) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f, numeric.contains(&i));
    }
    out.push_str("\r\n");
}

/// A number as plain CSV text (unrounded, shortest form), appended to `out`.
fn csv_num(out: &mut String, x: f64) {
    use std::fmt::Write as _;
    if x.is_finite() {
        let _ = write!(out, "{x}");
    }
}

/// `scores.csv`: UTF-8 with a BOM (so Excel reads the Chinese), one row per person and KPI;
/// skipped rows (with `--partial`) follow, each with its place and reason in the note column.
pub fn csv(scored: &Scored, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_csv(scored, lang, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The columns of `scores.csv` that hold numbers: weight to total.
const NUMERIC_COLUMNS: std::ops::Range<usize> = 8..17;

/// [`csv`], streamed to `w` a row at a time.
pub fn write_csv(scored: &Scored, lang: Lang, mut w: impl Write) -> io::Result<()> {
    let l = labels(lang);
    let mut out = String::from("\u{feff}");
    csv_row(
        &mut out,
        &[
            l.position_id,
            l.position,
            l.department,
            l.employee,
            l.period,
            l.kpi,
            l.unit,
            l.direction,
            l.weight,
            l.target,
            l.threshold,
            l.actual,
            l.achievement,
            l.score,
            l.total,
            l.grade,
            l.note,
        ],
        0..0,
    );
    // Numbers are written into one buffer and the fields sliced out of it, so a row costs
    // no allocation once the buffers have grown.
    let mut nums = String::new();
    for c in &scored.scorecards {
        let mut total = String::new();
        csv_num(&mut total, c.total);
        for k in &c.kpis {
            nums.clear();
            let mut ends = [0usize; 6];
            csv_num(&mut nums, k.weight);
            ends[0] = nums.len();
            match &k.target {
                serde_json::Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        if i > 0 {
                            nums.push('-');
                        }
                        csv_num(&mut nums, x.as_f64().unwrap_or(0.0));
                    }
                }
                v => {
                    if let Some(x) = v.as_f64() {
                        csv_num(&mut nums, x);
                    }
                }
            }
            ends[1] = nums.len();
            csv_num(&mut nums, k.threshold);
            ends[2] = nums.len();
            if let Some(a) = k.actual {
                csv_num(&mut nums, a);
            }
            ends[3] = nums.len();
            csv_num(&mut nums, k.achievement);
            ends[4] = nums.len();
            csv_num(&mut nums, k.score);
            ends[5] = nums.len();
            let field = |i: usize| &nums[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
            csv_row(
                &mut out,
                &[
                    &c.position,
                    &c.title,
                    &c.department,
                    c.employee.as_deref().unwrap_or(""),
                    &c.period,
                    &k.name,
                    k.unit.as_deref().unwrap_or(""),
                    k.direction,
                    field(0),
                    field(1),
                    field(2),
                    field(3),
                    field(4),
                    field(5),
                    &total,
                    c.grade.as_deref().unwrap_or(""),
                    if k.missing { l.no_data } else { "" },
                ],
                NUMERIC_COLUMNS,
            );
        }
        if out.len() > 1 << 16 {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for p in skipped(scored) {
        let note = format!(
            "{}: {} [{}] {}",
            l.skipped,
            p.place().unwrap_or_default(),
            p.code,
            p.message
        );
        let mut fields = vec![""; 16];
        fields.push(&note);
        csv_row(&mut out, &fields, 0..0);
    }
    w.write_all(out.as_bytes())
}

/// The rows left out under `--partial`: every error.
pub fn skipped(scored: &Scored) -> impl Iterator<Item = &Diagnostic> {
    scored
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
}

// ---------------------------------------------------------------------------------------------
// XLSX

fn header(ws: &mut Worksheet, cols: &[&str], widths: &[f64], f: &Format) -> Result<(), XlsxError> {
    for (i, h) in cols.iter().enumerate() {
        ws.write_string_with_format(0, i as u16, *h, f)?;
        ws.set_column_width(i as u16, widths.get(i).copied().unwrap_or(12.0))?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// `scores.xlsx`: a details sheet (one row per person and KPI), a totals sheet (one row per
/// person), and with `--partial` a sheet of skipped rows; numbers are numbers, the header is
/// frozen and filtered.
pub fn xlsx(scored: &Scored, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let mut out = io::Cursor::new(Vec::new());
    write_xlsx(scored, lang, None, &mut out)?;
    Ok(out.into_inner())
}

/// [`xlsx`], written to `w`. The two large sheets are in rust_xlsxwriter's constant-memory
/// mode: each row goes to a temporary file (in `tempdir`, else the system's) as soon as the
/// next one starts, and strings are stored in their cells rather than in a shared table, so
/// a run of any size holds one row in memory instead of every cell.
pub fn write_xlsx<W: Write + Send>(
    scored: &Scored,
    lang: Lang,
    tempdir: Option<&Path>,
    w: W,
) -> Result<(), XlsxError> {
    let l = labels(lang);
    let mut wb = Workbook::new();
    if let Some(dir) = tempdir {
        wb.set_tempdir(dir)?;
    }
    // Fast compression: the file is a little larger, written several times faster.
    wb.set_zip_compression_level(1);
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDCE6F1)
        .set_align(FormatAlign::Center);
    let two = Format::new().set_num_format("0.00");
    let pct = Format::new().set_num_format("0.00%");

    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(l.details_sheet)?;
    // Department, total and grade are on the totals sheet: not repeated on every KPI row.
    let cols = [
        l.position_id,
        l.position,
        l.employee,
        l.period,
        l.kpi,
        l.unit,
        l.direction,
        l.weight,
        l.target,
        l.threshold,
        l.actual,
        l.achievement,
        l.score,
        l.note,
    ];
    header(
        ws,
        &cols,
        &[
            16.0, 14.0, 10.0, 10.0, 18.0, 6.0, 10.0, 8.0, 10.0, 8.0, 10.0, 10.0, 8.0, 10.0,
        ],
        &head,
    )?;
    // Column formats, which the numbers written without one adopt: cheaper than a format per
    // cell (each one is hashed) in a sheet of a hundred thousand rows.
    ws.set_column_format(11, &pct)?;
    ws.set_column_format(12, &two)?;
    let mut r = 1u32;
    for c in &scored.scorecards {
        for k in &c.kpis {
            ws.write_string(r, 0, &c.position)?;
            ws.write_string(r, 1, &c.title)?;
            if let Some(e) = &c.employee {
                ws.write_string(r, 2, e)?;
            }
            ws.write_string(r, 3, &c.period)?;
            ws.write_string(r, 4, &k.name)?;
            if let Some(u) = &k.unit {
                ws.write_string(r, 5, u)?;
            }
            ws.write_string(r, 6, direction_label(k.direction, lang))?;
            ws.write_number(r, 7, k.weight)?;
            match &k.target {
                serde_json::Value::Number(n) => {
                    ws.write_number(r, 8, n.as_f64().unwrap_or(0.0))?;
                }
                serde_json::Value::Array(_) => {
                    ws.write_string(r, 8, target_text(k))?;
                }
                _ => {}
            }
            ws.write_number(r, 9, k.threshold)?;
            if let Some(a) = k.actual {
                ws.write_number(r, 10, a)?;
            }
            ws.write_number(r, 11, k.achievement)?;
            ws.write_number(r, 12, k.score)?;
            if k.missing {
                ws.write_string(r, 13, l.no_data)?;
            }
            r += 1;
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), cols.len() as u16 - 1)?;

    let ws = wb.add_worksheet_with_constant_memory()?;
    ws.set_name(l.totals_sheet)?;
    let cols = [
        l.rank,
        l.position_id,
        l.position,
        l.department,
        l.employee,
        l.period,
        l.total,
        l.grade,
    ];
    header(
        ws,
        &cols,
        &[6.0, 16.0, 14.0, 10.0, 10.0, 10.0, 8.0, 8.0],
        &head,
    )?;
    ws.set_column_format(6, &two)?;
    for (i, c) in scored.scorecards.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, r as f64)?;
        ws.write_string(r, 1, &c.position)?;
        ws.write_string(r, 2, &c.title)?;
        ws.write_string(r, 3, &c.department)?;
        if let Some(e) = &c.employee {
            ws.write_string(r, 4, e)?;
        }
        ws.write_string(r, 5, &c.period)?;
        ws.write_number(r, 6, c.total)?;
        if let Some(g) = &c.grade {
            ws.write_string(r, 7, g)?;
        }
    }
    ws.autofilter(
        0,
        0,
        (scored.scorecards.len() as u32).max(1),
        cols.len() as u16 - 1,
    )?;

    let skipped: Vec<&Diagnostic> = skipped(scored).collect();
    if !skipped.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(l.skipped_sheet)?;
        let cols = [l.place, l.code, l.message];
        header(ws, &cols, &[30.0, 18.0, 80.0], &head)?;
        for (i, p) in skipped.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, p.place().unwrap_or_default())?;
            ws.write_string(r, 1, p.code)?;
            ws.write_string(r, 2, &p.message)?;
        }
        ws.autofilter(0, 0, skipped.len() as u32, 2)?;
    }
    wb.save_to_writer(w)
}

// ---------------------------------------------------------------------------------------------
// HTML

const TEMPLATE: &str = include_str!("../../../templates/scorecards.html");

#[derive(Serialize)]
struct HtmlKpi<'a> {
    name: &'a str,
    direction: &'static str,
    weight: String,
    target: String,
    actual: String,
    achievement: String,
    score: String,
    missing: bool,
    cell: &'a str,
    /// Bar length and target marker, in percent of the bar's width (0 to cap).
    bar: String,
    mark: String,
    low: bool,
}

#[derive(Serialize)]
struct HtmlCard<'a> {
    anchor: String,
    rank: usize,
    title: &'a str,
    position: &'a str,
    department: &'a str,
    employee: &'a str,
    period: &'a str,
    total: String,
    grade: &'a str,
    bar: String,
    kpis: Vec<HtmlKpi<'a>>,
    file: &'a str,
}

#[derive(Serialize)]
struct HtmlRow<'a> {
    anchor: String,
    rank: usize,
    title: &'a str,
    employee: &'a str,
    period: &'a str,
    total: String,
    grade: &'a str,
    bar: String,
}

#[derive(Serialize)]
struct HtmlProblem {
    place: String,
    code: &'static str,
    message: String,
}

#[derive(Serialize)]
struct HtmlBand {
    label: String,
    min: String,
    at: String,
}

fn pct_of(x: f64, max: f64) -> String {
    if max <= 0.0 || !x.is_finite() {
        return "0".into();
    }
    round2((x / max * 100.0).clamp(0.0, 100.0))
}

/// `num(x)` followed by `%`, in one allocation.
fn percent_text(x: f64) -> String {
    let mut s = String::with_capacity(8);
    round_into(&mut s, x * 100.0, 2, true);
    s.push('%');
    s
}

const DASH: &str = "—";

fn html_card<'a>(c: &'a Scorecard, rank: usize, max: f64, l: &Labels, lang: Lang) -> HtmlCard<'a> {
    HtmlCard {
        anchor: format!("card-{rank}"),
        rank,
        title: &c.title,
        position: &c.position,
        department: &c.department,
        employee: c.employee.as_deref().unwrap_or(DASH),
        period: &c.period,
        total: round2(c.total),
        grade: c.grade.as_deref().unwrap_or(DASH),
        bar: pct_of(c.total, max),
        file: &c.file,
        kpis: c
            .kpis
            .iter()
            .map(|k| {
                let top = k.cap.max(1.0);
                HtmlKpi {
                    name: &k.name,
                    direction: direction_label(k.direction, lang),
                    weight: num(k.weight),
                    target: with_unit(target_text(k), &k.unit),
                    actual: match k.actual {
                        Some(a) => with_unit(num(a), &k.unit),
                        None => l.no_data.to_string(),
                    },
                    achievement: if k.missing {
                        DASH.into()
                    } else {
                        percent_text(k.achievement)
                    },
                    score: round2(k.score),
                    missing: k.missing,
                    cell: k.cell.as_deref().unwrap_or(""),
                    bar: pct_of(k.achievement.clamp(0.0, top), top),
                    mark: pct_of(1.0, top),
                    low: k.achievement < 0.6,
                }
            })
            .collect(),
    }
}

/// The same escaping as tera's own (`& < > " '`), a run of plain bytes at a time instead
/// of one write per byte: the cards of a large run are tens of megabytes of text.
fn escape_html(input: &str, w: &mut dyn Write) -> io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        w.write_all(&bytes[start..i])?;
        w.write_all(rep)?;
        start = i + 1;
    }
    w.write_all(&bytes[start..])
}

/// Cards rendered by one template call: small enough that no call holds much as template
/// values, large enough that the per-call cost does not show. (Each call's text starts with
/// a blank line: changing this moves blank lines in the page.)
const CARDS_PER_RENDER: usize = 500;

/// `scorecards.html`: one self-contained page (inline CSS and SVG, no scripts), summary
/// first, then one card per person, each card on its own page when printed.
pub fn html(scored: &Scored, org_name: Option<&str>, lang: Lang) -> Result<String, ReportError> {
    let mut out = Vec::new();
    write_html(scored, org_name, lang, &mut out)?;
    String::from_utf8(out).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e).into())
}

/// [`html`], streamed to `w`: the one template in three parts (head and summary, cards,
/// end), the cards rendered a few hundred at a time, side by side on the cores, and written
/// in order, so a large run never holds all its cards as template values or as text.
pub fn write_html(
    scored: &Scored,
    org_name: Option<&str>,
    lang: Lang,
    mut w: impl Write,
) -> Result<(), ReportError> {
    let l = labels(lang);
    let max = scored.max_total.max(1.0);
    let bands: Vec<HtmlBand> = scored
        .scoring
        .bands
        .iter()
        .filter(|b| b.min > 0.0)
        .map(|b| HtmlBand {
            label: b.label.clone(),
            min: num(b.min),
            at: pct_of(b.min, max),
        })
        .collect();
    let to_problem = |p: &Diagnostic| HtmlProblem {
        place: p.place().unwrap_or_default(),
        code: p.code,
        message: p.message.clone(),
    };
    let skipped: Vec<HtmlProblem> = skipped(scored).map(to_problem).collect();
    let warnings: Vec<HtmlProblem> = scored
        .problems
        .iter()
        .filter(|p| p.severity != Severity::Error)
        .map(to_problem)
        .collect();
    let mut periods: Vec<&str> = scored
        .scorecards
        .iter()
        .map(|c| c.period.as_str())
        .collect();
    periods.sort_unstable();
    periods.dedup();

    // The grade lines are the same on every summary bar: built once, numbers only.
    let band_lines: String = bands
        .iter()
        .map(|b| format!("<line x1=\"{0}\" x2=\"{0}\" y2=\"10\"/>", b.at))
        .collect();
    let summary: Vec<HtmlRow> = scored
        .scorecards
        .iter()
        .enumerate()
        .map(|(i, c)| HtmlRow {
            anchor: format!("card-{}", i + 1),
            rank: i + 1,
            title: &c.title,
            employee: c.employee.as_deref().unwrap_or(DASH),
            period: &c.period,
            total: round2(c.total),
            grade: c.grade.as_deref().unwrap_or(DASH),
            bar: pct_of(c.total, max),
        })
        .collect();

    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.set_escape_fn(escape_html);
    tera.add_raw_template("scorecards.html", TEMPLATE)?;
    let mut ctx = tera::Context::new();
    ctx.insert("l", l);
    ctx.insert("lang", vocab::lang_tag(lang));
    ctx.insert("org", &org_name.unwrap_or(""));
    ctx.insert("periods", &periods.join(", "));
    ctx.insert("count", &scored.scorecards.len());
    ctx.insert("bands", &bands);
    ctx.insert("band_lines", &band_lines);
    ctx.insert("max_total", &num(max));
    ctx.insert("skipped", &skipped);
    ctx.insert("warnings", &warnings);
    ctx.insert("part", "head");
    ctx.insert("summary", &summary);
    drop(summary);
    tera.render_to("scorecards.html", &ctx, &mut w)?;
    ctx.remove("summary");

    // The cards part reads only `l` and `cards`.
    let render_cards = |first: usize, cards: &[Scorecard]| -> Result<Vec<u8>, tera::Error> {
        let cards: Vec<HtmlCard> = cards
            .iter()
            .enumerate()
            .map(|(i, c)| html_card(c, first + i + 1, max, l, lang))
            .collect();
        let mut ctx = tera::Context::new();
        ctx.insert("l", l);
        ctx.insert("part", "cards");
        ctx.insert("cards", &cards);
        drop(cards);
        let mut buf = Vec::with_capacity(CARDS_PER_RENDER * 3000);
        tera.render_to("scorecards.html", &ctx, &mut buf)?;
        Ok(buf)
    };
    let batch = CARDS_PER_RENDER * rayon::current_num_threads().max(1) * 2;
    for (b, cards) in scored.scorecards.chunks(batch).enumerate() {
        let parts: Vec<Result<Vec<u8>, tera::Error>> = cards
            .par_chunks(CARDS_PER_RENDER)
            .enumerate()
            .map(|(i, chunk)| render_cards(b * batch + i * CARDS_PER_RENDER, chunk))
            .collect();
        for part in parts {
            w.write_all(&part?)?;
        }
    }

    ctx.insert("part", "end");
    tera.render_to("scorecards.html", &ctx, &mut w)?;
    w.flush()?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// PDF

/// `scorecards.pdf` as a document of the handbook's PDF module, less the scorecards (made one
/// at a time by [`card_section`]): title, footer and, with `--partial`, a first page listing
/// the skipped rows.
pub fn pdf_frame(scored: &Scored, org_name: Option<&str>, lang: Lang) -> Doc {
    let l = labels(lang);
    let zh = lang == Lang::Zh;
    let org = org_name.unwrap_or("").trim();
    let title = if org.is_empty() {
        l.title.to_string()
    } else if zh {
        format!("{org} {}", l.title)
    } else {
        format!("{org} · {}", l.title)
    };
    let mut sections = Vec::new();

    let skipped: Vec<&Diagnostic> = skipped(scored).collect();
    if !skipped.is_empty() {
        let mut form = Form::new(vec![2.2, 1.1, 3.7]);
        form.row_kept_with_next(vec![
            FormCell::label(l.place),
            FormCell::label(l.code),
            FormCell::label(l.message),
        ]);
        for p in &skipped {
            form.row(vec![
                FormCell::value(Rich::plain(&gbk_safe(&p.place().unwrap_or_default()))),
                FormCell::value(Rich::plain(p.code)),
                FormCell::value(Rich::plain(&gbk_safe(&p.message))),
            ]);
        }
        sections.push(Section {
            name: l.skipped.to_string(),
            blocks: vec![Block::Title(l.skipped.to_string()), Block::Form(form)],
        });
    }

    Doc {
        title,
        cover: None,
        toc_title: None,
        sections,
        footer: Term::PageFooter.text(lang).into(),
    }
}

/// One person's page of `scorecards.pdf`: who, position and period, a bordered table of the
/// KPIs with the same figures as the HTML, total and grade.
pub fn card_section(c: &Scorecard, lang: Lang) -> Section {
    let l = labels(lang);
    let colon = Term::Colon.text(lang);
    let employee = c.employee.as_deref().unwrap_or(DASH);
    let mut form = Form::new(vec![3.0, 1.3, 1.5, 1.5, 1.3, 0.9, 1.1]);
    form.row_kept_with_next(
        [
            l.kpi,
            l.direction,
            l.target,
            l.actual,
            l.achievement,
            l.weight,
            l.score,
        ]
        .map(FormCell::label)
        .to_vec(),
    );
    for k in &c.kpis {
        let plain = |s: &str| FormCell::value(Rich::plain(s));
        form.row(vec![
            plain(&k.name),
            plain(direction_label(k.direction, lang)),
            plain(&gbk_safe(&with_unit(target_text(k), &k.unit))),
            match k.actual {
                Some(a) => plain(&with_unit(num(a), &k.unit)),
                // Bold, so a missing result stands out on paper.
                None => FormCell::value(Rich::bold(l.no_data)),
            },
            plain(&if k.missing {
                DASH.to_string()
            } else {
                percent_text(k.achievement)
            }),
            plain(&num(k.weight)),
            plain(&round2(k.score)),
        ]);
    }
    form.row(vec![
        FormCell::label(l.total).spanning(6),
        FormCell::value(Rich::bold(&round2(c.total))),
    ]);
    form.row(vec![
        FormCell::label(l.grade).spanning(6),
        FormCell::value(Rich::bold(c.grade.as_deref().unwrap_or(DASH))),
    ]);
    let heading = format!("{employee} · {}", c.title);
    let meta = format!(
        "{}{colon}{} ({}, {}) · {}{colon}{}",
        l.position, c.title, c.position, c.department, l.period, c.period
    );
    Section {
        name: heading.clone(),
        blocks: vec![
            Block::Title(heading),
            Block::Text(Rich::plain(&meta)),
            Block::Space(2.0),
            Block::Form(form),
            Block::Space(2.0),
            Block::Text(Rich::plain(&gbk_safe(l.formula))),
        ],
    }
}

/// The typographic characters of the other outputs that GBK (the shipped font) lacks, as
/// ASCII: the minus sign and en dash as `-`, the `›` between workbook and cell as `>`.
fn gbk_safe(s: &str) -> String {
    s.replace(['\u{2212}', '\u{2013}'], "-")
        .replace('\u{203a}', ">")
}

/// `scorecards.pdf` ([`pdf_frame`], then a [`card_section`] per person) rendered with `fonts`
/// and written to `w`. It is written directly, not with genpdf: see [`pdf::direct`].
pub fn write_pdf(
    scored: &Scored,
    org_name: Option<&str>,
    lang: Lang,
    fonts: &Fonts,
    mut w: impl Write,
) -> Result<(), ReportError> {
    let frame = pdf_frame(scored, org_name, lang);
    let cards = &scored.scorecards;
    pdf::direct::write_with(
        &frame,
        cards.len(),
        |i| card_section(&cards[i], lang),
        fonts,
        &mut w,
    )?;
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_a_formula_is_quoted_and_numbers_stay_numbers() {
        let row = |fields: &[&str]| {
            let mut out = String::new();
            csv_row(&mut out, fields, 1..2);
            out
        };
        assert_eq!(row(&["=1+1", "-2.5"]), "'=1+1,-2.5\r\n");
        assert_eq!(row(&["-2.5", "-5-3"]), "'-2.5,'-5-3\r\n");
        assert_eq!(row(&["@SUM(A1)", ""]), "'@SUM(A1),\r\n");
        assert_eq!(row(&["+1", "\tx"]), "'+1,'\tx\r\n");
        assert_eq!(row(&["\r=x", "3"]), "\"'\r=x\",3\r\n");
        assert_eq!(row(&["张三", "90"]), "张三,90\r\n");
    }
}
