//! The `--format sarif` emitter: SARIF 2.1.0, one run, one rule per code.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{Diagnostic, Severity, Sources};

/// A rule's code and its one-line description, for the SARIF `rules` table.
pub type RuleDoc = (&'static str, &'static str);

/// The SARIF log for one run of `check`.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &Sources, rules: &[RuleDoc]) -> String {
    let mut index = BTreeMap::new();
    let rules_json: Vec<Value> = rules
        .iter()
        .enumerate()
        .map(|(i, (code, doc))| {
            index.insert(*code, i);
            json!({
                "id": code,
                "name": code,
                "shortDescription": { "text": doc },
            })
        })
        .collect();
    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let src = sources.get(d.file);
            let (line, column) = src.line_col(d.span.start);
            let (end_line, end_column) = src.line_col(d.span.end.max(d.span.start));
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
                    let rs = sources.get(r.file);
                    let (line, column) = rs.line_col(r.span.start);
                    json!({
                        "id": i,
                        "message": { "text": r.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": rs.display },
                            "region": { "startLine": line, "startColumn": column }
                        }
                    })
                })
                .collect();
            let mut v = json!({
                "ruleId": d.code,
                "level": level,
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": src.display },
                        "region": {
                            "startLine": line,
                            "startColumn": column,
                            "endLine": end_line,
                            "endColumn": end_column.max(column + usize::from(end_line == line)),
                        }
                    }
                }],
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
