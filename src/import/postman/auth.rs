//! Postman auth objects. v2.0 writes the parameters as an object
//! (`"basic": {"username": "u"}`), v2.1 as a list
//! (`"basic": [{"key": "username", "value": "u", "type": "string"}]`); both
//! are read whatever the file's declared version, as Postman itself does.

use serde_json::Value;

use super::json;
use super::notes::Notes;
use crate::model::{
    ApiKeyLocation, Auth, AuthWithExtra, AwsV4Auth, HawkAuth, JwtAuth, OAuth1Auth, OAuth1Location,
};

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
        "oauth2" => {
            let o = super::oauth2::read(notes, item, obj.get("oauth2"));
            return AuthWithExtra {
                auth: Auth::OAuth2(Box::new(o)),
                extra: Default::default(),
            };
        }
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
        "oauth1" => {
            // Written back with Postman's v2.1 names and both flags.
            let has = |k: &str| params.iter().any(|(n, _)| n == k);
            if has("timeStamp") || !has("addParamsToHeader") || !has("addEmptyParamsToSign") {
                notes.changed(
                    item,
                    "oauth1 auth parameters",
                    "`timeStamp` is written `timestamp`, and addParamsToHeader and \
                     addEmptyParamsToSign are always written (false when absent)",
                );
            }
            let location = match get("addParamsToHeader").as_str() {
                // Postman's default (absent) is the body or query.
                "true" => OAuth1Location::Header,
                _ => OAuth1Location::Params,
            };
            // v2.0 files spell it `timeStamp`.
            let mut timestamp = get("timestamp");
            if timestamp.is_empty() {
                timestamp = get("timeStamp");
            }
            (
                Auth::OAuth1(OAuth1Auth {
                    consumer_key: get("consumerKey"),
                    consumer_secret: get("consumerSecret"),
                    token: get("token"),
                    token_secret: get("tokenSecret"),
                    signature_method: get("signatureMethod"),
                    timestamp,
                    nonce: get("nonce"),
                    version: get("version"),
                    realm: get("realm"),
                    callback: get("callback"),
                    verifier: get("verifier"),
                    private_key: get("privateKey"),
                    location,
                    sign_empty: get("addEmptyParamsToSign") == "true",
                }),
                &[
                    "consumerKey",
                    "consumerSecret",
                    "token",
                    "tokenSecret",
                    "signatureMethod",
                    "timestamp",
                    "timeStamp",
                    "nonce",
                    "version",
                    "realm",
                    "callback",
                    "verifier",
                    "privateKey",
                    "addParamsToHeader",
                    "addEmptyParamsToSign",
                ],
            )
        }
        "hawk" => {
            // Written back only when true.
            if get("includePayloadHash") == "false" {
                notes.changed(
                    item,
                    "hawk auth parameter includePayloadHash",
                    "false is postie's default, so it is not written back",
                );
            }
            let mut app = get("app");
            if app.is_empty() {
                // Older exports call it `appId`.
                app = get("appId");
            }
            (
                Auth::Hawk(HawkAuth {
                    id: get("authId"),
                    key: get("authKey"),
                    algorithm: get("algorithm"),
                    ext: get("extraData"),
                    app,
                    dlg: get("delegation"),
                    timestamp: get("timestamp"),
                    nonce: get("nonce"),
                    payload_hash: get("includePayloadHash") == "true",
                }),
                &[
                    "authId",
                    "authKey",
                    "algorithm",
                    "extraData",
                    "app",
                    "appId",
                    "delegation",
                    "timestamp",
                    "nonce",
                    "includePayloadHash",
                ],
            )
        }
        "awsv4" => (
            Auth::AwsV4(AwsV4Auth {
                access_key: get("accessKey"),
                secret_key: get("secretKey"),
                session_token: get("sessionToken"),
                region: get("region"),
                service: get("service"),
                unsigned_payload: false,
                in_query: get("addAuthDataToQuery") == "true",
            }),
            &[
                "accessKey",
                "secretKey",
                "sessionToken",
                "region",
                "service",
                "addAuthDataToQuery",
            ],
        ),
        "jwt" => {
            // Postman writes the claims and header as JSON text or as an
            // object; postie keeps JSON text.
            let json_text = |k: &str| match param(obj.get(&ty), k) {
                Some(v @ (Value::Object(_) | Value::Array(_))) => v.to_string(),
                _ => get(k),
            };
            let algorithm = get("algorithm");
            if !algorithm.is_empty() && !JwtAuth::ALGORITHMS.contains(&algorithm.as_str()) {
                notes.changed(
                    item,
                    format!("jwt algorithm {algorithm}"),
                    format!(
                        "kept, but postie signs only {}: sending it fails until it is changed",
                        JwtAuth::ALGORITHMS.join(", ")
                    ),
                );
            }
            (
                Auth::Jwt(Box::new(JwtAuth {
                    algorithm: if algorithm.is_empty() {
                        "HS256".into()
                    } else {
                        algorithm
                    },
                    secret: get("secret"),
                    secret_base64: get("isSecretBase64Encoded") == "true",
                    private_key: get("privateKey"),
                    payload: json_text("payload"),
                    header: json_text("header"),
                    lifetime: String::new(),
                    token_prefix: match get("headerPrefix").as_str() {
                        // Postman's default, so postie's too.
                        "Bearer" => String::new(),
                        p => p.to_string(),
                    },
                    query_key: match get("queryParamKey").as_str() {
                        "token" => String::new(),
                        k => k.to_string(),
                    },
                    in_query: get("addTokenTo") == "queryParam",
                })),
                &[
                    "algorithm",
                    "secret",
                    "isSecretBase64Encoded",
                    "privateKey",
                    "payload",
                    "header",
                    "headerPrefix",
                    "queryParamKey",
                    "addTokenTo",
                ],
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
        } else if ty == "hawk" && k == "user" {
            "Hawk's header has no user (Postman does not send it either)"
        } else if ty == "jwt" && k == "passphrase" {
            "postie reads unencrypted keys only (decrypt it with openssl pkcs8 -topk8 -nocrypt)"
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

/// The raw value of parameter `key`, from either form.
fn param<'a>(v: Option<&'a Value>, key: &str) -> Option<&'a Value> {
    match v? {
        Value::Array(list) => list
            .iter()
            .filter_map(Value::as_object)
            .find(|p| json::text(p.get("key")).as_deref() == Some(key))
            .and_then(|p| p.get("value")),
        Value::Object(m) => m.get(key),
        _ => None,
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
        let o = json!({"type": "ntlm", "ntlm": []});
        assert_eq!(read(&mut n, "r", Some(&o)).auth, Auth::Inherit);
        assert_eq!(n.report.notes.len(), 1);
        assert!(n.report.notes[0].what.contains("ntlm"));
    }

    #[test]
    fn awsv4_imports_with_its_region_service_and_query_placement() {
        let mut n = Notes::default();
        let v = json!({"type": "awsv4", "awsv4": [
            {"key": "accessKey", "value": "AK"},
            {"key": "secretKey", "value": "{{aws_secret}}"},
            {"key": "region", "value": "eu-west-1"},
            {"key": "service", "value": "s3"},
            {"key": "sessionToken", "value": "t"},
            {"key": "addAuthDataToQuery", "value": true, "type": "boolean"}
        ]});
        let a = read(&mut n, "r", Some(&v));
        let Auth::AwsV4(aws) = &a.auth else {
            panic!("not awsv4: {:?}", a.auth)
        };
        assert_eq!(
            (
                aws.access_key.as_str(),
                aws.region.as_str(),
                aws.service.as_str()
            ),
            ("AK", "eu-west-1", "s3")
        );
        assert!(aws.in_query);
        assert!(n.report.notes.is_empty(), "{:?}", n.report);
    }

    #[test]
    fn jwt_imports_with_its_claims_key_and_placement() {
        let mut n = Notes::default();
        let v = json!({"type": "jwt", "jwt": [
            {"key": "algorithm", "value": "RS256"},
            {"key": "privateKey", "value": "{{private_key}}"},
            {"key": "payload", "value": "{\n  \"sub\": \"{{user}}\"\n}"},
            {"key": "header", "value": {"kid": "k1"}},
            {"key": "isSecretBase64Encoded", "value": false},
            {"key": "addTokenTo", "value": "queryParam"},
            {"key": "queryParamKey", "value": "jwt"},
            {"key": "headerPrefix", "value": "Bearer"},
            {"key": "passphrase", "value": "pw"}
        ]});
        let a = read(&mut n, "r", Some(&v));
        let Auth::Jwt(j) = &a.auth else {
            panic!("not jwt: {:?}", a.auth)
        };
        assert_eq!(
            (
                j.algorithm.as_str(),
                j.private_key.as_str(),
                j.header.as_str(),
                j.query_key.as_str(),
                j.token_prefix.as_str()
            ),
            ("RS256", "{{private_key}}", r#"{"kid":"k1"}"#, "jwt", "")
        );
        assert!(j.payload.contains("\"sub\": \"{{user}}\""));
        assert!(j.in_query && !j.secret_base64);
        let what: Vec<&str> = n.report.notes.iter().map(|n| n.what.as_str()).collect();
        assert_eq!(what, ["jwt auth parameter `passphrase`"]);

        let v20 = json!({"type": "jwt", "jwt": {"algorithm": "ES512", "secret": "s",
            "isSecretBase64Encoded": true, "payload": {"a": 1}}});
        let Auth::Jwt(j) = read(&mut n, "r", Some(&v20)).auth else {
            panic!("not jwt")
        };
        assert!(j.secret_base64 && !j.in_query);
        assert_eq!(j.payload, r#"{"a":1}"#);
        assert!(n.report.notes[1].what.contains("ES512"), "{:?}", n.report);
    }

    #[test]
    fn jwt_and_oauth1_private_keys_survive_export_and_import() {
        let jwt = Auth::Jwt(Box::new(JwtAuth {
            algorithm: "PS384".into(),
            private_key: "{{private_key}}".into(),
            payload: r#"{"sub": "ada"}"#.into(),
            header: r#"{"kid": "k1"}"#.into(),
            token_prefix: "JWT".into(),
            in_query: false,
            secret_base64: true,
            ..JwtAuth::default()
        }));
        let oauth1 = Auth::OAuth1(OAuth1Auth {
            consumer_key: "ck".into(),
            signature_method: "RSA-SHA512".into(),
            private_key: "{{pk}}".into(),
            ..OAuth1Auth::default()
        });
        for a in [jwt, oauth1] {
            let exported = crate::export::postman::auth_json(&a).unwrap();
            let mut n = Notes::default();
            assert_eq!(read(&mut n, "r", Some(&exported)).auth, a, "{exported}");
            assert!(n.report.notes.is_empty() || a.type_name() == "oauth1");
        }
        let exported = crate::export::postman::auth_json(&Auth::Jwt(Box::default())).unwrap();
        let keys: Vec<&str> = exported["jwt"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            [
                "algorithm",
                "secret",
                "privateKey",
                "payload",
                "header",
                "headerPrefix",
                "queryParamKey",
                "addTokenTo",
                "isSecretBase64Encoded"
            ]
        );
    }

    #[test]
    fn oauth1_and_hawk_keep_their_parameters() {
        let mut n = Notes::default();
        let v20 = json!({"type": "oauth1", "oauth1": {
            "consumerKey": "ck", "consumerSecret": "cs", "signatureMethod": "HMAC-SHA256",
            "timeStamp": 1461319769, "nonce": "ik3oT5", "version": "1.0",
            "addParamsToHeader": true, "addEmptyParamsToSign": false}});
        let Auth::OAuth1(o) = read(&mut n, "r", Some(&v20)).auth else {
            panic!("not oauth1")
        };
        assert_eq!(
            (o.consumer_key.as_str(), o.timestamp.as_str(), o.location),
            ("ck", "1461319769", OAuth1Location::Header)
        );
        assert!(!o.sign_empty);
        let v21 = json!({"type": "oauth1", "oauth1": [
            {"key": "consumerKey", "value": "ck"}, {"key": "addEmptyParamsToSign", "value": true}]});
        let Auth::OAuth1(o) = read(&mut n, "r", Some(&v21)).auth else {
            panic!("not oauth1")
        };
        assert_eq!(o.location, OAuth1Location::Params);
        assert!(o.sign_empty);
        let hawk = json!({"type": "hawk", "hawk": {"authId": "i", "authKey": "k",
            "algorithm": "sha256", "user": "u", "extraData": "x", "delegation": "d"}});
        let Auth::Hawk(h) = read(&mut n, "r", Some(&hawk)).auth else {
            panic!("not hawk")
        };
        assert_eq!(
            (h.id.as_str(), h.ext.as_str(), h.dlg.as_str()),
            ("i", "x", "d")
        );
        let what: Vec<&str> = n.report.notes.iter().map(|n| n.what.as_str()).collect();
        assert_eq!(what.len(), 3, "{what:?}");
        assert!(
            what[0].contains("oauth1") && what[1].contains("oauth1"),
            "{what:?}"
        );
        assert!(what[2].contains("`user`"), "{what:?}");
    }
}
