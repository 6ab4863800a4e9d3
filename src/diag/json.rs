//! The `--format json` emitter: the exact document of checks.md.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::{Diagnostic, Location, Sources, Summary};

/// `file`, `line`, `column` of a place in the sources; `file`, `sheet`, `cell` of a workbook
/// cell (`line` and `column` null).
fn location(at: &Location, sources: &Sources) -> Value {
    match at {
        Location::Source { file, span } => {
            let src = sources.get(*file);
            let (line, column) = src.line_col(span.start);
            json!({ "file": src.display, "line": line, "column": column })
        }
        Location::Cell(c) => json!({
            "file": c.workbook, "sheet": c.sheet, "cell": c.cell, "line": null, "column": null,
        }),
        Location::File(f) => json!({ "file": f, "line": null, "column": null }),
        Location::Nowhere => json!({ "file": null, "line": null, "column": null }),
    }
}

/// One JSON document with the summary and every diagnostic.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources, summary: Summary) -> String {
    let diags: Vec<Value> = diagnostics
        .par_iter()
        .map(|d| {
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    let mut v = location(&r.at, sources);
                    v["message"] = json!(r.message);
                    v
                })
                .collect();
            let mut v = json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "position": d.position,
            });
            if let (Value::Object(v), Value::Object(at)) = (&mut v, location(&d.at, sources)) {
                v.extend(at);
            }
            v["message"] = json!(d.message);
            v["related"] = json!(related);
            if !d.help.is_empty() {
                v["help"] = json!(d.help);
            }
            v
        })
        .collect();
    let doc = json!({
        "version": 1,
        "summary": {
            "positions": summary.positions,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
        },
        "diagnostics": diags,
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serializes");
    s.push('\n');
    s
}
