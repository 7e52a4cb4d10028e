//! Query-string and path-segment decoding. Kept byte-exact (not lossy UTF-8)
//! because `/response-headers` must be able to send arbitrary header bytes.

/// Decodes `%XX` escapes; with `plus_as_space`, `+` becomes a space (form
/// encoding). Malformed escapes are kept literally, like browsers do.
pub fn percent_decode(input: &[u8], plus_as_space: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'%' => match (hex(input.get(i + 1)), hex(input.get(i + 2))) {
                (Some(hi), Some(lo)) => {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_as_space => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    out
}

fn hex(byte: Option<&u8>) -> Option<u8> {
    match byte? {
        b @ b'0'..=b'9' => Some(b - b'0'),
        b @ b'a'..=b'f' => Some(b - b'a' + 10),
        b @ b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// `a=1&b=%FF` → `[(b"a", b"1"), (b"b", [0xFF])]`, in order, repeats kept.
pub fn query_pairs_raw(query: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_decode(name.as_bytes(), true),
                percent_decode(value.as_bytes(), true),
            )
        })
        .collect()
}

/// Same as [`query_pairs_raw`] but as (lossy) text, for display and lookups.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query_pairs_raw(query)
        .into_iter()
        .map(|(name, value)| (lossy(name), lossy(value)))
        .collect()
}

/// The first value of `name` in the query, if any.
pub fn query_value(query: &str, name: &str) -> Option<String> {
    query_pairs(query)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// One path segment, decoded (no `+` → space in paths).
pub fn segment(raw: &str) -> String {
    lossy(percent_decode(raw.as_bytes(), false))
}

pub fn lossy(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes_plus_and_bad_escapes() {
        assert_eq!(percent_decode(b"a%20b+c", true), b"a b c");
        assert_eq!(percent_decode(b"a+b", false), b"a+b");
        assert_eq!(
            percent_decode(b"%FF%zz%4", true),
            vec![0xFF, b'%', b'z', b'z', b'%', b'4']
        );
    }

    #[test]
    fn query_pairs_keep_order_and_repeats() {
        assert_eq!(
            query_pairs("id=1&id=2&flag&=x&&e=%C3%A9"),
            vec![
                ("id".into(), "1".into()),
                ("id".into(), "2".into()),
                ("flag".into(), "".into()),
                ("".into(), "x".into()),
                ("e".into(), "é".into()),
            ]
        );
    }
}
