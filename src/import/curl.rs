//! curl command lines, as people paste them: from docs, from a shell
//! history, from a browser's "Copy as cURL" (bash or Windows cmd).
//!
//! Mapping decisions:
//! - The URL keeps its query string as written (no re-encoding).
//! - A `-d` body with a JSON Content-Type header is a JSON body; without a
//!   Content-Type, curl sends `application/x-www-form-urlencoded`: the body
//!   becomes a form when re-encoding its fields gives back the same bytes,
//!   else text with that Content-Type header made explicit.
//! - Redirects: curl does not follow them unless `-L`, so an imported
//!   request says `follow_redirects: false` without `-L` and `true` with it
//!   (postie's own default is to follow).
//! - `--compressed`: postie always asks for and decodes compressed
//!   responses, so the flag is reported as changed, not carried.

mod options;
mod words;

use std::fmt::Write as _;

use crate::import::{Import, ImportError, ImportedFolder, ImportedItem, Report};
use crate::media::{self, MediaKind};
use crate::model::{
    Auth, AuthWithExtra, Body, BodyWithExtra, Extra, HttpVersion, KeyValue, Part, RawKind, Request,
};

pub use words::Shell;

/// Why a curl command could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CurlError {
    #[error("line {line}, column {column}: unterminated {quote} quote")]
    Unterminated {
        quote: &'static str,
        line: usize,
        column: usize,
    },
    #[error("not a curl command (it should start with `curl`)")]
    NotCurl,
    #[error("no URL in the curl command")]
    NoUrl,
    #[error("empty URL")]
    EmptyUrl,
    #[error("missing argument for {0}")]
    MissingArgument(String),
}

/// The request for the first curl command in `cmd`.
pub fn parse_curl(cmd: &str) -> Result<Request, CurlError> {
    let commands = curl_commands(cmd)?;
    let first = commands.into_iter().next().ok_or(CurlError::NotCurl)?;
    Ok(to_request(parse_args(&first.words, first.stdin)?).0)
}

/// One collection, named after the host the commands talk to (else "curl
/// import"), with a request per curl command in `text`. Any command that cannot be read makes the whole import fail.
pub fn parse_import(text: &str) -> Result<Import, ImportError> {
    let invalid = |e: CurlError| match e {
        // The position goes in front once, not twice.
        CurlError::Unterminated {
            quote,
            line,
            column,
        } => ImportError::at(
            crate::import::Format::Curl,
            line,
            column,
            format!("unterminated {quote} quote"),
        ),
        other => ImportError::invalid(crate::import::Format::Curl, other.to_string()),
    };
    let commands = curl_commands(text).map_err(invalid)?;
    if commands.is_empty() {
        return Err(invalid(CurlError::NotCurl));
    }
    let mut report = Report::default();
    let mut coll = ImportedFolder {
        name: "curl import".into(),
        ..ImportedFolder::default()
    };
    for c in commands {
        let (req, notes) = to_request(parse_args(&c.words, c.stdin).map_err(invalid)?);
        let item = format!("curl import/{}", req.name.as_deref().unwrap_or(""));
        for (dropped, what, why) in notes {
            if dropped {
                report.dropped(item.clone(), what, why);
            } else {
                report.changed(item.clone(), what, why);
            }
        }
        coll.items.push(ImportedItem::Request(Box::new(req)));
    }
    coll.name = crate::import::name_from_hosts(&coll.items, &coll.name);
    Ok(Import {
        collections: vec![coll],
        environments: Vec::new(),
        report,
    })
}

/// Every curl command in `text`, its words after `curl`.
fn curl_commands(text: &str) -> Result<Vec<words::Command>, CurlError> {
    let text = crate::import::text::clean_text(text);
    let shell = words::guess_shell(&text);
    let commands = words::split(&text, shell)?;
    Ok(commands
        .into_iter()
        .filter_map(|mut c| {
            // A shell prompt pasted along: `$ curl ...`.
            if c.words.first().is_some_and(|f| f == "$" || f == ">") {
                c.words.remove(0);
            }
            let name = c
                .words
                .first()?
                .rsplit(['/', '\\'])
                .next()?
                .to_ascii_lowercase();
            (name == "curl" || name == "curl.exe").then(|| {
                c.words.remove(0);
                c
            })
        })
        .collect())
}

/// What curl would do, before mapping to postie's model.
#[derive(Default)]
struct Parsed {
    method: Option<String>,
    urls: Vec<String>,
    headers: Vec<(String, String)>,
    data: Vec<Data>,
    json: bool,
    form: Vec<Part>,
    user: Option<String>,
    digest: bool,
    bearer: Option<String>,
    follow: Option<bool>,
    insecure: bool,
    get: bool,
    head: bool,
    upload: Option<String>,
    url_query: Vec<String>,
    max_time: Option<f64>,
    max_redirs: Option<u32>,
    http_version: Option<HttpVersion>,
    /// From a here-document or here-string.
    stdin: Option<String>,
    /// `(dropped?, what, why)`.
    notes: Vec<(bool, String, String)>,
}

enum Data {
    Text(String),
    /// `--json` pieces are joined with nothing between them.
    Json(String),
    /// `@file`; `binary` keeps newlines (`--data-binary`), else curl strips them.
    File {
        path: String,
        binary: bool,
    },
}

fn parse_args(args: &[String], stdin: Option<String>) -> Result<Parsed, CurlError> {
    let mut p = Parsed {
        stdin,
        ..Parsed::default()
    };
    let mut i = 0;
    let mut only_urls = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if only_urls || !a.starts_with('-') || a == "-" {
            p.urls.push(a.clone());
            continue;
        }
        if a == "--" {
            only_urls = true;
            continue;
        }
        if a == "--next" || a == "-:" {
            note(
                &mut p,
                true,
                "everything after --next",
                "a postie request is one request; import the rest separately",
            );
            break;
        }
        if let Some(name) = a.strip_prefix("--") {
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) if options::long(name).is_none() => (n, Some(v.to_string())),
                _ => (name, None),
            };
            let Some((long, takes, negated)) = options::long(name) else {
                p.notes.push((
                    true,
                    format!("option --{name}"),
                    "postie does not know it".into(),
                ));
                continue;
            };
            let value = if takes {
                match inline {
                    Some(v) => Some(v),
                    None => {
                        let v = args
                            .get(i)
                            .cloned()
                            .ok_or_else(|| CurlError::MissingArgument(format!("--{long}")))?;
                        i += 1;
                        Some(v)
                    }
                }
            } else {
                None
            };
            apply(&mut p, long, value, negated);
            continue;
        }
        // Short options, possibly combined: -sSLk, -XPOST, -H'a: b'.
        let letters: Vec<char> = a[1..].chars().collect();
        let mut k = 0;
        while k < letters.len() {
            let c = letters[k];
            k += 1;
            let Some((long, takes)) = options::short(c) else {
                p.notes.push((
                    true,
                    format!("option -{c}"),
                    "postie does not know it".into(),
                ));
                continue;
            };
            if takes {
                let rest: String = letters[k..].iter().collect();
                let value = if rest.is_empty() {
                    let v = args
                        .get(i)
                        .cloned()
                        .ok_or_else(|| CurlError::MissingArgument(format!("-{c}")))?;
                    i += 1;
                    v
                } else {
                    rest
                };
                apply(&mut p, long, Some(value), false);
                break;
            }
            apply(&mut p, long, None, false);
        }
    }
    match p.urls.first() {
        None => Err(CurlError::NoUrl),
        Some(u) if u.trim().is_empty() => Err(CurlError::EmptyUrl),
        Some(_) => Ok(p),
    }
}

fn note(p: &mut Parsed, dropped: bool, what: impl Into<String>, why: impl Into<String>) {
    p.notes.push((dropped, what.into(), why.into()));
}

/// Applies option `--long` (canonical name) with its argument.
fn apply(p: &mut Parsed, long: &str, value: Option<String>, negated: bool) {
    let v = value.unwrap_or_default();
    match long {
        "request" => p.method = Some(v),
        "header" => header(p, &v),
        "data" | "data-ascii" => p.data.push(match v.strip_prefix('@') {
            Some(f) => Data::File {
                path: f.into(),
                binary: false,
            },
            None => Data::Text(v),
        }),
        "data-binary" | "json" => {
            p.json |= long == "json";
            p.data.push(match v.strip_prefix('@') {
                Some(f) => Data::File {
                    path: f.into(),
                    binary: true,
                },
                None if long == "json" => Data::Json(v),
                None => Data::Text(v),
            });
        }
        "data-raw" => p.data.push(Data::Text(v)),
        "data-urlencode" => p.data.push(urlencode_arg(&v)),
        "form" => form(p, &v, false),
        "form-string" => form(p, &v, true),
        "user" => p.user = Some(v),
        "digest" => p.digest = !negated,
        "basic" => p.digest = false,
        "ntlm" | "negotiate" | "anyauth" => note(
            p,
            true,
            format!("--{long} authentication"),
            "postie supports basic, digest, bearer and API key auth; the user name and password are kept as basic auth",
        ),
        "oauth2-bearer" => p.bearer = Some(v),
        "cookie" => {
            if v.contains('=') {
                match p.headers.iter_mut().find(|(n, _)| n == "Cookie") {
                    Some((_, c)) => {
                        c.push(';');
                        c.push_str(&v);
                    }
                    None => p.headers.push(("Cookie".into(), v)),
                }
            } else {
                note(p, true, format!("cookie file {v}"), "postie has its own cookie jar; add the cookies as a Cookie header");
            }
        }
        "cookie-jar" => note(p, true, format!("cookie jar {v}"), "postie keeps cookies in .postie/cookies.json"),
        "user-agent" => p.headers.push(("User-Agent".into(), v)),
        "referer" => {
            let r = v.strip_suffix(";auto").unwrap_or(&v).to_string();
            if !r.is_empty() {
                p.headers.push(("Referer".into(), r));
            }
        }
        "range" => {
            // curl appends the dash a range needs when it is missing.
            let r = if v.contains('-') { v } else { format!("{v}-") };
            p.headers.push(("Range".into(), format!("bytes={r}")));
        }
        "location" | "location-trusted" => p.follow = Some(!negated),
        "insecure" => p.insecure = !negated,
        "compressed" if !negated => note(
            p,
            false,
            "--compressed",
            "postie always accepts and decodes compressed responses",
        ),
        "get" => p.get = !negated,
        "head" => p.head = !negated,
        "url" => p.urls.push(v),
        "url-query" => p.url_query.push(v),
        // Each -T pairs with a URL in order; the request is the first URL's.
        "upload-file" => {
            p.upload.get_or_insert(v);
        }
        "max-time" => p.max_time = v.trim().parse().ok(),
        "max-redirs" => p.max_redirs = v.trim().parse().ok(),
        "http1.1" | "http1.0" => p.http_version = Some(HttpVersion::Http1),
        "http2" | "http2-prior-knowledge" => p.http_version = Some(HttpVersion::Http2),
        "http3" => note(p, true, "--http3", "postie speaks HTTP/1.1 and HTTP/2"),
        "connect-timeout" => note(p, true, format!("--connect-timeout {v}"), "postie has one timeout for the whole exchange"),
        "proxy" => note(p, true, format!("proxy {v}"), "postie uses the proxy from the environment (HTTPS_PROXY, ...)"),
        "proxy-user" => note(p, true, "proxy user", "postie uses the proxy from the environment"),
        "cacert" | "capath" | "cert" | "key" => note(
            p,
            true,
            format!("--{long} {v}"),
            "TLS files are set once for the workspace, in postie.json's `tls`",
        ),
        "aws-sigv4" => note(p, true, "--aws-sigv4", "postie does not sign AWS requests"),
        // Output, diagnostics and connection tuning: no effect on what is sent.
        _ => {}
    }
}

/// `-H "Name: value"`; `Name:` removes the header; `Name;` sends it empty.
fn header(p: &mut Parsed, h: &str) {
    if let Some(file) = h.strip_prefix('@') {
        note(
            p,
            true,
            format!("headers from file {file}"),
            "postie cannot read headers from a file at import",
        );
        return;
    }
    if let Some((name, value)) = h.split_once(':') {
        let name = name.trim().to_string();
        let value = value.trim_start().to_string();
        if value.trim().is_empty() {
            p.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
            return;
        }
        p.headers.push((name, value));
    } else if let Some(name) = h.trim().strip_suffix(';') {
        p.headers.push((name.trim().to_string(), String::new()));
    }
}

/// curl's escaping: letters, digits and `-._~` stay, the rest is %XX.
fn escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `--data-urlencode`: `content`, `=content`, `name=content`, `@file`,
/// `name@file`.
fn urlencode_arg(v: &str) -> Data {
    if let Some((name, content)) = v.split_once('=') {
        return Data::Text(if name.is_empty() {
            escape(content)
        } else {
            format!("{name}={}", escape(content))
        });
    }
    if let Some((_, file)) = v.split_once('@') {
        return Data::File {
            path: file.to_string(),
            binary: false,
        };
    }
    Data::Text(escape(v))
}

/// `-F name=value`, `name=@file;type=x;filename=y`, `name=<file`.
fn form(p: &mut Parsed, arg: &str, literal: bool) {
    let (name, rest) = arg.split_once('=').unwrap_or((arg, ""));
    let mut part = Part {
        name: name.to_string(),
        value: None,
        file: None,
        filename: None,
        content_type: None,
        enabled: true,
        description: None,
        extra: Extra::new(),
    };
    if literal {
        part.value = Some(rest.to_string());
        p.form.push(part);
        return;
    }
    let (kind, rest) = match rest.chars().next() {
        Some('@') => ('@', &rest[1..]),
        Some('<') => ('<', &rest[1..]),
        _ => ('=', rest),
    };
    let (value, params) = split_form_params(rest);
    for (k, v) in params {
        match k.as_str() {
            "type" => part.content_type = Some(v),
            "filename" => part.filename = Some(v),
            other => note(
                p,
                true,
                format!("form part `{name}` parameter {other}"),
                "postie has no such part setting",
            ),
        }
    }
    match kind {
        '@' => part.file = Some(value),
        '<' => {
            note(
                p,
                false,
                format!("form part `{name}` (<{value})"),
                "curl sends the file's content as a text field; postie sends it as a file part",
            );
            part.file = Some(value);
        }
        _ => part.value = Some(value),
    }
    p.form.push(part);
}

/// Splits `value;type=x;filename=y` (a value may be `"quoted"`).
fn split_form_params(s: &str) -> (String, Vec<(String, String)>) {
    let (value, rest) = if let Some(q) = s.strip_prefix('"') {
        let mut v = String::new();
        let mut it = q.char_indices();
        let mut end = q.len();
        while let Some((i, c)) = it.next() {
            match c {
                '\\' => {
                    if let Some((_, n)) = it.next() {
                        v.push(n);
                    }
                }
                '"' => {
                    end = i + 1;
                    break;
                }
                c => v.push(c),
            }
        }
        (v, &q[end..])
    } else {
        let keys = [";type=", ";filename=", ";headers=", ";encoder="];
        let cut = keys
            .iter()
            .filter_map(|k| s.find(k))
            .min()
            .unwrap_or(s.len());
        (s[..cut].to_string(), &s[cut..])
    };
    let params = rest
        .split(';')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            let v = v.trim().trim_matches('"').to_string();
            Some((k.trim().to_string(), v))
        })
        .collect();
    (value, params)
}

/// The request, and `(dropped?, what, why)` notes.
fn to_request(mut p: Parsed) -> (Request, Vec<(bool, String, String)>) {
    let mut notes = std::mem::take(&mut p.notes);
    let mut url = p.urls.first().cloned().unwrap_or_default();
    if p.urls.len() > 1 {
        notes.push((
            true,
            format!("{} more URLs", p.urls.len() - 1),
            "a postie request has one URL".into(),
        ));
    }
    // curl assumes http:// without a scheme (also before a {{variable}}:
    // curl would, and the corpus expects it).
    if !url.contains("://") {
        url = format!("http://{url}");
    }
    let mut query: Vec<String> = Vec::new();
    for q in &p.url_query {
        query.push(match q.strip_prefix('+') {
            Some(raw) => raw.to_string(),
            None => match urlencode_arg(q) {
                Data::Text(t) | Data::Json(t) => t,
                Data::File { path, .. } => {
                    notes.push((
                        true,
                        format!("--url-query from file {path}"),
                        "postie cannot read it at import".into(),
                    ));
                    continue;
                }
            },
        });
    }
    let has_data = !p.data.is_empty();
    if p.get && has_data {
        for d in std::mem::take(&mut p.data) {
            match d {
                Data::Text(t) | Data::Json(t) => query.push(t),
                Data::File { path, .. } => notes.push((
                    true,
                    format!("-G data from file {path}"),
                    "postie cannot read it at import".into(),
                )),
            }
        }
    }
    if !query.is_empty() {
        let (base, frag) = match url.find('#') {
            Some(i) => (url[..i].to_string(), url[i..].to_string()),
            None => (url.clone(), String::new()),
        };
        let sep = if base.contains('?') { "&" } else { "?" };
        url = format!("{base}{sep}{}{frag}", query.join("&"));
    }
    if let Some(file) = &p.upload {
        // curl names the upload after the file when the URL has no file name.
        let path_start = url.find("://").map_or(0, |i| i + 3);
        let path = url[path_start..].find('/').map(|i| &url[path_start + i..]);
        if file != "-" && file != "." && path.map_or(true, |p| p.ends_with('/')) {
            if path.is_none() {
                url.push('/');
            }
            url.push_str(file.rsplit(['/', '\\']).next().unwrap_or(file));
        }
    }
    let method = p.method.clone().unwrap_or_else(|| {
        if p.head {
            "HEAD"
        } else if p.upload.is_some() {
            "PUT"
        } else if (has_data && !p.get) || !p.form.is_empty() {
            "POST"
        } else {
            "GET"
        }
        .to_string()
    });

    let mut req = Request::new(method.clone(), url.clone());
    req.name = Some(request_name(&method, &url));
    req.headers = p
        .headers
        .iter()
        .map(|(n, v)| KeyValue::new(n.clone(), v.clone()))
        .collect();
    let content_type = p
        .headers
        .iter()
        .rev()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.to_ascii_lowercase());

    // Body: -d data wins over -F, which wins over -T (what curl sends).
    let body = if !p.data.is_empty() {
        if !p.form.is_empty() {
            notes.push((
                true,
                "-F form".into(),
                "curl sends the -d data and ignores the form".into(),
            ));
        }
        data_body(
            &mut p,
            content_type.as_deref(),
            &mut req.headers,
            &mut notes,
        )
    } else if !p.form.is_empty() {
        Body::Multipart(std::mem::take(&mut p.form))
    } else if let Some(file) = &p.upload {
        if file == "-" || file == "." {
            notes.push((
                true,
                "upload from standard input".into(),
                "postie cannot read it at import".into(),
            ));
            Body::None
        } else {
            Body::Binary { file: file.clone() }
        }
    } else {
        Body::None
    };
    req.body = BodyWithExtra {
        body,
        extra: Extra::new(),
    };

    // Auth: a user name wins over a bearer token, as in curl.
    if let (Some(_), Some(_)) = (&p.user, &p.bearer) {
        notes.push((
            true,
            "--oauth2-bearer".into(),
            "curl uses the -u credentials instead".into(),
        ));
    }
    if let (None, Some(token)) = (&p.user, p.bearer.take()) {
        req.auth = auth(Auth::Bearer { token });
    } else if let Some(user) = &p.user {
        let (username, password) = match user.split_once(':') {
            Some((u, pw)) => (u.to_string(), pw.to_string()),
            None => (user.clone(), String::new()),
        };
        req.auth = auth(if p.digest {
            Auth::Digest { username, password }
        } else {
            Auth::Basic { username, password }
        });
    }

    // Settings.
    req.settings.follow_redirects = Some(p.follow.unwrap_or(false));
    if p.insecure {
        req.settings.verify_tls = Some(false);
    }
    req.settings.max_redirects = p.max_redirs;
    req.settings.timeout_ms = p
        .max_time
        .filter(|t| t.is_finite() && *t >= 0.0)
        .map(|t| (t * 1000.0).round() as u64);
    req.settings.http_version = p.http_version;
    (req, notes)
}

fn auth(a: Auth) -> AuthWithExtra {
    AuthWithExtra {
        auth: a,
        extra: Extra::new(),
    }
}

/// `GET example.com/users`: method and URL without scheme or query.
fn request_name(method: &str, url: &str) -> String {
    let url = crate::import::secrets::url_for_name(url);
    let url = url.as_str();
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['?', '#']).unwrap_or(rest.len());
    format!("{method} {}", &rest[..end])
}

fn data_body(
    p: &mut Parsed,
    content_type: Option<&str>,
    headers: &mut Vec<KeyValue>,
    notes: &mut Vec<(bool, String, String)>,
) -> Body {
    if p.data.is_empty() {
        return Body::None;
    }
    let mut pieces = std::mem::take(&mut p.data);
    // `@-` reads standard input: a here-document's text when there is one.
    for d in &mut pieces {
        if let Data::File { path, binary } = d {
            if path == "-" {
                if let Some(input) = &p.stdin {
                    let text = if *binary {
                        input.clone()
                    } else {
                        input.replace(['\r', '\n'], "")
                    };
                    *d = Data::Text(text);
                }
            }
        }
    }
    if let [Data::File { path, binary }] = pieces.as_slice() {
        if path == "-" {
            notes.push((
                true,
                "body from standard input".into(),
                "postie cannot read it at import".into(),
            ));
            return Body::None;
        }
        if !binary {
            notes.push((
                false,
                format!("body file {path}"),
                "curl -d strips the file's line breaks; postie sends the file as it is".into(),
            ));
        }
        if content_type.is_none() && !p.json {
            headers.push(KeyValue::new(
                "Content-Type",
                "application/x-www-form-urlencoded",
            ));
        }
        return Body::Binary { file: path.clone() };
    }
    if pieces.iter().any(|d| matches!(d, Data::File { .. })) {
        notes.push((
            true,
            "body".into(),
            "it joins -d text with a file or standard input, which postie cannot read at import"
                .into(),
        ));
        return Body::None;
    }
    let mut text = String::new();
    for (i, d) in pieces.into_iter().enumerate() {
        match d {
            Data::Json(t) => text.push_str(&t),
            Data::Text(t) => {
                if i > 0 {
                    text.push('&');
                }
                text.push_str(&t);
            }
            Data::File { .. } => {}
        }
    }
    if p.json {
        if !headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("accept"))
        {
            headers.push(KeyValue::new("Accept", "application/json"));
        }
        let kind = match content_type {
            Some(ct) if media::kind_of(ct) != MediaKind::Json => RawKind::Text,
            _ => RawKind::Json,
        };
        return Body::Raw { kind, text };
    }
    match content_type {
        Some(ct) => {
            if media::kind_of(ct) == MediaKind::FormUrlEncoded {
                if let Some(fields) = as_form(&text) {
                    return Body::Form(fields);
                }
            }
            let kind = RawKind::from_content_type(ct);
            Body::Raw { kind, text }
        }
        None => {
            if let Some(fields) = as_form(&text) {
                return Body::Form(fields);
            }
            // What curl sends by itself, made explicit.
            headers.push(KeyValue::new(
                "Content-Type",
                "application/x-www-form-urlencoded",
            ));
            Body::Raw {
                kind: RawKind::Text,
                text,
            }
        }
    }
}

/// The fields of a urlencoded body, when encoding them again (as postie
/// will) gives back exactly `text`.
fn as_form(text: &str) -> Option<Vec<KeyValue>> {
    if text.is_empty() {
        return None;
    }
    let fields: Vec<KeyValue> = url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| KeyValue::new(k, v))
        .collect();
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for f in &fields {
        ser.append_pair(&f.name, &f.value);
    }
    (ser.finish() == text).then_some(fields)
}

#[cfg(test)]
mod tests;
