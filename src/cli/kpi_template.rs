//! `rolebook kpi-template`: write the KPI input workbook for the coming period.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::{Outcome, default_dir, print};
use crate::diag::{self, HumanOptions, Severity, Summary, display_path, render_human_findings};
use crate::kpi::template;
use crate::load::load_dir;
use crate::output::{Target, check_target, write_atomic};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Fill in 姓名 and 实际值 (copy a position's rows for each person, or give \
--roster to have a position's rows written for each of its people), then run `rolebook score \
FILE`.\n\nA roster is a .xlsx, .xls, .ods or .csv file with the columns 姓名 (Employee) and \
岗位编号 (a position's id, code or unique title); 工号 is optional.\n\nAn existing --out is replaced only when it is a template rolebook \
wrote (recognised by its custom document property rolebook = kpi-template) and no 姓名 or 实际值 \
has been filled in; anything else needs --force. Nothing is ever written into the positions \
folder, and a position file that cannot be read stops the command."
)]
pub struct Args {
    /// The period written on every row (e.g. 2024Q2, 2024-06): required
    #[arg(long)]
    pub period: Option<String>,
    /// The people to write rows for: a .xlsx/.xls/.ods/.csv file with the columns 姓名 and
    /// 岗位编号 (or a position's id or unique title), optionally 工号
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,
    /// The workbook to write
    #[arg(long, default_value = "output/kpi-template.xlsx")]
    pub out: PathBuf,
    /// The positions folder
    #[arg(long, default_value_os_t = default_dir())]
    pub positions: PathBuf,
    /// Replace --out even when it is not an unfilled template rolebook wrote
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    // A template without a period reads back as rows score cannot place: ask for it first.
    let Some(period) = args
        .period
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    else {
        bail!(
            "no period given: kpi-template writes the period (期间) on every row; pass it with \
             --period, e.g. --period 2024Q2 (a quarter) or --period 2024-06 (a month)"
        );
    };
    let loaded = load_dir(&args.positions)?;
    if !loaded.broken.is_empty() {
        // A template without a position is silently wrong: say which file and why.
        let mut errors: Vec<_> = loaded
            .diagnostics
            .iter()
            .filter(|d| {
                d.severity == Severity::Error
                    && d.position
                        .as_ref()
                        .is_some_and(|p| loaded.broken.contains(p))
            })
            .cloned()
            .collect();
        diag::sort(&mut errors, &loaded.sources);
        let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        eprint!(
            "{}",
            diag::render_human(
                &errors,
                &loaded.sources,
                Summary::of(loaded.broken.len(), &errors),
                HumanOptions { color },
            )
        );
        eprintln!(
            "error: no template written: {} position file{} could not be read (fix {}, then \
             run again)",
            loaded.broken.len(),
            if loaded.broken.len() == 1 { "" } else { "s" },
            if loaded.broken.len() == 1 {
                "it"
            } else {
                "them"
            },
        );
        return Ok(Outcome::Findings);
    }
    refuse_positions_folder(&args.out, &args.positions)?;
    if !args.force {
        refuse_other_file(&args.out)?;
    }
    let roster = match &args.roster {
        Some(path) => match template::roster::read(&loaded.org, path, &display_path(path)) {
            Ok(r) => Some(r),
            Err(problems) => {
                // In the roster's order: sheet by sheet, row by row.
                let color =
                    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
                eprint!(
                    "{}",
                    render_human_findings(&problems, &loaded.sources, HumanOptions { color })
                );
                eprintln!(
                    "error: no template written: {} problem{} in the roster `{}`",
                    problems.len(),
                    if problems.len() == 1 { "" } else { "s" },
                    display_path(path)
                );
                return Ok(Outcome::Findings);
            }
        },
        None => None,
    };
    let bytes = template::build(&loaded.org, period, roster.as_ref())
        .context("failed to build the template workbook")?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create `{}`", display_path(dir)))?;
    }
    write_atomic(&args.out, &bytes)
        .with_context(|| format!("failed to write `{}`", display_path(&args.out)))?;
    let kpis = |pi: usize| loaded.org.positions[pi].kpis.len();
    let summary = match &roster {
        Some(r) => format!(
            "{} people, {} KPI rows",
            r.people.len(),
            r.people.iter().map(|p| kpis(p.position)).sum::<usize>()
        ),
        None => format!(
            "{} positions, {} KPI rows",
            loaded.org.positions.len(),
            (0..loaded.org.positions.len()).map(kpis).sum::<usize>()
        ),
    };
    print(&format!(
        "wrote {} for {period} ({summary})\n",
        display_path(&args.out)
    ))?;
    Ok(Outcome::Ok)
}

/// Only `new` and `init` write into the positions folder.
fn refuse_positions_folder(out: &Path, positions: &Path) -> anyhow::Result<()> {
    let Ok(positions) = positions.canonicalize() else {
        return Ok(());
    };
    // The nearest folder of --out that exists: --out may name folders still to be created.
    let mut dir = out.parent();
    while let Some(d) = dir {
        let d = if d.as_os_str().is_empty() {
            Path::new(".")
        } else {
            d
        };
        if let Ok(real) = d.canonicalize() {
            if real.starts_with(&positions) {
                bail!(
                    "refusing to write `{}`: it is inside the positions folder `{}`, which \
                     holds position files only; choose another --out",
                    display_path(out),
                    display_path(&positions)
                );
            }
            return Ok(());
        }
        dir = d.parent();
    }
    Ok(())
}

/// An existing --out may be replaced only when it is an unfilled template rolebook wrote.
fn refuse_other_file(out: &Path) -> anyhow::Result<()> {
    let shown = display_path(out);
    let target = check_target(out).with_context(|| format!("refusing to write `{shown}`"))?;
    if target == Target::Absent {
        return Ok(());
    }
    let bytes = std::fs::read(out).with_context(|| format!("failed to read `{shown}`"))?;
    if !template::is_template(&bytes) {
        bail!(
            "refusing to replace `{shown}`: it is not a KPI template rolebook wrote; choose \
             another --out, or pass --force to replace it"
        );
    }
    let filled = template::filled_rows(&bytes);
    if filled > 0 {
        bail!(
            "refusing to replace `{shown}`: {filled} row{} of it {} filled in (姓名 or 实际值); \
             score it first or choose another --out, or pass --force to replace it",
            if filled == 1 { "" } else { "s" },
            if filled == 1 { "is" } else { "are" },
        );
    }
    Ok(())
}
