//! A [`Doc`] laid out with genpdf into PDF bytes: page header (document name on the left,
//! the section's name on the right), footer "第 X 页 / 共 Y 页", page numbers in the table of
//! contents. Because the numbers are only known after layout, the document is laid out twice;
//! the second pass uses the first pass's page map (the layout does not depend on the numbers).

use std::cell::{Cell as StdCell, RefCell};
use std::rc::Rc;

use genpdf::elements::{Break, PageBreak};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Element, Margins, Mm, Position, RenderResult, Size, render};

use super::PdfError;
use super::fonts::{Fonts, Subset};
use super::layout::*;
use super::postprocess;
use super::text::{Faces, Rich, TextBlock};

const GREY: Color = Color::Rgb(90, 90, 90);

/// Sections rendered by one genpdf document: chunks are laid out in parallel, and their PDFs
/// merged, so time and memory stay proportional to a chunk, not to the whole handbook
/// (printpdf keeps every glyph of a document as a separate object until it writes it).
const CHUNK_SECTIONS: usize = 100;
/// At most this many bytes of text per chunk (about 200 pages of Chinese forms).
const CHUNK_BYTES: usize = 750_000;

/// One chunk: a range of sections, the first chunk also carrying the cover and contents.
#[derive(Debug, Clone)]
struct Chunk {
    sections: std::ops::Range<usize>,
    front: bool,
}

/// What pass 2 needs to know of the whole document.
struct Numbers<'a> {
    /// The number of this chunk's first page, less one.
    offset: usize,
    total: usize,
    /// Global start page of every section.
    starts: &'a [usize],
    /// The name heading each page (index = page number).
    names: &'a [Option<String>],
}

/// Renders `doc` with `fonts` into PDF bytes: fonts subset and embedded once, streams
/// compressed, ToUnicode maps right.
pub fn render(doc: &Doc, fonts: &Fonts) -> Result<Vec<u8>, PdfError> {
    use rayon::prelude::*;

    let (regular, bold) = doc.subsets(fonts)?;
    let bold = bold.as_ref();

    let n = doc.sections.len();
    // Cut chunks by the amount of text (printpdf's memory grows with glyphs), and by count.
    let mut chunks = Vec::new();
    let (mut start, mut weight) = (0, 0);
    for (i, section) in doc.sections.iter().enumerate() {
        let w = section.weight();
        if i > start && (weight + w > CHUNK_BYTES || i - start >= CHUNK_SECTIONS) {
            chunks.push(Chunk {
                sections: start..i,
                front: chunks.is_empty(),
            });
            start = i;
            weight = 0;
        }
        weight += w;
    }
    chunks.push(Chunk {
        sections: start..n,
        front: chunks.is_empty(),
    });

    // Pass 1 lays out without drawing, to learn where every page break falls.
    let measured: Vec<(Vec<usize>, usize)> = chunks
        .par_iter()
        .map(|c| {
            render_pass(doc, c, &regular, bold, None).map(|(_, starts, pages)| (starts, pages))
        })
        .collect::<Result<_, _>>()?;
    let mut offsets = Vec::with_capacity(chunks.len());
    let mut starts = Vec::with_capacity(n);
    let mut total = 0;
    for (rel, pages) in &measured {
        offsets.push(total);
        starts.extend(rel.iter().map(|p| p + total));
        total += pages;
    }
    let mut names: Vec<Option<String>> = vec![None; total + 2];
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(total + 1);
        for slot in names.iter_mut().take(end).skip(start) {
            *slot = Some(doc.sections[i].name.clone());
        }
    }
    if let Some(t) = &doc.toc_title {
        let from = if doc.cover.is_some() { 2 } else { 1 };
        let to = starts.first().copied().unwrap_or(total + 1);
        for slot in names.iter_mut().take(to).skip(from) {
            *slot = Some(t.clone());
        }
    }

    // Pass 2 draws, with the page numbers pass 1 found.
    let pdfs: Vec<lopdf::Document> = chunks
        .par_iter()
        .zip(&offsets)
        .zip(&measured)
        .map(|((c, &offset), (rel, pages))| {
            let numbers = Numbers {
                offset,
                total,
                starts: &starts,
                names: &names,
            };
            let (bytes, found, found_pages) = render_pass(doc, c, &regular, bold, Some(&numbers))?;
            if &found != rel || found_pages != *pages {
                return Err(PdfError::Layout(
                    "page breaks moved between the two layout passes".into(),
                ));
            }
            postprocess::load_compressed(&bytes)
        })
        .collect::<Result<_, _>>()?;
    let subsets: Vec<&Subset> = std::iter::once(&regular).chain(bold).collect();
    postprocess::finish(postprocess::merge(pdfs)?, &subsets, &doc.title)
}

/// The genpdf font family of one face. With `embed` false (the layout-only pass) even the
/// regular style points at a built-in font: metrics still come from the face, and printpdf
/// skips its costly scan of the whole Unicode range for an embedded font.
fn family(subset: &Subset, embed: bool) -> Result<FontFamily<FontData>, PdfError> {
    use printpdf::BuiltinFont;
    let data = |builtin: Option<BuiltinFont>| {
        let builtin = if embed {
            builtin
        } else {
            builtin.or(Some(BuiltinFont::Helvetica))
        };
        FontData::new(subset.data.clone(), builtin).map_err(|e| PdfError::FontFormat {
            font: subset.ps_name.clone(),
            why: format!("genpdf cannot read it ({e})"),
        })
    };
    // Only the regular style is embedded; the others are never drawn with (bold text uses the
    // bold face's family) and point at built-in PDF fonts, which are never embedded and are
    // removed from the file afterwards.
    Ok(FontFamily {
        regular: data(None)?,
        bold: data(Some(BuiltinFont::HelveticaBold))?,
        italic: data(Some(BuiltinFont::HelveticaOblique))?,
        bold_italic: data(Some(BuiltinFont::HelveticaBoldOblique))?,
    })
}

/// Lays out (and, with `numbers`, draws) one chunk; returns the PDF, the chunk-relative start
/// page of each of its sections, and its page count.
fn render_pass(
    doc: &Doc,
    chunk: &Chunk,
    regular: &Subset,
    bold: Option<&Subset>,
    numbers: Option<&Numbers<'_>>,
) -> Result<(Vec<u8>, Vec<usize>, usize), PdfError> {
    let embed = numbers.is_some();
    let mut gdoc = genpdf::Document::new(family(regular, embed)?);
    let bold_family = match bold {
        Some(b) => gdoc.add_font_family(family(b, embed)?),
        None => gdoc.font_cache().default_font_family(),
    };
    let regular_family = gdoc.font_cache().default_font_family();
    let faces = Rc::new(Faces::new(regular_family, bold_family, numbers.is_some()));
    gdoc.set_title(doc.title.clone());
    gdoc.set_minimal_conformance();
    gdoc.set_font_size(BODY_SIZE);

    let offset = numbers.map_or(0, |n| n.offset);
    let page = Rc::new(StdCell::new(offset));
    let starts = Rc::new(RefCell::new(vec![0usize; chunk.sections.len()]));
    gdoc.set_page_decorator(Decorator {
        page: page.clone(),
        faces: faces.clone(),
        title: doc.title.clone(),
        names: numbers.map_or(Vec::new(), |n| n.names.to_vec()),
        footer: doc.footer.clone(),
        total: numbers.map_or(0, |n| n.total),
        bare_first: chunk.front && doc.cover.is_some(),
    });

    let mut first_block = true;
    let new_page = |gdoc: &mut genpdf::Document, first: &mut bool| {
        if !*first {
            gdoc.push(PageBreak::new());
        }
        *first = false;
    };
    if let (true, Some(cover)) = (chunk.front, &doc.cover) {
        new_page(&mut gdoc, &mut first_block);
        gdoc.push(Break::new(12));
        gdoc.push(
            TextBlock::new(Rich::bold(&cover.title), COVER_SIZE, faces.clone())
                .aligned(Alignment::Center),
        );
        gdoc.push(Break::new(3));
        for l in &cover.lines {
            gdoc.push(
                TextBlock::new(Rich::plain(l), HEADING_SIZE, faces.clone())
                    .aligned(Alignment::Center),
            );
            gdoc.push(Break::new(0.6));
        }
    }
    if let (true, Some(t)) = (chunk.front, &doc.toc_title) {
        new_page(&mut gdoc, &mut first_block);
        gdoc.push(
            TextBlock::new(Rich::bold(t), TITLE_SIZE, faces.clone()).aligned(Alignment::Center),
        );
        gdoc.push(Break::new(1));
        let entries = doc
            .sections
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let page = numbers.and_then(|n| n.starts.get(i).copied()).unwrap_or(0);
                (s.name.clone(), page)
            })
            .collect();
        gdoc.push(Toc {
            entries,
            next: 0,
            faces: faces.clone(),
        });
    }
    for (slot, i) in chunk.sections.clone().enumerate() {
        let section = &doc.sections[i];
        new_page(&mut gdoc, &mut first_block);
        gdoc.push(Marker {
            slot,
            page: page.clone(),
            starts: starts.clone(),
        });
        for block in &section.blocks {
            match block {
                Block::Title(t) => {
                    gdoc.push(
                        TextBlock::new(Rich::bold(t), TITLE_SIZE, faces.clone())
                            .aligned(Alignment::Center),
                    );
                    gdoc.push(Break::new(0.5));
                }
                Block::Heading(t) => {
                    gdoc.push(Break::new(0.3));
                    gdoc.push(TextBlock::new(Rich::bold(t), HEADING_SIZE, faces.clone()));
                }
                Block::Text(r) => gdoc.push(TextBlock::new(r.clone(), BODY_SIZE, faces.clone())),
                Block::Form(f) => gdoc.push(FormElement::new(f, faces.clone())),
                Block::Space(mm) => gdoc.push(Gap(*mm)),
                Block::Drawing(d) => gdoc.push(DrawingElement {
                    drawing: d.clone(),
                    faces: faces.clone(),
                    done: false,
                }),
            }
        }
    }

    let mut out = Vec::new();
    gdoc.render(&mut out)
        .map_err(|e| PdfError::Layout(e.to_string()))?;
    let rel: Vec<usize> = starts
        .borrow()
        .iter()
        .map(|p| p.saturating_sub(offset))
        .collect();
    Ok((out, rel, page.get().saturating_sub(offset)))
}

/// Page header and footer; counts pages for the markers.
struct Decorator {
    page: Rc<StdCell<usize>>,
    faces: Rc<Faces>,
    title: String,
    /// The section name heading each page (index = page number), from the previous pass.
    names: Vec<Option<String>>,
    footer: String,
    total: usize,
    /// The cover has neither header nor footer.
    bare_first: bool,
}

impl genpdf::PageDecorator for Decorator {
    fn decorate_page<'a>(
        &mut self,
        ctx: &genpdf::Context,
        mut area: render::Area<'a>,
        _style: Style,
    ) -> Result<render::Area<'a>, genpdf::error::Error> {
        let n = self.page.get() + 1;
        self.page.set(n);
        area.add_margins(Margins::trbl(MARGIN_TB, MARGIN_LR, MARGIN_TB, MARGIN_LR));
        let width = f64::from(area.size().width);
        let height = f64::from(area.size().height);
        if n == 1 && self.bare_first {
            return Ok(area);
        }
        if !self.faces.drawing {
            area.add_offset(Position::new(0, Mm::from(HEADER_HEIGHT)));
            area.set_height(Mm::from(height - HEADER_HEIGHT - FOOTER_HEIGHT));
            return Ok(area);
        }
        let style = self.faces.style(HEADER_SIZE, false).with_color(GREY);
        area.print_str(&ctx.font_cache, Position::new(0, 0), style, &self.title)?;
        if let Some(Some(name)) = self.names.get(n) {
            let w = self.faces.str_width(ctx, name, false, HEADER_SIZE);
            let x = (width - w).max(0.0);
            area.print_str(
                &ctx.font_cache,
                Position::new(Mm::from(x), Mm::from(0.0)),
                style,
                name,
            )?;
        }
        let rule = HEADER_HEIGHT - 4.0;
        area.draw_line(
            vec![
                Position::new(Mm::from(0.0), Mm::from(rule)),
                Position::new(Mm::from(width), Mm::from(rule)),
            ],
            Style::new().with_color(GREY),
        );
        let footer = self
            .footer
            .replace("{page}", &n.to_string())
            .replace("{total}", &self.total.to_string());
        let fw = self.faces.str_width(ctx, &footer, false, HEADER_SIZE);
        area.print_str(
            &ctx.font_cache,
            Position::new(
                Mm::from(((width - fw) / 2.0).max(0.0)),
                Mm::from(height - FOOTER_HEIGHT + 4.0),
            ),
            style,
            &footer,
        )?;
        area.add_offset(Position::new(0, Mm::from(HEADER_HEIGHT)));
        area.set_height(Mm::from(height - HEADER_HEIGHT - FOOTER_HEIGHT));
        Ok(area)
    }
}

/// The x and width of each cell of a row, from the spans.
fn geometry(row: &[(usize, bool, TextBlock)], col_w: &[f64]) -> Vec<(f64, f64)> {
    let mut geo = Vec::with_capacity(row.len());
    let mut col = 0;
    let mut x = 0.0;
    for (span, _, _) in row {
        let end = (col + span).min(col_w.len());
        let w: f64 = col_w[col.min(col_w.len())..end].iter().sum();
        geo.push((x, w));
        x += w;
        col = end;
    }
    geo
}

/// The height the rest of a row needs, padding included (lays its cells out).
fn row_height(
    ctx: &genpdf::Context,
    row: &mut [(usize, bool, TextBlock)],
    geo: &[(f64, f64)],
) -> f64 {
    for ((_, _, t), (_, w)) in row.iter_mut().zip(geo) {
        t.layout(ctx, (w - 2.0 * CELL_PAD_X).max(1.0));
    }
    row.iter()
        .map(|(_, _, t)| t.remaining_height(ctx))
        .fold(0.0, f64::max)
        + 2.0 * CELL_PAD_Y
}

fn t_drawing(row: &[(usize, bool, TextBlock)]) -> bool {
    row.first().is_none_or(|(_, _, t)| t.drawing())
}

/// Records the page a section starts on.
struct Marker {
    slot: usize,
    page: Rc<StdCell<usize>>,
    starts: Rc<RefCell<Vec<usize>>>,
}

impl Element for Marker {
    fn render(
        &mut self,
        _ctx: &genpdf::Context,
        _area: render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        self.starts.borrow_mut()[self.slot] = self.page.get();
        Ok(RenderResult::default())
    }
}

/// Vertical space that never carries over to the next page.
struct Gap(f64);

impl Element for Gap {
    fn render(
        &mut self,
        _ctx: &genpdf::Context,
        area: render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let h = self.0.min(f64::from(area.size().height));
        Ok(RenderResult {
            size: Size::new(0, Mm::from(h)),
            has_more: false,
        })
    }
}

/// The table of contents: one line per section, its start page on the right, dot leaders.
struct Toc {
    entries: Vec<(String, usize)>,
    next: usize,
    faces: Rc<Faces>,
}

impl Element for Toc {
    fn render(
        &mut self,
        ctx: &genpdf::Context,
        area: render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let lh = self.faces.line_height(ctx, BODY_SIZE) * 1.25;
        let width = f64::from(area.size().width);
        let height = f64::from(area.size().height);
        let style = self.faces.style(BODY_SIZE, false);
        let mut y = 0.0;
        while self.next < self.entries.len() && y + lh <= height {
            let (name, page) = &self.entries[self.next];
            let num = page.to_string();
            let ContentsLine {
                shown,
                shown_width: w,
                dots,
                dot,
                number_width: nw,
            } = contents_line(name, &num, width, |c| {
                self.faces.char_width(ctx, c, false, BODY_SIZE)
            });
            if !self.faces.drawing {
                y += lh;
                self.next += 1;
                continue;
            }
            area.print_str(
                &ctx.font_cache,
                Position::new(Mm::from(0.0), Mm::from(y)),
                style,
                &shown,
            )?;
            area.print_str(
                &ctx.font_cache,
                Position::new(Mm::from(w + dot), Mm::from(y)),
                style.with_color(GREY),
                &dots,
            )?;
            area.print_str(
                &ctx.font_cache,
                Position::new(Mm::from(width - nw), Mm::from(y)),
                style,
                &num,
            )?;
            y += lh;
            self.next += 1;
        }
        Ok(RenderResult {
            size: Size::new(area.size().width, Mm::from(y)),
            has_more: self.next < self.entries.len(),
        })
    }
}

/// A [`Form`] as a genpdf element: rows are kept whole on a page when they fit on one, and
/// split between lines (never dropping text) when they are taller than a page.
struct FormElement {
    columns: Vec<f64>,
    rows: Vec<Vec<(usize, bool, TextBlock)>>,
    /// The bar of each cell, if any, and each row's least height.
    bars: Vec<Vec<Option<Bar>>>,
    min_height: Vec<f64>,
    keep_with_next: Vec<bool>,
    next: usize,
    /// The current row was begun on an earlier page.
    row_started: bool,
}

impl FormElement {
    fn new(form: &Form, faces: Rc<Faces>) -> FormElement {
        let rows = form
            .rows
            .iter()
            .map(|row| {
                row.cells
                    .iter()
                    .map(|c| {
                        let mut t = TextBlock::new(c.content.clone(), BODY_SIZE, faces.clone());
                        if c.label {
                            t = t.aligned(Alignment::Center);
                        }
                        (c.span.max(1), c.label, t)
                    })
                    .collect()
            })
            .collect();
        FormElement {
            columns: form.columns.clone(),
            rows,
            bars: form
                .rows
                .iter()
                .map(|r| r.cells.iter().map(|c| c.bar.clone()).collect())
                .collect(),
            min_height: form.rows.iter().map(|r| r.min_height).collect(),
            keep_with_next: form.rows.iter().map(|r| r.keep_with_next).collect(),
            next: 0,
            row_started: false,
        }
    }
}

impl Element for FormElement {
    fn render(
        &mut self,
        ctx: &genpdf::Context,
        area: render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let width = f64::from(area.size().width);
        let height = f64::from(area.size().height);
        let total: f64 = self.columns.iter().sum::<f64>().max(f64::EPSILON);
        let col_w: Vec<f64> = self.columns.iter().map(|c| c / total * width).collect();
        let mut y = 0.0;
        while self.next < self.rows.len() {
            let geo = geometry(&self.rows[self.next], &col_w);
            let full_h =
                row_height(ctx, &mut self.rows[self.next], &geo).max(self.min_height[self.next]);
            let avail = height - y;
            let fits = full_h <= avail + 1e-6;
            // A heading row takes at least the start of the row after it along.
            let mut need = full_h;
            if self.keep_with_next[self.next] && self.next + 1 < self.rows.len() {
                let next_geo = geometry(&self.rows[self.next + 1], &col_w);
                let next_h = row_height(ctx, &mut self.rows[self.next + 1], &next_geo)
                    .max(self.min_height[self.next + 1]);
                let lh = self.rows[self.next + 1]
                    .first()
                    .map_or(0.0, |(_, _, t)| t.line_height(ctx));
                // The next row moves whole when it fits a page, so take all of it then.
                need += if full_h + next_h <= BODY_HEIGHT {
                    next_h
                } else {
                    next_h.min(3.0 * lh + 2.0 * CELL_PAD_Y)
                };
            }
            if fits && need > avail + 1e-6 && y > 0.0 && need <= BODY_HEIGHT {
                return Ok(RenderResult {
                    size: Size::new(area.size().width, Mm::from(y)),
                    has_more: true,
                });
            }
            let row = &mut self.rows[self.next];
            // A row that fits on an empty page is moved there whole rather than split.
            if !fits && !self.row_started && full_h <= BODY_HEIGHT {
                return Ok(RenderResult {
                    size: Size::new(area.size().width, Mm::from(y)),
                    has_more: true,
                });
            }
            let row_h = if fits { full_h } else { avail };
            let inner_h = row_h - 2.0 * CELL_PAD_Y;
            let mut used: f64 = 0.0;
            for ((_, label, t), (x, w)) in row.iter_mut().zip(&geo) {
                let h = t.remaining_height(ctx);
                let dy = if *label && fits {
                    ((inner_h - h) / 2.0).max(0.0)
                } else {
                    0.0
                };
                let mut cell = area.clone();
                cell.add_offset(Position::new(
                    Mm::from(x + CELL_PAD_X),
                    Mm::from(y + CELL_PAD_Y + dy),
                ));
                cell.set_width(Mm::from((w - 2.0 * CELL_PAD_X).max(1.0)));
                cell.set_height(Mm::from((inner_h - dy).max(0.0)));
                used = used.max(t.draw(ctx, &cell)? + dy);
            }
            let drawn_h = if fits { row_h } else { used + 2.0 * CELL_PAD_Y };
            if !fits && used <= 0.0 {
                // Not even one line fits here: continue on the next page.
                return Ok(RenderResult {
                    size: Size::new(area.size().width, Mm::from(y)),
                    has_more: true,
                });
            }
            if t_drawing(&row[..]) {
                for (bar, (x, w)) in self.bars[self.next].iter().zip(&geo) {
                    if let Some(bar) = bar {
                        let (bx, bw) = (x + CELL_PAD_X, (w - 2.0 * CELL_PAD_X).max(1.0));
                        draw_bar(&area, bar, bx, y + (drawn_h - BAR_HEIGHT) / 2.0, bw);
                    }
                }
            }
            for (x, w) in geo.iter().filter(|_| t_drawing(&row[..])) {
                let (x0, x1, y0, y1) = (*x, x + w, y, y + drawn_h);
                area.draw_line(
                    vec![
                        Position::new(Mm::from(x0), Mm::from(y0)),
                        Position::new(Mm::from(x1), Mm::from(y0)),
                        Position::new(Mm::from(x1), Mm::from(y1)),
                        Position::new(Mm::from(x0), Mm::from(y1)),
                        Position::new(Mm::from(x0), Mm::from(y0)),
                    ],
                    Style::new(),
                );
            }
            y += drawn_h;
            if fits {
                self.next += 1;
                self.row_started = false;
            } else {
                self.row_started = true;
                return Ok(RenderResult {
                    size: Size::new(area.size().width, Mm::from(y)),
                    has_more: true,
                });
            }
        }
        Ok(RenderResult {
            size: Size::new(area.size().width, Mm::from(y)),
            has_more: false,
        })
    }
}

/// A [`Bar`] with its top left corner at (`x`, `y`) mm and `w` mm wide, in genpdf's lines
/// (it has no filled shapes): the track's outline, the fill as close horizontal lines, the
/// marks across it.
fn draw_bar(area: &render::Area<'_>, bar: &Bar, x: f64, y: f64, w: f64) {
    let line = |from: (f64, f64), to: (f64, f64), grey: f64| {
        let level = (grey * 255.0).round() as u8;
        area.draw_line(
            vec![
                Position::new(Mm::from(from.0), Mm::from(from.1)),
                Position::new(Mm::from(to.0), Mm::from(to.1)),
            ],
            Style::new().with_color(Color::Greyscale(level)),
        );
    };
    let (fill, marks) = bar.clamped();
    let h = BAR_HEIGHT;
    let (x1, y1) = (x + w, y + h);
    for (a, b) in [
        ((x, y), (x1, y)),
        ((x1, y), (x1, y1)),
        ((x1, y1), (x, y1)),
        ((x, y1), (x, y)),
    ] {
        line(a, b, BAR_TRACK);
    }
    let level = if bar.light { BAR_LIGHT } else { BAR_FILL };
    if fill > 0.0 {
        let mut yy = y + 0.15;
        while yy < y1 {
            line((x, yy), (x + w * fill, yy), level);
            yy += 0.3;
        }
    }
    for m in marks {
        line((x + w * m, y - 0.6), (x + w * m, y1 + 0.6), 0.0);
    }
}

/// A [`Drawing`] as a genpdf element: placed in the room left on the page, drawn at once.
struct DrawingElement {
    drawing: Drawing,
    faces: Rc<Faces>,
    done: bool,
}

impl Element for DrawingElement {
    fn render(
        &mut self,
        ctx: &genpdf::Context,
        area: render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let mut result = RenderResult::default();
        if self.done {
            return Ok(result);
        }
        let (w, h) = (f64::from(area.size().width), f64::from(area.size().height));
        let placed = self.drawing.place(w, h);
        if self.faces.drawing {
            for [a, b] in &placed.segments {
                area.draw_line(
                    vec![
                        Position::new(Mm::from(a.0), Mm::from(a.1)),
                        Position::new(Mm::from(b.0), Mm::from(b.1)),
                    ],
                    Style::new(),
                );
            }
            for t in &placed.texts {
                let width = self.faces.str_width(ctx, &t.text, false, t.size);
                // genpdf places text by its top; the face's ascent is about 0.8 of its height.
                let ascent = 0.8 * f64::from(self.faces.regular.regular.glyph_height(t.size));
                let mut style = self.faces.style(t.size, false);
                if t.grey {
                    style = style.with_color(GREY);
                }
                let mut room = area.clone();
                room.set_height(Mm::from(h + 10.0));
                room.print_str(
                    &ctx.font_cache,
                    Position::new(
                        Mm::from((t.centre - width / 2.0).max(0.0)),
                        Mm::from(t.baseline - ascent),
                    ),
                    style,
                    &t.text,
                )?;
            }
        }
        result.size = Size::new(w, placed.height);
        self.done = true;
        Ok(result)
    }
}
