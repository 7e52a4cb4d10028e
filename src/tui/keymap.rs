//! Keymaps: key sequences to [`Action`]s, one table per [`KeyContext`].
//!
//! The defaults are compiled in from `keymaps/default.toml`; a user file
//! (`~/.config/postie/keymap.toml`) merges over them and may start from
//! the vim preset. A bad file is reported as `path:line:column` with the key,
//! and postie starts on the defaults.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, KeyContext};

pub const DEFAULT_TOML: &str = include_str!("../../keymaps/default.toml");
pub const VIM_TOML: &str = include_str!("../../keymaps/vim.toml");

/// One key press: a code and its modifiers (shift only where it matters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    /// Normalises a terminal key event: shift is folded into letters'
    /// case so `shift-n`, `N` and shift+n are the same chord.
    pub fn from_event(ev: &KeyEvent) -> Chord {
        let mut mods =
            ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match ev.code {
            KeyCode::Char(c) if c.is_ascii_uppercase() => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Char(c)
            }
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_lowercase() => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            // Punctuation already carries its shift ('?' not shift-/).
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c)
            }
            KeyCode::BackTab => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            other => other,
        };
        Chord { code, mods }
    }

    pub fn parse(s: &str) -> Result<Chord, String> {
        let mut mods = KeyModifiers::empty();
        let mut rest = s;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, m) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            if rest.len() == prefix.len() {
                break; // "ctrl-" alone: '-' is the key
            }
            mods |= m;
            rest = &rest[prefix.len()..];
        }
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => {
                mods |= KeyModifiers::SHIFT;
                KeyCode::Tab
            }
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" | "del" => KeyCode::Delete,
            "insert" => KeyCode::Insert,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            f if f.len() >= 2
                && f.starts_with('f')
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                let n: u8 = f[1..]
                    .parse()
                    .map_err(|_| format!("bad function key {s:?}"))?;
                if !(1..=24).contains(&n) {
                    return Err(format!("bad function key {s:?}"));
                }
                KeyCode::F(n)
            }
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("unknown key {rest:?}")),
                }
            }
        };
        // Same normalisation as events: shift-n is 'N'.
        let ev = KeyEvent::new(code, mods);
        Ok(Chord::from_event(&ev))
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        let shift = self.mods.contains(KeyModifiers::SHIFT);
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) if shift && c.is_ascii_alphabetic() => {
                write!(f, "shift-{}", c.to_ascii_lowercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Tab if shift => f.write_str("shift-tab"),
            other => {
                if shift {
                    f.write_str("shift-")?;
                }
                match other {
                    KeyCode::Enter => f.write_str("enter"),
                    KeyCode::Esc => f.write_str("esc"),
                    KeyCode::Tab => f.write_str("tab"),
                    KeyCode::Backspace => f.write_str("backspace"),
                    KeyCode::Delete => f.write_str("delete"),
                    KeyCode::Insert => f.write_str("insert"),
                    KeyCode::Up => f.write_str("up"),
                    KeyCode::Down => f.write_str("down"),
                    KeyCode::Left => f.write_str("left"),
                    KeyCode::Right => f.write_str("right"),
                    KeyCode::Home => f.write_str("home"),
                    KeyCode::End => f.write_str("end"),
                    KeyCode::PageUp => f.write_str("pgup"),
                    KeyCode::PageDown => f.write_str("pgdn"),
                    KeyCode::F(n) => write!(f, "f{n}"),
                    _ => f.write_str("?"),
                }
            }
        }
    }
}

pub type Sequence = Vec<Chord>;

pub fn sequence_to_string(seq: &[Chord]) -> String {
    seq.iter()
        .map(|c| c.to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, Default)]
pub struct Keymap {
    tables: BTreeMap<KeyContext, Vec<(Sequence, Action)>>,
}

/// What a run of keys means so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    Action(Action),
    /// A prefix of a longer binding: wait for the next key.
    Pending,
    Unbound,
}

/// A problem in a keymap file, pointing at the line and key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct KeymapError {
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl Keymap {
    /// The compiled-in defaults.
    pub fn defaults() -> Keymap {
        let mut k = Keymap::default();
        // The bundled file is tested; an error here would be a build bug.
        let _ = k.merge_toml("keymaps/default.toml", DEFAULT_TOML);
        k
    }

    pub fn vim() -> Keymap {
        let mut k = Keymap::defaults();
        let _ = k.merge_toml("keymaps/vim.toml", VIM_TOML);
        k
    }

    /// Merges `text` over this keymap. On error nothing is changed.
    pub fn merge_toml(&mut self, path: &str, text: &str) -> Result<(), KeymapError> {
        let err = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = crate::diag::line_col(text, span.start);
            KeymapError {
                path: path.to_string(),
                line,
                column,
                message,
            }
        };
        let doc: toml::Table = text.parse::<toml::Table>().map_err(|e| {
            let span = e.span().unwrap_or(0..0);
            err(span, e.message().to_string())
        })?;
        let mut staged = self.clone();
        if let Some(preset) = doc.get("preset") {
            match preset.as_str() {
                Some("vim") => {
                    staged = Keymap::vim();
                }
                Some("default") => staged = Keymap::defaults(),
                _ => {
                    let span = find_span(text, "preset");
                    return Err(err(span, "preset must be \"default\" or \"vim\"".into()));
                }
            }
        }
        for (table, value) in &doc {
            if table == "preset" {
                continue;
            }
            let header = find_span(text, &format!("[{table}]"));
            let Some(ctx) = KeyContext::ALL
                .into_iter()
                .find(|c| c.table_name() == table)
            else {
                return Err(err(
                    header,
                    format!("unknown table [{table}] (tables: global, tree, editor, response, text, palette, help, dialog, runner)"),
                ));
            };
            let Some(entries) = value.as_table() else {
                return Err(err(
                    header,
                    format!("[{table}] must be a table of \"key\" = \"action\""),
                ));
            };
            for (keys, action) in entries {
                // toml::Table keeps no positions: find the entry after its header.
                let span = entry_span(text, header.start, keys);
                let seq: Result<Sequence, String> =
                    keys.split_whitespace().map(Chord::parse).collect();
                let seq = seq.map_err(|m| err(span.clone(), format!("key {keys:?}: {m}")))?;
                if seq.is_empty() {
                    return Err(err(span, "empty key".into()));
                }
                let Some(name) = action.as_str() else {
                    return Err(err(
                        span,
                        format!("key {keys:?}: the action must be a string"),
                    ));
                };
                let parsed: Action = serde_json::from_value(serde_json::Value::String(
                    name.to_string(),
                ))
                .map_err(|_| {
                    err(
                        span.clone(),
                        format!("key {keys:?}: unknown action {name:?}"),
                    )
                })?;
                staged.bind(ctx, seq, parsed);
            }
        }
        *self = staged;
        Ok(())
    }

    pub fn bind(&mut self, ctx: KeyContext, seq: Sequence, action: Action) {
        let table = self.tables.entry(ctx).or_default();
        table.retain(|(s, _)| *s != seq);
        table.push((seq, action));
    }

    /// Looks `keys` up in each context in turn (the focused one first).
    /// The first context that knows the keys decides; in it a longer
    /// sequence wins over an exact match and waits for the next key, so
    /// `g` (top) in one table and `g g`, `g t` in the vim preset's tables
    /// can live together.
    pub fn resolve(&self, contexts: &[KeyContext], keys: &[Chord]) -> Resolved {
        for ctx in contexts {
            let Some(table) = self.tables.get(ctx) else {
                continue;
            };
            if table
                .iter()
                .any(|(s, _)| s.len() > keys.len() && s.starts_with(keys))
            {
                return Resolved::Pending;
            }
            if let Some((_, a)) = table.iter().find(|(s, _)| s.as_slice() == keys) {
                return Resolved::Action(*a);
            }
        }
        Resolved::Unbound
    }

    /// Bindings of one context, for the help overlay: (keys, action).
    pub fn bindings(&self, ctx: KeyContext) -> Vec<(String, Action)> {
        let mut out: Vec<(String, Action)> = self
            .tables
            .get(&ctx)
            .map(|t| t.iter().map(|(s, a)| (sequence_to_string(s), *a)).collect())
            .unwrap_or_default();
        out.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        out
    }

    /// The first key bound to `action` in `contexts`, for hints.
    pub fn key_for(&self, contexts: &[KeyContext], action: Action) -> Option<String> {
        contexts.iter().find_map(|ctx| {
            self.tables
                .get(ctx)?
                .iter()
                .find(|(_, a)| *a == action)
                .map(|(s, _)| sequence_to_string(s))
        })
    }
}

/// Where `key` is written in its table (quoted or bare), from `from` on.
fn entry_span(text: &str, from: usize, key: &str) -> std::ops::Range<usize> {
    let rest = text.get(from..).unwrap_or("");
    for needle in [
        format!("\"{key}\""),
        format!("'{key}'"),
        format!("\n{key} "),
    ] {
        if let Some(i) = rest.find(&needle) {
            let start = from + i + usize::from(needle.starts_with('\n'));
            return start..start + key.len();
        }
    }
    from..from
}

fn find_span(text: &str, needle: &str) -> std::ops::Range<usize> {
    let start = text.find(needle).unwrap_or(0);
    start..start + needle.len()
}

/// The keymap to use: defaults merged with the user's file if it exists.
/// A bad user file is returned as an error beside the defaults.
pub fn load_user_keymap(config_dir: Option<&Path>) -> (Keymap, Option<KeymapError>) {
    let mut k = Keymap::defaults();
    let Some(dir) = config_dir else {
        return (k, None);
    };
    let path = dir.join("keymap.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => match k.merge_toml(&path.display().to_string(), &text) {
            Ok(()) => (k, None),
            Err(e) => (Keymap::defaults(), Some(e)),
        },
        Err(_) => (k, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> Chord {
        Chord::from_event(&KeyEvent::new(KeyCode::Char(c), KeyModifiers::empty()))
    }

    #[test]
    fn bundled_keymaps_parse() {
        let mut k = Keymap::default();
        k.merge_toml("default.toml", DEFAULT_TOML).unwrap();
        k.merge_toml("vim.toml", VIM_TOML).unwrap();
    }

    #[test]
    fn the_pane_table_wins_then_global() {
        let k = Keymap::defaults();
        let ctx = [KeyContext::Tree, KeyContext::Global];
        assert_eq!(
            k.resolve(&ctx, &[key('/')]),
            Resolved::Action(Action::Filter)
        );
        assert_eq!(k.resolve(&ctx, &[key('q')]), Resolved::Action(Action::Quit));
        let ctrl_r = Chord::parse("ctrl-r").unwrap();
        assert_eq!(k.resolve(&ctx, &[ctrl_r]), Resolved::Action(Action::Send));
    }

    #[test]
    fn sequences_wait_for_their_next_key() {
        let k = Keymap::vim();
        let ctx = [KeyContext::Tree, KeyContext::Global];
        assert_eq!(k.resolve(&ctx, &[key('g')]), Resolved::Pending);
        assert_eq!(
            k.resolve(&ctx, &[key('g'), key('g')]),
            Resolved::Action(Action::Top)
        );
        assert_eq!(k.resolve(&ctx, &[key('z')]), Resolved::Unbound);
    }

    #[test]
    fn shift_is_folded_into_letters() {
        let upper = Chord::from_event(&KeyEvent::new(KeyCode::Char('N'), KeyModifiers::SHIFT));
        assert_eq!(upper, Chord::parse("shift-n").unwrap());
        assert_eq!(upper.to_string(), "shift-n");
        let q = Chord::from_event(&KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT));
        assert_eq!(q, Chord::parse("?").unwrap());
        let back = Chord::from_event(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
        assert_eq!(back, Chord::parse("shift-tab").unwrap());
    }

    #[test]
    fn a_bad_file_names_line_column_and_key() {
        let mut k = Keymap::defaults();
        let e = k
            .merge_toml("km.toml", "[tree]\n\"x\" = \"explode\"\n")
            .unwrap_err();
        assert_eq!((e.line, e.column), (2, 1));
        assert!(
            e.message.contains("\"x\"") && e.message.contains("explode"),
            "{e}"
        );
        let e = k.merge_toml("km.toml", "[tree\n").unwrap_err();
        assert_eq!(e.line, 1);
        let e = k
            .merge_toml("km.toml", "[trees]\n\"x\" = \"up\"\n")
            .unwrap_err();
        assert!(e.message.contains("unknown table"), "{e}");
        // Nothing changed after errors.
        let ctx = [KeyContext::Tree];
        assert_eq!(k.resolve(&ctx, &[key('x')]), Resolved::Unbound);
    }

    /// The contexts `App::on_key` consults for a focused `ctx`.
    fn chain(ctx: KeyContext) -> Vec<KeyContext> {
        match ctx {
            KeyContext::Tree | KeyContext::Editor | KeyContext::Response => {
                vec![ctx, KeyContext::Global]
            }
            other => vec![other],
        }
    }

    #[test]
    fn j_k_g_and_shift_g_move_in_every_scrollable_view() {
        let k = Keymap::defaults();
        let shift_g = Chord::parse("shift-g").unwrap();
        for ctx in [
            KeyContext::Tree,
            KeyContext::Editor,
            KeyContext::Response,
            KeyContext::Help,
        ] {
            let c = chain(ctx);
            let name = ctx.table_name();
            assert_eq!(
                k.resolve(&c, &[key('j')]),
                Resolved::Action(Action::Down),
                "{name}"
            );
            assert_eq!(
                k.resolve(&c, &[key('k')]),
                Resolved::Action(Action::Up),
                "{name}"
            );
            assert_eq!(
                k.resolve(&c, &[key('g')]),
                Resolved::Action(Action::Top),
                "{name}"
            );
            assert_eq!(
                k.resolve(&c, &[shift_g]),
                Resolved::Action(Action::Bottom),
                "{name}"
            );
            let home = Chord::parse("home").unwrap();
            let end = Chord::parse("end").unwrap();
            assert_eq!(
                k.resolve(&c, &[home]),
                Resolved::Action(Action::Top),
                "{name}"
            );
            assert_eq!(
                k.resolve(&c, &[end]),
                Resolved::Action(Action::Bottom),
                "{name}"
            );
        }
    }

    #[test]
    fn letters_stay_text_while_typing_and_in_the_palette() {
        let k = Keymap::defaults();
        for ctx in [KeyContext::Text, KeyContext::Palette] {
            for c in ['j', 'k', 'g', 'G'] {
                let chord = Chord::from_event(&KeyEvent::new(
                    KeyCode::Char(c),
                    if c.is_ascii_uppercase() {
                        KeyModifiers::SHIFT
                    } else {
                        KeyModifiers::empty()
                    },
                ));
                assert_eq!(
                    k.resolve(&chain(ctx), &[chord]),
                    Resolved::Unbound,
                    "{c} in {}",
                    ctx.table_name()
                );
            }
        }
    }

    #[test]
    fn the_movement_letters_take_no_pane_key() {
        // Each pane's own table leaves j, k, g and G to the movement keys.
        let k = Keymap::defaults();
        for ctx in [KeyContext::Tree, KeyContext::Editor, KeyContext::Response] {
            for (keys, _) in k.bindings(ctx) {
                assert!(
                    !["j", "k", "g", "shift-g"].contains(&keys.as_str()),
                    "{keys} is bound in [{}]",
                    ctx.table_name()
                );
            }
        }
    }

    #[test]
    fn in_the_vim_preset_a_longer_sequence_waits_over_a_shorter_key() {
        let k = Keymap::vim();
        for ctx in [KeyContext::Tree, KeyContext::Editor, KeyContext::Response] {
            assert_eq!(k.resolve(&chain(ctx), &[key('g')]), Resolved::Pending);
            assert_eq!(
                k.resolve(&chain(ctx), &[key('g'), key('g')]),
                Resolved::Action(Action::Top)
            );
        }
        let editor = chain(KeyContext::Editor);
        assert_eq!(
            k.resolve(&editor, &[key('g'), key('t')]),
            Resolved::Action(Action::NextTab)
        );
        // `d d` deletes in the tree; `d` alone no longer duplicates first.
        let tree = chain(KeyContext::Tree);
        assert_eq!(k.resolve(&tree, &[key('d')]), Resolved::Pending);
        assert_eq!(
            k.resolve(&tree, &[key('d'), key('d')]),
            Resolved::Action(Action::Delete)
        );
        let help = chain(KeyContext::Help);
        assert_eq!(
            k.resolve(&help, &[key('g'), key('g')]),
            Resolved::Action(Action::Top)
        );
    }

    #[test]
    fn the_default_file_names_every_command_it_leaves_without_a_key() {
        let k = Keymap::defaults();
        for a in Action::ALL.iter().filter(|a| a.is_command()) {
            let bound = KeyContext::ALL
                .iter()
                .any(|c| k.key_for(&[*c], *a).is_some());
            assert!(
                bound
                    || DEFAULT_TOML.contains(&format!(" {},", a.name()))
                    || DEFAULT_TOML.contains(&format!(" {}.", a.name())),
                "{} has no key and keymaps/default.toml does not say so",
                a.name()
            );
        }
    }
}
