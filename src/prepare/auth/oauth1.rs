//! OAuth 1.0a request signing (RFC 5849 §3), with Postman's choices where
//! the RFC leaves one: empty `oauth_*` parameters are left out unless asked
//! for, and "params" placement means the urlencoded body of a POST or PUT
//! that has one, else the query.
//!
//! `RSA-SHA256` and `RSA-SHA512` sign with a PEM private key through ring.
//! `RSA-SHA1` is not offered: ring signs no SHA-1, and the `rsa` crate
//! would bring second copies of `rand_core`, `digest` and their kin.

use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha1::Sha1;
use sha2::{Sha256, Sha512};

use crate::http::{PreparedBody, PreparedRequest};
use crate::model::{OAuth1Auth, OAuth1Location};

/// RFC 3986's unreserved characters stay; everything else is `%XX` (§3.6).
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The parameters this auth owns; stale copies are removed before signing.
const OWN: &[&str] = &[
    "oauth_consumer_key",
    "oauth_token",
    "oauth_signature_method",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_version",
    "oauth_signature",
    "oauth_callback",
    "oauth_verifier",
    "oauth_body_hash",
];

fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// The signature methods, as written in `oauth_signature_method`.
pub const METHODS: &[&str] = &[
    "HMAC-SHA1",
    "HMAC-SHA256",
    "HMAC-SHA512",
    "RSA-SHA256",
    "RSA-SHA512",
    "PLAINTEXT",
];

fn method(o: &OAuth1Auth) -> String {
    match o.signature_method.trim() {
        "" => "HMAC-SHA1".into(),
        m => m.to_ascii_uppercase(),
    }
}

fn is_rsa(method: &str) -> bool {
    method.starts_with("RSA-")
}

/// What would keep `o` from signing, as the field at fault and why: an
/// unknown method, or an RSA method without a usable key.
pub(crate) fn check(o: &OAuth1Auth) -> Result<(), (&'static str, String)> {
    if o.consumer_key.is_empty() {
        // Nothing is signed (see `sign`).
        return Ok(());
    }
    let method = method(o);
    if method == "RSA-SHA1" {
        return Err((
            "signature_method",
            "RSA-SHA1 is not supported (ring signs no SHA-1); use RSA-SHA256 or RSA-SHA512".into(),
        ));
    }
    if !METHODS.contains(&method.as_str()) {
        return Err((
            "signature_method",
            format!(
                "unknown method {:?} (expected one of: {})",
                o.signature_method,
                METHODS.join(", ")
            ),
        ));
    }
    if is_rsa(&method) {
        rsa_key(&o.private_key).map_err(|e| ("private_key", e.to_string()))?;
    }
    Ok(())
}

fn rsa_key(pem: &str) -> Result<super::key::PrivateKey, super::jwt::JwtError> {
    super::jwt::private_key(pem, super::jwt::Algorithm::Rs256)
}

/// Signs `req` in place with `timestamp` and `nonce` (the caller makes
/// fresh ones when the auth gives none). Does nothing without a consumer
/// key and secret (or private key, for RSA), as Postman.
pub(crate) fn sign(o: &OAuth1Auth, req: &mut PreparedRequest, timestamp: &str, nonce: &str) {
    let method = method(o);
    let credential = if is_rsa(&method) {
        &o.private_key
    } else {
        &o.consumer_secret
    };
    if o.consumer_key.is_empty() || credential.is_empty() {
        return;
    }
    req.headers
        .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
    remove_own_from_query(&mut req.url);
    let form_body = is_form(req);
    if form_body {
        if let PreparedBody::Bytes(b) = &mut req.body {
            *b = without_own(&String::from_utf8_lossy(b)).into_bytes();
        }
    }

    let method = method.as_str();
    let mut own: Vec<(&str, &str)> = vec![
        ("oauth_consumer_key", &o.consumer_key),
        ("oauth_token", &o.token),
        ("oauth_signature_method", method),
        ("oauth_timestamp", timestamp),
        ("oauth_nonce", nonce),
        ("oauth_version", &o.version),
    ];
    own.retain(|(_, v)| o.sign_empty || !v.is_empty());
    // Extensions: only ever sent when set (servers that lack them refuse them).
    for (k, v) in [
        ("oauth_callback", &o.callback),
        ("oauth_verifier", &o.verifier),
    ] {
        if !v.is_empty() {
            own.push((k, v));
        }
    }

    let Ok(url) = url::Url::parse(&req.url) else {
        return;
    };
    let mut all: Vec<(String, String)> = own
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(q) = url.query() {
        all.extend(url::form_urlencoded::parse(q.as_bytes()).into_owned());
    }
    if form_body {
        if let PreparedBody::Bytes(b) = &req.body {
            all.extend(url::form_urlencoded::parse(b).into_owned());
        }
    }
    let base = base_string(&req.method, &base_uri(&url), &all);
    let signature = if is_rsa(method) {
        rsa_signature(method, &o.private_key, &base)
    } else {
        let key = format!("{}&{}", encode(&o.consumer_secret), encode(&o.token_secret));
        signature(method, &key, &base)
    };
    let Some(signature) = signature else {
        return;
    };
    own.push(("oauth_signature", &signature));

    match o.location {
        OAuth1Location::Header => {
            let mut parts = Vec::new();
            if !o.realm.trim().is_empty() {
                parts.push(format!("realm=\"{}\"", encode(&o.realm)));
            }
            for (k, v) in own.iter().filter(|(_, v)| !v.is_empty()) {
                parts.push(format!("{k}=\"{}\"", encode(v)));
            }
            (req.headers).push(("Authorization".into(), format!("OAuth {}", parts.join(","))));
        }
        OAuth1Location::Params => {
            let pairs: Vec<String> = own
                .iter()
                .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
                .collect();
            let to_body = form_body && matches!(req.method.as_str(), "POST" | "PUT");
            match &mut req.body {
                PreparedBody::Bytes(b) if to_body => {
                    for p in pairs {
                        if !b.is_empty() {
                            b.push(b'&');
                        }
                        b.extend_from_slice(p.as_bytes());
                    }
                }
                _ => append_raw_query(&mut req.url, &pairs),
            }
        }
    }
}

/// A urlencoded body in memory: its parameters are signed too (§3.4.1.3.1).
fn is_form(req: &PreparedRequest) -> bool {
    let form = req.headers.iter().any(|(n, v)| {
        n.eq_ignore_ascii_case("content-type")
            && v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
    });
    form && matches!(req.body, PreparedBody::Bytes(_)) && !req.settings.omit_body
}

/// `a=1&oauth_nonce=x&b` without the `oauth_*` pairs this auth sets.
fn without_own(form: &str) -> String {
    form.split('&')
        .filter(|pair| {
            let name = pair.split('=').next().unwrap_or_default();
            let name = url::form_urlencoded::parse(name.as_bytes())
                .next()
                .map(|(n, _)| n.into_owned())
                .unwrap_or_default();
            !pair.is_empty() && !OWN.contains(&name.as_str())
        })
        .collect::<Vec<_>>()
        .join("&")
}

fn remove_own_from_query(url: &mut String) {
    let fragment = url.find('#').map(|i| url.split_off(i));
    if let Some(q) = url.find('?') {
        let kept = without_own(&url[q + 1..]);
        url.truncate(q);
        if !kept.is_empty() {
            url.push('?');
            url.push_str(&kept);
        }
    }
    if let Some(f) = fragment {
        url.push_str(&f);
    }
}

fn append_raw_query(url: &mut String, pairs: &[String]) {
    let fragment = url.find('#').map(|i| url.split_off(i));
    for p in pairs {
        let sep = match url.find('?') {
            None => "?",
            Some(_) if url.ends_with('?') || url.ends_with('&') => "",
            Some(_) => "&",
        };
        url.push_str(sep);
        url.push_str(p);
    }
    if let Some(f) = fragment {
        url.push_str(&f);
    }
}

/// §3.4.1.2: scheme and host lower-case, default port left out, no query.
fn base_uri(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}{}", url.scheme(), url.path())
}

/// §3.4.1.1, the parameters normalized as in §3.4.1.3.2.
fn base_string(method: &str, base_uri: &str, params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| k != "oauth_signature")
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    encoded.sort();
    let normalized = encoded
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    format!(
        "{}&{}&{}",
        encode(&method.to_ascii_uppercase()),
        encode(base_uri),
        encode(&normalized)
    )
}

/// §3.4.3 with SHA-256 or SHA-512: PKCS#1 v1.5 over the base string.
fn rsa_signature(method: &str, pem: &str, base: &str) -> Option<String> {
    let encoding: &'static dyn ring::signature::RsaEncoding = match method {
        "RSA-SHA256" => &ring::signature::RSA_PKCS1_SHA256,
        "RSA-SHA512" => &ring::signature::RSA_PKCS1_SHA512,
        _ => return None,
    };
    let key = rsa_key(pem).ok()?;
    let sig = super::jwt::rsa_sign(encoding, &key, base.as_bytes()).ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(sig))
}

fn signature(method: &str, key: &str, base: &str) -> Option<String> {
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let (key, data) = (key.as_bytes(), base.as_bytes());
    Some(match method.to_ascii_uppercase().as_str() {
        "HMAC-SHA1" => b64(&Hmac::<Sha1>::new_from_slice(key)
            .ok()?
            .chain_update(data)
            .finalize()
            .into_bytes()),
        "HMAC-SHA256" => b64(&Hmac::<Sha256>::new_from_slice(key)
            .ok()?
            .chain_update(data)
            .finalize()
            .into_bytes()),
        "HMAC-SHA512" => b64(&Hmac::<Sha512>::new_from_slice(key)
            .ok()?
            .chain_update(data)
            .finalize()
            .into_bytes()),
        "PLAINTEXT" => String::from_utf8_lossy(key).into_owned(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, url: &str) -> PreparedRequest {
        PreparedRequest {
            method: method.into(),
            url: url.into(),
            headers: vec![],
            body: PreparedBody::Empty,
            auth: None,
            settings: Default::default(),
        }
    }

    /// RFC 5849 §3.4.1's example gives the RFC's base string.
    #[test]
    fn the_rfc_5849_example_gives_its_base_string() {
        let url = url::Url::parse("http://EXAMPLE.COM:80/request?b5=%3D%253D&a3=a&c%40=&a2=r%20b")
            .unwrap();
        let mut params: Vec<(String, String)> =
            url::form_urlencoded::parse(url.query().unwrap().as_bytes())
                .into_owned()
                .collect();
        params.extend(url::form_urlencoded::parse(b"c2&a3=2+q").into_owned());
        for (k, v) in [
            ("oauth_consumer_key", "9djdj82h48djs9d2"),
            ("oauth_token", "kkk9d7dh3k39sjv7"),
            ("oauth_signature_method", "HMAC-SHA1"),
            ("oauth_timestamp", "137131201"),
            ("oauth_nonce", "7d8f3e4a"),
        ] {
            params.push((k.into(), v.into()));
        }
        assert_eq!(base_uri(&url), "http://example.com/request");
        let base = base_string("POST", &base_uri(&url), &params);
        assert_eq!(
            base,
            "POST&http%3A%2F%2Fexample.com%2Frequest&a2%3Dr%2520b%26a3%3D2%2520q\
             %26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_\
             key%3D9djdj82h48djs9d2%26oauth_nonce%3D7d8f3e4a%26oauth_signature_m\
             ethod%3DHMAC-SHA1%26oauth_timestamp%3D137131201%26oauth_token%3Dkkk\
             9d7dh3k39sjv7"
        );
    }

    /// RFC 5849 §1.2's signed request, header and signature as printed.
    #[test]
    fn the_rfc_5849_photos_request_is_signed_as_printed() {
        let mut r = request(
            "GET",
            "http://photos.example.net/photos?file=vacation.jpg&size=original",
        );
        let o = OAuth1Auth {
            consumer_key: "dpf43f3p2l4k3l03".into(),
            consumer_secret: "kd94hf93k423kf44".into(),
            token: "nnch734d00sl2jdk".into(),
            token_secret: "pfkkdhi9sl3r4s00".into(),
            signature_method: "HMAC-SHA1".into(),
            realm: "Photos".into(),
            ..Default::default()
        };
        sign(&o, &mut r, "137131202", "chapoH");
        assert_eq!(
            r.headers[0].1,
            "OAuth realm=\"Photos\",oauth_consumer_key=\"dpf43f3p2l4k3l03\",\
             oauth_token=\"nnch734d00sl2jdk\",oauth_signature_method=\"HMAC-SHA1\",\
             oauth_timestamp=\"137131202\",oauth_nonce=\"chapoH\",\
             oauth_signature=\"MdpQcU8iPSUjWoN%2FUDMsK2sui9I%3D\""
        );
    }

    #[test]
    fn the_header_replaces_a_stale_one_and_leaves_empty_parameters_out() {
        let mut r = request("GET", "http://h.test/p?x=1&oauth_nonce=old");
        r.headers
            .push(("authorization".into(), "OAuth stale".into()));
        let o = OAuth1Auth {
            consumer_key: "ck".into(),
            consumer_secret: "cs".into(),
            signature_method: "PLAINTEXT".into(),
            version: "1.0".into(),
            ..Default::default()
        };
        sign(&o, &mut r, "1700000000", "n0nce");
        assert_eq!(r.url, "http://h.test/p?x=1");
        assert_eq!(r.headers.len(), 1);
        assert_eq!(
            r.headers[0].1,
            "OAuth oauth_consumer_key=\"ck\",oauth_signature_method=\"PLAINTEXT\",\
             oauth_timestamp=\"1700000000\",oauth_nonce=\"n0nce\",oauth_version=\"1.0\",\
             oauth_signature=\"cs%26\""
        );
    }

    #[test]
    fn params_go_into_a_post_form_body_or_else_the_query() {
        let o = OAuth1Auth {
            consumer_key: "ck".into(),
            consumer_secret: "cs".into(),
            location: OAuth1Location::Params,
            ..Default::default()
        };
        let mut post = request("POST", "http://h.test/p");
        post.headers.push((
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        ));
        post.body = PreparedBody::Bytes(b"a=1".to_vec());
        sign(&o, &mut post, "1", "n");
        let PreparedBody::Bytes(b) = &post.body else {
            panic!("body changed kind")
        };
        let body = String::from_utf8(b.clone()).unwrap();
        assert!(body.starts_with("a=1&oauth_consumer_key=ck&"), "{body}");
        assert!(body.contains("&oauth_signature="), "{body}");
        assert_eq!(post.url, "http://h.test/p");

        let mut get = request("GET", "http://h.test/p#f");
        sign(&o, &mut get, "1", "n");
        assert!(get
            .url
            .starts_with("http://h.test/p?oauth_consumer_key=ck&"));
        assert!(get.url.ends_with("#f"));
        assert!(get.headers.is_empty());
    }

    /// RFC 5849 §1.2's request signed with RSA-SHA256 and RSA-SHA512
    /// (§3.4.3 with a newer hash, as Postman offers) and RFC 7515's
    /// 2048-bit key; the signatures are OpenSSL's, computed once with
    /// `openssl dgst -sha256 -sign key.pem` over the base string.
    #[test]
    fn rsa_methods_sign_as_openssl_does() {
        use crate::prepare::auth::key::tests::RFC7515_RSA_PKCS1;
        for (method, want) in [
            (
                "RSA-SHA256",
                "FyR8vk+IYaP8+Zfwwk7ooEpG2wAUXy/71eZ0CdSitpB32METE355LpUz1/z7o7kkilgt/yrTdbIDjvNiHMcGUMU3A9TRxfGtdtLVd3K53AB+DrVjqrhvg4LgQcGxEuyo3bs5JYTTwT9Vuyu+9YnyWbhDkRadowsjRRc8vlTOtG2SITg/SkxEnxzkVAZkRLU4mOqIaVvKCzdqrk3o1xeYQ8t7YQJouaWhGJn4JReO6yzKk+QsYpblf8+HVCM5XezsCTNPLFX5k4PslTrFdBP/TU35f+Dhxfb23hli3jw7JcHVHJSjH5oeb2cQT3NNVQ/UQLzem1hKTIK0hPmmSRKHPw==",
            ),
            (
                "RSA-SHA512",
                "Z7iqKrPUkEtQnN/z4IU5SDsBcaPzccNZy51G3BEdOpTht+VW8rqilZyuyO1KEwoB4RSqHgVw2+060Bi3sAEbjT87RjNngr8Mgkla+/opB2OTmDCHSPngaNfzX64QnvJFM2duszUFan02gBck7WMvm9HgHt339CtfGvUW02aKphl/Mks4WCgF7q9aY86QyEDSjLjii8nkPLYhv2nlgTudR4Dvol0x+SyRCu2r32+VR1MRz2erxHQ8arHZVlJ8rYxTt2I6Hjl1W+3ZWt4up60t2T7WORfFfp3dGkuw+1RJDVEaetvs5or4q8gNT1mnmg6k1Sd4txjK5/eKhw5U53TRUA==",
            ),
        ] {
            let mut r = request(
                "GET",
                "http://photos.example.net/photos?file=vacation.jpg&size=original",
            );
            let o = OAuth1Auth {
                consumer_key: "dpf43f3p2l4k3l03".into(),
                token: "nnch734d00sl2jdk".into(),
                signature_method: method.into(),
                private_key: RFC7515_RSA_PKCS1.into(),
                ..Default::default()
            };
            assert_eq!(check(&o), Ok(()));
            sign(&o, &mut r, "137131202", "chapoH");
            let header = &r.headers[0].1;
            let want = format!("oauth_signature=\"{}\"", encode(want));
            assert!(header.ends_with(&want), "{method}: {header}");
            assert!(
                header.contains(&format!("oauth_signature_method=\"{method}\"")),
                "{header}"
            );
        }
    }

    #[test]
    fn rsa_sha1_unknown_methods_and_bad_keys_are_refused_by_name() {
        let o = |method: &str, key: &str| OAuth1Auth {
            consumer_key: "ck".into(),
            signature_method: method.into(),
            private_key: key.into(),
            ..Default::default()
        };
        let (field, why) = check(&o("RSA-SHA1", "")).unwrap_err();
        assert_eq!(field, "signature_method");
        assert!(why.contains("RSA-SHA256"), "{why}");
        let (field, why) = check(&o("HMAC-MD5", "")).unwrap_err();
        assert_eq!(field, "signature_method");
        assert!(why.contains("HMAC-MD5"), "{why}");
        let (field, why) = check(&o("RSA-SHA256", "")).unwrap_err();
        assert_eq!(field, "private_key");
        assert!(why.contains("empty"), "{why}");
        let ec = crate::prepare::auth::key::tests::RFC7515_EC_SEC1;
        let (_, why) = check(&o("rsa-sha512", ec)).unwrap_err();
        assert!(why.contains("needs an RSA key"), "{why}");
        assert_eq!(check(&o("", "")), Ok(()));
    }

    #[test]
    fn nothing_is_signed_without_a_consumer_secret() {
        let mut r = request("GET", "http://h.test/");
        let o = OAuth1Auth {
            consumer_key: "ck".into(),
            ..Default::default()
        };
        sign(&o, &mut r, "1", "n");
        assert!(r.headers.is_empty());
    }
}
