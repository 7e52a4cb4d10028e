use serde::{Deserialize, Serialize};

use super::{AuthWithExtra, BodyWithExtra, Extra, KeyValue, Settings};

/// One request: `<stem>.json`, plus sidecars beside it.
///
/// Only `method` and `url` are required; everything else has a default and
/// is left out of the file when it has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Display name; defaults to the file stem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub method: String,
    /// May contain a query string; enabled `params` are appended to it.
    pub url: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "BodyWithExtra::is_none")]
    pub body: BodyWithExtra,
    #[serde(default, skip_serializing_if = "AuthWithExtra::is_inherit")]
    pub auth: AuthWithExtra,
    #[serde(default, skip_serializing_if = "Settings::is_empty")]
    pub settings: Settings,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<Example>,
    #[serde(flatten)]
    pub extra: Extra,
    /// Markdown, from `<stem>.md`.
    #[serde(skip)]
    pub description: Option<String>,
    /// JavaScript, from `<stem>.pre.js`.
    #[serde(skip)]
    pub pre_request: Option<String>,
    /// JavaScript, from `<stem>.test.js`.
    #[serde(skip)]
    pub test: Option<String>,
}

impl Request {
    pub fn new(method: impl Into<String>, url: impl Into<String>) -> Self {
        Request {
            name: None,
            method: method.into(),
            url: url.into(),
            params: Vec::new(),
            headers: Vec::new(),
            body: BodyWithExtra::default(),
            auth: AuthWithExtra::default(),
            settings: Settings::default(),
            examples: Vec::new(),
            extra: Extra::new(),
            description: None,
            pre_request: None,
            test: None,
        }
    }
}

/// A saved example response. Its body is the sidecar
/// `<stem>.example.<slug>.<ext>`, where `slug` comes from the name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Example {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(flatten)]
    pub extra: Extra,
    #[serde(skip)]
    pub body: Option<String>,
}

impl AuthWithExtra {
    pub fn is_inherit(&self) -> bool {
        self.auth.is_inherit() && self.extra.is_empty()
    }
}
