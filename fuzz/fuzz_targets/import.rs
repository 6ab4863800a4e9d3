//! Any bytes, under any of the extensions `score` accepts, must give rows or problems: never a
//! panic of ours. Panics inside calamine (it has some on damaged files: see
//! `tests/fixtures/score/workbooks/fuzz-*`) are caught by `read_bytes_guarded` and reported
//! as a damaged file; every other panic aborts, so the fuzzer reports it.
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run import fuzz/seeds -- -max_total_time=300
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;
use rolebook::kpi::import::Import;

const EXTS: [&str; 6] = ["xlsx", "xls", "xlsb", "ods", "csv", "bin"];

fuzz_target!(
    init: {
        std::panic::set_hook(Box::new(|info| {
            let in_calamine = info
                .location()
                .is_some_and(|l| l.file().contains("/calamine-"));
            if !in_calamine {
                eprintln!("{info}");
                std::process::abort();
            }
        }));
        // `read_bytes_guarded` swaps the hook out unless told to keep it.
        unsafe { std::env::set_var("ROLEBOOK_SHOW_PANICS", "1") };
    },
    |data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let ext = EXTS[pick as usize % EXTS.len()];
    let mut import = Import::default();
    import.read_bytes_guarded(bytes, ext, "fuzz", "fuzz", &[]);
    for row in &import.rows {
        for e in &row.entries {
            let _ = rolebook::kpi::import::parse_number(&e.actual.value, Some("%"));
        }
    }
    }
);
