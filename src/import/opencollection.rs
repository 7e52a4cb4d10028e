//! OpenCollection YAML, the format Bruno writes its YAML collections in: a
//! folder with `opencollection.yml` (the collection's name and request
//! defaults), one `.yml` file per request (`info`, `http`, `runtime`,
//! `settings`, `docs`), a folder per folder with an optional `folder.yml`,
//! and `environments/*.yml`; or one bundled file holding all of it
//! (`items`, `config.environments`). Requests keep the collection's order
//! (`info.seq`). As with `.bru` files, Bruno's script API is not Postman's:
//! scripts are kept as written and the report says so.

use std::path::Path;

use serde_json::Value;

use super::{
    Format, Import, ImportError, ImportedEnvironment, ImportedFolder, ImportedItem, Report,
};
use crate::model::{
    ApiKeyLocation, Auth, AwsV4Auth, Body, ClientAuth, Environment, Folder, KeyValue, OAuth2Auth,
    OAuth2Grant, OAuth2Param, OAuth2Params, ParamPlace, Part, RawKind, Request, Variable,
    Variables,
};

const FORMAT: Format = Format::OpenCollection;

/// A folder Bruno wrote as OpenCollection YAML.
pub fn is_dir(dir: &Path) -> bool {
    collection_file(dir).is_some()
}

fn collection_file(dir: &Path) -> Option<std::path::PathBuf> {
    ["opencollection.yml", "opencollection.yaml"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// One file: a bundled collection (`items`) or a single request (`http`).
pub fn parse(text: &str) -> Result<Import, ImportError> {
    let doc = super::openapi::load::load_as(FORMAT, text)?;
    let mut report = Report::default();
    let bundled = doc.get("items").is_some() || doc.get("bundled") == Some(&Value::Bool(true));
    if doc.get("opencollection").is_some() && !bundled {
        return Err(ImportError::invalid(
            FORMAT,
            "this is a collection's opencollection.yml, its requests are files beside it: \
             import the collection's folder (postie import DIR)",
        ));
    }
    // An environment file (`environments/NAME.yml`) on its own.
    if !bundled && doc.get("http").is_none() && doc.get("variables").is_some_and(Value::is_array) {
        return Ok(Import {
            collections: Vec::new(),
            environments: vec![environment(&doc, name_of_env(&doc), &mut report)],
            report,
        });
    }
    if !bundled {
        let at = name_of(&doc).unwrap_or_else(|| "request".to_string());
        let item = item(&doc, &at, &mut report).ok_or_else(|| {
            ImportError::invalid(FORMAT, "neither a collection (`items`) nor an HTTP request")
        })?;
        return Ok(Import {
            collections: vec![ImportedFolder {
                name: "OpenCollection import".into(),
                items: vec![item],
                ..ImportedFolder::default()
            }],
            environments: Vec::new(),
            report,
        });
    }
    let name = name_of(&doc).unwrap_or_else(|| "OpenCollection".to_string());
    let mut root = ImportedFolder {
        name: name.clone(),
        ..ImportedFolder::default()
    };
    apply_defaults(&doc, &name, &mut root.folder, &mut report);
    root.items = children(&doc, &name, &mut report);
    let environments = list(field(&doc, "config"), "environments")
        .iter()
        .map(|e| environment(e, name_of_env(e), &mut report))
        .collect();
    Ok(Import {
        collections: vec![root],
        environments,
        report,
    })
}

/// A collection folder (the one with `opencollection.yml`).
pub fn parse_dir(dir: &Path) -> Result<Import, ImportError> {
    let file = collection_file(dir).ok_or_else(|| {
        ImportError::invalid(
            FORMAT,
            format!("no opencollection.yml in {}", dir.display()),
        )
    })?;
    let root_doc = load_file(&file, "opencollection.yml")?;
    let name = name_of(&root_doc).unwrap_or_else(|| {
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "OpenCollection".into())
    });
    let mut report = Report::default();
    let mut root = ImportedFolder {
        name: name.clone(),
        ..ImportedFolder::default()
    };
    apply_defaults(&root_doc, &name, &mut root.folder, &mut report);
    root.items = walk(dir, &name, &mut report)?;
    let mut environments = Vec::new();
    for p in yaml_files(&dir.join("environments")) {
        let shown = format!("environments/{}", file_name(&p));
        let doc = load_file(&p, &shown)?;
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let env_name = doc
            .get("name")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or(stem);
        environments.push(environment(&doc, env_name, &mut report));
    }
    Ok(Import {
        collections: vec![root],
        environments,
        report,
    })
}

fn load_file(path: &Path, shown: &str) -> Result<Value, ImportError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ImportError::invalid(FORMAT, format!("cannot read {shown}: {e}")))?;
    super::openapi::load::load_as(FORMAT, &text).map_err(|e| match e {
        ImportError::Invalid {
            format,
            line,
            column,
            message,
        } => ImportError::at(format, line, column, format!("{shown}: {message}")),
        other => other,
    })
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `.yml`/`.yaml` files in `dir`, sorted; none when it does not exist.
fn yaml_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The requests and folders under `dir`, in the collection's order.
fn walk(dir: &Path, at: &str, report: &mut Report) -> Result<Vec<ImportedItem>, ImportError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| ImportError::invalid(FORMAT, format!("{}: {e}", dir.display())))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut items = Vec::new();
    for p in entries {
        let name = file_name(&p);
        if p.is_dir() {
            if name == "environments" || name.starts_with('.') || name == "node_modules" {
                continue;
            }
            let sub_at = format!("{at}/{name}");
            let mut sub = ImportedFolder {
                name: name.clone(),
                ..ImportedFolder::default()
            };
            let mut order = f64::MAX;
            for meta in ["folder.yml", "folder.yaml"] {
                if p.join(meta).is_file() {
                    let doc = load_file(&p.join(meta), &format!("{sub_at}/{meta}"))?;
                    if let Some(n) = name_of(&doc) {
                        sub.name = n;
                    }
                    order = seq(&doc);
                    apply_defaults(&doc, &sub_at, &mut sub.folder, report);
                }
            }
            sub.items = walk(&p, &sub_at, report)?;
            items.push((order, ImportedItem::Folder(Box::new(sub))));
        } else if p.extension().is_some_and(|e| e == "yml" || e == "yaml")
            && !name.starts_with("folder.")
            && !name.starts_with("opencollection.")
        {
            let shown = format!("{at}/{name}");
            let doc = load_file(&p, &shown)?;
            if let Some(mut imported) = item(&doc, &shown, report) {
                if let ImportedItem::Request(req) = &mut imported {
                    if req.name.is_none() {
                        let stem = p.file_stem().map(|s| s.to_string_lossy().into_owned());
                        req.name = stem;
                    }
                }
                items.push((seq(&doc), imported));
            }
        }
    }
    Ok(ordered(items))
}

fn ordered(mut items: Vec<(f64, ImportedItem)>) -> Vec<ImportedItem> {
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    items.into_iter().map(|(_, i)| i).collect()
}

fn name_of(doc: &Value) -> Option<String> {
    let name = doc.pointer("/info/name").and_then(Value::as_str)?;
    Some(name.to_string()).filter(|n| !n.trim().is_empty())
}

fn name_of_env(doc: &Value) -> String {
    doc.get("name")
        .and_then(Value::as_str)
        .unwrap_or("environment")
        .to_string()
}

fn seq(doc: &Value) -> f64 {
    doc.pointer("/info/seq")
        .and_then(Value::as_f64)
        .unwrap_or(f64::MAX)
}

/// `doc[key]`, or null when absent.
fn field<'v>(doc: &'v Value, key: &str) -> &'v Value {
    static NULL: Value = Value::Null;
    doc.get(key).unwrap_or(&NULL)
}

fn list<'v>(doc: &'v Value, key: &str) -> &'v [Value] {
    doc.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn text(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

/// `docs`, else the description in `info`.
fn docs(doc: &Value) -> Option<String> {
    doc.get("docs")
        .and_then(Value::as_str)
        .map(str::to_string)
        .or_else(|| description(doc.get("info").unwrap_or(&Value::Null)))
        .filter(|d| !d.trim().is_empty())
}

/// A description: a string, or `{content, type}`.
fn description(v: &Value) -> Option<String> {
    let d = v.get("description")?;
    let s = d
        .as_str()
        .or_else(|| d.get("content").and_then(Value::as_str))?;
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}

fn disabled(v: &Value) -> bool {
    v.get("disabled").and_then(Value::as_bool) == Some(true)
        || v.get("enabled").and_then(Value::as_bool) == Some(false)
}

fn pairs(entries: &[Value]) -> Vec<KeyValue> {
    entries
        .iter()
        .map(|e| {
            let mut kv = KeyValue::new(text(e, "name"), text(e, "value"));
            kv.enabled = !disabled(e);
            kv.description = description(e);
            kv
        })
        .collect()
}

/// A bundled collection's or folder's `items`, in order.
fn children(doc: &Value, at: &str, report: &mut Report) -> Vec<ImportedItem> {
    let mut items = Vec::new();
    for (i, it) in list(doc, "items").iter().enumerate() {
        let sub_at = format!(
            "{at}/{}",
            name_of(it).unwrap_or_else(|| format!("item {i}"))
        );
        if let Some(imported) = item(it, &sub_at, report) {
            items.push((seq(it), imported));
        }
    }
    ordered(items)
}

/// One item of a collection: an HTTP request or a folder; anything else is
/// reported and left out.
fn item(doc: &Value, at: &str, report: &mut Report) -> Option<ImportedItem> {
    let kind =
        doc.pointer("/info/type")
            .and_then(Value::as_str)
            .unwrap_or(if doc.get("http").is_some() {
                "http"
            } else if doc.get("items").is_some() {
                "folder"
            } else {
                "unknown"
            });
    match kind {
        "http" => Some(ImportedItem::Request(Box::new(request(doc, at, report)))),
        "folder" => {
            let name = name_of(doc).unwrap_or_else(|| "folder".to_string());
            let mut folder = ImportedFolder {
                name,
                ..ImportedFolder::default()
            };
            apply_defaults(doc, at, &mut folder.folder, report);
            folder.items = children(doc, at, report);
            Some(ImportedItem::Folder(Box::new(folder)))
        }
        other => {
            report.dropped(
                at,
                format!("{other} request"),
                "postie sends HTTP requests only (GraphQL goes as an HTTP POST with a GraphQL body)",
            );
            None
        }
    }
}

fn request(doc: &Value, at: &str, report: &mut Report) -> Request {
    let http = field(doc, "http");
    let method = match text(http, "method") {
        m if m.is_empty() => "GET".to_string(),
        m => m.to_ascii_uppercase(),
    };
    let mut req = Request::new(method, text(http, "url"));
    req.name = name_of(doc);
    req.headers = pairs(list(http, "headers"));
    let params = list(http, "params");
    let query: Vec<Value> = params
        .iter()
        .filter(|p| p.get("type").and_then(Value::as_str) != Some("path"))
        .cloned()
        .collect();
    req.params = pairs(&query);
    for p in params
        .iter()
        .filter(|p| p.get("type").and_then(Value::as_str) == Some("path"))
    {
        report.dropped(
            at,
            format!("path parameter {}", text(p, "name")),
            "postie has no path parameters: write the value in the URL or as a {{variable}}",
        );
    }
    req.body.body = body(http.get("body"), at, report);
    if let Some(auth) = http.get("auth") {
        req.auth.auth = self::auth(auth, at, report);
    }
    let runtime = field(doc, "runtime");
    let (pre, test) = scripts(list(runtime, "scripts"), at, report);
    req.pre_request = pre;
    req.test = test;
    for (key, what) in [
        ("variables", "request variables"),
        ("assertions", "assertions"),
        ("actions", "actions"),
    ] {
        if !list(runtime, key).is_empty() {
            report.dropped(
                at,
                what,
                "not converted: set variables in a script and write assertions as pm.test",
            );
        }
    }
    settings(doc.get("settings"), &mut req, at, report);
    req.description = docs(doc);
    if !list(doc, "examples").is_empty() {
        report.dropped(at, "examples", "not converted");
    }
    req
}

fn settings(s: Option<&Value>, req: &mut Request, at: &str, report: &mut Report) {
    let Some(s) = s.and_then(Value::as_object) else {
        return;
    };
    // `inherit` (or absent) leaves postie's own default.
    for (key, v) in s {
        match (key.as_str(), v) {
            // Bruno's 0 is "no timeout of its own": postie's default.
            ("timeout", Value::Number(n)) => {
                req.settings.timeout_ms = n.as_u64().filter(|&ms| ms > 0)
            }
            ("followRedirects", Value::Bool(b)) => req.settings.follow_redirects = Some(*b),
            ("maxRedirects", Value::Number(n)) => {
                req.settings.max_redirects = n.as_u64().and_then(|n| u32::try_from(n).ok())
            }
            ("encodeUrl", Value::Bool(b)) => req.settings.encode_url = Some(*b),
            ("forwardAuthorizationHeader", Value::Bool(b)) => {
                req.settings.follow_authorization_header = Some(*b)
            }
            (_, Value::String(s)) if s == "inherit" => {}
            (other, _) => {
                report.dropped(at, format!("setting {other}"), "postie has no such setting")
            }
        }
    }
}

/// `before-request` becomes the pre-request script; `after-response` and
/// `tests` the test script.
fn scripts(list: &[Value], at: &str, report: &mut Report) -> (Option<String>, Option<String>) {
    let mut pre: Vec<String> = Vec::new();
    let mut post: Vec<String> = Vec::new();
    for s in list {
        let code = text(s, "code");
        if code.trim().is_empty() {
            continue;
        }
        let kind = text(s, "type");
        match kind.as_str() {
            "before-request" => pre.push(code),
            "after-response" | "tests" => post.push(code),
            other => {
                report.dropped(at, format!("{other} script"), "postie has no such script");
                continue;
            }
        }
        if ["bru.", "res.", "req."].iter().any(|api| {
            s.get("code")
                .and_then(Value::as_str)
                .is_some_and(|c| c.contains(api))
        }) {
            report.changed(
                at,
                format!("script {kind}"),
                "kept as written: Bruno's bru./res./req. API is not Postman's pm. API, so those calls fail until rewritten",
            );
        }
    }
    let join = |v: Vec<String>| (!v.is_empty()).then(|| v.join("\n"));
    (join(pre), join(post))
}

fn body(b: Option<&Value>, at: &str, report: &mut Report) -> Body {
    let Some(b) = b else {
        return Body::None;
    };
    // Variants (several bodies to pick from): the selected one, else the first.
    if let Some(variants) = b.as_array() {
        let chosen = variants
            .iter()
            .find(|v| v.get("selected").and_then(Value::as_bool) == Some(true))
            .or_else(|| variants.first());
        if variants.len() > 1 {
            report.changed(at, "body variants", "only the selected body is kept");
        }
        return body(chosen.and_then(|v| v.get("body")), at, report);
    }
    let data = text(b, "data");
    let raw = |kind| Body::Raw {
        kind,
        text: data.clone(),
    };
    match text(b, "type").as_str() {
        "json" => raw(RawKind::Json),
        "text" | "sparql" => raw(RawKind::Text),
        "xml" => raw(RawKind::Xml),
        "form-urlencoded" => Body::Form(pairs(list(b, "data"))),
        "multipart-form" => Body::Multipart(
            list(b, "data")
                .iter()
                .map(|e| {
                    let is_file = e.get("type").and_then(Value::as_str) == Some("file");
                    let value = match e.get("value") {
                        Some(Value::Array(files)) => {
                            if files.len() > 1 {
                                report.changed(
                                    at,
                                    format!("form part {}", text(e, "name")),
                                    "several files in one part: the first is kept",
                                );
                            }
                            files
                                .first()
                                .and_then(Value::as_str)
                                .unwrap_or("")
                                .to_string()
                        }
                        _ => text(e, "value"),
                    };
                    Part {
                        name: text(e, "name"),
                        value: (!is_file).then(|| value.clone()),
                        file: is_file.then_some(value),
                        filename: None,
                        content_type: e
                            .get("contentType")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                        enabled: !disabled(e),
                        description: description(e),
                        extra: Default::default(),
                    }
                })
                .collect(),
        ),
        "file" => {
            let files = list(b, "data");
            let chosen = files
                .iter()
                .find(|f| f.get("selected").and_then(Value::as_bool) == Some(true))
                .or_else(|| files.first());
            match chosen {
                Some(f) => {
                    if !text(f, "contentType").is_empty() {
                        report.changed(
                            at,
                            "file body content type",
                            "set the Content-Type header if the server needs it",
                        );
                    }
                    Body::Binary {
                        file: text(f, "filePath"),
                    }
                }
                None => Body::None,
            }
        }
        other => {
            report.dropped(
                at,
                format!("body type {other}"),
                "postie has no such body kind",
            );
            Body::None
        }
    }
}

fn auth(a: &Value, at: &str, report: &mut Report) -> Auth {
    if a.as_str() == Some("inherit") {
        return Auth::Inherit;
    }
    let f = |k: &str| text(a, k);
    match f("type").as_str() {
        "none" => Auth::None,
        "inherit" => Auth::Inherit,
        "basic" => Auth::Basic {
            username: f("username"),
            password: f("password"),
        },
        "digest" => Auth::Digest {
            username: f("username"),
            password: f("password"),
        },
        "bearer" => Auth::Bearer { token: f("token") },
        "apikey" => Auth::ApiKey {
            key: f("key"),
            value: f("value"),
            location: match f("placement").as_str() {
                "query" | "queryparams" => ApiKeyLocation::Query,
                _ => ApiKeyLocation::Header,
            },
        },
        "awsv4" => Auth::AwsV4(AwsV4Auth {
            access_key: f("accessKeyId"),
            secret_key: f("secretAccessKey"),
            session_token: f("sessionToken"),
            region: f("region"),
            service: f("service"),
            ..AwsV4Auth::default()
        }),
        "oauth2" => oauth2(a, at, report),
        other => {
            report.dropped(
                at,
                format!("auth type {other}"),
                "not converted; set it up by hand in the Auth tab",
            );
            Auth::Inherit
        }
    }
}

/// OAuth 2.0, one of four flows; the token goes where `tokenConfig` says.
fn oauth2(a: &Value, at: &str, report: &mut Report) -> Auth {
    let f = |k: &str| text(a, k);
    let credentials = field(a, "credentials");
    let owner = field(a, "resourceOwner");
    let pkce = field(a, "pkce");
    let grant = match f("flow").as_str() {
        "client_credentials" => OAuth2Grant::ClientCredentials,
        "resource_owner_password_credentials" => OAuth2Grant::Password,
        "implicit" => OAuth2Grant::Implicit,
        _ => OAuth2Grant::AuthorizationCode,
    };
    let placement = field(field(a, "tokenConfig"), "placement");
    let in_query = placement.get("query").is_some();
    let token_prefix = match placement.get("header").and_then(Value::as_str) {
        // Bruno's placement names the prefix (`Bearer` by default).
        Some(prefix) if !prefix.is_empty() && prefix != "Bearer" => prefix.to_string(),
        _ => String::new(),
    };
    let params = field(a, "additionalParameters");
    let steps = |key: &str| -> Vec<OAuth2Param> {
        list(params, key)
            .iter()
            .map(|p| OAuth2Param {
                key: text(p, "name"),
                value: text(p, "value"),
                place: match text(p, "placement").as_str() {
                    "header" => ParamPlace::Header,
                    "query" => ParamPlace::Query,
                    _ => ParamPlace::Body,
                },
                enabled: true,
            })
            .collect()
    };
    if grant == OAuth2Grant::Implicit {
        report.changed(
            at,
            "OAuth 2.0 implicit flow",
            "kept but never run: the implicit grant is deprecated; use the code grant with PKCE",
        );
    }
    Auth::OAuth2(Box::new(OAuth2Auth {
        grant,
        token_url: f("accessTokenUrl"),
        auth_url: f("authorizationUrl"),
        refresh_url: f("refreshTokenUrl"),
        redirect_uri: f("callbackUrl"),
        client_id: text(credentials, "clientId"),
        client_secret: text(credentials, "clientSecret"),
        client_auth: match text(credentials, "placement").as_str() {
            "body" => ClientAuth::Body,
            _ => ClientAuth::Header,
        },
        scope: f("scope"),
        state: f("state"),
        username: text(owner, "username"),
        password: text(owner, "password"),
        pkce: grant == OAuth2Grant::AuthorizationCode
            && pkce.is_object()
            && pkce.get("disabled").and_then(Value::as_bool) != Some(true),
        pkce_method: match text(pkce, "method").as_str() {
            "plain" => "plain".to_string(),
            _ => String::new(),
        },
        token_prefix,
        in_query,
        params: OAuth2Params {
            authorize: steps("authorizationRequest"),
            token: steps("accessTokenRequest"),
            refresh: steps("refreshTokenRequest"),
        },
        ..OAuth2Auth::default()
    }))
}

/// `opencollection.yml`, `folder.yml` or a bundled folder: their `request`
/// defaults (headers, auth, variables, scripts) and docs.
fn apply_defaults(doc: &Value, at: &str, folder: &mut Folder, report: &mut Report) {
    let defaults = field(doc, "request");
    folder.headers = pairs(list(defaults, "headers"));
    if let Some(a) = defaults.get("auth") {
        folder.auth.auth = auth(a, at, report);
    }
    for v in list(defaults, "variables") {
        let (name, var) = variable(v);
        folder.variables.0.push((name, var));
    }
    let (pre, test) = scripts(list(defaults, "scripts"), at, report);
    folder.pre_request = pre;
    folder.test = test;
    folder.description = docs(doc);
}

/// A variable's value: a string, `{type, data}`, or variants to pick from.
fn value_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Object(_) => text(v, "data"),
        Value::Array(variants) => variants
            .iter()
            .find(|x| x.get("selected").and_then(Value::as_bool) == Some(true))
            .or_else(|| variants.first())
            .and_then(|x| x.get("value"))
            .map(value_of)
            .unwrap_or_default(),
        Value::Null => String::new(),
    }
}

fn variable(v: &Value) -> (String, Variable) {
    let name = text(v, "name");
    let value = v.get("value").map(value_of).unwrap_or_default();
    let enabled = !disabled(v);
    let var = match (enabled, description(v)) {
        (true, None) => Variable::Plain(value),
        (enabled, description) => Variable::Detailed {
            value: Some(value),
            secret: false,
            enabled,
            description,
            extra: Default::default(),
        },
    };
    (name, var)
}

/// An environment: secret variables are declared (their values, which
/// Bruno keeps out of the file too, are never written).
fn environment(doc: &Value, name: String, report: &mut Report) -> ImportedEnvironment {
    let mut variables = Variables::default();
    let mut secrets = Vec::new();
    for v in list(doc, "variables") {
        let var_name = text(v, "name");
        if var_name.is_empty() {
            continue;
        }
        if v.get("secret").and_then(Value::as_bool) == Some(true) {
            if let Some(value) = v.get("value").map(value_of).filter(|s| !s.is_empty()) {
                secrets.push((var_name.clone(), value));
            }
            variables.0.push((var_name, Variable::secret_declaration()));
        } else {
            variables.0.push(variable(v));
        }
    }
    if doc.get("externalSecrets").is_some() {
        report.dropped(
            format!("environment {name}"),
            "external secrets",
            "postie reads secrets from its local secrets file or the process environment",
        );
    }
    ImportedEnvironment {
        name,
        environment: Environment {
            variables,
            ..Environment::default()
        },
        secrets,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request_of(import: &Import) -> &Request {
        match import.collections[0].items.first() {
            Some(ImportedItem::Request(r)) => r,
            other => panic!("not a request: {other:?}"),
        }
    }

    #[test]
    fn a_request_file_keeps_what_postie_has_and_reports_the_rest() {
        let yaml = r#"info:
  name: Create user
  type: http
  seq: 2
http:
  method: post
  url: "{{baseUrl}}/users/:team"
  headers:
    - name: X-Trace
      value: "1"
    - name: X-Off
      value: "0"
      disabled: true
  params:
    - name: page
      value: "2"
      type: query
    - name: team
      value: blue
      type: path
  body:
    type: json
    data: |-
      {"name": "ada"}
  auth:
    type: bearer
    token: "{{token}}"
runtime:
  scripts:
    - type: before-request
      code: bru.setVar("n", 1)
    - type: tests
      code: test("ok", () => {})
  assertions:
    - expression: res.status
      operator: eq
      value: "200"
settings:
  timeout: 5000
  followRedirects: inherit
docs: Makes a user.
"#;
        let import = parse(yaml).unwrap();
        let req = request_of(&import);
        assert_eq!(req.name.as_deref(), Some("Create user"));
        assert_eq!(req.method, "POST");
        assert_eq!(req.url, "{{baseUrl}}/users/:team");
        assert_eq!(req.headers.len(), 2);
        assert!(!req.headers[1].enabled);
        assert_eq!(req.params.len(), 1);
        assert_eq!(req.params[0].value, "2");
        assert_eq!(
            req.body.body,
            Body::Raw {
                kind: RawKind::Json,
                text: r#"{"name": "ada"}"#.into()
            }
        );
        assert_eq!(
            req.auth.auth,
            Auth::Bearer {
                token: "{{token}}".into()
            }
        );
        assert_eq!(req.pre_request.as_deref(), Some(r#"bru.setVar("n", 1)"#));
        assert_eq!(req.test.as_deref(), Some(r#"test("ok", () => {})"#));
        assert_eq!(req.settings.timeout_ms, Some(5000));
        assert_eq!(req.settings.follow_redirects, None);
        assert_eq!(req.description.as_deref(), Some("Makes a user."));
        let said: Vec<String> = import.report.notes.iter().map(|n| n.what.clone()).collect();
        for expected in ["path parameter team", "assertions", "script before-request"] {
            assert!(said.iter().any(|w| w == expected), "{expected}: {said:?}");
        }
    }

    #[test]
    fn a_bundled_collection_has_folders_in_order_defaults_and_environments() {
        let yaml = r#"opencollection: 1.0.0
info:
  name: Shop
bundled: true
request:
  headers:
    - name: X-App
      value: shop
  auth:
    type: basic
    username: ada
    password: "{{password}}"
config:
  environments:
    - name: Staging
      variables:
        - name: baseUrl
          value: https://staging.example
        - name: password
          secret: true
        - name: retries
          value:
            type: number
            data: "3"
items:
  - info:
      name: Second
      type: http
      seq: 2
    http:
      method: GET
      url: "{{baseUrl}}/b"
  - info:
      name: Users
      type: folder
      seq: 1
    items:
      - info:
          name: Login
          type: http
        http:
          method: POST
          url: "{{baseUrl}}/login"
          body:
            type: form-urlencoded
            data:
              - name: user
                value: ada
          auth: inherit
  - info:
      name: Live
      type: websocket
"#;
        let import = parse(yaml).unwrap();
        let root = &import.collections[0];
        assert_eq!(root.name, "Shop");
        assert_eq!(root.folder.headers[0].name, "X-App");
        assert!(matches!(root.folder.auth.auth, Auth::Basic { .. }));
        let names: Vec<String> = root
            .items
            .iter()
            .map(|i| match i {
                ImportedItem::Folder(f) => f.name.clone(),
                ImportedItem::Request(r) => r.name.clone().unwrap_or_default(),
            })
            .collect();
        assert_eq!(
            names,
            ["Users", "Second"],
            "by seq; the websocket is left out"
        );
        let ImportedItem::Folder(users) = &root.items[0] else {
            panic!("Users is a folder");
        };
        let ImportedItem::Request(login) = &users.items[0] else {
            panic!("Login is a request");
        };
        assert_eq!(login.auth.auth, Auth::Inherit);
        assert!(matches!(&login.body.body, Body::Form(kv) if kv[0].value == "ada"));
        let env = &import.environments[0];
        assert_eq!(env.name, "Staging");
        let vars = &env.environment.variables.0;
        assert_eq!(vars[1], ("password".into(), Variable::secret_declaration()));
        assert_eq!(vars[2], ("retries".into(), Variable::Plain("3".into())));
        assert!(import
            .report
            .notes
            .iter()
            .any(|n| n.what == "websocket request"));
    }

    #[test]
    fn an_environment_file_alone_is_an_environment() {
        let import = parse("name: dev\nvariables:\n  - name: host\n    value: x\n").unwrap();
        assert!(import.collections.is_empty());
        assert_eq!(import.environments[0].name, "dev");
        let vars = &import.environments[0].environment.variables.0;
        assert_eq!(vars[0], ("host".into(), Variable::Plain("x".into())));
    }

    #[test]
    fn oauth2_flows_keep_their_settings() {
        let yaml = r#"info:
  name: Token
  type: http
http:
  method: GET
  url: https://api.example/me
  auth:
    type: oauth2
    flow: authorization_code
    authorizationUrl: https://id.example/authorize
    accessTokenUrl: https://id.example/token
    callbackUrl: http://127.0.0.1:8765/cb
    credentials:
      clientId: app
      clientSecret: "{{secret}}"
      placement: body
    scope: read write
    pkce:
      disabled: false
      method: S256
    additionalParameters:
      accessTokenRequest:
        - name: audience
          value: api
          placement: body
    tokenConfig:
      placement:
        query: access_token
"#;
        let import = parse(yaml).unwrap();
        let Auth::OAuth2(o) = &request_of(&import).auth.auth else {
            panic!("not OAuth 2.0");
        };
        assert_eq!(o.grant, OAuth2Grant::AuthorizationCode);
        assert_eq!(o.auth_url, "https://id.example/authorize");
        assert_eq!(o.token_url, "https://id.example/token");
        assert_eq!(o.redirect_uri, "http://127.0.0.1:8765/cb");
        assert_eq!(
            (o.client_id.as_str(), o.client_auth),
            ("app", ClientAuth::Body)
        );
        assert!(o.pkce && o.in_query);
        assert_eq!(o.params.token[0].key, "audience");
        let cc = "info:\n  name: C\n  type: http\nhttp:\n  url: https://x\n  auth:\n    type: oauth2\n    flow: client_credentials\n    accessTokenUrl: https://id/token\n";
        let import = parse(cc).unwrap();
        let Auth::OAuth2(o) = &request_of(&import).auth.auth else {
            panic!("not OAuth 2.0");
        };
        assert_eq!(o.grant, OAuth2Grant::ClientCredentials);
        assert!(!o.pkce && !o.in_query);
    }

    #[test]
    fn a_collection_root_file_alone_points_to_its_folder() {
        let e = parse("opencollection: 1.0.0\ninfo:\n  name: Shop\n").unwrap_err();
        assert!(
            e.to_string().contains("import the collection's folder"),
            "{e}"
        );
    }

    #[test]
    fn broken_yaml_names_the_line() {
        let e = parse("info:\n  name: [unclosed\nhttp: {}\n").unwrap_err();
        assert!(e.to_string().contains("line "), "{e}");
    }
}
