//! Postman request bodies: raw (with a language), urlencoded, formdata,
//! file and graphql.

use serde_json::{Map, Value};

use super::json;
use super::notes::Notes;
use crate::model::{Body, BodyWithExtra, KeyValue, Part, RawKind};

pub fn read(
    notes: &mut Notes,
    item: &str,
    v: Option<&Value>,
    headers: &[KeyValue],
) -> BodyWithExtra {
    let body = match v {
        Some(Value::Object(o)) => body(notes, item, o, headers),
        _ => Body::None,
    };
    BodyWithExtra {
        body,
        extra: Default::default(),
    }
}

fn body(notes: &mut Notes, item: &str, o: &Map<String, Value>, headers: &[KeyValue]) -> Body {
    notes.unknown_keys(
        item,
        o,
        &[
            "mode",
            "raw",
            "urlencoded",
            "formdata",
            "file",
            "graphql",
            "options",
            "disabled",
        ],
        "body",
    );
    let mode = json::text(o.get("mode")).unwrap_or_default();
    if json::flag(o, "disabled") {
        notes.dropped(
            item,
            format!("{mode} body"),
            "it was disabled in Postman, so it was not sent",
        );
        return Body::None;
    }
    match mode.as_str() {
        "raw" => {
            let text = json::text(o.get("raw")).unwrap_or_default();
            if text.is_empty() {
                return Body::None;
            }
            let language = o
                .get("options")
                .and_then(|o| o.get("raw"))
                .and_then(|r| r.get("language"))
                .and_then(Value::as_str);
            let kind = match language {
                Some(l) => RawKind::from_type_name(l).unwrap_or_else(|| {
                    notes.changed(
                        item,
                        format!("body language {l}"),
                        "postie keeps it as text",
                    );
                    RawKind::Text
                }),
                None => guess(&text, headers),
            };
            Body::Raw { kind, text }
        }
        "urlencoded" => Body::Form(
            json::array(o.get("urlencoded"))
                .iter()
                .filter_map(|r| field(notes, item, r))
                .collect(),
        ),
        "formdata" => Body::Multipart(
            json::array(o.get("formdata"))
                .iter()
                .filter_map(|p| part(notes, item, p))
                .collect(),
        ),
        "file" => {
            let src = o.get("file").and_then(|f| json::text(f.get("src")));
            if src.as_deref().is_none_or_empty() {
                notes.changed(
                    item,
                    "file body",
                    "no file was chosen in Postman; set the path in the request",
                );
            }
            Body::Binary {
                file: src.unwrap_or_default(),
            }
        }
        "graphql" => {
            let g = o.get("graphql");
            Body::GraphQl {
                query: json::text(g.and_then(|g| g.get("query"))).unwrap_or_default(),
                variables: match g.and_then(|g| g.get("variables")) {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => serde_json::to_string_pretty(other).unwrap_or_default(),
                },
            }
        }
        "" => Body::None,
        other => {
            notes.dropped(
                item,
                format!("body mode {other}"),
                "postie does not know this kind of body",
            );
            Body::None
        }
    }
}

trait EmptyOpt {
    fn is_none_or_empty(&self) -> bool;
}

impl EmptyOpt for Option<&str> {
    fn is_none_or_empty(&self) -> bool {
        self.map_or(true, str::is_empty)
    }
}

/// JSON when the text parses as JSON and a Content-Type header says JSON.
fn guess(text: &str, headers: &[KeyValue]) -> RawKind {
    let says_json = headers.iter().any(|h| {
        h.enabled
            && h.name.eq_ignore_ascii_case("content-type")
            && crate::media::kind_of(&h.value) == crate::media::MediaKind::Json
    });
    if says_json && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        RawKind::Json
    } else {
        RawKind::Text
    }
}

fn field(notes: &mut Notes, item: &str, v: &Value) -> Option<KeyValue> {
    let o = v.as_object()?;
    notes.unknown_keys(
        item,
        o,
        &["key", "value", "disabled", "enabled", "description", "type"],
        "form field",
    );
    let mut kv = KeyValue::new(
        json::text(o.get("key")).unwrap_or_default(),
        json::text(o.get("value")).unwrap_or_default(),
    );
    kv.enabled = json::enabled(o);
    kv.description = json::description(o.get("description"));
    Some(kv)
}

fn part(notes: &mut Notes, item: &str, v: &Value) -> Option<Part> {
    let o = v.as_object()?;
    notes.unknown_keys(
        item,
        o,
        &[
            "key",
            "value",
            "src",
            "type",
            "disabled",
            "enabled",
            "description",
            "contentType",
        ],
        "form-data part",
    );
    let name = json::text(o.get("key")).unwrap_or_default();
    let is_file = json::text(o.get("type")).as_deref() == Some("file");
    let (value, file) = if is_file {
        let srcs: Vec<String> = match o.get("src") {
            Some(Value::Array(a)) => a.iter().filter_map(|s| json::text(Some(s))).collect(),
            other => json::text(other).into_iter().collect(),
        };
        if srcs.len() > 1 {
            notes.dropped(
                item,
                format!("files after the first of part `{name}`"),
                "a postie multipart part holds one file; add a part per file",
            );
        }
        let file = srcs.into_iter().next().unwrap_or_default();
        if file.is_empty() {
            notes.changed(
                item,
                format!("file part `{name}`"),
                "no file was chosen in Postman; set its path",
            );
        } else {
            notes.grouped(
                "file paths of form-data parts and file bodies",
                "postie reads them relative to the workspace root; Postman read them from its working directory",
            );
        }
        (None, Some(file))
    } else {
        (Some(json::text(o.get("value")).unwrap_or_default()), None)
    };
    Some(Part {
        name,
        value,
        file,
        filename: None,
        content_type: json::text(o.get("contentType")).filter(|s| !s.is_empty()),
        enabled: json::enabled(o),
        description: json::description(o.get("description")),
        extra: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn b(v: Value, headers: &[KeyValue]) -> Body {
        read(&mut Notes::default(), "r", Some(&v), headers).body
    }

    #[test]
    fn guess_says_json_only_when_the_media_type_does() {
        let ct = |v: &str| vec![KeyValue::new("Content-Type", v)];
        assert_eq!(guess("{}", &ct("application/vnd.api+json")), RawKind::Json);
        assert_eq!(guess("{}", &ct("text/plain")), RawKind::Text);
        // Was JSON: parameters no longer name the kind.
        assert_eq!(guess("{}", &ct("text/plain; profile=json")), RawKind::Text);
    }

    #[test]
    fn raw_language_or_guess() {
        let ct = [KeyValue::new("Content-Type", "application/json")];
        assert!(matches!(
            b(json!({"mode": "raw", "raw": "{}"}), &ct),
            Body::Raw {
                kind: RawKind::Json,
                ..
            }
        ));
        assert!(matches!(
            b(json!({"mode": "raw", "raw": "{}"}), &[]),
            Body::Raw {
                kind: RawKind::Text,
                ..
            }
        ));
        assert!(matches!(
            b(json!({"mode": "raw", "raw": "{", }), &ct),
            Body::Raw {
                kind: RawKind::Text,
                ..
            }
        ));
        assert!(matches!(
            b(
                json!({"mode": "raw", "raw": "<a/>", "options": {"raw": {"language": "xml"}}}),
                &[]
            ),
            Body::Raw {
                kind: RawKind::Xml,
                ..
            }
        ));
        assert_eq!(b(json!({"mode": "raw", "raw": ""}), &[]), Body::None);
    }

    #[test]
    fn form_data_files_and_disabled_fields() {
        let body = b(
            json!({"mode": "formdata", "formdata": [
                {"key": "a", "value": "1", "type": "text", "disabled": true},
                {"key": "f", "src": ["x.txt", "y.txt"], "type": "file", "contentType": "text/plain"}
            ]}),
            &[],
        );
        let Body::Multipart(parts) = body else {
            panic!()
        };
        assert!(!parts[0].enabled);
        assert_eq!(parts[1].file.as_deref(), Some("x.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        let body = b(
            json!({"mode": "graphql", "graphql": {"query": "{a}", "variables": "{\"x\":1}"}}),
            &[],
        );
        assert_eq!(
            body,
            Body::GraphQl {
                query: "{a}".into(),
                variables: "{\"x\":1}".into()
            }
        );
    }
}
