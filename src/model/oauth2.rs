//! OAuth 2.0's settings, as stored. Tokens are never stored here: they are
//! fetched when a request needs one and cached in the state folder.

use serde_json::{Map, Value};

/// How a token is obtained (RFC 6749 section 4, RFC 8628).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OAuth2Grant {
    #[default]
    ClientCredentials,
    /// Resource owner password credentials.
    Password,
    /// Authorization code, with PKCE unless turned off.
    AuthorizationCode,
    /// Device authorization (RFC 8628): a code to type on another device.
    DeviceCode,
    /// Kept from imports only: deprecated (RFC 9700), never run.
    Implicit,
}

impl OAuth2Grant {
    pub const ALL: [OAuth2Grant; 5] = [
        OAuth2Grant::ClientCredentials,
        OAuth2Grant::Password,
        OAuth2Grant::AuthorizationCode,
        OAuth2Grant::DeviceCode,
        OAuth2Grant::Implicit,
    ];

    /// The name on disk.
    pub fn name(self) -> &'static str {
        match self {
            OAuth2Grant::ClientCredentials => "client_credentials",
            OAuth2Grant::Password => "password",
            OAuth2Grant::AuthorizationCode => "authorization_code",
            OAuth2Grant::DeviceCode => "device_code",
            OAuth2Grant::Implicit => "implicit",
        }
    }

    pub fn from_name(name: &str) -> Option<OAuth2Grant> {
        OAuth2Grant::ALL.into_iter().find(|g| g.name() == name)
    }
}

/// Where the client's id and secret go in token requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// HTTP Basic (RFC 6749 section 2.3.1, which servers must support).
    #[default]
    Header,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// Where an extra parameter goes in its step's request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParamPlace {
    /// The form body (the query of the authorization URL, which has none).
    #[default]
    Body,
    Query,
    Header,
}

impl ParamPlace {
    fn name(self) -> &'static str {
        match self {
            ParamPlace::Body => "body",
            ParamPlace::Query => "query",
            ParamPlace::Header => "header",
        }
    }
}

/// An extra parameter for one step (Postman's `tokenRequestParams`…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Param {
    pub key: String,
    pub value: String,
    pub place: ParamPlace,
    pub enabled: bool,
}

/// The steps that take extra parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OAuth2Params {
    /// Added to the authorization URL.
    pub authorize: Vec<OAuth2Param>,
    /// Added to the token request (every grant).
    pub token: Vec<OAuth2Param>,
    /// Added to the refresh request.
    pub refresh: Vec<OAuth2Param>,
}

/// OAuth 2.0's settings. On disk: `{"type": "oauth2", "grant":
/// "client_credentials", "token_url": "…", "client_id": "…",
/// "client_secret": "{{client_secret}}", …}`; empty fields are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2Auth {
    pub grant: OAuth2Grant,
    /// A token to send as is (Postman's `accessToken`). When the server
    /// answers 401 and a token URL is set, a fresh one is fetched.
    pub access_token: String,
    pub token_url: String,
    /// The authorization endpoint (code grant).
    pub auth_url: String,
    /// The device authorization endpoint (device grant).
    pub device_url: String,
    /// Where refresh requests go; the token URL when empty.
    pub refresh_url: String,
    /// The code grant's redirect: on 127.0.0.1 or localhost postie listens
    /// on it; elsewhere the user pastes the URL the browser ended on.
    pub redirect_uri: String,
    pub client_id: String,
    pub client_secret: String,
    pub scope: String,
    pub audience: String,
    pub resource: String,
    /// Sent with the authorization request; a fresh random one when empty.
    pub state: String,
    /// The password grant's resource owner.
    pub username: String,
    pub password: String,
    /// PKCE (RFC 7636) on the code grant.
    pub pkce: bool,
    /// `S256` (when empty) or `plain`.
    pub pkce_method: String,
    /// A fixed PKCE verifier; a fresh one per authorization when empty.
    pub code_verifier: String,
    pub client_auth: ClientAuth,
    /// `Bearer` when empty.
    pub token_prefix: String,
    /// Send the token in the query (`access_token=`) instead of the
    /// `Authorization` header.
    pub in_query: bool,
    pub params: OAuth2Params,
}

impl Default for OAuth2Auth {
    fn default() -> Self {
        OAuth2Auth {
            grant: OAuth2Grant::default(),
            access_token: String::new(),
            token_url: String::new(),
            auth_url: String::new(),
            device_url: String::new(),
            refresh_url: String::new(),
            redirect_uri: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            scope: String::new(),
            audience: String::new(),
            resource: String::new(),
            state: String::new(),
            username: String::new(),
            password: String::new(),
            pkce: true,
            pkce_method: String::new(),
            code_verifier: String::new(),
            client_auth: ClientAuth::default(),
            token_prefix: String::new(),
            in_query: false,
            params: OAuth2Params::default(),
        }
    }
}

impl OAuth2Auth {
    /// Every key the kind has on disk (besides unknown ones kept as is).
    pub const KEYS: &'static [&'static str] = &[
        "type",
        "grant",
        "access_token",
        "token_url",
        "auth_url",
        "device_url",
        "refresh_url",
        "redirect_uri",
        "client_id",
        "client_secret",
        "scope",
        "audience",
        "resource",
        "state",
        "username",
        "password",
        "pkce_method",
        "code_verifier",
        "token_prefix",
        "pkce",
        "client_auth",
        "in",
        "params",
    ];

    /// The text fields, labelled as on disk, in a stable order.
    pub fn fields(&self) -> Vec<(&'static str, &String)> {
        vec![
            ("access_token", &self.access_token),
            ("token_url", &self.token_url),
            ("auth_url", &self.auth_url),
            ("device_url", &self.device_url),
            ("refresh_url", &self.refresh_url),
            ("redirect_uri", &self.redirect_uri),
            ("client_id", &self.client_id),
            ("client_secret", &self.client_secret),
            ("scope", &self.scope),
            ("audience", &self.audience),
            ("resource", &self.resource),
            ("state", &self.state),
            ("username", &self.username),
            ("password", &self.password),
            ("pkce_method", &self.pkce_method),
            ("code_verifier", &self.code_verifier),
            ("token_prefix", &self.token_prefix),
        ]
    }

    /// The text field at `i` of [`Self::fields`].
    pub fn field_mut(&mut self, i: usize) -> Option<&mut String> {
        Some(match i {
            0 => &mut self.access_token,
            1 => &mut self.token_url,
            2 => &mut self.auth_url,
            3 => &mut self.device_url,
            4 => &mut self.refresh_url,
            5 => &mut self.redirect_uri,
            6 => &mut self.client_id,
            7 => &mut self.client_secret,
            8 => &mut self.scope,
            9 => &mut self.audience,
            10 => &mut self.resource,
            11 => &mut self.state,
            12 => &mut self.username,
            13 => &mut self.password,
            14 => &mut self.pkce_method,
            15 => &mut self.code_verifier,
            16 => &mut self.token_prefix,
            _ => return None,
        })
    }

    /// Whether the text field named `name` matters for this grant (the
    /// editor shows only those).
    pub fn field_applies(&self, name: &str) -> bool {
        use OAuth2Grant::*;
        match name {
            "auth_url" | "redirect_uri" | "state" => {
                matches!(self.grant, AuthorizationCode | Implicit)
            }
            "pkce_method" | "code_verifier" => self.grant == AuthorizationCode && self.pkce,
            "device_url" => self.grant == DeviceCode,
            "username" | "password" => self.grant == Password,
            "refresh_url" => self.grant != Implicit,
            _ => true,
        }
    }

    /// Puts the settings into `m`, as on disk.
    pub(super) fn write(&self, m: &mut Map<String, Value>) {
        m.insert("grant".into(), self.grant.name().into());
        for (k, v) in self.fields() {
            if !v.is_empty() {
                m.insert(k.into(), v.as_str().into());
            }
        }
        if !self.pkce {
            m.insert("pkce".into(), false.into());
        }
        if self.client_auth == ClientAuth::Body {
            m.insert("client_auth".into(), "body".into());
        }
        if self.in_query {
            m.insert("in".into(), "query".into());
        }
        let mut params = Map::new();
        for (step, list) in [
            ("authorize", &self.params.authorize),
            ("token", &self.params.token),
            ("refresh", &self.params.refresh),
        ] {
            if !list.is_empty() {
                params.insert(step.into(), list.iter().map(param_json).collect());
            }
        }
        if !params.is_empty() {
            m.insert("params".into(), Value::Object(params));
        }
    }

    /// Takes the settings out of `m`, leaving unknown fields there.
    pub(super) fn read(m: &mut Map<String, Value>) -> Result<OAuth2Auth, String> {
        let mut o = OAuth2Auth::default();
        let grant = take_str(m, "grant")?;
        o.grant = match grant.as_str() {
            "" => OAuth2Grant::default(),
            g => OAuth2Grant::from_name(g).ok_or_else(|| {
                let names: Vec<_> = OAuth2Grant::ALL.iter().map(|g| g.name()).collect();
                format!(
                    "oauth2 `grant` must be one of {}, not {g:?}",
                    names.join(", ")
                )
            })?,
        };
        for i in 0.. {
            let Some(k) = o.fields().get(i).map(|(k, _)| *k) else {
                break;
            };
            let v = take_str(m, k)?;
            if let Some(slot) = o.field_mut(i) {
                *slot = v;
            }
        }
        o.pkce = match m.remove("pkce") {
            None => true,
            Some(Value::Bool(b)) => b,
            Some(_) => return Err("oauth2 `pkce` must be true or false".into()),
        };
        o.client_auth = match take_str(m, "client_auth")?.as_str() {
            "" | "header" => ClientAuth::Header,
            "body" => ClientAuth::Body,
            other => {
                return Err(format!(
                    "oauth2 `client_auth` must be \"header\" or \"body\", not {other:?}"
                ))
            }
        };
        o.in_query = match take_str(m, "in")?.as_str() {
            "" | "header" => false,
            "query" => true,
            other => {
                return Err(format!(
                    "oauth2 `in` must be \"header\" or \"query\", not {other:?}"
                ))
            }
        };
        match m.remove("params") {
            None => {}
            Some(Value::Object(mut p)) => {
                o.params.authorize = read_params(p.remove("authorize"), "authorize")?;
                o.params.token = read_params(p.remove("token"), "token")?;
                o.params.refresh = read_params(p.remove("refresh"), "refresh")?;
                if let Some(k) = p.keys().next() {
                    return Err(format!(
                        "oauth2 `params` has steps authorize, token and refresh, not {k:?}"
                    ));
                }
            }
            Some(_) => return Err("oauth2 `params` must be an object".into()),
        }
        Ok(o)
    }
}

fn take_str(m: &mut Map<String, Value>, k: &str) -> Result<String, String> {
    match m.remove(k) {
        None => Ok(String::new()),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("auth `{k}` must be a string")),
    }
}

fn param_json(p: &OAuth2Param) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), p.key.as_str().into());
    m.insert("value".into(), p.value.as_str().into());
    if p.place != ParamPlace::Body {
        m.insert("in".into(), p.place.name().into());
    }
    if !p.enabled {
        m.insert("enabled".into(), false.into());
    }
    Value::Object(m)
}

fn read_params(v: Option<Value>, step: &str) -> Result<Vec<OAuth2Param>, String> {
    let list = match v {
        None => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(format!("oauth2 `params.{step}` must be an array")),
    };
    let mut out = Vec::new();
    for item in list {
        let Value::Object(mut m) = item else {
            return Err(format!(
                "oauth2 `params.{step}` holds objects like {{\"key\": \"…\", \"value\": \"…\"}}"
            ));
        };
        let key = take_str(&mut m, "key")?;
        let value = take_str(&mut m, "value")?;
        let place = match take_str(&mut m, "in")?.as_str() {
            "" | "body" => ParamPlace::Body,
            "query" => ParamPlace::Query,
            "header" => ParamPlace::Header,
            other => {
                return Err(format!(
                    "oauth2 `params.{step}[].in` must be \"body\", \"query\" or \"header\", not {other:?}"
                ))
            }
        };
        let enabled = match m.remove("enabled") {
            None => true,
            Some(Value::Bool(b)) => b,
            Some(_) => return Err(format!("oauth2 `params.{step}[].enabled` must be a bool")),
        };
        // Refused rather than dropped: a save would lose it.
        if let Some(k) = m.keys().next() {
            return Err(format!("oauth2 `params.{step}[]` has no field {k:?}"));
        }
        out.push(OAuth2Param {
            key,
            value,
            place,
            enabled,
        });
    }
    Ok(out)
}
