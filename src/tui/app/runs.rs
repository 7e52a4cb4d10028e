//! Collection runs from the tree, connected to the app.

use super::*;

/// Collection runs from the tree: the runner view's state lives in its
/// component; these connect it to the tree, the editor and the panes.
impl App {
    /// The runner view, when it covers the panes.
    pub fn shown_runner(&self) -> Option<&RunnerView> {
        self.runner.as_ref().filter(|_| self.runner_shown)
    }

    /// What the runner view leaves to the app.
    pub(super) fn runner_action(&mut self, action: Action, cx: &mut Cx) {
        match action {
            Action::Select => self.open_run_row(cx),
            Action::Back => self.runner_shown = false,
            Action::Run => {
                if let Some(target) = self.runner.as_ref().map(|r| r.target.clone()) {
                    self.start_run(target, cx);
                }
            }
            Action::FocusNext
            | Action::FocusPrev
            | Action::FocusTree
            | Action::FocusEditor
            | Action::FocusResponse => {
                self.runner_shown = false;
                self.global(action, cx);
            }
            other => self.global(other, cx),
        }
    }

    /// Runs the tree's selection: a collection or folder, or a request's
    /// folder.
    pub(super) fn run_selected(&mut self, cx: &mut Cx) {
        let Some(n) = self.tree.selected() else {
            cx.info("select a collection, folder or request in the tree first");
            return;
        };
        let target = match n.kind {
            RowKind::Collection | RowKind::Folder => n.path.clone(),
            RowKind::Request { .. } | RowKind::Broken { .. } => {
                let parent = n.path.rsplit_once('/').map(|(p, _)| p);
                parent.unwrap_or(&n.path).to_string()
            }
        };
        self.start_run(target, cx);
    }

    pub(super) fn start_run(&mut self, target: String, cx: &mut Cx) {
        if let Some(r) = self.runner.as_ref().filter(|r| r.running()) {
            cx.info(format!("{} is still running; esc stops it", r.target));
            self.runner_shown = true;
            return;
        }
        let (Some(ws), Some(inputs)) = (self.workspace.as_ref(), self.inputs()) else {
            cx.info("the workspace or environment is still loading; try again");
            return;
        };
        // Unsaved edits run as they are on screen, as a send would.
        let edits = self.docs.as_shown(self.open_request_shown());
        let run = self.next_id;
        self.next_id += 1;
        match runner::plan_run(ws, &target, &edits, inputs, run) {
            Ok((view, effect)) => {
                cx.info(format!("running {target}"));
                cx.effect(effect);
                self.runner = Some(view);
                self.runner_shown = true;
            }
            Err(e) => cx.error(e),
        }
    }

    /// Opens the selected execution's request; a failure's response (head,
    /// kept body, tests) goes to its response pane.
    pub(super) fn open_run_row(&mut self, cx: &mut Cx) {
        let Some(e) = self.runner.as_ref().and_then(|r| r.selected()).cloned() else {
            return;
        };
        let path = e.item.id.clone();
        self.runner_shown = false;
        self.open_request(&path, cx);
        if self.editor.path() != Some(path.as_str()) {
            return;
        }
        let back = (self.keymap.key_for(&[KeyContext::Global], Action::ShowRun))
            .map(|k| format!("; {k} shows the run again"))
            .unwrap_or_default();
        if !e.failed() {
            cx.info(format!(
                "{path} passed in the run (only failures keep their response){back}"
            ));
            return;
        }
        let pane = self.pane_for(path.clone());
        let whole = runner::show_in_pane(&e, pane);
        let tests_failed = !e.script_errors.is_empty() || e.tests.iter().any(|t| t.failed());
        if e.response.is_some() && tests_failed {
            pane.show_tab(crate::tui::components::response::Tab::Tests);
        }
        self.focus = Focus::Response;
        let kept = if whole {
            ""
        } else {
            " (its body was not kept)"
        };
        cx.info(format!("{path}: its response in the run{kept}{back}"));
    }
}
