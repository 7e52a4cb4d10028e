use crate::model::Variables;
use crate::storage::load::{list_environments, load_environment};
use crate::storage::state::load_secrets;
use crate::storage::{RequestContext, StorageError};
use crate::vars::{ScopeKind, Scopes};

use super::error::Hint;

/// Prefix of process environment variables that set postie variables
/// (`POSTIE_VAR_token=...`), at the same level as the local secrets file.
pub const ENV_VAR_PREFIX: &str = "POSTIE_VAR_";

/// Where variables come from besides the collection and its folders.
#[derive(Debug, Clone, Default)]
pub struct VarSources {
    pub environment: Option<String>,
    /// `--var name=value`, highest precedence.
    pub cli: Vec<(String, String)>,
    /// Read `POSTIE_VAR_*` from the process environment.
    pub process_env: bool,
}

/// Variable layers for a request, lowest precedence first: collection,
/// folders (outermost first), environment, local secrets and `POSTIE_VAR_*`,
/// then `--var`.
pub fn build_scopes(ctx: &RequestContext, sources: &VarSources) -> Result<Scopes, StorageError> {
    let mut scopes = Scopes::new();
    for (i, (path, folder)) in ctx.chain.iter().enumerate() {
        let (kind, what) = if i == 0 {
            (ScopeKind::Collection, "collection")
        } else {
            (ScopeKind::Folder, "folder")
        };
        scopes.push(kind, format!("{what} `{path}`"), enabled(&folder.variables));
    }
    if let Some(name) = &sources.environment {
        let env = load_environment(&ctx.root, name)?;
        scopes.push(
            ScopeKind::Environment,
            format!("environment `{name}`"),
            enabled(&env.variables),
        );
        let secrets = load_secrets(&ctx.root, name)?;
        scopes.push(
            ScopeKind::Local,
            format!(".postie/secrets/{name}.json"),
            secrets,
        );
    }
    if sources.process_env {
        let vars: Vec<(String, String)> = std::env::vars_os()
            .filter_map(|(k, v)| {
                let k = k.to_str()?.strip_prefix(ENV_VAR_PREFIX)?.to_string();
                Some((k, v.to_str()?.to_string()))
            })
            .collect();
        scopes.push(ScopeKind::Local, "process environment (POSTIE_VAR_*)", vars);
    }
    scopes.push(ScopeKind::Cli, "--var", sources.cli.clone());
    Ok(scopes)
}

fn enabled(vars: &Variables) -> Vec<(String, String)> {
    vars.values()
}

/// Names of the environment's secret variables, for a precise hint when
/// one turns out undefined.
pub fn secret_names(ctx: &RequestContext, sources: &VarSources) -> Vec<String> {
    let Some(env_name) = &sources.environment else {
        return Vec::new();
    };
    load_environment(&ctx.root, env_name)
        .map(|env| {
            env.variables
                .0
                .iter()
                .filter(|(_, v)| v.is_secret())
                .map(|(n, _)| n.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// The hint for an undefined variable `name`: where a secret's value
/// goes, or that no environment is chosen though the workspace has some.
pub fn undefined_hint(
    root: &std::path::Path,
    environment: Option<&str>,
    secrets: &[String],
    name: &str,
) -> Option<Hint> {
    // `$env.X` is the process environment's, not an environment file's.
    if name.starts_with('$') {
        return None;
    }
    match environment {
        Some(env) if secrets.iter().any(|s| s == name) => Some(Hint::Secret {
            environment: env.to_string(),
            name: name.to_string(),
        }),
        Some(_) => None,
        None => {
            let available = list_environments(root);
            (!available.is_empty()).then_some(Hint::NoEnvironment { available })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undefined_variable_without_an_environment_hints_at_the_workspace_environments() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(undefined_hint(d.path(), None, &[], "token"), None);
        std::fs::create_dir_all(d.path().join("environments")).unwrap();
        for e in ["staging", "local"] {
            std::fs::write(d.path().join(format!("environments/{e}.json")), "{}").unwrap();
        }
        let hint = undefined_hint(d.path(), None, &[], "token");
        assert_eq!(
            hint,
            Some(Hint::NoEnvironment {
                available: vec!["local".into(), "staging".into()]
            })
        );
        assert_eq!(
            hint.unwrap().to_string(),
            "no environment chosen; this workspace has: local, staging (pass --env NAME)"
        );
        // The process environment and a chosen environment get no such hint.
        assert_eq!(undefined_hint(d.path(), None, &[], "$env.HOME"), None);
        assert_eq!(undefined_hint(d.path(), Some("local"), &[], "token"), None);
        assert!(matches!(
            undefined_hint(d.path(), Some("local"), &["token".into()], "token"),
            Some(Hint::Secret { .. })
        ));
    }
}
