//! The command line: clap arguments and one module of glue per subcommand.
//!
//! Only this module prints, picks colours and turns results into exit codes:
//! 0 success, 1 findings (errors, or warnings under `--deny warnings`), 2 the tool could not run.

mod build;
mod check;
mod import;
mod init;
mod kpi_template;
mod new;
mod org;
mod schema;
mod score;
mod serve;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Position descriptions (岗位职责说明书) as code: check them, render handbooks, score KPIs.
#[derive(Debug, Parser)]
#[command(name = "rolebook", version, about, long_about = None)]
#[command(
    after_help = "Start with `rolebook init` for a new positions folder, or \
`rolebook check positions/` on an existing one.\nExit codes: 0 ok, 1 findings, 2 the tool could not run."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check every position file for errors and inconsistencies, like a compiler
    Check(check::Args),
    /// Render the organization's handbook (HTML, PDF)
    Build(build::Args),
    /// Preview the handbook in the browser, rebuilt on every save, with the findings above it
    Serve(serve::Args),
    /// Score KPI results from spreadsheets and write scorecards
    Score(score::Args),
    /// Write the KPI input workbook for the coming period
    KpiTemplate(kpi_template::Args),
    /// Write a new, fully commented position file
    New(new::Args),
    /// Print the reporting tree with levels and headcount
    Org(org::Args),
    /// Turn Word 职务说明书 (.docx, pasted .txt) into position files
    Import(import::Args),
    /// Start a fresh positions folder: _org.toml, one example position, editor schema and settings
    Init(init::Args),
    /// Print or write the JSON Schema editors use to complete and check position files
    Schema(schema::Args),
}

/// The outcome of a subcommand, before it becomes an exit code.
pub enum Outcome {
    Ok,
    Findings,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(a) => check::run(a),
        Command::Build(a) => build::run(a),
        Command::Serve(a) => serve::run(a),
        Command::Score(a) => score::run(a),
        Command::KpiTemplate(a) => kpi_template::run(a),
        Command::New(a) => new::run(a),
        Command::Org(a) => org::run(a),
        Command::Init(a) => init::run(a),
        Command::Import(a) => import::run(a),
        Command::Schema(a) => schema::run(a),
    };
    match result {
        Ok(Outcome::Ok) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = std::io::stderr()
                .lock()
                .write_all(error_text(&err).as_bytes());
            ExitCode::from(2)
        }
    }
}

/// The error as printed: the message, each cause once (a cause a message already quotes, as
/// "failed to write X (cause)" does, is not repeated), and what to do about an OS error.
fn error_text(err: &anyhow::Error) -> String {
    let mut text = format!("error: {err}");
    let mut said = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !said.contains(&cause) {
            text.push_str(&format!(" ({cause})"));
            said.push_str(&cause);
        }
    }
    let mut text = crate::diag::escape_controls(&text).into_owned();
    text.push('\n');
    let io_kind = err
        .chain()
        .find_map(|c| c.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    let help = match io_kind {
        Some(std::io::ErrorKind::PermissionDenied) if !said.contains("choose another") => {
            Some("check the permissions of the file and its folder, or use another path")
        }
        Some(std::io::ErrorKind::StorageFull) => Some("free some disk space and run again"),
        Some(std::io::ErrorKind::ReadOnlyFilesystem) => {
            Some("the file system is read-only: write somewhere else (--out)")
        }
        _ => None,
    };
    if let Some(h) = help {
        text.push_str(&format!("  = help: {h}\n"));
    }
    text
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes to stdout, treating a closed pipe as the end (handled in [`main`]).
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

/// The positions folder when none is given.
pub(crate) fn default_dir() -> PathBuf {
    PathBuf::from("positions")
}
