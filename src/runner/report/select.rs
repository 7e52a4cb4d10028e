//! `-r cli,json,junit`: reporters chosen by name, with newman's export
//! options and default paths.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::cli::{CliReporter, CliStyle};
use super::json::JsonReporter;
use super::junit::JunitReporter;
use super::{Reporter, Reporters};

/// The reporters postie has, in the order `--help` lists them.
pub const KNOWN: [&str; 3] = ["cli", "json", "junit"];

#[derive(Debug, thiserror::Error)]
pub enum ReporterError {
    #[error("unknown reporter `{name}`: postie has {}", KNOWN.join(", "))]
    Unknown { name: String },
    /// `by_name("cli")` twice with the same options: there is one terminal.
    #[error("the cli reporter is already in use")]
    CliTaken,
    #[error("cannot write the {reporter} report to {}: {source}", path.display())]
    Create {
        reporter: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What `-r` and the `--reporter-*` options say.
pub struct ReporterOptions {
    /// Where the cli reporter writes (stdout); taken by the first `cli`.
    pub cli_out: Option<Box<dyn Write + Send>>,
    pub cli: CliStyle,
    /// `--reporter-json-export`: a file, or a directory to put newman's
    /// default name in.
    pub json_export: Option<PathBuf>,
    /// `--reporter-junit-export`, the same way.
    pub junit_export: Option<PathBuf>,
    /// When the run starts: the default file names' timestamp.
    pub now: SystemTime,
}

/// newman's file timestamp: the ISO time with every run of non-digits
/// turned into `-` (`2026-12-03-14-30-40-123-`), then its `0` suffix.
fn timestamp(now: SystemTime) -> String {
    let iso = humantime::format_rfc3339_millis(now).to_string();
    let mut out = String::with_capacity(iso.len() + 1);
    let mut in_gap = false;
    for c in iso.chars() {
        if c.is_ascii_digit() {
            out.push(c);
            in_gap = false;
        } else if !in_gap {
            out.push('-');
            in_gap = true;
        }
    }
    out.push('0');
    out
}

/// Where a report goes: the path given, or newman's default name
/// (`newman/newman-run-report-<timestamp>.json`, `.xml`) when none is
/// given or the path is an existing directory. Kept as newman names them
/// so CI jobs collecting `newman/*.xml` keep finding them.
pub fn export_path(given: Option<&Path>, extension: &str, now: SystemTime) -> PathBuf {
    let file = format!("newman-run-report-{}.{extension}", timestamp(now));
    match given {
        Some(p) if p.is_dir() => p.join(file),
        Some(p) => p.to_path_buf(),
        None => Path::new("newman").join(file),
    }
}

/// One reporter by its `-r` name.
pub fn by_name(
    name: &str,
    options: &mut ReporterOptions,
) -> Result<Box<dyn Reporter>, ReporterError> {
    match name {
        "cli" => {
            let out = options.cli_out.take().ok_or(ReporterError::CliTaken)?;
            Ok(Box::new(CliReporter::new(out, options.cli.clone())))
        }
        "json" => {
            let path = export_path(options.json_export.as_deref(), "json", options.now);
            JsonReporter::create(&path)
                .map(|r| Box::new(r) as Box<dyn Reporter>)
                .map_err(|source| ReporterError::Create {
                    reporter: "json",
                    path,
                    source,
                })
        }
        "junit" => {
            let path = export_path(options.junit_export.as_deref(), "xml", options.now);
            JunitReporter::create(&path)
                .map(|r| Box::new(r) as Box<dyn Reporter>)
                .map_err(|source| ReporterError::Create {
                    reporter: "junit",
                    path,
                    source,
                })
        }
        other => Err(ReporterError::Unknown {
            name: other.to_string(),
        }),
    }
}

/// `cli,json,junit` (names may also come from repeated `-r`): each known
/// name once, in the order given. Every name is checked before any file
/// is created, so a typo leaves no temporary report behind.
pub fn from_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    options: &mut ReporterOptions,
) -> Result<Reporters, ReporterError> {
    let mut wanted: Vec<&str> = Vec::new();
    for name in names
        .into_iter()
        .flat_map(|n| n.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        if !KNOWN.contains(&name) {
            return Err(ReporterError::Unknown {
                name: name.to_string(),
            });
        }
        if !wanted.contains(&name) {
            wanted.push(name);
        }
    }
    let mut out = Vec::new();
    for name in wanted {
        out.push(by_name(name, options)?);
    }
    Ok(Reporters(out))
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::*;
    use crate::runner::report::fixtures;
    use crate::runner::report::Event;

    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn options(out: &Shared, dir: &Path) -> ReporterOptions {
        ReporterOptions {
            cli_out: Some(Box::new(out.clone())),
            cli: CliStyle::default(),
            json_export: Some(dir.join("run.json")),
            junit_export: Some(dir.to_path_buf()),
            now: fixtures::started(),
        }
    }

    #[test]
    fn default_names_are_newmans() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_millis(1_780_000_000_123);
        assert_eq!(timestamp(now), "2026-05-28-20-26-40-123-0");
        assert_eq!(
            export_path(None, "json", now),
            Path::new("newman/newman-run-report-2026-05-28-20-26-40-123-0.json")
        );
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            export_path(Some(dir.path()), "xml", now),
            dir.path()
                .join("newman-run-report-2026-05-28-20-26-40-123-0.xml")
        );
        let file = dir.path().join("mine.xml");
        assert_eq!(export_path(Some(&file), "xml", now), file);
    }

    #[test]
    fn unknown_names_list_the_known_ones_and_create_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = Shared::default();
        let mut o = options(&out, dir.path());
        let err = from_names(["json,html"], &mut o).err().unwrap();
        assert_eq!(
            err.to_string(),
            "unknown reporter `html`: postie has cli, json, junit"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn the_three_reporters_share_one_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = Shared::default();
        let mut o = options(&out, dir.path());
        let mut all = from_names(["cli, json", "junit,cli"], &mut o).unwrap();
        assert_eq!(all.0.len(), 3, "duplicates are dropped");
        let info = fixtures::info("C", 1, 5);
        all.on(&Event::Start(&info)).unwrap();
        let runs = fixtures::iteration(0);
        for e in &runs {
            all.on(&Event::Executed(e)).unwrap();
        }
        all.on(&Event::Done(&fixtures::summary("C", 1, &runs)))
            .unwrap();
        assert!(String::from_utf8(out.0.lock().unwrap().clone())
            .unwrap()
            .contains("→ Broken script"));
        assert!(dir.path().join("run.json").is_file());
        let xml = dir
            .path()
            .join("newman-run-report-2026-05-28-20-26-40-123-0.xml");
        assert!(xml.is_file());
    }

    #[test]
    fn the_cli_cannot_be_made_twice() {
        let dir = tempfile::tempdir().unwrap();
        let out = Shared::default();
        let mut o = options(&out, dir.path());
        assert!(by_name("cli", &mut o).is_ok());
        assert!(matches!(
            by_name("cli", &mut o),
            Err(ReporterError::CliTaken)
        ));
    }

    #[test]
    fn an_unwritable_export_names_the_reporter_and_path() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        fs::write(&blocker, "x").unwrap();
        let out = Shared::default();
        let mut o = options(&out, dir.path());
        o.json_export = Some(blocker.join("r.json"));
        let err = by_name("json", &mut o).err().unwrap();
        assert!(err
            .to_string()
            .starts_with("cannot write the json report to "));
    }

    /// One reporter failing does not stop the others from seeing events.
    #[test]
    fn a_failing_reporter_does_not_silence_the_rest() {
        struct Broken;
        impl Reporter for Broken {
            fn on(&mut self, _: &Event<'_>) -> std::io::Result<()> {
                Err(std::io::Error::other("disk full"))
            }
        }
        let out = Shared::default();
        let cli = CliReporter::new(Box::new(out.clone()), CliStyle::default());
        let mut all = Reporters(vec![Box::new(Broken), Box::new(cli)]);
        let info = fixtures::info("C", 1, 1);
        let err = all.on(&Event::Start(&info)).unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert!(!out.0.lock().unwrap().is_empty());
    }
}
