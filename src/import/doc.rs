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
    convert_with(&soffice, path, TIMEOUT)
}

/// `file://` URL of a local path, bytes outside the unreserved set percent-encoded (LibreOffice
/// reads `-env:UserInstallation` as a URL: a space or a `%` in `TMPDIR` must not break it).
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for &b in path.to_string_lossy().as_bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            url.push(b as char);
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
}

/// Kills the converter and whatever it started: `soffice` is a script that starts `oosplash`,
/// which starts `soffice.bin`; killing only the first would leave the others running.
fn kill_all(child: &mut std::process::Child) {
    #[cfg(unix)]
    // SAFETY: kill(2) with a negative pid signals the process group the child leads (it was
    // spawned with `process_group(0)`); it touches no memory.
    unsafe {
        libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL);
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// [`convert`] with a given converter and time limit.
pub fn convert_with(soffice: &Path, path: &Path, timeout: Duration) -> Result<Vec<u8>, ReadError> {
    let tmp = tempfile::tempdir()?;
    let profile = tmp.path().join("profile");
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out)?;
    // LibreOffice names the result after the input; a copy with a plain name avoids
    // surprises with spaces, dashes or a leading `-` in the user's file name.
    let input = tmp.path().join("input.doc");
    std::fs::copy(path, &input)?;
    let mut command = Command::new(soffice);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .arg(format!("-env:UserInstallation={}", file_url(&profile)))
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
        if start.elapsed() > timeout {
            kill_all(&mut child);
            return Err(ReadError::Convert(format!(
                "timed out after {} s",
                timeout.as_secs()
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_profile_folder_is_a_url() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/100%/职务")),
            "file:///tmp/a%20b/100%25/%E8%81%8C%E5%8A%A1"
        );
    }

    /// A converter that hangs (and has started a child of its own, as soffice starts
    /// soffice.bin) is stopped at the time limit, the child with it.
    #[test]
    fn a_hanging_converter_is_killed_with_its_children_at_the_time_limit() {
        let dir = tempfile::tempdir().unwrap();
        let pidfile = dir.path().join("child.pid");
        let fake = dir.path().join("soffice");
        std::fs::write(
            &fake,
            format!(
                "#!/bin/sh\nsleep 60 &\necho $! > '{}'\nwait\n",
                pidfile.display()
            ),
        )
        .unwrap();
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
        let input = dir.path().join("x.doc");
        std::fs::write(&input, b"x").unwrap();
        let start = Instant::now();
        let err = convert_with(&fake, &input, Duration::from_secs(1)).unwrap_err();
        assert!(err.to_string().contains("timed out after 1 s"), "{err}");
        assert!(start.elapsed() < Duration::from_secs(10));
        let pid = std::fs::read_to_string(&pidfile).unwrap();
        // Gone, or a zombie waiting for whoever adopted it to reap it.
        std::thread::sleep(Duration::from_millis(200));
        if let Ok(stat) = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())) {
            let state = stat.rsplit(')').next().unwrap().trim_start().chars().next();
            assert_eq!(state, Some('Z'), "{stat}");
        }
    }
}
