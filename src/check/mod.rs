//! The compliance checker: a registry of rules over a loaded organization.
//!
//! Each rule family lives in its own file and returns findings as data; [`check`] runs them
//! all, applies the severity overrides of `_org.toml` `[checks]`, and sorts the result.

mod duties;
mod kpi;
mod org;
mod references;
mod reporting;
pub mod text;

use crate::diag::{self, Diagnostic, Severity};
use crate::load::{Loaded, did_you_mean};
use crate::model::Level;

/// One check: its stable code, default severity and what it finds.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    pub doc: &'static str,
}

const fn rule(code: &'static str, severity: Severity, doc: &'static str) -> Rule {
    Rule {
        code,
        severity,
        doc,
    }
}

/// Every check, in the order of checks.md. Codes are stable: users' CI depends on them.
pub const RULES: &[Rule] = &[
    rule(
        "parse",
        Severity::Error,
        "a file is not valid TOML, a value has the wrong type, a required key is missing, or a key is unknown",
    ),
    rule(
        "missing-org",
        Severity::Error,
        "the positions folder has no _org.toml",
    ),
    rule(
        "duplicate-id",
        Severity::Error,
        "two files in different folders have the same stem",
    ),
    rule(
        "duplicate-code",
        Severity::Error,
        "two positions share a code (岗位编号)",
    ),
    rule(
        "unknown-level",
        Severity::Error,
        "level is not in _org.toml levels, or cannot be inferred from the title",
    ),
    rule(
        "unknown-department",
        Severity::Error,
        "the department is not listed in _org.toml departments",
    ),
    rule(
        "unknown-superior",
        Severity::Error,
        "reports_to names neither a position nor an [external] entry",
    ),
    rule(
        "reporting-cycle",
        Severity::Error,
        "following reports_to comes back to the start",
    ),
    rule(
        "level-inversion",
        Severity::Error,
        "a position reports to one whose level is not higher (error if lower, warning if equal)",
    ),
    rule(
        "misassigned-duty",
        Severity::Error,
        "a duty or authority is reserved for a higher level than the position's",
    ),
    rule(
        "duplicate-duty",
        Severity::Warning,
        "the same duty, or nearly the same, appears twice (delegation is not duplication)",
    ),
    rule(
        "superior-mismatch",
        Severity::Warning,
        "free text says work is assigned by someone who is not the direct superior",
    ),
    rule(
        "unknown-position-reference",
        Severity::Warning,
        "free text or relations name a position title this organization does not have",
    ),
    rule(
        "qualification-inversion",
        Severity::Warning,
        "a position requires more education or experience than its direct superior",
    ),
    rule(
        "kpi-weights",
        Severity::Error,
        "KPI weights are partly missing, negative, or do not sum to 100 (no weights at all: warning)",
    ),
    rule(
        "kpi-definition",
        Severity::Error,
        "a KPI is defined so that it cannot be scored, or a duty names an unknown KPI",
    ),
    rule(
        "kpi-no-target",
        Severity::Warning,
        "a KPI has no target, so it cannot be scored",
    ),
    rule(
        "authority-without-subordinates",
        Severity::Warning,
        "an authority speaks of subordinates and the position has none",
    ),
    rule(
        "purpose-uncovered",
        Severity::Info,
        "the summary (本职) names work that no duty mentions",
    ),
];

/// Looks a rule up by code.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// Runs every check; returns the loader's findings and the checks', overrides applied, sorted.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = loaded.diagnostics.clone();
    out.extend(org::check(loaded));
    out.extend(reporting::check(loaded));
    out.extend(references::check(loaded));
    out.extend(duties::check(loaded));
    out.extend(kpi::check(loaded));
    apply_overrides(loaded, &mut out);
    diag::sort(&mut out, &loaded.sources);
    out
}

fn apply_overrides(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let settings = &loaded.org.settings;
    let Some(file) = settings.file else {
        return;
    };
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    for (code, level) in &settings.checks {
        if rule_by_code(&code.value).is_none() {
            let help = match did_you_mean(&code.value, &codes) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("the checks are: {}", codes.join(", ")),
            };
            out.push(
                Diagnostic::error(
                    "parse",
                    file,
                    code.span.clone(),
                    format!("unknown check `{}` in [checks]", code.value),
                )
                .help(help),
            );
            continue;
        }
        if code.value == "parse" && *level != Level::Error {
            continue; // a broken file is always an error
        }
        let severity = match level {
            Level::Off => {
                out.retain(|d| d.code != code.value);
                continue;
            }
            Level::Info => Severity::Info,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        };
        for d in out.iter_mut().filter(|d| d.code == code.value) {
            d.severity = severity;
        }
    }
}
