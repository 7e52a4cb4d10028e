//! One operation (a method on a path) becomes one request: URL, query and
//! header parameters, body and auth.

use serde_json::Value;

use super::doc::{str_at, text_of, Doc, Version};
use super::example::from_schema;
use super::security::Security;
use super::servers::{own_server, templated};
use crate::import::Report;
use crate::model::{
    Auth, AuthWithExtra, Body, BodyWithExtra, KeyValue, Part, RawKind, Request, Variable,
};

pub struct Ctx<'d, 'a> {
    pub doc: &'d Doc<'a>,
    pub security: Security<'d, 'a>,
    pub report: Report,
    /// One collection variable per path parameter, first example wins.
    pub path_vars: Vec<(String, Variable)>,
}

pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub item: &'a Value,
    pub op: &'a Value,
}

/// The request for `o`, and its tags (the first names its folder).
pub fn request(ctx: &mut Ctx<'_, '_>, o: &Operation<'_>, label: &str) -> Request {
    let doc = ctx.doc;
    let method = o.method.to_ascii_uppercase();
    let name = str_at(o.op, "summary")
        .or_else(|| str_at(o.op, "operationId"))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| format!("{method} {}", o.path));
    let prefix = match own_server(o.op.get("servers")).or_else(|| own_server(o.item.get("servers")))
    {
        Some(url) => {
            ctx.report.changed(
                label,
                format!("server {url}"),
                "this operation has its own server, used in its URL instead of {{base_url}}",
            );
            url
        }
        None => "{{base_url}}".to_string(),
    };
    let mut req = Request::new(method, format!("{prefix}{}", templated(o.path)));
    req.name = Some(name);
    req.description = str_at(o.op, "description").map(str::to_string);

    let params = merged_params(doc, o.item, o.op);
    let mut form_params: Vec<&Value> = Vec::new();
    for p in &params {
        let pname = str_at(p, "name").unwrap_or("").to_string();
        let required = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        let value = param_value(doc, p);
        let description = str_at(p, "description").map(str::to_string);
        let row = KeyValue {
            name: pname.clone(),
            value: value.clone(),
            enabled: required,
            description,
            extra: Default::default(),
        };
        match str_at(p, "in").unwrap_or("") {
            "path" => add_path_var(ctx, label, &pname, &value),
            "query" => req.params.push(row),
            "header" => req.headers.push(row),
            "cookie" => ctx.report.dropped(
                label,
                format!("cookie parameter {pname}"),
                "postie has no cookie parameters: add a Cookie header if the API needs it",
            ),
            "body" => {
                if let Some(schema) = p.get("schema") {
                    v2_body(ctx, o, schema, label, &mut req);
                }
            }
            "formData" => form_params.push(p),
            other => ctx.report.dropped(
                label,
                format!("parameter {pname}"),
                format!("unknown parameter location {other:?}"),
            ),
        }
    }
    if !form_params.is_empty() {
        req.body = with(v2_form(ctx, o, &form_params, label));
    }
    if let Some(rb) = o.op.get("requestBody") {
        v3_body(ctx, doc.get(rb), label, &mut req);
    }
    if let Some(sec) = o.op.get("security") {
        let same_as_global = doc.root.get("security") == Some(sec);
        if !same_as_global {
            let auth = ctx.security.auth(sec, label, &mut ctx.report);
            req.auth = AuthWithExtra {
                auth,
                extra: Default::default(),
            };
        }
    }
    if let Some(cb) = o.op.get("callbacks").and_then(Value::as_object) {
        for name in cb.keys() {
            ctx.report.dropped(
                label,
                format!("callback {name}"),
                "callbacks are requests the API sends to you, not ones you send",
            );
        }
    }
    req
}

fn with(body: Body) -> BodyWithExtra {
    BodyWithExtra {
        body,
        extra: Default::default(),
    }
}

/// Path-level parameters, replaced by operation-level ones of the same
/// name and location, all `$ref`s followed.
fn merged_params<'a>(doc: &Doc<'a>, item: &'a Value, op: &'a Value) -> Vec<&'a Value> {
    let key = |p: &Value| {
        (
            str_at(p, "name").unwrap_or("").to_string(),
            str_at(p, "in").unwrap_or("").to_string(),
        )
    };
    let list = |v: &'a Value| -> Vec<&'a Value> {
        v.get("parameters")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .map(|p| doc.get(p))
                    .filter(|p| p.is_object())
                    .collect()
            })
            .unwrap_or_default()
    };
    let own = list(op);
    let mut out: Vec<&Value> = list(item)
        .into_iter()
        .filter(|p| !own.iter().any(|o| key(o) == key(p)))
        .collect();
    out.extend(own);
    out
}

/// `example`, the first of `examples`, then the schema's example, default
/// or first enum value; empty when the spec gives none.
fn param_value(doc: &Doc<'_>, p: &Value) -> String {
    if let Some(v) = p.get("example") {
        return text_of(v);
    }
    if let Some(v) = p
        .get("examples")
        .and_then(Value::as_object)
        .and_then(|m| m.values().next())
        .map(|e| doc.get(e))
        .and_then(|e| e.get("value"))
    {
        return text_of(v);
    }
    let schema = match doc.version {
        Version::V3 => p.get("schema").map(|s| doc.get(s)).unwrap_or(&Value::Null),
        Version::V2 => p,
    };
    for key in ["example", "x-example", "default"] {
        if let Some(v) = schema.get(key).or_else(|| p.get(key)) {
            return text_of(v);
        }
    }
    if let Some(v) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
    {
        return text_of(v);
    }
    String::new()
}

fn add_path_var(ctx: &mut Ctx<'_, '_>, label: &str, name: &str, value: &str) {
    if ctx.path_vars.iter().any(|(n, _)| n == name) {
        return;
    }
    if value.is_empty() {
        ctx.report.changed(
            label,
            format!("path parameter {name}"),
            format!("the spec gives no example: set the variable {name} before sending"),
        );
    }
    ctx.path_vars
        .push((name.to_string(), Variable::Plain(value.to_string())));
}

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m.ends_with("+json") || m == "*/*" || m.ends_with("/json")
}

fn is_xml(media: &str) -> bool {
    let m = media.to_ascii_lowercase();
    m.contains("/xml") || m.contains("+xml")
}

/// 3.x `requestBody`: the JSON content if there is one, else a form, a
/// multipart form, XML or text; other content types are reported.
fn v3_body(ctx: &mut Ctx<'_, '_>, rb: &Value, label: &str, req: &mut Request) {
    let Some(content) = rb.get("content").and_then(Value::as_object) else {
        return;
    };
    // Body kind first (JSON, form, multipart, XML, text, other); within
    // JSON, plain `application/json` before its variants.
    let rank = |m: &str| {
        let l = m.to_ascii_lowercase();
        let kind = if is_json(&l) {
            0
        } else if l.starts_with("application/x-www-form-urlencoded") {
            1
        } else if l.starts_with("multipart/") {
            2
        } else if is_xml(&l) {
            3
        } else if l.starts_with("text/") {
            4
        } else {
            5
        };
        (kind, usize::from(!l.starts_with("application/json")))
    };
    let Some((media, mt)) = content.iter().min_by_key(|(m, _)| rank(m)) else {
        return;
    };
    // Variants of the same kind (`text/json`, `application/*+json`) are the
    // same body; only other kinds are lost.
    for other in content.keys().filter(|m| rank(m).0 != rank(media).0) {
        ctx.report.dropped(
            label,
            format!("body {other}"),
            format!("a request has one body; the {media} one was kept"),
        );
    }
    let doc = ctx.doc;
    let schema = mt.get("schema").unwrap_or(&Value::Null);
    let given = media_example(doc, mt);
    let body = match rank(media).0 {
        0 => {
            let value = given.unwrap_or_else(|| built(ctx, schema, label));
            Some(Body::Raw {
                kind: RawKind::Json,
                text: json_text(&value),
            })
        }
        1 => Some(Body::Form(form_fields(ctx, schema, given.as_ref(), label))),
        2 => Some(Body::Multipart(multipart_parts(
            ctx,
            schema,
            mt.get("encoding"),
            given.as_ref(),
            label,
        ))),
        3 => match given {
            Some(Value::String(xml)) => Some(Body::Raw {
                kind: RawKind::Xml,
                text: xml,
            }),
            _ => {
                ctx.report.dropped(
                    label,
                    format!("body {media}"),
                    "the spec gives no XML example and postie does not build XML from a schema",
                );
                None
            }
        },
        4 => {
            let text = given.map(|v| text_of(&v)).unwrap_or_default();
            let kind = if media.starts_with("text/html") {
                RawKind::Html
            } else {
                RawKind::Text
            };
            Some(Body::Raw { kind, text })
        }
        _ => {
            ctx.report.dropped(
                label,
                format!("body {media}"),
                "postie cannot make an example of this content type: set a binary body by hand",
            );
            None
        }
    };
    if let Some(body) = body {
        set_content_type(req, &body, media);
        req.body = with(body);
    }
}

/// Adds a Content-Type header when the media type is not the one the body
/// type sends by default (`application/vnd.x+json`, `text/xml`).
fn set_content_type(req: &mut Request, body: &Body, media: &str) {
    let default = match body {
        Body::Raw { kind, .. } => kind.content_type(),
        _ => return,
    };
    let base = media.split(';').next().unwrap_or("").trim();
    if base == "*/*" || base.eq_ignore_ascii_case(default) {
        return;
    }
    if req
        .headers
        .iter()
        .any(|h| h.name.eq_ignore_ascii_case("content-type"))
    {
        return;
    }
    req.headers.push(KeyValue::new("Content-Type", media));
}

fn media_example(doc: &Doc<'_>, mt: &Value) -> Option<Value> {
    if let Some(v) = mt.get("example") {
        return Some(v.clone());
    }
    let first = mt.get("examples")?.as_object()?.values().next()?;
    doc.get(first).get("value").cloned()
}

fn built(ctx: &mut Ctx<'_, '_>, schema: &Value, label: &str) -> Value {
    let b = from_schema(ctx.doc, schema);
    if b.cut {
        ctx.report.changed(
            label,
            "body example",
            "built from a recursive or very deep schema: the example was cut short (null where it stops)",
        );
    }
    for r in b.dangling {
        ctx.report.dropped(
            label,
            format!("$ref {r}"),
            "the reference is not in this document",
        );
    }
    b.value
}

fn json_text(v: &Value) -> String {
    match v {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => s.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}

fn properties<'a>(
    doc: &Doc<'a>,
    schema: &'a Value,
) -> (Vec<(&'a String, &'a Value)>, Vec<&'a str>) {
    let s = doc.get(schema);
    let mut props: Vec<(&String, &Value)> = Vec::new();
    let mut required: Vec<&str> = Vec::new();
    let mut collect = |s: &'a Value| {
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            props.extend(p.iter().map(|(k, v)| (k, doc.get(v))));
        }
        if let Some(r) = s.get("required").and_then(Value::as_array) {
            required.extend(r.iter().filter_map(Value::as_str));
        }
    };
    collect(s);
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        for part in all {
            collect(doc.get(part));
        }
    }
    (props, required)
}

fn field_value(
    ctx: &mut Ctx<'_, '_>,
    name: &str,
    prop: &Value,
    given: Option<&Value>,
    label: &str,
) -> String {
    if let Some(v) = given.and_then(|g| g.get(name)) {
        return text_of(v);
    }
    text_of(&built(ctx, prop, label))
}

fn form_fields(
    ctx: &mut Ctx<'_, '_>,
    schema: &Value,
    given: Option<&Value>,
    label: &str,
) -> Vec<KeyValue> {
    let doc = ctx.doc;
    let (props, required) = properties(doc, schema);
    props
        .into_iter()
        .map(|(name, prop)| KeyValue {
            name: name.clone(),
            value: field_value(ctx, name, prop, given, label),
            enabled: required.contains(&name.as_str()),
            description: str_at(prop, "description").map(str::to_string),
            extra: Default::default(),
        })
        .collect()
}

fn is_binary(doc: &Doc<'_>, prop: &Value) -> bool {
    let format = str_at(prop, "format").unwrap_or("");
    format == "binary"
        || format == "base64"
        || prop.get("contentMediaType").is_some()
        || str_at(prop, "type") == Some("file")
        || prop
            .get("items")
            .is_some_and(|i| is_binary(doc, doc.get(i)))
}

fn multipart_parts(
    ctx: &mut Ctx<'_, '_>,
    schema: &Value,
    encoding: Option<&Value>,
    given: Option<&Value>,
    label: &str,
) -> Vec<Part> {
    let doc = ctx.doc;
    let (props, required) = properties(doc, schema);
    let mut parts = Vec::new();
    for (name, prop) in props {
        let content_type = encoding
            .and_then(|e| e.get(name.as_str()))
            .and_then(|e| str_at(e, "contentType"))
            .map(str::to_string);
        let enabled = required.contains(&name.as_str());
        let description = str_at(prop, "description").map(str::to_string);
        let part = if is_binary(doc, prop) {
            ctx.report.changed(
                label,
                format!("file part {name}"),
                "the spec says it is a file: choose the file to send (its path is empty)",
            );
            Part {
                name: name.clone(),
                value: None,
                file: Some(String::new()),
                filename: None,
                content_type,
                enabled,
                description,
                extra: Default::default(),
            }
        } else {
            Part {
                name: name.clone(),
                value: Some(field_value(ctx, name, prop, given, label)),
                file: None,
                filename: None,
                content_type,
                enabled,
                description,
                extra: Default::default(),
            }
        };
        parts.push(part);
    }
    parts
}

fn consumes<'a>(doc: &Doc<'a>, op: &'a Value) -> Vec<&'a str> {
    op.get("consumes")
        .or_else(|| doc.root.get("consumes"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Swagger 2.0 `in: body`: JSON unless the operation consumes only XML.
fn v2_body(
    ctx: &mut Ctx<'_, '_>,
    o: &Operation<'_>,
    schema: &Value,
    label: &str,
    req: &mut Request,
) {
    let types = consumes(ctx.doc, o.op);
    let json = types.is_empty() || types.iter().any(|t| is_json(t));
    if !json {
        let media = types.first().copied().unwrap_or("");
        ctx.report.dropped(
            label,
            format!("body {media}"),
            "postie builds JSON examples only; this operation does not consume JSON",
        );
        return;
    }
    let value = built(ctx, schema, label);
    let body = Body::Raw {
        kind: RawKind::Json,
        text: json_text(&value),
    };
    if let Some(media) = types.iter().find(|t| is_json(t)) {
        set_content_type(req, &body, media);
    }
    req.body = with(body);
}

/// Swagger 2.0 `in: formData`: multipart when a field is a file or the
/// operation consumes multipart, else urlencoded.
fn v2_form(ctx: &mut Ctx<'_, '_>, o: &Operation<'_>, params: &[&Value], label: &str) -> Body {
    let doc = ctx.doc;
    let multipart = consumes(doc, o.op)
        .iter()
        .any(|t| t.starts_with("multipart/"))
        || params.iter().any(|p| str_at(p, "type") == Some("file"));
    let mut fields = Vec::new();
    let mut parts = Vec::new();
    for p in params {
        let name = str_at(p, "name").unwrap_or("").to_string();
        let enabled = p.get("required").and_then(Value::as_bool).unwrap_or(false);
        let description = str_at(p, "description").map(str::to_string);
        let value = param_value(doc, p);
        if multipart {
            let file = str_at(p, "type") == Some("file");
            if file {
                ctx.report.changed(
                    label,
                    format!("file part {name}"),
                    "the spec says it is a file: choose the file to send (its path is empty)",
                );
            }
            parts.push(Part {
                name,
                value: (!file).then_some(value),
                file: file.then(String::new),
                filename: None,
                content_type: None,
                enabled,
                description,
                extra: Default::default(),
            });
        } else {
            fields.push(KeyValue {
                name,
                value,
                enabled,
                description,
                extra: Default::default(),
            });
        }
    }
    if multipart {
        Body::Multipart(parts)
    } else {
        Body::Form(fields)
    }
}

/// The operation's auth when the spec's global security applies to it.
pub fn global_auth(ctx: &mut Ctx<'_, '_>) -> Auth {
    match ctx.doc.root.get("security") {
        Some(sec) => ctx.security.auth(sec, "collection", &mut ctx.report),
        None => Auth::Inherit,
    }
}
