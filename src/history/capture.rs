//! Turning an [`Exchange`] into a redacted [`Record`], and [`Capture`],
//! which keeps the first bytes of a body that streams elsewhere (`postie
//! send` writes the body to stdout as it arrives).

use std::io::Write;
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Map, Value};

use crate::exchange::{Ending, Exchange};
use crate::http::{PartValue, PreparedBody, Timings};

use super::record::{
    Body, Hop, Outcome, ReceivedResponse, Record, RequestRef, SentRequest, TestOutcome, Via,
    RECORD_VERSION,
};
use super::redact::Redactor;

/// A fresh record id: ten hex digits (40 random bits: two ids of 10,000
/// records collide with odds of about 1 in 20,000).
pub fn new_id() -> String {
    format!("{:010x}", fastrand::u64(..) & 0xff_ffff_ffff)
}

/// Now, as RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// The timing figures by name, in milliseconds.
// `Timings` has no serde derive yet; when it gets one this becomes
// `serde_json::to_value`, and records keep reading as the map they are.
pub fn timings_map(t: &Timings) -> Map<String, Value> {
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
    let mut m = Map::new();
    m.insert("ttfb_ms".into(), Value::from(ms(t.ttfb)));
    m.insert("total_ms".into(), Value::from(ms(t.total)));
    // And every figure under curl's names, as `send --json` has them.
    if let Value::Object(curl) = crate::http::curl_figures(t, t.tls.is_some()) {
        m.extend(curl);
    }
    m
}

fn is_form(headers: impl IntoIterator<Item = (String, String)>) -> bool {
    headers
        .into_iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("content-type") && v.contains("x-www-form-urlencoded"))
}

/// The first `limit` bytes of a body of `total` bytes, redacted: UTF-8 as
/// text, anything else as base64.
pub fn keep_body(bytes: &[u8], total: u64, limit: usize, redactor: &Redactor, form: bool) -> Body {
    // Look a secret's length past the cut, so one that straddles it is
    // masked whole before the cut.
    let window = &bytes[..bytes.len().min(limit.saturating_add(redactor.longest()))];
    let cut = (bytes.len() as u64) < total || bytes.len() > limit;
    let text = match std::str::from_utf8(window) {
        Ok(t) => Some(t),
        // The window may end inside a character; anything else is binary.
        Err(e) if e.error_len().is_none() && window.len() < bytes.len() => {
            std::str::from_utf8(&window[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    };
    match text {
        Some(t) => {
            let mut t = redactor.body_text(t, form);
            if t.len() > limit {
                let mut end = limit;
                while !t.is_char_boundary(end) {
                    end -= 1;
                }
                t.truncate(end);
            }
            Body {
                size: total,
                cut,
                text: Some(t),
                ..Body::default()
            }
        }
        None => {
            let mut b = redactor.bytes(window);
            b.truncate(limit);
            Body {
                size: total,
                cut,
                base64: Some(base64::engine::general_purpose::STANDARD.encode(b)),
                ..Body::default()
            }
        }
    }
}

fn sent_body(body: &PreparedBody, limit: usize, redactor: &Redactor, form: bool) -> Option<Body> {
    match body {
        PreparedBody::Empty => None,
        PreparedBody::Bytes(b) => Some(keep_body(b, b.len() as u64, limit, redactor, form)),
        PreparedBody::File(path) => Some(Body {
            size: std::fs::metadata(path).map_or(0, |m| m.len()),
            note: Some(format!(
                "file {}",
                redactor.text(&path.display().to_string())
            )),
            ..Body::default()
        }),
        PreparedBody::Multipart { parts, .. } => {
            let shown: Vec<String> = (parts.iter())
                .map(|p| match &p.value {
                    PartValue::Text(_) if super::redact::is_credential_name(&p.name) => {
                        format!("{}={}", p.name, super::redact::MASK)
                    }
                    PartValue::Text(t) => format!("{}={}", p.name, redactor.text(t)),
                    PartValue::File(f) => format!("{}=@{}", p.name, f.display()),
                })
                .collect();
            Some(Body {
                note: Some(format!("multipart: {}", shown.join(", "))),
                ..Body::default()
            })
        }
    }
}

/// What masks `exchange`'s secrets wherever a writer (history, logs,
/// exported spans) puts its text: the secret values it carries, the
/// credentials its request had in headers, URL or body, the response's
/// cookies and a token endpoint's tokens (looked for in the first `limit`
/// bytes of bodies; `body` is the response body when it did not stay in
/// the exchange).
/// Bytes of a body scanned for secrets to mask elsewhere (tokens in a
/// token endpoint's answer, credentials in a form).
pub const REDACT_SCAN_BYTES: usize = 64 * 1024;

pub fn redactor_for(exchange: &Exchange, body: Option<&[u8]>, limit: usize) -> Redactor {
    // Credentials the request carried in headers or its URL are masked
    // wherever they show up, as are the response's cookies.
    let mut secrets = exchange.secrets.clone();
    if let Some(s) = &exchange.sent {
        for (n, v) in &s.headers {
            secrets.extend(super::redact::header_secrets(n, v));
        }
        secrets.extend(super::redact::url_secrets(&s.url));
        if let PreparedBody::Bytes(b) = &s.body {
            let text = String::from_utf8_lossy(&b[..b.len().min(limit)]);
            secrets.extend(super::redact::body_secrets(
                &text,
                is_form(s.headers.iter().cloned()),
            ));
        }
    }
    if let Some(r) = exchange.response() {
        for h in &r.headers {
            secrets.extend(super::redact::header_secrets(&h.name, &h.value_lossy()));
        }
        // A token endpoint's answer: its tokens are masked in the whole
        // record, wherever the body shows them.
        let bytes = body.unwrap_or(&r.body);
        let text = String::from_utf8_lossy(&bytes[..bytes.len().min(limit)]);
        secrets.extend(super::redact::body_secrets(&text, false));
    }
    Redactor::new(&secrets)
}

/// The record of `exchange`, redacted. `body` is the response body when it
/// did not stay in the exchange (it streamed to a writer and a
/// [`Capture`] kept its start); `None` reads the exchange's own.
pub fn build(
    exchange: &Exchange,
    request: RequestRef,
    via: Via,
    body: Option<&[u8]>,
    limit: usize,
) -> Record {
    let redactor = redactor_for(exchange, body, limit);
    let sent = exchange.sent.as_ref().map(|s| {
        let form = is_form(s.headers.iter().cloned());
        SentRequest {
            method: s.method.clone(),
            url: redactor.url(&s.url),
            headers: (s.headers.iter())
                .map(|(n, v)| (n.clone(), redactor.header(n, v)))
                .collect(),
            body: if s.settings.omit_body {
                None
            } else {
                sent_body(&s.body, limit, &redactor, form)
            },
        }
    });
    let mut record = Record {
        v: RECORD_VERSION,
        id: new_id(),
        at: now(),
        via,
        request,
        outcome: Outcome::Response,
        sent,
        error: None,
        response: None,
        tests: (exchange.tests.iter())
            .map(|t| TestOutcome {
                name: redactor.text(&t.name),
                passed: t.passed,
                skipped: t.skipped,
                error: t.error.as_deref().map(|e| redactor.text(e)),
            })
            .collect(),
        script_errors: (exchange.script_errors.iter())
            .map(|e| redactor.text(&format!("{}: {}", e.file.display(), e.message)))
            .collect(),
        trace_id: exchange.trace_id(),
    };
    match &exchange.ending {
        Ending::Response(r) => {
            let headers: Vec<(String, String)> = (r.headers.iter())
                .map(|h| (h.name.clone(), h.value_lossy().into_owned()))
                .collect();
            let form = is_form(headers.iter().cloned());
            let bytes = body.unwrap_or(&r.body);
            record.response = Some(ReceivedResponse {
                status: r.status,
                reason: r.reason.clone(),
                version: r.version.clone(),
                url: redactor.url(&r.url),
                headers: (headers.iter())
                    .map(|(n, v)| (n.clone(), redactor.header(n, v)))
                    .collect(),
                body: keep_body(bytes, r.decoded_size, limit, &redactor, form),
                wire_size: r.wire_size,
                decoded_size: r.decoded_size,
                truncated: r.truncated,
                redirects: (r.redirects.iter())
                    .map(|h| Hop {
                        status: h.status,
                        url: redactor.url(&h.url),
                        location: redactor.url(&h.location),
                    })
                    .collect(),
                timings: timings_map(&r.timings),
            });
        }
        Ending::Failed(e) => {
            record.outcome = Outcome::Failed;
            record.error = Some(redactor.text(&e.to_string()));
        }
        Ending::Skipped => record.outcome = Outcome::Skipped,
        Ending::NotSent(problems) => {
            record.outcome = Outcome::NotSent;
            let text: Vec<String> = problems
                .iter()
                .map(|p| redactor.text(&p.message()))
                .collect();
            record.error = Some(text.join("; "));
        }
    }
    record
}

/// Keeps the first bytes of a body written elsewhere. Clones share them.
#[derive(Debug, Clone)]
pub struct Capture {
    kept: Arc<Mutex<Vec<u8>>>,
    limit: usize,
}

impl Capture {
    /// Keeps up to `limit` bytes (a little more than the record keeps, so a
    /// secret straddling the cut is still masked whole).
    pub fn new(limit: usize) -> Capture {
        Capture {
            kept: Arc::new(Mutex::new(Vec::new())),
            limit: limit.saturating_add(4096),
        }
    }

    /// `inner`, with what is written to it also kept here.
    pub fn tee<W: Write>(&self, inner: W) -> Tee<W> {
        Tee {
            inner,
            capture: self.clone(),
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.kept.lock().map(|k| k.clone()).unwrap_or_default()
    }

    fn keep(&self, data: &[u8]) {
        if let Ok(mut k) = self.kept.lock() {
            let room = self.limit.saturating_sub(k.len());
            k.extend_from_slice(&data[..data.len().min(room)]);
        }
    }
}

/// A writer that also feeds a [`Capture`].
pub struct Tee<W> {
    inner: W,
    capture: Capture,
}

impl<W: Write> Write for Tee<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.capture.keep(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_body_is_cut_at_a_character_boundary_and_says_so() {
        let r = Redactor::default();
        let b = keep_body("aé".as_bytes(), 3, 2, &r, false);
        assert_eq!((b.text.as_deref(), b.cut, b.size), (Some("a"), true, 3));
        let b = keep_body(b"abc", 3, 10, &r, false);
        assert_eq!((b.text.as_deref(), b.cut), (Some("abc"), false));
        // Only the start arrived (a capture): still cut.
        let b = keep_body(b"ab", 10, 10, &r, false);
        assert!(b.cut);
    }

    #[test]
    fn a_binary_body_is_base64_and_a_secret_across_the_cut_is_masked_whole() {
        let r = Redactor::new(&["s3cret"]);
        let b = keep_body(b"\xff\x00s3cret", 8, 4, &r, false);
        assert_eq!(b.base64.as_deref(), Some("/wAqKg=="));
        assert_eq!(b.bytes().unwrap(), b"\xff\x00**");
        let t = keep_body(b"abs3cret", 8, 4, &r, false);
        assert_eq!(t.text.as_deref(), Some("ab**"));
    }

    #[test]
    fn a_capture_keeps_only_the_start_and_passes_everything_on() {
        let c = Capture::new(0);
        let mut out = Vec::new();
        let big = vec![b'x'; 10_000];
        c.tee(&mut out).write_all(&big).unwrap();
        assert_eq!(out.len(), 10_000);
        assert_eq!(c.bytes().len(), 4096);
    }
}
