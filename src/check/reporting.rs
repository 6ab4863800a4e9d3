//! Reporting lines: `unknown-superior`, `reporting-cycle`, `level-inversion`,
//! `qualification-inversion`, `authority-without-subordinates`.

use super::Rule;
use crate::diag::{Diagnostic, Severity};
use crate::load::{Loaded, did_you_mean};
use crate::model::{Org, Position, Superior};

pub const UNKNOWN_SUPERIOR: Rule = Rule::new(
    "unknown-superior",
    Severity::Error,
    "`reports_to` names neither a position nor an `[external]` entry (suggest the closest id, and the id of a position whose *title* matches, since users often write the title)",
    "write the superior's id (its file name without .toml), or add it to [external] in _org.toml",
);

pub const REPORTING_CYCLE: Rule = Rule::new(
    "reporting-cycle",
    Severity::Error,
    "following `reports_to` comes back to the start; report the whole cycle once, not once per member",
    "one position in the cycle reports to the wrong superior: break the cycle at it",
);

pub const LEVEL_INVERSION: Rule = Rule::new(
    "level-inversion",
    Severity::Error,
    "a position reports to one whose level is not higher than its own",
    "a superior must be of a higher level: check reports_to and both levels",
)
.or_milder(Severity::Warning, "if the levels are equal");

pub const QUALIFICATION_INVERSION: Rule = Rule::new(
    "qualification-inversion",
    Severity::Warning,
    "a position requires a higher education level, or more `experience_years`, than its direct superior",
    "lower the requirement, or raise the superior's",
);

pub const AUTHORITY_WITHOUT_SUBORDINATES: Rule = Rule::new(
    "authority-without-subordinates",
    Severity::Warning,
    "an authority speaks of 下级 / 下属 / subordinates (people: 下属分公司, 下属单位, 下级部门, subordinate units are not) and the position has no direct reports",
    "remove the authority, or check the reports_to of the positions below it",
);

pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let org = &loaded.org;
    let mut out = Vec::new();
    unknown_superiors(loaded, &mut out);
    cycles(org, &mut out);
    for (i, p) in org.positions.iter().enumerate() {
        level_inversion(org, p, &mut out);
        qualification_inversion(org, p, &mut out);
        authority_without_subordinates(org, i, p, &mut out);
    }
    out
}

fn unknown_superiors(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let org = &loaded.org;
    let mut ids: Option<Vec<&str>> = None;
    for p in &org.positions {
        let Some(r) = &p.reports_to else { continue };
        if !matches!(org.superior(p), Superior::Unknown) || loaded.is_known_id(&r.value) {
            continue;
        }
        let ids = ids.get_or_insert_with(|| {
            org.positions
                .iter()
                .map(|p| p.id.as_str())
                .chain(org.settings.external.iter().map(|e| e.id.value.as_str()))
                .collect()
        });
        let mut d = UNKNOWN_SUPERIOR
            .at(
                p.file,
                r.span.clone(),
                format!(
                    "reports_to \"{}\" is neither a position id nor an [external] entry",
                    r.value
                ),
            )
            .position(&p.id)
            .label("no position has this id");
        let by_title: Vec<&Position> = org
            .positions
            .iter()
            .filter(|q| q.title.value == r.value.trim())
            .collect();
        if let Some(q) = by_title.first() {
            d = d
                .help(format!(
                    "\"{}\" is the title of `{}`: write reports_to = \"{}\"",
                    r.value, q.id, q.id
                ))
                .related(
                    q.file,
                    q.title.span.clone(),
                    format!("the title of {}", q.id),
                );
        } else if let Some(e) = org
            .settings
            .external
            .iter()
            .find(|e| e.title.value == r.value.trim())
        {
            d = d.help(format!(
                "\"{}\" is the title of the external superior `{}`: write reports_to = \"{}\"",
                r.value, e.id.value, e.id.value
            ));
        } else if let Some(s) = did_you_mean(&r.value, ids) {
            d = d.help(format!("did you mean \"{s}\"?"));
        } else {
            d = d.help(
                "reports_to takes a position id (its file name without .toml) or an id \
                 listed under [external] in _org.toml",
            );
        }
        out.push(d);
    }
}

/// Each position has at most one superior, so cycles are found by walking each chain once.
fn cycles(org: &Org, out: &mut Vec<Diagnostic>) {
    let n = org.positions.len();
    let next: Vec<Option<usize>> = org
        .positions
        .iter()
        .map(|p| p.reports_to.as_ref().and_then(|r| org.index_of(&r.value)))
        .collect();
    // 0 = unvisited, 1 = on the current walk, 2 = done.
    let mut state = vec![0u8; n];
    for start in 0..n {
        let mut path = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            match state[c] {
                2 => break,
                1 => {
                    let from = path.iter().position(|&x| x == c).unwrap_or(0);
                    report_cycle(org, &path[from..], out);
                    break;
                }
                _ => {
                    state[c] = 1;
                    path.push(c);
                    cur = next[c];
                }
            }
        }
        for c in path {
            state[c] = 2;
        }
    }
}

fn report_cycle(org: &Org, members: &[usize], out: &mut Vec<Diagnostic>) {
    // Start the story at the smallest id so the report is stable.
    let k = (0..members.len())
        .min_by_key(|&k| &org.positions[members[k]].id)
        .unwrap_or(0);
    let ordered: Vec<&Position> = members[k..]
        .iter()
        .chain(&members[..k])
        .map(|&i| &org.positions[i])
        .collect();
    let first = ordered[0];
    let span = first.reports_to.as_ref().map_or(0..0, |r| r.span.clone());
    let d = if ordered.len() == 1 {
        REPORTING_CYCLE
            .at(
                first.file,
                span,
                format!("{} ({}) reports to itself", first.title.value, first.id),
            )
            .help("remove reports_to at the top of the organization, or name the real superior")
    } else {
        let chain: Vec<&str> = ordered
            .iter()
            .map(|p| p.id.as_str())
            .chain(std::iter::once(first.id.as_str()))
            .collect();
        let mut d = REPORTING_CYCLE
            .at(
                first.file,
                span,
                format!(
                    "reporting cycle of {} positions: {}",
                    ordered.len(),
                    chain.join(" → ")
                ),
            )
            .help("one of these reports_to must point outside the cycle");
        for p in &ordered[1..] {
            let span = p.reports_to.as_ref().map_or(0..0, |r| r.span.clone());
            d = d.related(
                p.file,
                span,
                format!(
                    "{} reports to {}",
                    p.id,
                    p.reports_to.as_ref().map_or("", |r| r.value.as_str())
                ),
            );
        }
        d
    };
    out.push(d.position(&first.id).label("the cycle starts here"));
}

fn superior_level<'a>(org: &'a Org, p: &Position) -> Option<(usize, String, Option<&'a Position>)> {
    match org.superior(p) {
        Superior::Position(s) => s
            .level_index
            .map(|l| (l, format!("{} ({})", s.title.value, s.id), Some(s))),
        Superior::External(e) => e.level_index.map(|l| (l, e.title.value.clone(), None)),
        _ => None,
    }
}

fn level_inversion(org: &Org, p: &Position, out: &mut Vec<Diagnostic>) {
    let (Some(own), Some(r)) = (p.level_index, &p.reports_to) else {
        return;
    };
    if r.value == p.id {
        return; // reported as a cycle
    }
    let Some((sup, name, sup_pos)) = superior_level(org, p) else {
        return;
    };
    if sup > own {
        return;
    }
    let relation = if sup < own {
        "lower than"
    } else {
        "the same as"
    };
    let settings = &org.settings;
    let message = format!(
        "{} ({}) reports to {name}, whose level {} is {relation} its own level {}",
        p.title.value,
        settings.level_name(own),
        settings.level_name(sup),
        settings.level_name(own),
    );
    let d = if sup < own {
        LEVEL_INVERSION.at(p.file, r.span.clone(), message)
    } else {
        LEVEL_INVERSION.milder_at(p.file, r.span.clone(), message)
    };
    let mut d = d
        .position(&p.id)
        .help("a superior must be of a higher level: check reports_to and both levels");
    if let Some(s) = sup_pos {
        let span = s
            .level
            .as_ref()
            .map_or(s.title.span.clone(), |l| l.span.clone());
        d = d.related(s.file, span, format!("level of {}", s.id));
    }
    out.push(d);
}

fn qualification_inversion(org: &Org, p: &Position, out: &mut Vec<Diagnostic>) {
    let Superior::Position(s) = org.superior(p) else {
        return;
    };
    if s.id == p.id {
        return;
    }
    let (q, sq) = (&p.qualifications, &s.qualifications);
    let mut report = |span: crate::diag::Span,
                      what: String,
                      sup: String,
                      other: crate::diag::Span,
                      field: &str| {
        out.push(
            QUALIFICATION_INVERSION
                .at(
                    p.file,
                    span,
                    format!(
                        "{} requires {what} but its superior {} ({}) requires only {sup}",
                        p.title.value, s.title.value, s.id
                    ),
                )
                .position(&p.id)
                .related(s.file, other, format!("{field} of {}", s.id))
                .help("lower this requirement or raise the superior's"),
        );
    };
    if let (Some(e), Some(se)) = (&q.education, &sq.education)
        && e.value > se.value
    {
        let (own, sup) = (e.value.zh().to_string(), se.value.zh().to_string());
        report(e.span.clone(), own, sup, se.span.clone(), "education");
    }
    if let (Some(y), Some(sy)) = (&q.experience_years, &sq.experience_years)
        && y.value > sy.value
    {
        let own = format!("{} years of experience", y.value);
        report(
            y.span.clone(),
            own,
            sy.value.to_string(),
            sy.span.clone(),
            "experience_years",
        );
    }
}

fn authority_without_subordinates(org: &Org, i: usize, p: &Position, out: &mut Vec<Diagnostic>) {
    if org.direct_reports(i).next().is_some() {
        return;
    }
    for a in &p.authorities {
        if over_people(&a.value.to_lowercase()) {
            out.push(
                AUTHORITY_WITHOUT_SUBORDINATES
                    .at(
                        p.file,
                        a.span.clone(),
                        format!(
                            "authority over subordinates, but no position reports to {} ({})",
                            p.title.value, p.id
                        ),
                    )
                    .position(&p.id)
                    .help("remove the authority, or set reports_to of the subordinate positions"),
            );
        }
    }
}

/// Whether an authority speaks of subordinate people: 下级 / 下属 / subordinates, but not
/// subordinate units (下属分公司, 下属单位, 下级部门, subordinate companies), which are
/// organizations, not people reporting to the position.
fn over_people(lower: &str) -> bool {
    const UNITS: &[&str] = &[
        "单位",
        "分公司",
        "子公司",
        "公司",
        "部门",
        "企业",
        "机构",
        "门店",
        "网点",
        "分支",
        "工厂",
        "项目部",
        " unit",
        " compan",
        " subsidiar",
        " department",
        " branch",
        " office",
        " entit",
    ];
    ["下级", "下属", "subordinate", "direct report"]
        .iter()
        .any(|w| {
            lower.match_indices(w).any(|(i, _)| {
                let after = &lower[i + w.len()..];
                let after = after.strip_prefix('s').unwrap_or(after);
                let after = after.trim_start_matches(['各', '的']);
                // 下属部门经理 is a person again.
                !UNITS.iter().any(|u| {
                    after.strip_prefix(u).is_some_and(|rest| {
                        let rest = rest.trim_start_matches('的');
                        ![
                            "经理",
                            "主管",
                            "负责人",
                            "人员",
                            "员工",
                            " manager",
                            " head",
                        ]
                        .iter()
                        .any(|p| rest.starts_with(p))
                    })
                })
            })
        })
}

#[cfg(test)]
mod tests {
    use super::over_people;

    #[test]
    fn subordinate_units_are_not_subordinates() {
        for a in [
            "对下级人员的任免权",
            "对下属员工的考核权",
            "下属的工作分配权",
            "Appraisal of subordinates",
            "direct reports' leave approval",
            "对下属部门经理的考核权",
        ] {
            assert!(over_people(a), "{a}");
        }
        for a in [
            "对下属分公司的考核权",
            "对下属单位的检查权",
            "下属各分公司的业务指导权",
            "下级部门的协调权",
            "下属公司的财务监督权",
            "Audit of subordinate units",
            "oversight of subordinate companies",
        ] {
            assert!(!over_people(&a.to_lowercase()), "{a}");
        }
    }
}
