//! postie's own name resolver and a layer around reqwest's connector: both
//! time what they do into the hop's probe, and a failed lookup is a typed
//! error rather than a message to read.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Instant;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use super::timing;

/// A name that did not resolve; found again by `errors::classify`.
#[derive(Debug, thiserror::Error)]
#[error("could not resolve `{host}`: {source}")]
pub(crate) struct LookupFailed {
    pub host: String,
    pub source: std::io::Error,
}

/// The system resolver (getaddrinfo on a blocking thread, as reqwest's own),
/// timed.
#[derive(Debug, Default)]
pub(crate) struct TimedResolver;

impl Resolve for TimedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let probe = timing::current();
        let host = name.as_str().to_string();
        // An address needs no lookup (reqwest asks for https ones too); a
        // blocking-thread getaddrinfo would cost milliseconds for nothing.
        if let Ok(ip) = host.trim_matches(['[', ']']).parse::<std::net::IpAddr>() {
            let addrs: Addrs = Box::new(std::iter::once(SocketAddr::new(ip, 0)));
            return Box::pin(std::future::ready(Ok(addrs)));
        }
        Box::pin(async move {
            // Port 0: the connector puts the URL's port on each address.
            let found = tokio::net::lookup_host((host.clone(), 0)).await;
            let done = Instant::now();
            match found {
                Ok(addrs) => {
                    let addrs: Vec<SocketAddr> = addrs.collect();
                    if let Some(p) = &probe {
                        p.record(|s| s.dns_end = Some(done));
                    }
                    Ok(Box::new(addrs.into_iter()) as Addrs)
                }
                Err(source) => {
                    if let Some(p) = &probe {
                        p.record(|s| s.dns_failed = true);
                    }
                    Err(Box::new(LookupFailed { host, source }) as _)
                }
            }
        })
    }
}

/// Wraps reqwest's connector (lookup, TCP, TLS, proxy) to see when a new
/// connection is asked for and when it is ready. A pooled connection never
/// reaches it, which is how a hop knows it reused one.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TimingLayer;

impl<S> tower_layer::Layer<S> for TimingLayer {
    type Service = Timed<S>;

    fn layer(&self, inner: S) -> Timed<S> {
        Timed { inner }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Timed<S> {
    inner: S,
}

impl<S, R> tower_service::Service<R> for Timed<S>
where
    S: tower_service::Service<R>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: R) -> Self::Future {
        // Taken here, in the hop's task: the connection may finish on
        // another task when a pooled one wins the race.
        let probe = timing::current();
        if let Some(p) = &probe {
            p.record(|s| s.connect_start = Some(Instant::now()));
        }
        let fut = self.inner.call(req);
        Box::pin(async move {
            let out = fut.await;
            if let (Some(p), true) = (&probe, out.is_ok()) {
                let now = Instant::now();
                p.record(|s| s.connect_end = Some(now));
            }
            out
        })
    }
}
