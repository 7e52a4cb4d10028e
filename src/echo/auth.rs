//! `/basic-auth`, `/bearer` and `/digest-auth` (RFC 7616).

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use bytes::Bytes;
use hyper::header::{HeaderMap, HeaderValue, AUTHORIZATION, WWW_AUTHENTICATE};
use hyper::{Method, Response, StatusCode, Uri};
use md5::Md5;
use serde_json::json;
use sha2::{Digest as _, Sha256};

use super::describe::hex;
use super::reply::{self, Body};

pub const REALM: &str = "postie";
/// Nonces older than this are answered with `stale=true`.
const NONCE_LIFETIME: Duration = Duration::from_secs(300);

pub(super) fn authorization(headers: &HeaderMap, scheme: &str) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (given, rest) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| rest.trim().to_owned())
}

fn unauthorized(challenge: String, reason: &str) -> Response<Body> {
    let mut response = reply::json(
        StatusCode::UNAUTHORIZED,
        &json!({ "authenticated": false, "error": reason }),
    );
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(WWW_AUTHENTICATE, value);
    }
    response
}

pub fn basic(headers: &HeaderMap, user: &str, pass: &str) -> Response<Body> {
    let challenge = format!("Basic realm=\"{REALM}\"");
    let Some(encoded) = authorization(headers, "Basic") else {
        return unauthorized(challenge, "missing Basic authorization");
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.as_bytes())
        .ok()
        .and_then(|raw| String::from_utf8(raw).ok());
    let Some(decoded) = decoded else {
        return unauthorized(challenge, "Basic credentials are not valid base64 UTF-8");
    };
    match decoded.split_once(':') {
        Some((given_user, given_pass)) if given_user == user && given_pass == pass => reply::json(
            StatusCode::OK,
            &json!({ "authenticated": true, "user": user }),
        ),
        _ => unauthorized(challenge, "wrong user or password"),
    }
}

pub fn bearer(headers: &HeaderMap) -> Response<Body> {
    match authorization(headers, "Bearer") {
        Some(token) if !token.is_empty() => reply::json(
            StatusCode::OK,
            &json!({ "authenticated": true, "token": token }),
        ),
        _ => unauthorized(format!("Bearer realm=\"{REALM}\""), "missing Bearer token"),
    }
}

#[derive(Clone, Copy)]
enum Hash {
    Md5,
    Sha256,
}

#[derive(Clone, Copy)]
struct Algorithm {
    hash: Hash,
    sess: bool,
}

impl Algorithm {
    fn parse(name: &str) -> Option<Self> {
        let upper = name.to_ascii_uppercase();
        let (base, sess) = match upper.strip_suffix("-SESS") {
            Some(base) => (base.to_owned(), true),
            None => (upper, false),
        };
        let hash = match base.as_str() {
            "MD5" => Hash::Md5,
            "SHA-256" => Hash::Sha256,
            _ => return None,
        };
        Some(Self { hash, sess })
    }

    fn name(self) -> &'static str {
        match (self.hash, self.sess) {
            (Hash::Md5, false) => "MD5",
            (Hash::Md5, true) => "MD5-sess",
            (Hash::Sha256, false) => "SHA-256",
            (Hash::Sha256, true) => "SHA-256-sess",
        }
    }

    fn h(self, data: &[u8]) -> String {
        match self.hash {
            Hash::Md5 => hex(&Md5::digest(data)),
            Hash::Sha256 => hex(&Sha256::digest(data)),
        }
    }
}

/// Per-process secret so nonces can be checked without keeping state.
fn secret() -> &'static [u8; 32] {
    static SECRET: OnceLock<[u8; 32]> = OnceLock::new();
    SECRET.get_or_init(|| {
        let mut bytes = [0u8; 32];
        fastrand::fill(&mut bytes);
        bytes
    })
}

fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

fn nonce_mac(timestamp: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(secret());
    hasher.update(timestamp.as_bytes());
    hex(&hasher.finalize())[..32].to_owned()
}

pub(super) fn make_nonce() -> String {
    let timestamp = format!("{:x}", now_secs());
    let mac = nonce_mac(&timestamp);
    format!("{timestamp}.{mac}")
}

enum NonceCheck {
    Valid,
    Stale,
    Forged,
}

fn check_nonce(nonce: &str) -> NonceCheck {
    let Some((timestamp, mac)) = nonce.split_once('.') else {
        return NonceCheck::Forged;
    };
    if nonce_mac(timestamp) != mac {
        return NonceCheck::Forged;
    }
    match u64::from_str_radix(timestamp, 16) {
        Ok(issued) if now_secs().saturating_sub(issued) <= NONCE_LIFETIME.as_secs() => {
            NonceCheck::Valid
        }
        Ok(_) => NonceCheck::Stale,
        Err(_) => NonceCheck::Forged,
    }
}

fn opaque() -> String {
    hex(&Sha256::digest(REALM.as_bytes()))[..32].to_owned()
}

/// Parses `k=v, k="quoted \" v"` auth-params; keys lowercased.
pub(super) fn parse_params(input: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while matches!(chars.peek(), Some(c) if c.is_whitespace() || *c == ',') {
            chars.next();
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c == ',' {
                break;
            }
            key.push(c);
            chars.next();
        }
        if key.trim().is_empty() {
            if chars.next().is_none() {
                return out;
            }
            continue;
        }
        let mut value = String::new();
        if chars.peek() == Some(&'=') {
            chars.next();
            while matches!(chars.peek(), Some(c) if c.is_whitespace()) {
                chars.next();
            }
            if chars.peek() == Some(&'"') {
                chars.next();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(escaped) = chars.next() {
                                value.push(escaped);
                            }
                        }
                        '"' => break,
                        c => value.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' {
                        break;
                    }
                    value.push(c);
                    chars.next();
                }
                value = value.trim().to_owned();
            }
        }
        out.push((key.trim().to_ascii_lowercase(), value));
    }
}

/// What a Digest `response` is computed from.
pub(super) struct DigestInput<'a> {
    /// user, realm, password
    pub credentials: (&'a str, &'a str, &'a str),
    pub method: &'a str,
    /// The `uri` the client sent (it must be the request target).
    pub uri: &'a str,
    pub nonce: &'a str,
    /// `(nc, cnonce, qop)`; `None` for RFC 2069's form without qop.
    pub qop: Option<(&'a str, &'a str, &'a str)>,
    pub body: &'a [u8],
}

/// The `response` a client must send (RFC 7616 §3.4.1; RFC 2069 when there
/// is no qop).
fn response_for(algorithm: Algorithm, input: DigestInput<'_>) -> String {
    let (user, realm, pass) = input.credentials;
    let (method, uri, nonce) = (input.method, input.uri, input.nonce);
    let mut ha1 = algorithm.h(format!("{user}:{realm}:{pass}").as_bytes());
    let Some((nc, cnonce, qop)) = input.qop else {
        let ha2 = algorithm.h(format!("{method}:{uri}").as_bytes());
        return algorithm.h(format!("{ha1}:{nonce}:{ha2}").as_bytes());
    };
    if algorithm.sess {
        ha1 = algorithm.h(format!("{ha1}:{nonce}:{cnonce}").as_bytes());
    }
    let ha2 = if qop.eq_ignore_ascii_case("auth-int") {
        let body_hash = algorithm.h(input.body);
        algorithm.h(format!("{method}:{uri}:{body_hash}").as_bytes())
    } else {
        algorithm.h(format!("{method}:{uri}").as_bytes())
    };
    algorithm.h(format!("{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}").as_bytes())
}

/// [`response_for`] with MD5, the only algorithm postman-echo's
/// `/digest-auth` speaks.
pub(super) fn md5_response(input: DigestInput<'_>) -> String {
    let md5 = Algorithm {
        hash: Hash::Md5,
        sess: false,
    };
    response_for(md5, input)
}

pub struct DigestRoute<'a> {
    pub qop: &'a str,
    pub user: &'a str,
    pub pass: &'a str,
    pub algorithm: Option<&'a str>,
}

pub fn digest(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &Bytes,
    route: DigestRoute<'_>,
) -> Response<Body> {
    let qop = route.qop.to_ascii_lowercase();
    if qop != "auth" && qop != "auth-int" {
        return reply::bad_request("digest qop must be auth or auth-int");
    }
    let Some(algorithm) = Algorithm::parse(route.algorithm.unwrap_or("MD5")) else {
        return reply::bad_request(
            "digest algorithm must be MD5, MD5-sess, SHA-256 or SHA-256-sess",
        );
    };
    let challenge = |stale: bool| {
        let stale = if stale { ", stale=true" } else { "" };
        format!(
            "Digest realm=\"{REALM}\", qop=\"{qop}\", nonce=\"{}\", opaque=\"{}\", algorithm={}{stale}",
            make_nonce(),
            opaque(),
            algorithm.name()
        )
    };
    let Some(credentials) = authorization(headers, "Digest") else {
        return unauthorized(challenge(false), "missing Digest authorization");
    };
    let params = parse_params(&credentials);
    let get = |key: &str| {
        params
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let request_target = uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    let field = |key: &str| get(key).ok_or_else(|| format!("Digest authorization lacks {key}"));
    let verdict = (|| -> Result<(), (bool, String)> {
        let missing = |err: String| (false, err);
        let username = field("username").map_err(missing)?;
        let realm = field("realm").map_err(missing)?;
        let nonce = field("nonce").map_err(missing)?;
        let digest_uri = field("uri").map_err(missing)?;
        let response = field("response").map_err(missing)?;
        let given_qop = field("qop").map_err(missing)?;
        let nc = field("nc").map_err(missing)?;
        let cnonce = field("cnonce").map_err(missing)?;
        if username != route.user || realm != REALM {
            return Err((false, "wrong user or realm".into()));
        }
        if digest_uri != request_target {
            return Err((false, "digest uri does not match the request target".into()));
        }
        if !given_qop.eq_ignore_ascii_case(&qop) {
            return Err((false, format!("qop must be {qop}")));
        }
        let given_algorithm = get("algorithm").unwrap_or("MD5");
        if !given_algorithm.eq_ignore_ascii_case(algorithm.name()) {
            return Err((false, format!("algorithm must be {}", algorithm.name())));
        }
        if get("opaque").is_some_and(|given| given != opaque()) {
            return Err((false, "opaque does not match".into()));
        }
        match check_nonce(nonce) {
            NonceCheck::Valid => {}
            NonceCheck::Stale => return Err((true, "nonce is stale".into())),
            NonceCheck::Forged => return Err((false, "nonce was not issued here".into())),
        }
        let expected = response_for(
            algorithm,
            DigestInput {
                credentials: (username, REALM, route.pass),
                method: method.as_str(),
                uri: digest_uri,
                nonce,
                qop: Some((nc, cnonce, given_qop)),
                body,
            },
        );
        if expected.eq_ignore_ascii_case(response) {
            Ok(())
        } else {
            Err((false, "wrong digest response (user or password)".into()))
        }
    })();
    match verdict {
        Ok(()) => reply::json(
            StatusCode::OK,
            &json!({ "authenticated": true, "user": route.user }),
        ),
        Err((stale, reason)) => unauthorized(challenge(stale), &reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quoted_and_bare_params() {
        let params = parse_params(
            r#"username="Mufasa", realm="a \"q\", b", nc=00000001, qop=auth, uri="/x?a=1,2""#,
        );
        assert_eq!(
            params,
            vec![
                ("username".into(), "Mufasa".into()),
                ("realm".into(), "a \"q\", b".into()),
                ("nc".into(), "00000001".into()),
                ("qop".into(), "auth".into()),
                ("uri".into(), "/x?a=1,2".into()),
            ]
        );
    }

    #[test]
    fn nonce_round_trips_and_rejects_forgery() {
        let nonce = make_nonce();
        assert!(matches!(check_nonce(&nonce), NonceCheck::Valid));
        assert!(matches!(check_nonce("0.abc"), NonceCheck::Forged));
        let old = format!("{:x}", now_secs() - 10_000);
        let stale = format!("{old}.{}", nonce_mac(&old));
        assert!(matches!(check_nonce(&stale), NonceCheck::Stale));
    }
}
