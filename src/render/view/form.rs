//! A position's 职务说明书 as the view has it: the header grid and the ordered sections of
//! labelled fields, with format-neutral values ([`Value`]) that each writer lays out.

use super::Book;
use crate::model::{Direction, Position, Superior, Target, Text};
use crate::render::labels::Labels;
use crate::util::number::plain as number;

/// A position named in a form or the chart: linked when it has a form in the book.
#[derive(Debug, Clone, PartialEq)]
pub struct Ref {
    pub title: String,
    /// The position's index in [`Org::positions`]; `None` for an `[external]` superior or a
    /// `reports_to` that names nothing (only with `--allow-errors`).
    pub position: Option<usize>,
}

/// The value of one field, before any output format.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text shown as written.
    Plain(String),
    /// Free text: inline Markdown.
    Markdown(String),
    /// Short items in one line, joined by the language's separator (each inline Markdown).
    Inline(Vec<String>),
    /// Longer items one per line, numbered when `ordered`; a single item stays bare.
    Items { items: Vec<String>, ordered: bool },
    /// Positions, each linked to its form; `total` > `refs.len()` when the list was cut.
    Positions { refs: Vec<Ref>, total: usize },
    /// 考核重点: the assessment text, then the KPIs the duty is measured by, on a line of
    /// their own after `label`.
    Assessment {
        text: Option<String>,
        label: &'static str,
        kpis: Vec<String>,
    },
}

/// One labelled cell of the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The field it shows (`pay_grade`, `qualifications.skills`, …): the name
    /// `[confidential]` uses, and a hook for templates and styles.
    pub key: &'static str,
    pub label: &'static str,
    pub value: Value,
}

/// One 职责 block: 职责一 with its 职责表述, 工作任务 and 考核重点 rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Duty {
    pub number: String,
    pub rows: Vec<Field>,
}

/// One 考核指标 line; empty strings for the parts the edition hides or the file lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    /// Inline Markdown.
    pub name: String,
    pub weight: String,
    pub target: String,
    pub unit: String,
}

/// The 考核指标 table and which of its columns have anything in them.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpis {
    pub label: &'static str,
    pub rows: Vec<Kpi>,
    pub weight: bool,
    pub target: bool,
    pub unit: bool,
}

impl Kpis {
    /// Whether the table is only names (shown in one line).
    pub fn names_only(&self) -> bool {
        !(self.weight || self.target || self.unit)
    }

    /// The headers of the columns beside the name that have anything in them: 权重, 目标值,
    /// 单位, in that order.
    pub fn columns(&self, l: &Labels) -> Vec<&'static str> {
        [
            (self.weight, l.kpi_weight),
            (self.target, l.kpi_target),
            (self.unit, l.kpi_unit),
        ]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, label)| label)
        .collect()
    }

    /// A row's cells under [`Kpis::columns`].
    pub fn cells<'a>(&self, r: &'a Kpi) -> Vec<&'a str> {
        [
            (self.weight, &r.weight),
            (self.target, &r.target),
            (self.unit, &r.unit),
        ]
        .into_iter()
        .filter(|(shown, _)| *shown)
        .map(|(_, v)| v.as_str())
        .collect()
    }
}

/// A part of the form below the header grid, in the order of the Word form.
#[derive(Debug, Clone, PartialEq)]
pub enum Section {
    /// A label and its value over the whole width: 本职, 权力, 备注.
    Field(Field),
    /// 职责与工作任务.
    Duties {
        label: &'static str,
        duties: Vec<Duty>,
    },
    /// A labelled group of rows: 工作协作关系, 任职资格, 其它.
    Group {
        key: &'static str,
        label: &'static str,
        rows: Vec<Field>,
    },
    /// 考核指标.
    Kpis(Kpis),
}

/// One position's 职务说明书.
#[derive(Debug, Clone, PartialEq)]
pub struct Form {
    /// The position's index in [`Org::positions`].
    pub position: usize,
    pub id: String,
    pub title: String,
    /// 客服部经理职务说明书.
    pub heading: String,
    /// Empty when hidden.
    pub department: String,
    pub level: String,
    pub code: String,
    /// The header grid: rows of one or two fields, in the order of the Word form.
    pub header: Vec<Vec<Field>>,
    /// Everything below the header, in order; sections with nothing to show are left out.
    pub sections: Vec<Section>,
}

/// The most items a 所辖人员 cell lists before it says how many there are in all.
const MAX_STAFF_LISTED: usize = 40;

impl Book<'_> {
    /// Builds the form of position `index`.
    pub fn form(&self, index: usize) -> Form {
        let p = self.position(index);
        let l = self.labels;
        let vis = &self.vis;
        let plain = |key: &str, value: Option<&Text>| -> Value {
            match value {
                Some(v) if vis.shows(key) => Value::Plain(v.value.trim().to_string()),
                _ => Value::Plain(String::new()),
            }
        };

        let superior = if vis.shows("reports_to") {
            match self.org.superior(p) {
                Superior::None => None,
                Superior::Position(s) => Some(self.reference(s)),
                Superior::External(e) => Some(Ref {
                    title: e.title.value.trim().to_string(),
                    position: None,
                }),
                // Only with --allow-errors: show what was written.
                Superior::Unknown => p.reports_to.as_ref().map(|r| Ref {
                    title: r.value.trim().to_string(),
                    position: None,
                }),
            }
        } else {
            None
        };
        let superior = Value::Positions {
            total: usize::from(superior.is_some()),
            refs: superior.into_iter().collect(),
        };
        let reports = if vis.shows("direct_reports") {
            let mut v: Vec<usize> = self
                .org
                .direct_reports(index)
                .filter_map(|r| self.org.index_of(&r.id))
                .collect();
            v.sort_by(|&a, &b| self.cmp_positions(a, b));
            let refs: Vec<Ref> = v
                .iter()
                .map(|&i| self.reference(self.position(i)))
                .collect();
            Value::Positions {
                total: refs.len(),
                refs,
            }
        } else {
            Value::Plain(String::new())
        };
        let staff = if vis.shows("staff_supervised") {
            let all = self.org.staff_supervised(index);
            Value::Positions {
                refs: all
                    .iter()
                    .take(MAX_STAFF_LISTED)
                    .map(|s| self.reference(s))
                    .collect(),
                total: all.len(),
            }
        } else {
            Value::Plain(String::new())
        };
        let headcount = match &p.headcount {
            Some(h) if vis.shows("headcount") => h.value.to_string(),
            _ => String::new(),
        };
        let date = match &p.analysis_date {
            Some(d) if vis.shows("analysis_date") => d.value.to_string(),
            _ => String::new(),
        };
        let level = self.level_of(index);

        // The Word form's grid, pair by pair; a pair with one empty side gives the row to the
        // other. 职级 is not on the Word form; it closes the grid, alone.
        let pairs: [[(&'static str, &'static str, Value); 2]; 6] = [
            [
                ("title", l.title, Value::Plain(self.title_of(index))),
                ("code", l.code, plain("code", p.code.as_ref())),
            ],
            [
                (
                    "department",
                    l.department,
                    plain("department", Some(&p.department)),
                ),
                ("headcount", l.headcount, Value::Plain(headcount)),
            ],
            [
                ("reports_to", l.reports_to, superior),
                (
                    "pay_grade",
                    l.pay_grade,
                    plain("pay_grade", p.pay_grade.as_ref()),
                ),
            ],
            [
                ("direct_reports", l.direct_reports, reports),
                (
                    "pay_type",
                    l.pay_type,
                    plain("pay_type", p.pay_type.as_ref()),
                ),
            ],
            [
                ("staff_supervised", l.staff_supervised, staff),
                ("analysis_date", l.analysis_date, Value::Plain(date)),
            ],
            [
                ("level", l.level, Value::Plain(level.clone())),
                ("", "", Value::Plain(String::new())),
            ],
        ];
        let header: Vec<Vec<Field>> = pairs
            .into_iter()
            .map(|pair| {
                pair.into_iter()
                    .filter(|(_, _, value)| !is_empty(value))
                    .map(|(key, label, value)| Field { key, label, value })
                    .collect::<Vec<_>>()
            })
            .filter(|row| !row.is_empty())
            .collect();

        let mut sections = Vec::new();
        let wide = |sections: &mut Vec<Section>, key: &'static str, label, value: Value| {
            if vis.shows(key) && !is_empty(&value) {
                sections.push(Section::Field(Field { key, label, value }));
            }
        };
        wide(
            &mut sections,
            "summary",
            l.summary,
            markdown(Some(&p.summary)),
        );

        let duties: Vec<Duty> = if vis.shows("duties") {
            p.duties
                .iter()
                .enumerate()
                .map(|(n, d)| {
                    let mut rows = Vec::new();
                    let mut push = |key: &'static str, label: &'static str, value: Value| {
                        if vis.shows(key) && !is_empty(&value) {
                            rows.push(Field { key, label, value });
                        }
                    };
                    push("duties", l.duty_title, markdown(Some(&d.title)));
                    push("duties.tasks", l.tasks, items(&d.tasks, true));
                    let kpis = if vis.shows("duties.kpis") && vis.shows("kpis") {
                        texts(&d.kpis)
                    } else {
                        Vec::new()
                    };
                    let text = d
                        .assessment
                        .as_ref()
                        .filter(|_| vis.shows("duties.assessment"))
                        .map(|t| t.value.trim().to_string())
                        .filter(|t| !t.is_empty());
                    push(
                        "duties",
                        l.assessment,
                        Value::Assessment {
                            text,
                            label: l.duty_kpis,
                            kpis,
                        },
                    );
                    Duty {
                        number: l.duty_number(n + 1),
                        rows,
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        if !duties.is_empty() {
            sections.push(Section::Duties {
                label: l.duties,
                duties,
            });
        }
        wide(
            &mut sections,
            "authorities",
            l.authorities,
            items(&p.authorities, false),
        );

        let mut group = |key: &'static str, label: &'static str, rows: Vec<Field>| {
            let rows: Vec<Field> = rows
                .into_iter()
                .filter(|f| vis.shows(f.key) && !is_empty(&f.value))
                .collect();
            if vis.shows(key) && !rows.is_empty() {
                sections.push(Section::Group { key, label, rows });
            }
        };
        let field =
            |key: &'static str, label: &'static str, value: Value| Field { key, label, value };
        let r = &p.relations;
        group(
            "relations",
            l.relations,
            vec![
                field(
                    "relations.internal",
                    l.internal,
                    Value::Inline(texts(&r.internal)),
                ),
                field(
                    "relations.external",
                    l.external,
                    Value::Inline(texts(&r.external)),
                ),
            ],
        );
        let q = &p.qualifications;
        let education = q
            .education
            .as_ref()
            .map_or_else(String::new, |e| l.education(e.value));
        group(
            "qualifications",
            l.qualifications,
            vec![
                field(
                    "qualifications.education",
                    l.education,
                    Value::Plain(education),
                ),
                field(
                    "qualifications.majors",
                    l.majors,
                    Value::Inline(texts(&q.majors)),
                ),
                field(
                    "qualifications.training",
                    l.training,
                    Value::Inline(texts(&q.training)),
                ),
                self.experience(p),
                field(
                    "qualifications.knowledge",
                    l.knowledge,
                    markdown(q.knowledge.as_ref()),
                ),
                field(
                    "qualifications.skills",
                    l.skills,
                    markdown(q.skills.as_ref()),
                ),
                field(
                    "qualifications.traits",
                    l.traits,
                    Value::Inline(texts(&q.traits)),
                ),
            ],
        );
        let c = &p.conditions;
        group(
            "conditions",
            l.conditions,
            vec![
                field("conditions.tools", l.tools, Value::Inline(texts(&c.tools))),
                field(
                    "conditions.environment",
                    l.environment,
                    markdown(c.environment.as_ref()),
                ),
                field("conditions.hours", l.hours, markdown(c.hours.as_ref())),
                field(
                    "conditions.records",
                    l.records,
                    Value::Inline(texts(&c.records)),
                ),
            ],
        );

        if vis.shows("kpis") {
            let rows: Vec<Kpi> = p
                .kpis
                .iter()
                .filter(|k| !k.name.value.trim().is_empty())
                .map(|k| Kpi {
                    name: k.name.value.trim().to_string(),
                    weight: match &k.weight {
                        Some(w) if vis.shows("kpis.weight") => format!("{}%", number(w.value)),
                        _ => String::new(),
                    },
                    target: match &k.target {
                        Some(t) if vis.shows("kpis.target") => target(
                            t.value,
                            k.direction.value,
                            vis.shows("kpis.scale")
                                .then(|| k.scale.as_ref().map_or(5.0, |s| s.value)),
                            vis.shows("kpis.direction"),
                        ),
                        _ => String::new(),
                    },
                    unit: match &k.unit {
                        Some(u) if vis.shows("kpis.unit") => u.value.trim().to_string(),
                        _ => String::new(),
                    },
                })
                .collect();
            if !rows.is_empty() {
                sections.push(Section::Kpis(Kpis {
                    label: l.kpis,
                    weight: rows.iter().any(|k| !k.weight.is_empty()),
                    target: rows.iter().any(|k| !k.target.is_empty()),
                    unit: rows.iter().any(|k| !k.unit.is_empty()),
                    rows,
                }));
            }
        }
        wide(&mut sections, "notes", l.notes, markdown(p.notes.as_ref()));

        Form {
            position: index,
            id: p.id.clone(),
            title: self.title_of(index),
            heading: l.form_heading(p.title.value.trim()),
            department: self.department_of(index),
            level,
            code: self.code_of(index),
            header,
            sections,
        }
    }

    /// 经验: the text when written (and shown), else a sentence from the numbers shown; the
    /// field's key names what it came from, so the edition's choice holds for each part.
    fn experience(&self, p: &Position) -> Field {
        let q = &p.qualifications;
        let vis = &self.vis;
        let written = q.experience.as_ref().filter(|t| !t.value.trim().is_empty());
        match written {
            Some(t) if vis.shows("qualifications.experience") => Field {
                key: "qualifications.experience",
                label: self.labels.experience,
                value: Value::Markdown(t.value.trim().to_string()),
            },
            _ => {
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
                Field {
                    key: if years.is_some() {
                        "qualifications.experience_years"
                    } else {
                        "qualifications.management_years"
                    },
                    label: self.labels.experience,
                    value: Value::Plain(
                        self.labels
                            .experience(years.as_deref(), management.as_deref())
                            .unwrap_or_default(),
                    ),
                }
            }
        }
    }
}

/// Whether a value has nothing to show (its row is dropped).
pub fn is_empty(value: &Value) -> bool {
    match value {
        Value::Plain(s) | Value::Markdown(s) => s.trim().is_empty(),
        Value::Inline(items) | Value::Items { items, .. } => items.is_empty(),
        Value::Positions { refs, .. } => refs.is_empty(),
        Value::Assessment { text, kpis, .. } => text.is_none() && kpis.is_empty(),
    }
}

fn markdown(t: Option<&Text>) -> Value {
    Value::Markdown(t.map_or_else(String::new, |t| t.value.trim().to_string()))
}

/// The items that have text, trimmed.
fn texts(items: &[Text]) -> Vec<String> {
    items
        .iter()
        .map(|t| t.value.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

fn items(list: &[Text], ordered: bool) -> Value {
    Value::Items {
        items: texts(list),
        ordered,
    }
}

/// A KPI target as a reader takes it: ≥ 90, ≤ 24, 85–95, 4 / 5 (`scale` is `None` when
/// the edition hides it).
fn target(t: Target, direction: Direction, scale: Option<f64>, show_direction: bool) -> String {
    match (t, direction) {
        (Target::Band(lo, hi), _) => format!("{}–{}", number(lo), number(hi)),
        (Target::Value(v), Direction::Rating) => match scale {
            Some(scale) => format!("{} / {}", number(v), number(scale)),
            None => number(v),
        },
        (Target::Value(v), Direction::Lower) if show_direction => format!("≤ {}", number(v)),
        (Target::Value(v), Direction::Higher) if show_direction => format!("≥ {}", number(v)),
        (Target::Value(v), _) => number(v),
    }
}
