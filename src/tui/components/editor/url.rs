//! The URL line and the Params table are two views of one query.
//!
//! The sync rule:
//! - On disk `url` may carry its own query string and `params` are appended
//!   to it (what `prepare` sends). The URL line shows exactly that:
//!   [`display_url`] is `url` plus the enabled params, percent-encoded the
//!   way `prepare` encodes them (before any `#fragment`). Disabled params
//!   are not shown in the URL, only in the table.
//! - While the URL is being edited, every keystroke runs [`split_url`] on
//!   the text from the params as they were when editing began: the query
//!   string is moved into `params` (percent-decoded, `+` read as a space,
//!   as servers read it) and stripped from `url`. Enabled rows are replaced
//!   in URL order, a row keeps its description when a pair of the same name
//!   takes its place, disabled rows stay where they were.
//! - A pair whose decoding is not UTF-8 stays in `url` as written, so
//!   nothing typed is lost or re-encoded differently.
//! - Editing the table changes `params`; the URL line follows on the next draw.
//! - A stored `url` may carry its own query (an import keeps it as written).
//!   The Params tab shows those pairs first, then `params`: the order they
//!   are sent in. Opening a request changes nothing, so it is not unsaved
//!   and sends exactly what it did. The first change to the Params table
//!   moves the URL's pairs into `params` ([`move_query_into_params`]), the
//!   same as an edit of the URL line does, so the rows keep their places.

use percent_encoding::{percent_decode_str, utf8_percent_encode};

use crate::model::KeyValue;

/// What `prepare` percent-encodes: the URL line shows what is sent.
use crate::prepare::QUERY;

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, QUERY).to_string()
}

/// `url` with the enabled params appended, as `prepare` builds it.
pub fn display_url(url: &str, params: &[KeyValue]) -> String {
    let enabled: Vec<&KeyValue> = params.iter().filter(|p| p.enabled).collect();
    if enabled.is_empty() {
        return url.to_string();
    }
    let (base, fragment) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let mut out = base.to_string();
    let mut sep = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    for p in enabled {
        out.push_str(sep);
        out.push_str(&encode(&p.name));
        out.push('=');
        out.push_str(&encode(&p.value));
        sep = "&";
    }
    out.push_str(fragment);
    out
}

/// The pairs of `url`'s own query that the Params tab shows (the ones
/// [`split_url`] would move into params), as enabled rows.
pub fn query_rows(url: &str) -> Vec<KeyValue> {
    if !url.contains('?') {
        return Vec::new();
    }
    split_url(url, &[]).1
}

/// Moves `url`'s own query pairs to the front of `params`, where the Params
/// tab shows them. What is sent stays the same but for how each pair is
/// encoded (`+` becomes `%20`, a bare `flag` becomes `flag=`).
pub fn move_query_into_params(url: &mut String, params: &mut Vec<KeyValue>) {
    let (rest, mut pairs) = split_url(url, &[]);
    if pairs.is_empty() {
        return;
    }
    *url = rest;
    pairs.append(params);
    *params = pairs;
}

/// Decodes one query component; `None` when the bytes are not UTF-8.
fn decode(s: &str) -> Option<String> {
    let spaced = s.replace('+', " ");
    percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|c| c.into_owned())
}

/// Splits edited URL text into the stored `url` and `params`, following the
/// rule in the module docs. `before` are the params when editing began.
pub fn split_url(text: &str, before: &[KeyValue]) -> (String, Vec<KeyValue>) {
    let (head, fragment) = match text.find('#') {
        Some(i) => text.split_at(i),
        None => (text, ""),
    };
    let Some(q) = head.find('?') else {
        // No query: every enabled param was removed from the URL.
        let kept = before.iter().filter(|p| !p.enabled).cloned().collect();
        return (text.to_string(), kept);
    };
    let (base, query) = (&head[..q], &head[q + 1..]);
    let mut parsed: Vec<(String, String)> = Vec::new();
    let mut raw_kept: Vec<&str> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match (decode(k), decode(v)) {
            (Some(k), Some(v)) => parsed.push((k, v)),
            _ => raw_kept.push(pair),
        }
    }
    let mut url = base.to_string();
    if !raw_kept.is_empty() {
        url.push('?');
        url.push_str(&raw_kept.join("&"));
    }
    url.push_str(fragment);

    // Carry descriptions (and unknown fields) over from enabled rows of the
    // same name, first unused first.
    let mut used = vec![false; before.len()];
    let mut fresh: Vec<KeyValue> = parsed
        .into_iter()
        .map(|(name, value)| {
            let found = before
                .iter()
                .enumerate()
                .position(|(i, p)| p.enabled && !used[i] && p.name == name);
            match found {
                Some(i) => {
                    used[i] = true;
                    KeyValue {
                        value,
                        ..before[i].clone()
                    }
                }
                None => KeyValue::new(name, value),
            }
        })
        .collect();
    fresh.reverse(); // pop() from the front

    let mut params = Vec::with_capacity(before.len() + fresh.len());
    for p in before {
        if !p.enabled {
            params.push(p.clone());
        } else if let Some(next) = fresh.pop() {
            params.push(next);
        }
    }
    while let Some(next) = fresh.pop() {
        params.push(next);
    }
    (url, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(name: &str, value: &str, enabled: bool) -> KeyValue {
        KeyValue {
            enabled,
            ..KeyValue::new(name, value)
        }
    }

    #[test]
    fn enabled_params_are_appended_encoded_and_disabled_ones_hidden() {
        let params = [
            kv("q", "a b&c", true),
            kv("off", "x", false),
            kv("k", "{{v}}", true),
        ];
        assert_eq!(
            display_url("{{base}}/s#top", &params),
            "{{base}}/s?q=a%20b%26c&k={{v}}#top"
        );
        assert_eq!(display_url("h/s?x=1", &params[..1]), "h/s?x=1&q=a%20b%26c");
        assert_eq!(display_url("h/s", &params[1..2]), "h/s");
    }

    #[test]
    fn the_query_moves_into_params_decoded() {
        let (url, params) = split_url("h/s?q=a%20b%26c&plus=1+2&flag#f", &[]);
        assert_eq!(url, "h/s#f");
        assert_eq!(
            params,
            vec![
                kv("q", "a b&c", true),
                kv("plus", "1 2", true),
                kv("flag", "", true)
            ]
        );
    }

    #[test]
    fn disabled_rows_stay_and_descriptions_follow_their_name() {
        let mut described = kv("b", "old", true);
        described.description = Some("kept".into());
        let before = [kv("a", "1", true), kv("off", "x", false), described];
        let (url, params) = split_url("h?b=2&c=3", &before);
        assert_eq!(url, "h");
        assert_eq!(params[0].name, "b");
        assert_eq!(params[0].value, "2");
        assert_eq!(params[0].description.as_deref(), Some("kept"));
        assert_eq!(params[1], kv("off", "x", false));
        assert_eq!(params[2], kv("c", "3", true));
        // Removing the query removes enabled rows only.
        let (_, params) = split_url("h", &before);
        assert_eq!(params, vec![kv("off", "x", false)]);
    }

    #[test]
    fn non_utf8_pairs_stay_in_the_url_as_written() {
        let (url, params) = split_url("h?bad=%FF&ok=1", &[]);
        assert_eq!(url, "h?bad=%FF");
        assert_eq!(params, vec![kv("ok", "1", true)]);
        assert_eq!(display_url(&url, &params), "h?bad=%FF&ok=1");
    }

    #[test]
    fn display_then_split_round_trips() {
        let params = vec![kv("q", "100% & =+ é", true), kv("off", "x", false)];
        let shown = display_url("h/p", &params);
        assert_eq!(shown, "h/p?q=100%25%20%26%20%3D%2B%20%C3%A9");
        let (url, back) = split_url(&shown, &params);
        assert_eq!(url, "h/p");
        assert_eq!(back, params);
    }
}
