//! Canary scanning: distinctive synthetic strings are written through the app, then every file
//! that could leak them is searched for every form a program might have written them in (see
//! `forms.rs`), also inside gzip and zlib streams anywhere in a file (`streams.rs`), inside base64
//! text (`base64_text.rs`), and in the names of files and the targets of links.
//!
//! What the walk does with what it meets (`walk.rs`): regular files are read whole (in chunks
//! when large); a file or folder that cannot be read is a failure of the scan, unless it no
//! longer exists (another test's temporary folder, removed while the scan ran); sockets, FIFOs
//! and device nodes hold no data at rest and are listed as not scanned; so are the mounts of
//! pseudo file systems such as procfs (a chroot below /tmp may have one). Links are not followed.
//!
//! With [`Scanner::changed_since`], a file whose status last changed (ctime) before that instant
//! is not read: the canaries are random and made after it, and the kernel sets ctime at every
//! write, so such a file cannot hold them. This keeps a scan of /tmp fast on a machine full of
//! other people's files. (A write through a shared memory mapping on tmpfs does not update
//! ctime, so a tmpfs file that existed before the canaries and was mapped by a process that
//! learned them would be missed; no process the tests start does that.)

mod base64_text;
mod forms;
mod matcher;
mod streams;
#[cfg(test)]
mod tests;
mod walk;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

pub use forms::{forms_of, json_string_body, url_escaped};
use matcher::Matcher;

/// A string that must not reach the disk in plaintext, with what it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canary {
    /// What the string is, e.g. "family name".
    pub what: String,
    pub text: String,
    /// Not unique to this run (an MRN the practice counts up, a date of birth from a small
    /// range): other tests on this machine may write the same text, so it is looked for only in
    /// the test's own folders, never in the shared ones.
    pub local: bool,
}

impl Canary {
    /// A canary unique to this run, looked for everywhere.
    pub fn new(what: impl Into<String>, text: impl Into<String>) -> Canary {
        Canary { what: what.into(), text: text.into(), local: false }
    }

    /// A canary other tests could write too, looked for in the test's own folders only.
    pub fn local(what: impl Into<String>, text: impl Into<String>) -> Canary {
        Canary { local: true, ..Canary::new(what, text) }
    }
}

/// A canary found: the file, the canary and the form it had there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub file: PathBuf,
    pub canary: Canary,
    pub form: String,
}

/// What one scan found and did.
#[derive(Debug, Default)]
pub struct ScanReport {
    pub findings: Vec<Finding>,
    /// Files and folders that exist but could not be read, with the error: failures.
    pub unreadable: Vec<(PathBuf, String)>,
    /// Sockets, FIFOs, devices and pseudo file systems: no data at rest, so not scanned.
    pub not_scanned: Vec<(PathBuf, String)>,
    /// Files skipped because they were on the exclusion list (found below a root).
    pub excluded: Vec<PathBuf>,
    pub files_read: u64,
    pub bytes_read: u64,
    /// Files not read because they did not change since the canaries were made.
    pub unchanged: u64,
    /// Files and folders that disappeared while the scan ran.
    pub vanished: u64,
    pub elapsed: Duration,
}

impl ScanReport {
    /// No canary found and nothing left unread.
    pub fn is_clean(&self) -> bool {
        self.findings.is_empty() && self.unreadable.is_empty()
    }

    /// One line of figures, for a test's report.
    pub fn figures(&self) -> String {
        format!(
            "{} files ({} KiB) read, {} unchanged since the canaries were made, {} excluded, {} not regular, {} vanished, in {} ms",
            self.files_read,
            self.bytes_read / 1024,
            self.unchanged,
            self.excluded.len(),
            self.not_scanned.len(),
            self.vanished,
            self.elapsed.as_millis()
        )
    }

    /// Adds the findings and figures of another scan to this one.
    pub fn merge(&mut self, other: ScanReport) {
        self.findings.extend(other.findings);
        self.unreadable.extend(other.unreadable);
        self.not_scanned.extend(other.not_scanned);
        self.excluded.extend(other.excluded);
        self.files_read += other.files_read;
        self.bytes_read += other.bytes_read;
        self.unchanged += other.unchanged;
        self.vanished += other.vanished;
        self.elapsed += other.elapsed;
    }

    /// Every finding and unreadable file, one per line.
    pub fn problems(&self) -> String {
        let mut lines: Vec<String> = self
            .findings
            .iter()
            .map(|finding| {
                format!(
                    "{}: the {} {:?} as {}",
                    finding.file.display(),
                    finding.canary.what,
                    finding.canary.text,
                    finding.form
                )
            })
            .collect();
        lines.extend(self.unreadable.iter().map(|(path, error)| format!("{}: unreadable: {error}", path.display())));
        lines.join("\n")
    }
}

/// Scans files for a set of canaries.
#[derive(Debug)]
pub struct Scanner {
    canaries: Vec<Canary>,
    matcher: Matcher,
    excluded: Vec<PathBuf>,
    skipped: Vec<PathBuf>,
    changed_since: Option<SystemTime>,
    others_unreadable_allowed: bool,
}

impl Scanner {
    pub fn new(canaries: &[Canary]) -> Scanner {
        Scanner {
            canaries: canaries.to_vec(),
            matcher: Matcher::new(canaries),
            excluded: Vec::new(),
            skipped: Vec::new(),
            changed_since: None,
            others_unreadable_allowed: false,
        }
    }

    /// Files the user saved on purpose and the test's own input files: not read. A folder
    /// excludes what is below it. Nothing else is excluded.
    pub fn excluding(mut self, paths: &[&Path]) -> Scanner {
        self.excluded.extend(paths.iter().map(|path| walk::canonical(path)));
        self
    }

    /// Folders not walked at all (another scan covers them).
    pub fn skipping(mut self, folders: &[&Path]) -> Scanner {
        self.skipped.extend(folders.iter().map(|path| walk::canonical(path)));
        self
    }

    /// For the folders every user of the machine shares: a file or folder this user may not
    /// read and does not own is listed as not scanned instead of failing the scan. The programs
    /// a test starts run as this user and can only make files it owns, so such a file cannot
    /// hold their canaries; one this user owns and cannot read still fails.
    pub fn allowing_others_unreadable(mut self) -> Scanner {
        self.others_unreadable_allowed = true;
        self
    }

    /// Reads only files whose status changed at or after `instant` (see the module's notes).
    pub fn changed_since(mut self, instant: SystemTime) -> Scanner {
        self.changed_since = Some(instant);
        self
    }

    /// Scans every file below `roots` (a root may be a file). Roots below another root are
    /// scanned once; roots that do not exist are skipped.
    pub fn scan(&self, roots: &[&Path]) -> ScanReport {
        let started = Instant::now();
        let mut report = ScanReport::default();
        walk::walk(self, roots, &mut report);
        report.elapsed = started.elapsed();
        report
    }

    /// The canaries found in `bytes`, with their forms (for tests of the scanner itself).
    pub fn find_in(&self, bytes: &[u8]) -> Vec<(Canary, String)> {
        self.matcher.hits(bytes).into_iter().map(|hit| (self.canaries[hit.canary].clone(), hit.form)).collect()
    }
}

/// Every regular file below `root` (symbolic links are not followed).
pub fn files_below(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else { return files };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            files.extend(files_below(&entry.path()));
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    files
}

/// The files under `roots` that hold any of `canaries` in any form, as (file, canary); a file
/// that could not be read is listed with the canary "(unreadable)".
pub fn find_canaries(roots: &[&Path], canaries: &[&str]) -> Vec<(PathBuf, String)> {
    let canaries: Vec<Canary> = canaries.iter().map(|text| Canary::new("canary", *text)).collect();
    let report = Scanner::new(&canaries).scan(roots);
    let mut found: Vec<(PathBuf, String)> =
        report.findings.into_iter().map(|finding| (finding.file, finding.canary.text)).collect();
    found.dedup();
    found.extend(report.unreadable.into_iter().map(|(path, _)| (path, "(unreadable)".to_owned())));
    found
}
