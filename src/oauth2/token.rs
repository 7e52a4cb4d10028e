//! Requests to the token and device endpoints (RFC 6749 section 4, RFC
//! 8628 section 3) and reading what they answer (RFC 6749 5.1 and 5.2).

use base64::Engine as _;
use serde_json::Value;

use super::cache::{now_secs, Token};
use super::error::{OAuthError, Step};
use crate::http::{PreparedBody, PreparedRequest, Response, SendSettings};
use crate::model::{ClientAuth, OAuth2Auth, OAuth2Param, ParamPlace};

/// Encodes one value as `application/x-www-form-urlencoded` does.
fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A form POST to `url` with the client's credentials as configured and
/// the step's extra parameters.
pub fn form_request(
    url: &str,
    mut form: Vec<(String, String)>,
    auth: &OAuth2Auth,
    extra: &[OAuth2Param],
    settings: &SendSettings,
) -> PreparedRequest {
    let mut headers = vec![
        (
            "Content-Type".to_string(),
            "application/x-www-form-urlencoded".to_string(),
        ),
        // Some servers (GitHub) answer form-encoded unless asked for JSON.
        ("Accept".to_string(), "application/json".to_string()),
        (
            "User-Agent".to_string(),
            crate::prepare::USER_AGENT.to_string(),
        ),
    ];
    // A public client (no secret) names itself in the body (RFC 6749 3.2.1).
    if auth.client_secret.is_empty() || auth.client_auth == ClientAuth::Body {
        if !auth.client_id.is_empty() {
            form.push(("client_id".into(), auth.client_id.clone()));
        }
        if !auth.client_secret.is_empty() {
            form.push(("client_secret".into(), auth.client_secret.clone()));
        }
    } else {
        // RFC 6749 2.3.1: each part form-encoded before Basic.
        let pair = format!(
            "{}:{}",
            form_encode(&auth.client_id),
            form_encode(&auth.client_secret)
        );
        let basic = base64::engine::general_purpose::STANDARD.encode(pair);
        headers.push(("Authorization".into(), format!("Basic {basic}")));
    }
    let mut query = Vec::new();
    for p in extra.iter().filter(|p| p.enabled && !p.key.is_empty()) {
        match p.place {
            ParamPlace::Body => form.push((p.key.clone(), p.value.clone())),
            ParamPlace::Query => query.push((p.key.clone(), p.value.clone())),
            ParamPlace::Header => {
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&p.key));
                headers.push((p.key.clone(), p.value.clone()));
            }
        }
    }
    let body = (form.iter())
        .map(|(k, v)| format!("{}={}", form_encode(k), form_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut url = crate::prepare::with_scheme(url.trim());
    crate::prepare::append_query(&mut url, &query);
    PreparedRequest {
        method: "POST".into(),
        url,
        headers,
        body: PreparedBody::Bytes(body.into_bytes()),
        auth: None,
        settings: SendSettings {
            // The token endpoint's own redirects are not followed with the
            // client's credentials.
            follow_authorization_header: false,
            omit_body: false,
            encode_url: true,
            ..settings.clone()
        },
    }
}

/// The parameters every grant's token request carries besides its own.
pub fn common_params(auth: &OAuth2Auth, form: &mut Vec<(String, String)>, with_scope: bool) {
    for (k, v) in [
        ("scope", &auth.scope),
        ("audience", &auth.audience),
        ("resource", &auth.resource),
    ] {
        if !v.is_empty() && (with_scope || k != "scope") {
            form.push((k.into(), v.clone()));
        }
    }
}

/// The body of a token endpoint's answer as fields: JSON as RFC 6749
/// says, or the form encoding some servers still send.
fn fields(response: &Response) -> Option<serde_json::Map<String, Value>> {
    let body = response
        .body
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&response.body);
    if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(body) {
        return Some(m);
    }
    let text = std::str::from_utf8(body).ok()?.trim();
    if text.is_empty() || !text.contains('=') || text.starts_with(['{', '[', '<']) {
        return None;
    }
    Some(
        url::form_urlencoded::parse(text.as_bytes())
            .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
            .collect(),
    )
}

fn text_field(m: &serde_json::Map<String, Value>, k: &str) -> Option<String> {
    match m.get(k)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Seconds in `expires_in`, a number or (some servers) a numeric string.
pub fn seconds_field(m: &serde_json::Map<String, Value>, k: &str) -> Option<u64> {
    match m.get(k)? {
        Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f.max(0.0) as u64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Reads a token from a token endpoint's answer, or the error it gave.
pub fn read_token(step: &Step, url: &str, response: &Response) -> Result<Token, OAuthError> {
    let m = fields(response);
    if response.status == 200 {
        if let Some(m) = &m {
            if let Some(access_token) = text_field(m, "access_token") {
                return Ok(Token {
                    access_token,
                    token_type: text_field(m, "token_type").unwrap_or_else(|| "Bearer".into()),
                    refresh_token: text_field(m, "refresh_token"),
                    expires_at: seconds_field(m, "expires_in").map(|s| now_secs() + s),
                    scope: text_field(m, "scope"),
                    obtained_at: now_secs(),
                });
            }
        }
    }
    Err(read_error(step, url, response, m.as_ref()))
}

/// The error a server answered with, as it gave it (RFC 6749 5.2), or
/// what was wrong with a response that is not one.
pub fn read_error(
    step: &Step,
    url: &str,
    response: &Response,
    fields: Option<&serde_json::Map<String, Value>>,
) -> OAuthError {
    let status = response.status;
    let code = fields.and_then(|m| text_field(m, "error"));
    let message = match (&code, fields) {
        (Some(_), Some(m)) => {
            let mut s = text_field(m, "error_description").unwrap_or_default();
            if let Some(uri) = text_field(m, "error_uri") {
                s = if s.is_empty() {
                    uri
                } else {
                    format!("{s} ({uri})")
                };
            }
            format!("{s}{}HTTP {status}", if s.is_empty() { "" } else { "; " })
        }
        _ if status == 200 => "the answer has no access_token".to_string(),
        _ => {
            let body = String::from_utf8_lossy(&response.body);
            let body = body.trim();
            let shown: String = body.chars().take(200).collect();
            let more = if body.chars().count() > 200 {
                "…"
            } else {
                ""
            };
            if shown.is_empty() {
                format!("HTTP {status} with no body")
            } else {
                format!("HTTP {status}: {shown}{more}")
            }
        }
    };
    OAuthError::new(step.clone(), Some(url), code, message)
}

/// The answer of a device authorization endpoint (RFC 8628 3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_in: u64,
    /// Seconds between polls (5 when the server does not say).
    pub interval: u64,
}

pub fn read_device_code(url: &str, response: &Response) -> Result<DeviceCode, OAuthError> {
    let step = Step::DeviceAuthorization;
    let m = fields(response);
    if let (200, Some(f)) = (response.status, &m) {
        let device_code = text_field(f, "device_code");
        let user_code = text_field(f, "user_code");
        // Google's endpoint says `verification_url`.
        let verification_uri =
            text_field(f, "verification_uri").or_else(|| text_field(f, "verification_url"));
        if let (Some(device_code), Some(user_code), Some(verification_uri)) =
            (device_code, user_code, verification_uri)
        {
            return Ok(DeviceCode {
                device_code,
                user_code,
                verification_uri,
                verification_uri_complete: text_field(f, "verification_uri_complete"),
                expires_in: seconds_field(f, "expires_in").unwrap_or(600),
                interval: seconds_field(f, "interval").unwrap_or(5),
            });
        }
        return Err(OAuthError::new(
            step,
            Some(url),
            None,
            "the answer lacks device_code, user_code or verification_uri".into(),
        ));
    }
    Err(read_error(&step, url, response, m.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::OAuth2Grant;

    fn response(status: u16, body: &str) -> Response {
        Response {
            status,
            body: body.as_bytes().to_vec(),
            ..Default::default()
        }
    }

    fn body_text(r: &PreparedRequest) -> String {
        match &r.body {
            PreparedBody::Bytes(b) => String::from_utf8(b.clone()).unwrap(),
            _ => panic!("not bytes"),
        }
    }

    #[test]
    fn basic_client_auth_form_encodes_each_part_as_rfc_6749_says() {
        let auth = OAuth2Auth {
            client_id: "my app".into(),
            client_secret: "p&ss:w/rd".into(),
            ..Default::default()
        };
        let r = form_request(
            "id.example/token",
            vec![("grant_type".into(), "client_credentials".into())],
            &auth,
            &[],
            &SendSettings::default(),
        );
        assert_eq!(r.url, "http://id.example/token");
        let basic = (r.headers.iter())
            .find(|(n, _)| n == "Authorization")
            .unwrap();
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(basic.1.strip_prefix("Basic ").unwrap())
            .unwrap();
        assert_eq!(decoded, b"my+app:p%26ss%3Aw%2Frd");
        assert_eq!(body_text(&r), "grant_type=client_credentials");
    }

    #[test]
    fn body_client_auth_and_extra_params_go_where_they_say() {
        let auth = OAuth2Auth {
            client_id: "c".into(),
            client_secret: "s".into(),
            client_auth: ClientAuth::Body,
            ..Default::default()
        };
        let param = |k: &str, place| OAuth2Param {
            key: k.into(),
            value: "v 1".into(),
            place,
            enabled: true,
        };
        let r = form_request(
            "http://t/token?x=1",
            vec![("grant_type".into(), "password".into())],
            &auth,
            &[
                param("b", ParamPlace::Body),
                param("q", ParamPlace::Query),
                param("X-H", ParamPlace::Header),
            ],
            &SendSettings::default(),
        );
        assert_eq!(
            body_text(&r),
            "grant_type=password&client_id=c&client_secret=s&b=v+1"
        );
        assert_eq!(r.url, "http://t/token?x=1&q=v%201");
        assert!(r.headers.contains(&("X-H".into(), "v 1".into())));
        assert!(!r.headers.iter().any(|(n, _)| n == "Authorization"));
    }

    #[test]
    fn tokens_are_read_from_json_or_form_answers() {
        let step = Step::Token(OAuth2Grant::ClientCredentials);
        let t = read_token(
            &step,
            "u",
            &response(
                200,
                r#"{"access_token":"at","token_type":"bearer","expires_in":"60","scope":"a b","refresh_token":"rt"}"#,
            ),
        )
        .unwrap();
        assert_eq!(t.access_token, "at");
        assert_eq!(t.refresh_token.as_deref(), Some("rt"));
        assert!(t.expires_at.unwrap() >= now_secs() + 59);
        let t = read_token(&step, "u", &response(200, "access_token=x%2By&scope=repo")).unwrap();
        assert_eq!((t.access_token.as_str(), t.expires_at), ("x+y", None));
    }

    #[test]
    fn errors_are_shown_as_the_server_gave_them() {
        let step = Step::Token(OAuth2Grant::ClientCredentials);
        let e = read_token(
            &step,
            "http://t/token",
            &response(
                401,
                r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
            ),
        )
        .unwrap_err();
        assert_eq!(e.code.as_deref(), Some("invalid_client"));
        let text = e.to_string();
        assert!(
            text.contains("token request (client_credentials)"),
            "{text}"
        );
        assert!(
            text.contains("invalid_client: Client authentication failed; HTTP 401"),
            "{text}"
        );
        let e = read_token(&step, "u", &response(502, "<html>Bad gateway</html>")).unwrap_err();
        assert!(
            e.to_string().contains("HTTP 502: <html>Bad gateway</html>"),
            "{e}"
        );
        let e = read_token(&step, "u", &response(200, r#"{"token":"x"}"#)).unwrap_err();
        assert!(e.to_string().contains("no access_token"), "{e}");
    }

    #[test]
    fn device_codes_default_their_interval_and_take_googles_spelling() {
        let d = read_device_code(
            "u",
            &response(
                200,
                r#"{"device_code":"d","user_code":"U-C","verification_url":"https://g/device","expires_in":1800}"#,
            ),
        )
        .unwrap();
        assert_eq!((d.interval, d.expires_in), (5, 1800));
        assert_eq!(d.verification_uri, "https://g/device");
        assert!(read_device_code("u", &response(200, r#"{"user_code":"x"}"#)).is_err());
    }
}
