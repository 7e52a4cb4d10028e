//! One HTTP/1.1 exchange whose request-target is written exactly as given.
//!
//! Why it exists: reqwest takes a `url::Url` and hyper an `http::Uri`; the
//! first removes `/./` segments and encodes some characters, the second
//! refuses others (`"`, `{`, `|`, ...). Postman sends them as written, and
//! servers see the difference (see [`super::target`]). Only such requests
//! come here; everything else stays on reqwest and its connection pool.
//!
//! It makes a new connection (plain TCP, or TLS with postie's rustls setup
//! and its hooks into the hop's probe), writes the head and body, reads the
//! response head with `httparse` and hands back a `reqwest::Response` whose
//! body is framed by Content-Length, chunked coding or the connection's
//! close. The exchange's own code then decodes it, follows redirects and
//! retries digest auth as for any response.

use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::ResponseBuilderExt;
use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use url::Url;

use super::errors::{classify_io, host_of};
use super::timing;
use super::SendError;

/// Largest response head (status line and headers) accepted.
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Most header fields in a response head.
const MAX_HEADERS: usize = 128;
/// Longest chunk-size or trailer line.
const MAX_LINE: usize = 4096;

trait Io: AsyncRead + AsyncWrite + Send + Unpin {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin> Io for T {}

/// The body to send after the head.
pub(crate) enum RawBody<'a> {
    Empty,
    Bytes(&'a [u8]),
    /// Streamed from disk; its length is already in the headers.
    File(&'a Path),
}

/// What to send: `headers` are the complete list in order (Host first), as
/// `exchange::sent_headers` gives it.
pub(crate) struct RawRequest<'a> {
    pub method: &'a str,
    pub url: &'a Url,
    pub target: &'a str,
    pub headers: &'a [(String, String)],
    pub body: RawBody<'a>,
    /// `Some` for https: postie's rustls config (ALPN http/1.1).
    pub tls: Option<Arc<rustls::ClientConfig>>,
    pub connect_timeout: Duration,
}

fn protocol(host: &str, what: impl std::fmt::Display) -> SendError {
    SendError::Protocol(format!("{what} from {host}"))
}

/// Sends `req` and reads the response head; the body is read as the
/// returned response is consumed. Runs inside the hop's probe scope: it
/// records the moments (lookup, connect, TLS, sent) as the connector does.
pub(crate) async fn send(
    req: RawRequest<'_>,
) -> Result<(reqwest::Response, SocketAddr), SendError> {
    let host = host_of(req.url);
    let (mut io, remote) =
        match tokio::time::timeout(req.connect_timeout, connect(req.url, req.tls.clone())).await {
            Ok(r) => r?,
            Err(_) => return Err(SendError::Timeout(req.connect_timeout)),
        };
    let wire_error = |e: io::Error| SendError::Protocol(format!("sending to {host}: {e}"));

    let mut head = Vec::with_capacity(256 + req.target.len());
    for part in [req.method, " ", req.target, " HTTP/1.1\r\n"] {
        head.extend_from_slice(part.as_bytes());
    }
    for (name, value) in req.headers {
        head.extend_from_slice(title_case(name).as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    match req.body {
        RawBody::Empty => io.write_all(&head).await.map_err(wire_error)?,
        RawBody::Bytes(b) => {
            // One write for head and a small body: no delayed second packet.
            if b.len() <= 64 * 1024 {
                head.extend_from_slice(b);
                io.write_all(&head).await.map_err(wire_error)?;
            } else {
                io.write_all(&head).await.map_err(wire_error)?;
                io.write_all(b).await.map_err(wire_error)?;
            }
        }
        RawBody::File(path) => {
            let mut file = tokio::fs::File::open(path)
                .await
                .map_err(|e| SendError::File {
                    path: path.to_path_buf(),
                    message: e.to_string(),
                })?;
            io.write_all(&head).await.map_err(wire_error)?;
            tokio::io::copy(&mut file, &mut io)
                .await
                .map_err(wire_error)?;
        }
    }
    io.flush().await.map_err(wire_error)?;
    let now = Instant::now();
    timing::record(|s| {
        s.body_end.get_or_insert(now);
    });

    let mut reader = Reader {
        io,
        buf: BytesMut::with_capacity(8 * 1024),
    };
    let head = loop {
        let head = reader.head(&host).await?;
        // Interim answers (100 Continue, 103 Early Hints) come before the real one.
        if !(100..200).contains(&head.status) || head.status == 101 {
            break head;
        }
    };
    let framing = framing(req.method, &head, &host)?;
    let body = BodyReader {
        reader,
        framing,
        host: host.clone(),
    };
    let stream = futures_util::stream::unfold(body, |mut b| async move {
        match b.next().await {
            Ok(Some(chunk)) => Some((Ok(chunk), b)),
            Ok(None) => None,
            Err(e) => {
                b.framing = Framing::Done;
                Some((Err(e), b))
            }
        }
    });
    let mut builder = hyper::Response::builder()
        .status(head.status)
        .version(head.version)
        .url(req.url.clone());
    if let Some(h) = builder.headers_mut() {
        *h = head.headers;
    }
    let response = builder
        .body(reqwest::Body::wrap_stream(stream))
        .map_err(|e| protocol(&host, format!("unusable response ({e})")))?;
    Ok((reqwest::Response::from(response), remote))
}

/// `content-type` as hyper's title-case option writes it: `Content-Type`.
fn title_case(name: &str) -> String {
    let mut up = true;
    name.chars()
        .map(|c| {
            let out = if up { c.to_ascii_uppercase() } else { c };
            up = c == '-';
            out
        })
        .collect()
}

/// A new connection to `url`'s host: lookup, TCP, then TLS for https.
async fn connect(
    url: &Url,
    tls: Option<Arc<rustls::ClientConfig>>,
) -> Result<(Box<dyn Io>, SocketAddr), SendError> {
    let host = host_of(url);
    let name = url
        .host_str()
        .ok_or_else(|| SendError::InvalidRequest(format!("no host in `{url}`")))?
        .trim_matches(['[', ']'])
        .to_string();
    let port = url
        .port_or_known_default()
        .ok_or_else(|| SendError::InvalidRequest(format!("no port for `{url}`")))?;
    let start = Instant::now();
    timing::record(|s| s.connect_start = Some(start));
    let addrs: Vec<SocketAddr> = match name.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => {
            let found = tokio::net::lookup_host((name.as_str(), port)).await;
            match found {
                Ok(found) => {
                    let now = Instant::now();
                    timing::record(|s| s.dns_end = Some(now));
                    found.collect()
                }
                Err(_) => {
                    timing::record(|s| s.dns_failed = true);
                    return Err(SendError::Dns { host: name.clone() });
                }
            }
        }
    };
    let mut last: Option<io::Error> = None;
    let mut tcp = None;
    for addr in &addrs {
        match TcpStream::connect(addr).await {
            Ok(s) => {
                tcp = Some((s, *addr));
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let Some((tcp, remote)) = tcp else {
        let e = last.unwrap_or_else(|| io::Error::other("the name has no address"));
        return Err(classify_io(&e, &host, &timing::seen_now()));
    };
    // Nagle would hold back a body written after the head.
    let _ = tcp.set_nodelay(true);
    let io: Box<dyn Io> = match tls {
        None => Box::new(tcp),
        Some(config) => {
            let now = Instant::now();
            timing::record(|s| {
                s.tcp_end.get_or_insert(now);
            });
            let server = ServerName::try_from(name.clone()).map_err(|_| {
                SendError::InvalidRequest(format!("`{name}` is not a TLS server name"))
            })?;
            let stream = tokio_rustls::TlsConnector::from(config)
                .connect(server, tcp)
                .await
                .map_err(|e| classify_io(&e, &host, &timing::seen_now()))?;
            Box::new(stream)
        }
    };
    let now = Instant::now();
    timing::record(|s| s.connect_end = Some(now));
    Ok((io, remote))
}

/// A parsed response head.
struct Head {
    status: u16,
    version: reqwest::Version,
    headers: HeaderMap,
}

/// The connection and what has been read from it but not used yet.
struct Reader {
    io: Box<dyn Io>,
    buf: BytesMut,
}

impl Reader {
    /// Reads more into the buffer; 0 at the end of the stream.
    async fn fill(&mut self) -> io::Result<usize> {
        self.buf.reserve(16 * 1024);
        self.io.read_buf(&mut self.buf).await
    }

    /// One response head, at most [`MAX_HEAD`] bytes.
    async fn head(&mut self, host: &str) -> Result<Head, SendError> {
        loop {
            let mut fields = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut parsed = httparse::Response::new(&mut fields);
            match parsed.parse(&self.buf) {
                Ok(httparse::Status::Complete(len)) => {
                    let status = parsed.code.unwrap_or(0);
                    let version = match parsed.version {
                        Some(0) => reqwest::Version::HTTP_10,
                        _ => reqwest::Version::HTTP_11,
                    };
                    let mut headers = HeaderMap::new();
                    for f in parsed.headers.iter() {
                        let name = HeaderName::from_bytes(f.name.as_bytes());
                        let value = HeaderValue::from_bytes(f.value);
                        match (name, value) {
                            (Ok(n), Ok(v)) => {
                                headers.append(n, v);
                            }
                            _ => {
                                return Err(protocol(
                                    host,
                                    format!("invalid response header `{}`", f.name),
                                ))
                            }
                        }
                    }
                    let _ = self.buf.split_to(len);
                    return Ok(Head {
                        status,
                        version,
                        headers,
                    });
                }
                Ok(httparse::Status::Partial) => {}
                Err(e) => return Err(protocol(host, format!("malformed response ({e})"))),
            }
            if self.buf.len() >= MAX_HEAD {
                return Err(protocol(
                    host,
                    format!("response head larger than {} KiB", MAX_HEAD / 1024),
                ));
            }
            let n = self
                .fill()
                .await
                .map_err(|e| protocol(host, format!("reading the response ({e})")))?;
            if n == 0 {
                return Err(protocol(
                    host,
                    "connection closed before a complete response head",
                ));
            }
        }
    }

    /// One CRLF- (or LF-) terminated line, without its ending.
    async fn line(&mut self) -> io::Result<Bytes> {
        loop {
            if let Some(i) = self.buf.iter().position(|&b| b == b'\n') {
                let mut line = self.buf.split_to(i + 1).freeze();
                line.truncate(i);
                if line.ends_with(b"\r") {
                    line.truncate(i - 1);
                }
                return Ok(line);
            }
            if self.buf.len() > MAX_LINE {
                return Err(bad("chunk line too long"));
            }
            if self.fill().await? == 0 {
                return Err(eof("the chunked body ended early"));
            }
        }
    }
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn eof(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, what.to_string())
}

/// How the body's end is known (RFC 9112, section 6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// This many bytes are left.
    Length {
        left: u64,
        of: u64,
    },
    /// `left` bytes of the current chunk remain (0: a size line is next).
    Chunked {
        left: u64,
    },
    /// Until the server closes the connection.
    Close,
    Done,
}

fn framing(method: &str, head: &Head, host: &str) -> Result<Framing, SendError> {
    if method.eq_ignore_ascii_case("HEAD")
        || (100..200).contains(&head.status)
        || head.status == 204
        || head.status == 304
    {
        return Ok(Framing::Done);
    }
    let codings: Vec<String> = head
        .headers
        .get_all(reqwest::header::TRANSFER_ENCODING)
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .collect::<Vec<_>>()
        })
        .filter(|s| !s.is_empty())
        .collect();
    if !codings.is_empty() {
        return Ok(if codings.last().is_some_and(|c| c == "chunked") {
            Framing::Chunked { left: 0 }
        } else {
            Framing::Close
        });
    }
    let mut length: Option<u64> = None;
    for v in head.headers.get_all(reqwest::header::CONTENT_LENGTH) {
        for part in String::from_utf8_lossy(v.as_bytes()).split(',') {
            let n: u64 = part
                .trim()
                .parse()
                .map_err(|_| protocol(host, format!("invalid Content-Length {v:?}")))?;
            if length.is_some_and(|l| l != n) {
                return Err(protocol(host, "conflicting Content-Length values"));
            }
            length = Some(n);
        }
    }
    Ok(match length {
        Some(n) => Framing::Length { left: n, of: n },
        None => Framing::Close,
    })
}

/// Yields the body's bytes as its framing allows.
struct BodyReader {
    reader: Reader,
    framing: Framing,
    host: String,
}

impl BodyReader {
    async fn next(&mut self) -> io::Result<Option<Bytes>> {
        loop {
            match self.framing {
                Framing::Done | Framing::Length { left: 0, .. } => {
                    self.framing = Framing::Done;
                    return Ok(None);
                }
                Framing::Length { left, of } => {
                    if self.reader.buf.is_empty() && self.reader.fill().await? == 0 {
                        return Err(eof(&format!(
                            "{} closed the connection after {} of {of} body bytes",
                            self.host,
                            of - left
                        )));
                    }
                    let n = (self.reader.buf.len() as u64).min(left);
                    self.framing = Framing::Length { left: left - n, of };
                    return Ok(Some(self.reader.buf.split_to(n as usize).freeze()));
                }
                Framing::Close => {
                    if self.reader.buf.is_empty() && self.reader.fill().await? == 0 {
                        self.framing = Framing::Done;
                        return Ok(None);
                    }
                    let all = self.reader.buf.len();
                    return Ok(Some(self.reader.buf.split_to(all).freeze()));
                }
                Framing::Chunked { left: 0 } => {
                    let line = self.reader.line().await?;
                    let size = chunk_size(&line)?;
                    if size == 0 {
                        // Trailer fields, then the empty line that ends the body.
                        while !self.reader.line().await?.is_empty() {}
                        self.framing = Framing::Done;
                        return Ok(None);
                    }
                    self.framing = Framing::Chunked { left: size };
                }
                Framing::Chunked { left } => {
                    if self.reader.buf.is_empty() && self.reader.fill().await? == 0 {
                        return Err(eof("the chunked body ended early"));
                    }
                    let n = (self.reader.buf.len() as u64).min(left);
                    let data = self.reader.buf.split_to(n as usize).freeze();
                    if n == left && !self.reader.line().await?.is_empty() {
                        return Err(bad("no line end after a chunk"));
                    }
                    self.framing = Framing::Chunked { left: left - n };
                    return Ok(Some(data));
                }
            }
        }
    }
}

/// The hexadecimal size at the start of a chunk line (extensions after `;`).
fn chunk_size(line: &[u8]) -> io::Result<u64> {
    let text = std::str::from_utf8(line).map_err(|_| bad("invalid chunk size"))?;
    let digits = text.split(';').next().unwrap_or("").trim();
    if digits.is_empty() || digits.len() > 15 {
        return Err(bad("invalid chunk size"));
    }
    u64::from_str_radix(digits, 16).map_err(|_| bad("invalid chunk size"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_title_cased_as_hyper_does() {
        assert_eq!(title_case("content-type"), "Content-Type");
        assert_eq!(title_case("x-api-key"), "X-Api-Key");
        assert_eq!(title_case("host"), "Host");
    }

    #[test]
    fn chunk_sizes_parse_with_extensions_and_refuse_garbage() {
        assert_eq!(chunk_size(b"1a").unwrap(), 26);
        assert_eq!(chunk_size(b"A;name=v").unwrap(), 10);
        assert_eq!(chunk_size(b"0").unwrap(), 0);
        assert!(chunk_size(b"").is_err());
        assert!(chunk_size(b"zz").is_err());
        assert!(chunk_size(b"ffffffffffffffffff").is_err());
    }
}
