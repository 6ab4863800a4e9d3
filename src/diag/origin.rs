//! Spans that name their own file: how a value a position inherits from a template
//! (`extends`, position-format.md) keeps pointing at the template's line.
//!
//! Checks locate findings as `(position file, span)`. A value taken from a template carries a
//! span *of the template file*, tagged with that file's id in the span itself; every
//! [`Location`](super::Location) is made through [`resolve`], which turns such a pair into the
//! template's file and its plain span. So `check` output stays `file:line:col` correct for
//! inherited fields without any check knowing about templates, and a span from the position's
//! own file (never tagged) is unchanged.
//!
//! The tag uses the top bit of the span's bounds, the file id the 31 bits below it, the byte
//! offset the low 32 bits (position files are at most a few MiB, see `load::MAX_FILE_BYTES`).

use super::{FileId, Span};

const _: () = assert!(
    usize::BITS == 64,
    "spans that name their file need 64-bit offsets"
);

const TAG: usize = 1 << 63;
const FILE_SHIFT: u32 = 32;
const OFFSET: usize = (1 << FILE_SHIFT) - 1;

fn tag_one(file: FileId, offset: usize) -> usize {
    TAG | ((file.0 as usize & (OFFSET >> 1)) << FILE_SHIFT) | offset.min(OFFSET)
}

/// `span` of `file`, tagged so that it still names `file` when it is carried into another
/// file's value (a template's field in a position). A span already tagged keeps its file: a
/// value inherited through a chain of templates points at the template that wrote it.
pub fn in_file(file: FileId, span: Span) -> Span {
    if is_tagged(&span) {
        return span;
    }
    tag_one(file, span.start)..tag_one(file, span.end)
}

/// Whether the span came from another file than the value's owner ([`in_file`]).
pub fn is_tagged(span: &Span) -> bool {
    span.start & TAG != 0
}

/// The file and plain span a `(file, span)` pair really points at: the tagged file for a
/// tagged span, else the pair unchanged.
pub fn resolve(file: FileId, span: Span) -> (FileId, Span) {
    if !is_tagged(&span) {
        return (file, span);
    }
    let id = FileId(((span.start & !TAG) >> FILE_SHIFT) as u32);
    (id, (span.start & OFFSET)..(span.end & OFFSET))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tagged_span_names_its_own_file_and_a_plain_one_is_unchanged() {
        let t = in_file(FileId(7), 10..25);
        assert!(is_tagged(&t));
        assert_eq!(resolve(FileId(2), t.clone()), (FileId(7), 10..25));
        assert_eq!(resolve(FileId(2), 3..4), (FileId(2), 3..4));
        // Tagging again (a template's value passed on by another template) keeps the writer.
        assert_eq!(in_file(FileId(9), t.clone()), t);
        // Offsets inside a tagged span stay in step (sub-spans of a quoted string).
        let inner = t.start + 1..t.start + 3;
        assert_eq!(resolve(FileId(2), inner), (FileId(7), 11..13));
    }
}
