//! Fields a file has but the model does not know. They are kept (in the
//! model's `extra`, so a newer postie's files survive an older postie's
//! save), and reported: a field close to a known one is most likely a typo
//! that would otherwise silently do nothing (`"hedaers"` sends no headers).
//!
//! What is reported is exactly what landed in an `extra` map, so the check
//! cannot disagree with what the loader did.

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::{
    Auth, AuthWithExtra, Body, BodyWithExtra, Environment, Extra, Folder, KeyValue, Request,
    Settings, TlsSettings, Variable, Variables, WorkspaceConfig,
};

use super::{locate_key, Seg};

/// One unknown field: the object holding it (as a path from the root), the
/// key, and what the object could have had.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownField {
    pub at: Vec<Seg>,
    pub key: String,
    /// Known names of this object.
    known: &'static [&'static str],
    /// Names known to other kinds of this object (another body or auth
    /// type): present but unused, not misspelled.
    other: &'static [&'static str],
    /// The object in words, e.g. "a `json` body".
    what: String,
}

/// Types read from a whole file that may carry unknown fields.
pub trait KnownFields {
    fn unknown_fields(&self) -> Vec<UnknownField>;
}

const REQUEST: &[&str] = &[
    "name", "method", "url", "params", "headers", "body", "auth", "settings", "examples",
];
const FOLDER: &[&str] = &["name", "variables", "headers", "auth", "settings", "order"];
const ENVIRONMENT: &[&str] = &["variables"];
// The known fields of `postie.json`: a field added to `WorkspaceConfig`
// without being listed here still loads (it is not in `extra`); it only
// misses out as a "did you mean" suggestion.
const WORKSPACE: &[&str] = &[
    "format",
    "name",
    "default_environment",
    "settings",
    "tls",
    "telemetry",
];
const TELEMETRY: &[&str] = &["otlp_endpoint", "traceparent", "service_name"];
const ROW: &[&str] = &["name", "value", "enabled", "description"];
const EXAMPLE: &[&str] = &["name", "status", "headers"];
const PART: &[&str] = &[
    "name",
    "value",
    "file",
    "filename",
    "content_type",
    "enabled",
    "description",
];
const SETTINGS: &[&str] = &[
    "timeout_ms",
    "follow_redirects",
    "max_redirects",
    "verify_tls",
    "http_version",
    "max_body_bytes",
    "script_timeout_ms",
    "follow_original_method",
    "follow_authorization_header",
    "remove_referer_on_redirect",
    "prune_body",
    "encode_url",
    "allow_downgrade",
];
const TLS: &[&str] = &["ca_file", "crl_file", "client_cert", "client_key"];
const VARIABLE: &[&str] = &["value", "secret", "enabled", "description"];
const BODY_FIELDS: &[&str] = &["fields", "parts", "file"];
const AUTH_FIELDS: &[&str] = &["username", "password", "token", "key", "value", "in"];

#[derive(Default)]
struct Walk {
    out: Vec<UnknownField>,
}

fn key(at: &[Seg], k: &str) -> Vec<Seg> {
    let mut v = at.to_vec();
    v.push(Seg::Key(k.to_string()));
    v
}

fn index(at: &[Seg], i: usize) -> Vec<Seg> {
    let mut v = at.to_vec();
    v.push(Seg::Index(i));
    v
}

impl Walk {
    fn extra(
        &mut self,
        at: &[Seg],
        extra: &Extra,
        known: &'static [&'static str],
        other: &'static [&'static str],
        what: &str,
    ) {
        for k in extra.keys() {
            self.out.push(UnknownField {
                at: at.to_vec(),
                key: k.clone(),
                known,
                other,
                what: what.to_string(),
            });
        }
    }

    fn rows(&mut self, at: &[Seg], rows: &[KeyValue]) {
        for (i, r) in rows.iter().enumerate() {
            self.extra(&index(at, i), &r.extra, ROW, &[], "a row");
        }
    }

    fn settings(&mut self, at: &[Seg], s: &Settings) {
        self.extra(at, &s.extra, SETTINGS, &[], "settings");
    }

    fn variables(&mut self, at: &[Seg], vars: &Variables) {
        for (name, v) in &vars.0 {
            if let Variable::Detailed { extra, .. } = v {
                self.extra(&key(at, name), extra, VARIABLE, &[], "a variable");
            }
        }
    }

    fn auth(&mut self, at: &[Seg], a: &AuthWithExtra) {
        let known: &'static [&'static str] = match a.auth {
            Auth::Inherit | Auth::None => &["type"],
            Auth::Basic { .. } | Auth::Digest { .. } => &["type", "username", "password"],
            Auth::Bearer { .. } => &["type", "token"],
            Auth::ApiKey { .. } => &["type", "key", "value", "in"],
            Auth::OAuth1(_) => &[
                "type",
                "consumer_key",
                "consumer_secret",
                "token",
                "token_secret",
                "signature_method",
                "timestamp",
                "nonce",
                "version",
                "realm",
                "callback",
                "verifier",
                "private_key",
                "in",
                "sign_empty",
            ],
            Auth::Hawk(_) => &[
                "type",
                "id",
                "key",
                "algorithm",
                "ext",
                "app",
                "dlg",
                "timestamp",
                "nonce",
                "payload_hash",
            ],
            Auth::AwsV4(_) => &[
                "type",
                "access_key",
                "secret_key",
                "session_token",
                "region",
                "service",
                "unsigned_payload",
                "in",
            ],
            Auth::OAuth2(_) => crate::model::OAuth2Auth::KEYS,
            Auth::Jwt(_) => crate::model::JwtAuth::KEYS,
        };
        let what = format!("`{}` auth", a.auth.type_name());
        self.extra(at, &a.extra, known, AUTH_FIELDS, &what);
    }

    fn body(&mut self, at: &[Seg], b: &BodyWithExtra) {
        let known: &'static [&'static str] = match &b.body {
            Body::Form(rows) => {
                self.rows(&key(at, "fields"), rows);
                &["type", "fields"]
            }
            Body::Multipart(parts) => {
                for (i, p) in parts.iter().enumerate() {
                    let here = index(&key(at, "parts"), i);
                    self.extra(&here, &p.extra, PART, &[], "a multipart part");
                }
                &["type", "parts"]
            }
            Body::Binary { .. } => &["type", "file"],
            Body::None | Body::Raw { .. } | Body::GraphQl { .. } => &["type"],
        };
        let what = format!("a `{}` body", b.body.type_name());
        self.extra(at, &b.extra, known, BODY_FIELDS, &what);
    }
}

impl KnownFields for Request {
    fn unknown_fields(&self) -> Vec<UnknownField> {
        let mut w = Walk::default();
        w.extra(&[], &self.extra, REQUEST, &[], "a request");
        w.rows(&key(&[], "params"), &self.params);
        w.rows(&key(&[], "headers"), &self.headers);
        w.body(&key(&[], "body"), &self.body);
        w.auth(&key(&[], "auth"), &self.auth);
        w.settings(&key(&[], "settings"), &self.settings);
        for (i, ex) in self.examples.iter().enumerate() {
            let at = index(&key(&[], "examples"), i);
            w.extra(&at, &ex.extra, EXAMPLE, &[], "an example");
            w.rows(&key(&at, "headers"), &ex.headers);
        }
        w.out
    }
}

impl KnownFields for Folder {
    fn unknown_fields(&self) -> Vec<UnknownField> {
        let mut w = Walk::default();
        w.extra(&[], &self.extra, FOLDER, &[], "a collection or folder");
        w.variables(&key(&[], "variables"), &self.variables);
        w.rows(&key(&[], "headers"), &self.headers);
        w.auth(&key(&[], "auth"), &self.auth);
        w.settings(&key(&[], "settings"), &self.settings);
        w.out
    }
}

impl KnownFields for Environment {
    fn unknown_fields(&self) -> Vec<UnknownField> {
        let mut w = Walk::default();
        w.extra(&[], &self.extra, ENVIRONMENT, &[], "an environment");
        w.variables(&key(&[], "variables"), &self.variables);
        w.out
    }
}

impl KnownFields for WorkspaceConfig {
    fn unknown_fields(&self) -> Vec<UnknownField> {
        let mut w = Walk::default();
        w.extra(&[], &self.extra, WORKSPACE, &[], "postie.json");
        w.settings(&key(&[], "settings"), &self.settings);
        tls(&mut w, &self.tls);
        let t = &self.telemetry;
        w.extra(
            &key(&[], "telemetry"),
            &t.extra,
            TELEMETRY,
            &[],
            "telemetry",
        );
        w.out
    }
}

fn tls(w: &mut Walk, t: &TlsSettings) {
    w.extra(&key(&[], "tls"), &t.extra, TLS, &[], "tls");
}

/// Names users bring from other tools, too far from ours for the edit
/// distance to find.
const ALIASES: &[(&str, &str)] = &[
    ("query", "params"),
    ("queryparams", "params"),
    ("querystring", "params"),
    ("timeout", "timeout_ms"),
    ("data", "body"),
    ("redirects", "follow_redirects"),
];

/// Where the things that are not JSON fields live.
fn sidecar_hint(norm: &str, known: &[&str]) -> Option<&'static str> {
    let in_request_or_folder = known.contains(&"method") || known.contains(&"order");
    if !in_request_or_folder {
        return None;
    }
    match norm {
        "description" | "docs" => Some("a description lives in the `.md` file beside it"),
        "prerequest" | "prerequestscript" | "test" | "tests" | "script" | "scripts" | "event" => {
            Some("scripts live in the `.pre.js` and `.test.js` files beside it")
        }
        _ => None,
    }
}

/// Lowercase without `_` and `-`, so `timeoutMs`, `Timeout-MS` and
/// `timeout_ms` compare equal.
fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The known name `key` most likely meant, if any is close enough.
pub fn suggestion(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let norm = normalize(key);
    if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == norm) {
        if let Some(k) = known.iter().find(|k| *k == target) {
            return Some(k);
        }
    }
    // One edit in four characters, at least one: `hedaers` (one swap) and
    // `header` are found, `foo` is not taken for `form`.
    let limit = (norm.chars().count() / 3).max(1);
    known
        .iter()
        .map(|k| (edit_distance(&norm, &normalize(k)), *k))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k)
}

/// Optimal string alignment distance (Damerau–Levenshtein without
/// repeated edits of one substring): a swap of two neighbours counts one,
/// the commonest typo. Small enough not to need a crate.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

fn path_text(at: &[Seg]) -> String {
    let mut s = String::new();
    for seg in at {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// The diagnostic for one unknown field of `text` (the file as read, shown
/// as `shown`); `None` for a field marked as the user's own (`x-…`, `_…`).
pub fn diagnose(shown: &Path, text: &str, u: &UnknownField) -> Option<Diagnostic> {
    if u.key.starts_with("x-") || u.key.starts_with('_') {
        return None;
    }
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let place = if u.at.is_empty() {
        String::new()
    } else {
        format!(" in {}", path_text(&u.at))
    };
    let name = crate::safe_text::escape(&u.key, false);
    let d = if u.other.contains(&u.key.as_str()) {
        Diagnostic::warning(
            shown,
            format!("field `{name}`{place} is not used by {}", u.what),
        )
        .with_label("kept on save, but ignored")
    } else if let Some(hint) = sidecar_hint(&normalize(&u.key), u.known) {
        Diagnostic::warning(shown, format!("unknown field `{name}`{place}; {hint}"))
            .with_label("kept on save, but ignored")
    } else if let Some(s) = suggestion(&u.key, u.known) {
        Diagnostic::warning(
            shown,
            format!("unknown field `{name}`{place}; did you mean `{s}`?"),
        )
        .with_label(format!("did you mean `{s}`?"))
    } else {
        Diagnostic::note(
            shown,
            format!("unknown field `{name}`{place} is kept but not used by this version of postie"),
        )
        .with_label("prefix it with `x-` to mark it as your own")
    };
    let d = d.with_len(u.key.chars().count() + 2);
    Some(match locate_key(body, &u.at, &u.key) {
        Some(off) => d.at_offset(body, off),
        None => d,
    })
}

/// Every unknown field of `value` (parsed from `text`) as a diagnostic.
pub fn diagnostics<T: KnownFields>(shown: &Path, text: &str, value: &T) -> Vec<Diagnostic> {
    value
        .unknown_fields()
        .iter()
        .filter_map(|u| diagnose(shown, text, u))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Severity;
    use crate::storage::parse_json;

    fn check<T: KnownFields + serde::de::DeserializeOwned>(src: &str) -> Vec<String> {
        let p = Path::new("f.json");
        let v: T = parse_json(p, src).unwrap();
        diagnostics(p, src, &v)
            .iter()
            .map(Diagnostic::render_short)
            .collect()
    }

    #[test]
    fn edit_distance_counts_a_swap_as_one() {
        assert_eq!(edit_distance("hedaers", "headers"), 1);
        assert_eq!(edit_distance("header", "headers"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("é", "e"), 1);
    }

    #[test]
    fn close_names_are_suggested_far_ones_are_not() {
        assert_eq!(suggestion("hedaers", REQUEST), Some("headers"));
        assert_eq!(suggestion("Headers", REQUEST), Some("headers"));
        assert_eq!(suggestion("mehtod", REQUEST), Some("method"));
        assert_eq!(suggestion("uri", REQUEST), Some("url"));
        assert_eq!(suggestion("timeoutMs", SETTINGS), Some("timeout_ms"));
        assert_eq!(suggestion("timeout", SETTINGS), Some("timeout_ms"));
        assert_eq!(suggestion("query", REQUEST), Some("params"));
        assert_eq!(suggestion("owner", REQUEST), None);
        assert_eq!(suggestion("foo", ROW), None);
        assert_eq!(
            suggestion("default_enviroment", WORKSPACE),
            Some("default_environment")
        );
    }

    #[test]
    fn a_misspelled_request_field_is_a_warning_at_the_key() {
        let src = "{\n  \"method\": \"GET\",\n  \"url\": \"/\",\n  \"hedaers\": []\n}";
        assert_eq!(
            check::<Request>(src),
            ["f.json:4:3: warning: unknown field `hedaers`; did you mean `headers`?"]
        );
    }

    #[test]
    fn nested_objects_are_checked_with_their_path() {
        let src = r#"{
  "method": "POST",
  "url": "/",
  "headers": [{"name": "a", "valeu": "1"}],
  "params": [{"name": "b", "enabled": false, "x-mine": 1}],
  "body": {"type": "form", "fields": [{"name": "c", "vale": "2"}], "parts": []},
  "auth": {"type": "bearer", "tokne": "t"},
  "settings": {"timeout": 5},
  "examples": [{"name": "ok", "stauts": 200, "headers": [{"name": "d", "enabeld": true}]}]
}"#;
        assert_eq!(
            check::<Request>(src),
            [
                "f.json:4:29: warning: unknown field `valeu` in headers[0]; did you mean `value`?",
                "f.json:6:53: warning: unknown field `vale` in body.fields[0]; did you mean `value`?",
                "f.json:6:68: warning: field `parts` in body is not used by a `form` body",
                "f.json:7:30: warning: unknown field `tokne` in auth; did you mean `token`?",
                "f.json:8:16: warning: unknown field `timeout` in settings; did you mean `timeout_ms`?",
                "f.json:9:31: warning: unknown field `stauts` in examples[0]; did you mean `status`?",
                "f.json:9:72: warning: unknown field `enabeld` in examples[0].headers[0]; did you mean `enabled`?",
            ]
        );
    }

    #[test]
    fn every_file_kind_is_checked() {
        assert_eq!(
            check::<Folder>("{\"nmae\": \"x\", \"variables\": {\"t\": {\"secert\": true}}}"),
            [
                "f.json:1:2: warning: unknown field `nmae`; did you mean `name`?",
                "f.json:1:35: warning: unknown field `secert` in variables.t; did you mean `secret`?",
            ]
        );
        assert_eq!(
            check::<Environment>("{\"varaibles\": {}}"),
            ["f.json:1:2: warning: unknown field `varaibles`; did you mean `variables`?"]
        );
        assert_eq!(
            check::<WorkspaceConfig>(
                "{\"format\": 1, \"settings\": {\"verify_tsl\": false}, \"tls\": {\"ca_fil\": \"x\"}}"
            ),
            [
                "f.json:1:28: warning: unknown field `verify_tsl` in settings; did you mean `verify_tls`?",
                "f.json:1:58: warning: unknown field `ca_fil` in tls; did you mean `ca_file`?",
            ]
        );
    }

    #[test]
    fn a_far_unknown_field_is_a_note_and_an_x_field_is_silent() {
        let src = r#"{"method": "GET", "url": "/", "owner": "me", "x-team": "a", "_c": 1}"#;
        let p = Path::new("f.json");
        let v: Request = parse_json(p, src).unwrap();
        let d = diagnostics(p, src, &v);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].severity, Severity::Note);
        assert!(d[0].message.contains("`owner`"), "{}", d[0].message);
    }

    #[test]
    fn a_description_field_points_at_the_sidecar() {
        let src = r#"{"method": "GET", "url": "/", "description": "hi"}"#;
        let d = check::<Request>(src);
        assert!(d[0].contains("`.md` file beside it"), "{d:?}");
    }
}
