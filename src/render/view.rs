//! The data templates see: an [`Org`] turned into forms, contents and an index, with free text
//! already rendered (Markdown -> HTML), confidential fields left out, and empty rows dropped.
//!
//! Fields named `*_html` or holding lists of [`Row`]s carry safe HTML; everything else is plain
//! text that templates escape.

use std::cmp::Ordering;

use serde::Serialize;

use super::labels::Labels;
use super::markdown::to_html;
use super::{Edition, Options, RenderError, escape};
use crate::load::did_you_mean;
use crate::model::{Date, Direction, Org, Position, Superior, Target, Text};

/// Field names `[confidential]` may list: every key of a position file but the title (and
/// a duty's title or a KPI's name, which identify the row), plus the two derived fields.
/// A dotted name hides one part of a section (`qualifications.experience`); a section name
/// hides all of it.
pub fn fields() -> Vec<String> {
    let (top, sections) = crate::load::position_keys();
    let mut out: Vec<String> = top
        .iter()
        .filter(|k| **k != "title")
        .map(|k| k.to_string())
        .collect();
    out.extend(["direct_reports".to_string(), "staff_supervised".to_string()]);
    for (section, keys) in sections {
        out.extend(
            keys.iter()
                .filter(|k| !matches!(**k, "title" | "name"))
                .map(|k| format!("{section}.{k}")),
        );
    }
    out
}

/// The most items a 所辖人员 cell lists before it says how many there are in all.
const MAX_STAFF_LISTED: usize = 40;

/// Which fields an edition shows.
#[derive(Debug, Clone, Default)]
pub struct Visibility {
    hidden: Vec<String>,
}

impl Visibility {
    /// The internal edition shows everything; the public one leaves out every `[confidential]`
    /// field. An unknown name is an error rather than a silent leak of the field meant.
    pub fn new(edition: Edition, confidential: &[String]) -> Result<Self, RenderError> {
        if edition == Edition::Internal {
            return Ok(Visibility::default());
        }
        let known = fields();
        let names: Vec<&str> = known.iter().map(String::as_str).collect();
        for name in confidential {
            if !names.contains(&name.as_str()) {
                return Err(RenderError::UnknownConfidential {
                    name: name.clone(),
                    hint: match did_you_mean(name, &names) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the fields are: {}", names.join(", ")),
                    },
                });
            }
        }
        let mut hidden = confidential.to_vec();
        // The reporting lines show in three fields and the chart: hiding one hides them all.
        if ["reports_to", "direct_reports", "staff_supervised"]
            .iter()
            .any(|f| hidden.iter().any(|h| h == f))
        {
            hidden.extend(
                ["reports_to", "direct_reports", "staff_supervised"]
                    .iter()
                    .map(|s| s.to_string()),
            );
        }
        Ok(Visibility { hidden })
    }

    pub fn shows(&self, field: &str) -> bool {
        !self.hidden.iter().any(|h| {
            field == h
                || field
                    .strip_prefix(h.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    }
}

/// How forms link to each other: anchors in one file, or one page per position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    Anchors,
    Pages,
}

/// What every view of one build shares.
pub struct Ctx<'a> {
    pub org: &'a Org,
    pub labels: &'static Labels,
    pub vis: Visibility,
    /// Slug of each position, by index.
    pub slugs: Vec<String>,
    /// Positions in handbook order: by department, then level (highest first).
    pub order: Vec<usize>,
}

impl<'a> Ctx<'a> {
    pub fn new(org: &'a Org, options: &Options) -> Result<Self, RenderError> {
        let vis = Visibility::new(options.edition, &org.settings.confidential)?;
        let slugs = super::slug::slugs(org.positions.iter().map(|p| p.id.as_str()));
        let mut ctx = Ctx {
            org,
            labels: Labels::of(org.settings.lang),
            vis,
            slugs,
            order: Vec::new(),
        };
        ctx.order = ctx.handbook_order();
        Ok(ctx)
    }

    pub fn anchor(&self, index: usize) -> String {
        format!("p-{}", self.slugs[index])
    }

    pub fn file(&self, index: usize) -> String {
        format!("{}.html", self.slugs[index])
    }

    pub fn href(&self, index: usize, links: Links) -> String {
        match links {
            Links::Anchors => format!("#{}", self.anchor(index)),
            Links::Pages => self.file(index),
        }
    }

    fn link(&self, p: &Position, links: Links) -> String {
        match self.org.index_of(&p.id) {
            Some(i) => format!(
                "<a href=\"{}\">{}</a>",
                escape(&self.href(i, links)),
                escape(&p.title)
            ),
            None => escape(&p.title),
        }
    }

    /// Sorts positions the way a reader expects: higher levels first, then by code and title.
    pub fn cmp_positions(&self, a: usize, b: usize) -> Ordering {
        let (pa, pb) = (&self.org.positions[a], &self.org.positions[b]);
        pb.level_index
            .cmp(&pa.level_index)
            .then_with(|| {
                natural_cmp(
                    pa.code.as_deref().map_or("", |c| c.as_str()),
                    pb.code.as_deref().map_or("", |c| c.as_str()),
                )
            })
            .then_with(|| pa.title.value.cmp(&pb.title.value))
            .then_with(|| pa.id.cmp(&pb.id))
    }

    /// Departments in `_org.toml` order when listed, else the one with the highest level first.
    pub fn departments(&self) -> Vec<(String, Vec<usize>)> {
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        let show = self.vis.shows("department");
        for (i, p) in self.org.positions.iter().enumerate() {
            let name = if show {
                p.department.value.trim().to_string()
            } else {
                String::new()
            };
            match groups.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(i),
                None => groups.push((name, vec![i])),
            }
        }
        for (_, v) in groups.iter_mut() {
            v.sort_by(|&a, &b| self.cmp_positions(a, b));
        }
        let listed: Vec<&str> = self
            .org
            .settings
            .departments
            .iter()
            .flatten()
            .map(|d| d.value.as_str())
            .collect();
        let top = |v: &Vec<usize>| {
            v.iter()
                .filter_map(|&i| self.org.positions[i].level_index)
                .max()
        };
        groups.sort_by(|(na, va), (nb, vb)| {
            let ra = listed.iter().position(|d| d == na).unwrap_or(usize::MAX);
            let rb = listed.iter().position(|d| d == nb).unwrap_or(usize::MAX);
            ra.cmp(&rb)
                .then_with(|| top(vb).cmp(&top(va)))
                .then_with(|| na.cmp(nb))
        });
        groups
    }

    fn handbook_order(&self) -> Vec<usize> {
        self.departments()
            .into_iter()
            .flat_map(|(_, v)| v)
            .collect()
    }

    /// The cover date: `--date`, else the newest 岗位分析日期, else `SOURCE_DATE_EPOCH`.
    pub fn cover_date(&self, options: &Options) -> Option<Date> {
        options
            .date
            .or_else(|| {
                if !self.vis.shows("analysis_date") {
                    return None;
                }
                self.org
                    .positions
                    .iter()
                    .filter_map(|p| p.analysis_date.as_ref().map(|d| d.value))
                    .max()
            })
            .or(options.source_date)
    }
}

/// One labelled cell of the form.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The field it shows (`pay_grade`, `qualifications.skills`, …), for templates and CSS.
    pub key: &'static str,
    pub label: &'static str,
    pub html: String,
}

/// One 职责 block: 职责一 with its 职责表述, 工作任务 and 考核重点 rows.
#[derive(Debug, Clone, Serialize)]
pub struct DutyView {
    pub number: String,
    pub rows: Vec<Row>,
}

/// One 考核指标 line.
#[derive(Debug, Clone, Serialize)]
pub struct KpiView {
    pub name_html: String,
    pub weight: String,
    pub target: String,
    pub unit: String,
}

/// One position's form.
#[derive(Debug, Clone, Serialize)]
pub struct PositionView {
    pub id: String,
    pub anchor: String,
    pub title: String,
    pub heading: String,
    pub department: String,
    pub level: String,
    pub code: String,
    /// The header grid: rows of one or two cells, in the order of the Word form.
    pub header: Vec<Vec<Row>>,
    pub summary_html: String,
    pub duties: Vec<DutyView>,
    /// Rows the whole 职责与工作任务 section spans.
    pub duty_rows: usize,
    pub authorities_html: String,
    pub relations: Vec<Row>,
    pub qualifications: Vec<Row>,
    pub conditions: Vec<Row>,
    pub kpis: Vec<KpiView>,
    /// Whether the KPIs have a weight, target or unit column at all.
    pub kpi_weight: bool,
    pub kpi_target: bool,
    pub kpi_unit: bool,
    /// The KPI name's colspan in the 12-column grid.
    pub kpi_name_span: usize,
    /// The KPI names in one line, when none has a weight, target or unit.
    pub kpi_names_html: String,
    pub notes_html: String,
}

fn md(t: &Text) -> String {
    to_html(&t.value)
}

fn md_opt(t: &Option<Text>) -> String {
    t.as_ref()
        .filter(|t| !t.value.trim().is_empty())
        .map_or_else(String::new, md)
}

fn nonempty(items: &[Text]) -> impl Iterator<Item = &Text> {
    items.iter().filter(|t| !t.value.trim().is_empty())
}

/// Short items in one line: 机电、管理.
fn inline_list(items: &[Text], sep: &str) -> String {
    nonempty(items).map(md).collect::<Vec<_>>().join(sep)
}

/// Longer items one per line; a single item stays bare.
fn block_list(items: &[Text], tag: &str) -> String {
    let items: Vec<String> = nonempty(items).map(md).collect();
    match items.len() {
        0 => String::new(),
        1 => items.into_iter().next().unwrap_or_default(),
        _ => {
            let mut out = format!("<{tag} class=\"items\">");
            for i in items {
                out.push_str("<li>");
                out.push_str(&i);
                out.push_str("</li>");
            }
            out.push_str(&format!("</{tag}>"));
            out
        }
    }
}

/// 90 -> "90", 0.5 -> "0.5".
pub fn number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn push(rows: &mut Vec<Row>, ctx: &Ctx, key: &'static str, label: &'static str, html: String) {
    if !html.is_empty() && ctx.vis.shows(key) {
        rows.push(Row { key, label, html });
    }
}

/// Builds the form of position `index`.
pub fn position(ctx: &Ctx, index: usize, links: Links) -> PositionView {
    let p = &ctx.org.positions[index];
    let l = ctx.labels;
    let vis = &ctx.vis;
    let text = |key: &str, value: Option<&Text>| -> String {
        match value {
            Some(v) if vis.shows(key) => escape(v.value.trim()),
            _ => String::new(),
        }
    };

    let superior = if vis.shows("reports_to") {
        match ctx.org.superior(p) {
            Superior::None => String::new(),
            Superior::Position(s) => ctx.link(s, links),
            Superior::External(e) => escape(&e.title),
            // Only with --allow-errors: show what was written.
            Superior::Unknown => p
                .reports_to
                .as_ref()
                .map_or_else(String::new, |r| escape(&r.value)),
        }
    } else {
        String::new()
    };
    let reports = if vis.shows("direct_reports") {
        let mut v: Vec<usize> = ctx
            .org
            .direct_reports(index)
            .filter_map(|r| ctx.org.index_of(&r.id))
            .collect();
        v.sort_by(|&a, &b| ctx.cmp_positions(a, b));
        v.iter()
            .map(|&i| ctx.link(&ctx.org.positions[i], links))
            .collect::<Vec<_>>()
            .join(l.separator)
    } else {
        String::new()
    };
    let staff = if vis.shows("staff_supervised") {
        let all = ctx.org.staff_supervised(index);
        let mut listed = all
            .iter()
            .take(MAX_STAFF_LISTED)
            .map(|s| ctx.link(s, links))
            .collect::<Vec<_>>()
            .join(l.separator);
        if all.len() > MAX_STAFF_LISTED {
            listed.push_str(&if l.lang == "en" {
                format!(" … ({} positions in all)", all.len())
            } else {
                format!("等（共{}个岗位）", all.len())
            });
        }
        listed
    } else {
        String::new()
    };
    let headcount = match &p.headcount {
        Some(h) if vis.shows("headcount") => h.value.to_string(),
        _ => String::new(),
    };
    let date = match &p.analysis_date {
        Some(d) if vis.shows("analysis_date") => d.value.to_string(),
        _ => String::new(),
    };

    // The Word form's grid, pair by pair; a pair with one empty side gives the row to the other.
    let pairs: [[(&'static str, &'static str, String); 2]; 5] = [
        [
            ("title", l.title, escape(p.title.value.trim())),
            ("code", l.code, text("code", p.code.as_ref())),
        ],
        [
            (
                "department",
                l.department,
                text("department", Some(&p.department)),
            ),
            ("headcount", l.headcount, headcount),
        ],
        [
            ("reports_to", l.reports_to, superior),
            (
                "pay_grade",
                l.pay_grade,
                text("pay_grade", p.pay_grade.as_ref()),
            ),
        ],
        [
            ("direct_reports", l.direct_reports, reports),
            (
                "pay_type",
                l.pay_type,
                text("pay_type", p.pay_type.as_ref()),
            ),
        ],
        [
            ("staff_supervised", l.staff_supervised, staff),
            ("analysis_date", l.analysis_date, date),
        ],
    ];
    let header: Vec<Vec<Row>> = pairs
        .into_iter()
        .map(|pair| {
            pair.into_iter()
                .filter(|(_, _, html)| !html.is_empty())
                .map(|(key, label, html)| Row { key, label, html })
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect();

    let duties: Vec<DutyView> = if vis.shows("duties") {
        p.duties
            .iter()
            .enumerate()
            .map(|(n, d)| {
                let mut rows = Vec::new();
                push(&mut rows, ctx, "duties", l.duty_title, md(&d.title));
                push(
                    &mut rows,
                    ctx,
                    "duties.tasks",
                    l.tasks,
                    block_list(&d.tasks, "ol"),
                );
                let mut assessment = if vis.shows("duties.assessment") {
                    md_opt(&d.assessment)
                } else {
                    String::new()
                };
                if vis.shows("duties.kpis") && vis.shows("kpis") && !d.kpis.is_empty() {
                    if !assessment.is_empty() {
                        assessment.push_str("<br />");
                    }
                    assessment.push_str(&format!(
                        "<span class=\"duty-kpis\">{}{}{}</span>",
                        l.duty_kpis,
                        if l.lang == "en" { ": " } else { "：" },
                        inline_list(&d.kpis, l.separator)
                    ));
                }
                push(&mut rows, ctx, "duties", l.assessment, assessment);
                DutyView {
                    number: l.duty_number(n + 1),
                    rows,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let duty_rows = duties.iter().map(|d| d.rows.len()).sum();

    let mut relations = Vec::new();
    if vis.shows("relations") {
        let r = &p.relations;
        push(
            &mut relations,
            ctx,
            "relations.internal",
            l.internal,
            inline_list(&r.internal, l.separator),
        );
        push(
            &mut relations,
            ctx,
            "relations.external",
            l.external,
            inline_list(&r.external, l.separator),
        );
    }

    let mut qualifications = Vec::new();
    if vis.shows("qualifications") {
        let q = &p.qualifications;
        let sep = l.separator;
        let education = q
            .education
            .as_ref()
            .map_or_else(String::new, |e| escape(&l.education(e.value)));
        push(
            &mut qualifications,
            ctx,
            "qualifications.education",
            l.education,
            education,
        );
        push(
            &mut qualifications,
            ctx,
            "qualifications.majors",
            l.majors,
            inline_list(&q.majors, sep),
        );
        push(
            &mut qualifications,
            ctx,
            "qualifications.training",
            l.training,
            inline_list(&q.training, sep),
        );
        let written = q
            .experience
            .as_ref()
            .is_some_and(|t| !t.value.trim().is_empty());
        let experience = if vis.shows("qualifications.experience") && written {
            md_opt(&q.experience)
        } else {
            let years = q
                .experience_years
                .as_ref()
                .filter(|_| vis.shows("qualifications.experience_years"))
                .map(|y| number(y.value));
            let management = q
                .management_years
                .as_ref()
                .filter(|_| vis.shows("qualifications.management_years"))
                .map(|y| number(y.value));
            l.experience(years.as_deref(), management.as_deref())
                .map_or_else(String::new, |e| escape(&e))
        };
        // Shown under the one label 经验, whichever of its fields it came from.
        if !experience.is_empty() {
            qualifications.push(Row {
                key: "qualifications.experience",
                label: l.experience,
                html: experience,
            });
        }
        push(
            &mut qualifications,
            ctx,
            "qualifications.knowledge",
            l.knowledge,
            md_opt(&q.knowledge),
        );
        push(
            &mut qualifications,
            ctx,
            "qualifications.skills",
            l.skills,
            md_opt(&q.skills),
        );
        push(
            &mut qualifications,
            ctx,
            "qualifications.traits",
            l.traits,
            inline_list(&q.traits, sep),
        );
    }

    let mut conditions = Vec::new();
    if vis.shows("conditions") {
        let c = &p.conditions;
        push(
            &mut conditions,
            ctx,
            "conditions.tools",
            l.tools,
            inline_list(&c.tools, l.separator),
        );
        push(
            &mut conditions,
            ctx,
            "conditions.environment",
            l.environment,
            md_opt(&c.environment),
        );
        push(
            &mut conditions,
            ctx,
            "conditions.hours",
            l.hours,
            md_opt(&c.hours),
        );
        push(
            &mut conditions,
            ctx,
            "conditions.records",
            l.records,
            inline_list(&c.records, l.separator),
        );
    }

    let kpis: Vec<KpiView> = if vis.shows("kpis") {
        p.kpis
            .iter()
            .filter(|k| !k.name.value.trim().is_empty())
            .map(|k| KpiView {
                name_html: md(&k.name),
                weight: match &k.weight {
                    Some(w) if vis.shows("kpis.weight") => format!("{}%", number(w.value)),
                    _ => String::new(),
                },
                target: match &k.target {
                    Some(t) if vis.shows("kpis.target") => target(
                        t.value,
                        k.direction.value,
                        k.scale.as_ref().map(|s| s.value),
                        vis.shows("kpis.direction"),
                    ),
                    _ => String::new(),
                },
                unit: match &k.unit {
                    Some(u) if vis.shows("kpis.unit") => u.value.trim().to_string(),
                    _ => String::new(),
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let kpi_weight = kpis.iter().any(|k| !k.weight.is_empty());
    let kpi_target = kpis.iter().any(|k| !k.target.is_empty());
    let kpi_unit = kpis.iter().any(|k| !k.unit.is_empty());
    let kpi_name_span = 10
        - 2 * [kpi_weight, kpi_target, kpi_unit]
            .iter()
            .filter(|b| **b)
            .count();
    let kpi_names_html = if kpi_weight || kpi_target || kpi_unit {
        String::new()
    } else {
        kpis.iter()
            .map(|k| k.name_html.as_str())
            .collect::<Vec<_>>()
            .join(l.separator)
    };

    PositionView {
        id: p.id.clone(),
        anchor: ctx.anchor(index),
        title: p.title.value.trim().to_string(),
        heading: l.form_heading(p.title.value.trim()),
        department: if vis.shows("department") {
            p.department.value.trim().to_string()
        } else {
            String::new()
        },
        level: match ctx.org.level_name(p) {
            Some(level) if vis.shows("level") => level.to_string(),
            _ => String::new(),
        },
        code: if vis.shows("code") {
            p.code
                .as_ref()
                .map_or_else(String::new, |c| c.value.trim().to_string())
        } else {
            String::new()
        },
        header,
        summary_html: if vis.shows("summary") {
            md(&p.summary)
        } else {
            String::new()
        },
        duties,
        duty_rows,
        authorities_html: if vis.shows("authorities") {
            block_list(&p.authorities, "ul")
        } else {
            String::new()
        },
        relations,
        qualifications,
        conditions,
        kpis,
        kpi_weight,
        kpi_target,
        kpi_unit,
        kpi_name_span,
        kpi_names_html,
        notes_html: if vis.shows("notes") {
            md_opt(&p.notes)
        } else {
            String::new()
        },
    }
}

/// A KPI target as a reader takes it: ≥ 90, ≤ 24, 85–95, 4 / 5.
fn target(t: Target, direction: Direction, scale: Option<f64>, show_direction: bool) -> String {
    match (t, direction) {
        (Target::Band(lo, hi), _) => format!("{}–{}", number(lo), number(hi)),
        (Target::Value(v), Direction::Rating) => {
            format!("{} / {}", number(v), number(scale.unwrap_or(5.0)))
        }
        (Target::Value(v), Direction::Lower) if show_direction => format!("≤ {}", number(v)),
        (Target::Value(v), Direction::Higher) if show_direction => format!("≥ {}", number(v)),
        (Target::Value(v), _) => number(v),
    }
}

/// Compares codes the way people count: KF-2 before KF-10.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let da = a.len() - a.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let db = b.len() - b.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if da > 0 && db > 0 {
            let (na, nb) = (
                a[..da].trim_start_matches('0'),
                b[..db].trim_start_matches('0'),
            );
            let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
            if ord != Ordering::Equal {
                return ord;
            }
            a = &a[da..];
            b = &b[db..];
        } else {
            let ca = a.chars().next().unwrap_or_default();
            let cb = b.chars().next().unwrap_or_default();
            if ca != cb {
                return ca.cmp(&cb);
            }
            a = &a[ca.len_utf8()..];
            b = &b[cb.len_utf8()..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_sort_the_way_people_count() {
        let mut v = vec!["KF-10", "KF-2", "KF-1", "A", "KF-02"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["A", "KF-1", "KF-2", "KF-02", "KF-10"]);
    }

    #[test]
    fn confidential_sections_hide_their_parts() {
        let vis = Visibility::new(
            Edition::Public,
            &["pay_grade".to_string(), "qualifications".to_string()],
        )
        .unwrap();
        assert!(!vis.shows("pay_grade"));
        assert!(!vis.shows("qualifications.skills"));
        assert!(vis.shows("pay_type"));
        assert!(vis.shows("qualifications_x"));
        let internal = Visibility::new(Edition::Internal, &["pay_grade".to_string()]).unwrap();
        assert!(internal.shows("pay_grade"));
    }

    #[test]
    fn an_unknown_confidential_field_is_refused_not_ignored() {
        let err = Visibility::new(Edition::Public, &["paygrade".to_string()]).unwrap_err();
        assert!(err.to_string().contains("pay_grade"), "{err}");
    }

    #[test]
    fn every_shown_field_can_be_made_confidential() {
        let f = fields();
        for name in [
            "pay_grade",
            "pay_type",
            "code",
            "direct_reports",
            "staff_supervised",
            "duties.assessment",
            "kpis.weight",
            "qualifications.experience_years",
            "conditions.records",
            "relations",
        ] {
            assert!(f.iter().any(|x| x == name), "{name} not in {f:?}");
        }
        assert!(!f.iter().any(|x| x == "title" || x == "duties.title"));
    }

    #[test]
    fn hiding_one_reporting_field_hides_them_all() {
        let vis = Visibility::new(Edition::Public, &["reports_to".to_string()]).unwrap();
        assert!(!vis.shows("direct_reports"));
        assert!(!vis.shows("staff_supervised"));
    }
}
