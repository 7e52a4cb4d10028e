//! postie's rustls setup, handed to reqwest. Besides trusting the system and
//! the user's CAs, it watches the handshake: the session store sees the
//! ClientHello start (TCP is up), the cipher suites see the keys installed
//! (version and cipher), the verifier sees the server's certificate and says
//! why it refused one. All of it goes to the hop's probe.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientSessionMemoryCache, ClientSessionStore, Resumption};
use rustls::client::{Tls12ClientSessionValue, Tls13ClientSessionValue, WebPkiServerVerifier};
use rustls::crypto::cipher::{
    AeadKey, Iv, KeyBlockShape, MessageDecrypter, MessageEncrypter, Tls12AeadAlgorithm,
    Tls13AeadAlgorithm, UnsupportedOperationError,
};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{
    CertificateError, CipherSuiteCommon, ConnectionTrafficSecrets, DigitallySignedStruct,
    NamedGroup, SignatureScheme, SupportedCipherSuite, Tls12CipherSuite, Tls13CipherSuite,
};

use super::timing;
use super::{CertInfo, HttpVersionPref, SendError, TlsProblem};

/// Everything the TLS config is built from.
pub(crate) struct TlsSetup<'a> {
    pub ca_file: Option<&'a Path>,
    /// Certificate revocation lists (PEM): a chain with a revoked
    /// certificate is refused.
    pub crl_file: Option<&'a Path>,
    pub client_cert: Option<&'a Path>,
    pub client_key: Option<&'a Path>,
    pub verify: bool,
    pub version: HttpVersionPref,
}

/// The rustls config reqwest will use for https.
pub(crate) fn client_config(
    setup: &TlsSetup<'_>,
    host: &str,
) -> Result<rustls::ClientConfig, SendError> {
    let setup_error = |message: String| SendError::Tls {
        host: host.to_string(),
        message,
        problem: TlsProblem::ClientSetup,
    };
    let provider = Arc::new(CryptoProvider {
        cipher_suites: watched_suites().to_vec(),
        ..rustls::crypto::ring::default_provider()
    });
    let mut roots = rustls::RootCertStore::empty();
    // As reqwest: unreadable entries of the system store are skipped.
    for cert in rustls_native_certs::load_native_certs().certs {
        let _ = roots.add(cert);
    }
    if let Some(ca) = setup.ca_file {
        let pem = read(ca)?;
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(&pem) {
            let cert = cert.map_err(|e| SendError::File {
                path: ca.to_path_buf(),
                message: format!("not a PEM certificate bundle: {e}"),
            })?;
            roots.add(cert).map_err(|e| SendError::File {
                path: ca.to_path_buf(),
                message: format!("unusable CA certificate: {e}"),
            })?;
            found += 1;
        }
        if found == 0 {
            return Err(SendError::File {
                path: ca.to_path_buf(),
                message: "no PEM certificate found".into(),
            });
        }
    }
    let certs = Arc::new(Mutex::new(HashMap::new()));
    let inner = if setup.verify {
        let mut builder =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone());
        if let Some(crl) = setup.crl_file {
            // The lists cover the user's own CAs; chains they do not cover
            // (public sites) are not refused for it.
            builder = builder
                .with_crls(read_crls(crl)?)
                .allow_unknown_revocation_status();
        }
        let webpki = builder
            .build()
            .map_err(|e| setup_error(format!("no usable root certificate: {e}")))?;
        Some(webpki)
    } else {
        None
    };
    let verifier = Arc::new(Watcher {
        inner,
        provider: provider.clone(),
        certs: certs.clone(),
    });
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(rustls::ALL_VERSIONS)
        .map_err(|e| setup_error(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match setup.client_cert {
        Some(cert_path) => {
            let mut pem = read(cert_path)?;
            if let Some(key_path) = setup.client_key {
                pem.push(b'\n');
                pem.extend(read(key_path)?);
            }
            let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(&pem)
                .collect::<Result<_, _>>()
                .map_err(|e| {
                    setup_error(format!("client certificate {}: {e}", cert_path.display()))
                })?;
            let key = PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
                setup_error(format!(
                    "client certificate {} (with its key): {e}",
                    cert_path.display()
                ))
            })?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                setup_error(format!("client certificate {}: {e}", cert_path.display()))
            })?
        }
        None => builder.with_no_client_auth(),
    };
    config.resumption = Resumption::store(Arc::new(WatchedStore {
        inner: ClientSessionMemoryCache::new(256),
        certs,
    }));
    config.alpn_protocols = match setup.version {
        HttpVersionPref::Auto => vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        HttpVersionPref::Http1 => vec![b"http/1.1".to_vec()],
        HttpVersionPref::Http2 => vec![b"h2".to_vec()],
    };
    Ok(config)
}

/// The revocation lists in `path` (PEM `X509 CRL` blocks).
fn read_crls(
    path: &Path,
) -> Result<Vec<rustls::pki_types::CertificateRevocationListDer<'static>>, SendError> {
    let pem = read(path)?;
    let crls: Vec<_> = rustls::pki_types::CertificateRevocationListDer::pem_slice_iter(&pem)
        .collect::<Result<_, _>>()
        .map_err(|e| SendError::File {
            path: path.to_path_buf(),
            message: format!("not a PEM revocation list: {e}"),
        })?;
    if crls.is_empty() {
        return Err(SendError::File {
            path: path.to_path_buf(),
            message: "no PEM revocation list (X509 CRL) found".into(),
        });
    }
    Ok(crls)
}

fn read(path: &Path) -> Result<Vec<u8>, SendError> {
    std::fs::read(path).map_err(|e| SendError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Certificate facts per server name, for handshakes that resume a session
/// and so see no certificate.
type CertCache = Arc<Mutex<HashMap<String, CertInfo>>>;

/// Checks certificates with webpki (or not at all, `-k`) and records them.
#[derive(Debug)]
struct Watcher {
    inner: Option<Arc<WebPkiServerVerifier>>,
    provider: Arc<CryptoProvider>,
    certs: CertCache,
}

impl ServerCertVerifier for Watcher {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let info = cert_info(end_entity, SystemTime::now());
        if let Some(info) = &info {
            if let Ok(mut c) = self.certs.lock() {
                c.insert(server_name.to_str().into_owned(), info.clone());
            }
        }
        let verdict = match &self.inner {
            Some(v) => {
                v.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Ok(ServerCertVerified::assertion()),
        };
        timing::record(|s| {
            s.certificate = info;
            if let Err(e) = &verdict {
                s.tls_problem = Some(problem_of(e));
            }
        });
        verdict
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        match &self.inner {
            Some(v) => v.verify_tls12_signature(message, cert, dss),
            None => Ok(HandshakeSignatureValid::assertion()),
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        match &self.inner {
            Some(v) => v.verify_tls13_signature(message, cert, dss),
            None => Ok(HandshakeSignatureValid::assertion()),
        }
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// The verifier's error as a [`TlsProblem`].
pub(crate) fn problem_of(e: &rustls::Error) -> TlsProblem {
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => TlsProblem::UntrustedCertificate,
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                TlsProblem::Expired
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                TlsProblem::NotYetValid
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsProblem::NameMismatch
            }
            CertificateError::Revoked => TlsProblem::Revoked,
            _ => TlsProblem::BadCertificate,
        },
        _ => TlsProblem::Handshake,
    }
}

/// Subject, issuer, SANs and validity of a DER certificate, as of `now`.
pub(crate) fn cert_info(der: &[u8], now: SystemTime) -> Option<CertInfo> {
    use x509_parser::extensions::GeneralName;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let mut sans = Vec::new();
    if let Ok(Some(ext)) = cert.subject_alternative_name() {
        for name in &ext.value.general_names {
            match name {
                GeneralName::DNSName(d) => sans.push((*d).to_string()),
                GeneralName::IPAddress(b) => {
                    if let Ok(v4) = <[u8; 4]>::try_from(*b) {
                        sans.push(std::net::Ipv4Addr::from(v4).to_string());
                    } else if let Ok(v6) = <[u8; 16]>::try_from(*b) {
                        sans.push(std::net::Ipv6Addr::from(v6).to_string());
                    }
                }
                _ => {}
            }
        }
    }
    let validity = cert.validity();
    let now_secs = match now.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs() as i64,
        Err(_) => 0,
    };
    let not_after = validity.not_after.timestamp();
    Some(CertInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        sans,
        not_before: rfc3339(validity.not_before.timestamp()),
        not_after: rfc3339(not_after),
        days_left: (not_after - now_secs).div_euclid(86_400),
    })
}

fn rfc3339(unix: i64) -> String {
    let t = if unix >= 0 {
        UNIX_EPOCH + std::time::Duration::from_secs(unix as u64)
    } else {
        UNIX_EPOCH - std::time::Duration::from_secs(unix.unsigned_abs())
    };
    humantime::format_rfc3339_seconds(t).to_string()
}

/// rustls's session cache, plus a look at the start of each handshake.
#[derive(Debug)]
struct WatchedStore {
    inner: ClientSessionMemoryCache,
    certs: CertCache,
}

impl ClientSessionStore for WatchedStore {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        self.inner.set_kx_hint(server_name, group)
    }

    // Asked once per handshake, while the ClientHello is built: the TCP
    // connection is up at this moment.
    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        let now = Instant::now();
        let known = self
            .certs
            .lock()
            .ok()
            .and_then(|c| c.get(server_name.to_str().as_ref()).cloned());
        timing::record(|s| {
            s.tcp_end = Some(now);
            s.certificate = known;
        });
        self.inner.kx_hint(server_name)
    }

    fn set_tls12_session(&self, server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.inner.set_tls12_session(server_name, value)
    }

    fn tls12_session(&self, server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.inner.tls12_session(server_name)
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        self.inner.remove_tls12_session(server_name)
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: Tls13ClientSessionValue,
    ) {
        self.inner.insert_tls13_ticket(server_name, value)
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<Tls13ClientSessionValue> {
        self.inner.take_tls13_ticket(server_name)
    }
}

/// ring's cipher suites, each wrapped so that installing its keys (which
/// happens only once it is negotiated) names it in the probe.
fn watched_suites() -> &'static [SupportedCipherSuite] {
    static SUITES: OnceLock<Vec<SupportedCipherSuite>> = OnceLock::new();
    SUITES.get_or_init(|| {
        rustls::crypto::ring::default_provider()
            .cipher_suites
            .into_iter()
            .map(|s| match s {
                SupportedCipherSuite::Tls13(t) => {
                    let name = leak(format!("{:?}", t.common.suite));
                    // Leaked once per process: rustls wants 'static suites.
                    let aead: &'static Aead13 = Box::leak(Box::new(Aead13 {
                        inner: t.aead_alg,
                        name,
                    }));
                    SupportedCipherSuite::Tls13(Box::leak(Box::new(Tls13CipherSuite {
                        common: common(&t.common),
                        hkdf_provider: t.hkdf_provider,
                        aead_alg: aead,
                        quic: t.quic,
                    })))
                }
                SupportedCipherSuite::Tls12(t) => {
                    let name = leak(format!("{:?}", t.common.suite));
                    let aead: &'static Aead12 = Box::leak(Box::new(Aead12 {
                        inner: t.aead_alg,
                        name,
                    }));
                    SupportedCipherSuite::Tls12(Box::leak(Box::new(Tls12CipherSuite {
                        common: common(&t.common),
                        prf_provider: t.prf_provider,
                        kx: t.kx,
                        sign: t.sign,
                        aead_alg: aead,
                    })))
                }
            })
            .collect()
    })
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn common(c: &CipherSuiteCommon) -> CipherSuiteCommon {
    CipherSuiteCommon {
        suite: c.suite,
        hash_provider: c.hash_provider,
        confidentiality_limit: c.confidentiality_limit,
    }
}

fn negotiated(version: &'static str, cipher: &'static str) {
    timing::record(|s| {
        s.tls_version = Some(version);
        s.cipher = Some(cipher.to_string());
    });
}

struct Aead13 {
    inner: &'static dyn Tls13AeadAlgorithm,
    name: &'static str,
}

impl Tls13AeadAlgorithm for Aead13 {
    fn encrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageEncrypter> {
        negotiated("TLSv1.3", self.name);
        self.inner.encrypter(key, iv)
    }

    fn decrypter(&self, key: AeadKey, iv: Iv) -> Box<dyn MessageDecrypter> {
        self.inner.decrypter(key, iv)
    }

    fn key_len(&self) -> usize {
        self.inner.key_len()
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: Iv,
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        self.inner.extract_keys(key, iv)
    }

    fn fips(&self) -> bool {
        self.inner.fips()
    }
}

struct Aead12 {
    inner: &'static dyn Tls12AeadAlgorithm,
    name: &'static str,
}

impl Tls12AeadAlgorithm for Aead12 {
    fn encrypter(&self, key: AeadKey, iv: &[u8], extra: &[u8]) -> Box<dyn MessageEncrypter> {
        negotiated("TLSv1.2", self.name);
        self.inner.encrypter(key, iv, extra)
    }

    fn decrypter(&self, key: AeadKey, iv: &[u8]) -> Box<dyn MessageDecrypter> {
        self.inner.decrypter(key, iv)
    }

    fn key_block_shape(&self) -> KeyBlockShape {
        self.inner.key_block_shape()
    }

    fn extract_keys(
        &self,
        key: AeadKey,
        iv: &[u8],
        explicit: &[u8],
    ) -> Result<ConnectionTrafficSecrets, UnsupportedOperationError> {
        self.inner.extract_keys(key, iv, explicit)
    }

    fn fips(&self) -> bool {
        self.inner.fips()
    }
}
