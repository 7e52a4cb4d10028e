//! Keeping what scripts set in an environment: plain values go to the
//! committed `environments/<name>.json`, secrets (a variable marked secret,
//! or a new one whose name says credential) to the local secrets file, so a
//! token a login script captured never lands in git.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::model::Variable;

use super::load::load_environment;
use super::save::save_environment;
use super::state::{load_secrets, save_secrets};
use super::StorageError;

/// What [`save_changes`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saved {
    /// Values written to the environment file.
    pub plain: usize,
    /// Values written to `.postie/secrets/<name>.json`.
    pub secret: usize,
    /// Variables removed (a script unset them).
    pub removed: usize,
}

/// Writes `changes` (name → new value, `None`: unset) into environment
/// `name`. The file must parse first: nothing not understood is overwritten.
pub fn save_changes(
    root: &Path,
    name: &str,
    changes: &BTreeMap<String, Option<Value>>,
) -> Result<Saved, StorageError> {
    let mut env = load_environment(root, name)?;
    let mut secrets = load_secrets(root, name)?;
    let mut saved = Saved::default();
    for (var, change) in changes {
        let existing = env.variables.0.iter().position(|(n, _)| n == var);
        let Some(value) = change else {
            if let Some(i) = existing {
                env.variables.0.remove(i);
            }
            secrets.retain(|(n, _)| n != var);
            saved.removed += 1;
            continue;
        };
        let text = crate::script::value_text(value);
        let secret = match existing {
            Some(i) => env.variables.0[i].1.is_secret(),
            // A name like `token` or `client_secret` stays off git.
            None => crate::import::secrets::is_credential_variable(var),
        };
        if secret {
            if existing.is_none() {
                env.variables.0.push((var.clone(), secret_variable()));
            }
            match secrets.iter_mut().find(|(n, _)| n == var) {
                Some((_, v)) => *v = text,
                None => secrets.push((var.clone(), text)),
            }
            saved.secret += 1;
        } else {
            match existing.map(|i| &mut env.variables.0[i].1) {
                Some(Variable::Detailed { value, .. }) => *value = Some(text),
                Some(plain) => *plain = Variable::Plain(text),
                None => env.variables.0.push((var.clone(), Variable::Plain(text))),
            }
            saved.plain += 1;
        }
    }
    save_environment(root, name, &env)?;
    if saved.secret > 0 || saved.removed > 0 {
        save_secrets(root, name, &secrets)?;
    }
    Ok(saved)
}

fn secret_variable() -> Variable {
    Variable::secret_declaration()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_values_go_to_the_file_and_credentials_to_the_secrets_file() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("environments")).unwrap();
        let file = r.join("environments/dev.json");
        std::fs::write(
            &file,
            r#"{"variables": {"base": {"value": "http://a", "description": "where"}, "api_key": {"secret": true}, "old": "x"}}"#,
        )
        .unwrap();
        let changes: BTreeMap<String, Option<Value>> = [
            ("base", Some(Value::from("http://b"))),
            ("api_key", Some(Value::from("k-1"))),
            ("access_token", Some(Value::from("t-2"))),
            ("count", Some(Value::from(3))),
            ("old", None),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let saved = save_changes(r, "dev", &changes).unwrap();
        assert_eq!(
            saved,
            Saved {
                plain: 2,
                secret: 2,
                removed: 1
            }
        );
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.contains("http://b") && text.contains("\"where\""),
            "{text}"
        );
        assert!(text.contains("\"count\": \"3\""), "{text}");
        assert!(
            !text.contains("k-1") && !text.contains("t-2") && !text.contains("old"),
            "{text}"
        );
        let secrets = load_secrets(r, "dev").unwrap();
        assert!(secrets.contains(&("api_key".into(), "k-1".into())));
        assert!(secrets.contains(&("access_token".into(), "t-2".into())));
        let env = load_environment(r, "dev").unwrap();
        assert!(env
            .variables
            .get("access_token")
            .is_some_and(Variable::is_secret));
    }

    #[test]
    fn a_file_that_does_not_parse_is_left_alone() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("environments")).unwrap();
        let file = r.join("environments/dev.json");
        std::fs::write(&file, "{\"variables\": {").unwrap();
        let changes = [("a".to_string(), Some(Value::from("1")))]
            .into_iter()
            .collect();
        assert!(save_changes(r, "dev", &changes).is_err());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "{\"variables\": {");
    }
}
