use serde::{Deserialize, Serialize};

use super::{default_true, is_true, Extra};

/// One row of a params, headers or form table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl KeyValue {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        KeyValue {
            name: name.into(),
            value: value.into(),
            enabled: true,
            description: None,
            extra: Extra::new(),
        }
    }
}
