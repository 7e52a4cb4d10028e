//! Sending spans to an OTLP/HTTP collector: batches go out on the tokio
//! runtime as a run goes (memory stays flat on long runs), and
//! [`Exporter::finish`] waits for the last of them, bounded: a dead
//! collector costs at most the export timeout, and comes back as one
//! error for the caller to show as a warning.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opentelemetry_otlp::{WithExportConfig, WithHttpConfig};
use opentelemetry_sdk::trace::{SpanData, SpanExporter as _};
use tokio::task::JoinHandle;

use super::config::OtlpConfig;
use super::http_client::ReqwestClient;

/// Spans sent in one request to the collector.
const BATCH: usize = 512;

type Pending = JoinHandle<Result<usize, String>>;

/// An open export. Cheap to share (`Arc`) with a run's exchange tap.
pub struct Exporter {
    inner: Arc<opentelemetry_otlp::SpanExporter>,
    runtime: tokio::runtime::Handle,
    timeout: Duration,
    queued: Mutex<Vec<SpanData>>,
    in_flight: Mutex<Vec<Pending>>,
}

impl std::fmt::Debug for Exporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Exporter")
    }
}

impl Exporter {
    /// An exporter to `config`'s collector, sending on the current tokio
    /// runtime. Nothing is sent until spans are added.
    pub fn start(config: &OtlpConfig) -> Result<Exporter, String> {
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| "telemetry needs a tokio runtime".to_string())?;
        let client = ReqwestClient::new(config.timeout)?;
        let headers: HashMap<String, String> = config.headers.iter().cloned().collect();
        let mut inner = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_http_client(client)
            .with_endpoint(config.traces_url.clone())
            .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
            .with_timeout(config.timeout)
            .with_headers(headers)
            // One attempt: a retry would only stretch the wait on a dead
            // collector (and back off on a blocking sleep outside tokio).
            .with_retry_policy(opentelemetry_otlp::RetryPolicy::disabled())
            .build()
            .map_err(|e| e.to_string())?;
        let resource = opentelemetry_sdk::Resource::builder()
            .with_service_name(config.service_name.clone())
            .build();
        inner.set_resource(&resource);
        Ok(Exporter {
            inner: Arc::new(inner),
            runtime,
            timeout: config.timeout,
            queued: Mutex::new(Vec::new()),
            in_flight: Mutex::new(Vec::new()),
        })
    }

    /// Queues `spans`; a full batch goes out at once, in the background.
    pub fn add(&self, spans: Vec<SpanData>) {
        let batch = match self.queued.lock() {
            Ok(mut q) => {
                q.extend(spans);
                if q.len() < BATCH {
                    return;
                }
                std::mem::take(&mut *q)
            }
            Err(_) => return,
        };
        let task = self
            .runtime
            .spawn(send(self.inner.clone(), batch, self.timeout));
        if let Ok(mut f) = self.in_flight.lock() {
            f.push(task);
        }
    }

    /// Sends what is queued and waits for every batch: the number of spans
    /// the collector took, or the first error. Never waits much longer
    /// than the export timeout.
    pub async fn finish(&self) -> Result<usize, String> {
        let rest = self.queued.lock().map(|mut q| std::mem::take(&mut *q));
        let mut tasks = self
            .in_flight
            .lock()
            .map(|mut f| std::mem::take(&mut *f))
            .unwrap_or_default();
        if let Ok(rest) = rest {
            if !rest.is_empty() {
                tasks.push(
                    self.runtime
                        .spawn(send(self.inner.clone(), rest, self.timeout)),
                );
            }
        }
        let deadline = tokio::time::Instant::now() + self.timeout + Duration::from_millis(500);
        let mut sent = 0;
        let mut first_error = None;
        for task in tasks {
            let result = match tokio::time::timeout_at(deadline, task).await {
                Ok(Ok(r)) => r,
                Ok(Err(e)) => Err(format!("export task failed: {e}")),
                Err(_) => Err(format!(
                    "the collector did not answer within {:?}",
                    self.timeout
                )),
            };
            match result {
                Ok(n) => sent += n,
                Err(e) => {
                    tracing::warn!(target: "postie::telemetry", error = %e, "span export failed");
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => {
                tracing::debug!(target: "postie::telemetry", spans = sent, "spans exported");
                Ok(sent)
            }
        }
    }
}

async fn send(
    exporter: Arc<opentelemetry_otlp::SpanExporter>,
    batch: Vec<SpanData>,
    timeout: Duration,
) -> Result<usize, String> {
    let n = batch.len();
    match tokio::time::timeout(timeout, exporter.export(batch)).await {
        Ok(Ok(())) => Ok(n),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("the collector did not answer within {timeout:?}")),
    }
}
