//! Helpers shared by the integration tests: temporary organizations and running the binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

pub const ORG: &str = r#"name = "测试公司"
levels = ["专员", "主管", "经理", "总监"]

[external]
director = { title = "营销总监", level = "总监" }
"#;

/// A valid position file with the given title and superior.
pub fn position(title: &str, reports_to: Option<&str>) -> String {
    let reports = reports_to
        .map(|r| format!("reports_to = \"{r}\"\n"))
        .unwrap_or_default();
    format!(
        r#"title = "{title}"
department = "客服部"
{reports}summary = "负责{title}的本职工作。"

[[duties]]
title = "{title}的本职工作"
tasks = ["完成{title}本职范围内的各项具体事务"]
"#
    )
}

/// A temporary positions folder holding `files` (path relative to the folder, content).
pub fn org(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        write(dir.path(), path, content.as_bytes());
    }
    dir
}

pub fn write(dir: &Path, path: &str, bytes: &[u8]) {
    let p = dir.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

pub fn rolebook() -> Command {
    let mut c = Command::cargo_bin("rolebook").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

/// Runs `check --format json` and returns (exit code, document).
pub fn check_json(dir: &Path) -> (i32, Value) {
    let out = rolebook()
        .args(["check", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run");
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), doc)
}

/// The diagnostics of a JSON document with the given code.
pub fn with_code<'a>(doc: &'a Value, code: &str) -> Vec<&'a Value> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code)
        .collect()
}

/// (code, position) of every diagnostic, for compact assertions.
pub fn codes(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["position"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a poppler tool; panics with the package to install when it is missing.
pub fn poppler(tool: &str, args: &[&str], pdf: &Path) -> String {
    let out = std::process::Command::new(tool)
        .args(args)
        .arg(pdf)
        .args(if tool == "pdftotext" {
            &["-"][..]
        } else {
            &[][..]
        })
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {tool} ({e}): install poppler-utils (apt-get install -y poppler-utils)"
            )
        });
    assert!(
        out.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{tool} complained: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// `qpdf --check`: the cross-reference table, every object and every stream decode.
pub fn qpdf_check(pdf: &Path) {
    let out = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run qpdf ({e}): install qpdf (apt-get install -y qpdf)")
        });
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("No syntax or stream encoding errors"),
        "qpdf --check: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Fails the test, saying how to get them, unless every program is installed: a test that
/// needs Chromium never passes without having looked.
pub fn require(programs: &[&str]) {
    for program in programs {
        let found = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {program}"))
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "{program} is not installed: run the tests with scripts/test, which installs it \
             (or apt-get install {program})"
        );
    }
}
