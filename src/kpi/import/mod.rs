//! Workbooks -> [`Row`]s: calamine for `.xlsx/.xlsm/.xls/.xlsb/.ods`, a small reader for `.csv`.
//!
//! Nothing here knows positions or KPIs: the importer finds the header, recognises the layout
//! (long or wide, kpi-scoring.md) and hands every data row on with the `Sheet!A1` place of each
//! of its cells. Problems with the file itself (unreadable, empty, no header) are collected as
//! findings ([`WORKBOOK`], [`SHEET_HEADER`]), never returned early, and never panics (see `fuzz/`).

use std::path::Path;

use super::{Loc, SheetSrc, cell_at};
use crate::check::Rule;
use crate::diag::{Diagnostic, Location, Severity};

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

mod csv;
mod formats;
mod headers;
mod ods;
mod sheets;
mod values;
mod xls;
mod xlsx;

pub use formats::is_percent_format;
pub use headers::{Role, names_term, normalize, role_of};
pub use sheets::{RawRow, RawSheet};
pub use values::{Number, Value, parse_number, parse_number_text, percent_shown};

use formats::{Kind, read_cfb, read_zip, sniff};
use headers::{Layout, find_header, header_help};

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
    /// The KPI is named by its column's header (wide layout): a summary sheet holds the KPIs
    /// of every position side by side, so a blank cell under a KPI the row's position does
    /// not have is not applicable rather than a mistake.
    pub by_column: bool,
}

/// One data row of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row's first cell (column A of that row).
    pub loc: Loc,
    pub position: Field,
    pub employee: Option<Field>,
    /// The 工号 column's cell, when the sheet has one.
    pub employee_id: Option<Field>,
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
        let (ext, stem) = ext_and_stem(path);
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
        let result = guarded(|| {
            let mut sub = Import::default();
            sub.read_bytes(bytes, ext, stem, display, only);
            sub
        });
        match result {
            Some(sub) => self.append(sub),
            None => self.problems.push(damaged(display)),
        }
    }

    fn append(&mut self, mut sub: Import) {
        let base = self.sheets.len() as u32;
        self.sheets.append(&mut sub.sheets);
        self.rows.reserve(sub.rows.len());
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
        let sheets = match raw_sheets(bytes, ext, stem) {
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
                    by_column: false,
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
                        by_column: true,
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
                employee_id: header.employee_id.map(|c| cell(row, c)),
                period: header.period.map(|c| cell(row, c)),
                entries,
            });
        }
    }
}

/// The sheets of a workbook as raw cells, whatever its format (the content decides; `ext`,
/// lower case without the dot, is a hint), or why it cannot be read.
fn raw_sheets(bytes: &[u8], ext: &str, stem: &str) -> Result<Vec<RawSheet>, String> {
    match sniff(bytes, ext) {
        Kind::Empty => Err("the file is empty".to_string()),
        Kind::Csv => csv::read_csv(bytes, stem),
        Kind::TextNotCsv => Err(format!(
            "this is a text file (CSV?), not a .{ext} workbook: rename it to .csv, \
             or open it in Excel and save it as .xlsx"
        )),
        Kind::Unknown => Err(format!(
            "this is not a spreadsheet (.{ext}): expected .xlsx, .xlsm, .xls, .xlsb, .ods or .csv"
        )),
        Kind::Zip => read_zip(bytes, ext),
        Kind::Cfb => read_cfb(bytes, ext),
    }
}

/// The sheets of a workbook file as raw cells (a roster, a table that is not results), read
/// as `score` reads results: every format, never a panic. `Err` is the [`WORKBOOK`] problem.
pub fn read_table(path: &Path, display: &str) -> Result<Vec<RawSheet>, Vec<Diagnostic>> {
    let problem = |msg: String| vec![WORKBOOK.located(Location::File(display.to_string()), msg)];
    let bytes =
        std::fs::read(path).map_err(|e| problem(format!("failed to read `{display}` ({e})")))?;
    let (ext, stem) = ext_and_stem(path);
    match guarded(|| raw_sheets(&bytes, &ext, &stem)) {
        Some(Ok(sheets)) => Ok(sheets),
        Some(Err(msg)) => Err(problem(format!("`{display}` could not be read: {msg}"))),
        None => Err(vec![damaged(display)]),
    }
}

/// A file's extension in lower case (a hint of its format) and its stem (the sheet name of a
/// CSV file).
fn ext_and_stem(path: &Path) -> (String, String) {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "Sheet1".into());
    (ext, stem)
}

/// `f()`, or `None` when it panics (calamine does on some damaged files), without the panic
/// message printed unless `ROLEBOOK_SHOW_PANICS` is set.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let quiet = std::env::var_os("ROLEBOOK_SHOW_PANICS").is_none();
    let previous = quiet.then(|| {
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        hook
    });
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    if let Some(hook) = previous {
        std::panic::set_hook(hook);
    }
    result.ok()
}

fn damaged(display: &str) -> Diagnostic {
    WORKBOOK.located(
        Location::File(display.to_string()),
        format!("`{display}` could not be read: the file is damaged"),
    )
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

#[cfg(test)]
mod tests {
    use super::*;

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
