//! Renders a PDF handbook and reports its size and time: the issue's budgets.
//!
//! ```text
//! cargo run --release --example pdf_bench -- DIR OUT.pdf [public]
//! cargo run --release --example pdf_bench -- --synthetic N DIR OUT.pdf
//! ```
//!
//! `--synthetic N` repeats the positions of DIR until there are N of them (new ids, each
//! reporting to the first position), for the 100- and 1,000-position budgets. Peak memory:
//! run it under `/usr/bin/time -v`.
//!
//! Measured on the 2-core machine, release build, with other builds running (load ~2.5):
//!
//! | input | pages | size | time | peak RSS |
//! |---|---|---|---|---|
//! | `positions/` (3) | 9 | 102 KB | 0.12 s | 36 MB |
//! | 100 × `positions/` | 240 | 632 KB | 0.6–0.9 s | 110 MB |
//! | 1,000 × `positions/` | 2,383 | 5.6 MB | 5.4–7.3 s | 288 MB |
//! | 1,000 × stress fixture mix | 4,056 | 8.5 MB | 10.0 s | 343 MB |
//!
//! About half the time is lopdf 0.26 re-reading what printpdf wrote (its pom parser formats an
//! error string for every failed alternative); a current lopdf for the post-processing would
//! roughly halve it.

use std::path::Path;
use std::time::Instant;

use rolebook::model::{Org, Sp};
use rolebook::pdf::{FontSource, write_atomic};
use rolebook::render::pdf::render_handbook;
use rolebook::render::{Edition, Options};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (n, rest) = if args.first().map(String::as_str) == Some("--synthetic") {
        (
            args.get(1).and_then(|s| s.parse::<usize>().ok()),
            &args[2..],
        )
    } else {
        (None, &args[..])
    };
    let [dir, out, more @ ..] = rest else {
        eprintln!("usage: pdf_bench [--synthetic N] DIR OUT.pdf [public]");
        std::process::exit(2);
    };
    let edition = if more.iter().any(|a| a == "public") {
        Edition::Public
    } else {
        Edition::Internal
    };
    let loaded = rolebook::load::load_dir(Path::new(dir)).expect("load");
    let org = match n {
        None => loaded.org,
        Some(n) => {
            let base = loaded.org.positions.clone();
            let first = base[0].id.clone();
            let mut positions = Vec::with_capacity(n);
            for i in 0..n {
                let mut p = base[i % base.len()].clone();
                if i >= base.len() {
                    p.id = format!("{}-{i:04}", p.id);
                    p.title.value = format!("{}{}", p.title.value, i);
                    p.reports_to = Some(Sp::new(first.clone(), 0..0));
                }
                positions.push(p);
            }
            Org::new(loaded.org.settings.clone(), positions)
        }
    };
    let started = Instant::now();
    let bytes = render_handbook(
        &org,
        &Options {
            edition,
            ..Default::default()
        },
        &FontSource::Builtin,
    )
    .unwrap_or_else(|e| {
        eprintln!("error: {e}");
        std::process::exit(1)
    });
    let elapsed = started.elapsed();
    write_atomic(Path::new(out), &bytes).expect("write");
    println!(
        "{} positions: {} bytes ({:.1} KB) in {:.3} s",
        org.positions.len(),
        bytes.len(),
        bytes.len() as f64 / 1024.0,
        elapsed.as_secs_f64()
    );
}
