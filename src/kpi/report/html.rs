//! `scorecards.html`: the tera template, rendered in parts and batches of cards.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::view::{Card, Overview};
use super::{Labels, ReportError, labels, skipped};
use crate::diag::{Diagnostic, Severity};
use crate::kpi::score::{Scorecard, Scored};
use crate::model::Lang;
use crate::util::number::num;
use crate::vocab;

const TEMPLATE: &str = include_str!("../../../templates/scorecards.html");

#[derive(Serialize)]
struct HtmlProblem {
    place: String,
    code: &'static str,
    message: String,
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

/// Cards rendered by one job on a core, written in order.
const CARDS_PER_RENDER: usize = 500;

/// One person's 绩效考核表 as HTML, between the template's head and end parts. Written here
/// rather than by the template: a run has tens of thousands of cards, and turning each
/// into template values (a map per card and per KPI row) cost more than the writing itself.
/// Every text is escaped as the template's autoescape does ([`escape_html`]).
fn write_card(w: &mut Vec<u8>, l: &Labels, c: &Card<'_>) -> io::Result<()> {
    // Markup and the text that follows it, escaped, in turn.
    let put = |w: &mut Vec<u8>, parts: &[(&str, &str)]| -> io::Result<()> {
        for (markup, text) in parts {
            w.extend_from_slice(markup.as_bytes());
            escape_html(text, w)?;
        }
        Ok(())
    };
    put(
        w,
        &[
            ("\n<section class=\"card\" id=\"", &c.anchor),
            ("\">\n<h2 class=\"form\">", l.form),
            ("</h2>\n<table class=\"who\">\n<tr><th>", l.employee),
            ("</th><td class=\"employee\">", c.employee),
            ("</td><th>", l.employee_id),
            ("</th><td>", c.employee_id.unwrap_or("")),
            ("</td></tr>\n<tr><th>", l.position),
            ("</th><td>", c.title),
            (" <span class=\"cell\">(", c.position),
            (")</span></td><th>", l.department),
            ("</th><td>", c.department),
            ("</td></tr>\n<tr><th>", l.period),
            ("</th><td>", c.period),
            ("</td><th>", l.rater),
            ("</th><td>", c.rater),
            (
                "</td></tr>\n</table>\n<table class=\"kpis\">\n<thead><tr><th>",
                l.kpi,
            ),
            ("</th><th>", l.direction),
            ("</th><th class=\"n\">", l.target),
            ("</th><th class=\"n\">", l.actual),
            ("</th><th class=\"n\">", l.achievement),
            ("</th><th class=\"n\">", l.weight),
            ("</th><th class=\"n\">", l.score),
            ("</th><th></th></tr></thead>\n<tbody>\n", ""),
        ],
    )?;
    for k in &c.kpis {
        let row = if k.missing {
            "<tr class=\"missing\"><td>"
        } else {
            "<tr><td>"
        };
        put(w, &[(row, k.name)])?;
        if !k.cell.is_empty() {
            put(w, &[(" <span class=\"cell\">", k.cell), ("</span>", "")])?;
        }
        put(
            w,
            &[
                ("</td><td>", k.direction),
                ("</td><td class=\"n\">", &k.target),
                ("</td><td class=\"n\">", &k.actual),
                ("</td><td class=\"n\">", &k.achievement),
                ("</td><td class=\"n\">", &k.weight),
                ("</td><td class=\"n\">", &k.score),
                (
                    "</td><td><svg class=\"b k\" viewBox=\"0 0 100 10\" \
                     preserveAspectRatio=\"none\"><rect class=\"t\" width=\"100\" height=\"10\"/>",
                    "",
                ),
            ],
        )?;
        if !k.missing {
            let rect = if k.low {
                "<rect class=\"low\" width=\""
            } else {
                "<rect width=\""
            };
            put(w, &[(rect, &k.bar.percent()), ("\" height=\"10\"/>", "")])?;
        }
        let mark = k.mark.percent();
        put(
            w,
            &[
                ("<line x1=\"", &mark),
                ("\" x2=\"", &mark),
                ("\" y2=\"10\"/></svg></td></tr>\n", ""),
            ],
        )?;
    }
    put(
        w,
        &[
            ("<tr class=\"total\"><th colspan=\"6\">", l.total),
            ("</th><th class=\"n\">", &c.total),
            (
                "</th><th></th></tr>\n<tr class=\"grade\"><th colspan=\"6\">",
                l.grade,
            ),
            ("</th><th class=\"n\">", c.grade),
            (
                "</th><th></th></tr>\n</tbody>\n</table>\n<p class=\"formula\">",
                l.formula,
            ),
            ("</p>\n<table class=\"comments-box\"><tr><th>", l.comments),
            (
                "</th><td class=\"comments\"></td></tr></table>\n<table class=\"sign\"><tr><th>",
                l.sign_employee,
            ),
            ("</th><td></td><th>", l.sign_rater),
            ("<span class=\"rater\">", c.rater),
            ("</span></th><td></td><th>", l.date),
            ("</th><td></td></tr></table>\n</section>\n", ""),
        ],
    )
}

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
    let overview = Overview::new(scored, org_name, lang);
    // The grade lines are the same on every ranking bar: built once, numbers only.
    let band_lines: String = overview
        .band_marks
        .iter()
        .map(|b| {
            let at = num(b.0 * 100.0);
            format!("<line x1=\"{at}\" x2=\"{at}\" y2=\"10\"/>")
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
    ctx.insert("band_lines", &band_lines);
    ctx.insert("skipped", &skipped);
    ctx.insert("warnings", &warnings);
    ctx.insert("part", "head");
    ctx.insert("o", &overview);
    drop(overview);
    tera.render_to("scorecards.html", &ctx, &mut w)?;
    ctx.remove("o");

    let render_cards = |first: usize, cards: &[Scorecard]| -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(cards.len() * 3000);
        for (i, c) in cards.iter().enumerate() {
            write_card(&mut buf, l, &Card::new(c, first + i + 1, lang))?;
        }
        Ok(buf)
    };
    let batch = CARDS_PER_RENDER * rayon::current_num_threads().max(1) * 2;
    for (b, cards) in scored.scorecards.chunks(batch).enumerate() {
        let parts: Vec<io::Result<Vec<u8>>> = cards
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
