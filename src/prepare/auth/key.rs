//! Private keys from PEM text, as the PKCS#8 DER that ring reads: PKCS#8
//! (`PRIVATE KEY`) as is, PKCS#1 (`RSA PRIVATE KEY`) and SEC1
//! (`EC PRIVATE KEY`) wrapped in a PKCS#8 envelope, the way
//! `openssl pkcs8 -topk8 -nocrypt` wraps them (byte for byte).
//!
//! The DER here is the little that wrapping needs: tag, length, contents.

use base64::Engine as _;

/// `rsaEncryption` (1.2.840.113549.1.1.1).
const RSA_ENCRYPTION: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
/// `id-ecPublicKey` (1.2.840.10045.2.1).
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];

const SEQUENCE: u8 = 0x30;
const INTEGER: u8 = 0x02;
const OCTET_STRING: u8 = 0x04;
const NULL: u8 = 0x05;
const OID: u8 = 0x06;
/// SEC1's `[0] parameters` (the curve) and `[1] publicKey`.
const CONTEXT_0: u8 = 0xa0;
const CONTEXT_1: u8 = 0xa1;

/// The elliptic curves ring signs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Curve {
    P256,
    P384,
}

impl Curve {
    fn oid(self) -> &'static [u8] {
        match self {
            // prime256v1 (1.2.840.10045.3.1.7), secp384r1 (1.3.132.0.34).
            Curve::P256 => &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
            Curve::P384 => &[0x2b, 0x81, 0x04, 0x00, 0x22],
        }
    }

    fn from_oid(oid: &[u8]) -> Option<Curve> {
        [Curve::P256, Curve::P384]
            .into_iter()
            .find(|c| c.oid() == oid)
    }

    pub fn name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
        }
    }
}

/// What a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Rsa,
    Ec(Curve),
    /// An EC key on a curve ring does not sign with, or another algorithm
    /// (Ed25519…): named for the error.
    Other,
}

impl KeyKind {
    pub fn describe(self) -> String {
        match self {
            KeyKind::Rsa => "an RSA key".into(),
            KeyKind::Ec(c) => format!("an EC {} key", c.name()),
            KeyKind::Other => "a key of another kind".into(),
        }
    }
}

/// A private key as PKCS#8 DER, and its kind.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKey {
    pub kind: KeyKind,
    pub pkcs8: Vec<u8>,
}

impl std::fmt::Debug for PrivateKey {
    // Never the key itself, should one end up in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrivateKey")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("empty (write the PEM text, or a variable holding it, e.g. {{{{private_key}}}})")]
    Empty,
    #[error("not PEM: no -----BEGIN …----- line")]
    NoPem,
    #[error("the PEM block `{label}` has no -----END {label}----- line")]
    NoEnd { label: String },
    #[error("a `{label}` block, not a private key (expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY)")]
    NotPrivate { label: String },
    #[error("the key is encrypted; decrypt it first (openssl pkcs8 -in key.pem -nocrypt -topk8)")]
    Encrypted,
    #[error("the PEM body is not base64")]
    Base64,
    #[error("the {what} DER is malformed")]
    Der { what: &'static str },
    #[error("an EC key without its curve; give one with the curve parameters")]
    NoCurve,
}

/// Reads the first private key in `pem`. Line breaks may also be written
/// `\n` or spaces (a key pasted into a one-line field). `curve` is used
/// for a SEC1 key that does not name its own.
pub fn parse_private_key(pem: &str, curve: Option<Curve>) -> Result<PrivateKey, KeyError> {
    let text = pem.replace("\\n", "\n").replace("\\r", "");
    if text.trim().is_empty() {
        return Err(KeyError::Empty);
    }
    let begin = text.find("-----BEGIN ").ok_or(KeyError::NoPem)?;
    let after = &text[begin + "-----BEGIN ".len()..];
    let label_end = after.find("-----").ok_or(KeyError::NoPem)?;
    let label = after[..label_end].trim().to_string();
    let body_and_rest = &after[label_end + 5..];
    let end_line = format!("-----END {label}-----");
    let end = body_and_rest
        .find(&end_line)
        .ok_or_else(|| KeyError::NoEnd {
            label: label.clone(),
        })?;
    let body = &body_and_rest[..end];
    if label == "ENCRYPTED PRIVATE KEY" || body.contains("ENCRYPTED") {
        return Err(KeyError::Encrypted);
    }
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .map_err(|_| KeyError::Base64)?;
    match label.as_str() {
        "PRIVATE KEY" => Ok(PrivateKey {
            kind: pkcs8_kind(&der)?,
            pkcs8: der,
        }),
        "RSA PRIVATE KEY" => Ok(PrivateKey {
            kind: KeyKind::Rsa,
            pkcs8: pkcs8_from_pkcs1(&der)?,
        }),
        "EC PRIVATE KEY" => {
            let (curve, pkcs8) = pkcs8_from_sec1(&der, curve)?;
            Ok(PrivateKey {
                kind: curve.map_or(KeyKind::Other, KeyKind::Ec),
                pkcs8,
            })
        }
        _ => Err(KeyError::NotPrivate { label }),
    }
}

/// One DER element: its tag, its contents and what follows it.
fn element(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// `tag`, the DER length of `contents`, then `contents`.
fn tlv(tag: u8, contents: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = contents.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len
            .to_be_bytes()
            .into_iter()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(contents);
    out
}

/// `PrivateKeyInfo { version 0, algorithm, privateKey }` (RFC 5208).
fn private_key_info(algorithm: &[u8], private_key: &[u8]) -> Vec<u8> {
    let mut body = tlv(INTEGER, &[0]);
    body.extend(tlv(SEQUENCE, algorithm));
    body.extend(tlv(OCTET_STRING, private_key));
    tlv(SEQUENCE, &body)
}

/// A PKCS#1 `RSAPrivateKey` in PKCS#8: `rsaEncryption` with NULL
/// parameters around the key as it is.
pub fn pkcs8_from_pkcs1(der: &[u8]) -> Result<Vec<u8>, KeyError> {
    let bad = KeyError::Der {
        what: "RSA PRIVATE KEY",
    };
    match element(der) {
        Some((SEQUENCE, _, [])) => {}
        _ => return Err(bad),
    }
    let mut algorithm = tlv(OID, RSA_ENCRYPTION);
    algorithm.extend(tlv(NULL, &[]));
    Ok(private_key_info(&algorithm, der))
}

/// A SEC1 `ECPrivateKey` in PKCS#8: the curve moves from the key's
/// `[0] parameters` to the algorithm identifier and the key keeps its
/// version, private key and `[1] publicKey` (as OpenSSL writes it).
/// Returns the curve when ring knows it.
pub fn pkcs8_from_sec1(
    der: &[u8],
    curve: Option<Curve>,
) -> Result<(Option<Curve>, Vec<u8>), KeyError> {
    let bad = KeyError::Der {
        what: "EC PRIVATE KEY",
    };
    let Some((SEQUENCE, mut rest, [])) = element(der) else {
        return Err(bad);
    };
    let mut inner = Vec::new();
    let mut named: Option<Vec<u8>> = None;
    while !rest.is_empty() {
        let (tag, contents, next) = element(rest).ok_or(bad.clone())?;
        let whole = &rest[..rest.len() - next.len()];
        match tag {
            CONTEXT_0 => match element(contents) {
                Some((OID, oid, [])) => named = Some(oid.to_vec()),
                _ => return Err(bad),
            },
            INTEGER | OCTET_STRING | CONTEXT_1 => inner.extend_from_slice(whole),
            _ => return Err(bad),
        }
        rest = next;
    }
    let oid = match (named, curve) {
        (Some(oid), _) => oid,
        (None, Some(c)) => c.oid().to_vec(),
        (None, None) => return Err(KeyError::NoCurve),
    };
    let mut algorithm = tlv(OID, EC_PUBLIC_KEY);
    algorithm.extend(tlv(OID, &oid));
    Ok((
        Curve::from_oid(&oid),
        private_key_info(&algorithm, &tlv(SEQUENCE, &inner)),
    ))
}

/// The kind of a PKCS#8 key, from its algorithm identifier.
fn pkcs8_kind(der: &[u8]) -> Result<KeyKind, KeyError> {
    let bad = KeyError::Der {
        what: "PRIVATE KEY",
    };
    let Some((SEQUENCE, body, [])) = element(der) else {
        return Err(bad);
    };
    let Some((INTEGER, _, rest)) = element(body) else {
        return Err(bad);
    };
    let Some((SEQUENCE, algorithm, _)) = element(rest) else {
        return Err(bad);
    };
    let Some((OID, oid, params)) = element(algorithm) else {
        return Err(bad);
    };
    Ok(if oid == RSA_ENCRYPTION {
        KeyKind::Rsa
    } else if oid == EC_PUBLIC_KEY {
        match element(params) {
            Some((OID, curve, _)) => Curve::from_oid(curve).map_or(KeyKind::Other, KeyKind::Ec),
            _ => KeyKind::Other,
        }
    } else {
        KeyKind::Other
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// RFC 7515 appendix A.2's RSA key (from its JWK) as PKCS#1.
    pub const RFC7515_RSA_PKCS1: &str = "-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd/wWJcyQoTbji9k0
l8W26mPddxHmfHQp+Vaw+4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL+yRT+SFd2lZS+pC
gNMsD1W/YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb/7OMg0LOL+bSf63kpaSHSX
ndS5z5rexMdbBYUsLA9e+KXBdQOS+UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uD
Zlxvb3qCo5ZwKh9kG4LT6/I5IhlJH7aGhyxXFvUK+DWNmoudF8NAco9/h9iaGNj8
q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQIDAQABAoIBABKucaRpzQorw35S
bEUAVx8dYXUdZOlJcHtiWQ+dC6V8ljxAHj/PLyzTveyI5QO/xkObCyjIL303l2cf
UhPu2MFaJdjVzqACXuOrLot/eSFvxjvqVidTtAZExqFRJ9mylUVAoLvhowVWmC1O
n95fZCXxTUtxNEG1Xcc7m0rtzJKs45J+N/V9DP1edYH6USyPSWGp6wuA+KgHRnKK
Vf9GRx80JQY7nVNkL17eHoTWEwga+lwi0FEoW9Y7lDtWXYmKBWhUE+U8PGxlJf8f
40493HDw1WRQ/aSLoS4QTp3rn7gYgeHEvfJdkkf0UMhlknlo53M09EFPdadQ4TlU
bjqKc50CgYEA4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH/5IB3jw3bcxGn6QLvnE
tfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw/Py5PJdTJNPY8cQn7ouZ2KKDcmnPG
BY5t7yLc1QlQ5xHdwW1VhvKn+nXqhJTBgIPgtldC+KDV5z+y2XDwGUcCgYEAuQPE
fgmVtjL0Uyyx88GZFF1fOunH3+7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYs
p1ZSe7zFYHj7C6ul7TjeLQeZD/YwD66t62wDmpe/HlB+TnBA+njbglfIsRLtXlnD
zQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdcCgYAHAp9XcCSrn8wVkMVkKdb7
DOX4IKjzdahm+ctDAJN4O/y7OW5FKebvUjdAIt2GuoTZ71iTG+7F0F+lP88jtjP4
U4qe7VHoewl4MKOfXZKTe+YCS1XbNvfgwJ3Ltyl1OH9hWvu2yza7q+d5PCsDzqtm
27kxuvULVeya+TEdAB1ijQKBgQCH/3r6YrVH/uCWGy6bzV1nGNOdjKc9tmkfOJmN
54dxdixdpozCQ6U4OxZrsj3FcOhHBsqAHvX2uuYjagqvo3cOj1TRqNocX40omfCC
Mx3bD1yPPf/6TI2XECva/ggqEY2mYzmIiA5LVVmc5nrybr+lssFKneeyxN2Wq93S
0iJMdQKBgCGHewxzoa1r8ZMD0LETNrToK423K377UCYqXfg5XMclbrjPbEC3YI1Z
NqMtuhdBJqUnBi6tjKMF+34Xf0CUN8ncuXGO2CAYvO8PdyCixHX52ybaDjy1FtCE
6yUXjoKNXKvUm7MWGsAYH6f4IegOetN5NvmUMFStCSkh7ixZLkN1
-----END RSA PRIVATE KEY-----
";

    /// The same key after `openssl pkcs8 -topk8 -nocrypt`.
    pub const RFC7515_RSA_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCh+BYK4uPJtGXO
jS1lYmM2K5J9vinh8CR3/BYlzJChNuOL2TSXxbbqY913EeZ8dCn5VrD7io8ImtxL
aYk8wTM/U+3QGbh3hCUv7JFP5IV3aVlL6kKA0ywPVb9ilE8TA5a8bpvfbr3SvaNn
juygxmj3AbONv/s4yDQs4v5tJ/reSlpIdJed1LnPmt7Ex1sFhSwsD174pcF1A5L5
ROjtZMEQxrZHYJqkeDrrnGya11UxMFBji4NmXG9veoKjlnAqH2QbgtPr8jkiGUkf
toaHLFcW9Qr4NY2ai50Xw0Byj3+H2JoY2PyrZ62EWQwuz3WTOTY8BwNNb2BvniHg
VFbK5emhAgMBAAECggEAEq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyW
PEAeP88vLNO97IjlA7/GQ5sLKMgvfTeXZx9SE+7YwVol2NXOoAJe46sui395IW/G
O+pWJ1O0BkTGoVEn2bKVRUCgu+GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzj
kn439X0M/V51gfpRLI9JYanrC4D4qAdGcopV/0ZHHzQlBjudU2QvXt4ehNYTCBr6
XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl/x/jTj3ccPDVZFD9pIuhLhBOneufuBiB
4cS98l2SR/RQyGWSeWjnczT0QU91p1DhOVRuOopznQKBgQDgHMQQ60imZV1URk0K
pLttoLhyt3SmqdEf/kgHePDdtzEafpAu+cS191R2JiuoF2yzWXnwFDcqGigp5BNr
0AHQfD8/Lk8l1Mk09jxxCfui5nYooNyac8YFjm3vItzVCVDnEd3BbVWG8qf6deqE
lMGAg+C2V0L4oNXnP7LZcPAZRwKBgQC5A8R+CZW2MvRTLLHzwZkUXV866cff7tx6
kqa0finGG0KgeqlaZPxgCZnFp7AeAcCMtiynVlJ7vMVgePsLq6XtON4tB5kP9jAP
rq3rbAOal78eUH5OcED6eNuCV8ixEu1eWcPNCS/l1OW1EnXUEoEHKl54Xrrz2uNw
kgMTP1FZ1wKBgAcCn1dwJKufzBWQxWQp1vsM5fggqPN1qGb5y0MAk3g7/Ls5bkUp
5u9SN0Ai3Ya6hNnvWJMb7sXQX6U/zyO2M/hTip7tUeh7CXgwo59dkpN75gJLVds2
9+DAncu3KXU4f2Fa+7bLNrur53k8KwPOq2bbuTG69QtV7Jr5MR0AHWKNAoGBAIf/
evpitUf+4JYbLpvNXWcY052Mpz22aR84mY3nh3F2LF2mjMJDpTg7FmuyPcVw6EcG
yoAe9fa65iNqCq+jdw6PVNGo2hxfjSiZ8IIzHdsPXI89//pMjZcQK9r+CCoRjaZj
OYiIDktVWZzmevJuv6WywUqd57LE3Zar3dLSIkx1AoGAIYd7DHOhrWvxkwPQsRM2
tOgrjbcrfvtQJipd+DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd/QJQ3
ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp/gh6A56
03k2+ZQwVK0JKSHuLFkuQ3U=
-----END PRIVATE KEY-----
";

    /// RFC 7515 appendix A.3's P-256 key (from its JWK) as SEC1, with
    /// the curve and the public key.
    pub const RFC7515_EC_SEC1: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEII6bEJ5xkJi/mASH3x9dd+nLKWBuvtImO19XwhPfhPSyoAoGCCqGSM49
AwEHoUQDQgAEf83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEXH8UTNG72b
focs3+257rn0s2ldbqkLJK2KRiMohYjlrQ==
-----END EC PRIVATE KEY-----
";

    /// The same key after `openssl pkcs8 -topk8 -nocrypt`.
    pub const RFC7515_EC_PKCS8: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjpsQnnGQmL+YBIff
H1136cspYG6+0iY7X1fCE9+E9LKhRANCAAR/zc4ncPbEXUGDy+5v20t7WAczNXvp
7xO6z248e9FURcfxRM0bvZt+hyzf7bnuufSzaV1uqQskrYpGIyiFiOWt
-----END PRIVATE KEY-----
";

    fn der_of(pem: &str) -> Vec<u8> {
        parse_private_key(pem, None).unwrap().pkcs8
    }

    #[test]
    fn pkcs1_and_sec1_are_wrapped_as_openssl_wraps_them() {
        let rsa = parse_private_key(RFC7515_RSA_PKCS1, None).unwrap();
        assert_eq!(rsa.kind, KeyKind::Rsa);
        assert_eq!(rsa.pkcs8, der_of(RFC7515_RSA_PKCS8));
        let ec = parse_private_key(RFC7515_EC_SEC1, None).unwrap();
        assert_eq!(ec.kind, KeyKind::Ec(Curve::P256));
        assert_eq!(ec.pkcs8, der_of(RFC7515_EC_PKCS8));
        assert_eq!(
            parse_private_key(RFC7515_EC_PKCS8, None).unwrap().kind,
            KeyKind::Ec(Curve::P256)
        );
        // ring takes both results.
        let rng = ring::rand::SystemRandom::new();
        assert!(ring::signature::RsaKeyPair::from_pkcs8(&rsa.pkcs8).is_ok());
        assert!(ring::signature::EcdsaKeyPair::from_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &ec.pkcs8,
            &rng
        )
        .is_ok());
    }

    #[test]
    fn a_sec1_key_without_its_curve_takes_the_one_given() {
        // The RFC key with `[0] parameters` left out.
        let pem = parse_private_key(RFC7515_EC_SEC1, None).unwrap();
        let (_, body, _) = element(&pem.pkcs8).unwrap();
        let (_, _, rest) = element(body).unwrap(); // version
        let (_, _, rest) = element(rest).unwrap(); // algorithm
        let (_, inner, _) = element(rest).unwrap(); // the ECPrivateKey
        assert_eq!(pkcs8_from_sec1(inner, None).unwrap_err(), KeyError::NoCurve);
        let (curve, der) = pkcs8_from_sec1(inner, Some(Curve::P256)).unwrap();
        assert_eq!(curve, Some(Curve::P256));
        assert_eq!(der, pem.pkcs8);
    }

    #[test]
    fn lengths_of_every_size_encode_and_decode() {
        for len in [0usize, 1, 127, 128, 255, 256, 1190, 70_000] {
            let contents = vec![7u8; len];
            let der = tlv(OCTET_STRING, &contents);
            let (tag, got, rest) = element(&der).unwrap();
            assert_eq!((tag, got.len(), rest.len()), (OCTET_STRING, len, 0));
        }
        assert_eq!(tlv(INTEGER, &[0]), [2, 1, 0]);
        assert_eq!(&tlv(SEQUENCE, &[0; 200])[..3], &[0x30, 0x81, 200]);
        // Truncated or overlong input is refused, never read past.
        assert!(element(&[0x30, 0x82, 0x01]).is_none());
        assert!(element(&[0x30, 0x05, 1, 2]).is_none());
        assert!(element(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_none());
    }

    #[test]
    fn one_line_keys_and_escaped_newlines_are_read() {
        let one_line = RFC7515_EC_SEC1.replace('\n', " ");
        let escaped = RFC7515_EC_SEC1.replace('\n', "\\n");
        for pem in [one_line, escaped] {
            assert_eq!(der_of(&pem), der_of(RFC7515_EC_PKCS8));
        }
    }

    #[test]
    fn bad_keys_say_what_is_wrong() {
        let cases: &[(&str, KeyError)] = &[
            ("", KeyError::Empty),
            ("MIIE…", KeyError::NoPem),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n",
                KeyError::NoEnd {
                    label: "PRIVATE KEY".into(),
                },
            ),
            (
                "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
                KeyError::NotPrivate {
                    label: "PUBLIC KEY".into(),
                },
            ),
            (
                "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
                KeyError::Encrypted,
            ),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END RSA PRIVATE KEY-----",
                KeyError::Encrypted,
            ),
            (
                "-----BEGIN PRIVATE KEY-----\n!!\n-----END PRIVATE KEY-----",
                KeyError::Base64,
            ),
            (
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
                KeyError::Der {
                    what: "PRIVATE KEY",
                },
            ),
            (
                "-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----",
                KeyError::NoCurve,
            ),
        ];
        for (pem, want) in cases {
            assert_eq!(parse_private_key(pem, None).as_ref(), Err(want), "{pem}");
        }
    }
}
