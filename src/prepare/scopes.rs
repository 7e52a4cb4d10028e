//! Where a request's variables come from. [`VarInputs::load`] is the one
//! place that reads files (environment, secrets, process environment);
//! everything after it is pure, so the TUI loads once and sends many times.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::exchange::{VarChange, VarScope};

use crate::model::{Environment, Variables};
use crate::script::{value_text, VarScopes};
use crate::storage::load::{list_environments, load_environment};
use crate::storage::state::load_secrets;
use crate::storage::{RequestContext, StorageError};
use crate::vars::{ScopeKind, Scopes};

use super::error::Hint;

/// Prefix of process environment variables that set postie variables
/// (`POSTIE_VAR_token=...`), at the same level as the local secrets file.
pub const ENV_VAR_PREFIX: &str = "POSTIE_VAR_";

/// What the caller asks for: which environment, which overrides.
#[derive(Debug, Clone, Default)]
pub struct VarSources {
    pub environment: Option<String>,
    /// `--var name=value`, highest precedence.
    pub cli: Vec<(String, String)>,
    /// Read `POSTIE_VAR_*` from the process environment.
    pub process_env: bool,
}

/// An environment as loaded: its file and this machine's secret values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadedEnvironment {
    pub name: String,
    pub file: Environment,
    /// From `.postie/secrets/<name>.json`.
    pub secrets: Vec<(String, String)>,
}

impl LoadedEnvironment {
    /// Names of the environment's secret variables.
    pub fn secret_names(&self) -> Vec<String> {
        let mut names: Vec<String> = (self.file.variables.0.iter())
            .filter(|(_, v)| v.is_secret())
            .map(|(n, _)| n.clone())
            .collect();
        names.extend(self.secrets.iter().map(|(n, _)| n.clone()));
        names.sort();
        names.dedup();
        names
    }
}

/// Everything variables come from, read once.
#[derive(Debug, Clone, Default)]
pub struct VarInputs {
    pub environment: Option<LoadedEnvironment>,
    /// The workspace's environments, for the hint when none is chosen.
    pub available: Vec<String>,
    /// `POSTIE_VAR_*` of the process environment, prefix removed.
    pub process: Vec<(String, String)>,
    pub cli: Vec<(String, String)>,
    /// Postman's globals (scripts, `postie run -g`).
    pub globals: Map<String, Value>,
    /// The iteration's data row (`postie run -d`).
    pub data: Map<String, Value>,
    /// What scripts set earlier in this session or run.
    pub session: SessionVars,
    /// Send an undefined `{{name}}` as written, as Postman and newman do
    /// (`postie run` of a Postman file), instead of refusing the request.
    pub keep_undefined: bool,
}

/// Variables scripts set, kept by the caller for as long as it likes (the
/// TUI: until it quits or the user saves them; the runner: for the run).
/// Nothing here is written to a committed file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionVars {
    pub globals: Map<String, Value>,
    /// By collection (its directory), then name; `None` is unset.
    pub collections: BTreeMap<String, BTreeMap<String, Option<Value>>>,
    /// By environment name (`""` when none is chosen).
    pub environments: BTreeMap<String, BTreeMap<String, Option<Value>>>,
}

impl SessionVars {
    /// Keeps an exchange's changes: `collection` is the request's
    /// collection, `environment` the one it ran with.
    pub fn record(&mut self, collection: &str, environment: Option<&str>, changes: &[VarChange]) {
        for c in changes {
            match c.scope {
                VarScope::Globals => match &c.value {
                    Some(v) => {
                        self.globals.insert(c.name.clone(), v.clone());
                    }
                    None => {
                        self.globals.remove(&c.name);
                    }
                },
                VarScope::Collection => {
                    let scope = self.collections.entry(collection.to_string()).or_default();
                    scope.insert(c.name.clone(), c.value.clone());
                }
                VarScope::Environment => {
                    let key = environment.unwrap_or_default().to_string();
                    let scope = self.environments.entry(key).or_default();
                    scope.insert(c.name.clone(), c.value.clone());
                }
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.globals.is_empty() && self.collections.is_empty() && self.environments.is_empty()
    }

    fn collection(&self, name: &str) -> impl Iterator<Item = (&String, &Option<Value>)> {
        self.collections.get(name).into_iter().flatten()
    }

    fn environment(&self, name: Option<&str>) -> impl Iterator<Item = (&String, &Option<Value>)> {
        self.environments
            .get(name.unwrap_or_default())
            .into_iter()
            .flatten()
    }
}

fn apply<'a>(
    map: &mut Map<String, Value>,
    changes: impl Iterator<Item = (&'a String, &'a Option<Value>)>,
) {
    for (name, value) in changes {
        match value {
            Some(v) => {
                map.insert(name.clone(), v.clone());
            }
            None => {
                map.remove(name);
            }
        }
    }
}

fn set_texts<'a>(
    changes: impl Iterator<Item = (&'a String, &'a Option<Value>)>,
) -> Vec<(String, String)> {
    changes
        .filter_map(|(n, v)| v.as_ref().map(|v| (n.clone(), value_text(v))))
        .collect()
}

impl VarInputs {
    /// Reads the environment, its secrets and `POSTIE_VAR_*`.
    pub fn load(root: &std::path::Path, sources: &VarSources) -> Result<Self, StorageError> {
        let environment = match &sources.environment {
            Some(name) => Some(LoadedEnvironment {
                name: name.clone(),
                file: load_environment(root, name)?,
                secrets: load_secrets(root, name)?,
            }),
            None => None,
        };
        let process = if sources.process_env {
            std::env::vars_os()
                .filter_map(|(k, v)| {
                    let k = k.to_str()?.strip_prefix(ENV_VAR_PREFIX)?.to_string();
                    Some((k, v.to_str()?.to_string()))
                })
                .collect()
        } else {
            Vec::new()
        };
        Ok(VarInputs {
            environment,
            available: list_environments(root),
            process,
            cli: sources.cli.clone(),
            globals: Map::new(),
            data: Map::new(),
            session: SessionVars::default(),
            keep_undefined: false,
        })
    }

    pub fn environment_name(&self) -> Option<&str> {
        self.environment.as_ref().map(|e| e.name.as_str())
    }

    pub fn secret_names(&self) -> Vec<String> {
        (self.environment.as_ref())
            .map(LoadedEnvironment::secret_names)
            .unwrap_or_default()
    }

    /// Values that must not be shown: secret variables' values and
    /// `POSTIE_VAR_*` overrides of secret names.
    pub fn secret_values(&self) -> Vec<String> {
        let names = self.secret_names();
        let mut out: Vec<String> = Vec::new();
        if let Some(env) = &self.environment {
            out.extend(env.secrets.iter().map(|(_, v)| v.clone()));
        }
        out.extend(
            (self.process.iter())
                .filter(|(n, _)| names.contains(n))
                .map(|(_, v)| v.clone()),
        );
        out.retain(|v| !v.is_empty());
        out
    }
}

/// Variable layers for a request, lowest precedence first, each labelled
/// with where it comes from (the editor shows it): globals, collection,
/// folders (outermost first), environment, local secrets and
/// `POSTIE_VAR_*`, data, then `--var`.
pub fn build_scopes(ctx: &RequestContext, inputs: &VarInputs) -> Scopes {
    let mut scopes = Scopes::new();
    scopes.push(ScopeKind::Globals, "globals", texts(&inputs.globals));
    scopes.push(
        ScopeKind::Globals,
        "globals set by a script",
        texts(&inputs.session.globals),
    );
    for (i, (path, folder)) in ctx.chain.iter().enumerate() {
        let (kind, what) = if i == 0 {
            (ScopeKind::Collection, "collection")
        } else {
            (ScopeKind::Folder, "folder")
        };
        scopes.push(kind, format!("{what} `{path}`"), enabled(&folder.variables));
    }
    if let Some((collection, _)) = ctx.chain.first() {
        scopes.push(
            ScopeKind::Folder,
            "collection variable set by a script",
            set_texts(inputs.session.collection(collection)),
        );
    }
    if let Some(env) = &inputs.environment {
        scopes.push(
            ScopeKind::Environment,
            format!("environment `{}`", env.name),
            enabled(&env.file.variables),
        );
        scopes.push(
            ScopeKind::Local,
            format!(".postie/secrets/{}.json", env.name),
            env.secrets.clone(),
        );
    }
    scopes.push(
        ScopeKind::Local,
        "process environment (POSTIE_VAR_*)",
        inputs.process.clone(),
    );
    scopes.push(
        ScopeKind::Environment,
        "environment variable set by a script",
        set_texts(inputs.session.environment(inputs.environment_name())),
    );
    scopes.push(ScopeKind::Data, "iteration data", texts(&inputs.data));
    scopes.push(ScopeKind::Cli, "--var", inputs.cli.clone());
    scopes
}

/// Postman's scopes, as scripts see them before they run: the collection
/// scope holds the collection's and its folders' variables (nearer wins),
/// the environment scope the environment's with this machine's secrets and
/// `POSTIE_VAR_*` on top.
pub fn script_scopes(ctx: &RequestContext, inputs: &VarInputs) -> VarScopes {
    let mut globals = inputs.globals.clone();
    for (k, v) in &inputs.session.globals {
        globals.insert(k.clone(), v.clone());
    }
    let mut collection = Map::new();
    for (_, folder) in &ctx.chain {
        for (k, v) in enabled(&folder.variables) {
            collection.insert(k, Value::String(v));
        }
    }
    if let Some((name, _)) = ctx.chain.first() {
        apply(&mut collection, inputs.session.collection(name));
    }
    let mut environment = Map::new();
    if let Some(env) = &inputs.environment {
        for (k, v) in enabled(&env.file.variables)
            .into_iter()
            .chain(env.secrets.clone())
        {
            environment.insert(k, Value::String(v));
        }
    }
    for (k, v) in &inputs.process {
        environment.insert(k.clone(), Value::String(v.clone()));
    }
    apply(
        &mut environment,
        inputs.session.environment(inputs.environment_name()),
    );
    VarScopes {
        globals,
        collection,
        environment,
        data: inputs.data.clone(),
        local: Map::new(),
        environment_name: inputs.environment_name().map(str::to_string),
    }
}

/// The layers to resolve with after scripts ran: Postman's scopes, then
/// `--var` on top.
pub fn scopes_after_scripts(vars: &VarScopes, inputs: &VarInputs) -> Scopes {
    let mut scopes = Scopes::new();
    scopes.push(ScopeKind::Globals, "globals", texts(&vars.globals));
    scopes.push(ScopeKind::Collection, "collection", texts(&vars.collection));
    let env = match inputs.environment_name() {
        Some(name) => format!("environment `{name}`"),
        None => "environment".to_string(),
    };
    scopes.push(ScopeKind::Environment, env, texts(&vars.environment));
    scopes.push(ScopeKind::Data, "iteration data", texts(&vars.data));
    scopes.push(ScopeKind::Local, "pm.variables", texts(&vars.local));
    scopes.push(ScopeKind::Cli, "--var", inputs.cli.clone());
    scopes
}

fn texts(map: &Map<String, Value>) -> Vec<(String, String)> {
    map.iter()
        .map(|(k, v)| (k.clone(), value_text(v)))
        .collect()
}

fn enabled(vars: &Variables) -> Vec<(String, String)> {
    vars.values()
}

/// The hint for an undefined variable `name`: where a secret's value
/// goes, or that no environment is chosen though the workspace has some.
pub fn undefined_hint(inputs: &VarInputs, secrets: &[String], name: &str) -> Option<Hint> {
    // `$env.X` is the process environment's, not an environment file's.
    if name.starts_with('$') {
        return None;
    }
    match inputs.environment_name() {
        Some(env) if secrets.iter().any(|s| s == name) => Some(Hint::Secret {
            environment: env.to_string(),
            name: name.to_string(),
        }),
        Some(_) => None,
        None => (!inputs.available.is_empty()).then(|| Hint::NoEnvironment {
            available: inputs.available.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undefined_variable_without_an_environment_hints_at_the_workspace_environments() {
        let d = tempfile::tempdir().unwrap();
        let load = |env: Option<&str>| {
            let sources = VarSources {
                environment: env.map(String::from),
                ..VarSources::default()
            };
            VarInputs::load(d.path(), &sources).unwrap()
        };
        assert_eq!(undefined_hint(&load(None), &[], "token"), None);
        std::fs::create_dir_all(d.path().join("environments")).unwrap();
        for e in ["staging", "local"] {
            std::fs::write(d.path().join(format!("environments/{e}.json")), "{}").unwrap();
        }
        let hint = undefined_hint(&load(None), &[], "token");
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
        assert_eq!(undefined_hint(&load(None), &[], "$env.HOME"), None);
        let local = load(Some("local"));
        assert_eq!(undefined_hint(&local, &[], "token"), None);
        assert!(matches!(
            undefined_hint(&local, &["token".into()], "token"),
            Some(Hint::Secret { .. })
        ));
    }
}
