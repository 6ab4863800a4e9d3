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

    /// Adds a rectangle to the path, (`x`, `y`) its top left corner in mm from the page's;
    /// [`Content::stroke`] draws the path.
    pub(super) fn rect(&mut self, x: f64, y: f64, w: f64, h: f64) {
        self.end_text();
        self.set_grey(false);
        for v in [x, PAGE_H - y - h, w, h] {
            put_num(&mut self.buf, v * PT_PER_MM);
            self.buf.push(b' ');
        }
        self.buf.extend_from_slice(b"re\n");
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

/// Writes `v` with at most two decimals, as PDF content streams take numbers.
pub(super) fn put_num(buf: &mut Vec<u8>, v: f64) {
    put_hundredths(buf, hundredths(v));
}

pub(super) fn hundredths(v: f64) -> i64 {
    (v * 100.0).round() as i64
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
    buf.extend_from_slice(&digits[i..]);
}
