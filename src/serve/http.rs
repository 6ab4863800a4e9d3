//! The little HTTP/1.1 the preview needs, strict and bounded: one request per connection
//! (`Connection: close`), GET and HEAD only, a request head of at most [`MAX_HEAD`] bytes read
//! within [`TIMEOUT`], no request body. Anything else is answered with a 4xx/5xx and closed.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

/// The longest request head accepted (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;

/// How long a client has to send its request head, and to take each write.
pub const TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
}

/// A request as the server uses it: the method, the path (without query), the Host header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub method: Method,
    /// The target's path as sent (percent-encoding kept): only exact routes match it.
    pub path: String,
    pub host: Option<String>,
}

/// Why a request is refused before it is routed: the status and a line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub message: &'static str,
}

const fn refuse(status: u16, message: &'static str) -> Refusal {
    Refusal { status, message }
}

/// Reads one request head from `stream` and parses it. `Err(None)` when the client went away
/// or timed out before sending a whole head (nothing to answer).
pub fn read_request(stream: &mut impl Read) -> Result<Request, Option<Refusal>> {
    let started = Instant::now();
    let mut head = Vec::with_capacity(1024);
    let mut chunk = [0u8; 2048];
    loop {
        if let Some(end) = find_end(&head) {
            head.truncate(end);
            break;
        }
        if head.len() > MAX_HEAD {
            return Err(Some(refuse(431, "request head too large")));
        }
        if started.elapsed() > TIMEOUT {
            return Err(None);
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return Err(None),
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    parse(&head).map_err(Some)
}

/// The length of the head up to the blank line that ends it.
fn find_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n")
}

/// Parses a request head (without the final blank line).
pub fn parse(head: &[u8]) -> Result<Request, Refusal> {
    let bad = refuse(400, "bad request");
    let text = std::str::from_utf8(head).map_err(|_| bad.clone())?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().ok_or_else(|| bad.clone())?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad);
    };
    if method.is_empty() || !method.bytes().all(is_token) {
        return Err(bad);
    }
    let http11 = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        v if v.starts_with("HTTP/") => {
            return Err(refuse(505, "only HTTP/1.0 and HTTP/1.1 are spoken here"));
        }
        _ => return Err(bad),
    };
    let method = match method {
        "GET" => Method::Get,
        "HEAD" => Method::Head,
        _ => return Err(refuse(405, "only GET and HEAD are allowed")),
    };
    // Origin form only: `/path?query`. No absolute URLs, no `*`.
    if !target.starts_with('/') || target.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(refuse(400, "the request target must be a path"));
    }
    let path = target
        .split(['?', '#'])
        .next()
        .unwrap_or(target)
        .to_string();

    let mut host = None;
    let mut hosts = 0;
    for line in lines {
        // Obsolete line folding and lines without a name are refused, as RFC 9112 allows.
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad);
        };
        if name.is_empty() || !name.bytes().all(is_token) {
            return Err(bad);
        }
        let value = value.trim_matches([' ', '\t']);
        if name.eq_ignore_ascii_case("host") {
            hosts += 1;
            host = Some(value.to_string());
        } else if name.eq_ignore_ascii_case("transfer-encoding")
            || (name.eq_ignore_ascii_case("content-length") && value != "0")
        {
            return Err(refuse(400, "a request body is not accepted"));
        }
    }
    if hosts > 1 || (http11 && hosts == 0) {
        return Err(refuse(400, "a request needs exactly one Host header"));
    }
    Ok(Request { method, path, host })
}

/// RFC 9110 token characters (method and header names).
fn is_token(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Whether `host` (a Host header, with or without port) names this machine's loopback: what
/// a browser sends for `localhost`, `127.0.0.1` or `[::1]`. A page of another site that
/// re-points its name to 127.0.0.1 (DNS rebinding) still sends its own name, and is refused.
pub fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((inside, _)) => inside,
            None => return false,
        }
    } else {
        host.rsplit_once(':').map_or(host, |(name, _)| name)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A response: status, content type, extra headers, body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, &'static str)>,
    pub body: std::sync::Arc<str>,
}

impl Response {
    pub fn new(
        status: u16,
        content_type: &'static str,
        body: impl Into<std::sync::Arc<str>>,
    ) -> Self {
        Response {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A plain-text answer, for errors.
    pub fn text(status: u16, message: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", format!("{message}\n"))
    }

    pub fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Writes the response; the body only when `with_body` (not for HEAD).
    pub fn write(&self, out: &mut impl Write, with_body: bool) -> std::io::Result<()> {
        let mut head = status_line(self.status);
        head.push_str(&format!(
            "Content-Type: {}\r\nContent-Length: {}\r\n",
            self.content_type,
            self.body.len()
        ));
        if self.status == 405 {
            head.push_str("Allow: GET, HEAD\r\n");
        }
        for (name, value) in common_headers().iter().chain(&self.headers) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        out.write_all(head.as_bytes())?;
        if with_body {
            out.write_all(self.body.as_bytes())?;
        }
        out.flush()
    }
}

/// The headers of every answer: nothing is cached (every load shows the latest build), no
/// type sniffing, no referrer, one request per connection.
fn common_headers() -> [(&'static str, &'static str); 4] {
    [
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Connection", "close"),
    ]
}

/// The head of a `text/event-stream` answer: the stream goes on until the connection ends.
pub fn write_event_stream_head(out: &mut impl Write) -> std::io::Result<()> {
    let mut head = status_line(200);
    head.push_str("Content-Type: text/event-stream\r\n");
    for (name, value) in common_headers() {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    out.flush()
}

fn status_line(status: u16) -> String {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Error",
    };
    format!("HTTP/1.1 {status} {reason}\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(head: &str) -> Result<Request, Refusal> {
        parse(head.as_bytes())
    }

    #[test]
    fn reads_get_and_head_with_their_path_and_host() {
        let r =
            req("GET /handbook.html?x=1 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nAccept: */*").unwrap();
        assert_eq!(r.method, Method::Get);
        assert_eq!(r.path, "/handbook.html");
        assert_eq!(r.host.as_deref(), Some("127.0.0.1:3000"));
        assert_eq!(req("HEAD / HTTP/1.0").unwrap().method, Method::Head);
    }

    #[test]
    fn refuses_what_the_preview_does_not_speak() {
        let status = |h: &str| req(h).unwrap_err().status;
        assert_eq!(status("POST / HTTP/1.1\r\nHost: a"), 405);
        assert_eq!(status("GET / HTTP/2.0\r\nHost: a"), 505);
        assert_eq!(status("GET http://a/ HTTP/1.1\r\nHost: a"), 400);
        assert_eq!(status("GET / HTTP/1.1"), 400, "HTTP/1.1 without Host");
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b"), 400);
        assert_eq!(status("GET / HTTP/1.1\r\nHost: a\r\n folded"), 400);
        assert_eq!(
            status("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5"),
            400
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked"),
            400
        );
        assert_eq!(status("GET  / HTTP/1.1\r\nHost: a"), 400);
        assert_eq!(status("GET / HTTP/1.1 x\r\nHost: a"), 400);
    }

    #[test]
    fn a_head_too_large_is_refused_without_reading_on() {
        let mut big = b"GET / HTTP/1.1\r\nHost: a\r\nX: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', MAX_HEAD * 2));
        let mut input: &[u8] = &big;
        assert_eq!(read_request(&mut input).unwrap_err().unwrap().status, 431);
        let mut cut: &[u8] = b"GET / HTTP/1.1\r\nHost";
        assert_eq!(read_request(&mut cut).unwrap_err(), None);
    }

    #[test]
    fn only_loopback_names_are_loopback_hosts() {
        for h in [
            "localhost",
            "localhost:3000",
            "127.0.0.1:3000",
            "[::1]:80",
            "a.localhost",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in [
            "evil.example:3000",
            "10.0.0.1",
            "[::1",
            "localhost.evil.example",
        ] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}
