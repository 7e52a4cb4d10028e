//! HAR 1.2 (and 1.1): each entry becomes a request, its response a saved
//! example. Entries are grouped in one folder per host when there are
//! several hosts.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

use super::{Format, Import, ImportError, ImportedFolder, ImportedItem, Report};
use crate::media::{self, MediaKind};
use crate::model::{Body, BodyWithExtra, Example, Folder, KeyValue, Part, RawKind, Request};

#[derive(Debug, Clone, Default)]
pub struct HarOptions {
    /// Keep only entries for this host.
    pub host: Option<String>,
    /// Drop images, stylesheets, scripts and fonts.
    pub drop_static: bool,
}

/// Headers the client computes or that belong to one connection.
const CONNECTION_HEADERS: &[&str] = &[
    "connection",
    "keep-alive",
    "proxy-connection",
    "transfer-encoding",
    "upgrade",
    "te",
    "trailer",
    "content-length",
    "host",
];

const STATIC_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "avif", "css", "js", "mjs", "map",
    "woff", "woff2", "ttf", "otf", "eot",
];

/// The entries of a HAR: `log.entries`, or one entry (an object with a
/// `request`), or one request (what a browser's "copy request" and some
/// tools give), read as an entry without a response.
fn entries_of(root: &Value) -> Option<Cow<'_, [Value]>> {
    if let Some(list) = root.pointer("/log/entries").and_then(Value::as_array) {
        return Some(Cow::Borrowed(list));
    }
    let is_request = |v: &Value| {
        v.get("method").is_some_and(Value::is_string) && v.get("url").is_some_and(Value::is_string)
    };
    if root.get("request").is_some_and(is_request) {
        return Some(Cow::Owned(vec![root.clone()]));
    }
    is_request(root).then(|| Cow::Owned(vec![serde_json::json!({ "request": root })]))
}

pub fn parse(text: &str, options: &HarOptions) -> Result<Import, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let root: Value = serde_json::from_str(text).map_err(|e| ImportError::json(Format::Har, &e))?;
    let entries = entries_of(&root).ok_or_else(|| {
        ImportError::invalid(
            Format::Har,
            "no `log.entries` list, and not a single entry (`request` with `method` and `url`) either",
        )
    })?;
    let mut report = Report::default();
    let mut dropped_headers: BTreeMap<String, usize> = BTreeMap::new();
    let (mut other_host, mut static_assets, mut binary_examples) = (0usize, 0usize, 0usize);
    let mut by_host: Vec<(String, Vec<ImportedItem>)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let label = format!("entry {}", i + 1);
        let Some(req) = entry.get("request") else {
            report.dropped(label, "entry", "it has no request");
            continue;
        };
        let (Some(method), Some(raw_url)) = (str_of(req, "method"), str_of(req, "url")) else {
            report.dropped(label, "entry", "its request has no method or URL");
            continue;
        };
        let Ok(url) = url::Url::parse(raw_url) else {
            report.dropped(label, format!("entry {raw_url}"), "its URL does not parse");
            continue;
        };
        let host = url.host_str().unwrap_or("").to_string();
        if let Some(want) = &options.host {
            if !host.eq_ignore_ascii_case(want) {
                other_host += 1;
                continue;
            }
        }
        if options.drop_static && is_static(&url, entry) {
            static_assets += 1;
            continue;
        }
        let mut r = request(method, &url, req, &mut dropped_headers, &label, &mut report);
        if let Some(ex) = example(entry.get("response"), &mut binary_examples) {
            r.examples.push(ex);
        }
        let item = ImportedItem::Request(Box::new(r));
        match by_host.iter_mut().find(|(h, _)| *h == host) {
            Some((_, items)) => items.push(item),
            None => by_host.push((host, vec![item])),
        }
    }
    for (name, n) in dropped_headers {
        report.dropped(
            "collection",
            format!("header {name}"),
            format!(
                "left out of {n} {}: the client sets it for each connection",
                if n == 1 { "request" } else { "requests" }
            ),
        );
    }
    if other_host > 0 {
        report.dropped(
            "collection",
            count(other_host, "entry", "entries"),
            "for another host",
        );
    }
    if static_assets > 0 {
        report.dropped(
            "collection",
            count(static_assets, "entry", "entries"),
            "static assets (images, stylesheets, scripts, fonts)",
        );
    }
    if binary_examples > 0 {
        report.dropped(
            "collection",
            count(binary_examples, "response body", "response bodies"),
            "binary (base64) bodies are not kept in saved examples; status and headers are",
        );
    }
    let single_host = match by_host.as_slice() {
        [(host, _)] if !host.is_empty() => Some(host.clone()),
        _ => None,
    };
    let items = if by_host.len() == 1 {
        by_host.pop().map(|(_, items)| items).unwrap_or_default()
    } else {
        by_host
            .into_iter()
            .map(|(host, items)| {
                ImportedItem::Folder(Box::new(ImportedFolder {
                    name: host,
                    folder: Folder::default(),
                    items,
                }))
            })
            .collect()
    };
    let name = root
        .pointer("/log/pages/0/title")
        .and_then(Value::as_str)
        .filter(|t| !t.trim().is_empty() && t.len() <= 80)
        .map(str::to_string)
        .or(single_host)
        .unwrap_or_else(|| "HAR import".to_string());
    Ok(Import {
        collections: vec![ImportedFolder {
            name,
            folder: Folder::default(),
            items,
        }],
        environments: Vec::new(),
        report,
    })
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn pairs(v: Option<&Value>) -> Vec<(String, String)> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|p| {
                    Some((
                        str_of(p, "name")?.to_string(),
                        str_of(p, "value").unwrap_or("").to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn request(
    method: &str,
    url: &url::Url,
    req: &Value,
    dropped: &mut BTreeMap<String, usize>,
    label: &str,
    report: &mut Report,
) -> Request {
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    let mut r = Request::new(method.to_ascii_uppercase(), base.to_string());
    r.name = Some(format!("{} {}", r.method, url.path()));
    if let Some(q) = url.query() {
        r.params = url::form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| KeyValue::new(k, v))
            .collect();
    }
    for (name, value) in pairs(req.get("headers")) {
        let lower = name.to_ascii_lowercase();
        if lower.starts_with(':') || CONNECTION_HEADERS.contains(&lower.as_str()) {
            *dropped.entry(lower).or_default() += 1;
            continue;
        }
        r.headers.push(KeyValue::new(name, value));
    }
    let cookies = pairs(req.get("cookies"));
    if !cookies.is_empty()
        && !r
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("cookie"))
    {
        let joined: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        r.headers.push(KeyValue::new("Cookie", joined.join("; ")));
    }
    if let Some(pd) = req.get("postData") {
        r.body = BodyWithExtra {
            body: body(pd, label, report),
            extra: Default::default(),
        };
    }
    r
}

fn body(pd: &Value, label: &str, report: &mut Report) -> Body {
    let mime = str_of(pd, "mimeType").unwrap_or("").to_ascii_lowercase();
    let text = str_of(pd, "text").unwrap_or("");
    let params = pd
        .get("params")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty());
    if let Some(params) = params {
        if media::kind_of(&mime) == MediaKind::FormUrlEncoded {
            return Body::Form(
                pairs(Some(&Value::Array(params.clone())))
                    .into_iter()
                    .map(|(k, v)| KeyValue::new(k, v))
                    .collect(),
            );
        }
        if media::kind_of(&mime) == MediaKind::Multipart {
            let mut parts = Vec::new();
            for p in params {
                let name = str_of(p, "name").unwrap_or("").to_string();
                let content_type = str_of(p, "contentType").map(str::to_string);
                let part = match str_of(p, "fileName") {
                    Some(file) => {
                        report.changed(
                            label,
                            format!("file part {name}"),
                            format!("the HAR holds no file: choose the file to send (was {file})"),
                        );
                        Part {
                            name,
                            value: None,
                            file: Some(String::new()),
                            filename: Some(file.to_string()),
                            content_type,
                            enabled: true,
                            description: None,
                            extra: Default::default(),
                        }
                    }
                    None => Part {
                        name,
                        value: Some(str_of(p, "value").unwrap_or("").to_string()),
                        file: None,
                        filename: None,
                        content_type,
                        enabled: true,
                        description: None,
                        extra: Default::default(),
                    },
                };
                parts.push(part);
            }
            return Body::Multipart(parts);
        }
    }
    if text.is_empty() {
        return Body::None;
    }
    Body::Raw {
        kind: RawKind::from_content_type(&mime),
        text: text.to_string(),
    }
}

fn example(resp: Option<&Value>, binary: &mut usize) -> Option<Example> {
    let resp = resp?;
    let status = resp
        .get("status")
        .and_then(Value::as_u64)
        .filter(|s| (100..600).contains(s))?;
    let reason = str_of(resp, "statusText").unwrap_or("").trim();
    let headers = pairs(resp.get("headers"))
        .into_iter()
        .filter(|(n, _)| !n.starts_with(':'))
        .map(|(n, v)| KeyValue::new(n, v))
        .collect();
    let content = resp.get("content");
    let body = content.and_then(|c| {
        let text = str_of(c, "text")?;
        if str_of(c, "encoding") == Some("base64") {
            *binary += 1;
            return None;
        }
        (!text.is_empty()).then(|| text.to_string())
    });
    Some(Example {
        name: if reason.is_empty() {
            status.to_string()
        } else {
            format!("{status} {reason}")
        },
        status: u16::try_from(status).ok(),
        headers,
        extra: Default::default(),
        body,
    })
}

fn is_static(url: &url::Url, entry: &Value) -> bool {
    let mime = entry
        .pointer("/response/content/mimeType")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    if mime.starts_with("image/")
        || mime.starts_with("font/")
        || mime.contains("css")
        || mime.contains("javascript")
    {
        return true;
    }
    let last = url.path().rsplit('/').next().unwrap_or("");
    last.rsplit_once('.')
        .is_some_and(|(_, ext)| STATIC_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// `1 entry`, `2 entries`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_single_entry_or_request_imports_as_one_request() {
        let request = r#"{"method": "POST", "url": "https://api.example.com/users?x=1",
            "httpVersion": "HTTP/1.1", "headers": [{"name": "Accept", "value": "application/json"}],
            "queryString": [{"name": "x", "value": "1"}],
            "postData": {"mimeType": "application/json", "text": "{\"a\":1}"}}"#;
        let entry = format!(
            r#"{{"startedDateTime": "2024-01-01T00:00:00Z", "request": {request},
            "response": {{"status": 201, "statusText": "Created", "headers": [], "content": {{"size": 0, "mimeType": "text/plain"}}}}}}"#
        );
        for (text, examples) in [(request.to_string(), 0), (entry, 1)] {
            let imp = parse(&text, &HarOptions::default()).unwrap();
            let items = &imp.collections[0].items;
            assert_eq!(items.len(), 1, "{text}");
            let ImportedItem::Request(r) = &items[0] else {
                panic!("{items:?}")
            };
            assert_eq!(r.method, "POST");
            assert!(
                r.url.starts_with("https://api.example.com/users"),
                "{}",
                r.url
            );
            assert_eq!(r.examples.len(), examples);
        }
        let e = parse(r#"{"request": {"url": "x"}}"#, &HarOptions::default()).unwrap_err();
        assert!(e.to_string().contains("single entry"), "{e}");
    }
    use super::*;

    const HAR: &str = r#"{"log": {"version": "1.2", "entries": [
      {"request": {"method": "POST", "url": "https://api.example.com/v1/items?a=1&b=x%20y#f", "httpVersion": "HTTP/2",
        "headers": [{"name": ":authority", "value": "api.example.com"}, {"name": "content-type", "value": "application/x-www-form-urlencoded"},
                    {"name": "Connection", "value": "keep-alive"}, {"name": "X-Id", "value": "7"}],
        "cookies": [{"name": "sid", "value": "abc"}, {"name": "t", "value": "1"}],
        "postData": {"mimeType": "application/x-www-form-urlencoded", "text": "q=1", "params": [{"name": "q", "value": "1"}]}},
       "response": {"status": 201, "statusText": "Created", "headers": [{"name": "Content-Type", "value": "application/json"}],
        "content": {"mimeType": "application/json", "text": "{\"id\":1}"}}},
      {"request": {"method": "GET", "url": "https://cdn.example.com/logo.png", "headers": []},
       "response": {"status": 200, "content": {"mimeType": "image/png", "text": "iVBO", "encoding": "base64"}}}
    ]}}"#;

    #[test]
    fn raw_body_kind_comes_from_the_media_type_not_its_parameters() {
        let mut r = Report::default();
        let mut kind = |mime: &str| {
            let pd = serde_json::json!({"mimeType": mime, "text": "x"});
            match body(&pd, "r", &mut r) {
                Body::Raw { kind, .. } => kind,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(kind("application/hal+json; charset=utf-8"), RawKind::Json);
        assert_eq!(kind("image/svg+xml"), RawKind::Xml);
        assert_eq!(kind("application/xhtml+xml"), RawKind::Html);
        assert_eq!(kind("application/ecmascript"), RawKind::JavaScript);
        assert_eq!(kind("text/plain; profile=json"), RawKind::Text);
    }

    #[test]
    fn entry_becomes_request_with_params_headers_cookies_form_and_example() {
        let imp = parse(HAR, &HarOptions::default()).unwrap();
        let c = &imp.collections[0];
        assert_eq!(c.items.len(), 2, "one folder per host");
        let ImportedItem::Folder(f) = &c.items[0] else {
            panic!()
        };
        let ImportedItem::Request(r) = &f.items[0] else {
            panic!()
        };
        assert_eq!(r.url, "https://api.example.com/v1/items");
        let params: Vec<(&str, &str)> = r
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str()))
            .collect();
        assert_eq!(params, [("a", "1"), ("b", "x y")]);
        let headers: Vec<&str> = r.headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(headers, ["content-type", "X-Id", "Cookie"]);
        assert_eq!(r.headers[2].value, "sid=abc; t=1");
        assert_eq!(r.body.body, Body::Form(vec![KeyValue::new("q", "1")]));
        assert_eq!(r.examples[0].name, "201 Created");
        assert_eq!(r.examples[0].body.as_deref(), Some("{\"id\":1}"));
        assert!(imp
            .report
            .notes
            .iter()
            .any(|n| n.what == "header :authority"));
    }

    #[test]
    fn host_filter_and_static_assets_are_counted() {
        let opts = HarOptions {
            host: Some("API.example.com".into()),
            drop_static: false,
        };
        let imp = parse(HAR, &opts).unwrap();
        assert_eq!(imp.collections[0].items.len(), 1);
        assert!(imp
            .report
            .notes
            .iter()
            .any(|n| n.what == "1 entry" && n.why.contains("another host")));
        let opts = HarOptions {
            host: None,
            drop_static: true,
        };
        let imp = parse(HAR, &opts).unwrap();
        assert_eq!(imp.collections[0].items.len(), 1);
        assert!(imp.report.notes.iter().any(|n| n.why.contains("static")));
    }

    #[test]
    fn broken_files_are_errors_with_positions() {
        let e = parse(
            "{\"log\":\n[\n    2,1,3\n]\n\"request:\"}",
            &HarOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 5"), "{e}");
        let e = parse("{\"log\": {}}", &HarOptions::default()).unwrap_err();
        assert!(e.to_string().contains("log.entries"), "{e}");
    }
}
