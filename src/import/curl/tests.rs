use super::*;

#[test]
fn browser_copy_as_curl() {
    let r = parse_curl(
        "curl 'https://api.example.com/v1/items?x=1' \\\n  -H 'accept: application/json' \\\n  -H 'content-type: application/json' \\\n  --data-raw '{\"a\":1}' \\\n  --compressed",
    )
    .unwrap();
    assert_eq!(r.method, "POST");
    assert_eq!(r.url, "https://api.example.com/v1/items?x=1");
    assert_eq!(r.headers.len(), 2);
    assert_eq!(
        r.body.body,
        Body::Raw {
            kind: RawKind::Json,
            text: "{\"a\":1}".into()
        }
    );
    assert_eq!(r.settings.follow_redirects, Some(false));
}

#[test]
fn combined_flags_auth_and_forms() {
    let r = parse_curl("curl -sSLk -u user:pw --digest -XPUT example.com -d a=1 -d b=2").unwrap();
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("PUT", "http://example.com")
    );
    assert_eq!(r.settings.follow_redirects, Some(true));
    assert_eq!(r.settings.verify_tls, Some(false));
    assert!(matches!(r.auth.auth, Auth::Digest { ref username, .. } if username == "user"));
    let Body::Form(f) = &r.body.body else {
        panic!("{:?}", r.body)
    };
    assert_eq!((f[1].name.as_str(), f[1].value.as_str()), ("b", "2"));

    let r = parse_curl(
        "curl -F 'f=@\"a b.png\";type=image/png;filename=x.png' -F t=\"v\" --form-string 's=@x' u",
    )
    .unwrap();
    let Body::Multipart(parts) = &r.body.body else {
        panic!()
    };
    assert_eq!(parts[0].file.as_deref(), Some("a b.png"));
    assert_eq!(parts[0].content_type.as_deref(), Some("image/png"));
    assert_eq!(parts[0].filename.as_deref(), Some("x.png"));
    assert_eq!(parts[1].value.as_deref(), Some("v"));
    assert_eq!(parts[2].value.as_deref(), Some("@x"));
}

#[test]
fn get_json_head_upload_and_query() {
    let r = parse_curl("curl -G 'http://x/s?q=1' -d a=b --url-query 'c=d e' --url-query +f=%20")
        .unwrap();
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("GET", "http://x/s?q=1&c=d%20e&f=%20&a=b")
    );
    let r = parse_curl("curl --json '{\"a\":1}' http://x").unwrap();
    assert!(r
        .headers
        .iter()
        .any(|h| h.name == "Accept" && h.value == "application/json"));
    assert!(matches!(
        r.body.body,
        Body::Raw {
            kind: RawKind::Json,
            ..
        }
    ));
    assert_eq!(parse_curl("curl -I http://x").unwrap().method, "HEAD");
    let r = parse_curl("curl -T file.txt http://x/up/").unwrap();
    assert_eq!(
        (r.method.as_str(), r.url.as_str()),
        ("PUT", "http://x/up/file.txt")
    );
    let r = parse_curl(
        "curl --oauth2-bearer tok --max-time 2.5 --url=http://x -H 'X-Gone:' -H 'Empty;'",
    )
    .unwrap();
    assert_eq!(
        r.auth.auth,
        Auth::Bearer {
            token: "tok".into()
        }
    );
    assert_eq!(r.settings.timeout_ms, Some(2500));
    assert_eq!(r.url, "http://x");
    assert_eq!(r.headers, [KeyValue::new("Empty", "")]);
}

#[test]
fn errors() {
    assert_eq!(
        parse_curl("curl -X"),
        Err(CurlError::MissingArgument("-X".into()))
    );
    assert_eq!(parse_curl("curl -H 'a: b'"), Err(CurlError::NoUrl));
    assert_eq!(parse_curl("curl --url '  '"), Err(CurlError::EmptyUrl));
    assert_eq!(parse_curl("wget x"), Err(CurlError::NotCurl));
    assert!(matches!(
        parse_curl("curl 'x"),
        Err(CurlError::Unterminated { .. })
    ));
}

/// A bounded stand-in for the fuzzer (`fuzz/`), run with every test:
/// shell-ish random text never panics, and what parses survives an export.
#[test]
fn random_shellish_input_never_panics() {
    let pieces = [
        "curl ",
        "-X ",
        "-H ",
        "-d ",
        "-F ",
        "--json ",
        "-u ",
        "-G ",
        "-T ",
        "--url ",
        "-sSLk ",
        "--data-urlencode ",
        "--url-query ",
        "'",
        "\"",
        "$'",
        "\\",
        "\\\n",
        "^",
        "^\n",
        "\n",
        " ",
        "<<EOF\n",
        "EOF\n",
        "<<< ",
        "<",
        ">",
        "|",
        "&",
        ";",
        "#",
        "(",
        ")",
        "=",
        "@",
        "a=b",
        "http://x/",
        "{{v}}",
        "é",
        "\\x4",
        "\\u12",
        "--",
        "-",
        ":",
        ";type=",
        "--next ",
    ];
    let mut rng = fastrand::Rng::with_seed(42);
    for _ in 0..5000 {
        let n = rng.usize(1..16);
        let text: String = (0..n).map(|_| pieces[rng.usize(..pieces.len())]).collect();
        if let Ok(r) = parse_curl(&text) {
            let again = crate::export::curl::to_curl_unresolved(&r);
            parse_curl(&again).unwrap_or_else(|e| panic!("{e}: {text:?} -> {again:?}"));
        }
        let _ = parse_import(&text);
    }
}

#[test]
fn body_kind_comes_from_the_media_type_not_its_parameters() {
    let kind = |ct: &str| {
        let r = parse_curl(&format!("curl -H 'Content-Type: {ct}' -d 'x' http://h")).unwrap();
        match r.body.body {
            Body::Raw { kind, .. } => kind,
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(kind("application/vnd.api+json"), RawKind::Json);
    assert_eq!(kind("application/atom+xml"), RawKind::Xml);
    // Was XML here but HTML in the response pane and storage.
    assert_eq!(kind("application/xhtml+xml"), RawKind::Html);
    // Was text here but JavaScript in the response pane.
    assert_eq!(kind("application/ecmascript"), RawKind::JavaScript);
    // Was JSON: only the essence names the kind.
    assert_eq!(kind("text/plain; profile=json"), RawKind::Text);
}
