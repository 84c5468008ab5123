//! A snapshot: the database copied into a file of its own, still encrypted with the database
//! key. It is made with SQLite's backup API from a second connection that holds one read
//! transaction throughout, so the copy is consistent as of its start while the app keeps
//! working (in WAL mode a reader does not block the writer). The file is removed when the
//! value is dropped, unless it was installed as the practice's database.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::BackupSource;
use super::{BackupProgress, BackupStep, ProgressCallback};
use crate::data_dir::create_private_dir;
use crate::database::{open_encrypted, open_keyed, open_reader};
use crate::error::{VaultError, VaultResult};
use crate::secrets::DatabaseKey;

/// Pages copied per step: 16 MiB with SQLCipher's 4 KiB pages, small enough for smooth progress.
const PAGES_PER_STEP: i32 = 4096;

/// A snapshot file and the key that opens it.
#[derive(Debug)]
pub struct Snapshot {
    path: PathBuf,
    pub(crate) key: DatabaseKey,
    /// Set once the file has become the practice's database, so it is not removed.
    installed: bool,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        if !self.installed {
            for path in [
                self.path.clone(),
                with_suffix(&self.path, "-journal"),
                with_suffix(&self.path, "-wal"),
                with_suffix(&self.path, "-shm"),
            ] {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// What checking a snapshot found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotCheck {
    /// Every problem found, in words; empty when the snapshot is sound.
    pub problems: Vec<String>,
    pub schema_version: u32,
    pub row_counts: BTreeMap<String, u64>,
}

impl BackupSource {
    /// Copies the database into a snapshot file in `work_folder`.
    pub fn take_snapshot(&self, work_folder: &Path, progress: ProgressCallback<'_>) -> VaultResult<Snapshot> {
        create_private_dir(work_folder)?;
        let snapshot = Snapshot::new(work_folder, self.key.clone());
        let source = open_reader(&self.database, &snapshot.key)?;
        // One read transaction for the whole copy: every step reads the same version.
        source.execute_batch("BEGIN")?;
        source.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
        let mut target = open_keyed(&snapshot.path, &snapshot.key)?;
        // A snapshot that is cut off is thrown away, never used: no journal and no fsync while
        // it is written (the backup file made from it is fsynced).
        target.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
        {
            let backup = Backup::new(&source, &mut target)?;
            loop {
                let step = backup.step(PAGES_PER_STEP)?;
                let pages = backup.progress();
                let page_bytes = 4096u64;
                let report = BackupProgress {
                    step: BackupStep::Snapshot,
                    done: (pages.pagecount - pages.remaining).max(0) as u64 * page_bytes,
                    total: pages.pagecount.max(0) as u64 * page_bytes,
                };
                if !progress(report) {
                    return Err(VaultError::Cancelled);
                }
                match step {
                    StepResult::Done => break,
                    StepResult::More => {}
                    _ => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
        }
        crate::failpoints::hit("snapshot.copied")?;
        // The copied header says WAL; a snapshot is one self-contained file.
        target.pragma_update(None, "journal_mode", "DELETE")?;
        target.close().map_err(|(_, error)| VaultError::Database(error))?;
        source.execute_batch("COMMIT")?;
        Ok(snapshot)
    }
}

impl Snapshot {
    pub(crate) fn new(work_folder: &Path, key: DatabaseKey) -> Snapshot {
        let path = work_folder.join(format!("snapshot-{}.db", uuid::Uuid::new_v4()));
        Snapshot { path, key, installed: false }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn size(&self) -> VaultResult<u64> {
        Ok(std::fs::metadata(&self.path).map_err(VaultError::io(&self.path))?.len())
    }

    /// Opens the snapshot read-only.
    pub fn open_read_only(&self) -> VaultResult<Connection> {
        crate::database::open_snapshot(&self.path, &self.key)
    }

    /// Opens the snapshot to change it before it is restored: brought up to the current schema
    /// (an older backup is migrated; a newer one is refused), with the usual settings.
    pub fn open_for_restore(&self) -> VaultResult<Connection> {
        let copies = self.path.with_extension("pre-migration");
        let connection = open_encrypted(&self.path, &self.key, &copies)?;
        let _ = std::fs::remove_dir_all(&copies);
        Ok(connection)
    }

    /// Checks every page's HMAC, then SQLite's own structure, and counts the rows of each table.
    pub fn check(&self, progress: ProgressCallback<'_>) -> VaultResult<SnapshotCheck> {
        let total = self.size()?;
        if !progress(BackupProgress { step: BackupStep::Checking, done: 0, total }) {
            return Err(VaultError::Cancelled);
        }
        let connection = match self.open_read_only() {
            Ok(connection) => connection,
            Err(VaultError::DatabaseUnreadable) => {
                return Ok(SnapshotCheck {
                    problems: vec!["the database does not open with the backup's key".into()],
                    schema_version: 0,
                    row_counts: BTreeMap::new(),
                });
            }
            Err(error) => return Err(error),
        };
        let problems = crate::database::integrity_problems(&connection);
        if problems.iter().any(|problem| problem.starts_with("page check")) {
            // A page that fails its HMAC leaves the connection unusable; report what was found.
            return Ok(SnapshotCheck { problems, schema_version: 0, row_counts: BTreeMap::new() });
        }
        let schema_version: u32 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        let row_counts = row_counts(&connection)?;
        if !progress(BackupProgress { step: BackupStep::Checking, done: total, total }) {
            return Err(VaultError::Cancelled);
        }
        Ok(SnapshotCheck { problems, schema_version, row_counts })
    }

    /// The practice key for one purpose in the snapshot, as
    /// [`crate::UnlockedVault::practice_key`] gives it (for checking its audit chain).
    pub fn practice_key(&self, purpose: &str) -> VaultResult<zeroize::Zeroizing<[u8; 32]>> {
        let connection = self.open_read_only()?;
        crate::practice_keys::practice_key_in(&connection, &self.key, purpose)
    }

    /// Marks the file as the practice's database now, so dropping the value keeps it.
    pub(crate) fn mark_installed(&mut self) {
        self.installed = true;
    }
}

/// Rows in every table of the database (SQLite's own tables left out).
pub(crate) fn row_counts(connection: &Connection) -> VaultResult<BTreeMap<String, u64>> {
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    let mut counts = BTreeMap::new();
    for table in tables {
        let quoted = table.replace('"', "\"\"");
        let count: i64 = connection.query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |row| row.get(0))?;
        counts.insert(table, count.max(0) as u64);
    }
    Ok(counts)
}
