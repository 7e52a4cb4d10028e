//! Telemetry out: W3C trace context on requests, OTLP traces of `send` and
//! `run` built from their exchange records, and `tracing` logs to a file.
//! Core code: no UI types, nothing printed (warnings are returned).
//!
//! Spans are made after the fact from [`Exchange`](crate::exchange::Exchange)
//! records (their real start and end times), not by instrumenting the
//! executor, so exporting costs nothing while requests are in flight and
//! nothing at all when it is off.

pub mod config;
pub mod export;
mod http_client;
pub mod logs;
pub mod spans;
mod trace_ids;

pub use config::{OtlpConfig, Protocol};
pub use export::Exporter;
pub use trace_ids::TraceIds;

/// How a send takes part in a trace.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceOptions {
    /// Send a `traceparent` header (`--traceparent`); the workspace's
    /// `telemetry.traceparent` turns it on too.
    pub header: bool,
    /// Give the exchange trace ids even without the header (OTLP export
    /// needs them for its spans).
    pub ids: bool,
    /// The trace the request's span joins (a run's); `None`: a new trace.
    pub trace_id: Option<[u8; 16]>,
}

impl TraceOptions {
    /// Fresh ids for one request's span.
    pub fn ids_for_request(&self) -> TraceIds {
        match self.trace_id {
            Some(t) => TraceIds::in_trace(t),
            None => TraceIds::new_trace(),
        }
    }
}

/// Adds `traceparent: 00-<trace>-<span>-01` to `headers`, and gives back
/// the ids the request carries: a `traceparent` the request sets itself
/// wins when well-formed (its trace is what the server joins).
pub fn add_traceparent(headers: &mut Vec<(String, String)>, ids: TraceIds) -> TraceIds {
    let own = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("traceparent"));
    match own {
        Some((_, v)) => TraceIds::parse_traceparent(v).unwrap_or(ids),
        None => {
            headers.push(("traceparent".to_string(), ids.traceparent()));
            ids
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_traceparent_is_added_once_and_the_requests_own_wins() {
        let ids = TraceIds::new_trace();
        let mut headers = vec![("Accept".to_string(), "*/*".to_string())];
        assert_eq!(add_traceparent(&mut headers, ids), ids);
        assert_eq!(headers[1], ("traceparent".into(), ids.traceparent()));

        let theirs = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        let mut headers = vec![("TraceParent".to_string(), theirs.to_string())];
        let got = add_traceparent(&mut headers, ids);
        assert_eq!(got.trace_hex(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(headers.len(), 1);
    }
}
