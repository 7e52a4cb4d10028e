//! Reading the loosely typed JSON Postman writes: numbers where strings are
//! expected, descriptions as strings or objects, a BOM in front.

use serde_json::{Map, Value};

use crate::import::{Format, ImportError};

/// Parses `text` as JSON, with the position of a syntax error.
pub fn parse(format: Format, text: &str) -> Result<Value, ImportError> {
    let text = crate::import::text::clean_text(text);
    serde_json::from_str(&text).map_err(|e| {
        ImportError::at(
            format,
            e.line(),
            e.column(),
            format!("not valid JSON: {}", strip_position(&e.to_string())),
        )
    })
}

/// serde_json appends " at line L column C"; the error shows it already.
fn strip_position(msg: &str) -> &str {
    match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    }
}

/// A string, or a number or boolean written where Postman means a string.
pub fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `"..."` or `{"content": "...", "type": "text/markdown"}`; empty is none.
pub fn description(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.clone(),
        Value::Object(m) => text(m.get("content"))?,
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

pub fn flag(m: &Map<String, Value>, key: &str) -> bool {
    matches!(m.get(key), Some(Value::Bool(true)))
}

pub fn array(v: Option<&Value>) -> &[Value] {
    match v {
        Some(Value::Array(a)) => a,
        _ => &[],
    }
}

/// Not `"disabled": true`, nor `"enabled": false` (older exports).
pub fn enabled(m: &Map<String, Value>) -> bool {
    !flag(m, "disabled") && !matches!(m.get("enabled"), Some(Value::Bool(false)))
}
