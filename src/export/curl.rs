//! A request as a curl command line, quoted for any POSIX shell.
//!
//! [`to_curl`] writes a prepared request (variables resolved, auth and
//! inherited headers applied: exactly what postie would send).
//! [`to_curl_unresolved`] writes a stored request with its `{{variables}}`
//! as they are, for sharing; it knows only the request itself, so inherited
//! headers and auth are not in it, and disabled rows are left out.

use crate::http::{PreparedBody, PreparedRequest};
use crate::media::content_type_for_file;
use crate::model::{ApiKeyLocation, Auth, Body, HttpVersion, Part, Request};

/// `curl ...` for a prepared request, one option per line.
pub fn to_curl(prepared: &PreparedRequest) -> String {
    let mut args: Vec<String> = Vec::new();
    let has_body = !matches!(prepared.body, PreparedBody::Empty);
    method(&mut args, &prepared.method, has_body);
    args.push(url_arg(&prepared.url));
    let multipart = matches!(prepared.body, PreparedBody::Multipart { .. });
    for (n, v) in &prepared.headers {
        // `-F` makes its own boundary, so it writes this header itself.
        if multipart
            && n.eq_ignore_ascii_case("content-type")
            && v.starts_with("multipart/form-data")
        {
            continue;
        }
        args.push(format!("-H {}", quote(&header(n, v))));
    }
    if let Some(crate::http::HopAuth::Digest(d)) = &prepared.auth {
        args.push(format!(
            "--digest -u {}",
            quote(&format!("{}:{}", d.username, d.password))
        ));
    }
    match &prepared.body {
        PreparedBody::Empty => {}
        PreparedBody::Bytes(b) => match std::str::from_utf8(b) {
            Ok(s) => args.push(format!("--data-raw {}", quote(s))),
            Err(_) => args.push(format!("--data-binary {}", ansi_c(b))),
        },
        PreparedBody::File(path) => args.push(format!(
            "--data-binary {}",
            quote(&format!("@{}", path.display()))
        )),
        PreparedBody::Multipart { parts, .. } => {
            for p in parts {
                args.push(form_arg(p));
            }
        }
    }
    let s = &prepared.settings;
    if s.follow_redirects {
        args.push("-L".into());
        args.push(format!("--max-redirs {}", s.max_redirects));
    }
    if !s.verify_tls {
        args.push("-k".into());
    }
    if let Some(t) = s.timeout {
        args.push(format!("--max-time {}", seconds(t.as_millis())));
    }
    match s.http_version {
        crate::http::HttpVersionPref::Http1 => args.push("--http1.1".into()),
        crate::http::HttpVersionPref::Http2 => args.push("--http2".into()),
        crate::http::HttpVersionPref::Auto => {}
    }
    join(args)
}

/// `-F name=@file;filename=..;type=..` or `--form-string name=value` (a
/// value starting with `@` or `<` is not read as a file).
fn form_arg(p: &crate::http::FormPart) -> String {
    let mut spec = match &p.value {
        crate::http::PartValue::Text(t) => format!("{}={t}", p.name),
        crate::http::PartValue::File(f) => format!("{}=@{}", p.name, f.display()),
    };
    if let Some(f) = &p.filename {
        spec.push_str(&format!(";filename={f}"));
    }
    if let Some(ct) = &p.content_type {
        spec.push_str(&format!(";type={ct}"));
    }
    match &p.value {
        crate::http::PartValue::Text(_) if p.content_type.is_none() => {
            format!("--form-string {}", quote(&spec))
        }
        _ => format!("-F {}", quote(&spec)),
    }
}

/// `curl ...` for a stored request, `{{variables}}` kept.
pub fn to_curl_unresolved(request: &Request) -> String {
    let mut args: Vec<String> = Vec::new();
    let body = &request.body.body;
    method(&mut args, &request.method, !body.is_none());
    let mut url = request.url.clone();
    let mut query: Vec<String> = request
        .params
        .iter()
        .filter(|p| p.enabled)
        .map(|p| format!("{}={}", p.name, p.value))
        .collect();
    if let Auth::ApiKey {
        key,
        value,
        location: ApiKeyLocation::Query,
    } = &request.auth.auth
    {
        query.push(format!("{key}={value}"));
    }
    if !query.is_empty() {
        let frag = url.find('#').map(|i| url.split_off(i)).unwrap_or_default();
        let sep = if url.contains('?') { "&" } else { "?" };
        url = format!("{url}{sep}{}{frag}", query.join("&"));
    }
    args.push(url_arg(&url));
    let mut has_ct = false;
    let mut note = None;
    for h in request.headers.iter().filter(|h| h.enabled) {
        has_ct |= h.name.eq_ignore_ascii_case("content-type");
        args.push(format!("-H {}", quote(&header(&h.name, &h.value))));
    }
    match &request.auth.auth {
        Auth::Inherit | Auth::None => {}
        Auth::Basic { username, password } => {
            args.push(format!("-u {}", quote(&format!("{username}:{password}"))));
        }
        Auth::Digest { username, password } => {
            args.push(format!(
                "--digest -u {}",
                quote(&format!("{username}:{password}"))
            ));
        }
        Auth::Bearer { token } => args.push(format!("--oauth2-bearer {}", quote(token))),
        Auth::ApiKey {
            key,
            value,
            location: ApiKeyLocation::Header,
        } => args.push(format!("-H {}", quote(&header(key, value)))),
        // curl signs SigV4 itself (7.75 and later), in the header only.
        Auth::AwsV4(a) if !a.in_query => {
            let or = |v: &str, d: &str| {
                if v.is_empty() {
                    d.to_string()
                } else {
                    v.to_string()
                }
            };
            let provider = format!(
                "aws:amz:{}:{}",
                or(&a.region, "us-east-1"),
                or(&a.service, "execute-api")
            );
            args.push(format!("--aws-sigv4 {}", quote(&provider)));
            args.push(format!(
                "-u {}",
                quote(&format!("{}:{}", a.access_key, a.secret_key))
            ));
            if !a.session_token.is_empty() {
                let h = header("X-Amz-Security-Token", &a.session_token);
                args.push(format!("-H {}", quote(&h)));
            }
        }
        // A given token goes as is; curl cannot run a grant for one.
        Auth::OAuth2(o) if !o.access_token.is_empty() && !o.in_query => {
            args.push(format!("--oauth2-bearer {}", quote(&o.access_token)))
        }
        // Signatures cover a time and nonce: curl cannot make them.
        Auth::ApiKey { .. }
        | Auth::OAuth1(_)
        | Auth::Hawk(_)
        | Auth::AwsV4(_)
        | Auth::OAuth2(_) => {}
        // Signed when sent, with a fresh `iat` and `exp`: a token made now
        // would expire in the shared command, so it is left out, and said.
        Auth::Jwt(_) => note = Some(JWT_DROPPED),
    }
    let content_type = |args: &mut Vec<String>, ct: &str| {
        if !has_ct {
            args.push(format!("-H {}", quote(&format!("Content-Type: {ct}"))));
        }
    };
    match body {
        Body::None => {}
        Body::Raw { kind, text } => {
            content_type(&mut args, kind.content_type());
            args.push(format!("--data-raw {}", quote(text)));
        }
        Body::Form(fields) => {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for f in fields.iter().filter(|f| f.enabled) {
                ser.append_pair(&f.name, &f.value);
            }
            args.push(format!("--data-raw {}", quote(&ser.finish())));
        }
        Body::Multipart(parts) => {
            for p in parts.iter().filter(|p| p.enabled) {
                args.push(form_part(p));
            }
        }
        Body::Binary { file } => {
            content_type(&mut args, content_type_for_file(file));
            args.push(format!("--data-binary {}", quote(&format!("@{file}"))));
        }
        Body::GraphQl { query, variables } => {
            // Variables are JSON text with {{templates}}; keep them verbatim.
            let vars = if variables.trim().is_empty() {
                String::new()
            } else {
                format!(",\"variables\":{}", variables.trim())
            };
            let doc = format!(
                "{{\"query\":{}{vars}}}",
                serde_json::Value::String(query.clone())
            );
            content_type(&mut args, "application/json");
            args.push(format!("--data-raw {}", quote(&doc)));
        }
    }
    let s = &request.settings;
    if s.follow_redirects != Some(false) {
        args.push("-L".into());
    }
    if let Some(n) = s.max_redirects {
        args.push(format!("--max-redirs {n}"));
    }
    if s.verify_tls == Some(false) {
        args.push("-k".into());
    }
    if let Some(ms) = s.timeout_ms {
        args.push(format!("--max-time {}", seconds(u128::from(ms))));
    }
    match s.http_version {
        Some(HttpVersion::Http1) => args.push("--http1.1".into()),
        Some(HttpVersion::Http2) => args.push("--http2".into()),
        _ => {}
    }
    match note {
        // A shell comment line before the command: pasted or run, it says
        // why the auth is missing and changes nothing.
        Some(n) => format!("# {n}\n{}", join(args)),
        None => join(args),
    }
}

/// The note on a command whose JWT auth is left out.
pub const JWT_DROPPED: &str =
    "postie: jwt auth left out (its token is signed when sent; add -H 'Authorization: Bearer …')";

/// The URL as an argument; one that starts with `-` would read as an
/// option, so it goes after `--url`.
fn url_arg(url: &str) -> String {
    if url.starts_with('-') {
        format!("--url {}", quote(url))
    } else {
        quote(url)
    }
}

fn method(args: &mut Vec<String>, method: &str, has_body: bool) {
    match method {
        "GET" if !has_body => {}
        "HEAD" if !has_body => args.push("-I".into()),
        m => args.push(format!("-X {}", quote(m))),
    }
}

/// `Name: value`, or `Name;` for an empty value (curl's syntax for it).
fn header(name: &str, value: &str) -> String {
    if value.is_empty() {
        format!("{name};")
    } else {
        format!("{name}: {value}")
    }
}

fn form_part(p: &Part) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    match (&p.file, &p.content_type) {
        (Some(file), _) => {
            let mut s = format!("{}=@\"{}\"", p.name, esc(file));
            if let Some(ct) = &p.content_type {
                s.push_str(&format!(";type={ct}"));
            }
            if let Some(f) = &p.filename {
                s.push_str(&format!(";filename=\"{}\"", esc(f)));
            }
            format!("-F {}", quote(&s))
        }
        (None, None) => format!(
            "--form-string {}",
            quote(&format!("{}={}", p.name, p.value.as_deref().unwrap_or("")))
        ),
        (None, Some(ct)) => format!(
            "-F {}",
            quote(&format!(
                "{}=\"{}\";type={ct}",
                p.name,
                esc(p.value.as_deref().unwrap_or(""))
            ))
        ),
    }
}

fn seconds(ms: u128) -> String {
    if ms % 1000 == 0 {
        (ms / 1000).to_string()
    } else {
        format!("{}.{:03}", ms / 1000, ms % 1000)
            .trim_end_matches('0')
            .to_string()
    }
}

fn join(args: Vec<String>) -> String {
    let mut s = String::from("curl");
    for a in args {
        s.push_str(if a.starts_with('-') { " \\\n  " } else { " " });
        s.push_str(&a);
    }
    s
}

/// `s` as one word in any POSIX shell: bare when that is safe, else in
/// single quotes (a `'` inside becomes `'\''`).
pub fn quote(s: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_-./:=@%+,".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        return s.to_string();
    }
    format!("'{}'", s.replace('\'', "'\\''"))
}

/// Bytes that are not UTF-8, as a bash `$'...'` word.
fn ansi_c(bytes: &[u8]) -> String {
    let mut s = String::from("$'");
    for b in bytes {
        match b {
            b'\'' => s.push_str("\\'"),
            b'\\' => s.push_str("\\\\"),
            0x20..=0x7e => s.push(char::from(*b)),
            _ => s.push_str(&format!("\\x{b:02x}")),
        }
    }
    s.push('\'');
    s
}

#[cfg(test)]
mod tests;
