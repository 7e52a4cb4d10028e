//! Postman auth objects. v2.0 writes the parameters as an object
//! (`"basic": {"username": "u"}`), v2.1 as a list
//! (`"basic": [{"key": "username", "value": "u", "type": "string"}]`); both
//! are read whatever the file's declared version, as Postman itself does.

use serde_json::Value;

use super::json;
use super::notes::Notes;
use crate::model::{ApiKeyLocation, Auth, AuthWithExtra};

/// Parameters Postman keeps for its UI only; skipping them loses nothing.
const UI_ONLY: &[&str] = &["showPassword", "saveHelperData", "disableRetryRequest"];

/// The auth for `value` (absent or null: inherit).
pub fn read(notes: &mut Notes, item: &str, value: Option<&Value>) -> AuthWithExtra {
    let obj = match value {
        Some(Value::Object(o)) => o,
        None | Some(Value::Null) => return AuthWithExtra::default(),
        Some(_) => {
            notes.dropped(item, "auth", "it is not an object");
            return AuthWithExtra::default();
        }
    };
    let ty = json::text(obj.get("type")).unwrap_or_default();
    let params = params(obj.get(&ty));
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let (auth, used): (Auth, &[&str]) = match ty.as_str() {
        "noauth" => (Auth::None, &[]),
        "inherit" | "" => (Auth::Inherit, &[]),
        "basic" => (
            Auth::Basic {
                username: get("username"),
                password: get("password"),
            },
            &["username", "password"],
        ),
        "digest" => (
            Auth::Digest {
                username: get("username"),
                password: get("password"),
            },
            &["username", "password"],
        ),
        "bearer" => (
            Auth::Bearer {
                token: get("token"),
            },
            &["token"],
        ),
        "apikey" => {
            let location = match get("in").as_str() {
                "query" => ApiKeyLocation::Query,
                _ => ApiKeyLocation::Header,
            };
            (
                Auth::ApiKey {
                    key: get("key"),
                    value: get("value"),
                    location,
                },
                &["key", "value", "in"],
            )
        }
        other => {
            notes.dropped(
                item,
                format!("auth type {other}"),
                "postie does not support it; the request inherits its parent's auth instead",
            );
            return AuthWithExtra::default();
        }
    };
    for (k, v) in &params {
        if used.contains(&k.as_str()) || UI_ONLY.contains(&k.as_str()) || v.is_empty() {
            continue;
        }
        let why = if ty == "digest" {
            "postie takes the digest parameters from the server's challenge"
        } else {
            "postie has no such auth setting"
        };
        notes.dropped(item, format!("{ty} auth parameter `{k}`"), why);
    }
    AuthWithExtra {
        auth,
        extra: Default::default(),
    }
}

/// The parameters as name/value pairs, from either form.
fn params(v: Option<&Value>) -> Vec<(String, String)> {
    match v {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(|p| {
                let p = p.as_object()?;
                Some((
                    json::text(p.get("key"))?,
                    json::text(p.get("value")).unwrap_or_default(),
                ))
            })
            .collect(),
        Some(Value::Object(m)) => m
            .iter()
            .map(|(k, v)| (k.clone(), json::text(Some(v)).unwrap_or_default()))
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_parameter_forms_and_unknown_kinds() {
        let mut n = Notes::default();
        let v20 = json!({"type": "basic", "basic": {"username": "u", "password": "p", "showPassword": false}});
        let v21 = json!({"type": "basic", "basic": [{"key": "username", "value": "u", "type": "string"}, {"key": "password", "value": "p"}]});
        let want = Auth::Basic {
            username: "u".into(),
            password: "p".into(),
        };
        assert_eq!(read(&mut n, "r", Some(&v20)).auth, want);
        assert_eq!(read(&mut n, "r", Some(&v21)).auth, want);
        let q = json!({"type": "apikey", "apikey": [{"key": "in", "value": "query"}, {"key": "key", "value": "k"}]});
        assert!(matches!(
            read(&mut n, "r", Some(&q)).auth,
            Auth::ApiKey {
                location: ApiKeyLocation::Query,
                ..
            }
        ));
        assert!(n.report.notes.is_empty(), "{:?}", n.report);
        let o = json!({"type": "oauth2", "oauth2": []});
        assert_eq!(read(&mut n, "r", Some(&o)).auth, Auth::Inherit);
        assert_eq!(n.report.notes.len(), 1);
        assert!(n.report.notes[0].what.contains("oauth2"));
    }
}
