//! `rolebook build`: the HTML handbook, through the command line, read back with an HTML parser.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin_cmd;
use scraper::{ElementRef, Html, Selector};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/build")
        .join(name)
}

fn rolebook() -> Command {
    let mut cmd = cargo_bin_cmd!("rolebook");
    cmd.env_remove("SOURCE_DATE_EPOCH");
    cmd
}

/// Builds `dir` into a fresh temp folder and returns the folder and the parsed handbook.
fn build(dir: &Path, extra: &[&str]) -> (tempfile::TempDir, String) {
    let out = tempfile::tempdir().unwrap();
    rolebook()
        .args(["build", "--to", "html"])
        .arg(dir)
        .arg("--out")
        .arg(out.path())
        .args(extra)
        .assert()
        .success();
    let name = if extra.contains(&"public") {
        "handbook-public.html"
    } else {
        "handbook.html"
    };
    let html = fs::read_to_string(out.path().join(name)).unwrap();
    (out, html)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn form<'a>(doc: &'a Html, id: &str) -> ElementRef<'a> {
    doc.select(&sel(&format!("article.position[data-id=\"{id}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no form for {id}"))
}

/// The labels (`th`) of a form, in document order.
fn labels(form: ElementRef) -> Vec<String> {
    form.select(&sel("th")).map(text).collect()
}

/// The cell right after the label `label`.
fn cell<'a>(form: ElementRef<'a>, label: &str) -> Option<ElementRef<'a>> {
    let th = form.select(&sel("th")).find(|th| text(*th) == label)?;
    th.next_siblings()
        .filter_map(ElementRef::wrap)
        .find(|e| e.value().name() == "td")
}

#[test]
fn the_form_has_the_word_labels_in_their_order() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    let manager = form(&doc, "cs-manager");
    assert_eq!(
        text(manager.select(&sel("h2")).next().unwrap()),
        "客服部经理职务说明书"
    );
    let seen = labels(manager);
    let expected = [
        "岗位名称",
        "岗位编号",
        "所在部门",
        "岗位定员",
        "直接上级",
        "工资等级",
        "直接下级",
        "薪酬类型",
        "所辖人员",
        "岗位分析日期",
        "职级",
        "本职",
        "职责与工作任务",
        "职责一",
        "职责表述",
        "工作任务",
        "考核重点",
        "职责二",
        "职责表述",
        "工作任务",
        "考核重点",
        "权力",
        "工作协作关系",
        "内部协调关系",
        "外部协调关系",
        "任职资格",
        "教育水平",
        "专业",
        "培训经历",
        "经验",
        "知识",
        "技能技巧",
        "个人素质",
        "其它",
        "使用工具/设备",
        "工作环境",
        "工作时间特征",
        "所需记录文档",
        "考核指标",
        "指标名称",
        "权重",
        "目标值",
        "单位",
        "备注",
    ];
    assert_eq!(seen, expected);

    let value = |label| text(cell(manager, label).unwrap());
    assert_eq!(value("岗位名称"), "客服部经理");
    assert_eq!(value("岗位编号"), "KF-01");
    assert_eq!(value("直接上级"), "营销总监");
    assert_eq!(value("岗位分析日期"), "2024-01-22");
    assert_eq!(value("教育水平"), "本科及以上");
    assert_eq!(value("经验"), "5年以上相关工作经验，2年以上管理经验");
    assert_eq!(value("专业"), "机电、管理");
    let tasks: Vec<String> = cell(manager, "工作任务")
        .unwrap()
        .select(&sel("li"))
        .map(text)
        .collect();
    assert_eq!(tasks.len(), 2);
    assert!(tasks[1].starts_with("客户服务管理制度经审批后"));
    // Markdown in free text.
    let summary = cell(manager, "本职").unwrap();
    assert_eq!(
        text(summary.select(&sel("strong")).next().unwrap()),
        "客户关系维护"
    );
}

#[test]
fn direct_reports_and_staff_supervised_are_derived_and_link_to_their_forms() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    let manager = form(&doc, "cs-manager");
    let links = |label| -> Vec<(String, String)> {
        cell(manager, label)
            .unwrap()
            .select(&sel("a"))
            .map(|a| (text(a), a.attr("href").unwrap().to_string()))
            .collect()
    };
    assert_eq!(
        links("直接下级"),
        [("客服部主管".to_string(), "#p-cs-supervisor".to_string())]
    );
    let staff = links("所辖人员");
    assert_eq!(
        staff.iter().map(|(t, _)| t.as_str()).collect::<Vec<_>>(),
        ["客服部主管", "客服专员"]
    );
    for (_, href) in &staff {
        let target = doc.select(&sel(href)).next();
        assert!(target.is_some(), "{href} points at no form");
    }
    // The superior links back.
    let supervisor = form(&doc, "cs-supervisor");
    let up = cell(supervisor, "直接上级").unwrap();
    assert_eq!(
        up.select(&sel("a")).next().unwrap().attr("href"),
        Some("#p-cs-manager")
    );
}

#[test]
fn empty_sections_collapse_instead_of_printing_empty_rows() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    let sales = form(&doc, "sales-rep");
    let seen = labels(sales);
    for absent in [
        "岗位编号",
        "岗位定员",
        "工资等级",
        "直接下级",
        "所辖人员",
        "权力",
        "工作协作关系",
        "任职资格",
        "其它",
        "考核指标",
        "备注",
        "考核重点",
    ] {
        assert!(!seen.iter().any(|l| l == absent), "{absent} in {seen:?}");
    }
    for td in sales.select(&sel("td")) {
        assert!(!text(td).is_empty(), "empty cell: {}", td.html());
    }
    // A lone half of a header pair takes the whole row.
    let dept = cell(sales, "所在部门").unwrap();
    assert_eq!(dept.attr("colspan"), Some("10"));
}

#[test]
fn kpis_show_weight_target_and_unit_where_given() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    let rows: Vec<Vec<String>> = form(&doc, "cs-manager")
        .select(&sel("tr.kpi"))
        .map(|tr| tr.select(&sel("td")).map(text).collect())
        .collect();
    assert_eq!(
        rows,
        [
            ["客户满意度", "60%", "≥ 90", "%"],
            ["制度建设完善性", "40%", "4 / 5", ""],
        ]
    );
    let specialist: Vec<Vec<String>> = form(&doc, "cs_specialist-2")
        .select(&sel("tr.kpi"))
        .map(|tr| tr.select(&sel("td")).map(text).collect())
        .collect();
    assert_eq!(specialist, [["投诉处理时效", "100%", "≤ 24", "小时"]]);
}

#[test]
fn the_public_edition_leaves_confidential_fields_out_entirely() {
    let (_out, internal) = build(&fixture("zh"), &[]);
    assert!(internal.contains("M2-SECRET-GRADE"));
    assert!(internal.contains("年薪制-SECRET-TYPE"));

    let (out, public) = build(&fixture("zh"), &["--edition", "public"]);
    // Not even hidden: the values are nowhere in the file.
    assert!(!public.contains("SECRET"), "confidential value in the file");
    let doc = Html::parse_document(&public);
    let manager = form(&doc, "cs-manager");
    let seen = labels(manager);
    assert!(
        !seen.iter().any(|l| l == "工资等级" || l == "薪酬类型"),
        "{seen:?}"
    );
    assert!(seen.iter().any(|l| l == "岗位分析日期"));
    assert_eq!(
        text(doc.select(&sel(".cover .edition")).next().unwrap()),
        "公开版"
    );
    // The internal handbook is not overwritten by the public one.
    assert!(!out.path().join("handbook.html").exists());

    // English organization: notes are confidential too.
    let (_out, en) = build(&fixture("en"), &["--edition", "public"]);
    assert!(!en.contains("Reviewed yearly"));
    assert!(!en.contains("Annual salary"));
}

#[test]
fn an_unknown_confidential_field_stops_the_public_edition() {
    let dir = copy_fixture("zh");
    let org = dir.path().join("_org.toml");
    let text = fs::read_to_string(&org).unwrap().replace(
        "[\"pay_grade\", \"pay_type\"]",
        "[\"paygrade\", \"pay_type\"]",
    );
    fs::write(&org, text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let build = |extra: &[&str]| {
        rolebook()
            .args(["build", "--to", "html"])
            .arg(dir.path())
            .arg("--out")
            .arg(out.path())
            .args(["--edition", "public"])
            .args(extra)
            .assert()
    };
    // check finds it first (unknown-confidential), so the build refuses like on any error;
    // with --allow-errors the renderer still refuses rather than leak the field.
    build(&[])
        .code(1)
        .stderr(predicates::str::contains("error[unknown-confidential]"))
        .stderr(predicates::str::contains("did you mean `pay_grade`?"));
    build(&["--allow-errors"])
        .code(2)
        .stderr(predicates::str::contains("did you mean `pay_grade`?"));
    assert!(!out.path().join("handbook-public.html").exists());
}

#[test]
fn english_labels_with_lang_en() {
    let (_out, html) = build(&fixture("en"), &[]);
    let doc = Html::parse_document(&html);
    assert_eq!(
        doc.root_element().attr("lang"),
        Some("en"),
        "html lang attribute"
    );
    let manager = form(&doc, "support-manager");
    assert_eq!(
        text(manager.select(&sel("h2")).next().unwrap()),
        "Position description: Customer Service Manager"
    );
    let seen = labels(manager);
    for label in [
        "Position",
        "Position code",
        "Department",
        "Pay grade",
        "Direct reports",
        "Pay type",
        "Staff supervised",
        "Analysis date",
        "Purpose",
        "Duties and tasks",
        "Duty 1",
        "Tasks",
        "Qualifications",
        "Education",
        "Experience",
        "Notes",
    ] {
        assert!(seen.iter().any(|l| l == label), "{label} not in {seen:?}");
    }
    assert_eq!(
        text(cell(manager, "Experience").unwrap()),
        "5+ years of relevant experience, 2+ years in management"
    );
    assert_eq!(
        text(cell(manager, "Education").unwrap()),
        "Bachelor's degree or above"
    );
    assert_eq!(
        text(doc.select(&sel(".cover h1")).next().unwrap()),
        "Position Descriptions"
    );
}

#[test]
fn user_text_with_markup_and_template_syntax_renders_as_text() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&sel("script")).count(), 0, "a script element");
    assert_eq!(
        doc.select(&sel("td b")).count(),
        0,
        "raw HTML passed through"
    );
    let specialist = form(&doc, "cs_specialist-2");
    let summary = text(cell(specialist, "本职").unwrap());
    assert_eq!(
        summary,
        "处理 <script>alert('x')</script> 客户投诉 & 咨询，模板 {{ secret }} 与 {% if x %}y{% endif %}，\"引号\"与'单引号'"
    );
    assert_eq!(
        text(cell(specialist, "职责表述").unwrap()),
        "客户投诉处理 <b>加粗</b>"
    );
    let hrefs: Vec<&str> = specialist
        .select(&sel("a"))
        .filter_map(|a| a.attr("href"))
        .collect();
    assert!(!hrefs.iter().any(|h| h.contains("javascript")), "{hrefs:?}");
    assert!(
        hrefs.contains(&"https://example.com/policy?a=1&b=2"),
        "{hrefs:?}"
    );
    // The organization's name is text on the cover and in the title.
    assert_eq!(
        text(doc.select(&sel(".cover .org")).next().unwrap()),
        "示例科技有限公司 & <Co>"
    );
}

#[test]
fn the_chart_is_inline_svg_with_every_position_linked_to_its_form() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    let svg = doc
        .select(&sel("#chart svg.org-chart"))
        .next()
        .expect("an inline SVG chart");
    let nodes: Vec<(String, Option<String>)> = svg
        .select(&sel("g.node"))
        .map(|g| {
            let title = text(g.select(&sel("title")).next().unwrap());
            let href = g
                .parent()
                .and_then(ElementRef::wrap)
                .filter(|p| p.value().name() == "a")
                .and_then(|a| a.attr("href").map(str::to_string));
            (title, href)
        })
        .collect();
    assert_eq!(nodes.len(), 5, "{nodes:?}");
    assert!(
        nodes.contains(&("营销总监".into(), None)),
        "external superior"
    );
    for (title, id) in [
        ("客服部经理", "cs-manager"),
        ("客服部主管", "cs-supervisor"),
        ("客服专员", "cs_specialist-2"),
        ("销售专员", "sales-rep"),
    ] {
        let href = format!("#p-{id}");
        assert!(
            nodes.contains(&(title.into(), Some(href.clone()))),
            "{title} -> {href} in {nodes:?}"
        );
        assert!(doc.select(&sel(&href)).next().is_some());
    }
    assert_eq!(svg.select(&sel("g.external")).count(), 1);
    let path = svg.select(&sel("path.edge")).next().unwrap();
    assert!(path.attr("d").unwrap().starts_with('M'));
    // The manager sits above its supervisor, who sits above the specialist.
    let y = |title: &str| -> f64 {
        let g = svg
            .select(&sel("g.node"))
            .find(|g| text(g.select(&sel("title")).next().unwrap()) == title)
            .unwrap();
        g.select(&sel("rect"))
            .next()
            .unwrap()
            .attr("y")
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(y("营销总监") < y("客服部经理"));
    assert!(y("客服部经理") < y("客服部主管"));
    assert!(y("客服部主管") < y("客服专员"));
}

#[test]
fn the_chart_stacks_leaf_teams_and_survives_a_reporting_cycle() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("_org.toml"),
        "name = \"x\"\nlevels = [\"专员\", \"主管\", \"经理\"]\n",
    )
    .unwrap();
    let position = |id: &str, title: &str, up: Option<&str>| {
        let up = up.map_or(String::new(), |u| format!("reports_to = \"{u}\"\n"));
        fs::write(
            p.join(format!("{id}.toml")),
            format!("title = \"{title}\"\ndepartment = \"部\"\n{up}summary = \"s\"\n"),
        )
        .unwrap();
    };
    position("boss", "部门经理", None);
    position("lead", "组长主管", Some("boss"));
    for k in 1..=3 {
        position(&format!("s{k}"), &format!("第{k}专员"), Some("lead"));
    }
    position("loop-a", "甲主管", Some("loop-b"));
    position("loop-b", "乙主管", Some("loop-a"));
    let (_out, html) = build(p, &["--allow-errors"]);
    let doc = Html::parse_document(&html);
    let svg = doc.select(&sel("svg.org-chart")).next().unwrap();
    let rect = |title: &str| -> (f64, f64) {
        let g = svg
            .select(&sel("g.node"))
            .find(|g| text(g.select(&sel("title")).next().unwrap()) == title)
            .unwrap_or_else(|| panic!("{title} is not in the chart"));
        let r = g.select(&sel("rect")).next().unwrap();
        let num = |a: &str| r.attr(a).unwrap().parse::<f64>().unwrap();
        (num("x"), num("y"))
    };
    assert_eq!(svg.select(&sel("g.node")).count(), 7);
    // A team of leaves is a column under its lead, not a row.
    let (x1, y1) = rect("第1专员");
    let (x2, y2) = rect("第2专员");
    let (x3, y3) = rect("第3专员");
    assert!(x1 == x2 && x2 == x3, "{x1} {x2} {x3}");
    assert!(y1 < y2 && y2 < y3);
    assert!(rect("组长主管").1 < y1);
    // Both members of the cycle are drawn.
    rect("甲主管");
    rect("乙主管");
    let viewbox = svg.attr("viewBox").unwrap();
    assert!(viewbox.starts_with("0 0 "), "{viewbox}");
}

#[test]
fn a_large_organization_gets_one_chart_per_department() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(
        p.join("_org.toml"),
        "name = \"x\"\nlevels = [\"专员\", \"主管\", \"经理\"]\ndepartments = [\"甲部\", \"乙部\"]\n",
    )
    .unwrap();
    let mut ids = Vec::new();
    for (d, dept) in ["a", "b"].iter().zip(["甲部", "乙部"]) {
        let boss = if *d == "a" {
            None
        } else {
            Some("a-mgr".to_string())
        };
        let mut write = |id: String, title: String, up: Option<String>| {
            let up = up.map_or(String::new(), |u| format!("reports_to = \"{u}\"\n"));
            fs::write(
                p.join(format!("{id}.toml")),
                format!("title = \"{title}\"\ndepartment = \"{dept}\"\n{up}summary = \"s\"\n"),
            )
            .unwrap();
            ids.push(id);
        };
        write(format!("{d}-mgr"), format!("{dept}经理"), boss);
        for s in 1..=4 {
            write(
                format!("{d}-sup{s}"),
                format!("{dept}{s}组主管"),
                Some(format!("{d}-mgr")),
            );
            for k in 1..=8 {
                write(
                    format!("{d}-s{s}-{k}"),
                    format!("{dept}{s}组{k}号专员"),
                    Some(format!("{d}-sup{s}")),
                );
            }
        }
    }
    assert!(ids.len() > 60);
    let (_out, html) = build(p, &[]);
    let doc = Html::parse_document(&html);
    let figures: Vec<ElementRef> = doc.select(&sel("#chart figure")).collect();
    let captions: Vec<String> = figures
        .iter()
        .map(|f| text(f.select(&sel("figcaption")).next().unwrap()))
        .collect();
    assert_eq!(captions, ["甲部", "乙部"]);
    // Every position is drawn once, in its department's chart.
    let mut drawn = 0;
    for f in &figures {
        drawn += f.select(&sel("g.node:not(.external)")).count();
    }
    assert_eq!(drawn, ids.len());
    // 乙部 reports to 甲部's manager: drawn dashed above it, linked to that form.
    let outside: Vec<(String, Option<&str>)> = figures[1]
        .select(&sel("g.external"))
        .map(|g| {
            let a = g.parent().and_then(ElementRef::wrap);
            (
                text(g.select(&sel("title")).next().unwrap()),
                a.and_then(|a| a.attr("href")),
            )
        })
        .collect();
    assert_eq!(outside, [("甲部经理".to_string(), Some("#p-a-mgr"))]);
    // A department's chart fits the page without shrinking: 4 teams side by side.
    let width: f64 = figures[0]
        .select(&sel("svg"))
        .next()
        .unwrap()
        .attr("width")
        .unwrap()
        .parse()
        .unwrap();
    assert!(width < 700.0, "{width}");
}

#[test]
fn the_contents_group_by_department_and_order_by_level() {
    let (_out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    let groups: Vec<(String, Vec<String>)> = doc
        .select(&sel(".toc-department"))
        .map(|d| {
            (
                text(d.select(&sel("h3")).next().unwrap()),
                d.select(&sel(".toc-title")).map(text).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            (
                "客服部".to_string(),
                vec![
                    "客服部经理".to_string(),
                    "客服部主管".to_string(),
                    "客服专员".to_string()
                ]
            ),
            ("销售部".to_string(), vec!["销售专员".to_string()]),
        ]
    );
    // Forms follow the same order.
    let forms: Vec<&str> = doc
        .select(&sel("article.position"))
        .map(|a| a.attr("data-id").unwrap())
        .collect();
    assert_eq!(
        forms,
        [
            "cs-manager",
            "cs-supervisor",
            "cs_specialist-2",
            "sales-rep"
        ]
    );
    // The index is by 岗位编号, naturally ordered; positions without a code come last.
    let index: Vec<String> = doc
        .select(&sel("#code-index tbody tr td:first-child"))
        .map(text)
        .collect();
    assert_eq!(index, ["KF-01", "KF-02", "KF-10", "（无编号）"]);
    // The cover date is the newest analysis date.
    let cover = text(doc.select(&sel(".cover-meta")).next().unwrap());
    assert!(cover.contains("2024年1月22日"), "{cover}");
}

#[test]
fn the_handbook_is_one_self_contained_file() {
    let (out, html) = build(&fixture("zh"), &[]);
    let doc = Html::parse_document(&html);
    for bad in [
        "script", "link", "img", "iframe", "object", "embed", "[src]", "[srcset]",
    ] {
        assert_eq!(doc.select(&sel(bad)).count(), 0, "found {bad}");
    }
    let csp = doc
        .select(&sel("meta[http-equiv=\"Content-Security-Policy\"]"))
        .next()
        .expect("a content security policy");
    assert!(csp.attr("content").unwrap().contains("default-src 'none'"));
    assert!(doc.select(&sel("head style")).next().is_some());
    // Links inside the handbook point inside it; only user-written links go out.
    for a in doc.select(&sel("a[href]")) {
        let href = a.attr("href").unwrap();
        assert!(
            href.starts_with('#') || href.starts_with("https://example.com/"),
            "{href}"
        );
        if let Some(id) = href.strip_prefix('#') {
            assert!(
                doc.select(&sel(&format!("[id=\"{id}\"]"))).next().is_some(),
                "dangling {href}"
            );
        }
    }
    // Print: A4 and one position per page.
    let css = text(doc.select(&sel("head style")).next().unwrap());
    assert!(css.contains("size: A4"));
    assert!(css.contains("break-before: page"));
    // Written atomically: nothing but the handbook is left behind.
    let names: Vec<String> = fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["handbook.html"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(out.path().join("handbook.html"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o644,
            "the handbook must be readable by others"
        );
    }
}

#[test]
fn split_writes_one_page_per_position_and_an_index() {
    let (out, _) = build(&fixture("zh"), &["--split"]);
    let dir = out.path().join("handbook");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "cs-manager.html",
            "cs-supervisor.html",
            "cs_specialist-2.html",
            "index.html",
            "sales-rep.html"
        ]
    );
    let index = Html::parse_document(&fs::read_to_string(dir.join("index.html")).unwrap());
    let toc: Vec<&str> = index
        .select(&sel(".toc-positions a"))
        .map(|a| a.attr("href").unwrap())
        .collect();
    assert_eq!(
        toc,
        [
            "cs-manager.html",
            "cs-supervisor.html",
            "cs_specialist-2.html",
            "sales-rep.html"
        ]
    );
    assert!(
        index
            .select(&sel("svg.org-chart a[href=\"cs-manager.html\"]"))
            .next()
            .is_some()
    );
    let page = Html::parse_document(&fs::read_to_string(dir.join("cs-manager.html")).unwrap());
    assert_eq!(page.select(&sel("article.position")).count(), 1);
    let manager = form(&page, "cs-manager");
    let reports = cell(manager, "直接下级").unwrap();
    let href = reports
        .select(&sel("a"))
        .next()
        .unwrap()
        .attr("href")
        .unwrap();
    assert_eq!(href, "cs-supervisor.html");
    assert!(dir.join(href).is_file());
    assert!(
        page.select(&sel(".pager a[href=\"index.html\"]"))
            .next()
            .is_some()
    );

    // A position that disappears takes its page with it on the next build.
    let positions = copy_fixture("zh");
    fs::remove_file(positions.path().join("sales-rep.toml")).unwrap();
    rolebook()
        .args(["build", "--to", "html"])
        .arg(positions.path())
        .arg("--out")
        .arg(out.path())
        .arg("--split")
        .assert()
        .success();
    assert!(!dir.join("sales-rep.html").exists());
    assert!(dir.join("cs-manager.html").exists());
}

#[test]
fn ids_with_odd_characters_never_leave_the_output_folder() {
    let root = tempfile::tempdir().unwrap();
    let positions = root.path().join("positions");
    fs::create_dir(&positions).unwrap();
    fs::write(
        positions.join("_org.toml"),
        "name = \"x\"\nlevels = [\"专员\", \"经理\"]\n",
    )
    .unwrap();
    // The loader refuses ids outside letters, digits, `-` and `_` (those files are skipped
    // with --allow-errors); the others may still be special names or differ only in case.
    let refused = ["a..b", "a b#c?d", "x%2F..%2Fy"];
    let ids = ["index", "con", "Mgr", "mgr", "客服部经理"];
    for id in ids.iter().chain(&refused) {
        fs::write(
            positions.join(format!("{id}.toml")),
            format!(
                "title = \"岗位 {id}\"\ndepartment = \"部\"\nlevel = \"专员\"\nsummary = \"s\"\n"
            ),
        )
        .unwrap();
    }
    let out = root.path().join("out");
    rolebook()
        .current_dir(root.path())
        .args([
            "build",
            "positions",
            "--out",
            "out",
            "--split",
            "--allow-errors",
        ])
        .assert()
        .success();
    // Only `positions` and `out` at the top; every page is a plain file directly in out/handbook.
    let mut top: Vec<String> = fs::read_dir(root.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, ["out", "positions"]);
    let pages: Vec<PathBuf> = fs::read_dir(out.join("handbook"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(pages.len(), ids.len() + 1, "{pages:?}");
    for p in &pages {
        assert!(p.is_file());
        let name = p.file_name().unwrap().to_string_lossy();
        assert!(
            name.ends_with(".html") && name.matches('.').count() == 1,
            "{name}"
        );
    }
    let mut names: Vec<String> = pages
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.contains(&"客服部经理.html".to_string()), "{names:?}");
    let lower: std::collections::HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(
        lower.len(),
        names.len(),
        "names clash on a case-insensitive disk"
    );
    // `index` did not overwrite the index page.
    let index = fs::read_to_string(out.join("handbook/index.html")).unwrap();
    assert!(index.contains("class=\"sheet toc\""));
}

#[test]
fn an_organization_with_errors_is_refused_unless_allowed() {
    let dir = copy_fixture("zh");
    fs::write(
        dir.path().join("broken.toml"),
        "title = \"坏岗位\"\ndepartment = \"客服部\"\nsummary = \"s\"\nsalary = 1\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    rolebook()
        .args(["build", "--to", "html"])
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(1)
        .stderr(predicates::str::contains("broken.toml"))
        .stderr(predicates::str::contains("salary"))
        .stderr(predicates::str::contains("--allow-errors"));
    assert!(!out.path().join("handbook.html").exists());

    rolebook()
        .args(["build", "--to", "html"])
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .arg("--allow-errors")
        .assert()
        .success()
        .stderr(predicates::str::contains("building despite"));
    assert!(out.path().join("handbook.html").exists());
}

#[test]
fn a_broken_user_template_names_its_file_line_and_tera_message() {
    let templates = tempfile::tempdir().unwrap();
    fs::write(
        templates.path().join("position.html"),
        "<article>\n{{ p.title }}\n{{ p.title | no_such_filter }}\n</article>\n",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let assert = rolebook()
        .args(["build", "--to", "html"])
        .arg(fixture("zh"))
        .arg("--out")
        .arg(out.path())
        .arg("--templates")
        .arg(templates.path())
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("position.html:3:"), "{stderr}");
    assert!(
        stderr.contains("Unknown filter `no_such_filter`"),
        "{stderr}"
    );
    assert!(!out.path().join("handbook.html").exists());

    // A misspelt file name is not silently ignored.
    fs::remove_file(templates.path().join("position.html")).unwrap();
    fs::write(templates.path().join("positon.html"), "x").unwrap();
    rolebook()
        .args(["build", "--to", "html"])
        .arg(fixture("zh"))
        .arg("--out")
        .arg(out.path())
        .arg("--templates")
        .arg(templates.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `position.html`?"));
}

#[test]
fn user_templates_replace_the_built_in_ones_by_name() {
    let templates = tempfile::tempdir().unwrap();
    fs::write(
        templates.path().join("style.css"),
        "body { color: rebeccapurple; }\n",
    )
    .unwrap();
    let (_out, html) = build(
        &fixture("zh"),
        &["--templates", templates.path().to_str().unwrap()],
    );
    let doc = Html::parse_document(&html);
    let css = text(doc.select(&sel("head style")).next().unwrap());
    assert_eq!(css, "body { color: rebeccapurple; }");
    assert_eq!(doc.select(&sel("article.position")).count(), 4);
}

#[test]
fn an_unwritable_output_folder_is_a_clear_error() {
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("not-a-folder");
    fs::write(&file, "x").unwrap();
    rolebook()
        .args(["build", "--to", "html"])
        .arg(fixture("zh"))
        .arg("--out")
        .arg(&file)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("failed to create output folder"));
    rolebook()
        .args(["build", "--to", "html"])
        .arg(fixture("zh"))
        .arg("--out")
        .arg(file.join("sub"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("failed to create output folder"));
}

#[test]
fn output_is_deterministic_and_dated_only_as_asked() {
    let (_a, one) = build(&fixture("zh"), &["--split"]);
    let (_b, two) = build(&fixture("zh"), &["--split"]);
    assert_eq!(one, two);

    let (_c, dated) = build(&fixture("zh"), &["--date", "2030-05-06"]);
    let doc = Html::parse_document(&dated);
    let cover = text(doc.select(&sel(".cover-meta")).next().unwrap());
    assert!(cover.contains("2030年5月6日"), "{cover}");

    // Without analysis dates or --date, SOURCE_DATE_EPOCH dates the cover; without it, nothing.
    let dir = copy_fixture("zh");
    for entry in fs::read_dir(dir.path()).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("analysis_date = 2024-01-22\n", "")).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    rolebook()
        .env("SOURCE_DATE_EPOCH", "1705881600")
        .args(["build", "--to", "html"])
        .arg(dir.path())
        .arg("--out")
        .arg(out.path())
        .assert()
        .success();
    let html = fs::read_to_string(out.path().join("handbook.html")).unwrap();
    assert!(html.contains("2024年1月22日"));
    let (_d, undated) = build(dir.path(), &[]);
    let doc = Html::parse_document(&undated);
    assert!(
        !text(doc.select(&sel(".cover-meta")).next().unwrap()).contains("日期"),
        "a date appeared from nowhere"
    );
}

#[test]
fn by_default_build_writes_the_html_and_the_pdf_handbook() {
    let out = tempfile::tempdir().unwrap();
    rolebook()
        .arg("build")
        .arg(fixture("zh"))
        .arg("--out")
        .arg(out.path())
        .assert()
        .success()
        .stdout(predicates::str::contains("handbook.html"))
        .stdout(predicates::str::contains("handbook.pdf"));
    let pdf = fs::read(out.path().join("handbook.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(out.path().join("handbook.html").is_file());
}

#[test]
fn bad_dates_are_refused_with_the_expected_format() {
    rolebook()
        .args(["build", "--to", "html", "--date", "2024-02-30"])
        .arg(fixture("zh"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("YYYY-MM-DD"));
}

fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(fixture(name)).unwrap() {
        let path = entry.unwrap().path();
        fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}
