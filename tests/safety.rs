//! Safe input and output, through the command line as a careless or hostile user would try it:
//! outputs only ever replace regular files, `kpi-template` never overwrites what it did not
//! write, `--split` removes only its own pages, links out of the positions folder are not
//! read, control characters never reach the terminal, CSV cells never run as formulas, broken
//! position files and unsaved formulas are named, and an OS error is said once.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{ORG, org, position, repo, rolebook};
use rust_xlsxwriter::{DocProperties, Formula, Workbook};

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A copy of the sample organization (three positions with KPIs) in a temporary folder:
/// (the temporary folder, its `positions/`).
fn sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("positions");
    std::fs::create_dir(&dir).unwrap();
    for e in std::fs::read_dir(repo().join("positions")).unwrap() {
        let e = e.unwrap();
        // The position files and _org.toml; not the editors' .schema/ folder.
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.join(e.file_name())).unwrap();
        }
    }
    (tmp, dir)
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) runs");
    assert!(ok.success());
}

fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

fn kpi_template(positions: &Path, out: &Path, extra: &[&str]) -> Output {
    rolebook()
        .arg("kpi-template")
        .arg("--positions")
        .arg(positions)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn outputs_never_replace_a_pipe_a_folder_or_a_symlink() {
    let (tmp, positions) = sample();
    let fifo = tmp.path().join("pipe.xlsx");
    mkfifo(&fifo);
    let o = kpi_template(&positions, &fifo, &["--force"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a named pipe"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("choose another --out"),
        "{}",
        stderr(&o)
    );
    assert!(is_fifo(&fifo), "the pipe was replaced");

    let folder = tmp.path().join("folder.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let o = kpi_template(&positions, &folder, &["--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));
    assert!(folder.is_dir());

    // A symlink is neither followed nor replaced: the file it names keeps its content.
    let victim = tmp.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    let link = tmp.path().join("link.xlsx");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    let o = kpi_template(&positions, &link, &["--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("is a symlink; remove it or choose another --out"),
        "{}",
        stderr(&o)
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    // The handbook and the scorecards go through the same writer.
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join("handbook.html")).unwrap();
    let o = rolebook()
        .args(["build", "--to", "html"])
        .arg(&positions)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a symlink"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");

    let cards = tmp.path().join("cards");
    std::fs::create_dir(&cards).unwrap();
    mkfifo(&cards.join("scores.csv"));
    let o = rolebook()
        .arg("score")
        .arg(repo().join("tests/fixtures/score/sample/2024Q1.xlsx"))
        .arg("--positions")
        .arg(&positions)
        .arg("--out")
        .arg(&cards)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("is a named pipe"), "{}", stderr(&o));
    assert!(is_fifo(&cards.join("scores.csv")));
    let left: Vec<_> = std::fs::read_dir(&cards)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, vec!["scores.csv"], "no output and no temporary file");
}

#[test]
fn an_os_error_is_said_once() {
    let (tmp, positions) = sample();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(out.join("handbook.pdf")).unwrap();
    let o = rolebook()
        .args(["build", "--to", "pdf"])
        .arg(&positions)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.matches("is a folder").count(), 1, "{err}");
    assert!(err.contains("handbook.pdf"), "{err}");

    let o = rolebook()
        .args([
            "new",
            "_org",
            "--title",
            "客服经理",
            "--department",
            "客服部",
            "--dir",
        ])
        .arg(&positions)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("reserved") && err.contains("_org.toml"),
        "{err}"
    );
    assert!(!err.contains("File exists"), "{err}");
}

#[test]
fn kpi_template_replaces_only_an_unfilled_template_it_wrote() {
    let (tmp, positions) = sample();
    // Never into the positions folder, not even with --force.
    let manager = positions.join("cs-manager.toml");
    let before = std::fs::read(&manager).unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let o = kpi_template(&positions, &manager, extra);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("positions folder"), "{}", stderr(&o));
    }
    let o = kpi_template(&positions, &positions.join("new/kpi.xlsx"), &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(std::fs::read(&manager).unwrap(), before);
    assert!(!positions.join("new").exists());

    // Its own template, unfilled: replaced.
    let out = tmp.path().join("kpi.xlsx");
    assert!(kpi_template(&positions, &out, &[]).status.success());
    let o = kpi_template(&positions, &out, &[]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Another workbook, or any other file: refused unless --force.
    let theirs = tmp.path().join("theirs.xlsx");
    Workbook::new().save(&theirs).unwrap();
    let o = kpi_template(&positions, &theirs, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a KPI template rolebook wrote") && stderr(&o).contains("--force"),
        "{}",
        stderr(&o)
    );
    let o = kpi_template(&positions, &theirs, &["--force"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // A template with results filled in: refused.
    let filled = tmp.path().join("filled.xlsx");
    let mut wb = Workbook::new();
    wb.set_properties(&DocProperties::new().set_custom_property("rolebook", "kpi-template"));
    let ws = wb.add_worksheet();
    for (c, h) in ["岗位编号", "岗位名称", "姓名"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "cs-specialist").unwrap();
    ws.write_string(1, 2, "张三").unwrap();
    wb.save(&filled).unwrap();
    let o = kpi_template(&positions, &filled, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("filled in"), "{}", stderr(&o));

    let help = stdout(
        &rolebook()
            .args(["kpi-template", "--help"])
            .output()
            .unwrap(),
    );
    assert!(help.contains("rolebook = kpi-template"), "{help}");
}

#[test]
fn split_removes_its_stale_pages_and_nothing_else() {
    let (tmp, positions) = sample();
    let out = tmp.path().join("out");
    let build = || {
        let o = rolebook()
            .args(["build", "--to", "html", "--split"])
            .arg(&positions)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    build();
    let split = out.join("handbook");
    let pages = |dir: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".html"))
            .collect();
        v.sort();
        v
    };
    let first = pages(&split);
    assert!(first.len() >= 4, "{first:?}");
    std::fs::write(split.join("notes.html"), "<p>mine</p>").unwrap();
    std::fs::remove_file(positions.join("cs-specialist.toml")).unwrap();
    build();
    let second = pages(&split);
    assert_eq!(
        std::fs::read_to_string(split.join("notes.html")).unwrap(),
        "<p>mine</p>"
    );
    let gone: Vec<&String> = first.iter().filter(|p| !second.contains(p)).collect();
    let added: Vec<&String> = second.iter().filter(|p| !first.contains(p)).collect();
    assert_eq!(
        gone.len(),
        1,
        "the removed position's page: {first:?} -> {second:?}"
    );
    assert_eq!(added, vec!["notes.html"], "{second:?}");
}

#[test]
fn links_out_of_the_positions_folder_are_refused_unread() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "title = \"SECRET-LINE-42\"\nroot:x:0:0:SECRET\n").unwrap();
    let dir = org(&[
        ("_org.toml", ORG),
        ("boss.toml", &position("客服经理", Some("director"))),
        // Found whatever the case of the extension.
        ("UPPER.TOML", &position("客服专员", Some("nobody"))),
    ]);
    std::os::unix::fs::symlink(&secret, dir.path().join("x.toml")).unwrap();
    // A link inside the folder is followed.
    std::os::unix::fs::symlink(dir.path().join("boss.toml"), dir.path().join("alias.toml"))
        .unwrap();
    let o = rolebook()
        .args(["check", "--format", "human"])
        .arg(dir.path())
        .output()
        .unwrap();
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(!out.contains("SECRET"), "the linked file was read: {out}");
    assert!(out.contains("x.toml` is a symlink into"), "{out}");
    assert!(out.contains("outside the positions folder"), "{out}");
    assert!(
        out.contains(&outside.path().display().to_string()),
        "the target folder is named: {out}"
    );
    assert!(
        out.contains("UPPER.TOML"),
        "the .TOML file was checked: {out}"
    );
    assert!(
        out.contains("alias.toml"),
        "the link inside was followed: {out}"
    );
}

#[test]
fn control_characters_are_shown_escaped() {
    // Raw bytes in the file (a TOML error, shown with its line), and TOML escapes that put
    // the same characters into a value a message quotes.
    let raw = "title = \"\u{1b}[2J\u{1b}]0;owned\u{7}客服专员\"\n";
    let quoted = position(
        "客服专员",
        Some("\\u001b]0;owned\\u0007boss\\u009b31m\\u202ex"),
    );
    let dir = org(&[
        ("_org.toml", ORG),
        ("raw.toml", raw),
        ("quoted.toml", &quoted),
    ]);
    for format in ["human", "github"] {
        let o = rolebook()
            .args(["check", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        let out = stdout(&o);
        assert!(!out.is_empty());
        for c in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(!out.contains(c), "{format}: raw {c:?} in {out:?}");
        }
        assert!(out.contains("\\u{1b}"), "{format}: {out}");
    }
}

/// A long-layout results workbook for the sample organization's 客服专员.
fn results(path: &Path, name: &str, actual: impl Fn(&mut rust_xlsxwriter::Worksheet)) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("结果").unwrap();
    for (c, h) in ["岗位", "姓名", "期间", "指标", "实际值"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (i, (k, v)) in [
        ("客户满意度", 99.0),
        ("投诉处理时效", 30.0),
        ("沟通能力", 4.0),
    ]
    .iter()
    .enumerate()
    {
        let r = 1 + i as u32;
        ws.write_string(r, 0, "cs-specialist").unwrap();
        ws.write_string(r, 1, name).unwrap();
        ws.write_string(r, 2, "2024Q1").unwrap();
        ws.write_string(r, 3, *k).unwrap();
        ws.write_number(r, 4, *v).unwrap();
    }
    actual(ws);
    wb.save(path).unwrap();
}

fn score(positions: &Path, workbook: &Path, out: &Path) -> Output {
    rolebook()
        .arg("score")
        .arg(workbook)
        .arg("--positions")
        .arg(positions)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

#[test]
fn csv_cells_that_would_run_as_formulas_are_text() {
    let (tmp, positions) = sample();
    let book = tmp.path().join("q1.xlsx");
    results(&book, "=HYPERLINK(\"http://x\",\"y\")", |_| {});
    let cards = tmp.path().join("cards");
    let o = score(&positions, &book, &cards);
    assert!(o.status.success(), "{}", stderr(&o));
    let csv = std::fs::read_to_string(cards.join("scores.csv")).unwrap();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{csv}");
    for row in rows {
        assert!(
            row.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","),
            "{row}"
        );
        // The numbers stay numbers: 99 is the first actual value.
        assert!(!row.contains("'9") && !row.contains("'4"), "{row}");
    }
}

#[test]
fn a_broken_position_file_stops_kpi_template_and_is_named_by_score() {
    let (tmp, positions) = sample();
    std::fs::write(positions.join("cs-specialist.toml"), "title = \"客服专员\n").unwrap();
    let out = tmp.path().join("kpi.xlsx");
    let o = kpi_template(&positions, &out, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error[parse]") && err.contains("cs-specialist.toml"),
        "{err}"
    );
    assert!(!out.exists(), "a template without the position was written");

    let book = tmp.path().join("q1.xlsx");
    results(&book, "张三", |_| {});
    let o = score(&positions, &book, &tmp.path().join("cards"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("cs-specialist.toml") && err.contains("could not be read"),
        "{err}"
    );
    assert!(!err.contains("no position has the id"), "{err}");
}

#[test]
fn a_formula_without_a_saved_result_is_an_error_at_its_cell() {
    let (tmp, positions) = sample();
    let book = tmp.path().join("q1.xlsx");
    // rust_xlsxwriter saves no computed result (a placeholder 0, recalculated on opening).
    results(&book, "张三", |ws| {
        ws.write_formula(3, 4, Formula::new("=2*2")).unwrap();
    });
    let cards = tmp.path().join("cards");
    let o = score(&positions, &book, &cards);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("formula with no saved result"), "{err}");
    assert!(err.contains("结果!E4"), "{err}");
    assert!(
        err.contains("open and save the file in Excel or LibreOffice"),
        "{err}"
    );
    assert!(!err.contains("no data"), "{err}");
    assert!(!cards.exists());
}

#[test]
fn a_position_file_named_in_upper_case_is_found() {
    let dir = org(&[
        ("_org.toml", ORG),
        ("Boss.TOML", &position("客服经理", Some("director"))),
        ("sub/clerk.Toml", &position("客服专员", Some("Boss"))),
    ]);
    let o = rolebook().arg("org").arg(dir.path()).output().unwrap();
    let out = stdout(&o);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        out.contains("客服经理") && out.contains("客服专员"),
        "{out}"
    );
}
