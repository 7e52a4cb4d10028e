//! `postie export curl REQUEST` and `postie export postman PATH`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::export;
use crate::prepare::{PrepareError, VarInputs, VarSources};
use crate::storage::{find_root, load_request_context, load_workspace, normalize_request_path};

use super::{exit, Failure};

#[derive(Debug, Args)]
pub struct ExportArgs {
    #[command(subcommand)]
    pub what: ExportCommand,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Print a request as a curl command (variables resolved, unless --raw)
    Curl {
        /// The request's path, e.g. `users/get-user`
        request: String,
        /// Environment to take variables from (default: as for `send`)
        #[arg(short, long, env = "POSTIE_ENV")]
        env: Option<String>,
        /// Set a variable (repeatable)
        #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
        vars: Vec<(String, String)>,
        /// Keep {{variables}} as they are; only the request's own headers and auth
        #[arg(long)]
        raw: bool,
    },
    /// Write a collection or folder as a .http file (JetBrains / VS Code)
    Http {
        /// The collection or folder path, e.g. `users`
        path: String,
        /// Write to FILE instead of standard output (file bodies are
        /// relative to the workspace root, so save it there)
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Write a collection or folder as a Postman Collection v2.1 file
    Postman {
        /// The collection or folder path, e.g. `users`
        path: String,
        /// Write to FILE instead of standard output
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected NAME=VALUE, got {s:?}")),
    }
}

pub fn run(args: ExportArgs, cwd: &Path) -> Result<(), Failure> {
    let root = find_root(cwd)?;
    match args.what {
        ExportCommand::Curl {
            request,
            env,
            vars,
            raw,
        } => {
            let cwd_abs = std::fs::canonicalize(cwd).unwrap_or_else(|_| cwd.to_path_buf());
            let path = normalize_request_path(&root, &cwd_abs, &request);
            let ctx = load_request_context(&root, &path)?;
            if raw {
                println!("{}", export::curl::to_curl_unresolved(&ctx.request));
                return Ok(());
            }
            let sources = VarSources {
                environment: super::send::environment_for(&root, &ctx.config, env.as_deref()),
                cli: vars,
                process_env: true,
            };
            let inputs = VarInputs::load(&root, &sources)?;
            match crate::pipeline::resolve_for_export(&ctx, &inputs) {
                Ok((p, complete)) => {
                    println!("{}", export::curl::to_curl(&p.request));
                    if !complete {
                        eprintln!(
                            "note: no OAuth 2.0 token is cached for {}: the command has none \
                             (send the request once, then export again)",
                            ctx.path
                        );
                    }
                    Ok(())
                }
                Err(PrepareError::Problems(problems)) => {
                    for p in &problems {
                        let d = p.diagnostic(&root);
                        let source = std::fs::read_to_string(root.join(&d.path)).ok();
                        eprint!("{}", d.render(source.as_deref()));
                    }
                    Err(Failure::new(
                        exit::INPUT,
                        format!(
                            "{} above (use --raw to keep {{{{variables}}}})",
                            match problems.len() {
                                1 => "1 problem".to_string(),
                                n => format!("{n} problems"),
                            }
                        ),
                    ))
                }
            }
        }
        ExportCommand::Http { path, output } => {
            let ws = load_workspace(&root)?;
            let text = export::http_file::export_collection(&ws, &path)
                .map_err(|e| Failure::new(exit::INPUT, e.to_string()))?;
            match output {
                Some(file) => {
                    let file = cwd.join(file);
                    crate::storage::atomic::write_atomic(&file, text.as_bytes()).map_err(|e| {
                        Failure::new(exit::INPUT, format!("cannot write {}: {e}", file.display()))
                    })?;
                }
                None => print!("{text}"),
            }
            Ok(())
        }
        ExportCommand::Postman { path, output } => {
            let ws = load_workspace(&root)?;
            let out = export::postman::export_collection(&ws, &path)
                .map_err(|e| Failure::new(exit::INPUT, e.to_string()))?;
            match output {
                Some(file) => {
                    let file = cwd.join(file);
                    crate::storage::atomic::write_atomic(&file, out.json.as_bytes()).map_err(
                        |e| {
                            Failure::new(
                                exit::INPUT,
                                format!("cannot write {}: {e}", file.display()),
                            )
                        },
                    )?;
                }
                None => print!("{}", out.json),
            }
            for n in &out.report.notes {
                let kind = match n.kind {
                    crate::import::NoteKind::Dropped => "not exported",
                    other => other.label(),
                };
                eprintln!(
                    "{kind}: {}: {} ({})",
                    crate::safe_text::escape(&n.item, false),
                    crate::safe_text::escape(&n.what, false),
                    crate::safe_text::escape(&n.why, false)
                );
            }
            Ok(())
        }
    }
}
