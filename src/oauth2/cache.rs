//! Tokens kept between sends: one file per workspace, environment and
//! auth configuration in `.postie/oauth2/` (git-ignored, owner-only), and
//! in memory when that folder cannot be written.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::OAuth2Auth;

/// A token is refreshed this long before it expires, so it does not
/// expire on the way to the server.
pub const EXPIRY_MARGIN: Duration = Duration::from_secs(30);

/// A token as the token endpoint gave it, with when it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    pub access_token: String,
    #[serde(default)]
    pub token_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Seconds since the Unix epoch; `None` when the server gave no
    /// `expires_in`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<u64>,
    /// The scope granted, when the server said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(default)]
    pub obtained_at: u64,
}

impl Token {
    /// Usable now: not expired, nor about to.
    pub fn is_fresh(&self) -> bool {
        match self.expires_at {
            None => true,
            Some(at) => now_secs() + EXPIRY_MARGIN.as_secs() < at,
        }
    }

    /// Time left before it expires (zero once expired).
    pub fn expires_in(&self) -> Option<Duration> {
        (self.expires_at).map(|at| Duration::from_secs(at.saturating_sub(now_secs())))
    }

    /// The value as shown on screen: its first and last few characters.
    pub fn redacted(&self) -> String {
        redact(&self.access_token)
    }
}

/// `abcd…wxyz (120 chars)`: enough to tell two tokens apart, not to use one.
pub fn redact(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() <= 12 {
        return format!("{} ({} chars)", "•".repeat(chars.len().min(8)), chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}…{tail} ({} chars)", chars.len())
}

pub fn now_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// What a cached token was obtained for: the file name is a hash of it.
/// Secrets (client secret, password) are left out of the key: a changed
/// secret does not make the server's token wrong, and no hash of a
/// password lands on disk.
pub fn key(environment: Option<&str>, auth: &OAuth2Auth) -> String {
    let mut h = Sha256::new();
    for part in [
        environment.unwrap_or(""),
        auth.grant.name(),
        &auth.token_url,
        &auth.auth_url,
        &auth.device_url,
        &auth.client_id,
        &auth.scope,
        &auth.audience,
        &auth.resource,
        &auth.username,
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    h.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The token store of every workspace this process sends from.
#[derive(Default)]
pub struct TokenCache {
    /// Tokens whose file could not be written, by file path.
    memory: Mutex<HashMap<PathBuf, Token>>,
    /// One flow per token file at a time.
    locks: Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>,
}

/// The file of the token for `key` in workspace `root`.
pub fn file_for(root: &Path, key: &str) -> PathBuf {
    crate::storage::state::state_dir(root)
        .join("oauth2")
        .join(format!("{key}.json"))
}

impl TokenCache {
    /// The lock a flow holds while it gets the token for `key`.
    pub fn lock_for(&self, root: &Path, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let file = file_for(root, key);
        match self.locks.lock() {
            Ok(mut locks) => locks.entry(file).or_default().clone(),
            // A poisoned map only loses the sharing, not correctness.
            Err(_) => Arc::default(),
        }
    }

    /// The token stored for `key`, if any. A torn or corrupt file is
    /// treated as no token (it is replaced on the next fetch).
    pub fn get(&self, root: &Path, key: &str) -> Option<Token> {
        let file = file_for(root, key);
        if let Some(t) = self.memory.lock().ok().and_then(|m| m.get(&file).cloned()) {
            return Some(t);
        }
        read(&file)
    }

    /// Stores `token`; returns why the file could not be written (the
    /// token is then kept in memory for this process).
    pub fn put(&self, root: &Path, key: &str, token: &Token) -> Result<(), String> {
        let file = file_for(root, key);
        match write(root, &file, token) {
            Ok(()) => {
                if let Ok(mut m) = self.memory.lock() {
                    m.remove(&file);
                }
                Ok(())
            }
            Err(e) => {
                if let Ok(mut m) = self.memory.lock() {
                    m.insert(file.clone(), token.clone());
                }
                Err(format!("{}: {e}", file.display()))
            }
        }
    }

    /// Forgets the token for `key` (`Ok(false)` when there was none).
    pub fn forget(&self, root: &Path, key: &str) -> std::io::Result<bool> {
        let file = file_for(root, key);
        let in_memory = (self.memory.lock().ok()).is_some_and(|mut m| m.remove(&file).is_some());
        match std::fs::remove_file(&file) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(in_memory),
            Err(e) => Err(e),
        }
    }
}

/// The token in `file`, without a cache (the TUI's Auth tab, `export`).
pub fn read(file: &Path) -> Option<Token> {
    let text = std::fs::read_to_string(file).ok()?;
    serde_json::from_str(&text).ok()
}

fn write(root: &Path, file: &Path, token: &Token) -> Result<(), String> {
    crate::storage::state::ensure_state_dir(root).map_err(|e| e.to_string())?;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    }
    let text = serde_json::to_string_pretty(token).map_err(|e| e.to_string())? + "\n";
    crate::storage::atomic::write_private(file, text.as_bytes()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(expires_at: Option<u64>) -> Token {
        Token {
            access_token: "at-0123456789abcdef".into(),
            token_type: "Bearer".into(),
            refresh_token: Some("rt".into()),
            expires_at,
            scope: Some("read".into()),
            obtained_at: now_secs(),
        }
    }

    #[test]
    fn freshness_leaves_a_margin_before_expiry() {
        assert!(token(None).is_fresh());
        assert!(token(Some(now_secs() + 3600)).is_fresh());
        assert!(!token(Some(now_secs() + 10)).is_fresh());
        assert!(!token(Some(now_secs().saturating_sub(1))).is_fresh());
    }

    #[test]
    fn keys_differ_by_environment_and_configuration_but_not_secret() {
        let a = OAuth2Auth {
            token_url: "http://t".into(),
            client_id: "c".into(),
            ..Default::default()
        };
        let b = OAuth2Auth {
            scope: "other".into(),
            ..a.clone()
        };
        let c = OAuth2Auth {
            client_secret: "changed".into(),
            ..a.clone()
        };
        assert_ne!(key(Some("dev"), &a), key(Some("prod"), &a));
        assert_ne!(key(None, &a), key(None, &b));
        assert_eq!(key(None, &a), key(None, &c));
        assert_eq!(key(None, &a).len(), 32);
    }

    #[test]
    fn tokens_survive_a_new_cache_and_a_corrupt_file_reads_as_none() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TokenCache::default();
        let t = token(Some(now_secs() + 100));
        cache.put(dir.path(), "k1", &t).unwrap();
        assert_eq!(TokenCache::default().get(dir.path(), "k1"), Some(t));
        let file = file_for(dir.path(), "k1");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{mode:o}");
        }
        std::fs::write(&file, "{\"access_tok").unwrap();
        assert_eq!(cache.get(dir.path(), "k1"), None);
        assert!(cache.forget(dir.path(), "k1").unwrap());
        assert!(!cache.forget(dir.path(), "k1").unwrap());
    }

    #[test]
    fn redaction_keeps_only_the_ends() {
        assert_eq!(redact("abcdefghijklmnopqrstuvwxyz"), "abcd…wxyz (26 chars)");
        assert_eq!(redact("short"), "••••• (5 chars)");
    }
}
