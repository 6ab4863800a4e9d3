//! Header recognition: which column is the position, the KPI, the actual value (by the
//! vocabulary's names, in either language), and whether the sheet is in long or wide layout.

use std::collections::HashMap;
use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

use super::sheets::{RawRow, RawSheet};
use super::values::Value;
use crate::model::Lang;
use crate::vocab::Term;

/// What a header column is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Position,
    Employee,
    /// The person's staff number (工号): shown on the scorecard, never used to match.
    EmployeeId,
    Period,
    Kpi,
    Actual,
    Target,
    /// Known columns that carry nothing to score (序号, 部门, 单位, 备注, ...), among them the
    /// figures a summary sheet works out itself (总分, 等级, 名次): results of scoring, not
    /// KPIs.
    Ignored,
}

impl Role {
    /// Every role, in the order headers are matched against them.
    pub const ALL: [Role; 8] = [
        Role::Position,
        Role::Employee,
        Role::EmployeeId,
        Role::Period,
        Role::Kpi,
        Role::Actual,
        Role::Target,
        Role::Ignored,
    ];

    /// The vocabulary's terms that name a column of this role: a header is recognised by
    /// any term's text in any language, or one of its [`Term::aliases`].
    pub const fn terms(self) -> &'static [Term] {
        match self {
            Role::Position => &[Term::PositionId, Term::PositionTitle],
            Role::Employee => &[Term::Employee],
            Role::EmployeeId => &[Term::EmployeeId],
            Role::Period => &[Term::Period],
            Role::Kpi => &[Term::KpiName, Term::Kpis],
            Role::Actual => &[Term::Actual],
            Role::Target => &[Term::Target],
            Role::Ignored => &[
                Term::RowNumber,
                Term::Department,
                Term::Unit,
                Term::Direction,
                Term::Weight,
                Term::Threshold,
                Term::Notes,
                Term::Total,
                Term::Score,
                Term::Grade,
                Term::Rank,
            ],
        }
    }

    /// Every header name of the role, as written (not normalised).
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        self.terms().iter().flat_map(|t| {
            [Lang::Zh, Lang::En]
                .map(|lang| t.text(lang))
                .into_iter()
                .chain(t.aliases().iter().copied())
        })
    }
}

/// What a header needs, in the headers the KPI template writes (both languages).
pub(super) fn header_help() -> String {
    let both = |t: Term| format!("{} ({})", t.text(Lang::Zh), t.text(Lang::En));
    format!(
        "long layout: {}, {} and {}; wide layout: {} and one column per KPI name",
        both(Term::PositionTitle),
        both(Term::KpiName),
        both(Term::Actual),
        both(Term::PositionTitle),
    )
}

/// Every normalised header name with its role, built once from the vocabulary.
static ROLE_NAMES: LazyLock<HashMap<String, Role>> = LazyLock::new(|| {
    let mut names = HashMap::new();
    for role in Role::ALL {
        for name in role.names() {
            names.entry(normalize(name)).or_insert(role);
        }
    }
    names
});

/// Header text normalised for matching: NFKC (full width -> half width), trimmed, lower case,
/// inner spaces and dashes as `_`.
pub fn normalize(s: &str) -> String {
    let n: String = s.nfkc().collect::<String>().trim().to_lowercase();
    n.split(|c: char| c.is_whitespace() || c == '-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

pub fn role_of(header: &str) -> Option<Role> {
    ROLE_NAMES.get(&normalize(header)).copied()
}

/// Whether `header` is a name of `term`: its text in either language, or an alias.
pub fn names_term(header: &str, term: Term) -> bool {
    let h = normalize(header);
    [Lang::Zh, Lang::En]
        .map(|lang| term.text(lang))
        .into_iter()
        .chain(term.aliases().iter().copied())
        .any(|n| normalize(n) == h)
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Layout {
    Long {
        kpi: u32,
        actual: u32,
        target: Option<u32>,
    },
    Wide {
        kpis: Vec<(u32, String)>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Header {
    /// Sheet row of the header.
    pub(super) row: u32,
    /// Index into the sheet's rows where data starts.
    pub(super) data_start: usize,
    pub(super) position: u32,
    pub(super) employee: Option<u32>,
    pub(super) employee_id: Option<u32>,
    pub(super) period: Option<u32>,
    pub(super) layout: Layout,
}

/// The header: the first non-empty row, or, when that row is a title or the upper half of a
/// two-row (merged) header, one of the next few rows that has the required columns.
pub(super) fn find_header(sheet: &RawSheet) -> Option<Header> {
    sheet.rows.iter().take(10).enumerate().find_map(|(i, row)| {
        recognize(row).map(|h| Header {
            data_start: i + 1,
            ..h
        })
    })
}

fn recognize(row: &RawRow) -> Option<Header> {
    let mut position = None;
    let mut employee = None;
    let mut employee_id = None;
    let mut period = None;
    let mut kpi = None;
    let mut actual = None;
    let mut target = None;
    let mut others: Vec<(u32, String)> = Vec::new();
    for (col, v) in &row.cells {
        let Value::Text(t) = v else {
            if v.is_empty() {
                continue;
            }
            // A number in the header row: this is data, not a header.
            return None;
        };
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        let slot = match role_of(t) {
            Some(Role::Position) => &mut position,
            Some(Role::Employee) => &mut employee,
            Some(Role::EmployeeId) => &mut employee_id,
            Some(Role::Period) => &mut period,
            Some(Role::Kpi) => &mut kpi,
            Some(Role::Actual) => &mut actual,
            Some(Role::Target) => &mut target,
            Some(Role::Ignored) => continue,
            None => {
                others.push((*col, t.to_string()));
                continue;
            }
        };
        // The first of two columns for the same thing wins (岗位编号 and 岗位名称 side by side).
        slot.get_or_insert(*col);
    }
    let position = position?;
    let layout = match (kpi, actual) {
        (Some(kpi), Some(actual)) => Layout::Long {
            kpi,
            actual,
            target,
        },
        (None, None) => {
            if others.is_empty() {
                return None;
            }
            // Merged title cells repeat one text: a KPI named twice is not a header.
            let mut names: Vec<String> = others.iter().map(|(_, n)| normalize(n)).collect();
            names.sort();
            if names.windows(2).any(|w| w[0] == w[1]) {
                return None;
            }
            Layout::Wide { kpis: others }
        }
        _ => return None,
    };
    Some(Header {
        row: row.row,
        data_start: 0,
        position,
        employee,
        employee_id,
        period,
        layout,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A name two roles claim would be read as the first role only, silently.
    #[test]
    fn every_header_name_belongs_to_one_role() {
        for role in Role::ALL {
            for name in role.names() {
                assert_eq!(role_of(name), Some(role), "{name:?}");
            }
        }
        // The names of the importer before they came from the vocabulary.
        for (name, role) in [
            ("岗位", Role::Position),
            ("position_id", Role::Position),
            ("员工姓名", Role::Employee),
            ("考核周期", Role::Period),
            ("考核指标", Role::Kpi),
            ("indicator", Role::Kpi),
            ("完成值", Role::Actual),
            ("目标", Role::Target),
            ("工号", Role::EmployeeId),
            ("remarks", Role::Ignored),
            ("#", Role::Ignored),
        ] {
            assert_eq!(role_of(name), Some(role), "{name:?}");
        }
    }

    #[test]
    fn header_names_match_regardless_of_case_and_width() {
        assert_eq!(role_of(" Position "), Some(Role::Position));
        assert_eq!(role_of("ＫＰＩ"), Some(Role::Kpi));
        assert_eq!(role_of("Position ID"), Some(Role::Position));
        assert_eq!(role_of("实际值"), Some(Role::Actual));
        assert_eq!(role_of("客户满意度"), None);
    }
}
