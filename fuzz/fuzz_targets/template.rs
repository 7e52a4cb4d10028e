#![no_main]
//! The `{{name}}` template parser and the resolver on arbitrary UTF-8:
//! parsing must reproduce the input exactly (text pieces and spans), spans
//! must be on char boundaries, and resolving (against variables whose
//! values are themselves fuzzed templates, so nesting and cycles happen)
//! must return, never panic or hang.

use libfuzzer_sys::fuzz_target;
use postie::vars::{parse_template, variable_names, Piece, Resolver, ScopeKind, Scopes};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // The first line is the template; the rest are `name=value` variables.
    let mut lines = text.split('\n');
    let template = lines.next().unwrap_or_default();
    let vars: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();

    let mut rebuilt = String::new();
    for piece in parse_template(&text) {
        match piece {
            Piece::Text(t) => rebuilt.push_str(t),
            Piece::Var { name, span } => {
                assert!(!name.is_empty() && name.trim() == name, "{name:?}");
                let source = text
                    .get(span.range())
                    .unwrap_or_else(|| panic!("span {span:?} not on char boundaries"));
                assert!(source.contains(name), "{source:?} lacks {name:?}");
                rebuilt.push_str(source);
            }
        }
    }
    assert_eq!(rebuilt, text, "pieces do not rebuild the input");
    for (name, span) in variable_names(&text) {
        assert_eq!(text.get(span.range()).map(|s| s.contains(name)), Some(true));
    }

    let mut scopes = Scopes::new();
    scopes.push(ScopeKind::Environment, "fuzz", vars);
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
    let mut resolver = Resolver::new(&scopes)
        .with_rng(fastrand::Rng::with_seed(7))
        .with_now(now)
        .with_env(|name| (name.len() < 8).then(|| format!("env-{name}")));
    let _ = resolver.resolve(template);
    let _ = resolver.resolve_all(template);
    let _ = resolver.unresolved(template);
    let mut keeping = Resolver::new(&scopes)
        .keeping_undefined()
        .with_rng(fastrand::Rng::with_seed(7))
        .with_now(now)
        .with_env(|_| None);
    let _ = keeping.resolve(template);
});
