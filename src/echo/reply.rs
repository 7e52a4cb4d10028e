//! Response building blocks shared by every route: the boxed body type and
//! JSON / error replies.

use bytes::Bytes;
use http_body_util::{combinators::UnsyncBoxBody, BodyExt, Full, StreamBody};
use hyper::body::Frame;
use hyper::header::{HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{Response, StatusCode};
use serde_json::Value;

/// Every route answers with this body: a whole buffer or a stream of chunks.
/// Unsync because streams hold futures that need not be `Sync`.
pub type Body = UnsyncBoxBody<Bytes, std::io::Error>;

pub fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed_unsync()
}

pub fn empty() -> Body {
    full(Bytes::new())
}

/// Wraps a stream of chunks; errors end the response early (the client sees
/// a truncated body, the server carries on).
pub fn streamed<S>(stream: S) -> Body
where
    S: futures_util::Stream<Item = std::io::Result<Bytes>> + Send + 'static,
{
    use futures_util::StreamExt;
    StreamBody::new(stream.map(|chunk| chunk.map(Frame::data))).boxed_unsync()
}

/// Pretty JSON with 2-space indent and a trailing newline.
pub fn pretty(value: &Value) -> Vec<u8> {
    // Serializing a `Value` to a Vec cannot fail (all keys are strings).
    let mut out = serde_json::to_vec_pretty(value).unwrap_or_default();
    out.push(b'\n');
    out
}

pub fn with_type(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response<Body> {
    let len = body.len();
    let mut response = Response::new(full(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    response
}

pub fn json(status: StatusCode, value: &Value) -> Response<Body> {
    with_type(status, "application/json", pretty(value))
}

/// postman-echo's JSON: compact, and the content type scripts assert on.
pub const JSON_UTF8: &str = "application/json; charset=utf-8";

pub fn compact_json(status: StatusCode, value: &Value) -> Response<Body> {
    // Serializing a `Value` cannot fail (all keys are strings).
    let body = serde_json::to_vec(value).unwrap_or_default();
    with_type(status, JSON_UTF8, body)
}

pub fn error(status: StatusCode, message: impl Into<String>) -> Response<Body> {
    json(status, &serde_json::json!({ "error": message.into() }))
}

pub fn bad_request(message: impl Into<String>) -> Response<Body> {
    error(StatusCode::BAD_REQUEST, message)
}

/// A request the route refuses; becomes a JSON error reply. Small on
/// purpose so `Result<_, Reject>` stays cheap to pass around.
#[derive(Debug)]
pub struct Reject {
    status: StatusCode,
    message: String,
}

impl Reject {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    pub fn bad(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    pub fn into_reply(self) -> Response<Body> {
        error(self.status, self.message)
    }
}
