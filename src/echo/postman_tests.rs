//! postman-echo's routes and newman's two servers, end to end: a real
//! server on 127.0.0.1 and a real client (or a raw socket where the bytes
//! on the wire matter).

use std::time::{Duration, Instant};

use base64::Engine as _;
use hmac::{Hmac, Mac};
use md5::Md5;
use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::redirect::Policy;
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sha1::Sha1;
use sha2::{Digest as _, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::{spawn_background, spawn_raw_background, spawn_redirect_background, EchoServer};

const JSON_UTF8: &str = "application/json; charset=utf-8";

fn server() -> EchoServer {
    spawn_background("127.0.0.1:0".parse().unwrap()).unwrap()
}

fn client() -> Client {
    Client::builder()
        .no_proxy()
        .redirect(Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

async fn json_of(resp: reqwest::Response) -> Value {
    let body = resp.bytes().await.unwrap();
    serde_json::from_slice(&body)
        .unwrap_or_else(|err| panic!("not JSON ({err}): {}", String::from_utf8_lossy(&body)))
}

/// Sends `request` as raw bytes and reads the whole answer (the server
/// closes or the test times out).
async fn raw_exchange(addr: std::net::SocketAddr, request: &[u8]) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request).await.unwrap();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(5), async {
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).await.unwrap_or(0);
            if n == 0 {
                break;
            }
            answer.extend_from_slice(&buf[..n]);
            // One keep-alive answer is enough for the echo server.
            let text = String::from_utf8_lossy(&answer);
            if let Some(head_end) = text.find("\r\n\r\n") {
                let length = text[..head_end].lines().find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap())
                });
                if length.is_some_and(|len| answer.len() >= head_end + 4 + len) {
                    break;
                }
            }
        }
    })
    .await;
    assert!(
        read.is_ok(),
        "no complete answer: {}",
        String::from_utf8_lossy(&answer)
    );
    String::from_utf8_lossy(&answer).into_owned()
}

fn body_of(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, body)| body)
}

#[tokio::test]
async fn get_echoes_args_headers_and_the_url_as_sent() {
    let srv = server();
    let resp = client()
        .get(srv.url("/get?hi=hello&hi=lolol&a={{e}}&foo=%0Abar%0A&plus=a+b"))
        .header("x-rep", "1")
        .header("x-rep", "2")
        .header("cookie", "a=1")
        .header("cookie", "b=2")
        .header("x-forwarded-for", "10.0.0.1")
        .header("user-agent", "one")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], JSON_UTF8);
    let v = json_of(resp).await;
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["args", "headers", "url"]);
    assert_eq!(
        v["args"],
        json!({"hi": ["hello", "lolol"], "a": "{{e}}", "foo": "\nbar\n", "plus": "a b"})
    );
    assert_eq!(
        v["url"],
        format!(
            "http://{}/get?hi=hello&hi=lolol&a={{{{e}}}}&foo=%0Abar%0A&plus=a+b",
            srv.addr()
        )
    );
    let headers = &v["headers"];
    assert_eq!(headers["host"], srv.addr().to_string());
    assert_eq!(headers["x-rep"], "1, 2");
    assert_eq!(headers["cookie"], "a=1; b=2");
    assert_eq!(headers["user-agent"], "one");
    assert!(headers.get("x-forwarded-for").is_none(), "{headers}");
}

/// The odd URLs newman's `whatwg-url` collection asserts on, sent byte for
/// byte on a socket so no client tidies them.
#[tokio::test]
async fn get_keeps_odd_query_forms_byte_for_byte() {
    let srv = server();
    for target in [
        "/get?",
        "/get?&",
        "/get?&&",
        "/get?&foo",
        "/get?foo&",
        "/get???&hl=en&src=api&x=2&y=2&z=3&s=",
        "/get?foo=bar&&&bar=baz",
        "/get?get&=bar&=&baz=&&",
        "/get?q=%231%23&x%26y=2&b%23a%26r",
    ] {
        let request = format!(
            "GET {target} HTTP/1.1\r\nHost: postman-echo.test\r\nConnection: close\r\n\r\n"
        );
        let answer = raw_exchange(srv.addr(), request.as_bytes()).await;
        let v: Value = serde_json::from_str(body_of(&answer)).unwrap();
        assert_eq!(
            v["url"],
            format!("http://postman-echo.test{target}"),
            "{target}"
        );
    }
    let request = "GET /get?get&=bar&=&baz=&& HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    let v: Value =
        serde_json::from_str(body_of(&raw_exchange(srv.addr(), request.as_bytes()).await)).unwrap();
    assert_eq!(v["args"], json!({"get": "", "": ["bar", ""], "baz": ""}));
}

#[tokio::test]
async fn get_url_can_be_overridden_for_a_harness_that_swapped_the_host() {
    let srv = server();
    let v = json_of(
        client()
            .get(srv.url("/get?a=1"))
            .header("x-postman-echo-original-protocol", "https")
            .header("x-postman-echo-original-host", "postman-echo.com")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["url"], "https://postman-echo.com/get?a=1");
    assert!(v["headers"].get("x-postman-echo-original-host").is_none());
    let v = json_of(
        client()
            .get(srv.url("/get"))
            .header(
                "x-postman-echo-original-url",
                "https://postman-echo.com/get?x=2",
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["url"], "https://postman-echo.com/get?x=2");
    assert_eq!(v["args"], json!({"x": "2"}));
}

#[tokio::test]
async fn get_answers_head_and_options() {
    let srv = server();
    let c = client();
    let resp = c.head(srv.url("/get")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.bytes().await.unwrap().is_empty());
    let resp = c
        .request(reqwest::Method::OPTIONS, srv.url("/get"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["allow"], "GET,HEAD");
    assert_eq!(resp.text().await.unwrap(), "GET,HEAD");
}

#[tokio::test]
async fn method_routes_fill_fields_by_body_type() {
    let srv = server();
    let c = client();
    let keys = ["args", "data", "files", "form", "headers", "json", "url"];

    // Empty body.
    let v = json_of(c.post(srv.url("/post?x=1")).send().await.unwrap()).await;
    let got: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(got, keys);
    assert_eq!(v["data"], json!({}));
    assert_eq!(v["json"], Value::Null);
    assert_eq!(v["args"], json!({"x": "1"}));
    assert_eq!(v["url"], format!("http://{}/post?x=1", srv.addr()));

    // Raw text, every method route, with or without a trailing slash.
    let text = "a".repeat(256);
    for (method, path) in [
        (reqwest::Method::POST, "/post"),
        (reqwest::Method::PUT, "/put"),
        (reqwest::Method::PATCH, "/patch/"),
        (reqwest::Method::DELETE, "/delete"),
    ] {
        let v = json_of(
            c.request(method.clone(), srv.url(path))
                .header(CONTENT_TYPE, "text/plain")
                .body(text.clone())
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(v["data"], text.as_str(), "{method} {path}");
        assert_eq!(v["headers"]["content-type"], "text/plain");
        assert_eq!(v["json"], Value::Null);
        assert_eq!(v["form"], json!({}));
    }

    // JSON.
    let v = json_of(
        c.post(srv.url("/post"))
            .header(CONTENT_TYPE, "application/json")
            .body(r#"{"Hello": "{\"hello_world\": true}", "n": [1]}"#)
            .send()
            .await
            .unwrap(),
    )
    .await;
    let parsed = json!({"Hello": "{\"hello_world\": true}", "n": [1]});
    assert_eq!(v["data"], parsed);
    assert_eq!(v["json"], parsed);

    // urlencoded: form (repeats as arrays) and json.
    let v = json_of(
        c.post(srv.url("/post"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body("hello=hello%5Ckworld&a=1&a=2&sp=x+y")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let form = json!({"hello": "hello\\kworld", "a": ["1", "2"], "sp": "x y"});
    assert_eq!(v["form"], form);
    assert_eq!(v["json"], form);
    assert_eq!(v["data"], "");

    // Binary.
    let v = json_of(
        c.post(srv.url("/post"))
            .header(CONTENT_TYPE, "application/octet-stream")
            .body(vec![0xFFu8, 0, 1])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(v["data"], "data:application/octet-stream;base64,/wAB");
}

#[tokio::test]
async fn multipart_text_parts_go_to_form_and_files_to_data_urls() {
    let srv = server();
    let mut body = Vec::new();
    body.extend_from_slice(
        b"--XyZ\r\nContent-Disposition: form-data; name=\"first\"\r\n\r\nAda\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"first\"\r\n\r\nGrace\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"last\"\r\n\r\nLovelace\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload-file.json\"\r\n\
          Content-Type: application/json\r\n\r\n{\"a\": 1}\r\n\
          --XyZ\r\nContent-Disposition: form-data; name=\"raw\"; filename=\"blob\"\r\n\r\n\xFF\x00\r\n\
          --XyZ--\r\n",
    );
    let v = json_of(
        client()
            .post(srv.url("/post"))
            .header(CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
            .body(body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        v["form"],
        json!({"first": ["Ada", "Grace"], "last": "Lovelace"})
    );
    let b64 = |data: &[u8]| base64::engine::general_purpose::STANDARD.encode(data);
    assert_eq!(
        v["files"],
        json!({
            "upload-file.json": format!("data:application/octet-stream;base64,{}", b64(b"{\"a\": 1}")),
            "blob": format!("data:application/octet-stream;base64,{}", b64(b"\xFF\x00")),
        })
    );
    assert_eq!(v["data"], json!({}));
    assert_eq!(v["json"], Value::Null);

    // An empty multipart body (Postman's `formdata: []`) is fine too.
    let resp = client()
        .post(srv.url("/post"))
        .header(CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
        .body("--XyZ--\r\n")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v = json_of(resp).await;
    assert_eq!(v["form"], json!({}));
}

#[tokio::test]
async fn headers_route_is_an_object_without_url() {
    let srv = server();
    let v = json_of(
        client()
            .get(srv.url("/headers"))
            .header("my-sample-header", "Lorem ipsum")
            .header("TEST", "\"doublequotes\"")
            .send()
            .await
            .unwrap(),
    )
    .await;
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["headers"]);
    assert_eq!(v["headers"]["my-sample-header"], "Lorem ipsum");
    assert_eq!(v["headers"]["test"], "\"doublequotes\"");
    assert_eq!(v["headers"]["host"], srv.addr().to_string());

    // HTTP/2 sends `:authority`, not Host; `host` is still there.
    let h2 = Client::builder()
        .no_proxy()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    let resp = h2.get(srv.url("/get?a=1")).send().await.unwrap();
    assert_eq!(resp.version(), reqwest::Version::HTTP_2);
    let v = json_of(resp).await;
    assert_eq!(v["headers"]["host"], srv.addr().to_string());
    assert_eq!(v["url"], format!("http://{}/get?a=1", srv.addr()));
}

#[tokio::test]
async fn response_headers_are_set_and_echoed() {
    let srv = server();
    let c = client();
    let resp = c
        .get(srv.url("/response-headers?Content-Type=application%2Fjson%3B%20%20charset%3Dutf-8&Server=apibin&X-Rep=1&X-Rep=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers().get_all(CONTENT_TYPE).iter().count(), 1);
    assert_eq!(resp.headers()[CONTENT_TYPE], JSON_UTF8);
    assert_eq!(resp.headers()["server"], "apibin");
    let reps: Vec<&str> = resp
        .headers()
        .get_all("x-rep")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(reps, ["1", "2"]);
    let v = json_of(resp).await;
    assert_eq!(
        v,
        json!({"Content-Type": "application/json;  charset=utf-8", "Server": "apibin", "X-Rep": ["1", "2"]})
    );
    let resp = c
        .get(srv.url("/response-headers?Content-Type=text/html"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    for bad in [
        "/response-headers?Content-Length=1",
        "/response-headers?Bad%20Name=1",
    ] {
        let resp = c.get(srv.url(bad)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::BAD_REQUEST, "{bad}");
    }
}

#[tokio::test]
async fn status_and_delay() {
    let srv = server();
    let c = client();
    let resp = c.get(srv.url("/status/404")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(resp.headers()[CONTENT_TYPE], JSON_UTF8);
    assert_eq!(json_of(resp).await["status"], 404);

    let started = Instant::now();
    let resp = c.get(srv.url("/delay/0.2")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(json_of(resp).await, json!({"delay": "0.2"}));
    assert!(started.elapsed() >= Duration::from_millis(200));
    let resp = c.get(srv.url("/delay/x")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn cookies_set_read_and_delete() {
    let srv = server();
    let resp = client()
        .get(srv.url("/cookies/set?foo1=bar1&foo2=a%20b%3B"))
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
    assert_eq!(set, ["foo1=bar1; Path=/", "foo2=a%20b%3B; Path=/"]);

    let jar = Client::builder()
        .no_proxy()
        .cookie_store(true)
        .build()
        .unwrap();
    let resp = jar
        .get(srv.url("/cookies/set?foo1=bar1&foo2=a%20b%3B"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[CONTENT_TYPE], JSON_UTF8);
    assert_eq!(
        json_of(resp).await,
        json!({"cookies": {"foo1": "bar1", "foo2": "a b;"}})
    );
    // Deleting answers at once, without the deleted cookies, and expires them.
    let resp = jar
        .get(srv.url("/cookies/delete?foo1"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let expired: Vec<&str> = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    assert_eq!(
        expired,
        ["foo1=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"]
    );
    assert_eq!(json_of(resp).await, json!({"cookies": {"foo2": "a b;"}}));
    let resp = jar.get(srv.url("/cookies")).send().await.unwrap();
    assert_eq!(json_of(resp).await, json!({"cookies": {"foo2": "a b;"}}));
}

#[tokio::test]
async fn basic_auth_takes_postman_password() {
    let srv = server();
    let c = client();
    let resp = c
        .get(srv.url("/basic-auth"))
        .header("authorization", "Basic cG9zdG1hbjpwYXNzd29yZA==")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(json_of(resp).await, json!({"authenticated": true}));
    for request in [
        c.get(srv.url("/basic-auth")),
        c.get(srv.url("/basic-auth"))
            .basic_auth("postman", Some("nope")),
    ] {
        let resp = request.send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    }
}

fn md5_hex(data: &str) -> String {
    Md5::digest(data.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn quoted_param(challenge: &str, name: &str) -> String {
    let start = challenge.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let len = challenge[start..].find('"').unwrap();
    challenge[start..start + len].to_owned()
}

/// Digest computed here from RFC 7616 / RFC 2069, the way echo-v2 does it:
/// realm and nonce parsed from the challenge.
#[tokio::test]
async fn digest_auth_with_and_without_qop() {
    let srv = server();
    let c = client();
    let resp = c.get(srv.url("/digest-auth")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let challenge = resp.headers()[WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        challenge.starts_with("Digest realm=\"Users\", nonce=\""),
        "{challenge}"
    );
    let realm = quoted_param(&challenge, "realm");
    let nonce = quoted_param(&challenge, "nonce");
    let ha1 = md5_hex(&format!("postman:{realm}:password"));
    let ha2 = md5_hex("GET:/digest-auth");

    // Without qop (a collection with `qop: ""`), and any nonce.
    for nonce in [nonce.as_str(), "ni1LiL0O37PRRhofWdCLmwFsnEtH1lew"] {
        let response = md5_hex(&format!("{ha1}:{nonce}:{ha2}"));
        let header = format!(
            "Digest username=\"postman\", realm=\"Users\", nonce=\"{nonce}\", uri=\"/digest-auth\", response=\"{response}\", opaque=\"\""
        );
        let resp = c
            .get(srv.url("/digest-auth"))
            .header("authorization", header)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK, "{nonce}");
        assert_eq!(json_of(resp).await, json!({"authenticated": true}));
    }

    // With qop=auth.
    let (nc, cnonce) = ("00000001", "0a4f113b");
    let response = md5_hex(&format!("{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}"));
    let header = format!(
        "Digest username=\"postman\", realm=\"Users\", nonce=\"{nonce}\", uri=\"/digest-auth\", \
         algorithm=MD5, qop=auth, nc={nc}, cnonce=\"{cnonce}\", response=\"{response}\""
    );
    let resp = c
        .get(srv.url("/digest-auth"))
        .header("authorization", header)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);

    // A wrong password.
    let bad_ha1 = md5_hex(&format!("postman:{realm}:wrong"));
    let response = md5_hex(&format!("{bad_ha1}:{nonce}:{ha2}"));
    let header = format!(
        "Digest username=\"postman\", realm=\"Users\", nonce=\"{nonce}\", uri=\"/digest-auth\", response=\"{response}\""
    );
    let resp = c
        .get(srv.url("/digest-auth"))
        .header("authorization", header)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert!(resp.headers()[WWW_AUTHENTICATE]
        .to_str()
        .unwrap()
        .starts_with("Digest "));
}

/// RFC 3986 unreserved characters kept, the rest `%XX`: written out here
/// rather than taken from the server's code.
fn pct(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn hmac_sha1_base64(key: &str, data: &str) -> String {
    let mut mac = <Hmac<Sha1> as Mac>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// An OAuth 1.0a request signed here per RFC 5849 §3.4 (the shape of
/// newman's `oauth1-var-in-url-params`: a query parameter, params in the
/// header, fixed timestamp and nonce).
#[tokio::test]
async fn oauth1_verifies_hmac_sha1_and_refuses_a_wrong_signature() {
    let srv = server();
    let c = client();
    let base_uri = format!("http://{}/oauth1", srv.addr());
    let oauth = [
        ("oauth_consumer_key", "RKCGzna7bv9YD57c"),
        ("oauth_nonce", "ik3oT5"),
        ("oauth_signature_method", "HMAC-SHA1"),
        ("oauth_timestamp", "1461319769"),
        ("oauth_version", "1.0"),
    ];
    // Sorted by name: a, then the oauth_* ones (already in order).
    let mut params = vec![format!("a={}", pct("omg ok"))];
    params.extend(oauth.iter().map(|(k, v)| format!("{k}={}", pct(v))));
    let base_string = format!("GET&{}&{}", pct(&base_uri), pct(&params.join("&")));
    let key = format!("{}&", pct("D+EdQ-gs$-%@2Nu7"));
    assert_eq!(key, "D%2BEdQ-gs%24-%25%402Nu7&");
    let signature = hmac_sha1_base64(&key, &base_string);
    let header = |signature: &str| {
        let mut fields: Vec<String> = oauth.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
        fields.push(format!("oauth_signature=\"{}\"", pct(signature)));
        format!("OAuth realm=\"\",{}", fields.join(","))
    };
    let resp = c
        .get(srv.url("/oauth1?a=omg%20ok"))
        .header("authorization", header(&signature))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        json_of(resp).await,
        json!({"status": "pass", "message": "OAuth-1.0a signature verification was successful"})
    );

    let resp = c
        .get(srv.url("/oauth1?a=omg%20ok"))
        .header("authorization", header("x0gnkYdST73FwY8oAqtV2O9MzGc="))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let v = json_of(resp).await;
    assert_eq!(v["status"], "fail");
    assert_eq!(v["base_string"], base_string);
    assert_eq!(v["signing_key"], key);

    // The signature covers the query: the same header on another query fails.
    let resp = c
        .get(srv.url("/oauth1?a=other"))
        .header("authorization", header(&signature))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = c.get(srv.url("/oauth1")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

fn hawk_mac(normalized: &str) -> String {
    let key = "werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn";
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(normalized.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// Hawk's header MAC computed here from the spec's normalized string; the
/// primitive is checked against Hawk's published example first.
#[tokio::test]
async fn hawk_verifies_the_mac_and_refuses_a_bad_one() {
    assert_eq!(
        hawk_mac("hawk.1.header\n1353832234\nj4h3g2\nGET\n/resource/1?b=1&a=2\nexample.com\n8000\n\nsome-app-ext-data\n"),
        "6R4rV5iE+NPoym+WwjeHzjAGXUtLNIxmo1vpMofpLAE="
    );
    let srv = server();
    let c = client();
    let port = srv.addr().port();
    let (ts, nonce, ext) = ("1448888081", "eFRP2o", "skjdfklsjhdflkjhsdf");
    let normalized =
        format!("hawk.1.header\n{ts}\n{nonce}\nGET\n/auth/hawk?x=1\n127.0.0.1\n{port}\n\n{ext}\n");
    let mac = hawk_mac(&normalized);
    let header = |mac: &str| {
        format!("Hawk id=\"dh37fgj492je\", ts=\"{ts}\", nonce=\"{nonce}\", ext=\"{ext}\", mac=\"{mac}\"")
    };
    let resp = c
        .get(srv.url("/auth/hawk?x=1"))
        .header("authorization", header(&mac))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(
        json_of(resp).await,
        json!({"message": "Hawk Authentication Successful"})
    );

    // The corpus collection's stale header: its MAC was for postman-echo.com.
    let resp = c
        .get(srv.url("/auth/hawk?x=1"))
        .header(
            "authorization",
            header("moWleO5f/8QbvIiy7oo2zj1bmezhrYwrCkz4BsXg0M4="),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(resp.headers()[WWW_AUTHENTICATE], "Hawk error=\"Bad mac\"");
    // The MAC covers the resource.
    let resp = c
        .get(srv.url("/auth/hawk?x=2"))
        .header("authorization", header(&mac))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let resp = c.get(srv.url("/auth/hawk")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn oauth2_token_and_user_info() {
    let srv = server();
    let c = client();
    let v = json_of(c.post(srv.url("/oauth2/token")).send().await.unwrap()).await;
    assert_eq!(v["token_type"], "Bearer");
    let token = v["access_token"].as_str().unwrap();
    assert!(!token.is_empty());
    let resp = c
        .get(srv.url("/oauth2/user/info"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let v = json_of(resp).await;
    assert!(v.get("user_id").is_some() && v.get("name").is_some(), "{v}");
    let resp = c.get(srv.url("/oauth2/user/info")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn gzip_and_deflate_shapes() {
    use async_compression::tokio::bufread::{GzipDecoder, ZlibDecoder};
    let srv = server();
    for (route, token, flag) in [
        ("gzip", "gzip", "gzipped"),
        ("deflate", "deflate", "deflated"),
    ] {
        let resp = client()
            .get(srv.url(&format!("/{route}")))
            .header("x-a", "1")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.headers()["content-encoding"], token);
        assert_eq!(resp.headers()[CONTENT_TYPE], JSON_UTF8);
        let raw = resp.bytes().await.unwrap();
        let mut plain = Vec::new();
        if token == "gzip" {
            GzipDecoder::new(&raw[..])
                .read_to_end(&mut plain)
                .await
                .unwrap();
        } else {
            ZlibDecoder::new(&raw[..])
                .read_to_end(&mut plain)
                .await
                .unwrap();
        }
        let v: Value = serde_json::from_slice(&plain).unwrap();
        assert_eq!(v[flag], true);
        assert_eq!(v["method"], "GET");
        assert_eq!(v["headers"]["x-a"], "1");
    }
}

#[tokio::test]
async fn stream_sends_n_chunked_json_lines() {
    let srv = server();
    let request = "GET /stream/3?a=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n";
    let answer = raw_exchange(srv.addr(), request.as_bytes()).await;
    assert!(
        answer
            .to_ascii_lowercase()
            .contains("transfer-encoding: chunked"),
        "{answer}"
    );
    let lines: Vec<Value> = client()
        .get(srv.url("/stream/3?a=1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["id"], i);
        assert_eq!(line["args"], json!({"a": "1"}));
    }
}

#[tokio::test]
async fn utf8_html_and_xml_pages() {
    let srv = server();
    let c = client();
    let resp = c.get(srv.url("/encoding/utf8")).send().await.unwrap();
    assert_eq!(resp.headers()[CONTENT_TYPE], "text/html; charset=utf-8");
    let text = resp.text().await.unwrap();
    assert!(text.contains("你好") && text.contains("🍪"), "{text}");

    let resp = c.get(srv.url("/type/html?source=x")).send().await.unwrap();
    assert_eq!(
        resp.headers()[CONTENT_TYPE],
        "application/html; charset=utf-8"
    );
    assert_eq!(
        resp.text().await.unwrap(),
        "<!DOCTYPE html><html><head><title>Hello World!</title></head><body><h1>Hello World!</h1></body></html>"
    );
    let resp = c.get(srv.url("/type/xml")).send().await.unwrap();
    assert_eq!(
        resp.headers()[CONTENT_TYPE],
        "application/xml; charset=utf-8"
    );
    assert_eq!(
        resp.text().await.unwrap(),
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><food><key>Homestyle Breakfast</key><value>950</value></food>"
    );
}

#[tokio::test]
async fn redirect_to_takes_status_code_too() {
    let srv = server();
    let resp = client()
        .get(srv.url("/redirect-to?url=http://example.com/get&status_code=301"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(resp.headers()["location"], "http://example.com/get");
}

#[tokio::test]
async fn anything_and_root_stay_postie_echo() {
    let srv = server();
    for path in ["/", "/anything", "/anything/get", "/request"] {
        let v = json_of(client().post(srv.url(path)).body("x").send().await.unwrap()).await;
        assert_eq!(v["path"], path);
        assert_eq!(v["body"], "x");
    }
}

#[tokio::test]
async fn raw_echo_answers_with_the_request_bytes() {
    let srv = spawn_raw_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let request = "POSTMAN /%F0%9F%8D%AA/\"{|}\" HTTP/1.1\r\nHost: 127.0.0.1:4041\r\nContent-Type: application/json\r\nContent-Length: 16\r\n\r\n{ \"foo\": \"bar\" }";
    let started = Instant::now();
    let answer = raw_exchange(srv.addr(), request.as_bytes()).await;
    assert!(started.elapsed() < Duration::from_secs(2), "no fixed wait");
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200 ok\r\n"), "{head}");
    assert!(head.contains("connection: close"));
    assert!(head.contains("content-type: text/plain"));
    assert_eq!(body, request);
    let quoted = head
        .lines()
        .find_map(|l| l.strip_prefix("raw-request: "))
        .unwrap();
    assert_eq!(serde_json::from_str::<String>(quoted).unwrap(), request);

    // Through a real client: chunked body, and HEAD without a body.
    let resp = client()
        .post(srv.url("/x"))
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            vec![
                Ok::<_, std::io::Error>("wiki".to_string()),
                Ok("pedia".to_string()),
            ],
        )))
        .send()
        .await
        .unwrap();
    let text = resp.text().await.unwrap();
    assert!(text.starts_with("POST /x HTTP/1.1\r\n"), "{text}");
    assert!(
        text.contains("wiki") && text.contains("pedia") && text.ends_with("0\r\n\r\n"),
        "{text}"
    );
    let resp = client().head(srv.url("/")).send().await.unwrap();
    let raw = resp.headers()["raw-request"].to_str().unwrap().to_owned();
    assert!(raw.starts_with("\"HEAD / HTTP/1.1\\r\\n"), "{raw}");
    assert!(resp.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn raw_echo_does_not_hang_on_a_short_body_or_a_silent_client() {
    let srv = spawn_raw_background("127.0.0.1:0".parse().unwrap()).unwrap();
    // Content-Length promises more than comes, then the client half-closes.
    let mut stream = tokio::net::TcpStream::connect(srv.addr()).await.unwrap();
    stream
        .write_all(b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort")
        .await
        .unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = String::new();
    tokio::time::timeout(Duration::from_secs(3), stream.read_to_string(&mut answer))
        .await
        .unwrap()
        .unwrap();
    assert!(
        answer.ends_with("\r\n\r\nPOST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort"),
        "{answer}"
    );

    // A client that connects and sends nothing is dropped, not served forever.
    let mut idle = tokio::net::TcpStream::connect(srv.addr()).await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(
        super::newman::RAW_IDLE_TIMEOUT + Duration::from_secs(2),
        idle.read_to_end(&mut buf),
    )
    .await;
    assert!(matches!(read, Ok(Ok(0))), "{read:?}");
}

#[tokio::test]
async fn raw_echo_refuses_oversized_requests() {
    let srv = spawn_raw_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let mut stream = tokio::net::TcpStream::connect(srv.addr()).await.unwrap();
    let big = vec![b'a'; super::newman::RAW_LIMIT + 1];
    let mut request =
        format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", big.len()).into_bytes();
    request.extend_from_slice(&big);
    // The server may close before all is written; that is the point.
    let _ = stream.write_all(&request).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    let shown: String = answer.chars().take(200).collect();
    assert!(answer.starts_with("HTTP/1.1 413"), "{shown}");
}

#[tokio::test]
async fn redirect_server_counts_down_and_echoes() {
    let srv = spawn_redirect_background("127.0.0.1:0".parse().unwrap()).unwrap();
    let c = client();
    let resp = c.get(srv.url("/3")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert_eq!(resp.headers()["location"], "/2");
    let resp = c.get(srv.url("/1")).send().await.unwrap();
    assert_eq!(resp.headers()["location"], "/");
    for code in [301u16, 307, 308] {
        let resp = c
            .put(srv.url(&format!("/status/{code}")))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), code);
        assert_eq!(resp.headers()["location"], "/");
    }

    let resp = c
        .put(srv.url("/?a=1"))
        .header("referer", "INITIAL_REFERER")
        .header("x-rep", "1")
        .header("x-rep", "2")
        .body("POSTMAN")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["connection"], "close");
    let v = json_of(resp).await;
    assert_eq!(v["url"], "/?a=1");
    assert_eq!(v["method"], "PUT");
    assert_eq!(v["data"], "POSTMAN");
    assert_eq!(v["headers"]["referer"], "INITIAL_REFERER");
    assert_eq!(v["headers"]["x-rep"], "1, 2");

    // A following client: 307 keeps the method and body, 302 turns POST into GET.
    let following = Client::builder().no_proxy().build().unwrap();
    let v = json_of(
        following
            .post(srv.url("/status/307"))
            .body("B")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (v["url"].as_str(), v["method"].as_str(), v["data"].as_str()),
        (Some("/"), Some("POST"), Some("B"))
    );
    let v = json_of(
        following
            .post(srv.url("/3"))
            .body("B")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (v["url"].as_str(), v["method"].as_str(), v["data"].as_str()),
        (Some("/"), Some("GET"), Some(""))
    );
}
