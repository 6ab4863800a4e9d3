//! Organization-wide identity checks: `duplicate-code`, `unknown-level`, `unknown-department`.

use std::collections::HashMap;

use super::Rule;
use crate::diag::{Diagnostic, Severity};
use crate::load::{Loaded, did_you_mean};

pub const DUPLICATE_CODE: Rule = Rule::new(
    "duplicate-code",
    Severity::Error,
    "two positions share a `code` (岗位编号)",
    "岗位编号 must be unique: give one of them another code",
);

pub const UNKNOWN_LEVEL: Rule = Rule::new(
    "unknown-level",
    Severity::Error,
    "`level` is not in `_org.toml` `levels`, or cannot be inferred from the title",
    "write one of the organization's levels in `level`, or add the level to _org.toml",
);

pub const UNKNOWN_DEPARTMENT: Rule = Rule::new(
    "unknown-department",
    Severity::Error,
    "`departments` is given in `_org.toml` and the position's department is not in it",
    "correct the department, or add it to `departments` in _org.toml",
);

pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let org = &loaded.org;
    let settings = &org.settings;
    let mut out = Vec::new();
    let levels: Vec<&str> = settings.levels.iter().map(|l| l.value.as_str()).collect();

    let mut codes: HashMap<&str, usize> = HashMap::new();
    for (i, p) in org.positions.iter().enumerate() {
        if let Some(code) = &p.code {
            match codes.get(code.value.as_str()) {
                Some(&first) => {
                    let other = &org.positions[first];
                    let span = other.code.as_ref().map_or(0..0, |c| c.span.clone());
                    out.push(
                        DUPLICATE_CODE
                            .at(
                                p.file,
                                code.span.clone(),
                                format!(
                                    "code {} is also the code of {} ({})",
                                    code.value, other.title.value, other.id
                                ),
                            )
                            .position(&p.id)
                            .label("used twice")
                            .related(other.file, span, format!("{} has it first", other.id))
                            .help("岗位编号 must be unique: give one of them another code"),
                    );
                }
                None => {
                    codes.insert(&code.value, i);
                }
            }
        }

        if p.level_index.is_none() {
            let d = match &p.level {
                Some(l) => {
                    let help = match did_you_mean(&l.value, &levels) {
                        Some(s) => format!("did you mean \"{s}\"?"),
                        None => format!("use one of: {}", levels.join(", ")),
                    };
                    UNKNOWN_LEVEL
                        .at(
                            p.file,
                            l.span.clone(),
                            format!(
                                "level \"{}\" is not one of the organization's levels",
                                l.value
                            ),
                        )
                        .label("not in _org.toml `levels`")
                        .help(help)
                }
                None => UNKNOWN_LEVEL
                    .at(
                        p.file,
                        p.title.span.clone(),
                        format!("cannot infer the level of {} from its title", p.title.value),
                    )
                    .label("ends in no level name")
                    .help(format!(
                        "add level = \"…\" with one of: {}",
                        levels.join(", ")
                    )),
            };
            out.push(d.position(&p.id));
        }

        if let Some(depts) = &settings.departments
            && !depts.iter().any(|d| d.value == p.department.value)
        {
            let names: Vec<&str> = depts.iter().map(|d| d.value.as_str()).collect();
            let help = match did_you_mean(&p.department.value, &names) {
                Some(s) => format!("did you mean \"{s}\"?"),
                None => format!(
                    "add it to `departments` in _org.toml, or use one of: {}",
                    names.join(", ")
                ),
            };
            let mut d = UNKNOWN_DEPARTMENT
                .at(
                    p.file,
                    p.department.span.clone(),
                    format!(
                        "department \"{}\" is not listed in _org.toml",
                        p.department.value
                    ),
                )
                .position(&p.id)
                .help(help);
            if let Some(f) = settings.file {
                let span = depts.first().map_or(0..0, |d| d.span.clone());
                d = d.related(f, span, "the departments");
            }
            out.push(d);
        }
    }
    out
}
