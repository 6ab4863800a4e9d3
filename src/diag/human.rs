//! The terminal emitter: rustc-style blocks with the source line underlined.
//!
//! Everything shown comes from user files (source lines, names in messages, paths), so every
//! piece goes through [`escape_controls`]: a hostile file cannot move the cursor, recolour or
//! clear the terminal, or reorder what is shown with bidi overrides.

use rayon::prelude::*;
use std::borrow::Cow;
use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::{Diagnostic, FileId, Location, Severity, Sources, Span, Summary};

/// How the human output looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    pub color: bool,
}

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        };
        self.wrap(code, text)
    }
    fn blue(&self, text: &str) -> String {
        self.wrap("1;34", text)
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
}

/// Renders all diagnostics and the closing summary line.
pub fn render_human(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    summary: Summary,
    options: HumanOptions,
) -> String {
    let paint = Paint { on: options.color };
    let mut out = render_human_findings(diagnostics, sources, options);
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let mut parts = vec![
        plural(summary.errors, "error"),
        plural(summary.warnings, "warning"),
    ];
    if summary.infos > 0 {
        parts.push(plural(summary.infos, "info"));
    }
    let line = format!(
        "{} in {}",
        parts.join(", "),
        plural(summary.positions, "position")
    );
    let line = if summary.errors > 0 {
        paint.severity(Severity::Error, &line)
    } else if summary.warnings > 0 {
        paint.severity(Severity::Warning, &line)
    } else {
        paint.bold(&line)
    };
    let _ = writeln!(out, "{line}");
    out
}

/// Renders the diagnostics alone, for a command that sums up in its own words (`score`).
pub fn render_human_findings(
    diagnostics: &[Diagnostic],
    sources: &Sources,
    options: HumanOptions,
) -> String {
    let paint = Paint { on: options.color };
    // Each finding on its own (over the cores), then one after the other.
    let rendered: Vec<String> = diagnostics
        .par_iter()
        .map(|d| {
            let mut one = String::new();
            render_one(&mut one, d, sources, &paint);
            one.push('\n');
            one
        })
        .collect();
    let mut out = String::with_capacity(rendered.iter().map(String::len).sum());
    for one in rendered {
        out.push_str(&one);
    }
    out
}

/// `s` with every control character but the newline, and every bidi embedding, override or
/// isolate, written as a Rust escape (`\u{1b}`): shown, never obeyed by the terminal.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    fn hidden(c: char) -> bool {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    }
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source line as shown: controls escaped, tabs as four spaces (so the marks line up).
fn shown_line(s: &str) -> String {
    escape_controls(s).replace('\t', "    ")
}

fn render_one(out: &mut String, d: &Diagnostic, sources: &Sources, paint: &Paint) {
    let head = format!("{}[{}]", d.severity.as_str(), d.code);
    let _ = writeln!(
        out,
        "{}{}",
        paint.severity(d.severity, &head),
        paint.bold(&format!(": {}", escape_controls(&d.message)))
    );
    let gutter = gutter_width(d, sources);
    let pad = " ".repeat(gutter);
    match &d.at {
        Location::Source { file, span } => snippet(
            out, sources, *file, span, &d.label, '^', d.severity, &pad, "-->", paint,
        ),
        at => place(out, at, "", &pad, paint),
    }
    for r in &d.related {
        match &r.at {
            Location::Source { file, span } => snippet(
                out,
                sources,
                *file,
                span,
                &r.message,
                '-',
                Severity::Info,
                &pad,
                ":::",
                paint,
            ),
            at => place(out, at, &r.message, &pad, paint),
        }
    }
    for h in &d.help {
        let _ = writeln!(
            out,
            "{pad} {} help: {}",
            paint.blue("="),
            escape_controls(h)
        );
    }
}

/// A place without source text (a workbook cell): named, with a note for a related one.
fn place(out: &mut String, at: &Location, note: &str, pad: &str, paint: &Paint) {
    let Some(place) = at.place(None) else {
        return;
    };
    let sep = if note.is_empty() { "" } else { ": " };
    let _ = writeln!(
        out,
        "{pad} {} {}{sep}{}",
        paint.blue("-->"),
        escape_controls(&place),
        escape_controls(note)
    );
}

fn gutter_width(d: &Diagnostic, sources: &Sources) -> usize {
    std::iter::once(&d.at)
        .chain(d.related.iter().map(|r| &r.at))
        .filter_map(|at| match at {
            Location::Source { file, span } => {
                Some(sources.get(*file).line_col(span.start).0.to_string().len())
            }
            _ => None,
        })
        .max()
        .unwrap_or(1)
}

#[allow(clippy::too_many_arguments)]
fn snippet(
    out: &mut String,
    sources: &Sources,
    file: FileId,
    span: &Span,
    label: &str,
    mark: char,
    severity: Severity,
    pad: &str,
    arrow: &str,
    paint: &Paint,
) {
    let src = sources.get(file);
    let (line, col) = src.line_col(span.start);
    let _ = writeln!(
        out,
        "{pad}{} {}:{line}:{col}",
        paint.blue(arrow),
        escape_controls(&src.display)
    );
    let label = escape_controls(label);
    if src.text.is_empty() {
        if !label.is_empty() {
            let _ = writeln!(out, "{pad} {} {label}", paint.blue("="));
        }
        return;
    }
    let text = src.line_text(line);
    let bar = paint.blue("|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(
        out,
        "{} {bar} {}",
        paint.blue(&format!("{line:>w$}", w = pad.len())),
        shown_line(text)
    );
    let line_start = span.start - (text_prefix_len(text, col));
    let before = text.get(..span.start - line_start).unwrap_or("");
    let end = span.end.max(span.start + 1).min(line_start + text.len());
    let covered = src.text.get(span.start..end).unwrap_or("");
    let width = shown_line(covered).width().max(1);
    let marks: String = std::iter::repeat_n(mark, width).collect();
    let marks = if mark == '^' {
        paint.severity(severity, &marks)
    } else {
        paint.blue(&marks)
    };
    let _ = writeln!(
        out,
        "{pad} {bar} {}{marks}{}{}",
        " ".repeat(shown_line(before).width()),
        if label.is_empty() { "" } else { " " },
        label
    );
}

/// Byte length of the first `col - 1` characters of a line.
fn text_prefix_len(text: &str, col: usize) -> usize {
    text.char_indices()
        .nth(col - 1)
        .map_or(text.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_shown_escaped_and_text_is_left_alone() {
        assert_eq!(escape_controls("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape_controls("x\u{9b}y\u{7f}"), "x\\u{9b}y\\u{7f}");
        assert_eq!(escape_controls("\u{202e}txt"), "\\u{202e}txt");
        assert_eq!(escape_controls("客服\n专员\t"), "客服\n专员\t");
        assert!(matches!(escape_controls("plain"), Cow::Borrowed(_)));
    }
}
