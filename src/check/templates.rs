//! Positions that take fields from templates (`extends`): what the checks need to know.
//!
//! An inherited value is one text in one file (the template), shared on purpose: it is never a
//! copy of itself, a family sharing one template needs no suggestion to use one, and a finding
//! at a template's line says which position it is about.

use std::collections::hash_map::Entry;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::families::who;
use crate::diag::{Diagnostic, FileId, Location, Related, Span, origin};
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
/// position: a related note at its `extends`. The same finding for several positions that
/// inherit the value (same code, place and message) is said once, with a note per position.
pub fn name_inheritors(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let templates: HashSet<FileId> = loaded.templates.iter().map(|t| t.file).collect();
    if templates.is_empty() {
        return;
    }
    let org = &loaded.org;
    let mut first: HashMap<(&'static str, FileId, Span, String), usize> = HashMap::default();
    let mut kept: Vec<Diagnostic> = Vec::with_capacity(out.len());
    for mut d in out.drain(..) {
        let at_template = match (&d.position, &d.at) {
            (Some(id), Location::Source { file, span }) if templates.contains(file) => org
                .get(id)
                .and_then(|p| Some((p, p.extends.as_ref()?)))
                .map(|(p, extends)| (p, extends, *file, span.clone())),
            _ => None,
        };
        let Some((p, extends, file, span)) = at_template else {
            kept.push(d);
            continue;
        };
        let note = Related {
            at: Location::source(p.file, extends.span.clone()),
            message: format!("{} takes this from template {}", who(p), extends.value),
        };
        match first.entry((d.code, file, span, d.message.clone())) {
            Entry::Occupied(e) => kept[*e.get()].related.push(note),
            Entry::Vacant(e) => {
                e.insert(kept.len());
                d.related.push(note);
                kept.push(d);
            }
        }
    }
    *out = kept;
}
