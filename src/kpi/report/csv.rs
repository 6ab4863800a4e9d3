//! `scores.csv`: one row per person and KPI, numbers rounded as the HTML shows them, words in
//! the output's language, text that would run as a formula quoted.

use std::io::{self, Write};

use super::{PLACES, SHARE_PLACES, direction_label, labels, skipped};
use crate::kpi::score::Scored;
use crate::model::Lang;
use crate::util::number::round_into;

/// What a spreadsheet program reads as the start of a formula (OWASP "CSV injection").
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One CSV field. Text that a spreadsheet would run as a formula (a name such as
/// `=HYPERLINK(…)` typed into a results workbook) gets a leading `'`, so it is shown as text;
/// in a `numeric` column a number (a negative one) stays a number.
fn csv_field(out: &mut String, s: &str, numeric: bool) {
    let guarded;
    let s = if s.starts_with(FORMULA_START) && !(numeric && s.parse::<f64>().is_ok()) {
        guarded = format!("'{s}");
        guarded.as_str()
    } else {
        s
    };
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// One CSV row; the fields at the indices in `numeric` are numbers (or empty).
fn csv_row(out: &mut String, fields: &[&str], numeric: std::ops::Range<usize>) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, f, numeric.contains(&i));
    }
    out.push_str("\r\n");
}

/// A number as plain CSV text, rounded to `places` decimals as the HTML shows it (trailing
/// zeros dropped), appended to `out`; nothing for a number that is not finite.
fn csv_num(out: &mut String, x: f64, places: usize) {
    if x.is_finite() {
        round_into(out, x, places, true);
    }
}

/// `scores.csv`: UTF-8 with a BOM (so Excel reads the Chinese), one row per person and KPI;
/// skipped rows (with `--partial`) follow, each with its place and reason in the note column.
pub fn csv(scored: &Scored, lang: Lang) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_csv(scored, lang, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The columns of `scores.csv` that hold numbers: weight to total.
const NUMERIC_COLUMNS: std::ops::Range<usize> = 8..17;

/// [`csv`], streamed to `w` a row at a time.
pub fn write_csv(scored: &Scored, lang: Lang, mut w: impl Write) -> io::Result<()> {
    let l = labels(lang);
    let mut out = String::from("\u{feff}");
    csv_row(
        &mut out,
        &[
            l.position_id,
            l.position,
            l.department,
            l.employee,
            l.period,
            l.kpi,
            l.unit,
            l.direction,
            l.weight,
            l.target,
            l.threshold,
            l.actual,
            l.achievement,
            l.score,
            l.total,
            l.grade,
            l.note,
        ],
        0..0,
    );
    // Numbers are written into one buffer and the fields sliced out of it, so a row costs
    // no allocation once the buffers have grown.
    let mut nums = String::new();
    for c in &scored.scorecards {
        let mut total = String::new();
        csv_num(&mut total, c.total, PLACES);
        for k in &c.kpis {
            nums.clear();
            let mut ends = [0usize; 6];
            csv_num(&mut nums, k.weight, PLACES);
            ends[0] = nums.len();
            match &k.target {
                serde_json::Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        if i > 0 {
                            nums.push('-');
                        }
                        csv_num(&mut nums, x.as_f64().unwrap_or(0.0), PLACES);
                    }
                }
                v => {
                    if let Some(x) = v.as_f64() {
                        csv_num(&mut nums, x, PLACES);
                    }
                }
            }
            ends[1] = nums.len();
            csv_num(&mut nums, k.threshold, PLACES);
            ends[2] = nums.len();
            if let Some(a) = k.actual {
                csv_num(&mut nums, a, PLACES);
            }
            ends[3] = nums.len();
            csv_num(&mut nums, k.achievement, SHARE_PLACES);
            ends[4] = nums.len();
            csv_num(&mut nums, k.score, PLACES);
            ends[5] = nums.len();
            let field = |i: usize| &nums[if i == 0 { 0 } else { ends[i - 1] }..ends[i]];
            csv_row(
                &mut out,
                &[
                    &c.position,
                    &c.title,
                    &c.department,
                    c.employee.as_deref().unwrap_or(""),
                    &c.period,
                    &k.name,
                    k.unit.as_deref().unwrap_or(""),
                    direction_label(k.direction, lang),
                    field(0),
                    field(1),
                    field(2),
                    field(3),
                    field(4),
                    field(5),
                    &total,
                    c.grade.as_deref().unwrap_or(""),
                    if k.missing { l.no_data } else { "" },
                ],
                NUMERIC_COLUMNS,
            );
        }
        if out.len() > 1 << 16 {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for p in skipped(scored) {
        let note = format!(
            "{}: {} [{}] {}",
            l.skipped,
            p.place().unwrap_or_default(),
            p.code,
            p.message
        );
        let mut fields = vec![""; 16];
        fields.push(&note);
        csv_row(&mut out, &fields, 0..0);
    }
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_starts_a_formula_is_quoted_and_numbers_stay_numbers() {
        let row = |fields: &[&str]| {
            let mut out = String::new();
            csv_row(&mut out, fields, 1..2);
            out
        };
        assert_eq!(row(&["=1+1", "-2.5"]), "'=1+1,-2.5\r\n");
        assert_eq!(row(&["-2.5", "-5-3"]), "'-2.5,'-5-3\r\n");
        assert_eq!(row(&["@SUM(A1)", ""]), "'@SUM(A1),\r\n");
        assert_eq!(row(&["+1", "\tx"]), "'+1,'\tx\r\n");
        assert_eq!(row(&["\r=x", "3"]), "\"'\r=x\",3\r\n");
        assert_eq!(row(&["张三", "90"]), "张三,90\r\n");
    }
}
