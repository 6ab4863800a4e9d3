//! Times `rolebook import` on N one-form `.docx` files (default 1,000), each the fixture
//! `tests/fixtures/import/cs-copy.docx` with its own title, in-process: reading and planning,
//! writing, then `check` on the result, as the command does.
//!
//! `cargo run --release --example bench_import -- [N]`

use std::io::{Read, Write};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let fixture =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/cs-copy.docx");
    let bytes = std::fs::read(&fixture).expect("the fixture");
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for i in 0..n {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for k in 0..zip.len() {
            let mut entry = zip.by_index(k).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name == "word/document.xml" {
                let text = String::from_utf8(data).unwrap();
                data = text
                    .replace("客服专员", &format!("客服{i}组专员"))
                    .into_bytes();
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&data).unwrap();
        }
        let docx = out.finish().unwrap().into_inner();
        std::fs::write(input.join(format!("{i:05}.docx")), docx).unwrap();
    }
    let target = tmp.path().join("positions");
    let t0 = Instant::now();
    let plan = rolebook::import::plan(
        std::slice::from_ref(&input),
        &rolebook::import::Options {
            out: target.clone(),
            force: false,
            org_name: None,
        },
    );
    let t1 = Instant::now();
    let written = rolebook::import::apply(&plan, &target).expect("written");
    let t2 = Instant::now();
    let loaded = rolebook::load::load_dir(&target).expect("loaded");
    let findings = rolebook::check::check_with(&loaded, None).len();
    let t3 = Instant::now();
    println!(
        "{n} documents, {} positions, {written} files, {findings} findings\n\
         read+plan {:.2} s, write {:.2} s, check {:.2} s, total {:.2} s",
        plan.report.positions.len(),
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
        (t3 - t2).as_secs_f64(),
        (t3 - t0).as_secs_f64()
    );
}
