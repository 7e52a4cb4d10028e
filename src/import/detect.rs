//! Telling an input's format from its structure: the top-level keys of a
//! JSON (or YAML) document, the shape of a text. Words found somewhere in
//! the file never decide: a Postman collection may well talk to a host
//! called `swagger`.
//!
//! The file name decides only where the name is the format (`.http`,
//! `.rest`, `http-client.env.json`: their content has no marker of its
//! own), and as a last resort when the structure cannot be read (broken
//! JSON in `x.har`), so that the error comes from the right parser, with a
//! position.

use std::fmt;
use std::path::Path;

use serde_json::{Map, Value};

use super::Format;

/// Why no importer takes an input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unrecognised {
    #[error("it is an Insomnia v5 (YAML) export, which postie does not import yet; export Insomnia v4 (JSON) instead")]
    Insomnia,
    #[error(
        "it is a Bruno collection's bruno.json: import the collection's folder (postie import DIR)"
    )]
    Bruno,
    #[error("it is one file of a Postman v3 collection ($kind {0}): import the collection's folder (postie import DIR)")]
    PostmanV3(String),
    #[error("it is a Postman data dump (every collection and environment of an account); export the collections one by one and import those")]
    PostmanDump,
    #[error("it is empty")]
    Empty,
    #[error("it is not valid JSON (line {line}, column {column}: {message})")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("it is {0}")]
    Shape(Shape),
}

impl Unrecognised {
    /// A format postie knows of but has no importer for: naming another
    /// format would not help.
    pub fn is_known_format(&self) -> bool {
        matches!(
            self,
            Unrecognised::Insomnia
                | Unrecognised::Bruno
                | Unrecognised::PostmanV3(_)
                | Unrecognised::PostmanDump
        )
    }
}

/// What the input turned out to be, in a few words.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// A JSON or YAML object with these top-level keys (the first few).
    Object(Vec<String>),
    /// A list that is not a list of Postman variables.
    List,
    /// A scalar at the top (`"text"`, `3`).
    Scalar,
    /// Text that is no curl command, `.http` file or YAML mapping.
    Text,
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shape::Object(keys) if keys.is_empty() => f.write_str("an empty object"),
            Shape::Object(keys) => {
                let shown: Vec<String> = keys.iter().take(6).map(|k| format!("`{k}`")).collect();
                let more = if keys.len() > 6 { ", ..." } else { "" };
                write!(
                    f,
                    "an object with the keys {}{more}, which no format postie imports has",
                    shown.join(", ")
                )
            }
            Shape::List => f.write_str(
                "a list that is not a list of Postman variables (iteration data goes to `postie run -d`)",
            ),
            Shape::Scalar => f.write_str("a single value, not a document"),
            Shape::Text => f.write_str("text that is not a curl command, an .http file or a YAML document"),
        }
    }
}

/// The format of `text`, the content of `path`, or why there is none.
pub fn detect(path: &Path, text: &str) -> Result<Format, Unrecognised> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with("http-client.env.json") || name.ends_with("http-client.private.env.json") {
        return Ok(Format::HttpEnv);
    }
    if name.ends_with(".http") || name.ends_with(".rest") {
        return Ok(Format::HttpFile);
    }
    if name.ends_with(".bru") {
        return Ok(Format::Bruno);
    }
    if name == "bruno.json" {
        return Err(Unrecognised::Bruno);
    }
    let clean = super::text::clean_text(text);
    let body = clean.trim_start();
    if body.is_empty() {
        return Err(Unrecognised::Empty);
    }
    let by_structure = if body.starts_with('{') || body.starts_with('[') {
        match serde_json::from_str::<Value>(body) {
            Ok(v) => of_document(&v),
            Err(e) => Err(Unrecognised::Json {
                line: e.line(),
                column: e.column(),
                message: without_position(&e.to_string()),
            }),
        }
    } else if is_curl(body) {
        Ok(Format::Curl)
    } else if is_http_file(body) {
        Ok(Format::HttpFile)
    } else if looks_like_yaml_mapping(body) {
        match super::openapi::load::load(body) {
            Ok(v) => of_document(&v),
            Err(_) => Err(Unrecognised::Shape(Shape::Text)),
        }
    } else {
        Err(Unrecognised::Shape(Shape::Text))
    };
    match by_structure {
        Err(why) if !why.is_known_format() => by_name(&name).ok_or(why),
        other => other,
    }
}

/// Names tools give their exports, for a file whose structure says nothing.
fn by_name(name: &str) -> Option<Format> {
    if name.ends_with(".har") {
        Some(Format::Har)
    } else if name.ends_with(".postman_collection.json") {
        Some(Format::Postman)
    } else if name.ends_with(".postman_environment.json") || name.ends_with(".postman_globals.json")
    {
        Some(Format::PostmanEnvironment)
    } else {
        None
    }
}

/// The format a parsed document's top level says it is.
fn of_document(v: &Value) -> Result<Format, Unrecognised> {
    match v {
        Value::Object(o) => of_object(o),
        Value::Array(list) => of_list(list),
        _ => Err(Unrecognised::Shape(Shape::Scalar)),
    }
}

fn of_object(o: &Map<String, Value>) -> Result<Format, Unrecognised> {
    let has = |k: &str| o.contains_key(k);
    let object = |k: &str| matches!(o.get(k), Some(Value::Object(_)));
    let list = |k: &str| matches!(o.get(k), Some(Value::Array(_)));
    let text = |k: &str| o.get(k).and_then(Value::as_str).unwrap_or_default();
    // Postman's v3 files name their kind; each is one piece of a folder.
    if let Some(kind) = o.get("$kind").and_then(Value::as_str) {
        if kind == "collection" || kind.ends_with("-request") || kind.ends_with("-example") {
            return Err(Unrecognised::PostmanV3(kind.to_string()));
        }
    }

    // OpenCollection (Bruno's YAML): a bundled collection or its root file
    // says `opencollection: <version>`; a request file has `info` and `http`.
    if has("opencollection") || (object("info") && object("http")) {
        return Ok(Format::OpenCollection);
    }

    // Insomnia v4 (`_type: export`); v5 (`type: collection.insomnia.rest/5.0`) is not read.
    if text("_type") == "export" || has("__export_format") {
        return Ok(Format::Insomnia);
    }
    if text("type").contains("insomnia") {
        return Err(Unrecognised::Insomnia);
    }
    // Postman v2: `info` and `item`; without `info`, items that are items.
    if list("item") && (object("info") || items_look_like_postman(o)) {
        return Ok(Format::Postman);
    }
    if has("openapi") || has("swagger") {
        return Ok(Format::OpenApi);
    }
    // Postman v1: `requests` with `order`/`folders`, or with `id` and `name`.
    if list("requests") && (has("order") || has("folders") || (has("id") && has("name"))) {
        return Ok(Format::Postman);
    }
    // Postman's API: `{"collection": {...}}`.
    if object("collection") && !has("item") && !has("info") {
        return Ok(Format::Postman);
    }
    if list("values") || has("_postman_variable_scope") {
        return Ok(Format::PostmanEnvironment);
    }
    // Postman's API: `{"environment": {...}}`, `{"globals": {...}}`.
    if object("environment") || object("globals") {
        return Ok(Format::PostmanEnvironment);
    }
    if o.get("log")
        .is_some_and(|l| l.get("entries").is_some_and(Value::is_array))
    {
        return Ok(Format::Har);
    }
    // One HAR entry, or one HAR request.
    if o.get("request")
        .and_then(Value::as_object)
        .is_some_and(is_har_request)
        || is_har_request(o)
    {
        return Ok(Format::Har);
    }
    if has("brunoConfig") || (list("items") && has("version") && has("name")) {
        return Err(Unrecognised::Bruno);
    }
    if list("collections") && (has("environments") || has("version")) {
        return Err(Unrecognised::PostmanDump);
    }
    Err(Unrecognised::Shape(Shape::Object(
        o.keys().cloned().collect(),
    )))
}

/// A Postman item list: objects with a `request` or an `item` list.
fn items_look_like_postman(o: &Map<String, Value>) -> bool {
    let items = o.get("item").and_then(Value::as_array).map(Vec::as_slice);
    let items = items.unwrap_or_default();
    items.is_empty()
        || items
            .iter()
            .any(|i| i.get("request").is_some() || i.get("item").is_some_and(Value::is_array))
}

/// A HAR request: `method` and `url` with one of the fields only HAR
/// writes beside them (a postie request file also has `method` and `url`).
fn is_har_request(o: &Map<String, Value>) -> bool {
    let s = |k: &str| o.get(k).is_some_and(Value::is_string);
    s("method")
        && s("url")
        && ["httpVersion", "headersSize", "queryString", "cookies"]
            .iter()
            .any(|k| o.contains_key(*k))
}

/// A list of Postman variables (an old globals export): objects with a `key`.
fn of_list(list: &[Value]) -> Result<Format, Unrecognised> {
    let objects: Vec<&Map<String, Value>> = list.iter().filter_map(Value::as_object).collect();
    if !objects.is_empty() && objects.iter().all(|o| o.contains_key("key")) {
        Ok(Format::PostmanEnvironment)
    } else if list.is_empty() {
        Err(Unrecognised::Empty)
    } else {
        Err(Unrecognised::Shape(Shape::List))
    }
}

/// A shell command line running curl: the first line that is not blank or
/// a `#` comment (a shebang too) starts with `curl` (after a `$ ` prompt),
/// or pipes into it (`echo x | curl ...`).
fn is_curl(body: &str) -> bool {
    let Some(line) = body
        .lines()
        .map(str::trim)
        .find(|l| !(l.is_empty() || l.starts_with('#')))
    else {
        return false;
    };
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let is_word = |s: &str| {
        ["curl", "curl.exe"].iter().any(|w| {
            s.strip_prefix(w)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\\']))
        })
    };
    is_word(line) || line.split('|').skip(1).any(|cmd| is_word(cmd.trim_start()))
}

/// An `.http` file: its first line that is not blank, a comment, a `###`
/// separator or an `@name = value` variable is a request line
/// (`GET https://...`) or a bare URL.
fn is_http_file(body: &str) -> bool {
    let first = body.lines().map(str::trim).find(|l| {
        !(l.is_empty() || l.starts_with('#') || l.starts_with("//") || l.starts_with('@'))
    });
    let Some(line) = first else { return false };
    let url_like = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.starts_with("http://") || s.starts_with("https://") || s.starts_with("{{")
    };
    match line.split_once(char::is_whitespace) {
        Some((method, rest)) => {
            method.len() > 2
                && method.chars().all(|c| c.is_ascii_uppercase())
                && (url_like(rest.trim()) || rest.trim().starts_with('/'))
        }
        None => url_like(line) && !line.starts_with("{{"),
    }
}

/// A first line like `key:` or `key: value` (after comments and `---`).
fn looks_like_yaml_mapping(body: &str) -> bool {
    body.lines()
        .map(str::trim_end)
        .find(|l| !(l.trim().is_empty() || l.starts_with('#') || l.starts_with("---")))
        .is_some_and(|l| {
            l.split_once(':').is_some_and(|(k, rest)| {
                !k.is_empty()
                    && !k.contains(char::is_whitespace)
                    && (rest.is_empty() || rest.starts_with(' '))
            })
        })
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

    fn of(name: &str, text: &str) -> Result<Format, Unrecognised> {
        detect(Path::new(name), text)
    }

    #[test]
    fn a_postman_collection_talking_to_swagger_and_openapi_hosts_is_a_postman_collection() {
        let text = r#"{"info": {"name": "openapi", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
            "item": [{"name": "swagger", "request": {"method": "GET",
              "url": {"raw": "https://petstore.swagger.io/openapi.json", "host": ["petstore", "swagger", "io"],
                      "path": ["openapi"]}},
              "event": [{"listen": "test", "script": {"exec": ["// \"swagger\": \"2.0\", \"openapi\": \"3\""]}}]}]}"#;
        assert_eq!(of("swagger.json", text), Ok(Format::Postman));
        // Words that used to decide: `"log"`, `"entries"`, `"values"`.
        let text = r#"{"info": {"name": "x"}, "item": [{"name": "log", "request": "https://h/entries?values=1"}],
            "variable": [{"key": "values", "value": "log"}]}"#;
        assert_eq!(of("c.json", text), Ok(Format::Postman));
    }

    #[test]
    fn postman_shapes() {
        assert_eq!(
            of("c", r#"{"collection": {"info": {}, "item": []}}"#),
            Ok(Format::Postman)
        );
        assert_eq!(
            of("c", r#"{"name": "v1", "order": [], "requests": []}"#),
            Ok(Format::Postman)
        );
        assert_eq!(
            of("c", r#"{"id": "1", "name": "v1", "requests": []}"#),
            Ok(Format::Postman)
        );
        assert_eq!(
            of("c", r#"{"item": [{"name": "r", "request": "http://x"}]}"#),
            Ok(Format::Postman)
        );
        let env = Ok(Format::PostmanEnvironment);
        assert_eq!(of("e", r#"{"name": "Dev", "values": []}"#), env);
        assert_eq!(of("e", r#"{"_postman_variable_scope": "globals"}"#), env);
        assert_eq!(
            of("e", r#"{"environment": {"name": "Dev", "values": []}}"#),
            env
        );
        assert_eq!(of("e", r#"{"globals": {"values": []}}"#), env);
        assert_eq!(
            of(
                "e",
                r#"[{"key": "a", "value": "1", "enabled": true, "type": "default"}]"#
            ),
            env
        );
        assert_eq!(of("e", "\u{feff}[{\"key\": \"a\"}]"), env);
    }

    #[test]
    fn openapi_har_and_text_formats() {
        assert_eq!(
            of("a", r#"{"components": {}, "openapi": "3.1.0"}"#),
            Ok(Format::OpenApi)
        );
        assert_eq!(
            of("a", "# spec\nswagger: '2.0'\ninfo:\n  title: x\n"),
            Ok(Format::OpenApi)
        );
        assert_eq!(of("a", "openapi: 3.0.0\npaths: {}\n"), Ok(Format::OpenApi));
        assert_eq!(of("h", r#"{"log": {"entries": []}}"#), Ok(Format::Har));
        let entry =
            r#"{"request": {"method": "GET", "url": "http://x/", "httpVersion": "HTTP/1.1"}}"#;
        assert_eq!(of("h", entry), Ok(Format::Har));
        let request = r#"{"method": "GET", "url": "http://x/", "headers": [], "queryString": []}"#;
        assert_eq!(of("h", request), Ok(Format::Har));
        // A postie request file is not a HAR request.
        assert!(of("r.json", r#"{"method": "GET", "url": "http://x/"}"#).is_err());
        assert_eq!(of("-", "curl -X POST http://x"), Ok(Format::Curl));
        assert_eq!(
            of("-", "#!/bin/sh\n# a comment\n\ncurl -k 'http://x/'"),
            Ok(Format::Curl)
        );
        assert_eq!(of("-", "$ curl http://x"), Ok(Format::Curl));
        assert_eq!(of("-", "echo foo | curl localhost:1"), Ok(Format::Curl));
        assert_eq!(of("-", "curl\\\n  http://x"), Ok(Format::Curl));
        assert!(of("-", "curling is a sport").is_err());
        assert_eq!(
            of("-", "### one\n# c\n@host = x\nGET {{host}}/a\n"),
            Ok(Format::HttpFile)
        );
        assert_eq!(of("-", "POST https://x/y HTTP/1.1\n"), Ok(Format::HttpFile));
        assert_eq!(of("a.rest", "whatever"), Ok(Format::HttpFile));
        assert_eq!(of("http-client.env.json", "{}"), Ok(Format::HttpEnv));
    }

    #[test]
    fn other_tools_and_unknown_shapes_are_named() {
        let insomnia = r#"{"_type": "export", "__export_format": 4, "resources": []}"#;
        assert_eq!(of("i.json", insomnia), Ok(Format::Insomnia));
        assert_eq!(
            of("i.yaml", "type: collection.insomnia.rest/5.0\nname: x\n"),
            Err(Unrecognised::Insomnia)
        );
        let bruno = r#"{"name": "b", "version": "1", "items": [], "brunoConfig": {}}"#;
        assert_eq!(of("b.json", bruno), Err(Unrecognised::Bruno));
        assert_eq!(of("x.bru", "meta {}"), Ok(Format::Bruno));
        let bundled = "opencollection: 1.0.0\ninfo:\n  name: Shop\nbundled: true\nitems: []\n";
        assert_eq!(of("shop.yml", bundled), Ok(Format::OpenCollection));
        let request = "info:\n  name: Ping\n  type: http\nhttp:\n  method: GET\n  url: https://x\n";
        assert_eq!(of("ping.yml", request), Ok(Format::OpenCollection));
        assert_eq!(
            of(
                "Get user.request.yaml",
                "$kind: http-request\nurl: '{{base}}/users'\n"
            ),
            Err(Unrecognised::PostmanV3("http-request".into()))
        );
        assert_eq!(
            of("definition.yaml", "$kind: collection\nname: Shop\n"),
            Err(Unrecognised::PostmanV3("collection".into()))
        );
        let dump = r#"{"version": 1, "collections": [], "environments": []}"#;
        assert_eq!(of("d.json", dump), Err(Unrecognised::PostmanDump));
        let e = of("x.json", r#"{"foo": 1, "bar": 2}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "it is an object with the keys `foo`, `bar`, which no format postie imports has"
        );
        assert!(matches!(
            of("x.json", "[1, 2]"),
            Err(Unrecognised::Shape(Shape::List))
        ));
        assert_eq!(of("x.json", "  "), Err(Unrecognised::Empty));
        assert!(matches!(
            of("x.json", "{\"a\": }"),
            Err(Unrecognised::Json { line: 1, .. })
        ));
        assert!(matches!(
            of("x", "hello there"),
            Err(Unrecognised::Shape(Shape::Text))
        ));
    }

    #[test]
    fn a_name_decides_only_when_the_structure_cannot_be_read() {
        assert_eq!(of("x.har", "{\"log\": "), Ok(Format::Har));
        assert_eq!(of("x.postman_collection.json", "{,}"), Ok(Format::Postman));
        assert_eq!(
            of("x.postman_globals.json", "{}"),
            Ok(Format::PostmanEnvironment)
        );
        // The structure wins over the name.
        assert_eq!(of("x.har", r#"{"openapi": "3.0.0"}"#), Ok(Format::OpenApi));
    }
}
