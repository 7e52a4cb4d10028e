//! Encoding a request body: raw text, forms, multipart, files, GraphQL.

use std::path::Path;

use crate::http::PreparedBody;
use crate::model::{Body, Request};
use crate::storage::layout;

use super::{Ctx, Field, Origin, Problem};

/// The body and the Content-Type it implies (used unless a header sets one).
pub(super) fn prepare_body(
    cx: &mut Ctx,
    req: &Request,
    dir: &Path,
    stem: &str,
    req_origin: &Origin,
) -> (PreparedBody, Option<String>) {
    match &req.body.body {
        Body::None => (PreparedBody::Empty, None),
        Body::Raw { kind, text } => {
            let origin = Origin {
                file: dir.join(layout::body_file(stem, kind.extension())),
                whole_file: true,
            };
            let s = cx.resolve(text, Field::Body, &origin);
            (
                PreparedBody::Bytes(s.into_bytes()),
                Some(kind.content_type().to_string()),
            )
        }
        Body::Form(fields) => {
            let mut ser = url::form_urlencoded::Serializer::new(String::new());
            for f in fields.iter().filter(|f| f.enabled) {
                let field = Field::FormField(f.name.clone());
                let name = cx.resolve(&f.name, field.clone(), req_origin);
                let value = cx.resolve(&f.value, field, req_origin);
                ser.append_pair(&name, &value);
            }
            (
                PreparedBody::Bytes(ser.finish().into_bytes()),
                Some("application/x-www-form-urlencoded".into()),
            )
        }
        Body::Multipart(parts) => {
            let boundary = format!(
                "postie-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            );
            let mut out: Vec<u8> = Vec::new();
            for p in parts.iter().filter(|p| p.enabled) {
                let field = Field::Part(p.name.clone());
                let name = cx.resolve(&p.name, field.clone(), req_origin);
                out.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
                match &p.file {
                    Some(file) => {
                        let rel = cx.resolve(file, field.clone(), req_origin);
                        let path = cx.root.join(&rel);
                        let bytes = match std::fs::read(&path) {
                            Ok(b) => b,
                            Err(e) => {
                                cx.problems.push(Problem::File {
                                    field,
                                    path,
                                    message: e.to_string(),
                                });
                                continue;
                            }
                        };
                        let filename = p.filename.clone().unwrap_or_else(|| {
                            Path::new(&rel)
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_else(|| rel.clone())
                        });
                        let ct = p.content_type.clone().unwrap_or_else(|| {
                            crate::media::content_type_for_file(&filename).to_string()
                        });
                        out.extend_from_slice(
                            format!(
                                "Content-Disposition: form-data; name=\"{}\"; filename=\"{}\"\r\nContent-Type: {ct}\r\n\r\n",
                                quote(&name),
                                quote(&filename)
                            )
                            .as_bytes(),
                        );
                        out.extend_from_slice(&bytes);
                    }
                    None => {
                        let value = cx.resolve(p.value.as_deref().unwrap_or(""), field, req_origin);
                        out.extend_from_slice(
                            format!(
                                "Content-Disposition: form-data; name=\"{}\"\r\n",
                                quote(&name)
                            )
                            .as_bytes(),
                        );
                        if let Some(ct) = &p.content_type {
                            out.extend_from_slice(format!("Content-Type: {ct}\r\n").as_bytes());
                        }
                        out.extend_from_slice(b"\r\n");
                        out.extend_from_slice(value.as_bytes());
                    }
                }
                out.extend_from_slice(b"\r\n");
            }
            out.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
            (
                PreparedBody::Bytes(out),
                Some(format!("multipart/form-data; boundary={boundary}")),
            )
        }
        Body::Binary { file } => {
            let rel = cx.resolve(file, Field::BinaryFile, req_origin);
            let path = cx.root.join(&rel);
            if !path.is_file() {
                cx.problems.push(Problem::File {
                    field: Field::BinaryFile,
                    path: path.clone(),
                    message: "no such file".into(),
                });
            }
            (
                PreparedBody::File(path),
                Some(crate::media::content_type_for_file(&rel).to_string()),
            )
        }
        Body::GraphQl { query, variables } => {
            let q_origin = Origin {
                file: dir.join(layout::body_file(stem, "graphql")),
                whole_file: true,
            };
            let v_origin = Origin {
                file: dir.join(layout::variables_file(stem)),
                whole_file: true,
            };
            let q = cx.resolve(query, Field::Body, &q_origin);
            let v = cx.resolve(variables, Field::GraphQlVariables, &v_origin);
            let vars: serde_json::Value = if v.trim().is_empty() {
                serde_json::Value::Null
            } else {
                match serde_json::from_str(&v) {
                    Ok(val) => val,
                    Err(e) => {
                        cx.problems.push(Problem::Invalid {
                            field: Field::GraphQlVariables,
                            file: v_origin.file.clone(),
                            message: format!("not valid JSON after substitution: {e}"),
                        });
                        serde_json::Value::Null
                    }
                }
            };
            let mut doc = serde_json::Map::new();
            doc.insert("query".into(), q.into());
            if !vars.is_null() {
                doc.insert("variables".into(), vars);
            }
            let bytes = serde_json::to_vec(&doc).unwrap_or_default();
            (PreparedBody::Bytes(bytes), Some("application/json".into()))
        }
    }
}

/// Escapes what would end a quoted multipart parameter early.
fn quote(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace(['\r', '\n'], " ")
}
