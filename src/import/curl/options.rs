//! curl's command-line options: which take an argument, their short
//! letters, and long-name abbreviations (curl accepts any unambiguous
//! prefix: `--sil` is `--silent`).

/// `(long name, short letter, takes an argument)`.
const OPTIONS: &[(&str, Option<char>, bool)] = &[
    // What the importer maps.
    ("request", Some('X'), true),
    ("header", Some('H'), true),
    ("data", Some('d'), true),
    ("data-raw", None, true),
    ("data-binary", None, true),
    ("data-ascii", None, true),
    ("data-urlencode", None, true),
    ("json", None, true),
    ("form", Some('F'), true),
    ("form-string", None, true),
    ("user", Some('u'), true),
    ("cookie", Some('b'), true),
    ("user-agent", Some('A'), true),
    ("referer", Some('e'), true),
    ("location", Some('L'), false),
    ("location-trusted", None, false),
    ("insecure", Some('k'), false),
    ("compressed", None, false),
    ("get", Some('G'), false),
    ("url", None, true),
    ("url-query", None, true),
    ("head", Some('I'), false),
    ("range", Some('r'), true),
    ("oauth2-bearer", None, true),
    ("digest", None, false),
    ("basic", None, false),
    ("ntlm", None, false),
    ("negotiate", None, false),
    ("anyauth", None, false),
    ("upload-file", Some('T'), true),
    ("max-time", Some('m'), true),
    ("connect-timeout", None, true),
    ("max-redirs", None, true),
    ("proxy", Some('x'), true),
    ("proxy-user", Some('U'), true),
    ("http1.1", None, false),
    ("http2", None, false),
    ("http2-prior-knowledge", None, false),
    ("http1.0", Some('0'), false),
    ("http3", None, false),
    ("cookie-jar", Some('c'), true),
    // Output and diagnostics: no effect on the request.
    ("silent", Some('s'), false),
    ("show-error", Some('S'), false),
    ("verbose", Some('v'), false),
    ("include", Some('i'), false),
    ("output", Some('o'), true),
    ("remote-name", Some('O'), false),
    ("remote-name-all", None, false),
    ("write-out", Some('w'), true),
    ("fail", Some('f'), false),
    ("fail-with-body", None, false),
    ("progress-bar", Some('#'), false),
    ("no-progress-meter", None, false),
    ("trace", None, true),
    ("trace-ascii", None, true),
    ("dump-header", Some('D'), true),
    ("stderr", None, true),
    ("globoff", Some('g'), false),
    ("retry", None, true),
    ("retry-delay", None, true),
    ("retry-max-time", None, true),
    ("limit-rate", None, true),
    ("create-dirs", None, false),
    ("config", Some('K'), true),
    ("netrc", Some('n'), false),
    ("ipv4", Some('4'), false),
    ("ipv6", Some('6'), false),
    ("resolve", None, true),
    ("connect-to", None, true),
    ("interface", None, true),
    ("cacert", None, true),
    ("capath", None, true),
    ("cert", Some('E'), true),
    ("key", None, true),
    ("cert-type", None, true),
    ("key-type", None, true),
    ("pass", None, true),
    ("tlsv1.2", None, false),
    ("tlsv1.3", None, false),
    ("ssl-no-revoke", None, false),
    ("path-as-is", None, false),
    ("raw", None, false),
    ("tr-encoding", None, false),
    ("keepalive-time", None, true),
    ("no-keepalive", None, false),
    ("no-buffer", Some('N'), false),
    ("unix-socket", None, true),
    ("abstract-unix-socket", None, true),
    ("proto", None, true),
    ("proto-redir", None, true),
    ("post301", None, false),
    ("post302", None, false),
    ("post303", None, false),
    ("noproxy", None, true),
    ("socks5", None, true),
    ("socks5-hostname", None, true),
    ("proxy-insecure", None, false),
    ("aws-sigv4", None, true),
    ("variable", None, true),
    ("expand-url", None, true),
    ("request-target", None, true),
    ("time-cond", Some('z'), true),
    ("continue-at", Some('C'), true),
    ("speed-limit", Some('Y'), true),
    ("speed-time", Some('y'), true),
    ("max-filesize", None, true),
    ("styled-output", None, false),
    ("manual", Some('M'), false),
    ("help", Some('h'), false),
    ("version", Some('V'), false),
    ("append", Some('a'), false),
    ("list-only", Some('l'), false),
    ("quote", Some('Q'), true),
    ("junk-session-cookies", Some('j'), false),
    ("remote-time", Some('R'), false),
    ("disable", Some('q'), false),
    ("ignore-content-length", None, false),
    ("ssl", None, false),
    ("sslv2", Some('2'), false),
    ("sslv3", Some('3'), false),
    ("tlsv1", Some('1'), false),
];

/// The canonical long name for `-x`.
pub fn short(c: char) -> Option<(&'static str, bool)> {
    OPTIONS
        .iter()
        .find(|(_, s, _)| *s == Some(c))
        .map(|(l, _, a)| (*l, *a))
}

/// The canonical long name for `--name` (or an unambiguous prefix of it),
/// and whether it is negated (`--no-location`).
pub fn long(name: &str) -> Option<(&'static str, bool, bool)> {
    if let Some((l, a)) = exact_or_prefix(name) {
        return Some((l, a, false));
    }
    let base = name.strip_prefix("no-")?;
    let (l, a) = exact_or_prefix(base)?;
    (!a).then_some((l, a, true))
}

fn exact_or_prefix(name: &str) -> Option<(&'static str, bool)> {
    if let Some((l, _, a)) = OPTIONS.iter().find(|(l, _, _)| *l == name) {
        return Some((l, *a));
    }
    let mut found = OPTIONS.iter().filter(|(l, _, _)| l.starts_with(name));
    match (found.next(), found.next()) {
        (Some((l, _, a)), None) if !name.is_empty() => Some((l, *a)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_and_negations() {
        assert_eq!(long("sil"), Some(("silent", false, false)));
        assert_eq!(long("data"), Some(("data", true, false)));
        assert_eq!(long("no-location"), Some(("location", false, true)));
        assert_eq!(long("d"), None); // ambiguous
        assert_eq!(short('X'), Some(("request", true)));
    }
}
