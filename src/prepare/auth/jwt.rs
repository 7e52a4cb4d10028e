//! JSON Web Tokens (RFC 7519) signed as JWS compact serialization
//! (RFC 7515) with ring: HMAC, RSA PKCS#1 v1.5 and PSS, ECDSA P-256 and
//! P-384 (fixed-width `r || s` signatures, as RFC 7518 §3.4 wants).

use base64::Engine as _;
use ring::{hmac, rand::SystemRandom, signature};
use serde_json::{Map, Value};

use super::key::{self, Curve, KeyError, KeyKind};
use crate::model::JwtAuth;

/// The lifetime of a token whose payload gives no `exp`, in seconds.
pub const DEFAULT_LIFETIME: u64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    Hs256,
    Hs384,
    Hs512,
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
    Es256,
    Es384,
}

impl Algorithm {
    const ALL: [Algorithm; 11] = [
        Algorithm::Hs256,
        Algorithm::Hs384,
        Algorithm::Hs512,
        Algorithm::Rs256,
        Algorithm::Rs384,
        Algorithm::Rs512,
        Algorithm::Ps256,
        Algorithm::Ps384,
        Algorithm::Ps512,
        Algorithm::Es256,
        Algorithm::Es384,
    ];

    /// The `alg` header value.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Hs256 => "HS256",
            Algorithm::Hs384 => "HS384",
            Algorithm::Hs512 => "HS512",
            Algorithm::Rs256 => "RS256",
            Algorithm::Rs384 => "RS384",
            Algorithm::Rs512 => "RS512",
            Algorithm::Ps256 => "PS256",
            Algorithm::Ps384 => "PS384",
            Algorithm::Ps512 => "PS512",
            Algorithm::Es256 => "ES256",
            Algorithm::Es384 => "ES384",
        }
    }

    /// Case-insensitive, as Postman's files are not always upper-case.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        let name = name.trim();
        Algorithm::ALL
            .into_iter()
            .find(|a| a.name().eq_ignore_ascii_case(name))
    }

    fn is_hmac(self) -> bool {
        matches!(self, Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512)
    }

    fn curve(self) -> Option<Curve> {
        match self {
            Algorithm::Es256 => Some(Curve::P256),
            Algorithm::Es384 => Some(Curve::P384),
            _ => None,
        }
    }

    fn needs(self) -> &'static str {
        match self {
            Algorithm::Es256 => "an EC P-256 key",
            Algorithm::Es384 => "an EC P-384 key",
            _ => "an RSA key",
        }
    }
}

/// The key a signature is made with.
#[derive(Debug)]
pub enum SigningKey<'a> {
    Secret(&'a [u8]),
    Private(&'a key::PrivateKey),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JwtError {
    #[error("unknown algorithm {name:?} (expected one of: {})", JwtAuth::ALGORITHMS.join(", "))]
    Algorithm { name: String },
    #[error("empty, and {algorithm} signs with a secret")]
    NoSecret { algorithm: &'static str },
    #[error("not base64, and secret_base64 is on")]
    SecretBase64,
    #[error("{0}")]
    Key(KeyError),
    #[error("{key}, and {algorithm} needs {needs}")]
    WrongKey {
        algorithm: &'static str,
        key: String,
        needs: &'static str,
    },
    #[error("ring refuses the key ({reason}); RSA keys must have 2048 to 4096 bits")]
    Rejected { reason: String },
    #[error("not JSON: {message}")]
    Json {
        field: &'static str,
        message: String,
    },
    #[error("must be a JSON object, not {found}")]
    NotObject {
        field: &'static str,
        found: &'static str,
    },
    #[error("{text:?} is not a whole number of seconds")]
    Lifetime { text: String },
    #[error("the signature could not be made")]
    Sign,
}

impl JwtError {
    /// The auth field at fault, named as on disk.
    pub fn field(&self) -> &'static str {
        match self {
            JwtError::Algorithm { .. } => "algorithm",
            JwtError::NoSecret { .. } | JwtError::SecretBase64 => "secret",
            JwtError::Key(_) | JwtError::WrongKey { .. } | JwtError::Rejected { .. } => {
                "private_key"
            }
            JwtError::Json { field, .. } | JwtError::NotObject { field, .. } => field,
            JwtError::Lifetime { .. } => "lifetime",
            JwtError::Sign => "algorithm",
        }
    }
}

/// The token for `j` (its templates already resolved), issued at `now`
/// (seconds since the Unix epoch).
pub fn token(j: &JwtAuth, now: u64) -> Result<String, JwtError> {
    let algorithm = Algorithm::from_name(j.algorithm()).ok_or_else(|| JwtError::Algorithm {
        name: j.algorithm().to_string(),
    })?;
    let lifetime = match j.lifetime.trim() {
        "" => DEFAULT_LIFETIME,
        t => t.parse().map_err(|_| JwtError::Lifetime {
            text: j.lifetime.clone(),
        })?,
    };
    let mut header = Map::new();
    header.insert("alg".into(), algorithm.name().into());
    header.insert("typ".into(), "JWT".into());
    for (k, v) in object(&j.header, "header")? {
        // The algorithm field is the one source of `alg`, as in Postman.
        if k != "alg" {
            header.insert(k, v);
        }
    }
    let mut claims = object(&j.payload, "payload")?;
    if !claims.contains_key("iat") {
        claims.insert("iat".into(), now.into());
    }
    if !claims.contains_key("exp") {
        claims.insert("exp".into(), now.saturating_add(lifetime).into());
    }
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let input = format!(
        "{}.{}",
        b64(Value::Object(header).to_string().as_bytes()),
        b64(Value::Object(claims).to_string().as_bytes())
    );
    let signature = if algorithm.is_hmac() {
        let secret = secret(j, algorithm)?;
        sign(algorithm, &SigningKey::Secret(&secret), input.as_bytes())?
    } else {
        let key = private_key(&j.private_key, algorithm)?;
        sign(algorithm, &SigningKey::Private(&key), input.as_bytes())?
    };
    Ok(format!("{input}.{}", b64(&signature)))
}

/// The HMAC key: the secret's bytes, or what its base64 decodes to.
fn secret(j: &JwtAuth, algorithm: Algorithm) -> Result<Vec<u8>, JwtError> {
    if j.secret.is_empty() {
        return Err(JwtError::NoSecret {
            algorithm: algorithm.name(),
        });
    }
    if !j.secret_base64 {
        return Ok(j.secret.as_bytes().to_vec());
    }
    // Standard or URL-safe alphabet, padded or not.
    let text: String = (j.secret.chars())
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(text.as_bytes())
        .map_err(|_| JwtError::SecretBase64)
}

/// The private key in `pem`, checked to suit `algorithm`.
pub fn private_key(pem: &str, algorithm: Algorithm) -> Result<key::PrivateKey, JwtError> {
    let key = key::parse_private_key(pem, algorithm.curve()).map_err(JwtError::Key)?;
    let fits = match algorithm.curve() {
        Some(c) => key.kind == KeyKind::Ec(c),
        None => key.kind == KeyKind::Rsa,
    };
    if !fits {
        return Err(JwtError::WrongKey {
            algorithm: algorithm.name(),
            key: format!("the key is {}", key.kind.describe()),
            needs: algorithm.needs(),
        });
    }
    Ok(key)
}

/// `input` signed with `key` as `algorithm` says.
pub fn sign(algorithm: Algorithm, key: &SigningKey<'_>, input: &[u8]) -> Result<Vec<u8>, JwtError> {
    let rng = SystemRandom::new();
    let rejected = |e: ring::error::KeyRejected| JwtError::Rejected {
        reason: e.to_string(),
    };
    match (algorithm, key) {
        (Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512, SigningKey::Secret(s)) => {
            let alg = match algorithm {
                Algorithm::Hs256 => hmac::HMAC_SHA256,
                Algorithm::Hs384 => hmac::HMAC_SHA384,
                _ => hmac::HMAC_SHA512,
            };
            Ok(hmac::sign(&hmac::Key::new(alg, s), input).as_ref().to_vec())
        }
        (Algorithm::Es256 | Algorithm::Es384, SigningKey::Private(k)) => {
            let alg = match algorithm {
                Algorithm::Es256 => &signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                _ => &signature::ECDSA_P384_SHA384_FIXED_SIGNING,
            };
            let pair =
                signature::EcdsaKeyPair::from_pkcs8(alg, &k.pkcs8, &rng).map_err(rejected)?;
            let sig = pair.sign(&rng, input).map_err(|_| JwtError::Sign)?;
            Ok(sig.as_ref().to_vec())
        }
        (_, SigningKey::Private(k)) => {
            let encoding: &'static dyn signature::RsaEncoding = match algorithm {
                Algorithm::Rs256 => &signature::RSA_PKCS1_SHA256,
                Algorithm::Rs384 => &signature::RSA_PKCS1_SHA384,
                Algorithm::Rs512 => &signature::RSA_PKCS1_SHA512,
                Algorithm::Ps256 => &signature::RSA_PSS_SHA256,
                Algorithm::Ps384 => &signature::RSA_PSS_SHA384,
                _ => &signature::RSA_PSS_SHA512,
            };
            rsa_sign(encoding, k, input)
        }
        (_, SigningKey::Secret(_)) => Err(JwtError::Sign),
    }
}

/// An RSA signature (PKCS#1 v1.5 or PSS) of `input` with `key`.
pub fn rsa_sign(
    encoding: &'static dyn signature::RsaEncoding,
    key: &key::PrivateKey,
    input: &[u8],
) -> Result<Vec<u8>, JwtError> {
    let pair = signature::RsaKeyPair::from_pkcs8(&key.pkcs8).map_err(|e| JwtError::Rejected {
        reason: e.to_string(),
    })?;
    let mut sig = vec![0; pair.public().modulus_len()];
    pair.sign(encoding, &SystemRandom::new(), input, &mut sig)
        .map_err(|_| JwtError::Sign)?;
    Ok(sig)
}

/// `text` as a JSON object; empty text is an empty object.
fn object(text: &str, field: &'static str) -> Result<Map<String, Value>, JwtError> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(other) => Err(JwtError::NotObject {
            field,
            found: match other {
                Value::Array(_) => "an array",
                Value::String(_) => "a string",
                Value::Number(_) => "a number",
                Value::Bool(_) => "a boolean",
                _ => "null",
            },
        }),
        Err(e) => Err(JwtError::Json {
            field,
            message: e.to_string(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::super::key::tests::{RFC7515_EC_SEC1, RFC7515_RSA_PKCS1, RFC7515_RSA_PKCS8};
    use super::*;

    fn b64d(s: &str) -> Vec<u8> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .unwrap()
    }

    /// RFC 7515 A.1's and A.2's payload, with its CRLFs.
    const PAYLOAD: &str =
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

    #[test]
    fn rfc_7515_a1_hs256() {
        let key =
            b64d("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        let input = format!("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.{PAYLOAD}");
        let sig = sign(
            Algorithm::Hs256,
            &SigningKey::Secret(&key),
            input.as_bytes(),
        )
        .unwrap();
        assert_eq!(sig, b64d("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        // The same key given as base64 text to the auth.
        let j = JwtAuth {
            secret: "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow".into(),
            secret_base64: true,
            ..JwtAuth::default()
        };
        assert_eq!(secret(&j, Algorithm::Hs256).unwrap(), key);
    }

    /// PKCS#1 v1.5 is deterministic: the RFC's exact signature, from the
    /// key as PKCS#1 (wrapped here) and as PKCS#8 (OpenSSL's).
    #[test]
    fn rfc_7515_a2_rs256_gives_the_rfcs_exact_bytes() {
        let want = b64d(
            "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw",
        );
        let input = format!("eyJhbGciOiJSUzI1NiJ9.{PAYLOAD}");
        for pem in [RFC7515_RSA_PKCS1, RFC7515_RSA_PKCS8] {
            let key = private_key(pem, Algorithm::Rs256).unwrap();
            let sig = sign(
                Algorithm::Rs256,
                &SigningKey::Private(&key),
                input.as_bytes(),
            )
            .unwrap();
            assert_eq!(sig, want);
        }
    }

    fn ec_public_key() -> Vec<u8> {
        let mut public = vec![4];
        public.extend(b64d("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU"));
        public.extend(b64d("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"));
        public
    }

    #[test]
    fn es256_tokens_verify_with_rings_verifier() {
        let j = JwtAuth {
            algorithm: "ES256".into(),
            private_key: RFC7515_EC_SEC1.into(),
            payload: r#"{"sub": "ada"}"#.into(),
            header: r#"{"kid": "e9bc097a", "alg": "none"}"#.into(),
            ..JwtAuth::default()
        };
        let token = token(&j, 1_700_000_000).unwrap();
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: Value = serde_json::from_slice(&b64d(parts[0])).unwrap();
        assert_eq!(
            header,
            serde_json::json!({"alg": "ES256", "typ": "JWT", "kid": "e9bc097a"})
        );
        let claims: Value = serde_json::from_slice(&b64d(parts[1])).unwrap();
        assert_eq!(
            claims,
            serde_json::json!({"sub": "ada", "iat": 1_700_000_000u64, "exp": 1_700_000_300u64})
        );
        let sig = b64d(parts[2]);
        assert_eq!(sig.len(), 64, "fixed r || s");
        let public =
            signature::UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, ec_public_key());
        let input = format!("{}.{}", parts[0], parts[1]);
        public.verify(input.as_bytes(), &sig).unwrap();
        // And the RFC's own A.3 signature checks out against the same key.
        let rfc = [
            b64d("DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"),
        ];
        public
            .verify(
                format!("eyJhbGciOiJFUzI1NiJ9.{PAYLOAD}").as_bytes(),
                &rfc[0],
            )
            .unwrap();
    }

    #[test]
    fn ps256_and_rs512_tokens_verify() {
        let key = private_key(RFC7515_RSA_PKCS1, Algorithm::Ps256).unwrap();
        let pair = signature::RsaKeyPair::from_pkcs8(&key.pkcs8).unwrap();
        let public = pair.public().as_ref().to_vec();
        for (alg, verify) in [
            (
                "PS256",
                &signature::RSA_PSS_2048_8192_SHA256 as &dyn signature::VerificationAlgorithm,
            ),
            ("RS512", &signature::RSA_PKCS1_2048_8192_SHA512),
        ] {
            let j = JwtAuth {
                algorithm: alg.into(),
                private_key: RFC7515_RSA_PKCS1.into(),
                ..JwtAuth::default()
            };
            let t = token(&j, 1).unwrap();
            let (input, sig) = t.rsplit_once('.').unwrap();
            signature::UnparsedPublicKey::new(verify, &public)
                .verify(input.as_bytes(), &b64d(sig))
                .unwrap();
        }
    }

    #[test]
    fn given_iat_and_exp_are_kept_and_lifetime_sets_exp() {
        let j = JwtAuth {
            secret: "s".into(),
            payload: r#"{"exp": 5, "iat": 1}"#.into(),
            ..JwtAuth::default()
        };
        let t = token(&j, 100).unwrap();
        let claims: Value = serde_json::from_slice(&b64d(t.split('.').nth(1).unwrap())).unwrap();
        assert_eq!(claims, serde_json::json!({"exp": 5, "iat": 1}));
        let j = JwtAuth {
            secret: "s".into(),
            lifetime: "60".into(),
            ..JwtAuth::default()
        };
        let t = token(&j, 100).unwrap();
        let claims: Value = serde_json::from_slice(&b64d(t.split('.').nth(1).unwrap())).unwrap();
        assert_eq!(claims, serde_json::json!({"iat": 100, "exp": 160}));
    }

    #[test]
    fn mistakes_name_their_field() {
        let base = JwtAuth {
            secret: "s".into(),
            ..JwtAuth::default()
        };
        let cases: Vec<(JwtAuth, &str, &str)> = vec![
            (
                JwtAuth {
                    algorithm: "ES512".into(),
                    ..base.clone()
                },
                "algorithm",
                "unknown algorithm \"ES512\"",
            ),
            (
                JwtAuth {
                    secret: String::new(),
                    ..base.clone()
                },
                "secret",
                "HS256 signs with a secret",
            ),
            (
                JwtAuth {
                    secret: "***".into(),
                    secret_base64: true,
                    ..base.clone()
                },
                "secret",
                "not base64",
            ),
            (
                JwtAuth {
                    payload: "[1]".into(),
                    ..base.clone()
                },
                "payload",
                "must be a JSON object, not an array",
            ),
            (
                JwtAuth {
                    payload: "{\"sub\": ".into(),
                    ..base.clone()
                },
                "payload",
                "not JSON",
            ),
            (
                JwtAuth {
                    header: "\"kid\"".into(),
                    ..base.clone()
                },
                "header",
                "not a string",
            ),
            (
                JwtAuth {
                    lifetime: "5m".into(),
                    ..base.clone()
                },
                "lifetime",
                "\"5m\" is not a whole number",
            ),
            (
                JwtAuth {
                    algorithm: "RS256".into(),
                    private_key: RFC7515_EC_SEC1.into(),
                    ..base.clone()
                },
                "private_key",
                "the key is an EC P-256 key, and RS256 needs an RSA key",
            ),
            (
                JwtAuth {
                    algorithm: "ES384".into(),
                    private_key: RFC7515_EC_SEC1.into(),
                    ..base.clone()
                },
                "private_key",
                "ES384 needs an EC P-384 key",
            ),
            (
                JwtAuth {
                    algorithm: "ES256".into(),
                    private_key: "-----BEGIN PUBLIC KEY-----\nAA==\n-----END PUBLIC KEY-----"
                        .into(),
                    ..base.clone()
                },
                "private_key",
                "not a private key",
            ),
        ];
        for (j, field, says) in cases {
            let e = token(&j, 1).unwrap_err();
            assert_eq!(e.field(), field, "{e}");
            let text = e
                .to_string()
                .replace("a JSON object, not a string", "not a string");
            assert!(text.contains(says), "{field}: {e}");
        }
    }
}
