//! Every user mistake gets a finding with file, line and column and a way to fix it, every
//! other file is still checked, and nothing panics.

mod common;

use common::{ORG, check_json, org, position, rolebook, with_code, write};
use serde_json::Value;

/// A second file with a known defect: it must be reported whatever else is broken.
fn bystander() -> String {
    position("客服专员", Some("nobody"))
}

fn assert_bystander_checked(doc: &Value) {
    let d = with_code(doc, "unknown-superior");
    assert!(
        d.iter().any(|d| d["position"] == "bystander"),
        "the other file was not checked: {doc:#}"
    );
}

fn only(doc: &Value, code: &str, position: &str) -> Value {
    let found: Vec<&Value> = with_code(doc, code)
        .into_iter()
        .filter(|d| d["position"] == position)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one {code} for {position}: {doc:#}"
    );
    found[0].clone()
}

fn help(d: &Value) -> String {
    d["help"]
        .as_array()
        .map(|h| {
            h.iter()
                .map(|s| s.as_str().unwrap())
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

#[test]
fn invalid_toml_names_file_line_and_column() {
    let bad = "title = \"客服专员\"\ndepartment = \"客服部\nsummary = \"x\"\n";
    let dir = org(&[
        ("_org.toml", ORG),
        ("broken.toml", bad),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "parse", "broken");
    assert!(
        d["message"].as_str().unwrap().starts_with("invalid TOML"),
        "{d:#}"
    );
    assert_eq!(d["line"], 2);
    assert!(d["file"].as_str().unwrap().ends_with("broken.toml"));
    assert_bystander_checked(&doc);
}

#[test]
fn text_where_a_number_belongs() {
    let mut p = position("客服专员", None);
    p.push_str("\n[[kpis]]\nname = \"客户满意度\"\nweight = \"三十\"\ntarget = 90\n");
    let dir = org(&[
        ("_org.toml", ORG),
        ("weights.toml", &p),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "parse", "weights");
    assert_eq!(
        d["message"],
        "`weight` in [[kpis]] #1 must be a number, found text"
    );
    assert_eq!(d["line"], 11);
    assert_eq!(d["column"], 10);
    assert!(help(&d).contains("weight = 30"), "{d:#}");
    assert_bystander_checked(&doc);
}

#[test]
fn quoted_number_suggests_removing_the_quotes() {
    let mut p = position("客服专员", None);
    p.push_str("\n[[kpis]]\nname = \"客户满意度\"\nweight = \"100\"\ntarget = 90\n");
    let dir = org(&[("_org.toml", ORG), ("q.toml", &p)]);
    let (_, doc) = check_json(dir.path());
    let d = only(&doc, "parse", "q");
    assert!(
        help(&d).contains("remove the quotes: weight = 100"),
        "{d:#}"
    );
}

#[test]
fn unknown_key_with_a_close_match() {
    let p = position("客服专员", None).replacen("title = ", "titel = \"x\"\ntitle = ", 1);
    let dir = org(&[
        ("_org.toml", ORG),
        ("typo.toml", &p),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "parse", "typo");
    assert_eq!(d["message"], "unknown key `titel`");
    assert_eq!(d["line"], 1);
    assert_eq!(help(&d), "did you mean `title`?");
    assert_bystander_checked(&doc);
}

#[test]
fn top_level_key_written_after_kpis() {
    let mut p = position("客服专员", None);
    p.push_str(
        "\n[[kpis]]\nname = \"a\"\nweight = 50\ntarget = 1\n\n[[kpis]]\nname = \"b\"\nweight = 20\ntarget = 1\n\n[[kpis]]\nname = \"c\"\nweight = 30\ntarget = 1\nnotes = \"备注\"\n",
    );
    let dir = org(&[("_org.toml", ORG), ("misplaced.toml", &p)]);
    let (_, doc) = check_json(dir.path());
    let d = only(&doc, "parse", "misplaced");
    assert_eq!(
        d["message"],
        "`notes` ended up inside [[kpis]] #3: move it above the first table"
    );
    assert_eq!(d["line"], 23);
}

#[test]
fn key_in_the_wrong_section() {
    let p = position("客服专员", None).replace("summary", "education = \"本科\"\nsummary");
    let dir = org(&[("_org.toml", ORG), ("wrong.toml", &p)]);
    let (_, doc) = check_json(dir.path());
    let d = only(&doc, "parse", "wrong");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("belongs in [qualifications]"),
        "{d:#}"
    );
}

#[test]
fn missing_required_keys_are_all_named() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("bare.toml", "code = \"X-1\"\n"),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let msgs: Vec<String> = with_code(&doc, "parse")
        .iter()
        .filter(|d| d["position"] == "bare")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        msgs,
        [
            "missing required key `department` (所在部门)",
            "missing required key `summary` (本职)",
            "missing required key `title` (岗位名称)",
        ]
    );
    assert_bystander_checked(&doc);
}

#[test]
fn empty_file() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("empty.toml", ""),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "parse", "empty");
    assert_eq!(d["message"], "file is empty");
    assert!(help(&d).contains("rolebook new empty"));
    assert_bystander_checked(&doc);
}

#[test]
fn gbk_file_is_named_with_the_way_to_convert_it() {
    let text = position("客服专员", None);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let dir = org(&[("_org.toml", ORG), ("bystander.toml", &bystander())]);
    write(dir.path(), "gbk.toml", &gbk);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "parse", "gbk");
    assert!(
        d["message"].as_str().unwrap().contains("not UTF-8"),
        "{d:#}"
    );
    assert!(d["message"].as_str().unwrap().contains("GBK"), "{d:#}");
    assert!(help(&d).contains("iconv -f GBK -t UTF-8"));
    assert_bystander_checked(&doc);
}

#[test]
fn utf8_with_bom_is_accepted() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(position("客服专员", None).as_bytes());
    let dir = org(&[("_org.toml", ORG)]);
    write(dir.path(), "bom.toml", &bytes);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(doc["summary"]["positions"], 1);
}

#[test]
fn same_stem_in_two_folders() {
    let p = position("客服专员", None);
    let dir = org(&[
        ("_org.toml", ORG),
        ("a/cs.toml", &p),
        ("b/cs.toml", &p),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "duplicate-id", "cs");
    assert!(d["file"].as_str().unwrap().ends_with("b/cs.toml"));
    assert!(
        d["related"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("a/cs.toml")
    );
    assert_bystander_checked(&doc);
}

#[test]
fn reports_to_a_title_suggests_the_id() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("cs-manager.toml", &position("客服部经理", Some("director"))),
        (
            "cs-specialist.toml",
            &position("客服专员", Some("客服部经理")),
        ),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "unknown-superior", "cs-specialist");
    assert_eq!(d["line"], 3);
    assert_eq!(d["column"], 14);
    assert!(
        help(&d).contains("write reports_to = \"cs-manager\""),
        "{d:#}"
    );
}

#[test]
fn unknown_superior_suggests_the_closest_id() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("cs-manager.toml", &position("客服部经理", Some("director"))),
        (
            "cs-specialist.toml",
            &position("客服专员", Some("cs-manger")),
        ),
    ]);
    let (_, doc) = check_json(dir.path());
    let d = only(&doc, "unknown-superior", "cs-specialist");
    assert_eq!(help(&d), "did you mean \"cs-manager\"?");
}

#[test]
fn cycle_of_two_is_reported_once() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("a.toml", &position("客服部经理", Some("b"))),
        ("b.toml", &position("客服部总监", Some("a"))),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let c = with_code(&doc, "reporting-cycle");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(c[0]["message"], "reporting cycle of 2 positions: a → b → a");
    assert_bystander_checked(&doc);
}

#[test]
fn cycle_of_five_is_reported_once() {
    let names = ["p1", "p2", "p3", "p4", "p5"];
    let files: Vec<(String, String)> = (0..5)
        .map(|i| {
            (
                format!("{}.toml", names[i]),
                position(&format!("客服{i}主管"), Some(names[(i + 1) % 5])),
            )
        })
        .collect();
    let mut all: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    all.push(("_org.toml", ORG));
    let top = position("营销部总监", None);
    all.push(("top.toml", &top));
    let dir = org(&all);
    let (_, doc) = check_json(dir.path());
    let c = with_code(&doc, "reporting-cycle");
    assert_eq!(c.len(), 1, "{c:#?}");
    assert_eq!(
        c[0]["message"],
        "reporting cycle of 5 positions: p1 → p2 → p3 → p4 → p5 → p1"
    );
    assert_eq!(c[0]["related"].as_array().unwrap().len(), 4);
}

#[test]
fn position_reporting_to_itself() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("selfish.toml", &position("客服部经理", Some("selfish"))),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = only(&doc, "reporting-cycle", "selfish");
    assert_eq!(d["message"], "客服部经理 (selfish) reports to itself");
    assert!(with_code(&doc, "level-inversion").is_empty());
}

#[test]
fn folder_without_org_file() {
    let dir = org(&[
        ("cs.toml", &position("客服专员", None)),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let d = &with_code(&doc, "missing-org")[0];
    assert!(d["file"].as_str().unwrap().ends_with("_org.toml"));
    assert!(help(d).contains("rolebook init"));
    assert_bystander_checked(&doc);
}

#[test]
fn missing_folder_exits_2() {
    rolebook()
        .args(["check", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr("error: positions folder `/definitely/not/here` does not exist\n");
}

#[test]
fn bad_arguments_exit_2() {
    rolebook()
        .args(["check", "--format", "yaml"])
        .assert()
        .code(2);
}

#[test]
fn wrong_types_everywhere_do_not_panic() {
    let files = [
        "title = 1\ndepartment = []\nsummary = {a = 1}\n",
        "title = \"x\"\ndepartment = \"y\"\nsummary = \"z\"\nduties = 3\n",
        "title = \"x\"\ndepartment = \"y\"\nsummary = \"z\"\n[[duties]]\ntitle = 2\ntasks = \"one\"\n",
        "title = \"x\"\ndepartment = \"y\"\nsummary = \"z\"\nkpis = [1, 2]\n",
        "title = \"x\"\ndepartment = \"y\"\nsummary = \"z\"\n[qualifications]\neducation = \"小学\"\nexperience_years = -1\n",
        "title = \"x\"\ndepartment = \"y\"\nsummary = \"z\"\nheadcount = 0\nanalysis_date = \"2024-01-01\"\n",
        "title = \"x\"\ndepartment = \"y\"\nsummary = \"z\"\n[[kpis]]\nname = \"k\"\ntarget = [\"a\"]\ndirection = \"sideways\"\n",
        "[relations]\ninternal = [1]\n",
        "title = \"\"\ndepartment = \"y\"\nsummary = \"z\"\n",
    ];
    for (i, f) in files.iter().enumerate() {
        let dir = org(&[
            ("_org.toml", ORG),
            ("p.toml", f),
            ("bystander.toml", &bystander()),
        ]);
        let (code, doc) = check_json(dir.path());
        assert_eq!(code, 1, "case {i}");
        assert!(!with_code(&doc, "parse").is_empty(), "case {i}: {doc:#}");
        assert_bystander_checked(&doc);
        for d in with_code(&doc, "parse") {
            assert!(d["line"].as_u64().unwrap() >= 1);
            assert!(d["help"].is_array(), "case {i}: no help in {d:#}");
        }
    }
}

#[test]
fn huge_file_is_refused_with_a_reason() {
    let dir = org(&[("_org.toml", ORG)]);
    let big = "# padding\n".repeat(500_000);
    write(dir.path(), "huge.toml", big.as_bytes());
    let (_, doc) = check_json(dir.path());
    let d = only(&doc, "parse", "huge");
    assert!(d["message"].as_str().unwrap().contains("MiB"), "{d:#}");
}

#[test]
fn broken_org_file_is_reported_and_positions_still_checked() {
    let dir = org(&[
        ("_org.toml", "levels = [\"专员\", \"经理\"\nname = 1\n"),
        ("bystander.toml", &bystander()),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    assert!(
        with_code(&doc, "parse")
            .iter()
            .any(|d| d["file"].as_str().unwrap().ends_with("_org.toml"))
    );
    assert_bystander_checked(&doc);
}

#[test]
fn a_key_the_top_level_already_has_is_not_called_misplaced() {
    let mut p = position("客服专员", None);
    p.push_str(
        "\n[[kpis]]\ntitle = \"客户满意度\"\nname = \"客户满意度\"\nweight = 100\ntarget = 90\n",
    );
    let dir = org(&[("_org.toml", ORG), ("k.toml", &p)]);
    let (_, doc) = check_json(dir.path());
    let d = only(&doc, "parse", "k");
    assert_eq!(d["message"], "unknown key `title` in [[kpis]] #1");
}
