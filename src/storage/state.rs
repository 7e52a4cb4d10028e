//! The local state folder, `.postie/`: never committed. It holds secret
//! variable values, cookies, the last environment chosen, and (later)
//! history.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::model::WorkspaceConfig;

use super::atomic::write_atomic;
use super::layout::STATE_DIR;
use super::load::shown;
use super::parse::parse_json;
use super::StorageError;

pub fn state_dir(root: &Path) -> PathBuf {
    root.join(STATE_DIR)
}

/// Creates `.postie/` with a `.gitignore` of `*`, so it stays out of git
/// even in a repository whose own .gitignore forgot it.
pub fn ensure_state_dir(root: &Path) -> Result<PathBuf, StorageError> {
    let dir = state_dir(root);
    fs::create_dir_all(&dir).map_err(|e| StorageError::io(&dir, e))?;
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        write_atomic(
            &ignore,
            b"# postie's local state: secrets, cookies, history\n*\n",
        )
        .map_err(|e| StorageError::io(&ignore, e))?;
    }
    Ok(dir)
}

pub fn cookie_file(root: &Path) -> PathBuf {
    state_dir(root).join("cookies.json")
}

pub fn secrets_file(root: &Path, env: &str) -> PathBuf {
    state_dir(root).join("secrets").join(format!("{env}.json"))
}

/// Secret values for one environment, from `.postie/secrets/<env>.json`
/// (`{"token": "…"}`); none when the file does not exist.
pub fn load_secrets(root: &Path, env: &str) -> Result<Vec<(String, String)>, StorageError> {
    let file = secrets_file(root, env);
    let text = match fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StorageError::io(shown(root, &file), e)),
    };
    let map: serde_json::Map<String, serde_json::Value> = parse_json(&shown(root, &file), &text)?;
    Ok(map
        .into_iter()
        .map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (k, s)
        })
        .collect())
}

pub fn save_secrets(
    root: &Path,
    env: &str,
    values: &[(String, String)],
) -> Result<(), StorageError> {
    ensure_state_dir(root)?;
    let file = secrets_file(root, env);
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(|e| StorageError::io(parent, e))?;
    }
    let map: serde_json::Map<String, serde_json::Value> = values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    let text = super::save::to_canonical_json(&map);
    write_atomic(&file, text.as_bytes()).map_err(|e| StorageError::io(file, e))
}

/// `.postie/state.json`: what this checkout remembers between runs.
/// State files that are torn or corrupted and what postie does about each,
/// for the UIs to say at start: the cookie jar is set aside (as
/// `cookies.json.bad`) and starts empty, a cached OAuth 2.0 token is fetched
/// anew. Nothing is changed here. (A damaged `state.json` is said where it
/// is read; damaged history lines where history is read.)
pub fn damaged(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let is_json = |path: &Path| {
        std::fs::read(path)
            .map(|b| serde_json::from_slice::<serde_json::Value>(&b).is_ok())
            .unwrap_or(true)
    };
    let cookies = cookie_file(root);
    if cookies.exists() && !is_json(&cookies) {
        found.push(
            ".postie/cookies.json is damaged: it is set aside as cookies.json.bad and the \
             cookie jar starts empty"
                .to_string(),
        );
    }
    if let Ok(entries) = std::fs::read_dir(state_dir(root).join("oauth2")) {
        for entry in entries.flatten() {
            let path = entry.path();
            let is_token = path.extension().is_some_and(|e| e == "json");
            if is_token && crate::oauth2::read_token_file(&path).is_none() {
                found.push(format!(
                    ".postie/oauth2/{} is damaged: that OAuth 2.0 token is fetched anew",
                    entry.file_name().to_string_lossy()
                ));
            }
        }
    }
    found
}

pub fn state_file(root: &Path) -> PathBuf {
    state_dir(root).join("state.json")
}

/// The key in `state.json` that holds the last environment chosen.
const ENVIRONMENT_KEY: &str = "environment";

/// What the state file remembers about the environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Remembered {
    /// No choice was ever made here.
    #[default]
    Nothing,
    /// The user chose "no environment" (`"environment": null`).
    NoEnvironment,
    Environment(String),
}

fn read_state(
    root: &Path,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, StorageError> {
    let file = state_file(root);
    let text = match fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StorageError::io(shown(root, &file), e)),
    };
    Ok(Some(parse_json(&shown(root, &file), &text)?))
}

/// The environment last chosen in this workspace. A missing file remembers
/// nothing; an unreadable one is an error the caller shows as a warning
/// (the state folder is a convenience, never a reason to stop).
pub fn load_remembered(root: &Path) -> Result<Remembered, StorageError> {
    let Some(map) = read_state(root)? else {
        return Ok(Remembered::Nothing);
    };
    Ok(match map.get(ENVIRONMENT_KEY) {
        None => Remembered::Nothing,
        Some(serde_json::Value::Null) => Remembered::NoEnvironment,
        Some(serde_json::Value::String(s)) if !s.is_empty() => Remembered::Environment(s.clone()),
        Some(_) => {
            let file = state_file(root);
            return Err(crate::diag::Diagnostic::error(
                shown(root, &file),
                "`environment` must be a name or null",
            )
            .into());
        }
    })
}

/// Remembers `environment` (`None`: no environment) as the last chosen,
/// keeping whatever else the state file holds. A state file that does not
/// parse is replaced: it only ever holds what postie wrote.
pub fn remember_environment(root: &Path, environment: Option<&str>) -> Result<(), StorageError> {
    ensure_state_dir(root)?;
    let mut map = read_state(root).ok().flatten().unwrap_or_default();
    map.insert(
        ENVIRONMENT_KEY.to_string(),
        match environment {
            Some(e) => serde_json::Value::String(e.to_string()),
            None => serde_json::Value::Null,
        },
    );
    let file = state_file(root);
    let text = super::save::to_canonical_json(&map);
    write_atomic(&file, text.as_bytes()).map_err(|e| StorageError::io(file, e))
}

/// Why an environment is the one in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvSource {
    /// `--env NAME`, `POSTIE_ENV`, or `postie open --env NAME`.
    Explicit,
    /// The last one chosen in the app (`.postie/state.json`).
    Remembered,
    /// `default_environment` in `postie.json`.
    Default,
    /// None of the above: no environment.
    Nothing,
}

/// Something to tell the user about the choice; never fatal.
#[derive(Debug)]
pub enum EnvWarning {
    /// `.postie/state.json` could not be read; it was ignored.
    StateUnreadable(StorageError),
    /// The remembered environment's file is gone.
    RememberedGone(String),
    /// `default_environment` names an environment that does not exist.
    DefaultGone(String),
}

impl fmt::Display for EnvWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EnvWarning::StateUnreadable(e) => {
                write!(f, "ignoring the remembered environment: {e}")
            }
            EnvWarning::RememberedGone(n) => write!(
                f,
                "the environment last chosen, `{n}`, no longer exists; ignoring it"
            ),
            EnvWarning::DefaultGone(n) => write!(
                f,
                "postie.json's default_environment `{n}` does not exist; ignoring it"
            ),
        }
    }
}

/// The environment to use, why, and what to warn about.
#[derive(Debug)]
pub struct EnvChoice {
    pub name: Option<String>,
    pub source: EnvSource,
    pub warnings: Vec<EnvWarning>,
}

impl EnvChoice {
    /// One line saying which environment is used and why, for a choice the
    /// user did not make on the command line (`None` for an explicit one,
    /// or when nothing chose any).
    pub fn describe_implicit(&self) -> Option<String> {
        let what = match &self.name {
            Some(n) => format!("environment `{n}`"),
            None => "no environment".to_string(),
        };
        match self.source {
            EnvSource::Remembered => Some(format!(
                "using {what}, the last chosen in the app (--env NAME chooses another)"
            )),
            EnvSource::Default => Some(format!(
                "using {what}, postie.json's default_environment (--env NAME chooses another)"
            )),
            EnvSource::Explicit | EnvSource::Nothing => None,
        }
    }
}

/// The one rule the app and the CLI share: an explicit choice, else the
/// last one chosen in this workspace, else the workspace default, else
/// none. A remembered or default environment that no longer exists is
/// skipped with a warning; an explicit one is returned as given, so the
/// caller reports it as the error it is.
pub fn choose_environment(
    explicit: Option<&str>,
    remembered: &Remembered,
    default: Option<&str>,
    available: &[String],
) -> EnvChoice {
    let mut warnings = Vec::new();
    if let Some(e) = explicit {
        return EnvChoice {
            name: Some(e.to_string()),
            source: EnvSource::Explicit,
            warnings,
        };
    }
    let exists = |n: &str| available.iter().any(|a| a == n);
    match remembered {
        Remembered::Environment(n) if exists(n) => {
            return EnvChoice {
                name: Some(n.clone()),
                source: EnvSource::Remembered,
                warnings,
            }
        }
        Remembered::Environment(n) => warnings.push(EnvWarning::RememberedGone(n.clone())),
        Remembered::NoEnvironment => {
            return EnvChoice {
                name: None,
                source: EnvSource::Remembered,
                warnings,
            }
        }
        Remembered::Nothing => {}
    }
    match default {
        Some(d) if exists(d) => EnvChoice {
            name: Some(d.to_string()),
            source: EnvSource::Default,
            warnings,
        },
        Some(d) => {
            warnings.push(EnvWarning::DefaultGone(d.to_string()));
            EnvChoice {
                name: None,
                source: EnvSource::Nothing,
                warnings,
            }
        }
        None => EnvChoice {
            name: None,
            source: EnvSource::Nothing,
            warnings,
        },
    }
}

/// [`choose_environment`] with the remembered choice read from disk; an
/// unreadable state file becomes a warning.
pub fn resolve_environment(
    root: &Path,
    config: &WorkspaceConfig,
    available: &[String],
    explicit: Option<&str>,
) -> EnvChoice {
    let (remembered, unreadable) = match explicit {
        // An explicit choice needs no memory: do not warn about it.
        Some(_) => (Remembered::Nothing, None),
        None => match load_remembered(root) {
            Ok(r) => (r, None),
            Err(e) => (Remembered::Nothing, Some(EnvWarning::StateUnreadable(e))),
        },
    };
    let mut choice = choose_environment(
        explicit,
        &remembered,
        config.default_environment.as_deref(),
        available,
    );
    choice.warnings.splice(0..0, unreadable);
    choice
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envs(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn an_explicit_choice_wins_over_memory_and_default() {
        let c = choose_environment(
            Some("staging"),
            &Remembered::Environment("local".into()),
            Some("local"),
            &envs(&["local", "staging"]),
        );
        assert_eq!(c.name.as_deref(), Some("staging"));
        assert_eq!(c.source, EnvSource::Explicit);
        assert!(c.warnings.is_empty());
        assert_eq!(c.describe_implicit(), None);
    }

    #[test]
    fn the_remembered_choice_wins_over_the_default_even_when_it_is_none() {
        let available = envs(&["aaa-prod", "local", "staging"]);
        let c = choose_environment(
            None,
            &Remembered::Environment("staging".into()),
            Some("local"),
            &available,
        );
        assert_eq!(
            (c.name.as_deref(), c.source),
            (Some("staging"), EnvSource::Remembered)
        );
        let c = choose_environment(None, &Remembered::NoEnvironment, Some("local"), &available);
        assert_eq!((c.name, c.source), (None, EnvSource::Remembered));
    }

    #[test]
    fn the_default_is_used_when_nothing_is_remembered_and_never_the_first_alphabetically() {
        let available = envs(&["aaa-prod", "local"]);
        let c = choose_environment(None, &Remembered::Nothing, Some("local"), &available);
        assert_eq!(
            (c.name.as_deref(), c.source),
            (Some("local"), EnvSource::Default)
        );
        let c = choose_environment(None, &Remembered::Nothing, None, &available);
        assert_eq!((c.name, c.source), (None, EnvSource::Nothing));
    }

    #[test]
    fn a_remembered_or_default_environment_that_is_gone_is_skipped_with_a_warning() {
        let available = envs(&["local"]);
        let c = choose_environment(
            None,
            &Remembered::Environment("old".into()),
            Some("local"),
            &available,
        );
        assert_eq!(
            (c.name.as_deref(), c.source),
            (Some("local"), EnvSource::Default)
        );
        assert!(matches!(&c.warnings[..], [EnvWarning::RememberedGone(n)] if n == "old"));
        let c = choose_environment(None, &Remembered::Nothing, Some("gone"), &available);
        assert_eq!((c.name, c.source), (None, EnvSource::Nothing));
        assert!(c.warnings[0].to_string().contains("`gone` does not exist"));
    }

    #[test]
    fn remembering_round_trips_and_keeps_other_keys() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(load_remembered(d.path()).unwrap(), Remembered::Nothing);
        remember_environment(d.path(), Some("staging")).unwrap();
        assert_eq!(
            load_remembered(d.path()).unwrap(),
            Remembered::Environment("staging".into())
        );
        let file = state_file(d.path());
        let mut map: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&fs::read_to_string(&file).unwrap()).unwrap();
        map.insert("later".into(), serde_json::json!(1));
        fs::write(&file, serde_json::to_string(&map).unwrap()).unwrap();
        remember_environment(d.path(), None).unwrap();
        assert_eq!(
            load_remembered(d.path()).unwrap(),
            Remembered::NoEnvironment
        );
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains("\"later\": 1"), "{text}");
        // The state folder ignores itself in git.
        assert!(d.path().join(".postie/.gitignore").is_file());
    }

    #[test]
    fn a_corrupt_state_file_is_a_warning_not_a_failure() {
        let d = tempfile::tempdir().unwrap();
        ensure_state_dir(d.path()).unwrap();
        fs::write(state_file(d.path()), "{not json").unwrap();
        let config = WorkspaceConfig {
            default_environment: Some("local".into()),
            ..WorkspaceConfig::default()
        };
        let c = resolve_environment(d.path(), &config, &envs(&["local"]), None);
        assert_eq!(
            (c.name.as_deref(), c.source),
            (Some("local"), EnvSource::Default)
        );
        assert!(
            matches!(&c.warnings[..], [EnvWarning::StateUnreadable(_)]),
            "{:?}",
            c.warnings
        );
        assert!(
            c.warnings[0].to_string().contains("state.json"),
            "{}",
            c.warnings[0]
        );
        // Choosing again replaces the corrupt file.
        remember_environment(d.path(), Some("local")).unwrap();
        assert_eq!(
            load_remembered(d.path()).unwrap(),
            Remembered::Environment("local".into())
        );
        // An explicit choice does not even look.
        fs::write(state_file(d.path()), "{not json").unwrap();
        let c = resolve_environment(d.path(), &config, &envs(&["local"]), Some("x"));
        assert!(c.warnings.is_empty());
    }
}
