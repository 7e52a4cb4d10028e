//! Variable scopes and their precedence.

/// Where a variable layer comes from, lowest precedence first: a `Cli`
/// variable beats a `Local` one, which beats the environment, and so on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeKind {
    /// Postman's globals: set by scripts or `postie run -g`.
    Globals,
    Collection,
    Folder,
    Environment,
    /// The current iteration's data row (`postie run -d`).
    Data,
    /// Values set while working (e.g. captured from a response), kept in the
    /// local state folder rather than the collection.
    Local,
    /// `--var name=value` on the command line.
    Cli,
}

/// A variable found by [`Scopes::lookup`], with where it came from so the
/// TUI can show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub value: &'a str,
    pub kind: ScopeKind,
    /// The description given to [`Scopes::push`], e.g. "environment `dev`".
    pub source: &'a str,
}

#[derive(Debug, Clone)]
struct Layer {
    kind: ScopeKind,
    source: String,
    vars: Vec<(String, String)>,
}

/// Ordered layers of variables.
///
/// The highest [`ScopeKind`] defining a name wins; among layers of the same
/// kind the one pushed later wins, so push folders outermost first and the
/// deepest folder overrides its parents. Within one layer a repeated name
/// resolves to its last entry. Disabled variables should simply not be
/// pushed.
#[derive(Debug, Clone, Default)]
pub struct Scopes {
    layers: Vec<Layer>,
}

impl Scopes {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(
        &mut self,
        kind: ScopeKind,
        source: impl Into<String>,
        vars: Vec<(String, String)>,
    ) {
        self.layers.push(Layer {
            kind,
            source: source.into(),
            vars,
        });
    }

    pub fn lookup(&self, name: &str) -> Option<Found<'_>> {
        let mut best: Option<(ScopeKind, Found<'_>)> = None;
        // Later layers come later in the loop, so `>=` lets them win ties.
        for layer in &self.layers {
            if best.is_some_and(|(kind, _)| layer.kind < kind) {
                continue;
            }
            let Some((_, value)) = layer.vars.iter().rev().find(|(key, _)| key == name) else {
                continue;
            };
            best = Some((
                layer.kind,
                Found {
                    value,
                    kind: layer.kind,
                    source: &layer.source,
                },
            ));
        }
        best.map(|(_, found)| found)
    }

    /// Every defined name once, sorted; for completion.
    pub fn names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .layers
            .iter()
            .flat_map(|layer| layer.vars.iter().map(|(key, _)| key.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    pub fn is_empty(&self) -> bool {
        self.layers.iter().all(|layer| layer.vars.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    /// All five kinds define `x`, pushed in an order unrelated to precedence.
    fn all_kinds() -> Scopes {
        let mut scopes = Scopes::new();
        scopes.push(
            ScopeKind::Local,
            "local",
            vars(&[("x", "local"), ("l", "1")]),
        );
        scopes.push(ScopeKind::Cli, "--var", vars(&[("x", "cli")]));
        scopes.push(
            ScopeKind::Environment,
            "environment `dev`",
            vars(&[("x", "env"), ("e", "1")]),
        );
        scopes.push(
            ScopeKind::Folder,
            "folder `users`",
            vars(&[("x", "folder"), ("f", "1")]),
        );
        scopes.push(
            ScopeKind::Collection,
            "collection",
            vars(&[("x", "coll"), ("c", "1")]),
        );
        scopes
    }

    #[test]
    fn highest_kind_wins_regardless_of_push_order() {
        let scopes = all_kinds();
        let found = scopes.lookup("x").unwrap();
        assert_eq!(
            found,
            Found {
                value: "cli",
                kind: ScopeKind::Cli,
                source: "--var"
            }
        );
    }

    #[test]
    fn each_kind_beats_the_ones_below_it() {
        let order = [
            ScopeKind::Collection,
            ScopeKind::Folder,
            ScopeKind::Environment,
            ScopeKind::Local,
            ScopeKind::Cli,
        ];
        for top in 0..order.len() {
            let mut scopes = Scopes::new();
            // Push the winner first so that push order cannot explain the result.
            for kind in order[..=top].iter().rev() {
                scopes.push(
                    *kind,
                    format!("{kind:?}"),
                    vars(&[("x", &format!("{kind:?}"))]),
                );
            }
            let found = scopes.lookup("x").unwrap();
            assert_eq!(found.kind, order[top]);
            assert_eq!(found.value, format!("{:?}", order[top]));
        }
    }

    #[test]
    fn lower_scopes_still_answer_names_the_higher_ones_lack() {
        let scopes = all_kinds();
        assert_eq!(scopes.lookup("c").unwrap().kind, ScopeKind::Collection);
        assert_eq!(scopes.lookup("f").unwrap().source, "folder `users`");
        assert_eq!(scopes.lookup("e").unwrap().kind, ScopeKind::Environment);
        assert_eq!(scopes.lookup("l").unwrap().kind, ScopeKind::Local);
        assert_eq!(scopes.lookup("missing"), None);
    }

    #[test]
    fn deeper_folder_pushed_later_wins() {
        let mut scopes = Scopes::new();
        scopes.push(
            ScopeKind::Folder,
            "folder `users`",
            vars(&[("x", "outer"), ("o", "1")]),
        );
        scopes.push(
            ScopeKind::Folder,
            "folder `users/admin`",
            vars(&[("x", "inner")]),
        );
        let found = scopes.lookup("x").unwrap();
        assert_eq!(
            (found.value, found.source),
            ("inner", "folder `users/admin`")
        );
        assert_eq!(scopes.lookup("o").unwrap().value, "1");
    }

    #[test]
    fn repeated_name_in_one_layer_resolves_to_the_last() {
        let mut scopes = Scopes::new();
        scopes.push(
            ScopeKind::Environment,
            "env",
            vars(&[("x", "first"), ("x", "last")]),
        );
        assert_eq!(scopes.lookup("x").unwrap().value, "last");
    }

    #[test]
    fn names_are_sorted_and_unique() {
        assert_eq!(all_kinds().names(), ["c", "e", "f", "l", "x"]);
        assert!(Scopes::new().is_empty());
        assert!(!all_kinds().is_empty());
    }
}
