//! Line breaking for Chinese, Latin and mixed text (UAX #14), independent of genpdf.
//!
//! genpdf breaks only at ASCII spaces and silently drops a run wider than the line, which
//! loses whole Chinese sentences. Here a paragraph is cut at Unicode line-break opportunities
//! (`unicode-linebreak`), so no line starts with closing punctuation such as ，or 。and Latin
//! words stay whole; a single token wider than the line (a long URL, a run of digits) is split
//! between characters instead of being lost. Every character of the input ends up on exactly
//! one line: only whitespace at line ends is left out of the drawn text.

use std::ops::Range;

use unicode_linebreak::{BreakOpportunity, linebreaks};

/// Breaks `text` into lines no wider than `max_width`.
///
/// `width(byte_index, char)` gives the advance of the character at that byte index (so
/// callers can measure styled runs). Returns the byte ranges of the lines, with trailing
/// whitespace excluded; a line holds at least one character even when that character alone
/// is wider than `max_width` (so nothing is lost on absurdly narrow columns).
pub fn break_lines(
    text: &str,
    max_width: f64,
    mut width: impl FnMut(usize, char) -> f64,
) -> Vec<Range<usize>> {
    if one_line(text, max_width, &mut width).is_some() {
        let whole = 0..text.len();
        return vec![whole];
    }
    break_at_opportunities(text, max_width, width)
}

/// The width of `text` when it is one line whatever the break opportunities: it fits, has
/// no whitespace at either end and no line break inside. Most form cells are such short
/// texts; [`break_lines`] gives them their one line, and callers that need the line's width
/// get it here without measuring twice.
pub fn one_line(
    text: &str,
    max_width: f64,
    mut width: impl FnMut(usize, char) -> f64,
) -> Option<f64> {
    const FORCED: [char; 7] = [
        '\n', '\r', '\u{0B}', '\u{0C}', '\u{85}', '\u{2028}', '\u{2029}',
    ];
    if text.is_empty() || text.trim() != text || text.contains(FORCED) {
        return None;
    }
    let total: f64 = text.char_indices().map(|(i, c)| width(i, c)).sum();
    (total <= max_width).then_some(total)
}

/// [`break_lines`] by UAX #14.
fn break_at_opportunities(
    text: &str,
    max_width: f64,
    mut width: impl FnMut(usize, char) -> f64,
) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    // The open line: its start, its end without trailing whitespace, and that width.
    let mut start = 0usize;
    let mut end = 0usize;
    let mut line_w = 0.0f64;
    // Width of the whitespace after `end` on the open line, counted only if more follows.
    let mut pending_ws = 0.0f64;
    let mut seg_start = 0usize;

    for (brk, kind) in linebreaks(text) {
        let segment = &text[seg_start..brk];
        // The segment's visible part (without trailing whitespace) and its widths.
        let trimmed = segment.trim_end();
        let vis_end = seg_start + trimmed.len();
        let mut vis_w = 0.0;
        for (i, c) in trimmed.char_indices() {
            vis_w += width(seg_start + i, c);
        }
        let mut ws_w = 0.0;
        for (i, c) in segment[trimmed.len()..].char_indices() {
            if c != '\n' && c != '\r' {
                ws_w += width(vis_end + i, c);
            }
        }

        if trimmed.is_empty() {
            // Whitespace only: it can only widen the gap after the open line.
            if end > start {
                pending_ws += ws_w;
            }
        } else if end == start || line_w + pending_ws + vis_w <= max_width {
            if end == start {
                start = seg_start;
                line_w = 0.0;
                pending_ws = 0.0;
            }
            line_w += pending_ws + vis_w;
            end = vis_end;
            pending_ws = ws_w;
            if end == vis_end && line_w > max_width {
                // The segment alone is wider than a line: split it hard.
                let (mut done, rest_start, rest_w) =
                    hard_split(text, start, end, max_width, &mut width);
                lines.append(&mut done);
                start = rest_start;
                line_w = rest_w;
            }
        } else {
            lines.push(start..end);
            start = seg_start;
            end = vis_end;
            line_w = vis_w;
            pending_ws = ws_w;
            if line_w > max_width {
                let (mut done, rest_start, rest_w) =
                    hard_split(text, start, end, max_width, &mut width);
                lines.append(&mut done);
                start = rest_start;
                line_w = rest_w;
            }
        }
        seg_start = brk;

        if kind == BreakOpportunity::Mandatory && brk < text.len() {
            // An explicit line break inside the text (the final one is the end of text).
            lines.push(start..end);
            start = brk;
            end = brk;
            line_w = 0.0;
            pending_ws = 0.0;
        }
    }
    if end > start {
        lines.push(start..end);
    }
    lines
}

/// Cuts `text[start..end]` into full lines between characters; returns the full lines, and
/// the start and width of the remainder (which stays open so following text can join it).
fn hard_split(
    text: &str,
    start: usize,
    end: usize,
    max_width: f64,
    width: &mut impl FnMut(usize, char) -> f64,
) -> (Vec<Range<usize>>, usize, f64) {
    let mut lines = Vec::new();
    let mut line_start = start;
    let mut w = 0.0;
    for (i, c) in text[start..end].char_indices() {
        let at = start + i;
        let cw = width(at, c);
        if w + cw > max_width && at > line_start {
            lines.push(line_start..at);
            line_start = at;
            w = 0.0;
        }
        w += cw;
    }
    (lines, line_start, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character one unit wide, like a monospaced CJK font at 1 pt.
    fn lines(text: &str, max: f64) -> Vec<&str> {
        break_lines(text, max, |_, _| 1.0)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn the_one_line_shortcut_agrees_with_uax14() {
        let texts = [
            "90%",
            "500 万元",
            "王立 · 客服部经理",
            "a  b",
            " lead",
            "trail ",
            "two\nlines",
            "x\u{2028}y",
            "根据本行业客户特点，组织建立并完善制度。",
            "",
            "   ",
        ];
        for text in texts {
            for max in [0.5, 3.0, 7.0, 100.0] {
                let fast = break_lines(text, max, |_, _| 1.0);
                let slow = break_at_opportunities(text, max, |_, _| 1.0);
                assert_eq!(fast, slow, "{text:?} at {max}");
            }
        }
    }

    #[test]
    fn never_starts_a_line_with_closing_punctuation() {
        let got = lines("根据本行业客户特点，组织建立并完善制度。", 5.0);
        for l in &got {
            assert!(!l.starts_with('，') && !l.starts_with('。'), "{got:?}");
        }
        assert_eq!(got.concat(), "根据本行业客户特点，组织建立并完善制度。");
    }

    #[test]
    fn keeps_latin_words_whole_and_drops_only_spaces_at_line_ends() {
        let got = lines("use Microsoft Office daily", 12.0);
        assert_eq!(got, vec!["use", "Microsoft", "Office daily"]);
    }

    #[test]
    fn splits_tokens_longer_than_a_line_instead_of_dropping_them() {
        let url = "https://example.com/a/very/long/path/that/never/ends.html";
        let got = lines(url, 10.0);
        assert!(got.iter().all(|l| l.chars().count() <= 10), "{got:?}");
        assert_eq!(got.concat(), url);
    }

    #[test]
    fn mixed_text_loses_no_character() {
        let text = "熟练使用Excel和SPSS等软件，了解ISO9001质量体系；邮箱hr@example.com。";
        for max in [1.0, 2.0, 3.0, 7.0, 13.0, 100.0] {
            let got = lines(text, max);
            let joined: String = got.concat();
            let strip = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            assert_eq!(strip(&joined), strip(text), "max {max}: {got:?}");
            assert!(got.iter().all(|l| !l.is_empty()));
        }
    }

    #[test]
    fn honours_explicit_newlines() {
        assert_eq!(lines("第一行\n第二行", 100.0), vec!["第一行", "第二行"]);
    }

    #[test]
    fn narrower_than_one_character_still_places_every_character() {
        assert_eq!(lines("岗位", 0.5), vec!["岗", "位"]);
    }
}
