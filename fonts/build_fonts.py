#!/usr/bin/env python3
"""Builds the fonts rolebook compiles into its binary for the PDF handbook.

genpdf 0.2 reads only single TrueType-outline fonts: it rejects font collections (.ttc) and
OpenType fonts with CFF outlines, which is how Noto Sans CJK is distributed. This script, run
once offline, takes the Simplified Chinese face out of Debian's Noto Sans CJK collections,
keeps the characters of GBK (GB2312 misses characters common in names, such as 喆 堃 玥),
drops the tables genpdf never reads (vertical metrics, OpenType layout, hinting) and converts the
CFF outlines to TrueType quadratic outlines.

    apt-get install fonts-noto-cjk && pip install fonttools
    python3 fonts/build_fonts.py            # writes fonts/NotoSansSC-GBK-{Regular,Bold}.ttf

The output is deterministic for a given input collection. The result is a Modified Version
under the SIL Open Font License 1.1 (fonts/OFL.txt); it is renamed to say so.
"""

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

SRC = Path("/usr/share/fonts/opentype/noto")
OUT = Path(__file__).resolve().parent
FACE = "NotoSansCJKsc"
FAMILY = "Noto Sans SC GBK"
# Curve approximation error in font units (1000 per em): invisible at print sizes.
MAX_ERR = 1.0


def gbk_code_points():
    """Every character GBK encodes, plus ASCII and the typographic marks documents use."""
    cps = set(range(0x20, 0x7F))
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                ch = bytes([lead, trail]).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(ch) == 1:
                cps.add(ord(ch))
    # Not in GBK but common in modern text: euro sign, bullets, ellipsis variants, NBSP.
    cps.update([0x20AC, 0x2022, 0x00A0, 0x2026, 0x00B7, 0x2013, 0x2014])
    # Private-use code points are not text.
    return sorted(c for c in cps if not 0xE000 <= c <= 0xF8FF)


def face_number(path):
    from fontTools.ttLib import TTCollection

    coll = TTCollection(path, lazy=True)
    for i, font in enumerate(coll.fonts):
        if font["name"].getDebugName(6).startswith(FACE + "-"):
            return i
    sys.exit(f"no {FACE} face in {path}")


def cff_to_glyf(font):
    """Replaces CFF outlines by TrueType ones (fontTools' otf2ttf snippet, trimmed)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
        "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.maxComponentDepth = 0
    post = font["post"]
    post.formatType = 3.0  # no glyph names: nothing reads them
    post.extraNames = []
    post.mapping = {}
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def rename(font, weight):
    ps = f"NotoSansSCGBK-{weight}"
    name = font["name"]
    for rec in list(name.names):
        if rec.nameID in (1, 4, 6, 16, 17, 3):
            name.removeNames(nameID=rec.nameID)
    name.setName(FAMILY, 1, 3, 1, 0x409)
    name.setName(weight, 2, 3, 1, 0x409)
    name.setName(f"{FAMILY} {weight}", 4, 3, 1, 0x409)
    name.setName(ps, 6, 3, 1, 0x409)
    name.setName(f"{ps};rolebook GBK subset of Noto Sans CJK SC 2.004", 3, 3, 1, 0x409)


def build(weight):
    src = SRC / f"NotoSansCJK-{weight}.ttc"
    font = TTFont(src, fontNumber=face_number(src), recalcTimestamp=False)
    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "DSIG"]
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = ["*"]
    opts.name_languages = [0x409]
    opts.recalc_timestamp = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=gbk_code_points())
    sub.subset(font)
    cff_to_glyf(font)
    rename(font, weight)
    out = OUT / f"NotoSansSC-GBK-{weight}.ttf"
    font.save(out, reorderTables=True)
    print(f"{out.name}: {out.stat().st_size:,} bytes, {len(font.getGlyphOrder())} glyphs")


if __name__ == "__main__":
    for w in ("Regular", "Bold"):
        build(w)
