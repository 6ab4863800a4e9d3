//! From blocks of text to forms: the labels of the 职务说明书 found by the one dictionary of
//! [`crate::vocab`], each with the text that follows it up to the next label.
//!
//! Word tables are read cell by cell: a cell is a label when its whole text is one (a colon
//! after it allowed), or when it starts with one and a colon. A row made only of labels over
//! rows without any is a header (职责 | 工作任务 columns): each cell below gets its column's
//! label. Pasted text has lost the cells, so labels are looked for inside lines; of the
//! matches, only those in the form's order are kept (the longest such chain), and a label
//! already read is text the second time, so 专业 in 专业知识 or 经验 in 工作经验 stay words.

use aho_corasick::{AhoCorasick, MatchKind};

use super::{Block, Row};
use crate::model::Lang;
use crate::vocab::{Term, chinese_number};

/// A label of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    Known(Term),
    /// 职责一, 职责2 …: starts a duty.
    Duty(usize),
    /// A label the dictionary does not know: its text goes to `notes` under it.
    Unknown(String),
}

/// One label and the paragraphs of its value.
#[derive(Debug, Clone)]
pub struct Segment {
    pub label: Label,
    /// The label as written in the source.
    pub written: String,
    pub value: Vec<String>,
}

/// One form of a document.
#[derive(Debug, Clone, Default)]
pub struct RawForm {
    /// The line above the form (客服部经理职务说明书), when there is one.
    pub heading: Option<String>,
    pub segments: Vec<Segment>,
}

/// The forms of a document and the text before the first one.
#[derive(Debug, Default)]
pub struct Document {
    /// The first line of the document: its heading, for the organization's name.
    pub first_line: Option<String>,
    pub preamble: Vec<String>,
    pub forms: Vec<RawForm>,
}

/// The dictionary: every label text, once for whole cells and once for labels inside lines.
pub struct Dictionary {
    all: AhoCorasick,
    all_labels: Vec<Label>,
    inline: AhoCorasick,
    inline_labels: Vec<Label>,
}

const MAX_DUTY_NUMBER: usize = 30;

impl Dictionary {
    pub fn new() -> Self {
        let mut all: Vec<(String, Label)> = Vec::new();
        let mut inline: Vec<(String, Label)> = Vec::new();
        for &t in Term::FORM {
            for lang in [Lang::Zh, Lang::En] {
                all.push((t.text(lang).to_lowercase(), Label::Known(t)));
            }
            if !t.kpi_column() {
                inline.push((t.text(Lang::Zh).to_string(), Label::Known(t)));
            }
            for a in t.form_aliases() {
                all.push((a.to_lowercase(), Label::Known(t)));
                if a.chars().count() >= 3 && !t.kpi_column() {
                    inline.push((a.to_string(), Label::Known(t)));
                }
            }
        }
        for n in 1..=MAX_DUTY_NUMBER {
            for text in [format!("职责{}", chinese_number(n)), format!("职责{n}")] {
                all.push((text.clone(), Label::Duty(n)));
                inline.push((text, Label::Duty(n)));
            }
        }
        let build = |v: &[(String, Label)]| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(v.iter().map(|(s, _)| s.as_str()))
                .expect("the label dictionary builds")
        };
        Dictionary {
            all: build(&all),
            all_labels: all.into_iter().map(|(_, l)| l).collect(),
            inline: build(&inline),
            inline_labels: inline.into_iter().map(|(_, l)| l).collect(),
        }
    }

    /// The label a whole cell or line is (a colon after it allowed).
    pub fn whole(&self, text: &str) -> Option<Label> {
        let t = trim_label(text).to_lowercase();
        if t.is_empty() || t.len() > 200 {
            return None;
        }
        let exact = |t: &str| {
            let m = self.all.find(t)?;
            (m.start() == 0 && m.end() == t.len()).then(|| self.all_labels[m.pattern()].clone())
        };
        // Forms space labels out to align them (岗 位 名 称, 本　　职) and number their
        // sections (二、岗位职责).
        exact(&t)
            .or_else(|| {
                let squeezed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                exact(trim_label(&squeezed))
            })
            .or_else(|| {
                let unnumbered = super::draft::strip_number(&t);
                (unnumbered.len() < t.len()).then(|| exact(trim_label(unnumbered)))?
            })
    }

    /// A label at the start of `text` followed by a colon: (label, bytes it and the colon take).
    fn leading(&self, text: &str) -> Option<(Label, usize)> {
        let lead = text.len() - text.trim_start().len();
        let rest = &text[lead..];
        let m = self.all.find(rest)?;
        if m.start() != 0 {
            return None;
        }
        let after = &rest[m.end()..];
        // 岗位名称：客服专员, or 岗位名称　客服专员 spaced apart.
        let sep = after
            .chars()
            .next()
            .filter(|c| is_colon(*c) || (c.is_whitespace() && !after.trim().is_empty()))?;
        Some((
            self.all_labels[m.pattern()].clone(),
            lead + m.end() + sep.len_utf8(),
        ))
    }
}

impl Default for Dictionary {
    fn default() -> Self {
        Self::new()
    }
}

fn is_colon(c: char) -> bool {
    matches!(c, ':' | '：')
}

fn trim_label(text: &str) -> &str {
    // 【岗位名称】：, 岗位名称*：, ★本职
    text.trim()
        .trim_end_matches(is_colon)
        .trim_end()
        .trim_start_matches(['【', '[', '*', '＊', '★', '●', '■', '◆', '▲', '□'])
        .trim_end_matches(['】', ']', '*', '＊'])
        .trim()
}

/// One cell or paragraph of the document, in reading order.
#[derive(Debug, Clone)]
struct Unit {
    paras: Vec<String>,
    /// The row it belongs to, for cells.
    row: Option<usize>,
    /// A label taken from a header row above.
    header: Option<(Label, String)>,
}

/// Whether the blocks came from Word cells or from pasted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Cells,
    Pasted,
}

/// Reads the forms of a document.
pub fn read(blocks: &[Block], mode: Mode, dict: &Dictionary) -> Document {
    let mut units = Vec::new();
    let mut rows = 0;
    linearize(blocks, dict, &mut units, &mut rows);
    let marks = match mode {
        Mode::Cells => headings_as_titles(&units, cell_marks(&units, dict)),
        Mode::Pasted => pasted_marks(&units, dict),
    };
    let mut doc = cut(&units, marks, mode);
    doc.first_line = units
        .iter()
        .flat_map(|u| u.paras.iter())
        .map(|p| p.trim())
        .find(|p| !p.is_empty())
        .map(str::to_string);
    doc
}

fn cell_text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Para(p) => s.push_str(p),
            Block::Table(rows) => {
                for r in rows {
                    for c in &r.cells {
                        s.push_str(&cell_text(&c.blocks));
                    }
                }
            }
        }
    }
    s
}

fn is_header_row(row: &Row, dict: &Dictionary) -> bool {
    let cells: Vec<String> = row
        .cells
        .iter()
        .filter(|c| !c.continued)
        .map(|c| cell_text(&c.blocks))
        .collect();
    cells.len() >= 2
        && cells
            .iter()
            .all(|t| matches!(dict.whole(t), Some(Label::Known(_) | Label::Duty(_))))
}

fn has_label(row: &Row, dict: &Dictionary) -> bool {
    row.cells
        .iter()
        .any(|c| dict.whole(&cell_text(&c.blocks)).is_some())
}

fn linearize(blocks: &[Block], dict: &Dictionary, out: &mut Vec<Unit>, rows: &mut usize) {
    for b in blocks {
        match b {
            Block::Para(p) => out.push(Unit {
                paras: p.split('\n').map(str::to_string).collect(),
                row: None,
                header: None,
            }),
            Block::Table(table) => {
                let mut header: Option<Vec<(usize, usize, Label, String)>> = None;
                for (i, row) in table.iter().enumerate() {
                    *rows += 1;
                    let this = *rows;
                    if is_header_row(row, dict)
                        && table.get(i + 1).is_some_and(|next| !has_label(next, dict))
                    {
                        header = Some(
                            row.cells
                                .iter()
                                .filter(|c| !c.continued)
                                .map(|c| {
                                    let t = cell_text(&c.blocks);
                                    let l = dict.whole(&t).expect("a header cell is a label");
                                    (c.col, c.span, l, trim_label(&t).to_string())
                                })
                                .collect(),
                        );
                        continue;
                    }
                    if has_label(row, dict) {
                        header = None;
                    }
                    for c in &row.cells {
                        let mut inner = Vec::new();
                        linearize(&c.blocks, dict, &mut inner, rows);
                        if c.continued
                            && inner
                                .iter()
                                .all(|u| u.paras.iter().all(|p| p.trim().is_empty()))
                        {
                            continue;
                        }
                        let label = header.as_ref().and_then(|h| {
                            h.iter()
                                .find(|(col, span, _, _)| c.col >= *col && c.col < col + span)
                                .map(|(_, _, l, w)| (l.clone(), w.clone()))
                        });
                        // A cell is one unit; its nested tables follow it as units of their own.
                        let mut unit = Unit {
                            paras: Vec::new(),
                            row: Some(this),
                            header: label,
                        };
                        let mut rest = Vec::new();
                        for u in inner {
                            if u.row.is_none() && rest.is_empty() {
                                unit.paras.extend(u.paras);
                            } else {
                                rest.push(u);
                            }
                        }
                        out.push(unit);
                        out.extend(rest);
                    }
                }
            }
        }
    }
}

/// A place where a label starts: unit, paragraph, byte range of the label (with its colon).
#[derive(Debug, Clone)]
struct Mark {
    unit: usize,
    para: usize,
    start: usize,
    end: usize,
    label: Label,
    written: String,
}

impl Mark {
    /// The label a unit carries in its header (`Unit::header`), before any of its text.
    fn header(unit: usize, (label, written): &(Label, String)) -> Mark {
        Mark {
            unit,
            para: 0,
            start: 0,
            end: 0,
            label: label.clone(),
            written: written.clone(),
        }
    }

    /// A label that is the whole of unit `unit`'s first paragraph with text.
    fn whole_paragraph(unit: usize, u: &Unit, label: Label, written: String) -> Mark {
        let para = u.first_text_para();
        Mark {
            unit,
            para,
            start: 0,
            end: u.paras[para].len(),
            label,
            written,
        }
    }
}

impl Unit {
    /// The first paragraph with text in it (the first one when none has).
    fn first_text_para(&self) -> usize {
        self.paras
            .iter()
            .position(|p| !p.trim().is_empty())
            .unwrap_or(0)
    }
}

fn is_unknown_label(text: &str, max_chars: usize) -> bool {
    let t = trim_label(text);
    let n = t.chars().count();
    (2..=max_chars).contains(&n)
        && t.chars().all(|c| {
            c.is_alphabetic() && !c.is_ascii() || matches!(c, '/' | '（' | '）' | '(' | ')')
        })
}

fn cell_marks(units: &[Unit], dict: &Dictionary) -> Vec<Mark> {
    let mut marks = Vec::new();
    // Within a row, labels and values alternate: a short cell where a label is due is one.
    let mut expect_label = true;
    let mut last_row = None;
    for (i, u) in units.iter().enumerate() {
        if u.row != last_row {
            expect_label = true;
            last_row = u.row;
        }
        if let Some(header) = &u.header {
            marks.push(Mark::header(i, header));
        }
        let whole: String = u.paras.join("\n");
        let first = u.paras.first().map(String::as_str).unwrap_or("");
        let next_in_row = units
            .get(i + 1)
            .is_some_and(|n| n.row.is_some() && n.row == u.row);
        if u.header.is_none()
            && let Some(label) = dict.whole(&whole)
        {
            let para = u
                .paras
                .iter()
                .rposition(|p| !p.trim().is_empty())
                .unwrap_or(0);
            marks.push(Mark {
                unit: i,
                para: 0,
                start: 0,
                end: 0,
                label,
                written: trim_label(&whole).to_string(),
            });
            // The label's own text is not a value: skip it by marking its end.
            let last = marks.last_mut().expect("just pushed");
            last.para = para;
            last.end = u.paras[para].len();
            last.start = 0;
            expect_label = false;
            continue;
        }
        // 本职 on the first line of a cell, its text on the next ones.
        if u.header.is_none()
            && u.paras.len() > 1
            && let Some(label) = dict.whole(first)
        {
            marks.push(Mark {
                unit: i,
                para: 0,
                start: 0,
                end: first.len(),
                written: trim_label(first).to_string(),
                label,
            });
            expect_label = true;
            continue;
        }
        if u.header.is_none()
            && let Some((label, end)) = dict.leading(first)
        {
            marks.push(Mark {
                unit: i,
                para: 0,
                start: 0,
                end,
                written: trim_label(&first[..end]).to_string(),
                label,
            });
            expect_label = true;
            continue;
        }
        let single = u.paras.iter().filter(|p| !p.trim().is_empty()).count() == 1;
        let colon = whole.trim_end().ends_with(is_colon);
        // 一、岗位基本信息 alone on its row or line: a section heading the dictionary does not
        // know; its label keeps it out of the value above.
        let section = single && !next_in_row && {
            let t = whole.trim();
            let rest = super::draft::strip_number(t);
            t.starts_with(|c: char| "一二三四五六七八九十".contains(c))
                && rest.len() < t.len()
                && is_unknown_label(rest, 15)
        };
        if u.header.is_none() && section {
            let written = whole.trim().to_string();
            marks.push(Mark::whole_paragraph(
                i,
                u,
                Label::Unknown(written.clone()),
                written,
            ));
            expect_label = true;
            continue;
        }
        if u.header.is_none()
            && single
            && ((colon && is_unknown_label(&whole, 12))
                || (u.row.is_some() && expect_label && next_in_row && is_unknown_label(&whole, 8)))
        {
            let written = trim_label(&whole).to_string();
            marks.push(Mark::whole_paragraph(
                i,
                u,
                Label::Unknown(written.clone()),
                written,
            ));
            expect_label = false;
            continue;
        }
        expect_label = !expect_label;
    }
    marks
}

/// A document whose forms have no 岗位名称 row names each by its heading (客服专员职务说明书):
/// each such paragraph then starts a form, as a title with an empty written label.
fn headings_as_titles(units: &[Unit], mut marks: Vec<Mark>) -> Vec<Mark> {
    if marks
        .iter()
        .any(|m| m.label == Label::Known(Term::PositionTitle))
    {
        return marks;
    }
    for (i, u) in units.iter().enumerate() {
        let text = u.paras.join("");
        let t = text.trim();
        if u.row.is_none()
            && t.chars().count() <= 40
            && FORM_WORDS
                .iter()
                .any(|w| t.ends_with(w) && t.len() > w.len())
        {
            marks.push(Mark {
                unit: i,
                para: u.first_text_para(),
                start: 0,
                end: 0,
                label: Label::Known(Term::PositionTitle),
                written: String::new(),
            });
        }
    }
    marks.sort_by_key(|m| (m.unit, m.para, m.start));
    marks
}

/// The place of a label in the form's order; the labels of the head of the form (岗位名称 …
/// 岗位分析日期) and of a duty may come in any order among themselves.
fn group(l: &Label) -> Option<u8> {
    match l {
        Label::Known(t) if coarse(l) != Some(0) && coarse(l) != Some(2) => {
            Term::FORM.iter().position(|f| f == t).map(|i| i as u8 + 10)
        }
        _ => coarse(l).map(|g| {
            if g == 0 {
                0
            } else {
                Term::FORM
                    .iter()
                    .position(|f| *f == Term::Duties)
                    .unwrap_or(0) as u8
                    + 10
            }
        }),
    }
}

fn coarse(l: &Label) -> Option<u8> {
    use Term::*;
    Some(match l {
        Label::Duty(_) => 2,
        Label::Unknown(_) => return None,
        Label::Known(t) => match t {
            PositionTitle | PositionCode | Department | Headcount | ReportsTo | PayGrade
            | DirectReports | PayType | StaffSupervised | AnalysisDate | Level => 0,
            Purpose => 1,
            Duties | DutyTitle | Tasks | Assessment => 2,
            Authorities => 3,
            Relations | InternalRelations | ExternalRelations => 4,
            Qualifications | Education | Majors | Training | Experience | Knowledge | Skills
            | Traits => 5,
            Conditions | Tools | Environment | Hours | Records => 6,
            Kpis => 7,
            _ => 8,
        },
    })
}

fn repeats(l: &Label) -> bool {
    matches!(
        l,
        Label::Duty(_) | Label::Known(Term::DutyTitle | Term::Tasks | Term::Assessment)
    )
}

fn pasted_marks(units: &[Unit], dict: &Dictionary) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (i, u) in units.iter().enumerate() {
        if let Some(header) = &u.header {
            marks.push(Mark::header(i, header));
        }
        for (j, p) in u.paras.iter().enumerate() {
            let mut found = false;
            for m in dict.inline.find_iter(p.as_str()) {
                let mut end = m.end();
                if let Some(c) = p[end..].chars().next().filter(|c| is_colon(*c)) {
                    end += c.len_utf8();
                }
                found = true;
                marks.push(Mark {
                    unit: i,
                    para: j,
                    start: m.start(),
                    end,
                    label: dict.inline_labels[m.pattern()].clone(),
                    written: p[m.start()..m.end()].to_string(),
                });
            }
            if found {
                continue;
            }
            // 任职要求：… at the start of a line: a label, known or not.
            if let Some(pos) = p.find(is_colon) {
                let head = &p[..pos];
                let colon = p[pos..].chars().next().map_or(1, char::len_utf8);
                if let Some(label) = dict.whole(head) {
                    marks.push(Mark {
                        unit: i,
                        para: j,
                        start: 0,
                        end: pos + colon,
                        label,
                        written: head.trim().to_string(),
                    });
                } else if is_unknown_label(head, 8) && head.trim() == head {
                    marks.push(Mark {
                        unit: i,
                        para: j,
                        start: 0,
                        end: pos + colon,
                        label: Label::Unknown(head.to_string()),
                        written: head.to_string(),
                    });
                }
            }
        }
    }
    filter_pasted(marks)
}

/// Keeps, form by form, the longest chain of marks in the form's order; a label seen before
/// in the form is text.
fn filter_pasted(marks: Vec<Mark>) -> Vec<Mark> {
    let mut out = Vec::new();
    let mut form: Vec<Mark> = Vec::new();
    let flush = |form: &mut Vec<Mark>, out: &mut Vec<Mark>| {
        let keep = chain(form);
        let mut seen: Vec<Label> = Vec::new();
        for (m, k) in form.drain(..).zip(keep) {
            if !k {
                continue;
            }
            if !repeats(&m.label) && matches!(m.label, Label::Known(_)) {
                if seen.contains(&m.label) {
                    continue;
                }
                seen.push(m.label.clone());
            }
            out.push(m);
        }
    };
    for m in marks {
        if m.label == Label::Known(Term::PositionTitle) {
            flush(&mut form, &mut out);
        }
        form.push(m);
    }
    flush(&mut form, &mut out);
    out
}

/// Which marks belong to the longest non-decreasing chain of groups (unknown labels always).
fn chain(marks: &[Mark]) -> Vec<bool> {
    let n = marks.len();
    let mut keep = vec![true; n];
    // Quadratic: a form has tens of labels; a pathological file is left unfiltered.
    if n > 4000 {
        return keep;
    }
    let groups: Vec<Option<u8>> = marks.iter().map(|m| group(&m.label)).collect();
    let mut len = vec![0usize; n];
    let mut prev = vec![usize::MAX; n];
    for i in 0..n {
        let Some(g) = groups[i] else { continue };
        len[i] = 1;
        for j in 0..i {
            if let Some(h) = groups[j]
                && h <= g
                && len[j] + 1 > len[i]
            {
                len[i] = len[j] + 1;
                prev[i] = j;
            }
        }
    }
    let Some(mut at) = (0..n)
        .filter(|&i| groups[i].is_some())
        .max_by_key(|&i| (len[i], usize::MAX - i))
    else {
        return keep;
    };
    let mut chosen = vec![false; n];
    loop {
        chosen[at] = true;
        if prev[at] == usize::MAX {
            break;
        }
        at = prev[at];
    }
    for i in 0..n {
        if groups[i].is_some() {
            keep[i] = chosen[i];
        }
    }
    keep
}

/// Cuts the text at the marks: each mark's value runs to the next mark.
fn cut(units: &[Unit], marks: Vec<Mark>, mode: Mode) -> Document {
    let mut doc = Document::default();
    let mut current: Option<Segment> = None;
    let mut preamble = Vec::new();
    let mut mi = 0;
    let push_text =
        |seg: &mut Option<Segment>, pre: &mut Vec<String>, text: &str, new_para: bool| {
            let text = text.trim();
            let target = match seg {
                Some(s) => &mut s.value,
                None => pre,
            };
            if text.is_empty() {
                return;
            }
            if new_para || target.is_empty() {
                target.push(text.to_string());
            } else {
                let last = target.last_mut().expect("not empty");
                last.push_str(text);
            }
        };
    let mut segments: Vec<Segment> = Vec::new();
    for (ui, u) in units.iter().enumerate() {
        for (pi, p) in u.paras.iter().enumerate() {
            let mut pos = 0;
            let mut new_para = true;
            let mut value_start = false;
            while mi < marks.len() && marks[mi].unit == ui && marks[mi].para == pi {
                let m = &marks[mi];
                if m.start >= pos {
                    push_text(&mut current, &mut preamble, &p[pos..m.start], new_para);
                }
                if let Some(s) = current.take() {
                    segments.push(s);
                }
                value_start = true;
                current = Some(Segment {
                    label: m.label.clone(),
                    written: m.written.clone(),
                    value: Vec::new(),
                });
                pos = m.end.max(pos);
                new_para = false;
                mi += 1;
            }
            if pos <= p.len() {
                let mut rest = &p[pos..];
                if value_start {
                    rest = rest.trim_start().trim_start_matches(is_colon);
                }
                push_text(&mut current, &mut preamble, rest, new_para || pos == 0);
            }
        }
        // Skip marks of paragraphs that do not exist (none are made, but stay safe).
        while mi < marks.len() && marks[mi].unit == ui {
            mi += 1;
        }
    }
    if let Some(s) = current.take() {
        segments.push(s);
    }
    doc.preamble = preamble;
    split_forms(&mut doc, segments, mode);
    doc
}

fn split_forms(doc: &mut Document, segments: Vec<Segment>, mode: Mode) {
    let titled = segments
        .iter()
        .any(|s| s.label == Label::Known(Term::PositionTitle));
    let mut forms: Vec<RawForm> = Vec::new();
    let mut lead = Vec::new();
    for s in segments {
        if s.label == Label::Known(Term::PositionTitle) || forms.is_empty() {
            if titled && forms.is_empty() && s.label != Label::Known(Term::PositionTitle) {
                if mode == Mode::Cells {
                    // Cells before the first title (一、基本信息, 所在部门 above 岗位名称)
                    // belong to the first form.
                    lead.push(s);
                } else {
                    // In pasted text, labels before the first title are words of the
                    // document's heading (岗位职责说明书): kept as text.
                    doc.preamble.push(s.written.clone());
                    doc.preamble.extend(s.value);
                }
                continue;
            }
            forms.push(RawForm::default());
            if forms.len() == 1 {
                forms[0].segments.append(&mut lead);
            }
        }
        forms.last_mut().expect("pushed above").segments.push(s);
    }
    // A form needs a few labels to be one: a document with one stray label has no form.
    forms.retain(|f| {
        f.segments
            .iter()
            .filter(|s| !matches!(s.label, Label::Unknown(_)))
            .count()
            >= 3
    });
    // The heading of each form: the last line of what comes before it.
    let mut heading = take_heading(&mut doc.preamble, None);
    for i in 0..forms.len() {
        forms[i].heading = heading.take();
        if i + 1 < forms.len() {
            let next_title = forms[i + 1]
                .segments
                .first()
                .and_then(|s| s.value.first())
                .cloned();
            if let Some(last) = forms[i].segments.last_mut() {
                heading = take_heading(&mut last.value, next_title.as_deref());
            }
        }
    }
    doc.forms = forms;
}

/// A heading without its form word: 客服部经理职务说明书 → 客服部经理.
pub fn strip_form_word(h: &str) -> String {
    let h = h.trim();
    for w in FORM_WORDS {
        if let Some(t) = h.strip_suffix(w) {
            return t.trim().to_string();
        }
    }
    h.to_string()
}

const FORM_WORDS: [&str; 5] = [
    "岗位职责说明书",
    "职务说明书",
    "岗位说明书",
    "职位说明书",
    "工作说明书",
];

/// Takes the heading of the next form off the end of `lines`: the last lines ending in
/// 职务说明书 (or a variant; a heading paragraph and a title row often both say it); only
/// the title and the form word when a long line has more before them.
fn take_heading(lines: &mut Vec<String>, next_title: Option<&str>) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    while let Some(last) = lines.last_mut() {
        let Some(word) = FORM_WORDS.iter().find(|w| last.trim_end().ends_with(*w)) else {
            break;
        };
        let trimmed = last.trim_end().to_string();
        if let Some(t) = next_title {
            let tail = format!("{t}{word}");
            if let Some(head) = trimmed.strip_suffix(&tail)
                && !head.trim().is_empty()
                && trimmed.chars().count() > 30
            {
                *last = head.trim_end().to_string();
                found.push(tail);
                break;
            }
        }
        // The same heading twice (paragraph, then title row) is one; another line is text.
        if found.first().is_some_and(|f| f != trimmed.trim()) {
            break;
        }
        if let Some(h) = lines.pop() {
            found.push(h.trim().to_string());
        }
    }
    found.reverse();
    found.dedup();
    (!found.is_empty()).then(|| found.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(doc: &Document) -> Vec<Vec<String>> {
        doc.forms
            .iter()
            .map(|f| {
                f.segments
                    .iter()
                    .map(|s| format!("{}={}", s.written, s.value.join("|")))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn reads_labels_run_into_their_values() {
        let text = "客服部经理职务说明书岗位名称客服部经理岗位编号所在部门客服部直接上级营销总监本职:负责客户\
职责与工作任务:职责一职责表述:制度建设工作任务制定制度考核重点:完善程度职责二职责表述:完成营销总监交付的其它任务\
权力:决定权任职资格:教育水平大学本科以上专业机电、管理专业经验5年以上相关工作经验知识掌握知识技能技巧熟练\
考核指标:专业知识及技能备注客服专员职务说明书岗位名称客服专员所在部门客服部本职:投诉";
        let doc = read(
            &[Block::Para(text.into())],
            Mode::Pasted,
            &Dictionary::new(),
        );
        let l = labels(&doc);
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(
            doc.forms[0].heading.as_deref(),
            Some("客服部经理职务说明书")
        );
        assert_eq!(doc.forms[1].heading.as_deref(), Some("客服专员职务说明书"));
        assert!(
            l[0].contains(&"职责表述=完成营销总监交付的其它任务".to_string()),
            "{l:?}"
        );
        assert!(
            l[0].contains(&"经验=5年以上相关工作经验".to_string()),
            "{l:?}"
        );
        assert!(l[0].contains(&"知识=掌握知识".to_string()), "{l:?}");
        assert!(
            l[0].contains(&"考核指标=专业知识及技能".to_string()),
            "{l:?}"
        );
        assert!(l[0].contains(&"备注=".to_string()), "{l:?}");
    }

    #[test]
    fn labels_share_a_cell_with_their_value() {
        let cells = |paras: &[&str]| {
            vec![Block::Table(vec![Row {
                cells: vec![super::super::Cell {
                    col: 0,
                    span: 1,
                    continued: false,
                    blocks: paras.iter().map(|p| Block::Para(p.to_string())).collect(),
                }],
            }])]
        };
        let d = Dictionary::new();
        let mut blocks = cells(&["岗位名称　客服专员"]);
        blocks.extend(cells(&["本职", "负责客户投诉的处理"]));
        blocks.extend(cells(&["所在部门：客服部"]));
        let doc = read(&blocks, Mode::Cells, &d);
        assert_eq!(
            labels(&doc),
            [[
                "岗位名称=客服专员",
                "本职=负责客户投诉的处理",
                "所在部门=客服部"
            ]]
        );
    }

    #[test]
    fn forms_without_a_title_row_are_cut_at_their_headings() {
        let row = |a: &str, b: &str| Row {
            cells: [a, b]
                .iter()
                .enumerate()
                .map(|(i, t)| super::super::Cell {
                    col: i,
                    span: 1,
                    continued: false,
                    blocks: vec![Block::Para(t.to_string())],
                })
                .collect(),
        };
        let form = |dept: &str| {
            Block::Table(vec![
                row("所在部门", dept),
                row("本职", "负责"),
                row("备注", ""),
            ])
        };
        let blocks = [
            Block::Para("甲专员职务说明书".into()),
            form("甲部"),
            Block::Para("乙专员岗位说明书".into()),
            form("乙部"),
        ];
        let doc = read(&blocks, Mode::Cells, &Dictionary::new());
        assert_eq!(
            labels(&doc),
            [
                ["=甲专员职务说明书", "所在部门=甲部", "本职=负责", "备注="],
                ["=乙专员岗位说明书", "所在部门=乙部", "本职=负责", "备注="]
            ]
        );
    }

    #[test]
    fn pasted_rows_of_labels_name_the_rows_below() {
        let text =
            "岗位名称\t所在部门\t直接上级\n招聘专员\t人力资源部\t人力资源部经理\n本职：负责招聘";
        let doc = read(
            &super::super::text_blocks(text),
            Mode::Pasted,
            &Dictionary::new(),
        );
        assert_eq!(
            labels(&doc),
            [[
                "岗位名称=招聘专员",
                "所在部门=人力资源部",
                "直接上级=人力资源部经理",
                "本职=负责招聘"
            ]]
        );
    }

    #[test]
    fn labels_spaced_out_or_bracketed_are_labels() {
        let d = Dictionary::new();
        assert_eq!(
            d.whole("岗 位 名 称："),
            Some(Label::Known(Term::PositionTitle))
        );
        assert_eq!(
            d.whole("本\u{3000}\u{3000}职"),
            Some(Label::Known(Term::Purpose))
        );
        assert_eq!(
            d.whole("【职位名称】"),
            Some(Label::Known(Term::PositionTitle))
        );
        assert_eq!(
            d.whole("Position code"),
            Some(Label::Known(Term::PositionCode))
        );
        assert_eq!(d.whole("职责三"), Some(Label::Duty(3)));
        assert_eq!(d.whole("客服部"), None);
    }
}
