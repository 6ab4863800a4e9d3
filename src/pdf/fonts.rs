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
use allsorts::font_data::{DynamicFontTableProvider, FontData};
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use allsorts::tables::FontTableProvider;
use allsorts::tables::cmap::{Cmap, CmapSubtable};
use allsorts::tag;

use super::PdfError;
use crate::model::OrgSettings;

/// The shipped regular face: Noto Sans CJK SC, GBK characters, TrueType outlines.
static BUILTIN_REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansSC-GBK-Regular.ttf");
/// The shipped bold face.
static BUILTIN_BOLD: &[u8] = include_bytes!("../../fonts/NotoSansSC-GBK-Bold.ttf");

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

/// A face's bytes: the shipped faces where the binary holds them, a user's font as read.
/// Copying the shipped faces (13 MB) cost every `check` that much memory and time, though
/// only their character maps are read.
#[derive(Clone)]
enum FaceData {
    Builtin(&'static [u8]),
    Read(Arc<[u8]>),
}

impl std::ops::Deref for FaceData {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FaceData::Builtin(b) => b,
            FaceData::Read(r) => r,
        }
    }
}

/// One font face: its bytes and the characters it has.
#[derive(Clone)]
pub struct Face {
    /// A name for messages and for the PDF (the file name, or the shipped face's name).
    pub name: String,
    data: FaceData,
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
                regular: Face::from_data(
                    "NotoSansSCGBK-Regular".into(),
                    FaceData::Builtin(BUILTIN_REGULAR),
                )?,
                bold: Some(Face::from_data(
                    "NotoSansSCGBK-Bold".into(),
                    FaceData::Builtin(BUILTIN_BOLD),
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
        Face::from_data(name, FaceData::Read(data))
    }

    fn from_data(name: String, data: FaceData) -> Result<Face, PdfError> {
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

    /// Every character of the face with its glyph id.
    pub fn mappings(&self) -> impl Iterator<Item = (char, u16)> + '_ {
        self.cmap
            .iter()
            .filter_map(|(&cp, &g)| char::from_u32(cp).map(|c| (c, g)))
    }

    /// Sizes and advance widths, read from the face's tables.
    pub fn metrics(&self) -> Result<Metrics, PdfError> {
        read_metrics(&self.data).map_err(|why| PdfError::FontFormat {
            font: self.name.clone(),
            why,
        })
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
        // The glyph each used character got in the subset.
        let new_cmap = read_cmap(&data).map_err(fail)?;
        let glyphs = chars
            .iter()
            .filter_map(|c| new_cmap.get(&(*c as u32)).map(|&g| (*c, g)))
            .collect();
        Ok(Subset {
            ps_name: ps_name(&self.name),
            data,
            glyphs,
        })
    }
}

/// A font cut down to the characters of one document.
#[derive(Debug, Clone)]
pub struct Subset {
    /// The name the PDF gives the font (before the subset tag).
    pub ps_name: String,
    pub data: Vec<u8>,
    /// Character -> its glyph id in the subset.
    pub glyphs: BTreeMap<char, u16>,
}

impl Subset {
    /// Glyph id -> the character it draws in this document: the ToUnicode map. Where several
    /// used characters share one glyph, the first (lowest) one wins.
    pub fn to_unicode(&self) -> BTreeMap<u16, char> {
        let mut map = BTreeMap::new();
        for (&c, &g) in &self.glyphs {
            map.entry(g).or_insert(c);
        }
        map
    }
}

/// What the PDF writer needs of a face's tables: sizes in font units and every glyph's
/// advance (`head`, `hhea`, `hmtx`, `OS/2`).
#[derive(Debug, Clone)]
pub struct Metrics {
    pub units_per_em: u16,
    pub ascent: i16,
    pub descent: i16,
    pub line_gap: i16,
    pub cap_height: i16,
    /// xMin, yMin, xMax, yMax.
    pub bbox: [i16; 4],
    /// Advance widths of the glyphs with long metrics; the glyphs after them share the last.
    advances: Vec<u16>,
}

impl Metrics {
    /// The advance of glyph `g` in font units.
    pub fn advance_units(&self, g: u16) -> u16 {
        let last = self.advances.last().copied().unwrap_or(self.units_per_em);
        self.advances.get(usize::from(g)).copied().unwrap_or(last)
    }

    /// The advance of glyph `g` in em.
    pub fn advance(&self, g: u16) -> f64 {
        f64::from(self.advance_units(g)) / f64::from(self.units_per_em)
    }
}

/// Reads big-endian fields of a font table, or says which table is cut short.
struct Table<'a> {
    data: &'a [u8],
    name: &'static str,
}

impl Table<'_> {
    fn u16_at(&self, at: usize) -> Result<u16, String> {
        self.data
            .get(at..at + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| format!("has a truncated {} table", self.name))
    }

    fn i16_at(&self, at: usize) -> Result<i16, String> {
        self.u16_at(at).map(|v| v as i16)
    }
}

/// The tables of the (first) face in `data`, or why they cannot be read.
fn tables(data: &[u8]) -> Result<DynamicFontTableProvider<'_>, String> {
    let bad = |e: &dyn std::fmt::Display| format!("it cannot be read as a font ({e})");
    let font = ReadScope::new(data)
        .read::<FontData<'_>>()
        .map_err(|e| bad(&e))?;
    font.table_provider(0).map_err(|e| bad(&e))
}

fn read_metrics(data: &[u8]) -> Result<Metrics, String> {
    let provider = tables(data)?;
    let table = |t: u32, name: &str| {
        provider
            .read_table_data(t)
            .map(|d| d.into_owned())
            .map_err(|e| format!("has no readable {name} table ({e})"))
    };
    let head = table(tag::HEAD, "head")?;
    let hhea = table(tag::HHEA, "hhea")?;
    let hmtx = table(tag::HMTX, "hmtx")?;
    let os2 = table(tag::OS_2, "OS/2").unwrap_or_default();
    let (head, hhea, hmtx, os2) = (
        Table {
            data: &head,
            name: "head",
        },
        Table {
            data: &hhea,
            name: "hhea",
        },
        Table {
            data: &hmtx,
            name: "hmtx",
        },
        Table {
            data: &os2,
            name: "OS/2",
        },
    );
    let units_per_em = head.u16_at(18)?.max(1);
    let mut bbox = [0i16; 4];
    for (i, v) in bbox.iter_mut().enumerate() {
        *v = head.i16_at(36 + 2 * i)?;
    }
    let ascent = hhea.i16_at(4)?;
    let long = usize::from(hhea.u16_at(34)?);
    let advances = (0..long)
        .map(|g| hmtx.u16_at(4 * g))
        .collect::<Result<_, _>>()?;
    // OS/2 sCapHeight exists from version 2 on; else the ascent stands in.
    let cap_height = match os2.u16_at(0) {
        Ok(v) if v >= 2 => os2.i16_at(88).unwrap_or(ascent),
        _ => ascent,
    };
    Ok(Metrics {
        units_per_em,
        ascent,
        descent: hhea.i16_at(6)?,
        line_gap: hhea.i16_at(8)?,
        cap_height,
        bbox,
        advances,
    })
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
    let provider = tables(data)?;
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
        let got: BTreeSet<char> = sub.to_unicode().values().copied().collect();
        assert_eq!(got, chars);
    }
}
