//! Credential shapes found in any text: bearer and basic credentials, JWTs,
//! AWS keys, PEM private keys, passwords in URLs, and tokens whose prefix
//! names the service that issued them. Pure: text in, hits out.

use std::sync::OnceLock;

use regex::Regex;

use super::{Hit, Kind};

/// Tokens whose prefix says who issued them, as (service, pattern). The
/// lengths are the issuers' documented ones, or a lower bound where they
/// vary, so a prefix alone in prose is no hit.
const TOKEN_SHAPES: &[(&str, &str)] = &[
    (
        "GitHub token",
        r"\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{36}\b",
    ),
    ("GitHub token", r"\bgithub_pat_[A-Za-z0-9_]{30,}\b"),
    ("Slack token", r"\bxox[abpr]-[A-Za-z0-9-]{10,}"),
    ("Stripe live key", r"\b(?:sk|rk)_live_[A-Za-z0-9]{16,}"),
    ("GitLab token", r"\bglpat-[A-Za-z0-9_-]{20,}"),
    ("npm token", r"\bnpm_[A-Za-z0-9]{36}\b"),
    ("OpenAI key", r"\bsk-(?:proj-)?[A-Za-z0-9_-]{32,}"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    (
        "SendGrid key",
        r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
    ),
];

struct Patterns {
    tokens: Vec<(&'static str, Regex)>,
    bearer: Regex,
    basic: Regex,
    jwt: Regex,
    aws_id: Regex,
    aws_secret_named: Regex,
    aws_secret_bare: Regex,
    pem: Regex,
    url_password: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    // The patterns are constants: a failure here is a bug caught by the
    // unit tests, never input.
    P.get_or_init(|| {
        let re = |s: &str| Regex::new(s).expect("a valid built-in pattern");
        Patterns {
            tokens: TOKEN_SHAPES.iter().map(|(n, p)| (*n, re(p))).collect(),
            // RFC 6750's b64token.
            bearer: re(r"(?i)\bbearer[ \t]+([A-Za-z0-9\-._~+/]+=*)"),
            basic: re(r"(?i)\bbasic[ \t]+([A-Za-z0-9+/]{8,}={0,2})"),
            jwt: re(r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"),
            aws_id: re(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
            aws_secret_named: re(
                r#"(?i)(?:aws_?secret_?(?:access_?)?key|secret_?access_?key|secret_?key)["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+]|$)"#,
            ),
            aws_secret_bare: re(r"(?:^|[^A-Za-z0-9/+])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"),
            pem: re(r"-----BEGIN [A-Z0-9 ]{0,24}PRIVATE KEY-----"),
            url_password: re(
                r#"(?:\b[A-Za-z][A-Za-z0-9+.-]*|\}\})://([^\s:/?#@"'<>\\]*):([^\s/?#@"'<>\\]+)@"#,
            ),
        }
    })
}

/// Text that stands for a value rather than being one: `xxxx`, `<token>`,
/// `your-token`, `${TOKEN}`, `{{token}}`, `****`.
pub fn is_placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    const MARKS: &[&str] = &[
        "xxxx",
        "****",
        "....",
        "<",
        ">",
        "{{",
        "${",
        "example",
        "your",
        "placeholder",
        "redacted",
        "changeme",
        "change_me",
        "dummy",
        "…",
    ];
    if MARKS.iter().any(|m| lower.contains(m)) || lower.starts_with('$') {
        return true;
    }
    let mut distinct: Vec<char> = lower.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    distinct.len() <= 3
}

/// A long value that reads as random: no placeholder, at least two of
/// lower, upper and digits, and enough different characters.
pub fn looks_random(value: &str, min_len: usize) -> bool {
    if value.chars().count() < min_len || is_placeholder(value) {
        return false;
    }
    let classes = [
        value.chars().any(|c| c.is_ascii_lowercase()),
        value.chars().any(|c| c.is_ascii_uppercase()),
        value.chars().any(|c| c.is_ascii_digit()),
    ];
    let mut distinct: Vec<char> = value.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    classes.iter().filter(|c| **c).count() >= 2 && distinct.len() >= 8
}

/// Words that stand for a password in documentation URLs
/// (`postgres://user:password@host`).
pub fn is_password_word(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "password" | "pass" | "passwd" | "pwd" | "secret" | "pw"
    )
}

fn hit(start: usize, secret: &str, kind: Kind) -> Hit {
    Hit {
        start,
        secret: secret.to_string(),
        excerpt: None,
        kind,
    }
}

/// Every credential shape in `text`, with byte offsets.
pub fn find_shapes(text: &str) -> Vec<Hit> {
    let p = patterns();
    let mut hits = Vec::new();
    for (service, re) in &p.tokens {
        for m in re.find_iter(text) {
            if !is_placeholder(m.as_str()) {
                hits.push(hit(m.start(), m.as_str(), Kind::Token { service }));
            }
        }
    }
    for m in p.jwt.find_iter(text) {
        hits.push(hit(m.start(), m.as_str(), Kind::Jwt));
    }
    let mut aws_lines = Vec::new();
    for m in p.aws_id.find_iter(text) {
        if !is_placeholder(m.as_str()) {
            hits.push(hit(m.start(), m.as_str(), Kind::AwsAccessKeyId));
            aws_lines.push(m.start());
        }
    }
    for c in p.aws_secret_named.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if looks_random(m.as_str(), 40) {
                hits.push(hit(m.start(), m.as_str(), Kind::AwsSecretKey));
            }
        }
    }
    // A bare 40-character key counts only beside an access key id: alone
    // it could be any hash.
    for start in aws_lines {
        let from = floor_char(text, start.saturating_sub(400));
        let to = floor_char(text, (start + 400).min(text.len()));
        for c in p.aws_secret_bare.captures_iter(&text[from..to]) {
            if let Some(m) = c.get(1) {
                if looks_random(m.as_str(), 40) && !m.as_str().contains("AKIA") {
                    hits.push(hit(from + m.start(), m.as_str(), Kind::AwsSecretKey));
                }
            }
        }
    }
    for m in p.pem.find_iter(text) {
        if pem_has_body(&text[m.end()..]) {
            let mut h = hit(m.start(), m.as_str(), Kind::PrivateKey);
            h.excerpt = Some(format!("{}…", m.as_str()));
            hits.push(h);
        }
    }
    for c in p.url_password.captures_iter(text) {
        if let Some(m) = c.get(2) {
            let pw = m.as_str();
            if !is_placeholder(pw) && !is_password_word(pw) {
                hits.push(hit(m.start(), pw, Kind::UrlPassword));
            }
        }
    }
    for c in p.bearer.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if looks_random(m.as_str(), 16) {
                hits.push(hit(m.start(), m.as_str(), Kind::BearerToken));
            }
        }
    }
    for c in p.basic.captures_iter(text) {
        if let Some(m) = c.get(1) {
            if is_basic_credentials(m.as_str()) {
                hits.push(hit(m.start(), m.as_str(), Kind::BasicCredentials));
            }
        }
    }
    hits.sort_by(|a, b| (a.start, a.kind.code()).cmp(&(b.start, b.kind.code())));
    hits.dedup_by(|a, b| a.start == b.start && a.kind == b.kind);
    hits
}

/// `user:password` in base64, with a password that is not a placeholder.
fn is_basic_credentials(encoded: &str) -> bool {
    use base64::Engine as _;
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(encoded) else {
        return false;
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return false;
    };
    match text.split_once(':') {
        Some((user, pw)) => {
            !user.is_empty()
                && !pw.is_empty()
                && !is_placeholder(pw)
                && !is_password_word(pw)
                && !text.chars().any(char::is_control)
        }
        None => false,
    }
}

/// Whether a key's body follows its BEGIN line (in a file, or in a JSON
/// string with `\n` escapes): a marker in documentation has none.
fn pem_has_body(after: &str) -> bool {
    let window = &after[..floor_char(after, after.len().min(300))];
    let mut run = 0;
    for c in window.replace("\\n", "\n").chars() {
        if c.is_ascii_alphanumeric() || c == '+' || c == '/' {
            run += 1;
            if run >= 32 {
                return true;
            }
        } else {
            run = 0;
        }
    }
    false
}

/// The nearest char boundary at or below `i`.
fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        find_shapes(text)
            .iter()
            .map(|h| format!("{}={}", h.kind.code(), h.secret))
            .collect()
    }

    #[test]
    fn placeholders_are_not_values() {
        for p in [
            "xxxxxxxx",
            "<token>",
            "your-api-token",
            "${TOKEN}",
            "{{token}}",
            "********",
            "$PASSWORD",
            "aaaaaaaa",
            "AKIAIOSFODNN7EXAMPLE",
        ] {
            assert!(is_placeholder(p), "{p}");
        }
        for v in ["hunter22", "s3cr3t-Value", "Zm9vYmFy"] {
            assert!(!is_placeholder(v), "{v}");
        }
    }

    #[test]
    fn bearer_tokens_long_and_random_only() {
        assert_eq!(
            kinds(r#""value": "Bearer 8f3Kq9ZxL2mN7vB4tR1w""#),
            ["bearer=8f3Kq9ZxL2mN7vB4tR1w"]
        );
        assert!(kinds("Authorization: Bearer {{token}}").is_empty());
        assert!(kinds("Authorization: Bearer abc123").is_empty());
        assert!(kinds("Authorization: Bearer <token>").is_empty());
        assert!(kinds("Authorization: Bearer YOUR_TOKEN_HERE_12345").is_empty());
        assert!(kinds("Bearer xxxxxxxxxxxxxxxxxxxxxxxx").is_empty());
        assert!(kinds("the bearer authentication scheme").is_empty());
    }

    #[test]
    fn basic_credentials_decode_to_user_and_password() {
        // ada:open-sesame
        assert_eq!(
            kinds("Authorization: Basic YWRhOm9wZW4tc2VzYW1l"),
            ["basic=YWRhOm9wZW4tc2VzYW1l"]
        );
        // user:password, a documentation example
        assert!(kinds("Basic dXNlcjpwYXNzd29yZA==").is_empty());
        // not base64 of user:password
        assert!(kinds("Basic realm-of-the-king").is_empty());
    }

    #[test]
    fn jwts_have_a_header_and_a_payload() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLWJ5dGVz";
        assert_eq!(kinds(&format!("token = '{jwt}'")), [format!("jwt={jwt}")]);
        assert!(kinds("eyJhbGciOiJIUzI1NiJ9 alone is a header").is_empty());
    }

    #[test]
    fn aws_keys_and_the_secret_beside_them() {
        let text = "aws_access_key_id = AKIA2E0A8F3B244C9986\naws_secret_access_key = 7k2Jd9Lq0Zx4Vb8Nm3Rt6Yw1Pc5Hs2Gf8Ue4Ia0O\n";
        assert_eq!(
            kinds(text),
            [
                "aws_access_key_id=AKIA2E0A8F3B244C9986",
                "aws_secret_key=7k2Jd9Lq0Zx4Vb8Nm3Rt6Yw1Pc5Hs2Gf8Ue4Ia0O",
            ]
        );
        // AWS's documentation keys, and too short or lowercase ids.
        assert!(kinds("AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_empty());
        assert!(kinds("AKIA1234 akia2e0a8f3b244c9986").is_empty());
        // A 40-character hash with no access key id near is not a key.
        assert!(kinds("commit 3f786850e387550fdab836ed7e6dc881de23001b").is_empty());
    }

    #[test]
    fn pem_private_keys_with_a_body() {
        let key = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2dFz\\n";
        let hits = find_shapes(key);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, Kind::PrivateKey);
        assert!(kinds("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----").is_empty());
        assert!(kinds(
            "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n"
        )
        .is_empty());
    }

    #[test]
    fn passwords_in_urls_unless_a_template() {
        assert_eq!(
            kinds("https://ada:s3cret-pw@api.example.com/x"),
            ["url_password=s3cret-pw"]
        );
        assert_eq!(
            kinds("{{scheme}}://{{user}}:hunter22@h"),
            ["url_password=hunter22"]
        );
        assert!(kinds("https://ada:{{password}}@h/").is_empty());
        assert!(kinds("postgres://user:password@localhost/db").is_empty());
        assert!(kinds("https://ada@h/ and http://h:8080/").is_empty());
        assert!(kinds("https://ada:${PW}@h/").is_empty());
    }

    #[test]
    fn known_token_prefixes() {
        for (text, code) in [
            ("ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A", "token"),
            (
                "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
                "token",
            ),
            ("xoxb-1234567890-abcdefghij", "token"),
            ("sk_live_4eC39HqLyjWDarjtT1zdp7dc", "token"),
            ("glpat-aB3dE5fG7hJ9kL1mN3pQ", "token"),
            ("npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5A", "token"),
            ("sk-aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5AbC", "token"),
            ("AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "token"),
            (
                "SG.aB3dE5fG7hJ9kL1mN3pQ5r.aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5AbCdEfGh",
                "token",
            ),
        ] {
            let found = kinds(text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert!(found[0].starts_with(code), "{text}: {found:?}");
        }
        for near in [
            "ghp_short",
            "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
            "task-aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z5AbC",
            "sk-short",
            "xoxb-<token>",
        ] {
            assert!(kinds(near).is_empty(), "{near}: {:?}", kinds(near));
        }
    }
}
