//! Where a practice's files live, and the claim a running program holds on that folder.

use std::fs::{self, File, TryLockError};
use std::path::{Path, PathBuf};

use crate::error::{VaultError, VaultResult};

/// The environment variable that moves the data folder (tests, the demo).
pub const DATA_DIR_VARIABLE: &str = "CHARTKEEP_DATA_DIR";

/// The folder holding one practice's vault: the encrypted database, the key-slot file, the
/// failed-login buffer, logs and crash reports. Nothing in it holds patient data in the clear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    root: PathBuf,
}

impl DataDir {
    pub fn at(root: impl Into<PathBuf>) -> DataDir {
        DataDir { root: root.into() }
    }

    /// `CHARTKEEP_DATA_DIR` when set, otherwise the OS's per-user application data folder.
    /// Development builds use a folder of their own so they never touch a practice's real data.
    pub fn from_environment() -> VaultResult<DataDir> {
        if let Some(path) = std::env::var_os(DATA_DIR_VARIABLE).filter(|value| !value.is_empty()) {
            return Ok(DataDir::at(path));
        }
        let base = dirs::data_dir().ok_or_else(|| VaultError::Io {
            path: PathBuf::from("~"),
            source: std::io::Error::other("the system has no per-user data folder"),
        })?;
        let name = if cfg!(debug_assertions) { "Chartkeep (development)" } else { "Chartkeep" };
        Ok(DataDir::at(base.join(name)))
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
    pub fn database(&self) -> PathBuf {
        self.root.join("chartkeep.db")
    }
    pub fn key_slots(&self) -> PathBuf {
        self.root.join("keyslots.json")
    }
    pub fn failed_logins(&self) -> PathBuf {
        self.root.join("failed-logins.jsonl")
    }
    /// Failed sign-in counters per account (no patient data), kept across restarts.
    pub fn sign_in_throttle(&self) -> PathBuf {
        self.root.join("sign-in-throttle.json")
    }
    pub fn workstation(&self) -> PathBuf {
        self.root.join("workstation.json")
    }
    pub fn logs(&self) -> PathBuf {
        self.root.join("logs")
    }
    pub fn crash_reports(&self) -> PathBuf {
        self.root.join("crash-reports")
    }
    pub fn pre_migration_copies(&self) -> PathBuf {
        self.root.join("pre-migration")
    }
    fn lock_file(&self) -> PathBuf {
        self.root.join("chartkeep.lock")
    }

    pub fn holds_vault(&self) -> bool {
        self.key_slots().exists() || self.database().exists()
    }

    /// Creates the folder (owner-only) when missing and claims it for this process. A second
    /// program on the same folder gets `AlreadyRunning`; the claim ends when the value is dropped
    /// or the process exits.
    pub fn claim(&self) -> VaultResult<ClaimedDataDir> {
        create_private_dir(&self.root)?;
        let path = self.lock_file();
        let file =
            File::options().create(true).truncate(false).write(true).open(&path).map_err(VaultError::io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(ClaimedDataDir { data_dir: self.clone(), _lock: file }),
            Err(TryLockError::WouldBlock) => Err(VaultError::AlreadyRunning(self.root.clone())),
            Err(TryLockError::Error(error)) => Err(VaultError::Io { path, source: error }),
        }
    }
}

/// Creates a folder readable only by its owner.
pub fn create_private_dir(path: &Path) -> VaultResult<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(VaultError::io(path))
}

/// Proof that this process holds the data folder: every vault operation takes one.
#[derive(Debug)]
pub struct ClaimedDataDir {
    data_dir: DataDir,
    _lock: File,
}

impl ClaimedDataDir {
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_on_the_same_folder_is_refused_until_the_first_ends() {
        let folder = tempfile::tempdir().unwrap();
        let data_dir = DataDir::at(folder.path().join("practice"));
        let first = data_dir.claim().unwrap();
        assert!(matches!(data_dir.claim(), Err(VaultError::AlreadyRunning(_))));
        drop(first);
        assert!(data_dir.claim().is_ok());
    }
}
