//! `postie import [FORMAT] FILE [--into PATH] [--dry-run]`.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::import::{self, Format, Import, ImportedItem, NoteKind, Written};
use crate::safe_text::escape;
use crate::storage::find_root;

use super::{exit, Failure};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// [FORMAT] FILE: FORMAT is one of postman, postman-env, curl, openapi,
    /// http, har (guessed from the file when left out); FILE may be `-` for
    /// standard input
    #[arg(value_name = "[FORMAT] FILE", num_args = 1..=2, required = true)]
    pub args: Vec<String>,
    /// Import into this collection or folder (`coll` or `coll/a/b`) as a
    /// new folder instead of as a new collection; what does not exist yet
    /// is made
    #[arg(long, value_name = "PATH")]
    pub into: Option<String>,
    /// Show what would be imported; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// HAR: keep only requests to this host
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// HAR: drop images, stylesheets, scripts and fonts
    #[arg(long)]
    pub drop_static: bool,
}

pub fn run(args: ImportArgs, cwd: &Path) -> Result<(), Failure> {
    let (format, file) = match args.args.as_slice() {
        [file] => (None, file.clone()),
        [format, file] => {
            let f = Format::from_name(format).ok_or_else(|| {
                Failure::new(
                    exit::USAGE,
                    format!(
                        "unknown format {format:?} (formats: {})",
                        Format::NAMES.join(", ")
                    ),
                )
            })?;
            (Some(f), file.clone())
        }
        _ => return Err(Failure::new(exit::USAGE, "expected [FORMAT] FILE")),
    };
    // Bruno (.bru or OpenCollection YAML) and Postman v3 collections are folders.
    let dir = cwd.join(&file);
    if file != "-" && dir.is_dir() {
        // A YAML collection is told by its opencollection.yml first: one
        // may keep a bruno.json beside it.
        let (format, parsed) = if import::opencollection::is_dir(&dir) {
            (
                import::Format::OpenCollection,
                import::opencollection::parse_dir(&dir),
            )
        } else if dir.join("bruno.json").is_file() {
            (import::Format::Bruno, import::bruno::parse_dir(&dir))
        } else if import::postman::is_v3_dir(&dir) {
            (import::Format::Postman, import::postman::parse_v3_dir(&dir))
        } else {
            return Err(Failure::new(
                exit::INPUT,
                format!(
                    "{file} is a folder but no Bruno collection (no bruno.json or \
                     opencollection.yml) and no Postman v3 collection (no \
                     .resources/definition.yaml or *.request.yaml); give a file"
                ),
            ));
        };
        let imported = parsed.map_err(|e| Failure::new(exit::INPUT, format!("{file}: {e}")))?;
        return finish(&args, cwd, &file, format, imported);
    }
    let (path, bytes) = if file == "-" {
        let mut b = Vec::new();
        std::io::stdin()
            .read_to_end(&mut b)
            .map_err(|e| Failure::new(exit::INPUT, format!("reading standard input: {e}")))?;
        (PathBuf::from("-"), b)
    } else {
        let p = cwd.join(&file);
        let b = std::fs::read(&p)
            .map_err(|e| Failure::new(exit::INPUT, format!("cannot read {file}: {e}")))?;
        (p, b)
    };
    let text = import::text::decode_input(&bytes);
    let format = match format {
        Some(f) => f,
        None => import::identify(&path, &file, &text)
            .map_err(|e| Failure::new(exit::INPUT, e.to_string()))?,
    };
    let parsed = if format == import::Format::Har {
        let options = import::har::HarOptions {
            host: args.host.clone(),
            drop_static: args.drop_static,
        };
        import::har::parse(&text, &options)
    } else {
        import::parse(format, &path, &text)
    };
    let imported = parsed.map_err(|e| Failure::new(exit::INPUT, format!("{file}: {e}")))?;
    finish(&args, cwd, &file, format, imported)
}

/// Writes (or with `--dry-run` plans) what was parsed, and reports it.
fn finish(
    args: &ImportArgs,
    cwd: &Path,
    file: &str,
    format: Format,
    imported: Import,
) -> Result<(), Failure> {
    if args.dry_run {
        // In a workspace, the plan names what would move into secrets.
        let plan = find_root(cwd)
            .ok()
            .and_then(|root| import::plan_import(&root, &imported, args.into.as_deref()).ok());
        let w = plan.clone().unwrap_or_else(|| planned(&imported));
        println!("dry run: nothing written. Would import from {file} ({format}):");
        print_counts(&w);
        for c in &w.created {
            println!("  would make {} for it", escape(c, false));
        }
        if let Some(plan) = &plan {
            print_notes(&plan.report);
        }
    } else {
        let root = find_root(cwd)?;
        let w = import::write_import(&root, &imported, args.into.as_deref())?;
        println!("imported {file} ({format}):");
        print_counts(&w);
        for c in &w.created {
            println!("  made {} for it", escape(c, false));
        }
        for r in &w.roots {
            println!("  into {}", escape(r, false));
        }
        print_notes(&w.report);
    }
    print_notes(&imported.report);
    Ok(())
}

/// What `write_import` would count, without writing.
fn planned(imp: &Import) -> Written {
    fn walk(items: &[ImportedItem], w: &mut Written) {
        for it in items {
            match it {
                ImportedItem::Folder(f) => {
                    w.folders += 1;
                    w.variables += f.folder.variables.0.len();
                    w.scripts += scripts(&f.folder.pre_request, &f.folder.test);
                    walk(&f.items, w);
                }
                ImportedItem::Request(r) => {
                    w.requests += 1;
                    w.scripts += scripts(&r.pre_request, &r.test);
                }
            }
        }
    }
    fn scripts(pre: &Option<String>, test: &Option<String>) -> usize {
        let n = |s: &Option<String>| usize::from(s.as_deref().is_some_and(|s| !s.is_empty()));
        n(pre) + n(test)
    }
    let mut w = Written::default();
    for c in &imp.collections {
        w.collections += 1;
        w.variables += c.folder.variables.0.len();
        w.scripts += scripts(&c.folder.pre_request, &c.folder.test);
        walk(&c.items, &mut w);
    }
    for e in &imp.environments {
        w.environments += 1;
        w.variables += e.environment.variables.0.len();
    }
    w
}

fn print_counts(w: &Written) {
    println!("  {}", w.counts());
}

/// Every note, grouped by kind and reason.
fn print_notes(report: &import::Report) {
    let mut groups: BTreeMap<(NoteKind, &str), Vec<String>> = BTreeMap::new();
    for n in &report.notes {
        groups
            .entry((n.kind, n.why.as_str()))
            .or_default()
            .push(format!("{}: {}", n.item, n.what));
    }
    for ((kind, why), items) in groups {
        let label = kind.label();
        println!("{label} ({}): {}", items.len(), escape(why, false));
        for i in items {
            println!("  {}", escape(&i, false));
        }
    }
}
