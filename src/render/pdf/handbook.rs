//! The organization's handbook as a PDF [`Doc`]: a cover, the contents, and one form per
//! position laid out like the Word form it replaces (the labels and order of
//! `shared/seed/README.md`).

use crate::model::{Lang, Org, Position, Superior};

use super::layout::{Block, Cover, Doc, Form, FormCell, Section};
use super::text::Rich;
use super::{FontSource, Fonts, PdfError};

/// Which fields the handbook shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Edition {
    /// Everything, confidential fields included (for HR).
    #[default]
    Internal,
    /// Without the fields `_org.toml` lists under `[confidential]`.
    Public,
}

/// How to make the PDF handbook.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    pub edition: Edition,
    pub fonts: FontSource,
}

/// Renders the handbook of `org` to PDF bytes.
pub fn render_handbook(org: &Org, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let fonts = Fonts::load(&options.fonts)?;
    let doc = handbook_doc(org, options.edition, &fonts)?;
    super::layout::render(&doc, &fonts)
}

struct Labels {
    zh: bool,
    handbook: &'static str,
    form_suffix: &'static str,
    toc: &'static str,
    footer: &'static str,
    internal: &'static str,
    public: &'static str,
    count: &'static str,
    seq: fn(usize) -> String,
    list_sep: &'static str,
    l: [&'static str; 31],
}

// Indexes into `Labels::l`.
const TITLE: usize = 0;
const CODE: usize = 1;
const DEPT: usize = 2;
const HEADCOUNT: usize = 3;
const SUPERIOR: usize = 4;
const PAY_GRADE: usize = 5;
const REPORTS: usize = 6;
const PAY_TYPE: usize = 7;
const STAFF: usize = 8;
const DATE: usize = 9;
const SUMMARY: usize = 10;
const DUTIES: usize = 11;
const DUTY_TITLE: usize = 12;
const TASKS: usize = 13;
const ASSESSMENT: usize = 14;
const AUTHORITIES: usize = 15;
const RELATIONS: usize = 16;
const INTERNAL: usize = 17;
const EXTERNAL: usize = 18;
const QUALIFICATIONS: usize = 19;
const EDUCATION: usize = 20;
const MAJORS: usize = 21;
const TRAINING: usize = 22;
const EXPERIENCE: usize = 23;
const KNOWLEDGE: usize = 24;
const SKILLS: usize = 25;
const TRAITS: usize = 26;
const CONDITIONS: usize = 27;
const KPIS: usize = 28;
const NOTES: usize = 29;
const LEVEL: usize = 30;

const TOOLS: [&str; 2] = ["使用工具/设备", "Tools and equipment"];
const ENVIRONMENT: [&str; 2] = ["工作环境", "Environment"];
const HOURS: [&str; 2] = ["工作时间特征", "Working hours"];
const RECORDS: [&str; 2] = ["所需记录文档", "Records kept"];

fn zh_seq(n: usize) -> String {
    const D: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let s = match n {
        0..=9 => D[n].to_string(),
        10..=19 => format!("十{}", if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        20..=99 => format!(
            "{}十{}",
            D[n / 10],
            if n.is_multiple_of(10) { "" } else { D[n % 10] }
        ),
        _ => n.to_string(),
    };
    format!("职责{s}")
}

fn en_seq(n: usize) -> String {
    format!("Duty {n}")
}

const ZH: Labels = Labels {
    zh: true,
    handbook: "岗位职责说明书",
    form_suffix: "职务说明书",
    toc: "目录",
    footer: "第 {page} 页 / 共 {total} 页",
    internal: "内部版（含保密信息）",
    public: "公开版",
    count: "岗位数",
    seq: zh_seq,
    list_sep: "、",
    l: [
        "岗位名称",
        "岗位编号",
        "所在部门",
        "岗位定员",
        "直接上级",
        "工资等级",
        "直接下级",
        "薪酬类型",
        "所辖人员",
        "岗位分析日期",
        "本职",
        "职责与工作任务",
        "职责表述",
        "工作任务",
        "考核重点",
        "权力",
        "工作协作关系",
        "内部协调关系",
        "外部协调关系",
        "任职资格",
        "教育水平",
        "专业",
        "培训经历",
        "经验",
        "知识",
        "技能技巧",
        "个人素质",
        "其它",
        "考核指标",
        "备注",
        "职级",
    ],
};

const EN: Labels = Labels {
    zh: false,
    handbook: "Position descriptions",
    form_suffix: " — position description",
    toc: "Contents",
    footer: "Page {page} of {total}",
    internal: "Internal edition (confidential fields included)",
    public: "Public edition",
    count: "Positions",
    seq: en_seq,
    list_sep: ", ",
    l: [
        "Position",
        "Code",
        "Department",
        "Headcount",
        "Reports to",
        "Pay grade",
        "Direct reports",
        "Pay type",
        "Staff supervised",
        "Analysis date",
        "Purpose",
        "Duties and tasks",
        "Duty",
        "Tasks",
        "Assessed on",
        "Authorities",
        "Working relations",
        "Internal",
        "External",
        "Qualifications",
        "Education",
        "Majors",
        "Training",
        "Experience",
        "Knowledge",
        "Skills",
        "Personal traits",
        "Conditions",
        "KPIs",
        "Notes",
        "Level",
    ],
};

/// Builds the handbook document, checking every field's characters against the fonts so a
/// missing glyph names its position and field.
pub fn handbook_doc(org: &Org, edition: Edition, fonts: &Fonts) -> Result<Doc, PdfError> {
    let s = &org.settings;
    let lang = s.lang;
    let lb = if lang == Lang::En { &EN } else { &ZH };
    let org_name = s.name.as_ref().map_or("", |n| n.value.as_str());
    let handbook = s
        .handbook_title
        .as_ref()
        .map_or(lb.handbook, |t| t.value.as_str());
    let title = if org_name.is_empty() {
        handbook.to_string()
    } else {
        format!("{org_name} {handbook}")
    };
    for (what, text) in [
        ("`name` in _org.toml", org_name),
        ("`handbook_title` in _org.toml", handbook),
    ] {
        if let Some((ch, font)) = fonts
            .missing(text, false)
            .or_else(|| fonts.missing(text, true))
        {
            return Err(PdfError::MissingGlyph {
                what: what.into(),
                ch,
                font: font.into(),
            });
        }
    }

    let mut order: Vec<usize> = (0..org.positions.len()).collect();
    // Department by department, senior positions first, then by id: stable and readable.
    order.sort_by(|&a, &b| {
        let (pa, pb) = (&org.positions[a], &org.positions[b]);
        pa.department
            .value
            .cmp(&pb.department.value)
            .then(pb.level_index.cmp(&pa.level_index))
            .then(pa.id.cmp(&pb.id))
    });

    let mut sections = Vec::with_capacity(order.len());
    for i in order {
        sections.push(position_section(org, i, edition, lb, fonts)?);
    }
    let mut lines = Vec::new();
    if !org_name.is_empty() {
        lines.push(org_name.to_string());
    }
    lines.push(
        match edition {
            Edition::Internal => lb.internal,
            Edition::Public => lb.public,
        }
        .to_string(),
    );
    lines.push(format!(
        "{}{}{}",
        lb.count,
        if lb.zh { "：" } else { ": " },
        org.positions.len()
    ));
    Ok(Doc {
        title,
        cover: Some(Cover {
            title: handbook.to_string(),
            lines,
        }),
        toc_title: Some(lb.toc.to_string()),
        sections,
        footer: lb.footer.to_string(),
    })
}

/// Builds one position's form, checking each field's text against the fonts.
struct FormBuilder<'a> {
    position: &'a Position,
    fonts: &'a Fonts,
    hidden: &'a [String],
    form: Form,
}

impl FormBuilder<'_> {
    fn shown(&self, field: &str) -> bool {
        !self.hidden.iter().any(|h| h == field)
    }

    /// Checks a field's rich text against the fonts.
    fn check(&self, field: &str, rich: Rich) -> Result<Rich, PdfError> {
        for (c, bold) in rich.chars() {
            if super::fonts::is_layout_only(c) {
                continue;
            }
            if let Some((ch, font)) = self.fonts.missing(&c.to_string(), bold) {
                return Err(PdfError::MissingGlyph {
                    what: format!("position `{}` field `{field}`", self.position.id),
                    ch,
                    font: font.to_string(),
                });
            }
        }
        Ok(rich)
    }

    fn md(&self, field: &str, text: Option<&str>) -> Result<Rich, PdfError> {
        self.check(field, Rich::markdown(text.unwrap_or("")))
    }

    /// A label and a value over the whole width.
    fn wide(&mut self, label: &str, value: Rich) {
        self.form.row(vec![
            FormCell::label(label),
            FormCell::value(value).spanning(3),
        ]);
    }

    fn heading(&mut self, label: &str) {
        self.form
            .row_kept_with_next(vec![FormCell::label(label).spanning(4)]);
    }

    /// Two label/value pairs on one row; a hidden pair leaves the other the whole row.
    fn pairs(&mut self, a: Option<(&str, Rich)>, b: Option<(&str, Rich)>) {
        match (a, b) {
            (Some((la, va)), Some((lb, vb))) => {
                self.form.row(vec![
                    FormCell::label(la),
                    FormCell::value(va),
                    FormCell::label(lb),
                    FormCell::value(vb),
                ]);
            }
            (Some((l, v)), None) | (None, Some((l, v))) => self.wide(l, v),
            (None, None) => {}
        }
    }
}

fn join(items: &[crate::model::Text], sep: &str) -> String {
    items
        .iter()
        .map(|t| t.value.as_str())
        .collect::<Vec<_>>()
        .join(sep)
}

fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn position_section(
    org: &Org,
    index: usize,
    edition: Edition,
    lb: &Labels,
    fonts: &Fonts,
) -> Result<Section, PdfError> {
    let p = &org.positions[index];
    let no_hidden: Vec<String> = Vec::new();
    let hidden = match edition {
        Edition::Internal => &no_hidden,
        Edition::Public => &org.settings.confidential,
    };
    let mut f = FormBuilder {
        position: p,
        fonts,
        hidden,
        form: Form::new(vec![1.25, 2.3, 1.25, 2.3]),
    };
    let l = &lb.l;
    let plain = |f: &FormBuilder<'_>, field: &str, text: &str| f.check(field, Rich::plain(text));
    let opt = |s: Option<&crate::model::Text>| s.map(|t| t.value.clone()).unwrap_or_default();

    let title = plain(&f, "title", &p.title.value)?;
    let code = f
        .shown("code")
        .then(|| plain(&f, "code", &opt(p.code.as_ref())))
        .transpose()?;
    f.pairs(Some((l[TITLE], title)), code.map(|c| (l[CODE], c)));
    let dept = plain(&f, "department", &p.department.value)?;
    let headcount = f.shown("headcount").then(|| {
        Rich::plain(
            &p.headcount
                .as_ref()
                .map(|h| h.value.to_string())
                .unwrap_or_default(),
        )
    });
    f.pairs(Some((l[DEPT], dept)), headcount.map(|h| (l[HEADCOUNT], h)));
    let superior = match org.superior(p) {
        Superior::Position(s) => s.title.value.clone(),
        Superior::External(e) => e.title.value.clone(),
        Superior::Unknown => opt(p.reports_to.as_ref()),
        Superior::None => String::new(),
    };
    let superior = plain(&f, "reports_to", &superior)?;
    let pay_grade = f
        .shown("pay_grade")
        .then(|| plain(&f, "pay_grade", &opt(p.pay_grade.as_ref())))
        .transpose()?;
    f.pairs(
        Some((l[SUPERIOR], superior)),
        pay_grade.map(|v| (l[PAY_GRADE], v)),
    );
    let reports: Vec<&str> = org
        .direct_reports(index)
        .map(|r| r.title.value.as_str())
        .collect();
    let reports = plain(
        &f,
        "reports_to (direct reports)",
        &reports.join(lb.list_sep),
    )?;
    let pay_type = f
        .shown("pay_type")
        .then(|| plain(&f, "pay_type", &opt(p.pay_type.as_ref())))
        .transpose()?;
    f.pairs(
        Some((l[REPORTS], reports)),
        pay_type.map(|v| (l[PAY_TYPE], v)),
    );
    let mut staff: Vec<&str> = org
        .staff_supervised(index)
        .iter()
        .map(|r| r.title.value.as_str())
        .collect();
    staff.dedup();
    let staff = plain(
        &f,
        "reports_to (staff supervised)",
        &staff.join(lb.list_sep),
    )?;
    let date = f.shown("analysis_date").then(|| {
        Rich::plain(
            &p.analysis_date
                .as_ref()
                .map(|d| d.value.to_string())
                .unwrap_or_default(),
        )
    });
    f.pairs(Some((l[STAFF], staff)), date.map(|d| (l[DATE], d)));
    if f.shown("level")
        && let Some(level) = org.level_name(p)
    {
        let level = plain(&f, "level", level)?;
        f.wide(l[LEVEL], level);
    }

    if f.shown("summary") {
        let v = f.md("summary", Some(&p.summary.value))?;
        f.wide(l[SUMMARY], v);
    }

    if f.shown("duties") && !p.duties.is_empty() {
        f.heading(l[DUTIES]);
        for (i, d) in p.duties.iter().enumerate() {
            let field = format!("duties[{}]", i + 1);
            let mut t = f.md(&format!("{field}.title"), Some(&d.title.value))?;
            let prefix = if lb.zh {
                format!("{}：", l[DUTY_TITLE])
            } else {
                format!("{}: ", l[DUTY_TITLE])
            };
            let prefix = prefix.as_str();
            if let Some(first) = t.paras.first_mut() {
                first.text.insert_str(0, prefix);
                let shift = prefix.len();
                for (r, _) in &mut first.runs {
                    *r = r.start + shift..r.end + shift;
                }
                first.runs.insert(
                    0,
                    (
                        0..prefix.len(),
                        super::Emph {
                            bold: true,
                            italic: false,
                        },
                    ),
                );
            }
            f.form.row_kept_with_next(vec![
                FormCell::label(&(lb.seq)(i + 1)),
                FormCell::value(t).spanning(3),
            ]);
            let tasks: Vec<&str> = d.tasks.iter().map(|t| t.value.as_str()).collect();
            let tasks = f.check(&format!("{field}.tasks"), Rich::numbered(&tasks))?;
            f.wide(l[TASKS], tasks);
            if let Some(a) = &d.assessment {
                let a = f.md(&format!("{field}.assessment"), Some(&a.value))?;
                f.wide(l[ASSESSMENT], a);
            }
        }
    }

    if f.shown("authorities") {
        let items: Vec<&str> = p.authorities.iter().map(|t| t.value.as_str()).collect();
        let v = f.check("authorities", Rich::numbered(&items))?;
        f.wide(l[AUTHORITIES], v);
    }

    if f.shown("relations") {
        f.heading(l[RELATIONS]);
        let v = plain(
            &f,
            "relations.internal",
            &join(&p.relations.internal, lb.list_sep),
        )?;
        f.wide(l[INTERNAL], v);
        let v = plain(
            &f,
            "relations.external",
            &join(&p.relations.external, lb.list_sep),
        )?;
        f.wide(l[EXTERNAL], v);
    }

    if f.shown("qualifications") {
        let q = &p.qualifications;
        f.heading(l[QUALIFICATIONS]);
        let edu = q
            .education
            .as_ref()
            .map_or("", |e| if lb.zh { e.value.zh() } else { e.value.en() });
        let edu = plain(&f, "qualifications.education", edu)?;
        f.wide(l[EDUCATION], edu);
        let v = plain(&f, "qualifications.majors", &join(&q.majors, lb.list_sep))?;
        f.wide(l[MAJORS], v);
        let v = plain(
            &f,
            "qualifications.training",
            &join(&q.training, lb.list_sep),
        )?;
        f.wide(l[TRAINING], v);
        let exp = match (&q.experience, &q.experience_years, &q.management_years) {
            (Some(t), _, _) => t.value.clone(),
            (None, Some(y), m) if lb.zh => {
                let mut s = format!("{}年以上相关工作经验", num(y.value));
                if let Some(m) = m {
                    s.push_str(&format!("，{}年以上相关管理经历", num(m.value)));
                }
                s
            }
            (None, Some(y), m) => {
                let mut s = format!("{}+ years of relevant experience", num(y.value));
                if let Some(m) = m {
                    s.push_str(&format!(", {}+ in management", num(m.value)));
                }
                s
            }
            _ => String::new(),
        };
        let v = f.md("qualifications.experience", Some(&exp))?;
        f.wide(l[EXPERIENCE], v);
        let v = f.md(
            "qualifications.knowledge",
            q.knowledge.as_ref().map(|t| t.value.as_str()),
        )?;
        f.wide(l[KNOWLEDGE], v);
        let v = f.md(
            "qualifications.skills",
            q.skills.as_ref().map(|t| t.value.as_str()),
        )?;
        f.wide(l[SKILLS], v);
        let v = plain(&f, "qualifications.traits", &join(&q.traits, lb.list_sep))?;
        f.wide(l[TRAITS], v);
    }

    if f.shown("conditions") {
        let c = &p.conditions;
        let en = usize::from(!lb.zh);
        f.heading(l[CONDITIONS]);
        let v = plain(&f, "conditions.tools", &join(&c.tools, lb.list_sep))?;
        f.wide(TOOLS[en], v);
        let v = f.md(
            "conditions.environment",
            c.environment.as_ref().map(|t| t.value.as_str()),
        )?;
        f.wide(ENVIRONMENT[en], v);
        let v = f.md(
            "conditions.hours",
            c.hours.as_ref().map(|t| t.value.as_str()),
        )?;
        f.wide(HOURS[en], v);
        let v = plain(&f, "conditions.records", &join(&c.records, lb.list_sep))?;
        f.wide(RECORDS[en], v);
    }

    if f.shown("kpis") {
        let zh = lb.zh;
        let items: Vec<String> = p
            .kpis
            .iter()
            .map(|k| {
                let unit = k.unit.as_ref().map_or("", |u| u.value.as_str());
                let mut parts = Vec::new();
                if let Some(w) = &k.weight {
                    parts.push(if zh {
                        format!("权重 {}%", num(w.value))
                    } else {
                        format!("weight {}%", num(w.value))
                    });
                }
                if let Some(t) = &k.target {
                    let t = match t.value {
                        crate::model::Target::Value(v) => format!("{}{unit}", num(v)),
                        crate::model::Target::Band(a, b) => format!("{}–{}{unit}", num(a), num(b)),
                    };
                    parts.push(if zh {
                        format!("目标 {t}")
                    } else {
                        format!("target {t}")
                    });
                }
                if parts.is_empty() {
                    k.name.value.clone()
                } else if zh {
                    format!("{}（{}）", k.name.value, parts.join("，"))
                } else {
                    format!("{} ({})", k.name.value, parts.join(", "))
                }
            })
            .collect();
        let items: Vec<&str> = items.iter().map(String::as_str).collect();
        let v = f.check("kpis", Rich::numbered(&items))?;
        f.wide(l[KPIS], v);
    }

    if f.shown("notes") {
        let v = f.md("notes", p.notes.as_ref().map(|t| t.value.as_str()))?;
        f.wide(l[NOTES], v);
    }

    let heading = format!("{}{}", p.title.value, lb.form_suffix);
    f.check("title", Rich::bold(&heading))?;
    Ok(Section {
        name: format!("{} · {}", p.department.value, p.title.value),
        blocks: vec![Block::Title(heading), Block::Form(f.form)],
    })
}
