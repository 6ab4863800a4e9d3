//! `.csv` files (also tab- or semicolon-separated), read by a small reader of our own.

use super::sheets::{RawSheet, SheetBuilder};
use super::values::Value;

/// UTF-8 CSV (with or without BOM), RFC 4180 quoting; tab- or semicolon-separated files are
/// recognised from the first line.
pub(super) fn read_csv(bytes: &[u8], sheet: &str) -> Result<Vec<RawSheet>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
