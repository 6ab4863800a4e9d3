//! Old binary `.doc` files, converted to `.docx` by LibreOffice (`soffice --headless`), each
//! run with its own profile folder (two instances cannot share one) and a time limit.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::ReadError;
use super::docx::MAX_DOCX_BYTES;

/// How long one conversion may take.
const TIMEOUT: Duration = Duration::from_secs(120);

/// `soffice` (or `libreoffice`) on the PATH.
fn find_soffice() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).find_map(|dir| {
        ["soffice", "libreoffice"]
            .iter()
            .map(|n| dir.join(n))
            .find(|p| p.is_file())
    })
}

/// Converts `path` and returns the bytes of the `.docx`.
pub fn convert(path: &Path) -> Result<Vec<u8>, ReadError> {
    let soffice = find_soffice().ok_or(ReadError::NoSoffice)?;
    let tmp = tempfile::tempdir()?;
    let profile = tmp.path().join("profile");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out)?;
    // LibreOffice names the result after the input; a copy with a plain name avoids
    // surprises with spaces, dashes or a leading `-` in the user's file name.
    let input = tmp.path().join("input.doc");
    std::fs::copy(path, &input)?;
    let mut child = Command::new(&soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.to_string_lossy()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "docx",
            "--outdir",
        ])
        .arg(&out)
        .arg(&input)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| ReadError::Convert(format!("failed to start {} ({e})", soffice.display())))?;
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ReadError::Convert(format!(
                "timed out after {} s",
                TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let result = out.join("input.docx");
    if !status.success() || !result.is_file() {
        return Err(ReadError::Convert(format!("soffice exited with {status}")));
    }
    if std::fs::metadata(&result)?.len() > MAX_DOCX_BYTES {
        return Err(ReadError::FileTooLarge(MAX_DOCX_BYTES));
    }
    Ok(std::fs::read(result)?)
}
