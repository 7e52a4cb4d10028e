//! `.http` / `.rest` files (JetBrains HTTP Client, VS Code REST Client,
//! kulala): each request a request, `@var = value` lines collection
//! variables, `< {% %}` / `> {% %}` scripts kept (reported: their
//! `client.*` API is not postie's `pm.*`). Environment files
//! (`http-client.env.json`) are read by [`parse_env_file`].

mod blocks;
mod body;
mod env;

use std::path::Path;

use self::blocks::RawRequest;
pub use self::env::parse_env_file;
use super::{Import, ImportError, ImportedFolder, ImportedItem, Report};
use crate::model::{BodyWithExtra, Folder, KeyValue, Request, Variable, Variables};

/// Parses a `.http` file; file paths (`< ./x`) are taken relative to
/// `base_dir`, the file's folder. Never fails: what is not understood is
/// reported.
pub fn parse(text: &str, base_dir: &Path) -> Result<Import, ImportError> {
    let file = blocks::split(text);
    let mut report = Report::default();
    for (_, line) in &file.skipped {
        report.dropped("collection", line.as_str(), skipped_why(line));
    }
    let mut items = Vec::new();
    let mut scripts = false;
    for raw in &file.requests {
        let req = request(raw, base_dir, &mut report);
        scripts |= req.pre_request.is_some() || req.test.is_some();
        items.push(ImportedItem::Request(Box::new(req)));
    }
    if scripts {
        report.changed(
            "collection",
            "scripts",
            "kept as written: they use the JetBrains/kulala `client.*` and `request.*` API, which differs from postie's `pm.*`: port them before running",
        );
    }
    let mut vars: Vec<(String, Variable)> = Vec::new();
    for (name, value) in file.variables {
        match vars.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => {
                report.changed(
                    "collection",
                    format!("variable {name}"),
                    "defined more than once: the last value is kept",
                );
                slot.1 = Variable::Plain(value);
            }
            None => vars.push((name, Variable::Plain(value))),
        }
    }
    let name = crate::import::name_from_hosts(&items, "HTTP requests");
    Ok(Import {
        collections: vec![ImportedFolder {
            name,
            folder: Folder {
                variables: Variables(vars),
                ..Folder::default()
            },
            items,
        }],
        environments: Vec::new(),
        report,
    })
}

fn skipped_why(line: &str) -> &'static str {
    if line.starts_with("import ") || line.starts_with("run ") {
        "kulala's import/run of other files is not followed: import those files too"
    } else if line.starts_with("<>") {
        "a reference to a saved response"
    } else if line.starts_with('>') || line.starts_with('<') {
        "a script in a separate file: paste it into the request's script"
    } else {
        "not understood"
    }
}

fn request(raw: &RawRequest, base_dir: &Path, report: &mut Report) -> Request {
    let name = raw
        .name
        .clone()
        .or_else(|| raw.title.clone())
        .unwrap_or_else(|| {
            let url = crate::import::secrets::url_for_name(&raw.url);
            format!("{} {url}", raw.method)
        });
    let label = name.clone();
    let mut r = Request::new(raw.method.clone(), raw.url.clone());
    r.name = Some(name);
    r.headers = raw
        .headers
        .iter()
        .map(|(n, v)| KeyValue::new(n, v))
        .collect();
    for s in &raw.skipped {
        report.dropped(&label, s.as_str(), skipped_why(s));
    }
    if let Some(text) = &raw.body {
        let ct = raw
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-type"))
            .map(|(_, v)| v.as_str());
        let ctx = body::Ctx {
            base_dir,
            label: &label,
        };
        let mapped = body::map(text, ct, &ctx, report);
        if mapped.drop_content_type {
            r.headers
                .retain(|h| !h.name.eq_ignore_ascii_case("content-type"));
        }
        r.body = BodyWithExtra {
            body: mapped.body,
            extra: Default::default(),
        };
    }
    r.pre_request = raw.pre_script.clone();
    r.test = raw.handler.clone();
    for (d, value) in &raw.directives {
        match d.as_str() {
            "no-redirect" => r.settings.follow_redirects = Some(false),
            "timeout" => match timeout_ms(value) {
                Some(ms) => r.settings.timeout_ms = Some(ms),
                None => report.dropped(&label, format!("@timeout {value}"), "not a duration"),
            },
            _ => report.dropped(
                &label,
                format!("@{d}"),
                "a directive postie has no setting for",
            ),
        }
    }
    r
}

/// `5` (seconds), `500ms`, `2s`, `1m`.
fn timeout_ms(v: &str) -> Option<u64> {
    let v = v.trim();
    let split = v.find(|c: char| !c.is_ascii_digit()).unwrap_or(v.len());
    let n: u64 = v[..split].parse().ok()?;
    match v[split..].trim() {
        "" | "s" => n.checked_mul(1000),
        "ms" => Some(n),
        "m" => n.checked_mul(60_000),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Body;

    #[test]
    fn maps_names_bodies_directives_and_reports_scripts() {
        let imp = parse(
            "@base = https://x\n### Make\n# @no-redirect\n# @timeout 2\n# @no-log\nPOST {{base}}/a\nContent-Type: application/json\n\n{\"a\": 1}\n\n> {%\nclient.log(1)\n%}\n",
            Path::new("."),
        )
        .unwrap();
        let c = &imp.collections[0];
        assert_eq!(
            c.folder.variables.get("base").unwrap().value(),
            Some("https://x")
        );
        let ImportedItem::Request(r) = &c.items[0] else {
            panic!()
        };
        assert_eq!(r.name.as_deref(), Some("Make"));
        assert!(matches!(&r.body.body, Body::Raw { text, .. } if text == "{\"a\": 1}"));
        assert_eq!(r.settings.follow_redirects, Some(false));
        assert_eq!(r.settings.timeout_ms, Some(2000));
        assert_eq!(r.test.as_deref(), Some("client.log(1)"));
        let whats: Vec<&str> = imp.report.notes.iter().map(|n| n.what.as_str()).collect();
        assert_eq!(whats, ["@no-log", "scripts"]);
    }
}
