//! The walk below the roots: which entries are read, and what a failure to read one means.

use std::fs::{File, FileType};
use std::io::Read;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{FileTypeExt, MetadataExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::matcher::Hit;
use super::{Finding, ScanReport, Scanner};

/// Files up to this size are read whole; larger ones in chunks of this size.
const WHOLE_FILE: u64 = 256 << 20;
const CHUNK: usize = 16 << 20;

/// File systems that hold no data at rest and must not be read as files (procfs would offer
/// every process's memory).
const PSEUDO_FILE_SYSTEMS: &[&str] = &[
    "proc",
    "sysfs",
    "devpts",
    "cgroup",
    "cgroup2",
    "securityfs",
    "debugfs",
    "tracefs",
    "pstore",
    "bpf",
    "configfs",
    "fusectl",
    "mqueue",
    "hugetlbfs",
    "binfmt_misc",
    "efivarfs",
    "autofs",
    "rpc_pipefs",
    "nsfs",
];

/// The path with links resolved, or as given when it does not exist.
pub fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

pub fn walk(scanner: &Scanner, roots: &[&Path], report: &mut ScanReport) {
    let pseudo = pseudo_mounts();
    let mut roots: Vec<PathBuf> = roots.iter().map(|root| canonical(root)).collect();
    roots.sort();
    roots.dedup();
    let unique: Vec<PathBuf> = roots
        .iter()
        .filter(|root| !roots.iter().any(|other| other != *root && root.starts_with(other)))
        .cloned()
        .collect();
    let mut walker = Walker { scanner, report, pseudo };
    for root in unique {
        match std::fs::symlink_metadata(&root) {
            Ok(metadata) => walker.entry(&root, metadata.file_type()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => walker.failed(&root, &error),
        }
    }
}

struct Walker<'a> {
    scanner: &'a Scanner,
    report: &'a mut ScanReport,
    pseudo: Vec<(PathBuf, String)>,
}

impl Walker<'_> {
    fn entry(&mut self, path: &Path, kind: FileType) {
        if kind.is_dir() {
            self.folder(path);
        } else if kind.is_file() {
            self.file(path);
        } else if kind.is_symlink() {
            match std::fs::read_link(path) {
                Ok(target) => self.record(path, target.as_os_str().as_bytes(), ", in the link's target"),
                Err(error) => self.failed(path, &error),
            }
        } else {
            let what = if kind.is_socket() {
                "a socket"
            } else if kind.is_fifo() {
                "a FIFO"
            } else if kind.is_char_device() {
                "a character device"
            } else {
                "a block device"
            };
            self.report.not_scanned.push((path.to_path_buf(), what.to_owned()));
        }
    }

    fn folder(&mut self, folder: &Path) {
        if self.scanner.skipped.iter().any(|skipped| skipped == folder) {
            return;
        }
        if let Some((_, kind)) = self.pseudo.iter().find(|(mount, _)| mount == folder) {
            self.report.not_scanned.push((folder.to_path_buf(), format!("a {kind} file system")));
            return;
        }
        let entries = match std::fs::read_dir(folder) {
            Ok(entries) => entries,
            Err(error) => return self.failed(folder, &error),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => return self.failed(folder, &error),
            };
            let path = entry.path();
            self.record(&path, entry.file_name().as_bytes(), ", in the file's name");
            match entry.file_type() {
                Ok(kind) => self.entry(&path, kind),
                Err(error) => self.failed(&path, &error),
            }
        }
    }

    fn file(&mut self, path: &Path) {
        if self.scanner.excluded.iter().any(|excluded| path.starts_with(excluded)) {
            self.report.excluded.push(path.to_path_buf());
            return;
        }
        if let Some(since) = self.scanner.changed_since {
            match std::fs::symlink_metadata(path) {
                Ok(metadata) if changed_at(&metadata) < since => {
                    self.report.unchanged += 1;
                    return;
                }
                Ok(_) => {}
                Err(error) => return self.failed(path, &error),
            }
        }
        if let Err(error) = self.read(path) {
            self.failed(path, &error);
        }
    }

    fn read(&mut self, path: &Path) -> std::io::Result<()> {
        let mut file = File::open(path)?;
        let size = file.metadata()?.len();
        self.report.files_read += 1;
        if size <= WHOLE_FILE {
            let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
            file.read_to_end(&mut bytes)?;
            self.count(bytes.len());
            self.record(path, &bytes, "");
            return Ok(());
        }
        // In chunks that overlap by the longest form, so nothing is missed at a seam. (A
        // compressed stream running over a seam is inflated only as far as its chunk goes.)
        let overlap = self.scanner.matcher.longest();
        let mut chunk = vec![0u8; CHUNK + overlap];
        let mut kept = 0;
        loop {
            let read = read_full(&mut file, &mut chunk[kept..])?;
            if read == 0 {
                return Ok(());
            }
            self.count(read);
            self.record(path, &chunk[..kept + read], "");
            let end = kept + read;
            kept = overlap.min(end);
            chunk.copy_within(end - kept..end, 0);
        }
    }

    fn count(&mut self, bytes: usize) {
        self.report.bytes_read += u64::try_from(bytes).unwrap_or(u64::MAX);
    }

    /// Records what `bytes` (a file's content, name or link target) hold.
    fn record(&mut self, path: &Path, bytes: &[u8], what: &str) {
        let hits = if what.is_empty() {
            self.scanner.matcher.hits(bytes)
        } else {
            let mut hits = Vec::new();
            self.scanner.matcher.collect_plain(bytes, what, &mut hits);
            hits
        };
        for Hit { canary, form } in hits {
            let finding = Finding { file: path.to_path_buf(), canary: self.scanner.canaries[canary].clone(), form };
            if !self.report.findings.contains(&finding) {
                self.report.findings.push(finding);
            }
        }
    }

    /// A failure to read `path`: a skip if it no longer exists, or (when allowed) if it is
    /// another user's and closed to this one; a failure of the scan if not.
    fn failed(&mut self, path: &Path, error: &std::io::Error) {
        match std::fs::symlink_metadata(path) {
            Err(gone) if gone.kind() == std::io::ErrorKind::NotFound => self.report.vanished += 1,
            Ok(metadata)
                if self.scanner.others_unreadable_allowed
                    && error.kind() == std::io::ErrorKind::PermissionDenied
                    && Some(metadata.uid()) != this_user() =>
            {
                let owner = format!("another user's (uid {}), closed to this one", metadata.uid());
                self.report.not_scanned.push((path.to_path_buf(), owner));
            }
            _ => self.report.unreadable.push((path.to_path_buf(), error.to_string())),
        }
    }
}

/// This process's effective user: the owner of its own /proc entry.
fn this_user() -> Option<u32> {
    std::fs::metadata("/proc/self").ok().map(|metadata| metadata.uid())
}

fn read_full(file: &mut File, buffer: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match file.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(filled)
}

/// When the file's status last changed (ctime): set by the kernel at every write.
fn changed_at(metadata: &std::fs::Metadata) -> SystemTime {
    let seconds = u64::try_from(metadata.ctime()).unwrap_or(0);
    let nanoseconds = u32::try_from(metadata.ctime_nsec()).unwrap_or(0);
    SystemTime::UNIX_EPOCH + Duration::new(seconds, nanoseconds)
}

/// The mount points of pseudo file systems, with their type, from /proc/self/mountinfo.
fn pseudo_mounts() -> Vec<(PathBuf, String)> {
    let Ok(table) = std::fs::read_to_string("/proc/self/mountinfo") else { return Vec::new() };
    table
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            let separator = fields.iter().position(|field| *field == "-")?;
            let kind = *fields.get(separator + 1)?;
            let mount_point = unescape_mount_point(fields.get(4)?);
            PSEUDO_FILE_SYSTEMS.contains(&kind).then(|| (mount_point, kind.to_owned()))
        })
        .collect()
}

/// Mount points in mountinfo write a space, tab, newline and backslash as octal escapes.
fn unescape_mount_point(escaped: &str) -> PathBuf {
    let bytes = escaped.as_bytes();
    let mut plain = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let octal = bytes.get(index + 1..index + 4).and_then(|digits| {
            let text = std::str::from_utf8(digits).ok()?;
            u8::from_str_radix(text, 8).ok()
        });
        match (bytes[index], octal) {
            (b'\\', Some(byte)) => {
                plain.push(byte);
                index += 4;
            }
            (byte, _) => {
                plain.push(byte);
                index += 1;
            }
        }
    }
    PathBuf::from(std::ffi::OsStr::from_bytes(&plain))
}
