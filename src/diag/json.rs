//! The `--format json` emitter: the exact document of checks.md.

use serde_json::{Value, json};

use super::{Diagnostic, Sources, Summary};

/// One JSON document with the summary and every diagnostic.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources, summary: Summary) -> String {
    let diags: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let src = sources.get(d.file);
            let (line, column) = src.line_col(d.span.start);
            let related: Vec<Value> = d
                .related
                .iter()
                .map(|r| {
                    let rs = sources.get(r.file);
                    let (line, column) = rs.line_col(r.span.start);
                    json!({ "file": rs.display, "line": line, "column": column, "message": r.message })
                })
                .collect();
            let mut v = json!({
                "code": d.code,
                "severity": d.severity.as_str(),
                "position": d.position,
                "file": src.display,
                "line": line,
                "column": column,
                "message": d.message,
                "related": related,
            });
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
