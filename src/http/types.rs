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
    /// The URL's path and query are percent-encoded as Postman encodes them
    /// (WHATWG's sets). `false` (Postman's `disableUrlEncoding`) sends every
    /// printable character as written; only controls, spaces and non-ASCII
    /// are encoded, which a request line cannot carry.
    pub encode_url: bool,
    /// A redirect from https to http is followed (else refused).
    pub allow_downgrade: bool,
    /// Headers the request's auth put on it (an API key's, a session
    /// token's): like `Authorization`, they never go to another origin.
    pub credential_headers: Vec<String>,
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
            encode_url: true,
            allow_downgrade: false,
            credential_headers: Vec::new(),
        }
    }
}

/// Settings that belong to the executor, not to one request.
#[derive(Debug, Clone, Default)]
pub struct ClientConfig {
    /// Extra CA certificates (PEM) trusted besides the system roots.
    pub ca_file: Option<PathBuf>,
    /// Certificate revocation lists (PEM) that refuse revoked chains.
    pub crl_file: Option<PathBuf>,
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

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RedirectHop {
    pub status: u16,
    pub url: String,
    pub location: String,
    /// This hop's moments; `total` is when its response head arrived.
    pub timings: Timings,
    pub connection: Connection,
}

/// Moments of one hop, each measured from the start of the whole send (so
/// they add up as curl's `-w` figures do). A phase that did not happen
/// (a reused connection, an IP address, plain http) is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timings {
    /// When this hop began (zero for the first; later after redirects).
    pub start: Duration,
    /// Name resolved.
    pub dns: Option<Duration>,
    /// TCP connected.
    pub connect: Option<Duration>,
    /// TLS handshake done.
    pub tls: Option<Duration>,
    /// Request headers and body handed to the connection.
    pub sent: Duration,
    /// From the start of the send to the first response header byte of the
    /// final response (includes redirects).
    pub ttfb: Duration,
    /// From the start of the send to the last body byte.
    pub total: Duration,
    /// The request went over a pooled connection: no DNS, connect or TLS.
    pub reused: bool,
}

impl Timings {
    /// When the connection was ready for the request (after TLS, connect
    /// or lookup, whichever came last; the hop's start when reused).
    pub fn ready(&self) -> Duration {
        self.tls.or(self.connect).or(self.dns).unwrap_or(self.start)
    }

    /// How long each phase took: (dns, connect, tls, send, wait, download).
    pub fn phases(&self) -> Phases {
        let dns_end = self.dns.unwrap_or(self.start);
        let connect_end = self.connect.unwrap_or(dns_end);
        let tls_end = self.tls.unwrap_or(connect_end);
        Phases {
            dns: self.dns.map(|d| d.saturating_sub(self.start)),
            connect: self.connect.map(|c| c.saturating_sub(dns_end)),
            tls: self.tls.map(|t| t.saturating_sub(connect_end)),
            send: self.sent.saturating_sub(tls_end),
            wait: self.ttfb.saturating_sub(self.sent),
            download: self.total.saturating_sub(self.ttfb),
        }
    }
}

/// Durations of the phases of one hop (not cumulative).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Phases {
    pub dns: Option<Duration>,
    pub connect: Option<Duration>,
    pub tls: Option<Duration>,
    /// Writing the request.
    pub send: Duration,
    /// Waiting for the first byte (the server's time).
    pub wait: Duration,
    /// Reading the body.
    pub download: Duration,
}

/// Facts about the connection a hop used.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Connection {
    /// The peer's address and port (`None` if the client did not say).
    pub remote: Option<std::net::SocketAddr>,
    /// "HTTP/1.1", "HTTP/2", ...
    pub version: String,
    /// `None` over plain http.
    pub tls: Option<TlsInfo>,
}

/// What the TLS handshake settled on and the server's certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TlsInfo {
    /// "TLSv1.3", "TLSv1.2".
    pub version: String,
    /// IANA name, e.g. "TLS13_AES_256_GCM_SHA384".
    pub cipher: String,
    /// `None` when the handshake resumed a session and no certificate came
    /// (the facts of the earlier one are kept when known).
    pub certificate: Option<CertInfo>,
}

/// The server's leaf certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CertInfo {
    pub subject: String,
    pub issuer: String,
    /// DNS names and IP addresses the certificate is valid for.
    pub sans: Vec<String>,
    /// RFC 3339.
    pub not_before: String,
    /// RFC 3339.
    pub not_after: String,
    /// Whole days from the exchange to `not_after` (negative: expired).
    pub days_left: i64,
}

impl CertInfo {
    /// Days before expiry under which a warning is shown.
    pub const WARN_DAYS: i64 = 14;

    /// A warning when the certificate expires within [`Self::WARN_DAYS`].
    pub fn expiry_warning(&self) -> Option<String> {
        if self.days_left < 0 {
            Some(format!("certificate expired on {}", self.not_after))
        } else if self.days_left < Self::WARN_DAYS {
            Some(format!(
                "certificate expires in {} days ({})",
                self.days_left, self.not_after
            ))
        } else {
            None
        }
    }
}

/// Bytes of the exchange's final hop. Headers are counted in their HTTP/1.1
/// form (`Name: value\r\n`, with the request or status line), also for
/// HTTP/2, where they travel compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sizes {
    pub request_headers: u64,
    /// As sent (bodies are not compressed by postie).
    pub request_body: u64,
    pub response_headers: u64,
}

#[derive(Debug, Clone, Default)]
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
    /// The final hop's connection.
    pub connection: Connection,
    /// Header and request body sizes (the response body's are
    /// `wire_size` and `decoded_size`).
    pub sizes: Sizes,
    /// The request headers as they went out on the final hop, including
    /// those the client adds (Host, Accept, cookies from the jar).
    pub sent_headers: Vec<(String, String)>,
    /// The jar's cookies for the final URL once the response was stored
    /// (what Postman's scripts see as the response's cookies).
    pub cookies: Vec<JarCookie>,
    /// The wall-clock time of [`Timings`]' zero (`None` when the response
    /// was not measured, e.g. read back from a report).
    pub started_at: Option<std::time::SystemTime>,
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
    #[error("TLS error with {host}: {}: {message}", .problem.explain())]
    Tls {
        host: String,
        message: String,
        /// What went wrong, when the verifier or handshake said.
        problem: TlsProblem,
    },
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

/// Why a TLS connection failed, from the verifier's own error rather than
/// its message text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TlsProblem {
    /// The certificate does not chain to a trusted root (self-signed, or a
    /// private CA not given with `--cacert`).
    UntrustedCertificate,
    /// The certificate's validity period has ended.
    Expired,
    /// The certificate is not valid yet.
    NotYetValid,
    /// The certificate does not name the host that was asked for.
    NameMismatch,
    /// A certificate of the chain is on a revocation list (`tls.crl_file`).
    Revoked,
    /// Another certificate problem (bad signature, bad encoding).
    BadCertificate,
    /// The handshake failed (no common version or cipher, an alert).
    #[default]
    Handshake,
    /// The client's own TLS setup (a client certificate) is unusable.
    ClientSetup,
}

impl TlsProblem {
    /// What went wrong, in words, with what the user can do about it.
    pub fn explain(self) -> &'static str {
        match self {
            TlsProblem::UntrustedCertificate => {
                "the certificate is self-signed or from a CA postie does not trust (add the CA \
                 to tls.ca_file in postie.json, or set verify_tls to false for this request)"
            }
            TlsProblem::Expired => {
                "the certificate has expired (set verify_tls to false for this request to send \
                 anyway)"
            }
            TlsProblem::NotYetValid => {
                "the certificate is not valid yet (is this machine's clock right?)"
            }
            TlsProblem::NameMismatch => {
                "the certificate is for another host name (use the name it was issued for, or \
                 set verify_tls to false for this request)"
            }
            TlsProblem::Revoked => "a certificate of the chain is revoked (tls.crl_file says so)",
            TlsProblem::BadCertificate => "the certificate is unusable",
            TlsProblem::Handshake => "the handshake failed",
            TlsProblem::ClientSetup => "the client's TLS setup is unusable",
        }
    }
}
