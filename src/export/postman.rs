//! Export a collection or folder to Postman Collection v2.1.
//!
//! The mapping is the importer's, reversed, so that Postman → postie →
//! Postman keeps every field postie supports, and importing an export
//! again writes the same files byte for byte. No `_postman_id` is written:
//! exporting an unchanged collection gives the same bytes every time.
//! What Postman cannot hold (folder headers, timeouts, multipart file
//! names, unknown fields) is named in the report.

use serde_json::{json, Map, Value};

use crate::import::Report;
use crate::model::{
    ApiKeyLocation, Auth, AuthWithExtra, Body, BodyWithExtra, Example, Folder, KeyValue,
    OAuth1Location, Part, Request, Settings, Variable, Variables, PRUNED_METHODS,
};
use crate::storage::{FolderNode, Item, Workspace};

pub const SCHEMA: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no collection or folder `{0}` in this workspace")]
    NotFound(String),
}

/// The collection JSON (2-space indented, trailing newline) and what it
/// could not hold.
#[derive(Debug, Clone)]
pub struct PostmanExport {
    pub json: String,
    pub report: Report,
}

/// Exports the collection or folder at workspace path `path`.
pub fn export_collection(ws: &Workspace, path: &str) -> Result<PostmanExport, ExportError> {
    let path = path.trim_matches('/');
    let mut chain: Vec<&FolderNode> = Vec::new();
    let node = ws
        .collections
        .iter()
        .find_map(|c| find(c, path, &mut chain))
        .ok_or_else(|| ExportError::NotFound(path.to_string()))?;
    let mut report = Report::default();
    if chain.iter().any(|f| has_inheritables(&f.folder)) {
        report.dropped(
            &node.path,
            "what the folder inherits from its parents (variables, headers, auth, scripts, settings)",
            "only the folder itself was exported",
        );
    }
    let value = collection(node, &mut report);
    let mut json = serde_json::to_string_pretty(&value).unwrap_or_default();
    json.push('\n');
    Ok(PostmanExport { json, report })
}

fn has_inheritables(f: &Folder) -> bool {
    !f.variables.is_empty()
        || !f.headers.is_empty()
        || !f.auth.is_inherit()
        || !f.settings.is_empty()
        || f.pre_request.as_deref().is_some_and(|s| !s.is_empty())
        || f.test.as_deref().is_some_and(|s| !s.is_empty())
}

fn find<'a>(
    node: &'a FolderNode,
    path: &str,
    chain: &mut Vec<&'a FolderNode>,
) -> Option<&'a FolderNode> {
    if node.path == path {
        return Some(node);
    }
    chain.push(node);
    for item in &node.items {
        if let Item::Folder(f) = item {
            if let Some(found) = find(f, path, chain) {
                return Some(found);
            }
        }
    }
    chain.pop();
    None
}

/// The whole collection object for `node`.
pub fn collection(node: &FolderNode, report: &mut Report) -> Value {
    let mut info = Map::new();
    info.insert("name".into(), node.name().into());
    if let Some(d) = non_empty(&node.folder.description) {
        info.insert("description".into(), d.into());
    }
    info.insert("schema".into(), SCHEMA.into());
    let mut root = Map::new();
    root.insert("info".into(), Value::Object(info));
    root.insert("item".into(), Value::Array(items(node, report)));
    folder_fields(&mut root, &node.path, &node.folder, report);
    Value::Object(root)
}

fn items(node: &FolderNode, report: &mut Report) -> Vec<Value> {
    let mut out = Vec::new();
    for item in &node.items {
        match item {
            Item::Folder(f) => {
                let mut m = Map::new();
                m.insert("name".into(), f.name().into());
                if let Some(d) = non_empty(&f.folder.description) {
                    m.insert("description".into(), d.into());
                }
                m.insert("item".into(), Value::Array(items(f, report)));
                folder_fields(&mut m, &f.path, &f.folder, report);
                out.push(Value::Object(m));
            }
            Item::Request(r) => out.push(request(&r.path, &r.name(), &r.request, report)),
            Item::Broken(b) => report.dropped(
                &b.path,
                "request",
                format!("its file could not be read: {}", b.diagnostic.message),
            ),
        }
    }
    out
}

/// Variables, auth, scripts and settings of a collection or folder.
fn folder_fields(m: &mut Map<String, Value>, path: &str, f: &Folder, report: &mut Report) {
    if !f.headers.is_empty() {
        report.dropped(
            path,
            "folder headers",
            "Postman folders and collections have no headers",
        );
    }
    extra(report, path, "collection/folder", &f.extra);
    if let Some(events) = events(&f.pre_request, &f.test) {
        m.insert("event".into(), events);
    }
    if !f.variables.is_empty() {
        m.insert("variable".into(), variables(&f.variables, path, report));
    }
    if let Some(a) = auth(&f.auth, path, report) {
        m.insert("auth".into(), a);
    }
    if let Some(p) = settings(&f.settings, path, report) {
        m.insert("protocolProfileBehavior".into(), p);
    }
}

fn extra(report: &mut Report, path: &str, ctx: &str, extra: &crate::model::Extra) {
    for k in extra.keys() {
        report.dropped(
            path,
            format!("{ctx} field `{k}`"),
            "Postman has no place for it",
        );
    }
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.is_empty())
}

fn events(pre: &Option<String>, test: &Option<String>) -> Option<Value> {
    let list: Vec<Value> = [("prerequest", pre), ("test", test)]
        .into_iter()
        .filter_map(|(listen, code)| {
            let code = non_empty(code)?;
            Some(json!({
                "listen": listen,
                "script": {
                    "type": "text/javascript",
                    "exec": code.split('\n').collect::<Vec<_>>(),
                }
            }))
        })
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

fn variables(vars: &Variables, path: &str, report: &mut Report) -> Value {
    let list = vars
        .0
        .iter()
        .map(|(name, var)| {
            let mut m = Map::new();
            m.insert("key".into(), name.clone().into());
            match var {
                Variable::Plain(v) => {
                    m.insert("value".into(), v.clone().into());
                }
                Variable::Detailed {
                    value,
                    secret,
                    enabled,
                    description,
                    extra: x,
                } => {
                    m.insert("value".into(), value.clone().unwrap_or_default().into());
                    if *secret {
                        m.insert("type".into(), "secret".into());
                        report.changed(
                            path,
                            format!("secret variable `{name}`"),
                            "exported without its value",
                        );
                    }
                    if !enabled {
                        m.insert("disabled".into(), true.into());
                    }
                    if let Some(d) = description {
                        m.insert("description".into(), d.clone().into());
                    }
                    extra(report, path, &format!("variable `{name}`"), x);
                }
            }
            Value::Object(m)
        })
        .collect();
    Value::Array(list)
}

/// Postman's JSON for an auth (`pm.request.auth` shows it to scripts).
pub fn auth_json(a: &Auth) -> Option<Value> {
    let a = AuthWithExtra {
        auth: a.clone(),
        extra: Default::default(),
    };
    auth(&a, "", &mut Report::default())
}

/// Postman's JSON for a body (`pm.request.body` shows it to scripts).
pub fn body_json(b: &Body) -> Option<Value> {
    let b = BodyWithExtra {
        body: b.clone(),
        extra: Default::default(),
    };
    body(&b, "", &mut Report::default())
}

fn auth(a: &AuthWithExtra, path: &str, report: &mut Report) -> Option<Value> {
    extra(report, path, "auth", &a.extra);
    let params = |pairs: &[(&str, &str)]| {
        Value::Array(
            pairs
                .iter()
                .map(|(k, v)| json!({"key": k, "value": v, "type": "string"}))
                .collect(),
        )
    };
    let (ty, p) = match &a.auth {
        Auth::Inherit => return None,
        Auth::None => return Some(json!({"type": "noauth"})),
        Auth::Basic { username, password } => (
            "basic",
            params(&[("username", username), ("password", password)]),
        ),
        Auth::Digest { username, password } => (
            "digest",
            params(&[("username", username), ("password", password)]),
        ),
        Auth::Bearer { token } => ("bearer", params(&[("token", token)])),
        Auth::ApiKey {
            key,
            value,
            location,
        } => {
            let loc = match location {
                ApiKeyLocation::Header => "header",
                ApiKeyLocation::Query => "query",
            };
            (
                "apikey",
                params(&[("key", key), ("value", value), ("in", loc)]),
            )
        }
        Auth::OAuth1(o) => {
            let mut p = params(&[
                ("consumerKey", &o.consumer_key),
                ("consumerSecret", &o.consumer_secret),
                ("token", &o.token),
                ("tokenSecret", &o.token_secret),
                ("signatureMethod", &o.signature_method),
                ("timestamp", &o.timestamp),
                ("nonce", &o.nonce),
                ("version", &o.version),
                ("realm", &o.realm),
                ("callback", &o.callback),
                ("verifier", &o.verifier),
                ("privateKey", &o.private_key),
            ]);
            if let Value::Array(list) = &mut p {
                let header = o.location == OAuth1Location::Header;
                for (k, b) in [
                    ("addParamsToHeader", header),
                    ("addEmptyParamsToSign", o.sign_empty),
                ] {
                    list.push(json!({"key": k, "value": b, "type": "boolean"}));
                }
            }
            ("oauth1", p)
        }
        Auth::Hawk(h) => {
            let mut p = params(&[
                ("authId", &h.id),
                ("authKey", &h.key),
                ("algorithm", &h.algorithm),
                ("extraData", &h.ext),
                ("app", &h.app),
                ("delegation", &h.dlg),
                ("timestamp", &h.timestamp),
                ("nonce", &h.nonce),
            ]);
            if let (Value::Array(list), true) = (&mut p, h.payload_hash) {
                list.push(json!({"key": "includePayloadHash", "value": true, "type": "boolean"}));
            }
            ("hawk", p)
        }
        Auth::AwsV4(a) => {
            let mut p = params(&[
                ("accessKey", &a.access_key),
                ("secretKey", &a.secret_key),
                ("sessionToken", &a.session_token),
                ("region", &a.region),
                ("service", &a.service),
            ]);
            if let (Value::Array(list), true) = (&mut p, a.in_query) {
                list.push(json!({"key": "addAuthDataToQuery", "value": true, "type": "boolean"}));
            }
            ("awsv4", p)
        }
        Auth::Jwt(j) => {
            let or = |v: &str, d: &str| {
                if v.trim().is_empty() {
                    d.to_string()
                } else {
                    v.to_string()
                }
            };
            let mut p = params(&[
                ("algorithm", j.algorithm()),
                ("secret", &j.secret),
                ("privateKey", &j.private_key),
                ("payload", &j.payload),
                ("header", &j.header),
                ("headerPrefix", &or(&j.token_prefix, "Bearer")),
                ("queryParamKey", &or(&j.query_key, "token")),
                (
                    "addTokenTo",
                    if j.in_query { "queryParam" } else { "header" },
                ),
            ]);
            if let Value::Array(list) = &mut p {
                list.push(json!({"key": "isSecretBase64Encoded", "value": j.secret_base64, "type": "boolean"}));
            }
            if !j.lifetime.trim().is_empty() {
                report.dropped(
                    path,
                    "jwt lifetime",
                    "Postman has no such setting; it adds no `exp` (write one in the payload)",
                );
            }
            ("jwt", p)
        }
        Auth::OAuth2(o) => {
            if o.grant == crate::model::OAuth2Grant::DeviceCode {
                report.changed(
                    path,
                    "oauth2 device_code grant",
                    "written, but Postman has no device grant and will not run it",
                );
            }
            ("oauth2", crate::import::postman::oauth2::write(o))
        }
    };
    let mut m = Map::new();
    m.insert("type".into(), ty.into());
    m.insert(ty.into(), p);
    Some(Value::Object(m))
}

fn settings(s: &Settings, path: &str, report: &mut Report) -> Option<Value> {
    let mut m = Map::new();
    if let Some(b) = s.follow_redirects {
        m.insert("followRedirects".into(), b.into());
    }
    if let Some(n) = s.max_redirects {
        m.insert("maxRedirects".into(), n.into());
    }
    if let Some(b) = s.verify_tls {
        m.insert("strictSSL".into(), b.into());
    }
    // Pruning is Postman's default, so only its absence is written.
    if s.prune_body == Some(false) {
        m.insert("disableBodyPruning".into(), true.into());
    }
    if let Some(b) = s.encode_url {
        m.insert("disableUrlEncoding".into(), (!b).into());
    }
    for (set, key) in [
        (s.follow_original_method, "followOriginalHttpMethod"),
        (s.follow_authorization_header, "followAuthorizationHeader"),
        (
            s.remove_referer_on_redirect,
            "removeRefererHeaderOnRedirect",
        ),
    ] {
        if let Some(b) = set {
            m.insert(key.into(), b.into());
        }
    }
    for (set, what) in [
        (s.timeout_ms.is_some(), "timeout_ms"),
        (s.http_version.is_some(), "http_version"),
        (s.max_body_bytes.is_some(), "max_body_bytes"),
        (s.script_timeout_ms.is_some(), "script_timeout_ms"),
    ] {
        if set {
            report.dropped(
                path,
                format!("setting {what}"),
                "Postman has no per-request equivalent",
            );
        }
    }
    extra(report, path, "settings", &s.extra);
    (!m.is_empty()).then_some(Value::Object(m))
}

fn rows(list: &[KeyValue], path: &str, report: &mut Report) -> Vec<Value> {
    list.iter()
        .map(|kv| {
            let mut m = Map::new();
            m.insert("key".into(), kv.name.clone().into());
            m.insert("value".into(), kv.value.clone().into());
            if let Some(d) = &kv.description {
                m.insert("description".into(), d.clone().into());
            }
            m.insert("type".into(), "text".into());
            if !kv.enabled {
                m.insert("disabled".into(), true.into());
            }
            extra(report, path, &format!("row `{}`", kv.name), &kv.extra);
            Value::Object(m)
        })
        .collect()
}

/// One request item.
pub fn request(path: &str, name: &str, r: &Request, report: &mut Report) -> Value {
    extra(report, path, "request", &r.extra);
    let mut req = Map::new();
    if let Some(a) = auth(&r.auth, path, report) {
        req.insert("auth".into(), a);
    }
    req.insert("method".into(), r.method.clone().into());
    req.insert(
        "header".into(),
        Value::Array(rows(&r.headers, path, report)),
    );
    if let Some(b) = body(&r.body, path, report) {
        req.insert("body".into(), b);
    }
    req.insert("url".into(), url(&r.url, &r.params, path, report));
    if let Some(d) = non_empty(&r.description) {
        req.insert("description".into(), d.into());
    }
    let mut item = Map::new();
    item.insert("name".into(), name.into());
    if let Some(e) = events(&r.pre_request, &r.test) {
        item.insert("event".into(), e);
    }
    let mut s = r.settings.clone();
    // postie sends a GET's body unless told not to; Postman the reverse.
    if s.prune_body.is_none()
        && r.body.body != Body::None
        && (PRUNED_METHODS.iter()).any(|m| m.eq_ignore_ascii_case(&r.method))
    {
        s.prune_body = Some(false);
    }
    if let Some(p) = settings(&s, path, report) {
        item.insert("protocolProfileBehavior".into(), p);
    }
    item.insert("request".into(), Value::Object(req));
    item.insert(
        "response".into(),
        Value::Array(
            r.examples
                .iter()
                .map(|e| example(e, path, report))
                .collect(),
        ),
    );
    Value::Object(item)
}

fn example(e: &Example, path: &str, report: &mut Report) -> Value {
    extra(report, path, &format!("example `{}`", e.name), &e.extra);
    let mut m = Map::new();
    m.insert("name".into(), e.name.clone().into());
    if let Some(c) = e.status {
        m.insert("code".into(), c.into());
    }
    m.insert(
        "header".into(),
        Value::Array(rows(&e.headers, path, report)),
    );
    if let Some(b) = &e.body {
        m.insert("body".into(), b.clone().into());
    }
    Value::Object(m)
}

fn body(b: &BodyWithExtra, path: &str, report: &mut Report) -> Option<Value> {
    extra(report, path, "body", &b.extra);
    Some(match &b.body {
        Body::None => return None,
        Body::Raw { kind, text } => json!({
            "mode": "raw",
            "raw": text,
            "options": {"raw": {"language": kind.type_name()}}
        }),
        Body::Form(fields) => json!({
            "mode": "urlencoded",
            "urlencoded": rows(fields, path, report),
        }),
        Body::Multipart(parts) => json!({
            "mode": "formdata",
            "formdata": parts.iter().map(|p| part(p, path, report)).collect::<Vec<_>>(),
        }),
        Body::Binary { file } => json!({"mode": "file", "file": {"src": file}}),
        Body::GraphQl { query, variables } => json!({
            "mode": "graphql",
            "graphql": {"query": query, "variables": variables}
        }),
    })
}

fn part(p: &Part, path: &str, report: &mut Report) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), p.name.clone().into());
    match &p.file {
        Some(f) => {
            m.insert("type".into(), "file".into());
            m.insert("src".into(), f.clone().into());
        }
        None => {
            m.insert("value".into(), p.value.clone().unwrap_or_default().into());
            m.insert("type".into(), "text".into());
        }
    }
    if let Some(ct) = &p.content_type {
        m.insert("contentType".into(), ct.clone().into());
    }
    if let Some(d) = &p.description {
        m.insert("description".into(), d.clone().into());
    }
    if !p.enabled {
        m.insert("disabled".into(), true.into());
    }
    if p.filename.is_some() {
        report.dropped(
            path,
            format!("file name of part `{}`", p.name),
            "Postman always sends the file's own name",
        );
    }
    extra(report, path, &format!("part `{}`", p.name), &p.extra);
    Value::Object(m)
}

/// Postman's URL object: `raw` (the URL with its enabled params appended,
/// as Postman writes it) plus the parts Postman reads.
fn url(url: &str, params: &[KeyValue], path: &str, report: &mut Report) -> Value {
    let (base, query, fragment) = crate::import::postman::split_url(url);
    let mut rows: Vec<Value> = Vec::new();
    let mut raw_query: Vec<String> = Vec::new();
    if let Some(q) = query.filter(|q| !q.is_empty()) {
        for pair in q.split('&') {
            raw_query.push(pair.to_string());
            rows.push(match pair.split_once('=') {
                Some((k, v)) => json!({"key": k, "value": v}),
                None => json!({"key": pair, "value": null}),
            });
        }
    }
    for p in params {
        if p.enabled {
            raw_query.push(format!("{}={}", p.name, p.value));
        }
    }
    rows.extend(rows_for_query(params, path, report));
    let mut raw = base.to_string();
    if query.is_some() || !raw_query.is_empty() {
        raw.push('?');
        raw.push_str(&raw_query.join("&"));
    }
    raw.push_str(fragment.unwrap_or(""));

    let mut m = Map::new();
    m.insert("raw".into(), raw.into());
    let (protocol, rest) = match base.split_once("://") {
        Some((p, rest)) => (Some(p), rest),
        None => (None, base),
    };
    if let Some(p) = protocol {
        m.insert("protocol".into(), p.into());
    }
    let (host, path_part) = match rest.find('/') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    let (host, port) = match host.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p)),
        _ => (host, None),
    };
    if !host.is_empty() {
        m.insert("host".into(), json!(host.split('.').collect::<Vec<_>>()));
    }
    if let Some(p) = port {
        m.insert("port".into(), p.into());
    }
    if let Some(p) = path_part {
        m.insert("path".into(), json!(p.split('/').collect::<Vec<_>>()));
    }
    if !rows.is_empty() {
        m.insert("query".into(), Value::Array(rows));
    }
    if let Some(f) = fragment {
        m.insert("hash".into(), f.trim_start_matches('#').into());
    }
    Value::Object(m)
}

fn rows_for_query(params: &[KeyValue], path: &str, report: &mut Report) -> Vec<Value> {
    params
        .iter()
        .map(|kv| {
            let mut m = Map::new();
            m.insert("key".into(), kv.name.clone().into());
            m.insert("value".into(), kv.value.clone().into());
            if let Some(d) = &kv.description {
                m.insert("description".into(), d.clone().into());
            }
            if !kv.enabled {
                m.insert("disabled".into(), true.into());
            }
            extra(report, path, &format!("param `{}`", kv.name), &kv.extra);
            Value::Object(m)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_object_has_raw_parts_and_query() {
        let mut r = Report::default();
        let mut off = KeyValue::new("debug", "1");
        off.enabled = false;
        let v = url(
            "https://api.example.com:8443/v1/users?x=1#top",
            &[KeyValue::new("page", "2"), off],
            "p",
            &mut r,
        );
        assert_eq!(
            v["raw"],
            "https://api.example.com:8443/v1/users?x=1&page=2#top"
        );
        assert_eq!(v["host"], json!(["api", "example", "com"]));
        assert_eq!(v["port"], "8443");
        assert_eq!(v["path"], json!(["v1", "users"]));
        assert_eq!(v["query"].as_array().unwrap().len(), 3);
        assert_eq!(v["query"][2]["disabled"], true);
        assert_eq!(v["hash"], "top");
        let v = url("{{base}}/users", &[], "p", &mut r);
        assert_eq!(v["host"], json!(["{{base}}"]));
        assert!(r.notes.is_empty());
    }

    #[test]
    fn scripts_split_into_lines_that_join_back() {
        let e = events(&Some("a\n\nb\n".into()), &None).unwrap();
        assert_eq!(e[0]["script"]["exec"], json!(["a", "", "b", ""]));
    }
}
