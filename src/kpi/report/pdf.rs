//! `scorecards.pdf`: a document of [`crate::pdf`], written by its direct writer.

use std::io::Write;

use super::{
    DASH, ReportError, direction_label, labels, percent_text, skipped, target_text, with_unit,
};
use crate::diag::Diagnostic;
use crate::kpi::score::{Scorecard, Scored};
use crate::model::Lang;
use crate::pdf::{self, Block, Doc, Fonts, Form, FormCell, Rich, Section};
use crate::util::number::{num, round2};
use crate::vocab::Term;

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
