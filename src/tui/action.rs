//! Actions: what a key means. Keymaps bind key sequences to these names
//! (snake_case in the TOML files); panes handle them.

use serde::Deserialize;

/// Every action a user can bind. Names are the snake_case verbs used in
/// `keymaps/*.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // global
    Quit,
    Send,
    Cancel,
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
    // response
    Search,
    SearchNext,
    SearchPrev,
    ToggleWrap,
    ToggleRaw,
    Copy,
    SaveBody,
}

impl Action {
    /// A short description for the help overlay, the palette and the footer.
    pub fn describe(self) -> &'static str {
        use Action::*;
        match self {
            Quit => "quit",
            Send => "send the request",
            Cancel => "cancel the request in flight",
            Save => "save the request",
            FocusNext => "next pane",
            FocusPrev => "previous pane",
            FocusTree => "focus the collection tree",
            FocusEditor => "focus the request editor",
            FocusResponse => "focus the response",
            ToggleZoom => "zoom the pane to full screen",
            Help => "show keys",
            Palette => "command palette",
            SwitchEnv => "switch environment",
            Up => "up",
            Down => "down",
            Left => "left",
            Right => "right",
            PageUp => "page up",
            PageDown => "page down",
            Top => "go to the top",
            Bottom => "go to the bottom",
            Select => "open / choose",
            Back => "back / close",
            Expand => "expand folder",
            Collapse => "collapse folder",
            Filter => "filter by typing",
            NewRequest => "new request",
            NewFolder => "new folder",
            Rename => "rename",
            Duplicate => "duplicate",
            Delete => "delete",
            Move => "move to another folder",
            NextTab => "next tab",
            PrevTab => "previous tab",
            Edit => "edit the field",
            ToggleRow => "enable / disable the row",
            AddRow => "add a row",
            DeleteRow => "delete the row",
            ExternalEditor => "edit in $EDITOR",
            ShowResolved => "show the resolved URL",
            CycleMethod => "change the method",
            CopyAsCurl => "copy the request as curl (OSC 52)",
            Search => "search",
            SearchNext => "next match",
            SearchPrev => "previous match",
            ToggleWrap => "wrap lines",
            ToggleRaw => "raw / pretty body",
            Copy => "copy (OSC 52)",
            SaveBody => "save the body to a file",
        }
    }

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
        }
    }

    pub const ALL: [KeyContext; 8] = [
        KeyContext::Global,
        KeyContext::Tree,
        KeyContext::Editor,
        KeyContext::Response,
        KeyContext::Text,
        KeyContext::Palette,
        KeyContext::Help,
        KeyContext::Dialog,
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
}
