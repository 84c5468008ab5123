//! What can go wrong when creating, opening or recovering a vault, in words a practice owner can
//! act on. No message ever holds a secret or patient data.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum VaultError {
    #[error("There is no practice in {0} yet. Set up a new practice first.")]
    NoVault(PathBuf),

    #[error("A practice already exists in {0}; it was left untouched.")]
    VaultExists(PathBuf),

    #[error("The username or password is not correct.")]
    WrongCredentials,

    #[error("The key-slot file is damaged or has been altered ({0}). Use the Recovery Kit to regain access.")]
    KeySlotFileDamaged(&'static str),

    #[error(
        "The key-slot file opens a database key this PC does not know: the file was replaced or altered. Use the Recovery Kit to regain access."
    )]
    KeySlotsForeign,

    #[error(
        "The practice's recovery key is not recorded in its database yet, so Chartkeep cannot tell where backups may go. Recover access with the Recovery Kit to confirm it."
    )]
    RecoveryRecipientUnconfirmed,

    #[error("The database key cannot be rotated now: {0}. Nothing was changed.")]
    RotationRefused(&'static str),

    #[error(
        "The system keyring is not available ({0}). Chartkeep keeps this PC's secret only in the keyring: unlock or start the keyring and try again, or use the Recovery Kit."
    )]
    KeyringUnavailable(String),

    #[error(
        "This PC's secret for the practice is missing from the system keyring. Enter the recovery key from the Recovery Kit to regain access."
    )]
    DeviceSecretMissing,

    #[error(
        "This PC's secret for the practice in the system keyring does not match the practice. Enter the recovery key from the Recovery Kit to regain access."
    )]
    DeviceSecretMismatch,

    #[error("That is not a valid recovery key. It starts with AGE-SECRET-KEY-1 and is 74 characters long.")]
    RecoveryKeyMalformed,

    #[error("That recovery key does not belong to this practice.")]
    RecoveryKeyWrong,

    #[error(
        "This database was written by a newer version of Chartkeep (schema {found}, this version knows up to {supported}). Update Chartkeep; the database was left untouched."
    )]
    DatabaseNewerThanApp { found: u32, supported: u32 },

    #[error("The database could not be opened with its key: it is damaged or does not belong to this practice.")]
    DatabaseUnreadable,

    #[error(
        "The practice database is missing from {0}, although the practice's keys are there. Put the file back, or restore the practice from a backup."
    )]
    DatabaseMissing(PathBuf),

    #[error("Chartkeep is already running on this data folder ({0}). Use the window that is open.")]
    AlreadyRunning(PathBuf),

    #[error("The operating system did not provide random numbers.")]
    Randomness,

    #[error("A key could not be derived: {0}")]
    KeyDerivation(String),

    #[error("That is not a valid age recipient. It starts with age1 and is 62 characters long.")]
    RecipientMalformed,

    #[error("That file is not a Chartkeep backup.")]
    NotABackup,

    #[error("There is no backup file at {0}.")]
    BackupFileMissing(PathBuf),

    #[error(
        "That key does not open this backup. It needs the recovery key of the practice that made it, or a key the Owner added as a backup recipient."
    )]
    BackupKeyWrong,

    #[error("This backup was made by another practice; it cannot be used here.")]
    BackupOfAnotherPractice,

    #[error(
        "This backup was not made with the practice's key: its contents have been altered or forged. It was not used, and nothing was changed."
    )]
    BackupForged,

    #[error("The backup is damaged: {0}. Nothing was changed.")]
    BackupDamaged(String),

    #[error(
        "This backup was made by a newer version of Chartkeep (schema {found}, this version knows up to {supported}). Update Chartkeep to restore it; nothing was changed."
    )]
    BackupNewerThanApp { found: u32, supported: u32 },

    #[error("There is not enough free space in {0}. Nothing was left there; free some space or choose another place.")]
    DestinationFull(PathBuf),

    #[error("The backup folder {0} cannot be reached. Connect the drive or choose another folder.")]
    DestinationUnreachable(PathBuf),

    #[error("Cancelled. Nothing was changed.")]
    Cancelled,

    #[error("A database operation failed: {0}")]
    Database(#[from] rusqlite::Error),

    #[error("A file operation failed on {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl VaultError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| Self::Io { path, source }
    }
}

impl From<getrandom::Error> for VaultError {
    fn from(_: getrandom::Error) -> Self {
        Self::Randomness
    }
}

pub type VaultResult<T> = Result<T, VaultError>;
