//! The OTLP exporter's transport: postie's own reqwest 0.12 (the otlp
//! crate's reqwest features would bring in a second reqwest and hyper).

use std::time::Duration;

use opentelemetry_http::{Bytes, HttpClient, HttpError, Request, Response};

/// The collector's answer is a small protobuf; more is not read.
const MAX_ANSWER: usize = 1 << 20;

#[derive(Debug)]
pub(super) struct ReqwestClient(reqwest::Client);

impl ReqwestClient {
    pub(super) fn new(timeout: Duration) -> Result<ReqwestClient, String> {
        reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .build()
            .map(ReqwestClient)
            .map_err(|e| format!("building the OTLP client: {e}"))
    }
}

#[async_trait::async_trait]
impl HttpClient for ReqwestClient {
    async fn send_bytes(&self, request: Request<Bytes>) -> Result<Response<Bytes>, HttpError> {
        let (parts, body) = request.into_parts();
        let answer = self
            .0
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await?;
        let status = answer.status();
        let headers = answer.headers().clone();
        let mut bytes = answer.bytes().await?;
        bytes.truncate(MAX_ANSWER);
        let mut out = Response::new(bytes);
        *out.status_mut() = status;
        *out.headers_mut() = headers;
        Ok(out)
    }
}
