//! A Postman request URL: the raw text, the query table and path variables.
//!
//! The query goes into postie's `params` table (and out of the URL) only
//! when that changes nothing on the wire: the table must say what the URL
//! says, and no name or value may hold a character postie's params encoding
//! would treat differently from Postman's (`%`, `+`, `&`, `=`, `#`, or a
//! name without `=value`). Otherwise the URL keeps its query as written and
//! only the disabled rows (never sent) go into `params`.

use serde_json::{Map, Value};

use super::json;
use super::notes::Notes;
use crate::model::KeyValue;

pub struct Url {
    pub url: String,
    pub params: Vec<KeyValue>,
    /// `:name` segments rewritten to `{{name}}`, with their values.
    pub path_vars: Vec<PathVar>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PathVar {
    pub name: String,
    pub value: String,
    pub description: Option<String>,
}

struct Row {
    key: String,
    value: Option<String>,
    enabled: bool,
    description: Option<String>,
}

pub fn read(notes: &mut Notes, item: &str, v: Option<&Value>) -> Url {
    let (raw, table, vars) = match v {
        Some(Value::String(s)) => (s.clone(), None, &[][..]),
        Some(Value::Object(o)) => {
            notes.unknown_keys(
                item,
                o,
                &[
                    "raw", "protocol", "auth", "host", "port", "path", "query", "hash", "variable",
                ],
                "URL",
            );
            // A blank `raw` is ignored, as Postman builds the URL from its parts.
            let raw = match json::text(o.get("raw")) {
                Some(r) if r.trim().is_empty() && o.contains_key("host") => {
                    notes.changed(
                        item,
                        "URL",
                        "its raw text was blank; it is now built from its parts, as Postman sends it",
                    );
                    from_parts(o)
                }
                Some(r) if o.contains_key("host") && !same_base(&r, &from_parts(o)) => {
                    // newman builds the request from the parts and never
                    // reads `raw`; a file whose two disagree is sent so.
                    notes.changed(
                        item,
                        "URL",
                        "its raw text and its parts disagree; it is built from its parts, as newman sends it",
                    );
                    from_parts(o)
                }
                Some(r) => r,
                None => from_parts(o),
            };
            let table = match o.get("query") {
                Some(Value::Array(rows)) => Some(rows.iter().filter_map(row).collect::<Vec<_>>()),
                _ => None,
            };
            (raw, table, json::array(o.get("variable")))
        }
        _ => (String::new(), None, &[][..]),
    };
    let (base, query, fragment) = split(&raw);
    let from_table = table.is_some();
    let rows = table.unwrap_or_else(|| query.map(parse_query).unwrap_or_default());
    let rendered = render(rows.iter().filter(|r| r.enabled));
    let matches = rendered == query.unwrap_or("") && query != Some("");
    let safe = rows.iter().filter(|r| r.enabled).all(|r| {
        let bad = |s: &str| s.contains(['%', '+', '&', '#', '=']);
        // A name without `=value` is sent so; the params table would add `=`.
        !r.key.is_empty() && !bad(&r.key) && r.value.as_deref().is_some_and(|v| !bad(v))
    });
    let mut out = Url {
        url: String::new(),
        params: Vec::new(),
        path_vars: Vec::new(),
    };
    if matches && safe {
        out.url = format!("{base}{}", fragment.unwrap_or(""));
        out.params = rows.into_iter().map(key_value).collect();
    } else {
        out.url = raw.clone();
        if from_table && !matches && rows.iter().any(|r| r.enabled) {
            // Postman sends what the table says, not what `raw` says.
            let query = render_encoded(rows.iter().filter(|r| r.enabled));
            out.url = format!("{base}?{query}{}", fragment.unwrap_or(""));
            notes.changed(
                item,
                "query parameters",
                "Postman's params table did not match its URL; the URL's query is now the table's, as Postman sends it",
            );
        } else if !rows.iter().all(|r| !r.enabled) {
            notes.changed(
                item,
                "query string",
                "kept in the URL as written: it has `%`, `+`, `&`, `=` or `#` in a name or value, which postie's params table would encode differently",
            );
        }
        for r in rows {
            if !r.enabled {
                out.params.push(key_value(r));
            } else if r.description.is_some() {
                notes.dropped(
                    item,
                    format!("description of query parameter `{}`", r.key),
                    "the query stayed in the URL, which has no room for descriptions",
                );
            }
        }
    }
    for var in vars {
        let Some(o) = var.as_object() else { continue };
        let Some(name) = json::text(o.get("key")).or_else(|| json::text(o.get("id"))) else {
            continue;
        };
        let (path, rest) = split_path(&out.url);
        let seg = format!(":{name}");
        if !path.split('/').any(|s| s == seg) {
            notes.dropped(
                item,
                format!("path variable `{name}`"),
                "the URL has no `:{name}` segment",
            );
            continue;
        }
        let path: Vec<String> = path
            .split('/')
            .map(|s| {
                if s == seg {
                    format!("{{{{{name}}}}}")
                } else {
                    s.to_string()
                }
            })
            .collect();
        out.url = format!("{}{rest}", path.join("/"));
        out.path_vars.push(PathVar {
            name,
            value: json::text(o.get("value")).unwrap_or_default(),
            description: json::description(o.get("description")),
        });
    }
    out
}

fn row(v: &Value) -> Option<Row> {
    let o: &Map<String, Value> = v.as_object()?;
    Some(Row {
        key: json::text(o.get("key")).unwrap_or_default(),
        value: json::text(o.get("value")),
        enabled: json::enabled(o),
        description: json::description(o.get("description")),
    })
}

fn key_value(r: Row) -> KeyValue {
    let mut kv = KeyValue::new(r.key, r.value.unwrap_or_default());
    kv.enabled = r.enabled;
    kv.description = r.description;
    kv
}

fn render<'a>(rows: impl Iterator<Item = &'a Row>) -> String {
    rows.map(|r| match &r.value {
        Some(v) => format!("{}={v}", r.key),
        None => r.key.clone(),
    })
    .collect::<Vec<_>>()
    .join("&")
}

/// The rows as Postman sends them: `&` and `#` (and `=` in a name) would
/// end a name or value, so they are percent-encoded; `{{variables}}` are
/// left whole.
fn render_encoded<'a>(rows: impl Iterator<Item = &'a Row>) -> String {
    rows.map(|r| {
        let key = encode_outside_vars(&r.key, &['&', '#', '=']);
        match &r.value {
            Some(v) => format!("{key}={}", encode_outside_vars(v, &['&', '#'])),
            None => key,
        }
    })
    .collect::<Vec<_>>()
    .join("&")
}

fn encode_outside_vars(text: &str, set: &[char]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        // The next `{{…}}`, kept as written; text before it is encoded.
        let var = rest.find("{{").and_then(|open| {
            rest[open..]
                .find("}}")
                .map(|close| (open, open + close + 2))
        });
        let (plain, kept, next) = match var {
            Some((open, end)) => (&rest[..open], &rest[open..end], &rest[end..]),
            None => (rest, "", ""),
        };
        for c in plain.chars() {
            if set.contains(&c) {
                out.push_str(&format!("%{:02X}", c as u32));
            } else {
                out.push(c);
            }
        }
        out.push_str(kept);
        if next.is_empty() {
            return out;
        }
        rest = next;
    }
}

fn parse_query(q: &str) -> Vec<Row> {
    q.split('&')
        .map(|pair| {
            let (key, value) = match pair.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (pair.to_string(), None),
            };
            Row {
                key,
                value,
                enabled: true,
                description: None,
            }
        })
        .collect()
}

/// `(before ?, the query without ?, #fragment)`.
/// A `?` or `#` inside a `{{variable}}` name splits nothing.
pub fn split(raw: &str) -> (&str, Option<&str>, Option<&str>) {
    let hash = find_outside_vars(raw, '#');
    let q = find_outside_vars(raw, '?').filter(|q| hash.map_or(true, |h| *q < h));
    let end = hash.unwrap_or(raw.len());
    match q {
        Some(q) => (&raw[..q], Some(&raw[q + 1..end]), hash.map(|h| &raw[h..])),
        None => (&raw[..end], None, hash.map(|h| &raw[h..])),
    }
}

fn find_outside_vars(text: &str, wanted: char) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + text[from..].find(wanted)?;
        // Inside a variable when a `{{` before it is not closed before it.
        let open = text[..at].rfind("{{");
        let closed = open.map_or(true, |o| text[o..at].contains("}}"));
        let closes_after = text[at..].contains("}}");
        if closed || !closes_after {
            return Some(at);
        }
        from = at + wanted.len_utf8();
    }
}

/// The URL up to its query or fragment, and the rest.
fn split_path(url: &str) -> (&str, &str) {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    url.split_at(end)
}

/// A URL from Postman's parts when there is no `raw`.
/// Whether two URLs name the same scheme-less host, port and path (the
/// query and fragment are compared row by row elsewhere).
fn same_base(raw: &str, parts: &str) -> bool {
    let base = |u: &str| -> String {
        let (base, _, _) = split(u);
        let base = base.split_once("://").map_or(base, |(_, rest)| rest);
        base.trim_end_matches('/').to_string()
    };
    base(raw) == base(parts)
}

fn from_parts(o: &Map<String, Value>) -> String {
    let join = |v: Option<&Value>, sep: &str| match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|s| json::text(Some(s)))
            .collect::<Vec<_>>()
            .join(sep),
        other => json::text(other).unwrap_or_default(),
    };
    let mut s = String::new();
    if let Some(p) = json::text(o.get("protocol")) {
        s.push_str(&p);
        s.push_str("://");
    }
    // `auth: {user, password}` is the URL's userinfo, as toString writes it.
    if let Some(Value::Object(auth)) = o.get("auth") {
        let user = json::text(auth.get("user"));
        let password = json::text(auth.get("password"));
        if user.is_some() || password.is_some() {
            s.push_str(&user.unwrap_or_default());
            if let Some(p) = password {
                s.push(':');
                s.push_str(&p);
            }
            s.push('@');
        }
    }
    s.push_str(&join(o.get("host"), "."));
    if let Some(p) = json::text(o.get("port")) {
        s.push(':');
        s.push_str(&p);
    }
    // As postman-collection's getPath: '/' and the segments joined, even
    // when the first is empty (["", "a"] is "//a"); a string path loses one
    // leading '/' first and is split the same way.
    match o.get("path") {
        Some(Value::Array(a)) if !a.is_empty() => {
            s.push('/');
            s.push_str(&join(o.get("path"), "/"));
        }
        other => {
            let path = json::text(other).unwrap_or_default();
            let path = path.strip_prefix('/').unwrap_or(&path);
            if !path.is_empty() {
                s.push('/');
                s.push_str(path);
            } else if json::text(other).as_deref() == Some("/") {
                s.push('/');
            }
        }
    }
    let rows: Vec<Row> = json::array(o.get("query")).iter().filter_map(row).collect();
    if rows.iter().any(|r| r.enabled) {
        s.push('?');
        s.push_str(&render(rows.iter().filter(|r| r.enabled)));
    }
    if let Some(h) = json::text(o.get("hash")) {
        s.push('#');
        s.push_str(&h);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_url(v: Value) -> (Url, Notes) {
        let mut n = Notes::default();
        let u = read(&mut n, "r", Some(&v));
        (u, n)
    }

    #[test]
    fn a_matching_query_moves_into_params_with_disabled_rows() {
        let (u, n) = read_url(json!({
            "raw": "{{base}}/users?page=2#top",
            "query": [
                {"key": "page", "value": "2", "description": "which page"},
                {"key": "debug", "value": "1", "disabled": true}
            ]
        }));
        assert_eq!(u.url, "{{base}}/users#top");
        assert_eq!(u.params.len(), 2);
        assert_eq!(u.params[0].description.as_deref(), Some("which page"));
        assert!(!u.params[1].enabled);
        assert!(n.report.notes.is_empty());
    }

    #[test]
    fn an_encoded_query_stays_in_the_url() {
        let (u, n) = read_url(json!("http://x/get?q=a%20b&flag"));
        assert_eq!(u.url, "http://x/get?q=a%20b&flag");
        // A name without `=value` stays in the URL: the table would add `=`.
        let (v, _) = read_url(json!("http://x/get?page&size=2"));
        assert_eq!(
            (v.url.as_str(), v.params.len()),
            ("http://x/get?page&size=2", 0)
        );
        assert!(u.params.is_empty());
        assert_eq!(n.report.notes.len(), 1);
        let (u, _) = read_url(json!("http://x/get?"));
        assert_eq!(u.url, "http://x/get?");
    }

    #[test]
    fn a_table_that_differs_from_raw_is_what_is_sent() {
        let (u, n) = read_url(json!({
            "raw": "http://x/get?q=%23{{a&b}}&b%23a%26r=#f",
            "query": [
                {"key": "q", "value": "%23{{a&b}}"},
                {"key": "b#a&r", "value": null},
                {"key": "k=", "value": "v=&"},
                {"key": "off", "value": "1", "disabled": true}
            ]
        }));
        assert_eq!(u.url, "http://x/get?q=%23{{a&b}}&b%23a%26r&k%3D=v=%26#f");
        assert_eq!(u.params.len(), 1);
        assert!(!u.params[0].enabled);
        assert_eq!(n.report.notes.len(), 1);
    }

    #[test]
    fn question_marks_and_hashes_in_variable_names_split_nothing() {
        assert_eq!(
            split("{{p://}}://{{@}}:{{###}}@h/{{f?}}?{{?}}={{&}}#{{#x}}"),
            (
                "{{p://}}://{{@}}:{{###}}@h/{{f?}}",
                Some("{{?}}={{&}}"),
                Some("#{{#x}}")
            )
        );
        assert_eq!(split("h/a?b#c"), ("h/a", Some("b"), Some("#c")));
        assert_eq!(split("h/{{a?b"), ("h/{{a", Some("b"), None));
    }

    #[test]
    fn parts_win_over_a_raw_text_that_names_another_host() {
        let (url, notes) = read_url(json!({
            "raw": "ostman-echo.com/get?key=1",
            "protocol": "https",
            "host": ["postman-echo", "com"],
            "path": ["get"],
            "query": [{"key": "key", "value": "1"}]
        }));
        assert!(
            url.url.starts_with("https://postman-echo.com/get"),
            "{}",
            url.url
        );
        assert!(!notes.report.notes.is_empty());
        // Parts that agree with raw leave raw as it is.
        let (same, notes) = read_url(json!({
            "raw": "{{base}}/users/{{id}}",
            "host": ["{{base}}"],
            "path": ["users", "{{id}}"]
        }));
        assert_eq!(same.url, "{{base}}/users/{{id}}");
        assert!(notes.report.notes.is_empty(), "{:?}", notes.report.notes);
    }

    #[test]
    fn credentials_in_raw_are_not_a_different_host() {
        let (url, notes) = read_url(json!({
            "raw": "https://us@r:p@ssword@postman-echo.com/get",
            "protocol": "https",
            "auth": {"user": "us@r", "password": "p@ssword"},
            "host": ["postman-echo", "com"],
            "path": ["get"]
        }));
        assert_eq!(url.url, "https://us@r:p@ssword@postman-echo.com/get");
        assert!(notes.report.notes.is_empty(), "{:?}", notes.report.notes);
        // Built from parts, `auth` is the userinfo.
        let (url, _) = read_url(json!({
            "protocol": "https",
            "auth": {"user": "u", "password": "p"},
            "host": ["h"],
            "path": ["get"]
        }));
        assert_eq!(url.url, "https://u:p@h/get");
    }

    #[test]
    fn a_blank_raw_is_built_from_its_parts() {
        let (u, n) = read_url(json!({
            "raw": "  ", "protocol": "https", "host": ["h", "test"], "path": ["get"]
        }));
        assert_eq!(u.url, "https://h.test/get");
        // An empty first segment is a second slash, as in postman-collection.
        let (u, _) = read_url(json!({"host": ["h"], "path": ["", "get"]}));
        assert_eq!(u.url, "h//get");
        let (u, _) = read_url(json!({"host": ["h"], "path": "/get"}));
        assert_eq!(u.url, "h/get");
        assert_eq!(n.report.notes.len(), 1);
    }

    #[test]
    fn path_variables_become_template_variables() {
        let (u, _) = read_url(json!({
            "raw": "http://x/users/:id/posts/:id2?x=:id",
            "variable": [{"key": "id", "value": "7"}, {"key": "id2", "value": ""}]
        }));
        // Only whole path segments are variables; the query is left alone.
        assert_eq!(u.url, "http://x/users/{{id}}/posts/{{id2}}");
        assert_eq!(u.params[0].value, ":id");
        assert_eq!(u.path_vars[0].value, "7");
    }

    #[test]
    fn a_url_without_raw_is_built_from_its_parts() {
        let (u, _) = read_url(json!({
            "protocol": "https", "host": ["api", "example", "com"], "port": "8443",
            "path": ["v1", "items"], "query": [{"key": "a", "value": "1"}]
        }));
        assert_eq!(u.url, "https://api.example.com:8443/v1/items");
        assert_eq!(u.params[0].name, "a");
    }
}
