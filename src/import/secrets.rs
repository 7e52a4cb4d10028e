//! Credentials in imported requests (Authorization and Cookie headers,
//! API-key headers and query parameters, auth passwords and tokens, a
//! password in the URL) are not written into committed files: each value
//! becomes a secret variable of every environment of the workspace (its
//! value in the git-ignored `.postie/secrets/<env>.json`) and the request
//! gets `{{name}}`. With no environment to hold it, the value stays and the
//! report says so, naming the file and the field.

use std::path::Path;

use crate::model::{Auth, Extra, Folder, KeyValue, Request, Variable, Variables};
use crate::storage::{load, save, state, StorageError};

use super::{ImportedEnvironment, Report};

/// Words that make a header, parameter or variable name a credential's.
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "apikey",
    "secret",
    "password",
    "passwd",
    "accesskey",
    "session",
];

/// A variable name that says it holds a credential (`token`, `api_key`,
/// `client_secret`, `password`), stricter than a query parameter's, since
/// `key` or `code` alone name all sorts of variables.
pub(crate) fn is_credential_variable(name: &str) -> bool {
    has_credential_word(&normalize(name))
}

/// Header names that carry a credential, compared lowercase without `-`
/// and `_` (so `X-API-Key`, `x_api_key` and `XApiKey` are one).
pub(crate) fn is_credential_header(name: &str) -> bool {
    let n = normalize(name);
    matches!(
        n.as_str(),
        "authorization" | "proxyauthorization" | "cookie"
    ) || has_credential_word(&n)
        || n.starts_with("xauth")
}

/// Whether a normalized name holds one of [`CREDENTIAL_WORDS`].
fn has_credential_word(normalized: &str) -> bool {
    CREDENTIAL_WORDS.iter().any(|w| normalized.contains(w))
}

/// Query parameter names that carry a credential.
fn is_credential_param(name: &str) -> bool {
    let n = normalize(name);
    matches!(n.as_str(), "key" | "sig" | "signature" | "auth" | "code") || has_credential_word(&n)
}

fn normalize(s: &str) -> String {
    s.chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A variable name made from a header or parameter name: `X-API-Key` →
/// `x_api_key`.
fn var_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() {
        "secret".to_string()
    } else {
        out
    }
}

/// A value that is (or holds) a variable reference is left alone: its
/// value is wherever that variable is set.
fn needs_moving(value: &str) -> bool {
    !value.trim().is_empty() && !value.contains("{{")
}

/// Where credentials go: the workspace's environments.
pub struct SecretStore {
    envs: Vec<String>,
    /// Names used by any environment (declared or in its secrets file),
    /// with the secret value when every environment agrees on one.
    existing: Vec<(String, Option<String>)>,
    /// What this import moved, in order.
    moved: Vec<(String, String)>,
}

impl SecretStore {
    pub fn for_workspace(root: &Path) -> Result<SecretStore, StorageError> {
        let envs = load::list_environments(root);
        let mut existing: Vec<(String, Option<String>)> = Vec::new();
        for env in &envs {
            let secrets = state::load_secrets(root, env)?;
            let declared = load::load_environment(root, env)
                .map(|e| e.variables.0)
                .unwrap_or_default();
            let names = declared
                .iter()
                .map(|(n, _)| n.clone())
                .chain(secrets.iter().map(|(n, _)| n.clone()));
            for name in names {
                let value = secrets.iter().find(|(n, _)| *n == name).map(|(_, v)| v);
                match existing.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, known)) if known.as_ref() != value => *known = None,
                    Some(_) => {}
                    None => existing.push((name, value.cloned())),
                }
            }
        }
        Ok(SecretStore {
            envs,
            existing,
            moved: Vec::new(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.moved.is_empty()
    }

    /// The variable holding `value`, named after `hint` when new; `None`
    /// when there is no environment to keep it in.
    fn place(&mut self, hint: &str, value: &str) -> Option<String> {
        if self.envs.is_empty() {
            return None;
        }
        if let Some((n, _)) = self.moved.iter().find(|(_, v)| v == value) {
            return Some(n.clone());
        }
        if let Some((n, _)) = self
            .existing
            .iter()
            .find(|(_, v)| v.as_deref() == Some(value))
        {
            return Some(n.clone());
        }
        let taken = |s: &str| {
            self.existing.iter().any(|(n, _)| n == s) || self.moved.iter().any(|(n, _)| n == s)
        };
        let name = std::iter::once(hint.to_string())
            .chain((2..).map(|i| format!("{hint}_{i}")))
            .find(|n| !taken(n))
            .unwrap_or_else(|| hint.to_string());
        self.moved.push((name.clone(), value.to_string()));
        Some(name)
    }

    /// Moves `value` under exactly `name` (requests refer to it by that
    /// name); `Err` says why it cannot.
    fn place_exact(&mut self, name: &str, value: &str) -> Result<(), &'static str> {
        if self.envs.is_empty() {
            return Err("no environment");
        }
        let same = |v: &str| v == value;
        if let Some((_, v)) = self.moved.iter().find(|(n, _)| n == name) {
            return if same(v) { Ok(()) } else { Err("taken") };
        }
        if let Some((_, v)) = self.existing.iter().find(|(n, _)| n == name) {
            return if v.as_deref().is_some_and(same) {
                Ok(())
            } else {
                Err("taken")
            };
        }
        self.moved.push((name.to_string(), value.to_string()));
        Ok(())
    }

    /// Declares each moved variable as a secret in every environment and
    /// puts its value in that environment's secrets file.
    pub fn save(&self, root: &Path) -> Result<(), StorageError> {
        if self.moved.is_empty() {
            return Ok(());
        }
        for env in &self.envs {
            let mut e = load::load_environment(root, env)?;
            for (name, _) in &self.moved {
                if e.variables.get(name).is_none() {
                    e.variables.0.push((
                        name.clone(),
                        Variable::Detailed {
                            value: None,
                            secret: true,
                            enabled: true,
                            description: None,
                            extra: Extra::new(),
                        },
                    ));
                }
            }
            save::save_environment(root, env, &e)?;
            let mut values = state::load_secrets(root, env)?;
            for (name, value) in &self.moved {
                match values.iter_mut().find(|(n, _)| n == name) {
                    Some(slot) => slot.1 = value.clone(),
                    None => values.push((name.clone(), value.clone())),
                }
            }
            state::save_secrets(root, env, &values)?;
        }
        Ok(())
    }

    fn where_(&self) -> String {
        let files: Vec<String> = self
            .envs
            .iter()
            .map(|e| format!(".postie/secrets/{e}.json"))
            .collect();
        format!(
            "moved into secret variables of environment{} {}: the values are in {} (git-ignored), the files have {{{{name}}}}",
            if self.envs.len() == 1 { "" } else { "s" },
            self.envs.join(", "),
            files.join(", ")
        )
    }
}

const KEPT_WHY: &str = "a credential written as is: the workspace has no environment to keep it in as a secret (add environments/NAME.json and re-import, or move it by hand)";

/// `url` fit to name a request by: without the password of its userinfo
/// and without a query that carries a credential, since names become file
/// names and tree labels that are committed and shown.
pub fn url_for_name(url: &str) -> String {
    let mut out = url.to_string();
    if let Some(scheme_end) = out.find("://") {
        let start = scheme_end + 3;
        let end = out[start..]
            .find(['/', '?', '#'])
            .map_or(out.len(), |i| start + i);
        if let Some(at) = out[start..end].rfind('@') {
            out.replace_range(start..=start + at, "");
        }
    }
    if let Some(q) = out.find('?') {
        let end = out[q..].find('#').map_or(out.len(), |i| q + i);
        let secret = out[q + 1..end]
            .split('&')
            .any(|p| is_credential_param(p.split('=').next().unwrap_or("")));
        if secret {
            out.replace_range(q..end, "");
        }
    }
    out
}

/// Moves one value, or reports it kept. Returns the replacement.
fn take(
    store: &mut SecretStore,
    report: &mut Report,
    file: &str,
    field: &str,
    hint: &str,
    value: &str,
) -> Option<String> {
    if !needs_moving(value) {
        return None;
    }
    match store.place(hint, value) {
        Some(name) => {
            let why = store.where_();
            report.secret_moved(file, format!("{field} → {{{{{name}}}}}"), why);
            Some(format!("{{{{{name}}}}}"))
        }
        None => {
            report.secret_kept(file, field, KEPT_WHY);
            None
        }
    }
}

fn protect_headers(
    rows: &mut [KeyValue],
    file: &str,
    store: &mut SecretStore,
    report: &mut Report,
) {
    for row in rows.iter_mut() {
        if !is_credential_header(&row.name) {
            continue;
        }
        let field = format!("header {}", row.name);
        let lower = row.name.to_ascii_lowercase();
        // `Bearer abc`: the scheme stays readable, the credential moves.
        let (scheme, credential) = match row.value.split_once(' ') {
            Some((s, c))
                if (lower == "authorization" || lower == "proxy-authorization")
                    && !s.is_empty()
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                (format!("{s} "), c.trim().to_string())
            }
            _ => (String::new(), row.value.clone()),
        };
        let hint = match (lower.as_str(), scheme.trim().to_ascii_lowercase().as_str()) {
            (_, "bearer") => "token".to_string(),
            (_, "basic") => "basic_credentials".to_string(),
            ("cookie", _) => "cookie".to_string(),
            (name, _) => var_name(name),
        };
        if let Some(var) = take(store, report, file, &field, &hint, &credential) {
            row.value = format!("{scheme}{var}");
        }
    }
}

fn protect_params(rows: &mut [KeyValue], file: &str, store: &mut SecretStore, report: &mut Report) {
    for row in rows.iter_mut() {
        if is_credential_param(&row.name) {
            let field = format!("query parameter {}", row.name);
            if let Some(var) = take(
                store,
                report,
                file,
                &field,
                &var_name(&row.name),
                &row.value,
            ) {
                row.value = var;
            }
        }
    }
}

fn protect_auth(auth: &mut Auth, file: &str, store: &mut SecretStore, report: &mut Report) {
    match auth {
        Auth::Basic { password, .. } | Auth::Digest { password, .. } => {
            if let Some(var) = take(store, report, file, "auth password", "password", password) {
                *password = var;
            }
        }
        Auth::Bearer { token } => {
            if let Some(var) = take(store, report, file, "auth token", "token", token) {
                *token = var;
            }
        }
        Auth::ApiKey { key, value, .. } => {
            let hint = var_name(key);
            if let Some(var) = take(store, report, file, "auth API key", &hint, value) {
                *value = var;
            }
        }
        Auth::OAuth1(o) => {
            for (what, hint, slot) in [
                (
                    "OAuth 1.0 consumer secret",
                    "consumer_secret",
                    &mut o.consumer_secret,
                ),
                (
                    "OAuth 1.0 token secret",
                    "token_secret",
                    &mut o.token_secret,
                ),
                (
                    "OAuth 1.0 private key",
                    "oauth1_private_key",
                    &mut o.private_key,
                ),
            ] {
                if let Some(var) = take(store, report, file, what, hint, slot) {
                    *slot = var;
                }
            }
        }
        Auth::Hawk(h) => {
            if let Some(var) = take(store, report, file, "Hawk key", "hawk_key", &h.key) {
                h.key = var;
            }
        }
        Auth::AwsV4(a) => {
            for (what, hint, slot) in [
                ("AWS secret key", "aws_secret_key", &mut a.secret_key),
                (
                    "AWS session token",
                    "aws_session_token",
                    &mut a.session_token,
                ),
            ] {
                if let Some(var) = take(store, report, file, what, hint, slot) {
                    *slot = var;
                }
            }
        }
        Auth::OAuth2(o) => {
            for (what, hint, slot) in [
                (
                    "OAuth 2.0 access token",
                    "oauth2_access_token",
                    &mut o.access_token,
                ),
                (
                    "OAuth 2.0 client secret",
                    "oauth2_client_secret",
                    &mut o.client_secret,
                ),
                ("OAuth 2.0 password", "oauth2_password", &mut o.password),
            ] {
                if let Some(var) = take(store, report, file, what, hint, slot) {
                    *slot = var;
                }
            }
        }
        Auth::Jwt(j) => {
            for (what, hint, slot) in [
                ("JWT secret", "jwt_secret", &mut j.secret),
                ("JWT private key", "jwt_private_key", &mut j.private_key),
            ] {
                if let Some(var) = take(store, report, file, what, hint, slot) {
                    *slot = var;
                }
            }
        }
        Auth::Inherit | Auth::None => {}
    }
}

/// The password of `scheme://user:password@host/…` and credential query
/// parameters, in URL text that may hold `{{variables}}` (so not parsed
/// by a URL library, which would reject or re-encode them).
fn protect_url(url: &mut String, file: &str, store: &mut SecretStore, report: &mut Report) {
    if let Some(scheme_end) = url.find("://") {
        let start = scheme_end + 3;
        let end = url[start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| start + i);
        if let Some(at) = url[start..end].rfind('@') {
            let userinfo = &url[start..start + at];
            if let Some((_, pw)) = userinfo.split_once(':') {
                let pw_start = start + userinfo.len() - pw.len();
                let pw = pw.to_string();
                if let Some(var) = take(store, report, file, "password in the URL", "password", &pw)
                {
                    url.replace_range(pw_start..start + at, &var);
                }
            }
        }
    }
    let Some(q) = url.find('?') else { return };
    let end = url[q..].find('#').map_or(url.len(), |i| q + i);
    let mut out = String::new();
    for (i, pair) in url[q + 1..end].split('&').enumerate() {
        if i > 0 {
            out.push('&');
        }
        match pair.split_once('=') {
            Some((k, v)) if is_credential_param(k) => {
                let field = format!("query parameter {k}");
                match take(store, report, file, &field, &var_name(k), v) {
                    Some(var) => out.push_str(&format!("{k}={var}")),
                    None => out.push_str(pair),
                }
            }
            _ => out.push_str(pair),
        }
    }
    url.replace_range(q + 1..end, &out);
}

/// Variables of a collection or folder whose names say they hold a
/// credential (`token`, `api_key`, `password`) and whose value is written
/// out: the value becomes a secret of the environments under the same name
/// (so `{{token}}` still finds it) and leaves the committed file.
pub fn protect_variables(
    vars: &mut Variables,
    file: &str,
    store: &mut SecretStore,
    report: &mut Report,
) {
    let mut kept = Vec::with_capacity(vars.0.len());
    for (name, var) in std::mem::take(&mut vars.0) {
        let value = var.value().unwrap_or_default().to_string();
        if !(is_credential_variable(&name) && var.is_enabled() && needs_moving(&value)) {
            kept.push((name, var));
            continue;
        }
        let field = format!("variable {name}");
        match store.place_exact(&name, &value) {
            Ok(()) => {
                let why = store.where_();
                report.secret_moved(file, format!("{field} → {{{{{name}}}}}"), why);
            }
            Err(reason) => {
                let why = if reason == "taken" {
                    format!("a credential written as is: the environments already have a different `{name}` (rename one and move it by hand)")
                } else {
                    KEPT_WHY.to_string()
                };
                report.secret_kept(file, field, why);
                kept.push((name, var));
            }
        }
    }
    vars.0 = kept;
}

/// An imported environment's variables whose names say they hold a
/// credential become secret: the value goes to its secrets file, not to
/// `environments/<name>.json`.
pub fn protect_environment(env: &mut ImportedEnvironment, name: &str, report: &mut Report) {
    let file = format!("environments/{name}.json");
    for (var_name, var) in env.environment.variables.0.iter_mut() {
        let value = var.value().unwrap_or_default().to_string();
        if var.is_secret() || !is_credential_variable(var_name) || !needs_moving(&value) {
            continue;
        }
        let (enabled, description, extra) = match var {
            Variable::Plain(_) => (true, None, Extra::new()),
            Variable::Detailed {
                enabled,
                description,
                extra,
                ..
            } => (*enabled, description.take(), std::mem::take(extra)),
        };
        *var = Variable::Detailed {
            value: None,
            secret: true,
            enabled,
            description,
            extra,
        };
        env.secrets.push((var_name.clone(), value));
        report.secret_moved(
            &file,
            format!("variable {var_name}"),
            format!("made secret: its value is in .postie/secrets/{name}.json (git-ignored)"),
        );
    }
}

/// Moves the credentials of `req`, which is written to `file` (shown in
/// the report).
pub fn protect_request(
    req: &mut Request,
    file: &str,
    store: &mut SecretStore,
    report: &mut Report,
) {
    protect_url(&mut req.url, file, store, report);
    protect_params(&mut req.params, file, store, report);
    protect_headers(&mut req.headers, file, store, report);
    protect_auth(&mut req.auth.auth, file, store, report);
}

/// The same for a collection's or folder's own headers and auth.
pub fn protect_folder(
    folder: &mut Folder,
    file: &str,
    store: &mut SecretStore,
    report: &mut Report,
) {
    protect_variables(&mut folder.variables, file, store, report);
    protect_headers(&mut folder.headers, file, store, report);
    protect_auth(&mut folder.auth.auth, file, store, report);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_names() {
        for h in [
            "Authorization",
            "Cookie",
            "X-API-Key",
            "api_key",
            "X-Auth-Token",
            "X-Access-Token",
            "Proxy-Authorization",
        ] {
            assert!(is_credential_header(h), "{h}");
        }
        for h in ["Accept", "Content-Type", "X-Request-Id", "User-Agent"] {
            assert!(!is_credential_header(h), "{h}");
        }
        for p in ["api_key", "apiKey", "access_token", "key", "sig"] {
            assert!(is_credential_param(p), "{p}");
        }
        for p in ["page", "q", "keyword", "monkey"] {
            assert!(!is_credential_param(p), "{p}");
        }
    }

    #[test]
    fn names_made_from_urls_carry_no_credentials() {
        assert_eq!(url_for_name("https://u:p@h/a?x=1"), "https://h/a?x=1");
        assert_eq!(url_for_name("https://h/a?api_key=k&x=1#f"), "https://h/a#f");
        assert_eq!(url_for_name("{{base}}/a"), "{{base}}/a");
    }

    #[test]
    fn url_text_with_variables_is_rewritten_in_place() {
        let mut store = SecretStore {
            envs: vec!["local".into()],
            existing: Vec::new(),
            moved: Vec::new(),
        };
        let mut report = Report::default();
        let mut url = "{{base}}/x?token=t1&q=1#frag".to_string();
        protect_url(&mut url, "f.json", &mut store, &mut report);
        assert_eq!(url, "{{base}}/x?token={{token}}&q=1#frag");
        let mut url = "https://u:p@h/?sig={{s}}".to_string();
        protect_url(&mut url, "f.json", &mut store, &mut report);
        assert_eq!(url, "https://u:{{password}}@h/?sig={{s}}");
        assert_eq!(store.moved.len(), 2);
    }

    #[test]
    fn without_an_environment_nothing_moves_and_the_report_says_where() {
        let mut store = SecretStore {
            envs: Vec::new(),
            existing: Vec::new(),
            moved: Vec::new(),
        };
        let mut report = Report::default();
        let mut r = Request::new("GET", "https://h/");
        r.auth.auth = Auth::Bearer {
            token: "abc".into(),
        };
        protect_request(&mut r, "c/r.json", &mut store, &mut report);
        assert_eq!(
            r.auth.auth,
            Auth::Bearer {
                token: "abc".into()
            }
        );
        assert_eq!(report.notes.len(), 1);
        assert_eq!(report.notes[0].item, "c/r.json");
        assert_eq!(report.notes[0].what, "auth token");
    }
}
