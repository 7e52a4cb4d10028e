//! The app state and `update`: messages in, state changed, effects out.
//! No I/O here; `draw` (in `view.rs`) only reads this state.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::PathBuf;

use ratatui::layout::Rect;

use crate::exchange::{Ending, Exchange};
use crate::http::{Event, RequestId};
use crate::model::{Auth, Request};
use crate::prepare::{build_scopes, SessionVars, VarInputs, VarSources};
use crate::storage::state::{choose_environment, Remembered};
use crate::storage::{RequestContext, Workspace};

use super::action::{Action, KeyContext};
use super::component::{Answer, Component, Cx, Flow, Input, NamePurpose, Notice, Status};
use super::components::dialog::Dialog;
use super::components::editor::EditorPane;
use super::components::envs::EnvSwitcher;
use super::components::help::HelpOverlay;
use super::components::history::HistoryView;
use super::components::oauth_prompt::OAuthPrompt;
use super::components::palette::{Entry, Palette};
use super::components::response::problems::{self, SendProblem};
use super::components::response::ResponsePane;
use super::components::runner::{self, RunnerView};
use super::components::tree::{self, parse_git_status, Load, RowKind, TreePane};
use super::effect::{Effect, ExportFormat, FileOp};
use super::highlight::SyntaxAssets;
use super::keymap::{Chord, Keymap, Resolved};
use super::layout::{self, Areas, Focus};
use super::msg::{LoadedWorkspace, Msg};
use super::theme::Theme;

pub enum Overlay {
    Help(HelpOverlay),
    Palette(Palette),
    Envs(EnvSwitcher),
    Dialog(Dialog),
    OAuth(OAuthPrompt),
}

impl Overlay {
    fn component(&mut self) -> &mut dyn Component {
        match self {
            Overlay::Help(c) => c,
            Overlay::Palette(c) => c,
            Overlay::Envs(c) => c,
            Overlay::Dialog(c) => c,
            Overlay::OAuth(c) => c,
        }
    }

    fn context(&self) -> KeyContext {
        match self {
            Overlay::Help(c) => c.context(),
            Overlay::Palette(c) => c.context(),
            Overlay::Envs(c) => c.context(),
            Overlay::Dialog(c) => c.context(),
            Overlay::OAuth(c) => c.context(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct InFlight {
    pub path: String,
}

pub struct App {
    pub root: PathBuf,
    pub workspace: Option<Workspace>,
    pub tree: TreePane,
    pub editor: EditorPane,
    /// One response pane per request, so each keeps its last response.
    pub responses: HashMap<String, ResponsePane>,
    /// Shown when no request is open.
    pub empty_response: ResponsePane,
    /// syntect's syntaxes and themes, loaded once, on the first response.
    assets: std::sync::OnceLock<std::sync::Arc<SyntaxAssets>>,
    pub overlay: Option<Overlay>,
    pub focus: Focus,
    pub zoom: bool,
    pub environment: Option<String>,
    /// The environment's variables and secrets, read once per choice (and
    /// again when their files change); `None` until loaded.
    pub vars: Option<VarInputs>,
    /// Variables scripts set this session: kept until quit, never written.
    pub session: SessionVars,
    /// What `.postie/state.json` remembered at startup; the first load
    /// chooses with it (see `storage::state::choose_environment`).
    pub remembered_environment: Remembered,
    /// Torn or corrupt state files found at start (see
    /// `storage::state::damaged`): said once the workspace is on screen.
    pub damaged_state: Vec<String>,
    pub keymap: Keymap,
    pub theme: Theme,
    /// Whether the terminal shows 24-bit colour, so a theme switched to
    /// while running falls back as the first one did.
    pub truecolor: bool,
    pub status: Option<Status>,
    pub size: Rect,
    pub in_flight: HashMap<RequestId, InFlight>,
    pub spinner: usize,
    pub quit: bool,
    /// Each request's version on disk and the unsaved edits of those not
    /// open in the editor.
    docs: documents::Documents,
    pending_keys: Vec<Chord>,
    next_id: u64,
    /// Select this path once the workspace reloads (after a file operation).
    pending_select: Option<String>,
    /// The last collection run, kept after its view closes (`show_run`).
    pub runner: Option<RunnerView>,
    /// Whether the runner view covers the panes.
    pub runner_shown: bool,
    /// The history view, when it covers the panes.
    pub history: Option<HistoryView>,
    /// A response to keep as an example of a request, waiting for its name.
    pending_example: Option<(String, super::component::ExampleDraft)>,
}

impl App {
    pub fn new(root: PathBuf, keymap: Keymap, theme: Theme, environment: Option<String>) -> App {
        App {
            root,
            workspace: None,
            tree: TreePane::new(),
            editor: EditorPane::default(),
            responses: HashMap::new(),
            empty_response: ResponsePane::new(&theme.syntax),
            assets: std::sync::OnceLock::new(),
            overlay: None,
            focus: Focus::Tree,
            zoom: false,
            environment,
            vars: None,
            session: SessionVars::default(),
            remembered_environment: Remembered::Nothing,
            damaged_state: Vec::new(),
            keymap,
            theme,
            truecolor: true,
            status: None,
            size: Rect::new(0, 0, 80, 24),
            in_flight: HashMap::new(),
            spinner: 0,
            quit: false,
            docs: documents::Documents::default(),
            pending_keys: Vec::new(),
            next_id: 1,
            pending_select: None,
            runner: None,
            runner_shown: false,
            history: None,
            pending_example: None,
        }
    }

    pub fn areas(&self) -> Areas {
        layout::layout(self.size, self.focus, self.zoom)
    }

    /// The response pane of the open request.
    pub fn response(&self) -> &ResponsePane {
        self.editor
            .path()
            .and_then(|p| self.responses.get(p))
            .unwrap_or(&self.empty_response)
    }

    fn response_mut(&mut self) -> &mut ResponsePane {
        match self.editor.path().map(str::to_string) {
            Some(p) => {
                let (syntax, assets) = (&self.theme.syntax, &self.assets);
                self.responses
                    .entry(p.clone())
                    .or_insert_with(|| new_pane(syntax, assets).with_request(&p))
            }
            None => &mut self.empty_response,
        }
    }

    /// The response pane of `path`, made on first use.
    fn pane_for(&mut self, path: String) -> &mut ResponsePane {
        let (syntax, assets) = (&self.theme.syntax, &self.assets);
        self.responses
            .entry(path.clone())
            .or_insert_with(|| new_pane(syntax, assets).with_request(&path))
    }

    /// Paths with unsaved edits.
    pub fn dirty_paths(&self) -> HashSet<String> {
        self.docs.dirty(self.open_request_shown())
    }

    /// The request open in the editor, as shown.
    fn open_request_shown(&self) -> Option<(&str, &Request)> {
        self.editor.path().zip(self.editor.request())
    }

    fn focused_context(&self) -> KeyContext {
        if let Some(o) = &self.overlay {
            return o.context();
        }
        if let Some(h) = &self.history {
            return h.context();
        }
        if let Some(r) = self.shown_runner() {
            return r.context();
        }
        match self.focus {
            Focus::Tree => self.tree.context(),
            Focus::Editor => self.editor.context(),
            Focus::Response => self.response().context(),
        }
    }

    fn focused_actions(&self) -> Vec<Action> {
        if let Some(h) = &self.history {
            return h.actions();
        }
        if let Some(r) = self.shown_runner() {
            return r.actions();
        }
        match self.focus {
            Focus::Tree => self.tree.actions(),
            Focus::Editor => self.editor.actions(),
            Focus::Response => self.response().actions(),
        }
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut cx = Cx::default();
        match msg {
            Msg::Key(key) => self.on_key(key, &mut cx),
            Msg::Paste(text) => self.on_paste(text, &mut cx),
            Msg::Mouse(m) => self.on_mouse(m, &mut cx),
            Msg::Resize(w, h) => self.size = Rect::new(0, 0, w, h),
            Msg::WorkspaceLoaded(Ok(ws)) => self.on_workspace(*ws, Load::Complete, None, &mut cx),
            Msg::WorkspaceRead(read) => self.on_loaded(*read, Load::Complete, &mut cx),
            // A reload that beat the first load's rest is newer: keep it.
            Msg::WorkspacePart(part) if self.workspace.is_none() => {
                self.on_loaded(*part, Load::Partial, &mut cx)
            }
            Msg::WorkspacePart(_) => {}
            Msg::WorkspaceLoaded(Err(e)) => cx.error(format!("could not load the workspace: {e}")),
            Msg::Exec(ev) => self.on_exec(ev),
            Msg::OAuth { id, prompt } => self.on_oauth_prompt(id, prompt),
            Msg::TokenStatus { path, status } => {
                if self.editor.path() == Some(path.as_str()) {
                    self.editor.set_token_status(status);
                }
            }
            Msg::Exchanged {
                id,
                exchange,
                problems,
                history_id,
            } => self.on_exchange(id, *exchange, problems, history_id, &mut cx),
            Msg::HistoryListed {
                generation,
                result,
                warnings,
            } => {
                if let Some(h) = self.history.as_mut() {
                    h.listed(generation, result, warnings);
                }
            }
            Msg::HistoryRecord { result, position } => {
                self.on_history_record(result, position, &mut cx)
            }
            Msg::JqDone {
                pane,
                generation,
                result,
            } => match pane {
                Some(path) => self.pane_for(path).on_jq_done(generation, result),
                None => self.empty_response.on_jq_done(generation, result),
            },
            Msg::HistoryDiff(result) => match (result, self.history.as_mut()) {
                (Ok((title, lines)), Some(h)) => h.show_diff(title, lines),
                (Ok(_), None) => {}
                (Err(e), _) => cx.error(e),
            },
            Msg::FilesChanged(paths) => {
                if paths.is_empty() || paths.iter().any(|p| self.is_vars_file(p)) {
                    cx.effect(Effect::LoadVars(self.sources()));
                }
                cx.effect(Effect::ReloadWorkspace);
            }
            Msg::VarsLoaded(Ok(vars)) => {
                self.vars = Some(*vars);
                self.load_scopes(&mut cx);
            }
            Msg::ScriptVarsSaved {
                environment,
                result,
            } => match result {
                Ok(saved) => {
                    self.session.environments.remove(&environment);
                    cx.info(format!(
                        "kept in environment `{environment}`: {} in environments/{environment}.json, \
                         {} secret in .postie/secrets/{environment}.json, {} removed",
                        saved.plain, saved.secret, saved.removed
                    ));
                    cx.effect(Effect::LoadVars(self.sources()));
                }
                Err(e) => cx.error(format!("not saved: {e}")),
            },
            Msg::VarsLoaded(Err(e)) => {
                self.vars = None;
                cx.error(format!("could not read the environment: {e}"));
            }
            Msg::GitStatus(raw) => {
                let paths: BTreeSet<String> = self
                    .tree
                    .request_paths()
                    .iter()
                    .map(|(p, _, _)| p.to_string())
                    .collect();
                self.tree.set_git(parse_git_status(&raw, &paths));
            }
            Msg::ExternalEdited { target, result } => match result {
                Ok(text) => self.editor.apply_external_edit(target, text),
                Err(e) => cx.error(e),
            },
            Msg::Saved { path, result } => match result {
                Ok(()) => {
                    if self.editor.path() == Some(path.as_str()) {
                        self.docs.landed(&path, self.editor.request());
                        self.editor.mark_saved();
                    } else {
                        // Saved by "save all" while not open.
                        self.docs.landed(&path, None);
                    }
                    cx.info(format!("saved {path}"));
                    cx.effect(Effect::RefreshGitStatus);
                }
                Err(e) => cx.error(format!("not saved: {e}")),
            },
            Msg::FileOpDone { result, select } => {
                match result {
                    Ok(m) => cx.info(m),
                    Err(e) => cx.error(e),
                }
                if let Some(p) = select {
                    self.pending_select = Some(p);
                }
                cx.effect(Effect::ReloadWorkspace);
                cx.effect(Effect::RefreshGitStatus);
            }
            Msg::Run(update) => {
                let ended = self.runner.as_mut().and_then(|r| r.on_event(*update));
                match ended {
                    Some((line, true)) => cx.error(line),
                    Some((line, false)) => cx.info(line),
                    None => {}
                }
            }
            Msg::Info(m) => cx.info(m),
            Msg::Error(m) => cx.error(m),
            Msg::Work => {
                self.response_mut().tick();
            }
            Msg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                let frame = self.spinner;
                let paths: Vec<String> = self.in_flight.values().map(|f| f.path.clone()).collect();
                for p in paths {
                    self.pane_for(p).set_sending(frame);
                }
                if let Some(r) = self.runner.as_mut().filter(|r| r.running()) {
                    r.tick(frame);
                }
            }
        }
        self.finish(cx)
    }
}

impl App {
    fn on_key(&mut self, key: crossterm::event::KeyEvent, cx: &mut Cx) {
        use crossterm::event::KeyEventKind;
        if key.kind == KeyEventKind::Release {
            return;
        }
        let ctx = self.focused_context();
        // Typing contexts see only their own table; panes fall back to
        // the global one.
        let contexts: Vec<KeyContext> = match ctx {
            KeyContext::Text | KeyContext::Palette | KeyContext::Help | KeyContext::Dialog => {
                vec![ctx]
            }
            other => vec![other, KeyContext::Global],
        };
        self.pending_keys.push(Chord::from_event(&key));
        match self.keymap.resolve(&contexts, &self.pending_keys) {
            Resolved::Action(a) => {
                self.pending_keys.clear();
                self.dispatch(Input::Action(a), cx);
            }
            Resolved::Pending => {}
            Resolved::Unbound => {
                let was_sequence = self.pending_keys.len() > 1;
                self.pending_keys.clear();
                if !was_sequence {
                    self.dispatch(Input::Key(key), cx);
                }
            }
        }
    }

    /// The overlay, else the focused pane, else the global handler.
    fn dispatch(&mut self, input: Input, cx: &mut Cx) {
        if let Some(o) = self.overlay.as_mut() {
            o.component().handle(&input, cx);
            return;
        }
        if self.history.is_some() {
            return self.history_input(input, cx);
        }
        if self.runner_shown {
            if let Some(r) = self.runner.as_mut() {
                if r.handle(&input, cx) == Flow::Bubble {
                    if let Input::Action(a) = input {
                        self.runner_action(a, cx);
                    }
                }
                return;
            }
        }
        let flow = match self.focus {
            Focus::Tree => self.tree.handle(&input, cx),
            Focus::Editor => self.editor.handle(&input, cx),
            Focus::Response => self.response_mut().handle(&input, cx),
        };
        if flow == Flow::Bubble {
            if let Input::Action(a) = input {
                self.global(a, cx);
            }
        }
    }

    fn global(&mut self, action: Action, cx: &mut Cx) {
        match action {
            Action::Quit => self.ask_quit(cx),
            Action::Send => self.send(cx, false),
            Action::FetchToken => self.send(cx, true),
            Action::ForgetToken => self.token_status(true, cx),
            Action::Cancel => {
                let ids: Vec<RequestId> = self
                    .in_flight
                    .iter()
                    .filter(|(_, f)| Some(f.path.as_str()) == self.editor.path())
                    .map(|(id, _)| *id)
                    .collect();
                if ids.is_empty() {
                    cx.info("nothing in flight");
                }
                for id in ids {
                    cx.effect(Effect::CancelRequest(id));
                }
            }
            Action::CancelAll => {
                let ids: Vec<RequestId> = self.in_flight.keys().copied().collect();
                let run = self.runner.as_ref().filter(|r| r.running()).map(|r| r.run);
                if ids.is_empty() && run.is_none() {
                    cx.info("nothing in flight");
                    return;
                }
                cx.info(format!("cancelling {} sends", ids.len()));
                for id in ids {
                    cx.effect(Effect::CancelRequest(id));
                }
                if let Some(run) = run {
                    cx.effect(Effect::CancelRun(run));
                }
            }
            Action::Save => self.save(cx),
            Action::CopyAsCurl => {
                let (Some(path), Some(req)) = (self.editor.path(), self.editor.request()) else {
                    cx.info("open a request first");
                    return;
                };
                let Some(inputs) = self.inputs() else {
                    cx.info("the environment is still loading; try again");
                    return;
                };
                if let Some(context) = self.context_for(path, req.clone()) {
                    cx.effect(Effect::CopyAsCurl {
                        context: Box::new(context),
                        inputs: Box::new(inputs),
                    });
                }
            }
            Action::FocusNext => self.focus = self.focus.next(),
            Action::FocusPrev => self.focus = self.focus.prev(),
            Action::FocusTree => self.focus = Focus::Tree,
            Action::FocusEditor => self.focus = Focus::Editor,
            Action::FocusResponse => self.focus = Focus::Response,
            Action::ToggleZoom => self.zoom = !self.zoom,
            Action::Help => {
                let ctx = match self.focus {
                    _ if self.history.is_some() => KeyContext::History,
                    _ if self.runner_shown => KeyContext::Runner,
                    Focus::Tree => KeyContext::Tree,
                    Focus::Editor => KeyContext::Editor,
                    Focus::Response => KeyContext::Response,
                };
                self.overlay = Some(Overlay::Help(HelpOverlay::build(&self.keymap, ctx)));
            }
            Action::Palette => {
                let mut entries: Vec<Entry> = self
                    .tree
                    .request_paths()
                    .into_iter()
                    .map(|(path, name, method)| Entry::Request {
                        path: path.to_string(),
                        name: name.to_string(),
                        method: method.to_string(),
                    })
                    .collect();
                for a in Action::ALL.iter().filter(|a| a.is_command()) {
                    // A pane's command shows the key it has in that pane.
                    let contexts: Vec<KeyContext> =
                        a.pane().into_iter().chain([KeyContext::Global]).collect();
                    entries.push(Entry::Command {
                        action: *a,
                        keys: self.keymap.key_for(&contexts, *a),
                    });
                }
                self.overlay = Some(Overlay::Palette(Palette::new(entries)));
            }
            Action::SwitchEnv => {
                let envs = self
                    .workspace
                    .as_ref()
                    .map(|w| w.environments.clone())
                    .unwrap_or_default();
                let switcher = EnvSwitcher::new(&envs, self.environment.as_deref());
                let vars = self.script_vars();
                self.overlay = Some(Overlay::Envs(switcher.with_script_vars(vars)));
            }
            Action::Back => self.zoom = false,
            Action::SaveAll => {
                let saved = self.save_all(cx);
                if saved == 0 {
                    cx.info("nothing to save: no request has unsaved edits");
                }
            }
            Action::SwitchTheme => {
                self.theme = self.theme.next_bundled(self.truecolor);
                cx.info(format!("theme: {}", self.theme.name));
            }
            Action::Import => {
                self.overlay = Some(Overlay::Dialog(Dialog::name(
                    NamePurpose::Import,
                    String::new(),
                )));
            }
            Action::Export => self.ask_export(cx),
            Action::EditWorkspace => cx.effect(Effect::EditWorkspace),
            Action::Run => self.run_selected(cx),
            Action::History => self.open_history(cx),
            Action::ShowRun => match self.runner {
                Some(_) => self.runner_shown = true,
                None => cx.info("no run yet: select a collection or folder in the tree and run it"),
            },
            // A folder at the top level is a collection (see `on_name`).
            Action::NewCollection => cx.notice(Notice::AskName {
                purpose: NamePurpose::NewFolder {
                    parent: String::new(),
                },
                initial: String::new(),
            }),
            // A pane's action bound in [global] and pressed in another
            // pane; not from a text field, whose keys mean that field.
            a if a.pane().is_some() && self.focused_context() != KeyContext::Text => {
                self.run_in_pane(a, cx)
            }
            _ => {}
        }
    }

    /// Focuses the pane `action` belongs to and lets it act (on the
    /// tree's selected item, the open request, the shown response).
    fn run_in_pane(&mut self, action: Action, cx: &mut Cx) {
        let input = Input::Action(action);
        let flow = match action.pane() {
            Some(KeyContext::Tree) => {
                self.focus = Focus::Tree;
                self.tree.handle(&input, cx)
            }
            Some(KeyContext::Editor) => {
                self.focus = Focus::Editor;
                self.editor.handle(&input, cx)
            }
            Some(KeyContext::Response) => {
                self.focus = Focus::Response;
                self.response_mut().handle(&input, cx)
            }
            _ => return self.global(action, cx),
        };
        if flow == Flow::Bubble {
            // The tree leaves running its selection to the app.
            if action == Action::Run {
                return self.global(action, cx);
            }
            cx.info(format!("nothing here to {}", action.describe()));
        }
    }

    /// Export asks what to export from the tree's selection: a collection
    /// or folder as Postman or .http, a request as curl; then a file name.
    fn ask_export(&mut self, cx: &mut Cx) {
        let Some(n) = self.tree.selected() else {
            cx.info("select a collection, folder or request in the tree first");
            return;
        };
        let path = n.path.clone();
        let stem = crate::storage::workspace::last_segment(&path).to_string();
        self.overlay = Some(Overlay::Dialog(match n.kind {
            RowKind::Request { .. } => {
                let format = ExportFormat::Curl;
                Dialog::name(
                    NamePurpose::Export { path, format },
                    format.default_file(&stem),
                )
            }
            RowKind::Collection | RowKind::Folder => {
                let choice = |format| {
                    Some(Answer::ExportAs {
                        path: path.clone(),
                        format,
                    })
                };
                Dialog::choice(
                    &format!("Export {path}"),
                    "As which format?",
                    vec![
                        ("Postman v2.1", choice(ExportFormat::Postman)),
                        (".http file", choice(ExportFormat::Http)),
                        ("Cancel", None),
                    ],
                )
            }
            RowKind::Broken { .. } => {
                cx.error(format!("{path} could not be read; fix it before exporting"));
                return;
            }
        }));
    }

    /// Saves every request with unsaved edits (the open one and drafts);
    /// returns how many.
    fn save_all(&mut self, cx: &mut Cx) -> usize {
        let all = self.docs.unsaved(self.open_request_shown());
        let n = all.len();
        for (p, r) in all {
            if let Some(e) = self.save_effect(&p, r) {
                cx.effect(e);
            }
        }
        n
    }

    /// A pasted curl command in the editor (outside a text box, or into the
    /// URL) becomes the request; anything else goes to the focused field.
    fn on_paste(&mut self, text: String, cx: &mut Cx) {
        let looks_like_curl = text.trim_start().starts_with("curl ");
        if looks_like_curl && self.overlay.is_none() && self.focus == Focus::Editor {
            if let (Some(path), Some(current)) = (
                self.editor.path().map(str::to_string),
                self.editor.request().cloned(),
            ) {
                match crate::import::curl::parse_curl(&text) {
                    Ok(mut req) => {
                        req.name = current.name.clone();
                        req.description = current.description.clone();
                        req.pre_request = current.pre_request.clone();
                        req.test = current.test.clone();
                        self.editor.open(path, req);
                        cx.info(
                            "pasted curl command: the request now sends what it did (ctrl-s saves)",
                        );
                    }
                    Err(e) => cx.error(format!("not a curl command postie can read: {e}")),
                }
                return;
            }
        }
        self.dispatch(Input::Paste(text), cx);
    }

    fn ask_quit(&mut self, cx: &mut Cx) {
        let dirty = self.dirty_paths();
        if dirty.is_empty() {
            cx.effect(Effect::Quit);
            return;
        }
        let n = dirty.len();
        let msg = format!(
            "{n} request{} {} unsaved edits: {}",
            if n == 1 { "" } else { "s" },
            if n == 1 { "has" } else { "have" },
            dirty
                .iter()
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", ")
        );
        self.overlay = Some(Overlay::Dialog(Dialog::choice(
            "Quit?",
            &msg,
            vec![
                ("Save all and quit", Some(Answer::SaveAllAndQuit)),
                ("Cancel", None),
                ("Quit without saving", Some(Answer::DiscardAndQuit)),
            ],
        )));
    }

    fn save(&mut self, cx: &mut Cx) {
        let (Some(path), Some(req)) = (
            self.editor.path().map(str::to_string),
            self.editor.request().cloned(),
        ) else {
            cx.info("no request open");
            return;
        };
        if let Some(e) = self.save_effect(&path, req) {
            cx.effect(e);
        }
    }

    fn save_effect(&self, path: &str, request: Request) -> Option<Effect> {
        let (dir, stem) = split_path(&self.root, path)?;
        Some(Effect::SaveRequest {
            path: path.to_string(),
            dir,
            stem,
            request: Box::new(request),
        })
    }

    /// `path`'s context from the loaded tree, so sending reads no file.
    fn context_for(&self, path: &str, request: Request) -> Option<RequestContext> {
        self.workspace.as_ref()?.context_for(path, request)
    }

    fn sources(&self) -> VarSources {
        VarSources {
            environment: self.environment.clone(),
            cli: Vec::new(),
            process_env: true,
        }
    }

    /// The variables the app holds, with what scripts set this session.
    fn inputs(&self) -> Option<VarInputs> {
        let mut inputs = self.vars.clone()?;
        inputs.session = self.session.clone();
        Some(inputs)
    }

    /// What scripts set this session, as the environment switcher lists
    /// it; a secret's value is hidden.
    fn script_vars(&self) -> Vec<(String, String)> {
        let secrets = self
            .vars
            .as_ref()
            .map(VarInputs::secret_names)
            .unwrap_or_default();
        let shown = |name: &str, v: &Option<serde_json::Value>| match v {
            None => "(unset)".to_string(),
            Some(_) if secrets.iter().any(|s| s == name) => "•••".to_string(),
            Some(v) => crate::script::value_text(v),
        };
        let mut out: Vec<(String, String)> = (self.session.globals.iter())
            .map(|(n, v)| (format!("globals {n}"), shown(n, &Some(v.clone()))))
            .collect();
        for (collection, vars) in &self.session.collections {
            for (n, v) in vars {
                out.push((format!("collection {collection} {n}"), shown(n, v)));
            }
        }
        for (env, vars) in &self.session.environments {
            let env = if env.is_empty() { "(none)" } else { env };
            for (n, v) in vars {
                out.push((format!("environment {env} {n}"), shown(n, v)));
            }
        }
        out
    }

    /// Environment and secret files: a change means reading them again.
    fn is_vars_file(&self, path: &std::path::Path) -> bool {
        let rel = path.strip_prefix(&self.root).unwrap_or(path);
        rel.starts_with(crate::storage::layout::ENVIRONMENTS_DIR)
            || rel.starts_with(crate::storage::state::state_dir(std::path::Path::new("")))
    }

    /// Gives the editor the variables the open request sees.
    fn load_scopes(&mut self, _cx: &mut Cx) {
        let (Some(path), Some(req)) = (self.editor.path(), self.editor.request()) else {
            return;
        };
        let (Some(inputs), Some(context)) = (self.inputs(), self.context_for(path, req.clone()))
        else {
            return;
        };
        self.editor.set_scopes(build_scopes(&context, &inputs));
    }

    /// Asks what the token cache holds for the open request (forgetting
    /// it first, with `forget`); nothing when it does not use OAuth 2.0.
    fn token_status(&mut self, forget: bool, cx: &mut Cx) {
        let (Some(path), Some(req)) = (self.editor.path(), self.editor.request()) else {
            return;
        };
        let (Some(inputs), Some(context)) = (self.inputs(), self.context_for(path, req.clone()))
        else {
            return;
        };
        if !matches!(crate::prepare::auth_in_effect(&context), Auth::OAuth2(_)) {
            if forget {
                cx.info("this request does not use OAuth 2.0");
            }
            self.editor.set_token_status(None);
            return;
        }
        if forget {
            cx.info("forgot the OAuth 2.0 token");
        }
        cx.effect(Effect::TokenStatus {
            path: path.to_string(),
            context: Box::new(context),
            inputs: Box::new(inputs),
            forget,
        });
    }

    /// OAuth 2.0 waits on the user for send `id`: show what to do, until
    /// the step is over.
    fn on_oauth_prompt(&mut self, id: RequestId, prompt: crate::oauth2::Prompt) {
        let Some(f) = self.in_flight.get(&id) else {
            return;
        };
        if prompt == crate::oauth2::Prompt::Finished {
            if matches!(&self.overlay, Some(Overlay::OAuth(p)) if p.id == id) {
                self.overlay = None;
            }
            return;
        }
        self.overlay = Some(Overlay::OAuth(OAuthPrompt::new(id, f.path.clone(), prompt)));
    }

    fn send(&mut self, cx: &mut Cx, fresh_token: bool) {
        let (Some(path), Some(req)) = (
            self.editor.path().map(str::to_string),
            self.editor.request().cloned(),
        ) else {
            cx.info("open a request first (enter on one in the tree)");
            return;
        };
        let Some(context) = self.context_for(&path, req) else {
            cx.error("the request's folder is no longer in the workspace");
            return;
        };
        let id = RequestId(self.next_id);
        self.next_id += 1;
        self.in_flight.insert(id, InFlight { path: path.clone() });
        let frame = self.spinner;
        self.pane_for(path).set_sending(frame);
        cx.effect(Effect::SendRequest {
            id,
            context: Box::new(context),
            inputs: self.inputs().map(Box::new),
            sources: self.sources(),
            fresh_token,
        });
    }

    /// Progress of a request in flight.
    fn on_exec(&mut self, ev: Event) {
        let Some(f) = self.in_flight.get(&ev.id()) else {
            return; // a request we no longer want
        };
        let pane = self.pane_for(f.path.clone());
        match ev {
            Event::Head { head, .. } => pane.set_head(&head),
            Event::Progress {
                received, total, ..
            } => pane.set_progress(received, total),
            Event::Started { .. } | Event::Finished { .. } | Event::Failed { .. } => {}
        }
    }

    /// A send is over: its pane shows the record, the session keeps the
    /// variables its scripts set.
    fn on_exchange(
        &mut self,
        id: RequestId,
        exchange: Exchange,
        problems: Vec<SendProblem>,
        history_id: Option<String>,
        cx: &mut Cx,
    ) {
        if matches!(&self.overlay, Some(Overlay::OAuth(p)) if p.id == id) {
            self.overlay = None;
        }
        let Some(f) = self.in_flight.remove(&id) else {
            return; // cancelled and replaced
        };
        let path = f.path;
        if self.editor.path() == Some(path.as_str()) {
            self.token_status(false, cx);
        }
        if let Some(h) = self.history.as_mut().filter(|_| history_id.is_some()) {
            cx.effect(h.refresh());
        }
        if !exchange.changed.is_empty() {
            let collection = path.split('/').next().unwrap_or_default();
            let env = self.environment.clone();
            self.session
                .record(collection, env.as_deref(), &exchange.changed);
            self.load_scopes(cx);
        }
        let trace_id = exchange.trace_id();
        let outcome = crate::script::Outcome {
            tests: exchange.tests,
            console: exchange.console,
            errors: exchange.script_errors,
        };
        let ran_scripts = !exchange.scripts_run.is_empty();
        let pane = self.pane_for(path.clone());
        match exchange.ending {
            Ending::Response(response) => {
                let summary = outcome_summary(&outcome);
                cx.info(format!(
                    "{} {} {} in {:.0} ms{summary}",
                    path,
                    response.status,
                    response.reason,
                    response.timings.total.as_secs_f64() * 1000.0
                ));
                let unverified = crate::exchange::sent_unverified(&exchange.sent, &response);
                pane.set_response(*response);
                if unverified {
                    pane.mark_unverified();
                }
                pane.set_outcome(outcome);
                pane.set_history_id(history_id);
                pane.set_trace_id(trace_id);
            }
            Ending::Failed(error) => {
                pane.set_error(&error);
                if ran_scripts {
                    pane.set_outcome(outcome);
                }
                if matches!(error, crate::http::SendError::Cancelled) {
                    cx.info(format!("{path}: {error}"));
                } else {
                    cx.error(format!("{path}: {error}"));
                }
            }
            Ending::Skipped => {
                // The pane says "not sent", with what the scripts said.
                pane.set_outcome(outcome);
                cx.info(format!("{path}: skipped by its pre-request script"));
            }
            Ending::NotSent(_) => {
                pane.set_problems(problems.clone());
                if ran_scripts {
                    pane.set_outcome(outcome);
                }
                cx.error(problems::summary(&problems));
                if self.editor.path() == Some(path.as_str()) {
                    // Show the field: its tab, with fresh variable marks.
                    let field = problems.iter().find_map(|p| p.field.as_ref());
                    if let Some(tab) = field.and_then(problems::editor_tab) {
                        self.editor.show_tab(tab);
                    }
                    self.load_scopes(cx);
                }
            }
        }
    }

    fn on_loaded(&mut self, loaded: LoadedWorkspace, load: Load, cx: &mut Cx) {
        let LoadedWorkspace {
            workspace,
            disk,
            rows,
        } = loaded;
        self.on_workspace(workspace, load, Some((disk, rows)), cx);
    }

    /// A workspace read from disk; `Load::Partial` is the first part of
    /// the first load, where what is not there yet is not gone. `made`:
    /// its requests by path and its tree rows, when the loader made them
    /// (else made here).
    fn on_workspace(
        &mut self,
        ws: Workspace,
        load: Load,
        made: Option<(HashMap<String, Request>, Vec<tree::Node>)>,
        cx: &mut Cx,
    ) {
        let (disk, rows) = match made {
            Some((disk, rows)) => (disk, rows),
            None => (documents::disk_versions(&ws), tree::rows(&ws)),
        };
        let partial = load == Load::Partial;
        if !ws.diagnostics.is_empty() {
            let errors = ws.diagnostics.iter().filter(|d| d.is_error()).count();
            // An error first, then a warning; notes wait for `postie ls`.
            let shown = (ws.diagnostics.iter().find(|d| d.is_error()))
                .or_else(|| ws.diagnostics.iter().find(|d| !d.is_note()));
            if let Some(first) = shown {
                let msg = first.render_short();
                if errors > 0 {
                    cx.error(format!(
                        "{errors} {} could not be read; first: {msg}",
                        if errors == 1 { "file" } else { "files" }
                    ));
                } else {
                    cx.info(msg);
                }
            }
        }
        if self.workspace.is_none() {
            self.choose_first_environment(&ws, cx);
        }
        if !self.damaged_state.is_empty() {
            cx.error(std::mem::take(&mut self.damaged_state).join("; "));
        }
        self.tree.set_rows(rows, load);
        // Reconcile what we know with the disk.
        // `saved` takes the disk's version of every request but the open
        // one, whose disk change is looked at first.
        let open = self.editor.path().map(str::to_string);
        let requests = ws.requests();
        let mut disk = disk;
        if let Some(p) = open.as_deref().filter(|p| self.docs.is_known(p)) {
            disk.remove(p);
        }
        let open_on_disk = open.as_ref().and_then(|p| {
            requests
                .iter()
                .find(|r| &r.path == p)
                .map(|r| r.request.clone())
        });
        // Asked only for a pending selection: a set of 100,000 paths would
        // cost its frame 24 ms for one lookup.
        let on_disk = |p: &str| requests.iter().any(|r| r.path == p);
        if let Some(path) = open.clone() {
            match open_on_disk.as_ref() {
                Some(d) if self.docs.differs(&path, d) => {
                    let dirty = self.docs.saved(&path).map(Some) != Some(self.editor.request());
                    if dirty {
                        self.overlay = Some(Overlay::Dialog(Dialog::choice(
                            "Changed on disk",
                            &format!("{path} changed on disk while you were editing it."),
                            vec![
                                (
                                    "Keep my edits",
                                    Some(Answer::KeepMine { path: path.clone() }),
                                ),
                                (
                                    "Take the disk's version",
                                    Some(Answer::TakeDisk { path: path.clone() }),
                                ),
                            ],
                        )));
                    } else {
                        self.editor.replace_from_disk(d.clone());
                        self.docs.set_saved(path.clone(), d.clone());
                        cx.info(format!("{path} reloaded from disk"));
                    }
                }
                None if self.workspace.is_some() && !partial => {
                    cx.info(format!(
                        "{path} is no longer on disk; save to write it again"
                    ));
                }
                _ => {}
            }
        }
        // What the rest of the first load may bring waits for it.
        let pending = match &self.pending_select {
            Some(p) if partial && !on_disk(p) => None,
            _ => self.pending_select.take(),
        };
        // A new collection is shown (selected), a new request opened too.
        let show = pending
            .as_ref()
            .filter(|p| ws.collections.iter().any(|c| &c.path == *p))
            .cloned();
        let select = pending.filter(|p| on_disk(p));
        drop(requests);
        self.docs.take_disk(disk);
        if let Some(old) = self.workspace.replace(ws) {
            drop_elsewhere(old);
        }
        if let Some(p) = select {
            self.tree.select_path(&p);
            self.open_request(&p, cx);
        } else if let Some(p) = show {
            self.tree.select_path(&p);
            self.focus = Focus::Tree;
        }
        if !partial {
            cx.effect(Effect::RefreshGitStatus);
        }
    }

    /// The first load's environment, by the rule `postie send` uses too:
    /// `open --env`, else the last one chosen here, else the workspace's
    /// default, else none.
    fn choose_first_environment(&mut self, ws: &Workspace, cx: &mut Cx) {
        let mut explicit = self.environment.take();
        if let Some(e) = explicit.as_ref().filter(|e| !ws.environments.contains(e)) {
            // The app still opens; it says so and chooses as if not asked.
            cx.error(
                crate::storage::StorageError::NoSuchEnvironment {
                    name: e.clone(),
                    available: ws.environments.clone(),
                }
                .to_string(),
            );
            explicit = None;
        }
        let choice = choose_environment(
            explicit.as_deref(),
            &self.remembered_environment,
            ws.config.default_environment.as_deref(),
            &ws.environments,
        );
        for w in &choice.warnings {
            cx.error(w.to_string());
        }
        self.environment = choice.name;
        cx.effect(Effect::LoadVars(self.sources()));
    }

    fn open_request(&mut self, path: &str, cx: &mut Cx) {
        if self.editor.path() == Some(path) {
            self.focus = Focus::Editor;
            return;
        }
        // Keep unsaved edits of the request we leave.
        if let (Some(p), Some(r)) = (
            self.editor.path().map(str::to_string),
            self.editor.request().cloned(),
        ) {
            self.docs.leave(p, r);
        }
        let request = match self.docs.take_for_open(path) {
            Some(r) => r,
            None => {
                cx.error(format!(
                    "{path} could not be read; see the tree for the error"
                ));
                return;
            }
        };
        self.editor.open(path.to_string(), request);
        let inherited = self.inherited_auth(path);
        self.editor.set_inherited_auth(inherited);
        self.editor.set_token_status(None);
        self.load_scopes(cx);
        self.token_status(false, cx);
        self.tree.select_path(path);
        self.focus = Focus::Editor;
    }

    /// What auth `inherit` means for `path`, for the editor to show.
    fn inherited_auth(&self, path: &str) -> Option<String> {
        let ctx = self.context_for(path, Request::new("GET", "/"))?;
        ctx.chain
            .iter()
            .rev()
            .find(|(_, f)| !f.auth.auth.is_inherit())
            .map(|(p, f)| match &f.auth.auth {
                Auth::None => format!("none (from {p})"),
                other => format!("{} (from {p})", other.type_name()),
            })
    }

    fn on_notice(&mut self, n: Notice, cx: &mut Cx) {
        match n {
            Notice::OpenRequest(p) => self.open_request(&p, cx),
            Notice::SaveExample { path, example } => self.ask_example_name(path, example, cx),
            Notice::AskName { purpose, initial } => {
                self.overlay = Some(Overlay::Dialog(Dialog::name(purpose, initial)));
            }
            Notice::OfferEdit { file, message } => {
                self.overlay = Some(Overlay::Dialog(Dialog::choice(
                    &format!("{} could not be read", file.display()),
                    &message,
                    vec![
                        ("Open in $EDITOR", Some(Answer::EditFile { file })),
                        ("Cancel", None),
                    ],
                )));
            }
            Notice::ConfirmDelete { path } => {
                self.overlay = Some(Overlay::Dialog(Dialog::choice(
                    "Delete?",
                    &format!("Delete {path} and its body, scripts and examples?"),
                    vec![("Cancel", None), ("Delete", Some(Answer::Delete { path }))],
                )));
            }
            Notice::RunAction(a) => match a.pane() {
                Some(_) => self.run_in_pane(a, cx),
                None => self.global(a, cx),
            },
            Notice::SelectEnvironment(e) => {
                cx.info(match &e {
                    Some(n) => format!("environment: {n}"),
                    None => "no environment".to_string(),
                });
                // Remembered for the next start and for `postie send`.
                cx.effect(Effect::RememberEnvironment(e.clone()));
                self.environment = e;
                cx.effect(Effect::LoadVars(self.sources()));
            }
            Notice::CloseOverlay => self.overlay = None,
            Notice::SaveScriptVars => {
                let env = self.environment.clone().unwrap_or_default();
                match self.session.environments.get(&env) {
                    Some(changes) if !env.is_empty() && !changes.is_empty() => {
                        cx.effect(Effect::SaveScriptVars {
                            environment: env,
                            changes: changes.clone(),
                        });
                    }
                    _ => cx.info(
                        "nothing to save: scripts set no variable in the current environment",
                    ),
                }
            }
            Notice::OpenScript {
                file,
                line,
                column,
                test,
            } => match self
                .editor
                .reveal_script(&file, line, column, test.as_deref())
            {
                Ok(at) => {
                    self.focus = Focus::Editor;
                    cx.info(at);
                }
                Err(e) => cx.error(e),
            },
            Notice::Answer(a) => self.on_answer(a, cx),
        }
    }

    fn on_answer(&mut self, a: Answer, cx: &mut Cx) {
        match a {
            Answer::SaveAllAndQuit => {
                self.save_all(cx);
                cx.effect(Effect::Quit);
            }
            Answer::DiscardAndQuit => cx.effect(Effect::Quit),
            Answer::TakeDisk { path } => {
                if let Some(d) = self.workspace.as_ref().and_then(|w| {
                    w.requests()
                        .into_iter()
                        .find(|r| r.path == path)
                        .map(|r| r.request.clone())
                }) {
                    self.docs.set_saved(path.clone(), d.clone());
                    if self.editor.path() == Some(path.as_str()) {
                        self.editor.replace_from_disk(d);
                    }
                }
            }
            Answer::EditFile { file } => cx.effect(Effect::EditFile(self.root.join(file))),
            Answer::KeepMine { path } => {
                // The disk version becomes the baseline; the edits stay dirty.
                if let Some(d) = self.workspace.as_ref().and_then(|w| {
                    w.requests()
                        .into_iter()
                        .find(|r| r.path == path)
                        .map(|r| r.request.clone())
                }) {
                    self.docs.set_saved(path, d);
                }
            }
            Answer::Delete { path } => {
                if let Some((dir, stem)) = split_path(&self.root, &path) {
                    if self.editor.path() == Some(path.as_str()) {
                        self.editor = EditorPane::default();
                    }
                    self.docs.forget(&path);
                    cx.effect(Effect::FileOp(FileOp::Delete { dir, stem }));
                }
            }
            Answer::Name { purpose, name } => self.on_name(purpose, name, cx),
            Answer::ExportAs { path, format } => {
                let stem = crate::storage::workspace::last_segment(&path).to_string();
                self.overlay = Some(Overlay::Dialog(Dialog::name(
                    NamePurpose::Export { path, format },
                    format.default_file(&stem),
                )));
            }
        }
    }

    fn on_name(&mut self, purpose: NamePurpose, name: String, cx: &mut Cx) {
        use crate::storage::layout::slugify;
        let stem = slugify(&name);
        match purpose {
            NamePurpose::Import => cx.effect(Effect::Import { file: name }),
            NamePurpose::Example { path } => self.save_example(path, name, cx),
            NamePurpose::Export { path, format } => cx.effect(Effect::Export {
                source: path,
                format,
                file: name,
            }),
            NamePurpose::NewRequest { parent } => {
                let dir = self.root.join(&parent);
                self.pending_select = Some(format!("{parent}/{stem}"));
                cx.effect(Effect::FileOp(FileOp::NewRequest { dir, stem, name }));
            }
            // A folder at the top level is a collection.
            NamePurpose::NewFolder { parent } if parent.is_empty() => {
                cx.effect(Effect::FileOp(FileOp::NewCollection { name }));
            }
            NamePurpose::NewFolder { parent } => {
                let dir = self.root.join(&parent).join(&stem);
                cx.effect(Effect::FileOp(FileOp::NewFolder { dir }));
            }
            NamePurpose::Rename { path }
            | NamePurpose::Duplicate { path }
            | NamePurpose::Move { path }
                if self.dirty_paths().contains(&path) =>
            {
                cx.error(format!("save or discard the edits of {path} first"));
            }
            NamePurpose::Rename { path } => {
                if let Some((dir, from)) = split_path(&self.root, &path) {
                    let parent = path.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                    self.pending_select = Some(format!("{parent}/{stem}"));
                    if self.editor.path() == Some(path.as_str()) {
                        self.editor = EditorPane::default();
                    }
                    cx.effect(Effect::FileOp(FileOp::Rename {
                        dir,
                        from,
                        to: stem,
                    }));
                }
            }
            NamePurpose::Duplicate { path } => {
                if let Some((dir, from)) = split_path(&self.root, &path) {
                    let parent = path.rsplit_once('/').map(|(p, _)| p).unwrap_or("");
                    self.pending_select = Some(format!("{parent}/{stem}"));
                    cx.effect(Effect::FileOp(FileOp::Duplicate {
                        dir,
                        from,
                        to: stem,
                    }));
                }
            }
            NamePurpose::Move { path } => {
                let target = name.trim_matches('/').to_string();
                if let Some((from_dir, stem)) = split_path(&self.root, &path) {
                    if target.is_empty()
                        || target
                            .split('/')
                            .any(|s| s.is_empty() || s.starts_with('.'))
                    {
                        cx.error(format!("`{target}` is not a folder path"));
                        return;
                    }
                    self.pending_select = Some(format!("{target}/{stem}"));
                    if self.editor.path() == Some(path.as_str()) {
                        self.editor = EditorPane::default();
                    }
                    cx.effect(Effect::FileOp(FileOp::Move {
                        from_dir,
                        stem,
                        to_dir: self.root.join(&target),
                    }));
                }
            }
        }
    }

    fn on_mouse(&mut self, m: crossterm::event::MouseEvent, cx: &mut Cx) {
        use crossterm::event::MouseEventKind;
        if self.overlay.is_some() || self.runner_shown {
            return;
        }
        let a = self.areas();
        let hit = |r: Option<Rect>| {
            r.is_some_and(|r| r.contains(ratatui::layout::Position::new(m.column, m.row)))
        };
        let target = if hit(a.tree) {
            Focus::Tree
        } else if hit(a.editor) {
            Focus::Editor
        } else if hit(a.response) {
            Focus::Response
        } else {
            return;
        };
        match m.kind {
            MouseEventKind::Down(_) => self.focus = target,
            MouseEventKind::ScrollUp | MouseEventKind::ScrollDown => {
                let saved = self.focus;
                self.focus = target;
                let action = if matches!(m.kind, MouseEventKind::ScrollUp) {
                    Action::Up
                } else {
                    Action::Down
                };
                for _ in 0..3 {
                    self.dispatch(Input::Action(action), cx);
                }
                self.focus = saved;
            }
            _ => {}
        }
    }

    /// Applies what panes asked for, then keeps derived state in step.
    fn finish(&mut self, mut cx: Cx) -> Vec<Effect> {
        // An overlay that says "close me" is closed before its other
        // notices run, so an answer that opens a new overlay keeps it.
        while !cx.notices.is_empty() {
            let batch = std::mem::take(&mut cx.notices);
            if batch.contains(&Notice::CloseOverlay) {
                self.overlay = None;
            }
            for n in batch {
                if n != Notice::CloseOverlay {
                    self.on_notice(n, &mut cx);
                }
            }
        }
        if let Some(s) = cx.status.take() {
            self.status = Some(s);
        }
        let effects = cx.effects;
        if effects.iter().any(|e| matches!(e, Effect::Quit)) {
            self.quit = true;
        }
        self.tree.set_dirty(self.dirty_paths());
        self.editor.set_syntax_theme(&self.theme.syntax);
        self.sync_viewports();
        effects
    }

    fn sync_viewports(&mut self) {
        let a = self.areas();
        if let Some(r) = a.tree {
            self.tree.set_viewport(r.height.saturating_sub(2));
        }
        if let Some(r) = a.editor {
            let (w, h) = layout::inner(r);
            self.editor.set_viewport(w, h);
        }
        if let Some(r) = a.response {
            let (w, h) = layout::inner(r);
            self.response_mut().set_viewport(w, h);
        }
        let size = self.size;
        if let Some(h) = self.history.as_mut() {
            let rows = runner::area(size).height.saturating_sub(2);
            h.set_height(usize::from(
                rows.saturating_sub(super::components::history::draw::CHROME_ROWS),
            ));
        }
        if let Some(r) = self.runner.as_mut() {
            let list = runner::draw::parts(r, runner::area(size)).list;
            r.set_viewport(list.height);
        }
        match self.overlay.as_mut() {
            Some(Overlay::Help(h)) => h.set_viewport(HelpOverlay::area(size)),
            Some(Overlay::Palette(p)) => p.set_viewport(layout::centered(size, 90, 24).height),
            _ => {}
        }
    }

    /// Whether anything is in flight (the loop ticks the spinner only then).
    pub fn busy(&self) -> bool {
        !self.in_flight.is_empty() || self.runner.as_ref().is_some_and(RunnerView::running)
    }

    /// Whether a pane has work to finish in slices (a long search).
    pub fn working(&self) -> bool {
        self.response().busy()
    }

    /// Key hints for the footer: a few of the focused pane's actions, then
    /// the ones that matter everywhere, in short words.
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let ctx = self.focused_context();
        let contexts = [ctx, KeyContext::Global];
        if let Some(r) = self.shown_runner().filter(|_| ctx == KeyContext::Runner) {
            let key = |a| self.keymap.key_for(&contexts, a);
            return (r.hints().into_iter())
                .filter_map(|(a, label)| key(a).map(|k| (k, label)))
                .collect();
        }
        let wanted: Vec<Action> = match ctx {
            KeyContext::Text => vec![Action::Back, Action::Save, Action::Send],
            KeyContext::Palette | KeyContext::Dialog => vec![Action::Select, Action::Back],
            KeyContext::Help => vec![Action::Down, Action::Back],
            // The view's own footer lists its keys.
            KeyContext::History => vec![Action::Help, Action::Quit],
            _ => {
                let pane = self.focused_actions();
                let mut w: Vec<Action> = [
                    Action::OpenScriptError,
                    Action::Filter,
                    Action::Edit,
                    Action::NextTab,
                    Action::Search,
                ]
                .into_iter()
                .filter(|a| pane.contains(a))
                .take(2)
                .collect();
                // The tree runs its selection; saving is the editor's word.
                let tree = ctx == KeyContext::Tree;
                if tree {
                    w.push(Action::Run);
                }
                w.extend(
                    [
                        Action::Send,
                        Action::Save,
                        Action::Help,
                        Action::Palette,
                        Action::SwitchEnv,
                        Action::Quit,
                    ]
                    .into_iter()
                    .filter(|a| !(tree && *a == Action::Save)),
                );
                w
            }
        };
        wanted
            .into_iter()
            .filter_map(|a| {
                self.keymap
                    .key_for(&contexts, a)
                    .map(|k| (k, short_label(a)))
            })
            .collect()
    }
}

/// One or two words for the footer, where space is short.
fn short_label(a: Action) -> &'static str {
    match a {
        Action::Filter => "find",
        Action::Edit => "edit",
        Action::NextTab => "tab",
        Action::Search => "search",
        Action::Send => "send",
        Action::Save => "save",
        Action::Help => "keys",
        Action::Palette => "palette",
        Action::SwitchEnv => "env",
        Action::Quit => "quit",
        Action::Back => "done",
        Action::Select => "choose",
        Action::Down => "scroll",
        Action::OpenScriptError => "open line",
        Action::Run => "run",
        Action::ShowRun => "last run",
        other => other.describe(),
    }
}

/// A response pane sharing the app's syntect assets (loaded lazily: they
/// cost tens of milliseconds, which the first frame should not pay).
fn new_pane(
    syntax: &str,
    assets: &std::sync::OnceLock<std::sync::Arc<SyntaxAssets>>,
) -> ResponsePane {
    ResponsePane::new(syntax).with_assets(assets.get_or_init(SyntaxAssets::load).clone())
}

/// `users/admin/get` → (`<root>/users/admin`, `get`).
/// Drops a replaced workspace on a thread of its own: freeing 100,000
/// requests is tens of milliseconds the app's thread need not wait.
fn drop_elsewhere(old: Workspace) {
    // Where no thread can be made, `spawn` drops the closure, and the
    // workspace with it, right here.
    let _ = std::thread::Builder::new()
        .name("drop".into())
        .spawn(move || drop(old));
}

fn split_path(root: &std::path::Path, path: &str) -> Option<(PathBuf, String)> {
    let (dir, stem) = path.rsplit_once('/')?;
    Some((root.join(dir), stem.to_string()))
}

mod documents;
pub use documents::disk_versions;
mod examples;
mod history;
#[cfg(test)]
mod loading_tests;
#[cfg(test)]
mod oauth_tests;
mod runs;
#[cfg(test)]
mod tests;

/// `, tests 3/4` for the status line after a send with tests.
fn outcome_summary(outcome: &crate::script::Outcome) -> String {
    let total = outcome.tests.len();
    let passed = outcome
        .tests
        .iter()
        .filter(|t| t.passed && !t.skipped)
        .count();
    let errors = outcome.errors.len();
    match (total, errors) {
        (0, 0) => String::new(),
        (_, 0) => format!(", tests {passed}/{total}"),
        (_, e) => format!(
            ", tests {passed}/{total}, {e} script error{}",
            if e == 1 { "" } else { "s" }
        ),
    }
}
