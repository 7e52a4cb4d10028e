//! Redirect rules, applied by hand so every hop can be recorded.

use reqwest::Method;
use url::Url;

use super::SendError;

pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The method for the next hop and whether the body goes with it.
pub(crate) fn next_method(status: u16, method: &Method) -> (Method, bool) {
    match status {
        // Browsers turn POST into GET here, and servers rely on it.
        301 | 302 if *method == Method::POST => (Method::GET, false),
        303 if *method != Method::HEAD => (Method::GET, false),
        _ => (method.clone(), true),
    }
}

pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Resolves `location` (maybe relative) against the URL that answered.
pub(crate) fn resolve(current: &Url, location: &str) -> Result<Url, SendError> {
    let next = current.join(location.trim()).map_err(|e| {
        SendError::Protocol(format!("redirect to an invalid Location `{location}`: {e}"))
    })?;
    match next.scheme() {
        "http" | "https" => Ok(next),
        other => Err(SendError::Protocol(format!(
            "redirect to unsupported scheme `{other}` ({location})"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_follow_the_browser_rules() {
        assert_eq!(next_method(301, &Method::POST), (Method::GET, false));
        assert_eq!(next_method(302, &Method::PUT), (Method::PUT, true));
        assert_eq!(next_method(303, &Method::PUT), (Method::GET, false));
        assert_eq!(next_method(303, &Method::HEAD), (Method::HEAD, true));
        assert_eq!(next_method(307, &Method::POST), (Method::POST, true));
        assert_eq!(next_method(308, &Method::PATCH), (Method::PATCH, true));
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert!(same_origin(&u("http://a.test/x"), &u("http://a.test:80/y")));
        assert!(!same_origin(&u("http://a.test/"), &u("https://a.test/")));
        assert!(!same_origin(&u("http://a.test:1/"), &u("http://a.test:2/")));
        assert!(!same_origin(&u("http://a.test/"), &u("http://b.test/")));
    }

    #[test]
    fn relative_locations_resolve_and_odd_schemes_are_refused() {
        let base = Url::parse("http://a.test/dir/page?q=1").unwrap();
        assert_eq!(
            resolve(&base, "next").unwrap().as_str(),
            "http://a.test/dir/next"
        );
        assert_eq!(
            resolve(&base, "/top").unwrap().as_str(),
            "http://a.test/top"
        );
        assert_eq!(
            resolve(&base, "//b.test/x").unwrap().as_str(),
            "http://b.test/x"
        );
        assert!(resolve(&base, "ftp://a.test/").is_err());
    }
}
