//! `scorecards.html`: the tera template, rendered in parts and batches of cards.

use std::io::{self, Write};

use rayon::prelude::*;
use serde::Serialize;

use super::view::{Card, Overview};
use super::{ReportError, labels, skipped};
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

    // The cards part reads only `l` and `cards`.
    let render_cards = |first: usize, cards: &[Scorecard]| -> Result<Vec<u8>, tera::Error> {
        let cards: Vec<Card> = cards
            .iter()
            .enumerate()
            .map(|(i, c)| Card::new(c, first + i + 1, lang))
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
