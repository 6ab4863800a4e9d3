//! `rolebook serve` end to end: the binary on a free port, pages fetched over HTTP with a plain
//! TcpStream, files edited the way editors save them, and the open page in headless Chromium.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

mod common;

/// How long a change may take to show (the server promises well under a second; this is
/// the bound of a loaded CI machine).
const WAIT: Duration = Duration::from_secs(20);

struct Serve {
    child: Child,
    addr: SocketAddr,
    lines: Receiver<String>,
}

impl Serve {
    fn start(dir: &Path, extra: &[&str]) -> Serve {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rolebook"))
            .arg("serve")
            .arg(dir)
            .args(["--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rolebook runs");
        let (tx, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = match lines.recv_timeout(WAIT) {
            Ok(l) => l,
            Err(e) => {
                let _ = child.kill();
                let out = child.wait_with_output().unwrap();
                panic!(
                    "no first line ({e:?}): {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        };
        let addr = first
            .split_whitespace()
            .find_map(|w| w.strip_prefix("http://"))
            .and_then(|a| a.trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("no address in the first line: {first}"));
        Serve { child, addr, lines }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Sends a raw request head and returns the status and body.
    fn raw(&self, head: &str) -> (u16, String) {
        let mut s = TcpStream::connect(self.addr).unwrap();
        s.set_read_timeout(Some(WAIT)).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        let text = String::from_utf8_lossy(&out).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status in {text:?}"));
        let body = text
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_string())
            .unwrap_or_default();
        (status, body)
    }

    fn get(&self, path: &str) -> (u16, String) {
        self.raw(&format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
    }

    fn page(&self, path: &str) -> String {
        let (status, body) = self.get(path);
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    /// Polls `path` until its body satisfies `ok` (bounded by [`WAIT`]).
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let body = self.page(path);
            if ok(&body) {
                return body;
            }
            assert!(
                start.elapsed() < WAIT,
                "{path} never showed {what}:\n{body}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Sends SIGINT, as Ctrl-C does, and returns the exit code and the rest of stdout.
    fn interrupt(mut self) -> (Option<i32>, String) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let start = Instant::now();
        let code = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s.code();
            }
            assert!(start.elapsed() < WAIT, "still running after SIGINT");
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut rest = Vec::new();
        // The reader ends (and the channel with it) when the process has closed its stdout.
        while let Ok(l) = self.lines.recv_timeout(Duration::from_secs(2)) {
            rest.push(l);
        }
        (code, rest.join("\n"))
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn fixture() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/build/zh");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, tmp.path().join(path.file_name().unwrap())).unwrap();
    }
    tmp
}

/// Saves the way editors do: a temporary file renamed over the old one.
fn save(path: &Path, text: &str) {
    let tmp: PathBuf = path.with_extension("toml.tmp~");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} not in {}", path.display());
    save(path, &text.replace(from, to));
}

#[test]
fn serves_the_handbook_and_follows_a_save() {
    let dir = fixture();
    let serve = Serve::start(dir.path(), &[]);
    assert!(serve.addr.ip().is_loopback(), "{}", serve.addr);
    let page = serve.page("/");
    assert!(page.contains("<iframe id=\"rb-book\""), "{page}");
    assert!(page.contains("src=\"/_rolebook/live.js\""), "{page}");
    let book = serve.page("/handbook.html");
    assert!(
        book.contains("客户关系维护"),
        "the built handbook is served"
    );
    assert!(
        book.contains("M2-SECRET-GRADE"),
        "the internal edition by default"
    );
    assert!(serve.page("/_rolebook/live.js").contains("EventSource"));

    edit(
        &dir.path().join("cs-manager.toml"),
        "客户关系维护",
        "客户关系EDITED维护",
    );
    serve.wait_for("/handbook.html", "the edit", |b| {
        b.contains("客户关系EDITED维护")
    });
}

#[test]
fn a_defect_shows_as_a_finding_linked_to_its_form_row() {
    let dir = fixture();
    let serve = Serve::start(dir.path(), &[]);
    let status = serve.page("/_rolebook/status");
    assert!(!status.contains("unknown-superior"), "{status}");

    edit(
        &dir.path().join("cs-supervisor.toml"),
        "reports_to = \"cs-manager\"",
        "reports_to = \"cs-manger\"",
    );
    let status = serve.wait_for("/_rolebook/status", "the finding", |s| {
        s.contains("unknown-superior")
    });
    let line = status
        .lines()
        .find(|l| l.contains("unknown-superior"))
        .unwrap();
    assert!(line.contains("rb-error"), "{line}");
    assert!(line.contains("cs-supervisor.toml:4:"), "file:line: {line}");
    assert!(line.contains("cs-manger"), "the message: {line}");
    // Linked to the row the finding is about, which the handbook has.
    assert!(
        line.contains("href=\"handbook.html#p-cs-supervisor--reports_to\""),
        "{line}"
    );
    let book = serve.page("/handbook.html");
    assert!(book.contains("id=\"p-cs-supervisor--reports_to\""));
    // The whole page carries the same panel.
    assert!(serve.page("/").contains("unknown-superior"));
}

#[test]
fn a_broken_file_shows_its_error_above_the_last_good_build() {
    let dir = fixture();
    let serve = Serve::start(dir.path(), &[]);
    let file = dir.path().join("cs-manager.toml");
    let good = std::fs::read_to_string(&file).unwrap();
    // Half a save: the file cut in the middle of a string.
    let cut = good.find("客户关系维护").unwrap();
    save(&file, &good[..cut]);
    let status = serve.wait_for("/_rolebook/status", "the parse error", |s| {
        s.contains("invalid TOML")
    });
    assert!(status.contains("rb-problem"), "{status}");
    assert!(status.contains("cs-manager.toml"), "{status}");
    assert!(status.contains("last good build"), "{status}");
    let book = serve.page("/handbook.html");
    assert!(
        book.contains("客户关系维护") && book.contains("客服部经理"),
        "the last good handbook stays"
    );

    save(&file, &good.replace("客户关系维护", "客户关系FIXED维护"));
    serve.wait_for("/handbook.html", "the fixed file", |b| {
        b.contains("客户关系FIXED维护")
    });
    let status = serve.page("/_rolebook/status");
    assert!(!status.contains("rb-problem"), "{status}");
}

#[test]
fn a_folder_that_goes_away_is_shown_and_the_preview_recovers() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("positions");
    std::fs::rename(fixture().keep(), &dir).unwrap();
    let serve = Serve::start(&dir, &[]);
    let away = root.path().join("away");
    std::fs::rename(&dir, &away).unwrap();
    serve.wait_for("/_rolebook/status", "the missing folder", |s| {
        s.contains("does not exist")
    });
    assert!(serve.page("/handbook.html").contains("客服部经理"));
    std::fs::rename(&away, &dir).unwrap();
    edit(
        &dir.join("cs-manager.toml"),
        "客户关系维护",
        "客户关系BACK维护",
    );
    serve.wait_for("/handbook.html", "the folder back", |b| {
        b.contains("客户关系BACK维护")
    });
    assert!(!serve.page("/_rolebook/status").contains("does not exist"));
}

#[test]
fn only_what_was_built_is_served() {
    let dir = fixture();
    let serve = Serve::start(dir.path(), &[]);
    for path in [
        "/../cs-manager.toml",
        "/cs-manager.toml",
        "/%2e%2e/cs-manager.toml",
        "/%2E%2E%2Fcs-manager.toml",
        "/..%2fcs-manager.toml",
        "/etc/passwd",
        "//etc/passwd",
        "/handbook.html/../cs-manager.toml",
        "/_rolebook/../cs-manager.toml",
        "/_org.toml",
        "/handbook-public.html",
    ] {
        let (status, body) = serve.get(path);
        assert_eq!(status, 404, "{path}: {body}");
        assert!(!body.contains("title ="), "{path}: {body}");
    }
    let (status, _) = serve.raw("GET http://127.0.0.1/etc/passwd HTTP/1.1\r\nHost: a\r\n\r\n");
    assert_eq!(status, 400, "absolute-form target");
    let (status, _) = serve.raw("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
    assert_eq!(status, 405);
    let (status, body) = serve.raw("HEAD /handbook.html HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assert_eq!((status, body.as_str()), (200, ""), "HEAD has no body");
    // A page of another site whose name points at 127.0.0.1 (DNS rebinding) gets nothing.
    let (status, body) = serve.raw("GET /handbook.html HTTP/1.1\r\nHost: evil.example:80\r\n\r\n");
    assert_eq!(status, 403);
    assert!(!body.contains("客服部经理"));
    let (status, _) = serve.raw(&format!(
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX: {}\r\n\r\n",
        "a".repeat(20_000)
    ));
    assert_eq!(status, 431, "a head too large");
}

#[test]
fn the_public_edition_hides_confidential_fields_and_finding_messages() {
    let dir = fixture();
    edit(
        &dir.path().join("cs-supervisor.toml"),
        "reports_to = \"cs-manager\"",
        "reports_to = \"SECRET-REF\"",
    );
    let serve = Serve::start(dir.path(), &["--edition", "public"]);
    let (status, _) = serve.get("/handbook.html");
    assert_eq!(status, 404, "the public edition is handbook-public.html");
    let book = serve.page("/handbook-public.html");
    assert!(book.contains("客服部经理") && !book.contains("SECRET-GRADE"));
    let page = serve.page("/");
    assert!(page.contains("src=\"handbook-public.html\""), "{page}");
    assert!(
        page.contains("unknown-superior") && !page.contains("SECRET-REF"),
        "{page}"
    );
}

#[test]
fn ctrl_c_stops_the_server_with_exit_0() {
    let dir = fixture();
    let serve = Serve::start(dir.path(), &[]);
    let addr = serve.addr;
    // An open event stream must not keep the server from stopping.
    let mut events = TcpStream::connect(addr).unwrap();
    events
        .write_all(b"GET /_rolebook/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    events.set_read_timeout(Some(WAIT)).unwrap();
    let mut first = [0u8; 512];
    let n = events.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).contains("text/event-stream"));
    let (code, rest) = serve.interrupt();
    assert_eq!(code, Some(0), "{rest}");
    assert!(rest.contains("stopped"), "{rest}");
    assert!(TcpStream::connect(addr).is_err(), "still listening");
}

#[test]
fn a_port_in_use_is_refused_with_a_hint() {
    let dir = fixture();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .arg("serve")
        .arg(dir.path())
        .args(["--port", &port])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    assert!(!stderr.contains("permissions"), "{stderr}");
}

#[test]
fn a_missing_folder_is_refused_at_start() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .arg("serve")
        .arg(tmp.path().join("nope"))
        .args(["--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
}

#[test]
fn listening_beyond_loopback_warns_that_the_handbook_is_visible() {
    let dir = fixture();
    let mut child = Command::new(env!("CARGO_BIN_EXE_rolebook"))
        .arg("serve")
        .arg(dir.path())
        .args(["--port", "0", "--bind", "0.0.0.0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("http://0.0.0.0:"), "{first}");
    Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: listening on 0.0.0.0"), "{stderr}");
    assert!(stderr.contains("confidential"), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}

/// The open page in headless Chromium follows a save and shows a new finding, linked to its
/// row (tests/browser/serve_reload.py): only the page's reload script can make that happen.
#[test]
fn the_open_page_follows_the_files_in_chromium() {
    common::require(&["chromium", "python3"]);
    let dir = fixture();
    let serve = Serve::start(dir.path(), &[]);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/serve_reload.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(serve.url())
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
