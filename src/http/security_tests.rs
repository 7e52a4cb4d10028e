//! What a send must refuse or keep to itself (issue 13, "Nobody let in"):
//! certificates that are self-signed, expired, for another host or revoked
//! fail with a message naming the problem unless verification is off;
//! credentials never follow a redirect to another origin; an https → http
//! redirect is refused unless allowed.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

use super::test_server::*;
use super::timing_tests::{pki, serve_tls};
use super::*;

fn trusting(ca_file: &std::path::Path) -> Executor {
    spawn_executor(ClientConfig {
        ca_file: Some(ca_file.to_path_buf()),
        ..ClientConfig::default()
    })
}

/// The error's problem and its message as the user reads it.
async fn refused(ex: &mut Executor, id: u64, url: &str) -> (TlsProblem, String) {
    match send(ex, id, get(url)).await {
        Err(e @ SendError::Tls { .. }) => {
            let SendError::Tls { problem, .. } = &e else {
                unreachable!()
            };
            (*problem, e.to_string())
        }
        other => panic!("{url}: {other:?}"),
    }
}

#[tokio::test]
async fn bad_certificates_fail_naming_the_problem_unless_verification_is_off() {
    let cases = [
        // (names, not after, trust the CA, problem, words)
        (
            &["127.0.0.1"][..],
            (2099, 1, 1),
            false,
            TlsProblem::UntrustedCertificate,
            "self-signed",
        ),
        (
            &["127.0.0.1"][..],
            (2020, 1, 1),
            true,
            TlsProblem::Expired,
            "expired",
        ),
        (
            &["other.test"][..],
            (2099, 1, 1),
            true,
            TlsProblem::NameMismatch,
            "another host",
        ),
    ];
    for (i, (names, not_after, trust, problem, words)) in cases.into_iter().enumerate() {
        let pki = pki(names, not_after);
        let server = serve_tls(pki.server.clone()).await;
        let url = format!("https://127.0.0.1:{}/", server.addr.port());
        let mut ex = if trust {
            trusting(&pki.ca_file)
        } else {
            spawn_executor(ClientConfig::default())
        };
        let (got, message) = refused(&mut ex, 1, &url).await;
        assert_eq!(got, problem, "case {i}: {message}");
        assert!(message.contains(words), "case {i}: {message}");
        assert!(message.contains("127.0.0.1"), "names the host: {message}");
        // Verification off for this request: sent.
        let mut req = get(&url);
        req.settings.verify_tls = false;
        let r = send(&mut ex, 2, req).await.unwrap();
        assert_eq!(r.body, b"secure", "case {i}");
    }
}

/// A CA, a server certificate it signed, and a CRL of that CA revoking it.
fn revoked_pki() -> (
    super::timing_tests::Pki,
    std::path::PathBuf,
    tempfile::TempDir,
) {
    use rcgen::{
        BasicConstraints, CertificateParams, CertificateRevocationListParams, DnType, IsCa, Issuer,
        KeyIdMethod, KeyPair, RevocationReason, RevokedCertParams, SerialNumber,
    };
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "postie revoking CA");
    let ca_cert = ca_params.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca_params, ca_key);
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_string()]).unwrap();
    params.serial_number = Some(SerialNumber::from(4242u64));
    let cert = params.signed_by(&key, &issuer).unwrap();
    let crl = CertificateRevocationListParams {
        this_update: rcgen::date_time_ymd(2025, 1, 1),
        next_update: rcgen::date_time_ymd(2099, 1, 1),
        crl_number: SerialNumber::from(1u64),
        issuing_distribution_point: None,
        revoked_certs: vec![RevokedCertParams {
            serial_number: SerialNumber::from(4242u64),
            revocation_time: rcgen::date_time_ymd(2025, 6, 1),
            reason_code: Some(RevocationReason::KeyCompromise),
            invalidity_date: None,
        }],
        key_identifier_method: KeyIdMethod::Sha256,
    }
    .signed_by(&issuer)
    .unwrap();
    let mut server = super::timing_tests::server_config(&cert, &key);
    server.alpn_protocols = vec![b"http/1.1".to_vec()];
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca_cert.pem()).unwrap();
    let crl_file = dir.path().join("revoked.crl.pem");
    std::fs::write(&crl_file, crl.pem().unwrap()).unwrap();
    let mut pki = pki(&["unused"], (2099, 1, 1));
    pki.server = server;
    pki.ca_file = ca_file;
    (pki, crl_file, dir)
}

#[tokio::test]
async fn a_revoked_certificate_fails_when_the_crl_is_given() {
    let (pki, crl_file, _dir) = revoked_pki();
    let server = serve_tls(pki.server.clone()).await;
    let url = format!("https://127.0.0.1:{}/", server.addr.port());
    // Trusted, and no list says otherwise: sent.
    let mut ex = trusting(&pki.ca_file);
    assert_eq!(send(&mut ex, 1, get(&url)).await.unwrap().body, b"secure");
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(pki.ca_file.clone()),
        crl_file: Some(crl_file.clone()),
        ..ClientConfig::default()
    });
    let (problem, message) = refused(&mut ex, 2, &url).await;
    assert_eq!(problem, TlsProblem::Revoked, "{message}");
    assert!(message.contains("revoked"), "{message}");
    // A list that is not one is a clear error naming the file.
    std::fs::write(&crl_file, "not a list").unwrap();
    let mut ex = spawn_executor(ClientConfig {
        ca_file: Some(pki.ca_file.clone()),
        crl_file: Some(crl_file.clone()),
        ..ClientConfig::default()
    });
    match send(&mut ex, 3, get(&url)).await {
        Err(SendError::File { path, message }) => {
            assert_eq!(path, crl_file);
            assert!(message.contains("revocation list"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

/// Headers each request reached the server with.
type Seen = Arc<Mutex<Vec<Vec<(String, String)>>>>;

async fn recording(seen: Seen) -> TestServer {
    serve(move |req: Req| {
        let seen = seen.clone();
        async move {
            let headers = (req.headers().iter())
                .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            let query = req.uri().query().unwrap_or("").to_string();
            let mut all: Vec<(String, String)> = headers;
            all.push((":query".into(), query));
            seen.lock().unwrap().push(all);
            respond(200, &[], full("landed"))
        }
    })
    .await
}

fn redirecting_to(target: String) -> impl Fn(Req) -> std::future::Ready<Resp> {
    move |_req: Req| std::future::ready(respond(302, &[("location", target.as_str())], full("")))
}

fn with_credentials(url: &str) -> PreparedRequest {
    let mut req = get(url);
    req.headers = vec![
        ("Authorization".into(), "Bearer T-SECRET".into()),
        ("Cookie".into(), "sid=C-SECRET".into()),
        ("X-Api-Key".into(), "K-SECRET".into()),
        ("X-Auth-Token".into(), "A-SECRET".into()),
        ("X-Tenant-Key".into(), "AUTH-ADDED-SECRET".into()),
        ("X-Trace".into(), "keep-me".into()),
    ];
    // As an API key auth marks the header it adds.
    req.settings.credential_headers = vec!["x-tenant-key".into()];
    req
}

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    let seen: Seen = Arc::default();
    let target = recording(seen.clone()).await;
    let elsewhere = serve(redirecting_to(target.url("/landed"))).await;
    let mut ex = spawn_executor(ClientConfig::default());
    let url = format!("{}?api_key=Q-SECRET", elsewhere.url("/start"));
    let r = send(&mut ex, 1, with_credentials(&url)).await.unwrap();
    assert_eq!(r.body, b"landed");
    let got = seen.lock().unwrap().pop().unwrap();
    let text = format!("{got:?}");
    for secret in [
        "T-SECRET",
        "C-SECRET",
        "K-SECRET",
        "A-SECRET",
        "AUTH-ADDED",
        "Q-SECRET",
    ] {
        assert!(
            !text.contains(secret),
            "{secret} followed the redirect: {text}"
        );
    }
    assert!(text.contains("keep-me"), "{text}");

    // Postman's followAuthorizationHeader keeps them (but not the cookie,
    // which the jar sends by its own rules).
    let mut req = with_credentials(&url);
    req.settings.follow_authorization_header = true;
    send(&mut ex, 2, req).await.unwrap();
    let text = format!("{:?}", seen.lock().unwrap().pop().unwrap());
    assert!(
        text.contains("T-SECRET") && text.contains("K-SECRET"),
        "{text}"
    );
    assert!(!text.contains("C-SECRET"), "{text}");
}

#[tokio::test]
async fn credentials_stay_on_a_redirect_within_the_origin() {
    let seen: Seen = Arc::default();
    let store = seen.clone();
    let server = serve(move |req: Req| {
        let store = store.clone();
        async move {
            if req.uri().path() == "/start" {
                return respond(302, &[("location", "/landed")], full(""));
            }
            let headers = (req.headers().iter())
                .map(|(n, v)| (n.to_string(), String::from_utf8_lossy(v.as_bytes()).into()))
                .collect();
            store.lock().unwrap().push(headers);
            respond(200, &[], full("landed"))
        }
    })
    .await;
    let mut ex = spawn_executor(ClientConfig::default());
    send(&mut ex, 1, with_credentials(&server.url("/start")))
        .await
        .unwrap();
    let text = format!("{:?}", seen.lock().unwrap().pop().unwrap());
    for kept in ["T-SECRET", "K-SECRET", "A-SECRET", "AUTH-ADDED-SECRET"] {
        assert!(
            text.contains(kept),
            "{kept} dropped on the same origin: {text}"
        );
    }
}

/// An https server whose every answer redirects to `location`.
async fn tls_redirecting(config: rustls::ServerConfig, location: String) -> TestServer {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let task = tokio::spawn(async move {
        let mut conns = tokio::task::JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let (acceptor, location) = (acceptor.clone(), location.clone());
            conns.spawn(async move {
                let Ok(tls) = acceptor.accept(stream).await else {
                    return;
                };
                let svc = hyper::service::service_fn(move |_req| {
                    let location = location.clone();
                    async move {
                        Ok::<_, Infallible>(respond(302, &[("location", &location)], full("")))
                    }
                });
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(tls), svc)
                    .await;
            });
        }
    });
    TestServer::from_parts(addr, task)
}

#[tokio::test]
async fn a_redirect_from_https_to_http_is_refused_unless_allowed() {
    let plain = serve(|_req: Req| async { respond(200, &[], full("plain")) }).await;
    let pki = pki(&["127.0.0.1"], (2099, 1, 1));
    let secure = tls_redirecting(pki.server.clone(), plain.url("/")).await;
    let url = format!("https://127.0.0.1:{}/", secure.addr.port());
    let mut ex = trusting(&pki.ca_file);
    match send(&mut ex, 1, get(&url)).await {
        Err(SendError::Protocol(message)) => {
            assert!(message.contains("leaves https"), "{message}");
            assert!(message.contains("allow_downgrade"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let mut req = get(&url);
    req.settings.allow_downgrade = true;
    assert_eq!(send(&mut ex, 2, req).await.unwrap().body, b"plain");
}
