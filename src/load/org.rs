//! `_org.toml` -> [`OrgSettings`], including the built-in `[[reserved]]` rules.

use super::doc::Value;

use super::fields::{Fields, Name, Sink, kind};
use super::spec;
use crate::diag::Span;
use crate::model::{Band, External, Lang, Level, OrgSettings, Reserved, Scoring, Sp};
use crate::vocab::RESERVED_ACTS;

pub(crate) fn read(mut t: Fields<'_, '_>, sink: &mut Sink) -> OrgSettings {
    let mut s = OrgSettings {
        file: Some(sink.file),
        ..OrgSettings::default()
    };
    let top = spec::names(spec::ORG);
    let top = top.as_slice();
    s.name = t.str(sink, "name");
    s.handbook_title = t.str(sink, "handbook_title");
    if let Some(lang) = t.str(sink, "lang") {
        s.lang = match Lang::parse(&lang.value) {
            Some(l) => l,
            None => {
                sink.push(
                    lang.span.clone(),
                    format!("`lang` \"{}\" is not supported", lang.value),
                    Some("use \"zh\" (Chinese labels) or \"en\" (English labels)".into()),
                );
                Lang::Zh
            }
        };
    }
    let levels_present = t.raw("levels").is_some();
    s.levels = t.str_list(sink, "levels");
    if !levels_present {
        sink.push(
            t.span.clone(),
            "missing required key `levels` (职级, lowest first)".into(),
            Some(
                "add levels = [\"专员\", \"主管\", \"经理\", \"总监\"] above the first [table]"
                    .into(),
            ),
        );
    }
    for (i, l) in s.levels.iter().enumerate() {
        if s.levels[..i].iter().any(|o| o.value == l.value) {
            sink.push(
                l.span.clone(),
                format!("level \"{}\" is listed twice", l.value),
                None,
            );
        }
    }
    if s.levels.is_empty() {
        s.levels = default_levels(t.span.clone());
    }
    if t.raw("departments").is_some() {
        s.departments = Some(t.str_list(sink, "departments"));
    }
    if let Some(ext) = t.table(sink, "external") {
        s.external = read_external(&ext, sink, &s);
        // Keys of [external] are ids, so there is nothing unknown to report.
    }
    let defaults = t.bool(sink, "reserved_defaults").is_none_or(|b| b.value);
    if defaults {
        s.reserved = builtin_reserved(&s);
    }
    for mut r in t.tables(sink, "reserved") {
        let name = r.req_str(sink, "name", "rule name");
        let keywords = r.str_list(sink, "keywords");
        let min_level = r.req_str(sink, "min_level", "the lowest level allowed");
        let span = r.span.clone();
        if keywords.is_empty() {
            sink.push(
                span.clone(),
                format!("{} has no keywords", r.name),
                Some("add keywords = [\"…\"]: words that mark the reserved duty".into()),
            );
        }
        r.finish(sink, top, &[]);
        if let (Some(name), Some(min_level)) = (name, min_level) {
            let min_level_index = s.level_index(&min_level.value);
            if min_level_index.is_none() {
                sink.push(
                    min_level.span.clone(),
                    format!("`min_level` \"{}\" is not one of `levels`", min_level.value),
                    Some(format!("use one of: {}", level_list(&s))),
                );
            }
            s.reserved.push(Reserved {
                name,
                keywords,
                min_level,
                min_level_index,
                builtin: false,
                span,
            });
        }
    }
    s.confidential = vec!["pay_grade".into(), "pay_type".into()];
    if let Some(mut c) = t.table(sink, "confidential") {
        if c.raw("fields").is_some() {
            (s.confidential, s.confidential_spans) = c
                .str_list(sink, "fields")
                .into_iter()
                .map(|f| (f.value, f.span))
                .unzip();
        }
        c.finish(sink, top, &[]);
    }
    if let Some(mut pdf) = t.table(sink, "pdf") {
        s.pdf_font = pdf.str(sink, "font");
        s.pdf_bold_font = pdf.str(sink, "bold_font");
        pdf.finish(sink, top, &[]);
    }
    if let Some(sc) = t.table(sink, "scoring") {
        s.scoring = read_scoring(sc, top, sink);
    }
    if let Some(checks) = t.table(sink, "checks") {
        for (key, v) in checks.entries() {
            let level = match v.get_ref() {
                Value::String(l) => Level::parse(l),
                _ => None,
            };
            match level {
                Some(level) => s.checks.push((key, level)),
                None => sink.push(
                    v.span(),
                    format!(
                        "severity of `{}` must be \"error\", \"warning\", \"info\" or \"off\"",
                        key.value
                    ),
                    None,
                ),
            }
        }
    }
    t.finish(
        sink,
        &[],
        &[
            ("fields", "[confidential]"),
            ("cap", "[scoring]"),
            ("bands", "[scoring]"),
            ("font", "[pdf]"),
            ("bold_font", "[pdf]"),
        ],
    );
    s
}

/// The levels used when `_org.toml` is missing or gives none.
pub(crate) fn default_levels(span: Span) -> Vec<Sp<String>> {
    OrgSettings::DEFAULT_LEVELS
        .iter()
        .map(|l| Sp::new(l.to_string(), span.clone()))
        .collect()
}

/// The built-in reserved duties ([`RESERVED_ACTS`], named in the organization's language). They
/// apply at the level named 经理 (or "manager"), or the middle level when the organization has
/// neither.
pub(crate) fn builtin_reserved(s: &OrgSettings) -> Vec<Reserved> {
    let min = s
        .levels
        .iter()
        .position(|l| l.value == "经理" || l.value.eq_ignore_ascii_case("manager"))
        .unwrap_or(s.levels.len() / 2);
    let min_name = s.level_name(min).to_string();
    RESERVED_ACTS
        .iter()
        .map(|act| Reserved {
            name: Sp::new(act.name.text(s.lang).to_string(), 0..0),
            keywords: act
                .keywords
                .iter()
                .map(|k| Sp::new(k.to_string(), 0..0))
                .collect(),
            min_level: Sp::new(min_name.clone(), 0..0),
            min_level_index: Some(min),
            builtin: true,
            span: 0..0,
        })
        .collect()
}

fn level_list(s: &OrgSettings) -> String {
    s.levels
        .iter()
        .map(|l| l.value.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_external(ext: &Fields<'_, '_>, sink: &mut Sink, s: &OrgSettings) -> Vec<External> {
    let mut out = Vec::new();
    for (id, v) in ext.entries() {
        let Value::Table(table) = v.get_ref() else {
            sink.push(
                v.span(),
                format!(
                    "[external] `{}` must be a table, found {}",
                    id.value,
                    kind(v.get_ref())
                ),
                Some(format!(
                    "write {} = {{ title = \"营销总监\", level = \"总监\" }}",
                    id.value
                )),
            );
            continue;
        };
        let mut f = Fields::new(
            table,
            v.span(),
            Name::Other(format!("[external] `{}`", id.value)),
            spec::EXTERNAL,
        );
        let title = f.req_str(sink, "title", "the superior's title");
        let level = f.str(sink, "level");
        f.finish(sink, &[], &[]);
        let level_index = level.as_ref().and_then(|l| s.level_index(&l.value));
        if let Some(l) = &level
            && level_index.is_none()
        {
            sink.push(
                l.span.clone(),
                format!("level \"{}\" is not one of `levels`", l.value),
                Some(format!("use one of: {}", level_list(s))),
            );
        }
        if let Some(title) = title {
            let level_index = level_index.or_else(|| s.infer_level(&title.value));
            out.push(External {
                id,
                title,
                level,
                level_index,
            });
        }
    }
    out
}

fn read_scoring(mut sc: Fields<'_, '_>, top: &[&str], sink: &mut Sink) -> Scoring {
    let mut scoring = Scoring::default();
    if let Some(cap) = sc.number(sink, "cap") {
        if cap.value < 1.0 {
            sink.push(
                cap.span.clone(),
                format!(
                    "`cap` must be at least 1 (1.2 means 120 %), found {}",
                    cap.value
                ),
                None,
            );
        } else {
            scoring.cap = cap.value;
        }
    }
    if sc.raw("bands").is_some() {
        let mut bands = Vec::new();
        for mut b in sc.tables(sink, "bands") {
            let min = b.number(sink, "min");
            let label = b.req_str(sink, "label", "grade name");
            b.finish(sink, &[], &[]);
            if let (Some(min), Some(label)) = (min, label) {
                bands.push(Band {
                    min: min.value,
                    label: label.value,
                });
            }
        }
        bands.sort_by(|a, b| b.min.total_cmp(&a.min));
        if !bands.is_empty() {
            scoring.bands = bands;
        }
    }
    if let Some(q) = sc.table(sink, "quota") {
        for (label, v) in q.entries() {
            match super::fields::number_of(v.get_ref()) {
                Some(share) if (0.0..=1.0).contains(&share) => {
                    scoring.quota.push((label.value, share))
                }
                _ => sink.push(
                    v.span(),
                    format!("quota of `{}` must be a share between 0 and 1", label.value),
                    Some(format!("write {} = 0.2 for 20 %", label.value)),
                ),
            }
        }
    }
    sc.finish(sink, top, &[]);
    scoring
}
