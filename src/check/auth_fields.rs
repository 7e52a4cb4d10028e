//! Values written as is into the auth fields that hold a secret by nature
//! (a basic password, a bearer token, an OAuth 2.0 client secret, ...), in
//! postie's auth blocks and in Postman's (`"bearer": [{"key": "token",
//! "value": "…"}]`), which a workspace may keep beside its requests. The
//! same fields `crate::import::secrets` moves into secret variables.

use serde_json::Value;

use super::detect::{is_password_word, is_placeholder};
use super::{Hit, Kind};

/// The secret fields of each auth type as postie names them, compared
/// lowercase without `_` (so Postman's `clientSecret` is `client_secret`).
fn secret_fields(auth_type: &str) -> &'static [&'static str] {
    match auth_type {
        "basic" | "digest" => &["password"],
        "bearer" => &["token"],
        "apikey" => &["value"],
        "oauth1" => &["consumer_secret", "token_secret", "private_key"],
        "hawk" => &["key", "auth_key"],
        "awsv4" => &["secret_key", "session_token"],
        "oauth2" => &["client_secret", "password", "access_token"],
        "jwt" => &["secret", "private_key"],
        _ => &[],
    }
}

fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Hits for literal secrets in the auth blocks of a JSON file's `text`.
/// Text that is not JSON has none (the shape detectors still read it).
pub fn find_auth_fields(text: &str) -> Vec<Hit> {
    if !text.contains("\"auth\"") {
        return Vec::new();
    }
    let Ok(doc) = serde_json::from_str::<Value>(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    collect(&doc, &mut found);
    let mut hits = Vec::new();
    let mut from = 0;
    for (auth_type, field, value) in found {
        // Canonical files write the value as serde_json does; found in
        // order, so each search starts after the last one.
        let needle = serde_json::to_string(&value).unwrap_or_default();
        let pos = (text[from..].find(&needle).map(|i| from + i)).or_else(|| text.find(&needle));
        if let Some(p) = pos {
            from = p + needle.len();
        }
        hits.push(Hit {
            // Past the opening quote; the top of the file when the value
            // is escaped differently there.
            start: pos.map_or(0, |p| p + 1),
            secret: value,
            excerpt: None,
            kind: Kind::AuthField { auth_type, field },
        });
    }
    hits
}

/// (auth type, field, value) of each literal secret, in document order.
fn collect(v: &Value, out: &mut Vec<(&'static str, &'static str, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k == "auth" {
                    if let Some(auth) = child.as_object() {
                        auth_block(auth, out);
                    }
                }
                collect(child, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
        _ => {}
    }
}

fn auth_block(
    auth: &serde_json::Map<String, Value>,
    out: &mut Vec<(&'static str, &'static str, String)>,
) {
    let Some(auth_type) = auth.get("type").and_then(Value::as_str) else {
        return;
    };
    let auth_type = normalize(auth_type);
    let fields = secret_fields(&auth_type);
    let Some(type_name) = [
        "basic", "digest", "bearer", "apikey", "oauth1", "hawk", "awsv4", "oauth2", "jwt",
    ]
    .into_iter()
    .find(|t| *t == auth_type) else {
        return;
    };
    let mut push = |name: &str, value: &Value| {
        let Some(s) = value.as_str() else { return };
        let n = normalize(name);
        if let Some(field) = fields.iter().find(|f| normalize(f) == n) {
            if is_literal_secret(s) {
                out.push((type_name, field, s.to_string()));
            }
        }
    };
    for (k, v) in auth {
        push(k, v);
    }
    // Postman: `"bearer": [{"key": "token", "value": "…"}]`.
    if let Some(Value::Array(rows)) = auth.get(type_name) {
        for row in rows {
            if let (Some(k), Some(v)) = (row.get("key").and_then(Value::as_str), row.get("value")) {
                push(k, v);
            }
        }
    }
}

/// A value written as is: not empty, not (holding) a `{{variable}}`, not a
/// placeholder such as `<token>` or the word `password`.
fn is_literal_secret(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && !t.contains("{{") && !is_placeholder(t) && !is_password_word(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String, usize)> {
        find_auth_fields(text)
            .into_iter()
            .map(|h| (h.kind.to_string(), h.secret, h.start))
            .collect()
    }

    #[test]
    fn literal_secrets_in_postie_auth_blocks() {
        let text = r#"{"auth": {"type": "basic", "username": "ada", "password": "open-sesame"}}"#;
        let f = found(text);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].1, "open-sesame");
        assert_eq!(&text[f[0].2..f[0].2 + 4], "open");
        assert!(
            f[0].0.contains("basic") && f[0].0.contains("password"),
            "{f:?}"
        );
        let oauth2 = r#"{"auth": {"type": "oauth2", "grant": "password", "client_id": "app", "client_secret": "cs-123456", "password": "{{pw}}"}}"#;
        let f = found(oauth2);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].1, "cs-123456");
    }

    #[test]
    fn templates_placeholders_and_other_fields_are_left_alone() {
        for text in [
            r#"{"auth": {"type": "bearer", "token": "{{api_token}}"}}"#,
            r#"{"auth": {"type": "bearer", "token": "Bearer-{{t}}"}}"#,
            r#"{"auth": {"type": "bearer", "token": "<token>"}}"#,
            r#"{"auth": {"type": "basic", "username": "ada", "password": ""}}"#,
            r#"{"auth": {"type": "apikey", "key": "X-Api-Key", "value": "{{key}}", "in": "header"}}"#,
            r#"{"auth": {"type": "oauth2", "client_id": "literal-client-id"}}"#,
            r#"{"auth": {"type": "digest", "username": "u", "password": "password"}}"#,
            r#"{"body": {"auth": "not a block"}}"#,
            r#"not json "auth""#,
        ] {
            assert!(found(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn postman_auth_blocks_too() {
        let text = r#"{"item": [{"request": {"auth": {"type": "bearer", "bearer": [{"key": "token", "value": "tok-8f3Kq9ZxL2", "type": "string"}]}}}]}"#;
        let f = found(text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].1, "tok-8f3Kq9ZxL2");
        let aws = r#"{"auth": {"type": "awsv4", "awsv4": [{"key": "secretKey", "value": "s3cr3t-key-value"}, {"key": "accessKey", "value": "AK"}]}}"#;
        let f = found(aws);
        assert_eq!(f.len(), 1);
        assert!(f[0].0.contains("`secret_key`"), "{f:?}");
    }
}
