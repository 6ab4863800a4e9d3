//! `rolebook schema [--org] [--out FILE]`: the editors' JSON Schema of a position file or of
//! `_org.toml` ([`crate::schema`]).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use super::{Outcome, default_dir, print};
use crate::diag::display_path;
use crate::schema::{self, Of};

#[derive(Debug, clap::Args)]
#[command(after_help = "\
The schema lets the TOML plugins of VS Code and other editors (Even Better TOML / taplo, \
tombi) complete keys, show each key's label and help in Chinese and English, and mark wrong \
types and unknown keys while you type. `rolebook check` stays the judge.

`rolebook init` sets a folder up for editors: it writes both schemas into positions/.schema/ \
and the editor settings .taplo.toml and tombi.toml beside positions/; files written by \
`rolebook init` and `rolebook new` start with a `#:schema ./.schema/…` line.

Examples:
  rolebook schema                                     print the position schema
  rolebook schema --out positions/.schema/position.json
  rolebook schema --org --out positions/.schema/org.json

Run the two --out commands again after changing the levels in _org.toml: `level` offers the \
levels of the folder's _org.toml (free text when there is none).")]
pub struct Args {
    /// The schema of _org.toml instead of a position file
    #[arg(long)]
    pub org: bool,
    /// Write the schema to FILE (a .json file) instead of printing it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The positions folder whose _org.toml gives the levels [default: positions, or the
    /// current folder when it has _org.toml]
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let of = if args.org { Of::Org } else { Of::Position };
    if let Some(out) = &args.out {
        refuse_out(out, of)?;
    }
    let dir = args.dir.clone().unwrap_or_else(|| {
        if Path::new(crate::load::ORG_FILE).is_file() {
            PathBuf::from(".")
        } else {
            default_dir()
        }
    });
    if args.dir.is_some() && !dir.is_dir() {
        bail!(
            "--dir {} is not a folder: give the positions folder whose _org.toml has the levels",
            dir.display()
        );
    }
    let levels = schema::levels_in(&dir);
    if levels.is_none() && dir.join(crate::load::ORG_FILE).is_file() {
        eprintln!(
            "note: {} has errors, so `level` is left free text in the schema (run `rolebook check {}`)",
            display_path(&dir.join(crate::load::ORG_FILE)),
            display_path(&dir)
        );
    }
    let text = schema::json(of, levels.as_deref());
    match &args.out {
        None => print(&text)?,
        Some(out) => {
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("failed to create {}", parent.display()))?;
            }
            crate::output::write_atomic(out, text.as_bytes())
                .with_context(|| format!("failed to write {}", out.display()))?;
            let levels = match &levels {
                Some(l) => format!("levels {}", l.join(", ")),
                None => "levels free (no _org.toml read)".to_string(),
            };
            print(&format!("wrote {} ({levels})\n", display_path(out)))?;
        }
    }
    Ok(Outcome::Ok)
}

/// A schema is JSON: any other `--out`, above all a position file or `_org.toml`, is a
/// mistake that would destroy work.
fn refuse_out(out: &Path, of: Of) -> anyhow::Result<()> {
    let ext = out
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase());
    let example = format!("positions/{}/{}", schema::DIR, of.file_name());
    match ext.as_deref() {
        Some("json") => Ok(()),
        Some("toml") => bail!(
            "--out {} is a TOML file: rolebook never writes a schema over a position file or \
             _org.toml; give a .json path such as {example}",
            out.display()
        ),
        _ => bail!(
            "--out {} does not end in .json: a schema is a JSON file; give a path such as {example}",
            out.display()
        ),
    }
}
