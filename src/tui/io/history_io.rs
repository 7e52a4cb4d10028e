//! The history effects, on a blocking thread: list, open, step through and
//! diff the workspace's history for the app. Each answers with one message.

use crate::history::{self, Filter, History};
use crate::tui::effect::Effect;
use crate::tui::msg::Msg;

/// What a history effect answers when history is off.
pub fn off(effect: Effect) -> Option<Msg> {
    let why = "history is off (POSTIE_HISTORY=off)".to_string();
    Some(match effect {
        Effect::ListHistory { generation, .. } => Msg::HistoryListed {
            generation,
            result: Err(why),
            warnings: 0,
        },
        Effect::OpenHistory { position, .. } => Msg::HistoryRecord {
            result: Err(why),
            position,
        },
        Effect::DiffHistory { .. } => Msg::HistoryDiff(Err(why)),
        Effect::StepHistory { .. } => Msg::Info(why),
        _ => return None,
    })
}

pub fn perform(h: &History, effect: Effect) -> Option<Msg> {
    // What the app sent a moment ago is in the writer's queue: wait for it,
    // so the list has it. A failed write was said when it happened.
    let _ = h.flush();
    Some(match effect {
        Effect::ListHistory { generation, filter } => {
            let loaded = h.list(&filter);
            Msg::HistoryListed {
                generation,
                result: Ok(loaded.value),
                warnings: loaded.warnings.len(),
            }
        }
        Effect::OpenHistory { id, position } => Msg::HistoryRecord {
            result: open(h, &id),
            position,
        },
        Effect::DiffHistory { old, new } => Msg::HistoryDiff(diff(h, &old, &new)),
        Effect::StepHistory {
            request,
            from,
            older,
        } => step(h, request, from, older),
        _ => return None,
    })
}

fn open(h: &History, id: &str) -> Result<Box<history::Record>, String> {
    h.load(id)
        .map(|l| Box::new(l.value))
        .map_err(|e| e.to_string())
}

fn diff(
    h: &History,
    old: &str,
    new: &str,
) -> Result<(String, Vec<history::diff_text::Line>), String> {
    let a = h.load(old).map_err(|e| e.to_string())?.value;
    let b = h.load(new).map_err(|e| e.to_string())?.value;
    let d = history::diff(&a, &b);
    let title = if a.request.key == b.request.key {
        format!("{} · {} → {}", a.request.key, a.id, b.id)
    } else {
        format!("{} {} → {} {}", a.request.key, a.id, b.request.key, b.id)
    };
    Ok((title, history::diff_text::lines(&a, &b, &d)))
}

/// The exchange of `request` next to `from` in time, opened.
fn step(h: &History, request: String, from: Option<String>, older: bool) -> Msg {
    let filter = Filter {
        request: Some(request.clone()),
        ..Filter::default()
    };
    // Newest first; only this request's entries (not its folder's).
    let entries: Vec<history::Entry> = (h.list(&filter).value.into_iter())
        .filter(|e| e.request == request)
        .collect();
    let n = entries.len();
    let at = from.and_then(|id| entries.iter().position(|e| e.id == id));
    let to = match (at, older) {
        (None, _) => Some(0),
        (Some(i), true) => Some(i + 1).filter(|&j| j < n),
        (Some(i), false) => i.checked_sub(1),
    };
    let Some(to) = to.filter(|&j| j < n) else {
        let which = if older { "older" } else { "newer" };
        return Msg::Info(format!("no {which} exchange of this request in history"));
    };
    Msg::HistoryRecord {
        result: open(h, &entries[to].id),
        position: Some((to + 1, n)),
    }
}
