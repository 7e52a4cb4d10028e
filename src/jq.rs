//! jq filters on JSON bodies (`postie send --jq`, the response pane's
//! filter), through the jaq crates: jq's language and standard library,
//! not a language of postie's own.

use jaq_core::load::{Arena, File, Loader};
use jaq_core::{data, unwrap_valr, Compiler, Ctx, Vars};
use jaq_json::Val;

/// Outputs kept at most: `range(1e9)` must not fill memory.
pub const MAX_OUTPUTS: usize = 10_000;

/// A JSON document parsed for filters. Not `Send` (jaq's values are
/// reference-counted): it stays on the thread that parsed it.
pub struct Input(Val);

impl Input {
    pub fn parse(json: &[u8]) -> Result<Input, JqError> {
        jaq_json::read::parse_single(json)
            .map(Input)
            .map_err(|e| JqError::new(format!("the body is not JSON: {e}")))
    }
}

/// A filter that compiled.
pub struct Filter {
    filter: jaq_core::compile::Filter<jaq_core::Native<data::JustLut<Val>>>,
}

/// What went wrong, with the 1-based column in the filter when known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", column.map(|c| format!("column {c}: ")).unwrap_or_default())]
pub struct JqError {
    pub message: String,
    pub column: Option<usize>,
}

impl JqError {
    fn new(message: impl Into<String>) -> JqError {
        JqError {
            message: message.into(),
            column: None,
        }
    }
}

/// The column of `part` (a slice of `code`) in `code`.
fn column_of(code: &str, part: &str) -> Option<usize> {
    let start = (part.as_ptr() as usize).checked_sub(code.as_ptr() as usize)?;
    (start <= code.len()).then(|| code[..start].chars().count() + 1)
}

impl Filter {
    pub fn compile(code: &str) -> Result<Filter, JqError> {
        let defs = jaq_core::defs()
            .chain(jaq_std::defs())
            .chain(jaq_json::defs());
        let funs = jaq_core::funs()
            .chain(jaq_std::funs())
            .chain(jaq_json::funs());
        let arena = Arena::default();
        let loader = Loader::new(defs);
        let modules = loader
            .load(&arena, File { code, path: () })
            .map_err(|errors| load_error(code, errors))?;
        let filter = Compiler::default()
            .with_funs(funs)
            .compile(modules)
            .map_err(|errors| {
                let first = errors.into_iter().flat_map(|(_, e)| e).next();
                match first {
                    Some((name, undefined)) => JqError {
                        message: format!("undefined {} `{name}`", undefined.as_str()),
                        column: column_of(code, name),
                    },
                    None => JqError::new("the filter does not compile"),
                }
            })?;
        Ok(Filter { filter })
    }

    /// Runs on a JSON document; each output pretty-printed (two spaces),
    /// as `jq` prints them.
    pub fn run(&self, json: &[u8]) -> Result<Vec<String>, JqError> {
        self.run_on(&Input::parse(json)?)
    }

    /// Runs on a document parsed once (a live filter runs many filters on
    /// one body).
    pub fn run_on(&self, input: &Input) -> Result<Vec<String>, JqError> {
        let input = input.0.clone();
        let ctx = Ctx::<data::JustLut<Val>>::new(&self.filter.lut, Vars::new([]));
        let pretty = jaq_json::write::Pp {
            indent: Some("  ".to_string()),
            sep_space: true,
            ..Default::default()
        };
        let mut out = Vec::new();
        for value in self.filter.id.run((ctx, input)).map(unwrap_valr) {
            if out.len() == MAX_OUTPUTS {
                return Err(JqError::new(format!(
                    "more than {MAX_OUTPUTS} outputs; narrow the filter"
                )));
            }
            let value = value.map_err(|e| JqError::new(e.to_string()))?;
            let mut text = Vec::new();
            jaq_json::write::write(&mut text, &pretty, 0, &value)
                .map_err(|e| JqError::new(e.to_string()))?;
            out.push(String::from_utf8_lossy(&text).into_owned());
        }
        Ok(out)
    }
}

fn load_error(code: &str, errors: jaq_core::load::Errors<&str, ()>) -> JqError {
    use jaq_core::load::Error;
    let Some((_, error)) = errors.into_iter().next() else {
        return JqError::new("the filter does not parse");
    };
    match error {
        Error::Lex(errors) => match errors.into_iter().next() {
            Some((expect, at)) => JqError {
                message: format!("expected {}", expect.as_str()),
                column: column_of(code, at),
            },
            None => JqError::new("the filter does not parse"),
        },
        Error::Parse(errors) => match errors.into_iter().next() {
            Some((expect, at)) => JqError {
                message: match at.is_empty() {
                    true => format!("expected {} at the end", expect.as_str()),
                    false => format!("expected {}", expect.as_str()),
                },
                column: column_of(code, at),
            },
            None => JqError::new("the filter does not parse"),
        },
        Error::Io(errors) => JqError::new(
            errors
                .into_iter()
                .next()
                .map_or("cannot load a module".to_string(), |(path, why)| {
                    format!("{path}: {why}")
                }),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(filter: &str, json: &str) -> Result<Vec<String>, JqError> {
        Filter::compile(filter)?.run(json.as_bytes())
    }

    #[test]
    fn filters_select_and_build_as_jq_does() {
        let body = r#"{"users": [{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}]}"#;
        assert_eq!(run(".users[1].name", body).unwrap(), ["\"bob\""]);
        assert_eq!(
            run(".users[] | select(.id > 1) | .id", body).unwrap(),
            ["2"]
        );
        assert_eq!(run("[.users[].name] | length", body).unwrap(), ["2"]);
        assert_eq!(
            run("{n: .users[0].name}", body).unwrap(),
            ["{\n  \"n\": \"ann\"\n}"]
        );
        assert_eq!(
            run("map_values(1)", "{\"a\": 0}").unwrap(),
            ["{\n  \"a\": 1\n}"]
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = Filter::compile(".users[").err().unwrap();
        assert!(e.message.starts_with("expected"), "{e}");
        let e = Filter::compile(".a | nosuchfn").err().unwrap();
        assert_eq!(e.column, Some(6), "{e}");
        assert!(e.message.contains("nosuchfn"), "{e}");
        let e = run(".a + 1", "{\"a\": \"x\"}").unwrap_err();
        assert!(!e.message.is_empty());
        let e = run(".", "not json").unwrap_err();
        assert!(e.message.starts_with("the body is not JSON"), "{e}");
        let e = run("range(1e9)", "null").unwrap_err();
        assert!(e.message.contains("outputs"), "{e}");
    }
}
