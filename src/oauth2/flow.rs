//! Getting a token for a request: the cached one while it is fresh, a
//! refresh when it is not, else the grant the settings name.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

use super::cache::{self, Token, TokenCache};
use super::error::{OAuthError, Step};
use super::pkce;
use super::redirect;
use super::token::{self, DeviceCode};
use crate::http::{PreparedRequest, Response, SendError, SendSettings};
use crate::model::{OAuth2Auth, OAuth2Grant, ParamPlace};

/// How long the code grant waits for the browser's redirect.
pub const AUTHORIZATION_WAIT: Duration = Duration::from_secs(600);

/// Sends the flow's own requests (token, device, refresh) through the
/// caller's executor.
#[async_trait::async_trait]
pub trait Transport: Send + Sync {
    async fn send(&self, request: PreparedRequest) -> Result<Response, SendError>;
}

/// What the user must do for an interactive grant, for the UI to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Prompt {
    /// Open `url` in a browser and approve. The redirect comes back to
    /// `listening` when it is on this machine; else (or as well) the user
    /// pastes the URL the browser ended on.
    Authorize {
        url: String,
        listening: Option<String>,
    },
    /// Type `user_code` at `verification_uri` on any device.
    Device {
        user_code: String,
        verification_uri: String,
        verification_uri_complete: Option<String>,
        expires_in: u64,
    },
    /// The interactive step is over, one way or the other.
    Finished,
}

/// Redirect URLs the user pastes, handed to the flow waiting for one.
#[derive(Default, Clone)]
pub struct PasteBox {
    waiting: Arc<Mutex<Option<oneshot::Sender<String>>>>,
}

impl PasteBox {
    /// Gives `text` to the waiting flow; `false` when none waits.
    pub fn submit(&self, text: String) -> bool {
        let sender = self.waiting.lock().ok().and_then(|mut w| w.take());
        match sender {
            Some(tx) => tx.send(text).is_ok(),
            None => false,
        }
    }

    /// Whether a flow waits for a paste.
    pub fn is_waiting(&self) -> bool {
        (self.waiting.lock().ok()).is_some_and(|w| w.as_ref().is_some_and(|tx| !tx.is_closed()))
    }

    fn wait(&self) -> oneshot::Receiver<String> {
        let (tx, rx) = oneshot::channel();
        if let Ok(mut w) = self.waiting.lock() {
            *w = Some(tx);
        }
        rx
    }
}

/// How the token came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Obtained {
    /// The settings' own `access_token`.
    Given,
    Cached,
    Refreshed,
    Fetched,
}

/// A token, how it came, and a warning when it could not be cached.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub token: Token,
    pub how: Obtained,
    pub warning: Option<String>,
}

/// What a flow needs from its caller.
pub struct Flow<'a> {
    pub transport: &'a dyn Transport,
    pub cache: &'a TokenCache,
    /// The workspace: tokens are cached in its state folder.
    pub root: &'a Path,
    pub environment: Option<&'a str>,
    /// The request's settings (timeout, TLS) for the flow's requests.
    pub settings: &'a SendSettings,
    pub paste: &'a PasteBox,
    /// Shows a [`Prompt`] (behind a lock so the flow can be shared across
    /// awaits, as a `Sync` future needs).
    pub prompt: Mutex<&'a mut (dyn FnMut(&Prompt) + Send)>,
    /// Fires when the user cancels the send.
    pub cancel: Option<oneshot::Receiver<()>>,
}

impl Flow<'_> {
    /// A token for `auth`. `rejected`: a token the resource server just
    /// answered 401 to, which must not be used again.
    pub async fn token(
        &mut self,
        auth: &OAuth2Auth,
        rejected: Option<&str>,
    ) -> Result<Outcome, OAuthError> {
        let outcome = |token, how| Outcome {
            token,
            how,
            warning: None,
        };
        if !auth.access_token.is_empty() && rejected != Some(auth.access_token.as_str()) {
            let token = Token {
                access_token: auth.access_token.clone(),
                token_type: String::new(),
                refresh_token: None,
                expires_at: None,
                scope: None,
                obtained_at: 0,
            };
            return Ok(outcome(token, Obtained::Given));
        }
        let key = cache::key(self.environment, auth);
        // One flow per token at a time: parallel sends wait for the first
        // to fetch it, then read it from the cache.
        let lock = self.cache.lock_for(self.root, &key);
        let _held = lock.lock().await;
        let cached = self.cache.get(self.root, &key);
        if let Some(t) = &cached {
            if t.is_fresh() && rejected != Some(t.access_token.as_str()) {
                return Ok(outcome(t.clone(), Obtained::Cached));
            }
        }
        let refreshed = match cached.and_then(|t| t.refresh_token) {
            Some(refresh_token) => match self.refresh(auth, &refresh_token).await {
                Ok(mut t) => {
                    // RFC 6749 6: the old refresh token stays when no new one comes.
                    t.refresh_token.get_or_insert(refresh_token);
                    Some(t)
                }
                // The refresh token is dead: start over with the grant.
                Err(e) if e.code.as_deref() == Some("invalid_grant") => None,
                Err(e) => return Err(e),
            },
            None => None,
        };
        let (token, how) = match refreshed {
            Some(t) => (t, Obtained::Refreshed),
            None => (self.grant(auth).await?, Obtained::Fetched),
        };
        let warning = (self.cache.put(self.root, &key, &token)).err().map(|e| {
            format!("OAuth 2.0: the token is kept in memory only; it could not be cached in {e}")
        });
        Ok(Outcome {
            token,
            how,
            warning,
        })
    }

    fn show(&self, prompt: &Prompt) {
        if let Ok(mut show) = self.prompt.lock() {
            (show)(prompt);
        }
    }

    async fn send(&self, step: &Step, request: PreparedRequest) -> Result<Response, OAuthError> {
        let url = request.url.clone();
        (self.transport.send(request).await)
            .map_err(|e| OAuthError::new(step.clone(), Some(&url), None, e.to_string()))
    }

    /// POSTs `form` to the token endpoint and reads the token.
    async fn token_request(
        &self,
        step: Step,
        url: &str,
        form: Vec<(String, String)>,
        auth: &OAuth2Auth,
        extra: &[crate::model::OAuth2Param],
    ) -> Result<Token, OAuthError> {
        let request = token::form_request(url, form, auth, extra, self.settings);
        let url = request.url.clone();
        let response = self.send(&step, request).await?;
        token::read_token(&step, &url, &response)
    }

    async fn refresh(&self, auth: &OAuth2Auth, refresh_token: &str) -> Result<Token, OAuthError> {
        let url = if auth.refresh_url.is_empty() {
            &auth.token_url
        } else {
            &auth.refresh_url
        };
        let form = vec![
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), refresh_token.to_string()),
        ];
        (self.token_request(Step::Refresh, url, form, auth, &auth.params.refresh)).await
    }

    async fn grant(&mut self, auth: &OAuth2Auth) -> Result<Token, OAuthError> {
        let needs = |url: &str, name: &str, grant: OAuth2Grant| {
            if url.trim().is_empty() {
                Err(OAuthError::settings(format!(
                    "the {} grant needs `{name}`",
                    grant.name()
                )))
            } else {
                Ok(())
            }
        };
        let grant = auth.grant;
        if grant == OAuth2Grant::Implicit {
            return Err(implicit_refused());
        }
        needs(&auth.token_url, "token_url", grant)?;
        let step = Step::Token(grant);
        match grant {
            OAuth2Grant::ClientCredentials => {
                let mut form = vec![("grant_type".into(), "client_credentials".into())];
                token::common_params(auth, &mut form, true);
                (self.token_request(step, &auth.token_url, form, auth, &auth.params.token)).await
            }
            OAuth2Grant::Password => {
                let mut form = vec![
                    ("grant_type".into(), "password".into()),
                    ("username".into(), auth.username.clone()),
                    ("password".into(), auth.password.clone()),
                ];
                token::common_params(auth, &mut form, true);
                (self.token_request(step, &auth.token_url, form, auth, &auth.params.token)).await
            }
            OAuth2Grant::AuthorizationCode => {
                needs(&auth.auth_url, "auth_url", grant)?;
                self.code_grant(auth).await
            }
            OAuth2Grant::DeviceCode => {
                needs(&auth.device_url, "device_url", grant)?;
                self.device_grant(auth).await
            }
            OAuth2Grant::Implicit => Err(implicit_refused()),
        }
    }

    /// RFC 6749 4.1 with RFC 7636: the browser step, then the code for a
    /// token.
    async fn code_grant(&mut self, auth: &OAuth2Auth) -> Result<Token, OAuthError> {
        let no_random = || OAuthError::settings("the system's secure random source failed");
        let state = match auth.state.as_str() {
            "" => pkce::random_string(32).ok_or_else(no_random)?,
            s => s.to_string(),
        };
        let pkce = match auth.pkce {
            false => None,
            true => {
                let method = pkce::Method::parse(&auth.pkce_method).ok_or_else(|| {
                    OAuthError::settings(format!(
                        "PKCE method {:?} is neither S256 nor plain",
                        auth.pkce_method
                    ))
                })?;
                let verifier =
                    match auth.code_verifier.as_str() {
                        "" => pkce::verifier().ok_or_else(no_random)?,
                        v if pkce::is_valid_verifier(v) => v.to_string(),
                        _ => return Err(OAuthError::settings(
                            "code_verifier must be 43 to 128 letters, digits or -._~ (RFC 7636)",
                        )),
                    };
                Some((verifier, method))
            }
        };
        let loopback = redirect::listen(&auth.redirect_uri).await?;
        let redirect_uri = match &loopback {
            Some(l) => l.redirect_uri.clone(),
            None => auth.redirect_uri.trim().to_string(),
        };
        let mut url = url::Url::parse(auth.auth_url.trim()).map_err(|e| {
            OAuthError::settings(format!("auth_url {:?} is not a URL: {e}", auth.auth_url))
        })?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code");
            q.append_pair("client_id", &auth.client_id);
            q.append_pair("redirect_uri", &redirect_uri);
            for (k, v) in [
                ("scope", &auth.scope),
                ("audience", &auth.audience),
                ("resource", &auth.resource),
            ] {
                if !v.is_empty() {
                    q.append_pair(k, v);
                }
            }
            q.append_pair("state", &state);
            if let Some((verifier, method)) = &pkce {
                q.append_pair("code_challenge", &pkce::challenge(verifier, *method));
                q.append_pair("code_challenge_method", method.name());
            }
            // Every extra parameter rides in the URL: a browser GET has no body.
            for p in (auth.params.authorize.iter()).filter(|p| p.enabled && !p.key.is_empty()) {
                if p.place != ParamPlace::Header {
                    q.append_pair(&p.key, &p.value);
                }
            }
        }
        self.show(&Prompt::Authorize {
            url: url.to_string(),
            listening: loopback.as_ref().map(|l| l.redirect_uri.clone()),
        });
        let answer = self.wait_for_redirect(loopback.as_ref()).await;
        self.show(&Prompt::Finished);
        let params = answer?;
        let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        if let Some(error) = get("error") {
            let message = get("error_description").unwrap_or_default();
            return Err(OAuthError::new(
                Step::Authorization,
                Some(&auth.auth_url),
                Some(error),
                message,
            ));
        }
        let Some(code) = get("code") else {
            return Err(OAuthError::new(
                Step::Authorization,
                Some(&auth.auth_url),
                None,
                "the redirect carries no code".into(),
            ));
        };
        // A bare pasted code has no state to check; a redirect must match
        // (RFC 6749 10.12: a forged redirect is refused).
        let pasted_bare = params.len() == 1;
        if !pasted_bare && get("state").as_deref() != Some(state.as_str()) {
            return Err(OAuthError::new(
                Step::Authorization,
                Some(&auth.auth_url),
                None,
                "the redirect's state does not match the one sent: refused (RFC 6749 10.12)".into(),
            ));
        }
        let mut form = vec![
            ("grant_type".into(), "authorization_code".into()),
            ("code".into(), code),
            ("redirect_uri".into(), redirect_uri),
        ];
        if let Some((verifier, _)) = pkce {
            form.push(("code_verifier".into(), verifier));
        }
        token::common_params(auth, &mut form, false);
        let step = Step::Token(OAuth2Grant::AuthorizationCode);
        (self.token_request(step, &auth.token_url, form, auth, &auth.params.token)).await
    }

    /// The redirect's parameters, from the loopback listener or a paste,
    /// whichever comes first.
    async fn wait_for_redirect(
        &mut self,
        loopback: Option<&redirect::Loopback>,
    ) -> Result<redirect::Params, OAuthError> {
        let listened = async {
            match loopback {
                Some(l) => l.next().await,
                None => std::future::pending().await,
            }
        };
        let pasted = self.paste.wait();
        let cancel = cancelled(&mut self.cancel);
        tokio::select! {
            params = listened => Ok(params),
            text = pasted => match text {
                Ok(text) => redirect::parse_pasted(&text),
                Err(_) => Err(stopped("the paste was abandoned")),
            },
            () = cancel => Err(stopped("cancelled")),
            () = tokio::time::sleep(AUTHORIZATION_WAIT) => Err(stopped(
                "no redirect came back within 10 minutes",
            )),
        }
    }

    /// RFC 8628: show the user code, then poll until it is approved.
    async fn device_grant(&mut self, auth: &OAuth2Auth) -> Result<Token, OAuthError> {
        let mut form = Vec::new();
        token::common_params(auth, &mut form, true);
        let request = token::form_request(
            &auth.device_url,
            form,
            auth,
            &auth.params.token,
            self.settings,
        );
        let url = request.url.clone();
        let response = self.send(&Step::DeviceAuthorization, request).await?;
        let code = token::read_device_code(&url, &response)?;
        self.show(&Prompt::Device {
            user_code: code.user_code.clone(),
            verification_uri: code.verification_uri.clone(),
            verification_uri_complete: code.verification_uri_complete.clone(),
            expires_in: code.expires_in,
        });
        let result = self.poll(auth, &code).await;
        self.show(&Prompt::Finished);
        result
    }

    async fn poll(&mut self, auth: &OAuth2Auth, code: &DeviceCode) -> Result<Token, OAuthError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(code.expires_in);
        let mut interval = code.interval;
        loop {
            let wait = tokio::time::sleep(Duration::from_secs(interval));
            tokio::select! {
                () = wait => {}
                () = cancelled(&mut self.cancel) => return Err(stopped("cancelled")),
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(OAuthError::new(
                    Step::DevicePoll,
                    Some(&auth.token_url),
                    Some("expired_token".into()),
                    "the code expired before anyone approved it".into(),
                ));
            }
            let form = vec![
                (
                    "grant_type".into(),
                    "urn:ietf:params:oauth:grant-type:device_code".into(),
                ),
                ("device_code".into(), code.device_code.clone()),
            ];
            let step = Step::DevicePoll;
            match (self.token_request(step, &auth.token_url, form, auth, &auth.params.token)).await
            {
                Ok(t) => return Ok(t),
                Err(e) => match e.code.as_deref() {
                    Some("authorization_pending") => {}
                    // RFC 8628 3.5: five seconds more from now on.
                    Some("slow_down") => interval += 5,
                    _ => return Err(e),
                },
            }
        }
    }
}

fn implicit_refused() -> OAuthError {
    OAuthError::settings(
        "the implicit grant is deprecated (RFC 9700 section 2.1.2) and postie does not run \
         it: use authorization_code, with PKCE",
    )
}

fn stopped(why: &str) -> OAuthError {
    OAuthError::new(Step::Authorization, None, None, why.to_string())
}

/// Resolves when `cancel` fires; never when there is none (or its sender
/// went away without firing).
async fn cancelled(cancel: &mut Option<oneshot::Receiver<()>>) {
    let Some(rx) = cancel.as_mut() else {
        return std::future::pending().await;
    };
    let fired = rx.await.is_ok();
    // A finished receiver must not be polled again.
    *cancel = None;
    if !fired {
        std::future::pending::<()>().await
    }
}
