//! A history record back as a response, so the app's response pane shows
//! a past exchange with the same code that shows a fresh one.

use std::time::Duration;

use serde_json::{Map, Value};

use super::record::{Record, TestOutcome};
use crate::http::{Header, RedirectHop, Response, Timings};
use crate::script::{Outcome, TestResult};

impl Record {
    /// The response as history kept it (redacted; the body as far as it
    /// was kept, marked truncated when cut). `None` when there was none.
    pub fn to_response(&self) -> Option<Response> {
        let r = self.response.as_ref()?;
        let headers = (r.headers.iter())
            .map(|(name, value)| Header {
                name: name.clone(),
                value: value.clone().into_bytes(),
            })
            .collect();
        let redirects = (r.redirects.iter())
            .map(|h| RedirectHop {
                status: h.status,
                url: h.url.clone(),
                location: h.location.clone(),
                timings: Timings::default(),
                connection: Default::default(),
            })
            .collect();
        Some(Response {
            status: r.status,
            reason: r.reason.clone(),
            version: r.version.clone(),
            headers,
            body: r.body.bytes().unwrap_or_default(),
            wire_size: r.wire_size,
            decoded_size: r.decoded_size,
            truncated: r.truncated || r.body.cut,
            redirects,
            url: r.url.clone(),
            timings: timings_from(&r.timings),
            sent_headers: (self.sent.as_ref())
                .map(|s| s.headers.clone())
                .unwrap_or_default(),
            ..Response::default()
        })
    }

    /// The tests as the scripts' outcome (messages only: history keeps
    /// no console or script positions).
    pub fn outcome(&self) -> Outcome {
        Outcome {
            tests: self.tests.iter().map(test_result).collect(),
            console: Vec::new(),
            errors: Vec::new(),
        }
    }
}

fn test_result(t: &TestOutcome) -> TestResult {
    TestResult {
        name: t.name.clone(),
        passed: t.passed,
        skipped: t.skipped,
        error: t.error.clone(),
        file: std::path::PathBuf::new(),
    }
}

/// The final hop's moments from curl's names (seconds from the start),
/// as `capture::timings_map` wrote them.
fn timings_from(m: &Map<String, Value>) -> Timings {
    let secs = |name: &str| {
        m.get(name)
            .and_then(Value::as_f64)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64)
    };
    let phase = |name: &str| {
        m.get("phases_ms")
            .and_then(|p| p.get(name))
            .is_some_and(|v| !v.is_null())
    };
    let reused = m.get("reused").and_then(Value::as_bool).unwrap_or(false);
    let ms = |name: &str| {
        m.get(name)
            .and_then(Value::as_f64)
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|v| Duration::from_secs_f64(v / 1000.0))
    };
    let total = secs("time_total")
        .or_else(|| ms("total_ms"))
        .unwrap_or_default();
    let ttfb = secs("time_starttransfer")
        .or_else(|| ms("ttfb_ms"))
        .unwrap_or_default();
    Timings {
        start: secs("time_redirect").unwrap_or_default(),
        dns: secs("time_namelookup").filter(|_| phase("dns")),
        connect: secs("time_connect").filter(|_| phase("connect")),
        tls: secs("time_appconnect").filter(|_| phase("tls")),
        sent: secs("time_sent").unwrap_or(ttfb),
        ttfb,
        total,
        reused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::capture::timings_map;

    #[test]
    fn timings_read_back_as_they_were_written() {
        let t = Timings {
            start: Duration::from_millis(0),
            dns: Some(Duration::from_millis(2)),
            connect: Some(Duration::from_millis(5)),
            tls: Some(Duration::from_millis(20)),
            sent: Duration::from_millis(21),
            ttfb: Duration::from_millis(40),
            total: Duration::from_millis(55),
            reused: false,
        };
        assert_eq!(timings_from(&timings_map(&t)), t);
        let reused = Timings {
            sent: Duration::from_millis(1),
            ttfb: Duration::from_millis(3),
            total: Duration::from_millis(4),
            reused: true,
            ..Timings::default()
        };
        assert_eq!(timings_from(&timings_map(&reused)), reused);
    }

    #[test]
    fn nonsense_figures_read_as_zero_not_a_panic() {
        let mut m = Map::new();
        m.insert("time_total".into(), Value::from(-3.0));
        m.insert("time_starttransfer".into(), Value::from("soon"));
        let t = timings_from(&m);
        assert_eq!(t.total, Duration::ZERO);
    }
}
