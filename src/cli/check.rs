//! `rolebook check [DIR]`: load, check, report in the chosen format.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::ValueEnum;

use super::{Outcome, default_dir, print};
use crate::check::{Command, RULES, check_with};
use crate::diag::{self, HumanOptions, Severity, Summary};
use crate::load::load_dir;
use crate::pdf::{FontSource, Fonts};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// rustc-style blocks with the source underlined
    Human,
    /// one JSON document (see the checks spec)
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions annotations (::error file=…)
    Github,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Deny {
    /// fail (exit 1) on warnings too
    Warnings,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 no errors, 1 errors (or warnings with --deny warnings), \
2 the tool could not run.\nSeverities can be changed in _org.toml: [checks] duplicate-duty = \"error\"."
)]
pub struct Args {
    /// The positions folder
    #[arg(default_value_os_t = default_dir())]
    pub dir: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Treat warnings as errors for the exit code
    #[arg(long, value_enum)]
    pub deny: Option<Deny>,
    /// Colour in human output
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Check characters against these TrueType fonts, as `build --font` would set the PDF
    /// (default: `[pdf] font` in _org.toml, else the shipped Noto Sans SC)
    #[arg(long, value_name = "REGULAR.ttf[,BOLD.ttf]")]
    pub font: Option<String>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    lean_allocator();
    let loaded = load_dir(&args.dir)?;
    let fonts = FontSource::choose(args.font.as_deref(), &loaded.org.settings, &args.dir);
    if args.font.is_some() {
        // A font the user names must be usable: that is the run failing, not a finding.
        Fonts::load(&fonts)?;
    }
    let diagnostics = check_with(&loaded, Some(&fonts));
    let summary = Summary::of(
        loaded.org.positions.len() + loaded.broken.len(),
        &diagnostics,
    );
    let text = match args.format {
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            diag::render_human(
                &diagnostics,
                &loaded.sources,
                summary,
                HumanOptions { color },
            )
        }
        Format::Json => diag::render_json(&diagnostics, &loaded.sources, summary),
        Format::Sarif => {
            let rules: Vec<_> = RULES
                .iter()
                .filter(|r| r.command == Command::Check)
                .map(|r| (r.code, r.summary, r.docs))
                .collect();
            diag::render_sarif(&diagnostics, &loaded.sources, &rules)
        }
        Format::Github => diag::render_github(&diagnostics, &loaded.sources),
    };
    print(&text)?;
    let fails = summary.errors > 0
        || (args.deny == Some(Deny::Warnings)
            && diagnostics.iter().any(|d| d.severity == Severity::Warning));
    // Freeing a large organization and its findings piece by piece only delays the exit.
    std::mem::forget(loaded);
    std::mem::forget(diagnostics);
    std::mem::forget(text);
    Ok(if fails {
        Outcome::Findings
    } else {
        Outcome::Ok
    })
}

/// Tells mimalloc, the binary's allocator, to commit arena memory as it is used and to give
/// freed pages back after 10 ms. `check` reads everything, peaks once inside the checks and
/// exits, so memory kept committed or freed but kept is only peak: at gen_org 10,000
/// positions the peak RSS was 226 MB with mimalloc's defaults and 172 MB with these
/// two options (as `MIMALLOC_ARENA_EAGER_COMMIT=0 MIMALLOC_PURGE_DELAY=0`), in the same time.
/// Since the loader and the checks were made lighter, giving pages back at once (delay 0)
/// cost more than it saved: every purge is an madvise with a TLB shootdown on both cores,
/// and the page is zeroed again when reused. With 10 ms, check at 50,000 positions took
/// 3.2–3.6 s of CPU instead of 3.9–4.1 s, for 3–7 MB more peak at 10,000 (149 MiB).
/// Without mimalloc (the library's tests) the options are set and nothing reads them.
fn lean_allocator() {
    // `mi_option_e` of mimalloc v3 (libmimalloc-sys 0.1.49, c_src/mimalloc/v3/include/
    // mimalloc.h); v2 numbers these two the same. The binding with names is behind
    // libmimalloc-sys's `extended` feature, which would add a dependency for two numbers.
    const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
    const PURGE_DELAY: std::ffi::c_int = 15;
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    // SAFETY: mimalloc's documented option setter, linked with the allocator (the mimalloc
    // crate builds the whole library); it takes any value and only changes later behaviour.
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 10);
    }
}
