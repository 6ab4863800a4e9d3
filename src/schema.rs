//! The editors' JSON Schema (draft-07) of a position file and of `_org.toml`, written from the
//! key tables the loader reads by ([`crate::load::spec`]), for the TOML plugins of VS Code and
//! other editors (taplo / Even Better TOML, tombi): completion, hover docs, wrong types and
//! unknown keys marked while typing. `check` stays the judge; the schema is a help.
//!
//! Also where the schema files of a positions folder live and how files point at them
//! (`#:schema` on their first line, the editor settings `init` writes).

use serde_json::{Map, Value, json};

use crate::check::RULES;
use crate::load::spec::{self, Key, Kind};
use crate::model::{Education, Lang, Level};
use crate::vocab::Term;

/// The folder inside the positions folder that holds the schema files. Its leading `.` keeps
/// the loader out of it.
pub const DIR: &str = ".schema";
/// The schema of position files, in [`DIR`].
pub const POSITION_FILE: &str = "position.json";
/// The schema of `_org.toml`, in [`DIR`].
pub const ORG_FILE: &str = "org.json";

const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// Which file a schema is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Of {
    Position,
    Org,
}

impl Of {
    /// The file name of the schema in [`DIR`].
    pub fn file_name(self) -> &'static str {
        match self {
            Of::Position => POSITION_FILE,
            Of::Org => ORG_FILE,
        }
    }
}

/// The `#:schema` directive for the first line of a file directly in the positions folder.
pub fn directive(of: Of) -> String {
    format!("#:schema ./{DIR}/{}\n", of.file_name())
}

/// The schema, as pretty JSON with a final newline. `levels` are the organization's levels
/// when known: then `level` (and `min_level`, an `[external]` superior's `level`) must be one
/// of them; without them any text is offered.
pub fn json(of: Of, levels: Option<&[String]>) -> String {
    let mut text = serde_json::to_string_pretty(&schema(of, levels)).expect("a JSON value");
    text.push('\n');
    text
}

/// The schema as a JSON value.
pub fn schema(of: Of, levels: Option<&[String]>) -> Value {
    let (keys, title, zh, en) = match of {
        Of::Position => (
            spec::POSITION,
            format!(
                "{} ({})",
                Term::Form.text(Lang::Zh),
                Term::Form.text(Lang::En)
            ),
            "rolebook 岗位文件：一个岗位的职务说明书。rolebook check 检查全部内容。",
            "A rolebook position file: one position description. `rolebook check` is the judge.",
        ),
        Of::Org => (
            spec::ORG,
            crate::load::ORG_FILE.to_string(),
            "rolebook 的 _org.toml：组织设置（职级、外部上级、保留职责、计分……）。",
            "rolebook's _org.toml: the organization's settings (levels, external superiors, reserved duties, scoring …).",
        ),
    };
    let mut root = table(keys, levels);
    let root_map = root.as_object_mut().expect("an object");
    // A position that `extends` a template may leave out what the template gives: its
    // required keys are required only without `extends` (the loader checks the resolved one).
    if keys.iter().any(|k| k.name == crate::load::EXTENDS)
        && let Some(required) = root_map.remove("required")
    {
        root_map.insert("if".into(), json!({ "required": [crate::load::EXTENDS] }));
        root_map.insert("else".into(), json!({ "required": required }));
    }
    let mut head = Map::new();
    head.insert("$schema".into(), DRAFT_07.into());
    head.insert("title".into(), title.into());
    head.insert("description".into(), format!("{zh}\n{en}").into());
    let required: Vec<&str> = keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    head.insert("x-taplo".into(), json!({ "initKeys": required }));
    head.append(root_map);
    Value::Object(head)
}

/// An object with the keys of a table; any other key is refused, as `check` refuses it.
fn table(keys: &[Key], levels: Option<&[String]>) -> Value {
    let mut properties = Map::new();
    for k in keys {
        properties.insert(k.name.into(), property(k, levels));
    }
    let mut out = json!({
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
    });
    let required: Vec<&str> = keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    if !required.is_empty() {
        out["required"] = json!(required);
    }
    out
}

/// A key's schema with its label and its line of help in both languages.
fn property(k: &Key, levels: Option<&[String]>) -> Value {
    let mut out = value(&k.kind, levels);
    let label = k.label.text(Lang::Zh);
    out["title"] = format!("{label} ({})", k.label.text(Lang::En)).into();
    out["description"] = format!("{}\n{}", k.zh, k.en).into();
    out
}

/// The schema of a value of `kind`.
fn value(kind: &Kind, levels: Option<&[String]>) -> Value {
    match kind {
        Kind::Text => json!({ "type": "string" }),
        Kind::Choice(names) => json!({ "type": "string", "enum": names }),
        Kind::Level => match levels {
            Some(levels) if !levels.is_empty() => json!({ "type": "string", "enum": levels }),
            _ => json!({ "type": "string" }),
        },
        Kind::Education => {
            let names: Vec<&str> = Education::ALL
                .iter()
                .map(|e| e.zh())
                .chain(Education::ALL.iter().map(|e| e.en()))
                .collect();
            json!({ "type": "string", "examples": names })
        }
        Kind::Texts => json!({ "type": "array", "items": { "type": "string" } }),
        Kind::Whole { min } => json!({ "type": "integer", "minimum": min }),
        Kind::Number { min, max } => {
            let mut out = json!({ "type": "number" });
            if let Some(min) = min {
                out["minimum"] = json!(min);
            }
            if let Some(max) = max {
                out["maximum"] = json!(max);
            }
            out
        }
        Kind::Target => json!({
            "anyOf": [
                { "type": "number" },
                {
                    "type": "array",
                    "items": { "type": "number" },
                    "minItems": 2,
                    "maxItems": 2
                }
            ]
        }),
        // TOML dates reach a JSON Schema validator as text in RFC 3339 form.
        Kind::Date => json!({ "type": "string", "format": "date" }),
        Kind::Bool => json!({ "type": "boolean" }),
        Kind::Table(keys) => table(keys, levels),
        Kind::Tables(keys) => json!({ "type": "array", "items": table(keys, levels) }),
        Kind::Map(of) => json!({
            "type": "object",
            "additionalProperties": value(of, levels),
        }),
        Kind::Checks => {
            let mut properties = Map::new();
            for r in RULES {
                // A rule `[checks]` cannot change accepts only "error" (check says so).
                let allowed: Vec<&str> = if r.fixed {
                    vec![Level::NAMES[Level::Error as usize]]
                } else {
                    Level::NAMES.to_vec()
                };
                properties.insert(
                    r.code.into(),
                    json!({ "type": "string", "enum": allowed, "description": r.summary }),
                );
            }
            json!({
                "type": "object",
                "properties": properties,
                "additionalProperties": false,
            })
        }
    }
}

/// The globs and schema paths the settings files name, relative to the folder above the
/// positions folder `dir_name`, each as a TOML string: (position files, `_org.toml`, position
/// schema, org schema).
fn setting_paths(dir_name: &str) -> [String; 4] {
    let q = |s: String| crate::author::quote(&s);
    [
        q(format!("{dir_name}/**/*.toml")),
        q(format!("{dir_name}/{}", crate::load::ORG_FILE)),
        q(format!("{dir_name}/{DIR}/{POSITION_FILE}")),
        q(format!("{dir_name}/{DIR}/{ORG_FILE}")),
    ]
}

/// `.taplo.toml` for the folder above the positions folder `dir_name`: its files get the
/// position schema, its `_org.toml` the org schema.
pub fn taplo_settings(dir_name: &str) -> String {
    let [files, org, position, org_schema] = setting_paths(dir_name);
    format!(
        "# Written by `rolebook init`: the editor schemas of the position files for Even Better\n\
         # TOML (taplo). After changing the levels, write them again: rolebook schema --help.\n\
         \n\
         [[rule]]\n\
         include = [{files}]\n\
         exclude = [{org}]\n\
         schema = {{ path = {position} }}\n\
         \n\
         [[rule]]\n\
         include = [{org}]\n\
         schema = {{ path = {org_schema} }}\n"
    )
}

/// `tombi.toml` for the folder above the positions folder `dir_name`, mapping the same files.
pub fn tombi_settings(dir_name: &str) -> String {
    let [files, org, position, org_schema] = setting_paths(dir_name);
    format!(
        "# Written by `rolebook init`: the editor schemas of the position files for tombi.\n\
         # After changing the levels, write them again: rolebook schema --help.\n\
         \n\
         [[schemas]]\n\
         path = {org_schema}\n\
         include = [{org}]\n\
         \n\
         [[schemas]]\n\
         path = {position}\n\
         include = [{files}]\n"
    )
}

/// The levels of the `_org.toml` in the positions folder `dir`, for the `level` enum: `None`
/// when the folder has none, or when it has errors (`check` reports them; the schema then
/// leaves levels free rather than offer the assumed defaults).
pub fn levels_in(dir: &std::path::Path) -> Option<Vec<String>> {
    let path = dir.join(crate::load::ORG_FILE);
    if !path.is_file() {
        return None;
    }
    let input = crate::load::Input::read(&path);
    let loaded = crate::load::load_inputs(dir, Some(input), Vec::new());
    if loaded
        .diagnostics
        .iter()
        .any(|d| d.code == crate::load::PARSE.code)
    {
        return None;
    }
    Some(
        loaded
            .org
            .settings
            .levels
            .iter()
            .map(|l| l.value.clone())
            .collect(),
    )
}
