//! OpenAPI 3.0/3.1 (3.2 read as 3.1) and Swagger 2.0, JSON or YAML.
//!
//! Servers become the `base_url` variable and one environment each;
//! operations become requests grouped by their first tag; security
//! schemes become auth. What has no place in postie is reported.

mod doc;
mod example;
pub(crate) mod load;
mod operation;
mod security;
mod servers;

use serde_json::Value;

use self::doc::{str_at, Doc, Version};
use self::operation::{Ctx, Operation};
use self::security::Security;
use super::{Format, Import, ImportError, ImportedFolder, ImportedItem, Report};
use crate::model::{AuthWithExtra, Folder, Variable, Variables};

/// Methods a path item can hold, in the order the spec lists them.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

pub fn parse(text: &str) -> Result<Import, ImportError> {
    let root = load::load(text)?;
    if !root.is_object() {
        return Err(ImportError::invalid(
            Format::OpenApi,
            "the document is not an object",
        ));
    }
    let version = version(&root)?;
    let doc = Doc {
        root: &root,
        version,
    };
    let mut report = Report::default();
    if let Some(v) = str_at(&root, "openapi").filter(|v| v.starts_with("3.2")) {
        report.changed(
            "collection",
            format!("OpenAPI {v}"),
            "read as OpenAPI 3.1: features new in 3.2 may be missing",
        );
    }
    let servers = servers::servers(&doc, &mut report);
    let mut ctx = Ctx {
        doc: &doc,
        security: Security::new(&doc),
        report,
        path_vars: Vec::new(),
    };
    let auth = operation::global_auth(&mut ctx);

    // Folders in the order of the spec's `tags` list, then first use.
    let mut folders: Vec<ImportedFolder> = Vec::new();
    if let Some(tags) = root.get("tags").and_then(Value::as_array) {
        for t in tags {
            if let Some(name) = str_at(t, "name") {
                folders.push(ImportedFolder {
                    name: name.to_string(),
                    folder: Folder {
                        description: str_at(t, "description").map(str::to_string),
                        ..Folder::default()
                    },
                    items: Vec::new(),
                });
            }
        }
    }
    let mut top: Vec<ImportedItem> = Vec::new();
    let paths = root.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        let item = doc.get(item);
        for method in METHODS {
            let Some(op) = item.get(*method).filter(|o| o.is_object()) else {
                continue;
            };
            let tags: Vec<&str> = op
                .get("tags")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let o = Operation {
                path,
                method,
                item,
                op,
            };
            let shown_name = format!("{} {path}", method.to_ascii_uppercase());
            let label = match tags.first() {
                Some(t) => format!("{t}/{shown_name}"),
                None => shown_name,
            };
            let req = operation::request(&mut ctx, &o, &label);
            for extra in tags.iter().skip(1) {
                ctx.report.changed(
                    &label,
                    format!("tag {extra}"),
                    format!("a request lives in one folder: it is in {}", tags[0]),
                );
            }
            let entry = ImportedItem::Request(Box::new(req));
            match tags.first() {
                Some(tag) => match folders.iter_mut().find(|f| f.name == *tag) {
                    Some(f) => f.items.push(entry),
                    None => folders.push(ImportedFolder {
                        name: tag.to_string(),
                        folder: Folder::default(),
                        items: vec![entry],
                    }),
                },
                None => top.push(entry),
            }
        }
        if let Some(extra) = item.get("additionalOperations").and_then(Value::as_object) {
            for m in extra.keys() {
                ctx.report.dropped(
                    path.as_str(),
                    format!("method {m}"),
                    "additionalOperations are not imported",
                );
            }
        }
    }
    for key in ["webhooks", "x-webhooks"] {
        if let Some(w) = root.get(key).and_then(Value::as_object) {
            for name in w.keys() {
                ctx.report.dropped(
                    "collection",
                    format!("webhook {name}"),
                    "webhooks are requests the API sends to you, not ones you send",
                );
            }
        }
    }

    let mut variables: Vec<(String, Variable)> = servers.variables;
    for (name, v) in std::mem::take(&mut ctx.path_vars) {
        if !variables.iter().any(|(n, _)| *n == name) {
            variables.push((name, v));
        }
    }
    let secrets = std::mem::take(&mut ctx.security.secrets);
    let mut environments = servers.environments;
    for env in &mut environments {
        for s in &secrets {
            env.environment.variables.0.push((
                s.clone(),
                Variable::Detailed {
                    value: None,
                    secret: true,
                    enabled: true,
                    description: Some("credential for the API's security scheme".into()),
                    extra: Default::default(),
                },
            ));
        }
    }
    if !secrets.is_empty() && environments.is_empty() {
        ctx.report.changed(
            "collection",
            format!("variables {}", secrets.join(", ")),
            "auth uses these variables: define them (as secrets) in an environment",
        );
    }

    let info = root.get("info").unwrap_or(&Value::Null);
    let mut items: Vec<ImportedItem> = folders
        .into_iter()
        .filter(|f| !f.items.is_empty())
        .map(|f| ImportedItem::Folder(Box::new(f)))
        .collect();
    items.extend(top);
    let collection = ImportedFolder {
        name: str_at(info, "title").unwrap_or("API").trim().to_string(),
        folder: Folder {
            variables: Variables(variables),
            auth: AuthWithExtra {
                auth,
                extra: Default::default(),
            },
            description: str_at(info, "description").map(str::to_string),
            ..Folder::default()
        },
        items,
    };
    Ok(Import {
        collections: vec![collection],
        environments,
        report: ctx.report,
    })
}

fn version(root: &Value) -> Result<Version, ImportError> {
    if let Some(v) = root.get("openapi") {
        let v = doc::text_of(v);
        return if v.starts_with("3.") {
            Ok(Version::V3)
        } else {
            Err(ImportError::Unsupported(format!(
                "OpenAPI version {v} is not supported (postie reads Swagger 2.0 and OpenAPI 3.0, 3.1, 3.2)"
            )))
        };
    }
    if let Some(v) = root.get("swagger").or_else(|| root.get("swaggerVersion")) {
        let v = doc::text_of(v);
        return if v == "2.0" || v == "2" {
            Ok(Version::V2)
        } else {
            Err(ImportError::Unsupported(format!(
                "Swagger version {v} is not supported (postie reads Swagger 2.0 and OpenAPI 3.0, 3.1, 3.2)"
            )))
        };
    }
    Err(ImportError::invalid(
        Format::OpenApi,
        "neither an `openapi` nor a `swagger` field: this is not an OpenAPI or Swagger document",
    ))
}
