//! `rolebook import`: the 职务说明书 HR already keeps in Word (`.docx`) or pasted out of it
//! (`.txt`, `.md`) turned into position files and an `_org.toml`, nothing lost.
//!
//! Pipeline: each source is read into [`Block`]s (paragraphs and tables, [`docx`] or the
//! text reader here), the blocks into forms by the labels of the one vocabulary
//! ([`form`]), each form into a [`draft::Draft`]; then ids are given from the titles,
//! 直接上级 resolved to ids or `[external]` entries, and [`plan`] returns the files to write
//! with the report. Only the CLI writes ([`apply`]) and prints.

pub mod doc;
pub mod docx;
pub mod draft;
pub mod form;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::author::quote;
use crate::load::ORG_FILE;
use crate::model::OrgSettings;
use draft::Draft;
use form::{Dictionary, Mode};

/// A paragraph or a table of a document.
#[derive(Debug, Clone)]
pub enum Block {
    Para(String),
    Table(Vec<Row>),
}

/// A table row: its cells in order.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub cells: Vec<Cell>,
}

/// A table cell where Word puts it: the first grid column it covers and how many.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub col: usize,
    pub span: usize,
    /// Continues the cell above (a vertical merge): its text is the cell above's.
    pub continued: bool,
    pub blocks: Vec<Block>,
}

/// Why a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("not a Word .docx file ({0})")]
    NotZip(String),
    #[error("the document is password-protected (encrypted)")]
    Encrypted,
    #[error("word/document.xml inflates past {} MB (a zip bomb, or not a document)", .0 / 1024 / 1024)]
    TooLarge(u64),
    #[error("the file is larger than {} MB", .0 / 1024 / 1024)]
    FileTooLarge(u64),
    #[error("word/document.xml is not valid XML ({0})")]
    BadXml(String),
    #[error("the file is empty")]
    Empty,
    #[error("the text is neither UTF-8 nor GBK")]
    NotText,
    #[error("old Word .doc files need LibreOffice to convert them, and soffice was not found")]
    NoSoffice,
    #[error("LibreOffice could not convert it ({0})")]
    Convert(String),
    #[error("not a .docx, .doc, .txt or .md file")]
    UnknownKind,
    #[error("no 职务说明书 form was recognised (no labels such as 岗位名称, 所在部门, 本职)")]
    NoForm,
    #[error("failed to read it ({0})")]
    Io(#[from] std::io::Error),
}

impl ReadError {
    /// What the user can do about it.
    pub fn help(&self) -> Option<&'static str> {
        Some(match self {
            ReadError::NotZip(_) => {
                "open it in Word and save it as .docx (Word document), or paste its text into a .txt file"
            }
            ReadError::Encrypted => {
                "remove the password: in Word, File > Info > Protect Document > Encrypt with Password, clear it, save, then import again"
            }
            ReadError::TooLarge(_) | ReadError::FileTooLarge(_) => {
                "split the document, or paste the forms' text into a .txt file"
            }
            ReadError::NotText => {
                "save it as UTF-8 (iconv -f GB18030 -t UTF-8 FILE > FILE.utf8.txt converts a Chinese ANSI file)"
            }
            ReadError::NoSoffice => {
                "install LibreOffice (apt-get install libreoffice-writer), or save the file as .docx in Word"
            }
            ReadError::Convert(_) => {
                "open it in Word or LibreOffice and save it as .docx (a password-protected .doc cannot be converted)"
            }
            ReadError::NoForm => {
                "the file was skipped; forms need labels such as 岗位名称 beside their values"
            }
            ReadError::UnknownKind => "give .docx, .doc, .txt or .md files, or a folder of them",
            _ => return None,
        })
    }
}

/// The largest text source read.
pub const MAX_TEXT_BYTES: u64 = 16 * 1024 * 1024;

/// Options of [`plan`].
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub force: bool,
    pub org_name: Option<String>,
}

/// What becomes of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// A new file.
    Create,
    /// Replaces an existing file (`--force`).
    Replace,
    /// Exists and is left alone.
    Keep,
}

/// One source as read.
#[derive(Debug, Clone, Serialize)]
pub struct SourceReport {
    pub path: String,
    pub forms: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// How the file was read when not as it is: GBK, UTF-16LE, converted by LibreOffice.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_as: Option<String>,
    /// Forms skipped (no title), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// One position imported.
#[derive(Debug, Clone, Serialize)]
pub struct PositionReport {
    pub id: String,
    pub title: String,
    pub file: String,
    pub source: String,
    /// The form's number in its source, from 1.
    pub form: usize,
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reports_to: Option<String>,
    /// The id of an earlier position with the same title (the same form imported twice?).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub same_title_as: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown_labels: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub guesses: Vec<String>,
}

/// An `[external]` superior.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalReport {
    pub id: String,
    pub title: String,
    pub level: String,
}

/// The import report, printed or given as JSON.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub out: String,
    pub sources: Vec<SourceReport>,
    pub positions: Vec<PositionReport>,
    pub org_file: String,
    pub org_action: Action,
    pub org_name: String,
    pub externals: Vec<ExternalReport>,
}

impl Report {
    /// Whether some source could not be read or gave no position.
    pub fn incomplete(&self) -> bool {
        self.sources
            .iter()
            .any(|s| s.error.is_some() || !s.skipped.is_empty())
    }
}

/// The files to write and the report.
pub struct Plan {
    pub report: Report,
    /// (path, content, action); `Keep` files are not written.
    pub files: Vec<(PathBuf, String, Action)>,
}

fn display(p: &Path) -> String {
    crate::diag::display_path(p)
}

/// The files a folder holds that can be imported, sorted, recursively; hidden files and
/// Word's lock files (~$…) left out.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let meta = std::fs::symlink_metadata(&p)?;
        if meta.is_dir() {
            walk(&p, out)?;
        } else if meta.is_file() && kind(&p).is_some() {
            out.push(p);
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Docx,
    Doc,
    Text,
}

fn kind(p: &Path) -> Option<Kind> {
    let ext = p.extension()?.to_string_lossy().to_ascii_lowercase();
    match ext.as_str() {
        "docx" | "docm" => Some(Kind::Docx),
        "doc" => Some(Kind::Doc),
        "txt" | "md" | "text" => Some(Kind::Text),
        _ => None,
    }
}

/// Decodes text: UTF-8 (BOM or not), UTF-16 with a BOM, else GBK (the note says so).
pub fn decode(bytes: &[u8]) -> Result<(String, Option<String>), ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty);
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _, bad) = enc.decode(bytes);
        if bad {
            return Err(ReadError::NotText);
        }
        let note = (enc != encoding_rs::UTF_8).then(|| enc.name().to_string());
        let _ = bom;
        return Ok((text.into_owned(), note));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), None));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), Some("GBK".into()))),
        None => Err(ReadError::NotText),
    }
}

/// Pasted text as blocks: a line with tabs is a table row (Word pastes cells so), and so is
/// a Markdown table row (`| 岗位名称 | 客服专员 |`); a Markdown heading loses its `#`.
pub fn text_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    for line in text.lines() {
        let t = line.trim();
        let md_row = t.len() > 1 && t.starts_with('|') && t.ends_with('|');
        if md_row && t.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t')) {
            continue; // |---|---|
        }
        let line = if md_row {
            t[1..t.len() - 1].replace('|', "\t")
        } else if let Some(h) = t.strip_prefix('#') {
            h.trim_start_matches('#').trim().to_string()
        } else {
            line.to_string()
        };
        if line.contains('\t') {
            let cells = line
                .split('\t')
                .enumerate()
                .map(|(i, c)| Cell {
                    col: i,
                    span: 1,
                    continued: false,
                    blocks: vec![Block::Para(c.to_string())],
                })
                .collect();
            rows.push(Row { cells });
        } else {
            if !rows.is_empty() {
                blocks.push(Block::Table(std::mem::take(&mut rows)));
            }
            blocks.push(Block::Para(line));
        }
    }
    if !rows.is_empty() {
        blocks.push(Block::Table(rows));
    }
    blocks
}

/// Reads one file into blocks; the note says how text was decoded.
fn read_source(path: &Path) -> Result<(Vec<Block>, Mode, Option<String>), ReadError> {
    let k = kind(path).ok_or(ReadError::UnknownKind)?;
    let meta = std::fs::metadata(path)?;
    let limit = if k == Kind::Text {
        MAX_TEXT_BYTES
    } else {
        docx::MAX_DOCX_BYTES
    };
    if meta.len() > limit {
        return Err(ReadError::FileTooLarge(limit));
    }
    let mut bytes = Vec::new();
    use std::io::Read as _;
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::FileTooLarge(limit));
    }
    if bytes.is_empty() {
        return Err(ReadError::Empty);
    }
    match k {
        Kind::Text => {
            let (text, note) = decode(&bytes)?;
            Ok((text_blocks(&text), Mode::Pasted, note))
        }
        Kind::Docx => Ok((docx::read(&bytes)?, Mode::Cells, None)),
        Kind::Doc => {
            if bytes.starts_with(b"PK") {
                // A .docx named .doc.
                return Ok((docx::read(&bytes)?, Mode::Cells, None));
            }
            let converted = doc::convert(path)?;
            Ok((
                docx::read(&converted)?,
                Mode::Cells,
                Some("converted by LibreOffice".into()),
            ))
        }
    }
}

/// The organization's name in a document's heading: 华东销售有限公司岗位说明书 → 华东销售有限公司;
/// a heading naming no company is kept whole.
fn org_name_of(line: &str) -> String {
    let l = line.trim().trim_end_matches(['-', '—', '－', ' ']).trim();
    let name = form::strip_form_word(l);
    if ["公司", "集团", "中心", "医院", "学校", "大学", "银行", "厂"]
        .iter()
        .any(|w| name.ends_with(w))
    {
        name
    } else {
        l.to_string()
    }
}

/// A readable, stable id from a title: letters and digits kept (Chinese too), anything else
/// a `-`.
pub fn make_id(title: &str) -> String {
    let mut id = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() || c == '_' {
            id.push(c);
        } else if !id.ends_with('-') {
            id.push('-');
        }
        if id.chars().count() >= 60 {
            break;
        }
    }
    let id = id.trim_matches(['-', '_']).to_string();
    if id.is_empty() { "position".into() } else { id }
}

/// The level a title implies, by its end (…经理 → 经理); 总经理 and the like are the top.
fn infer_level(title: &str, levels: &[&str]) -> Option<String> {
    if ["总经理", "总裁", "董事长", "总经理助理"]
        .iter()
        .any(|t| title.ends_with(t))
    {
        return levels.last().map(|l| l.to_string());
    }
    levels
        .iter()
        .filter(|l| title.ends_with(*l))
        .max_by_key(|l| l.len())
        .map(|l| l.to_string())
}

/// The drafts of one file and the organization name its heading gives.
type ReadOne = (SourceReport, Vec<(Draft, String, usize)>, Option<String>);

fn read_one(path: &Path, dict: &Dictionary, levels: &[&str]) -> ReadOne {
    let shown = display(path);
    let mut rep = SourceReport {
        path: shown.clone(),
        forms: 0,
        error: None,
        help: None,
        read_as: None,
        skipped: Vec::new(),
    };
    let mut drafts = Vec::new();
    let mut heading = None;
    let result = if !path.exists() {
        Err(ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            "no such file or folder",
        )))
    } else {
        read_source(path)
    };
    match result {
        Err(e) => {
            rep.help = e.help().map(str::to_string);
            rep.error = Some(e.to_string());
        }
        Ok((blocks, mode, note)) => {
            rep.read_as = note;
            let doc = form::read(&blocks, mode, dict);
            if doc.forms.is_empty() {
                let e = ReadError::NoForm;
                rep.help = e.help().map(str::to_string);
                rep.error = Some(e.to_string());
            } else {
                // The first line, when it is a heading and not the first label.
                let first_heading = doc.forms[0].heading.as_deref().unwrap_or("");
                heading = doc
                    .first_line
                    .as_deref()
                    .filter(|l| doc.preamble.iter().any(|p| l.starts_with(p.as_str())))
                    .filter(|l| !first_heading.starts_with(*l))
                    .map(org_name_of)
                    .filter(|l| !l.is_empty() && l.chars().count() <= 40);
            }
            for (i, f) in doc.forms.iter().enumerate() {
                let d = draft::draft(f, levels);
                if d.title.is_none() {
                    rep.skipped.push(format!(
                        "form {} has no 岗位名称 (title) and no heading to take one from: skipped; \
                         add the title to the form and import again",
                        i + 1
                    ));
                    continue;
                }
                rep.forms += 1;
                drafts.push((d, shown.clone(), i + 1));
            }
        }
    }
    (rep, drafts, heading)
}

/// Reads every source and plans the files.
pub fn plan(sources: &[PathBuf], opts: &Options) -> Plan {
    let dict = Dictionary::new();
    let levels: Vec<&str> = OrgSettings::DEFAULT_LEVELS.to_vec();
    let mut files = Vec::new();
    for s in sources {
        if s.is_dir() {
            let mut found = Vec::new();
            match walk(s, &mut found) {
                Ok(()) => files.push((s.clone(), Ok(found))),
                Err(e) => files.push((s.clone(), Err(ReadError::Io(e)))),
            }
        } else {
            files.push((s.clone(), Ok(vec![s.clone()])));
        }
    }
    let mut reports = Vec::new();
    let mut drafts: Vec<(Draft, String, usize)> = Vec::new();
    let mut seen: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let mut heading: Option<String> = None;
    for (given, found) in files {
        let list = match found {
            Ok(l) => l,
            Err(e) => {
                reports.push(SourceReport {
                    path: display(&given),
                    forms: 0,
                    help: e.help().map(str::to_string),
                    error: Some(e.to_string()),
                    read_as: None,
                    skipped: Vec::new(),
                });
                continue;
            }
        };
        // A file given twice (itself and in its folder) is read once.
        let list: Vec<PathBuf> = list
            .into_iter()
            .filter(|p| seen.insert(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())))
            .collect();
        // Files are read in parallel and reported in order.
        use rayon::prelude::*;
        let read: Vec<_> = list
            .par_iter()
            .map(|path| read_one(path, &dict, &levels))
            .collect();
        for (rep, found, first_line) in read {
            if heading.is_none() {
                heading = first_line;
            }
            drafts.extend(found);
            reports.push(rep);
        }
    }
    finish(reports, drafts, heading, opts, &levels)
}

fn finish(
    sources: Vec<SourceReport>,
    drafts: Vec<(Draft, String, usize)>,
    heading: Option<String>,
    opts: &Options,
    levels: &[&str],
) -> Plan {
    // Ids: from the title, -2, -3 … in the order read.
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut by_title: HashMap<String, String> = HashMap::new();
    let mut next: HashMap<String, usize> = HashMap::new();
    let mut ids = Vec::new();
    for (d, _, _) in &drafts {
        let title = d.title.clone().unwrap_or_default();
        let base = make_id(&title);
        let key = base.to_lowercase();
        let mut id = base.clone();
        if taken.contains(&key) {
            // The next free number, remembered per base, so a thousand copies stay linear.
            let mut n = next.get(&key).copied().unwrap_or(2);
            loop {
                id = format!("{base}-{n}");
                n += 1;
                if !taken.contains(&id.to_lowercase()) {
                    break;
                }
            }
            next.insert(key, n);
        }
        taken.insert(id.to_lowercase());
        by_title.entry(title).or_insert_with(|| id.clone());
        ids.push(id);
    }
    let existing_org = std::fs::read_to_string(opts.out.join(ORG_FILE)).ok();
    // Positions already in the folder, by title: a superior may be one of them, and a form
    // with the same title is reported.
    let existing: HashMap<String, String> = if opts.out.join(ORG_FILE).is_file() {
        crate::load::load_dir(&opts.out)
            .map(|l| {
                l.org
                    .positions
                    .iter()
                    .map(|p| (p.title.value.clone(), p.id.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    } else {
        HashMap::new()
    };
    let known_external: HashMap<String, String> = existing_org
        .as_deref()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .and_then(|t| t.get("external").and_then(|e| e.as_table()).cloned())
        .map(|e| {
            e.iter()
                .map(|(id, v)| {
                    let title = v.get("title").and_then(|t| t.as_str()).unwrap_or(id);
                    (title.to_string(), id.clone())
                })
                .collect()
        })
        .unwrap_or_default();
    let mut externals: Vec<ExternalReport> = Vec::new();
    let mut departments: Vec<String> = Vec::new();
    let mut positions = Vec::new();
    let mut files = Vec::new();
    for (i, (d, source, form)) in drafts.iter().enumerate() {
        let id = &ids[i];
        let title = d.title.clone().unwrap_or_default();
        let mut guesses = d.guesses.clone();
        if d.level.is_none() && infer_level(&title, levels).is_none() {
            guesses.push(format!(
                "the title names no level ({}): add level = \"…\" to the file",
                levels.join(", ")
            ));
        }
        let reports_to = d.superior.as_ref().map(|sup| {
            if let Some(pid) = by_title.get(sup).filter(|pid| *pid != id) {
                return pid.clone();
            }
            if let Some(pid) = existing.get(sup) {
                return pid.clone();
            }
            if let Some(eid) = known_external.get(sup) {
                return eid.clone();
            }
            let eid = make_id(sup);
            if !externals.iter().any(|e| e.id == eid) {
                let level = infer_level(sup, levels).unwrap_or_else(|| {
                    guesses.push(format!(
                        "the level of the superior {sup} is not in its title: {} assumed",
                        levels.last().copied().unwrap_or_default()
                    ));
                    levels.last().copied().unwrap_or_default().to_string()
                });
                externals.push(ExternalReport {
                    id: eid.clone(),
                    title: sup.clone(),
                    level,
                });
            }
            eid
        });
        if let Some(dep) = &d.department
            && !departments.contains(dep)
        {
            departments.push(dep.clone());
        }
        let same_title_as = by_title
            .get(&title)
            .filter(|first| *first != id)
            .or_else(|| existing.get(&title).filter(|old| *old != id))
            .cloned();
        let path = opts.out.join(format!("{id}.toml"));
        let action = if path.exists() {
            if opts.force {
                Action::Replace
            } else {
                Action::Keep
            }
        } else {
            Action::Create
        };
        let text =
            draft::position_toml(d, reports_to.as_deref(), &format!("{source} (form {form})"));
        positions.push(PositionReport {
            id: id.clone(),
            title,
            file: display(&path),
            source: source.clone(),
            form: *form,
            action,
            reports_to,
            same_title_as,
            unknown_labels: d.unknown_labels.clone(),
            guesses,
        });
        files.push((path, text, action));
    }
    let org_path = opts.out.join(ORG_FILE);
    let org_name = opts
        .org_name
        .clone()
        .or(heading)
        .unwrap_or_else(|| "公司名称".to_string());
    let org_action = if existing_org.is_some() || org_path.exists() {
        Action::Keep
    } else {
        Action::Create
    };
    files.push((
        org_path.clone(),
        org_toml(&org_name, levels, &departments, &externals),
        org_action,
    ));
    Plan {
        report: Report {
            out: display(&opts.out),
            sources,
            positions,
            org_file: display(&org_path),
            org_action,
            org_name,
            externals,
        },
        files,
    }
}

fn org_toml(
    name: &str,
    levels: &[&str],
    departments: &[String],
    externals: &[ExternalReport],
) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# 组织设置：由 `rolebook import` 生成，请核对公司名称、职级与外部上级。"
    );
    let _ = writeln!(s, "name = {}", quote(name));
    let _ = writeln!(s, "handbook_title = \"岗位职责说明书\"");
    let _ = writeln!(s, "lang = \"zh\"");
    let lv: Vec<String> = levels.iter().map(|l| quote(l)).collect();
    let _ = writeln!(s, "levels = [{}]   # 职级，由低到高", lv.join(", "));
    let deps: Vec<String> = departments.iter().map(|d| quote(d)).collect();
    let _ = writeln!(s, "departments = [{}]", deps.join(", "));
    let _ = writeln!(
        s,
        "\n[external]                            # 本手册以外的上级"
    );
    for e in externals {
        let _ = writeln!(
            s,
            "{} = {{ title = {}, level = {} }}",
            quote(&e.id),
            quote(&e.title),
            quote(&e.level)
        );
    }
    let _ = writeln!(
        s,
        "\n[confidential]\nfields = [\"pay_grade\", \"pay_type\"]"
    );
    s
}

/// Writes the planned files: new ones only, or replacing under `--force`; atomically.
pub fn apply(plan: &Plan, out: &Path) -> anyhow::Result<usize> {
    use anyhow::Context as _;
    std::fs::create_dir_all(out).with_context(|| format!("failed to create {}", out.display()))?;
    // Each file is flushed to disk before its rename: in parallel, the waits overlap.
    use rayon::prelude::*;
    let results: Vec<anyhow::Result<bool>> = plan
        .files
        .par_iter()
        .map(|(path, text, action)| {
            match action {
                Action::Keep => return Ok(false),
                Action::Create => crate::output::create_atomic(path, text.as_bytes()),
                Action::Replace => crate::output::write_atomic(path, text.as_bytes()),
            }
            .with_context(|| format!("failed to write {}", path.display()))?;
            Ok(true)
        })
        .collect();
    let mut written = 0;
    for r in results {
        written += usize::from(r?);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_the_titles_made_file_names() {
        assert_eq!(make_id("客服部经理"), "客服部经理");
        assert_eq!(make_id("HR / 招聘 专员"), "HR-招聘-专员");
        assert_eq!(make_id("（）"), "position");
    }

    #[test]
    fn reads_markdown_tables_and_headings() {
        let md = "# 客服专员职务说明书\n\n| 岗位名称 | 客服专员 |\n|---|---|\n| 所在部门 | 客服部 |\n| 本职 | 负责投诉 |\n";
        let doc = form::read(&text_blocks(md), Mode::Pasted, &Dictionary::new());
        assert_eq!(doc.forms.len(), 1);
        assert_eq!(doc.forms[0].heading.as_deref(), Some("客服专员职务说明书"));
        let d = draft::draft(&doc.forms[0], &["专员"]);
        assert_eq!(d.title.as_deref(), Some("客服专员"));
        assert_eq!(d.department.as_deref(), Some("客服部"));
        assert_eq!(d.summary.as_deref(), Some("负责投诉"));
    }

    #[test]
    fn decodes_gbk_and_refuses_empty_text() {
        let (gbk, _, _) = encoding_rs::GBK.encode("岗位名称：客服专员");
        let (text, note) = decode(&gbk).unwrap();
        assert_eq!(text, "岗位名称：客服专员");
        assert_eq!(note.as_deref(), Some("GBK"));
        assert!(matches!(decode(b" \n"), Err(ReadError::Empty)));
    }
}
