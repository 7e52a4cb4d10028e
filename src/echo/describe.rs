//! The echo itself: a JSON description of the request as received.

use base64::Engine as _;
use bytes::Bytes;
use hyper::header::{HeaderMap, CONTENT_TYPE};
use hyper::http::request::Parts;
use hyper::Version;
use serde_json::{json, Map, Value};
use sha2::{Digest as _, Sha256};

use super::params;

/// Multipart values bigger than this are summarised (size + sha256) only.
const INLINE_PART_LIMIT: usize = 64 * 1024;

pub fn version_name(version: Version) -> &'static str {
    match version {
        Version::HTTP_09 => "HTTP/0.9",
        Version::HTTP_10 => "HTTP/1.0",
        Version::HTTP_11 => "HTTP/1.1",
        Version::HTTP_2 => "HTTP/2",
        Version::HTTP_3 => "HTTP/3",
        _ => "HTTP/?",
    }
}

/// `[[name, value], ...]` in hyper's order (first appearance of each name,
/// repeats kept next to it); non-UTF-8 values go lossy and add a note.
pub fn headers_json(headers: &HeaderMap, notes: &mut Vec<Value>) -> Value {
    let pairs = headers
        .iter()
        .map(|(name, value)| {
            let text = match value.to_str() {
                Ok(text) => text.to_owned(),
                Err(_) => {
                    notes.push(Value::String(format!(
                        "header {name} is not valid UTF-8; shown lossily (base64 of the raw bytes: {})",
                        base64::engine::general_purpose::STANDARD.encode(value.as_bytes())
                    )));
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                }
            };
            json!([name.as_str(), text])
        })
        .collect();
    Value::Array(pairs)
}

/// Request headers as node's `req.headers` holds them, which is what
/// postman-echo and newman's test servers echo: lower-case names, in order
/// of first appearance; a repeated header keeps its first value for the
/// names node treats as single, becomes an array for `set-cookie`, is joined
/// with `; ` for `cookie` and with `, ` otherwise. Non-UTF-8 bytes go lossy.
pub fn headers_object(headers: &HeaderMap) -> Map<String, Value> {
    const SINGLE: &[&str] = &[
        "age",
        "authorization",
        "content-length",
        "content-type",
        "etag",
        "expires",
        "from",
        "host",
        "if-modified-since",
        "if-unmodified-since",
        "last-modified",
        "location",
        "max-forwards",
        "proxy-authorization",
        "referer",
        "retry-after",
        "server",
        "user-agent",
    ];
    let mut out = Map::new();
    for name in headers.keys() {
        let values: Vec<String> = headers
            .get_all(name)
            .iter()
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .collect();
        let key = name.as_str();
        let value = match key {
            "set-cookie" => json!(values),
            "cookie" => json!(values.join("; ")),
            _ if SINGLE.contains(&key) => json!(values.first().cloned().unwrap_or_default()),
            _ => json!(values.join(", ")),
        };
        out.insert(key.to_owned(), value);
    }
    out
}

fn pairs_json(pairs: Vec<(String, String)>) -> Value {
    Value::Array(pairs.into_iter().map(|(k, v)| json!([k, v])).collect())
}

/// The media type of the request without parameters, lowercased.
pub fn media_type(headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = raw.split(';').next().unwrap_or("").trim();
    Some(essence.to_ascii_lowercase())
}

pub fn is_json_type(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json") || media == "text/json"
}

/// The full echo object. Errors (malformed multipart) become 400s upstream.
pub async fn describe(parts: &Parts, body: &Bytes) -> Result<Map<String, Value>, String> {
    let mut notes = Vec::new();
    let mut out = Map::new();
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|pq| pq.as_str())
        .unwrap_or("/");
    let query = parts.uri.query().unwrap_or("");
    out.insert("method".into(), json!(parts.method.as_str()));
    out.insert("url".into(), json!(path_and_query));
    out.insert("path".into(), json!(parts.uri.path()));
    out.insert("query".into(), pairs_json(params::query_pairs(query)));
    out.insert("http_version".into(), json!(version_name(parts.version)));
    out.insert("headers".into(), headers_json(&parts.headers, &mut notes));

    match std::str::from_utf8(body) {
        Ok("") => {}
        Ok(text) => {
            out.insert("body".into(), json!(text));
        }
        Err(_) => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(body);
            out.insert("body_base64".into(), json!(encoded));
        }
    }
    out.insert("body_size".into(), json!(body.len()));

    let media = media_type(&parts.headers).unwrap_or_default();
    if is_json_type(&media) {
        if let Ok(value) = serde_json::from_slice::<Value>(body) {
            out.insert("json".into(), value);
        }
    } else if media == "application/x-www-form-urlencoded" {
        let text = String::from_utf8_lossy(body);
        out.insert("form".into(), pairs_json(params::query_pairs(&text)));
    } else if media == "multipart/form-data" {
        out.insert(
            "multipart".into(),
            multipart_json(&parts.headers, body).await?,
        );
    }
    if !notes.is_empty() {
        out.insert("notes".into(), Value::Array(notes));
    }
    Ok(out)
}

async fn multipart_json(headers: &HeaderMap, body: &Bytes) -> Result<Value, String> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type)
        .map_err(|err| format!("multipart/form-data without a usable boundary: {err}"))?;
    let whole = body.clone();
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(whole) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut parts = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(format!("malformed multipart body: {err}")),
        };
        let mut part = Map::new();
        part.insert("name".into(), json!(field.name().unwrap_or("")));
        let filename = field.file_name().map(str::to_owned);
        if let Some(filename) = &filename {
            part.insert("filename".into(), json!(filename));
        }
        if let Some(content_type) = field.content_type() {
            part.insert("content_type".into(), json!(content_type.to_string()));
        }
        let data = field
            .bytes()
            .await
            .map_err(|err| format!("malformed multipart body: {err}"))?;
        let small = data.len() <= INLINE_PART_LIMIT;
        // Plain fields read like the form echo; files and big values get a
        // size and checksum so tests can compare uploads without dumping them.
        if filename.is_some() || !small {
            part.insert("size".into(), json!(data.len()));
            part.insert("sha256".into(), json!(hex(&Sha256::digest(&data))));
        }
        if small {
            match std::str::from_utf8(&data) {
                Ok(text) => {
                    part.insert("value".into(), json!(text));
                }
                Err(_) if filename.is_none() => {
                    let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
                    part.insert("value_base64".into(), json!(encoded));
                }
                Err(_) => {}
            }
        }
        parts.push(Value::Object(part));
    }
    Ok(Value::Array(parts))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        let _ = write!(out, "{byte:02x}");
    }
    out
}
