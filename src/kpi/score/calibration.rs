//! 校准 (calibration): the scorecards grouped by department and by the position that rates
//! them (the rated position's `reports_to`), each group with its count, mean, spread and
//! grade counts, and the groups that rate out of line with the company flagged.
//!
//! The spread is the population standard deviation (divided by n, not n − 1): a group here is
//! every person a manager rated, not a sample of them. The flags (kpi-scoring.md):
//!
//! Only groups of at least [`MIN_GROUP`] people are flagged (one person's score says nothing
//! about how their rater rates):
//!
//! * [`Flag::AllTop`]: everyone in the group has the top grade;
//! * [`Flag::High`] / [`Flag::Low`]: the group's mean is at least [`FAR_POINTS`] points above
//!   (below) the company's mean *and* more than one company standard deviation from it.

use serde::ser::{Serialize, SerializeMap, Serializer};

use super::Scorecard;
use crate::model::Scoring;

/// The smallest group that is flagged.
pub const MIN_GROUP: usize = 2;
/// How far, in points, a group's mean must be from the company's to be flagged (and also more
/// than one company standard deviation).
pub const FAR_POINTS: f64 = 10.0;

/// Why a group is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Flag {
    /// Everyone in the top grade.
    #[serde(rename = "all-top-grade")]
    AllTop,
    /// The mean far above the company's.
    #[serde(rename = "mean-high")]
    High,
    /// The mean far below the company's.
    #[serde(rename = "mean-low")]
    Low,
}

/// Count, mean, spread and grade counts of some scorecards.
#[derive(Debug, Clone, Default, PartialEq)]
struct Stats {
    pub count: usize,
    pub mean: f64,
    /// Population standard deviation of the totals.
    pub stdev: f64,
    /// The number of people in each grade, in the order of `[scoring].bands` (highest first);
    /// a scorecard without a grade counts in none.
    pub grades: Grades,
}

/// Grade counts in band order: serialized as a JSON object `{"优秀": 2, "良好": 0, …}` whose
/// keys keep that order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grades(pub Vec<(String, usize)>);

impl Serialize for Grades {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (label, n) in &self.0 {
            m.serialize_entry(label, n)?;
        }
        m.end()
    }
}

/// The figures of a group: count, mean, spread, grade counts and flags.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Group {
    pub count: usize,
    pub mean: f64,
    /// Population standard deviation of the totals.
    pub stdev: f64,
    pub grades: Grades,
    pub flags: Vec<Flag>,
}

impl Group {
    /// The group of `s`, flagged against the company's `company`.
    fn of(s: Stats, company: &Stats) -> Group {
        Group {
            flags: flags(&s, company),
            count: s.count,
            mean: s.mean,
            stdev: s.stdev,
            grades: s.grades,
        }
    }
}

/// One department's people.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Department {
    pub name: String,
    #[serde(flatten)]
    pub group: Group,
}

/// The people one position rates (whose positions report to it).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Manager {
    /// The rating position's id (or the `[external]` superior's).
    pub position: String,
    pub title: String,
    #[serde(flatten)]
    pub group: Group,
}

/// The calibration of a run: the company as a whole, then by department and by rater, each
/// sorted by name (id for raters).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Calibration {
    /// Everyone scored (never flagged).
    #[serde(skip)]
    pub company: Group,
    pub departments: Vec<Department>,
    pub managers: Vec<Manager>,
}

impl Calibration {
    /// Whether any department or rater is flagged.
    pub fn flagged(&self) -> bool {
        self.departments.iter().any(|d| !d.group.flags.is_empty())
            || self.managers.iter().any(|m| !m.group.flags.is_empty())
    }
}

/// A running sum of a group's totals and grades (Welford's mean and variance: one pass,
/// stable for large groups).
#[derive(Debug, Clone)]
struct Acc {
    n: usize,
    mean: f64,
    m2: f64,
    grades: Vec<usize>,
}

impl Acc {
    fn new(bands: usize) -> Acc {
        Acc {
            n: 0,
            mean: 0.0,
            m2: 0.0,
            grades: vec![0; bands],
        }
    }

    fn add(&mut self, total: f64, grade: Option<usize>) {
        self.n += 1;
        let d = total - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (total - self.mean);
        if let Some(g) = grade {
            self.grades[g] += 1;
        }
    }

    fn stats(&self, scoring: &Scoring) -> Stats {
        Stats {
            count: self.n,
            mean: self.mean,
            stdev: if self.n == 0 {
                0.0
            } else {
                (self.m2 / self.n as f64).max(0.0).sqrt()
            },
            grades: Grades(
                scoring
                    .bands
                    .iter()
                    .zip(&self.grades)
                    .map(|(b, n)| (b.label.clone(), *n))
                    .collect(),
            ),
        }
    }
}

/// The flags of a group with `s` against the company's `company`.
fn flags(s: &Stats, company: &Stats) -> Vec<Flag> {
    let mut out = Vec::new();
    if s.count < MIN_GROUP {
        return out;
    }
    let top = s.grades.0.first().map_or(0, |(_, n)| *n);
    if top == s.count {
        out.push(Flag::AllTop);
    }
    let d = s.mean - company.mean;
    if d.abs() >= FAR_POINTS && d.abs() > company.stdev {
        out.push(if d > 0.0 { Flag::High } else { Flag::Low });
    }
    out
}

/// The calibration of `cards`; `rater(card)` is the (id, title) of the position that rates
/// the card's position, if any.
pub fn calibrate<'a>(
    cards: &'a [Scorecard],
    scoring: &Scoring,
    rater: impl Fn(&'a Scorecard) -> Option<(&'a str, &'a str)>,
) -> Calibration {
    use std::collections::BTreeMap;
    let bands = scoring.bands.len();
    let grade_of = |c: &Scorecard| {
        c.grade
            .as_deref()
            .and_then(|g| scoring.bands.iter().position(|b| b.label == g))
    };
    let mut company = Acc::new(bands);
    let mut departments: BTreeMap<&str, Acc> = BTreeMap::new();
    let mut managers: BTreeMap<&str, (&str, Acc)> = BTreeMap::new();
    for c in cards {
        let g = grade_of(c);
        company.add(c.total, g);
        departments
            .entry(c.department.as_str())
            .or_insert_with(|| Acc::new(bands))
            .add(c.total, g);
        if let Some((id, title)) = rater(c) {
            managers
                .entry(id)
                .or_insert_with(|| (title, Acc::new(bands)))
                .1
                .add(c.total, g);
        }
    }
    let company = company.stats(scoring);
    let departments = departments
        .into_iter()
        .map(|(name, acc)| Department {
            name: name.to_string(),
            group: Group::of(acc.stats(scoring), &company),
        })
        .collect();
    let managers = managers
        .into_iter()
        .map(|(id, (title, acc))| Manager {
            position: id.to_string(),
            title: title.to_string(),
            group: Group::of(acc.stats(scoring), &company),
        })
        .collect();
    Calibration {
        company: Group {
            flags: Vec::new(),
            count: company.count,
            mean: company.mean,
            stdev: company.stdev,
            grades: company.grades,
        },
        departments,
        managers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scorecard of `department`, rated by `rater`, with `total` and its grade.
    fn card(department: &str, rater: &str, total: f64) -> (Scorecard, String) {
        let scoring = Scoring::default();
        let card = Scorecard {
            position: "p".into(),
            title: "t".into(),
            department: department.into(),
            employee: None,
            employee_id: None,
            rater: None,
            period: "2024Q1".into(),
            total,
            grade: crate::kpi::score::grade(total, &scoring.bands).map(str::to_string),
            file: String::new(),
            kpis: Vec::new(),
        };
        (card, rater.to_string())
    }

    fn run(cards: &[(Scorecard, String)]) -> Calibration {
        let only: Vec<Scorecard> = cards.iter().map(|(c, _)| c.clone()).collect();
        calibrate(&only, &Scoring::default(), |c| {
            let i = only.iter().position(|o| std::ptr::eq(o, c))?;
            let r = cards[i].1.as_str();
            (!r.is_empty()).then_some((r, r))
        })
    }

    /// Worked by hand. Totals 60, 70, 80 (rater a), 95, 97 (rater b), 50 (rater c alone),
    /// 20, 30 (rater d), and one of 70 nobody rates: nine people, sum 572, mean 63.555…;
    /// squared deviations 12.64, 41.53, 270.42, 988.75, 1118.53, 183.75, 1897.09, 1125.98,
    /// 41.53 sum to 5680.22, population stdev √(5680.22 / 9) = √631.136 = 25.1224.
    /// * a: mean 70 (6.44 from the company's: not far), stdev √(200 / 3) = 8.165.
    /// * b: both 优秀 (≥ 90): all-top-grade; mean 96, 32.44 above, more than 25.12: mean-high.
    /// * c: one person (50): never flagged, however far.
    /// * d: mean 25, 38.56 below: mean-low; stdev 5.
    #[test]
    fn groups_are_counted_and_flagged_as_documented() {
        let cards = [
            card("x", "a", 60.0),
            card("x", "a", 70.0),
            card("x", "a", 80.0),
            card("y", "b", 95.0),
            card("y", "b", 97.0),
            card("y", "c", 50.0),
            card("z", "d", 20.0),
            card("z", "d", 30.0),
            card("z", "", 70.0),
        ];
        let cal = run(&cards);
        assert_eq!(cal.company.count, 9);
        assert!((cal.company.mean - 572.0 / 9.0).abs() < 1e-9);
        assert!(
            (cal.company.stdev - 25.1224).abs() < 1e-4,
            "{}",
            cal.company.stdev
        );
        let m: Vec<(&str, usize, f64, f64, &[Flag])> = cal
            .managers
            .iter()
            .map(|m| {
                let g = &m.group;
                (m.position.as_str(), g.count, g.mean, g.stdev, &g.flags[..])
            })
            .collect();
        assert_eq!(m.len(), 4);
        assert_eq!((m[0].0, m[0].1), ("a", 3));
        assert!((m[0].2 - 70.0).abs() < 1e-9 && (m[0].3 - (200.0f64 / 3.0).sqrt()).abs() < 1e-9);
        assert!(m[0].4.is_empty());
        assert_eq!(
            (m[1].0, m[1].1, m[1].4),
            ("b", 2, &[Flag::AllTop, Flag::High][..])
        );
        assert!((m[1].2 - 96.0).abs() < 1e-9 && (m[1].3 - 1.0).abs() < 1e-9);
        assert_eq!((m[2].0, m[2].1, m[2].4), ("c", 1, &[][..]));
        assert_eq!((m[3].0, m[3].1, m[3].4), ("d", 2, &[Flag::Low][..]));
        assert!((m[3].2 - 25.0).abs() < 1e-9 && (m[3].3 - 5.0).abs() < 1e-9);
        // Departments: x = 60, 70, 80; y = 95, 97, 50 (mean 80.67); z = 20, 30, 70 (40).
        let d: Vec<(&str, usize)> = cal
            .departments
            .iter()
            .map(|d| (d.name.as_str(), d.group.count))
            .collect();
        assert_eq!(d, [("x", 3), ("y", 3), ("z", 3)]);
        assert_eq!(
            cal.departments[1].group.grades.0,
            [
                ("优秀".to_string(), 2),
                ("良好".into(), 0),
                ("合格".into(), 0),
                ("不合格".into(), 1)
            ]
        );
        // z: 40 is 23.56 below, less than a stdev: not flagged.
        assert!(cal.departments[2].group.flags.is_empty());
    }

    #[test]
    fn a_mean_ten_points_off_is_not_flagged_within_one_company_stdev() {
        // Company 40, 60, 80, 100: mean 70, stdev √500 = 22.36. Rater a (80, 100): 20 above,
        // ≥ 10 but within a stdev; not all 优秀 (80 is 良好): no flag.
        let cards = [
            card("x", "a", 80.0),
            card("x", "a", 100.0),
            card("x", "b", 40.0),
            card("x", "b", 60.0),
        ];
        let cal = run(&cards);
        assert!((cal.company.stdev - 500f64.sqrt()).abs() < 1e-9);
        assert!(
            cal.managers.iter().all(|m| m.group.flags.is_empty()),
            "{:?}",
            cal.managers
        );
    }
}
