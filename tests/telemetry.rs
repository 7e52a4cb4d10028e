//! Telemetry out: `postie run` and `postie send` export spans to an OTLP
//! receiver on 127.0.0.1 (decoded here with the OTLP protobuf types), the
//! `traceparent` header a server gets carries the same ids as the exchange,
//! its history record and its exported span, and a dead collector costs a
//! warning, not a hang or a failure.

mod common;

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use common::otlp::Receiver;
use common::*;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::trace::v1::{span::SpanKind, Span};
use serde_json::{json, Value};

fn attr(s: &Span, key: &str) -> Option<Any> {
    s.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref()?.value.clone())
}

fn attr_str(s: &Span, key: &str) -> String {
    match attr(s, key) {
        Some(Any::StringValue(v)) => v,
        other => panic!("{key}: {other:?} on {}", s.name),
    }
}

fn attr_int(s: &Span, key: &str) -> i64 {
    match attr(s, key) {
        Some(Any::IntValue(v)) => v,
        other => panic!("{key}: {other:?} on {}", s.name),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A workspace with a two-request collection, `api`, with tests.
fn workspace(base: &str) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    write(root, "postie.json", r#"{"format": 1}"#);
    write(
        root,
        "environments/local.json",
        &json!({"variables": {"base_url": base}}).to_string(),
    );
    write(
        root,
        "api/collection.json",
        r#"{"name": "API", "order": ["list", "create"]}"#,
    );
    write(
        root,
        "api/list.json",
        r#"{"name": "List", "method": "GET", "url": "{{base_url}}/anything/list?page=2"}"#,
    );
    write(
        root,
        "api/list.test.js",
        r#"pm.test("status is 200", () => pm.response.to.have.status(200));
pm.test("says teapot", () => pm.expect(pm.response.code).to.eql(418));"#,
    );
    write(
        root,
        "api/create.json",
        r#"{"name": "Create", "method": "POST", "url": "{{base_url}}/anything/create", "body": {"type": "json"}}"#,
    );
    write(root, "api/create.body.json", r#"{"name": "ann"}"#);
    d
}

fn no_otel(cmd: &mut assert_cmd::Command) -> &mut assert_cmd::Command {
    for k in [
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_HEADERS",
        "OTEL_EXPORTER_OTLP_TRACES_HEADERS",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
        "OTEL_SERVICE_NAME",
        "OTEL_RESOURCE_ATTRIBUTES",
        "POSTIE_LOG",
    ] {
        cmd.env_remove(k);
    }
    cmd
}

#[test]
fn a_runs_spans_arrive_with_their_parents_attributes_phases_and_tests() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = workspace(base);
    let rx = Receiver::start();
    let out = no_otel(&mut postie(ws.path()))
        .args(["run", "api", "--env", "local", "--otlp-endpoint"])
        .arg(rx.url())
        .env("OTEL_SERVICE_NAME", "api-tests")
        .output()
        .unwrap();
    // One test fails on purpose: the run fails, the export does not.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));

    let spans = rx.spans();
    assert!(spans.iter().all(|(svc, _)| svc == "api-tests"));
    let spans: Vec<Span> = spans.into_iter().map(|(_, s)| s).collect();
    let runs: Vec<&Span> = spans.iter().filter(|s| s.name == "run API").collect();
    assert_eq!(
        runs.len(),
        1,
        "{:#?}",
        spans.iter().map(|s| &s.name).collect::<Vec<_>>()
    );
    let run = runs[0];
    assert!(run.parent_span_id.is_empty());
    assert_eq!(attr_int(run, "postie.requests"), 2);
    assert_eq!(attr_int(run, "postie.assertions"), 2);
    assert_eq!(attr_int(run, "postie.assertions.failed"), 1);
    assert!(
        matches!(attr(run, "postie.response_time.avg_ms"), Some(Any::DoubleValue(v)) if v > 0.0)
    );

    let requests: Vec<&Span> = spans
        .iter()
        .filter(|s| s.kind == SpanKind::Client as i32)
        .collect();
    assert_eq!(requests.len(), 2);
    let (get, post) = (requests[0], requests[1]);
    for (span, method, path) in [
        (get, "GET", "/anything/list?page=2"),
        (post, "POST", "/anything/create"),
    ] {
        assert_eq!(span.name, method);
        assert_eq!(span.trace_id, run.trace_id, "one trace for the run");
        assert_eq!(span.parent_span_id, run.span_id, "a child of the run");
        assert_eq!(attr_str(span, "http.request.method"), method);
        assert_eq!(attr_int(span, "http.response.status_code"), 200);
        assert_eq!(attr_str(span, "url.full"), format!("{base}{path}"));
        assert_eq!(attr_str(span, "server.address"), "127.0.0.1");
        assert_eq!(
            attr_int(span, "server.port"),
            i64::from(server.addr().port())
        );
        assert_eq!(attr_str(span, "network.protocol.version"), "1.1");
        assert!(attr_int(span, "http.response.body.size") > 0);
        // Inside the run, in time.
        assert!(span.start_time_unix_nano >= run.start_time_unix_nano);
        assert!(span.end_time_unix_nano <= run.end_time_unix_nano);
        assert!(span.end_time_unix_nano > span.start_time_unix_nano);
        // Its phases are its children, in order, within it.
        let phases: Vec<&Span> = spans
            .iter()
            .filter(|p| p.parent_span_id == span.span_id)
            .collect();
        let names: Vec<&str> = phases.iter().map(|p| p.name.as_str()).collect();
        assert!(names.ends_with(&["send", "wait", "download"]), "{names:?}");
        for w in phases.windows(2) {
            assert!(
                w[0].end_time_unix_nano <= w[1].start_time_unix_nano + 1_000,
                "{names:?}"
            );
        }
        for p in &phases {
            assert!(p.start_time_unix_nano >= span.start_time_unix_nano);
            assert!(p.end_time_unix_nano <= span.end_time_unix_nano + 1_000);
        }
    }
    assert_eq!(attr_int(post, "http.request.body.size"), 15);
    // The first request opened the connection; its phases say so.
    let first: Vec<&str> = spans
        .iter()
        .filter(|p| p.parent_span_id == get.span_id)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(first[0], "connect", "{first:?}");
    // Test outcomes are events of their request's span.
    let tests: Vec<(String, bool)> = get
        .events
        .iter()
        .filter(|e| e.name == "test")
        .map(|e| {
            let name = e
                .attributes
                .iter()
                .find(|kv| kv.key == "test.name")
                .unwrap();
            let passed = e
                .attributes
                .iter()
                .find(|kv| kv.key == "test.passed")
                .unwrap();
            let name = match name.value.as_ref().unwrap().value.clone() {
                Some(Any::StringValue(s)) => s,
                other => panic!("{other:?}"),
            };
            let passed = matches!(
                passed.value.as_ref().unwrap().value,
                Some(Any::BoolValue(true))
            );
            (name, passed)
        })
        .collect();
    assert_eq!(
        tests,
        vec![
            ("status is 200".to_string(), true),
            ("says teapot".to_string(), false)
        ]
    );
}

#[test]
fn the_traceparent_a_server_gets_is_the_exchange_its_record_and_its_span() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = workspace(base);
    let rx = Receiver::start();
    let out = no_otel(&mut postie(ws.path()))
        .args([
            "send",
            "api/list",
            "--env",
            "local",
            "--json",
            "--traceparent",
        ])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", rx.url())
        .output()
        .unwrap();
    assert!(out.status.code() == Some(8), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let trace_id = report["trace_id"].as_str().unwrap().to_string();
    assert_eq!(trace_id.len(), 32);
    // The echo server says what it received.
    let echoed: Value = serde_json::from_str(report["body"].as_str().unwrap()).unwrap();
    let header = (echoed["headers"].as_array().unwrap().iter())
        .find(|pair| pair[0] == "traceparent")
        .map(|pair| pair[1].as_str().unwrap().to_string())
        .unwrap();
    let parts: Vec<&str> = header.split('-').collect();
    assert_eq!(parts.len(), 4, "{header}");
    assert_eq!((parts[0], parts[3]), ("00", "01"), "{header}");
    assert_eq!(parts[1], trace_id);
    assert_eq!(parts[2].len(), 16);
    assert!(parts[2].bytes().all(|c| c.is_ascii_hexdigit()));
    // The span exported is the one the header names as parent.
    let spans = rx.spans();
    let (service, span) = spans
        .iter()
        .find(|(_, s)| s.kind == SpanKind::Client as i32)
        .unwrap();
    assert_eq!(service, "postie");
    assert!(span.parent_span_id.is_empty(), "send's span is the root");
    assert_eq!(hex(&span.trace_id), trace_id);
    assert_eq!(hex(&span.span_id), parts[2]);
    // History keeps it, and `history show` and `-v` say it.
    let dir = ws.path().join(".postie/history");
    let mut lines = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        lines.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    let record: Value = serde_json::from_str(lines.lines().last().unwrap()).unwrap();
    assert_eq!(record["trace_id"], trace_id.as_str());
    let out = postie(ws.path())
        .args(["history", "show", record["id"].as_str().unwrap()])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains(&format!("trace id {trace_id}")), "{text}");
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/list", "--env", "local", "-v", "--traceparent"])
        .output()
        .unwrap();
    let err = stderr(&out);
    let line = err.lines().find(|l| l.starts_with("* trace id ")).unwrap();
    let id = line.trim_start_matches("* trace id ");
    assert!(err.contains(&format!("> traceparent: 00-{id}-")), "{err}");
}

#[test]
fn no_endpoint_no_header_and_a_dead_collector_is_one_warning() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = workspace(base);
    // Off: no traceparent, no trace id.
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/create", "--env", "local", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report.get("trace_id").is_none());
    assert!(!report["body"].as_str().unwrap().contains("traceparent"));

    // A port nobody listens on: the send succeeds, one warning, quickly.
    let dead = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", dead.local_addr().unwrap().port());
    drop(dead);
    let began = Instant::now();
    let out = no_otel(&mut postie(ws.path()))
        .args(["run", "api", "--env", "local", "--otlp-endpoint", &url])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "only the failing test fails the run"
    );
    let err = stderr(&out);
    assert_eq!(
        err.matches("warning: spans not exported").count(),
        1,
        "{err}"
    );
    assert!(began.elapsed() < Duration::from_secs(10));

    // The workspace setting turns the header on, for every send path.
    write(
        ws.path(),
        "postie.json",
        r#"{"format": 1, "telemetry": {"traceparent": true}}"#,
    );
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/create", "--env", "local", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let id = report["trace_id"].as_str().unwrap();
    assert!(report["body"]
        .as_str()
        .unwrap()
        .contains(&format!("00-{id}-")));
}

#[test]
fn pm_send_request_carries_the_trace_as_a_child_of_its_request() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = workspace(base);
    // The workspace setting alone turns it on (as in the app).
    write(
        ws.path(),
        "postie.json",
        r#"{"format": 1, "telemetry": {"traceparent": true}}"#,
    );
    write(
        ws.path(),
        "api/side.json",
        r#"{"name": "Side", "method": "GET", "url": "{{base_url}}/anything/main"}"#,
    );
    write(
        ws.path(),
        "api/side.pre.js",
        r#"pm.sendRequest(pm.environment.get("base_url") + "/anything/side", (err, res) => {
    const h = res.json().headers.find((p) => p[0] === "traceparent");
    pm.variables.set("side", h ? h[1] : "none");
});"#,
    );
    write(
        ws.path(),
        "api/side.test.js",
        r#"pm.test("side " + pm.variables.get("side"), () => {});"#,
    );
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/side", "--env", "local", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let report: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let trace_id = report["trace_id"].as_str().unwrap();
    let sent = (report["request"]["headers"].as_array().unwrap().iter())
        .find(|p| p[0] == "traceparent")
        .map(|p| p[1].as_str().unwrap().to_string())
        .unwrap();
    let side = report["tests"][0]["name"].as_str().unwrap();
    // Same trace; the script's call names the request's span as parent.
    assert_eq!(side, format!("side {sent}"));
    assert!(sent.starts_with(&format!("00-{trace_id}-")), "{sent}");
}

#[test]
fn logs_by_default_only_problems_and_never_on_the_terminal() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = workspace(base);
    let log = ws.path().join(".postie/logs/postie.log");
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/create", "--env", "local"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !log.exists(),
        "a good send at the default level writes no log"
    );
    write(ws.path(), "api/create.test.js", "throw new Error('boom');");
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/create", "--env", "local"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("WARN") && text.contains("script error"),
        "{text}"
    );
    assert!(
        text.contains("boom") && !text.contains("request start"),
        "{text}"
    );
    assert!(!stderr(&out).contains("script error"), "{}", stderr(&out));
    // info: each request's start and end; off: nothing more.
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/list", "--env", "local", "--log-level", "info"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(
        text.contains("request end") && text.contains("status=200"),
        "{text}"
    );
    let before = text.len();
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/create", "--env", "local"])
        .env("POSTIE_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(8));
    assert_eq!(std::fs::read_to_string(&log).unwrap().len(), before);
    let out = no_otel(&mut postie(ws.path()))
        .args(["send", "api/create", "--log-level", "loud"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn a_collector_that_never_answers_costs_the_export_timeout_not_a_hang() {
    let server = echo();
    let base = server.url("");
    let base = base.trim_end_matches('/');
    let ws = workspace(base);
    // Accepts connections and reads nothing, answers nothing.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming() {
            held.push(conn);
        }
    });
    let began = Instant::now();
    let out = no_otel(&mut postie(ws.path()))
        .args([
            "send",
            "api/create",
            "--env",
            "local",
            "--otlp-endpoint",
            &url,
        ])
        .env("OTEL_EXPORTER_OTLP_TIMEOUT", "400")
        .output()
        .unwrap();
    let took = began.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(
        err.matches("warning: spans not exported").count(),
        1,
        "{err}"
    );
    assert!(took >= Duration::from_millis(400), "{took:?}");
    assert!(took < Duration::from_secs(3), "{took:?}");
}
