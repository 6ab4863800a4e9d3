//! KPI definitions: `kpi-weights`, `kpi-definition`, `kpi-no-target`.
//!
//! What makes a KPI scorable is written once in [`crate::kpi::definition`]; this file attaches
//! the TOML span of the field to each finding, and adds what only a position file can get
//! wrong (a KPI named twice, a duty naming a KPI the position does not define).

use crate::diag::{Diagnostic, Span};
use crate::kpi::definition::{self, Field, Finding};
use crate::load::{Loaded, did_you_mean};
use crate::model::Position;

pub use definition::{KPI_DEFINITION, KPI_NO_TARGET, KPI_WEIGHTS};

pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in &loaded.org.positions {
        for f in definition::weights(&p.title.value, &p.kpis) {
            out.push(attach(p, &f));
        }
        for (i, k) in p.kpis.iter().enumerate() {
            for f in definition::definition(i, k, k.target.as_ref().map(|t| t.value)) {
                out.push(attach(p, &f));
            }
        }
        names(p, &mut out);
    }
    out
}

/// The span of a KPI field, or of the closest thing written when the field is not.
fn span(p: &Position, kpi: usize, field: Field) -> Span {
    let k = &p.kpis[kpi];
    let written = match field {
        Field::Block => Some(&k.span),
        Field::Name => Some(&k.name.span),
        Field::Weight => k.weight.as_ref().map(|w| &w.span),
        Field::Target => k.target.as_ref().map(|t| &t.span),
        Field::Threshold => k.threshold.as_ref().map(|t| &t.span),
        Field::Scale => k.scale.as_ref().map(|s| &s.span),
        Field::Cap => k.cap.as_ref().map(|c| &c.span),
    };
    written.unwrap_or(&k.name.span).clone()
}

fn attach(p: &Position, f: &Finding) -> Diagnostic {
    let mut d = f
        .at(crate::diag::Location::source(
            p.file,
            span(p, f.kpi, f.field),
        ))
        .position(&p.id);
    for (i, field, note) in &f.related {
        d = d.related(p.file, span(p, *i, *field), note.clone());
    }
    d
}

fn names(p: &Position, out: &mut Vec<Diagnostic>) {
    let err = |span, message: String, help: &str| {
        KPI_DEFINITION
            .at(p.file, span, message)
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
                KPI_DEFINITION
                    .at(
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
