//! Cell values as the importer sees them ([`Value`], from calamine's cells) and the numbers
//! read from them ([`parse_number`]: numeric cells, percentages, numbers written as text).

use calamine::{Data, DataRef};
use unicode_normalization::UnicodeNormalization;

use crate::util::number::plain;

/// A cell value as the importer saw it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    /// A numeric cell.
    Number(f64),
    /// A numeric cell formatted as a percentage: the stored fraction (0.95 shown as 95%).
    Percent(f64),
    Text(String),
    Bool(bool),
    /// A date or time cell, as `YYYY-MM-DD` (or with the time).
    Date(String),
    /// An error cell such as `#DIV/0!`.
    Error(String),
    /// A formula cell with no result saved by a spreadsheet program (written by a program
    /// that left the calculation to Excel): its formula. Reported by the importer with its
    /// cell; never read as empty or as a number.
    Unsaved(String),
}

impl Value {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Empty => true,
            Value::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as text, the way the user sees it (numbers without a trailing `.0`).
    pub fn text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => plain(*n),
            Value::Percent(f) => format!("{}%", plain(percent_shown(*f))),
            Value::Text(s) => s.trim().to_string(),
            Value::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Value::Date(d) => d.clone(),
            Value::Error(e) => e.clone(),
            Value::Unsaved(f) => format!("={f}"),
        }
    }
}

/// The number a user sees for a percent-formatted fraction (0.95 -> 95), without the binary
/// noise of `0.95 * 100` (94.99999999999999).
pub fn percent_shown(fraction: f64) -> f64 {
    let v = fraction * 100.0;
    let r = (v * 1e9).round() / 1e9;
    if r.is_finite() { r } else { v }
}

pub(super) fn from_data(d: &Data) -> Value {
    match d {
        Data::Empty => Value::Empty,
        Data::Int(i) => Value::Number(*i as f64),
        Data::Float(f) => Value::Number(*f),
        Data::String(s) => Value::Text(s.clone()),
        Data::Bool(b) => Value::Bool(*b),
        Data::DateTime(dt) => Value::Date(date_text(dt)),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Value::Date(s.clone()),
        Data::Error(e) => Value::Error(format!("{e}")),
    }
}

pub(super) fn from_data_ref(d: &DataRef<'_>, percent: bool) -> Value {
    match d {
        DataRef::Int(i) if percent => Value::Percent(*i as f64),
        DataRef::Float(f) if percent => Value::Percent(*f),
        DataRef::Int(i) => Value::Number(*i as f64),
        DataRef::Float(f) => Value::Number(*f),
        DataRef::String(s) => Value::Text(s.clone()),
        DataRef::SharedString(s) => Value::Text((*s).to_string()),
        DataRef::Bool(b) => Value::Bool(*b),
        DataRef::DateTime(dt) => Value::Date(date_text(dt)),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Value::Date(s.clone()),
        DataRef::Error(e) => Value::Error(format!("{e}")),
        DataRef::Empty => Value::Empty,
    }
}

fn date_text(dt: &calamine::ExcelDateTime) -> String {
    let v = dt.as_f64();
    if !v.is_finite() || !(0.0..3_000_000.0).contains(&v) {
        return format!("{v}");
    }
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    if dt.is_duration() || v < 1.0 {
        format!("{hh:02}:{mm:02}:{ss:02}")
    } else if (hh, mm, ss) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
    }
}

/// A number read from a cell: `value` as the user sees it, and whether it was shown as a
/// percentage (a percent-formatted cell, or text ending in `%`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    pub shown: f64,
    pub percent: bool,
}

impl Number {
    /// The value for a KPI: a percentage is read as shown (95) when the KPI's unit is `%`,
    /// and as the fraction it stands for (0.95) otherwise.
    pub fn for_unit(self, unit_is_percent: bool) -> f64 {
        if self.percent && !unit_is_percent {
            self.shown / 100.0
        } else {
            self.shown
        }
    }
}

/// Reads a number from a cell: numeric cells, and text such as `95`, `95%`, `1,234.5`,
/// `１２３`, ` 30 h` (a trailing `unit` is dropped). `None` when it is not a number.
pub fn parse_number(v: &Value, unit: Option<&str>) -> Option<Number> {
    match v {
        Value::Number(n) if n.is_finite() => Some(Number {
            shown: *n,
            percent: false,
        }),
        Value::Percent(f) if f.is_finite() => Some(Number {
            shown: percent_shown(*f),
            percent: true,
        }),
        Value::Text(t) => parse_number_text(t, unit),
        _ => None,
    }
}

pub fn parse_number_text(t: &str, unit: Option<&str>) -> Option<Number> {
    let s: String = t.nfkc().collect();
    let mut s = s.trim().to_string();
    if let Some(u) = unit.map(|u| u.nfkc().collect::<String>()) {
        let u = u.trim();
        if !u.is_empty()
            && u != "%"
            && let Some(rest) = s.strip_suffix(u)
        {
            s = rest.trim_end().to_string();
        }
    }
    let (s, percent) = match s.strip_suffix('%') {
        Some(rest) => (rest.trim_end(), true),
        None => (s.as_str(), false),
    };
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    // Thousands separators: only between digits, in groups of three.
    let clean: String = if s.contains(',') {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let int = int.trim_start_matches(['-', '+']);
        let groups: Vec<&str> = int.split(',').collect();
        let ok = !groups[0].is_empty()
            && groups[0].len() <= 3
            && groups[1..].iter().all(|g| g.len() == 3)
            && !frac.contains(',');
        if !ok {
            return None;
        }
        s.replace(',', "")
    } else {
        s.to_string()
    };
    if !clean
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
        || !clean.chars().any(|c| c.is_ascii_digit())
    {
        return None;
    }
    let n: f64 = clean.parse().ok()?;
    n.is_finite().then_some(Number { shown: n, percent })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(t: &str) -> Option<f64> {
        parse_number_text(t, None).map(|n| n.shown)
    }

    #[test]
    fn reads_numbers_written_as_text() {
        assert_eq!(num("95"), Some(95.0));
        assert_eq!(num(" 1,234.5 "), Some(1234.5));
        assert_eq!(num("１２３"), Some(123.0));
        assert_eq!(num("９５％"), Some(95.0));
        assert_eq!(num("-3.5"), Some(-3.5));
        assert_eq!(num("1,23"), None);
        assert_eq!(num("abc"), None);
        assert_eq!(num("NaN"), None);
        assert_eq!(num("inf"), None);
        assert_eq!(num(""), None);
        let p = parse_number_text("95%", None).unwrap();
        assert!(p.percent);
        assert_eq!(p.for_unit(true), 95.0);
        assert_eq!(p.for_unit(false), 0.95);
        assert_eq!(
            parse_number_text("30 h", Some("h")).map(|n| n.shown),
            Some(30.0)
        );
        assert_eq!(
            parse_number_text("30小时", Some("小时")).map(|n| n.shown),
            Some(30.0)
        );
    }

    #[test]
    fn percent_cells_read_as_shown() {
        let n = parse_number(&Value::Percent(0.95), Some("%")).unwrap();
        assert_eq!(n.for_unit(true), 95.0);
        assert_eq!(n.for_unit(false), 0.95);
        assert_eq!(percent_shown(0.07), 7.0);
        assert_eq!(percent_shown(0.575), 57.5);
    }
}
