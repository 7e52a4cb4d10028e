//! Encoding a request body: raw text, forms, multipart, files, GraphQL.

use std::path::Path;

use crate::http::{FormPart, PartValue, PreparedBody};
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
            let mut out = Vec::new();
            for p in parts.iter().filter(|p| p.enabled) {
                let field = Field::Part(p.name.clone());
                let name = cx.resolve(&p.name, field.clone(), req_origin);
                out.push(match &p.file {
                    Some(file) => {
                        let rel = cx.resolve(file, field, req_origin);
                        let filename = p.filename.clone().unwrap_or_else(|| {
                            Path::new(&rel)
                                .file_name()
                                .map(|n| n.to_string_lossy().into_owned())
                                .unwrap_or_else(|| rel.clone())
                        });
                        let ct = p.content_type.clone().unwrap_or_else(|| {
                            crate::media::content_type_for_file(&filename).to_string()
                        });
                        FormPart {
                            name,
                            filename: Some(filename),
                            content_type: Some(ct),
                            value: PartValue::File(cx.root.join(&rel)),
                        }
                    }
                    None => FormPart {
                        name,
                        filename: None,
                        content_type: p.content_type.clone(),
                        value: PartValue::Text(cx.resolve(
                            p.value.as_deref().unwrap_or(""),
                            field,
                            req_origin,
                        )),
                    },
                });
            }
            let content_type = format!("multipart/form-data; boundary={boundary}");
            (
                PreparedBody::Multipart {
                    boundary,
                    parts: out,
                },
                Some(content_type),
            )
        }
        Body::Binary { file } => {
            // A missing file is found when sending (`SendError::File`).
            let rel = cx.resolve(file, Field::BinaryFile, req_origin);
            if rel.trim().is_empty() {
                // No file chosen (an import from Postman can say so): Postman
                // sends no body, rather than the directory it would name.
                return (PreparedBody::Empty, None);
            }
            let path = cx.root.join(&rel);
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
