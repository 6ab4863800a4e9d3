//! KPI results: import (calamine, CSV) -> score (pure functions) -> report.
//!
//! ```text
//! results.xlsx --import--> Vec<Row> (each cell with its Sheet!A1) --score--> Vec<Scorecard>
//!                                                                   \--report--> html, pdf, csv, xlsx, json
//! ```
//!
//! Spreadsheets have no text spans: every row carries its [`Loc`] from import to report, and
//! findings are [`Problem`]s naming workbook, sheet and cell (kpi-scoring.md).

pub mod import;
pub mod report;
pub mod score;
pub mod template;

use crate::diag::Severity;

/// A sheet rows point into: the workbook as shown to the user, and the sheet's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetSrc {
    pub file: String,
    pub sheet: String,
}

/// A cell: sheet index (into [`import::Import::sheets`]), 0-based row and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Loc {
    pub sheet: u32,
    pub row: u32,
    pub col: u32,
}

impl Loc {
    /// `D7`.
    pub fn a1(&self) -> String {
        format!("{}{}", column_name(self.col), self.row as u64 + 1)
    }
}

/// `0` -> `A`, `25` -> `Z`, `26` -> `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push(b'A' + r);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `Sheet1!D7`, quoting sheet names the way Excel does (`'Q1 results'!D7`).
pub fn sheet_ref(sheet: &str, cell: &str) -> String {
    let plain = !sheet.is_empty()
        && sheet
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '.');
    if plain {
        format!("{sheet}!{cell}")
    } else {
        format!("'{}'!{cell}", sheet.replace('\'', "''"))
    }
}

/// One finding about the input, with its place in the workbook when it has one.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub code: &'static str,
    pub severity: Severity,
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// A1 notation.
    pub cell: Option<String>,
    pub message: String,
    pub help: Vec<String>,
    /// Other cells involved (the first copy of a duplicate): (file, `Sheet!A1`, note).
    pub also: Vec<(String, String, String)>,
}

impl Problem {
    /// A problem with a whole file.
    pub fn file(code: &'static str, file: &str, message: impl Into<String>) -> Self {
        Problem {
            code,
            severity: Severity::Error,
            file: Some(file.to_string()),
            sheet: None,
            cell: None,
            message: message.into(),
            help: Vec::new(),
            also: Vec::new(),
        }
    }

    /// A problem with no place (a quota overrun).
    pub fn general(code: &'static str, severity: Severity, message: impl Into<String>) -> Self {
        Problem {
            severity,
            file: None,
            ..Problem::file(code, "", message)
        }
    }

    /// A problem at a cell.
    pub fn at(code: &'static str, src: &SheetSrc, loc: Loc, message: impl Into<String>) -> Self {
        Problem {
            sheet: Some(src.sheet.clone()),
            cell: Some(loc.a1()),
            ..Problem::file(code, &src.file, message)
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Names another cell involved; `sheets` resolves it for output.
    pub fn also_at(mut self, sheets: &[SheetSrc], loc: Loc, note: impl Into<String>) -> Self {
        if let Some(src) = sheets.get(loc.sheet as usize) {
            self.also.push((
                src.file.clone(),
                sheet_ref(&src.sheet, &loc.a1()),
                note.into(),
            ));
        }
        self
    }

    /// `results/2024Q1.xlsx › Sheet1!D7`, or as much of it as is known.
    pub fn place(&self) -> Option<String> {
        let file = self.file.as_deref().filter(|f| !f.is_empty())?;
        Some(match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => format!("{file} › {}", sheet_ref(s, c)),
            (Some(s), None) => format!("{file} › {s}"),
            _ => file.to_string(),
        })
    }
}

/// Renders problems the way `check` renders diagnostics, with the cell instead of a source
/// line:
///
/// ```text
/// error[kpi-unknown]: KPI "客户满意" is not defined for 客服专员 (cs-specialist)
///   --> results/2024Q1.xlsx › Sheet1!D7
///   = help: did you mean "客户满意度"?
/// ```
pub fn render_problems(problems: &[Problem], color: bool) -> String {
    use std::fmt::Write;
    let paint = |code: &str, text: &str| {
        if color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    };
    // Cell text reaches these lines: no control character reaches the terminal.
    let esc = crate::diag::escape_controls;
    let mut out = String::new();
    for p in problems {
        let sev = match p.severity {
            Severity::Error => paint("1;31", &format!("error[{}]", p.code)),
            Severity::Warning => paint("1;33", &format!("warning[{}]", p.code)),
            Severity::Info => paint("1;36", &format!("info[{}]", p.code)),
        };
        let _ = writeln!(out, "{sev}{} {}", paint("1", ":"), esc(&p.message));
        if let Some(place) = p.place() {
            let _ = writeln!(out, "  {} {}", paint("1;34", "-->"), esc(&place));
        }
        for (file, cell, note) in &p.also {
            let _ = writeln!(
                out,
                "  {} {} › {}: {}",
                paint("1;34", "-->"),
                esc(file),
                esc(cell),
                esc(note)
            );
        }
        for h in &p.help {
            let _ = writeln!(out, "  {} help: {}", paint("1;34", "="), esc(h));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_like_excel() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
        assert_eq!(
            Loc {
                sheet: 0,
                row: 6,
                col: 3
            }
            .a1(),
            "D7"
        );
    }

    #[test]
    fn sheet_names_are_quoted_when_excel_would() {
        assert_eq!(sheet_ref("Sheet1", "D7"), "Sheet1!D7");
        assert_eq!(sheet_ref("一季度", "D7"), "一季度!D7");
        assert_eq!(sheet_ref("Q1 results", "A1"), "'Q1 results'!A1");
        assert_eq!(sheet_ref("it's", "A1"), "'it''s'!A1");
    }
}
