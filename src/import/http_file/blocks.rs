//! Splitting a `.http` file into requests: `###` separators, comments and
//! directives, `@var = value` lines, the request line (with continuation
//! lines), headers, the body and the scripts around it. No I/O; never
//! fails: what it cannot read becomes a note.

/// One request as written in the file, before mapping to the model.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RawRequest {
    /// `### Title`.
    pub title: Option<String>,
    /// `# @name x` / `// @name x`.
    pub name: Option<String>,
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The body lines joined with `\n`, trailing blank lines dropped.
    pub body: Option<String>,
    /// `< {% ... %}` before the request line.
    pub pre_script: Option<String>,
    /// `> {% ... %}` after the body.
    pub handler: Option<String>,
    /// `# @directive rest`, without `@name`.
    pub directives: Vec<(String, String)>,
    /// Lines kept out for the report: `> file.js`, `<> file`, `import`, ...
    pub skipped: Vec<String>,
    /// 1-based line of the request line.
    pub line: usize,
}

#[derive(Debug, Default)]
pub struct File {
    pub variables: Vec<(String, String)>,
    pub requests: Vec<RawRequest>,
    /// Lines outside any request that were not understood.
    pub skipped: Vec<(usize, String)>,
}

const METHODS: &[&str] = &[
    "GET",
    "POST",
    "PUT",
    "DELETE",
    "PATCH",
    "HEAD",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "QUERY",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "PURGE",
    "LINK",
    "UNLINK",
    "VIEW",
    "GRAPHQL",
    "WEBSOCKET",
    "GRPC",
];

fn is_comment(t: &str) -> bool {
    t.starts_with('#') || t.starts_with("//")
}

/// `@name value` in a comment, as (`name`, `value`).
fn directive(t: &str) -> Option<(String, String)> {
    let rest = t
        .strip_prefix("//")
        .or_else(|| t.strip_prefix('#'))?
        .trim_start();
    let rest = rest.strip_prefix('@')?;
    let (name, value) = match rest.find(|c: char| c.is_whitespace() || c == '=') {
        Some(i) => (
            &rest[..i],
            rest[i..].trim_start_matches(|c: char| c.is_whitespace() || c == '='),
        ),
        None => (rest, ""),
    };
    if name.is_empty() {
        return None;
    }
    Some((name.to_string(), value.trim().to_string()))
}

/// `@name = value` (file variable).
fn variable(t: &str) -> Option<(String, String)> {
    let rest = t.strip_prefix('@')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || name.contains(char::is_whitespace) {
        return None;
    }
    Some((name.to_string(), value.trim().to_string()))
}

/// Reads `{% ... %}` starting at `lines[*i]` (whose text after the marker
/// is `first`); leaves `*i` on the closing line.
fn script(lines: &[&str], i: &mut usize, first: &str) -> String {
    let first = first.trim_start().trim_start_matches("{%");
    if let Some(end) = first.find("%}") {
        return first[..end].trim().to_string();
    }
    let mut out: Vec<&str> = Vec::new();
    if !first.trim().is_empty() {
        out.push(first);
    }
    while *i + 1 < lines.len() {
        *i += 1;
        let l = lines[*i];
        if let Some(end) = l.find("%}") {
            if !l[..end].trim().is_empty() {
                out.push(&l[..end]);
            }
            break;
        }
        out.push(l);
    }
    dedent(&out)
}

/// Lines joined, with the indentation they share removed.
fn dedent(lines: &[&str]) -> String {
    let indent = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let body: Vec<&str> = lines
        .iter()
        .map(|l| {
            if l.len() >= indent && l.is_char_boundary(indent) {
                &l[indent..]
            } else {
                l.trim_start()
            }
        })
        .collect();
    body.join("\n").trim_matches('\n').trim_end().to_string()
}

#[derive(PartialEq)]
enum State {
    /// Before the request line: comments, directives, variables, scripts.
    Pre,
    /// Just after the request line: indented `?a=1` / `&b=2` lines.
    Url,
    Headers,
    Body,
    /// After the response handler: nothing more for this request.
    After,
}

pub fn split(text: &str) -> File {
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    let mut file = File::default();
    let mut cur = RawRequest::default();
    let mut state = State::Pre;
    let mut body: Vec<&str> = Vec::new();
    let mut i = 0;
    let finish = |cur: &mut RawRequest, body: &mut Vec<&str>, file: &mut File| {
        let mut done = std::mem::take(cur);
        while body.last().is_some_and(|l| l.trim().is_empty()) {
            body.pop();
        }
        if !body.is_empty() {
            done.body = Some(body.join("\n"));
        }
        body.clear();
        if !done.method.is_empty() {
            file.requests.push(done);
        } else {
            for s in done.skipped {
                file.skipped.push((0, s));
            }
        }
    };
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim();
        if t.starts_with("###") {
            finish(&mut cur, &mut body, &mut file);
            state = State::Pre;
            let title = t.trim_start_matches('#').trim();
            if !title.is_empty() {
                cur.title = Some(title.to_string());
            }
            i += 1;
            continue;
        }
        match state {
            State::Pre => {
                if t.is_empty() {
                } else if is_comment(t) {
                    match directive(t) {
                        Some((n, v)) if n == "name" => cur.name = Some(v).filter(|v| !v.is_empty()),
                        Some(d) => cur.directives.push(d),
                        None => {}
                    }
                } else if let Some(v) = variable(t) {
                    file.variables.push(v);
                } else if let Some(rest) = t
                    .strip_prefix('<')
                    .filter(|r| r.trim_start().starts_with("{%"))
                {
                    let s = script(&lines, &mut i, rest);
                    cur.pre_script = Some(match cur.pre_script.take() {
                        Some(prev) => format!("{prev}\n{s}"),
                        None => s,
                    });
                } else if t.starts_with('<') || t.starts_with("import ") || t.starts_with("run ") {
                    cur.skipped.push(t.to_string());
                } else {
                    let (method, rest) = match t.split_once(char::is_whitespace) {
                        Some((m, rest)) if METHODS.contains(&m) => (m.to_string(), rest.trim()),
                        _ if METHODS.contains(&t) => (t.to_string(), ""),
                        _ => ("GET".to_string(), t),
                    };
                    cur.method = method;
                    cur.url = rest.to_string();
                    cur.line = i + 1;
                    state = State::Url;
                }
            }
            State::Url | State::Headers => {
                let starts_indented = line.starts_with([' ', '\t']);
                if state == State::Url && starts_indented && t.starts_with(['?', '&', '/', '#']) {
                    cur.url.push_str(t);
                } else if t.is_empty() {
                    state = State::Body;
                } else if is_comment(t) {
                    // A comment between headers.
                } else if let Some(rest) = handler_start(t) {
                    cur.handler = Some(script(&lines, &mut i, rest));
                    state = State::After;
                } else if let Some((n, v)) = t.split_once(':') {
                    state = State::Headers;
                    cur.headers
                        .push((n.trim().to_string(), v.trim().to_string()));
                } else {
                    cur.skipped.push(t.to_string());
                    state = State::Headers;
                }
            }
            State::Body => {
                if let Some(rest) = handler_start(t) {
                    cur.handler = Some(script(&lines, &mut i, rest));
                    state = State::After;
                } else if t.starts_with("> ") || t.starts_with("<> ") {
                    cur.skipped.push(t.to_string());
                    state = State::After;
                } else {
                    body.push(line);
                }
            }
            State::After => {
                if !t.is_empty() && !is_comment(t) {
                    cur.skipped.push(t.to_string());
                }
            }
        }
        i += 1;
    }
    finish(&mut cur, &mut body, &mut file);
    for r in &mut file.requests {
        r.url = strip_version(&r.url);
    }
    file
}

fn handler_start(t: &str) -> Option<&str> {
    t.strip_prefix('>')
        .filter(|r| r.trim_start().starts_with("{%"))
}

/// The URL without trailing ` HTTP/1.1` (even a doubled one).
fn strip_version(url: &str) -> String {
    let mut u = url.trim();
    while let Some((head, v)) = u.rsplit_once(char::is_whitespace) {
        if !v.starts_with("HTTP/") {
            break;
        }
        u = head.trim_end();
    }
    u.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_variables_scripts_and_continuations() {
        let f = split(
            "@host = example.com\n\
             ### First\n\
             # @name first\n\
             // @no-redirect\n\
             < {%\n  request.variables.set('a', 1);\n%}\n\
             POST https://{{host}}/a HTTP/1.1\n\
             Content-Type: application/json\n\
             \n\
             {\"a\": 1}\n\
             \n\
             > {%\n  client.test('ok', () => {});\n%}\n\
             ###\n\
             https://{{host}}/b\n    ?x=1\n    &y=2\n\
             Accept: */*\n",
        );
        assert_eq!(
            f.variables,
            [("host".to_string(), "example.com".to_string())]
        );
        assert_eq!(f.requests.len(), 2);
        let a = &f.requests[0];
        assert_eq!(
            (a.title.as_deref(), a.name.as_deref()),
            (Some("First"), Some("first"))
        );
        assert_eq!(a.method, "POST");
        assert_eq!(a.url, "https://{{host}}/a");
        assert_eq!(a.body.as_deref(), Some("{\"a\": 1}"));
        assert_eq!(
            a.pre_script.as_deref(),
            Some("request.variables.set('a', 1);")
        );
        assert_eq!(a.handler.as_deref(), Some("client.test('ok', () => {});"));
        assert_eq!(a.directives, [("no-redirect".to_string(), String::new())]);
        let b = &f.requests[1];
        assert_eq!(
            (b.method.as_str(), b.url.as_str()),
            ("GET", "https://{{host}}/b?x=1&y=2")
        );
        assert_eq!(b.headers, [("Accept".to_string(), "*/*".to_string())]);
    }
}
