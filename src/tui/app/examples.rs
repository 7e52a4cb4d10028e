//! A response kept as an example of its request: the pane hands over what
//! it shows, the app asks for a name, adds the example to the request and
//! saves it (the body a sidecar beside the request, so the team sees it in
//! git). Only `Content-Type` of the headers is kept: the rest (cookies,
//! tokens, dates) is volatile or secret, and a committed file holds neither.

use super::{split_path, App};
use crate::model::{Example, KeyValue};
use crate::storage::layout::slugify;
use crate::tui::component::{Cx, ExampleDraft, NamePurpose, Notice};
use crate::tui::effect::Effect;

impl App {
    /// Asks for the name of an example of `path` made of `draft`.
    pub(super) fn ask_example_name(&mut self, path: String, draft: ExampleDraft, cx: &mut Cx) {
        if self.dirty_paths().contains(&path) {
            return cx.error(format!(
                "save or discard the edits of {path} first: the example is saved with the request"
            ));
        }
        let Some(request) = self.docs.saved(&path) else {
            return cx.error(format!("{path} is not a request of this workspace"));
        };
        let base = format!("{} {}", draft.status, draft.reason)
            .trim()
            .to_string();
        let initial = unique_name(&base, &request.examples);
        self.pending_example = Some((path.clone(), draft));
        cx.notice(Notice::AskName {
            purpose: NamePurpose::Example { path },
            initial,
        });
    }

    /// The name came: the example joins the request, which is saved.
    pub(super) fn save_example(&mut self, path: String, name: String, cx: &mut Cx) {
        let Some((for_path, draft)) = self.pending_example.take() else {
            return;
        };
        let name = name.trim().to_string();
        if for_path != path || name.is_empty() || slugify(&name).is_empty() {
            return cx.error("not saved: an example needs a name with a letter or digit");
        }
        let Some(mut request) = self.docs.saved(&path).cloned() else {
            return cx.error(format!("{path} is not a request of this workspace"));
        };
        if (request.examples.iter()).any(|e| slugify(&e.name) == slugify(&name)) {
            return cx.error(format!(
                "{path} has an example named like `{name}` already; choose another name"
            ));
        }
        request.examples.push(Example {
            name: name.clone(),
            status: Some(draft.status),
            headers: (draft.content_type.into_iter())
                .map(|v| KeyValue::new("Content-Type", v))
                .collect(),
            extra: Default::default(),
            body: Some(draft.body),
        });
        let Some((dir, stem)) = split_path(&self.root, &path) else {
            return;
        };
        // The editor (and what the app holds as saved) show it at once;
        // `Msg::Saved` says whether it landed.
        if self.editor.path() == Some(path.as_str()) {
            self.editor.replace_from_disk(request.clone());
        }
        self.docs.set_saved(path.clone(), request.clone());
        cx.info(format!("saving example `{name}` of {path}"));
        cx.effect(Effect::SaveRequest {
            path,
            dir,
            stem,
            request: Box::new(request),
        });
    }
}

/// `base`, or `base 2`, `base 3`… so the file name is new.
fn unique_name(base: &str, examples: &[Example]) -> String {
    let taken = |n: &str| examples.iter().any(|e| slugify(&e.name) == slugify(n));
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}
