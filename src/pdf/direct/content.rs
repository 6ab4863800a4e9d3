//! A page's content stream: text, rectangles, lines, numbers written as PDF operators.

use super::*;

/// One page's drawing: a content stream and the state it leaves the graphics in.
#[derive(Default)]
pub(super) struct Content {
    pub(super) buf: Vec<u8>,
    /// Inside BT … ET, with this font and size selected.
    pub(super) text: Option<(&'static str, u8)>,
    /// Where the current text line starts, in hundredths of a point (`Td` moves are
    /// relative to it, and exact in hundredths).
    pub(super) line_at: (i64, i64),
    pub(super) grey: bool,
    /// The first character the font lacked, and whether it was to be bold.
    pub(super) missing: Option<(char, bool)>,
    /// Room for a row's shape ([`Content::grid`]), kept between rows.
    key: Vec<i64>,
}

impl Content {
    pub(super) fn with_capacity(bytes: usize) -> Content {
        Content {
            buf: Vec::with_capacity(bytes),
            ..Content::default()
        }
    }

    pub(super) fn end_text(&mut self) {
        if self.text.take().is_some() {
            self.buf.extend_from_slice(b"ET\n");
        }
    }

    pub(super) fn set_grey(&mut self, grey: bool) {
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
    pub(super) fn text(
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

    /// A row of bordered cells, `cells` their left edges and widths in mm, `top` and `h` the
    /// row's in mm: the rectangles drawn by a [`Grids`] form, placed at the row's height.
    pub(super) fn grid(
        &mut self,
        grids: &Grids,
        cells: impl Iterator<Item = (f64, f64)>,
        top: f64,
        h: f64,
    ) {
        self.end_text();
        self.set_grey(false);
        self.key.clear();
        self.key.push(hundredths(h * PT_PER_MM));
        for (x, w) in cells {
            self.key.push(hundredths(x * PT_PER_MM));
            self.key.push(hundredths(w * PT_PER_MM));
        }
        let y = hundredths((PAGE_H - top - h) * PT_PER_MM);
        match grids.digest(&self.key) {
            Some(digest) => {
                self.buf.extend_from_slice(b"q 1 0 0 1 0 ");
                put_hundredths(&mut self.buf, y);
                self.buf.extend_from_slice(b" cm /");
                put_grid_name(&mut self.buf, digest);
                self.buf.extend_from_slice(b" Do Q\n");
            }
            // Another row's shape had the same name: this one is drawn in place.
            None => {
                grid_rects(&mut self.buf, &self.key, y);
                self.buf.extend_from_slice(b"S\n");
            }
        }
    }

    /// Adds a straight line to the path, its ends in mm from the page's top left corner.
    pub(super) fn segment(&mut self, from: (f64, f64), to: (f64, f64)) {
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

    /// A [`Bar`] in the box of `w` × `h` mm whose top left corner is (`x`, `y`): the track,
    /// the fill and the marks, in a saved graphics state (the page's grey is left as it was).
    pub(super) fn bar(&mut self, bar: &Bar, x: f64, y: f64, w: f64, h: f64) {
        self.end_text();
        self.buf.extend_from_slice(b"q\n");
        let (fill, marks) = bar.clamped();
        let level = if bar.light { BAR_LIGHT } else { BAR_FILL };
        for (share, grey) in [(1.0, BAR_TRACK), (fill, level)] {
            if share <= 0.0 {
                continue;
            }
            put_num(&mut self.buf, grey);
            self.buf.extend_from_slice(b" g ");
            for v in [x, PAGE_H - y - h, w * share, h] {
                put_num(&mut self.buf, v * PT_PER_MM);
                self.buf.push(b' ');
            }
            self.buf.extend_from_slice(b"re f\n");
        }
        let mut marks = marks.peekable();
        if marks.peek().is_some() {
            self.buf.extend_from_slice(b"0 G 0.8 w\n");
        }
        let mut stroke = false;
        for m in marks {
            stroke = true;
            let mx = x + w * m;
            for (v, op) in [
                (mx, " "),
                (PAGE_H - y + 0.6, " m "),
                (mx, " "),
                (PAGE_H - y - h - 0.6, " l\n"),
            ] {
                put_num(&mut self.buf, v * PT_PER_MM);
                self.buf.extend_from_slice(op.as_bytes());
            }
        }
        if stroke {
            self.buf.extend_from_slice(b"S ");
        }
        self.buf.extend_from_slice(b"Q\n");
    }

    pub(super) fn stroke(&mut self) {
        self.buf.extend_from_slice(b"S\n");
    }

    /// A horizontal line at `y` mm from the top, from `x0` to `x1`.
    pub(super) fn hline(&mut self, x0: f64, x1: f64, y: f64, grey: bool) {
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

    pub(super) fn finish(mut self) -> Vec<u8> {
        self.end_text();
        self.buf
    }
}

/// The rectangles of a row shape `key` (its height, then each cell's left edge and width,
/// in hundredths of a point) with their bottom at `y` hundredths, as path operators.
fn grid_rects(buf: &mut Vec<u8>, key: &[i64], y: i64) {
    let (h, cells) = key.split_first().unwrap_or((&0, &[]));
    for cell in cells.chunks_exact(2) {
        for v in [cell[0], y, cell[1], *h] {
            put_hundredths(buf, v);
            buf.push(b' ');
        }
        buf.extend_from_slice(b"re\n");
    }
}

/// The shapes of the bordered rows of a document, each drawn once as a form XObject that
/// pages place where a row is: the cell borders were four numbers a cell, row after row,
/// nearly half of a scorecard page's content stream, and most rows of a long document have
/// one of a few shapes (the same columns at the same height).
///
/// A shape is named after a digest of it, not numbered as met: sections are laid out in
/// parallel, and the file must not depend on which row came first.
#[derive(Default)]
pub(super) struct Grids {
    /// Name -> the shape it stands for.
    shapes: std::sync::Mutex<FxHashMap<u64, Box<[i64]>>>,
}

impl Grids {
    /// The digest that names shape `key` ([`put_grid_name`]), or `None` when another shape
    /// has the same digest.
    fn digest(&self, key: &[i64]) -> Option<u64> {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        key.hash(&mut h);
        let digest = h.finish();
        let mut shapes = self.shapes.lock().unwrap_or_else(|e| e.into_inner());
        let known = shapes.entry(digest).or_insert_with(|| key.into());
        (**known == *key).then_some(digest)
    }

    /// Every shape as a form XObject: its resource name, the rest of its dictionary (the
    /// bounding box, room left for the line width) and its drawing; sorted by name.
    pub(super) fn forms(&self) -> Vec<(String, String, Vec<u8>)> {
        let shapes = self.shapes.lock().unwrap_or_else(|e| e.into_inner());
        let mut forms: Vec<(String, String, Vec<u8>)> = shapes
            .iter()
            .map(|(&digest, key)| {
                let mut name = Vec::new();
                put_grid_name(&mut name, digest);
                let mut body = Vec::new();
                grid_rects(&mut body, key, 0);
                body.push(b'S');
                let (h, cells) = key.split_first().unwrap_or((&0, &[]));
                let left = cells.chunks_exact(2).map(|c| c[0]).min().unwrap_or(0);
                let right = cells
                    .chunks_exact(2)
                    .map(|c| c[0] + c[1])
                    .max()
                    .unwrap_or(0);
                let mut bbox = b" /Type /XObject /Subtype /Form /BBox [".to_vec();
                for v in [left - 200, -200, right + 200, h + 200] {
                    put_hundredths(&mut bbox, v);
                    bbox.push(b' ');
                }
                bbox.pop();
                bbox.push(b']');
                (
                    String::from_utf8_lossy(&name).into_owned(),
                    String::from_utf8_lossy(&bbox).into_owned(),
                    body,
                )
            })
            .collect();
        forms.sort();
        forms
    }
}

/// The resource name of a row shape: `G` and its digest in hex.
fn put_grid_name(buf: &mut Vec<u8>, digest: u64) {
    buf.push(b'G');
    for i in (0..16).rev() {
        buf.push(b"0123456789abcdef"[(digest >> (4 * i)) as usize & 0xf]);
    }
}

/// Writes `v` with at most two decimals, as PDF content streams take numbers.
pub(super) fn put_num(buf: &mut Vec<u8>, v: f64) {
    put_hundredths(buf, hundredths(v));
}

pub(super) fn hundredths(v: f64) -> i64 {
    // `f64::round` is a call into libm on baseline x86-64 (no SSE4.1), and content streams
    // hold millions of numbers: round half away from zero by hand, the same result for every
    // coordinate a page has (far below 2^52).
    let x = v * 100.0;
    let t = x as i64;
    let frac = x - t as f64;
    if frac >= 0.5 {
        t + 1
    } else if frac <= -0.5 {
        t - 1
    } else {
        t
    }
}

/// Writes `n` hundredths as a decimal number.
pub(super) fn put_hundredths(buf: &mut Vec<u8>, n: i64) {
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

pub(super) fn put_uint(buf: &mut Vec<u8>, mut n: u64) {
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
    // Byte by byte into reserved room: `extend_from_slice` of a few bytes of unknown length
    // is a call to `memcpy`, which cost more than the digits themselves.
    buf.reserve(digits.len() - i);
    for &d in &digits[i..] {
        buf.push(d);
    }
}
