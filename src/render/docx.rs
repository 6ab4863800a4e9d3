//! `handbook.docx`: the handbook's [`Book`] view as a Word document, for managers who edit
//! the forms in Word, WPS or LibreOffice.
//!
//! `load -> check -> view -> docx`. The layout is the classic 职务说明书 Word form: a cover, a
//! written contents list (department, position title, 岗位编号, each linked to its form), then
//! one form table per position on a page of its own, with the section labels (职责一,
//! 工作协作关系, 任职资格, 其它, 考核指标) as vertically merged cells beside their rows and the
//! values spanning the grid columns they need; the positions a form names (直接上级, 直接下级,
//! 所辖人员) link to their forms. A4, a header with the handbook's title, a footer with the
//! page number (Word's PAGE and NUMPAGES fields).
//!
//! What is shown, in which order and under which label was decided by the view; values reach
//! Word through the same rich text as the PDF ([`super::pdf::rich`], from
//! [`crate::markdown::events`]): user text only ever becomes text runs.
//!
//! Fonts: the document names [`EAST_ASIAN_FONT`] (宋体, the Word convention for such forms)
//! for Chinese text (`w:eastAsia`) and [`LATIN_FONT`] for Latin text; it embeds none. A
//! character outside the font is kept: Word, WPS and LibreOffice substitute a font that has it.
//!
//! The contents are a written list rather than a Word TOC field: a field shows nothing until
//! someone updates it in Word, while a list is visible in every program and in a PDF made
//! from the file.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use docx_rs::{
    AlignmentType, Docx, Footer, Header, Hyperlink, HyperlinkType, LineSpacing, NumPages,
    PageMargin, PageNum, Paragraph, Run, RunFonts, Shading, SpecialIndentType, Tab, TabLeaderType,
    TabValueType, Table, TableBorder, TableBorderPosition, TableCell, TableLayoutType, TableRow,
    VAlignType, VMergeType, WidthType,
};

use super::RenderError;
use super::labels::Labels;
use super::pdf::rich;
use super::view::{Book, Field, Form, Kpis, Section, Value};
use crate::output::write_atomic;
use crate::pdf::text::{Emph, Rich};

/// The font Chinese text is set in (`w:eastAsia`): SimSun (宋体), which Word and WPS have on
/// every Chinese Windows; elsewhere the program substitutes its own Chinese font.
pub const EAST_ASIAN_FONT: &str = "SimSun";
/// The font Latin letters and digits are set in, the usual companion of 宋体.
pub const LATIN_FONT: &str = "Times New Roman";

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11_906;
const PAGE_HEIGHT: u32 = 16_838;
/// Word's default margins for A4 (2.54 cm top and bottom, 3.17 cm left and right).
const MARGIN_TOP: i32 = 1_440;
const MARGIN_SIDE: i32 = 1_800;
const MARGIN_HEADER: i32 = 851;
const MARGIN_FOOTER: i32 = 992;
/// The width between the margins.
const TEXT_WIDTH: usize = PAGE_WIDTH as usize - 2 * MARGIN_SIDE as usize;

/// Where the form's cells start and end (twips from the left margin). Every row lays its
/// cells between these edges, and the table's grid columns are the gaps between them, so a
/// cell's `gridSpan` is how many edges it crosses:
/// * the section label (merged down its rows) or a header label, to [`LABEL`];
/// * a row label (wide enough for six characters: 岗位分析日期), to [`ROW_LABEL`];
/// * a header row: label, value to [`MID`], label to [`LABEL_2`], value to [`END`];
/// * a KPI table: the name, then up to three columns of [`KPI_COLUMN`] at the right.
const LABEL: usize = 1_200;
const ROW_LABEL: usize = 2_760;
const MID: usize = 4_000;
const LABEL_2: usize = 5_560;
const END: usize = TEXT_WIDTH;
const KPI_COLUMN: usize = 1_300;
const EDGES: [usize; 9] = [
    0,
    LABEL,
    ROW_LABEL,
    MID,
    END - 3 * KPI_COLUMN,
    LABEL_2,
    END - 2 * KPI_COLUMN,
    END - KPI_COLUMN,
    END,
];

/// The widths of the grid columns.
fn grid() -> Vec<usize> {
    EDGES.windows(2).map(|w| w[1] - w[0]).collect()
}

/// The grid column at `edge`.
fn column(edge: usize) -> usize {
    EDGES.iter().position(|&e| e == edge).unwrap_or(0)
}

/// Type sizes in half points: 五号 for the body, 三号 for headings, 一号 for the cover title.
const BODY: usize = 21;
const SMALL: usize = 18;
const HEADING: usize = 32;
const COVER_TITLE: usize = 52;
/// The shade of label cells.
const LABEL_FILL: &str = "F2F2F2";
/// A list item's hanging indent.
const INDENT: i32 = 360;

/// Lays out a handbook view as the bytes of a .docx file.
pub fn render_handbook(book: &Book) -> Result<Vec<u8>, RenderError> {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_TOP)
                .left(MARGIN_SIDE)
                .right(MARGIN_SIDE)
                .header(MARGIN_HEADER)
                .footer(MARGIN_FOOTER),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(LATIN_FONT)
                .hi_ansi(LATIN_FONT)
                .cs(LATIN_FONT)
                .east_asia(EAST_ASIAN_FONT),
        )
        .default_size(BODY)
        // The cover has neither header nor footer.
        .first_header(Header::new())
        .first_footer(Footer::new())
        .header(
            Header::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Right)
                    .add_run(text(&book.full_title(), Emph::default()).size(SMALL)),
            ),
        )
        .footer(Footer::new().add_paragraph(page_footer(book.labels.page_footer())));

    for p in cover(book) {
        docx = docx.add_paragraph(p);
    }
    for p in contents(book) {
        docx = docx.add_paragraph(p);
    }
    for &i in &book.order {
        let form = book.form(i);
        docx = docx
            .add_paragraph(form_heading(&form))
            .add_table(form_table(book, &form));
    }

    let mut bytes = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    deflate(&bytes.into_inner())
}

/// The same parts, compressed. docx-rs stores every part as is (36 MB of XML for a handbook
/// of 1,000 positions); Word's own files are deflated, a tenth of that.
fn deflate(stored: &[u8]) -> Result<Vec<u8>, RenderError> {
    let error = |e: &dyn std::fmt::Display| RenderError::Docx(e.to_string());
    let mut parts = zip::ZipArchive::new(Cursor::new(stored)).map_err(|e| error(&e))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(stored.len() / 8)));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for i in 0..parts.len() {
        let mut part = parts.by_index(i).map_err(|e| error(&e))?;
        // Folders are implied by the parts' names; Word writes none.
        if part.is_dir() {
            continue;
        }
        let name = part.name().map_err(|e| error(&e))?.into_owned();
        out.start_file(name, options).map_err(|e| error(&e))?;
        std::io::copy(&mut part, &mut out).map_err(|e| error(&e))?;
    }
    Ok(out.finish().map_err(|e| error(&e))?.into_inner())
}

/// Lays out a handbook view and writes it as `out_dir/handbook.docx` (the public edition:
/// `handbook-public.docx`), atomically; returns the path written.
pub fn write_handbook(book: &Book, out_dir: &Path) -> Result<PathBuf, RenderError> {
    let bytes = render_handbook(book)?;
    let write_error = |path: &Path, source| RenderError::Write {
        path: crate::diag::display_path(path),
        source,
    };
    std::fs::create_dir_all(out_dir).map_err(|e| write_error(out_dir, e))?;
    let path = out_dir.join(format!("{}.docx", book.edition.stem()));
    write_atomic(&path, &bytes).map_err(|e| write_error(&path, e))?;
    Ok(path)
}

/// The cover: organization, title, edition, date, number of positions.
fn cover(book: &Book) -> Vec<Paragraph> {
    let l = book.labels;
    let centered = |s: &str, size: usize, bold: bool| {
        Paragraph::new().align(AlignmentType::Center).add_run(
            text(
                s,
                Emph {
                    bold,
                    italic: false,
                },
            )
            .size(size),
        )
    };
    let mut out = Vec::new();
    // A third of the page down.
    let mut first = Paragraph::new().line_spacing(LineSpacing::new().before(3_600));
    if !book.org_name.is_empty() {
        first = first
            .align(AlignmentType::Center)
            .add_run(text(&book.org_name, Emph::default()).size(HEADING));
    }
    out.push(first);
    out.push(
        centered(&book.title, COVER_TITLE, true).line_spacing(LineSpacing::new().after(1_200)),
    );
    out.push(centered(book.edition_label, HEADING, false));
    let date = book.date_text();
    if !date.is_empty() {
        out.push(centered(&date, HEADING, false));
    }
    out.push(centered(
        &format!("{}{}{}", l.positions, l.colon(), book.org.positions.len()),
        HEADING,
        false,
    ));
    out
}

/// The bookmark a position's form starts with, which the contents link to.
fn bookmark(position: usize) -> String {
    format!("position_{position}")
}

/// The contents: each department's positions with their 岗位编号, linked to their forms.
fn contents(book: &Book) -> Vec<Paragraph> {
    let l = book.labels;
    let mut out = vec![heading(l.contents)];
    let leader = Tab::new()
        .val(TabValueType::Right)
        .leader(TabLeaderType::Dot)
        .pos(TEXT_WIDTH);
    for d in &book.departments {
        if !d.name.is_empty() {
            out.push(
                Paragraph::new()
                    .keep_next(true)
                    .line_spacing(LineSpacing::new().before(240))
                    .add_run(text(&d.name, BOLD)),
            );
        }
        for &i in &d.members {
            let code = book.code_of(i);
            let mut link = Hyperlink::new(bookmark(i), HyperlinkType::Anchor)
                .add_run(text(&book.title_of(i), Emph::default()));
            if !code.is_empty() {
                link = link.add_run(Run::new().add_tab().add_text(clean(&code)));
            }
            out.push(
                Paragraph::new()
                    .indent(Some(INDENT), None, None, None)
                    .add_tab(leader.clone())
                    .add_hyperlink(link),
            );
        }
    }
    out
}

/// A centred bold heading at the top of a new page.
fn heading(s: &str) -> Paragraph {
    Paragraph::new()
        .page_break_before(true)
        .keep_next(true)
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().after(240))
        .add_run(text(s, BOLD).size(HEADING))
}

/// 客服部经理职务说明书, with the bookmark the contents link to.
fn form_heading(form: &Form) -> Paragraph {
    heading(&form.heading)
        .add_bookmark_start(form.position, bookmark(form.position))
        .add_bookmark_end(form.position)
}

const BOLD: Emph = Emph {
    bold: true,
    italic: false,
};

/// One run of user or label text. Characters XML cannot hold (control characters) become
/// U+FFFD, so the file always opens; everything else is kept as written.
fn text(s: &str, emph: Emph) -> Run {
    let mut run = Run::new().add_text(clean(s));
    if emph.bold {
        run = run.bold();
    }
    if emph.italic {
        run = run.italic();
    }
    run
}

fn clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// The footer's template ("第 {page} 页 / 共 {total} 页") with PAGE and NUMPAGES fields.
fn page_footer(template: &str) -> Paragraph {
    let mut p = Paragraph::new().align(AlignmentType::Center);
    let mut rest = template;
    loop {
        let page = rest.find("{page}");
        let total = rest.find("{total}");
        let next = match (page, total) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let Some(at) = next else {
            if !rest.is_empty() {
                p = p.add_run(text(rest, Emph::default()).size(SMALL));
            }
            return p;
        };
        if at > 0 {
            p = p.add_run(text(&rest[..at], Emph::default()).size(SMALL));
        }
        if Some(at) == page {
            p = p.add_page_num(PageNum::new());
            rest = &rest[at + "{page}".len()..];
        } else {
            p = p.add_num_pages(NumPages::new());
            rest = &rest[at + "{total}".len()..];
        }
    }
}

/// Rich text as Word paragraphs: one per paragraph or list item, emphasis as run properties,
/// list markers before a hanging indent.
fn paragraphs(r: &Rich) -> Vec<Paragraph> {
    r.paras
        .iter()
        .map(|p| {
            let mut para = Paragraph::new();
            let depth = i32::from(p.depth);
            if let Some(marker) = &p.marker {
                para = para
                    .indent(
                        Some(INDENT * depth.max(1)),
                        Some(SpecialIndentType::Hanging(INDENT)),
                        None,
                        None,
                    )
                    .add_run(Run::new().add_text(clean(marker)).add_tab());
            } else if depth > 0 {
                para = para.indent(Some(INDENT * depth), None, None, None);
            }
            let mut at = 0;
            for (range, emph) in &p.runs {
                if let Some(before) = p.text.get(at..range.start).filter(|s| !s.is_empty()) {
                    para = para.add_run(text(before, Emph::default()));
                }
                if let Some(s) = p.text.get(range.clone()) {
                    para = para.add_run(text(s, *emph));
                    at = range.end;
                }
            }
            if let Some(rest) = p.text.get(at..).filter(|s| !s.is_empty()) {
                para = para.add_run(text(rest, Emph::default()));
            }
            para
        })
        .collect()
}

/// A cell from edge `from` to edge `to`.
fn cell(from: usize, to: usize, paras: Vec<Paragraph>) -> TableCell {
    let width = to.saturating_sub(from);
    let span = column(to).saturating_sub(column(from)).max(1);
    let mut c = TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center);
    if span > 1 {
        c = c.grid_span(span);
    }
    for p in paras {
        c = c.add_paragraph(p);
    }
    c
}

/// A shaded label cell, its text bold and centred.
fn label(from: usize, to: usize, s: &str) -> TableCell {
    cell(
        from,
        to,
        vec![
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(text(s, BOLD)),
        ],
    )
    .shading(Shading::new().fill(LABEL_FILL))
}

/// A section label merged down its rows: the first row starts the merge, the others continue.
fn section_label(s: &str, first: bool) -> TableCell {
    if first {
        label(0, LABEL, s).vertical_merge(VMergeType::Restart)
    } else {
        cell(0, LABEL, Vec::new())
            .shading(Shading::new().fill(LABEL_FILL))
            .vertical_merge(VMergeType::Continue)
    }
}

fn value(from: usize, to: usize, r: &Rich) -> TableCell {
    cell(from, to, paragraphs(r))
}

/// A field's value as paragraphs: positions linked to their forms (as in the HTML), anything
/// else through the rich text.
fn field(f: &Field, l: &Labels) -> Vec<Paragraph> {
    let Value::Positions { refs, total } = &f.value else {
        return paragraphs(&rich(&f.value, l));
    };
    let mut p = Paragraph::new();
    for (n, r) in refs.iter().enumerate() {
        if n > 0 {
            p = p.add_run(text(l.separator, Emph::default()));
        }
        let title = text(&r.title, Emph::default());
        p = match r.position {
            Some(i) => {
                p.add_hyperlink(Hyperlink::new(bookmark(i), HyperlinkType::Anchor).add_run(title))
            }
            None => p.add_run(title),
        };
    }
    if *total > refs.len() {
        p = p.add_run(text(&l.more_positions(*total), Emph::default()));
    }
    vec![p]
}

/// One position's 职务说明书 table.
fn form_table(book: &Book, form: &Form) -> Table {
    let l = book.labels;
    let v = |from, to, f: &Field| cell(from, to, field(f, l));
    let wide = |f: &Field| TableRow::new(vec![label(0, LABEL, f.label), v(LABEL, END, f)]);
    // A labelled group of rows: the group's label merged down column 0.
    let group = |rows: &mut Vec<TableRow>, name: &str, fields: &[Field]| {
        for (n, f) in fields.iter().enumerate() {
            rows.push(TableRow::new(vec![
                section_label(name, n == 0),
                label(LABEL, ROW_LABEL, f.label),
                v(ROW_LABEL, END, f),
            ]));
        }
    };
    let mut rows = Vec::new();
    for row in &form.header {
        match row.as_slice() {
            [a, b] => rows.push(
                TableRow::new(vec![
                    label(0, LABEL, a.label),
                    v(LABEL, MID, a),
                    label(MID, LABEL_2, b.label),
                    v(LABEL_2, END, b),
                ])
                .cant_split(),
            ),
            [a] => rows.push(wide(a).cant_split()),
            _ => {}
        }
    }
    for section in &form.sections {
        match section {
            Section::Field(f) => rows.push(wide(f)),
            Section::Duties {
                label: name,
                duties,
            } => {
                rows.push(TableRow::new(vec![label(0, END, name)]).cant_split());
                for d in duties {
                    group(&mut rows, &d.number, &d.rows);
                }
            }
            Section::Group {
                label: name,
                rows: fields,
                ..
            } => group(&mut rows, name, fields),
            Section::Kpis(k) => kpis(&mut rows, k, book),
        }
    }
    let border = |pos| TableBorder::new(pos).size(4);
    Table::new(rows)
        .set_grid(grid())
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_border(border(TableBorderPosition::Top))
        .set_border(border(TableBorderPosition::Bottom))
        .set_border(border(TableBorderPosition::Left))
        .set_border(border(TableBorderPosition::Right))
        .set_border(border(TableBorderPosition::InsideH))
        .set_border(border(TableBorderPosition::InsideV))
}

/// 考核指标: the names in one line, or a table of name and the columns with anything in them,
/// the label merged down beside it.
fn kpis(rows: &mut Vec<TableRow>, k: &Kpis, book: &Book) {
    let l = book.labels;
    if k.names_only() {
        let names = Value::Inline(k.rows.iter().map(|r| r.name.clone()).collect());
        rows.push(TableRow::new(vec![
            label(0, LABEL, k.label),
            value(LABEL, END, &rich(&names, l)),
        ]));
        return;
    }
    let columns = k.columns(l);
    // The name's cell ends where the columns start; column `n` starts at `at(n)`.
    let at = |n: usize| END - (columns.len() - n) * KPI_COLUMN;
    let mut head = vec![
        section_label(k.label, true),
        label(LABEL, at(0), l.kpi_name),
    ];
    for (n, name) in columns.iter().enumerate() {
        head.push(label(at(n), at(n) + KPI_COLUMN, name));
    }
    rows.push(TableRow::new(head).cant_split());
    for r in &k.rows {
        let mut row = vec![
            section_label(k.label, false),
            value(LABEL, at(0), &Rich::markdown(&r.name)),
        ];
        for (n, s) in k.cells(r).into_iter().enumerate() {
            row.push(value(at(n), at(n) + KPI_COLUMN, &Rich::plain(s)));
        }
        rows.push(TableRow::new(row).cant_split());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_fills_the_width_between_the_margins_in_order() {
        assert!(EDGES.windows(2).all(|w| w[0] < w[1]), "{EDGES:?}");
        assert_eq!(grid().iter().sum::<usize>(), TEXT_WIDTH);
        assert_eq!(column(END), EDGES.len() - 1);
    }

    #[test]
    fn control_characters_become_replacement_characters_and_the_rest_stays() {
        assert_eq!(clean("a\u{1}b\u{ffff}𠀀\t"), "a\u{fffd}b\u{fffd}𠀀\t");
    }
}
