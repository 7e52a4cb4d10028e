//! `Content-Encoding` routes: the echo compressed in memory (`/gzip`,
//! `/deflate`, `/brotli`, `/zstd`) and the streamed `/gzip-bomb`.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_compression::tokio::bufread::{BrotliEncoder, GzipEncoder, ZlibEncoder, ZstdEncoder};
use bytes::Bytes;
use tokio::io::{AsyncBufRead, AsyncRead, AsyncReadExt, ReadBuf};

use super::reply::{self, Body};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gzip,
    /// HTTP's `deflate` is zlib-wrapped (RFC 9110 §8.4.1.2).
    Deflate,
    Brotli,
    Zstd,
}

impl Encoding {
    pub fn from_route(name: &str) -> Option<Self> {
        match name {
            "gzip" => Some(Self::Gzip),
            "deflate" => Some(Self::Deflate),
            "brotli" => Some(Self::Brotli),
            "zstd" => Some(Self::Zstd),
            _ => None,
        }
    }

    /// The `Content-Encoding` token.
    pub fn token(self) -> &'static str {
        match self {
            Self::Gzip => "gzip",
            Self::Deflate => "deflate",
            Self::Brotli => "br",
            Self::Zstd => "zstd",
        }
    }
}

pub async fn encode(encoding: Encoding, data: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::new();
    match encoding {
        Encoding::Gzip => GzipEncoder::new(data).read_to_end(&mut out).await?,
        Encoding::Deflate => ZlibEncoder::new(data).read_to_end(&mut out).await?,
        Encoding::Brotli => BrotliEncoder::new(data).read_to_end(&mut out).await?,
        Encoding::Zstd => ZstdEncoder::new(data).read_to_end(&mut out).await?,
    };
    Ok(out)
}

static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// A reader of `remaining` zero bytes that never allocates.
struct Zeros {
    remaining: u64,
}

impl AsyncRead for Zeros {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let len = (buf.remaining() as u64).min(self.remaining) as usize;
        buf.put_slice(&ZEROS[..len.min(ZEROS.len())]);
        self.remaining -= len.min(ZEROS.len()) as u64;
        Poll::Ready(Ok(()))
    }
}

impl AsyncBufRead for Zeros {
    fn poll_fill_buf(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
        let len = self.remaining.min(ZEROS.len() as u64) as usize;
        Poll::Ready(Ok(&ZEROS[..len]))
    }

    fn consume(mut self: Pin<&mut Self>, amt: usize) {
        self.remaining = self.remaining.saturating_sub(amt as u64);
    }
}

/// A gzip stream of `size` zero bytes, compressed chunk by chunk as the
/// client reads, so memory stays at one chunk whatever `size` is.
pub fn gzip_bomb(size: u64) -> Body {
    let encoder = GzipEncoder::new(Zeros { remaining: size });
    let stream = futures_util::stream::unfold(Some(encoder), |encoder| async move {
        let mut encoder = encoder?;
        let mut chunk = vec![0u8; 16 * 1024];
        match encoder.read(&mut chunk).await {
            Ok(0) => None,
            Ok(n) => {
                chunk.truncate(n);
                Some((Ok(Bytes::from(chunk)), Some(encoder)))
            }
            Err(err) => Some((Err(err), None)),
        }
    });
    reply::streamed(stream)
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_compression::tokio::bufread::GzipDecoder;

    #[tokio::test]
    async fn bomb_decodes_to_exact_zero_count() {
        use futures_util::StreamExt;
        use http_body_util::BodyExt;
        let mut compressed = Vec::new();
        let mut body = gzip_bomb(3_000_001).into_data_stream();
        while let Some(chunk) = body.next().await {
            compressed.extend_from_slice(&chunk.unwrap());
        }
        assert!(compressed.len() < 100_000, "{} bytes", compressed.len());
        let mut plain = Vec::new();
        GzipDecoder::new(&compressed[..])
            .read_to_end(&mut plain)
            .await
            .unwrap();
        assert_eq!(plain.len(), 3_000_001);
        assert!(plain.iter().all(|&b| b == 0));
    }
}
