//! postman-echo's auth routes, with its fixed credentials: `/basic-auth`,
//! `/digest-auth`, `/oauth1` (RFC 5849 signatures) and `/auth/hawk`.
//! Timestamps and nonces are not checked: the collections written for
//! postman-echo sign with fixed ones.

use base64::Engine as _;
use bytes::Bytes;
use hmac::{Hmac, Mac};
use hyper::header::{HeaderMap, HeaderValue, HOST, WWW_AUTHENTICATE};
use hyper::http::request::Parts;
use hyper::{Response, StatusCode};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Value};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use super::auth::{authorization, make_nonce, md5_response, parse_params, DigestInput};
use super::describe::media_type;
use super::params::{lossy, percent_decode, query_pairs};
use super::postman::query_of;
use super::reply::{self, Body};

pub const BASIC_USER: &str = "postman";
pub const BASIC_PASSWORD: &str = "password";
/// `/digest-auth` takes the same user and password.
pub const DIGEST_REALM: &str = "Users";
pub const OAUTH1_CONSUMER_KEY: &str = "RKCGzna7bv9YD57c";
pub const OAUTH1_CONSUMER_SECRET: &str = "D+EdQ-gs$-%@2Nu7";
pub const HAWK_ID: &str = "dh37fgj492je";
pub const HAWK_KEY: &str = "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn";

type Reply = Response<Body>;

/// RFC 3986's unreserved characters stay; everything else is `%XX`
/// (RFC 5849 §3.6).
const OAUTH_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn oauth_encode(text: &str) -> String {
    utf8_percent_encode(text, OAUTH_UNRESERVED).to_string()
}

fn unauthorized(challenge: &str, body: Value) -> Reply {
    let mut response = reply::compact_json(StatusCode::UNAUTHORIZED, &body);
    if let Ok(value) = HeaderValue::from_str(challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

fn authenticated() -> Reply {
    reply::compact_json(StatusCode::OK, &json!({ "authenticated": true }))
}

pub(super) fn bearer_token(headers: &HeaderMap) -> Option<String> {
    authorization(headers, "Bearer").filter(|token| !token.is_empty())
}

pub fn basic(headers: &HeaderMap) -> Reply {
    let given = authorization(headers, "Basic")
        .and_then(|encoded| {
            base64::engine::general_purpose::STANDARD
                .decode(encoded.as_bytes())
                .ok()
        })
        .map(lossy);
    if given.as_deref() == Some(&format!("{BASIC_USER}:{BASIC_PASSWORD}")) {
        authenticated()
    } else {
        unauthorized(
            &format!("Basic realm=\"{DIGEST_REALM}\""),
            json!({ "authenticated": false }),
        )
    }
}

/// MD5 Digest for postman/password in realm `Users`, with qop `auth` (the
/// challenge offers it) or without qop (RFC 2069: Postman sends that when a
/// collection sets `qop` empty). Any nonce is taken.
pub fn digest(parts: &Parts, body: &Bytes) -> Reply {
    let challenge = format!(
        "Digest realm=\"{DIGEST_REALM}\", nonce=\"{}\", qop=\"auth\"",
        make_nonce()
    );
    let refuse = |reason: &str| {
        unauthorized(
            &challenge,
            json!({ "authenticated": false, "error": reason }),
        )
    };
    let Some(credentials) = authorization(&parts.headers, "Digest") else {
        return refuse("missing Digest authorization");
    };
    let params = parse_params(&credentials);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    };
    let (Some(user), Some(realm), Some(nonce), Some(uri), Some(response)) = (
        get("username"),
        get("realm"),
        get("nonce"),
        get("uri"),
        get("response"),
    ) else {
        return refuse("Digest authorization lacks username, realm, nonce, uri or response");
    };
    if user != BASIC_USER || realm != DIGEST_REALM {
        return refuse("wrong user or realm");
    }
    if get("algorithm").is_some_and(|a| !a.eq_ignore_ascii_case("MD5")) {
        return refuse("only MD5 is supported");
    }
    let qop = match (get("qop"), get("nc"), get("cnonce")) {
        (None, _, _) => None,
        (Some(qop), Some(nc), Some(cnonce)) => Some((nc, cnonce, qop)),
        (Some(_), _, _) => return refuse("qop needs nc and cnonce"),
    };
    let expected = md5_response(DigestInput {
        credentials: (BASIC_USER, DIGEST_REALM, BASIC_PASSWORD),
        method: parts.method.as_str(),
        uri,
        nonce,
        qop,
        body,
    });
    if expected.eq_ignore_ascii_case(response) {
        authenticated()
    } else {
        refuse("wrong digest response (user or password)")
    }
}

fn hmac_sha1(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<Sha1> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        // HMAC takes keys of any length; this arm never runs.
        Err(_) => Vec::new(),
    }
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<Sha256> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn hmac_sha512(key: &[u8], data: &[u8]) -> Vec<u8> {
    match <Hmac<Sha512> as Mac>::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// RFC 5849 §3.4.1.2: scheme and host lower-case, default port dropped,
/// no userinfo, query or fragment; the path as sent.
pub(super) fn oauth_base_uri(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("http", url));
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let mut authority = authority.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "https" => ":443",
        _ => ":80",
    };
    if authority.ends_with(default_port) {
        authority.truncate(authority.len() - default_port.len());
    }
    let tail = &rest[end..];
    let path = &tail[..tail.find(['?', '#']).unwrap_or(tail.len())];
    let path = if path.is_empty() { "/" } else { path };
    format!("{scheme}://{authority}{path}")
}

/// RFC 5849 §3.4.1.3.2: each name and value encoded, sorted by name then
/// value, joined with `&`.
pub(super) fn oauth_normalized_params(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(name, value)| (oauth_encode(name), oauth_encode(value)))
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 5849 §3.4.1.1.
pub(super) fn oauth_base_string(method: &str, base_uri: &str, normalized: &str) -> String {
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        oauth_encode(base_uri),
        oauth_encode(normalized)
    )
}

fn oauth_sign(method: &str, key: &str, base_string: &str) -> Option<String> {
    let (key, data) = (key.as_bytes(), base_string.as_bytes());
    match method.to_ascii_uppercase().as_str() {
        "HMAC-SHA1" => Some(base64(&hmac_sha1(key, data))),
        "HMAC-SHA256" => Some(base64(&hmac_sha256(key, data))),
        "HMAC-SHA512" => Some(base64(&hmac_sha512(key, data))),
        "PLAINTEXT" => Some(key_text(key)),
        _ => None,
    }
}

fn key_text(key: &[u8]) -> String {
    String::from_utf8_lossy(key).into_owned()
}

/// OAuth 1.0a: the parameters from the `Authorization: OAuth` header, the
/// query and an urlencoded body, signed with the consumer secret and an
/// empty token secret (postman-echo knows no tokens).
pub fn oauth1(parts: &Parts, body: &Bytes, url: &str) -> Reply {
    let fail = |message: String| {
        reply::compact_json(
            StatusCode::UNAUTHORIZED,
            &json!({ "status": "fail", "message": message }),
        )
    };
    let mut params: Vec<(String, String)> = query_pairs(query_of(url));
    if media_type(&parts.headers).as_deref() == Some("application/x-www-form-urlencoded") {
        params.extend(query_pairs(&String::from_utf8_lossy(body)));
    }
    if let Some(header) = authorization(&parts.headers, "OAuth") {
        params.extend(
            parse_params(&header)
                .into_iter()
                .filter(|(name, _)| name != "realm")
                .map(|(name, value)| (name, lossy(percent_decode(value.as_bytes(), false)))),
        );
    }
    let Some(index) = params
        .iter()
        .position(|(name, _)| name == "oauth_signature")
    else {
        return fail("oauth_signature is missing".into());
    };
    let (_, signature) = params.remove(index);
    let find = |key: &str| {
        params
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.clone())
    };
    if find("oauth_consumer_key").as_deref() != Some(OAUTH1_CONSUMER_KEY) {
        return fail(format!(
            "unknown oauth_consumer_key (postman-echo's is {OAUTH1_CONSUMER_KEY})"
        ));
    }
    let method_name = find("oauth_signature_method").unwrap_or_else(|| "HMAC-SHA1".into());
    let base_uri = oauth_base_uri(url);
    let signing_key = format!("{}&", oauth_encode(OAUTH1_CONSUMER_SECRET));
    let attempt = |params: &[(String, String)]| {
        let normalized = oauth_normalized_params(params);
        let base_string = oauth_base_string(parts.method.as_str(), &base_uri, &normalized);
        let expected = oauth_sign(&method_name, &signing_key, &base_string);
        (expected, normalized, base_string)
    };
    let (expected, normalized, base_string) = attempt(&params);
    let Some(expected) = expected else {
        return fail(format!(
            "unsupported oauth_signature_method {method_name:?}"
        ));
    };
    // Postman leaves empty oauth_* parameters out of the signature unless
    // told to add them, but may still send them: accept either reading.
    let without_empty: Vec<(String, String)> = params
        .iter()
        .filter(|(name, value)| !(name.starts_with("oauth_") && value.is_empty()))
        .cloned()
        .collect();
    let verified = expected == signature
        || (without_empty.len() != params.len()
            && attempt(&without_empty).0.as_deref() == Some(&signature));
    if verified {
        return reply::compact_json(
            StatusCode::OK,
            &json!({
                "status": "pass",
                "message": "OAuth-1.0a signature verification was successful",
            }),
        );
    }
    reply::compact_json(
        StatusCode::UNAUTHORIZED,
        &json!({
            "status": "fail",
            "message": format!("{} verification failed", method_name.to_ascii_uppercase()),
            "base_uri": base_uri,
            "normalized_param_string": normalized,
            "base_string": base_string,
            "signing_key": signing_key,
        }),
    )
}

/// What a Hawk request MAC covers.
pub(super) struct HawkInput<'a> {
    pub ts: &'a str,
    pub nonce: &'a str,
    pub method: &'a str,
    /// Path and query as sent.
    pub resource: &'a str,
    pub host: &'a str,
    pub port: &'a str,
    pub hash: &'a str,
    pub ext: &'a str,
    /// `(app, dlg)` when the header names an app.
    pub app: Option<(&'a str, &'a str)>,
}

/// Hawk's normalized string for a request header (`hawk.1.header\n…`).
pub(super) fn hawk_normalized(input: &HawkInput<'_>) -> String {
    let ext = input.ext.replace('\\', "\\\\").replace('\n', "\\n");
    let mut out = format!(
        "hawk.1.header\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{ext}\n",
        input.ts,
        input.nonce,
        input.method.to_ascii_uppercase(),
        input.resource,
        input.host.to_ascii_lowercase(),
        input.port,
        input.hash,
    );
    if let Some((app, dlg)) = input.app {
        out.push_str(&format!("{app}\n{dlg}\n"));
    }
    out
}

pub(super) fn hawk_mac(key: &str, normalized: &str) -> String {
    base64(&hmac_sha256(key.as_bytes(), normalized.as_bytes()))
}

/// `host[:port]` → (host, port), the port defaulting to 80; IPv6 literals
/// keep their brackets, as Hawk clients sign them.
fn host_and_port(host: &str) -> (&str, &str) {
    let split_at = match host.rfind(']') {
        Some(bracket) => host[bracket..].find(':').map(|i| bracket + i),
        None => host.rfind(':'),
    };
    match split_at {
        Some(i) => (&host[..i], &host[i + 1..]),
        None => (host, "80"),
    }
}

/// Hawk with sha256 for postman-echo's id and key. The payload hash, when
/// sent, is covered by the MAC but not checked against the body (Hawk
/// servers check it only when asked to).
pub fn hawk(parts: &Parts) -> Reply {
    let refuse = |message: &str, challenge: &str| {
        unauthorized(
            challenge,
            json!({ "statusCode": 401, "error": "Unauthorized", "message": message }),
        )
    };
    let Some(header) = authorization(&parts.headers, "Hawk") else {
        return refuse("Missing authentication", "Hawk");
    };
    let params = parse_params(&header);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let (Some(id), Some(ts), Some(nonce), Some(mac)) =
        (get("id"), get("ts"), get("nonce"), get("mac"))
    else {
        return refuse("Missing attributes", "Hawk error=\"Missing attributes\"");
    };
    if id != HAWK_ID {
        return refuse("Unknown credentials", "Hawk error=\"Unknown credentials\"");
    }
    let host_header = parts
        .headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| parts.uri.authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let (host, port) = host_and_port(&host_header);
    let input = HawkInput {
        ts,
        nonce,
        method: parts.method.as_str(),
        resource: parts.uri.path_and_query().map_or("/", |pq| pq.as_str()),
        host,
        port,
        hash: get("hash").unwrap_or(""),
        ext: get("ext").unwrap_or(""),
        app: get("app").map(|app| (app, get("dlg").unwrap_or(""))),
    };
    if hawk_mac(HAWK_KEY, &hawk_normalized(&input)) == mac {
        reply::compact_json(
            StatusCode::OK,
            &json!({ "message": "Hawk Authentication Successful" }),
        )
    } else {
        refuse("Bad mac", "Hawk error=\"Bad mac\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of RFC 5849 §3.4.1.1, base string checked against the
    /// RFC's text.
    #[test]
    fn oauth_base_string_matches_rfc_5849() {
        let url = "http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b";
        let mut params = query_pairs(query_of(url));
        params.extend(query_pairs("c2&a3=2+q"));
        for (name, value) in [
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ] {
            params.push((name.into(), value.into()));
        }
        let base_uri = oauth_base_uri(url);
        assert_eq!(base_uri, "http://example.com/request");
        let base = oauth_base_string("POST", &base_uri, &oauth_normalized_params(&params));
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    #[test]
    fn oauth_base_uri_keeps_other_ports_and_drops_userinfo() {
        assert_eq!(
            oauth_base_uri("HTTPS://u:p@Host.Example:8443/a/B?x=1#f"),
            "https://host.example:8443/a/B"
        );
        assert_eq!(oauth_base_uri("https://h:443"), "https://h/");
    }

    /// RFC 2202's HMAC-SHA1 test case 2, so the primitive is known good.
    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        let mac = hmac_sha1(b"Jefe", b"what do ya want for nothing?");
        let hex: String = mac.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    }

    /// The two examples of Hawk's README, with its published MACs.
    #[test]
    fn hawk_mac_matches_the_published_examples() {
        let mut input = HawkInput {
            ts: "1353832234",
            nonce: "j4h3g2",
            method: "GET",
            resource: "/resource/1?b=1&a=2",
            host: "example.com",
            port: "8000",
            hash: "",
            ext: "some-app-ext-data",
            app: None,
        };
        assert_eq!(
            hawk_normalized(&input),
            "hawk.1.header\n1353832234\nj4h3g2\nGET\n/resource/1?b=1&a=2\nexample.com\n8000\n\nsome-app-ext-data\n"
        );
        assert_eq!(
            hawk_mac(HAWK_KEY, &hawk_normalized(&input)),
            "6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="
        );
        input.method = "POST";
        input.hash = "Yi9LfIIFRtBEPt74PVmbTF/xVAwPn7ub15ePICfgnuY=";
        assert_eq!(
            hawk_mac(HAWK_KEY, &hawk_normalized(&input)),
            "aSe1DERmZuRl3pI36/9BdZmnErTw3sNzOOAUlfeKjVw="
        );
    }

    #[test]
    fn hawk_host_and_port() {
        assert_eq!(host_and_port("127.0.0.1:4000"), ("127.0.0.1", "4000"));
        assert_eq!(host_and_port("example.com"), ("example.com", "80"));
        assert_eq!(host_and_port("[::1]:81"), ("[::1]", "81"));
        assert_eq!(host_and_port("[::1]"), ("[::1]", "80"));
    }
}
