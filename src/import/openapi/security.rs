//! Security schemes become auth: http basic/bearer/digest and apiKey in a
//! header or the query. Credentials are `{{variables}}` named after the
//! scheme, made secret in every imported environment.

use serde_json::Value;

use super::doc::{str_at, Doc, Version};
use crate::import::Report;
use crate::model::{ApiKeyLocation, Auth};

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
            for name in set.keys() {
                match self.map(name) {
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

    fn map(&mut self, name: &str) -> Result<Auth, String> {
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
            ("http", other) => return Err(format!("HTTP auth scheme {other:?} is not supported")),
            (other, _) => return Err(format!("{other} auth is not supported")),
        };
        let used: Vec<String> = match &auth {
            Auth::Basic { .. } | Auth::Digest { .. } => vec![var("username"), var("password")],
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
            "oauth": {"type": "oauth2", "flows": {}}
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
}
