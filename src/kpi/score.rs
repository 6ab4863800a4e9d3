//! Rows -> [`Scorecard`]s: the formula of kpi-scoring.md as pure functions, and the matching of
//! rows to positions and KPIs with every problem collected (never a early return).
//!
//! ```text
//! achievement a = (A - Z) / (T - Z)
//! score         = w × clamp(a, 0, cap)
//! ```
//!
//! Everything is computed in f64; rounding ([`crate::util::number`]) is for display only.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::definition::{self, Finding};
use super::import::{Field, Import, Number, Value, parse_number, parse_number_text};
use super::{Loc, SheetSrc, cell_at};
use crate::check::{self, Levels};
use crate::diag::{Diagnostic, Location, Severity};
use crate::model::{Band, Direction, Kpi, Org, Position, Scoring, Target};
use crate::util::did_you_mean;
use crate::util::number::num;

pub const POSITION_UNKNOWN: check::Rule = check::Rule::new(
    "position-unknown",
    Severity::Error,
    "a row names no position, or one that is neither an id, a `code` nor a `title` (with a \"did you mean\")",
    "write a position's id (its file name), `code` or `title`",
)
.fixed()
.of_score();

pub const POSITION_BROKEN: check::Rule = check::Rule::new(
    "position-broken",
    Severity::Error,
    "a row names a position whose file cannot be read (its first `parse` error is given)",
    "fix the position file (rolebook check shows where), then score again",
)
.fixed()
.of_score();

pub const POSITION_AMBIGUOUS: check::Rule = check::Rule::new(
    "position-ambiguous",
    Severity::Error,
    "a row names a title that two positions share",
    "write the position's id instead of its title",
)
.fixed()
.of_score();

pub const KPI_UNKNOWN: check::Rule = check::Rule::new(
    "kpi-unknown",
    Severity::Error,
    "a result names no KPI, or one the position does not define (with a \"did you mean\")",
    "write the KPI's `name` as the position file has it",
)
.fixed()
.of_score();

pub const VALUE: check::Rule = check::Rule::new(
    "value",
    Severity::Error,
    "a result or a row's target is not a number, a count or a `lower` KPI is negative, or a rating is outside 0 to its scale",
    "write a number such as 95, 95% or 1,234.5",
)
.fixed()
.of_score();

pub const DUPLICATE_ROW: check::Rule = check::Rule::new(
    "duplicate-row",
    Severity::Error,
    "the same period, employee, position and KPI are given twice (both cells named)",
    "keep one of the two rows",
)
.fixed()
.of_score();

pub const KPI_UNSCORABLE: check::Rule = check::Rule::new(
    "kpi-unscorable",
    Severity::Error,
    "a KPI of a position being scored is defined so that it cannot be scored (what `check` reports as `kpi-definition` or `kpi-no-target`), said once per KPI",
    "fix the KPI in its position file; rolebook check points at the field",
)
.or_milder(Severity::Warning, "if no result is given for it")
.fixed()
.of_score();

pub const KPI_MISSING: check::Rule = check::Rule::new(
    "kpi-missing",
    Severity::Warning,
    "a person has no result for one of the position's KPIs: it scores 0 (no data)",
    "add the result, or leave it: the KPI scores 0",
)
.of_score();

pub const QUOTA: check::Rule = check::Rule::new(
    "quota",
    Severity::Warning,
    "more people are graded in a band than `[scoring] quota` allows (强制分布)",
    "review the grades, or the quota in _org.toml",
)
.of_score();

/// The period shown when neither the workbook nor `--period` gives one.
pub const NO_PERIOD: &str = "—";

/// How one KPI turns an actual value into achievement, with every default resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    pub direction: Direction,
    /// T, or `[low, high]` for band KPIs.
    pub target: Target,
    /// Z, the value that earns zero; for band KPIs the distance outside the band at which the
    /// score reaches zero.
    pub threshold: f64,
    pub cap: f64,
    /// The top of the rating scale (rating KPIs).
    pub scale: f64,
}

impl Rule {
    /// Resolves a KPI's rule: `target` overrides the KPI's own target (a row's 目标值),
    /// `org_cap` is `[scoring].cap`. `Err` is the first finding of
    /// [`definition::definition`]: what `check` reports about the KPI, without its place.
    pub fn of(kpi: &Kpi, target: Option<Target>, org_cap: f64) -> Result<Rule, Finding> {
        let target = target.or(kpi.target.as_ref().map(|t| t.value));
        if let Some(f) = definition::definition(0, kpi, target).into_iter().next() {
            return Err(f);
        }
        // A definition without findings resolves; the fallback keeps that an error, not a panic.
        let (target, threshold) = definition::resolve(kpi, target).ok_or_else(|| {
            Finding::new(
                &definition::KPI_DEFINITION,
                0,
                definition::Field::Name,
                format!("KPI {} cannot be scored", kpi.name.value),
                definition::KPI_DEFINITION.docs,
            )
        })?;
        Ok(Rule {
            direction: kpi.direction.value,
            target,
            threshold,
            cap: kpi.cap.as_ref().map_or(org_cap, |c| c.value),
            scale: definition::scale(kpi),
        })
    }

    /// a, before clamping (band KPIs: already within 0..=1).
    pub fn achievement(&self, actual: f64) -> f64 {
        match self.target {
            Target::Value(t) => (actual - self.threshold) / (t - self.threshold),
            Target::Band(lo, hi) => {
                let outside = if actual < lo {
                    lo - actual
                } else if actual > hi {
                    actual - hi
                } else {
                    0.0
                };
                (1.0 - outside / self.threshold).max(0.0)
            }
        }
    }

    /// The upper bound of achievement: the cap, and never above 1 for band KPIs.
    pub fn ceiling(&self) -> f64 {
        match self.direction {
            Direction::Band => self.cap.min(1.0),
            _ => self.cap,
        }
    }

    /// `w × clamp(a, 0, cap)`.
    pub fn score(&self, weight: f64, actual: f64) -> f64 {
        weight * clamp(self.achievement(actual), self.ceiling())
    }
}

fn clamp(a: f64, cap: f64) -> f64 {
    if a.is_nan() {
        0.0
    } else {
        a.max(0.0).min(cap.max(0.0))
    }
}

/// Units of things counted or timed: a negative actual is impossible.
const COUNT_UNITS: &[&str] = &[
    "次", "个", "件", "人", "人次", "天", "日", "小时", "h", "分钟", "min", "单", "家", "笔", "项",
    "台", "起", "例",
];

/// Why an actual value cannot be scored (a rating above its scale, a negative count), if so.
pub fn check_actual(kpi: &Kpi, rule: &Rule, actual: f64) -> Result<(), String> {
    let name = &kpi.name.value;
    if rule.direction == Direction::Rating {
        if !(0.0..=rule.scale).contains(&actual) {
            return Err(format!(
                "{} is outside the rating scale of \"{name}\" (0 to {})",
                num(actual),
                num(rule.scale)
            ));
        }
        return Ok(());
    }
    let unit = kpi.unit.as_ref().map(|u| u.value.trim()).unwrap_or("");
    let counted = COUNT_UNITS.contains(&unit);
    if actual < 0.0 && (counted || rule.direction == Direction::Lower) {
        return Err(format!(
            "\"{name}\" cannot be negative ({}{})",
            num(actual),
            if unit.is_empty() { "" } else { unit }
        ));
    }
    Ok(())
}

/// The weight of each KPI: as written, or equal shares when none has a weight.
pub fn weights(kpis: &[Kpi]) -> Vec<f64> {
    if kpis.iter().all(|k| k.weight.is_none()) {
        let w = if kpis.is_empty() {
            0.0
        } else {
            100.0 / kpis.len() as f64
        };
        return vec![w; kpis.len()];
    }
    kpis.iter()
        .map(|k| k.weight.as_ref().map_or(0.0, |w| w.value))
        .collect()
}

/// The grade (等级): the label of the first band, high to low, whose `min` the total reaches.
pub fn grade(total: f64, bands: &[Band]) -> Option<&str> {
    bands
        .iter()
        .find(|b| total >= b.min)
        .map(|b| b.label.as_str())
}

// ---------------------------------------------------------------------------------------------
// Scorecards

/// One KPI on a scorecard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiScore {
    pub name: String,
    pub unit: Option<String>,
    pub direction: &'static str,
    pub weight: f64,
    /// A number, or `[low, high]` for band KPIs.
    pub target: serde_json::Value,
    pub threshold: f64,
    pub cap: f64,
    pub actual: Option<f64>,
    pub achievement: f64,
    pub score: f64,
    pub missing: bool,
    /// Where the actual came from (`Sheet1!E7`), when it came from a cell.
    pub cell: Option<String>,
    #[serde(skip)]
    pub rule_target: Option<Target>,
}

/// One person's (or, without an employee column, one position's) scorecard for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scorecard {
    pub position: String,
    pub title: String,
    pub department: String,
    pub employee: Option<String>,
    pub period: String,
    pub total: f64,
    pub grade: Option<String>,
    /// The workbook the results came from.
    pub file: String,
    pub kpis: Vec<KpiScore>,
}

/// The result of scoring a run.
#[derive(Debug, Clone, Default)]
pub struct Scored {
    /// Sorted by total, highest first (then position, employee, period).
    pub scorecards: Vec<Scorecard>,
    /// Errors first in workbook order, then warnings.
    pub problems: Vec<Diagnostic>,
    /// People or positions not scored because some of their rows are in error (`--partial`).
    pub skipped: usize,
    /// The maximum possible total: 100 × the organization's cap.
    pub max_total: f64,
    pub scoring: Scoring,
}

impl Scored {
    pub fn errors(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count()
    }
}

/// How to score.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--period`: for rows without a period.
    pub period: Option<String>,
    /// Position files that could not be read: (id, file, first error). A row naming one is
    /// told why, not that no position has the id.
    pub broken: Vec<(String, String, String)>,
}

fn key_text(s: &str) -> String {
    s.nfkc()
        .collect::<String>()
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect()
}

/// Position lookup by id, code or unique title.
struct Positions<'a> {
    org: &'a Org,
    exact: HashMap<&'a str, Vec<usize>>,
    loose: HashMap<String, Vec<usize>>,
}

enum Found {
    One(usize),
    Ambiguous(Vec<usize>),
    Unknown,
}

impl<'a> Positions<'a> {
    fn new(org: &'a Org) -> Self {
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut loose: HashMap<String, Vec<usize>> = HashMap::default();
        // Ids first, then codes, then titles: an id always wins over someone's title.
        for pass in 0..3 {
            for (i, p) in org.positions.iter().enumerate() {
                let name = match pass {
                    0 => Some(p.id.as_str()),
                    1 => p.code.as_ref().map(|c| c.value.as_str()),
                    _ => Some(p.title.value.as_str()),
                };
                let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
                    continue;
                };
                let e = exact.entry(name).or_default();
                if pass < 2 && !e.is_empty() {
                    continue;
                }
                if !e.contains(&i) {
                    e.push(i);
                }
                let l = loose.entry(key_text(name)).or_default();
                if !l.contains(&i) {
                    l.push(i);
                }
            }
        }
        Positions { org, exact, loose }
    }

    fn find(&self, text: &str) -> Found {
        let t = text.trim();
        let hit = self.exact.get(t).or_else(|| self.loose.get(&key_text(t)));
        match hit.map(Vec::as_slice) {
            Some([one]) => Found::One(*one),
            Some(many) if !many.is_empty() => {
                // An id or code among them decides.
                if let Some(i) = many.iter().find(|&&i| {
                    let p = &self.org.positions[i];
                    p.id == t || p.code.as_ref().is_some_and(|c| c.value.trim() == t)
                }) {
                    return Found::One(*i);
                }
                Found::Ambiguous(many.to_vec())
            }
            _ => Found::Unknown,
        }
    }

    fn suggestion(&self, text: &str) -> Option<String> {
        let names: Vec<&str> = self
            .org
            .positions
            .iter()
            .flat_map(|p| [p.id.as_str(), p.title.value.as_str()])
            .collect();
        did_you_mean(text.trim(), &names).map(str::to_string)
    }
}

fn find_kpi(p: &Position, name: &str) -> Option<usize> {
    let n = name.trim();
    p.kpis
        .iter()
        .position(|k| k.name.value.trim() == n)
        .or_else(|| {
            let key = key_text(n);
            p.kpis.iter().position(|k| key_text(&k.name.value) == key)
        })
}

fn show_position(p: &Position) -> String {
    format!("{} ({})", p.title.value, p.id)
}

/// A row's range target: `25-35`, `25~35`, `[25, 35]`, `25至35`.
fn parse_range(text: &str, unit: Option<&str>) -> Option<(f64, f64)> {
    let s: String = text.nfkc().collect();
    let s = s
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    for sep in ["~", "–", "—", "至", ","] {
        if let Some((a, b)) = s.split_once(sep) {
            let a = parse_number_text(a, unit)?;
            let b = parse_number_text(b, unit)?;
            return Some((a.shown, b.shown));
        }
    }
    // A dash between two numbers (not the sign of the first).
    let idx = s.char_indices().skip(1).find(|(_, c)| *c == '-')?.0;
    let a = parse_number_text(&s[..idx], unit)?;
    let b = parse_number_text(&s[idx + 1..], unit)?;
    Some((a.shown, b.shown))
}

/// One KPI slot of a person: the value given, or the empty cell that should have held it.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Value {
        actual: f64,
        loc: Loc,
        target: Option<Target>,
    },
    Empty(Loc),
}

struct Group {
    position: usize,
    employee: Option<String>,
    period: String,
    first: Loc,
    /// Where a missing KPI is reported when it has no cell of its own.
    missing_at: Loc,
    slots: Vec<Option<Slot>>,
    broken: bool,
}

/// Scores every row of an import against the organization. Pure: no I/O.
pub fn score(org: &Org, import: &Import, opts: &Options) -> Scored {
    let sheets = &import.sheets;
    let scoring = &org.settings.scoring;
    let positions = Positions::new(org);
    let levels = Levels::new(&org.settings);
    let mut problems: Vec<(Option<Loc>, Diagnostic)> = Vec::new();
    for p in &import.problems {
        problems.push((None, p.clone()));
    }
    let cell = |loc: Loc| cell_at(&sheets[loc.sheet as usize], loc);
    let at = |rule: &check::Rule, loc: Loc, msg: String| rule.located(cell(loc), msg);

    let mut found_cache: HashMap<String, Option<usize>> = HashMap::default();
    let mut groups: Vec<Group> = Vec::new();
    let mut group_index: HashMap<(String, Option<String>, usize), usize> = HashMap::default();
    let mut seen: HashMap<(usize, usize), Loc> = HashMap::default();
    let mut rule_errors: HashSet<(usize, usize)> = HashSet::default();
    let mut rules: HashMap<(usize, usize), Result<Rule, Finding>> = HashMap::default();

    for row in &import.rows {
        // The position.
        let ptext = row.position.value.text();
        let pos = if ptext.is_empty() {
            problems.push((
                Some(row.position.loc),
                at(
                    &POSITION_UNKNOWN,
                    row.position.loc,
                    "this row has no position".into(),
                )
                .help("give the position's id, code or title in this cell"),
            ));
            None
        } else if let Some(hit) = found_cache.get(&ptext) {
            if hit.is_none() {
                problems.push((
                    Some(row.position.loc),
                    or_broken(
                        position_problem(&positions, org, &ptext, row.position.loc, sheets),
                        &opts.broken,
                        &ptext,
                    ),
                ));
            }
            *hit
        } else {
            let hit = match positions.find(&ptext) {
                Found::One(i) => Some(i),
                _ => None,
            };
            found_cache.insert(ptext.clone(), hit);
            if hit.is_none() {
                problems.push((
                    Some(row.position.loc),
                    or_broken(
                        position_problem(&positions, org, &ptext, row.position.loc, sheets),
                        &opts.broken,
                        &ptext,
                    ),
                ));
            }
            hit
        };
        let Some(pi) = pos else { continue };
        let p = &org.positions[pi];

        let employee = row
            .employee
            .as_ref()
            .map(|e| e.value.text())
            .filter(|e| !e.is_empty());
        let period = row
            .period
            .as_ref()
            .map(|e| e.value.text())
            .filter(|e| !e.is_empty())
            .or_else(|| opts.period.clone())
            .unwrap_or_else(|| NO_PERIOD.to_string());
        let gkey = (period.clone(), employee.clone(), pi);
        let gi = *group_index.entry(gkey).or_insert_with(|| {
            let missing_at = row.entries.first().map_or(row.position.loc, |e| {
                if e.kpi.loc.row == row.loc.row {
                    e.kpi.loc
                } else {
                    row.position.loc
                }
            });
            groups.push(Group {
                position: pi,
                employee: employee.clone(),
                period: period.clone(),
                first: row.position.loc,
                missing_at,
                slots: vec![None; p.kpis.len()],
                broken: false,
            });
            groups.len() - 1
        });

        for entry in &row.entries {
            let kname = entry.kpi.value.text();
            if kname.is_empty() {
                if !entry.actual.value.is_empty() {
                    problems.push((
                        Some(entry.kpi.loc),
                        at(
                            &KPI_UNKNOWN,
                            entry.kpi.loc,
                            format!("a result for {} names no KPI", show_position(p)),
                        )
                        .help(kpi_list(p)),
                    ));
                    groups[gi].broken = true;
                }
                continue;
            }
            let Some(ki) = find_kpi(p, &kname) else {
                let names: Vec<&str> = p.kpis.iter().map(|k| k.name.value.as_str()).collect();
                let mut prob = at(
                    &KPI_UNKNOWN,
                    entry.kpi.loc,
                    format!("KPI \"{kname}\" is not defined for {}", show_position(p)),
                );
                prob = match did_you_mean(&kname, &names) {
                    Some(s) => prob.help(format!("did you mean \"{s}\"?")),
                    None => prob.help(kpi_list(p)),
                };
                problems.push((Some(entry.kpi.loc), prob));
                groups[gi].broken = true;
                continue;
            };
            let kpi = &p.kpis[ki];
            let unit = kpi.unit.as_ref().map(|u| u.value.as_str());
            let pct = unit.is_some_and(|u| u.trim() == "%");

            // The duplicate check comes first: the same result twice is wrong even when empty.
            let key_loc = entry.actual.loc;
            let dup_key = (gi, ki);
            if let Some(first) = seen.get(&dup_key) {
                let who = match &groups[gi].employee {
                    Some(e) => format!("{e}, "),
                    None => String::new(),
                };
                problems.push((
                    Some(key_loc),
                    at(
                        &DUPLICATE_ROW,
                        key_loc,
                        format!(
                            "\"{}\" for {who}{} in {} is given twice",
                            kpi.name.value,
                            show_position(p),
                            groups[gi].period
                        ),
                    )
                    .related_at(cell(*first), "first given here")
                    .help("keep one of the two rows"),
                ));
                groups[gi].broken = true;
                continue;
            }
            seen.insert(dup_key, key_loc);

            // A row's own target.
            let mut row_target = None;
            if let Some(t) = &entry.target
                && !t.value.is_empty()
            {
                let parsed = match kpi.direction.value {
                    Direction::Band => match &t.value {
                        Value::Text(s) => parse_range(s, unit).map(|(a, b)| Target::Band(a, b)),
                        v => parse_number(v, unit).map(|n| Target::Value(n.for_unit(pct))),
                    },
                    _ => parse_number(&t.value, unit).map(|n| Target::Value(n.for_unit(pct))),
                };
                // One number for a band is the band from it to itself.
                let parsed = match (parsed, kpi.direction.value) {
                    (Some(Target::Value(v)), Direction::Band) => Some(Target::Band(v, v)),
                    (t, _) => t,
                };
                match parsed {
                    Some(t) => row_target = Some(t),
                    None => {
                        problems.push((
                                Some(t.loc),
                                at(
                                    &VALUE,
                                    t.loc,
                                    format!(
                                        "target \"{}\" of \"{}\" is not a number",
                                        t.value.text(),
                                        kpi.name.value
                                    ),
                                )
                                .help(if kpi.direction.value == Direction::Band {
                                    "write a range such as 25-35, or leave it empty for the position's target"
                                } else {
                                    "write a number such as 90 or 95%, or leave it empty for the position's target"
                                }),
                            ));
                        groups[gi].broken = true;
                        continue;
                    }
                }
            }

            // The actual value.
            if entry.actual.value.is_empty() {
                groups[gi].slots[ki] = Some(Slot::Empty(entry.actual.loc));
                continue;
            }
            let Some(n) = actual_number(&entry.actual, unit) else {
                groups[gi].broken = true;
                if matches!(entry.actual.value, Value::Unsaved(_)) {
                    // Reported by the importer, at its cell.
                    continue;
                }
                problems.push((
                    Some(entry.actual.loc),
                    value_problem(&entry.actual, kpi, sheets),
                ));
                continue;
            };
            let actual = n.for_unit(pct);
            let rule = match row_target {
                Some(t) => Rule::of(kpi, Some(t), scoring.cap),
                None => rules
                    .entry((pi, ki))
                    .or_insert_with(|| Rule::of(kpi, None, scoring.cap))
                    .clone(),
            };
            let rule = match rule {
                Ok(r) => r,
                Err(f) => {
                    groups[gi].broken = true;
                    if row_target.is_some() || rule_errors.insert((pi, ki)) {
                        problems.push((
                            Some(entry.actual.loc),
                            at(
                                &KPI_UNSCORABLE,
                                entry.actual.loc,
                                format!("{}, so {} cannot be scored", f.message, show_position(p)),
                            )
                            .position(&p.id)
                            .help(f.help)
                            .help(unscorable_help(p, f.rule)),
                        ));
                    }
                    continue;
                }
            };
            if let Err(msg) = check_actual(kpi, &rule, actual) {
                problems.push((Some(entry.actual.loc), at(&VALUE, entry.actual.loc, msg)));
                groups[gi].broken = true;
                continue;
            }
            groups[gi].slots[ki] = Some(Slot::Value {
                actual,
                loc: entry.actual.loc,
                target: row_target,
            });
        }
    }

    // Scorecards.
    let mut scorecards = Vec::new();
    let mut skipped = 0;
    // The weights of each position scored, judged once (an error keeps its people unscored).
    let mut weights_block: HashMap<usize, bool> = HashMap::default();
    for g in &groups {
        if g.broken {
            skipped += 1;
            continue;
        }
        let p = &org.positions[g.position];
        let blocks = *weights_block.entry(g.position).or_insert_with(|| {
            let mut blocks = false;
            // Equal weights (the milder case) score as kpi-scoring.md says: check's to mention.
            for f in definition::weights(&p.title.value, &p.kpis)
                .into_iter()
                .filter(|f| !f.milder)
            {
                let d = f
                    .at(cell(g.first))
                    .position(&p.id)
                    .help(unscorable_help(p, f.rule));
                if let Some(severity) = levels.severity(f.rule, d.severity) {
                    blocks |= severity == Severity::Error;
                    problems.push((Some(g.first), d));
                }
            }
            blocks
        });
        if blocks {
            skipped += 1;
            continue;
        }
        let w = weights(&p.kpis);
        let mut kpis = Vec::with_capacity(p.kpis.len());
        let mut broken = false;
        for (ki, kpi) in p.kpis.iter().enumerate() {
            let slot = g.slots[ki];
            let (actual, loc, row_target) = match slot {
                Some(Slot::Value {
                    actual,
                    loc,
                    target,
                }) => (Some(actual), Some(loc), target),
                Some(Slot::Empty(loc)) => (None, Some(loc), None),
                None => (None, None, None),
            };
            let rule = match row_target {
                Some(t) => Rule::of(kpi, Some(t), scoring.cap),
                None => rules
                    .entry((g.position, ki))
                    .or_insert_with(|| Rule::of(kpi, None, scoring.cap))
                    .clone(),
            };
            let rule = match rule {
                Ok(r) => Some(r),
                Err(f) if actual.is_none() => {
                    // Never scored anyway; say it once so the position file gets fixed.
                    if rule_errors.insert((g.position, ki)) {
                        problems.push((
                            Some(g.first),
                            KPI_UNSCORABLE
                                .milder_located(
                                    cell(g.first),
                                    format!(
                                        "{}: it cannot be scored for {}",
                                        f.message,
                                        show_position(p)
                                    ),
                                )
                                .position(&p.id)
                                .help(unscorable_help(p, f.rule)),
                        ));
                    }
                    None
                }
                Err(_) => {
                    broken = true;
                    None
                }
            };
            let (achievement, score) = match (actual, rule) {
                (Some(a), Some(r)) => (r.achievement(a), r.score(w[ki], a)),
                _ => (0.0, 0.0),
            };
            if actual.is_none() {
                let where_ = loc.unwrap_or(g.missing_at);
                let who = match &g.employee {
                    Some(e) => format!("{e}, {}", show_position(p)),
                    None => show_position(p),
                };
                problems.push((
                    Some(where_),
                    at(
                        &KPI_MISSING,
                        where_,
                        format!(
                            "no result for \"{}\" of {who} in {}: it scores 0 (no data)",
                            kpi.name.value, g.period
                        ),
                    ),
                ));
            }
            let target_json = match rule
                .map(|r| r.target)
                .or(kpi.target.as_ref().map(|t| t.value))
            {
                Some(Target::Value(t)) => serde_json::json!(t),
                Some(Target::Band(lo, hi)) => serde_json::json!([lo, hi]),
                None => serde_json::Value::Null,
            };
            kpis.push(KpiScore {
                name: kpi.name.value.clone(),
                unit: kpi.unit.as_ref().map(|u| u.value.clone()),
                direction: kpi.direction.value.as_str(),
                weight: w[ki],
                target: target_json,
                threshold: rule.map_or(0.0, |r| r.threshold),
                cap: rule.map_or(scoring.cap, |r| r.ceiling()),
                actual,
                achievement,
                score,
                missing: actual.is_none(),
                cell: loc
                    .filter(|_| actual.is_some())
                    .map(|l| super::sheet_ref(&sheets[l.sheet as usize].sheet, &l.a1())),
                rule_target: rule.map(|r| r.target),
            });
        }
        if broken {
            skipped += 1;
            continue;
        }
        let total: f64 = kpis.iter().map(|k| k.score).sum();
        scorecards.push(Scorecard {
            position: p.id.clone(),
            title: p.title.value.clone(),
            department: p.department.value.clone(),
            employee: g.employee.clone(),
            period: g.period.clone(),
            total,
            grade: grade(total, &scoring.bands).map(str::to_string),
            file: sheets[g.first.sheet as usize].file.clone(),
            kpis,
        });
    }
    scorecards.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.position.cmp(&b.position))
            .then_with(|| a.employee.cmp(&b.employee))
            .then_with(|| a.period.cmp(&b.period))
    });

    // 强制分布.
    let mut general = Vec::new();
    if !scorecards.is_empty() {
        for (label, share) in &scoring.quota {
            let n = scorecards
                .iter()
                .filter(|s| s.grade.as_deref() == Some(label.as_str()))
                .count();
            let actual_share = n as f64 / scorecards.len() as f64;
            if actual_share > *share {
                general.push(QUOTA.located(
                    Location::Nowhere,
                    format!(
                        "{n} of {} people ({}%) are graded {label}, above the quota of {}%",
                        scorecards.len(),
                        num(actual_share * 100.0),
                        num(share * 100.0)
                    ),
                ));
            }
        }
    }

    // Errors first, each group in workbook order.
    problems.sort_by(|a, b| {
        let sev = |p: &Diagnostic| std::cmp::Reverse(p.severity);
        sev(&a.1).cmp(&sev(&b.1)).then_with(|| a.0.cmp(&b.0))
    });
    let mut problems: Vec<Diagnostic> = problems.into_iter().map(|(_, p)| p).collect();
    problems.extend(general);
    levels.apply(&mut problems);

    Scored {
        scorecards,
        problems,
        skipped,
        max_total: 100.0 * scoring.cap,
        scoring: scoring.clone(),
    }
}

fn kpi_list(p: &Position) -> String {
    let names: Vec<String> = p
        .kpis
        .iter()
        .map(|k| format!("\"{}\"", k.name.value))
        .collect();
    if names.is_empty() {
        format!("{} has no [[kpis]]", show_position(p))
    } else {
        format!("the KPIs of {} are {}", p.title.value, names.join(", "))
    }
}

fn actual_number(f: &Field, unit: Option<&str>) -> Option<Number> {
    parse_number(&f.value, unit)
}

/// Where to fix a KPI definition `score` cannot use.
fn unscorable_help(p: &Position, rule: &check::Rule) -> String {
    format!(
        "fix the KPI in the position file `{}.toml`: rolebook check reports it as {}",
        p.id, rule.code
    )
}

fn value_problem(f: &Field, kpi: &Kpi, sheets: &[SheetSrc]) -> Diagnostic {
    let src = &sheets[f.loc.sheet as usize];
    let what = match &f.value {
        Value::Date(d) => format!("a date ({d})"),
        Value::Error(e) => format!("the error {e}"),
        Value::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        v => format!("\"{}\"", v.text()),
    };
    VALUE
        .located(
            cell_at(src, f.loc),
            format!(
                "the result for \"{}\" is {what}, not a number",
                kpi.name.value
            ),
        )
        .help("write a number such as 95, 95% or 1,234.5")
}

/// `d`, unless `text` is the id of a position file that could not be read: then that file's
/// error, at the same cell.
fn or_broken(d: Diagnostic, broken: &[(String, String, String)], text: &str) -> Diagnostic {
    match broken.iter().find(|(id, _, _)| id == text.trim()) {
        Some((id, file, error)) if d.code == POSITION_UNKNOWN.code => POSITION_BROKEN
            .located(
                d.at,
                format!(
                    "position `{id}` cannot be scored: its file `{file}` could not be read \
                     ({error})"
                ),
            )
            .help(format!(
                "fix `{file}` (rolebook check shows where), then run again"
            )),
        _ => d,
    }
}

fn position_problem(
    positions: &Positions<'_>,
    org: &Org,
    text: &str,
    loc: Loc,
    sheets: &[SheetSrc],
) -> Diagnostic {
    let src = &sheets[loc.sheet as usize];
    match positions.find(text) {
        Found::Ambiguous(many) => {
            let ids: Vec<String> = many
                .iter()
                .map(|&i| format!("`{}`", org.positions[i].id))
                .collect();
            POSITION_AMBIGUOUS
                .located(
                    cell_at(src, loc),
                    format!(
                        "\"{}\" is the title of {} positions",
                        text.trim(),
                        many.len()
                    ),
                )
                .help(format!(
                    "write the position's id instead: {}",
                    ids.join(" or ")
                ))
        }
        _ => {
            let p = POSITION_UNKNOWN.located(
                cell_at(src, loc),
                format!("no position has the id, code or title \"{}\"", text.trim()),
            );
            match positions.suggestion(text) {
                Some(s) => p.help(format!("did you mean \"{s}\"?")),
                None => p.help("write a position's id (its file name), `code` or `title`"),
            }
        }
    }
}

#[cfg(test)]
mod tests;
