//! Times the stages of `rolebook check` in-process: reading + parsing (the floor), then the
//! checks, over a folder made by `gen_org`.
//!
//! `cargo run --release --example bench_check -- DIR [RUNS]`

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().expect("usage: bench_check DIR [RUNS]"));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let mut best = (f64::MAX, f64::MAX, f64::MAX);
    let mut no_font = f64::MAX;
    for _ in 0..runs {
        let t0 = Instant::now();
        let files = floor(&dir);
        let t1 = Instant::now();
        let loaded = rolebook::load::load_dir(&dir).expect("load");
        let t2 = Instant::now();
        let diags = rolebook::check::check(&loaded);
        let t3 = Instant::now();
        let _ = rolebook::check::check_with(&loaded, None);
        no_font = no_font.min(t3.elapsed().as_secs_f64());
        best.0 = best.0.min((t1 - t0).as_secs_f64());
        best.1 = best.1.min((t2 - t1).as_secs_f64());
        best.2 = best.2.min((t3 - t2).as_secs_f64());
        eprintln!(
            "{} files, {} positions, {} findings",
            files,
            loaded.org.positions.len(),
            diags.len()
        );
    }
    println!(
        "floor (read + TOML parse) {:.3} s | load {:.3} s | checks {:.3} s (without the PDF \
         font's characters {:.3} s) | load+checks {:.3} s",
        best.0,
        best.1,
        best.2,
        no_font,
        best.1 + best.2
    );
}

/// Reading and parsing every file and nothing else: what no loader can beat.
fn floor(dir: &std::path::Path) -> usize {
    use rayon::prelude::*;
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "toml") {
                paths.push(p);
            }
        }
    }
    paths
        .par_iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            toml::de::DeTable::parse(&text)
                .map(|t| t.get_ref().len())
                .unwrap_or(0)
        })
        .count()
}
