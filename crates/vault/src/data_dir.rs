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

    /// `CHARTKEEP_DATA_DIR` when set, otherwise the OS's per-user application data folder that
    /// stays on this PC: `~/.local/share` on Linux, `~/Library/Application Support` on macOS,
    /// `%LOCALAPPDATA%` on Windows (not the Roaming folder `dirs::data_dir` gives there, which a
    /// domain may copy to a server at every sign-out). Development builds use a folder of their
    /// own so they never touch a practice's real data.
    pub fn from_environment() -> VaultResult<DataDir> {
        if let Some(path) = std::env::var_os(DATA_DIR_VARIABLE).filter(|value| !value.is_empty()) {
            return Ok(DataDir::at(path));
        }
        Self::under_the_systems_data_folder()
    }

    fn under_the_systems_data_folder() -> VaultResult<DataDir> {
        let base = dirs::data_local_dir().ok_or_else(|| VaultError::Io {
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
    /// or the process exits. A folder that exists is narrowed to its owner: the folder and every
    /// folder in it 0700, every file 0600 (an older Chartkeep created some 0644).
    pub fn claim(&self) -> VaultResult<ClaimedDataDir> {
        create_private_dir(&self.root)?;
        let path = self.lock_file();
        let mut options = File::options();
        options.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&path).map_err(VaultError::io(&path))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(VaultError::AlreadyRunning(self.root.clone())),
            Err(TryLockError::Error(error)) => return Err(VaultError::Io { path, source: error }),
        }
        // Narrowed only once the folder is ours: another process still closing its files would
        // otherwise have them vanish under the walk.
        restrict_to_owner(&self.root)?;
        Ok(ClaimedDataDir { data_dir: self.clone(), _lock: file })
    }
}

/// Creates a folder readable only by its owner (on Windows: with an owner-only ACL, which what
/// is created in it inherits).
pub fn create_private_dir(path: &Path) -> VaultResult<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path).map_err(VaultError::io(path))?;
    #[cfg(windows)]
    chartkeep_windows::owner_only::restrict_to_owner(path).map_err(VaultError::io(path))?;
    Ok(())
}

/// Narrows `folder` and everything in it to its owner: modes 0700 and 0600 on Unix, a protected
/// ACL that lets only the current user in on Windows. Symbolic links are left alone (their own
/// mode means nothing) and never followed.
pub fn restrict_to_owner(folder: &Path) -> VaultResult<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::symlink_metadata(folder).map_err(VaultError::io(folder))?;
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        let wanted = if meta.is_dir() { 0o700 } else { 0o600 };
        if meta.permissions().mode() & 0o777 != wanted {
            fs::set_permissions(folder, fs::Permissions::from_mode(wanted)).map_err(VaultError::io(folder))?;
        }
        if meta.is_dir() {
            for entry in fs::read_dir(folder).map_err(VaultError::io(folder))? {
                let entry = entry.map_err(VaultError::io(folder))?;
                match restrict_to_owner(&entry.path()) {
                    // A file removed while the folder is walked (SQLite's journal, a finished
                    // temporary file) needs no narrowing.
                    Err(VaultError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {}
                    other => other?,
                }
            }
        }
    }
    #[cfg(windows)]
    {
        let meta = fs::symlink_metadata(folder).map_err(VaultError::io(folder))?;
        if meta.file_type().is_symlink() {
            return Ok(());
        }
        chartkeep_windows::owner_only::restrict_to_owner(folder).map_err(VaultError::io(folder))?;
        if meta.is_dir() {
            for entry in fs::read_dir(folder).map_err(VaultError::io(folder))? {
                let entry = entry.map_err(VaultError::io(folder))?;
                restrict_to_owner(&entry.path())?;
            }
        }
    }
    #[cfg(not(any(unix, windows)))]
    let _ = folder;
    Ok(())
}

/// Narrows a file just created outside the data folder (an export, a backup, a Recovery Kit) to
/// its owner, where that takes a call of its own: on Windows an owner-only ACL (on Unix the file
/// was created with mode 0600 already). A disk that keeps no permissions (a FAT-formatted USB
/// stick) keeps its own rules and the write goes ahead, because the person chose that place.
pub fn narrow_new_file_to_owner(path: &Path) {
    #[cfg(windows)]
    if let Err(error) = chartkeep_windows::owner_only::restrict_to_owner(path) {
        tracing::warn!(%error, "a new file's access could not be narrowed to its owner");
    }
    #[cfg(not(windows))]
    let _ = path;
}

/// Flushes a file already written and closed to the disk. It is opened for writing: Windows
/// refuses to flush a handle opened only for reading (FlushFileBuffers needs write access), which
/// once made the pre-migration copy and the key rotation fail there with "Access denied".
pub(crate) fn sync_written_file(path: &Path) -> VaultResult<()> {
    fs::OpenOptions::new().write(true).open(path).and_then(|file| file.sync_all()).map_err(VaultError::io(path))
}

/// Makes every file and folder this process creates from now on private to its owner (umask
/// 077), whatever the mode its code asks for: logs, exports, the webview's own files. Windows
/// has no umask: there what is created in the data folder inherits its owner-only ACL, and
/// exports and backups are narrowed one by one ([`narrow_new_file_to_owner`]).
pub fn restrict_new_files_to_owner() {
    #[cfg(unix)]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
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

    #[cfg(unix)]
    #[test]
    fn claiming_a_folder_narrows_what_an_older_version_left_open() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("practice");
        fs::create_dir_all(root.join("logs")).unwrap();
        for (path, mode) in [(root.clone(), 0o755), (root.join("logs"), 0o775)] {
            fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        }
        for file in ["keyslots.json", "logs/chartkeep.log"] {
            fs::write(root.join(file), b"x").unwrap();
            fs::set_permissions(root.join(file), fs::Permissions::from_mode(0o644)).unwrap();
        }
        let outside = folder.path().join("outside.txt");
        fs::write(&outside, b"x").unwrap();
        fs::set_permissions(&outside, fs::Permissions::from_mode(0o644)).unwrap();
        std::os::unix::fs::symlink(&outside, root.join("link")).unwrap();
        let _claim = DataDir::at(&root).claim().unwrap();
        let mode = |path: &Path| fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&root), 0o700);
        assert_eq!(mode(&root.join("logs")), 0o700);
        assert_eq!(mode(&root.join("keyslots.json")), 0o600);
        assert_eq!(mode(&root.join("logs/chartkeep.log")), 0o600);
        assert_eq!(mode(&outside), 0o644, "a link's target outside the folder is not touched");
    }

    #[cfg(windows)]
    #[test]
    fn claiming_a_folder_narrows_it_and_what_is_in_it_to_the_owner() {
        use chartkeep_windows::owner_only::access_of;
        let folder = tempfile::tempdir().unwrap();
        let root = folder.path().join("practice");
        fs::create_dir_all(root.join("logs")).unwrap();
        fs::write(root.join("keyslots.json"), b"x").unwrap();
        fs::write(root.join("logs").join("chartkeep.log"), b"x").unwrap();
        let outside = folder.path().join("outside.txt");
        fs::write(&outside, b"x").unwrap();
        let outside_before = access_of(&outside).unwrap();
        let _claim = DataDir::at(&root).claim().unwrap();
        for path in
            [root.clone(), root.join("logs"), root.join("keyslots.json"), root.join("logs").join("chartkeep.log")]
        {
            let access = access_of(&path).unwrap();
            assert!(access.is_owner_only().unwrap(), "{}: {access:?}", path.display());
        }
        fs::write(root.join("later.txt"), b"x").unwrap();
        let later = access_of(&root.join("later.txt")).unwrap();
        assert_eq!(later.allowed, [chartkeep_windows::owner_only::current_user_sid().unwrap()], "inherited: {later:?}");
        assert_eq!(access_of(&outside).unwrap(), outside_before, "a file outside the folder is not touched");
    }

    #[test]
    fn the_systems_data_folder_is_the_local_one() {
        let folder = DataDir::under_the_systems_data_folder().unwrap();
        assert_eq!(folder.root().parent(), dirs::data_local_dir().as_deref());
        #[cfg(windows)]
        {
            let local = std::env::var_os("LOCALAPPDATA").expect("Windows sets LOCALAPPDATA");
            assert_eq!(folder.root().parent(), Some(Path::new(&local)), "not the Roaming folder");
        }
    }

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
