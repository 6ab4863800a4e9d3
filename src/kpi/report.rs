//! [`Scored`] -> scorecards: `scorecards.html` (tera), `scores.csv`, `scores.xlsx`,
//! `scores.json`, each built in memory and written atomically (temp file + rename).
//!
//! Figures are rounded only here, for people to read ([`round2`], [`num`]); the JSON, CSV and
//! XLSX carry the unrounded numbers (the XLSX shows them to 2 decimals with a number format).

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};
use serde::Serialize;

use super::Problem;
use super::score::{KpiScore, Scorecard, Scored, num, round2};
use crate::diag::Severity;
use crate::model::{Direction, Lang};

/// The file names written.
pub const HTML: &str = "scorecards.html";
pub const PDF: &str = "scorecards.pdf";
pub const CSV: &str = "scores.csv";
pub const XLSX: &str = "scores.xlsx";
pub const JSON: &str = "scores.json";

/// Labels in outputs, by the organization's `lang`.
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

pub const ZH: Labels = Labels {
    title: "绩效考核计分卡",
    summary: "总览",
    rank: "名次",
    position: "岗位",
    position_id: "岗位编号",
    department: "部门",
    employee: "姓名",
    period: "期间",
    total: "总分",
    grade: "等级",
    kpi: "指标",
    unit: "单位",
    direction: "方向",
    target: "目标值",
    threshold: "零分值",
    actual: "实际值",
    achievement: "达成率",
    weight: "权重",
    score: "得分",
    note: "备注",
    no_data: "无数据",
    skipped: "跳过的行",
    warnings: "提示",
    people: "人",
    formula: "达成率 a = (实际 − 零分值) ÷ (目标 − 零分值)；得分 = 权重 × min(max(a, 0), 封顶)",
    details_sheet: "明细",
    totals_sheet: "总分",
    skipped_sheet: "跳过",
    place: "位置",
    code: "代码",
    message: "说明",
};

pub const EN: Labels = Labels {
    title: "KPI scorecards",
    summary: "Summary",
    rank: "Rank",
    position: "Position",
    position_id: "Position id",
    department: "Department",
    employee: "Employee",
    period: "Period",
    total: "Total",
    grade: "Grade",
    kpi: "KPI",
    unit: "Unit",
    direction: "Direction",
    target: "Target",
    threshold: "Zero at",
    actual: "Actual",
    achievement: "Achievement",
    weight: "Weight",
    score: "Score",
    note: "Note",
    no_data: "no data",
    skipped: "Skipped rows",
    warnings: "Warnings",
    people: "people",
    formula: "achievement a = (actual − zero) ÷ (target − zero); score = weight × min(max(a, 0), cap)",
    details_sheet: "Details",
    totals_sheet: "Totals",
    skipped_sheet: "Skipped",
    place: "Place",
    code: "Code",
    message: "Message",
};

pub fn labels(lang: Lang) -> &'static Labels {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

fn direction_label(d: &str, lang: Lang) -> &'static str {
    let zh = lang == Lang::Zh;
    match Direction::parse(d) {
        Some(Direction::Lower) if zh => "越低越好",
        Some(Direction::Rating) if zh => "评分",
        Some(Direction::Band) if zh => "区间",
        Some(_) if zh => "越高越好",
        Some(Direction::Lower) => "lower",
        Some(Direction::Rating) => "rating",
        Some(Direction::Band) => "band",
        _ => "higher",
    }
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
                file: p.file.as_deref().filter(|f| !f.is_empty()),
                sheet: p.sheet.as_deref(),
                cell: p.cell.as_deref(),
                message: &p.message,
                help: &p.help,
                related: p
                    .also
                    .iter()
                    .map(|(f, c, n)| format!("{f} › {c}: {n}"))
                    .collect(),
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------------
// CSV

fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

fn csv_row(out: &mut String, fields: &[&str]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f);
    }
    out.push_str("\r\n");
}

/// A number as plain CSV text (unrounded, shortest form).
fn csv_num(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        String::new()
    }
}

/// `scores.csv`: UTF-8 with a BOM (so Excel reads the Chinese), one row per person and KPI;
/// skipped rows (with `--partial`) follow, each with its place and reason in the note column.
pub fn csv(scored: &Scored, lang: Lang) -> String {
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
    );
    for c in &scored.scorecards {
        for k in &c.kpis {
            let target = match &k.target {
                serde_json::Value::Array(a) => a
                    .iter()
                    .map(|x| csv_num(x.as_f64().unwrap_or(0.0)))
                    .collect::<Vec<_>>()
                    .join("-"),
                v => v.as_f64().map(csv_num).unwrap_or_default(),
            };
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
                    &csv_num(k.weight),
                    &target,
                    &csv_num(k.threshold),
                    &k.actual.map(csv_num).unwrap_or_default(),
                    &csv_num(k.achievement),
                    &csv_num(k.score),
                    &csv_num(c.total),
                    c.grade.as_deref().unwrap_or(""),
                    if k.missing { l.no_data } else { "" },
                ],
            );
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
        csv_row(&mut out, &fields);
    }
    out
}

/// The rows left out under `--partial`: every error.
pub fn skipped(scored: &Scored) -> impl Iterator<Item = &Problem> {
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
    let l = labels(lang);
    let mut wb = Workbook::new();
    // Fast compression: the file is a little larger, written several times faster.
    wb.set_zip_compression_level(1);
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDCE6F1)
        .set_align(FormatAlign::Center);
    let two = Format::new().set_num_format("0.00");
    let pct = Format::new().set_num_format("0.00%");

    let ws = wb.add_worksheet();
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
            ws.write_number_with_format(r, 11, k.achievement, &pct)?;
            ws.write_number_with_format(r, 12, k.score, &two)?;
            if k.missing {
                ws.write_string(r, 13, l.no_data)?;
            }
            r += 1;
        }
    }
    ws.autofilter(0, 0, r.saturating_sub(1).max(1), cols.len() as u16 - 1)?;

    let ws = wb.add_worksheet();
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
        ws.write_number_with_format(r, 6, c.total, &two)?;
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

    let skipped: Vec<&Problem> = skipped(scored).collect();
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
    wb.save_to_buffer()
}

// ---------------------------------------------------------------------------------------------
// HTML

const TEMPLATE: &str = include_str!("../../templates/scorecards.html");

#[derive(Serialize)]
struct HtmlKpi {
    name: String,
    direction: &'static str,
    weight: String,
    target: String,
    actual: String,
    achievement: String,
    score: String,
    missing: bool,
    cell: String,
    /// Bar length and target marker, in percent of the bar's width (0 to cap).
    bar: String,
    mark: String,
    low: bool,
}

#[derive(Serialize)]
struct HtmlCard {
    anchor: String,
    rank: usize,
    title: String,
    position: String,
    department: String,
    employee: String,
    period: String,
    total: String,
    grade: String,
    bar: String,
    kpis: Vec<HtmlKpi>,
    file: String,
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
    round_to_str((x / max * 100.0).clamp(0.0, 100.0))
}

fn round_to_str(x: f64) -> String {
    super::score::round_to(x, 2)
}

/// `scorecards.html`: one self-contained page (inline CSS and SVG, no scripts), summary
/// first, then one card per person, each card on its own page when printed.
pub fn html(scored: &Scored, org_name: Option<&str>, lang: Lang) -> Result<String, tera::Error> {
    let l = labels(lang);
    let max = scored.max_total.max(1.0);
    let cards: Vec<HtmlCard> = scored
        .scorecards
        .iter()
        .enumerate()
        .map(|(i, c)| HtmlCard {
            anchor: format!("card-{}", i + 1),
            rank: i + 1,
            title: c.title.clone(),
            position: c.position.clone(),
            department: c.department.clone(),
            employee: c.employee.clone().unwrap_or_else(|| "—".into()),
            period: c.period.clone(),
            total: round2(c.total),
            grade: c.grade.clone().unwrap_or_else(|| "—".into()),
            bar: pct_of(c.total, max),
            file: c.file.clone(),
            kpis: c
                .kpis
                .iter()
                .map(|k| {
                    let top = k.cap.max(1.0);
                    HtmlKpi {
                        name: k.name.clone(),
                        direction: direction_label(k.direction, lang),
                        weight: num(k.weight),
                        target: with_unit(target_text(k), &k.unit),
                        actual: match k.actual {
                            Some(a) => with_unit(num(a), &k.unit),
                            None => l.no_data.to_string(),
                        },
                        achievement: if k.missing {
                            "—".into()
                        } else {
                            format!("{}%", num(k.achievement * 100.0))
                        },
                        score: round2(k.score),
                        missing: k.missing,
                        cell: k.cell.clone().unwrap_or_default(),
                        bar: pct_of(k.achievement.clamp(0.0, top), top),
                        mark: pct_of(1.0, top),
                        low: k.achievement < 0.6,
                    }
                })
                .collect(),
        })
        .collect();
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
    let to_problem = |p: &Problem| HtmlProblem {
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
    periods.sort();
    periods.dedup();

    // The grade lines are the same on every summary bar: built once, numbers only.
    let band_lines: String = bands
        .iter()
        .map(|b| format!("<line x1=\"{0}\" x2=\"{0}\" y2=\"10\"/>", b.at))
        .collect();
    let summary: Vec<HtmlRow> = cards
        .iter()
        .map(|c| HtmlRow {
            anchor: &c.anchor,
            rank: c.rank,
            title: &c.title,
            employee: &c.employee,
            period: &c.period,
            total: &c.total,
            grade: &c.grade,
            bar: &c.bar,
        })
        .collect();

    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("scorecards.html", TEMPLATE)?;
    let mut ctx = tera::Context::new();
    ctx.insert("l", l);
    ctx.insert("lang", if lang == Lang::Zh { "zh-CN" } else { "en" });
    ctx.insert("org", &org_name.unwrap_or(""));
    ctx.insert("periods", &periods.join(", "));
    ctx.insert("count", &cards.len());
    ctx.insert("bands", &bands);
    ctx.insert("band_lines", &band_lines);
    ctx.insert("max_total", &num(max));
    ctx.insert("skipped", &skipped);
    ctx.insert("warnings", &warnings);
    // One template in three parts (head and summary, cards, end), the cards rendered a few
    // hundred at a time so that a large run never holds them all as template values.
    ctx.insert("part", "head");
    ctx.insert("summary", &summary);
    let mut out = tera.render("scorecards.html", &ctx)?;
    ctx.remove("summary");
    ctx.insert("part", "cards");
    for chunk in cards.chunks(500) {
        ctx.insert("cards", chunk);
        out.push_str(&tera.render("scorecards.html", &ctx)?);
    }
    ctx.remove("cards");
    ctx.insert("part", "end");
    out.push_str(&tera.render("scorecards.html", &ctx)?);
    Ok(out)
}

#[derive(Serialize)]
struct HtmlRow<'a> {
    anchor: &'a str,
    rank: usize,
    title: &'a str,
    employee: &'a str,
    period: &'a str,
    total: &'a str,
    grade: &'a str,
    bar: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file and a failed run leaves the previous file in place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// The outputs of a run, built one at a time into temporary files and renamed into place
/// only when all of them were built: a failure leaves the previous scorecards untouched, and
/// only one output is held in memory at a time.
pub struct Outputs;

impl Outputs {
    pub fn write_all(
        scored: &Scored,
        org_name: Option<&str>,
        lang: Lang,
        partial: bool,
        dir: &Path,
    ) -> anyhow::Result<Vec<PathBuf>> {
        use anyhow::Context as _;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create `{}`", dir.display()))?;
        let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
        let build = |name: &'static str| -> anyhow::Result<(PathBuf, PathBuf)> {
            let bytes = match name {
                HTML => html(scored, org_name, lang)
                    .context("failed to render scorecards.html")?
                    .into_bytes(),
                CSV => csv(scored, lang).into_bytes(),
                XLSX => xlsx(scored, lang).context("failed to build scores.xlsx")?,
                _ => json(scored, partial).into_bytes(),
            };
            let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
            std::fs::write(&tmp, &bytes)
                .with_context(|| format!("failed to write `{}`", tmp.display()))?;
            Ok((tmp, dir.join(name)))
        };
        // The two slow ones (HTML, XLSX) side by side.
        let results: Vec<anyhow::Result<(PathBuf, PathBuf)>> = {
            use rayon::prelude::*;
            [HTML, XLSX, CSV, JSON].into_par_iter().map(build).collect()
        };
        let mut result = Ok(());
        for r in results {
            match r {
                Ok(s) => staged.push(s),
                Err(e) => {
                    if result.is_ok() {
                        result = Err(e);
                    }
                }
            }
        }
        if let Err(e) = result {
            for (tmp, _) in &staged {
                let _ = std::fs::remove_file(tmp);
            }
            return Err(e);
        }
        let mut written = Vec::new();
        for (tmp, path) in staged {
            std::fs::rename(&tmp, &path)
                .with_context(|| format!("failed to write `{}`", path.display()))?;
            written.push(path);
        }
        Ok(written)
    }
}
