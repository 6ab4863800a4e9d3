//! `score` on inputs as HR writes them: a wide summary sheet holding every position's KPIs
//! side by side, a template written from a roster and filled in, results a careful analyst
//! would question, and rows without a period. Workbooks are real `.xlsx` files written here by
//! rust_xlsxwriter; totals are worked out by hand from docs/kpi-scoring.md's formula.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::{DocProperties, Format, Workbook};
use serde_json::Value;

fn org_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/org")
}

fn rolebook(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("rolebook").unwrap();
    c.current_dir(dir);
    c
}

/// `score FILE --format json` (plus `extra`) in `dir`: exit code and the JSON.
fn score_json(dir: &Path, file: &str, extra: &[&str]) -> (i32, Value) {
    let out = rolebook(dir)
        .args(["score", file, "--format", "json", "--positions"])
        .arg(org_dir())
        .args(extra)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap(), v)
}

/// (employee, period, total to 2 decimals, grade) of each scorecard, in rank order.
fn totals(v: &Value) -> Vec<(String, String, String, String)> {
    v["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["employee"].as_str().unwrap_or_default().to_string(),
                c["period"].as_str().unwrap().to_string(),
                format!("{:.2}", c["total"].as_f64().unwrap()),
                c["grade"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn t(e: &str, p: &str, total: &str, g: &str) -> (String, String, String, String) {
    (e.into(), p.into(), total.into(), g.into())
}

/// (code, severity, cell) of each problem.
fn problems(v: &Value) -> Vec<(String, String, String)> {
    v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["code"].as_str().unwrap().to_string(),
                p["severity"].as_str().unwrap().to_string(),
                p["cell"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn p(code: &str, severity: &str, cell: &str) -> (String, String, String) {
    (code.into(), severity.into(), cell.into())
}

// ---------------------------------------------------------------------------------------------
// The wide layout

/// The summary sheet's columns: who, then every KPI of the three positions of the fixture
/// organization, then HR's own total and a note (both ignored).
const WIDE_HEADER: [&str; 16] = [
    "序号",
    "部门",
    "岗位名称",
    "姓名",
    "期间",
    "客户满意度",   // F  客服专员
    "投诉处理时效", // G  客服专员
    "沟通能力",     // H  客服专员
    "客户回访率",   // I  客服部主管
    "客户投诉次数", // J  客服部主管
    "平均响应时长", // K  客服部主管
    "团队协作",     // L  客服部主管
    "客户保有率",   // M  客服部经理
    "部门费用控制", // N  客服部经理
    "总分",
    "备注",
];

/// One row per person: (title, name, results by column index from F), the rest blank.
type WideRow<'a> = (&'a str, &'a str, &'a [(u16, f64)]);

fn write_wide(path: &Path, rows: &[WideRow<'_>]) {
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0%");
    let ws = wb.add_worksheet();
    for (c, h) in WIDE_HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (title, name, results)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        ws.write_string(r, 1, "客服部").unwrap();
        ws.write_string(r, 2, *title).unwrap();
        ws.write_string(r, 3, *name).unwrap();
        ws.write_string(r, 4, "2024Q3").unwrap();
        for &(col, value) in *results {
            // Percent KPIs as Excel holds a cell formatted 0%: the fraction.
            if ["客户满意度", "客户回访率", "客户保有率"].contains(&WIDE_HEADER[col as usize])
            {
                ws.write_number_with_format(r, col, value / 100.0, &pct)
                    .unwrap();
            } else {
                ws.write_number(r, col, value).unwrap();
            }
        }
        // HR's own total, which score works out itself.
        ws.write_number(r, 14, 100.0).unwrap();
    }
    wb.save(path).unwrap();
}

/// Worked by hand (a = (A − Z) / (T − Z), score = w × clamp(a, 0, cap), cap 1.2 unless the
/// KPI has its own):
/// * 张三, 客服专员: 99 % of 90 → 1.1 × 40 = 44; 30 h against 24 h (lower, Z = 48) → 0.75 ×
///   30 = 22.5; rating 4 of 5 → 0.8 × 30 = 24; total 90.5 → 优秀.
/// * 赵六, 客服专员: 85 % of 90 → 0.9444… × 40 = 37.777…; 24 h → 1 × 30 = 30; 5 of 5 → 30;
///   total 97.777… → 97.78 优秀.
/// * 李四, 客服部主管: 回访率 90 % (T 95, Z 60, cap 1) → 30/35 × 30 = 25.714…; 投诉 2 次 (T 0,
///   Z 10) → 0.8 × 20 = 16; 响应 40 s (band 25–35, 10 outside) → 0.5 × 20 = 10; 协作 8 (T 8)
///   → 30; total 81.714… → 81.71 良好.
/// * 孙七, 客服部主管: 回访率 100 % → 40/35 capped at 1 → 30; 投诉 0 次 → 1 × 20 = 20; 响应
///   30 s (inside the band) → 20; 协作 9 of T 8 → 1.125 × 30 = 33.75; total 103.75 → 优秀.
/// * 王五, 客服部经理 (no weights: 50 each): 92 % of 90 → 1.0222… × 50 = 51.111…; 费用 95
///   against 100 (lower, Z 200) → 1.05 × 50 = 52.5; total 103.611… → 103.61 优秀.
const WIDE_ROWS: [WideRow<'static>; 5] = [
    ("客服专员", "张三", &[(5, 99.0), (6, 30.0), (7, 4.0)]),
    (
        "客服部主管",
        "李四",
        &[(8, 90.0), (9, 2.0), (10, 40.0), (11, 8.0)],
    ),
    ("客服部经理", "王五", &[(12, 92.0), (13, 95.0)]),
    ("客服专员", "赵六", &[(5, 85.0), (6, 24.0), (7, 5.0)]),
    (
        "客服部主管",
        "孙七",
        &[(8, 100.0), (9, 0.0), (10, 30.0), (11, 9.0)],
    ),
];

#[test]
fn a_wide_summary_sheet_of_several_positions_scores_with_blanks_not_applicable() {
    let dir = tempfile::tempdir().unwrap();
    write_wide(&dir.path().join("summary.xlsx"), &WIDE_ROWS);
    let (code, v) = score_json(dir.path(), "summary.xlsx", &[]);
    assert_eq!(problems(&v), vec![], "{:#}", v["problems"]);
    assert_eq!(code, 0);
    assert_eq!(
        totals(&v),
        vec![
            t("孙七", "2024Q3", "103.75", "优秀"),
            t("王五", "2024Q3", "103.61", "优秀"),
            t("赵六", "2024Q3", "97.78", "优秀"),
            t("张三", "2024Q3", "90.50", "优秀"),
            t("李四", "2024Q3", "81.71", "良好"),
        ]
    );
    // Each KPI's actual came from its own cell of the person's row.
    let zhang = &v["scorecards"][3];
    assert_eq!(zhang["kpis"][0]["actual"], 99.0);
    assert_eq!(zhang["kpis"][0]["cell"], "Sheet1!F2");
}

#[test]
fn a_value_under_another_positions_kpi_is_an_error_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let mut rows = WIDE_ROWS;
    // 张三 (客服专员, row 2) given a 团队协作 (L, 客服部主管's KPI); 王五's own 费用 left blank.
    rows[0].2 = &[(5, 99.0), (6, 30.0), (7, 4.0), (11, 5.0)];
    rows[2].2 = &[(12, 92.0)];
    write_wide(&dir.path().join("summary.xlsx"), &rows);
    let out = rolebook(dir.path())
        .args(["score", "summary.xlsx", "--out", "cards", "--positions"])
        .arg(org_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "error[kpi-unknown]: 客服专员 (cs-specialist) has no KPI \"团队协作\" (this column's \
             header), but the cell holds 5\n  --> summary.xlsx › Sheet1!L2\n  --> summary.xlsx \
             › Sheet1!L1: the column's header\n  = help: leave the cell blank: this KPI does \
             not apply to 客服专员\n"
        ),
        "{stderr}"
    );
    // A blank under one of the position's own KPIs is still a missing result, at its cell.
    assert!(
        stderr.contains("warning[kpi-missing]: no result for \"部门费用控制\" of 王五"),
        "{stderr}"
    );
    assert!(stderr.contains("--> summary.xlsx › Sheet1!N4"), "{stderr}");
    // Only those two: no blank of another position's KPI is reported.
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");
    assert_eq!(stderr.matches("warning[").count(), 1, "{stderr}");
    assert!(!dir.path().join("cards").exists());
}

#[test]
fn a_wide_header_close_to_a_kpi_of_the_position_suggests_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(
        0,
        0,
        [
            "岗位",
            "姓名",
            "期间",
            "客户满意",
            "投诉处理时效",
            "沟通能力",
        ],
    )
    .unwrap();
    ws.write_row(1, 0, ["cs-specialist", "张三", "2024Q3"])
        .unwrap();
    ws.write_row(1, 3, [99.0, 30.0, 4.0]).unwrap();
    wb.save(&path).unwrap();
    let (code, v) = score_json(dir.path(), "summary.xlsx", &[]);
    assert_eq!(code, 1);
    let first = &v["problems"][0];
    assert_eq!(first["code"], "kpi-unknown");
    assert_eq!(first["cell"], "D2");
    assert!(
        first["help"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h.as_str().unwrap().contains("did you mean \"客户满意度\"")),
        "{first:#}"
    );
}

// ---------------------------------------------------------------------------------------------
// The roster

/// The template written for `roster` (in `dir`), its rows read back as text by header.
fn template_rows(dir: &Path, roster: &str, period: &str) -> Vec<Vec<(String, String)>> {
    rolebook(dir)
        .args(["kpi-template", "--period", period, "--roster", roster])
        .args(["--out", "tpl.xlsx", "--positions"])
        .arg(org_dir())
        .assert()
        .success();
    let mut wb = open_workbook_auto(dir.join("tpl.xlsx")).unwrap();
    let range = wb.worksheet_range("考核结果").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|d| d.to_string()).collect();
    rows.map(|r| {
        header
            .iter()
            .cloned()
            .zip(r.iter().map(|d| match d {
                Data::Empty => String::new(),
                d => d.to_string(),
            }))
            .collect()
    })
    .collect()
}

fn get<'a>(row: &'a [(String, String)], col: &str) -> &'a str {
    &row.iter().find(|(h, _)| h == col).unwrap().1
}

#[test]
fn a_template_from_a_roster_has_a_row_per_person_and_kpi_and_scores_back() {
    let dir = tempfile::tempdir().unwrap();
    // Positions by id, by title and by code; 工号 given for some.
    std::fs::write(
        dir.path().join("people.csv"),
        "工号,姓名,岗位编号\n1001,张三,cs-specialist\n,赵六,客服专员\n1003,李四,KF-02\n\
         1004,王五,cs-manager\n",
    )
    .unwrap();
    let rows = template_rows(dir.path(), "people.csv", "2024Q3");
    // 3 + 3 KPIs of 客服专员, 4 of 客服部主管, 2 of 客服部经理, in the roster's order.
    let who: Vec<(&str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                get(r, "姓名"),
                get(r, "工号"),
                get(r, "岗位编号"),
                get(r, "期间"),
            )
        })
        .collect();
    let mut expected = Vec::new();
    for (name, id, pos, n) in [
        ("张三", "1001", "cs-specialist", 3),
        ("赵六", "", "cs-specialist", 3),
        ("李四", "1003", "cs-supervisor", 4),
        ("王五", "1004", "cs-manager", 2),
    ] {
        expected.extend(std::iter::repeat_n((name, id, pos, "2024Q3"), n));
    }
    assert_eq!(who, expected);
    assert!(rows.iter().all(|r| get(r, "实际值").is_empty()));

    // Written from a roster, the names are rolebook's: an unfilled one is replaced freely.
    template_rows(dir.path(), "people.csv", "2024Q3");

    // Filled in as the people would: only 实际值, in the cells the template left for it.
    let actual = |name: &str, kpi: &str| -> f64 {
        match (name, kpi) {
            ("张三", "客户满意度") => 99.0,
            ("张三", "投诉处理时效") => 30.0,
            ("张三", "沟通能力") => 4.0,
            ("赵六", "客户满意度") => 85.0,
            ("赵六", "投诉处理时效") => 24.0,
            ("赵六", "沟通能力") => 5.0,
            ("李四", "客户回访率") => 90.0,
            ("李四", "客户投诉次数") => 2.0,
            ("李四", "平均响应时长") => 40.0,
            ("李四", "团队协作") => 8.0,
            ("王五", "客户保有率") => 92.0,
            ("王五", "部门费用控制") => 95.0,
            other => panic!("unexpected row {other:?}"),
        }
    };
    let mut wb = Workbook::new();
    // Spreadsheet programs keep the template's custom properties when they save.
    wb.set_properties(
        &DocProperties::new()
            .set_custom_property("rolebook", "kpi-template")
            .set_custom_property("rolebook-names", "roster"),
    );
    let ws = wb.add_worksheet();
    for (c, (h, _)) in rows[0].iter().enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, (h, v)) in row.iter().enumerate() {
            if h == "实际值" {
                ws.write_number(r, c as u16, actual(get(row, "姓名"), get(row, "指标名称")))
                    .unwrap();
            } else if !v.is_empty() {
                ws.write_string(r, c as u16, v).unwrap();
            }
        }
    }
    wb.save(dir.path().join("filled.xlsx")).unwrap();
    let (code, v) = score_json(dir.path(), "filled.xlsx", &[]);
    assert_eq!(problems(&v), vec![], "{:#}", v["problems"]);
    assert_eq!(code, 0);
    // By hand: see a_wide_summary_sheet_of_several_positions_scores_with_blanks_not_applicable.
    assert_eq!(
        totals(&v),
        vec![
            t("王五", "2024Q3", "103.61", "优秀"),
            t("赵六", "2024Q3", "97.78", "优秀"),
            t("张三", "2024Q3", "90.50", "优秀"),
            t("李四", "2024Q3", "81.71", "良好"),
        ]
    );

    // A template someone entered results in is not replaced without --force.
    std::fs::copy(dir.path().join("filled.xlsx"), dir.path().join("tpl.xlsx")).unwrap();
    let out = rolebook(dir.path())
        .args([
            "kpi-template",
            "--period",
            "2024Q3",
            "--roster",
            "people.csv",
        ])
        .args(["--out", "tpl.xlsx", "--positions"])
        .arg(org_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("12 rows of it are filled in"), "{stderr}");
}

#[test]
fn roster_rows_that_name_no_position_are_errors_at_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    // The fixture organization plus a second 客服专员 title, to make that title ambiguous.
    let org = dir.path().join("org");
    std::fs::create_dir(&org).unwrap();
    for e in std::fs::read_dir(org_dir()).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), org.join(e.file_name())).unwrap();
    }
    let spec = std::fs::read_to_string(org.join("cs-specialist.toml")).unwrap();
    std::fs::write(
        org.join("cs-specialist-night.toml"),
        spec.replace("KF-03", "KF-04"),
    )
    .unwrap();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(0, 0, ["Employee id", "Name", "Position"])
        .unwrap();
    ws.write_row(1, 0, ["1001", "张三", "cs-specialist"])
        .unwrap();
    ws.write_row(2, 0, ["1002", "李四", "cs-supervisr"])
        .unwrap();
    ws.write_row(3, 0, ["1003", "赵六", "客服专员"]).unwrap();
    ws.write_row(4, 0, ["1004", "", "cs-manager"]).unwrap();
    ws.write_row(5, 0, ["1005", "张三", "cs-specialist"])
        .unwrap();
    wb.save(dir.path().join("people.xlsx")).unwrap();
    let out = rolebook(dir.path())
        .args([
            "kpi-template",
            "--period",
            "2024Q3",
            "--roster",
            "people.xlsx",
        ])
        .args(["--out", "tpl.xlsx", "--positions"])
        .arg(&org)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    for needle in [
        "error[position-unknown]: no position has the id, code or title \"cs-supervisr\"\n  \
         --> people.xlsx › Sheet1!C3\n  = help: did you mean \"cs-supervisor\"?",
        "error[position-ambiguous]: \"客服专员\" is the title of 2 positions\n  --> people.xlsx › \
         Sheet1!C4",
        "error[roster]: this row of the roster has no name\n  --> people.xlsx › Sheet1!B5",
        "error[roster]: 张三 is listed twice for 客服专员 (cs-specialist)\n  --> people.xlsx › \
         Sheet1!B6\n  --> people.xlsx › Sheet1!B2: first listed here",
        "error: no template written: 4 problems in the roster `people.xlsx`",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in\n{stderr}");
    }
    assert!(!dir.path().join("tpl.xlsx").exists());
}

// ---------------------------------------------------------------------------------------------
// Results a careful analyst would question

#[test]
fn impossible_results_are_errors_and_implausible_ones_warnings_at_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q3.csv"),
        "岗位,姓名,期间,指标,实际值\n\
         cs-specialist,张三,2024Q3,客户满意度,-50%\n\
         cs-specialist,张三,2024Q3,投诉处理时效,30\n\
         cs-specialist,张三,2024Q3,沟通能力,7\n\
         cs-specialist,赵六,2024Q3,客户满意度,9500%\n\
         cs-specialist,赵六,2024Q3,投诉处理时效,24\n\
         cs-specialist,赵六,2024Q3,沟通能力,4\n\
         cs-manager,赵六,2024Q3,客户保有率,90\n\
         cs-manager,赵六,2024Q3,部门费用控制,-5\n\
         cs-supervisor,李四,2024Q3,客户回访率,90\n\
         cs-supervisor,李四,2024Q3,客户投诉次数,2\n\
         cs-supervisor,李四,2024Q3,平均响应时长,-3\n\
         cs-supervisor,李四,2024Q3,团队协作,8\n\
         cs-supervisor,孙七,2024Q3,客户回访率,90\n\
         cs-supervisor,孙七,2024Q3,客户投诉次数,500\n\
         cs-supervisor,孙七,2024Q3,平均响应时长,30\n\
         cs-supervisor,孙七,2024Q3,团队协作,8\n",
    )
    .unwrap();
    let (code, v) = score_json(dir.path(), "q3.csv", &[]);
    assert_eq!(code, 1);
    assert_eq!(
        problems(&v),
        vec![
            // A percentage of satisfaction, a `lower` cost, seconds: never negative.
            p("value", "error", "E2"),
            // A rating of 7 on a scale of 5.
            p("value", "error", "E4"),
            p("value", "error", "E9"),
            p("value", "error", "E12"),
            // 9500 % against a target of 90 %; 500 complaints where 10 earn zero.
            p("implausible-value", "warning", "E5"),
            // 赵六 under 客服专员 and 客服部经理 in one period.
            p("two-positions", "warning", "A8"),
            p("implausible-value", "warning", "E15"),
        ]
    );
    let msg = |i: usize| v["problems"][i]["message"].as_str().unwrap().to_string();
    assert_eq!(
        msg(0),
        "\"客户满意度\" cannot be negative (-50%): a percentage (a satisfaction, a rate, a \
         share) is never below 0"
    );
    assert_eq!(
        msg(4),
        "9500% for \"客户满意度\" is far outside any plausible percentage (over 1000%)"
    );
    assert_eq!(
        msg(5),
        "赵六 is scored under two positions in 2024Q3: 客服专员 (cs-specialist) and 客服部经理 \
         (cs-manager)"
    );
    assert_eq!(
        msg(6),
        "500次 for \"客户投诉次数\" is more than 10 times the larger of its target (0次) and the \
         value that earns zero (10次)"
    );

    // Warnings alone do not stop scoring: 孙七 scores 500 complaints as 0 of 20 (a < 0).
    std::fs::write(
        dir.path().join("q3b.csv"),
        "岗位,姓名,期间,指标,实际值\n\
         cs-supervisor,孙七,2024Q3,客户回访率,90\n\
         cs-supervisor,孙七,2024Q3,客户投诉次数,500\n\
         cs-supervisor,孙七,2024Q3,平均响应时长,30\n\
         cs-supervisor,孙七,2024Q3,团队协作,8\n",
    )
    .unwrap();
    let (code, v) = score_json(dir.path(), "q3b.csv", &[]);
    assert_eq!(code, 0);
    // 25.714… + 0 + 20 + 30 = 75.71 合格.
    assert_eq!(totals(&v), vec![t("孙七", "2024Q3", "75.71", "合格")]);
    assert_eq!(problems(&v), vec![p("implausible-value", "warning", "E3")]);
}

// ---------------------------------------------------------------------------------------------
// The period

#[test]
fn rows_without_a_period_are_one_error_per_sheet_saying_how_to_give_one() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("q.csv"),
        "岗位,姓名,指标,实际值\ncs-specialist,张三,客户满意度,99\n\
         cs-specialist,张三,投诉处理时效,30\ncs-specialist,张三,沟通能力,4\n",
    )
    .unwrap();
    let out = rolebook(dir.path())
        .args(["score", "q.csv", "--out", "cards", "--positions"])
        .arg(org_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "error[period]: no period: sheet \"q\" has no 期间 (Period) column and --period is \
             not given, so its 3 rows cannot be scored\n  --> q.csv › q!A2"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--period 2024Q1"), "{stderr}");
    assert_eq!(stderr.matches("error[").count(), 1, "{stderr}");

    // With --period, the same file scores.
    let (code, v) = score_json(dir.path(), "q.csv", &["--period", "2024Q3"]);
    assert_eq!(code, 0);
    assert_eq!(totals(&v), vec![t("张三", "2024Q3", "90.50", "优秀")]);

    // A 期间 column with blank cells: one error at the first, counting them.
    std::fs::write(
        dir.path().join("q2.csv"),
        "岗位,姓名,期间,指标,实际值\ncs-specialist,张三,2024Q3,客户满意度,99\n\
         cs-specialist,张三,,投诉处理时效,30\ncs-specialist,张三,,沟通能力,4\n",
    )
    .unwrap();
    let (code, v) = score_json(dir.path(), "q2.csv", &[]);
    assert_eq!(code, 1);
    // The one row with a period is 张三's 2024Q3 on its own, missing the two others: said too.
    assert_eq!(
        problems(&v),
        vec![
            p("period", "error", "C3"),
            p("kpi-missing", "warning", "D2"),
            p("kpi-missing", "warning", "D2"),
        ]
    );
    assert!(
        v["problems"][0]["message"]
            .as_str()
            .unwrap()
            .contains("blank in 2 rows"),
        "{:#}",
        v["problems"]
    );
}

#[test]
fn kpi_template_without_a_period_asks_for_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = rolebook(dir.path())
        .args(["kpi-template", "--out", "tpl.xlsx", "--positions"])
        .arg(org_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no period given") && stderr.contains("--period 2024Q2"),
        "{stderr}"
    );
    assert!(!dir.path().join("tpl.xlsx").exists());
}

#[test]
fn a_wide_column_no_position_has_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("summary.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_row(
        0,
        0,
        [
            "岗位",
            "姓名",
            "期间",
            "客户满意度",
            "投诉处理时效",
            "沟通能力",
            "出勤天数",
        ],
    )
    .unwrap();
    ws.write_row(1, 0, ["cs-specialist", "张三", "2024Q3"])
        .unwrap();
    ws.write_row(1, 3, [99.0, 30.0, 4.0, 21.0]).unwrap();
    wb.save(&path).unwrap();
    let (code, v) = score_json(dir.path(), "summary.xlsx", &[]);
    assert_eq!(code, 1);
    assert_eq!(problems(&v), vec![p("kpi-unknown", "error", "G2")]);
    let help = v["problems"][0]["help"].to_string();
    assert!(
        help.contains("no position has a KPI \\\"出勤天数\\\""),
        "{help}"
    );
}
