//! Lazily built, cached reqwest clients. Loading the system CA store costs
//! milliseconds, so a plain-http request never does it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::connect::{TimedResolver, TimingLayer};
use super::cookies::CookieJar;
use super::timing::Seen;
use super::tls_info::{client_config, TlsSetup};
use super::{ClientConfig, Connection, HttpVersionPref, SendError, TlsInfo, TlsProblem};

/// Longest wait for a TCP/TLS connection; the whole-exchange timeout may be
/// shorter and then wins.
pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What makes two clients differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClientKey {
    pub tls: bool,
    /// Always true for plain http, where it means nothing.
    pub verify_tls: bool,
    pub version: HttpVersionPref,
}

// By hand: HttpVersionPref (in the shared contract) does not derive Hash.
impl std::hash::Hash for ClientKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.tls.hash(h);
        self.verify_tls.hash(h);
        (self.version as u8).hash(h);
    }
}

impl ClientKey {
    pub(crate) fn new(url: &url::Url, verify_tls: bool, version: HttpVersionPref) -> ClientKey {
        let tls = url.scheme() == "https";
        ClientKey {
            tls,
            verify_tls: verify_tls || !tls,
            version,
        }
    }
}

pub(crate) struct Clients {
    config: ClientConfig,
    jar: Arc<CookieJar>,
    cache: Mutex<HashMap<ClientKey, reqwest::Client>>,
    /// The TLS facts of the last handshake per origin, for a request that
    /// reuses its connection (and so sees no handshake).
    tls_seen: Mutex<HashMap<String, TlsInfo>>,
    /// rustls configs of the raw path (HTTP/1.1 only), by `verify_tls`.
    raw_tls: Mutex<HashMap<bool, Arc<rustls::ClientConfig>>>,
}

impl Clients {
    pub(crate) fn new(config: ClientConfig, jar: Arc<CookieJar>) -> Clients {
        Clients {
            config,
            jar,
            cache: Mutex::new(HashMap::new()),
            tls_seen: Mutex::new(HashMap::new()),
            raw_tls: Mutex::new(HashMap::new()),
        }
    }

    /// The Cookie header the jar adds for `url`.
    pub(crate) fn jar_cookie(&self, url: &url::Url) -> Option<reqwest::header::HeaderValue> {
        reqwest::cookie::CookieStore::cookies(self.jar.as_ref(), url)
    }

    /// Stores the cookies a response sets, as reqwest does for its own.
    pub(crate) fn store_cookies(&self, url: &url::Url, headers: &reqwest::header::HeaderMap) {
        let mut set = headers.get_all(reqwest::header::SET_COOKIE).iter();
        reqwest::cookie::CookieStore::set_cookies(self.jar.as_ref(), &mut set, url);
    }

    /// The TLS config of the raw path (`raw.rs`): the same trust, client
    /// certificate and probe hooks as the reqwest clients', ALPN http/1.1.
    /// Built once per `verify` (the CA store is read once).
    pub(crate) fn raw_tls(
        &self,
        verify: bool,
        host: &str,
    ) -> Result<Arc<rustls::ClientConfig>, SendError> {
        let mut cache = self.raw_tls.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.get(&verify) {
            return Ok(c.clone());
        }
        let setup = TlsSetup {
            ca_file: self.config.ca_file.as_deref(),
            crl_file: self.config.crl_file.as_deref(),
            client_cert: self.config.client_cert.as_deref(),
            client_key: self.config.client_key.as_deref(),
            verify,
            version: HttpVersionPref::Http1,
        };
        let config = Arc::new(client_config(&setup, host)?);
        cache.insert(verify, config.clone());
        Ok(config)
    }

    /// The connection facts of a hop to `url` that got `response`.
    pub(crate) fn connection(
        &self,
        url: &url::Url,
        response: &reqwest::Response,
        seen: &Seen,
        reused: bool,
    ) -> Connection {
        let tls = if url.scheme() != "https" {
            None
        } else {
            let origin = url.origin().ascii_serialization();
            let mut known = self.tls_seen.lock().unwrap_or_else(|e| e.into_inner());
            match (reused, seen.tls_version) {
                (false, Some(version)) => {
                    let info = TlsInfo {
                        version: version.to_string(),
                        cipher: seen.cipher.clone().unwrap_or_default(),
                        certificate: seen.certificate.clone(),
                    };
                    known.insert(origin, info.clone());
                    Some(info)
                }
                _ => known.get(&origin).cloned(),
            }
        };
        Connection {
            remote: response.remote_addr(),
            version: super::exchange::version_name(response.version()).to_string(),
            tls,
        }
    }

    /// The client for `key`, built on first use. `host` is for error messages.
    pub(crate) fn get(&self, key: ClientKey, host: &str) -> Result<reqwest::Client, SendError> {
        // Held while building so two first https requests load the CA store once.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cache.get(&key) {
            return Ok(c.clone());
        }
        let client = self.build(key, host)?;
        cache.insert(key, client.clone());
        Ok(client)
    }

    fn build(&self, key: ClientKey, host: &str) -> Result<reqwest::Client, SendError> {
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            // HTTP/1 names as people write them (`Content-Type`), as
            // Postman sends them; hyper would lower-case them. HTTP/2 is
            // lower-case by rule and unaffected.
            .http1_title_case_headers()
            .connect_timeout(CONNECT_TIMEOUT)
            .cookie_provider(self.jar.clone());
        b = match key.version {
            HttpVersionPref::Auto => b,
            HttpVersionPref::Http1 => b.http1_only(),
            HttpVersionPref::Http2 => b.http2_prior_knowledge(),
        };
        b = b
            .dns_resolver(Arc::new(TimedResolver))
            .connector_layer(TimingLayer);
        if !key.tls {
            b = b.tls_built_in_root_certs(false);
        } else {
            let setup = TlsSetup {
                ca_file: self.config.ca_file.as_deref(),
                crl_file: self.config.crl_file.as_deref(),
                client_cert: self.config.client_cert.as_deref(),
                client_key: self.config.client_key.as_deref(),
                verify: key.verify_tls,
                version: key.version,
            };
            b = b.use_preconfigured_tls(client_config(&setup, host)?);
        }
        b.build().map_err(|e| SendError::Tls {
            host: host.to_string(),
            message: format!("could not set up the HTTP client: {e}"),
            problem: TlsProblem::ClientSetup,
        })
    }
}
