//! The test OAuth 2.0 authorization server (tests/common/oauth_server.rs)
//! checked on its own, with a plain HTTP/1.1 client over a TcpStream: every
//! grant, client authentication both ways, PKCE with RFC 7636's appendix B
//! vector, refresh rotation, the device flow's answers, the protected
//! resource, keep-alive and chunked bodies.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use common::oauth_server::{AuthServer, ClientAuth, ServerConfig, DEVICE_GRANT};
use serde_json::Value;

/// RFC 7636 appendix B: BASE64URL(SHA256(verifier)), no padding.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        (self.headers.iter())
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    fn error(&self) -> String {
        self.json()["error"].as_str().unwrap_or("").to_string()
    }
}

/// One response off a connection (Content-Length bodies only: all the
/// server sends).
fn read_response(r: &mut BufReader<TcpStream>) -> Resp {
    let mut line = String::new();
    r.read_line(&mut line).unwrap();
    let status = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).unwrap();
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (n, v) = h.split_once(':').unwrap();
        headers.push((n.to_ascii_lowercase(), v.trim().to_string()));
    }
    let len: usize = (headers.iter())
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .unwrap();
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    Resp {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn raw_request(method: &str, target: &str, headers: &[(&str, &str)], body: &str) -> String {
    let mut s = format!("{method} {target} HTTP/1.1\r\nhost: localhost\r\n");
    for (n, v) in headers {
        s.push_str(&format!("{n}: {v}\r\n"));
    }
    if !body.is_empty() || method == "POST" {
        s.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    s.push_str("\r\n");
    s.push_str(body);
    s
}

fn connect(srv: &AuthServer) -> (TcpStream, BufReader<TcpStream>) {
    let addr = srv.url().trim_start_matches("http://").to_string();
    let conn = TcpStream::connect(addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let reader = BufReader::new(conn.try_clone().unwrap());
    (conn, reader)
}

/// One request on its own connection.
fn send(
    srv: &AuthServer,
    method: &str,
    target: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Resp {
    let (mut conn, mut reader) = connect(srv);
    let mut headers = headers.to_vec();
    headers.push(("connection", "close"));
    (conn.write_all(raw_request(method, target, &headers, body).as_bytes())).unwrap();
    read_response(&mut reader)
}

fn form(pairs: &[(&str, &str)]) -> String {
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (n, v) in pairs {
        ser.append_pair(n, v);
    }
    ser.finish()
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

/// `POST /token` with the form and, when given, Basic credentials.
fn token(srv: &AuthServer, basic: Option<(&str, &str)>, pairs: &[(&str, &str)]) -> Resp {
    let auth = basic.map(|(id, secret)| basic_header(id, secret));
    let mut headers = vec![FORM];
    if let Some(a) = &auth {
        headers.push(("authorization", a));
    }
    send(srv, "POST", "/token", &headers, &form(pairs))
}

/// RFC 6749 2.3.1: id and secret form-urlencoded, then base64.
fn basic_header(id: &str, secret: &str) -> String {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", enc(id), enc(secret)))
    )
}

const CLIENT: Option<(&str, &str)> = Some(("postie-client", "postie-secret"));

fn get_api(srv: &AuthServer, token: &str) -> Resp {
    send(
        srv,
        "GET",
        "/api",
        &[("authorization", &format!("Bearer {token}"))],
        "",
    )
}

#[test]
fn client_credentials_with_basic_and_with_the_body() {
    let srv = AuthServer::start(ServerConfig {
        client_id: "my client".into(),
        client_secret: "p@ss:word+1 é".into(),
        scope: Some("read write".into()),
        ..ServerConfig::default()
    });

    let r = token(
        &srv,
        Some(("my client", "p@ss:word+1 é")),
        &[
            ("grant_type", "client_credentials"),
            ("audience", "https://api.example"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let j = r.json();
    assert_eq!(j["token_type"], "Bearer");
    assert_eq!(j["expires_in"], 3600);
    assert_eq!(j["scope"], "read write");
    assert!(j.get("refresh_token").is_none(), "{j}");
    let first = j["access_token"].as_str().unwrap().to_string();

    let r = token(
        &srv,
        None,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", "my client"),
            ("client_secret", "p@ss:word+1 é"),
            ("resource", "urn:x"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let second = r.json()["access_token"].as_str().unwrap().to_string();
    assert_ne!(first, second);

    let reqs = srv.requests_to("/token");
    assert_eq!(reqs[0].client_auth, ClientAuth::Basic);
    assert_eq!(
        reqs[0].basic_raw.as_deref(),
        Some("my+client:p%40ss%3Aword%2B1+%C3%A9")
    );
    assert_eq!(
        reqs[0].extra_params,
        [("audience".to_string(), "https://api.example".to_string())]
    );
    assert_eq!(reqs[1].client_auth, ClientAuth::Body);
    assert_eq!(
        reqs[1].extra_params,
        [("resource".to_string(), "urn:x".to_string())]
    );
    assert_eq!(
        reqs[1].header("Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(srv.grant_count("client_credentials"), 2);
    assert_eq!(srv.issued_access_tokens(), [first, second]);
}

#[test]
fn wrong_or_missing_client_credentials() {
    let srv = AuthServer::start(ServerConfig::default());
    let cc = [("grant_type", "client_credentials")];

    let r = token(&srv, Some(("postie-client", "wrong")), &cc);
    assert_eq!(r.status, 401);
    assert_eq!(r.error(), "invalid_client");
    assert!(r.header("www-authenticate").unwrap().starts_with("Basic"));
    assert!(r.json()["error_description"].is_string());

    let body = [
        ("grant_type", "client_credentials"),
        ("client_id", "postie-client"),
        ("client_secret", "wrong"),
    ];
    let r = token(&srv, None, &body);
    assert_eq!((r.status, r.error().as_str()), (401, "invalid_client"));

    let r = token(&srv, None, &cc);
    assert_eq!((r.status, r.error().as_str()), (401, "invalid_client"));

    // A public client's id alone is not enough unless configured so.
    let r = token(
        &srv,
        None,
        &[("grant_type", "password"), ("client_id", "postie-client")],
    );
    assert_eq!((r.status, r.error().as_str()), (401, "invalid_client"));

    // Two methods at once (RFC 6749 2.3).
    let both = [
        ("grant_type", "client_credentials"),
        ("client_secret", "postie-secret"),
    ];
    let r = token(&srv, CLIENT, &both);
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_request"));
    assert_eq!(srv.requests_to("/token")[4].client_auth, ClientAuth::Both);

    let r = token(&srv, CLIENT, &[("grant_type", "urn:example:magic")]);
    assert_eq!(
        (r.status, r.error().as_str()),
        (400, "unsupported_grant_type")
    );

    let r = send(
        &srv,
        "POST",
        "/token",
        &[("content-type", "application/json")],
        "{}",
    );
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_request"));
}

#[test]
fn password_grant() {
    let srv = AuthServer::start(ServerConfig::default());
    let r = token(
        &srv,
        CLIENT,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("scope", "profile"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    assert!(j["refresh_token"].is_string(), "{j}");
    assert_eq!(j["scope"], "profile");

    let r = token(
        &srv,
        CLIENT,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "nope"),
        ],
    );
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));
    assert_eq!(srv.grant_count("password"), 2);
}

/// `GET /authorize` and the code out of the redirect.
fn authorize(srv: &AuthServer, pairs: &[(&str, &str)]) -> Resp {
    send(srv, "GET", &format!("/authorize?{}", form(pairs)), &[], "")
}

fn code_of(r: &Resp) -> String {
    assert_eq!(r.status, 302, "{}", r.body);
    let loc = url::Url::parse(r.header("location").unwrap()).unwrap();
    let q: Vec<(String, String)> = loc.query_pairs().into_owned().collect();
    q.iter().find(|(n, _)| n == "code").unwrap().1.clone()
}

#[test]
fn authorization_code_with_pkce_s256() {
    let srv = AuthServer::start(ServerConfig::default());
    let r = authorize(
        &srv,
        &[
            ("response_type", "code"),
            ("client_id", "postie-client"),
            ("redirect_uri", "http://127.0.0.1:9999/callback"),
            ("state", "xyz 1"),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("scope", "openid"),
        ],
    );
    let loc = r.header("location").unwrap().to_string();
    assert!(
        loc.starts_with("http://127.0.0.1:9999/callback?code="),
        "{loc}"
    );
    assert!(loc.ends_with("&state=xyz+1"), "{loc}");
    let code = code_of(&r);

    let exchange = |code: &str, redirect: &str, verifier: &str| {
        token(
            &srv,
            CLIENT,
            &[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect),
                ("code_verifier", verifier),
            ],
        )
    };
    let good = "http://127.0.0.1:9999/callback";
    let wrong_verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXX";
    let r = exchange(&code, good, wrong_verifier);
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));
    let r = exchange(&code, "http://127.0.0.1:9999/other", VERIFIER);
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));
    let r = exchange(&code, good, VERIFIER);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["scope"], "openid");
    // Codes are single-use.
    let r = exchange(&code, good, VERIFIER);
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));
    let r = exchange("code-999", good, VERIFIER);
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));
    assert_eq!(srv.grant_count("authorization_code"), 5);
}

#[test]
fn authorization_code_plain_pkce_denial_and_bad_clients() {
    let srv = AuthServer::start(ServerConfig {
        public_client: true,
        ..ServerConfig::default()
    });
    let base = [
        ("response_type", "code"),
        ("client_id", "postie-client"),
        ("redirect_uri", "http://localhost/cb?app=1"),
    ];
    let plain = "a".repeat(43);
    let mut pairs = base.to_vec();
    pairs.extend([
        ("code_challenge", plain.as_str()),
        ("code_challenge_method", "plain"),
    ]);
    let r = authorize(&srv, &pairs);
    assert!(r
        .header("location")
        .unwrap()
        .starts_with("http://localhost/cb?app=1&code="));
    let code = code_of(&r);
    // A public client: client_id in the body, no secret.
    let r = token(
        &srv,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", "postie-client"),
            ("code", &code),
            ("redirect_uri", "http://localhost/cb?app=1"),
            ("code_verifier", &plain),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        srv.requests_to("/token")[0].client_auth,
        ClientAuth::ClientIdOnly
    );

    // No challenge, no verifier: fine; a verifier without a challenge is not.
    let code = code_of(&authorize(&srv, &base));
    let r = token(
        &srv,
        CLIENT,
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "http://localhost/cb?app=1"),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));

    // Unknown client: an error page, never a redirect.
    let r = authorize(
        &srv,
        &[
            ("response_type", "code"),
            ("client_id", "evil"),
            ("redirect_uri", "http://x/"),
        ],
    );
    assert_eq!(r.status, 400);
    assert!(r.header("location").is_none());

    let denying = AuthServer::start(ServerConfig {
        deny_authorization: true,
        ..ServerConfig::default()
    });
    let mut pairs = base.to_vec();
    pairs.push(("state", "s1"));
    let r = authorize(&denying, &pairs);
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("location"),
        Some("http://localhost/cb?app=1&error=access_denied&state=s1")
    );
}

#[test]
fn refresh_tokens_rotate() {
    let srv = AuthServer::start(ServerConfig::default());
    let r = token(
        &srv,
        CLIENT,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
            ("scope", "a b"),
        ],
    );
    let rt1 = r.json()["refresh_token"].as_str().unwrap().to_string();
    let at1 = r.json()["access_token"].as_str().unwrap().to_string();

    let r = token(
        &srv,
        CLIENT,
        &[("grant_type", "refresh_token"), ("refresh_token", &rt1)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let j = r.json();
    let rt2 = j["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(rt1, rt2);
    assert_ne!(j["access_token"].as_str().unwrap(), at1);
    assert_eq!(j["scope"], "a b");

    // The old one is spent.
    let r = token(
        &srv,
        CLIENT,
        &[("grant_type", "refresh_token"), ("refresh_token", &rt1)],
    );
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_grant"));
    // A narrower scope is fine, a wider one is not.
    let wider = [
        ("grant_type", "refresh_token"),
        ("refresh_token", &rt2),
        ("scope", "a c"),
    ];
    let r = token(&srv, CLIENT, &wider);
    assert_eq!((r.status, r.error().as_str()), (400, "invalid_scope"));
    let r = token(
        &srv,
        CLIENT,
        &[
            ("grant_type", "refresh_token"),
            ("refresh_token", &rt2),
            ("scope", "a"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["scope"], "a");
    assert_eq!(srv.grant_count("refresh_token"), 4);

    let no_refresh = AuthServer::start(ServerConfig {
        refresh_tokens: false,
        ..ServerConfig::default()
    });
    let r = token(
        &no_refresh,
        CLIENT,
        &[
            ("grant_type", "password"),
            ("username", "alice"),
            ("password", "wonderland"),
        ],
    );
    assert!(r.json().get("refresh_token").is_none());
}

fn start_device(srv: &AuthServer) -> Value {
    let body = form(&[("client_id", "postie-client"), ("scope", "tv")]);
    let r = send(srv, "POST", "/device", &[FORM], &body);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

fn poll(srv: &AuthServer, device_code: &str) -> Resp {
    token(
        srv,
        CLIENT,
        &[("grant_type", DEVICE_GRANT), ("device_code", device_code)],
    )
}

#[test]
fn device_flow_pending_slow_down_approved() {
    let srv = AuthServer::start(ServerConfig {
        slow_down_once: true,
        interval: 1,
        ..ServerConfig::default()
    });
    let d = start_device(&srv);
    let user_code = d["user_code"].as_str().unwrap();
    let dc = d["device_code"].as_str().unwrap();
    assert_eq!(user_code.len(), 9);
    assert_eq!(&user_code[4..5], "-");
    assert_eq!(d["interval"], 1);
    assert_eq!(d["expires_in"], 600);
    assert_eq!(d["verification_uri"], srv.verification_url());
    assert_eq!(
        d["verification_uri_complete"],
        format!("{}?user_code={user_code}", srv.verification_url())
    );
    assert_eq!(srv.user_codes(), [user_code]);

    assert_eq!(poll(&srv, dc).error(), "authorization_pending");
    assert_eq!(poll(&srv, dc).error(), "slow_down");
    assert_eq!(poll(&srv, dc).error(), "authorization_pending");
    assert!(srv.approve_device(user_code));
    let r = poll(&srv, dc);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["scope"], "tv");
    assert!(r.json()["refresh_token"].is_string());
    // Spent.
    assert_eq!(poll(&srv, dc).error(), "invalid_grant");
    assert_eq!(srv.grant_count(DEVICE_GRANT), 5);

    // The verification page approves too, as a user in a browser would.
    let d = start_device(&srv);
    let complete = d["verification_uri_complete"].as_str().unwrap();
    let target = complete.trim_start_matches(&srv.url()).to_string();
    assert_eq!(send(&srv, "GET", &target, &[], "").status, 200);
    assert_eq!(poll(&srv, d["device_code"].as_str().unwrap()).status, 200);
}

#[test]
fn device_flow_denied_expired_and_auto_approved() {
    let srv = AuthServer::start(ServerConfig::default());
    let d = start_device(&srv);
    let dc = d["device_code"].as_str().unwrap();
    assert_eq!(poll(&srv, dc).error(), "authorization_pending");
    assert!(srv.deny_device(d["user_code"].as_str().unwrap()));
    let r = poll(&srv, dc);
    assert_eq!((r.status, r.error().as_str()), (400, "access_denied"));

    let d = start_device(&srv);
    assert!(srv.expire_device(d["user_code"].as_str().unwrap()));
    assert_eq!(
        poll(&srv, d["device_code"].as_str().unwrap()).error(),
        "expired_token"
    );
    assert!(!srv.approve_device(d["user_code"].as_str().unwrap()));
    assert!(!srv.approve_device("NONE-SUCH"));

    let auto = AuthServer::start(ServerConfig {
        device_auto_approve_after: Some(2),
        ..ServerConfig::default()
    });
    let d = start_device(&auto);
    let dc = d["device_code"].as_str().unwrap();
    assert_eq!(poll(&auto, dc).error(), "authorization_pending");
    assert_eq!(poll(&auto, dc).status, 200);
}

#[test]
fn protected_resource_takes_valid_tokens_only() {
    let srv = AuthServer::start(ServerConfig::default());
    let r = token(&srv, CLIENT, &[("grant_type", "client_credentials")]);
    let at = r.json()["access_token"].as_str().unwrap().to_string();

    let r = get_api(&srv, &at);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), serde_json::json!({"ok": true, "token": at}));
    let r = send(&srv, "GET", &format!("/api?access_token={at}"), &[], "");
    assert_eq!(r.status, 200);

    let r = send(&srv, "GET", "/api", &[], "");
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = get_api(&srv, "at-nope");
    assert_eq!(r.status, 401);
    assert!(r
        .header("www-authenticate")
        .unwrap()
        .contains(r#"error="invalid_token""#));

    srv.revoke_all_access_tokens();
    assert!(!srv.is_valid_access_token(&at));
    let r = get_api(&srv, &at);
    assert_eq!(r.status, 401);
    assert!(r
        .header("www-authenticate")
        .unwrap()
        .contains(r#"error="invalid_token""#));
    // A token issued after the revocation works.
    let r = token(&srv, CLIENT, &[("grant_type", "client_credentials")]);
    let at2 = r.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(get_api(&srv, &at2).status, 200);
    assert_eq!(srv.requests_to("/api").len(), 6);
}

#[test]
fn short_lived_tokens_expire() {
    let srv = AuthServer::start(ServerConfig {
        expires_in: 1,
        ..ServerConfig::default()
    });
    let r = token(&srv, CLIENT, &[("grant_type", "client_credentials")]);
    assert_eq!(r.json()["expires_in"], 1);
    let at = r.json()["access_token"].as_str().unwrap().to_string();
    assert_eq!(get_api(&srv, &at).status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(get_api(&srv, &at).status, 401);
}

#[test]
fn keep_alive_pipelining_and_chunked_bodies() {
    let srv = AuthServer::start(ServerConfig::default());
    let (mut conn, mut reader) = connect(&srv);
    let auth = basic_header("postie-client", "postie-secret");
    let cc = form(&[("grant_type", "client_credentials")]);
    let one = raw_request("POST", "/token", &[FORM, ("authorization", &auth)], &cc);
    // Two requests written at once, then a third after the answers.
    conn.write_all(format!("{one}{one}").as_bytes()).unwrap();
    let a = read_response(&mut reader);
    let b = read_response(&mut reader);
    assert_eq!((a.status, b.status), (200, 200));
    assert_ne!(a.json()["access_token"], b.json()["access_token"]);
    assert_eq!(a.header("connection"), Some("keep-alive"));

    // Chunked, split in two chunks across the form.
    let (x, y) = cc.split_at(7);
    let chunked = format!(
        "POST /token HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/x-www-form-urlencoded\r\n\
         authorization: {auth}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n\
         {:x}\r\n{x}\r\n{:x}\r\n{y}\r\n0\r\n\r\n",
        x.len(),
        y.len()
    );
    conn.write_all(chunked.as_bytes()).unwrap();
    let c = read_response(&mut reader);
    assert_eq!(c.status, 200, "{}", c.body);
    assert_eq!(c.header("connection"), Some("close"));
    // The server closed the connection.
    let mut rest = Vec::new();
    reader.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    assert_eq!(srv.grant_count("client_credentials"), 3);
    let reqs = srv.requests();
    assert_eq!(reqs.len(), 3);
    assert!(reqs
        .iter()
        .all(|r| r.method == "POST" && r.path == "/token"));
    assert_eq!(
        reqs[2].form,
        [("grant_type".to_string(), "client_credentials".to_string())]
    );
}
