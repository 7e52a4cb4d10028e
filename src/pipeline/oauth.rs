//! OAuth 2.0 in the pipeline: a token for the prepared request, fetched
//! through the same executor as every other send, and put on the request
//! last (after the URL, headers and body are final).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use tokio::sync::oneshot;

use crate::exchange::Exchange;
use crate::http::{BodyTarget, Client, PreparedRequest, RequestId, Response, SendError};
use crate::oauth2::{Flow, Obtained, PasteBox, Prompt, Token, TokenCache, Transport};
use crate::prepare::{Field, PendingOAuth2, Problem};
use crate::script::{ConsoleLevel, ConsoleLine};
use crate::storage::RequestContext;

use super::Progress;

/// What the pipeline's clones share for OAuth 2.0.
#[derive(Default)]
pub(super) struct OAuthState {
    pub tokens: TokenCache,
    /// Redirect URLs pasted by the user, for the code grant waiting on one.
    pub paste: PasteBox,
    /// Sends waiting on a user (browser, device): cancelling one ends it.
    waits: Mutex<HashMap<RequestId, oneshot::Sender<()>>>,
}

impl OAuthState {
    /// Ends job `id`'s wait for a user, if it has one.
    pub fn cancel(&self, id: RequestId) {
        let waiting = self.waits.lock().ok().and_then(|mut w| w.remove(&id));
        if let Some(tx) = waiting {
            let _ = tx.send(());
        }
    }

    fn watch(&self, id: RequestId) -> oneshot::Receiver<()> {
        let (tx, rx) = oneshot::channel();
        if let Ok(mut w) = self.waits.lock() {
            w.insert(id, tx);
        }
        rx
    }

    fn unwatch(&self, id: RequestId) {
        if let Ok(mut w) = self.waits.lock() {
            w.remove(&id);
        }
    }
}

/// The flow's token, device and refresh requests, through the executor.
struct ClientTransport<'a> {
    client: &'a Client,
    ids: &'a AtomicU64,
}

#[async_trait::async_trait]
impl Transport for ClientTransport<'_> {
    async fn send(&self, request: PreparedRequest) -> Result<Response, SendError> {
        let id = RequestId(self.ids.fetch_add(1, Ordering::Relaxed));
        let sending = self.client.start(id, request, BodyTarget::Memory).await;
        sending.finish(&mut |_| {}).await
    }
}

/// Everything [`token`] needs from the pipeline and the job.
pub(super) struct TokenJob<'a> {
    pub state: &'a OAuthState,
    pub client: &'a Client,
    pub ids: &'a AtomicU64,
    pub id: RequestId,
    pub context: &'a RequestContext,
    pub environment: Option<&'a str>,
    pub pending: &'a PendingOAuth2,
    /// The request the token is for: its timeout and TLS settings are the
    /// flow's.
    pub request: &'a PreparedRequest,
}

/// A token for the job's request, and how it came. `rejected`: the token
/// the resource server just answered 401 to. The token (and its refresh
/// token) join the exchange's secrets, so no record or log shows them.
pub(super) async fn token(
    job: TokenJob<'_>,
    rejected: Option<&str>,
    exchange: &mut Exchange,
    progress: &mut (dyn FnMut(Progress<'_>) + Send),
) -> Result<(Token, Obtained), Problem> {
    let transport = ClientTransport {
        client: job.client,
        ids: job.ids,
    };
    let mut prompt = |p: &Prompt| progress(Progress::Auth(p));
    let mut flow = Flow {
        transport: &transport,
        cache: &job.state.tokens,
        root: &job.context.root,
        environment: job.environment,
        settings: &job.request.settings,
        paste: &job.state.paste,
        prompt: Mutex::new(&mut prompt),
        cancel: Some(job.state.watch(job.id)),
    };
    let result = flow.token(&job.pending.auth, rejected).await;
    job.state.unwatch(job.id);
    let outcome = result.map_err(|e| Problem::Invalid {
        field: Field::Auth("oauth2"),
        file: job.pending.file.clone(),
        message: e.to_string(),
    })?;
    let token = outcome.token;
    exchange.secrets.push(token.access_token.clone());
    exchange.secrets.extend(token.refresh_token.clone());
    let said = match outcome.how {
        Obtained::Fetched => Some("fetched a new token"),
        Obtained::Refreshed => Some("refreshed the token"),
        Obtained::Cached | Obtained::Given => None,
    };
    let mut say = |level, text: String| {
        exchange.console.push(ConsoleLine {
            level,
            text,
            file: job.pending.file.clone(),
            line: None,
        })
    };
    if let Some(said) = said {
        let expiry = match token.expires_in() {
            Some(d) => format!(", valid for {} s", d.as_secs()),
            None => String::new(),
        };
        say(
            ConsoleLevel::Info,
            format!(
                "OAuth 2.0: {said} ({}{expiry})",
                crate::oauth2::redact(&token.access_token)
            ),
        );
    }
    if let Some(warning) = outcome.warning {
        say(ConsoleLevel::Warn, warning);
    }
    Ok((token, outcome.how))
}

/// Whether a 401 is worth one retry with a new token: only when the flow
/// can get one (a token URL to ask).
pub(super) fn can_retry(pending: &PendingOAuth2) -> bool {
    !pending.auth.token_url.is_empty()
}
