//! OAuth 2.0 (RFC 6749): a token for a request, obtained by the grant its
//! auth names (client credentials, password, authorization code with PKCE,
//! device authorization), cached in the workspace's git-ignored state
//! folder, refreshed before it expires or once on a 401, and put on the
//! request. No UI types: the pipeline drives it, and each UI shows its
//! [`Prompt`]s.

mod cache;
mod error;
mod flow;
pub mod pkce;
mod redirect;
mod token;

pub use cache::{key, now_secs, redact, Token, TokenCache, EXPIRY_MARGIN};
pub use error::{OAuthError, Step};
pub use flow::{Flow, Obtained, Outcome, PasteBox, Prompt, Transport, AUTHORIZATION_WAIT};
pub use redirect::{parse_pasted, DEFAULT_REDIRECT};

use std::path::Path;

use crate::http::PreparedRequest;
use crate::model::OAuth2Auth;

/// Puts `token` on `request` where `auth` says: the `Authorization`
/// header (unless the user set one, as for Bearer) or the query.
pub fn apply(request: &mut PreparedRequest, auth: &OAuth2Auth, token: &Token) {
    if auth.in_query {
        crate::prepare::append_query(
            &mut request.url,
            &[("access_token".into(), token.access_token.clone())],
        );
        return;
    }
    let has_authorization =
        (request.headers.iter()).any(|(n, _)| n.eq_ignore_ascii_case("authorization"));
    if !has_authorization {
        let prefix = match auth.token_prefix.trim() {
            "" => "Bearer",
            p => p,
        };
        request.headers.push((
            "Authorization".into(),
            format!("{prefix} {}", token.access_token),
        ));
    }
}

/// The cached token for `auth` in workspace `root`, fresh or not (for the
/// Auth tab and "copy as curl"), read without a flow.
pub fn cached(root: &Path, environment: Option<&str>, auth: &OAuth2Auth) -> Option<Token> {
    cache::read(&cache::file_for(root, &key(environment, auth)))
}

/// The token in a cache file, `None` when it is not one (torn, corrupt).
pub fn read_token_file(file: &Path) -> Option<Token> {
    cache::read(file)
}

/// Forgets the cached token for `auth`; `Ok(false)` when there was none.
pub fn forget(root: &Path, environment: Option<&str>, auth: &OAuth2Auth) -> std::io::Result<bool> {
    TokenCache::default().forget(root, &key(environment, auth))
}
