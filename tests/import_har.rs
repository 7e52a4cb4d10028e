//! HAR import against the shared corpus: every mitmproxy test HAR, checked
//! against mitmproxy's own expected flows (`*.expected.json`).

mod common;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use postie::import::har::{self, HarOptions};
use postie::import::{self, Format, ImportedFolder, ImportedItem, NoteKind};
use postie::model::{Body, Request};
use sha2::{Digest, Sha256};

fn corpus() -> Option<PathBuf> {
    common::corpus("har")
}

fn requests(f: &ImportedFolder) -> Vec<&Request> {
    let mut out = Vec::new();
    for i in &f.items {
        match i {
            ImportedItem::Request(r) => out.push(&**r),
            ImportedItem::Folder(sub) => out.extend(requests(sub)),
        }
    }
    out
}

fn hars(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir.join("mitmproxy"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "har"))
        .collect();
    v.sort();
    v
}

/// Headers mitmproxy keeps that postie leaves to the client.
fn comparable(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    !n.starts_with(':')
        && ![
            "connection",
            "keep-alive",
            "transfer-encoding",
            "content-length",
            "host",
            "te",
            "upgrade",
        ]
        .contains(&n.as_str())
}

#[test]
fn every_har_imports_and_matches_mitmproxys_expected_flows() {
    let Some(dir) = corpus() else { return };
    let (mut files, mut reqs, mut errors, mut compared) = (0, 0, 0, 0);
    let mut notes: BTreeMap<String, usize> = BTreeMap::new();
    for path in hars(&dir) {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        files += 1;
        let result = import::parse(Format::Har, &path, &text);
        if path.ends_with("brokenfile.har") {
            let e = result.unwrap_err().to_string();
            assert!(e.contains("not a valid HAR"), "{e}");
            errors += 1;
            continue;
        }
        let imp = result.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for n in &imp.report.notes {
            let kind = if n.kind == NoteKind::Dropped {
                "dropped"
            } else {
                "changed"
            };
            *notes.entry(format!("{kind} {}", n.what)).or_default() += 1;
        }
        let got = requests(&imp.collections[0]);
        reqs += got.len();
        let expected_path = path.with_extension("expected.json");
        let expected: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let flows = expected.as_array().unwrap();
        assert_eq!(flows.len(), got.len(), "{}", path.display());
        // Entries are grouped by host: match flows by position within a host.
        let mut by_url: Vec<&Request> = got.clone();
        for flow in flows {
            let e = &flow["request"];
            let scheme = e["scheme"].as_str().unwrap();
            let host = e["host"].as_str().unwrap();
            let port = e["port"].as_u64().unwrap();
            let default_port =
                (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
            let authority = if default_port {
                host.to_string()
            } else {
                format!("{host}:{port}")
            };
            let full = e["path"].as_str().unwrap();
            let (p, q) = full.split_once('?').unwrap_or((full, ""));
            let url = format!("{scheme}://{authority}{p}");
            let params: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect();
            let idx = by_url
                .iter()
                .position(|r| {
                    r.url == url
                        && r.method == e["method"].as_str().unwrap()
                        && r.params
                            .iter()
                            .map(|kv| (kv.name.clone(), kv.value.clone()))
                            .collect::<Vec<_>>()
                            == params
                })
                .unwrap_or_else(|| panic!("{}: no request for {url}?{q}", path.display()));
            let r = by_url.remove(idx);
            let want: Vec<(String, String)> = e["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_string(),
                        h[1].as_str().unwrap().to_string(),
                    )
                })
                .filter(|(n, _)| comparable(n))
                .collect();
            let have: Vec<(String, String)> = r
                .headers
                .iter()
                .map(|h| (h.name.clone(), h.value.clone()))
                .filter(|(n, _)| comparable(n))
                .collect();
            assert_eq!(have, want, "{}: headers of {url}", path.display());
            if let Some(hash) = e["contentHash"].as_str() {
                let body = match &r.body.body {
                    Body::Raw { text, .. } => text.clone(),
                    Body::None => String::new(),
                    other => panic!("{other:?}"),
                };
                assert_eq!(
                    format!("{:x}", Sha256::digest(body.as_bytes())),
                    hash,
                    "{}: body of {url}",
                    path.display()
                );
            }
            compared += 1;
        }
    }
    eprintln!("har corpus: {files} files ({errors} broken, rejected), {reqs} requests, {compared} compared with mitmproxy's flows; notes: {notes:?}");
    assert_eq!(compared, reqs);
    assert!(files >= 9);
}

#[test]
fn postdata_entry_in_detail_and_written_workspace_loads_clean() {
    let Some(dir) = corpus() else { return };
    let path = dir.join("mitmproxy/with-bom.har");
    let text = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let imp = import::parse(Format::Har, &path, &text).unwrap();
    let r = requests(&imp.collections[0])[0];
    assert_eq!(r.method, "POST");
    assert_eq!(
        r.url,
        "https://signal-metrics-collector-beta.s-onetag.com/metrics"
    );
    assert!(r
        .headers
        .iter()
        .any(|h| h.name == "content-type" && h.value == "text/plain;charset=UTF-8"));
    assert!(!r.headers.iter().any(|h| h.name.starts_with(':')));
    let Body::Raw { text: body, .. } = &r.body.body else {
        panic!("{:?}", r.body)
    };
    assert!(body.starts_with("{\"metadata\""));

    let d = tempfile::tempdir().unwrap();
    postie::storage::init::init_workspace(d.path(), None).unwrap();
    let firefox = std::fs::read_to_string(dir.join("mitmproxy/firefox.har")).unwrap();
    let imp = har::parse(
        &firefox,
        &HarOptions {
            host: Some("mitmproxy.org".into()),
            drop_static: true,
        },
    )
    .unwrap();
    let n = requests(&imp.collections[0]).len();
    assert!((1..14).contains(&n), "{n}");
    assert!(imp.report.notes.iter().any(|n| n.why.contains("static")));
    let w = import::write_import(d.path(), &imp, None).unwrap();
    assert_eq!(w.requests, n);
    let ws = postie::storage::load_workspace(d.path()).unwrap();
    assert!(ws.diagnostics.is_empty(), "{:?}", ws.diagnostics);
}
