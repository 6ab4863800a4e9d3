//! `scorecards.pdf`: the [`view`](super::view) laid out as a document of [`crate::pdf`],
//! written by its direct writer: a 总览 first (grade distribution against the quota,
//! calibration by department and by rater, the ranking with bars), then one 绩效考核表 per
//! person, the form a manager prints and signs.

use std::io::Write;

use super::view::{Card, GroupRow, Overview, Share};
use super::{Labels, ReportError, labels, skipped};
use crate::diag::Diagnostic;
use crate::kpi::score::Scored;
use crate::model::Lang;
use crate::pdf::{self, Bar, Block, Doc, Fonts, Form, FormCell, Para, Rich, Section};
use crate::vocab::Term;

/// The height of the 评语 box and of the signature row, in mm.
const COMMENTS_HEIGHT: f64 = 30.0;
const SIGNATURE_HEIGHT: f64 = 16.0;

fn plain(s: &str) -> FormCell {
    FormCell::value(Rich::plain(&gbk_safe(s)))
}

fn bar(share: Share, marks: &[Share], light: bool) -> FormCell {
    FormCell::bar(Bar {
        fill: share.0,
        marks: marks.iter().map(|m| m.0).collect(),
        light,
    })
}

/// A calibration table: a row per group, its grade counts, its flags.
fn calibration_form(l: &Labels, o: &Overview, first: &str, rows: &[&GroupRow]) -> Form {
    let grades = o.grade_labels.len();
    let mut columns = vec![2.4, 1.1, 1.4, 1.4];
    columns.extend(std::iter::repeat_n(1.1, grades));
    columns.push(2.2);
    let mut form = Form::new(columns);
    let mut head = vec![
        FormCell::label(first),
        FormCell::label(l.count),
        FormCell::label(l.mean),
        FormCell::label(l.stdev),
    ];
    head.extend(o.grade_labels.iter().map(|g| FormCell::label(g)));
    head.push(FormCell::label(l.flag));
    form.row_kept_with_next(head);
    for g in rows {
        let name = if g.id.is_empty() {
            g.name.clone()
        } else {
            format!("{} ({})", g.name, g.id)
        };
        let mut row = vec![
            plain(&name),
            plain(&g.count.to_string()),
            plain(&g.mean),
            plain(&g.stdev),
        ];
        row.extend(g.grades.iter().map(|n| plain(&n.to_string())));
        row.push(FormCell::value(Rich::bold(&g.flags)));
        form.row(row);
    }
    form
}

/// The 总览 section: grade distribution, calibration, flags (the ranking follows in
/// [`ranking_section`]s).
fn overview_section(o: &Overview, lang: Lang) -> Section {
    let l = labels(lang);
    let colon = Term::Colon.text(lang);
    let mut blocks = vec![Block::Title(o.heading.clone())];
    let mut meta = String::new();
    if !o.periods.is_empty() {
        meta = format!("{}{colon}{} · ", l.period, o.periods);
    }
    meta.push_str(&format!("{} {}", o.count, l.people));
    blocks.push(Block::Text(Rich::plain(&gbk_safe(&meta))));

    blocks.push(Block::Heading(l.grade_distribution.to_string()));
    let mut form = Form::new(vec![2.0, 1.4, 1.0, 1.2, 1.2, 1.6]);
    form.row_kept_with_next(
        [l.grade, l.total, l.count, l.share, l.quota, l.flag]
            .map(FormCell::label)
            .to_vec(),
    );
    for g in &o.grades {
        form.row(vec![
            plain(&g.label),
            plain(&g.min),
            plain(&g.count.to_string()),
            plain(&g.share),
            plain(&g.quota),
            FormCell::value(Rich::bold(if g.over { l.over_quota } else { "" })),
        ]);
    }
    blocks.push(Block::Form(form));

    blocks.push(Block::Heading(format!(
        "{} · {}",
        l.calibration, l.by_department
    )));
    let rows: Vec<&GroupRow> = std::iter::once(&o.company)
        .chain(o.departments.iter())
        .collect();
    blocks.push(Block::Form(calibration_form(l, o, l.department, &rows)));
    if !o.managers.is_empty() {
        blocks.push(Block::Heading(format!(
            "{} · {}",
            l.calibration, l.by_rater
        )));
        let rows: Vec<&GroupRow> = o.managers.iter().collect();
        blocks.push(Block::Form(calibration_form(l, o, l.rater, &rows)));
    }
    for f in &o.flagged {
        blocks.push(Block::Text(Rich::bold(&gbk_safe(&format!(
            "{}{colon}{f}",
            l.flag
        )))));
    }
    blocks.push(Block::Space(1.0));
    blocks.push(Block::Text(Rich::plain(l.calibration_rule)));
    Section {
        name: l.summary.to_string(),
        blocks,
    }
}

/// Rows of the ranking in one section: about a page of them. The ranking of a large run is
/// tens of thousands of rows: in sections of a page, it is laid out in parallel with the
/// cards, a page at a time, never held whole as laid-out rows.
pub const RANKING_ROWS: usize = 28;

/// The `i`th page of the ranking: a bordered table of rank, person, position, department,
/// period, total and grade, with the total's bar (the grade boundaries marked).
pub fn ranking_section(o: &Overview, i: usize, lang: Lang) -> Section {
    let l = labels(lang);
    let rows = o.ranking.chunks(RANKING_ROWS).nth(i).unwrap_or_default();
    let mut blocks = Vec::new();
    if i == 0 {
        blocks.push(Block::Heading(l.rank.to_string()));
        if !o.legend.is_empty() {
            blocks.push(Block::Text(Rich::plain(&gbk_safe(&o.legend))));
        }
    }
    let mut form = Form::new(vec![0.8, 1.4, 2.2, 1.5, 1.4, 1.1, 1.0, 2.4]);
    form.row_kept_with_next(
        [
            l.rank,
            l.employee,
            l.position,
            l.department,
            l.period,
            l.total,
            l.grade,
            "",
        ]
        .map(FormCell::label)
        .to_vec(),
    );
    for r in rows {
        form.row(vec![
            plain(&r.rank.to_string()),
            plain(r.employee),
            plain(r.title),
            plain(r.department),
            plain(r.period),
            plain(&r.total),
            plain(r.grade),
            bar(r.bar, &o.band_marks, false),
        ]);
    }
    blocks.push(Block::Form(form));
    Section {
        name: format!("{} · {}", l.summary, l.rank),
        blocks,
    }
}

/// The page listing the rows skipped under `--partial`, if any.
pub fn skipped_section(scored: &Scored, lang: Lang) -> Option<Section> {
    let l = labels(lang);
    let skipped: Vec<&Diagnostic> = skipped(scored).collect();
    if skipped.is_empty() {
        return None;
    }
    {
        let mut form = Form::new(vec![2.2, 1.1, 3.7]);
        form.row_kept_with_next(vec![
            FormCell::label(l.place),
            FormCell::label(l.code),
            FormCell::label(l.message),
        ]);
        for p in &skipped {
            form.row(vec![
                plain(&p.place().unwrap_or_default()),
                FormCell::value(Rich::plain(p.code)),
                plain(&p.message),
            ]);
        }
        Some(Section {
            name: l.skipped.to_string(),
            blocks: vec![Block::Title(l.skipped.to_string()), Block::Form(form)],
        })
    }
}

/// `scorecards.pdf` as a document of the handbook's PDF module with its first section, the
/// 总览; the rest ([`ranking_section`]s, [`skipped_section`], a [`card_section`] per person)
/// is made one section at a time as the writer asks for it.
pub fn pdf_frame(o: &Overview, lang: Lang) -> Doc {
    Doc {
        title: o.heading.clone(),
        cover: None,
        toc_title: None,
        sections: vec![overview_section(o, lang)],
        footer: Term::PageFooter.text(lang).into(),
    }
}

/// One person's 绩效考核表: who (姓名, 工号, position, department, period, rater), a bordered
/// table of the KPIs with the same figures and bars as the HTML, total and grade, a 评语 box
/// and the signature lines, the rater's title under 考核人签字.
pub fn card_section(c: &Card, lang: Lang) -> Section {
    let l = labels(lang);
    let mut who = Form::new(vec![1.5, 2.7, 1.5, 2.7]);
    who.row(vec![
        FormCell::label(l.employee),
        FormCell::value(Rich::bold(&gbk_safe(c.employee))),
        FormCell::label(l.employee_id),
        plain(c.employee_id.unwrap_or("")),
    ]);
    who.row(vec![
        FormCell::label(l.position),
        plain(&format!("{} ({})", c.title, c.position)),
        FormCell::label(l.department),
        plain(c.department),
    ]);
    who.row(vec![
        FormCell::label(l.period),
        plain(c.period),
        FormCell::label(l.rater),
        plain(c.rater),
    ]);

    let mut form = Form::new(vec![2.3, 1.4, 1.3, 1.3, 1.5, 1.1, 1.0, 1.4]);
    form.row_kept_with_next(
        [
            l.kpi,
            l.direction,
            l.target,
            l.actual,
            l.achievement,
            l.weight,
            l.score,
            "",
        ]
        .map(FormCell::label)
        .to_vec(),
    );
    for k in &c.kpis {
        form.row(vec![
            plain(k.name),
            plain(k.direction),
            plain(&k.target),
            if k.missing {
                // Bold, so a missing result stands out on paper.
                FormCell::value(Rich::bold(&k.actual))
            } else {
                plain(&k.actual)
            },
            plain(&k.achievement),
            plain(&k.weight),
            plain(&k.score),
            bar(k.bar, &[k.mark], k.low),
        ]);
    }
    form.row(vec![
        FormCell::label(l.total).spanning(6),
        FormCell::value(Rich::bold(&c.total)),
        FormCell::value(Rich::default()),
    ]);
    form.row(vec![
        FormCell::label(l.grade).spanning(6),
        FormCell::value(Rich::bold(c.grade)),
        FormCell::value(Rich::default()),
    ]);

    let mut comments = Form::new(vec![1.2, 7.2]);
    comments.row_at_least(
        COMMENTS_HEIGHT,
        vec![
            FormCell::label(l.comments),
            FormCell::value(Rich::default()),
        ],
    );
    let mut sign = Form::new(vec![1.3, 1.9, 1.3, 1.9, 0.8, 1.2]);
    let mut rater = Rich::bold(l.sign_rater);
    rater
        .paras
        .push(Para::plain(gbk_safe(c.rater).into_owned()));
    sign.row_at_least(
        SIGNATURE_HEIGHT,
        vec![
            FormCell::label(l.sign_employee),
            FormCell::value(Rich::default()),
            FormCell::labelled(rater),
            FormCell::value(Rich::default()),
            FormCell::label(l.date),
            FormCell::value(Rich::default()),
        ],
    );

    Section {
        name: format!("{} · {}", c.employee, c.title),
        blocks: vec![
            Block::Title(l.form.to_string()),
            Block::Form(who),
            Block::Space(3.0),
            Block::Form(form),
            Block::Space(1.5),
            Block::Text(Rich::plain(&gbk_safe(l.formula))),
            Block::Space(3.0),
            Block::Form(comments),
            Block::Space(3.0),
            Block::Form(sign),
        ],
    }
}

/// The typographic characters of the other outputs that GBK (the shipped font) lacks, as
/// ASCII: the minus sign and en dash as `-`, the `›` between workbook and cell as `>`.
fn gbk_safe(s: &str) -> std::borrow::Cow<'_, str> {
    const UNSAFE: [char; 3] = ['\u{2212}', '\u{2013}', '\u{203a}'];
    // All three are E2 xx xx in UTF-8: most texts are told apart by one byte search.
    if !s.as_bytes().contains(&0xE2) || !s.contains(UNSAFE) {
        return s.into();
    }
    s.replace(['\u{2212}', '\u{2013}'], "-")
        .replace('\u{203a}', ">")
        .into()
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
    let o = Overview::new(scored, org_name, lang);
    let frame = pdf_frame(&o, lang);
    let ranking = o.ranking.len().div_ceil(RANKING_ROWS);
    let skipped = skipped_section(scored, lang);
    let front = ranking + usize::from(skipped.is_some());
    let cards = &scored.scorecards;
    pdf::direct::write_with(
        &frame,
        front + cards.len(),
        |i| match i.checked_sub(front) {
            Some(c) => card_section(&Card::new(&cards[c], c + 1, lang), lang),
            None if i < ranking => ranking_section(&o, i, lang),
            None => skipped.clone().unwrap_or_default(),
        },
        fonts,
        &mut w,
    )?;
    Ok(())
}
