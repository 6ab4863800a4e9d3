//! The vocabulary: every label, heading and column header rolebook writes, in every output
//! language, and the other names the KPI importer accepts for a column.
//!
//! A [`Term`] is one thing an output names (岗位名称, 权重, 实际值 …) and [`Term::text`] is its
//! text in a language. The handbook's labels ([`crate::render::labels::Labels`]), the
//! scorecards' labels and headers ([`crate::kpi::report`]), the KPI template's header
//! ([`crate::kpi::template`]) and the header names the importer recognises
//! ([`crate::kpi::import`]) are all built from these terms, so the handbook and the scorecards
//! name the same thing the same way, and a header the template writes is one the importer
//! reads. A renamed label, or a new language, is an edit here.
//!
//! Phrases with a value in them (职责二, 5年以上相关工作经验, a cover date) are the functions
//! at the end: word order differs between the languages.

use crate::model::{Date, Direction, Education, Lang};

/// Defines [`Term`], its texts and [`Term::ALL`] from one table, so a term cannot lack a
/// text in some language or be missing from `ALL`.
macro_rules! vocabulary {
    ($( $(#[$doc:meta])* $term:ident => $zh:expr, $en:expr; )*) => {
        /// One thing an output names; its text in a language is [`Term::text`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Term {
            $( $(#[$doc])* $term, )*
        }

        impl Term {
            /// Every term, in the order of the table.
            pub const ALL: &'static [Term] = &[$(Term::$term),*];

            /// The text of the term in `lang`.
            pub const fn text(self, lang: Lang) -> &'static str {
                match lang {
                    Lang::Zh => match self { $(Term::$term => $zh,)* },
                    Lang::En => match self { $(Term::$term => $en,)* },
                }
            }
        }
    };
}

vocabulary! {
    // The handbook: the 职务说明书 form, in the Word document's order, then the front matter.
    /// The form's name, 职务说明书.
    Form => "职务说明书", "Position description";
    /// A position's title; the scorecards' and the KPI template's position-name column.
    PositionTitle => "岗位名称", "Position";
    /// The `code` field.
    PositionCode => "岗位编号", "Position code";
    Department => "所在部门", "Department";
    Headcount => "岗位定员", "Headcount";
    ReportsTo => "直接上级", "Reports to";
    PayGrade => "工资等级", "Pay grade";
    DirectReports => "直接下级", "Direct reports";
    PayType => "薪酬类型", "Pay type";
    StaffSupervised => "所辖人员", "Staff supervised";
    AnalysisDate => "岗位分析日期", "Analysis date";
    /// The `summary` field, 本职.
    Purpose => "本职", "Purpose";
    Duties => "职责与工作任务", "Duties and tasks";
    DutyTitle => "职责表述", "Duty";
    Tasks => "工作任务", "Tasks";
    Assessment => "考核重点", "Assessed on";
    DutyKpis => "相关指标", "KPIs";
    Authorities => "权力", "Authorities";
    Relations => "工作协作关系", "Working relations";
    InternalRelations => "内部协调关系", "Internal";
    ExternalRelations => "外部协调关系", "External";
    Qualifications => "任职资格", "Qualifications";
    Education => "教育水平", "Education";
    Majors => "专业", "Majors";
    Training => "培训经历", "Training";
    Experience => "经验", "Experience";
    Knowledge => "知识", "Knowledge";
    Skills => "技能技巧", "Skills";
    Traits => "个人素质", "Personal qualities";
    Conditions => "其它", "Other";
    Tools => "使用工具/设备", "Tools and equipment";
    Environment => "工作环境", "Work environment";
    Hours => "工作时间特征", "Working hours";
    Records => "所需记录文档", "Records kept";
    /// The KPI section, 考核指标.
    Kpis => "考核指标", "Key performance indicators";
    /// A KPI's name: the handbook's KPI table, the scorecards' and the template's KPI column.
    KpiName => "指标名称", "Indicator";
    Weight => "权重", "Weight";
    Target => "目标值", "Target";
    Unit => "单位", "Unit";
    Notes => "备注", "Notes";
    Level => "职级", "Level";
    HandbookTitle => "岗位职责说明书", "Position Descriptions";
    Contents => "目录", "Contents";
    Chart => "组织结构图", "Organization chart";
    CodeIndex => "岗位编号索引", "Index by position code";
    NoCode => "（无编号）", "(no code)";
    Date => "日期", "Date";
    PositionCount => "岗位数", "Positions";
    EditionInternal => "内部资料 · 注意保密", "Internal · Confidential";
    EditionPublic => "公开版", "Public edition";
    /// Marks a superior from `[external]`, not a position of the organization.
    ExternalSuperior => "外部", "external";
    BackToContents => "返回目录", "Back to contents";
    /// Between the items of an inline list.
    ListSeparator => "、", ", ";
    /// Between a label and its value in running text.
    Colon => "：", ": ";
    /// A PDF page footer; the writer fills in `{page}` and `{total}`.
    PageFooter => "第 {page} 页 / 共 {total} 页", "Page {page} of {total}";

    // The scorecards.
    ScorecardsTitle => "绩效考核计分卡", "KPI scorecards";
    /// The heading of the table of everyone scored.
    Overview => "总览", "Summary";
    Rank => "名次", "Rank";
    /// The position's id (its file stem), the column `score` matches positions on. Chinese
    /// users call it 岗位编号 like the `code` the importer also matches in that column.
    PositionId => Term::PositionCode.text(Lang::Zh), "Position id";
    Employee => "姓名", "Employee";
    Period => "期间", "Period";
    Total => "总分", "Total";
    Grade => "等级", "Grade";
    /// A KPI's direction; the values are [`Term::Higher`] … [`Term::Band`].
    Direction => "方向", "Direction";
    /// The actual value that scores zero.
    Threshold => "零分值", "Zero at";
    Actual => "实际值", "Actual";
    Achievement => "达成率", "Achievement";
    Score => "得分", "Score";
    NoData => "无数据", "no data";
    SkippedRows => "跳过的行", "Skipped rows";
    Warnings => "提示", "Warnings";
    /// After a count of people.
    People => "人", "people";
    Formula => "达成率 a = (实际 − 零分值) ÷ (目标 − 零分值)；得分 = 权重 × min(max(a, 0), 封顶)",
        "achievement a = (actual − zero) ÷ (target − zero); score = weight × min(max(a, 0), cap)";
    DetailsSheet => "明细", "Details";
    /// The sheet of totals, named 总分 like the column.
    TotalsSheet => Term::Total.text(Lang::Zh), "Totals";
    SkippedSheet => "跳过", "Skipped";
    /// Where a skipped row is (`results.xlsx › Sheet1!D7`).
    Place => "位置", "Place";
    /// A problem's code (`kpi-unknown`).
    ProblemCode => "代码", "Code";
    Message => "说明", "Message";

    // Directions, as shown next to a KPI.
    Higher => "越高越好", "higher";
    Lower => "越低越好", "lower";
    Rating => "评分", "rating";
    Band => "区间", "band";

    // The KPI template.
    ResultsSheet => "考核结果", "Results";
    PromptNumber => "请输入数字", "Enter a number";
    PromptPercent => "请输入数字，例如 95 或 95%", "Enter a number, such as 95 or 95%";
    PromptNotNegative => "请输入不小于 0 的数字", "Enter a number of 0 or more";

    // Columns the importer knows and skips, written by people rather than by rolebook.
    RowNumber => "序号", "No.";
    EmployeeId => "员工编号", "Employee id";

    // Keys of the files that the handbook does not show, as the editor schema names them
    // (`rolebook schema`).
    /// `extends`: the template a position takes its other fields from.
    Extends => "模板", "Template";
    /// A KPI's own cap, or `[scoring].cap`.
    Cap => "封顶", "Cap";
    /// The top of a rating KPI's scale.
    Scale => "评分满分", "Rating scale";
    OrgName => "组织名称", "Organization";
    /// `handbook_title`: the setting, not the default title itself ([`Term::HandbookTitle`]).
    HandbookName => "手册标题", "Handbook title";
    Language => "语言", "Language";
    Levels => "职级序列", "Levels";
    Departments => "部门列表", "Departments";
    ExternalSuperiors => "外部上级", "External superiors";
    ReservedDuties => "保留职责", "Reserved duties";
    ReservedDefaults => "内置保留职责", "Built-in reserved duties";
    RuleName => "规则名称", "Rule name";
    Keywords => "关键词", "Keywords";
    MinLevel => "最低职级", "Minimum level";
    Confidential => "保密字段", "Confidential fields";
    FieldNames => "字段", "Fields";
    Scoring => "计分规则", "Scoring";
    Bands => "等级划分", "Grade bands";
    BandMin => "最低分", "Minimum score";
    Quota => "强制分布", "Forced distribution";
    Checks => "检查级别", "Check severities";
    PdfFonts => "PDF 字体", "PDF fonts";
    Font => "字体", "Font";
    BoldFont => "粗体字体", "Bold font";
}

impl Term {
    /// How a KPI's direction is shown: 越高越好 / higher …
    pub const fn direction(d: Direction) -> Term {
        match d {
            Direction::Higher => Term::Higher,
            Direction::Lower => Term::Lower,
            Direction::Rating => Term::Rating,
            Direction::Band => Term::Band,
        }
    }

    /// Other names for the term that a workbook's header may use, beyond its text in every
    /// language (matched as [`crate::kpi::import::normalize`] does: case, width and spaces
    /// do not matter).
    pub const fn aliases(self) -> &'static [&'static str] {
        match self {
            Term::PositionTitle => &["岗位"],
            Term::Employee => &["员工", "员工姓名", "name"],
            Term::Period => &["考核期间", "考核周期"],
            Term::KpiName => &["指标", "kpi"],
            Term::Actual => &["实际", "完成值"],
            Term::Target => &["目标"],
            Term::Department => &["部门"],
            Term::Threshold => &["阈值", "threshold"],
            Term::Notes => &["说明", "note", "remark", "remarks"],
            Term::RowNumber => &["no", "#"],
            Term::EmployeeId => &["工号"],
            _ => &[],
        }
    }
}

impl Term {
    /// The labels of the 职务说明书 form, in the form's order: the terms `rolebook import`
    /// reads in a Word document or pasted text.
    pub const FORM: &'static [Term] = &[
        Term::PositionTitle,
        Term::PositionCode,
        Term::Department,
        Term::Headcount,
        Term::ReportsTo,
        Term::PayGrade,
        Term::DirectReports,
        Term::PayType,
        Term::StaffSupervised,
        Term::AnalysisDate,
        Term::Level,
        Term::Purpose,
        Term::Duties,
        Term::DutyTitle,
        Term::Tasks,
        Term::Assessment,
        Term::Authorities,
        Term::Relations,
        Term::InternalRelations,
        Term::ExternalRelations,
        Term::Qualifications,
        Term::Education,
        Term::Majors,
        Term::Training,
        Term::Experience,
        Term::Knowledge,
        Term::Skills,
        Term::Traits,
        Term::Conditions,
        Term::Tools,
        Term::Environment,
        Term::Hours,
        Term::Records,
        Term::Kpis,
        Term::Notes,
        Term::RowNumber,
        Term::KpiName,
        Term::Weight,
        Term::Target,
        Term::Unit,
    ];

    /// Other names companies give a label of the form, beyond its text in every language:
    /// the one dictionary `rolebook import` reads labels by. In pasted text, where labels run
    /// into their values, only names of three characters or more are looked for inside a
    /// line, beside the terms' own texts.
    pub const fn form_aliases(self) -> &'static [&'static str] {
        match self {
            Term::PositionTitle => &["职务名称", "职位名称"],
            Term::PositionCode => &["职务编号", "职位编码", "职位编号", "岗位编码", "岗位代码"],
            Term::Department => &["所属部门", "部门", "部门名称"],
            Term::Headcount => &["定员", "编制", "岗位编制", "定编人数", "人数"],
            Term::ReportsTo => &[
                "汇报对象",
                "直接上级岗位",
                "上级岗位",
                "汇报上级",
                "直接领导",
            ],
            Term::PayGrade => &["薪资等级", "工资级别", "薪酬等级"],
            Term::DirectReports => &["直接下属", "下属岗位", "直接下级岗位"],
            Term::PayType => &["薪资类型", "工资类型"],
            Term::StaffSupervised => &["所辖人数", "管辖人员", "管理人数"],
            Term::AnalysisDate => &["分析日期", "编制日期", "编写日期", "岗位分析时间"],
            Term::Level => &["职等", "岗位级别", "岗位等级"],
            Term::Purpose => &[
                "岗位目的",
                "职位概要",
                "岗位概述",
                "职位目的",
                "岗位概要",
                "工作概述",
                "岗位使命",
                "职位概述",
            ],
            Term::Duties => &[
                "职责",
                "主要职责",
                "工作职责",
                "岗位职责",
                "职责范围",
                "职责与任务",
                "职责描述及工作任务",
            ],
            Term::DutyTitle => &["职责描述", "职责内容"],
            Term::Tasks => &["工作内容", "具体任务", "主要任务"],
            Term::Assessment => &["考核要点", "考核标准", "绩效标准", "衡量标准"],
            Term::Authorities => &["权限", "工作权限", "职权", "岗位权限", "职责权限"],
            Term::Relations => &["工作关系", "协作关系", "工作联系"],
            Term::InternalRelations => &["内部关系", "内部协调", "内部沟通", "内部联系"],
            Term::ExternalRelations => &["外部关系", "外部协调", "外部沟通", "外部联系"],
            Term::Qualifications => &["任职条件", "任职要求", "岗位要求"],
            Term::Education => &["学历", "学历要求", "最低学历", "教育背景"],
            Term::Majors => &["专业要求", "所学专业"],
            Term::Training => &["培训", "培训要求"],
            Term::Experience => &["工作经验", "经验要求", "工作经历"],
            Term::Knowledge => &["知识要求", "专业知识"],
            Term::Skills => &["技能", "技能要求", "能力要求"],
            Term::Traits => &["素质要求", "个性特征", "个人素养"],
            Term::Conditions => &["其他", "工作条件", "其他条件"],
            Term::Tools => &["使用工具", "工具设备", "工作设备", "使用设备"],
            Term::Environment => &["工作场所"],
            Term::Hours => &["工作时间"],
            Term::Records => &["记录文档", "所需记录"],
            Term::Kpis => &[
                "绩效指标",
                "考核内容",
                "关键绩效指标",
                "绩效考核指标",
                "KPI",
            ],
            Term::Notes => &["附注", "说明"],
            Term::KpiName => &["考核指标名称", "指标", "KPI名称", "考核项目"],
            Term::Weight => &["权重(%)", "权重（%）", "权重%", "比重"],
            Term::Target => &["目标", "考核目标", "目标值(%)"],
            _ => &[],
        }
    }

    /// Columns of a table of KPIs: read in Word tables only, never inside pasted lines
    /// (单位 is in 设计单位, 目标 in 目标客户).
    pub const fn kpi_column(self) -> bool {
        matches!(
            self,
            Term::KpiName | Term::Weight | Term::Target | Term::Unit
        )
    }
}

/// The language tag of an HTML page (`<html lang>`).
pub const fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh-CN",
        Lang::En => "en",
    }
}

/// 职责一, 职责二, … / Duty 1, Duty 2, …
pub fn duty_number(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("职责{}", chinese_number(n)),
        Lang::En => format!("Duty {n}"),
    }
}

/// The heading above a form: 客服部经理职务说明书 / Position description: 客服部经理.
pub fn form_heading(lang: Lang, title: &str) -> String {
    let form = Term::Form.text(lang);
    match lang {
        Lang::Zh => format!("{title}{form}"),
        Lang::En => format!("{form}: {title}"),
    }
}

/// 教育水平 as a minimum: 本科及以上 / Bachelor's degree or above.
pub fn education(lang: Lang, e: Education) -> String {
    match lang {
        Lang::Zh => format!("{}及以上", e.zh()),
        Lang::En => {
            let name = match e {
                Education::HighSchool => "High school",
                Education::Vocational => "Vocational school",
                Education::Associate => "Associate degree",
                Education::Bachelor => "Bachelor's degree",
                Education::Master => "Master's degree",
                Education::Doctorate => "Doctorate",
            };
            format!("{name} or above")
        }
    }
}

/// 经验 from the numbers of years, when no text is given.
pub fn experience(lang: Lang, years: Option<&str>, management: Option<&str>) -> Option<String> {
    let en = lang == Lang::En;
    let mut out = match years {
        Some(y) if en => format!("{y}+ years of relevant experience"),
        Some(y) => format!("{y}年以上相关工作经验"),
        None => String::new(),
    };
    if let Some(m) = management {
        if !out.is_empty() {
            out.push_str(if en { ", " } else { "，" });
        }
        if en {
            out.push_str(&format!("{m}+ years in management"));
        } else {
            out.push_str(&format!("{m}年以上管理经验"));
        }
    }
    (!out.is_empty()).then_some(out)
}

/// A cover date: 2024年1月22日 / 2024-01-22.
pub fn date(lang: Lang, d: Date) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year, d.month, d.day),
        Lang::En => d.to_string(),
    }
}

/// After a list cut short: 等（共12个岗位） / … (12 positions in all).
pub fn and_more(lang: Lang, total: usize) -> String {
    match lang {
        Lang::Zh => format!("等（共{total}个岗位）"),
        Lang::En => format!(" … ({total} positions in all)"),
    }
}

/// The input message of a rating cell in the KPI template: 评分：0 到 5 / Rating: 0 to 5.
pub fn rating_prompt(lang: Lang, scale: &str) -> String {
    let (rating, colon) = (Term::Rating.text(lang), Term::Colon.text(lang));
    match lang {
        Lang::Zh => format!("{rating}{colon}0 到 {scale}"),
        Lang::En => format!("Rating{colon}0 to {scale}"),
    }
}

/// 1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 105 -> 一百零五.
pub fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const UNITS: [&str; 4] = ["", "十", "百", "千"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let digits: Vec<usize> = n.to_string().bytes().map(|b| (b - b'0') as usize).collect();
    let len = digits.len();
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in digits.iter().enumerate() {
        let unit = len - 1 - i;
        if d == 0 {
            zero = true;
            continue;
        }
        if zero && !out.is_empty() {
            out.push_str(DIGITS[0]);
        }
        zero = false;
        // 十一, not 一十一, when ten leads.
        if !(d == 1 && unit == 1 && i == 0) {
            out.push_str(DIGITS[d]);
        }
        out.push_str(UNITS[unit]);
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const LANGS: [Lang; 2] = [Lang::Zh, Lang::En];

    #[test]
    fn every_term_has_a_text_in_every_language() {
        for lang in LANGS {
            for t in Term::ALL {
                let s = t.text(lang);
                assert!(!s.trim().is_empty(), "{t:?} in {lang:?}");
                assert_eq!(s, s.trim_start(), "{t:?} in {lang:?}");
            }
        }
    }

    /// Two terms with one text would be one label for two things: only where a language
    /// names two things alike on purpose (the doc comment of the term says why).
    #[test]
    fn terms_are_distinct_within_a_language() {
        let alike = [
            (Lang::Zh, Term::PositionId, Term::PositionCode),
            (Lang::Zh, Term::TotalsSheet, Term::Total),
        ];
        for lang in LANGS {
            let mut seen: HashMap<&str, Term> = HashMap::new();
            for &t in Term::ALL {
                if let Some(&first) = seen.get(t.text(lang)) {
                    assert!(
                        alike.contains(&(lang, t, first)),
                        "{first:?} and {t:?} are both {:?} in {lang:?}",
                        t.text(lang)
                    );
                } else {
                    seen.insert(t.text(lang), t);
                }
            }
        }
    }

    #[test]
    fn the_languages_differ_where_chinese_is_written() {
        for t in Term::ALL {
            let (zh, en) = (t.text(Lang::Zh), t.text(Lang::En));
            if zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                assert!(
                    !en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{t:?}: the English text has Chinese in it: {en}"
                );
            }
        }
    }

    /// One dictionary: a label the importer reads names one field only.
    #[test]
    fn form_labels_name_one_term_each() {
        let mut seen: HashMap<String, Term> = HashMap::new();
        for &t in Term::FORM {
            let texts = [t.text(Lang::Zh), t.text(Lang::En)];
            for s in texts.iter().chain(t.form_aliases()) {
                let key = s.to_lowercase();
                if let Some(first) = seen.insert(key.clone(), t) {
                    assert_eq!(first, t, "{key} names {first:?} and {t:?}");
                }
            }
        }
    }

    #[test]
    fn directions_read_as_words() {
        assert_eq!(Term::direction(Direction::Lower).text(Lang::Zh), "越低越好");
        assert_eq!(Term::direction(Direction::Band).text(Lang::En), "band");
        assert_eq!(rating_prompt(Lang::Zh, "5"), "评分：0 到 5");
        assert_eq!(rating_prompt(Lang::En, "10"), "Rating: 0 to 10");
    }

    #[test]
    fn duties_are_numbered_in_chinese() {
        let cases = [
            (1, "一"),
            (6, "六"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (21, "二十一"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (1001, "一千零一"),
        ];
        for (n, zh) in cases {
            assert_eq!(chinese_number(n), zh, "{n}");
        }
        assert_eq!(duty_number(Lang::Zh, 2), "职责二");
        assert_eq!(duty_number(Lang::En, 2), "Duty 2");
        assert_eq!(and_more(Lang::Zh, 12), "等（共12个岗位）");
    }
}
