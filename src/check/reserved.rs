//! `misassigned-duty`: duties and authorities that do an act reserved for a higher level.
//!
//! Every part of every reserved keyword is found in one pass over a text (one automaton); the
//! parts found are joined into acts clause by clause, and a clause that only assists, reviews,
//! proposes, tracks or reports on the act, or hands it to someone else, does not count.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::Rule;
use super::references::sub_span;
use super::text::{ASSISTING_VERBS, POST_NOUNS, is_han};
use crate::diag::{Diagnostic, Severity};
use crate::load::Loaded;
use crate::model::{Lang, Org, Position, Reserved, Text};

pub const MISASSIGNED_DUTY: Rule = Rule::new(
    "misassigned-duty",
    Severity::Error,
    "a duty (title or task) or an authority (…权) does a `[[reserved]]` act (a keyword, or its parts in one clause: 审批…合同) and the position's level is below the rule's `min_level`; not where the clause only assists, reviews, proposes, tracks or reports on the act, or submits it to someone else for approval",
    "move the duty to a position at the rule's level or above, or reword it as assisting (协助…)",
);

/// One keyword of a reserved rule: contiguous text, or parts joined by `…` (or `...`) that
/// stand in that order within one clause.
struct Keyword<'a> {
    rule: usize,
    written: &'a str,
    /// Pattern ids of the automaton, in order.
    parts: Vec<usize>,
}

/// Every part of every keyword of every reserved rule in one automaton, lower-cased once: a
/// text is read in one pass, and the parts found are joined into acts clause by clause.
pub(super) struct RuleWords<'a> {
    rules: Vec<&'a Reserved>,
    keywords: Vec<Keyword<'a>>,
    /// For each pattern: the keywords whose first part it is.
    starts: Vec<Vec<usize>>,
    automaton: Option<AhoCorasick>,
}

/// The most bytes between two parts of a keyword: about twenty Chinese characters, or ten
/// English words (审批单笔2万元以下的采购合同 is 28).
const MAX_GAP: usize = 60;

/// Marks that end a clause. A comma between digits (20,000) ends nothing, and an ASCII comma
/// in English text lists, like 、 (see [`is_list_mark`]).
fn is_clause_end(lower: &str, i: usize, c: char) -> bool {
    match c {
        '，' | '。' | '；' | ';' | '：' | ':' | '\n' | '！' | '？' | '!' | '?' => true,
        ',' | '.' => {
            let prev = lower[..i].chars().next_back();
            let next = lower[i + 1..].chars().next();
            let digits = prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            !digits && (c == '.' || prev.is_some_and(is_han) || next.is_some_and(is_han))
        }
        _ => false,
    }
}

/// Marks between the items of a list inside a clause: 、 and a comma in English text.
fn is_list_mark(lower: &str, i: usize, c: char) -> bool {
    c == '、' || (c == ',' && !is_clause_end(lower, i, c))
}

/// Verbs that open an item of a list on their own (审核报销单据、审批合同: the 审核 does not reach
/// the 审批).
const ACT_VERBS: &[&str] = &[
    "审批", "批准", "签批", "核准", "审定", "决定", "决策", "主持", "负责", "任免", "任命", "聘任",
    "辞退", "解聘", "approve", "authori", "sign", "decide", "manage", "hire", "dismiss", "appoint",
];
/// Verbs that only track, chase, record or report on an act (跟踪合同审批进度).
const TRACKING_VERBS: &[&str] = &[
    "跟踪",
    "跟进",
    "催办",
    "催促",
    "登记",
    "统计",
    "汇总",
    "报送",
    "记录",
    "归档",
    "整理",
    "查询",
    "通报",
    "反馈",
    "上报",
    "收集",
    "track",
    "monitor",
    "record",
    "report",
    "log",
    "follow up",
    "follow-up",
    "chase",
    "compile",
    "summari",
    "register",
    "archive",
    "collect",
];
/// Words after an act that make it the thing tracked (合同审批进度, 招投标结果, 审批后).
const STATUS_WORDS: &[&str] = &[
    "进度", "情况", "结果", "状态", "台账", "记录", "信息", "资料", "档案", "数据", "报表", "统计",
    "制度", "要求", "标准", "依据", "手续", "通过", "之后", "后", "前", "status", "progress",
    "result", "record", "log", "report", "polic", "form", "request", "history",
];
/// Words after an approving verb that make the approval's procedure the thing worked on
/// (优化合同审批流程); after other acts they are the act itself (manage the tendering process).
const PROCEDURE_WORDS: &[&str] = &["流程", "程序", "process", "workflow", "procedure"];
/// Words after an act that make it a proposal (投标决策建议权).
const PROPOSING: &[&str] = &["建议", "提名", "提议", "propos", "recommend"];
/// Words right before an act, or before its approving verb, that hand the act to someone
/// else (提交合同报经理审批, 经审批的合同, submit contracts for approval).
const SUBMITTING: &[&str] = &[
    "提交", "报请", "呈报", "呈送", "提请", "申请", "送审", "交由", "报", "送", "呈", "由", "经",
    "待", "已", "需", "submit", "forward", "send", "refer", "obtain", "seek", "request", "pending",
];

/// Whether the text before an act hands it to someone else: a word of [`SUBMITTING`], or "for"
/// (contracts for approval) but not "responsible for" (responsible for approving contracts).
fn handed_over(before: &str) -> bool {
    if ends_with_word(before, SUBMITTING) {
        return true;
    }
    match before.trim_end().strip_suffix("for") {
        Some(rest) if !rest.ends_with(is_word_char) => {
            !ends_with_word(rest, &["responsible", "accountable"])
        }
        _ => false,
    }
}
/// Who else approves, right before the approving verb (报总经理审批, manager approval), beside
/// the post nouns of [`POST_NOUNS`].
const APPROVERS: &[&str] = &[
    "领导",
    "上级",
    "董事会",
    "总裁",
    "公司",
    "部门",
    "总部",
    "集团",
    "委员会",
    "股东会",
    "manager",
    "director",
    "supervisor",
    "head",
    "board",
    "ceo",
    "cfo",
    "management",
    "leadership",
];
/// Verbs of approving and deciding: who does them is who holds the act.
const APPROVING: &[&str] = &[
    "审批", "批准", "签批", "核准", "审定", "批复", "决定", "决策", "approv", "authori", "sign",
    "decide", "decision",
];
/// Two-character words a keyword's last character may begin (制定标准 holds 定标, 考评标准 holds
/// 评标): a match that ends inside one is no match.
const EDGE_WORDS: &[&str] = &["标准", "标杆", "标签", "标识", "标志", "标题", "标注"];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// Whether `hay` holds `w`: English words only from their start (`log` is not in `catalog`).
fn holds(hay: &str, w: &str) -> Option<usize> {
    if !w.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return hay.rfind(w);
    }
    hay.rmatch_indices(w)
        .find(|(i, _)| !hay[..*i].chars().next_back().is_some_and(is_word_char))
        .map(|(i, _)| i)
}

/// The last place in `hay` where one of `words` stands, and the end of that word.
fn last_of(hay: &str, words: &[&str]) -> Option<(usize, usize)> {
    words
        .iter()
        .filter_map(|w| holds(hay, w).map(|i| (i, i + w.len())))
        .max()
}

/// Whether `before` ends with one of `words` (spaces and English articles dropped).
fn ends_with_word(before: &str, words: &[&str]) -> bool {
    let mut b = before.trim_end();
    loop {
        let t = ["the", "a", "an", "all", "any"]
            .iter()
            .find_map(|a| {
                b.strip_suffix(a)
                    .filter(|r| r.is_empty() || r.ends_with(' '))
            })
            .map(str::trim_end);
        match t {
            Some(t) => b = t,
            None => break,
        }
    }
    words.iter().any(|w| {
        b.strip_suffix(w).is_some_and(|r| {
            !w.starts_with(|c: char| c.is_ascii_alphabetic())
                || !r.chars().next_back().is_some_and(is_word_char)
        })
    })
}

/// Whether `after` starts with one of `words` (spaces and 的 dropped).
fn starts_with_word(after: &str, words: &[&str]) -> bool {
    let a = after.trim_start().trim_start_matches('的').trim_start();
    let a = a.strip_prefix("of the ").unwrap_or(a);
    words.iter().any(|w| a.starts_with(w))
}

/// Whether `lower[start..end]` is a whole word: English parts start and end at word
/// boundaries (a plural `s` allowed: contracts, not contractor), Chinese ones do not end inside
/// a word (定标 in 制定标准).
fn whole(lower: &str, start: usize, end: usize) -> bool {
    let part = &lower[start..end];
    let prev = lower[..start].chars().next_back();
    let mut next = lower[end..].chars();
    let (n1, n2) = (next.next(), next.next());
    let first = part.chars().next();
    let last = part.chars().next_back();
    if first.is_some_and(|c| c.is_ascii_alphabetic()) && prev.is_some_and(is_word_char) {
        return false;
    }
    if last.is_some_and(|c| c.is_ascii_alphabetic()) {
        let ok = match n1 {
            Some('s') => !n2.is_some_and(is_word_char),
            Some(c) => !is_word_char(c),
            None => true,
        };
        if !ok {
            return false;
        }
    }
    if let (Some(l), Some(n)) = (last, n1) {
        let mut pair = [0u8; 8];
        let len = l.encode_utf8(&mut pair).len();
        let len = len + n.encode_utf8(&mut pair[len..]).len();
        let pair = std::str::from_utf8(&pair[..len]).unwrap_or("");
        if EDGE_WORDS.contains(&pair) {
            return false;
        }
    }
    true
}

impl<'a> RuleWords<'a> {
    pub(super) fn new(org: &'a Org) -> Self {
        let rules: Vec<&Reserved> = org
            .settings
            .reserved
            .iter()
            .filter(|r| r.min_level_index.is_some())
            .collect();
        let mut lowered: Vec<String> = Vec::new();
        let mut keywords: Vec<Keyword<'a>> = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            for k in &r.keywords {
                let parts: Vec<usize> = k
                    .value
                    .split(['…'])
                    .flat_map(|p| p.split("..."))
                    .map(|p| p.trim().to_lowercase())
                    .filter(|p| !p.is_empty())
                    .map(|l| match lowered.iter().position(|x| *x == l) {
                        Some(p) => p,
                        None => {
                            lowered.push(l);
                            lowered.len() - 1
                        }
                    })
                    .collect();
                if !parts.is_empty() {
                    keywords.push(Keyword {
                        rule: i,
                        written: k.value.as_str(),
                        parts,
                    });
                }
            }
        }
        let mut starts = vec![Vec::new(); lowered.len()];
        for (k, kw) in keywords.iter().enumerate() {
            starts[kw.parts[0]].push(k);
        }
        // Every occurrence of every part (overlapping): 合同审批 holds the keyword and both
        // parts of 合同…审批.
        let automaton = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(&lowered)
            .ok();
        RuleWords {
            rules,
            keywords,
            starts,
            automaton,
        }
    }

    /// For each rule that applies (`applies[i]`), the first act in `lower` (its byte range
    /// and the keyword as written) that the clause does not merely assist, review, propose,
    /// track or hand to someone else.
    fn hits(&self, lower: &str, applies: &[bool]) -> Vec<(usize, usize, usize, &'a str)> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<(usize, usize, usize, &str)> = Vec::new();
        let mut ms: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(lower)
            .filter(|m| whole(lower, m.start(), m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        if ms.is_empty() {
            return found;
        }
        ms.sort_unstable();
        // Keywords found at one place often make the same act (合同审批, 合同…审批): read it once.
        let mut read: Vec<(Vec<(usize, usize)>, bool)> = Vec::new();
        for (i, &(start, end, pattern)) in ms.iter().enumerate() {
            read.clear();
            for &k in &self.starts[pattern] {
                let kw = &self.keywords[k];
                if !applies[kw.rule] || found.iter().any(|f| f.0 == kw.rule) {
                    continue;
                }
                let mut parts = vec![(start, end)];
                for &next in &kw.parts[1..] {
                    let from = parts.last().expect("a part").1;
                    let hit = ms[i + 1..]
                        .iter()
                        .take_while(|m| m.0 <= from + MAX_GAP)
                        .find(|m| m.2 == next && m.0 >= from && joins(&lower[from..m.0]));
                    match hit {
                        Some(&(s, e, _)) => parts.push((s, e)),
                        None => break,
                    }
                }
                if parts.len() < kw.parts.len() {
                    continue;
                }
                let exempted = match read.iter().find(|(p, _)| *p == parts) {
                    Some(&(_, e)) => e,
                    None => {
                        let e = exempt(lower, &parts);
                        read.push((parts.clone(), e));
                        e
                    }
                };
                if !exempted {
                    let mut end = parts.last().expect("a part").1;
                    // Quote an English plural whole (contracts).
                    if lower[..end].ends_with(|c: char| c.is_ascii_alphabetic())
                        && lower[end..].starts_with('s')
                    {
                        end += 1;
                    }
                    found.push((kw.rule, start, end, kw.written));
                }
            }
        }
        found
    }
}

/// Whether the text between two parts keeps them in one act: no end of clause, no second
/// verb joined by 并 (审批费用并登记合同), no tracking or assisting verb between them.
fn joins(gap: &str) -> bool {
    let ends = gap.char_indices().any(|(i, c)| is_clause_end(gap, i, c));
    !ends
        && !second_verb(gap)
        && last_of(gap, TRACKING_VERBS).is_none()
        && last_of(gap, ASSISTING_VERBS).is_none()
}

/// How far (bytes) a clause is read on either side of an act: fifty Chinese characters.
const SCOPE: usize = 150;

/// `i`, or the next character boundary of `s` after it.
fn boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Whether `between` joins a second verb with 并 (审批费用并登记合同), not counting words
/// that hold 并 (合并, 并购).
fn second_verb(between: &str) -> bool {
    between.contains('并')
        && !["合并", "兼并", "并购", "吞并", "归并"]
            .iter()
            .any(|w| between.contains(w))
}

/// Whether the clause around an act (its parts' byte ranges in `lower`) does not do the act:
/// it assists, reviews or proposes (协助编制部门预算, 投标决策建议权), only tracks or reports on
/// it (跟踪合同审批进度, 统计招投标结果), or hands it to someone else (提交合同报经理审批).
fn exempt(lower: &str, parts: &[(usize, usize)]) -> bool {
    let (start, end) = (parts[0].0, parts[parts.len() - 1].1);
    // A clause is read at most this far on either side of the act, so a text without
    // punctuation full of acts still costs time in proportion to its length.
    let (lo, hi) = (
        boundary(lower, start.saturating_sub(SCOPE)),
        boundary(lower, (end + SCOPE).min(lower.len())),
    );
    let clause_start = lower[lo..start]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_clause_end(lower, lo + i, c))
        .map_or(lo, |(i, c)| lo + i + c.len_utf8());
    // An item of a list that opens with its own verb is read on its own.
    let scope_start = lower[clause_start..start]
        .char_indices()
        .rev()
        .find(|&(i, c)| is_list_mark(lower, clause_start + i, c))
        .map(|(i, c)| clause_start + i + c.len_utf8())
        .filter(|&s| {
            let item = lower[s..].trim_start();
            ACT_VERBS.iter().any(|v| item.starts_with(v))
        })
        .unwrap_or(clause_start);
    let segment_end = lower[end..hi]
        .char_indices()
        .find(|&(i, c)| is_clause_end(lower, end + i, c) || is_list_mark(lower, end + i, c))
        .map_or(hi, |(i, _)| end + i);
    let before = &lower[scope_start..start];
    let after = &lower[end..segment_end];
    // The cheap readings first: what follows the act, then who does it, then the verbs
    // before it.
    let proposing = || PROPOSING.iter().any(|w| after.contains(w));
    // What is tracked may follow the whole act (合同审批进度) or its approving verb
    // (审批通过的合同, 根据审批结果签订合同).
    let status = || {
        let last = &lower[parts[parts.len() - 1].0..end];
        starts_with_word(after, STATUS_WORDS)
            || (APPROVING.iter().any(|v| last.contains(v))
                && starts_with_word(after, PROCEDURE_WORDS))
            || parts[..parts.len() - 1].iter().any(|&(s, e)| {
                APPROVING.iter().any(|v| lower[s..e].starts_with(v))
                    && starts_with_word(&lower[e..hi.max(e)], STATUS_WORDS)
            })
    };
    let handed = || {
        handed_over(before)
            || parts.iter().any(|&(s, e)| {
                let part = &lower[s..e];
                APPROVING.iter().any(|v| part.starts_with(v))
                    && (handed_over(&lower[scope_start..s])
                        || ends_with_word(&lower[scope_start..s], APPROVERS)
                        || ends_with_word(&lower[scope_start..s], POST_NOUNS)
                        || by_someone(&lower[e..hi.max(e)]))
            })
    };
    // A verb before the act reaches it unless a second verb is joined in between by 并
    // (审核并审批合同, 登记并审批合同); a tracking verb does not reach past a list either
    // (登记合同、审批预算), an assisting one does (协助做好合同审批、预算审批工作).
    let assisting =
        || last_of(before, ASSISTING_VERBS).is_some_and(|(_, e)| !second_verb(&before[e..]));
    let tracking = || {
        last_of(before, TRACKING_VERBS).is_some_and(|(_, e)| {
            let between = &before[e..];
            !second_verb(between) && !between.contains(['、', ',']) && !between.contains(" and ")
        })
    };
    status() || proposing() || handed() || assisting() || tracking()
}

/// Whether English text after an approving verb says who else does it ("approved by",
/// "approval by the manager").
fn by_someone(after: &str) -> bool {
    let a = after.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    a.trim_start().starts_with("by ")
}

pub(super) fn misassigned<'a>(
    loaded: &Loaded,
    words: &RuleWords<'a>,
    p: &'a Position,
    out: &mut Vec<Diagnostic>,
) {
    let org = &loaded.org;
    let Some(level) = p.level_index else { return };
    let applies: Vec<bool> = words
        .rules
        .iter()
        .map(|r| r.min_level_index.is_some_and(|m| level < m))
        .collect();
    if !applies.contains(&true) {
        return;
    }
    let settings = &org.settings;
    let report = |t: &Text, what: &str, rule: &Reserved, span: (usize, usize), kw: &str| {
        let tail = format!(
            "reserved for {} and above; {} is {}",
            rule.min_level.value,
            p.title.value,
            settings.level_name(level)
        );
        let message = if what.ends_with(rule.name.value.as_str()) {
            format!("{what} is {tail}")
        } else {
            format!(
                "{what} includes {} (\"{kw}\"), which is {tail}",
                rule.name.value
            )
        };
        let span = sub_span(&loaded.sources, p.file, t, span.0, span.1);
        let assist = match settings.lang {
            Lang::Zh => "协助…",
            Lang::En => "assist …",
        };
        let help = format!(
            "move this to a position at {} level or above, or reword it as assisting ({assist})",
            rule.min_level.value
        );
        let mut d = MISASSIGNED_DUTY
            .at(p.file, span, message)
            .position(&p.id)
            .label(format!("{} work", rule.name.value))
            .help(help);
        if let (false, Some(f)) = (rule.builtin, settings.file) {
            d = d.related(f, rule.span.clone(), format!("rule {}", rule.name.value));
        }
        d
    };
    // Lower-case each text once; byte offsets carry over only when that kept the length.
    // A keyword in parts (审批…合同) is quoted as the text it found (审批单笔2万元以下的采购合同).
    let scan = |t: &'a Text| -> Vec<(usize, (usize, usize), &'a str)> {
        let lower: std::borrow::Cow<'_, str> = if has_uppercase(&t.value) {
            t.value.to_lowercase().into()
        } else {
            t.value.as_str().into()
        };
        let same = lower.len() == t.value.len();
        words
            .hits(&lower, &applies)
            .into_iter()
            .map(|(r, s, e, kw)| {
                let parted = kw.contains('…') || kw.contains("...");
                match (same, parted) {
                    (true, true) => (r, (s, e), &t.value[s..e]),
                    (true, false) => (r, (s, e), kw),
                    (false, _) => (r, (0, t.value.len()), kw),
                }
            })
            .collect()
    };
    for d in &p.duties {
        let what = format!("duty {}", d.title.value);
        let mut done = vec![false; words.rules.len()];
        for t in std::iter::once(&d.title).chain(d.tasks.iter()) {
            for (r, span, kw) in scan(t) {
                if !std::mem::replace(&mut done[r], true) {
                    out.push(report(t, &what, words.rules[r], span, kw));
                }
            }
        }
    }
    for a in &p.authorities {
        let what = format!("authority \"{}\"", a.value);
        for (r, span, kw) in scan(a) {
            out.push(report(a, &what, words.rules[r], span, kw));
        }
    }
}

/// Whether lower-casing would change `text`: `char::is_uppercase` without the table look-up
/// for the Han characters that are most of every text (they have no case).
fn has_uppercase(text: &str) -> bool {
    text.chars().any(|c| {
        if c.is_ascii() {
            c.is_ascii_uppercase()
        } else {
            !is_han(c) && c.is_uppercase()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OrgSettings;

    /// The built-in rules (named in `lang`) that a clause counts as done.
    fn acts(lang: Lang, text: &str) -> Vec<String> {
        read_with(&org(lang), text)
    }

    /// An organization with the built-in rules only.
    fn org(lang: Lang) -> Org {
        let mut settings = OrgSettings {
            lang,
            levels: crate::load::org::default_levels(0..0),
            ..OrgSettings::default()
        };
        settings.reserved = crate::load::org::builtin_reserved(&settings);
        Org::new(settings, Vec::new())
    }

    fn read_with(org: &Org, text: &str) -> Vec<String> {
        let words = RuleWords::new(org);
        words
            .hits(&text.to_lowercase(), &vec![true; words.rules.len()])
            .into_iter()
            .map(|(r, ..)| words.rules[r].name.value.clone())
            .collect()
    }

    #[test]
    fn a_reserved_act_is_a_verb_and_an_object_in_one_clause() {
        for (text, rule) in [
            ("审批单笔2万元以下的采购合同", "合同审批"),
            ("负责招投标的组织与决策", "招投标管理"),
            ("合同审批权", "合同审批"),
            ("负责合同的起草、审批和归档", "合同审批"),
            ("负责部门预算的编制与审批", "预算审批"),
            ("审核报销单据、审批采购合同", "合同审批"),
            ("负责客户赔偿审批及赔付跟踪，审批合同", "合同审批"),
            ("决定新员工的录用", "人员任免"),
            ("确定中标单位", "招投标管理"),
            ("审核并审批部门费用预算", "预算审批"),
        ] {
            assert_eq!(acts(Lang::Zh, text), [rule], "{text}");
        }
        for (text, rule) in [
            (
                "Approve purchase contracts up to 20,000",
                "contract approval",
            ),
            ("Approval of the annual budget", "budget approval"),
            (
                "Manage the tendering process for suppliers",
                "tender / bid management",
            ),
            (
                "Hire seasonal staff for peak periods",
                "hiring and dismissal",
            ),
            (
                "Dismiss staff after disciplinary hearings",
                "hiring and dismissal",
            ),
            (
                "Responsible for approving purchase contracts",
                "contract approval",
            ),
            ("Responsible for contract approval", "contract approval"),
        ] {
            assert_eq!(acts(Lang::En, text), [rule], "{text}");
        }
    }

    #[test]
    fn odd_texts_are_read_without_panic() {
        for text in [
            "",
            "…",
            "...",
            "for",
            " for ",
            "responsible for",
            "合同",
            "审批",
            "审批，合同",
            "合同s",
            "contracts",
            "approve",
            "approve contracts",
            "approve, contracts",
            "20,000合同审批",
            "审批2.5万元合同",
            "ｆｏｒ 审批合同",
            "for a contract approval",
        ] {
            acts(Lang::Zh, text);
            acts(Lang::En, text);
        }
        // Keyword parts, exemption words and marks, strung together at random.
        const TOKENS: &[&str] = &[
            "审批",
            "合同",
            "预算",
            "招投标",
            "跟踪",
            "进度",
            "协助",
            "并",
            "、",
            "，",
            "报",
            "经理",
            "for",
            " ",
            "approve",
            "contract",
            "s",
            ",",
            ".",
            "2",
            "标准",
            "定标",
            "的",
            "by",
            "responsible",
            "a",
            "后",
            "\n",
            "ｓ",
            "É",
        ];
        let org = org(Lang::Zh);
        let words = RuleWords::new(&org);
        let applies = vec![true; words.rules.len()];
        let mut seed: u64 = 7;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(TOKENS[(seed >> 33) as usize % TOKENS.len()]);
            }
            words.hits(&text.to_lowercase(), &applies);
        }
    }

    #[test]
    fn tracking_assisting_proposing_or_submitting_is_not_the_act() {
        for text in [
            "跟踪合同审批进度",
            "统计招投标结果",
            "汇总各部门预算审批情况",
            "协助编制预算",
            "协助部门经理做好合同审批、预算审批工作",
            "提交合同报经理审批",
            "审核采购合同后报经理审批",
            "整理已审批的合同并归档",
            "办理合同审批手续",
            "优化合同审批流程",
            "将审批通过的合同录入系统",
            "根据审批结果签订采购合同",
            "参与招投标工作",
            "登记合同审批结果",
            "催办合同审批",
            "投标决策建议权",
            "收集招投标信息",
            "审批各部门费用并登记合同",
            "制定考评标准",
            "制定标准化作业流程",
            "采购合同经总经理批准后执行",
            "Track contract approval status",
            "Assist in budget preparation",
            "Assist the manager in approving contracts",
            "Submit contracts to the manager for approval",
            "Prepare supplier contracts for approval",
            "Record contracts approved by the director",
            "Review contractor invoices before approval",
            "Make appointments with suppliers",
        ] {
            let found = acts(Lang::Zh, text);
            assert!(found.is_empty(), "{text}: {found:?}");
        }
    }
}
