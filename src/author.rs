//! Authoring help: the commented files `rolebook new` and `rolebook init` write.
//!
//! Every file written here passes `rolebook check` as it is; the comments carry each field's
//! label on the form (岗位名称, 直接上级 …) so HR can fill it in without the manual.

use std::fmt::Write as _;

/// What `rolebook new` knows about the position it writes.
#[derive(Debug, Clone)]
pub struct NewPosition<'a> {
    pub title: &'a str,
    pub department: &'a str,
    pub reports_to: Option<&'a str>,
    /// Written only when the title does not imply the level.
    pub level: Option<&'a str>,
    pub code: Option<&'a str>,
}

/// A TOML string literal (basic string, escaped).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A fully commented position file.
pub fn position_file(p: &NewPosition<'_>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} 职务说明书", p.title);
    let _ = writeln!(
        s,
        "# 本文件由 `rolebook new` 生成：填写带 … 的内容，删去不需要的注释行。"
    );
    let _ = writeln!(s, "# 顶层字段必须写在第一个 [表] 或 [[表]] 之前。\n");
    let _ = writeln!(
        s,
        "title = {}                # 岗位名称（必填）",
        quote(p.title)
    );
    match p.code {
        Some(c) => {
            let _ = writeln!(s, "code = {}                # 岗位编号（唯一）", quote(c));
        }
        None => {
            let _ = writeln!(s, "# code = \"KF-01\"            # 岗位编号（可选，唯一）");
        }
    }
    let _ = writeln!(
        s,
        "department = {}           # 所在部门（必填）",
        quote(p.department)
    );
    match p.level {
        Some(l) => {
            let _ = writeln!(
                s,
                "level = {}                # 职级（_org.toml 的 levels 之一）",
                quote(l)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "# level = \"专员\"             # 职级：省略时由岗位名称结尾推断"
            );
        }
    }
    match p.reports_to {
        Some(r) => {
            let _ = writeln!(
                s,
                "reports_to = {}           # 直接上级：岗位编号（文件名）或 [external] 中的编号",
                quote(r)
            );
        }
        None => {
            let _ = writeln!(
                s,
                "# reports_to = \"…\"         # 直接上级：仅组织最高岗位可省略"
            );
        }
    }
    s.push_str(
        r#"headcount = 1                     # 岗位定员
# pay_grade = "…"                 # 工资等级（保密，公开版手册不显示）
# pay_type = "…"                  # 薪酬类型（保密，公开版手册不显示）
# analysis_date = 2024-01-22      # 岗位分析日期
"#,
    );
    let _ = writeln!(
        s,
        "summary = {}   # 本职（必填）：一句话写明本岗位的目的",
        quote(&format!("负责{}的日常工作。", p.title))
    );
    s.push_str(
        r#"authorities = [                   # 权力：决定权、审核权、建议权……
  # "……的建议权",
]
notes = ""                        # 备注

# 职责与工作任务：每个 [[duties]] 是一项职责（职责一、职责二……），按顺序排列。
[[duties]]
"#,
    );
    let _ = writeln!(
        s,
        "title = {}          # 职责表述（必填）",
        quote(&format!("{}日常工作", p.title))
    );
    let _ = writeln!(
        s,
        "tasks = [                         # 工作任务（至少一项）"
    );
    let _ = writeln!(
        s,
        "  {},",
        quote(&format!("按照部门计划完成{}的各项日常工作", p.title))
    );
    s.push_str(
        r#"]
# assessment = "……"               # 考核重点
# kpis = ["……"]                   # 衡量本职责的考核指标名称（见下方 [[kpis]]）

[relations]                       # 工作协作关系
internal = []                     # 内部协调关系，例如 ["财务部", "销售部"]
external = []                     # 外部协调关系，例如 ["客户", "供应商"]

[qualifications]                  # 任职资格
# education = "大专"              # 教育水平：高中 < 中专 < 大专 < 本科 < 硕士 < 博士
majors = []                       # 专业
training = []                     # 培训经历
# experience_years = 2            # 经验：最少工作年限
# management_years = 1            #       其中管理年限
# experience = "……"               # 经验（文字说明）
# knowledge = "……"                # 知识
# skills = "……"                   # 技能技巧
traits = []                       # 个人素质

[conditions]                      # 其它
tools = ["计算机"]                # 使用工具/设备
# environment = "办公场所"        # 工作环境
# hours = "正常工作时间"          # 工作时间特征
records = []                      # 所需记录文档

# 考核指标：权重合计 100；direction 为 higher（越高越好，默认）、lower、rating 或 band。
# [[kpis]]
# name = "客户满意度"             # 指标名称（岗位内唯一）
# weight = 40                     # 权重（%）
# target = 90                     # 目标值
# unit = "%"                      # 单位
# direction = "higher"
"#,
    );
    s
}

/// What `rolebook new --extends` writes besides `extends`: only what differs from the
/// template (`None`: taken from it).
#[derive(Debug, Clone)]
pub struct FromTemplate<'a> {
    pub extends: &'a str,
    pub title: Option<&'a str>,
    pub department: Option<&'a str>,
    pub reports_to: Option<&'a str>,
    pub level: Option<&'a str>,
    pub code: Option<&'a str>,
}

/// A position file that takes everything it does not write from a template.
pub fn extends_file(p: &FromTemplate<'_>) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# 本岗位以模板 _templates/{}.toml 为底稿：本文件只写与模板不同的内容。",
        p.extends
    );
    let _ = writeln!(
        s,
        "# 本文件写了的顶层字段整项取代模板的同名字段（例如写 [[duties]] 就取代模板的全部职责）；"
    );
    let _ = writeln!(
        s,
        "# 没写的字段沿用模板。顶层字段必须写在第一个 [表] 或 [[表]] 之前。
"
    );
    let _ = writeln!(s, "extends = {}", quote(p.extends));
    let line = |s: &mut String, key: &str, value: Option<&str>, label: &str| {
        if let Some(v) = value {
            let _ = writeln!(s, "{key} = {}   # {label}", quote(v));
        }
    };
    line(&mut s, "title", p.title, "岗位名称");
    line(&mut s, "code", p.code, "岗位编号（唯一）");
    line(&mut s, "department", p.department, "所在部门");
    line(&mut s, "level", p.level, "职级");
    line(
        &mut s,
        "reports_to",
        p.reports_to,
        "直接上级：岗位编号（文件名）或 [external] 中的编号",
    );
    s
}

/// The `_org.toml` `rolebook init` writes.
pub fn org_file(name: &str) -> String {
    format!(
        r#"# 组织设置：本文件适用于本目录下的所有岗位文件。
name = {}             # 公司名称（手册封面）
handbook_title = "岗位职责说明书"     # 手册标题
lang = "zh"                           # 输出标签语言：zh 或 en
levels = ["专员", "主管", "经理", "总监"]  # 职级，由低到高（必填）
# departments = ["客服部"]            # 部门清单：填写后每个岗位的部门都必须在其中

[external]                            # 本手册以外的上级，例如：
general-manager = {{ title = "总经理", level = "总监" }}

# 保留职责：低于 min_level 的岗位不得承担。未写时使用内置规则（招投标管理、人员任免、
# 预算审批、合同审批，最低职级为“经理”）；写了的规则在内置规则之外增加。
# [[reserved]]
# name = "客户赔偿审批"
# keywords = ["赔偿审批", "审批…赔偿"]   # “审批…赔偿”：同一分句中先有“审批”、后有“赔偿”
# min_level = "经理"

[confidential]                        # 公开版手册中不出现的字段
fields = ["pay_grade", "pay_type"]

[scoring]                             # 绩效计分
cap = 1.2                             # 单项得分封顶（120%）
bands = [
  {{ min = 90, label = "优秀" }},
  {{ min = 80, label = "良好" }},
  {{ min = 60, label = "合格" }},
  {{ min = 0,  label = "不合格" }},
]

# [checks]                            # 调整检查的严重程度：error / warning / info / off
# duplicate-duty = "error"
"#,
        quote(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_toml_strings() {
        assert_eq!(quote("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(quote("客服"), "\"客服\"");
    }
}
