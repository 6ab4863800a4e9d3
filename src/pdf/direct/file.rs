//! The PDF file around the pages: objects, the page tree, fonts, compression, the trailer.

use super::*;

/// Compresses the pages' content streams.
pub(super) fn pack(z: &mut Compress, pages: &mut [Page]) {
    for p in pages {
        p.body = deflate(z, &p.body);
    }
}

/// zlib-compresses `data` with a reused compressor.
pub(super) fn deflate(z: &mut Compress, data: &[u8]) -> Vec<u8> {
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 2 + 64);
    loop {
        let read = usize::try_from(z.total_in())
            .unwrap_or(usize::MAX)
            .min(data.len());
        match z.compress_vec(&data[read..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => {
                out.shrink_to_fit();
                return out;
            }
            Ok(_) => out.reserve(out.capacity().max(64)),
            // Compressing into a growing buffer does not fail; should it, store the data.
            Err(_) => return data.to_vec(),
        }
    }
}

/// The PDF file: objects, each one's offset for the cross-reference table.
pub(super) struct Writer<W: Write> {
    pub(super) w: W,
    pub(super) at: usize,
    /// By object number; 0 is the free head of the list.
    pub(super) offsets: Vec<usize>,
}

// Object numbers of the fixed objects.
pub(super) const CATALOG: usize = 1;
pub(super) const PAGE_TREE: usize = 2;
pub(super) const INFO: usize = 3;
pub(super) const CHROME: usize = 4;
pub(super) const RESOURCES: usize = 5;
/// Type 0 font, CID font, descriptor, font file, ToUnicode map, CIDToGIDMap.
pub(super) const FONT_OBJECTS: usize = 6;
pub(super) const FIRST_FONT: usize = 6;

impl<W: Write> Writer<W> {
    pub(super) fn new(w: W) -> Self {
        Writer {
            w,
            at: 0,
            offsets: Vec::new(),
        }
    }

    pub(super) fn raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.w.write_all(bytes)?;
        self.at += bytes.len();
        Ok(())
    }

    /// Object `num`, in any order.
    pub(super) fn object(&mut self, num: usize, body: &[u8]) -> io::Result<()> {
        self.begin(num)?;
        self.raw(body)?;
        self.raw(b"\nendobj\n")
    }

    /// Starts object `num`, recording where it is.
    pub(super) fn begin(&mut self, num: usize) -> io::Result<()> {
        if self.offsets.len() <= num {
            self.offsets.resize(num + 1, 0);
        }
        self.offsets[num] = self.at;
        self.raw(format!("{num} 0 obj\n").as_bytes())
    }

    pub(super) fn stream(
        &mut self,
        num: usize,
        dict: &str,
        data: &[u8],
        compressed: bool,
    ) -> io::Result<()> {
        let filter = if compressed {
            " /Filter /FlateDecode"
        } else {
            ""
        };
        self.begin(num)?;
        let head = format!("<< /Length {}{filter}{dict} >>\nstream\n", data.len());
        self.raw(head.as_bytes())?;
        self.raw(data)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    /// The whole file: the pages first (drawing the footers marks their characters), then
    /// the page tree and the fonts, subset to what was drawn.
    pub(super) fn document(
        mut self,
        doc: &Doc,
        faces: &Faces<'_>,
        pages: Vec<Page>,
    ) -> Result<(), PdfError> {
        let total = pages.len();
        let font_list: Vec<&Face<'_>> = std::iter::once(&faces.regular)
            .chain(faces.bold.as_ref())
            .collect();
        let nodes = if total > PAGES_PER_NODE {
            total.div_ceil(PAGES_PER_NODE)
        } else {
            0
        };
        let first_node = FIRST_FONT + FONT_OBJECTS * font_list.len();
        let first_page = first_node + nodes;
        let page_num = |i: usize| first_page + 3 * i;
        let parent = |i: usize| {
            if nodes == 0 {
                PAGE_TREE
            } else {
                first_node + i / PAGES_PER_NODE
            }
        };

        self.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        let mut chrome = Content::default();
        let baseline = MARGIN_TB + faces.ascent(HEADER_SIZE);
        chrome.text(
            &faces.regular,
            HEADER_SIZE,
            MARGIN_LR,
            baseline,
            &doc.title,
            true,
        );
        let rule = MARGIN_TB + HEADER_HEIGHT - 4.0;
        chrome.hline(MARGIN_LR, PAGE_W - MARGIN_LR, rule, true);
        chrome.set_grey(false);
        let mut missing = chrome.missing;
        self.stream(CHROME, "", &chrome.finish(), false)?;

        // The footers ("第 X 页 / 共 Y 页"), side by side on the cores: only writing the
        // file is one page after the other.
        let footers: Vec<Content> = pages
            .par_iter()
            .enumerate()
            .map(|(i, page)| {
                let mut footer = Content::default();
                if !page.bare {
                    let text = doc
                        .footer
                        .replace("{page}", &(i + 1).to_string())
                        .replace("{total}", &total.to_string());
                    let w = faces.str_width(&text, false, HEADER_SIZE);
                    let top = PAGE_H - MARGIN_TB - FOOTER_HEIGHT + 4.0;
                    let x = MARGIN_LR + ((BODY_WIDTH - w) / 2.0).max(0.0);
                    let baseline = top + faces.ascent(HEADER_SIZE);
                    footer.text(&faces.regular, HEADER_SIZE, x, baseline, &text, true);
                    footer.set_grey(false);
                }
                footer
            })
            .collect();

        let (width, height) = (PAGE_W * PT_PER_MM, PAGE_H * PT_PER_MM);
        // The document id: a digest of the content (Fx, not SipHash: tens of MB go through).
        let mut hasher = rustc_hash::FxHasher::default();
        for (i, (page, footer)) in pages.into_iter().zip(footers).enumerate() {
            use std::hash::Hash;
            page.body.hash(&mut hasher);
            let num = page_num(i);
            let contents = if page.bare {
                format!("{} 0 R", num + 1)
            } else {
                format!("[{CHROME} 0 R {} 0 R {} 0 R]", num + 1, num + 2)
            };
            self.object(
                num,
                format!(
                    "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 {width:.2} {height:.2}] \
                     /Resources {RESOURCES} 0 R /Contents {contents} >>",
                    parent(i)
                )
                .as_bytes(),
            )?;
            self.stream(num + 1, "", &page.body, true)?;
            missing = missing.or(footer.missing);
            self.stream(num + 2, "", &footer.finish(), false)?;
        }
        if let Some(m) = missing {
            return Err(faces.missing(m, doc, "the page header or footer"));
        }

        self.object(
            CATALOG,
            format!("<< /Type /Catalog /Pages {PAGE_TREE} 0 R >>").as_bytes(),
        )?;
        let kids: Vec<String> = if nodes == 0 {
            (0..total).map(|i| format!("{} 0 R", page_num(i))).collect()
        } else {
            (0..nodes)
                .map(|n| format!("{} 0 R", first_node + n))
                .collect()
        };
        self.object(
            PAGE_TREE,
            format!(
                "<< /Type /Pages /Kids [{}] /Count {total} >>",
                kids.join(" ")
            )
            .as_bytes(),
        )?;
        for n in 0..nodes {
            let pages = n * PAGES_PER_NODE..((n + 1) * PAGES_PER_NODE).min(total);
            let kids: Vec<String> = pages
                .clone()
                .map(|i| format!("{} 0 R", page_num(i)))
                .collect();
            self.object(
                first_node + n,
                format!(
                    "<< /Type /Pages /Parent {PAGE_TREE} 0 R /Kids [{}] /Count {} >>",
                    kids.join(" "),
                    pages.len()
                )
                .as_bytes(),
            )?;
        }
        self.object(
            INFO,
            format!(
                "<< /Title {} /Producer (rolebook) /Creator (rolebook) >>",
                utf16_string(&doc.title)
            )
            .as_bytes(),
        )?;
        let fonts: Vec<String> = font_list
            .iter()
            .enumerate()
            .map(|(i, f)| format!("/{} {} 0 R", f.resource, FIRST_FONT + FONT_OBJECTS * i))
            .collect();
        // The row shapes the pages place, after the pages.
        let first_form = page_num(total);
        let forms = faces.grids.forms();
        let mut xobjects = String::new();
        for (i, (name, dict, body)) in forms.iter().enumerate() {
            self.stream(first_form + i, dict, body, false)?;
            xobjects.push_str(&format!(" /{name} {} 0 R", first_form + i));
        }
        let xobjects = if forms.is_empty() {
            String::new()
        } else {
            format!(" /XObject <<{xobjects} >>")
        };
        self.object(
            RESOURCES,
            format!("<< /Font << {} >>{xobjects} >>", fonts.join(" ")).as_bytes(),
        )?;
        for (i, face) in font_list.iter().enumerate() {
            let subset = face.face.subset(&face.drawn())?;
            subset.data.hash(&mut hasher);
            self.font(FIRST_FONT + FONT_OBJECTS * i, face, &subset)?;
        }

        let xref = self.at;
        let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", self.offsets.len());
        for off in &self.offsets[1..] {
            table.push_str(&format!("{off:010} 00000 n \n"));
        }
        self.raw(table.as_bytes())?;
        use std::hash::Hash;
        doc.title.hash(&mut hasher);
        total.hash(&mut hasher);
        let id = document_id(&hasher);
        self.raw(
            format!(
                "trailer\n<< /Size {} /Root {CATALOG} 0 R /Info {INFO} 0 R /ID [<{id}> <{id}>] >>\n\
                 startxref\n{xref}\n%%EOF\n",
                self.offsets.len()
            )
            .as_bytes(),
        )?;
        self.w.flush()?;
        Ok(())
    }

    /// The objects of one embedded face, from `num` on. Character codes are the face's glyph
    /// ids (CIDs); the CIDToGIDMap maps them to the glyph ids of `subset`.
    pub(super) fn font(&mut self, num: usize, face: &Face<'_>, subset: &Subset) -> io::Result<()> {
        let m = &face.metrics;
        let name = format!("{}+{}", subset_tag(&subset.data), subset.ps_name);
        let per_mille = |units: f64| (units * 1000.0 / f64::from(m.units_per_em)).round() as i64;
        let (cid, desc, file, to_unicode, cid_to_gid) =
            (num + 1, num + 2, num + 3, num + 4, num + 5);
        // CID (glyph of the whole face) -> the character drawn and its glyph in the subset.
        let mut by_cid: BTreeMap<u16, (char, u16)> = BTreeMap::new();
        for (&c, &new) in &subset.glyphs {
            if let Some((g, _)) = face.glyph(c) {
                by_cid.entry(g).or_insert((c, new));
            }
        }
        self.object(
            num,
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H \
                 /DescendantFonts [{cid} 0 R] /ToUnicode {to_unicode} 0 R >>"
            )
            .as_bytes(),
        )?;
        let widths: Vec<String> = by_cid
            .keys()
            .map(|&g| format!("{g} [{}]", per_mille(f64::from(m.advance_units(g)))))
            .collect();
        self.object(
            cid,
            format!(
                "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{name} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {desc} 0 R /CIDToGIDMap {cid_to_gid} 0 R /DW 1000 /W [{}] >>",
                widths.join(" ")
            )
            .as_bytes(),
        )?;
        let [x0, y0, x1, y1] = m.bbox.map(|v| per_mille(f64::from(v)));
        self.object(
            desc,
            format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags 4 \
                 /FontBBox [{x0} {y0} {x1} {y1}] /ItalicAngle 0 /Ascent {} /Descent {} \
                 /CapHeight {} /StemV 80 /FontFile2 {file} 0 R >>",
                per_mille(f64::from(m.ascent)),
                per_mille(f64::from(m.descent)),
                per_mille(f64::from(m.cap_height))
            )
            .as_bytes(),
        )?;
        let mut z = Compress::new(Compression::new(LEVEL), true);
        let packed = deflate(&mut z, &subset.data);
        let length1 = format!(" /Length1 {}", subset.data.len());
        self.stream(file, &length1, &packed, true)?;
        let chars: BTreeMap<u16, char> = by_cid.iter().map(|(&g, &(c, _))| (g, c)).collect();
        self.stream(
            to_unicode,
            "",
            &deflate(&mut z, &to_unicode_cmap(&chars)),
            true,
        )?;
        let size = by_cid.keys().next_back().map_or(1, |&g| usize::from(g) + 1);
        let mut map = vec![0u8; 2 * size];
        for (&g, &(_, new)) in &by_cid {
            let at = 2 * usize::from(g);
            map[at..at + 2].copy_from_slice(&new.to_be_bytes());
        }
        self.stream(cid_to_gid, "", &deflate(&mut z, &map), true)
    }
}

/// A PDF text string in UTF-16BE with its byte order mark, as hex: any title reads right.
pub(super) fn utf16_string(s: &str) -> String {
    let hex: String = text_string(s).iter().map(|b| format!("{b:02X}")).collect();
    format!("<{hex}>")
}
