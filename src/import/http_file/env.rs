//! `http-client.env.json` / `http-client.private.env.json`: one
//! environment per top-level key; `$shared` values go into each.

use serde_json::{Map, Value};

use crate::import::{Format, Import, ImportError, ImportedEnvironment, Report};
use crate::model::{Environment, Variable, Variables};

/// Environments from a JetBrains/kulala environment file. With `private`,
/// every value is a secret: it goes to `.postie/secrets/`, never to the
/// committed environment file.
pub fn parse_env_file(text: &str, private: bool) -> Result<Import, ImportError> {
    let text = text.trim_start_matches('\u{feff}');
    let root: Value = serde_json::from_str(text)
        .map_err(|e| ImportError::at(Format::HttpFile, e.line(), e.column(), e.to_string()))?;
    let Some(envs) = root.as_object() else {
        return Err(ImportError::invalid(
            Format::HttpFile,
            "an environment file is an object of environments",
        ));
    };
    let mut report = Report::default();
    let empty = Map::new();
    let shared = envs
        .get("$shared")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut environments = Vec::new();
    for (name, vars) in envs {
        if name == "$shared" {
            continue;
        }
        let Some(vars) = vars.as_object() else {
            report.dropped(
                format!("environment {name}"),
                "environment",
                "it is not an object",
            );
            continue;
        };
        let label = format!("environment {name}");
        let mut merged: Vec<(&String, &Value)> = shared
            .iter()
            .filter(|(k, _)| !vars.contains_key(*k))
            .collect();
        merged.extend(vars.iter());
        let mut env = ImportedEnvironment {
            name: name.clone(),
            ..Default::default()
        };
        let mut list = Vec::new();
        for (key, value) in merged {
            let value = match value {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => String::new(),
                Value::Object(_) | Value::Array(_) => {
                    let why = match key.as_str() {
                        "$default_headers" => {
                            "default headers belong to a collection: add them to its headers"
                        }
                        "Security" => "auth configurations (OAuth2) have no postie equivalent",
                        "SSLConfiguration" => {
                            "TLS settings go in postie.json (`tls`) or a request's verify_tls"
                        }
                        _ => "postie variables are strings, not objects",
                    };
                    report.dropped(&label, format!("variable {key}"), why);
                    continue;
                }
            };
            if private {
                env.secrets.push((key.clone(), value));
                list.push((key.clone(), Variable::secret_declaration()));
            } else {
                list.push((key.clone(), Variable::Plain(value)));
            }
        }
        env.environment = Environment {
            variables: Variables(list),
            ..Environment::default()
        };
        environments.push(env);
    }
    Ok(Import {
        collections: Vec::new(),
        environments,
        report,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_values_merge_and_private_values_are_secrets() {
        let text = r#"{"$shared": {"a": "s", "b": "s"}, "dev": {"b": "d", "n": 1, "o": {"x": 1}}}"#;
        let imp = parse_env_file(text, false).unwrap();
        let dev = &imp.environments[0];
        let pairs: Vec<(String, Option<&str>)> = dev
            .environment
            .variables
            .0
            .iter()
            .map(|(k, v)| (k.clone(), v.value()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("a".into(), Some("s")),
                ("b".into(), Some("d")),
                ("n".into(), Some("1"))
            ]
        );
        assert_eq!(imp.report.notes.len(), 1);
        let imp = parse_env_file(r#"{"dev": {"pw": "x"}}"#, true).unwrap();
        assert!(imp.environments[0].environment.variables.0[0].1.is_secret());
        assert_eq!(
            imp.environments[0].secrets,
            [("pw".to_string(), "x".to_string())]
        );
        assert!(parse_env_file("[1]", false).is_err());
    }
}
