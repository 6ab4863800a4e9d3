//! Any bytes as an organization must give diagnostics, never a panic: the input is split on
//! the byte 0x1E (record separator); the first part is `_org.toml`, each further part a position file. The whole
//! pipeline runs: load, every check, every output format.
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run load fuzz/seeds-load -- -max_total_time=300
//! ```
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rolebook::check::check;
use rolebook::diag::{HumanOptions, Summary, render_github, render_human, render_json, render_sarif};
use rolebook::load::{Input, load_inputs};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0x1E).map(<[u8]>::to_vec);
    let org = parts.next().map(|b| Input::new("fuzz/_org.toml", b));
    let ids = ["a", "b", "c", "sub/d", "sub/a", "客服"];
    let positions: Vec<Input> = parts
        .take(ids.len())
        .enumerate()
        .map(|(i, b)| Input::new(format!("fuzz/{}.toml", ids[i]), b))
        .collect();
    let loaded = load_inputs(Path::new("fuzz"), org, positions);
    let diags = check(&loaded);
    let summary = Summary::of(loaded.org.positions.len(), &diags);
    let _ = render_human(&diags, &loaded.sources, summary, HumanOptions { color: true });
    let _ = render_json(&diags, &loaded.sources, summary);
    let _ = render_sarif(&diags, &loaded.sources, &[]);
    let _ = render_github(&diags, &loaded.sources);
});
