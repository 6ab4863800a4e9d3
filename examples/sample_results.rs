//! Writes `tests/fixtures/score/sample/2024Q1.xlsx`: a period's results for the sample
//! organization in `positions/` (客服部经理, 客服部主管, 客服专员), long layout, percent
//! cells formatted as Excel does. `cargo run --example sample_results`, then
//! `rolebook score tests/fixtures/score/sample/2024Q1.xlsx`.

use rust_xlsxwriter::{Format, Workbook};

fn main() -> Result<(), rust_xlsxwriter::XlsxError> {
    // (position, employee, KPI, actual, shown as a percentage)
    let rows: &[(&str, &str, &str, f64, bool)] = &[
        ("cs-manager", "王立", "客户满意度", 0.92, true),
        ("cs-manager", "王立", "重大投诉处理及时率", 0.96, true),
        ("cs-manager", "王立", "中标额", 450.0, false),
        ("cs-manager", "王立", "部门费用预算偏差", 0.04, true),
        ("cs-manager", "王立", "制度建设完善性", 4.0, false),
        ("cs-manager", "王立", "领导能力", 4.0, false),
        ("cs-supervisor", "李敏", "投诉解决及时率", 0.93, true),
        ("cs-supervisor", "李敏", "回访完成率", 0.98, true),
        ("cs-supervisor", "李敏", "服务质量抽查合格率", 0.85, true),
        ("cs-supervisor", "李敏", "团队管理能力", 4.0, false),
        ("cs-specialist", "张三", "客户满意度", 0.99, true),
        ("cs-specialist", "张三", "投诉处理时效", 30.0, false),
        ("cs-specialist", "张三", "沟通能力", 4.0, false),
        ("cs-specialist", "赵晓", "客户满意度", 0.86, true),
        ("cs-specialist", "赵晓", "投诉处理时效", 20.0, false),
        ("cs-specialist", "赵晓", "沟通能力", 3.0, false),
        ("cs-specialist", "陈静", "客户满意度", 0.78, true),
        ("cs-specialist", "陈静", "投诉处理时效", 40.0, false),
        ("cs-specialist", "陈静", "沟通能力", 3.0, false),
    ];
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color(0xDCE6F1);
    let pct = Format::new().set_num_format("0%");
    let ws = wb.add_worksheet();
    ws.set_name("2024Q1")?;
    for (c, h) in ["岗位", "姓名", "期间", "指标", "实际值"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (i, (p, e, k, a, is_pct)) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, *p)?;
        ws.write_string(r, 1, *e)?;
        ws.write_string(r, 2, "2024Q1")?;
        ws.write_string(r, 3, *k)?;
        if *is_pct {
            ws.write_number_with_format(r, 4, *a, &pct)?;
        } else {
            ws.write_number(r, 4, *a)?;
        }
    }
    ws.set_column_width(0, 14)?;
    ws.set_column_width(3, 20)?;
    ws.set_freeze_panes(1, 0)?;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/sample");
    std::fs::create_dir_all(&dir).expect("create the sample folder");
    wb.save(dir.join("2024Q1.xlsx"))
}
