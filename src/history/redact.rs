//! Redaction before anything reaches disk: the exchange's secret values
//! wherever they appear, credential headers, credentials in URLs, and
//! token-like fields (`access_token`, `client_secret`, `password`) in JSON
//! and form bodies.

/// What replaces a secret.
pub const MASK: &str = "***";

/// Words that make a header, field or parameter name a credential's,
/// compared lowercase without `-` and `_` (`X-API-Key` = `xapikey`).
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "secret",
    "password",
    "passwd",
    "apikey",
    "accesskey",
    "session",
    "signature",
    "assertion",
    "codeverifier",
];

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A name (header, JSON key, form field, query parameter) that says its
/// value is a credential.
pub fn is_credential_name(name: &str) -> bool {
    let n = normalize(name);
    CREDENTIAL_WORDS.iter().any(|w| n.contains(w))
}

/// Headers whose value is a credential whatever it looks like.
pub fn is_secret_header(name: &str) -> bool {
    let n = normalize(name);
    matches!(
        n.as_str(),
        "authorization" | "proxyauthorization" | "cookie" | "setcookie"
    ) || n.starts_with("xauth")
        || is_credential_name(&n)
}

/// Values derived from headers and URLs shorter than this are not hunted
/// elsewhere in the record: a cookie `yes` must not mask every `yes`.
const DERIVED_MIN: usize = 6;

/// The credential parts of a header, to mask wherever else they show up
/// (a server that echoes the request puts them in its body).
pub fn header_secrets(name: &str, value: &str) -> Vec<String> {
    let n = normalize(name);
    let out: Vec<String> = match n.as_str() {
        "authorization" | "proxyauthorization" => {
            let credential = value.split_once(' ').map_or(value, |(_, v)| v);
            vec![credential.trim().to_string()]
        }
        "cookie" => (value.split(';'))
            .filter_map(|p| p.split_once('=').map(|(_, v)| v.trim().to_string()))
            .collect(),
        "setcookie" => (value.split(';').next())
            .and_then(|p| p.split_once('='))
            .map(|(_, v)| vec![v.trim().to_string()])
            .unwrap_or_default(),
        _ if is_secret_header(name) => vec![value.trim().to_string()],
        _ => Vec::new(),
    };
    out.into_iter().filter(|v| v.len() >= DERIVED_MIN).collect()
}

/// A URL's password and credential query parameter values, as sent and
/// percent-decoded.
pub fn url_secrets(raw: &str) -> Vec<String> {
    let Ok(url) = url::Url::parse(raw) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(p) = url.password() {
        out.push(p.to_string());
        out.push(
            percent_encoding::percent_decode_str(p)
                .decode_utf8_lossy()
                .into_owned(),
        );
    }
    if let Some(query) = url.query() {
        for pair in query.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                if is_credential_param(k) {
                    out.push(v.to_string());
                    out.push(
                        percent_encoding::percent_decode_str(v)
                            .decode_utf8_lossy()
                            .into_owned(),
                    );
                }
            }
        }
    }
    out.retain(|v| v.len() >= DERIVED_MIN);
    out
}

/// Replaces an exchange's secret values, longest first (so a secret that
/// contains another is hidden whole). Values under 3 bytes are left: they
/// would mask every `a` or `1` in a record.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    secrets: Vec<Vec<u8>>,
}

impl Redactor {
    pub fn new<S: AsRef<str>>(secrets: &[S]) -> Redactor {
        let mut secrets: Vec<Vec<u8>> = (secrets.iter().map(AsRef::as_ref))
            .filter(|s| s.len() >= 3)
            .map(|s| s.as_bytes().to_vec())
            .collect();
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        secrets.dedup();
        Redactor { secrets }
    }

    /// The longest secret, so a caller cutting a body can look this far
    /// past the cut.
    pub fn longest(&self) -> usize {
        self.secrets.first().map_or(0, Vec::len)
    }

    pub fn bytes(&self, data: &[u8]) -> Vec<u8> {
        let mut out = data.to_vec();
        for s in &self.secrets {
            if memchr::memmem::find(&out, s).is_none() {
                continue;
            }
            let mut next = Vec::with_capacity(out.len());
            let mut rest = &out[..];
            while let Some(i) = memchr::memmem::find(rest, s) {
                next.extend_from_slice(&rest[..i]);
                next.extend_from_slice(MASK.as_bytes());
                rest = &rest[i + s.len()..];
            }
            next.extend_from_slice(rest);
            out = next;
        }
        out
    }

    pub fn text(&self, s: &str) -> String {
        if self.secrets.is_empty() {
            return s.to_string();
        }
        // Secrets are whole UTF-8 strings, so replacing them keeps UTF-8.
        String::from_utf8_lossy(&self.bytes(s.as_bytes())).into_owned()
    }

    /// A header value: credential headers keep only their shape
    /// (`Bearer ***`, `sid=***; Path=/`), others lose their secrets.
    pub fn header(&self, name: &str, value: &str) -> String {
        let n = normalize(name);
        match n.as_str() {
            "authorization" | "proxyauthorization" => match value.split_once(' ') {
                Some((scheme, _)) if !scheme.is_empty() => format!("{scheme} {MASK}"),
                _ => MASK.to_string(),
            },
            "cookie" => (value.split(';'))
                .map(|pair| match pair.split_once('=') {
                    Some((k, _)) => format!("{}={MASK}", k.trim()),
                    None => MASK.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; "),
            "setcookie" => {
                let (first, attrs) = value.split_once(';').unwrap_or((value, ""));
                let name = first.split_once('=').map_or("", |(k, _)| k.trim());
                let attrs = if attrs.is_empty() {
                    String::new()
                } else {
                    format!(";{}", self.text(attrs))
                };
                format!("{name}={MASK}{attrs}")
            }
            _ if is_secret_header(name) => MASK.to_string(),
            _ => self.text(value),
        }
    }

    /// A URL without its password or credential query parameters
    /// (`?api_key=***`), nor any secret value.
    pub fn url(&self, raw: &str) -> String {
        let Ok(mut url) = url::Url::parse(raw) else {
            return self.text(raw);
        };
        if url.password().is_some() {
            let _ = url.set_password(Some(MASK));
        }
        if let Some(query) = url.query() {
            if query.split('&').any(|p| {
                let name = p.split_once('=').map_or(p, |(k, _)| k);
                is_credential_param(name)
            }) {
                let kept: Vec<String> = (query.split('&'))
                    .map(|p| match p.split_once('=') {
                        Some((k, _)) if is_credential_param(k) => format!("{k}={MASK}"),
                        _ => p.to_string(),
                    })
                    .collect();
                url.set_query(Some(&kept.join("&")));
            }
        }
        self.text(url.as_str())
    }

    /// A body's text: secret values, and the values of credential fields
    /// in JSON (`"access_token": "…"`) and, when `form`, of form fields
    /// (`client_secret=…`). Works on a cut body too, and keeps the layout.
    pub fn body_text(&self, text: &str, form: bool) -> String {
        let mut out = json_fields(text);
        if form {
            out = form_fields(&out);
        }
        self.text(&out)
    }
}

/// Query parameters that carry credentials (`key`, `sig`, and the
/// credential words).
fn is_credential_param(name: &str) -> bool {
    let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    let n = normalize(&decoded);
    matches!(n.as_str(), "key" | "sig" | "auth" | "code") || is_credential_name(&n)
}

/// `"name": "value"` with a credential name gets `"***"` as its value.
/// Only string values: a number or object under such a key is no token.
fn json_fields(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, end) in json_credentials(text) {
        out.push_str(&text[copied..start]);
        out.push_str(MASK);
        copied = end;
    }
    out.push_str(&text[copied..]);
    out
}

/// Byte ranges of the string values of credential-named keys (inside
/// the quotes); a cut body's last value runs to the end.
fn json_credentials(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let Some(key_end) = string_end(b, i + 1) else {
            break;
        };
        let key = &text[i + 1..key_end];
        let mut j = key_end + 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if j < b.len() && b[j] == b':' && is_credential_name(key) {
            j += 1;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < b.len() && b[j] == b'"' {
                let value_end = string_end(b, j + 1).unwrap_or(b.len());
                out.push((j + 1, value_end));
                i = value_end + 1;
                continue;
            }
        }
        i = key_end + 1;
    }
    out
}

/// The values of credential fields in a body (JSON string values, and
/// form fields when `form`), to mask wherever else they show up: a server
/// may echo the body back, escaped inside a string.
pub fn body_secrets(text: &str, form: bool) -> Vec<String> {
    let mut out: Vec<String> = (json_credentials(text).into_iter())
        .map(|(a, b)| text[a..b].to_string())
        .collect();
    if form {
        for pair in text.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                if is_credential_param(k) {
                    out.push(v.to_string());
                    let decoded = v.replace('+', " ");
                    out.push(
                        percent_encoding::percent_decode_str(&decoded)
                            .decode_utf8_lossy()
                            .into_owned(),
                    );
                }
            }
        }
    }
    out.retain(|v| v.len() >= DERIVED_MIN);
    out
}

/// Index of the closing quote of a JSON string starting at `from`.
fn string_end(b: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// `a=1&client_secret=x` → `a=1&client_secret=***`.
fn form_fields(text: &str) -> String {
    (text.split('&'))
        .map(|p| match p.split_once('=') {
            Some((k, _)) if is_credential_param(k) => format!("{k}={MASK}"),
            _ => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_longest_first_and_short_values_are_left() {
        let r = Redactor::new(&["abc", "abcdef", "x"]);
        assert_eq!(r.text("abcdef abc x"), "*** *** x");
        assert_eq!(r.bytes(b"\xffabc\xfe"), b"\xff***\xfe");
        assert_eq!(r.longest(), 6);
    }

    #[test]
    fn credential_headers_keep_their_shape_only() {
        let r = Redactor::default();
        assert_eq!(r.header("Authorization", "Bearer t0ken"), "Bearer ***");
        assert_eq!(r.header("proxy-authorization", "opaque"), "***");
        assert_eq!(r.header("Cookie", "a=1; b=2"), "a=***; b=***");
        assert_eq!(
            r.header("Set-Cookie", "sid=s3cr3t; Path=/; HttpOnly"),
            "sid=***; Path=/; HttpOnly"
        );
        assert_eq!(r.header("X-API-Key", "k"), "***");
        assert_eq!(r.header("x-auth-user", "k"), "***");
        assert_eq!(r.header("Accept", "text/plain"), "text/plain");
    }

    #[test]
    fn credentials_in_headers_and_urls_are_hunted_elsewhere_when_long_enough() {
        assert_eq!(
            header_secrets("Authorization", "Bearer abcdef12"),
            ["abcdef12"]
        );
        assert_eq!(header_secrets("Cookie", "a=yes; sid=s3ss10n"), ["s3ss10n"]);
        assert_eq!(
            header_secrets("Set-Cookie", "sid=s3ss10n; Path=/"),
            ["s3ss10n"]
        );
        assert_eq!(header_secrets("X-Api-Key", " k3y-value "), ["k3y-value"]);
        assert!(header_secrets("Accept", "application/json").is_empty());
        assert_eq!(
            url_secrets("http://u:p%40ssword@h/?api_key=k%3D123456&q=visible"),
            ["p%40ssword", "p@ssword", "k%3D123456", "k=123456"]
        );
    }

    #[test]
    fn credential_values_in_bodies_are_found_for_masking_elsewhere() {
        let json = r#"{"access_token": "ey.abc.def", "n": "plain-value", "password": "short"}"#;
        assert_eq!(body_secrets(json, false), ["ey.abc.def"]);
        assert_eq!(
            body_secrets("client_secret=a%2Bb+cdef&x=yyyyyyy", true),
            ["a%2Bb+cdef", "a+b cdef"]
        );
        let r = Redactor::new(&body_secrets(json, false));
        assert_eq!(
            r.text(r#"echo: {\"access_token\":\"ey.abc.def\"}"#),
            r#"echo: {\"access_token\":\"***\"}"#
        );
    }

    #[test]
    fn urls_lose_passwords_and_credential_parameters() {
        let r = Redactor::new(&["hunter22"]);
        assert_eq!(
            r.url("http://bob:pw@h/p?api_key=1&q=hunter22&sig=2"),
            "http://bob:***@h/p?api_key=***&q=***&sig=***"
        );
        assert_eq!(r.url("not a url hunter22"), "not a url ***");
    }

    #[test]
    fn token_fields_in_json_and_form_bodies_are_masked_even_when_cut() {
        let r = Redactor::default();
        let json = r#"{"access_token" : "ey.J\"x", "n": 1, "refresh_token":"r", "token_count": 3}"#;
        assert_eq!(
            r.body_text(json, false),
            r#"{"access_token" : "***", "n": 1, "refresh_token":"***", "token_count": 3}"#
        );
        assert_eq!(
            r.body_text(r#"{"id_token": "abc"#, false),
            r#"{"id_token": "***"#
        );
        assert_eq!(
            r.body_text("grant_type=x&client_secret=s&password=p", true),
            "grant_type=x&client_secret=***&password=***"
        );
        // Not a form: `=` is left alone.
        assert_eq!(r.body_text("password=p", false), "password=p");
    }
}
