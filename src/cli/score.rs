//! `rolebook score WORKBOOK...`: import, score, write scorecards (or print JSON).

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context;
use clap::ValueEnum;

use super::{Outcome, default_dir, print};
use crate::diag::{HumanOptions, Severity, display_path, render_human_findings};
use crate::kpi::import::Import;
use crate::kpi::report::{self, Outputs};
use crate::kpi::score::{Options, score};
use crate::load::load_dir;
use crate::pdf::{FontSource, Fonts};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// write the scorecards under --out and report problems on stderr
    Files,
    /// print the results as JSON on stdout and write nothing
    Json,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 scored, 1 problems in the input (nothing written unless \
--partial), 2 the tool could not run.\nThe workbook layouts and the formula are in the \
kpi-scoring spec; `rolebook kpi-template` writes an input workbook."
)]
pub struct Args {
    /// Result workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods, .csv)
    #[arg(required = true)]
    pub workbooks: Vec<PathBuf>,
    /// The positions folder
    #[arg(long, default_value_os_t = default_dir())]
    pub positions: PathBuf,
    /// Read only this sheet (repeat for several); all sheets by default
    #[arg(long = "sheet", value_name = "NAME")]
    pub sheets: Vec<String>,
    /// The period for rows without one
    #[arg(long)]
    pub period: Option<String>,
    /// Where to write the scorecards
    #[arg(long, default_value = "output/scorecards")]
    pub out: PathBuf,
    /// Output
    #[arg(long, value_enum, default_value_t = Format::Files)]
    pub format: Format,
    /// Fonts for scorecards.pdf: REGULAR.ttf[,BOLD.ttf] (default: `[pdf] font` in
    /// _org.toml, else the shipped Noto Sans SC)
    #[arg(long, value_name = "FONT")]
    pub font: Option<String>,
    /// Write the valid scorecards even when some rows are in error (the skipped rows are
    /// listed in the outputs)
    #[arg(long)]
    pub partial: bool,
}

/// The position files that could not be read, with the first error of each: (id, file, error).
fn broken_files(loaded: &crate::load::Loaded) -> Vec<(String, String, String)> {
    loaded
        .broken
        .iter()
        .map(|id| {
            let first = loaded
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error && d.position.as_deref() == Some(id))
                .find_map(|d| d.source().map(|(file, span)| (d, file, span)));
            let file = first.map_or_else(
                || format!("{id}.toml"),
                |(_, file, _)| loaded.sources.get(file).display.clone(),
            );
            let error = first.map_or_else(String::new, |(d, file, span)| {
                let (line, col) = loaded.sources.get(file).line_col(span.start);
                format!("line {line}, column {col}: {}", d.message)
            });
            (id.clone(), file, error)
        })
        .collect()
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let loaded = load_dir(&args.positions)?;
    let mut import = Import::default();
    for path in &args.workbooks {
        import.read_path(path, &display_path(path), &args.sheets);
    }
    let scored = score(
        &loaded.org,
        &import,
        &Options {
            period: args.period.clone(),
            broken: broken_files(&loaded),
        },
    );
    // The rows are in the scorecards now: free them before the outputs are built.
    drop(import);
    let errors = scored.errors();
    let lang = loaded.org.settings.lang;
    let org_name = loaded.org.settings.name.as_ref().map(|n| n.value.as_str());

    if args.format == Format::Json {
        print(&report::json(&scored, args.partial))?;
        return Ok(if errors > 0 {
            Outcome::Findings
        } else {
            Outcome::Ok
        });
    }

    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    if !scored.problems.is_empty() {
        eprint!(
            "{}",
            render_human_findings(&scored.problems, &loaded.sources, HumanOptions { color })
        );
    }
    let warnings = scored
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .count();
    if errors > 0 && !args.partial {
        eprintln!(
            "error: {errors} problem{} in the input: no scorecard written (fix them, or use \
             --partial to write the valid ones)",
            if errors == 1 { "" } else { "s" }
        );
        return Ok(Outcome::Findings);
    }
    let fonts = Fonts::load(&FontSource::choose(
        args.font.as_deref(),
        &loaded.org.settings,
        &args.positions,
    ))?;
    let written = Outputs::write_all(&scored, org_name, lang, args.partial, &fonts, &args.out)
        .with_context(|| {
            format!(
                "failed to write scorecards to `{}`",
                display_path(&args.out)
            )
        })?;
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let mut msg = format!(
        "scored {} scorecard{}",
        scored.scorecards.len(),
        if scored.scorecards.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    if warnings > 0 {
        msg.push_str(&format!(
            ", {warnings} warning{}",
            if warnings == 1 { "" } else { "s" }
        ));
    }
    if errors > 0 {
        msg.push_str(&format!(
            ", {} skipped ({errors} error{})",
            scored.skipped,
            if errors == 1 { "" } else { "s" }
        ));
    }
    msg.push_str(&format!(
        "\nwrote {} in {}\n",
        names.join(", "),
        display_path(&args.out)
    ));
    print(&msg)?;
    Ok(if errors > 0 {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}
