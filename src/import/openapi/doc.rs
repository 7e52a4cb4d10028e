//! The loaded document: its version and `$ref` resolution within it.

use serde_json::Value;

/// `$ref` chains longer than this are a loop.
const MAX_REF_HOPS: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// Swagger 2.0.
    V2,
    /// OpenAPI 3.0, 3.1 (and 3.2, read as 3.1).
    V3,
}

pub struct Doc<'a> {
    pub root: &'a Value,
    pub version: Version,
}

impl<'a> Doc<'a> {
    /// The target of a local reference `#/a/b`, or `None` for a reference
    /// outside the document or one that leads nowhere.
    pub fn target(&self, reference: &str) -> Option<&'a Value> {
        let pointer = reference.strip_prefix('#')?;
        let decoded = percent_encoding::percent_decode_str(pointer).decode_utf8_lossy();
        if decoded.is_empty() {
            return Some(self.root);
        }
        self.root.pointer(&decoded)
    }

    /// `v` with `$ref`s followed (a chain of them too). An unresolvable
    /// reference gives `Err` with the reference.
    pub fn resolve(&self, v: &'a Value) -> Result<&'a Value, String> {
        let mut cur = v;
        for _ in 0..MAX_REF_HOPS {
            match ref_of(cur) {
                Some(r) => cur = self.target(r).ok_or_else(|| r.to_string())?,
                None => return Ok(cur),
            }
        }
        Err(ref_of(cur).unwrap_or("$ref").to_string())
    }

    /// Like [`Doc::resolve`], with a dangling reference read as nothing.
    pub fn get(&self, v: &'a Value) -> &'a Value {
        self.resolve(v).unwrap_or(&Value::Null)
    }
}

pub fn ref_of(v: &Value) -> Option<&str> {
    v.get("$ref").and_then(Value::as_str)
}

/// A scalar as the text a request carries: strings as they are, anything
/// else as JSON.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Array(items) if items.iter().all(|i| !i.is_object() && !i.is_array()) => {
            items.iter().map(text_of).collect::<Vec<_>>().join(",")
        }
        other => other.to_string(),
    }
}

pub fn str_at<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn follows_chains_and_reports_dangling_and_looping_refs() {
        let root = json!({
            "components": {"schemas": {
                "A": {"$ref": "#/components/schemas/B"},
                "B": {"type": "string"},
                "L": {"$ref": "#/components/schemas/L"},
                "a/b": {"type": "integer"}
            }}
        });
        let doc = Doc {
            root: &root,
            version: Version::V3,
        };
        let a = json!({"$ref": "#/components/schemas/A"});
        assert_eq!(doc.resolve(&a).unwrap()["type"], "string");
        let slash = json!({"$ref": "#/components/schemas/a~1b"});
        assert_eq!(doc.resolve(&slash).unwrap()["type"], "integer");
        assert!(doc.resolve(&json!({"$ref": "#/nope"})).is_err());
        assert!(doc.resolve(&json!({"$ref": "other.yaml#/x"})).is_err());
        assert!(doc
            .resolve(&json!({"$ref": "#/components/schemas/L"}))
            .is_err());
    }
}
