//! Plain domain types: the organization, its positions, duties and KPIs.
//!
//! Values that findings point at carry their source location ([`Sp`]). No I/O, no printing:
//! `load` builds these, `check`, `render` and `kpi` read them.

mod education;

use rustc_hash::FxHashMap as HashMap;

use crate::diag::{FileId, Span};

pub use education::Education;

/// A value with the byte range it came from in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// Free text as written (may contain inline Markdown).
pub type Text = Sp<String>;

/// A calendar date (岗位分析日期).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Labels in outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The names `_org.toml` `lang` accepts, in the order of the enum.
    pub const NAMES: [&'static str; 2] = ["zh", "en"];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// How a KPI's actual value is turned into achievement (kpi-scoring.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    #[default]
    Higher,
    Lower,
    Rating,
    Band,
}

impl Direction {
    pub const NAMES: [&'static str; 4] = ["higher", "lower", "rating", "band"];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "higher" => Some(Direction::Higher),
            "lower" => Some(Direction::Lower),
            "rating" => Some(Direction::Rating),
            "band" => Some(Direction::Band),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Direction::NAMES[self as usize]
    }
}

/// A KPI target: one value, or `[low, high]` for band KPIs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target {
    Value(f64),
    Band(f64, f64),
}

/// One 考核指标.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    pub name: Text,
    pub weight: Option<Sp<f64>>,
    pub target: Option<Sp<Target>>,
    pub unit: Option<Text>,
    pub direction: Sp<Direction>,
    pub threshold: Option<Sp<f64>>,
    pub cap: Option<Sp<f64>>,
    pub scale: Option<Sp<f64>>,
    /// The `[[kpis]]` header.
    pub span: Span,
}

/// One 职责 with its 职责表述, 工作任务 and 考核重点.
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    pub title: Text,
    pub tasks: Vec<Text>,
    pub assessment: Option<Text>,
    pub kpis: Vec<Text>,
    /// The `[[duties]]` header.
    pub span: Span,
}

/// 工作协作关系.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Relations {
    pub internal: Vec<Text>,
    pub external: Vec<Text>,
}

/// 任职资格.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Qualifications {
    pub education: Option<Sp<Education>>,
    pub majors: Vec<Text>,
    pub training: Vec<Text>,
    pub experience_years: Option<Sp<f64>>,
    pub management_years: Option<Sp<f64>>,
    pub experience: Option<Text>,
    pub knowledge: Option<Text>,
    pub skills: Option<Text>,
    pub traits: Vec<Text>,
}

/// 其它: working conditions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Conditions {
    pub tools: Vec<Text>,
    pub environment: Option<Text>,
    pub hours: Option<Text>,
    pub records: Vec<Text>,
}

/// One position, from one file; its id is the file stem.
#[derive(Debug, Clone, PartialEq)]
pub struct Position {
    pub id: String,
    pub file: FileId,
    pub title: Text,
    pub code: Option<Text>,
    pub department: Text,
    /// `level` as written, if it was.
    pub level: Option<Text>,
    /// Index into the organization's `levels`, from `level` or inferred from the title.
    pub level_index: Option<usize>,
    pub reports_to: Option<Text>,
    pub headcount: Option<Sp<i64>>,
    pub pay_grade: Option<Text>,
    pub pay_type: Option<Text>,
    pub analysis_date: Option<Sp<Date>>,
    pub summary: Text,
    pub authorities: Vec<Text>,
    pub notes: Option<Text>,
    pub duties: Vec<Duty>,
    pub relations: Relations,
    pub qualifications: Qualifications,
    pub conditions: Conditions,
    pub kpis: Vec<Kpi>,
    /// `extends`: the template this position takes the fields it does not set from.
    pub extends: Option<Text>,
    /// The templates it inherits from, nearest first (`extends`, then that template's own
    /// `extends` …); empty without `extends`. A value taken from one of them has a span that
    /// names the template's file (`diag::origin`).
    pub templates: Vec<String>,
}

/// A superior outside the handbook (`[external]` in `_org.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct External {
    pub id: Text,
    pub title: Text,
    pub level: Option<Text>,
    pub level_index: Option<usize>,
}

/// A `[[reserved]]` rule: duties only positions at `min_level` or above may carry.
#[derive(Debug, Clone, PartialEq)]
pub struct Reserved {
    pub name: Text,
    /// Contiguous text, or parts joined by `…` that stand in that order in one clause
    /// (`审批…合同`), as written.
    pub keywords: Vec<Text>,
    pub min_level: Text,
    pub min_level_index: Option<usize>,
    /// Built-in rules have no file location.
    pub builtin: bool,
    pub span: Span,
}

/// A grade band: totals at or above `min` get `label`.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub min: f64,
    pub label: String,
}

/// `[scoring]` (kpi-scoring.md).
#[derive(Debug, Clone, PartialEq)]
pub struct Scoring {
    pub cap: f64,
    /// Sorted from the highest `min` down.
    pub bands: Vec<Band>,
    /// 强制分布: the largest share of people allowed in a grade.
    pub quota: Vec<(String, f64)>,
}

impl Default for Scoring {
    fn default() -> Self {
        let band = |min: f64, label: &str| Band {
            min,
            label: label.to_string(),
        };
        Scoring {
            cap: 1.2,
            bands: vec![
                band(90.0, "优秀"),
                band(80.0, "良好"),
                band(60.0, "合格"),
                band(0.0, "不合格"),
            ],
            quota: Vec::new(),
        }
    }
}

/// A severity override from `[checks]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    /// The names a severity is written with in `[checks]`, in the order of the enum.
    pub const NAMES: [&'static str; 4] = ["off", "info", "warning", "error"];

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }
}

/// `_org.toml`: organization-wide settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OrgSettings {
    /// `None` when the folder has no `_org.toml` (the defaults apply and `check` says so).
    pub file: Option<FileId>,
    pub name: Option<Text>,
    pub handbook_title: Option<Text>,
    pub lang: Lang,
    /// 职级, lowest first.
    pub levels: Vec<Text>,
    pub departments: Option<Vec<Text>>,
    pub external: Vec<External>,
    pub reserved: Vec<Reserved>,
    /// Field names left out of the public edition.
    pub confidential: Vec<String>,
    /// Where each name of `confidential` is written in `_org.toml` (empty for the default).
    pub confidential_spans: Vec<Span>,
    pub scoring: Scoring,
    pub checks: Vec<(Text, Level)>,
    /// `[pdf] font`: a TrueType file for the PDF handbook, relative to the positions folder.
    pub pdf_font: Option<Text>,
    /// `[pdf] bold_font`: its bold face (bold text uses `font` when absent).
    pub pdf_bold_font: Option<Text>,
}

impl OrgSettings {
    /// The level names the tool assumes when `_org.toml` is missing.
    pub const DEFAULT_LEVELS: [&'static str; 4] = ["专员", "主管", "经理", "总监"];

    pub fn level_index(&self, name: &str) -> Option<usize> {
        self.levels.iter().position(|l| l.value == name)
    }

    /// The level a title implies: the longest level name the title ends with.
    pub fn infer_level(&self, title: &str) -> Option<usize> {
        let title = title.trim();
        self.levels
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.value.is_empty() && title.ends_with(l.value.as_str()))
            .max_by_key(|(_, l)| l.value.len())
            .map(|(i, _)| i)
    }

    pub fn level_name(&self, index: usize) -> &str {
        self.levels.get(index).map_or("?", |l| l.value.as_str())
    }

    pub fn external(&self, id: &str) -> Option<&External> {
        self.external.iter().find(|e| e.id.value == id)
    }
}

/// The whole organization: settings, positions, and the reporting lines derived from them.
#[derive(Debug, Clone, Default)]
pub struct Org {
    pub settings: OrgSettings,
    /// Sorted by id.
    pub positions: Vec<Position>,
    by_id: HashMap<String, usize>,
    /// Direct reports of each position, by index, sorted by id.
    reports: Vec<Vec<usize>>,
}

/// Sorts stably by `cmp`, moving each item once: the indices are sorted, then each item goes
/// to its place by the cycles of the permutation. For positions (large structs) a plain sort
/// moves each many times, on one core, at the end of every load.
fn sort_moving_once<T>(items: &mut [T], cmp: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    // Place `i` gets the item at `order[i]`; a place done is marked `order[i] == i`.
    for start in 0..order.len() {
        let mut here = start;
        while order[here] != here {
            let from = order[here];
            order[here] = here;
            if from == start {
                break;
            }
            items.swap(here, from);
            here = from;
        }
    }
}

/// Whom a position reports to, resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Superior<'a> {
    None,
    Position(&'a Position),
    External(&'a External),
    Unknown,
}

impl Org {
    pub fn new(settings: OrgSettings, mut positions: Vec<Position>) -> Self {
        sort_moving_once(&mut positions, |a, b| a.id.cmp(&b.id));
        let mut by_id = HashMap::with_capacity_and_hasher(positions.len(), Default::default());
        for (i, p) in positions.iter().enumerate() {
            by_id.entry(p.id.clone()).or_insert(i);
        }
        let mut reports = vec![Vec::new(); positions.len()];
        for (i, p) in positions.iter().enumerate() {
            if let Some(sup) = p.reports_to.as_ref().and_then(|r| by_id.get(&r.value))
                && *sup != i
            {
                reports[*sup].push(i);
            }
        }
        Org {
            settings,
            positions,
            by_id,
            reports,
        }
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn get(&self, id: &str) -> Option<&Position> {
        self.index_of(id).map(|i| &self.positions[i])
    }

    pub fn superior(&self, p: &Position) -> Superior<'_> {
        match &p.reports_to {
            Some(r) => self.resolve(&r.value),
            None => Superior::None,
        }
    }

    /// What a `reports_to` value names.
    pub fn resolve(&self, reports_to: &str) -> Superior<'_> {
        if let Some(s) = self.get(reports_to) {
            Superior::Position(s)
        } else if let Some(e) = self.settings.external(reports_to) {
            Superior::External(e)
        } else {
            Superior::Unknown
        }
    }

    /// 直接下级: positions whose `reports_to` is this one.
    pub fn direct_reports(&self, index: usize) -> impl Iterator<Item = &Position> {
        self.reports[index].iter().map(|&i| &self.positions[i])
    }

    /// 所辖人员: every position below this one, breadth first, each once (cycles are safe).
    pub fn staff_supervised(&self, index: usize) -> Vec<&Position> {
        let mut seen = vec![false; self.positions.len()];
        seen[index] = true;
        let mut queue: Vec<usize> = self.reports[index].clone();
        let mut out = Vec::new();
        let mut i = 0;
        while i < queue.len() {
            let q = queue[i];
            i += 1;
            if std::mem::replace(&mut seen[q], true) {
                continue;
            }
            out.push(&self.positions[q]);
            queue.extend(self.reports[q].iter().copied());
        }
        out
    }

    /// The level name of a position, if known.
    pub fn level_name(&self, p: &Position) -> Option<&str> {
        p.level_index.map(|i| self.settings.level_name(i))
    }
}

#[cfg(test)]
mod tests {
    use super::sort_moving_once;

    #[test]
    fn sort_moving_once_is_the_stable_sort() {
        // Keys with repeats (stability) in orders made by a small generator: cycles of every
        // length, sorted and reversed input.
        let mut seed = 7u32;
        let mut inputs: Vec<Vec<(u32, usize)>> = vec![
            Vec::new(),
            (0..9).map(|i| (i, i as usize)).collect(),
            (0..9).rev().map(|i| (i, i as usize)).collect(),
        ];
        for len in [2, 3, 10, 57, 300] {
            inputs.push(
                (0..len)
                    .map(|i| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        ((seed >> 16) % (len as u32 / 2 + 1), i)
                    })
                    .collect(),
            );
        }
        for input in inputs {
            let mut expected = input.clone();
            expected.sort_by_key(|&(k, _)| k);
            let mut got = input.clone();
            sort_moving_once(&mut got, |a, b| a.0.cmp(&b.0));
            assert_eq!(got, expected, "input {input:?}");
        }
    }
}
