//! Between postie's requests and responses and what scripts see
//! (`pm.request`, `pm.response`), in Postman's shapes.

use std::path::{Path, PathBuf};

use crate::export::postman::{auth_json, body_json};
use crate::http::{PartValue, PreparedBody, PreparedRequest, Response};
use crate::import::postman::{auth_from_json, body_from_json};
use crate::model::{KeyValue, Request};
use crate::script::{
    Phase, Script, ScriptBody, ScriptCookie, ScriptHeader, ScriptParam, ScriptRequest,
    ScriptResponse,
};
use crate::storage::{layout, RequestContext};

/// The scripts of `phase` for the request in `ctx`: the collection's, each
/// folder's, then the request's own, as Postman runs them.
pub fn scripts_for(ctx: &RequestContext, phase: Phase) -> Vec<Script> {
    let pick = |pre: &Option<String>, test: &Option<String>| match phase {
        Phase::PreRequest => pre.clone(),
        Phase::Test => test.clone(),
    };
    let suffix = match phase {
        Phase::PreRequest => "pre.js",
        Phase::Test => "test.js",
    };
    let mut out = Vec::new();
    for (i, (path, folder)) in ctx.chain.iter().enumerate() {
        let own = if i == 0 { "collection" } else { "folder" };
        if let Some(source) =
            pick(&folder.pre_request, &folder.test).filter(|s| !s.trim().is_empty())
        {
            out.push(Script {
                source,
                file: PathBuf::from(format!("{path}/{own}.{suffix}")),
            });
        }
    }
    let req = &ctx.request;
    if let Some(source) = pick(&req.pre_request, &req.test).filter(|s| !s.trim().is_empty()) {
        let stem = crate::storage::workspace::last_segment(&ctx.path);
        let file = match phase {
            Phase::PreRequest => layout::pre_file(stem),
            Phase::Test => layout::test_file(stem),
        };
        let dir = ctx
            .path
            .rsplit_once('/')
            .map(|(d, _)| d)
            .unwrap_or_default();
        out.push(Script {
            source,
            file: PathBuf::from(format!("{dir}/{file}")),
        });
    }
    out
}

/// Whether the request, its folders or its collection have a script for
/// `phase`.
pub fn has_scripts(ctx: &RequestContext, phase: Phase) -> bool {
    let pick = |pre: &Option<String>, test: &Option<String>| match phase {
        Phase::PreRequest => pre.as_ref().is_some_and(|s| !s.trim().is_empty()),
        Phase::Test => test.as_ref().is_some_and(|s| !s.trim().is_empty()),
    };
    pick(&ctx.request.pre_request, &ctx.request.test)
        || (ctx.chain.iter()).any(|(_, f)| pick(&f.pre_request, &f.test))
}

/// The stored request as pre-request scripts see it: templates unresolved,
/// enabled params in the URL (as Postman's `url.raw` has them).
pub fn stored_request(ctx: &RequestContext) -> ScriptRequest {
    let req = &ctx.request;
    let mut url = req.url.clone();
    let mut sep = if url.contains('?') { "&" } else { "?" };
    for p in req.params.iter().filter(|p| p.enabled) {
        url.push_str(sep);
        url.push_str(&p.name);
        url.push('=');
        url.push_str(&p.value);
        sep = "&";
    }
    ScriptRequest {
        id: ctx.path.clone(),
        name: request_name(ctx),
        description: req.description.clone(),
        method: req.method.clone(),
        url,
        headers: req.headers.iter().map(header).collect(),
        body: body_json(&req.body.body).and_then(|v| serde_json::from_value(v).ok()),
        auth: auth_json(&req.auth.auth),
    }
}

/// The request's display name, as `pm.info.requestName` gives it.
pub fn request_name(ctx: &RequestContext) -> String {
    (ctx.request.name.clone())
        .unwrap_or_else(|| crate::storage::workspace::last_segment(&ctx.path).to_string())
}

fn header(kv: &KeyValue) -> ScriptHeader {
    ScriptHeader {
        key: kv.name.clone(),
        value: kv.value.clone(),
        disabled: !kv.enabled,
    }
}

/// Puts what pre-request scripts changed (`after` differs from `before`)
/// into the request to send. Unchanged parts stay as stored, with their
/// params, descriptions and sidecars.
pub fn apply_changes(req: &mut Request, before: &ScriptRequest, after: &ScriptRequest) {
    if after.method != before.method && !after.method.trim().is_empty() {
        req.method = after.method.trim().to_ascii_uppercase();
    }
    if after.url != before.url {
        req.url = after.url.clone();
        // The new URL carries its query.
        req.params.clear();
    }
    if after.headers != before.headers {
        req.headers = (after.headers.iter())
            .map(|h| {
                let mut kv = KeyValue::new(h.key.clone(), h.value.clone());
                kv.enabled = !h.disabled;
                kv
            })
            .collect();
    }
    if after.body != before.body {
        req.body.body = match &after.body {
            Some(b) => match serde_json::to_value(b) {
                Ok(v) => body_from_json(&v, &req.headers),
                Err(_) => req.body.body.clone(),
            },
            None => crate::model::Body::None,
        };
    }
    if after.auth != before.auth {
        req.auth.auth = match &after.auth {
            Some(a) => auth_from_json(a),
            None => crate::model::Auth::Inherit,
        };
    }
}

/// The request as sent, as test scripts see it.
pub fn sent_request(ctx: &RequestContext, sent: &PreparedRequest) -> ScriptRequest {
    let body = match &sent.body {
        PreparedBody::Empty => None,
        PreparedBody::Bytes(b) => Some(ScriptBody {
            mode: "raw".into(),
            raw: Some(String::from_utf8_lossy(b).into_owned()),
            ..ScriptBody::default()
        }),
        PreparedBody::File(path) => Some(ScriptBody {
            mode: "file".into(),
            file: Some(serde_json::json!({"src": path.display().to_string()})),
            ..ScriptBody::default()
        }),
        PreparedBody::Multipart { parts, .. } => Some(ScriptBody {
            mode: "formdata".into(),
            formdata: Some(
                (parts.iter())
                    .map(|p| match &p.value {
                        PartValue::Text(t) => ScriptParam {
                            key: p.name.clone(),
                            value: t.clone(),
                            kind: Some("text".into()),
                            ..ScriptParam::default()
                        },
                        PartValue::File(f) => ScriptParam {
                            key: p.name.clone(),
                            kind: Some("file".into()),
                            src: Some(f.display().to_string()),
                            ..ScriptParam::default()
                        },
                    })
                    .collect(),
            ),
            ..ScriptBody::default()
        }),
    };
    let mut headers: Vec<ScriptHeader> = (sent.headers.iter())
        .map(|(k, v)| ScriptHeader {
            key: k.clone(),
            value: v.clone(),
            disabled: false,
        })
        .collect();
    // The client adds Host on the wire; Postman's runtime puts it in the
    // request scripts see after sending, so a test may check it.
    if !(headers.iter()).any(|h| h.key.eq_ignore_ascii_case("host")) {
        if let Some(host) = host_header(&sent.url) {
            headers.push(ScriptHeader {
                key: "Host".into(),
                value: host,
                disabled: false,
            });
        }
    }
    ScriptRequest {
        id: ctx.path.clone(),
        name: request_name(ctx),
        description: ctx.request.description.clone(),
        method: sent.method.clone(),
        url: sent.url.clone(),
        headers,
        body,
        auth: auth_json(&ctx.request.auth.auth),
    }
}

/// The Host header for `url`: its host, with the port unless it is the
/// scheme's default.
fn host_header(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// `pm.response` for a response.
pub fn script_response(response: &Response) -> ScriptResponse {
    ScriptResponse {
        code: response.status,
        status: response.reason.clone(),
        headers: (response.headers.iter())
            .map(|h| ScriptHeader {
                key: h.name.clone(),
                value: h.value_lossy().into_owned(),
                disabled: false,
            })
            .collect(),
        body: String::from_utf8_lossy(&response.body).into_owned(),
        response_time: response.timings.total.as_secs_f64() * 1000.0,
        response_size: response.wire_size,
        cookies: cookies(response),
    }
}

/// The response's cookies as Postman's scripts see them: the jar's for
/// its URL (cookies earlier responses set included), then any its own
/// `Set-Cookie` headers set that the jar did not keep.
fn cookies(response: &Response) -> Vec<ScriptCookie> {
    let mut out: Vec<ScriptCookie> = (response.cookies.iter())
        .map(|c| ScriptCookie {
            name: c.name.clone(),
            value: c.value.clone(),
            domain: c.domain.clone(),
            path: c.path.clone(),
            expires: c.expires.clone(),
            http_only: c.http_only,
            secure: c.secure,
        })
        .collect();
    let set = (response.headers.iter())
        .filter(|h| h.name.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|h| {
            let raw = h.value_lossy();
            let c = cookie_store::RawCookie::parse(raw.as_ref()).ok()?;
            Some(ScriptCookie {
                name: c.name().to_string(),
                value: c.value().to_string(),
                domain: c.domain().map(str::to_string),
                path: c.path().map(str::to_string),
                expires: (c.expires_datetime()).map(|t| t.to_string()),
                http_only: c.http_only().unwrap_or(false),
                secure: c.secure().unwrap_or(false),
            })
        })
        .collect::<Vec<_>>();
    for c in set {
        if !out.iter().any(|o| o.name == c.name) {
            out.push(c);
        }
    }
    out
}

/// A request a script built for `pm.sendRequest`, ready for the executor.
pub fn script_send(request: &crate::script::ScriptRequest) -> Result<PreparedRequest, String> {
    let url = request.url.trim();
    // Only the network, never the machine: no file:, data: or others.
    // `host:8080/x` is a host and port, not a scheme.
    let scheme = url.split_once(':').filter(|(s, rest)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !rest.starts_with(|c: char| c.is_ascii_digit())
    });
    let url = match scheme {
        Some((s, _)) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") => {
            url.to_string()
        }
        Some((s, _)) => {
            return Err(format!(
                "pm.sendRequest: unsupported protocol `{s}:`; only http and https"
            ))
        }
        None => format!("http://{url}"),
    };
    let mut headers: Vec<(String, String)> = (request.headers.iter())
        .filter(|h| !h.disabled)
        .map(|h| (h.key.clone(), h.value.clone()))
        .collect();
    let has = |headers: &[(String, String)], n: &str| {
        headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
    };
    let body = match &request.body {
        None => PreparedBody::Empty,
        Some(b) => match b.mode.as_str() {
            "raw" => PreparedBody::Bytes(b.raw.clone().unwrap_or_default().into_bytes()),
            "urlencoded" => {
                let mut ser = url::form_urlencoded::Serializer::new(String::new());
                for p in b.urlencoded.iter().flatten().filter(|p| !p.disabled) {
                    ser.append_pair(&p.key, &p.value);
                }
                if !has(&headers, "content-type") {
                    headers.push((
                        "Content-Type".into(),
                        "application/x-www-form-urlencoded".into(),
                    ));
                }
                PreparedBody::Bytes(ser.finish().into_bytes())
            }
            "graphql" => {
                let g = b.graphql.clone().unwrap_or_default();
                if !has(&headers, "content-type") {
                    headers.push(("Content-Type".into(), "application/json".into()));
                }
                PreparedBody::Bytes(g.to_string().into_bytes())
            }
            "" => PreparedBody::Empty,
            // Files would reach the disk: a script may not.
            other => {
                return Err(format!(
                    "pm.sendRequest: body mode `{other}` is not supported"
                ))
            }
        },
    };
    if !has(&headers, "user-agent") {
        headers.push(("User-Agent".into(), crate::prepare::USER_AGENT.into()));
    }
    if !has(&headers, "accept") {
        headers.push(("Accept".into(), "*/*".into()));
    }
    let method = if request.method.trim().is_empty() {
        "GET".to_string()
    } else {
        request.method.trim().to_ascii_uppercase()
    };
    Ok(PreparedRequest {
        method,
        url,
        headers,
        body,
        auth: None,
        settings: Default::default(),
    })
}

/// Files `body` would read that are not inside `dir` (after resolving
/// `..` and links, so neither can be used to step out).
pub fn files_outside(body: &crate::http::PreparedBody, dir: &Path) -> Vec<PathBuf> {
    let files: Vec<&PathBuf> = match body {
        PreparedBody::File(p) => vec![p],
        PreparedBody::Multipart { parts, .. } => (parts.iter())
            .filter_map(|p| match &p.value {
                PartValue::File(f) => Some(f),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let base = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    files
        .into_iter()
        .filter(|f| {
            // A file that does not exist fails when sent, with its own error.
            std::fs::canonicalize(f).is_ok_and(|real| !real.starts_with(&base))
        })
        .cloned()
        .collect()
}

/// Leaves out the body file or form files that cannot be opened, as
/// postman-runtime does (the request goes without them), and says which.
pub fn drop_unreadable_files(body: &mut PreparedBody) -> Vec<String> {
    let unreadable = |p: &Path| std::fs::File::open(p).err();
    let mut warnings = Vec::new();
    match body {
        PreparedBody::File(p) => {
            if let Some(e) = unreadable(p) {
                warnings.push(format!("Binary file load error: {}: {e}", p.display()));
                *body = PreparedBody::Empty;
            }
        }
        PreparedBody::Multipart { parts, .. } => parts.retain(|part| match &part.value {
            PartValue::File(f) => match unreadable(f) {
                Some(e) => {
                    warnings.push(format!(
                        "Form param `{}`, file load error: {}: {e}",
                        part.name,
                        f.display()
                    ));
                    false
                }
                None => true,
            },
            _ => true,
        }),
        _ => {}
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Body;

    fn context(request: Request) -> RequestContext {
        RequestContext {
            root: PathBuf::from("/ws"),
            config: Default::default(),
            chain: vec![("api".into(), Default::default())],
            path: "api/get-user".into(),
            file: PathBuf::from("/ws/api/get-user.json"),
            request,
        }
    }

    #[test]
    fn a_request_no_script_changed_is_sent_as_stored() {
        let mut req = Request::new("POST", "{{base}}/users?a=1");
        req.params.push(KeyValue::new("b", "{{b}}"));
        req.headers.push(KeyValue::new("X-A", "{{a}}"));
        req.body.body = Body::Form(vec![KeyValue::new("k", "v")]);
        let ctx = context(req.clone());
        let seen = stored_request(&ctx);
        assert_eq!(seen.url, "{{base}}/users?a=1&b={{b}}");
        assert_eq!(seen.name, "get-user");
        let mut after = req.clone();
        apply_changes(&mut after, &seen, &seen.clone());
        assert_eq!(after, req);
    }

    #[test]
    fn what_a_script_changed_replaces_the_stored_parts() {
        let req = Request::new("GET", "{{base}}/users");
        let ctx = context(req.clone());
        let before = stored_request(&ctx);
        let mut changed = before.clone();
        changed.method = "put".into();
        changed.url = "{{base}}/users/7?x=1".into();
        changed.headers.push(ScriptHeader {
            key: "X-From-Script".into(),
            value: "yes".into(),
            disabled: false,
        });
        changed.body = Some(ScriptBody {
            mode: "raw".into(),
            raw: Some("{\"a\": 1}".into()),
            options: Some(serde_json::json!({"raw": {"language": "json"}})),
            ..ScriptBody::default()
        });
        let mut after = req;
        apply_changes(&mut after, &before, &changed);
        assert_eq!(after.method, "PUT");
        assert_eq!(after.url, "{{base}}/users/7?x=1");
        assert_eq!(after.headers[0].name, "X-From-Script");
        assert!(matches!(&after.body.body, Body::Raw { text, .. } if text == "{\"a\": 1}"));
    }

    #[test]
    fn send_request_reaches_only_http_and_https() {
        for url in [
            "file:///etc/passwd",
            "data:text/plain,hi",
            "ftp://127.0.0.1/x",
            "javascript://alert(1)",
        ] {
            let r = ScriptRequest {
                method: "GET".into(),
                url: url.into(),
                ..ScriptRequest::default()
            };
            let err = script_send(&r).unwrap_err();
            assert!(err.contains("unsupported protocol"), "{url}: {err}");
        }
        let file_body = ScriptRequest {
            method: "POST".into(),
            url: "http://127.0.0.1/x".into(),
            body: Some(ScriptBody {
                mode: "file".into(),
                file: Some(serde_json::json!({"src": "/etc/passwd"})),
                ..ScriptBody::default()
            }),
            ..ScriptRequest::default()
        };
        assert!(
            script_send(&file_body).is_err(),
            "a file body would read the disk"
        );
        let ok = ScriptRequest {
            method: "get".into(),
            url: "127.0.0.1:8080/x".into(),
            ..ScriptRequest::default()
        };
        let sent = script_send(&ok).unwrap();
        assert_eq!(
            (sent.method.as_str(), sent.url.as_str()),
            ("GET", "http://127.0.0.1:8080/x")
        );
    }
    #[test]
    fn the_sent_request_shows_the_host_header_the_client_adds() {
        let ctx = context(Request::new("GET", "http://127.0.0.1:8080/get"));
        let sent = |url: &str, headers: Vec<(String, String)>| PreparedRequest {
            method: "GET".into(),
            url: url.into(),
            headers,
            body: PreparedBody::Empty,
            auth: None,
            settings: Default::default(),
        };
        let host = |r: &ScriptRequest| -> Vec<String> {
            (r.headers.iter())
                .filter(|h| h.key.eq_ignore_ascii_case("host"))
                .map(|h| h.value.clone())
                .collect()
        };
        let seen = sent_request(&ctx, &sent("http://127.0.0.1:8080/get", vec![]));
        assert_eq!(host(&seen), ["127.0.0.1:8080"]);
        // The scheme's default port is not written.
        let seen = sent_request(&ctx, &sent("https://example.org:443/x", vec![]));
        assert_eq!(host(&seen), ["example.org"]);
        // One the user set is the one sent.
        let own = vec![("host".to_string(), "api.test".to_string())];
        let seen = sent_request(&ctx, &sent("http://127.0.0.1:8080/get", own));
        assert_eq!(host(&seen), ["api.test"]);
    }

    #[test]
    fn unreadable_files_are_left_out_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let here = dir.path().join("a.txt");
        std::fs::write(&here, "a").unwrap();
        let gone = dir.path().join("gone.txt");
        let part = |name: &str, p: &Path| crate::http::FormPart {
            name: name.into(),
            filename: None,
            content_type: None,
            value: PartValue::File(p.to_path_buf()),
        };
        let mut body = PreparedBody::Multipart {
            boundary: "b".into(),
            parts: vec![part("kept", &here), part("file", &gone)],
        };
        let warnings = drop_unreadable_files(&mut body);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("Form param `file`, file load error"));
        let PreparedBody::Multipart { parts, .. } = &body else {
            panic!("still multipart")
        };
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].name, "kept");

        let mut body = PreparedBody::File(gone);
        assert_eq!(drop_unreadable_files(&mut body).len(), 1);
        assert!(matches!(body, PreparedBody::Empty));
        let mut body = PreparedBody::File(here);
        assert!(drop_unreadable_files(&mut body).is_empty());
        assert!(matches!(body, PreparedBody::File(_)));
    }
}
