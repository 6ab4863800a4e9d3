//! Not built yet: see the open issue.

use super::Outcome;

#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("this subcommand is not available yet")
}
