//! Spans from records: one CLIENT span per exchange (HTTP semantic
//! conventions, <https://opentelemetry.io/docs/specs/semconv/http/http-spans/>),
//! its phases as child spans at their measured moments, test outcomes and
//! script errors as events; one span per run with the summary's figures.
//!
//! Every URL and message goes through the exchange's redaction first, and
//! `url.full` loses its userinfo.

use std::borrow::Cow;
use std::time::{Duration, SystemTime};

use opentelemetry::trace::{
    Event, SpanContext, SpanId, SpanKind, Status, TraceFlags, TraceId, TraceState,
};
use opentelemetry::{InstrumentationScope, KeyValue};
use opentelemetry_sdk::trace::{SpanData, SpanEvents, SpanLinks};

use crate::exchange::{Ending, Exchange};
use crate::history::redact::Redactor;
use crate::http::{PreparedBody, SendError, Timings};
use crate::runner::record::Summary;

use super::TraceIds;

fn scope() -> InstrumentationScope {
    InstrumentationScope::builder("postie")
        .with_version(env!("CARGO_PKG_VERSION"))
        .build()
}

fn context(ids: TraceIds) -> SpanContext {
    SpanContext::new(
        TraceId::from_bytes(ids.trace_id),
        SpanId::from_bytes(ids.span_id),
        TraceFlags::SAMPLED,
        false,
        TraceState::default(),
    )
}

/// A span with the fields every span here shares.
fn span(
    ids: TraceIds,
    parent: Option<[u8; 8]>,
    kind: SpanKind,
    name: impl Into<Cow<'static, str>>,
    (start, end): (SystemTime, SystemTime),
) -> SpanData {
    SpanData {
        span_context: context(ids),
        parent_span_id: parent.map_or(SpanId::INVALID, SpanId::from_bytes),
        parent_span_is_remote: false,
        span_kind: kind,
        name: name.into(),
        start_time: start,
        end_time: end.max(start),
        attributes: Vec::new(),
        dropped_attributes_count: 0,
        events: SpanEvents::default(),
        links: SpanLinks::default(),
        status: Status::Unset,
        instrumentation_scope: scope(),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The methods HTTP semantic conventions know; others are `_OTHER`.
const KNOWN_METHODS: &[&str] = &[
    "CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE",
];

/// `url.full` without userinfo, credential query values and secrets.
pub fn safe_url(raw: &str, redactor: &Redactor) -> String {
    let masked = redactor.url(raw);
    match url::Url::parse(&masked) {
        Ok(mut u) => {
            let _ = u.set_username("");
            let _ = u.set_password(None);
            u.to_string()
        }
        Err(_) => masked,
    }
}

/// `error.type` of a failed send: a short, low-cardinality name.
pub fn error_type(e: &SendError) -> &'static str {
    match e {
        SendError::InvalidRequest(_) => "invalid_request",
        SendError::Dns { .. } => "dns",
        SendError::Refused { .. } => "connection_refused",
        SendError::Connect { .. } => "connect",
        SendError::Tls { .. } => "tls",
        SendError::Timeout(_) => "timeout",
        SendError::TooManyRedirects(_) => "too_many_redirects",
        SendError::File { .. } => "file",
        SendError::Write { .. } => "write",
        SendError::Protocol(_) => "protocol",
        SendError::Cancelled => "cancelled",
    }
}

/// "HTTP/1.1" -> "1.1", "HTTP/2" -> "2" (`network.protocol.version`).
fn protocol_version(v: &str) -> &str {
    v.strip_prefix("HTTP/").unwrap_or(v)
}

/// The request's span and its phases' spans. Empty when the exchange has
/// no trace ids or sent nothing (skipped, or not prepared).
pub fn request_spans(
    exchange: &Exchange,
    parent: Option<[u8; 8]>,
    extra: &[KeyValue],
) -> Vec<SpanData> {
    let (Some(ids), Some(sent)) = (exchange.trace, exchange.sent.as_ref()) else {
        return Vec::new();
    };
    let response = exchange.response();
    let started = response
        .and_then(|r| r.started_at)
        .or(exchange.started_at)
        .unwrap_or_else(SystemTime::now);
    let ended = match response {
        Some(r) if r.started_at.is_some() => started + r.timings.total,
        _ => exchange.finished_at.unwrap_or(started),
    };
    let redactor =
        crate::history::capture::redactor_for(exchange, None, super::logs::REDACT_SCAN_BYTES);
    let method = sent.method.to_ascii_uppercase();
    let known = KNOWN_METHODS.contains(&method.as_str());
    let name = if known {
        method.clone()
    } else {
        "HTTP".to_string()
    };
    let mut s = span(ids, parent, SpanKind::Client, name, (started, ended));
    let a = &mut s.attributes;
    if known {
        a.push(KeyValue::new("http.request.method", method.clone()));
    } else {
        a.push(KeyValue::new("http.request.method", "_OTHER"));
        a.push(KeyValue::new(
            "http.request.method_original",
            sent.method.clone(),
        ));
    }
    a.push(KeyValue::new("url.full", safe_url(&sent.url, &redactor)));
    if let Ok(u) = url::Url::parse(&sent.url) {
        a.push(KeyValue::new("url.scheme", u.scheme().to_string()));
        if let Some(host) = u.host_str() {
            a.push(KeyValue::new("server.address", host.to_string()));
        }
        if let Some(port) = u.port_or_known_default() {
            a.push(KeyValue::new("server.port", i64::from(port)));
        }
    }
    a.push(KeyValue::new("postie.request", exchange.path.clone()));
    a.extend(extra.iter().cloned());
    match &exchange.ending {
        Ending::Response(r) => {
            a.push(KeyValue::new(
                "http.response.status_code",
                i64::from(r.status),
            ));
            a.push(KeyValue::new(
                "network.protocol.version",
                protocol_version(&r.version).to_string(),
            ));
            a.push(KeyValue::new(
                "http.request.body.size",
                r.sizes.request_body as i64,
            ));
            a.push(KeyValue::new("http.response.body.size", r.wire_size as i64));
            if let Some(remote) = r.connection.remote {
                a.push(KeyValue::new(
                    "network.peer.address",
                    remote.ip().to_string(),
                ));
                a.push(KeyValue::new("network.peer.port", i64::from(remote.port())));
            }
            if let Some(tls) = &r.connection.tls {
                a.push(KeyValue::new("tls.protocol.name", "tls"));
                let v = tls.version.trim_start_matches("TLSv").to_string();
                a.push(KeyValue::new("tls.protocol.version", v));
                a.push(KeyValue::new("tls.cipher", tls.cipher.clone()));
            }
            a.push(KeyValue::new("postie.connection.reused", r.timings.reused));
            if !r.redirects.is_empty() {
                a.push(KeyValue::new("postie.redirects", r.redirects.len() as i64));
            }
            // A client span fails on 4xx and 5xx (semantic conventions).
            if r.status >= 400 {
                a.push(KeyValue::new("error.type", r.status.to_string()));
                s.status = Status::error("");
            }
        }
        Ending::Failed(e) => {
            if let PreparedBody::Bytes(b) = &sent.body {
                a.push(KeyValue::new("http.request.body.size", b.len() as i64));
            }
            a.push(KeyValue::new("error.type", error_type(e)));
            s.status = Status::error(redactor.text(&e.to_string()));
        }
        Ending::Skipped | Ending::NotSent(_) => {}
    }
    let failed = exchange.tests.iter().filter(|t| t.failed()).count();
    if !exchange.tests.is_empty() {
        s.attributes
            .push(KeyValue::new("postie.tests", exchange.tests.len() as i64));
        s.attributes
            .push(KeyValue::new("postie.tests.failed", failed as i64));
    }
    for t in &exchange.tests {
        let mut attrs = vec![
            KeyValue::new("test.name", redactor.text(&t.name)),
            KeyValue::new("test.passed", t.passed),
        ];
        if t.skipped {
            attrs.push(KeyValue::new("test.skipped", true));
        }
        if let Some(e) = &t.error {
            attrs.push(KeyValue::new("test.message", redactor.text(e)));
        }
        s.events.events.push(Event::new("test", ended, attrs, 0));
    }
    for e in &exchange.script_errors {
        let attrs = vec![
            KeyValue::new("exception.type", "ScriptError"),
            KeyValue::new("exception.message", redactor.text(&e.message)),
            KeyValue::new("code.filepath", e.file.display().to_string()),
        ];
        s.events
            .events
            .push(Event::new("exception", ended, attrs, 0));
    }

    let mut out = vec![s];
    if let (Some(r), Some(at)) = (response, response.and_then(|r| r.started_at)) {
        for (hop, h) in r.redirects.iter().enumerate() {
            out.extend(phase_spans(ids, at, &h.timings, Some(hop as i64), false));
        }
        let hop = (!r.redirects.is_empty()).then_some(r.redirects.len() as i64);
        out.extend(phase_spans(ids, at, &r.timings, hop, true));
    }
    out
}

/// One child span per phase that happened, at its measured moments: dns,
/// connect, tls, send, wait (to the first byte) and, on the final hop,
/// download. `at` is the wall-clock time of the timings' zero.
fn phase_spans(
    request: TraceIds,
    at: SystemTime,
    t: &Timings,
    hop: Option<i64>,
    last: bool,
) -> Vec<SpanData> {
    let dns_end = t.dns.unwrap_or(t.start);
    let connect_end = t.connect.unwrap_or(dns_end);
    let ready = t.ready();
    // A redirect hop's `total` is when its head arrived.
    let first_byte = if last { t.ttfb } else { t.total };
    let mut phases: Vec<(&'static str, Duration, Duration)> = Vec::new();
    if let Some(d) = t.dns {
        phases.push(("dns", t.start, d));
    }
    if let Some(c) = t.connect {
        phases.push(("connect", dns_end, c));
    }
    if let Some(tls) = t.tls {
        phases.push(("tls", connect_end, tls));
    }
    phases.push(("send", ready, t.sent));
    phases.push(("wait", t.sent, first_byte));
    if last {
        phases.push(("download", t.ttfb, t.total));
    }
    (phases.into_iter())
        .map(|(name, from, to)| {
            let ids = TraceIds::in_trace(request.trace_id);
            let mut s = span(
                ids,
                Some(request.span_id),
                SpanKind::Internal,
                name,
                (at + from, at + to.max(from)),
            );
            s.attributes.push(KeyValue::new("postie.phase", name));
            if let Some(h) = hop {
                s.attributes.push(KeyValue::new("postie.hop", h));
            }
            s
        })
        .collect()
}

/// The run's span: the whole run, with its summary's figures (counts,
/// failures, response time and phase statistics in milliseconds) as
/// attributes.
pub fn run_span(ids: TraceIds, summary: &Summary) -> SpanData {
    let start = summary.started;
    let name = format!("run {}", summary.name);
    let mut s = span(
        ids,
        None,
        SpanKind::Internal,
        name,
        (start, start + summary.duration),
    );
    let a = &mut s.attributes;
    a.push(KeyValue::new("postie.collection", summary.name.clone()));
    let counters = [
        ("iterations", summary.iterations),
        ("requests", summary.requests),
        ("test_scripts", summary.test_scripts),
        ("prerequest_scripts", summary.prerequest_scripts),
        ("assertions", summary.assertions),
    ];
    for (what, c) in counters {
        a.push(KeyValue::new(format!("postie.{what}"), c.executed as i64));
        a.push(KeyValue::new(
            format!("postie.{what}.failed"),
            c.failed as i64,
        ));
    }
    a.push(KeyValue::new(
        "postie.failures",
        summary.failure_count as i64,
    ));
    a.push(KeyValue::new(
        "postie.data_received",
        summary.data_received as i64,
    ));
    let stats = std::iter::once(("response_time", &summary.response_times))
        .chain(summary.phase_times.named());
    for (what, st) in stats {
        if st.count == 0 {
            continue;
        }
        a.push(KeyValue::new(format!("postie.{what}.min_ms"), ms(st.min)));
        a.push(KeyValue::new(format!("postie.{what}.avg_ms"), ms(st.mean)));
        a.push(KeyValue::new(format!("postie.{what}.p95_ms"), ms(st.p95)));
        a.push(KeyValue::new(format!("postie.{what}.max_ms"), ms(st.max)));
    }
    if let Some(stop) = &summary.stopped {
        a.push(KeyValue::new("postie.stopped", format!("{stop:?}")));
    }
    if summary.failed() {
        s.status = Status::error(format!("{} failures", summary.failure_count));
    }
    s
}
