//! The later phases of [`super::score`]: a scorecard for each group that is not broken (the
//! position's weights judged, each KPI's achievement and score, total and grade), the cards
//! ranked, and the grade quota (强制分布) checked.

use rustc_hash::FxHashMap as HashMap;

use super::matching::{show_position, unscorable_help};
use super::rows::{Group, Slot};
use super::{
    Broken, KPI_MISSING, KPI_UNSCORABLE, KpiScore, QUOTA, Rater, Run, Scorecard, grade, weights,
};
use crate::diag::{Diagnostic, Location, Severity};
use crate::kpi::{Loc, definition};
use crate::model::{Kpi, Org, Position, Scoring, Superior, Target};
use crate::util::number::num;

impl Run<'_> {
    /// Phase 2: the scorecard of each group, and how many groups were skipped (broken, or of a
    /// position whose weights are in error, or with a KPI that cannot be scored).
    pub(super) fn scorecards(&mut self, groups: &[Group]) -> (Vec<Scorecard>, usize) {
        let mut scorecards = Vec::new();
        let mut skipped = 0;
        // The weights of each position scored, judged once (an error keeps its people unscored).
        let mut weights_block: HashMap<usize, bool> = HashMap::default();
        for g in groups {
            match self.scorecard(g, &mut weights_block) {
                Some(card) => scorecards.push(card),
                None => skipped += 1,
            }
        }
        (scorecards, skipped)
    }

    /// The scorecard of one group, or `None` when it is not scored.
    fn scorecard(
        &mut self,
        g: &Group,
        weights_block: &mut HashMap<usize, bool>,
    ) -> Option<Scorecard> {
        if g.broken || self.weights_block(g, weights_block) {
            return None;
        }
        let kpis = self.kpi_scores(g)?;
        Some(self.total_and_grade(g, kpis))
    }

    /// Whether the weights of `g`'s position keep its people unscored, judged on the first
    /// group of the position (its findings reported at that group's first cell) and then
    /// remembered in `judged`. Equal weights (the milder case) score as kpi-scoring.md says:
    /// check's to mention.
    fn weights_block(&mut self, g: &Group, judged: &mut HashMap<usize, bool>) -> bool {
        if let Some(&blocks) = judged.get(&g.position) {
            return blocks;
        }
        let p = &self.org.positions[g.position];
        let mut blocks = false;
        for f in definition::weights(&p.title.value, &p.kpis)
            .into_iter()
            .filter(|f| !f.milder)
        {
            let d = f
                .at(self.cell(g.first))
                .position(&p.id)
                .help(unscorable_help(p, f.rule));
            if let Some(severity) = self.levels.severity(f.rule, d.severity) {
                blocks |= severity == Severity::Error;
                self.problems.push((Some(g.first), d));
            }
        }
        judged.insert(g.position, blocks);
        blocks
    }

    /// The score of each KPI of `g`'s position, in its order; `None` when a KPI's rule cannot
    /// score the value it has (every KPI is still gone through, so each missing one is told).
    fn kpi_scores(&mut self, g: &Group) -> Option<Vec<KpiScore>> {
        let org = self.org;
        let p = &org.positions[g.position];
        let w = weights(&p.kpis);
        let mut kpis = Vec::with_capacity(p.kpis.len());
        let mut broken = false;
        for (ki, kpi) in p.kpis.iter().enumerate() {
            match self.kpi_score(g, p, ki, kpi, w[ki]) {
                Ok(k) => kpis.push(k),
                Err(Broken) => broken = true,
            }
        }
        (!broken).then_some(kpis)
    }

    /// One KPI of `g` (the `ki`th of `p`) with `weight`: its rule, achievement and score. A
    /// KPI without a value scores 0 and is reported as missing; one whose definition cannot
    /// be scored is reported once, at the group's first cell.
    fn kpi_score(
        &mut self,
        g: &Group,
        p: &Position,
        ki: usize,
        kpi: &Kpi,
        weight: f64,
    ) -> Result<KpiScore, Broken> {
        let (actual, loc, row_target) = match g.slots[ki] {
            Some(Slot::Value {
                actual,
                loc,
                target,
            }) => (Some(actual), Some(loc), target),
            Some(Slot::Empty(loc)) => (None, Some(loc), None),
            None => (None, None, None),
        };
        let rule = match self.rule(g.position, ki, row_target) {
            Ok(r) => Some(r),
            Err(f) if actual.is_none() => {
                // Never scored anyway; say it once so the position file gets fixed.
                if self.rule_errors.insert((g.position, ki)) {
                    let d = KPI_UNSCORABLE
                        .milder_located(
                            self.cell(g.first),
                            format!(
                                "{}: it cannot be scored for {}",
                                f.message,
                                show_position(p)
                            ),
                        )
                        .position(&p.id)
                        .help(unscorable_help(p, f.rule));
                    self.problems.push((Some(g.first), d));
                }
                None
            }
            Err(_) => return Err(Broken),
        };
        let (achievement, score) = match (actual, rule) {
            (Some(a), Some(r)) => (r.achievement(a), r.score(weight, a)),
            _ => (0.0, 0.0),
        };
        if actual.is_none() {
            self.missing(g, p, kpi, loc);
        }
        let target_json = match rule
            .map(|r| r.target)
            .or(kpi.target.as_ref().map(|t| t.value))
        {
            Some(Target::Value(t)) => serde_json::json!(t),
            Some(Target::Band(lo, hi)) => serde_json::json!([lo, hi]),
            None => serde_json::Value::Null,
        };
        let cap = self.org.settings.scoring.cap;
        Ok(KpiScore {
            name: kpi.name.value.clone(),
            unit: kpi.unit.as_ref().map(|u| u.value.clone()),
            direction: kpi.direction.value.as_str(),
            weight,
            target: target_json,
            threshold: rule.map_or(0.0, |r| r.threshold),
            cap: rule.map_or(cap, |r| r.ceiling()),
            actual,
            achievement,
            score,
            missing: actual.is_none(),
            cell: loc
                .filter(|_| actual.is_some())
                .map(|l| crate::kpi::sheet_ref(&self.sheets[l.sheet as usize].sheet, &l.a1())),
            rule_target: rule.map(|r| r.target),
        })
    }

    /// A KPI of `g` without a result: a warning at its empty cell, else where the group's
    /// results start.
    fn missing(&mut self, g: &Group, p: &Position, kpi: &Kpi, loc: Option<Loc>) {
        let where_ = loc.unwrap_or(g.missing_at);
        let who = match &g.employee {
            Some(e) => format!("{e}, {}", show_position(p)),
            None => show_position(p),
        };
        let d = self.at(
            &KPI_MISSING,
            where_,
            format!(
                "no result for \"{}\" of {who} in {}: it scores 0 (no data)",
                kpi.name.value, g.period
            ),
        );
        self.problems.push((Some(where_), d));
    }

    /// Phase 3: the scorecard of `g` from its KPI scores, with their total and its grade.
    fn total_and_grade(&self, g: &Group, kpis: Vec<KpiScore>) -> Scorecard {
        let p = &self.org.positions[g.position];
        let total: f64 = kpis.iter().map(|k| k.score).sum();
        Scorecard {
            position: p.id.clone(),
            title: p.title.value.clone(),
            department: p.department.value.clone(),
            employee: g.employee.clone(),
            employee_id: g.employee_id.clone(),
            rater: rater(self.org, p),
            period: g.period.clone(),
            total,
            grade: grade(total, &self.org.settings.scoring.bands).map(str::to_string),
            file: self.sheets[g.first.sheet as usize].file.clone(),
            kpis,
        }
    }
}

/// Who rates the people of `p`: the position (or `[external]` superior) it reports to.
fn rater(org: &Org, p: &Position) -> Option<Rater> {
    let (position, title) = match org.superior(p) {
        Superior::None => return None,
        Superior::Position(s) => (s.id.clone(), s.title.value.clone()),
        Superior::External(e) => (e.id.value.clone(), e.title.value.clone()),
        Superior::Unknown => {
            let id = p.reports_to.as_ref()?.value.clone();
            (id.clone(), id)
        }
    };
    Some(Rater { position, title })
}

/// Highest total first, then by position, employee and period.
pub(super) fn rank(scorecards: &mut [Scorecard]) {
    scorecards.sort_by(|a, b| {
        b.total
            .total_cmp(&a.total)
            .then_with(|| a.position.cmp(&b.position))
            .then_with(|| a.employee.cmp(&b.employee))
            .then_with(|| a.period.cmp(&b.period))
    });
}

/// 强制分布: a problem for each grade given to a larger share of the people than
/// `[scoring] quota` allows.
pub(super) fn quota_problems(scorecards: &[Scorecard], scoring: &Scoring) -> Vec<Diagnostic> {
    let mut general = Vec::new();
    if scorecards.is_empty() {
        return general;
    }
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
    general
}
