use std::sync::{Arc, Mutex};

use super::*;
use crate::runner::report::fixtures;

/// A writer the test can read back after the reporter took it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

/// Feeds a whole run to a CLI reporter and returns what it wrote.
fn run(style: CliStyle, iterations: u32, per_iteration: impl Fn(u32) -> Vec<Execution>) -> String {
    let out = Shared::default();
    let mut r = CliReporter::new(Box::new(out.clone()), style);
    let first = per_iteration(0);
    let info = fixtures::info("Users API", iterations, first.len());
    r.on(&Event::Start(&info)).unwrap();
    let mut all = Vec::new();
    for i in 0..iterations {
        r.on(&Event::Iteration {
            index: i,
            count: iterations,
        })
        .unwrap();
        for e in per_iteration(i) {
            r.on(&Event::Executed(&e)).unwrap();
            all.push(e);
        }
    }
    let summary = fixtures::summary("Users API", iterations, &all);
    r.on(&Event::Done(&summary)).unwrap();
    out.text()
}

fn plain() -> CliStyle {
    CliStyle::default()
}

#[test]
fn a_two_iteration_run_reads_like_newman() {
    let text = run(plain(), 2, fixtures::iteration);
    assert!(!text.contains('\u{1b}'), "colour off writes no escape");
    insta::assert_snapshot!("two_iterations", text);
}

#[test]
fn one_iteration_has_no_iteration_header_and_no_iteration_in_failures() {
    let text = run(plain(), 1, fixtures::iteration);
    assert!(!text.contains("Iteration 1/1"));
    assert!(!text.contains("iteration: 1"));
    insta::assert_snapshot!("one_iteration", text);
}

#[test]
fn failure_numbers_beside_tests_match_the_failure_list() {
    let text = run(plain(), 2, fixtures::iteration);
    // Iteration 2: the failing assertion is the 4th failure of the run
    // (iteration 1 had an assertion, a script error, a request error).
    assert!(text.contains("  4. created"), "{text}");
    assert!(text.contains("  5⠄ TypeError in test-script"), "{text}");
    assert!(text.contains(" 4.  AssertionError  created"), "{text}");
    assert!(text.contains(" 5.  TypeError"), "{text}");
}

#[test]
fn folders_are_named_when_they_change_and_nested_ones_in_full() {
    let text = run(plain(), 1, fixtures::iteration);
    assert!(text.contains("\n❏ Users\n↳ Get user\n"));
    assert!(text.contains("\n❏ Users / Admin\n↳ Create user\n"));
    assert!(text.contains("\n→ Broken script\n"));
    assert!(text.contains("inside \"Users / Admin / Create user\""));
}

#[test]
fn hostile_strings_never_reach_the_terminal_raw() {
    for color in [false, true] {
        let style = CliStyle {
            color,
            verbose: true,
            ..plain()
        };
        let text = run(style, 1, |i| vec![fixtures::hostile(i)]);
        // Strip the colours the reporter itself writes; nothing else may
        // contain a control character or a bidi override.
        let mut rest = text.clone();
        for code in [
            "\x1b[90m", "\x1b[39m", "\x1b[32m", "\x1b[31m", "\x1b[1m", "\x1b[22m", "\x1b[4m",
            "\x1b[24m", "\x1b[36m", "\x1b[33m", "\x1b[34m", "\x1b[37m",
        ] {
            rest = rest.replace(code, "");
        }
        for c in rest.chars() {
            assert!(
                c == '\n' || !(c.is_control() || crate::safe_text::is_invisible_format(c)),
                "raw {c:?} in output (color {color}):\n{text}"
            );
        }
        assert!(rest.contains("evil\\e]52;c;ZXZpbA==\\x07\\e[2J<U+009B>31m<U+202E>txt\\r\\x00"));
        if !color {
            assert!(!text.contains('\u{1b}'));
        }
    }
}

#[test]
fn colour_paints_passes_green_and_failures_red() {
    let style = CliStyle {
        color: true,
        ..plain()
    };
    let text = run(style, 1, fixtures::iteration);
    assert!(text.contains("\x1b[32m  ✓ \x1b[39m \x1b[90mstatus is 200\x1b[39m"));
    assert!(text.contains("\x1b[1m\x1b[31m  1.\x1b[39m\x1b[22m \x1b[1m\x1b[31mcreated"));
    assert!(text.contains("\x1b[31massertions\x1b[39m"));
    assert!(text.contains("\x1b[32miterations\x1b[39m"));
}

#[test]
fn silent_writes_nothing() {
    let style = CliStyle {
        silent: true,
        ..plain()
    };
    assert_eq!(run(style, 2, fixtures::iteration), "");
}

#[test]
fn the_progress_line_is_drawn_only_when_asked_and_erased_before_other_lines() {
    let text = run(plain(), 2, fixtures::iteration);
    assert!(!text.contains('\r'));

    let style = CliStyle {
        progress: true,
        ..plain()
    };
    let text = run(style, 2, fixtures::iteration);
    assert!(text.contains("\r\x1b[2K"));
    assert!(text.contains("  1/10 requests · 0 failed · "));
    assert!(text.contains("  10/10 requests · 6 failed · "));
    // Each write ends with the live line and the next write starts by
    // erasing it, so it never sits among normal lines; the last write (the
    // summary) erases it and draws none.
    let parts: Vec<&str> = text.split("\r\x1b[2K").collect();
    let (last, drawn) = parts.split_last().unwrap();
    assert_eq!(drawn.len(), 12, "10 requests and 2 iteration headers");
    for part in drawn {
        let live = part.rsplit('\n').next().unwrap();
        assert!(
            live.starts_with("  ") && live.contains(" requests · "),
            "{part:?}"
        );
    }
    assert!(!last.contains("requests ·"));
    assert!(last.contains("total run duration"));
}

#[test]
fn options_drop_their_parts() {
    let style = CliStyle {
        no_summary: true,
        no_failures: true,
        no_console: true,
        no_banner: true,
        no_success_assertions: true,
        ..plain()
    };
    let text = run(style, 1, fixtures::iteration);
    assert!(!text.contains("executed"));
    assert!(!text.contains("#  failure"));
    assert!(!text.contains("user 0"));
    assert!(!text.contains("postie\n"));
    assert!(!text.contains("✓"));
    assert!(text.contains("  1. created"));

    let text = run(
        CliStyle {
            no_assertions: true,
            ..plain()
        },
        1,
        fixtures::iteration,
    );
    assert!(!text.contains("created\n") || text.contains("AssertionError  created"));
    assert!(!text.contains("  1. created"));
    // Numbers still count the hidden assertions.
    assert!(text.contains("  2⠄ TypeError"));
}

#[test]
fn verbose_shows_headers_and_timings() {
    let style = CliStyle {
        verbose: true,
        ..plain()
    };
    let text = run(style, 1, |i| {
        fixtures::iteration(i).into_iter().take(1).collect()
    });
    insta::assert_snapshot!("verbose", text);
}

#[test]
fn more_failures_than_listed_are_counted() {
    let out = Shared::default();
    let mut r = CliReporter::new(Box::new(out.clone()), plain());
    let runs = fixtures::iteration(0);
    let mut s = fixtures::summary("C", 1, &runs);
    s.failure_count += 5;
    r.on(&Event::Done(&s)).unwrap();
    assert!(out.text().contains("… and 5 more failures"));
}

#[test]
fn colour_and_the_live_line_only_where_a_person_watches() {
    use ColorChoice::*;
    let style = |c, term, no_color, ci| {
        let s = CliStyle::for_output(c, term, no_color, ci);
        (s.color, s.progress)
    };
    assert_eq!(style(Auto, true, false, false), (true, true));
    assert_eq!(style(Auto, false, false, false), (false, false), "a pipe");
    assert_eq!(style(Auto, true, true, false), (false, false), "NO_COLOR");
    assert_eq!(style(Auto, true, false, true), (true, false), "CI");
    assert_eq!(
        style(On, false, true, false),
        (true, false),
        "forced into a file"
    );
    assert_eq!(style(Off, true, false, false), (false, false));
}
