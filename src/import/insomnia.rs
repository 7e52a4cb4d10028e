//! Insomnia v4 exports (`"_type": "export"`, `"__export_format": 4`): the
//! flat `resources` list becomes collections (workspaces), folders (request
//! groups) and requests in Insomnia's own order (`metaSortKey`), the base
//! environment the collection's variables and each sub-environment an
//! environment. Nunjucks templates (`{{ _.base_url }}`) become postie's
//! (`{{base_url}}`); what postie cannot carry is named in the report.

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{
    Format, Import, ImportError, ImportedEnvironment, ImportedFolder, ImportedItem, Report,
};
use crate::model::{
    ApiKeyLocation, Auth, Body, ClientAuth, Environment, HawkAuth, KeyValue, OAuth1Auth,
    OAuth2Auth, OAuth2Grant, Part, RawKind, Request, Variable, Variables,
};

pub fn parse(text: &str) -> Result<Import, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let root: Value =
        serde_json::from_str(text).map_err(|e| ImportError::json(Format::Insomnia, &e))?;
    if root.get("__export_format").and_then(Value::as_u64) != Some(4) {
        return Err(ImportError::invalid(
            Format::Insomnia,
            "only Insomnia's v4 export is read (in Insomnia: Export, format \"Insomnia v4 (JSON)\")",
        ));
    }
    let resources = (root.get("resources").and_then(Value::as_array))
        .ok_or_else(|| ImportError::invalid(Format::Insomnia, "no `resources` list"))?;
    let mut import = Importer::new(resources);
    Ok(import.run())
}

struct Importer<'a> {
    by_parent: HashMap<&'a str, Vec<&'a Map<String, Value>>>,
    report: Report,
}

fn str_of<'a>(o: &'a Map<String, Value>, k: &str) -> &'a str {
    o.get(k).and_then(Value::as_str).unwrap_or("")
}

fn kind(o: &Map<String, Value>) -> &str {
    str_of(o, "_type")
}

fn sort_key(o: &Map<String, Value>) -> f64 {
    o.get("metaSortKey").and_then(Value::as_f64).unwrap_or(0.0)
}

impl<'a> Importer<'a> {
    fn new(resources: &'a [Value]) -> Importer<'a> {
        let mut by_parent: HashMap<&str, Vec<&Map<String, Value>>> = HashMap::new();
        for r in resources.iter().filter_map(Value::as_object) {
            let parent = r.get("parentId").and_then(Value::as_str).unwrap_or("");
            by_parent.entry(parent).or_default().push(r);
        }
        for children in by_parent.values_mut() {
            children.sort_by(|a, b| sort_key(a).total_cmp(&sort_key(b)));
        }
        Importer {
            by_parent,
            report: Report::default(),
        }
    }

    fn children(&self, id: &str) -> Vec<&'a Map<String, Value>> {
        self.by_parent.get(id).cloned().unwrap_or_default()
    }

    fn run(&mut self) -> Import {
        let mut import = Import::default();
        // Workspaces are the roots; an export of requests alone has none.
        let workspaces: Vec<&Map<String, Value>> = (self.by_parent.values().flatten())
            .filter(|r| kind(r) == "workspace")
            .copied()
            .collect();
        let roots: Vec<(String, String)> = if workspaces.is_empty() {
            let orphans = self.children("").iter().any(|r| kind(r) == "request");
            if orphans {
                vec![("Insomnia".to_string(), String::new())]
            } else {
                Vec::new()
            }
        } else {
            (workspaces.iter())
                .map(|w| {
                    (
                        non_empty(str_of(w, "name"), "Insomnia"),
                        str_of(w, "_id").to_string(),
                    )
                })
                .collect()
        };
        for (name, id) in roots {
            let mut folder = ImportedFolder {
                name: name.clone(),
                ..ImportedFolder::default()
            };
            self.fill_folder(&id, &name, &mut folder, &mut import.environments);
            import.collections.push(folder);
        }
        import.report = std::mem::take(&mut self.report);
        import
    }

    /// The items under `id`, the base environment as variables and the
    /// sub-environments as environments.
    fn fill_folder(
        &mut self,
        id: &str,
        path: &str,
        folder: &mut ImportedFolder,
        environments: &mut Vec<ImportedEnvironment>,
    ) {
        for child in self.children(id) {
            let name = non_empty(str_of(child, "name"), "Untitled");
            let at = format!("{path}/{name}");
            match kind(child) {
                "request_group" => {
                    let mut sub = ImportedFolder {
                        name: name.clone(),
                        ..ImportedFolder::default()
                    };
                    sub.folder.description = text_of(child, "description");
                    sub.folder.auth.auth = self.auth(child.get("authentication"), &at);
                    sub.folder.variables = self.variables(child.get("environment"));
                    sub.folder.headers = self.pairs(child.get("headers"));
                    sub.folder.pre_request = self.script(child, "preRequestScript", &at);
                    sub.folder.test = self.script(child, "afterResponseScript", &at);
                    self.fill_folder(str_of(child, "_id"), &at, &mut sub, environments);
                    folder.items.push(ImportedItem::Folder(Box::new(sub)));
                }
                "request" => {
                    let request = self.request(child, &at);
                    folder.items.push(ImportedItem::Request(Box::new(request)));
                }
                "environment" => {
                    // The base environment: every request sees it.
                    folder.folder.variables = self.variables(child.get("data"));
                    for sub in self.children(str_of(child, "_id")) {
                        if kind(sub) == "environment" {
                            environments.push(ImportedEnvironment {
                                name: non_empty(str_of(sub, "name"), "environment"),
                                environment: Environment {
                                    variables: self.variables(sub.get("data")),
                                    ..Environment::default()
                                },
                                secrets: Vec::new(),
                            });
                        }
                    }
                }
                "grpc_request" | "websocket_request" | "graphql_subscription" => {
                    self.report.dropped(
                        at,
                        kind(child).replace('_', " "),
                        "postie sends HTTP requests only",
                    )
                }
                "unit_test_suite" => self.report.dropped(
                    at,
                    "unit test suite",
                    "Insomnia's unit tests are not converted; write them as test scripts",
                ),
                "cookie_jar" => self.report.dropped(
                    path,
                    "cookie jar",
                    "cookies come from responses in postie (.postie/cookies.json)",
                ),
                "api_spec" if !str_of(child, "contents").is_empty() => self.report.dropped(
                    path,
                    "API design document",
                    "import the spec itself with postie import (OpenAPI)",
                ),
                _ => {}
            }
        }
    }

    fn request(&mut self, r: &Map<String, Value>, at: &str) -> Request {
        let mut req = Request::new(
            non_empty(str_of(r, "method"), "GET").to_ascii_uppercase(),
            self.template(str_of(r, "url"), at),
        );
        req.name = Some(non_empty(str_of(r, "name"), "Untitled"));
        req.description = text_of(r, "description");
        req.params = self.pairs(r.get("parameters"));
        req.headers = self.pairs(r.get("headers"));
        req.body.body = self.body(r.get("body"), at);
        req.auth.auth = self.auth(r.get("authentication"), at);
        req.pre_request = self.script(r, "preRequestScript", at);
        req.test = self.script(r, "afterResponseScript", at);
        match str_of(r, "settingFollowRedirects") {
            "on" => req.settings.follow_redirects = Some(true),
            "off" => req.settings.follow_redirects = Some(false),
            _ => {}
        }
        req
    }

    fn pairs(&mut self, v: Option<&Value>) -> Vec<KeyValue> {
        (v.and_then(Value::as_array).into_iter().flatten())
            .filter_map(Value::as_object)
            .filter(|p| !str_of(p, "name").is_empty())
            .map(|p| {
                let mut kv = KeyValue::new(
                    self.template(str_of(p, "name"), ""),
                    self.template(str_of(p, "value"), ""),
                );
                kv.enabled = p.get("disabled") != Some(&Value::Bool(true));
                kv.description = text_of(p, "description");
                kv
            })
            .collect()
    }

    fn variables(&mut self, data: Option<&Value>) -> Variables {
        let mut vars = Variables::default();
        for (k, v) in data.and_then(Value::as_object).into_iter().flatten() {
            let value = match v {
                Value::String(s) => self.template(s, ""),
                Value::Null => String::new(),
                other => other.to_string(),
            };
            vars.0.push((k.clone(), Variable::Plain(value)));
        }
        vars
    }

    fn body(&mut self, v: Option<&Value>, at: &str) -> Body {
        let Some(b) = v.and_then(Value::as_object) else {
            return Body::None;
        };
        let mime = str_of(b, "mimeType").to_ascii_lowercase();
        let text = self.template(str_of(b, "text"), at);
        match mime.as_str() {
            "" if text.is_empty() => Body::None,
            "application/x-www-form-urlencoded" => Body::Form(self.pairs(b.get("params"))),
            "multipart/form-data" => Body::Multipart(self.parts(b.get("params"))),
            "application/graphql" => {
                let g: Value = serde_json::from_str(&text).unwrap_or_default();
                let variables = match g.get("variables") {
                    Some(Value::Null) | None => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
                };
                Body::GraphQl {
                    query: g["query"].as_str().unwrap_or(&text).to_string(),
                    variables,
                }
            }
            "application/octet-stream" => match str_of(b, "fileName") {
                "" => Body::None,
                file => Body::Binary {
                    file: file.to_string(),
                },
            },
            m if m.contains("json") => Body::Raw {
                kind: RawKind::Json,
                text,
            },
            m if m.contains("xml") => Body::Raw {
                kind: RawKind::Xml,
                text,
            },
            m if m.contains("html") => Body::Raw {
                kind: RawKind::Html,
                text,
            },
            _ => Body::Raw {
                kind: RawKind::Text,
                text,
            },
        }
    }

    fn parts(&mut self, v: Option<&Value>) -> Vec<Part> {
        (v.and_then(Value::as_array).into_iter().flatten())
            .filter_map(Value::as_object)
            .map(|p| {
                let is_file = str_of(p, "type") == "file";
                Part {
                    name: self.template(str_of(p, "name"), ""),
                    value: (!is_file).then(|| self.template(str_of(p, "value"), "")),
                    file: is_file.then(|| str_of(p, "fileName").to_string()),
                    filename: None,
                    content_type: text_of(p, "contentType"),
                    enabled: p.get("disabled") != Some(&Value::Bool(true)),
                    description: text_of(p, "description"),
                    extra: Default::default(),
                }
            })
            .collect()
    }

    fn auth(&mut self, v: Option<&Value>, at: &str) -> Auth {
        let Some(a) = v.and_then(Value::as_object).filter(|a| !a.is_empty()) else {
            return Auth::Inherit;
        };
        if a.get("disabled") == Some(&Value::Bool(true)) {
            return Auth::None;
        }
        let mut t = |k: &str| self.template(str_of(a, k), at);
        match str_of(a, "type") {
            "none" => Auth::None,
            "basic" => Auth::Basic {
                username: t("username"),
                password: t("password"),
            },
            "digest" => Auth::Digest {
                username: t("username"),
                password: t("password"),
            },
            "bearer" => {
                let prefix = t("prefix");
                let token = t("token");
                if !prefix.is_empty() && prefix != "Bearer" {
                    self.report.changed(
                        at,
                        "bearer token prefix",
                        format!("postie sends `Bearer`; Insomnia's prefix `{prefix}` is not kept"),
                    );
                }
                Auth::Bearer { token }
            }
            "apikey" => Auth::ApiKey {
                key: t("key"),
                value: t("value"),
                location: match str_of(a, "addTo") {
                    "queryParams" => ApiKeyLocation::Query,
                    _ => ApiKeyLocation::Header,
                },
            },
            "oauth1" => Auth::OAuth1(OAuth1Auth {
                consumer_key: t("consumerKey"),
                consumer_secret: t("consumerSecret"),
                token: t("tokenKey"),
                token_secret: t("tokenSecret"),
                signature_method: t("signatureMethod"),
                realm: t("realm"),
                private_key: t("privateKey"),
                ..OAuth1Auth::default()
            }),
            "hawk" => Auth::Hawk(HawkAuth {
                id: t("id"),
                key: t("key"),
                algorithm: t("algorithm"),
                ext: t("ext"),
                ..HawkAuth::default()
            }),
            "iam" => Auth::AwsV4(crate::model::AwsV4Auth {
                access_key: t("accessKeyId"),
                secret_key: t("secretAccessKey"),
                session_token: t("sessionToken"),
                region: t("region"),
                service: t("service"),
                ..crate::model::AwsV4Auth::default()
            }),
            "oauth2" => Auth::OAuth2(Box::new(self.oauth2(a, at))),
            other => {
                self.report.dropped(
                    at,
                    format!("auth type {other}"),
                    "postie has no such auth; set it up by hand",
                );
                Auth::Inherit
            }
        }
    }

    fn oauth2(&mut self, a: &Map<String, Value>, at: &str) -> OAuth2Auth {
        let mut t = |k: &str| self.template(str_of(a, k), at);
        let grant = match str_of(a, "grantType") {
            "client_credentials" => OAuth2Grant::ClientCredentials,
            "password" => OAuth2Grant::Password,
            "implicit" => OAuth2Grant::Implicit,
            _ => OAuth2Grant::AuthorizationCode,
        };
        let o = OAuth2Auth {
            grant,
            token_url: t("accessTokenUrl"),
            auth_url: t("authorizationUrl"),
            redirect_uri: t("redirectUrl"),
            client_id: t("clientId"),
            client_secret: t("clientSecret"),
            scope: t("scope"),
            audience: t("audience"),
            resource: t("resource"),
            state: t("state"),
            username: t("username"),
            password: t("password"),
            token_prefix: t("tokenPrefix"),
            pkce: a.get("usePkce") == Some(&Value::Bool(true)),
            pkce_method: t("pkceMethod"),
            client_auth: if a.get("credentialsInBody") == Some(&Value::Bool(true)) {
                ClientAuth::Body
            } else {
                ClientAuth::Header
            },
            ..OAuth2Auth::default()
        };
        if grant == OAuth2Grant::Implicit {
            self.report.changed(
                at,
                "oauth2 implicit grant",
                "kept but never run: the implicit grant is deprecated (RFC 9700); switch to authorization_code",
            );
        }
        o
    }

    /// A script, with Insomnia's `insomnia.` API (Postman's shape) as `pm.`.
    fn script(&mut self, r: &Map<String, Value>, key: &str, at: &str) -> Option<String> {
        let s = str_of(r, key);
        if s.trim().is_empty() {
            return None;
        }
        if s.contains("insomnia.") {
            self.report.changed(
                at,
                key,
                "Insomnia's `insomnia.` script API is Postman's `pm.`: renamed",
            );
        }
        Some(s.replace("insomnia.", "pm."))
    }

    /// Nunjucks to postie: `{{ _.name }}`, `{{ name }}` and
    /// `{{ _['name'] }}` become `{{name}}`; `{% uuid %}` and `{% now %}`
    /// become dynamic variables; other tags are kept and reported.
    fn template(&mut self, s: &str, at: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut rest = s;
        while let Some(open) = rest.find("{{").into_iter().chain(rest.find("{%")).min() {
            out.push_str(&rest[..open]);
            let tag = rest[open..].starts_with("{%");
            let close = if tag { "%}" } else { "}}" };
            let Some(end) = rest[open + 2..].find(close) else {
                out.push_str(&rest[open..]);
                return out;
            };
            let inner = rest[open + 2..open + 2 + end].trim();
            let whole = &rest[open..open + 2 + end + 2];
            if tag {
                let name = inner.split_whitespace().next().unwrap_or("");
                match name {
                    "uuid" => out.push_str("{{$guid}}"),
                    "now" if inner.contains("millis") => out.push_str("{{$timestamp}}000"),
                    "now" if inner.contains("unix") => out.push_str("{{$timestamp}}"),
                    "now" => out.push_str("{{$isoTimestamp}}"),
                    _ => {
                        if !at.is_empty() {
                            self.report.changed(
                                at,
                                format!("template tag `{name}`"),
                                "Insomnia's template tags (response chaining, prompts, ...) are kept as text; use a pre-request script",
                            );
                        }
                        out.push_str(whole);
                    }
                }
            } else {
                let name = inner
                    .strip_prefix("_.")
                    .or_else(|| inner.strip_prefix("_['").and_then(|n| n.strip_suffix("']")))
                    .or_else(|| {
                        inner
                            .strip_prefix("_[\"")
                            .and_then(|n| n.strip_suffix("\"]"))
                    })
                    .unwrap_or(inner);
                out.push_str("{{");
                out.push_str(name.trim());
                out.push_str("}}");
            }
            rest = &rest[open + 2 + end + 2..];
        }
        out.push_str(rest);
        out
    }
}

fn non_empty(s: &str, or: &str) -> String {
    if s.trim().is_empty() {
        or.to_string()
    } else {
        s.to_string()
    }
}

fn text_of(o: &Map<String, Value>, k: &str) -> Option<String> {
    Some(str_of(o, k))
        .filter(|s| !s.trim().is_empty())
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn export(resources: Value) -> String {
        json!({"_type": "export", "__export_format": 4, "__export_date": "2024-01-01",
               "__export_source": "insomnia.desktop.app:v8.6.1", "resources": resources})
        .to_string()
    }

    fn sample() -> String {
        export(json!([
            {"_id": "wrk_1", "parentId": null, "name": "Shop API", "_type": "workspace", "scope": "collection"},
            {"_id": "env_base", "parentId": "wrk_1", "name": "Base Environment", "_type": "environment",
             "data": {"base_url": "http://127.0.0.1:9", "page": 2}},
            {"_id": "env_prod", "parentId": "env_base", "name": "Production", "_type": "environment",
             "data": {"base_url": "https://shop.example"}},
            {"_id": "jar_1", "parentId": "wrk_1", "name": "Default Jar", "_type": "cookie_jar", "cookies": []},
            {"_id": "fld_users", "parentId": "wrk_1", "name": "Users", "_type": "request_group",
             "metaSortKey": -2, "environment": {"role": "admin"},
             "authentication": {"type": "bearer", "token": "{{ _.token }}"}},
            {"_id": "req_2", "parentId": "fld_users", "name": "Create user", "_type": "request",
             "metaSortKey": 20, "method": "POST", "url": "{{ _.base_url }}/users",
             "body": {"mimeType": "application/json", "text": "{\"id\": \"{% uuid 'v4' %}\", \"at\": \"{% now 'iso-8601', '' %}\"}"},
             "headers": [{"name": "X-Trace", "value": "{{trace}}"}, {"name": "X-Off", "value": "1", "disabled": true}],
             "authentication": {}, "settingFollowRedirects": "off",
             "afterResponseScript": "insomnia.test('ok', () => insomnia.expect(insomnia.response.code).to.eql(201));"},
            {"_id": "req_1", "parentId": "fld_users", "name": "List users", "_type": "request",
             "metaSortKey": 10, "method": "get", "url": "{{ _['base_url'] }}/users",
             "parameters": [{"name": "page", "value": "{{ _.page }}"}],
             "authentication": {"type": "apikey", "key": "X-Key", "value": "{{ key }}", "addTo": "queryParams"}},
            {"_id": "req_3", "parentId": "wrk_1", "name": "Login", "_type": "request", "metaSortKey": 5,
             "method": "POST", "url": "{{ _.base_url }}/login",
             "body": {"mimeType": "application/x-www-form-urlencoded",
                      "params": [{"name": "user", "value": "ada"}, {"name": "pw", "value": "{{ _.pw }}"}]},
             "authentication": {"type": "oauth2", "grantType": "client_credentials",
                                "accessTokenUrl": "{{ _.base_url }}/token", "clientId": "cli",
                                "clientSecret": "{{ _.secret }}", "credentialsInBody": true, "scope": "read"}},
            {"_id": "req_4", "parentId": "wrk_1", "name": "Upload", "_type": "request", "metaSortKey": 6,
             "method": "POST", "url": "{{ _.base_url }}/files",
             "body": {"mimeType": "multipart/form-data",
                      "params": [{"name": "f", "type": "file", "fileName": "/tmp/a.png"}, {"name": "t", "value": "x"}]},
             "authentication": {"type": "ntlm", "username": "u"}},
            {"_id": "ws_1", "parentId": "wrk_1", "name": "Live", "_type": "websocket_request", "url": "ws://x"},
            {"_id": "req_5", "parentId": "wrk_1", "name": "Chained", "_type": "request", "metaSortKey": 7,
             "method": "GET", "url": "{{ _.base_url }}/x?t={% response 'body', 'req_3', 'b64::JC50b2tlbg==::46b', 'never', 60 %}"}
        ]))
    }

    fn request<'a>(items: &'a [ImportedItem], name: &str) -> &'a Request {
        items
            .iter()
            .find_map(|i| match i {
                ImportedItem::Request(r) if r.name.as_deref() == Some(name) => Some(&**r),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no request {name}"))
    }

    #[test]
    fn a_v4_export_becomes_a_collection_with_folders_environments_and_auth() {
        let imp = parse(&sample()).unwrap();
        assert_eq!(imp.collections.len(), 1);
        let c = &imp.collections[0];
        assert_eq!(c.name, "Shop API");
        assert_eq!(
            c.folder.variables.get("base_url").and_then(Variable::value),
            Some("http://127.0.0.1:9")
        );
        assert_eq!(
            c.folder.variables.get("page").and_then(Variable::value),
            Some("2")
        );
        assert_eq!(imp.environments.len(), 1);
        assert_eq!(imp.environments[0].name, "Production");
        // Insomnia's order: the folder (-2), Login (5), Upload (6), Chained (7).
        let names: Vec<String> = (c.items.iter())
            .map(|i| match i {
                ImportedItem::Folder(f) => f.name.clone(),
                ImportedItem::Request(r) => r.name.clone().unwrap_or_default(),
            })
            .collect();
        assert_eq!(names, ["Users", "Login", "Upload", "Chained"]);
        let ImportedItem::Folder(users) = &c.items[0] else {
            panic!()
        };
        assert_eq!(
            users.folder.auth.auth,
            Auth::Bearer {
                token: "{{token}}".into()
            }
        );
        assert_eq!(
            users.folder.variables.get("role").and_then(Variable::value),
            Some("admin")
        );
        // Sorted by metaSortKey, not file order.
        assert_eq!(users.items.len(), 2);
        let list = request(&users.items, "List users");
        assert_eq!(list.method, "GET");
        assert_eq!(list.url, "{{base_url}}/users");
        assert_eq!(list.params[0].value, "{{page}}");
        assert!(matches!(
            list.auth.auth,
            Auth::ApiKey {
                location: ApiKeyLocation::Query,
                ..
            }
        ));
        let create = request(&users.items, "Create user");
        assert_eq!(create.auth.auth, Auth::Inherit);
        assert_eq!(create.settings.follow_redirects, Some(false));
        assert!(!create.headers[1].enabled);
        let Body::Raw {
            kind: RawKind::Json,
            text,
        } = &create.body.body
        else {
            panic!()
        };
        assert_eq!(
            text,
            "{\"id\": \"{{$guid}}\", \"at\": \"{{$isoTimestamp}}\"}"
        );
        assert_eq!(
            create.test.as_deref(),
            Some("pm.test('ok', () => pm.expect(pm.response.code).to.eql(201));")
        );
        let login = request(&c.items, "Login");
        let Body::Form(form) = &login.body.body else {
            panic!()
        };
        assert_eq!(form[1].value, "{{pw}}");
        let Auth::OAuth2(o) = &login.auth.auth else {
            panic!()
        };
        assert_eq!(o.grant, OAuth2Grant::ClientCredentials);
        assert_eq!(o.token_url, "{{base_url}}/token");
        assert_eq!(o.client_auth, ClientAuth::Body);
        let upload = request(&c.items, "Upload");
        let Body::Multipart(parts) = &upload.body.body else {
            panic!()
        };
        assert_eq!(parts[0].file.as_deref(), Some("/tmp/a.png"));
        assert_eq!(parts[1].value.as_deref(), Some("x"));
    }

    #[test]
    fn what_postie_cannot_carry_is_reported() {
        let imp = parse(&sample()).unwrap();
        let whats: Vec<String> = (imp.report.notes.iter())
            .map(|n| format!("{}: {}", n.item, n.what))
            .collect();
        for expected in [
            "Shop API/Upload: auth type ntlm",
            "Shop API/Live: websocket request",
            "Shop API: cookie jar",
            "Shop API/Chained: template tag `response`",
            "Shop API/Users/Create user: afterResponseScript",
        ] {
            assert!(
                whats.iter().any(|w| w == expected),
                "{expected} in {whats:?}"
            );
        }
    }

    #[test]
    fn other_versions_and_bad_json_are_refused_clearly() {
        let v3 = r#"{"_type": "export", "__export_format": 3, "resources": []}"#;
        assert!(parse(v3).unwrap_err().to_string().contains("v4"));
        let broken = "{\"_type\": \"export\",";
        assert!(parse(broken)
            .unwrap_err()
            .to_string()
            .contains("not valid JSON"));
    }
}
