//! Encrypted backups, the vault's part: the database snapshot, the `.ckbackup` file, reading a
//! backup back and checking it, and putting a restored database in place. What a backup means
//! for the practice (its audit chain, its users, the schedule) is the clinic crate's business.
//!
//! A `.ckbackup` file is an age file (X25519) encrypted to the practice's recovery recipient,
//! to the practice's own backup recipient (derived from the database key, so the signed-in app
//! can verify its backups without the recovery key), and to any further recipients the Owner
//! added. Its plaintext is, in order:
//!
//! - a header: `CHARTKEEP BACKUP\n` and the format version;
//! - the snapshot: the database as a SQLCipher file, still encrypted with the database key;
//! - the trailer: the manifest, its HMAC (keyed from the database key) and the key slot (the
//!   database key sealed with age to the recovery recipient and the further recipients);
//! - a footer: the trailer's length and an end mark, so the trailer can be read first.
//!
//! Nothing in a backup, nor any file made while writing or reading one, holds patient data in
//! the clear: the snapshot never leaves SQLCipher's encryption, and everything around it is
//! inside age. Memory use does not grow with the database: everything is streamed.

pub(crate) mod container;
pub(crate) mod identity;
mod install;
mod reader;
mod snapshot;
#[cfg(test)]
mod tests;
mod writer;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub(crate) use identity::identity_from_secret;
pub use identity::parse_recipient;
pub use install::{PRE_RESTORE_FOLDER, RestoredInPlace, install_onto_this_pc};
pub use reader::{BackupUnlock, OpenedBackup, open_backup};
pub use snapshot::{Snapshot, SnapshotCheck};
pub(crate) use writer::sync_folder;
pub use writer::{BackupDescription, WrittenBackup};

/// What making a backup needs of an open vault, taken with
/// [`crate::UnlockedVault::backup_source`]: the database's path, its key (wiped on drop), the
/// recovery recipient as the database recorded it (never as a file alone says), and the keys the
/// database had before a rotation (to open the backups made with them). A backup made from it
/// runs on connections of its own, so the vault's own connection goes on working meanwhile.
pub struct BackupSource {
    database: std::path::PathBuf,
    key: crate::secrets::DatabaseKey,
    vault_id: String,
    recovery_recipient: String,
    retired_keys: Vec<crate::secrets::DatabaseKey>,
}

impl std::fmt::Debug for BackupSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupSource").field("database", &self.database).finish_non_exhaustive()
    }
}

impl BackupSource {
    pub(crate) fn new(
        database: std::path::PathBuf,
        key: crate::secrets::DatabaseKey,
        vault_id: String,
        recovery_recipient: String,
        retired_keys: Vec<crate::secrets::DatabaseKey>,
    ) -> Self {
        BackupSource { database, key, vault_id, recovery_recipient, retired_keys }
    }

    pub fn vault_id(&self) -> &str {
        &self.vault_id
    }

    /// The practice's recovery recipient, as its database recorded it.
    pub fn recovery_recipient(&self) -> &str {
        &self.recovery_recipient
    }

    /// Encrypts `snapshot` (taken from this source) into the backup file `folder/file_name`.
    pub fn write_backup(
        &self,
        snapshot: &Snapshot,
        description: &BackupDescription<'_>,
        folder: &std::path::Path,
        file_name: &str,
        progress: ProgressCallback<'_>,
    ) -> crate::error::VaultResult<WrittenBackup> {
        if snapshot.key.as_bytes() != self.key.as_bytes() {
            return Err(crate::error::VaultError::BackupOfAnotherPractice);
        }
        writer::write_backup_file(snapshot, self, description, folder, file_name, progress)
    }
}

/// The file name ending of backups.
pub const BACKUP_EXTENSION: &str = "ckbackup";

/// What a backup says about itself. Authenticated by the HMAC in the trailer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupManifest {
    pub format: u32,
    pub app_version: String,
    pub schema_version: u32,
    pub created_at: String,
    pub vault_id: String,
    pub practice_name: String,
    /// The age recipient of the practice's recovery key.
    pub recovery_recipient: String,
    /// Every recipient the backup and its key slot were sealed to besides the practice's own:
    /// the recovery recipient, then the further ones (absent in backups made before schema 8).
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Rows in each table of the snapshot.
    pub row_counts: BTreeMap<String, u64>,
    /// The audit chain's last entry in the snapshot.
    pub audit_head: Option<ManifestChainHead>,
    pub snapshot_bytes: u64,
    /// SHA-256 of the snapshot file, in hex.
    pub snapshot_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestChainHead {
    pub seq: i64,
    /// The entry's hash, in hex.
    pub hash: String,
}

/// Which part of the work a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupStep {
    /// Copying the database into a consistent snapshot.
    Snapshot,
    /// Encrypting the snapshot into the backup file.
    Writing,
    /// Decrypting the backup's snapshot.
    Reading,
    /// Checking the snapshot's pages, structure and audit chain.
    Checking,
    /// Copying the database under a new key (a rotation of the database key).
    Reencrypting,
}

/// How far a step has come, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct BackupProgress {
    pub step: BackupStep,
    pub done: u64,
    pub total: u64,
}

/// Called with each progress report; returning `false` cancels the work, which then leaves
/// nothing behind.
pub type ProgressCallback<'a> = &'a mut dyn FnMut(BackupProgress) -> bool;
