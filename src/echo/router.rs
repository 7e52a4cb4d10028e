//! Request dispatch: reads the body (bounded), picks the route by path shape
//! and builds the response. Every failure becomes a JSON error response.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HOST, LOCATION};
use hyper::http::request::Parts;
use hyper::{Request, Response, StatusCode};
use serde_json::{json, Map, Value};

use super::auth::{self, DigestRoute};
use super::compress::{self, Encoding};
use super::describe::describe;
use super::params::{query_value, segment};
use super::postman;
use super::reply::{self, Body, Reject};
use super::streams;

/// Largest request body the echo accepts.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;
/// Largest generated body (`/bytes`, `/json`, `/drip`).
const GENERATED_LIMIT: u64 = 1 << 30;
/// Longest wait for `/drip`.
const MAX_DELAY_MS: u64 = 60_000;
/// Longest wait for `/delay`: httpbin's and postman-echo's cap, so
/// collections written for them behave the same here.
const MAX_DELAY: Duration = Duration::from_secs(10);
/// `/gzip-bomb` default: 1 GiB of zeros.
const BOMB_DEFAULT: u64 = 1 << 30;
const BOMB_LIMIT: u64 = 1 << 40;

type Reply = Response<Body>;

pub async fn handle(req: Request<Incoming>) -> Reply {
    let (parts, body) = req.into_parts();
    let declared = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > BODY_LIMIT as u64) {
        return too_large();
    }
    let body = match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(err) if err.downcast_ref::<LengthLimitError>().is_some() => return too_large(),
        Err(err) => {
            return Reject::bad(format!("could not read the request body: {err}")).into_reply()
        }
    };
    route(&parts, body).await
}

fn too_large() -> Reply {
    reply::error(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("request body larger than {} MiB", BODY_LIMIT >> 20),
    )
}

/// The echo object, or the 400 reply for a malformed body.
async fn echo(parts: &Parts, body: &Bytes) -> Result<Map<String, Value>, Reject> {
    describe(parts, body).await.map_err(Reject::bad)
}

async fn echo_reply(parts: &Parts, body: &Bytes) -> Reply {
    match echo(parts, body).await {
        Ok(map) => reply::json(StatusCode::OK, &Value::Object(map)),
        Err(reject) => reject.into_reply(),
    }
}

fn parse_number(raw: &str, what: &str) -> Result<u64, Reject> {
    raw.parse::<u64>().map_err(|_| {
        Reject::bad(format!(
            "{what} must be a non-negative integer, got {raw:?}"
        ))
    })
}

fn bounded(raw: &str, what: &str, max: u64) -> Result<u64, Reject> {
    let value = parse_number(raw, what)?;
    if value > max {
        return Err(Reject::bad(format!("{what} must be at most {max}")));
    }
    Ok(value)
}

/// `/delay/{secs}?ms=M`: seconds as httpbin counts them (fractions
/// allowed), plus `M` milliseconds; capped at [`MAX_DELAY`] as httpbin does,
/// not refused.
pub(super) fn delay_of(secs: &str, query: &str) -> Result<Duration, Reject> {
    let seconds = secs
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .ok_or_else(|| {
            Reject::bad(format!(
                "delay must be a number of seconds >= 0, got {secs:?}"
            ))
        })?;
    let ms = match query_value(query, "ms") {
        Some(raw) => parse_number(&raw, "ms")?,
        None => 0,
    };
    let total = Duration::from_secs_f64(seconds.min(MAX_DELAY.as_secs_f64()))
        .saturating_add(Duration::from_millis(ms));
    Ok(total.min(MAX_DELAY))
}

async fn route(parts: &Parts, body: Bytes) -> Reply {
    try_route(parts, &body)
        .await
        .unwrap_or_else(Reject::into_reply)
}

async fn try_route(parts: &Parts, body: &Bytes) -> Result<Reply, Reject> {
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("");
    // `/post/` is `/post`, as Express (behind postman-echo) routes it.
    let trimmed = path.trim_start_matches('/');
    let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let segments: Vec<&str> = trimmed.split('/').collect();
    // postie's own echo wherever postman-echo has no route, and always here.
    if matches!(segments.as_slice(), [""] | ["anything", ..]) {
        return Ok(echo_reply(parts, body).await);
    }
    if let Some(reply) = postman::route(parts, body, &segments).await {
        return reply;
    }
    let reply = match segments.as_slice() {
        ["status", code] => status(parts, body, code).await?,
        ["redirect", n] => redirect_chain(parts, body, n).await?,
        ["redirect-to"] => redirect_to(parts, body, query).await?,
        ["bytes", n] => {
            let n = bounded(n, "byte count", GENERATED_LIMIT)?;
            let seed = match query_value(query, "seed") {
                Some(raw) => parse_number(&raw, "seed")?,
                None => 0,
            };
            sized_stream(streams::random_bytes(n, seed), n)
        }
        ["drip"] => {
            let n = match query_value(query, "bytes") {
                Some(raw) => bounded(&raw, "bytes", GENERATED_LIMIT)?,
                None => 10,
            };
            let ms = match query_value(query, "duration_ms") {
                Some(raw) => bounded(&raw, "duration_ms", MAX_DELAY_MS)?,
                None => 2_000,
            };
            sized_stream(streams::drip(n, Duration::from_millis(ms)), n)
        }
        ["json", n] => {
            let n = bounded(n, "size", GENERATED_LIMIT)?;
            let mut response = Response::new(streams::json_document(n));
            response
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        [name @ ("brotli" | "zstd")] => {
            let encoding = Encoding::from_route(name).unwrap_or(Encoding::Gzip);
            compressed_echo(parts, body, encoding).await?
        }
        ["gzip-bomb"] => {
            let size = match query_value(query, "size") {
                Some(raw) => bounded(&raw, "size", BOMB_LIMIT)?,
                None => BOMB_DEFAULT,
            };
            let mut response = Response::new(compress::gzip_bomb(size));
            let headers = response.headers_mut();
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            );
            headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            response
        }
        ["basic-auth", user, pass] => auth::basic(&parts.headers, &segment(user), &segment(pass)),
        ["bearer"] => auth::bearer(&parts.headers),
        ["digest-auth", qop, user, pass] | ["digest-auth", qop, user, pass, _] => {
            let algorithm = segments.get(4).map(|raw| segment(raw));
            let (user, pass) = (segment(user), segment(pass));
            auth::digest(
                &parts.method,
                &parts.uri,
                &parts.headers,
                body,
                DigestRoute {
                    qop,
                    user: &user,
                    pass: &pass,
                    algorithm: algorithm.as_deref(),
                },
            )
        }
        ["html"] => reply::with_type(
            StatusCode::OK,
            "text/html; charset=utf-8",
            HTML.as_bytes().to_vec(),
        ),
        ["xml"] => reply::with_type(
            StatusCode::OK,
            "application/xml; charset=utf-8",
            XML.as_bytes().to_vec(),
        ),
        _ => echo_reply(parts, body).await,
    };
    Ok(reply)
}

fn sized_stream(body: Body, len: u64) -> Reply {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    headers.insert(CONTENT_LENGTH, HeaderValue::from(len));
    response
}

async fn status(parts: &Parts, body: &Bytes, raw: &str) -> Result<Reply, Reject> {
    let code = parse_number(raw, "status code")?;
    if (100..200).contains(&code) {
        return Err(Reject::bad(
            "1xx statuses are informational and cannot be a final response",
        ));
    }
    let status = u16::try_from(code)
        .ok()
        .filter(|code| (200..=599).contains(code))
        .and_then(|code| StatusCode::from_u16(code).ok())
        .ok_or_else(|| Reject::bad("status code must be within 200..=599"))?;
    // These statuses must not carry a body (RFC 9110 §15.3.5, §15.3.6, §15.4.5).
    if matches!(code, 204 | 205 | 304) {
        let mut response = Response::new(reply::empty());
        *response.status_mut() = status;
        return Ok(response);
    }
    let echo = echo(parts, body).await?;
    // postman-echo's `{"status": code}`, plus the echo.
    Ok(reply::compact_json(
        status,
        &json!({ "status": code, "echo": echo }),
    ))
}

fn redirect(status: StatusCode, location: &str, echo: Map<String, Value>) -> Result<Reply, Reject> {
    let value = HeaderValue::from_str(location)
        .map_err(|_| Reject::bad("redirect target is not a valid header value"))?;
    let mut response = reply::json(status, &json!({ "location": location, "echo": echo }));
    response.headers_mut().insert(LOCATION, value);
    Ok(response)
}

async fn redirect_chain(parts: &Parts, body: &Bytes, raw: &str) -> Result<Reply, Reject> {
    let n = parse_number(raw, "redirect count")?;
    if n == 0 {
        return Err(Reject::bad("redirect count must be at least 1"));
    }
    let absolute =
        query_value(parts.uri.query().unwrap_or(""), "absolute").as_deref() == Some("true");
    let next = if n == 1 {
        "/get".to_owned()
    } else {
        format!("/redirect/{}", n - 1)
    };
    let location = if absolute {
        let host = parts
            .headers
            .get(HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned)
            .or_else(|| parts.uri.authority().map(|a| a.to_string()))
            .ok_or_else(|| Reject::bad("absolute redirects need a Host"))?;
        let keep = if n == 1 { "" } else { "?absolute=true" };
        format!("http://{host}{next}{keep}")
    } else {
        next
    };
    let echo = echo(parts, body).await?;
    redirect(StatusCode::FOUND, &location, echo)
}

async fn redirect_to(parts: &Parts, body: &Bytes, query: &str) -> Result<Reply, Reject> {
    let target = query_value(query, "url").ok_or_else(|| Reject::bad("redirect-to needs ?url="))?;
    // `status_code` is httpbin's name for it.
    let code = match query_value(query, "status").or_else(|| query_value(query, "status_code")) {
        Some(raw) => parse_number(&raw, "status")?,
        None => 302,
    };
    let status = match code {
        301 => StatusCode::MOVED_PERMANENTLY,
        302 => StatusCode::FOUND,
        303 => StatusCode::SEE_OTHER,
        307 => StatusCode::TEMPORARY_REDIRECT,
        308 => StatusCode::PERMANENT_REDIRECT,
        _ => {
            return Err(Reject::bad(
                "redirect-to status must be 301, 302, 303, 307 or 308",
            ))
        }
    };
    let echo = echo(parts, body).await?;
    redirect(status, &target, echo)
}

async fn compressed_echo(parts: &Parts, body: &Bytes, encoding: Encoding) -> Result<Reply, Reject> {
    let echo = echo(parts, body).await?;
    let plain = reply::pretty(&Value::Object(echo));
    let encoded = compress::encode(encoding, &plain).await.map_err(|err| {
        Reject::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("compression failed: {err}"),
        )
    })?;
    let mut response = reply::with_type(StatusCode::OK, "application/json", encoded);
    response
        .headers_mut()
        .insert(CONTENT_ENCODING, HeaderValue::from_static(encoding.token()));
    Ok(response)
}

const HTML: &str = "<!DOCTYPE html>
<html lang=\"en\">
<head>
  <meta charset=\"utf-8\">
  <title>postie echo</title>
</head>
<body>
  <h1>postie echo</h1>
  <p>A small HTML page served by <code>postie echo</code>.</p>
  <ul>
    <li><a href=\"/get\">/get</a></li>
    <li><a href=\"/json/1024\">/json/1024</a></li>
  </ul>
</body>
</html>
";

const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>
<slideshow title=\"postie echo\" author=\"postie\">
  <slide type=\"all\">
    <title>Hello from postie echo</title>
  </slide>
  <slide type=\"all\">
    <title>Overview</title>
    <item>Echo any request as <em>JSON</em></item>
    <item>httpbin-style routes for tests</item>
  </slide>
</slideshow>
";
