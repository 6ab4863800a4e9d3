//! `rolebook org [DIR]`: the reporting tree with levels and headcount.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{Outcome, default_dir, print};
use crate::load::load_dir;
use crate::model::{Org, Superior};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The positions folder
    #[arg(default_value_os_t = default_dir())]
    pub dir: PathBuf,
}

pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let loaded = load_dir(&args.dir)?;
    print(&render_tree(&loaded.org))?;
    Ok(Outcome::Ok)
}

/// The tree as text: one line per position (title, id, level, headcount), subordinates
/// indented under their superior, external superiors as roots, and what the tree cannot
/// hold (unknown superiors, cycles) listed at the end.
pub fn render_tree(org: &Org) -> String {
    let mut out = String::new();
    if let Some(name) = &org.settings.name {
        let _ = writeln!(out, "{}", name.value);
    }
    let n = org.positions.len();
    let mut shown = vec![false; n];
    let line = |i: usize| {
        let p = &org.positions[i];
        let level = org.level_name(p).unwrap_or("?");
        let heads = p.headcount.as_ref().map_or(1, |h| h.value);
        format!("{} ({}) · {level} · {heads}人", p.title.value, p.id)
    };
    fn walk(
        org: &Org,
        i: usize,
        prefix: &str,
        last: bool,
        out: &mut String,
        shown: &mut [bool],
        line: &dyn Fn(usize) -> String,
    ) {
        shown[i] = true;
        let _ = writeln!(
            out,
            "{prefix}{}{}",
            if last { "└── " } else { "├── " },
            line(i)
        );
        let child_prefix = format!("{prefix}{}", if last { "    " } else { "│   " });
        let kids: Vec<usize> = org
            .direct_reports(i)
            .filter_map(|p| org.index_of(&p.id))
            .filter(|k| !shown[*k])
            .collect();
        for (k, &c) in kids.iter().enumerate() {
            walk(org, c, &child_prefix, k + 1 == kids.len(), out, shown, line);
        }
    }
    // Roots: positions without a superior, then each external superior with its reports.
    let tops: Vec<usize> = (0..n)
        .filter(|&i| matches!(org.superior(&org.positions[i]), Superior::None))
        .collect();
    for (k, &i) in tops.iter().enumerate() {
        walk(org, i, "", k + 1 == tops.len(), &mut out, &mut shown, &line);
    }
    for e in &org.settings.external {
        let kids: Vec<usize> = (0..n)
            .filter(|&i| {
                org.positions[i]
                    .reports_to
                    .as_ref()
                    .is_some_and(|r| r.value == e.id.value)
            })
            .collect();
        if kids.is_empty() {
            continue;
        }
        let level = e.level_index.map_or("?", |l| org.settings.level_name(l));
        let _ = writeln!(
            out,
            "{} ({}, external) · {level}",
            e.title.value, e.id.value
        );
        for (k, &i) in kids.iter().enumerate() {
            walk(org, i, "", k + 1 == kids.len(), &mut out, &mut shown, &line);
        }
    }
    let rest: Vec<usize> = (0..n).filter(|&i| !shown[i]).collect();
    if !rest.is_empty() {
        let _ = writeln!(
            out,
            "not in the tree (unknown superior or a reporting cycle):"
        );
        for i in rest {
            let p = &org.positions[i];
            let to = p.reports_to.as_ref().map_or("", |r| r.value.as_str());
            let _ = writeln!(out, "    {} → {to}", line(i));
        }
    }
    let total: i64 = org
        .positions
        .iter()
        .map(|p| p.headcount.as_ref().map_or(1, |h| h.value))
        .sum();
    let _ = writeln!(out, "{} positions, {total} people", n);
    out
}
