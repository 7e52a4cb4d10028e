//! End-to-end tests: a real server on 127.0.0.1 and a real client.

use std::time::{Duration, Instant};

use base64::Engine as _;
use md5::Md5;
use reqwest::header::{HeaderValue, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{spawn_background, EchoServer};

fn server() -> EchoServer {
    spawn_background("127.0.0.1:0".parse().unwrap()).unwrap()
}

/// No proxies from the environment, no automatic redirects.
fn client() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// reqwest's `json` feature is off; parse the body ourselves.
trait JsonValue {
    async fn json_value(self) -> Value;
}

impl JsonValue for reqwest::Response {
    async fn json_value(self) -> Value {
        let body = self.bytes().await.unwrap();
        serde_json::from_slice(&body)
            .unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(&body)))
    }
}

fn pair(name: &str, value: &str) -> Value {
    json!([name, value])
}

#[tokio::test]
async fn echoes_method_url_query_headers_and_text_body() {
    let srv = server();
    let resp = client()
        .post(srv.url("/users?id=1&id=2&q=a%20b"))
        .header("x-test", "one")
        .header("X-Other", "o")
        .header("x-test", "two")
        .body("hello there")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], "application/json");
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("{\n  \"method\": \"POST\""), "{text}");
    assert!(text.ends_with("}\n"));
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["method"], "POST");
    assert_eq!(v["url"], "/users?id=1&id=2&q=a%20b");
    assert_eq!(v["path"], "/users");
    assert_eq!(v["query"], json!([["id", "1"], ["id", "2"], ["q", "a b"]]));
    assert_eq!(v["http_version"], "HTTP/1.1");
    let headers = v["headers"].as_array().unwrap();
    let host = format!("{}", srv.addr());
    assert!(headers.contains(&pair("host", &host)), "{headers:?}");
    let test_values: Vec<&Value> = headers.iter().filter(|h| h[0] == "x-test").collect();
    assert_eq!(
        test_values,
        vec![&pair("x-test", "one"), &pair("x-test", "two")]
    );
    assert!(headers.contains(&pair("x-other", "o")));
    assert_eq!(v["body"], "hello there");
    assert_eq!(v["body_size"], 11);
    assert!(v.get("body_base64").is_none());
    assert!(v.get("json").is_none());
}

#[tokio::test]
async fn any_method_and_empty_body_echo() {
    let srv = server();
    let resp = client()
        .request(
            reqwest::Method::from_bytes(b"PURGE").unwrap(),
            srv.url("/anything"),
        )
        .send()
        .await
        .unwrap();
    let v: Value = resp.json_value().await;
    assert_eq!(v["method"], "PURGE");
    assert_eq!(v["body_size"], 0);
    assert!(v.get("body").is_none());
    assert_eq!(v["query"], json!([]));
}

#[tokio::test]
async fn echoes_json_and_form_bodies() {
    let srv = server();
    let c = client();
    let v: Value = c
        .put(srv.url("/things"))
        .header(CONTENT_TYPE, "application/json; charset=utf-8")
        .body(r#"{"b": 2, "a": [1, true]}"#)
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(v["json"], json!({"b": 2, "a": [1, true]}));
    // Key order is kept (preserve_order).
    let keys: Vec<&String> = v["json"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["b", "a"]);

    let v: Value = c
        .put(srv.url("/things"))
        .header(CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert!(v.get("json").is_none());
    assert_eq!(v["body"], "{not json");

    let v: Value = c
        .post(srv.url("/form"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body("a=1&b=x+y&a=%C3%A9")
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(v["form"], json!([["a", "1"], ["b", "x y"], ["a", "é"]]));
}

#[tokio::test]
async fn non_utf8_body_is_base64_and_bad_header_gets_a_note() {
    let srv = server();
    let raw = vec![0xFFu8, 0x00, 0xC3, 0x28];
    let v: Value = client()
        .post(srv.url("/bin"))
        .header("x-odd", HeaderValue::from_bytes(b"ok\xFFok").unwrap())
        .body(raw.clone())
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert!(v.get("body").is_none());
    assert_eq!(
        v["body_base64"],
        base64::engine::general_purpose::STANDARD.encode(&raw)
    );
    assert_eq!(v["body_size"], 4);
    let headers = v["headers"].as_array().unwrap();
    assert!(
        headers.contains(&pair("x-odd", "ok\u{FFFD}ok")),
        "{headers:?}"
    );
    let notes = v["notes"].as_array().unwrap();
    assert!(notes[0].as_str().unwrap().contains("x-odd"));
}

#[tokio::test]
async fn echoes_multipart_parts() {
    let srv = server();
    let file: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let mut body = Vec::new();
    body.extend_from_slice(
        b"--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\
          Content-Type: image/png\r\n\r\n",
    );
    body.extend_from_slice(&file);
    body.extend_from_slice(
        b"\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"; filename=\"n.txt\"\r\n\
          Content-Type: text/plain\r\n\r\nhi\r\n--XyZ--\r\n",
    );
    let v: Value = client()
        .post(srv.url("/upload"))
        .header(CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
        .body(body)
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    let parts = v["multipart"].as_array().unwrap();
    assert_eq!(parts.len(), 3, "{parts:?}");
    assert_eq!(parts[0], json!({"name": "a", "value": "1"}));
    assert_eq!(parts[1]["name"], "file");
    assert_eq!(parts[1]["filename"], "a.png");
    assert_eq!(parts[1]["content_type"], "image/png");
    assert_eq!(parts[1]["size"], 3000);
    let sha: String = Sha256::digest(&file)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(parts[1]["sha256"], sha);
    assert!(parts[1].get("value").is_none());
    assert_eq!(parts[2]["value"], "hi");
    assert_eq!(parts[2]["size"], 2);
}

#[tokio::test]
async fn malformed_multipart_is_400_json() {
    let srv = server();
    let c = client();
    for (content_type, body) in [
        // Never closed.
        (
            "multipart/form-data; boundary=XyZ",
            "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
        ),
        ("multipart/form-data", "whatever"),
    ] {
        let resp = c
            .post(srv.url("/upload"))
            .header(CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{content_type}");
        let v: Value = resp.json_value().await;
        assert!(v["error"].as_str().unwrap().contains("multipart"), "{v}");
    }
}

#[tokio::test]
async fn oversized_body_is_413_before_reading_it() {
    let srv = server();
    let mut stream = tokio::net::TcpStream::connect(srv.addr()).await.unwrap();
    stream
        .write_all(
            b"POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: 67108865\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
    let mut response = Vec::new();
    // The server answers and closes without waiting for the 64 MiB.
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response)).await;
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("\"error\""), "{text}");
}

#[tokio::test]
async fn status_route() {
    let srv = server();
    let c = client();
    let resp = c.delete(srv.url("/status/418")).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 418);
    let v: Value = resp.json_value().await;
    assert_eq!(v["status"], 418);
    assert_eq!(v["echo"]["method"], "DELETE");

    let resp = c.get(srv.url("/status/204")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    assert!(resp.bytes().await.unwrap().is_empty());

    for bad in ["/status/150", "/status/600", "/status/abc"] {
        let resp = c.get(srv.url(bad)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
    // Not the shape of a route: plain echo.
    let v: Value = c
        .get(srv.url("/status"))
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(v["path"], "/status");
}

#[tokio::test]
async fn redirect_chain_ends_at_get() {
    let srv = server();
    let c = client();
    let resp = c.get(srv.url("/redirect/3")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()["location"], "/redirect/2");
    let resp = c.get(srv.url("/redirect/1")).send().await.unwrap();
    assert_eq!(resp.headers()["location"], "/get");
    let resp = c
        .get(srv.url("/redirect/2?absolute=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["location"],
        format!("http://{}/redirect/1?absolute=true", srv.addr()).as_str()
    );

    let following = Client::builder().no_proxy().build().unwrap();
    let resp = following.get(srv.url("/redirect/3")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.url().path(), "/get");
    // postman-echo's `/get` shape: the URL as the client sent it.
    let v: Value = resp.json_value().await;
    assert_eq!(v["url"], format!("http://{}/get", srv.addr()));
}

#[tokio::test]
async fn redirect_to_uses_the_given_status() {
    let srv = server();
    let c = client();
    let resp = c
        .post(srv.url("/redirect-to?url=%2Fheaders%3Fa%3D1&status=307"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TEMPORARY_REDIRECT);
    assert_eq!(resp.headers()["location"], "/headers?a=1");
    let resp = c
        .get(srv.url("/redirect-to?url=http://example.com/"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()["location"], "http://example.com/");
    for bad in ["/redirect-to?url=/x&status=200", "/redirect-to?status=301"] {
        let resp = c.get(srv.url(bad)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn basic_and_bearer_auth() {
    let srv = server();
    let c = client();
    let resp = c
        .get(srv.url("/basic-auth/ann/s3cret"))
        .basic_auth("ann", Some("s3cret"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json_value().await;
    assert_eq!(v, json!({"authenticated": true, "user": "ann"}));

    for request in [
        c.get(srv.url("/basic-auth/ann/s3cret"))
            .basic_auth("ann", Some("wrong")),
        c.get(srv.url("/basic-auth/ann/s3cret")),
    ] {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(resp.headers()[WWW_AUTHENTICATE], "Basic realm=\"postie\"");
    }

    let resp = c
        .get(srv.url("/bearer"))
        .bearer_auth("tok")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = c.get(srv.url("/bearer")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = c
        .get(srv.url("/bearer"))
        .header("authorization", "Bearer ")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

fn challenge_param(challenge: &str, name: &str) -> String {
    let start = challenge.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let len = challenge[start..].find('"').unwrap();
    challenge[start..start + len].to_owned()
}

fn md5_hex(data: &str) -> String {
    Md5::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn sha256_hex(data: &str) -> String {
    Sha256::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Client side of RFC 7616, written independently of the server code.
async fn digest_attempt(
    srv: &EchoServer,
    path: &str,
    user: &str,
    pass: &str,
    sha256: bool,
) -> reqwest::Response {
    let c = client();
    let resp = c.get(srv.url(path)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let challenge = resp.headers()[WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with("Digest realm=\"postie\", qop=\"auth\""),
        "{challenge}"
    );
    let algorithm = if sha256 { "SHA-256" } else { "MD5" };
    assert!(
        challenge.contains(&format!("algorithm={algorithm}")),
        "{challenge}"
    );
    let nonce = challenge_param(&challenge, "nonce");
    let opaque = challenge_param(&challenge, "opaque");
    let h = |s: &str| if sha256 { sha256_hex(s) } else { md5_hex(s) };
    let (nc, cnonce) = ("00000001", "0a4f113b");
    let ha1 = h(&format!("{user}:postie:{pass}"));
    let ha2 = h(&format!("GET:{path}"));
    let response = h(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
    let header = format!(
        "Digest username=\"{user}\", realm=\"postie\", nonce=\"{nonce}\", uri=\"{path}\", \
         algorithm={algorithm}, qop=auth, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\", \
         opaque=\"{opaque}\""
    );
    c.get(srv.url(path))
        .header("authorization", header)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn digest_auth_md5_and_sha256() {
    let srv = server();
    let resp = digest_attempt(&srv, "/digest-auth/auth/ann/pw", "ann", "pw", false).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let v: Value = resp.json_value().await;
    assert_eq!(v, json!({"authenticated": true, "user": "ann"}));

    let resp = digest_attempt(&srv, "/digest-auth/auth/ann/pw", "ann", "nope", false).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers()[WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Digest "));

    let path = "/digest-auth/auth/bob/pw2/SHA-256";
    let resp = digest_attempt(&srv, path, "bob", "pw2", true).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = digest_attempt(&srv, path, "bob", "wrong", true).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn digest_auth_rejects_a_forged_nonce() {
    let srv = server();
    let (user, pass, path) = ("ann", "pw", "/digest-auth/auth/ann/pw");
    let nonce = "deadbeef.0123456789abcdef0123456789abcdef";
    let ha1 = md5_hex(&format!("{user}:postie:{pass}"));
    let ha2 = md5_hex(&format!("GET:{path}"));
    let response = md5_hex(&format!("{ha1}:{nonce}:00000001:c:auth:{ha2}"));
    let header = format!(
        "Digest username=\"{user}\", realm=\"postie\", nonce=\"{nonce}\", uri=\"{path}\", \
         qop=auth, nc=00000001, cnonce=\"c\", response=\"{response}\""
    );
    let resp = client()
        .get(srv.url(path))
        .header("authorization", header)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

async fn decode(encoding: &str, data: &[u8]) -> Vec<u8> {
    use async_compression::tokio::bufread::{BrotliDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder};
    let mut out = Vec::new();
    match encoding {
        "gzip" => GzipDecoder::new(data).read_to_end(&mut out).await,
        "deflate" => ZlibDecoder::new(data).read_to_end(&mut out).await,
        "br" => BrotliDecoder::new(data).read_to_end(&mut out).await,
        "zstd" => ZstdDecoder::new(data).read_to_end(&mut out).await,
        other => panic!("unexpected encoding {other}"),
    }
    .unwrap();
    out
}

#[tokio::test]
async fn compressed_routes_decode_to_the_echo() {
    let srv = server();
    let c = client();
    // `/gzip` and `/deflate` have postman-echo's shape (postman_tests.rs).
    for (route, token) in [("brotli", "br"), ("zstd", "zstd")] {
        let resp = c
            .get(srv.url(&format!("/{route}?x=1")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()["content-encoding"], token);
        let raw = resp.bytes().await.unwrap();
        let plain = decode(token, &raw).await;
        let v: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(v["path"], format!("/{route}"));
        assert_eq!(v["query"], json!([["x", "1"]]));
    }
}

#[tokio::test]
async fn gzip_bomb_streams_without_building_the_whole_body() {
    let srv = server();
    let started = Instant::now();
    let mut resp = client().get(srv.url("/gzip-bomb")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    assert!(resp.headers().get("content-length").is_none());
    let mut got = Vec::new();
    while got.len() < 4096 {
        got.extend_from_slice(&resp.chunk().await.unwrap().unwrap());
    }
    assert_eq!(&got[..2], &[0x1f, 0x8b], "gzip magic");
    // 1 GiB of zeros would take far longer to compress up front.
    assert!(started.elapsed() < Duration::from_secs(3));
    drop(resp);

    // Small sizes finish and decode to exactly that many zeros.
    let raw = client()
        .get(srv.url("/gzip-bomb?size=100000"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let plain = decode("gzip", &raw).await;
    assert_eq!(plain.len(), 100_000);
    assert!(plain.iter().all(|&b| b == 0));
}

#[tokio::test]
async fn bytes_route_has_the_exact_length_and_is_deterministic() {
    let srv = server();
    let c = client();
    let n = 200_001;
    let resp = c.get(srv.url(&format!("/bytes/{n}"))).send().await.unwrap();
    assert_eq!(resp.headers()["content-type"], "application/octet-stream");
    assert_eq!(resp.content_length(), Some(n));
    let first = resp.bytes().await.unwrap();
    assert_eq!(first.len() as u64, n);
    let again = c.get(srv.url(&format!("/bytes/{n}"))).send().await.unwrap();
    assert_eq!(again.bytes().await.unwrap(), first);
    let other_seed = c
        .get(srv.url(&format!("/bytes/{n}?seed=9")))
        .send()
        .await
        .unwrap();
    assert_ne!(other_seed.bytes().await.unwrap(), first);
    let empty = c.get(srv.url("/bytes/0")).send().await.unwrap();
    assert!(empty.bytes().await.unwrap().is_empty());
    let too_big = c.get(srv.url("/bytes/2000000000")).send().await.unwrap();
    assert_eq!(too_big.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn drip_and_delay_take_their_time() {
    let srv = server();
    let c = client();
    let started = Instant::now();
    let body = c
        .get(srv.url("/drip?bytes=7&duration_ms=200"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&body[..], b"*******");
    assert!(started.elapsed() >= Duration::from_millis(190));

    let started = Instant::now();
    let v: Value = c
        .get(srv.url("/delay/0?ms=150"))
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(v, json!({"delay": "0"}));
    assert!(started.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn delay_counts_seconds_as_httpbin_does() {
    let srv = server();
    let c = client();
    let started = Instant::now();
    let r = c.get(srv.url("/delay/1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(1000));

    // Fractions of a second, as httpbin accepts them.
    let started = Instant::now();
    let r = c.get(srv.url("/delay/0.2")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let waited = started.elapsed();
    assert!(waited >= Duration::from_millis(200), "{waited:?}");
    assert!(waited < Duration::from_millis(1000), "{waited:?}");
}

#[test]
fn delay_is_capped_at_ten_seconds() {
    use super::router::delay_of;
    assert_eq!(delay_of("3", "").ok(), Some(Duration::from_secs(3)));
    assert_eq!(
        delay_of("0", "ms=150").ok(),
        Some(Duration::from_millis(150))
    );
    assert_eq!(
        delay_of("1", "ms=250").ok(),
        Some(Duration::from_millis(1250))
    );
    assert_eq!(delay_of("600", "").ok(), Some(Duration::from_secs(10)));
    assert_eq!(
        delay_of("0", "ms=99999999").ok(),
        Some(Duration::from_secs(10))
    );
    assert!(delay_of("-1", "").is_err());
    assert!(delay_of("abc", "").is_err());
    assert!(delay_of("NaN", "").is_err());
    assert!(delay_of("inf", "").is_err());
    assert!(delay_of("0", "ms=x").is_err());
}

#[tokio::test]
async fn json_route_is_a_valid_document_of_about_n_bytes() {
    let srv = server();
    for n in [300_000u64, 1_000, 3] {
        let body = client()
            .get(srv.url(&format!("/json/{n}")))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        let v: Value = serde_json::from_slice(&body).unwrap();
        let records = v.as_array().unwrap();
        if n >= 1_000 {
            assert!(body.len() as u64 <= n);
            assert!(body.len() as u64 > n - 500, "{} for {n}", body.len());
            assert!(records[0]["email"].as_str().unwrap().contains('@'));
        } else {
            assert!(records.is_empty());
        }
    }
}

#[tokio::test]
async fn cookies_set_then_read() {
    let srv = server();
    let c = client();
    let resp = c
        .get(srv.url("/cookies/set?flavor=oat&session=abc"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()["location"], "/cookies");
    let set: Vec<&str> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(set, ["flavor=oat; Path=/", "session=abc; Path=/"]);

    // A cookie-keeping client follows the redirect and sends them back.
    let jar = Client::builder()
        .no_proxy()
        .cookie_store(true)
        .build()
        .unwrap();
    let v: Value = jar
        .get(srv.url("/cookies/set?flavor=oat&session=abc"))
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    assert_eq!(v, json!({"cookies": {"flavor": "oat", "session": "abc"}}));
}

#[tokio::test]
async fn headers_and_response_headers() {
    let srv = server();
    let c = client();
    let v: Value = c
        .get(srv.url("/headers"))
        .header("x-a", "1")
        .send()
        .await
        .unwrap()
        .json_value()
        .await;
    // postman-echo's object form.
    assert_eq!(v, json!({"headers": v["headers"].clone()}));
    assert_eq!(v["headers"]["x-a"], "1");

    let resp = c
        .get(srv.url("/response-headers?X-Odd=%FFraw&X-Rep=1&X-Rep=2&Content-Type=text%2Fplain"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["x-odd"].as_bytes(), b"\xFFraw");
    let reps: Vec<&[u8]> = resp
        .headers()
        .get_all("x-rep")
        .iter()
        .map(|v| v.as_bytes())
        .collect();
    assert_eq!(reps, [b"1", b"2"]);
    assert_eq!(resp.headers().get_all("content-type").iter().count(), 1);
    // Tidied as Express behind postman-echo does.
    assert_eq!(resp.headers()["content-type"], "text/plain; charset=utf-8");

    for bad in [
        "/response-headers?Content-Length=1",
        "/response-headers?Bad%20Name=1",
        "/response-headers?X-A=%0A",
    ] {
        let resp = c.get(srv.url(bad)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn html_and_xml() {
    let srv = server();
    let c = client();
    let resp = c.get(srv.url("/html")).send().await.unwrap();
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(resp.text().await.unwrap().contains("<html"));
    let resp = c.get(srv.url("xml")).send().await.unwrap();
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/xml"));
    assert!(resp.text().await.unwrap().starts_with("<?xml"));
}

#[tokio::test]
async fn http2_prior_knowledge() {
    let srv = server();
    let h2 = Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let resp = h2
        .post(srv.url("/h2?x=1"))
        .body("over h2")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.version(), reqwest::Version::HTTP_2);
    let v: Value = resp.json_value().await;
    assert_eq!(v["http_version"], "HTTP/2");
    assert_eq!(v["url"], "/h2?x=1");
    assert_eq!(v["body"], "over h2");
    // Several streams on one connection.
    let bodies = futures_util::future::join_all(
        (0..5).map(|i| h2.get(srv.url(&format!("/bytes/{}", 1000 * i))).send()),
    )
    .await;
    for (i, resp) in bodies.into_iter().enumerate() {
        assert_eq!(resp.unwrap().bytes().await.unwrap().len(), 1000 * i);
    }
}

#[test]
fn url_and_drop_stop_the_server() {
    let srv = server();
    let addr = srv.addr();
    assert_ne!(addr.port(), 0);
    assert_eq!(srv.url("/a?b=1"), format!("http://{addr}/a?b=1"));
    assert_eq!(srv.url("a"), format!("http://{addr}/a"));
    std::net::TcpStream::connect(addr).unwrap();
    drop(srv);
    assert!(std::net::TcpStream::connect(addr).is_err());
}

#[test]
fn spawn_background_reports_bind_errors() {
    let srv = server();
    assert!(spawn_background(srv.addr()).is_err());
}
