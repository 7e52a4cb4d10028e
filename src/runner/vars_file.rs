//! Postman environment and globals files (`-e`, `-g`) read and written as
//! newman reads and exports them.
//!
//! Read: `{"name", "values": [{key, value, type, enabled|disabled}]}` as
//! Postman exports it (globals add `_postman_variable_scope`), a bare list
//! of variables (old globals exports), either wrapped as Postman's API
//! returns it (`{"environment": {...}}`, `{"globals": {...}}`), in UTF-8
//! with or without a BOM or UTF-16. As in newman (postman-collection's
//! `VariableScope`): disabled values are left out; of several values with
//! one name the last enabled one counts, in the place of the first; a
//! value's `type` casts it (`string`, `number`, `boolean`, `array`,
//! `object`; any other type keeps the JSON value as it is).
//!
//! Two choices where newman has no useful answer: `"enabled": false` (what
//! the Postman app writes) disables a value as `"disabled": true` does
//! (newman ignores it and uses the value, its issue #2986); a value with
//! no `value` (JavaScript's `undefined`) is the empty string, which is
//! what it resolves to in `{{name}}`.

use std::time::SystemTime;

use serde_json::{Map, Value};

use super::data::{js_number, js_number_text, js_to_number};
use crate::import::text::{clean_text, decode_input};

/// The variables of an environment or globals file, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VarsFile {
    pub name: Option<String>,
    pub id: Option<String>,
    pub values: Vec<(String, Value)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VarsKind {
    Environment,
    Globals,
}

impl VarsKind {
    /// Postman's `_postman_variable_scope`, and the name of a file without one.
    pub fn scope(self) -> &'static str {
        match self {
            VarsKind::Environment => "environment",
            VarsKind::Globals => "globals",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum VarsFileError {
    /// 1-based position of the syntax error.
    #[error("line {line}, column {column}: not valid JSON: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("expected an environment or globals file (a JSON object with `values`, or a list of variables), found {found}")]
    Shape { found: &'static str },
}

pub fn read(bytes: &[u8]) -> Result<VarsFile, VarsFileError> {
    let decoded = decode_input(bytes);
    let mut root: Value =
        serde_json::from_str(&clean_text(&decoded)).map_err(|e| VarsFileError::Json {
            line: e.line(),
            column: e.column(),
            message: without_position(&e.to_string()),
        })?;
    // The API's envelope, possibly twice (newman unwraps it twice too).
    for _ in 0..2 {
        let Value::Object(o) = &mut root else { break };
        if o.contains_key("values") {
            break;
        }
        let key = ["environment", "globals"]
            .into_iter()
            .find(|k| matches!(o.get(*k), Some(Value::Object(_))));
        match key.and_then(|k| o.remove(k)) {
            Some(inner) => root = inner,
            None => break,
        }
    }
    let (name, id, list) = match &root {
        Value::Array(list) => (None, None, list.as_slice()),
        Value::Object(o) => {
            let field = |k: &str| text(o.get(k)).filter(|s| !s.is_empty());
            let list = match o.get("values") {
                Some(Value::Array(list)) => list.as_slice(),
                // newman reads any other object as a file with no values.
                _ => &[],
            };
            (
                field("name"),
                field("id").or_else(|| field("_postman_id")),
                list,
            )
        }
        other => {
            return Err(VarsFileError::Shape {
                found: kind_of(other),
            })
        }
    };
    let mut values: Vec<(String, Value)> = Vec::new();
    for v in list.iter().filter_map(Value::as_object) {
        let Some(key) = text(v.get("key")).filter(|k| !k.is_empty()) else {
            continue;
        };
        if truthy(v.get("disabled")) || v.get("enabled") == Some(&Value::Bool(false)) {
            continue;
        }
        let value = typed(v.get("value"), v.get("type"));
        match values.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => values.push((key, value)),
        }
    }
    Ok(VarsFile { name, id, values })
}

/// newman's `--export-environment` / `--export-globals` file: 2-space
/// indent, a trailing newline, exported now.
pub fn write(kind: VarsKind, file: &VarsFile) -> String {
    write_at(kind, file, SystemTime::now())
}

/// [`write`], exported at `at`.
pub fn write_at(kind: VarsKind, file: &VarsFile, at: SystemTime) -> String {
    let mut out = Map::new();
    if let Some(id) = &file.id {
        out.insert("id".into(), id.clone().into());
    }
    let name = file.name.as_deref().unwrap_or(kind.scope());
    out.insert("name".into(), name.into());
    // newman writes each value's fields in this order.
    let values = file
        .values
        .iter()
        .map(|(k, v)| {
            let mut m = Map::new();
            m.insert("type".into(), "any".into());
            m.insert("value".into(), v.clone());
            m.insert("key".into(), k.clone().into());
            Value::Object(m)
        })
        .collect();
    out.insert("values".into(), Value::Array(values));
    out.insert("_postman_variable_scope".into(), kind.scope().into());
    out.insert(
        "_postman_exported_at".into(),
        humantime::format_rfc3339_millis(at).to_string().into(),
    );
    out.insert(
        "_postman_exported_using".into(),
        format!("postie/{}", env!("CARGO_PKG_VERSION")).into(),
    );
    let mut text = serde_json::to_string_pretty(&Value::Object(out)).unwrap_or_default();
    text.push('\n');
    text
}

/// The value as postman-collection's `Variable` of that type holds it.
fn typed(value: Option<&Value>, ty: Option<&Value>) -> Value {
    let ty = ty
        .and_then(Value::as_str)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ty.as_str() {
        "string" => Value::String(js_string(value)),
        "number" => js_number(to_number(value)),
        "boolean" => Value::Bool(truthy(value)),
        // Kept as JSON text in Postman; what does not parse to the right
        // kind is `undefined`.
        "array" | "object" => {
            let parsed = match value {
                Some(Value::String(s)) => serde_json::from_str::<Value>(s).ok(),
                other => other.cloned(),
            };
            match parsed {
                Some(v @ Value::Array(_)) if ty == "array" => v,
                Some(v @ Value::Object(_)) if ty == "object" => v,
                _ => Value::String(String::new()),
            }
        }
        _ => value
            .cloned()
            .unwrap_or_else(|| Value::String(String::new())),
    }
}

/// JavaScript's `String(value)`.
fn js_string(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(Value::Null) => "null".into(),
        Some(Value::Bool(b)) => b.to_string(),
        Some(Value::Number(n)) => number_text(n),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|e| match e {
                Value::Null => String::new(),
                e => js_string(Some(e)),
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(Value::Object(_)) => "[object Object]".into(),
    }
}

fn number_text(n: &serde_json::Number) -> String {
    match (n.as_i64(), n.as_f64()) {
        (Some(i), _) if i.unsigned_abs() <= 1 << 53 => i.to_string(),
        (_, Some(f)) => js_number_text(f),
        _ => n.to_string(),
    }
}

/// JavaScript's `Number(value)`.
fn to_number(v: Option<&Value>) -> f64 {
    match v {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => js_to_number(s),
        Some(a @ Value::Array(_)) => js_to_number(&js_string(Some(a))),
        Some(Value::Object(_)) => f64::NAN,
    }
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

/// A name Postman wrote as a string, or as a number.
fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(number_text(n)),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// serde_json appends " at line L column C"; the error shows it already.
fn without_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::{Duration, UNIX_EPOCH};

    fn values(f: &VarsFile) -> Value {
        Value::Array(
            f.values
                .iter()
                .map(|(k, v)| json!([k, v]))
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn environments_globals_lists_and_the_api_envelope() {
        let env = read(
            br#"{"id": "e1", "name": "Dev", "values": [
                {"key": "url", "value": "http://x", "enabled": true, "type": "default"},
                {"key": "n", "value": 5, "type": "any"}
            ], "_postman_variable_scope": "environment"}"#,
        )
        .unwrap();
        assert_eq!(env.name.as_deref(), Some("Dev"));
        assert_eq!(env.id.as_deref(), Some("e1"));
        assert_eq!(values(&env), json!([["url", "http://x"], ["n", 5]]));

        let list = read(br#"[{"key": "g", "value": true}, "junk", {"value": "no key"}]"#).unwrap();
        assert_eq!(list.name, None);
        assert_eq!(values(&list), json!([["g", true]]));

        let api =
            read(br#"{"environment": {"name": "Api", "values": [{"key": "k", "value": "v"}]}}"#)
                .unwrap();
        assert_eq!(api.name.as_deref(), Some("Api"));
        assert_eq!(values(&api), json!([["k", "v"]]));
        let twice =
            read(br#"{"globals": {"globals": {"values": [{"key": "k", "value": "v"}]}}}"#).unwrap();
        assert_eq!(values(&twice), json!([["k", "v"]]));

        // newman reads an object without values as an empty file.
        assert_eq!(read(b"{}").unwrap(), VarsFile::default());
    }

    #[test]
    fn boms_and_utf16() {
        let text = r#"{"name": "é", "values": [{"key": "a", "value": "ü"}]}"#;
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend(text.as_bytes());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        for bytes in [bom, utf16] {
            let f = read(&bytes).unwrap();
            assert_eq!(f.name.as_deref(), Some("é"));
            assert_eq!(values(&f), json!([["a", "ü"]]));
        }
    }

    #[test]
    fn disabled_values_are_left_out_and_the_last_enabled_duplicate_wins_in_place() {
        let f = read(
            br#"{"values": [
                {"key": "justDisabled", "value": "1", "disabled": true},
                {"key": "oneDisabled", "value": "1"},
                {"key": "dup", "value": "1", "type": "text"},
                {"key": "oneDisabled", "value": "2", "disabled": true},
                {"key": "app", "value": "x", "enabled": false},
                {"key": "dup", "value": "2", "type": "text"}
            ]}"#,
        )
        .unwrap();
        assert_eq!(values(&f), json!([["oneDisabled", "1"], ["dup", "2"]]));
    }

    /// Checked against postman-collection 4.4.0 (newman 6's), except
    /// `missing`, which is `undefined` there.
    #[test]
    fn types_cast_values_as_postman_does() {
        let f = read(
            br#"{"values": [
                {"key": "s", "value": 5, "type": "string"},
                {"key": "s2", "value": [1, null, "a"], "type": "String"},
                {"key": "n", "value": " 12 ", "type": "number"},
                {"key": "hex", "value": "0x10", "type": "number"},
                {"key": "nan", "value": "abc", "type": "number"},
                {"key": "b", "value": "false", "type": "boolean"},
                {"key": "b0", "value": 0, "type": "boolean"},
                {"key": "arr", "value": "[1,2]", "type": "array"},
                {"key": "notarr", "value": "{}", "type": "array"},
                {"key": "obj", "value": {"a": 1}, "type": "object"},
                {"key": "keep", "value": 1.5, "type": "secret"},
                {"key": "missing"},
                {"key": 7, "value": "numeric key"},
                {"key": "sn", "type": "string"},
                {"key": "nul", "value": null, "type": "number"},
                {"key": "f", "value": 1e21, "type": "string"}
            ]}"#,
        )
        .unwrap();
        assert_eq!(
            values(&f),
            json!([
                ["s", "5"],
                ["s2", "1,,a"],
                ["n", 12],
                ["hex", 16],
                ["nan", null],
                ["b", true],
                ["b0", false],
                ["arr", [1, 2]],
                ["notarr", ""],
                ["obj", {"a": 1}],
                ["keep", 1.5],
                ["missing", ""],
                ["7", "numeric key"],
                ["sn", "undefined"],
                ["nul", 0],
                ["f", "1e+21"]
            ])
        );
    }

    #[test]
    fn errors_say_where_and_what() {
        match read(b"{\n  \"values\": [,]\n}") {
            Err(VarsFileError::Json { line, column, .. }) => assert_eq!((line, column), (2, 14)),
            other => panic!("{other:?}"),
        }
        let e = read(b"\"just text\"").unwrap_err();
        assert!(e.to_string().contains("found a string"), "{e}");
    }

    #[test]
    fn written_as_newman_exports_it() {
        let f = VarsFile {
            name: None,
            id: Some("e1".into()),
            values: vec![("a".into(), json!("1")), ("n".into(), json!(2))],
        };
        let at = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
        let text = write_at(VarsKind::Globals, &f, at);
        let want = format!(
            r#"{{
  "id": "e1",
  "name": "globals",
  "values": [
    {{
      "type": "any",
      "value": "1",
      "key": "a"
    }},
    {{
      "type": "any",
      "value": 2,
      "key": "n"
    }}
  ],
  "_postman_variable_scope": "globals",
  "_postman_exported_at": "2023-11-14T22:13:20.123Z",
  "_postman_exported_using": "postie/{}"
}}
"#,
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(text, want);
        // And it reads back.
        let back = read(text.as_bytes()).unwrap();
        assert_eq!(back.values, f.values);
        assert_eq!(back.name.as_deref(), Some("globals"));
        let env = write(
            VarsKind::Environment,
            &VarsFile {
                name: Some("Dev".into()),
                ..VarsFile::default()
            },
        );
        assert!(env.contains("\"_postman_variable_scope\": \"environment\""));
        assert!(env.contains("\"name\": \"Dev\""));
        assert!(env.contains("\"values\": []"));
    }
}
