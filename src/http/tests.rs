//! End-to-end tests of the executor against local hyper servers.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use md5::{Digest as _, Md5};
use tokio::io::AsyncReadExt;

use super::test_server::*;
use super::*;

fn exec() -> Executor {
    spawn_executor(ClientConfig::default())
}

fn header<'a>(r: &'a Response, name: &str) -> Vec<&'a [u8]> {
    r.headers
        .iter()
        .filter(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value.as_slice())
        .collect()
}

async fn compress(kind: &str, data: &[u8]) -> Vec<u8> {
    use async_compression::tokio::bufread::*;
    let mut out = Vec::new();
    match kind {
        "gzip" => GzipEncoder::new(data).read_to_end(&mut out).await,
        "zlib" => ZlibEncoder::new(data).read_to_end(&mut out).await,
        "deflate" => DeflateEncoder::new(data).read_to_end(&mut out).await,
        "br" => BrotliEncoder::new(data).read_to_end(&mut out).await,
        "zstd" => ZstdEncoder::new(data).read_to_end(&mut out).await,
        _ => unreachable!(),
    }
    .unwrap();
    out
}

#[derive(Clone, Default)]
struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct BrokenPipe;

impl Write for BrokenPipe {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::BrokenPipe.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn get_returns_status_headers_and_body() {
    let server = serve(|req: Req| async move {
        let (parts, _) = body_of(req).await;
        let mut resp = respond(
            200,
            &[
                ("x-multi", "one"),
                ("x-multi", "two"),
                ("content-type", "text/plain"),
            ],
            full(format!(
                "{} {} ua-set={} ae={} x-a={}",
                parts.method,
                parts.uri,
                parts.headers.contains_key("user-agent"),
                header_of(&parts, "accept-encoding"),
                header_of(&parts, "x-a"),
            )),
        );
        resp.headers_mut().insert(
            "x-raw",
            hyper::header::HeaderValue::from_bytes(b"caf\xe9").unwrap(),
        );
        resp
    })
    .await;
    let mut ex = exec();
    let mut req = get(&server.url("/path?q=1"));
    req.headers = vec![("X-A".into(), "1".into()), ("x-a".into(), "2".into())];
    let r = send(&mut ex, 1, req).await.unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.reason, "OK");
    assert_eq!(r.version, "HTTP/1.1");
    assert_eq!(r.url, server.url("/path?q=1"));
    assert_eq!(
        String::from_utf8(r.body.clone()).unwrap(),
        "GET /path?q=1 ua-set=false ae=gzip, deflate, br, zstd x-a=1 | 2"
    );
    assert_eq!(header(&r, "x-multi"), vec![&b"one"[..], &b"two"[..]]);
    assert_eq!(header(&r, "x-raw"), vec![&b"caf\xe9"[..]]);
    assert_eq!(r.wire_size, r.body.len() as u64);
    assert_eq!(r.decoded_size, r.body.len() as u64);
    assert!(!r.truncated);
    assert!(r.redirects.is_empty());
    assert!(r.timings.ttfb <= r.timings.total);
}

#[tokio::test]
async fn user_accept_encoding_is_kept_and_the_body_left_alone() {
    let server = serve(|req: Req| async move {
        let (parts, _) = body_of(req).await;
        let ae = header_of(&parts, "accept-encoding");
        respond(200, &[("content-encoding", "gzip")], full(ae))
    })
    .await;
    let mut ex = exec();
    let mut req = get(&server.url("/"));
    req.headers = vec![("Accept-Encoding".into(), "identity".into())];
    // The body claims gzip but is not: it must come back as a decode error,
    // which shows the user's header was sent and decoding still applies.
    let err = send(&mut ex, 1, req).await.unwrap_err();
    assert!(
        matches!(&err, SendError::Protocol(m) if m.starts_with("could not decode gzip body")),
        "{err:?}"
    );
}

#[tokio::test]
async fn head_and_204_have_no_body() {
    let server = serve(|req: Req| async move {
        if req.uri().path() == "/empty" {
            return respond(204, &[], full(""));
        }
        respond(200, &[("content-length", "5")], full("hello"))
    })
    .await;
    let mut ex = exec();
    let r = send(&mut ex, 1, request("HEAD", &server.url("/")))
        .await
        .unwrap();
    assert_eq!((r.status, r.body.len(), r.wire_size), (200, 0, 0));
    assert_eq!(header(&r, "content-length"), vec![&b"5"[..]]);
    let r = send(&mut ex, 2, get(&server.url("/empty"))).await.unwrap();
    assert_eq!(
        (r.status, r.reason.as_str(), r.body.len()),
        (204, "No Content", 0)
    );
}

#[tokio::test]
async fn many_requests_run_at_once() {
    let server = serve(|_req: Req| async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        respond(200, &[], full("ok"))
    })
    .await;
    let mut ex = exec();
    let started = Instant::now();
    for id in 0..20 {
        start(&ex, id, get(&server.url("/")), BodyTarget::Memory).await;
    }
    let mut done = std::collections::HashSet::new();
    while done.len() < 20 {
        let ev = tokio::time::timeout(DEADLINE, ex.events.recv())
            .await
            .unwrap()
            .unwrap();
        if let Event::Finished { id, response } = ev {
            assert_eq!(response.body, b"ok");
            done.insert(id);
        } else {
            assert!(
                matches!(
                    ev,
                    Event::Started { .. } | Event::Head { .. } | Event::Progress { .. }
                ),
                "{ev:?}"
            );
        }
    }
    // One after the other would take 6 s.
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cancel_stops_a_download_at_once() {
    let server = serve(|_req: Req| async move {
        respond(
            200,
            &[],
            trickle(
                Bytes::from(vec![b'x'; 1024]),
                100_000,
                Duration::from_millis(10),
            ),
        )
    })
    .await;
    let mut ex = exec();
    start(&ex, 7, get(&server.url("/slow")), BodyTarget::Memory).await;
    let events = &mut ex.events;
    let first = tokio::time::timeout(DEADLINE, events.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(first, Event::Started { id: RequestId(7) }),
        "{first:?}"
    );
    // The head arrives before the body, then the body flows.
    let head = tokio::time::timeout(DEADLINE, events.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(matches!(head, Event::Head { .. }), "{head:?}");
    let flowing = tokio::time::timeout(DEADLINE, events.recv())
        .await
        .unwrap()
        .unwrap();
    assert!(
        matches!(flowing, Event::Progress { received, .. } if received > 0),
        "{flowing:?}"
    );
    let asked = Instant::now();
    ex.commands
        .send(Command::Cancel(RequestId(7)))
        .await
        .unwrap();
    loop {
        match tokio::time::timeout(DEADLINE, ex.events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            Event::Progress { .. } => {}
            Event::Failed {
                id,
                error: SendError::Cancelled,
            } => {
                assert_eq!(id, RequestId(7));
                break;
            }
            ev => panic!("unexpected {ev:?}"),
        }
    }
    assert!(asked.elapsed() < Duration::from_secs(1));
    // Nothing more for it, and the executor ends once its sender is gone.
    drop(ex.commands);
    let rest = tokio::time::timeout(DEADLINE, ex.events.recv())
        .await
        .unwrap();
    assert!(rest.is_none(), "{rest:?}");
}

#[tokio::test]
async fn progress_is_throttled_and_ends_with_finished() {
    let server = serve(|_req: Req| async move {
        respond(
            200,
            &[("content-length", "4194304")],
            chunked(vec![1; 4 << 20], 1024),
        )
    })
    .await;
    let mut ex = exec();
    start(&ex, 1, get(&server.url("/")), BodyTarget::Memory).await;
    let mut progress = 0;
    loop {
        match tokio::time::timeout(DEADLINE, ex.events.recv())
            .await
            .unwrap()
            .unwrap()
        {
            Event::Started { .. } | Event::Head { .. } => {}
            Event::Progress {
                total, received, ..
            } => {
                assert_eq!(total, Some(4 << 20));
                assert!(received <= 4 << 20);
                progress += 1;
            }
            Event::Finished { response, .. } => {
                assert_eq!(response.body.len(), 4 << 20);
                break;
            }
            ev => panic!("unexpected {ev:?}"),
        }
    }
    // 4 MiB in 1 KiB chunks: one event per chunk would be 4096.
    assert!(progress <= 64, "{progress} progress events");
}

#[tokio::test]
async fn plain_body_is_cut_at_the_cap() {
    let server = serve(|req: Req| async move {
        let size = if req.uri().path() == "/exact" {
            1000
        } else {
            5 << 20
        };
        respond(200, &[], chunked(vec![7; size], 64 * 1024))
    })
    .await;
    let mut ex = exec();
    let mut req = get(&server.url("/big"));
    req.settings.max_body_bytes = 1 << 20;
    let r = send(&mut ex, 1, req).await.unwrap();
    assert!(r.truncated);
    assert_eq!(r.body.len(), 1 << 20);
    assert_eq!(r.decoded_size, 1 << 20);
    assert!(r.wire_size < 5 << 20);

    let mut req = get(&server.url("/exact"));
    req.settings.max_body_bytes = 1000;
    let r = send(&mut ex, 2, req).await.unwrap();
    assert!(!r.truncated);
    assert_eq!(r.body.len(), 1000);
}

#[tokio::test]
async fn gzip_bomb_stops_at_the_cap_quickly() {
    // 1024 gzip members of 1 MiB of zeros: ~1 MiB on the wire, 1 GiB inflated.
    let member = compress("gzip", &vec![0u8; 1 << 20]).await;
    let bomb: Vec<u8> = member.repeat(1024);
    let bomb_len = bomb.len() as u64;
    let bomb = Bytes::from(bomb);
    let server = serve(move |_req: Req| {
        let bomb = bomb.clone();
        async move { respond(200, &[("content-encoding", "gzip")], full(bomb)) }
    })
    .await;
    let mut ex = exec();
    let mut req = get(&server.url("/bomb"));
    req.settings.max_body_bytes = 1 << 20;
    let began = Instant::now();
    let r = send(&mut ex, 1, req).await.unwrap();
    assert!(
        began.elapsed() < Duration::from_secs(3),
        "{:?}",
        began.elapsed()
    );
    assert!(r.truncated);
    assert_eq!(r.body.len(), 1 << 20);
    assert_eq!(r.decoded_size, 1 << 20);
    assert!(r.body.iter().all(|b| *b == 0));
    assert!(r.wire_size < bomb_len, "{} of {bomb_len}", r.wire_size);
}

#[tokio::test]
async fn content_encodings_are_decoded_with_both_sizes_counted() {
    let original: Vec<u8> = (0..50_000u32)
        .flat_map(|i| (i % 97).to_le_bytes())
        .collect();
    let gzip = compress("gzip", &original).await;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("gzip", gzip.clone()),
        ("x-gzip", gzip.clone()),
        ("deflate", compress("zlib", &original).await),
        // Raw deflate mislabelled as deflate is common enough to accept.
        ("deflate", compress("deflate", &original).await),
        ("br", compress("br", &original).await),
        ("zstd", compress("zstd", &original).await),
        // Applied gzip first, then br: decoded br first.
        ("gzip, br", compress("br", &gzip).await),
        ("identity", original.clone()),
    ];
    let mut ex = exec();
    for (i, (enc, wire)) in cases.into_iter().enumerate() {
        let wire_len = wire.len() as u64;
        let wire = Bytes::from(wire);
        let server = serve(move |_req: Req| {
            let wire = wire.clone();
            async move {
                respond(
                    200,
                    &[("content-encoding", enc)],
                    chunked(wire.to_vec(), 777),
                )
            }
        })
        .await;
        let r = send(&mut ex, i as u64, get(&server.url("/")))
            .await
            .unwrap();
        assert!(r.body == original, "{enc}: body differs");
        assert_eq!(r.wire_size, wire_len, "{enc}");
        assert_eq!(r.decoded_size, original.len() as u64, "{enc}");
    }
}

#[tokio::test]
async fn unknown_encodings_are_left_alone_and_corrupt_ones_fail() {
    let server = serve(|req: Req| async move {
        match req.uri().path() {
            "/unknown" => respond(200, &[("content-encoding", "compress")], full("raw bytes")),
            _ => respond(
                200,
                &[("content-encoding", "gzip")],
                full(vec![0x1f, 0x8b, 8, 0, 1, 2, 3]),
            ),
        }
    })
    .await;
    let mut ex = exec();
    let r = send(&mut ex, 1, get(&server.url("/unknown")))
        .await
        .unwrap();
    assert_eq!(r.body, b"raw bytes");
    let err = send(&mut ex, 2, get(&server.url("/corrupt")))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SendError::Protocol(m) if m.starts_with("could not decode gzip body: ")),
        "{err:?}"
    );
}

/// Redirects by path; `/echo` describes the request it got.
async fn redirect_server() -> TestServer {
    serve(|req: Req| async move {
        let path = req.uri().path().to_string();
        let to = |status: u16, loc: &str| respond(status, &[("location", loc)], full(""));
        match path.as_str() {
            "/a" => to(302, "/b"),
            "/b" => to(301, "c"),
            "/c" => respond(200, &[], full("end")),
            "/303" => to(303, "/echo"),
            "/302" => to(302, "/echo"),
            "/307" => to(307, "/echo"),
            "/308" => to(308, "/echo"),
            "/loop" => to(302, "/loop"),
            "/to-referer" => to(302, "/referer"),
            "/referer" => {
                let (parts, _) = body_of(req).await;
                let referer = header_of(&parts, "referer");
                respond(
                    200,
                    &[],
                    full(format!("{} referer={referer}", parts.method)),
                )
            }
            _ => {
                let (parts, body) = body_of(req).await;
                respond(
                    200,
                    &[],
                    full(format!(
                        "{} ct={} cl={} auth={} cookie={} keep={} body={}",
                        parts.method,
                        header_of(&parts, "content-type"),
                        header_of(&parts, "content-length"),
                        header_of(&parts, "authorization"),
                        header_of(&parts, "cookie"),
                        header_of(&parts, "x-keep"),
                        String::from_utf8_lossy(&body)
                    )),
                )
            }
        }
    })
    .await
}

fn text(r: &Response) -> String {
    String::from_utf8(r.body.clone()).unwrap()
}

fn post(url: &str, body: &str) -> PreparedRequest {
    let mut req = request("POST", url);
    req.headers = vec![("Content-Type".into(), "text/plain".into())];
    req.body = PreparedBody::Bytes(body.as_bytes().to_vec());
    req
}

#[tokio::test]
async fn redirect_chain_is_recorded() {
    let s = redirect_server().await;
    let mut ex = exec();
    let r = send(&mut ex, 1, get(&s.url("/a"))).await.unwrap();
    assert_eq!(text(&r), "end");
    assert_eq!(r.url, s.url("/c"));
    assert_eq!(
        r.redirects
            .iter()
            .map(|h| (h.status, h.url.clone(), h.location.clone()))
            .collect::<Vec<_>>(),
        vec![
            (302, s.url("/a"), "/b".to_string()),
            (301, s.url("/b"), "c".to_string()),
        ]
    );
    assert!(r.timings.ttfb <= r.timings.total);
}

#[tokio::test]
async fn redirect_methods_and_bodies() {
    let s = redirect_server().await;
    let mut ex = exec();
    let r = send(&mut ex, 1, post(&s.url("/303"), "data"))
        .await
        .unwrap();
    assert_eq!(text(&r), "GET ct= cl= auth= cookie= keep= body=");
    let r = send(&mut ex, 2, post(&s.url("/302"), "data"))
        .await
        .unwrap();
    assert_eq!(text(&r), "GET ct= cl= auth= cookie= keep= body=");
    let r = send(&mut ex, 3, post(&s.url("/307"), "data"))
        .await
        .unwrap();
    assert_eq!(
        text(&r),
        "POST ct=text/plain cl=4 auth= cookie= keep= body=data"
    );

    // A file body is read again for the second hop.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("up.txt");
    std::fs::write(&path, "from disk").unwrap();
    let mut req = request("PUT", &s.url("/308"));
    req.body = PreparedBody::File(path);
    let r = send(&mut ex, 4, req).await.unwrap();
    assert_eq!(text(&r), "PUT ct= cl=9 auth= cookie= keep= body=from disk");
    assert_eq!(r.redirects.len(), 1);
}

#[tokio::test]
async fn redirects_switch_to_get_unless_told_and_name_the_referer() {
    let s = redirect_server().await;
    let mut ex = exec();
    let r = send(&mut ex, 1, request("DELETE", &s.url("/302")))
        .await
        .unwrap();
    assert_eq!(text(&r), "GET ct= cl= auth= cookie= keep= body=");

    let mut req = post(&s.url("/302"), "x");
    req.settings.follow_original_method = true;
    let r = send(&mut ex, 2, req).await.unwrap();
    assert_eq!(
        text(&r),
        "POST ct=text/plain cl=1 auth= cookie= keep= body=x"
    );

    let r = send(&mut ex, 3, get(&s.url("/to-referer"))).await.unwrap();
    assert_eq!(text(&r), format!("GET referer={}", s.url("/to-referer")));
    let mut req = get(&s.url("/to-referer"));
    req.headers = vec![("Referer".into(), "mine".into())];
    req.settings.remove_referer_on_redirect = true;
    let r = send(&mut ex, 4, req).await.unwrap();
    assert_eq!(text(&r), "GET referer=mine");
}

/// Reads one request head from a raw socket, so the names' case as sent
/// shows (hyper's server would lower-case them), and answers 200 with it.
async fn raw_echo_once() -> (String, tokio::task::JoinHandle<String>) {
    use tokio::io::AsyncWriteExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = sock.read(&mut buf).await.unwrap();
            assert!(n > 0, "the request ended early");
            head.extend_from_slice(&buf[..n]);
        }
        let reply = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";
        sock.write_all(reply).await.unwrap();
        String::from_utf8_lossy(&head).into_owned()
    });
    (url, task)
}

#[tokio::test]
async fn http1_names_go_out_as_written_and_bodiless_methods_say_so() {
    let mut ex = exec();
    let (url, seen) = raw_echo_once().await;
    let mut req = request("POSTMAN", &url);
    req.headers = vec![("X-Custom-Name".into(), "v".into())];
    send(&mut ex, 1, req).await.unwrap();
    let head = tokio::time::timeout(DEADLINE, seen).await.unwrap().unwrap();
    assert!(head.starts_with("POSTMAN / HTTP/1.1\r\n"), "{head}");
    assert!(head.contains("\r\nX-Custom-Name: v\r\n"), "{head}");
    assert!(head.contains("\r\nContent-Length: 0\r\n"), "{head}");

    // A pruned body stays home; a plain GET says nothing of a length.
    let (url, seen) = raw_echo_once().await;
    let mut req = post(&url, "data");
    req.method = "GET".into();
    req.headers.clear();
    req.settings.omit_body = true;
    send(&mut ex, 2, req).await.unwrap();
    let head = tokio::time::timeout(DEADLINE, seen).await.unwrap().unwrap();
    assert!(
        !head.to_ascii_lowercase().contains("content-length"),
        "{head}"
    );
}

#[tokio::test]
async fn not_following_returns_the_3xx_and_loops_stop() {
    let s = redirect_server().await;
    let mut ex = exec();
    let mut req = get(&s.url("/a"));
    req.settings.follow_redirects = false;
    let r = send(&mut ex, 1, req).await.unwrap();
    assert_eq!(r.status, 302);
    assert_eq!(header(&r, "location"), vec![&b"/b"[..]]);
    assert!(r.redirects.is_empty());

    let mut req = get(&s.url("/loop"));
    req.settings.max_redirects = 3;
    let err = send(&mut ex, 2, req).await.unwrap_err();
    assert!(matches!(err, SendError::TooManyRedirects(3)), "{err:?}");
}

#[tokio::test]
async fn credentials_are_dropped_only_across_origins() {
    let other = redirect_server().await;
    let target = other.url("/echo");
    let s = serve(move |req: Req| {
        let target = target.clone();
        async move {
            match req.uri().path() {
                "/cross" => respond(302, &[("location", target.as_str())], full("")),
                "/same" => respond(302, &[("location", "/echo-here")], full("")),
                _ => {
                    let (parts, _) = body_of(req).await;
                    respond(
                        200,
                        &[],
                        full(format!(
                            "auth={} cookie={} keep={}",
                            header_of(&parts, "authorization"),
                            header_of(&parts, "cookie"),
                            header_of(&parts, "x-keep")
                        )),
                    )
                }
            }
        }
    })
    .await;
    let with_creds = |url: String| {
        let mut req = get(&url);
        req.headers = vec![
            ("authorization".into(), "Bearer t".into()),
            ("COOKIE".into(), "a=1".into()),
            ("Proxy-Authorization".into(), "Basic x".into()),
            ("X-Keep".into(), "yes".into()),
        ];
        req
    };
    let mut ex = exec();
    let r = send(&mut ex, 1, with_creds(s.url("/cross"))).await.unwrap();
    assert_eq!(text(&r), "GET ct= cl= auth= cookie= keep=yes body=");
    let r = send(&mut ex, 2, with_creds(s.url("/same"))).await.unwrap();
    assert_eq!(text(&r), "auth=Bearer t cookie=a=1 keep=yes");
    let mut req = with_creds(s.url("/cross"));
    req.settings.follow_authorization_header = true;
    let r = send(&mut ex, 3, req).await.unwrap();
    assert_eq!(text(&r), "GET ct= cl= auth=Bearer t cookie= keep=yes body=");
}

#[tokio::test]
async fn the_timeout_covers_headers_and_body() {
    let server = serve(|req: Req| async move {
        if req.uri().path() == "/slow-headers" {
            tokio::time::sleep(Duration::from_secs(5)).await;
            return respond(200, &[], full(""));
        }
        respond(
            200,
            &[],
            trickle(Bytes::from_static(b"x"), 1000, Duration::from_millis(20)),
        )
    })
    .await;
    let mut ex = exec();
    for (id, path) in [(1, "/slow-headers"), (2, "/slow-body")] {
        let mut req = get(&server.url(path));
        req.settings.timeout = Some(Duration::from_millis(300));
        let began = Instant::now();
        let err = send(&mut ex, id, req).await.unwrap_err();
        assert!(
            matches!(err, SendError::Timeout(d) if d == Duration::from_millis(300)),
            "{err:?}"
        );
        assert!(began.elapsed() < Duration::from_secs(2));
    }
}

#[tokio::test]
async fn connection_refused_names_the_host() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let mut ex = exec();
    let err = send(&mut ex, 1, get(&format!("http://127.0.0.1:{port}/")))
        .await
        .unwrap_err();
    match err {
        SendError::Refused { host } => assert_eq!(host, format!("127.0.0.1:{port}")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn invalid_parts_are_named() {
    let mut ex = exec();
    let cases: Vec<(PreparedRequest, &str)> = vec![
        (request("GE T", "http://127.0.0.1:1/"), "method"),
        (get("not a url"), "URL"),
        (get("ftp://127.0.0.1/"), "scheme"),
        (
            {
                let mut r = get("http://127.0.0.1:1/");
                r.headers = vec![("bad name".into(), "v".into())];
                r
            },
            "header name `bad name`",
        ),
        (
            {
                let mut r = get("http://127.0.0.1:1/");
                r.headers = vec![("X-Ok".into(), "line\nbreak".into())];
                r
            },
            "value for header `X-Ok`",
        ),
    ];
    for (i, (req, what)) in cases.into_iter().enumerate() {
        let err = send(&mut ex, i as u64, req).await.unwrap_err();
        assert!(
            matches!(&err, SendError::InvalidRequest(m) if m.contains(what)),
            "{what}: {err:?}"
        );
    }
    // Any token is a method.
    let server =
        serve(|req: Req| async move { respond(200, &[], full(req.method().to_string())) }).await;
    let r = send(&mut ex, 9, request("PURGE", &server.url("/")))
        .await
        .unwrap();
    assert_eq!(r.body, b"PURGE");
}

fn digest_params(header: &str) -> std::collections::HashMap<String, String> {
    header
        .trim_start_matches("Digest ")
        .split(", ")
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches('"').to_string()))
        .collect()
}

fn md5_hex(s: &str) -> String {
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn digest_auth_answers_the_challenge() {
    let server = serve(|req: Req| async move {
        let (parts, _) = body_of(req).await;
        if parts.uri.path() == "/none" {
            return respond(401, &[("www-authenticate", "Basic realm=\"x\"")], full("no"));
        }
        let auth = header_of(&parts, "authorization");
        if auth.is_empty() {
            return respond(
                401,
                &[(
                    "www-authenticate",
                    "Digest realm=\"test\", qop=\"auth\", nonce=\"n0nce\", opaque=\"op4que\", algorithm=MD5",
                )],
                full("challenge"),
            );
        }
        let p = digest_params(&auth);
        let ha1 = md5_hex("alice:test:s3cret");
        let ha2 = md5_hex(&format!("{}:{}", parts.method, p["uri"]));
        let expected = md5_hex(&format!("{ha1}:n0nce:{}:{}:auth:{ha2}", p["nc"], p["cnonce"]));
        let ok = p["response"] == expected
            && p["uri"] == parts.uri.to_string()
            && p["nc"] == "00000001"
            && p["qop"] == "auth"
            && p["opaque"] == "op4que"
            && p["username"] == "alice";
        if ok {
            respond(200, &[], full("welcome"))
        } else {
            respond(403, &[], full(auth))
        }
    })
    .await;
    let mut ex = exec();
    let creds = DigestCredentials {
        username: "alice".into(),
        password: "s3cret".into(),
    };
    let mut req = get(&server.url("/private?x=1"));
    req.auth = Some(HopAuth::Digest(creds.clone()));
    let r = send(&mut ex, 1, req).await.unwrap();
    assert_eq!((r.status, text(&r).as_str()), (200, "welcome"));

    // A target url::Url would rewrite goes out raw, and is signed as sent.
    let mut req = get(&server.url("/./private?x=1"));
    req.auth = Some(HopAuth::Digest(creds.clone()));
    let r = send(&mut ex, 4, req).await.unwrap();
    assert_eq!((r.status, text(&r).as_str()), (200, "welcome"));

    let mut req = get(&server.url("/private"));
    req.auth = Some(HopAuth::Digest(DigestCredentials {
        password: "wrong".into(),
        ..creds.clone()
    }));
    assert_eq!(send(&mut ex, 2, req).await.unwrap().status, 403);

    let mut req = get(&server.url("/none"));
    req.auth = Some(HopAuth::Digest(creds));
    let r = send(&mut ex, 3, req).await.unwrap();
    assert_eq!((r.status, text(&r).as_str()), (401, "no"));
}

#[tokio::test]
async fn cookies_are_sent_back_and_persisted() {
    let server = serve(|req: Req| async move {
        let (parts, _) = body_of(req).await;
        if parts.uri.path() == "/set" {
            return respond(
                200,
                &[
                    ("set-cookie", "sid=abc; Path=/"),
                    ("set-cookie", "keep=1; Max-Age=3600; Path=/"),
                ],
                full(""),
            );
        }
        respond(200, &[], full(header_of(&parts, "cookie")))
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("cookies.json");
    let config = ClientConfig {
        cookie_file: Some(file.clone()),
        ..ClientConfig::default()
    };
    let mut ex = spawn_executor(config.clone());
    send(&mut ex, 1, get(&server.url("/set"))).await.unwrap();
    let sent = text(&send(&mut ex, 2, get(&server.url("/echo"))).await.unwrap());
    let mut got: Vec<&str> = sent.split("; ").collect();
    got.sort();
    assert_eq!(got, vec!["keep=1", "sid=abc"]);
    drop(ex);

    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.contains("sid") && saved.contains("keep"), "{saved}");
    // A new executor (the next `postie send`) keeps the session.
    let mut ex = spawn_executor(config);
    let sent = text(&send(&mut ex, 1, get(&server.url("/echo"))).await.unwrap());
    assert!(
        sent.contains("sid=abc") && sent.contains("keep=1"),
        "{sent}"
    );
}

#[tokio::test]
async fn writer_target_gets_the_body_and_a_closed_pipe_ends_quietly() {
    let server =
        serve(|_req: Req| async move { respond(200, &[], chunked(vec![b'z'; 300_000], 10_000)) })
            .await;
    let mut ex = exec();
    let out = SharedWriter::default();
    let r = send_to(
        &mut ex,
        1,
        get(&server.url("/")),
        BodyTarget::Writer(Box::new(out.clone())),
    )
    .await
    .unwrap();
    assert!(r.body.is_empty());
    assert_eq!((r.wire_size, r.decoded_size), (300_000, 300_000));
    assert_eq!(out.0.lock().unwrap().len(), 300_000);

    let err = send_to(
        &mut ex,
        2,
        get(&server.url("/")),
        BodyTarget::Writer(Box::new(BrokenPipe)),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, SendError::Write { .. }), "{err:?}");
}

#[tokio::test]
async fn file_bodies_stream_with_their_length() {
    let server = serve(|req: Req| async move {
        let (parts, body) = body_of(req).await;
        respond(
            200,
            &[],
            full(format!(
                "cl={} te={} len={}",
                header_of(&parts, "content-length"),
                header_of(&parts, "transfer-encoding"),
                body.len()
            )),
        )
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.bin");
    std::fs::write(&path, vec![3u8; 1_000_000]).unwrap();
    let mut ex = exec();
    let mut req = request("POST", &server.url("/"));
    req.body = PreparedBody::File(path.clone());
    let r = send(&mut ex, 1, req).await.unwrap();
    assert_eq!(text(&r), "cl=1000000 te= len=1000000");

    let mut req = request("POST", &server.url("/"));
    req.body = PreparedBody::File(dir.path().join("missing.bin"));
    match send(&mut ex, 2, req).await.unwrap_err() {
        SendError::File { path: p, .. } => assert_eq!(p, dir.path().join("missing.bin")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn http_version_preference_is_applied() {
    let server =
        serve(|req: Req| async move { respond(200, &[], full(format!("{:?}", req.version()))) })
            .await;
    let mut ex = exec();
    let mut req = get(&server.url("/"));
    req.settings.http_version = HttpVersionPref::Http2;
    let r = send(&mut ex, 1, req).await.unwrap();
    assert_eq!(
        (r.version.as_str(), text(&r).as_str()),
        ("HTTP/2", "HTTP/2.0")
    );
    let mut req = get(&server.url("/"));
    req.settings.http_version = HttpVersionPref::Http1;
    let r = send(&mut ex, 2, req).await.unwrap();
    assert_eq!(r.version, "HTTP/1.1");
}

#[tokio::test]
async fn tls_setup_is_lazy_and_tls_failures_are_tls_errors() {
    let server = serve(|_req: Req| async move { respond(200, &[], full("plain")) }).await;
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-ca.pem");
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(missing.clone()),
        ..ClientConfig::default()
    });
    // Plain http never reads the CA file.
    let r = send(&mut ex, 1, get(&server.url("/"))).await.unwrap();
    assert_eq!(r.body, b"plain");
    let https = format!("https://{}/", server.addr);
    match send(&mut ex, 2, get(&https)).await.unwrap_err() {
        SendError::File { path, .. } => assert_eq!(path, missing),
        other => panic!("{other:?}"),
    }

    // Bad certificate files are clear errors, not panics.
    let garbage = dir.path().join("garbage.pem");
    std::fs::write(&garbage, "not a certificate").unwrap();
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(garbage.clone()),
        ..ClientConfig::default()
    });
    match send(&mut ex, 4, get(&https)).await.unwrap_err() {
        SendError::File { path, message } => {
            assert_eq!(path, garbage);
            assert!(message.contains("no PEM certificate"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut ex = spawn_executor(ClientConfig {
        client_cert: Some(garbage.clone()),
        client_key: Some(missing.clone()),
        ..ClientConfig::default()
    });
    match send(&mut ex, 5, get(&https)).await.unwrap_err() {
        SendError::File { path, .. } => assert_eq!(path, missing),
        other => panic!("{other:?}"),
    }
    let mut ex = spawn_executor(ClientConfig {
        client_cert: Some(garbage),
        ..ClientConfig::default()
    });
    match send(&mut ex, 6, get(&https)).await.unwrap_err() {
        SendError::Tls { message, .. } => {
            assert!(message.contains("client certificate"), "{message}")
        }
        other => panic!("{other:?}"),
    }

    // A TLS handshake against a plain-http server fails as TLS, in one line.
    let mut ex = exec();
    match send(&mut ex, 3, get(&https)).await.unwrap_err() {
        SendError::Tls { host, message, .. } => {
            assert_eq!(host, server.addr.to_string());
            assert!(!message.is_empty() && !message.contains('\n'), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn works_on_a_current_thread_runtime_and_ends_when_dropped() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let server = serve(|_req: Req| async move { respond(200, &[], full("hi")) }).await;
        let mut ex = exec();
        let r = send(&mut ex, 1, get(&server.url("/"))).await.unwrap();
        assert_eq!(r.body, b"hi");
        drop(ex.commands);
        let end = tokio::time::timeout(DEADLINE, ex.events.recv())
            .await
            .unwrap();
        assert!(end.is_none());
    });
}

#[tokio::test]
async fn url_userinfo_is_sent_as_basic_auth_and_a_header_wins() {
    let server = serve(|req: Req| async move {
        let (parts, _) = body_of(req).await;
        respond(200, &[], full(header_of(&parts, "authorization")))
    })
    .await;
    let mut ex = exec();
    // The last `@` ends the userinfo, as WHATWG (and newman) read it.
    let url = format!("http://us@r:p@ssword@{}/get", server.addr);
    let r = send(&mut ex, 1, get(&url)).await.unwrap();
    assert_eq!(text(&r), "Basic dXNAcjpwQHNzd29yZA==");

    let mut req = get(&url);
    req.headers = vec![("Authorization".into(), "Bearer t".into())];
    let r = send(&mut ex, 2, req).await.unwrap();
    assert_eq!(text(&r), "Bearer t");
}
