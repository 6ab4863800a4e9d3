//! Fonts for the PDF: the shipped Noto Sans SC (GBK, TrueType outlines) or the user's own,
//! checked for format and coverage, and subset to the characters a document uses.
//!
//! genpdf embeds whatever font data it is handed, whole, so subsetting happens here, before
//! genpdf sees the font (allsorts, with a Unicode cmap that rusttype and printpdf can read).
//! The subset also tells [`super::postprocess`] which character each glyph stands for, to
//! rewrite the ToUnicode maps that printpdf builds wrongly where code points share a glyph.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use allsorts::binary::read::ReadScope;
use allsorts::font::read_cmap_subtable;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::FontTableProvider;
use allsorts::tables::cmap::{Cmap, CmapSubtable};
use allsorts::tag;

use super::PdfError;
use crate::model::OrgSettings;

/// The shipped regular face: Noto Sans CJK SC, GBK characters, TrueType outlines.
static BUILTIN_REGULAR: &[u8] = include_bytes!("../../../fonts/NotoSansSC-GBK-Regular.ttf");
/// The shipped bold face.
static BUILTIN_BOLD: &[u8] = include_bytes!("../../../fonts/NotoSansSC-GBK-Bold.ttf");

/// Where the fonts come from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum FontSource {
    /// The Noto Sans SC faces compiled into rolebook.
    #[default]
    Builtin,
    /// The user's TrueType files; without a bold face, bold text uses the regular one.
    Files {
        regular: PathBuf,
        bold: Option<PathBuf>,
    },
}

impl FontSource {
    /// `--font REGULAR.ttf[,BOLD.ttf]`.
    pub fn from_arg(arg: &str) -> FontSource {
        let mut parts = arg.splitn(2, ',').map(str::trim);
        let regular = PathBuf::from(parts.next().unwrap_or_default());
        let bold = parts.next().filter(|b| !b.is_empty()).map(PathBuf::from);
        FontSource::Files { regular, bold }
    }

    /// The fonts a build uses: `--font` when given, else `[pdf] font` / `bold_font` of
    /// `_org.toml` (relative to the positions folder `dir`), else the shipped faces.
    pub fn choose(cli: Option<&str>, settings: &OrgSettings, dir: &Path) -> FontSource {
        if let Some(arg) = cli {
            return FontSource::from_arg(arg);
        }
        match &settings.pdf_font {
            Some(font) => FontSource::Files {
                regular: dir.join(&font.value),
                bold: settings.pdf_bold_font.as_ref().map(|b| dir.join(&b.value)),
            },
            None => FontSource::Builtin,
        }
    }
}

/// One font face: its bytes and the characters it has.
#[derive(Clone)]
pub struct Face {
    /// A name for messages and for the PDF (the file name, or the shipped face's name).
    pub name: String,
    data: Arc<[u8]>,
    /// Unicode scalar -> glyph id, from the font's best Unicode cmap.
    cmap: Arc<BTreeMap<u32, u16>>,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The regular and bold faces a document is set in.
#[derive(Debug, Clone)]
pub struct Fonts {
    pub regular: Face,
    /// `None` when bold text must use the regular face (one font embedded).
    pub bold: Option<Face>,
}

impl Fonts {
    /// Loads the faces a [`FontSource`] names, checking their format.
    pub fn load(source: &FontSource) -> Result<Fonts, PdfError> {
        match source {
            FontSource::Builtin => Ok(Fonts {
                regular: Face::parse("NotoSansSCGBK-Regular".into(), Arc::from(BUILTIN_REGULAR))?,
                bold: Some(Face::parse(
                    "NotoSansSCGBK-Bold".into(),
                    Arc::from(BUILTIN_BOLD),
                )?),
            }),
            FontSource::Files { regular, bold } => {
                let regular_face = Face::load(regular)?;
                let bold = match bold {
                    Some(b) if b != regular => Some(Face::load(b)?),
                    _ => None,
                };
                Ok(Fonts {
                    regular: regular_face,
                    bold,
                })
            }
        }
    }

    /// The face bold text is drawn with.
    pub fn bold_face(&self) -> &Face {
        self.bold.as_ref().unwrap_or(&self.regular)
    }

    /// The first character of `text` that a face lacks, with that face's name.
    pub fn missing(&self, text: &str, bold: bool) -> Option<(char, &str)> {
        let face = if bold {
            self.bold_face()
        } else {
            &self.regular
        };
        text.chars()
            .find(|&c| !is_layout_only(c) && !face.has(c))
            .map(|c| (c, face.name.as_str()))
    }
}

/// Characters that are never drawn as glyphs (line breaks, tabs).
pub fn is_layout_only(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
}

impl Face {
    /// Reads a font file given by the user.
    pub fn load(path: &Path) -> Result<Face, PdfError> {
        let shown = path.display().to_string();
        let data = std::fs::read(path).map_err(|source| PdfError::FontRead {
            path: shown.clone(),
            source,
        })?;
        Face::parse(shown, Arc::from(data))
    }

    /// Checks that `data` is a single TrueType-outline font with a Unicode cmap.
    pub fn parse(name: String, data: Arc<[u8]>) -> Result<Face, PdfError> {
        let bad = |why: &str| PdfError::FontFormat {
            font: name.clone(),
            why: why.to_string(),
        };
        match data.get(0..4) {
            Some(b"ttcf") => {
                return Err(bad(
                    "it is a font collection (.ttc); extract one face as a TrueType-outline \
                     .ttf (fonts/build_fonts.py shows how with fontTools)",
                ));
            }
            Some(b"OTTO") => {
                return Err(bad(
                    "it has CFF (PostScript) outlines; convert it to a TrueType-outline .ttf \
                     (fonts/build_fonts.py shows how with fontTools)",
                ));
            }
            Some(b"wOFF") | Some(b"wOF2") => {
                return Err(bad("it is a web font (WOFF); give a TrueType-outline .ttf"));
            }
            Some([0, 1, 0, 0]) | Some(b"true") => {}
            _ => {
                return Err(bad(
                    "it is not a TrueType font; give a TrueType-outline .ttf",
                ));
            }
        }
        let cmap = read_cmap(&data).map_err(|e| bad(&e))?;
        Ok(Face {
            name,
            data,
            cmap: Arc::new(cmap),
        })
    }

    pub fn has(&self, c: char) -> bool {
        self.cmap.contains_key(&(c as u32))
    }

    /// Cuts the face down to the glyphs of `chars` (characters it lacks are skipped: callers
    /// check coverage first and report them).
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<Subset, PdfError> {
        let mut glyphs: BTreeSet<u16> = BTreeSet::new();
        glyphs.insert(0);
        for c in chars {
            if let Some(&g) = self.cmap.get(&(*c as u32)) {
                glyphs.insert(g);
            }
        }
        let glyphs: Vec<u16> = glyphs.into_iter().collect();
        let fail = |why: String| PdfError::FontFormat {
            font: self.name.clone(),
            why,
        };
        let scope = ReadScope::new(&self.data);
        let font = scope
            .read::<FontData<'_>>()
            .map_err(|e| fail(format!("cannot be read ({e})")))?;
        let provider = font
            .table_provider(0)
            .map_err(|e| fail(format!("cannot be read ({e})")))?;
        let data = subset(
            &provider,
            &glyphs,
            &SubsetProfile::Minimal,
            CmapTarget::Unicode,
        )
        .map_err(|e| fail(format!("cannot be subset ({e})")))?;
        // The glyph each used character got in the subset: the ToUnicode map. Where several
        // used characters share one glyph, the first (lowest) one wins.
        let new_cmap = read_cmap(&data).map_err(fail)?;
        let mut to_unicode = BTreeMap::new();
        for c in chars {
            if let Some(&g) = new_cmap.get(&(*c as u32)) {
                to_unicode.entry(g).or_insert(*c);
            }
        }
        Ok(Subset {
            ps_name: ps_name(&self.name),
            data,
            to_unicode,
        })
    }
}

/// A font cut down to the characters of one document.
#[derive(Debug, Clone)]
pub struct Subset {
    /// The name the PDF gives the font (before the subset tag).
    pub ps_name: String,
    pub data: Vec<u8>,
    /// Glyph id -> the character it draws in this document.
    pub to_unicode: BTreeMap<u16, char>,
}

/// A PDF-safe font name from a face name or file name.
fn ps_name(name: &str) -> String {
    let stem = Path::new(name)
        .file_stem()
        .map_or(name.to_string(), |s| s.to_string_lossy().into_owned());
    let cleaned: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    if cleaned.is_empty() {
        "Font".to_string()
    } else {
        cleaned
    }
}

fn read_cmap(data: &[u8]) -> Result<BTreeMap<u32, u16>, String> {
    let scope = ReadScope::new(data);
    let font = scope
        .read::<FontData<'_>>()
        .map_err(|e| format!("it cannot be read as a font ({e})"))?;
    let provider = font
        .table_provider(0)
        .map_err(|e| format!("it cannot be read as a font ({e})"))?;
    if !provider.has_table(tag::GLYF) {
        return Err("it has no TrueType outlines (glyf table)".into());
    }
    let cmap_data = provider
        .read_table_data(tag::CMAP)
        .map_err(|e| format!("it has no character map ({e})"))?;
    let cmap = ReadScope::new(&cmap_data)
        .read::<Cmap<'_>>()
        .map_err(|e| format!("its character map cannot be read ({e})"))?;
    let (_, sub): (_, CmapSubtable<'_>) = read_cmap_subtable(&cmap)
        .map_err(|e| format!("its character map cannot be read ({e})"))?
        .ok_or_else(|| "it has no Unicode character map".to_string())?;
    let mut map = BTreeMap::new();
    sub.mappings_fn(|cp, gid| {
        if gid != 0 {
            map.insert(cp, gid);
        }
    })
    .map_err(|e| format!("its character map cannot be read ({e})"))?;
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_fonts_cover_gbk_names_and_punctuation() {
        let fonts = Fonts::load(&FontSource::Builtin).unwrap();
        for c in "喆堃玥岗位职责说明书，。；：“”（）《》、ABCxyz0123456789•·…—".chars()
        {
            assert!(fonts.regular.has(c), "regular lacks {c}");
            assert!(fonts.bold_face().has(c), "bold lacks {c}");
        }
        assert_eq!(fonts.missing("客服𠀀部", false).map(|m| m.0), Some('𠀀'));
    }

    #[test]
    fn refuses_collections_and_cff_fonts_naming_the_format_needed() {
        for (magic, word) in [(&b"ttcf"[..], "collection"), (&b"OTTO"[..], "CFF")] {
            let mut data = magic.to_vec();
            data.resize(64, 0);
            let err = Face::parse("x.otf".into(), Arc::from(data))
                .unwrap_err()
                .to_string();
            assert!(err.contains(word) && err.contains("TrueType"), "{err}");
        }
    }

    #[test]
    fn subset_maps_each_used_character_to_its_own_glyph() {
        let fonts = Fonts::load(&FontSource::Builtin).unwrap();
        let chars: BTreeSet<char> = "不了力年量北女更".chars().collect();
        let sub = fonts.regular.subset(&chars).unwrap();
        assert!(sub.data.len() < 50_000, "{}", sub.data.len());
        let got: BTreeSet<char> = sub.to_unicode.values().copied().collect();
        assert_eq!(got, chars);
    }
}
