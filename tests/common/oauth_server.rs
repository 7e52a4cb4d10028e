//! A tiny OAuth 2.0 authorization server on 127.0.0.1 for the auth tests:
//! RFC 6749 (client credentials, password, authorization code, refresh),
//! RFC 7636 (PKCE, S256 and plain) and RFC 8628 (device authorization), plus
//! a protected resource (`/api`) that takes the bearer tokens it issued.
//!
//! Everything is in memory and deterministic: tokens are counters (`at-1`,
//! `rt-2`, `code-3`, `dc-4`), and every request is recorded so a test can
//! check what the client sent (which client authentication it used, the
//! extra form parameters, the headers).
//!
//! Endpoints:
//! - `POST /token`: the token endpoint (all five grant types).
//! - `GET /authorize`: the user approves (or, configured so, denies) at once:
//!   `302` to the redirect URI with `code` and `state`.
//! - `POST /device`: the device authorization endpoint.
//! - `GET /verify?user_code=..`: the verification page; with a user code it
//!   approves that device grant (what a user would do in a browser).
//! - `/api` (any method): the protected resource.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The device grant type (RFC 8628 3.4).
pub const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// How the server behaves. `ServerConfig::default()` is one confidential
/// client (`postie-client` / `postie-secret`), one user (`alice` /
/// `wonderland`), hour-long tokens, refresh tokens on, device interval 0.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    pub client_id: String,
    pub client_secret: String,
    /// Also accept the client by its `client_id` alone in the body (a public
    /// client, RFC 6749 2.1), for every grant but client credentials.
    pub public_client: bool,
    /// Resource owners for the password grant.
    pub users: Vec<(String, String)>,
    /// `expires_in` of access tokens, in seconds (0 and 1 are fine).
    pub expires_in: u64,
    /// Issue refresh tokens (password, authorization code, refresh, device).
    pub refresh_tokens: bool,
    /// Also issue a refresh token for client credentials (RFC 6749 4.4.3
    /// says it should not, so off by default).
    pub refresh_for_client_credentials: bool,
    /// The scope granted whatever is asked; `None` grants the scope asked for
    /// (the empty string when none was).
    pub scope: Option<String>,
    /// Redirect URIs `/authorize` accepts; empty accepts any.
    pub redirect_uris: Vec<String>,
    /// `/authorize` redirects with `error=access_denied`.
    pub deny_authorization: bool,
    /// Device flow `interval`, in seconds (0 or 1 keep tests fast). Not
    /// enforced: each poll is recorded with its time (`Recorded::at`) so a
    /// test can check the client's spacing.
    pub interval: u64,
    /// The second poll of a device code that is still pending answers
    /// `slow_down` instead of `authorization_pending` (once per device code).
    pub slow_down_once: bool,
    /// A device grant is approved by itself at its Nth poll (that poll gets
    /// the tokens).
    pub device_auto_approve_after: Option<u32>,
    /// Device code lifetime in seconds (`expire_device` ends it at once).
    pub device_expires_in: u64,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            client_id: "postie-client".into(),
            client_secret: "postie-secret".into(),
            public_client: false,
            users: vec![("alice".into(), "wonderland".into())],
            expires_in: 3600,
            refresh_tokens: true,
            refresh_for_client_credentials: false,
            scope: None,
            redirect_uris: Vec::new(),
            deny_authorization: false,
            interval: 0,
            slow_down_once: false,
            device_auto_approve_after: None,
            device_expires_in: 600,
        }
    }
}

/// How a request authenticated the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// No client credentials at all.
    None,
    /// `Authorization: Basic` (RFC 6749 2.3.1).
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
    /// `client_id` in the body, no secret (a public client).
    ClientIdOnly,
    /// Basic and a `client_secret` in the body: more than one method, which
    /// RFC 6749 2.3 forbids (answered `invalid_request`).
    Both,
}

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub at: Instant,
    pub method: String,
    /// Without the query.
    pub path: String,
    /// The query, decoded.
    pub query: Vec<(String, String)>,
    /// Names lower-cased, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body decoded, when it is `application/x-www-form-urlencoded`.
    pub form: Vec<(String, String)>,
    /// Form and query parameters that are not OAuth's own (audience,
    /// resource, custom ones).
    pub extra_params: Vec<(String, String)>,
    pub client_auth: ClientAuth,
    /// Base64-decoded `Authorization: Basic` credentials as sent, before
    /// the form-urldecoding of id and secret (to check a client's encoding).
    pub basic_raw: Option<String>,
    /// `grant_type` of a `/token` request.
    pub grant_type: Option<String>,
    /// The status the server answered.
    pub status: u16,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        (self.headers.iter())
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// A form parameter, or else a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        (self.form.iter().chain(&self.query))
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The parameters the server understands; anything else is recorded as an
/// extra parameter.
const KNOWN: &[&str] = &[
    "grant_type",
    "client_id",
    "client_secret",
    "scope",
    "username",
    "password",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "device_code",
    "response_type",
    "state",
    "code_challenge",
    "code_challenge_method",
    "access_token",
    "user_code",
];

/// The running server. Stops accepting connections when dropped.
pub struct AuthServer {
    port: u16,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
}

impl AuthServer {
    pub fn start(config: ServerConfig) -> AuthServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(Mutex::new(State::new(
            config,
            format!("http://127.0.0.1:{port}"),
        )));
        let stop = Arc::new(AtomicBool::new(false));
        let (shared, stopping) = (state.clone(), stop.clone());
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { return };
                let shared = shared.clone();
                std::thread::spawn(move || serve(conn, &shared));
            }
        });
        AuthServer { port, state, stop }
    }

    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn token_url(&self) -> String {
        format!("{}/token", self.url())
    }

    pub fn authorize_url(&self) -> String {
        format!("{}/authorize", self.url())
    }

    pub fn device_url(&self) -> String {
        format!("{}/device", self.url())
    }

    pub fn api_url(&self) -> String {
        format!("{}/api", self.url())
    }

    /// The device flow's `verification_uri`.
    pub fn verification_url(&self) -> String {
        format!("{}/verify", self.url())
    }

    /// The user approves the device grant with this user code. False when
    /// there is no such pending grant.
    pub fn approve_device(&self, user_code: &str) -> bool {
        self.set_device(user_code, DeviceState::Approved)
    }

    /// The user denies it: the next poll gets `access_denied`.
    pub fn deny_device(&self, user_code: &str) -> bool {
        self.set_device(user_code, DeviceState::Denied)
    }

    /// The device code expires now: the next poll gets `expired_token`.
    pub fn expire_device(&self, user_code: &str) -> bool {
        self.set_device(user_code, DeviceState::Expired)
    }

    fn set_device(&self, user_code: &str, to: DeviceState) -> bool {
        self.state.lock().unwrap().set_device(user_code, to)
    }

    /// The user codes handed out so far, oldest first.
    pub fn user_codes(&self) -> Vec<String> {
        let st = self.state.lock().unwrap();
        st.devices.iter().map(|d| d.user_code.clone()).collect()
    }

    /// Every access token issued so far become invalid at `/api` (tokens
    /// issued afterwards are valid).
    pub fn revoke_all_access_tokens(&self) {
        for t in self.state.lock().unwrap().access.values_mut() {
            t.revoked = true;
        }
    }

    /// Every refresh token issued so far become invalid.
    pub fn revoke_all_refresh_tokens(&self) {
        self.state.lock().unwrap().refresh.clear();
    }

    /// Access tokens issued, oldest first.
    pub fn issued_access_tokens(&self) -> Vec<String> {
        self.state.lock().unwrap().issued.clone()
    }

    /// Whether `/api` would take this token now.
    pub fn is_valid_access_token(&self, token: &str) -> bool {
        self.state.lock().unwrap().valid(token)
    }

    /// Every request received, oldest first.
    pub fn requests(&self) -> Vec<Recorded> {
        self.state.lock().unwrap().requests.clone()
    }

    /// The requests to one path (`/token`, `/api`, ...).
    pub fn requests_to(&self, path: &str) -> Vec<Recorded> {
        (self.requests().into_iter())
            .filter(|r| r.path == path)
            .collect()
    }

    /// `/token` requests per `grant_type`, whatever their outcome.
    pub fn grant_counts(&self) -> HashMap<String, usize> {
        self.state.lock().unwrap().grant_counts.clone()
    }

    pub fn grant_count(&self, grant_type: &str) -> usize {
        let st = self.state.lock().unwrap();
        st.grant_counts.get(grant_type).copied().unwrap_or(0)
    }
}

impl Drop for AuthServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

// ---------------------------------------------------------------------------
// State and the OAuth logic.

struct AccessToken {
    expires: Instant,
    revoked: bool,
}

struct RefreshToken {
    client_id: String,
    scope: String,
}

struct AuthCode {
    client_id: String,
    redirect_uri: Option<String>,
    challenge: Option<(String, String)>,
    scope: String,
    used: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum DeviceState {
    Pending,
    Approved,
    Denied,
    Expired,
    /// Tokens were handed out: the device code is spent.
    Redeemed,
}

struct Device {
    device_code: String,
    user_code: String,
    client_id: String,
    scope: String,
    state: DeviceState,
    polls: u32,
    slowed: bool,
    expires: Instant,
}

struct State {
    cfg: ServerConfig,
    base: String,
    counter: u64,
    requests: Vec<Recorded>,
    grant_counts: HashMap<String, usize>,
    access: HashMap<String, AccessToken>,
    issued: Vec<String>,
    refresh: HashMap<String, RefreshToken>,
    codes: HashMap<String, AuthCode>,
    devices: Vec<Device>,
}

/// An answer: status, extra headers, body.
struct Answer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, v: Value) -> Answer {
        Answer {
            status,
            headers: vec![
                ("content-type".into(), "application/json".into()),
                ("cache-control".into(), "no-store".into()),
                ("pragma".into(), "no-cache".into()),
            ],
            body: serde_json::to_vec(&v).unwrap(),
        }
    }

    /// An OAuth error (RFC 6749 5.2): 400, or 401 with a challenge for
    /// `invalid_client`.
    fn error(error: &str, description: &str) -> Answer {
        let body = json!({"error": error, "error_description": description});
        if error == "invalid_client" {
            let mut a = Answer::json(401, body);
            (a.headers).push((
                "www-authenticate".into(),
                r#"Basic realm="postie-test-oauth""#.into(),
            ));
            a
        } else {
            Answer::json(400, body)
        }
    }

    fn page(status: u16, text: &str) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            body: format!("<!doctype html><title>{status}</title><p>{text}</p>\n").into_bytes(),
        }
    }

    fn redirect(location: String) -> Answer {
        Answer {
            status: 302,
            headers: vec![("location".into(), location)],
            body: Vec::new(),
        }
    }
}

/// A parsed HTTP request.
struct Req {
    method: String,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    keep_alive: bool,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn is_form(&self) -> bool {
        self.header("content-type").is_some_and(|ct| {
            let mime = ct.split(';').next().unwrap_or("").trim();
            mime.eq_ignore_ascii_case("application/x-www-form-urlencoded")
        })
    }
}

/// What came with a request for the token or device endpoint: its form and
/// how the client authenticated.
struct Client {
    auth: ClientAuth,
    basic: Option<Result<(String, String), ()>>,
    basic_raw: Option<String>,
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    (pairs.iter())
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// Form-urldecoding of one component (`+` is a space).
fn form_decode(s: &str) -> String {
    let s = s.replace('+', " ");
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// `Authorization: Basic` per RFC 6749 2.3.1: base64 of
/// `urlencode(id):urlencode(secret)`.
fn client_of(req: &Req, form: &[(String, String)]) -> Client {
    let mut basic = None;
    let mut basic_raw = None;
    if let Some(h) = req.header("authorization") {
        let (scheme, rest) = h.trim().split_once(' ').unwrap_or((h.trim(), ""));
        if scheme.eq_ignore_ascii_case("basic") {
            let decoded =
                (STANDARD.decode(rest.trim()).ok()).and_then(|b| String::from_utf8(b).ok());
            basic = Some(match decoded {
                Some(raw) => {
                    let parsed = (raw.split_once(':'))
                        .map(|(i, s)| (form_decode(i), form_decode(s)))
                        .ok_or(());
                    basic_raw = Some(raw);
                    parsed
                }
                None => Err(()),
            });
        }
    }
    let auth = match (
        &basic,
        param(form, "client_secret"),
        param(form, "client_id"),
    ) {
        (Some(_), Some(_), _) => ClientAuth::Both,
        (Some(_), None, _) => ClientAuth::Basic,
        (None, Some(_), _) => ClientAuth::Body,
        (None, None, Some(_)) => ClientAuth::ClientIdOnly,
        (None, None, None) => ClientAuth::None,
    };
    Client {
        auth,
        basic,
        basic_raw,
    }
}

impl State {
    fn new(cfg: ServerConfig, base: String) -> State {
        State {
            cfg,
            base,
            counter: 0,
            requests: Vec::new(),
            grant_counts: HashMap::new(),
            access: HashMap::new(),
            issued: Vec::new(),
            refresh: HashMap::new(),
            codes: HashMap::new(),
            devices: Vec::new(),
        }
    }

    fn next(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn valid(&self, token: &str) -> bool {
        (self.access.get(token)).is_some_and(|t| !t.revoked && Instant::now() < t.expires)
    }

    fn set_device(&mut self, user_code: &str, to: DeviceState) -> bool {
        let d = self.devices.iter_mut().find(|d| d.user_code == user_code);
        match d {
            Some(d) if d.state == DeviceState::Pending => {
                d.state = to;
                true
            }
            _ => false,
        }
    }

    /// Handle one request and record it.
    fn handle(&mut self, req: &Req) -> Answer {
        let form: Vec<(String, String)> = if req.is_form() {
            url::form_urlencoded::parse(&req.body)
                .into_owned()
                .collect()
        } else {
            Vec::new()
        };
        let client = client_of(req, &form);
        let answer = match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/token") => self.token(req, &form, &client),
            ("POST", "/device") => self.device(req, &form, &client),
            ("GET", "/authorize") => self.authorize(&req.query),
            ("GET", "/verify") => self.verify(&req.query),
            (_, "/api") => self.api(req, &form),
            (_, "/token" | "/device" | "/authorize" | "/verify") => {
                let mut a = Answer::page(405, "method not allowed");
                let allow = if matches!(req.path.as_str(), "/token" | "/device") {
                    "POST"
                } else {
                    "GET"
                };
                a.headers.push(("allow".into(), allow.into()));
                a
            }
            _ => Answer::page(404, "not found"),
        };
        let extra_params = (form.iter().chain(&req.query))
            .filter(|(n, _)| !KNOWN.contains(&n.as_str()))
            .cloned()
            .collect();
        let grant_type = (req.path == "/token")
            .then(|| param(&form, "grant_type").map(str::to_string))
            .flatten();
        if let Some(g) = &grant_type {
            *self.grant_counts.entry(g.clone()).or_default() += 1;
        }
        self.requests.push(Recorded {
            at: Instant::now(),
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            body: req.body.clone(),
            form,
            extra_params,
            client_auth: client.auth,
            basic_raw: client.basic_raw,
            grant_type,
            status: answer.status,
        });
        answer
    }

    /// The client's id when its credentials are right (a public client by
    /// its id alone when configured so), else the error answer.
    fn authenticate(&self, form: &[(String, String)], client: &Client) -> Result<String, Answer> {
        let cfg = &self.cfg;
        let ok = |id: &str, secret: &str| id == cfg.client_id && secret == cfg.client_secret;
        match client.auth {
            ClientAuth::Both => Err(Answer::error(
                "invalid_request",
                "more than one client authentication method (RFC 6749 2.3)",
            )),
            ClientAuth::Basic => match &client.basic {
                Some(Ok((id, secret))) if ok(id, secret) => match param(form, "client_id") {
                    Some(body_id) if body_id != id => Err(Answer::error(
                        "invalid_client",
                        "client_id in the body differs from the Basic one",
                    )),
                    _ => Ok(id.clone()),
                },
                Some(Ok(_)) => Err(Answer::error(
                    "invalid_client",
                    "unknown client or wrong secret",
                )),
                _ => Err(Answer::error(
                    "invalid_client",
                    "malformed Basic credentials",
                )),
            },
            ClientAuth::Body => {
                let id = param(form, "client_id").unwrap_or("");
                let secret = param(form, "client_secret").unwrap_or("");
                if ok(id, secret) {
                    Ok(id.to_string())
                } else {
                    Err(Answer::error(
                        "invalid_client",
                        "unknown client or wrong secret",
                    ))
                }
            }
            ClientAuth::ClientIdOnly => {
                let id = param(form, "client_id").unwrap_or("");
                if cfg.public_client && id == cfg.client_id {
                    Ok(id.to_string())
                } else {
                    Err(Answer::error(
                        "invalid_client",
                        "client authentication required",
                    ))
                }
            }
            ClientAuth::None => Err(Answer::error("invalid_client", "no client authentication")),
        }
    }

    /// Issue an access token (and a refresh token when asked).
    fn issue(&mut self, client_id: &str, scope: &str, with_refresh: bool) -> Answer {
        let n = self.next();
        let access = format!("at-{n}");
        let expires = Instant::now() + Duration::from_secs(self.cfg.expires_in);
        (self.access).insert(
            access.clone(),
            AccessToken {
                expires,
                revoked: false,
            },
        );
        self.issued.push(access.clone());
        let mut body = json!({
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": self.cfg.expires_in,
        });
        if with_refresh {
            let refresh = format!("rt-{n}");
            self.refresh.insert(
                refresh.clone(),
                RefreshToken {
                    client_id: client_id.to_string(),
                    scope: scope.to_string(),
                },
            );
            body["refresh_token"] = refresh.into();
        }
        body["scope"] = scope.into();
        Answer::json(200, body)
    }

    fn granted_scope(&self, asked: Option<&str>) -> String {
        (self.cfg.scope.clone()).unwrap_or_else(|| asked.unwrap_or("").to_string())
    }

    /// `POST /token`.
    fn token(&mut self, req: &Req, form: &[(String, String)], client: &Client) -> Answer {
        if !req.is_form() {
            return Answer::error(
                "invalid_request",
                "the body must be application/x-www-form-urlencoded",
            );
        }
        // RFC 6749 3.2: no parameter more than once.
        for (i, (n, _)) in form.iter().enumerate() {
            if KNOWN.contains(&n.as_str()) && form[..i].iter().any(|(m, _)| m == n) {
                return Answer::error("invalid_request", &format!("{n} given more than once"));
            }
        }
        let Some(grant) = param(form, "grant_type") else {
            return Answer::error("invalid_request", "no grant_type");
        };
        let client_id = match self.authenticate(form, client) {
            Ok(id) => id,
            Err(a) => return a,
        };
        let scope = param(form, "scope");
        let refresh = self.cfg.refresh_tokens;
        match grant {
            "client_credentials" => {
                if client.auth == ClientAuth::ClientIdOnly {
                    return Answer::error(
                        "unauthorized_client",
                        "client credentials need a confidential client",
                    );
                }
                let scope = self.granted_scope(scope);
                let with = refresh && self.cfg.refresh_for_client_credentials;
                self.issue(&client_id, &scope, with)
            }
            "password" => {
                let (Some(user), Some(pass)) = (param(form, "username"), param(form, "password"))
                else {
                    return Answer::error("invalid_request", "username and password are required");
                };
                if !(self.cfg.users.iter()).any(|(u, p)| u == user && p == pass) {
                    return Answer::error("invalid_grant", "wrong username or password");
                }
                let scope = self.granted_scope(scope);
                self.issue(&client_id, &scope, refresh)
            }
            "authorization_code" => self.code_grant(form, &client_id),
            "refresh_token" => {
                let Some(rt) = param(form, "refresh_token") else {
                    return Answer::error("invalid_request", "no refresh_token");
                };
                let Some(old) = self.refresh.get(rt) else {
                    return Answer::error(
                        "invalid_grant",
                        "unknown, used or revoked refresh token",
                    );
                };
                if old.client_id != client_id {
                    return Answer::error("invalid_grant", "refresh token of another client");
                }
                // A narrower scope may be asked for (RFC 6749 6), not a wider one.
                let granted = match scope {
                    Some(s) => {
                        let had: Vec<&str> = old.scope.split_whitespace().collect();
                        if !s.split_whitespace().all(|x| had.contains(&x)) {
                            return Answer::error("invalid_scope", "wider than the original grant");
                        }
                        s.to_string()
                    }
                    None => old.scope.clone(),
                };
                // Rotation: the old refresh token is spent.
                self.refresh.remove(rt);
                self.issue(&client_id, &granted, refresh)
            }
            DEVICE_GRANT => self.device_grant(form, &client_id),
            other => Answer::error(
                "unsupported_grant_type",
                &format!("grant_type {other} is not supported"),
            ),
        }
    }

    fn code_grant(&mut self, form: &[(String, String)], client_id: &str) -> Answer {
        let Some(code) = param(form, "code") else {
            return Answer::error("invalid_request", "no code");
        };
        let Some(c) = self.codes.get(code) else {
            return Answer::error("invalid_grant", "unknown authorization code");
        };
        if c.used {
            return Answer::error("invalid_grant", "authorization code already used");
        }
        if c.client_id != client_id {
            return Answer::error("invalid_grant", "code issued to another client");
        }
        if let Some(want) = &c.redirect_uri {
            if param(form, "redirect_uri") != Some(want.as_str()) {
                return Answer::error(
                    "invalid_grant",
                    "redirect_uri differs from the authorization request's",
                );
            }
        }
        let verifier = param(form, "code_verifier");
        match (&c.challenge, verifier) {
            (None, None) => {}
            (None, Some(_)) => {
                return Answer::error(
                    "invalid_grant",
                    "code_verifier without a code_challenge in the authorization request",
                )
            }
            (Some(_), None) => return Answer::error("invalid_grant", "code_verifier missing"),
            (Some((challenge, method)), Some(v)) => {
                // RFC 7636 4.1: 43 to 128 unreserved characters.
                let well_formed = (43..=128).contains(&v.len())
                    && (v.bytes()).all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
                if !well_formed {
                    return Answer::error("invalid_grant", "malformed code_verifier");
                }
                let derived = match method.as_str() {
                    "S256" => URL_SAFE_NO_PAD.encode(Sha256::digest(v.as_bytes())),
                    _ => v.to_string(),
                };
                if derived != *challenge {
                    return Answer::error("invalid_grant", "code_verifier does not match");
                }
            }
        }
        let scope = c.scope.clone();
        self.codes.get_mut(code).unwrap().used = true;
        let refresh = self.cfg.refresh_tokens;
        self.issue(client_id, &scope, refresh)
    }

    fn device_grant(&mut self, form: &[(String, String)], client_id: &str) -> Answer {
        let Some(dc) = param(form, "device_code") else {
            return Answer::error("invalid_request", "no device_code");
        };
        let (auto, slow) = (self.cfg.device_auto_approve_after, self.cfg.slow_down_once);
        let Some(d) = self.devices.iter_mut().find(|d| d.device_code == dc) else {
            return Answer::error("invalid_grant", "unknown device_code");
        };
        if d.client_id != client_id {
            return Answer::error("invalid_grant", "device code of another client");
        }
        d.polls += 1;
        if d.state == DeviceState::Pending && Instant::now() >= d.expires {
            d.state = DeviceState::Expired;
        }
        if d.state == DeviceState::Pending && auto.is_some_and(|n| d.polls >= n) {
            d.state = DeviceState::Approved;
        }
        match d.state {
            DeviceState::Pending if slow && !d.slowed && d.polls >= 2 => {
                d.slowed = true;
                Answer::error("slow_down", "polling too fast: add 5 seconds")
            }
            DeviceState::Pending => {
                Answer::error("authorization_pending", "the user has not answered yet")
            }
            DeviceState::Denied => Answer::error("access_denied", "the user denied the request"),
            DeviceState::Expired => Answer::error("expired_token", "the device code expired"),
            DeviceState::Redeemed => Answer::error("invalid_grant", "device code already used"),
            DeviceState::Approved => {
                d.state = DeviceState::Redeemed;
                let scope = d.scope.clone();
                let refresh = self.cfg.refresh_tokens;
                self.issue(client_id, &scope, refresh)
            }
        }
    }

    /// `POST /device` (RFC 8628 3.1, 3.2).
    fn device(&mut self, req: &Req, form: &[(String, String)], client: &Client) -> Answer {
        if !req.is_form() {
            return Answer::error(
                "invalid_request",
                "the body must be application/x-www-form-urlencoded",
            );
        }
        // A device client is usually public: its id alone is enough here,
        // but a secret, when sent, must be right.
        let client_id = if client.auth == ClientAuth::ClientIdOnly {
            let id = param(form, "client_id").unwrap_or("");
            if id != self.cfg.client_id {
                return Answer::error("invalid_client", "unknown client");
            }
            id.to_string()
        } else {
            match self.authenticate(form, client) {
                Ok(id) => id,
                Err(a) => return a,
            }
        };
        let n = self.next();
        let device_code = format!("dc-{n}");
        let user_code = user_code(n);
        let scope = self.granted_scope(param(form, "scope"));
        let expires = Instant::now() + Duration::from_secs(self.cfg.device_expires_in);
        self.devices.push(Device {
            device_code: device_code.clone(),
            user_code: user_code.clone(),
            client_id,
            scope,
            state: DeviceState::Pending,
            polls: 0,
            slowed: false,
            expires,
        });
        let verify = format!("{}/verify", self.base);
        Answer::json(
            200,
            json!({
                "device_code": device_code,
                "user_code": user_code,
                "verification_uri": verify,
                "verification_uri_complete": format!("{verify}?user_code={user_code}"),
                "expires_in": self.cfg.device_expires_in,
                "interval": self.cfg.interval,
            }),
        )
    }

    /// `GET /verify`: with `user_code`, the user approves that grant.
    fn verify(&mut self, query: &[(String, String)]) -> Answer {
        match param(query, "user_code") {
            Some(code) if self.set_device(code, DeviceState::Approved) => {
                Answer::page(200, "Device approved. You may close this window.")
            }
            Some(_) => Answer::page(400, "Unknown or already used code."),
            None => Answer::page(200, "Enter the code shown on your device."),
        }
    }

    /// `GET /authorize` (RFC 6749 4.1.1, RFC 7636 4.3): the user approves at
    /// once.
    fn authorize(&mut self, query: &[(String, String)]) -> Answer {
        let q = |n: &str| param(query, n);
        // Errors before the redirect URI is trusted are shown, not
        // redirected (RFC 6749 4.1.2.1).
        if q("client_id") != Some(self.cfg.client_id.as_str()) {
            return Answer::page(400, "Unknown client_id.");
        }
        let redirect = match q("redirect_uri") {
            Some(r)
                if self.cfg.redirect_uris.is_empty()
                    || self.cfg.redirect_uris.iter().any(|u| u == r) =>
            {
                r.to_string()
            }
            Some(_) => return Answer::page(400, "redirect_uri is not registered."),
            None if self.cfg.redirect_uris.len() == 1 => self.cfg.redirect_uris[0].clone(),
            None => return Answer::page(400, "redirect_uri is required."),
        };
        let back = |pairs: &[(&str, &str)]| {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for (n, v) in pairs {
                ser.append_pair(n, v);
            }
            if let Some(state) = q("state") {
                ser.append_pair("state", state);
            }
            let sep = if redirect.contains('?') { '&' } else { '?' };
            Answer::redirect(format!("{redirect}{sep}{}", ser.finish()))
        };
        if q("response_type") != Some("code") {
            return back(&[("error", "unsupported_response_type")]);
        }
        let challenge = match (q("code_challenge"), q("code_challenge_method")) {
            (None, None) => None,
            (None, Some(_)) => {
                return back(&[
                    ("error", "invalid_request"),
                    (
                        "error_description",
                        "code_challenge_method without code_challenge",
                    ),
                ])
            }
            (Some(c), m @ (None | Some("S256" | "plain"))) => {
                Some((c.to_string(), m.unwrap_or("plain").to_string()))
            }
            (Some(_), Some(_)) => {
                return back(&[
                    ("error", "invalid_request"),
                    ("error_description", "unsupported code_challenge_method"),
                ])
            }
        };
        if self.cfg.deny_authorization {
            return back(&[("error", "access_denied")]);
        }
        let n = self.next();
        let code = format!("code-{n}");
        let scope = self.granted_scope(q("scope"));
        self.codes.insert(
            code.clone(),
            AuthCode {
                client_id: self.cfg.client_id.clone(),
                redirect_uri: q("redirect_uri").map(str::to_string),
                challenge,
                scope,
                used: false,
            },
        );
        back(&[("code", &code)])
    }

    /// `/api`: the protected resource (RFC 6750).
    fn api(&mut self, req: &Req, form: &[(String, String)]) -> Answer {
        let from_header = req.header("authorization").and_then(|h| {
            let (scheme, token) = h.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        });
        let token = from_header
            .or_else(|| param(&req.query, "access_token").map(str::to_string))
            .or_else(|| param(form, "access_token").map(str::to_string));
        let challenge = match &token {
            Some(t) if self.valid(t) => {
                return Answer::json(200, json!({"ok": true, "token": t}));
            }
            // RFC 6750 3.1: no error code when no token was sent at all.
            None => r#"Bearer realm="postie-test-api""#.to_string(),
            Some(_) => r#"Bearer realm="postie-test-api", error="invalid_token", error_description="unknown, expired or revoked token""#.to_string(),
        };
        let mut a = Answer::json(401, json!({"ok": false, "error": "invalid_token"}));
        a.headers.push(("www-authenticate".into(), challenge));
        a
    }
}

/// A user code like `WDJB-MJHT` (RFC 8628 6.1: consonants only),
/// deterministic in `n`.
fn user_code(n: u64) -> String {
    const LETTERS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x0005_DEEC_E66D;
    let mut s = String::new();
    for i in 0..8 {
        if i == 4 {
            s.push('-');
        }
        s.push(LETTERS[(x % 20) as usize] as char);
        x /= 20;
    }
    s
}

// ---------------------------------------------------------------------------
// HTTP/1.1.

/// HTTP/1.1 requests on one connection, until the client closes it, asks
/// to (`Connection: close`), or is idle for 10 seconds.
fn serve(mut conn: TcpStream, state: &Mutex<State>) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut buf = Vec::new();
    loop {
        let req = match read_request(&mut conn, &mut buf) {
            Ok(Some(req)) => req,
            Ok(None) => return,
            Err(()) => {
                let a = Answer::page(400, "bad request");
                let _ = write_answer(&mut conn, &a, false);
                return;
            }
        };
        let answer = state.lock().unwrap().handle(&req);
        if write_answer(&mut conn, &answer, req.keep_alive).is_err() || !req.keep_alive {
            return;
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Status",
    }
}

fn write_answer(conn: &mut TcpStream, a: &Answer, keep_alive: bool) -> std::io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", a.status, reason(a.status));
    for (n, v) in &a.headers {
        head.push_str(&format!("{n}: {v}\r\n"));
    }
    head.push_str(&format!("content-length: {}\r\n", a.body.len()));
    let conn_header = if keep_alive { "keep-alive" } else { "close" };
    head.push_str(&format!("connection: {conn_header}\r\n\r\n"));
    let mut out = head.into_bytes();
    out.extend_from_slice(&a.body);
    conn.write_all(&out)?;
    conn.flush()
}

/// Read more bytes into `buf`; false at the end of the stream (or a
/// timeout).
fn fill(conn: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    let mut chunk = [0u8; 8192];
    match conn.read(&mut chunk) {
        Ok(0) | Err(_) => false,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            true
        }
    }
}

/// The next request on the connection: `Ok(None)` when the connection ended
/// cleanly between requests, `Err` for garbage. Bytes after the request stay
/// in `buf` (pipelining).
fn read_request(conn: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<Req>, ()> {
    // The head.
    let (head_len, method, target, version, headers) = loop {
        let mut fields = [httparse::EMPTY_HEADER; 64];
        let mut parsed = httparse::Request::new(&mut fields);
        match parsed.parse(buf) {
            Ok(httparse::Status::Complete(n)) => {
                let headers: Vec<(String, String)> = (parsed.headers.iter())
                    .map(|h| {
                        let value = String::from_utf8_lossy(h.value).trim().to_string();
                        (h.name.to_ascii_lowercase(), value)
                    })
                    .collect();
                break (
                    n,
                    parsed.method.unwrap_or("").to_string(),
                    parsed.path.unwrap_or("").to_string(),
                    parsed.version.unwrap_or(1),
                    headers,
                );
            }
            Ok(httparse::Status::Partial) => {
                if !fill(conn, buf) {
                    return if buf.is_empty() { Ok(None) } else { Err(()) };
                }
            }
            Err(_) => return Err(()),
        }
    };
    let header = |name: &str| {
        (headers.iter())
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    // The body: chunked, or Content-Length, or none.
    let chunked =
        header("transfer-encoding").is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        loop {
            match dechunk(&buf[head_len..])? {
                Some((body, used)) => {
                    buf.drain(..head_len + used);
                    break body;
                }
                None => {
                    if !fill(conn, buf) {
                        return Err(());
                    }
                }
            }
        }
    } else {
        let len: usize = match header("content-length") {
            Some(v) => v.parse().map_err(|_| ())?,
            None => 0,
        };
        while buf.len() < head_len + len {
            if !fill(conn, buf) {
                return Err(());
            }
        }
        let body = buf[head_len..head_len + len].to_vec();
        buf.drain(..head_len + len);
        body
    };
    let connection = header("connection").unwrap_or("").to_ascii_lowercase();
    let keep_alive = if version == 0 {
        connection.contains("keep-alive")
    } else {
        !connection.contains("close")
    };
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    let query = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    Ok(Some(Req {
        method,
        path,
        query,
        headers,
        body,
        keep_alive,
    }))
}

/// A chunked body at the start of `data`: `Ok(None)` while incomplete, else
/// the body and the bytes it took (trailers included).
fn dechunk(data: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ()> {
    let line_end = |from: usize| {
        (data[from..].windows(2))
            .position(|w| w == b"\r\n")
            .map(|p| from + p)
    };
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let Some(end) = line_end(at) else {
            return Ok(None);
        };
        let line = std::str::from_utf8(&data[at..end]).map_err(|_| ())?;
        let size_hex = line.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(size_hex, 16).map_err(|_| ())?;
        at = end + 2;
        if size == 0 {
            // Trailers, up to an empty line.
            loop {
                let Some(end) = line_end(at) else {
                    return Ok(None);
                };
                let empty = end == at;
                at = end + 2;
                if empty {
                    return Ok(Some((body, at)));
                }
            }
        }
        if data.len() < at + size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&data[at..at + size]);
        if &data[at + size..at + size + 2] != b"\r\n" {
            return Err(());
        }
        at += size + 2;
    }
}

/// A GET as a browser makes it: the status and the `Location` header.
pub fn browser_get(url: &str) -> (u16, Option<String>) {
    let u = url::Url::parse(url).unwrap();
    let mut s = TcpStream::connect((u.host_str().unwrap(), u.port().unwrap())).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let target = match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    };
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        u.host_str().unwrap()
    )
    .unwrap();
    let mut text = String::new();
    let _ = s.read_to_string(&mut text);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let location = text
        .lines()
        .find_map(|l| {
            l.strip_prefix("Location: ")
                .or(l.strip_prefix("location: "))
        })
        .map(str::to_string);
    (status, location)
}
