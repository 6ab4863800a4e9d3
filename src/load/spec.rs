//! The keys of a position file and of `_org.toml`: name, type, label and a line of help in
//! both languages, in one table per TOML table.
//!
//! The loader reads by these tables ([`super::fields::Fields`] knows the keys of the table it
//! reads: any other key is an unknown key, and in debug builds reading a key that is not listed,
//! or as another type than listed, panics), and `rolebook schema` writes the editors' JSON
//! Schema from them ([`crate::schema`]), so the keys an editor completes are the keys `check`
//! accepts.

use crate::vocab::Term;

/// What a key's value is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Text,
    /// One of these words.
    Choice(&'static [&'static str]),
    /// A level name: one of `_org.toml` `levels`, checked by `check`, not by the loader.
    Level,
    /// A name of the education scale, or a phrase holding exactly one.
    Education,
    /// A list of texts.
    Texts,
    /// A whole number of at least `min`.
    Whole {
        min: i64,
    },
    /// A number, within the bounds given: only the bounds the loader itself enforces (a
    /// weight out of range is a `check` finding about a file that loads, so not a bound here).
    Number {
        min: Option<f64>,
        max: Option<f64>,
    },
    /// A KPI target: a number, or `[low, high]`.
    Target,
    /// A TOML date (`2024-01-22`, no quotes).
    Date,
    Bool,
    /// A sub-table (`[qualifications]`) with these keys.
    Table(&'static [Key]),
    /// An array of tables (`[[duties]]`), each with these keys.
    Tables(&'static [Key]),
    /// A table whose keys are free (ids, grade labels), each value of this kind.
    Map(&'static Kind),
    /// `[checks]`: check codes, each with a severity (the codes are the rule registry's).
    Checks,
}

/// One key of a table.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Its label, the handbook's word for it.
    pub label: Term,
    /// What to write, in a line: Chinese, then English.
    pub zh: &'static str,
    pub en: &'static str,
}

const fn key(
    name: &'static str,
    kind: Kind,
    label: Term,
    zh: &'static str,
    en: &'static str,
) -> Key {
    Key {
        name,
        kind,
        required: false,
        label,
        zh,
        en,
    }
}

const fn required(
    name: &'static str,
    kind: Kind,
    label: Term,
    zh: &'static str,
    en: &'static str,
) -> Key {
    Key {
        required: true,
        ..key(name, kind, label, zh, en)
    }
}

/// The names of a table's keys, in order.
pub fn names(keys: &[Key]) -> Vec<&'static str> {
    keys.iter().map(|k| k.name).collect()
}

/// The key called `name`.
pub fn find<'k>(keys: &'k [Key], name: &str) -> Option<&'k Key> {
    keys.iter().find(|k| k.name == name)
}

const YEARS: Kind = Kind::Number {
    min: Some(0.0),
    max: None,
};
const ANY_NUMBER: Kind = Kind::Number {
    min: None,
    max: None,
};

/// The top level of a position file.
pub const POSITION: &[Key] = &[
    required(
        "title",
        Kind::Text,
        Term::PositionTitle,
        "岗位名称，例如 \"客服专员\"；以职级结尾时可省略 level",
        "the position's title, e.g. \"客服专员\"; ending in a level name lets you leave out level",
    ),
    key(
        "code",
        Kind::Text,
        Term::PositionCode,
        "岗位编号，例如 \"KF-01\"；填写时须唯一",
        "the position's code, e.g. \"KF-01\"; unique when given",
    ),
    required(
        "department",
        Kind::Text,
        Term::Department,
        "所在部门，例如 \"客服部\"",
        "the department, e.g. \"客服部\"",
    ),
    key(
        "level",
        Kind::Level,
        Term::Level,
        "职级：_org.toml 中 levels 之一；省略时由岗位名称结尾推断",
        "one of the levels of _org.toml; inferred from the end of the title when left out",
    ),
    key(
        "reports_to",
        Kind::Text,
        Term::ReportsTo,
        "直接上级：上级岗位的编号（文件名），或 _org.toml [external] 中的编号；仅最高岗位可省略",
        "the superior: a position id (its file name) or an id of [external] in _org.toml; left out only at the top",
    ),
    key(
        "headcount",
        Kind::Whole { min: 1 },
        Term::Headcount,
        "岗位定员：本岗位的人数，至少 1",
        "how many people hold the position, 1 or more",
    ),
    key(
        "pay_grade",
        Kind::Text,
        Term::PayGrade,
        "工资等级（保密：公开版手册不显示）",
        "the pay grade (confidential: not in the public edition)",
    ),
    key(
        "pay_type",
        Kind::Text,
        Term::PayType,
        "薪酬类型，例如 \"年薪制\"（保密：公开版手册不显示）",
        "the pay type, e.g. \"年薪制\" (confidential: not in the public edition)",
    ),
    key(
        "analysis_date",
        Kind::Date,
        Term::AnalysisDate,
        "岗位分析日期，TOML 日期，不加引号：2024-01-22",
        "the date of the job analysis, a TOML date without quotes: 2024-01-22",
    ),
    required(
        "summary",
        Kind::Text,
        Term::Purpose,
        "本职：一句话写明本岗位的目的",
        "the position's purpose in one sentence",
    ),
    key(
        "authorities",
        Kind::Texts,
        Term::Authorities,
        "权力：决定权、审核权、建议权……，每项一条",
        "the position's authorities (decides, approves, proposes …), one per item",
    ),
    key(
        "notes",
        Kind::Text,
        Term::Notes,
        "备注",
        "notes shown at the end of the form",
    ),
    key(
        "extends",
        Kind::Text,
        Term::Extends,
        "模板：从该模板（positions/_templates/ 中的编号）继承本文件未写的字段",
        "a template id (positions/_templates/): the fields this file leaves out are taken from it",
    ),
    key(
        "duties",
        Kind::Tables(DUTY),
        Term::Duties,
        "职责与工作任务：每个 [[duties]] 是一项职责，按顺序排列（职责一、职责二……）",
        "the duties in order: each [[duties]] block is one duty",
    ),
    key(
        "relations",
        Kind::Table(RELATIONS),
        Term::Relations,
        "工作协作关系",
        "whom the position works with",
    ),
    key(
        "qualifications",
        Kind::Table(QUALIFICATIONS),
        Term::Qualifications,
        "任职资格",
        "what the position requires of the person",
    ),
    key(
        "conditions",
        Kind::Table(CONDITIONS),
        Term::Conditions,
        "其它：工具、环境、时间、记录",
        "tools, environment, hours and records",
    ),
    key(
        "kpis",
        Kind::Tables(KPI),
        Term::Kpis,
        "考核指标：每个 [[kpis]] 是一项指标，权重合计 100",
        "the KPIs: each [[kpis]] block is one indicator; weights sum to 100",
    ),
];

/// A `[[duties]]` entry.
pub const DUTY: &[Key] = &[
    required(
        "title",
        Kind::Text,
        Term::DutyTitle,
        "职责表述，例如 \"客户服务制度建设\"",
        "the duty in a few words",
    ),
    key(
        "tasks",
        Kind::Texts,
        Term::Tasks,
        "工作任务：至少一项",
        "the tasks of the duty, at least one",
    ),
    key(
        "assessment",
        Kind::Text,
        Term::Assessment,
        "考核重点",
        "what the duty is assessed on",
    ),
    key(
        "kpis",
        Kind::Texts,
        Term::DutyKpis,
        "相关指标：衡量本职责的 [[kpis]] 名称",
        "names of this position's [[kpis]] that measure the duty",
    ),
];

/// A `[[kpis]]` entry.
pub const KPI: &[Key] = &[
    required(
        "name",
        Kind::Text,
        Term::KpiName,
        "指标名称，岗位内唯一",
        "the indicator's name, unique within the position",
    ),
    key(
        "weight",
        ANY_NUMBER,
        Term::Weight,
        "权重（百分数）：一个岗位的权重合计 100",
        "the weight in percent; a position's weights sum to 100",
    ),
    key(
        "target",
        Kind::Target,
        Term::Target,
        "目标值：得满分的值；区间指标写 [下限, 上限]",
        "the value that earns full marks; [low, high] for a band KPI",
    ),
    key(
        "unit",
        Kind::Text,
        Term::Unit,
        "单位，例如 \"%\"",
        "the unit, e.g. \"%\"",
    ),
    key(
        "direction",
        Kind::Choice(&crate::model::Direction::NAMES),
        Term::Direction,
        "方向：higher 越高越好（默认）、lower 越低越好、rating 评分、band 区间",
        "higher is better (default), lower is better, rating on a scale, or band (a range)",
    ),
    key(
        "threshold",
        ANY_NUMBER,
        Term::Threshold,
        "零分值：得零分的实际值（见 kpi-scoring.md）",
        "the actual value that scores zero (kpi-scoring.md)",
    ),
    key(
        "cap",
        ANY_NUMBER,
        Term::Cap,
        "封顶：本指标的达成率上限，覆盖 [scoring].cap，1.2 即 120%",
        "this KPI's cap on achievement, overriding [scoring].cap; 1.2 means 120 %",
    ),
    key(
        "scale",
        ANY_NUMBER,
        Term::Scale,
        "评分满分：rating 指标评分的最高分（默认 5）",
        "rating KPIs only: the top of the rating scale (default 5)",
    ),
];

/// `[relations]`.
pub const RELATIONS: &[Key] = &[
    key(
        "internal",
        Kind::Texts,
        Term::InternalRelations,
        "内部协调关系，例如 [\"财务部\", \"销售部\"]",
        "whom the position works with inside, e.g. [\"财务部\", \"销售部\"]",
    ),
    key(
        "external",
        Kind::Texts,
        Term::ExternalRelations,
        "外部协调关系，例如 [\"客户\", \"供应商\"]",
        "whom the position works with outside, e.g. [\"客户\", \"供应商\"]",
    ),
];

/// `[qualifications]`.
pub const QUALIFICATIONS: &[Key] = &[
    key(
        "education",
        Kind::Education,
        Term::Education,
        "教育水平：高中 < 中专 < 大专（专科）< 本科 < 硕士 < 博士",
        "the education required: high-school < vocational < associate < bachelor < master < doctorate",
    ),
    key(
        "majors",
        Kind::Texts,
        Term::Majors,
        "专业",
        "the fields of study",
    ),
    key(
        "training",
        Kind::Texts,
        Term::Training,
        "培训经历",
        "the training required",
    ),
    key(
        "experience_years",
        YEARS,
        Term::Experience,
        "经验：最少相关工作年限",
        "the minimum years of relevant work",
    ),
    key(
        "management_years",
        YEARS,
        Term::Experience,
        "经验：其中最少管理年限",
        "of which the minimum years in management",
    ),
    key(
        "experience",
        Kind::Text,
        Term::Experience,
        "经验（文字说明）",
        "the experience required, in words",
    ),
    key(
        "knowledge",
        Kind::Text,
        Term::Knowledge,
        "知识",
        "the knowledge required",
    ),
    key(
        "skills",
        Kind::Text,
        Term::Skills,
        "技能技巧",
        "the skills required",
    ),
    key(
        "traits",
        Kind::Texts,
        Term::Traits,
        "个人素质，例如 [\"领导能力\"]",
        "the personal qualities required, e.g. [\"领导能力\"]",
    ),
];

/// `[conditions]`.
pub const CONDITIONS: &[Key] = &[
    key(
        "tools",
        Kind::Texts,
        Term::Tools,
        "使用工具/设备",
        "the tools and equipment used",
    ),
    key(
        "environment",
        Kind::Text,
        Term::Environment,
        "工作环境",
        "where the work is done",
    ),
    key(
        "hours",
        Kind::Text,
        Term::Hours,
        "工作时间特征",
        "what the working hours are like",
    ),
    key(
        "records",
        Kind::Texts,
        Term::Records,
        "所需记录文档",
        "the records the position keeps",
    ),
];

/// The top level of `_org.toml`.
pub const ORG: &[Key] = &[
    key(
        "name",
        Kind::Text,
        Term::OrgName,
        "组织名称，显示在手册封面",
        "the organization's name, shown on the handbook's cover",
    ),
    key(
        "handbook_title",
        Kind::Text,
        Term::HandbookName,
        "手册标题（默认 \"岗位职责说明书\"）",
        "the handbook's title (default \"岗位职责说明书\")",
    ),
    key(
        "lang",
        Kind::Choice(&crate::model::Lang::NAMES),
        Term::Language,
        "输出中标签的语言：zh（默认）或 en",
        "the language of the labels in outputs: zh (default) or en",
    ),
    required(
        "levels",
        Kind::Texts,
        Term::Levels,
        "职级，由低到高，例如 [\"专员\", \"主管\", \"经理\", \"总监\"]",
        "the levels, lowest first, e.g. [\"专员\", \"主管\", \"经理\", \"总监\"]",
    ),
    key(
        "departments",
        Kind::Texts,
        Term::Departments,
        "部门列表：填写时每个岗位的部门必须在其中",
        "the departments; when given, every position's department must be one of them",
    ),
    key(
        "external",
        Kind::Map(&Kind::Table(EXTERNAL)),
        Term::ExternalSuperiors,
        "本手册之外的上级：编号 = { title = \"营销总监\", level = \"总监\" }",
        "superiors outside this handbook: id = { title = \"营销总监\", level = \"总监\" }",
    ),
    key(
        "reserved",
        Kind::Tables(RESERVED),
        Term::ReservedDuties,
        "保留职责：只允许某职级及以上承担的职责",
        "duties reserved for a minimum level",
    ),
    key(
        "reserved_defaults",
        Kind::Bool,
        Term::ReservedDefaults,
        "是否使用内置保留职责（默认 true）",
        "whether the built-in reserved duties apply (default true)",
    ),
    key(
        "confidential",
        Kind::Table(CONFIDENTIAL),
        Term::Confidential,
        "公开版手册不显示的字段",
        "the fields the public edition leaves out",
    ),
    key(
        "scoring",
        Kind::Table(SCORING),
        Term::Scoring,
        "KPI 计分规则（见 kpi-scoring.md）",
        "how KPIs are scored (kpi-scoring.md)",
    ),
    key(
        "checks",
        Kind::Checks,
        Term::Checks,
        "检查的级别：检查代码 = \"error\" | \"warning\" | \"info\" | \"off\"",
        "the severity of checks: check code = \"error\" | \"warning\" | \"info\" | \"off\"",
    ),
    key(
        "pdf",
        Kind::Table(PDF),
        Term::PdfFonts,
        "handbook.pdf 与 scorecards.pdf 的字体",
        "the fonts of handbook.pdf and scorecards.pdf",
    ),
];

/// An `[external]` superior.
pub const EXTERNAL: &[Key] = &[
    required(
        "title",
        Kind::Text,
        Term::PositionTitle,
        "上级的岗位名称，例如 \"营销总监\"",
        "the superior's title, e.g. \"营销总监\"",
    ),
    key(
        "level",
        Kind::Level,
        Term::Level,
        "上级的职级：levels 之一；省略时由岗位名称推断",
        "the superior's level, one of levels; inferred from the title when left out",
    ),
];

/// A `[[reserved]]` entry.
pub const RESERVED: &[Key] = &[
    required(
        "name",
        Kind::Text,
        Term::RuleName,
        "保留职责的名称，例如 \"招投标管理\"",
        "the reserved duty's name, e.g. \"招投标管理\"",
    ),
    key(
        "keywords",
        Kind::Texts,
        Term::Keywords,
        "标志该职责的关键词",
        "the words that mark the duty",
    ),
    required(
        "min_level",
        Kind::Level,
        Term::MinLevel,
        "允许承担该职责的最低职级：levels 之一",
        "the lowest level allowed the duty, one of levels",
    ),
];

/// `[confidential]`.
pub const CONFIDENTIAL: &[Key] = &[key(
    "fields",
    Kind::Texts,
    Term::FieldNames,
    "字段名，例如 [\"pay_grade\", \"qualifications.experience\"]",
    "field names, e.g. [\"pay_grade\", \"qualifications.experience\"]",
)];

/// `[scoring]`.
pub const SCORING: &[Key] = &[
    key(
        "cap",
        Kind::Number {
            min: Some(1.0),
            max: None,
        },
        Term::Cap,
        "达成率上限，1.2 即 120%",
        "the cap on achievement; 1.2 means 120 %",
    ),
    key(
        "bands",
        Kind::Tables(BAND),
        Term::Bands,
        "总分等级：{ min = 90, label = \"优秀\" } ……",
        "grades of the total: { min = 90, label = \"优秀\" } …",
    ),
    key(
        "quota",
        Kind::Map(&Kind::Number {
            min: Some(0.0),
            max: Some(1.0),
        }),
        Term::Quota,
        "各等级人数占比上限：等级 = 0.2 即 20%",
        "the largest share of people per grade: grade = 0.2 means 20 %",
    ),
];

/// A `[scoring]` band.
pub const BAND: &[Key] = &[
    key(
        "min",
        ANY_NUMBER,
        Term::BandMin,
        "该等级的最低总分",
        "the lowest total of the grade",
    ),
    required(
        "label",
        Kind::Text,
        Term::Grade,
        "等级名称，例如 \"优秀\"",
        "the grade's name, e.g. \"优秀\"",
    ),
];

/// `[pdf]`.
pub const PDF: &[Key] = &[
    key(
        "font",
        Kind::Text,
        Term::Font,
        "TrueType 字体文件（.ttf），相对于本文件夹",
        "a TrueType font file (.ttf), relative to this folder",
    ),
    key(
        "bold_font",
        Kind::Text,
        Term::BoldFont,
        "粗体字体文件（.ttf）；省略时粗体用 font",
        "the bold font file (.ttf); without it bold text uses font",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> Vec<(&'static str, &'static [Key])> {
        let mut out = vec![("position", POSITION), ("_org.toml", ORG)];
        let mut i = 0;
        while i < out.len() {
            for k in out[i].1 {
                match k.kind {
                    Kind::Table(keys) | Kind::Tables(keys) | Kind::Map(&Kind::Table(keys)) => {
                        out.push((k.name, keys))
                    }
                    _ => {}
                }
            }
            i += 1;
        }
        out
    }

    #[test]
    fn every_key_is_named_once_and_described_in_both_languages() {
        for (table, keys) in tables() {
            for (i, k) in keys.iter().enumerate() {
                assert!(
                    !keys[..i].iter().any(|o| o.name == k.name),
                    "{table}: `{}` twice",
                    k.name
                );
                assert!(!k.zh.is_empty() && !k.en.is_empty(), "{table}.{}", k.name);
                assert!(
                    !k.zh.contains('\n') && !k.en.contains('\n'),
                    "one line each"
                );
            }
        }
    }
}
