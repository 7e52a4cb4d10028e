//! Postman environment and globals exports:
//! `{"name": ..., "values": [{"key", "value", "enabled", "type"}]}`, a bare
//! list of values (old globals exports), or either wrapped as Postman's API
//! returns it (`{"environment": {...}}`). `type: "secret"` values become
//! postie secrets: the name goes into the environment file, the value into
//! the local secrets file.

use serde_json::Value;

use super::json;
use super::notes::Notes;
use crate::import::{Format, Import, ImportError, ImportedEnvironment};
use crate::model::{Environment, Extra, Variable, Variables};

const FORMAT: Format = Format::PostmanEnvironment;

pub fn parse_environment(text: &str) -> Result<Import, ImportError> {
    let mut root = json::parse(FORMAT, text)?;
    // Postman's API wraps them: `{"environment": {...}}`, `{"globals": {...}}`,
    // possibly twice (newman unwraps twice too, as `postie run -e` does).
    for _ in 0..2 {
        let Value::Object(o) = &mut root else { break };
        if o.contains_key("values") {
            break;
        }
        let inner = ["environment", "globals"]
            .into_iter()
            .find(|k| matches!(o.get(*k), Some(Value::Object(_))));
        match inner.and_then(|k| o.remove(k)) {
            Some(inner) => root = inner,
            None => break,
        }
    }
    let mut notes = Notes::default();
    let (name, values) = match &root {
        Value::Array(values) => ("globals".to_string(), values.as_slice()),
        Value::Object(o) => {
            let Some(Value::Array(values)) = o.get("values") else {
                return Err(ImportError::invalid(
                    FORMAT,
                    "no `values` list: this is not a Postman environment or globals export",
                ));
            };
            let scope = json::text(o.get("_postman_variable_scope"));
            let name = json::text(o.get("name"))
                .filter(|n| !n.trim().is_empty())
                .unwrap_or_else(|| scope.clone().unwrap_or_else(|| "environment".into()));
            notes.unknown_keys(
                &name,
                o,
                &[
                    "name",
                    "values",
                    "_postman_variable_scope",
                    "_postman_exported_at",
                    "_postman_exported_using",
                    "timestamp",
                    "synced",
                    "syncedFilename",
                    "team",
                    "isDeleted",
                ],
                "environment",
            );
            (name, values.as_slice())
        }
        _ => {
            return Err(ImportError::invalid(
                FORMAT,
                "expected a JSON object with `values`",
            ))
        }
    };
    let item = format!("environment {name}");
    let mut env = ImportedEnvironment {
        name: name.clone(),
        environment: Environment::default(),
        secrets: Vec::new(),
    };
    let mut vars = Variables::default();
    for v in values {
        let Some(o) = v.as_object() else { continue };
        notes.unknown_keys(
            &item,
            o,
            &[
                "key",
                "value",
                "enabled",
                "type",
                "name",
                "description",
                "disabled",
            ],
            "variable",
        );
        let Some(key) = json::text(o.get("key")).filter(|k| !k.is_empty()) else {
            notes.dropped(&item, "a variable without a name", "postie needs a name");
            continue;
        };
        let value = json::text(o.get("value")).unwrap_or_default();
        let enabled =
            !matches!(o.get("enabled"), Some(Value::Bool(false))) && !json::flag(o, "disabled");
        let secret = json::text(o.get("type")).as_deref() == Some("secret");
        let description = json::description(o.get("description"));
        let var = if secret || !enabled || description.is_some() {
            Variable::Detailed {
                value: (!secret).then(|| value.clone()),
                secret,
                enabled,
                description,
                extra: Extra::new(),
            }
        } else {
            Variable::Plain(value.clone())
        };
        if let Some(i) = vars.0.iter().position(|(n, _)| *n == key) {
            // Postman lets a later value override an earlier one; postie
            // allows each name once.
            notes.changed(
                &item,
                format!("variable `{key}`"),
                "defined more than once; the last definition was kept",
            );
            vars.0.remove(i);
            env.secrets.retain(|(n, _)| *n != key);
        }
        if secret {
            env.secrets.push((key.clone(), value));
        }
        vars.0.push((key, var));
    }
    env.environment.variables = vars;
    let report = notes.finish(&item);
    Ok(Import {
        collections: Vec::new(),
        environments: vec![env],
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_disabled_and_globals_lists() {
        let i = parse_environment(
            r#"{"name":"Dev","values":[
                {"key":"a","value":"1","enabled":true},
                {"key":"b","value":"2","enabled":false},
                {"key":"tok","value":"s3cret","type":"secret","enabled":true}
            ]}"#,
        )
        .unwrap();
        let e = &i.environments[0];
        assert_eq!(e.name, "Dev");
        assert_eq!(
            e.environment.variables.get("a"),
            Some(&Variable::Plain("1".into()))
        );
        assert!(!e.environment.variables.get("b").unwrap().is_enabled());
        assert!(e.environment.variables.get("tok").unwrap().is_secret());
        assert_eq!(e.secrets, [("tok".to_string(), "s3cret".to_string())]);
        let json = serde_json::to_string(&e.environment).unwrap();
        assert!(!json.contains("s3cret"));

        let g = parse_environment(r#"[{"key":"x","value":"y","enabled":true}]"#).unwrap();
        assert_eq!(g.environments[0].name, "globals");

        let api = parse_environment(
            r#"{"environment": {"name": "Api", "values": [{"key": "k", "value": "v"}]}}"#,
        )
        .unwrap();
        assert_eq!(api.environments[0].name, "Api");
        assert_eq!(api.environments[0].environment.variables.0.len(), 1);
        let twice = parse_environment(
            r#"{"globals": {"globals": {"values": [{"key": "k", "value": "v"}]}}}"#,
        )
        .unwrap();
        assert_eq!(twice.environments[0].environment.variables.0.len(), 1);
    }

    #[test]
    fn bad_json_has_a_position_and_utf16_read_as_bytes_is_recovered() {
        match parse_environment("{\n  \"values\": [,]\n}") {
            Err(ImportError::Invalid { line, column, .. }) => assert_eq!((line, column), (2, 14)),
            other => panic!("{other:?}"),
        }
        let mangled = "\u{fffd}\u{fffd}{\0\"\0v\0a\0l\0u\0e\0s\0\"\0:\0[\0]\0}\0";
        assert!(parse_environment(mangled).is_ok());
    }
}
