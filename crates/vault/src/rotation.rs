//! Rotating the database key, so that a key (or a copy of the key-slot file) someone kept opens
//! nothing of the practice from then on.
//!
//! The database is copied under a new key with SQLite's backup API into `rotation-work/` (every
//! page re-encrypted, with progress), the copy records the rotation (the caller's audit entry, the
//! retired key, the key slots as they will be), and the new key is sealed beside the current one
//! in the key-slot file, to the recovery recipient and each remaining user's recipient as the
//! database recorded them. Then the copy is renamed over the database and the slots are promoted.
//!
//! A crash before the rename leaves the old database and an unused pending key (discarded at
//! the next unlock, which reports the rotation as interrupted); a crash after it leaves the new
//! database, which the pending key opens (the next unlock completes the promotion). The database
//! is never readable with neither key.

use std::path::Path;

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, params};

use crate::backup::{BackupProgress, BackupStep, ProgressCallback};
use crate::data_dir::create_private_dir;
use crate::database::{open_encrypted, open_keyed};
use crate::device_keyring::DeviceSecretStore;
use crate::error::{VaultError, VaultResult};
use crate::key_slots::{PendingKey, PendingUserKey, seal_key_to_recipient};
use crate::secrets::DatabaseKey;
use crate::trust::{database_key_check, record_slots, recorded_slots};
use crate::vault::UnlockedVault;

/// Where the re-encrypted copy is made, in the data folder (so the rename stays on one disk).
pub const ROTATION_WORK_FOLDER: &str = "rotation-work";

const PAGES_PER_STEP: i32 = 4096;

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RotationOutcome {
    /// Users whose slots the rotation could not carry over (slots of the first format, whose
    /// users have not signed in since the upgrade): they need a new password from the Owner.
    pub dropped_user_ids: Vec<String>,
    /// Users whose slots were carried over to the new key.
    pub carried_users: usize,
    pub database_bytes: u64,
}

/// The database keys a rotation retired, newest first.
pub(crate) fn retired_keys(connection: &Connection) -> VaultResult<Vec<DatabaseKey>> {
    let mut statement = connection.prepare("SELECT key FROM retired_database_keys ORDER BY rowid DESC")?;
    let keys = statement
        .query_map([], |row| row.get::<_, Vec<u8>>(0))?
        .map(|bytes| {
            let bytes = zeroize::Zeroizing::new(bytes?);
            let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| VaultError::DatabaseUnreadable)?;
            Ok(DatabaseKey::from_bytes(array))
        })
        .collect::<VaultResult<Vec<_>>>()?;
    Ok(keys)
}

fn with_suffix(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::path::PathBuf::from(name)
}

/// Copies the open database into `target` under `key`, page by page.
fn copy_under_new_key(
    source: &Connection,
    target_path: &Path,
    key: &DatabaseKey,
    progress: ProgressCallback<'_>,
) -> VaultResult<()> {
    source.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    let mut target = open_keyed(target_path, key)?;
    target.execute_batch("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;")?;
    {
        let backup = Backup::new(source, &mut target)?;
        loop {
            let step = backup.step(PAGES_PER_STEP)?;
            let pages = backup.progress();
            let report = BackupProgress {
                step: BackupStep::Reencrypting,
                done: (pages.pagecount - pages.remaining).max(0) as u64 * 4096,
                total: pages.pagecount.max(0) as u64 * 4096,
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
    target.pragma_update(None, "journal_mode", "DELETE")?;
    target.close().map_err(|(_, error)| VaultError::Database(error))
}

impl UnlockedVault {
    /// Re-encrypts the database under a new key and reseals the slots of `keep_user_ids` (and
    /// the recovery slot) to it. `record` writes the caller's own record of the rotation (its
    /// audit entry) into the re-encrypted copy, in the same transaction as the vault's, so the
    /// rotation and its record take effect together. Cancelling through `progress`, or any
    /// failure before the swap, leaves everything as it was.
    pub fn rotate_database_key(
        &mut self,
        keyring: &dyn DeviceSecretStore,
        keep_user_ids: &[String],
        record: &mut dyn FnMut(&Connection) -> VaultResult<()>,
        progress: ProgressCallback<'_>,
    ) -> VaultResult<RotationOutcome> {
        if self.slots.pending().is_some() {
            return Err(VaultError::RotationRefused("a rotation is still being completed"));
        }
        let recorded = recorded_slots(&self.connection)?.ok_or(VaultError::RecoveryRecipientUnconfirmed)?;
        let work = self.data_dir.root().join(ROTATION_WORK_FOLDER);
        let _ = std::fs::remove_dir_all(&work);
        create_private_dir(&work)?;
        let copy = work.join("chartkeep.db");
        let new_key = DatabaseKey::generate()?;
        let prepared = self
            .prepare_rotated_copy(&copy, &new_key, &recorded, keep_user_ids, record, progress)
            .and_then(|prepared| crate::failpoints::hit("rotation.copy-prepared").map(|()| prepared));
        let (pending, outcome) = match prepared {
            Ok(prepared) => prepared,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&work);
                return Err(error);
            }
        };
        let previous_slots = self.slots.clone();
        self.slots.set_pending(Some(pending));
        let new_check = database_key_check(&self.device_secret, &new_key);
        let old_check = database_key_check(&self.device_secret, &self.database_key);
        let announced = self.save_slots().and_then(|()| {
            keyring.update(self.vault_id(), &mut |entry| {
                entry.database_key_checks = vec![old_check.clone(), new_check.clone()];
            })
        });
        if let Err(error) = announced {
            self.slots = previous_slots;
            let _ = self.save_slots();
            let _ = std::fs::remove_dir_all(&work);
            return Err(error);
        }
        crate::failpoints::hit("rotation.pending-sealed")?;
        self.swap_in_rotated_copy(&copy, new_key)?;
        crate::failpoints::hit("rotation.swapped")?;
        let _ = std::fs::remove_dir_all(&work);
        self.slots.promote_pending();
        self.save_slots()?;
        let generation = self.slots.generation();
        keyring.update(self.vault_id(), &mut |entry| {
            entry.database_key_checks = vec![new_check.clone()];
            entry.key_slots_generation = entry.key_slots_generation.max(generation);
        })?;
        tracing::warn!(carried = outcome.carried_users, "the database key was rotated");
        Ok(outcome)
    }

    /// Makes the re-encrypted copy, with the rotation recorded in it, and the pending key to
    /// seal beside the current one.
    fn prepare_rotated_copy(
        &self,
        copy: &Path,
        new_key: &DatabaseKey,
        recorded: &crate::key_slots::KeySlots,
        keep_user_ids: &[String],
        record: &mut dyn FnMut(&Connection) -> VaultResult<()>,
        progress: ProgressCallback<'_>,
    ) -> VaultResult<(PendingKey, RotationOutcome)> {
        let mut carried = Vec::new();
        let mut dropped_user_ids = Vec::new();
        for slot in self.slots.users() {
            let recipient =
                recorded.users().iter().find(|r| r.user_id == slot.user_id).and_then(|r| r.recipient.clone());
            match recipient {
                Some(recipient) if keep_user_ids.contains(&slot.user_id) && !slot.is_first_format() => {
                    carried.push(PendingUserKey {
                        user_id: slot.user_id.clone(),
                        sealed_key: seal_key_to_recipient(&recipient, new_key)?,
                    });
                }
                _ => dropped_user_ids.push(slot.user_id.clone()),
            }
        }
        if carried.is_empty() {
            return Err(VaultError::RotationRefused("no active user's key slot could be carried over"));
        }
        let pending = PendingKey {
            recovery_sealed_key: seal_key_to_recipient(&recorded.recovery().recipient, new_key)?,
            users: carried,
        };
        copy_under_new_key(&self.connection, copy, new_key, progress)?;
        // The slots as they will be once promoted, two generations on (pending, then promoted).
        let mut promoted = self.slots.clone();
        promoted.raise_generation_to(recorded.generation());
        promoted.set_pending(Some(pending.clone()));
        promoted.promote_pending();
        promoted.prepare_next_generation();
        promoted.prepare_next_generation();
        let mut connection = open_encrypted(copy, new_key, &copy.with_extension("pre-migration"))?;
        let transaction = connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        transaction.execute(
            "INSERT INTO retired_database_keys (retired_at, key) VALUES (?1, ?2)",
            params![crate::rotation::now_text(), self.database_key.as_bytes().as_slice()],
        )?;
        record_slots(&transaction, &promoted)?;
        record(&transaction)?;
        transaction.commit()?;
        connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        connection.pragma_update(None, "journal_mode", "DELETE")?;
        connection.close().map_err(|(_, error)| VaultError::Database(error))?;
        crate::data_dir::sync_written_file(copy)?;
        let database_bytes = std::fs::metadata(copy).map_err(VaultError::io(copy))?.len();
        let outcome = RotationOutcome { carried_users: pending.users.len(), dropped_user_ids, database_bytes };
        Ok((pending, outcome))
    }

    /// Closes the database, renames the copy over it and opens it with the new key. Before the
    /// rename a failure reopens the old database; after it, the next unlock completes.
    fn swap_in_rotated_copy(&mut self, copy: &Path, new_key: DatabaseKey) -> VaultResult<()> {
        let database = self.data_dir.database();
        let placeholder = crate::database::placeholder()?;
        let old = std::mem::replace(&mut self.connection, placeholder);
        let closed = old.close().map_err(|(_, error)| VaultError::Database(error));
        let wal = with_suffix(&database, "-wal");
        let log_left = std::fs::metadata(&wal).is_ok_and(|meta| meta.len() > 0);
        if closed.is_err() || log_left {
            self.connection = open_encrypted(&database, &self.database_key, &self.data_dir.pre_migration_copies())?;
            self.slots.set_pending(None);
            let _ = self.save_slots();
            return Err(VaultError::RotationRefused("the database is still in use by another connection"));
        }
        let _ = std::fs::remove_file(&wal);
        let _ = std::fs::remove_file(with_suffix(&database, "-shm"));
        std::fs::rename(copy, &database).map_err(VaultError::io(&database))?;
        crate::backup::sync_folder(self.data_dir.root())?;
        self.connection = open_encrypted(&database, &new_key, &self.data_dir.pre_migration_copies())?;
        self.database_key = new_key;
        Ok(())
    }
}

pub(crate) fn now_text() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}
