//! A small reader of `word/document.xml`: paragraphs and tables as Word lays them out, over
//! `zip` and `quick-xml`, bounded in memory.
//!
//! Tables keep their grid: each cell knows the column it starts at (after `gridBefore`) and
//! how many it spans (`gridSpan`); a cell that continues a vertical merge (`vMerge` without
//! `restart`) is marked so the reader of the form does not read it twice. Tracked insertions
//! keep their text, deletions drop it; a field keeps its result, not its instruction.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::{Block, Cell, ReadError, Row};

/// The largest `.docx` file read.
pub const MAX_DOCX_BYTES: u64 = 64 * 1024 * 1024;
/// The largest `word/document.xml` inflated: a zip bomb stops here, whatever the zip declares.
pub const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;
/// Tables nested deeper than this are read as text of their cell, not as tables.
const MAX_DEPTH: usize = 32;

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether `bytes` start like an OLE compound file (old `.doc`, or an encrypted `.docx`).
pub fn is_ole(bytes: &[u8]) -> bool {
    bytes.starts_with(&OLE_MAGIC)
}

/// Reads the blocks of a `.docx` file's body.
pub fn read(bytes: &[u8]) -> Result<Vec<Block>, ReadError> {
    if is_ole(bytes) {
        return Err(ReadError::Encrypted);
    }
    if !bytes.starts_with(b"PK") {
        return Err(ReadError::NotZip(
            "the file does not start like a zip archive".into(),
        ));
    }
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ReadError::NotZip(e.to_string()))?;
    let mut entry = zip
        .by_name("word/document.xml")
        .map_err(|_| ReadError::NotZip("it has no word/document.xml".into()))?;
    if entry.size() > MAX_XML_BYTES {
        return Err(ReadError::TooLarge(MAX_XML_BYTES));
    }
    let mut xml = Vec::new();
    (&mut entry)
        .take(MAX_XML_BYTES + 1)
        .read_to_end(&mut xml)
        .map_err(|e| ReadError::NotZip(format!("word/document.xml cannot be inflated: {e}")))?;
    if xml.len() as u64 > MAX_XML_BYTES {
        return Err(ReadError::TooLarge(MAX_XML_BYTES));
    }
    parse(&xml)
}

/// A table being read, with the row and cell open in it.
#[derive(Default)]
struct TableState {
    rows: Vec<Row>,
    row: Option<Row>,
    cell: Option<Cell>,
    /// The next grid column of the open row.
    col: usize,
}

#[derive(Default)]
struct Parser {
    body: Vec<Block>,
    tables: Vec<TableState>,
    /// Open paragraphs: a text box holds paragraphs inside a paragraph.
    paras: Vec<String>,
    /// Inside `w:del`, `w:instrText`, or a field's instruction: text is dropped.
    del: usize,
    in_text: bool,
    in_instr: bool,
    /// Between a `fldChar begin` and its `separate`: the instruction, not the result.
    field_code: Vec<bool>,
    /// Runs open (`w:r`).
    runs: usize,
    /// Inside `mc:Fallback`: everything there is a copy of what `mc:Choice` says.
    fallback: usize,
    /// Tables nested past [`MAX_DEPTH`] open now: their text goes to the cell around them.
    skipped: usize,
}

fn local(name: &str) -> &str {
    match name.find(':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (local(a.key.as_ref()) == key).then(|| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_default()
        })
    })
}

fn num_attr(e: &BytesStart<'_>) -> usize {
    attr(e, "val")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, 1000)
}

impl Parser {
    fn dropping(&self) -> bool {
        self.del > 0 || self.in_instr || self.field_code.last().copied().unwrap_or(false)
    }

    fn push_text(&mut self, s: &str) {
        if self.dropping() || self.fallback > 0 {
            return;
        }
        match self.paras.last_mut() {
            Some(p) => p.push_str(s),
            None => self.paras.push(s.to_string()),
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let qname = e.name();
        let name = local(qname.as_ref());
        if self.fallback > 0 && name != "Fallback" {
            return;
        }
        if self.skipped > 0 && matches!(name, "tr" | "tc" | "gridBefore" | "gridSpan" | "vMerge") {
            return;
        }
        match name {
            "p" if !empty => self.paras.push(String::new()),
            "p" => {}
            // A drawing's text is given twice: as shapes (Choice) and as VML (Fallback).
            "Fallback" if !empty => self.fallback += 1,
            "t" if !empty => self.in_text = true,
            "instrText" if !empty => self.in_instr = true,
            "del" | "moveFrom" if !empty => self.del += 1,
            "r" if !empty => self.runs += 1,
            // A tab in a run is a character; in w:tabs of the paragraph's properties, a
            // tab stop.
            "tab" if self.runs > 0 => self.push_text("\t"),
            "br" | "cr" if self.runs > 0 => self.push_text("\n"),
            "noBreakHyphen" if self.runs > 0 => self.push_text("-"),
            "fldChar" => match attr(e, "fldCharType").as_deref() {
                Some("begin") => self.field_code.push(true),
                Some("separate") => {
                    if let Some(top) = self.field_code.last_mut() {
                        *top = false;
                    }
                }
                Some("end") => {
                    self.field_code.pop();
                }
                _ => {}
            },
            "tbl" if !empty && (self.tables.len() >= MAX_DEPTH || self.skipped > 0) => {
                self.skipped += 1;
            }
            "tbl" if !empty => self.tables.push(TableState::default()),
            "tr" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.row = Some(Row::default());
                    t.col = 0;
                }
            }
            "gridBefore" => {
                if let Some(t) = self.tables.last_mut()
                    && t.cell.is_none()
                {
                    t.col += num_attr(e);
                }
            }
            "tc" if !empty => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell = Some(Cell {
                        col: t.col,
                        span: 1,
                        ..Cell::default()
                    });
                }
            }
            "gridSpan" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.span = num_attr(e);
                }
            }
            "vMerge" => {
                if let Some(c) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    c.continued = attr(e, "val").as_deref() != Some("restart");
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        let name = local(name);
        if self.fallback > 0 && name != "Fallback" {
            return;
        }
        if self.skipped > 0 && matches!(name, "tr" | "tc") {
            return;
        }
        match name {
            "p" => self.end_para(),
            "r" => self.runs = self.runs.saturating_sub(1),
            "Fallback" => self.fallback = self.fallback.saturating_sub(1),
            "t" => self.in_text = false,
            "instrText" => self.in_instr = false,
            "del" | "moveFrom" => self.del = self.del.saturating_sub(1),
            "tc" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(c) = t.cell.take()
                {
                    t.col = c.col + c.span;
                    t.row.get_or_insert_with(Row::default).cells.push(c);
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(r) = t.row.take()
                {
                    t.rows.push(r);
                }
            }
            "tbl" if self.skipped > 0 => self.skipped -= 1,
            "tbl" => {
                if let Some(t) = self.tables.pop() {
                    self.push_block(Block::Table(t.rows));
                }
            }
            _ => {}
        }
    }

    fn end_para(&mut self) {
        if let Some(p) = self.paras.pop() {
            self.push_block(Block::Para(p));
        }
    }

    fn push_block(&mut self, b: Block) {
        match self.tables.last_mut() {
            Some(t) => match t.cell.as_mut() {
                Some(c) => c.blocks.push(b),
                // Text between cells (invalid, but written by some tools) is kept in a cell.
                None => t.row.get_or_insert_with(Row::default).cells.push(Cell {
                    col: usize::MAX,
                    span: 1,
                    blocks: vec![b],
                    continued: false,
                }),
            },
            None => self.body.push(b),
        }
    }
}

/// Parses `word/document.xml`.
pub fn parse(xml: &[u8]) -> Result<Vec<Block>, ReadError> {
    let xml = String::from_utf8_lossy(xml);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut p = Parser::default();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| ReadError::BadXml(e.to_string()))?;
        match ev {
            Event::Start(e) => p.start(&e, false),
            Event::Empty(e) => p.start(&e, true),
            Event::End(e) => p.end(e.name().as_ref()),
            Event::Text(t) if p.in_text => {
                let raw: &str = &t;
                let text = quick_xml::escape::unescape(raw)
                    .map(|c| c.into_owned())
                    .unwrap_or_else(|_| raw.to_string());
                p.push_text(&text);
            }
            Event::GeneralRef(r) if p.in_text => {
                let text = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::unescape(&format!("&{};", &*r))
                        .map(|c| c.into_owned())
                        .unwrap_or_default(),
                };
                p.push_text(&text);
            }
            Event::CData(t) if p.in_text => p.push_text(&t),
            Event::Eof => break,
            _ => {}
        }
    }
    // Close what a truncated document left open, so no text is lost.
    while !p.paras.is_empty() {
        p.end_para();
    }
    while let Some(mut t) = p.tables.pop() {
        if let Some(c) = t.cell.take() {
            t.row.get_or_insert_with(Row::default).cells.push(c);
        }
        if let Some(r) = t.row.take() {
            t.rows.push(r);
        }
        p.push_block(Block::Table(t.rows));
    }
    Ok(p.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(body: &str) -> Vec<u8> {
        format!(
            r#"<?xml version="1.0"?><w:document xmlns:w="w"><w:body>{body}</w:body></w:document>"#
        )
        .into_bytes()
    }

    fn texts(blocks: &[Block]) -> Vec<String> {
        let mut out = Vec::new();
        for b in blocks {
            match b {
                Block::Para(p) => out.push(p.clone()),
                Block::Table(rows) => {
                    for r in rows {
                        for c in &r.cells {
                            out.push(format!(
                                "[{}+{}{}]",
                                c.col,
                                c.span,
                                if c.continued { "^" } else { "" }
                            ));
                            out.extend(texts(&c.blocks));
                        }
                    }
                }
            }
        }
        out
    }

    #[test]
    fn keeps_insertions_and_field_results_drops_deletions_and_instructions() {
        let xml = doc(
            r#"<w:p><w:r><w:t>客户</w:t></w:r><w:ins><w:r><w:t>满意度</w:t></w:r></w:ins><w:del><w:r><w:delText>投诉</w:delText></w:r></w:del>
            <w:hyperlink><w:r><w:t xml:space="preserve"> A&amp;B</w:t></w:r></w:hyperlink>
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        );
        assert_eq!(texts(&parse(&xml).unwrap()), ["客户满意度 A&B3"]);
    }

    /// Content controls (`w:sdt`, as Word's form templates and LibreOffice's content controls
    /// write them) around a row, a cell or runs: their content is read where it stands, their
    /// placeholder properties are not text.
    #[test]
    fn reads_through_content_controls() {
        let xml = doc(
            r#"<w:tbl><w:sdt><w:sdtPr><w:alias w:val="行"/></w:sdtPr><w:sdtContent><w:tr>
            <w:tc><w:p><w:r><w:t>岗位名称</w:t></w:r></w:p></w:tc>
            <w:sdt><w:sdtPr><w:dropDownList><w:listItem w:displayText="甲" w:value="甲"/></w:dropDownList></w:sdtPr><w:sdtContent><w:tc><w:p><w:r><w:t>客服专员</w:t></w:r></w:p></w:tc></w:sdtContent></w:sdt>
            </w:tr></w:sdtContent></w:sdt><w:tr>
            <w:tc><w:p><w:r><w:t>所在部门</w:t></w:r></w:p></w:tc>
            <w:tc><w:p><w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>客服部</w:t></w:r></w:sdtContent></w:sdt></w:p></w:tc>
            </w:tr></w:tbl>"#,
        );
        assert_eq!(
            texts(&parse(&xml).unwrap()),
            [
                "[0+1]",
                "岗位名称",
                "[1+1]",
                "客服专员",
                "[0+1]",
                "所在部门",
                "[1+1]",
                "客服部"
            ]
        );
    }

    #[test]
    fn reads_text_boxes_once_and_keeps_the_paragraph_around_them() {
        let xml = doc(
            r#"<w:p><w:r><w:t>前</w:t></w:r><w:r><mc:AlternateContent><mc:Choice><w:drawing><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>后</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&parse(&xml).unwrap()), ["框", "前后"]);
    }

    #[test]
    fn tab_stops_are_not_tabs() {
        let xml = doc(
            r#"<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t></w:r></w:p>"#,
        );
        assert_eq!(texts(&parse(&xml).unwrap()), ["甲\t乙\n丙"]);
    }

    #[test]
    fn reads_the_grid_of_merged_cells() {
        let xml = doc(
            r#"<w:tbl><w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>职责一</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr>
            <w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:tbl><w:tr><w:tc><w:p><w:r><w:t>n</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p/></w:tc></w:tr></w:tbl>"#,
        );
        assert_eq!(
            texts(&parse(&xml).unwrap()),
            [
                "[1+2]",
                "职责一",
                "[3+1]",
                "x",
                "[0+2^]",
                "[2+1]",
                "[0+1]",
                "n"
            ]
        );
    }

    #[test]
    fn reads_tables_nested_past_the_limit_as_text() {
        let deep = "<w:tbl><w:tr><w:tc>".repeat(MAX_DEPTH + 5)
            + "<w:p><w:r><w:t>深</w:t></w:r></w:p>"
            + &"</w:tc></w:tr></w:tbl>".repeat(MAX_DEPTH + 5)
            + "<w:p><w:r><w:t>后</w:t></w:r></w:p>";
        let t = texts(&parse(&doc(&deep)).unwrap());
        assert!(
            t.contains(&"深".to_string()) && t.last().unwrap() == "后",
            "{t:?}"
        );
    }

    #[test]
    fn refuses_what_is_not_a_docx() {
        assert!(matches!(read(b"hello"), Err(ReadError::NotZip(_))));
        assert!(matches!(read(&OLE_MAGIC), Err(ReadError::Encrypted)));
        assert!(matches!(read(b""), Err(ReadError::NotZip(_))));
    }
}
