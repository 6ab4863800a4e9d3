//! `scorecards.html`: the tera template, rendered in parts and batches of cards.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::{
    DASH, Labels, ReportError, direction_label, labels, percent_text, skipped, target_text,
    with_unit,
};
use crate::diag::{Diagnostic, Severity};
use crate::kpi::score::{Scorecard, Scored};
use crate::model::Lang;
use crate::util::number::{num, round2};
use crate::vocab;

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
