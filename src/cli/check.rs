//! `postie check`: secrets in the files a commit would take, one line per
//! finding, never the secret itself. Also run by `postie run` first.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::json;

use crate::check::{self, Finding, Options};
use crate::prepare::ENV_VAR_PREFIX;
use crate::safe_text::escape;
use crate::storage::find_root;

use super::{exit, Failure};

#[derive(Debug, Args)]
#[command(after_help = "\
Exit codes: 0 nothing found; 9 something found; 1 no workspace, a bad path or \
an unreadable file; 2 bad usage. As a git pre-commit hook (.git/hooks/pre-commit):
  #!/bin/sh
  exec postie check --staged")]
pub struct CheckArgs {
    /// A folder or file of the workspace to check (default: all of it)
    pub path: Option<PathBuf>,
    /// Print the findings as JSON
    #[arg(long)]
    pub json: bool,
    /// Check what is staged for the next commit (the git index), not the
    /// files as they are
    #[arg(long)]
    pub staged: bool,
}

/// `POSTIE_VAR_*` of this process, prefix removed.
fn process_vars() -> Vec<(String, String)> {
    std::env::vars_os()
        .filter_map(|(k, v)| {
            let k = k.to_str()?.strip_prefix(ENV_VAR_PREFIX)?.to_string();
            Some((k, v.to_str()?.to_string()))
        })
        .collect()
}

/// The checked workspace's findings, or the failure to report.
pub fn findings(root: &Path, dir: &Path, staged: bool) -> Result<check::Report, Failure> {
    let options = Options {
        staged,
        process_vars: process_vars(),
    };
    check::check(root, dir, &options).map_err(|e| {
        let code = match e {
            check::CheckError::NoRepository => exit::USAGE,
            _ => exit::INPUT,
        };
        Failure::new(code, e.to_string())
    })
}

/// `file:line:col: kind: excerpt`, escaped for the terminal.
pub fn line(f: &Finding) -> String {
    escape(
        &format!(
            "{}:{}:{}: {}: {}",
            f.file, f.line, f.column, f.kind, f.excerpt
        ),
        false,
    )
}

pub fn summary(report: &check::Report) -> String {
    let n = report.findings.len();
    let mut files: Vec<&str> = report.findings.iter().map(|f| f.file.as_str()).collect();
    files.dedup();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if n == 0 {
        format!(
            "no secrets found in {}",
            plural(report.files_checked, "file", "files")
        )
    } else {
        format!(
            "{} in {} ({} checked); keep secrets in secret variables (docs/secrets.md)",
            plural(n, "possible secret", "possible secrets"),
            plural(files.len(), "file", "files"),
            report.files_checked
        )
    }
}

fn to_json(report: &check::Report) -> serde_json::Value {
    let findings: Vec<serde_json::Value> = report
        .findings
        .iter()
        .map(|f| {
            json!({
                "file": f.file,
                "line": f.line,
                "column": f.column,
                "kind": f.kind.code(),
                "message": f.kind.to_string(),
                "excerpt": f.excerpt,
            })
        })
        .collect();
    json!({ "findings": findings, "files_checked": report.files_checked })
}

pub fn run(args: CheckArgs, cwd: &Path) -> Result<(), Failure> {
    let target = match &args.path {
        Some(p) => cwd.join(p),
        None => cwd.to_path_buf(),
    };
    let target = std::fs::canonicalize(&target).map_err(|e| {
        Failure::new(
            exit::INPUT,
            format!("{}: {e}", escape(&target.display().to_string(), false)),
        )
    })?;
    let start = if target.is_file() {
        target.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        target.clone()
    };
    let root = find_root(&start)?;
    // Without a PATH, the whole workspace wherever in it postie runs.
    let dir = if args.path.is_some() {
        target
    } else {
        root.clone()
    };
    let report = findings(&root, &dir, args.staged)?;
    if args.json {
        println!("{}", to_json(&report));
    } else {
        for f in &report.findings {
            println!("{}", line(f));
        }
        // stdout holds only findings, for tools that read the lines.
        eprintln!("{}", summary(&report));
    }
    if report.findings.is_empty() {
        Ok(())
    } else {
        Err(Failure::silent(exit::SECRETS))
    }
}
