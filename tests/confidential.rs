//! Confidential means confidential: for every name `[confidential]` accepts, the public
//! edition built with that name hides the field's unique marker from every output (the HTML
//! handbook, the `--split` pages, the PDF's text through `pdftotext`, the Word handbook's text
//! as the project's Word reader reads it), and shows everything else; the internal edition
//! shows every marker in the HTML, the PDF and the Word file alike.

mod common;

use std::path::Path;

use common::{org, poppler, rolebook};
use rolebook::import::Block;

const ORG_TOML: &str = r#"name = "示例公司"
levels = ["专员", "主管", "MK职级"]
departments = ["MK部门"]

[external]
boss = { title = "MK外部上级", level = "MK职级" }
"#;

const MANAGER: &str = r#"title = "客服部经理"
code = "MK-CODE-7"
department = "MK部门"
level = "MK职级"
reports_to = "boss"
headcount = 7301
pay_grade = "MK工资等级"
pay_type = "MK薪酬类型"
analysis_date = 2031-07-19
summary = "MK本职"
authorities = ["MK权力一", "MK权力二"]
notes = "MK备注"

[[duties]]
title = "MK职责标题"
tasks = ["MK工作任务一", "MK工作任务二"]
assessment = "MK考核重点"
kpis = ["MK指标甲"]

[relations]
internal = ["MK内部协调"]
external = ["MK外部协调"]

[qualifications]
education = "博士"
majors = ["MK专业"]
training = ["MK培训"]
experience = "MK经验文本"
knowledge = "MK知识"
skills = "MK技能"
traits = ["MK素质"]

[conditions]
tools = ["MK工具"]
environment = "MK环境"
hours = "MK工时"
records = ["MK记录"]

[[kpis]]
name = "MK指标甲"
weight = 61
target = 98765
unit = "MK单位"
direction = "higher"
threshold = 43210
cap = 1.47

[[kpis]]
name = "MK指标乙"
weight = 39
target = 4
direction = "rating"
scale = 7
"#;

const SPECIALIST: &str = r#"title = "客服专员"
department = "MK部门"
reports_to = "mgr"
summary = "接收客户投诉。"

[[duties]]
title = "客户投诉处理"
tasks = ["接收客户投诉并登记"]

[qualifications]
experience_years = 17
management_years = 13
"#;

/// Each name `[confidential]` accepts, the markers only that field puts in the handbook, and
/// whether the handbook prints the field at all (a KPI's threshold and cap are scoring
/// parameters, not on the form).
const FIELDS: &[(&str, &[&str], bool)] = &[
    ("code", &["MK-CODE-7"], true),
    ("department", &["MK部门"], true),
    ("level", &["MK职级"], true),
    // The reporting lines show in three fields and the chart: hiding one hides them all.
    (
        "reports_to",
        &["MK外部上级", "直接上级", "直接下级", "所辖人员"],
        true,
    ),
    ("direct_reports", &["直接下级"], true),
    ("staff_supervised", &["所辖人员"], true),
    ("headcount", &["7301"], true),
    ("pay_grade", &["MK工资等级"], true),
    ("pay_type", &["MK薪酬类型"], true),
    ("analysis_date", &["2031-07-19", "2031年7月19日"], true),
    ("summary", &["MK本职"], true),
    ("authorities", &["MK权力一", "MK权力二"], true),
    ("notes", &["MK备注"], true),
    (
        "duties",
        &["MK职责标题", "MK工作任务一", "MK考核重点", "相关指标"],
        true,
    ),
    ("duties.tasks", &["MK工作任务一", "MK工作任务二"], true),
    ("duties.assessment", &["MK考核重点"], true),
    ("duties.kpis", &["相关指标"], true),
    ("relations", &["MK内部协调", "MK外部协调"], true),
    ("relations.internal", &["MK内部协调"], true),
    ("relations.external", &["MK外部协调"], true),
    (
        "qualifications",
        &["博士", "MK专业", "MK经验文本", "17年以上", "MK素质"],
        true,
    ),
    ("qualifications.education", &["博士"], true),
    ("qualifications.majors", &["MK专业"], true),
    ("qualifications.training", &["MK培训"], true),
    ("qualifications.experience_years", &["17年以上"], true),
    ("qualifications.management_years", &["13年以上"], true),
    ("qualifications.experience", &["MK经验文本"], true),
    ("qualifications.knowledge", &["MK知识"], true),
    ("qualifications.skills", &["MK技能"], true),
    ("qualifications.traits", &["MK素质"], true),
    (
        "conditions",
        &["MK工具", "MK环境", "MK工时", "MK记录"],
        true,
    ),
    ("conditions.tools", &["MK工具"], true),
    ("conditions.environment", &["MK环境"], true),
    ("conditions.hours", &["MK工时"], true),
    ("conditions.records", &["MK记录"], true),
    (
        "kpis",
        &["MK指标甲", "MK指标乙", "61%", "98765", "MK单位", "相关指标"],
        true,
    ),
    ("kpis.weight", &["61%", "39%"], true),
    ("kpis.target", &["98765", "4 / 7"], true),
    ("kpis.unit", &["MK单位"], true),
    ("kpis.direction", &["≥ 98765"], true),
    ("kpis.scale", &["/ 7"], true),
    ("kpis.threshold", &["43210"], false),
    ("kpis.cap", &["1.47"], false),
];

const REPORTING: [&str; 3] = ["reports_to", "direct_reports", "staff_supervised"];

/// Every output of one build, as text: the handbook, each split page, the PDF's text, the
/// Word file's text.
struct Outputs {
    html: String,
    pages: Vec<(String, String)>,
    pdf: String,
    docx: String,
}

fn build(confidential: &[&str], edition: &str) -> Outputs {
    let list: Vec<String> = confidential.iter().map(|f| format!("\"{f}\"")).collect();
    let org_toml = format!(
        "{ORG_TOML}\n[confidential]\nfields = [{}]\n",
        list.join(", ")
    );
    let dir = org(&[
        ("_org.toml", &org_toml),
        ("mgr.toml", MANAGER),
        ("spec.toml", SPECIALIST),
    ]);
    let out = dir.path().join("out");
    rolebook()
        .arg("build")
        .arg(dir.path())
        .arg("--out")
        .arg(&out)
        .args(["--edition", edition, "--split", "--allow-errors"])
        .args(["--to", "html,pdf,docx"])
        .assert()
        .success();
    let stem = if edition == "public" {
        "handbook-public"
    } else {
        "handbook"
    };
    let read = |p: &Path| std::fs::read_to_string(p).unwrap();
    let mut pages: Vec<(String, String)> = std::fs::read_dir(out.join(stem))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.display().to_string(), read(&p)))
        .collect();
    pages.sort();
    assert!(pages.len() >= 3, "index and two pages: {pages:?}");
    Outputs {
        html: read(&out.join(format!("{stem}.html"))),
        pages,
        pdf: squash(&poppler("pdftotext", &[], &out.join(format!("{stem}.pdf")))),
        docx: squash(&docx_text(&out.join(format!("{stem}.docx")))),
    }
}

/// Every text of a .docx body, as the project's Word reader sees it.
fn docx_text(path: &Path) -> String {
    fn text(blocks: &[Block], out: &mut String) {
        for b in blocks {
            match b {
                Block::Para(p) => out.push_str(p),
                Block::Table(rows) => {
                    for cell in rows.iter().flat_map(|r| &r.cells) {
                        text(&cell.blocks, out);
                    }
                }
            }
        }
    }
    let blocks = rolebook::import::docx::read(&std::fs::read(path).unwrap()).unwrap();
    let mut out = String::new();
    text(&blocks, &mut out);
    out
}

/// Text without white space: pdftotext drops narrow spaces (`4 / 7` comes out `4/7`) and
/// breaks lines where the cell does.
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The markers a public edition with `field` confidential must not show.
fn hidden_by(field: &str) -> Vec<&'static str> {
    let covers = |other: &str| {
        other == field
            || other
                .strip_prefix(field)
                .is_some_and(|rest| rest.starts_with('.'))
            || (REPORTING.contains(&field) && REPORTING.contains(&other))
    };
    FIELDS
        .iter()
        .filter(|(name, _, _)| covers(name))
        .flat_map(|(_, markers, _)| markers.iter().copied())
        .collect()
}

fn shown_markers() -> impl Iterator<Item = &'static str> {
    FIELDS
        .iter()
        .filter(|(_, _, shown)| *shown)
        .flat_map(|(_, markers, _)| markers.iter().copied())
}

/// Builds the public edition with each field of `fields` confidential in turn.
fn public_matrix(fields: &[&str]) {
    for &field in fields {
        let out = build(&[field], "public");
        let hidden = hidden_by(field);
        assert!(!hidden.is_empty(), "no marker for `{field}`");
        for marker in &hidden {
            assert!(
                !out.html.contains(marker),
                "`{field}` confidential, yet the public HTML shows {marker}"
            );
            for (path, page) in &out.pages {
                assert!(
                    !page.contains(marker),
                    "`{field}` confidential, yet split page {path} shows {marker}"
                );
            }
            assert!(
                !out.pdf.contains(&squash(marker)),
                "`{field}` confidential, yet the public PDF shows {marker}"
            );
            assert!(
                !out.docx.contains(&squash(marker)),
                "`{field}` confidential, yet the public Word file shows {marker}"
            );
        }
        // Only that field is gone: every other marker is still there.
        // (A marker inside a hidden one goes with it: the scale `/ 7` of the target `4 / 7`.)
        let stays = |m: &&str| !hidden.iter().any(|h| m.contains(h) || h.contains(m));
        for marker in shown_markers().filter(stays) {
            assert!(
                out.html.contains(marker),
                "`{field}` confidential hid {marker} from the HTML too"
            );
            assert!(
                out.pdf.contains(&squash(marker)),
                "`{field}` confidential hid {marker} from the PDF too"
            );
            assert!(
                out.docx.contains(&squash(marker)),
                "`{field}` confidential hid {marker} from the Word file too"
            );
        }
    }
}

#[test]
fn the_matrix_covers_every_name_confidential_accepts() {
    let mut accepted = rolebook::render::view::fields();
    accepted.sort();
    let mut tested: Vec<String> = FIELDS.iter().map(|(f, _, _)| f.to_string()).collect();
    tested.sort();
    assert_eq!(tested, accepted);
}

#[test]
fn internal_html_and_pdf_show_the_same_fields() {
    let out = build(&["pay_grade", "pay_type"], "internal");
    for marker in shown_markers() {
        assert!(out.html.contains(marker), "internal HTML lacks {marker}");
        assert!(
            out.pdf.contains(&squash(marker)),
            "internal PDF lacks {marker}"
        );
        assert!(
            out.docx.contains(&squash(marker)),
            "internal Word file lacks {marker}"
        );
    }
    for (field, markers, shown) in FIELDS {
        if !shown {
            for m in *markers {
                assert!(
                    !out.html.contains(m)
                        && !out.pdf.contains(&squash(m))
                        && !out.docx.contains(&squash(m)),
                    "{field}"
                );
            }
        }
    }
}

#[test]
fn public_edition_hides_each_header_field() {
    public_matrix(&[
        "code",
        "department",
        "level",
        "reports_to",
        "direct_reports",
        "staff_supervised",
        "headcount",
        "pay_grade",
        "pay_type",
        "analysis_date",
        "summary",
        "authorities",
        "notes",
    ]);
}

#[test]
fn public_edition_hides_each_duty_and_relation_field() {
    public_matrix(&[
        "duties",
        "duties.tasks",
        "duties.assessment",
        "duties.kpis",
        "relations",
        "relations.internal",
        "relations.external",
    ]);
}

#[test]
fn public_edition_hides_each_qualification_field() {
    public_matrix(&[
        "qualifications",
        "qualifications.education",
        "qualifications.majors",
        "qualifications.training",
        "qualifications.experience_years",
        "qualifications.management_years",
        "qualifications.experience",
        "qualifications.knowledge",
        "qualifications.skills",
        "qualifications.traits",
    ]);
}

#[test]
fn public_edition_hides_each_condition_and_kpi_field() {
    public_matrix(&[
        "conditions",
        "conditions.tools",
        "conditions.environment",
        "conditions.hours",
        "conditions.records",
        "kpis",
        "kpis.weight",
        "kpis.target",
        "kpis.unit",
        "kpis.direction",
        "kpis.scale",
        "kpis.threshold",
        "kpis.cap",
    ]);
}
