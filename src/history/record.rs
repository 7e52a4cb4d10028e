//! What one history line holds: a [`Record`] of one exchange, already
//! redacted, and the [`Entry`] a list shows of it. Serde types, no I/O.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The record format; a reader skips lines of a newer one with a warning.
pub const RECORD_VERSION: u32 = 1;

/// Where the exchange came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    Tui,
    Send,
    Run,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Tui => "tui",
            Via::Send => "send",
            Via::Run => "run",
        }
    }
}

/// Which request: a workspace path, or an item of a Postman file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRef {
    /// What `postie history REQUEST` matches: the workspace path
    /// (`users/get-user`), or `FILE.json:Folder/Name` for a Postman item.
    pub key: String,
    /// The Postman collection file, relative to the workspace root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The Postman item's id, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
}

impl RequestRef {
    pub fn workspace(path: impl Into<String>) -> RequestRef {
        RequestRef {
            key: path.into(),
            file: None,
            item_id: None,
        }
    }

    /// A Postman item: `file` relative to the workspace, `name` its folders
    /// and name joined with `/`.
    pub fn postman(file: &str, name: &str, item_id: Option<String>) -> RequestRef {
        RequestRef {
            key: format!("{file}:{name}"),
            file: Some(file.to_string()),
            item_id,
        }
    }

    /// `query` names this request or a folder above it (`users` matches
    /// `users/get-user`; a Postman file matches all its items).
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim_end_matches('/');
        self.key == q
            || self
                .key
                .strip_prefix(q)
                .is_some_and(|rest| rest.starts_with('/') || rest.starts_with(':'))
    }
}

/// How the send ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Response,
    /// The transport failed or was cancelled.
    Failed,
    /// A pre-request script skipped it.
    Skipped,
    /// It could not be prepared (undefined variables, a missing file).
    NotSent,
}

/// A body, or its first bytes. UTF-8 text is kept as `text`; anything
/// else as `base64`; a body that is not bytes (a file upload, a multipart
/// form) only as a `note`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Body {
    /// Bytes of the whole body.
    pub size: u64,
    /// `text` or `base64` holds only the first bytes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Body {
    /// The kept bytes (text or decoded base64).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        if let Some(t) = &self.text {
            return Some(t.as_bytes().to_vec());
        }
        let b = self.base64.as_ref()?;
        base64::engine::general_purpose::STANDARD.decode(b).ok()
    }
}

/// The request as sent, redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRequest {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Body>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hop {
    pub status: u16,
    pub url: String,
    pub location: String,
}

/// The final response, redacted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceivedResponse {
    pub status: u16,
    pub reason: String,
    pub version: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Body bytes on the wire (before content decoding) and decoded.
    pub wire_size: u64,
    pub decoded_size: u64,
    /// The response itself was cut at `max_body_bytes` when received.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<Hop>,
    /// The response's timing figures by name (`total_ms`, `ttfb_ms`, and
    /// whatever else the HTTP layer measures): kept as a map, so records
    /// written by a postie that measures more still read.
    #[serde(default)]
    pub timings: Map<String, Value>,
}

impl ReceivedResponse {
    /// A timing figure in milliseconds, by name.
    pub fn timing_ms(&self, name: &str) -> Option<f64> {
        self.timings.get(name).and_then(Value::as_f64)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcome {
    pub name: String,
    pub passed: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub skipped: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One exchange as history keeps it: redacted before it was written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub v: u32,
    /// Ten hex digits; `postie history show` takes a unique prefix.
    pub id: String,
    /// RFC 3339, UTC, milliseconds.
    pub at: String,
    pub via: Via,
    pub request: RequestRef,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<SentRequest>,
    /// Why there is no response (transport error, problems).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<ReceivedResponse>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tests: Vec<TestOutcome>,
    /// Script errors, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub script_errors: Vec<String>,
    /// The W3C trace id the request carried (32 hex digits), to find the
    /// call in the server's traces. Older records have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

impl Record {
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }
}

/// What a list shows of a record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    pub at: String,
    pub via: Via,
    pub request: String,
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total_ms: Option<f64>,
    /// Decoded response body bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    pub tests_passed: usize,
    pub tests_failed: usize,
}

impl From<&Record> for Entry {
    fn from(r: &Record) -> Entry {
        let counted = |passed: bool| {
            (r.tests.iter())
                .filter(|t| !t.skipped && t.passed == passed)
                .count()
        };
        Entry {
            id: r.id.clone(),
            at: r.at.clone(),
            via: r.via,
            request: r.request.key.clone(),
            outcome: r.outcome,
            method: r.sent.as_ref().map(|s| s.method.clone()),
            url: r.sent.as_ref().map(|s| s.url.clone()),
            status: r.status(),
            total_ms: r.response.as_ref().and_then(|x| x.timing_ms("total_ms")),
            size: r.response.as_ref().map(|x| x.decoded_size),
            tests_passed: counted(true),
            tests_failed: counted(false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_ref_matches_itself_and_its_folders_only() {
        let r = RequestRef::workspace("users/get-user");
        assert!(r.matches("users/get-user"));
        assert!(r.matches("users"));
        assert!(r.matches("users/"));
        assert!(!r.matches("user"));
        assert!(!r.matches("users/get"));
        let p = RequestRef::postman("api.json", "Users/Get", None);
        assert!(p.matches("api.json"));
        assert!(p.matches("api.json:Users"));
        assert!(!p.matches("api"));
    }

    #[test]
    fn a_body_gives_back_its_bytes_from_text_or_base64() {
        let t = Body {
            size: 2,
            text: Some("hi".into()),
            ..Body::default()
        };
        assert_eq!(t.bytes().unwrap(), b"hi");
        let b = Body {
            size: 2,
            base64: Some("/wA=".into()),
            ..Body::default()
        };
        assert_eq!(b.bytes().unwrap(), vec![0xff, 0]);
        assert_eq!(Body::default().bytes(), None);
    }
}
