//! The one view of the scorecards: what `scorecards.html` and `scorecards.pdf` show, decided
//! once. A [`Card`] is one person's 绩效考核表 (who, position, department, period, rater, each
//! KPI's figures as text with its bar, total, grade); an [`Overview`] is the 总览 page (grade
//! distribution against the quota, calibration by department and by rater with its flags,
//! the ranking with bars). Numbers are already text, rounded by the one rule of
//! [`crate::util::number`]; words come from [`crate::vocab`] in the organization's `lang`.
//! The HTML template and the PDF writer only lay these out.

use serde::{Serialize, Serializer};

use super::{DASH, Labels, direction_label, labels, percent_text, target_text, with_unit};
use crate::kpi::score::calibration::{Calibration, Flag, Group};
use crate::kpi::score::{Scorecard, Scored};
use crate::model::Lang;
use crate::util::number::{num, round2};
use crate::vocab::Term;

/// A share of a bar's track, 0 to 1. The template gets it as a percentage of the track's
/// width with at most two decimals (`91.67`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share(pub f64);

impl Share {
    /// `x` of `max`, within the track.
    pub fn of(x: f64, max: f64) -> Share {
        if max <= 0.0 || !x.is_finite() {
            return Share(0.0);
        }
        Share((x / max).clamp(0.0, 1.0))
    }
}

impl Share {
    /// The share as a percentage of the track with at most two decimals (`91.67`), as the
    /// HTML draws it.
    pub fn percent(self) -> String {
        num(self.0 * 100.0)
    }
}

impl Serialize for Share {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.percent())
    }
}

/// An achievement below this share of target is drawn in the warning colour.
const LOW: f64 = 0.6;

/// One KPI row of a [`Card`].
#[derive(Debug, Serialize)]
pub struct KpiRow<'a> {
    pub name: &'a str,
    pub direction: &'static str,
    pub weight: String,
    pub target: String,
    pub actual: String,
    pub achievement: String,
    pub score: String,
    pub missing: bool,
    /// Where the actual came from (`Sheet1!E7`), or empty.
    pub cell: &'a str,
    /// The bar: achievement on a track from 0 to the KPI's cap (at least 1), the target at
    /// `mark`; `low` below 60 % of target.
    pub bar: Share,
    pub mark: Share,
    pub low: bool,
}

/// One person's 绩效考核表.
#[derive(Debug, Serialize)]
pub struct Card<'a> {
    pub anchor: String,
    pub rank: usize,
    pub employee: &'a str,
    /// 工号, when known.
    pub employee_id: Option<&'a str>,
    pub title: &'a str,
    pub position: &'a str,
    pub department: &'a str,
    pub period: &'a str,
    /// The title of the position that rates this one (printed under 考核人签字), or "—".
    pub rater: &'a str,
    pub total: String,
    pub grade: &'a str,
    pub kpis: Vec<KpiRow<'a>>,
}

impl<'a> Card<'a> {
    /// The card of `c`, ranked `rank` (from 1), with the words of `lang`.
    pub fn new(c: &'a Scorecard, rank: usize, lang: Lang) -> Card<'a> {
        let l = labels(lang);
        Card {
            anchor: format!("card-{rank}"),
            rank,
            employee: c.employee.as_deref().unwrap_or(DASH),
            employee_id: c.employee_id.as_deref(),
            title: &c.title,
            position: &c.position,
            department: &c.department,
            period: &c.period,
            rater: c.rater.as_ref().map_or(DASH, |r| r.title.as_str()),
            total: round2(c.total),
            grade: c.grade.as_deref().unwrap_or(DASH),
            kpis: c
                .kpis
                .iter()
                .map(|k| {
                    let top = k.cap.max(1.0);
                    KpiRow {
                        name: &k.name,
                        direction: direction_label(k.direction, lang),
                        weight: num(k.weight),
                        target: with_unit(target_text(k), &k.unit),
                        actual: match k.actual {
                            Some(a) => with_unit(num(a), &k.unit),
                            None => l.no_data.to_string(),
                        },
                        achievement: if k.missing {
                            DASH.into()
                        } else {
                            percent_text(k.achievement)
                        },
                        score: round2(k.score),
                        missing: k.missing,
                        cell: k.cell.as_deref().unwrap_or(""),
                        bar: if k.missing {
                            Share(0.0)
                        } else {
                            Share::of(k.achievement, top)
                        },
                        mark: Share::of(1.0, top),
                        low: !k.missing && k.achievement < LOW,
                    }
                })
                .collect(),
        }
    }
}

/// One row of the ranking.
#[derive(Debug, Serialize)]
pub struct RankRow<'a> {
    pub anchor: String,
    pub rank: usize,
    pub employee: &'a str,
    pub title: &'a str,
    pub department: &'a str,
    pub period: &'a str,
    pub total: String,
    pub grade: &'a str,
    /// The total on a track from 0 to the highest possible total.
    pub bar: Share,
}

/// One grade of the distribution.
#[derive(Debug, Serialize)]
pub struct GradeRow {
    pub label: String,
    /// `≥ 90`.
    pub min: String,
    pub count: usize,
    pub share: String,
    /// The quota's share, or "—".
    pub quota: String,
    pub over: bool,
}

/// One group of the calibration (the company, a department, a rater).
#[derive(Debug, Serialize)]
pub struct GroupRow {
    pub name: String,
    /// A rater's position id; empty for departments.
    pub id: String,
    pub count: usize,
    pub mean: String,
    pub stdev: String,
    /// People in each grade, in the order of [`Overview::grade_labels`].
    pub grades: Vec<usize>,
    /// The flags in words, `；`-separated; empty when not flagged.
    pub flags: String,
}

/// The 总览 page.
#[derive(Debug, Serialize)]
pub struct Overview<'a> {
    /// The organization's name and the title (`示例科技有限公司 绩效考核计分卡`).
    pub heading: String,
    pub periods: String,
    pub count: usize,
    /// The band boundaries on the ranking bars.
    pub band_marks: Vec<Share>,
    /// `优秀 ≥ 90 · 良好 ≥ 80 … · 总分 0–120`.
    pub legend: String,
    pub grades: Vec<GradeRow>,
    pub grade_labels: Vec<&'a str>,
    pub company: GroupRow,
    pub departments: Vec<GroupRow>,
    pub managers: Vec<GroupRow>,
    /// One line per flagged rater or department: `客服部主管 (cs-supervisor)：全部为最高等级`.
    pub flagged: Vec<String>,
    pub ranking: Vec<RankRow<'a>>,
}

/// A group's flags in words, separated as a list is in `lang`.
pub(super) fn flag_words(flags: &[Flag], lang: Lang) -> String {
    let words: Vec<&str> = flags
        .iter()
        .map(|f| match f {
            Flag::AllTop => Term::FlagAllTop.text(lang),
            Flag::High => Term::FlagHigh.text(lang),
            Flag::Low => Term::FlagLow.text(lang),
        })
        .collect();
    words.join(Term::ListSeparator.text(lang))
}

fn group(name: String, id: String, g: &Group, lang: Lang) -> GroupRow {
    GroupRow {
        name,
        id,
        count: g.count,
        mean: round2(g.mean),
        stdev: round2(g.stdev),
        grades: g.grades.0.iter().map(|(_, n)| *n).collect(),
        flags: flag_words(&g.flags, lang),
    }
}

impl<'a> Overview<'a> {
    pub fn new(scored: &'a Scored, org_name: Option<&str>, lang: Lang) -> Overview<'a> {
        let l: &Labels = labels(lang);
        let cards = &scored.scorecards;
        let max = scored.max_total.max(1.0);
        let org = org_name.unwrap_or("").trim();
        let heading = match (org.is_empty(), lang) {
            (true, _) => l.title.to_string(),
            (false, Lang::Zh) => format!("{org} {}", l.title),
            (false, Lang::En) => format!("{org} · {}", l.title),
        };
        let mut periods: Vec<&str> = cards.iter().map(|c| c.period.as_str()).collect();
        periods.sort_unstable();
        periods.dedup();
        let bands = &scored.scoring.bands;
        let legend_bands: Vec<String> = bands
            .iter()
            .filter(|b| b.min > 0.0)
            .map(|b| format!("{} ≥ {}", b.label, num(b.min)))
            .collect();
        let legend = if legend_bands.is_empty() {
            String::new()
        } else {
            format!("{} · {} 0–{}", legend_bands.join(" · "), l.total, num(max))
        };
        let Calibration {
            company,
            departments,
            managers,
        } = &scored.calibration;
        let n = cards.len();
        let grades = bands
            .iter()
            .zip(&company.grades.0)
            .map(|(b, (_, count))| {
                let quota = scored
                    .scoring
                    .quota
                    .iter()
                    .find(|(label, _)| *label == b.label)
                    .map(|(_, q)| *q);
                let share = if n == 0 {
                    0.0
                } else {
                    *count as f64 / n as f64
                };
                GradeRow {
                    label: b.label.clone(),
                    min: format!("≥ {}", num(b.min)),
                    count: *count,
                    share: percent_text(share),
                    quota: quota.map_or(DASH.to_string(), percent_text),
                    over: quota.is_some_and(|q| share > q),
                }
            })
            .collect();
        let departments: Vec<GroupRow> = departments
            .iter()
            .map(|d| group(d.name.clone(), String::new(), &d.group, lang))
            .collect();
        let managers: Vec<GroupRow> = managers
            .iter()
            .map(|m| group(m.title.clone(), m.position.clone(), &m.group, lang))
            .collect();
        let colon = Term::Colon.text(lang);
        let flagged = managers
            .iter()
            .filter(|g| !g.flags.is_empty())
            .map(|g| format!("{} ({}){colon}{}", g.name, g.id, g.flags))
            .chain(
                departments
                    .iter()
                    .filter(|g| !g.flags.is_empty())
                    .map(|g| format!("{}{colon}{}", g.name, g.flags)),
            )
            .collect();
        Overview {
            heading,
            periods: periods.join(", "),
            count: n,
            band_marks: bands
                .iter()
                .filter(|b| b.min > 0.0)
                .map(|b| Share::of(b.min, max))
                .collect(),
            legend,
            grades,
            grade_labels: bands.iter().map(|b| b.label.as_str()).collect(),
            company: group(
                Term::Company.text(lang).to_string(),
                String::new(),
                company,
                lang,
            ),
            departments,
            managers,
            flagged,
            ranking: cards
                .iter()
                .enumerate()
                .map(|(i, c)| RankRow {
                    anchor: format!("card-{}", i + 1),
                    rank: i + 1,
                    employee: c.employee.as_deref().unwrap_or(DASH),
                    title: &c.title,
                    department: &c.department,
                    period: &c.period,
                    total: round2(c.total),
                    grade: c.grade.as_deref().unwrap_or(DASH),
                    bar: Share::of(c.total, max),
                })
                .collect(),
        }
    }
}
