//! `Content-Encoding` routes: the echo compressed in memory (`/gzip`,
//! `/deflate`, `/brotli`, `/zstd`) and the streamed `/gzip-bomb`.

use std::io;

use async_compression::tokio::bufread::{
    BrotliEncoder, GzipEncoder as GzipReadEncoder, ZlibEncoder, ZstdEncoder,
};
use async_compression::tokio::write::GzipEncoder;
use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

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
        Encoding::Gzip => GzipReadEncoder::new(data).read_to_end(&mut out).await?,
        Encoding::Deflate => ZlibEncoder::new(data).read_to_end(&mut out).await?,
        Encoding::Brotli => BrotliEncoder::new(data).read_to_end(&mut out).await?,
        Encoding::Zstd => ZstdEncoder::new(data).read_to_end(&mut out).await?,
    };
    Ok(out)
}

static ZEROS: [u8; 64 * 1024] = [0; 64 * 1024];

/// Zero bytes compressed per streamed chunk; a sync flush after each makes
/// the compressor emit it (~1 KiB) instead of sitting on a huge block.
const BOMB_STEP: u64 = 1024 * 1024;

/// A gzip stream of `size` zero bytes, compressed step by step as the
/// client reads, so memory stays at one step whatever `size` is.
pub fn gzip_bomb(size: u64) -> Body {
    let encoder = GzipEncoder::new(Vec::new());
    let stream = futures_util::stream::unfold(Some((encoder, size)), |state| async move {
        let (mut encoder, remaining) = state?;
        match bomb_step(&mut encoder, remaining).await {
            Ok(left) => {
                let chunk = Bytes::from(std::mem::take(encoder.get_mut()));
                // After the final step the trailer is out: stop next time.
                let next = (remaining > 0).then_some((encoder, left));
                Some((Ok(chunk), next))
            }
            Err(err) => Some((Err(err), None)),
        }
    });
    reply::streamed(stream)
}

/// Compresses up to [`BOMB_STEP`] more zeros and flushes; finishes the
/// stream (trailer) once nothing remains. Returns the zeros still to go.
async fn bomb_step(encoder: &mut GzipEncoder<Vec<u8>>, remaining: u64) -> io::Result<u64> {
    if remaining == 0 {
        encoder.shutdown().await?;
        return Ok(0);
    }
    let mut step = remaining.min(BOMB_STEP);
    let left = remaining - step;
    while step > 0 {
        let len = step.min(ZEROS.len() as u64) as usize;
        encoder.write_all(&ZEROS[..len]).await?;
        step -= len as u64;
    }
    encoder.flush().await?;
    Ok(left)
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
