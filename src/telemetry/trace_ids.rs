//! W3C trace context ids: a request's trace id and span id, and the
//! `traceparent` header that carries them
//! (<https://www.w3.org/TR/trace-context/#traceparent-header>).

/// The ids of one request's span. When OTLP export is on, these are the
/// exported span's ids, so a server's spans join postie's trace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TraceIds {
    pub trace_id: [u8; 16],
    pub span_id: [u8; 8],
}

/// Random bytes that are not all zero (all-zero ids are invalid).
fn nonzero<const N: usize>() -> [u8; N] {
    loop {
        let mut out = [0u8; N];
        fastrand::fill(&mut out);
        if out.iter().any(|b| *b != 0) {
            return out;
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lowercase hex of exactly `N` bytes, not all zero.
fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let b = s.as_bytes();
    if b.len() != N * 2 || !b.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[i * 2..i * 2 + 2], 16).ok()?;
    }
    out.iter().any(|x| *x != 0).then_some(out)
}

impl TraceIds {
    /// A new trace, and its first span.
    pub fn new_trace() -> TraceIds {
        TraceIds {
            trace_id: nonzero(),
            span_id: nonzero(),
        }
    }

    /// A new span in `trace_id` (a request of a run joins the run's trace).
    pub fn in_trace(trace_id: [u8; 16]) -> TraceIds {
        TraceIds {
            trace_id,
            span_id: nonzero(),
        }
    }

    /// 32 lowercase hex digits, as tracing systems show and search it.
    pub fn trace_hex(&self) -> String {
        hex(&self.trace_id)
    }

    /// 16 lowercase hex digits.
    pub fn span_hex(&self) -> String {
        hex(&self.span_id)
    }

    /// `00-<trace id>-<span id>-01` (version 0, sampled).
    pub fn traceparent(&self) -> String {
        format!("00-{}-{}-01", self.trace_hex(), self.span_hex())
    }

    /// The ids a `traceparent` value carries, if it is well-formed.
    pub fn parse_traceparent(value: &str) -> Option<TraceIds> {
        let mut parts = value.trim().split('-');
        let version = parts.next()?;
        let trace = parts.next()?;
        let span = parts.next()?;
        let flags = parts.next()?;
        // Version ff is invalid; version 00 has exactly four fields.
        if version.len() != 2 || version == "ff" || flags.len() != 2 {
            return None;
        }
        if version == "00" && parts.next().is_some() {
            return None;
        }
        if !version
            .bytes()
            .all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
        {
            return None;
        }
        Some(TraceIds {
            trace_id: unhex(trace)?,
            span_id: unhex(span)?,
        })
    }

    /// From the hex forms kept in records (`trace_hex`, `span_hex`).
    pub fn from_hex(trace: &str, span: &str) -> Option<TraceIds> {
        Some(TraceIds {
            trace_id: unhex(trace)?,
            span_id: unhex(span)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_traceparent_is_well_formed_and_reads_back() {
        let ids = TraceIds::new_trace();
        let header = ids.traceparent();
        assert_eq!(header.len(), 55);
        assert!(header.starts_with("00-") && header.ends_with("-01"));
        assert_eq!(TraceIds::parse_traceparent(&header), Some(ids));
        let child = TraceIds::in_trace(ids.trace_id);
        assert_eq!(child.trace_id, ids.trace_id);
        assert_ne!(child.span_id, ids.span_id);
    }

    #[test]
    fn malformed_traceparents_are_refused() {
        let good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert!(TraceIds::parse_traceparent(good).is_some());
        for bad in [
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-xx",
            "00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
        ] {
            assert_eq!(TraceIds::parse_traceparent(bad), None, "{bad}");
        }
    }
}
