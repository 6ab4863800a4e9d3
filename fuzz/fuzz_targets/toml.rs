//! The loader's one-pass TOML reader against the `toml` crate: whatever text the one-pass
//! reader takes, it must read exactly as the crate does (same values, same spans), and it must
//! never take a text the crate refuses. `doc::agrees` panics otherwise.
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run toml fuzz/seeds-load -- -max_total_time=300
//! ```
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        rolebook::load::doc::agrees(text);
    }
});
