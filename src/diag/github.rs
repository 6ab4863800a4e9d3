//! The `--format github` emitter: GitHub Actions workflow commands (annotations).

use std::fmt::Write;

use super::{Diagnostic, Location, Severity, Sources};

/// One `::error file=…,line=…,col=…,title=CODE::message` line per diagnostic.
pub fn render_github(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut message = d.message.clone();
        for h in &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        // A cell has no line: the annotation names the file and the message the cell.
        let place = match &d.at {
            Location::Source { file, span } => {
                let src = sources.get(*file);
                let (line, col) = src.line_col(span.start);
                format!(
                    "file={},line={line},col={col},",
                    escape_property(&src.display)
                )
            }
            Location::Cell(c) => {
                message = format!("{}: {message}", c.sheet_ref());
                format!("file={},", escape_property(&c.workbook))
            }
            Location::File(f) => format!("file={},", escape_property(f)),
            Location::Nowhere => String::new(),
        };
        let _ = writeln!(
            out,
            "::{command} {place}title={}::{}",
            escape_property(d.code),
            escape_data(&message)
        );
    }
    out
}

/// Workflow-command escaping, after [`escape_controls`]: a raw escape byte in a log line would
/// be obeyed by the log viewer.
fn escape_data(s: &str) -> String {
    super::escape_controls(s)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_workflow_command_characters() {
        assert_eq!(escape_data("50%\nnext"), "50%25%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
        assert_eq!(escape_data("a\u{1b}[31mb"), "a\\u{1b}[31mb");
    }
}
