//! Splitting pasted shell text into commands and words, as bash (or
//! Windows `cmd.exe`, for "Copy as cURL (cmd)") would: quoting, escapes,
//! line continuations, comments, pipes and command separators,
//! redirections.
//!
//! Two paste-friendly relaxations every surveyed importer applies: a line
//! break followed by an option (`-H ...`) or an indented argument continues
//! the command, and an `&` inside a word (`?a=1&b=2`) is part of the word.

use super::CurlError;

/// Which shell's rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    Bash,
    Cmd,
}

/// Guesses `cmd.exe` syntax from its `^` escapes and continuations
/// (outside bash single quotes, where a `^` means nothing).
pub fn guess_shell(text: &str) -> Shell {
    // A quote inside a quoted argument, as Chrome writes it for cmd.
    if text.contains("^\\^\"") {
        return Shell::Cmd;
    }
    let mut in_single = false;
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\'' => in_single = !in_single,
            '\\' if !in_single => {
                it.next();
            }
            '^' if !in_single => {
                if matches!(it.peek(), Some('\n' | '\r' | '"')) {
                    return Shell::Cmd;
                }
            }
            _ => {}
        }
    }
    Shell::Bash
}

/// One command: its words, and what a here-document (`<<EOF`) or
/// here-string (`<<<`) gives it on standard input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Command {
    pub words: Vec<String>,
    pub stdin: Option<String>,
}

/// The commands in `text`.
pub fn split(text: &str, shell: Shell) -> Result<Vec<Command>, CurlError> {
    let pre;
    let text = match shell {
        Shell::Bash => text,
        Shell::Cmd => {
            pre = uncaret(text);
            &pre
        }
    };
    Lexer {
        chars: text.char_indices().collect(),
        i: 0,
        text,
        cmd: shell == Shell::Cmd,
        heredoc: None,
        stdin: None,
    }
    .run()
}

/// cmd.exe's `^` escapes: `^` + line break continues the line, `^x` is `x`.
fn uncaret(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut it = text.chars().peekable();
    while let Some(c) = it.next() {
        if c != '^' {
            out.push(c);
            continue;
        }
        match it.next() {
            Some('\r') if it.peek() == Some(&'\n') => {
                it.next();
                out.push(' ');
            }
            Some('\n') => out.push(' '),
            Some(x) => out.push(x),
            None => {}
        }
    }
    out
}

struct Lexer<'a> {
    chars: Vec<(usize, char)>,
    i: usize,
    text: &'a str,
    cmd: bool,
    /// A `<<DELIM` seen on this line: `(delimiter, strip leading tabs)`.
    heredoc: Option<(String, bool)>,
    stdin: Option<String>,
}

impl Lexer<'_> {
    fn peek(&self, k: usize) -> Option<char> {
        self.chars.get(self.i + k).map(|(_, c)| *c)
    }

    fn pos(&self) -> usize {
        self.chars.get(self.i).map_or(self.text.len(), |(p, _)| *p)
    }

    fn unterminated(&self, quote: &'static str, offset: usize) -> CurlError {
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        CurlError::Unterminated {
            quote,
            line,
            column,
        }
    }

    fn run(mut self) -> Result<Vec<Command>, CurlError> {
        let mut commands: Vec<Command> = Vec::new();
        let mut words: Vec<String> = Vec::new();
        let mut word: Option<String> = None;
        macro_rules! end_word {
            () => {
                if let Some(w) = word.take() {
                    words.push(w);
                }
            };
        }
        macro_rules! end_command {
            () => {
                end_word!();
                if !words.is_empty() {
                    commands.push(Command {
                        words: std::mem::take(&mut words),
                        stdin: self.stdin.take(),
                    });
                }
                self.stdin = None;
            };
        }
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\r' => {
                    end_word!();
                    self.i += 1;
                }
                '\n' => {
                    end_word!();
                    self.i += 1;
                    if let Some((delim, strip)) = self.heredoc.take() {
                        self.stdin = Some(self.read_heredoc(&delim, strip));
                    }
                    if !self.continues() {
                        end_command!();
                    }
                }
                '\\' if !self.cmd || self.peek(1) == Some('"') => match self.peek(1) {
                    Some('\n') => self.i += 2,
                    Some('\r') if self.peek(2) == Some('\n') => self.i += 3,
                    Some(x) => {
                        word.get_or_insert_with(String::new).push(x);
                        self.i += 2;
                    }
                    None => self.i += 1,
                },
                '\'' if !self.cmd => {
                    let start = self.pos();
                    self.i += 1;
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match self.peek(0) {
                            None => return Err(self.unterminated("single", start)),
                            Some('\'') => {
                                self.i += 1;
                                break;
                            }
                            Some(x) => {
                                w.push(x);
                                self.i += 1;
                            }
                        }
                    }
                }
                '$' if !self.cmd && self.peek(1) == Some('\'') => {
                    let start = self.pos();
                    self.i += 2;
                    let s = self.ansi_c(start)?;
                    word.get_or_insert_with(String::new).push_str(&s);
                }
                '"' => {
                    let start = self.pos();
                    self.i += 1;
                    let w = word.get_or_insert_with(String::new);
                    loop {
                        match self.peek(0) {
                            None => return Err(self.unterminated("double", start)),
                            Some('"') => {
                                self.i += 1;
                                break;
                            }
                            Some('\\') => match self.peek(1) {
                                Some('\n') => self.i += 2,
                                Some(x @ ('"' | '\\' | '$' | '`')) => {
                                    w.push(x);
                                    self.i += 2;
                                }
                                _ => {
                                    w.push('\\');
                                    self.i += 1;
                                }
                            },
                            Some(x) => {
                                w.push(x);
                                self.i += 1;
                            }
                        }
                    }
                }
                '#' if word.is_none() && !self.cmd => {
                    while self.peek(0).is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                ';' => {
                    end_command!();
                    self.i += 1;
                }
                '|' => {
                    end_command!();
                    self.i += if self.peek(1) == Some('|') { 2 } else { 1 };
                }
                '&' => {
                    let next = self.peek(1);
                    if word.is_some() && next.is_some_and(|n| !n.is_whitespace() && n != '&') {
                        // `?a=1&b=2` pasted unquoted: part of the URL.
                        word.get_or_insert_with(String::new).push('&');
                        self.i += 1;
                    } else {
                        end_command!();
                        self.i += if next == Some('&') { 2 } else { 1 };
                    }
                }
                '<' if !self.cmd && self.peek(1) == Some('<') => {
                    end_word!();
                    self.here()?;
                }
                '(' | ')' if !self.cmd => {
                    // Not valid inside a bash word; seen in pasted URLs.
                    end_word!();
                    self.i += 1;
                }
                '<' | '>' if !self.cmd || word.is_none() => {
                    // A redirection: drop it and its target. A number right
                    // before it (`2>`) is a file descriptor, not a word.
                    if word
                        .as_deref()
                        .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
                    {
                        word = None;
                    }
                    end_word!();
                    self.i += 1;
                    while matches!(self.peek(0), Some('>' | '&')) {
                        self.i += 1;
                    }
                    if self.peek(0) == Some('(') {
                        continue;
                    }
                    while matches!(self.peek(0), Some(' ' | '\t')) {
                        self.i += 1;
                    }
                    self.skip_word()?;
                }
                _ => {
                    word.get_or_insert_with(String::new).push(c);
                    self.i += 1;
                }
            }
        }
        end_command!();
        Ok(commands)
    }

    /// `<<<word` (a here-string) or `<<DELIM` / `<<-DELIM` (a here-document,
    /// read when the line ends).
    fn here(&mut self) -> Result<(), CurlError> {
        self.i += 2;
        let here_string = self.peek(0) == Some('<');
        if here_string {
            self.i += 1;
        }
        let strip = !here_string && self.peek(0) == Some('-');
        if strip {
            self.i += 1;
        }
        while matches!(self.peek(0), Some(' ' | '\t')) {
            self.i += 1;
        }
        let start = self.pos();
        self.skip_word()?;
        let raw = &self.text[start..self.pos()];
        let unquoted: String = raw
            .chars()
            .filter(|c| !matches!(c, '\'' | '"' | '\\'))
            .collect();
        if here_string {
            // `$VAR` and `$(cmd)` are only known to the shell.
            let expands = raw.contains('$') && !raw.starts_with('\'');
            self.stdin = (!expands).then(|| format!("{unquoted}\n"));
        } else {
            self.heredoc = Some((unquoted, strip));
        }
        Ok(())
    }

    /// The lines up to `delim`, which are consumed.
    fn read_heredoc(&mut self, delim: &str, strip_tabs: bool) -> String {
        let mut body = String::new();
        loop {
            let start = self.i;
            while self.peek(0).is_some_and(|c| c != '\n') {
                self.i += 1;
            }
            let line: String = self.chars[start..self.i].iter().map(|(_, c)| *c).collect();
            let at_end = self.peek(0).is_none();
            if self.peek(0) == Some('\n') {
                self.i += 1;
            }
            let line = if strip_tabs {
                line.trim_start_matches('\t').to_string()
            } else {
                line
            };
            if line.trim_end_matches('\r') == delim {
                return body;
            }
            body.push_str(&line);
            body.push('\n');
            if at_end {
                return body;
            }
        }
    }

    /// After a line break: does the command go on? (An option or an
    /// indented argument on the next line.)
    fn continues(&self) -> bool {
        let mut k = 0;
        let mut indented = false;
        while let Some(c) = self.peek(k) {
            match c {
                ' ' | '\t' => indented = true,
                '\r' => {}
                '-' => return true,
                '\n' | '#' => return false,
                _ => {
                    if !indented {
                        return false;
                    }
                    // An indented new `curl` starts a new command.
                    let rest: String = (k..k + 5).filter_map(|j| self.peek(j)).collect();
                    return !(rest.starts_with("curl ") || rest == "curl");
                }
            }
            k += 1;
        }
        false
    }

    /// Skips one word (a redirection's target), quotes included.
    fn skip_word(&mut self) -> Result<(), CurlError> {
        while let Some(c) = self.peek(0) {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' | '|' | '&' => break,
                '\'' | '"' => {
                    let start = self.pos();
                    self.i += 1;
                    loop {
                        match self.peek(0) {
                            None => {
                                let quote = if c == '"' { "double" } else { "single" };
                                return Err(self.unterminated(quote, start));
                            }
                            Some(x) if x == c => {
                                self.i += 1;
                                break;
                            }
                            Some('\\') if c == '"' => self.i += 2,
                            Some(_) => self.i += 1,
                        }
                    }
                }
                '\\' => self.i += 2,
                _ => self.i += 1,
            }
        }
        Ok(())
    }

    /// The body of `$'...'` after the opening quote.
    fn ansi_c(&mut self, start: usize) -> Result<String, CurlError> {
        let mut s = String::new();
        loop {
            let Some(c) = self.peek(0) else {
                return Err(self.unterminated("$'", start));
            };
            self.i += 1;
            match c {
                '\'' => return Ok(s),
                '\\' => {
                    let Some(e) = self.peek(0) else { continue };
                    self.i += 1;
                    match e {
                        'n' => s.push('\n'),
                        't' => s.push('\t'),
                        'r' => s.push('\r'),
                        'a' => s.push('\x07'),
                        'b' => s.push('\x08'),
                        'e' | 'E' => s.push('\x1b'),
                        'f' => s.push('\x0c'),
                        'v' => s.push('\x0b'),
                        'x' => self.code_point(&mut s, 16, 2, 'x'),
                        'u' => self.code_point(&mut s, 16, 4, 'u'),
                        'U' => self.code_point(&mut s, 16, 8, 'U'),
                        '0'..='7' => {
                            self.i -= 1;
                            self.code_point(&mut s, 8, 3, '0');
                        }
                        'c' => {
                            if let Some(x) = self.peek(0) {
                                self.i += 1;
                                s.push(char::from((x as u8) & 0x1f));
                            }
                        }
                        '\\' | '\'' | '"' | '?' => s.push(e),
                        other => {
                            s.push('\\');
                            s.push(other);
                        }
                    }
                }
                other => s.push(other),
            }
        }
    }

    /// Up to `max` digits in `radix`; none at all keeps the escape as text.
    fn code_point(&mut self, s: &mut String, radix: u32, max: usize, letter: char) {
        let mut n: u32 = 0;
        let mut len = 0;
        while len < max {
            match self.peek(0).and_then(|c| c.to_digit(radix)) {
                Some(d) => {
                    n = n * radix + d;
                    len += 1;
                    self.i += 1;
                }
                None => break,
            }
        }
        if len == 0 {
            s.push('\\');
            s.push(letter);
        } else if radix == 16 && max == 2 || radix == 8 {
            // \xHH and \nnn are bytes; as text, Latin-1 code points.
            s.push(char::from_u32(n & 0xff).unwrap_or('\u{fffd}'));
        } else {
            s.push(char::from_u32(n).unwrap_or('\u{fffd}'));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<Vec<String>> {
        split(s, guess_shell(s))
            .unwrap()
            .into_iter()
            .map(|c| c.words)
            .collect()
    }

    #[test]
    fn here_documents_and_strings_feed_stdin() {
        let c = split(
            "curl -d @- x <<EOF\n{\"a\": 1}\nEOF\ncurl y <<< 'hi'",
            Shell::Bash,
        )
        .unwrap();
        assert_eq!(c[0].words, ["curl", "-d", "@-", "x"]);
        assert_eq!(c[0].stdin.as_deref(), Some("{\"a\": 1}\n"));
        assert_eq!(c[1].stdin.as_deref(), Some("hi\n"));
    }

    #[test]
    fn quoting_forms() {
        assert_eq!(
            words(r#"curl 'a b' "c \"d\" \$e \x" $'f\n\t\x41\u00e9\'' g\ h"#),
            [vec!["curl", "a b", "c \"d\" $e \\x", "f\n\tAé'", "g h"]]
        );
        assert_eq!(words("curl a'b'\"c\"d"), [vec!["curl", "abcd"]]);
    }

    #[test]
    fn continuations_comments_and_separators() {
        assert_eq!(
            words("# note\ncurl -X POST \\\n  http://x \\\r\n -d 1 # trailing\ncurl y; curl z && curl w | cat"),
            [
                vec!["curl", "-X", "POST", "http://x", "-d", "1"],
                vec!["curl", "y"],
                vec!["curl", "z"],
                vec!["curl", "w"],
                vec!["cat"],
            ]
        );
        // Lenient: an option on the next line continues the command.
        assert_eq!(
            words("curl http://x\n-H 'a: b'"),
            [vec!["curl", "http://x", "-H", "a: b"]]
        );
        assert_eq!(
            words("curl http://x?a=1&b=2"),
            [vec!["curl", "http://x?a=1&b=2"]]
        );
        assert_eq!(
            words("curl x < in.txt 2>&1 > 'out file'"),
            [vec!["curl", "x"]]
        );
    }

    #[test]
    fn cmd_carets() {
        let s = "curl ^\"https://x/^\" ^\n  -H ^\"a: ^\\^\"q^\\^\"^\" --data-raw \"^{^\\^\"k^\\^\":1^}\"";
        assert_eq!(guess_shell(s), Shell::Cmd);
        assert_eq!(
            words(s),
            [vec![
                "curl",
                "https://x/",
                "-H",
                "a: \"q\"",
                "--data-raw",
                "{\"k\":1}"
            ]]
        );
    }

    #[test]
    fn unterminated_quotes_have_a_position() {
        match split("curl -d 'x", Shell::Bash) {
            Err(CurlError::Unterminated {
                quote: "single",
                line: 1,
                column: 9,
            }) => {}
            other => panic!("{other:?}"),
        }
        assert!(split("curl \"x", Shell::Bash).is_err());
        assert!(split("curl $'x", Shell::Bash).is_err());
    }
}
