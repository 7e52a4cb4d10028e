use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::oauth2::OAuth2Auth;
use super::Extra;

/// How a request authenticates. On disk: `{"type": "bearer", "token": "{{token}}"}`.
/// Put credentials in variables (secret ones for real credentials), not
/// literally in committed files.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Auth {
    /// Use the auth of the nearest folder or collection that sets one.
    #[default]
    Inherit,
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        key: String,
        value: String,
        location: ApiKeyLocation,
    },
    Digest {
        username: String,
        password: String,
    },
    /// OAuth 1.0a (RFC 5849), signed when sent.
    OAuth1(OAuth1Auth),
    /// Hawk, signed when sent.
    Hawk(HawkAuth),
    /// AWS Signature Version 4, signed when sent.
    AwsV4(AwsV4Auth),
    /// OAuth 2.0: a token fetched (and cached) when a request needs one.
    OAuth2(Box<OAuth2Auth>),
    /// A JSON Web Token, signed when sent.
    Jwt(Box<JwtAuth>),
}

/// OAuth 1.0a's parameters. Empty `timestamp` and `nonce` are made fresh
/// for every send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuth1Auth {
    pub consumer_key: String,
    pub consumer_secret: String,
    pub token: String,
    pub token_secret: String,
    /// `HMAC-SHA1` (when empty), `HMAC-SHA256`, `HMAC-SHA512`, `RSA-SHA256`,
    /// `RSA-SHA512` or `PLAINTEXT`.
    pub signature_method: String,
    pub timestamp: String,
    pub nonce: String,
    /// `1.0` in practice; left out of the signature when empty.
    pub version: String,
    pub realm: String,
    pub callback: String,
    pub verifier: String,
    /// The PEM private key of the `RSA-*` methods (which take no secrets).
    pub private_key: String,
    /// Where the `oauth_*` parameters go.
    pub location: OAuth1Location,
    /// Sign empty `oauth_*` parameters too (Postman's `addEmptyParamsToSign`).
    pub sign_empty: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OAuth1Location {
    /// `Authorization: OAuth …`
    #[default]
    Header,
    /// The urlencoded body of a POST or PUT that has one, else the query.
    Params,
}

/// Hawk's parameters. Empty `timestamp` and `nonce` are made fresh for
/// every send.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HawkAuth {
    pub id: String,
    pub key: String,
    /// `sha256` (when empty) or `sha1`.
    pub algorithm: String,
    pub ext: String,
    pub app: String,
    pub dlg: String,
    pub timestamp: String,
    pub nonce: String,
    /// Cover the body with a payload hash.
    pub payload_hash: bool,
}

/// AWS Signature Version 4's parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AwsV4Auth {
    pub access_key: String,
    pub secret_key: String,
    /// A temporary credential's token (sent and signed as
    /// `X-Amz-Security-Token`).
    pub session_token: String,
    /// `us-east-1` when empty.
    pub region: String,
    /// `execute-api`, `s3`, `sts`…
    pub service: String,
    /// Sign `UNSIGNED-PAYLOAD` instead of the body's hash (S3 streams).
    pub unsigned_payload: bool,
    /// Sign in the query string (a presigned URL) instead of the
    /// `Authorization` header.
    pub in_query: bool,
}

impl AwsV4Auth {
    /// The text fields, labelled as on disk, in a stable order.
    pub fn fields(&self) -> Vec<(&'static str, &String)> {
        vec![
            ("access_key", &self.access_key),
            ("secret_key", &self.secret_key),
            ("session_token", &self.session_token),
            ("region", &self.region),
            ("service", &self.service),
        ]
    }

    /// The text field at `i` of [`Self::fields`].
    pub fn field_mut(&mut self, i: usize) -> Option<&mut String> {
        Some(match i {
            0 => &mut self.access_key,
            1 => &mut self.secret_key,
            2 => &mut self.session_token,
            3 => &mut self.region,
            4 => &mut self.service,
            _ => return None,
        })
    }
}

/// JWT bearer auth: a token signed when sent from claims and a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JwtAuth {
    /// One of [`JwtAuth::ALGORITHMS`]; `HS256` when empty.
    pub algorithm: String,
    /// The HMAC key of the `HS*` algorithms.
    pub secret: String,
    /// `secret` is written in base64 (standard or URL-safe).
    pub secret_base64: bool,
    /// PEM text of the `RS*`, `PS*` and `ES*` algorithms: PKCS#8, PKCS#1 or
    /// SEC1.
    pub private_key: String,
    /// The claims, a JSON object; `iat` and `exp` are added when absent.
    pub payload: String,
    /// Extra JOSE header fields, a JSON object (`{"kid": "…"}`).
    pub header: String,
    /// Seconds from `iat` to the `exp` added; 300 when empty.
    pub lifetime: String,
    /// Before the token in the `Authorization` header; `Bearer` when empty.
    pub token_prefix: String,
    /// The query parameter holding the token; `token` when empty.
    pub query_key: String,
    /// Send the token in the query instead of the `Authorization` header.
    pub in_query: bool,
}

impl Default for JwtAuth {
    fn default() -> Self {
        JwtAuth {
            algorithm: "HS256".into(),
            secret: String::new(),
            secret_base64: false,
            private_key: String::new(),
            payload: String::new(),
            header: String::new(),
            lifetime: String::new(),
            token_prefix: String::new(),
            query_key: String::new(),
            in_query: false,
        }
    }
}

impl JwtAuth {
    /// The algorithms postie signs with (RFC 7518 names).
    pub const ALGORITHMS: &'static [&'static str] = &[
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256",
        "ES384",
    ];

    /// Every key the kind has on disk (besides unknown ones kept as is).
    pub const KEYS: &'static [&'static str] = &[
        "type",
        "algorithm",
        "secret",
        "private_key",
        "payload",
        "header",
        "lifetime",
        "token_prefix",
        "query_key",
        "secret_base64",
        "in",
    ];

    /// The algorithm, `HS256` when none is set.
    pub fn algorithm(&self) -> &str {
        if self.algorithm.trim().is_empty() {
            "HS256"
        } else {
            self.algorithm.trim()
        }
    }

    /// Whether the algorithm signs with `secret` (HMAC) rather than
    /// `private_key`.
    pub fn uses_secret(&self) -> bool {
        self.algorithm().starts_with("HS")
    }

    /// The text fields, labelled as on disk, in a stable order.
    pub fn fields(&self) -> Vec<(&'static str, &String)> {
        vec![
            ("algorithm", &self.algorithm),
            ("secret", &self.secret),
            ("private_key", &self.private_key),
            ("payload", &self.payload),
            ("header", &self.header),
            ("lifetime", &self.lifetime),
            ("token_prefix", &self.token_prefix),
            ("query_key", &self.query_key),
        ]
    }

    /// The text field at `i` of [`Self::fields`].
    pub fn field_mut(&mut self, i: usize) -> Option<&mut String> {
        Some(match i {
            0 => &mut self.algorithm,
            1 => &mut self.secret,
            2 => &mut self.private_key,
            3 => &mut self.payload,
            4 => &mut self.header,
            5 => &mut self.lifetime,
            6 => &mut self.token_prefix,
            7 => &mut self.query_key,
            _ => return None,
        })
    }
}

impl OAuth1Auth {
    /// The text fields, labelled as on disk, in a stable order.
    pub fn fields(&self) -> Vec<(&'static str, &String)> {
        vec![
            ("consumer_key", &self.consumer_key),
            ("consumer_secret", &self.consumer_secret),
            ("token", &self.token),
            ("token_secret", &self.token_secret),
            ("signature_method", &self.signature_method),
            ("timestamp", &self.timestamp),
            ("nonce", &self.nonce),
            ("version", &self.version),
            ("realm", &self.realm),
            ("callback", &self.callback),
            ("verifier", &self.verifier),
            ("private_key", &self.private_key),
        ]
    }

    /// The text field at `i` of [`Self::fields`].
    pub fn field_mut(&mut self, i: usize) -> Option<&mut String> {
        Some(match i {
            0 => &mut self.consumer_key,
            1 => &mut self.consumer_secret,
            2 => &mut self.token,
            3 => &mut self.token_secret,
            4 => &mut self.signature_method,
            5 => &mut self.timestamp,
            6 => &mut self.nonce,
            7 => &mut self.version,
            8 => &mut self.realm,
            9 => &mut self.callback,
            10 => &mut self.verifier,
            11 => &mut self.private_key,
            _ => return None,
        })
    }
}

impl HawkAuth {
    /// The text fields, labelled as on disk, in a stable order.
    pub fn fields(&self) -> Vec<(&'static str, &String)> {
        vec![
            ("id", &self.id),
            ("key", &self.key),
            ("algorithm", &self.algorithm),
            ("ext", &self.ext),
            ("app", &self.app),
            ("dlg", &self.dlg),
            ("timestamp", &self.timestamp),
            ("nonce", &self.nonce),
        ]
    }

    /// The text field at `i` of [`Self::fields`].
    pub fn field_mut(&mut self, i: usize) -> Option<&mut String> {
        Some(match i {
            0 => &mut self.id,
            1 => &mut self.key,
            2 => &mut self.algorithm,
            3 => &mut self.ext,
            4 => &mut self.app,
            5 => &mut self.dlg,
            6 => &mut self.timestamp,
            7 => &mut self.nonce,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApiKeyLocation {
    #[default]
    Header,
    Query,
}

/// Auth with the unknown fields of its object, so they survive a save.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuthWithExtra {
    pub auth: Auth,
    pub extra: Extra,
}

impl Auth {
    pub const TYPES: &'static [&'static str] = &[
        "inherit", "none", "basic", "bearer", "apikey", "digest", "oauth1", "oauth2", "hawk",
        "awsv4", "jwt",
    ];

    pub fn type_name(&self) -> &'static str {
        match self {
            Auth::Inherit => "inherit",
            Auth::None => "none",
            Auth::Basic { .. } => "basic",
            Auth::Bearer { .. } => "bearer",
            Auth::ApiKey { .. } => "apikey",
            Auth::Digest { .. } => "digest",
            Auth::OAuth1(_) => "oauth1",
            Auth::Hawk(_) => "hawk",
            Auth::AwsV4(_) => "awsv4",
            Auth::OAuth2(_) => "oauth2",
            Auth::Jwt(_) => "jwt",
        }
    }

    pub fn is_inherit(&self) -> bool {
        matches!(self, Auth::Inherit)
    }
}

impl Serialize for AuthWithExtra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = serde_json::Map::new();
        m.insert("type".into(), self.auth.type_name().into());
        let mut put = |k: &str, v: &str| {
            m.insert(k.into(), Value::String(v.to_string()));
        };
        match &self.auth {
            Auth::Inherit | Auth::None => {}
            Auth::Basic { username, password } | Auth::Digest { username, password } => {
                put("username", username);
                put("password", password);
            }
            Auth::Bearer { token } => put("token", token),
            Auth::ApiKey {
                key,
                value,
                location,
            } => {
                put("key", key);
                put("value", value);
                put(
                    "in",
                    match location {
                        ApiKeyLocation::Header => "header",
                        ApiKeyLocation::Query => "query",
                    },
                );
            }
            // Empty optional fields are left out to keep files short.
            Auth::OAuth1(o) => {
                for (i, (k, v)) in o.fields().into_iter().enumerate() {
                    if i < 2 || !v.is_empty() {
                        put(k, v);
                    }
                }
                if o.location == OAuth1Location::Params {
                    put("in", "params");
                }
                if o.sign_empty {
                    m.insert("sign_empty".into(), Value::Bool(true));
                }
            }
            Auth::Hawk(h) => {
                for (i, (k, v)) in h.fields().into_iter().enumerate() {
                    if i < 2 || !v.is_empty() {
                        put(k, v);
                    }
                }
                if h.payload_hash {
                    m.insert("payload_hash".into(), Value::Bool(true));
                }
            }
            Auth::AwsV4(a) => {
                for (i, (k, v)) in a.fields().into_iter().enumerate() {
                    if i < 2 || !v.is_empty() {
                        put(k, v);
                    }
                }
                if a.unsigned_payload {
                    m.insert("unsigned_payload".into(), Value::Bool(true));
                }
                if a.in_query {
                    m.insert("in".into(), Value::String("query".into()));
                }
            }
            Auth::OAuth2(o) => o.write(&mut m),
            Auth::Jwt(j) => {
                for (k, v) in j.fields() {
                    if !v.is_empty() {
                        put(k, v);
                    }
                }
                if j.secret_base64 {
                    m.insert("secret_base64".into(), Value::Bool(true));
                }
                if j.in_query {
                    m.insert("in".into(), Value::String("query".into()));
                }
            }
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for AuthWithExtra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Extra::deserialize(d)?;
        let ty = match m.remove("type") {
            Some(Value::String(t)) => t,
            Some(_) => return Err(de::Error::custom("auth `type` must be a string")),
            None => return Err(de::Error::custom("auth needs a `type`")),
        };
        let mut take = |k: &str| -> Result<String, D::Error> {
            match m.remove(k) {
                None => Ok(String::new()),
                Some(Value::String(s)) => Ok(s),
                Some(_) => Err(de::Error::custom(format!("auth `{k}` must be a string"))),
            }
        };
        let auth = match ty.as_str() {
            "inherit" => Auth::Inherit,
            "none" => Auth::None,
            "basic" => Auth::Basic {
                username: take("username")?,
                password: take("password")?,
            },
            "digest" => Auth::Digest {
                username: take("username")?,
                password: take("password")?,
            },
            "bearer" => Auth::Bearer {
                token: take("token")?,
            },
            "apikey" => {
                let key = take("key")?;
                let value = take("value")?;
                let location = match take("in")?.as_str() {
                    "" | "header" => ApiKeyLocation::Header,
                    "query" => ApiKeyLocation::Query,
                    other => {
                        return Err(de::Error::custom(format!(
                            "auth `in` must be \"header\" or \"query\", not {other:?}"
                        )))
                    }
                };
                Auth::ApiKey {
                    key,
                    value,
                    location,
                }
            }
            "oauth1" => {
                let mut o = OAuth1Auth::default();
                for i in 0.. {
                    let Some(k) = o.fields().get(i).map(|(k, _)| *k) else {
                        break;
                    };
                    let v = take(k)?;
                    if let Some(slot) = o.field_mut(i) {
                        *slot = v;
                    }
                }
                o.location = match take("in")?.as_str() {
                    "" | "header" => OAuth1Location::Header,
                    "params" => OAuth1Location::Params,
                    other => {
                        return Err(de::Error::custom(format!(
                            "oauth1 `in` must be \"header\" or \"params\", not {other:?}"
                        )))
                    }
                };
                o.sign_empty = take_flag(&mut m, "sign_empty")?;
                Auth::OAuth1(o)
            }
            "hawk" => {
                let mut h = HawkAuth::default();
                for i in 0.. {
                    let Some(k) = h.fields().get(i).map(|(k, _)| *k) else {
                        break;
                    };
                    let v = take(k)?;
                    if let Some(slot) = h.field_mut(i) {
                        *slot = v;
                    }
                }
                h.payload_hash = take_flag(&mut m, "payload_hash")?;
                Auth::Hawk(h)
            }
            "awsv4" => {
                let mut a = AwsV4Auth::default();
                for i in 0.. {
                    let Some(k) = a.fields().get(i).map(|(k, _)| *k) else {
                        break;
                    };
                    let v = take(k)?;
                    if let Some(slot) = a.field_mut(i) {
                        *slot = v;
                    }
                }
                a.in_query = match take("in")?.as_str() {
                    "" | "header" => false,
                    "query" => true,
                    other => {
                        return Err(de::Error::custom(format!(
                            "awsv4 `in` must be \"header\" or \"query\", not {other:?}"
                        )))
                    }
                };
                a.unsigned_payload = take_flag(&mut m, "unsigned_payload")?;
                Auth::AwsV4(a)
            }
            "jwt" => {
                // A lifetime written as a number is read as its text.
                if let Some(Value::Number(n)) = m.get("lifetime") {
                    let text = n.to_string();
                    m.insert("lifetime".into(), Value::String(text));
                }
                let mut take = |k: &str| -> Result<String, D::Error> {
                    match m.remove(k) {
                        None => Ok(String::new()),
                        Some(Value::String(s)) => Ok(s),
                        Some(_) => Err(de::Error::custom(format!("auth `{k}` must be a string"))),
                    }
                };
                let mut j = JwtAuth {
                    algorithm: String::new(),
                    ..JwtAuth::default()
                };
                for i in 0.. {
                    let Some(k) = j.fields().get(i).map(|(k, _)| *k) else {
                        break;
                    };
                    let v = take(k)?;
                    if let Some(slot) = j.field_mut(i) {
                        *slot = v;
                    }
                }
                j.in_query = match take("in")?.as_str() {
                    "" | "header" => false,
                    "query" => true,
                    other => {
                        return Err(de::Error::custom(format!(
                            "jwt `in` must be \"header\" or \"query\", not {other:?}"
                        )))
                    }
                };
                j.secret_base64 = take_flag(&mut m, "secret_base64")?;
                Auth::Jwt(Box::new(j))
            }
            "oauth2" => Auth::OAuth2(Box::new(
                OAuth2Auth::read(&mut m).map_err(de::Error::custom)?,
            )),
            other => {
                return Err(de::Error::custom(format!(
                    "unknown auth type {other:?} (expected one of: {})",
                    Auth::TYPES.join(", ")
                )))
            }
        };
        Ok(AuthWithExtra { auth, extra: m })
    }
}

fn take_flag<E: de::Error>(m: &mut Extra, k: &str) -> Result<bool, E> {
    match m.remove(k) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(b),
        Some(_) => Err(E::custom(format!("auth `{k}` must be true or false"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_round_trips_with_unknown_fields() {
        for src in [
            r#"{"type":"none"}"#,
            r#"{"type":"basic","username":"u","password":"{{pw}}"}"#,
            r#"{"type":"bearer","token":"t","future":1}"#,
            r#"{"type":"apikey","key":"X-Key","value":"v","in":"query"}"#,
            r#"{"type":"digest","username":"u","password":"p"}"#,
            r#"{"type":"oauth1","consumer_key":"ck","consumer_secret":"{{cs}}","signature_method":"HMAC-SHA256","in":"params","sign_empty":true}"#,
            r#"{"type":"oauth1","consumer_key":"","consumer_secret":"","token":"t","realm":"r"}"#,
            r#"{"type":"hawk","id":"i","key":"k","algorithm":"sha1","ext":"e","payload_hash":true}"#,
            r#"{"type":"awsv4","access_key":"AK","secret_key":"{{aws_secret}}","region":"eu-west-1","service":"s3","unsigned_payload":true,"in":"query"}"#,
            r#"{"type":"awsv4","access_key":"AK","secret_key":"s","session_token":"t"}"#,
            r#"{"type":"oauth2","grant":"client_credentials","token_url":"https://id.example/token","client_id":"app","client_secret":"{{secret}}","scope":"read write"}"#,
            r#"{"type":"oauth2","grant":"authorization_code","auth_url":"a","redirect_uri":"http://127.0.0.1:8765/cb","client_id":"c","pkce":false,"client_auth":"body","in":"query","params":{"authorize":[{"key":"prompt","value":"consent"}],"token":[{"key":"x","value":"1","in":"header","enabled":false}]}}"#,
            r#"{"type":"oauth2","grant":"device_code","token_url":"t","device_url":"d","client_id":"c","x-future":[1]}"#,
            r#"{"type":"oauth1","consumer_key":"ck","consumer_secret":"","signature_method":"RSA-SHA256","private_key":"{{private_key}}"}"#,
            r#"{"type":"jwt","algorithm":"HS384","secret":"{{jwt_secret}}","payload":"{\"sub\":\"{{user}}\"}","secret_base64":true}"#,
            r#"{"type":"jwt","algorithm":"ES256","private_key":"{{private_key}}","header":"{\"kid\":\"k1\"}","lifetime":"60","query_key":"jwt","in":"query"}"#,
            r#"{"type":"jwt"}"#,
        ] {
            let a: AuthWithExtra = serde_json::from_str(src).unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), src);
        }
    }

    #[test]
    fn a_jwt_lifetime_may_be_a_number_and_in_is_checked() {
        let a: AuthWithExtra =
            serde_json::from_str(r#"{"type":"jwt","algorithm":"RS256","lifetime":600}"#).unwrap();
        let Auth::Jwt(j) = &a.auth else {
            panic!("not jwt: {:?}", a.auth)
        };
        assert_eq!((j.algorithm(), j.lifetime.as_str()), ("RS256", "600"));
        let e = serde_json::from_str::<AuthWithExtra>(r#"{"type":"jwt","in":"body"}"#).unwrap_err();
        assert!(e.to_string().contains("jwt `in`"), "{e}");
    }

    #[test]
    fn awsv4_in_must_be_header_or_query() {
        let e =
            serde_json::from_str::<AuthWithExtra>(r#"{"type":"awsv4","in":"body"}"#).unwrap_err();
        assert!(e.to_string().contains("\"header\" or \"query\""), "{e}");
    }

    #[test]
    fn oauth2_refuses_what_it_would_lose_or_misread() {
        for (src, says) in [
            (
                r#"{"type":"oauth2","grant":"magic"}"#,
                "client_credentials, password",
            ),
            (
                r#"{"type":"oauth2","client_auth":"cookie"}"#,
                "\"header\" or \"body\"",
            ),
            (
                r#"{"type":"oauth2","params":{"token":[{"key":"a","x":1}]}}"#,
                "no field \"x\"",
            ),
            (r#"{"type":"oauth2","params":{"tokens":[]}}"#, "\"tokens\""),
        ] {
            let e = serde_json::from_str::<AuthWithExtra>(src).unwrap_err();
            assert!(e.to_string().contains(says), "{src}: {e}");
        }
    }

    #[test]
    fn unknown_type_is_an_error_naming_it() {
        let e = serde_json::from_str::<AuthWithExtra>(r#"{"type":"oauth9"}"#).unwrap_err();
        assert!(e.to_string().contains("oauth9"), "{e}");
    }
}
