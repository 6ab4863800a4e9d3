//! Any bytes, as a Word file or as pasted text, must give position files or a named error
//! from `rolebook import`: never a panic, and every file it plans must be valid TOML.
//!
//! ```text
//! RUSTC_BOOTSTRAP=1 cargo fuzz run word seeds-word -- -max_total_time=300 -rss_limit_mb=2048
//! ```
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rolebook::import::{Options, plan};

static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&kind, body)) = data.split_first() else {
        return;
    };
    let dir = DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"));
    let ext = ["docx", "txt", "md"][usize::from(kind) % 3];
    let path: PathBuf = dir.path().join(format!("form.{ext}"));
    std::fs::write(&path, body).expect("write the input");
    let options = Options {
        out: dir.path().join("positions"),
        force: false,
        org_name: None,
    };
    let planned = plan(&[path], &options);
    for (file, content, _) in &planned.files {
        if let Err(e) = toml::from_str::<toml::Table>(content) {
            panic!("{} is not TOML ({e}):\n{content}", file.display());
        }
    }
});
