//! Actions: what a key means. Keymaps bind key sequences to these names
//! (snake_case in the TOML files); panes handle them.

use serde::Deserialize;

/// Declares [`Action`] and [`Action::ALL`] from one list, so the palette
/// and the help tests see every action without a hand-kept copy.
macro_rules! actions {
    ($($variant:ident,)*) => {
        /// Every action a user can bind. Names are the snake_case verbs used in
        /// `keymaps/*.toml`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, PartialOrd, Ord)]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $($variant,)*
        }

        impl Action {
            /// Every action, in declaration order.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];
        }
    };
}

actions! {
    // global
    Quit,
    Send,
    Cancel,
    CancelAll,
    Save,
    FocusNext,
    FocusPrev,
    FocusTree,
    FocusEditor,
    FocusResponse,
    ToggleZoom,
    Help,
    Palette,
    SwitchEnv,
    SwitchTheme,
    SaveAll,
    NewCollection,
    Import,
    Export,
    EditWorkspace,
    // runs (the runner view)
    Run,
    ShowRun,
    // history (the history view) and past exchanges in the response
    History,
    Mark,
    Diff,
    ToggleScope,
    OlderExchange,
    NewerExchange,
    // movement, shared by every list-like pane
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Select,
    Back,
    // tree
    Expand,
    Collapse,
    Filter,
    NewRequest,
    NewFolder,
    Rename,
    Duplicate,
    Delete,
    Move,
    // editor
    NextTab,
    PrevTab,
    Edit,
    ToggleRow,
    AddRow,
    DeleteRow,
    ExternalEditor,
    ShowResolved,
    CycleMethod,
    CopyAsCurl,
    FetchToken,
    ForgetToken,
    // response
    Search,
    SearchNext,
    SearchPrev,
    ToggleWrap,
    ToggleRaw,
    Copy,
    SaveBody,
    OpenScriptError,
    JqFilter,
    SaveExample,
}

impl Action {
    /// What the action does, in a few words, for the palette, the footer
    /// and the help overlay (see [`Action::describe_in`] for a pane's own
    /// wording).
    pub fn describe(self) -> &'static str {
        use Action::*;
        match self {
            Quit => "quit postie (asks about unsaved edits)",
            Send => "send the open request",
            Cancel => "cancel the open request's send",
            CancelAll => "cancel every send in flight (and a running collection run)",
            Save => "save the open request",
            FocusNext => "focus the next pane",
            FocusPrev => "focus the previous pane",
            FocusTree => "focus the collection tree",
            FocusEditor => "focus the request editor",
            FocusResponse => "focus the response pane",
            ToggleZoom => "zoom the pane to full screen, or back",
            Help => "show every key",
            Palette => "open the command palette",
            SwitchEnv => "choose the environment",
            SwitchTheme => "switch between the dark and light themes",
            SaveAll => "save every request with unsaved edits",
            NewCollection => "make a new collection (a top-level folder)",
            Import => "import a file (Postman, curl, HAR, OpenAPI, .http)",
            Export => "export the selected collection, folder or request",
            EditWorkspace => "open the workspace's folder in $EDITOR",
            Run => "run the selected collection or folder",
            ShowRun => "show the last run's results again",
            History => "browse past exchanges: reopen, filter, diff",
            Mark => "mark this exchange to diff against another",
            Diff => "diff with the marked exchange, or the one before",
            ToggleScope => "show this request's exchanges, or all",
            OlderExchange => "show this request's previous exchange from history",
            NewerExchange => "show this request's next exchange from history",
            Up => "move up a row, or scroll up",
            Down => "move down a row, or scroll down",
            Left => "move or scroll left",
            Right => "move or scroll right",
            PageUp => "move or scroll up a page",
            PageDown => "move or scroll down a page",
            Top => "jump to the first row or line",
            Bottom => "jump to the last row or line",
            Select => "open or choose the selected item",
            Back => "leave: close, clear or unzoom",
            Expand => "expand the folder",
            Collapse => "collapse the folder, or go to its parent",
            Filter => "find a request by typing its name",
            NewRequest => "make a request in the selected folder",
            NewFolder => "make a folder in the selected folder",
            Rename => "rename the selected request",
            Duplicate => "copy the selected request under a new name",
            Delete => "delete the selected request (asks first)",
            Move => "move the selected request to another folder",
            NextTab => "show the next tab",
            PrevTab => "show the previous tab",
            Edit => "edit the selected field",
            ToggleRow => "enable or disable the selected row",
            AddRow => "add a row to the table",
            DeleteRow => "remove the selected row",
            ExternalEditor => "edit the text in $EDITOR",
            ShowResolved => "show the URL with variables resolved",
            CycleMethod => "change the HTTP method",
            CopyAsCurl => "copy the request as a curl command (OSC 52)",
            FetchToken => "send with a new OAuth 2.0 token (the cached one forgotten)",
            ForgetToken => "forget the cached OAuth 2.0 token",
            Search => "find text in the body",
            SearchNext => "go to the next match",
            SearchPrev => "go to the previous match",
            ToggleWrap => "wrap long lines, or not",
            ToggleRaw => "show the body raw or pretty",
            Copy => "copy the body (OSC 52)",
            SaveBody => "save the body to a file",
            OpenScriptError => "jump to the failing script line in the editor",
            JqFilter => "filter the JSON body with a jq expression, live",
            SaveExample => "save this response as an example of the request",
        }
    }

    /// What the action does where `ctx` is in force: the same key moves a
    /// row in the tree and scrolls the response.
    pub fn describe_in(self, ctx: KeyContext) -> &'static str {
        use Action::*;
        use KeyContext as C;
        match (ctx, self) {
            (C::Tree, Up) => "move up a row",
            (C::Tree, Down) => "move down a row",
            (C::Tree, PageUp) => "move up a page",
            (C::Tree, PageDown) => "move down a page",
            (C::Tree, Top) => "go to the first row",
            (C::Tree, Bottom) => "go to the last row",
            (C::Tree, Left) => "collapse, or go to the parent folder",
            (C::Tree, Right) => "expand, or open the request",
            (C::Tree, Select) => "open the request, or fold the folder",
            (C::Tree, Back) => "clear the filter",
            (C::Editor, Up) => "go to the field or row above",
            (C::Editor, Down) => "go to the field or row below",
            (C::Editor, Left) => "go to the field on the left",
            (C::Editor, Right) => "go to the field on the right",
            (C::Editor, Top) => "go to the first row or line",
            (C::Editor, Bottom) => "go to the last row or line",
            (C::Editor, Select) => "edit or choose the selected field",
            (C::Response, Up) => "scroll up a line",
            (C::Response, Down) => "scroll down a line",
            (C::Response, Left) => "scroll left",
            (C::Response, Right) => "scroll right",
            (C::Response, PageUp) => "scroll up a page",
            (C::Response, PageDown) => "scroll down a page",
            (C::Response, Top) => "scroll to the top",
            (C::Response, Bottom) => "scroll to the bottom",
            (C::Response, Back) => "clear the search",
            (C::Text, Back) => "stop typing",
            (C::Text, Select) => "confirm what was typed",
            (C::Text, ExternalEditor) => "edit the field in $EDITOR",
            (C::Palette, Up) => "highlight the previous entry",
            (C::Palette, Down) => "highlight the next entry",
            (C::Palette, Select) => "open the request or run the command",
            (C::Palette, Back) => "close without choosing",
            (C::Help, Up) => "scroll up a line",
            (C::Help, Down) => "scroll down a line",
            (C::Help, PageUp) => "scroll up a page",
            (C::Help, PageDown) => "scroll down a page",
            (C::Help, Top) => "scroll to the top",
            (C::Help, Bottom) => "scroll to the bottom",
            (C::Help, Back | Help) => "close this help",
            (C::Dialog, Left | Up) => "highlight the previous button",
            (C::Dialog, Right | Down) => "highlight the next button",
            (C::Dialog, Select) => "press the highlighted button",
            (C::Dialog, Back) => "cancel: close, doing nothing",
            (C::Runner, Up) => "select the previous request",
            (C::Runner, Down) => "select the next request",
            (C::Runner, PageUp) => "select a page up",
            (C::Runner, PageDown) => "select a page down",
            (C::Runner, Top) => "select the first request",
            (C::Runner, Bottom) => "select the last request (and follow new ones)",
            (C::Runner, Select) => "open the request, with a failure's response",
            (C::Runner, Back) => "stop a running run, else close the view",
            (C::Runner, Cancel) => "stop the run (what ran stays listed)",
            (C::Runner, Run) => "run the same collection or folder again",
            (C::History, Up) => "select the newer exchange",
            (C::History, Down) => "select the older exchange",
            (C::History, Select) => "reopen the exchange in its request's response pane",
            (C::History, Filter) => "filter by text, status (404, 5xx, none)",
            (C::History, Back) => "close the diff, clear the filter, or close the view",
            _ => self.describe(),
        }
    }

    /// The pane an action belongs to, if it only means something there
    /// (the palette focuses that pane before running it).
    pub fn pane(self) -> Option<KeyContext> {
        use Action::*;
        match self {
            Expand | Collapse | Filter | NewRequest | NewFolder | Rename | Duplicate | Delete
            | Move | Run => Some(KeyContext::Tree),
            NextTab | PrevTab | Edit | ToggleRow | AddRow | DeleteRow | ExternalEditor
            | ShowResolved | CycleMethod => Some(KeyContext::Editor),
            Search | SearchNext | SearchPrev | ToggleWrap | ToggleRaw | Copy | SaveBody
            | OpenScriptError | JqFilter | SaveExample | OlderExchange | NewerExchange => {
                Some(KeyContext::Response)
            }
            _ => None,
        }
    }

    /// Whether the palette offers it: everything but moving around, which
    /// means nothing without a key to repeat.
    pub fn is_command(self) -> bool {
        use Action::*;
        !matches!(
            self,
            Up | Down | Left | Right | PageUp | PageDown | Top | Bottom | Select | Back | Palette
        )
    }

    /// Moving through a scrollable view, for panes' `actions()`.
    pub const SCROLL: [Action; 6] = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Top,
        Action::Bottom,
    ];

    /// The snake_case name used in keymap files.
    pub fn name(self) -> String {
        let debug = format!("{self:?}");
        let mut out = String::new();
        for (i, c) in debug.chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }
}

/// Which keymap table applies: the focused pane's, or an overlay's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyContext {
    Global,
    Tree,
    Editor,
    Response,
    /// Typing into a text field: unbound keys are text.
    Text,
    Palette,
    Help,
    Dialog,
    /// The runner view (a collection run's progress and results).
    Runner,
    /// The history view (past exchanges, their diffs).
    History,
}

impl KeyContext {
    pub fn table_name(self) -> &'static str {
        match self {
            KeyContext::Global => "global",
            KeyContext::Tree => "tree",
            KeyContext::Editor => "editor",
            KeyContext::Response => "response",
            KeyContext::Text => "text",
            KeyContext::Palette => "palette",
            KeyContext::Help => "help",
            KeyContext::Dialog => "dialog",
            KeyContext::Runner => "runner",
            KeyContext::History => "history",
        }
    }

    pub const ALL: [KeyContext; 10] = [
        KeyContext::Global,
        KeyContext::Tree,
        KeyContext::Editor,
        KeyContext::Response,
        KeyContext::Text,
        KeyContext::Palette,
        KeyContext::Help,
        KeyContext::Dialog,
        KeyContext::Runner,
        KeyContext::History,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_parse_back() {
        assert_eq!(Action::FocusNext.name(), "focus_next");
        let a: Action = serde_json::from_str("\"toggle_zoom\"").unwrap();
        assert_eq!(a, Action::ToggleZoom);
    }

    #[test]
    fn every_action_name_parses_back() {
        for a in Action::ALL {
            let parsed: Action = serde_json::from_value(serde_json::Value::String(a.name()))
                .unwrap_or_else(|e| panic!("{}: {e}", a.name()));
            assert_eq!(parsed, *a);
        }
    }

    /// "up — up" says nothing: every description, in every context, has a
    /// word of its own besides the action's name and filler.
    #[test]
    fn no_description_merely_repeats_the_actions_name() {
        const FILLER: &[&str] = &["the", "a", "an", "to", "of", "or", "and", "go"];
        let words = |s: &str| -> Vec<String> {
            s.split(|c: char| !c.is_alphanumeric() && c != '$')
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        for a in Action::ALL {
            let name = words(&a.name());
            for ctx in KeyContext::ALL {
                let d = a.describe_in(ctx);
                let own: Vec<String> = words(d)
                    .into_iter()
                    .filter(|w| !name.contains(w) && !FILLER.contains(&w.as_str()))
                    .collect();
                assert!(
                    !own.is_empty(),
                    "{} in {}: {d:?} only repeats the name",
                    a.name(),
                    ctx.table_name()
                );
            }
        }
    }
}
