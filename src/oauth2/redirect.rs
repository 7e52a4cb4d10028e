//! The code grant's way back: a listener on a loopback redirect URI (RFC
//! 8252 section 7.3) or, over SSH where the browser runs elsewhere, the
//! URL the browser ended on pasted back by the user.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::error::{OAuthError, Step};

/// Where the redirect goes when the settings name none.
pub const DEFAULT_REDIRECT: &str = "http://127.0.0.1/callback";

/// The parameters of a redirect back from the authorization server.
pub type Params = Vec<(String, String)>;

/// A listener for the redirect, on the port the redirect URI names (any
/// free port when it names none, which RFC 8252 lets servers accept).
pub struct Loopback {
    listener: TcpListener,
    path: String,
    /// The redirect URI to send, with the port actually bound.
    pub redirect_uri: String,
}

/// Whether the browser's redirect to `uri` reaches this machine: plain
/// http to 127.0.0.1, ::1 or localhost.
fn loopback_host(uri: &url::Url) -> Option<&'static str> {
    if uri.scheme() != "http" {
        return None;
    }
    match uri.host() {
        Some(url::Host::Ipv4(ip)) if ip.is_loopback() => Some("127.0.0.1"),
        Some(url::Host::Ipv6(ip)) if ip.is_loopback() => Some("[::1]"),
        Some(url::Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => Some("127.0.0.1"),
        _ => None,
    }
}

/// Listens for the redirect when `redirect_uri` is on this machine;
/// `Ok(None)` when the user will have to paste it back.
pub async fn listen(redirect_uri: &str) -> Result<Option<Loopback>, OAuthError> {
    let given = if redirect_uri.trim().is_empty() {
        DEFAULT_REDIRECT
    } else {
        redirect_uri.trim()
    };
    let Ok(mut uri) = url::Url::parse(given) else {
        return Err(OAuthError::settings(format!(
            "the redirect URI {given:?} is not a URL"
        )));
    };
    let Some(host) = loopback_host(&uri) else {
        return Ok(None);
    };
    let port = uri.port().unwrap_or(0);
    let listener = TcpListener::bind(format!("{host}:{port}"))
        .await
        .map_err(|e| {
            OAuthError::settings(format!(
                "cannot listen for the redirect on {host}:{port}: {e}"
            ))
        })?;
    let bound = listener
        .local_addr()
        .map_err(|e| OAuthError::settings(format!("cannot listen for the redirect: {e}")))?
        .port();
    if uri.set_port(Some(bound)).is_err() {
        return Err(OAuthError::settings(format!(
            "the redirect URI {given:?} cannot take a port"
        )));
    }
    Ok(Some(Loopback {
        listener,
        path: uri.path().to_string(),
        redirect_uri: if redirect_uri.trim().is_empty() || port == 0 {
            uri.to_string()
        } else {
            given.to_string()
        },
    }))
}

impl Loopback {
    /// Waits for the browser to arrive at the redirect URI's path and
    /// returns its query. Other requests (a favicon) get a 404.
    pub async fn next(&self) -> Params {
        loop {
            let Ok((mut stream, _)) = self.listener.accept().await else {
                continue;
            };
            let head = tokio::time::timeout(Duration::from_secs(10), read_head(&mut stream)).await;
            let Ok(Some(target)) = head else {
                continue;
            };
            let (path, query) = target.split_once('?').unwrap_or((&target, ""));
            if path != self.path {
                let _ = stream
                    .write_all(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                    )
                    .await;
                continue;
            }
            let params = parse_query(query);
            let failed = params.iter().any(|(k, _)| k == "error");
            let page = if failed {
                "<!doctype html><title>postie</title><p>The authorization server refused. \
                 Return to postie to see why.</p>"
            } else {
                "<!doctype html><title>postie</title><p>postie has the authorization. \
                 You can close this tab and return to the terminal.</p>"
            };
            let reply = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\
                 Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{page}",
                page.len()
            );
            let _ = stream.write_all(reply.as_bytes()).await;
            let _ = stream.shutdown().await;
            return params;
        }
    }
}

/// The request target of one HTTP request head (at most 16 KiB).
async fn read_head(stream: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::with_capacity(2048);
    let mut chunk = [0u8; 2048];
    loop {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut req = httparse::Request::new(&mut headers);
        match req.parse(&buf) {
            Ok(httparse::Status::Complete(_)) => return req.path.map(str::to_string),
            Ok(httparse::Status::Partial) if buf.len() < 16 * 1024 => continue,
            _ => return None,
        }
    }
}

fn parse_query(query: &str) -> Params {
    url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// What the user pasted: the whole URL the browser ended on, its query
/// (`code=…&state=…`), or the bare code some servers show on a page.
pub fn parse_pasted(text: &str) -> Result<Params, OAuthError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(OAuthError::new(
            Step::Authorization,
            None,
            None,
            "nothing was pasted".into(),
        ));
    }
    if let Ok(url) = url::Url::parse(text) {
        let mut params = parse_query(url.query().unwrap_or(""));
        // Some servers answer in the fragment (response_mode=fragment).
        if !has_answer(&params) {
            params = parse_query(url.fragment().unwrap_or(""));
        }
        return Ok(params);
    }
    let query = text.trim_start_matches(['?', '#']);
    if query.contains('=') {
        return Ok(parse_query(query));
    }
    if query.chars().any(char::is_whitespace) {
        return Err(OAuthError::new(
            Step::Authorization,
            None,
            None,
            "paste the URL the browser was redirected to, or its code".into(),
        ));
    }
    Ok(vec![("code".into(), query.to_string())])
}

fn has_answer(params: &Params) -> bool {
    params.iter().any(|(k, _)| k == "code" || k == "error")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pasted_urls_queries_fragments_and_bare_codes_are_read() {
        let p = parse_pasted(" https://app.example/cb?code=a%2Bb&state=s1 \n").unwrap();
        assert_eq!(
            p,
            vec![("code".into(), "a+b".into()), ("state".into(), "s1".into())]
        );
        let p = parse_pasted("https://app.example/cb#code=c&state=s").unwrap();
        assert_eq!(p[0], ("code".into(), "c".into()));
        assert_eq!(parse_pasted("?code=x&state=y").unwrap().len(), 2);
        assert_eq!(
            parse_pasted("4/0AX4XfWh").unwrap(),
            vec![("code".into(), "4/0AX4XfWh".into())]
        );
        assert!(parse_pasted("  ").is_err());
        assert!(parse_pasted("not a code").is_err());
    }

    #[tokio::test]
    async fn a_loopback_redirect_is_answered_and_its_query_returned() {
        let lb = listen("").await.unwrap().unwrap();
        assert!(
            lb.redirect_uri.starts_with("http://127.0.0.1:"),
            "{}",
            lb.redirect_uri
        );
        assert!(lb.redirect_uri.ends_with("/callback"));
        let uri = lb.redirect_uri.clone();
        let browser = tokio::spawn(async move {
            let base = uri.trim_end_matches("/callback").to_string();
            let favicon = reqwest::get(format!("{base}/favicon.ico")).await.unwrap();
            assert_eq!(favicon.status(), 404);
            let r = reqwest::get(format!("{uri}?code=abc&state=xyz"))
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        });
        let params = lb.next().await;
        assert_eq!(
            params,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "xyz".into())
            ]
        );
        let (status, page) = browser.await.unwrap();
        assert_eq!(status, 200);
        assert!(page.contains("close this tab"));
    }

    #[tokio::test]
    async fn only_loopback_http_is_listened_on() {
        assert!(listen("https://oauth.pstmn.io/v1/callback")
            .await
            .unwrap()
            .is_none());
        assert!(listen("https://127.0.0.1/cb").await.unwrap().is_none());
        let lb = listen("http://localhost:0/cb").await.unwrap().unwrap();
        assert!(
            lb.redirect_uri.starts_with("http://localhost:"),
            "{}",
            lb.redirect_uri
        );
        assert!(listen("::not a url").await.is_err());
    }
}
