//! The HTML handbook: the [`Book`] view through tera templates.
//!
//! The templates of `templates/` are compiled into the binary; a `--templates` folder
//! replaces any of them by name. This module only turns the view's values into HTML (Markdown
//! through [`to_html`], positions into links) and hands them to the templates; what is shown
//! was decided by the view. Each form is rendered once per link style, in parallel; the
//! single-file handbook and the split pages reuse them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::labels::Labels;
use super::view::{Book, Field, Form, Kpis, Ref, Section, Value};
use super::{Options, RenderError, chart, escape};
use crate::diag::display_path;
use crate::markdown::to_html;
use crate::model::Org;
use crate::util::did_you_mean;

/// The built-in templates, by name. A `--templates` folder may replace any of them.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "handbook.html",
        include_str!("../../templates/handbook.html"),
    ),
    (
        "contents.html",
        include_str!("../../templates/contents.html"),
    ),
    ("page.html", include_str!("../../templates/page.html")),
    (
        "position.html",
        include_str!("../../templates/position.html"),
    ),
    ("front.html", include_str!("../../templates/front.html")),
    (
        "code-index.html",
        include_str!("../../templates/code-index.html"),
    ),
    ("head.html", include_str!("../../templates/head.html")),
    ("style.css", include_str!("../../templates/style.css")),
];

/// The templates of one build: the built-in ones with a user's folder laid over them.
pub struct Templates {
    tera: Tera,
    /// Each user template's name and the path to show for it in errors.
    user: Vec<(String, String)>,
}

impl Templates {
    /// Loads the built-in templates, replaced by those found in `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Self, RenderError> {
        let mut sources: Vec<(String, String)> = TEMPLATES
            .iter()
            .map(|(n, s)| (n.to_string(), s.to_string()))
            .collect();
        let mut user = Vec::new();
        if let Some(dir) = dir {
            if !dir.is_dir() {
                return Err(RenderError::TemplatesMissing(display_path(dir)));
            }
            let io = |path: &Path, source| RenderError::TemplateIo {
                path: display_path(path),
                source,
            };
            let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
                .map_err(|e| io(dir, e))?
                .map(|e| e.map(|e| e.path()).map_err(|e| io(dir, e)))
                .collect::<Result<_, _>>()?;
            entries.sort();
            let names: Vec<&str> = TEMPLATES.iter().map(|(n, _)| *n).collect();
            for path in entries {
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                let is_template = name.ends_with(".html") || name.ends_with(".css");
                if !is_template || name.starts_with('.') {
                    continue;
                }
                // A misspelt file would otherwise be ignored without a word.
                let Some(slot) = sources.iter_mut().find(|(n, _)| n == name) else {
                    return Err(RenderError::UnknownTemplate {
                        path: display_path(&path),
                        hint: match did_you_mean(name, &names) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => format!("the templates are: {}", names.join(", ")),
                        },
                    });
                };
                slot.1 = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
                user.push((name.to_string(), display_path(&path)));
            }
        }
        let mut tera = Tera::new();
        tera.add_raw_templates(sources)
            .map_err(|e| report(&user, &e))?;
        Ok(Templates { tera, user })
    }

    fn render(&self, name: &str, context: &Context) -> Result<String, RenderError> {
        self.tera
            .render(name, context)
            .map_err(|e| report(&self.user, &e))
    }
}

/// Tera's report with each user template named by its path, so the user finds the line.
fn report(user: &[(String, String)], err: &tera::Error) -> RenderError {
    let mut report = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        report.push_str(&format!(" ({s})"));
        source = s.source();
    }
    for (name, path) in user {
        report = report.replace(&format!("--> {name}:"), &format!("--> {path}:"));
    }
    let report = report.strip_prefix("error: ").unwrap_or(&report);
    RenderError::Template(report.to_string())
}

/// A file of the handbook, relative to the output folder.
#[derive(Debug, Clone)]
pub struct OutputFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Everything a build writes, and the folder of split pages (to prune pages of positions
/// that no longer exist).
#[derive(Debug, Clone)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    pub split_dir: Option<PathBuf>,
}

/// How forms link to each other: anchors in one file, or one page per position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Links {
    Anchors,
    Pages,
}

/// File names and anchors of the positions of one build.
struct Html<'b, 'a> {
    book: &'b Book<'a>,
    /// Slug of each position, by index.
    slugs: Vec<String>,
    /// The forms in handbook order and the charts laid out, once for both link styles.
    forms: Vec<Form>,
    charts: Vec<(String, chart::Chart)>,
}

/// The anchor of a position's form: `p-` and the position's slug ([`super::slug`]).
pub fn form_anchor(slug: &str) -> String {
    format!("p-{slug}")
}

/// The anchor of one row of a form: the form's anchor, `--`, and the field's key with dashes
/// for dots (`p-cs-manager--qualifications-skills`); the n-th duty (from 1) is `duties.n`.
/// The preview links findings to rows with it, so every id on a form comes from here.
pub fn row_anchor(form: &str, key: &str) -> String {
    format!("{form}--{}", key.replace('.', "-"))
}

impl Html<'_, '_> {
    fn anchor(&self, index: usize) -> String {
        form_anchor(&self.slugs[index])
    }

    fn file(&self, index: usize) -> String {
        format!("{}.html", self.slugs[index])
    }

    fn href(&self, index: usize, links: Links) -> String {
        match links {
            Links::Anchors => format!("#{}", self.anchor(index)),
            Links::Pages => self.file(index),
        }
    }

    fn link(&self, r: &Ref, links: Links) -> String {
        match r.position {
            Some(i) => format!(
                "<a href=\"{}\">{}</a>",
                escape(&self.href(i, links)),
                escape(&r.title)
            ),
            None => escape(&r.title),
        }
    }

    /// A value of the view as an HTML fragment.
    fn value(&self, value: &Value, links: Links) -> String {
        let l = self.book.labels;
        match value {
            Value::Plain(s) => escape(s.trim()),
            Value::Markdown(s) => to_html(s),
            Value::Inline(items) => inline(items, l.separator),
            Value::Items { items, ordered } => {
                let items: Vec<String> = items.iter().map(|i| to_html(i)).collect();
                match items.len() {
                    0 => String::new(),
                    1 => items.into_iter().next().unwrap_or_default(),
                    _ => {
                        let tag = if *ordered { "ol" } else { "ul" };
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
            Value::Positions { refs, total } => {
                let mut out = refs
                    .iter()
                    .map(|r| self.link(r, links))
                    .collect::<Vec<_>>()
                    .join(l.separator);
                if *total > refs.len() {
                    out.push_str(&escape(&l.more_positions(*total)));
                }
                out
            }
            Value::Assessment { text, label, kpis } => {
                let mut out = text.as_deref().map_or_else(String::new, to_html);
                if !kpis.is_empty() {
                    if !out.is_empty() {
                        out.push_str("<br />");
                    }
                    out.push_str(&format!(
                        "<span class=\"duty-kpis\">{}{}{}</span>",
                        escape(label),
                        l.colon(),
                        inline(kpis, l.separator)
                    ));
                }
                out
            }
        }
    }

    fn row(&self, f: &Field, form: &str, links: Links) -> Row {
        Row {
            key: f.key,
            label: f.label,
            html: self.value(&f.value, links),
            anchor: row_anchor(form, f.key),
        }
    }

    /// The template's context of one form.
    fn position(&self, form: &Form, links: Links) -> PositionView {
        let anchor = self.anchor(form.position);
        let mut p = PositionView {
            id: form.id.clone(),
            anchors: SectionAnchors::of(&anchor),
            anchor: anchor.clone(),
            title: form.title.clone(),
            heading: form.heading.clone(),
            department: form.department.clone(),
            level: form.level.clone(),
            code: form.code.clone(),
            header: form
                .header
                .iter()
                .map(|row| row.iter().map(|f| self.row(f, &anchor, links)).collect())
                .collect(),
            ..PositionView::default()
        };
        for section in &form.sections {
            match section {
                Section::Field(f) => {
                    let html = self.value(&f.value, links);
                    match f.key {
                        "summary" => p.summary_html = html,
                        "authorities" => p.authorities_html = html,
                        _ => p.notes_html = html,
                    }
                }
                Section::Duties { duties, .. } => {
                    p.duties = duties
                        .iter()
                        .enumerate()
                        .map(|(n, d)| DutyView {
                            number: d.number.clone(),
                            anchor: row_anchor(&anchor, &format!("duties.{}", n + 1)),
                            rows: d.rows.iter().map(|f| self.row(f, &anchor, links)).collect(),
                        })
                        .collect();
                    p.duty_rows = p.duties.iter().map(|d| d.rows.len()).sum();
                }
                Section::Group { key, rows, .. } => {
                    let rows = rows.iter().map(|f| self.row(f, &anchor, links)).collect();
                    match *key {
                        "relations" => p.relations = rows,
                        "qualifications" => p.qualifications = rows,
                        _ => p.conditions = rows,
                    }
                }
                Section::Kpis(k) => self.kpis(k, &mut p),
            }
        }
        p
    }

    fn kpis(&self, k: &Kpis, p: &mut PositionView) {
        p.kpis = k
            .rows
            .iter()
            .map(|r| KpiView {
                name_html: to_html(&r.name),
                weight: r.weight.clone(),
                target: r.target.clone(),
                unit: r.unit.clone(),
            })
            .collect();
        p.kpi_weight = k.weight;
        p.kpi_target = k.target;
        p.kpi_unit = k.unit;
        p.kpi_name_span = 10 - 2 * [k.weight, k.target, k.unit].iter().filter(|b| **b).count();
        if k.names_only() {
            p.kpi_names_html = p
                .kpis
                .iter()
                .map(|k| k.name_html.as_str())
                .collect::<Vec<_>>()
                .join(self.book.labels.separator);
        }
    }
}

/// Short items in one line: 机电、管理.
fn inline(items: &[String], sep: &str) -> String {
    items
        .iter()
        .map(|i| to_html(i))
        .collect::<Vec<_>>()
        .join(sep)
}

/// One labelled cell of the form, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The field it shows (`pay_grade`, `qualifications.skills`, …), for templates and CSS.
    pub key: &'static str,
    pub label: &'static str,
    pub html: String,
    /// The row's id ([`row_anchor`]).
    pub anchor: String,
}

/// One 职责 block: 职责一 with its 职责表述, 工作任务 and 考核重点 rows.
#[derive(Debug, Clone, Serialize)]
pub struct DutyView {
    pub number: String,
    /// The duty's id ([`row_anchor`] of `duties.n`).
    pub anchor: String,
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

/// One position's form as templates see it (`p` in `position.html`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PositionView {
    pub id: String,
    pub anchor: String,
    /// The ids of the form's sections.
    pub anchors: SectionAnchors,
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

/// The ids of a form's sections ([`row_anchor`] of the section's key).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SectionAnchors {
    pub summary: String,
    pub duties: String,
    pub authorities: String,
    pub relations: String,
    pub qualifications: String,
    pub conditions: String,
    pub kpis: String,
    pub notes: String,
}

impl SectionAnchors {
    fn of(form: &str) -> Self {
        let a = |key| row_anchor(form, key);
        SectionAnchors {
            summary: a("summary"),
            duties: a("duties"),
            authorities: a("authorities"),
            relations: a("relations"),
            qualifications: a("qualifications"),
            conditions: a("conditions"),
            kpis: a("kpis"),
            notes: a("notes"),
        }
    }
}

#[derive(Debug, Serialize)]
struct TocEntry {
    title: String,
    href: String,
    level: String,
    code: String,
}

#[derive(Debug, Serialize)]
struct Department {
    name: String,
    positions: Vec<TocEntry>,
}

#[derive(Debug, Serialize)]
struct Chart {
    /// The department, or empty for the whole organization.
    title: String,
    svg: String,
}

#[derive(Debug, Serialize)]
struct IndexEntry {
    code: String,
    title: String,
    department: String,
    href: String,
}

/// Cover, contents, chart and index: what surrounds the forms.
#[derive(Debug, Serialize)]
struct BookView {
    org_name: String,
    title: String,
    date: String,
    edition: &'static str,
    edition_label: &'static str,
    count: usize,
    departments: Vec<Department>,
    /// Inline SVG charts: one for the organization, or one per department when it is large;
    /// none when the reporting lines are confidential.
    charts: Vec<Chart>,
    index: Vec<IndexEntry>,
}

/// What a split page knows of the book around it.
#[derive(Debug, Serialize)]
struct BookMeta<'a> {
    org_name: &'a str,
    title: &'a str,
    date: &'a str,
    edition: &'static str,
    edition_label: &'static str,
    count: usize,
}

#[derive(Debug, Serialize)]
struct PageLink {
    title: String,
    href: String,
}

/// Renders the handbook of `org`.
pub fn render(
    org: &Org,
    options: &Options,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    render_book(&Book::new(org, options)?, options.split, templates)
}

/// Renders a handbook view; with `split`, also one page per position and an index page.
pub fn render_book(
    book: &Book,
    split: bool,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    let html = Html {
        book,
        slugs: super::slug::slugs(book.org.positions.iter().map(|p| p.id.as_str())),
        forms: book.order.par_iter().map(|&i| book.form(i)).collect(),
        charts: book
            .charts
            .iter()
            .filter_map(|g| chart::layout(book, &g.members).map(|c| (g.title.clone(), c)))
            .collect(),
    };
    let labels = book.labels;
    let stem = book.edition.stem();

    let mut files = Vec::new();
    let (_, forms) = render_forms(&html, templates, Links::Anchors)?;
    let front = front_matter(&html, Links::Anchors);
    let mut context = Context::new();
    context.insert("labels", labels);
    context.insert("book", &front);
    context.insert("forms", &forms);
    files.push(OutputFile {
        path: PathBuf::from(format!("{stem}.html")),
        contents: templates.render("handbook.html", &context)?,
    });

    let mut split_dir = None;
    if split {
        let dir = PathBuf::from(stem);
        let (views, forms) = render_forms(&html, templates, Links::Pages)?;
        let front = front_matter(&html, Links::Pages);
        let mut context = Context::new();
        context.insert("labels", labels);
        context.insert("book", &front);
        files.push(OutputFile {
            path: dir.join("index.html"),
            contents: templates.render("contents.html", &context)?,
        });
        let link = |k: usize| {
            let i = book.order[k];
            PageLink {
                title: book.title_of(i),
                href: html.file(i),
            }
        };
        // A page needs the book's title, not its contents: serialising those for every page
        // would make --split quadratic.
        let meta = BookMeta {
            org_name: &front.org_name,
            title: &front.title,
            date: &front.date,
            edition: front.edition,
            edition_label: front.edition_label,
            count: front.count,
        };
        let pages: Vec<OutputFile> = (0..book.order.len())
            .into_par_iter()
            .map(|k| {
                let mut c = Context::new();
                c.insert("labels", labels);
                c.insert("book", &meta);
                c.insert("p", &views[k]);
                c.insert("form", &forms[k]);
                c.insert("prev", &k.checked_sub(1).map(link));
                c.insert("next", &(k + 1 < book.order.len()).then(|| link(k + 1)));
                Ok(OutputFile {
                    path: dir.join(html.file(book.order[k])),
                    contents: templates.render("page.html", &c)?,
                })
            })
            .collect::<Result<_, RenderError>>()?;
        files.extend(pages);
        split_dir = Some(dir);
    }
    Ok(Rendered { files, split_dir })
}

/// Every form in handbook order, as template contexts and as rendered HTML.
fn render_forms(
    html: &Html,
    templates: &Templates,
    links: Links,
) -> Result<(Vec<PositionView>, Vec<String>), RenderError> {
    html.forms
        .par_iter()
        .map(|form| {
            let p = html.position(form, links);
            let mut c = Context::new();
            c.insert("labels", html.book.labels);
            c.insert("p", &p);
            let rendered = templates.render("position.html", &c)?;
            Ok((p, rendered))
        })
        .collect::<Result<Vec<_>, RenderError>>()
        .map(|v| v.into_iter().unzip())
}

fn front_matter(html: &Html, links: Links) -> BookView {
    let book = html.book;
    let labels: &Labels = book.labels;
    let departments = book
        .departments
        .iter()
        .map(|d| Department {
            name: d.name.clone(),
            positions: d
                .members
                .iter()
                .map(|&i| TocEntry {
                    title: book.title_of(i),
                    href: html.href(i, links),
                    level: book.level_of(i),
                    code: book.code_of(i),
                })
                .collect(),
        })
        .collect();
    let index = book
        .index
        .iter()
        .map(|e| IndexEntry {
            code: e.code.clone(),
            title: e.title.clone(),
            department: e.department.clone(),
            href: html.href(e.position, links),
        })
        .collect();
    let charts = html
        .charts
        .iter()
        .map(|(title, c)| Chart {
            title: title.clone(),
            svg: chart::svg(c, labels.chart, |i| html.href(i, links)),
        })
        .collect();
    BookView {
        org_name: book.org_name.clone(),
        title: book.title.clone(),
        date: book.date_text(),
        edition: book.edition.as_str(),
        edition_label: book.edition_label,
        count: book.org.positions.len(),
        departments,
        charts,
        index,
    }
}
