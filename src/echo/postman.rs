//! postman-echo.com's routes in its shapes, so collections written against
//! it run offline with only the host swapped. What scripts read is pinned in
//! the corpus README ("postman-echo stand-in"); the table in `echo.rs` lists
//! the routes.

use base64::Engine as _;
use bytes::Bytes;
use hyper::header::{
    HeaderMap, HeaderName, HeaderValue, ALLOW, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE,
    COOKIE, HOST, LOCATION, SET_COOKIE, TRANSFER_ENCODING,
};
use hyper::http::request::Parts;
use hyper::{Method, Response, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};

use super::compress::{self, Encoding};
use super::describe::{headers_object, is_json_type, media_type};
use super::params::{self, lossy, percent_decode, query_pairs};
use super::postman_auth;
use super::reply::{self, Body, Reject, JSON_UTF8};
use super::router::delay_of;

type Reply = Response<Body>;

/// Most lines `/stream/{n}` sends, as httpbin caps it.
const STREAM_LIMIT: u64 = 100;

/// Headers a proxy in front of postman-echo adds; never echoed, so a
/// collection sees the same headers whichever way it reached the server.
const OMITTED: &[&str] = &[
    "x-postman-echo-original-url",
    "x-postman-echo-original-protocol",
    "x-postman-echo-original-host",
    "x-real-ip",
    "x-forwarded-for",
    "cdn-loop",
    "true-client-ip",
    "x-forwarded-client-cert",
    "x-request-id",
];
const OMITTED_PREFIXES: &[&str] = &["cf-", "x-envoy", "x-b3"];

/// JavaScript's `encodeURIComponent`: what postman-echo does to cookie values.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// Answers the request when `segments` is one of postman-echo's routes
/// (`/status/{code}` and `/redirect-to` stay in the router: postie's
/// answer there is a superset of postman-echo's).
pub(super) async fn route(
    parts: &Parts,
    body: &Bytes,
    segments: &[&str],
) -> Option<Result<Reply, Reject>> {
    let url = original_url(parts);
    let query = query_of(&url).to_owned();
    let reply = match segments {
        ["get"] => Ok(get(parts, &url, &query)),
        ["post" | "put" | "patch" | "delete"] => Ok(method_echo(parts, body, &url, &query).await),
        ["headers"] => Ok(reply::compact_json(
            StatusCode::OK,
            &json!({ "headers": echoed_headers(parts) }),
        )),
        ["response-headers"] => response_headers(&query),
        ["delay", secs] => delay(secs, &query).await,
        ["cookies"] => Ok(cookies(&parts.headers)),
        ["cookies", "set"] => set_cookies(&query),
        ["cookies", "delete"] => delete_cookies(&parts.headers, &query),
        ["basic-auth"] => Ok(postman_auth::basic(&parts.headers)),
        ["digest-auth"] => Ok(postman_auth::digest(parts, body)),
        ["oauth1"] => Ok(postman_auth::oauth1(parts, body, &url)),
        ["auth", "hawk"] => Ok(postman_auth::hawk(parts)),
        ["oauth2", "token"] => Ok(oauth2_token()),
        ["oauth2", "user", "info"] => Ok(oauth2_user(&parts.headers)),
        ["gzip"] => compressed(parts, Encoding::Gzip, "gzipped").await,
        ["deflate"] => compressed(parts, Encoding::Deflate, "deflated").await,
        ["stream", n] => stream(parts, &url, &query, n),
        ["encoding", "utf8"] => Ok(reply::with_type(
            StatusCode::OK,
            "text/html; charset=utf-8",
            UTF8_PAGE.as_bytes().to_vec(),
        )),
        ["type", "html"] => Ok(reply::with_type(
            StatusCode::OK,
            "application/html; charset=utf-8",
            TYPE_HTML.as_bytes().to_vec(),
        )),
        ["type", "xml"] => Ok(reply::with_type(
            StatusCode::OK,
            "application/xml; charset=utf-8",
            TYPE_XML.as_bytes().to_vec(),
        )),
        _ => return None,
    };
    Some(reply)
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
}

/// The URL as the client sent it: scheme, Host and the request target byte
/// for byte (`/get?`, `/get?&&` kept). As in postman-runtime's stand-in,
/// `X-Postman-Echo-Original-Url` (or `-Protocol` / `-Host`) overrides it, so
/// a harness that swapped the host can still get the URL it asserts on.
pub(super) fn original_url(parts: &Parts) -> String {
    let headers = &parts.headers;
    if let Some(url) = header_text(headers, "x-postman-echo-original-url") {
        return url;
    }
    let protocol = header_text(headers, "x-postman-echo-original-protocol")
        .unwrap_or_else(|| "http".to_owned());
    let host = header_text(headers, "x-postman-echo-original-host")
        .or_else(|| header_text(headers, HOST.as_str()))
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    format!("{protocol}://{host}{target}")
}

/// The query of a URL: after the first `?`, before any `#`.
pub(super) fn query_of(url: &str) -> &str {
    let url = url.split('#').next().unwrap_or("");
    url.split_once('?').map_or("", |(_, query)| query)
}

/// Pairs as a JSON object; a repeated key becomes an array of its values.
fn pairs_object(pairs: impl IntoIterator<Item = (String, String)>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in pairs {
        match out.get_mut(&key) {
            Some(Value::Array(items)) => items.push(json!(value)),
            Some(existing) => {
                let first = existing.take();
                *existing = json!([first, value]);
            }
            None => {
                out.insert(key, json!(value));
            }
        }
    }
    out
}

fn args(query: &str) -> Value {
    Value::Object(pairs_object(query_pairs(query)))
}

/// The request headers as postman-echo echoes them: node's object form,
/// without proxy headers; `host` always there (HTTP/2 sends `:authority`).
fn echoed_headers(parts: &Parts) -> Value {
    let mut headers = headers_object(&parts.headers);
    headers.retain(|name, _| {
        !OMITTED.contains(&name.as_str()) && !OMITTED_PREFIXES.iter().any(|p| name.starts_with(p))
    });
    if !headers.contains_key("host") {
        if let Some(authority) = parts.uri.authority() {
            headers.insert("host".into(), json!(authority.as_str()));
        }
    }
    Value::Object(headers)
}

fn get(parts: &Parts, url: &str, query: &str) -> Reply {
    match parts.method {
        Method::HEAD => Response::new(reply::empty()),
        // Express's automatic OPTIONS answer: the route's methods.
        Method::OPTIONS => {
            let mut response = reply::with_type(
                StatusCode::OK,
                "text/html; charset=utf-8",
                b"GET,HEAD".to_vec(),
            );
            response
                .headers_mut()
                .insert(ALLOW, HeaderValue::from_static("GET,HEAD"));
            response
        }
        _ => reply::compact_json(
            StatusCode::OK,
            &json!({ "args": args(query), "headers": echoed_headers(parts), "url": url }),
        ),
    }
}

/// What `/post`, `/put`, `/patch` and `/delete` fill from the body.
struct BodyFields {
    data: Value,
    files: Map<String, Value>,
    form: Map<String, Value>,
    json: Value,
}

async fn method_echo(parts: &Parts, body: &Bytes, url: &str, query: &str) -> Reply {
    let fields = body_fields(&parts.headers, body).await;
    reply::compact_json(
        StatusCode::OK,
        &json!({
            "args": args(query),
            "data": fields.data,
            "files": fields.files,
            "form": fields.form,
            "headers": echoed_headers(parts),
            "json": fields.json,
            "url": url,
        }),
    )
}

fn text_or_data_url(body: &[u8]) -> Value {
    match std::str::from_utf8(body) {
        Ok(text) => json!(text),
        Err(_) => json!(data_url(body)),
    }
}

/// postman-echo reports every uploaded file as octet-stream, whatever type
/// the part declared (newman's `tc4` collection relies on it).
fn data_url(bytes: &[u8]) -> String {
    let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
    format!("data:application/octet-stream;base64,{encoded}")
}

/// Fills the fields by body type as postman-echo does: urlencoded → `form`
/// (and `json`), multipart → `form` + `files`, JSON → `data` and `json`
/// parsed, anything else → `data` as text; an empty body → `"data": {}`.
async fn body_fields(headers: &HeaderMap, body: &Bytes) -> BodyFields {
    let mut fields = BodyFields {
        data: json!({}),
        files: Map::new(),
        form: Map::new(),
        json: Value::Null,
    };
    if body.is_empty() {
        return fields;
    }
    let media = media_type(headers).unwrap_or_default();
    if media == "application/x-www-form-urlencoded" {
        fields.form = pairs_object(query_pairs(&String::from_utf8_lossy(body)));
        fields.json = Value::Object(fields.form.clone());
        fields.data = json!("");
    } else if media == "multipart/form-data" {
        // A body that does not parse is still echoed, as text: a stand-in
        // should not fail a collection postman-echo would answer.
        if multipart(headers, body, &mut fields).await.is_err() {
            fields.data = text_or_data_url(body);
        }
    } else if is_json_type(&media) {
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => {
                fields.json = value.clone();
                fields.data = value;
            }
            Err(_) => fields.data = text_or_data_url(body),
        }
    } else {
        fields.data = text_or_data_url(body);
    }
    fields
}

async fn multipart(headers: &HeaderMap, body: &Bytes, fields: &mut BodyFields) -> Result<(), ()> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let boundary = multer::parse_boundary(content_type).map_err(|_| ())?;
    let whole = body.clone();
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(whole) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let (mut form, mut files) = (Vec::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| ())? {
        let name = field.name().unwrap_or("").to_owned();
        let filename = field.file_name().map(str::to_owned);
        let data = field.bytes().await.map_err(|_| ())?;
        match filename {
            Some(filename) => {
                let key = if filename.is_empty() { name } else { filename };
                files.push((key, data_url(&data)));
            }
            None => form.push((name, String::from_utf8_lossy(&data).into_owned())),
        }
    }
    fields.form = pairs_object(form);
    fields.files = pairs_object(files);
    Ok(())
}

/// Express (behind postman-echo) passes a reply's content type through the
/// `content-type` package with `charset=utf-8` set, which tidies it:
/// `application/json;  charset=utf-8` → `application/json; charset=utf-8`
/// (newman's `semicolon-tests` asserts that). A value that is not a media
/// type is sent as it came.
fn express_content_type(raw: &str) -> String {
    let mut pieces = raw.split(';');
    let essence = pieces.next().unwrap_or("").trim().to_ascii_lowercase();
    let is_token = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
    };
    let well_formed = essence
        .split_once('/')
        .is_some_and(|(kind, sub)| is_token(kind) && is_token(sub));
    if !well_formed {
        return raw.to_owned();
    }
    let mut parameters = Vec::new();
    for piece in pieces {
        let Some((name, value)) = piece.trim().split_once('=') else {
            return raw.to_owned();
        };
        let name = name.trim().to_ascii_lowercase();
        if name != "charset" {
            parameters.push((name, value.trim().to_owned()));
        }
    }
    parameters.push(("charset".to_owned(), "utf-8".to_owned()));
    parameters.sort();
    let mut out = essence;
    for (name, value) in parameters {
        out.push_str(&format!("; {name}={value}"));
    }
    out
}

fn response_headers(query: &str) -> Result<Reply, Reject> {
    let raw_pairs = params::query_pairs_raw(query);
    let shown = raw_pairs
        .iter()
        .map(|(name, value)| (lossy(name.clone()), lossy(value.clone())));
    let mut response = reply::compact_json(StatusCode::OK, &Value::Object(pairs_object(shown)));
    let headers = response.headers_mut();
    let mut replaced = Vec::new();
    for (name, value) in raw_pairs {
        let shown = String::from_utf8_lossy(&name).into_owned();
        let name = HeaderName::from_bytes(&name)
            .map_err(|_| Reject::bad(format!("{shown:?} is not a valid header name")))?;
        // Letting these through would break the response framing itself.
        if name == CONTENT_LENGTH || name == TRANSFER_ENCODING {
            return Err(Reject::bad(format!("{name} cannot be overridden")));
        }
        let value = if name == CONTENT_TYPE {
            HeaderValue::from_str(&express_content_type(&lossy(value)))
        } else {
            HeaderValue::from_bytes(&value)
        }
        .map_err(|_| Reject::bad(format!("the value for {name} is not a valid header value")))?;
        // The first pair of a name replaces the reply's own header (say
        // Content-Type); later pairs of that name add to it.
        if !replaced.contains(&name) {
            headers.remove(&name);
            replaced.push(name.clone());
        }
        headers.append(name, value);
    }
    Ok(response)
}

async fn delay(secs: &str, query: &str) -> Result<Reply, Reject> {
    tokio::time::sleep(delay_of(secs, query)?).await;
    Ok(reply::compact_json(
        StatusCode::OK,
        &json!({ "delay": secs }),
    ))
}

/// The `Cookie` header(s) as an object, values URI-decoded; a later
/// duplicate name wins.
fn request_cookies(headers: &HeaderMap) -> Map<String, Value> {
    let mut out = Map::new();
    for header in headers.get_all(COOKIE) {
        let text = String::from_utf8_lossy(header.as_bytes());
        for pair in text.split(';') {
            let Some((name, value)) = pair.split_once('=') else {
                continue;
            };
            let value = lossy(percent_decode(value.trim().as_bytes(), false));
            out.insert(name.trim().to_owned(), json!(value));
        }
    }
    out
}

fn cookies(headers: &HeaderMap) -> Reply {
    reply::compact_json(
        StatusCode::OK,
        &json!({ "cookies": request_cookies(headers) }),
    )
}

fn set_cookies(query: &str) -> Result<Reply, Reject> {
    let mut response = reply::with_type(
        StatusCode::FOUND,
        "text/plain; charset=utf-8",
        b"Found. Redirecting to /cookies".to_vec(),
    );
    response
        .headers_mut()
        .insert(LOCATION, HeaderValue::from_static("/cookies"));
    for (name, value) in query_pairs(query) {
        let value = utf8_percent_encode(&value, URI_COMPONENT);
        append_cookie(&mut response, format!("{name}={value}; Path=/"))?;
    }
    Ok(response)
}

/// Expires the named cookies and answers at once with the cookies the
/// request had, less those: a redirect to `/cookies` would not do, as
/// clients that follow it (newman) resend the Cookie header they started
/// with, and echo-v2's "Delete Cookies" would see them again.
fn delete_cookies(headers: &HeaderMap, query: &str) -> Result<Reply, Reject> {
    let names: Vec<String> = query_pairs(query)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut remaining = request_cookies(headers);
    remaining.retain(|name, _| !names.contains(name));
    let mut response = reply::compact_json(StatusCode::OK, &json!({ "cookies": remaining }));
    for name in names {
        append_cookie(
            &mut response,
            format!("{name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"),
        )?;
    }
    Ok(response)
}

fn append_cookie(response: &mut Reply, cookie: String) -> Result<(), Reject> {
    let value = HeaderValue::from_str(&cookie)
        .map_err(|_| Reject::bad(format!("{cookie:?} is not a valid cookie")))?;
    response.headers_mut().append(SET_COOKIE, value);
    Ok(())
}

fn oauth2_token() -> Reply {
    let token: String = std::iter::repeat_with(fastrand::alphanumeric)
        .take(40)
        .collect();
    reply::compact_json(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "scope": "read",
        }),
    )
}

/// Any non-empty Bearer token is accepted: postman-echo's collections send
/// a token they never obtained from `/oauth2/token`.
fn oauth2_user(headers: &HeaderMap) -> Reply {
    match postman_auth::bearer_token(headers) {
        Some(_) => reply::compact_json(
            StatusCode::OK,
            &json!({ "user_id": "postman-echo", "name": "Postman Echo" }),
        ),
        None => {
            let mut response = reply::compact_json(
                StatusCode::UNAUTHORIZED,
                &json!({ "error": "invalid_token", "error_description": "a Bearer token is required" }),
            );
            response.headers_mut().insert(
                hyper::header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"Users\""),
            );
            response
        }
    }
}

async fn compressed(parts: &Parts, encoding: Encoding, flag: &str) -> Result<Reply, Reject> {
    let value = json!({
        flag: true,
        "headers": echoed_headers(parts),
        "method": parts.method.as_str(),
    });
    let plain = serde_json::to_vec(&value).unwrap_or_default();
    let encoded = compress::encode(encoding, &plain).await.map_err(|err| {
        Reject::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("compression failed: {err}"),
        )
    })?;
    let mut response = reply::with_type(StatusCode::OK, JSON_UTF8, encoded);
    response
        .headers_mut()
        .insert(CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
    Ok(response)
}

/// `n` (at most [`STREAM_LIMIT`]) JSON lines, one chunk each, without a
/// `Content-Length` so HTTP/1.1 sends them chunked.
fn stream(parts: &Parts, url: &str, query: &str, raw: &str) -> Result<Reply, Reject> {
    let n = raw
        .parse::<u64>()
        .map_err(|_| {
            Reject::bad(format!(
                "line count must be a non-negative integer, got {raw:?}"
            ))
        })?
        .min(STREAM_LIMIT);
    let mut line = Map::new();
    line.insert("args".into(), args(query));
    line.insert("headers".into(), echoed_headers(parts));
    line.insert("url".into(), json!(url));
    let lines: Vec<std::io::Result<Bytes>> = (0..n)
        .map(|id| {
            let mut line = line.clone();
            line.insert("id".into(), json!(id));
            let mut text = serde_json::to_vec(&Value::Object(line)).unwrap_or_default();
            text.push(b'\n');
            Ok(Bytes::from(text))
        })
        .collect();
    let mut response = Response::new(reply::streamed(futures_util::stream::iter(lines)));
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    Ok(response)
}

/// Exact bodies: newman's library tests pin them.
const TYPE_HTML: &str = "<!DOCTYPE html><html><head><title>Hello World!</title></head><body><h1>Hello World!</h1></body></html>";
const TYPE_XML: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><food><key>Homestyle Breakfast</key><value>950</value></food>";

/// A page of text in many scripts, so clients can check they decode UTF-8.
const UTF8_PAGE: &str = "<!DOCTYPE html>
<html lang=\"en\">
<head>
  <meta charset=\"utf-8\">
  <title>UTF-8 encoded text</title>
</head>
<body>
  <h1>UTF-8 encoded text</h1>
  <ul>
    <li>Latin: Ærøskøbing, Łódź, São Paulo, Þórshöfn, naïve café</li>
    <li>Greek: Καλημέρα κόσμε</li>
    <li>Cyrillic: Здравствуй, мир</li>
    <li>Hebrew: שלום עולם</li>
    <li>Arabic: مرحبا بالعالم</li>
    <li>Devanagari: नमस्ते दुनिया</li>
    <li>Chinese: 你好，世界</li>
    <li>Japanese: こんにちは世界, カタカナ</li>
    <li>Korean: 안녕하세요 세계</li>
    <li>Thai: สวัสดีชาวโลก</li>
    <li>Math: ∀x ∈ ℝ: x² ≥ 0, ∑ ∫ √ ∞ ≠ ≤</li>
    <li>Symbols: € £ ¥ © ® ™ § ¶ † ‡ • …</li>
    <li>Outside the BMP: 𝌆 🍪 🚀 𝄞</li>
  </ul>
</body>
</html>
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_become_arrays_in_order() {
        let object = pairs_object(query_pairs("hi=hello&x=1&hi=lolol&hi=3&=a&="));
        assert_eq!(
            Value::Object(object),
            json!({"hi": ["hello", "lolol", "3"], "x": "1", "": ["a", ""]})
        );
    }

    #[test]
    fn express_tidies_content_types_and_keeps_odd_ones() {
        assert_eq!(
            express_content_type("application/json;  charset=utf-8"),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            express_content_type("text/html"),
            "text/html; charset=utf-8"
        );
        assert_eq!(
            express_content_type("Text/Plain; q=1; Charset=latin1; a=b"),
            "text/plain; a=b; charset=utf-8; q=1"
        );
        assert_eq!(express_content_type("not a type"), "not a type");
        assert_eq!(express_content_type("a/b; junk"), "a/b; junk");
    }

    #[test]
    fn query_is_after_the_first_question_mark_and_before_the_fragment() {
        assert_eq!(query_of("http://h/get???&hl=en#x"), "??&hl=en");
        assert_eq!(query_of("http://h/get?"), "");
        assert_eq!(query_of("http://h/get"), "");
    }
}
