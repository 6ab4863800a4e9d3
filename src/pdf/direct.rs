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

use super::PdfError;
use super::fonts::{self, Fonts, Metrics, Subset, is_layout_only};
use super::layout::{
    BODY_HEIGHT, BODY_SIZE, Block, CELL_PAD_X, CELL_PAD_Y, COVER_SIZE, ContentsLine, Doc, Drawing,
    FOOTER_HEIGHT, Form, HEADER_HEIGHT, HEADER_SIZE, HEADING_SIZE, MARGIN_LR, MARGIN_TB, Section,
    TITLE_SIZE, contents_line,
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
    let total = front.len() + bodies.iter().map(Vec::len).sum::<usize>();
    let pages = front.into_iter().chain(bodies.into_iter().flatten());
    Writer::new(w).document(doc, &faces, pages, total)
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

/// The regular face, and the bold one when there is one.
struct Faces<'f> {
    regular: Face<'f>,
    bold: Option<Face<'f>>,
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

/// One page's drawing: a content stream and the state it leaves the graphics in.
#[derive(Default)]
struct Content {
    buf: Vec<u8>,
    /// Inside BT … ET, with this font and size selected.
    text: Option<(&'static str, u8)>,
    /// Where the current text line starts, in hundredths of a point (`Td` moves are
    /// relative to it, and exact in hundredths).
    line_at: (i64, i64),
    grey: bool,
    /// The first character the font lacked, and whether it was to be bold.
    missing: Option<(char, bool)>,
}

impl Content {
    fn with_capacity(bytes: usize) -> Content {
        Content {
            buf: Vec::with_capacity(bytes),
            ..Content::default()
        }
    }

    fn end_text(&mut self) {
        if self.text.take().is_some() {
            self.buf.extend_from_slice(b"ET\n");
        }
    }

    fn set_grey(&mut self, grey: bool) {
        if self.grey != grey {
            let level = if grey { GREY } else { 0.0 };
            for op in [" g ", " G\n"] {
                put_num(&mut self.buf, level);
                self.buf.extend_from_slice(op.as_bytes());
            }
            self.grey = grey;
        }
    }

    /// Draws `s` in `face` at `size` pt with its baseline at (`x`, `baseline`) mm from the
    /// page's top left corner; returns its width in mm.
    fn text(
        &mut self,
        face: &Face<'_>,
        size: u8,
        x: f64,
        baseline: f64,
        s: &str,
        grey: bool,
    ) -> f64 {
        self.set_grey(grey);
        if self.text.is_none() {
            self.buf.extend_from_slice(b"BT\n");
            self.line_at = (0, 0);
        }
        if self.text != Some((face.resource, size)) {
            self.buf.push(b'/');
            self.buf.extend_from_slice(face.resource.as_bytes());
            self.buf.push(b' ');
            put_uint(&mut self.buf, u64::from(size));
            self.buf.extend_from_slice(b" Tf\n");
            self.text = Some((face.resource, size));
        }
        let at = (
            hundredths(x * PT_PER_MM),
            hundredths((PAGE_H - baseline) * PT_PER_MM),
        );
        put_hundredths(&mut self.buf, at.0 - self.line_at.0);
        self.buf.push(b' ');
        put_hundredths(&mut self.buf, at.1 - self.line_at.1);
        self.buf.extend_from_slice(b" Td (");
        self.line_at = at;
        let mut em = 0.0;
        for c in s.chars() {
            if let Some((g, advance)) = face.glyph(c) {
                face.mark(c);
                em += advance;
                // Two bytes a glyph in a literal string: `(`, `)` and `\` are escaped, and
                // CR, which readers would turn into LF.
                for b in g.to_be_bytes() {
                    match b {
                        b'(' | b')' | b'\\' => self.buf.extend_from_slice(&[b'\\', b]),
                        b'\r' => self.buf.extend_from_slice(b"\\r"),
                        _ => self.buf.push(b),
                    }
                }
            } else if !is_layout_only(c) && self.missing.is_none() {
                self.missing = Some((c, face.bold));
            }
        }
        self.buf.extend_from_slice(b") Tj\n");
        em * f64::from(size) / PT_PER_MM
    }

    /// Adds a rectangle to the path, (`x`, `y`) its top left corner in mm from the page's;
    /// [`Content::stroke`] draws the path.
    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        self.end_text();
        self.set_grey(false);
        for v in [x, PAGE_H - y - h, w, h] {
            put_num(&mut self.buf, v * PT_PER_MM);
            self.buf.push(b' ');
        }
        self.buf.extend_from_slice(b"re\n");
    }

    /// Adds a straight line to the path, its ends in mm from the page's top left corner.
    fn segment(&mut self, from: (f64, f64), to: (f64, f64)) {
        self.end_text();
        self.set_grey(false);
        for (v, op) in [
            (from.0, " "),
            (PAGE_H - from.1, " m "),
            (to.0, " "),
            (PAGE_H - to.1, " l\n"),
        ] {
            put_num(&mut self.buf, v * PT_PER_MM);
            self.buf.extend_from_slice(op.as_bytes());
        }
    }

    fn stroke(&mut self) {
        self.buf.extend_from_slice(b"S\n");
    }

    /// A horizontal line at `y` mm from the top, from `x0` to `x1`.
    fn hline(&mut self, x0: f64, x1: f64, y: f64, grey: bool) {
        self.end_text();
        self.set_grey(grey);
        let y = (PAGE_H - y) * PT_PER_MM;
        for (v, op) in [(x0 * PT_PER_MM, " "), (y, " m "), (x1 * PT_PER_MM, " ")] {
            put_num(&mut self.buf, v);
            self.buf.extend_from_slice(op.as_bytes());
        }
        put_num(&mut self.buf, y);
        self.buf.extend_from_slice(b" l S\n");
    }

    fn finish(mut self) -> Vec<u8> {
        self.end_text();
        self.buf
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
        let height = |row: &[Cell<'_>]| {
            row.iter().map(|c| c.remaining(lh)).fold(0.0, f64::max) + 2.0 * CELL_PAD_Y
        };
        let mut i = 0;
        let mut started = false;
        while i < rows.len() {
            let full = height(&rows[i]);
            let avail = self.height - self.y;
            let fits = full <= avail + 1e-6;
            let mut need = full;
            if form.rows[i].keep_with_next && i + 1 < rows.len() {
                let next = height(&rows[i + 1]);
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
                self.page.rect(cell.x, top, cell.w, drawn);
            }
            self.page.stroke();
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

/// Writes `v` with at most two decimals, as PDF content streams take numbers.
fn put_num(buf: &mut Vec<u8>, v: f64) {
    put_hundredths(buf, hundredths(v));
}

fn hundredths(v: f64) -> i64 {
    (v * 100.0).round() as i64
}

/// Writes `n` hundredths as a decimal number.
fn put_hundredths(buf: &mut Vec<u8>, n: i64) {
    if n < 0 {
        buf.push(b'-');
    }
    let n = n.unsigned_abs();
    put_uint(buf, n / 100);
    let frac = n % 100;
    if frac != 0 {
        buf.push(b'.');
        buf.push(b'0' + (frac / 10) as u8);
        if !frac.is_multiple_of(10) {
            buf.push(b'0' + (frac % 10) as u8);
        }
    }
}

fn put_uint(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Compresses the pages' content streams.
fn pack(z: &mut Compress, pages: &mut [Page]) {
    for p in pages {
        p.body = deflate(z, &p.body);
    }
}

/// zlib-compresses `data` with a reused compressor.
fn deflate(z: &mut Compress, data: &[u8]) -> Vec<u8> {
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = usize::try_from(z.total_in())
            .unwrap_or(usize::MAX)
            .min(data.len());
        match z.compress_vec(&data[read..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => {
                out.shrink_to_fit();
                return out;
            }
            Ok(_) => out.reserve(out.capacity().max(64)),
            // Compressing into a growing buffer does not fail; should it, store the data.
            Err(_) => return data.to_vec(),
        }
    }
}

/// The PDF file: objects, each one's offset for the cross-reference table.
struct Writer<W: Write> {
    w: W,
    at: usize,
    /// By object number; 0 is the free head of the list.
    offsets: Vec<usize>,
}

// Object numbers of the fixed objects.
const CATALOG: usize = 1;
const PAGE_TREE: usize = 2;
const INFO: usize = 3;
const CHROME: usize = 4;
const RESOURCES: usize = 5;
/// Type 0 font, CID font, descriptor, font file, ToUnicode map, CIDToGIDMap.
const FONT_OBJECTS: usize = 6;
const FIRST_FONT: usize = 6;

impl<W: Write> Writer<W> {
    fn new(w: W) -> Self {
        Writer {
            w,
            at: 0,
            offsets: Vec::new(),
        }
    }

    fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.w.write_all(bytes)?;
        self.at += bytes.len();
        Ok(())
    }

    /// Object `num`, in any order.
    fn object(&mut self, num: usize, body: &[u8]) -> io::Result<()> {
        self.begin(num)?;
        self.raw(body)?;
        self.raw(b"\nendobj\n")
    }

    /// Starts object `num`, recording where it is.
    fn begin(&mut self, num: usize) -> io::Result<()> {
        if self.offsets.len() <= num {
            self.offsets.resize(num + 1, 0);
        }
        self.offsets[num] = self.at;
        self.raw(format!("{num} 0 obj\n").as_bytes())
    }

    fn stream(&mut self, num: usize, dict: &str, data: &[u8], compressed: bool) -> io::Result<()> {
        let filter = if compressed {
            " /Filter /FlateDecode"
        } else {
            ""
        };
        self.begin(num)?;
        let head = format!("<< /Length {}{filter}{dict} >>\nstream\n", data.len());
        self.raw(head.as_bytes())?;
        self.raw(data)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    /// The whole file: the pages first (drawing the footers marks their characters), then
    /// the page tree and the fonts, subset to what was drawn.
    fn document(
        mut self,
        doc: &Doc,
        faces: &Faces<'_>,
        pages: impl Iterator<Item = Page>,
        total: usize,
    ) -> Result<(), PdfError> {
        let font_list: Vec<&Face<'_>> = std::iter::once(&faces.regular)
            .chain(faces.bold.as_ref())
            .collect();
        let nodes = if total > PAGES_PER_NODE {
            total.div_ceil(PAGES_PER_NODE)
        } else {
            0
        };
        let first_node = FIRST_FONT + FONT_OBJECTS * font_list.len();
        let first_page = first_node + nodes;
        let page_num = |i: usize| first_page + 3 * i;
        let parent = |i: usize| {
            if nodes == 0 {
                PAGE_TREE
            } else {
                first_node + i / PAGES_PER_NODE
            }
        };

        self.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        let mut chrome = Content::default();
        let baseline = MARGIN_TB + faces.ascent(HEADER_SIZE);
        chrome.text(
            &faces.regular,
            HEADER_SIZE,
            MARGIN_LR,
            baseline,
            &doc.title,
            true,
        );
        let rule = MARGIN_TB + HEADER_HEIGHT - 4.0;
        chrome.hline(MARGIN_LR, PAGE_W - MARGIN_LR, rule, true);
        chrome.set_grey(false);
        let mut missing = chrome.missing;
        self.stream(CHROME, "", &chrome.finish(), false)?;

        let (width, height) = (PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM);
        // The document id: a digest of the content (Fx, not SipHash: tens of MB go through).
        let mut hasher = rustc_hash::FxHasher::default();
        for (i, page) in pages.enumerate() {
            use std::hash::Hash;
            page.body.hash(&mut hasher);
            let num = page_num(i);
            let contents = if page.bare {
                format!("{} 0 R", num + 1)
            } else {
                format!("[{CHROME} 0 R {} 0 R {} 0 R]", num + 1, num + 2)
            };
            self.object(
                num,
                format!(
                    "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 {width:.2} {height:.2}] \
                     /Resources {RESOURCES} 0 R /Contents {contents} >>",
                    parent(i)
                )
                .as_bytes(),
            )?;
            self.stream(num + 1, "", &page.body, true)?;
            let mut footer = Content::default();
            if !page.bare {
                let text = doc
                    .footer
                    .replace("{page}", &(i + 1).to_string())
                    .replace("{total}", &total.to_string());
                let w = faces.str_width(&text, false, HEADER_SIZE);
                let top = PAGE_H - MARGIN_TB - FOOTER_HEIGHT + 4.0;
                let x = MARGIN_LR + ((BODY_WIDTH - w) / 2.0).max(0.0);
                let baseline = top + faces.ascent(HEADER_SIZE);
                footer.text(&faces.regular, HEADER_SIZE, x, baseline, &text, true);
                footer.set_grey(false);
            }
            missing = missing.or(footer.missing);
            self.stream(num + 2, "", &footer.finish(), false)?;
        }
        if let Some(m) = missing {
            return Err(faces.missing(m, doc, "the page header or footer"));
        }

        self.object(
            CATALOG,
            format!("<< /Type /Catalog /Pages {PAGE_TREE} 0 R >>").as_bytes(),
        )?;
        let kids: Vec<String> = if nodes == 0 {
            (0..total).map(|i| format!("{} 0 R", page_num(i))).collect()
        } else {
            (0..nodes)
                .map(|n| format!("{} 0 R", first_node + n))
                .collect()
        };
        self.object(
            PAGE_TREE,
            format!(
                "<< /Type /Pages /Kids [{}] /Count {total} >>",
                kids.join(" ")
            )
            .as_bytes(),
        )?;
        for n in 0..nodes {
            let pages = n * PAGES_PER_NODE..((n + 1) * PAGES_PER_NODE).min(total);
            let kids: Vec<String> = pages
                .clone()
                .map(|i| format!("{} 0 R", page_num(i)))
                .collect();
            self.object(
                first_node + n,
                format!(
                    "<< /Type /Pages /Parent {PAGE_TREE} 0 R /Kids [{}] /Count {} >>",
                    kids.join(" "),
                    pages.len()
                )
                .as_bytes(),
            )?;
        }
        self.object(
            INFO,
            format!(
                "<< /Title {} /Producer (rolebook) /Creator (rolebook) >>",
                utf16_string(&doc.title)
            )
            .as_bytes(),
        )?;
        let fonts: Vec<String> = font_list
            .iter()
            .enumerate()
            .map(|(i, f)| format!("/{} {} 0 R", f.resource, FIRST_FONT + FONT_OBJECTS * i))
            .collect();
        self.object(
            RESOURCES,
            format!("<< /Font << {} >> >>", fonts.join(" ")).as_bytes(),
        )?;
        for (i, face) in font_list.iter().enumerate() {
            let subset = face.face.subset(&face.drawn())?;
            subset.data.hash(&mut hasher);
            self.font(FIRST_FONT + FONT_OBJECTS * i, face, &subset)?;
        }

        let xref = self.at;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for off in &self.offsets[1..] {
            table.push_str(&format!("{off:010} 00000 n \n"));
        }
        self.raw(table.as_bytes())?;
        use std::hash::Hash;
        doc.title.hash(&mut hasher);
        total.hash(&mut hasher);
        let id = document_id(&hasher);
        self.raw(
            format!(
                "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R /ID [<{id}> <{id}>] >>\n\
                 startxref\n{xref}\n%%EOF\n",
                self.offsets.len()
            )
            .as_bytes(),
        )?;
        self.w.flush()?;
        Ok(())
    }

    /// The objects of one embedded face, from `num` on. Character codes are the face's glyph
    /// ids (CIDs); the CIDToGIDMap maps them to the glyph ids of `subset`.
    fn font(&mut self, num: usize, face: &Face<'_>, subset: &Subset) -> io::Result<()> {
        let m = &face.metrics;
        let name = format!("{}+{}", subset_tag(&subset.data), subset.ps_name);
        let per_mille = |units: f64| (units * 1000.0 / f64::from(m.units_per_em)).round() as i64;
        let (cid, desc, file, to_unicode, cid_to_gid) =
            (num + 1, num + 2, num + 3, num + 4, num + 5);
        // CID (glyph of the whole face) -> the character drawn and its glyph in the subset.
        let mut by_cid: BTreeMap<u16, (char, u16)> = BTreeMap::new();
        for (&c, &new) in &subset.glyphs {
            if let Some((g, _)) = face.glyph(c) {
                by_cid.entry(g).or_insert((c, new));
            }
        }
        self.object(
            num,
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
                 /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
            )
            .as_bytes(),
        )?;
        let widths: Vec<String> = by_cid
            .keys()
            .map(|&g| format!("{g} [{}]", per_mille(f64::from(m.advance_units(g)))))
            .collect();
        self.object(
            cid,
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {desc} 0 R /CIDToGIDMap {cid_to_gid} 0 R /DW 1000 /W [{}] >>",
                widths.join(" ")
            )
            .as_bytes(),
        )?;
        let [x0, y0, x1, y1] = m.bbox.map(|v| per_mille(f64::from(v)));
        self.object(
            desc,
            format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags 4 \
                 /FontBBox [{x0} {y0} {x1} {y1}] /ItalicAngle 0 /Ascent {} /Descent {} \
                 /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
                per_mille(f64::from(m.ascent)),
                per_mille(f64::from(m.descent)),
                per_mille(f64::from(m.cap_height))
            )
            .as_bytes(),
        )?;
        let mut z = Compress::new(Compression::new(LEVEL), true);
        let packed = deflate(&mut z, &subset.data);
        let length1 = format!(" /Length1 {}", subset.data.len());
        self.stream(file, &length1, &packed, true)?;
        let chars: BTreeMap<u16, char> = by_cid.iter().map(|(&g, &(c, _))| (g, c)).collect();
        self.stream(
            to_unicode,
            "",
            &deflate(&mut z, &to_unicode_cmap(&chars)),
            true,
        )?;
        let size = by_cid.keys().next_back().map_or(1, |&g| usize::from(g) + 1);
        let mut map = vec![0u8; 2 * size];
        for (&g, &(_, new)) in &by_cid {
            let at = 2 * usize::from(g);
            map[at..at + 2].copy_from_slice(&new.to_be_bytes());
        }
        self.stream(cid_to_gid, "", &deflate(&mut z, &map), true)
    }
}

/// A PDF text string in UTF-16BE with its byte order mark, as hex: any title reads right.
fn utf16_string(s: &str) -> String {
    let hex: String = text_string(s).iter().map(|b| format!("{b:02X}")).collect();
    format!("<{hex}>")
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
