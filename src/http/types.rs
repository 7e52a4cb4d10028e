use std::path::PathBuf;
use std::time::Duration;

/// Identifies one request in flight; the caller picks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// A request ready to go on the wire: no variables, no inherited settings.
#[derive(Debug, Clone)]
pub struct PreparedRequest {
    /// Any HTTP token, not only the usual nine (e.g. `PURGE`).
    pub method: String,
    /// Absolute URL with the query string already built.
    pub url: String,
    /// Headers in the order they are sent; names keep the user's case.
    pub headers: Vec<(String, String)>,
    pub body: PreparedBody,
    /// Auth the executor performs on the wire, per hop (a challenge needs
    /// a round trip). Other auth is already in the headers or URL.
    pub auth: Option<HopAuth>,
    pub settings: SendSettings,
}

#[derive(Debug, Clone, Default)]
pub enum PreparedBody {
    #[default]
    Empty,
    Bytes(Vec<u8>),
    /// Streamed from disk when sent, so big uploads don't sit in memory.
    File(PathBuf),
    /// `multipart/form-data`, encoded (files read) when sent.
    Multipart {
        boundary: String,
        parts: Vec<FormPart>,
    },
}

/// One part of a multipart body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormPart {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub value: PartValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartValue {
    Text(String),
    /// Read when the request is sent.
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HopAuth {
    /// RFC 7616: answer the server's 401 challenge once.
    Digest(DigestCredentials),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestCredentials {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HttpVersionPref {
    /// HTTP/1.1 for plain http, ALPN-negotiated (h2 or 1.1) over TLS.
    #[default]
    Auto,
    Http1,
    /// HTTP/2 with prior knowledge for plain http, required over TLS.
    Http2,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendSettings {
    /// Whole-exchange timeout; `None` waits forever.
    pub timeout: Option<Duration>,
    pub follow_redirects: bool,
    pub max_redirects: u32,
    pub verify_tls: bool,
    pub http_version: HttpVersionPref,
    /// Cap on the decoded body; past it the body is cut and
    /// [`Response::truncated`] is set.
    pub max_body_bytes: u64,
    /// A 301/302/303 keeps the method and body (else: GET, no body).
    pub follow_original_method: bool,
    /// `Authorization` goes along to another origin.
    pub follow_authorization_header: bool,
    /// No `Referer` naming the previous URL on a redirect hop.
    pub remove_referer_on_redirect: bool,
    /// The body stays unsent (Postman prunes a GET's body); it is kept in
    /// the request for what scripts and reports show.
    pub omit_body: bool,
}

impl Default for SendSettings {
    fn default() -> Self {
        SendSettings {
            timeout: Some(Duration::from_secs(30)),
            follow_redirects: true,
            max_redirects: 10,
            verify_tls: true,
            http_version: HttpVersionPref::Auto,
            max_body_bytes: 100 * 1024 * 1024,
            follow_original_method: false,
            follow_authorization_header: false,
            remove_referer_on_redirect: false,
            omit_body: false,
        }
    }
}

/// Settings that belong to the executor, not to one request.
#[derive(Debug, Clone, Default)]
pub struct ClientConfig {
    /// Extra CA certificates (PEM) trusted besides the system roots.
    pub ca_file: Option<PathBuf>,
    /// Client certificate chain (PEM); the key may be in the same file.
    pub client_cert: Option<PathBuf>,
    /// Client private key (PEM), when not inside `client_cert`.
    pub client_key: Option<PathBuf>,
    /// Where cookies persist between runs (JSON); `None` keeps them in memory.
    pub cookie_file: Option<PathBuf>,
}

/// Where the decoded response body goes.
pub enum BodyTarget {
    /// Kept in [`Response::body`].
    Memory,
    /// Written as it arrives; [`Response::body`] stays empty, so memory does
    /// not grow with the body.
    Writer(Box<dyn std::io::Write + Send>),
}

impl std::fmt::Debug for BodyTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BodyTarget::Memory => f.write_str("Memory"),
            BodyTarget::Writer(_) => f.write_str("Writer"),
        }
    }
}

#[derive(Debug)]
pub enum Command {
    Send {
        id: RequestId,
        request: Box<PreparedRequest>,
        target: BodyTarget,
    },
    /// Stops the request at once, mid-download too; answered by
    /// `Event::Failed { error: SendError::Cancelled, .. }`.
    Cancel(RequestId),
}

#[derive(Debug)]
pub enum Event {
    Started {
        id: RequestId,
    },
    /// The final response's status and headers, before its body: `-i`
    /// prints them ahead of a streamed body, the TUI shows them early.
    Head {
        id: RequestId,
        head: Box<ResponseHead>,
    },
    /// Decoded body bytes received so far, and the announced length if any.
    Progress {
        id: RequestId,
        received: u64,
        total: Option<u64>,
    },
    Finished {
        id: RequestId,
        response: Box<Response>,
    },
    Failed {
        id: RequestId,
        error: SendError,
    },
}

impl Event {
    pub fn id(&self) -> RequestId {
        match self {
            Event::Started { id }
            | Event::Head { id, .. }
            | Event::Progress { id, .. }
            | Event::Finished { id, .. }
            | Event::Failed { id, .. } => *id,
        }
    }
}

/// A response header; the value is raw bytes because servers send non-UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub name: String,
    pub value: Vec<u8>,
}

impl SendError {
    /// Writing the body failed with `e`.
    pub fn write(e: &std::io::Error) -> SendError {
        SendError::Write {
            kind: e.kind(),
            message: e.to_string(),
        }
    }
}

impl Header {
    /// The value as text, with invalid UTF-8 replaced (U+FFFD).
    pub fn value_lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.value)
    }
}

/// Status line and headers of the final response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    pub status: u16,
    pub reason: String,
    pub version: String,
    pub headers: Vec<Header>,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectHop {
    pub status: u16,
    pub url: String,
    pub location: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timings {
    /// From the start of the send to the first response header byte of the
    /// final response (includes redirects).
    pub ttfb: Duration,
    /// From the start of the send to the last body byte.
    pub total: Duration,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    /// Canonical reason phrase for the status, if any.
    pub reason: String,
    /// "HTTP/1.1", "HTTP/2", ...
    pub version: String,
    /// In the order received; repeated names appear repeatedly.
    pub headers: Vec<Header>,
    /// Decoded body (empty when it went to a `BodyTarget::Writer`).
    pub body: Vec<u8>,
    /// Body bytes as received on the wire (before content decoding).
    pub wire_size: u64,
    /// Body bytes after content decoding.
    pub decoded_size: u64,
    /// The body was cut at `SendSettings::max_body_bytes`.
    pub truncated: bool,
    /// Hops before the final response, in order.
    pub redirects: Vec<RedirectHop>,
    /// URL of the final response.
    pub url: String,
    pub timings: Timings,
    /// The jar's cookies for the final URL once the response was stored
    /// (what Postman's scripts see as the response's cookies).
    pub cookies: Vec<JarCookie>,
}

/// A cookie as the jar keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JarCookie {
    pub name: String,
    pub value: String,
    pub domain: Option<String>,
    pub path: Option<String>,
    /// RFC 3339, when the cookie is not a session cookie.
    pub expires: Option<String>,
    pub http_only: bool,
    pub secure: bool,
}

/// Why a send failed; each variant says what the user needs to fix it.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("could not resolve host `{host}`")]
    Dns { host: String },
    #[error("connection refused by {host}")]
    Refused { host: String },
    #[error("could not connect to {host}: {message}")]
    Connect { host: String, message: String },
    #[error("TLS error with {host}: {message}")]
    Tls { host: String, message: String },
    #[error("timed out after {0:?}")]
    Timeout(Duration),
    #[error("too many redirects (more than {0})")]
    TooManyRedirects(u32),
    #[error("reading {path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("writing the body: {message}")]
    Write {
        /// `BrokenPipe` when the reader went away (`| head`).
        kind: std::io::ErrorKind,
        message: String,
    },
    #[error("{0}")]
    Protocol(String),
    #[error("cancelled")]
    Cancelled,
}
