//! The Timing tab: a waterfall (one bar per phase, placed and scaled on the
//! whole exchange's time, a block per redirect hop), then curl's figures,
//! the connection and TLS facts and the sizes. It only reads what the
//! exchange recorded.

use std::time::Duration;

use ratatui::style::{Color, Style};
use ratatui::text::{Line, Span};

use crate::http::{Connection, Sizes, Timings};
use crate::tui::theme::Theme;
use crate::tui::widgets::safe_text::safe_spans;

/// One hop as the tab shows it.
pub struct Hop<'a> {
    pub status: u16,
    pub url: &'a str,
    /// Where a redirect pointed; `None` for the final response.
    pub location: Option<&'a str>,
    pub timings: &'a Timings,
    pub connection: &'a Connection,
}

/// What the tab draws.
pub struct TimingData<'a> {
    /// Redirect hops, then the final response.
    pub hops: Vec<Hop<'a>>,
    pub sizes: &'a Sizes,
    pub wire_size: u64,
    pub decoded_size: u64,
    /// The W3C trace id the request carried (`traceparent`), to find the
    /// call in the server's traces.
    pub trace_id: Option<&'a str>,
}

/// Styles by role; `None` draws plain text (for Copy).
struct Paint<'a>(Option<&'a Theme>);

impl Paint<'_> {
    fn with(&self, f: impl Fn(&Theme) -> Style) -> Style {
        self.0.map_or_else(Style::default, f)
    }
    fn dim(&self) -> Style {
        self.with(Theme::dim)
    }
    fn base(&self) -> Style {
        self.with(Theme::base)
    }
    fn color(&self, pick: impl Fn(&Theme) -> Color) -> Style {
        self.with(|t| t.fg(pick(t)))
    }
    fn text(&self, text: &str, style: Style) -> Vec<Span<'static>> {
        match self.0 {
            Some(t) => safe_spans(text, style, t.escaped()),
            None => vec![Span::raw(crate::safe_text::escape(text, false))],
        }
    }
}

pub fn human(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 10.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// A waterfall row: label, where the bar starts, its length, its colour.
type PhaseRow = (&'static str, Duration, Duration, fn(&Theme) -> Color);

const LABEL: usize = 10;
const FIGURE: usize = 11;

/// The styled lines; `width` sizes the bars.
pub fn lines(data: &TimingData<'_>, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    build(data, &Paint(Some(theme)), width)
}

/// The same lines as text (Copy, and the tab's length).
pub fn plain_lines(data: &TimingData<'_>) -> Vec<String> {
    build(data, &Paint(None), 80)
        .into_iter()
        .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
        .collect()
}

fn build(data: &TimingData<'_>, paint: &Paint<'_>, width: u16) -> Vec<Line<'static>> {
    let Some(last) = data.hops.last() else {
        return Vec::new();
    };
    let total = last.timings.total.as_secs_f64().max(f64::EPSILON);
    let bar_width = usize::from(width)
        .saturating_sub(LABEL + FIGURE + 2)
        .clamp(10, 60);
    let cells = |d: Duration| ((d.as_secs_f64() / total) * bar_width as f64).round() as usize;
    let mut out = Vec::new();
    let many = data.hops.len() > 1;
    for (i, hop) in data.hops.iter().enumerate() {
        if many {
            if i > 0 {
                out.push(Line::default());
            }
            let mut spans = vec![Span::styled(
                hop.status.to_string(),
                paint.with(|t| t.status(hop.status)),
            )];
            spans.push(Span::raw(" "));
            spans.extend(paint.text(hop.url, paint.base()));
            if let Some(to) = hop.location {
                spans.push(Span::styled(" → ", paint.dim()));
                spans.extend(paint.text(to, paint.dim()));
            }
            out.push(Line::from(spans));
        }
        let t = hop.timings;
        let p = t.phases();
        let dns_end = t.dns.unwrap_or(t.start);
        let connect_end = t.connect.unwrap_or(dns_end);
        let ready = t.ready();
        let mut rows: Vec<PhaseRow> = Vec::new();
        if let Some(d) = p.dns {
            rows.push(("dns", t.start, d, |t| t.colors.variable));
        }
        if let Some(d) = p.connect {
            rows.push(("connect", dns_end, d, |t| t.colors.method_post));
        }
        if let Some(d) = p.tls {
            rows.push(("tls", connect_end, d, |t| t.colors.method_put));
        }
        rows.push(("send", ready, p.send, |t| t.colors.accent));
        rows.push(("wait", t.sent, p.wait, |t| t.colors.warning));
        if hop.location.is_none() {
            rows.push(("download", t.ttfb, p.download, |t| t.colors.success));
        }
        if t.reused {
            out.push(Line::from(Span::styled(
                "  (reused connection: no dns, connect or tls)",
                paint.dim(),
            )));
        }
        for (label, at, d, color) in rows {
            let offset = cells(at).min(bar_width);
            let len = cells(d)
                .max(usize::from(!d.is_zero()))
                .min(bar_width - offset);
            out.push(Line::from(vec![
                Span::styled(format!("{label:<LABEL$}"), paint.dim()),
                Span::styled(format!("{:>w$}  ", human(d), w = FIGURE - 2), paint.base()),
                Span::styled(" ".repeat(offset), paint.base()),
                Span::styled("█".repeat(len), paint.color(color)),
                Span::styled("·".repeat(bar_width - offset - len), paint.dim()),
            ]));
        }
    }
    let t = last.timings;
    out.push(Line::from(vec![
        Span::styled(format!("{:<LABEL$}", "total"), paint.dim()),
        Span::styled(
            format!("{:>w$}", human(t.total), w = FIGURE - 2),
            paint.color(|t| t.colors.title),
        ),
    ]));

    if let Some(id) = data.trace_id {
        out.push(Line::from(vec![
            Span::styled(format!("{:<LABEL$}", "trace id"), paint.dim()),
            Span::styled(id.to_string(), paint.color(|t| t.colors.accent)),
        ]));
    }

    // curl's -w names, cumulative from the start.
    out.push(Line::default());
    let https = last.connection.tls.is_some();
    let namelookup = t.dns.unwrap_or(t.start);
    let connect = t.connect.unwrap_or(namelookup);
    let appconnect = if https {
        t.tls.unwrap_or(connect)
    } else {
        Duration::ZERO
    };
    for (name, d) in [
        ("time_namelookup", namelookup),
        ("time_connect", connect),
        ("time_appconnect", appconnect),
        ("time_pretransfer", t.ready()),
        ("time_starttransfer", t.ttfb),
        ("time_total", t.total),
    ] {
        out.push(Line::from(vec![
            Span::styled(format!("{name:<20}"), paint.dim()),
            Span::styled(format!("{:.6}", d.as_secs_f64()), paint.base()),
        ]));
    }

    out.push(Line::default());
    let c = last.connection;
    let fact = |label: &str, value: Vec<Span<'static>>| {
        let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), paint.dim())];
        spans.extend(value);
        Line::from(spans)
    };
    if let Some(addr) = c.remote {
        out.push(fact(
            "remote",
            vec![Span::styled(addr.to_string(), paint.base())],
        ));
    }
    if !c.version.is_empty() {
        out.push(fact(
            "http",
            vec![Span::styled(c.version.clone(), paint.base())],
        ));
    }
    if let Some(tls) = &c.tls {
        out.push(fact(
            "tls",
            paint.text(&format!("{} {}", tls.version, tls.cipher), paint.base()),
        ));
        if let Some(cert) = &tls.certificate {
            out.push(fact("subject", paint.text(&cert.subject, paint.base())));
            out.push(fact("issuer", paint.text(&cert.issuer, paint.base())));
            out.push(fact(
                "names",
                paint.text(&cert.sans.join(", "), paint.base()),
            ));
            out.push(fact(
                "expires",
                paint.text(
                    &format!("{} ({} days)", cert.not_after, cert.days_left),
                    paint.base(),
                ),
            ));
            if let Some(w) = cert.expiry_warning() {
                out.push(fact(
                    "",
                    vec![Span::styled(
                        format!("⚠ {w}"),
                        paint.color(|t| t.colors.warning),
                    )],
                ));
            }
        }
    }
    let s = data.sizes;
    out.push(fact(
        "sent",
        vec![Span::styled(
            format!("{} B headers, {} B body", s.request_headers, s.request_body),
            paint.base(),
        )],
    ));
    out.push(fact(
        "received",
        vec![Span::styled(
            format!(
                "{} B headers, {} B body ({} B decoded)",
                s.response_headers, data.wire_size, data.decoded_size
            ),
            paint.base(),
        )],
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::{CertInfo, TlsInfo};
    use crate::tui::test_util::buffer_text;
    use ratatui::backend::TestBackend;
    use ratatui::widgets::Paragraph;
    use ratatui::Terminal;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn draw(data: &TimingData<'_>, w: u16, h: u16) -> ratatui::buffer::Buffer {
        let theme = Theme::dark();
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| {
            let area = f.area();
            f.render_widget(Paragraph::new(lines(data, &theme, w)), area)
        })
        .unwrap();
        term.backend().buffer().clone()
    }

    #[test]
    fn a_redirect_then_a_tls_request_draws_a_waterfall_per_hop() {
        let first = Timings {
            start: ms(0),
            dns: Some(ms(4)),
            connect: Some(ms(10)),
            tls: None,
            sent: ms(10),
            ttfb: ms(30),
            total: ms(30),
            reused: false,
        };
        let last = Timings {
            start: ms(30),
            dns: Some(ms(32)),
            connect: Some(ms(40)),
            tls: Some(ms(60)),
            sent: ms(61),
            ttfb: ms(90),
            total: ms(100),
            reused: false,
        };
        let plain_conn = Connection {
            remote: Some("127.0.0.1:8080".parse().unwrap()),
            version: "HTTP/1.1".into(),
            tls: None,
        };
        let tls_conn = Connection {
            remote: Some("127.0.0.1:8443".parse().unwrap()),
            version: "HTTP/2".into(),
            tls: Some(TlsInfo {
                version: "TLSv1.3".into(),
                cipher: "TLS13_AES_256_GCM_SHA384".into(),
                certificate: Some(CertInfo {
                    subject: "CN=localhost".into(),
                    issuer: "CN=postie test CA".into(),
                    sans: vec!["localhost".into(), "127.0.0.1".into()],
                    not_before: "2026-01-01T00:00:00Z".into(),
                    not_after: "2026-12-10T00:00:00Z".into(),
                    days_left: 6,
                }),
            }),
        };
        let sizes = Sizes {
            request_headers: 120,
            request_body: 0,
            response_headers: 95,
        };
        let data = TimingData {
            hops: vec![
                Hop {
                    status: 301,
                    url: "http://localhost:8080/old",
                    location: Some("https://localhost:8443/new"),
                    timings: &first,
                    connection: &plain_conn,
                },
                Hop {
                    status: 200,
                    url: "https://localhost:8443/new",
                    location: None,
                    timings: &last,
                    connection: &tls_conn,
                },
            ],
            sizes: &sizes,
            wire_size: 512,
            decoded_size: 2048,
            trace_id: None,
        };
        let buf = draw(&data, 80, 34);
        let text = buffer_text(&buf);
        insta::assert_snapshot!(text);
        // The TLS bar starts where the connect bar ends, in its own colour.
        let row = (0..34)
            .find(|&y| {
                buffer_text(&buf)
                    .lines()
                    .nth(y)
                    .unwrap()
                    .starts_with("tls ")
            })
            .unwrap() as u16;
        let first_cell = (0..80).find(|&x| buf[(x, row)].symbol() == "█").unwrap();
        assert_eq!(buf[(first_cell, row)].fg, Theme::dark().colors.method_put);
        assert_eq!(
            plain_lines(&data).len(),
            lines(&data, &Theme::dark(), 80).len()
        );
    }

    #[test]
    fn a_reused_connection_says_so_and_has_no_connect_rows() {
        let t = Timings {
            sent: ms(0),
            ttfb: ms(5),
            total: ms(6),
            reused: true,
            ..Timings::default()
        };
        let conn = Connection::default();
        let data = TimingData {
            hops: vec![Hop {
                status: 200,
                url: "http://x/",
                location: None,
                timings: &t,
                connection: &conn,
            }],
            sizes: &Sizes::default(),
            wire_size: 0,
            decoded_size: 0,
            trace_id: None,
        };
        let text = plain_lines(&data).join("\n");
        assert!(!text.contains("trace id"), "{text}");
        let data = TimingData {
            trace_id: Some("4bf92f3577b34da6a3ce929d0e0e4736"),
            ..data
        };
        let text = plain_lines(&data).join("\n");
        let shown =
            |l: &str| l.starts_with("trace id") && l.ends_with("4bf92f3577b34da6a3ce929d0e0e4736");
        assert!(text.lines().any(shown), "{text}");
        assert!(text.contains("reused connection"), "{text}");
        assert!(!text.contains("\ndns "), "{text}");
        assert!(!text.contains("\nconnect "), "{text}");
        assert!(text.contains("time_starttransfer  0.005000"), "{text}");
    }
}
