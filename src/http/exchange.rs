//! One request from first byte to last: hops, digest retry, body.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{self, HeaderName, HeaderValue};
use reqwest::Method;
use url::Url;

use super::client::{ClientKey, Clients, CONNECT_TIMEOUT};
use super::cookies::CookieJar;
use super::decode::{read_body, Body};
use super::errors::{classify, host_of};
use super::raw::{self, RawBody, RawRequest};
use super::redirect::{is_redirect, next_method, referer, resolve, same_origin};
use super::target;
use super::timing::{self, Probe, WatchedBody};
use super::{
    digest, BodyTarget, Header, HopAuth, PreparedBody, PreparedRequest, RedirectHop, Response,
    ResponseHead, SendError, Sizes, Timings,
};

const DEFAULT_ACCEPT_ENCODING: &str = "gzip, deflate, br, zstd";

enum Outgoing {
    Empty,
    Bytes(Bytes),
    File(PathBuf),
}

fn file_error(path: &std::path::Path, e: std::io::Error) -> SendError {
    SendError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

fn validate_headers(
    headers: &[(String, String)],
) -> Result<Vec<(HeaderName, HeaderValue)>, SendError> {
    headers
        .iter()
        .map(|(n, v)| {
            let name = HeaderName::from_bytes(n.as_bytes())
                .map_err(|_| SendError::InvalidRequest(format!("invalid header name `{n}`")))?;
            let value = HeaderValue::from_str(v).map_err(|_| {
                SendError::InvalidRequest(format!("invalid value for header `{n}`: {v:?}"))
            })?;
            Ok((name, value))
        })
        .collect()
}

pub(crate) fn version_name(v: reqwest::Version) -> &'static str {
    match v {
        reqwest::Version::HTTP_09 => "HTTP/0.9",
        reqwest::Version::HTTP_10 => "HTTP/1.0",
        reqwest::Version::HTTP_11 => "HTTP/1.1",
        reqwest::Version::HTTP_2 => "HTTP/2",
        reqwest::Version::HTTP_3 => "HTTP/3",
        _ => "HTTP",
    }
}

/// What a request task tells the executor loop before its result.
pub(crate) enum Report {
    Head(ResponseHead),
    Progress { received: u64, total: Option<u64> },
}

/// Reads what is left of a small intermediate body so its connection can
/// carry the next hop; a big one is dropped (closing the connection) instead.
async fn drain(mut response: reqwest::Response) {
    let mut left: usize = 64 * 1024;
    while let Ok(Some(chunk)) = response.chunk().await {
        if chunk.len() >= left {
            break;
        }
        left -= chunk.len();
    }
}

/// Sends `req` and reads the final response. `cookies_set` is raised as soon
/// as any hop sets a cookie, so the caller can persist the jar even when a
/// later step fails or times out.
pub(crate) async fn perform(
    clients: &Clients,
    req: PreparedRequest,
    target: BodyTarget,
    cookies_set: &mut bool,
    mut report: impl FnMut(Report),
) -> Result<Response, SendError> {
    let settings = req.settings.clone();
    let mut method = Method::from_bytes(req.method.as_bytes())
        .map_err(|_| SendError::InvalidRequest(format!("invalid method `{}`", req.method)))?;
    let mut url = Url::parse(&req.url)
        .map_err(|e| SendError::InvalidRequest(format!("invalid URL `{}`: {e}", req.url)))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(SendError::InvalidRequest(format!(
            "unsupported URL scheme `{}` (only http and https)",
            url.scheme()
        )));
    }
    // Set when url::Url would change the target as written (`/./`, raw
    // characters): the first URL then goes out through `raw.rs`.
    let raw_target = target::raw_target(&req.url, &url, settings.encode_url);
    let mut headers = validate_headers(&req.headers)?;
    let user_sets = |headers: &[(HeaderName, HeaderValue)], name: &HeaderName| {
        headers.iter().any(|(n, _)| n == name)
    };
    let send_accept_encoding = !user_sets(&headers, &header::ACCEPT_ENCODING);
    let mut body = match req.body {
        _ if settings.omit_body => Outgoing::Empty,
        PreparedBody::Empty => Outgoing::Empty,
        PreparedBody::Bytes(b) => Outgoing::Bytes(Bytes::from(b)),
        PreparedBody::File(p) => Outgoing::File(p),
        PreparedBody::Multipart { boundary, parts } => Outgoing::Bytes(Bytes::from(
            super::multipart::encode(&boundary, &parts).await?,
        )),
    };
    let first_url = url.clone();
    let connect_timeout = settings
        .timeout
        .map_or(CONNECT_TIMEOUT, |t| t.min(CONNECT_TIMEOUT));

    // Built (CA store loaded) before the clock starts: setting up the client
    // is not part of the exchange's time, as curl's timers don't count it.
    clients.get(
        ClientKey::new(&url, settings.verify_tls, settings.http_version),
        &host_of(&url),
    )?;
    if raw_target.is_some() && url.scheme() == "https" {
        clients.raw_tls(settings.verify_tls, &host_of(&url))?;
    }
    let start = Instant::now();
    // The same moment on the wall clock: exported spans place the timings
    // (offsets from `start`) on it.
    let started_at = std::time::SystemTime::now();
    let mut hops: Vec<RedirectHop> = Vec::new();
    let mut digest_auth: Option<HeaderValue> = None;
    let mut digest_tried = false;
    loop {
        let host = host_of(&url);
        let client = clients.get(
            ClientKey::new(&url, settings.verify_tls, settings.http_version),
            &host,
        )?;
        let mut map = header::HeaderMap::new();
        for (n, v) in &headers {
            map.append(n.clone(), v.clone());
        }
        if send_accept_encoding {
            map.insert(
                header::ACCEPT_ENCODING,
                HeaderValue::from_static(DEFAULT_ACCEPT_ENCODING),
            );
        }
        if let Some(auth) = digest_auth.take() {
            map.insert(header::AUTHORIZATION, auth);
        }
        let hop_start = Instant::now();
        let probe = Arc::new(Probe::default());
        let mut builder = client.request(method.clone(), url.clone());
        match &body {
            // As Postman (and node's request) do: a bodiless request other
            // than GET/HEAD says so, which some servers require.
            Outgoing::Empty => {
                if method != Method::GET
                    && method != Method::HEAD
                    && !map.contains_key(header::CONTENT_LENGTH)
                    && !map.contains_key(header::TRANSFER_ENCODING)
                {
                    map.insert(header::CONTENT_LENGTH, HeaderValue::from(0u64));
                }
            }
            Outgoing::Bytes(b) => {
                builder = builder.body(reqwest::Body::wrap(WatchedBody::new(
                    reqwest::Body::from(b.clone()),
                    probe.clone(),
                )));
            }
            Outgoing::File(path) => {
                // Re-opened on every hop: a 307/308 sends the body again.
                let file = tokio::fs::File::open(path)
                    .await
                    .map_err(|e| file_error(path, e))?;
                let len = file
                    .metadata()
                    .await
                    .map_err(|e| file_error(path, e))?
                    .len();
                if !map.contains_key(header::CONTENT_LENGTH) {
                    map.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
                }
                builder = builder.body(reqwest::Body::wrap(WatchedBody::new(
                    reqwest::Body::from(file),
                    probe.clone(),
                )));
            }
        }
        let mut request = builder
            .build()
            .map_err(|e| SendError::InvalidRequest(e.to_string()))?;
        // reqwest turns URL userinfo into Basic auth while building; keep
        // it (as Postman does) unless a header or digest already says.
        let from_userinfo = request.headers().get(header::AUTHORIZATION).cloned();
        *request.headers_mut() = map;
        if let Some(v) = from_userinfo {
            if !request.headers().contains_key(header::AUTHORIZATION) {
                request.headers_mut().insert(header::AUTHORIZATION, v);
            }
        }

        let body_len = match &body {
            Outgoing::Bytes(b) => Some(b.len() as u64),
            _ => None,
        };
        let sent_headers = sent_headers(&request, clients, body_len);
        // Only the URL as written needs the raw path; a redirect's Location
        // is an ordinary URL and goes through reqwest.
        let raw = raw_target.as_deref().filter(|_| hops.is_empty());
        let sent = match raw {
            None => timing::scope(probe.clone(), client.execute(request))
                .await
                .map(|r| (r, None))
                .map_err(|e| classify(&e, &url, connect_timeout, &probe.seen())),
            Some(target) => {
                let tls = match url.scheme() {
                    "https" => Some(clients.raw_tls(settings.verify_tls, &host)?),
                    _ => None,
                };
                let raw_request = RawRequest {
                    method: method.as_str(),
                    url: &url,
                    target,
                    headers: &sent_headers,
                    body: match &body {
                        Outgoing::Empty => RawBody::Empty,
                        Outgoing::Bytes(b) => RawBody::Bytes(b),
                        Outgoing::File(p) => RawBody::File(p),
                    },
                    tls,
                    connect_timeout,
                };
                timing::scope(probe.clone(), raw::send(raw_request))
                    .await
                    .map(|(r, addr)| (r, Some(addr)))
            }
        };
        let head_at = Instant::now();
        let seen = probe.seen();
        let (response, remote) = sent?;
        if raw.is_some() {
            clients.store_cookies(&url, response.headers());
        }
        let hop_timings = timing::timings(start, hop_start, &seen, head_at);
        let mut connection = clients.connection(&url, &response, &seen, hop_timings.reused);
        if remote.is_some() {
            connection.remote = remote;
        }
        if response.headers().contains_key(header::SET_COOKIE) {
            *cookies_set = true;
        }
        let status = response.status().as_u16();

        if status == 401 && !digest_tried && same_origin(&url, &first_url) {
            if let Some(HopAuth::Digest(creds)) = &req.auth {
                let challenge = digest::pick_challenge(
                    response
                        .headers()
                        .get_all(header::WWW_AUTHENTICATE)
                        .iter()
                        .map(|v| v.as_bytes()),
                );
                if let Some(challenge) = challenge {
                    digest_tried = true;
                    let entity = match (&challenge.qop, &body) {
                        (Some(digest::Qop::AuthInt), Outgoing::Bytes(b)) => b.to_vec(),
                        (Some(digest::Qop::AuthInt), Outgoing::File(p)) => {
                            tokio::fs::read(p).await.map_err(|e| file_error(p, e))?
                        }
                        _ => Vec::new(),
                    };
                    let uri = raw.map_or_else(|| target::of_url(&url), str::to_string);
                    let value = digest::authorization(
                        creds,
                        &challenge,
                        method.as_str(),
                        &uri,
                        &digest::new_cnonce(),
                        &entity,
                    );
                    drain(response).await;
                    digest_auth = Some(HeaderValue::from_str(&value).map_err(|_| {
                        SendError::InvalidRequest(
                            "digest credentials contain characters not allowed in a header".into(),
                        )
                    })?);
                    continue;
                }
            }
        }

        if settings.follow_redirects && is_redirect(status) {
            if let Some(location) = response.headers().get(header::LOCATION) {
                if hops.len() as u64 >= u64::from(settings.max_redirects) {
                    return Err(SendError::TooManyRedirects(settings.max_redirects));
                }
                let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
                let next = resolve(&url, &location)?;
                if url.scheme() == "https" && next.scheme() == "http" && !settings.allow_downgrade {
                    return Err(SendError::Protocol(format!(
                        "refused to follow the redirect from {url} to {next}: it leaves https \
                         for plain http (set allow_downgrade to follow it)"
                    )));
                }
                hops.push(RedirectHop {
                    status,
                    url: url.to_string(),
                    location,
                    timings: hop_timings,
                    connection,
                });
                let (next_m, keep_body) =
                    next_method(status, &method, settings.follow_original_method);
                if !keep_body {
                    body = Outgoing::Empty;
                    headers.retain(|(n, _)| {
                        n != header::CONTENT_TYPE
                            && n != header::CONTENT_LENGTH
                            && n != header::TRANSFER_ENCODING
                    });
                }
                if !same_origin(&url, &next) {
                    // Credentials the user set were meant for the first host.
                    let keep_credentials = settings.follow_authorization_header;
                    headers.retain(|(n, _)| {
                        n != header::COOKIE
                            && n != header::PROXY_AUTHORIZATION
                            && (keep_credentials
                                || !is_credential(n.as_str(), &settings.credential_headers))
                    });
                }
                if !settings.remove_referer_on_redirect {
                    // Postman names the page that redirected, as browsers do;
                    // another origin gets only the origin (browsers' default
                    // policy), so a query's API key does not go with it.
                    if let Ok(v) = HeaderValue::from_str(&referer(&url, &next)) {
                        headers.retain(|(n, _)| n != header::REFERER);
                        headers.push((header::REFERER, v));
                    }
                }
                drain(response).await;
                method = next_m;
                url = next;
                digest_tried = false;
                continue;
            }
        }

        let reason = response
            .status()
            .canonical_reason()
            .unwrap_or_default()
            .to_string();
        let version = version_name(response.version()).to_string();
        let final_url = response.url().to_string();
        let resp_headers: Vec<Header> = response
            .headers()
            .iter()
            .map(|(n, v)| Header {
                name: n.as_str().to_string(),
                value: v.as_bytes().to_vec(),
            })
            .collect();
        report(Report::Head(ResponseHead {
            status,
            reason: reason.clone(),
            version: version.clone(),
            headers: resp_headers.clone(),
            url: final_url.clone(),
        }));
        let no_body = method == Method::HEAD
            || (100..200).contains(&status)
            || status == 204
            || status == 304;
        let sizes = Sizes {
            request_headers: request_head_size(
                &method,
                raw.map_or_else(|| target::len_of_url(&url), str::len),
                &sent_headers,
            ),
            request_body: match &body {
                Outgoing::Empty => 0,
                Outgoing::Bytes(b) => b.len() as u64,
                Outgoing::File(p) => tokio::fs::metadata(p).await.map_or(0, |m| m.len()),
            },
            response_headers: response_head_size(&reason, &resp_headers),
        };
        let body = if no_body {
            drop(response);
            Body {
                body: Vec::new(),
                wire_size: 0,
                decoded_size: 0,
                truncated: false,
            }
        } else {
            let progress = |received, total| report(Report::Progress { received, total });
            read_body(response, target, settings.max_body_bytes, progress).await?
        };
        return Ok(Response {
            status,
            reason,
            version,
            headers: resp_headers,
            body: body.body,
            wire_size: body.wire_size,
            decoded_size: body.decoded_size,
            truncated: body.truncated,
            redirects: hops,
            url: final_url,
            timings: Timings {
                total: start.elapsed(),
                ..hop_timings
            },
            connection,
            sizes,
            sent_headers,
            cookies: Vec::new(),
            started_at: Some(started_at),
        });
    }
}

/// [`perform`] bounded by the request's timeout, then the cookie jar saved
/// if anything set a cookie.
pub(crate) async fn perform_with_timeout(
    clients: &Clients,
    jar: &Arc<CookieJar>,
    req: PreparedRequest,
    target: BodyTarget,
    report: impl FnMut(Report),
) -> Result<Response, SendError> {
    let timeout: Option<Duration> = req.settings.timeout;
    let mut cookies_set = false;
    let fut = perform(clients, req, target, &mut cookies_set, report);
    let result = match timeout {
        Some(t) => tokio::time::timeout(t, fut)
            .await
            .unwrap_or(Err(SendError::Timeout(t))),
        None => fut.await,
    };
    if cookies_set && jar.persists() {
        let jar = jar.clone();
        // Best effort: a cookie file we cannot write must not fail the request.
        let _ = tokio::task::spawn_blocking(move || jar.save()).await;
    }
    result.map(|mut response| {
        response.cookies = jar.for_url(&response.url);
        response
    })
}

/// The request's headers as the client sends them: the ones set here, then
/// those reqwest and hyper add when absent (Host, Accept, the jar's cookies,
/// the body's length). HTTP/2 carries Host as `:authority`.
fn sent_headers(
    request: &reqwest::Request,
    clients: &Clients,
    body_len: Option<u64>,
) -> Vec<(String, String)> {
    let h = request.headers();
    let text = |v: &HeaderValue| String::from_utf8_lossy(v.as_bytes()).into_owned();
    let mut out = Vec::new();
    if !h.contains_key(header::HOST) {
        let url = request.url();
        let host = url.host_str().unwrap_or("");
        let host = match url.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        };
        out.push(("Host".to_string(), host));
    }
    out.extend(h.iter().map(|(n, v)| (n.as_str().to_string(), text(v))));
    if !h.contains_key(header::ACCEPT) {
        out.push(("Accept".to_string(), "*/*".to_string()));
    }
    if !h.contains_key(header::COOKIE) {
        if let Some(c) = clients.jar_cookie(request.url()) {
            out.push(("Cookie".to_string(), text(&c)));
        }
    }
    if let (Some(len), false) = (
        body_len,
        h.contains_key(header::CONTENT_LENGTH) || h.contains_key(header::TRANSFER_ENCODING),
    ) {
        out.push(("Content-Length".to_string(), len.to_string()));
    }
    out
}

/// Bytes of the request line and headers in their HTTP/1.1 form.
fn request_head_size(method: &Method, target: usize, headers: &[(String, String)]) -> u64 {
    // "GET /path HTTP/1.1\r\n"
    let line = method.as_str().len() + 1 + target + 1 + 8 + 2;
    let fields: usize = headers.iter().map(|(n, v)| n.len() + 2 + v.len() + 2).sum();
    (line + fields + 2) as u64
}

/// Bytes of the status line and headers in their HTTP/1.1 form.
fn response_head_size(reason: &str, headers: &[Header]) -> u64 {
    // "HTTP/1.1 200 OK\r\n"
    let line = 8 + 1 + 3 + 1 + reason.len() + 2;
    let fields: usize = headers
        .iter()
        .map(|h| h.name.len() + 2 + h.value.len() + 2)
        .sum();
    (line + fields + 2) as u64
}

/// Whether header `name` (lower-case) carries a credential: the request's
/// auth put it there, or its name says so (`Authorization`, `X-Api-Key`,
/// `X-Auth-Token`, `X-Access-Token`, a secret).
fn is_credential(name: &str, from_auth: &[String]) -> bool {
    from_auth.iter().any(|a| a == name)
        || [
            "auth", "api-key", "apikey", "api_key", "token", "secret", "password",
        ]
        .iter()
        .any(|w| name.contains(w))
}
