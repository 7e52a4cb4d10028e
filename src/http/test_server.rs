//! Small hyper servers on 127.0.0.1 for the executor's tests, plus helpers
//! to drive an [`Executor`] with a deadline on every wait.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;

use super::{
    BodyTarget, Command, Event, Executor, PreparedBody, PreparedRequest, RequestId, Response,
    SendError, SendSettings,
};

pub type Body = UnsyncBoxBody<Bytes, Infallible>;
pub type Req = hyper::Request<Incoming>;
pub type Resp = hyper::Response<Body>;

/// Every wait in the tests is bounded by this.
pub const DEADLINE: Duration = Duration::from_secs(10);

pub struct TestServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TestServer {
    fn drop(&mut self) {
        // The connection tasks live in a JoinSet inside, so they stop too.
        self.task.abort();
    }
}

impl TestServer {
    /// A server the test started its own way (over TLS, say).
    pub fn from_parts(addr: SocketAddr, task: tokio::task::JoinHandle<()>) -> TestServer {
        TestServer { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

/// Serves HTTP/1.1 and h2c (prior knowledge) with `handler`.
pub async fn serve<F, Fut>(handler: F) -> TestServer
where
    F: Fn(Req) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Resp> + Send + 'static,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let handler = Arc::new(handler);
    let task = tokio::spawn(async move {
        let mut conns = tokio::task::JoinSet::new();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let handler = handler.clone();
            conns.spawn(async move {
                let svc = hyper::service::service_fn(move |req| {
                    let handler = handler.clone();
                    async move { Ok::<_, Infallible>(handler(req).await) }
                });
                let _ = auto::Builder::new(TokioExecutor::new())
                    .serve_connection(TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    TestServer { addr, task }
}

pub fn full(body: impl Into<Bytes>) -> Body {
    Full::new(body.into()).boxed_unsync()
}

/// `count` copies of `chunk`, one every `delay`.
pub fn trickle(chunk: Bytes, count: usize, delay: Duration) -> Body {
    let stream = futures_util::stream::unfold(0usize, move |i| {
        let chunk = chunk.clone();
        async move {
            if i >= count {
                return None;
            }
            tokio::time::sleep(delay).await;
            Some((Ok::<_, Infallible>(Frame::data(chunk)), i + 1))
        }
    });
    StreamBody::new(stream).boxed_unsync()
}

/// The body in chunks of `size`, sent as fast as the client reads.
pub fn chunked(data: Vec<u8>, size: usize) -> Body {
    let data = Bytes::from(data);
    let chunks: Vec<_> = (0..data.len())
        .step_by(size.max(1))
        .map(|i| Ok::<_, Infallible>(Frame::data(data.slice(i..(i + size).min(data.len())))))
        .collect();
    StreamBody::new(futures_util::stream::iter(chunks)).boxed_unsync()
}

pub fn respond(status: u16, headers: &[(&str, &str)], body: Body) -> Resp {
    let mut b = hyper::Response::builder().status(status);
    for (n, v) in headers {
        b = b.header(*n, *v);
    }
    b.body(body).unwrap()
}

pub async fn body_of(req: Req) -> (hyper::http::request::Parts, Bytes) {
    let (parts, body) = req.into_parts();
    (parts, body.collect().await.unwrap().to_bytes())
}

pub fn header_of(parts: &hyper::http::request::Parts, name: &str) -> String {
    parts
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

pub fn get(url: &str) -> PreparedRequest {
    request("GET", url)
}

pub fn request(method: &str, url: &str) -> PreparedRequest {
    PreparedRequest {
        method: method.into(),
        url: url.into(),
        headers: Vec::new(),
        body: PreparedBody::Empty,
        auth: None,
        settings: SendSettings::default(),
    }
}

pub async fn send(
    exec: &mut Executor,
    id: u64,
    req: PreparedRequest,
) -> Result<Response, SendError> {
    send_to(exec, id, req, BodyTarget::Memory).await
}

pub async fn send_to(
    exec: &mut Executor,
    id: u64,
    req: PreparedRequest,
    target: BodyTarget,
) -> Result<Response, SendError> {
    start(exec, id, req, target).await;
    outcome(exec, id).await
}

pub async fn start(exec: &Executor, id: u64, req: PreparedRequest, target: BodyTarget) {
    let cmd = Command::Send {
        id: RequestId(id),
        request: Box::new(req),
        target,
    };
    tokio::time::timeout(DEADLINE, exec.commands.send(cmd))
        .await
        .unwrap()
        .unwrap();
}

/// Waits for the final event of `id`, skipping everything else.
pub async fn outcome(exec: &mut Executor, id: u64) -> Result<Response, SendError> {
    let wait = async {
        loop {
            match exec.events.recv().await.expect("executor ended") {
                Event::Finished { id: i, response } if i == RequestId(id) => return Ok(*response),
                Event::Failed { id: i, error } if i == RequestId(id) => return Err(error),
                _ => {}
            }
        }
    };
    tokio::time::timeout(DEADLINE, wait)
        .await
        .expect("no final event in time")
}
