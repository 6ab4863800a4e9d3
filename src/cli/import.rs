//! `rolebook import SOURCE… [--out DIR]`: Word forms in, position files out, then `check`.

use std::path::PathBuf;

use anyhow::bail;
use clap::ValueEnum;

use super::{Outcome, default_dir, print};
use crate::check::check_with;
use crate::diag::Summary;
use crate::import::{self, Action, Options, Plan, Report};
use crate::load::{Input, load_dir, load_with_templates, template_inputs};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// lines for people
    Human,
    /// the import report as one JSON document
    Json,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  rolebook import 岗位说明书/ --out positions\n  \
rolebook import 客服部.docx 销售部.txt --dry-run\n\n\
Reads .docx and pasted text (.txt, .md; UTF-8, UTF-16 or GBK), one position file per form. \
Existing files are never replaced without --force; _org.toml is written only when missing.\n\
Exit codes: 0 every source read, 1 some could not be (the others are imported), \
2 the tool could not run."
)]
pub struct Args {
    /// Word files (.docx, .doc), pasted text (.txt, .md), or folders of them
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// The positions folder to write into
    #[arg(long, default_value_os_t = default_dir())]
    pub out: PathBuf,
    /// Show what would be written, write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Replace position files that already exist
    #[arg(long)]
    pub force: bool,
    /// The organization's name for a new _org.toml (default: the first document's heading)
    #[arg(long)]
    pub org_name: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    if args.out.exists() && !args.out.is_dir() {
        bail!("--out {} is not a folder", args.out.display());
    }
    let plan = import::plan(
        &args.sources,
        &Options {
            out: args.out.clone(),
            force: args.force,
            org_name: args.org_name.clone(),
        },
    );
    let written = if args.dry_run {
        0
    } else {
        import::apply(&plan, &args.out)?
    };
    let summary = check_summary(&plan, &args);
    let text = match args.format {
        Format::Json => {
            let mut v = serde_json::to_value(&plan.report)?;
            v["dry_run"] = args.dry_run.into();
            v["written"] = written.into();
            v["check"] = summary.map_or(serde_json::Value::Null, |s| {
                serde_json::json!({
                    "positions": s.positions, "errors": s.errors,
                    "warnings": s.warnings, "infos": s.infos,
                })
            });
            let mut t = serde_json::to_string_pretty(&v)?;
            t.push('\n');
            t
        }
        Format::Human => human(&plan.report, args.dry_run, written, summary, &args),
    };
    print(&text)?;
    Ok(if plan.report.incomplete() {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

/// `check` on the result: the folder as written, or, in a dry run, the planned files.
fn check_summary(plan: &Plan, args: &Args) -> Option<Summary> {
    if plan.report.positions.is_empty() {
        return None;
    }
    let loaded = if args.dry_run {
        let mut org = None;
        let mut positions = Vec::new();
        for (path, text, action) in &plan.files {
            let input = match action {
                Action::Keep => Input::read(path),
                _ => Input::new(path.clone(), text.clone().into_bytes()),
            };
            if path.file_name().is_some_and(|n| n == crate::load::ORG_FILE) {
                org = Some(input);
            } else {
                positions.push(input);
            }
        }
        // Existing positions may extend the folder's templates.
        let templates = template_inputs(&args.out).unwrap_or_default();
        load_with_templates(&args.out, org, templates, positions)
    } else {
        load_dir(&args.out).ok()?
    };
    let diagnostics = check_with(&loaded, None);
    Some(Summary::of(
        loaded.org.positions.len() + loaded.broken.len(),
        &diagnostics,
    ))
}

fn human(r: &Report, dry: bool, written: usize, summary: Option<Summary>, args: &Args) -> String {
    let mut s = String::new();
    for src in &r.sources {
        match &src.error {
            Some(e) => {
                s.push_str(&format!("error: {}: {e}\n", src.path));
                if let Some(h) = &src.help {
                    s.push_str(&format!("  = help: {h}\n"));
                }
            }
            None => {
                let enc = src
                    .read_as
                    .as_ref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                let plural = if src.forms == 1 { "" } else { "s" };
                s.push_str(&format!(
                    "read {}: {} form{plural}{enc}\n",
                    src.path, src.forms
                ));
            }
        }
        for k in &src.skipped {
            s.push_str(&format!("warning: {}: {k}\n", src.path));
        }
    }
    for p in &r.positions {
        let verb = match (p.action, dry) {
            (Action::Keep, _) => "exists, not replaced (--force replaces it):",
            (Action::Create, true) => "would write",
            (Action::Replace, true) => "would replace",
            (Action::Create, false) => "wrote",
            (Action::Replace, false) => "replaced",
        };
        s.push_str(&format!(
            "  {} {verb} {}  (from {} form {})\n",
            p.title, p.file, p.source, p.form
        ));
        if let Some(first) = &p.same_title_as {
            s.push_str(&format!(
                "    note: same title as `{first}`: kept as `{}`; merge or delete one by hand\n",
                p.id
            ));
        }
        if !p.unknown_labels.is_empty() {
            s.push_str(&format!(
                "    note: labels not in the dictionary, kept in notes: {}\n",
                p.unknown_labels.join("、")
            ));
        }
        for g in &p.guesses {
            s.push_str(&format!("    guess: {g}\n"));
        }
    }
    match r.org_action {
        Action::Keep => {
            if !r.externals.is_empty() {
                s.push_str(&format!(
                    "{} exists and was kept: add these superiors to its [external]:\n",
                    r.org_file
                ));
                for e in &r.externals {
                    s.push_str(&format!(
                        "  \"{}\" = {{ title = \"{}\", level = \"{}\" }}\n",
                        e.id, e.title, e.level
                    ));
                }
            }
        }
        _ if r.positions.is_empty() => {}
        _ => s.push_str(&format!(
            "{} {} (name \"{}\"{}): check the name and the levels\n",
            if dry { "would write" } else { "wrote" },
            r.org_file,
            r.org_name,
            if args.org_name.is_some() {
                ""
            } else {
                ", from the document heading; --org-name sets it"
            }
        )),
    }
    if dry {
        s.push_str("dry run: nothing written\n");
    } else {
        s.push_str(&format!("{written} files written to {}\n", r.out));
    }
    if let Some(sm) = summary {
        let n = |k: usize, one: &str| format!("{k} {one}{}", if k == 1 { "" } else { "s" });
        let then = if dry {
            "of the files as they would be written".to_string()
        } else {
            format!("see them with `rolebook check {}`", r.out)
        };
        s.push_str(&format!(
            "check: {}, {}, {} in {}; {then}\n",
            n(sm.errors, "error"),
            n(sm.warnings, "warning"),
            n(sm.infos, "info"),
            n(sm.positions, "position"),
        ));
    }
    s
}
