//! Lazily built, cached reqwest clients. Loading the system CA store costs
//! milliseconds, so a plain-http request never does it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::cookies::CookieJar;
use super::{ClientConfig, HttpVersionPref, SendError};

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
}

impl Clients {
    pub(crate) fn new(config: ClientConfig, jar: Arc<CookieJar>) -> Clients {
        Clients {
            config,
            jar,
            cache: Mutex::new(HashMap::new()),
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
        if !key.tls {
            b = b.tls_built_in_root_certs(false);
        } else {
            if let Some(ca) = &self.config.ca_file {
                let pem = read(ca)?;
                let certs =
                    reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| SendError::File {
                        path: ca.clone(),
                        message: format!("not a PEM certificate bundle: {e}"),
                    })?;
                if certs.is_empty() {
                    return Err(SendError::File {
                        path: ca.clone(),
                        message: "no PEM certificate found".into(),
                    });
                }
                for cert in certs {
                    b = b.add_root_certificate(cert);
                }
            }
            if let Some(cert) = &self.config.client_cert {
                let mut pem = read(cert)?;
                if let Some(key_path) = &self.config.client_key {
                    pem.push(b'\n');
                    pem.extend(read(key_path)?);
                }
                let identity = reqwest::Identity::from_pem(&pem).map_err(|e| SendError::Tls {
                    host: host.to_string(),
                    message: format!("client certificate {} (with its key): {e}", cert.display()),
                })?;
                b = b.identity(identity);
            }
            if !key.verify_tls {
                b = b.danger_accept_invalid_certs(true);
            }
        }
        b.build().map_err(|e| SendError::Tls {
            host: host.to_string(),
            message: format!("could not set up the HTTP client: {e}"),
        })
    }
}

fn read(path: &Path) -> Result<Vec<u8>, SendError> {
    std::fs::read(path).map_err(|e| SendError::File {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}
