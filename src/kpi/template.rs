//! `kpi-template`: the input workbook for a period, in the long layout `score` reads.
//!
//! One row per position and KPI (or, with a [`roster`], per person and KPI, 姓名 and 工号 filled
//! in) with position, period, KPI, unit, direction and target filled in; the 实际值 column is
//! empty and validated as a number (0..scale for ratings, not negative where a negative is
//! impossible), the header frozen and filtered.

pub mod roster;

use std::io::Read;

use calamine::Reader;
use rust_xlsxwriter::{
    DataValidation, DataValidationRule, DocProperties, Format, FormatAlign, Workbook, Worksheet,
    XlsxError,
};

use roster::{Person, Roster};

use super::score::Rule;
use crate::model::{Direction, Org, Target};
use crate::util::number::num;
use crate::vocab::{self, Term};

/// The template's columns, in order. 岗位编号 (the position's id) comes first so that it is
/// the column `score` matches on; 岗位名称 is for people. Each header is the term's text in
/// the organization's language, which the importer reads by construction (its header names
/// are the same terms).
pub const COLUMNS: [Term; 12] = [
    Term::PositionId,
    Term::PositionTitle,
    Term::Employee,
    Term::EmployeeId,
    Term::Period,
    Term::KpiName,
    Term::Unit,
    Term::Direction,
    Term::Weight,
    Term::Target,
    Term::Actual,
    Term::Notes,
];
/// Column of 实际值.
pub const ACTUAL_COL: u16 = 10;
/// Column of 姓名.
pub const NAME_COL: u16 = 2;
/// Column of 工号.
const ID_COL: u16 = 3;
/// Column of 期间.
const PERIOD_COL: u16 = 4;

/// The custom document property (File > Properties > Custom in Excel) every template carries:
/// `rolebook` = `kpi-template`. Spreadsheet programs keep custom properties when they save, so
/// a template stays recognisable after HR fills it in ([`is_template`]).
pub const MARK: (&str, &str) = ("rolebook", "kpi-template");

/// The second property of a template written from a roster: its 姓名 cells are rolebook's,
/// so only a 实际值 filled in makes it a template someone worked on ([`filled_rows`]).
pub const ROSTER_MARK: (&str, &str) = ("rolebook-names", "roster");

/// Builds the template workbook for an organization and `period` and returns its bytes:
/// one row per position and KPI, or with a roster one per person and KPI of their position.
pub fn build(org: &Org, period: &str, roster: Option<&Roster>) -> Result<Vec<u8>, XlsxError> {
    let lang = org.settings.lang;
    let mut wb = Workbook::new();
    let mut props = DocProperties::new().set_custom_property(MARK.0, MARK.1);
    if roster.is_some() {
        props = props.set_custom_property(ROSTER_MARK.0, ROSTER_MARK.1);
    }
    wb.set_properties(&props);
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDCE6F1)
        .set_align(FormatAlign::Center);
    let ws = wb.add_worksheet();
    ws.set_name(Term::ResultsSheet.text(lang))?;
    for (c, term) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, term.text(lang), &head)?;
    }
    let widths = [
        16.0, 16.0, 10.0, 10.0, 10.0, 20.0, 6.0, 10.0, 6.0, 10.0, 10.0, 20.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let people: Vec<(usize, Option<&Person>)> = match roster {
        Some(r) => r.people.iter().map(|p| (p.position, Some(p))).collect(),
        None => (0..org.positions.len()).map(|i| (i, None)).collect(),
    };
    let mut row = 1u32;
    for (pi, person) in people {
        row = position_rows(ws, org, pi, person, period, row)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), COLUMNS.len() as u16 - 1)?;
    wb.save_to_buffer()
}

/// The rows of position `pi` (for `person`, if any) from sheet row `row` on: one per KPI.
/// Returns the row after the last.
fn position_rows(
    ws: &mut Worksheet,
    org: &Org,
    pi: usize,
    person: Option<&Person>,
    period: &str,
    mut row: u32,
) -> Result<u32, XlsxError> {
    let lang = org.settings.lang;
    let input = Format::new().set_background_color(0xFFF2CC);
    let p = &org.positions[pi];
    let w = super::score::weights(&p.kpis);
    for (ki, k) in p.kpis.iter().enumerate() {
        ws.write_string(row, 0, &p.id)?;
        ws.write_string(row, 1, &p.title.value)?;
        if let Some(person) = person {
            ws.write_string(row, NAME_COL, &person.name)?;
            if let Some(id) = &person.employee_id {
                ws.write_string(row, ID_COL, id)?;
            }
        }
        ws.write_string(row, PERIOD_COL, period)?;
        ws.write_string(row, 5, &k.name.value)?;
        if let Some(u) = &k.unit {
            ws.write_string(row, 6, &u.value)?;
        }
        ws.write_string(row, 7, Term::direction(k.direction.value).text(lang))?;
        ws.write_number(row, 8, w[ki])?;
        let rule = Rule::of(k, None, org.settings.scoring.cap).ok();
        match rule
            .map(|r| r.target)
            .or(k.target.as_ref().map(|t| t.value))
        {
            Some(Target::Value(t)) => {
                ws.write_number(row, 9, t)?;
            }
            Some(Target::Band(lo, hi)) => {
                ws.write_string(row, 9, format!("{}-{}", num(lo), num(hi)))?;
            }
            None => {}
        }
        ws.write_blank(row, ACTUAL_COL, &input)?;
        let unit = k.unit.as_ref().map(|u| u.value.trim()).unwrap_or("");
        let scale = super::definition::scale(k);
        let (rule, message) = match k.direction.value {
            Direction::Rating => (
                DataValidationRule::Between(0.0, scale),
                vocab::rating_prompt(lang, &num(scale)),
            ),
            _ => (
                if super::definition::negative_allowed(k) {
                    DataValidationRule::Between(-1e15, 1e15)
                } else {
                    DataValidationRule::GreaterThanOrEqualTo(0.0)
                },
                if unit == "%" {
                    Term::PromptPercent
                } else if super::definition::negative_allowed(k) {
                    Term::PromptNumber
                } else {
                    Term::PromptNotNegative
                }
                .text(lang)
                .to_string(),
            ),
        };
        let dv = DataValidation::new()
            .allow_decimal_number(rule)
            .set_error_title(Term::Actual.text(lang))?
            .set_error_message(message.clone())?
            .set_input_message(message)?;
        ws.add_data_validation(row, ACTUAL_COL, row, ACTUAL_COL, &dv)?;
        row += 1;
    }
    Ok(row)
}

/// Whether `bytes` are a workbook [`build`] wrote: an .xlsx package whose
/// `docProps/custom.xml` holds the [`MARK`] property.
pub fn is_template(bytes: &[u8]) -> bool {
    has_property(bytes, MARK)
}

/// Whether the .xlsx package `bytes` has the custom document property `(name, value)`.
fn has_property(bytes: &[u8], (name, value): (&str, &str)) -> bool {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    let Ok(part) = zip.by_name("docProps/custom.xml") else {
        return false;
    };
    let mut xml = String::new();
    if part.take(1 << 20).read_to_string(&mut xml).is_err() {
        return false;
    }
    // Each property is one element: name and value are looked for inside the same one.
    xml.split("</property>").any(|p| {
        p.contains(&format!("name=\"{name}\"")) && p.contains(&format!(">{value}</vt:lpwstr>"))
    })
}

/// How many rows of a template have results someone entered: a 实际值, or a 姓名 (people copy
/// a position's rows and type their names first) unless rolebook wrote the names from a
/// roster ([`ROSTER_MARK`]).
pub fn filled_rows(bytes: &[u8]) -> usize {
    let cols: &[u16] = if has_property(bytes, ROSTER_MARK) {
        &[ACTUAL_COL]
    } else {
        &[NAME_COL, ACTUAL_COL]
    };
    let Ok(mut wb) = calamine::Xlsx::new(std::io::Cursor::new(bytes)) else {
        return 0;
    };
    let mut n = 0;
    for name in wb.sheet_names() {
        let Ok(range) = wb.worksheet_range(&name) else {
            continue;
        };
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, row) in range.rows().enumerate() {
            if r0 as usize + r == 0 {
                continue;
            }
            let filled = cols.iter().any(|&c| {
                (c as usize)
                    .checked_sub(c0 as usize)
                    .and_then(|i| row.get(i))
                    .is_some_and(|d| !matches!(d, calamine::Data::Empty))
            });
            n += usize::from(filled);
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::import::{Role, role_of};
    use crate::model::Lang;

    /// What `score` must make of each column the template writes.
    const ROLES: [Role; 12] = [
        Role::Position,
        Role::Position,
        Role::Employee,
        Role::EmployeeId,
        Role::Period,
        Role::Kpi,
        Role::Ignored,
        Role::Ignored,
        Role::Ignored,
        Role::Target,
        Role::Actual,
        Role::Ignored,
    ];

    #[test]
    fn every_header_the_template_writes_is_read_back_by_the_importer() {
        for lang in [Lang::Zh, Lang::En] {
            for (term, role) in COLUMNS.iter().zip(ROLES) {
                let header = term.text(lang);
                assert_eq!(role_of(header), Some(role), "{header:?} ({lang:?})");
            }
        }
        assert_eq!(COLUMNS[ACTUAL_COL as usize], Term::Actual);
    }

    #[test]
    fn a_template_in_either_language_reads_back_with_one_row_per_kpi() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/org");
        let mut org = crate::load::load_dir(&dir).unwrap().org;
        let kpis: usize = org.positions.iter().map(|p| p.kpis.len()).sum();
        for lang in [Lang::Zh, Lang::En] {
            org.settings.lang = lang;
            let bytes = build(&org, "2024Q2", None).unwrap();
            let mut import = crate::kpi::import::Import::default();
            import.read_bytes(&bytes, "xlsx", "tpl", "tpl.xlsx", &[]);
            assert!(
                import.problems.is_empty(),
                "{lang:?}: {:?}",
                import.problems
            );
            assert_eq!(import.sheets[0].sheet, Term::ResultsSheet.text(lang));
            assert_eq!(import.rows.len(), kpis, "{lang:?}");
        }
    }

    #[test]
    fn a_template_is_recognised_and_another_workbook_is_not() {
        let org = crate::load::load_inputs(std::path::Path::new("p"), None, Vec::new()).org;
        let ours = build(&org, "2024Q2", None).unwrap();
        assert!(is_template(&ours));
        assert_eq!(filled_rows(&ours), 0);
        let theirs = Workbook::new().save_to_buffer().unwrap();
        assert!(!is_template(&theirs));
        assert!(!is_template(b"title = \"x\""));
    }
}
