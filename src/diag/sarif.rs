//! The `--format sarif` emitter: SARIF 2.1.0, one run, one rule per code.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Diagnostic, Location, Severity, Sources};

/// A rule's code, its one-line description and how to fix it, for the SARIF `rules` table.
pub type RuleDoc = (&'static str, &'static str, &'static str);

/// A SARIF location: a region of a source file, or a workbook with its cell as a logical
/// location (spreadsheets have no lines).
fn location(at: &Location, sources: &Sources, with_end: bool) -> Value {
    match at {
        Location::Source { file, span } => {
            let src = sources.get(*file);
            let (line, column) = src.line_col(span.start);
            let mut region = json!({ "startLine": line, "startColumn": column });
            if with_end {
                let (end_line, end_column) = src.line_col(span.end.max(span.start));
                region["endLine"] = json!(end_line);
                region["endColumn"] = json!(end_column.max(column + usize::from(end_line == line)));
            }
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": src.display },
                    "region": region,
                }
            })
        }
        Location::Cell(c) => json!({
            "physicalLocation": { "artifactLocation": { "uri": c.workbook } },
            "logicalLocations": [{ "name": c.sheet_ref(), "kind": "cell" }],
        }),
        Location::File(f) => json!({ "physicalLocation": { "artifactLocation": { "uri": f } } }),
        Location::Nowhere => json!({}),
    }
}

/// The SARIF log for one run of `check`.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &Sources, rules: &[RuleDoc]) -> String {
    let mut index = BTreeMap::new();
    let rules_json: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(i, (code, doc, help))| {
            index.insert(*code, i);
            json!({
                "id": code,
                "name": code,
                "shortDescription": { "text": doc },
                "help": { "text": help },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "note",
            };
            let mut text = d.message.clone();
            for h in &d.help {
                text.push_str("\nhelp: ");
                text.push_str(h);
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let mut v = location(&r.at, sources, false);
                    v["id"] = json!(i);
                    v["message"] = json!({ "text": r.message });
                    v
                })
                .collect();
            let mut v = json!({
                "ruleId": d.code,
                "level": level,
                "message": { "text": text },
                "locations": [location(&d.at, sources, true)],
                "relatedLocations": related,
            });
            if let Some(i) = index.get(d.code) {
                v["ruleIndex"] = json!(i);
            }
            v
        })
        .collect();
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "rolebook",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": "https://github.com/rolebook/rolebook",
                    "rules": rules_json,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serializes");
    s.push('\n');
    s
}
