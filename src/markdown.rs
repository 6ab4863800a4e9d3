//! The one Markdown entry point: free text of a position file, parsed once with one set of
//! options and made safe ([`events`]), then written as an HTML fragment ([`to_html`]) or as
//! the PDF's rich text ([`crate::pdf::Rich::markdown`]).
//!
//! Position files may use inline Markdown (bold, italics, links, line breaks, simple lists).
//! Raw HTML is shown as text, never passed through; links keep only harmless schemes; images
//! become links, so a handbook never loads anything from the network; headings become bold
//! paragraphs, which a form cell can hold.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::render::escape;

/// The parser options, set once for every field.
fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH
}

/// The events of one free-text value, made safe: what every output of Markdown reads.
pub fn events(text: &str) -> Vec<Event<'_>> {
    let mut events = Vec::new();
    // Each open link or image: whether its start tag was kept (so its end tag is too).
    let mut links: Vec<bool> = Vec::new();
    for event in Parser::new_ext(text, options()) {
        match event {
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::SoftBreak => events.push(Event::HardBreak),
            // Images are shown as a link to the picture: an <img> would be a network request.
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                },
            ) => {
                let keep = is_safe_url(&dest_url);
                links.push(keep);
                if keep {
                    events.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if links.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            // Headings would break the form's layout: keep their words, in bold.
            Event::Start(Tag::Heading { .. }) => {
                events.push(Event::Start(Tag::Paragraph));
                events.push(Event::Start(Tag::Strong));
            }
            Event::End(TagEnd::Heading(_)) => {
                events.push(Event::End(TagEnd::Strong));
                events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::HtmlBlock) | Event::End(TagEnd::HtmlBlock) => {}
            other => events.push(other),
        }
    }
    events
}

/// Renders one free-text value. A single paragraph comes back without its `<p>`, so the
/// fragment sits inline in a table cell or list item.
pub fn to_html(text: &str) -> String {
    let text = text.trim();
    if is_plain(text) {
        return escape(text);
    }
    let mut html = String::with_capacity(text.len() + 16);
    pulldown_cmark::html::push_html(&mut html, events(text).into_iter());
    unwrap_single_paragraph(html.trim_end())
}

/// Text with no character Markdown gives a meaning to: most form text. Skipping the parser
/// for it keeps a 10,000-position handbook fast.
fn is_plain(text: &str) -> bool {
    let special = text.bytes().any(|b| {
        matches!(
            b,
            b'*' | b'_'
                | b'['
                | b']'
                | b'<'
                | b'>'
                | b'&'
                | b'`'
                | b'\\'
                | b'!'
                | b'#'
                | b'~'
                | b'\n'
                | b'\r'
        )
    });
    // Block markers only count at the start of a line, and a plain text has one line.
    let digits = text.trim_start_matches(|c: char| c.is_ascii_digit());
    let list_start = text.starts_with(['-', '+', '='])
        || (digits.len() < text.len() && digits.starts_with(['.', ')']));
    !special && !list_start
}

fn unwrap_single_paragraph(html: &str) -> String {
    match html
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html.to_string(),
    }
}

/// Links may go to the web, mail, phone, or within the handbook; `javascript:` and other
/// schemes are dropped (the words stay).
fn is_safe_url(url: &CowStr) -> bool {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    match lower.find(':') {
        None => true,
        Some(colon) => {
            // A colon after the first '/', '?' or '#' is not a scheme separator.
            let before = &lower[..colon];
            if before.contains(['/', '?', '#']) {
                return true;
            }
            matches!(before, "http" | "https" | "mailto" | "tel")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn plain_text_is_escaped_and_left_bare() {
        assert_eq!(to_html("负责客户管理"), "负责客户管理");
        assert_eq!(to_html("\"a\" 'b'"), "&quot;a&quot; &#39;b&#39;");
        assert_eq!(to_html("R&D"), "R&amp;D");
    }

    #[test]
    fn inline_markdown_becomes_html_without_a_paragraph() {
        assert_eq!(
            to_html("**重点** 与 *次要*"),
            "<strong>重点</strong> 与 <em>次要</em>"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = to_html("<script>alert(1)</script> 与 <b>粗</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = to_html("<div onclick=\"x()\">\n块\n</div>");
        assert!(!block.contains("<div"), "{block}");
    }

    #[test]
    fn unsafe_links_keep_their_words_only() {
        assert_eq!(to_html("[点我](javascript:alert(1))"), "点我");
        assert_eq!(
            to_html("[制度](https://example.com/a?b=1&c=2)"),
            "<a href=\"https://example.com/a?b=1&amp;c=2\">制度</a>"
        );
        assert_eq!(to_html("[本页](#p-x)"), "<a href=\"#p-x\">本页</a>");
    }

    #[test]
    fn images_become_links_so_nothing_is_fetched() {
        let html = to_html("![图](https://example.com/a.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(
            html.contains("<a href=\"https://example.com/a.png\">"),
            "{html}"
        );
    }

    #[test]
    fn line_breaks_and_lists_survive() {
        assert_eq!(to_html("一\n二"), "一<br />\n二");
        let list = to_html("- 甲\n- 乙");
        assert!(list.starts_with("<ul>"), "{list}");
    }
}
