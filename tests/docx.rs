//! `rolebook build --to docx`: the Word handbook, checked three ways. Its XML (unzipped): A4,
//! the East Asian font named, merged cells, a page break per form, PAGE fields in the footer.
//! Its tables as the project's own Word reader resolves them ([`rolebook::import::docx`]), and
//! a round trip through `rolebook import`, which knows the classic 职务说明书 form. And a real
//! consumer: LibreOffice converts it to PDF, and `pdftotext` of that PDF holds every text of
//! the handbook and, for the public edition, none of the confidential fields. These tests
//! fail, not skip, without LibreOffice and poppler-utils (`scripts/test --setup` installs them).

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{org, poppler, repo, rolebook};
use rolebook::import::{Block, docx::read};

const ORG_TOML: &str = r#"name = "德信测试公司"
handbook_title = "岗位说明汇编"
levels = ["专员", "经理", "总监"]
departments = ["DX服务部"]

[external]
boss = { title = "DX营销总监", level = "总监" }

[confidential]
fields = ["pay_grade", "pay_type", "qualifications.experience", "kpis.weight"]
"#;

const MANAGER: &str = r#"title = "DX服务经理"
code = "DX-01"
department = "DX服务部"
level = "经理"
reports_to = "boss"
headcount = 3
pay_grade = "DX密级工资"
pay_type = "DX密级薪酬"
analysis_date = 2031-07-19
summary = "负责**DX重点体系**建设，*DX强调*投诉管理。<b>DX原样</b>"
authorities = ["DX权力甲", "DX权力乙"]
notes = "DX备注"

[[duties]]
title = "DX职责标题"
tasks = ["DX任务一", "DX任务二"]
assessment = "DX考核重点"
kpis = ["DX指标甲"]

[relations]
internal = ["DX内部"]
external = ["DX外部"]

[qualifications]
education = "本科"
majors = ["DX专业"]
training = ["DX培训"]
experience = "DX密级经验"
knowledge = "- DX知识一\n- DX知识二"
skills = "DX技能"
traits = ["DX素质"]

[conditions]
tools = ["DX工具"]
environment = "DX环境"
hours = "DX工时"
records = ["DX记录"]

[[kpis]]
name = "DX指标甲"
weight = 61
target = 98765
unit = "DX单位"
direction = "higher"

[[kpis]]
name = "DX指标乙"
weight = 39
target = 4
direction = "rating"
scale = 7
"#;

const SPECIALIST: &str = r#"title = "DX服务专员"
code = "DX-02"
department = "DX服务部"
level = "专员"
reports_to = "mgr"
pay_grade = "DX专员工资"
summary = "DX专员本职"

[[duties]]
title = "DX专员职责"
tasks = ["DX专员任务"]
"#;

/// Texts of the fixture every edition shows: the cover, the contents, each form's heading,
/// every field value of both positions.
const SHOWN: &[&str] = &[
    "德信测试公司",
    "岗位说明汇编",
    "目录",
    "DX服务经理职务说明书",
    "DX服务专员职务说明书",
    "DX-01",
    "DX-02",
    "DX服务部",
    "经理",
    "3",
    "DX营销总监",
    "DX服务专员",
    "2031-07-19",
    "DX重点体系",
    "DX强调",
    "<b>DX原样</b>",
    "DX权力甲",
    "DX权力乙",
    "DX备注",
    "DX职责标题",
    "DX任务一",
    "DX任务二",
    "DX考核重点",
    "相关指标：DX指标甲",
    "DX内部",
    "DX外部",
    "本科及以上",
    "DX专业",
    "DX培训",
    "DX知识一",
    "DX知识二",
    "DX技能",
    "DX素质",
    "DX工具",
    "DX环境",
    "DX工时",
    "DX记录",
    "DX指标甲",
    "DX指标乙",
    "≥ 98765",
    "4 / 7",
    "DX单位",
    "DX专员本职",
    "DX专员职责",
    "DX专员任务",
    "DX服务经理",
];

/// The fixture's `[confidential]` values: only the internal edition shows them.
const CONFIDENTIAL: &[&str] = &[
    "DX密级工资",
    "DX密级薪酬",
    "DX专员工资",
    "DX密级经验",
    "61%",
    "39%",
];

fn fixture() -> tempfile::TempDir {
    org(&[
        ("_org.toml", ORG_TOML),
        ("mgr.toml", MANAGER),
        ("spec.toml", SPECIALIST),
    ])
}

/// Runs `rolebook build DIR --out OUT ARGS…` and returns its standard output.
fn build(dir: &Path, out: &Path, args: &[&str]) -> String {
    let output = rolebook()
        .arg("build")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "build failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// One part of a .docx file, as text.
fn part(docx: &Path, name: &str) -> String {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).expect("a .docx is a zip archive");
    let mut s = String::new();
    zip.by_name(name)
        .unwrap_or_else(|e| panic!("{name} missing ({e})"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The document's body as the project's Word reader resolves it.
fn blocks(docx: &Path) -> Vec<Block> {
    read(&std::fs::read(docx).unwrap()).expect("the reader reads it")
}

/// Every text of the body, one paragraph a line.
fn text(blocks: &[Block]) -> String {
    let mut s = String::new();
    for b in blocks {
        match b {
            Block::Para(p) => {
                s.push_str(p);
                s.push('\n');
            }
            Block::Table(rows) => {
                for cell in rows.iter().flat_map(|r| &r.cells) {
                    s.push_str(&text(&cell.blocks));
                }
            }
        }
    }
    s
}

/// Text without white space: PDF text breaks lines where the cell does.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn the_sample_handbook_is_an_a4_word_file_with_merged_form_cells() {
    let out = tempfile::tempdir().unwrap();
    let stdout = build(&repo().join("positions"), out.path(), &["--to", "docx"]);
    let docx = out.path().join("handbook.docx");
    assert!(stdout.contains("handbook.docx (3 positions"), "{stdout}");
    assert!(
        !out.path().join("handbook.html").exists(),
        "only what --to asks"
    );

    let document = part(&docx, "word/document.xml");
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).unwrap();
    let stored = zip.by_name("word/document.xml").unwrap();
    assert_eq!(stored.compression(), zip::CompressionMethod::Deflated);
    assert!(stored.compressed_size() * 4 < stored.size());
    drop(stored);
    // A4 and Word's default margins.
    assert!(
        document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "{document}"
    );
    assert!(document.contains(r#"w:left="1800""#), "{document}");
    // The contents page and each of the three forms start a page.
    assert_eq!(count(&document, "<w:pageBreakBefore"), 4, "{document}");
    // Label cells merged down their rows, values spanning grid columns.
    assert!(document.contains(r#"<w:vMerge w:val="restart""#));
    assert!(document.contains(r#"<w:vMerge w:val="continue""#));
    assert!(document.contains(r#"<w:gridSpan w:val="6""#));
    // The contents and the positions a form names link to the forms' bookmarks.
    for i in 0..3 {
        assert_eq!(
            count(&document, &format!(r#"w:name="position_{i}""#)),
            1,
            "{document}"
        );
        let links = count(&document, &format!(r#"w:anchor="position_{i}""#));
        assert!(links >= 2, "position {i}: {links} links");
    }
    // The East Asian font is named, so Chinese is not set in a Latin font.
    let styles = part(&docx, "word/styles.xml");
    assert!(styles.contains(r#"w:eastAsia="SimSun""#), "{styles}");
    // Header with the title; footer with the page number and count as fields.
    let headers: String = (1..=2)
        .map(|n| part(&docx, &format!("word/header{n}.xml")))
        .collect();
    assert!(headers.contains("示例科技有限公司 客服部岗位职责说明书"));
    let footers: String = (1..=2)
        .map(|n| part(&docx, &format!("word/footer{n}.xml")))
        .collect();
    assert!(
        footers.contains("<w:instrText>PAGE</w:instrText>"),
        "{footers}"
    );
    assert!(footers.contains("NUMPAGES"), "{footers}");
    assert!(footers.contains("第 "), "{footers}");

    // The forms as a Word reader sees them: the grid resolved, merges kept.
    let body = blocks(&docx);
    let tables: Vec<_> = body
        .iter()
        .filter_map(|b| match b {
            Block::Table(rows) => Some(rows),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 3);
    for rows in &tables {
        let first = &rows[0].cells;
        assert_eq!(text(&first[0].blocks).trim(), "岗位名称");
        assert_eq!((first[1].col, first[1].span), (1, 2));
        assert_eq!(text(&first[2].blocks).trim(), "岗位编号");
        assert_eq!((first[2].col, first[2].span), (3, 2));
        assert_eq!((first[3].col, first[3].span), (5, 3));
        // 工作协作关系 stands once, beside both of its rows.
        let at = rows
            .iter()
            .position(|r| text(&r.cells[0].blocks).trim() == "工作协作关系")
            .expect("relations");
        assert_eq!(text(&rows[at].cells[1].blocks).trim(), "内部协调关系");
        assert!(rows[at + 1].cells[0].continued);
        assert_eq!(text(&rows[at + 1].cells[1].blocks).trim(), "外部协调关系");
    }
    let all = text(&body);
    for s in [
        "目录",
        "KF-01",
        "客服部经理职务说明书",
        "营销总监",
        "职责一",
    ] {
        assert!(all.contains(s), "{s} missing from\n{all}");
    }
}

#[test]
fn the_forms_read_back_through_import_as_the_positions_they_came_from() {
    let out = tempfile::tempdir().unwrap();
    build(&repo().join("positions"), out.path(), &["--to", "docx"]);
    let back = out.path().join("back");
    rolebook()
        .arg("import")
        .arg(out.path().join("handbook.docx"))
        .arg("--out")
        .arg(&back)
        .assert()
        .success();
    let parse = |p: &Path| -> toml::Table { std::fs::read_to_string(p).unwrap().parse().unwrap() };
    for (file, imported) in [
        ("cs-manager.toml", "客服部经理.toml"),
        ("cs-supervisor.toml", "客服部主管.toml"),
        ("cs-specialist.toml", "客服专员.toml"),
    ] {
        let source = parse(&repo().join("positions").join(file));
        let got = parse(&back.join(imported));
        let (top, _) = rolebook::load::position_keys();
        // What the form cannot carry back as written: `reports_to` comes back as the superior's
        // title, not its file id; `level`, which the sample leaves to be derived, is written
        // out; the KPI table's targets and the duties' KPI links come back
        // as text (notes, assessment); the sections are compared part by part below.
        let differ = [
            "reports_to",
            "level",
            "notes",
            "duties",
            "kpis",
            "relations",
            "qualifications",
            "conditions",
        ];
        for key in top.iter().filter(|k| !differ.contains(k)) {
            assert_eq!(got.get(*key), source.get(*key), "{file}: {key}");
        }
        let duties = |t: &toml::Table, part: &str| -> Vec<toml::Value> {
            t["duties"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d.get(part).cloned().unwrap_or(toml::Value::from("")))
                .collect()
        };
        assert_eq!(duties(&got, "title"), duties(&source, "title"), "{file}");
        assert_eq!(duties(&got, "tasks"), duties(&source, "tasks"), "{file}");
        for section in ["relations", "conditions"] {
            assert_eq!(got.get(section), source.get(section), "{file}: {section}");
        }
    }
}

#[test]
fn markdown_becomes_runs_and_raw_html_stays_text() {
    let dir = fixture();
    let out = tempfile::tempdir().unwrap();
    build(dir.path(), out.path(), &["--to", "docx"]);
    let document = part(&out.path().join("handbook.docx"), "word/document.xml");
    // **DX重点体系** is a bold run, *DX强调* an italic one, with their own text.
    assert!(
        document.contains(r#"<w:b /><w:bCs /></w:rPr><w:t xml:space="preserve">DX重点体系</w:t>"#),
        "{document}"
    );
    assert!(
        document.contains(r#"<w:i /><w:iCs /></w:rPr><w:t xml:space="preserve">DX强调</w:t>"#),
        "{document}"
    );
    // The raw HTML is escaped text in a run, not markup.
    assert!(document.contains("&lt;b&gt;DX原样&lt;/b&gt;"), "{document}");
    assert!(!document.contains("<b>"), "{document}");
    // A Markdown list is one paragraph per item, with its bullet.
    let all = text(&blocks(&out.path().join("handbook.docx")));
    assert!(all.contains("•\tDX知识一\n•\tDX知识二\n"), "{all}");
}

#[test]
fn characters_outside_the_font_are_kept_for_word_to_substitute() {
    let spec = SPECIALIST.replace("DX专员本职", "DX专员本职𠀀😀");
    let dir = org(&[
        ("_org.toml", ORG_TOML),
        ("mgr.toml", MANAGER),
        ("spec.toml", &spec),
    ]);
    let out = tempfile::tempdir().unwrap();
    build(dir.path(), out.path(), &["--to", "docx"]);
    let docx = out.path().join("handbook.docx");
    assert!(text(&blocks(&docx)).contains("DX专员本职𠀀😀"));
    assert!(part(&docx, "word/styles.xml").contains(r#"w:eastAsia="SimSun""#));
}

/// LibreOffice's fonts for the test: the system's, and the font the PDF handbook ships
/// (`fonts/`), as a Chinese font the converter can set the text in. Without a Chinese font
/// LibreOffice would draw empty boxes and the PDF would have no Chinese text to extract.
fn fontconfig(dir: &Path) -> PathBuf {
    let conf = dir.join("fonts.conf");
    std::fs::write(
        &conf,
        format!(
            "<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig>\n\
             <include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>\n\
             <dir>{}</dir>\n<cachedir>{}</cachedir>\n</fontconfig>\n",
            repo().join("fonts").display(),
            dir.join("fc-cache").display()
        ),
    )
    .unwrap();
    conf
}

/// Converts `files` to PDF with the real LibreOffice, its own profile, a time limit; returns
/// the PDFs' paths.
fn libreoffice_pdfs(files: &[PathBuf], work: &Path) -> Vec<PathBuf> {
    let pdfs = work.join("pdf");
    let mut command = Command::new("soffice");
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .env("FONTCONFIG_FILE", fontconfig(work))
        .arg(format!(
            "-env:UserInstallation=file://{}",
            work.join("profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&pdfs)
        .args(files)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("soffice runs (scripts/test --setup installs libreoffice-writer-nogui)");
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(240) {
            #[cfg(unix)]
            // SAFETY: signals the process group the child leads (soffice and soffice.bin).
            unsafe {
                libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
            }
            let _ = child.wait();
            panic!("soffice took more than 240 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "soffice failed: {status}");
    files
        .iter()
        .map(|f| {
            let pdf = pdfs.join(f.with_extension("pdf").file_name().unwrap());
            assert!(pdf.is_file(), "soffice wrote no {}", pdf.display());
            pdf
        })
        .collect()
}

#[test]
fn libreoffice_shows_every_text_and_the_public_edition_no_confidential_one() {
    let dir = fixture();
    let out = tempfile::tempdir().unwrap();
    let stdout = build(dir.path(), out.path(), &["--to", "html,pdf,docx"]);
    for f in ["handbook.html", "handbook.pdf", "handbook.docx"] {
        assert!(stdout.contains(f), "{stdout}");
    }
    build(
        dir.path(),
        out.path(),
        &["--to", "docx", "--edition", "public"],
    );
    let files = [
        out.path().join("handbook.docx"),
        out.path().join("handbook-public.docx"),
    ];
    let pdfs = libreoffice_pdfs(&files, out.path());

    // Chinese comes out of the Chinese font, not empty boxes.
    let fonts = poppler("pdffonts", &[], &pdfs[0]);
    assert!(fonts.contains("NotoSansSC"), "{fonts}");

    let internal = squash(&poppler("pdftotext", &[], &pdfs[0]));
    let public = squash(&poppler("pdftotext", &[], &pdfs[1]));
    for s in SHOWN {
        assert!(internal.contains(&squash(s)), "internal: {s} missing");
        assert!(public.contains(&squash(s)), "public: {s} missing");
    }
    for s in CONFIDENTIAL {
        assert!(internal.contains(&squash(s)), "internal: {s} missing");
        assert!(!public.contains(&squash(s)), "public shows {s}");
    }
    // The footer's page numbers are fields LibreOffice fills in.
    assert!(internal.contains("第2页/共"), "{internal}");
}

/// The Word file goes through the one safe writer: a symlink at its path is refused, and the
/// file it names keeps its content.
#[cfg(unix)]
#[test]
fn a_symlink_at_the_word_file_is_refused_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("handbook.docx")).unwrap();
    let o = rolebook()
        .args(["build", "--to", "docx"])
        .arg(repo().join("positions"))
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("is a symlink").count(), 1, "{err}");
    assert!(err.contains("handbook.docx"), "{err}");
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
}
