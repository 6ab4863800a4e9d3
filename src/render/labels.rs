//! The words around the data: form labels and handbook headings, in Chinese and English.

use serde::Serialize;

use crate::model::{Education, Lang};

/// Every label a template may show (`{{ labels.summary }}`).
#[derive(Debug, Clone, Serialize)]
pub struct Labels {
    pub lang: &'static str,
    pub form: &'static str,
    pub title: &'static str,
    pub code: &'static str,
    pub department: &'static str,
    pub headcount: &'static str,
    pub reports_to: &'static str,
    pub pay_grade: &'static str,
    pub direct_reports: &'static str,
    pub pay_type: &'static str,
    pub staff_supervised: &'static str,
    pub analysis_date: &'static str,
    pub summary: &'static str,
    pub duties: &'static str,
    pub duty_title: &'static str,
    pub tasks: &'static str,
    pub assessment: &'static str,
    pub duty_kpis: &'static str,
    pub authorities: &'static str,
    pub relations: &'static str,
    pub internal: &'static str,
    pub external: &'static str,
    pub qualifications: &'static str,
    pub education: &'static str,
    pub majors: &'static str,
    pub training: &'static str,
    pub experience: &'static str,
    pub knowledge: &'static str,
    pub skills: &'static str,
    pub traits: &'static str,
    pub conditions: &'static str,
    pub tools: &'static str,
    pub environment: &'static str,
    pub hours: &'static str,
    pub records: &'static str,
    pub kpis: &'static str,
    pub kpi_name: &'static str,
    pub kpi_weight: &'static str,
    pub kpi_target: &'static str,
    pub kpi_unit: &'static str,
    pub notes: &'static str,
    pub level: &'static str,
    pub handbook_title: &'static str,
    pub contents: &'static str,
    pub chart: &'static str,
    pub code_index: &'static str,
    pub no_code: &'static str,
    pub date: &'static str,
    pub positions: &'static str,
    pub edition_internal: &'static str,
    pub edition_public: &'static str,
    pub external_superior: &'static str,
    pub back: &'static str,
    pub separator: &'static str,
}

pub const ZH: Labels = Labels {
    lang: "zh-CN",
    form: "职务说明书",
    title: "岗位名称",
    code: "岗位编号",
    department: "所在部门",
    headcount: "岗位定员",
    reports_to: "直接上级",
    pay_grade: "工资等级",
    direct_reports: "直接下级",
    pay_type: "薪酬类型",
    staff_supervised: "所辖人员",
    analysis_date: "岗位分析日期",
    summary: "本职",
    duties: "职责与工作任务",
    duty_title: "职责表述",
    tasks: "工作任务",
    assessment: "考核重点",
    duty_kpis: "相关指标",
    authorities: "权力",
    relations: "工作协作关系",
    internal: "内部协调关系",
    external: "外部协调关系",
    qualifications: "任职资格",
    education: "教育水平",
    majors: "专业",
    training: "培训经历",
    experience: "经验",
    knowledge: "知识",
    skills: "技能技巧",
    traits: "个人素质",
    conditions: "其它",
    tools: "使用工具/设备",
    environment: "工作环境",
    hours: "工作时间特征",
    records: "所需记录文档",
    kpis: "考核指标",
    kpi_name: "指标名称",
    kpi_weight: "权重",
    kpi_target: "目标值",
    kpi_unit: "单位",
    notes: "备注",
    level: "职级",
    handbook_title: "岗位职责说明书",
    contents: "目录",
    chart: "组织结构图",
    code_index: "岗位编号索引",
    no_code: "（无编号）",
    date: "日期",
    positions: "岗位数",
    edition_internal: "内部资料 · 注意保密",
    edition_public: "公开版",
    external_superior: "外部",
    back: "返回目录",
    separator: "、",
};

pub const EN: Labels = Labels {
    lang: "en",
    form: "Position description",
    title: "Position",
    code: "Position code",
    department: "Department",
    headcount: "Headcount",
    reports_to: "Reports to",
    pay_grade: "Pay grade",
    direct_reports: "Direct reports",
    pay_type: "Pay type",
    staff_supervised: "Staff supervised",
    analysis_date: "Analysis date",
    summary: "Purpose",
    duties: "Duties and tasks",
    duty_title: "Duty",
    tasks: "Tasks",
    assessment: "Assessed on",
    duty_kpis: "KPIs",
    authorities: "Authorities",
    relations: "Working relations",
    internal: "Internal",
    external: "External",
    qualifications: "Qualifications",
    education: "Education",
    majors: "Majors",
    training: "Training",
    experience: "Experience",
    knowledge: "Knowledge",
    skills: "Skills",
    traits: "Personal qualities",
    conditions: "Other",
    tools: "Tools and equipment",
    environment: "Work environment",
    hours: "Working hours",
    records: "Records kept",
    kpis: "Key performance indicators",
    kpi_name: "Indicator",
    kpi_weight: "Weight",
    kpi_target: "Target",
    kpi_unit: "Unit",
    notes: "Notes",
    level: "Level",
    handbook_title: "Position Descriptions",
    contents: "Contents",
    chart: "Organization chart",
    code_index: "Index by position code",
    no_code: "(no code)",
    date: "Date",
    positions: "Positions",
    edition_internal: "Internal · Confidential",
    edition_public: "Public edition",
    external_superior: "external",
    back: "Back to contents",
    separator: ", ",
};

impl Labels {
    pub fn of(lang: Lang) -> &'static Labels {
        match lang {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// 职责一, 职责二, … / Duty 1, Duty 2, …
    pub fn duty_number(&self, n: usize) -> String {
        if self.lang == "en" {
            format!("Duty {n}")
        } else {
            format!("职责{}", chinese_number(n))
        }
    }

    /// The heading above a form: 客服部经理职务说明书 / Position description: …
    pub fn form_heading(&self, title: &str) -> String {
        if self.lang == "en" {
            format!("{}: {title}", self.form)
        } else {
            format!("{title}{}", self.form)
        }
    }

    /// 教育水平 as a minimum: 本科及以上 / Bachelor's degree or above.
    pub fn education(&self, e: Education) -> String {
        if self.lang == "en" {
            let name = match e {
                Education::HighSchool => "High school",
                Education::Vocational => "Vocational school",
                Education::Associate => "Associate degree",
                Education::Bachelor => "Bachelor's degree",
                Education::Master => "Master's degree",
                Education::Doctorate => "Doctorate",
            };
            format!("{name} or above")
        } else {
            format!("{}及以上", e.zh())
        }
    }

    /// 经验 from the numbers, when no text is given.
    pub fn experience(&self, years: Option<&str>, management: Option<&str>) -> Option<String> {
        let en = self.lang == "en";
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

    /// A page's footer, `{page}` and `{total}` replaced by the writer.
    pub fn page_footer(&self) -> &'static str {
        if self.lang == "en" {
            "Page {page} of {total}"
        } else {
            "第 {page} 页 / 共 {total} 页"
        }
    }

    /// After a label run into its value: 相关指标：… / KPIs: …
    pub fn colon(&self) -> &'static str {
        if self.lang == "en" { ": " } else { "：" }
    }

    /// After a list cut short: 等（共 N 个岗位） / … (N positions in all).
    pub fn more_positions(&self, total: usize) -> String {
        if self.lang == "en" {
            format!(" … ({total} positions in all)")
        } else {
            format!("等（共{total}个岗位）")
        }
    }

    /// A cover date: 2024年1月22日 / 2024-01-22.
    pub fn date(&self, d: crate::model::Date) -> String {
        if self.lang == "en" {
            d.to_string()
        } else {
            format!("{}年{}月{}日", d.year, d.month, d.day)
        }
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
    use super::*;

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
        assert_eq!(ZH.duty_number(2), "职责二");
        assert_eq!(EN.duty_number(2), "Duty 2");
    }
}
