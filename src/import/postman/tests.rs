use super::*;
use crate::model::{Auth, Body, RawKind};

fn one(import: &Import) -> &ImportedFolder {
    &import.collections[0]
}

fn req(item: &ImportedItem) -> &Request {
    match item {
        ImportedItem::Request(r) => r,
        ImportedItem::Folder(f) => panic!("folder {}", f.name),
    }
}

#[test]
fn v1_is_converted_and_the_report_says_so() {
    let import = parse_collection(r#"{"id":"x","name":"n","order":[],"requests":[]}"#).unwrap();
    assert_eq!(one(&import).name, "n");
    assert!(one(&import).items.is_empty());
    assert!(import.report.notes.iter().any(|n| n.why.contains("v1")));
}

#[test]
fn the_api_envelope_is_unwrapped() {
    let text = r#"{"collection": {"info": {"name": "Wrapped", "_postman_id": "c1"},
        "item": [{"id": "r1", "name": "R", "request": "http://x/"}]}}"#;
    let import = parse_collection(text).unwrap();
    assert_eq!(one(&import).name, "Wrapped");
    assert_eq!(one(&import).items.len(), 1);
    // A collection that happens to have a `collection` variable is not an envelope.
    let text = r#"{"info": {"name": "Own"}, "collection": {"x": 1}, "item": []}"#;
    assert_eq!(one(&parse_collection(text).unwrap()).name, "Own");
}

#[test]
fn runnable_collections_carry_ids_and_the_document_run() {
    let text = "{\"collection\": {\"info\": {\"name\": \"W\", \"_postman_id\": \"c1\"},
        \"item\": [{\"id\": \"f\", \"name\": \"F\", \"item\": [{\"_postman_id\": \"r\", \"name\": \"R\", \"request\": \"http://x/\"}]}]}}";
    // UTF-16LE with a BOM, as some Windows tools write it.
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let run = parse_runnable(&bytes).unwrap();
    assert_eq!(run.document["info"]["name"], "W");
    assert!(run.document.get("collection").is_none());
    assert_eq!(run.ids.id.as_deref(), Some("c1"));
    let IdNode::Folder(f) = &run.ids.items[0] else {
        panic!("{:?}", run.ids)
    };
    assert_eq!(f.id.as_deref(), Some("f"));
    assert_eq!(f.items, [IdNode::Request(Some("r".into()))]);
    let ImportedItem::Folder(folder) = &one(&run.import).items[0] else {
        panic!()
    };
    assert_eq!(req(&folder.items[0]).url, "http://x/");

    let v1 = br#"{"id": "c", "name": "Old", "order": ["r"], "requests": [{"id": "r", "name": "R", "url": "http://x/"}]}"#;
    let run = parse_runnable(v1).unwrap();
    assert_eq!(
        run.document["info"]["schema"],
        "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
    );
    assert_eq!(run.ids.items, [IdNode::Request(Some("r".into()))]);
    assert!(matches!(
        parse_runnable(b"[1, 2]"),
        Err(ImportError::Invalid { .. })
    ));
}

#[test]
fn bad_json_reports_line_and_column() {
    let e = parse_collection("\u{feff}{\n \"info\": {,\n}").unwrap_err();
    match e {
        ImportError::Invalid { line, column, .. } => assert_eq!((line, column), (2, 11)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn folders_scripts_auth_and_path_variables() {
    let text = r#"{
      "info": {"name": "API", "description": {"content": "About", "type": "text/markdown"},
               "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
      "variable": [{"key": "base", "value": "http://x"}, {"key": "off", "value": "1", "disabled": true}],
      "event": [{"listen": "prerequest", "script": {"exec": ["a", "", "b"], "type": "text/javascript"}}],
      "auth": {"type": "ntlm", "ntlm": []},
      "item": [
        {"name": "Users", "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{t}}"}]},
         "item": [
          {"name": "Get", "request": {
              "method": "GET",
              "url": {"raw": "{{base}}/users/:id", "variable": [{"key": "id", "value": "42"}]},
              "header": [{"key": "Accept", "value": "*/*", "disabled": true, "description": "d"}]
          },
          "event": [{"listen": "test", "script": {"exec": "x();\n"}}],
          "response": [{"name": "OK", "code": 200, "header": [{"key": "Content-Type", "value": "application/json"}],
                        "body": "{}", "status": "OK", "cookie": []},
                       {"name": "ok", "code": 200, "body": ""}]}
         ]}
      ]
    }"#;
    let import = parse_collection(text).unwrap();
    let c = one(&import);
    assert_eq!(c.name, "API");
    assert_eq!(c.folder.description.as_deref(), Some("About"));
    assert_eq!(c.folder.pre_request.as_deref(), Some("a\n\nb"));
    assert!(!c.folder.variables.get("off").unwrap().is_enabled());
    assert_eq!(c.folder.auth.auth, Auth::Inherit);
    let ImportedItem::Folder(users) = &c.items[0] else {
        panic!()
    };
    assert!(matches!(users.folder.auth.auth, Auth::Bearer { .. }));
    assert_eq!(
        users.folder.variables.get("id"),
        Some(&Variable::Plain("42".into()))
    );
    let get = req(&users.items[0]);
    assert_eq!(get.url, "{{base}}/users/{{id}}");
    assert!(!get.headers[0].enabled);
    assert_eq!(get.test.as_deref(), Some("x();\n"));
    assert_eq!(get.examples.len(), 2);
    assert_eq!(get.examples[1].name, "ok (2)");
    assert_eq!(get.examples[1].body, None);
    let whats: Vec<&str> = import
        .report
        .notes
        .iter()
        .map(|n| n.what.as_str())
        .collect();
    assert!(whats.contains(&"auth type ntlm"), "{whats:?}");
    assert!(whats.contains(&"path variable `:id`"), "{whats:?}");
    assert!(whats.contains(&"saved example `ok`"), "{whats:?}");
    assert!(
        whats
            .iter()
            .any(|w| w.starts_with("saved examples' status texts")),
        "{whats:?}"
    );
}

#[test]
fn conflicting_path_variable_is_reported_not_added() {
    let text = r#"{"info": {"name": "C"}, "variable": [{"key": "id", "value": "1"}],
      "item": [{"name": "R", "request": {"url": {"raw": "x/:id", "variable": [{"key": "id", "value": "2"}]}, "method": "GET"}}]}"#;
    let import = parse_collection(text).unwrap();
    let c = one(&import);
    assert_eq!(c.folder.variables.0.len(), 1);
    assert_eq!(req(&c.items[0]).url, "x/{{id}}");
    assert!(import
        .report
        .notes
        .iter()
        .any(|n| n.what == "value of path variable `id`"));
}

#[test]
fn v2_0_shapes_are_read() {
    let text = r#"{"info": {"name": "C", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
      "item": [
        {"name": "plain", "request": "http://example.com/a"},
        {"name": "d", "request": {"url": "http://e/", "method": "POST",
           "auth": {"type": "digest", "digest": {"username": "u", "password": "p", "realm": "r"}},
           "header": "Content-Type: application/json\n//X-Off: 1",
           "body": {"mode": "raw", "raw": "{\"a\":1}"}}}
      ]}"#;
    let import = parse_collection(text).unwrap();
    let c = one(&import);
    assert_eq!(req(&c.items[0]).url, "http://example.com/a");
    let d = req(&c.items[1]);
    assert!(matches!(d.auth.auth, Auth::Digest { .. }));
    assert_eq!(d.headers.len(), 2);
    assert!(!d.headers[1].enabled);
    assert!(matches!(
        d.body.body,
        Body::Raw {
            kind: RawKind::Json,
            ..
        }
    ));
    assert!(import.report.notes.iter().any(|n| n.what.contains("realm")));
}

#[test]
fn protocol_profile_behavior_becomes_settings_and_a_gets_body_is_pruned() {
    let text = r#"{"info": {"name": "C"},
      "protocolProfileBehavior": {"followRedirects": false, "followOriginalHttpMethod": true},
      "item": [
        {"name": "kept", "protocolProfileBehavior": {"disableBodyPruning": true,
           "followAuthorizationHeader": true, "removeRefererHeaderOnRedirect": true,
           "disableUrlEncoding": true},
         "request": {"url": "http://e/", "method": "GET", "body": {"mode": "raw", "raw": "x"}}},
        {"name": "pruned", "request": {"url": "http://e/", "method": "GET",
           "body": {"mode": "raw", "raw": "x"}}},
        {"name": "post", "event": {"listen": "test", "script": {"exec": "pm.test('t', () => 1)"}},
         "request": {"url": "http://e/", "method": "POST", "body": {"mode": "raw", "raw": "x"}}}
      ]}"#;
    let import = parse_collection(text).unwrap();
    let c = one(&import);
    assert_eq!(c.folder.settings.follow_redirects, Some(false));
    assert_eq!(c.folder.settings.follow_original_method, Some(true));
    let kept = &req(&c.items[0]).settings;
    assert_eq!(kept.prune_body, Some(false));
    assert_eq!(kept.follow_authorization_header, Some(true));
    assert_eq!(kept.remove_referer_on_redirect, Some(true));
    assert_eq!(kept.encode_url, Some(false));
    assert_eq!(req(&c.items[1]).settings.encode_url, None);
    assert_eq!(req(&c.items[1]).settings.prune_body, Some(true));
    let post = req(&c.items[2]);
    assert_eq!(post.settings.prune_body, None);
    // A lone event object is a list of one, as Postman reads it.
    assert_eq!(post.test.as_deref(), Some("pm.test('t', () => 1)"));
    assert!(
        !import
            .report
            .notes
            .iter()
            .any(|n| n.what.contains("setting")),
        "{:?}",
        import.report.notes
    );
}
