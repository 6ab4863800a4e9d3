//! `rolebook score` and `kpi-template` end to end: real workbooks (written here by
//! rust_xlsxwriter, or made by LibreOffice and checked in), totals checked against values
//! worked out by hand from kpi-scoring.md's formula.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::{poppler, qpdf_check};
use rolebook::kpi::import::Import;
use rolebook::kpi::score::{Options, Scored, score};
use rolebook::load::load_dir;
use rolebook::util::number::round2;
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

fn org_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/org")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/score/workbooks")
        .join(name)
}

fn score_paths(paths: &[&Path], sheets: &[String]) -> Scored {
    let loaded = load_dir(&org_dir()).unwrap();
    let mut import = Import::default();
    for p in paths {
        import.read_path(p, &p.file_name().unwrap().to_string_lossy(), sheets);
    }
    score(&loaded.org, &import, &Options::default())
}

fn score_path(p: &Path) -> Scored {
    score_paths(&[p], &[])
}

/// (employee, period, total to 2 decimals, grade), in the scorecards' order.
fn totals(s: &Scored) -> Vec<(String, String, String, String)> {
    s.scorecards
        .iter()
        .map(|c| {
            (
                c.employee.clone().unwrap_or_default(),
                c.period.clone(),
                round2(c.total),
                c.grade.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn t(e: &str, p: &str, total: &str, g: &str) -> (String, String, String, String) {
    (e.into(), p.into(), total.into(), g.into())
}

/// Worked by hand:
/// * 张三 (客服专员): 99 % of 90 → 1.1 × 40 = 44; 30 h against 24 h (lower, Z = 48) → 0.75 × 30
///   = 22.5; rating 4 of 5 → 0.8 × 30 = 24; total 90.5 → 优秀 (the spec's example).
/// * 李四 (客服部主管): 回访率 90 % (T 95, Z 60, cap 1) → 30/35 × 30 = 25.714…; 投诉 2 次 (T 0,
///   Z 10) → 0.8 × 20 = 16; 响应 40 s (band 25–35, 10 outside) → 0.5 × 20 = 10; 协作 8 of 10
///   (T 8) → 1 × 30 = 30; total 81.714… → 81.71 良好.
/// * 王五 (客服部经理, no weights → 50 each): 92 % of 90 → 1.0222… × 50 = 51.111…; 费用 95 against
///   100 (lower, Z 200) → 1.05 × 50 = 52.5; total 103.611… → 103.61 优秀.
/// * 赵六 (客服专员, wide sheet): 85 % of 90 → 37.777…; 24 h → 30; 5 of 5 → 30; 97.78 优秀.
fn expected_fixture_totals() -> Vec<(String, String, String, String)> {
    vec![
        t("王五", "2024Q1", "103.61", "优秀"),
        t("赵六", "2024Q2", "97.78", "优秀"),
        t("张三", "2024Q1", "90.50", "优秀"),
        t("李四", "2024Q1", "81.71", "良好"),
    ]
}

#[test]
fn scores_the_libreoffice_ods_with_percent_cells_and_merges() {
    let s = score_path(&fixture("results.ods"));
    assert!(s.problems.is_empty(), "{:#?}", s.problems);
    assert_eq!(totals(&s), expected_fixture_totals());
}

#[test]
fn scores_the_libreoffice_xls() {
    let s = score_path(&fixture("results.xls"));
    assert!(s.problems.is_empty(), "{:#?}", s.problems);
    assert_eq!(totals(&s), expected_fixture_totals());
}

/// The same workbook saved as .xls with its percentages as percent-formatted numbers: 0.99
/// shown as 99% counts as 99 against a target of 90 %, as in the .ods.
#[test]
fn scores_the_libreoffice_xls_with_percent_cells() {
    let s = score_path(&fixture("results-percent.xls"));
    assert!(s.problems.is_empty(), "{:#?}", s.problems);
    assert_eq!(totals(&s), expected_fixture_totals());
}

#[test]
fn scores_the_libreoffice_xlsx() {
    let s = score_path(&fixture("results.xlsx"));
    assert!(s.problems.is_empty(), "{:#?}", s.problems);
    assert_eq!(totals(&s), expected_fixture_totals());
    let c = s
        .scorecards
        .iter()
        .find(|c| c.employee.as_deref() == Some("张三"))
        .unwrap();
    assert_eq!(c.kpis[0].cell.as_deref(), Some("一季度!E3"));
}

#[test]
fn reads_only_the_sheets_asked_for() {
    let s = score_paths(&[&fixture("results.xlsx")], &["二季度".to_string()]);
    assert_eq!(totals(&s), vec![t("赵六", "2024Q2", "97.78", "优秀")]);
    let s = score_paths(&[&fixture("results.xlsx")], &["三季度".to_string()]);
    assert_eq!(s.problems[0].code, "workbook");
    assert!(s.problems[0].help[0].contains("一季度, 二季度"));
}

/// A long-layout workbook as HR builds it: a merged title row, 岗位 merged over a person's
/// rows, a date in the period column, a percent-formatted cell, a formula with its cached
/// value, text numbers (full width, thousands separators, `%`), a blank row.
fn write_long_xlsx(path: &Path) {
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0%");
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let ws = wb.add_worksheet();
    ws.set_name("Q1 结果").unwrap();
    ws.merge_range(0, 0, 0, 5, "2024年一季度考核", &Format::new())
        .unwrap();
    for (c, h) in ["岗位", "姓名", "考核期间", "指标", "实际值", "目标值"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let d = ExcelDateTime::from_ymd(2024, 3, 31).unwrap();
    ws.merge_range(2, 0, 4, 0, "客服专员", &Format::new())
        .unwrap();
    for r in 2..=4u32 {
        ws.write_string(r, 1, "张三").unwrap();
        ws.write_datetime_with_format(r, 2, &d, &date).unwrap();
    }
    ws.write_string(2, 3, "客户满意度").unwrap();
    ws.write_number_with_format(2, 4, 0.99, &pct).unwrap();
    ws.write_string(3, 3, "投诉处理时效").unwrap();
    ws.write_formula(3, 4, Formula::new("=15*2").set_result("30"))
        .unwrap();
    ws.write_string(4, 3, "沟通能力").unwrap();
    ws.write_number(4, 4, 4.0).unwrap();
    // row 6 (index 5) left blank
    let rows = [
        ("KF-01", "王五", "客户保有率", "９２％", ""),
        ("cs-manager", "王五", "部门费用控制", "95", ""),
        ("客服专员", "钱七", "客户满意度", "1,080", "1,200"),
        ("客服专员", "钱七", "投诉处理时效", "24", ""),
        ("客服专员", "钱七", "沟通能力", "5", ""),
    ];
    for (i, (p, e, k, a, tg)) in rows.iter().enumerate() {
        let r = 6 + i as u32;
        ws.write_string(r, 0, *p).unwrap();
        ws.write_string(r, 1, *e).unwrap();
        ws.write_datetime_with_format(r, 2, &d, &date).unwrap();
        ws.write_string(r, 3, *k).unwrap();
        ws.write_string(r, 4, *a).unwrap();
        if !tg.is_empty() {
            ws.write_string(r, 5, *tg).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn reads_percent_cells_dates_formulas_merges_and_blank_rows_from_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q1.xlsx");
    write_long_xlsx(&path);
    let s = score_path(&path);
    assert!(s.problems.is_empty(), "{:#?}", s.problems);
    // 钱七: 1080 against the row's own target 1200 → 0.9 × 40 = 36; 24 h → 30; 5 → 30: 96.
    assert_eq!(
        totals(&s),
        vec![
            t("王五", "2024-03-31", "103.61", "优秀"),
            t("钱七", "2024-03-31", "96.00", "优秀"),
            t("张三", "2024-03-31", "90.50", "优秀"),
        ]
    );
    let z = s
        .scorecards
        .iter()
        .find(|c| c.employee.as_deref() == Some("张三"))
        .unwrap();
    assert_eq!(z.kpis[0].actual, Some(99.0));
    assert_eq!(z.kpis[0].cell.as_deref(), Some("'Q1 结果'!E3"));
    assert_eq!(z.kpis[1].actual, Some(30.0), "the formula's cached value");
}

#[test]
fn reads_the_wide_layout_with_english_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wide.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in [
        " POSITION ",
        "Name",
        "Period",
        "客户满意度",
        "投诉处理时效",
        "沟通能力",
        "备注",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_row(1, 0, ["cs-specialist", "张三", "2024Q1"])
        .unwrap();
    ws.write_row(1, 3, [99.0, 30.0, 4.0]).unwrap();
    ws.write_string(1, 6, "季度之星").unwrap();
    ws.write_row(2, 0, ["cs-specialist", "赵六", "2024Q1"])
        .unwrap();
    ws.write_number(2, 3, 90.0).unwrap();
    ws.write_number(2, 5, 5.0).unwrap();
    wb.save(&path).unwrap();
    let s = score_path(&path);
    // 赵六 has no 投诉处理时效: a warning, that KPI scores 0, the card says so: 40 + 0 + 30.
    assert_eq!(
        totals(&s),
        vec![
            t("张三", "2024Q1", "90.50", "优秀"),
            t("赵六", "2024Q1", "70.00", "合格"),
        ]
    );
    assert_eq!(s.errors(), 0);
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].code, "kpi-missing");
    assert_eq!(s.problems[0].at.cell().map(|c| c.cell.as_str()), Some("E3"));
    let z = &s.scorecards[1];
    assert!(z.kpis[1].missing && z.kpis[1].actual.is_none());
}

fn write_bad_xlsx(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in ["岗位", "姓名", "期间", "指标", "实际值"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, &str); 11] = [
        ("客服专员", "张三", "客户满意度", "99"),
        ("客服专员", "张三", "投诉处理时效", "30"),
        ("客服专员", "张三", "沟通能力", "4"),
        ("客服总监", "李四", "客户满意度", "90"),
        ("客服专员", "王五", "客户满意", "90"),
        ("客服专员", "王五", "沟通能力", "6"),
        ("客服部主管", "赵六", "客户投诉次数", "-1"),
        ("客服专员", "张三", "客户满意度", "很好"),
        ("客服专员", "钱七", "客户满意度", "90"),
        ("客服专员", "钱七", "投诉处理时效", "24"),
        ("客服专员", "钱七", "沟通能力", "5"),
    ];
    for (i, (p, e, k, a)) in rows.iter().enumerate() {
        let r = 1 + i as u32;
        ws.write_row(r, 0, [*p, *e, "2024Q1", *k]).unwrap();
        ws.write_string(r, 4, *a).unwrap();
    }
    let ws = wb.add_worksheet();
    ws.set_name("说明").unwrap();
    ws.write_row(0, 0, ["部门", "负责人"]).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn reports_every_mistake_with_its_cell_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    write_bad_xlsx(&path);
    let out = dir.path().join("out");
    let assert = Command::cargo_bin("rolebook")
        .unwrap()
        .current_dir(dir.path())
        .args(["score", "bad.xlsx", "--out", "out", "--positions"])
        .arg(org_dir())
        .assert()
        .code(1);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains(
            "error[kpi-unknown]: KPI \"客户满意\" is not defined for 客服专员 (cs-specialist)\n  \
             --> bad.xlsx › Sheet1!D6\n  = help: did you mean \"客户满意度\"?\n"
        ),
        "{stderr}"
    );
    for needle in [
        "error[position-unknown]: no position has the id, code or title \"客服总监\"\n  --> bad.xlsx › Sheet1!A5",
        "error[value]: 6 is outside the rating scale of \"沟通能力\" (0 to 5)\n  --> bad.xlsx › Sheet1!E7",
        "error[value]: \"客户投诉次数\" cannot be negative (-1次): a count or duration (次) is never below 0\n  --> bad.xlsx › Sheet1!E8",
        "error[duplicate-row]: \"客户满意度\" for 张三, 客服专员 (cs-specialist) in 2024Q1 is given twice\n  --> bad.xlsx › Sheet1!E9\n  --> bad.xlsx › Sheet1!E2: first given here",
        "error[sheet-header]: sheet \"说明\" has no header with the required columns; found \"部门\", \"负责人\"\n  --> bad.xlsx › 说明!A1",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in\n{stderr}");
    }
    assert!(!out.exists(), "nothing is written while rows are in error");

    // --format json: every problem, no scorecard.
    let assert = Command::cargo_bin("rolebook")
        .unwrap()
        .current_dir(dir.path())
        .args(["score", "bad.xlsx", "--format", "json", "--positions"])
        .arg(org_dir())
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(v["scorecards"].as_array().unwrap().len(), 0);
    let codes: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["severity"] == "error")
        .map(|p| p["code"].as_str().unwrap())
        .collect();
    for code in [
        "sheet-header",
        "position-unknown",
        "kpi-unknown",
        "value",
        "duplicate-row",
    ] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let p = &v["problems"][0];
    assert_eq!(p["file"], "bad.xlsx");
    assert!(p["sheet"].is_string() && p["cell"].is_string());

    // --partial: writes what is valid and lists the skipped rows in the outputs.
    Command::cargo_bin("rolebook")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "score",
            "bad.xlsx",
            "--partial",
            "--out",
            "out",
            "--positions",
        ])
        .arg(org_dir())
        .assert()
        .code(1);
    let csv = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(
        csv.contains("跳过的行: bad.xlsx › Sheet1!D6 [kpi-unknown]"),
        "{csv}"
    );
    let html = std::fs::read_to_string(out.join("scorecards.html")).unwrap();
    assert!(html.contains("Sheet1!D6"));
    // scorecards.pdf: the 总览 and its ranking, the skipped rows on a page of their own,
    // 钱七's card.
    let pages = pdf_pages(&out.join("scorecards.pdf"));
    assert_eq!(pages.len(), 4, "{pages:?}");
    assert!(pages[0].contains("总览"), "{}", pages[0]);
    assert!(pages[2].contains("跳过的行"), "{}", pages[2]);
    for needle in ["bad.xlsx > Sheet1!D6", "kpi-unknown", "bad.xlsx > 说明!A1"] {
        assert!(pages[2].contains(needle), "{needle:?} in {}", pages[2]);
    }
    assert!(pages[3].contains("钱七") && pages[3].contains("100.00"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scores.json")).unwrap()).unwrap();
    // Only 钱七 has no row in error: 40 + 30 + 30.
    let cards = json["scorecards"].as_array().unwrap();
    assert_eq!(cards.len(), 1);
    assert_eq!(cards[0]["employee"], "钱七");
    assert_eq!(cards[0]["total"], 100.0);
}

#[test]
fn refuses_bad_files_clearly_without_panicking() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("empty.xlsx"), b"").unwrap();
    std::fs::write(
        d.join("csv.xlsx"),
        "岗位,指标,实际值\ncs-specialist,客户满意度,90\n",
    )
    .unwrap();
    let mut good = Vec::new();
    {
        let p = d.join("good.xlsx");
        write_long_xlsx(&p);
        good = std::fs::read(&p).unwrap_or(good);
    }
    std::fs::write(d.join("truncated.xlsx"), &good[..good.len() / 2]).unwrap();
    std::fs::write(
        d.join("garbage.xls"),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3],
    )
    .unwrap();
    let mut wb = Workbook::new();
    wb.add_worksheet();
    wb.save(d.join("blank.xlsx")).unwrap();
    std::fs::write(d.join("gbk.csv"), [0xB8, 0xDA, 0xCE, 0xBB, b'\n']).unwrap();
    let cases = [
        ("empty.xlsx", "the file is empty"),
        (
            "csv.xlsx",
            "this is a text file (CSV?), not a .xlsx workbook",
        ),
        ("truncated.xlsx", "damaged or not a workbook"),
        ("garbage.xls", "damaged or not a workbook"),
        ("blank.xlsx", "is empty: no sheet has any data"),
        ("gbk.csv", "not UTF-8"),
        ("missing.xlsx", "failed to read"),
    ];
    for (name, needle) in cases {
        let s = score_path(&d.join(name));
        assert_eq!(s.problems.len(), 1, "{name}: {:?}", s.problems);
        let p = &s.problems[0];
        assert_eq!(p.code, "workbook");
        assert!(p.message.contains(needle), "{name}: {}", p.message);
        assert_eq!(p.at.file_name(), Some(name));
    }
    // Found by `cargo fuzz run import`: calamine panics on this damaged OLE file (a slice out
    // of bounds in its CFB reader); it must come out as a damaged-file problem.
    let s = score_path(&fixture("fuzz-cfb-slice.xls"));
    assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
    assert!(
        s.problems[0].message.contains("damaged"),
        "{:?}",
        s.problems
    );
    for name in ["protected.xlsx", "protected.xls"] {
        let s = score_path(&fixture(name));
        assert_eq!(s.problems.len(), 1, "{name}: {:?}", s.problems);
        assert!(
            s.problems[0].message.contains("password-protected"),
            "{name}: {:?}",
            s.problems
        );
    }
}

#[test]
fn writes_every_output_with_the_same_numbers() {
    let dir = tempfile::tempdir().unwrap();
    score_into_cards(dir.path(), &fixture("results.ods")).success();
    let out = dir.path().join("cards");
    let html = std::fs::read_to_string(out.join("scorecards.html")).unwrap();
    // Summary sorted by total, each person once in the summary and once as a card.
    let order: Vec<usize> = ["王五", "赵六", "张三", "李四"]
        .iter()
        .map(|n| html.find(n).unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert_eq!(html.matches("<section class=\"card\"").count(), 4);
    assert!(html.contains("90.50") && html.contains("81.71") && html.contains("<svg"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("https://"));
    assert!(html.contains("@page { size: A4"));

    let csv = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(csv.contains("cs-specialist,客服专员,客服部,张三,2024Q1,客户满意度,%,越高越好,40,90,0,99,1.1,44,90.5,优秀,"), "{csv}");
    // Rounded as the HTML shows them: 92 % of 90 is 102.22 %, 1.0222 as a ratio, not
    // 1.0222222222222221; 50 × 1.0222… = 51.11; 李四's 81.714… is 81.71.
    assert!(
        csv.contains(",客户保有率,%,越高越好,50,90,0,92,1.0222,51.11,103.61,优秀,"),
        "{csv}"
    );
    assert!(
        csv.contains(",团队协作,,评分,30,8,0,8,1,30,81.71,良好,"),
        "{csv}"
    );
    assert!(!csv.contains("1.0222222") && !csv.contains("higher") && !csv.contains("lower"));

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scores.json")).unwrap()).unwrap();
    let z = json["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["employee"] == "张三")
        .unwrap();
    assert_eq!(z["total"], 90.5);
    assert_eq!(z["grade"], "优秀");
    assert_eq!(z["kpis"][1]["achievement"], 0.75);
    assert_eq!(z["kpis"][1]["threshold"], 48.0);

    // scores.xlsx: numbers as numbers, a totals sheet.
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(out.join("scores.xlsx")).unwrap();
    assert_eq!(wb.sheet_names(), ["明细", "总分", "校准"]);
    let totals = wb.worksheet_range("总分").unwrap();
    assert_eq!(totals.get((1, 4)), Some(&Data::String("王五".into())));
    match totals.get((3, 6)) {
        Some(Data::Float(f)) => assert!((f - 90.5).abs() < 1e-9),
        other => panic!("total is not a number: {other:?}"),
    }
    let details = wb.worksheet_range("明细").unwrap();
    // 王五's 客户保有率: 92 % of 90, shown as 102.22 %, held as 1.0222 (not 1.02222…); its
    // score 51.11; the direction in words.
    assert_eq!(
        details.get((1, 4)),
        Some(&Data::String("客户保有率".into()))
    );
    assert_eq!(details.get((1, 6)), Some(&Data::String("越高越好".into())));
    assert_eq!(details.get((1, 11)), Some(&Data::Float(1.0222)));
    assert_eq!(details.get((1, 12)), Some(&Data::Float(51.11)));
    assert_eq!(totals.get((1, 6)), Some(&Data::Float(103.61)));
}

/// The text of each page (pdftotext ends every page with a form feed).
fn pdf_pages(pdf: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &["-layout"], pdf);
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// A page's text with the runs of spaces of `-layout` collapsed to one.
fn squeeze(page: &str) -> String {
    page.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn scorecards_pdf_has_one_page_per_person_with_the_hand_worked_figures() {
    let dir = tempfile::tempdir().unwrap();
    score_into_cards(dir.path(), &fixture("results.ods")).success();
    let pdf = dir.path().join("cards/scorecards.pdf");
    let pages = pdf_pages(&pdf);
    // The 总览 and its ranking, then one page per person, in the ranking's order (by total).
    assert_eq!(pages.len(), 6, "{pages:?}");
    assert!(pages[0].contains("总览"), "{}", pages[0]);
    for (page, who) in pages[2..].iter().zip(["王五", "赵六", "张三", "李四"]) {
        assert!(page.contains(who), "{who} on {page}");
    }
    // 张三, the spec's example: 99 % of 90 → 110 % × 40 = 44; 30 h against 24 h, lower →
    // 75 % × 30 = 22.5; rating 4 of 5 → 80 % × 30 = 24; total 90.5 → 优秀.
    let z = squeeze(&pages[4]);
    for row in [
        "客户满意度 越高越好 90% 99% 110% 40 44.00",
        "投诉处理时效 越低越好 24 h 30 h 75% 30 22.50",
        "沟通能力 评分 5 4 80% 30 24.00",
        "总分 90.50",
        "等级 优秀",
        "张三 · 客服专员",
        "姓名 张三",
        "岗位名称 客服专员 (cs-specialist) 所在部门 客服部",
        "期间 2024Q1 考核人 客服部主管",
        "第5页/共6页",
    ] {
        assert!(z.contains(row), "{row:?} in {z}");
    }
    // 李四's band target reads as a range, with a hyphen the font has.
    assert!(
        squeeze(&pages[5]).contains("区间 25-35 秒 40 秒 50% 20 10.00"),
        "{}",
        pages[5]
    );

    // A sound file: cross-references, objects and streams (qpdf).
    qpdf_check(&pdf);

    // Fonts embedded, and only the characters used (subset tag `ABCDEF+`).
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let tag = cols[0].split_once('+').map(|(t, _)| t);
        assert!(
            tag.is_some_and(|t| t.len() == 6 && t.chars().all(|c| c.is_ascii_uppercase())),
            "{row}"
        );
        // name, type (two words), encoding, emb, sub, uni, ...
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
    }
}

/// `rolebook score WORKBOOK --out cards` in `dir` on the fixture organization.
fn score_into_cards(dir: &Path, workbook: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("rolebook")
        .unwrap()
        .current_dir(dir)
        .arg("score")
        .arg(workbook)
        .args(["--out", "cards", "--positions"])
        .arg(org_dir())
        .assert()
}

/// [`score_into_cards`] on `q1.csv`, written in `dir` with `csv`.
fn score_csv(dir: &Path, csv: &str) -> assert_cmd::assert::Assert {
    std::fs::write(dir.join("q1.csv"), csv).unwrap();
    score_into_cards(dir, Path::new("q1.csv"))
}

#[test]
fn scorecards_pdf_marks_a_kpi_without_data() {
    let dir = tempfile::tempdir().unwrap();
    // 张三 has no 沟通能力: it scores 0 (44 + 22.5 + 0 = 66.5, 合格) and says so.
    score_csv(
        dir.path(),
        "岗位,姓名,期间,指标,实际值\ncs-specialist,张三,2024Q1,客户满意度,99\n\
         cs-specialist,张三,2024Q1,投诉处理时效,30\n",
    )
    .success();
    let pages = pdf_pages(&dir.path().join("cards/scorecards.pdf"));
    assert_eq!(pages.len(), 3);
    let p = squeeze(&pages[2]);
    for row in [
        "沟通能力 评分 5 无数据 — 30 0.00",
        "总分 66.50",
        "等级 合格",
    ] {
        assert!(p.contains(row), "{row:?} in {p}");
    }
}

#[test]
fn a_name_the_font_cannot_draw_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    // 𠀀 (U+20000) is not in the shipped GBK font.
    let assert = score_csv(
        dir.path(),
        "岗位,姓名,期间,指标,实际值\ncs-specialist,张𠀀,2024Q1,客户满意度,99\n\
         cs-specialist,张𠀀,2024Q1,投诉处理时效,30\ncs-specialist,张𠀀,2024Q1,沟通能力,4\n",
    )
    .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    // The name is in the 总览's ranking and on the card: either part is named.
    assert!(
        err.contains("'𠀀'")
            && (err.contains("`张𠀀 · 客服专员`") || err.contains("`总览 · 名次`"))
            && err.contains("--font"),
        "{err}"
    );
    assert!(!dir.path().join("cards/scorecards.html").exists());
    assert!(!dir.path().join("cards/scorecards.pdf").exists());
}

#[test]
fn json_on_stdout_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let assert = Command::cargo_bin("rolebook")
        .unwrap()
        .current_dir(dir.path())
        .arg("score")
        .arg(fixture("results.xls"))
        .args(["--format", "json", "--positions"])
        .arg(org_dir())
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["scorecards"].as_array().unwrap().len(), 4);
    assert!(!dir.path().join("output").exists());
}

#[test]
fn template_round_trips_through_score() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = dir.path().join("tpl.xlsx");
    Command::cargo_bin("rolebook")
        .unwrap()
        .args(["kpi-template", "--period", "2024Q2", "--positions"])
        .arg(org_dir())
        .arg("--out")
        .arg(&tpl)
        .assert()
        .success();

    // Fill it in the way a person would: copy each row, add a name and an actual.
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(&tpl).unwrap();
    let range = wb.worksheet_range("考核结果").unwrap();
    let header: Vec<String> = range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (name_col, kpi_col, actual_col) = (col("姓名"), col("指标名称"), col("实际值"));
    let actuals = |kpi: &str| -> f64 {
        match kpi {
            "客户满意度" => 99.0,
            "投诉处理时效" => 30.0,
            "沟通能力" => 4.0,
            "客户回访率" => 90.0,
            "客户投诉次数" => 2.0,
            "平均响应时长" => 40.0,
            "团队协作" => 8.0,
            "客户保有率" => 92.0,
            "部门费用控制" => 95.0,
            other => panic!("unexpected KPI {other}"),
        }
    };
    let mut out = Workbook::new();
    let ws = out.add_worksheet();
    for (r, row) in range.rows().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Data::String(s) => {
                    ws.write_string(r as u32, c as u16, s).unwrap();
                }
                Data::Float(f) => {
                    ws.write_number(r as u32, c as u16, *f).unwrap();
                }
                _ => {}
            }
        }
        if r > 0 {
            // One person per position: one person under two is a warning of its own.
            let who = match row[0].to_string().as_str() {
                "cs-manager" => "王经理",
                "cs-supervisor" => "李主管",
                _ => "张专员",
            };
            ws.write_string(r as u32, name_col as u16, who).unwrap();
            ws.write_number(
                r as u32,
                actual_col as u16,
                actuals(&row[kpi_col].to_string()),
            )
            .unwrap();
        }
    }
    let filled = dir.path().join("filled.xlsx");
    out.save(&filled).unwrap();

    let s = score_path(&filled);
    assert!(s.problems.is_empty(), "{:#?}", s.problems);
    assert_eq!(
        totals(&s),
        vec![
            t("王经理", "2024Q2", "103.61", "优秀"),
            t("张专员", "2024Q2", "90.50", "优秀"),
            t("李主管", "2024Q2", "81.71", "良好"),
        ]
    );
}

#[test]
fn csv_with_bom_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("r.csv");
    std::fs::write(
        &p,
        "\u{feff}岗位,姓名,期间,指标,实际值\r\ncs-specialist,张三,2024Q1,客户满意度,99%\r\n\
         cs-specialist,张三,2024Q1,投诉处理时效,30 h\r\ncs-specialist,张三,2024Q1,沟通能力,４\r\n",
    )
    .unwrap();
    let s = score_path(&p);
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(totals(&s), vec![t("张三", "2024Q1", "90.50", "优秀")]);
}

/// The sample results workbook against the sample organization (`positions/`). 王立 by hand: 92/90 × 30 =
/// 30.667, 96/95 × 20 = 20.211, 450/500 × 15 = 13.5, budget deviation 4 % against 5 % (lower,
/// zero at 10 %) → 1.2 (capped) × 15 = 18, 4/5 × 10 = 8, 4/5 × 10 = 8: 98.38 优秀.
#[test]
fn scores_the_sample_results_for_the_sample_organization() {
    let positions = Path::new(env!("CARGO_MANIFEST_DIR")).join("positions");
    let loaded = load_dir(&positions).unwrap();
    let mut import = Import::default();
    let book =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/sample/2024Q1.xlsx");
    import.read_path(&book, "2024Q1.xlsx", &[]);
    let s = score(&loaded.org, &import, &Options::default());
    assert_eq!(s.errors(), 0, "{:#?}", s.problems);
    assert_eq!(s.scorecards.len(), 5);
    let w = s
        .scorecards
        .iter()
        .find(|c| c.employee.as_deref() == Some("王立"))
        .unwrap();
    assert_eq!(round2(w.total), "98.38");
    assert_eq!(w.grade.as_deref(), Some("优秀"));
}

#[test]
fn a_merged_region_that_ends_before_it_starts_is_ignored() {
    // Found by `cargo fuzz run import`: a damaged .xls lists a merged region whose end comes
    // before its start, and filling merged cells overflowed. Read unguarded: a panic of ours
    // fails the test instead of becoming a damaged-file problem.
    let bytes = std::fs::read(fixture("fuzz-merge-inverted.xls")).unwrap();
    let mut import = Import::default();
    import.read_bytes(&bytes, "xls", "fuzz", "fuzz-merge-inverted.xls", &[]);
    // The rest of the damaged copy still reads: its ten result rows, no problem.
    assert!(import.problems.is_empty(), "{:?}", import.problems);
    assert_eq!(import.rows.len(), 10);
}

/// Found by `cargo fuzz run import`: on this damaged OLE file calamine's CFB reader follows a
/// sector chain that never ends and allocates without bound (over 2 GB) before any error:
/// out of memory, which no `catch_unwind` can turn into a problem. The importer checks the
/// container's chains before handing it to calamine.
#[test]
fn damaged_ole_chain_does_not_exhaust_memory() {
    for name in [
        "fuzz-cfb-oom.xls",
        "fuzz-cfb-oom-2.xls",
        "fuzz-cfb-oom-3.xls",
        "fuzz-cfb-oom-4.xls",
        "fuzz-cfb-oom-5.xls",
        // A sheet whose DIMENSIONS record claims billions of cells: calamine reserved room
        // for all of them.
        "fuzz-dimensions-oom.xls",
        "fuzz-dimensions-oom-2.xls",
        // A cell in a column past IV: calamine allocated the box around all cells.
        "fuzz-dimensions-oom-3.xls",
        // A looping container named .xlsx (where Excel keeps encrypted workbooks).
        "fuzz-cfb-oom-6.xlsx",
    ] {
        let s = score_path(&fixture(name));
        assert_eq!(s.problems.len(), 1, "{name}: {:?}", s.problems);
        assert_eq!(s.problems[0].code, "workbook");
        assert!(
            s.problems[0].message.contains("damaged")
                && s.problems[0].message.contains("save it again"),
            "{name}: {:?}",
            s.problems
        );
    }
}
