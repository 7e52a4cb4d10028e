//! The editable pieces of a request, named so a text box knows where its
//! text goes: multi-line texts, auth fields and settings.

use crate::model::{
    ApiKeyLocation, Auth, Body, ClientAuth, HawkAuth, HttpVersion, JwtAuth, OAuth1Auth, OAuth2Auth,
    OAuth2Grant, Request, Settings,
};
use crate::tui::effect::EditTarget;

use super::table::TableId;

/// The multi-line texts of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextId {
    Body,
    GqlQuery,
    GqlVars,
    PreRequest,
    Test,
    Description,
}

impl TextId {
    pub const COUNT: usize = 6;

    pub fn index(self) -> usize {
        self as usize
    }

    /// The text, when the request currently has this field.
    pub fn get(self, r: &Request) -> Option<&str> {
        match (self, &r.body.body) {
            (TextId::Body, Body::Raw { text, .. }) => Some(text),
            (TextId::GqlQuery, Body::GraphQl { query, .. }) => Some(query),
            (TextId::GqlVars, Body::GraphQl { variables, .. }) => Some(variables),
            (TextId::Body | TextId::GqlQuery | TextId::GqlVars, _) => None,
            (TextId::PreRequest, _) => Some(r.pre_request.as_deref().unwrap_or("")),
            (TextId::Test, _) => Some(r.test.as_deref().unwrap_or("")),
            (TextId::Description, _) => Some(r.description.as_deref().unwrap_or("")),
        }
    }

    /// Stores `text`; false when the request has no such field now (the
    /// body changed type), so the caller can keep the text elsewhere.
    /// Unchanged text is not written, so moving a cursor never dirties.
    pub fn set(self, r: &mut Request, text: String) -> bool {
        if self.get(r) == Some(text.as_str()) {
            return true;
        }
        let optional = |slot: &mut Option<String>, text: String| {
            *slot = if text.is_empty() { None } else { Some(text) };
        };
        match (self, &mut r.body.body) {
            (TextId::Body, Body::Raw { text: t, .. }) => *t = text,
            (TextId::GqlQuery, Body::GraphQl { query, .. }) => *query = text,
            (TextId::GqlVars, Body::GraphQl { variables, .. }) => *variables = text,
            (TextId::Body | TextId::GqlQuery | TextId::GqlVars, _) => return false,
            (TextId::PreRequest, _) => optional(&mut r.pre_request, text),
            (TextId::Test, _) => optional(&mut r.test, text),
            (TextId::Description, _) => optional(&mut r.description, text),
        }
        true
    }

    pub fn target(self) -> EditTarget {
        match self {
            TextId::Body | TextId::GqlQuery => EditTarget::Body,
            TextId::GqlVars => EditTarget::GraphQlVariables,
            TextId::PreRequest => EditTarget::PreRequest,
            TextId::Test => EditTarget::Test,
            TextId::Description => EditTarget::Description,
        }
    }

    /// The text an external edit of `target` replaces, given the body type.
    pub fn from_target(target: &EditTarget, body: &Body) -> TextId {
        match target {
            EditTarget::Body if matches!(body, Body::GraphQl { .. }) => TextId::GqlQuery,
            EditTarget::Body => TextId::Body,
            EditTarget::GraphQlVariables => TextId::GqlVars,
            EditTarget::PreRequest => TextId::PreRequest,
            EditTarget::Test => TextId::Test,
            EditTarget::Description => TextId::Description,
        }
    }

    /// File extension for `$EDITOR`, so it picks the right mode.
    pub fn extension(self, body: &Body) -> String {
        match (self, body) {
            (TextId::Body, Body::Raw { kind, .. }) => kind.extension().into(),
            (TextId::Body | TextId::GqlQuery, _) => "graphql".into(),
            (TextId::GqlVars, _) => "json".into(),
            (TextId::PreRequest | TextId::Test, _) => "js".into(),
            (TextId::Description, _) => "md".into(),
        }
    }
}

/// What a text box is editing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Method,
    Url,
    Cell {
        table: TableId,
        row: usize,
        col: usize,
    },
    /// Index into [`auth_fields`].
    Auth(usize),
    /// Index into [`SETTINGS`].
    Setting(usize),
    BinaryFile,
    Text(TextId),
}

impl Field {
    pub fn multiline(self) -> bool {
        matches!(self, Field::Text(_))
    }
}

/// Labels and values of the auth type's own fields (not the type).
pub fn auth_fields(auth: &Auth) -> Vec<(&'static str, String)> {
    match auth {
        Auth::Inherit | Auth::None => Vec::new(),
        Auth::Basic { username, password } | Auth::Digest { username, password } => vec![
            ("username", username.clone()),
            ("password", password.clone()),
        ],
        Auth::Bearer { token } => vec![("token", token.clone())],
        Auth::ApiKey {
            key,
            value,
            location,
        } => vec![
            ("key", key.clone()),
            ("value", value.clone()),
            ("in", location_name(*location).into()),
        ],
        Auth::OAuth1(o) => (o.fields().into_iter())
            .map(|(k, v)| (k, v.clone()))
            .collect(),
        Auth::Hawk(h) => (h.fields().into_iter())
            .map(|(k, v)| (k, v.clone()))
            .collect(),
        Auth::AwsV4(a) => {
            let mut fields: Vec<(&'static str, String)> = (a.fields().into_iter())
                .map(|(k, v)| (k, v.clone()))
                .collect();
            let location = if a.in_query { "query" } else { "header" };
            fields.push(("in", location.into()));
            fields
        }
        Auth::OAuth2(o) => {
            let texts = o.fields();
            (oauth2_rows(o).into_iter())
                .map(|row| match row {
                    OAuth2Row::Grant => ("grant", o.grant.name().to_string()),
                    OAuth2Row::Pkce => ("pkce", if o.pkce { "on" } else { "off" }.into()),
                    OAuth2Row::ClientAuth => {
                        let place = match o.client_auth {
                            ClientAuth::Header => "basic auth header",
                            ClientAuth::Body => "request body",
                        };
                        ("client auth", place.into())
                    }
                    OAuth2Row::Placement => (
                        "token in",
                        if o.in_query { "query" } else { "header" }.into(),
                    ),
                    OAuth2Row::Text(i) => (texts[i].0, texts[i].1.clone()),
                })
                .collect()
        }
        Auth::Jwt(j) => {
            let texts = j.fields();
            (jwt_rows(j).into_iter())
                .map(|row| match row {
                    JwtRow::Algorithm => ("algorithm", j.algorithm().to_string()),
                    JwtRow::SecretBase64 => (
                        "secret in base64",
                        if j.secret_base64 { "yes" } else { "no" }.into(),
                    ),
                    JwtRow::Placement => (
                        "token in",
                        if j.in_query { "query" } else { "header" }.into(),
                    ),
                    JwtRow::Text(i) => (texts[i].0, texts[i].1.clone()),
                })
                .collect()
        }
    }
}

/// One row of the JWT form: a choice, or a text field (an index into
/// [`JwtAuth::fields`]). The key the algorithm does not use is hidden, and
/// so is the placement's other setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JwtRow {
    Algorithm,
    SecretBase64,
    Placement,
    Text(usize),
}

fn jwt_rows(j: &JwtAuth) -> Vec<JwtRow> {
    let mut rows = vec![JwtRow::Algorithm];
    if j.uses_secret() {
        rows.extend([JwtRow::Text(1), JwtRow::SecretBase64]);
    } else {
        rows.push(JwtRow::Text(2));
    }
    // payload, header, lifetime
    rows.extend([JwtRow::Text(3), JwtRow::Text(4), JwtRow::Text(5)]);
    rows.push(JwtRow::Placement);
    // token_prefix or query_key
    rows.push(JwtRow::Text(if j.in_query { 7 } else { 6 }));
    rows
}

/// The algorithm after `current`, wrapping; an unknown one starts over.
fn cycled_algorithm(current: &str) -> String {
    let all = JwtAuth::ALGORITHMS;
    let at = all.iter().position(|a| a.eq_ignore_ascii_case(current));
    all[at.map_or(0, |i| (i + 1) % all.len())].to_string()
}

/// One row of the OAuth 2.0 form: a choice, or a text field (an index
/// into [`OAuth2Auth::fields`]). Fields the grant does not use are hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OAuth2Row {
    Grant,
    Pkce,
    Text(usize),
    ClientAuth,
    Placement,
}

fn oauth2_rows(o: &OAuth2Auth) -> Vec<OAuth2Row> {
    let mut rows = vec![OAuth2Row::Grant];
    if o.grant == OAuth2Grant::AuthorizationCode {
        rows.push(OAuth2Row::Pkce);
    }
    for (i, (name, _)) in o.fields().iter().enumerate() {
        if o.field_applies(name) {
            rows.push(OAuth2Row::Text(i));
        }
    }
    rows.extend([OAuth2Row::ClientAuth, OAuth2Row::Placement]);
    rows
}

pub fn location_name(l: ApiKeyLocation) -> &'static str {
    match l {
        ApiKeyLocation::Header => "header",
        ApiKeyLocation::Query => "query",
    }
}

/// Whether auth field `i` is a choice (cycled) rather than text.
pub fn auth_field_is_choice(auth: &Auth, i: usize) -> bool {
    match auth {
        Auth::ApiKey { .. } => i == 2,
        Auth::AwsV4(a) => i == a.fields().len(),
        Auth::OAuth2(o) => !matches!(oauth2_rows(o).get(i), Some(OAuth2Row::Text(_)) | None),
        Auth::Jwt(j) => !matches!(jwt_rows(j).get(i), Some(JwtRow::Text(_)) | None),
        _ => false,
    }
}

pub fn set_auth_field(auth: &mut Auth, i: usize, text: String) {
    let slot = match (auth, i) {
        (Auth::Basic { username, .. } | Auth::Digest { username, .. }, 0) => username,
        (Auth::Basic { password, .. } | Auth::Digest { password, .. }, 1) => password,
        (Auth::Bearer { token }, 0) => token,
        (Auth::ApiKey { key, .. }, 0) => key,
        (Auth::ApiKey { value, .. }, 1) => value,
        (Auth::OAuth1(o), i) => match o.field_mut(i) {
            Some(slot) => slot,
            None => return,
        },
        (Auth::Hawk(h), i) => match h.field_mut(i) {
            Some(slot) => slot,
            None => return,
        },
        (Auth::AwsV4(a), i) => match a.field_mut(i) {
            Some(slot) => slot,
            None => return,
        },
        (Auth::OAuth2(o), i) => match oauth2_rows(o).get(i) {
            Some(&OAuth2Row::Text(t)) => match o.field_mut(t) {
                Some(slot) => slot,
                None => return,
            },
            _ => return,
        },
        (Auth::Jwt(j), i) => match jwt_rows(j).get(i) {
            Some(&JwtRow::Text(t)) => match j.field_mut(t) {
                Some(slot) => slot,
                None => return,
            },
            _ => return,
        },
        _ => return,
    };
    if *slot != text {
        *slot = text;
    }
}

pub fn cycle_auth_choice(auth: &mut Auth, i: usize) {
    match auth {
        Auth::ApiKey { location, .. } if i == 2 => {
            *location = match location {
                ApiKeyLocation::Header => ApiKeyLocation::Query,
                ApiKeyLocation::Query => ApiKeyLocation::Header,
            };
        }
        Auth::AwsV4(a) if i == a.fields().len() => a.in_query = !a.in_query,
        Auth::OAuth2(o) => match oauth2_rows(o).get(i) {
            Some(OAuth2Row::Grant) => o.grant = cycled_grant(o.grant),
            Some(OAuth2Row::Pkce) => o.pkce = !o.pkce,
            Some(OAuth2Row::ClientAuth) => {
                o.client_auth = match o.client_auth {
                    ClientAuth::Header => ClientAuth::Body,
                    ClientAuth::Body => ClientAuth::Header,
                }
            }
            Some(OAuth2Row::Placement) => o.in_query = !o.in_query,
            Some(OAuth2Row::Text(_)) | None => {}
        },
        Auth::Jwt(j) => match jwt_rows(j).get(i) {
            Some(JwtRow::Algorithm) => j.algorithm = cycled_algorithm(j.algorithm()),
            Some(JwtRow::SecretBase64) => j.secret_base64 = !j.secret_base64,
            Some(JwtRow::Placement) => j.in_query = !j.in_query,
            Some(JwtRow::Text(_)) | None => {}
        },
        _ => {}
    }
}

/// The next grant a user can choose: implicit is only ever imported.
fn cycled_grant(grant: OAuth2Grant) -> OAuth2Grant {
    let runnable = &OAuth2Grant::ALL[..OAuth2Grant::ALL.len() - 1];
    let at = runnable.iter().position(|g| *g == grant);
    runnable[at.map_or(0, |i| (i + 1) % runnable.len())]
}

/// Values an auth type switch would otherwise throw away, so cycling
/// through the types and back loses nothing.
#[derive(Debug, Clone, Default)]
pub struct AuthStash {
    username: String,
    password: String,
    token: String,
    key: String,
    value: String,
    location: ApiKeyLocation,
    oauth1: OAuth1Auth,
    hawk: HawkAuth,
    awsv4: crate::model::AwsV4Auth,
    oauth2: OAuth2Auth,
    jwt: JwtAuth,
}

impl AuthStash {
    /// Switches `auth` to the next (or previous) type.
    pub fn cycle(&mut self, auth: &mut Auth, forward: bool) {
        let next = cycled(Auth::TYPES, auth.type_name(), forward);
        match std::mem::take(auth) {
            Auth::Basic { username, password } | Auth::Digest { username, password } => {
                self.username = username;
                self.password = password;
            }
            Auth::Bearer { token } => self.token = token,
            Auth::ApiKey {
                key,
                value,
                location,
            } => {
                self.key = key;
                self.value = value;
                self.location = location;
            }
            Auth::OAuth1(o) => self.oauth1 = o,
            Auth::Hawk(h) => self.hawk = h,
            Auth::AwsV4(a) => self.awsv4 = a,
            Auth::OAuth2(o) => self.oauth2 = *o,
            Auth::Jwt(j) => self.jwt = *j,
            Auth::Inherit | Auth::None => {}
        }
        *auth = match next {
            "none" => Auth::None,
            "basic" => Auth::Basic {
                username: self.username.clone(),
                password: self.password.clone(),
            },
            "digest" => Auth::Digest {
                username: self.username.clone(),
                password: self.password.clone(),
            },
            "bearer" => Auth::Bearer {
                token: self.token.clone(),
            },
            "apikey" => Auth::ApiKey {
                key: self.key.clone(),
                value: self.value.clone(),
                location: self.location,
            },
            "oauth1" => Auth::OAuth1(self.oauth1.clone()),
            "hawk" => Auth::Hawk(self.hawk.clone()),
            "awsv4" => Auth::AwsV4(self.awsv4.clone()),
            "oauth2" => Auth::OAuth2(Box::new(self.oauth2.clone())),
            "jwt" => Auth::Jwt(Box::new(self.jwt.clone())),
            _ => Auth::Inherit,
        };
    }
}

/// Values a body type switch would otherwise throw away.
#[derive(Debug, Clone, Default)]
pub struct BodyStash {
    text: String,
    query: String,
    variables: String,
    form: Vec<crate::model::KeyValue>,
    parts: Vec<crate::model::Part>,
    file: String,
}

impl BodyStash {
    /// Switches `body` to the next (or previous) type. Raw kinds share
    /// their text; everything else waits here until its type comes back.
    pub fn cycle(&mut self, body: &mut Body, forward: bool) {
        let next = cycled(Body::TYPES, body.type_name(), forward);
        self.put(std::mem::take(body));
        *body = match next {
            "form" => Body::Form(std::mem::take(&mut self.form)),
            "multipart" => Body::Multipart(std::mem::take(&mut self.parts)),
            "binary" => Body::Binary {
                file: std::mem::take(&mut self.file),
            },
            "graphql" => Body::GraphQl {
                query: std::mem::take(&mut self.query),
                variables: std::mem::take(&mut self.variables),
            },
            raw => match crate::model::RawKind::from_type_name(raw) {
                Some(kind) => Body::Raw {
                    kind,
                    text: std::mem::take(&mut self.text),
                },
                None => Body::None,
            },
        };
    }

    /// Keeps the contents of `body`.
    pub fn put(&mut self, body: Body) {
        match body {
            Body::Raw { text, .. } => self.text = text,
            Body::GraphQl { query, variables } => {
                self.query = query;
                self.variables = variables;
            }
            Body::Form(f) => self.form = f,
            Body::Multipart(p) => self.parts = p,
            Body::Binary { file } => self.file = file,
            Body::None => {}
        }
    }

    /// An external edit for a text the body no longer has.
    pub fn put_text(&mut self, id: TextId, text: String) {
        match id {
            TextId::GqlQuery => self.query = text,
            TextId::GqlVars => self.variables = text,
            _ => self.text = text,
        }
    }
}

/// The settings rows, in order.
pub const SETTINGS: [&str; 7] = [
    "timeout (ms)",
    "follow redirects",
    "max redirects",
    "verify TLS",
    "HTTP version",
    "max body (bytes)",
    "script time limit (ms)",
];

/// Whether setting `i` is a choice (cycled) rather than a number.
pub fn setting_is_choice(i: usize) -> bool {
    matches!(i, 1 | 3 | 4)
}

/// The setting as text; empty when inherited.
pub fn setting_text(s: &Settings, i: usize) -> String {
    let b = |v: Option<bool>| v.map(|b| if b { "yes" } else { "no" }.to_string());
    match i {
        0 => s.timeout_ms.map(|v| v.to_string()),
        1 => b(s.follow_redirects),
        2 => s.max_redirects.map(|v| v.to_string()),
        3 => b(s.verify_tls),
        4 => s.http_version.map(|v| {
            match v {
                HttpVersion::Auto => "auto",
                HttpVersion::Http1 => "1.1",
                HttpVersion::Http2 => "2",
            }
            .to_string()
        }),
        5 => s.max_body_bytes.map(|v| v.to_string()),
        _ => s.script_timeout_ms.map(|v| v.to_string()),
    }
    .unwrap_or_default()
}

/// Sets a number setting from text; empty means inherited.
pub fn set_setting(s: &mut Settings, i: usize, text: &str) -> Result<(), String> {
    let text = text.trim();
    let parse_u64 = |t: &str| -> Result<Option<u64>, String> {
        if t.is_empty() {
            return Ok(None);
        }
        t.replace('_', "")
            .parse()
            .map(Some)
            .map_err(|_| format!("{}: {t:?} is not a whole number", SETTINGS[i]))
    };
    match i {
        0 => s.timeout_ms = parse_u64(text)?,
        2 => {
            s.max_redirects = match parse_u64(text)? {
                None => None,
                Some(v) => {
                    Some(u32::try_from(v).map_err(|_| format!("{}: too large", SETTINGS[i]))?)
                }
            }
        }
        5 => s.max_body_bytes = parse_u64(text)?,
        6 => s.script_timeout_ms = parse_u64(text)?,
        _ => {}
    }
    Ok(())
}

/// Cycles a choice setting: inherited → first value → ... → inherited.
pub fn cycle_setting(s: &mut Settings, i: usize, forward: bool) {
    fn step<T: Copy + PartialEq>(cur: Option<T>, values: &[T], forward: bool) -> Option<T> {
        let mut all: Vec<Option<T>> = vec![None];
        all.extend(values.iter().map(|v| Some(*v)));
        let i = all.iter().position(|v| *v == cur).unwrap_or(0);
        let n = all.len();
        all[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
    match i {
        1 => s.follow_redirects = step(s.follow_redirects, &[true, false], forward),
        3 => s.verify_tls = step(s.verify_tls, &[true, false], forward),
        4 => {
            s.http_version = step(
                s.http_version,
                &[HttpVersion::Auto, HttpVersion::Http1, HttpVersion::Http2],
                forward,
            )
        }
        _ => {}
    }
}

/// Clears a setting back to inherited.
pub fn clear_setting(s: &mut Settings, i: usize) {
    match i {
        0 => s.timeout_ms = None,
        1 => s.follow_redirects = None,
        2 => s.max_redirects = None,
        3 => s.verify_tls = None,
        4 => s.http_version = None,
        5 => s.max_body_bytes = None,
        _ => s.script_timeout_ms = None,
    }
}

/// The type after (or before) `current` in `types`, wrapping around.
fn cycled(types: &'static [&'static str], current: &str, forward: bool) -> &'static str {
    let n = types.len();
    let i = types.iter().position(|t| *t == current).unwrap_or(0);
    types[if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    }]
}
