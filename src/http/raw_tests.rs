//! The raw path (`raw.rs`) end to end through the executor: targets kept as
//! written, body framings, decoding, redirects, cookies, TLS, and servers
//! that misbehave. Servers are raw TCP on 127.0.0.1, scripted per test.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::test_server::*;
use super::*;

fn exec() -> Executor {
    spawn_executor(ClientConfig::default())
}

/// Reads one request (head, then a Content-Length body) from `sock`.
async fn read_request(sock: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut buf).await.unwrap();
        assert!(n > 0, "the request ended early");
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length: "))
        .map_or(0, |v| v.trim().parse().unwrap());
    while data.len() < head_end + len {
        let n = sock.read(&mut buf).await.unwrap();
        assert!(n > 0, "the body ended early");
        data.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&data).into_owned()
}

/// A server that answers each connection, in turn, with the next of
/// `replies` and then closes it. The task returns the requests it read.
async fn scripted(replies: Vec<Vec<u8>>) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut seen = Vec::new();
        for reply in replies {
            let (mut sock, _) = listener.accept().await.unwrap();
            seen.push(read_request(&mut sock).await);
            // The peer may already have given up (a malformed answer).
            let _ = sock.write_all(&reply).await;
            let _ = sock.shutdown().await;
        }
        seen
    });
    (base, task)
}

async fn requests(task: tokio::task::JoinHandle<Vec<String>>) -> Vec<String> {
    tokio::time::timeout(DEADLINE, task).await.unwrap().unwrap()
}

fn ok(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn text(r: &Response) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

#[tokio::test]
async fn dot_segments_are_sent_as_written_and_ordinary_urls_stay_pooled() {
    // hyper's server keeps the target as received, so it can echo it.
    let server = serve(|req: Req| async move {
        let target = req.uri().to_string();
        respond(200, &[], full(target))
    })
    .await;
    let mut ex = exec();
    let r = send(&mut ex, 1, get(&server.url("/-/./a/../b?q=1")))
        .await
        .unwrap();
    assert_eq!(text(&r), "/-/./a/../b?q=1");
    assert_eq!(r.version, "HTTP/1.1");
    assert_eq!(r.connection.remote, Some(server.addr));
    assert!(!r.timings.reused);
    assert!(r.timings.connect.is_some() && r.timings.ttfb >= r.timings.sent);
    assert_eq!(r.sizes.request_headers as usize, {
        let line = "GET /-/./a/../b?q=1 HTTP/1.1\r\n".len();
        line + r
            .sent_headers
            .iter()
            .map(|(n, v)| n.len() + v.len() + 4)
            .sum::<usize>()
            + 2
    });

    // An ordinary URL goes through reqwest: its second request reuses the
    // pooled connection, which the raw path never does.
    let first = send(&mut ex, 2, get(&server.url("/a/b"))).await.unwrap();
    assert_eq!(text(&first), "/a/b");
    let second = send(&mut ex, 3, get(&server.url("/a/b"))).await.unwrap();
    assert!(second.timings.reused, "{:?}", second.timings);
    let raw_again = send(&mut ex, 4, get(&server.url("/./"))).await.unwrap();
    assert_eq!(text(&raw_again), "/./");
    assert!(!raw_again.timings.reused);
}

#[tokio::test]
async fn with_encoding_off_printable_characters_go_out_raw() {
    let (base, task) = scripted(vec![ok("one"), ok("two")]).await;
    let mut ex = exec();
    let mut req = get(&format!("{base}/\"/<>/`/{{|}}/^/%/./?q=\"'<=>[\\]{{|}}`"));
    req.settings.encode_url = false;
    req.headers = vec![("x-custom-name".into(), "v".into())];
    let r = send(&mut ex, 1, req).await.unwrap();
    assert_eq!(text(&r), "one");

    // The same URL with encoding on: encoded as Postman does, `.` kept.
    let req = get(&format!("{base}/\"/<>/`/{{|}}/^/%/./?q=\"'<=>[\\]{{|}}`"));
    send(&mut ex, 2, req).await.unwrap();

    let seen = requests(task).await;
    let head = &seen[0];
    assert!(
        head.starts_with("GET /\"/<>/`/{|}/^/%/./?q=\"'<=>[\\]{|}` HTTP/1.1\r\n"),
        "{head}"
    );
    let host = base.trim_start_matches("http://");
    assert!(head.contains(&format!("\r\nHost: {host}\r\n")), "{head}");
    assert!(head.contains("\r\nX-Custom-Name: v\r\n"), "{head}");
    assert!(
        head.contains("\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n"),
        "{head}"
    );
    assert!(
        seen[1]
            .starts_with("GET /%22/%3C%3E/%60/%7B|%7D/^/%/./?q=%22%27%3C=%3E[\\]{|}` HTTP/1.1\r\n"),
        "{}",
        seen[1]
    );
}

#[tokio::test]
async fn chunked_and_close_delimited_bodies_are_read_to_their_end() {
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
        5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n"
        .to_vec();
    let close = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end".to_vec();
    let (base, task) = scripted(vec![chunked, close]).await;
    let mut ex = exec();
    let r = send(&mut ex, 1, get(&format!("{base}/./chunked")))
        .await
        .unwrap();
    assert_eq!(text(&r), "hello world");
    assert_eq!(r.wire_size, 11);
    let r = send(&mut ex, 2, get(&format!("{base}/./close")))
        .await
        .unwrap();
    assert_eq!(text(&r), "until the end");
    assert_eq!(r.version, "HTTP/1.0");
    // Both went out raw (reqwest would have sent `/chunked`).
    let seen = requests(task).await;
    assert!(seen[0].starts_with("GET /./chunked "), "{}", seen[0]);
    assert!(seen[1].starts_with("GET /./close "), "{}", seen[1]);
}

#[tokio::test]
async fn a_gzip_body_is_decoded_and_both_sizes_counted() {
    use async_compression::tokio::bufread::GzipEncoder;
    let plain = "compressed ".repeat(100);
    let mut gz = Vec::new();
    GzipEncoder::new(plain.as_bytes())
        .read_to_end(&mut gz)
        .await
        .unwrap();
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
        gz.len()
    )
    .into_bytes();
    reply.extend_from_slice(&gz);
    let (base, task) = scripted(vec![reply]).await;
    let mut ex = exec();
    let r = send(&mut ex, 1, get(&format!("{base}/./gz")))
        .await
        .unwrap();
    assert_eq!(text(&r), plain);
    assert_eq!(r.wire_size, gz.len() as u64);
    assert_eq!(r.decoded_size, plain.len() as u64);
    let seen = requests(task).await;
    assert!(seen[0].starts_with("GET /./gz "), "{}", seen[0]);
}

#[tokio::test]
async fn misbehaving_servers_give_errors_not_panics() {
    let big_head = {
        let mut h = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..10 {
            h.extend_from_slice(format!("X-Filler-{i}: {}\r\n", "y".repeat(8000)).as_bytes());
        }
        h.extend_from_slice(b"\r\n");
        h
    };
    let many_headers = {
        let mut h = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..200 {
            h.extend_from_slice(format!("X-Many-{i}: v\r\n").as_bytes());
        }
        h.extend_from_slice(b"\r\n");
        h
    };
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (b"garbage\r\n\r\n".to_vec(), "malformed response"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Le".to_vec(),
            "before a complete response head",
        ),
        (big_head, "response head larger than 64 KiB"),
        (many_headers, "malformed response"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..".to_vec(),
            "after 10 of 100 body bytes",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n".to_vec(),
            "invalid chunk size",
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab".to_vec(),
            "ended early",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\nabc".to_vec(),
            "conflicting Content-Length",
        ),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n".to_vec(),
            "invalid Content-Length",
        ),
    ];
    let (base, task) = scripted(cases.iter().map(|(r, _)| r.clone()).collect()).await;
    let mut ex = exec();
    for (i, (_, want)) in cases.iter().enumerate() {
        match send(&mut ex, i as u64, get(&format!("{base}/./{i}"))).await {
            Err(SendError::Protocol(message)) => {
                assert!(message.contains(want), "case {i}: {message}")
            }
            other => panic!("case {i}: {other:?}"),
        }
    }
    requests(task).await;
}

#[tokio::test]
async fn the_timeout_fires_on_a_server_that_never_answers() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/./slow", listener.local_addr().unwrap());
    let (got_tx, got_rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let head = read_request(&mut sock).await;
        let _ = got_tx.send(head);
        // Holds the connection open without a word until the test ends.
        let mut rest = Vec::new();
        let _ = sock.read_to_end(&mut rest).await;
    });
    let mut ex = exec();
    let mut req = get(&url);
    req.settings.timeout = Some(Duration::from_millis(300));
    let began = Instant::now();
    match send(&mut ex, 1, req).await {
        Err(SendError::Timeout(t)) => assert_eq!(t, Duration::from_millis(300)),
        other => panic!("{other:?}"),
    }
    assert!(began.elapsed() < Duration::from_secs(3));
    let head = tokio::time::timeout(DEADLINE, got_rx)
        .await
        .unwrap()
        .unwrap();
    assert!(head.starts_with("GET /./slow HTTP/1.1\r\n"), "{head}");
    server.abort();
}

#[tokio::test]
async fn a_raw_request_posts_its_body_follows_redirects_and_keeps_cookies() {
    let next = serve(|req: Req| async move {
        let (parts, body) = body_of(req).await;
        let said = format!(
            "{} {} cookie={} body={}",
            parts.method,
            parts.uri,
            header_of(&parts, "cookie"),
            String::from_utf8_lossy(&body)
        );
        respond(200, &[], full(said))
    })
    .await;
    let redirect = format!(
        "HTTP/1.1 307 Temporary Redirect\r\nLocation: {}\r\nSet-Cookie: sid=abc; Path=/\r\nContent-Length: 0\r\n\r\n",
        next.url("/landed")
    );
    let (base, task) = scripted(vec![redirect.into_bytes()]).await;
    let mut ex = exec();
    let mut req = request("POST", &format!("{base}/./start"));
    req.headers = vec![("Content-Type".into(), "text/plain".into())];
    req.body = PreparedBody::Bytes(b"payload".to_vec());
    let r = send(&mut ex, 1, req).await.unwrap();
    // 307 keeps method and body; the next hop is an ordinary reqwest one.
    // The raw hop stored its cookie, and the next hop sent it back.
    assert_eq!(text(&r), "POST /landed cookie=sid=abc body=payload");
    assert_eq!(r.redirects.len(), 1);
    assert_eq!(r.redirects[0].status, 307);
    let seen = requests(task).await;
    assert!(
        seen[0].starts_with("POST /./start HTTP/1.1\r\n"),
        "{}",
        seen[0]
    );
    assert!(seen[0].contains("\r\nContent-Length: 7\r\n"), "{}", seen[0]);
    assert!(seen[0].ends_with("\r\n\r\npayload"), "{}", seen[0]);

    // The cookie went into the jar, for the host that set it.
    let host = base.trim_start_matches("http://").to_string();
    let (base2, task) = scripted(vec![ok("")]).await;
    let port = base2.rsplit(':').next().unwrap().to_string();
    assert_ne!(host, format!("127.0.0.1:{port}"));
    let mut req = get(&format!("{base}/./again").replace(&host, &format!("127.0.0.1:{port}")));
    req.settings.encode_url = false;
    send(&mut ex, 2, req).await.unwrap();
    let seen = requests(task).await;
    // Cookies do not depend on the port: the jar sends sid back.
    assert!(seen[0].contains("\r\nCookie: sid=abc\r\n"), "{}", seen[0]);
}

#[tokio::test]
async fn raw_https_uses_postie_s_trust_rules_and_records_the_handshake() {
    use super::timing_tests::{pki, serve_tls};
    let pki = pki(&["127.0.0.1"], (2099, 1, 1));
    let server = serve_tls(pki.server.clone()).await;
    let url = format!("https://127.0.0.1:{}/./secure", server.addr.port());

    let mut ex = exec();
    match send(&mut ex, 1, get(&url)).await {
        Err(SendError::Tls { problem, .. }) => {
            assert_eq!(problem, TlsProblem::UntrustedCertificate)
        }
        other => panic!("{other:?}"),
    }
    // -k: accepted, and the certificate still read.
    let mut req = get(&url);
    req.settings.verify_tls = false;
    let r = send(&mut ex, 2, req).await.unwrap();
    assert_eq!(r.body, b"secure");
    let cert = r.connection.tls.clone().unwrap().certificate.unwrap();
    assert_eq!(cert.issuer, "CN=postie test CA");

    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(pki.ca_file.clone()),
        ..ClientConfig::default()
    });
    let r = send(&mut ex, 3, get(&url)).await.unwrap();
    assert_eq!(r.body, b"secure");
    // HTTP/1.1 only: the raw path offers no h2.
    assert_eq!(r.connection.version, "HTTP/1.1");
    assert_eq!(r.connection.remote, Some(server.addr));
    let t = r.timings;
    assert!(!t.reused && t.dns.is_none(), "{t:?}");
    let (connect, tls) = (t.connect.unwrap(), t.tls.unwrap());
    assert!(connect < tls && tls <= t.sent && t.sent <= t.ttfb, "{t:?}");
    let info = r.connection.tls.expect("TLS facts");
    assert!(info.version.starts_with("TLSv1."), "{info:?}");
    assert!(info.cipher.starts_with("TLS"), "{info:?}");
    assert_eq!(
        info.certificate.map(|c| c.subject),
        Some("CN=postie test server".to_string())
    );
}
