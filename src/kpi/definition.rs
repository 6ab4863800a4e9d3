//! What makes a KPI definition scorable, written once: `kpi-weights`, `kpi-definition`,
//! `kpi-no-target`.
//!
//! The rules return [`Finding`]s without a place; the caller attaches one ([`Finding::at`]):
//! `check` the TOML span of the field ([`crate::check`]), `score` the workbook cell of the
//! result that cannot be scored. [`super::score::Rule::of`] refuses exactly what these rules
//! find, so `check` passing means `score` can score.

use crate::check::Rule;
use crate::diag::{Diagnostic, Location, Severity};
use crate::model::{Direction, Kpi, Target};
use crate::util::number::plain;

pub const KPI_WEIGHTS: Rule = Rule::new(
    "kpi-weights",
    Severity::Error,
    "some KPIs of a position have weights and others not, a weight is negative, or the weights do not sum to 100",
    "give every KPI a weight (percent) so that the weights sum to 100",
)
.or_milder(Severity::Warning, "if no KPI has a weight (they are weighted equally)");

pub const KPI_DEFINITION: Rule = Rule::new(
    "kpi-definition",
    Severity::Error,
    "a KPI is named twice in a position, a `lower` KPI has target 0 and no `threshold`, `threshold` equals `target`, a `band` KPI has no range target or no positive `threshold`, `scale` or `cap` is out of range, or a duty's `kpis` names no KPI of the position",
    "correct the KPI's fields as kpi-scoring.md describes them; score refuses results for it until then",
);

pub const KPI_NO_TARGET: Rule = Rule::new(
    "kpi-no-target",
    Severity::Warning,
    "a `higher`, `lower` or `band` KPI has no `target`, so it cannot be scored",
    "add target = … (the value that earns full marks)",
);

/// The part of a KPI a finding is about; the caller turns it into a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The `[[kpis]]` block as a whole.
    Block,
    Name,
    Weight,
    /// The target, or the name when there is none.
    Target,
    Threshold,
    Scale,
    Cap,
}

/// A finding about a KPI definition, without its place.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static Rule,
    /// The rule's milder case (a warning where the rule is an error).
    pub milder: bool,
    /// The KPI (index into the position's `kpis`) and the field.
    pub kpi: usize,
    pub field: Field,
    pub message: String,
    pub help: String,
    /// Other fields involved: KPI index, field, note (the other weights of a wrong sum).
    pub related: Vec<(usize, Field, String)>,
}

impl Finding {
    pub(crate) fn new(
        rule: &'static Rule,
        kpi: usize,
        field: Field,
        message: String,
        help: &str,
    ) -> Self {
        Finding {
            rule,
            milder: false,
            kpi,
            field,
            message,
            help: help.to_string(),
            related: Vec::new(),
        }
    }

    /// The diagnostic at `at`, with the rule's severity and the help; `related` is the
    /// caller's to add (it knows where the other fields are).
    pub fn at(&self, at: Location) -> Diagnostic {
        let d = if self.milder {
            self.rule.milder_located(at, self.message.clone())
        } else {
            self.rule.located(at, self.message.clone())
        };
        d.help(self.help.clone())
    }
}

/// The findings about one KPI (index `i`), `target` being the target it is scored against:
/// its own, or a result row's. Every finding means the KPI cannot be scored.
pub fn definition(i: usize, kpi: &Kpi, target: Option<Target>) -> Vec<Finding> {
    let mut out = Vec::new();
    let name = &kpi.name.value;
    let dir = kpi.direction.value;
    let threshold = kpi.threshold.as_ref().map(|t| t.value);
    let err =
        |field, message: String, help: &str| Finding::new(&KPI_DEFINITION, i, field, message, help);
    match (target, dir) {
        (None, Direction::Higher | Direction::Lower | Direction::Band) => out.push(Finding::new(
            &KPI_NO_TARGET,
            i,
            Field::Name,
            format!("KPI {name} has no target, so it cannot be scored"),
            KPI_NO_TARGET.docs,
        )),
        (Some(Target::Value(_)), Direction::Band) => out.push(err(
            Field::Target,
            format!("band KPI {name} needs a range target"),
            "write target = [low, high], e.g. target = [25, 35]",
        )),
        (Some(Target::Band(..)), d) if d != Direction::Band => out.push(err(
            Field::Target,
            format!("KPI {name} has a range target but direction {}", d.as_str()),
            "a range target needs direction = \"band\"",
        )),
        _ => {}
    }
    if dir == Direction::Lower && target == Some(Target::Value(0.0)) && threshold.is_none() {
        out.push(err(
            Field::Target,
            format!("lower KPI {name} has target 0 and no threshold"),
            "with target 0 the score needs a threshold: the value that earns zero (e.g. threshold = 5)",
        ));
    } else if let Some((Target::Value(t), z)) = resolve(kpi, target)
        && t == z
    {
        out.push(if threshold.is_some() {
            err(
                Field::Threshold,
                format!("threshold of KPI {name} equals its target"),
                "the threshold earns zero and the target full marks: they must differ",
            )
        } else {
            err(
                Field::Target,
                format!(
                    "KPI {name} has target {t}, which is also its default threshold (the value that earns zero)"
                ),
                "give a threshold that differs from the target (threshold = …)",
            )
        });
    }
    if dir == Direction::Band {
        match threshold {
            None => out.push(err(
                Field::Name,
                format!("band KPI {name} has no threshold"),
                "for a band KPI, threshold is how far outside the band the score reaches 0 (e.g. threshold = 10)",
            )),
            Some(z) if z <= 0.0 => out.push(err(
                Field::Threshold,
                format!("threshold of band KPI {name} must be a positive distance"),
                "for a band KPI, threshold is how far outside the band the score reaches 0",
            )),
            Some(_) => {}
        }
    }
    if let Some(s) = &kpi.scale {
        if dir != Direction::Rating {
            out.push(err(
                Field::Scale,
                format!("KPI {name} has a scale but is not a rating"),
                "scale applies to direction = \"rating\" only",
            ));
        } else if s.value <= 0.0 {
            out.push(err(
                Field::Scale,
                format!("scale of KPI {name} must be positive"),
                "e.g. scale = 5 for ratings 1 to 5",
            ));
        }
    }
    if let Some(c) = &kpi.cap
        && c.value < 1.0
    {
        out.push(err(
            Field::Cap,
            format!("cap of KPI {name} is below 1"),
            "cap 1.2 means up to 120 % of the weight",
        ));
    }
    out
}

/// Units of things counted or timed: a negative number of them is impossible.
pub const COUNT_UNITS: &[&str] = &[
    "次", "个", "件", "人", "人次", "天", "日", "小时", "h", "分钟", "min", "秒", "s", "单", "家",
    "笔", "项", "台", "起", "例", "周", "月", "年",
];

/// Whether an actual value of `kpi` may be negative, decided from its definition once for
/// `score` (a negative is then a `value` error) and the template (its 实际值 validation):
///
/// * a rating never (it lies in 0..=scale);
/// * a KPI whose own target or threshold is negative places negatives on its scale: it may;
/// * a count or a duration ([`COUNT_UNITS`]) or a percentage (`%`: a satisfaction, a rate, a
///   share) may not; nor may a `lower` KPI (a cost, a number of faults, a delay);
/// * anything else may (a profit can be a loss).
///
/// A percentage that can be negative (a growth rate, a margin) says so with a negative
/// `threshold` (the value that earns zero).
pub fn negative_allowed(kpi: &Kpi) -> bool {
    if kpi.direction.value == Direction::Rating {
        return false;
    }
    let negative_target = match kpi.target.as_ref().map(|t| t.value) {
        Some(Target::Value(t)) => t < 0.0,
        Some(Target::Band(lo, hi)) => lo < 0.0 || hi < 0.0,
        None => false,
    };
    // A band's threshold is a distance, never a value on the KPI's scale.
    let negative_threshold = kpi.direction.value != Direction::Band
        && kpi.threshold.as_ref().is_some_and(|t| t.value < 0.0);
    if negative_target || negative_threshold {
        return true;
    }
    let unit = kpi.unit.as_ref().map(|u| u.value.trim()).unwrap_or("");
    !(COUNT_UNITS.contains(&unit) || unit == "%" || kpi.direction.value == Direction::Lower)
}

/// The top of a rating KPI's scale: `scale`, else 5.
pub fn scale(kpi: &Kpi) -> f64 {
    kpi.scale.as_ref().map_or(5.0, |s| s.value)
}

/// The target and threshold a KPI is scored with, defaults applied as kpi-scoring.md says
/// (`higher` and `rating` earn zero at 0, `lower` at twice the target, a rating's target is
/// its scale); `None` where the formula lacks a value ([`definition`] says which).
pub fn resolve(kpi: &Kpi, target: Option<Target>) -> Option<(Target, f64)> {
    let threshold = kpi.threshold.as_ref().map(|t| t.value);
    match (kpi.direction.value, target) {
        (Direction::Higher | Direction::Rating, Some(Target::Value(t))) => {
            Some((Target::Value(t), threshold.unwrap_or(0.0)))
        }
        (Direction::Lower, Some(Target::Value(t))) => {
            Some((Target::Value(t), threshold.unwrap_or(2.0 * t)))
        }
        (Direction::Rating, None) => Some((Target::Value(scale(kpi)), threshold.unwrap_or(0.0))),
        (Direction::Band, Some(Target::Band(lo, hi))) => {
            threshold.map(|d| (Target::Band(lo.min(hi), lo.max(hi)), d))
        }
        _ => None,
    }
}

/// The findings about the weights of one position's KPIs (`title` is the position's).
pub fn weights(title: &str, kpis: &[Kpi]) -> Vec<Finding> {
    let mut out = Vec::new();
    if kpis.is_empty() {
        return out;
    }
    let weighted: Vec<(usize, f64)> = kpis
        .iter()
        .enumerate()
        .filter_map(|(i, k)| k.weight.as_ref().map(|w| (i, w.value)))
        .collect();
    for &(i, w) in &weighted {
        if w < 0.0 {
            out.push(Finding::new(
                &KPI_WEIGHTS,
                i,
                Field::Weight,
                format!("weight {w} is negative"),
                "weights are percentages from 0 to 100",
            ));
        }
    }
    if weighted.is_empty() {
        let mut f = Finding::new(
            &KPI_WEIGHTS,
            0,
            Field::Block,
            format!(
                "none of the {} KPIs of {title} has a weight: they will be weighted equally",
                kpis.len()
            ),
            "give every KPI a weight (percent); the weights sum to 100",
        );
        f.milder = true;
        out.push(f);
        return out;
    }
    if weighted.len() < kpis.len() {
        for (i, k) in kpis.iter().enumerate().filter(|(_, k)| k.weight.is_none()) {
            out.push(Finding::new(
                &KPI_WEIGHTS,
                i,
                Field::Name,
                format!(
                    "KPI {} has no weight while other KPIs of {title} have one",
                    k.name.value
                ),
                "add weight = … (percent) so that all weights sum to 100",
            ));
        }
        return out;
    }
    let sum: f64 = weighted.iter().map(|(_, w)| w).sum();
    if (sum - 100.0).abs() > 1e-6 {
        let mut f = Finding::new(
            &KPI_WEIGHTS,
            weighted[0].0,
            Field::Weight,
            format!("the KPI weights of {title} sum to {}, not 100", plain(sum)),
            "adjust the weights so that they sum to 100",
        );
        f.related = weighted[1..]
            .iter()
            .map(|&(i, w)| (i, Field::Weight, format!("weight {}", plain(w))))
            .collect();
        out.push(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Sp;

    fn kpi(dir: Direction, target: Option<Target>, threshold: Option<f64>) -> Kpi {
        Kpi {
            name: Sp::new("x".into(), 0..0),
            weight: None,
            target: target.map(|t| Sp::new(t, 0..0)),
            unit: None,
            direction: Sp::new(dir, 0..0),
            threshold: threshold.map(|t| Sp::new(t, 0..0)),
            cap: None,
            scale: None,
            span: 0..0,
        }
    }

    fn codes(k: &Kpi) -> Vec<&'static str> {
        let t = k.target.as_ref().map(|t| t.value);
        definition(0, k, t).iter().map(|f| f.rule.code).collect()
    }

    #[test]
    fn finds_what_cannot_be_scored() {
        let v = |t| Some(Target::Value(t));
        assert!(codes(&kpi(Direction::Higher, v(90.0), None)).is_empty());
        assert_eq!(
            codes(&kpi(Direction::Higher, None, None)),
            ["kpi-no-target"]
        );
        assert_eq!(
            codes(&kpi(Direction::Lower, v(0.0), None)),
            ["kpi-definition"],
            "lower with target 0 and no threshold"
        );
        assert_eq!(
            codes(&kpi(Direction::Lower, v(5.0), Some(5.0))),
            ["kpi-definition"],
            "threshold = target"
        );
        assert_eq!(
            codes(&kpi(Direction::Higher, v(0.0), None)),
            ["kpi-definition"],
            "higher with target 0: the default threshold is 0 too"
        );
        assert_eq!(
            codes(&kpi(Direction::Band, v(30.0), Some(5.0))),
            ["kpi-definition"],
            "band without a range"
        );
        assert_eq!(
            codes(&kpi(Direction::Band, Some(Target::Band(25.0, 35.0)), None)),
            ["kpi-definition"],
            "band without a threshold"
        );
        assert!(codes(&kpi(Direction::Rating, None, None)).is_empty());
    }

    #[test]
    fn weights_missing_everywhere_are_the_milder_case() {
        let ks = [kpi(Direction::Higher, None, None)];
        let f = weights("客服专员", &ks);
        assert_eq!(f.len(), 1);
        assert!(f[0].milder);
        assert_eq!(f[0].at(Location::Nowhere).severity, Severity::Warning);
    }
}
