//! Postman import and export against the shared corpus (read in place from
//! `../shared/corpus`; skipped with a message when it is absent):
//!
//! - every collection and environment imports (the v1 ones converted to
//!   v2.1 first, as newman converts them);
//! - Postman → postie → Postman keeps every supported field, compared as
//!   JSON after normalising what Postman treats as equivalent (see
//!   `norm_*`); a difference is accepted only where the import report
//!   names that field of that item as dropped or changed;
//! - importing the export again writes the same files, byte for byte.

mod common;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use postie::import::{self, Import, ImportedItem};
use serde_json::{json, Map, Value};

fn corpus() -> Option<PathBuf> {
    common::corpus("")
}

fn read(path: &Path) -> String {
    import::text::decode_input(&fs::read(path).unwrap())
}

fn count(items: &[ImportedItem], acc: &mut BTreeMap<&'static str, usize>) {
    for it in items {
        match it {
            ImportedItem::Folder(f) => {
                *acc.entry("folders").or_default() += 1;
                scripts(&f.folder.pre_request, &f.folder.test, acc);
                count(&f.items, acc);
            }
            ImportedItem::Request(r) => {
                *acc.entry("requests").or_default() += 1;
                *acc.entry("examples").or_default() += r.examples.len();
                scripts(&r.pre_request, &r.test, acc);
            }
        }
    }
}

fn scripts(pre: &Option<String>, test: &Option<String>, acc: &mut BTreeMap<&'static str, usize>) {
    *acc.entry("scripts").or_default() += usize::from(pre.is_some()) + usize::from(test.is_some());
}

#[test]
fn every_corpus_collection_and_environment_imports() {
    let Some(root) = corpus() else { return };
    let files = common::listed(&root, "[postman]");
    assert!(
        files.len() >= 90,
        "README lists {} collections",
        files.len()
    );
    let mut acc: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut converted = 0;
    for (path, row) in &files {
        let text = read(path);
        assert_eq!(
            import::detect_format(path, &text),
            Some(import::Format::Postman),
            "{}",
            path.display()
        );
        let result = import::postman::parse_collection(&text);
        let imp = result.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if row.contains("schema v1") {
            // Converted to v2.1 first, as newman does.
            assert!(
                imp.report
                    .notes
                    .iter()
                    .any(|n| n.what == "collection format"),
                "{}",
                path.display()
            );
            converted += 1;
        }
        let c = &imp.collections[0];
        scripts(&c.folder.pre_request, &c.folder.test, &mut acc);
        count(&c.items, &mut acc);
        for n in &imp.report.notes {
            let kind = n.kind.label();
            *reasons.entry(format!("{kind}: {}", n.why)).or_default() += 1;
        }
    }
    eprintln!(
        "postman collections: {} files imported, {converted} of them converted from v1",
        files.len()
    );
    eprintln!("  {acc:?}");
    eprintln!("  report notes by reason:");
    for (why, n) in &reasons {
        eprintln!("    {n:5}  {why}");
    }
    assert_eq!(converted, 2);
    assert!(acc["requests"] > 1000);

    let envs = common::listed(&root, "[postman-env]");
    let mut vars = 0;
    for (path, _) in &envs {
        let text = read(path);
        let imp = import::postman::parse_environment(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !imp.environments[0].environment.variables.is_empty(),
            "{}",
            path.display()
        );
        vars += imp.environments[0].environment.variables.0.len();
    }
    eprintln!(
        "postman environments/globals: {} files, {vars} variables",
        envs.len()
    );
    assert_eq!(envs.len(), 16);
}

// ---------------------------------------------------------------- round trips

fn workspace_with(imp: &Import) -> tempfile::TempDir {
    // Every save is fsynced; on a RAM disk that costs nothing.
    let shm = Path::new("/dev/shm");
    let d = if shm.is_dir() {
        tempfile::tempdir_in(shm).unwrap()
    } else {
        tempfile::tempdir().unwrap()
    };
    fs::write(d.path().join("postie.json"), "{\n  \"format\": 1\n}\n").unwrap();
    import::write_import(d.path(), imp, None).unwrap();
    d
}

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().into_owned();
                out.insert(rel, fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

fn export(dir: &Path) -> String {
    let ws = postie::storage::load_workspace(dir).unwrap();
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
    let path = ws.collections[0].path.clone();
    postie::export::postman::export_collection(&ws, &path)
        .unwrap()
        .json
}

#[test]
fn postman_to_postie_to_postman_keeps_fields_and_reimport_is_byte_identical() {
    let Some(root) = corpus() else { return };
    let mut checked = 0;
    let mut excused: BTreeMap<String, usize> = BTreeMap::new();
    for (path, row) in common::listed(&root, "[postman]") {
        if row.contains("schema v1") {
            continue;
        }
        let mut text = read(&path);
        if text.len() > 500_000 {
            // Writing thousands of files (each fsynced) takes longer than
            // this suite may; the first items of the big collection stand
            // for the rest (the import test above reads all of it).
            let mut v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
            v["item"].as_array_mut().unwrap().truncate(6);
            text = serde_json::to_string(&v).unwrap();
            eprintln!(
                "round trip of {}: first 6 top-level items only",
                path.display()
            );
        }
        let imp = import::postman::parse_collection(&text).unwrap();
        let w1 = workspace_with(&imp);
        let exported = export(w1.path());

        // Postman -> postie -> Postman.
        let original: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        let again: Value = serde_json::from_str(&exported).unwrap();
        assert_eq!(
            again["info"]["schema"],
            "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
        );
        assert!(again["info"].get("_postman_id").is_none());
        let name = imp.collections[0].name.clone();
        let mut a = Vec::new();
        let mut b = Vec::new();
        norm_folder(&original, &name, true, &mut a);
        norm_folder(&again, &name, true, &mut b);
        assert_eq!(a.len(), b.len(), "{}: item count", path.display());
        for ((pa, fa), (pb, fb)) in a.iter().zip(&b) {
            assert_eq!(pa, pb, "{}", path.display());
            for (field, va) in fa {
                let vb = &fb[field];
                if same(field, va, vb) {
                    continue;
                }
                let reported = imp.report.notes.iter().any(|n| {
                    (n.item == *pa
                        || (field == "variables" && n.item.starts_with(&format!("{pa}/"))))
                        && keywords(field).iter().any(|k| n.what.contains(k))
                });
                assert!(
                    reported,
                    "{}: {pa}: field {field} changed without a report note\n  postman: {va}\n  export:  {vb}",
                    path.display()
                );
                *excused.entry(field.to_string()).or_default() += 1;
            }
        }

        // Export -> import: the same files, byte for byte.
        let imp2 = import::postman::parse_collection(&exported).unwrap();
        let w2 = workspace_with(&imp2);
        let (t1, t2) = (tree(w1.path()), tree(w2.path()));
        assert_eq!(
            t1.keys().collect::<Vec<_>>(),
            t2.keys().collect::<Vec<_>>(),
            "{}",
            path.display()
        );
        for (k, v) in &t1 {
            assert!(
                t2[k] == *v,
                "{}: {k} differs after export and import:\n{}\n---\n{}",
                path.display(),
                String::from_utf8_lossy(v),
                String::from_utf8_lossy(&t2[k])
            );
        }
        // And exporting that again gives the same collection.
        assert_eq!(export(w2.path()), exported, "{}", path.display());
        checked += 1;
    }
    eprintln!(
        "round trips: {checked} collections; field differences explained by report notes: {excused:?}"
    );
    assert!(checked >= 90);
}

/// Words in a report note's `what` that explain a difference in `field`.
fn keywords(field: &str) -> &'static [&'static str] {
    match field {
        "url" | "query" => &["query", "path variable", "URL"],
        "body" => &["body", "part", "file"],
        "auth" => &["auth"],
        "events" => &["script"],
        "settings" => &["setting"],
        "examples" => &["example"],
        "variables" => &["variable"],
        _ => &[],
    }
}

/// Postman equivalences the flat comparison cannot see.
fn same(field: &str, a: &Value, b: &Value) -> bool {
    if a == b {
        return true;
    }
    // A raw body without a language is shown as text, or as JSON when the
    // Content-Type says so: either language stands for the absent one.
    if field == "body" && a["mode"] == "raw" && a["language"].is_null() {
        let mut b = b.clone();
        b["language"] = Value::Null;
        return *a == b;
    }
    // OAuth 2.0 settings Postman reads as their defaults when absent.
    if field == "auth" && a["type"] == "oauth2" {
        return without_oauth2_defaults(a) == without_oauth2_defaults(b);
    }
    false
}

fn without_oauth2_defaults(auth: &Value) -> Value {
    let mut auth = auth.clone();
    if let Some(params) = auth["params"].as_object_mut() {
        for (k, default) in [
            ("grant_type", "authorization_code"),
            ("client_authentication", "header"),
            ("addTokenTo", "header"),
            ("challengeAlgorithm", "S256"),
        ] {
            if params.get(k).is_some_and(|v| v == default) {
                params.remove(k);
            }
        }
    }
    auth
}

fn text(v: &Value) -> Value {
    match v {
        Value::String(s) if s.is_empty() => Value::Null,
        Value::String(_) => v.clone(),
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Object(o) => o.get("content").map(text).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or(&[])
}

fn flag(v: &Value, k: &str) -> bool {
    v[k] == true
}

/// `"disabled": true`, or `"enabled": false` in older exports.
fn disabled(v: &Value) -> bool {
    flag(v, "disabled") || v["enabled"] == false
}

/// Flattens a collection or folder into `(item path, fields)` rows.
fn norm_folder(v: &Value, path: &str, is_root: bool, out: &mut Vec<(String, Map<String, Value>)>) {
    let mut f = Map::new();
    let desc = if is_root {
        &v["info"]["description"]
    } else {
        &v["description"]
    };
    f.insert("description".into(), text(desc));
    let mut vars: Vec<Value> = list(&v["variable"]).to_vec();
    vars.extend(list(&v["variables"]).iter().cloned());
    f.insert("variables".into(), norm_vars(&vars));
    f.insert("auth".into(), norm_auth(&v["auth"]));
    f.insert("events".into(), norm_events(&v["event"]));
    f.insert(
        "settings".into(),
        norm_settings(&v["protocolProfileBehavior"]),
    );
    out.push((path.to_string(), f));
    for it in list(&v["item"]) {
        let name = text(&it["name"]).as_str().unwrap_or("untitled").to_string();
        let p = format!("{path}/{name}");
        if it["item"].is_array() {
            norm_folder(it, &p, false, out);
        } else {
            out.push((p, norm_request(it)));
        }
    }
}

fn norm_vars(vars: &[Value]) -> Value {
    // Later definitions of a name win, as in Postman.
    let mut m: Vec<(Value, Value)> = Vec::new();
    for v in vars {
        let key = text(&v["key"]);
        m.retain(|(k, _)| *k != key);
        let val = json!([
            text(&v["value"]),
            flag(v, "disabled"),
            text(&v["description"])
        ]);
        m.push((key, val));
    }
    Value::Array(m.into_iter().map(|(k, v)| json!([k, v])).collect())
}

fn norm_auth(a: &Value) -> Value {
    let ty = a["type"].as_str().unwrap_or("");
    if ty.is_empty() || ty == "inherit" {
        return Value::Null;
    }
    let mut params = BTreeMap::new();
    match &a[ty] {
        Value::Array(l) => {
            for p in l {
                params.insert(
                    p["key"].as_str().unwrap_or("").to_string(),
                    text(&p["value"]),
                );
            }
        }
        Value::Object(o) => {
            for (k, v) in o {
                params.insert(k.clone(), text(v));
            }
        }
        _ => {}
    }
    // UI state, and empty values (Postman's defaults).
    params.retain(|k, v| {
        !v.is_null()
            && !["showPassword", "saveHelperData", "disableRetryRequest"].contains(&k.as_str())
    });
    if ty == "oauth2" {
        // Token names, ids and timestamps are Postman's UI state; audience
        // and resource are keyed by an id Postman makes up.
        params.retain(|k, _| {
            ![
                "tokenName",
                "tokenType",
                "useBrowser",
                "id",
                "tokenId",
                "expires_in",
                "timestamp",
                "refreshToken",
                "refreshTokenExpiry",
            ]
            .contains(&k.as_str())
        });
        for k in ["audience", "resource"] {
            let one = ty_value(a, ty, k);
            if let Some(Value::Object(o)) = one {
                if let Some(v) = o.values().next() {
                    params.insert(k.into(), text(v));
                }
            }
        }
        params.retain(|_, v| !v.is_null());
    }
    if ty == "apikey" && params.get("in") == Some(&json!("header")) {
        params.remove("in");
    }
    json!({"type": ty, "params": params})
}

/// The raw value of auth parameter `key`, in either of Postman's forms.
fn ty_value<'a>(a: &'a Value, ty: &str, key: &str) -> Option<&'a Value> {
    match &a[ty] {
        Value::Array(l) => l.iter().find(|p| p["key"] == key).map(|p| &p["value"]),
        Value::Object(o) => o.get(key),
        _ => None,
    }
}

fn norm_events(v: &Value) -> Value {
    let mut m = Map::new();
    for e in list(v) {
        let exec = &e["script"]["exec"];
        let code = match exec {
            Value::Array(l) => l
                .iter()
                .map(|s| s.as_str().unwrap_or(""))
                .collect::<Vec<_>>()
                .join("\n"),
            Value::String(s) => s.clone(),
            _ => String::new(),
        };
        if !code.is_empty() {
            m.insert(e["listen"].as_str().unwrap_or("").to_string(), code.into());
        }
    }
    Value::Object(m)
}

fn norm_settings(v: &Value) -> Value {
    v.as_object()
        .cloned()
        .map(Value::Object)
        .unwrap_or(json!({}))
}

fn norm_rows(v: &Value) -> Value {
    Value::Array(
        list(v)
            .iter()
            .map(|h| {
                json!([
                    text(&h["key"]),
                    text(&h["value"]),
                    disabled(h),
                    text(&h["description"])
                ])
            })
            .collect(),
    )
}

fn norm_request(it: &Value) -> Map<String, Value> {
    let mut f = Map::new();
    let r = if it["request"].is_string() {
        json!({"url": it["request"].clone()})
    } else {
        it["request"].clone()
    };
    let method = r["method"]
        .as_str()
        .filter(|m| !m.is_empty())
        .unwrap_or("GET");
    f.insert("method".into(), method.into());
    let headers = norm_rows(&r["header"]);
    f.insert("headers".into(), headers);
    let (url, query) = norm_url(&r["url"]);
    f.insert("url".into(), url);
    f.insert("query".into(), query);
    f.insert("body".into(), norm_body(&r["body"]));
    f.insert("auth".into(), norm_auth(&r["auth"]));
    let d = text(&r["description"]);
    f.insert(
        "description".into(),
        if d.is_null() {
            text(&it["description"])
        } else {
            d
        },
    );
    f.insert("events".into(), norm_events(&it["event"]));
    f.insert(
        "settings".into(),
        norm_settings(&it["protocolProfileBehavior"]),
    );
    let examples: Vec<Value> = list(&it["response"])
        .iter()
        .map(|e| {
            json!([
                text(&e["name"]),
                e["code"].clone(),
                norm_rows(&e["header"]),
                text(&e["body"])
            ])
        })
        .collect();
    f.insert("examples".into(), Value::Array(examples));
    f
}

/// The URL as Postman sends it (`raw`, or built from the parts), and the
/// disabled query rows plus the descriptions of enabled ones.
fn norm_url(u: &Value) -> (Value, Value) {
    let raw = match u {
        Value::String(s) => s.clone(),
        Value::Object(_) => match u["raw"].as_str() {
            Some(r) => r.to_string(),
            None => built(u),
        },
        _ => String::new(),
    };
    let rows: Vec<Value> = list(&u["query"])
        .iter()
        .filter(|q| disabled(q) || !text(&q["description"]).is_null())
        .map(|q| {
            if disabled(q) {
                json!([
                    "disabled",
                    text(&q["key"]),
                    text(&q["value"]),
                    text(&q["description"])
                ])
            } else {
                json!(["described", text(&q["key"]), text(&q["description"])])
            }
        })
        .collect();
    (raw.into(), Value::Array(rows))
}

fn built(u: &Value) -> String {
    let join = |v: &Value, sep: &str| match v {
        Value::Array(a) => a
            .iter()
            .map(|s| s.as_str().unwrap_or(""))
            .collect::<Vec<_>>()
            .join(sep),
        Value::String(s) => s.clone(),
        _ => String::new(),
    };
    let mut s = String::new();
    if let Some(p) = u["protocol"].as_str() {
        s += &format!("{p}://");
    }
    s += &join(&u["host"], ".");
    if let Some(p) = text(&u["port"]).as_str() {
        s += &format!(":{p}");
    }
    let path = join(&u["path"], "/");
    if !path.is_empty() {
        s += &format!("/{}", path.trim_start_matches('/'));
    }
    let q: Vec<String> = list(&u["query"])
        .iter()
        .filter(|q| !disabled(q))
        .map(|q| match q["value"].as_str() {
            Some(v) => format!("{}={v}", q["key"].as_str().unwrap_or("")),
            None => q["key"].as_str().unwrap_or("").to_string(),
        })
        .collect();
    if !q.is_empty() {
        s += &format!("?{}", q.join("&"));
    }
    s
}

fn norm_body(b: &Value) -> Value {
    let mode = b["mode"].as_str().unwrap_or("");
    match mode {
        "raw" => {
            let raw = text(&b["raw"]);
            if raw.is_null() {
                return Value::Null;
            }
            json!({"mode": "raw", "raw": raw, "language": b["options"]["raw"]["language"].clone()})
        }
        "urlencoded" => json!({"mode": mode, "rows": norm_rows(&b["urlencoded"])}),
        "formdata" => {
            let parts: Vec<Value> = list(&b["formdata"])
                .iter()
                .map(|p| {
                    let src = match &p["src"] {
                        Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
                        other => other.clone(),
                    };
                    let is_file = p["type"] == "file";
                    json!([
                        text(&p["key"]),
                        if is_file {
                            text(&src)
                        } else {
                            text(&p["value"])
                        },
                        is_file,
                        text(&p["contentType"]),
                        disabled(p),
                        text(&p["description"])
                    ])
                })
                .collect();
            json!({"mode": mode, "parts": parts})
        }
        "file" => json!({"mode": mode, "src": text(&b["file"]["src"])}),
        "graphql" => {
            json!({"mode": mode, "query": text(&b["graphql"]["query"]), "variables": text(&b["graphql"]["variables"])})
        }
        _ => Value::Null,
    }
}

// ------------------------------------------------ v1, envelope, run ids

/// Names as an outline: `F1`, `  F1.R1`, ... (two spaces per level).
fn outline(items: &[ImportedItem], depth: usize, out: &mut Vec<String>) {
    for it in items {
        match it {
            ImportedItem::Folder(f) => {
                out.push(format!("{}{}", "  ".repeat(depth), f.name));
                outline(&f.items, depth + 1, out);
            }
            ImportedItem::Request(r) => out.push(format!(
                "{}{} {} {}",
                "  ".repeat(depth),
                r.name.as_deref().unwrap_or(""),
                r.method,
                r.url
            )),
        }
    }
}

#[test]
fn the_v1_corpus_collection_converts_to_what_its_v2_twin_says() {
    let Some(root) = corpus() else { return };
    let dir = root.join("postman/newman/integration");
    let v1 = import::postman::parse_runnable(
        &fs::read(dir.join("multi-level-folders-v1.postman_collection.json")).unwrap(),
    )
    .unwrap();
    let v2 = import::postman::parse_runnable(
        &fs::read(dir.join("multi-level-folders-v2.postman_collection.json")).unwrap(),
    )
    .unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    outline(&v1.import.collections[0].items, 0, &mut a);
    outline(&v2.import.collections[0].items, 0, &mut b);
    assert_eq!(a, b);
    assert_eq!(a[0], "F1");
    assert_eq!(a[5], "  F2.F3");
    // Same scripts, in the same places.
    let scripts = |imp: &Import| {
        let mut acc = BTreeMap::new();
        count(&imp.collections[0].items, &mut acc);
        acc
    };
    assert_eq!(scripts(&v1.import), scripts(&v2.import));
    // The file's ids are kept, so `setNextRequest` by id finds them.
    assert_eq!(
        v1.ids.id.as_deref(),
        Some("e5f2e9cf-173b-c60a-7336-ac804a87d762")
    );
    let postie::import::postman::IdNode::Folder(f1) = &v1.ids.items[0] else {
        panic!("{:?}", v1.ids)
    };
    assert_eq!(
        f1.id.as_deref(),
        Some("5b5b57f0-0b87-42d6-8268-e1550e13e1f0")
    );
    assert_eq!(
        v1.document["item"][0]["item"][0]["event"][0]["listen"],
        "test"
    );

    let sample = import::postman::parse_runnable(
        &fs::read(root.join("postman/newman/examples/v1.postman_collection.json")).unwrap(),
    )
    .unwrap();
    let mut got = Vec::new();
    outline(&sample.import.collections[0].items, 0, &mut got);
    assert_eq!(
        got,
        [
            "A simple GET request GET https://postman-echo.com/get",
            "A simple POST request POST https://postman-echo.com/post",
            "A simple POST request with JSON body POST https://postman-echo.com/post",
        ]
    );
    let ImportedItem::Request(get) = &sample.import.collections[0].items[0] else {
        panic!()
    };
    assert_eq!(get.params[0].name, "source");
    assert_eq!(get.params[0].value, "newman-sample-github-collection");
    let ImportedItem::Request(post) = &sample.import.collections[0].items[2] else {
        panic!()
    };
    assert_eq!(post.headers[0].name, "Content-Type");
    assert_eq!(post.headers[0].value, "application/json");
    assert!(matches!(
        &post.body.body,
        postie::model::Body::Raw { text, .. } if text.starts_with("{\"text\":")
    ));
}

#[test]
fn the_api_envelope_is_recognised_and_imports_like_the_bare_collection() {
    let Some(root) = corpus() else { return };
    let path = root.join("postman/newman/integration/echo-v2.postman_collection.json");
    let text = read(&path);
    let bare: Value = serde_json::from_str(&text).unwrap();
    let wrapped = serde_json::to_string_pretty(&json!({"collection": bare})).unwrap();
    let name = Path::new("from-api.json");
    assert_eq!(
        import::detect_format(name, &wrapped),
        Some(import::Format::Postman)
    );
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let direct = import::postman::parse_collection(&text).unwrap();
    let unwrapped = import::postman::parse_collection(&wrapped).unwrap();
    outline(&direct.collections[0].items, 0, &mut a);
    outline(&unwrapped.collections[0].items, 0, &mut b);
    assert!(a.len() > 10);
    assert_eq!(a, b);
    assert_eq!(direct.report, unwrapped.report);
    let run = import::postman::parse_runnable(wrapped.as_bytes()).unwrap();
    assert_eq!(run.document, bare);
}

/// Checks `ids` has the shape of `items`; returns how many ids it holds.
fn aligned(ids: &[postie::import::postman::IdNode], items: &[ImportedItem], at: &str) -> usize {
    use postie::import::postman::IdNode;
    assert_eq!(ids.len(), items.len(), "{at}: item count");
    let mut n = 0;
    for (id, item) in ids.iter().zip(items) {
        match (id, item) {
            (IdNode::Folder(t), ImportedItem::Folder(f)) => {
                n += usize::from(t.id.is_some());
                n += aligned(&t.items, &f.items, &format!("{at}/{}", f.name));
            }
            (IdNode::Request(r), ImportedItem::Request(_)) => n += usize::from(r.is_some()),
            (id, _) => panic!("{at}: {id:?} against another kind of item"),
        }
    }
    n
}

#[test]
fn run_ids_line_up_with_imported_items_in_every_corpus_collection() {
    let Some(root) = corpus() else { return };
    let files = common::listed(&root, "[postman]");
    /// Ids of the objects in `item` lists, counted in the file itself.
    fn ids_in(v: &Value) -> usize {
        list(&v["item"])
            .iter()
            .filter(|i| i.is_object())
            .map(|i| {
                let own = ["id", "_postman_id"]
                    .iter()
                    .any(|k| i[*k].as_str().is_some_and(|s| !s.is_empty()));
                usize::from(own) + ids_in(i)
            })
            .sum()
    }
    let mut with_ids = 0;
    for (path, row) in &files {
        let run = import::postman::parse_runnable(&fs::read(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let c = &run.import.collections[0];
        let n = aligned(&run.ids.items, &c.items, &path.display().to_string());
        if !row.contains("schema v1") {
            let raw: Value = serde_json::from_str(&read(path)).unwrap();
            assert_eq!(n, ids_in(&raw), "{}", path.display());
        }
        with_ids += n;
        // The document is what was imported: reading it again gives the same.
        let again = import::postman::parse_collection(&run.document.to_string()).unwrap();
        let (mut a, mut b) = (Vec::new(), Vec::new());
        outline(&c.items, 0, &mut a);
        outline(&again.collections[0].items, 0, &mut b);
        assert_eq!(a, b, "{}", path.display());
    }
    eprintln!("{} collections, {with_ids} folder/request ids", files.len());
    assert!(files.len() >= 90);
    assert!(with_ids > 30);
}
