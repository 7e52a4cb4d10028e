//! Postman Collection v2.0/v2.1 (and v1, converted to v2.1 first, see
//! [`v1`]), the `{"collection": ...}` envelope Postman's API returns,
//! environment and globals files.
//!
//! What maps to postie is carried over; everything else is named in the
//! report (dropped or changed, with the reason), never lost silently. A few
//! decisions worth knowing:
//!
//! - Path variables (`/users/:id` with `url.variable`) become template
//!   variables (`/users/{{id}}`). postie has no request-level variables, so
//!   the value goes to the variables of the folder (or collection) that
//!   holds the request: the nearest scope, which keeps its effect as local
//!   as possible. When that folder or one of its ancestors already defines
//!   the name with another value, the value is not added (it would change
//!   what other requests send) and the report says so. Request-level
//!   `variable` lists are treated the same way.
//! - Query parameters: see [`url`].
//! - Scripts are stored byte for byte: an `exec` list of lines is joined
//!   with `\n`, which the exporter splits again.

mod auth;
mod body;
mod environment;
mod ids;
mod json;
mod notes;
pub(crate) mod oauth2;
mod url;
mod v1;
mod v3;
pub use v3::is_v3_dir;

use serde_json::{Map, Value};

use crate::import::{Format, Import, ImportError, ImportedFolder, ImportedItem};
use crate::model::{
    Example, Extra, KeyValue, Request, Settings, Variable, Variables, PRUNED_METHODS,
};
use crate::storage::layout::slugify;

pub use environment::parse_environment;
pub use ids::{IdNode, IdTree};
use notes::Notes;
pub use url::split as split_url;
use url::PathVar;

const FORMAT: Format = Format::Postman;

/// A body in Postman's JSON (what a script made of `pm.request.body`).
pub fn body_from_json(v: &Value, headers: &[KeyValue]) -> crate::model::Body {
    body::read(&mut Notes::default(), "", Some(v), headers).body
}

/// An auth in Postman's JSON (what a script made of `pm.request.auth`).
pub fn auth_from_json(v: &Value) -> crate::model::Auth {
    auth::read(&mut Notes::default(), "", Some(v)).auth
}

/// A Postman collection file ready for `postie run`: the collection as
/// postie models it, Postman's ids beside it, and the v2.1 document it was
/// read from.
#[derive(Debug, Clone)]
pub struct RunnableCollection {
    /// `import.collections[0]` is the collection.
    pub import: Import,
    /// Postman's ids, in the same shape as `import.collections[0].items`.
    pub ids: IdTree,
    /// The v2.1 form actually run (envelope removed, v1 converted), for
    /// `--export-collection`.
    pub document: Value,
}

/// Reads a collection file's bytes (UTF-8 with or without a BOM, or
/// UTF-16) as `postie run` needs it: v2.0/v2.1, the `{"collection": ...}`
/// envelope of Postman's API, or v1 converted as newman converts it.
pub fn parse_runnable(bytes: &[u8]) -> Result<RunnableCollection, ImportError> {
    let text = crate::import::text::decode_input(bytes);
    let (document, v1) = document(&text)?;
    let import = from_document(&document, v1)?;
    let ids = ids::of(&document);
    Ok(RunnableCollection {
        import,
        ids,
        document,
    })
}

/// A Postman v3 collection directory, a folder of them, or a project with
/// `postman/collections/` (and `postman/environments/`): every collection
/// and environment in it, with one report.
pub fn parse_v3_dir(dir: &std::path::Path) -> Result<Import, ImportError> {
    let v3 = v3::read(dir)?;
    let mut import = Import {
        collections: Vec::new(),
        environments: Vec::new(),
        report: v3.report,
    };
    for doc in &v3.collections {
        let one = from_document(doc, false)?;
        import.collections.extend(one.collections);
        import.report.notes.extend(one.report.notes);
    }
    for env in &v3.environments {
        let one = parse_environment(&env.to_string())?;
        import.environments.extend(one.environments);
        import.report.notes.extend(one.report.notes);
    }
    Ok(import)
}

pub fn parse_collection(text: &str) -> Result<Import, ImportError> {
    let (document, v1) = document(text)?;
    from_document(&document, v1)
}

/// The v2.x collection in `text`, and whether it was converted from v1.
fn document(text: &str) -> Result<(Value, bool), ImportError> {
    let mut root = json::parse(FORMAT, text)?;
    // Postman's API answers `{"collection": {...}}`.
    if let Value::Object(o) = &mut root {
        if is_envelope(o) {
            if let Some(inner) = o.remove("collection") {
                root = inner;
            }
        }
    }
    match &root {
        Value::Object(o) if v1::is_v1(o) => Ok((v1::to_v21(o), true)),
        _ => Ok((root, false)),
    }
}

/// `{"collection": {...}}` with nothing of a collection beside it.
fn is_envelope(o: &Map<String, Value>) -> bool {
    matches!(o.get("collection"), Some(Value::Object(_)))
        && !o.contains_key("item")
        && !o.contains_key("info")
        && !o.contains_key("requests")
}

fn from_document(root: &Value, from_v1: bool) -> Result<Import, ImportError> {
    let Value::Object(o) = root else {
        return Err(ImportError::invalid(FORMAT, "expected a JSON object"));
    };
    check_version(o)?;
    let info = o.get("info").and_then(Value::as_object);
    let name = info
        .and_then(|i| json::text(i.get("name")))
        .or_else(|| json::text(o.get("name")))
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "Postman collection".into());
    let mut notes = Notes::default();
    if from_v1 {
        notes.changed(
            &name,
            "collection format",
            "a Postman Collection v1 file, converted to v2.1 as newman converts it",
        );
    }
    if let Some(info) = info {
        notes.unknown_keys(
            &name,
            info,
            &["name", "description", "schema", "version"],
            "info",
        );
    }
    if let Some(v) = info.and_then(|i| i.get("version")).filter(|v| !v.is_null()) {
        notes.dropped(
            &name,
            format!("collection version {v}"),
            "postie versions collections with git",
        );
    }
    let description = json::description(info.and_then(|i| i.get("description")))
        .or_else(|| json::description(o.get("description")));
    let mut cx = Cx { notes };
    let mut known = FOLDER_KEYS.to_vec();
    known.extend(["info", "variables"]);
    cx.notes.unknown_keys(&name, o, &known, "collection");
    let coll = cx.folder(&name, &name, o, description, &[]);
    let report = cx.notes.finish(&name);
    Ok(Import {
        collections: vec![coll],
        environments: Vec::new(),
        report,
    })
}

/// A collection or folder's items as the importer reads them: entries that
/// are not objects are skipped, and an item with an `item` list is a
/// folder. [`ids::of`] walks the same way, so ids and items line up.
#[derive(Clone, Copy)]
enum Child<'a> {
    Folder(&'a Map<String, Value>),
    Request(&'a Map<String, Value>),
}

fn children(o: &Map<String, Value>) -> impl Iterator<Item = Child<'_>> {
    json::array(o.get("item")).iter().filter_map(|it| {
        let io = it.as_object()?;
        Some(if matches!(io.get("item"), Some(Value::Array(_))) {
            Child::Folder(io)
        } else {
            Child::Request(io)
        })
    })
}

/// Only v2.0 and v2.1 get here (v1 was converted).
fn check_version(o: &Map<String, Value>) -> Result<(), ImportError> {
    let schema = o
        .get("info")
        .and_then(|i| json::text(i.get("schema")))
        .unwrap_or_default();
    if !matches!(o.get("item"), Some(Value::Array(_))) {
        return Err(ImportError::invalid(
            FORMAT,
            "no `item` list: this is not a Postman Collection v2.0/v2.1 file",
        ));
    }
    if !schema.is_empty() && !schema.contains("/v2.0.") && !schema.contains("/v2.1.") {
        return Err(ImportError::invalid(
            FORMAT,
            format!("unknown collection schema {schema} (postie reads v1, v2.0 and v2.1)"),
        ));
    }
    Ok(())
}

const FOLDER_KEYS: &[&str] = &[
    "name",
    "item",
    "description",
    "variable",
    "auth",
    "event",
    "protocolProfileBehavior",
];

struct Cx {
    notes: Notes,
}

impl Cx {
    /// A collection (`o` is the root) or a folder item.
    fn folder(
        &mut self,
        name: &str,
        path: &str,
        o: &Map<String, Value>,
        description: Option<String>,
        ancestors: &[&Variables],
    ) -> ImportedFolder {
        let mut f = ImportedFolder {
            name: name.to_string(),
            ..ImportedFolder::default()
        };
        f.folder.name = Some(name.to_string());
        f.folder.description = description;
        let mut vars = self.variables(path, json::array(o.get("variable")));
        if let Some(Value::Array(more)) = o.get("variables") {
            vars.0.extend(self.variables(path, more).0);
        }
        f.folder.variables = vars;
        f.folder.auth = auth::read(&mut self.notes, path, o.get("auth"));
        (f.folder.pre_request, f.folder.test) = self.scripts(path, o.get("event"));
        f.folder.settings = self.settings(path, o.get("protocolProfileBehavior"));

        let mut pending: Vec<PathVar> = Vec::new();
        let mut chain: Vec<&Variables> = ancestors.to_vec();
        let own = f.folder.variables.clone();
        chain.push(&own);
        for child in children(o) {
            let (Child::Folder(io) | Child::Request(io)) = child;
            let child_name = json::text(io.get("name"))
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "untitled".into());
            let child_path = format!("{path}/{child_name}");
            if let Child::Folder(io) = child {
                self.notes
                    .unknown_keys(&child_path, io, FOLDER_KEYS, "folder");
                let desc = json::description(io.get("description"));
                let sub = self.folder(&child_name, &child_path, io, desc, &chain);
                f.items.push(ImportedItem::Folder(Box::new(sub)));
            } else {
                let (req, vars) = self.request(&child_path, &child_name, io);
                pending.extend(vars);
                f.items.push(ImportedItem::Request(Box::new(req)));
            }
        }
        // Place path variables here, unless that would change a value
        // already defined here or above.
        for pv in pending {
            let defined = f
                .folder
                .variables
                .get(&pv.name)
                .or_else(|| ancestors.iter().rev().find_map(|v| v.get(&pv.name)));
            match defined {
                Some(v) if v.value() == Some(pv.value.as_str()) => {}
                Some(_) => self.notes.changed(
                    path,
                    format!("value of path variable `{}`", pv.name),
                    "not added: this folder or a parent already defines it with another value, which the request now uses",
                ),
                None => {
                    let var = match pv.description {
                        Some(d) => Variable::Detailed {
                            value: Some(pv.value),
                            secret: false,
                            enabled: true,
                            description: Some(d),
                            extra: Extra::new(),
                        },
                        None => Variable::Plain(pv.value),
                    };
                    f.folder.variables.0.push((pv.name, var));
                }
            }
        }
        f
    }

    fn variables(&mut self, item: &str, list: &[Value]) -> Variables {
        let mut vars = Variables::default();
        for v in list {
            let Some(o) = v.as_object() else { continue };
            self.notes.unknown_keys(
                item,
                o,
                &[
                    "key",
                    "value",
                    "type",
                    "disabled",
                    "description",
                    "name",
                    "system",
                ],
                "variable",
            );
            let Some(key) = json::text(o.get("key")).or_else(|| json::text(o.get("id"))) else {
                self.notes
                    .dropped(item, "a variable without a key", "postie needs a name");
                continue;
            };
            let value = json::text(o.get("value")).unwrap_or_default();
            let enabled = !json::flag(o, "disabled");
            let description = json::description(o.get("description"));
            if json::text(o.get("type")).as_deref() == Some("secret") && !value.is_empty() {
                self.notes.changed(
                    item,
                    format!("secret variable `{key}`"),
                    "its value is now in the committed collection file; move it to an environment's secrets",
                );
            }
            let var = if enabled && description.is_none() {
                Variable::Plain(value)
            } else {
                Variable::Detailed {
                    value: Some(value),
                    secret: false,
                    enabled,
                    description,
                    extra: Extra::new(),
                }
            };
            if let Some(i) = vars.0.iter().position(|(n, _)| *n == key) {
                self.notes.changed(
                    item,
                    format!("variable `{key}`"),
                    "defined more than once; the last definition was kept",
                );
                vars.0.remove(i);
            }
            vars.0.push((key, var));
        }
        vars
    }

    fn scripts(&mut self, item: &str, events: Option<&Value>) -> (Option<String>, Option<String>) {
        let (mut pre, mut test): (Vec<String>, Vec<String>) = (Vec::new(), Vec::new());
        // A lone event object counts as a list of one, as Postman reads it.
        let events: &[Value] = match events {
            Some(one @ Value::Object(_)) => {
                self.notes.changed(
                    item,
                    "scripts",
                    "`event` was one object, not a list; it is read (and written back) as a list of one",
                );
                std::slice::from_ref(one)
            }
            other => json::array(other),
        };
        for e in events {
            let Some(e) = e.as_object() else { continue };
            self.notes
                .unknown_keys(item, e, &["listen", "script", "disabled"], "event");
            let listen = json::text(e.get("listen")).unwrap_or_default();
            let script = e.get("script").and_then(Value::as_object);
            if let Some(s) = script {
                self.notes
                    .unknown_keys(item, s, &["exec", "type", "name"], "script");
            }
            let code = match script.and_then(|s| s.get("exec")) {
                Some(Value::Array(lines)) => lines
                    .iter()
                    .map(|l| json::text(Some(l)).unwrap_or_default())
                    .collect::<Vec<_>>()
                    .join("\n"),
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            };
            if code.is_empty() {
                continue;
            }
            if json::flag(e, "disabled") {
                self.notes.dropped(
                    item,
                    format!("{listen} script"),
                    "it was disabled in Postman",
                );
                continue;
            }
            match listen.as_str() {
                "prerequest" => pre.push(code),
                "test" => test.push(code),
                other => self.notes.dropped(
                    item,
                    format!("{other} script"),
                    "postie runs pre-request and test scripts only",
                ),
            }
        }
        let mut one = |list: Vec<String>, kind: &str| {
            if list.len() > 1 {
                self.notes.changed(
                    item,
                    format!("{kind} scripts"),
                    "there were several; they were joined into one, in order",
                );
            }
            (!list.is_empty()).then(|| list.join("\n"))
        };
        let pre = one(pre, "pre-request");
        let test = one(test, "test");
        (pre, test)
    }

    fn settings(&mut self, item: &str, v: Option<&Value>) -> Settings {
        let mut s = Settings::default();
        let Some(Value::Object(o)) = v else {
            return s;
        };
        for (k, v) in o {
            match (k.as_str(), v) {
                ("followRedirects", Value::Bool(b)) => s.follow_redirects = Some(*b),
                ("maxRedirects", Value::Number(n)) if n.as_u64().is_some() => {
                    s.max_redirects = n.as_u64().and_then(|n| u32::try_from(n).ok());
                }
                ("strictSSL", Value::Bool(b)) => s.verify_tls = Some(*b),
                ("followOriginalHttpMethod", Value::Bool(b)) => s.follow_original_method = Some(*b),
                ("followAuthorizationHeader", Value::Bool(b)) => {
                    s.follow_authorization_header = Some(*b)
                }
                ("removeRefererHeaderOnRedirect", Value::Bool(b)) => {
                    s.remove_referer_on_redirect = Some(*b)
                }
                ("disableBodyPruning", Value::Bool(b)) => s.prune_body = Some(!*b),
                ("disableUrlEncoding", Value::Bool(b)) => s.encode_url = Some(!*b),
                _ => self.notes.dropped(
                    item,
                    format!("setting {k} = {v}"),
                    "postie has no such setting",
                ),
            }
        }
        s
    }

    /// A request item, and the variables it needs placed in its folder.
    fn request(
        &mut self,
        path: &str,
        name: &str,
        item: &Map<String, Value>,
    ) -> (Request, Vec<PathVar>) {
        self.notes.unknown_keys(
            path,
            item,
            &[
                "name",
                "request",
                "response",
                "event",
                "protocolProfileBehavior",
                "description",
                "variable",
            ],
            "item",
        );
        let mut just_url = Map::new();
        let ro = match item.get("request") {
            Some(Value::Object(r)) => r,
            // v2.0 allows a request to be just its URL.
            Some(Value::String(u)) => {
                just_url.insert("url".into(), Value::String(u.clone()));
                &just_url
            }
            _ => &just_url,
        };
        self.notes.unknown_keys(
            path,
            ro,
            &["url", "method", "header", "body", "auth", "description"],
            "request",
        );
        let method = json::text(ro.get("method"))
            .filter(|m| !m.is_empty())
            .unwrap_or_else(|| "GET".into());
        let mut u = url::read(&mut self.notes, path, ro.get("url"));
        if u.url.trim().is_empty() {
            // postie needs a URL; a reserved name that never resolves.
            u.url = "http://example.invalid/".into();
            self.notes.changed(
                path,
                "URL",
                "the request had none; it is now http://example.invalid/ until you set one",
            );
        }
        let mut req = Request::new(method, u.url);
        req.name = Some(name.to_string());
        req.params = u.params;
        req.headers = self.headers(path, ro.get("header"));
        req.body = body::read(&mut self.notes, path, ro.get("body"), &req.headers);
        req.auth = auth::read(&mut self.notes, path, ro.get("auth"));
        req.description = json::description(ro.get("description"))
            .or_else(|| json::description(item.get("description")));
        (req.pre_request, req.test) = self.scripts(path, item.get("event"));
        req.settings = self.settings(path, item.get("protocolProfileBehavior"));
        // Postman drops a GET's (…) body unless told not to; said only where
        // it matters, so other requests stay as they were.
        if req.settings.prune_body.is_none()
            && req.body.body != crate::model::Body::None
            && (PRUNED_METHODS.iter()).any(|m| m.eq_ignore_ascii_case(&req.method))
        {
            req.settings.prune_body = Some(true);
        }
        req.examples = self.examples(path, json::array(item.get("response")));
        let mut vars = u.path_vars;
        for (name, var) in self.variables(path, json::array(item.get("variable"))).0 {
            self.notes.changed(
                path,
                format!("request variable `{name}`"),
                "postie has no request-level variables; it moved to the enclosing folder's variables",
            );
            vars.push(PathVar {
                name,
                value: var.value().unwrap_or_default().to_string(),
                description: None,
            });
        }
        for v in &vars {
            self.notes.changed(
                path,
                format!("path variable `:{}`", v.name),
                format!(
                    "now `{{{{{}}}}}` in the URL; its value is a variable of the enclosing folder",
                    v.name
                ),
            );
        }
        (req, vars)
    }

    fn headers(&mut self, item: &str, v: Option<&Value>) -> Vec<KeyValue> {
        match v {
            Some(Value::Array(rows)) => rows
                .iter()
                .filter_map(|h| {
                    let o = h.as_object()?;
                    self.notes.unknown_keys(
                        item,
                        o,
                        &[
                            "key",
                            "value",
                            "disabled",
                            "description",
                            "type",
                            "name",
                            "enabled",
                        ],
                        "header",
                    );
                    let mut kv = KeyValue::new(
                        json::text(o.get("key"))?,
                        json::text(o.get("value")).unwrap_or_default(),
                    );
                    kv.enabled = !json::flag(o, "disabled")
                        && !matches!(o.get("enabled"), Some(Value::Bool(false)));
                    kv.description = json::description(o.get("description"));
                    Some(kv)
                })
                .collect(),
            // v2.0 also allows "Name: value" lines; `//` disables one.
            Some(Value::String(s)) => s
                .lines()
                .filter_map(|l| {
                    let (line, enabled) = match l.trim().strip_prefix("//") {
                        Some(rest) => (rest.trim(), false),
                        None => (l.trim(), true),
                    };
                    let (k, v) = line.split_once(':')?;
                    let mut kv = KeyValue::new(k.trim(), v.trim());
                    kv.enabled = enabled;
                    Some(kv)
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn examples(&mut self, item: &str, list: &[Value]) -> Vec<Example> {
        let mut out: Vec<Example> = Vec::new();
        for r in list {
            let Some(o) = r.as_object() else { continue };
            self.notes.unknown_keys(
                item,
                o,
                &[
                    "name",
                    "code",
                    "header",
                    "body",
                    "originalRequest",
                    "status",
                    "cookie",
                    "_postman_previewlanguage",
                    "_postman_previewtype",
                    "responseTime",
                    "timings",
                ],
                "saved example",
            );
            for (k, what) in [
                ("originalRequest", "saved examples' original requests"),
                ("cookie", "saved examples' cookies"),
                ("status", "saved examples' status texts"),
                ("responseTime", "saved examples' response times"),
                ("timings", "saved examples' timings"),
            ] {
                let present = match o.get(k) {
                    None | Some(Value::Null) => false,
                    Some(Value::Array(a)) => !a.is_empty(),
                    Some(Value::String(s)) => !s.is_empty(),
                    Some(_) => true,
                };
                if present {
                    self.notes.grouped(
                        what,
                        "a postie example keeps its name, status code, headers and body",
                    );
                }
            }
            let base = json::text(o.get("name"))
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| "Example".into());
            // The body file is named after the name's slug: keep them unique.
            let mut name = base.clone();
            let mut n = 1;
            while out.iter().any(|e| slugify(&e.name) == slugify(&name)) {
                n += 1;
                name = format!("{base} ({n})");
            }
            if n > 1 {
                self.notes.changed(
                    item,
                    format!("saved example `{base}`"),
                    format!("another example has the same file name; renamed to `{name}`"),
                );
            }
            out.push(Example {
                name,
                status: o
                    .get("code")
                    .and_then(Value::as_u64)
                    .and_then(|c| u16::try_from(c).ok()),
                headers: self.headers(item, o.get("header")),
                extra: Extra::new(),
                body: json::text(o.get("body")).filter(|b| !b.is_empty()),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests;
