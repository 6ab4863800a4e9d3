//! `rolebook kpi-template`: write the KPI input workbook for the coming period.

use std::path::PathBuf;

use anyhow::Context;

use super::{Outcome, default_dir, print};
use crate::diag::display_path;
use crate::kpi::template;
use crate::load::load_dir;
use crate::output::write_atomic;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Fill in 姓名 and 实际值 (copy a position's rows for each person), then \
run `rolebook score FILE`."
)]
pub struct Args {
    /// The period written on every row (e.g. 2024Q2)
    #[arg(long)]
    pub period: Option<String>,
    /// The workbook to write
    #[arg(long, default_value = "output/kpi-template.xlsx")]
    pub out: PathBuf,
    /// The positions folder
    #[arg(long, default_value_os_t = default_dir())]
    pub positions: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let loaded = load_dir(&args.positions)?;
    let bytes = template::build(&loaded.org, args.period.as_deref())
        .context("failed to build the template workbook")?;
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("failed to create `{}`", display_path(dir)))?;
    }
    write_atomic(&args.out, &bytes)
        .with_context(|| format!("failed to write `{}`", display_path(&args.out)))?;
    let rows: usize = loaded.org.positions.iter().map(|p| p.kpis.len()).sum();
    print(&format!(
        "wrote {} ({} positions, {rows} KPI rows)\n",
        display_path(&args.out),
        loaded.org.positions.len()
    ))?;
    Ok(Outcome::Ok)
}
