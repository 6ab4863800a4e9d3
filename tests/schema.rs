//! `rolebook schema`, and the editor set-up `init` and `new` write: the schema agrees with
//! what `check` accepts (every key, every type), every sample and fixture position that loads
//! is valid against it (checked with a real JSON Schema validator), typical mistakes are not.

mod common;

use std::path::{Path, PathBuf};

use common::{ORG, check_json, org, position, repo, rolebook, write};
use serde_json::{Value, json};

/// Runs rolebook in `dir` and asserts it succeeded.
fn ok_in(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = rolebook()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "rolebook {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The schema `rolebook schema` prints, with the given extra arguments, run in an empty
/// folder (so the levels are free unless `--dir` names a folder with an `_org.toml`).
fn schema(args: &[&str]) -> Value {
    let empty = tempfile::tempdir().unwrap();
    let out = ok_in(empty.path(), &[&["schema"], args].concat());
    serde_json::from_slice(&out.stdout).expect("the schema is JSON")
}

fn validator(schema: &Value) -> jsonschema::Validator {
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    jsonschema::draft7::new(schema).expect("a valid draft-07 schema")
}

/// A TOML document as the JSON an editor's validator sees: dates become their text.
fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn read_toml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let doc: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{} is not TOML: {e}", path.display()));
    to_json(&doc)
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// A valid value for a property of the schema, as TOML: the first choice of an enum, the
/// lowest number allowed, one entry of each list and map. "经理" serves as every text, so
/// references between keys agree (levels, min_level, a duty's kpis and the KPI's name).
fn sample(s: &Value) -> toml::Value {
    if let Some(e) = s["enum"].as_array() {
        return toml::Value::String(e[0].as_str().unwrap().to_string());
    }
    if let Some(any) = s["anyOf"].as_array() {
        return sample(&any[0]);
    }
    if let Some(ex) = s["examples"].as_array() {
        return toml::Value::String(ex[0].as_str().unwrap().to_string());
    }
    match s["type"].as_str().unwrap_or_else(|| panic!("no type: {s}")) {
        "string" if s["format"] == "date" => toml::Value::Datetime("2024-01-22".parse().unwrap()),
        "string" => toml::Value::String("经理".into()),
        "integer" => toml::Value::Integer(s["minimum"].as_i64().unwrap_or(1)),
        "number" => toml::Value::Float(s["minimum"].as_f64().unwrap_or(1.0)),
        "boolean" => toml::Value::Boolean(true),
        "array" => toml::Value::Array(vec![sample(&s["items"])]),
        "object" => {
            let mut t = toml::Table::new();
            if let Some(props) = s["properties"].as_object() {
                for (k, p) in props {
                    t.insert(k.clone(), sample(p));
                }
            } else if s["additionalProperties"].is_object() {
                t.insert("x".into(), sample(&s["additionalProperties"]));
            }
            toml::Value::Table(t)
        }
        other => panic!("type {other}"),
    }
}

/// A value of another type than the property's: a number for text, lists and tables, a text
/// for numbers, dates and true/false.
fn wrong(s: &Value) -> toml::Value {
    let ty = s["type"]
        .as_str()
        .or_else(|| s["anyOf"][0]["type"].as_str())
        .unwrap();
    match ty {
        "integer" | "number" | "boolean" => toml::Value::String("七".into()),
        "string" if s["format"] == "date" => toml::Value::String("七".into()),
        _ => toml::Value::Integer(7),
    }
}

/// Every property of a schema, as a path of keys to it (through lists of tables), with its
/// schema.
fn properties(s: &Value, path: Vec<String>, out: &mut Vec<(Vec<String>, Value)>) {
    let obj = if s["type"] == "array" { &s["items"] } else { s };
    if let Some(props) = obj["properties"].as_object() {
        for (k, p) in props {
            let mut here = path.clone();
            here.push(k.clone());
            out.push((here.clone(), p.clone()));
            properties(p, here, out);
        }
    }
}

/// Sets the value at `path` in a sample document (the first entry of a list of tables).
fn set(doc: &mut toml::Value, path: &[String], v: toml::Value) {
    let mut at = doc;
    for k in &path[..path.len() - 1] {
        at = &mut at[k.as_str()];
        if let toml::Value::Array(a) = at {
            at = &mut a[0];
        }
    }
    at.as_table_mut()
        .unwrap()
        .insert(path[path.len() - 1].clone(), v);
}

fn parse_findings(doc: &Value) -> Vec<(String, String)> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "parse")
        .map(|d| {
            (
                d["file"].as_str().unwrap_or("").to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_file_with_every_key_of_the_schema_loads_without_a_parse_finding() {
    let position_schema = schema(&[]);
    let org_schema = schema(&["--org"]);
    let full = sample(&position_schema);
    let full_org = sample(&org_schema);
    // The samples are what they claim: valid against their own schema.
    assert_eq!(
        errors(&validator(&position_schema), &to_json(&full)),
        Vec::<String>::new()
    );
    assert_eq!(
        errors(&validator(&org_schema), &to_json(&full_org)),
        Vec::<String>::new()
    );
    let dir = org(&[
        ("_org.toml", &toml::to_string(&full_org).unwrap()),
        ("full.toml", &toml::to_string(&full).unwrap()),
    ]);
    let (_, doc) = check_json(dir.path());
    // `extends = "经理"` names no template: the loader knows the key and says so (not as a
    // parse finding, never as an unknown key).
    assert_eq!(parse_findings(&doc), Vec::<(String, String)>::new());
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unknown-template"), "{codes:?}");
}

/// A position that `extends` a template may leave out the keys a position must have (the
/// template gives them); without `extends` they stay required.
#[test]
fn a_position_with_extends_needs_no_required_keys_in_the_schema() {
    let v = validator(&schema(&[]));
    assert!(v.is_valid(&json!({ "extends": "cs-template", "department": "华东客服部" })));
    assert!(!v.is_valid(&json!({ "department": "华东客服部" })));
    assert!(!v.is_valid(&json!({ "extends": 3 })));
}

#[test]
fn a_key_the_schema_does_not_list_is_refused_by_both() {
    let position_schema = schema(&[]);
    let mut props = Vec::new();
    properties(&position_schema, Vec::new(), &mut props);
    let v = validator(&position_schema);
    let dir = org(&[("_org.toml", ORG)]);
    let mut tables: Vec<Vec<String>> = vec![Vec::new()];
    tables.extend(
        props
            .iter()
            .filter(|(_, p)| p["type"] == "object" || p["items"]["type"] == "object")
            .map(|(path, _)| path.clone()),
    );
    for (i, table) in tables.iter().enumerate() {
        let mut doc = sample(&position_schema);
        doc.as_table_mut().unwrap().remove("extends");
        let mut path = table.clone();
        path.push("not_a_key".into());
        set(&mut doc, &path, toml::Value::String("x".into()));
        assert!(!v.is_valid(&to_json(&doc)), "schema accepts {path:?}");
        write(
            dir.path(),
            &format!("p{i}.toml"),
            toml::to_string(&doc).unwrap().as_bytes(),
        );
    }
    let (_, doc) = check_json(dir.path());
    for (i, table) in tables.iter().enumerate() {
        let file = format!("p{i}.toml");
        assert!(
            parse_findings(&doc)
                .iter()
                .any(|(f, m)| f.ends_with(&file) && m.contains("`not_a_key`")),
            "check accepts not_a_key in {table:?}"
        );
    }
}

#[test]
fn every_key_of_the_wrong_type_is_refused_by_both() {
    for (schema_args, file_of) in [(&[][..], "position"), (&["--org"][..], "_org.toml")] {
        let s = schema(schema_args);
        let v = validator(&s);
        let mut props = Vec::new();
        properties(&s, Vec::new(), &mut props);
        assert!(props.len() > 20, "{props:?}");
        for (path, p) in props {
            // Keys whose value is free-form per entry ([external] ids, [checks] codes) are
            // covered by their own tables.
            let mut doc = sample(&s);
            doc.as_table_mut().unwrap().remove("extends");
            set(&mut doc, &path, wrong(&p));
            assert!(
                !v.is_valid(&to_json(&doc)),
                "schema accepts {path:?} = {}",
                wrong(&p)
            );
            let dir = if file_of == "position" {
                org(&[
                    ("_org.toml", ORG),
                    ("p.toml", &toml::to_string(&doc).unwrap()),
                ])
            } else {
                org(&[
                    ("_org.toml", &toml::to_string(&doc).unwrap()),
                    ("p.toml", &position("客服专员", Some("director"))),
                ])
            };
            let (_, out) = check_json(dir.path());
            let key = path.last().unwrap();
            assert!(
                parse_findings(&out)
                    .iter()
                    .any(|(_, m)| m.contains(key.as_str())),
                "check accepts {path:?} = {} in {file_of}: {:#?}",
                wrong(&p),
                parse_findings(&out)
            );
        }
    }
}

/// Positions folders under `root`: folders holding a `.toml` file (a position or `_org.toml`).
fn folders(root: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    if entries
        .iter()
        .any(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
    {
        out.push(root.to_path_buf());
        return;
    }
    for p in entries.iter().filter(|p| p.is_dir()) {
        folders(p, out);
    }
}

fn tomls(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() && !name.starts_with(['_', '.']) {
            tomls(&p, out);
        } else if name.ends_with(".toml") && (!name.starts_with(['_', '.']) || name == "_org.toml")
        {
            out.push(p);
        }
    }
}

#[test]
fn every_sample_and_fixture_file_that_loads_is_valid_against_the_schema() {
    let position = validator(&schema(&[]));
    let org_v = validator(&schema(&["--org"]));
    let mut dirs = vec![repo().join("positions")];
    folders(&repo().join("tests/fixtures"), &mut dirs);
    assert!(dirs.len() >= 15, "{dirs:?}");
    let mut valid = 0;
    for dir in dirs {
        let (_, doc) = check_json(&dir);
        let broken: Vec<String> = parse_findings(&doc).into_iter().map(|(f, _)| f).collect();
        let mut files = Vec::new();
        tomls(&dir, &mut files);
        for f in files {
            let shown = f
                .strip_prefix(repo())
                .unwrap()
                .to_string_lossy()
                .to_string();
            if broken.iter().any(|b| b.ends_with(&shown)) {
                continue;
            }
            let v = if f.ends_with("_org.toml") {
                &org_v
            } else {
                &position
            };
            let errs = errors(v, &read_toml(&f));
            assert!(errs.is_empty(), "{shown}: {errs:#?}");
            valid += 1;
        }
    }
    assert!(valid >= 60, "only {valid} files validated");
}

#[test]
fn the_samples_are_valid_against_the_schema_with_their_levels() {
    let s = schema(&["--dir", repo().join("positions").to_str().unwrap()]);
    assert_eq!(
        s["properties"]["level"]["enum"],
        json!(["专员", "主管", "经理", "总监"]),
        "the levels of positions/_org.toml"
    );
    let v = validator(&s);
    let mut files = Vec::new();
    tomls(&repo().join("positions"), &mut files);
    for f in files.iter().filter(|f| !f.ends_with("_org.toml")) {
        assert_eq!(
            errors(&v, &read_toml(f)),
            Vec::<String>::new(),
            "{}",
            f.display()
        );
    }
}

#[test]
fn typical_mistakes_are_rejected() {
    let s = schema(&["--dir", repo().join("positions").to_str().unwrap()]);
    let v = validator(&s);
    let good = read_toml(&repo().join("positions/cs-specialist.toml"));
    assert!(v.is_valid(&good));
    type Spoil = fn(&mut Value);
    let mistakes: [(&str, Spoil); 7] = [
        ("wrong type", |d| d["headcount"] = json!("3")),
        ("unknown key", |d| d["titel"] = json!("客服专员")),
        ("missing title", |d| {
            d.as_object_mut().unwrap().remove("title");
        }),
        ("unknown key in a KPI", |d| {
            d["kpis"][0]["weigth"] = json!(30)
        }),
        ("direction not a direction", |d| {
            d["kpis"][0]["direction"] = json!("up")
        }),
        ("level not a level", |d| d["level"] = json!("组长")),
        ("tasks as one text", |d| {
            d["duties"][0]["tasks"] = json!("接听客户来电")
        }),
    ];
    for (what, spoil) in mistakes {
        let mut doc = good.clone();
        spoil(&mut doc);
        assert!(!v.is_valid(&doc), "{what} is accepted");
    }
}

#[test]
fn every_key_shows_its_label_and_help_in_both_languages() {
    let s = schema(&[]);
    let title = &s["properties"]["title"];
    assert_eq!(title["title"], "岗位名称 (Position)");
    let help = title["description"].as_str().unwrap();
    assert!(help.starts_with("岗位名称"), "{help}");
    assert!(help.contains("the position's title"), "{help}");
    assert_eq!(s["properties"]["summary"]["title"], "本职 (Purpose)");
    let kpi = &s["properties"]["kpis"]["items"]["properties"];
    assert_eq!(
        kpi["direction"]["enum"],
        json!(["higher", "lower", "rating", "band"])
    );
    assert_eq!(s["additionalProperties"], false);
    assert_eq!(
        s["properties"]["kpis"]["items"]["additionalProperties"],
        false
    );
    let mut props = Vec::new();
    properties(&s, Vec::new(), &mut props);
    properties(&schema(&["--org"]), Vec::new(), &mut props);
    for (path, p) in props {
        if path.first().is_some_and(|k| k == "checks") {
            continue;
        }
        let d = p["description"]
            .as_str()
            .unwrap_or_else(|| panic!("{path:?}"));
        let lines: Vec<&str> = d.lines().collect();
        assert_eq!(lines.len(), 2, "{path:?}: {d}");
        assert!(
            lines[0]
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{d}"
        );
        assert!(
            p["title"].as_str().is_some_and(|t| t.contains(" (")),
            "{path:?}"
        );
    }
    // Without an _org.toml the levels are free text.
    let dir = tempfile::tempdir().unwrap();
    let out = rolebook()
        .current_dir(dir.path())
        .arg("schema")
        .output()
        .unwrap();
    let free: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(free["properties"]["level"]["type"], "string");
    assert!(free["properties"]["level"]["enum"].is_null());
}

#[test]
fn the_org_schema_offers_every_check_with_its_severities() {
    let s = schema(&["--org"]);
    let checks = &s["properties"]["checks"]["properties"];
    assert_eq!(
        checks["duplicate-duty"]["enum"],
        json!(["off", "info", "warning", "error"])
    );
    assert_eq!(
        checks["parse"]["enum"],
        json!(["error"]),
        "parse is always an error"
    );
    assert_eq!(s["properties"]["checks"]["additionalProperties"], false);
    assert_eq!(s["required"], json!(["levels"]));
}

#[test]
fn out_writes_the_schema_and_refuses_a_toml_file() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("a.toml", &position("客服经理", Some("director"))),
    ]);
    let before = std::fs::read(dir.path().join("a.toml")).unwrap();
    for bad in ["a.toml", "_org.toml", "A.TOML"] {
        let out = rolebook()
            .current_dir(dir.path())
            .args(["schema", "--out", bad])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("is a TOML file"), "{err}");
        assert!(err.contains(".json"), "{err}");
    }
    assert_eq!(std::fs::read(dir.path().join("a.toml")).unwrap(), before);
    let out = rolebook()
        .current_dir(dir.path())
        .args(["schema", "--out", "notes.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("notes.txt").exists());

    let out = ok_in(dir.path(), &["schema", "--out", ".schema/position.json"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("levels 专员, 主管, 经理, 总监"), "{stdout}");
    let written: Value =
        serde_json::from_slice(&std::fs::read(dir.path().join(".schema/position.json")).unwrap())
            .unwrap();
    let printed: Value = serde_json::from_slice(
        &rolebook()
            .current_dir(dir.path())
            .arg("schema")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(written, printed);
    // The schema folder is not a position: check still sees one position, no finding.
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 0, "{doc:#}");
}

#[test]
fn init_sets_up_editors_and_new_files_point_at_the_schema() {
    let root = tempfile::tempdir().unwrap();
    let out = ok_in(root.path(), &["init"]);
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    for f in [
        ".taplo.toml",
        "tombi.toml",
        "positions/.schema/position.json",
        "positions/.schema/org.json",
    ] {
        assert!(root.path().join(f).is_file(), "{f} missing");
        assert!(said.contains(f), "{said}");
    }
    let p = root.path().join("positions");
    let first = |f: &str| {
        std::fs::read_to_string(p.join(f))
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(first("_org.toml"), "#:schema ./.schema/org.json");
    assert_eq!(
        first("department-manager.toml"),
        "#:schema ./.schema/position.json"
    );
    // The schema file the directive names, with the levels init wrote.
    let s: Value =
        serde_json::from_slice(&std::fs::read(p.join(".schema/position.json")).unwrap()).unwrap();
    assert!(
        s["properties"]["level"]["enum"].is_array(),
        "{}",
        s["properties"]["level"]
    );
    let v = validator(&s);
    assert!(v.is_valid(&read_toml(&p.join("department-manager.toml"))));
    let org_s: Value =
        serde_json::from_slice(&std::fs::read(p.join(".schema/org.json")).unwrap()).unwrap();
    assert!(validator(&org_s).is_valid(&read_toml(&p.join("_org.toml"))));
    // The settings map the folder's files to the schemas.
    let taplo: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.path().join(".taplo.toml")).unwrap()).unwrap();
    assert_eq!(
        taplo["rule"][0]["include"][0].as_str(),
        Some("positions/**/*.toml")
    );
    assert_eq!(
        taplo["rule"][0]["schema"]["path"].as_str(),
        Some("positions/.schema/position.json")
    );
    assert_eq!(
        taplo["rule"][1]["include"][0].as_str(),
        Some("positions/_org.toml")
    );
    let tombi: toml::Value =
        toml::from_str(&std::fs::read_to_string(root.path().join("tombi.toml")).unwrap()).unwrap();
    assert_eq!(
        tombi["schemas"][1]["path"].as_str(),
        Some("positions/.schema/position.json")
    );

    // `new` starts its file with the directive; the folder still checks clean.
    ok_in(
        root.path(),
        &[
            "new",
            "assistant",
            "--title",
            "综合专员",
            "--reports-to",
            "department-manager",
        ],
    );
    assert_eq!(first("assistant.toml"), "#:schema ./.schema/position.json");
    assert!(v.is_valid(&read_toml(&p.join("assistant.toml"))));
    let (_, doc) = check_json(&p);
    assert_eq!(parse_findings(&doc), Vec::<(String, String)>::new());

    // A second folder beside it: the settings there are the user's now, never replaced.
    let taplo_before = std::fs::read(root.path().join(".taplo.toml")).unwrap();
    let out = ok_in(root.path(), &["init", "other"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("kept the existing .taplo.toml"), "{said}");
    assert!(said.contains("kept the existing tombi.toml"), "{said}");
    assert_eq!(
        std::fs::read(root.path().join(".taplo.toml")).unwrap(),
        taplo_before
    );
    assert!(root.path().join("other/.schema/position.json").is_file());
}

#[test]
fn new_writes_the_schema_when_the_folder_has_none() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("boss.toml", &position("客服经理", Some("director"))),
    ]);
    ok_in(
        dir.path(),
        &[
            "new",
            "helper",
            "--title",
            "客服专员",
            "--reports-to",
            "boss",
            "--dir",
            ".",
        ],
    );
    let s: Value = serde_json::from_slice(
        &std::fs::read(dir.path().join(".schema/position.json")).expect("schema written"),
    )
    .unwrap();
    assert_eq!(
        s["properties"]["level"]["enum"],
        json!(["专员", "主管", "经理", "总监"])
    );
    assert!(validator(&s).is_valid(&read_toml(&dir.path().join("helper.toml"))));
}

/// A folder set up by `init`, with the sample organization copied into its positions folder
/// without a `#:schema` line (so the editor settings map them), and two spoilt copies of a
/// sample: `typo.toml` (`titel`) and `quoted.toml` (`headcount = "4"`).
fn editor_project() -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    ok_in(root.path(), &["init"]);
    let p = root.path().join("positions");
    let mut files = Vec::new();
    tomls(&repo().join("positions"), &mut files);
    for f in &files {
        std::fs::copy(f, p.join(f.file_name().unwrap())).unwrap();
    }
    let good = std::fs::read_to_string(p.join("cs-specialist.toml")).unwrap();
    write(
        &p,
        "typo.toml",
        good.replacen("title =", "titel =", 1).as_bytes(),
    );
    write(
        &p,
        "quoted.toml",
        good.replacen("headcount = 4", "headcount = \"4\"", 1)
            .as_bytes(),
    );
    root
}

const GOOD: [&str; 5] = [
    "positions/_org.toml",
    "positions/cs-manager.toml",
    "positions/cs-supervisor.toml",
    "positions/cs-specialist.toml",
    "positions/department-manager.toml",
];
const BAD: [&str; 2] = ["positions/typo.toml", "positions/quoted.toml"];

/// An editor tool's lint in `root`, the tool as `scripts/test` installs it under `.tools/`;
/// (success, output).
fn lint(root: &Path, tool: &str, args: &[&str], files: &[&str]) -> (bool, String) {
    let tool = repo().join(".tools").join(match tool {
        "taplo" => "node_modules/.bin/taplo",
        _ => "python/bin/tombi",
    });
    let out = std::process::Command::new(&tool)
        .current_dir(root)
        .args(args)
        .args(files)
        .env("RUST_LOG", "warn")
        .env("NO_COLOR", "1")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}): run scripts/test --setup",
                tool.display()
            )
        });
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn taplo_checks_the_samples_with_the_settings_init_writes() {
    let root = editor_project();
    let taplo = |files: &[&str]| lint(root.path(), "taplo", &["check"], files);
    let (ok, text) = taplo(&GOOD);
    assert!(ok, "taplo refuses a sample:\n{text}");
    let (ok, text) = taplo(&BAD);
    assert!(!ok, "{text}");
    assert!(text.contains("'titel' was unexpected"), "{text}");
    assert!(text.contains("is not of type \"integer\""), "{text}");
    // The `#:schema` line alone brings the schema (settings removed).
    std::fs::remove_file(root.path().join(".taplo.toml")).unwrap();
    let p = root.path().join("positions");
    let made = std::fs::read_to_string(p.join("department-manager.toml")).unwrap();
    assert!(made.starts_with("#:schema "));
    write(
        &p,
        "direct.toml",
        made.replacen("headcount", "headcont", 1).as_bytes(),
    );
    let (ok, text) = taplo(&["positions/direct.toml"]);
    assert!(
        !ok,
        "the #:schema line alone does not bring the schema:\n{text}"
    );
    assert!(text.contains("'headcont' was unexpected"), "{text}");
}

#[test]
fn tombi_checks_the_samples_with_the_settings_init_writes() {
    let root = editor_project();
    // --offline: no schema catalog from the network; the schemas are local files.
    let tombi = |files: &[&str]| lint(root.path(), "tombi", &["lint", "--offline"], files);
    let (ok, text) = tombi(&GOOD);
    assert!(ok, "tombi refuses a sample:\n{text}");
    let (ok, text) = tombi(&BAD);
    assert!(!ok, "{text}");
    assert!(text.contains("\"titel\" is not allowed"), "{text}");
    assert!(text.contains("\"title\" is required"), "{text}");
    assert!(text.contains("expected a value of type Integer"), "{text}");
    // _org.toml gets the org schema: a wrong `lang` is marked.
    let p = root.path().join("positions");
    let org = std::fs::read_to_string(p.join("_org.toml")).unwrap();
    write(&p, "_org.toml", format!("lang = \"fr\"\n{org}").as_bytes());
    let (ok, text) = tombi(&["positions/_org.toml"]);
    assert!(!ok, "{text}");
    assert!(text.contains("fr"), "{text}");
}

#[test]
fn the_sample_folder_s_editor_files_are_what_rolebook_writes_today() {
    // The repository is set up for editors as `init` sets a folder up; a change to the keys
    // or the settings must regenerate these (the commands are in the failure message).
    let dir = repo().join("positions");
    for (of, args) in [("position.json", &[][..]), ("org.json", &["--org"][..])] {
        let mut full = vec!["--dir", dir.to_str().unwrap()];
        full.extend(args);
        let committed: Value =
            serde_json::from_slice(&std::fs::read(dir.join(".schema").join(of)).unwrap()).unwrap();
        assert_eq!(
            committed,
            schema(&full),
            "positions/.schema/{of} is stale: run rolebook schema {} --out positions/.schema/{of}",
            args.join(" ")
        );
    }
    assert_eq!(
        std::fs::read_to_string(repo().join(".taplo.toml")).unwrap(),
        rolebook::schema::taplo_settings("positions")
    );
    assert_eq!(
        std::fs::read_to_string(repo().join("tombi.toml")).unwrap(),
        rolebook::schema::tombi_settings("positions")
    );
}
