//! AWS Signature Version 4: the canonical request, the string to sign and
//! the `Authorization` header, from a request as it goes on the wire.
//! Written here rather than taken from `aws-sigv4`, which brings the AWS
//! SDK's runtime crates for these hundred lines; checked against AWS's own
//! test suite (`../shared/corpus/sigv4/`, `tests/sigv4_suite.rs`).

use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest as _, Sha256};

use crate::http::digest::hex;
use crate::http::{PreparedBody, PreparedRequest};
use crate::model::AwsV4Auth;

/// What SigV4 leaves as is: letters, digits and `-._~`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The signing parameters.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    pub access_key: &'a str,
    pub secret_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
    /// `20150830T123600Z`.
    pub amz_date: &'a str,
    /// A temporary credential's session token: signed as
    /// `X-Amz-Security-Token` (the caller sends that header too).
    pub session_token: Option<&'a str>,
}

/// The three texts of a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub authorization: String,
}

/// Signs a request: `target` is the path and query as on the wire,
/// `headers` the ones to sign (names in any case; repeated names are
/// joined), `payload_hash` the body's SHA-256 in hex or `UNSIGNED-PAYLOAD`.
pub fn sign(
    method: &str,
    target: &str,
    headers: &[(String, String)],
    payload_hash: &str,
    key: &Key<'_>,
) -> Signature {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    // S3 signs the path as sent; other services normalize it and encode
    // it once more.
    let s3 = key.service.eq_ignore_ascii_case("s3");
    let uri = if s3 {
        path.to_string()
    } else {
        encode_path(&normalize_path(path))
    };
    let token = key
        .session_token
        .filter(|t| !t.is_empty())
        .filter(|_| !(headers.iter()).any(|(n, _)| n.eq_ignore_ascii_case("x-amz-security-token")));
    let mut all = headers.to_vec();
    if let Some(t) = token {
        all.push(("x-amz-security-token".into(), t.to_string()));
    }
    let (canonical_headers, signed_headers) = canonical_headers(&all);
    let canonical_request = format!(
        "{}\n{uri}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        method.to_ascii_uppercase(),
        canonical_query(query)
    );
    let date = key.amz_date.get(..8).unwrap_or(key.amz_date);
    let scope = format!("{date}/{}/{}/aws4_request", key.region, key.service);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        key.amz_date,
        hex(&Sha256::digest(canonical_request.as_bytes()))
    );
    let mut k = hmac(
        format!("AWS4{}", key.secret_key).as_bytes(),
        date.as_bytes(),
    );
    for part in [key.region, key.service, "aws4_request"] {
        k = hmac(&k, part.as_bytes());
    }
    let signature = hex(&hmac(&k, string_to_sign.as_bytes()));
    let authorization = format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        key.access_key
    );
    Signature {
        canonical_request,
        string_to_sign,
        authorization,
    }
}

/// Headers never signed: the client may change or add them on the way.
const NOT_SIGNED: &[&str] = &[
    "authorization",
    "user-agent",
    "connection",
    "expect",
    "content-length",
    "x-amzn-trace-id",
];

/// `20150830T123600Z` for now.
pub(crate) fn amz_date_now() -> String {
    let rfc = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    rfc.chars().filter(|c| *c != '-' && *c != ':').collect()
}

/// Signs `req` in place at `amz_date`: adds `X-Amz-Date`, the session
/// token and (for S3 or an unsigned payload) `X-Amz-Content-Sha256`, then
/// `Authorization`, replacing one the request had (as Postman does).
/// Does nothing without an access key and secret.
pub(crate) fn sign_request(a: &AwsV4Auth, req: &mut PreparedRequest, amz_date: &str) {
    if a.access_key.is_empty() || a.secret_key.is_empty() {
        return;
    }
    let Ok(url) = url::Url::parse(&req.url) else {
        return;
    };
    let host = match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        (None, _) => return,
    };
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let service = if a.service.is_empty() {
        "execute-api"
    } else {
        &a.service
    };
    let region = if a.region.is_empty() {
        "us-east-1"
    } else {
        &a.region
    };
    let s3 = service.eq_ignore_ascii_case("s3");
    let hash = match (&req.body, a.unsigned_payload) {
        (_, true) => "UNSIGNED-PAYLOAD".to_string(),
        (PreparedBody::Empty, _) => payload_hash(b""),
        (PreparedBody::Bytes(b), _) => payload_hash(b),
        // A file or form is read when sent: its hash is not known here.
        _ => "UNSIGNED-PAYLOAD".to_string(),
    };
    req.headers.retain(|(n, _)| {
        !n.eq_ignore_ascii_case("authorization")
            && !n.eq_ignore_ascii_case("x-amz-date")
            && !n.eq_ignore_ascii_case("x-amz-content-sha256")
    });
    req.headers
        .push(("X-Amz-Date".into(), amz_date.to_string()));
    if s3 || hash == "UNSIGNED-PAYLOAD" {
        req.headers
            .push(("X-Amz-Content-Sha256".into(), hash.clone()));
    }
    if !a.session_token.is_empty()
        && !(req.headers.iter()).any(|(n, _)| n.eq_ignore_ascii_case("x-amz-security-token"))
    {
        req.headers
            .push(("X-Amz-Security-Token".into(), a.session_token.clone()));
    }
    let mut signed: Vec<(String, String)> = vec![("host".into(), host)];
    signed.extend(
        (req.headers.iter())
            .filter(|(n, _)| !NOT_SIGNED.contains(&n.to_ascii_lowercase().as_str()))
            .cloned(),
    );
    let key = Key {
        access_key: &a.access_key,
        secret_key: &a.secret_key,
        region,
        service,
        amz_date,
        session_token: None,
    };
    let sig = sign(&req.method, &target, &signed, &hash, &key);
    req.headers
        .push(("Authorization".into(), sig.authorization));
}

/// How long a URL signed in its query stays valid, in seconds (Postman's
/// and the aws4 library's default: a day).
const QUERY_EXPIRES: &str = "86400";

/// Signs `req` in its query string (a presigned URL): the `X-Amz-*`
/// parameters and `X-Amz-Signature` are appended; only `host` is signed.
pub(crate) fn sign_query(a: &AwsV4Auth, req: &mut PreparedRequest, amz_date: &str) {
    if a.access_key.is_empty() || a.secret_key.is_empty() {
        return;
    }
    let Ok(mut url) = url::Url::parse(&req.url) else {
        return;
    };
    let Some(host) = url.host_str().map(|h| match url.port() {
        Some(p) => format!("{h}:{p}"),
        None => h.to_string(),
    }) else {
        return;
    };
    let service = if a.service.is_empty() {
        "execute-api"
    } else {
        &a.service
    };
    let region = if a.region.is_empty() {
        "us-east-1"
    } else {
        &a.region
    };
    let date = amz_date.get(..8).unwrap_or(amz_date);
    let credential = format!("{}/{date}/{region}/{service}/aws4_request", a.access_key);
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("X-Amz-Algorithm", "AWS4-HMAC-SHA256");
        q.append_pair("X-Amz-Credential", &credential);
        q.append_pair("X-Amz-Date", amz_date);
        q.append_pair("X-Amz-Expires", QUERY_EXPIRES);
        if !a.session_token.is_empty() {
            q.append_pair("X-Amz-Security-Token", &a.session_token);
        }
        q.append_pair("X-Amz-SignedHeaders", "host");
    }
    let hash = match (
        &req.body,
        a.unsigned_payload || service.eq_ignore_ascii_case("s3"),
    ) {
        (_, true) => "UNSIGNED-PAYLOAD".to_string(),
        (PreparedBody::Bytes(b), _) => payload_hash(b),
        (PreparedBody::Empty, _) => payload_hash(b""),
        _ => "UNSIGNED-PAYLOAD".to_string(),
    };
    let target = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    };
    let key = Key {
        access_key: &a.access_key,
        secret_key: &a.secret_key,
        region,
        service,
        amz_date,
        session_token: None,
    };
    let sig = sign(&req.method, &target, &[("host".into(), host)], &hash, &key);
    let signature = sig
        .authorization
        .rsplit("Signature=")
        .next()
        .unwrap_or_default();
    url.query_pairs_mut()
        .append_pair("X-Amz-Signature", signature);
    req.url = url.to_string();
}

/// The SHA-256 of a body, in hex.
pub fn payload_hash(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes a key of any length: `new_from_slice` cannot fail here.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut m) => {
            m.update(data);
            m.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// `/a/./b//../c/` → `/a/c/`: dot segments resolved, empty ones dropped,
/// a trailing slash kept.
fn normalize_path(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                out.pop();
            }
            s => out.push(s),
        }
    }
    let trailing =
        (path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..")) && !out.is_empty();
    let mut s = format!("/{}", out.join("/"));
    if trailing {
        s.push('/');
    }
    s
}

/// Each segment encoded (what is already `%XX` is encoded again, as
/// SigV4 asks of every service but S3).
fn encode_path(path: &str) -> String {
    (path.split('/'))
        .map(|seg| utf8_percent_encode(seg, UNRESERVED).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Pairs decoded, encoded SigV4's way, sorted by name then value.
fn canonical_query(query: &str) -> String {
    let enc = |s: &str| {
        let decoded = percent_decode_str(s).decode_utf8_lossy();
        utf8_percent_encode(&decoded, UNRESERVED).to_string()
    };
    let mut pairs: Vec<(String, String)> = (query.split('&'))
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (enc(k), enc(v))
        })
        .collect();
    pairs.sort();
    (pairs.iter())
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// `name:value\n` lines (names lowercase and sorted, values trimmed with
/// inner runs of spaces made one, repeated names joined with `,`) and the
/// signed header list.
fn canonical_headers(headers: &[(String, String)]) -> (String, String) {
    let mut by_name: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (n, v) in headers {
        let value = v.split_whitespace().collect::<Vec<_>>().join(" ");
        by_name
            .entry(n.to_ascii_lowercase())
            .or_default()
            .push(value);
    }
    let lines: String = (by_name.iter())
        .map(|(n, vs)| format!("{n}:{}\n", vs.join(",")))
        .collect();
    let signed = by_name.keys().cloned().collect::<Vec<_>>().join(";");
    (lines, signed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_signed_with_its_host_date_token_and_body() {
        let a = AwsV4Auth {
            access_key: "AKIDEXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: "tok".into(),
            region: "us-east-1".into(),
            service: "service".into(),
            unsigned_payload: false,
            in_query: false,
        };
        let mut req = PreparedRequest {
            method: "GET".into(),
            url: "https://example.amazonaws.com/".into(),
            headers: vec![
                ("Authorization".into(), "Bearer old".into()),
                ("User-Agent".into(), "postie".into()),
            ],
            body: PreparedBody::Empty,
            auth: None,
            settings: Default::default(),
        };
        sign_request(&a, &mut req, "20150830T123600Z");
        let get = |name: &str| {
            (req.headers.iter())
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(get("x-amz-date"), ["20150830T123600Z"]);
        assert_eq!(get("x-amz-security-token"), ["tok"]);
        let authz = get("authorization");
        assert_eq!(authz.len(), 1, "the old Authorization goes");
        // The same request as the suite's get-vanilla, plus the token:
        // signed over host, the date and the token, not the user agent.
        let expected = sign(
            "GET",
            "/",
            &[
                ("host".into(), "example.amazonaws.com".into()),
                ("x-amz-date".into(), "20150830T123600Z".into()),
                ("x-amz-security-token".into(), "tok".into()),
            ],
            &payload_hash(b""),
            &Key {
                access_key: "AKIDEXAMPLE",
                secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                region: "us-east-1",
                service: "service",
                amz_date: "20150830T123600Z",
                session_token: None,
            },
        );
        assert_eq!(authz[0], expected.authorization);
        assert!(authz[0].contains("SignedHeaders=host;x-amz-date;x-amz-security-token,"));
        // No key, no signature.
        let mut other = req.clone();
        other.headers.clear();
        sign_request(&AwsV4Auth::default(), &mut other, "20150830T123600Z");
        assert!(other.headers.is_empty());
        assert_eq!(amz_date_now().len(), 16);
    }

    /// AWS's presigned URL example (S3 documentation, "Authenticating
    /// Requests: Using Query Parameters").
    #[test]
    fn a_url_signed_in_its_query_matches_awss_example() {
        let a = AwsV4Auth {
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            region: "us-east-1".into(),
            service: "s3".into(),
            in_query: true,
            ..AwsV4Auth::default()
        };
        let mut req = PreparedRequest {
            method: "GET".into(),
            url: "https://examplebucket.s3.amazonaws.com/test.txt".into(),
            headers: vec![],
            body: PreparedBody::Empty,
            auth: None,
            settings: Default::default(),
        };
        sign_query(&a, &mut req, "20130524T000000Z");
        assert_eq!(
            req.url,
            "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
             &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
             &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
        assert!(req.headers.is_empty());
    }

    #[test]
    fn paths_normalize_as_the_suite_says() {
        assert_eq!(normalize_path("//example//"), "/example/");
        assert_eq!(normalize_path("/example1/example2/../.."), "/");
        assert_eq!(normalize_path("/example/.."), "/");
        assert_eq!(normalize_path("/./"), "/");
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
        assert_eq!(normalize_path(""), "/");
        assert_eq!(encode_path("/a b/%20"), "/a%20b/%2520");
    }
}
