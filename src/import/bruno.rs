//! Bruno collections: a folder with `bruno.json`, one `.bru` file per
//! request (`meta`, the method block, `headers`, `params:query`, `auth:*`,
//! `body:*`, scripts, `docs`), `folder.bru` and `collection.bru` for folders,
//! and `environments/*.bru`. Requests keep Bruno's order (`meta.seq`).
//! Bruno's script API (`bru.`, `res.`, `req.`) is not Postman's: scripts are
//! kept as written and the report says so.

use std::path::Path;

use super::{
    Format, Import, ImportError, ImportedEnvironment, ImportedFolder, ImportedItem, Report,
};
use crate::model::{
    ApiKeyLocation, Auth, AwsV4Auth, Body, Environment, KeyValue, OAuth2Auth, OAuth2Grant, Part,
    RawKind, Request, Variable, Variables,
};

/// One `name { … }` block of a `.bru` file.
#[derive(Debug, Clone, PartialEq)]
struct Block {
    name: String,
    /// The lines inside, unindented by two spaces.
    lines: Vec<String>,
    /// 1-based line of the block's name.
    line: usize,
}

impl Block {
    /// `key: value` pairs; a `~` before the key disables it.
    fn pairs(&self) -> Vec<(String, String, bool)> {
        (self.lines.iter())
            .filter(|l| !l.trim().is_empty())
            .filter_map(|l| {
                let l = l.trim();
                let (enabled, l) = match l.strip_prefix('~') {
                    Some(rest) => (false, rest),
                    None => (true, l),
                };
                let (k, v) = l.split_once(':')?;
                Some((unquote(k.trim()), v.trim().to_string(), enabled))
            })
            .collect()
    }

    fn get(&self, key: &str) -> Option<String> {
        (self.pairs().into_iter())
            .find(|(k, _, on)| k == key && *on)
            .map(|(_, v, _)| v)
    }

    fn text(&self) -> String {
        let mut t = self.lines.join("\n");
        if !t.is_empty() {
            t.push('\n');
        }
        t
    }

    /// `vars:secret [ a, b ]` style lists.
    fn list(&self) -> Vec<String> {
        (self.lines.iter())
            .flat_map(|l| l.split(','))
            .map(|s| s.trim().trim_start_matches('~').to_string())
            .filter(|s| !s.is_empty())
            .collect()
    }
}

fn unquote(s: &str) -> String {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
        .to_string()
}

/// The blocks of a `.bru` file; the error names the line.
fn blocks(text: &str) -> Result<Vec<Block>, (usize, String)> {
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate().peekable();
    while let Some((i, line)) = lines.next() {
        let t = line.trim_end();
        if t.trim().is_empty() {
            continue;
        }
        let (name, close) = if let Some(n) = t.strip_suffix('{') {
            (n.trim(), '}')
        } else if let Some(n) = t.strip_suffix('[') {
            (n.trim(), ']')
        } else if let Some((n, rest)) = t
            .split_once('[')
            .filter(|(_, r)| r.trim_end().ends_with(']'))
        {
            // `vars:secret [a, b]` on one line.
            let inner = rest.trim_end().trim_end_matches(']').to_string();
            out.push(Block {
                name: n.trim().to_string(),
                lines: vec![inner],
                line: i + 1,
            });
            continue;
        } else {
            return Err((i + 1, format!("expected a block (`name {{`), found {t:?}")));
        };
        let mut body = Vec::new();
        let mut closed = false;
        for (_, l) in lines.by_ref() {
            if l.trim_end() == close.to_string() {
                closed = true;
                break;
            }
            body.push(l.strip_prefix("  ").unwrap_or(l).to_string());
        }
        if !closed {
            return Err((
                i + 1,
                format!("block `{name}` is never closed with `{close}`"),
            ));
        }
        out.push(Block {
            name: name.to_string(),
            lines: body,
            line: i + 1,
        });
    }
    Ok(out)
}

const METHODS: &[&str] = &[
    "get", "post", "put", "delete", "patch", "options", "head", "connect", "trace",
];

struct Bru {
    blocks: Vec<Block>,
}

impl Bru {
    fn parse(text: &str, file: &str) -> Result<Bru, ImportError> {
        let blocks = blocks(text).map_err(|(line, message)| {
            ImportError::at(Format::Bruno, line, 1, format!("{file}: {message}"))
        })?;
        Ok(Bru { blocks })
    }

    fn block(&self, name: &str) -> Option<&Block> {
        self.blocks.iter().find(|b| b.name == name)
    }

    fn seq(&self) -> f64 {
        (self.block("meta").and_then(|m| m.get("seq")))
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::MAX)
    }

    fn name(&self) -> Option<String> {
        self.block("meta").and_then(|m| m.get("name"))
    }

    fn pairs(&self, name: &str) -> Vec<KeyValue> {
        (self.block(name).map(Block::pairs).into_iter().flatten())
            .map(|(k, v, enabled)| {
                let mut kv = KeyValue::new(k, v);
                kv.enabled = enabled;
                kv
            })
            .collect()
    }

    fn script(&self, name: &str, at: &str, report: &mut Report) -> Option<String> {
        let text = self.block(name)?.text();
        if text.trim().is_empty() {
            return None;
        }
        if ["bru.", "res.", "req."]
            .iter()
            .any(|api| text.contains(api))
        {
            report.changed(
                at,
                format!("script {name}"),
                "kept as written: Bruno's bru./res./req. API is not Postman's pm. API, so those calls fail until rewritten",
            );
        }
        Some(text)
    }

    fn auth(&self, mode: Option<&str>, at: &str, report: &mut Report) -> Auth {
        let field = |block: &str, key: &str| -> String {
            (self.block(block).and_then(|b| b.get(key))).unwrap_or_default()
        };
        match mode.unwrap_or("inherit") {
            "inherit" => Auth::Inherit,
            "none" => Auth::None,
            "basic" => Auth::Basic {
                username: field("auth:basic", "username"),
                password: field("auth:basic", "password"),
            },
            "digest" => Auth::Digest {
                username: field("auth:digest", "username"),
                password: field("auth:digest", "password"),
            },
            "bearer" => Auth::Bearer {
                token: field("auth:bearer", "token"),
            },
            "apikey" => Auth::ApiKey {
                key: field("auth:apikey", "key"),
                value: field("auth:apikey", "value"),
                location: match field("auth:apikey", "placement").as_str() {
                    "queryparams" | "query" => ApiKeyLocation::Query,
                    _ => ApiKeyLocation::Header,
                },
            },
            "awsv4" => Auth::AwsV4(AwsV4Auth {
                access_key: field("auth:awsv4", "accessKeyId"),
                secret_key: field("auth:awsv4", "secretAccessKey"),
                session_token: field("auth:awsv4", "sessionToken"),
                region: field("auth:awsv4", "region"),
                service: field("auth:awsv4", "service"),
                ..AwsV4Auth::default()
            }),
            "oauth2" => {
                let f = |k: &str| field("auth:oauth2", k);
                Auth::OAuth2(Box::new(OAuth2Auth {
                    grant: match f("grant_type").as_str() {
                        "client_credentials" => OAuth2Grant::ClientCredentials,
                        "password" => OAuth2Grant::Password,
                        "implicit" => OAuth2Grant::Implicit,
                        _ => OAuth2Grant::AuthorizationCode,
                    },
                    token_url: f("access_token_url"),
                    auth_url: f("authorization_url"),
                    refresh_url: f("refresh_token_url"),
                    redirect_uri: f("callback_url"),
                    client_id: f("client_id"),
                    client_secret: f("client_secret"),
                    scope: f("scope"),
                    state: f("state"),
                    username: f("username"),
                    password: f("password"),
                    pkce: f("pkce") == "true",
                    ..OAuth2Auth::default()
                }))
            }
            other => {
                report.dropped(
                    at,
                    format!("auth type {other}"),
                    "postie has no such auth; set it up by hand",
                );
                Auth::Inherit
            }
        }
    }

    fn body(&self, mode: Option<&str>, at: &str, report: &mut Report) -> Body {
        let text = |name: &str| self.block(name).map(Block::text).unwrap_or_default();
        let raw = |kind, name: &str| Body::Raw {
            kind,
            text: text(name),
        };
        match mode.unwrap_or("none") {
            "none" => Body::None,
            "json" => raw(RawKind::Json, "body:json"),
            "text" => raw(RawKind::Text, "body:text"),
            "xml" => raw(RawKind::Xml, "body:xml"),
            "sparql" => raw(RawKind::Text, "body:sparql"),
            "graphql" => Body::GraphQl {
                query: text("body:graphql"),
                variables: text("body:graphql:vars"),
            },
            "formUrlEncoded" => Body::Form(self.pairs("body:form-urlencoded")),
            "multipartForm" => Body::Multipart(
                (self
                    .block("body:multipart-form")
                    .map(Block::pairs)
                    .into_iter()
                    .flatten())
                .map(|(name, v, enabled)| {
                    // `@file(path)` marks a file part.
                    let file = v
                        .strip_prefix("@file(")
                        .and_then(|f| f.strip_suffix(')'))
                        .map(str::to_string);
                    Part {
                        value: file.is_none().then_some(v.clone()),
                        name,
                        file,
                        filename: None,
                        content_type: None,
                        enabled,
                        description: None,
                        extra: Default::default(),
                    }
                })
                .collect(),
            ),
            other => {
                report.dropped(
                    at,
                    format!("body mode {other}"),
                    "postie has no such body kind",
                );
                Body::None
            }
        }
    }

    fn request(&self, at: &str, report: &mut Report) -> Option<Request> {
        let method_block = self
            .blocks
            .iter()
            .find(|b| METHODS.contains(&b.name.as_str()))?;
        let url = method_block.get("url").unwrap_or_default();
        let mut req = Request::new(method_block.name.to_ascii_uppercase(), url);
        req.name = self.name();
        req.params = self.pairs("params:query");
        req.headers = self.pairs("headers");
        req.body.body = self.body(method_block.get("body").as_deref(), at, report);
        req.auth.auth = self.auth(method_block.get("auth").as_deref(), at, report);
        req.pre_request = self.script("script:pre-request", at, report);
        let post = self.script("script:post-response", at, report);
        let tests = self.script("tests", at, report);
        req.test = match (post, tests) {
            (Some(a), Some(b)) => Some(format!("{a}\n{b}")),
            (a, b) => a.or(b),
        };
        req.description = self
            .block("docs")
            .map(Block::text)
            .filter(|t| !t.trim().is_empty());
        for name in [
            "params:path",
            "vars:pre-request",
            "vars:post-response",
            "assert",
        ] {
            if self.block(name).is_some_and(|b| !b.pairs().is_empty()) {
                report.dropped(
                    at,
                    name,
                    "not converted: write it as {{variables}} in the URL or as a script",
                );
            }
        }
        Some(req)
    }
}

/// A single `.bru` request file.
pub fn parse_file(text: &str) -> Result<Import, ImportError> {
    let bru = Bru::parse(text, "request")?;
    let mut report = Report::default();
    let name = bru.name().unwrap_or_else(|| "Bruno request".to_string());
    let req = bru.request(&name, &mut report).ok_or_else(|| {
        ImportError::invalid(Format::Bruno, "no method block (`get {`, `post {`, …)")
    })?;
    Ok(Import {
        collections: vec![ImportedFolder {
            name: "Bruno import".into(),
            items: vec![ImportedItem::Request(Box::new(req))],
            ..ImportedFolder::default()
        }],
        environments: Vec::new(),
        report,
    })
}

/// A Bruno collection folder (the one with `bruno.json`).
pub fn parse_dir(dir: &Path) -> Result<Import, ImportError> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| {
            ImportError::invalid(Format::Bruno, format!("cannot read {}: {e}", p.display()))
        })
    };
    let config: serde_json::Value = serde_json::from_str(&read(&dir.join("bruno.json"))?)
        .map_err(|e| ImportError::invalid(Format::Bruno, format!("bruno.json: {e}")))?;
    let name = config["name"].as_str().unwrap_or("Bruno").to_string();
    let mut report = Report::default();
    let mut root = ImportedFolder {
        name: name.clone(),
        ..ImportedFolder::default()
    };
    if dir.join("collection.bru").is_file() {
        let bru = Bru::parse(&read(&dir.join("collection.bru"))?, "collection.bru")?;
        apply_folder(&bru, &name, &mut root, &mut report);
    }
    walk(dir, &name, &mut root, &mut report, &read)?;
    let mut environments = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir.join("environments")) {
        let mut files: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        files.sort();
        for p in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "bru"))
        {
            let shown = format!(
                "environments/{}",
                p.file_name().unwrap_or_default().to_string_lossy()
            );
            let bru = Bru::parse(&read(p)?, &shown)?;
            let mut variables = Variables::default();
            for (k, v, enabled) in bru.block("vars").map(Block::pairs).unwrap_or_default() {
                let var = if enabled {
                    Variable::Plain(v)
                } else {
                    Variable::Detailed {
                        value: Some(v),
                        secret: false,
                        enabled: false,
                        description: None,
                        extra: Default::default(),
                    }
                };
                variables.0.push((k, var));
            }
            for k in bru
                .block("vars:secret")
                .map(Block::list)
                .unwrap_or_default()
            {
                variables.0.push((k, Variable::secret_declaration()));
            }
            environments.push(ImportedEnvironment {
                name: p
                    .file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned(),
                environment: Environment {
                    variables,
                    ..Environment::default()
                },
                secrets: Vec::new(),
            });
        }
    }
    Ok(Import {
        collections: vec![root],
        environments,
        report,
    })
}

/// `collection.bru` / `folder.bru`: headers, auth, variables, scripts.
fn apply_folder(bru: &Bru, at: &str, folder: &mut ImportedFolder, report: &mut Report) {
    if let Some(n) = bru.name() {
        folder.name = n;
    }
    folder.folder.headers = bru.pairs("headers");
    let mode = bru.block("auth").and_then(|a| a.get("mode"));
    folder.folder.auth.auth = bru.auth(mode.as_deref(), at, report);
    for (k, v, _) in bru
        .block("vars:pre-request")
        .map(Block::pairs)
        .unwrap_or_default()
    {
        folder.folder.variables.0.push((k, Variable::Plain(v)));
    }
    folder.folder.pre_request = bru.script("script:pre-request", at, report);
    folder.folder.test = bru.script("tests", at, report);
    folder.folder.description = bru
        .block("docs")
        .map(Block::text)
        .filter(|t| !t.trim().is_empty());
}

type Reader<'r> = dyn Fn(&Path) -> Result<String, ImportError> + 'r;

/// The requests and folders under `dir`, in Bruno's order (`seq`, then name).
fn walk(
    dir: &Path,
    at: &str,
    folder: &mut ImportedFolder,
    report: &mut Report,
    read: &Reader<'_>,
) -> Result<(), ImportError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| ImportError::invalid(Format::Bruno, format!("{}: {e}", dir.display())))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    let mut items: Vec<(f64, ImportedItem)> = Vec::new();
    for p in entries {
        let file_name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if p.is_dir() {
            if file_name == "environments"
                || file_name.starts_with('.')
                || file_name == "node_modules"
            {
                continue;
            }
            let mut sub = ImportedFolder {
                name: file_name.clone(),
                ..ImportedFolder::default()
            };
            let mut seq = f64::MAX;
            let sub_at = format!("{at}/{file_name}");
            if p.join("folder.bru").is_file() {
                let bru = Bru::parse(
                    &read(&p.join("folder.bru"))?,
                    &format!("{sub_at}/folder.bru"),
                )?;
                seq = bru.seq();
                apply_folder(&bru, &sub_at, &mut sub, report);
            }
            walk(&p, &sub_at, &mut sub, report, read)?;
            items.push((seq, ImportedItem::Folder(Box::new(sub))));
        } else if file_name.ends_with(".bru")
            && file_name != "folder.bru"
            && file_name != "collection.bru"
        {
            let shown = format!("{at}/{file_name}");
            let bru = Bru::parse(&read(&p)?, &shown)?;
            match bru.request(&shown, report) {
                Some(mut req) => {
                    if req.name.is_none() {
                        req.name = Some(file_name.trim_end_matches(".bru").to_string());
                    }
                    items.push((bru.seq(), ImportedItem::Request(Box::new(req))));
                }
                None => report.dropped(
                    shown,
                    "file",
                    "no HTTP method block (a GraphQL or gRPC request?)",
                ),
            }
        }
    }
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    folder.items.extend(items.into_iter().map(|(_, i)| i));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &str = r#"meta {
  name: Create user
  type: http
  seq: 2
}

post {
  url: {{baseUrl}}/users
  body: json
  auth: bearer
}

params:query {
  page: 1
  ~debug: true
}

headers {
  Content-Type: application/json
}

auth:bearer {
  token: {{token}}
}

body:json {
  {
    "name": "Ada"
  }
}

script:pre-request {
  bru.setVar("n", 1);
}

tests {
  test("ok", function() {
    expect(res.getStatus()).to.equal(201);
  });
}

docs {
  Makes a user.
}
"#;

    #[test]
    fn a_bru_request_file_is_read_block_by_block() {
        let imp = parse_file(REQUEST).unwrap();
        let ImportedItem::Request(r) = &imp.collections[0].items[0] else {
            panic!()
        };
        assert_eq!(
            (r.method.as_str(), r.url.as_str()),
            ("POST", "{{baseUrl}}/users")
        );
        assert_eq!(r.name.as_deref(), Some("Create user"));
        assert_eq!(r.params.len(), 2);
        assert!(!r.params[1].enabled);
        assert_eq!(r.headers[0].value, "application/json");
        assert_eq!(
            r.auth.auth,
            Auth::Bearer {
                token: "{{token}}".into()
            }
        );
        assert_eq!(
            r.body.body,
            Body::Raw {
                kind: RawKind::Json,
                text: "{\n  \"name\": \"Ada\"\n}\n".into()
            }
        );
        assert!(r
            .test
            .as_deref()
            .unwrap()
            .contains("expect(res.getStatus())"));
        assert_eq!(r.description.as_deref(), Some("Makes a user.\n"));
        assert!(
            (imp.report.notes.iter()).any(|n| n.what == "script tests" && n.why.contains("bru.")),
            "{:?}",
            imp.report
        );
    }

    #[test]
    fn a_collection_folder_keeps_order_folders_and_environments() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        std::fs::write(
            root.join("bruno.json"),
            r#"{"version": "1", "name": "Shop", "type": "collection"}"#,
        )
        .unwrap();
        std::fs::write(root.join("collection.bru"), "headers {\n  X-App: shop\n}\n\nauth {\n  mode: basic\n}\n\nauth:basic {\n  username: ada\n  password: {{pw}}\n}\n").unwrap();
        std::fs::write(root.join("b.bru"), REQUEST).unwrap();
        std::fs::write(
            root.join("a.bru"),
            "meta {\n  name: List\n  seq: 1\n}\n\nget {\n  url: {{baseUrl}}/users\n  body: none\n  auth: inherit\n}\n",
        )
        .unwrap();
        std::fs::create_dir(root.join("admin")).unwrap();
        std::fs::write(
            root.join("admin/folder.bru"),
            "meta {\n  name: Admin\n  seq: 0\n}\n",
        )
        .unwrap();
        std::fs::write(
            root.join("admin/x.bru"),
            "meta {\n  name: Purge\n}\n\ndelete {\n  url: {{baseUrl}}/cache\n}\n",
        )
        .unwrap();
        std::fs::create_dir(root.join("environments")).unwrap();
        std::fs::write(
            root.join("environments/Local.bru"),
            "vars {\n  baseUrl: http://127.0.0.1:9\n}\nvars:secret [\n  pw,\n  token\n]\n",
        )
        .unwrap();
        let imp = parse_dir(root).unwrap();
        let c = &imp.collections[0];
        assert_eq!(c.name, "Shop");
        assert_eq!(c.folder.headers[0].name, "X-App");
        assert!(matches!(c.folder.auth.auth, Auth::Basic { .. }));
        let names: Vec<String> = (c.items.iter())
            .map(|i| match i {
                ImportedItem::Folder(f) => f.name.clone(),
                ImportedItem::Request(r) => r.name.clone().unwrap_or_default(),
            })
            .collect();
        assert_eq!(names, ["Admin", "List", "Create user"]);
        let env = &imp.environments[0];
        assert_eq!(env.name, "Local");
        assert_eq!(
            env.environment
                .variables
                .get("baseUrl")
                .and_then(Variable::value),
            Some("http://127.0.0.1:9")
        );
        assert!(env
            .environment
            .variables
            .get("token")
            .is_some_and(Variable::is_secret));
    }

    #[test]
    fn broken_files_name_their_line() {
        let err = parse_file("meta {\n  name: x\n\nget {\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 4") || err.contains("never closed"),
            "{err}"
        );
        let err = parse_file("what is this\n").unwrap_err().to_string();
        assert!(err.contains("line 1"), "{err}");
    }
}
