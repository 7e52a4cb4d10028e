use serde::{Deserialize, Serialize};

use super::{AuthWithExtra, Extra, KeyValue, Settings, Variables};

/// A collection (`collection.json`) or a folder (`folder.json`): both carry
/// variables, default headers, auth, settings and scripts their requests
/// inherit, and the order of their items.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Folder {
    /// Display name; defaults to the directory name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Variables::is_empty")]
    pub variables: Variables,
    /// Sent with every request inside, unless the request sets the same name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<KeyValue>,
    #[serde(default, skip_serializing_if = "AuthWithExtra::is_inherit")]
    pub auth: AuthWithExtra,
    #[serde(default, skip_serializing_if = "Settings::is_empty")]
    pub settings: Settings,
    /// Item names (request stems and folder names) in display order. Items
    /// not listed follow, sorted by name, so adding a request never has to
    /// touch this file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub order: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
    #[serde(skip)]
    pub description: Option<String>,
    #[serde(skip)]
    pub pre_request: Option<String>,
    #[serde(skip)]
    pub test: Option<String>,
}
