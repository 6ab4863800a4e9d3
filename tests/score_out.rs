//! What `rolebook score` writes for people to read: the 绩效考核表 a manager signs (PDF and
//! HTML), the 总览 with the grade distribution against the quota, and the calibration (校准)
//! by department and by rater in the HTML, PDF, JSON and `scores.xlsx`. Every figure is worked
//! out by hand below from kpi-scoring.md's formula, not recomputed with rolebook's code.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, open_workbook_auto};
use common::poppler;
use scraper::{Html, Selector};
use serde_json::{Value, json};

/// The fixture organization, copied, with 客服部主管 moved to a department of its own (质检部)
/// and a quota of half the people in 优秀.
fn org(dir: &Path) -> PathBuf {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/org");
    let dst = dir.join("positions");
    std::fs::create_dir_all(&dst).unwrap();
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        let mut text = std::fs::read_to_string(&p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if name == "cs-supervisor.toml" {
            text = text.replace("department = \"客服部\"", "department = \"质检部\"");
        }
        if name == "_org.toml" {
            text = text.replace("cap = 1.2", "cap = 1.2\nquota = { \"优秀\" = 0.5 }");
        }
        std::fs::write(dst.join(name), text).unwrap();
    }
    dst
}

/// Five people, worked by hand:
///
/// 客服专员 (客服部; rated by 客服部主管, cs-supervisor): 客户满意度 w 40, T 90 (higher);
/// 投诉处理时效 w 30, T 24 h (lower, Z 48); 沟通能力 w 30, rating of 5.
/// * 张三: 99, 30, 4 → 1.1 × 40 = 44; 0.75 × 30 = 22.5; 0.8 × 30 = 24 → 90.5 优秀
/// * 孙八: 90, 24, 5 → 40 + 30 + 30 = 100 优秀
/// * 周九: 108, 12, 5 → 1.2 × 40 = 48; (12 − 48) / (24 − 48) = 1.5, capped 1.2 × 30 = 36;
///   30 → 114 优秀
///
/// 客服部主管 (质检部; rated by 客服部经理, cs-manager): 客户回访率 w 30 (T 95, Z 60, cap 1),
/// 客户投诉次数 w 20 (T 0, Z 10), 平均响应时长 w 20 (band 25–35, 10 outside), 团队协作 w 30
/// (rating, T 8).
/// * 李四: 90, 2, 40, 8 → 30/35 × 30 = 25.714…; 16; 10; 30 → 81.714285… 良好
/// * 吴十: 60, 10, 50, 0 → 0 + 0 + 0 + 0 = 0 不合格
const RESULTS: &str = "岗位,姓名,工号,期间,指标,实际值
cs-specialist,张三,,2024Q1,客户满意度,99
cs-specialist,张三,1001,2024Q1,投诉处理时效,30
cs-specialist,张三,,2024Q1,沟通能力,4
cs-specialist,孙八,,2024Q1,客户满意度,90
cs-specialist,孙八,,2024Q1,投诉处理时效,24
cs-specialist,孙八,,2024Q1,沟通能力,5
cs-specialist,周九,,2024Q1,客户满意度,108
cs-specialist,周九,,2024Q1,投诉处理时效,12
cs-specialist,周九,,2024Q1,沟通能力,5
cs-supervisor,李四,A-07,2024Q1,客户回访率,90
cs-supervisor,李四,A-07,2024Q1,客户投诉次数,2
cs-supervisor,李四,A-07,2024Q1,平均响应时长,40
cs-supervisor,李四,A-07,2024Q1,团队协作,8
cs-supervisor,吴十,,2024Q1,客户回访率,60
cs-supervisor,吴十,,2024Q1,客户投诉次数,10
cs-supervisor,吴十,,2024Q1,平均响应时长,50
cs-supervisor,吴十,,2024Q1,团队协作,0
";

/// The 工号 column: 张三's on his second row only (a person takes the first one their rows
/// give), 李四's on every row, none for the others.
/// 李四's total, 30/35 × 30 + 16 + 10 + 30.
const LI_SI: f64 = 81.714_285_714_285_71;

/// Runs `score q1.csv --out cards` on [`RESULTS`] in a new folder.
fn scored() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let positions = org(dir.path());
    std::fs::write(dir.path().join("q1.csv"), RESULTS).unwrap();
    Command::cargo_bin("rolebook")
        .unwrap()
        .current_dir(dir.path())
        .args(["score", "q1.csv", "--out", "cards", "--positions"])
        .arg(&positions)
        .assert()
        .success();
    dir
}

fn close(a: &Value, b: f64) -> bool {
    a.as_f64().is_some_and(|a| (a - b).abs() < 1e-9)
}

/// By department: 客服部 = 张三, 孙八, 周九: mean (90.5 + 100 + 114) / 3 = 101.5; deviations
/// −11, −1.5, 12.5, squares 121 + 2.25 + 156.25 = 279.5, population stdev √(279.5 / 3) =
/// 9.652288…; all three 优秀. 质检部 = 李四, 吴十: mean 81.714… / 2 = 40.857142…, stdev half
/// the difference, 40.857142…; 良好 1, 不合格 1.
/// By rater: cs-manager (客服部经理) rates 李四 and 吴十 (the 质检部 figures); cs-supervisor
/// (客服部主管) rates the three 客服专员 (the 客服部 figures), all in the top grade: flagged.
/// The company: mean 386.214… / 5 = 77.242857…, stdev 40.08: neither rater's mean is 10 points
/// *and* more than a stdev away (101.5 − 77.24 = 24.26 < 40.08; 77.24 − 40.86 = 36.39 < 40.08).
#[test]
fn json_has_the_calibration_by_department_and_by_rater() {
    let dir = scored();
    let json: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("cards/scores.json")).unwrap(),
    )
    .unwrap();
    // The 工号 a person's rows give, on their scorecard; none where no row gives one.
    let cards = json["scorecards"].as_array().unwrap();
    let id_of = |who: &str| {
        let card = cards.iter().find(|c| c["employee"] == who).unwrap();
        card.get("employee_id").cloned()
    };
    assert_eq!(id_of("张三"), Some(Value::from("1001")));
    assert_eq!(id_of("李四"), Some(Value::from("A-07")));
    assert_eq!(id_of("孙八").filter(|v| !v.is_null()), None);
    let cal = &json["calibration"];
    let deps = cal["departments"].as_array().unwrap();
    assert_eq!(deps.len(), 2, "{cal:#}");
    let keys = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(
        keys(&deps[0]),
        ["count", "flags", "grades", "mean", "name", "stdev"]
    );
    assert_eq!(deps[0]["name"], "客服部");
    assert_eq!(deps[0]["count"], 3);
    assert!(close(&deps[0]["mean"], 101.5), "{}", deps[0]);
    assert!(
        close(&deps[0]["stdev"], 9.652_288_157_046_84),
        "{}",
        deps[0]
    );
    assert_eq!(
        deps[0]["grades"],
        json!({"优秀": 3, "良好": 0, "合格": 0, "不合格": 0})
    );
    assert_eq!(deps[0]["flags"], json!(["all-top-grade"]));
    assert_eq!(deps[1]["name"], "质检部");
    assert_eq!(deps[1]["count"], 2);
    assert!(close(&deps[1]["mean"], LI_SI / 2.0), "{}", deps[1]);
    assert!(close(&deps[1]["stdev"], LI_SI / 2.0), "{}", deps[1]);
    assert_eq!(
        deps[1]["grades"],
        json!({"优秀": 0, "良好": 1, "合格": 0, "不合格": 1})
    );

    let mgrs = cal["managers"].as_array().unwrap();
    assert_eq!(mgrs.len(), 2, "{cal:#}");
    assert_eq!(
        keys(&mgrs[0]),
        [
            "count", "flags", "grades", "mean", "position", "stdev", "title"
        ]
    );
    assert_eq!(mgrs[0]["position"], "cs-manager");
    assert_eq!(mgrs[0]["title"], "客服部经理");
    assert_eq!(mgrs[0]["count"], 2);
    assert!(close(&mgrs[0]["mean"], LI_SI / 2.0));
    assert_eq!(mgrs[0]["flags"], json!([]));
    assert_eq!(mgrs[1]["position"], "cs-supervisor");
    assert_eq!(mgrs[1]["title"], "客服部主管");
    assert_eq!(mgrs[1]["count"], 3);
    assert!(close(&mgrs[1]["mean"], 101.5));
    assert!(close(&mgrs[1]["stdev"], 9.652_288_157_046_84));
    assert_eq!(mgrs[1]["flags"], json!(["all-top-grade"]));

    // Each scorecard names its rater.
    let z = json["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["employee"] == "张三")
        .unwrap();
    assert_eq!(
        z["rater"],
        json!({"position": "cs-supervisor", "title": "客服部主管"})
    );
}

#[test]
fn scores_xlsx_has_a_calibration_sheet() {
    let dir = scored();
    let mut wb = open_workbook_auto(dir.path().join("cards/scores.xlsx")).unwrap();
    assert!(wb.sheet_names().contains(&"校准".to_string()));
    let sheet = wb.worksheet_range("校准").unwrap();
    let row = |r: usize| -> Vec<Data> {
        (0..12)
            .map(|c| sheet.get((r, c)).cloned().unwrap_or(Data::Empty))
            .collect()
    };
    let s = |t: &str| Data::String(t.into());
    let f = Data::Float;
    assert_eq!(
        row(0),
        [
            s("校准"),
            s("所在部门"),
            s("考核人"),
            s("岗位编号"),
            s("人数"),
            s("平均分"),
            s("标准差"),
            s("优秀"),
            s("良好"),
            s("合格"),
            s("不合格"),
            s("关注"),
        ]
    );
    // Company: mean 77.242857… → 77.24, stdev 40.0779 → 40.08; 3, 1, 0, 1.
    assert_eq!(
        row(1),
        [
            s("全公司"),
            Data::Empty,
            Data::Empty,
            Data::Empty,
            f(5.0),
            f(77.24),
            f(40.08),
            f(3.0),
            f(1.0),
            f(0.0),
            f(1.0),
            Data::Empty,
        ]
    );
    // 客服部: 101.5, 9.652… → 9.65.
    assert_eq!(row(2)[1], s("客服部"));
    assert_eq!(&row(2)[4..7], [f(3.0), f(101.5), f(9.65)]);
    // 质检部: 40.857… → 40.86, twice.
    assert_eq!(&row(3)[4..7], [f(2.0), f(40.86), f(40.86)]);
    // The raters, by id: cs-manager, then cs-supervisor (flagged).
    assert_eq!(
        &row(4)[2..7],
        [s("客服部经理"), s("cs-manager"), f(2.0), f(40.86), f(40.86)]
    );
    assert_eq!(&row(5)[2..4], [s("客服部主管"), s("cs-supervisor")]);
    assert_eq!(row(5)[11], s("全部为最高等级"));
}

/// The text of each page (pdftotext ends every page with a form feed), runs of spaces as one.
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-layout"], pdf);
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn scorecards_pdf_is_an_overview_then_a_form_to_sign_per_person() {
    let dir = scored();
    let pdf = dir.path().join("cards/scorecards.pdf");
    let pages = pdf_pages(&pdf);
    // The 总览 and the ranking fit a page each here, then five forms, by total: 周九 114,
    // 孙八 100, 张三 90.5, 李四 81.71, 吴十 0.
    assert_eq!(pages.len(), 7, "{pages:#?}");
    let o = &pages[0];
    for needle in [
        "总览",
        "等级分布",
        // 3 of 5 in 优秀 is 60 %, over the quota of 50 %.
        "优秀 ≥ 90 3 60% 50% 超出配额",
        "良好 ≥ 80 1 20% —",
        "不合格 ≥0 1 20% —",
        "全公司 5 77.24 40.08 3 1 0 1",
        "客服部 3 101.50 9.65 3 0 0 0 全部为最高等级",
        "质检部 2 40.86 40.86 0 1 0 1",
        "关注：客服部主管 (cs-supervisor)：全部为最高等级",
    ] {
        assert!(o.contains(needle), "{needle:?} in {o}");
    }
    assert!(!o.contains("关注：客服部经理"), "{o}");
    let r = &pages[1];
    for needle in [
        "1 周九 客服专员 客服部 2024Q1 114.00 优秀",
        "5 吴十 客服部主管 质检部 2024Q1 0.00 不合格",
    ] {
        assert!(r.contains(needle), "{needle:?} in {r}");
    }

    // 张三's form: who, each KPI with its figures, total, grade, the signature lines with the
    // superior's title.
    let z = &pages[4];
    for needle in [
        "绩效考核表",
        "姓名 张三",
        "工号 1001",
        "岗位名称 客服专员 (cs-specialist) 所在部门 客服部",
        "期间 2024Q1 考核人 客服部主管",
        "客户满意度 越高越好 90% 99% 110% 40 44.00",
        "投诉处理时效 越低越好 24 h 30 h 75% 30 22.50",
        "沟通能力 评分 5 4 80% 30 24.00",
        "总分 90.50",
        "等级 优秀",
        "评语",
        "被考核人签字",
        "考核人签字",
        "日期",
    ] {
        assert!(z.contains(needle), "{needle:?} in {z}");
    }
    // The superior's title printed under 考核人签字 (the lines of the signature row).
    let sig = &z[z.find("考核人签字").unwrap()..];
    assert!(sig.contains("客服部主管"), "{sig}");
    // 李四 is rated by 客服部经理.
    assert!(pages[5].contains("考核人 客服部经理"), "{}", pages[5]);

    // Fonts: a CJK face, embedded and subset.
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(cols[0].contains("NotoSansSC"), "{row}");
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 3],
            ["yes", "yes"],
            "{row}"
        );
    }
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: scraper::ElementRef<'_>) -> String {
    e.text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn scorecards_html_shows_the_same_overview_and_forms() {
    let dir = scored();
    let html = std::fs::read_to_string(dir.path().join("cards/scorecards.html")).unwrap();
    let doc = Html::parse_document(&html);

    let grades = doc
        .select(&sel("table.grades tr.over"))
        .map(text)
        .collect::<Vec<_>>();
    assert_eq!(grades, ["优秀 ≥ 90 3 60% 50% 超出配额"]);
    let deps: Vec<String> = doc
        .select(&sel("table.departments tbody tr"))
        .map(text)
        .collect();
    assert_eq!(
        deps,
        [
            "全公司 5 77.24 40.08 3 1 0 1",
            // A department's people all in the top grade is flagged as a rater's is.
            "客服部 3 101.50 9.65 3 0 0 0 全部为最高等级",
            "质检部 2 40.86 40.86 0 1 0 1",
        ]
    );
    let flagged: Vec<String> = doc
        .select(&sel("table.managers tr.flagged"))
        .map(text)
        .collect();
    assert_eq!(
        flagged,
        ["客服部主管 (cs-supervisor) 3 101.50 9.65 3 0 0 0 全部为最高等级"]
    );

    let cards: Vec<_> = doc.select(&sel("section.card")).collect();
    assert_eq!(cards.len(), 5);
    let z = cards
        .iter()
        .find(|c| c.select(&sel("td.employee")).next().map(text).as_deref() == Some("张三"))
        .expect("张三's form");
    let t = text(*z);
    for needle in [
        "绩效考核表",
        "姓名 张三 工号 1001",
        "客服专员 (cs-specialist)",
        "考核人 客服部主管",
        // Each KPI with the cell its result came from.
        "客户满意度 q1!F2 越高越好 90% 99% 110% 40 44.00",
        "投诉处理时效 q1!F3 越低越好 24 h 30 h 75% 30 22.50",
        "沟通能力 q1!F4 评分 5 4 80% 30 24.00",
        "总分 90.50",
        "等级 优秀",
        "评语",
        "被考核人签字",
        "日期",
    ] {
        assert!(t.contains(needle), "{needle:?} in {t}");
    }
    let rater: Vec<String> = z.select(&sel("table.sign .rater")).map(text).collect();
    assert_eq!(rater, ["客服部主管"]);
    let sign = z.select(&sel("table.sign")).next().map(text).unwrap();
    assert!(sign.contains("考核人签字"), "{sign}");
}
