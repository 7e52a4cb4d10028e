//! The probe of one hop: the resolver, the connector layer and the TLS hooks
//! write the moments they see into the probe of the hop whose task they run
//! in (a task-local), so requests in flight at once never mix their figures.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::{CertInfo, Connection, Sizes, Timings, TlsProblem};

tokio::task_local! {
    static PROBE: Arc<Probe>;
}

/// What the hooks saw during one hop.
#[derive(Debug, Default, Clone)]
pub(crate) struct Seen {
    /// The connector was asked for a new connection.
    pub connect_start: Option<Instant>,
    pub dns_end: Option<Instant>,
    /// TCP connected: rustls starts its ClientHello.
    pub tcp_end: Option<Instant>,
    /// The connector handed over a ready connection.
    pub connect_end: Option<Instant>,
    /// The last request body byte went to the connection.
    pub body_end: Option<Instant>,
    /// TLS version and cipher suite, from the keys rustls installed.
    pub tls_version: Option<&'static str>,
    pub cipher: Option<String>,
    pub certificate: Option<CertInfo>,
    /// The verifier's verdict when it refused the certificate.
    pub tls_problem: Option<TlsProblem>,
    /// Why the name lookup failed.
    pub dns_failed: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Probe {
    seen: Mutex<Seen>,
}

impl Probe {
    pub(crate) fn record(&self, f: impl FnOnce(&mut Seen)) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut seen);
    }

    pub(crate) fn seen(&self) -> Seen {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The probe of the hop running in this task, if any.
pub(crate) fn current() -> Option<Arc<Probe>> {
    PROBE.try_with(Arc::clone).ok()
}

/// What the current probe has seen so far (nothing outside a hop).
pub(crate) fn seen_now() -> Seen {
    current().map(|p| p.seen()).unwrap_or_default()
}

/// Records into the current probe, if any (a hook outside a hop does nothing).
pub(crate) fn record(f: impl FnOnce(&mut Seen)) {
    if let Some(p) = current() {
        p.record(f);
    }
}

/// Runs `fut` (one hop's send) with `probe` as the task's probe.
pub(crate) async fn scope<F: std::future::Future>(probe: Arc<Probe>, fut: F) -> F::Output {
    PROBE.scope(probe, fut).await
}

/// A hop's figures from what its probe saw. `start` is the send's start,
/// `hop_start` this hop's, `head` when the response head arrived.
pub(crate) fn timings(start: Instant, hop_start: Instant, seen: &Seen, head: Instant) -> Timings {
    let at = |i: Instant| i.saturating_duration_since(start);
    let opt = |i: Option<Instant>| i.map(at);
    // Only a connection made during this hop counts; one still opening from
    // an earlier race, finished before the hop began, does not.
    let fresh = seen.connect_end.is_some_and(|e| e >= hop_start);
    let (dns, connect, tls) = if fresh {
        let tls_version = seen.tls_version.is_some() || seen.tcp_end.is_some();
        if tls_version {
            (opt(seen.dns_end), opt(seen.tcp_end), opt(seen.connect_end))
        } else {
            (opt(seen.dns_end), opt(seen.connect_end), None)
        }
    } else {
        (None, None, None)
    };
    let ready = tls.or(connect).or(dns).unwrap_or(at(hop_start));
    // Without a body the headers go out the moment the connection is ready.
    let sent = opt(seen.body_end).map_or(ready, |b| b.max(ready));
    let ttfb = at(head).max(sent);
    Timings {
        start: at(hop_start),
        dns,
        connect,
        tls,
        sent,
        ttfb,
        total: ttfb,
        reused: !fresh,
    }
}

/// A request body that notes in the hop's probe when its last byte was
/// taken by the connection (the moment the request is sent).
pub(crate) struct WatchedBody<B> {
    inner: B,
    probe: Arc<Probe>,
}

impl<B> WatchedBody<B> {
    pub(crate) fn new(inner: B, probe: Arc<Probe>) -> WatchedBody<B> {
        WatchedBody { inner, probe }
    }
}

impl<B> http_body::Body for WatchedBody<B>
where
    B: http_body::Body + Unpin,
{
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<B::Data>, B::Error>>> {
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        let ended = match &polled {
            std::task::Poll::Ready(None) => true,
            std::task::Poll::Ready(Some(Ok(_))) => self.inner.is_end_stream(),
            _ => false,
        };
        if ended {
            let now = Instant::now();
            self.probe.record(|s| {
                s.body_end.get_or_insert(now);
            });
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A duration as curl's `-w` prints it: seconds with six decimals.
pub fn curl_seconds(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e6
}

/// A hop's figures under curl's `-w` names, in seconds from the start of the
/// send (cumulative, as curl's), plus each phase's own length in ms.
/// `time_appconnect` is 0 without TLS, as curl prints it.
pub fn curl_figures(t: &Timings, https: bool) -> Value {
    let namelookup = t.dns.unwrap_or(t.start);
    let connect = t.connect.unwrap_or(namelookup);
    let appconnect = if https {
        curl_seconds(t.tls.unwrap_or(connect))
    } else {
        0.0
    };
    let p = t.phases();
    let ms = |d: Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
    json!({
        "time_redirect": curl_seconds(t.start),
        "time_namelookup": curl_seconds(namelookup),
        "time_connect": curl_seconds(connect),
        "time_appconnect": appconnect,
        "time_pretransfer": curl_seconds(t.ready()),
        "time_sent": curl_seconds(t.sent),
        "time_starttransfer": curl_seconds(t.ttfb),
        "time_total": curl_seconds(t.total),
        "num_connects": u8::from(!t.reused),
        "reused": t.reused,
        "phases_ms": {
            "dns": p.dns.map(ms),
            "connect": p.connect.map(ms),
            "tls": p.tls.map(ms),
            "send": ms(p.send),
            "wait": ms(p.wait),
            "download": ms(p.download),
        },
    })
}

/// The connection facts as JSON (`remote_ip`/`remote_port` as curl names
/// them).
pub fn connection_json(c: &Connection) -> Value {
    let tls = c.tls.as_ref().map(|t| {
        let cert = t.certificate.as_ref().map(|c| {
            json!({
                "subject": c.subject,
                "issuer": c.issuer,
                "sans": c.sans,
                "not_before": c.not_before,
                "not_after": c.not_after,
                "days_left": c.days_left,
                "warning": c.expiry_warning(),
            })
        });
        json!({ "version": t.version, "cipher": t.cipher, "certificate": cert })
    });
    json!({
        "remote_ip": c.remote.map(|a| a.ip().to_string()),
        "remote_port": c.remote.map(|a| a.port()),
        "http_version": c.version,
        "tls": tls,
    })
}

/// Sizes under curl's names: `size_request` and `size_header` are the
/// request's and the response's headers, `size_upload` the request body,
/// `size_download` the response body as received, `size_decoded` after
/// content decoding.
pub fn sizes_json(s: &Sizes, wire: u64, decoded: u64) -> Value {
    json!({
        "size_request": s.request_headers,
        "size_upload": s.request_body,
        "size_header": s.response_headers,
        "size_download": wire,
        "size_decoded": decoded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_tls_connection_orders_its_phases() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let seen = Seen {
            connect_start: Some(ms(1)),
            dns_end: Some(ms(2)),
            tcp_end: Some(ms(4)),
            connect_end: Some(ms(9)),
            body_end: Some(ms(10)),
            tls_version: Some("TLSv1.3"),
            ..Seen::default()
        };
        let t = timings(t0, ms(1), &seen, ms(15));
        assert_eq!(t.dns, Some(Duration::from_millis(2)));
        assert_eq!(t.connect, Some(Duration::from_millis(4)));
        assert_eq!(t.tls, Some(Duration::from_millis(9)));
        assert_eq!(t.sent, Duration::from_millis(10));
        assert_eq!(t.ttfb, Duration::from_millis(15));
        assert!(!t.reused);
        let p = t.phases();
        assert_eq!(p.dns, Some(Duration::from_millis(1)));
        assert_eq!(p.tls, Some(Duration::from_millis(5)));
        assert_eq!(p.wait, Duration::from_millis(5));
    }

    #[test]
    fn no_connection_in_the_hop_means_reused() {
        let t0 = Instant::now();
        let t = timings(t0, t0, &Seen::default(), t0 + Duration::from_millis(3));
        assert!(t.reused);
        assert_eq!((t.dns, t.connect, t.tls), (None, None, None));
        assert_eq!(t.sent, Duration::ZERO);
    }
}
