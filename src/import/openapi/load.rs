//! Reading a spec's text, JSON or YAML, into one JSON value.

use saphyr::{LoadableYamlNode, Scalar, Yaml};
use serde_json::{Map, Number, Value};

use crate::import::{Format, ImportError};

/// Parses `text` as JSON when it looks like JSON, else as YAML (a JSON
/// document is also YAML, but serde_json gives better positions for it).
pub fn load(text: &str) -> Result<Value, ImportError> {
    load_as(Format::OpenApi, text)
}

/// [`load`], for another format's YAML (errors name `format`).
pub fn load_as(format: Format, text: &str) -> Result<Value, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(text)
            .map_err(|e| ImportError::at(format, e.line(), e.column(), e.to_string()));
    }
    let docs = Yaml::load_from_str(text).map_err(|e| {
        let m = e.marker();
        ImportError::at(format, m.line(), m.col() + 1, e.info().to_string())
    })?;
    match docs.into_iter().next() {
        Some(doc) => Ok(to_json(doc)),
        None => Err(ImportError::invalid(format, "the file is empty")),
    }
}

fn to_json(y: Yaml<'_>) -> Value {
    match y {
        Yaml::Value(s) => scalar(s),
        Yaml::Representation(text, _, _) => Value::String(text.into_owned()),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Yaml::Mapping(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(key(k), to_json(v));
            }
            Value::Object(out)
        }
        Yaml::Tagged(_, inner) => to_json(*inner),
        Yaml::Alias(_) | Yaml::BadValue => Value::Null,
    }
}

fn scalar(s: Scalar<'_>) -> Value {
    match s {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Bool(b),
        Scalar::Integer(i) => Value::Number(i.into()),
        Scalar::FloatingPoint(f) => Number::from_f64(f.into_inner())
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(f.to_string())),
        Scalar::String(s) => Value::String(s.into_owned()),
    }
}

/// Mapping keys become strings: response codes (`200:`) are integers in YAML.
fn key(k: Yaml<'_>) -> String {
    match to_json(k) {
        Value::String(s) => s,
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_keys_numbers_and_anchors() {
        let v = load("a: &x {b: 1}\nc: *x\nresponses:\n  200: ok\nf: 1.5\n").unwrap();
        assert_eq!(v["c"]["b"], 1);
        assert_eq!(v["responses"]["200"], "ok");
        assert_eq!(v["f"], 1.5);
    }

    #[test]
    fn errors_carry_a_position() {
        let e = load("a: [1, 2\nb: }").unwrap_err().to_string();
        assert!(e.starts_with("line "), "{e}");
        let e = load("{\"a\": 1,\n  \"b\" 2}").unwrap_err().to_string();
        assert!(e.contains("line 2"), "{e}");
    }
}
