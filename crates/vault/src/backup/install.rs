//! Putting a restored database in place. The current database is first hard-linked into
//! `pre-restore/` (an encrypted copy, as it was), then the restored file is renamed over it: a
//! rename is atomic, so a crash at any moment leaves either the old database or the new one,
//! never a mix. The old database's write-ahead log is merged and gone before the swap, so the
//! new file can never be read with the old file's log.

use std::path::{Path, PathBuf};

use super::reader::OpenedBackup;
use super::snapshot::{Snapshot, with_suffix};
use super::writer::sync_folder;
use crate::data_dir::{ClaimedDataDir, DataDir, create_private_dir};
use crate::database::{open_encrypted, open_keyed};
use crate::device_keyring::{ChainAnchor, DeviceSecretStore};
use crate::error::{VaultError, VaultResult};
use crate::key_slots::KeySlots;
use crate::recovered::RecoveredVault;
use crate::recovery::seal_to_recipient;
use crate::secrets::DeviceSecret;
use crate::trust::record_slots;
use crate::vault::UnlockedVault;

/// Where copies of replaced databases are kept, in the data folder.
pub const PRE_RESTORE_FOLDER: &str = "pre-restore";

/// A restore on this PC, done: the vault is closed (sign in again to use the restored database).
#[derive(Debug, Clone)]
pub struct RestoredInPlace {
    pub vault_id: String,
    /// The encrypted copy of the database as it was before the restore.
    pub pre_restore_copy: PathBuf,
}

/// Keeps the current database file (if any) as an encrypted copy under `pre-restore/`.
fn keep_pre_restore_copy(data_dir: &DataDir, stamp: &str) -> VaultResult<Option<PathBuf>> {
    let database = data_dir.database();
    if !database.exists() {
        return Ok(None);
    }
    let wal = with_suffix(&database, "-wal");
    if std::fs::metadata(&wal).is_ok_and(|meta| meta.len() > 0) {
        return Err(VaultError::BackupDamaged(
            "the current database still has unsaved changes in its log; close Chartkeep everywhere and try again"
                .into(),
        ));
    }
    let _ = std::fs::remove_file(&wal);
    let _ = std::fs::remove_file(with_suffix(&database, "-shm"));
    let folder = data_dir.root().join(PRE_RESTORE_FOLDER);
    create_private_dir(&folder)?;
    let copy = folder.join(format!("chartkeep-before-restore-{stamp}.db"));
    std::fs::hard_link(&database, &copy)
        .or_else(|_| std::fs::copy(&database, &copy).map(drop))
        .map_err(VaultError::io(&copy))?;
    if data_dir.key_slots().exists() {
        let slots_copy = folder.join(format!("keyslots-before-restore-{stamp}.json"));
        std::fs::copy(data_dir.key_slots(), &slots_copy).map_err(VaultError::io(&slots_copy))?;
    }
    sync_folder(&folder)?;
    Ok(Some(copy))
}

/// Renames the restored snapshot over the database, durably.
fn swap_in(data_dir: &DataDir, snapshot: &mut Snapshot) -> VaultResult<()> {
    for side_file in ["-wal", "-shm", "-journal"] {
        if with_suffix(snapshot.path(), side_file).exists() {
            return Err(VaultError::BackupDamaged("the restored database was not closed cleanly".into()));
        }
    }
    std::fs::rename(snapshot.path(), data_dir.database()).map_err(VaultError::io(data_dir.database()))?;
    snapshot.mark_installed();
    sync_folder(data_dir.root())
}

fn stamp_now() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

impl UnlockedVault {
    /// Replaces this practice's database with a restored snapshot of it (made with the same
    /// database key), closing the vault. The restored database records the key slots as they are
    /// (so the file and either database agree, whichever a crash leaves), and the keyring accepts
    /// the restored chain's head (`restored_head`) beside the current anchor until the next
    /// sign-in settles it: a crash before the rename leaves the old database, after it the new
    /// one, and neither raises a false alert. Slots of users the restored database does not have
    /// are dropped at that sign-in.
    pub fn replace_database_with(
        self,
        mut snapshot: Snapshot,
        keyring: &dyn DeviceSecretStore,
        restored_head: Option<ChainAnchor>,
    ) -> VaultResult<RestoredInPlace> {
        if snapshot.key.as_bytes() != self.database_key().as_bytes() {
            return Err(VaultError::BackupOfAnotherPractice);
        }
        let data_dir = self.data_dir().clone();
        let key = self.database_key().clone();
        let slots = self.key_slots().clone();
        let vault_id = slots.vault_id().to_owned();
        {
            let restored = open_keyed(snapshot.path(), &key)?;
            record_slots(&restored, &slots)?;
            restored.close().map_err(|(_, error)| VaultError::Database(error))?;
        }
        crate::failpoints::hit("restore.recorded")?;
        self.lock()?;
        let pre_restore_copy = keep_pre_restore_copy(&data_dir, &stamp_now())?
            .ok_or_else(|| VaultError::DatabaseMissing(data_dir.database()))?;
        crate::failpoints::hit("restore.copy-kept")?;
        keyring.update(&vault_id, &mut |entry| entry.restored_anchor = restored_head.clone())?;
        crate::failpoints::hit("restore.before-swap")?;
        swap_in(&data_dir, &mut snapshot)?;
        crate::failpoints::hit("restore.swapped")?;
        Ok(RestoredInPlace { vault_id, pre_restore_copy })
    }
}

/// Installs a restored snapshot as the practice's database on a PC that has no usable vault
/// for it (a new PC, or one whose keyring entry is gone). Whatever was in the data folder is
/// kept under `pre-restore/`. The result is opened as by the recovery key: bind it to this PC
/// with the Owner's new password.
pub fn install_onto_this_pc(
    claim: &ClaimedDataDir,
    mut snapshot: Snapshot,
    backup: &OpenedBackup,
) -> VaultResult<RecoveredVault> {
    let data_dir = claim.data_dir();
    if !same_folder(snapshot.path(), data_dir.root()) {
        return Err(VaultError::BackupDamaged("the restored database must be prepared in the data folder".into()));
    }
    keep_pre_restore_copy(data_dir, &stamp_now())?;
    crate::failpoints::hit("new-pc.copy-kept")?;
    let recovery = seal_to_recipient(&backup.manifest.recovery_recipient, &snapshot.key)?;
    // The slots' device check is replaced when the vault is bound to this PC.
    let mut slots = KeySlots::new(&backup.manifest.vault_id, &DeviceSecret::generate()?, recovery);
    swap_in(data_dir, &mut snapshot)?;
    crate::failpoints::hit("new-pc.swapped")?;
    slots.save(&data_dir.key_slots(), &snapshot.key)?;
    crate::failpoints::hit("new-pc.slots-saved")?;
    let connection = open_encrypted(&data_dir.database(), &snapshot.key, &data_dir.pre_migration_copies())?;
    Ok(RecoveredVault::from_parts(data_dir.clone(), connection, snapshot.key.clone(), slots))
}

/// Whether `file` lies directly or deeper inside `folder` (so a rename stays on one file system).
fn same_folder(file: &Path, folder: &Path) -> bool {
    file.ancestors().any(|ancestor| ancestor == folder)
}
