//! The `--format sarif` emitter: SARIF 2.1.0, one run, one rule per code.
//!
//! Paths are URI references, as the specification (3.10) requires: a file below the current
//! directory is a relative reference against `%SRCROOT%` (declared in `originalUriBaseIds` as
//! the current directory), any other file an absolute `file://` URI; both percent-encoded, so
//! a space or a Chinese file name is a valid reference. Validators (the SARIF Multitool's
//! `validate`) reject absolute paths written as relative references.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};

use super::{Diagnostic, Location, Severity, Sources};

/// A rule's code, its one-line description and how to fix it, for the SARIF `rules` table.
pub type RuleDoc = (&'static str, &'static str, &'static str);

/// The base every relative `uri` is resolved against.
pub const SRCROOT: &str = "%SRCROOT%";

/// Percent-encodes a path for a URI: unreserved characters and `/` stay, everything else
/// (spaces, `%`, `#`, `?`, non-ASCII as UTF-8 bytes) is escaped.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `file:///abs/path` for an absolute path (`file:///C:/…` on Windows).
fn file_uri(absolute: &str) -> String {
    let p = absolute.replace('\\', "/");
    if p.starts_with('/') {
        format!("file://{}", encode_path(&p))
    } else {
        format!("file:///{}", encode_path(&p))
    }
}

/// Whether a shown path can stand as a reference relative to the current directory: not
/// absolute, not a drive path, not climbing out with `..`.
fn below_cwd(shown: &str) -> bool {
    let p = Path::new(shown);
    !shown.is_empty()
        && p.is_relative()
        && !shown.starts_with('/')
        && !shown.starts_with('\\')
        && shown.chars().nth(1) != Some(':')
        && !p
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
}

/// The `artifactLocation` of a file as shown to the user (`display_path`'s form).
fn artifact(shown: &str) -> Value {
    if below_cwd(shown) {
        json!({ "uri": encode_path(shown), "uriBaseId": SRCROOT })
    } else {
        let absolute = std::env::current_dir()
            .map(|cwd| cwd.join(shown))
            .unwrap_or_else(|_| Path::new(shown).to_path_buf());
        json!({ "uri": file_uri(&absolute.to_string_lossy()) })
    }
}

/// The current directory as a `file://` URI ending in `/`, the value of `%SRCROOT%`.
fn srcroot() -> Value {
    match std::env::current_dir() {
        Ok(cwd) => {
            let mut uri = file_uri(&cwd.to_string_lossy());
            if !uri.ends_with('/') {
                uri.push('/');
            }
            json!({ "uri": uri })
        }
        Err(_) => json!({ "description": { "text": "the directory rolebook ran in" } }),
    }
}

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
                    "artifactLocation": artifact(&src.display),
                    "region": region,
                }
            })
        }
        Location::Cell(c) => json!({
            "physicalLocation": { "artifactLocation": artifact(&c.workbook) },
            "logicalLocations": [{ "name": c.sheet_ref(), "kind": "cell" }],
        }),
        Location::File(f) => json!({ "physicalLocation": { "artifactLocation": artifact(f) } }),
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
                // No `name`: a name equal to the id is an error to validators (SARIF1001).
                "id": code,
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
            "originalUriBaseIds": { SRCROOT: srcroot() },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&doc).expect("a JSON value always serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_percent_encoded_uri_references() {
        assert_eq!(
            encode_path("positions/客服 部/a#1.toml"),
            "positions/%E5%AE%A2%E6%9C%8D%20%E9%83%A8/a%231.toml"
        );
        assert_eq!(
            file_uri("/srv/hr/positions/a.toml"),
            "file:///srv/hr/positions/a.toml"
        );
        assert_eq!(file_uri("C:\\hr\\a.toml"), "file:///C:/hr/a.toml");
    }

    #[test]
    fn only_paths_below_the_current_directory_are_relative() {
        assert!(below_cwd("positions/a.toml"));
        assert!(!below_cwd("/srv/hr/a.toml"));
        assert!(!below_cwd("../hr/a.toml"));
        assert!(!below_cwd("C:/hr/a.toml"));
        assert_eq!(
            artifact("positions/a.toml"),
            json!({ "uri": "positions/a.toml", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact("/srv/hr/a b.toml"),
            json!({ "uri": "file:///srv/hr/a%20b.toml" })
        );
    }
}
