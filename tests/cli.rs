//! `rolebook check` end to end: exit codes, formats, --deny warnings.

mod common;

use common::{ORG, org, position, repo, rolebook};
use serde_json::Value;

fn seed() -> std::path::PathBuf {
    repo().join("tests/fixtures/seed")
}

#[test]
fn clean_organization_exits_0_with_a_summary_line() {
    rolebook()
        .current_dir(repo())
        .args(["check", "positions"])
        .assert()
        .code(0)
        .stdout("0 errors, 0 warnings in 3 positions\n");
}

#[test]
fn default_folder_is_positions() {
    rolebook().current_dir(repo()).arg("check").assert().code(0);
}

#[test]
fn warnings_pass_unless_denied() {
    // One warning (equal levels), no error.
    let dir = org(&[
        ("_org.toml", ORG),
        ("a.toml", &position("客服部主管", None)),
        ("b.toml", &position("客服质检主管", Some("a"))),
    ]);
    rolebook().arg("check").arg(dir.path()).assert().code(0);
    rolebook()
        .args(["check", "--deny", "warnings"])
        .arg(dir.path())
        .assert()
        .code(1);
}

#[test]
fn errors_exit_1() {
    rolebook().arg("check").arg(seed()).assert().code(1);
}

#[test]
fn json_has_the_documented_shape() {
    let out = rolebook()
        .current_dir(repo())
        .args(["check", "--format", "json", "tests/fixtures/seed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let s = &doc["summary"];
    assert_eq!(s["positions"], 3);
    let diags = doc["diagnostics"].as_array().unwrap();
    let count = |sev: &str| diags.iter().filter(|d| d["severity"] == sev).count();
    assert_eq!(s["errors"], count("error"));
    assert_eq!(s["warnings"], count("warning"));
    assert_eq!(s["infos"], count("info"));
    let m = diags
        .iter()
        .find(|d| d["code"] == "misassigned-duty")
        .unwrap();
    assert_eq!(m["position"], "cs-specialist");
    assert_eq!(m["file"], "tests/fixtures/seed/cs-specialist.toml");
    assert_eq!(m["line"], 22);
    assert_eq!(m["column"], 10);
    assert_eq!(
        m["message"],
        "duty 招投标管理 is reserved for 经理 and above; 客服专员 is 专员"
    );
    assert!(m["related"].as_array().unwrap().is_empty());
    // Sorted by file, then line.
    let keys: Vec<(String, u64)> = diags
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn sarif_is_one_run_with_one_rule_per_code() {
    let out = rolebook()
        .current_dir(repo())
        .args(["check", "--format", "sarif", "tests/fixtures/seed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let runs = doc["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in ["parse", "duplicate-duty", "misassigned-duty", "kpi-weights"] {
        assert!(ids.contains(&code), "{code}");
    }
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), ids.len());
    let results = runs[0]["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "misassigned-duty")
        .unwrap();
    assert_eq!(r["level"], "error");
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "tests/fixtures/seed/cs-specialist.toml"
    );
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 22);
    let idx = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[idx]["id"], "misassigned-duty");
}

/// Whether `s` is a URI reference (RFC 3986): only unreserved, reserved and `%HH`
/// characters, and a scheme, if any, made of letters, digits, `+`, `-`, `.`.
fn is_uri_reference(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'%' {
            if !(i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit()) {
                return false;
            }
            i += 3;
            continue;
        }
        if !(c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=".contains(&c)) {
            return false;
        }
        i += 1;
    }
    let first_part = s.split(['/', '?', '#']).next().unwrap_or("");
    match first_part.split_once(':') {
        None => true,
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
    }
}

/// The SARIF 2.1.0 requirements a validator checks that concern us, for one log: every
/// `artifactLocation.uri` a URI reference, absolute unless it has a declared `uriBaseId`, no
/// relative reference starting with `/` (SARIF1004); no rule `name` equal to its id (SARIF1001);
/// regions 1-based; levels from the schema's enum; `ruleIndex` pointing at the rule. Returns
/// how many locations it looked at.
fn assert_valid_sarif(doc: &Value, what: &str) -> usize {
    assert_eq!(doc["version"], "2.1.0", "{what}");
    let run = &doc["runs"][0];
    let bases = run["originalUriBaseIds"]
        .as_object()
        .expect("originalUriBaseIds");
    for (name, base) in bases {
        let uri = base["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("file:///") && uri.ends_with('/') && is_uri_reference(uri),
            "{what}: base {name} = {uri}"
        );
    }
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        assert_ne!(r.get("name"), Some(&r["id"]), "{what}: SARIF1001");
    }
    let mut locations = Vec::new();
    for res in run["results"].as_array().unwrap() {
        assert!(
            ["error", "warning", "note", "none"].contains(&res["level"].as_str().unwrap()),
            "{what}"
        );
        assert!(res["message"]["text"].is_string(), "{what}");
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"], "{what}");
        locations.extend(res["locations"].as_array().unwrap());
        locations.extend(res["relatedLocations"].as_array().unwrap());
    }
    let count = locations.len();
    for loc in locations {
        let Some(phys) = loc.get("physicalLocation") else {
            continue;
        };
        let art = &phys["artifactLocation"];
        let uri = art["uri"].as_str().unwrap();
        assert!(is_uri_reference(uri), "{what}: not a URI reference: {uri}");
        match art.get("uriBaseId") {
            Some(base) => {
                assert!(bases.contains_key(base.as_str().unwrap()), "{what}: {base}");
                assert!(
                    !uri.starts_with('/') && !uri.contains(':'),
                    "{what}: {uri} is not relative"
                );
            }
            None => assert!(uri.starts_with("file:///"), "{what}: {uri} has no base"),
        }
        if let Some(region) = phys.get("region") {
            for k in ["startLine", "startColumn", "endLine", "endColumn"] {
                if let Some(v) = region.get(k) {
                    assert!(v.as_u64().unwrap() >= 1, "{what}: {k}");
                }
            }
        }
    }
    count
}

/// Every fixture's SARIF meets the requirements above; the Multitool test below has the real
/// validator read the same logs.
#[test]
fn sarif_of_every_fixture_has_valid_uris_and_rules() {
    let mut locations = 0;
    for (arg, log) in sarif_of_every_fixture() {
        let doc: Value = serde_json::from_slice(log).unwrap();
        locations += assert_valid_sarif(&doc, arg);
    }
    assert!(
        locations > 100,
        "only {locations} locations in all fixtures"
    );
}

/// Every positions folder among the fixtures (and the sample), each given relative (paths
/// against %SRCROOT%) and absolute (file:// URIs): the argument and the SARIF log of `check`,
/// made once for the tests that read them.
fn sarif_of_every_fixture() -> &'static [(String, Vec<u8>)] {
    static LOGS: std::sync::OnceLock<Vec<(String, Vec<u8>)>> = std::sync::OnceLock::new();
    LOGS.get_or_init(sarif_logs)
}

fn sarif_logs() -> Vec<(String, Vec<u8>)> {
    let mut folders = vec!["positions".to_string()];
    let mut stack = vec![repo().join("tests/fixtures")];
    while let Some(dir) = stack.pop() {
        let mut has_toml = false;
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "toml") {
                has_toml = true;
            }
        }
        if has_toml {
            let rel = dir.strip_prefix(repo()).unwrap();
            folders.push(rel.to_str().unwrap().to_string());
        }
    }
    folders.sort();
    assert!(folders.len() > 10, "fixtures not found: {folders:?}");
    let mut logs = Vec::new();
    for folder in folders {
        for arg in [folder.clone(), repo().join(&folder).display().to_string()] {
            let out = rolebook()
                .current_dir(repo())
                .args(["check", "--format", "sarif"])
                .arg(&arg)
                .output()
                .unwrap();
            logs.push((arg, out.stdout));
        }
    }
    logs
}

/// The SARIF Multitool (Microsoft's reference validator), installed by `scripts/test --setup`.
fn sarif_multitool() -> std::path::PathBuf {
    let tool = repo().join(".tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
    assert!(
        tool.is_file(),
        "the SARIF Multitool is missing at {}: run `scripts/test --setup`",
        tool.display()
    );
    tool
}

/// Runs `Sarif.Multitool validate` over `logs` and returns its findings of level error or
/// warning, as "file: rule: message" lines.
fn multitool_findings(logs: &[(String, Vec<u8>)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (i, (_, log)) in logs.iter().enumerate() {
        let name = format!("log{i}.sarif");
        std::fs::write(dir.path().join(&name), log).unwrap();
        names.push(name);
    }
    let report = dir.path().join("validation.sarif");
    let out = std::process::Command::new(sarif_multitool())
        .current_dir(dir.path())
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .arg("validate")
        .args(&names)
        .arg("--output")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success() && report.is_file(),
        "Sarif.Multitool failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    let mut found = Vec::new();
    for r in doc["runs"][0]["results"].as_array().unwrap() {
        let level = r["level"].as_str().unwrap_or("warning");
        if level != "error" && level != "warning" {
            continue;
        }
        let file = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or("?");
        let index: usize = file
            .rsplit('/')
            .next()
            .and_then(|n| n.strip_prefix("log")?.strip_suffix(".sarif")?.parse().ok())
            .unwrap_or(usize::MAX);
        let arg = logs.get(index).map_or(file, |l| l.0.as_str());
        found.push(format!("{arg}: {level} {}: {}", r["ruleId"], r["message"]));
    }
    found
}

/// The real validator accepts the SARIF of every fixture, with no error and no warning.
#[test]
fn sarif_of_every_fixture_passes_the_sarif_multitool() {
    let found = multitool_findings(sarif_of_every_fixture());
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The validator does find what the issue reported: an absolute path written as a relative
/// reference (`"uri": "/srv/hr/positions/a.toml"`, SARIF1004), so the test above can fail.
#[test]
fn sarif_multitool_rejects_an_absolute_path_as_uri() {
    let out = rolebook()
        .current_dir(repo())
        .args(["check", "--format", "sarif", "tests/fixtures/seed"])
        .output()
        .unwrap();
    let mut doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let run = &mut doc["runs"][0];
    run.as_object_mut().unwrap().remove("originalUriBaseIds");
    for res in run["results"].as_array_mut().unwrap() {
        let art = &mut res["locations"][0]["physicalLocation"]["artifactLocation"];
        let uri = art["uri"].as_str().unwrap().to_string();
        art.as_object_mut().unwrap().remove("uriBaseId");
        art["uri"] = Value::from(format!("/srv/hr/positions/{uri}"));
    }
    let log = serde_json::to_vec(&doc).unwrap();
    let found = multitool_findings(&[("bare paths".to_string(), log)]);
    assert!(
        found.iter().any(|f| f.contains("SARIF1004")),
        "the validator let bare paths through: {found:?}"
    );
}

#[test]
fn sarif_of_an_absolute_folder_outside_the_current_directory_uses_file_uris() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("客服 专员.toml", &position("客服专员", Some("nobody"))),
    ]);
    let out = rolebook()
        .current_dir(repo())
        .args(["check", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(assert_valid_sarif(&doc, "temp") > 0);
    let uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        ["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///")
            && uri.ends_with("/%E5%AE%A2%E6%9C%8D%20%E4%B8%93%E5%91%98.toml"),
        "{uri}"
    );
}

#[test]
fn github_annotations() {
    let out = rolebook()
        .current_dir(repo())
        .args(["check", "--format", "github", "tests/fixtures/seed"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.lines().any(|l| l.starts_with(
        "::error file=tests/fixtures/seed/cs-specialist.toml,line=22,col=10,title=misassigned-duty::duty 招投标管理 is reserved"
    )), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("::warning ") && l.contains("title=duplicate-duty"))
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("::notice ") && l.contains("title=purpose-uncovered"))
    );
    assert!(text.lines().all(|l| l.starts_with("::")));
}

#[test]
fn human_output_has_no_colour_when_piped() {
    let out = rolebook()
        .arg("check")
        .arg(seed())
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stdout).unwrap().contains('\x1b'));
    let out = rolebook()
        .args(["check", "--color", "always"])
        .arg(seed())
        .output()
        .unwrap();
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("\x1b[1;31merror")
    );
}

#[test]
fn help_teaches_the_exit_codes() {
    rolebook()
        .args(["check", "--help"])
        .assert()
        .code(0)
        .stdout(predicates::str::contains("Exit codes: 0 no errors"));
}

#[test]
fn a_character_the_pdf_font_lacks_fails_check_and_the_pdf_build_but_not_the_html_one() {
    let dir = repo().join("tests/fixtures/pdf/missing-glyph");
    let (code, doc) = common::check_json(&dir);
    assert_eq!(code, 1);
    let glyphs = common::with_code(&doc, "missing-glyph");
    assert_eq!(glyphs.len(), 1, "{doc:#}");
    let d = glyphs[0];
    assert_eq!(d["position"], "cs-odd");
    assert!(d["file"].as_str().unwrap().ends_with("cs-odd.toml"));
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("`summary`") && message.contains('𠮷') && message.contains("U+20BB7"),
        "{message}"
    );
    assert!(d["help"][0].as_str().unwrap().contains("--font"));

    // build stops before writing anything, with the finding; HTML needs no font.
    let out = tempfile::tempdir().unwrap();
    let run = |to: &str| {
        rolebook()
            .args(["build", "--to", to, "--out"])
            .arg(out.path())
            .arg(&dir)
            .output()
            .unwrap()
    };
    let pdf = run("html,pdf");
    assert_eq!(pdf.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&pdf.stderr).contains("error[missing-glyph]"));
    assert!(!out.path().join("handbook.html").exists());
    assert_eq!(run("html").status.code(), Some(0));
    assert!(out.path().join("handbook.html").exists());
}

#[test]
fn check_font_must_be_usable() {
    rolebook()
        .args(["check", "--font", "/nonexistent/font.ttf"])
        .arg(repo().join("positions"))
        .assert()
        .code(2);
}
