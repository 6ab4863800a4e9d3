//! The compliance checker: a registry of rules over a loaded organization.
//!
//! Every rule, `check`'s and `score`'s, is a [`Rule`] constant beside the code that finds it
//! (cargo's `LINTS` pattern), listed in [`RULES`]; findings are made from the rule, so code and
//! default severity are the registry's, and [`Levels`] applies `_org.toml` `[checks]` in one
//! place. Each rule family lives in its own file and returns findings as data; [`check`] runs
//! them all, applies the severities, and sorts the result. docs/checks.md is tested against
//! [`RULES`].

mod duties;
mod families;
mod handbook;
mod kpi;
mod org;
mod references;
mod reporting;
mod reserved;
mod templates;
pub mod text;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diag::{self, Diagnostic, FileId, Location, Severity, Span};
use crate::load::{Loaded, did_you_mean};
use crate::model::{Level, OrgSettings};
use crate::pdf::FontSource;

pub use duties::{DUPLICATE_DUTY, PURPOSE_UNCOVERED};
pub use families::FAMILY_TEMPLATE;
pub use kpi::{KPI_DEFINITION, KPI_NO_TARGET, KPI_WEIGHTS};
pub use org::{DUPLICATE_CODE, UNKNOWN_DEPARTMENT, UNKNOWN_LEVEL};
pub use references::{SUPERIOR_MISMATCH, UNKNOWN_POSITION_REFERENCE};
pub use reporting::{
    AUTHORITY_WITHOUT_SUBORDINATES, LEVEL_INVERSION, QUALIFICATION_INVERSION, REPORTING_CYCLE,
    UNKNOWN_SUPERIOR,
};
pub use reserved::MISASSIGNED_DUTY;

/// Which command reports a rule's findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Check,
    Score,
}

/// One rule: its stable code, default severity, what it finds and what to do about it.
///
/// Findings are made from the rule ([`Rule::at`]), so the code and severity written at a call
/// site are the registry's; `_org.toml` `[checks]` is applied in one place ([`Levels`]).
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// A milder case of the same rule with its own default severity, and when it applies
    /// ("if the levels are equal").
    pub milder: Option<(Severity, &'static str)>,
    /// `[checks]` cannot change it: its findings stop the work (a file or a row that cannot be
    /// read is never a warning).
    pub fixed: bool,
    pub command: Command,
    /// When it fires: the table of checks.md, word for word.
    pub summary: &'static str,
    /// How to fix it: SARIF help text.
    pub docs: &'static str,
}

impl Rule {
    /// A `check` rule.
    pub const fn new(
        code: &'static str,
        severity: Severity,
        summary: &'static str,
        docs: &'static str,
    ) -> Rule {
        Rule {
            code,
            severity,
            milder: None,
            fixed: false,
            command: Command::Check,
            summary,
            docs,
        }
    }

    /// The same rule with a milder case ([`Rule::milder_at`]).
    pub const fn or_milder(mut self, severity: Severity, when: &'static str) -> Rule {
        self.milder = Some((severity, when));
        self
    }

    /// The same rule, unchangeable by `[checks]`.
    pub const fn fixed(mut self) -> Rule {
        self.fixed = true;
        self
    }

    /// The same rule, reported by `score`.
    pub const fn of_score(mut self) -> Rule {
        self.command = Command::Score;
        self
    }

    /// A finding at a span of a source file, with the rule's severity.
    pub fn at(&self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.located(Location::source(file, span), message)
    }

    /// A finding of the rule's milder case at a span of a source file.
    pub fn milder_at(&self, file: FileId, span: Span, message: impl Into<String>) -> Diagnostic {
        self.milder_located(Location::source(file, span), message)
    }

    /// A finding anywhere (a workbook cell, a whole file), with the rule's severity.
    pub fn located(&self, at: Location, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.code, self.severity, at, message)
    }

    /// A finding of the rule's milder case anywhere.
    pub fn milder_located(&self, at: Location, message: impl Into<String>) -> Diagnostic {
        debug_assert!(self.milder.is_some(), "{} has no milder case", self.code);
        let severity = self.milder.map_or(self.severity, |(s, _)| s);
        Diagnostic::new(self.code, severity, at, message)
    }

    /// The severity column of checks.md: `warning`, `error; warning if …`,
    /// `error (cannot be changed)`.
    pub fn severity_text(&self) -> String {
        let mut s = self.severity.as_str().to_string();
        if let Some((milder, when)) = self.milder {
            s = format!("{s}; {} {when}", milder.as_str());
        }
        if self.fixed {
            s.push_str(" (cannot be changed)");
        }
        s
    }
}

pub use crate::kpi::import::{FORMULA, SHEET_HEADER, WORKBOOK};
pub use crate::kpi::score::{
    DUPLICATE_ROW, IMPLAUSIBLE_VALUE, KPI_MISSING, KPI_UNKNOWN, KPI_UNSCORABLE, PERIOD,
    POSITION_AMBIGUOUS, POSITION_BROKEN, POSITION_UNKNOWN, QUOTA, TWO_POSITIONS, VALUE,
};
pub use crate::kpi::template::roster::ROSTER;
pub use crate::load::{DUPLICATE_ID, MISSING_ORG, PARSE, TEMPLATE_CYCLE, UNKNOWN_TEMPLATE};
pub use handbook::{MISSING_GLYPH, UNKNOWN_CONFIDENTIAL};

/// Every rule, `check`'s in the order of checks.md, then `score`'s. Codes are stable: users'
/// CI configurations and `[checks]` tables depend on them.
pub const RULES: &[Rule] = &[
    PARSE,
    MISSING_ORG,
    DUPLICATE_ID,
    UNKNOWN_TEMPLATE,
    TEMPLATE_CYCLE,
    DUPLICATE_CODE,
    UNKNOWN_LEVEL,
    UNKNOWN_DEPARTMENT,
    UNKNOWN_SUPERIOR,
    REPORTING_CYCLE,
    LEVEL_INVERSION,
    MISASSIGNED_DUTY,
    DUPLICATE_DUTY,
    FAMILY_TEMPLATE,
    SUPERIOR_MISMATCH,
    UNKNOWN_POSITION_REFERENCE,
    QUALIFICATION_INVERSION,
    KPI_WEIGHTS,
    KPI_DEFINITION,
    KPI_NO_TARGET,
    AUTHORITY_WITHOUT_SUBORDINATES,
    PURPOSE_UNCOVERED,
    UNKNOWN_CONFIDENTIAL,
    MISSING_GLYPH,
    WORKBOOK,
    SHEET_HEADER,
    FORMULA,
    POSITION_UNKNOWN,
    POSITION_AMBIGUOUS,
    POSITION_BROKEN,
    KPI_UNKNOWN,
    VALUE,
    DUPLICATE_ROW,
    PERIOD,
    KPI_UNSCORABLE,
    KPI_MISSING,
    IMPLAUSIBLE_VALUE,
    TWO_POSITIONS,
    QUOTA,
    ROSTER,
];

/// The table of checks.md for one command's rules, generated from the registry (a test keeps
/// checks.md equal to it).
pub fn rules_table(command: Command) -> String {
    let mut out = String::from("| code | severity | fires when |\n|---|---|---|\n");
    for r in RULES.iter().filter(|r| r.command == command) {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            r.code,
            r.severity_text(),
            r.summary
        ));
    }
    out
}

/// Looks a rule up by code.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The severities of one organization: the registry's, changed by `_org.toml` `[checks]`.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    overrides: HashMap<&'static str, Level>,
}

impl Levels {
    /// The `[checks]` entries that name a rule (unknown names are `check`'s findings).
    pub fn new(settings: &OrgSettings) -> Levels {
        let overrides = settings
            .checks
            .iter()
            .filter_map(|(code, level)| {
                let rule = rule_by_code(&code.value)?;
                (!rule.fixed).then_some((rule.code, *level))
            })
            .collect();
        Levels { overrides }
    }

    /// The severity of a finding of `rule` whose default is `default`; `None` when switched
    /// off.
    pub fn severity(&self, rule: &Rule, default: Severity) -> Option<Severity> {
        match self.overrides.get(rule.code) {
            None => Some(default),
            Some(Level::Off) => None,
            Some(Level::Info) => Some(Severity::Info),
            Some(Level::Warning) => Some(Severity::Warning),
            Some(Level::Error) => Some(Severity::Error),
        }
    }

    /// Applies the severities to findings: changes them, drops those switched off.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        if self.overrides.is_empty() {
            return;
        }
        diagnostics.retain_mut(|d| {
            let Some(rule) = rule_by_code(d.code) else {
                return true;
            };
            match self.severity(rule, d.severity) {
                Some(s) => {
                    d.severity = s;
                    true
                }
                None => false,
            }
        });
    }
}

/// One file of rules, run as a whole: [`check_with`] runs them in this order; `bench_check`
/// times each.
pub struct Family {
    pub name: &'static str,
    /// Its findings, before `[checks]` is applied; `fonts` as for [`check_with`].
    pub run: fn(&Loaded, Option<&FontSource>) -> Vec<Diagnostic>,
}

impl Family {
    const fn new(
        name: &'static str,
        run: fn(&Loaded, Option<&FontSource>) -> Vec<Diagnostic>,
    ) -> Family {
        Family { name, run }
    }
}

/// The rule families, in the order their findings are collected.
pub const FAMILIES: &[Family] = &[
    Family::new("org", |l, _| org::check(l)),
    Family::new("reporting", |l, _| reporting::check(l)),
    Family::new("references", |l, _| references::check(l)),
    Family::new("duties", |l, _| duties::check(l)),
    Family::new("kpi", |l, _| kpi::check(l)),
    Family::new("handbook", handbook::check),
];

/// Runs every check; returns the loader's findings and the checks', overrides applied, sorted.
/// Characters are checked against the PDF font `build` uses without `--font`.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let fonts = FontSource::choose(None, &loaded.org.settings, &loaded.dir);
    check_with(loaded, Some(&fonts))
}

/// [`check`], with the characters checked against `fonts` (`build --font`, `check --font`),
/// or not at all (`None`: a build without a PDF).
pub fn check_with(loaded: &Loaded, fonts: Option<&FontSource>) -> Vec<Diagnostic> {
    let mut out = loaded.diagnostics.clone();
    // The families read the organization independently: run side by side, so the ones that
    // walk it on one thread overlap with the others; their findings are kept in order.
    let found: Vec<Vec<Diagnostic>> = FAMILIES
        .par_iter()
        .map(|family| (family.run)(loaded, fonts))
        .collect();
    out.extend(found.into_iter().flatten());
    templates::name_inheritors(loaded, &mut out);
    Levels::new(&loaded.org.settings).apply(&mut out);
    check_overrides(loaded, &mut out);
    diag::sort(&mut out, &loaded.sources);
    out
}

/// Unknown names in `[checks]`, and attempts to change a rule that is always an error.
fn check_overrides(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let settings = &loaded.org.settings;
    let Some(file) = settings.file else {
        return;
    };
    let codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
    for (code, level) in &settings.checks {
        match rule_by_code(&code.value) {
            None => {
                let help = match did_you_mean(&code.value, &codes) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("the checks are: {}", codes.join(", ")),
                };
                out.push(
                    PARSE
                        .at(
                            file,
                            code.span.clone(),
                            format!("unknown check `{}` in [checks]", code.value),
                        )
                        .help(help),
                );
            }
            // A broken file is always an error; saying so beats ignoring the line.
            Some(rule) if rule.fixed && *level != Level::Error => out.push(
                PARSE
                    .at(
                        file,
                        code.span.clone(),
                        format!(
                            "`{}` is always an error: [checks] cannot change it",
                            rule.code
                        ),
                    )
                    .help("remove this line"),
            ),
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        for (i, r) in RULES.iter().enumerate() {
            assert!(
                r.code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                r.code
            );
            assert!(!RULES[..i].iter().any(|o| o.code == r.code), "{}", r.code);
        }
    }

    /// A rule declared anywhere in src/ and not listed in RULES would be undocumented and
    /// unknown to `[checks]`.
    #[test]
    fn every_rule_declared_is_listed() {
        fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for part in text.split("Rule::new(").skip(1) {
                        let code = part.trim_start().strip_prefix('"').unwrap_or("");
                        let code = code.split('"').next().unwrap_or("");
                        // Kebab-case codes only (this test's own text has the pattern too).
                        if !code.is_empty()
                            && code.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                        {
                            out.push(code.to_string());
                        }
                    }
                }
            }
        }
        let mut declared = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut declared,
        );
        assert!(declared.len() >= RULES.len(), "{declared:?}");
        for code in declared {
            assert!(rule_by_code(&code).is_some(), "`{code}` is not in RULES");
        }
    }

    /// checks.md's tables are the registry's, word for word: change one, change the other
    /// (the message prints the tables to paste).
    #[test]
    fn checks_md_is_the_registry() {
        let doc = include_str!("../../docs/checks.md");
        for command in [Command::Check, Command::Score] {
            let table = rules_table(command);
            assert!(
                doc.contains(&table),
                "docs/checks.md differs from the registry; the {command:?} table is:\n\n{table}"
            );
        }
        for line in doc.lines().filter(|l| l.starts_with("| `")) {
            let code = line[3..].split('`').next().unwrap_or("");
            if rule_by_code(code).is_none() {
                panic!("docs/checks.md lists `{code}`, which is not in RULES");
            }
        }
    }

    /// The README's table has the registry's codes and severities (its prose is shorter).
    #[test]
    fn readme_lists_every_check_with_its_severity() {
        let readme = include_str!("../../README.md");
        for r in RULES.iter().filter(|r| r.command == Command::Check) {
            let row = format!("| `{}` | {} |", r.code, r.severity_text());
            assert!(readme.contains(&row), "README.md has no row starting {row}");
        }
    }
}
