use std::fs;

use quick_xml::events::{BytesStart, Event as Xml};
use quick_xml::{Reader, XmlVersion};

use super::*;
use crate::runner::report::fixtures::{self, HOSTILE};

/// An element parsed back: what a CI system reading the file sees.
#[derive(Debug, Default)]
struct Node {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Node>,
    text: String,
}

impl Node {
    fn attr(&self, key: &str) -> &str {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("no {key} on <{}>", self.name))
    }
    fn all(&self, name: &str) -> Vec<&Node> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
    fn child(&self, name: &str) -> &Node {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no <{name}> in <{}>", self.name))
    }
}

fn element(e: &BytesStart) -> Node {
    Node {
        name: e.name().into_inner().to_string(),
        attrs: e
            .attributes()
            .map(|a| {
                let a = a.unwrap();
                let key = a.key.into_inner().to_string();
                (
                    key,
                    a.normalized_value(XmlVersion::Implicit1_0)
                        .unwrap()
                        .into_owned(),
                )
            })
            .collect(),
        ..Node::default()
    }
}

fn parse(xml: &str) -> Node {
    let mut reader = Reader::from_str(xml);
    let mut stack = vec![Node::default()];
    loop {
        match reader.read_event().unwrap() {
            Xml::Start(e) => stack.push(element(&e)),
            Xml::Empty(e) => {
                let n = element(&e);
                stack.last_mut().unwrap().children.push(n);
            }
            Xml::End(_) => {
                let n = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(n);
            }
            Xml::Text(t) => {
                let t = t.xml10_content();
                if !t.trim().is_empty() {
                    stack.last_mut().unwrap().text.push_str(&t);
                }
            }
            Xml::CData(c) => stack.last_mut().unwrap().text.push_str(&c.xml10_content()),
            Xml::GeneralRef(r) => panic!("unexpected entity {r:?} in text"),
            Xml::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1);
    root.children.remove(0)
}

fn report(iterations: u32, per: impl Fn(u32) -> Vec<Execution>) -> (String, JunitReporter) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junit").join("report.xml");
    let mut r = JunitReporter::create(&path).unwrap();
    let info = fixtures::info("Users API", iterations, per(0).len());
    r.on(&Event::Start(&info)).unwrap();
    let mut all = Vec::new();
    for i in 0..iterations {
        for e in per(i) {
            r.on(&Event::Executed(&e)).unwrap();
            all.push(e);
        }
    }
    assert!(!path.exists());
    r.on(&Event::Done(&fixtures::summary(
        "Users API",
        iterations,
        &all,
    )))
    .unwrap();
    (fs::read_to_string(&path).unwrap(), r)
}

#[test]
fn suites_are_items_across_iterations_with_newmans_names() {
    let (xml, _) = report(2, fixtures::iteration);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "));
    let root = parse(&xml);
    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("name"), "Users API");
    assert_eq!(
        root.attr("tests"),
        "8",
        "executions that ran, skipped ones aside"
    );
    assert_eq!(root.attr("time"), "0.100");

    let suites = root.all("testsuite");
    let names: Vec<&str> = suites.iter().map(|s| s.attr("name")).collect();
    assert_eq!(
        names,
        [
            "Users / Get user",
            "Users / Admin / Create user",
            "Broken script",
            "Down"
        ]
    );
    let create = suites[1];
    assert_eq!(create.attr("id"), "u2");
    assert_eq!(create.attr("timestamp"), "2026-05-28T20:26:40.123Z");
    assert_eq!(create.attr("tests"), "3");
    assert_eq!(create.attr("failures"), "2");
    assert_eq!(create.attr("errors"), "0");
    assert_eq!(create.attr("time"), "0.012");
    let cases = create.all("testcase");
    let case_names: Vec<&str> = cases.iter().map(|c| c.attr("name")).collect();
    assert_eq!(case_names, ["token set", "created", "later"]);
    for c in &cases {
        assert_eq!(c.attr("classname"), "UsersAdminCreateUser");
        assert_eq!(c.attr("time"), "0.012");
    }
    assert!(cases[0].children.is_empty());
    let failure = cases[1].child("failure");
    assert_eq!(failure.attr("type"), "AssertionFailure");
    assert_eq!(failure.attr("message"), "expected 500 to equal 201");
    assert!(failure.text.contains("Failed 2 times."), "{}", failure.text);
    assert!(failure
        .text
        .contains("Request name: Users / Admin / Create user."));
    assert!(failure.text.contains("Test description: created."));
    assert_eq!(cases[2].child("skipped").name, "skipped");

    let broken = suites[2];
    assert_eq!(broken.attr("errors"), "2");
    assert_eq!(broken.attr("failures"), "0");
    assert_eq!(
        broken.child("system-err").text,
        "Iteration: 0\n\n---\ntestScriptError: TypeError: cannot read property 'x' of undefined\n---\n\
         Iteration: 1\n\n---\ntestScriptError: TypeError: cannot read property 'x' of undefined\n---\n"
    );
    let down = suites[3];
    assert_eq!(down.attr("errors"), "2");
    assert_eq!(down.attr("tests"), "0");
    assert_eq!(down.attr("time"), "0.000");
    assert!(down
        .child("system-err")
        .text
        .starts_with("Iteration: 0\nRequestError: connect ECONNREFUSED 127.0.0.1:9\n\n---\n"));
    assert!(down.all("testcase").is_empty());
}

#[test]
fn hostile_strings_are_escaped_or_dropped_and_the_xml_stays_valid() {
    let (xml, _) = report(1, |i| vec![fixtures::hostile(i)]);
    for c in xml.chars() {
        let allowed = matches!(c, '\t' | '\n' | '\r')
            || (!c.is_control() || ('\u{80}'..='\u{9f}').contains(&c));
        assert!(allowed, "{c:?} may not appear in XML 1.0");
    }
    let root = parse(&xml);
    // ESC, BEL and NUL cannot be in XML 1.0: dropped. The rest survives.
    let kept = "evil]52;c;ZXZpbA==[2J\u{9b}31m\u{202E}txt\r";
    let suite = root.child("testsuite");
    assert_eq!(suite.attr("name"), format!("{kept} / Sub / {kept}"));
    assert_eq!(suite.attr("id"), kept);
    let case = &suite.all("testcase")[0];
    assert_eq!(case.attr("name"), kept);
    let failure = case.child("failure");
    assert_eq!(failure.attr("message"), format!("{kept}\nsecond ]]> line"));
    // Inside CDATA, the parser normalises a lone \r to \n.
    assert!(
        failure.text.contains("second ]]> line."),
        "{}",
        failure.text
    );
    assert!(suite
        .child("system-err")
        .text
        .contains("prerequestScriptError: Error: evil"));
    assert!(!xml.contains(HOSTILE));
}

#[test]
fn a_long_run_keeps_one_record_per_item_and_test() {
    let (xml, r) = report(2_000, |i| {
        let mut v = fixtures::iteration(i);
        v.truncate(4);
        v
    });
    assert_eq!(r.suites.len(), 4);
    assert_eq!(r.suites[1].cases.len(), 3);
    for s in &r.suites {
        assert!(
            s.system_err.len() < SYSTEM_ERR_CAP + 200,
            "{}",
            s.system_err.len()
        );
    }
    assert!(r.suites[2].system_err_dropped > 0);
    let root = parse(&xml);
    let broken = root.all("testsuite")[2];
    assert_eq!(broken.attr("errors"), "2000");
    assert!(broken
        .child("system-err")
        .text
        .contains("more errored runs not shown"));
    assert!(root.all("testsuite")[1].all("testcase")[1]
        .child("failure")
        .text
        .contains("Failed 2000 times."));
}

#[test]
fn an_empty_run_is_an_empty_testsuites() {
    let (xml, _) = report(1, |_| Vec::new());
    let root = parse(&xml);
    assert_eq!(root.attr("tests"), "0");
    assert!(root.children.is_empty());
}

#[test]
fn a_path_that_cannot_be_written_fails_before_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    fs::write(&file, "x").unwrap();
    assert!(JunitReporter::create(&file.join("report.xml")).is_err());
}
