//! The one view of the handbook: what every output shows, decided once.
//!
//! `load -> check -> view -> {html, pdf}`. A [`Book`] holds the front matter (title, cover
//! date, edition, contents grouped by department, chart groups, the 岗位编号 index) and builds
//! each position's [`Form`]: ordered sections of labelled fields, the edition's `[confidential]`
//! fields already left out, derived fields (直接下级, 所辖人员) filled in, empty rows dropped.
//! Values are not yet any output format: free text is still Markdown and links are position
//! indices. The HTML and PDF writers only lay this out; neither decides what is shown.

use std::cmp::Ordering;

use super::labels::Labels;
use super::{Edition, Options, RenderError};
use crate::model::{Date, Direction, Org, Position, Superior, Target, Text};
use crate::util::did_you_mean;
use crate::util::number::plain as number;

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

/// Above this many positions, the chart is drawn department by department: one tree of
/// thousands would have to shrink beyond reading to fit a page.
pub const ONE_CHART_MAX: usize = 60;

/// The fields that show a reporting line: hiding one hides them all (and the chart).
const REPORTING: [&str; 3] = ["reports_to", "direct_reports", "staff_supervised"];

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
        if REPORTING.iter().any(|f| hidden.iter().any(|h| h == f)) {
            hidden.extend(REPORTING.iter().map(|s| s.to_string()));
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

/// A department's positions in the contents.
#[derive(Debug, Clone)]
pub struct Department {
    /// Empty when departments are hidden or a position has none.
    pub name: String,
    /// Position indices, highest level first.
    pub members: Vec<usize>,
}

/// One chart to draw: the whole organization (empty title), or one department's.
#[derive(Debug, Clone)]
pub struct ChartGroup {
    pub title: String,
    pub members: Vec<usize>,
}

/// One line of the 岗位编号 index.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub code: String,
    pub title: String,
    pub department: String,
    pub position: usize,
}

/// The handbook of one build: what surrounds the forms, and the forms on demand.
pub struct Book<'a> {
    pub org: &'a Org,
    pub labels: &'static Labels,
    pub edition: Edition,
    pub vis: Visibility,
    pub org_name: String,
    /// The handbook's title: `handbook_title`, else 岗位职责说明书.
    pub title: String,
    /// `--date`, else the newest 岗位分析日期 (when shown), else `SOURCE_DATE_EPOCH`.
    pub date: Option<Date>,
    pub edition_label: &'static str,
    pub departments: Vec<Department>,
    /// Positions in handbook order: department by department, highest level first.
    pub order: Vec<usize>,
    /// The charts: one, or one per department above [`ONE_CHART_MAX`] positions; none when
    /// the reporting lines are confidential.
    pub charts: Vec<ChartGroup>,
    /// By 岗位编号, positions without one last; empty when codes are confidential.
    pub index: Vec<IndexEntry>,
}

impl<'a> Book<'a> {
    pub fn new(org: &'a Org, options: &Options) -> Result<Self, RenderError> {
        let vis = Visibility::new(options.edition, &org.settings.confidential)?;
        let labels = Labels::of(org.settings.lang);
        let settings = &org.settings;
        let mut book = Book {
            org,
            labels,
            edition: options.edition,
            vis,
            org_name: settings
                .name
                .as_ref()
                .map_or_else(String::new, |n| n.value.trim().to_string()),
            title: settings
                .handbook_title
                .as_ref()
                .map(|t| t.value.trim())
                .filter(|t| !t.is_empty())
                .unwrap_or(labels.handbook_title)
                .to_string(),
            date: None,
            edition_label: match options.edition {
                Edition::Internal => labels.edition_internal,
                Edition::Public => labels.edition_public,
            },
            departments: Vec::new(),
            order: Vec::new(),
            charts: Vec::new(),
            index: Vec::new(),
        };
        book.date = book.cover_date(options);
        book.departments = book.group_by_department();
        book.order = book
            .departments
            .iter()
            .flat_map(|d| d.members.iter().copied())
            .collect();
        book.charts = book.chart_groups();
        book.index = book.code_index();
        Ok(book)
    }

    /// The title and organization name as the cover shows them: "华东公司 岗位职责说明书".
    pub fn full_title(&self) -> String {
        if self.org_name.is_empty() {
            self.title.clone()
        } else {
            format!("{} {}", self.org_name, self.title)
        }
    }

    /// The cover date as the language writes it, or empty.
    pub fn date_text(&self) -> String {
        self.date.map_or_else(String::new, |d| self.labels.date(d))
    }

    fn position(&self, i: usize) -> &'a Position {
        &self.org.positions[i]
    }

    /// A position's title as every output shows it.
    pub fn title_of(&self, i: usize) -> String {
        self.position(i).title.value.trim().to_string()
    }

    /// A position's 岗位编号, or empty when it has none or codes are hidden.
    pub fn code_of(&self, i: usize) -> String {
        match &self.position(i).code {
            Some(c) if self.vis.shows("code") => c.value.trim().to_string(),
            _ => String::new(),
        }
    }

    /// A position's department, or empty when hidden.
    pub fn department_of(&self, i: usize) -> String {
        if self.vis.shows("department") {
            self.position(i).department.value.trim().to_string()
        } else {
            String::new()
        }
    }

    /// A position's level name, or empty when hidden or unknown.
    pub fn level_of(&self, i: usize) -> String {
        match self.org.level_name(self.position(i)) {
            Some(level) if self.vis.shows("level") => level.to_string(),
            _ => String::new(),
        }
    }

    fn reference(&self, p: &Position) -> Ref {
        Ref {
            title: p.title.value.trim().to_string(),
            position: self.org.index_of(&p.id),
        }
    }

    /// Sorts positions the way a reader expects: higher levels first, then by code and title.
    pub fn cmp_positions(&self, a: usize, b: usize) -> Ordering {
        let (pa, pb) = (self.position(a), self.position(b));
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
    fn group_by_department(&self) -> Vec<Department> {
        let mut groups: Vec<Department> = Vec::new();
        for i in 0..self.org.positions.len() {
            let name = self.department_of(i);
            match groups.iter_mut().find(|d| d.name == name) {
                Some(d) => d.members.push(i),
                None => groups.push(Department {
                    name,
                    members: vec![i],
                }),
            }
        }
        for d in groups.iter_mut() {
            d.members.sort_by(|&a, &b| self.cmp_positions(a, b));
        }
        let listed: Vec<&str> = self
            .org
            .settings
            .departments
            .iter()
            .flatten()
            .map(|d| d.value.as_str())
            .collect();
        let top = |d: &Department| {
            d.members
                .iter()
                .filter_map(|&i| self.position(i).level_index)
                .max()
        };
        groups.sort_by(|a, b| {
            let ra = listed
                .iter()
                .position(|d| *d == a.name)
                .unwrap_or(usize::MAX);
            let rb = listed
                .iter()
                .position(|d| *d == b.name)
                .unwrap_or(usize::MAX);
            ra.cmp(&rb)
                .then_with(|| top(b).cmp(&top(a)))
                .then_with(|| a.name.cmp(&b.name))
        });
        groups
    }

    fn cover_date(&self, options: &Options) -> Option<Date> {
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

    fn chart_groups(&self) -> Vec<ChartGroup> {
        if !self.vis.shows("reports_to") || self.order.is_empty() {
            Vec::new()
        } else if self.org.positions.len() <= ONE_CHART_MAX || self.departments.len() == 1 {
            vec![ChartGroup {
                title: String::new(),
                members: self.order.clone(),
            }]
        } else {
            self.departments
                .iter()
                .map(|d| ChartGroup {
                    title: d.name.clone(),
                    members: d.members.clone(),
                })
                .collect()
        }
    }

    fn code_index(&self) -> Vec<IndexEntry> {
        if !self.vis.shows("code") {
            return Vec::new();
        }
        let codes: Vec<String> = (0..self.org.positions.len())
            .map(|i| self.code_of(i))
            .collect();
        let mut by_code: Vec<usize> = (0..self.org.positions.len()).collect();
        by_code.sort_by(|&a, &b| {
            let (ca, cb) = (&codes[a], &codes[b]);
            // Positions without a code come last, in handbook order.
            ca.is_empty()
                .cmp(&cb.is_empty())
                .then_with(|| natural_cmp(ca, cb))
                .then_with(|| self.cmp_positions(a, b))
        });
        by_code
            .into_iter()
            .map(|i| IndexEntry {
                code: codes[i].clone(),
                title: self.title_of(i),
                department: self.department_of(i),
                position: i,
            })
            .collect()
    }

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
        let mut wide = |key: &'static str, label: &'static str, value: Value| {
            if vis.shows(key) && !is_empty(&value) {
                sections.push(Section::Field(Field { key, label, value }));
            }
        };
        wide("summary", l.summary, markdown(Some(&p.summary)));
        let authorities = items(&p.authorities, false);
        let notes = markdown(p.notes.as_ref());

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
        if vis.shows("authorities") && !is_empty(&authorities) {
            sections.push(Section::Field(Field {
                key: "authorities",
                label: l.authorities,
                value: authorities,
            }));
        }

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
        if vis.shows("notes") && !is_empty(&notes) {
            sections.push(Section::Field(Field {
                key: "notes",
                label: l.notes,
                value: notes,
            }));
        }

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
