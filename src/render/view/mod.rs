//! The one view of the handbook: what every output shows, decided once.
//!
//! `load -> check -> view -> {html, pdf}`. A [`Book`] holds the front matter (title, cover
//! date, edition, contents grouped by department, chart groups, the 岗位编号 index) and builds
//! each position's [`Form`]: ordered sections of labelled fields, the edition's `[confidential]`
//! fields already left out, derived fields (直接下级, 所辖人员) filled in, empty rows dropped.
//! Values are not yet any output format: free text is still Markdown and links are position
//! indices. The HTML and PDF writers only lay this out; neither decides what is shown.

mod form;

use std::cmp::Ordering;

pub use form::{Duty, Field, Form, Kpi, Kpis, Ref, Section, Value, is_empty};

use super::labels::Labels;
use super::{Edition, Options, RenderError};
use crate::model::{Date, Org, Position};
use crate::util::did_you_mean;

/// Field names `[confidential]` may list: every key of a position file but the title (and
/// a duty's title or a KPI's name, which identify the row) and `extends` (a template's id,
/// never shown), plus the two derived fields.
/// A dotted name hides one part of a section (`qualifications.experience`); a section name
/// hides all of it.
pub fn fields() -> Vec<String> {
    let (top, sections) = crate::load::position_keys();
    let mut out: Vec<String> = top
        .iter()
        .filter(|k| !matches!(**k, "title" | "extends"))
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
