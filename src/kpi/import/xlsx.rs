//! `.xlsx`/`.xlsm` workbooks: values and cell styles in one pass, formula cells without a saved
//! result, and merged cells only when the package mentions any.

use std::io::Read;

use calamine::{DataRef, Reader};

use super::formats::{describe, is_percent_format};
use super::sheets::{RawSheet, SheetBuilder};
use super::values::{Value, from_data_ref};

pub(super) fn read_xlsx(bytes: &[u8]) -> Result<Vec<RawSheet>, String> {
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
                // Most workbooks have no formula: no hashing of every cell's position then.
                let formula = if formulas.is_empty() {
                    None
                } else {
                    formulas.remove(&(r, c))
                };
                let v = match formula {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
