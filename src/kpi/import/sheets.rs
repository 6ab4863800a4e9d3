//! Raw sheets: the non-empty cells of a sheet as sorted sparse rows, whatever format they
//! were read from, with merged regions filled in.

use calamine::Dimensions;

use super::values::Value;

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
    /// The value in column `col`, if that cell is not empty.
    pub fn get(&self, col: u32) -> Option<&Value> {
        self.cells
            .binary_search_by_key(&col, |c| c.0)
            .ok()
            .map(|i| &self.cells[i].1)
    }
}

/// Collects `(row, col, value)` cells in any order into sorted rows.
#[derive(Default)]
pub(super) struct SheetBuilder {
    cells: Vec<(u32, u32, Value)>,
}

/// At most this many cells are filled from merged regions in one sheet.
const MAX_MERGED_COPIES: usize = 1_000_000;

impl SheetBuilder {
    pub(super) fn push(&mut self, row: u32, col: u32, v: Value) {
        if !v.is_empty() {
            self.cells.push((row, col, v));
        }
    }

    /// Copies the top-left value of each merged region into its other cells: a 岗位 cell
    /// merged over a person's rows names the position of each of them.
    pub(super) fn fill_merged(&mut self, merges: &[Dimensions]) {
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

    pub(super) fn finish(mut self, name: String) -> RawSheet {
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
