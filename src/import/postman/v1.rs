//! Postman Collection v1 (`order`, `folders`, `folders_order`, `requests`)
//! converted to v2.1 the way newman converts it before a run
//! (postman-collection-transformer, v1.0.0 -> v2.1.0), so a v1 file then
//! goes through the same v2 reader as any other.
//!
//! The transformer's rules kept here: folders nest through `folders_order`
//! and hold the requests their `order` names (a request named nowhere is
//! left out); `headers` as `Name: value` lines (`//` disables one) merged
//! with `headerData`; `dataMode` raw/urlencoded/params (formdata)/binary
//! (file)/graphql with `rawModeData`, `dataOptions` and `dataDisabled`;
//! `tests`/`preRequestScript` strings become events (a legacy script wins
//! over `events`); `queryParams`, `pathVariables` and `pathVariableData` go
//! into the URL object; legacy auth (`currentHelper`/`helperAttributes`)
//! and v2-style `auth` become v2.1 auth lists; variables, descriptions,
//! `protocolProfileBehavior` and saved responses are carried over.
//!
//! Where this differs from newman, on purpose:
//! - folder and request ids are kept as `id` (newman's conversion drops
//!   them and its SDK makes random ones), so `setNextRequest` by id and
//!   reports can use the file's ids; a missing collection id is not
//!   invented;
//! - a saved response keeps everything but its original request and its
//!   cookies' expiry dates, which nothing in a run reads;
//! - the URL object has no `auth` part: `raw` keeps the user and password,
//!   and postie reads `raw`.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::json;

const SCHEMA_V21: &str = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";
const JS: &str = "text/javascript";

/// A v1 collection has no `item` list but `requests`, `order` or `folders`.
pub fn is_v1(o: &Map<String, Value>) -> bool {
    !matches!(o.get("item"), Some(Value::Array(_)))
        && (o.contains_key("requests") || o.contains_key("order") || o.contains_key("folders"))
}

/// The v2.1 collection for the v1 collection `c`.
pub fn to_v21(c: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("info".into(), info(c));
    out.insert("item".into(), Value::Array(items(c)));
    // At the top, `noauth` and `null` mean no auth at all.
    if let Some(auth) = auth(c, true).filter(|a| !a.is_null()) {
        out.insert("auth".into(), auth);
    }
    put(&mut out, "event", events(c));
    put(&mut out, "variable", variables(c));
    behaviour(c, &mut out);
    Value::Object(out)
}

fn info(c: &Map<String, Value>) -> Value {
    let mut info = Map::new();
    put(&mut info, "_postman_id", id_of(c));
    put(&mut info, "name", c.get("name").cloned());
    put(&mut info, "description", truthy_clone(c.get("description")));
    info.insert("schema".into(), SCHEMA_V21.into());
    Value::Object(info)
}

// ------------------------------------------------------------------ items

enum Kid {
    Folder(String),
    Request(String),
}

struct Tree<'a> {
    requests: HashMap<String, &'a Map<String, Value>>,
    /// Each folder's own fields (without `item`), by id; the last folder
    /// with an id wins, as in the transformer.
    folders: HashMap<String, Map<String, Value>>,
    kids: HashMap<String, Vec<Kid>>,
}

/// Folders in `folders_order` (or listed order) that are nobody's
/// subfolder, then the top-level requests in `order`.
fn items(c: &Map<String, Value>) -> Vec<Value> {
    let request_list: Vec<&Map<String, Value>> = objects(c.get("requests")).collect();
    let mut tree = Tree {
        requests: request_list
            .iter()
            .map(|r| (key_of(r.get("id")), *r))
            .collect(),
        folders: HashMap::new(),
        kids: HashMap::new(),
    };
    let folder_list: Vec<&Map<String, Value>> = objects(c.get("folders")).collect();
    for f in &folder_list {
        tree.folders.insert(key_of(f.get("id")), folder_fields(f));
    }
    let mut nested: HashSet<String> = HashSet::new();
    for f in &folder_list {
        let id = key_of(f.get("id"));
        let mut kids = Vec::new();
        for sub in json::array(f.get("folders_order")) {
            let sub = key_of(Some(sub));
            if tree.folders.contains_key(&sub) {
                nested.insert(sub.clone());
                kids.push(Kid::Folder(sub));
            }
        }
        for r in json::array(f.get("order")) {
            let r = key_of(Some(r));
            if tree.requests.contains_key(&r) {
                kids.push(Kid::Request(r));
            }
        }
        tree.kids.entry(id).or_default().extend(kids);
    }
    let top: Vec<String> = if truthy(c.get("folders_order")) {
        json::array(c.get("folders_order"))
            .iter()
            .map(|v| key_of(Some(v)))
            .collect()
    } else {
        folder_list.iter().map(|f| key_of(f.get("id"))).collect()
    };
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for id in top {
        if seen.insert(id.clone()) && tree.folders.contains_key(&id) && !nested.contains(&id) {
            out.push(render_folder(&tree, &id, &mut Vec::new()));
        }
    }
    let mut seen = HashSet::new();
    for r in json::array(c.get("order")) {
        let r = key_of(Some(r));
        if let Some(req) = tree.requests.get(&r) {
            if seen.insert(r) {
                out.push(single_item(req));
            }
        }
    }
    out
}

/// A folder with its subfolders and requests; `stack` stops a folder that
/// contains itself.
fn render_folder(tree: &Tree, id: &str, stack: &mut Vec<String>) -> Value {
    stack.push(id.to_string());
    let mut items = Vec::new();
    for kid in tree.kids.get(id).map(Vec::as_slice).unwrap_or_default() {
        match kid {
            Kid::Folder(sub) if !stack.contains(sub) => {
                items.push(render_folder(tree, sub, stack));
            }
            Kid::Folder(_) => {}
            Kid::Request(r) => {
                if let Some(req) = tree.requests.get(r) {
                    items.push(single_item(req));
                }
            }
        }
    }
    stack.pop();
    let fields = tree.folders.get(id).cloned().unwrap_or_default();
    let mut out = Map::new();
    if let Some(name) = fields.get("name") {
        out.insert("name".into(), name.clone());
    }
    out.insert("item".into(), Value::Array(items));
    for (k, v) in fields {
        if k != "name" {
            out.insert(k, v);
        }
    }
    Value::Object(out)
}

fn folder_fields(f: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    put(&mut out, "name", f.get("name").cloned());
    put(&mut out, "id", id_of(f));
    put(&mut out, "description", truthy_clone(f.get("description")));
    put(&mut out, "auth", auth(f, false));
    put(&mut out, "event", events(f));
    put(&mut out, "variable", variables(f));
    behaviour(f, &mut out);
    out
}

fn single_item(r: &Map<String, Value>) -> Value {
    let mut item = Map::new();
    item.insert(
        "name".into(),
        truthy_clone(r.get("name")).unwrap_or_else(|| "".into()),
    );
    put(&mut item, "id", id_of(r));
    put(&mut item, "event", events(r));
    behaviour(r, &mut item);
    item.insert("request".into(), request(r));
    item.insert("response".into(), responses(r));
    put(&mut item, "variable", variables(r));
    Value::Object(item)
}

fn request(r: &Map<String, Value>) -> Value {
    let mut req = Map::new();
    put(&mut req, "auth", auth(r, false).filter(|a| !a.is_null()));
    put(&mut req, "method", r.get("method").cloned());
    req.insert("header".into(), Value::Array(headers(r)));
    put(&mut req, "body", body(r));
    put(&mut req, "url", url(r));
    put(&mut req, "description", truthy_clone(r.get("description")));
    Value::Object(req)
}

// ------------------------------------------------------------------- auth

const AUTH_TYPES: &[(&str, &str)] = &[
    ("apikeyAuth", "apikey"),
    ("basicAuth", "basic"),
    ("bearerAuth", "bearer"),
    ("digestAuth", "digest"),
    ("hawkAuth", "hawk"),
    ("oAuth1", "oauth1"),
    ("oAuth2", "oauth2"),
    ("ntlmAuth", "ntlm"),
    ("awsSigV4", "awsv4"),
    ("jwtAuth", "jwt"),
    ("asapAuth", "asap"),
    ("edgegridAuth", "edgegrid"),
];

/// v2 parameter names from v1 `helperAttributes` names, per helper.
const LEGACY_PARAMS: &[(&str, &[(&str, &str)])] = &[
    (
        "apikeyAuth",
        &[("key", "key"), ("value", "value"), ("in", "in")],
    ),
    (
        "basicAuth",
        &[
            ("username", "username"),
            ("password", "password"),
            ("saveHelperData", "saveToRequest"),
        ],
    ),
    ("bearerAuth", &[("token", "token")]),
    (
        "digestAuth",
        &[
            ("algorithm", "algorithm"),
            ("username", "username"),
            ("realm", "realm"),
            ("password", "password"),
            ("nonce", "nonce"),
            ("nonceCount", "nonceCount"),
            ("clientNonce", "clientNonce"),
            ("opaque", "opaque"),
            ("qop", "qop"),
            ("disableRetryRequest", "disableRetryRequest"),
        ],
    ),
    (
        "oAuth1",
        &[
            ("consumerKey", "consumerKey"),
            ("consumerSecret", "consumerSecret"),
            ("token", "token"),
            ("tokenSecret", "tokenSecret"),
            ("signatureMethod", "signatureMethod"),
            ("timestamp", "timestamp"),
            ("nonce", "nonce"),
            ("version", "version"),
            ("realm", "realm"),
            ("addParamsToHeader", "header"),
            ("autoAddParam", "auto"),
            ("addEmptyParamsToSign", "includeEmpty"),
        ],
    ),
    (
        "hawkAuth",
        &[
            ("authId", "hawk_id"),
            ("authKey", "hawk_key"),
            ("algorithm", "algorithm"),
            ("user", "user"),
            ("saveHelperData", "saveToRequest"),
            ("nonce", "nonce"),
            ("extraData", "ext"),
            ("appId", "app"),
            ("delegation", "dlg"),
            ("timestamp", "timestamp"),
        ],
    ),
    (
        "ntlmAuth",
        &[
            ("username", "username"),
            ("password", "password"),
            ("domain", "domain"),
            ("workstation", "workstation"),
            ("disableRetryRequest", "disableRetryRequest"),
        ],
    ),
    (
        "oAuth2",
        &[
            ("accessToken", "accessToken"),
            ("addTokenTo", "addTokenTo"),
            ("callBackUrl", "callBackUrl"),
            ("authUrl", "authUrl"),
            ("accessTokenUrl", "accessTokenUrl"),
            ("clientId", "clientId"),
            ("clientSecret", "clientSecret"),
            ("clientAuth", "clientAuth"),
            ("grantType", "grantType"),
            ("scope", "scope"),
            ("username", "username"),
            ("password", "password"),
            ("tokenType", "tokenType"),
            ("redirectUri", "redirectUri"),
            ("refreshToken", "refreshToken"),
        ],
    ),
    (
        "jwtAuth",
        &[
            ("algorithm", "algorithm"),
            ("isSecretBase64Encoded", "isSecretBase64Encoded"),
            ("payload", "payload"),
            ("addTokenTo", "addTokenTo"),
            ("headerPrefix", "headerPrefix"),
            ("queryParamKey", "queryParamKey"),
            ("header", "header"),
        ],
    ),
    (
        "asapAuth",
        &[
            ("exp", "exp"),
            ("claims", "claims"),
            ("sub", "sub"),
            ("privateKey", "privateKey"),
            ("kid", "kid"),
            ("aud", "aud"),
            ("iss", "iss"),
            ("alg", "alg"),
        ],
    ),
    (
        "edgegridAuth",
        &[
            ("clientToken", "clientToken"),
            ("clientSecret", "clientSecret"),
            ("accessToken", "accessToken"),
            ("headersToSign", "headersToSign"),
            ("nonce", "nonce"),
            ("timestamp", "timestamp"),
            ("baseURL", "baseURL"),
            ("maxBodySize", "maxBodySize"),
        ],
    ),
];

/// Parameters by name; `None` is a parameter the source names without a
/// value (written as a row without `value`).
type Params = Vec<(String, Option<Value>)>;

/// The v2.1 auth of a collection, folder or request: `None` for none
/// (inherit), `Some(Null)` for an explicit null.
fn auth(e: &Map<String, Value>, top: bool) -> Option<Value> {
    let legacy = e.contains_key("currentHelper") || truthy(e.get("helperAttributes"));
    let (ty, params): (String, Option<Params>) = if e.contains_key("auth") && !legacy {
        if !truthy(e.get("auth")) {
            return None;
        }
        let a = e.get("auth")?.as_object()?;
        let ty = json::text(a.get("type")).filter(|t| !t.is_empty())?;
        if ty == "noauth" {
            return Some(noauth(top));
        }
        let params = match a.get(&ty) {
            Some(Value::Array(list)) => list
                .iter()
                .filter_map(Value::as_object)
                .filter_map(|p| Some((json::text(p.get("key"))?, p.get("value").cloned())))
                .collect(),
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
            _ => Vec::new(),
        };
        (ty, Some(params))
    } else {
        let helper = json::text(e.get("currentHelper")).unwrap_or_default();
        if helper.is_empty() || helper == "normal" {
            return None;
        }
        let ty = AUTH_TYPES
            .iter()
            .find(|(h, _)| *h == helper)
            .map_or(helper.clone(), |(_, t)| (*t).to_string());
        // Some old exports hold the attributes as a JSON string.
        let attrs = match e.get("helperAttributes") {
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(v) => Some(v),
                Err(_) => return None,
            },
            other => other.cloned(),
        };
        let params = attrs
            .filter(|a| truthy(Some(a)))
            .and_then(|a| legacy_params(&helper, &a));
        if ty == "noauth" {
            return Some(noauth(top));
        }
        (ty, params)
    };
    let mut out = Map::new();
    out.insert("type".into(), Value::String(ty.clone()));
    let rows: Vec<Value> = params
        .unwrap_or_default()
        .into_iter()
        .map(|(key, value)| {
            let kind = match &value {
                Some(Value::String(_)) => "string",
                Some(Value::Bool(_)) => "boolean",
                Some(Value::Number(_)) => "number",
                _ => "any",
            };
            let mut row = Map::new();
            row.insert("key".into(), Value::String(key));
            if let Some(v) = value {
                row.insert("value".into(), v);
            }
            row.insert("type".into(), kind.into());
            Value::Object(row)
        })
        .collect();
    if !rows.is_empty() {
        out.insert(ty, Value::Array(rows));
    }
    Some(Value::Object(out))
}

fn noauth(top: bool) -> Value {
    if top {
        Value::Null
    } else {
        serde_json::json!({"type": "noauth"})
    }
}

fn legacy_params(helper: &str, attrs: &Value) -> Option<Params> {
    let attrs = attrs.as_object();
    let get = |k: &str| attrs.and_then(|a| a.get(k)).cloned();
    if helper == "awsSigV4" {
        return Some(
            attrs?
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
        );
    }
    let (_, names) = LEGACY_PARAMS.iter().find(|(h, _)| *h == helper)?;
    let mut out: Params = names
        .iter()
        .map(|(new, old)| ((*new).to_string(), get(old)))
        .collect();
    if helper == "basicAuth" {
        out.push(("showPassword".into(), Some(Value::Bool(false))));
    }
    Some(out)
}

// ---------------------------------------------------------------- scripts

/// `events` as they are, unless a legacy `tests`/`preRequestScript` string
/// is there: then those (test first), as the transformer does.
fn events(e: &Map<String, Value>) -> Option<Value> {
    let legacy = truthy(e.get("tests")) || truthy(e.get("preRequestScript"));
    if !legacy && !lodash_empty(e.get("events")) {
        let Some(Value::Array(list)) = e.get("events") else {
            return None;
        };
        let list: Vec<Value> = list
            .iter()
            .filter_map(Value::as_object)
            .map(|ev| {
                let mut ev = ev.clone();
                if !truthy(ev.get("listen")) {
                    ev.insert("listen".into(), "test".into());
                }
                ev.shift_remove("id");
                if let Some(Value::Object(script)) = ev.get_mut("script") {
                    script.shift_remove("id");
                    if !truthy(script.get("type")) {
                        script.insert("type".into(), JS.into());
                    }
                    if let Some(Value::String(code)) = script.get("exec") {
                        let lines = split_lines(code);
                        script.insert("exec".into(), lines);
                    }
                }
                Value::Object(ev)
            })
            .collect();
        return Some(Value::Array(list));
    }
    let mut out = Vec::new();
    for (key, listen) in [("tests", "test"), ("preRequestScript", "prerequest")] {
        let code = e.get(key).filter(|v| truthy(Some(v)));
        if let Some(code) = code {
            let exec = match code {
                Value::String(s) => split_lines(s),
                other => other.clone(),
            };
            out.push(serde_json::json!({
                "listen": listen,
                "script": {"type": JS, "exec": exec}
            }));
        }
    }
    (!out.is_empty()).then_some(Value::Array(out))
}

fn split_lines(code: &str) -> Value {
    Value::Array(code.split('\n').map(|l| Value::String(l.into())).collect())
}

// -------------------------------------------------------------- variables

fn variables(e: &Map<String, Value>) -> Option<Value> {
    let source = [e.get("variables"), e.get("variable")]
        .into_iter()
        .find(|v| truthy(*v))
        .flatten()?;
    let list: Vec<&Value> = match source {
        Value::Array(a) => a.iter().collect(),
        Value::Object(m) => m.values().collect(),
        _ => Vec::new(),
    };
    let out: Vec<Value> = list
        .into_iter()
        .filter_map(Value::as_object)
        .map(|item| {
            let mut v = Map::new();
            let key = [item.get("key"), item.get("id")]
                .into_iter()
                .find(|k| truthy(*k))
                .flatten();
            put(&mut v, "key", key.cloned());
            put(&mut v, "value", item.get("value").cloned());
            if let Some(t) = truthy_clone(item.get("type")) {
                let t = if t == "text" { "string".into() } else { t };
                v.insert("type".into(), t);
            }
            for flag in ["disabled", "secret"] {
                if truthy(item.get(flag)) {
                    v.insert(flag.into(), Value::Bool(true));
                }
            }
            put(&mut v, "source", truthy_clone(item.get("source")));
            put(&mut v, "description", truthy_clone(item.get("description")));
            Value::Object(v)
        })
        .collect();
    (!out.is_empty()).then_some(Value::Array(out))
}

// ---------------------------------------------------------------- headers

fn headers(r: &Map<String, Value>) -> Vec<Value> {
    if let Some(Value::Array(list)) = r.get("headers") {
        return list.clone();
    }
    let mut out = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for h in objects(r.get("headerData")) {
        let mut h = h.clone();
        let key = h.get("key").and_then(Value::as_str).map(str::to_string);
        let off = matches!(h.get("enabled"), Some(Value::Bool(false)));
        if let Some(k) = &key {
            if k.starts_with("//") || off {
                h.insert("disabled".into(), Value::Bool(true));
                h.insert("key".into(), k.replacen("//", "", 1).trim().into());
            }
        } else if off {
            h.insert("disabled".into(), Value::Bool(true));
        }
        clean_empty(&mut h, "description");
        h.shift_remove("enabled");
        if let Some(k) = json::text(h.get("key")) {
            seen.insert(k);
        }
        out.push(Value::Object(h));
    }
    if let Some(Value::String(text)) = r.get("headers") {
        for h in parse_header_lines(text) {
            let key = h.get("key").and_then(Value::as_str).unwrap_or_default();
            if !seen.contains(key) {
                out.push(Value::Object(h));
            }
        }
    }
    out
}

/// `Name: value` lines; `//` in front disables one. Lines folded with a
/// leading space or tab are joined first.
fn parse_header_lines(text: &str) -> Vec<Map<String, Value>> {
    let folded = text.replace("\r\n ", " ").replace("\r\n\t", "\t");
    folded
        .split(['\n', '\r', '\u{2028}', '\u{2029}'])
        .filter_map(|line| {
            let (key, value) = header_line(line)?;
            let mut h = Map::new();
            if let Some(rest) = key.strip_prefix("//") {
                h.insert("key".into(), rest.trim().into());
                h.insert("value".into(), value.trim().into());
                h.insert("disabled".into(), Value::Bool(true));
            } else {
                h.insert("key".into(), key.into());
                h.insert("value".into(), value.trim().into());
            }
            Some(h)
        })
        .collect()
}

/// The transformer's `^((//\s*)?\S+):(.*)$`: the name is the longest run of
/// non-space characters ending before a colon.
fn header_line(line: &str) -> Option<(&str, &str)> {
    let split_at = |from: usize| -> Option<usize> {
        let run_end = line[from..]
            .find(char::is_whitespace)
            .map_or(line.len(), |i| from + i);
        let colon = line[from..run_end].rfind(':')? + from;
        (colon > from).then_some(colon)
    };
    let with_prefix = line.strip_prefix("//").and_then(|rest| {
        let spaces = rest.len() - rest.trim_start().len();
        split_at(2 + spaces)
    });
    let colon = with_prefix.or_else(|| split_at(0))?;
    Some((&line[..colon], &line[colon + 1..]))
}

// ------------------------------------------------------------------- body

const BODY_MODES: &[(&str, &str)] = &[
    ("binary", "file"),
    ("graphql", "graphql"),
    ("params", "formdata"),
    ("raw", "raw"),
    ("urlencoded", "urlencoded"),
];

fn body(r: &Map<String, Value>) -> Option<Value> {
    let data_mode = r
        .get("dataMode")
        .and_then(Value::as_str)
        .and_then(|m| BODY_MODES.iter().find(|(v1, _)| *v1 == m))
        .map(|(_, v2)| *v2);
    let empty = lodash_empty(r.get("data"))
        && lodash_empty(r.get("rawModeData"))
        && lodash_empty(r.get("graphqlModeData"));
    if (data_mode.is_none() && empty) || matches!(r.get("dataMode"), Some(Value::Null)) {
        return None;
    }
    let raw_data: Option<String> = match r.get("rawModeData") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Array(a)) if a.len() == 1 => a[0].as_str().map(str::to_string),
        _ => None,
    }
    .filter(|s| !s.is_empty());
    let graphql: Option<Value> = if !lodash_empty(r.get("graphqlModeData")) {
        r.get("graphqlModeData").cloned()
    } else if r
        .get("dataOptions")
        .and_then(Value::as_object)
        .is_some_and(|o| o.contains_key("graphql"))
        && !lodash_empty(r.get("data"))
    {
        r.get("data").cloned()
    } else {
        None
    };
    // `data || rawModeData`, as JavaScript picks it.
    let form_source = if truthy(r.get("data")) {
        r.get("data")
    } else {
        r.get("rawModeData")
    };
    let mode = match data_mode {
        Some(m) => m,
        None if raw_data.is_none() && matches!(form_source, Some(Value::Array(_))) => "formdata",
        None if raw_data.is_none() && graphql.as_ref().is_some_and(|g| truthy(Some(g))) => {
            "graphql"
        }
        None => "raw",
    };
    let mut out = Map::new();
    out.insert("mode".into(), mode.into());
    match mode {
        "raw" => {
            let text = raw_data
                .or_else(|| r.get("data").and_then(Value::as_str).map(str::to_string))
                .unwrap_or_default();
            out.insert("raw".into(), text.into());
        }
        "graphql" => put(&mut out, "graphql", graphql),
        "file" => {
            let mut file = Map::new();
            put(&mut file, "src", raw_data.map(Value::String));
            out.insert("file".into(), Value::Object(file));
        }
        _ => {
            out.insert(mode.into(), Value::Array(form_data(form_source)));
        }
    }
    if let Some(Value::Object(opts)) = r.get("dataOptions") {
        let mut options = Map::new();
        for (v1, v2) in BODY_MODES {
            if !lodash_empty(opts.get(*v1)) {
                put(&mut options, v2, opts.get(*v1).cloned());
            }
        }
        if !options.is_empty() {
            out.insert("options".into(), Value::Object(options));
        }
    }
    if truthy(r.get("dataDisabled")) {
        out.insert("disabled".into(), Value::Bool(true));
    }
    Some(Value::Object(out))
}

/// urlencoded or formdata rows: rows without a key are left out, a file
/// row's `value` becomes its `src`, `enabled: false` becomes `disabled`.
fn form_data(v: Option<&Value>) -> Vec<Value> {
    objects(v)
        .filter(|p| !matches!(p.get("key"), None | Some(Value::Null)))
        .map(|p| {
            let mut p = p.clone();
            let is_file = p.get("type").and_then(Value::as_str) == Some("file");
            if is_file && !truthy(p.get("src")) && truthy(p.get("value")) {
                let src = match p.shift_remove("value") {
                    Some(v @ (Value::String(_) | Value::Array(_))) => v,
                    _ => Value::Null,
                };
                p.insert("src".into(), src);
            }
            if let Some(enabled) = p.shift_remove("enabled") {
                if enabled == Value::Bool(false) {
                    p.insert("disabled".into(), Value::Bool(true));
                }
            }
            clean_empty(&mut p, "description");
            Value::Object(p)
        })
        .collect()
}

// -------------------------------------------------------------------- url

/// The v2.1 URL object: `raw` and its parts, with `queryParams` (when
/// given) as the query table and path variables from `pathVariableData`
/// and `pathVariables`.
fn url(r: &Map<String, Value>) -> Option<Value> {
    let text = match r.get("url") {
        None | Some(Value::Null) => return None,
        Some(Value::String(s)) => s.clone(),
        Some(other) => json::text(Some(other)).unwrap_or_default(),
    };
    let mut parsed = parse_url(&text);
    let mut altered = false;
    let mut query: Vec<Value> = Vec::new();
    for q in objects(r.get("queryParams")) {
        let mut q = q.clone();
        if let Some(enabled) = q.shift_remove("enabled") {
            if enabled == Value::Bool(false) {
                q.insert("disabled".into(), Value::Bool(true));
            }
        }
        clean_empty(&mut q, "description");
        if let Some(equals) = q.shift_remove("equals") {
            if truthy(Some(&equals)) {
                if matches!(q.get("value"), Some(Value::Null)) {
                    q.insert("value".into(), "".into());
                }
            } else if !truthy(q.get("value")) {
                q.insert("value".into(), Value::Null);
            }
            altered = true;
        }
        query.push(Value::Object(q));
    }
    if !query.is_empty() {
        parsed.query = Some(query);
    }
    let mut vars: Vec<Value> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for v in objects(r.get("pathVariableData")) {
        let mut v = v.clone();
        clean_empty(&mut v, "description");
        v.shift_remove("id");
        if let Some(k) = json::text(v.get("key")) {
            seen.insert(k);
        }
        vars.push(Value::Object(v));
    }
    if let Some(Value::Object(pv)) = r.get("pathVariables") {
        for (k, v) in pv {
            if !seen.contains(k) {
                let mut row = Map::new();
                row.insert("value".into(), v.clone());
                row.insert("key".into(), k.clone().into());
                vars.push(Value::Object(row));
            }
        }
    }
    if !vars.is_empty() {
        parsed.variable = Some(vars);
    }
    if altered {
        parsed.raw = unparse(&parsed);
    }
    Some(parsed.to_json())
}

#[derive(Debug, Default)]
struct ParsedUrl {
    raw: String,
    protocol: Option<String>,
    auth: Option<(String, Option<String>)>,
    host: Option<Vec<String>>,
    port: Option<String>,
    path: Option<Vec<String>>,
    query: Option<Vec<Value>>,
    hash: Option<String>,
    variable: Option<Vec<Value>>,
}

impl ParsedUrl {
    fn to_json(&self) -> Value {
        let strings = |v: &[String]| Value::Array(v.iter().map(|s| s.clone().into()).collect());
        let mut m = Map::new();
        m.insert("raw".into(), self.raw.clone().into());
        put(&mut m, "protocol", self.protocol.clone().map(Value::String));
        put(&mut m, "host", self.host.as_deref().map(strings));
        put(&mut m, "port", self.port.clone().map(Value::String));
        put(&mut m, "path", self.path.as_deref().map(strings));
        put(&mut m, "query", self.query.clone().map(Value::Array));
        put(&mut m, "hash", self.hash.clone().map(Value::String));
        put(&mut m, "variable", self.variable.clone().map(Value::Array));
        Value::Object(m)
    }
}

/// Characters a `{{variable}}` may hold that would otherwise split a URL.
const URL_RESERVED: &[char] = &['.', ':', '/', '?', '#', '@', '&', ']'];
/// Stand-ins for protected variables while the URL is split.
const STAND_IN: u32 = 0xF0000;

/// The transformer's URL parser: hash, query, protocol, path, user info,
/// port and host, split in that order; a `{{variable}}` holding one of the
/// separators stays whole.
fn parse_url(input: &str) -> ParsedUrl {
    let raw = input.trim_start_matches(is_js_space).to_string();
    let mut out = ParsedUrl {
        raw: raw.clone(),
        ..ParsedUrl::default()
    };
    if raw.is_empty() {
        return out;
    }
    let in_range = |c: char| (STAND_IN..STAND_IN + 0xFFFE).contains(&(c as u32));
    let protect = !raw.chars().any(in_range);
    let mut vars: Vec<&str> = Vec::new();
    let mut s = String::new();
    let mut last = 0;
    if protect {
        for (start, end) in variables_with(&raw, URL_RESERVED) {
            let Some(c) = u32::try_from(vars.len())
                .ok()
                .filter(|n| *n < 0xFFFE)
                .and_then(|n| char::from_u32(STAND_IN + n))
            else {
                break;
            };
            s.push_str(&raw[last..start]);
            s.push(c);
            vars.push(&raw[start..end]);
            last = end;
        }
    }
    s.push_str(&raw[last..]);
    let restore = |part: &str| -> String {
        if vars.is_empty() {
            return part.to_string();
        }
        part.chars()
            .map(|c| {
                let i = (c as u32).wrapping_sub(STAND_IN) as usize;
                match vars.get(i) {
                    Some(v) if in_range(c) => (*v).to_string(),
                    _ => c.to_string(),
                }
            })
            .collect()
    };
    let mut rest: &str = &s;
    if let Some(i) = rest.find('#') {
        out.hash = Some(restore(&rest[i + 1..]));
        rest = &rest[..i];
    }
    if let Some(i) = rest.find('?') {
        out.query = Some(
            rest[i + 1..]
                .split('&')
                .map(|p| query_param(&restore(p)))
                .collect(),
        );
        rest = &rest[..i];
    }
    let after_protocol;
    if let Some(i) = rest.find("://").or_else(|| rest.find(":\\\\")) {
        out.protocol = Some(restore(&rest[..i]));
        after_protocol = rest[i + 3..].replace('\\', "/");
    } else {
        after_protocol = rest.replace('\\', "/");
    }
    let mut rest: &str = &after_protocol;
    if let Some(i) = rest.find('/') {
        out.path = Some(rest[i + 1..].split('/').map(restore).collect());
        rest = &rest[..i];
    }
    if let Some(i) = rest.rfind('@') {
        let auth = restore(&rest[..i]);
        out.auth = Some(match auth.split_once(':') {
            Some((u, p)) => (u.to_string(), Some(p.to_string())),
            None => (auth, None),
        });
        rest = &rest[i + 1..];
    }
    if let Some(i) = rest.rfind(':') {
        if !rest[i + 1..].contains(']') {
            out.port = Some(restore(&rest[i + 1..]));
            rest = &rest[..i];
        }
    }
    if !rest.is_empty() {
        out.host = Some(rest.split('.').map(restore).collect());
    }
    if let Some(path) = &out.path {
        let mut seen = HashSet::new();
        let vars: Vec<Value> = path
            .iter()
            .filter(|seg| seg.starts_with(':') && seg.as_str() != ":" && seen.insert(*seg))
            .map(|seg| serde_json::json!({"key": &seg[1..]}))
            .collect();
        if !vars.is_empty() {
            out.variable = Some(vars);
        }
    }
    out
}

fn query_param(p: &str) -> Value {
    match (p.is_empty(), p.split_once('=')) {
        (true, _) => serde_json::json!({"key": null, "value": null}),
        (false, None) => serde_json::json!({"key": p, "value": null}),
        (false, Some((k, v))) => serde_json::json!({"key": k, "value": v}),
    }
}

/// The raw URL rebuilt from its parts (the transformer's `unparse`), when
/// `queryParams` changed what the query says.
fn unparse(u: &ParsedUrl) -> String {
    let mut raw = String::new();
    if let Some(p) = &u.protocol {
        raw.push_str(p);
        if !p.ends_with("://") {
            raw.push_str("://");
        }
    }
    if let Some((user, password)) = &u.auth {
        raw.push_str(user);
        if let Some(p) = password {
            raw.push(':');
            raw.push_str(p);
        }
        raw.push('@');
    }
    if let Some(host) = &u.host {
        raw.push_str(&host.join("."));
    }
    if let Some(port) = &u.port {
        raw.push(':');
        raw.push_str(port);
    }
    if let Some(path) = &u.path {
        let path = path.join("/");
        if !path.starts_with('/') {
            raw.push('/');
        }
        raw.push_str(&path);
    }
    if let Some(query) = u.query.as_deref().filter(|q| !q.is_empty()) {
        let params: Vec<String> = query
            .iter()
            .filter(|q| truthy(Some(q)) && !truthy(q.get("disabled")))
            .map(|q| {
                let mut s = match q.get("key") {
                    Some(Value::String(k)) => encode_param(k, true),
                    _ => String::new(),
                };
                if let Some(Value::String(v)) = q.get("value") {
                    s.push('=');
                    s.push_str(&encode_param(v, false));
                }
                s
            })
            .collect();
        if !params.is_empty() {
            raw.push('?');
            raw.push_str(&params.join("&"));
        }
    }
    if let Some(hash) = &u.hash {
        raw.push('#');
        raw.push_str(hash);
    }
    raw
}

/// `&` and `#` (and `=` in a name) percent-encoded, except inside a
/// `{{variable}}` that holds one of them.
fn encode_param(s: &str, name: bool) -> String {
    let special = |c: char| c == '&' || c == '#' || (name && c == '=');
    if !s.contains(special) {
        return s.to_string();
    }
    let encode = |part: &str| -> String {
        part.chars()
            .map(|c| match c {
                '&' => "%26".to_string(),
                '#' => "%23".to_string(),
                '=' if name => "%3D".to_string(),
                c => c.to_string(),
            })
            .collect()
    };
    let mut out = String::new();
    let mut last = 0;
    for (start, end) in variables_with(s, &['&', '#', '=']) {
        out.push_str(&encode(&s[last..start]));
        out.push_str(&s[start..end]);
        last = end;
    }
    out.push_str(&encode(&s[last..]));
    out
}

/// Byte ranges of `{{...}}` (no braces inside) holding one of `chars`.
fn variables_with(s: &str, chars: &[char]) -> Vec<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'{' && bytes[i + 1] == b'{' {
            let start = i + 2;
            let end = s[start..]
                .find(['{', '}'])
                .map_or(bytes.len(), |k| start + k);
            if s[end..].starts_with("}}") && s[start..end].contains(chars) {
                out.push((i, end + 2));
                i = end + 2;
                continue;
            }
        }
        i += 1;
    }
    out
}

/// JavaScript's whitespace and line terminators (what `trimLeft` removes).
fn is_js_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{feff}'
}

// -------------------------------------------------------------- responses

fn responses(r: &Map<String, Value>) -> Value {
    let list: Vec<&Map<String, Value>> = objects(r.get("responses")).collect();
    let by_id: HashMap<String, &Map<String, Value>> =
        list.iter().map(|x| (key_of(x.get("id")), *x)).collect();
    let order: Vec<String> = match r.get("responses_order") {
        Some(Value::Array(o)) if !o.is_empty() => o.iter().map(|v| key_of(Some(v))).collect(),
        _ => list.iter().map(|x| key_of(x.get("id"))).collect(),
    };
    Value::Array(
        order
            .iter()
            .filter_map(|id| by_id.get(id))
            .map(|x| response(x))
            .collect(),
    )
}

fn response(x: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert(
        "name".into(),
        truthy_clone(x.get("name")).unwrap_or_else(|| "response".into()),
    );
    let code = x.get("responseCode").and_then(Value::as_object);
    put(
        &mut out,
        "status",
        code.and_then(|c| truthy_clone(c.get("name"))),
    );
    let number = code
        .and_then(|c| json::text(c.get("code")))
        .and_then(|c| c.trim().parse::<f64>().ok())
        .filter(|n| *n != 0.0 && n.is_finite());
    put(&mut out, "code", number.map(js_number));
    put(
        &mut out,
        "_postman_previewlanguage",
        x.get("language").cloned(),
    );
    put(
        &mut out,
        "_postman_previewtype",
        x.get("previewType").cloned(),
    );
    put(&mut out, "header", x.get("headers").cloned());
    let cookies: Vec<Value> = objects(x.get("cookies"))
        .map(|c| {
            let mut m = Map::new();
            for k in ["hostOnly", "httpOnly"] {
                put(&mut m, k, c.get(k).cloned());
            }
            for k in ["domain", "path"] {
                m.insert(
                    k.into(),
                    truthy_clone(c.get(k)).unwrap_or_else(|| "".into()),
                );
            }
            for k in ["secure", "session", "value"] {
                put(&mut m, k, c.get(k).cloned());
            }
            put(&mut m, "key", c.get("name").cloned());
            Value::Object(m)
        })
        .collect();
    out.insert("cookie".into(), Value::Array(cookies));
    put(&mut out, "responseTime", x.get("time").cloned());
    put(&mut out, "body", x.get("text").cloned());
    Value::Object(out)
}

/// A whole number as an integer, as JavaScript prints it.
fn js_number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

// ----------------------------------------------------------------- helpers

fn behaviour(from: &Map<String, Value>, to: &mut Map<String, Value>) {
    if let Some(Value::Object(b)) = from.get("protocolProfileBehavior") {
        if !b.is_empty() {
            to.insert("protocolProfileBehavior".into(), Value::Object(b.clone()));
        }
    }
}

fn id_of(o: &Map<String, Value>) -> Option<Value> {
    json::text(o.get("id"))
        .filter(|s| !s.is_empty())
        .map(Value::String)
}

fn put(m: &mut Map<String, Value>, key: &str, v: Option<Value>) {
    if let Some(v) = v {
        m.insert(key.into(), v);
    }
}

fn objects(v: Option<&Value>) -> impl Iterator<Item = &Map<String, Value>> {
    json::array(v).iter().filter_map(Value::as_object)
}

/// A lookup key as JavaScript makes one from a value: `undefined` when
/// absent, so entries without ids still meet, as in the transformer.
fn key_of(v: Option<&Value>) -> String {
    match v {
        None => "undefined".into(),
        Some(Value::Null) => "null".into(),
        Some(other) => json::text(Some(other)).unwrap_or_else(|| other.to_string()),
    }
}

/// JavaScript truthiness.
fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    }
}

fn truthy_clone(v: Option<&Value>) -> Option<Value> {
    v.filter(|v| truthy(Some(v))).cloned()
}

/// lodash's `isEmpty`: only non-empty strings, arrays and objects count.
fn lodash_empty(v: Option<&Value>) -> bool {
    match v {
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::Object(o)) => o.is_empty(),
        _ => true,
    }
}

/// A falsy `key` is removed, so empty descriptions do not clutter the file.
fn clean_empty(m: &mut Map<String, Value>, key: &str) {
    if m.contains_key(key) && !truthy(m.get(key)) {
        m.shift_remove(key);
    }
}

#[cfg(test)]
mod tests;
