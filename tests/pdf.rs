//! The PDF handbook, checked the way a reader would: its text through `pdftotext`, its fonts
//! through `pdffonts`, its pages through `pdfinfo` (poppler-utils), its structure through
//! `qpdf --check` (qpdf); these tests fail, not skip, without them. The direct writer (what
//! scorecards use) is checked on the same documents as the genpdf one.

mod common;

use std::path::{Path, PathBuf};

use common::{poppler, qpdf_check};
use rolebook::model::Org;
use rolebook::pdf::{
    Block, Doc, FontSource, Fonts, Form, FormCell, PdfError, Rich, Section, direct, write_atomic,
};
use rolebook::render::RenderError;
use rolebook::render::pdf::{handbook_doc, render_handbook};
use rolebook::render::view::Book;
use rolebook::render::{Edition, Options};

fn options(edition: Edition) -> Options {
    Options {
        edition,
        ..Options::default()
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/pdf")
        .join(name)
}

fn load(dir: &Path) -> Org {
    let loaded = rolebook::load::load_dir(dir).expect("fixture loads");
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == rolebook::diag::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "fixture has errors: {errors:?}");
    loaded.org
}

fn render(org: &Org, edition: Edition) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let bytes = render_handbook(org, &options(edition), &FontSource::Builtin).expect("renders");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("handbook.pdf");
    write_atomic(&path, &bytes).unwrap();
    (dir, path, bytes)
}

/// The handbook written by the direct writer instead of genpdf.
fn render_direct(org: &Org) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let fonts = Fonts::load(&FontSource::Builtin).unwrap();
    let book = Book::new(org, &options(Edition::Internal)).unwrap();
    let doc = handbook_doc(&book, &fonts).unwrap();
    write_doc(&doc)
}

fn write_doc(doc: &Doc) -> (tempfile::TempDir, PathBuf, Vec<u8>) {
    let fonts = Fonts::load(&FontSource::Builtin).unwrap();
    let mut bytes = Vec::new();
    direct::write(doc, &fonts, &mut bytes).expect("writes");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("direct.pdf");
    write_atomic(&path, &bytes).unwrap();
    (dir, path, bytes)
}

fn page_count(pdf: &Path) -> usize {
    poppler("pdfinfo", &[], pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the pages")
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The text a reader sees for a free-text value: inline Markdown markers removed.
fn shown(md: &str) -> String {
    let mut s = String::new();
    for line in md.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("- ").unwrap_or(line);
        s.push_str(line);
    }
    squash(&s.replace("**", "").replace('*', ""))
}

/// Every free-text value of a position, with its field name.
fn free_text(org: &Org) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in &org.positions {
        let mut add = |field: &str, text: &str| {
            if !text.trim().is_empty() {
                out.push((format!("{}.{field}", p.id), text.to_string()));
            }
        };
        add("title", &p.title);
        add("department", &p.department);
        add("summary", &p.summary);
        for a in &p.authorities {
            add("authorities", a);
        }
        if let Some(n) = &p.notes {
            add("notes", n);
        }
        for (i, d) in p.duties.iter().enumerate() {
            add(&format!("duties[{i}].title"), &d.title);
            for t in &d.tasks {
                add(&format!("duties[{i}].tasks"), t);
            }
            if let Some(a) = &d.assessment {
                add(&format!("duties[{i}].assessment"), a);
            }
        }
        for t in p.relations.internal.iter().chain(&p.relations.external) {
            add("relations", t);
        }
        let q = &p.qualifications;
        for t in q.majors.iter().chain(&q.training).chain(&q.traits) {
            add("qualifications", t);
        }
        for t in [&q.experience, &q.knowledge, &q.skills]
            .into_iter()
            .flatten()
        {
            add("qualifications", t);
        }
        let c = &p.conditions;
        for t in c.tools.iter().chain(&c.records) {
            add("conditions", t);
        }
        for t in [&c.environment, &c.hours].into_iter().flatten() {
            add("conditions", t);
        }
        for k in &p.kpis {
            add("kpis", &k.name);
        }
    }
    out
}

fn assert_all_text_present(org: &Org, pdf: &Path) {
    // -raw: content-stream order, which is reading order here, and no dehyphenation (the
    // default mode joins a line ending in '-' to the next one without the '-', as where a URL
    // breaks after a hyphen).
    let raw = poppler("pdftotext", &["-raw"], pdf);
    // Page furniture (header, footer) sits between the parts of a row split over two pages.
    let s = &org.settings;
    let header = format!(
        "{} {}",
        s.name.as_ref().map_or("", |n| n.value.as_str()),
        s.handbook_title
            .as_ref()
            .map_or("岗位职责说明书", |t| t.value.as_str())
    );
    let text = squash(
        &raw.lines()
            // pdftotext starts each page with a form feed
            .map(|l| l.trim_start_matches('\u{c}'))
            .filter(|l| {
                let footer = l.starts_with("第 ") && l.contains(" 页 / 共 ");
                !(l.starts_with(&header) || footer)
            })
            .collect::<Vec<_>>()
            .join("\n"),
    );
    let mut missing = Vec::new();
    for (field, value) in free_text(org) {
        // Line by line: list items get a bullet or number in front.
        for line in value.lines().filter(|l| !l.trim().is_empty()) {
            if !text.contains(&shown(line)) {
                missing.push(format!("{field}: {line}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not found in pdftotext output:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_free_text_field_of_the_stress_fixture_comes_back_from_pdftotext() {
    let org = load(&fixture("org"));
    let (_dir, pdf, _) = render(&org, Edition::Internal);
    assert_all_text_present(&org, &pdf);
    qpdf_check(&pdf);
}

#[test]
fn every_free_text_field_of_the_sample_organization_comes_back_from_pdftotext() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("positions");
    let org = load(&sample);
    let (_dir, pdf, bytes) = render(&org, Edition::Internal);
    assert_all_text_present(&org, &pdf);
    assert!(
        bytes.len() < 300 * 1024,
        "sample PDF is {} bytes",
        bytes.len()
    );
}

#[test]
fn no_line_starts_with_closing_punctuation() {
    let (_dir, pdf, _) = render(&load(&fixture("org")), Edition::Internal);
    let text = poppler("pdftotext", &[], &pdf);
    for line in text.lines() {
        let first = line.trim_start().chars().next();
        assert!(
            !matches!(
                first,
                Some('，' | '。' | '、' | '；' | '：' | '）' | '」' | '》' | '！' | '？')
            ),
            "line starts with closing punctuation: {line}"
        );
    }
}

#[test]
fn fonts_are_embedded_once_each_and_subset() {
    let (_dir, pdf, bytes) = render(&load(&fixture("org")), Edition::Internal);
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "one regular and one bold face:\n{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert!(
            cols[0].len() > 7 && cols[0].as_bytes()[6] == b'+',
            "subset tag: {row}"
        );
        // name, type (2 words), encoding, emb, sub, uni
        assert_eq!(&cols[4..7], &["yes", "yes", "yes"], "emb sub uni: {row}");
    }
    assert!(
        bytes.len() < 300 * 1024,
        "3 positions: {} bytes",
        bytes.len()
    );
    // Streams are compressed: no raw content operators in the file.
    assert!(
        !bytes.windows(4).any(|w| w == b" Tj\n"),
        "uncompressed content stream"
    );
}

#[test]
fn characters_that_share_glyphs_extract_as_written() {
    let mut org = load(&fixture("org"));
    org.positions[0].summary.value = "不了力年量北女更".into();
    let (_dir, pdf, _) = render(&org, Edition::Internal);
    let text = poppler("pdftotext", &[], &pdf);
    assert!(text.contains("不了力年量北女更"), "{text}");
    assert!(!text.chars().any(|c| ('\u{F900}'..='\u{FAFF}').contains(&c)));
}

#[test]
fn public_edition_leaves_out_confidential_fields() {
    let org = load(&fixture("org"));
    let (_d1, internal, _) = render(&org, Edition::Internal);
    let (_d2, public, _) = render(&org, Edition::Public);
    let internal = poppler("pdftotext", &[], &internal);
    let public = poppler("pdftotext", &[], &public);
    for secret in [
        "机密等级M2",
        "年薪制保密",
        "机密等级S1",
        "月薪制保密",
        "工资等级",
        "薪酬类型",
    ] {
        assert!(internal.contains(secret), "internal lacks {secret}");
        assert!(!public.contains(secret), "public shows {secret}");
    }
    assert!(public.contains("公开版") && internal.contains("内部资料"));
}

#[test]
fn pages_carry_header_footer_and_the_contents_points_at_them() {
    let org = load(&fixture("org"));
    let (_dir, pdf, _) = render(&org, Edition::Internal);
    assert_pages_and_contents(&org, &pdf);
}

/// Footers count the pages, and each contents line ends with the page the position's form
/// starts on, whose header names it.
fn assert_pages_and_contents(org: &Org, pdf: &Path) {
    let pdf = pdf.to_path_buf();
    let pages = page_count(&pdf);
    assert!(pages >= 2 + org.positions.len(), "{pages} pages");
    let text = poppler("pdftotext", &[], &pdf);
    assert!(text.contains(&format!("第 2 页 / 共 {pages} 页")), "footer");
    assert!(
        text.contains(&format!("第 {pages} 页 / 共 {pages} 页")),
        "last footer"
    );
    // Each contents line ends with the page the position's form starts on.
    let toc = poppler("pdftotext", &["-f", "2", "-l", "2"], &pdf);
    let mut seen = 0;
    let mut front_and_back = Vec::new();
    for line in toc.lines().filter(|l| l.contains("....")) {
        let name = line.split(" .").next().unwrap().trim();
        let page: String = line.rsplit(' ').next().unwrap().to_string();
        let on_page = poppler("pdftotext", &["-f", &page, "-l", &page], &pdf);
        if name.starts_with("组织结构图") || name == "岗位编号索引" {
            assert!(on_page.contains(name), "{name} not on page {page}");
            front_and_back.push(name.to_string());
            continue;
        }
        let title = name.rsplit(" · ").next().unwrap();
        assert!(
            on_page.contains(&format!("{title}职务说明书")),
            "{name} not on page {page}"
        );
        assert!(
            on_page.contains("示例科技有限公司 岗位职责说明书"),
            "header on page {page}"
        );
        assert!(
            on_page.contains(name),
            "header names the position on page {page}"
        );
        seen += 1;
    }
    assert_eq!(seen, org.positions.len());
    assert_eq!(front_and_back, ["组织结构图", "岗位编号索引"]);
    let cover = poppler("pdftotext", &["-f", "1", "-l", "1"], &pdf);
    assert!(
        !cover.contains("第 1 页"),
        "the cover has no footer: {cover}"
    );
}

#[test]
fn form_labels_follow_the_word_form_order() {
    let (_dir, pdf, _) = render(&load(&fixture("org")), Edition::Internal);
    // Cover, contents, organization chart, then the first form.
    let page = poppler("pdftotext", &["-f", "4", "-l", "5"], &pdf);
    let order = [
        "岗位名称",
        "所在部门",
        "直接上级",
        "直接下级",
        "所辖人员",
        "职级",
        "本职",
        "职责与工作任务",
        "职责一",
        "工作任务",
        "考核重点",
        "权力",
        "工作协作关系",
        "内部协调关系",
        "外部协调关系",
        "任职资格",
        "教育水平",
        "专业",
        "培训经历",
        "经验",
        "知识",
        "技能技巧",
        "个人素质",
        "其它",
        "使用工具/设备",
        "工作环境",
        "工作时间特征",
        "所需记录文档",
        "考核指标",
    ];
    // The manager's 备注 is empty: the row is left out, as in the HTML.
    assert!(!page.contains("备注"), "{page}");
    let mut at = 0;
    for label in order {
        let found = page[at..]
            .find(label)
            .unwrap_or_else(|| panic!("{label} missing or out of order"));
        at += found + label.len();
    }
}

#[test]
fn a_character_missing_from_the_font_is_an_error_naming_position_and_field() {
    let org = load(&fixture("missing-glyph"));
    let err = render_handbook(&org, &Options::default(), &FontSource::Builtin).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, RenderError::Pdf(PdfError::MissingGlyph { .. })),
        "{msg}"
    );
    assert!(
        msg.contains("cs-odd") && msg.contains("summary") && msg.contains('𠮷'),
        "{msg}"
    );
}

#[test]
fn unusable_fonts_are_refused_with_the_format_needed() {
    let org = load(&fixture("org"));
    let dir = tempfile::tempdir().unwrap();
    let with_font = |path: PathBuf| {
        render_handbook(
            &org,
            &options(Edition::Internal),
            &FontSource::Files {
                regular: path,
                bold: None,
            },
        )
        .unwrap_err()
        .to_string()
    };
    let missing = with_font(dir.path().join("nope.ttf"));
    assert!(
        missing.contains("failed to read font") && missing.contains("nope.ttf"),
        "{missing}"
    );
    for (name, magic, word) in [
        ("a.ttc", &b"ttcf"[..], "collection"),
        ("b.otf", b"OTTO", "CFF"),
    ] {
        let p = dir.path().join(name);
        let mut data = magic.to_vec();
        data.resize(256, 0);
        std::fs::write(&p, data).unwrap();
        let msg = with_font(p);
        assert!(
            msg.contains(word) && msg.contains("TrueType") && msg.contains(name),
            "{msg}"
        );
    }
    // A real collection, when the machine has one.
    let ttc = Path::new("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if ttc.exists() {
        assert!(with_font(ttc.to_path_buf()).contains("collection"));
    }
}

/// A user's font: the shipped regular face under the name `Company-Regular.ttf`.
fn company_font() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let font = dir.path().join("Company-Regular.ttf");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts/NotoSansSC-GBK-Regular.ttf"),
        &font,
    )
    .unwrap();
    (dir, font)
}

#[test]
fn a_users_truetype_font_is_embedded_instead_of_the_shipped_one() {
    let org = load(&fixture("org"));
    let (dir, font) = company_font();
    let bytes = render_handbook(
        &org,
        &options(Edition::Internal),
        &FontSource::Files {
            regular: font,
            bold: None,
        },
    )
    .unwrap();
    let pdf = dir.path().join("out.pdf");
    write_atomic(&pdf, &bytes).unwrap();
    let fonts = poppler("pdffonts", &[], &pdf);
    assert_eq!(
        fonts.lines().skip(2).count(),
        1,
        "one face for regular and bold:\n{fonts}"
    );
    assert!(fonts.contains("+Company-Regular"), "{fonts}");
}

#[test]
fn a_failed_write_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    let target = blocker.join("handbook.pdf");
    let err = write_atomic(&target, b"%PDF-1.3").unwrap_err();
    assert!(err.to_string().contains("failed to write"), "{err}");
    let target = dir.path().join("handbook.pdf");
    std::fs::create_dir(&target).unwrap(); // a folder where the file should go
    assert!(write_atomic(&target, b"%PDF-1.3").is_err());
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left.len(),
        2,
        "only the blocker and the folder remain: {left:?}"
    );
}

#[test]
fn the_title_reads_right_in_the_document_information() {
    let org = load(&fixture("org"));
    let (_dir, pdf, _) = render(&org, Edition::Internal);
    let info = poppler("pdfinfo", &[], &pdf);
    let title = info.lines().find_map(|l| l.strip_prefix("Title:")).unwrap();
    assert_eq!(title.trim(), "示例科技有限公司 岗位职责说明书", "{info}");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let org = load(&fixture("org"));
    let (_d1, _, a) = render(&org, Edition::Internal);
    let (_d2, _, b) = render(&org, Edition::Internal);
    assert!(a == b, "output differs between runs");
}

#[test]
fn a_handbook_rendered_in_several_chunks_is_one_consistent_pdf() {
    // More positions than one chunk holds (layout renders 100 sections per genpdf document).
    let base = load(&fixture("org"));
    let mut positions = Vec::new();
    for i in 0..105 {
        let mut p = base.positions[i % base.positions.len()].clone();
        p.id = format!("{}-{i:03}", p.id);
        p.title.value = format!("{}{i:03}", p.title.value);
        p.reports_to = None;
        positions.push(p);
    }
    let org = Org::new(base.settings.clone(), positions);
    let (_dir, pdf, bytes) = render(&org, Edition::Internal);
    assert!(bytes.len() < 2 * 1024 * 1024, "{} bytes", bytes.len());
    let info = poppler("pdfinfo", &[], &pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    let fonts = poppler("pdffonts", &[], &pdf);
    assert_eq!(
        fonts.lines().skip(2).count(),
        2,
        "fonts embedded once:\n{fonts}"
    );
    let last = poppler(
        "pdftotext",
        &["-f", &pages.to_string(), "-l", &pages.to_string()],
        &pdf,
    );
    assert!(
        last.contains(&format!("第 {pages} 页 / 共 {pages} 页")),
        "{last}"
    );
    // The contents entry of the last position points at the page its form starts on.
    let text = poppler("pdftotext", &["-raw"], &pdf);
    let entry = text
        .lines()
        .find(|l| l.contains("客户体验与数字化运营高级专员104") && l.contains("...."))
        .expect("contents entry");
    let page = entry.rsplit(' ').next().unwrap();
    let on_page = poppler("pdftotext", &["-f", page, "-l", page], &pdf);
    assert!(
        on_page.contains("客户体验与数字化运营高级专员104职务说明书"),
        "page {page}"
    );
    assert_eq!(text.matches("职务说明书").count(), 105);
}

#[test]
fn org_settings_can_name_the_font_and_the_command_line_overrides_them() {
    let dir = fixture("org-font");
    let loaded = rolebook::load::load_dir(&dir).unwrap();
    assert!(
        loaded
            .diagnostics
            .iter()
            .all(|d| d.severity != rolebook::diag::Severity::Error)
    );
    let source = FontSource::choose(None, &loaded.org.settings, &dir);
    assert_eq!(
        source,
        FontSource::Files {
            regular: dir.join("../../../../fonts/NotoSansSC-GBK-Regular.ttf"),
            bold: None
        }
    );
    assert_eq!(
        FontSource::choose(Some("a.ttf, b.ttf"), &loaded.org.settings, &dir),
        FontSource::Files {
            regular: "a.ttf".into(),
            bold: Some("b.ttf".into())
        }
    );
    let out = tempfile::tempdir().unwrap();
    let book = Book::new(&loaded.org, &options(Edition::Public)).unwrap();
    let pdf =
        rolebook::render::pdf::write_handbook(&book, &source, &out.path().join("output")).unwrap();
    assert!(pdf.ends_with("output/handbook-public.pdf"));
    let fonts = poppler("pdffonts", &[], &pdf);
    assert!(fonts.contains("+NotoSansSC-GBK-Regular"), "{fonts}");
    assert_eq!(fonts.lines().skip(2).count(), 1, "{fonts}");
}

// ---------------------------------------------------------------------------------------------
// The direct writer (pdf::direct), on the same documents.

#[test]
fn the_direct_writer_gives_back_every_free_text_field_of_the_stress_fixture() {
    // Cover, contents, rich text (bold, italics, lists, links, raw HTML), forms with spans
    // and rows split over pages: the whole document model.
    let org = load(&fixture("org"));
    let (_dir, pdf, _) = render_direct(&org);
    qpdf_check(&pdf);
    assert_all_text_present(&org, &pdf);
    let (_d, genpdf, _) = render(&org, Edition::Internal);
    // Same page geometry and line breaking: the same number of pages, give or take the odd
    // page break (genpdf's breaks carry a remainder of space over to the next page).
    let (a, b) = (page_count(&pdf), page_count(&genpdf));
    assert!(a.abs_diff(b) <= 2, "direct {a} pages, genpdf {b}");
}

#[test]
fn the_direct_writers_contents_and_footers_point_at_the_right_pages() {
    let org = load(&fixture("org"));
    let (_dir, pdf, _) = render_direct(&org);
    assert_pages_and_contents(&org, &pdf);
}

#[test]
fn the_direct_writer_embeds_each_face_once_subset_with_unicode_maps() {
    let org = load(&fixture("org"));
    let (_dir, pdf, _) = render_direct(&org);
    let fonts = poppler("pdffonts", &[], &pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let (tag, _) = cols[0].split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{row}"
        );
        assert_eq!(&cols[1..3], ["CID", "TrueType"], "{row}");
        assert_eq!(
            &cols[cols.len() - 5..cols.len() - 2],
            ["yes", "yes", "yes"],
            "{row}"
        );
    }
    // Characters that share a glyph with a compatibility ideograph extract as written.
    let text = poppler("pdftotext", &[], &pdf);
    assert!(!text.chars().any(|c| ('\u{F900}'..='\u{FAFF}').contains(&c)));
    // The title reads right in the document information (UTF-16, not raw UTF-8).
    let info = poppler("pdfinfo", &[], &pdf);
    let title = info.lines().find_map(|l| l.strip_prefix("Title:")).unwrap();
    assert!(title.trim().ends_with("岗位职责说明书"), "{info}");
}

/// A document of one section: a title over `form`.
fn form_doc(title: &str, section: &str, heading: &str, form: Form) -> Doc {
    Doc {
        title: title.into(),
        footer: "{page}/{total}".into(),
        sections: vec![Section {
            name: section.into(),
            blocks: vec![Block::Title(heading.into()), Block::Form(form)],
        }],
        ..Doc::default()
    }
}

/// A document of `n` one-line sections.
fn many_sections(n: usize) -> Doc {
    Doc {
        title: "测试文档".into(),
        footer: "第 {page} 页 / 共 {total} 页".into(),
        sections: (0..n)
            .map(|i| Section {
                name: format!("第{i}节"),
                blocks: vec![Block::Text(Rich::plain(&format!("正文{i:04}")))],
            })
            .collect(),
        ..Doc::default()
    }
}

#[test]
fn the_direct_writer_handles_thousands_of_pages_in_a_page_tree() {
    // More pages than one node of the page tree holds (256).
    let (_dir, pdf, bytes) = write_doc(&many_sections(700));
    qpdf_check(&pdf);
    assert_eq!(page_count(&pdf), 700);
    for page in [1usize, 256, 257, 700] {
        let text = poppler(
            "pdftotext",
            &["-f", &page.to_string(), "-l", &page.to_string()],
            &pdf,
        );
        assert!(
            text.contains(&format!("正文{:04}", page - 1)),
            "page {page}: {text}"
        );
        assert!(
            text.contains(&format!("第 {page} 页 / 共 700 页")),
            "page {page}: {text}"
        );
    }
    let (_d, _, again) = write_doc(&many_sections(700));
    assert!(bytes == again, "the same document gives the same bytes");
}

#[test]
fn the_direct_writer_splits_a_row_taller_than_a_page_and_keeps_every_line() {
    let lines: Vec<String> = (0..150)
        .map(|i| format!("第{i:03}行：客户投诉处理记录"))
        .collect();
    let mut form = Form::new(vec![1.0, 4.0]);
    form.row_kept_with_next(vec![FormCell::label("项目"), FormCell::label("内容")]);
    form.row(vec![
        FormCell::label("记录"),
        FormCell::value(Rich::plain(&lines.join("\n"))),
    ]);
    form.row(vec![
        FormCell::label("结论"),
        FormCell::value(Rich::bold("完成")),
    ]);
    let doc = form_doc("长表", "长表", "长表", form);
    let (_dir, pdf, _) = write_doc(&doc);
    qpdf_check(&pdf);
    let pages = page_count(&pdf);
    assert!(pages >= 3, "{pages} pages");
    let text = squash(&poppler("pdftotext", &["-raw"], &pdf));
    let mut at = 0;
    for line in &lines {
        let found = text[at..]
            .find(&squash(line))
            .unwrap_or_else(|| panic!("{line} missing or out of order"));
        at += found;
    }
    assert!(text.contains("结论完成"), "{text}");
}

#[test]
fn the_direct_writer_names_the_section_of_a_character_the_font_lacks() {
    let mut doc = many_sections(3);
    doc.sections[1]
        .blocks
        .push(Block::Text(Rich::plain("员工𠀀")));
    let fonts = Fonts::load(&FontSource::Builtin).unwrap();
    let err = direct::write(&doc, &fonts, Vec::new()).unwrap_err();
    assert!(
        matches!(err, PdfError::MissingGlyph { ch: '𠀀', .. }),
        "{err}"
    );
    let msg = err.to_string();
    assert!(msg.contains("第1节") && msg.contains("--font"), "{msg}");
}

/// A small deterministic generator (xorshift), for the test below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// Text from a pool of troublesome pieces: CJK, punctuation that may not start a line,
    /// spaces, tabs, line breaks, long unbreakable runs, Markdown markers and raw HTML.
    fn text(&mut self) -> String {
        const POOL: &[&str] = &[
            "客户",
            "满意度",
            "，",
            "。",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "**",
            "*",
            "- ",
            "1. ",
            "https://example.com/a/very/long/path/without/any/break/opportunity/at/all",
            "0123456789012345678901234567890123456789",
            "·",
            "—",
            "《制度》",
            "<b>",
            "（",
            "）",
            "%",
            "Ab",
        ];
        let n = self.below(40);
        (0..n).map(|_| POOL[self.below(POOL.len())]).collect()
    }
}

#[test]
fn the_direct_writer_lays_out_arbitrary_text_without_panicking() {
    let fonts = Fonts::load(&FontSource::Builtin).unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..60 {
        let mut sections = Vec::new();
        for _ in 0..1 + rng.below(4) {
            let mut blocks = Vec::new();
            for _ in 0..rng.below(8) {
                blocks.push(match rng.below(5) {
                    0 => Block::Title(rng.text()),
                    1 => Block::Heading(rng.text()),
                    2 => Block::Text(Rich::markdown(&rng.text())),
                    3 => Block::Space(rng.below(400) as f64),
                    _ => {
                        let cols = 1 + rng.below(5);
                        let mut form =
                            Form::new((0..cols).map(|_| 0.1 + rng.below(5) as f64).collect());
                        for _ in 0..rng.below(12) {
                            let cells = (0..cols)
                                .map(|_| {
                                    let t = rng.text();
                                    if rng.below(3) == 0 {
                                        FormCell::label(&t)
                                    } else {
                                        FormCell::value(Rich::markdown(&t))
                                    }
                                })
                                .collect();
                            if rng.below(4) == 0 {
                                form.row_kept_with_next(cells);
                            } else {
                                form.row(cells);
                            }
                        }
                        Block::Form(form)
                    }
                });
            }
            sections.push(Section {
                name: rng.text(),
                blocks,
            });
        }
        let doc = Doc {
            title: rng.text(),
            footer: "{page}/{total}".into(),
            sections,
            ..Doc::default()
        };
        let mut out = Vec::new();
        direct::write(&doc, &fonts, &mut out).expect("every character of the pool is in the font");
        assert!(out.starts_with(b"%PDF-1.7") && out.ends_with(b"%%EOF\n"));
    }
}

#[test]
fn the_direct_writer_draws_bold_with_a_users_single_font() {
    let (dir, font) = company_font();
    let fonts = Fonts::load(&FontSource::Files {
        regular: font,
        bold: None,
    })
    .unwrap();
    let mut form = Form::new(vec![1.0, 2.0]);
    form.row(vec![
        FormCell::label("总分"),
        FormCell::value(Rich::bold("90.50")),
    ]);
    let doc = form_doc("计分卡", "张三", "张三 · 客服专员", form);
    let mut bytes = Vec::new();
    direct::write(&doc, &fonts, &mut bytes).unwrap();
    let pdf = dir.path().join("out.pdf");
    write_atomic(&pdf, &bytes).unwrap();
    qpdf_check(&pdf);
    let listed = poppler("pdffonts", &[], &pdf);
    assert_eq!(listed.lines().skip(2).count(), 1, "{listed}");
    assert!(listed.contains("+Company-Regular"), "{listed}");
    let text = squash(&poppler("pdftotext", &[], &pdf));
    assert!(
        text.contains("张三·客服专员") && text.contains("总分90.50"),
        "{text}"
    );
}
