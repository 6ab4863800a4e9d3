//! `rolebook serve`: a live preview of the handbook, rebuilt when a file changes.
//!
//! `load -> check -> render` as `build --to html` does it ([`site::build`]), kept in memory
//! and served over a small, strict HTTP ([`http`]) on loopback by default. A watcher polls the
//! files ([`watch`]) and builds again once a save has settled (two polls); the page learns of
//! it through Server-Sent Events and reloads itself. Only what was built is served, from memory: no URL
//! reaches the file system.

pub mod http;
pub mod site;
pub mod watch;

use std::io::Write;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{Method, Request, Response};
use site::{Attempt, Handbook, Status};
use watch::{POLL, Settle, Stamp};

use crate::model::Date;
use crate::render::Edition;

/// The reload script's path.
pub const LIVE_JS: &str = "/_rolebook/live.js";
/// The status panel alone (what the script fetches after a change).
pub const STATUS: &str = "/_rolebook/status";
/// The event stream that says when something changed.
pub const EVENTS: &str = "/_rolebook/events";

/// Connections served at once; more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 64;
/// How often an idle event stream is written to, so a closed page is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The preview page's policy: its own script and styles, the handbook in a frame from here,
/// event stream and panel from here, nothing from elsewhere; no site may frame it.
const PAGE_CSP: &str = "default-src 'none'; script-src 'self'; connect-src 'self'; \
frame-src 'self'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; \
form-action 'none'; frame-ancestors 'none'";
/// The handbook's policy, as its own `<meta>` has it, and framed only by the preview page.
const BOOK_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; \
base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct Config {
    /// The positions folder.
    pub dir: PathBuf,
    pub edition: Edition,
    /// A templates folder, as `build --templates` takes it (watched too).
    pub templates: Option<PathBuf>,
    /// The cover date's last fallback (`SOURCE_DATE_EPOCH`).
    pub source_date: Option<Date>,
    pub addr: SocketAddr,
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "failed to listen on {addr} ({source}): another program (maybe another `rolebook \
         serve`) uses the port; choose another with --port, e.g. --port {next}, or --port 0 \
         for any free one"
    )]
    InUse {
        addr: SocketAddr,
        next: u16,
        source: std::io::Error,
    },
    #[error(
        "failed to listen on {addr} ({source}); choose another address or port (--bind, --port)"
    )]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error(transparent)]
    Load(#[from] crate::load::LoadError),
}

/// What is shown now; replaced whole after every build.
struct Shown {
    version: u64,
    book_version: u64,
    handbook: Option<Handbook>,
    status: Arc<str>,
    page: Arc<str>,
    /// The last build (kept for the next panel).
    attempt: Attempt,
}

struct Shared {
    config: Config,
    shown: Mutex<Shown>,
    changed: Condvar,
    stop: AtomicBool,
    active: AtomicUsize,
}

impl Shared {
    fn shown(&self) -> MutexGuard<'_, Shown> {
        // A panic elsewhere while holding the lock leaves a state that is still whole.
        self.shown.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Shows a build: a new handbook when it made one, else the last good one with its reason.
    fn show(&self, attempt: Attempt) {
        let mut shown = self.shown();
        let (version, book_version) = (shown.version + 1, shown.book_version);
        let (handbook, book_version) = match &attempt.handbook {
            Some(h) if shown.handbook.as_ref().map(|s| &s.html) != Some(&h.html) => {
                (Some(h.clone()), book_version + 1)
            }
            _ => (shown.handbook.clone(), book_version),
        };
        *shown = render(&self.config, attempt, handbook, version, book_version);
        drop(shown);
        self.changed.notify_all();
    }
}

fn render(
    config: &Config,
    attempt: Attempt,
    handbook: Option<Handbook>,
    version: u64,
    book_version: u64,
) -> Shown {
    let status = Status {
        config,
        attempt: &attempt,
        handbook: handbook.as_ref(),
        version,
        book_version,
        at: SystemTime::now(),
    };
    let (status_html, page) = (status.html(), status.page());
    Shown {
        version,
        book_version,
        handbook,
        status: status_html.into(),
        page: page.into(),
        attempt,
    }
}

/// A preview listening and built once, ready to [`Server::run`].
pub struct Server {
    listener: TcpListener,
    shared: Arc<Shared>,
    settle: Settle,
}

impl Server {
    /// Listens on `config.addr` and builds the handbook once. A folder that is not there is an
    /// error here (later, while serving, it is shown on the page until it comes back).
    pub fn start(config: Config) -> Result<Server, ServeError> {
        let listener = TcpListener::bind(config.addr).map_err(|source| {
            let addr = config.addr;
            if source.kind() == std::io::ErrorKind::AddrInUse {
                ServeError::InUse {
                    addr,
                    next: addr.port().wrapping_add(1).max(1),
                    source,
                }
            } else {
                ServeError::Listen { addr, source }
            }
        })?;
        crate::load::source_files(&config.dir)?;
        let stamp = Stamp::take(&config.dir, config.templates.as_deref());
        let attempt = site::build(&config);
        // Versions start from the clock, so a page left open across a restart reloads.
        let base = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_millis() as u64);
        let handbook = attempt.handbook.clone();
        let shown = render(&config, attempt, handbook, base, base);
        Ok(Server {
            listener,
            shared: Arc::new(Shared {
                config,
                shown: Mutex::new(shown),
                changed: Condvar::new(),
                stop: AtomicBool::new(false),
                active: AtomicUsize::new(0),
            }),
            settle: Settle::new(stamp),
        })
    }

    /// The address listened on (the real port when 0 was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The terminal's line about the first build.
    pub fn first_build(&self) -> String {
        self.shared.shown().attempt.line()
    }

    /// Serves until `stop` receives (or its sender is dropped), building again whenever the
    /// files change; `log` gets a line after each build. Returns once every connection ended
    /// (event streams are closed; a request still being answered gets two seconds).
    pub fn run(
        self,
        stop: std::sync::mpsc::Receiver<()>,
        log: impl Fn(&str) + Send + 'static,
    ) -> std::io::Result<()> {
        let addr = self.listener.local_addr()?;
        let shared = self.shared;
        let watcher = {
            let shared = Arc::clone(&shared);
            let mut settle = self.settle;
            std::thread::spawn(move || watch_loop(&shared, &mut settle, log))
        };
        let acceptor = {
            let shared = Arc::clone(&shared);
            let listener = self.listener;
            std::thread::spawn(move || accept_loop(&shared, &listener))
        };
        let _ = stop.recv();
        shared.stop.store(true, Ordering::SeqCst);
        shared.changed.notify_all();
        // The acceptor waits in accept(): a connection of our own wakes it to see the flag.
        let _ = TcpStream::connect_timeout(&wake_addr(addr), Duration::from_secs(1));
        let _ = acceptor.join();
        let _ = watcher.join();
        let deadline = std::time::Instant::now() + Duration::from_secs(2);
        while shared.active.load(Ordering::SeqCst) > 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        Ok(())
    }
}

/// Where to connect to reach a listener on `addr` (a wildcard address through loopback).
fn wake_addr(addr: SocketAddr) -> SocketAddr {
    let ip = match addr.ip() {
        ip if ip.is_unspecified() && ip.is_ipv4() => std::net::Ipv4Addr::LOCALHOST.into(),
        ip if ip.is_unspecified() => std::net::Ipv6Addr::LOCALHOST.into(),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port())
}

fn watch_loop(shared: &Shared, settle: &mut Settle, log: impl Fn(&str)) {
    let config = &shared.config;
    loop {
        {
            let shown = shared.shown();
            let (_guard, _) = shared
                .changed
                .wait_timeout_while(shown, POLL, |_| !shared.stop.load(Ordering::SeqCst))
                .unwrap_or_else(|e| e.into_inner());
        }
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        if settle.look(Stamp::take(&config.dir, config.templates.as_deref())) {
            settle.built();
            let attempt = site::build(config);
            log(&attempt.line());
            shared.show(attempt);
        }
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    for stream in listener.incoming() {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let Ok(mut stream) = stream else {
            // Out of file descriptors and the like: wait a little rather than spin.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let _ = stream.set_read_timeout(Some(http::TIMEOUT));
        let _ = stream.set_write_timeout(Some(http::TIMEOUT));
        if shared.active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.active.fetch_sub(1, Ordering::SeqCst);
            let _ = Response::text(503, "too many connections; try again").write(&mut stream, true);
            continue;
        }
        let shared = Arc::clone(shared);
        let spawned = std::thread::Builder::new().spawn(move || {
            serve_connection(&shared, &mut stream);
            shared.active.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn serve_connection(shared: &Shared, stream: &mut TcpStream) {
    let request = match http::read_request(stream) {
        Ok(r) => r,
        Err(Some(refusal)) => {
            let _ = Response::text(refusal.status, refusal.message).write(stream, true);
            linger(stream);
            return;
        }
        Err(None) => return,
    };
    let with_body = request.method == Method::Get;
    if request.path == EVENTS && with_body && allowed_host(shared, &request) {
        events(shared, stream);
        return;
    }
    let response = respond(shared, &request);
    let _ = response.write(stream, with_body);
}

/// Closes a connection whose request was not read to its end without losing the answer:
/// closing with unread input would reset the connection, and the client might never see the
/// status. What is left is read and dropped, for a second and 64 KiB at most.
fn linger(stream: &mut TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    let mut left: usize = 64 * 1024;
    let mut buf = [0u8; 4096];
    while left > 0 {
        match std::io::Read::read(stream, &mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => left = left.saturating_sub(n),
        }
    }
}

/// Bound to loopback, the preview answers only requests made to a loopback name, so a web
/// page whose name was re-pointed to 127.0.0.1 cannot read the handbook.
fn allowed_host(shared: &Shared, request: &Request) -> bool {
    if !shared.config.addr.ip().is_loopback() {
        return true;
    }
    request.host.as_deref().is_none_or(http::is_loopback_host)
}

/// The answer to a request: only the fixed routes, from memory.
fn respond(shared: &Shared, request: &Request) -> Response {
    if !allowed_host(shared, request) {
        return Response::text(
            403,
            "this preview answers only to localhost, 127.0.0.1 and [::1]",
        );
    }
    let book = format!("/{}.html", shared.config.edition.stem());
    let shown = shared.shown();
    match request.path.as_str() {
        "/" | "/index.html" => Response::new(200, "text/html; charset=utf-8", shown.page.clone())
            .header("Content-Security-Policy", PAGE_CSP),
        path if path == book => {
            let body = shown
                .handbook
                .as_ref()
                .map_or_else(|| Arc::from(site::no_handbook()), |h| h.html.clone());
            Response::new(200, "text/html; charset=utf-8", body)
                .header("Content-Security-Policy", BOOK_CSP)
        }
        STATUS => Response::new(200, "text/html; charset=utf-8", shown.status.clone())
            .header("Content-Security-Policy", "default-src 'none'"),
        LIVE_JS => Response::new(
            200,
            "text/javascript; charset=utf-8",
            include_str!("live.js"),
        ),
        EVENTS => Response::new(200, "text/event-stream", ""),
        _ => Response::text(404, "not found"),
    }
}

/// The event stream: the current version at once, then each new one, with a comment every
/// [`KEEPALIVE`] so a page that went away is noticed. Ends when the server stops.
fn events(shared: &Shared, stream: &mut TcpStream) {
    if http::write_event_stream_head(stream).is_err()
        || stream.write_all(b"retry: 1000\n\n").is_err()
    {
        return;
    }
    let mut sent = 0;
    loop {
        let version = {
            let shown = shared.shown();
            let (shown, _) = shared
                .changed
                .wait_timeout_while(shown, KEEPALIVE, |s| {
                    s.version == sent && !shared.stop.load(Ordering::SeqCst)
                })
                .unwrap_or_else(|e| e.into_inner());
            shown.version
        };
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let message = if version == sent {
            ": keep-alive\n\n".to_string()
        } else {
            sent = version;
            format!("data: {version}\n\n")
        };
        if stream
            .write_all(message.as_bytes())
            .and_then(|()| stream.flush())
            .is_err()
        {
            return;
        }
    }
}
