//! Reading Chinese free text without word boundaries: normalisation, position-title mentions,
//! "assigned by …" phrases, supervisory verbs.
//!
//! Everything here prefers precision: a mention is only recognised where the text itself
//! makes it unambiguous (a department word directly before a post noun, a whole list item).

use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use unicode_normalization::UnicodeNormalization;

use super::families::role_title;

/// Post nouns that end a position title (经理, 主管 …), longest first.
pub const POST_NOUNS: &[&str] = &[
    "副总经理",
    "总经理",
    "副经理",
    "经理",
    "主管",
    "专员",
    "副总监",
    "总监",
    "副主任",
    "主任",
    "助理",
    "科长",
    "部长",
    "处长",
    "组长",
    "秘书",
    "董事长",
];

/// Suffixes of department words (客服部, 技术中心 …).
pub const DEPT_SUFFIXES: &[&str] = &["部", "中心", "科", "处", "室", "组", "办"];

/// Words that end where a department name starts ("协助|成套部经理", "向|成套部经理").
const STOP_WORDS: &[&str] = &[
    "协助", "配合", "会同", "协同", "参与", "负责", "联系", "服从", "接受", "听从", "汇报", "上报",
    "提交", "提供", "报告", "完成", "根据", "按照", "对于", "针对", "通过", "以及", "及时", "并",
    "向", "由", "对", "与", "和", "及", "或", "经", "报", "请", "为", "将", "把", "被", "让", "在",
    "给", "等", "各", "本", "该", "其", "的", "交", "同", "跟", "是",
];

/// [`POST_NOUNS`] by their first character, longest first as there.
static NOUNS_BY_FIRST: LazyLock<ByChar> =
    LazyLock::new(|| ByChar::new(POST_NOUNS, |w| w.chars().next()));

/// Where the verbs of "…交办的其他工作" stand in `text`, in order: one pass over the bytes for
/// all of them. No verb's second character starts a verb, so no occurrence overlaps another
/// and leftmost matching finds each.
fn assigning_verbs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    ASSIGNING_VERBS
        .find_iter(text)
        .map(|m| (m.start(), &text[m.range()]))
}

/// The verbs of "…交办的其他工作": what [`assigner`] and [`is_other_work_normalized`] look for.
const ASSIGNING: &[&str] = &["交办", "交付", "安排", "布置", "指派", "下达"];

/// [`ASSIGNING`] as one automaton.
static ASSIGNING_VERBS: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .match_kind(aho_corasick::MatchKind::LeftmostFirst)
        .build(ASSIGNING)
        .expect("a handful of fixed words")
});

/// [`STOP_WORDS`] by their last character.
static STOP_WORDS_BY_LAST: LazyLock<ByChar> =
    LazyLock::new(|| ByChar::new(STOP_WORDS, |w| w.chars().next_back()));

/// A set of characters for a first test on every character of a text: a bit per character,
/// folded to 1,024 bits, so "no" is certain and "maybe" needs the real look-up.
#[derive(Default)]
pub struct CharBits([u64; 16]);

impl CharBits {
    fn bit(c: char) -> (usize, u64) {
        let c = c as usize % 1024;
        (c / 64, 1 << (c % 64))
    }

    pub fn insert(&mut self, c: char) {
        let (word, bit) = Self::bit(c);
        self.0[word] |= bit;
    }

    pub fn may_contain(&self, c: char) -> bool {
        let (word, bit) = Self::bit(c);
        self.0[word] & bit != 0
    }
}

/// Words by one of their characters, in their order.
struct ByChar {
    bits: CharBits,
    words: FxHashMap<char, Vec<&'static str>>,
}

impl ByChar {
    fn new(words: &[&'static str], key: impl Fn(&str) -> Option<char>) -> Self {
        let mut by = ByChar {
            bits: CharBits::default(),
            words: FxHashMap::default(),
        };
        for w in words {
            if let Some(c) = key(w) {
                by.bits.insert(c);
                by.words.entry(c).or_default().push(w);
            }
        }
        by
    }

    fn get(&self, c: char) -> Option<&[&'static str]> {
        if !self.bits.may_contain(c) {
            return None;
        }
        self.words.get(&c).map(Vec::as_slice)
    }
}

/// Verbs a superior adds to a subordinate's duty when delegating it.
pub const SUPERVISORY_VERBS: &[&str] = &[
    "监督",
    "督促",
    "指导",
    "组织",
    "审核",
    "检查",
    "考核",
    "统筹",
    "领导",
    "监控",
    "把关",
    "督导",
    "审查",
    "安排",
    "supervise",
    "oversee",
    "review",
    "ensure",
    "guide",
];

/// Verbs that say the work is assisted, reviewed or proposed, not owned.
pub const ASSISTING_VERBS: &[&str] = &[
    "协助", "配合", "参与", "协同", "辅助", "支持", "审核", "复核", "审查", "建议", "提议", "提名",
    "了解", "学习", "熟悉", "培训", "assist", "support", "review", "propose", "help",
];

/// Generic words for "the boss" that name no particular position.
const GENERIC_ASSIGNERS: &[&str] = &[
    "领导",
    "上级",
    "上级领导",
    "直接上级",
    "公司",
    "公司领导",
    "主管领导",
    "部门领导",
    "上司",
    "直属上级",
    "直接领导",
    "leader",
    "superior",
    "manager",
    "supervisor",
    "line manager",
];

/// Text compared for duplicates: NFKC (full/half width folded), lower case, and only letters
/// and digits (punctuation, whitespace and Markdown marks dropped).
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`], appended to `out`.
pub fn normalize_into(s: &str, out: &mut String) {
    // Characters that stay as they are (unified ideographs U+4E00–U+9FFF, which are their own
    // NFKC form, and lower-case ASCII letters and digits: most of every text) are skipped by
    // their bytes and copied as runs; only the others are decoded.
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let kept = match b {
            b'a'..=b'z' | b'0'..=b'9' => 1,
            // Lead bytes of U+5000–U+9FFF; U+4E00–U+4FFF is E4 B8..BF.
            0xE5..=0xE9 => 3,
            0xE4 if bytes.get(i + 1).is_some_and(|&n| n >= 0xB8) => 3,
            _ => 0,
        };
        if kept > 0 {
            i += kept;
            continue;
        }
        out.push_str(&s[run..i]);
        let c = s[i..].chars().next().expect("a char starts here");
        i += c.len_utf8();
        run = i;
        // Full-width ASCII (U+FF01–U+FF5E: ，！（）１Ａ…) is ASCII under NFKC; 、 and 。 are
        // their own NFKC form and no letter: the common punctuation needs no NFKC.
        let ascii = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            _ if c.is_ascii() => Some(c),
            _ => None,
        };
        if let Some(a) = ascii {
            if a.is_ascii_alphanumeric() {
                out.push(a.to_ascii_lowercase());
            }
        } else if !matches!(c, '、' | '。') {
            for d in std::iter::once(c).nfkc() {
                if d.is_alphanumeric() {
                    out.extend(d.to_lowercase());
                }
            }
        }
    }
    out.push_str(&s[run..]);
}

/// `normalize` without the supervisory verbs, for recognising delegation.
pub fn strip_supervisory(normalized: &str) -> String {
    let mut s = normalized.to_string();
    for v in SUPERVISORY_VERBS {
        if s.contains(v) {
            s = s.replace(v, "");
        }
    }
    s
}

/// How many supervisory verbs a normalised text holds.
pub fn supervisory_count(normalized: &str) -> usize {
    SUPERVISORY_VERBS
        .iter()
        .map(|v| normalized.matches(v).count())
        .sum()
}

pub fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// A mention of a position title in free text, with its byte range in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// Titles named in running text: a department word (…部, …中心, …科 …) directly followed by a
/// post noun, with leading verbs and particles cut off ("协助成套部经理制定" -> 成套部经理).
/// A bare post noun ("提交主管审核") names no position and is not returned.
pub fn title_mentions(text: &str) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    for (pos, c) in text.char_indices() {
        // This runs for every character of every text: one look-up rules most out.
        let Some(nouns) = NOUNS_BY_FIRST.get(c) else {
            continue;
        };
        let rest = &text[pos..];
        let Some(noun) = nouns.iter().find(|n| rest.starts_with(*n)) else {
            continue;
        };
        if out.last().is_some_and(|m| m.end > pos) {
            continue;
        }
        let before = &text[..pos];
        let Some(suffix) = DEPT_SUFFIXES.iter().find(|s| before.ends_with(*s)) else {
            continue;
        };
        let dept_end = before.len() - suffix.len();
        // The department word: up to six Han characters before the suffix.
        let mut start = dept_end;
        let mut truncated = false;
        for (n, (i, c)) in before[..dept_end].char_indices().rev().enumerate() {
            if !is_han(c) || n >= 6 {
                truncated = n >= 6 && is_han(c);
                break;
            }
            start = i;
        }
        let mut window = &text[start..dept_end];
        // Cut at the last stop word in the window.
        if let Some(cut) = stop_word_end(window) {
            start += cut;
            window = &window[cut..];
        }
        if window.chars().count() < 2 {
            continue;
        }
        let end = pos + noun.len();
        // A branch prefix makes the name longer than six characters (华南分公司客服部经理): the
        // whole name, when the wider window reads as branch + title.
        if truncated {
            let wide = wide_start(before, dept_end);
            if wide < start && role_title(&text[wide..end]) != &text[wide..end] {
                start = wide;
            }
        }
        out.push(Mention {
            text: text[start..end].to_string(),
            start,
            end,
        });
    }
    out
}

/// The start of the department word in a window of twelve Han characters, cut at the last
/// stop word.
fn wide_start(before: &str, dept_end: usize) -> usize {
    let mut start = dept_end;
    for (n, (i, c)) in before[..dept_end].char_indices().rev().enumerate() {
        if !is_han(c) || n >= 12 {
            break;
        }
        start = i;
    }
    start + stop_word_end(&before[start..dept_end]).unwrap_or(0)
}

/// Where the last stop word in `window` ends: the largest end of any occurrence of any stop
/// word. Walking the ends from the right and stopping at the first that closes a stop word
/// finds it without a substring search per word (the window is a few characters; this runs
/// for every title-like word of every text).
fn stop_word_end(window: &str) -> Option<usize> {
    let mut end = window.len();
    loop {
        let head = &window[..end];
        let last = head.chars().next_back()?;
        if STOP_WORDS_BY_LAST
            .get(last)
            .is_some_and(|words| words.iter().any(|w| head.ends_with(w)))
        {
            return Some(end);
        }
        end -= last.len_utf8();
    }
}

/// A whole list item that is a title ("成套部经理", "营销总监等"), or `None`.
pub fn title_item(item: &str) -> Option<String> {
    let t = item.trim().trim_end_matches('等').trim();
    if t.chars().count() < 3 || !t.chars().all(is_han) {
        return None;
    }
    POST_NOUNS
        .iter()
        .any(|n| t.ends_with(n) && t.len() > n.len())
        .then(|| t.to_string())
}

/// Who assigns "other work" in a phrase like "完成营销总监交付的其它任务" or "other tasks
/// assigned by the CS manager": the assigner and its byte range. Generic bosses (领导, 上级)
/// give `None`.
pub fn assigner(text: &str) -> Option<Mention> {
    const OBJECTS: &[&str] = &["工作", "任务", "事项", "事务", "事情"];
    for (vpos, v) in assigning_verbs(text) {
        let after = &text[vpos + v.len()..];
        let after = after.trim_start_matches('的');
        let after = after
            .strip_prefix("其他")
            .or_else(|| after.strip_prefix("其它"))
            .unwrap_or(after);
        if !OBJECTS.iter().any(|o| after.starts_with(o)) {
            continue;
        }
        let before = &text[..vpos];
        let mut start = vpos;
        for (i, c) in before.char_indices().rev() {
            if !is_han(c) {
                break;
            }
            start = i;
        }
        let mut who = &text[start..vpos];
        for prefix in [
            "及时完成",
            "认真完成",
            "完成好",
            "完成",
            "承办",
            "办理",
            "做好",
            "由",
            "按",
        ] {
            if let Some(i) = who.find(prefix) {
                let cut = i + prefix.len();
                start += cut;
                who = &who[cut..];
                break;
            }
        }
        if who.is_empty() || GENERIC_ASSIGNERS.contains(&who) {
            return None;
        }
        return Some(Mention {
            text: who.to_string(),
            start,
            end: vpos,
        });
    }
    if !text.contains("ssigned by ") {
        return None;
    }
    let lower = text.to_lowercase();
    if let Some(i) = lower.find("assigned by ") {
        let start = i + "assigned by ".len();
        let rest = &text[start..];
        let rest_l = &lower[start..];
        let skip = if rest_l.starts_with("the ") { 4 } else { 0 };
        let end = rest[skip..]
            .find([',', '.', ';', '(', '，', '。'])
            .map_or(rest.len(), |e| e + skip);
        let who = rest[skip..end].trim();
        if who.is_empty() || GENERIC_ASSIGNERS.contains(&who.to_lowercase().as_str()) {
            return None;
        }
        return Some(Mention {
            text: who.to_string(),
            start: start + skip,
            end: start + skip + who.len(),
        });
    }
    None
}

/// Whether a duty (its normalised text) is the boilerplate "完成 X 交办的其他工作" every
/// position has.
pub fn is_other_work_normalized(n: &str) -> bool {
    // Asked of every duty and task: most hold neither 其 nor "other".
    if !n.contains('其') && memchr::memchr(b'o', n.as_bytes()).is_none() {
        return false;
    }
    (n.contains("其他") || n.contains("其它") || n.contains("other"))
        && (ASSIGNING.iter().any(|v| n.contains(v)) || n.contains("assigned"))
}

/// Character trigrams of a normalised text, each packed whole into one number (21 bits a
/// character: two shingles are equal exactly when their trigrams are); a text shorter than
/// three characters is one shingle.
pub fn shingles(normalized: &str) -> Vec<u64> {
    let mut out: Vec<u64> = Vec::with_capacity(normalized.len() / 3);
    each_shingle(normalized, |h| out.push(h));
    out.sort_unstable();
    out.dedup();
    out
}

/// Calls `f` with every shingle of `normalized` in order, repeats included: the shingles of
/// [`shingles`] without making them a set, for what only needs each one seen (a MinHash
/// signature).
pub fn each_shingle(normalized: &str, mut f: impl FnMut(u64)) {
    /// The last three characters of the window.
    const TRIGRAM: u64 = (1 << 63) - 1;
    let mut chars = normalized.chars();
    let mut window: u64 = 0;
    let mut n: u64 = 0;
    for c in chars.by_ref() {
        window = (window << 21) | u64::from(c);
        n += 1;
        if n == 3 {
            break;
        }
    }
    if n < 3 {
        // Tagged by the top bit and the length: never equal to a trigram.
        f(1 << 63 | n << 43 | window);
        return;
    }
    f(window);
    for c in chars {
        window = ((window << 21) | u64::from(c)) & TRIGRAM;
        f(window);
    }
}

/// |a ∩ b| for sorted, deduplicated shingle sets.
pub fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let i = intersection(a, b);
    let u = a.len() + b.len() - i;
    if u == 0 { 1.0 } else { i as f64 / u as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mentions(s: &str) -> Vec<String> {
        title_mentions(s).into_iter().map(|m| m.text).collect()
    }

    #[test]
    fn normalizing_by_bytes_is_normalizing_by_chars() {
        // The definition: every char decoded; the unchanged ones kept as they are.
        fn by_chars(s: &str) -> String {
            let mut out = String::new();
            for c in s.chars() {
                if ('\u{4E00}'..='\u{9FFF}').contains(&c)
                    || c.is_ascii_lowercase()
                    || c.is_ascii_digit()
                {
                    out.push(c);
                } else if c.is_ascii() {
                    if c.is_ascii_alphanumeric() {
                        out.push(c.to_ascii_lowercase());
                    }
                } else {
                    for d in std::iter::once(c).nfkc() {
                        if d.is_alphanumeric() {
                            out.extend(d.to_lowercase());
                        }
                    }
                }
            }
            out
        }
        // Every character, between ideographs and letters (the byte runs end at it), in texts
        // of 4 KB.
        let mut text = String::new();
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            text.push(c);
            text.push(if (c as u32).is_multiple_of(3) {
                '中'
            } else {
                'a'
            });
            if text.len() > 4096 {
                assert_eq!(normalize(&text), by_chars(&text));
                text.clear();
            }
        }
        assert_eq!(normalize(&text), by_chars(&text));
    }

    #[test]
    fn normalizes_width_punctuation_and_space() {
        assert_eq!(
            normalize("客户 服务，ＡＢＣ１２"),
            normalize("客户服务,abc12")
        );
        assert_eq!(normalize("**加粗** 文本"), "加粗文本");
        // Runs kept as they are, at the start, between and at the end of what changes.
        assert_eq!(normalize("客户ABC服务 x1，完成"), "客户abc服务x1完成");
        assert_eq!(normalize("Ｘ客户"), "x客户");
    }

    #[test]
    fn shingles_are_trigrams_and_a_short_text_is_one_shingle_of_its_own() {
        assert_eq!(shingles("客户服务").len(), 2);
        assert_eq!(
            shingles("客户客户客户").len(),
            2,
            "客户客 and 户客户, twice each"
        );
        let short = shingles("客户");
        assert_eq!(short.len(), 1);
        assert!(!shingles("户客户").contains(&short[0]));
        assert_ne!(shingles("客"), short);
        let mut seen = Vec::new();
        each_shingle("客户客户客户", |s| seen.push(s));
        assert_eq!(seen.len(), 4, "every window, repeats included");
    }

    #[test]
    fn finds_titles_after_verbs_and_particles() {
        assert_eq!(mentions("协助成套部经理制定部门发展规划"), ["成套部经理"]);
        assert_eq!(
            mentions("向成套部经理提供市场信息和分析报告"),
            ["成套部经理"]
        );
        assert_eq!(mentions("成套部经理交办的其他工作"), ["成套部经理"]);
        assert_eq!(mentions("与技术品管部主任沟通"), ["技术品管部主任"]);
    }

    #[test]
    fn bare_post_nouns_name_no_position() {
        assert!(mentions("提交主管审核").is_empty());
        assert!(mentions("部门经理负责").is_empty());
        assert!(mentions("对各部经理").is_empty());
        assert!(mentions("总经理办公会").is_empty());
    }

    #[test]
    fn reads_the_assigner_of_other_work() {
        let who = |s: &str| assigner(s).map(|m| m.text);
        assert_eq!(
            who("完成营销总监交付的其它任务").as_deref(),
            Some("营销总监")
        );
        assert_eq!(
            who("成套部经理交办的其他工作").as_deref(),
            Some("成套部经理")
        );
        assert_eq!(who("完成领导交办的其他工作"), None);
        assert_eq!(who("完成上级交办的其他工作"), None);
        assert_eq!(who("制定工作计划"), None);
        assert_eq!(
            who("Other tasks assigned by the CS Manager.").as_deref(),
            Some("CS Manager")
        );
    }

    #[test]
    fn assigning_verbs_are_every_occurrence_in_order() {
        // The definition: at each character, the verb that starts there.
        fn reference(text: &str) -> Vec<(usize, &str)> {
            let mut out = Vec::new();
            for (i, _) in text.char_indices() {
                if let Some(v) = ASSIGNING.iter().find(|v| text[i..].starts_with(*v)) {
                    out.push((i, *v));
                }
            }
            out
        }
        let tokens = [
            "交办", "交付", "安排", "布置", "指派", "下达", "交", "安", "布", "指", "下", "办",
            "付", "排", "置", "派", "达", "的", "工作", "，", "a", " ",
        ];
        let mut seed = 17u64;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..12 {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                text.push_str(tokens[(seed >> 33) as usize % tokens.len()]);
            }
            let got: Vec<(usize, &str)> = assigning_verbs(&text).collect();
            assert_eq!(got, reference(&text), "{text}");
        }
    }

    #[test]
    fn recognises_title_items() {
        assert_eq!(title_item("成套部经理").as_deref(), Some("成套部经理"));
        assert_eq!(title_item("营销总监等").as_deref(), Some("营销总监"));
        assert_eq!(title_item("公司各部门"), None);
        assert_eq!(title_item("经理"), None);
    }

    #[test]
    fn the_cut_is_at_the_end_of_the_last_stop_word() {
        // The searches it replaces: the largest end of any occurrence of any stop word.
        let by_search = |w: &str| {
            STOP_WORDS
                .iter()
                .filter_map(|s| w.rfind(s).map(|i| i + s.len()))
                .max()
        };
        for w in [
            "协助成套",
            "成套",
            "",
            "向由成套",
            "及时完成客服",
            "完成",
            "本部门与客服",
            "各",
            "客服与",
            "abc",
            "与ab及c",
        ] {
            assert_eq!(stop_word_end(w), by_search(w), "{w}");
        }
    }

    #[test]
    fn jaccard_of_equal_texts_is_one() {
        let a = shingles(&normalize("招投标管理"));
        assert_eq!(jaccard(&a, &a), 1.0);
        let b = shingles(&normalize("客户信息备案"));
        assert!(jaccard(&a, &b) < 0.1);
    }
}
