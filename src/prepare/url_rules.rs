//! Rules for the final URL text, read as newman (WHATWG) reads it.

/// `localhost:8080/x` means `http://localhost:8080/x`, as in Postman and
/// curl. A URL that has a scheme keeps it, and for http(s) the slashes
/// after it may be backslashes (`https:\\host`), which WHATWG reads as
/// `//`; they are written as `//` so every later parser agrees.
pub(crate) fn with_scheme(url: &str) -> String {
    match scheme_end(url) {
        Some(end) => {
            let (scheme, rest) = url.split_at(end);
            let special = ["http:", "https:"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(scheme));
            let after = rest.trim_start_matches(['/', '\\']);
            let run = &rest[..rest.len() - after.len()];
            if special && run.contains('\\') {
                format!("{scheme}//{after}")
            } else {
                url.to_string()
            }
        }
        None => format!("http://{url}"),
    }
}

/// The index just past `scheme:` when `url` starts with a scheme followed by
/// two slashes or backslashes (so `localhost:8080` is a host, not a scheme).
fn scheme_end(url: &str) -> Option<usize> {
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let after = &url.as_bytes()[colon + 1..];
    let two = after.len() >= 2 && after[..2].iter().all(|b| matches!(b, b'/' | b'\\'));
    (first_ok && rest_ok && two).then_some(colon + 1)
}

#[cfg(test)]
mod tests {
    use super::with_scheme;

    #[test]
    fn a_missing_scheme_is_http_and_a_host_port_is_not_a_scheme() {
        assert_eq!(with_scheme("localhost:8080/x"), "http://localhost:8080/x");
        assert_eq!(with_scheme("127.1:4041"), "http://127.1:4041");
        assert_eq!(with_scheme("example.com/a://b"), "http://example.com/a://b");
    }

    #[test]
    fn backslashes_after_an_http_scheme_read_as_slashes() {
        assert_eq!(with_scheme("https:\\\\h.test/get"), "https://h.test/get");
        assert_eq!(with_scheme("http:/\\h.test/get"), "http://h.test/get");
        assert_eq!(with_scheme("HTTP:\\/h.test"), "HTTP://h.test");
        // Not a special scheme: left as written.
        assert_eq!(with_scheme("ftp:\\\\h.test"), "ftp:\\\\h.test");
        assert_eq!(with_scheme("https://h.test/a\\b"), "https://h.test/a\\b");
    }
}
