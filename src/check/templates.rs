//! Positions that take fields from templates (`extends`): what the checks need to know.
//!
//! An inherited value is one text in one file (the template), shared on purpose: it is never a
//! copy of itself, a family sharing one template needs no suggestion to use one, and a finding
//! at a template's line says which position it is about.

use rustc_hash::FxHashSet as HashSet;

use super::families::who;
use crate::diag::{Diagnostic, FileId, Location, Related, origin};
use crate::load::Loaded;
use crate::model::Org;

/// Per position and duty: whether the duty is one the position inherits from a template
/// (`extends`) and an earlier position inherits too. Such a duty is one text in one file, not
/// a copy: it is compared for duplicates once, as the first inheritor's.
pub fn inherited_again(org: &Org) -> Vec<Vec<bool>> {
    let mut seen: HashSet<(FileId, usize)> = HashSet::default();
    org.positions
        .iter()
        .map(|p| {
            p.duties
                .iter()
                .map(|d| {
                    origin::is_tagged(&d.span) && {
                        let (file, span) = origin::resolve(p.file, d.span.clone());
                        !seen.insert((file, span.start))
                    }
                })
                .collect()
        })
        .collect()
}

/// Whether every member of the family takes its fields from one template (somewhere in their
/// chains of `extends`): they already share one, so `family-template` has nothing to suggest.
pub fn share_a_template(org: &Org, members: &[usize]) -> bool {
    let Some((&first, rest)) = members.split_first() else {
        return false;
    };
    org.positions[first]
        .templates
        .iter()
        .any(|t| rest.iter().all(|&m| org.positions[m].templates.contains(t)))
}

/// A finding about a position that stands at a template's line (an inherited value) names the
/// position: a related note at its `extends`.
pub fn name_inheritors(loaded: &Loaded, out: &mut [Diagnostic]) {
    let org = &loaded.org;
    for d in out.iter_mut() {
        let (Some(id), Location::Source { file, .. }) = (&d.position, &d.at) else {
            continue;
        };
        let Some(p) = org.get(id) else {
            continue;
        };
        let Some(extends) = &p.extends else {
            continue;
        };
        if *file != p.file {
            let note = format!("{} takes this from template {}", who(p), extends.value);
            d.related.push(Related {
                at: Location::source(p.file, extends.span.clone()),
                message: note,
            });
        }
    }
}
