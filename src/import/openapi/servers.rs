//! Servers (3.x `servers`, 2.0 `schemes`/`host`/`basePath`) become the
//! `base_url` variable and one environment per server.

use serde_json::Value;

use super::doc::{str_at, Doc, Version};
use crate::import::{ImportedEnvironment, Report};
use crate::model::{Environment, Variable, Variables};

pub struct Servers {
    /// Collection variables: `base_url` (first server) and its URL variables.
    pub variables: Vec<(String, Variable)>,
    pub environments: Vec<ImportedEnvironment>,
}

/// One server: its URL with `{var}` turned into `{{var}}`, its variables
/// with their defaults, and a name for its environment.
struct Server {
    url: String,
    vars: Vec<(String, String, Option<String>)>,
    name: String,
}

pub fn servers(doc: &Doc<'_>, report: &mut Report) -> Servers {
    let list = match doc.version {
        Version::V3 => v3(doc),
        Version::V2 => v2(doc.root),
    };
    let mut out = Servers {
        variables: Vec::new(),
        environments: Vec::new(),
    };
    let Some(first) = list.first() else {
        report.changed(
            "collection",
            "variable base_url",
            "the spec names no server: set base_url (e.g. https://api.example.com) in an environment",
        );
        out.variables
            .push(("base_url".into(), Variable::Plain(String::new())));
        return out;
    };
    if !first.url.contains("://") && !first.url.starts_with("{{") {
        report.changed(
            "collection",
            format!("server {}", first.url),
            "the server URL is relative to where the spec is hosted: make base_url absolute",
        );
    }
    out.variables
        .push(("base_url".into(), Variable::Plain(first.url.clone())));
    for (name, default, description) in &first.vars {
        out.variables
            .push((name.clone(), detailed(default, description.clone())));
    }
    let mut used: Vec<String> = Vec::new();
    for s in &list {
        let mut name = s.name.clone();
        let mut n = 2;
        while used.iter().any(|u| u.eq_ignore_ascii_case(&name)) {
            name = format!("{} {n}", s.name);
            n += 1;
        }
        used.push(name.clone());
        let mut vars = vec![("base_url".to_string(), Variable::Plain(s.url.clone()))];
        for (var, default, description) in &s.vars {
            vars.push((var.clone(), detailed(default, description.clone())));
        }
        out.environments.push(ImportedEnvironment {
            name,
            environment: Environment {
                variables: Variables(vars),
                ..Environment::default()
            },
            secrets: Vec::new(),
        });
    }
    out
}

fn detailed(value: &str, description: Option<String>) -> Variable {
    match description {
        None => Variable::Plain(value.to_string()),
        Some(d) => Variable::Detailed {
            value: Some(value.to_string()),
            secret: false,
            enabled: true,
            description: Some(d),
            extra: Default::default(),
        },
    }
}

fn v3(doc: &Doc<'_>) -> Vec<Server> {
    let Some(list) = doc.root.get("servers").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter().filter_map(server3).collect()
}

/// A 3.x server object, for the document or for one operation.
fn server3(s: &Value) -> Option<Server> {
    let raw = str_at(s, "url")?.trim_end_matches('/');
    let url = templated(raw);
    let mut vars = Vec::new();
    if let Some(map) = s.get("variables").and_then(Value::as_object) {
        for (name, v) in map {
            let default = v
                .get("default")
                .map(super::doc::text_of)
                .unwrap_or_default();
            let mut description = str_at(v, "description").map(str::to_string);
            if let Some(options) = v.get("enum").and_then(Value::as_array) {
                let list: Vec<String> = options.iter().map(super::doc::text_of).collect();
                let one_of = format!("one of: {}", list.join(", "));
                description = Some(match description {
                    Some(d) => format!("{d} ({one_of})"),
                    None => one_of,
                });
            }
            vars.push((name.clone(), default, description));
        }
    }
    let name = str_at(s, "description")
        .map(str::to_string)
        .unwrap_or_else(|| host_of(raw));
    Some(Server { url, vars, name })
}

/// The URL of an operation's (or path's) own first server.
pub fn own_server(servers: Option<&Value>) -> Option<String> {
    let first = servers?.as_array()?.first()?;
    let s = server3(first)?;
    // Its variables take their defaults: they are not collection-wide.
    let mut url = s.url;
    for (name, default, _) in s.vars {
        url = url.replace(&format!("{{{{{name}}}}}"), &default);
    }
    Some(url)
}

fn v2(root: &Value) -> Vec<Server> {
    let host = str_at(root, "host");
    let base = str_at(root, "basePath").unwrap_or("").trim_end_matches('/');
    let schemes: Vec<&str> = root
        .get("schemes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let Some(host) = host else {
        if base.is_empty() {
            return Vec::new();
        }
        return vec![Server {
            url: base.to_string(),
            vars: Vec::new(),
            name: "default".into(),
        }];
    };
    // The spec's default scheme is the one the spec was served with;
    // https is the safe guess.
    let schemes = if schemes.is_empty() {
        vec!["https"]
    } else {
        schemes
    };
    schemes
        .iter()
        .map(|scheme| Server {
            url: format!("{scheme}://{host}{base}"),
            vars: Vec::new(),
            name: if schemes.len() > 1 {
                format!("{host} {scheme}")
            } else {
                host.to_string()
            },
        })
        .collect()
}

/// `{name}` path or server templates as `{{name}}`.
pub fn templated(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        out.push_str(&rest[..open]);
        if name.is_empty() || name.contains('{') {
            out.push_str(&rest[open..=open + close]);
        } else {
            out.push_str("{{");
            out.push_str(name);
            out.push_str("}}");
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn host_of(url: &str) -> String {
    let after = url.split_once("://").map_or(url, |(_, r)| r);
    let host = after.split('/').next().unwrap_or(after);
    if host.is_empty() {
        "default".into()
    } else {
        host.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn templates_and_server_variables() {
        assert_eq!(templated("/a/{id}/b/{x_y}"), "/a/{{id}}/b/{{x_y}}");
        assert_eq!(templated("/a/{"), "/a/{");
        let root = json!({"servers": [
            {"url": "https://{region}.example.com/v1/", "description": "Production",
             "variables": {"region": {"default": "eu", "enum": ["eu", "us"]}}},
            {"url": "http://localhost:8080"}
        ]});
        let doc = Doc {
            root: &root,
            version: Version::V3,
        };
        let mut report = Report::default();
        let s = servers(&doc, &mut report);
        assert_eq!(
            s.variables[0].1,
            Variable::Plain("https://{{region}}.example.com/v1".into())
        );
        assert_eq!(s.variables[1].1.value(), Some("eu"));
        let names: Vec<&str> = s.environments.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Production", "localhost:8080"]);
        assert!(report.notes.is_empty());
    }

    #[test]
    fn swagger2_host_schemes_base_path() {
        let root = json!({"host": "api.uber.com", "basePath": "/v1", "schemes": ["https"]});
        let doc = Doc {
            root: &root,
            version: Version::V2,
        };
        let s = servers(&doc, &mut Report::default());
        assert_eq!(
            s.variables[0].1,
            Variable::Plain("https://api.uber.com/v1".into())
        );
        assert_eq!(s.environments[0].name, "api.uber.com");
    }
}
