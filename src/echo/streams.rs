//! Generated bodies that are streamed chunk by chunk so sizes up to 1 GiB
//! never sit in memory: `/bytes`, `/drip` and `/json`.

use std::time::Duration;

use bytes::Bytes;
use serde_json::json;

use super::reply::{self, Body};

const CHUNK: usize = 64 * 1024;

/// `n` bytes of seeded pseudo-random data: the same `(n, seed)` always
/// gives the same bytes, so clients can checksum downloads.
pub fn random_bytes(n: u64, seed: u64) -> Body {
    let rng = fastrand::Rng::with_seed(seed);
    let stream = futures_util::stream::unfold((rng, n), |(mut rng, remaining)| async move {
        if remaining == 0 {
            return None;
        }
        let len = remaining.min(CHUNK as u64) as usize;
        let mut chunk = vec![0u8; len];
        rng.fill(&mut chunk);
        Some((Ok(Bytes::from(chunk)), (rng, remaining - len as u64)))
    });
    reply::streamed(stream)
}

static STARS: [u8; CHUNK] = [b'*'; CHUNK];

/// `n` bytes of `*` spread evenly over `duration`: one burst per interval,
/// at most one burst every 10 ms, the first after one interval. A burst
/// bigger than [`CHUNK`] goes out as several frames so nothing large is
/// ever allocated.
pub fn drip(n: u64, duration: Duration) -> Body {
    let slots = (duration.as_millis() / 10).max(1) as u64;
    let bursts = n.min(slots).max(1);
    let interval = duration / bursts as u32;
    let per_burst = n / bursts;
    let extra = n % bursts;
    // State: (bursts started, bytes of the current burst still owed).
    let stream = futures_util::stream::unfold((0u64, 0u64), move |(started, owed)| async move {
        let (started, owed) = if owed > 0 {
            (started, owed)
        } else {
            if started >= bursts || n == 0 {
                return None;
            }
            tokio::time::sleep(interval).await;
            // The first `extra` bursts carry one more byte so the total is exact.
            (started + 1, per_burst + u64::from(started < extra))
        };
        let len = owed.min(CHUNK as u64) as usize;
        let chunk = Bytes::from_static(&STARS[..len]);
        Some((Ok(chunk), (started, owed - len as u64)))
    });
    reply::streamed(stream)
}

const FIRST: &[&str] = &[
    "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Dennis", "Margaret", "Linus", "Radia",
    "Donald", "Frances", "John", "Sophie", "Tim", "Hedy",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Thompson",
    "Ritchie",
    "Hamilton",
    "Torvalds",
    "Perlman",
    "Knuth",
    "Allen",
    "McCarthy",
    "Wilson",
    "Berners-Lee",
    "Lamarr",
];
const CITIES: &[&str] = &[
    "Lisbon", "Nairobi", "Osaka", "Montreal", "Tallinn", "Lima", "Perth", "Oslo", "Austin",
];
const TAGS: &[&str] = &[
    "admin", "beta", "billing", "support", "ops", "design", "mobile", "api", "legacy",
];

fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}

fn user_record(rng: &mut fastrand::Rng, id: u64) -> String {
    let first = pick(rng, FIRST);
    let last = pick(rng, LAST);
    let tags: Vec<&str> = (0..rng.usize(0..4)).map(|_| pick(rng, TAGS)).collect();
    let record = json!({
        "id": id,
        "uuid": format!("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            rng.u32(..), rng.u16(..), rng.u16(..0x1000), rng.u16(..), rng.u64(..1 << 48)),
        "name": format!("{first} {last}"),
        "email": format!("{}.{}{}@example.com", first.to_lowercase(), last.to_lowercase(), id),
        "active": rng.bool(),
        "score": (rng.f64() * 10_000.0).round() / 100.0,
        "tags": tags,
        "created_at": format!("20{:02}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            rng.u8(15..26), rng.u8(1..13), rng.u8(1..29), rng.u8(..24), rng.u8(..60), rng.u8(..60)),
        "address": { "city": pick(rng, CITIES), "zip": format!("{:05}", rng.u32(..100_000)) },
    });
    format!("  {record}")
}

/// A JSON array of user records, at most `n` bytes and within one record
/// of it (an empty array when `n` is too small for one).
pub fn json_document(n: u64) -> Body {
    const OPEN: &str = "[\n";
    const CLOSE: &str = "\n]\n";
    struct State {
        rng: fastrand::Rng,
        next_id: u64,
        written: u64,
        finished: bool,
    }
    let state = State {
        rng: fastrand::Rng::with_seed(7),
        next_id: 1,
        written: 0,
        finished: false,
    };
    let stream = futures_util::stream::unfold(state, move |mut state| async move {
        if state.finished {
            return None;
        }
        let mut chunk = String::with_capacity(CHUNK + 1024);
        if state.written == 0 {
            chunk.push_str(OPEN);
            state.written = OPEN.len() as u64;
        }
        while chunk.len() < CHUNK {
            let id = state.next_id;
            state.next_id += 1;
            let record = user_record(&mut state.rng, id);
            let separator = if state.next_id > 2 { ",\n" } else { "" };
            let needed = (separator.len() + record.len() + CLOSE.len()) as u64;
            if state.written + needed > n {
                chunk.push_str(CLOSE);
                state.finished = true;
                break;
            }
            chunk.push_str(separator);
            chunk.push_str(&record);
            state.written += (separator.len() + record.len()) as u64;
        }
        Some((Ok(Bytes::from(chunk)), state))
    });
    reply::streamed(stream)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use http_body_util::BodyExt;

    async fn collect_frames(body: Body) -> Vec<Bytes> {
        let mut stream = body.into_data_stream();
        let mut out = Vec::new();
        while let Some(frame) = stream.next().await {
            out.push(frame.unwrap());
        }
        out
    }

    #[tokio::test]
    async fn drip_splits_big_bursts_and_is_exact() {
        let frames = collect_frames(drip(200_001, Duration::ZERO)).await;
        assert!(frames.iter().all(|f| f.len() <= CHUNK && !f.is_empty()));
        assert_eq!(frames.iter().map(Bytes::len).sum::<usize>(), 200_001);
        assert!(collect_frames(drip(0, Duration::from_millis(50)))
            .await
            .is_empty());
    }

    #[tokio::test]
    async fn random_bytes_frames_add_up() {
        let frames = collect_frames(random_bytes(CHUNK as u64 * 2 + 5, 1)).await;
        let lens: Vec<usize> = frames.iter().map(Bytes::len).collect();
        assert_eq!(lens, [CHUNK, CHUNK, 5]);
    }
}
