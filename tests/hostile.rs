//! Hostile responses through `postie send` and `postie run` on a terminal
//! (a pseudo-terminal made by `script`): the bytes the program writes to its
//! tty carry no escape sequence, control, C1, bidi or invisible character
//! from the server; on a pipe the body stays the exact bytes (issue 13).

mod common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};

use common::hostile::{cases, leaks, Case, MIXED};
use common::{postie, stdout};

/// A server on 127.0.0.1 answering `GET /<how>/<case>` with the case's
/// bytes as the body (`body`), a header value (`header`), or all of
/// body, reason phrase, header value, cookie and content type (`all`,
/// with only the bytes HTTP allows in the head); `/many` answers with 10,000 headers. Raw bytes on the socket, so
/// nothing between it and postie cleans them.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    format!("http://{addr}")
}

fn answer(mut stream: TcpStream) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => return,
        }
    }
    let line = String::from_utf8_lossy(&head);
    let path = line.split(' ').nth(1).unwrap_or("/").to_string();
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let how = parts.next().unwrap_or("");
    let name = parts.next().unwrap_or("");
    let all = cases(true);
    let bytes = all
        .iter()
        .find(|c| c.name == name)
        .map_or(b"no such case".to_vec(), |c| c.bytes.clone());
    // Header fields allow tab, visible ASCII and obs-text (0x80-0xff).
    let obs: Vec<u8> = (bytes.iter().copied())
        .filter(|b| *b == b'\t' || (0x20..0x7f).contains(b) || *b >= 0x80)
        .take(8192)
        .collect();
    let mut reason = b"OK".to_vec();
    let mut headers: Vec<Vec<u8>> = Vec::new();
    let mut body = b"plain".to_vec();
    match how {
        "body" => body = bytes,
        "all" => {
            reason = obs.clone();
            headers.push([b"X-Hostile: ".as_slice(), &obs].concat());
            headers.push([b"Set-Cookie: c".as_slice(), &obs, b"=", &obs].concat());
            headers.push([b"Content-Type: ".as_slice(), &obs].concat());
            body = bytes;
        }
        "header" => headers.push([b"X-Hostile: ".as_slice(), &bytes].concat()),
        "many" => {
            for i in 0..10_000 {
                headers.push(format!("X-Many-{i}: \u{202e}{i}").into_bytes());
            }
        }
        _ => {}
    }
    let mut out = b"HTTP/1.1 200 ".to_vec();
    out.extend_from_slice(&reason);
    out.extend_from_slice(b"\r\n");
    for h in headers {
        out.extend_from_slice(&h);
        out.extend_from_slice(b"\r\n");
    }
    let length = format!(
        "Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    out.extend_from_slice(length.as_bytes());
    out.extend_from_slice(&body);
    let _ = stream.write_all(&out);
}

/// A workspace with request `h` at `{{base}}/{{path}}`, whose test script
/// logs and names tests with the hostile strings and the body.
fn workspace(dir: &Path) {
    let root = repo_init(dir);
    let request = serde_json::json!({
        "name": "h",
        "method": "GET",
        "url": "{{base}}/{{path}}",
    });
    std::fs::write(root.join("example/h.json"), request.to_string()).unwrap();
    // JSON string escapes keep the script file itself plain ASCII.
    let mixed = serde_json::to_string(MIXED).unwrap().replace('\u{7f}', "");
    let script = format!(
        "const m = {mixed};\n\
         console.log(m);\n\
         console.log(pm.response.text());\n\
         pm.test('name ' + m, () => pm.expect(m).to.equal('x'));\n\
         pm.test('passes ' + m, () => {{}});\n"
    );
    std::fs::write(root.join("example/h.test.js"), script).unwrap();
}

fn repo_init(dir: &Path) -> std::path::PathBuf {
    let out = postie(dir).arg("init").output().unwrap();
    assert!(out.status.success(), "{}", common::stderr(&out));
    dir.to_path_buf()
}

/// `script` here, or a message saying the terminal cases skip.
fn script_available() -> bool {
    let ok = Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: no `script` to make a pseudo-terminal");
    }
    ok
}

/// Runs postie with `args` in `dir` on a pseudo-terminal (stdout and
/// stderr both the tty) and returns every byte it wrote there.
fn on_terminal(dir: &Path, args: &[String]) -> Vec<u8> {
    let mut line = shell_quote(env!("CARGO_BIN_EXE_postie"));
    for a in args {
        line.push(' ');
        line.push_str(&shell_quote(a));
    }
    let mut cmd = Command::new("script");
    cmd.args(["-qfec", &line, "/dev/null"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("TERM", "xterm-256color")
        .env_remove("POSTIE_ENV")
        .env_remove("POSTIE_WORKSPACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    wait_bounded(cmd.spawn().unwrap())
}

/// The child's stdout, read as it comes (a full pipe would stall it),
/// within 30 s.
fn wait_bounded(mut child: std::process::Child) -> Vec<u8> {
    let mut pipe = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = pipe.read_to_end(&mut out);
        out
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("postie on a terminal did not finish in 30 s");
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    reader.join().unwrap()
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn send_args(base: &str, path: &str, flags: &[&str]) -> Vec<String> {
    let mut v = vec![
        "send".to_string(),
        "example/h".to_string(),
        "--no-history".into(),
    ];
    v.extend(flags.iter().map(|f| f.to_string()));
    v.push("--var".into());
    v.push(format!("base={base}"));
    v.push("--var".into());
    v.push(format!("path={path}"));
    v
}

fn check(what: &str, out: &[u8], failures: &mut Vec<String>) {
    // The terminal's own line ends (`\r\n`) are allowed; nothing else.
    for leak in leaks(out, &BTreeSet::new()) {
        failures.push(format!("{what}: {leak}"));
    }
}

#[test]
fn send_on_a_terminal_writes_no_hostile_byte_for_any_case() {
    if !script_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path());
    let base = serve();
    let mut failures = Vec::new();
    for Case { name, .. } in cases(true) {
        // `all`: body, reason, header, cookie and content type at once;
        // `header`: raw bytes in a header value (the client refuses some).
        for (how, flag) in [("all", "-i"), ("all", "-v"), ("header", "-i")] {
            let path = format!("{how}/{name}");
            let out = on_terminal(dir.path(), &send_args(&base, &path, &[flag]));
            check(&format!("send {flag} {path}"), &out, &mut failures);
            if path == "all/osc52_bel" {
                let text = String::from_utf8_lossy(&out);
                assert!(text.contains("a\\e]52;c;ZXZpbA==\\x07b"), "{text}");
            }
        }
    }
    let out = on_terminal(dir.path(), &send_args(&base, "many/x", &["-v"]));
    check("send -v many", &out, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_header_value_that_is_not_utf8_is_shown_escaped_not_blanked() {
    if !script_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path());
    let base = serve();
    let out = on_terminal(dir.path(), &send_args(&base, "all/c1_raw_bytes", &["-i"]));
    let text = String::from_utf8_lossy(&out);
    assert!(text.contains("a\\x9b31mred\\x9d0;t"), "{text}");
}

#[test]
fn on_a_pipe_the_body_is_the_bytes_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path());
    let base = serve();
    for case in cases(false) {
        let path = format!("body/{}", case.name);
        let out = postie(dir.path())
            .args(send_args(&base, &path, &[]))
            .output()
            .unwrap();
        assert_eq!(out.stdout, case.bytes, "{}: {}", case.name, stdout(&out));
    }
}

#[test]
fn run_on_a_terminal_prints_no_hostile_byte_from_scripts_or_bodies() {
    if !script_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    workspace(dir.path());
    let base = serve();
    let mut failures = Vec::new();
    for case in ["mixed", "c1_raw_bytes", "invalid_utf8", "json_escaped"] {
        let args: Vec<String> = [
            "run".to_string(),
            "example".into(),
            "--no-history".into(),
            "--var".into(),
            format!("base={base}"),
            "--var".into(),
            format!("path=body/{case}"),
        ]
        .into();
        let out = on_terminal(dir.path(), &args);
        let text = String::from_utf8_lossy(&out).into_owned();
        assert!(
            text.contains("name pwn"),
            "the test's name is shown: {text}"
        );
        assert!(text.contains("\\e]52;c;ZXZpbA=="), "shown escaped: {text}");
        check(&format!("run {case}"), &out, &mut failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
