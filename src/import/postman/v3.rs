//! Postman's v3 collections (collection schema 3.0.0, what Postman's
//! native Git sync writes): a directory per collection and folder, their
//! metadata in `.resources/definition.yaml` (`$kind: collection`), one
//! `<name>.request.yaml` per request (`$kind: http-request`), saved
//! responses in `.resources/<name>.resources/examples/*.example.yaml`, and
//! environments in `postman/environments/<name>.environment.yaml`.
//!
//! Each collection is rewritten as the v2.1 document the v2 importer reads,
//! so both share every conversion (URL and params, bodies, auth, scripts,
//! variables, secrets) and its report. Key lists come as arrays of
//! `{key, value, disabled?, description?}` or as `key: value` maps: both
//! are read.

use std::path::{Component, Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::import::openapi::load::load_as;
use crate::import::{Format, ImportError, Report};

const FORMAT: Format = Format::Postman;
const RESOURCES: &str = ".resources";
const DEFINITION: &str = "definition.yaml";
const REQUEST_SUFFIXES: [&str; 2] = [".request.yaml", ".request.yml"];

/// What a v3 directory holds, in v2.1 form.
pub struct V3 {
    /// One v2.1 collection document per collection directory.
    pub collections: Vec<Value>,
    /// Environment files in the JSON shape Postman exports (`{name, values}`).
    pub environments: Vec<Value>,
    /// What could not be carried over, for the import report.
    pub report: Report,
}

/// Whether `dir` is a v3 collection, a `collections` folder of them, or a
/// project holding `postman/collections/`.
pub fn is_v3_dir(dir: &Path) -> bool {
    !collection_dirs(dir).is_empty()
}

/// The collection directories `dir` stands for, and the environments
/// folder beside them (if any).
fn collection_dirs(dir: &Path) -> Vec<PathBuf> {
    let project = dir.join("postman").join("collections");
    let base = if project.is_dir() {
        project
    } else {
        dir.to_path_buf()
    };
    if is_collection(&base) {
        return vec![base];
    }
    subdirs(&base)
        .into_iter()
        .filter(|d| is_collection(d))
        .collect()
}

fn is_collection(dir: &Path) -> bool {
    dir.join(RESOURCES).join(DEFINITION).is_file()
        || files(dir).iter().any(|f| request_stem(f).is_some())
}

/// Environments come with a project (`postman/environments/`) or a
/// `collections` folder (`../environments/`), not with one collection.
fn environments_dir(dir: &Path) -> Option<PathBuf> {
    let project = dir.join("postman");
    if project.join("collections").is_dir() {
        return Some(project.join("environments")).filter(|d| d.is_dir());
    }
    if is_collection(dir) {
        return None;
    }
    Some(dir.join("..").join("environments")).filter(|d| d.is_dir())
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    out.sort();
    out
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Folders, without the hidden ones (`.resources`, `.git`).
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    entries(dir)
        .into_iter()
        .filter(|p| p.is_dir() && !name_of(p).starts_with('.'))
        .collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    entries(dir).into_iter().filter(|p| p.is_file()).collect()
}

/// `Get user` for `Get user.request.yaml`.
fn request_stem(p: &Path) -> Option<String> {
    let name = name_of(p);
    REQUEST_SUFFIXES
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .map(str::to_string)
}

/// Reads every collection and environment `dir` stands for.
pub fn read(dir: &Path) -> Result<V3, ImportError> {
    let dirs = collection_dirs(dir);
    if dirs.is_empty() {
        return Err(ImportError::invalid(
            FORMAT,
            "no Postman v3 collection here (no .resources/definition.yaml, no *.request.yaml)",
        ));
    }
    let mut cx = Cx {
        report: Report::default(),
    };
    let mut collections = Vec::new();
    for d in &dirs {
        collections.push(cx.collection(d)?);
    }
    let mut environments = Vec::new();
    if let Some(env_dir) = environments_dir(dir) {
        for f in files(&env_dir) {
            let name = name_of(&f);
            let Some(stem) = [".environment.yaml", ".environment.yml"]
                .iter()
                .find_map(|s| name.strip_suffix(s))
            else {
                continue;
            };
            let mut env = yaml(&f)?;
            if let Value::Object(o) = &mut env {
                o.entry("name")
                    .or_insert_with(|| Value::String(stem.into()));
            }
            environments.push(env);
        }
    }
    for globals in ["postman/globals", "../globals"] {
        if is_collection(dir) {
            break;
        }
        for f in files(&dir.join(globals)) {
            cx.report.dropped(
                format!("{globals}/{}", name_of(&f)),
                "globals",
                "postie has no globals; import the file as an environment (`postie import FILE`) if you need its values",
            );
        }
    }
    Ok(V3 {
        collections,
        environments,
        report: cx.report,
    })
}

fn yaml(path: &Path) -> Result<Value, ImportError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ImportError::invalid(FORMAT, format!("cannot read {}: {e}", path.display()))
    })?;
    load_as(FORMAT, &text)
        .map_err(|e| ImportError::invalid(FORMAT, format!("{}: {e}", path.display())))
}

struct Cx {
    report: Report,
}

/// A v3 key list (`[{key, value, disabled, description}]` or a
/// `key: value` map) as v2.1 rows.
fn rows(v: Option<&Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|it| match it {
                Value::Object(o) => {
                    let mut row = Map::new();
                    for (k, v) in o {
                        let v = match (k.as_str(), v) {
                            // v2.1 values are strings; YAML may have read `1` or `true`.
                            ("value", Value::Number(_) | Value::Bool(_)) => {
                                Value::String(v.to_string())
                            }
                            _ => v.clone(),
                        };
                        row.insert(k.clone(), v);
                    }
                    Some(Value::Object(row))
                }
                _ => None,
            })
            .collect(),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| json!({ "key": k, "value": scalar_text(v) }))
            .collect(),
        _ => Vec::new(),
    }
}

/// `rows` under `key`, unless there are none.
fn put_rows(m: &mut Map<String, Value>, key: &str, rows: Vec<Value>) {
    if !rows.is_empty() {
        m.insert(key.into(), Value::Array(rows));
    }
}

fn scalar_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.filter(|v| !v.is_null()).map(scalar_text)
}

/// `order`, or last when missing.
fn order(v: &Value) -> f64 {
    v.get("order").and_then(Value::as_f64).unwrap_or(f64::MAX)
}

impl Cx {
    fn unknown(&mut self, at: &str, o: &Map<String, Value>, known: &[&str], what: &str) {
        for k in o.keys().filter(|k| !known.contains(&k.as_str())) {
            self.report.dropped(
                at,
                format!("{what} field `{k}`"),
                "not part of Postman's v3 collection format as postie reads it",
            );
        }
    }

    fn collection(&mut self, dir: &Path) -> Result<Value, ImportError> {
        let (mut doc, name) = self.scope(dir, &name_of(dir))?;
        let description = doc.remove("description");
        let mut info = json!({
            "name": name,
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        });
        if let (Some(d), Value::Object(i)) = (description, &mut info) {
            i.insert("description".into(), d);
        }
        doc.insert("info".into(), info);
        doc.remove("name");
        Ok(Value::Object(doc))
    }

    /// A collection or folder directory as a v2.1 folder, and its name.
    fn scope(&mut self, dir: &Path, at: &str) -> Result<(Map<String, Value>, String), ImportError> {
        let def_file = dir.join(RESOURCES).join(DEFINITION);
        let def = if def_file.is_file() {
            yaml(&def_file)?
        } else {
            Value::Object(Map::new())
        };
        let empty = Map::new();
        let d = def.as_object().unwrap_or(&empty);
        let shown = format!("{at}/{RESOURCES}/{DEFINITION}");
        match d.get("$kind").and_then(Value::as_str) {
            Some("collection") | None => {}
            Some(other) => self.report.dropped(
                &shown,
                format!("$kind {other}"),
                "a definition is `$kind: collection`; read as one",
            ),
        }
        self.unknown(
            &shown,
            d,
            &[
                "$kind",
                "name",
                "description",
                "variables",
                "auth",
                "scripts",
                "order",
                "id",
            ],
            "definition",
        );
        let name = text(d.get("name")).unwrap_or_else(|| name_of(dir));
        let mut out = Map::new();
        out.insert("name".into(), Value::String(name.clone()));
        if let Some(desc) = text(d.get("description")) {
            out.insert("description".into(), Value::String(desc));
        }
        put_rows(&mut out, "variable", rows(d.get("variables")));
        if let Some(auth) = self.auth(at, d.get("auth")) {
            out.insert("auth".into(), auth);
        }
        let events = self.scripts(at, d.get("scripts"), true);
        if !events.is_empty() {
            out.insert("event".into(), Value::Array(events));
        }
        let mut items: Vec<(f64, String, Value)> = Vec::new();
        for sub in subdirs(dir) {
            let sub_name = name_of(&sub);
            let (folder, _) = self.scope(&sub, &format!("{at}/{sub_name}"))?;
            let def = sub.join(RESOURCES).join(DEFINITION);
            let rank = if def.is_file() {
                order(&yaml(&def)?)
            } else {
                f64::MAX
            };
            let mut folder = folder;
            folder
                .entry("item")
                .or_insert_with(|| Value::Array(Vec::new()));
            items.push((rank, sub_name, Value::Object(folder)));
        }
        for f in files(dir) {
            let Some(stem) = request_stem(&f) else {
                continue;
            };
            let shown = format!("{at}/{}", name_of(&f));
            let y = yaml(&f)?;
            let rank = order(&y);
            if let Some(item) = self.request(dir, &stem, &shown, &y)? {
                items.push((rank, stem, item));
            }
        }
        // Postman sorts by `order`; ties (and files without one) by name.
        items.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        out.insert(
            "item".into(),
            Value::Array(items.into_iter().map(|(_, _, v)| v).collect()),
        );
        Ok((out, name))
    }

    fn request(
        &mut self,
        dir: &Path,
        stem: &str,
        shown: &str,
        y: &Value,
    ) -> Result<Option<Value>, ImportError> {
        let Some(o) = y.as_object() else {
            self.report.dropped(shown, "file", "not a YAML mapping");
            return Ok(None);
        };
        match o.get("$kind").and_then(Value::as_str) {
            Some("http-request") => {}
            kind => {
                self.report.dropped(
                    shown,
                    format!("request kind {}", kind.unwrap_or("(none)")),
                    "postie imports HTTP requests (`$kind: http-request`)",
                );
                return Ok(None);
            }
        }
        self.unknown(
            shown,
            o,
            &[
                "$kind",
                "name",
                "description",
                "order",
                "url",
                "method",
                "headers",
                "queryParams",
                "pathVariables",
                "body",
                "auth",
                "settings",
                "scripts",
                "examples",
                "id",
            ],
            "request",
        );
        let name = text(o.get("name")).unwrap_or_else(|| stem.to_string());
        let raw = text(o.get("url")).unwrap_or_default();
        let mut url = Map::new();
        url.insert("raw".into(), Value::String(raw.clone()));
        put_rows(&mut url, "query", rows(o.get("queryParams")));
        put_rows(&mut url, "variable", rows(o.get("pathVariables")));
        let mut request = Map::new();
        request.insert(
            "method".into(),
            Value::String(text(o.get("method")).unwrap_or_else(|| "GET".into())),
        );
        request.insert("url".into(), Value::Object(url));
        put_rows(&mut request, "header", rows(o.get("headers")));
        if let Some(body) = self.body(shown, o.get("body")) {
            request.insert("body".into(), body);
        }
        if let Some(auth) = self.auth(shown, o.get("auth")) {
            request.insert("auth".into(), auth);
        }
        if let Some(desc) = text(o.get("description")) {
            request.insert("description".into(), Value::String(desc));
        }
        let mut item = Map::new();
        item.insert("name".into(), Value::String(name));
        item.insert("request".into(), Value::Object(request));
        let events = self.scripts(shown, o.get("scripts"), false);
        if !events.is_empty() {
            item.insert("event".into(), Value::Array(events));
        }
        if let Some(Value::Object(s)) = o.get("settings") {
            item.insert("protocolProfileBehavior".into(), Value::Object(s.clone()));
        }
        let examples = self.examples(dir, stem, o.get("examples"))?;
        if !examples.is_empty() {
            item.insert("response".into(), Value::Array(examples));
        }
        Ok(Some(Value::Object(item)))
    }

    /// `{type, content}` as a v2.1 body.
    fn body(&mut self, at: &str, v: Option<&Value>) -> Option<Value> {
        let b = v?.as_object()?;
        let kind = b.get("type").and_then(Value::as_str).unwrap_or("none");
        let content = b.get("content");
        match kind {
            "none" => None,
            "json" | "text" | "xml" | "html" | "javascript" => Some(json!({
                "mode": "raw",
                "raw": text(content).unwrap_or_default(),
                "options": { "raw": { "language": kind } },
            })),
            "urlencoded" => Some(json!({ "mode": "urlencoded", "urlencoded": rows(content) })),
            "formdata" => Some(json!({ "mode": "formdata", "formdata": rows(content) })),
            "file" => {
                let src = match content {
                    Some(Value::Object(o)) => text(o.get("src")),
                    other => text(other),
                }
                .or_else(|| text(b.get("src")));
                Some(json!({ "mode": "file", "file": { "src": src } }))
            }
            "graphql" => {
                let (query, variables) = match content {
                    Some(Value::Object(o)) => (text(o.get("query")), text(o.get("variables"))),
                    other => (text(other), None),
                };
                Some(json!({
                    "mode": "graphql",
                    "graphql": { "query": query.unwrap_or_default(), "variables": variables.unwrap_or_default() },
                }))
            }
            other => {
                self.report.dropped(
                    at,
                    format!("body type {other}"),
                    "not a body type of Postman's v3 HTTP requests",
                );
                None
            }
        }
    }

    /// `{type, credentials}` (one auth; the first of a list) as v2.1 auth.
    fn auth(&mut self, at: &str, v: Option<&Value>) -> Option<Value> {
        let a = match v? {
            Value::Array(list) => {
                if list.len() > 1 {
                    self.report.dropped(
                        at,
                        format!("{} more auth entries", list.len() - 1),
                        "postie keeps one auth per request or folder; the first is kept",
                    );
                }
                list.first()?.as_object()?
            }
            Value::Object(o) => o,
            _ => return None,
        };
        let kind = match a.get("type").and_then(Value::as_str)? {
            "none" => "noauth",
            k => k,
        };
        let mut out = Map::new();
        out.insert("type".into(), Value::String(kind.into()));
        if kind != "noauth" && kind != "inherit" {
            out.insert(kind.into(), Value::Array(rows(a.get("credentials"))));
        }
        if kind == "inherit" {
            // v2.1 says "inherit" by leaving auth out.
            return None;
        }
        Some(Value::Object(out))
    }

    /// v3 scripts as v2.1 events. Collections and folders prefix the
    /// protocol (`http:beforeRequest`); requests do not.
    fn scripts(&mut self, at: &str, v: Option<&Value>, scope: bool) -> Vec<Value> {
        let mut out = Vec::new();
        for s in v.and_then(Value::as_array).into_iter().flatten() {
            let kind = s.get("type").and_then(Value::as_str).unwrap_or("");
            let kind = if scope {
                kind.strip_prefix("http:").unwrap_or(kind)
            } else {
                kind
            };
            let listen = match kind {
                "beforeRequest" => "prerequest",
                "afterResponse" => "test",
                other => {
                    self.report.dropped(
                        at,
                        format!("script {other}"),
                        "postie runs HTTP before-request and after-response scripts",
                    );
                    continue;
                }
            };
            let code = text(s.get("code")).unwrap_or_default();
            let exec: Vec<Value> = code.lines().map(|l| Value::String(l.into())).collect();
            out.push(json!({
                "listen": listen,
                "script": { "type": "text/javascript", "exec": exec },
            }));
        }
        out
    }

    /// The saved responses of request `stem` as v2.1 responses.
    fn examples(
        &mut self,
        dir: &Path,
        stem: &str,
        at: Option<&Value>,
    ) -> Result<Vec<Value>, ImportError> {
        let default = dir
            .join(RESOURCES)
            .join(format!("{stem}.resources"))
            .join("examples");
        let folder = match text(at).map(PathBuf::from) {
            // Relative to the request's directory; never outside it.
            Some(rel)
                if rel
                    .components()
                    .all(|c| matches!(c, Component::Normal(_) | Component::CurDir)) =>
            {
                dir.join(rel)
            }
            _ => default,
        };
        let mut out = Vec::new();
        for f in files(&folder) {
            let name = name_of(&f);
            let Some(ex_stem) = [".example.yaml", ".example.yml"]
                .iter()
                .find_map(|s| name.strip_suffix(s))
            else {
                continue;
            };
            let y = yaml(&f)?;
            let req = y.get("request");
            let resp = y.get("response");
            let body = resp.and_then(|r| r.get("body"));
            let content = body
                .and_then(|b| text(b.get("content")))
                .unwrap_or_default();
            out.push(json!({
                "name": text(y.get("name")).unwrap_or_else(|| ex_stem.to_string()),
                "originalRequest": {
                    "method": req.and_then(|r| text(r.get("method"))).unwrap_or_else(|| "GET".into()),
                    "url": req.and_then(|r| text(r.get("url"))).unwrap_or_default(),
                    "header": rows(req.and_then(|r| r.get("headers"))),
                },
                "code": resp.and_then(|r| r.get("statusCode")).and_then(Value::as_u64).unwrap_or(200),
                "status": resp.and_then(|r| text(r.get("statusText"))).unwrap_or_default(),
                "header": rows(resp.and_then(|r| r.get("headers"))),
                "body": content,
            }));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_lists_read_in_both_spellings() {
        let list = json!([{"key": "a", "value": 1, "disabled": true}, "junk"]);
        assert_eq!(
            rows(Some(&list)),
            [json!({"key": "a", "value": "1", "disabled": true})]
        );
        let map = json!({"Accept": "application/json", "X-N": 7, "X-Empty": null});
        assert_eq!(
            rows(Some(&map)),
            [
                json!({"key": "Accept", "value": "application/json"}),
                json!({"key": "X-N", "value": "7"}),
                json!({"key": "X-Empty", "value": ""}),
            ]
        );
    }

    #[test]
    fn auth_becomes_v21_auth() {
        let mut cx = Cx {
            report: Report::default(),
        };
        let bearer = json!({"type": "bearer", "credentials": {"token": "{{t}}"}});
        assert_eq!(
            cx.auth("r", Some(&bearer)),
            Some(json!({"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]}))
        );
        assert_eq!(
            cx.auth("r", Some(&json!({"type": "none"}))),
            Some(json!({"type": "noauth"}))
        );
        assert_eq!(cx.auth("r", Some(&json!({"type": "inherit"}))), None);
        let multi = json!([{"type": "basic", "credentials": []}, {"type": "bearer"}]);
        assert_eq!(cx.auth("r", Some(&multi)).unwrap()["type"], "basic");
        assert_eq!(cx.report.notes.len(), 1, "{:?}", cx.report.notes);
    }

    #[test]
    fn scripts_are_prefixed_on_folders_only() {
        let mut cx = Cx {
            report: Report::default(),
        };
        let folder = json!([
            {"type": "http:beforeRequest", "code": "a();\nb();"},
            {"type": "grpc:beforeInvoke", "code": "x"},
        ]);
        let events = cx.scripts("f", Some(&folder), true);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0]["listen"], "prerequest");
        assert_eq!(events[0]["script"]["exec"], json!(["a();", "b();"]));
        assert_eq!(cx.report.notes.len(), 1);
        // On a request the prefix is wrong, and dropped as unknown.
        let request = json!([{"type": "http:afterResponse", "code": "x"}]);
        assert!(cx.scripts("r", Some(&request), false).is_empty());
    }

    #[test]
    fn examples_are_never_read_from_outside_the_collection() {
        let d = tempfile::tempdir().unwrap();
        let outside = d.path().join("secret");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(
            outside.join("x.example.yaml"),
            "response:\n  statusCode: 200\n",
        )
        .unwrap();
        let coll = d.path().join("coll");
        std::fs::create_dir_all(&coll).unwrap();
        let mut cx = Cx {
            report: Report::default(),
        };
        for at in ["../secret", outside.to_str().unwrap()] {
            let found = cx.examples(&coll, "r", Some(&json!(at))).unwrap();
            assert!(found.is_empty(), "{at}");
        }
    }
}
