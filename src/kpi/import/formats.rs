//! What a file is (sniffed from its bytes, the extension a hint only) and the readers it goes
//! to; what the calamine-based readers share: reading a workbook's sheets, calamine's errors in
//! the user's words, and percent-formatted cells.

use std::io::{Read, Seek};

use calamine::{Dimensions, Reader};

use super::ods::read_ods;
use super::sheets::{RawSheet, SheetBuilder};
use super::values::{Value, from_data};
use super::xls;
use super::xlsx::read_xlsx;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Empty,
    Zip,
    Cfb,
    Csv,
    TextNotCsv,
    Unknown,
}

pub(super) fn sniff(bytes: &[u8], ext: &str) -> Kind {
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

pub(super) fn read_zip(bytes: &[u8], ext: &str) -> Result<Vec<RawSheet>, String> {
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

/// Makes the number cells found to be percent-formatted ([`Value::Number`] as calamine gives
/// them) [`Value::Percent`]: (row, column) sets by sheet name.
pub(super) fn mark_percent(sheets: &mut [RawSheet], percent: &PercentCells) {
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
pub(super) type PercentCells =
    std::collections::HashMap<String, std::collections::HashSet<(u32, u32)>>;

pub(super) fn read_cfb(bytes: &[u8], ext: &str) -> Result<Vec<RawSheet>, String> {
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
pub(super) fn describe(msg: &str) -> String {
    let lower = msg.to_lowercase();
    if lower.contains("password") || lower.contains("encrypt") {
        "the workbook is password-protected: remove the password in Excel (File › Info › \
         Protect Workbook) and save it again"
            .into()
    } else {
        format!("the file is damaged or not a workbook ({msg})")
    }
}

pub(super) fn read_generic<RS, R, M>(mut wb: R, mut merges: M) -> Result<Vec<RawSheet>, String>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_formats_are_recognised() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(is_percent_format("#,##0.0%;[Red]-0.0%"));
        assert!(!is_percent_format("0\\%"));
        assert!(!is_percent_format("\"%\"0"));
        assert!(!is_percent_format("General"));
    }
}
