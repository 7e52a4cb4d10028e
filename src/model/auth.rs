use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

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
    pub const TYPES: &'static [&'static str] =
        &["inherit", "none", "basic", "bearer", "apikey", "digest"];

    pub fn type_name(&self) -> &'static str {
        match self {
            Auth::Inherit => "inherit",
            Auth::None => "none",
            Auth::Basic { .. } => "basic",
            Auth::Bearer { .. } => "bearer",
            Auth::ApiKey { .. } => "apikey",
            Auth::Digest { .. } => "digest",
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
        ] {
            let a: AuthWithExtra = serde_json::from_str(src).unwrap();
            assert_eq!(serde_json::to_string(&a).unwrap(), src);
        }
    }

    #[test]
    fn unknown_type_is_an_error_naming_it() {
        let e = serde_json::from_str::<AuthWithExtra>(r#"{"type":"oauth9"}"#).unwrap_err();
        assert!(e.to_string().contains("oauth9"), "{e}");
    }
}
