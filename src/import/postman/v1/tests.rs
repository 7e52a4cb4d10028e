//! The rules one by one. The whole conversion was also checked against
//! postman-collection-transformer 4.1.8 (newman 6's) on the corpus's two v1
//! files and a collection using every rule here: the same v2.1 JSON, apart
//! from the differences the module documents.

use super::*;
use serde_json::json;

fn convert(v: Value) -> Value {
    let Value::Object(o) = v else { panic!() };
    assert!(is_v1(&o));
    to_v21(&o)
}

fn names(items: &Value) -> Vec<String> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn folders_nest_by_folders_order_and_requests_follow_order() {
    let c = convert(json!({
        "id": "c", "name": "multi", "description": "",
        "order": ["r0", "missing", "r0"],
        "folders_order": ["f1", "f2"],
        "folders": [
            {"id": "f1", "name": "F1", "description": "", "order": ["r1", "r2"], "folders_order": []},
            {"id": "f2", "name": "F2", "order": ["r3"], "folders_order": ["f3", "f4"]},
            {"id": "f3", "name": "F2.F3", "order": ["r4"]},
            {"id": "f4", "name": "F4", "order": []}
        ],
        "requests": [
            {"id": "r0", "name": "top", "url": "http://x/0", "method": "GET"},
            {"id": "r1", "name": "F1.R1", "url": "http://x/1", "method": "GET"},
            {"id": "r2", "name": "F1.R2", "url": "http://x/2", "method": "GET"},
            {"id": "r3", "name": "F2.R3", "url": "http://x/3", "method": "GET"},
            {"id": "r4", "name": "F3.R4", "url": "http://x/4", "method": "GET"},
            {"id": "lost", "name": "in no order", "url": "http://x/5"}
        ]
    }));
    assert_eq!(c["info"]["_postman_id"], "c");
    assert_eq!(c["info"]["schema"], SCHEMA_V21);
    assert!(c["info"].get("description").is_none());
    assert_eq!(names(&c["item"]), ["F1", "F2", "top"]);
    assert_eq!(names(&c["item"][0]["item"]), ["F1.R1", "F1.R2"]);
    // Subfolders come before the folder's own requests.
    assert_eq!(names(&c["item"][1]["item"]), ["F2.F3", "F4", "F2.R3"]);
    assert_eq!(names(&c["item"][1]["item"][0]["item"]), ["F3.R4"]);
    assert_eq!(c["item"][1]["id"], "f2");
    assert_eq!(c["item"][1]["item"][0]["item"][0]["id"], "r4");
    assert_eq!(c["item"][2]["request"]["url"]["raw"], "http://x/0");
}

#[test]
fn without_folders_order_every_top_folder_is_listed_and_cycles_stop() {
    let c = convert(json!({
        "name": "n", "order": [],
        "folders": [
            {"id": "a", "name": "A", "folders_order": ["b"]},
            {"id": "b", "name": "B", "folders_order": ["a"]},
            {"id": "c", "name": "C"}
        ],
        "requests": []
    }));
    // `a` and `b` are each other's subfolders: neither is at the top.
    assert_eq!(names(&c["item"]), ["C"]);
    assert!(c["info"].get("_postman_id").is_none());
}

#[test]
fn legacy_scripts_become_events_test_first() {
    let c = convert(json!({
        "name": "n", "order": ["r"],
        "requests": [{"id": "r", "name": "R", "url": "http://x/",
            "preRequestScript": "a();\nb();", "tests": "tests['ok'] = true;",
            "events": [{"listen": "test", "script": {"exec": "ignored"}}]}]
    }));
    let ev = &c["item"][0]["event"];
    assert_eq!(ev[0]["listen"], "test");
    assert_eq!(ev[0]["script"]["exec"], json!(["tests['ok'] = true;"]));
    assert_eq!(ev[1]["listen"], "prerequest");
    assert_eq!(ev[1]["script"]["exec"], json!(["a();", "b();"]));
    assert_eq!(ev[1]["script"]["type"], "text/javascript");

    let c = convert(json!({
        "name": "n", "order": ["r"], "tests": "",
        "requests": [{"id": "r", "name": "R", "url": "http://x/",
            "events": [{"id": "e", "script": {"id": "s", "exec": "x();\ny();"}}]}]
    }));
    let ev = &c["item"][0]["event"][0];
    assert_eq!(
        *ev,
        json!({"listen": "test", "script": {"exec": ["x();", "y();"], "type": "text/javascript"}})
    );
    assert!(c.get("event").is_none());
}

#[test]
fn header_strings_and_header_data() {
    let r = json!({
        "headers": "Content-Type: application/json\r\n// X-Off: 1\nX-Time:12:30\n  indented: no\nAccept: a\r\n\tcontinued",
        "headerData": [{"key": "Accept", "value": "*/*", "enabled": false, "description": ""}]
    });
    let h = headers(r.as_object().unwrap());
    assert_eq!(
        Value::Array(h),
        json!([
            {"key": "Accept", "value": "*/*", "disabled": true},
            {"key": "Content-Type", "value": "application/json"},
            {"key": "X-Off", "value": "1", "disabled": true},
            {"key": "X-Time:12", "value": "30"}
        ])
    );
    let list = json!({"headers": [{"key": "A", "value": "b"}]});
    assert_eq!(
        headers(list.as_object().unwrap()),
        vec![json!({"key": "A", "value": "b"})]
    );
}

#[test]
fn bodies_by_data_mode() {
    let b = |v: Value| body(v.as_object().unwrap());
    assert_eq!(b(json!({"data": [], "rawModeData": ""})), None);
    assert_eq!(
        b(json!({"dataMode": null, "rawModeData": "x"})),
        None,
        "an explicit null mode has no body"
    );
    assert_eq!(
        b(json!({"dataMode": "raw", "data": [], "rawModeData": "{\"a\":1}"})),
        Some(json!({"mode": "raw", "raw": "{\"a\":1}"}))
    );
    assert_eq!(
        b(
            json!({"dataMode": "raw", "rawModeData": ["one"], "dataOptions": {"raw": {"language": "json"}}})
        ),
        Some(json!({"mode": "raw", "raw": "one", "options": {"raw": {"language": "json"}}}))
    );
    assert_eq!(
        b(json!({"dataMode": "params", "data": [
            {"key": "f", "value": "a.txt", "type": "file"},
            {"key": "t", "value": "v", "type": "text", "enabled": false, "description": ""},
            {"value": "no key"}
        ]})),
        Some(json!({"mode": "formdata", "formdata": [
            {"key": "f", "type": "file", "src": "a.txt"},
            {"key": "t", "value": "v", "type": "text", "disabled": true}
        ]}))
    );
    assert_eq!(
        b(
            json!({"dataMode": "urlencoded", "data": [{"key": "a", "value": "1", "enabled": true}], "dataDisabled": true})
        ),
        Some(
            json!({"mode": "urlencoded", "urlencoded": [{"key": "a", "value": "1"}], "disabled": true})
        )
    );
    assert_eq!(
        b(json!({"dataMode": "binary", "rawModeData": "up.bin"})),
        Some(json!({"mode": "file", "file": {"src": "up.bin"}}))
    );
    // No mode: a list of data is form data, text is raw.
    assert_eq!(
        b(json!({"data": [{"key": "k", "value": "v"}]})),
        Some(json!({"mode": "formdata", "formdata": [{"key": "k", "value": "v"}]}))
    );
    assert_eq!(
        b(json!({"data": "plain"})),
        Some(json!({"mode": "raw", "raw": "plain"}))
    );
}

#[test]
fn legacy_and_v2_auth() {
    let a = |v: Value, top: bool| auth(v.as_object().unwrap(), top);
    assert_eq!(
        a(
            json!({"currentHelper": "basicAuth", "helperAttributes": "{\"username\":\"u\",\"password\":\"p\",\"saveToRequest\":true}"}),
            false
        ),
        Some(json!({"type": "basic", "basic": [
            {"key": "username", "value": "u", "type": "string"},
            {"key": "password", "value": "p", "type": "string"},
            {"key": "saveHelperData", "value": true, "type": "boolean"},
            {"key": "showPassword", "value": false, "type": "boolean"}
        ]}))
    );
    assert_eq!(
        a(
            json!({"currentHelper": "bearerAuth", "helperAttributes": {}}),
            false
        ),
        Some(json!({"type": "bearer", "bearer": [{"key": "token", "type": "any"}]})),
        "a parameter the helper names without a value has no `value`"
    );
    assert_eq!(
        a(json!({"currentHelper": "bearerAuth"}), false),
        Some(json!({"type": "bearer"}))
    );
    assert_eq!(a(json!({"currentHelper": "normal"}), false), None);
    assert_eq!(
        a(
            json!({"currentHelper": "digestAuth", "helperAttributes": "{not json"}),
            false
        ),
        None
    );
    assert_eq!(
        a(
            json!({"auth": {"type": "bearer", "bearer": [{"key": "token", "value": 7}]}}),
            false
        ),
        Some(json!({"type": "bearer", "bearer": [{"key": "token", "value": 7, "type": "number"}]}))
    );
    assert_eq!(
        a(json!({"auth": {"type": "noauth"}}), false),
        Some(json!({"type": "noauth"}))
    );
    assert_eq!(
        a(json!({"auth": {"type": "noauth"}}), true),
        Some(Value::Null)
    );
    assert_eq!(a(json!({"auth": null}), false), None);
}

#[test]
fn urls_with_query_params_path_variables_and_variables() {
    let u = |v: Value| url(v.as_object().unwrap()).unwrap();
    let got = u(json!({"url": "  https://{{host.name}}:8080/users/:id/x?{{a&b}}=1&flag#top"}));
    assert_eq!(
        got,
        json!({
            "raw": "https://{{host.name}}:8080/users/:id/x?{{a&b}}=1&flag#top",
            "protocol": "https",
            "host": ["{{host.name}}"],
            "port": "8080",
            "path": ["users", ":id", "x"],
            "query": [{"key": "{{a&b}}", "value": "1"}, {"key": "flag", "value": null}],
            "hash": "top",
            "variable": [{"key": "id"}]
        })
    );
    let got = u(json!({
        "url": "http://u:p@x/:id?old=1",
        "queryParams": [
            {"key": "a", "value": "1", "equals": true, "enabled": true},
            {"key": "b&c", "value": "", "equals": false},
            {"key": "off", "value": "2", "enabled": false, "equals": true}
        ],
        "pathVariableData": [{"key": "id", "value": "7", "id": "x", "description": ""}],
        "pathVariables": {"id": "ignored", "other": "9"}
    }));
    assert_eq!(got["raw"], "http://u:p@x/:id?a=1&b%26c");
    assert_eq!(got["query"][1], json!({"key": "b&c", "value": null}));
    assert_eq!(got["query"][2]["disabled"], true);
    assert_eq!(
        got["variable"],
        json!([{"key": "id", "value": "7"}, {"value": "9", "key": "other"}])
    );
    assert!(got.get("auth").is_none());
    assert_eq!(u(json!({"url": ""})), json!({"raw": ""}));
    assert!(url(json!({}).as_object().unwrap()).is_none());
}

#[test]
fn saved_responses_follow_responses_order() {
    let r = json!({"responses": [
        {"id": "a", "name": "A", "responseCode": {"code": 200, "name": "OK"}, "headers": [{"key": "K", "value": "V"}], "text": "{}", "language": "json", "time": 12},
        {"id": "b", "name": "", "responseCode": {"code": "404"}, "cookies": [{"name": "c", "value": "v", "domain": "d"}]}
    ], "responses_order": ["b", "zz", "a"]});
    let got = responses(r.as_object().unwrap());
    assert_eq!(got[0]["name"], "response");
    assert_eq!(got[0]["code"], 404);
    assert_eq!(got[0]["cookie"][0]["key"], "c");
    assert_eq!(got[1]["name"], "A");
    assert_eq!(got[1]["status"], "OK");
    assert_eq!(got[1]["body"], "{}");
    assert_eq!(got[1]["responseTime"], 12);
}

#[test]
fn variables_keep_types_and_flags() {
    let e = json!({"variables": [
        {"key": "a", "value": "1", "type": "text", "disabled": true, "description": ""},
        {"id": "b", "value": 2, "secret": true}
    ]});
    assert_eq!(
        variables(e.as_object().unwrap()),
        Some(json!([
            {"key": "a", "value": "1", "type": "string", "disabled": true},
            {"key": "b", "value": 2, "secret": true}
        ]))
    );
    assert_eq!(
        variables(json!({"variables": []}).as_object().unwrap()),
        None
    );
}

#[test]
fn a_converted_collection_imports() {
    let text = json!({
        "id": "c", "name": "Old", "order": ["r"],
        "requests": [{"id": "r", "name": "Post", "method": "POST", "url": "http://x/post",
            "headers": "Content-Type: text/plain", "dataMode": "raw", "rawModeData": "hi",
            "tests": "tests['a'] = 1;"}]
    })
    .to_string();
    let import = crate::import::postman::parse_collection(&text).unwrap();
    let c = &import.collections[0];
    assert_eq!(c.name, "Old");
    let crate::import::ImportedItem::Request(r) = &c.items[0] else {
        panic!()
    };
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "http://x/post");
    assert_eq!(r.test.as_deref(), Some("tests['a'] = 1;"));
    assert_eq!(r.headers[0].name, "Content-Type");
    assert!(import
        .report
        .notes
        .iter()
        .any(|n| n.what == "collection format" && n.why.contains("v1")));
}
