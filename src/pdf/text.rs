//! Rich text for the PDF: inline Markdown mapped to styled runs and list items, and the
//! genpdf element that lays it out with [`super::linebreak`] and draws it line by line.
//!
//! Mapping: `**bold**` uses the bold face; `*italic*` is underlined (Chinese faces have no
//! italics); list items get a bullet or their number and a hanging indent; line breaks (hard
//! or soft) start a new line; links show their text, then the address in angle brackets when
//! it differs; code is shown as text; raw HTML is shown as written, never interpreted.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use genpdf::fonts::{Font, FontFamily};
use genpdf::style::{Color, Style};
use genpdf::{Alignment, Element, Mm, Position, RenderResult, Size, render};
use pulldown_cmark::{Event, Tag, TagEnd};

use super::linebreak::{break_lines, one_line};

/// How a run of text is emphasised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Emph {
    pub bold: bool,
    pub italic: bool,
}

/// One paragraph or list item.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Para {
    pub text: String,
    /// Byte ranges of `text` with their emphasis; bytes outside every range are plain.
    pub runs: Vec<(Range<usize>, Emph)>,
    /// The bullet or number drawn before the first line of a list item.
    pub marker: Option<String>,
    /// List nesting depth (0 outside lists).
    pub depth: u8,
}

impl Para {
    pub fn plain(text: impl Into<String>) -> Para {
        Para {
            text: text.into(),
            ..Default::default()
        }
    }

    /// The emphasis of the byte at `at`.
    pub fn emph_at(&self, at: usize) -> Emph {
        self.runs
            .iter()
            .find(|(r, _)| r.contains(&at))
            .map_or(Emph::default(), |(_, e)| *e)
    }

    fn push(&mut self, s: &str, emph: Emph) {
        let start = self.text.len();
        self.text.push_str(s);
        if emph != Emph::default() {
            match self.runs.last_mut() {
                Some((r, e)) if *e == emph && r.end == start => r.end = self.text.len(),
                _ => self.runs.push((start..self.text.len(), emph)),
            }
        }
    }
}

/// A block of text: paragraphs and list items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rich {
    pub paras: Vec<Para>,
}

impl Rich {
    /// Text shown as written, one paragraph per line.
    pub fn plain(text: &str) -> Rich {
        Rich {
            paras: text.lines().map(Para::plain).collect(),
        }
    }

    /// Text in bold.
    pub fn bold(text: &str) -> Rich {
        let mut r = Rich::plain(text);
        for p in &mut r.paras {
            p.runs = vec![(
                0..p.text.len(),
                Emph {
                    bold: true,
                    italic: false,
                },
            )];
        }
        r
    }

    /// Items as a numbered list, each item inline Markdown.
    pub fn numbered(items: &[&str]) -> Rich {
        let mut out = Rich::default();
        for (i, item) in items.iter().enumerate() {
            let mut r = Rich::markdown(item);
            if let Some(first) = r.paras.first_mut()
                && first.marker.is_none()
            {
                first.marker = Some(format!("{}.", i + 1));
                for p in &mut r.paras[1..] {
                    p.depth = p.depth.max(1);
                }
            }
            if r.paras.len() > 1 || r.paras.first().is_some_and(|p| p.depth == 0) {
                for p in &mut r.paras {
                    p.depth = p.depth.max(1);
                }
            }
            out.paras.append(&mut r.paras);
        }
        out
    }

    /// Items as a bulleted list, each item inline Markdown.
    pub fn bulleted(items: &[&str]) -> Rich {
        let mut out = Rich::numbered(items);
        for p in out.paras.iter_mut().filter(|p| p.depth <= 1) {
            if p.marker.as_deref().is_some_and(|m| m.ends_with('.')) {
                p.marker = Some("•".to_string());
            }
        }
        out
    }

    /// Inline Markdown (bold, italics, links, line breaks, simple lists) as rich text, from
    /// the same safe events as the HTML ([`crate::markdown::events`]).
    pub fn markdown(text: &str) -> Rich {
        let mut out = Rich::default();
        let mut cur = Para::default();
        let mut emph = Emph::default();
        let mut bold_depth = 0u32;
        let mut italic_depth = 0u32;
        // Open lists: the next number, or None for bullets.
        let mut lists: Vec<Option<u64>> = Vec::new();
        let mut link: Option<(String, usize)> = None;
        let flush = |cur: &mut Para, out: &mut Rich| {
            if !cur.text.trim().is_empty() || cur.marker.is_some() {
                out.paras.push(std::mem::take(cur));
            } else {
                *cur = Para {
                    depth: cur.depth,
                    ..Default::default()
                };
            }
        };
        for event in crate::markdown::events(text) {
            match event {
                Event::Start(Tag::Strong) => {
                    bold_depth += 1;
                    emph.bold = true;
                }
                Event::End(TagEnd::Strong) => {
                    bold_depth = bold_depth.saturating_sub(1);
                    emph.bold = bold_depth > 0;
                }
                Event::Start(Tag::Emphasis) => {
                    italic_depth += 1;
                    emph.italic = true;
                }
                Event::End(TagEnd::Emphasis) => {
                    italic_depth = italic_depth.saturating_sub(1);
                    emph.italic = italic_depth > 0;
                }
                Event::Start(Tag::Heading { .. }) => {
                    flush(&mut cur, &mut out);
                    bold_depth += 1;
                    emph.bold = true;
                }
                Event::End(TagEnd::Heading(_)) => {
                    flush(&mut cur, &mut out);
                    bold_depth = bold_depth.saturating_sub(1);
                    emph.bold = bold_depth > 0;
                }
                Event::Start(Tag::List(start)) => {
                    flush(&mut cur, &mut out);
                    lists.push(start);
                }
                Event::End(TagEnd::List(_)) => {
                    flush(&mut cur, &mut out);
                    lists.pop();
                }
                Event::Start(Tag::Item) => {
                    flush(&mut cur, &mut out);
                    let depth = lists.len() as u8;
                    let marker = match lists.last_mut() {
                        Some(Some(n)) => {
                            let m = format!("{n}.");
                            *n += 1;
                            m
                        }
                        _ => "•".to_string(),
                    };
                    cur = Para {
                        marker: Some(marker),
                        depth,
                        ..Default::default()
                    };
                }
                Event::End(TagEnd::Item)
                | Event::End(TagEnd::Paragraph)
                | Event::End(TagEnd::BlockQuote(_))
                | Event::End(TagEnd::CodeBlock) => flush(&mut cur, &mut out),
                Event::Start(Tag::Paragraph) if !cur.text.is_empty() => {
                    let depth = cur.depth;
                    flush(&mut cur, &mut out);
                    cur.depth = depth;
                }
                Event::SoftBreak | Event::HardBreak => {
                    let depth = cur.depth.max(if cur.marker.is_some() { 1 } else { 0 });
                    flush(&mut cur, &mut out);
                    cur.depth = depth;
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    link = Some((dest_url.to_string(), cur.text.len()));
                }
                Event::End(TagEnd::Link) => {
                    if let Some((url, start)) = link.take()
                        && cur.text[start..].trim() != url
                        && !url.is_empty()
                    {
                        cur.push(&format!(" <{url}>"), emph);
                    }
                }
                Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    let t = t.trim_end_matches('\n');
                    for (i, line) in t.split('\n').enumerate() {
                        if i > 0 {
                            flush(&mut cur, &mut out);
                        }
                        cur.push(line, emph);
                    }
                }
                Event::Rule => {
                    flush(&mut cur, &mut out);
                    cur.push("———", emph);
                    flush(&mut cur, &mut out);
                }
                Event::TaskListMarker(done) => cur.push(if done { "[x] " } else { "[ ] " }, emph),
                _ => {}
            }
        }
        flush(&mut cur, &mut out);
        out
    }

    /// Every character the text draws, with whether it is drawn bold.
    pub fn chars(&self) -> impl Iterator<Item = (char, bool)> + '_ {
        self.paras.iter().flat_map(|p| {
            let marker = p.marker.iter().flat_map(|m| m.chars().map(|c| (c, false)));
            marker.chain(
                p.text
                    .char_indices()
                    .map(move |(i, c)| (c, p.emph_at(i).bold)),
            )
        })
    }

    /// The text as it reads, paragraphs on their own lines (for tests and messages).
    pub fn to_plain(&self) -> String {
        let mut s = String::new();
        for p in &self.paras {
            if let Some(m) = &p.marker {
                s.push_str(m);
                s.push(' ');
            }
            s.push_str(&p.text);
            s.push('\n');
        }
        s
    }

    pub fn is_empty(&self) -> bool {
        self.paras
            .iter()
            .all(|p| p.text.is_empty() && p.marker.is_none())
    }
}

/// The two font families a document draws with, and measured character widths.
pub struct Faces {
    pub regular: FontFamily<Font>,
    pub bold: FontFamily<Font>,
    /// Advance width in mm at 1 pt, per (character, bold).
    widths: RefCell<HashMap<(char, bool), f64>>,
    /// False in the layout-only pass: elements break lines and pages but draw nothing.
    pub drawing: bool,
}

impl Faces {
    pub fn new(regular: FontFamily<Font>, bold: FontFamily<Font>, drawing: bool) -> Faces {
        Faces {
            regular,
            bold,
            widths: RefCell::new(HashMap::new()),
            drawing,
        }
    }

    /// The genpdf style for text of this size and weight.
    pub fn style(&self, size: u8, bold: bool) -> Style {
        Style::new()
            .with_font_family(if bold { self.bold } else { self.regular })
            .with_font_size(size)
    }

    /// The width of `c` in mm at `size` pt.
    pub fn char_width(&self, ctx: &genpdf::Context, c: char, bold: bool, size: u8) -> f64 {
        if super::fonts::is_layout_only(c) {
            return 0.0;
        }
        let mut cache = self.widths.borrow_mut();
        let w = *cache.entry((c, bold)).or_insert_with(|| {
            let fam = if bold { self.bold } else { self.regular };
            f64::from(fam.regular.char_width(&ctx.font_cache, c, 1))
        });
        w * f64::from(size)
    }

    pub fn str_width(&self, ctx: &genpdf::Context, s: &str, bold: bool, size: u8) -> f64 {
        s.chars().map(|c| self.char_width(ctx, c, bold, size)).sum()
    }

    /// The height of one line at `size` pt, in mm.
    pub fn line_height(&self, ctx: &genpdf::Context, size: u8) -> f64 {
        let _ = ctx;
        f64::from(self.regular.regular.get_line_height(size)) * LINE_SPACING
    }
}

/// Lines are set at the font's natural height (ascent + descent), which for Noto Sans CJK is
/// about 1.45 em: the usual spacing of Chinese office documents.
const LINE_SPACING: f64 = 1.0;
/// The hanging indent of one list level, in mm.
const INDENT: f64 = 5.0;
/// Space between paragraphs, in mm.
const PARA_GAP: f64 = 1.0;

/// One laid-out line.
#[derive(Debug, Clone)]
pub(super) struct Line {
    /// The paragraph of [`Rich::paras`] the line belongs to.
    pub para: usize,
    /// The bytes of the paragraph's text on this line.
    pub range: Range<usize>,
    /// Left indent in mm (list levels).
    pub indent: f64,
    /// The list marker, on the first line of an item.
    pub marker: Option<String>,
    /// The width of the line's text in mm.
    pub width: f64,
    /// Space above the line in mm (between paragraphs), dropped at the top of a page.
    pub gap_before: f64,
}

/// Breaks `rich` into lines of at most `width` mm; `char_width(c, bold)` is the advance of a
/// character in mm at the text's size. Both PDF writers lay text out with this.
pub(super) fn layout_lines(
    rich: &Rich,
    width: f64,
    mut char_width: impl FnMut(char, bool) -> f64,
) -> Vec<Line> {
    let mut lines = Vec::new();
    for (pi, para) in rich.paras.iter().enumerate() {
        let indent = f64::from(para.depth) * INDENT
            + if para.marker.is_some() && para.depth == 0 {
                INDENT
            } else {
                0.0
            };
        let avail = (width - indent).max(1.0);
        let mut width_at = |at: usize, c: char| char_width(c, para.emph_at(at).bold);
        // A short text that is one line is measured once (the same sum, in the same order).
        let one = one_line(&para.text, avail, &mut width_at);
        let whole = 0..para.text.len();
        let ranges = match one {
            Some(_) => vec![whole],
            None => break_lines(&para.text, avail, &mut width_at),
        };
        let gap = if pi > 0 && para.marker.is_none() && para.depth == 0 {
            PARA_GAP
        } else {
            0.0
        };
        if ranges.is_empty() {
            // An empty paragraph (or an item with no text) still takes a line.
            lines.push(Line {
                para: pi,
                range: 0..0,
                indent,
                marker: para.marker.clone(),
                width: 0.0,
                gap_before: gap,
            });
        }
        for (li, range) in ranges.into_iter().enumerate() {
            let w = match one {
                Some(w) => w,
                None => para.text[range.clone()]
                    .char_indices()
                    .map(|(i, c)| width_at(range.start + i, c))
                    .sum(),
            };
            lines.push(Line {
                para: pi,
                range,
                indent,
                marker: if li == 0 { para.marker.clone() } else { None },
                width: w,
                gap_before: if li == 0 { gap } else { 0.0 },
            });
        }
    }
    lines
}

/// The pieces of one line of `para` that share an emphasis: drawn one after the other.
pub(super) fn pieces(para: &Para, range: Range<usize>) -> Vec<(Range<usize>, Emph)> {
    // Plain text, or text in one emphasis throughout (labels, titles): one piece.
    if let Some((r, e)) = match para.runs.as_slice() {
        [] => Some((0..para.text.len(), Emph::default())),
        [(r, e)] => Some((r.clone(), *e)),
        _ => None,
    } && r.start <= range.start
        && range.end <= r.end
    {
        return vec![(range, e)];
    }
    let mut pieces: Vec<(Range<usize>, Emph)> = Vec::new();
    for (i, c) in para.text[range.clone()].char_indices() {
        let at = range.start + i;
        let e = para.emph_at(at);
        match pieces.last_mut() {
            Some((r, pe)) if *pe == e => r.end = at + c.len_utf8(),
            _ => pieces.push((at..at + c.len_utf8(), e)),
        }
    }
    pieces
}

/// A genpdf element drawing [`Rich`] text that wraps by Unicode rules and continues across
/// pages; it never drops text.
pub struct TextBlock {
    rich: Rich,
    size: u8,
    align: Alignment,
    color: Option<Color>,
    faces: Rc<Faces>,
    layout: Option<(f64, Vec<Line>)>,
    next: usize,
}

impl TextBlock {
    pub fn new(rich: Rich, size: u8, faces: Rc<Faces>) -> TextBlock {
        TextBlock {
            rich,
            size,
            align: Alignment::Left,
            color: None,
            faces,
            layout: None,
            next: 0,
        }
    }

    pub fn aligned(mut self, align: Alignment) -> Self {
        self.align = align;
        self
    }

    pub fn colored(mut self, color: Color) -> Self {
        self.color = Some(color);
        self
    }

    /// Whether this pass draws (see [`Faces::drawing`]).
    pub fn drawing(&self) -> bool {
        self.faces.drawing
    }

    pub fn is_done(&self) -> bool {
        self.layout
            .as_ref()
            .is_some_and(|(_, lines)| self.next >= lines.len())
    }

    /// Lays the text out for `width` mm (cached per width).
    pub fn layout(&mut self, ctx: &genpdf::Context, width: f64) {
        if self.layout.as_ref().is_some_and(|(w, _)| *w == width) {
            return;
        }
        let (faces, size) = (&self.faces, self.size);
        let lines = layout_lines(&self.rich, width, |c, bold| {
            faces.char_width(ctx, c, bold, size)
        });
        self.layout = Some((width, lines));
        self.next = 0;
    }

    /// The height of one line of this block, in mm.
    pub fn line_height(&self, ctx: &genpdf::Context) -> f64 {
        self.faces.line_height(ctx, self.size)
    }

    /// The height of the lines not yet drawn, in mm.
    pub fn remaining_height(&self, ctx: &genpdf::Context) -> f64 {
        let lh = self.faces.line_height(ctx, self.size);
        self.layout.as_ref().map_or(0.0, |(_, lines)| {
            lines[self.next.min(lines.len())..]
                .iter()
                .enumerate()
                .map(|(i, l)| lh + if i == 0 { 0.0 } else { l.gap_before })
                .sum()
        })
    }

    /// Draws as many lines as fit into `area`; returns the height used.
    pub fn draw(
        &mut self,
        ctx: &genpdf::Context,
        area: &render::Area<'_>,
    ) -> Result<f64, genpdf::error::Error> {
        let width = f64::from(area.size().width);
        self.layout(ctx, width);
        let lh = self.faces.line_height(ctx, self.size);
        let height = f64::from(area.size().height);
        let (_, lines) = self.layout.as_ref().expect("laid out above");
        let mut y = 0.0;
        let mut first = true;
        while self.next < lines.len() {
            let line = &lines[self.next];
            let gap = if first { 0.0 } else { line.gap_before };
            if y + gap + lh > height + 1e-6 {
                break;
            }
            y += gap;
            if !self.faces.drawing {
                y += lh;
                first = false;
                self.next += 1;
                continue;
            }
            let para = &self.rich.paras[line.para];
            let x0 = match self.align {
                Alignment::Left => line.indent,
                Alignment::Center => ((width - line.width) / 2.0).max(0.0),
                Alignment::Right => (width - line.width).max(0.0),
            };
            let base = self.faces.style(self.size, false);
            let base = match self.color {
                Some(c) => base.with_color(c),
                None => base,
            };
            if let Some(marker) = &line.marker {
                let mw = self.faces.str_width(ctx, marker, false, self.size);
                let mx = (line.indent - mw - 1.2).max(0.0);
                let mut slack = area.clone();
                slack.set_height(Mm::from(height + 0.5));
                slack.print_str(
                    &ctx.font_cache,
                    Position::new(Mm::from(mx), Mm::from(y)),
                    base,
                    marker,
                )?;
            }
            if !line.range.is_empty() {
                // Sizes are sums of floats: a line that fits by our count must not be refused
                // by genpdf's own check over a rounding error, or it would be lost.
                let mut slack = area.clone();
                slack.set_height(Mm::from(height + 0.5));
                let Some(mut section) = slack.text_section(
                    &ctx.font_cache,
                    Position::new(Mm::from(x0), Mm::from(y)),
                    base,
                ) else {
                    break;
                };
                {
                    // Draw the line as pieces of equal emphasis.
                    let text = &para.text;
                    let mut x = x0;
                    let mut underlines = Vec::new();
                    for (r, e) in pieces(para, line.range.clone()) {
                        let piece = &text[r];
                        let style = self.faces.style(self.size, e.bold);
                        let style = match self.color {
                            Some(c) => style.with_color(c),
                            None => style,
                        };
                        let w = self.faces.str_width(ctx, piece, e.bold, self.size);
                        section.print_str(piece, style)?;
                        if e.italic {
                            underlines.push((x, x + w));
                        }
                        x += w;
                    }
                    drop(section);
                    let base_y =
                        y + f64::from(self.faces.regular.regular.glyph_height(self.size)) + 0.4;
                    for (a, b) in underlines {
                        area.draw_line(
                            vec![
                                Position::new(Mm::from(a), Mm::from(base_y)),
                                Position::new(Mm::from(b), Mm::from(base_y)),
                            ],
                            Style::new(),
                        );
                    }
                }
            }
            y += lh;
            first = false;
            self.next += 1;
        }
        Ok(y)
    }
}

impl Element for TextBlock {
    fn render(
        &mut self,
        ctx: &genpdf::Context,
        area: render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let used = self.draw(ctx, &area)?;
        Ok(RenderResult {
            size: Size::new(area.size().width, Mm::from(used)),
            has_more: !self.is_done(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pdf_reads_markdown_as_safely_as_the_html() {
        // The words of an unsafe link stay, its address does not (as in the HTML).
        assert_eq!(
            Rich::markdown("[点我](javascript:alert(1))").to_plain(),
            "点我\n"
        );
        // Raw HTML is shown as written.
        assert_eq!(Rich::markdown("<b>粗</b>").to_plain(), "<b>粗</b>\n");
        // An image is its words and address, never fetched.
        let image = Rich::markdown("![图](https://example.com/a.png)").to_plain();
        assert_eq!(image, "图 <https://example.com/a.png>\n");
        // A heading is a bold paragraph.
        let heading = Rich::markdown("# 标题");
        assert_eq!(heading.to_plain(), "标题\n");
        assert!(heading.paras[0].emph_at(0).bold);
    }

    fn plain(md: &str) -> Vec<(Option<String>, String)> {
        Rich::markdown(md)
            .paras
            .into_iter()
            .map(|p| (p.marker, p.text))
            .collect()
    }

    #[test]
    fn maps_bold_italic_and_keeps_text() {
        let r = Rich::markdown("负责**客户关系**维护与*回访*");
        assert_eq!(r.paras.len(), 1);
        let p = &r.paras[0];
        assert_eq!(p.text, "负责客户关系维护与回访");
        assert!(p.emph_at(p.text.find("客户").unwrap()).bold);
        assert!(p.emph_at(p.text.find("回访").unwrap()).italic);
        assert!(!p.emph_at(0).bold);
    }

    #[test]
    fn maps_lists_and_line_breaks() {
        assert_eq!(
            plain("要求：\n\n- 熟悉流程\n- 认真负责\n\n1. 第一\n2. 第二"),
            vec![
                (None, "要求：".to_string()),
                (Some("•".into()), "熟悉流程".into()),
                (Some("•".into()), "认真负责".into()),
                (Some("1.".into()), "第一".into()),
                (Some("2.".into()), "第二".into()),
            ]
        );
        assert_eq!(
            plain("第一行  \n第二行"),
            vec![(None, "第一行".into()), (None, "第二行".into())]
        );
    }

    #[test]
    fn shows_raw_html_and_link_addresses_as_text() {
        assert_eq!(plain("见<b>制度</b>"), vec![(None, "见<b>制度</b>".into())]);
        assert_eq!(
            plain("[制度](https://hr.example.com/x)"),
            vec![(None, "制度 <https://hr.example.com/x>".into())]
        );
    }
}
