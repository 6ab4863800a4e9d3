//! Matching a row's texts to positions and KPIs (by id, code or title, exactly or loosely),
//! and the problems that say how a text matched none or several.

use rustc_hash::FxHashMap as HashMap;
use unicode_normalization::UnicodeNormalization;

use super::{POSITION_AMBIGUOUS, POSITION_BROKEN, POSITION_UNKNOWN};
use crate::check;
use crate::diag::Diagnostic;
use crate::kpi::{Loc, SheetSrc, cell_at};
use crate::model::{Org, Position};
use crate::util::did_you_mean;

/// A name as compared loosely: NFKC, trimmed, lower case, without spaces.
fn key_text(s: &str) -> String {
    s.nfkc()
        .collect::<String>()
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect()
}

/// Position lookup by id, code or unique title.
pub(crate) struct Positions<'a> {
    org: &'a Org,
    exact: HashMap<&'a str, Vec<usize>>,
    loose: HashMap<String, Vec<usize>>,
}

/// What a position text names.
pub(crate) enum Found {
    One(usize),
    Ambiguous(Vec<usize>),
    Unknown,
}

impl<'a> Positions<'a> {
    pub(crate) fn new(org: &'a Org) -> Self {
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut loose: HashMap<String, Vec<usize>> = HashMap::default();
        // Ids first, then codes, then titles: an id always wins over someone's title.
        for pass in 0..3 {
            for (i, p) in org.positions.iter().enumerate() {
                let name = match pass {
                    0 => Some(p.id.as_str()),
                    1 => p.code.as_ref().map(|c| c.value.as_str()),
                    _ => Some(p.title.value.as_str()),
                };
                let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
                    continue;
                };
                let e = exact.entry(name).or_default();
                if pass < 2 && !e.is_empty() {
                    continue;
                }
                if !e.contains(&i) {
                    e.push(i);
                }
                let l = loose.entry(key_text(name)).or_default();
                if !l.contains(&i) {
                    l.push(i);
                }
            }
        }
        Positions { org, exact, loose }
    }

    /// The position `text` names: an exact id, code or title first, then a loose one.
    pub(crate) fn find(&self, text: &str) -> Found {
        let t = text.trim();
        let hit = self.exact.get(t).or_else(|| self.loose.get(&key_text(t)));
        match hit.map(Vec::as_slice) {
            Some([one]) => Found::One(*one),
            Some(many) if !many.is_empty() => {
                // An id or code among them decides.
                if let Some(i) = many.iter().find(|&&i| {
                    let p = &self.org.positions[i];
                    p.id == t || p.code.as_ref().is_some_and(|c| c.value.trim() == t)
                }) {
                    return Found::One(*i);
                }
                Found::Ambiguous(many.to_vec())
            }
            _ => Found::Unknown,
        }
    }

    /// The id or title closest to `text`, for a did-you-mean.
    fn suggestion(&self, text: &str) -> Option<String> {
        let names: Vec<&str> = self
            .org
            .positions
            .iter()
            .flat_map(|p| [p.id.as_str(), p.title.value.as_str()])
            .collect();
        did_you_mean(text.trim(), &names).map(str::to_string)
    }
}

/// The index of the KPI of `p` named `name`, exactly or loosely.
pub(super) fn find_kpi(p: &Position, name: &str) -> Option<usize> {
    let n = name.trim();
    p.kpis
        .iter()
        .position(|k| k.name.value.trim() == n)
        .or_else(|| {
            let key = key_text(n);
            p.kpis.iter().position(|k| key_text(&k.name.value) == key)
        })
}

/// `客服专员 (cs-specialist)`.
pub(crate) fn show_position(p: &Position) -> String {
    format!("{} ({})", p.title.value, p.id)
}

/// The KPIs of `p`, for the help of a result that names none of them.
pub(super) fn kpi_list(p: &Position) -> String {
    let names: Vec<String> = p
        .kpis
        .iter()
        .map(|k| format!("\"{}\"", k.name.value))
        .collect();
    if names.is_empty() {
        format!("{} has no [[kpis]]", show_position(p))
    } else {
        format!("the KPIs of {} are {}", p.title.value, names.join(", "))
    }
}

/// Where to fix a KPI definition `score` cannot use.
pub(super) fn unscorable_help(p: &Position, rule: &check::Rule) -> String {
    format!(
        "fix the KPI in the position file `{}.toml`: rolebook check reports it as {}",
        p.id, rule.code
    )
}

/// `d`, unless `text` is the id of a position file that could not be read: then that file's
/// error, at the same cell.
pub(super) fn or_broken(
    d: Diagnostic,
    broken: &[(String, String, String)],
    text: &str,
) -> Diagnostic {
    match broken.iter().find(|(id, _, _)| id == text.trim()) {
        Some((id, file, error)) if d.code == POSITION_UNKNOWN.code => POSITION_BROKEN
            .located(
                d.at,
                format!(
                    "position `{id}` cannot be scored: its file `{file}` could not be read \
                     ({error})"
                ),
            )
            .help(format!(
                "fix `{file}` (rolebook check shows where), then run again"
            )),
        _ => d,
    }
}

/// The problem of a position text that names no position, or several.
pub(crate) fn position_problem(
    positions: &Positions<'_>,
    org: &Org,
    text: &str,
    loc: Loc,
    sheets: &[SheetSrc],
) -> Diagnostic {
    let src = &sheets[loc.sheet as usize];
    match positions.find(text) {
        Found::Ambiguous(many) => {
            let ids: Vec<String> = many
                .iter()
                .map(|&i| format!("`{}`", org.positions[i].id))
                .collect();
            POSITION_AMBIGUOUS
                .located(
                    cell_at(src, loc),
                    format!(
                        "\"{}\" is the title of {} positions",
                        text.trim(),
                        many.len()
                    ),
                )
                .help(format!(
                    "write the position's id instead: {}",
                    ids.join(" or ")
                ))
        }
        _ => {
            let p = POSITION_UNKNOWN.located(
                cell_at(src, loc),
                format!("no position has the id, code or title \"{}\"", text.trim()),
            );
            match positions.suggestion(text) {
                Some(s) => p.help(format!("did you mean \"{s}\"?")),
                None => p.help("write a position's id (its file name), `code` or `title`"),
            }
        }
    }
}
