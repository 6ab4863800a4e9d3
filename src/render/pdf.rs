//! `handbook.pdf`: the handbook's [`Book`] view laid out as a PDF [`Doc`]: cover, contents, organization
//! chart, one 职务说明书 form per position, and the 岗位编号 index, as the HTML handbook has
//! them. What is shown, in which order and under which label was decided by the view; this
//! module only turns its values into rich text and its forms into bordered tables.

use std::path::{Path, PathBuf};

use super::chart;
use super::labels::Labels;
use super::view::{self, Book, Field, Kpis, Value};
use super::{Options, RenderError};
use crate::model::Org;
use crate::pdf::layout::{Block, Caption, Cover, Doc, Drawing, Form, FormCell, Section, Stroke};
use crate::pdf::text::{Emph, Rich};
use crate::pdf::{FontSource, Fonts, PdfError, fonts, render, write_atomic};

/// The form's grid: the HTML form's twelve columns, labels two wide.
const GRID: usize = 12;
const LABEL: usize = 2;
/// A value beside a label, alone on its row or one of a pair.
const WIDE: usize = GRID - LABEL;
const HALF: usize = GRID / 2 - LABEL;

/// Renders the handbook of `org` to PDF bytes.
pub fn render_handbook(
    org: &Org,
    options: &Options,
    fonts: &FontSource,
) -> Result<Vec<u8>, RenderError> {
    let book = Book::new(org, options)?;
    let fonts = Fonts::load(fonts)?;
    let doc = handbook_doc(&book, &fonts)?;
    Ok(render(&doc, &fonts)?)
}

/// Lays out a handbook view and writes it as `out_dir/handbook.pdf` (the public edition:
/// `handbook-public.pdf`), atomically; returns the path written.
pub fn write_handbook(
    book: &Book,
    fonts: &FontSource,
    out_dir: &Path,
) -> Result<PathBuf, PdfError> {
    let fonts = Fonts::load(fonts)?;
    let doc = handbook_doc(book, &fonts)?;
    let bytes = render(&doc, &fonts)?;
    std::fs::create_dir_all(out_dir).map_err(|source| PdfError::Write {
        path: out_dir.display().to_string(),
        source,
    })?;
    let path = out_dir.join(format!("{}.pdf", book.edition.stem()));
    write_atomic(&path, &bytes)?;
    Ok(path)
}

/// Builds the handbook document, checking every field's characters against the fonts so a
/// missing glyph names its position and field.
pub fn handbook_doc(book: &Book, fonts: &Fonts) -> Result<Doc, PdfError> {
    let l = book.labels;
    let title = book.full_title();
    for (what, text) in [
        ("`name` in _org.toml", book.org_name.as_str()),
        ("`handbook_title` in _org.toml", book.title.as_str()),
    ] {
        if let Some((ch, font)) = fonts
            .missing(text, false)
            .or_else(|| fonts.missing(text, true))
        {
            return Err(PdfError::MissingGlyph {
                what: what.into(),
                ch,
                font: font.into(),
            });
        }
    }

    let mut sections = Vec::with_capacity(book.order.len() + book.charts.len() + 1);
    for group in &book.charts {
        if let Some(c) = chart::layout(book, &group.members) {
            let name = if group.title.is_empty() {
                l.chart.to_string()
            } else {
                format!("{} · {}", l.chart, group.title)
            };
            sections.push(Section {
                name: name.clone(),
                blocks: vec![Block::Title(name), Block::Drawing(drawing(&c))],
            });
        }
    }
    for &i in &book.order {
        sections.push(form_section(book, i, fonts)?);
    }
    if !book.index.is_empty() {
        sections.push(index_section(book));
    }

    let mut lines = Vec::new();
    if !book.org_name.is_empty() {
        lines.push(book.org_name.clone());
    }
    lines.push(book.edition_label.to_string());
    let date = book.date_text();
    if !date.is_empty() {
        lines.push(date);
    }
    lines.push(format!(
        "{}{}{}",
        l.positions,
        l.colon(),
        book.org.positions.len()
    ));
    Ok(Doc {
        title,
        cover: Some(Cover {
            title: book.title.clone(),
            lines,
        }),
        toc_title: Some(l.contents.to_string()),
        sections,
        footer: l.page_footer().to_string(),
    })
}

/// The chart's layout as a drawing: the same boxes, lines and texts as the SVG.
fn drawing(c: &chart::Chart) -> Drawing {
    let mut d = Drawing {
        width: c.width,
        height: c.height,
        ..Drawing::default()
    };
    for [from, to] in &c.edges {
        d.lines.push(Stroke {
            from: *from,
            to: *to,
            dashed: false,
        });
    }
    for b in &c.boxes {
        d.rect(b.x, b.y, b.w, b.h, b.external);
        let x = b.x + b.w / 2.0;
        for (line, y) in b.lines.iter().zip(chart::text_lines(b)) {
            d.texts.push(Caption {
                x,
                y,
                size: chart::TITLE_SIZE,
                text: line.clone(),
                grey: false,
            });
        }
        if let Some(sub) = &b.sub {
            d.texts.push(Caption {
                x,
                y: chart::sub_line(b),
                size: chart::SUB_SIZE,
                text: sub.clone(),
                grey: true,
            });
        }
    }
    d
}

/// The index by 岗位编号: code, title, department.
fn index_section(book: &Book) -> Section {
    let l = book.labels;
    let mut form = Form::new(vec![1.0; GRID]);
    let show_dept = book.index.iter().any(|e| !e.department.is_empty());
    let (code, title, dept) = if show_dept { (3, 5, 4) } else { (4, 8, 0) };
    let mut head = vec![
        FormCell::label(l.code).spanning(code),
        FormCell::label(l.title).spanning(title),
    ];
    if show_dept {
        head.push(FormCell::label(l.department).spanning(dept));
    }
    form.row_kept_with_next(head);
    for e in &book.index {
        let code_text = if e.code.is_empty() {
            l.no_code
        } else {
            &e.code
        };
        let mut row = vec![
            FormCell::value(Rich::plain(code_text)).spanning(code),
            FormCell::value(Rich::plain(&e.title)).spanning(title),
        ];
        if show_dept {
            row.push(FormCell::value(Rich::plain(&e.department)).spanning(dept));
        }
        form.row(row);
    }
    Section {
        name: l.code_index.to_string(),
        blocks: vec![Block::Title(l.code_index.to_string()), Block::Form(form)],
    }
}

/// One position's form, each field's text checked against the fonts.
struct FormBuilder<'a> {
    id: &'a str,
    labels: &'static Labels,
    fonts: &'a Fonts,
    form: Form,
}

impl FormBuilder<'_> {
    /// Checks a field's rich text against the fonts.
    fn check(&self, field: &str, rich: Rich) -> Result<Rich, PdfError> {
        for (c, bold) in rich.chars() {
            if fonts::is_layout_only(c) {
                continue;
            }
            if let Some((ch, font)) = self.fonts.missing(&c.to_string(), bold) {
                return Err(PdfError::MissingGlyph {
                    what: format!("position `{}` field `{field}`", self.id),
                    ch,
                    font: font.to_string(),
                });
            }
        }
        Ok(rich)
    }

    /// A field's value as checked rich text.
    fn value(&self, f: &Field) -> Result<Rich, PdfError> {
        self.check(f.key, rich(&f.value, self.labels))
    }

    /// A label and a value over the whole width.
    fn wide(&mut self, f: &Field) -> Result<(), PdfError> {
        let v = self.value(f)?;
        self.form.row(vec![
            FormCell::label(f.label).spanning(LABEL),
            FormCell::value(v).spanning(WIDE),
        ]);
        Ok(())
    }

    fn heading(&mut self, label: &str) {
        self.form
            .row_kept_with_next(vec![FormCell::label(label).spanning(GRID)]);
    }

    fn kpis(&mut self, k: &Kpis) -> Result<(), PdfError> {
        let l = self.labels;
        if k.names_only() {
            let names = Field {
                key: "kpis",
                label: k.label,
                value: Value::Inline(k.rows.iter().map(|r| r.name.clone()).collect()),
            };
            return self.wide(&names);
        }
        self.heading(k.label);
        let columns = k.columns(l);
        let name_span = GRID - 2 * columns.len();
        let mut head = vec![FormCell::label(l.kpi_name).spanning(name_span)];
        head.extend(
            columns
                .iter()
                .map(|label| FormCell::label(label).spanning(2)),
        );
        self.form.row_kept_with_next(head);
        for r in &k.rows {
            let name = self.check("kpis", Rich::markdown(&r.name))?;
            let mut row = vec![FormCell::value(name).spanning(name_span)];
            for cell in k.cells(r) {
                let v = self.check("kpis", Rich::plain(cell))?;
                row.push(FormCell::value(v).spanning(2));
            }
            self.form.row(row);
        }
        Ok(())
    }
}

/// A value of the view as rich text: the PDF's (and the Word file's) reading of what the
/// HTML shows.
pub(super) fn rich(value: &Value, l: &Labels) -> Rich {
    match value {
        Value::Plain(s) => Rich::plain(s.trim()),
        Value::Markdown(s) => Rich::markdown(s),
        Value::Inline(items) => Rich::markdown(&items.join(l.separator)),
        Value::Items { items, ordered } => match items.as_slice() {
            [one] => Rich::markdown(one),
            _ => {
                let items: Vec<&str> = items.iter().map(String::as_str).collect();
                if *ordered {
                    Rich::numbered(&items)
                } else {
                    Rich::bulleted(&items)
                }
            }
        },
        Value::Positions { refs, total } => {
            let mut s = refs
                .iter()
                .map(|r| r.title.as_str())
                .collect::<Vec<_>>()
                .join(l.separator);
            if *total > refs.len() {
                s.push_str(&l.more_positions(*total));
            }
            Rich::plain(&s)
        }
        Value::Assessment { text, label, kpis } => {
            let mut r = text.as_deref().map_or_else(Rich::default, Rich::markdown);
            if !kpis.is_empty() {
                let mut line =
                    Rich::markdown(&format!("{label}{}{}", l.colon(), kpis.join(l.separator)));
                r.paras.append(&mut line.paras);
            }
            r
        }
    }
}

/// Puts `prefix` in bold before the first paragraph of `r`: 职责表述：….
fn prefixed(mut r: Rich, prefix: &str) -> Rich {
    if let Some(first) = r.paras.first_mut() {
        first.text.insert_str(0, prefix);
        let shift = prefix.len();
        for (range, _) in &mut first.runs {
            *range = range.start + shift..range.end + shift;
        }
        first.runs.insert(
            0,
            (
                0..shift,
                Emph {
                    bold: true,
                    italic: false,
                },
            ),
        );
    }
    r
}

fn form_section(book: &Book, index: usize, fonts: &Fonts) -> Result<Section, PdfError> {
    let form = book.form(index);
    let l = book.labels;
    let mut f = FormBuilder {
        id: &form.id,
        labels: l,
        fonts,
        form: Form::new(vec![1.0; GRID]),
    };
    for row in &form.header {
        match row.as_slice() {
            [a, b] => {
                let (va, vb) = (f.value(a)?, f.value(b)?);
                f.form.row(vec![
                    FormCell::label(a.label).spanning(LABEL),
                    FormCell::value(va).spanning(HALF),
                    FormCell::label(b.label).spanning(LABEL),
                    FormCell::value(vb).spanning(HALF),
                ]);
            }
            [a] => f.wide(a)?,
            _ => {}
        }
    }
    for section in &form.sections {
        match section {
            view::Section::Field(field) => f.wide(field)?,
            view::Section::Duties { label, duties } => {
                f.heading(label);
                for d in duties {
                    let Some((first, rest)) = d.rows.split_first() else {
                        continue;
                    };
                    let prefix = format!("{}{}", first.label, l.colon());
                    let title = prefixed(f.value(first)?, &prefix);
                    f.form.row_kept_with_next(vec![
                        FormCell::label(&d.number).spanning(LABEL),
                        FormCell::value(title).spanning(WIDE),
                    ]);
                    for row in rest {
                        f.wide(row)?;
                    }
                }
            }
            view::Section::Group { label, rows, .. } => {
                f.heading(label);
                for row in rows {
                    f.wide(row)?;
                }
            }
            view::Section::Kpis(k) => f.kpis(k)?,
        }
    }
    f.check("title", Rich::bold(&form.heading))?;
    let name = if form.department.is_empty() {
        form.title.clone()
    } else {
        format!("{} · {}", form.department, form.title)
    };
    f.check("department", Rich::plain(&name))?;
    Ok(Section {
        name,
        blocks: vec![Block::Title(form.heading), Block::Form(f.form)],
    })
}
