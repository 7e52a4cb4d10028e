//! The executor's cookie jar: `cookie_store` behind a mutex, plugged into
//! every reqwest client, persisted to `ClientConfig::cookie_file`.

use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use reqwest::header::HeaderValue;

pub(crate) struct CookieJar {
    store: Mutex<cookie_store::CookieStore>,
    file: Option<PathBuf>,
    /// Held across snapshot + write so an older snapshot never lands last.
    save_lock: Mutex<()>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves the store usable; don't spread it.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl CookieJar {
    /// Loads the jar from `file` if it exists. A file that does not parse is
    /// renamed aside to `<name>.bad` (so the user's data is not lost and
    /// the next save starts clean) and the jar starts empty.
    pub(crate) fn load(file: Option<PathBuf>) -> CookieJar {
        let store = match &file {
            Some(path) => load_file(path),
            None => cookie_store::CookieStore::new(),
        };
        CookieJar {
            store: Mutex::new(store),
            file,
            save_lock: Mutex::new(()),
        }
    }

    /// Writes the jar atomically, session cookies included: users expect a
    /// login to carry over between `postie send` runs.
    pub(crate) fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.file else {
            return Ok(());
        };
        let _guard = lock(&self.save_lock);
        let mut bytes = Vec::new();
        {
            let store = lock(&self.store);
            cookie_store::serde::json::save_incl_expired_and_nonpersistent(&store, &mut bytes)
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        crate::storage::atomic::write_atomic(path, &bytes)
    }

    pub(crate) fn persists(&self) -> bool {
        self.file.is_some()
    }

    /// The cookies the jar would send to `url`.
    pub(crate) fn for_url(&self, url: &str) -> Vec<super::types::JarCookie> {
        let Ok(url) = url::Url::parse(url) else {
            return Vec::new();
        };
        let store = lock(&self.store);
        store
            .matches(&url)
            .into_iter()
            .map(|c| super::types::JarCookie {
                name: c.name().to_string(),
                value: c.value().to_string(),
                domain: c.domain().map(str::to_string),
                path: c.path().map(str::to_string),
                expires: c.expires_datetime().map(|t| t.to_string()),
                http_only: c.http_only().unwrap_or(false),
                secure: c.secure().unwrap_or(false),
            })
            .collect()
    }
}

fn load_file(path: &Path) -> cookie_store::CookieStore {
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(_) => return cookie_store::CookieStore::new(),
    };
    match cookie_store::serde::json::load(BufReader::new(file)) {
        Ok(store) => store,
        Err(_) => {
            let mut bad = path.as_os_str().to_owned();
            bad.push(".bad");
            let _ = std::fs::rename(path, PathBuf::from(bad));
            cookie_store::CookieStore::new()
        }
    }
}

impl reqwest::cookie::CookieStore for CookieJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &url::Url) {
        let cookies = cookie_headers.filter_map(|v| {
            let s = std::str::from_utf8(v.as_bytes()).ok()?;
            cookie_store::RawCookie::parse(s)
                .ok()
                .map(|c| c.into_owned())
        });
        lock(&self.store).store_response_cookies(cookies, url);
    }

    fn cookies(&self, url: &url::Url) -> Option<HeaderValue> {
        let s = lock(&self.store)
            .get_request_values(url)
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        if s.is_empty() {
            return None;
        }
        HeaderValue::from_str(&s).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::cookie::CookieStore as _;

    #[test]
    fn session_cookies_survive_a_save_and_load() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.json");
        let url = url::Url::parse("http://example.test/").unwrap();
        let jar = CookieJar::load(Some(path.clone()));
        let v = HeaderValue::from_static("sid=abc; Path=/");
        jar.set_cookies(&mut std::iter::once(&v), &url);
        jar.save().unwrap();

        let again = CookieJar::load(Some(path));
        assert_eq!(again.cookies(&url).unwrap(), "sid=abc");
    }

    #[test]
    fn a_corrupt_file_is_moved_aside_and_the_jar_starts_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cookies.json");
        std::fs::write(&path, b"{ not json").unwrap();
        let jar = CookieJar::load(Some(path.clone()));
        let url = url::Url::parse("http://example.test/").unwrap();
        assert!(jar.cookies(&url).is_none());
        assert!(!path.exists());
        assert_eq!(
            std::fs::read(dir.path().join("cookies.json.bad")).unwrap(),
            b"{ not json"
        );
    }
}
