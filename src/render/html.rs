//! The HTML handbook: the view model through tera templates.
//!
//! The templates of `templates/` are compiled into the binary; a `--templates` folder
//! replaces any of them by name. Each form is rendered once per link style, in parallel; the
//! single-file handbook and the split pages reuse them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use super::labels::Labels;
use super::view::{self, Ctx, Links, PositionView};
use super::{Options, RenderError, chart};
use crate::diag::display_path;
use crate::load::did_you_mean;
use crate::model::Org;

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

/// Above this many positions, the chart is drawn department by department: one tree of
/// thousands would have to shrink beyond reading to fit a page.
const ONE_CHART_MAX: usize = 60;

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
struct Book {
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

/// The file stem of an edition: `handbook` or `handbook-public`.
pub fn stem(options: &Options) -> &'static str {
    match options.edition {
        super::Edition::Internal => "handbook",
        super::Edition::Public => "handbook-public",
    }
}

/// Renders the handbook of `org`.
pub fn render(
    org: &Org,
    options: &Options,
    templates: &Templates,
) -> Result<Rendered, RenderError> {
    let ctx = Ctx::new(org, options)?;
    let labels = ctx.labels;
    let stem = stem(options);

    let mut files = Vec::new();
    let (_, forms) = render_forms(&ctx, templates, Links::Anchors)?;
    let book = front_matter(&ctx, options, Links::Anchors);
    let mut context = Context::new();
    context.insert("labels", labels);
    context.insert("book", &book);
    context.insert("forms", &forms);
    files.push(OutputFile {
        path: PathBuf::from(format!("{stem}.html")),
        contents: templates.render("handbook.html", &context)?,
    });

    let mut split_dir = None;
    if options.split {
        let dir = PathBuf::from(stem);
        let (views, forms) = render_forms(&ctx, templates, Links::Pages)?;
        let book = front_matter(&ctx, options, Links::Pages);
        let mut context = Context::new();
        context.insert("labels", labels);
        context.insert("book", &book);
        files.push(OutputFile {
            path: dir.join("index.html"),
            contents: templates.render("contents.html", &context)?,
        });
        let link = |k: usize| {
            let i = ctx.order[k];
            PageLink {
                title: ctx.org.positions[i].title.value.trim().to_string(),
                href: ctx.file(i),
            }
        };
        // A page needs the book's title, not its contents: serialising those for every page
        // would make --split quadratic.
        let meta = BookMeta {
            org_name: &book.org_name,
            title: &book.title,
            date: &book.date,
            edition: book.edition,
            edition_label: book.edition_label,
            count: book.count,
        };
        let pages: Vec<OutputFile> = (0..ctx.order.len())
            .into_par_iter()
            .map(|k| {
                let mut c = Context::new();
                c.insert("labels", labels);
                c.insert("book", &meta);
                c.insert("p", &views[k]);
                c.insert("form", &forms[k]);
                c.insert("prev", &k.checked_sub(1).map(link));
                c.insert("next", &(k + 1 < ctx.order.len()).then(|| link(k + 1)));
                Ok(OutputFile {
                    path: dir.join(ctx.file(ctx.order[k])),
                    contents: templates.render("page.html", &c)?,
                })
            })
            .collect::<Result<_, RenderError>>()?;
        files.extend(pages);
        split_dir = Some(dir);
    }
    Ok(Rendered { files, split_dir })
}

/// Every form in handbook order, as views and as rendered HTML.
fn render_forms(
    ctx: &Ctx,
    templates: &Templates,
    links: Links,
) -> Result<(Vec<PositionView>, Vec<String>), RenderError> {
    ctx.order
        .par_iter()
        .map(|&i| {
            let p = view::position(ctx, i, links);
            let mut c = Context::new();
            c.insert("labels", ctx.labels);
            c.insert("p", &p);
            let html = templates.render("position.html", &c)?;
            Ok((p, html))
        })
        .collect::<Result<Vec<_>, RenderError>>()
        .map(|v| v.into_iter().unzip())
}

fn front_matter(ctx: &Ctx, options: &Options, links: Links) -> Book {
    let org = ctx.org;
    let labels: &Labels = ctx.labels;
    let settings = &org.settings;
    let level = |i: usize| {
        if ctx.vis.shows("level") {
            org.level_name(&org.positions[i])
                .unwrap_or_default()
                .to_string()
        } else {
            String::new()
        }
    };
    let code = |i: usize| {
        if ctx.vis.shows("code") {
            org.positions[i]
                .code
                .as_ref()
                .map_or_else(String::new, |c| c.value.trim().to_string())
        } else {
            String::new()
        }
    };
    let departments = ctx
        .departments()
        .into_iter()
        .map(|(name, members)| Department {
            name,
            positions: members
                .into_iter()
                .map(|i| TocEntry {
                    title: org.positions[i].title.value.trim().to_string(),
                    href: ctx.href(i, links),
                    level: level(i),
                    code: code(i),
                })
                .collect(),
        })
        .collect();
    let mut index: Vec<IndexEntry> = Vec::new();
    if ctx.vis.shows("code") {
        let mut by_code: Vec<usize> = (0..org.positions.len()).collect();
        by_code.sort_by(|&a, &b| {
            let (ca, cb) = (code(a), code(b));
            // Positions without a code come last, in handbook order.
            ca.is_empty()
                .cmp(&cb.is_empty())
                .then_with(|| view::natural_cmp(&ca, &cb))
                .then_with(|| ctx.cmp_positions(a, b))
        });
        index = by_code
            .into_iter()
            .map(|i| IndexEntry {
                code: code(i),
                title: org.positions[i].title.value.trim().to_string(),
                department: if ctx.vis.shows("department") {
                    org.positions[i].department.value.trim().to_string()
                } else {
                    String::new()
                },
                href: ctx.href(i, links),
            })
            .collect();
    }
    let groups = ctx.departments();
    let charts: Vec<Chart> = if !ctx.vis.shows("reports_to") {
        Vec::new()
    } else if org.positions.len() <= ONE_CHART_MAX || groups.len() == 1 {
        chart::svg(ctx, links, &ctx.order)
            .map(|svg| Chart {
                title: String::new(),
                svg,
            })
            .into_iter()
            .collect()
    } else {
        groups
            .iter()
            .filter_map(|(name, members)| {
                chart::svg(ctx, links, members).map(|svg| Chart {
                    title: name.clone(),
                    svg,
                })
            })
            .collect()
    };
    Book {
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
        date: ctx
            .cover_date(options)
            .map_or_else(String::new, |d| labels.date(d)),
        edition: options.edition.as_str(),
        edition_label: match options.edition {
            super::Edition::Internal => labels.edition_internal,
            super::Edition::Public => labels.edition_public,
        },
        count: org.positions.len(),
        departments,
        charts,
        index,
    }
}
