//! Timing and connection facts against local servers: phase order, reuse,
//! per-hop figures, typed connect errors, and a TLS server whose CA and
//! certificate rcgen makes for the test.

use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

use super::test_server::*;
use super::*;

fn exec() -> Executor {
    spawn_executor(ClientConfig::default())
}

/// dns <= connect <= tls <= sent <= ttfb <= total, whichever happened.
fn assert_ordered(t: &Timings) {
    let mut last = t.start;
    for (name, at) in [
        ("dns", t.dns),
        ("connect", t.connect),
        ("tls", t.tls),
        ("sent", Some(t.sent)),
        ("ttfb", Some(t.ttfb)),
        ("total", Some(t.total)),
    ] {
        if let Some(at) = at {
            assert!(at >= last, "{name} {at:?} before {last:?} in {t:?}");
            last = at;
        }
    }
    let p = t.phases();
    let sum = p.dns.unwrap_or_default()
        + p.connect.unwrap_or_default()
        + p.tls.unwrap_or_default()
        + p.send
        + p.wait
        + p.download;
    assert_eq!(t.start + sum, t.total, "phases add up to the total: {t:?}");
}

async fn slow_ok() -> TestServer {
    serve(|_req: Req| async {
        // The server's own time, so TTFB clearly follows the send.
        tokio::time::sleep(Duration::from_millis(20)).await;
        respond(200, &[("content-type", "text/plain")], full("hello"))
    })
    .await
}

#[tokio::test]
async fn phases_are_in_order_and_add_up_and_a_second_request_reuses() {
    let s = slow_ok().await;
    let mut ex = exec();
    let mut req = request("POST", &s.url("/a"));
    req.body = PreparedBody::Bytes(b"0123456789".to_vec());
    let first = send(&mut ex, 1, req).await.unwrap();
    let t = first.timings;
    assert_ordered(&t);
    assert!(!t.reused);
    // An IP address needs no lookup; the TCP connect is measured.
    assert_eq!(t.dns, None);
    assert!(t.connect.is_some() && t.tls.is_none());
    assert!(t.ttfb - t.sent >= Duration::from_millis(20), "{t:?}");
    assert_eq!(first.connection.remote, Some(s.addr));
    assert_eq!(first.connection.version, "HTTP/1.1");
    assert_eq!(first.connection.tls, None);
    assert_eq!(first.sizes.request_body, 10);
    // "POST /a HTTP/1.1\r\n" + headers + "\r\n", each header as sent.
    let head: usize = first
        .sent_headers
        .iter()
        .map(|(n, v)| n.len() + v.len() + 4)
        .sum();
    assert_eq!(first.sizes.request_headers, (18 + head + 2) as u64);
    assert!(first
        .sent_headers
        .iter()
        .any(|(n, v)| n == "Host" && *v == s.addr.to_string()));
    assert!(first.sizes.response_headers > "HTTP/1.1 200 OK\r\n\r\n".len() as u64);

    let second = send(&mut ex, 2, get(&s.url("/b"))).await.unwrap();
    let t = second.timings;
    assert_ordered(&t);
    assert!(t.reused, "{t:?}");
    assert_eq!((t.dns, t.connect, t.tls), (None, None, None));
}

#[tokio::test]
async fn localhost_is_looked_up_by_postie_s_resolver() {
    let s = slow_ok().await;
    let mut ex = exec();
    let url = format!("http://localhost:{}/", s.addr.port());
    let r = send(&mut ex, 1, get(&url)).await;
    // localhost may resolve to ::1 first where nothing listens; either way
    // the lookup is timed when the request got through.
    if let Ok(r) = r {
        assert!(r.timings.dns.is_some(), "{:?}", r.timings);
        assert_ordered(&r.timings);
    }
}

#[tokio::test]
async fn each_redirect_hop_has_its_own_figures() {
    let s = serve(|req: Req| async move {
        match req.uri().path() {
            "/a" => respond(302, &[("location", "/b")], full("")),
            _ => respond(200, &[], full("end")),
        }
    })
    .await;
    let mut ex = exec();
    let r = send(&mut ex, 1, get(&s.url("/a"))).await.unwrap();
    assert_eq!(r.redirects.len(), 1);
    let hop = &r.redirects[0];
    assert_ordered(&hop.timings);
    assert!(!hop.timings.reused && hop.timings.connect.is_some());
    assert_eq!(hop.connection.remote, Some(s.addr));
    // The final hop starts after the first ended and reuses its connection.
    assert!(r.timings.start >= hop.timings.ttfb, "{:?}", r.timings);
    assert!(r.timings.reused);
    assert_ordered(&r.timings);
}

#[tokio::test]
async fn a_refused_port_is_a_typed_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut ex = exec();
    match send(&mut ex, 1, get(&format!("http://127.0.0.1:{port}/"))).await {
        Err(SendError::Refused { host }) => assert_eq!(host, format!("127.0.0.1:{port}")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_name_that_cannot_resolve_is_a_dns_error() {
    // `.invalid` never resolves (RFC 6761); skipped when the system resolver
    // takes its time asking a network this machine may not have.
    let mut ex = exec();
    let mut req = get("http://nonexistent.invalid/");
    req.settings.timeout = Some(Duration::from_secs(3));
    match send(&mut ex, 1, req).await {
        Err(SendError::Dns { host }) => assert_eq!(host, "nonexistent.invalid"),
        // The resolver did not answer in time: nothing to check here (core
        // modules never print, so no skip message).
        Err(SendError::Timeout(_)) => {}
        other => panic!("{other:?}"),
    }
}

/// A CA, a server certificate it signed for 127.0.0.1 and localhost, and
/// the CA's PEM in a file.
pub(super) struct Pki {
    pub(super) ca_pem: String,
    pub(super) server: rustls::ServerConfig,
    _dir: tempfile::TempDir,
    pub(super) ca_file: PathBuf,
}

/// A TLS server config presenting `cert` (with its `key`).
pub(super) fn server_config(
    cert: &rcgen::Certificate,
    key: &rcgen::KeyPair,
) -> rustls::ServerConfig {
    rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
        )
        .unwrap()
}

pub(super) fn pki(names: &[&str], not_after: (i32, u8, u8)) -> Pki {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "postie test CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);

    let key = KeyPair::generate().unwrap();
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "postie test server");
    params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    let cert = params.signed_by(&key, &issuer).unwrap();
    let mut server = server_config(&cert, &key);
    server.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    Pki {
        ca_pem: ca_cert.pem(),
        server,
        _dir: dir,
        ca_file,
    }
}

pub(super) struct TlsServer {
    pub(super) addr: std::net::SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

pub(super) async fn serve_tls(config: rustls::ServerConfig) -> TlsServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let task = tokio::spawn(async move {
        let mut conns = tokio::task::JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let acceptor = acceptor.clone();
            conns.spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let svc = hyper::service::service_fn(|_req| async {
                    Ok::<_, Infallible>(respond(200, &[], full("secure")))
                });
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    TlsServer { addr, task }
}

#[tokio::test]
async fn a_tls_server_s_certificate_and_handshake_are_recorded() {
    let pki = pki(&["localhost", "127.0.0.1"], (2099, 1, 1));
    assert!(pki.ca_pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let server = serve_tls(pki.server.clone()).await;
    let url = format!("https://127.0.0.1:{}/", server.addr.port());

    // Not trusted: a typed error, and the verifier's reason.
    let mut ex = exec();
    match send(&mut ex, 1, get(&url)).await {
        Err(SendError::Tls { problem, .. }) => {
            assert_eq!(problem, TlsProblem::UntrustedCertificate)
        }
        other => panic!("{other:?}"),
    }

    // With the CA trusted: timed handshake and the certificate's facts.
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(pki.ca_file.clone()),
        ..ClientConfig::default()
    });
    let r = send(&mut ex, 2, get(&url)).await.unwrap();
    assert_eq!(r.body, b"secure");
    let t = r.timings;
    assert_ordered(&t);
    // An https URL with an IP address is not looked up either.
    assert_eq!(t.dns, None);
    let (connect, tls) = (t.connect.unwrap(), t.tls.unwrap());
    assert!(tls > connect, "{t:?}");
    let info = r.connection.tls.clone().expect("TLS facts");
    assert!(info.version.starts_with("TLSv1."), "{info:?}");
    assert!(info.cipher.starts_with("TLS"), "{info:?}");
    // ALPN offered h2 and the server took it.
    assert_eq!(r.connection.version, "HTTP/2");
    let cert = info.certificate.expect("certificate facts");
    assert_eq!(cert.subject, "CN=postie test server");
    assert_eq!(cert.issuer, "CN=postie test CA");
    assert_eq!(cert.sans, vec!["localhost", "127.0.0.1"]);
    assert!(cert.not_after.starts_with("2099-01-01"), "{cert:?}");
    assert_eq!(cert.expiry_warning(), None);

    // The second request rides the same connection and keeps the facts.
    let again = send(&mut ex, 3, get(&url)).await.unwrap();
    assert!(again.timings.reused);
    assert_eq!(again.timings.tls, None);
    assert_eq!(again.connection.tls.unwrap().certificate, Some(cert));

    // -k: the untrusted certificate is still read.
    let mut ex = exec();
    let mut req = get(&url);
    req.settings.verify_tls = false;
    let r = send(&mut ex, 4, req).await.unwrap();
    let cert = r.connection.tls.unwrap().certificate.unwrap();
    assert_eq!(cert.issuer, "CN=postie test CA");
}

#[tokio::test]
async fn a_certificate_for_another_name_is_a_name_mismatch() {
    let pki = pki(&["example.test"], (2099, 1, 1));
    let server = serve_tls(pki.server.clone()).await;
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(pki.ca_file.clone()),
        ..ClientConfig::default()
    });
    let url = format!("https://127.0.0.1:{}/", server.addr.port());
    match send(&mut ex, 1, get(&url)).await {
        Err(SendError::Tls { problem, .. }) => assert_eq!(problem, TlsProblem::NameMismatch),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn an_expired_certificate_is_typed_as_expired_and_still_read() {
    let pki = pki(&["127.0.0.1"], (2020, 1, 1));
    let server = serve_tls(pki.server.clone()).await;
    let url = format!("https://127.0.0.1:{}/", server.addr.port());
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(pki.ca_file.clone()),
        ..ClientConfig::default()
    });
    match send(&mut ex, 1, get(&url)).await {
        Err(SendError::Tls { problem, .. }) => assert_eq!(problem, TlsProblem::Expired),
        other => panic!("{other:?}"),
    }
    let mut req = get(&url);
    req.settings.verify_tls = false;
    let r = send(&mut ex, 2, req).await.unwrap();
    let cert = r.connection.tls.unwrap().certificate.unwrap();
    assert!(cert.days_left < 0);
    assert!(cert
        .expiry_warning()
        .unwrap()
        .starts_with("certificate expired on 2020-01-01"));
}

#[test]
fn a_certificate_close_to_expiry_warns() {
    use rcgen::{CertificateParams, KeyPair};
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    params.not_after = rcgen::date_time_ymd(2030, 1, 31);
    let cert = params.self_signed(&key).unwrap();
    let expiry = UNIX_EPOCH + Duration::from_secs(1_896_048_000); // 2030-01-31
    let day = Duration::from_secs(86_400);
    let info = tls_info::cert_info(cert.der(), expiry - day * 5).unwrap();
    assert_eq!(info.days_left, 5);
    assert!(info.expiry_warning().unwrap().contains("expires in 5 days"));
    let info = tls_info::cert_info(cert.der(), expiry - day * 30).unwrap();
    assert_eq!(info.expiry_warning(), None);
    let info = tls_info::cert_info(cert.der(), expiry + day).unwrap();
    assert!(info.expiry_warning().unwrap().contains("expired"));
    assert!(tls_info::cert_info(b"not der", SystemTime::now()).is_none());
}
