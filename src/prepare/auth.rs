//! Auth, resolved with the rest of the request and applied to it last,
//! once the URL and body are final (a signature must cover them).

mod hawk;
mod jwt;
mod key;
mod oauth1;
pub mod sigv4;

use base64::Engine as _;

use crate::http::{DigestCredentials, HopAuth, PreparedRequest};
use crate::model::{
    ApiKeyLocation, Auth, AwsV4Auth, HawkAuth, JwtAuth, OAuth1Auth, OAuth2Auth, OAuth2Param,
};

/// An auth with its variables resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireAuth {
    None,
    Basic {
        username: String,
        password: String,
    },
    Bearer {
        token: String,
    },
    ApiKey {
        key: String,
        value: String,
        location: ApiKeyLocation,
    },
    Digest(DigestCredentials),
    OAuth1(OAuth1Auth),
    Hawk(HawkAuth),
    AwsV4(AwsV4Auth),
    /// Needs a token first: the pipeline gets one and puts it on
    /// (`crate::oauth2`), so `apply` leaves the request as it is.
    OAuth2(Box<OAuth2Auth>),
    /// A JWT's settings and, once [`WireAuth::finish`] signed it, the token.
    Jwt {
        auth: Box<JwtAuth>,
        token: String,
    },
}

/// A resolved auth that cannot be used: the field (named as on disk) and
/// why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthProblem {
    pub field: &'static str,
    pub message: String,
}

/// Resolves `auth`'s templates with `resolve(template, field name)`.
pub(super) fn resolve(
    auth: &Auth,
    mut resolve: impl FnMut(&str, &'static str) -> String,
) -> WireAuth {
    match auth {
        Auth::Inherit | Auth::None => WireAuth::None,
        Auth::Basic { username, password } => WireAuth::Basic {
            username: resolve(username, "username"),
            password: resolve(password, "password"),
        },
        Auth::Bearer { token } => WireAuth::Bearer {
            token: resolve(token, "token"),
        },
        Auth::ApiKey {
            key,
            value,
            location,
        } => WireAuth::ApiKey {
            key: resolve(key, "key"),
            value: resolve(value, "value"),
            location: *location,
        },
        Auth::Digest { username, password } => WireAuth::Digest(DigestCredentials {
            username: resolve(username, "username"),
            password: resolve(password, "password"),
        }),
        Auth::OAuth1(o) => {
            let mut out = o.clone();
            for (i, (name, template)) in o.fields().into_iter().enumerate() {
                if let Some(slot) = out.field_mut(i) {
                    *slot = resolve(template, name);
                }
            }
            WireAuth::OAuth1(out)
        }
        Auth::Hawk(h) => {
            let mut out = h.clone();
            for (i, (name, template)) in h.fields().into_iter().enumerate() {
                if let Some(slot) = out.field_mut(i) {
                    *slot = resolve(template, name);
                }
            }
            WireAuth::Hawk(out)
        }
        Auth::AwsV4(a) => {
            let mut out = a.clone();
            for (i, (name, template)) in a.fields().into_iter().enumerate() {
                if let Some(slot) = out.field_mut(i) {
                    *slot = resolve(template, name);
                }
            }
            WireAuth::AwsV4(out)
        }
        Auth::OAuth2(o) => {
            let mut out = o.clone();
            for (i, (name, template)) in o.fields().into_iter().enumerate() {
                if let Some(slot) = out.field_mut(i) {
                    *slot = resolve(template, name);
                }
            }
            let mut params = |list: &[OAuth2Param]| -> Vec<OAuth2Param> {
                (list.iter().filter(|p| p.enabled))
                    .map(|p| OAuth2Param {
                        key: resolve(&p.key, "parameter"),
                        value: resolve(&p.value, "parameter"),
                        ..p.clone()
                    })
                    .collect()
            };
            out.params.authorize = params(&o.params.authorize);
            out.params.token = params(&o.params.token);
            out.params.refresh = params(&o.params.refresh);
            WireAuth::OAuth2(out)
        }
        Auth::Jwt(j) => {
            let mut out = j.clone();
            for (i, (name, template)) in j.fields().into_iter().enumerate() {
                if let Some(slot) = out.field_mut(i) {
                    *slot = resolve(template, name);
                }
            }
            WireAuth::Jwt {
                auth: out,
                token: String::new(),
            }
        }
    }
}

/// Seconds since the Unix epoch, for signatures that carry a timestamp.
fn now() -> String {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        .to_string()
}

/// A fresh nonce of `len` letters and digits.
fn nonce(len: usize) -> String {
    std::iter::repeat_with(fastrand::alphanumeric)
        .take(len)
        .collect()
}

/// `given`, or `fresh()` when it is empty.
fn or_fresh(given: &str, fresh: impl FnOnce() -> String) -> String {
    if given.is_empty() {
        fresh()
    } else {
        given.to_string()
    }
}

impl WireAuth {
    /// Makes what can fail before anything is sent, at `now` (seconds
    /// since the Unix epoch): a JWT is signed, an OAuth 1.0a RSA key read.
    pub fn finish(&mut self, now: u64) -> Result<(), AuthProblem> {
        match self {
            WireAuth::Jwt { auth, token } => {
                *token = jwt::token(auth, now).map_err(|e| AuthProblem {
                    field: e.field(),
                    message: e.to_string(),
                })?;
                Ok(())
            }
            WireAuth::OAuth1(o) => {
                oauth1::check(o).map_err(|(field, message)| AuthProblem { field, message })
            }
            _ => Ok(()),
        }
    }

    /// Puts the credentials on `request`. An `Authorization` header the
    /// user set wins over Basic and Bearer auth, as in Postman.
    /// Puts the auth on `request`; the headers it adds are marked as
    /// credentials, which a redirect to another origin drops.
    pub fn apply(self, request: &mut PreparedRequest) {
        let before: Vec<String> = (request.headers.iter())
            .map(|(n, _)| n.to_ascii_lowercase())
            .collect();
        self.put_on(request);
        let added: Vec<String> = (request.headers.iter())
            .map(|(n, _)| n.to_ascii_lowercase())
            .filter(|n| !before.contains(n))
            .collect();
        request.settings.credential_headers.extend(added);
    }

    fn put_on(self, request: &mut PreparedRequest) {
        let has_authorization =
            (request.headers.iter()).any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
        match self {
            WireAuth::None => {}
            WireAuth::Basic { username, password } => {
                if !has_authorization {
                    let token = base64::engine::general_purpose::STANDARD
                        .encode(format!("{username}:{password}"));
                    (request.headers).push(("Authorization".into(), format!("Basic {token}")));
                }
            }
            WireAuth::Bearer { token } => {
                if !has_authorization {
                    (request.headers).push(("Authorization".into(), format!("Bearer {token}")));
                }
            }
            WireAuth::ApiKey {
                key,
                value,
                location,
            } => match location {
                ApiKeyLocation::Header => request.headers.push((key, value)),
                ApiKeyLocation::Query => super::append_query(&mut request.url, &[(key, value)]),
            },
            // A challenge needs a round trip: the executor answers it.
            WireAuth::Digest(creds) => request.auth = Some(HopAuth::Digest(creds)),
            // Signed over the final URL and body, with the user's
            // timestamp and nonce or fresh ones (as Postman: 11 and 6 long).
            WireAuth::OAuth1(o) => {
                let (ts, n) = (
                    or_fresh(&o.timestamp, now),
                    or_fresh(&o.nonce, || nonce(11)),
                );
                oauth1::sign(&o, request, &ts, &n);
            }
            WireAuth::Hawk(h) => {
                let (ts, n) = (or_fresh(&h.timestamp, now), or_fresh(&h.nonce, || nonce(6)));
                hawk::sign(&h, request, &ts, &n);
            }
            WireAuth::AwsV4(a) if a.in_query => {
                sigv4::sign_query(&a, request, &sigv4::amz_date_now())
            }
            WireAuth::AwsV4(a) => sigv4::sign_request(&a, request, &sigv4::amz_date_now()),
            WireAuth::OAuth2(_) => {}
            // Replaces the user's Authorization header, as Postman does.
            WireAuth::Jwt { auth, token } if !auth.in_query => {
                request
                    .headers
                    .retain(|(n, _)| !n.eq_ignore_ascii_case("authorization"));
                let prefix = match auth.token_prefix.trim() {
                    "" => "Bearer",
                    p => p,
                };
                (request.headers).push(("Authorization".into(), format!("{prefix} {token}")));
            }
            WireAuth::Jwt { auth, token } => {
                let key = match auth.query_key.trim() {
                    "" => "token".to_string(),
                    k => k.to_string(),
                };
                super::append_query(&mut request.url, &[(key, token)]);
            }
        }
    }

    /// The values a log or history must not show.
    pub fn secrets(&self) -> Vec<String> {
        let all = match self {
            WireAuth::None => vec![],
            WireAuth::Basic { password, .. } => vec![password.clone()],
            WireAuth::Bearer { token } => vec![token.clone()],
            WireAuth::ApiKey { value, .. } => vec![value.clone()],
            WireAuth::Digest(c) => vec![c.password.clone()],
            WireAuth::OAuth1(o) => vec![
                o.consumer_secret.clone(),
                o.token_secret.clone(),
                o.private_key.clone(),
            ],
            WireAuth::Hawk(h) => vec![h.key.clone()],
            WireAuth::AwsV4(a) => vec![a.secret_key.clone(), a.session_token.clone()],
            WireAuth::OAuth2(o) => vec![
                o.access_token.clone(),
                o.client_secret.clone(),
                o.password.clone(),
            ],
            WireAuth::Jwt { auth, token } => {
                vec![auth.secret.clone(), auth.private_key.clone(), token.clone()]
            }
        };
        all.into_iter().filter(|s| !s.is_empty()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::PreparedBody;

    fn request(url: &str) -> PreparedRequest {
        PreparedRequest {
            method: "GET".into(),
            url: url.into(),
            headers: vec![],
            body: PreparedBody::Empty,
            auth: None,
            settings: Default::default(),
        }
    }

    #[test]
    fn an_api_key_in_the_query_goes_before_the_fragment_of_the_final_url() {
        let mut r = request("http://h/p?a=1#top");
        WireAuth::ApiKey {
            key: "api key".into(),
            value: "s&cret".into(),
            location: ApiKeyLocation::Query,
        }
        .apply(&mut r);
        assert_eq!(r.url, "http://h/p?a=1&api%20key=s%26cret#top");
    }

    #[test]
    fn a_users_authorization_header_wins_over_bearer_and_digest_goes_to_the_executor() {
        let mut r = request("http://h/");
        r.headers.push(("authorization".into(), "Custom x".into()));
        let bearer = WireAuth::Bearer {
            token: "t0k".into(),
        };
        assert_eq!(bearer.secrets(), vec!["t0k".to_string()]);
        bearer.apply(&mut r);
        assert_eq!(r.headers.len(), 1);

        let mut r = request("http://h/");
        let creds = DigestCredentials {
            username: "u".into(),
            password: "p".into(),
        };
        WireAuth::Digest(creds.clone()).apply(&mut r);
        assert_eq!(r.auth, Some(HopAuth::Digest(creds)));
        assert!(r.headers.is_empty());
    }
}
