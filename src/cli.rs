//! The command line: clap arguments, dispatch, and exit codes.
//!
//! Exit codes (documented in `docs/cli.md`):
//! 0 success (any HTTP status), 1 error in the workspace, a file or a
//! variable, 2 bad usage, 3 could not connect (DNS, refused, unreachable),
//! 4 TLS, 5 timeout, 6 too many redirects, 7 other HTTP or I/O failure,
//! 8 a test failed, 9 secrets found in committed files, 130 interrupted.

mod check;
mod completions;
mod echo;
mod export;
mod history;
mod import;
mod init;
mod ls;
mod new;
mod oauth_prompt;
mod output;
mod run;
mod send;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use send::SendArgs;

/// `--help`'s examples, as (command, what it does): laid out in two
/// aligned columns by [`examples`], so they cannot drift apart.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "postie init my-api",
        "make a workspace with an example request",
    ),
    ("postie echo &", "start the echo server the examples use"),
    ("postie ls", "show the collection tree"),
    (
        "postie send example/hello -i",
        "send a request, show status and headers",
    ),
    (
        "postie send example/hello -e local",
        "choose the environment for this send",
    ),
    (
        "postie send example/hello --json",
        "print request and response as JSON",
    ),
    (
        "postie run users --env local",
        "run a collection and its tests",
    ),
    (
        "postie run api.json -e env.json",
        "run a Postman collection as newman does",
    ),
    (
        "postie history diff users/get-user",
        "what changed in its last two responses",
    ),
    ("postie new collection users", "make a collection"),
    ("postie new request users/get-user", "make a request in it"),
];

fn examples() -> String {
    let width = EXAMPLES.iter().map(|(c, _)| c.len()).max().unwrap_or(0);
    let mut out = String::from("Examples:");
    for (command, what) in EXAMPLES {
        out.push_str(&format!("\n  {command:<width$}  {what}"));
    }
    out
}

#[derive(Debug, Parser)]
#[command(
    name = "postie",
    version,
    about = "A keyboard-driven API client for the terminal, with git-friendly collections",
    long_about = "postie keeps API requests as plain JSON files in your project (one request \
per file, bodies and scripts beside them), so teams review and version them in git.\n\n\
Run it inside a workspace (a directory with postie.json, found by walking up like git \
finds .git) or point it at one with -C.",
    after_help = examples()
)]
pub struct Cli {
    /// Run as if started in DIR (where the workspace is looked for)
    #[arg(
        short = 'C',
        long = "workspace",
        value_name = "DIR",
        global = true,
        env = "POSTIE_WORKSPACE"
    )]
    pub workspace: Option<PathBuf>,

    /// Log to .postie/logs/postie.log (outside a workspace, the user's
    /// state directory) at LEVEL: off, error, warn (default), info, debug
    /// or trace; never to the terminal
    #[arg(long, value_name = "LEVEL", global = true, env = "POSTIE_LOG")]
    pub log_level: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the workspace in the full-screen app (what `postie` alone does)
    Open(OpenArgs),
    /// Make a new workspace: postie.json, an example collection, .gitignore
    Init(init::InitArgs),
    /// Make a collection or a request (never over an existing file)
    New(new::NewArgs),
    /// List collections, folders and requests
    Ls(ls::LsArgs),
    /// Send one request and print the response body
    Send(SendArgs),
    /// Run a collection, folder or Postman collection file with its tests
    /// (newman's options and reports)
    Run(Box<run::RunArgs>),
    /// Run a local HTTP server that echoes every request back as JSON
    Echo(echo::EchoArgs),
    /// Look for secrets in the files a commit would take (secret variables'
    /// values, tokens, keys, passwords); exit 9 when any is found
    Check(check::CheckArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(completions::CompletionsArgs),
    /// Import a Postman collection or environment, curl commands, OpenAPI, .http or HAR
    Import(import::ImportArgs),
    /// Export a request as curl, or a collection as Postman v2.1
    Export(export::ExportArgs),
    /// List, show and diff past exchanges (kept in .postie/history/)
    History(history::HistoryArgs),
}

#[derive(Debug, clap::Args, Default)]
pub struct OpenArgs {
    /// Directory to open (the workspace is found at or above it)
    pub dir: Option<PathBuf>,
    /// Environment to start with (default: the last chosen here, else
    /// postie.json's default_environment, else none)
    #[arg(short, long, env = "POSTIE_ENV")]
    pub env: Option<String>,
}

/// Exit codes, one per kind of failure a script may want to tell apart.
pub mod exit {
    pub const OK: u8 = 0;
    pub const INPUT: u8 = 1;
    pub const USAGE: u8 = 2;
    pub const CONNECT: u8 = 3;
    pub const TLS: u8 = 4;
    pub const TIMEOUT: u8 = 5;
    pub const REDIRECTS: u8 = 6;
    pub const HTTP: u8 = 7;
    /// A response arrived, but a test failed or a script threw.
    pub const TESTS: u8 = 8;
    /// `postie check` (or the check `postie run` starts with) found
    /// something that looks like a secret in a committed file.
    pub const SECRETS: u8 = 9;
    pub const INTERRUPTED: u8 = 130;
}

/// An error already reported (or to report) with its exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: Option<String>,
}

impl Failure {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: Some(message.into()),
        }
    }

    /// The details went to stderr already.
    pub fn silent(code: u8) -> Self {
        Failure {
            code,
            message: None,
        }
    }
}

impl From<crate::storage::StorageError> for Failure {
    fn from(e: crate::storage::StorageError) -> Self {
        Failure::new(exit::INPUT, e.to_string())
    }
}

/// The full-screen app; without a terminal (a pipe), the tree instead.
fn open(args: OpenArgs, cwd: &std::path::Path) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let dir = match &args.dir {
        Some(d) => cwd.join(d),
        None => cwd.to_path_buf(),
    };
    let root = crate::storage::find_root(&dir)?;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return ls::run(
            ls::LsArgs {
                path: None,
                plain: false,
            },
            &root,
        );
    }
    crate::tui::run(&root, args.env).map_err(|e| Failure::new(exit::HTTP, format!("{e:#}")))
}

/// Starts the log file at `--log-level` (or `POSTIE_LOG`): the workspace's
/// state folder when there is a workspace here (for the app: at the
/// directory it opens), else the user's state directory.
fn start_logs(cli: &Cli, cwd: &std::path::Path) -> Result<(), Failure> {
    use crate::telemetry::logs;
    let level = match cli.log_level.as_deref() {
        Some(l) => logs::parse_level(l).map_err(|e| Failure::new(exit::USAGE, e))?,
        None => logs::DEFAULT_LEVEL,
    };
    if level == tracing_subscriber::filter::LevelFilter::OFF {
        return Ok(());
    }
    let dir = match &cli.command {
        Some(Command::Open(OpenArgs { dir: Some(d), .. })) => cwd.join(d),
        _ => cwd.to_path_buf(),
    };
    let root = crate::storage::find_root(&dir).ok();
    if let Some(file) = logs::log_file(root.as_deref()) {
        logs::init(file, level);
    }
    Ok(())
}

pub fn run(cli: Cli) -> ExitCode {
    let cwd = match cli.workspace.clone() {
        Some(dir) => dir,
        None => PathBuf::from("."),
    };
    if let Err(f) = start_logs(&cli, &cwd) {
        if let Some(m) = f.message {
            eprintln!("error: {}", crate::safe_text::escape(&m, true));
        }
        return ExitCode::from(f.code);
    }
    let result = match cli.command {
        Some(Command::Init(a)) => init::run(a, &cwd),
        Some(Command::New(a)) => new::run(a, &cwd),
        Some(Command::Ls(a)) => ls::run(a, &cwd),
        Some(Command::Send(a)) => send::run(a, &cwd),
        Some(Command::Run(a)) => run::run(*a, &cwd),
        Some(Command::Echo(a)) => echo::run(a),
        Some(Command::Completions(a)) => completions::run(a),
        Some(Command::Check(a)) => check::run(a, &cwd),
        Some(Command::Open(a)) => open(a, &cwd),
        Some(Command::Import(a)) => import::run(a, &cwd),
        Some(Command::Export(a)) => export::run(a, &cwd),
        Some(Command::History(a)) => history::run(a, &cwd),
        None => open(OpenArgs::default(), &cwd),
    };
    match result {
        Ok(()) => ExitCode::from(exit::OK),
        Err(f) => {
            if let Some(m) = f.message {
                eprintln!("error: {}", crate::safe_text::escape(&m, true));
            }
            ExitCode::from(f.code)
        }
    }
}
