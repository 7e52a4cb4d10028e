//! The app's bookkeeping of request documents: the version on disk of each
//! request it knows, and the unsaved edits of requests not open in the
//! editor (the open one's edits live in the editor). Dirty marks, save all,
//! runs of unsaved edits and reconciling with the disk all read it.

use std::collections::{HashMap, HashSet};

use crate::model::Request;

#[derive(Debug, Default)]
pub struct Documents {
    /// The on-disk version of each request we know, to tell edits from
    /// disk changes.
    saved: HashMap<String, Request>,
    /// Unsaved edits of requests not open in the editor right now.
    drafts: HashMap<String, Request>,
}

impl Documents {
    pub fn saved(&self, path: &str) -> Option<&Request> {
        self.saved.get(path)
    }

    pub fn is_known(&self, path: &str) -> bool {
        self.saved.contains_key(path)
    }

    /// Whether `shown` differs from what is on disk for `path`.
    pub fn differs(&self, path: &str, shown: &Request) -> bool {
        self.saved.get(path) != Some(shown)
    }

    pub fn set_saved(&mut self, path: String, request: Request) {
        self.saved.insert(path, request);
    }

    /// `path` was deleted: nothing of it is kept.
    pub fn forget(&mut self, path: &str) {
        self.saved.remove(path);
        self.drafts.remove(path);
    }

    /// Paths with unsaved edits; `open` is the editor's request.
    pub fn dirty(&self, open: Option<(&str, &Request)>) -> HashSet<String> {
        let mut out: HashSet<String> = self.drafts.keys().cloned().collect();
        if let Some((p, _)) = open.filter(|(p, r)| self.differs(p, r)) {
            out.insert(p.to_string());
        }
        out
    }

    /// Every request with unsaved edits, as shown, sorted by path.
    pub fn unsaved(&self, open: Option<(&str, &Request)>) -> Vec<(String, Request)> {
        let mut all: Vec<(String, Request)> = (self.drafts.iter())
            .map(|(p, r)| (p.clone(), r.clone()))
            .collect();
        if let Some((p, r)) = open.filter(|(p, r)| self.differs(p, r)) {
            all.push((p.to_string(), r.clone()));
        }
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }

    /// The drafts and the open request as shown (what a run sends).
    pub fn as_shown(&self, open: Option<(&str, &Request)>) -> Vec<(String, Request)> {
        let mut all: Vec<(String, Request)> = (self.drafts.iter())
            .map(|(p, r)| (p.clone(), r.clone()))
            .collect();
        if let Some((p, r)) = open {
            all.push((p.to_string(), r.clone()));
        }
        all
    }

    /// The editor leaves `path`, showing `shown`: its edits are kept.
    pub fn leave(&mut self, path: String, shown: Request) {
        if self.differs(&path, &shown) {
            self.drafts.insert(path, shown);
        }
    }

    /// What the editor shows when it opens `path`: its edits, else the
    /// version on disk.
    pub fn take_for_open(&mut self, path: &str) -> Option<Request> {
        (self.drafts.remove(path)).or_else(|| self.saved.get(path).cloned())
    }

    /// A save of `path` landed. `open` is the editor's request when the
    /// editor shows `path`; else it was a draft (save all), now on disk.
    pub fn landed(&mut self, path: &str, open: Option<&Request>) {
        match open {
            Some(r) => {
                self.saved.insert(path.to_string(), r.clone());
            }
            None => {
                if let Some(d) = self.drafts.remove(path) {
                    self.saved.insert(path.to_string(), d);
                }
            }
        }
    }

    /// The disk's versions of requests (a workspace load), taken as saved.
    /// The map itself is kept and what was known before is moved into it,
    /// not the other way round: requests are large values, and moving a
    /// 100,000-request load into the old map took most of a 190 ms frame.
    pub fn take_disk(&mut self, disk: HashMap<String, Request>) {
        let before = std::mem::replace(&mut self.saved, disk);
        for (path, request) in before {
            self.saved.entry(path).or_insert(request);
        }
    }
}

/// Every request of `ws` by path: what [`Documents::take_disk`] takes. A
/// clone of each request, so for a big workspace it is made on the thread
/// that loaded it, not in the app's `update`.
pub fn disk_versions(ws: &crate::storage::Workspace) -> HashMap<String, Request> {
    (ws.requests().into_iter())
        .map(|r| (r.path.clone(), r.request.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(url: &str) -> Request {
        Request::new("GET", url)
    }

    #[test]
    fn a_load_s_versions_win_and_requests_it_lacks_stay_known() {
        let mut d = Documents::default();
        d.set_saved("a".into(), req("/a-old"));
        d.set_saved("kept".into(), req("/kept"));
        let disk = HashMap::from([
            ("a".to_string(), req("/a-new")),
            ("b".to_string(), req("/b")),
        ]);
        d.take_disk(disk);
        assert_eq!(d.saved("a"), Some(&req("/a-new")));
        assert_eq!(d.saved("b"), Some(&req("/b")));
        assert_eq!(d.saved("kept"), Some(&req("/kept")));
    }

    #[test]
    fn edits_survive_leaving_a_request_and_saving_lands_them() {
        let mut d = Documents::default();
        d.set_saved("a".into(), req("/a"));
        d.set_saved("b".into(), req("/b"));
        // Open a, edit it, leave it for b: the edit is a draft.
        let shown = d.take_for_open("a").unwrap();
        assert_eq!(shown, req("/a"));
        d.leave("a".into(), req("/a2"));
        let b = d.take_for_open("b").unwrap();
        assert_eq!(d.dirty(Some(("b", &b))), HashSet::from(["a".to_string()]));
        // b edited too: both unsaved, sorted; a run sends both as shown.
        let b2 = req("/b2");
        let unsaved = d.unsaved(Some(("b", &b2)));
        assert_eq!(
            unsaved,
            [("a".into(), req("/a2")), ("b".into(), b2.clone())]
        );
        assert_eq!(d.as_shown(Some(("b", &b))).len(), 2);
        // Saves land: the draft and the open one.
        d.landed("a", None);
        d.landed("b", Some(&b2));
        assert!(d.dirty(Some(("b", &b2))).is_empty());
        assert_eq!(d.take_for_open("a"), Some(req("/a2")));
        // Leaving a clean request keeps no draft; deleting forgets.
        d.leave("b".into(), b2);
        assert!(d.dirty(None).is_empty());
        d.forget("a");
        assert!(!d.is_known("a"));
    }
}
