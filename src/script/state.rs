//! What scripts read and change, in the JSON shape the JS side sees.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Variables by Postman's scopes. A value is any JSON value: a script may
/// `set` a number or an object and `get` it back as such; `{{name}}` in a
/// request uses its text (a string as is, anything else as JSON).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VarScopes {
    pub globals: Map<String, Value>,
    /// The collection's variables, with its folders' (nearer wins).
    pub collection: Map<String, Value>,
    pub environment: Map<String, Value>,
    /// The current iteration's data row (read-only to scripts).
    pub data: Map<String, Value>,
    /// `pm.variables.set`: lives for one exchange only.
    pub local: Map<String, Value>,
    /// `pm.environment.name`: the environment chosen, if any.
    #[serde(
        default,
        rename = "environmentName",
        skip_serializing_if = "Option::is_none"
    )]
    pub environment_name: Option<String>,
}

/// The request as scripts see it. Before sending it is the stored request,
/// `{{variables}}` unresolved (as in Postman); after, the request as sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptRequest {
    /// Postman's request id if imported, else the workspace path.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// The request's description (`pm.request.description`, the legacy
    /// `request.description`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub method: String,
    /// With the query string.
    pub url: String,
    #[serde(default)]
    pub headers: Vec<ScriptHeader>,
    #[serde(default)]
    pub body: Option<ScriptBody>,
    /// Postman's auth JSON (`{"type": "bearer", "bearer": [...]}`), if any.
    #[serde(default)]
    pub auth: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptHeader {
    pub key: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// Postman's body shape: `mode` says which of the others is used.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptBody {
    /// `raw`, `urlencoded`, `formdata`, `file` or `graphql`.
    pub mode: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub urlencoded: Option<Vec<ScriptParam>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formdata: Option<Vec<ScriptParam>>,
    /// `{"src": "path"}` for mode `file`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Value>,
    /// `{"query": "...", "variables": "..."}` for mode `graphql`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub graphql: Option<Value>,
    /// `{"raw": {"language": "json"}}`, as Postman writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub options: Option<Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptParam {
    pub key: String,
    #[serde(default)]
    pub value: String,
    /// `text` or `file` (formdata).
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub src: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub disabled: bool,
}

/// The response as `pm.response` sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptResponse {
    pub code: u16,
    /// The reason phrase (`OK`).
    pub status: String,
    pub headers: Vec<ScriptHeader>,
    /// The decoded body as text (invalid UTF-8 replaced), as Postman's
    /// `pm.response.text()` gives it.
    pub body: String,
    /// Milliseconds.
    pub response_time: f64,
    /// Body bytes as received.
    pub response_size: u64,
    #[serde(default)]
    pub cookies: Vec<ScriptCookie>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptCookie {
    pub name: String,
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
    #[serde(
        default,
        rename = "httpOnly",
        skip_serializing_if = "std::ops::Not::not"
    )]
    pub http_only: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub secure: bool,
}

/// `pm.info`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Info {
    pub request_name: String,
    pub request_id: String,
    /// 0-based, as in Postman.
    pub iteration: u32,
    pub iteration_count: u32,
}

/// What scripts asked of the run rather than of this request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Control {
    /// `pm.execution.setNextRequest(x)`: `Some(Value::Null)` means stop the
    /// run; a string is a request's name or id. Obeyed by the runner.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub next_request: Option<Value>,
    /// `pm.execution.skipRequest()` in a pre-request script.
    #[serde(default)]
    pub skip_request: bool,
    /// `pm.visualizer.set(template, data)`.
    #[serde(default)]
    pub visualizer: Option<Visualizer>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Visualizer {
    pub template: String,
    #[serde(default)]
    pub data: Value,
}

/// `Some` whenever the field is there, `null` included: serde would read a
/// `null` as `None`, and `setNextRequest(null)` (stop) is not "not set".
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// Everything one phase's scripts can see; the engine changes it in place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ScriptState {
    pub variables: VarScopes,
    pub request: ScriptRequest,
    /// `None` before the request is sent.
    pub response: Option<ScriptResponse>,
    /// Cookies of the response's URL in the jar (`pm.cookies`).
    #[serde(default)]
    pub cookies: Vec<ScriptCookie>,
    pub info: Info,
    #[serde(default)]
    pub control: Control,
}

/// The text `{{name}}` resolves to for a variable's value.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
