//! Postman's `oauth2` auth, both ways: its parameter names and values
//! (`accessTokenUrl`, `grant_type: password_credentials`,
//! `tokenRequestParams` with `send_as`…) to and from postie's settings.

use serde_json::{json, Map, Value};

use super::json;
use super::notes::Notes;
use crate::model::{ClientAuth, OAuth2Auth, OAuth2Grant, OAuth2Param, ParamPlace};

/// Postman's names for the text settings.
const TEXT: &[(&str, &str)] = &[
    ("accessToken", "access_token"),
    ("accessTokenUrl", "token_url"),
    ("authUrl", "auth_url"),
    ("refreshTokenUrl", "refresh_url"),
    ("redirect_uri", "redirect_uri"),
    ("clientId", "client_id"),
    ("clientSecret", "client_secret"),
    ("scope", "scope"),
    ("state", "state"),
    ("username", "username"),
    ("password", "password"),
    ("code_verifier", "code_verifier"),
    ("headerPrefix", "token_prefix"),
];

/// Postman keeps these for its own UI or token list; they change nothing
/// on the wire.
const UI_ONLY: &[&str] = &[
    "tokenName",
    "tokenType",
    "useBrowser",
    "showPassword",
    "saveHelperData",
    "disableRetryRequest",
    "id",
    "tokenId",
    "expires_in",
    "timestamp",
    "refreshToken",
    "refreshTokenExpiry",
];

/// The parameters as name/raw value pairs, from either form.
fn raw_params(v: Option<&Value>) -> Vec<(String, Value)> {
    match v {
        Some(Value::Array(list)) => (list.iter())
            .filter_map(|p| {
                let p = p.as_object()?;
                Some((json::text(p.get("key"))?, p.get("value")?.clone()))
            })
            .collect(),
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        _ => Vec::new(),
    }
}

/// A text value; Postman's multi-value fields (`audience`, `resource`)
/// are objects of values keyed by an id: the first is taken.
fn text_of(v: &Value) -> (String, usize) {
    match v {
        Value::Object(m) => {
            let values: Vec<String> = m.values().filter_map(|v| json::text(Some(v))).collect();
            (values.first().cloned().unwrap_or_default(), values.len())
        }
        other => (json::text(Some(other)).unwrap_or_default(), 1),
    }
}

fn read_param_list(v: &Value) -> Vec<OAuth2Param> {
    let Value::Array(list) = v else {
        return Vec::new();
    };
    (list.iter())
        .filter_map(Value::as_object)
        .filter_map(|p| {
            let key = json::text(p.get("key"))?;
            let place = match json::text(p.get("send_as")).as_deref() {
                Some("request_url") => ParamPlace::Query,
                Some("request_header") => ParamPlace::Header,
                _ => ParamPlace::Body,
            };
            Some(OAuth2Param {
                key,
                value: json::text(p.get("value")).unwrap_or_default(),
                place,
                enabled: !matches!(p.get("enabled"), Some(Value::Bool(false))),
            })
        })
        .collect()
}

/// postie's settings for Postman's `oauth2` parameters.
pub fn read(notes: &mut Notes, item: &str, value: Option<&Value>) -> OAuth2Auth {
    let mut o = OAuth2Auth {
        // Postman's default grant, without the PKCE it only adds when asked.
        grant: OAuth2Grant::AuthorizationCode,
        pkce: false,
        ..OAuth2Auth::default()
    };
    for (k, v) in raw_params(value) {
        if let Some((_, name)) = TEXT.iter().find(|(p, _)| *p == k) {
            let (text, _) = text_of(&v);
            if let Some(i) = o.fields().iter().position(|(n, _)| n == name) {
                if let Some(slot) = o.field_mut(i) {
                    *slot = text;
                }
            }
            continue;
        }
        let text = json::text(Some(&v)).unwrap_or_default();
        match k.as_str() {
            "grant_type" => match text.as_str() {
                "authorization_code" | "" => {}
                "authorization_code_with_pkce" => o.pkce = true,
                "client_credentials" => o.grant = OAuth2Grant::ClientCredentials,
                "password_credentials" | "password" => o.grant = OAuth2Grant::Password,
                "device_code" => o.grant = OAuth2Grant::DeviceCode,
                "implicit" => {
                    o.grant = OAuth2Grant::Implicit;
                    notes.changed(
                        item,
                        "oauth2 implicit grant",
                        "imported, but the implicit grant is deprecated (RFC 9700) and postie \
                         does not run it: switch the auth to authorization_code with PKCE",
                    );
                }
                other => notes.dropped(
                    item,
                    format!("oauth2 grant_type `{other}`"),
                    "postie does not know that grant; the authorization code grant is kept",
                ),
            },
            "addTokenTo" => o.in_query = text == "queryParams",
            "client_authentication" => {
                if text == "body" {
                    o.client_auth = ClientAuth::Body;
                }
            }
            "challengeAlgorithm" => o.pkce_method = text,
            "audience" | "resource" => {
                let (first, count) = text_of(&v);
                if count > 1 {
                    notes.dropped(
                        item,
                        format!("oauth2 {k} values after the first"),
                        "postie sends one",
                    );
                }
                if k == "audience" {
                    o.audience = first;
                } else {
                    o.resource = first;
                }
            }
            "authRequestParams" => o.params.authorize = read_param_list(&v),
            "tokenRequestParams" => o.params.token = read_param_list(&v),
            "refreshRequestParams" => o.params.refresh = read_param_list(&v),
            k if UI_ONLY.contains(&k) || text.is_empty() && !v.is_array() => {}
            _ => notes.dropped(
                item,
                format!("oauth2 auth parameter `{k}`"),
                "postie has no such auth setting",
            ),
        }
    }
    o
}

/// Postman's `oauth2` parameter list for `o`.
pub fn write(o: &OAuth2Auth) -> Value {
    let mut list: Vec<Value> = Vec::new();
    let mut put = |k: &str, v: Value| {
        let ty = match &v {
            Value::Bool(_) => "boolean",
            Value::Array(_) => "any",
            _ => "string",
        };
        list.push(json!({"key": k, "value": v, "type": ty}));
    };
    let grant = match o.grant {
        OAuth2Grant::AuthorizationCode if o.pkce => "authorization_code_with_pkce",
        OAuth2Grant::AuthorizationCode => "authorization_code",
        OAuth2Grant::ClientCredentials => "client_credentials",
        OAuth2Grant::Password => "password_credentials",
        OAuth2Grant::DeviceCode => "device_code",
        OAuth2Grant::Implicit => "implicit",
    };
    put("grant_type", grant.into());
    for (postman, name) in TEXT {
        if let Some((_, v)) = o.fields().into_iter().find(|(n, _)| n == name) {
            if !v.is_empty() {
                put(postman, v.as_str().into());
            }
        }
    }
    for (k, v) in [("audience", &o.audience), ("resource", &o.resource)] {
        if !v.is_empty() {
            put(k, v.as_str().into());
        }
    }
    // Postman's default (and postie's) is S256.
    if !o.pkce_method.is_empty() {
        put("challengeAlgorithm", o.pkce_method.as_str().into());
    }
    let client_auth = match o.client_auth {
        ClientAuth::Header => "header",
        ClientAuth::Body => "body",
    };
    put("client_authentication", client_auth.into());
    put(
        "addTokenTo",
        if o.in_query { "queryParams" } else { "header" }.into(),
    );
    for (k, params) in [
        ("authRequestParams", &o.params.authorize),
        ("tokenRequestParams", &o.params.token),
        ("refreshRequestParams", &o.params.refresh),
    ] {
        if !params.is_empty() {
            put(k, Value::Array(params.iter().map(write_param).collect()));
        }
    }
    Value::Array(list)
}

fn write_param(p: &OAuth2Param) -> Value {
    let mut m = Map::new();
    m.insert("key".into(), p.key.as_str().into());
    m.insert("value".into(), p.value.as_str().into());
    m.insert("enabled".into(), p.enabled.into());
    let send_as = match p.place {
        ParamPlace::Body => "request_body",
        ParamPlace::Query => "request_url",
        ParamPlace::Header => "request_header",
    };
    m.insert("send_as".into(), send_as.into());
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postman_client_credentials_auth_reads_and_writes_back() {
        let mut n = Notes::default();
        let v = json!([
            {"key": "grant_type", "value": "client_credentials", "type": "string"},
            {"key": "accessTokenUrl", "value": "{{base}}/token", "type": "string"},
            {"key": "clientId", "value": "app", "type": "string"},
            {"key": "clientSecret", "value": "{{secret}}", "type": "string"},
            {"key": "scope", "value": "read", "type": "string"},
            {"key": "audience", "value": {"5545d202": "api://x"}, "type": "any"},
            {"key": "client_authentication", "value": "body", "type": "string"},
            {"key": "tokenName", "value": "Access token", "type": "string"},
            {"key": "tokenRequestParams", "value": [
                {"key": "tenant", "value": "t1", "enabled": true, "send_as": "request_url"}
            ], "type": "any"},
            {"key": "addTokenTo", "value": "header", "type": "string"}
        ]);
        let o = read(&mut n, "r", Some(&v));
        assert!(n.report.notes.is_empty(), "{:?}", n.report);
        assert_eq!(o.grant, OAuth2Grant::ClientCredentials);
        assert_eq!(
            (
                o.token_url.as_str(),
                o.client_id.as_str(),
                o.audience.as_str()
            ),
            ("{{base}}/token", "app", "api://x")
        );
        assert_eq!(o.client_auth, ClientAuth::Body);
        assert_eq!(o.params.token[0].place, ParamPlace::Query);
        let back = read(&mut n, "r", Some(&write(&o)));
        assert_eq!(back, o);
    }

    #[test]
    fn postman_grant_names_map_and_implicit_is_kept_with_a_note() {
        let grant = |g: &str| {
            let mut n = Notes::default();
            let o = read(&mut n, "r", Some(&json!({"grant_type": g})));
            (o.grant, o.pkce, n.report.notes.len())
        };
        assert_eq!(
            grant("authorization_code"),
            (OAuth2Grant::AuthorizationCode, false, 0)
        );
        assert_eq!(
            grant("authorization_code_with_pkce"),
            (OAuth2Grant::AuthorizationCode, true, 0)
        );
        assert_eq!(
            grant("password_credentials"),
            (OAuth2Grant::Password, false, 0)
        );
        assert_eq!(grant("implicit"), (OAuth2Grant::Implicit, false, 1));
    }

    #[test]
    fn a_v2_0_given_token_in_the_query_reads() {
        let mut n = Notes::default();
        let v = json!({"accessToken": "tok", "addTokenTo": "queryParams"});
        let o = read(&mut n, "r", Some(&v));
        assert_eq!((o.access_token.as_str(), o.in_query), ("tok", true));
        assert!(n.report.notes.is_empty(), "{:?}", n.report);
    }
}
