//! Names of positions in free text: `unknown-position-reference`, `superior-mismatch`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Rule;
use super::families::role_title;
use super::text::{DEPT_SUFFIXES, POST_NOUNS, assigner, title_item, title_mentions};
use crate::diag::{Diagnostic, FileId, Severity, Sources, Span};
use crate::load::Loaded;
use crate::model::{Org, Position, Superior, Text};

pub const SUPERIOR_MISMATCH: Rule = Rule::new(
    "superior-mismatch",
    Severity::Warning,
    "free text says work is assigned by someone (…交办 / 交付 / 安排 / 布置 / 指派 的其他工作, \"assigned by …\") who is not the position's direct superior",
    "name the direct superior, or correct reports_to",
);

pub const UNKNOWN_POSITION_REFERENCE: Rule = Rule::new(
    "unknown-position-reference",
    Severity::Warning,
    "free text or `relations` names a position title (ending in a level word or a common post noun: 经理, 主管, 专员, 总监, 主任, 助理 …) that is neither a position nor an `[external]` title of this organization",
    "use the title of an existing position, or add the position (or an [external] entry)",
);

pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let org = &loaded.org;
    let titles = KnownTitles::new(org);
    let names = Names::new(org);
    // Each position's texts are read on their own: over the cores, findings kept in order.
    let found: Vec<Vec<Diagnostic>> = org
        .positions
        .par_iter()
        .map(|p| {
            let mut out = Vec::new();
            unknown_references(&loaded.sources, org, &titles, &names, p, &mut out);
            superior_mismatch(&loaded.sources, org, &titles, &names, p, &mut out);
            out
        })
        .collect();
    found.into_iter().flatten().collect()
}

/// Words for the head of one's own department: they mean the direct superior or the
/// department head, so they never name another position.
const OWN_HEAD: &[&str] = &[
    "部门经理",
    "本部门经理",
    "部门负责人",
    "本部门负责人",
    "部门主管",
    "本部门主管",
    "部门领导",
    "本部门领导",
    "部门总监",
    "本部门总监",
    "上级主管",
    "直接主管",
    "分管领导",
    "主管上级",
];

/// Words that make a name a group (各部门经理, 全体员工, 各级主管): no one position.
const GROUP_PREFIXES: &[&str] = &["各", "全体", "所有", "全部", "相关"];

/// Positions by the names a reader would use for them: the whole title, and the short form
/// without the department suffix (人力资源经理 for 人力资源部经理).
struct Names<'a> {
    titles: HashMap<&'a str, Vec<usize>>,
    short: HashMap<String, Vec<usize>>,
}

impl<'a> Names<'a> {
    fn new(org: &'a Org) -> Self {
        let mut titles: HashMap<&str, Vec<usize>> = HashMap::default();
        let mut short: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, p) in org.positions.iter().enumerate() {
            let t = p.title.value.trim();
            titles.entry(t).or_default().push(i);
            if let Some(noun) = POST_NOUNS.iter().find(|n| t.ends_with(*n)) {
                let head = &t[..t.len() - noun.len()];
                if let Some(suffix) = DEPT_SUFFIXES.iter().find(|s| head.ends_with(*s)) {
                    let name = &head[..head.len() - suffix.len()];
                    if name.chars().count() >= 2 {
                        short.entry(format!("{name}{noun}")).or_default().push(i);
                    }
                }
            }
        }
        Names { titles, short }
    }

    /// The positions a name in free text can mean, as a reader resolves it: the whole name
    /// first; else a title the name ends with, where the rest is a branch prefix that selects
    /// among them by department (华南分公司客服部经理 is the 客服部经理 of a 华南… department,
    /// never another one); else the short form. `None`: the name is no position's.
    fn resolve(&self, org: &Org, who: &str) -> Option<Cow<'_, [usize]>> {
        if let Some(v) = self.titles.get(who) {
            return Some(Cow::Borrowed(v));
        }
        for (i, _) in who.char_indices().skip(1) {
            let (prefix, title) = who.split_at(i);
            let Some(v) = self.titles.get(title).or_else(|| self.short.get(title)) else {
                continue;
            };
            if role_title(who) == who {
                // Not a branch prefix (公司客服部经理): the title it ends with.
                return Some(Cow::Borrowed(v));
            }
            let Some(branch) = branch_word(prefix) else {
                // 分公司客服部经理, 各分公司客服部经理: a branch, not one of them.
                return Some(Cow::Borrowed(v));
            };
            let picked: Vec<usize> = v
                .iter()
                .copied()
                .filter(|&q| {
                    let q = &org.positions[q];
                    q.department.value.starts_with(branch) || q.title.value.starts_with(branch)
                })
                .collect();
            // A branch prefix naming no such position names none of them.
            return Some(Cow::Owned(picked));
        }
        self.short.get(who).map(|v| Cow::Borrowed(v.as_slice()))
    }
}

/// The branch a prefix names, without its marker: 华南分公司 -> 华南 (departments are written
/// 华南分公司客服部 or 华南客服部); `None` for a bare marker (分公司, 各分公司).
fn branch_word(prefix: &str) -> Option<&str> {
    let name = [
        "分公司",
        "子公司",
        "办事处",
        "大区",
        "地区",
        "片区",
        "区域",
        "区",
        "分部",
    ]
    .iter()
    .find_map(|m| prefix.strip_suffix(m))
    .unwrap_or(prefix)
    .trim_start_matches(['各', '本', '该', '其', '所']);
    (name.chars().count() >= 2).then_some(name)
}

/// Every title of the organization and of its external superiors, with all their suffixes,
/// so that "公司客服部经理" and "客服部经理" both count as known.
struct KnownTitles {
    exact: HashSet<String>,
    suffixes: HashSet<String>,
}

impl KnownTitles {
    fn new(org: &Org) -> Self {
        let titles = org
            .positions
            .iter()
            .map(|p| p.title.value.trim())
            .chain(org.settings.external.iter().map(|e| e.title.value.trim()));
        let mut exact = HashSet::default();
        let mut suffixes = HashSet::default();
        for t in titles {
            exact.insert(t.to_string());
            for (i, _) in t.char_indices() {
                suffixes.insert(t[i..].to_string());
            }
        }
        KnownTitles { exact, suffixes }
    }

    fn knows(&self, mention: &str) -> bool {
        self.suffixes.contains(mention)
            || mention
                .char_indices()
                .any(|(i, _)| self.exact.contains(&mention[i..]))
    }
}

/// The span of `text[start..end]` inside a string value, when the value is written plainly
/// between quotes; the whole value otherwise.
pub(super) fn sub_span(
    sources: &Sources,
    file: FileId,
    t: &Text,
    start: usize,
    end: usize,
) -> Span {
    // An inherited value's span is the template's (diag::origin): read that file's text.
    let (file, local) = crate::diag::origin::resolve(file, t.span.clone());
    let src = &sources.get(file).text;
    let raw = src.get(local).unwrap_or("");
    let quoted = raw.len() == t.value.len() + 2
        && (raw.starts_with('"') || raw.starts_with('\''))
        && raw.get(1..raw.len() - 1) == Some(t.value.as_str());
    if quoted {
        t.span.start + 1 + start..t.span.start + 1 + end
    } else {
        t.span.clone()
    }
}

/// Free text that may name positions.
fn free_texts(p: &Position) -> impl Iterator<Item = &Text> {
    std::iter::once(&p.summary)
        .chain(p.duties.iter().flat_map(|d| {
            std::iter::once(&d.title)
                .chain(d.tasks.iter())
                .chain(d.assessment.iter())
        }))
        .chain(p.authorities.iter())
        .chain(p.notes.iter())
}

fn unknown_references(
    sources: &Sources,
    org: &Org,
    titles: &KnownTitles,
    names: &Names<'_>,
    p: &Position,
    out: &mut Vec<Diagnostic>,
) {
    // A name with a branch prefix is known only when the prefix selects a position: never by
    // the title it ends with alone.
    let knows = |m: &str| {
        if role_title(m) != m && !titles.exact.contains(m) {
            names.resolve(org, m).is_some_and(|v| !v.is_empty())
        } else {
            titles.knows(m)
        }
    };
    // mention -> every place it stands, in file order
    let mut found: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for t in free_texts(p) {
        for m in title_mentions(&t.value) {
            if !knows(&m.text) {
                found
                    .entry(m.text.clone())
                    .or_default()
                    .push(sub_span(sources, p.file, t, m.start, m.end));
            }
        }
    }
    for t in p.relations.internal.iter().chain(&p.relations.external) {
        if let Some(item) = title_item(&t.value)
            && !knows(&item)
        {
            found.entry(item).or_default().push(t.span.clone());
        }
    }
    for (mention, mut spans) in found {
        spans.sort_by_key(|s| s.start);
        let first = spans[0].clone();
        let also = spans.len() - 1;
        let message = if also > 0 {
            format!(
                "{mention} is not a position of this organization (named here and in {also} more place{})",
                if also == 1 { "" } else { "s" }
            )
        } else {
            format!("{mention} is not a position of this organization")
        };
        let mut d = UNKNOWN_POSITION_REFERENCE.at(p.file, first, message)
            .position(&p.id)
            .label("no position or [external] entry has this title")
            .help(format!(
                "use the title of an existing position, or add {mention} to [external] in _org.toml \
                 if it is outside this handbook"
            ));
        for s in spans.into_iter().skip(1) {
            d = d.related(p.file, s, format!("{mention} again"));
        }
        out.push(d);
    }
}

fn superior_mismatch(
    sources: &Sources,
    org: &Org,
    titles: &KnownTitles,
    names: &Names<'_>,
    p: &Position,
    out: &mut Vec<Diagnostic>,
) {
    let (sup_title, sup_id, related) = match org.superior(p) {
        Superior::Position(s) => (
            s.title.value.trim(),
            s.id.as_str(),
            Some((s.file, s.title.span.clone())),
        ),
        Superior::External(e) => (e.title.value.trim(), e.id.value.as_str(), None),
        Superior::None | Superior::Unknown => return,
    };
    let texts = p
        .duties
        .iter()
        .flat_map(|d| std::iter::once(&d.title).chain(d.tasks.iter()))
        .chain(p.notes.iter());
    // assigner -> every place it stands
    let mut found: BTreeMap<String, Vec<Span>> = BTreeMap::new();
    for t in texts {
        let Some(m) = assigner(&t.value) else {
            continue;
        };
        let who = m.text.trim();
        if OWN_HEAD.contains(&who) || GROUP_PREFIXES.iter().any(|g| who.starts_with(g)) {
            continue;
        }
        let resolved = match org.superior(p) {
            Superior::Position(_) => names.resolve(org, who),
            _ => None,
        };
        // A name without a branch prefix means one's own branch's: in 华东分公司, 客服部经理 is
        // the 华东分公司客服部经理.
        let own_branch = role_title(sup_title) == who;
        let same = own_branch
            || match &resolved {
                Some(candidates) => candidates.iter().any(|&q| org.positions[q].id == sup_id),
                None => {
                    who == sup_title
                        || who.eq_ignore_ascii_case(sup_title)
                        || who == sup_id
                        || sup_title.ends_with(who)
                        || (who.ends_with(sup_title) && role_title(who) != sup_title)
                }
            };
        if same {
            continue;
        }
        // Only a name that is clearly a position counts: a known title, or a title-like
        // phrase (ends in a post noun and has something before it). "领导" says nothing.
        let looks_like_title = titles.knows(who)
            || POST_NOUNS
                .iter()
                .any(|n| who.ends_with(n) && who.len() > n.len())
            || who.chars().all(|c| c.is_ascii_alphabetic() || c == ' ') && who.contains(' ');
        if looks_like_title {
            // The position the name resolves to, when it is exactly one.
            let shown = match resolved.as_deref() {
                Some(&[q]) => format!("{who} ({})", org.positions[q].id),
                _ => who.to_string(),
            };
            found
                .entry(shown)
                .or_default()
                .push(sub_span(sources, p.file, t, m.start, m.end));
        }
    }
    for (who, spans) in found {
        let message = format!(
            "work here is assigned by {who}, but the direct superior of {} is {sup_title} ({sup_id})",
            p.title.value
        );
        let mut d = SUPERIOR_MISMATCH
            .at(p.file, spans[0].clone(), message)
            .position(&p.id)
            .label("not the direct superior")
            .help(format!(
                "name the direct superior ({sup_title}), or correct reports_to"
            ));
        for s in &spans[1..] {
            d = d.related(p.file, s.clone(), format!("{who} again"));
        }
        if let Some((file, span)) = &related {
            d = d.related(
                *file,
                span.clone(),
                format!("the direct superior, {sup_id}"),
            );
        }
        out.push(d);
    }
}
