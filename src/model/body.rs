use serde::de::{self, Deserializer};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{default_true, is_true, Extra, KeyValue};
use crate::media::{self, MediaKind};

/// A request body. Text bodies live in a sidecar file
/// (`<stem>.body.<ext>`); on disk the request only says `{"type": "json"}`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Body {
    #[default]
    None,
    /// JSON, text, XML, HTML or JavaScript source, kept byte for byte.
    Raw { kind: RawKind, text: String },
    /// `application/x-www-form-urlencoded`.
    Form(Vec<KeyValue>),
    /// `multipart/form-data`.
    Multipart(Vec<Part>),
    /// The bytes of a file, path relative to the workspace root.
    Binary { file: String },
    /// Query in `<stem>.body.graphql`, variables in `<stem>.variables.json`.
    GraphQl { query: String, variables: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawKind {
    Json,
    Text,
    Xml,
    Html,
    JavaScript,
}

impl RawKind {
    pub const ALL: [RawKind; 5] = [
        RawKind::Json,
        RawKind::Text,
        RawKind::Xml,
        RawKind::Html,
        RawKind::JavaScript,
    ];

    pub fn type_name(self) -> &'static str {
        match self {
            RawKind::Json => "json",
            RawKind::Text => "text",
            RawKind::Xml => "xml",
            RawKind::Html => "html",
            RawKind::JavaScript => "javascript",
        }
    }

    /// Extension of the sidecar file, so editors pick the right mode.
    pub fn extension(self) -> &'static str {
        self.media().extension()
    }

    pub fn content_type(self) -> &'static str {
        self.media().content_type()
    }

    pub fn media(self) -> MediaKind {
        match self {
            RawKind::Json => MediaKind::Json,
            RawKind::Text => MediaKind::Text,
            RawKind::Xml => MediaKind::Xml,
            RawKind::Html => MediaKind::Html,
            RawKind::JavaScript => MediaKind::JavaScript,
        }
    }

    /// The raw kind for a Content-Type: text unless it names JSON, XML,
    /// HTML or JavaScript.
    pub fn from_content_type(content_type: &str) -> RawKind {
        match media::kind_of(content_type) {
            MediaKind::Json => RawKind::Json,
            MediaKind::Xml => RawKind::Xml,
            MediaKind::Html => RawKind::Html,
            MediaKind::JavaScript => RawKind::JavaScript,
            _ => RawKind::Text,
        }
    }

    pub fn from_type_name(s: &str) -> Option<RawKind> {
        RawKind::ALL.into_iter().find(|k| k.type_name() == s)
    }
}

/// One part of a multipart body: text (`value`) or a file (`file`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Path relative to the workspace root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Overrides the file name sent (default: the file's own name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default = "default_true", skip_serializing_if = "is_true")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Body {
    pub const TYPES: &'static [&'static str] = &[
        "none",
        "json",
        "text",
        "xml",
        "html",
        "javascript",
        "form",
        "multipart",
        "binary",
        "graphql",
    ];

    pub fn type_name(&self) -> &'static str {
        match self {
            Body::None => "none",
            Body::Raw { kind, .. } => kind.type_name(),
            Body::Form(_) => "form",
            Body::Multipart(_) => "multipart",
            Body::Binary { .. } => "binary",
            Body::GraphQl { .. } => "graphql",
        }
    }

    pub fn is_none(&self) -> bool {
        matches!(self, Body::None)
    }
}

/// Body with the unknown fields of its object.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BodyWithExtra {
    pub body: Body,
    pub extra: Extra,
}

impl BodyWithExtra {
    pub fn is_none(&self) -> bool {
        self.body.is_none() && self.extra.is_empty()
    }
}

fn to_value<T: Serialize, E: serde::ser::Error>(v: &T) -> Result<Value, E> {
    serde_json::to_value(v).map_err(E::custom)
}

impl Serialize for BodyWithExtra {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = serde_json::Map::new();
        m.insert("type".into(), self.body.type_name().into());
        match &self.body {
            Body::None | Body::Raw { .. } | Body::GraphQl { .. } => {}
            Body::Form(fields) => {
                m.insert("fields".into(), to_value(fields)?);
            }
            Body::Multipart(parts) => {
                m.insert("parts".into(), to_value(parts)?);
            }
            Body::Binary { file } => {
                m.insert("file".into(), Value::String(file.clone()));
            }
        }
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        m.serialize(s)
    }
}

impl<'de> Deserialize<'de> for BodyWithExtra {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = Extra::deserialize(d)?;
        let ty = match m.remove("type") {
            Some(Value::String(t)) => t,
            Some(_) => return Err(de::Error::custom("body `type` must be a string")),
            None => return Err(de::Error::custom("body needs a `type`")),
        };
        let mut take = |k: &str| m.remove(k).unwrap_or(Value::Null);
        let body = match ty.as_str() {
            "none" => Body::None,
            "form" => Body::Form(
                match take("fields") {
                    Value::Null => Ok(Vec::new()),
                    v => serde_json::from_value(v),
                }
                .map_err(|e| de::Error::custom(format!("body `fields`: {e}")))?,
            ),
            "multipart" => {
                let parts: Vec<Part> = match take("parts") {
                    Value::Null => Ok(Vec::new()),
                    v => serde_json::from_value(v),
                }
                .map_err(|e| de::Error::custom(format!("body `parts`: {e}")))?;
                if let Some(p) = parts.iter().find(|p| p.value.is_some() && p.file.is_some()) {
                    return Err(de::Error::custom(format!(
                        "multipart part `{}` has both `value` and `file`",
                        p.name
                    )));
                }
                Body::Multipart(parts)
            }
            "binary" => match take("file") {
                Value::String(file) => Body::Binary { file },
                _ => return Err(de::Error::custom("binary body needs a `file` path")),
            },
            "graphql" => Body::GraphQl {
                query: String::new(),
                variables: String::new(),
            },
            raw => match RawKind::from_type_name(raw) {
                Some(kind) => Body::Raw {
                    kind,
                    text: String::new(),
                },
                None => {
                    return Err(de::Error::custom(format!(
                        "unknown body type {raw:?} (expected one of: {})",
                        Body::TYPES.join(", ")
                    )))
                }
            },
        };
        Ok(BodyWithExtra { body, extra: m })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structured_bodies_round_trip() {
        for src in [
            r#"{"type":"json"}"#,
            r#"{"type":"form","fields":[{"name":"a","value":"1"},{"name":"b","value":"2","enabled":false}]}"#,
            r#"{"type":"multipart","parts":[{"name":"a","value":"1"},{"name":"f","file":"x.png","content_type":"image/png"}]}"#,
            r#"{"type":"binary","file":"data/blob.bin"}"#,
            r#"{"type":"graphql","x-future":true}"#,
        ] {
            let b: BodyWithExtra = serde_json::from_str(src).unwrap();
            assert_eq!(serde_json::to_string(&b).unwrap(), src);
        }
    }

    #[test]
    fn a_part_with_value_and_file_is_rejected() {
        let e = serde_json::from_str::<BodyWithExtra>(
            r#"{"type":"multipart","parts":[{"name":"a","value":"1","file":"f"}]}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("both"), "{e}");
    }
}
