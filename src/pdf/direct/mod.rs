//! A [`Doc`] written straight to PDF, without genpdf: the writer for documents of thousands
//! of pages (KPI scorecards, one page per person).
//!
//! genpdf lays a page out and writes it in about 3 ms, and finishing its output with lopdf
//! (subset names, ToUnicode maps, compression, merging the chunks) costs twice that again:
//! 33,334 scorecards took 100 s and 1 GB. This writer keeps everything the genpdf path
//! shares — the model ([`Doc`]), fonts, coverage checks and subsetting ([`super::fonts`]),
//! line breaking and rich text ([`super::text`]), the ToUnicode maps and subset tags, the page
//! geometry of [`super::layout`] — and writes the content streams itself.
//!
//! Every section starts a page, so sections are made, laid out, drawn and compressed in
//! parallel, independently, and dropped: a document's sections need never be in memory all
//! at once ([`write_with`] makes them on demand). Only the footer ("第 X 页 / 共 Y 页"), which
//! needs the page total, and the contents, which need each section's first page, are drawn
//! once all sections are done. The page header's left part (the document title and the rule)
//! is one content stream that all pages share.
//!
//! Text is drawn with Type 0 fonts (Identity-H) whose character codes are the glyph ids of
//! the whole face, so pages can be drawn before anyone knows which characters the document
//! uses. Drawing records each character; at the end the face is subset to those characters
//! and a CIDToGIDMap maps the face's glyph ids to the subset's. Missing characters are found
//! while drawing and reported with the section they are in; `pdftotext` gets every character
//! back through the ToUnicode maps.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};

use flate2::{Compress, Compression, FlushCompress, Status};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

mod content;
mod file;

use content::*;
use file::*;

use super::PdfError;
use super::fonts::{self, Fonts, Metrics, Subset, is_layout_only};
use super::layout::{
    BAR_FILL, BAR_HEIGHT, BAR_LIGHT, BAR_TRACK, BODY_HEIGHT, BODY_SIZE, Bar, Block, CELL_PAD_X,
    CELL_PAD_Y, COVER_SIZE, ContentsLine, Doc, Drawing, FOOTER_HEIGHT, Form, HEADER_HEIGHT,
    HEADER_SIZE, HEADING_SIZE, MARGIN_LR, MARGIN_TB, Section, TITLE_SIZE, contents_line,
};
use super::postprocess::{document_id, subset_tag, text_string, to_unicode_cmap};
use super::text::{Line, Rich, layout_lines, pieces};

const PT_PER_MM: f64 = 72.0 / 25.4;
const PAGE_W: f64 = 210.0;
const PAGE_H: f64 = 297.0;
const BODY_TOP: f64 = MARGIN_TB + HEADER_HEIGHT;
const BODY_WIDTH: f64 = PAGE_W - 2.0 * MARGIN_LR;
/// The grey of headers, footers and contents leaders (90/255, as in the genpdf path).
const GREY: f64 = 0.353;
/// Pages under one node of the page tree.
const PAGES_PER_NODE: usize = 256;
/// Content streams are small and many: a fast level compresses them nearly as well.
const LEVEL: u32 = 1;

/// Renders `doc` with `fonts` and writes the PDF to `w`.
pub fn write(doc: &Doc, fonts: &Fonts, w: impl Write) -> Result<(), PdfError> {
    write_with(doc, 0, |_| unreachable!("no sections are made"), fonts, w)
}

/// Renders `doc` followed by `count` more sections that `make(i)` makes on demand (each is
/// made once, laid out and dropped), and writes the PDF to `w`.
pub fn write_with<'s, F>(
    doc: &'s Doc,
    count: usize,
    make: F,
    fonts: &Fonts,
    w: impl Write,
) -> Result<(), PdfError>
where
    F: Fn(usize) -> Section + Sync,
{
    let faces = Faces {
        regular: Face::new(&fonts.regular, "F1", false)?,
        bold: fonts
            .bold
            .as_ref()
            .map(|b| Face::new(b, "F2", true))
            .transpose()?,
        grids: Grids::default(),
    };
    let own = doc.sections.len();
    let section = |i: usize| -> Cow<'s, Section> {
        match doc.sections.get(i) {
            Some(s) => Cow::Borrowed(s),
            None => Cow::Owned(make(i - own)),
        }
    };

    // The front matter's size is known before any number is: lay the contents out once
    // without numbers to count its pages.
    let mut front: Vec<Page> = Vec::new();
    if let Some(cover) = &doc.cover {
        front.extend(cover_pages(&faces, cover).map_err(|ch| faces.missing(ch, doc, "cover"))?);
    }
    let names = || (0..own + count).map(|i| section(i).name.clone());
    let toc_len = match &doc.toc_title {
        Some(t) => toc_pages(&faces, t, names(), &[])
            .map_err(|ch| faces.missing(ch, doc, t))?
            .len(),
        None => 0,
    };

    let bodies: Vec<Vec<Page>> = (0..own + count)
        .into_par_iter()
        .map_init(
            || Compress::new(Compression::new(LEVEL), true),
            |z, i| {
                let s = section(i);
                let mut pages =
                    section_pages(&faces, &s).map_err(|ch| faces.missing(ch, doc, &s.name))?;
                pack(z, &mut pages);
                Ok(pages)
            },
        )
        .collect::<Result<_, PdfError>>()?;

    let mut starts = Vec::with_capacity(bodies.len());
    let mut next = front.len() + toc_len + 1;
    for b in &bodies {
        starts.push(next);
        next += b.len();
    }
    if let Some(t) = &doc.toc_title {
        front.extend(
            toc_pages(&faces, t, names(), &starts).map_err(|ch| faces.missing(ch, doc, t))?,
        );
    }
    pack(
        &mut Compress::new(Compression::new(LEVEL), true),
        &mut front,
    );
    let pages: Vec<Page> = front
        .into_iter()
        .chain(bodies.into_iter().flatten())
        .collect();
    Writer::new(w).document(doc, &faces, pages)
}

/// One face as pages draw it: its glyph ids and advances, and the characters drawn so far.
struct Face<'f> {
    face: &'f fonts::Face,
    metrics: Metrics,
    /// Basic Multilingual Plane character -> glyph id in the face (0: none) and advance in
    /// em: looked up for every character laid out and drawn, so a table, not a map.
    bmp: Vec<(u16, f32)>,
    /// The same for the characters beyond the BMP.
    astral: FxHashMap<char, (u16, f32)>,
    /// A bit per Unicode scalar value: drawn somewhere in the document.
    used: Vec<AtomicU64>,
    /// The resource name pages use.
    resource: &'static str,
    bold: bool,
}

impl<'f> Face<'f> {
    fn new(
        face: &'f fonts::Face,
        resource: &'static str,
        bold: bool,
    ) -> Result<Face<'f>, PdfError> {
        let metrics = face.metrics()?;
        let mut bmp = vec![(0u16, 0f32); 0x10000];
        let mut astral = FxHashMap::default();
        for (c, g) in face.mappings() {
            let entry = (g, metrics.advance(g) as f32);
            match bmp.get_mut(c as usize) {
                Some(slot) => *slot = entry,
                None => {
                    astral.insert(c, entry);
                }
            }
        }
        Ok(Face {
            face,
            metrics,
            bmp,
            astral,
            used: (0..=(char::MAX as usize) / 64)
                .map(|_| AtomicU64::new(0))
                .collect(),
            resource,
            bold,
        })
    }

    fn em(&self, units: i16) -> f64 {
        f64::from(units) / f64::from(self.metrics.units_per_em)
    }

    /// The glyph id of `c` and its advance in em, if the face has it.
    fn glyph(&self, c: char) -> Option<(u16, f64)> {
        let found = match self.bmp.get(c as usize) {
            Some(&(g, em)) => (g != 0).then_some((g, em)),
            None => self.astral.get(&c).copied(),
        };
        found.map(|(g, em)| (g, f64::from(em)))
    }

    /// Records that `c` is drawn.
    fn mark(&self, c: char) {
        let (word, bit) = (&self.used[c as usize / 64], 1u64 << (c as usize % 64));
        // Most characters are already marked: read before writing, so the threads share
        // the cache lines instead of taking them from each other.
        if word.load(Ordering::Relaxed) & bit == 0 {
            word.fetch_or(bit, Ordering::Relaxed);
        }
    }

    /// Every character drawn with this face.
    fn drawn(&self) -> BTreeSet<char> {
        let mut set = BTreeSet::new();
        for (i, word) in self.used.iter().enumerate() {
            let mut bits = word.load(Ordering::Relaxed);
            while bits != 0 {
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                if let Some(c) = char::from_u32((i * 64 + b) as u32) {
                    set.insert(c);
                }
            }
        }
        set
    }
}

/// The regular face, and the bold one when there is one; the shapes of the document's
/// bordered rows.
struct Faces<'f> {
    regular: Face<'f>,
    bold: Option<Face<'f>>,
    grids: Grids,
}

impl<'f> Faces<'f> {
    fn face(&self, bold: bool) -> &Face<'f> {
        match (&self.bold, bold) {
            (Some(b), true) => b,
            _ => &self.regular,
        }
    }

    /// The advance of `c` in mm at `size` pt.
    fn width(&self, c: char, bold: bool, size: u8) -> f64 {
        self.face(bold)
            .glyph(c)
            .map_or(0.0, |(_, em)| em * f64::from(size) / PT_PER_MM)
    }

    fn str_width(&self, s: &str, bold: bool, size: u8) -> f64 {
        s.chars().map(|c| self.width(c, bold, size)).sum()
    }

    /// One line at `size` pt, in mm: the regular face's ascent, descent and line gap, as
    /// genpdf sets it.
    fn line_height(&self, size: u8) -> f64 {
        let f = &self.regular;
        let m = &f.metrics;
        (f.em(m.ascent) - f.em(m.descent) + f.em(m.line_gap)) * f64::from(size) / PT_PER_MM
    }

    /// From the top of a line to its baseline, in mm.
    fn ascent(&self, size: u8) -> f64 {
        self.regular.em(self.regular.metrics.ascent) * f64::from(size) / PT_PER_MM
    }

    /// The error for a character (drawn bold or not) that the fonts lack, in part `part`.
    fn missing(&self, (ch, bold): (char, bool), doc: &Doc, part: &str) -> PdfError {
        PdfError::MissingGlyph {
            what: format!("`{part}` of `{}`", doc.title),
            ch,
            font: self.face(bold).face.name.clone(),
        }
    }

    /// Lines of `rich` at `size` pt for `width` mm.
    fn lines(&self, rich: &Rich, size: u8, width: f64) -> Vec<Line> {
        layout_lines(rich, width, |c, bold| self.width(c, bold, size))
    }
}

/// A page: its content stream (compressed once laid out), ready to be written.
struct Page {
    body: Vec<u8>,
    /// No header and no footer (the cover).
    bare: bool,
}

/// Lays pages out from the top down, starting a new page when the next thing does not fit.
struct Pager<'a> {
    faces: &'a Faces<'a>,
    /// The section name shown on the right of the header; `None` for bare pages.
    name: Option<&'a str>,
    pages: Vec<Page>,
    page: Content,
    /// Where the body starts, mm from the page's top, and how high it is.
    top: f64,
    height: f64,
    /// Used height of the current page's body.
    y: f64,
    /// The first character the fonts lacked, and whether it was to be bold.
    missing: Option<(char, bool)>,
}

impl<'a> Pager<'a> {
    fn new(faces: &'a Faces<'a>, name: Option<&'a str>) -> Pager<'a> {
        let (top, height) = match name {
            Some(_) => (BODY_TOP, BODY_HEIGHT),
            None => (MARGIN_TB, PAGE_H - 2.0 * MARGIN_TB),
        };
        let mut pager = Pager {
            faces,
            name,
            pages: Vec::new(),
            page: Content::with_capacity(4096),
            top,
            height,
            y: 0.0,
            missing: None,
        };
        pager.header();
        pager
    }

    /// The section name, right-aligned in the header.
    fn header(&mut self) {
        if let Some(name) = self.name {
            let w = self.faces.str_width(name, false, HEADER_SIZE);
            let x = MARGIN_LR + (BODY_WIDTH - w).max(0.0);
            let baseline = MARGIN_TB + self.faces.ascent(HEADER_SIZE);
            let face = &self.faces.regular;
            self.page.text(face, HEADER_SIZE, x, baseline, name, true);
        }
    }

    fn new_page(&mut self) {
        let done = std::mem::replace(&mut self.page, Content::with_capacity(4096));
        self.missing = self.missing.or(done.missing);
        self.pages.push(Page {
            body: done.finish(),
            bare: self.name.is_none(),
        });
        self.y = 0.0;
        self.header();
    }

    /// The pages, or the first character the fonts lack.
    fn finish(mut self) -> Result<Vec<Page>, (char, bool)> {
        self.new_page();
        match self.missing {
            Some(m) => Err(m),
            None => Ok(self.pages),
        }
    }

    /// Vertical space, never carried over to the next page.
    fn gap(&mut self, mm: f64) {
        self.y = (self.y + mm).min(self.height);
    }

    /// Text across the body's width, continuing on new pages.
    fn text(&mut self, rich: &Rich, size: u8, centred: bool) {
        let lh = self.faces.line_height(size);
        let mut first = true;
        for line in self.faces.lines(rich, size, BODY_WIDTH) {
            let mut gap = if first { 0.0 } else { line.gap_before };
            if self.y + gap + lh > self.height + 1e-6 && self.y > 0.0 {
                self.new_page();
                gap = 0.0;
            }
            self.y += gap;
            let top = self.top + self.y;
            let faces = self.faces;
            draw_line(
                &mut self.page,
                faces,
                rich,
                &line,
                (size, centred),
                (MARGIN_LR, BODY_WIDTH),
                top,
            );
            self.y += lh;
            first = false;
        }
    }

    fn block(&mut self, block: &Block) {
        let body_lh = self.faces.line_height(BODY_SIZE);
        match block {
            Block::Title(t) => {
                self.text(&Rich::bold(t), TITLE_SIZE, true);
                self.gap(0.5 * body_lh);
            }
            Block::Heading(t) => {
                self.gap(0.3 * body_lh);
                self.text(&Rich::bold(t), HEADING_SIZE, false);
            }
            Block::Text(r) => self.text(r, BODY_SIZE, false),
            Block::Form(f) => self.form(f),
            Block::Space(mm) => self.gap(*mm),
            Block::Drawing(d) => self.drawing(d),
        }
    }

    /// A drawing in the room left on the page (shrunk to fit it, as the genpdf writer does).
    fn drawing(&mut self, d: &Drawing) {
        let placed = d.place(BODY_WIDTH, self.height - self.y);
        let top = self.top + self.y;
        for [a, b] in &placed.segments {
            self.page
                .segment((MARGIN_LR + a.0, top + a.1), (MARGIN_LR + b.0, top + b.1));
        }
        self.page.stroke();
        for t in &placed.texts {
            let w = self.faces.str_width(&t.text, false, t.size);
            let x = MARGIN_LR + (t.centre - w / 2.0).max(0.0);
            let face = &self.faces.regular;
            self.page
                .text(face, t.size, x, top + t.baseline, &t.text, t.grey);
        }
        self.y += placed.height;
    }

    /// A bordered table: a row moves whole to the next page when it fits on one, a row
    /// marked `keep_with_next` takes the start of the next row along, and a row taller than
    /// a page is split between lines.
    fn form(&mut self, form: &Form) {
        let total: f64 = form.columns.iter().sum::<f64>().max(f64::EPSILON);
        let col_w: Vec<f64> = form
            .columns
            .iter()
            .map(|c| c / total * BODY_WIDTH)
            .collect();
        let lh = self.faces.line_height(BODY_SIZE);
        let mut rows: Vec<Vec<Cell<'_>>> = form
            .rows
            .iter()
            .map(|row| {
                let mut col = 0;
                let mut x = MARGIN_LR;
                row.cells
                    .iter()
                    .map(|c| {
                        let end = (col + c.span.max(1)).min(col_w.len());
                        let w: f64 = col_w[col.min(col_w.len())..end].iter().sum();
                        let lines = self.faces.lines(
                            &c.content,
                            BODY_SIZE,
                            (w - 2.0 * CELL_PAD_X).max(1.0),
                        );
                        let cell = Cell {
                            rich: &c.content,
                            label: c.label,
                            bar: c.bar.as_ref(),
                            x,
                            w,
                            lines,
                            next: 0,
                        };
                        x += w;
                        col = end;
                        cell
                    })
                    .collect()
            })
            .collect();
        // A bar needs a line's height; a row may ask for more (a box to write in).
        let height = |i: usize, row: &[Cell<'_>]| {
            let bar = if row.iter().any(|c| c.bar.is_some()) {
                lh
            } else {
                0.0
            };
            (row.iter().map(|c| c.remaining(lh)).fold(bar, f64::max) + 2.0 * CELL_PAD_Y)
                .max(form.rows[i].min_height)
        };
        let mut i = 0;
        let mut started = false;
        while i < rows.len() {
            let full = height(i, &rows[i]);
            let avail = self.height - self.y;
            let fits = full <= avail + 1e-6;
            let mut need = full;
            if form.rows[i].keep_with_next && i + 1 < rows.len() {
                let next = height(i + 1, &rows[i + 1]);
                need += if full + next <= self.height {
                    next
                } else {
                    next.min(3.0 * lh + 2.0 * CELL_PAD_Y)
                };
            }
            let move_on = (fits && need > avail + 1e-6 && need <= self.height)
                || (!fits && !started && full <= self.height);
            if move_on && self.y > 0.0 {
                self.new_page();
                continue;
            }
            let top = self.top + self.y;
            let inner = if fits { full } else { avail } - 2.0 * CELL_PAD_Y;
            let faces = self.faces;
            let mut used: f64 = 0.0;
            for cell in &mut rows[i] {
                let dy = if cell.label && fits {
                    ((inner - cell.remaining(lh)) / 2.0).max(0.0)
                } else {
                    0.0
                };
                // At the top of a page at least one line is drawn, however little room.
                let force = self.y == 0.0;
                let h = cell.draw(
                    &mut self.page,
                    faces,
                    top + CELL_PAD_Y + dy,
                    inner - dy,
                    force,
                );
                used = used.max(h + dy);
            }
            if !fits && used <= 0.0 {
                self.new_page();
                continue;
            }
            let drawn = if fits { full } else { used + 2.0 * CELL_PAD_Y };
            for cell in &rows[i] {
                if let Some(bar) = cell.bar {
                    let x = cell.x + CELL_PAD_X;
                    let w = (cell.w - 2.0 * CELL_PAD_X).max(1.0);
                    self.page
                        .bar(bar, x, top + (drawn - BAR_HEIGHT) / 2.0, w, BAR_HEIGHT);
                }
            }
            let cells = rows[i].iter().map(|c| (c.x, c.w));
            self.page.grid(&faces.grids, cells, top, drawn);
            self.y += drawn;
            if fits {
                i += 1;
                started = false;
            } else {
                started = true;
                self.new_page();
            }
        }
    }
}

/// A form cell being laid out: its lines and how many are drawn.
struct Cell<'a> {
    rich: &'a Rich,
    label: bool,
    bar: Option<&'a Bar>,
    x: f64,
    w: f64,
    lines: Vec<Line>,
    next: usize,
}

impl Cell<'_> {
    /// The height of the lines not yet drawn (a page's first line drops its gap).
    fn remaining(&self, lh: f64) -> f64 {
        self.lines[self.next.min(self.lines.len())..]
            .iter()
            .enumerate()
            .map(|(i, l)| lh + if i == 0 { 0.0 } else { l.gap_before })
            .sum()
    }

    /// Draws the lines that fit in `room` mm from `top`; returns the height used.
    fn draw(
        &mut self,
        page: &mut Content,
        faces: &Faces<'_>,
        top: f64,
        room: f64,
        force: bool,
    ) -> f64 {
        let lh = faces.line_height(BODY_SIZE);
        let mut y = 0.0;
        while let Some(line) = self.lines.get(self.next) {
            let gap = if y == 0.0 { 0.0 } else { line.gap_before };
            if y + gap + lh > room + 1e-6 && !(force && y == 0.0) {
                break;
            }
            y += gap;
            draw_line(
                page,
                faces,
                self.rich,
                line,
                (BODY_SIZE, self.label),
                (self.x + CELL_PAD_X, (self.w - 2.0 * CELL_PAD_X).max(1.0)),
                top + y,
            );
            y += lh;
            self.next += 1;
        }
        y
    }
}

/// Draws one laid-out line of `rich` at `top` mm: its list marker, its pieces in their faces,
/// and underlines for emphasis (Chinese faces have no italics).
fn draw_line(
    page: &mut Content,
    faces: &Faces<'_>,
    rich: &Rich,
    line: &Line,
    (size, centred): (u8, bool),
    (left, width): (f64, f64),
    top: f64,
) {
    let Some(para) = rich.paras.get(line.para) else {
        return;
    };
    let baseline = top + faces.ascent(size);
    if let Some(marker) = &line.marker {
        let mw = faces.str_width(marker, false, size);
        let x = left + (line.indent - mw - 1.2).max(0.0);
        page.text(&faces.regular, size, x, baseline, marker, false);
    }
    let mut x = left
        + if centred {
            ((width - line.width) / 2.0).max(0.0)
        } else {
            line.indent
        };
    for (range, emph) in pieces(para, line.range.clone()) {
        let piece = &para.text[range];
        let w = page.text(faces.face(emph.bold), size, x, baseline, piece, false);
        if emph.italic {
            page.hline(x, x + w, baseline + 0.6, false);
        }
        x += w;
    }
}

fn section_pages(faces: &Faces<'_>, section: &Section) -> Result<Vec<Page>, (char, bool)> {
    let mut pager = Pager::new(faces, Some(&section.name));
    for block in &section.blocks {
        pager.block(block);
    }
    pager.finish()
}

fn cover_pages(faces: &Faces<'_>, cover: &super::layout::Cover) -> Result<Vec<Page>, (char, bool)> {
    let body_lh = faces.line_height(BODY_SIZE);
    let mut pager = Pager::new(faces, None);
    pager.gap(12.0 * body_lh);
    pager.text(&Rich::bold(&cover.title), COVER_SIZE, true);
    pager.gap(3.0 * body_lh);
    for l in &cover.lines {
        pager.text(&Rich::plain(l), HEADING_SIZE, true);
        pager.gap(0.6 * body_lh);
    }
    pager.finish()
}

/// The contents: a line per section name, its first page on the right after dot leaders.
/// The numbers get a fixed slot, so the pages are the same with `starts` empty.
fn toc_pages(
    faces: &Faces<'_>,
    title: &str,
    names: impl Iterator<Item = String>,
    starts: &[usize],
) -> Result<Vec<Page>, (char, bool)> {
    let mut pager = Pager::new(faces, Some(title));
    pager.text(&Rich::bold(title), TITLE_SIZE, true);
    pager.gap(faces.line_height(BODY_SIZE));
    let lh = faces.line_height(BODY_SIZE) * 1.25;
    let size = BODY_SIZE;
    let ascent = faces.ascent(size);
    for (i, name) in names.enumerate() {
        if pager.y + lh > pager.height + 1e-6 {
            pager.new_page();
        }
        let num = starts.get(i).map_or(String::new(), usize::to_string);
        let ContentsLine {
            shown,
            shown_width: w,
            dots,
            dot,
            number_width: nw,
        } = contents_line(&name, &num, BODY_WIDTH, |c| faces.width(c, false, size));
        let baseline = pager.top + pager.y + ascent;
        let face = &faces.regular;
        pager
            .page
            .text(face, size, MARGIN_LR, baseline, &shown, false);
        pager
            .page
            .text(face, size, MARGIN_LR + w + dot, baseline, &dots, true);
        let x = MARGIN_LR + BODY_WIDTH - nw;
        pager.page.text(face, size, x, baseline, &num, false);
        pager.y += lh;
    }
    pager.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(v: f64) -> String {
        let mut b = Vec::new();
        put_num(&mut b, v);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn numbers_are_written_with_at_most_two_decimals() {
        assert_eq!(num(0.0), "0");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(841.889), "841.89");
        assert_eq!(num(-3.004), "-3");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(100.05), "100.05");
    }

    #[test]
    fn deflate_round_trips() {
        use std::io::Read;
        let data: Vec<u8> = (0..100_000u32)
            .flat_map(|i| (i % 251).to_le_bytes())
            .collect();
        let mut z = Compress::new(Compression::new(LEVEL), true);
        for _ in 0..2 {
            let packed = deflate(&mut z, &data);
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(&packed[..])
                .read_to_end(&mut back)
                .unwrap();
            assert_eq!(back, data);
        }
    }
}
