//! Effects: what `update` asks the outside world to do. `update` never does
//! I/O itself; the event loop performs these and feeds results back as
//! messages.

use std::path::PathBuf;

use crate::http::RequestId;
use crate::model::Request;
use crate::prepare::{VarInputs, VarSources};
use crate::storage::RequestContext;

#[derive(Debug, Clone)]
pub enum Effect {
    /// Run the request through the pipeline (scripts, resolve, auth,
    /// executor); its events come back as `Msg::Exec`, the record as
    /// `Msg::Exchanged`. `inputs` are the variables the app holds (`None`
    /// if not loaded yet: the task loads them, off the UI loop).
    SendRequest {
        id: RequestId,
        context: Box<RequestContext>,
        inputs: Option<Box<VarInputs>>,
        sources: VarSources,
        /// Fetch a new OAuth 2.0 token instead of the cached one.
        fresh_token: bool,
    },
    CancelRequest(RequestId),
    /// Hand a redirect URL the user pasted to the OAuth 2.0 code grant
    /// waiting for one.
    SubmitRedirect(String),
    /// Read the cached OAuth 2.0 token of the request (after forgetting
    /// it, with `forget`); a line about it comes back as
    /// `Msg::TokenStatus`.
    TokenStatus {
        path: String,
        context: Box<RequestContext>,
        inputs: Box<VarInputs>,
        forget: bool,
    },
    /// Write what scripts set in `environment` to its file (plain values)
    /// and the secrets file (secrets); the result comes back as
    /// `Msg::ScriptVarsSaved`.
    SaveScriptVars {
        environment: String,
        changes: std::collections::BTreeMap<String, Option<serde_json::Value>>,
    },
    /// Read the environment, its secrets and `POSTIE_VAR_*`, once; they
    /// come back as `Msg::VarsLoaded`.
    LoadVars(VarSources),
    /// Save a request (and its sidecars) to `<dir>/<stem>.json`.
    SaveRequest {
        path: String,
        dir: PathBuf,
        stem: String,
        request: Box<Request>,
    },
    /// Suspend the app, edit `text` in `$EDITOR` (a temp file with
    /// `extension`), resume; the result comes back as `Msg::ExternalEdited`.
    EditExternally {
        target: EditTarget,
        text: String,
        extension: String,
    },
    /// Resolve the request and copy it as a curl command.
    CopyAsCurl {
        context: Box<RequestContext>,
        inputs: Box<VarInputs>,
    },
    /// Put text on the clipboard with OSC 52 (works over SSH and in tmux).
    Copy(String),
    /// Write bytes to a file (save a response body).
    WriteFile {
        path: PathBuf,
        bytes: Vec<u8>,
    },
    /// Re-read the workspace tree from disk.
    ReloadWorkspace,
    /// The first load: like `ReloadWorkspace`, but a big workspace's first
    /// collections are shown while the rest loads.
    LoadWorkspace,
    /// Suspend the app, run `$EDITOR` on this file, resume and reload.
    EditFile(PathBuf),
    /// Ask git which files are modified or untracked.
    RefreshGitStatus,
    /// Remember the environment chosen (`None`: no environment) in
    /// `.postie/state.json`, for the next start and `postie send`.
    RememberEnvironment(Option<String>),
    /// Move, rename, duplicate, delete a request or make a folder.
    FileOp(FileOp),
    /// Import `file` (its format guessed as `postie import` does) as a new
    /// collection, off the UI thread; the report comes back as
    /// `Msg::FileOpDone`, which reloads the workspace.
    Import {
        file: String,
    },
    /// Write the collection, folder or request at `source` to `file` as
    /// `format`; an existing file is never overwritten.
    Export {
        source: String,
        format: ExportFormat,
        file: String,
    },
    /// Suspend the app, run `$VISUAL`/`$EDITOR` on the workspace's folder,
    /// resume and reload (the event loop does it: it owns the terminal).
    EditWorkspace,
    /// Run `plan` through the runner on the app's pipeline; its events
    /// come back as `Msg::Run`, tagged with `run`.
    StartRun {
        run: u64,
        plan: Box<crate::runner::Plan>,
        setup: Box<crate::runner::Setup>,
    },
    /// Stop run `run` (what it reported stays; its summary comes back).
    CancelRun(u64),
    /// Run the jq `filter` on a pane's JSON `body`, off the UI loop; the
    /// output comes back as `Msg::JqDone` (newer asks of a pane replace
    /// older ones still queued).
    RunJq {
        pane: Option<String>,
        generation: u64,
        filter: String,
        body: std::sync::Arc<Vec<u8>>,
    },
    /// List history entries matching `filter`, newest first; they come
    /// back as `Msg::HistoryListed` tagged with `generation`.
    ListHistory {
        generation: u64,
        filter: crate::history::Filter,
    },
    /// Read one history record (`Msg::HistoryRecord`), to show in its
    /// request's response pane; `position` is its place among the
    /// request's exchanges, when known.
    OpenHistory {
        id: String,
        position: Option<(usize, usize)>,
    },
    /// Diff two history records, `old` then `new` (`Msg::HistoryDiff`).
    DiffHistory {
        old: String,
        new: String,
    },
    /// Show the exchange of `request` before (`older`) or after the one
    /// with id `from` (the newest when `None`), as `OpenHistory` does.
    StepHistory {
        request: String,
        from: Option<String>,
        older: bool,
    },
    Quit,
}

/// What an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// A collection or folder as a Postman Collection v2.1 file.
    Postman,
    /// A collection or folder as one `.http` file.
    Http,
    /// A request as a curl command, `{{variables}}` kept (a file must not
    /// hold resolved secrets).
    Curl,
}

impl ExportFormat {
    /// A file name to start from, for the item named `stem`.
    pub fn default_file(self, stem: &str) -> String {
        match self {
            ExportFormat::Postman => format!("{stem}.postman_collection.json"),
            ExportFormat::Http => format!("{stem}.http"),
            ExportFormat::Curl => format!("{stem}.sh"),
        }
    }
}

impl std::fmt::Display for ExportFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ExportFormat::Postman => "Postman v2.1",
            ExportFormat::Http => ".http file",
            ExportFormat::Curl => "curl command",
        })
    }
}

/// Which text an external edit replaces when it comes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTarget {
    Body,
    PreRequest,
    Test,
    Description,
    GraphQlVariables,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOp {
    NewRequest {
        dir: PathBuf,
        stem: String,
        name: String,
    },
    NewFolder {
        dir: PathBuf,
    },
    /// A collection at the workspace root, for a display name.
    NewCollection {
        name: String,
    },
    Rename {
        dir: PathBuf,
        from: String,
        to: String,
    },
    Move {
        from_dir: PathBuf,
        stem: String,
        to_dir: PathBuf,
    },
    Duplicate {
        dir: PathBuf,
        from: String,
        to: String,
    },
    Delete {
        dir: PathBuf,
        stem: String,
    },
}
