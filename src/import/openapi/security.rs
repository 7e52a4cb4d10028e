//! Security schemes become auth: http basic/bearer/digest, apiKey in a
//! header or the query, and OAuth 2.0 flows. Credentials are `{{variables}}`
//! named after the scheme, made secret in every imported environment.

use serde_json::Value;

use super::doc::{str_at, Doc, Version};
use crate::import::Report;
use crate::model::{ApiKeyLocation, Auth, OAuth2Auth, OAuth2Grant};

pub struct Security<'d, 'a> {
    doc: &'d Doc<'a>,
    /// Variables the mapped auths use, in first-use order.
    pub secrets: Vec<String>,
}

impl<'d, 'a> Security<'d, 'a> {
    pub fn new(doc: &'d Doc<'a>) -> Self {
        Security {
            doc,
            secrets: Vec::new(),
        }
    }

    fn scheme(&self, name: &str) -> Option<&'a Value> {
        let defs = match self.doc.version {
            Version::V3 => self.doc.root.get("components")?.get("securitySchemes")?,
            Version::V2 => self.doc.root.get("securityDefinitions")?,
        };
        Some(self.doc.get(defs.get(name)?))
    }

    /// Auth for a `security` list (alternatives, each a set of schemes that
    /// all apply). `[]` means no auth; the first alternative that maps is
    /// used, and what is left out is reported against `item`.
    pub fn auth(&mut self, requirements: &Value, item: &str, report: &mut Report) -> Auth {
        let Some(alternatives) = requirements.as_array() else {
            return Auth::Inherit;
        };
        if alternatives.is_empty()
            || alternatives
                .iter()
                .all(|a| a.as_object().is_some_and(|m| m.is_empty()))
        {
            return Auth::None;
        }
        let mut why_not: Vec<String> = Vec::new();
        for alt in alternatives {
            let Some(set) = alt.as_object() else { continue };
            let mut mapped: Option<Auth> = None;
            for (name, scopes) in set {
                match self.map(name, scopes, item, report) {
                    Ok(a) if mapped.is_none() => mapped = Some(a),
                    Ok(_) => report.dropped(
                        item,
                        format!("security scheme {name}"),
                        "postie sends one auth per request; it applies together with another scheme here: add its header or parameter by hand",
                    ),
                    Err(why) => why_not.push(format!("{name}: {why}")),
                }
            }
            if let Some(a) = mapped {
                if alternatives.len() > 1 {
                    report.changed(
                        item,
                        "security",
                        "the spec allows several auth alternatives; the first that postie supports was used",
                    );
                }
                return a;
            }
        }
        report.dropped(
            item,
            "security",
            format!(
                "no supported auth scheme ({}); set the credentials by hand",
                why_not.join("; ")
            ),
        );
        Auth::Inherit
    }

    /// `scopes`: what the requirement asks of an OAuth 2.0 scheme.
    fn map(
        &mut self,
        name: &str,
        scopes: &Value,
        item: &str,
        report: &mut Report,
    ) -> Result<Auth, String> {
        let s = self.scheme(name).ok_or("not defined in the spec")?;
        let var = |suffix: &str| {
            if suffix.is_empty() {
                name.to_string()
            } else {
                format!("{name}_{suffix}")
            }
        };
        let ty = str_at(s, "type").unwrap_or("");
        let http_scheme = str_at(s, "scheme").unwrap_or("").to_ascii_lowercase();
        let auth = match (ty, http_scheme.as_str()) {
            ("http", "basic") | ("basic", _) => Auth::Basic {
                username: format!("{{{{{}}}}}", var("username")),
                password: format!("{{{{{}}}}}", var("password")),
            },
            ("http", "digest") => Auth::Digest {
                username: format!("{{{{{}}}}}", var("username")),
                password: format!("{{{{{}}}}}", var("password")),
            },
            ("http", "bearer") => Auth::Bearer {
                token: format!("{{{{{}}}}}", var("")),
            },
            ("apiKey", _) => {
                let key = str_at(s, "name").ok_or("apiKey scheme without a `name`")?;
                let location = match str_at(s, "in").unwrap_or("header") {
                    "header" => ApiKeyLocation::Header,
                    "query" => ApiKeyLocation::Query,
                    other => {
                        return Err(format!(
                            "API key in a {other}, which postie auth cannot send"
                        ))
                    }
                };
                Auth::ApiKey {
                    key: key.to_string(),
                    value: format!("{{{{{}}}}}", var("")),
                    location,
                }
            }
            ("oauth2", _) => {
                let o = self.oauth2(s, name, scopes)?;
                if o.grant == OAuth2Grant::Implicit {
                    report.changed(
                        item,
                        format!("security scheme {name}"),
                        "its oauth2 implicit flow is kept but never run (deprecated by RFC 9700): \
                         switch the grant to authorization_code",
                    );
                }
                Auth::OAuth2(Box::new(o))
            }
            ("openIdConnect", _) => {
                let url = str_at(s, "openIdConnectUrl").unwrap_or("its discovery URL");
                return Err(format!(
                    "OpenID Connect discovery is not read at import: set an oauth2 auth's \
                     auth_url and token_url from {url}"
                ));
            }
            ("http", other) => return Err(format!("HTTP auth scheme {other:?} is not supported")),
            (other, _) => return Err(format!("{other} auth is not supported")),
        };
        let used: Vec<String> = match &auth {
            Auth::Basic { .. } | Auth::Digest { .. } => vec![var("username"), var("password")],
            Auth::OAuth2(o) if o.grant == OAuth2Grant::Password => {
                vec![
                    var("client_id"),
                    var("client_secret"),
                    var("username"),
                    var("password"),
                ]
            }
            Auth::OAuth2(_) => vec![var("client_id"), var("client_secret")],
            _ => vec![var("")],
        };
        for u in used {
            if !self.secrets.contains(&u) {
                self.secrets.push(u);
            }
        }
        Ok(auth)
    }
}

impl Security<'_, '_> {
    /// An OAuth 2.0 scheme's flow as postie's settings: the authorization
    /// code (with PKCE) when the spec offers it, else client credentials,
    /// password, the device flow (OpenAPI 3.2) and last the implicit one.
    fn oauth2(&self, s: &Value, name: &str, scopes: &Value) -> Result<OAuth2Auth, String> {
        let var = |suffix: &str| format!("{{{{{name}_{suffix}}}}}");
        let (grant, flow) = match self.doc.version {
            Version::V3 => {
                let flows = s.get("flows").ok_or("an oauth2 scheme without flows")?;
                let flows = self.doc.get(flows);
                [
                    ("authorizationCode", OAuth2Grant::AuthorizationCode),
                    ("clientCredentials", OAuth2Grant::ClientCredentials),
                    ("password", OAuth2Grant::Password),
                    ("deviceAuthorization", OAuth2Grant::DeviceCode),
                    ("implicit", OAuth2Grant::Implicit),
                ]
                .into_iter()
                .find_map(|(k, g)| Some((g, self.doc.get(flows.get(k)?))))
                .ok_or("an oauth2 scheme with no flow postie knows")?
            }
            Version::V2 => {
                let grant = match str_at(s, "flow").unwrap_or("") {
                    "accessCode" => OAuth2Grant::AuthorizationCode,
                    "application" => OAuth2Grant::ClientCredentials,
                    "password" => OAuth2Grant::Password,
                    "implicit" => OAuth2Grant::Implicit,
                    other => return Err(format!("oauth2 flow {other:?} is not known")),
                };
                (grant, s)
            }
        };
        // The requirement's scopes, else every scope the flow defines.
        let asked: Vec<&str> = (scopes.as_array().into_iter().flatten())
            .filter_map(Value::as_str)
            .collect();
        let scope = if asked.is_empty() {
            (flow.get("scopes").and_then(Value::as_object))
                .map(|m| m.keys().map(String::as_str).collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        } else {
            asked.join(" ")
        };
        let url = |k: &str| str_at(flow, k).unwrap_or("").to_string();
        let mut o = OAuth2Auth {
            grant,
            token_url: url("tokenUrl"),
            auth_url: url("authorizationUrl"),
            device_url: url("deviceAuthorizationUrl"),
            refresh_url: url("refreshUrl"),
            client_id: var("client_id"),
            client_secret: var("client_secret"),
            scope,
            ..OAuth2Auth::default()
        };
        if grant == OAuth2Grant::Password {
            o.username = var("username");
            o.password = var("password");
        }
        Ok(o)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_supported_schemes_and_reports_the_rest() {
        let root = json!({"components": {"securitySchemes": {
            "basic": {"type": "http", "scheme": "basic"},
            "jwt": {"type": "http", "scheme": "Bearer"},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "cookie": {"type": "apiKey", "name": "sid", "in": "cookie"},
            "oauth": {"type": "oauth2", "flows": {"implicitly": {}}}
        }}});
        let doc = Doc {
            root: &root,
            version: Version::V3,
        };
        let mut sec = Security::new(&doc);
        let mut r = Report::default();
        assert_eq!(
            sec.auth(&json!([{"jwt": []}]), "x", &mut r),
            Auth::Bearer {
                token: "{{jwt}}".into()
            }
        );
        assert_eq!(sec.auth(&json!([]), "x", &mut r), Auth::None);
        assert_eq!(
            sec.auth(&json!([{"oauth": ["read"]}, {"key": []}]), "x", &mut r),
            Auth::ApiKey {
                key: "X-Key".into(),
                value: "{{key}}".into(),
                location: ApiKeyLocation::Header
            }
        );
        assert_eq!(
            sec.auth(&json!([{"cookie": []}]), "y", &mut r),
            Auth::Inherit
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.item == "y" && n.why.contains("cookie")),
            "{r:?}"
        );
        assert!(matches!(
            sec.auth(&json!([{"basic": []}]), "x", &mut r),
            Auth::Basic { .. }
        ));
        assert_eq!(
            sec.secrets,
            ["jwt", "key", "basic_username", "basic_password"]
        );
    }

    #[test]
    fn oauth2_flows_become_oauth2_auth_with_the_asked_scopes() {
        let root = json!({"components": {"securitySchemes": {
            "auth0": {"type": "oauth2", "flows": {
                "implicit": {"authorizationUrl": "https://a/authorize", "scopes": {}},
                "clientCredentials": {"tokenUrl": "https://a/token",
                    "scopes": {"read": "", "write": ""}},
                "authorizationCode": {"authorizationUrl": "https://a/authorize",
                    "tokenUrl": "https://a/token", "refreshUrl": "https://a/refresh",
                    "scopes": {"read": ""}}
            }},
            "machines": {"type": "oauth2", "flows": {
                "clientCredentials": {"tokenUrl": "https://m/token", "scopes": {"a": "", "b": ""}}
            }},
            "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://o/.well-known/openid-configuration"}
        }}});
        let doc = Doc {
            root: &root,
            version: Version::V3,
        };
        let mut sec = Security::new(&doc);
        let mut r = Report::default();
        let Auth::OAuth2(o) = sec.auth(&json!([{"auth0": ["read", "write"]}]), "x", &mut r) else {
            panic!("{r:?}")
        };
        assert_eq!(o.grant, OAuth2Grant::AuthorizationCode);
        assert_eq!(
            (
                o.auth_url.as_str(),
                o.token_url.as_str(),
                o.refresh_url.as_str()
            ),
            (
                "https://a/authorize",
                "https://a/token",
                "https://a/refresh"
            )
        );
        assert_eq!(o.scope, "read write");
        assert_eq!(o.client_secret, "{{auth0_client_secret}}");
        assert!(o.pkce);
        let Auth::OAuth2(m) = sec.auth(&json!([{"machines": []}]), "x", &mut r) else {
            panic!()
        };
        assert_eq!(m.grant, OAuth2Grant::ClientCredentials);
        assert_eq!(m.scope, "a b", "every scope of the flow when none is asked");
        assert_eq!(sec.auth(&json!([{"oidc": []}]), "y", &mut r), Auth::Inherit);
        assert!(
            (r.notes.iter()).any(|n| n.item == "y" && n.why.contains("openid-configuration")),
            "{r:?}"
        );
        assert_eq!(
            sec.secrets,
            [
                "auth0_client_id",
                "auth0_client_secret",
                "machines_client_id",
                "machines_client_secret"
            ]
        );

        // Swagger 2's flow names.
        let root = json!({"securityDefinitions": {
            "o": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://i/a",
                  "scopes": {"basic": ""}},
            "p": {"type": "oauth2", "flow": "password", "tokenUrl": "https://p/t"}
        }});
        let doc = Doc {
            root: &root,
            version: Version::V2,
        };
        let mut sec = Security::new(&doc);
        let mut r = Report::default();
        let Auth::OAuth2(o) = sec.auth(&json!([{"o": []}]), "z", &mut r) else {
            panic!()
        };
        assert_eq!(
            (o.grant, o.scope.as_str()),
            (OAuth2Grant::Implicit, "basic")
        );
        assert!((r.notes.iter()).any(|n| n.item == "z" && n.why.contains("implicit")));
        let Auth::OAuth2(p) = sec.auth(&json!([{"p": []}]), "z", &mut r) else {
            panic!()
        };
        assert_eq!(
            (p.grant, p.username.as_str()),
            (OAuth2Grant::Password, "{{p_username}}")
        );
    }
}
