//! Rows -> [`Scorecard`]s: the formula of kpi-scoring.md as pure functions, and the matching of
//! rows to positions and KPIs with every problem collected (never an early return).
//!
//! [`score`] is the pipeline; its phases are in `rows.rs` (rows matched and grouped, results
//! validated) and `cards.rs` (scorecards, rank, quota), the lookup of positions and KPIs in
//! `matching.rs`.
//!
//! ```text
//! achievement a = (A - Z) / (T - Z)
//! score         = w × clamp(a, 0, cap)
//! ```
//!
//! Everything is computed in f64; rounding ([`crate::util::number`]) is for display only.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use serde::Serialize;

use super::definition::{self, Finding};
use super::import::Import;
use super::{Loc, SheetSrc, cell_at};
use crate::check::{self, Levels};
use crate::diag::{Diagnostic, Location, Severity};
use crate::model::{Band, Direction, Kpi, Org, Scoring, Target};
use crate::util::number::num;

pub mod calibration;
mod cards;
pub(crate) mod matching;
mod rows;

use matching::Positions;

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
    "a result or a row's target is not a number, a result is negative where its KPI's unit or direction makes that impossible (a count, a duration, a percentage, a `lower` KPI), or a rating is outside 0 to its scale",
    "write a number such as 95, 95% or 1,234.5",
)
.fixed()
.of_score();

pub const IMPLAUSIBLE_VALUE: check::Rule = check::Rule::new(
    "implausible-value",
    Severity::Warning,
    "a result is far outside any plausible range for its KPI: more than 10 times its target (or threshold, or band), and for a percentage also over 1000 %",
    "check the value and its unit (9500 typed for 95%, 元 for 万元); it is scored as given",
)
.of_score();

pub const TWO_POSITIONS: check::Rule = check::Rule::new(
    "two-positions",
    Severity::Warning,
    "the same person is scored under two positions in one period (both cells named)",
    "check the position of the person's rows; a person who changed position in the period is scored under both",
)
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

pub const PERIOD: check::Rule = check::Rule::new(
    "period",
    Severity::Error,
    "rows have no period: their sheet has no 期间 column, or the cell is blank, and `--period` is not given (said once per sheet)",
    "fill in the 期间 column, or give the period of the rows without one: score --period 2024Q1",
)
.fixed()
.of_score();

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

/// A percentage above this is far outside any plausible range (an `implausible-value`).
pub const PLAUSIBLE_PERCENT: f64 = 1000.0;
/// A result more than this many times the size of its KPI's scale (the largest of its
/// target, threshold and band) is far outside any plausible range (an `implausible-value`).
pub const PLAUSIBLE_TIMES: f64 = 10.0;

/// Why an actual value cannot be scored (a rating outside its scale, a negative where the
/// KPI's unit or direction makes one impossible: [`definition::negative_allowed`]), if so.
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
    if actual < 0.0 && !definition::negative_allowed(kpi) {
        let unit = kpi.unit.as_ref().map(|u| u.value.trim()).unwrap_or("");
        let why = if unit == "%" {
            "a percentage (a satisfaction, a rate, a share)".to_string()
        } else if definition::COUNT_UNITS.contains(&unit) {
            format!("a count or duration ({unit})")
        } else {
            "a `lower` KPI (a cost, a count, a delay)".to_string()
        };
        return Err(format!(
            "\"{name}\" cannot be negative ({}{unit}): {why} is never below 0",
            num(actual),
        ));
    }
    Ok(())
}

/// Why an actual value is far outside any plausible range for its KPI, if so: more than
/// [`PLAUSIBLE_TIMES`] the size of the KPI's scale (its target, threshold or band, whichever
/// is largest), and for a percentage also above [`PLAUSIBLE_PERCENT`]. Likely a slip (95 %
/// typed as 9500, an amount in 元 where 万元 was meant), but possible: a warning.
pub fn implausible(kpi: &Kpi, rule: &Rule, actual: f64) -> Option<String> {
    if rule.direction == Direction::Rating {
        return None;
    }
    let name = &kpi.name.value;
    let unit = kpi.unit.as_ref().map(|u| u.value.trim()).unwrap_or("");
    let size = match rule.target {
        Target::Value(t) => t.abs().max(rule.threshold.abs()),
        Target::Band(lo, hi) => lo.abs().max(hi.abs()) + rule.threshold.abs(),
    };
    let mut limit = PLAUSIBLE_TIMES * size;
    if unit == "%" {
        limit = limit.max(PLAUSIBLE_PERCENT);
    }
    if limit <= 0.0 || actual.abs() <= limit {
        return None;
    }
    let scale = match rule.target {
        Target::Value(t) => format!(
            "the larger of its target ({}{unit}) and the value that earns zero ({}{unit})",
            num(t),
            num(rule.threshold)
        ),
        Target::Band(lo, hi) => format!(
            "its band ({}–{}{unit}) with the distance at which it earns zero ({}{unit})",
            num(lo),
            num(hi),
            num(rule.threshold)
        ),
    };
    Some(if unit == "%" && limit == PLAUSIBLE_PERCENT {
        format!(
            "{}% for \"{name}\" is far outside any plausible percentage (over {}%)",
            num(actual),
            num(PLAUSIBLE_PERCENT)
        )
    } else {
        format!(
            "{}{unit} for \"{name}\" is more than {} times {scale}",
            num(actual),
            num(PLAUSIBLE_TIMES),
        )
    })
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
    /// 工号, when the workbook gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee_id: Option<String>,
    /// Who rates this person: the position the scored one reports to (`reports_to`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rater: Option<Rater>,
    pub period: String,
    pub total: f64,
    pub grade: Option<String>,
    /// The workbook the results came from.
    pub file: String,
    pub kpis: Vec<KpiScore>,
}

/// The position that rates a scorecard's person (考核人): the scored position's `reports_to`,
/// a position of the organization or an `[external]` superior.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rater {
    /// Its id (what `reports_to` says).
    pub position: String,
    /// Its title; the id itself when `reports_to` names nothing known.
    pub title: String,
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
    /// 校准: by department and by rater ([`calibration`]).
    pub calibration: calibration::Calibration,
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
    /// `--period`: for rows without a period (without either, a row is in error).
    pub period: Option<String>,
    /// Position files that could not be read: (id, file, first error). A row naming one is
    /// told why, not that no position has the id.
    pub broken: Vec<(String, String, String)>,
}

/// Scores every row of an import against the organization. Pure: no I/O.
///
/// The phases: rows are matched to positions and grouped by person and period, each result
/// matched to a KPI and validated (`Run::group_rows`); each group that is not in error gets a
/// scorecard with each KPI's score, the total and the grade (`Run::scorecards`); the cards are
/// ranked and the grade quota checked; the problems of every phase are sorted last.
pub fn score(org: &Org, import: &Import, opts: &Options) -> Scored {
    let scoring = &org.settings.scoring;
    let mut run = Run::new(org, import, opts);
    let groups = run.group_rows(&import.rows);
    let (mut scorecards, skipped) = run.scorecards(&groups);
    cards::rank(&mut scorecards);
    let quota = cards::quota_problems(&scorecards, scoring);
    let calibration = calibration::calibrate(&scorecards, scoring, |c| {
        c.rater
            .as_ref()
            .map(|r| (r.position.as_str(), r.title.as_str()))
    });
    Scored {
        calibration,
        scorecards,
        problems: run.into_problems(quota),
        skipped,
        max_total: 100.0 * scoring.cap,
        scoring: scoring.clone(),
    }
}

/// A result in error, or a KPI whose rule cannot score the value it has: already reported (or
/// by the importer), and its group is not scored.
struct Broken;

/// One run of [`score`]: what its phases read, the rules they share, and the problems found so
/// far, each with the cell it is sorted by.
struct Run<'a> {
    org: &'a Org,
    sheets: &'a [SheetSrc],
    opts: &'a Options,
    positions: Positions<'a>,
    levels: Levels,
    /// The rule of each (position, KPI) without a row's own target, resolved once.
    rules: HashMap<(usize, usize), Result<Rule, Finding>>,
    /// The (position, KPI) pairs whose definition was reported as unscorable.
    rule_errors: HashSet<(usize, usize)>,
    problems: Vec<(Option<Loc>, Diagnostic)>,
}

impl<'a> Run<'a> {
    /// A run that starts with the importer's problems.
    fn new(org: &'a Org, import: &'a Import, opts: &'a Options) -> Self {
        Run {
            org,
            sheets: &import.sheets,
            opts,
            positions: Positions::new(org),
            levels: Levels::new(&org.settings),
            rules: HashMap::default(),
            rule_errors: HashSet::default(),
            problems: import.problems.iter().map(|p| (None, p.clone())).collect(),
        }
    }

    /// The finding location of a cell.
    fn cell(&self, loc: Loc) -> Location {
        cell_at(&self.sheets[loc.sheet as usize], loc)
    }

    /// A finding of `rule` at a cell.
    fn at(&self, rule: &check::Rule, loc: Loc, msg: String) -> Diagnostic {
        rule.located(self.cell(loc), msg)
    }

    /// The rule of KPI `ki` of position `pi`: with a row's own `target` resolved each time,
    /// else resolved once and remembered.
    fn rule(&mut self, pi: usize, ki: usize, target: Option<Target>) -> Result<Rule, Finding> {
        let kpi = &self.org.positions[pi].kpis[ki];
        let cap = self.org.settings.scoring.cap;
        match target {
            Some(t) => Rule::of(kpi, Some(t), cap),
            None => self
                .rules
                .entry((pi, ki))
                .or_insert_with(|| Rule::of(kpi, None, cap))
                .clone(),
        }
    }

    /// Last: the problems, errors first, each severity in workbook order, then `general` (the
    /// quota's), with the `[checks]` levels applied.
    fn into_problems(self, general: Vec<Diagnostic>) -> Vec<Diagnostic> {
        let mut problems = self.problems;
        problems.sort_by(|a, b| {
            let sev = |p: &Diagnostic| std::cmp::Reverse(p.severity);
            sev(&a.1).cmp(&sev(&b.1)).then_with(|| a.0.cmp(&b.0))
        });
        let mut problems: Vec<Diagnostic> = problems.into_iter().map(|(_, p)| p).collect();
        problems.extend(general);
        self.levels.apply(&mut problems);
        problems
    }
}

#[cfg(test)]
mod tests;
