//! How `send` shows a request and a response: status lines and headers for
//! people (escaped: a server's headers never reach the terminal raw) and
//! one JSON object for scripts.

use std::fmt::Write as _;
use std::time::Duration;

use base64::Engine as _;
use serde_json::{json, Map, Value};

use crate::http::{Header, PartValue, PreparedBody, PreparedRequest, Response};
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
        let _ = writeln!(s, "> {}: {}", escape(n, false), escape(v, false));
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

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut unit = "B";
    for u in UNITS {
        if v < 1024.0 {
            break;
        }
        v /= 1024.0;
        unit = u;
    }
    format!("{v:.1} {unit}")
}

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
    out.insert(
        "size".into(),
        json!({ "wire": resp.wire_size, "decoded": resp.decoded_size }),
    );
    out.insert(
        "redirects".into(),
        Value::Array(
            resp.redirects
                .iter()
                .map(|h| json!({"status": h.status, "url": h.url, "location": h.location}))
                .collect(),
        ),
    );
    out.insert(
        "timings".into(),
        json!({ "ttfb_ms": ms(resp.timings.ttfb), "total_ms": ms(resp.timings.total) }),
    );
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
