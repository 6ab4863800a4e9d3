//! KPI results: import (calamine, CSV) -> score (pure functions) -> report.
//!
//! ```text
//! results.xlsx --import--> Vec<Row> (each cell with its Sheet!A1) --score--> Vec<Scorecard>
//!                                                                   \--report--> html, pdf, csv, xlsx, json
//! ```
//!
//! Spreadsheets have no text spans: every row carries its [`Loc`] from import to report, and
//! findings are [`crate::diag::Diagnostic`]s at a [`Location::Cell`] naming workbook, sheet and
//! cell (kpi-scoring.md), printed by the same emitters as `check`'s.

pub mod definition;
pub mod import;
pub mod report;
pub mod score;
pub mod template;

use crate::diag::{Cell, Location};

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

pub use crate::diag::sheet_ref;

/// The finding location of a cell.
pub fn cell_at(src: &SheetSrc, loc: Loc) -> Location {
    Location::Cell(Cell {
        workbook: src.file.clone(),
        sheet: src.sheet.clone(),
        cell: loc.a1(),
    })
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
