use std::io::{IsTerminal, Write};
use std::path::Path;

use clap::Args;

use crate::safe_text::escape;
use crate::storage::workspace::last_segment;
use crate::storage::{find_root, load_workspace, FolderNode, Item};

use super::{exit, Failure};

#[derive(Debug, Args)]
pub struct LsArgs {
    /// A collection or folder to list (default: everything)
    pub path: Option<String>,
    /// One request path per line, nothing else (for scripts)
    #[arg(long)]
    pub plain: bool,
}

pub fn run(args: LsArgs, cwd: &Path) -> Result<(), Failure> {
    let root = find_root(cwd)?;
    let ws = load_workspace(&root)?;
    for d in &ws.diagnostics {
        eprintln!("{}", escape(&d.render_short(), false));
    }
    let wanted = args
        .path
        .as_deref()
        .map(|p| p.trim_matches('/').trim_end_matches(".json"));
    let mut roots: Vec<&FolderNode> = Vec::new();
    let mut single: Option<(&str, String)> = None;
    match wanted {
        None | Some("") => roots.extend(ws.collections.iter()),
        Some(p) => match find(&ws.collections, p) {
            Some(Found::Folder(f)) => roots.push(f),
            Some(Found::Request(path, method)) => single = Some((path, method)),
            None => {
                return Err(Failure::new(
                    exit::INPUT,
                    format!("nothing at `{p}` in the workspace"),
                ))
            }
        },
    }

    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = String::new();
    if let Some((path, method)) = single {
        if args.plain {
            out.push_str(&format!("{}\n", escape(path, false)));
        } else {
            out.push_str(&format!(
                "{} {}\n",
                paint_method(&method, color),
                escape(path, false)
            ));
        }
    }
    let mut rows: Vec<Row> = Vec::new();
    for f in roots {
        if args.plain {
            plain(&f.items, &mut out);
        } else {
            rows.push(Row {
                left: format!("{}/", escape(&f.path, false)),
                left_colored: None,
                right: escape(&f.name(), false),
            });
            tree(&f.items, "", color, &mut rows);
        }
    }
    // Names line up in one column after the widest path.
    let width = rows
        .iter()
        .map(|r| r.left.chars().count())
        .max()
        .unwrap_or(0);
    for r in rows {
        let pad = width - r.left.chars().count();
        let left = r.left_colored.unwrap_or(r.left);
        if r.right.is_empty() {
            out.push_str(&format!("{left}\n"));
        } else {
            out.push_str(&format!(
                "{left}{}  {}\n",
                " ".repeat(pad),
                dim(&r.right, color)
            ));
        }
    }
    if !args.plain && ws.collections.is_empty() {
        out.push_str("(no collections: a collection is a directory with collection.json)\n");
    }
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`postie ls | head`) is not an error worth reporting.
    let _ = stdout.write_all(out.as_bytes());
    if ws.diagnostics.iter().any(|d| d.is_error()) {
        return Err(Failure::silent(exit::INPUT));
    }
    Ok(())
}

enum Found<'a> {
    Folder(&'a FolderNode),
    Request(&'a str, String),
}

fn find<'a>(folders: &'a [FolderNode], path: &str) -> Option<Found<'a>> {
    for f in folders {
        if f.path == path {
            return Some(Found::Folder(f));
        }
        if path.starts_with(&format!("{}/", f.path)) {
            for item in &f.items {
                match item {
                    Item::Request(r) if r.path == path => {
                        return Some(Found::Request(&r.path, r.request.method.clone()))
                    }
                    Item::Folder(sub) => {
                        if let Some(found) = find(std::slice::from_ref(sub), path) {
                            return Some(found);
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    None
}

fn plain(items: &[Item], out: &mut String) {
    for item in items {
        match item {
            Item::Request(r) => {
                out.push_str(&escape(&r.path, false));
                out.push('\n');
            }
            Item::Folder(f) => plain(&f.items, out),
            Item::Broken(_) => {}
        }
    }
}

/// One line of the tree: the part before the name column, and the name.
struct Row {
    left: String,
    /// `left` with color codes, when colored (its width is `left`'s).
    left_colored: Option<String>,
    right: String,
}

fn tree(items: &[Item], indent: &str, color: bool, rows: &mut Vec<Row>) {
    for (i, item) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let branch = if last { "└── " } else { "├── " };
        let next = format!("{indent}{}", if last { "    " } else { "│   " });
        match item {
            Item::Folder(f) => {
                rows.push(Row {
                    left: format!("{indent}{branch}{}/", escape(last_segment(&f.path), false)),
                    left_colored: None,
                    right: escape(&f.name(), false),
                });
                tree(&f.items, &next, color, rows);
            }
            Item::Request(r) => {
                let name = r.name();
                let right = if name == last_segment(&r.path) {
                    String::new()
                } else {
                    escape(&name, false)
                };
                let path = escape(&r.path, false);
                rows.push(Row {
                    left: format!(
                        "{indent}{branch}{} {path}",
                        paint_method(&r.request.method, false)
                    ),
                    left_colored: color.then(|| {
                        format!(
                            "{indent}{branch}{} {path}",
                            paint_method(&r.request.method, true)
                        )
                    }),
                    right,
                });
            }
            Item::Broken(b) => {
                let plain_mark = "!error ";
                let left = format!("{indent}{branch}{plain_mark} {}", escape(&b.path, false));
                rows.push(Row {
                    left_colored: color.then(|| {
                        format!(
                            "{indent}{branch}\x1b[31m{plain_mark}\x1b[0m {}",
                            escape(&b.path, false)
                        )
                    }),
                    left,
                    right: escape(&b.diagnostic.message, false),
                });
            }
        }
    }
}

fn dim(s: &str, color: bool) -> String {
    if color && !s.is_empty() {
        format!("\x1b[2m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The method padded to a column, colored by kind as in most API clients.
pub fn paint_method(method: &str, color: bool) -> String {
    let m = escape(method, false);
    let padded = format!("{m:<7}");
    if !color {
        return padded;
    }
    let code = match method {
        "GET" => "32",
        "POST" => "33",
        "PUT" => "34",
        "PATCH" => "35",
        "DELETE" => "31",
        "HEAD" | "OPTIONS" => "36",
        _ => "37",
    };
    format!("\x1b[{code}m{padded}\x1b[0m")
}
