//! Finishing genpdf's output with lopdf: the steps genpdf 0.2 / printpdf 0.3 do not do.
//!
//! * Each embedded font gets a subset tag (`ABCDEF+Name`), as the PDF spec asks of subset
//!   fonts (and as `pdffonts` reports them).
//! * Each ToUnicode map is rewritten from the characters actually used: printpdf builds it from
//!   the font's cmap, where the highest of several code points sharing a glyph wins (不 came
//!   out as U+F967), so copying and searching Chinese text failed.
//! * The built-in fonts genpdf registers for styles rolebook never draws are removed.
//! * Streams are compressed; time stamps and the random document id are replaced by values
//!   derived from the content, so the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{Hash, Hasher};

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::PdfError;
use super::fonts::Subset;

fn err(what: &str, e: impl std::fmt::Display) -> PdfError {
    PdfError::Finish(format!("{what} ({e})"))
}

/// Reads one PDF genpdf wrote and compresses its streams (zlib level 6: `best` takes several
/// times as long for about 1% less).
pub fn load_compressed(bytes: &[u8]) -> Result<Document, PdfError> {
    let mut doc =
        Document::load_mem(bytes).map_err(|e| err("failed to read the PDF genpdf wrote", e))?;
    // Font files are the same in every chunk: compress only the one that is kept, at the end.
    compress(&mut doc, false);
    Ok(doc)
}

fn compress(doc: &mut Document, fonts: bool) {
    use flate2::Compression;
    use flate2::write::ZlibEncoder;
    use std::io::Write;
    for obj in doc.objects.values_mut() {
        if let Object::Stream(s) = obj {
            let is_font = s.dict.get(b"Length1").is_ok();
            if s.dict.get(b"Filter").is_ok() || s.content.len() < 64 || (is_font && !fonts) {
                continue;
            }
            let mut enc = ZlibEncoder::new(Vec::new(), Compression::default());
            if enc.write_all(&s.content).is_ok()
                && let Ok(z) = enc.finish()
                && z.len() < s.content.len()
            {
                s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
                s.set_content(z);
            }
        }
    }
}

/// Joins the chunks of one document: the pages of the later chunks are appended to the
/// first's page tree and use its fonts (every chunk embeds the same subsets in the same order,
/// so the resource names in their content streams agree); their own fonts are pruned.
pub fn merge(mut docs: Vec<Document>) -> Result<Document, PdfError> {
    if docs.is_empty() {
        return Err(PdfError::Finish("nothing was rendered".into()));
    }
    let mut base = docs.remove(0);
    let catalog_id = base
        .trailer
        .get(b"Root")
        .and_then(|o| o.as_reference())
        .map_err(|e| err("no catalog", e))?;
    let pages_id = dict(&base, catalog_id)?
        .get(b"Pages")
        .and_then(|o| o.as_reference())
        .map_err(|e| err("no page tree", e))?;
    let first_page = *base
        .get_pages()
        .values()
        .next()
        .ok_or_else(|| PdfError::Finish("no pages".into()))?;
    let font_ref = resources(&base, first_page)?.and_then(|r| r.get(b"Font").ok().cloned());
    for mut doc in docs {
        doc.renumber_objects_with(base.max_id + 1);
        let pages: Vec<ObjectId> = doc.get_pages().values().copied().collect();
        let ocgs = ocgs_of(&doc);
        for &p in &pages {
            set(&mut doc, p, b"Parent", Object::Reference(pages_id))?;
            if let (Some(font), Ok(Object::Reference(res))) =
                (&font_ref, dict(&doc, p)?.get(b"Resources").cloned())
            {
                set(&mut doc, res, b"Font", font.clone())?;
            }
        }
        base.max_id = doc.max_id.max(base.max_id);
        base.objects.append(&mut doc.objects);
        if let Some(Object::Dictionary(tree)) = base.objects.get_mut(&pages_id) {
            let count = tree.get(b"Count").and_then(|c| c.as_i64()).unwrap_or(0);
            if let Ok(Object::Array(kids)) = tree.get_mut(b"Kids") {
                kids.extend(pages.iter().map(|&p| Object::Reference(p)));
            }
            tree.set("Count", Object::Integer(count + pages.len() as i64));
        }
        // Keep the chunk's optional-content groups (printpdf's layers) declared and visible.
        if let Some(Object::Dictionary(cat)) = base.objects.get_mut(&catalog_id)
            && let Ok(Object::Dictionary(oc)) = cat.get_mut(b"OCProperties")
        {
            if let Ok(Object::Array(list)) = oc.get_mut(b"OCGs") {
                list.extend(ocgs.iter().cloned());
            }
            if let Ok(Object::Dictionary(d)) = oc.get_mut(b"D") {
                for key in [&b"Order"[..], b"ON"] {
                    if let Ok(Object::Array(list)) = d.get_mut(key) {
                        list.extend(ocgs.iter().cloned());
                    }
                }
            }
        }
    }
    Ok(base)
}

fn resources(doc: &Document, page: ObjectId) -> Result<Option<&Dictionary>, PdfError> {
    Ok(match dict(doc, page)?.get(b"Resources") {
        Ok(Object::Reference(r)) => Some(dict(doc, *r)?),
        Ok(Object::Dictionary(d)) => Some(d),
        _ => None,
    })
}

fn ocgs_of(doc: &Document) -> Vec<Object> {
    let Ok(root) = doc.trailer.get(b"Root").and_then(|o| o.as_reference()) else {
        return Vec::new();
    };
    let Ok(cat) = dict(doc, root) else {
        return Vec::new();
    };
    match cat.get(b"OCProperties") {
        Ok(Object::Dictionary(oc)) => match oc.get(b"OCGs") {
            Ok(Object::Array(a)) => a.clone(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Finishes the merged document; `subsets` are the embedded fonts.
pub fn finish(mut doc: Document, subsets: &[&Subset], title: &str) -> Result<Vec<u8>, PdfError> {
    let mut type0 = Vec::new();
    let mut builtin = HashSet::new();
    for (id, obj) in &doc.objects {
        if let Object::Dictionary(d) = obj
            && name_of(d, b"Type") == Some(b"Font")
        {
            match name_of(d, b"Subtype") {
                Some(b"Type0") => type0.push(*id),
                Some(b"Type1") => {
                    builtin.insert(*id);
                }
                _ => {}
            }
        }
    }

    for id in type0 {
        // printpdf writes the CIDFont inline in DescendantFonts; a reference is followed too.
        let (cid, to_unicode_id) = {
            let d = dict(&doc, id)?;
            let cid = match d.get(b"DescendantFonts") {
                Ok(Object::Array(a)) => a.first().cloned(),
                _ => None,
            };
            let tu = d.get(b"ToUnicode").ok().and_then(|o| o.as_reference().ok());
            (cid, tu)
        };
        let cid_dict = match &cid {
            Some(Object::Dictionary(d)) => d.clone(),
            Some(Object::Reference(r)) => dict(&doc, *r)?.clone(),
            _ => continue,
        };
        let desc_id = cid_dict
            .get(b"FontDescriptor")
            .and_then(|o| o.as_reference())
            .map_err(|e| err("embedded font without descriptor", e))?;
        let file_id = dict(&doc, desc_id)?
            .get(b"FontFile2")
            .and_then(|o| o.as_reference())
            .map_err(|e| err("embedded font without font file", e))?;
        let Some(Object::Stream(file)) = doc.objects.get(&file_id) else {
            continue;
        };
        let content = file
            .decompressed_content()
            .unwrap_or_else(|_| file.content.clone());
        let Some(subset) = subsets.iter().find(|s| s.data == content) else {
            return Err(PdfError::Finish(
                "an embedded font is not one of the document's subsets".into(),
            ));
        };
        let name =
            Object::Name(format!("{}+{}", subset_tag(&subset.data), subset.ps_name).into_bytes());
        let mut cid_dict = cid_dict;
        cid_dict.set("BaseFont", name.clone());
        match cid {
            Some(Object::Reference(r)) => {
                doc.objects.insert(r, Object::Dictionary(cid_dict));
            }
            _ => set(
                &mut doc,
                id,
                b"DescendantFonts",
                Object::Array(vec![Object::Dictionary(cid_dict)]),
            )?,
        }
        set(&mut doc, id, b"BaseFont", name.clone())?;
        set(&mut doc, desc_id, b"FontName", name)?;
        if let Some(tu) = to_unicode_id
            && let Some(Object::Stream(s)) = doc.objects.get_mut(&tu)
        {
            s.set_plain_content(to_unicode_cmap(&subset.to_unicode()));
        }
    }

    // Drop the unused built-in fonts from every font resource dictionary.
    let mut resource_dicts = BTreeSet::new();
    for obj in doc.objects.values() {
        font_resource_refs(obj, &mut resource_dicts);
    }
    for id in &resource_dicts {
        if let Some(Object::Dictionary(f)) = doc.objects.get_mut(id) {
            remove_refs(f, &builtin);
        }
    }
    let ids: Vec<ObjectId> = doc.objects.keys().copied().collect();
    for id in ids {
        if let Some(obj) = doc.objects.get_mut(&id) {
            strip_fonts(obj, &builtin);
        }
    }
    for id in &builtin {
        doc.objects.remove(id);
    }

    // Deterministic metadata.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    doc.get_pages().len().hash(&mut hasher);
    for s in subsets {
        s.data.hash(&mut hasher);
    }
    title.hash(&mut hasher);
    let digest = document_id(&hasher);
    if let Ok(info_id) = doc.trailer.get(b"Info").and_then(|o| o.as_reference())
        && let Some(Object::Dictionary(info)) = doc.objects.get_mut(&info_id)
    {
        for key in [&b"CreationDate"[..], b"ModDate", b"Trapped", b"Identifier"] {
            info.remove(key);
        }
        info.set(
            "Producer",
            Object::String(b"rolebook".to_vec(), StringFormat::Literal),
        );
        // printpdf writes the title's UTF-8 bytes, which readers take for PDFDocEncoding
        // (mojibake).
        info.set(
            "Title",
            Object::String(text_string(title), StringFormat::Hexadecimal),
        );
        info.set(
            "Creator",
            Object::String(b"rolebook".to_vec(), StringFormat::Literal),
        );
    }
    let id = Object::String(digest.into_bytes(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));

    doc.prune_objects();
    compress(&mut doc, true);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| err("failed to write the PDF", e))?;
    Ok(out)
}

fn name_of<'a>(d: &'a Dictionary, key: &[u8]) -> Option<&'a [u8]> {
    d.get(key).ok().and_then(|o| o.as_name().ok())
}

fn dict(doc: &Document, id: ObjectId) -> Result<&Dictionary, PdfError> {
    match doc.objects.get(&id) {
        Some(Object::Dictionary(d)) => Ok(d),
        Some(Object::Stream(s)) => Ok(&s.dict),
        _ => Err(PdfError::Finish(format!(
            "object {} {} is missing",
            id.0, id.1
        ))),
    }
}

fn set(doc: &mut Document, id: ObjectId, key: &[u8], value: Object) -> Result<(), PdfError> {
    match doc.objects.get_mut(&id) {
        Some(Object::Dictionary(d)) => {
            d.set(key.to_vec(), value);
            Ok(())
        }
        _ => Err(PdfError::Finish(format!(
            "object {} {} is missing",
            id.0, id.1
        ))),
    }
}

/// Removes references to `fonts` from every `/Font` resource dictionary inside `obj`.
fn strip_fonts(obj: &mut Object, fonts: &HashSet<ObjectId>) {
    match obj {
        Object::Dictionary(d) => strip_in_dict(d, fonts),
        Object::Stream(s) => strip_in_dict(&mut s.dict, fonts),
        Object::Array(a) => a.iter_mut().for_each(|o| strip_fonts(o, fonts)),
        _ => {}
    }
}

/// Collects the ids of font resource dictionaries that `/Font` keys refer to.
fn font_resource_refs(obj: &Object, out: &mut BTreeSet<ObjectId>) {
    let d = match obj {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(a) => {
            a.iter().for_each(|o| font_resource_refs(o, out));
            return;
        }
        _ => return,
    };
    if let Ok(Object::Reference(r)) = d.get(b"Font") {
        out.insert(*r);
    }
    for (_, v) in d.iter() {
        if matches!(v, Object::Dictionary(_) | Object::Array(_)) {
            font_resource_refs(v, out);
        }
    }
}

fn remove_refs(f: &mut Dictionary, fonts: &HashSet<ObjectId>) {
    let gone: Vec<Vec<u8>> = f
        .iter()
        .filter(|(_, v)| v.as_reference().is_ok_and(|r| fonts.contains(&r)))
        .map(|(k, _)| k.clone())
        .collect();
    for k in gone {
        f.remove(&k);
    }
}

fn strip_in_dict(d: &mut Dictionary, fonts: &HashSet<ObjectId>) {
    if let Ok(Object::Dictionary(f)) = d.get_mut(b"Font") {
        remove_refs(f, fonts);
    }
    for (_, v) in d.iter_mut() {
        if matches!(v, Object::Dictionary(_) | Object::Array(_)) {
            strip_fonts(v, fonts);
        }
    }
}

/// A PDF text string that any reader decodes right: UTF-16BE with its byte order mark.
pub(super) fn text_string(s: &str) -> Vec<u8> {
    [0xFE, 0xFF]
        .into_iter()
        .chain(s.encode_utf16().flat_map(u16::to_be_bytes))
        .collect()
}

/// The document id (the trailer's `/ID`) from a digest of the content: 32 hex digits.
pub(super) fn document_id(hasher: &impl Hasher) -> String {
    format!(
        "{:016x}{:016x}",
        hasher.finish(),
        hasher.finish().rotate_left(17)
    )
}

/// Six capital letters derived from the subset (PDF 32000-1, 9.6.4).
pub(super) fn subset_tag(data: &[u8]) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    data.hash(&mut h);
    let mut n = h.finish();
    (0..6)
        .map(|_| {
            let c = (b'A' + (n % 26) as u8) as char;
            n /= 26;
            c
        })
        .collect()
}

/// A ToUnicode CMap from character codes (glyph ids) to the characters they draw, UTF-16BE,
/// in blocks of at most 100 entries.
pub(super) fn to_unicode_cmap(map: &BTreeMap<u16, char>) -> Vec<u8> {
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, char)> = map.iter().map(|(g, c)| (*g, *c)).collect();
    for chunk in entries.chunks(100) {
        s.push_str(&format!("{} beginbfchar\n", chunk.len()));
        for (g, c) in chunk {
            let mut buf = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut buf)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            s.push_str(&format!("<{g:04X}> <{hex}>\n"));
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s.into_bytes()
}
