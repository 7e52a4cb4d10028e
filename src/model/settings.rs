use serde::{Deserialize, Serialize};

use super::Extra;

/// Send settings. Every field is optional: a request inherits what it leaves
/// out from its folders, its collection, the workspace, then the defaults.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_redirects: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_redirects: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_tls: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_version: Option<HttpVersion>,
    /// Cap on the decoded response body, in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<u64>,
    /// Time limit of each pre-request or test script, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script_timeout_ms: Option<u64>,
    /// Keep the method (and body) on a 301/302/303 redirect instead of
    /// switching to GET (Postman's `followOriginalHttpMethod`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_original_method: Option<bool>,
    /// Keep the `Authorization` header on a redirect to another host
    /// (Postman's `followAuthorizationHeader`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_authorization_header: Option<bool>,
    /// Send no `Referer` naming the previous URL on a redirect (Postman's
    /// `removeRefererHeaderOnRedirect`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remove_referer_on_redirect: Option<bool>,
    /// Send no body with GET, HEAD, COPY, PURGE and UNLOCK, as Postman does
    /// unless `disableBodyPruning` is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prune_body: Option<bool>,
    /// `false`: the URL's path and query go out as written, unencoded
    /// (Postman's `disableUrlEncoding`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encode_url: Option<bool>,
    /// Follow a redirect from https to plain http (refused by default: the
    /// rest of the exchange would go unencrypted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allow_downgrade: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Methods whose body Postman drops unless told not to.
pub const PRUNED_METHODS: &[&str] = &["GET", "HEAD", "COPY", "PURGE", "UNLOCK"];

impl Settings {
    pub fn is_empty(&self) -> bool {
        *self == Settings::default()
    }

    /// Whether `method`'s body stays unsent under these settings.
    pub fn prunes_body_of(&self, method: &str) -> bool {
        self.prune_body == Some(true)
            && PRUNED_METHODS
                .iter()
                .any(|m| m.eq_ignore_ascii_case(method))
    }

    /// `self` with the gaps filled from `parent`.
    pub fn or(&self, parent: &Settings) -> Settings {
        Settings {
            timeout_ms: self.timeout_ms.or(parent.timeout_ms),
            follow_redirects: self.follow_redirects.or(parent.follow_redirects),
            max_redirects: self.max_redirects.or(parent.max_redirects),
            verify_tls: self.verify_tls.or(parent.verify_tls),
            http_version: self.http_version.or(parent.http_version),
            max_body_bytes: self.max_body_bytes.or(parent.max_body_bytes),
            script_timeout_ms: self.script_timeout_ms.or(parent.script_timeout_ms),
            follow_original_method: self
                .follow_original_method
                .or(parent.follow_original_method),
            follow_authorization_header: (self.follow_authorization_header)
                .or(parent.follow_authorization_header),
            remove_referer_on_redirect: (self.remove_referer_on_redirect)
                .or(parent.remove_referer_on_redirect),
            prune_body: self.prune_body.or(parent.prune_body),
            encode_url: self.encode_url.or(parent.encode_url),
            allow_downgrade: self.allow_downgrade.or(parent.allow_downgrade),
            extra: self.extra.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HttpVersion {
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "1.1")]
    Http1,
    #[serde(rename = "2")]
    Http2,
}

/// TLS files, workspace-wide. Paths are relative to the workspace root.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TlsSettings {
    /// Extra CA certificates (PEM), trusted besides the system roots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Certificate revocation lists (PEM): a revoked chain is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crl_file: Option<String>,
    /// Client certificate (PEM), for mutual TLS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_cert: Option<String>,
    /// Client key (PEM), when it is not inside `client_cert`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl TlsSettings {
    pub fn is_empty(&self) -> bool {
        *self == TlsSettings::default()
    }
}

/// Telemetry out, workspace-wide (docs/observability.md). Flags and the
/// standard `OTEL_*` variables win over these.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TelemetrySettings {
    /// OTLP/HTTP collector base URL (`http://localhost:4318`): `send` and
    /// `run` export their spans there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub otlp_endpoint: Option<String>,
    /// Send a W3C `traceparent` header with every request.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub traceparent: bool,
    /// `service.name` of the exported spans (default `postie`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl TelemetrySettings {
    pub fn is_empty(&self) -> bool {
        *self == TelemetrySettings::default()
    }
}
