//! `positions/_templates/`: files that positions take the fields they do not set from
//! (`extends = "ID"`, position-format.md).
//!
//! A template is written like a position file, but every key is optional, and it may itself
//! `extends` another template. It is read and checked once, on its own: its syntax and type
//! errors are reported at the template, once, not in every position that uses it. Then each
//! top-level key a position does not set is copied from the resolved template (whole keys:
//! a position's `[[duties]]` replace the template's, a position's `[qualifications]` replace
//! the template's table). The copied values keep their spans in the template file, tagged
//! with its id ([`crate::diag::origin`]), so findings about them point at the template's line.
//! Templates are not positions: they are in [`super::Loaded::templates`], never in the `Org`.

use std::collections::HashMap;

use super::doc::{Spanned, Table, Value};

use super::fields::{Fields, Name, Sink};
use super::{TextError, parse_toml, position, valid_id};
use crate::check::Rule;
use crate::diag::{Diagnostic, FileId, Severity, Sources, Span, origin};
use crate::model::OrgSettings;
use crate::util::did_you_mean;

/// The folder of the positions folder that holds the templates.
pub const TEMPLATES_DIR: &str = "_templates";

/// The key that names a position's (or a template's) template.
pub const EXTENDS: &str = "extends";

pub const UNKNOWN_TEMPLATE: Rule = Rule::new(
    "unknown-template",
    Severity::Error,
    "`extends` names no template in `_templates/` (with a \"did you mean\", and a hint when it names a position instead); the position is not loaded",
    "write the id of a file in _templates/ (its file name without .toml), or create that template",
)
.fixed();

pub const TEMPLATE_CYCLE: Rule = Rule::new(
    "template-cycle",
    Severity::Error,
    "templates extend each other in a circle; reported once, at the `extends` line of the file that closes it, with the whole circle",
    "remove one `extends` of the circle: a template takes fields from its parent, so the chain must end",
)
.fixed();

/// A template as the commands see it (`new --extends`): its id and the values a position
/// created from it would inherit.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateInfo {
    pub id: String,
    pub file: FileId,
    /// Whether positions can extend it (it has no errors, nor any template it extends).
    pub usable: bool,
    pub title: Option<String>,
    pub department: Option<String>,
    pub level: Option<String>,
    pub reports_to: Option<String>,
}

/// What `extends = "ID"` names.
pub(crate) enum Lookup<'a, 's> {
    /// The template resolved (its parents' keys included, spans tagged) and its chain of
    /// ids, nearest first.
    Found(&'a Table<'s>, &'a [String]),
    /// A template with errors of its own (already reported at it).
    Broken,
    Unknown,
}

struct Item<'s> {
    id: String,
    file: FileId,
    /// The template's own keys, spans tagged; `None` when it has errors.
    own: Option<Table<'s>>,
    extends: Option<(String, Span)>,
    /// Own keys, then the parents' it does not set; `None` when it or a parent is unusable.
    resolved: Option<Table<'s>>,
    /// This template's id, then its parents', nearest first.
    chain: Vec<String>,
}

/// The templates of one positions folder, read and resolved.
#[derive(Default)]
pub(crate) struct Templates<'s> {
    items: Vec<Item<'s>>,
    by_id: HashMap<String, usize>,
}

impl<'s> Templates<'s> {
    /// Reads and resolves the template files (`(id, file, decoding error)`, in file order).
    /// `positions` are the ids of the position files, for the hint when `extends` names one.
    pub fn build(
        sources: &'s Sources,
        files: Vec<(String, FileId, Option<TextError>)>,
        settings: &OrgSettings,
        positions: &[String],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut t = Templates::default();
        for (id, file, text_err) in files {
            let source = sources.get(file);
            let mut sink = Sink::new(file, None);
            sink.lenient = true;
            let mut own = None;
            let mut extends = None;
            if !valid_id(&id) {
                sink.fatal(
                    0..0,
                    format!("`{id}` is not a valid template id"),
                    Some(
                        "rename the file: ids may contain letters, digits, `-` and `_` only".into(),
                    ),
                );
            } else if let Some((message, help)) = text_err {
                sink.fatal(0..0, message, Some(help));
            } else if let Some(table) = parse_toml(source, &mut sink) {
                position::read(
                    &id,
                    Fields::new(&table, 0..0, Name::Top, super::spec::POSITION),
                    settings,
                    &mut sink,
                );
                extends = table
                    .get(EXTENDS)
                    .and_then(|v| v.get_ref().as_str().map(|s| (s.to_string(), v.span())));
                own = Some(tag_table(table, file));
            }
            if sink.broken {
                own = None;
            }
            diagnostics.append(&mut sink.diagnostics);
            if let Some(&other) = t.by_id.get(&id) {
                diagnostics.push(
                    super::DUPLICATE_ID
                        .at(file, 0..0, format!("two template files are named `{id}`"))
                        .related(t.items[other].file, 0..0, "the other file")
                        .help("template ids are file stems and must be unique: rename one file"),
                );
                continue;
            }
            t.by_id.insert(id.clone(), t.items.len());
            t.items.push(Item {
                id,
                file,
                own,
                extends,
                resolved: None,
                chain: Vec::new(),
            });
        }
        t.resolve(positions, diagnostics);
        t
    }

    /// Follows every chain of `extends` (iteratively: a long chain cannot overflow the stack).
    fn resolve(&mut self, positions: &[String], diagnostics: &mut Vec<Diagnostic>) {
        #[derive(Clone, Copy, PartialEq)]
        enum State {
            Todo,
            OnPath,
            Done,
        }
        let mut state = vec![State::Todo; self.items.len()];
        for start in 0..self.items.len() {
            if state[start] != State::Todo {
                continue;
            }
            let mut path = vec![start];
            state[start] = State::OnPath;
            // The end of the path: resolved from nothing (no `extends`), from a template
            // already done, or unusable (unknown parent, a cycle).
            let mut parent: Option<usize> = None;
            let mut usable = true;
            loop {
                let cur = *path.last().expect("path is never empty");
                let Some((name, span)) = self.items[cur].extends.clone() else {
                    break;
                };
                match self.by_id.get(&name).copied() {
                    None => {
                        diagnostics.push(unknown(
                            self.items[cur].file,
                            span,
                            &name,
                            &self.ids(),
                            positions,
                        ));
                        usable = false;
                        break;
                    }
                    Some(p) if state[p] == State::Done => {
                        parent = Some(p);
                        break;
                    }
                    Some(p) if state[p] == State::OnPath => {
                        let from = path.iter().position(|&i| i == p).expect("on the path");
                        let mut circle: Vec<&str> = path[from..]
                            .iter()
                            .map(|&i| self.items[i].id.as_str())
                            .collect();
                        circle.push(&self.items[p].id);
                        diagnostics.push(
                            TEMPLATE_CYCLE
                                .at(
                                    self.items[cur].file,
                                    span,
                                    format!(
                                        "templates extend each other in a circle: {}",
                                        circle.join(" → ")
                                    ),
                                )
                                .label("closes the circle")
                                .help(
                                    "remove one `extends` of the circle: a template takes \
                                     fields from its parent, so the chain must end",
                                ),
                        );
                        usable = false;
                        break;
                    }
                    Some(p) => {
                        state[p] = State::OnPath;
                        path.push(p);
                    }
                }
            }
            // Unwind: each template on the path from its parent, nearest the end first.
            for &i in path.iter().rev() {
                let (up, up_chain) = match parent {
                    Some(p) => (self.items[p].resolved.clone(), self.items[p].chain.clone()),
                    None => (None, Vec::new()),
                };
                let has_parent = self.items[i].extends.is_some();
                let item = &mut self.items[i];
                item.resolved = match (&item.own, up) {
                    (Some(own), Some(up)) if usable => Some(merged(own.clone(), &up)),
                    (Some(own), None) if usable && !has_parent => Some(own.clone()),
                    _ => None,
                };
                item.chain = std::iter::once(item.id.clone()).chain(up_chain).collect();
                usable = item.resolved.is_some();
                state[i] = State::Done;
                parent = Some(i);
            }
        }
    }

    /// What `extends = "name"` names.
    pub fn lookup(&self, name: &str) -> Lookup<'_, 's> {
        match self.by_id.get(name).map(|&i| &self.items[i]) {
            None => Lookup::Unknown,
            Some(Item {
                resolved: Some(t),
                chain,
                ..
            }) => Lookup::Found(t, chain),
            Some(_) => Lookup::Broken,
        }
    }

    /// The template ids, in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.items.iter().map(|i| i.id.as_str()).collect()
    }

    /// Each template as the commands see it.
    pub fn info(&self) -> Vec<TemplateInfo> {
        let text = |t: Option<&Table<'_>>, key: &str| {
            t.and_then(|t| t.get(key))
                .and_then(|v| v.get_ref().as_str().map(str::to_string))
        };
        let mut out: Vec<TemplateInfo> = self
            .items
            .iter()
            .map(|i| {
                let t = i.resolved.as_ref();
                TemplateInfo {
                    id: i.id.clone(),
                    file: i.file,
                    usable: t.is_some(),
                    title: text(t, "title"),
                    department: text(t, "department"),
                    level: text(t, "level"),
                    reports_to: text(t, "reports_to"),
                }
            })
            .collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }
}

/// The `unknown-template` finding at an `extends` value.
pub(crate) fn unknown(
    file: FileId,
    span: Span,
    name: &str,
    templates: &[&str],
    positions: &[String],
) -> Diagnostic {
    let mut d = UNKNOWN_TEMPLATE
        .at(
            file,
            span,
            format!("`extends` names `{name}`, which is not a template"),
        )
        .label("no such template");
    if positions.iter().any(|p| p == name) {
        d = d.help(format!(
            "`{name}` is a position; `extends` names a template (a file in {TEMPLATES_DIR}/ of \
             the positions folder): move what the positions share into \
             {TEMPLATES_DIR}/{name}-template.toml and extend that"
        ));
    } else if let Some(s) = did_you_mean(name, templates) {
        d = d.help(format!("did you mean `{s}`?"));
    } else if templates.is_empty() {
        d = d.help(format!(
            "there are no templates yet: create {TEMPLATES_DIR}/{name}.toml in the positions \
             folder"
        ));
    } else {
        d = d.help(format!("the templates are: {}", templates.join(", ")));
    }
    d
}

/// `own`, with every key of `parent` it does not set but `extends` (whole keys).
pub(crate) fn merged<'s>(mut own: Table<'s>, parent: &Table<'s>) -> Table<'s> {
    for (k, v) in parent.iter() {
        let key: &str = k.get_ref().as_ref();
        if key != EXTENDS && own.get(key).is_none() {
            own.insert(k.clone(), v.clone());
        }
    }
    own
}

/// The table with every span tagged as `file`'s.
fn tag_table(table: Table<'_>, file: FileId) -> Table<'_> {
    let mut out = Table::new();
    for (k, v) in table {
        let span = origin::in_file(file, k.span());
        out.insert(Spanned::new(span, k.into_inner()), tag_value(v, file));
    }
    out
}

fn tag_value(v: Spanned<Value<'_>>, file: FileId) -> Spanned<Value<'_>> {
    let span = origin::in_file(file, v.span());
    let value = match v.into_inner() {
        Value::Table(t) => Value::Table(tag_table(t, file)),
        Value::Array(mut items) => {
            for item in items.iter_mut() {
                let old = std::mem::replace(item, Spanned::new(0..0, Value::Boolean(false)));
                *item = tag_value(old, file);
            }
            Value::Array(items)
        }
        other => other,
    };
    Spanned::new(span, value)
}
