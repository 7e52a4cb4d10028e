use super::*;
use crate::import::curl::parse_curl;
use crate::model::{BodyWithExtra, Extra, KeyValue, RawKind, Settings};

fn with_body(mut r: Request, body: Body) -> Request {
    r.body = BodyWithExtra {
        body,
        extra: Extra::new(),
    };
    r
}

/// What a request sends, for comparing a round trip: the name is made
/// from the URL on import; unset `follow_redirects`/`verify_tls` mean
/// `true` (postie's defaults); a Content-Type header equal to the one the
/// body implies is what postie sends anyway.
fn normal(mut r: Request) -> Request {
    r.name = None;
    let d = |o: Option<bool>| Some(o.unwrap_or(true));
    r.settings.follow_redirects = d(r.settings.follow_redirects);
    r.settings.verify_tls = d(r.settings.verify_tls);
    let implied = match &r.body.body {
        Body::Raw { kind, .. } => Some(kind.content_type().to_string()),
        Body::Binary { file } => Some(crate::media::content_type_for_file(file).to_string()),
        _ => None,
    };
    if let Some(ct) = implied {
        r.headers
            .retain(|h| !(h.name.eq_ignore_ascii_case("content-type") && h.value == ct));
    }
    r
}

#[test]
fn postie_to_curl_to_postie_is_the_same_request() {
    let base = Request::new("POST", "https://{{host}}/users?x=1");
    let mut h = base.clone();
    h.headers = vec![
        KeyValue::new("X-Quote", "it's \"q\" $HOME `x` \\"),
        KeyValue::new("X-Empty", ""),
    ];
    h.auth.auth = Auth::Basic {
        username: "{{user}}".into(),
        password: "p:w'd".into(),
    };
    h.settings = Settings {
        follow_redirects: Some(false),
        verify_tls: Some(false),
        timeout_ms: Some(2500),
        max_redirects: Some(3),
        http_version: Some(HttpVersion::Http2),
        ..Settings::default()
    };
    let mut digest = Request::new("GET", "http://x/");
    digest.auth.auth = Auth::Digest {
        username: "u".into(),
        password: "".into(),
    };
    let mut bearer = Request::new("DELETE", "https://x/a#f");
    bearer.auth.auth = Auth::Bearer {
        token: "{{t}}".into(),
    };
    let cases = vec![
        base.clone(),
        h,
        digest,
        bearer,
        Request::new("HEAD", "http://x/"),
        with_body(
            base.clone(),
            Body::Raw {
                kind: RawKind::Json,
                text: "{\n  \"a\": \"it's\"\n}\n".into(),
            },
        ),
        with_body(
            base.clone(),
            Body::Raw {
                kind: RawKind::Xml,
                text: "<a/>".into(),
            },
        ),
        with_body(
            base.clone(),
            Body::Form(vec![
                KeyValue::new("a b", "c&d"),
                KeyValue::new("e", "{{f}}"),
            ]),
        ),
        with_body(
            base.clone(),
            Body::Multipart(vec![
                Part {
                    name: "t".into(),
                    value: Some("@not a file; type=x".into()),
                    file: None,
                    filename: None,
                    content_type: None,
                    enabled: true,
                    description: None,
                    extra: Extra::new(),
                },
                Part {
                    name: "j".into(),
                    value: Some("{\"k\": \"v;w\"}".into()),
                    file: None,
                    filename: None,
                    content_type: Some("application/json".into()),
                    enabled: true,
                    description: None,
                    extra: Extra::new(),
                },
                Part {
                    name: "f".into(),
                    value: None,
                    file: Some("files/a \"b\".png".into()),
                    filename: Some("x.png".into()),
                    content_type: Some("image/png".into()),
                    enabled: true,
                    description: None,
                    extra: Extra::new(),
                },
            ]),
        ),
        with_body(
            Request::new("PUT", "http://x/up"),
            Body::Binary {
                file: "data/blob.bin".into(),
            },
        ),
    ];
    for r in cases {
        let cmd = to_curl_unresolved(&r);
        let back = parse_curl(&cmd).unwrap_or_else(|e| panic!("{e}\n{cmd}"));
        assert_eq!(normal(back), normal(r), "\n{cmd}");
    }
}

#[test]
fn a_url_without_scheme_comes_back_with_curls_http() {
    let r = Request::new("GET", "{{base}}/users");
    assert_eq!(
        parse_curl(&to_curl_unresolved(&r)).unwrap().url,
        "http://{{base}}/users"
    );
}

#[test]
fn params_and_query_api_keys_go_into_the_url() {
    let mut r = Request::new("GET", "http://x/a#top");
    r.params = vec![KeyValue::new("q", "{{q}}"), {
        let mut off = KeyValue::new("off", "1");
        off.enabled = false;
        off
    }];
    r.auth.auth = Auth::ApiKey {
        key: "key".into(),
        value: "{{k}}".into(),
        location: ApiKeyLocation::Query,
    };
    let back = parse_curl(&to_curl_unresolved(&r)).unwrap();
    assert_eq!(back.url, "http://x/a?q={{q}}&key={{k}}#top");
}

#[test]
fn quoting_survives_the_shell_for_random_strings() {
    let mut rng = fastrand::Rng::with_seed(7);
    let alphabet: Vec<char> = "ab '\"\\$`!*?#&;|<>(){}\n\t~^%=é€".chars().collect();
    for _ in 0..2000 {
        let len = rng.usize(1..20);
        let s: String = (0..len)
            .map(|_| alphabet[rng.usize(..alphabet.len())])
            .collect();
        let url = format!("http://x/{s}");
        let r = parse_curl(&format!("curl {}", quote(&url))).unwrap();
        assert_eq!(r.url, url);
    }
}

#[test]
fn prepared_requests_become_commands() {
    use crate::http::{DigestCredentials, HopAuth, SendSettings};
    let p = PreparedRequest {
        method: "POST".into(),
        url: "http://x/a?b=1".into(),
        headers: vec![("Content-Type".into(), "text/plain".into())],
        body: PreparedBody::Bytes(b"it's".to_vec()),
        auth: Some(HopAuth::Digest(DigestCredentials {
            username: "u".into(),
            password: "p".into(),
        })),
        settings: SendSettings::default(),
    };
    let cmd = to_curl(&p);
    let r = parse_curl(&cmd).unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "http://x/a?b=1");
    assert_eq!(r.headers, [KeyValue::new("Content-Type", "text/plain")]);
    assert!(matches!(r.auth.auth, Auth::Digest { .. }));
    assert_eq!(
        r.body.body,
        Body::Raw {
            kind: RawKind::Text,
            text: "it's".into()
        }
    );
    assert_eq!(r.settings.follow_redirects, Some(true));
    let binary = PreparedRequest {
        body: PreparedBody::Bytes(vec![0xff, b'\'', 0]),
        ..p
    };
    assert!(to_curl(&binary).contains("$'\\xff\\'\\x00'"));
}

/// Found by the fuzzer: a URL that starts with `-` must not read as an option.
#[test]
fn fuzz_crash_url_starting_with_a_dash() {
    let r = parse_curl(")+://cuRl)--)-+://++++c\u{b}\n+").unwrap();
    let cmd = to_curl_unresolved(&r);
    assert_eq!(parse_curl(&cmd).unwrap().url, r.url, "{cmd}");
}

#[test]
fn a_jwt_is_left_out_and_a_comment_says_so() {
    let mut r = Request::new("GET", "http://x/a");
    r.auth.auth = Auth::Jwt(Box::new(crate::model::JwtAuth {
        secret: "{{jwt_secret}}".into(),
        ..Default::default()
    }));
    let cmd = to_curl_unresolved(&r);
    assert_eq!(cmd, format!("# {JWT_DROPPED}\ncurl http://x/a \\\n  -L"));
    assert!(!cmd.contains("jwt_secret"), "{cmd}");
    // The comment is only a comment to curl's importer too.
    assert_eq!(parse_curl(&cmd).unwrap().url, "http://x/a");
}
