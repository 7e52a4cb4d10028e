//! A collection or folder as one `.http` file (JetBrains HTTP Client /
//! VS Code REST Client syntax): variables as `@name = value` lines, each
//! request under a `### Name` title with its inherited headers and auth
//! written out, bodies inline, scripts as `< {% %}` / `> {% %}` blocks.
//!
//! File paths (binary bodies, multipart files) stay relative to the
//! workspace root: save the file there. Disabled rows and descriptions
//! become comments; secret variables are left for an environment file.

use std::fmt::Write as _;

use crate::model::{ApiKeyLocation, Auth, Body, Folder, KeyValue, Request, Variable};
use crate::storage::{FolderNode, Item, Workspace};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no collection or folder `{path}` in the workspace (collections: {known})")]
    NotFound { path: String, known: String },
}

/// Boundary of exported multipart bodies.
const BOUNDARY: &str = "postie-boundary";

pub fn export_collection(ws: &Workspace, path: &str) -> Result<String, ExportError> {
    let path = path.trim_matches('/');
    let mut chain: Vec<&FolderNode> = Vec::new();
    let found = ws
        .collections
        .iter()
        .find_map(|c| find(c, path, &mut chain));
    let Some(node) = found else {
        return Err(ExportError::NotFound {
            path: path.to_string(),
            known: ws
                .collections
                .iter()
                .map(|c| c.path.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let folders: Vec<&Folder> = chain.iter().map(|n| &n.folder).collect();
    let mut out = format!("# {} (exported by postie from {path})\n", node.name());
    write_variables(&mut out, &folders);
    let mut parents = folders.clone();
    parents.pop();
    write_items(&mut out, node, &mut parents);
    Ok(out)
}

/// `node` if its path is `path`, with `chain` the folders from the
/// collection down to it.
fn find<'a>(
    node: &'a FolderNode,
    path: &str,
    chain: &mut Vec<&'a FolderNode>,
) -> Option<&'a FolderNode> {
    chain.push(node);
    if node.path == path {
        return Some(node);
    }
    for item in &node.items {
        if let Item::Folder(sub) = item {
            if let Some(hit) = find(sub, path, chain) {
                return Some(hit);
            }
        }
    }
    chain.pop();
    None
}

fn write_variables(out: &mut String, folders: &[&Folder]) {
    let mut vars: Vec<(&str, &Variable)> = Vec::new();
    for f in folders {
        for (name, v) in &f.variables.0 {
            match vars.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = v,
                None => vars.push((name, v)),
            }
        }
    }
    if vars.is_empty() {
        return;
    }
    out.push('\n');
    for (name, v) in vars {
        match v.value() {
            _ if v.is_secret() => {
                let _ = writeln!(
                    out,
                    "# @{name}: secret; set it in http-client.private.env.json"
                );
            }
            Some(value) if !value.contains('\n') && v.is_enabled() => {
                let _ = writeln!(out, "@{name} = {value}");
            }
            _ => {
                let _ = writeln!(
                    out,
                    "# @{name}: disabled, empty or multi-line; not exported"
                );
            }
        }
    }
}

fn write_items<'a>(out: &mut String, node: &'a FolderNode, parents: &mut Vec<&'a Folder>) {
    parents.push(&node.folder);
    for item in &node.items {
        match item {
            Item::Request(r) => write_request(out, &r.request, &r.name(), parents),
            Item::Folder(sub) => write_items(out, sub, parents),
            Item::Broken(b) => {
                let _ = writeln!(out, "\n# skipped {}: it could not be loaded", b.path);
            }
        }
    }
    parents.pop();
}

fn write_request(out: &mut String, req: &Request, name: &str, parents: &[&Folder]) {
    let _ = writeln!(out, "\n### {}", one_line(name));
    if let Some(d) = req.description.as_deref().filter(|d| !d.trim().is_empty()) {
        for line in d.lines() {
            let _ = writeln!(out, "# {line}");
        }
    }
    if req.settings.follow_redirects == Some(false) {
        out.push_str("# @no-redirect\n");
    }
    if let Some(ms) = req.settings.timeout_ms {
        let _ = writeln!(out, "# @timeout {ms}ms");
    }
    if let Some(s) = req.pre_request.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(out, "< {{%\n{}\n%}}", s.trim_end());
    }
    let auth = effective_auth(req, parents);
    let mut url = req.url.clone();
    let mut params: Vec<&KeyValue> = req.params.iter().filter(|p| p.enabled).collect();
    let key_param;
    if let Auth::ApiKey {
        key,
        value,
        location: ApiKeyLocation::Query,
    } = auth
    {
        key_param = KeyValue::new(key, value);
        params.push(&key_param);
    }
    for (i, p) in params.iter().enumerate() {
        let sep = if i == 0 && !url.contains('?') {
            '?'
        } else {
            '&'
        };
        let _ = write!(url, "{sep}{}={}", encode(&p.name), encode(&p.value));
    }
    let _ = writeln!(out, "{} {url}", req.method);
    for p in req.params.iter().filter(|p| !p.enabled) {
        let _ = writeln!(out, "# disabled param: {}={}", p.name, p.value);
    }
    let mut headers = effective_headers(req, parents);
    match auth {
        Auth::Basic { username, password } => headers.push((
            "Authorization".into(),
            format!("Basic {username} {password}"),
        )),
        Auth::Digest { username, password } => headers.push((
            "Authorization".into(),
            format!("Digest {username} {password}"),
        )),
        Auth::Bearer { token } => headers.push(("Authorization".into(), format!("Bearer {token}"))),
        Auth::ApiKey {
            key,
            value,
            location: ApiKeyLocation::Header,
        } => headers.push((key.clone(), value.clone())),
        _ => {}
    }
    let has_ct = headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-type"));
    let body = body_text(&req.body.body, has_ct, &mut headers);
    for (n, v) in &headers {
        let _ = writeln!(out, "{n}: {}", one_line(v));
    }
    for h in req.headers.iter().filter(|h| !h.enabled) {
        let _ = writeln!(out, "# disabled header: {}: {}", h.name, h.value);
    }
    if let Some(body) = body {
        let _ = writeln!(out, "\n{}", body.trim_end_matches('\n'));
    }
    if let Some(s) = req.test.as_deref().filter(|s| !s.trim().is_empty()) {
        let _ = writeln!(out, "\n> {{%\n{}\n%}}", s.trim_end());
    }
}

/// The request's auth, or the nearest folder's when it inherits.
fn effective_auth<'a>(req: &'a Request, parents: &[&'a Folder]) -> &'a Auth {
    if !req.auth.auth.is_inherit() {
        return &req.auth.auth;
    }
    parents
        .iter()
        .rev()
        .map(|f| &f.auth.auth)
        .find(|a| !a.is_inherit())
        .unwrap_or(&Auth::Inherit)
}

/// The request's enabled headers, then inherited ones it does not set
/// (nearest folder first).
fn effective_headers(req: &Request, parents: &[&Folder]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = req
        .headers
        .iter()
        .filter(|h| h.enabled)
        .map(|h| (h.name.clone(), h.value.clone()))
        .collect();
    for f in parents.iter().rev() {
        for h in f.headers.iter().filter(|h| h.enabled) {
            if !out.iter().any(|(n, _)| n.eq_ignore_ascii_case(&h.name)) {
                out.push((h.name.clone(), h.value.clone()));
            }
        }
    }
    out
}

/// The body as written in the file; adds the Content-Type header the
/// importer needs to read it back as the same body type.
fn body_text(body: &Body, has_ct: bool, headers: &mut Vec<(String, String)>) -> Option<String> {
    let mut ct = |v: &str| {
        if !has_ct {
            headers.push(("Content-Type".into(), v.to_string()));
        }
    };
    match body {
        Body::None => None,
        Body::Raw { kind, text } => {
            let looks_json = text.trim_start().starts_with(['{', '[']);
            let detected_as_is = match kind {
                crate::model::RawKind::Json => looks_json,
                crate::model::RawKind::Text => !looks_json,
                _ => false,
            };
            if !detected_as_is {
                ct(kind.content_type());
            }
            Some(text.clone())
        }
        Body::Form(fields) => {
            ct("application/x-www-form-urlencoded");
            let pairs: Vec<String> = fields
                .iter()
                .filter(|f| f.enabled)
                .map(|f| format!("{}={}", encode(&f.name), encode(&f.value)))
                .collect();
            Some(pairs.join("&"))
        }
        Body::Multipart(parts) => {
            headers.retain(|(n, _)| !n.eq_ignore_ascii_case("content-type"));
            headers.push((
                "Content-Type".into(),
                format!("multipart/form-data; boundary={BOUNDARY}"),
            ));
            let mut s = String::new();
            for p in parts.iter().filter(|p| p.enabled) {
                let _ = write!(
                    s,
                    "--{BOUNDARY}\nContent-Disposition: form-data; name=\"{}\"",
                    p.name
                );
                if let Some(f) = &p.filename {
                    let _ = write!(s, "; filename=\"{f}\"");
                }
                s.push('\n');
                if let Some(t) = &p.content_type {
                    let _ = writeln!(s, "Content-Type: {t}");
                }
                match (&p.file, &p.value) {
                    (Some(file), _) => {
                        let _ = writeln!(s, "\n< {file}");
                    }
                    (None, v) => {
                        let _ = writeln!(s, "\n{}", v.as_deref().unwrap_or(""));
                    }
                }
            }
            let _ = write!(s, "--{BOUNDARY}--");
            Some(s)
        }
        Body::Binary { file } => Some(format!("< {file}")),
        Body::GraphQl { query, variables } => {
            ct("application/json");
            let vars: serde_json::Value =
                serde_json::from_str(variables).unwrap_or(serde_json::Value::Null);
            let v = serde_json::json!({"query": query, "variables": vars});
            Some(serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    }
}

/// Percent-encodes what would break a query or form pair, leaving
/// `{{variables}}` readable.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '&' => out.push_str("%26"),
            '=' => out.push_str("%3D"),
            '+' => out.push_str("%2B"),
            '#' => out.push_str("%23"),
            ' ' => out.push_str("%20"),
            '\n' => out.push_str("%0A"),
            '\r' => out.push_str("%0D"),
            c => out.push(c),
        }
    }
    out
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}
