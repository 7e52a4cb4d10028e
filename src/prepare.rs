//! From a stored request to a [`PreparedRequest`]: inherit headers, auth
//! and settings from folders and the collection, resolve `{{variables}}`,
//! apply auth, encode the body.
//!
//! Every problem is collected, not just the first, and each knows the file
//! and field it came from, so the user can fix them all in one go.

mod auth;

/// AWS SigV4 signing, public for AWS's test suite (`tests/sigv4_suite.rs`).
pub use auth::sigv4;
mod body;
mod error;
mod scopes;
mod url_rules;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::http::{HttpVersionPref, PreparedRequest, SendSettings};
use crate::model::{Auth, HttpVersion, KeyValue, Settings};
use crate::storage::RequestContext;
use crate::vars::{Resolver, Scopes};
pub(crate) use url_rules::with_scheme;

pub use auth::{AuthProblem, WireAuth};
pub use error::{Field, Hint, PrepareError, Problem};
pub use scopes::{
    build_scopes, scopes_after_scripts, script_scopes, LoadedEnvironment, SessionVars, VarInputs,
    VarSources, ENV_VAR_PREFIX,
};

/// Sent when the user sets no `User-Agent`.
pub const USER_AGENT: &str = concat!("postie/", env!("CARGO_PKG_VERSION"));

/// The request to send, plus what the user may want to see of it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub request: PreparedRequest,
    /// The workspace path of the request, e.g. `users/get-user`.
    pub path: String,
    /// Credentials the auth put on the wire, for redaction.
    pub secrets: Vec<String>,
    /// OAuth 2.0 auth, resolved: the request still needs its token.
    pub oauth2: Option<PendingOAuth2>,
}

/// OAuth 2.0 settings with their variables resolved, and the file that
/// sets them (for errors).
#[derive(Debug, Clone)]
pub struct PendingOAuth2 {
    pub auth: Box<crate::model::OAuth2Auth>,
    pub file: PathBuf,
}

/// Where each template came from, so errors can point into the right file.
struct Origin {
    file: PathBuf,
    /// The template is the whole sidecar file (exact positions).
    whole_file: bool,
}

struct Ctx<'a, 'r> {
    resolver: Resolver<'r>,
    problems: Vec<Problem>,
    root: &'a Path,
    inputs: &'a VarInputs,
    secrets: Vec<String>,
}

impl Ctx<'_, '_> {
    fn resolve(&mut self, template: &str, field: Field, origin: &Origin) -> String {
        match self.resolver.resolve_all(template) {
            Ok(s) => s,
            Err(errors) => {
                for error in errors {
                    let hint = match &error {
                        crate::vars::VarError::Undefined { name, .. } => {
                            scopes::undefined_hint(self.inputs, &self.secrets, name)
                        }
                        _ => None,
                    };
                    self.problems.push(Problem::Var {
                        hint,
                        error,
                        field: field.clone(),
                        template: template.to_string(),
                        file: origin.file.clone(),
                        whole_file: origin.whole_file,
                    });
                }
                String::new()
            }
        }
    }
}

/// Prepares the request in `ctx` with the variables in `scopes`; `inputs`
/// only gives hints (which names are secret, which environments exist).
/// Reads no file but a multipart part's (see [`body`]).
pub fn prepare(
    ctx: &RequestContext,
    scopes: &Scopes,
    inputs: &VarInputs,
) -> Result<Prepared, PrepareError> {
    let resolver = Resolver::new(scopes);
    let mut cx = Ctx {
        resolver: if inputs.keep_undefined {
            resolver.keeping_undefined()
        } else {
            resolver
        },
        problems: Vec::new(),
        root: &ctx.root,
        inputs,
        secrets: inputs.secret_names(),
    };
    let req = &ctx.request;
    let req_origin = Origin {
        file: ctx.file.clone(),
        whole_file: false,
    };
    let dir = ctx.file.parent().unwrap_or(&ctx.root).to_path_buf();
    let stem = crate::storage::workspace::last_segment(&ctx.path).to_string();

    // URL and query.
    let mut url = cx.resolve(&req.url, Field::Url, &req_origin);
    let mut query: Vec<(String, String)> = Vec::new();
    for p in req.params.iter().filter(|p| p.enabled) {
        let name = cx.resolve(&p.name, Field::Param(p.name.clone()), &req_origin);
        let value = cx.resolve(&p.value, Field::Param(p.name.clone()), &req_origin);
        query.push((name, value));
    }

    // Headers: collection, then folders, then the request; a nearer one
    // replaces a farther one of the same name.
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut layers: Vec<(&[KeyValue], Origin)> = ctx
        .chain
        .iter()
        .enumerate()
        .map(|(i, (path, f))| {
            let file = ctx.root.join(path).join(if i == 0 {
                "collection.json"
            } else {
                "folder.json"
            });
            (
                f.headers.as_slice(),
                Origin {
                    file,
                    whole_file: false,
                },
            )
        })
        .collect();
    layers.push((
        req.headers.as_slice(),
        Origin {
            file: ctx.file.clone(),
            whole_file: false,
        },
    ));
    for (layer, origin) in &layers {
        let mut mine: Vec<(String, String)> = Vec::new();
        for h in layer.iter().filter(|h| h.enabled) {
            let name = cx.resolve(&h.name, Field::Header(h.name.clone()), origin);
            let value = cx.resolve(&h.value, Field::Header(h.name.clone()), origin);
            mine.push((name, value));
        }
        headers.retain(|(n, _)| !mine.iter().any(|(m, _)| m.eq_ignore_ascii_case(n)));
        headers.extend(mine);
    }
    let has_header = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };

    // Auth: the request's, or the nearest folder's, or the collection's.
    // Resolved now with everything else; applied last, once URL and body
    // are final, so a signature can cover them.
    let (auth, auth_origin) = effective_auth(ctx);
    let before = cx.problems.len();
    let mut wire_auth = auth::resolve(&auth, |t, f| cx.resolve(t, Field::Auth(f), &auth_origin));
    // Signed now (a JWT) or checked (an RSA key), unless a variable is
    // missing, which is the problem to report.
    if cx.problems.len() == before {
        if let Err(p) = wire_auth.finish(unix_now()) {
            cx.problems.push(Problem::Invalid {
                field: Field::Auth(p.field),
                file: auth_origin.file.clone(),
                message: p.message,
            });
        }
    }
    // A pruned body is still prepared (scripts see it, as in Postman) but
    // neither it nor its Content-Type is sent.
    let prune = inherited_settings(ctx).prunes_body_of(&req.method);
    let (body, content_type) = body::prepare_body(&mut cx, req, &dir, &stem, &req_origin);
    if let Some(ct) = content_type.filter(|_| !prune) {
        if !has_header(&headers, "content-type") {
            headers.push(("Content-Type".into(), ct));
        }
    }
    if !has_header(&headers, "user-agent") {
        headers.push(("User-Agent".into(), USER_AGENT.into()));
    }
    if !has_header(&headers, "accept") {
        headers.push(("Accept".into(), "*/*".into()));
    }

    if !cx.problems.is_empty() {
        return Err(PrepareError::Problems(cx.problems));
    }
    url = with_scheme(url.trim());
    let settings = SendSettings {
        omit_body: prune,
        ..effective_settings(ctx)
    };
    if settings.encode_url {
        append_query(&mut url, &query);
    } else {
        // Postman's disableUrlEncoding: the table's names and values as written.
        append_query_as_written(&mut url, &query);
    }

    let mut request = PreparedRequest {
        method: req.method.clone(),
        url,
        headers,
        body,
        auth: None,
        settings,
    };
    let secrets = wire_auth.secrets();
    let oauth2 = match wire_auth {
        WireAuth::OAuth2(auth) => Some(PendingOAuth2 {
            auth,
            file: auth_origin.file,
        }),
        other => {
            other.apply(&mut request);
            None
        }
    };
    Ok(Prepared {
        request,
        path: ctx.path.clone(),
        secrets,
        oauth2,
    })
}

/// Seconds since the Unix epoch.
fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Characters percent-encoded in a query name or value (the editor's URL
/// line uses the same set, so it shows what is sent).
pub const QUERY: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'&')
    .add(b'+')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'%');

pub(crate) fn append_query(url: &mut String, query: &[(String, String)]) {
    append_with(url, query, |s| {
        percent_encoding::utf8_percent_encode(s, QUERY).collect()
    });
}

fn append_query_as_written(url: &mut String, query: &[(String, String)]) {
    append_with(url, query, str::to_string);
}

fn append_with(url: &mut String, query: &[(String, String)], encode: impl Fn(&str) -> String) {
    if query.is_empty() {
        return;
    }
    // Keep a #fragment at the end, where it belongs.
    let fragment = url.find('#').map(|i| url.split_off(i));
    let mut sep = if url.contains('?') {
        if url.ends_with('?') || url.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    for (k, v) in query {
        url.push_str(sep);
        url.push_str(&encode(k));
        url.push('=');
        url.push_str(&encode(v));
        sep = "&";
    }
    if let Some(f) = fragment {
        url.push_str(&f);
    }
}

/// The auth the request is sent with: its own, or the nearest folder's.
pub fn auth_in_effect(ctx: &RequestContext) -> Auth {
    effective_auth(ctx).0
}

fn effective_auth(ctx: &RequestContext) -> (Auth, Origin) {
    if !ctx.request.auth.auth.is_inherit() {
        return (
            ctx.request.auth.auth.clone(),
            Origin {
                file: ctx.file.clone(),
                whole_file: false,
            },
        );
    }
    for (i, (path, folder)) in ctx.chain.iter().enumerate().rev() {
        if !folder.auth.auth.is_inherit() {
            let name = if i == 0 {
                "collection.json"
            } else {
                "folder.json"
            };
            return (
                folder.auth.auth.clone(),
                Origin {
                    file: ctx.root.join(path).join(name),
                    whole_file: false,
                },
            );
        }
    }
    (
        Auth::None,
        Origin {
            file: ctx.file.clone(),
            whole_file: false,
        },
    )
}

/// The request's settings as written, gaps filled from folders,
/// collection, workspace.
fn inherited_settings(ctx: &RequestContext) -> Settings {
    let mut s: Settings = ctx.request.settings.clone();
    for (_, folder) in ctx.chain.iter().rev() {
        s = s.or(&folder.settings);
    }
    s.or(&ctx.config.settings)
}

/// The time limit of each of the request's scripts, if a setting gives one
/// (`script_timeout_ms`; else the engine's default).
pub fn script_timeout(ctx: &RequestContext) -> Option<Duration> {
    inherited_settings(ctx)
        .script_timeout_ms
        .map(Duration::from_millis)
}

/// The request's settings, gaps filled from folders, collection, workspace.
pub fn effective_settings(ctx: &RequestContext) -> SendSettings {
    let s = inherited_settings(ctx);
    let d = SendSettings::default();
    SendSettings {
        // 0 means no timeout, as in curl's --max-time 0.
        timeout: match s.timeout_ms {
            Some(0) => None,
            Some(ms) => Some(Duration::from_millis(ms)),
            None => d.timeout,
        },
        follow_redirects: s.follow_redirects.unwrap_or(d.follow_redirects),
        max_redirects: s.max_redirects.unwrap_or(d.max_redirects),
        verify_tls: s.verify_tls.unwrap_or(d.verify_tls),
        http_version: match s.http_version {
            None | Some(HttpVersion::Auto) => HttpVersionPref::Auto,
            Some(HttpVersion::Http1) => HttpVersionPref::Http1,
            Some(HttpVersion::Http2) => HttpVersionPref::Http2,
        },
        max_body_bytes: s.max_body_bytes.unwrap_or(d.max_body_bytes),
        follow_original_method: (s.follow_original_method).unwrap_or(d.follow_original_method),
        follow_authorization_header: (s.follow_authorization_header)
            .unwrap_or(d.follow_authorization_header),
        remove_referer_on_redirect: (s.remove_referer_on_redirect)
            .unwrap_or(d.remove_referer_on_redirect),
        omit_body: d.omit_body,
        encode_url: s.encode_url.unwrap_or(d.encode_url),
        allow_downgrade: s.allow_downgrade.unwrap_or(d.allow_downgrade),
        credential_headers: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
