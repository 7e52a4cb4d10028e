//! Building an example value from a JSON Schema, for request bodies and
//! parameters that have no example of their own.

use serde_json::{Map, Value};

use super::doc::{ref_of, Doc};

/// Nesting deeper than this is cut (recursive schemas, or just deep ones).
const MAX_DEPTH: usize = 8;
/// Total values built for one example; big specs (Stripe) nest widely.
const MAX_NODES: usize = 2000;

/// What building an example ran into, for the import report.
#[derive(Debug, Default)]
pub struct Built {
    pub value: Value,
    /// A `$ref` cycle or the depth/size limit cut the example short.
    pub cut: bool,
    /// References that lead nowhere in the document.
    pub dangling: Vec<String>,
}

pub fn from_schema(doc: &Doc<'_>, schema: &Value) -> Built {
    let mut b = Builder {
        doc,
        stack: Vec::new(),
        nodes: 0,
        cut: false,
        dangling: Vec::new(),
    };
    let value = b.build(schema, 0);
    Built {
        value,
        cut: b.cut,
        dangling: b.dangling,
    }
}

struct Builder<'d, 'a> {
    doc: &'d Doc<'a>,
    /// References being expanded, to cut cycles.
    stack: Vec<String>,
    nodes: usize,
    cut: bool,
    dangling: Vec<String>,
}

impl Builder<'_, '_> {
    fn build(&mut self, schema: &Value, depth: usize) -> Value {
        self.nodes += 1;
        if depth > MAX_DEPTH || self.nodes > MAX_NODES {
            self.cut = true;
            return Value::Null;
        }
        if let Some(r) = ref_of(schema) {
            if self.stack.iter().any(|s| s == r) {
                self.cut = true;
                return Value::Null;
            }
            let Some(target) = self.doc.target(r) else {
                self.dangling.push(r.to_string());
                return Value::Null;
            };
            self.stack.push(r.to_string());
            let v = self.build(target, depth);
            self.stack.pop();
            return v;
        }
        let Some(obj) = schema.as_object() else {
            // `true` / `{}`: anything goes.
            return Value::Null;
        };
        if let Some(v) = obj.get("example") {
            return v.clone();
        }
        if let Some(v) = obj
            .get("examples")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return v.clone();
        }
        for key in ["const", "default"] {
            if let Some(v) = obj.get(key) {
                return v.clone();
            }
        }
        if let Some(v) = obj
            .get("enum")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return v.clone();
        }
        if let Some(all) = obj.get("allOf").and_then(Value::as_array) {
            let mut merged = Map::new();
            let mut last = Value::Null;
            for part in all {
                match self.build(part, depth + 1) {
                    Value::Object(m) => merged.extend(m),
                    other => last = other,
                }
            }
            // Sibling properties of allOf add to it.
            if let Value::Object(m) = self.object(obj, depth) {
                merged.extend(m);
            }
            return if merged.is_empty() {
                last
            } else {
                Value::Object(merged)
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(first) = obj.get(key).and_then(Value::as_array).and_then(|a| {
                a.iter()
                    .find(|s| s.get("type").and_then(Value::as_str) != Some("null"))
            }) {
                return self.build(first, depth + 1);
            }
        }
        match type_of(obj) {
            Some("object") => self.object(obj, depth),
            Some("array") => match obj.get("items") {
                Some(items) => {
                    let item = self.build(items, depth + 1);
                    Value::Array(vec![item])
                }
                None => Value::Array(Vec::new()),
            },
            Some("string") => Value::String(string_example(obj)),
            Some("integer") => number_example(obj, true),
            Some("number") => number_example(obj, false),
            Some("boolean") => Value::Bool(true),
            Some("null") => Value::Null,
            _ if obj.contains_key("properties") => self.object(obj, depth),
            _ if obj.contains_key("items") => self.build(
                &serde_json::json!({"type": "array", "items": obj["items"]}),
                depth,
            ),
            _ => Value::Null,
        }
    }

    fn object(&mut self, obj: &Map<String, Value>, depth: usize) -> Value {
        let mut out = Map::new();
        if let Some(props) = obj.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                // Read-only properties are what the server sends, not takes.
                if self.doc.get(prop).get("readOnly") == Some(&Value::Bool(true)) {
                    continue;
                }
                let v = self.build(prop, depth + 1);
                out.insert(name.clone(), v);
            }
        }
        Value::Object(out)
    }
}

/// `type`, or the first non-null one of a 3.1 type list.
pub fn type_of(obj: &Map<String, Value>) -> Option<&str> {
    match obj.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.iter().filter_map(Value::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn string_example(obj: &Map<String, Value>) -> String {
    let format = obj.get("format").and_then(Value::as_str).unwrap_or("");
    match format {
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "email" | "idn-email" => "user@example.com",
        "uuid" => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "uri" | "url" | "iri" => "https://example.com",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "U3RyaW5n",
        "password" => "********",
        "binary" => "",
        _ => "string",
    }
    .to_string()
}

fn number_example(obj: &Map<String, Value>, integer: bool) -> Value {
    let min = obj.get("minimum").and_then(Value::as_f64);
    match (min, integer) {
        (Some(m), true) => Value::from(m.ceil() as i64),
        (Some(m), false) => serde_json::Number::from_f64(m).map_or(Value::from(0), Value::Number),
        (None, _) => Value::from(0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::openapi::doc::Version;
    use serde_json::json;

    #[test]
    fn builds_objects_arrays_formats_and_cuts_cycles() {
        let root = json!({"definitions": {
            "Node": {"type": "object", "properties": {
                "id": {"type": "string", "format": "uuid", "readOnly": true},
                "name": {"type": "string", "default": "n"},
                "kind": {"enum": ["a", "b"]},
                "at": {"type": "string", "format": "date-time"},
                "count": {"type": ["integer", "null"], "minimum": 3},
                "children": {"type": "array", "items": {"$ref": "#/definitions/Node"}}
            }}
        }});
        let doc = Doc {
            root: &root,
            version: Version::V2,
        };
        let b = from_schema(&doc, &json!({"$ref": "#/definitions/Node"}));
        assert!(b.cut);
        assert_eq!(
            b.value,
            json!({"name": "n", "kind": "a", "at": "2024-01-01T00:00:00Z", "count": 3, "children": [null]})
        );
        let all = from_schema(
            &doc,
            &json!({"allOf": [
                {"type": "object", "properties": {"a": {"type": "boolean"}}},
                {"properties": {"b": {"type": "string", "format": "email"}}}
            ]}),
        );
        assert_eq!(all.value, json!({"a": true, "b": "user@example.com"}));
        assert!(!all.cut);
    }
}
