//! What went wrong getting a token: the step, the server's error code and
//! words, so the user sees what the server said and where.

use std::fmt;

use crate::model::OAuth2Grant;

/// The step of a flow that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The settings cannot work (a missing URL, an implicit grant).
    Settings,
    /// The grant's token request.
    Token(OAuth2Grant),
    Refresh,
    /// The browser step of the code grant: the redirect back.
    Authorization,
    DeviceAuthorization,
    /// Waiting for the user to approve a device code.
    DevicePoll,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Settings => write!(f, "settings"),
            Step::Token(g) => write!(f, "token request ({})", g.name()),
            Step::Refresh => write!(f, "token refresh"),
            Step::Authorization => write!(f, "authorization"),
            Step::DeviceAuthorization => write!(f, "device authorization request"),
            Step::DevicePoll => write!(f, "device authorization"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthError {
    pub step: Step,
    /// The URL the step talked to.
    pub url: Option<String>,
    /// The server's `error` code (`invalid_client`, `access_denied`…).
    pub code: Option<String>,
    /// The server's description, or what postie found wrong.
    pub message: String,
}

impl OAuthError {
    pub fn new(step: Step, url: Option<&str>, code: Option<String>, message: String) -> Self {
        OAuthError {
            step,
            url: url.map(str::to_string),
            code,
            message,
        }
    }

    pub fn settings(message: impl Into<String>) -> Self {
        OAuthError::new(Step::Settings, None, None, message.into())
    }
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Server text is untrusted: shown with its controls escaped.
        let safe = |s: &str| crate::safe_text::escape(s, false);
        write!(f, "OAuth 2.0 {}", self.step)?;
        if let Some(url) = &self.url {
            write!(f, " to {}", safe(url))?;
        }
        write!(f, " failed: ")?;
        if let Some(code) = &self.code {
            write!(f, "{}: ", safe(code))?;
        }
        write!(f, "{}", safe(&self.message))
    }
}

impl std::error::Error for OAuthError {}
