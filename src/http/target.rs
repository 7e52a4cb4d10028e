//! The request-target (path and query) as the user wrote it, to compare
//! with the one reqwest sends. url::Url, and so reqwest, removes `.` and
//! `..` segments and percent-encodes a fixed set of characters; Postman
//! sends `/./` as written and, with `disableUrlEncoding`, leaves every
//! printable character raw. Where the two differ the exchange goes through
//! [`super::raw`], which writes the target verbatim.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// WHATWG's path percent-encode set, which url::Url and Postman's encoder
/// both apply to a path.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// WHATWG's query percent-encode set for http(s) (the "special" one).
const QUERY: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'\'');

/// What a request line cannot carry raw, encoding or not: controls and the
/// space that ends the target (non-ASCII is always encoded, as UTF-8).
const WIRE: &AsciiSet = &CONTROLS.add(b' ');

/// The path and query of the absolute http(s) URL `url` as written:
/// encoded as Postman encodes them when `encode`, else only where the
/// request line requires it. `None` if `url` has no `scheme://` start.
pub(crate) fn written(url: &str, encode: bool) -> Option<String> {
    // As WHATWG (and url::Url): tabs and newlines anywhere are dropped.
    let url: String = url
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let url = url.trim_matches(|c: char| c <= ' ');
    let url = url.split('#').next().unwrap_or("");
    let colon = url.find(':')?;
    let after_scheme = url[colon + 1..].trim_start_matches(['/', '\\']);
    if after_scheme.len() == url.len() - colon - 1 {
        return None;
    }
    // For http(s) the authority ends at `/`, `\` or `?`.
    let rest = match after_scheme.find(['/', '\\', '?']) {
        Some(i) => &after_scheme[i..],
        None => "",
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    // Both url::Url and Postman read a backslash in the path as a slash.
    let path = path.replace('\\', "/");
    let path = if path.is_empty() { "/" } else { &path };
    let (path_set, query_set) = if encode { (PATH, QUERY) } else { (WIRE, WIRE) };
    let mut out: String = utf8_percent_encode(path, path_set).collect();
    if let Some(q) = query {
        out.push('?');
        out.extend(utf8_percent_encode(q, query_set));
    }
    Some(out)
}

/// The target reqwest sends for `url`.
pub(crate) fn of_url(url: &url::Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// The length of [`of_url`]'s answer, without building it.
pub(crate) fn len_of_url(url: &url::Url) -> usize {
    url.path().len() + url.query().map_or(0, |q| 1 + q.len())
}

/// The target to write verbatim when it differs from reqwest's, else `None`
/// (the request goes through reqwest as usual).
pub(crate) fn raw_target(text: &str, parsed: &url::Url, encode: bool) -> Option<String> {
    let written = written(text, encode)?;
    (written != of_url(parsed)).then_some(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(text: &str, encode: bool) -> Option<String> {
        let parsed = url::Url::parse(text).unwrap();
        raw_target(text, &parsed, encode)
    }

    #[test]
    fn ordinary_urls_stay_on_reqwest() {
        for u in [
            "http://h.test",
            "http://h.test/",
            "https://u:p@h.test:8443/a/b?x=1&y=%20#frag",
            "http://h.test/get?",
            "http://h.test/get?foo=\nbar\n",
            "http://h.test/a b/{c}?q=\"x'y<z>",
            "http://h.test/%F0%9F%8D%AA/й?q=你",
            "https:\\\\h.test\\a\\b",
            "http://h.test/!$&'()*+,;=:@[]^|~%",
        ] {
            assert_eq!(raw(u, true), None, "{u}");
        }
        // Nothing to leave raw: the same with encoding off.
        assert_eq!(raw("http://h.test/a/b?x=1", false), None);
        for u in ["http://h.test", "http://h.test/a?", "http://h.test/a?b=c"] {
            let parsed = url::Url::parse(u).unwrap();
            assert_eq!(len_of_url(&parsed), of_url(&parsed).len(), "{u}");
        }
    }

    #[test]
    fn dot_segments_are_kept_as_written() {
        assert_eq!(
            raw("http://h.test/-/.///0/", true).as_deref(),
            Some("/-/.///0/")
        );
        assert_eq!(
            raw("http://h.test/a/../b", true).as_deref(),
            Some("/a/../b")
        );
        assert_eq!(
            raw("http://h.test/a/%2e/b", true).as_deref(),
            Some("/a/%2e/b")
        );
    }

    #[test]
    fn without_encoding_printable_characters_stay_raw() {
        assert_eq!(
            raw("http://h.test/\"/<>/`/{|}/^?q=\"'<=>\\{|}`", false).as_deref(),
            Some("/\"/<>/`/{|}/^?q=\"'<=>\\{|}`")
        );
        // A space or a non-ASCII character cannot go raw on a request line.
        assert_eq!(
            raw("http://h.test/a b/\"/й", false).as_deref(),
            Some("/a%20b/\"/%D0%B9")
        );
    }

    #[test]
    fn encoding_matches_postmans_sets() {
        assert_eq!(
            written("http://h.test/ /\"/%/</>/`/{/|/}/^/./?q= \"'<>#f", true).as_deref(),
            Some("/%20/%22/%/%3C/%3E/%60/%7B/|/%7D/^/./?q=%20%22%27%3C%3E")
        );
        assert_eq!(written("localhost/x", true), None);
    }
}
