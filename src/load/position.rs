//! One position file -> [`Position`].

use super::doc::Value;

use super::fields::{Fields, Sink, kind, number_of};
use super::spec;
use super::templates::EXTENDS;
use crate::model::{
    Conditions, Direction, Duty, Education, Kpi, Lang, OrgSettings, Position, Qualifications,
    Relations, Sp, Target,
};
use crate::vocab::Term;

/// A field's name in messages: its Chinese label, as HR knows it from the form.
fn zh(t: Term) -> &'static str {
    t.text(Lang::Zh)
}

/// Keys users put in the wrong section, and the section they belong in.
const ELSEWHERE: &[(&str, &str)] = &[
    ("internal", "[relations]"),
    ("education", "[qualifications]"),
    ("majors", "[qualifications]"),
    ("training", "[qualifications]"),
    ("experience_years", "[qualifications]"),
    ("management_years", "[qualifications]"),
    ("experience", "[qualifications]"),
    ("knowledge", "[qualifications]"),
    ("skills", "[qualifications]"),
    ("traits", "[qualifications]"),
    ("tools", "[conditions]"),
    ("environment", "[conditions]"),
    ("hours", "[conditions]"),
    ("records", "[conditions]"),
    ("tasks", "[[duties]]"),
    ("assessment", "[[duties]]"),
    ("weight", "[[kpis]]"),
    ("target", "[[kpis]]"),
    ("direction", "[[kpis]]"),
    ("threshold", "[[kpis]]"),
];

/// Reads a position from its parsed table. Returns `None` when the file is too broken to use
/// (the reasons are in `sink`).
pub(crate) fn read(
    id: &str,
    table: Fields<'_, '_>,
    settings: &OrgSettings,
    sink: &mut Sink,
) -> Option<Position> {
    let mut t = table;
    // A top-level key found inside a later table was moved there by TOML only if the top
    // level does not have it already; otherwise it is a plain unknown key of that table.
    let top: Vec<&str> = spec::names(spec::POSITION)
        .into_iter()
        .filter(|k| !t.has(k))
        .collect();
    let top = top.as_slice();
    let title = t.req_str(sink, "title", zh(Term::PositionTitle));
    let code = t.str(sink, "code");
    let department = t.req_str(sink, "department", zh(Term::Department));
    let level = t.str(sink, "level");
    let reports_to = t.str(sink, "reports_to");
    let headcount = t.int(sink, "headcount");
    if let Some(h) = &headcount
        && h.value < 1
    {
        sink.fatal(
            h.span.clone(),
            format!("`headcount` must be 1 or more, found {}", h.value),
            Some(format!(
                "{} is the number of people in this position",
                zh(Term::Headcount)
            )),
        );
    }
    let pay_grade = t.str(sink, "pay_grade");
    let pay_type = t.str(sink, "pay_type");
    let analysis_date = t.date(sink, "analysis_date");
    let summary = t.req_str(sink, "summary", zh(Term::Purpose));
    let authorities = t.str_list(sink, "authorities");
    let notes = t.str(sink, "notes");
    let extends = t.str(sink, EXTENDS);

    let duties = each(t.tables(sink, "duties"), |d| read_duty(d, top, sink));
    let relations = match t.table(sink, "relations") {
        Some(mut r) => {
            let rel = Relations {
                internal: r.str_list(sink, "internal"),
                external: r.str_list(sink, "external"),
            };
            r.finish(sink, top, ELSEWHERE);
            rel
        }
        None => Relations::default(),
    };
    let qualifications = match t.table(sink, "qualifications") {
        Some(q) => read_qualifications(q, top, sink),
        None => Qualifications::default(),
    };
    let conditions = match t.table(sink, "conditions") {
        Some(mut c) => {
            let cond = Conditions {
                tools: c.str_list(sink, "tools"),
                environment: c.str(sink, "environment"),
                hours: c.str(sink, "hours"),
                records: c.str_list(sink, "records"),
            };
            c.finish(sink, top, ELSEWHERE);
            cond
        }
        None => Conditions::default(),
    };
    let kpis = each(t.tables(sink, "kpis"), |k| read_kpi(k, top, sink));
    t.finish(sink, &[], ELSEWHERE);

    let title = title?;
    let level_index = match &level {
        Some(l) => settings.level_index(&l.value),
        None => settings.infer_level(&title.value),
    };
    if sink.broken {
        return None;
    }
    Some(Position {
        id: id.to_string(),
        file: sink.file,
        title,
        code,
        department: department?,
        level,
        level_index,
        reports_to,
        headcount,
        pay_grade,
        pay_type,
        analysis_date,
        summary: summary?,
        authorities,
        notes,
        duties,
        relations,
        qualifications,
        conditions,
        kpis,
        extends,
        templates: Vec::new(),
    })
}

/// What `read` makes of each entry of an array of tables, the ones it can use, in a list of
/// the right size (a position's lists are most of the model's memory).
fn each<'a, 'i, T>(
    entries: Vec<Fields<'a, 'i>>,
    mut read: impl FnMut(Fields<'a, 'i>) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(entries.len());
    out.extend(entries.into_iter().filter_map(&mut read));
    out
}

fn read_duty(mut d: Fields<'_, '_>, top: &[&str], sink: &mut Sink) -> Option<Duty> {
    let title = d.req_str(sink, "title", zh(Term::DutyTitle));
    let tasks = d.str_list(sink, "tasks");
    let assessment = d.str(sink, "assessment");
    let kpis = d.str_list(sink, "kpis");
    let span = d.span.clone();
    let name = d.name.clone();
    d.finish(sink, top, ELSEWHERE);
    if tasks.is_empty() && title.is_some() {
        sink.fatal(
            span.clone(),
            format!("{name} has no tasks ({})", zh(Term::Tasks)),
            Some("add tasks = [\"…\"] with at least one task".into()),
        );
    }
    Some(Duty {
        title: title?,
        tasks,
        assessment,
        kpis,
        span,
    })
}

fn read_qualifications(mut q: Fields<'_, '_>, top: &[&str], sink: &mut Sink) -> Qualifications {
    let education = q
        .str(sink, "education")
        .and_then(|e| match Education::parse(&e.value) {
            Some(ed) => Some(Sp::new(ed, e.span)),
            None => {
                sink.fatal(
                    e.span.clone(),
                    format!(
                        "`education` \"{}\" is not a level of the education scale",
                        e.value
                    ),
                    Some(format!("use one of {}", Education::ACCEPTED)),
                );
                None
            }
        });
    let mut years = |key: &str, sink: &mut Sink| {
        let y = q.number(sink, key)?;
        if y.value < 0.0 {
            sink.fatal(
                y.span.clone(),
                format!("`{key}` cannot be negative"),
                Some("write the minimum number of years, e.g. 3".into()),
            );
            return None;
        }
        Some(y)
    };
    let experience_years = years("experience_years", sink);
    let management_years = years("management_years", sink);
    let out = Qualifications {
        education,
        experience_years,
        management_years,
        majors: q.str_list(sink, "majors"),
        training: q.str_list(sink, "training"),
        experience: q.str(sink, "experience"),
        knowledge: q.str(sink, "knowledge"),
        skills: q.str(sink, "skills"),
        traits: q.str_list(sink, "traits"),
    };
    q.finish(sink, top, ELSEWHERE);
    out
}

fn read_kpi(mut k: Fields<'_, '_>, top: &[&str], sink: &mut Sink) -> Option<Kpi> {
    let name = k.req_str(sink, "name", zh(Term::KpiName));
    let weight = k.number(sink, "weight");
    let target = read_target(&mut k, sink);
    let unit = k.str(sink, "unit");
    let direction = match k.str(sink, "direction") {
        Some(d) => match Direction::parse(&d.value) {
            Some(dir) => Sp::new(dir, d.span),
            None => {
                sink.fatal(
                    d.span.clone(),
                    format!(
                        "`direction` \"{}\" is not one of higher, lower, rating, band",
                        d.value
                    ),
                    Some(
                        "higher: more is better; lower: less is better (投诉次数); \
                         rating: rated on a scale; band: should sit in a range"
                            .into(),
                    ),
                );
                return None;
            }
        },
        None => Sp::new(Direction::Higher, k.span.clone()),
    };
    let threshold = k.number(sink, "threshold");
    let cap = k.number(sink, "cap");
    let scale = k.number(sink, "scale");
    let span = k.span.clone();
    k.finish(sink, top, ELSEWHERE);
    Some(Kpi {
        name: name?,
        weight,
        target,
        unit,
        direction,
        threshold,
        cap,
        scale,
        span,
    })
}

fn read_target(k: &mut Fields<'_, '_>, sink: &mut Sink) -> Option<Sp<Target>> {
    // `target` is a number, or `[low, high]` for band KPIs; `number` reports the usual errors.
    let raw = k.raw("target")?;
    if let Value::Array(items) = raw.get_ref() {
        let nums: Vec<Option<f64>> = items.iter().map(|i| number_of(i.get_ref())).collect();
        return match nums.as_slice() {
            [Some(lo), Some(hi)] if lo <= hi => Some(Sp::new(Target::Band(*lo, *hi), raw.span())),
            _ => {
                let found = items
                    .iter()
                    .map(|i| kind(i.get_ref()))
                    .collect::<Vec<_>>()
                    .join(", ");
                sink.fatal(
                    raw.span(),
                    format!(
                        "`target` in {} must be a number or a range [low, high], found [{found}]",
                        k.name
                    ),
                    Some("write target = 90, or target = [25, 35] for a band KPI".into()),
                );
                None
            }
        };
    }
    k.number(sink, "target")
        .map(|n| Sp::new(Target::Value(n.value), n.span))
}
