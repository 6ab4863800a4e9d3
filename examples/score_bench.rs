//! Benchmark for `rolebook score`: 100,000 long-layout result rows in one `.xlsx`, read,
//! scored, and every output built and written; prints the time of each stage.
//!
//! ```text
//! cargo run --release --example score_bench [ROWS]
//! /usr/bin/time -v target/release/examples/score_bench    # peak memory: "Maximum resident"
//! ```

use std::path::Path;
use std::time::Instant;

use rolebook::kpi::import::Import;
use rolebook::kpi::report::Outputs;
use rolebook::kpi::score::{Options, score};
use rolebook::load::load_dir;
use rust_xlsxwriter::{Format, Workbook};

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let org_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/score/org");
    let loaded = load_dir(&org_dir).expect("fixture org");
    let dir = tempfile_dir();
    let book = dir.join("results.xlsx");

    // The input: one row per person and KPI, people cycling through the positions.
    let t = Instant::now();
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0%");
    let ws = wb.add_worksheet();
    for (c, h) in ["岗位", "姓名", "期间", "指标", "实际值"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let mut r = 1u32;
    let mut person = 0usize;
    'outer: loop {
        for p in &loaded.org.positions {
            person += 1;
            let name = format!("员工{person:06}");
            for (i, k) in p.kpis.iter().enumerate() {
                if r as usize > rows {
                    break 'outer;
                }
                ws.write_string(r, 0, &p.id).unwrap();
                ws.write_string(r, 1, &name).unwrap();
                ws.write_string(r, 2, "2024Q1").unwrap();
                ws.write_string(r, 3, &k.name.value).unwrap();
                let v = ((person * 7 + i * 13) % 10) as f64;
                match k.unit.as_ref().map(|u| u.value.as_str()) {
                    Some("%") => ws.write_number_with_format(r, 4, 0.80 + v / 100.0, &pct),
                    _ if k.direction.value == rolebook::model::Direction::Rating => {
                        ws.write_number(r, 4, 1.0 + v % 5.0)
                    }
                    _ => ws.write_number(r, 4, 20.0 + v),
                }
                .unwrap();
                r += 1;
            }
        }
    }
    wb.save(&book).unwrap();
    let size = std::fs::metadata(&book).unwrap().len();
    eprintln!(
        "wrote the input: {} rows, {:.1} MB, in {:.2?} (not timed below)",
        r - 1,
        size as f64 / 1e6,
        t.elapsed()
    );

    let start = Instant::now();
    let mut import = Import::default();
    import.read_path(&book, "results.xlsx", &[]);
    let read = start.elapsed();
    let t = Instant::now();
    let scored = score(&loaded.org, &import, &Options::default());
    let scoring = t.elapsed();
    if std::env::var_os("BENCH_PARTS").is_some() {
        use rolebook::kpi::report;
        let lang = loaded.org.settings.lang;
        let t = Instant::now();
        let _ = report::html(&scored, None, lang).unwrap();
        eprintln!("  html {:.3?}", t.elapsed());
        let t = Instant::now();
        let _ = report::xlsx(&scored, lang).unwrap();
        eprintln!("  xlsx {:.3?}", t.elapsed());
        let t = Instant::now();
        let _ = report::csv(&scored, lang);
        eprintln!("  csv {:.3?}", t.elapsed());
        let t = Instant::now();
        let _ = report::json(&scored, false);
        eprintln!("  json {:.3?}", t.elapsed());
    }
    let t = Instant::now();
    let written = Outputs::write_all(
        &scored,
        Some("bench"),
        loaded.org.settings.lang,
        false,
        &dir.join("out"),
    )
    .unwrap();
    let outputs = t.elapsed();
    let total = start.elapsed();
    assert_eq!(
        scored.errors(),
        0,
        "{:?}",
        &scored.problems[..3.min(scored.problems.len())]
    );
    let share = |d: std::time::Duration| 100.0 * d.as_secs_f64() / total.as_secs_f64();
    println!(
        "rows {}  scorecards {}\nread workbook  {:>8.3?} ({:.0}%)\nscore          {:>8.3?} ({:.0}%)\nbuild + write outputs {:>8.3?} ({:.0}%)\ntotal          {:>8.3?}",
        import.rows.len(),
        scored.scorecards.len(),
        read,
        share(read),
        scoring,
        share(scoring),
        outputs,
        share(outputs),
        total
    );
    for p in written {
        println!(
            "  {} {:.1} MB",
            p.file_name().unwrap().to_string_lossy(),
            std::fs::metadata(&p).unwrap().len() as f64 / 1e6
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("rolebook-score-bench-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}
