//! What would stop the handbook build: `unknown-confidential`, `missing-glyph`.
//!
//! `build` refuses a misspelt `[confidential]` name (rather than leak the field meant) and
//! dies on a character its PDF font lacks; both are found here first, so CI catches them
//! before anyone builds.

use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use super::Rule;
use super::references::sub_span;
use crate::diag::{Diagnostic, FileId, Severity, Span};
use crate::load::{Loaded, did_you_mean};
use crate::model::{Position, Text};
use crate::pdf::fonts::is_layout_only;
use crate::pdf::{FontSource, Fonts};

pub const UNKNOWN_CONFIDENTIAL: Rule = Rule::new(
    "unknown-confidential",
    Severity::Error,
    "`_org.toml` `[confidential]` lists a name that is not a field of a position (the public build would stop on it)",
    "write a field name as position-format.md spells it (`pay_grade`, `qualifications.experience_years`) or a section name",
);

pub const MISSING_GLYPH: Rule = Rule::new(
    "missing-glyph",
    Severity::Error,
    "a position or `_org.toml` has a character the PDF font lacks (the PDF build would stop on it), or the font of `[pdf] font` cannot be read",
    "give a font that has it with --font or [pdf] font in _org.toml",
);

pub(super) fn check(loaded: &Loaded, fonts: Option<&FontSource>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    confidential(loaded, &mut out);
    if let Some(fonts) = fonts {
        glyphs(loaded, fonts, &mut out);
    }
    out
}

fn confidential(loaded: &Loaded, out: &mut Vec<Diagnostic>) {
    let settings = &loaded.org.settings;
    let Some(file) = settings.file else {
        return;
    };
    // The list the public build validates against: one place decides what a field is.
    let known = crate::render::view::fields();
    let names: Vec<&str> = known.iter().map(String::as_str).collect();
    for (name, span) in settings
        .confidential
        .iter()
        .zip(&settings.confidential_spans)
    {
        if names.contains(&name.as_str()) {
            continue;
        }
        let help = match did_you_mean(name, &names) {
            Some(s) => format!("did you mean `{s}`?"),
            None => UNKNOWN_CONFIDENTIAL.docs.to_string(),
        };
        out.push(
            UNKNOWN_CONFIDENTIAL
                .at(
                    file,
                    span.clone(),
                    format!("`{name}` in [confidential] is not a field"),
                )
                .label("not a field")
                .help(help),
        );
    }
}

/// Which characters the fonts have, each asked once: a few thousand distinct characters
/// stand for the millions a large organization writes. The Basic Multilingual Plane (all of
/// GBK) is a table indexed by code point; the rare characters beyond it a map.
struct Coverage<'a> {
    fonts: &'a Fonts,
    /// 0 not asked yet, 1 covered, 2 missing.
    bmp: Vec<u8>,
    other: HashMap<char, bool>,
}

impl<'a> Coverage<'a> {
    fn new(fonts: &'a Fonts) -> Self {
        Coverage {
            fonts,
            bmp: vec![0; 0x10000],
            other: HashMap::default(),
        }
    }

    fn has(&mut self, c: char) -> bool {
        if let Some(slot) = self.bmp.get_mut(c as usize) {
            if *slot == 0 {
                *slot = if Self::ask(self.fonts, c) { 1 } else { 2 };
            }
            return *slot == 1;
        }
        let fonts = self.fonts;
        *self.other.entry(c).or_insert_with(|| Self::ask(fonts, c))
    }

    fn ask(fonts: &Fonts, c: char) -> bool {
        is_layout_only(c) || (fonts.regular.has(c) && fonts.bold_face().has(c))
    }

    /// The face that lacks `c`, for the message.
    fn lacking(&self, c: char) -> &str {
        if self.fonts.regular.has(c) {
            &self.fonts.bold_face().name
        } else {
            &self.fonts.regular.name
        }
    }
}

fn glyphs(loaded: &Loaded, source: &FontSource, out: &mut Vec<Diagnostic>) {
    let settings = &loaded.org.settings;
    let fonts = match Fonts::load(source) {
        Ok(f) => f,
        Err(e) => {
            // A font that cannot be read is `build`'s failure to report; point at it when the
            // organization names it (a `--font` argument is the command's to report).
            let from_org = *source == FontSource::choose(None, settings, &loaded.dir);
            if let (true, Some(file), Some(font)) = (from_org, settings.file, &settings.pdf_font) {
                out.push(
                    MISSING_GLYPH
                        .at(
                            file,
                            font.span.clone(),
                            format!(
                                "the PDF font cannot be used, so no character was checked: {e}"
                            ),
                        )
                        .help("give a TrueType font file (.ttf) with --font or [pdf] font"),
                );
            }
            return;
        }
    };
    let mut cov = Coverage::new(&fonts);
    if let Some(file) = settings.file {
        let org_texts = settings
            .name
            .iter()
            .map(|t| ("name", t))
            .chain(
                settings
                    .handbook_title
                    .iter()
                    .map(|t| ("handbook_title", t)),
            )
            .chain(settings.levels.iter().map(|t| ("levels", t)))
            .chain(
                settings
                    .departments
                    .iter()
                    .flatten()
                    .map(|t| ("departments", t)),
            )
            .chain(settings.external.iter().map(|e| ("external", &e.title)));
        for (field, t) in org_texts {
            for (at, c) in missing(&mut cov, &t.value) {
                let span = sub_span(&loaded.sources, file, t, at, at + c.len_utf8());
                out.push(glyph_finding(
                    &cov,
                    file,
                    span,
                    c,
                    &format!("`{field}` of _org.toml"),
                ));
            }
        }
    }
    // Positions in chunks over the cores, each with its own table (a few thousand font
    // look-ups per chunk).
    let found: Vec<Vec<Diagnostic>> = loaded
        .org
        .positions
        .par_chunks(512)
        .map(|chunk| {
            let mut cov = Coverage::new(&fonts);
            let mut out = Vec::new();
            for p in chunk {
                for (field, t) in texts(p) {
                    for (at, c) in missing(&mut cov, &t.value) {
                        let span = sub_span(&loaded.sources, p.file, t, at, at + c.len_utf8());
                        out.push(
                            glyph_finding(&cov, p.file, span, c, &format!("`{field}`"))
                                .position(&p.id),
                        );
                    }
                }
            }
            out
        })
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Each character of `text` the fonts lack, once, with its first byte offset.
fn missing(cov: &mut Coverage<'_>, text: &str) -> Vec<(usize, char)> {
    let mut found: Vec<(usize, char)> = Vec::new();
    for (i, c) in text.char_indices() {
        if !cov.has(c) && !found.iter().any(|&(_, f)| f == c) {
            found.push((i, c));
        }
    }
    found
}

fn glyph_finding(cov: &Coverage<'_>, file: FileId, span: Span, c: char, field: &str) -> Diagnostic {
    MISSING_GLYPH
        .at(
            file,
            span,
            format!(
                "{field} has the character {c} (U+{:04X}), which the PDF font {} lacks",
                c as u32,
                cov.lacking(c)
            ),
        )
        .label("not in the font")
        .help(MISSING_GLYPH.docs)
}

/// Every text of a position the handbook prints, with its key path.
fn texts(p: &Position) -> impl Iterator<Item = (&'static str, &Text)> {
    fn one<'a>(
        name: &'static str,
        t: &'a Option<Text>,
    ) -> impl Iterator<Item = (&'static str, &'a Text)> {
        t.iter().map(move |t| (name, t))
    }
    fn many<'a>(
        name: &'static str,
        ts: &'a [Text],
    ) -> impl Iterator<Item = (&'static str, &'a Text)> {
        ts.iter().map(move |t| (name, t))
    }
    let q = &p.qualifications;
    let c = &p.conditions;
    std::iter::once(("title", &p.title))
        .chain(one("code", &p.code))
        .chain(std::iter::once(("department", &p.department)))
        .chain(one("level", &p.level))
        .chain(one("pay_grade", &p.pay_grade))
        .chain(one("pay_type", &p.pay_type))
        .chain(std::iter::once(("summary", &p.summary)))
        .chain(many("authorities", &p.authorities))
        .chain(one("notes", &p.notes))
        .chain(p.duties.iter().flat_map(|d| {
            std::iter::once(("duties.title", &d.title))
                .chain(d.tasks.iter().map(|t| ("duties.tasks", t)))
                .chain(d.assessment.iter().map(|t| ("duties.assessment", t)))
                .chain(d.kpis.iter().map(|t| ("duties.kpis", t)))
        }))
        .chain(many("relations.internal", &p.relations.internal))
        .chain(many("relations.external", &p.relations.external))
        .chain(many("qualifications.majors", &q.majors))
        .chain(many("qualifications.training", &q.training))
        .chain(one("qualifications.experience", &q.experience))
        .chain(one("qualifications.knowledge", &q.knowledge))
        .chain(one("qualifications.skills", &q.skills))
        .chain(many("qualifications.traits", &q.traits))
        .chain(many("conditions.tools", &c.tools))
        .chain(one("conditions.environment", &c.environment))
        .chain(one("conditions.hours", &c.hours))
        .chain(many("conditions.records", &c.records))
        .chain(p.kpis.iter().flat_map(|k| {
            std::iter::once(("kpis.name", &k.name)).chain(k.unit.iter().map(|u| ("kpis.unit", u)))
        }))
}
