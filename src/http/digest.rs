//! HTTP Digest authentication (RFC 7616): challenge parsing and the
//! `Authorization` header for the retry.

use md5::Md5;
use sha2::{Digest as _, Sha256};

use super::DigestCredentials;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Algorithm {
    Md5,
    Md5Sess,
    Sha256,
    Sha256Sess,
}

impl Algorithm {
    fn parse(s: &str) -> Option<Algorithm> {
        match s.to_ascii_uppercase().as_str() {
            "MD5" => Some(Algorithm::Md5),
            "MD5-SESS" => Some(Algorithm::Md5Sess),
            "SHA-256" => Some(Algorithm::Sha256),
            "SHA-256-SESS" => Some(Algorithm::Sha256Sess),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "MD5",
            Algorithm::Md5Sess => "MD5-sess",
            Algorithm::Sha256 => "SHA-256",
            Algorithm::Sha256Sess => "SHA-256-sess",
        }
    }

    fn strength(self) -> u8 {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => 0,
            Algorithm::Sha256 | Algorithm::Sha256Sess => 1,
        }
    }

    fn hash(self, data: &[u8]) -> String {
        match self {
            Algorithm::Md5 | Algorithm::Md5Sess => hex(&Md5::digest(data)),
            Algorithm::Sha256 | Algorithm::Sha256Sess => hex(&Sha256::digest(data)),
        }
    }

    fn sess(self) -> bool {
        matches!(self, Algorithm::Md5Sess | Algorithm::Sha256Sess)
    }
}

/// Lowercase hex, as digests and signatures are written.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Qop {
    Auth,
    AuthInt,
}

/// One `Digest` challenge we can answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Challenge {
    realm: String,
    nonce: String,
    opaque: Option<String>,
    algorithm: Algorithm,
    /// `None`: the old RFC 2069 form without qop.
    pub(crate) qop: Option<Qop>,
}

/// Picks the strongest Digest challenge we support among the
/// `WWW-Authenticate` header values.
pub(crate) fn pick_challenge<'a>(values: impl Iterator<Item = &'a [u8]>) -> Option<Challenge> {
    let mut best: Option<Challenge> = None;
    for v in values {
        let Ok(text) = std::str::from_utf8(v) else {
            continue;
        };
        for (scheme, params) in parse_challenges(text) {
            if !scheme.eq_ignore_ascii_case("digest") {
                continue;
            }
            let Some(c) = challenge_from(&params) else {
                continue;
            };
            if best
                .as_ref()
                .map_or(true, |b| c.algorithm.strength() > b.algorithm.strength())
            {
                best = Some(c);
            }
        }
    }
    best
}

fn challenge_from(params: &[(String, String)]) -> Option<Challenge> {
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.clone())
    };
    let algorithm = match get("algorithm") {
        Some(a) => Algorithm::parse(&a)?,
        None => Algorithm::Md5,
    };
    let qop = match get("qop") {
        None => None,
        Some(list) => {
            let offered: Vec<String> = list
                .split(',')
                .map(|s| s.trim().to_ascii_lowercase())
                .collect();
            if offered.iter().any(|q| q == "auth") {
                Some(Qop::Auth)
            } else if offered.iter().any(|q| q == "auth-int") {
                Some(Qop::AuthInt)
            } else {
                return None;
            }
        }
    };
    Some(Challenge {
        realm: get("realm").unwrap_or_default(),
        nonce: get("nonce")?,
        opaque: get("opaque"),
        algorithm,
        qop,
    })
}

/// Splits a `WWW-Authenticate` value into (scheme, params) challenges.
/// Several challenges may share one header, separated by commas, so a new
/// challenge starts at a token that is not followed by `=`.
fn parse_challenges(s: &str) -> Vec<(String, Vec<(String, String)>)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut out: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let is_tchar = |c: u8| c.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&c);
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] == b' ' || b[*i] == b'\t' || b[*i] == b',') {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= b.len() {
            break;
        }
        let start = i;
        while i < b.len() && is_tchar(b[i]) {
            i += 1;
        }
        if start == i {
            // Not a token: skip the odd byte rather than loop forever.
            i += 1;
            continue;
        }
        let token = &s[start..i];
        let mut j = i;
        while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
            j += 1;
        }
        if j < b.len() && b[j] == b'=' {
            // token68 padding like `abc==` also lands here; it has no value to keep.
            i = j + 1;
            while i < b.len() && (b[i] == b' ' || b[i] == b'\t') {
                i += 1;
            }
            let value = if i < b.len() && b[i] == b'"' {
                i += 1;
                let mut v = String::new();
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' && i + 1 < b.len() {
                        i += 1;
                    }
                    let ch_len = s[i..].chars().next().map_or(1, char::len_utf8);
                    v.push_str(&s[i..i + ch_len]);
                    i += ch_len;
                }
                i += 1;
                v
            } else {
                let vs = i;
                while i < b.len() && b[i] != b',' && b[i] != b' ' && b[i] != b'\t' {
                    i += 1;
                }
                s[vs..i].to_string()
            };
            if let Some((_, params)) = out.last_mut() {
                params.push((token.to_string(), value));
            }
        } else {
            out.push((token.to_string(), Vec::new()));
        }
    }
    out
}

fn quote(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    q
}

/// The `Authorization` value answering `challenge`. `body_hash` is
/// H(entity-body), needed only for `auth-int`.
pub(crate) fn authorization(
    creds: &DigestCredentials,
    challenge: &Challenge,
    method: &str,
    uri: &str,
    cnonce: &str,
    body: &[u8],
) -> String {
    let alg = challenge.algorithm;
    let nc = "00000001";
    let mut ha1 =
        alg.hash(format!("{}:{}:{}", creds.username, challenge.realm, creds.password).as_bytes());
    if alg.sess() {
        ha1 = alg.hash(format!("{ha1}:{}:{cnonce}", challenge.nonce).as_bytes());
    }
    let ha2 = match challenge.qop {
        Some(Qop::AuthInt) => alg.hash(format!("{method}:{uri}:{}", alg.hash(body)).as_bytes()),
        _ => alg.hash(format!("{method}:{uri}").as_bytes()),
    };
    let response = match challenge.qop {
        Some(q) => alg.hash(
            format!(
                "{ha1}:{}:{nc}:{cnonce}:{}:{ha2}",
                challenge.nonce,
                qop_name(q)
            )
            .as_bytes(),
        ),
        None => alg.hash(format!("{ha1}:{}:{ha2}", challenge.nonce).as_bytes()),
    };
    let mut h = format!(
        "Digest username={}, realm={}, nonce={}, uri={}, algorithm={}, response={}",
        quote(&creds.username),
        quote(&challenge.realm),
        quote(&challenge.nonce),
        quote(uri),
        alg.name(),
        quote(&response),
    );
    if let Some(q) = challenge.qop {
        h.push_str(&format!(
            ", qop={}, nc={nc}, cnonce={}",
            qop_name(q),
            quote(cnonce)
        ));
    }
    if let Some(o) = &challenge.opaque {
        h.push_str(&format!(", opaque={}", quote(o)));
    }
    h
}

fn qop_name(q: Qop) -> &'static str {
    match q {
        Qop::Auth => "auth",
        Qop::AuthInt => "auth-int",
    }
}

pub(crate) fn new_cnonce() -> String {
    let bytes: Vec<u8> = (0..16).map(|_| fastrand::u8(..)).collect();
    hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> DigestCredentials {
        DigestCredentials {
            username: "Mufasa".into(),
            password: "Circle of Life".into(),
        }
    }

    const RFC_CHALLENGE: &str = "realm=\"http-auth@example.org\", qop=\"auth, auth-int\", \
        nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\", \
        opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
    const RFC_CNONCE: &str = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    fn response_of(header: &str) -> String {
        let (_, params) = parse_challenges(header).remove(0);
        params.into_iter().find(|(k, _)| k == "response").unwrap().1
    }

    // The worked examples of RFC 7616 section 3.9.1.
    #[test]
    fn matches_rfc_7616_md5_example() {
        let v = format!("Digest {RFC_CHALLENGE}, algorithm=MD5");
        let c = pick_challenge(std::iter::once(v.as_bytes())).unwrap();
        let h = authorization(&creds(), &c, "GET", "/dir/index.html", RFC_CNONCE, b"");
        assert_eq!(response_of(&h), "8ca523f5e9506fed4657c9700eebdbec");
        assert!(h.contains("opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\""));
        assert!(h.contains("qop=auth, nc=00000001"));
    }

    #[test]
    fn matches_rfc_7616_sha256_example() {
        let v = format!("Digest {RFC_CHALLENGE}, algorithm=SHA-256");
        let c = pick_challenge(std::iter::once(v.as_bytes())).unwrap();
        let h = authorization(&creds(), &c, "GET", "/dir/index.html", RFC_CNONCE, b"");
        assert_eq!(
            response_of(&h),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"
        );
    }

    #[test]
    fn prefers_sha256_and_skips_other_schemes() {
        let v = "Basic realm=\"x\", Digest realm=\"r\", nonce=\"n1\", algorithm=MD5, \
                 Digest realm=\"r\", nonce=\"n2\", algorithm=SHA-256, qop=\"auth\"";
        let c = pick_challenge(std::iter::once(v.as_bytes())).unwrap();
        assert_eq!(c.algorithm, Algorithm::Sha256);
        assert_eq!(c.nonce, "n2");
        assert_eq!(c.qop, Some(Qop::Auth));
    }

    #[test]
    fn unsupported_challenges_are_ignored() {
        assert!(pick_challenge(std::iter::once(&b"Basic realm=\"x\""[..])).is_none());
        let v = b"Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256";
        assert!(pick_challenge(std::iter::once(&v[..])).is_none());
        let v = b"Digest realm=\"r\", nonce=\"n\", qop=\"weird\"";
        assert!(pick_challenge(std::iter::once(&v[..])).is_none());
    }

    #[test]
    fn auth_int_hashes_the_body_and_sess_rehashes_ha1() {
        let v = b"Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\", algorithm=MD5-sess";
        let c = pick_challenge(std::iter::once(&v[..])).unwrap();
        assert_eq!(c.qop, Some(Qop::AuthInt));
        let h = authorization(&creds(), &c, "POST", "/p", "cn", b"body");
        let md5 = |s: String| hex(&Md5::digest(s.as_bytes()));
        let ha1 = md5(format!("{}:n:cn", md5("Mufasa:r:Circle of Life".into())));
        let ha2 = md5(format!("POST:/p:{}", md5("body".into())));
        let expected = md5(format!("{ha1}:n:00000001:cn:auth-int:{ha2}"));
        assert_eq!(response_of(&h), expected);
        assert!(h.contains("algorithm=MD5-sess"));
    }
}
