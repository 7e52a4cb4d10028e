//! `postie echo`: a local HTTP server for examples and tests, so nothing
//! needs the internet.
//!
//! It speaks HTTP/1.1 and HTTP/2 (cleartext, prior knowledge) on the same
//! port. Every request, whatever its method or path, is answered with a JSON
//! description of what arrived, unless the path is one of the routes below.
//!
//! # The echo
//!
//! `200 application/json`, pretty-printed:
//!
//! | field          | meaning                                                        |
//! |----------------|----------------------------------------------------------------|
//! | `method`       | request method                                                 |
//! | `url`          | path and query as received                                     |
//! | `path`         | path only                                                      |
//! | `query`        | `[[name, value], …]` decoded, in order, repeats kept           |
//! | `http_version` | `HTTP/1.0`, `HTTP/1.1` or `HTTP/2`                              |
//! | `headers`      | `[[name, value], …]` lowercase names, repeats kept (grouped by name, in order of first appearance) |
//! | `body`         | the body when it is UTF-8 text (absent when empty)              |
//! | `body_base64`  | the body when it is not UTF-8                                  |
//! | `body_size`    | body length in bytes                                           |
//! | `json`         | parsed body, for `application/json` / `*+json` that parses      |
//! | `form`         | `[[name, value], …]` for `application/x-www-form-urlencoded`    |
//! | `multipart`    | one object per part for `multipart/form-data`: `name`, and `filename`, `content_type`, `size`, `sha256` for files; `value` when UTF-8 and ≤ 64 KiB (`value_base64` for small binary fields) |
//! | `notes`        | present when something was shown lossily (non-UTF-8 header)     |
//!
//! Bodies over 64 MiB get `413`; a malformed multipart body gets `400`.
//! Errors are always JSON: `{"error": "…"}`.
//!
//! # Routes
//!
//! Every route accepts any method. A path that does not have the shape of a
//! route (say `/status` or `/bytes/1/2`) is simply echoed; a route with a bad
//! parameter (say `/bytes/abc`) answers `400`.
//!
//! | route | answer |
//! |-------|--------|
//! | `/get` (and anything else) | the echo |
//! | `/status/{code}` | that status (200..=599) with `{"status", "echo"}`; no body for 204, 205, 304; 1xx → 400 |
//! | `/redirect/{n}` | 302 to `/redirect/{n-1}`, …, `/redirect/1` → `/get`; `?absolute=true` for absolute URLs |
//! | `/redirect-to?url=X&status=S` | `S` (301, 302 default, 303, 307, 308) with `Location: X` |
//! | `/delay/{n}?ms=M` | the echo after `n` seconds (fractions allowed, as in httpbin) plus `M` milliseconds; capped at 10 s |
//! | `/bytes/{n}?seed=S` | `n` (≤ 1 GiB) seeded pseudo-random bytes, streamed, with `Content-Length` |
//! | `/drip?bytes=N&duration_ms=D` | `N` bytes of `*` (default 10) spread over `D` ms (default 2000, ≤ 60 000) |
//! | `/json/{n}` | a JSON array of user records, at most `n` (≤ 1 GiB) bytes and close to it, streamed |
//! | `/gzip`, `/deflate`, `/brotli`, `/zstd` | the echo with that `Content-Encoding` (`deflate` is zlib-wrapped, brotli is `br`) |
//! | `/gzip-bomb?size=N` | `Content-Encoding: gzip` stream of `N` zero bytes (default 1 GiB), compressed on the fly |
//! | `/basic-auth/{user}/{pass}` | 200 `{"authenticated": true, "user"}` with matching Basic credentials, else 401 + `WWW-Authenticate: Basic realm="postie"` |
//! | `/bearer` | 200 `{"authenticated": true, "token"}` with a non-empty Bearer token, else 401 |
//! | `/digest-auth/{qop}/{user}/{pass}[/{algorithm}]` | RFC 7616 Digest; `qop` is `auth` or `auth-int`, algorithm `MD5` (default), `SHA-256` or their `-sess` forms; nonces expire after 5 minutes (`stale=true`) |
//! | `/cookies` | `{"cookies": {name: value}}` from the `Cookie` header |
//! | `/cookies/set?name=value&…` | `Set-Cookie: name=value; Path=/` for each pair, 302 to `/cookies` |
//! | `/cookies/delete?name&…` | expires those cookies, 302 to `/cookies` |
//! | `/headers` | `{"headers": [[name, value], …]}` |
//! | `/response-headers?Name=Value&…` | the echo, plus those response headers (percent-decoded bytes, repeats kept; replaces the echo's own header of that name; `Content-Length`/`Transfer-Encoding` refused) |
//! | `/html`, `/xml` | a small document of that type |
//!
//! Use [`serve`] inside an existing runtime, or [`spawn_background`] for a
//! server on its own thread (sync tests, the CLI's `echo` command).

mod auth;
mod compress;
mod describe;
mod params;
mod reply;
mod router;
mod streams;
#[cfg(test)]
mod tests;

use std::convert::Infallible;
use std::io;
use std::net::SocketAddr;
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Serves the echo on `listener` until the future is dropped, one task per
/// connection. Returns only on an accept error that cannot go away by
/// itself (an unusable socket); per-connection errors are dropped.
pub async fn serve(listener: TcpListener) -> io::Result<()> {
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .keep_alive(true)
        .timer(TokioTimer::new())
        // Slow clients may not pin a connection forever.
        .header_read_timeout(Duration::from_secs(30));
    builder.http2().timer(TokioTimer::new());
    let builder = std::sync::Arc::new(builder);

    let mut backoff = Duration::from_millis(5);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => {
                backoff = Duration::from_millis(5);
                stream
            }
            Err(err) if is_fatal(&err) => return Err(err),
            Err(_) => {
                // Out of file descriptors, aborted handshake…: wait and retry.
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(1));
                continue;
            }
        };
        // Small JSON replies should not wait for Nagle.
        let _ = stream.set_nodelay(true);
        let builder = builder.clone();
        tokio::spawn(async move {
            let service =
                service_fn(|req| async move { Ok::<_, Infallible>(router::handle(req).await) });
            // A connection error is the client's business (reset, bad
            // framing); the server carries on.
            let _ = builder
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn is_fatal(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported | io::ErrorKind::NotConnected
    )
}

/// An echo server running on its own thread and tokio runtime. Dropping it
/// stops the server and waits for the thread, so the port is free afterwards.
#[derive(Debug)]
pub struct EchoServer {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl EchoServer {
    /// The bound address (the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://{addr}{path}`; a missing leading `/` is added.
    pub fn url(&self, path: &str) -> String {
        let slash = if path.starts_with('/') { "" } else { "/" };
        format!("http://{}{slash}{path}", self.addr)
    }
}

impl Drop for EchoServer {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Binds `addr` now (so bind errors are returned here) and serves on a new
/// thread with its own runtime until the returned [`EchoServer`] is dropped.
pub fn spawn_background(addr: SocketAddr) -> io::Result<EchoServer> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();

    let thread = std::thread::Builder::new()
        .name(format!("postie-echo-{}", addr.port()))
        .spawn(move || {
            // The runtime is built and dropped on this thread: dropping a
            // runtime inside the caller's async context would panic.
            let runtime = match tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name("postie-echo-worker")
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime,
                Err(err) => {
                    let _ = ready_tx.send(Err(err));
                    return;
                }
            };
            runtime.block_on(async move {
                let listener = match TcpListener::from_std(std_listener) {
                    Ok(listener) => listener,
                    Err(err) => {
                        let _ = ready_tx.send(Err(err));
                        return;
                    }
                };
                let _ = ready_tx.send(Ok(()));
                tokio::select! {
                    _ = serve(listener) => {}
                    _ = shutdown_rx => {}
                }
            });
            // Connection tasks are cancelled at their next await; don't let a
            // stuck one hold up the drop.
            runtime.shutdown_timeout(Duration::from_secs(1));
        })?;

    match ready_rx.recv() {
        Ok(Ok(())) => Ok(EchoServer {
            addr,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        }),
        Ok(Err(err)) => {
            let _ = thread.join();
            Err(err)
        }
        Err(_) => {
            let _ = thread.join();
            Err(io::Error::other("echo server thread exited during startup"))
        }
    }
}
