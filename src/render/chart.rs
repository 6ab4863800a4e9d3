//! The organization chart, drawn from the reporting lines: one [`layout`] that the HTML
//! handbook draws as inline SVG ([`svg`]: no JavaScript, no network, and it prints) and the
//! PDF draws as vectors.
//!
//! Layout: a top-down tree. A position whose reports are all leaves stacks them in a column
//! under it (as printed org charts do), so wide teams do not make the chart wide. Superiors
//! outside the chart (`[external]`, or another department's) are drawn dashed. A large
//! organization gets one chart per department, each fitting the page. Positions caught in a
//! reporting cycle (only with `--allow-errors`) are still drawn, from the first of them.

use std::fmt::Write;

use unicode_width::UnicodeWidthChar;

use super::escape;
use super::view::Book;
use crate::model::Superior;

const W: f64 = 124.0;
const H: f64 = 42.0;
/// Horizontal gap between sibling subtrees.
const HGAP: f64 = 14.0;
/// Vertical gap between a parent and a row of children.
const VGAP: f64 = 30.0;
/// How far a stacked column sits to the right of its parent, and the gap between its boxes.
const INDENT: f64 = 18.0;
const SGAP: f64 = 8.0;
const MARGIN: f64 = 8.0;
/// Title width per line, in terminal cells (a CJK character is two).
const LINE_CELLS: usize = 18;

struct Node {
    title: String,
    sub: String,
    position: Option<usize>,
    external: bool,
    children: Vec<usize>,
}

/// A chart laid out: boxes and connecting lines in chart units (a box is [`W`] × [`H`]), the
/// origin top left. The SVG and the PDF both draw this.
#[derive(Debug, Clone)]
pub struct Chart {
    pub width: f64,
    pub height: f64,
    /// Boxes, parents before children.
    pub boxes: Vec<ChartBox>,
    /// Horizontal and vertical lines, each from its first point to its second.
    pub edges: Vec<[(f64, f64); 2]>,
}

/// One position in the chart.
#[derive(Debug, Clone)]
pub struct ChartBox {
    /// Top-left corner.
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub title: String,
    /// The title in one or two lines.
    pub lines: Vec<String>,
    /// The code, department or "external" under a one-line title, clipped.
    pub sub: Option<String>,
    /// The position's index, for a link to its form.
    pub position: Option<usize>,
    /// A superior outside the chart, drawn dashed.
    pub external: bool,
}

/// Lays out the chart of `members` (position indices, in handbook order), or `None` when
/// there are none. A superior outside `members` (an `[external]` one, or a position of
/// another department) is drawn dashed above its reports, linked to its form when it has one.
pub fn layout(book: &Book, members: &[usize]) -> Option<Chart> {
    let org = book.org;
    let m = members.len();
    if m == 0 {
        return None;
    }
    let labels = book.labels;
    // Local node of each member position.
    let mut local: Vec<Option<usize>> = vec![None; org.positions.len()];
    let mut nodes: Vec<Node> = Vec::with_capacity(m + 1);
    for (k, &i) in members.iter().enumerate() {
        local[i] = Some(k);
        nodes.push(Node {
            title: book.title_of(i),
            sub: book.code_of(i),
            position: Some(i),
            external: false,
            children: Vec::new(),
        });
    }
    // Parents: a member, a superior outside the members (one node each), or none (a root).
    let mut parent: Vec<Option<usize>> = vec![None; m];
    let mut outside: Vec<String> = Vec::new();
    for (k, &i) in members.iter().enumerate() {
        let p = &org.positions[i];
        let (key, node) = match org.superior(p) {
            Superior::Position(s) => {
                let si = org.index_of(&s.id).filter(|&s| s != i);
                match si {
                    None => continue,
                    Some(si) if local[si].is_some() => {
                        parent[k] = local[si];
                        continue;
                    }
                    Some(si) => (
                        s.id.clone(),
                        Node {
                            title: book.title_of(si),
                            sub: book.department_of(si),
                            position: Some(si),
                            external: true,
                            children: Vec::new(),
                        },
                    ),
                }
            }
            Superior::External(e) => (
                e.id.value.clone(),
                Node {
                    title: e.title.value.trim().to_string(),
                    sub: labels.external_superior.to_string(),
                    position: None,
                    external: true,
                    children: Vec::new(),
                },
            ),
            Superior::None | Superior::Unknown => continue,
        };
        let at = match outside.iter().position(|x| *x == key) {
            Some(j) => m + j,
            None => {
                outside.push(key);
                nodes.push(node);
                nodes.len() - 1
            }
        };
        parent[k] = Some(at);
    }
    // Children in handbook order (highest level first), so the chart reads like the contents.
    for (k, p) in parent.iter().enumerate() {
        if let Some(p) = *p {
            nodes[p].children.push(k);
        }
    }

    // Roots: outside superiors, then members without a superior, then what a cycle left over.
    let mut roots: Vec<usize> = (m..nodes.len()).collect();
    roots.extend((0..m).filter(|&k| parent[k].is_none()));
    let mut seen = vec![false; nodes.len()];
    let mut pre: Vec<usize> = Vec::with_capacity(nodes.len());
    let mut tree_children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut all_roots = Vec::new();
    let mut visit = |root: usize, pre: &mut Vec<usize>, seen: &mut Vec<bool>| {
        if seen[root] {
            return false;
        }
        seen[root] = true;
        let mut stack = vec![root];
        while let Some(v) = stack.pop() {
            pre.push(v);
            let kids: Vec<usize> = nodes[v]
                .children
                .iter()
                .copied()
                .filter(|&c| !seen[c])
                .collect();
            for &c in &kids {
                seen[c] = true;
            }
            stack.extend(kids.iter().rev());
            tree_children[v] = kids;
        }
        true
    };
    for &r in &roots {
        if visit(r, &mut pre, &mut seen) {
            all_roots.push(r);
        }
    }
    for k in 0..m {
        if visit(k, &mut pre, &mut seen) {
            all_roots.push(k);
        }
    }

    // Sizes, children before parents.
    let lines: Vec<Vec<String>> = nodes.iter().map(|nd| wrap(&nd.title)).collect();
    let mut size = vec![(0.0f64, 0.0f64); nodes.len()];
    let stacked = |v: usize| -> bool {
        let kids = &tree_children[v];
        kids.len() > 1 && kids.iter().all(|&c| tree_children[c].is_empty())
    };
    for &v in pre.iter().rev() {
        let kids = &tree_children[v];
        size[v] = if kids.is_empty() {
            (W, H)
        } else if stacked(v) {
            (INDENT + W, H + kids.len() as f64 * (SGAP + H))
        } else {
            let cw: f64 =
                kids.iter().map(|&c| size[c].0).sum::<f64>() + HGAP * (kids.len() - 1) as f64;
            let ch = kids.iter().map(|&c| size[c].1).fold(0.0, f64::max);
            (W.max(cw), H + VGAP + ch)
        };
    }

    // Positions, parents before children: the top-left corner of each box.
    let mut at = vec![(0.0f64, 0.0f64); nodes.len()];
    let mut block = vec![(0.0f64, 0.0f64); nodes.len()];
    let mut x = MARGIN;
    for &r in &all_roots {
        block[r] = (x, MARGIN);
        x += size[r].0 + 2.0 * HGAP;
    }
    let width = x - 2.0 * HGAP + MARGIN;
    let height = all_roots.iter().map(|&r| size[r].1).fold(0.0, f64::max) + 2.0 * MARGIN;
    let mut edges: Vec<[(f64, f64); 2]> = Vec::new();
    for &v in &pre {
        let (bx, by) = block[v];
        let kids = &tree_children[v];
        if kids.is_empty() {
            at[v] = (bx, by);
        } else if stacked(v) {
            at[v] = (bx, by);
            let lx = bx + INDENT / 2.0;
            let mut last = 0.0;
            for (j, &c) in kids.iter().enumerate() {
                let cy = by + H + SGAP + j as f64 * (SGAP + H);
                block[c] = (bx + INDENT, cy);
                last = cy + H / 2.0;
                edges.push([(lx, last), (bx + INDENT, last)]);
            }
            edges.push([(lx, by + H), (lx, last)]);
        } else {
            let (w, _) = size[v];
            let cw: f64 =
                kids.iter().map(|&c| size[c].0).sum::<f64>() + HGAP * (kids.len() - 1) as f64;
            at[v] = (bx + (w - W) / 2.0, by);
            let mut cx = bx + (w - cw) / 2.0;
            let cy = by + H + VGAP;
            let mid = by + H + VGAP / 2.0;
            let (mut lo, mut hi) = (f64::MAX, f64::MIN);
            for &c in kids {
                block[c] = (cx, cy);
                // A child's box centre: stacked subtrees keep their box at the left.
                let centre = if stacked(c) {
                    cx + W / 2.0
                } else {
                    cx + size[c].0 / 2.0
                };
                lo = lo.min(centre);
                hi = hi.max(centre);
                edges.push([(centre, mid), (centre, cy)]);
                cx += size[c].0 + HGAP;
            }
            let px = at[v].0 + W / 2.0;
            edges.push([(px, by + H), (px, mid)]);
            edges.push([(lo.min(px), mid), (hi.max(px), mid)]);
        }
    }

    let boxes = pre
        .iter()
        .map(|&v| {
            let node = &nodes[v];
            let (x, y) = at[v];
            let title = &lines[v];
            let sub =
                (title.len() == 1 && !node.sub.is_empty()).then(|| clip(&node.sub, LINE_CELLS + 2));
            ChartBox {
                x,
                y,
                w: W,
                h: H,
                title: node.title.clone(),
                lines: title.clone(),
                sub,
                position: node.position,
                external: node.external,
            }
        })
        .collect();
    Some(Chart {
        width,
        height,
        boxes,
        edges,
    })
}

/// The chart as inline SVG; `href` gives the link to a position's form.
pub fn svg(chart: &Chart, label: &str, href: impl Fn(usize) -> String) -> String {
    let mut edges = String::new();
    for [(x1, y1), (x2, y2)] in &chart.edges {
        if y1 == y2 {
            let _ = write!(edges, "M{} {}H{}", f(*x1), f(*y1), f(*x2));
        } else {
            let _ = write!(edges, "M{} {}V{}", f(*x1), f(*y1), f(*y2));
        }
    }
    let mut out = String::with_capacity(256 * chart.boxes.len() + edges.len() + 512);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"org-chart\" viewBox=\"0 0 {w} {h}\" \
         width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{label}\" \
         font-family=\"inherit\" font-size=\"12\">",
        w = f(chart.width),
        h = f(chart.height),
        label = escape(label),
    );
    let _ = write!(
        out,
        "<path class=\"edge\" d=\"{edges}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1\"/>"
    );
    for b in &chart.boxes {
        let href = b.position.map(&href);
        if let Some(href) = &href {
            let _ = write!(out, "<a href=\"{}\">", escape(href));
        }
        let class = if b.external { "node external" } else { "node" };
        let _ = write!(
            out,
            "<g class=\"{class}\"><title>{}</title>",
            escape(&b.title)
        );
        let dash = if b.external {
            " stroke-dasharray=\"4 3\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#fff\" stroke=\"#222\"{dash}/>",
            f(b.x),
            f(b.y),
            f(b.w),
            f(b.h)
        );
        let cx = f(b.x + b.w / 2.0);
        for (line, ty) in b.lines.iter().zip(text_lines(b)) {
            let _ = write!(
                out,
                "<text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                f(ty),
                escape(line)
            );
        }
        if let Some(sub) = &b.sub {
            let _ = write!(
                out,
                "<text class=\"sub\" x=\"{cx}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">{}</text>",
                f(sub_line(b)),
                escape(sub)
            );
        }
        out.push_str("</g>");
        if href.is_some() {
            out.push_str("</a>");
        }
    }
    out.push_str("</svg>");
    out
}

/// The font size of a box's title, in chart units; the code under it is [`SUB_SIZE`].
pub const TITLE_SIZE: f64 = 12.0;
pub const SUB_SIZE: f64 = 10.0;
/// The distance between the baselines of a box's lines.
const LINE_STEP: f64 = 15.0;

/// The baseline of each title line of a box, centred with the code line under it.
pub fn text_lines(b: &ChartBox) -> Vec<f64> {
    let count = b.lines.len() + usize::from(b.sub.is_some());
    let first = b.y + b.h / 2.0 - (count as f64 - 1.0) * LINE_STEP / 2.0 + 4.0;
    (0..b.lines.len())
        .map(|k| first + k as f64 * LINE_STEP)
        .collect()
}

/// The baseline of the code line under a box's title.
pub fn sub_line(b: &ChartBox) -> f64 {
    text_lines(b)
        .last()
        .map_or(b.y + b.h / 2.0, |y| y + LINE_STEP)
        - 1.0
}

/// Coordinates with at most one decimal: smaller files, stable output.
fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

fn cells(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// A title in at most two lines of [`LINE_CELLS`]; Latin words are not cut when avoidable.
fn wrap(title: &str) -> Vec<String> {
    let total: usize = title.chars().map(cells).sum();
    if total <= LINE_CELLS {
        return vec![title.to_string()];
    }
    let mut first = String::new();
    let mut used = 0;
    let mut last_space = None;
    let mut rest_start = title.len();
    for (i, c) in title.char_indices() {
        if used + cells(c) > LINE_CELLS {
            rest_start = i;
            break;
        }
        if c == ' ' {
            last_space = Some(i);
        }
        used += cells(c);
        first.push(c);
    }
    if let Some(s) = last_space.filter(|&s| s > 0 && rest_start < title.len()) {
        let cut_mid_word = !title[rest_start..].starts_with(' ');
        if cut_mid_word {
            first.truncate(s);
            rest_start = s;
        }
    }
    let rest = title[rest_start..].trim();
    vec![first.trim_end().to_string(), clip(rest, LINE_CELLS)]
}

/// Cuts a line to `max` cells, ending in … when it was longer.
fn clip(s: &str, max: usize) -> String {
    let total: usize = s.chars().map(cells).sum();
    if total <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + cells(c) + 1 > max {
            break;
        }
        used += cells(c);
        out.push(c);
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_to_two_lines_and_clip() {
        assert_eq!(wrap("客服部经理"), ["客服部经理"]);
        let two = wrap("华东区大客户销售服务中心高级经理");
        assert_eq!(two.len(), 2);
        assert_eq!(two.concat(), "华东区大客户销售服务中心高级经理");
        let clipped = wrap(&"很长的岗位名称".repeat(5));
        assert!(clipped[1].ends_with('…'), "{clipped:?}");
        let en = wrap("Customer Service Manager");
        assert_eq!(en, ["Customer Service", "Manager"]);
    }
}
