//! How `send` shows a request and a response: status lines and headers for
//! people (escaped: a server's headers never reach the terminal raw) and
//! one JSON object for scripts.

use std::fmt::Write as _;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::http::{
    connection_json, curl_figures, sizes_json, Connection, Header, PartValue, PreparedBody,
    PreparedRequest, Response, Timings,
};
use crate::safe_text::{escape, escape_bytes};

pub fn status_line(version: &str, status: u16, reason: &str) -> String {
    format!("{version} {status} {}", escape(reason, false))
}

pub fn header_lines(headers: &[Header]) -> String {
    let mut s = String::new();
    for h in headers {
        let _ = writeln!(
            s,
            "{}: {}",
            escape(&h.name, false),
            escape_bytes(&h.value, false)
        );
    }
    s
}

/// The request as `-v` shows it: `> ` lines like curl.
pub fn request_lines(req: &PreparedRequest) -> String {
    let mut s = format!(
        "> {} {}\n",
        escape(&req.method, false),
        escape(&req.url, false)
    );
    for (n, v) in &req.headers {
        let _ = writeln!(
            s,
            "> {}: {}",
            escape(n, false),
            shown_value(n, v, &|t| t.to_string())
        );
    }
    match &req.body {
        PreparedBody::Empty => {}
        PreparedBody::Bytes(b) => {
            let _ = writeln!(s, "> ({} body)", human_bytes(b.len() as u64));
        }
        PreparedBody::File(p) => {
            let _ = writeln!(
                s,
                "> (body from {})",
                escape(&p.display().to_string(), false)
            );
        }
        PreparedBody::Multipart { parts, .. } => {
            let _ = writeln!(s, "> (multipart body, {} parts)", parts.len());
        }
    }
    s
}

pub use crate::units::human_bytes;

pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The `-v` footer: sizes and timings.
pub fn summary(resp: &Response) -> String {
    let mut s = format!(
        "* {} in {:.1} ms (first byte {:.1} ms), body {}",
        resp.status,
        ms(resp.timings.total),
        ms(resp.timings.ttfb),
        human_bytes(resp.decoded_size)
    );
    if resp.wire_size != resp.decoded_size {
        let _ = write!(s, " ({} on the wire)", human_bytes(resp.wire_size));
    }
    for hop in &resp.redirects {
        let _ = write!(
            s,
            "\n* redirected: {} {} -> {}",
            hop.status,
            escape(&hop.url, false),
            escape(&hop.location, false)
        );
    }
    s
}

fn body_value(bytes: &[u8]) -> (Value, Option<Value>) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Value::String(s.to_string()), None),
        Err(_) => (
            Value::Null,
            Some(Value::String(
                base64::engine::general_purpose::STANDARD.encode(bytes),
            )),
        ),
    }
}

/// `--json`: everything about the exchange as one object.
pub fn json_report(req: &PreparedRequest, resp: &Response) -> Value {
    let mut request = Map::new();
    request.insert("method".into(), req.method.clone().into());
    request.insert("url".into(), req.url.clone().into());
    request.insert(
        "headers".into(),
        Value::Array(req.headers.iter().map(|(n, v)| json!([n, v])).collect()),
    );
    match &req.body {
        PreparedBody::Empty => {
            request.insert("body".into(), Value::Null);
        }
        PreparedBody::Bytes(b) => {
            let (text, b64) = body_value(b);
            request.insert("body".into(), text);
            if let Some(b64) = b64 {
                request.insert("body_base64".into(), b64);
            }
        }
        PreparedBody::File(p) => {
            request.insert("body".into(), Value::Null);
            request.insert("body_file".into(), p.display().to_string().into());
        }
        PreparedBody::Multipart { parts, .. } => {
            request.insert("body".into(), Value::Null);
            let parts = (parts.iter())
                .map(|p| {
                    let mut m = Map::new();
                    m.insert("name".into(), p.name.clone().into());
                    match &p.value {
                        PartValue::Text(t) => m.insert("value".into(), t.clone().into()),
                        PartValue::File(f) => {
                            m.insert("file".into(), f.display().to_string().into())
                        }
                    };
                    if let Some(f) = &p.filename {
                        m.insert("filename".into(), f.clone().into());
                    }
                    if let Some(ct) = &p.content_type {
                        m.insert("content_type".into(), ct.clone().into());
                    }
                    Value::Object(m)
                })
                .collect();
            request.insert("body_multipart".into(), Value::Array(parts));
        }
    }

    let mut out = Map::new();
    out.insert("request".into(), Value::Object(request));
    out.insert("status".into(), resp.status.into());
    out.insert("reason".into(), resp.reason.clone().into());
    out.insert("http_version".into(), resp.version.clone().into());
    out.insert("url".into(), resp.url.clone().into());
    out.insert(
        "headers".into(),
        Value::Array(
            resp.headers
                .iter()
                .map(|h| json!([h.name, h.value_lossy()]))
                .collect(),
        ),
    );
    let (text, b64) = body_value(&resp.body);
    out.insert("body".into(), text);
    if let Some(b64) = b64 {
        out.insert("body_base64".into(), b64);
    }
    out.insert("truncated".into(), resp.truncated.into());
    let mut size = json!({ "wire": resp.wire_size, "decoded": resp.decoded_size });
    if let (Value::Object(m), Value::Object(curl)) = (
        &mut size,
        sizes_json(&resp.sizes, resp.wire_size, resp.decoded_size),
    ) {
        m.extend(curl);
    }
    out.insert("size".into(), size);
    out.insert(
        "redirects".into(),
        Value::Array(
            resp.redirects
                .iter()
                .map(|h| {
                    json!({
                        "status": h.status,
                        "url": h.url,
                        "location": h.location,
                        "timings": curl_figures(&h.timings, is_https(&h.url)),
                        "connection": connection_json(&h.connection),
                    })
                })
                .collect(),
        ),
    );
    let mut timings =
        json!({ "ttfb_ms": ms(resp.timings.ttfb), "total_ms": ms(resp.timings.total) });
    if let (Value::Object(m), Value::Object(curl)) = (
        &mut timings,
        curl_figures(&resp.timings, is_https(&resp.url)),
    ) {
        m.extend(curl);
    }
    out.insert("timings".into(), timings);
    out.insert("connection".into(), connection_json(&resp.connection));
    Value::Object(out)
}

/// Tests as `✓ name`, `✗ name: message`, `- name (skipped)`, then script
/// errors, then (with `verbose`) console lines; all escaped, as scripts
/// print what servers sent.
pub fn script_lines(exchange: &crate::exchange::Exchange, verbose: bool) -> String {
    let mut out = String::new();
    for t in &exchange.tests {
        let name = escape(&t.name, false);
        let _ = match (&t.error, t.skipped, t.passed) {
            (_, true, _) => writeln!(out, "- {name} (skipped)"),
            (_, false, true) => writeln!(out, "✓ {name}"),
            (Some(e), false, false) => writeln!(out, "✗ {name}: {}", escape(e, false)),
            (None, false, false) => writeln!(out, "✗ {name}"),
        };
    }
    for e in &exchange.script_errors {
        let _ = writeln!(out, "error: {}", escape(&e.to_string(), false));
    }
    if verbose {
        for c in &exchange.console {
            let place = match c.line {
                Some(l) => format!("{}:{l}", c.file.display()),
                None => c.file.display().to_string(),
            };
            let level = serde_json::to_value(c.level)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "[{level}] {}: {}",
                escape(&place, false),
                escape(&c.text, false)
            );
        }
    }
    let (passed, failed, skipped) = exchange.tests.iter().fold((0, 0, 0), |(p, f, s), t| {
        if t.skipped {
            (p, f, s + 1)
        } else if t.passed {
            (p + 1, f, s)
        } else {
            (p, f + 1, s)
        }
    });
    if passed + failed + skipped > 0 {
        let mut line = format!("tests: {passed} passed, {failed} failed");
        if skipped > 0 {
            let _ = write!(line, ", {skipped} skipped");
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// `--json`'s `tests` (`{name, passed, skipped, error}`), `script_errors`
/// and `console`.
pub fn add_scripts(report: &mut Value, exchange: &crate::exchange::Exchange) {
    let Value::Object(m) = report else { return };
    let tests = (exchange.tests.iter())
        .map(
            |t| json!({"name": t.name, "passed": t.passed, "skipped": t.skipped, "error": t.error}),
        )
        .collect();
    m.insert("tests".into(), Value::Array(tests));
    let errors = (exchange.script_errors.iter())
        .map(|e| {
            json!({"file": e.file, "line": e.line, "column": e.column, "kind": e.kind, "message": e.message})
        })
        .collect();
    m.insert("script_errors".into(), Value::Array(errors));
    let console = (exchange.console.iter())
        .map(|c| json!({"level": c.level, "file": c.file, "line": c.line, "text": c.text}))
        .collect();
    m.insert("console".into(), Value::Array(console));
}

fn is_https(url: &str) -> bool {
    url.get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
}

/// A header value as `-v` may print it: credentials and the exchange's
/// secret values become `***`.
fn shown_value(name: &str, value: &str, redact: &dyn Fn(&str) -> String) -> String {
    if crate::import::secrets::is_credential_header(name) || name.eq_ignore_ascii_case("set-cookie")
    {
        "***".to_string()
    } else {
        escape(&redact(value), false)
    }
}

/// `-v` for one hop, as curl's verbose output: `*` connection lines, `>`
/// the request as sent, `<` the response head. `redact` hides secret values.
pub fn verbose_hop(
    method: &str,
    url: &str,
    sent: &[(String, String)],
    connection: &Connection,
    timings: &Timings,
    head: Option<(&str, u16, &str, &[Header])>,
    redact: &dyn Fn(&str) -> String,
) -> String {
    let mut s = String::new();
    let parsed = url::Url::parse(url).ok();
    let host = parsed
        .as_ref()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    let host = escape(&host, false);
    match (&connection.remote, timings.reused) {
        (Some(addr), true) => {
            let _ = writeln!(
                s,
                "* Re-using existing connection with host {host} ({addr})"
            );
        }
        (Some(addr), false) => {
            let _ = writeln!(
                s,
                "* Connected to {host} ({}) port {}",
                addr.ip(),
                addr.port()
            );
        }
        (None, _) => {}
    }
    if let Some(tls) = &connection.tls {
        let _ = writeln!(
            s,
            "* SSL connection using {} / {}",
            escape(&tls.version, false),
            escape(&tls.cipher, false)
        );
        if let Some(c) = &tls.certificate {
            let _ = writeln!(s, "* Server certificate:");
            let _ = writeln!(s, "*  subject: {}", escape(&c.subject, false));
            let _ = writeln!(s, "*  start date: {}", c.not_before);
            let _ = writeln!(s, "*  expire date: {}", c.not_after);
            let sans: Vec<String> = c.sans.iter().map(|n| escape(n, false)).collect();
            let _ = writeln!(s, "*  subjectAltName: {}", sans.join(", "));
            let _ = writeln!(s, "*  issuer: {}", escape(&c.issuer, false));
            if let Some(w) = c.expiry_warning() {
                let _ = writeln!(s, "* warning: {w}");
            }
        }
    }
    let target = parsed.as_ref().map_or_else(
        || url.to_string(),
        |u| match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
    );
    let version = if connection.version.is_empty() {
        "HTTP/1.1"
    } else {
        connection.version.as_str()
    };
    let _ = writeln!(
        s,
        "> {} {} {version}",
        escape(method, false),
        escape(&redact(&target), false)
    );
    for (n, v) in sent {
        let _ = writeln!(s, "> {}: {}", escape(n, false), shown_value(n, v, redact));
    }
    let _ = writeln!(s, ">");
    if let Some((version, status, reason, headers)) = head {
        let _ = writeln!(s, "< {}", status_line(version, status, reason));
        for h in headers {
            let _ = writeln!(
                s,
                "< {}: {}",
                escape(&h.name, false),
                shown_value(&h.name, &h.value_lossy(), redact)
            );
        }
        let _ = writeln!(s, "<");
    }
    s
}

/// `-v`'s timing lines, curl `-w` names in seconds.
pub fn verbose_timings(t: &Timings, https: bool) -> String {
    let mut s = String::from("*");
    let Value::Object(m) = curl_figures(t, https) else {
        return String::new();
    };
    for name in [
        "time_namelookup",
        "time_connect",
        "time_appconnect",
        "time_pretransfer",
        "time_starttransfer",
        "time_total",
    ] {
        if let Some(v) = m.get(name).and_then(Value::as_f64) {
            let _ = write!(s, " {name}={v:.6}");
        }
    }
    s.push('\n');
    s
}

/// All of `-v` for a response: each redirect hop, then the final one.
pub fn verbose_exchange(
    req: &PreparedRequest,
    resp: &Response,
    redact: &dyn Fn(&str) -> String,
) -> String {
    let mut s = String::new();
    let mut method = req.method.clone();
    for hop in &resp.redirects {
        // Headers of intermediate hops are not kept; the hop's status is.
        s += &verbose_hop(
            &method,
            &hop.url,
            &[],
            &hop.connection,
            &hop.timings,
            None,
            redact,
        );
        let _ = writeln!(
            s,
            "< {} {}\n* redirected to {}",
            hop.connection.version,
            hop.status,
            escape(&redact(&hop.location), false)
        );
        if matches!(hop.status, 301..=303) && method != "HEAD" {
            method = "GET".to_string();
        }
    }
    s += &verbose_hop(
        &method,
        &resp.url,
        &resp.sent_headers,
        &resp.connection,
        &resp.timings,
        Some((&resp.version, resp.status, &resp.reason, &resp.headers)),
        redact,
    );
    s += &verbose_timings(&resp.timings, is_https(&resp.url));
    s
}
