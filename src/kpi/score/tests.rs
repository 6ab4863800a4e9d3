use super::rows::parse_range;
use super::*;
use crate::diag::FileId;
use crate::kpi::import::{Entry, Field, Row, Value};
use crate::model::{Level, OrgSettings, Position, Sp};
use crate::util::number::round2;

fn sp<T>(v: T) -> Sp<T> {
    Sp::new(v, 0..0)
}

pub(crate) fn kpi(name: &str, weight: Option<f64>, target: Option<Target>, dir: Direction) -> Kpi {
    Kpi {
        name: sp(name.to_string()),
        weight: weight.map(sp),
        target: target.map(sp),
        unit: None,
        direction: sp(dir),
        threshold: None,
        cap: None,
        scale: None,
        span: 0..0,
    }
}

fn with_unit(mut k: Kpi, unit: &str) -> Kpi {
    k.unit = Some(sp(unit.to_string()));
    k
}

fn with_threshold(mut k: Kpi, z: f64) -> Kpi {
    k.threshold = Some(sp(z));
    k
}

fn position(id: &str, title: &str, kpis: Vec<Kpi>) -> Position {
    Position {
        id: id.into(),
        file: FileId(0),
        title: sp(title.into()),
        code: None,
        department: sp("客服部".into()),
        level: None,
        level_index: None,
        reports_to: None,
        headcount: None,
        pay_grade: None,
        pay_type: None,
        analysis_date: None,
        summary: sp(String::new()),
        authorities: vec![],
        notes: None,
        duties: vec![],
        relations: Default::default(),
        qualifications: Default::default(),
        conditions: Default::default(),
        kpis,
        extends: None,
        templates: vec![],
    }
}

fn specialist() -> Position {
    position(
        "cs-specialist",
        "客服专员",
        vec![
            with_unit(
                kpi(
                    "客户满意度",
                    Some(40.0),
                    Some(Target::Value(90.0)),
                    Direction::Higher,
                ),
                "%",
            ),
            with_unit(
                kpi(
                    "投诉处理时效",
                    Some(30.0),
                    Some(Target::Value(24.0)),
                    Direction::Lower,
                ),
                "h",
            ),
            kpi("沟通能力", Some(30.0), None, Direction::Rating),
        ],
    )
}

fn org(positions: Vec<Position>) -> Org {
    Org::new(OrgSettings::default(), positions)
}

fn rule(k: &Kpi) -> Rule {
    Rule::of(k, None, 1.2).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn works_the_spec_example() {
    let p = specialist();
    let w = weights(&p.kpis);
    let actuals = [99.0, 30.0, 4.0];
    let a: Vec<f64> = p
        .kpis
        .iter()
        .zip(actuals)
        .map(|(k, x)| rule(k).achievement(x))
        .collect();
    assert!(
        close(a[0], 1.1) && close(a[1], 0.75) && close(a[2], 0.8),
        "{a:?}"
    );
    let s: Vec<f64> = p
        .kpis
        .iter()
        .zip(actuals)
        .zip(&w)
        .map(|((k, x), w)| rule(k).score(*w, x))
        .collect();
    assert!(
        close(s[0], 44.0) && close(s[1], 22.5) && close(s[2], 24.0),
        "{s:?}"
    );
    let total: f64 = s.iter().sum();
    assert_eq!(round2(total), "90.50");
    assert_eq!(grade(total, &Scoring::default().bands), Some("优秀"));
}

#[test]
fn higher_is_actual_over_target_from_zero() {
    let r = rule(&kpi(
        "x",
        None,
        Some(Target::Value(80.0)),
        Direction::Higher,
    ));
    assert!(close(r.achievement(60.0), 0.75));
    assert!(close(r.score(50.0, 60.0), 37.5));
    // With a threshold: 60 earns zero, 80 full marks.
    let r = rule(&with_threshold(
        kpi("x", None, Some(Target::Value(80.0)), Direction::Higher),
        60.0,
    ));
    assert!(close(r.achievement(70.0), 0.5));
    assert_eq!(
        r.score(50.0, 50.0),
        0.0,
        "below the threshold earns zero, not less"
    );
}

#[test]
fn lower_defaults_its_zero_to_twice_the_target() {
    let r = rule(&kpi("x", None, Some(Target::Value(10.0)), Direction::Lower));
    assert_eq!(r.threshold, 20.0);
    assert!(close(r.achievement(10.0), 1.0));
    assert!(close(r.achievement(5.0), 1.5));
    assert!(close(r.score(10.0, 5.0), 12.0), "capped at 1.2");
    assert_eq!(r.score(10.0, 25.0), 0.0);
    // With a threshold of 15: 12.5 is halfway.
    let r = rule(&with_threshold(
        kpi("x", None, Some(Target::Value(10.0)), Direction::Lower),
        15.0,
    ));
    assert!(close(r.achievement(12.5), 0.5));
}

#[test]
fn target_zero_needs_a_threshold() {
    let k = kpi("投诉次数", None, Some(Target::Value(0.0)), Direction::Lower);
    let err = Rule::of(&k, None, 1.2).unwrap_err();
    assert!(err.message.contains("threshold"), "{}", err.message);
    let r = rule(&with_threshold(k, 4.0));
    assert!(close(r.achievement(0.0), 1.0));
    assert!(close(r.achievement(1.0), 0.75));
    assert!(close(r.achievement(4.0), 0.0));
    // higher with target 0 and no threshold divides by zero: refused.
    let k = kpi("x", None, Some(Target::Value(0.0)), Direction::Higher);
    assert!(Rule::of(&k, None, 1.2).is_err());
}

#[test]
fn rating_is_out_of_its_scale_and_bounded() {
    let k = kpi("领导能力", None, None, Direction::Rating);
    let r = rule(&k);
    assert_eq!(r.target, Target::Value(5.0));
    assert!(close(r.achievement(4.0), 0.8));
    assert!(check_actual(&k, &r, 5.0).is_ok());
    assert!(check_actual(&k, &r, 0.0).is_ok());
    assert!(check_actual(&k, &r, 5.5).is_err());
    assert!(check_actual(&k, &r, -1.0).is_err());
    let mut k10 = k.clone();
    k10.scale = Some(sp(10.0));
    let r = rule(&k10);
    assert!(close(r.achievement(8.0), 0.8));
    assert!(check_actual(&k10, &r, 9.0).is_ok());
}

#[test]
fn band_is_full_inside_and_falls_outside() {
    let k = with_threshold(
        kpi(
            "库存周转天数",
            None,
            Some(Target::Band(25.0, 35.0)),
            Direction::Band,
        ),
        10.0,
    );
    let r = rule(&k);
    assert_eq!(r.achievement(30.0), 1.0);
    assert_eq!(r.achievement(25.0), 1.0);
    assert!(close(r.achievement(20.0), 0.5));
    assert!(close(r.achievement(40.0), 0.5));
    assert_eq!(r.achievement(50.0), 0.0);
    assert!(
        close(r.score(20.0, 30.0), 20.0),
        "never above 1 even with cap 1.2"
    );
    let no_threshold = kpi("x", None, Some(Target::Band(25.0, 35.0)), Direction::Band);
    assert!(Rule::of(&no_threshold, None, 1.2).is_err());
}

#[test]
fn cap_comes_from_the_kpi_then_the_org() {
    let mut k = kpi("x", None, Some(Target::Value(100.0)), Direction::Higher);
    assert!(close(
        Rule::of(&k, None, 1.5).unwrap().score(10.0, 200.0),
        15.0
    ));
    k.cap = Some(sp(1.0));
    assert!(close(
        Rule::of(&k, None, 1.5).unwrap().score(10.0, 200.0),
        10.0
    ));
}

#[test]
fn equal_weights_when_none_are_given() {
    let ks = vec![
        kpi("a", None, Some(Target::Value(1.0)), Direction::Higher),
        kpi("b", None, Some(Target::Value(1.0)), Direction::Higher),
        kpi("c", None, Some(Target::Value(1.0)), Direction::Higher),
    ];
    let w = weights(&ks);
    assert!(w.iter().all(|x| close(*x, 100.0 / 3.0)));
    assert!(close(w.iter().sum::<f64>(), 100.0));
}

#[test]
fn grades_by_the_first_band_reached() {
    let bands = Scoring::default().bands;
    assert_eq!(grade(90.0, &bands), Some("优秀"));
    assert_eq!(grade(89.99, &bands), Some("良好"));
    assert_eq!(grade(0.0, &bands), Some("不合格"));
    let only_high = vec![Band {
        min: 60.0,
        label: "合格".into(),
    }];
    assert_eq!(grade(10.0, &only_high), None);
}

// --- scoring whole imports --------------------------------------------------------------

fn loc(row: u32, col: u32) -> Loc {
    Loc { sheet: 0, row, col }
}

fn text(s: &str, row: u32, col: u32) -> Field {
    Field {
        value: if s.is_empty() {
            Value::Empty
        } else {
            Value::Text(s.into())
        },
        loc: loc(row, col),
    }
}

/// A long-layout row: position (A), employee (B), KPI (C), actual (D).
fn long(row: u32, pos: &str, who: &str, k: &str, actual: Value) -> Row {
    Row {
        loc: loc(row, 0),
        position: text(pos, row, 0),
        employee: Some(text(who, row, 1)),
        employee_id: None,
        period: None,
        entries: vec![Entry {
            kpi: text(k, row, 2),
            actual: Field {
                value: actual,
                loc: loc(row, 3),
            },
            target: None,
            by_column: false,
        }],
    }
}

fn import(rows: Vec<Row>) -> Import {
    Import {
        sheets: vec![SheetSrc {
            file: "r.xlsx".into(),
            sheet: "Sheet1".into(),
        }],
        rows,
        problems: vec![],
    }
}

fn opts() -> Options {
    Options {
        period: Some("2024Q1".into()),
        ..Options::default()
    }
}

#[test]
fn scores_a_person_from_long_rows() {
    let o = org(vec![specialist()]);
    let imp = import(vec![
        long(1, "客服专员", "张三", "客户满意度", Value::Percent(0.99)),
        long(
            2,
            "cs-specialist",
            "张三",
            "投诉处理时效",
            Value::Text("30".into()),
        ),
        long(3, "cs-specialist", "张三", "沟通能力", Value::Number(4.0)),
    ]);
    let s = score(&o, &imp, &opts());
    assert!(s.problems.is_empty(), "{:?}", s.problems);
    assert_eq!(s.scorecards.len(), 1);
    let c = &s.scorecards[0];
    assert_eq!(c.employee.as_deref(), Some("张三"));
    assert_eq!(c.period, "2024Q1");
    assert_eq!(round2(c.total), "90.50");
    assert_eq!(c.grade.as_deref(), Some("优秀"));
    assert_eq!(
        c.kpis[0].actual,
        Some(99.0),
        "a 99% cell reads as 99 for a % KPI"
    );
    assert_eq!(c.kpis[0].cell.as_deref(), Some("Sheet1!D2"));
}

#[test]
fn missing_results_warn_and_score_zero() {
    let o = org(vec![specialist()]);
    let imp = import(vec![
        long(
            1,
            "cs-specialist",
            "张三",
            "客户满意度",
            Value::Number(90.0),
        ),
        long(2, "cs-specialist", "张三", "沟通能力", Value::Empty),
    ]);
    let s = score(&o, &imp, &opts());
    assert_eq!(s.errors(), 0);
    let codes: Vec<(&str, Option<&str>)> = s
        .problems
        .iter()
        .map(|p| (p.code, p.at.cell().map(|c| c.cell.as_str())))
        .collect();
    assert_eq!(
        codes,
        vec![("kpi-missing", Some("C2")), ("kpi-missing", Some("D3"))]
    );
    let c = &s.scorecards[0];
    assert!(c.kpis[1].missing && c.kpis[1].actual.is_none() && c.kpis[1].score == 0.0);
    assert!(close(c.total, 40.0));
}

#[test]
fn org_checks_table_changes_score_severities_too() {
    let rows = || {
        import(vec![
            long(
                1,
                "cs-specialist",
                "张三",
                "客户满意度",
                Value::Number(90.0),
            ),
            long(2, "cs-specialist", "张三", "沟通能力", Value::Empty),
        ])
    };
    let with = |level| {
        let mut o = org(vec![specialist()]);
        o.settings.checks = vec![(sp("kpi-missing".to_string()), level)];
        score(&o, &rows(), &opts())
    };
    assert!(with(Level::Off).problems.is_empty(), "switched off");
    let s = with(Level::Error);
    assert_eq!(s.errors(), 2, "raised to errors: {:?}", s.problems);
    // A row that cannot be read stays an error whatever [checks] says.
    let mut o = org(vec![specialist()]);
    o.settings.checks = vec![(sp("value".to_string()), Level::Off)];
    let imp = import(vec![long(
        1,
        "cs-specialist",
        "张三",
        "客户满意度",
        Value::Text("很好".into()),
    )]);
    assert_eq!(score(&o, &imp, &opts()).errors(), 1);
}

#[test]
fn weights_that_check_rejects_stop_scoring() {
    let mut p = specialist();
    p.kpis[0].weight = Some(sp(10.0));
    let o = org(vec![p]);
    let imp = import(vec![
        long(
            1,
            "cs-specialist",
            "张三",
            "客户满意度",
            Value::Number(90.0),
        ),
        long(
            2,
            "cs-specialist",
            "张三",
            "投诉处理时效",
            Value::Number(20.0),
        ),
        long(3, "cs-specialist", "张三", "沟通能力", Value::Number(4.0)),
    ]);
    let s = score(&o, &imp, &opts());
    assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
    assert_eq!(s.problems[0].code, "kpi-weights");
    assert_eq!(s.problems[0].severity, Severity::Error);
    assert!(s.scorecards.is_empty());
}

#[test]
fn reports_every_bad_row_with_its_cell() {
    let mut dup_pos = specialist();
    dup_pos.id = "cs-specialist-2".into();
    let o = org(vec![
        specialist(),
        dup_pos,
        position("cs-manager", "客服部经理", vec![]),
    ]);
    let imp = import(vec![
        long(1, "客服主管", "a", "客户满意度", Value::Number(1.0)),
        long(2, "客服专员", "b", "客户满意度", Value::Number(1.0)),
        long(3, "cs-specialist", "c", "客户满意", Value::Number(1.0)),
        long(
            4,
            "cs-specialist",
            "c",
            "客户满意度",
            Value::Text("很好".into()),
        ),
        long(5, "cs-specialist", "d", "沟通能力", Value::Number(6.0)),
        long(6, "cs-specialist", "d", "投诉处理时效", Value::Number(-2.0)),
        long(7, "cs-specialist", "e", "客户满意度", Value::Number(90.0)),
        long(8, "cs-specialist", "e", "客户满意度", Value::Number(91.0)),
    ]);
    let s = score(&o, &imp, &opts());
    let got: Vec<(&str, &str)> = s
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.code, p.at.cell().unwrap().cell.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("position-unknown", "A2"),
            ("position-ambiguous", "A3"),
            ("kpi-unknown", "C4"),
            ("value", "D5"),
            ("value", "D6"),
            ("value", "D7"),
            ("duplicate-row", "D9"),
        ]
    );
    let unknown = &s.problems[2];
    assert_eq!(
        unknown.help,
        vec!["did you mean \"客户满意度\"?".to_string()]
    );
    let dup = &s.problems[6];
    assert_eq!(dup.related[0].at.cell().unwrap().sheet_ref(), "Sheet1!D8");
    assert!(s.scorecards.is_empty(), "every person has an error");
    assert_eq!(s.skipped, 3);
}

#[test]
fn positions_match_by_id_code_or_title() {
    let mut p = specialist();
    p.code = Some(sp("KF-03".into()));
    let o = org(vec![p]);
    for name in ["cs-specialist", "KF-03", "客服专员", " kf-03 "] {
        let imp = import(vec![long(1, name, "x", "客户满意度", Value::Number(90.0))]);
        let s = score(&o, &imp, &opts());
        assert_eq!(s.errors(), 0, "{name}: {:?}", s.problems);
    }
}

#[test]
fn quota_overrun_is_a_warning() {
    let mut o = org(vec![specialist()]);
    o.settings.scoring.quota = vec![("优秀".into(), 0.2)];
    let mut rows = Vec::new();
    for (i, who) in ["a", "b"].iter().enumerate() {
        let r = 1 + 3 * i as u32;
        rows.push(long(
            r,
            "cs-specialist",
            who,
            "客户满意度",
            Value::Number(99.0),
        ));
        rows.push(long(
            r + 1,
            "cs-specialist",
            who,
            "投诉处理时效",
            Value::Number(20.0),
        ));
        rows.push(long(
            r + 2,
            "cs-specialist",
            who,
            "沟通能力",
            Value::Number(5.0),
        ));
    }
    let s = score(&o, &import(rows), &opts());
    assert_eq!(s.errors(), 0);
    assert_eq!(s.problems.len(), 1);
    assert_eq!(s.problems[0].code, "quota");
    assert_eq!(s.problems[0].severity, Severity::Warning);
}

#[test]
fn reads_range_targets() {
    assert_eq!(parse_range("25-35", None), Some((25.0, 35.0)));
    assert_eq!(parse_range("[25, 35]", None), Some((25.0, 35.0)));
    assert_eq!(parse_range("25～35", None), Some((25.0, 35.0)));
    assert_eq!(parse_range("-5-5", None), Some((-5.0, 5.0)));
    assert_eq!(parse_range("abc", None), None);
}

#[test]
fn negatives_are_refused_where_the_unit_or_direction_makes_them_impossible() {
    let v = |t| Some(Target::Value(t));
    let satisfaction = with_unit(kpi("客户满意度", None, v(90.0), Direction::Higher), "%");
    let growth = with_threshold(
        with_unit(kpi("销售增长率", None, v(10.0), Direction::Higher), "%"),
        -10.0,
    );
    let complaints = with_unit(kpi("投诉次数", None, v(5.0), Direction::Higher), "次");
    let cost = with_unit(kpi("费用", None, v(100.0), Direction::Lower), "万元");
    let profit = with_unit(kpi("利润", None, v(500.0), Direction::Higher), "万元");
    for (k, allowed) in [
        (&satisfaction, false),
        (&growth, true),
        (&complaints, false),
        (&cost, false),
        (&profit, true),
    ] {
        assert_eq!(definition::negative_allowed(k), allowed, "{}", k.name.value);
        assert_eq!(check_actual(k, &rule(k), -5.0).is_ok(), allowed);
        assert!(check_actual(k, &rule(k), 0.0).is_ok());
    }
}

#[test]
fn implausible_results_are_beyond_ten_times_the_scale_and_percentages_beyond_1000() {
    let v = |t| Some(Target::Value(t));
    let satisfaction = with_unit(kpi("客户满意度", None, v(90.0), Direction::Higher), "%");
    let r = rule(&satisfaction);
    assert!(implausible(&satisfaction, &r, 1000.0).is_none());
    assert!(implausible(&satisfaction, &r, 1000.5).is_some());
    let sales = with_unit(kpi("销售额", None, v(500.0), Direction::Higher), "万元");
    let r = rule(&sales);
    assert!(implausible(&sales, &r, 5000.0).is_none());
    assert!(implausible(&sales, &r, 5001.0).is_some());
    assert!(implausible(&sales, &r, -5001.0).is_some());
    // A lower KPI's scale reaches its zero point, 2T by default: 10 × 48 h.
    let hours = with_unit(kpi("处理时效", None, v(24.0), Direction::Lower), "h");
    let r = rule(&hours);
    assert!(implausible(&hours, &r, 480.0).is_none());
    assert!(implausible(&hours, &r, 481.0).is_some());
    // Ratings have their scale, checked as an error instead.
    let rating = kpi("沟通能力", None, None, Direction::Rating);
    assert!(implausible(&rating, &rule(&rating), 4.0).is_none());
}
