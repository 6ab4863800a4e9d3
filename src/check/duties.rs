//! Duties across the organization: `duplicate-duty` and `purpose-uncovered`, and the scan of
//! every duty for `misassigned-duty` (its reading of clauses is in [`super::reserved`]).
//!
//! Duplicates are found in close to linear time: exact copies by hashing the normalised text,
//! near copies by MinHash with banding (locality-sensitive hashing) over character trigrams,
//! each candidate pair then verified by its exact Jaccard similarity.

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;

use super::text::{
    CharBits, each_shingle, intersection, is_han, is_other_work_normalized, jaccard, normalize,
    normalize_into, shingles, strip_supervisory, supervisory_count,
};
use crate::diag::{Diagnostic, Severity};
use crate::load::Loaded;
use crate::model::{Duty, Org, Position};

use super::Rule;
use super::families::{FAMILY_TEMPLATE, Families, role_title, who};
use super::reserved::{RuleWords, misassigned};
use super::templates::{inherited_again, share_a_template};

pub const DUPLICATE_DUTY: Rule = Rule::new(
    "duplicate-duty",
    Severity::Warning,
    "the same duty or task, or nearly the same (after normalising punctuation, whitespace and full/half-width forms), appears in two positions, or twice in one; one finding per text, at its first copy, listing every place. **Delegation is not duplication**: where the higher position's version only adds supervisory verbs (监督, 督促, 指导, 组织, 审核, 检查 …) to the lower one's, it is not reported",
    "keep the duty in the position that owns it; the other one supervises or assists",
);

pub const PURPOSE_UNCOVERED: Rule = Rule::new(
    "purpose-uncovered",
    Severity::Info,
    "the `summary` (本职) names work that no duty mentions; the finding lists the words no duty covers",
    "add a duty for this work, or narrow the summary to what the duties cover",
);

/// Two duties at least this alike (Jaccard over character trigrams) are near copies.
pub const NEAR_DUPLICATE: f64 = 0.8;
/// Tasks shorter than this (normalised characters) are too generic to call copies.
const MIN_TASK_CHARS: usize = 12;
/// Duties shorter than this are too generic to call copies.
const MIN_DUTY_CHARS: usize = 6;
const HASHES: usize = 32;
/// A duty's MinHash: the least of 32-bit hash values per bin (at 32 bins, two unlike texts
/// agree in a bin by chance with odds of about 1 in 4·10^9; a signature is 128 bytes).
type Signature = [u32; HASHES];
const ROWS: usize = 4;
/// A bucket larger than this pairs its members beyond the first few only with those few.
const BUCKET_CAP: usize = 64;

pub(super) fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let org = &loaded.org;
    let inherited = inherited_again(org);
    let words = RuleWords::new(org);
    // One pass over the positions: each one's duties are normalised, read where a position
    // is read alone (misassigned-duty, purpose-uncovered) and reduced to what is compared
    // across positions (a MinHash signature per duty, a hash per task). The normalised texts
    // are not kept: the few places compared closely are normalised again.
    let passes: Vec<Pass> = org
        .positions
        .par_iter()
        .enumerate()
        .map(|(pos, p)| {
            let norm = prepare(p);
            let mut pass = Pass::default();
            misassigned(loaded, &words, p, &mut pass.found);
            purpose_uncovered(p, &norm, &mut pass.found);
            for (duty, d) in norm.iter().enumerate() {
                if inherited[pos][duty] {
                    continue;
                }
                let text = d.title_and_tasks();
                if !d.other_work && text.chars().count() >= MIN_DUTY_CHARS {
                    pass.duties.push((duty as u32, minhash(text)));
                }
                for (task, t) in d.tasks().enumerate() {
                    if t.chars().count() >= MIN_TASK_CHARS && !is_other_work_normalized(t) {
                        pass.tasks.push((text_hash(t), duty as u32, task as u32));
                    }
                }
            }
            pass
        })
        .collect();
    let mut out = duplicates(loaded, &passes);
    out.extend(passes.into_iter().flat_map(|p| p.found));
    out
}

/// What one position's pass leaves for the comparison across positions.
#[derive(Default)]
struct Pass {
    /// The findings about the position alone.
    found: Vec<Diagnostic>,
    /// The duties compared (by index), with their signatures.
    duties: Vec<(u32, Signature)>,
    /// The tasks compared: the hash of the normalised text, duty and task index.
    tasks: Vec<(u64, u32, u32)>,
}

/// A 64-bit hash of a normalised text: equal texts have equal hashes; the texts of equal
/// hashes are compared again.
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

/// A position's duty texts, normalised: one string (each duty's title, tasks and assessment
/// one after the other) and where each text ends, instead of a string per text.
struct NormDuties {
    text: String,
    /// Per duty: the index in `ends` of the end of its title (its tasks' ends follow, then
    /// its assessment's), and whether it is the "other work" boilerplate.
    duties: Vec<(u32, bool)>,
    ends: Vec<u32>,
}

/// One duty of [`NormDuties`].
#[derive(Clone, Copy)]
struct NormDuty<'a> {
    text: &'a str,
    /// Where the title starts, then where the title, each task and the assessment end.
    cuts: &'a [u32],
    /// Title or every task is "完成…交办的其他工作".
    other_work: bool,
}

impl NormDuties {
    fn with_capacity(duties: usize, texts: usize) -> Self {
        let mut ends = Vec::with_capacity(1 + texts);
        ends.push(0);
        NormDuties {
            text: String::new(),
            duties: Vec::with_capacity(duties),
            ends,
        }
    }

    /// Appends a duty's title, tasks and assessment, normalised.
    fn push(&mut self, d: &Duty) {
        let first = self.ends.len() as u32;
        let assessment = d.assessment.as_ref().map_or("", |a| a.value.as_str());
        let texts = std::iter::once(d.title.value.as_str())
            .chain(d.tasks.iter().map(|t| t.value.as_str()))
            .chain(std::iter::once(assessment));
        // Normalising seldom lengthens a text: room for all of them at once.
        self.text.reserve(texts.clone().map(str::len).sum());
        for raw in texts {
            normalize_into(raw, &mut self.text);
            self.ends.push(self.text.len() as u32);
        }
        self.duties.push((first, false));
        let duty = self.get(self.duties.len() - 1);
        let other_work =
            is_other_work_normalized(duty.title()) || duty.tasks().all(is_other_work_normalized);
        self.duties.last_mut().expect("pushed").1 = other_work;
    }

    fn len(&self) -> usize {
        self.duties.len()
    }

    fn get(&self, duty: usize) -> NormDuty<'_> {
        let (first, other_work) = self.duties[duty];
        let last = self
            .duties
            .get(duty + 1)
            .map_or(self.ends.len(), |&(next, _)| next as usize);
        // From the cut before the title: where the previous duty's assessment ends.
        NormDuty {
            text: &self.text,
            cuts: &self.ends[first as usize - 1..last],
            other_work,
        }
    }

    fn iter(&self) -> impl Iterator<Item = NormDuty<'_>> {
        (0..self.len()).map(|d| self.get(d))
    }
}

impl<'a> NormDuty<'a> {
    fn piece(&self, k: usize) -> &'a str {
        &self.text[self.cuts[k] as usize..self.cuts[k + 1] as usize]
    }

    fn title(&self) -> &'a str {
        self.piece(0)
    }

    fn tasks(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let d = *self;
        (1..self.cuts.len() - 2).map(move |k| d.piece(k))
    }

    fn assessment(&self) -> &'a str {
        self.piece(self.cuts.len() - 2)
    }

    /// The title and the tasks as one text: what duties are compared by.
    fn title_and_tasks(&self) -> &'a str {
        &self.text[self.cuts[0] as usize..self.cuts[self.cuts.len() - 2] as usize]
    }
}

fn prepare(p: &Position) -> NormDuties {
    let mut n = NormDuties::with_capacity(
        p.duties.len(),
        p.duties.iter().map(|d| d.tasks.len() + 2).sum(),
    );
    for d in &p.duties {
        n.push(d);
    }
    n
}

/// A duty by (position index, duty index).
type DutyRef = (usize, usize);

/// A task by (position index, duty index, task index).
type TaskRef = (usize, usize, usize);

/// One duty as compared for duplicates: its place and its [`NormDuty::title_and_tasks`],
/// made again for the few places compared closely.
struct Unit {
    pos: usize,
    duty: usize,
    norm: String,
}

impl Unit {
    fn new(org: &Org, (pos, duty): DutyRef) -> Unit {
        let d = &org.positions[pos].duties[duty];
        let mut one = NormDuties::with_capacity(1, d.tasks.len() + 2);
        one.push(d);
        let norm = one.get(0).title_and_tasks().to_string();
        Unit { pos, duty, norm }
    }
}

fn duplicates(loaded: &Loaded, passes: &[Pass]) -> Vec<Diagnostic> {
    let org = &loaded.org;
    let n: usize = passes.iter().map(|p| p.duties.len()).sum();
    let mut places: Vec<DutyRef> = Vec::with_capacity(n);
    // The signatures where the passes keep them: a copy would be 128 bytes a duty of fresh
    // memory, written on one core.
    let mut signatures: Vec<&Signature> = Vec::with_capacity(n);
    for (pos, pass) in passes.iter().enumerate() {
        for (duty, sig) in &pass.duties {
            places.push((pos, *duty as usize));
            signatures.push(sig);
        }
    }
    let unit = |k: usize| Unit::new(org, places[k]);

    let mut pairs = candidate_pairs(&signatures);
    pairs.par_sort_unstable();
    pairs.dedup();
    let verified: Vec<(usize, usize, f64)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (ua, ub) = (unit(a as usize), unit(b as usize));
            let sim = if ua.norm == ub.norm {
                1.0
            } else {
                similarity(&ua, &ub)
            };
            (sim >= NEAR_DUPLICATE && !delegation(org, &ua, &ub))
                .then_some((a as usize, b as usize, sim))
        })
        .collect();

    // Alike duties form groups (union-find over the verified pairs): one finding per group,
    // however many places share the text, so output grows with N, not N².
    let mut parent: Vec<usize> = (0..places.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut best: HashMap<(usize, usize), f64> = HashMap::default();
    for &(a, b, sim) in &verified {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
        best.insert((a, b), sim);
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
    for &(a, b, _) in &verified {
        for u in [a, b] {
            let r = root(&mut parent, u);
            groups.entry(r).or_default().push(u);
        }
    }
    let mut groups: Vec<Vec<usize>> = groups
        .into_values()
        .map(|mut g| {
            // Units are in file order: positions by path, duties by line.
            g.sort_unstable();
            g.dedup();
            g
        })
        .collect();
    groups.sort_unstable();

    let families = Families::new(org);
    // Each group judged on its own (over the cores), the results taken in group order.
    let judged: Vec<(Verdict, Option<Diagnostic>)> = groups
        .par_iter()
        .map(|g| {
            let group: Vec<DutyRef> = g.iter().map(|&u| places[u]).collect();
            let mut verdict = copy_and_owner(org, &families, &group);
            let Some((primary, owner, shown)) = verdict.copy.take() else {
                return (verdict, None);
            };
            let (ua, ub) = (g[primary], g[owner]);
            let sim = best
                .get(&(ua.min(ub), ua.max(ub)))
                .copied()
                .unwrap_or_else(|| similarity(&unit(ua), &unit(ub)));
            let others: Vec<Unit> = shown
                .iter()
                .filter(|&&k| k != primary && k != owner)
                .map(|&k| unit(g[k]))
                .collect();
            let others: Vec<&Unit> = others.iter().collect();
            let d = duty_diagnostic(org, &unit(ua), &unit(ub), &others, sim);
            (verdict, Some(d))
        })
        .collect();
    let mut shared: FamilyShares = HashMap::default();
    let mut out = Vec::new();
    let mut duty_group: HashMap<DutyRef, usize> = HashMap::default();
    for (gi, (g, (verdict, found))) in groups.iter().zip(judged).enumerate() {
        for &u in g {
            duty_group.insert(places[u], gi);
        }
        for role in verdict.families {
            shared.entry(role).or_default().push(places[g[0]]);
        }
        out.extend(found);
    }
    task_copies(org, passes, &families, &duty_group, &mut out);
    family_template(org, &families, &shared, &mut out);
    out
}

/// The Jaccard similarity of two duties' trigram sets.
fn similarity(a: &Unit, b: &Unit) -> f64 {
    jaccard(&shingles(&a.norm), &shingles(&b.norm))
}

/// Per family (role), the first place of each duty text its positions share.
type FamilyShares = HashMap<usize, Vec<DutyRef>>;

/// What a group of places sharing one text (in file order) amounts to.
struct Verdict {
    /// The place reported, the place it copies, and every place shown (indices into the
    /// group); `None` when nothing is to be reported.
    copy: Option<(usize, usize, Vec<usize>)>,
    /// The families (roles) two or more of whose positions have the text.
    families: Vec<usize>,
}

/// Judges one group. Copies between positions of one job family are its template, not
/// duplication; a copy that crosses roles is reported at the first place (in file order)
/// outside the owning role: the role at the highest level, then the one with the most
/// positions having the text (a 客服专员 duty found in three branches and in one 仓储专员
/// belongs to the 客服专员), then the first. A position that has the text twice is always
/// reported.
fn copy_and_owner(org: &Org, families: &Families, places: &[DutyRef]) -> Verdict {
    let n = places.len();
    let role = |k: usize| families.role[places[k].0];
    // Distinct positions of each role that have the text.
    let mut by_role: Vec<(usize, usize)> = Vec::new();
    for k in 0..n {
        if k > 0 && places[k - 1].0 == places[k].0 {
            continue;
        }
        match by_role.iter_mut().find(|(r, _)| *r == role(k)) {
            Some((_, c)) => *c += 1,
            None => by_role.push((role(k), 1)),
        }
    }
    let count = |r: usize| by_role.iter().find(|(x, _)| *x == r).map_or(0, |(_, c)| *c);
    let fams: Vec<usize> = by_role
        .iter()
        .filter(|(r, c)| *c > 1 && families.is_family(*r))
        .map(|(r, _)| *r)
        .collect();
    if n < 2 {
        return Verdict {
            copy: None,
            families: fams,
        };
    }
    if by_role.len() == 1 {
        // One role: only a position with the text twice is a copy.
        let repeated: Vec<usize> = (0..n)
            .filter(|&k| (0..n).any(|j| j != k && places[j].0 == places[k].0))
            .collect();
        let copy = (repeated.len() >= 2).then(|| (repeated[1], repeated[0], repeated));
        return Verdict {
            copy,
            families: fams,
        };
    }
    let level = |k: usize| org.positions[places[k].0].level_index;
    let owner = (0..n)
        .max_by_key(|&k| (level(k), count(role(k)), std::cmp::Reverse(k)))
        .expect("two places");
    let primary = (0..n).find(|&k| role(k) != role(owner)).expect("two roles");
    Verdict {
        copy: Some((primary, owner, (0..n).collect())),
        families: fams,
    }
}

/// One `family-template` info per family whose positions share duties.
fn family_template(
    org: &Org,
    families: &Families,
    shared: &FamilyShares,
    out: &mut Vec<Diagnostic>,
) {
    let mut roles: Vec<(&usize, &Vec<DutyRef>)> = shared.iter().collect();
    roles.sort_unstable();
    for (&role, texts) in roles {
        let members = &families.members[role];
        if share_a_template(org, members) {
            continue;
        }
        let first = &org.positions[members[0]];
        let level = first
            .level_index
            .map(|l| org.settings.level_name(l).to_string())
            .unwrap_or_default();
        let mut titles: Vec<&str> = texts
            .iter()
            .map(|&(p, d)| org.positions[p].duties[d].title.value.as_str())
            .collect();
        titles.dedup();
        let message = format!(
            "{} positions of job family {} ({level}) share {} {}: {}",
            members.len(),
            role_title(&first.title.value),
            texts.len(),
            if texts.len() == 1 { "duty" } else { "duties" },
            titles.join(", ")
        );
        let mut d = FAMILY_TEMPLATE
            .at(first.file, first.title.span.clone(), message)
            .position(&first.id)
            .label("one of a job family")
            .help(
                "branches copied from one template are intended; keep the shared duties in one \
                 template so the copies cannot drift apart",
            );
        for &m in &members[1..] {
            let p = &org.positions[m];
            d = d.related(p.file, p.title.span.clone(), format!("also {}", who(p)));
        }
        out.push(d);
    }
}

/// Candidate pairs (i < j): texts sharing a MinHash band whose signatures agree in at least
/// half their bins.
///
/// The signatures estimate the similarity: far below the bar, a pair is not worth the exact
/// count (at a true 0.8, fewer than half the bins agree with odds of about 1 in 10^5). The
/// estimate is taken inside the bucket, whose few signatures stay in cache, not over the
/// pairs after: similar-but-not-alike texts share bands often (a Jaccard of 0.5 shares one
/// of the 8 bands with odds of 2 in 5), and their pairs grow faster than the duties do.
///
/// A bucket is a run of equal band hashes in one band's (hash, unit) list sorted: members in
/// unit order, as a map of lists would hold them, for 16 bytes a unit and band instead of a
/// map entry and a list each.
fn candidate_pairs(signatures: &[&Signature]) -> Vec<(u32, u32)> {
    (0..HASHES / ROWS)
        .into_par_iter()
        .flat_map_iter(|band| {
            let mut keyed: Vec<(u64, u32)> = signatures
                .iter()
                .enumerate()
                .map(|(i, sig)| {
                    let mut h: u64 = band as u64;
                    for v in &sig[band * ROWS..(band + 1) * ROWS] {
                        h = mix(h ^ u64::from(*v));
                    }
                    (h, i as u32)
                })
                .collect();
            keyed.sort_unstable();
            let mut pairs = Vec::new();
            for bucket in keyed.chunk_by(|a, b| a.0 == b.0) {
                if bucket.len() < 2 {
                    continue;
                }
                for (x, &(_, i)) in bucket.iter().enumerate() {
                    let partners = if x < BUCKET_CAP {
                        &bucket[..x]
                    } else {
                        &bucket[..8]
                    };
                    let si = signatures[i as usize];
                    for &(_, j) in partners {
                        if agreeing_bins(si, signatures[j as usize]) >= HASHES / 2 {
                            pairs.push((j.min(i), j.max(i)));
                        }
                    }
                }
            }
            pairs
        })
        .collect()
}

/// In how many bins two signatures agree.
fn agreeing_bins(a: &Signature, b: &Signature) -> usize {
    a.iter().zip(b).filter(|(x, y)| x == y).count()
}

fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// One-permutation MinHash: each shingle is hashed once and kept as the minimum of one of
/// `HASHES` bins; empty bins borrow from the next full one (densification), so alike texts
/// still agree bin by bin.
fn minhash(normalized: &str) -> Signature {
    let mut sig = [u32::MAX; HASHES];
    // A repeated shingle changes no minimum: the trigrams need not be made a set first.
    each_shingle(normalized, |s| {
        let h = mix(s);
        // The bin from the low bits, the value from the high ones.
        let bin = (h % HASHES as u64) as usize;
        let v = (h >> 32) as u32;
        if v < sig[bin] {
            sig[bin] = v;
        }
    });
    if sig.contains(&u32::MAX) && sig.iter().any(|&v| v != u32::MAX) {
        let filled = sig;
        for k in 0..HASHES {
            if filled[k] == u32::MAX {
                let (j, v) = (1..HASHES)
                    .map(|d| ((k + d) % HASHES, filled[(k + d) % HASHES]))
                    .find(|(_, v)| *v != u32::MAX)
                    .expect("some bin is full");
                let distance = (j + HASHES - k) % HASHES;
                sig[k] = (mix(u64::from(v) ^ distance as u64) >> 32) as u32;
            }
        }
    }
    sig
}

/// The higher position's duty only adds supervisory verbs to the lower one's: delegation.
fn delegation(org: &Org, a: &Unit, b: &Unit) -> bool {
    let (pa, pb) = (&org.positions[a.pos], &org.positions[b.pos]);
    let (Some(la), Some(lb)) = (pa.level_index, pb.level_index) else {
        return false;
    };
    let (hi, lo) = match la.cmp(&lb) {
        std::cmp::Ordering::Greater => (a, b),
        std::cmp::Ordering::Less => (b, a),
        std::cmp::Ordering::Equal => return false,
    };
    if supervisory_count(&hi.norm) <= supervisory_count(&lo.norm) {
        return false;
    }
    let hs = shingles(&strip_supervisory(&hi.norm));
    let ls = shingles(&strip_supervisory(&lo.norm));
    intersection(&hs, &ls) as f64 >= 0.85 * ls.len() as f64
}

fn duty_diagnostic(org: &Org, copy: &Unit, orig: &Unit, others: &[&Unit], sim: f64) -> Diagnostic {
    let (pc, po) = (&org.positions[copy.pos], &org.positions[orig.pos]);
    let (dc, dorig) = (&pc.duties[copy.duty], &po.duties[orig.duty]);
    let raw = |d: &crate::model::Duty| {
        std::iter::once(&d.title.value)
            .chain(d.tasks.iter().map(|t| &t.value))
            .cloned()
            .collect::<Vec<_>>()
    };
    let how = if raw(dc) == raw(dorig) {
        "word for word".to_string()
    } else if copy.norm == orig.norm {
        "word for word but for punctuation, spacing or character width".to_string()
    } else {
        format!("nearly word for word ({:.0} % alike)", sim * 100.0)
    };
    let whose = if copy.pos == orig.pos {
        "the same position".to_string()
    } else {
        who(po)
    };
    let mut message = format!(
        "duty {} repeats duty {} of {whose}, {how}",
        dc.title.value, dorig.title.value
    );
    if !others.is_empty() {
        let mut positions: Vec<usize> = others.iter().map(|u| u.pos).collect();
        positions.dedup();
        message.push_str(&format!(
            "; {} places in all (also {})",
            others.len() + 2,
            positions
                .iter()
                .map(|&p| org.positions[p].id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let mut d = DUPLICATE_DUTY
        .at(pc.file, dc.title.span.clone(), message)
        .position(&pc.id)
        .label("copied duty");
    // Related places in file order, the copied one among them.
    let mut related: Vec<&Unit> = others.to_vec();
    related.push(orig);
    related.sort_by_key(|u| (u.pos, u.duty));
    for u in related {
        let p = &org.positions[u.pos];
        d = d.related(
            p.file,
            p.duties[u.duty].title.span.clone(),
            format!("the duty in {}", p.id),
        );
    }
    d.help(
        "keep the duty in the position that owns it; a superior that only oversees it \
             says so (监督…, 指导…)",
    )
}

/// Single tasks copied verbatim between duties that are otherwise different: one finding per
/// text, at its first copy, listing every place.
fn task_copies(
    org: &Org,
    passes: &[Pass],
    families: &Families,
    duty_group: &HashMap<DutyRef, usize>,
    out: &mut Vec<Diagnostic>,
) {
    // Every task compared, by hash, then in file order: a text's places are a run of equal
    // hashes (where hashes collide, a run holds other texts too: told apart by the text).
    let mut tasks: Vec<(u64, u32, u32, u32)> =
        Vec::with_capacity(passes.iter().map(|p| p.tasks.len()).sum());
    for (pos, pass) in passes.iter().enumerate() {
        let at = |&(hash, duty, task): &(u64, u32, u32)| (hash, pos as u32, duty, task);
        tasks.extend(pass.tasks.iter().map(at));
    }
    tasks.par_sort_unstable();
    let runs: Vec<&[(u64, u32, u32, u32)]> = tasks
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() >= 2)
        .collect();
    // Each run told apart by its texts (over the cores), in run order.
    let mut copied: Vec<Vec<TaskRef>> = runs
        .par_iter()
        .flat_map_iter(|run| {
            let mut texts: Vec<(String, Vec<TaskRef>)> = Vec::new();
            for &(_, pos, duty, task) in run.iter() {
                let place = (pos as usize, duty as usize, task as usize);
                let norm = normalize(&org.positions[place.0].duties[place.1].tasks[place.2].value);
                match texts.iter_mut().find(|(text, _)| *text == norm) {
                    Some((_, places)) => places.push(place),
                    None => texts.push((norm, vec![place])),
                }
            }
            texts.into_iter().map(|(_, places)| places)
        })
        .collect();
    copied.retain(|places| places.len() >= 2);
    // In the order a reader going through the files meets each text again.
    copied.sort_unstable_by_key(|places| places[1]);
    for all in &copied {
        // A place whose duty is already counted (the same duty, or a duty reported as a copy
        // of an earlier place's) adds nothing.
        let mut kept: Vec<TaskRef> = Vec::new();
        for &(pi, di, ti) in all {
            let group = duty_group.get(&(pi, di));
            let counted = kept.iter().any(|&(pk, dk, _)| {
                (pk, dk) == (pi, di) || (group.is_some() && duty_group.get(&(pk, dk)) == group)
            });
            if !counted {
                kept.push((pi, di, ti));
            }
        }
        let duties: Vec<DutyRef> = kept.iter().map(|&(p, d, _)| (p, d)).collect();
        let Some((primary, owner, shown)) = copy_and_owner(org, families, &duties).copy else {
            continue;
        };
        let kept: Vec<TaskRef> = shown.iter().map(|&k| kept[k]).collect();
        let (primary, owner) = (
            shown.iter().position(|&k| k == primary).expect("shown"),
            shown.iter().position(|&k| k == owner).expect("shown"),
        );
        let (pi, di, ti) = kept[primary];
        let (po, dj, _) = kept[owner];
        let p = &org.positions[pi];
        let d = &p.duties[di];
        let other = &org.positions[po];
        let whose = if po == pi {
            format!("duty {} of the same position", other.duties[dj].title.value)
        } else {
            format!("duty {} of {}", other.duties[dj].title.value, who(other))
        };
        let mut message = format!(
            "this task of duty {} repeats a task of {whose}",
            d.title.value
        );
        if kept.len() > 2 {
            message.push_str(&format!("; {} places in all", kept.len()));
        }
        let help = "a task belongs to one duty of one position; reword it or remove the copy";
        let mut diag = DUPLICATE_DUTY
            .at(p.file, d.tasks[ti].span.clone(), message)
            .position(&p.id)
            .label("copied task")
            .help(help);
        for (k, &(pk, dk, tk)) in kept.iter().enumerate() {
            if k != primary {
                let q = &org.positions[pk];
                diag = diag.related(
                    q.file,
                    q.duties[dk].tasks[tk].span.clone(),
                    format!("the task in {}", q.id),
                );
            }
        }
        out.push(diag);
    }
}

/// Work named by the summary, as chunks: "负责客户投诉的接收和组织解决" -> 客户投诉的接收, 组织解决.
fn summary_chunks(summary: &str) -> Vec<String> {
    const LEADS: &[&str] = &["负责", "进行", "开展", "做好", "承担", "主持", "全面"];
    split_clauses(summary)
        .into_iter()
        .map(|c| {
            let mut c = c.trim();
            while let Some(rest) = LEADS.iter().find_map(|l| c.strip_prefix(l)) {
                c = rest;
            }
            c.to_string()
        })
        .filter(|c| c.chars().filter(|ch| is_han(*ch)).count() >= 2)
        .fold(Vec::new(), |mut out: Vec<String>, c| {
            // A bare verb after "X的Y与" shares X (采购计划的编制与执行 -> 采购计划的执行).
            let object = out.last().and_then(|prev| {
                prev.rfind('的')
                    .map(|i| prev[..i + '的'.len_utf8()].to_string())
            });
            match object {
                Some(object) if c.chars().count() <= 2 && !c.contains('的') => {
                    out.push(object + &c)
                }
                _ => out.push(c),
            }
            out
        })
}

/// Cuts a 本职 at punctuation and at the conjunctions 和, 及, 与, 并, but never inside a word
/// that holds one of them: 及时, 涉及, 参与, 合并 stay whole.
fn split_clauses(text: &str) -> Vec<&str> {
    const CONJUNCTIONS: [char; 4] = ['和', '及', '与', '并'];
    const PUNCTUATION: [char; 7] = ['，', ',', '。', '；', ';', '、', '\n'];
    /// Words a conjunction character is part of (two characters each).
    const WORDS: &[&str] = &[
        "及时", "涉及", "普及", "危及", "波及", "顾及", "企及", "和谐", "平和", "温和", "和睦",
        "参与", "与会", "给与", "合并", "并购", "兼并", "并发", "并行", "吞并", "归并", "并入",
    ];
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let in_word = |k: usize| {
        let c = chars[k].1;
        let before = k.checked_sub(1).map(|j| chars[j].1);
        let after = chars.get(k + 1).map(|(_, c)| *c);
        WORDS.iter().any(|w| {
            let mut wc = w.chars();
            let (a, b) = (wc.next(), wc.next());
            (a == Some(c) && b == after) || (b == Some(c) && a == before)
        })
    };
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let cut = PUNCTUATION.contains(&c) || (CONJUNCTIONS.contains(&c) && !in_word(k));
        if cut {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// A piece of the 本职 as compared with the duties: its characters (vague words blanked) and
/// its two-character words, each with the index of its first character.
struct Piece {
    text: String,
    chars: Vec<char>,
    grams: Vec<(usize, (char, char))>,
}

impl Piece {
    fn new(text: String, department: &str) -> Self {
        let mut n = normalize(&text);
        if !department.is_empty() {
            n = n.replace(department, " ");
        }
        // Blanked, not cut out: the characters on either side of a vague word are no word.
        for v in VAGUE {
            if n.contains(v) {
                n = n.replace(v, " ");
            }
        }
        let chars: Vec<char> = n.chars().collect();
        let grams = chars
            .windows(2)
            .enumerate()
            .filter(|(_, w)| w.iter().all(|c| is_word(*c)))
            .map(|(i, w)| (i, (w[0], w[1])))
            .collect();
        Piece { text, chars, grams }
    }

    /// The words no duty has: runs of two or more characters that no seen two-character word
    /// touches (客户投诉处理 with 客户 and 处理 in the duties -> 投诉).
    fn missing(&self, seen: &[bool]) -> Vec<String> {
        let mut covered = vec![false; self.chars.len()];
        for (&(i, _), _) in self.grams.iter().zip(seen).filter(|(_, s)| **s) {
            covered[i] = true;
            covered[i + 1] = true;
        }
        let mut words = Vec::new();
        let mut run = String::new();
        for (k, &c) in self.chars.iter().enumerate() {
            if is_word(c) && !covered[k] {
                run.push(c);
            } else {
                if run.chars().count() >= 2 {
                    words.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
        if run.chars().count() >= 2 {
            words.push(run);
        }
        words
    }
}

/// A character that can be part of a word of the 本职: Han, but not the particle 的.
fn is_word(c: char) -> bool {
    is_han(c) && c != '的'
}

/// Words that say nothing about which work is meant.
const VAGUE: &[&str] = &[
    "工作", "相关", "公司", "部门", "各项", "日常", "具体", "有关", "全面",
];

fn purpose_uncovered(p: &Position, duties: &NormDuties, out: &mut Vec<Diagnostic>) {
    if duties.len() == 0 {
        return;
    }
    let pieces: Vec<Piece> = summary_chunks(&p.summary.value)
        .into_iter()
        .map(|c| Piece::new(c, &p.department.value))
        .filter(|piece| !piece.grams.is_empty())
        .collect();
    // The summary has a few dozen bigrams: walk the duties once and tick off those seen.
    let wanted: Vec<(char, char)> = pieces
        .iter()
        .flat_map(|piece| piece.grams.iter().map(|g| g.1))
        .collect();
    let mut seen = vec![false; wanted.len()];
    // Most characters of the duties start none of the wanted words.
    let mut starts = CharBits::default();
    for &(a, _) in &wanted {
        starts.insert(a);
    }
    for d in duties.iter() {
        for text in std::iter::once(d.title())
            .chain(d.tasks())
            .chain(std::iter::once(d.assessment()))
        {
            let mut chars = text.chars();
            let Some(mut prev) = chars.next() else {
                continue;
            };
            for c in chars {
                if starts.may_contain(prev) {
                    for (k, w) in wanted.iter().enumerate() {
                        if *w == (prev, c) {
                            seen[k] = true;
                        }
                    }
                }
                prev = c;
            }
        }
    }
    let mut k = 0;
    let mut named: Vec<&str> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for piece in &pieces {
        let seen = &seen[k..k + piece.grams.len()];
        k += piece.grams.len();
        let hits = seen.iter().filter(|s| **s).count();
        if hits * 2 < piece.grams.len() {
            named.push(&piece.text);
            let mut words = piece.missing(seen);
            if words.is_empty() {
                // Every character is in some duty, but not the piece's words together.
                words.push(piece.text.clone());
            }
            for w in words {
                if !missing.contains(&w) {
                    missing.push(w);
                }
            }
        }
    }
    if named.is_empty() {
        return;
    }
    let words = missing.join(", ");
    let message = if missing == named {
        format!(
            "本职 names {words} but no duty mentions {}",
            if named.len() == 1 { "it" } else { "them" }
        )
    } else {
        format!(
            "本职 names {} but no duty mentions {words}",
            named.join(", ")
        )
    };
    out.push(
        PURPOSE_UNCOVERED
            .at(p.file, p.summary.span.clone(), message)
            .position(&p.id)
            .label(format!("not in any duty: {words}"))
            .help("add a duty for this work, or narrow the summary to what the duties cover"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_is_cut_at_conjunctions_never_inside_words() {
        assert_eq!(
            split_clauses("及时处理客户投诉和建议，参与合同评审并做好档案"),
            ["及时处理客户投诉", "建议", "参与合同评审", "做好档案"]
        );
        assert_eq!(split_clauses("负责并购与重组"), ["负责并购", "重组"]);
        assert_eq!(
            summary_chunks("负责及时处理投诉"),
            ["及时处理投诉"],
            "及时 is not 及"
        );
        assert_eq!(
            summary_chunks("负责采购计划的编制与执行"),
            ["采购计划的编制", "采购计划的执行"]
        );
    }
}
