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
    #[serde(flatten)]
    pub extra: Extra,
}

impl Settings {
    pub fn is_empty(&self) -> bool {
        *self == Settings::default()
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
