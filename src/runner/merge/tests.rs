use super::*;
use crate::runner::report::fixtures;
use crate::runner::report::json::JsonReporter;

/// What a reporter was told, one line per event.
#[derive(Default)]
struct Seen {
    lines: Vec<String>,
    failed: Option<(u64, u64, u64, u64)>,
}

impl Reporter for Seen {
    fn on(&mut self, event: &Event<'_>) -> std::io::Result<()> {
        match event {
            Event::Start(info) => self.lines.push(format!("start {}", info.iteration_count)),
            Event::Iteration { index, .. } => self.lines.push(format!("iteration {index}")),
            Event::Executed(e) => self.lines.push(format!(
                "{} {} [{}] tests {} errors {} pre {} test {}",
                e.iteration,
                e.item.name,
                e.item.folders.join("/"),
                e.tests.len(),
                e.script_errors.len(),
                e.prerequest_scripts.executed,
                e.test_scripts.executed,
            )),
            Event::Warning(w) => self.lines.push(format!("warning {w}")),
            Event::Done(s) => {
                self.failed = Some((
                    s.requests.executed,
                    s.assertions.executed,
                    s.assertions.failed,
                    s.failure_count,
                ))
            }
        }
        Ok(())
    }
}

/// Writes `iterations` of the fixture run as one shard's JSON report.
fn shard(dir: &Path, name: &str, iterations: &[u32]) -> PathBuf {
    let path = dir.join(name);
    let mut reporter = JsonReporter::create(&path).unwrap();
    let executions: Vec<Execution> = iterations
        .iter()
        .flat_map(|i| fixtures::iteration(*i))
        .collect();
    reporter
        .on(&Event::Start(&fixtures::info("Users", 3, 5)))
        .unwrap();
    for e in &executions {
        reporter.on(&Event::Executed(e)).unwrap();
    }
    let summary = fixtures::summary("Users", iterations.len() as u32, &executions);
    reporter.on(&Event::Done(&summary)).unwrap();
    path
}

fn replay(executions: Vec<Execution>) -> Seen {
    let report = ShardReport {
        name: "Users".into(),
        cycles: 3,
        length: 5,
        started: fixtures::started(),
        completed: fixtures::started(),
        stopped: None,
        executions,
    };
    let mut seen = Seen::default();
    merge(vec![report], &mut seen).unwrap();
    seen
}

#[test]
fn shards_merge_into_the_run_one_job_would_report() {
    let dir = tempfile::tempdir().unwrap();
    // --shard 1/2 ran iterations 0 and 2, --shard 2/2 iteration 1.
    let a = read_report(&shard(dir.path(), "a.json", &[0, 2])).unwrap();
    let b = read_report(&shard(dir.path(), "b.json", &[1])).unwrap();
    let mut merged = Seen::default();
    let failed = merge(vec![b, a], &mut merged).unwrap();

    let whole: Vec<Execution> = (0..3).flat_map(fixtures::iteration).collect();
    let expected = replay(whole);
    assert_eq!(merged.lines, expected.lines);
    assert_eq!(merged.failed, expected.failed);
    assert!(failed, "the fixture run has failures");
    assert!(merged.lines.iter().any(|l| l.contains("[Users]")));
    // Failures are classed by their script's phase, which survives.
    let (_, assertions, _, failures) = merged.failed.unwrap();
    assert!(assertions > 0 && failures > 0);
}

#[test]
fn what_is_not_a_report_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.json");
    std::fs::write(&path, "{\"collection\": {}}").unwrap();
    let err = read_report(&path).unwrap_err().to_string();
    assert!(err.contains("x.json") && err.contains("run"), "{err}");
    std::fs::write(&path, "{").unwrap();
    assert!(read_report(&path)
        .unwrap_err()
        .to_string()
        .contains("not JSON"));
    let missing = read_report(&dir.path().join("nope.json")).unwrap_err();
    assert!(missing.to_string().contains("nope.json"));
}
