//! One build of the preview, and the pages that show it.
//!
//! A build loads and checks the folder like `rolebook check` and renders the handbook like
//! `rolebook build --to html` ([`html::render`]). The preview page ([`page`]) shows the
//! findings above the handbook, which sits in a frame exactly as `build` writes it (its own
//! Content-Security-Policy forbids scripts, so the reload script lives in the page around it).
//! When a file cannot be read, or the folder is gone, the handbook stays the last good one and
//! the reason is shown above it.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::Config;
use crate::check::check_with;
use crate::diag::{Diagnostic, Location, Severity, Summary, display_path};
use crate::load::{PARSE, Step, key_path_at, load_dir};
use crate::pdf::FontSource;
use crate::render::html::{self, Templates, form_anchor, row_anchor};
use crate::render::slug;
use crate::render::view::Book;
use crate::render::{Edition, Options, escape};
use crate::util::number::plural;

/// At most this many findings are listed on the page; the count says how many there are.
const MAX_LISTED: usize = 200;

/// One finding as the page lists it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Vec<String>,
    /// `positions/a.toml:3:9`, when it is in a file.
    pub place: Option<String>,
    /// The anchors it may link to in the handbook, the row first, the form last.
    pub anchors: Vec<String>,
}

/// A handbook built: its page, as `build --to html` writes it, and its title.
#[derive(Debug, Clone)]
pub struct Handbook {
    pub html: Arc<str>,
    /// `示例公司 · 岗位职责说明书`, as the handbook's own `<title>`.
    pub title: String,
}

/// What one build produced.
#[derive(Debug, Clone)]
pub struct Attempt {
    /// The new handbook; `None` keeps the one shown.
    pub handbook: Option<Handbook>,
    /// Why the handbook shown is not of this build.
    pub problem: Option<String>,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub took: Duration,
}

impl Attempt {
    fn failed(problem: String, started: Instant) -> Self {
        Attempt {
            handbook: None,
            problem: Some(problem),
            findings: Vec::new(),
            summary: Summary::of(0, &[]),
            took: started.elapsed(),
        }
    }

    /// The line the terminal shows after a build.
    pub fn line(&self) -> String {
        let s = &self.summary;
        let counts = format!(
            "{}, {}, {}",
            plural(s.positions, "position"),
            plural(s.errors, "error"),
            plural(s.warnings, "warning")
        );
        match &self.problem {
            None => format!("built in {} ms: {counts}", self.took.as_millis()),
            Some(p) if self.findings.is_empty() && s.positions == 0 => {
                format!("error: {p}; the page shows the last good build")
            }
            Some(p) => format!("not built ({counts}): {p}; the page shows the last good build"),
        }
    }
}

/// Loads, checks and renders the folder of `config`.
pub fn build(config: &Config) -> Attempt {
    let started = Instant::now();
    let loaded = match load_dir(&config.dir) {
        Ok(l) => l,
        Err(e) => return Attempt::failed(e.to_string(), started),
    };
    // The findings `rolebook check` reports, the font check included.
    let fonts = FontSource::choose(None, &loaded.org.settings, &config.dir);
    let diagnostics = check_with(&loaded, Some(&fonts));
    let summary = Summary::of(
        loaded.org.positions.len() + loaded.broken.len(),
        &diagnostics,
    );
    let findings = findings(&loaded, &diagnostics);

    // A file that cannot be read would leave a hole in the handbook (or, for _org.toml, a
    // handbook of default settings): the last good one stays until it is fixed.
    let mut unreadable: Vec<String> = diagnostics
        .iter()
        .filter(|d| d.code == PARSE.code)
        .filter(|d| match &d.position {
            Some(id) => loaded.broken.binary_search(id).is_ok(),
            None => true,
        })
        .filter_map(|d| match &d.at {
            Location::Source { file, .. } => Some(loaded.sources.get(*file).display.clone()),
            _ => None,
        })
        .collect();
    unreadable.dedup();
    if !unreadable.is_empty() {
        let files = unreadable
            .iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let verb = if unreadable.len() == 1 { "has" } else { "have" };
        return Attempt {
            handbook: None,
            problem: Some(format!("{files} {verb} errors that stop the build")),
            findings,
            summary,
            took: started.elapsed(),
        };
    }

    let options = Options {
        edition: config.edition,
        date: None,
        source_date: config.source_date,
        split: false,
    };
    let rendered = Templates::load(config.templates.as_deref()).and_then(|templates| {
        let book = Book::new(&loaded.org, &options)?;
        let title = if book.org_name.is_empty() {
            book.title.clone()
        } else {
            format!("{} · {}", book.org_name, book.title)
        };
        Ok((html::render_book(&book, false, &templates)?, title))
    });
    let (handbook, problem) = match rendered {
        Ok((mut r, title)) if !r.files.is_empty() => {
            let html = Arc::from(r.files.swap_remove(0).contents);
            (Some(Handbook { html, title }), None)
        }
        Ok(_) => (None, Some("the handbook rendered no file".to_string())),
        Err(e) => (None, Some(e.to_string())),
    };
    Attempt {
        handbook,
        problem,
        findings,
        summary,
        took: started.elapsed(),
    }
}

/// The findings with their places and the anchors of the rows they are about.
fn findings(loaded: &crate::load::Loaded, diagnostics: &[Diagnostic]) -> Vec<Finding> {
    let ids: Vec<&str> = loaded.org.positions.iter().map(|p| p.id.as_str()).collect();
    let slugs: HashMap<&str, String> = ids
        .iter()
        .copied()
        .zip(slug::slugs(ids.iter().copied()))
        .collect();
    let mut out: Vec<Finding> = diagnostics
        .iter()
        .map(|d| {
            let mut anchors = Vec::new();
            if let Some(id) = &d.position {
                let form = form_anchor(
                    &slugs
                        .get(id.as_str())
                        .cloned()
                        .unwrap_or_else(|| slug::slug(id)),
                );
                // A span of 0..0 is the whole file: the form, not a row.
                if let Location::Source { file, span } = &d.at
                    && span.end > 0
                {
                    let text = &loaded.sources.get(*file).text;
                    anchors = row_anchors(&form, &key_path_at(text, span.start));
                }
                anchors.push(form);
            }
            Finding {
                severity: d.severity,
                code: d.code,
                message: d.message.clone(),
                help: d.help.clone(),
                place: d.at.place(Some(&loaded.sources)),
                anchors,
            }
        })
        .collect();
    // Errors first; within a severity, the order of `check` (by file and line).
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// The anchors a key path may be shown at, the most precise first: `duties.2.tasks.1`,
/// `duties.2.tasks`, `duties.2` (the second duty), `duties`.
fn row_anchors(form: &str, path: &[Step]) -> Vec<String> {
    let keys: Vec<String> = path
        .iter()
        .map(|s| match s {
            Step::Key(k) => k.clone(),
            Step::Index(i) => (i + 1).to_string(),
        })
        .collect();
    (1..=keys.len())
        .rev()
        .map(|n| row_anchor(form, &keys[..n].join(".")))
        .collect()
}

/// What the page shows of one state: built by [`super::Server`] after every build.
pub struct Status<'a> {
    pub config: &'a Config,
    pub attempt: &'a Attempt,
    /// The handbook shown (maybe of an earlier build).
    pub handbook: Option<&'a Handbook>,
    pub version: u64,
    pub book_version: u64,
    pub at: SystemTime,
}

impl Status<'_> {
    /// The status panel: a line of counts, the problem if any, the findings.
    pub fn html(&self) -> String {
        let a = self.attempt;
        let s = &a.summary;
        let state = match (&a.problem, s.errors, s.warnings) {
            (Some(_), _, _) => "bad",
            (None, e, _) if e > 0 => "bad",
            (None, _, w) if w > 0 => "warn",
            _ => "ok",
        };
        let book = self.config.edition.stem();
        let mut out = format!(
            "<header id=\"rb-status\" class=\"rb-{state}\" data-version=\"{}\" data-book=\"{}\">\n",
            self.version, self.book_version
        );
        out.push_str(&format!(
            "<p class=\"rb-line\"><strong>rolebook serve</strong> · <code>{}</code> · {} edition · \
             {} · <span class=\"rb-errors\">{}</span> · <span class=\"rb-warnings\">{}</span> · \
             checked {} UTC in {} ms · <a href=\"{book}.html\" target=\"_blank\">the handbook alone</a></p>\n",
            escape(&display_path(&self.config.dir)),
            self.config.edition.as_str(),
            plural(s.positions, "position"),
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            clock(self.at),
            a.took.as_millis(),
        ));
        if let Some(problem) = &a.problem {
            let kept = if self.handbook.is_some() {
                "the handbook below is the last good build"
            } else {
                "no handbook has been built yet"
            };
            out.push_str(&format!(
                "<p class=\"rb-problem\" role=\"alert\">{}: {kept}</p>\n",
                escape(problem)
            ));
        }
        if !a.findings.is_empty() {
            let ids = self.handbook.map(|h| ids_in(&h.html)).unwrap_or_default();
            let public = self.config.edition == Edition::Public;
            if public {
                out.push_str(
                    "<p class=\"rb-note\">The public edition lists where the findings are, not \
                     what they say (messages may quote confidential fields): run \
                     <code>rolebook check</code> to read them.</p>\n",
                );
            }
            out.push_str("<ol class=\"rb-findings\">\n");
            for f in a.findings.iter().take(MAX_LISTED) {
                out.push_str(&self.finding(f, &ids, book, public));
            }
            out.push_str("</ol>\n");
            if a.findings.len() > MAX_LISTED {
                out.push_str(&format!(
                    "<p class=\"rb-more\">… and {} more: run <code>rolebook check</code> to see them all</p>\n",
                    a.findings.len() - MAX_LISTED
                ));
            }
        }
        out.push_str("</header>");
        out
    }

    fn finding(&self, f: &Finding, ids: &HashSet<&str>, book: &str, public: bool) -> String {
        let place = f.place.as_deref().map(escape).unwrap_or_default();
        let place = match f.anchors.iter().find(|a| ids.contains(a.as_str())) {
            Some(anchor) if !place.is_empty() => format!(
                "<a class=\"rb-place\" href=\"{book}.html#{}\" target=\"rb-book\">{place}</a>",
                escape(anchor)
            ),
            _ => format!("<span class=\"rb-place\">{place}</span>"),
        };
        let sev = f.severity.as_str();
        let mut li = format!(
            "<li class=\"rb-{sev}\"><span class=\"rb-sev\">{sev}</span> <code class=\"rb-code\">{}</code> {place}",
            f.code
        );
        if !public {
            li.push_str(&format!(
                " <span class=\"rb-message\">{}</span>",
                escape(&f.message)
            ));
            for h in &f.help {
                li.push_str(&format!(
                    "<br><span class=\"rb-help\">help: {}</span>",
                    escape(h)
                ));
            }
        }
        li.push_str("</li>\n");
        li
    }

    /// The whole preview page: the panel, the handbook in a frame, the reload script.
    pub fn page(&self) -> String {
        let title = self.handbook.map_or("handbook", |h| h.title.as_str());
        format!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} · rolebook serve</title>\n<style>\n{}</style>\n</head>\n<body>\n{}\n\
             <iframe id=\"rb-book\" name=\"rb-book\" src=\"{}.html\" title=\"handbook\"></iframe>\n\
             <script src=\"{}\"></script>\n</body>\n</html>\n",
            escape(title),
            include_str!("page.css"),
            self.html(),
            self.config.edition.stem(),
            super::LIVE_JS,
        )
    }
}

/// The element ids of a page, to link only to rows that are there.
fn ids_in(html: &str) -> HashSet<&str> {
    html.match_indices(" id=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|end| &rest[..end])
        })
        .collect()
}

/// `18:03:12`: the time of day in UTC.
fn clock(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) % 86_400;
    format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
}

/// The page the frame shows before any handbook could be built.
pub fn no_handbook() -> String {
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>no handbook yet</title></head>\
     <body><p>No handbook has been built yet: fix the errors shown above; the page reloads by itself.</p></body></html>\n"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_path_links_to_its_row_then_its_sections() {
        let path = [
            Step::Key("duties".into()),
            Step::Index(1),
            Step::Key("tasks".into()),
        ];
        assert_eq!(
            row_anchors("p-a", &path),
            ["p-a--duties-2-tasks", "p-a--duties-2", "p-a--duties"]
        );
    }

    #[test]
    fn finds_the_ids_of_a_page() {
        let ids = ids_in("<a id=\"x\"><th class=\"f\" id=\"p-a--summary\">");
        assert!(ids.contains("x") && ids.contains("p-a--summary"));
    }
}
