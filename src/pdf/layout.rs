//! The document model every rolebook PDF is made of, and its rendering with genpdf.
//!
//! A [`Doc`] is data: an optional cover, an optional table of contents, and sections, each
//! starting on a new page, holding titles, paragraphs and bordered form tables ([`Form`]) whose
//! cells may span columns. The handbook builds one per organization and [`render`] lays it
//! out with genpdf; KPI scorecards, tens of thousands of pages, are the same model written by
//! [`super::direct`]. [`render`] turns a document into PDF bytes: page header (document name on the left,
//! the section's name on the right), footer "第 X 页 / 共 Y 页", page numbers in the table of
//! contents. Because the numbers are only known after layout, the document is laid out twice;
//! the second pass uses the first pass's page map (the layout does not depend on the numbers).

use std::cell::{Cell as StdCell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use genpdf::elements::{Break, PageBreak};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Element, Margins, Mm, Position, RenderResult, Size, render};

use super::PdfError;
use super::fonts::{Fonts, Subset};
use super::postprocess;
use super::text::{Faces, Rich, TextBlock};

/// A whole PDF document.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The PDF's title (document information) and the left part of every page header.
    pub title: String,
    pub cover: Option<Cover>,
    /// The heading of the table of contents; no table of contents when `None`.
    pub toc_title: Option<String>,
    pub sections: Vec<Section>,
    /// The footer, with `{page}` and `{total}` replaced; e.g. "第 {page} 页 / 共 {total} 页".
    pub footer: String,
}

/// The cover page: lines centred on the page, the first one large.
#[derive(Debug, Clone, Default)]
pub struct Cover {
    pub title: String,
    pub lines: Vec<String>,
}

/// A part of the document that starts on a new page and has its own page header.
#[derive(Debug, Clone, Default)]
pub struct Section {
    /// Shown on the right of the page header of the section's pages and in the contents.
    pub name: String,
    pub blocks: Vec<Block>,
}

impl Section {
    /// The bytes of text the section draws: what its layout costs.
    pub fn weight(&self) -> usize {
        let rich = |r: &Rich| r.paras.iter().map(|p| p.text.len() + 1).sum::<usize>();
        self.blocks
            .iter()
            .map(|b| match b {
                Block::Title(t) | Block::Heading(t) => t.len(),
                Block::Text(r) => rich(r),
                Block::Form(f) => f
                    .rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .map(|c| rich(&c.content) + 8)
                    .sum(),
                Block::Space(_) => 0,
                Block::Drawing(d) => d.texts.iter().map(|t| t.text.len() + 8).sum(),
            })
            .sum()
    }
}

/// What a section is made of.
#[derive(Debug, Clone)]
pub enum Block {
    /// A large bold centred title.
    Title(String),
    /// A bold heading.
    Heading(String),
    /// Body text.
    Text(Rich),
    /// A bordered table.
    Form(Form),
    /// Vertical space, in mm.
    Space(f64),
    /// A vector drawing (the organization chart), scaled to the room left on the page.
    Drawing(Drawing),
}

/// Lines, boxes and centred text in the drawing's own units, origin top left.
#[derive(Debug, Clone, Default)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    /// Straight lines, dashed or solid.
    pub lines: Vec<Stroke>,
    /// Texts centred on `x`, their baseline at `y`.
    pub texts: Vec<Caption>,
}

/// A straight line of a [`Drawing`].
#[derive(Debug, Clone, Copy)]
pub struct Stroke {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub dashed: bool,
}

/// A text of a [`Drawing`].
#[derive(Debug, Clone)]
pub struct Caption {
    pub x: f64,
    pub y: f64,
    /// In drawing units.
    pub size: f64,
    pub text: String,
    pub grey: bool,
}

impl Drawing {
    /// Adds a rectangle's four sides.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, dashed: bool) {
        let corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)];
        for pair in corners.windows(2) {
            self.lines.push(Stroke {
                from: pair[0],
                to: pair[1],
                dashed,
            });
        }
    }

    /// The drawing placed in a box `width` × `height` mm: at its natural size
    /// ([`DRAWING_MM`] a unit) when it fits, else shrunk to fit. Both writers draw this.
    pub fn place(&self, width: f64, height: f64) -> Placed {
        let scale = DRAWING_MM
            .min(width / self.width.max(1.0))
            .min(height / self.height.max(1.0));
        let left = ((width - self.width * scale) / 2.0).max(0.0);
        let at = |(x, y): (f64, f64)| (left + x * scale, y * scale);
        let mut segments = Vec::with_capacity(self.lines.len());
        for l in &self.lines {
            let (a, b) = (at(l.from), at(l.to));
            if !l.dashed {
                segments.push([a, b]);
                continue;
            }
            let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
            let (on, period) = (DASH_ON * scale, (DASH_ON + DASH_OFF) * scale);
            let mut t = 0.0;
            while t < len && period > 0.0 {
                let (t0, t1) = (t / len, ((t + on).min(len)) / len);
                let p = |k: f64| (a.0 + (b.0 - a.0) * k, a.1 + (b.1 - a.1) * k);
                segments.push([p(t0), p(t1)]);
                t += period;
            }
        }
        let texts = self
            .texts
            .iter()
            .map(|c| {
                let (x, y) = at((c.x, c.y));
                // Point sizes are whole numbers in both writers; never below legible.
                let size = (c.size * scale / MM_PER_PT).round().clamp(4.0, 40.0) as u8;
                PlacedText {
                    centre: x,
                    baseline: y,
                    size,
                    text: c.text.clone(),
                    grey: c.grey,
                }
            })
            .collect();
        Placed {
            height: self.height * scale,
            segments,
            texts,
        }
    }
}

/// A [`Drawing`] in mm, relative to the top left of the room it was placed in.
#[derive(Debug, Clone)]
pub struct Placed {
    pub height: f64,
    pub segments: Vec<[(f64, f64); 2]>,
    pub texts: Vec<PlacedText>,
}

/// A text of a [`Placed`] drawing.
#[derive(Debug, Clone)]
pub struct PlacedText {
    pub centre: f64,
    pub baseline: f64,
    pub size: u8,
    pub text: String,
    pub grey: bool,
}

/// A drawing unit at natural size, in mm: a CSS pixel (the chart's SVG unit).
pub const DRAWING_MM: f64 = 25.4 / 96.0;
const MM_PER_PT: f64 = 25.4 / 72.0;
/// Dashes of dashed lines, in drawing units (the SVG's `stroke-dasharray="4 3"`).
const DASH_ON: f64 = 4.0;
const DASH_OFF: f64 = 3.0;

/// A bordered table whose cells can span columns, like a Word form.
#[derive(Debug, Clone, Default)]
pub struct Form {
    /// Relative column widths.
    pub columns: Vec<f64>,
    pub rows: Vec<FormRow>,
}

/// One row of a [`Form`].
#[derive(Debug, Clone)]
pub struct FormRow {
    pub cells: Vec<FormCell>,
    /// Never end a page after this row (section headings, a duty's first row).
    pub keep_with_next: bool,
}

/// One cell of a [`Form`].
#[derive(Debug, Clone)]
pub struct FormCell {
    /// How many columns the cell covers.
    pub span: usize,
    pub content: Rich,
    /// Labels are bold, centred horizontally and vertically.
    pub label: bool,
}

impl FormCell {
    pub fn label(text: &str) -> FormCell {
        FormCell {
            span: 1,
            content: Rich::bold(text),
            label: true,
        }
    }

    pub fn value(content: Rich) -> FormCell {
        FormCell {
            span: 1,
            content,
            label: false,
        }
    }

    pub fn spanning(mut self, span: usize) -> FormCell {
        self.span = span;
        self
    }
}

impl Form {
    pub fn new(columns: Vec<f64>) -> Form {
        Form {
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row; the spans must add up to the number of columns.
    pub fn row(&mut self, cells: Vec<FormCell>) -> &mut Self {
        debug_assert_eq!(
            cells.iter().map(|c| c.span).sum::<usize>(),
            self.columns.len(),
            "form row spans"
        );
        self.rows.push(FormRow {
            cells,
            keep_with_next: false,
        });
        self
    }

    /// Adds a row that stays on the same page as the row after it.
    pub fn row_kept_with_next(&mut self, cells: Vec<FormCell>) -> &mut Self {
        self.row(cells);
        if let Some(r) = self.rows.last_mut() {
            r.keep_with_next = true;
        }
        self
    }
}

// Sizes in points and mm, shared by both writers.
pub(super) const BODY_SIZE: u8 = 10;
pub(super) const TITLE_SIZE: u8 = 16;
pub(super) const HEADING_SIZE: u8 = 12;
pub(super) const HEADER_SIZE: u8 = 8;
pub(super) const COVER_SIZE: u8 = 26;
pub(super) const MARGIN_TB: f64 = 15.0;
pub(super) const MARGIN_LR: f64 = 18.0;
pub(super) const HEADER_HEIGHT: f64 = 10.0;
pub(super) const FOOTER_HEIGHT: f64 = 9.0;
pub(super) const CELL_PAD_X: f64 = 1.8;
pub(super) const CELL_PAD_Y: f64 = 1.4;
/// The height of a page's body (A4 less margins, header and footer).
pub(super) const BODY_HEIGHT: f64 = 297.0 - 2.0 * MARGIN_TB - HEADER_HEIGHT - FOOTER_HEIGHT;
const GREY: Color = Color::Rgb(90, 90, 90);

impl Doc {
    /// Every character drawn in the regular and in the bold face.
    pub fn chars(&self) -> (BTreeSet<char>, BTreeSet<char>) {
        let mut regular: BTreeSet<char> = BTreeSet::new();
        let mut bold: BTreeSet<char> = BTreeSet::new();
        regular.extend("0123456789. ".chars());
        regular.extend(self.title.chars());
        regular.extend(self.footer.chars());
        if let Some(c) = &self.cover {
            bold.extend(c.title.chars());
            c.lines.iter().for_each(|l| regular.extend(l.chars()));
        }
        if let Some(t) = &self.toc_title {
            bold.extend(t.chars());
            regular.extend(t.chars());
            // Contents lines too long for the line are cut with an ellipsis.
            regular.insert('…');
        }
        let mut rich = |r: &Rich| {
            for (c, b) in r.chars() {
                if b {
                    bold.insert(c);
                } else {
                    regular.insert(c);
                }
            }
        };
        let names: Vec<char> = self.sections.iter().flat_map(|s| s.name.chars()).collect();
        for s in &self.sections {
            for b in &s.blocks {
                match b {
                    Block::Title(t) | Block::Heading(t) => rich(&Rich::bold(t)),
                    Block::Text(r) => rich(r),
                    Block::Form(f) => f
                        .rows
                        .iter()
                        .flat_map(|r| &r.cells)
                        .for_each(|c| rich(&c.content)),
                    Block::Space(_) => {}
                    Block::Drawing(d) => d.texts.iter().for_each(|t| rich(&Rich::plain(&t.text))),
                }
            }
        }
        regular.extend(names);
        regular.retain(|c| !super::fonts::is_layout_only(*c));
        bold.retain(|c| !super::fonts::is_layout_only(*c));
        (regular, bold)
    }

    /// Checks that the fonts have every character, and cuts them down to the characters
    /// drawn: the regular subset, and the bold one (`None` when bold text uses the regular
    /// face, whose subset then holds the bold characters too).
    pub fn subsets(&self, fonts: &Fonts) -> Result<(Subset, Option<Subset>), PdfError> {
        self.check_coverage(fonts)?;
        let (regular_chars, bold_chars) = self.chars();
        Ok(match &fonts.bold {
            Some(b) => (
                fonts.regular.subset(&regular_chars)?,
                Some(b.subset(&bold_chars)?),
            ),
            None => {
                let all: BTreeSet<char> = regular_chars.union(&bold_chars).copied().collect();
                (fonts.regular.subset(&all)?, None)
            }
        })
    }

    /// The first character no font has, with where it is.
    pub fn check_coverage(&self, fonts: &Fonts) -> Result<(), PdfError> {
        let (regular, bold) = self.chars();
        for (set, is_bold) in [(&regular, false), (&bold, true)] {
            for &c in set {
                let s = c.to_string();
                if let Some((ch, font)) = fonts.missing(&s, is_bold) {
                    return Err(PdfError::MissingGlyph {
                        what: format!("the text of `{}`", self.title),
                        ch,
                        font: font.to_string(),
                    });
                }
            }
        }
        Ok(())
    }
}

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

/// One line of the contents, laid out: the section name (cut with an ellipsis when too long,
/// for contents lines never wrap), its start page on the right, dot leaders between.
pub(super) struct ContentsLine {
    pub shown: String,
    pub shown_width: f64,
    pub dots: String,
    /// The width of one leader dot (the gap left on each side of the leaders).
    pub dot: f64,
    pub number_width: f64,
}

/// [`ContentsLine`] of `name` and page `number` on a line `width` wide; `char_width` is the
/// advance of a character of the body text. Page numbers get a fixed-width slot, so the
/// numbers never change where a name is cut.
pub(super) fn contents_line(
    name: &str,
    number: &str,
    width: f64,
    char_width: impl Fn(char) -> f64,
) -> ContentsLine {
    let dot = char_width('.');
    let slot: f64 = "00000".chars().map(&char_width).sum();
    let room = width - slot - 4.0 * dot;
    let mut shown = String::new();
    let mut shown_width = 0.0;
    for c in name.chars() {
        let cw = char_width(c);
        if shown_width + cw > room {
            shown.push('…');
            shown_width += char_width('…');
            break;
        }
        shown.push(c);
        shown_width += cw;
    }
    let number_width: f64 = number.chars().map(&char_width).sum();
    let dots_room = width - shown_width - number_width - 2.0 * dot;
    ContentsLine {
        shown,
        shown_width,
        dots: ".".repeat((dots_room / dot).floor().max(0.0) as usize),
        dot,
        number_width,
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
            let full_h = row_height(ctx, &mut self.rows[self.next], &geo);
            let avail = height - y;
            let fits = full_h <= avail + 1e-6;
            // A heading row takes at least the start of the row after it along.
            let mut need = full_h;
            if self.keep_with_next[self.next] && self.next + 1 < self.rows.len() {
                let next_geo = geometry(&self.rows[self.next + 1], &col_w);
                let next_h = row_height(ctx, &mut self.rows[self.next + 1], &next_geo);
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
