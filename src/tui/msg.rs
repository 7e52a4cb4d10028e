//! Messages: everything that can happen to the app, as facts. Terminal
//! events, executor events, file changes and the results of effects all
//! become one of these before `App::update` sees them.

use std::collections::HashMap;
use std::path::PathBuf;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::http::{self, RequestId};
use crate::storage::{StorageError, Workspace};

use super::components::response::problems::SendProblem;
use super::effect::EditTarget;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Mouse(MouseEvent),
    Resize(u16, u16),
    WorkspaceLoaded(Result<Box<Workspace>, StorageError>),
    /// A workspace with what the loader made beside it: work too slow for
    /// `update` on a big workspace.
    WorkspaceRead(Box<LoadedWorkspace>),
    /// The first collections of a big workspace while the rest loads
    /// (start-up only); a `WorkspaceLoaded` with all of it follows.
    WorkspacePart(Box<LoadedWorkspace>),
    /// Progress of a request in flight (head, bytes received).
    Exec(http::Event),
    /// OAuth 2.0 needs the user for send `id`.
    OAuth {
        id: http::RequestId,
        prompt: crate::oauth2::Prompt,
    },
    /// What the token cache holds for request `path` (`None`: the request
    /// does not use OAuth 2.0).
    TokenStatus {
        path: String,
        status: Option<String>,
    },
    /// A send is over: the pipeline's record of it, and its prepare
    /// problems placed in their files (read off the UI loop).
    Exchanged {
        id: RequestId,
        exchange: Box<crate::exchange::Exchange>,
        problems: Vec<SendProblem>,
        /// The history record it was kept as (`None`: history is off).
        history_id: Option<String>,
    },
    FilesChanged(Vec<PathBuf>),
    VarsLoaded(Result<Box<crate::prepare::VarInputs>, StorageError>),
    ScriptVarsSaved {
        environment: String,
        result: Result<crate::storage::env_changes::Saved, StorageError>,
    },
    /// `git status --porcelain -z` output, paths relative to the workspace.
    GitStatus(Vec<u8>),
    ExternalEdited {
        target: EditTarget,
        result: Result<String, String>,
    },
    Saved {
        path: String,
        result: Result<(), StorageError>,
    },
    /// A file operation finished; `select` is the path to show after reload.
    FileOpDone {
        result: Result<String, String>,
        select: Option<String>,
    },
    /// A status line from the outside world (clipboard, file written).
    Info(String),
    Error(String),
    /// The spinner's beat, only while requests are in flight.
    Tick,
    /// A collection run's event (see `components::runner::feed`).
    Run(Box<super::components::runner::RunUpdate>),
    /// Time for a slice of background work (a search over a big body),
    /// only while there is some; input always goes first.
    Work,
    /// History entries for the history view's listing `generation`, and
    /// how many unreadable lines were skipped.
    HistoryListed {
        generation: u64,
        result: Result<Vec<crate::history::Entry>, String>,
        warnings: usize,
    },
    /// A history record to show, and its place among its request's
    /// exchanges (1 = the newest) when known.
    HistoryRecord {
        result: Result<Box<crate::history::Record>, String>,
        position: Option<(usize, usize)>,
    },
    /// A pane's jq filter ran: its output, or why not.
    JqDone {
        pane: Option<String>,
        generation: u64,
        result: Result<String, crate::jq::JqError>,
    },
    /// A diff of two history records: its title and lines.
    HistoryDiff(Result<(String, Vec<crate::history::diff_text::Line>), String>),
}

/// A whole workspace read by the loader, with what it made beside it so
/// `update` need not: the disk's version of each request (a clone of every
/// one) and the tree's rows.
#[derive(Debug)]
pub struct LoadedWorkspace {
    pub workspace: Workspace,
    pub disk: HashMap<String, crate::model::Request>,
    pub rows: Vec<super::components::tree::Node>,
}

impl LoadedWorkspace {
    pub fn new(workspace: Workspace) -> LoadedWorkspace {
        LoadedWorkspace {
            disk: super::app::disk_versions(&workspace),
            rows: super::components::tree::rows(&workspace),
            workspace,
        }
    }
}
