//! `.ods` workbooks: calamine for the values, and a scan of `content.xml` for what calamine
//! does not report (percent-formatted cells, merged cells).

use std::io::Read;

use calamine::{Dimensions, Reader};

use super::formats::{PercentCells, describe, mark_percent, read_generic};
use super::sheets::RawSheet;

/// ODS through calamine, which reads a percentage cell as its fraction and does not report
/// merged cells: both are found in `content.xml` (see [`ods_extras`]).
pub(super) fn read_ods(bytes: &[u8]) -> Result<Vec<RawSheet>, String> {
    let wb =
        calamine::Ods::new(std::io::Cursor::new(bytes)).map_err(|e| describe(&e.to_string()))?;
    let extras = ods_extras(bytes).unwrap_or_default();
    let mut sheets = read_generic(wb, |_, name| {
        extras.merges.get(name).cloned().unwrap_or_default()
    })?;
    mark_percent(&mut sheets, &extras.percent);
    Ok(sheets)
}

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
