//! History on disk: JSON Lines segments in `.postie/history/`
//! (`00000001.jsonl`, …), appended one whole line per write. A kill
//! mid-write tears only the last line, which readers skip; the next writer
//! ends it with a newline first so the records after it stay whole.
//!
//! Bounds: a segment takes a tenth of the record and byte limits, and
//! whole segments are deleted oldest first (at most nine closed segments
//! are kept, and the closed ones leave a segment's room under the byte
//! limit), so history holds between 80% and 100% of its limits.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::record::{Record, RECORD_VERSION};
use super::Limits;

const EXT: &str = "jsonl";
/// Closed segments kept beside the one being written.
const CLOSED_KEPT: usize = 9;

/// The segments in `dir`, oldest first.
pub fn segments(dir: &Path) -> io::Result<Vec<(u64, PathBuf)>> {
    let mut out = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let path = entry?.path();
        let number = (path.extension().is_some_and(|e| e == EXT))
            .then(|| path.file_stem()?.to_str()?.parse::<u64>().ok())
            .flatten();
        if let Some(n) = number {
            out.push((n, path));
        }
    }
    out.sort();
    Ok(out)
}

fn segment_path(dir: &Path, n: u64) -> PathBuf {
    dir.join(format!("{n:08}.{EXT}"))
}

/// Writes records to the newest segment, rotating and compacting as the
/// limits say. One per writer thread.
pub struct Appender {
    dir: PathBuf,
    limits: Limits,
    file: File,
    number: u64,
    /// Records in the current segment (what this writer knows of).
    count: u64,
}

impl Appender {
    /// Opens the newest segment (or the first), ending a torn last line.
    pub fn open(dir: &Path, limits: Limits) -> io::Result<Appender> {
        fs::create_dir_all(dir)?;
        let number = segments(dir)?.last().map_or(1, |(n, _)| *n);
        let (file, count) = open_segment(dir, number)?;
        let a = Appender {
            dir: dir.to_path_buf(),
            limits,
            file,
            number,
            count,
        };
        a.compact()?;
        Ok(a)
    }

    fn segment_records(&self) -> u64 {
        (self.limits.max_records / 10).max(1)
    }

    fn segment_bytes(&self) -> u64 {
        (self.limits.max_bytes / 10).max(1)
    }

    /// Appends one record (`line` without its newline) in one write.
    pub fn append(&mut self, line: &[u8]) -> io::Result<()> {
        let len = self.file.metadata()?.len();
        if self.count >= self.segment_records() || (len > 0 && len >= self.segment_bytes()) {
            self.rotate()?;
        }
        let mut buf = Vec::with_capacity(line.len() + 1);
        buf.extend_from_slice(line);
        buf.push(b'\n');
        self.file.write_all(&buf)?;
        self.count += 1;
        Ok(())
    }

    /// Moves on to a new segment; another postie may have done so already,
    /// then its newest is ours too.
    fn rotate(&mut self) -> io::Result<()> {
        let newest = segments(&self.dir)?.last().map_or(0, |(n, _)| *n);
        self.number = if newest > self.number {
            newest
        } else {
            self.number + 1
        };
        let (file, count) = open_segment(&self.dir, self.number)?;
        self.file = file;
        self.count = count;
        self.compact()
    }

    /// Deletes the oldest segments past the limits.
    fn compact(&self) -> io::Result<()> {
        let all = segments(&self.dir)?;
        let closed: Vec<&(u64, PathBuf)> = all.iter().filter(|(n, _)| *n < self.number).collect();
        let mut sizes: Vec<u64> = (closed.iter())
            .map(|(_, p)| fs::metadata(p).map_or(0, |m| m.len()))
            .collect();
        let mut total: u64 = sizes.iter().sum();
        let mut kept = closed.len();
        for (i, (_, path)) in closed.iter().enumerate() {
            let too_many = kept > CLOSED_KEPT;
            let too_big = total.saturating_add(self.segment_bytes()) > self.limits.max_bytes;
            if !too_many && !too_big {
                break;
            }
            match fs::remove_file(path) {
                Ok(()) => {}
                // Another postie compacted first.
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            total -= sizes[i];
            sizes[i] = 0;
            kept -= 1;
        }
        Ok(())
    }
}

/// Opens segment `n` for appending: its record count, and a newline
/// written after a torn last line.
fn open_segment(dir: &Path, n: u64) -> io::Result<(File, u64)> {
    let path = segment_path(dir, n);
    let mut file = OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(&path)?;
    let mut text = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut text)?;
    let count = memchr::memchr_iter(b'\n', &text).count() as u64;
    if text.last().is_some_and(|b| *b != b'\n') {
        file.write_all(b"\n")?;
    }
    Ok((file, count))
}

/// Something wrong in history that did not stop reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// A line that is not a record (a torn write, a hand edit).
    Corrupt { file: PathBuf, line: usize },
    /// A record written by a newer postie.
    Newer { file: PathBuf, line: usize },
    /// A segment that could not be read at all.
    Unreadable { file: PathBuf, message: String },
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Warning::Corrupt { file, line } => write!(
                f,
                "history: skipped a damaged record at {}:{line}",
                file.display()
            ),
            Warning::Newer { file, line } => write!(
                f,
                "history: skipped a record of a newer postie at {}:{line}",
                file.display()
            ),
            Warning::Unreadable { file, message } => {
                write!(f, "history: cannot read {}: {message}", file.display())
            }
        }
    }
}

/// Every record in `dir`, oldest first, given to `each` one at a time (so
/// a reader keeps only what it wants), and what was skipped.
pub fn read_all(dir: &Path, each: impl FnMut(Record)) -> Vec<Warning> {
    read_where(dir, |_| true, each)
}

/// Whether a record line may have an id starting with `prefix`: records
/// are written with `"id"` second, so a look at the line's start spares
/// parsing the rest (a line that looks otherwise is parsed).
pub fn id_may_match(line: &[u8], prefix: &str) -> bool {
    let head = &line[..line.len().min(64)];
    match memchr::memmem::find(head, b"\"id\":\"") {
        Some(i) => {
            let rest = &head[i + 6..];
            rest.len() < prefix.len() || rest.starts_with(prefix.as_bytes())
        }
        None => true,
    }
}

/// [`read_all`] of the lines `pre` lets through only.
pub fn read_where(
    dir: &Path,
    pre: impl Fn(&[u8]) -> bool,
    mut each: impl FnMut(Record),
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let list = match segments(dir) {
        Ok(l) => l,
        Err(e) => {
            warnings.push(Warning::Unreadable {
                file: dir.to_path_buf(),
                message: e.to_string(),
            });
            return warnings;
        }
    };
    let newest = list.last().map(|(n, _)| *n);
    for (n, path) in &list {
        let bytes = match fs::read(path) {
            Ok(b) => b,
            // Compacted away while we read.
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => {
                warnings.push(Warning::Unreadable {
                    file: path.clone(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let ends_whole = !matches!(bytes.last(), Some(b) if *b != b'\n');
        let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
        let last = lines.len().saturating_sub(1);
        for (i, line) in lines.into_iter().enumerate() {
            if line.iter().all(u8::is_ascii_whitespace) || !pre(line) {
                continue;
            }
            match serde_json::from_slice::<Record>(line) {
                Ok(r) if r.v > RECORD_VERSION => warnings.push(Warning::Newer {
                    file: path.clone(),
                    line: i + 1,
                }),
                Ok(r) => each(r),
                // The newest segment's unfinished last line may be a
                // record being written right now: not worth a warning.
                Err(_) if i == last && !ends_whole && Some(*n) == newest => {}
                Err(_) => warnings.push(Warning::Corrupt {
                    file: path.clone(),
                    line: i + 1,
                }),
            }
        }
    }
    warnings
}
