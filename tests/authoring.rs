//! `rolebook init`, `new` and `org` as HR uses them: what they write passes `check`.

mod common;

use common::{check_json, repo, rolebook};

#[test]
fn init_then_new_gives_a_folder_that_passes_check() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("positions");
    rolebook()
        .arg("init")
        .arg(&dir)
        .args(["--name", "测试公司"])
        .assert()
        .code(0);
    let (code, doc) = check_json(&dir);
    assert_eq!(code, 0, "{doc:#}");
    assert!(doc["diagnostics"].as_array().unwrap().is_empty(), "{doc:#}");

    for (id, title, to) in [
        ("cs-lead", "客服部主管", "department-manager"),
        ("cs-agent", "客服专员", "cs-lead"),
    ] {
        rolebook()
            .args(["new", id, "--title", title, "--reports-to", to, "--dir"])
            .arg(&dir)
            .assert()
            .code(0);
    }
    let (code, doc) = check_json(&dir);
    assert_eq!(code, 0, "{doc:#}");
    assert!(doc["diagnostics"].as_array().unwrap().is_empty(), "{doc:#}");
    assert_eq!(doc["summary"]["positions"], 3);

    let text = std::fs::read_to_string(dir.join("cs-agent.toml")).unwrap();
    for label in [
        "岗位名称",
        "所在部门",
        "直接上级",
        "本职",
        "职责表述",
        "工作任务",
        "任职资格",
        "考核指标",
    ] {
        assert!(text.contains(label), "no {label} comment");
    }
    assert!(
        text.contains("department = \"综合部\""),
        "department from the superior"
    );

    let out = rolebook().arg("org").arg(&dir).output().unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "测试公司\n总经理 (general-manager, external) · 总监\n\
         └── 部门经理 (department-manager) · 经理 · 1人\n\
         \u{20}   └── 客服部主管 (cs-lead) · 主管 · 1人\n\
         \u{20}       └── 客服专员 (cs-agent) · 专员 · 1人\n\
         3 positions, 3 people\n"
    );
}

#[test]
fn init_refuses_an_existing_org() {
    rolebook()
        .current_dir(repo())
        .args(["init", "positions"])
        .assert()
        .code(2);
}

#[test]
fn new_refuses_unknown_superior_taken_id_and_title_without_level() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    rolebook().arg("init").arg(&dir).assert().code(0);
    let err = |args: &[&str]| {
        let out = rolebook()
            .arg("new")
            .args(args)
            .arg("--dir")
            .arg(&dir)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(
        err(&["a", "--title", "客服专员", "--reports-to", "部门经理"])
            .contains("use --reports-to department-manager")
    );
    assert!(
        err(&[
            "department-manager",
            "--title",
            "客服专员",
            "--reports-to",
            "general-manager"
        ])
        .contains("already exists")
    );
    assert!(
        err(&[
            "b",
            "--title",
            "客服代表",
            "--reports-to",
            "department-manager"
        ])
        .contains("give --level")
    );
    assert!(
        err(&[
            "../evil",
            "--title",
            "客服专员",
            "--reports-to",
            "department-manager"
        ])
        .contains("not a valid id")
    );
    assert!(
        err(&[
            "c",
            "--title",
            "综合部经理",
            "--reports-to",
            "department-manager"
        ])
        .contains("not of a higher level")
    );
    // Nothing was written by the refused calls (beside what init wrote: _org.toml, the example
    // and the editor schemas in .schema/).
    let files = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(files, 3);
    assert_eq!(std::fs::read_dir(dir.join(".schema")).unwrap().count(), 2);
}

#[test]
fn org_shows_positions_outside_the_tree() {
    let tmp = common::org(&[
        ("_org.toml", common::ORG),
        ("a.toml", &common::position("客服部经理", Some("b"))),
        ("b.toml", &common::position("客服部总监", Some("a"))),
        ("c.toml", &common::position("客服专员", Some("ghost"))),
    ]);
    let out = rolebook().arg("org").arg(tmp.path()).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("not in the tree"), "{text}");
    assert!(text.contains("客服专员 (c) · 专员 · 1人 → ghost"), "{text}");
    assert!(text.contains("客服部经理 (a) · 经理 · 1人 → b"), "{text}");
}
