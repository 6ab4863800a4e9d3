//! Workbooks -> [`Row`]s: calamine for `.xlsx/.xlsm/.xls/.xlsb/.ods`, a small reader for `.csv`.
//!
//! Nothing here knows positions or KPIs: the importer finds the header, recognises the layout
//! (long or wide, kpi-scoring.md) and hands every data row on with the `Sheet!A1` place of each
//! of its cells. Problems with the file itself (unreadable, empty, no header) are collected as
//! findings ([`WORKBOOK`], [`SHEET_HEADER`]), never returned early, and never panics (see `fuzz/`).

use std::collections::HashMap;
use std::io::{Read, Seek};
use std::path::Path;
use std::sync::LazyLock;

use calamine::{Data, DataRef, Dimensions, Reader};
use unicode_normalization::UnicodeNormalization;

use super::{Loc, SheetSrc, cell_at};
use crate::check::Rule;
use crate::diag::{Diagnostic, Location, Severity};
use crate::model::Lang;
use crate::util::number::plain;
use crate::vocab::Term;

pub const WORKBOOK: Rule = Rule::new(
    "workbook",
    Severity::Error,
    "a workbook cannot be read: missing, damaged, password-protected, not a spreadsheet, a CSV file that is not UTF-8, empty, or without the sheet `--sheet` names",
    "save the file again as .xlsx (or as \"CSV UTF-8\") and run score again",
)
.fixed()
.of_score();

pub const SHEET_HEADER: Rule = Rule::new(
    "sheet-header",
    Severity::Error,
    "a sheet has no header row with the required columns (the columns found are listed)",
    "long layout: a position, KPI and actual column; wide layout: a position column and one column per KPI name (the help of each finding names the headers)",
)
.fixed()
.of_score();

pub const FORMULA: Rule = Rule::new(
    "formula",
    Severity::Error,
    "a formula cell has no saved result (no spreadsheet program computed it), so its value is unknown",
    "open and save the file in Excel or LibreOffice, so that the result is saved with the formula",
)
.fixed()
.of_score();

mod xls;

/// A cell value as the importer saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    /// A numeric cell.
    Number(f64),
    /// A numeric cell formatted as a percentage: the stored fraction (0.95 shown as 95%).
    Percent(f64),
    Text(String),
    Bool(bool),
    /// A date or time cell, as `YYYY-MM-DD` (or with the time).
    Date(String),
    /// An error cell such as `#DIV/0!`.
    Error(String),
    /// A formula cell with no result saved by a spreadsheet program (written by a program
    /// that left the calculation to Excel): its formula. Reported by the importer with its
    /// cell; never read as empty or as a number.
    Unsaved(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as text, the way the user sees it (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => plain(*n),
            Value::Percent(f) => format!("{}%", plain(percent_shown(*f))),
            Value::Text(s) => s.trim().to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => d.clone(),
            Value::Error(e) => e.clone(),
            Value::Unsaved(f) => format!("={f}"),
        }
    }
}

/// The number a user sees for a percent-formatted fraction (0.95 -> 95), without the binary
/// noise of `0.95 * 100` (94.99999999999999).
pub fn percent_shown(fraction: f64) -> f64 {
    let v = fraction * 100.0;
    let r = (v * 1e9).round() / 1e9;
    if r.is_finite() { r } else { v }
}

/// One cell of a data row, with its place.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub value: Value,
    pub loc: Loc,
}

/// One result in a row: the KPI named (a cell in long layout, the column header in wide
/// layout) and its actual value.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kpi: Field,
    pub actual: Field,
    /// The row's target, overriding the position's (long layout only).
    pub target: Option<Field>,
}

/// One data row of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's first cell (column A of that row).
    pub loc: Loc,
    pub position: Field,
    pub employee: Option<Field>,
    pub period: Option<Field>,
    pub entries: Vec<Entry>,
}

/// Everything read from the workbooks of one run.
#[derive(Debug, Clone, Default)]
pub struct Import {
    /// The sheets rows point into, by [`Loc::sheet`].
    pub sheets: Vec<SheetSrc>,
    pub rows: Vec<Row>,
    pub problems: Vec<Diagnostic>,
}

impl Import {
    /// Reads one workbook from disk and appends its rows and problems.
    pub fn read_path(&mut self, path: &Path, display: &str, only: &[String]) {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) => {
                self.problems.push(WORKBOOK.located(
                    Location::File(display.to_string()),
                    format!("failed to read `{display}` ({e})"),
                ));
                return;
            }
        };
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Sheet1".into());
        self.read_bytes_guarded(&bytes, &ext, &stem, display, only);
    }

    /// [`Import::read_bytes`], with a panic inside a reader (calamine panics on some damaged
    /// files: see `tests/fixtures/score/workbooks/fuzz-*`) turned into a "damaged file"
    /// problem instead of taking the whole run down. The panic message is not printed.
    pub fn read_bytes_guarded(
        &mut self,
        bytes: &[u8],
        ext: &str,
        stem: &str,
        display: &str,
        only: &[String],
    ) {
        let quiet = std::env::var_os("ROLEBOOK_SHOW_PANICS").is_none();
        let previous = quiet.then(|| {
            let hook = std::panic::take_hook();
            std::panic::set_hook(Box::new(|_| {}));
            hook
        });
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut sub = Import::default();
            sub.read_bytes(bytes, ext, stem, display, only);
            sub
        }));
        if let Some(hook) = previous {
            std::panic::set_hook(hook);
        }
        match result {
            Ok(sub) => self.append(sub),
            Err(_) => self.problems.push(WORKBOOK.located(
                Location::File(display.to_string()),
                format!("`{display}` could not be read: the file is damaged"),
            )),
        }
    }

    fn append(&mut self, mut sub: Import) {
        let base = self.sheets.len() as u32;
        self.sheets.append(&mut sub.sheets);
        for mut row in sub.rows {
            row.shift(base);
            self.rows.push(row);
        }
        self.problems.append(&mut sub.problems);
    }

    /// Reads one workbook held in memory; `ext` (lower case, no dot) is a hint only: the
    /// content decides what the file is.
    pub fn read_bytes(
        &mut self,
        bytes: &[u8],
        ext: &str,
        stem: &str,
        display: &str,
        only: &[String],
    ) {
        let kind = sniff(bytes, ext);
        let sheets = match kind {
            Kind::Empty => Err("the file is empty".to_string()),
            Kind::Csv => read_csv(bytes, stem),
            Kind::TextNotCsv => Err(format!(
                "this is a text file (CSV?), not a .{ext} workbook: rename it to .csv, \
                 or open it in Excel and save it as .xlsx"
            )),
            Kind::Unknown => Err(format!(
                "this is not a spreadsheet (.{ext}): expected .xlsx, .xlsm, .xls, .xlsb, .ods or .csv"
            )),
            Kind::Zip => read_zip(bytes, ext),
            Kind::Cfb => read_cfb(bytes, ext),
        };
        let sheets = match sheets {
            Ok(s) => s,
            Err(msg) => {
                self.problems.push(WORKBOOK.located(
                    Location::File(display.to_string()),
                    format!("`{display}` could not be read: {msg}"),
                ));
                return;
            }
        };
        let mut wanted: Vec<&RawSheet> = if only.is_empty() {
            sheets.iter().collect()
        } else {
            sheets.iter().filter(|s| only.contains(&s.name)).collect()
        };
        if !only.is_empty() {
            for o in only {
                if !sheets.iter().any(|s| s.name == *o) {
                    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
                    self.problems.push(
                        WORKBOOK
                            .located(
                                Location::File(display.to_string()),
                                format!("`{display}` has no sheet named \"{o}\""),
                            )
                            .help(format!("its sheets are: {}", names.join(", "))),
                    );
                }
            }
        }
        wanted.retain(|s| !s.rows.is_empty());
        if wanted.is_empty() && only.is_empty() {
            self.problems.push(WORKBOOK.located(
                Location::File(display.to_string()),
                format!("`{display}` is empty: no sheet has any data"),
            ));
            return;
        }
        for sheet in wanted {
            let id = self.sheets.len() as u32;
            self.sheets.push(SheetSrc {
                file: display.to_string(),
                sheet: sheet.name.clone(),
            });
            self.read_sheet(id, sheet);
            self.report_unsaved(id, sheet);
        }
    }

    /// Every formula cell without a saved result is an error at its cell: scoring it as empty
    /// (or as the 0 some programs write in its place) would be a silent wrong result.
    fn report_unsaved(&mut self, id: u32, sheet: &RawSheet) {
        for row in &sheet.rows {
            for (col, v) in &row.cells {
                if let Value::Unsaved(f) = v {
                    let loc = Loc {
                        sheet: id,
                        row: row.row,
                        col: *col,
                    };
                    self.problems.push(
                        FORMULA
                            .located(
                                cell_at(&self.sheets[id as usize], loc),
                                format!("formula with no saved result (={f})"),
                            )
                            .help(
                                "open and save the file in Excel or LibreOffice, so that the \
                             result is saved with the formula",
                            ),
                    );
                }
            }
        }
    }

    fn read_sheet(&mut self, id: u32, sheet: &RawSheet) {
        let Some(header) = find_header(sheet) else {
            let first = &sheet.rows[0];
            let found: Vec<String> = first
                .cells
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(_, v)| format!("\"{}\"", v.text()))
                .collect();
            let loc = Loc {
                sheet: id,
                row: first.row,
                col: first.cells.first().map_or(0, |c| c.0),
            };
            self.problems.push(
                SHEET_HEADER
                    .located(
                        cell_at(&self.sheets[id as usize], loc),
                        format!(
                            "sheet \"{}\" has no header with the required columns; found {}",
                            sheet.name,
                            if found.is_empty() {
                                "nothing".to_string()
                            } else {
                                found.join(", ")
                            }
                        ),
                    )
                    .help(header_help()),
            );
            return;
        };
        let cell = |row: &RawRow, col: u32| -> Field {
            Field {
                value: row.get(col).cloned().unwrap_or(Value::Empty),
                loc: Loc {
                    sheet: id,
                    row: row.row,
                    col,
                },
            }
        };
        for row in &sheet.rows[header.data_start..] {
            if row.cells.iter().all(|(_, v)| v.is_empty()) {
                continue;
            }
            let entries = match &header.layout {
                Layout::Long {
                    kpi,
                    actual,
                    target,
                } => vec![Entry {
                    kpi: cell(row, *kpi),
                    actual: cell(row, *actual),
                    target: target.map(|t| cell(row, t)),
                }],
                Layout::Wide { kpis } => kpis
                    .iter()
                    .map(|(col, name)| Entry {
                        kpi: Field {
                            value: Value::Text(name.clone()),
                            loc: Loc {
                                sheet: id,
                                row: header.row,
                                col: *col,
                            },
                        },
                        actual: cell(row, *col),
                        target: None,
                    })
                    .collect(),
            };
            // A row with only ignored columns filled (a total line, a note) carries no result.
            let has_result = entries
                .iter()
                .any(|e| !e.actual.value.is_empty() || !e.kpi.value.is_empty());
            let position = cell(row, header.position);
            if !has_result && position.value.is_empty() {
                continue;
            }
            self.rows.push(Row {
                loc: Loc {
                    sheet: id,
                    row: row.row,
                    col: 0,
                },
                position,
                employee: header.employee.map(|c| cell(row, c)),
                period: header.period.map(|c| cell(row, c)),
                entries,
            });
        }
    }
}

impl Row {
    fn shift(&mut self, base: u32) {
        self.loc.sheet += base;
        self.position.loc.sheet += base;
        for f in [&mut self.employee, &mut self.period].into_iter().flatten() {
            f.loc.sheet += base;
        }
        for e in &mut self.entries {
            e.kpi.loc.sheet += base;
            e.actual.loc.sheet += base;
            if let Some(t) = &mut e.target {
                t.loc.sheet += base;
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Header recognition

/// What a header column is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Position,
    Employee,
    Period,
    Kpi,
    Actual,
    Target,
    /// Known columns that carry nothing to score (序号, 部门, 单位, 备注, ...).
    Ignored,
}

impl Role {
    /// Every role, in the order headers are matched against them.
    pub const ALL: [Role; 7] = [
        Role::Position,
        Role::Employee,
        Role::Period,
        Role::Kpi,
        Role::Actual,
        Role::Target,
        Role::Ignored,
    ];

    /// The vocabulary's terms that name a column of this role: a header is recognised by
    /// any term's text in any language, or one of its [`Term::aliases`].
    pub const fn terms(self) -> &'static [Term] {
        match self {
            Role::Position => &[Term::PositionId, Term::PositionTitle],
            Role::Employee => &[Term::Employee],
            Role::Period => &[Term::Period],
            Role::Kpi => &[Term::KpiName, Term::Kpis],
            Role::Actual => &[Term::Actual],
            Role::Target => &[Term::Target],
            Role::Ignored => &[
                Term::RowNumber,
                Term::Department,
                Term::Unit,
                Term::Direction,
                Term::Weight,
                Term::Threshold,
                Term::Notes,
                Term::EmployeeId,
            ],
        }
    }

    /// Every header name of the role, as written (not normalised).
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.terms().iter().flat_map(|t| {
            [Lang::Zh, Lang::En]
                .map(|lang| t.text(lang))
                .into_iter()
                .chain(t.aliases().iter().copied())
        })
    }
}

/// What a header needs, in the headers the KPI template writes (both languages).
fn header_help() -> String {
    let both = |t: Term| format!("{} ({})", t.text(Lang::Zh), t.text(Lang::En));
    format!(
        "long layout: {}, {} and {}; wide layout: {} and one column per KPI name",
        both(Term::PositionTitle),
        both(Term::KpiName),
        both(Term::Actual),
        both(Term::PositionTitle),
    )
}

/// Every normalised header name with its role, built once from the vocabulary.
static ROLE_NAMES: LazyLock<HashMap<String, Role>> = LazyLock::new(|| {
    let mut names = HashMap::new();
    for role in Role::ALL {
        for name in role.names() {
            names.entry(normalize(name)).or_insert(role);
        }
    }
    names
});

/// Header text normalised for matching: NFKC (full width -> half width), trimmed, lower case,
/// inner spaces and dashes as `_`.
pub fn normalize(s: &str) -> String {
    let n: String = s.nfkc().collect::<String>().trim().to_lowercase();
    n.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

pub fn role_of(header: &str) -> Option<Role> {
    ROLE_NAMES.get(&normalize(header)).copied()
}

#[derive(Debug, Clone, PartialEq)]
enum Layout {
    Long {
        kpi: u32,
        actual: u32,
        target: Option<u32>,
    },
    Wide {
        kpis: Vec<(u32, String)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
struct Header {
    /// Sheet row of the header.
    row: u32,
    /// Index into the sheet's rows where data starts.
    data_start: usize,
    position: u32,
    employee: Option<u32>,
    period: Option<u32>,
    layout: Layout,
}

/// The header: the first non-empty row, or, when that row is a title or the upper half of a
/// two-row (merged) header, one of the next few rows that has the required columns.
fn find_header(sheet: &RawSheet) -> Option<Header> {
    sheet.rows.iter().take(10).enumerate().find_map(|(i, row)| {
        recognize(row).map(|h| Header {
            data_start: i + 1,
            ..h
        })
    })
}

fn recognize(row: &RawRow) -> Option<Header> {
    let mut position = None;
    let mut employee = None;
    let mut period = None;
    let mut kpi = None;
    let mut actual = None;
    let mut target = None;
    let mut others: Vec<(u32, String)> = Vec::new();
    for (col, v) in &row.cells {
        let Value::Text(t) = v else {
            if v.is_empty() {
                continue;
            }
            // A number in the header row: this is data, not a header.
            return None;
        };
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        let slot = match role_of(t) {
            Some(Role::Position) => &mut position,
            Some(Role::Employee) => &mut employee,
            Some(Role::Period) => &mut period,
            Some(Role::Kpi) => &mut kpi,
            Some(Role::Actual) => &mut actual,
            Some(Role::Target) => &mut target,
            Some(Role::Ignored) => continue,
            None => {
                others.push((*col, t.to_string()));
                continue;
            }
        };
        // The first of two columns for the same thing wins (岗位编号 and 岗位名称 side by side).
        slot.get_or_insert(*col);
    }
    let position = position?;
    let layout = match (kpi, actual) {
        (Some(kpi), Some(actual)) => Layout::Long {
            kpi,
            actual,
            target,
        },
        (None, None) => {
            if others.is_empty() {
                return None;
            }
            // Merged title cells repeat one text: a KPI named twice is not a header.
            let mut names: Vec<String> = others.iter().map(|(_, n)| normalize(n)).collect();
            names.sort();
            if names.windows(2).any(|w| w[0] == w[1]) {
                return None;
            }
            Layout::Wide { kpis: others }
        }
        _ => return None,
    };
    Some(Header {
        row: row.row,
        data_start: 0,
        position,
        employee,
        period,
        layout,
    })
}

// ---------------------------------------------------------------------------------------------
// Reading files into raw sheets

/// A sheet as sparse rows of non-empty cells, in order.
#[derive(Debug, Clone, Default)]
pub struct RawSheet {
    pub name: String,
    pub rows: Vec<RawRow>,
}

#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub row: u32,
    /// (column, value), sorted by column.
    pub cells: Vec<(u32, Value)>,
}

impl RawRow {
    fn get(&self, col: u32) -> Option<&Value> {
        self.cells
            .binary_search_by_key(&col, |c| c.0)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// Collects `(row, col, value)` cells in any order into sorted rows.
#[derive(Default)]
struct SheetBuilder {
    cells: Vec<(u32, u32, Value)>,
}

/// At most this many cells are filled from merged regions in one sheet.
const MAX_MERGED_COPIES: usize = 1_000_000;

impl SheetBuilder {
    fn push(&mut self, row: u32, col: u32, v: Value) {
        if !v.is_empty() {
            self.cells.push((row, col, v));
        }
    }

    /// Copies the top-left value of each merged region into its other cells: a 岗位 cell
    /// merged over a person's rows names the position of each of them.
    fn fill_merged(&mut self, merges: &[Dimensions]) {
        if merges.is_empty() {
            return;
        }
        self.cells.sort_by_key(|c| (c.0, c.1));
        let mut extra = Vec::new();
        for m in merges {
            let (r0, c0) = m.start;
            let (r1, c1) = m.end;
            // A damaged file can give a region that ends before it starts.
            let (Some(rows), Some(cols)) = (r1.checked_sub(r0), c1.checked_sub(c0)) else {
                continue;
            };
            // Whole-column merges are not headers or names: leave them alone. And however
            // many regions a (damaged) file lists, the copies stay bounded.
            if u64::from(rows) * u64::from(cols) > 10_000 || extra.len() > MAX_MERGED_COPIES {
                continue;
            }
            let Ok(i) = self.cells.binary_search_by_key(&(r0, c0), |c| (c.0, c.1)) else {
                continue;
            };
            let v = self.cells[i].2.clone();
            for r in r0..=r1 {
                for c in c0..=c1 {
                    if (r, c) != (r0, c0) {
                        extra.push((r, c, v.clone()));
                    }
                }
            }
        }
        for e in extra {
            if self
                .cells
                .binary_search_by_key(&(e.0, e.1), |c| (c.0, c.1))
                .is_err()
            {
                self.cells.push(e);
            }
        }
    }

    fn finish(mut self, name: String) -> RawSheet {
        self.cells.sort_by_key(|c| (c.0, c.1));
        self.cells.dedup_by_key(|c| (c.0, c.1));
        let mut rows: Vec<RawRow> = Vec::new();
        for (r, c, v) in self.cells {
            match rows.last_mut() {
                Some(last) if last.row == r => last.cells.push((c, v)),
                _ => rows.push(RawRow {
                    row: r,
                    cells: vec![(c, v)],
                }),
            }
        }
        RawSheet { name, rows }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    Zip,
    Cfb,
    Csv,
    TextNotCsv,
    Unknown,
}

fn sniff(bytes: &[u8], ext: &str) -> Kind {
    if bytes.is_empty() {
        return Kind::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Kind::Cfb;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let texty = !head.contains(&0)
        && (std::str::from_utf8(head).is_ok() || head.starts_with(b"\xEF\xBB\xBF"));
    match ext {
        "csv" | "txt" | "tsv" => Kind::Csv,
        _ if texty => {
            if matches!(ext, "xlsx" | "xlsm" | "xls" | "xlsb" | "ods") {
                Kind::TextNotCsv
            } else {
                Kind::Csv
            }
        }
        _ => Kind::Unknown,
    }
}

fn read_zip(bytes: &[u8], ext: &str) -> Result<Vec<RawSheet>, String> {
    let cursor = std::io::Cursor::new(bytes);
    match ext {
        "xlsx" | "xlsm" => read_xlsx(bytes),
        "xlsb" => read_generic(
            calamine::Xlsb::new(cursor).map_err(|e| describe(&e.to_string()))?,
            |_, _| Vec::new(),
        ),
        "ods" => read_ods(bytes),
        _ => {
            // A zip under another name: try what it could be.
            if let Ok(s) = read_xlsx(bytes) {
                return Ok(s);
            }
            if calamine::Ods::new(std::io::Cursor::new(bytes)).is_ok() {
                return read_ods(bytes);
            }
            let wb = calamine::Xlsb::new(cursor).map_err(|e| describe(&e.to_string()))?;
            read_generic(wb, |_, _| Vec::new())
        }
    }
}

/// ODS through calamine, which reads a percentage cell as its fraction and does not report
/// merged cells: both are found in `content.xml` (see [`ods_extras`]).
fn read_ods(bytes: &[u8]) -> Result<Vec<RawSheet>, String> {
    let wb =
        calamine::Ods::new(std::io::Cursor::new(bytes)).map_err(|e| describe(&e.to_string()))?;
    let extras = ods_extras(bytes).unwrap_or_default();
    let mut sheets = read_generic(wb, |_, name| {
        extras.merges.get(name).cloned().unwrap_or_default()
    })?;
    mark_percent(&mut sheets, &extras.percent);
    Ok(sheets)
}

/// Makes the number cells found to be percent-formatted ([`Value::Number`] as calamine gives
/// them) [`Value::Percent`]: (row, column) sets by sheet name.
fn mark_percent(sheets: &mut [RawSheet], percent: &PercentCells) {
    for sheet in sheets {
        let Some(cells) = percent.get(&sheet.name) else {
            continue;
        };
        for row in &mut sheet.rows {
            for (col, v) in &mut row.cells {
                if let Value::Number(n) = v
                    && cells.contains(&(row.row, *col))
                {
                    *v = Value::Percent(*n);
                }
            }
        }
    }
}

/// (row, column) of the percent-formatted cells of each sheet, by sheet name.
type PercentCells = std::collections::HashMap<String, std::collections::HashSet<(u32, u32)>>;

/// What calamine does not tell about an ODS file, by sheet name.
#[derive(Default)]
struct OdsExtras {
    /// (row, column) of every cell whose `office:value-type` is `percentage`.
    percent: PercentCells,
    merges: std::collections::HashMap<String, Vec<Dimensions>>,
}

/// Scans `content.xml`. Repeats are followed up to a bound: a million repeated empty cells
/// are not percentages.
fn ods_extras(bytes: &[u8]) -> Option<OdsExtras> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    zip.by_name("content.xml")
        .ok()?
        .take(256 << 20)
        .read_to_string(&mut xml)
        .ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = OdsExtras::default();
    let mut sheet = String::new();
    let (mut row, mut col, mut row_repeat) = (0u32, 0u32, 1u32);
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
    };
    let count = |v: Option<String>| v.and_then(|v| v.parse::<u32>().ok()).unwrap_or(1).max(1);
    loop {
        let ev = reader.read_event().ok()?;
        let (e, empty) = match &ev {
            Event::Start(e) => (e, false),
            Event::Empty(e) => (e, true),
            Event::End(e) => {
                if e.name().as_ref() == "table:table-row" {
                    row = row.saturating_add(row_repeat);
                }
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match e.name().as_ref() {
            "table:table" => {
                sheet = attr(e, "table:name").unwrap_or_default();
                row = 0;
            }
            "table:table-row" => {
                col = 0;
                row_repeat = count(attr(e, "table:number-rows-repeated"));
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = count(attr(e, "table:number-columns-repeated"));
                if attr(e, "office:value-type").as_deref() == Some("percentage") {
                    let set = out.percent.entry(sheet.clone()).or_default();
                    for r in row..row.saturating_add(row_repeat.min(1000)) {
                        for c in col..col.saturating_add(n.min(1000)) {
                            set.insert((r, c));
                        }
                    }
                }
                let rows = count(attr(e, "table:number-rows-spanned"));
                let cols = count(attr(e, "table:number-columns-spanned"));
                if (rows > 1 || cols > 1) && e.name().as_ref() == "table:table-cell" {
                    out.merges
                        .entry(sheet.clone())
                        .or_default()
                        .push(Dimensions::new(
                            (row, col),
                            (row.saturating_add(rows - 1), col.saturating_add(cols - 1)),
                        ));
                }
                col = col.saturating_add(n);
            }
            _ => {}
        }
    }
    Some(out)
}

fn read_cfb(bytes: &[u8], ext: &str) -> Result<Vec<RawSheet>, String> {
    // calamine follows the container's chains without a bound, whatever it then reads.
    if !xls::chains_end(bytes) {
        return Err(format!(
            "the file is damaged or not a workbook: its .{ext} container cannot be followed \
             to the end (a sector chain loops or breaks off); open it in Excel or WPS and \
             save it again"
        ));
    }
    if matches!(ext, "xlsx" | "xlsm" | "xlsb") {
        // Excel keeps encrypted workbooks in an OLE container; calamine says which.
        return match calamine::Xlsx::new(std::io::Cursor::new(bytes)) {
            Err(e) => Err(describe(&e.to_string())),
            Ok(_) => Err("the file is damaged".into()),
        };
    }
    let workbook = xls::Workbook::read(bytes);
    if !workbook.fits_the_grid() {
        return Err(
            "the file is damaged or not a workbook: a sheet claims more rows or columns than \
             an .xls can hold; open it in Excel or WPS and save it again"
                .into(),
        );
    }
    let wb =
        calamine::Xls::new(std::io::Cursor::new(bytes)).map_err(|e| describe(&e.to_string()))?;
    let mut sheets = read_generic(wb, |wb: &mut calamine::Xls<_>, name: &str| {
        wb.merge_cells_by_sheet_name(name).unwrap_or_default()
    })?;
    // calamine gives no cell formats for .xls: the percent cells are found in the records.
    mark_percent(&mut sheets, &workbook.percent_cells());
    Ok(sheets)
}

/// calamine's messages, in the user's words where we know them.
fn describe(msg: &str) -> String {
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "the workbook is password-protected: remove the password in Excel (File › Info › \
         Protect Workbook) and save it again"
            .into()
    } else {
        format!("the file is damaged or not a workbook ({msg})")
    }
}

fn read_generic<RS, R, M>(mut wb: R, mut merges: M) -> Result<Vec<RawSheet>, String>
where
    RS: Read + Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
    M: FnMut(&mut R, &str) -> Vec<Dimensions>,
{
    let names = wb.sheet_names();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|e| describe(&e.to_string()))?;
        let mut b = SheetBuilder::default();
        if let Some((r0, c0)) = range.start() {
            for (r, row) in range.rows().enumerate() {
                for (c, d) in row.iter().enumerate() {
                    b.push(r0 + r as u32, c0 + c as u32, from_data(d));
                }
            }
        }
        let m = merges(&mut wb, &name);
        b.fill_merged(&m);
        out.push(b.finish(name));
    }
    Ok(out)
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, String> {
    let mut wb =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| describe(&e.to_string()))?;
    let any_merges = mentions_merged_cells(bytes);
    let saved = FormulaResults::of(bytes);
    let names = wb.sheet_names();
    let mut out = Vec::with_capacity(names.len());
    for name in names {
        let merges = if any_merges {
            wb.merge_cells_by_sheet_name(&name).unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut formulas = std::collections::HashMap::new();
        if saved.any_formula {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| describe(&e.to_string()))?;
            while let Some(cell) = reader
                .next_formula()
                .map_err(|e| describe(&e.to_string()))?
            {
                if !cell.get_value().is_empty() {
                    formulas.insert(cell.get_position(), cell.get_value().clone());
                }
            }
        }
        let mut b = SheetBuilder::default();
        {
            let mut reader = wb
                .worksheet_cells_reader(&name)
                .map_err(|e| describe(&e.to_string()))?;
            let percent: Vec<bool> = reader.styles().iter().map(is_percent_style).collect();
            // One pass over the sheet for values and styles together.
            while let Some((cell, style)) = reader
                .next_cell_with_style_id()
                .map_err(|e| describe(&e.to_string()))?
            {
                let (r, c) = cell.get_position();
                let v = match formulas.remove(&(r, c)) {
                    Some(f) if unsaved(cell.get_value(), saved.results) => Value::Unsaved(f),
                    _ => {
                        let pct = percent.get(style).copied().unwrap_or(false);
                        from_data_ref(cell.get_value(), pct)
                    }
                };
                b.push(r, c, v);
            }
        }
        // A formula cell with no <v> at all may not be listed by the value pass.
        for ((r, c), f) in formulas {
            b.push(r, c, Value::Unsaved(f));
        }
        b.fill_merged(&merges);
        out.push(b.finish(name));
    }
    Ok(out)
}

/// Whether a formula cell's saved value is no result: nothing saved (`<c><f>…</f></c>`), or,
/// when the workbook's results were not computed by a spreadsheet program
/// ([`FormulaResults::results`]), the placeholder such programs write in its place (`0`, as
/// rust_xlsxwriter does by default, or an empty string). A value a program set explicitly
/// (rust_xlsxwriter's `set_result("30")`) is kept.
fn unsaved(v: &DataRef<'_>, computed: bool) -> bool {
    match v {
        DataRef::Empty => true,
        _ if computed => false,
        DataRef::Int(0) => true,
        DataRef::Float(f) => *f == 0.0,
        DataRef::String(s) => s.is_empty(),
        DataRef::SharedString(s) => s.is_empty(),
        _ => false,
    }
}

/// What an `.xlsx` package says about its formulas' saved results.
struct FormulaResults {
    /// A worksheet part holds a formula (`<f>`): only then are formulas read.
    any_formula: bool,
    /// The saved results were computed by a spreadsheet program. Programs that write
    /// formulas without computing them (rust_xlsxwriter, openpyxl) ask for a full
    /// recalculation on load (`fullCalcOnLoad`) and write no calculation chain; a workbook
    /// saved by Excel has `xl/calcChain.xml`, and LibreOffice does not set the flag.
    /// Without it, a saved 0 is taken for a placeholder ([`unsaved`]).
    results: bool,
}

impl FormulaResults {
    fn of(bytes: &[u8]) -> Self {
        let thorough = FormulaResults {
            any_formula: true,
            results: true,
        };
        let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
            return thorough;
        };
        let mut buf = vec![0u8; 1 << 18];
        let mut any_formula = false;
        let mut recalc = false;
        let mut chain = false;
        for i in 0..zip.len() {
            let Ok(part) = zip.by_index(i) else {
                return thorough;
            };
            let name = part
                .name()
                .map(|n| n.to_ascii_lowercase())
                .unwrap_or_default();
            if name == "xl/calcchain.xml" {
                chain = true;
            } else if name.starts_with("xl/worksheets/") && name.ends_with(".xml") {
                if !any_formula {
                    // `<f>`, `<f t="shared" …>` and `<f …/>` all start so.
                    any_formula = contains_any(part.take(256 << 20), &[b"<f>", b"<f "], &mut buf)
                        .unwrap_or(true);
                }
            } else if name == "xl/workbook.xml" {
                recalc = contains_any(
                    part.take(256 << 20),
                    &[b"fullCalcOnLoad=\"1\"", b"fullCalcOnLoad=\"true\""],
                    &mut buf,
                )
                .unwrap_or(false);
            }
        }
        FormulaResults {
            any_formula,
            results: !recalc || chain,
        }
    }
}

/// Whether `r` holds any of `needles`, read through `buf` in chunks that overlap by the
/// longest needle's length less one, so that no occurrence is cut in two.
fn contains_any(mut r: impl Read, needles: &[&[u8]], buf: &mut [u8]) -> std::io::Result<bool> {
    let finders: Vec<_> = needles.iter().map(memchr::memmem::Finder::new).collect();
    let overlap = needles.iter().map(|n| n.len()).max().unwrap_or(1) - 1;
    assert!(buf.len() > overlap, "buffer shorter than the needle");
    let mut kept = 0;
    loop {
        let n = r.read(&mut buf[kept..])?;
        if n == 0 {
            return Ok(false);
        }
        let end = kept + n;
        if finders.iter().any(|f| f.find(&buf[..end]).is_some()) {
            return Ok(true);
        }
        kept = overlap.min(end);
        buf.copy_within(end - kept..end, 0);
    }
}

/// Whether any XML part of an `.xlsx` package mentions merged cells. calamine finds a
/// sheet's merges only by parsing all of its XML a second time, a third of the time spent
/// reading a large sheet; most results workbooks have none, and a byte search of the
/// decompressed parts is several times cheaper. Anything odd answers "yes", so the sheet is
/// then read the thorough way.
fn mentions_merged_cells(bytes: &[u8]) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return true;
    };
    let mut buf = vec![0u8; 1 << 18];
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else {
            return true;
        };
        let xml = part
            .name()
            .map_or(true, |n| n.to_ascii_lowercase().ends_with(".xml"));
        // The same bound as the importer's other reads of a part.
        if xml && contains(part.take(256 << 20), b"mergeCell", &mut buf).unwrap_or(true) {
            return true;
        }
    }
    false
}

/// Whether `r` holds `needle`, read through `buf` in chunks that overlap by the needle's
/// length less one, so that no occurrence is cut in two.
fn contains(r: impl Read, needle: &[u8], buf: &mut [u8]) -> std::io::Result<bool> {
    contains_any(r, &[needle], buf)
}

fn is_percent_style(s: &calamine::Style) -> bool {
    s.number_format
        .as_ref()
        .is_some_and(|f| matches!(f.format_id, Some(9 | 10)) || is_percent_format(&f.format_code))
}

/// Whether a number format code shows a percentage: a `%` outside quotes and escapes in its
/// first (positive) section.
pub fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for ch in code.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match ch {
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => return false,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn from_data(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => Value::Date(date_text(dt)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Date(s.clone()),
        Data::Error(e) => Value::Error(format!("{e}")),
    }
}

fn from_data_ref(d: &DataRef<'_>, percent: bool) -> Value {
    match d {
        DataRef::Int(i) if percent => Value::Percent(*i as f64),
        DataRef::Float(f) if percent => Value::Percent(*f),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) => Value::Date(date_text(dt)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Date(s.clone()),
        DataRef::Error(e) => Value::Error(format!("{e}")),
        DataRef::Empty => Value::Empty,
    }
}

fn date_text(dt: &calamine::ExcelDateTime) -> String {
    let v = dt.as_f64();
    if !v.is_finite() || !(0.0..3_000_000.0).contains(&v) {
        return format!("{v}");
    }
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    if dt.is_duration() || v < 1.0 {
        format!("{hh:02}:{mm:02}:{ss:02}")
    } else if (hh, mm, ss) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

/// UTF-8 CSV (with or without BOM), RFC 4180 quoting; tab- or semicolon-separated files are
/// recognised from the first line.
fn read_csv(bytes: &[u8], sheet: &str) -> Result<Vec<RawSheet>, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the CSV file is not UTF-8 (byte {}): in Excel, save it as \"CSV UTF-8\"",
            e.valid_up_to() + 1
        )
    })?;
    let first_line = text.lines().next().unwrap_or("");
    let sep = if !first_line.contains(',') && first_line.contains('\t') {
        '\t'
    } else if !first_line.contains(',') && first_line.contains(';') {
        ';'
    } else {
        ','
    };
    let mut b = SheetBuilder::default();
    let (mut row, mut col) = (0u32, 0u32);
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let push = |b: &mut SheetBuilder, row: u32, col: u32, field: &mut String| {
        let f = std::mem::take(field);
        b.push(row, col, Value::Text(f));
    };
    while let Some(ch) = chars.next() {
        if quoted {
            if ch == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(ch);
            }
            continue;
        }
        match ch {
            '"' if field.is_empty() => quoted = true,
            c if c == sep => {
                push(&mut b, row, col, &mut field);
                col = col.saturating_add(1);
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                push(&mut b, row, col, &mut field);
                row = row.saturating_add(1);
                col = 0;
            }
            c => field.push(c),
        }
    }
    push(&mut b, row, col, &mut field);
    Ok(vec![b.finish(sheet.to_string())])
}

// ---------------------------------------------------------------------------------------------
// Numbers from cells and text

/// A number read from a cell: `value` as the user sees it, and whether it was shown as a
/// percentage (a percent-formatted cell, or text ending in `%`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub shown: f64,
    pub percent: bool,
}

impl Number {
    /// The value for a KPI: a percentage is read as shown (95) when the KPI's unit is `%`,
    /// and as the fraction it stands for (0.95) otherwise.
    pub fn for_unit(self, unit_is_percent: bool) -> f64 {
        if self.percent && !unit_is_percent {
            self.shown / 100.0
        } else {
            self.shown
        }
    }
}

/// Reads a number from a cell: numeric cells, and text such as `95`, `95%`, `1,234.5`,
/// `１２３`, ` 30 h` (a trailing `unit` is dropped). `None` when it is not a number.
pub fn parse_number(v: &Value, unit: Option<&str>) -> Option<Number> {
    match v {
        Value::Number(n) if n.is_finite() => Some(Number {
            shown: *n,
            percent: false,
        }),
        Value::Percent(f) if f.is_finite() => Some(Number {
            shown: percent_shown(*f),
            percent: true,
        }),
        Value::Text(t) => parse_number_text(t, unit),
        _ => None,
    }
}

pub fn parse_number_text(t: &str, unit: Option<&str>) -> Option<Number> {
    let s: String = t.nfkc().collect();
    let mut s = s.trim().to_string();
    if let Some(u) = unit.map(|u| u.nfkc().collect::<String>()) {
        let u = u.trim();
        if !u.is_empty()
            && u != "%"
            && let Some(rest) = s.strip_suffix(u)
        {
            s = rest.trim_end().to_string();
        }
    }
    let (s, percent) = match s.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (s.as_str(), false),
    };
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    // Thousands separators: only between digits, in groups of three.
    let clean: String = if s.contains(',') {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = int.trim_start_matches(['-', '+']);
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && !frac.contains(',');
        if !ok {
            return None;
        }
        s.replace(',', "")
    } else {
        s.to_string()
    };
    if !clean
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        || !clean.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let n: f64 = clean.parse().ok()?;
    n.is_finite().then_some(Number { shown: n, percent })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(t: &str) -> Option<f64> {
        parse_number_text(t, None).map(|n| n.shown)
    }

    #[test]
    fn reads_numbers_written_as_text() {
        assert_eq!(num("95"), Some(95.0));
        assert_eq!(num(" 1,234.5 "), Some(1234.5));
        assert_eq!(num("１２３"), Some(123.0));
        assert_eq!(num("９５％"), Some(95.0));
        assert_eq!(num("-3.5"), Some(-3.5));
        assert_eq!(num("1,23"), None);
        assert_eq!(num("abc"), None);
        assert_eq!(num("NaN"), None);
        assert_eq!(num("inf"), None);
        assert_eq!(num(""), None);
        let p = parse_number_text("95%", None).unwrap();
        assert!(p.percent);
        assert_eq!(p.for_unit(true), 95.0);
        assert_eq!(p.for_unit(false), 0.95);
        assert_eq!(
            parse_number_text("30 h", Some("h")).map(|n| n.shown),
            Some(30.0)
        );
        assert_eq!(
            parse_number_text("30小时", Some("小时")).map(|n| n.shown),
            Some(30.0)
        );
    }

    #[test]
    fn percent_cells_read_as_shown() {
        let n = parse_number(&Value::Percent(0.95), Some("%")).unwrap();
        assert_eq!(n.for_unit(true), 95.0);
        assert_eq!(n.for_unit(false), 0.95);
        assert_eq!(percent_shown(0.07), 7.0);
        assert_eq!(percent_shown(0.575), 57.5);
    }

    #[test]
    fn percent_formats_are_recognised() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(is_percent_format("#,##0.0%;[Red]-0.0%"));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("\"%\"0"));
        assert!(!is_percent_format("General"));
    }

    /// A name two roles claim would be read as the first role only, silently.
    #[test]
    fn every_header_name_belongs_to_one_role() {
        for role in Role::ALL {
            for name in role.names() {
                assert_eq!(role_of(name), Some(role), "{name:?}");
            }
        }
        // The names of the importer before they came from the vocabulary.
        for (name, role) in [
            ("岗位", Role::Position),
            ("position_id", Role::Position),
            ("员工姓名", Role::Employee),
            ("考核周期", Role::Period),
            ("考核指标", Role::Kpi),
            ("indicator", Role::Kpi),
            ("完成值", Role::Actual),
            ("目标", Role::Target),
            ("工号", Role::Ignored),
            ("remarks", Role::Ignored),
            ("#", Role::Ignored),
        ] {
            assert_eq!(role_of(name), Some(role), "{name:?}");
        }
    }

    #[test]
    fn header_names_match_regardless_of_case_and_width() {
        assert_eq!(role_of(" Position "), Some(Role::Position));
        assert_eq!(role_of("ＫＰＩ"), Some(Role::Kpi));
        assert_eq!(role_of("Position ID"), Some(Role::Position));
        assert_eq!(role_of("实际值"), Some(Role::Actual));
        assert_eq!(role_of("客户满意度"), None);
    }

    #[test]
    fn merged_cells_are_looked_for_only_in_workbooks_that_have_some() {
        use rust_xlsxwriter::{Format, Workbook};
        let book = |merge: bool| {
            let mut wb = Workbook::new();
            let ws = wb.add_worksheet();
            for (c, h) in ["岗位", "姓名", "指标", "实际值"].iter().enumerate() {
                ws.write_string(0, c as u16, *h).unwrap();
            }
            for r in 1..=2 {
                ws.write_string(r, 2, "客户满意度").unwrap();
                ws.write_number(r, 3, 90.0).unwrap();
            }
            if merge {
                ws.merge_range(1, 0, 2, 0, "cs-specialist", &Format::new())
                    .unwrap();
            } else {
                ws.write_string(1, 0, "cs-specialist").unwrap();
            }
            wb.save_to_buffer().unwrap()
        };
        let plain = book(false);
        assert!(!mentions_merged_cells(&plain));
        let merged = book(true);
        assert!(mentions_merged_cells(&merged));
        // The merged 岗位 cell names the position of both rows.
        let sheets = read_xlsx(&merged).unwrap();
        let positions: Vec<_> = sheets[0].rows[1..]
            .iter()
            .map(|r| r.get(0).cloned())
            .collect();
        assert_eq!(
            positions,
            vec![Some(Value::Text("cs-specialist".into())); 2]
        );
        // Not a zip: the thorough way.
        assert!(mentions_merged_cells(b"not a zip"));
    }

    #[test]
    fn a_word_cut_between_two_chunks_is_still_found() {
        let text = b"<row/><mergeCells count=\"1\">";
        for size in 9..24 {
            let mut buf = vec![0; size];
            // A reader handing out a few bytes at a time cuts the word everywhere.
            for step in 1..5 {
                let r = Chunky(&text[..], step);
                assert!(
                    contains(r, b"mergeCell", &mut buf).unwrap(),
                    "{size} {step}"
                );
            }
            assert!(!contains(&b"<row/><merge/>Cell"[..], b"mergeCell", &mut buf).unwrap());
        }
    }

    /// A reader that returns at most `.1` bytes per read.
    struct Chunky<'a>(&'a [u8], usize);

    impl Read for Chunky<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = self.1.min(out.len()).min(self.0.len());
            out[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    #[test]
    fn csv_with_bom_quotes_and_crlf() {
        let s = read_csv(
            "\u{feff}岗位,指标,实际值\r\ncs,\"a,b\",\"1,234\"\r\n\r\n".as_bytes(),
            "x",
        )
        .unwrap();
        assert_eq!(s[0].rows.len(), 2);
        assert_eq!(s[0].rows[0].cells[0].1, Value::Text("岗位".into()));
        assert_eq!(s[0].rows[1].cells[1].1, Value::Text("a,b".into()));
        assert_eq!(s[0].rows[1].cells[2].1, Value::Text("1,234".into()));
    }

    #[test]
    fn text_named_xlsx_is_refused_clearly() {
        let mut imp = Import::default();
        imp.read_bytes(b"a,b\n1,2\n", "xlsx", "x", "x.xlsx", &[]);
        assert_eq!(imp.problems.len(), 1);
        assert!(
            imp.problems[0].message.contains("text file"),
            "{:?}",
            imp.problems
        );
    }
}
