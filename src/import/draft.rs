//! From a form's labelled text to a position file: each label's value in its field, numbered
//! tasks one by one, lists split where the form separates items (、，；), numbers read out of
//! phrases (3年以上 → `experience_years = 3`), and everything without a field in `notes`
//! under its label, so no word of the form is lost.

use std::fmt::Write as _;

use super::form::{Label, RawForm, Segment};
use crate::author::quote;
use crate::model::Lang;
use crate::vocab::Term;

/// A duty as the form wrote it.
#[derive(Debug, Clone, Default)]
pub struct DutyDraft {
    pub title: Option<String>,
    pub tasks: Vec<String>,
    pub assessment: Vec<String>,
}

/// A KPI as the form wrote it: a name, and from a table of KPIs its weight, target, unit.
#[derive(Debug, Clone, Default)]
pub struct KpiDraft {
    pub name: String,
    pub weight: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<String>,
}

/// A number as a table writes it: 30, 30%, ≥95%, 1,200 → (number, "%" when there was one).
fn number(text: &str) -> Option<(f64, Option<&'static str>)> {
    let t = text
        .trim()
        .trim_start_matches(['≥', '>', '≤', '<', '='])
        .trim();
    let (t, pct) = match t.strip_suffix(['%', '％']) {
        Some(x) => (x.trim(), Some("%")),
        None => (t, None),
    };
    let n: f64 = t.replace(',', "").parse().ok()?;
    n.is_finite().then_some((n, pct))
}

/// A position read from a form, before ids are given.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    pub heading: Option<String>,
    pub title: Option<String>,
    pub code: Option<String>,
    pub department: Option<String>,
    pub level: Option<String>,
    /// 直接上级 as written (a title); resolved to an id when all forms are read.
    pub superior: Option<String>,
    pub headcount: Option<u32>,
    /// 岗位定员 and 岗位分析日期 as written, when the number or date reads differently.
    pub headcount_text: Option<String>,
    pub date_text: Option<String>,
    pub pay_grade: Option<String>,
    pub pay_type: Option<String>,
    pub analysis_date: Option<String>,
    pub summary: Option<String>,
    pub authorities: Vec<String>,
    pub duties: Vec<DutyDraft>,
    pub internal: Vec<String>,
    pub external: Vec<String>,
    pub education: Option<String>,
    pub majors: Vec<String>,
    pub training: Vec<String>,
    pub experience: Option<String>,
    pub experience_years: Option<u32>,
    pub management_years: Option<u32>,
    pub knowledge: Option<String>,
    pub skills: Option<String>,
    pub traits: Vec<String>,
    pub tools: Vec<String>,
    pub environment: Option<String>,
    pub hours: Option<String>,
    pub records: Vec<String>,
    pub kpis: Vec<KpiDraft>,
    pub notes: Vec<String>,
    /// Labels the dictionary does not know (their text is in `notes`).
    pub unknown_labels: Vec<String>,
    /// What was guessed, for the report.
    pub guesses: Vec<String>,
}

fn joined(v: &[String]) -> Option<String> {
    let s = v.join("\n");
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Values that mean "none": 无, /, —.
fn is_none_word(s: &str) -> bool {
    matches!(
        s.trim(),
        "无" | "/" | "-" | "—" | "－" | "N/A" | "n/a" | "暂无"
    )
}

fn append(field: &mut Option<String>, text: Option<String>) {
    if let Some(t) = text {
        match field {
            Some(f) => {
                f.push('\n');
                f.push_str(&t);
            }
            None => *field = Some(t),
        }
    }
}

/// Strips a leading item number or bullet: 1、 1. 1．(1) （1） ① 一、 •, and 职责一： before a
/// duty.
pub fn strip_number(s: &str) -> &str {
    let t = s.trim_start();
    let t = match t.strip_prefix("职责") {
        Some(rest) => {
            let n: usize = rest
                .chars()
                .take_while(|c| c.is_ascii_digit() || is_cn_digit(*c))
                .map(char::len_utf8)
                .sum();
            let after = &rest[n..];
            if n > 0 && after.starts_with([':', '：', ' ', '　', '、']) {
                after
            } else {
                t
            }
        }
        None => t,
    };
    strip_number_only(t)
        .trim_start_matches([':', '：', '、'])
        .trim_start()
}

fn strip_number_only(s: &str) -> &str {
    let t = s.trim_start();
    // A bullet typed or pasted as text (and what `build --to docx` writes before an item).
    if let Some(rest) = t.strip_prefix(['•', '●', '▪', '◦'])
        && rest.starts_with(char::is_whitespace)
    {
        return rest.trim_start();
    }
    let mut chars = t.char_indices().peekable();
    // ① … ⑳
    if let Some((_, c)) = chars.peek().copied()
        && ('\u{2460}'..='\u{2473}').contains(&c)
    {
        return t[c.len_utf8()..].trim_start();
    }
    // (1) （1）
    for (open, close) in [("(", ")"), ("（", "）")] {
        if let Some(rest) = t.strip_prefix(open)
            && let Some(end) = rest.find(close)
            && end > 0
            && rest[..end]
                .chars()
                .all(|c| c.is_ascii_digit() || is_cn_digit(c))
        {
            return rest[end + close.len()..].trim_start();
        }
    }
    // 1、 1. 1． 一、 1)
    let digits: usize = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || is_cn_digit(*c))
        .map(char::len_utf8)
        .sum();
    if digits > 0 && digits <= 6 {
        let rest = &t[digits..];
        for sep in ["、", ".", "．", ")", "）", "，"] {
            if let Some(r) = rest.strip_prefix(sep) {
                // 1.5年 is a number, not an item.
                if sep == "." && r.starts_with(|c: char| c.is_ascii_digit()) {
                    return t;
                }
                return r.trim_start();
            }
        }
    }
    t
}

fn is_cn_digit(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// The items of numbered paragraphs: one per paragraph, and one per number when a paragraph
/// holds several (1、… 2、…).
pub fn items(paras: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in paras {
        for piece in split_inline_numbers(p) {
            let s = strip_number(&piece).trim().to_string();
            if !s.is_empty() {
                out.push(s);
            }
        }
    }
    out
}

/// Splits "1、甲；2、乙" into its numbered items, only when the numbers run 1, 2, 3 ….
fn split_inline_numbers(p: &str) -> Vec<String> {
    let mut cuts = Vec::new();
    let mut n = 2;
    let mut from = 0;
    let starts_numbered = strip_number_only(p).len() != p.trim_start().len();
    if !starts_numbered {
        return vec![p.to_string()];
    }
    loop {
        let markers = [format!("{n}、"), format!("（{n}）"), format!("({n})")];
        let circled = char::from_u32(0x2460 + n as u32 - 1).map(String::from);
        let found = markers
            .iter()
            .chain(circled.iter())
            .filter_map(|m| p[from..].find(m.as_str()).map(|i| (from + i, m.len())))
            .min();
        match found {
            Some((i, len)) if i > from || (from == 0 && i > 0) => {
                cuts.push(i);
                from = i + len;
                n += 1;
            }
            _ => break,
        }
        if n > 99 {
            break;
        }
    }
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts {
        out.push(
            p[start..c]
                .trim_end_matches(['；', ';', '，', ',', '。'])
                .to_string(),
        );
        start = c;
    }
    out.push(p[start..].to_string());
    out
}

/// The items of a list field: split at 、，,；; outside brackets, and at paragraphs.
pub fn list(paras: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for p in items(paras) {
        let mut depth = 0i32;
        let mut cur = String::new();
        for c in p.chars() {
            match c {
                '(' | '（' | '[' | '【' | '《' => depth += 1,
                ')' | '）' | ']' | '】' | '》' => depth -= 1,
                _ => {}
            }
            if depth <= 0 && matches!(c, '、' | '，' | ',' | '；' | ';') {
                let t = cur.trim().to_string();
                if !t.is_empty() {
                    out.push(t);
                }
                cur.clear();
            } else {
                cur.push(c);
            }
        }
        let t = cur.trim().trim_end_matches(['。', '.']).to_string();
        if !t.is_empty() {
            out.push(t);
        }
    }
    out
}

fn cn_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digits = "零一二三四五六七八九";
    let v: Vec<u32> = s
        .chars()
        .map(|c| {
            if c == '十' {
                Some(10)
            } else if c == '两' {
                Some(2)
            } else {
                digits.chars().position(|d| d == c).map(|i| i as u32)
            }
        })
        .collect::<Option<_>>()?;
    match v.as_slice() {
        [d] => Some(*d),
        [10, d] => Some(10 + d),
        [d, 10] => Some(d * 10),
        [a, 10, b] => Some(a * 10 + b),
        _ => None,
    }
}

/// The years in "5年以上相关工作经验，2年以上相关管理经历": (experience, management).
pub fn years(text: &str) -> (Option<u32>, Option<u32>) {
    let (mut exp, mut mgmt) = (None, None);
    for clause in text.split(['，', ',', '；', ';', '。', '\n']) {
        let Some(i) = clause.find('年') else {
            continue;
        };
        let before = &clause[..i];
        let num: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || "零一二三四五六七八九十两".contains(*c))
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let Some(mut n) = cn_number(&num) else {
            continue;
        };
        // 3-5年 / 3至5年: the minimum is the first number.
        let head = &before[..before.len() - num.len()];
        if let Some(sep) = head.chars().next_back()
            && "-~～至到—－".contains(sep)
        {
            let low: String = head[..head.len() - sep.len_utf8()]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十两".contains(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Some(l) = cn_number(&low) {
                n = l;
            }
        }
        let management = ["管理经", "管理工作", "管理岗位", "管理职位", "团队管理"]
            .iter()
            .any(|w| clause.contains(w));
        if management && exp.is_some() {
            mgmt.get_or_insert(n);
        } else {
            exp.get_or_insert(n);
        }
    }
    (exp, mgmt)
}

/// A date as 2024-01-22 / 2024年1月22日 / 2024.1.22 / 2024/1/22.
pub fn date(text: &str) -> Option<String> {
    let nums: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .collect();
    let rest: String = text
        .chars()
        .filter(|c| !c.is_ascii_digit() && !matches!(c, '-' | '.' | '/' | '年' | '月' | '日' | ' '))
        .collect();
    if nums.len() != 3 || !rest.is_empty() {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (
        nums[0].parse().ok()?,
        nums[1].parse().ok()?,
        nums[2].parse().ok()?,
    );
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn headcount(text: &str) -> Option<u32> {
    let t = text.trim().trim_end_matches(['人', '名', '个']).trim();
    t.parse().ok().or_else(|| cn_number(t)).filter(|n| *n >= 1)
}

fn note(d: &mut Draft, label: &str, value: &[String]) {
    match joined(value) {
        Some(v) => d.notes.push(format!("{label}：{v}")),
        None => d.notes.push(label.to_string()),
    }
}

/// Reads a form into a draft.
pub fn draft(form: &RawForm, levels: &[&str]) -> Draft {
    let mut d = Draft {
        heading: form.heading.clone(),
        ..Draft::default()
    };
    for s in &form.segments {
        apply(&mut d, s, levels);
    }
    // A duty without tasks gets its statement as its task: a position file needs one.
    for duty in &mut d.duties {
        if duty.title.is_none() && !duty.tasks.is_empty() {
            duty.title = Some(duty.tasks[0].clone());
        }
    }
    d.duties.retain(|x| x.title.is_some());
    let mut guessed = 0;
    for duty in &mut d.duties {
        if duty.tasks.is_empty() {
            duty.tasks.push(duty.title.clone().unwrap_or_default());
            guessed += 1;
        }
    }
    if guessed > 0 {
        d.guesses.push(if guessed == 1 {
            "1 duty has no tasks (工作任务): its statement is used as its task".to_string()
        } else {
            format!(
                "{guessed} duties have no tasks (工作任务): their statement is used as their task"
            )
        });
    }
    if d.title.is_none()
        && let Some(h) = &d.heading
    {
        let t = super::form::strip_form_word(h);
        if !t.is_empty() {
            d.guesses.push(format!(
                "no 岗位名称: the title is taken from the heading {h}"
            ));
            d.title = Some(t);
        }
    }
    d
}

fn apply(d: &mut Draft, s: &Segment, levels: &[&str]) {
    use Term::*;
    let v = &s.value;
    let text = joined(v);
    match &s.label {
        Label::Unknown(l) => {
            d.unknown_labels.push(l.clone());
            note(d, l, v);
        }
        Label::Duty(_) => {
            d.duties.push(DutyDraft {
                title: text.map(|t| strip_number(&t).to_string()),
                ..DutyDraft::default()
            });
        }
        Label::Known(t) => match t {
            // A heading standing for the missing 岗位名称 row (written is empty).
            PositionTitle if s.written.is_empty() => {
                if let Some(h) = text {
                    let t = super::form::strip_form_word(&h);
                    d.guesses.push(format!(
                        "no 岗位名称: the title is taken from the heading {h}"
                    ));
                    d.heading = Some(h);
                    d.title = Some(t);
                }
            }
            PositionTitle => match (&d.title, text) {
                (None, Some(x)) => d.title = Some(x),
                (_, x) => note(d, &s.written, &x.into_iter().collect::<Vec<_>>()),
            },
            PositionCode => append(&mut d.code, text.filter(|x| !is_none_word(x))),
            Department => append(&mut d.department, text),
            Level => match text {
                Some(x) if levels.contains(&x.as_str()) && d.level.is_none() => d.level = Some(x),
                Some(_) => note(d, &s.written, v),
                None => {}
            },
            ReportsTo => match text {
                Some(x) if is_none_word(&x) => note(d, &s.written, v),
                Some(x) if d.superior.is_none() && !x.contains('\n') => d.superior = Some(x),
                Some(_) => note(d, &s.written, v),
                None => {}
            },
            Headcount => match text.as_deref().map(headcount) {
                Some(Some(n)) if d.headcount.is_none() => {
                    d.headcount = Some(n);
                    d.headcount_text = text.filter(|t| *t != n.to_string());
                }
                Some(_) => note(d, &s.written, v),
                None => {}
            },
            PayGrade => append(&mut d.pay_grade, text),
            PayType => append(&mut d.pay_type, text),
            AnalysisDate => match text.as_deref().map(date) {
                Some(Some(x)) if d.analysis_date.is_none() => {
                    d.date_text = text.filter(|t| *t != x);
                    d.analysis_date = Some(x);
                }
                Some(_) => note(d, &s.written, v),
                None => {}
            },
            DirectReports | StaffSupervised => {
                // Derived from reports_to by rolebook; kept as the form said it.
                if text.is_some() {
                    note(d, &s.written, v);
                }
            }
            Purpose => append(&mut d.summary, text),
            Duties => {
                for item in items(v) {
                    d.duties.push(DutyDraft {
                        title: Some(item),
                        ..DutyDraft::default()
                    });
                }
            }
            DutyTitle => {
                let Some(x) = text else { return };
                let x = strip_number(&x).to_string();
                match d.duties.last_mut() {
                    Some(last) if last.title.is_none() => last.title = Some(x),
                    _ => d.duties.push(DutyDraft {
                        title: Some(x),
                        ..DutyDraft::default()
                    }),
                }
            }
            Tasks => {
                let it = items(v);
                if it.is_empty() {
                    return;
                }
                if d.duties.is_empty() {
                    d.duties.push(DutyDraft::default());
                }
                d.duties.last_mut().expect("one at least").tasks.extend(it);
            }
            Assessment => {
                let Some(x) = text else { return };
                match d.duties.last_mut() {
                    Some(last) => last.assessment.push(x),
                    None => note(d, &s.written, v),
                }
            }
            Authorities => d.authorities.extend(items(v)),
            InternalRelations => d.internal.extend(list(v)),
            ExternalRelations => d.external.extend(list(v)),
            Education => match text {
                Some(x)
                    if crate::model::Education::parse(&x).is_some() && d.education.is_none() =>
                {
                    d.education = Some(x)
                }
                Some(_) => note(d, &s.written, v),
                None => {}
            },
            Majors => d.majors.extend(list(v)),
            Training => d.training.extend(list(v)),
            Experience => {
                if let Some(x) = &text {
                    let (y, m) = years(x);
                    if d.experience_years.is_none() {
                        d.experience_years = y;
                        d.management_years = m;
                    }
                }
                append(&mut d.experience, text);
            }
            Knowledge => append(&mut d.knowledge, text),
            Skills => append(&mut d.skills, text),
            Traits => d.traits.extend(list(v)),
            Tools => d.tools.extend(list(v)),
            Environment => append(&mut d.environment, text),
            Hours => append(&mut d.hours, text),
            Records => d.records.extend(list(v)),
            Kpis => {
                for k in list(v) {
                    if !d.kpis.iter().any(|x| x.name == k) {
                        d.kpis.push(KpiDraft {
                            name: k,
                            ..KpiDraft::default()
                        });
                    }
                }
            }
            KpiName => {
                let Some(x) = text else { return };
                if d.kpis.iter().any(|k| k.name == x) {
                    note(d, &s.written, v);
                } else {
                    d.kpis.push(KpiDraft {
                        name: x,
                        ..KpiDraft::default()
                    });
                }
            }
            Weight | Target | Unit => {
                let Some(x) = text else { return };
                let Some(k) = d.kpis.last_mut() else {
                    return note(d, &s.written, v);
                };
                let name = k.name.clone();
                let parsed = number(&x);
                match (t, parsed) {
                    (Weight, Some((n, _))) if k.weight.is_none() && n >= 0.0 => k.weight = Some(n),
                    (Target, Some((n, pct))) if k.target.is_none() => {
                        k.target = Some(n);
                        if let (Some(p), None) = (pct, &k.unit) {
                            k.unit = Some(p.to_string());
                        }
                        // ≥95% reads as 95; the sign is kept in notes.
                        if x.trim().starts_with(['≥', '>', '≤', '<']) {
                            d.notes.push(format!("{}（{name}）：{x}", s.written));
                        }
                    }
                    (Unit, _) if k.unit.is_none() => k.unit = Some(x),
                    _ => d.notes.push(format!("{}（{name}）：{x}", s.written)),
                }
            }
            // The 序号 column of a table of duties: a number is no content.
            RowNumber => match text {
                Some(x)
                    if x.chars()
                        .all(|c| c.is_ascii_digit() || is_cn_digit(c) || "、.．".contains(c)) => {
                }
                Some(_) => note(d, &s.written, v),
                None => {}
            },
            Notes => {
                if let Some(x) = text {
                    d.notes.push(x);
                }
            }
            // Section headings (工作协作关系, 任职资格, 其它): text right after one has no
            // sub-label, so it is kept under the heading.
            _ => {
                if text.is_some() {
                    note(d, &s.written, v);
                }
            }
        },
    }
}

fn list_line(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    let one = format!("{key} = [{}]", quoted.join(", "));
    if one.chars().count() <= 100 {
        let _ = writeln!(out, "{one}");
    } else {
        let _ = writeln!(out, "{key} = [");
        for q in quoted {
            let _ = writeln!(out, "  {q},");
        }
        let _ = writeln!(out, "]");
    }
}

fn str_line(out: &mut String, key: &str, v: &Option<String>) {
    if let Some(v) = v {
        let _ = writeln!(out, "{key} = {}", quote(v));
    }
}

/// Text a TOML comment can hold: control characters (line breaks included; TOML allows only
/// tab) become spaces. Found by fuzzing: a heading with a stray control byte made the whole
/// file unreadable.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\t' { ' ' } else { c })
        .collect()
}

/// The position file of a draft, given its resolved superior id.
pub fn position_toml(d: &Draft, reports_to: Option<&str>, source: &str) -> String {
    let zh = |t: Term| t.text(Lang::Zh);
    let mut s = String::new();
    if let Some(h) = &d.heading {
        let _ = writeln!(s, "# {}", comment_text(h));
    }
    let _ = writeln!(
        s,
        "# imported by `rolebook import` from {}",
        comment_text(source)
    );
    let _ = writeln!(s);
    str_line(&mut s, "title", &d.title);
    str_line(&mut s, "code", &d.code);
    let _ = writeln!(
        s,
        "department = {}{}",
        quote(d.department.as_deref().unwrap_or("")),
        if d.department.is_none() {
            format!("   # {}: not in the source", zh(Term::Department))
        } else {
            String::new()
        }
    );
    str_line(&mut s, "level", &d.level);
    if let Some(r) = reports_to {
        let _ = writeln!(s, "reports_to = {}", quote(r));
    }
    let written_as = |t: &Option<String>| match t {
        Some(t) => format!("   # {}", t.replace(['\n', '\r'], " ")),
        None => String::new(),
    };
    if let Some(h) = d.headcount {
        let _ = writeln!(s, "headcount = {h}{}", written_as(&d.headcount_text));
    }
    str_line(&mut s, "pay_grade", &d.pay_grade);
    str_line(&mut s, "pay_type", &d.pay_type);
    if let Some(a) = &d.analysis_date {
        let _ = writeln!(s, "analysis_date = {a}{}", written_as(&d.date_text));
    }
    let _ = writeln!(
        s,
        "summary = {}{}",
        quote(d.summary.as_deref().unwrap_or("")),
        if d.summary.is_none() {
            format!("   # {}: not in the source", zh(Term::Purpose))
        } else {
            String::new()
        }
    );
    list_line(&mut s, "authorities", &d.authorities);
    if !d.notes.is_empty() {
        let _ = writeln!(s, "notes = {}", quote(&d.notes.join("\n")));
    }
    for duty in &d.duties {
        let _ = writeln!(s, "\n[[duties]]");
        let _ = writeln!(s, "title = {}", quote(duty.title.as_deref().unwrap_or("")));
        list_line(&mut s, "tasks", &duty.tasks);
        if !duty.assessment.is_empty() {
            let _ = writeln!(s, "assessment = {}", quote(&duty.assessment.join("\n")));
        }
    }
    if !d.internal.is_empty() || !d.external.is_empty() {
        let _ = writeln!(s, "\n[relations]");
        list_line(&mut s, "internal", &d.internal);
        list_line(&mut s, "external", &d.external);
    }
    let quals = d.education.is_some()
        || !d.majors.is_empty()
        || !d.training.is_empty()
        || d.experience.is_some()
        || d.knowledge.is_some()
        || d.skills.is_some()
        || !d.traits.is_empty();
    if quals {
        let _ = writeln!(s, "\n[qualifications]");
        str_line(&mut s, "education", &d.education);
        list_line(&mut s, "majors", &d.majors);
        list_line(&mut s, "training", &d.training);
        if let Some(y) = d.experience_years {
            let _ = writeln!(s, "experience_years = {y}");
        }
        if let Some(y) = d.management_years {
            let _ = writeln!(s, "management_years = {y}");
        }
        str_line(&mut s, "experience", &d.experience);
        str_line(&mut s, "knowledge", &d.knowledge);
        str_line(&mut s, "skills", &d.skills);
        list_line(&mut s, "traits", &d.traits);
    }
    if !d.tools.is_empty() || d.environment.is_some() || d.hours.is_some() || !d.records.is_empty()
    {
        let _ = writeln!(s, "\n[conditions]");
        list_line(&mut s, "tools", &d.tools);
        str_line(&mut s, "environment", &d.environment);
        str_line(&mut s, "hours", &d.hours);
        list_line(&mut s, "records", &d.records);
    }
    for k in &d.kpis {
        let _ = writeln!(s, "\n[[kpis]]\nname = {}", quote(&k.name));
        if let Some(w) = k.weight {
            let _ = writeln!(s, "weight = {}", crate::util::number::plain(w));
        }
        if let Some(t) = k.target {
            let _ = writeln!(s, "target = {}", crate::util::number::plain(t));
        }
        str_line(&mut s, "unit", &k.unit);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heading_with_control_characters_still_gives_a_toml_file() {
        // The shape cargo fuzz found: a stray control byte in the document's heading.
        let draft = Draft {
            heading: Some("1、办\u{3}行政部岗位说明书\r\n续".to_string()),
            title: Some("行政助理".to_string()),
            ..Draft::default()
        };
        let text = position_toml(&draft, None, "a\u{1b}.docx");
        let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(table["title"].as_str(), Some("行政助理"));
    }

    #[test]
    fn strips_item_numbers() {
        for (i, o) in [
            ("1、甲", "甲"),
            ("(2)乙", "乙"),
            ("（3）丙", "丙"),
            ("①丁", "丁"),
            ("一、戊", "戊"),
            ("4. 己", "己"),
            ("1.5年", "1.5年"),
            ("客户", "客户"),
            ("职责一：客户服务", "客户服务"),
            ("职责表述", "职责表述"),
            ("•\t庚", "庚"),
            ("● 辛", "辛"),
            ("•壬", "•壬"),
        ] {
            assert_eq!(strip_number(i), o, "{i}");
        }
        assert_eq!(items(&["1、甲；2、乙；3、丙".into()]), ["甲", "乙", "丙"]);
        assert_eq!(items(&["①甲②乙".into()]), ["甲", "乙"]);
    }

    #[test]
    fn splits_lists_outside_brackets() {
        assert_eq!(
            list(&["计算机、一般办公设备(电话、传真机)".into()]),
            ["计算机", "一般办公设备(电话、传真机)"]
        );
    }

    #[test]
    fn reads_years_and_dates() {
        assert_eq!(
            years("5年以上相关工作经验,2年以上相关管理经历"),
            (Some(5), Some(2))
        );
        assert_eq!(years("三年以上工作经验"), (Some(3), None));
        assert_eq!(years("3-5年相关工作经验"), (Some(3), None));
        assert_eq!(
            years("三至五年工作经验，两年以上管理经验"),
            (Some(3), Some(2))
        );
        assert_eq!(date("2024年1月22日").as_deref(), Some("2024-01-22"));
        assert_eq!(date("2024.01.22").as_deref(), Some("2024-01-22"));
        assert_eq!(date("去年"), None);
        assert_eq!(headcount("2人"), Some(2));
    }
}
