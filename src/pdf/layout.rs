//! The document model every rolebook PDF is made of, and the layout rules both writers follow.
//!
//! A [`Doc`] is data: an optional cover, an optional table of contents, and sections, each
//! starting on a new page, holding titles, paragraphs, bordered form tables ([`Form`]) whose
//! cells may span columns, and vector drawings ([`Drawing`]). [`super::render`] lays it out
//! with genpdf, [`super::direct`] writes it without; both take their sizes, margins, padding,
//! drawing placement ([`Drawing::place`]) and contents lines ([`contents_line`]) from here.

use std::collections::BTreeSet;

use super::PdfError;
use super::fonts::{Fonts, Subset};
use super::text::Rich;

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
    /// The row is at least this high, in mm (a box to write in by hand); 0 for none.
    pub min_height: f64,
}

/// One cell of a [`Form`].
#[derive(Debug, Clone)]
pub struct FormCell {
    /// How many columns the cell covers.
    pub span: usize,
    pub content: Rich,
    /// Labels are bold, centred horizontally and vertically.
    pub label: bool,
    /// A bar drawn across the cell, centred vertically (the cell has no text then).
    pub bar: Option<Bar>,
}

/// A horizontal bar in a form cell: a track the cell's width, filled to `fill`, with thin
/// vertical marks (a target, grade boundaries); all as shares of the track, 0 to 1. Both
/// writers draw it [`BAR_HEIGHT`] high.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bar {
    pub fill: f64,
    pub marks: Vec<f64>,
    /// Drawn lighter (an achievement well below target), as the HTML draws it in red.
    pub light: bool,
}

/// The height of a [`Bar`], in mm.
pub const BAR_HEIGHT: f64 = 2.8;
/// The grey levels of a bar's track, its fill and its light fill (0 black, 1 white).
pub const BAR_TRACK: f64 = 0.9;
pub const BAR_FILL: f64 = 0.35;
pub const BAR_LIGHT: f64 = 0.65;

impl Bar {
    /// `fill` and `marks` limited to the track.
    pub fn clamped(&self) -> (f64, impl Iterator<Item = f64> + '_) {
        let share = |x: f64| {
            if x.is_finite() {
                x.clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        (share(self.fill), self.marks.iter().map(move |&m| share(m)))
    }
}

impl FormCell {
    pub fn label(text: &str) -> FormCell {
        FormCell::labelled(Rich::bold(text))
    }

    /// A label cell with rich content (a bold label and a plain line under it).
    pub fn labelled(content: Rich) -> FormCell {
        FormCell {
            span: 1,
            content,
            label: true,
            bar: None,
        }
    }

    pub fn value(content: Rich) -> FormCell {
        FormCell {
            span: 1,
            content,
            label: false,
            bar: None,
        }
    }

    /// A cell holding a bar and no text.
    pub fn bar(bar: Bar) -> FormCell {
        FormCell {
            span: 1,
            content: Rich::default(),
            label: false,
            bar: Some(bar),
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
            min_height: 0.0,
        });
        self
    }

    /// Adds a row at least `mm` high (a box to write in).
    pub fn row_at_least(&mut self, mm: f64, cells: Vec<FormCell>) -> &mut Self {
        self.row(cells);
        if let Some(r) = self.rows.last_mut() {
            r.min_height = mm;
        }
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
pub const BODY_SIZE: u8 = 10;
pub const TITLE_SIZE: u8 = 16;
pub const HEADING_SIZE: u8 = 12;
pub const HEADER_SIZE: u8 = 8;
pub const COVER_SIZE: u8 = 26;
pub const MARGIN_TB: f64 = 15.0;
pub const MARGIN_LR: f64 = 18.0;
pub const HEADER_HEIGHT: f64 = 10.0;
pub const FOOTER_HEIGHT: f64 = 9.0;
pub const CELL_PAD_X: f64 = 1.8;
pub const CELL_PAD_Y: f64 = 1.4;
/// The height of a page's body (A4 less margins, header and footer).
pub const BODY_HEIGHT: f64 = 297.0 - 2.0 * MARGIN_TB - HEADER_HEIGHT - FOOTER_HEIGHT;

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

/// One line of the contents, laid out: the section name (cut with an ellipsis when too long,
/// for contents lines never wrap), its start page on the right, dot leaders between.
pub struct ContentsLine {
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
pub fn contents_line(
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
