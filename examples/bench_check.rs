//! Times the stages of `rolebook check` in-process over a folder made by `gen_org`: the floor
//! (reading + parsing the TOML, nothing else), loading, each rule family, and the emitters.
//! Medians of RUNS runs (default 5); stages run one after the other, each with both cores.
//!
//! `cargo run --release --example bench_check -- DIR [RUNS] [--load]`
//!
//! `--load` times the load stage alone (no floor, no checks, no emitters): the run to give
//! `valgrind --tool=callgrind` for the loader's instruction count.
//!
//! `scripts/bench-check` runs the `rolebook` binary itself against the budget (wall time and
//! peak memory at 10,000 and 50,000 positions).

use std::time::Instant;

// The allocator of the `rolebook` binary, so the stages are timed as the command runs them.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rolebook::check::{FAMILIES, check_with};
use rolebook::diag::{HumanOptions, Summary, render_human, render_json};
use rolebook::pdf::FontSource;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().expect("usage: bench_check DIR [RUNS]"));
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let load_only = args.iter().any(|a| a == "--load");
    // Stage name -> its time in each run.
    let mut stages: Vec<(String, Vec<f64>)> = Vec::new();
    let mut record = |name: &str, t: Instant| {
        let secs = t.elapsed().as_secs_f64();
        match stages.iter_mut().find(|(n, _)| n == name) {
            Some((_, v)) => v.push(secs),
            None => stages.push((name.to_string(), vec![secs])),
        }
    };
    for run in 0..runs {
        if load_only {
            let t = Instant::now();
            let loaded = rolebook::load::load_dir(&dir).expect("load");
            record("load (read, parse, model)", t);
            if run == 0 {
                eprintln!("{} positions", loaded.org.positions.len());
            }
            continue;
        }
        let t = Instant::now();
        let files = floor(&dir);
        record("floor: read + TOML parse", t);

        let t = Instant::now();
        let loaded = rolebook::load::load_dir(&dir).expect("load");
        record("load (read, parse, model)", t);

        let fonts = FontSource::choose(None, &loaded.org.settings, &loaded.dir);
        for family in FAMILIES {
            let t = Instant::now();
            let found = (family.run)(&loaded, Some(&fonts));
            record(&format!("  check {}", family.name), t);
            drop(found);
        }
        let t = Instant::now();
        let diags = check_with(&loaded, Some(&fonts));
        record("check (all, levels, sort)", t);

        let summary = Summary::of(loaded.org.positions.len(), &diags);
        let t = Instant::now();
        let human = render_human(
            &diags,
            &loaded.sources,
            summary,
            HumanOptions { color: false },
        );
        record("emit human", t);
        let t = Instant::now();
        let json = render_json(&diags, &loaded.sources, summary);
        record("emit json", t);
        if run == 0 {
            eprintln!(
                "{files} files, {} positions, {} findings ({} KB human, {} KB json)",
                loaded.org.positions.len(),
                diags.len(),
                human.len() / 1024,
                json.len() / 1024
            );
        }
    }
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let get = |name: &str| {
        stages
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0.0, |(_, v)| median(v))
    };
    for (name, times) in &stages {
        println!("{name:<28} {:.3} s", median(times));
    }
    println!(
        "{:<28} {:.3} s (load + check + emit json)",
        "check --format json",
        get("load (read, parse, model)") + get("check (all, levels, sort)") + get("emit json")
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
            // The loader's reader (one pass for the common forms, else the toml crate).
            rolebook::load::doc::parse(&text)
                .map(|t| t.iter().count())
                .unwrap_or(0)
        })
        .count()
}
