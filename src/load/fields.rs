//! Typed reading of a spanned TOML table, with a finding for every mistake.
//!
//! [`Fields`] wraps one table and knows its keys ([`super::spec`]); it hands out values by key
//! with their spans, and on [`Fields::finish`] reports every key the spec does not list as
//! unknown, with a "did you mean" and the hint for top-level keys that TOML moved into the last
//! `[[table]]`.

use super::doc::{Spanned, Table, Value};

use super::spec::{Key, Kind};
use crate::check::Rule;
use crate::diag::{Diagnostic, FileId, Severity, Span};
use crate::model::{Date, Sp, Text};
use crate::util::did_you_mean;

pub const PARSE: Rule = Rule::new(
    "parse",
    Severity::Error,
    "a file is not valid TOML, a value has the wrong type, a required key is missing, or a key is unknown (with a \"did you mean\" and the misplaced-key hint of position-format.md)",
    "fix the file at the place shown; the rest of the organization is still checked",
)
.fixed();

/// Where findings of one file go; `broken` is set when the file cannot be used as a whole.
pub(crate) struct Sink {
    pub file: FileId,
    pub diagnostics: Vec<Diagnostic>,
    pub broken: bool,
    pub position: Option<String>,
    /// A template's own fields, or a position whose template is unusable: the top level's
    /// required keys may be left out (the resolved position must have them).
    pub lenient: bool,
    /// The template a position extends, named when a required key is in neither file.
    pub extends: Option<String>,
}

impl Sink {
    pub fn new(file: FileId, position: Option<String>) -> Self {
        Sink {
            file,
            diagnostics: Vec::new(),
            broken: false,
            position,
            lenient: false,
            extends: None,
        }
    }

    /// A `parse` error that makes the file unusable (wrong type, missing key).
    pub fn fatal(&mut self, span: Span, message: String, help: Option<String>) {
        self.broken = true;
        self.push(span, message, help);
    }

    /// A `parse` error that leaves the rest of the file usable (an unknown key).
    pub fn push(&mut self, span: Span, message: String, help: Option<String>) {
        let mut d = PARSE.at(self.file, span, message);
        if let Some(p) = &self.position {
            d = d.position(p.clone());
        }
        if let Some(h) = help {
            d = d.help(h);
        }
        self.diagnostics.push(d);
    }
}

/// What a value is, in words a user understands.
pub(crate) fn kind(v: &Value<'_>) -> &'static str {
    match v {
        Value::String(_) => "text",
        Value::Integer(_) => "a whole number",
        Value::Float(_) => "a number",
        Value::Boolean(_) => "true/false",
        Value::Datetime(_) => "a date",
        Value::Array(_) => "a list",
        Value::Table(_) => "a table",
    }
}

/// How a table is named in messages: "" for the top level, "[qualifications]", "[[kpis]] #3".
/// Written out only when a message needs it: most tables have no finding.
#[derive(Debug, Clone)]
pub(crate) enum Name {
    /// The top level of the file.
    Top,
    /// A sub-table: `[key]`.
    Table(&'static str),
    /// The entry of an array of tables, 1-based: `[[key]] #n`.
    Entry(&'static str, usize),
    /// Anything else, as written.
    Other(String),
}

impl Name {
    pub fn is_top(&self) -> bool {
        match self {
            Name::Top => true,
            Name::Other(s) => s.is_empty(),
            _ => false,
        }
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Name::Top => Ok(()),
            Name::Table(key) => write!(f, "[{key}]"),
            Name::Entry(key, n) => write!(f, "[[{key}]] #{n}"),
            Name::Other(s) => f.write_str(s),
        }
    }
}

/// One TOML table being read.
pub(crate) struct Fields<'a, 'i> {
    table: &'a Table<'i>,
    /// The table's header (or the start of the file for the top level).
    pub span: Span,
    /// How the table is named in messages.
    pub name: Name,
    /// The keys the table may have ([`super::spec`]): the loader reads only these, and every
    /// other key is reported as unknown.
    keys: &'static [Key],
    /// The keys read (debug builds only: for the check that every key of the spec is read).
    used: Vec<&'a str>,
}

impl<'a, 'i> Fields<'a, 'i> {
    pub fn new(table: &'a Table<'i>, span: Span, name: Name, keys: &'static [Key]) -> Self {
        Fields {
            table,
            span,
            name,
            keys,
            used: Vec::new(),
        }
    }

    /// The kind [`super::spec`] gives `key`. A key read that is not in the table's spec, or
    /// read as another kind than the spec says, is a bug of the loader: the editor schema
    /// would disagree with `check`. Debug builds (and so every test) stop on it.
    fn kind_of(&self, key: &str, fits: fn(&Kind) -> bool) {
        if !cfg!(debug_assertions) {
            return;
        }
        let spec = self.keys.iter().find(|k| k.name == key);
        debug_assert!(
            spec.is_some_and(|k| fits(&k.kind)),
            "the loader reads `{key}` in \"{}\" as the spec does not say: {spec:?}",
            self.name
        );
    }

    /// Whether the table has `key` (without marking it used).
    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// The value of `key` as parsed, marked as used.
    pub fn raw(&mut self, key: &str) -> Option<&'a Spanned<Value<'i>>> {
        self.kind_of(key, |_| true);
        self.get(key)
    }

    fn get(&mut self, key: &str) -> Option<&'a Spanned<Value<'i>>> {
        let (k, v) = self.table.get_key_value(key)?;
        // Only the debug check of `finish` reads the list.
        if cfg!(debug_assertions) {
            self.used.push(k.get_ref().as_ref());
        }
        Some(v)
    }

    fn full(&self, key: &str) -> String {
        if self.name.is_top() {
            format!("`{key}`")
        } else {
            format!("`{key}` in {}", self.name)
        }
    }

    fn wrong(&self, sink: &mut Sink, key: &str, v: &Spanned<Value<'_>>, want: &str, example: &str) {
        let mut help = format!("write it as {example}");
        if let Value::String(s) = v.get_ref()
            && want.contains("number")
            && parse_number_text(s).is_some()
        {
            help = format!("remove the quotes: {key} = {}", s.trim());
        }
        sink.fatal(
            v.span(),
            format!(
                "{} must be {want}, found {}",
                self.full(key),
                kind(v.get_ref())
            ),
            Some(help),
        );
    }

    pub fn str(&mut self, sink: &mut Sink, key: &str) -> Option<Text> {
        self.kind_of(key, |k| {
            matches!(
                k,
                Kind::Text | Kind::Choice(_) | Kind::Level | Kind::Education
            )
        });
        let v = self.get(key)?;
        match v.get_ref() {
            Value::String(s) => Some(Sp::new(s.to_string(), v.span())),
            _ => {
                self.wrong(sink, key, v, "text", &format!("{key} = \"…\""));
                None
            }
        }
    }

    pub fn req_str(&mut self, sink: &mut Sink, key: &str, what: &str) -> Option<Text> {
        if self.table.get(key).is_none() {
            if sink.lenient && self.name.is_top() {
                return None;
            }
            let (whence, help) = match (&sink.extends, self.name.is_top()) {
                (Some(t), true) => (
                    format!(": neither this file nor template `{t}` sets it"),
                    format!(
                        "add {key} = \"…\" to this file (above the first [table]) or to the \
                         template"
                    ),
                ),
                _ => (
                    String::new(),
                    format!("add {key} = \"…\"{}", self.placement()),
                ),
            };
            sink.fatal(
                self.span.clone(),
                format!("missing required key {} ({what}){whence}", self.full(key)),
                Some(help),
            );
            return None;
        }
        let s = self.str(sink, key)?;
        if s.value.trim().is_empty() {
            sink.fatal(
                s.span.clone(),
                format!("{} is empty ({what})", self.full(key)),
                Some("write the text between the quotes".into()),
            );
            return None;
        }
        Some(s)
    }

    fn placement(&self) -> &'static str {
        if self.name.is_top() {
            " above the first [table]"
        } else {
            ""
        }
    }

    pub fn number(&mut self, sink: &mut Sink, key: &str) -> Option<Sp<f64>> {
        self.kind_of(key, |k| matches!(k, Kind::Number { .. } | Kind::Target));
        let v = self.get(key)?;
        match number_of(v.get_ref()) {
            Some(n) => Some(Sp::new(n, v.span())),
            None => {
                self.wrong(sink, key, v, "a number", &format!("{key} = 30"));
                None
            }
        }
    }

    pub fn int(&mut self, sink: &mut Sink, key: &str) -> Option<Sp<i64>> {
        self.kind_of(key, |k| matches!(k, Kind::Whole { .. }));
        let v = self.get(key)?;
        match v.get_ref() {
            Value::Integer(i) => match parse_int(i.as_str(), i.radix()) {
                Some(n) => Some(Sp::new(n, v.span())),
                None => {
                    sink.fatal(v.span(), format!("{} is too large", self.full(key)), None);
                    None
                }
            },
            _ => {
                self.wrong(sink, key, v, "a whole number", &format!("{key} = 1"));
                None
            }
        }
    }

    pub fn bool(&mut self, sink: &mut Sink, key: &str) -> Option<Sp<bool>> {
        self.kind_of(key, |k| matches!(k, Kind::Bool));
        let v = self.get(key)?;
        match v.get_ref() {
            Value::Boolean(b) => Some(Sp::new(*b, v.span())),
            _ => {
                self.wrong(sink, key, v, "true or false", &format!("{key} = false"));
                None
            }
        }
    }

    pub fn date(&mut self, sink: &mut Sink, key: &str) -> Option<Sp<Date>> {
        self.kind_of(key, |k| matches!(k, Kind::Date));
        let v = self.get(key)?;
        let date = match v.get_ref() {
            Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt.date,
            Value::String(s) => {
                sink.fatal(
                    v.span(),
                    format!("{} must be a TOML date, found text", self.full(key)),
                    Some(format!("remove the quotes: {key} = {}", s.trim())),
                );
                return None;
            }
            _ => None,
        };
        match date {
            Some(d) => Some(Sp::new(
                Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                },
                v.span(),
            )),
            None => {
                self.wrong(sink, key, v, "a date", &format!("{key} = 2024-01-22"));
                None
            }
        }
    }

    pub fn str_list(&mut self, sink: &mut Sink, key: &str) -> Vec<Text> {
        self.kind_of(key, |k| matches!(k, Kind::Texts));
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let example = || format!("{key} = [\"…\", \"…\"]");
        let Value::Array(items) = v.get_ref() else {
            if let Value::String(s) = v.get_ref() {
                sink.fatal(
                    v.span(),
                    format!(
                        "{} must be a list of texts, found a single text",
                        self.full(key)
                    ),
                    Some(format!("put it in brackets: {key} = [\"{s}\"]")),
                );
            } else {
                self.wrong(sink, key, v, "a list of texts", &example());
            }
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items.iter() {
            match item.get_ref() {
                Value::String(s) => out.push(Sp::new(s.to_string(), item.span())),
                other => sink.fatal(
                    item.span(),
                    format!(
                        "{} must hold only texts, found {}",
                        self.full(key),
                        kind(other)
                    ),
                    Some(format!("write it as {}", example())),
                ),
            }
        }
        out
    }

    /// A sub-table such as `[qualifications]`.
    pub fn table(&mut self, sink: &mut Sink, key: &'static str) -> Option<Fields<'a, 'i>> {
        self.kind_of(key, |k| {
            matches!(k, Kind::Table(_) | Kind::Map(_) | Kind::Checks)
        });
        let keys = match self.keys.iter().find(|k| k.name == key).map(|k| k.kind) {
            Some(Kind::Table(keys)) => keys,
            _ => &[],
        };
        let v = self.get(key)?;
        match v.get_ref() {
            Value::Table(t) => Some(Fields::new(t, v.span(), Name::Table(key), keys)),
            _ => {
                self.wrong(sink, key, v, "a table", &format!("[{key}] on its own line"));
                None
            }
        }
    }

    /// An array of tables such as `[[duties]]`.
    pub fn tables(&mut self, sink: &mut Sink, key: &'static str) -> Vec<Fields<'a, 'i>> {
        self.kind_of(key, |k| matches!(k, Kind::Tables(_)));
        let keys = match self.keys.iter().find(|k| k.name == key).map(|k| k.kind) {
            Some(Kind::Tables(keys)) => keys,
            _ => &[],
        };
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        let Value::Array(items) = v.get_ref() else {
            self.wrong(
                sink,
                key,
                v,
                "a list of tables",
                &format!("[[{key}]] blocks"),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                Value::Table(t) => {
                    out.push(Fields::new(t, item.span(), Name::Entry(key, i + 1), keys))
                }
                other => sink.fatal(
                    item.span(),
                    format!("`{key}` must hold tables, found {}", kind(other)),
                    Some(format!("write each entry as a [[{key}]] block")),
                ),
            }
        }
        out
    }

    /// The entries of a table whose keys are free (`[external]`, `[checks]`).
    pub fn entries(&self) -> impl Iterator<Item = (Text, &'a Spanned<Value<'i>>)> {
        self.table
            .iter()
            .map(|(k, v)| (Sp::new(k.get_ref().to_string(), k.span()), v))
    }

    /// Reports every key that is not one of the table's keys. `top` are the keys of the top
    /// level, for the hint when TOML put a top-level key into this table; `elsewhere` maps keys
    /// to the table they belong in.
    pub fn finish(self, sink: &mut Sink, top: &[&str], elsewhere: &[(&str, &str)]) {
        let mut names = Vec::new();
        for (k, _) in self.table.iter() {
            let key: &str = k.get_ref().as_ref();
            if self.keys.iter().any(|s| s.name == key) {
                debug_assert!(
                    self.used.contains(&key),
                    "the loader never read `{key}` of \"{}\", a key of the spec",
                    self.name
                );
                continue;
            }
            if names.is_empty() {
                names = super::spec::names(self.keys);
            }
            let known = names.as_slice();
            let close = did_you_mean(key, known);
            let (message, help) = if !self.name.is_top() && top.contains(&key) && close.is_none() {
                let message = format!(
                    "`{key}` ended up inside {}: move it above the first table",
                    self.name
                );
                let help = format!(
                    "in TOML every key after a [table] or [[table]] header belongs to that table; \
                     `{key}` is a top-level key"
                );
                (message, Some(help))
            } else if let Some((_, table)) = elsewhere.iter().find(|(k, _)| *k == key) {
                let place = if self.name.is_top() {
                    "at the top level".to_string()
                } else {
                    format!("in {}", self.name)
                };
                (
                    format!("`{key}` does not belong {place}: it belongs in {table}"),
                    Some(format!("move it under the {table} header")),
                )
            } else {
                let place = if self.name.is_top() {
                    String::new()
                } else {
                    format!(" in {}", self.name)
                };
                let help = match close {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the keys allowed here are: {}", known.join(", ")),
                };
                (format!("unknown key `{key}`{place}"), Some(help))
            };
            sink.push(k.span(), message, help);
        }
    }
}

/// The characters of a TOML number without its `_` separators (borrowed when it has none, as
/// almost every number).
fn without_underscores(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('_') {
        s.replace('_', "").into()
    } else {
        s.into()
    }
}

fn parse_int(s: &str, radix: u32) -> Option<i64> {
    let clean = without_underscores(s);
    let clean = clean.trim_start_matches('+');
    let digits = clean
        .strip_prefix("0x")
        .or_else(|| clean.strip_prefix("0o"))
        .or_else(|| clean.strip_prefix("0b"))
        .unwrap_or(clean);
    i64::from_str_radix(digits, radix).ok()
}

/// A TOML integer or float as f64; `None` for anything else (and for nan).
pub(crate) fn number_of(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Integer(i) => parse_int(i.as_str(), i.radix()).map(|n| n as f64),
        Value::Float(f) => without_underscores(f.as_str())
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite()),
        _ => None,
    }
}

/// A number written as text ("30", "１２"), for the "remove the quotes" hint.
fn parse_number_text(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok()
}
