//! Reads a response body as it streams: content decoding, the size cap and
//! the body target. We decode ourselves (reqwest's decoding is off) so the
//! wire size is known and a decompression bomb stops at the cap.

use std::io::{self, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use async_compression::tokio::bufread::{
    BrotliDecoder, DeflateDecoder, GzipDecoder, ZlibDecoder, ZstdDecoder,
};
use bytes::{Buf, Bytes};
use futures_util::stream::{BoxStream, StreamExt};
use tokio::io::{AsyncBufRead, AsyncRead, AsyncReadExt, BufReader, ReadBuf};

use super::errors::classify_body;
use super::{BodyTarget, SendError};

type BoxRead = Pin<Box<dyn AsyncBufRead + Send>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Coding {
    Gzip,
    Deflate,
    Brotli,
    Zstd,
}

/// The codings to undo, outermost (last applied) first. `None` when one of
/// them is unknown: then the body is passed on as received.
fn codings(header: &str) -> Option<Vec<Coding>> {
    let mut out = Vec::new();
    for name in header.split(',').map(|s| s.trim().to_ascii_lowercase()) {
        match name.as_str() {
            "" | "identity" => {}
            "gzip" | "x-gzip" => out.push(Coding::Gzip),
            "deflate" => out.push(Coding::Deflate),
            "br" => out.push(Coding::Brotli),
            "zstd" => out.push(Coding::Zstd),
            _ => return None,
        }
    }
    out.reverse();
    Some(out)
}

pub(crate) struct Body {
    pub body: Vec<u8>,
    pub wire_size: u64,
    pub decoded_size: u64,
    pub truncated: bool,
}

/// Marks errors that came from the connection rather than a decoder.
#[derive(Debug)]
struct WireError(reqwest::Error);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for WireError {}

/// Adapts a stream of chunks to `AsyncBufRead` (tokio-util's StreamReader,
/// which is not a dependency here).
struct StreamReader {
    stream: BoxStream<'static, io::Result<Bytes>>,
    chunk: Bytes,
    done: bool,
}

impl AsyncBufRead for StreamReader {
    fn poll_fill_buf(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let this = self.get_mut();
        while this.chunk.is_empty() && !this.done {
            match ready!(this.stream.as_mut().poll_next(cx)) {
                Some(Ok(b)) => this.chunk = b,
                Some(Err(e)) => return Poll::Ready(Err(e)),
                None => this.done = true,
            }
        }
        Poll::Ready(Ok(&this.chunk[..]))
    }

    fn consume(self: Pin<&mut Self>, amt: usize) {
        let this = self.get_mut();
        this.chunk.advance(amt.min(this.chunk.len()));
    }
}

impl AsyncRead for StreamReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let data = ready!(self.as_mut().poll_fill_buf(cx))?;
        let n = data.len().min(buf.remaining());
        buf.put_slice(&data[..n]);
        self.consume(n);
        Poll::Ready(Ok(()))
    }
}

/// zlib streams start with CM=8 and a header checksum; servers that say
/// `deflate` sometimes send raw deflate instead.
fn looks_like_zlib(prefix: &[u8]) -> bool {
    match prefix {
        [cmf, flg, ..] => {
            cmf & 0x0f == 8 && cmf >> 4 <= 7 && ((u16::from(*cmf) << 8) | u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

async fn layer(inner: BoxRead, coding: Coding) -> io::Result<BoxRead> {
    Ok(match coding {
        Coding::Gzip => {
            let mut d = GzipDecoder::new(inner);
            d.multiple_members(true);
            Box::pin(BufReader::new(d))
        }
        Coding::Deflate => {
            let mut inner = inner;
            let mut prefix = [0u8; 2];
            let mut got = 0;
            while got < prefix.len() {
                let n = inner.read(&mut prefix[got..]).await?;
                if n == 0 {
                    break;
                }
                got += n;
            }
            let zlib = looks_like_zlib(&prefix[..got]);
            let whole = AsyncReadExt::chain(io::Cursor::new(prefix[..got].to_vec()), inner);
            if zlib {
                Box::pin(BufReader::new(ZlibDecoder::new(whole)))
            } else {
                Box::pin(BufReader::new(DeflateDecoder::new(whole)))
            }
        }
        Coding::Brotli => Box::pin(BufReader::new(BrotliDecoder::new(inner))),
        Coding::Zstd => Box::pin(BufReader::new(ZstdDecoder::new(inner))),
    })
}

/// Reads the body of `response` into `target`, decoded, cut at `max` bytes.
/// `progress` gets the decoded byte count after every chunk.
pub(crate) async fn read_body(
    response: reqwest::Response,
    target: BodyTarget,
    max: u64,
    mut progress: impl FnMut(u64, Option<u64>),
) -> Result<Body, SendError> {
    let url = response.url().clone();
    let encoding = response
        .headers()
        .get_all(reqwest::header::CONTENT_ENCODING)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let codings = codings(&encoding).unwrap_or_default();
    // The announced length only describes the decoded body when nothing is decoded.
    let total = if codings.is_empty() {
        response.content_length()
    } else {
        None
    };

    let wire = Arc::new(AtomicU64::new(0));
    let counter = wire.clone();
    let stream = response
        .bytes_stream()
        .map(move |r| match r {
            Ok(b) => {
                counter.fetch_add(b.len() as u64, Ordering::Relaxed);
                Ok(b)
            }
            Err(e) => Err(io::Error::other(WireError(e))),
        })
        .boxed();
    let read_err = |e: io::Error| -> SendError {
        if let Some(w) = e.get_ref().and_then(|r| r.downcast_ref::<WireError>()) {
            return classify_body(&w.0, &url);
        }
        SendError::Protocol(format!(
            "could not decode {} body: {e}",
            encoding.trim().to_ascii_lowercase()
        ))
    };

    let mut reader: BoxRead = Box::pin(StreamReader {
        stream,
        chunk: Bytes::new(),
        done: false,
    });
    for coding in &codings {
        reader = layer(reader, *coding).await.map_err(read_err)?;
    }

    let mut writer = match target {
        BodyTarget::Memory => None,
        BodyTarget::Writer(w) => Some(w),
    };
    let mut body = Vec::new();
    if writer.is_none() {
        if let Some(len) = total {
            body.reserve(len.min(max).min(16 << 20) as usize);
        }
    }
    let mut buf = vec![0u8; 64 * 1024];
    let mut decoded: u64 = 0;
    let mut truncated = false;
    loop {
        let n = reader.read(&mut buf).await.map_err(read_err)?;
        if n == 0 {
            break;
        }
        let room = max - decoded;
        let take = (n as u64).min(room) as usize;
        match &mut writer {
            Some(w) => write_chunk(w.as_mut(), &buf[..take])?,
            None => body.extend_from_slice(&buf[..take]),
        }
        decoded += take as u64;
        progress(decoded, total);
        if take < n {
            // Stop at once: dropping the reader drops the connection.
            truncated = true;
            break;
        }
    }
    drop(reader);
    if let Some(w) = &mut writer {
        w.flush().map_err(|e| SendError::write(&e))?;
    }
    Ok(Body {
        body,
        wire_size: wire.load(Ordering::Relaxed),
        decoded_size: decoded,
        truncated,
    })
}

/// Writers are stdout or files in practice: a direct write is cheaper than a
/// hop to the blocking pool per chunk.
fn write_chunk(w: &mut (dyn Write + Send), chunk: &[u8]) -> Result<(), SendError> {
    if chunk.is_empty() {
        return Ok(());
    }
    w.write_all(chunk).map_err(|e| SendError::write(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codings_are_undone_in_reverse_order() {
        assert_eq!(
            codings("gzip, br"),
            Some(vec![Coding::Brotli, Coding::Gzip])
        );
        assert_eq!(codings("X-Gzip"), Some(vec![Coding::Gzip]));
        assert_eq!(codings("identity"), Some(vec![]));
        assert_eq!(codings("gzip, compress"), None);
    }

    #[test]
    fn zlib_header_is_recognised() {
        assert!(looks_like_zlib(&[0x78, 0x9c]));
        assert!(looks_like_zlib(&[0x78, 0x01]));
        assert!(!looks_like_zlib(&[0xf3, 0x48]));
        assert!(!looks_like_zlib(&[0x78]));
    }
}
