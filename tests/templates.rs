//! Templates in the position format (`extends`, docs/position-format.md), through the binary:
//! what `check` finds and where it points, what the handbook shows, what `new --extends` writes.

mod common;

use common::{check_json, codes, org, poppler, repo, rolebook, with_code};
use scraper::{Html, Selector};

const ORG: &str = r#"levels = ["专员", "主管", "经理", "总监"]
[external]
gm = { title = "总经理", level = "总监" }
"#;

/// A template with a title, a 本职 and two duties; positions set department and superior.
const TEMPLATE: &str = r#"title = "客服专员"
summary = "负责客户咨询受理和客户投诉处理。"

[[duties]]
title = "客户咨询受理"
tasks = ["通过热线电话和在线客服受理客户关于运单、时效和费用的咨询"]

[[duties]]
title = "客户投诉处理"
tasks = ["接收客户投诉并登记，在规定时限内协调相关部门解决问题"]
"#;

fn specialist(extends: &str, title: &str, department: &str) -> String {
    format!(
        "extends = \"{extends}\"\ntitle = \"{title}\"\ndepartment = \"{department}\"\nreports_to = \"gm\"\n"
    )
}

fn human(dir: &std::path::Path) -> (i32, String) {
    let out = rolebook().arg("check").arg(dir).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
    )
}

/// A head office and three branches from shared templates (tests/fixtures/templates): the
/// duties they inherit are never duplicates of each other and the families sharing a template
/// get no suggestion; the planted defects are found, each once.
#[test]
fn templates_share_duties_without_findings_and_planted_defects_are_found() {
    let (code, doc) = check_json(&repo().join("tests/fixtures/templates"));
    assert_eq!(
        code, 1,
        "the unknown template and the contract approval are errors"
    );
    let all = codes(&doc);
    let must_find = [
        // `extends` with a typo in the template's id.
        ("unknown-template", "west-cs-specialist"),
        // South overrides the template's duties and adds a contract approval.
        ("misassigned-duty", "south-cs-specialist"),
        // South's own duties drop 客户回访, which its inherited 本职 names.
        ("purpose-uncovered", "south-cs-specialist"),
        // A 客服专员 duty written out by hand in the warehouse specialist: crosses roles.
        ("duplicate-duty", "wh-specialist"),
    ];
    for (c, p) in must_find {
        assert!(
            all.contains(&(c.to_string(), p.to_string())),
            "{c} {p} not found: {all:?}"
        );
    }
    // Nothing else: no duplicate-duty between positions inheriting the same duties, no
    // family-template for families that share a template, nothing about the templates as
    // positions (unknown superior, missing department …).
    assert_eq!(all.len(), must_find.len(), "{all:#?}");

    let unknown = &with_code(&doc, "unknown-template")[0];
    assert_eq!(
        unknown["file"],
        "tests/fixtures/templates/west-cs-specialist.toml"
    );
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(unknown["help"][0], "did you mean `cs-specialist-template`?");

    // The cross-role copy lists the inherited duty at the template's line, and south's copy.
    let wh = &with_code(&doc, "duplicate-duty")[0];
    let related: Vec<(String, u64)> = wh["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                r["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            (
                "tests/fixtures/templates/_templates/cs-specialist-template.toml".to_string(),
                13
            ),
            (
                "tests/fixtures/templates/south-cs-specialist.toml".to_string(),
                15
            ),
        ],
        "{wh:#}"
    );

    // The inherited 本职 is shown where it is written, with the position named.
    let info = &with_code(&doc, "purpose-uncovered")[0];
    assert_eq!(
        info["file"],
        "tests/fixtures/templates/_templates/cs-specialist-template.toml"
    );
    assert_eq!(info["line"], 3);
    assert_eq!(
        info["related"][0]["file"],
        "tests/fixtures/templates/south-cs-specialist.toml"
    );
    assert!(
        info["related"][0]["message"]
            .as_str()
            .unwrap()
            .contains("south-cs-specialist"),
        "{info:#}"
    );
    // Templates are not positions: 11 position files, the broken one included.
    assert_eq!(doc["summary"]["positions"], 11);
}

/// A finding about an inherited value points at the template's file, line and column, and
/// says which position it is about.
#[test]
fn a_finding_about_an_inherited_duty_points_at_the_template_line() {
    let template = TEMPLATE.replace("客户投诉处理", "合同审批").replace(
        "接收客户投诉并登记，在规定时限内协调相关部门解决问题",
        "审批客户服务合同及补充协议",
    );
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/cs.toml", &template),
        ("east.toml", &specialist("cs", "华东客服专员", "华东客服部")),
    ]);
    let (code, out) = human(dir.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[misassigned-duty]: duty 合同审批 is reserved for 经理 and above"),
        "{out}"
    );
    // `title = "合同审批"` is line 9 of the template; the words start at column 10.
    let at = format!("{}:9:10", dir.path().join("_templates/cs.toml").display());
    assert!(out.contains(&at), "not at {at}:\n{out}");
    assert!(
        out.contains("华东客服专员 (east) takes this from template cs"),
        "{out}"
    );
}

#[test]
fn a_template_cycle_is_reported_once_at_the_file_that_closes_it() {
    let dir = org(&[
        ("_org.toml", ORG),
        (
            "_templates/a.toml",
            "extends = \"b\"\ntitle = \"客服专员\"\n",
        ),
        ("_templates/b.toml", "extends = \"c\"\n"),
        ("_templates/c.toml", "# 绕回 a\nextends = \"a\"\n"),
        ("east.toml", &specialist("a", "华东客服专员", "客服部")),
        ("south.toml", &specialist("b", "华南客服专员", "客服部")),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    // One finding: the positions on the circle are not loaded, and not reported again (no
    // missing summary, no missing duties).
    assert_eq!(codes(&doc), [("template-cycle".to_string(), String::new())]);
    let d = &doc["diagnostics"][0];
    assert!(
        d["file"].as_str().unwrap().ends_with("_templates/c.toml"),
        "{d:#}"
    );
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(11))
    );
    assert!(
        d["message"].as_str().unwrap().ends_with("a → b → c → a"),
        "{d:#}"
    );
    // A template extending itself is a circle of one.
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/a.toml", "extends = \"a\"\n"),
    ]);
    let (_, doc) = check_json(dir.path());
    assert_eq!(codes(&doc), [("template-cycle".to_string(), String::new())]);
}

#[test]
fn errors_in_a_template_are_reported_once_at_the_template() {
    let broken = format!("headcount = \"3\"\nsumary = \"x\"\n{TEMPLATE}");
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/cs.toml", &broken),
        ("east.toml", &specialist("cs", "华东客服专员", "客服部")),
        ("south.toml", &specialist("cs", "华南客服专员", "客服部")),
        ("north.toml", &specialist("cs", "华北客服专员", "客服部")),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let diags = doc["diagnostics"].as_array().unwrap();
    // The wrong type and the unknown key (with its did-you-mean), once each, at the template;
    // nothing for the three positions that extend it.
    assert_eq!(diags.len(), 2, "{diags:#?}");
    for d in diags {
        assert_eq!(d["code"], "parse");
        assert!(d["file"].as_str().unwrap().ends_with("_templates/cs.toml"));
    }
    assert_eq!(diags[1]["help"][0], "did you mean `summary`?");
}

#[test]
fn a_resolved_position_missing_a_required_key_is_named_at_its_own_file() {
    let untitled = TEMPLATE.replace("title = \"客服专员\"\n", "");
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/cs.toml", &untitled),
        ("east.toml", "extends = \"cs\"\ndepartment = \"客服部\"\n"),
    ]);
    let (_, doc) = check_json(dir.path());
    assert_eq!(codes(&doc), [("parse".to_string(), "east".to_string())]);
    let d = &doc["diagnostics"][0];
    assert!(d["file"].as_str().unwrap().ends_with("east.toml"), "{d:#}");
    assert_eq!(
        d["message"],
        "missing required key `title` (岗位名称): neither this file nor template `cs` sets it"
    );
}

#[test]
fn extends_names_a_template_never_a_position() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/cs.toml", TEMPLATE),
        ("east.toml", &specialist("cs", "华东客服专员", "客服部")),
        ("south.toml", &specialist("east", "华南客服专员", "客服部")),
    ]);
    let (_, doc) = check_json(dir.path());
    assert_eq!(
        codes(&doc),
        [("unknown-template".to_string(), "south".to_string())]
    );
    let help = doc["diagnostics"][0]["help"][0].as_str().unwrap();
    assert!(help.starts_with("`east` is a position;"), "{help}");
}

/// Positions inheriting one template's duties are not duplicates of each other; a family
/// member that copies them by hand instead still gets the suggestion to use the template.
#[test]
fn family_template_is_suggested_only_to_a_family_not_sharing_a_template() {
    let hand = TEMPLATE.replace(
        "title = \"客服专员\"",
        "title = \"总部客服专员\"\ndepartment = \"客服部\"\nreports_to = \"gm\"",
    );
    let mut files = vec![("_org.toml", ORG), ("_templates/cs.toml", TEMPLATE)];
    let east = specialist("cs", "华东客服专员", "华东客服部");
    let south = specialist("cs", "华南客服专员", "华南客服部");
    files.push(("east.toml", &east));
    files.push(("south.toml", &south));
    let dir = org(&files);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 0);
    assert_eq!(codes(&doc), Vec::<(String, String)>::new());

    files.push(("hq.toml", &hand));
    let dir = org(&files);
    let (_, doc) = check_json(dir.path());
    assert_eq!(
        codes(&doc),
        [("family-template".to_string(), "east".to_string())],
        "{doc:#}"
    );
}

/// The handbook shows each position in full, inherited fields included, in the HTML and the
/// PDF; the templates have no form.
#[test]
fn the_handbook_renders_inherited_fields_and_no_form_for_templates() {
    let out = tempfile::tempdir().unwrap();
    rolebook()
        .args(["build", "--allow-errors"])
        .arg(repo().join("tests/fixtures/templates"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let html = std::fs::read_to_string(out.path().join("handbook.html")).unwrap();
    let doc = Html::parse_document(&html);
    let forms = Selector::parse("article.position").unwrap();
    let ids: Vec<&str> = doc
        .select(&forms)
        .map(|f| f.value().attr("data-id").unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        10,
        "10 positions (the one with an unknown template is not loaded): {ids:?}"
    );
    assert!(
        ids.iter().all(|id| !id.contains("template")),
        "a template has a form: {ids:?}"
    );
    let inherited = "通过热线电话和在线客服受理客户关于运单、时效和费用的咨询";
    let form_text = |id: &str| -> String {
        let sel = Selector::parse(&format!("article.position[data-id=\"{id}\"]")).unwrap();
        doc.select(&sel)
            .next()
            .unwrap_or_else(|| panic!("no form for {id}"))
            .text()
            .collect()
    };
    for id in [
        "hq-cs-specialist",
        "east-cs-specialist",
        "north-cs-specialist",
    ] {
        let text = form_text(id);
        assert!(text.contains(inherited), "{id} lacks its inherited duty");
        // Inherited from the base template, the qualifications and the KPIs.
        assert!(text.contains("熟练使用呼叫中心系统"), "{id}");
        assert!(text.contains("工单按时关闭率"), "{id}");
    }
    // Through the chain: the branch template's conditions, not in the head office's.
    assert!(form_text("east-cs-specialist").contains("分公司呼叫中心"));
    assert!(!form_text("hq-cs-specialist").contains("分公司呼叫中心"));
    // South replaced the duties: its form has its own, not the template's 客户回访.
    let south = form_text("south-cs-specialist");
    assert!(south.contains("合同审批") && !south.contains("按月制定客户回访计划"));
    // The managers' inherited superior and the branch titles they set.
    assert!(form_text("east-cs-manager").contains("华东分公司客服部经理"));

    let text: String = poppler("pdftotext", &["-raw"], &out.path().join("handbook.pdf"))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // The three inheritors and south's hand copy.
    assert_eq!(text.matches(inherited).count(), 4, "{text}");
    assert_eq!(text.matches("按月制定客户回访计划").count(), 3);
}

#[test]
fn new_extends_writes_only_what_differs_and_the_result_passes_check() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/cs.toml", TEMPLATE),
        (
            "east-manager.toml",
            "title = \"华东客服部经理\"\ndepartment = \"华东客服部\"\nreports_to = \"gm\"\nsummary = \"负责华东客服部的管理。\"\n\n[[duties]]\ntitle = \"客服团队管理\"\ntasks = [\"制定本部门客服人员的排班计划\"]\n",
        ),
    ]);
    rolebook()
        .args(["new", "east", "--extends", "cs", "--title", "华东客服专员"])
        .args(["--reports-to", "east-manager", "--dir"])
        .arg(dir.path())
        .assert()
        .success();
    let written = std::fs::read_to_string(dir.path().join("east.toml")).unwrap();
    let keys: Vec<&str> = written
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split(" = ").next().unwrap())
        .collect();
    // The department is the superior's; summary and duties come from the template.
    assert_eq!(
        keys,
        ["extends", "title", "department", "reports_to"],
        "{written}"
    );
    assert!(written.contains("department = \"华东客服部\""), "{written}");
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 0, "{doc:#}");

    // Refused: a misspelt template (with the closest), a position, an existing file.
    let refused = |args: &[&str], says: &str| {
        let out = rolebook()
            .arg("new")
            .args(args)
            .arg("--dir")
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    };
    refused(
        &["south", "--extends", "cx", "--department", "客服部"],
        "--extends `cx` is not a template; did you mean `cs`?",
    );
    refused(
        &["south", "--extends", "east", "--department", "客服部"],
        "`east` is a position",
    );
    refused(
        &["east", "--extends", "cs", "--department", "客服部"],
        "already exists",
    );
    assert!(!dir.path().join("south.toml").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("east.toml")).unwrap(),
        written
    );
}

/// Template files follow the positions folder's rule for links: one leaving the folder is
/// refused, never read.
#[cfg(unix)]
#[test]
fn a_template_linked_from_outside_the_folder_is_refused_unread() {
    let elsewhere = org(&[("x.toml", "summary = \"秘密内容\"\n")]);
    let dir = org(&[("_org.toml", ORG)]);
    std::fs::create_dir(dir.path().join("_templates")).unwrap();
    std::os::unix::fs::symlink(
        elsewhere.path().join("x.toml"),
        dir.path().join("_templates/x.toml"),
    )
    .unwrap();
    let (code, out) = human(dir.path());
    assert_eq!(code, 1);
    assert!(
        out.contains("outside the positions folder: it is not read"),
        "{out}"
    );
    assert!(!out.contains("秘密内容"), "{out}");
}

/// A defect in a template's value, inherited by several positions, is one finding at the
/// template with a note per position, not one per position.
#[test]
fn a_defect_in_a_template_inherited_by_many_is_one_finding_naming_each_position() {
    let template = format!(
        "{TEMPLATE}\n[[kpis]]\nname = \"投诉次数\"\ndirection = \"lower\"\ntarget = 0\nweight = 100\n"
    );
    let dir = org(&[
        ("_org.toml", ORG),
        ("_templates/cs.toml", &template),
        ("east.toml", &specialist("cs", "华东客服专员", "客服部")),
        ("south.toml", &specialist("cs", "华南客服专员", "客服部")),
        ("north.toml", &specialist("cs", "华北客服专员", "客服部")),
    ]);
    let (code, doc) = check_json(dir.path());
    assert_eq!(code, 1);
    let found = with_code(&doc, "kpi-definition");
    assert_eq!(found.len(), 1, "{doc:#}");
    let d = found[0];
    assert_eq!(
        d["message"],
        "lower KPI 投诉次数 has target 0 and no threshold"
    );
    assert!(d["file"].as_str().unwrap().ends_with("_templates/cs.toml"));
    let notes: Vec<&str> = d["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(notes.len(), 3, "{notes:?}");
    for who in [
        "华东客服专员 (east)",
        "华南客服专员 (south)",
        "华北客服专员 (north)",
    ] {
        assert!(
            notes.contains(&format!("{who} takes this from template cs").as_str()),
            "{who}: {notes:?}"
        );
    }
}
