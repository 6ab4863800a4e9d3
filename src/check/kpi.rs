//! KPI definitions: `kpi-weights`, `kpi-definition`, `kpi-no-target`.

use crate::diag::{Diagnostic, Severity};
use crate::load::{Loaded, did_you_mean};
use crate::model::{Direction, Position, Target};

pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &loaded.org.positions {
        weights(p, &mut out);
        definitions(p, &mut out);
    }
    out
}

fn weights(p: &Position, out: &mut Vec<Diagnostic>) {
    if p.kpis.is_empty() {
        return;
    }
    let weighted: Vec<_> = p.kpis.iter().filter_map(|k| k.weight.as_ref()).collect();
    for w in &weighted {
        if w.value < 0.0 {
            out.push(
                Diagnostic::error(
                    "kpi-weights",
                    p.file,
                    w.span.clone(),
                    format!("weight {} is negative", w.value),
                )
                .position(&p.id)
                .help("weights are percentages from 0 to 100"),
            );
        }
    }
    if weighted.is_empty() {
        out.push(
            Diagnostic::warning(
                "kpi-weights",
                p.file,
                p.kpis[0].span.clone(),
                format!(
                    "none of the {} KPIs of {} has a weight: they will be weighted equally",
                    p.kpis.len(),
                    p.title.value
                ),
            )
            .position(&p.id)
            .help("give every KPI a weight (percent); the weights sum to 100"),
        );
        return;
    }
    if weighted.len() < p.kpis.len() {
        for k in p.kpis.iter().filter(|k| k.weight.is_none()) {
            out.push(
                Diagnostic::error(
                    "kpi-weights",
                    p.file,
                    k.name.span.clone(),
                    format!(
                        "KPI {} has no weight while other KPIs of {} have one",
                        k.name.value, p.title.value
                    ),
                )
                .position(&p.id)
                .help("add weight = … (percent) so that all weights sum to 100"),
            );
        }
        return;
    }
    let sum: f64 = weighted.iter().map(|w| w.value).sum();
    if (sum - 100.0).abs() > 1e-6 {
        let mut d = Diagnostic::error(
            "kpi-weights",
            p.file,
            weighted[0].span.clone(),
            format!(
                "the KPI weights of {} sum to {}, not 100",
                p.title.value,
                fmt_num(sum)
            ),
        )
        .position(&p.id)
        .help("adjust the weights so that they sum to 100");
        for w in &weighted[1..] {
            d = d.related(
                p.file,
                w.span.clone(),
                format!("weight {}", fmt_num(w.value)),
            );
        }
        out.push(d);
    }
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

fn definitions(p: &Position, out: &mut Vec<Diagnostic>) {
    let err = |span, message: String, help: &str| {
        Diagnostic::error("kpi-definition", p.file, span, message)
            .position(&p.id)
            .help(help.to_string())
    };
    for (i, k) in p.kpis.iter().enumerate() {
        let name = &k.name.value;
        if let Some(first) = p.kpis[..i].iter().find(|o| o.name.value == *name) {
            out.push(
                err(
                    k.name.span.clone(),
                    format!("KPI {name} is defined twice"),
                    "KPI names are unique within a position: rename or remove one",
                )
                .related(p.file, first.name.span.clone(), "first definition"),
            );
        }
        let dir = k.direction.value;
        match (&k.target, dir) {
            (Some(t), Direction::Band) if !matches!(t.value, Target::Band(..)) => out.push(err(
                t.span.clone(),
                format!("band KPI {name} needs a range target"),
                "write target = [low, high], e.g. target = [25, 35]",
            )),
            (Some(t), d) if d != Direction::Band && matches!(t.value, Target::Band(..)) => out
                .push(err(
                    t.span.clone(),
                    format!("KPI {name} has a range target but direction {}", d.as_str()),
                    "a range target needs direction = \"band\"",
                )),
            (None, Direction::Higher | Direction::Lower | Direction::Band) => out.push(
                Diagnostic::warning(
                    "kpi-no-target",
                    p.file,
                    k.name.span.clone(),
                    format!("KPI {name} has no target, so it cannot be scored"),
                )
                .position(&p.id)
                .help("add target = … (the value that earns full marks)"),
            ),
            _ => {}
        }
        let target = match k.target.as_ref().map(|t| t.value) {
            Some(Target::Value(v)) => Some(v),
            _ => None,
        };
        if dir == Direction::Lower && target == Some(0.0) && k.threshold.is_none() {
            out.push(err(
                k.target.as_ref().map_or(k.span.clone(), |t| t.span.clone()),
                format!("lower KPI {name} has target 0 and no threshold"),
                "with target 0 the score needs a threshold: the value that earns zero (e.g. threshold = 5)",
            ));
        }
        if let (Some(th), Some(t)) = (&k.threshold, target)
            && th.value == t
            && dir != Direction::Band
        {
            out.push(err(
                th.span.clone(),
                format!("threshold of KPI {name} equals its target"),
                "the threshold earns zero and the target full marks: they must differ",
            ));
        }
        if dir == Direction::Band && k.threshold.as_ref().is_some_and(|t| t.value <= 0.0) {
            out.push(err(
                k.threshold
                    .as_ref()
                    .map_or(k.span.clone(), |t| t.span.clone()),
                format!("threshold of band KPI {name} must be a positive distance"),
                "for a band KPI, threshold is how far outside the band the score reaches 0",
            ));
        }
        if let Some(s) = &k.scale {
            if dir != Direction::Rating {
                out.push(err(
                    s.span.clone(),
                    format!("KPI {name} has a scale but is not a rating"),
                    "scale applies to direction = \"rating\" only",
                ));
            } else if s.value <= 0.0 {
                out.push(err(
                    s.span.clone(),
                    format!("scale of KPI {name} must be positive"),
                    "e.g. scale = 5 for ratings 1 to 5",
                ));
            }
        }
        if let Some(c) = &k.cap
            && c.value < 1.0
        {
            out.push(err(
                c.span.clone(),
                format!("cap of KPI {name} is below 1"),
                "cap 1.2 means up to 120 % of the weight",
            ));
        }
    }
    let names: Vec<&str> = p.kpis.iter().map(|k| k.name.value.as_str()).collect();
    for d in &p.duties {
        for k in &d.kpis {
            if names.contains(&k.value.as_str()) {
                continue;
            }
            let help = match did_you_mean(&k.value, &names) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None if names.is_empty() => "define it in a [[kpis]] block".to_string(),
                None => format!("the KPIs of this position are: {}", names.join(", ")),
            };
            out.push(
                Diagnostic::new(
                    "kpi-definition",
                    Severity::Error,
                    p.file,
                    k.span.clone(),
                    format!(
                        "duty {} names KPI {}, which {} does not define",
                        d.title.value, k.value, p.title.value
                    ),
                )
                .position(&p.id)
                .help(help),
            );
        }
    }
}
