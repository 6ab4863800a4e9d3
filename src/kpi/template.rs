//! `kpi-template`: the input workbook for a period, in the long layout `score` reads.
//!
//! One row per position and KPI with position, KPI, unit, direction and target filled in; the
//! 实际值 column is empty and validated as a number (0..scale for ratings, not negative where a
//! negative is impossible), the header frozen and filtered.

use rust_xlsxwriter::{
    DataValidation, DataValidationRule, Format, FormatAlign, Workbook, XlsxError,
};

use super::score::Rule;
use crate::model::{Direction, Org, Target};
use crate::util::number::num;
use crate::vocab::{self, Term};

/// The template's columns, in order. 岗位编号 (the position's id) comes first so that it is
/// the column `score` matches on; 岗位名称 is for people. Each header is the term's text in
/// the organization's language, which the importer reads by construction (its header names
/// are the same terms).
pub const COLUMNS: [Term; 11] = [
    Term::PositionId,
    Term::PositionTitle,
    Term::Employee,
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
pub const ACTUAL_COL: u16 = 9;

/// Builds the template workbook for an organization and returns its bytes.
pub fn build(org: &Org, period: Option<&str>) -> Result<Vec<u8>, XlsxError> {
    let lang = org.settings.lang;
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(0xDCE6F1)
        .set_align(FormatAlign::Center);
    let input = Format::new().set_background_color(0xFFF2CC);
    let ws = wb.add_worksheet();
    ws.set_name(Term::ResultsSheet.text(lang))?;
    for (c, term) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, term.text(lang), &head)?;
    }
    let widths = [
        16.0, 16.0, 10.0, 10.0, 20.0, 6.0, 10.0, 6.0, 10.0, 10.0, 20.0,
    ];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let weights_of = |kpis: &[crate::model::Kpi]| super::score::weights(kpis);
    let mut row = 1u32;
    for p in &org.positions {
        let w = weights_of(&p.kpis);
        for (ki, k) in p.kpis.iter().enumerate() {
            ws.write_string(row, 0, &p.id)?;
            ws.write_string(row, 1, &p.title.value)?;
            if let Some(period) = period {
                ws.write_string(row, 3, period)?;
            }
            ws.write_string(row, 4, &k.name.value)?;
            if let Some(u) = &k.unit {
                ws.write_string(row, 5, &u.value)?;
            }
            ws.write_string(row, 6, Term::direction(k.direction.value).text(lang))?;
            ws.write_number(row, 7, w[ki])?;
            let rule = Rule::of(k, None, org.settings.scoring.cap).ok();
            match rule
                .map(|r| r.target)
                .or(k.target.as_ref().map(|t| t.value))
            {
                Some(Target::Value(t)) => {
                    ws.write_number(row, 8, t)?;
                }
                Some(Target::Band(lo, hi)) => {
                    ws.write_string(row, 8, format!("{}-{}", num(lo), num(hi)))?;
                }
                None => {}
            }
            ws.write_blank(row, ACTUAL_COL, &input)?;
            let unit = k.unit.as_ref().map(|u| u.value.trim()).unwrap_or("");
            let scale = k.scale.as_ref().map_or(5.0, |s| s.value);
            let (rule, message) = match k.direction.value {
                Direction::Rating => (
                    DataValidationRule::Between(0.0, scale),
                    vocab::rating_prompt(lang, &num(scale)),
                ),
                Direction::Lower => (
                    DataValidationRule::GreaterThanOrEqualTo(0.0),
                    Term::PromptNotNegative.text(lang).to_string(),
                ),
                _ => (
                    DataValidationRule::Between(-1e15, 1e15),
                    if unit == "%" {
                        Term::PromptPercent.text(lang).to_string()
                    } else {
                        Term::PromptNumber.text(lang).to_string()
                    },
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
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, row.saturating_sub(1).max(1), COLUMNS.len() as u16 - 1)?;
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::import::{Role, role_of};
    use crate::model::Lang;

    /// What `score` must make of each column the template writes.
    const ROLES: [Role; 11] = [
        Role::Position,
        Role::Position,
        Role::Employee,
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
            let bytes = build(&org, Some("2024Q2")).unwrap();
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
}
