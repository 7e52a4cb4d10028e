//! The shape every pane has: its own state, its keys (a keymap context and
//! the actions it handles), and a render that only reads state.

use ratatui::layout::Rect;
use ratatui::Frame;

use super::action::{Action, KeyContext};
use super::effect::{Effect, ExportFormat};
use super::keymap::Keymap;
use super::theme::Theme;

/// Whether a pane used an action or passes it to its parent, then to
/// the global handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Done,
    Bubble,
}

/// What a pane may do while handling an action: ask for effects and say
/// something in the status line.
#[derive(Debug, Default)]
pub struct Cx {
    pub effects: Vec<Effect>,
    pub status: Option<Status>,
    /// Things only the app can act on (open a request, ask a question).
    pub notices: Vec<Notice>,
}

/// A pane telling the app something it cannot do itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    OpenRequest(String),
    /// Ask for a name, then create/rename/duplicate/move.
    AskName {
        purpose: NamePurpose,
        initial: String,
    },
    ConfirmDelete {
        path: String,
    },
    /// The palette chose a command.
    RunAction(Action),
    /// The environment switcher chose one (`None`: no environment).
    SelectEnvironment(Option<String>),
    /// Write what scripts set in the current environment to its files.
    SaveScriptVars,
    /// A dialog was answered.
    Answer(Answer),
    /// An overlay closed itself.
    CloseOverlay,
    /// A file that could not be read (a merge conflict, a typo) was
    /// chosen: offer to open it in `$EDITOR`.
    OfferEdit {
        file: std::path::PathBuf,
        message: String,
    },
    /// Keep the shown response as an example of request `path`.
    SaveExample {
        path: String,
        example: ExampleDraft,
    },
    /// Show a script of the open request in the editor, at a line (a
    /// script error), or at a failed test's `pm.test`.
    OpenScript {
        /// Relative to the workspace: `users/get.test.js`.
        file: std::path::PathBuf,
        line: Option<u32>,
        column: Option<u32>,
        test: Option<String>,
    },
}

/// What a dialog's answer asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Name {
        purpose: NamePurpose,
        name: String,
    },
    Delete {
        path: String,
    },
    SaveAllAndQuit,
    DiscardAndQuit,
    /// The file changed on disk while edited: take the disk's version.
    TakeDisk {
        path: String,
    },
    /// ... or keep the edits (saving will overwrite the disk's version).
    KeepMine {
        path: String,
    },
    /// Open this workspace file (relative to the root) in `$EDITOR`.
    EditFile {
        file: std::path::PathBuf,
    },
    /// Export the collection or folder at `path` as `format` (a file name
    /// is asked next).
    ExportAs {
        path: String,
        format: ExportFormat,
    },
}

/// A response to keep as an example, before it has a name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleDraft {
    pub status: u16,
    pub reason: String,
    pub content_type: Option<String>,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamePurpose {
    /// In the folder or collection at this workspace path.
    NewRequest {
        parent: String,
    },
    NewFolder {
        parent: String,
    },
    Rename {
        path: String,
    },
    Duplicate {
        path: String,
    },
    /// Move the request to another folder (the name is the folder path).
    Move {
        path: String,
    },
    /// The file to import (the name is its path).
    Import,
    /// The file to export `path` to, as `format`.
    Export {
        path: String,
        format: ExportFormat,
    },
    /// The name of an example of `path` (the response the app holds in
    /// `pending_example`).
    Example {
        path: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub is_error: bool,
}

impl Cx {
    pub fn effect(&mut self, e: Effect) {
        self.effects.push(e);
    }

    pub fn notice(&mut self, n: Notice) {
        self.notices.push(n);
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            is_error: true,
        });
    }
}

/// What drawing borrows: the theme, whether the pane has focus, the keymap
/// (for hints).
pub struct DrawCx<'a> {
    pub theme: &'a Theme,
    pub focused: bool,
    pub keymap: &'a Keymap,
}

/// A key as a pane sees it: an action it may handle, or (in a text
/// context) a raw key for a text box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Action(Action),
    Key(crossterm::event::KeyEvent),
    Paste(String),
}

pub trait Component {
    /// The keymap table used while this pane has focus.
    fn context(&self) -> KeyContext;

    /// Actions this pane handles in its current state (help and palette
    /// are built from these, never typed by hand).
    fn actions(&self) -> Vec<Action>;

    fn handle(&mut self, input: &Input, cx: &mut Cx) -> Flow;

    /// Render; reads state only.
    fn draw(&self, frame: &mut Frame, area: Rect, dcx: &DrawCx);
}
