//! A tiny OTLP/HTTP receiver on 127.0.0.1 for the telemetry tests: keeps
//! every POST, and decodes the spans.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value as Any;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;

/// What the receiver got: (path, body) of each POST.
type Posts = Arc<Mutex<Vec<(String, Vec<u8>)>>>;

/// A tiny OTLP/HTTP receiver: every POST body it gets, decoded.
pub struct Receiver {
    port: u16,
    got: Posts,
}

impl Receiver {
    pub fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let store = got.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { return };
                let store = store.clone();
                std::thread::spawn(move || serve(conn, &store));
            }
        });
        Receiver { port, got }
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every span received, with the service name of its resource.
    pub fn spans(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        for (path, body) in self.got.lock().unwrap().iter() {
            assert_eq!(path, "/v1/traces");
            let req = ExportTraceServiceRequest::decode(body.as_slice()).unwrap();
            for rs in req.resource_spans {
                let service = rs
                    .resource
                    .iter()
                    .flat_map(|r| &r.attributes)
                    .find(|kv| kv.key == "service.name")
                    .and_then(|kv| kv.value.as_ref()?.value.clone());
                let service = match service {
                    Some(Any::StringValue(s)) => s,
                    _ => String::new(),
                };
                for ss in rs.scope_spans {
                    for s in ss.spans {
                        out.push((service.clone(), s));
                    }
                }
            }
        }
        out
    }

    /// Every body received, one after another (to search for text that
    /// must not be there).
    pub fn raw(&self) -> Vec<u8> {
        (self.got.lock().unwrap().iter())
            .flat_map(|(_, body)| body.iter().copied())
            .collect()
    }
}

/// HTTP/1.1 requests on one connection: read each, keep its body, answer
/// 200 with an empty (valid) ExportTraceServiceResponse.
fn serve(conn: std::net::TcpStream, store: &Mutex<Vec<(String, Vec<u8>)>>) {
    conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let mut out = conn;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let path = line.split_whitespace().nth(1).unwrap_or("").to_string();
        let mut len = 0usize;
        loop {
            let mut h = String::new();
            if reader.read_line(&mut h).unwrap_or(0) == 0 {
                return;
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            if let Some((n, v)) = h.split_once(':') {
                if n.eq_ignore_ascii_case("content-length") {
                    len = v.trim().parse().unwrap();
                }
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        store.lock().unwrap().push((path, body));
        let answer =
            b"HTTP/1.1 200 OK\r\ncontent-type: application/x-protobuf\r\ncontent-length: 0\r\n\r\n";
        if out.write_all(answer).is_err() {
            return;
        }
    }
}
