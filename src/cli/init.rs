//! `rolebook init [DIR]`: a fresh positions folder with `_org.toml` and one example position.

use std::path::PathBuf;

use anyhow::{Context, bail};

use super::{Outcome, default_dir, print};
use crate::author::{NewPosition, org_file, position_file};
use crate::load::ORG_FILE;
use crate::output::create_atomic;
use crate::schema::{self, Of};

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Then: rolebook new ID --title … --reports-to … for each position, and \
rolebook check to see what is missing."
)]
pub struct Args {
    /// The folder to create (or fill, when it has no _org.toml yet)
    #[arg(default_value_os_t = default_dir())]
    pub dir: PathBuf,
    /// The organization's name, shown on the handbook's cover
    #[arg(long, default_value = "示例公司")]
    pub name: String,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let org_path = args.dir.join(ORG_FILE);
    if org_path.exists() {
        bail!(
            "{} already exists: this folder is already set up (run `rolebook check {}`)",
            org_path.display(),
            args.dir.display()
        );
    }
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("failed to create {}", args.dir.display()))?;
    let org_text = format!("{}{}", schema::directive(Of::Org), org_file(&args.name));
    create_atomic(&org_path, org_text.as_bytes())
        .with_context(|| format!("failed to write {}", org_path.display()))?;
    let has_positions = std::fs::read_dir(&args.dir)?
        .filter_map(Result::ok)
        .any(|e| {
            let n = e.file_name();
            let n = n.to_string_lossy();
            n.to_ascii_lowercase().ends_with(".toml") && !n.starts_with('_')
        });
    let mut written = vec![crate::diag::display_path(&org_path)];
    if !has_positions {
        let example = args.dir.join("department-manager.toml");
        let text = schema::directive(Of::Position)
            + &position_file(&NewPosition {
                title: "部门经理",
                department: "综合部",
                reports_to: Some("general-manager"),
                level: None,
                code: Some("ZH-01"),
            });
        create_atomic(&example, text.as_bytes())
            .with_context(|| format!("failed to write {}", example.display()))?;
        written.push(crate::diag::display_path(&example));
    }
    for of in [Of::Position, Of::Org] {
        written.extend(super::new::write_schema(&args.dir, of)?);
    }
    let kept = editor_settings(&args.dir, &mut written)?;
    let mut text = format!(
        "wrote {}\nnext: edit the levels in {ORG_FILE}, add positions with `rolebook new`, \
         then `rolebook check {}`\n",
        written.join(", "),
        crate::diag::display_path(&args.dir)
    );
    for k in kept {
        text.push_str(&format!(
            "kept the existing {k}: it is not replaced; map the position files to {}/{} \
             in it yourself (see `rolebook schema --help`)\n",
            schema::DIR,
            schema::POSITION_FILE
        ));
    }
    print(&text)?;
    Ok(Outcome::Ok)
}

/// Writes the editor settings (`.taplo.toml`, `tombi.toml`) into the folder above the
/// positions folder, where an editor opens the project, adding them to `written`; returns the
/// settings files that exist already and were left as they are.
fn editor_settings(
    dir: &std::path::Path,
    written: &mut Vec<String>,
) -> anyhow::Result<Vec<String>> {
    let abs = dir
        .canonicalize()
        .with_context(|| format!("failed to read {}", dir.display()))?;
    let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) else {
        return Ok(Vec::new());
    };
    let name = name.to_string_lossy();
    let mut kept = Vec::new();
    for (file, text) in [
        (".taplo.toml", schema::taplo_settings(&name)),
        ("tombi.toml", schema::tombi_settings(&name)),
    ] {
        let path = parent.join(file);
        let shown = crate::diag::display_path(&path);
        if std::fs::symlink_metadata(&path).is_ok() {
            kept.push(shown);
            continue;
        }
        create_atomic(&path, text.as_bytes())
            .with_context(|| format!("failed to write {}", path.display()))?;
        written.push(shown);
    }
    Ok(kept)
}
