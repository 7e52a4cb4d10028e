//! PKCE (RFC 7636): a secret verifier kept by postie, its challenge sent
//! with the authorization request.

use base64::Engine as _;
use sha2::{Digest, Sha256};

/// The characters RFC 7636 section 4.1 allows in a verifier.
const UNRESERVED: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

/// A fresh verifier: 64 unreserved characters (43 to 128 are allowed),
/// from the system's secure random source (`None` if it fails).
pub fn verifier() -> Option<String> {
    random_string(64)
}

/// `len` unreserved characters from the system's secure random source:
/// verifiers and `state` values must not be guessable.
pub fn random_string(len: usize) -> Option<String> {
    use ring::rand::SecureRandom as _;
    let mut bytes = vec![0u8; len];
    ring::rand::SystemRandom::new().fill(&mut bytes).ok()?;
    // 66 characters: the modulo bias is far too small to help a guess.
    Some(
        (bytes.iter())
            .map(|b| UNRESERVED[*b as usize % UNRESERVED.len()] as char)
            .collect(),
    )
}

/// Whether `v` is a verifier RFC 7636 accepts.
pub fn is_valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len()) && v.bytes().all(|b| UNRESERVED.contains(&b))
}

/// The challenge for `verifier` by `method` (`S256` or `plain`).
pub fn challenge(verifier: &str, method: Method) -> String {
    match method {
        Method::S256 => base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(Sha256::digest(verifier.as_bytes())),
        Method::Plain => verifier.to_string(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    S256,
    Plain,
}

impl Method {
    /// `S256` when empty; `None` for a method RFC 7636 does not define.
    pub fn parse(name: &str) -> Option<Method> {
        match name.trim() {
            "" => Some(Method::S256),
            n if n.eq_ignore_ascii_case("S256") => Some(Method::S256),
            n if n.eq_ignore_ascii_case("plain") => Some(Method::Plain),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::S256 => "S256",
            Method::Plain => "plain",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7636_appendix_b() {
        let v = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(is_valid_verifier(v));
        assert_eq!(
            challenge(v, Method::S256),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
        assert_eq!(challenge(v, Method::Plain), v);
    }

    #[test]
    fn fresh_verifiers_are_valid_and_differ() {
        let (a, b) = (verifier().unwrap(), verifier().unwrap());
        assert!(is_valid_verifier(&a), "{a}");
        assert_ne!(a, b);
        assert!(!is_valid_verifier("short"));
        assert!(!is_valid_verifier(&"a".repeat(42)));
        assert!(!is_valid_verifier(&format!("{}!", "a".repeat(50))));
    }

    #[test]
    fn methods_parse_as_rfc_7636_names_them() {
        assert_eq!(Method::parse(""), Some(Method::S256));
        assert_eq!(Method::parse("s256"), Some(Method::S256));
        assert_eq!(Method::parse("plain"), Some(Method::Plain));
        assert_eq!(Method::parse("S512"), None);
    }
}
