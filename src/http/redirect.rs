//! Redirect rules, applied by hand so every hop can be recorded.

use reqwest::Method;
use url::Url;

use super::SendError;

pub(crate) fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// The method for the next hop and whether the body goes with it, as
/// Postman redirects: 307/308 keep both; any other redirect becomes a GET
/// without a body (HEAD stays HEAD), unless `keep_method` (Postman's
/// `followOriginalHttpMethod`) keeps both whatever the status.
pub(crate) fn next_method(status: u16, method: &Method, keep_method: bool) -> (Method, bool) {
    if keep_method || matches!(status, 307 | 308) {
        return (method.clone(), true);
    }
    if *method == Method::HEAD {
        return (Method::HEAD, false);
    }
    (Method::GET, false)
}

/// The `Referer` a redirect hop to `next` sends: the URL that answered,
/// without credentials or fragment; only its origin when `next` is another
/// origin (strict-origin-when-cross-origin, as browsers send it).
pub(crate) fn referer(previous: &Url, next: &Url) -> String {
    if !same_origin(previous, next) {
        return format!("{}/", previous.origin().ascii_serialization());
    }
    let mut u = previous.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.set_fragment(None);
    u.to_string()
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
    fn methods_follow_postmans_rules() {
        assert_eq!(next_method(301, &Method::POST, false), (Method::GET, false));
        assert_eq!(next_method(302, &Method::PUT, false), (Method::GET, false));
        assert_eq!(
            next_method(302, &Method::DELETE, false),
            (Method::GET, false)
        );
        assert_eq!(next_method(303, &Method::PUT, false), (Method::GET, false));
        assert_eq!(
            next_method(303, &Method::HEAD, false),
            (Method::HEAD, false)
        );
        assert_eq!(next_method(307, &Method::POST, false), (Method::POST, true));
        assert_eq!(
            next_method(308, &Method::PATCH, false),
            (Method::PATCH, true)
        );
        let custom = Method::from_bytes(b"POSTMAN").unwrap();
        assert_eq!(next_method(302, &custom, true), (custom.clone(), true));
        assert_eq!(
            next_method(301, &Method::DELETE, true),
            (Method::DELETE, true)
        );
    }

    #[test]
    fn the_referer_drops_credentials_and_fragment_and_is_the_origin_elsewhere() {
        let u = Url::parse("http://u:p@a.test:81/x?q=1#frag").unwrap();
        let same = Url::parse("http://a.test:81/y").unwrap();
        assert_eq!(referer(&u, &same), "http://a.test:81/x?q=1");
        let other = Url::parse("http://b.test/").unwrap();
        assert_eq!(referer(&u, &other), "http://a.test:81/");
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
