//! Atomic file replacement: a reader (or a crash) sees the old file or the
//! new one, never half of each.

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temp file in the same directory,
/// fsyncs it, renames it over `path`, then fsyncs the directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    let done = file.commit();
    match &done {
        Ok(()) => {
            tracing::debug!(target: "postie::storage", path = %path.display(), bytes = bytes.len(), "file saved")
        }
        Err(e) => {
            tracing::warn!(target: "postie::storage", path = %path.display(), error = %e, "file not saved")
        }
    }
    done
}

/// [`write_atomic`] for a file only its owner may read (a token): the
/// temporary file is created owner-only, so no reader ever sees it open.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = AtomicFile::create_with(path, true)?;
    file.write_all(bytes)?;
    file.commit()
}

/// A file written as it goes to a temporary file beside its final name and
/// renamed into place when complete (a streamed report), so a crash never
/// leaves half a file under the name readers use; dropped uncommitted, the
/// temporary file is removed.
pub struct AtomicFile {
    dest: PathBuf,
    tmp: PathBuf,
    /// `None` once committed: nothing left to clean up.
    out: Option<BufWriter<File>>,
}

impl AtomicFile {
    /// Creates the temporary file beside `dest` (whose directory must
    /// exist). `dest` itself is not touched until `commit`.
    pub fn create(dest: &Path) -> io::Result<AtomicFile> {
        AtomicFile::create_with(dest, false)
    }

    fn create_with(dest: &Path, private: bool) -> io::Result<AtomicFile> {
        let file_name = dest
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
        let dir = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let prefix = format!(".{}.tmp-", file_name.to_string_lossy());
        sweep_stale(&dir, &prefix);
        let tmp = dir.join(format!(
            "{prefix}{}-{:08x}",
            std::process::id(),
            fastrand::u32(..)
        ));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = private;
        let file = options.open(&tmp)?;
        Ok(AtomicFile {
            dest: dest.to_path_buf(),
            tmp,
            out: Some(BufWriter::new(file)),
        })
    }

    /// Flushes and fsyncs the file, renames it over `dest`, then fsyncs
    /// the directory so the rename itself survives a crash.
    pub fn commit(mut self) -> io::Result<()> {
        let Some(out) = self.out.take() else {
            return Ok(());
        };
        let result = (|| {
            let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&self.tmp, &self.dest)
        })();
        if result.is_err() {
            let _ = fs::remove_file(&self.tmp);
        }
        result?;
        // Directory fsync is best-effort: not every platform allows opening one.
        if let Some(dir) = self.dest.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Ok(d) = File::open(dir) {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.out
            .as_mut()
            .ok_or_else(|| io::Error::other("report already committed"))
    }
}

/// Removes temporary files named `<prefix><pid>-<n>` that a process which
/// is gone left behind (killed mid-save), so they never pile up. A file of
/// a live process (another postie saving now) is left alone.
fn sweep_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(prefix)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != std::process::id() && !process_alive(pid, &entry.path()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether process `pid` may still be writing `file`: on Linux, whether it
/// exists; elsewhere, whether the file changed in the last ten minutes.
fn process_alive(pid: u32, file: &Path) -> bool {
    let proc = Path::new("/proc");
    if proc.join("self").exists() {
        return proc.join(pid.to_string()).exists();
    }
    let recent = |m: fs::Metadata| {
        m.modified()
            .ok()
            .and_then(|t| t.elapsed().ok())
            .map_or(true, |age| age < std::time::Duration::from_secs(600))
    };
    fs::metadata(file).map(recent).unwrap_or(false)
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.writer()?.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(out) = self.out.take() {
            drop(out);
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temp_behind() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        fs::write(&p, b"old").unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn missing_directory_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope").join("a.json");
        assert!(write_atomic(&p, b"x").is_err());
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn nothing_appears_under_the_final_name_until_commit() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("report.json");
        let mut f = AtomicFile::create(&dest).unwrap();
        f.write_all(b"{\"half\":").unwrap();
        f.flush().unwrap();
        assert!(!dest.exists());
        f.write_all(b"1}").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&dest).unwrap(), "{\"half\":1}");
        assert_eq!(names(dir.path()), ["report.json"]);
    }

    #[test]
    fn an_abandoned_report_leaves_no_file_behind() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("report.xml");
        fs::write(&dest, "old").unwrap();
        {
            let mut f = AtomicFile::create(&dest).unwrap();
            f.write_all(b"<half").unwrap();
        }
        assert_eq!(fs::read_to_string(&dest).unwrap(), "old");
        assert_eq!(names(dir.path()), ["report.xml"]);
    }
}
