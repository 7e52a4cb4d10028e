//! `postie echo`: a local HTTP server for examples and tests, so nothing
//! needs the internet.
//!
//! It speaks HTTP/1.1 and HTTP/2 (cleartext, prior knowledge) on the same
//! port. It answers postman-echo.com's routes in postman-echo's shapes, so
//! collections written against postman-echo run offline with only the host
//! swapped; postie's own echo answers everywhere else (`/`, `/anything…`,
//! any other path) and on the httpbin-style routes postman-echo lacks.
//! [`newman`] has the two small servers newman's own tests start.
//!
//! # postman-echo's routes
//!
//! JSON replies are compact, `application/json; charset=utf-8`. Echoed
//! headers are an object as node holds them: lower-case names; a repeated
//! header's values joined with `, ` (`; ` for `cookie`), or its first value
//! for headers node keeps single (`host`, `content-type`, …). Proxy headers
//! (`x-forwarded-for`, `cf-*`, …) are left out. `url` is the URL as
//! received, `http://{Host}{target}` byte for byte; `X-Postman-Echo-Original-Url`
//! (or `-Protocol`, `-Host`) overrides it. `args` are the decoded query
//! pairs; a repeated key becomes an array. Paths match with or without a
//! trailing slash; every method is answered.
//!
//! | route | answer |
//! |-------|--------|
//! | `/get` | `{"args", "headers", "url"}`; `HEAD` → 200 empty; `OPTIONS` → `GET,HEAD` (and `Allow`) |
//! | `/post`, `/put`, `/patch`, `/delete` | `{"args", "data", "files", "form", "headers", "json", "url"}`: empty body → `"data": {}`; urlencoded → `form` (and `json`), `"data": ""`; multipart → text parts in `form`, file parts in `files` as `data:application/octet-stream;base64,…` keyed by file name; JSON → `data` and `json` parsed; other text → `data`; non-UTF-8 → `data` as a data URL |
//! | `/headers` | `{"headers"}` |
//! | `/response-headers?K=V&…` | each pair as a response header (replacing the reply's own; `Content-Type` tidied as Express does) and the pairs as a JSON object; `Content-Length`/`Transfer-Encoding` refused |
//! | `/status/{code}` | that status (200..=599) with `{"status", "echo"}` (postie's echo added); no body for 204, 205, 304; 1xx → 400 |
//! | `/delay/{n}?ms=M` | `{"delay": "n"}` after `n` seconds (fractions allowed) plus `M` milliseconds; capped at 10 s |
//! | `/cookies` | `{"cookies": {name: value}}` from the `Cookie` header, values URI-decoded |
//! | `/cookies/set?name=value&…` | `Set-Cookie: name=value; Path=/` (value URI-encoded) for each pair, 302 to `/cookies` |
//! | `/cookies/delete?name&…` | expires those cookies and answers `{"cookies"}` without them (no redirect: a client following one would resend the old `Cookie` header) |
//! | `/basic-auth` | 200 `{"authenticated": true}` for `postman:password`, else 401 |
//! | `/digest-auth` | MD5 Digest for postman/password, realm `Users`, with qop `auth` or without qop; any nonce; 401 with a challenge otherwise |
//! | `/oauth1` | OAuth 1.0a (HMAC-SHA1/-SHA256/-SHA512, PLAINTEXT) with consumer key `RKCGzna7bv9YD57c`, secret `D+EdQ-gs$-%@2Nu7`, empty token secret: 200 `{"status": "pass", "message"}`, else 401 `{"status": "fail", …}` with the base string |
//! | `/auth/hawk` | Hawk sha256, id `dh37fgj492je`, key `werxhqb98rpaxn39848xrunpaw3489ruxnpa98w4rxn`: 200 `{"message": "Hawk Authentication Successful"}`, else 401 |
//! | `/oauth2/token` | `{"access_token", "token_type": "Bearer", …}` |
//! | `/oauth2/user/info` | with any Bearer token `{"user_id", "name"}`, else 401 |
//! | `/gzip`, `/deflate` | `{"gzipped": true, "headers", "method"}` / `{"deflated": true, …}`, compressed (`deflate` is zlib-wrapped) |
//! | `/stream/{n}` | `n` (≤ 100) JSON lines `{"args", "headers", "url", "id"}`, chunked |
//! | `/encoding/utf8` | a UTF-8 HTML page in many scripts |
//! | `/type/html`, `/type/xml` | newman's pinned bodies, `application/html` / `application/xml; charset=utf-8` |
//! | `/redirect-to?url=X&status=S` | `S` (`status_code` too; 301, 302 default, 303, 307, 308) with `Location: X` |
//!
//! # postie's echo
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
//! Bodies over 64 MiB get `413`; a malformed multipart body gets `400` (the
//! postman-echo routes echo it as text instead). Errors are JSON:
//! `{"error": "…"}`.
//!
//! # postie's routes
//!
//! Every route accepts any method. A path that does not have the shape of a
//! route (say `/bytes/1/2`) is simply echoed; a route with a bad parameter
//! (say `/bytes/abc`) answers `400`.
//!
//! | route | answer |
//! |-------|--------|
//! | `/`, `/anything…`, any path not listed | the echo |
//! | `/redirect/{n}` | 302 to `/redirect/{n-1}`, …, `/redirect/1` → `/get`; `?absolute=true` for absolute URLs |
//! | `/bytes/{n}?seed=S` | `n` (≤ 1 GiB) seeded pseudo-random bytes, streamed, with `Content-Length` |
//! | `/drip?bytes=N&duration_ms=D` | `N` bytes of `*` (default 10) spread over `D` ms (default 2000, ≤ 60 000) |
//! | `/json/{n}` | a JSON array of user records, at most `n` (≤ 1 GiB) bytes and close to it, streamed |
//! | `/brotli`, `/zstd` | the echo with that `Content-Encoding` (`br`, `zstd`) |
//! | `/gzip-bomb?size=N` | `Content-Encoding: gzip` stream of `N` zero bytes (default 1 GiB), compressed on the fly |
//! | `/basic-auth/{user}/{pass}` | 200 `{"authenticated": true, "user"}` with matching Basic credentials, else 401 + `WWW-Authenticate: Basic realm="postie"` |
//! | `/bearer` | 200 `{"authenticated": true, "token"}` with a non-empty Bearer token, else 401 |
//! | `/digest-auth/{qop}/{user}/{pass}[/{algorithm}]` | RFC 7616 Digest; `qop` is `auth` or `auth-int`, algorithm `MD5` (default), `SHA-256` or their `-sess` forms; nonces expire after 5 minutes (`stale=true`) |
//! | `/html`, `/xml` | a small document of that type |
//!
//! Use [`serve`] inside an existing runtime, or [`spawn_background`] for a
//! server on its own thread (sync tests, the CLI's `echo` command);
//! [`spawn_raw_background`] and [`spawn_redirect_background`] do the same
//! for newman's servers.

mod auth;
mod compress;
mod describe;
pub mod newman;
mod params;
mod postman;
mod postman_auth;
#[cfg(test)]
mod postman_tests;
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
use tokio::net::{TcpListener, TcpStream};
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

    let mut backoff = Backoff::default();
    loop {
        let stream = next_connection(&listener, &mut backoff).await?;
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

/// How long to wait before accepting again after a transient error.
struct Backoff(Duration);

impl Default for Backoff {
    fn default() -> Self {
        Self(Duration::from_millis(5))
    }
}

/// The next connection on `listener`. Transient accept errors (out of file
/// descriptors, an aborted handshake) are waited out with a growing pause;
/// an error that cannot go away by itself (an unusable socket) is returned.
async fn next_connection(listener: &TcpListener, backoff: &mut Backoff) -> io::Result<TcpStream> {
    loop {
        match listener.accept().await {
            Ok((stream, _peer)) => {
                *backoff = Backoff::default();
                return Ok(stream);
            }
            Err(err) if is_fatal(&err) => return Err(err),
            Err(_) => {
                tokio::time::sleep(backoff.0).await;
                backoff.0 = (backoff.0 * 2).min(Duration::from_secs(1));
            }
        }
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
    spawn_server(addr, "echo", serve)
}

/// [`spawn_background`] for newman's raw echo ([`newman::serve_raw`]).
pub fn spawn_raw_background(addr: SocketAddr) -> io::Result<EchoServer> {
    spawn_server(addr, "raw", newman::serve_raw)
}

/// [`spawn_background`] for newman's redirect server
/// ([`newman::serve_redirect`]).
pub fn spawn_redirect_background(addr: SocketAddr) -> io::Result<EchoServer> {
    spawn_server(addr, "redirect", newman::serve_redirect)
}

fn spawn_server<F, Fut>(addr: SocketAddr, name: &str, serve: F) -> io::Result<EchoServer>
where
    F: FnOnce(TcpListener) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = io::Result<()>>,
{
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let (shutdown_tx, shutdown_rx) = oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();

    let thread = std::thread::Builder::new()
        .name(format!("postie-{name}-{}", addr.port()))
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
