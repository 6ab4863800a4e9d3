//! The handbook in a real browser: headless Chromium at A4 width (tests/browser/check_handbook.py).
//!
//! Needs `chromium` and `python3`: where they are missing the test fails and says how to get
//! them (`scripts/test` installs them), rather than passing without having looked.

use std::path::Path;
use std::process::Command;

use assert_cmd::cargo::cargo_bin_cmd;

mod common;

#[test]
fn the_handbook_fits_a4_loads_nothing_and_logs_no_error_in_chromium() {
    common::require(&["chromium", "python3"]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    for (fixture, edition) in [("zh", "internal"), ("zh", "public"), ("en", "internal")] {
        let out = tmp.path().join(format!("{fixture}-{edition}"));
        cargo_bin_cmd!("rolebook")
            .args(["build", "--to", "html"])
            .arg(root.join("tests/fixtures/build").join(fixture))
            .arg("--out")
            .arg(&out)
            .args(["--edition", edition])
            .assert()
            .success();
        let file = if edition == "public" {
            "handbook-public.html"
        } else {
            "handbook.html"
        };
        let shots = out.join("shots");
        let result = Command::new("python3")
            .arg(root.join("tests/browser/check_handbook.py"))
            .arg(out.join(file))
            .arg(&shots)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&result.stdout);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(
            result.status.success(),
            "{fixture} {edition}:\n{stdout}\n{stderr}"
        );
        for shot in [
            "cover-a4.png",
            "form-a4.png",
            "chart-a4.png",
            "handbook-a4.pdf",
        ] {
            let path = shots.join(shot);
            let len = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            assert!(len > 1000, "{} missing or empty", path.display());
        }
    }
}
