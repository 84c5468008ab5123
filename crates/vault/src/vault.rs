//! The vault's life cycle: create it, unlock it with a password or the recovery key, and lock it.
//! An [`UnlockedVault`] holds the only connection to the database and the database key; dropping
//! it (locking) closes the connection and wipes the key.

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::data_dir::{ClaimedDataDir, DataDir};
use crate::database::open_encrypted;
use crate::device_keyring::{DeviceSecretStore, KeyringEntry};
use crate::error::{VaultError, VaultResult};
use crate::kdf::{KdfParams, subkey};
use crate::key_slots::KeySlots;
use crate::recovery::{generate_recovery_key, seal_to_recipient};
use crate::secrets::{DatabaseKey, DeviceSecret, Password, RecoveryKey};
use crate::trust::{
    TrustFinding, database_key_check, reconcile, record_slots, recorded_slots, require_known_key, write_reconciled,
};

/// Whose key slot to seal: a user's id and username, and the password that will open it.
#[derive(Debug, Clone, Copy)]
pub struct SlotHolder<'a> {
    pub user_id: &'a str,
    pub username: &'a str,
    pub password: &'a Password,
}

/// A vault that has just been created, with the recovery key to show the owner once.
#[derive(Debug)]
pub struct CreatedVault {
    pub vault: UnlockedVault,
    pub recovery_key: RecoveryKey,
}

/// An open vault: the database connection, the keys, and the loaded key-slot file.
#[derive(Debug)]
pub struct UnlockedVault {
    pub(crate) data_dir: DataDir,
    pub(crate) connection: Connection,
    pub(crate) database_key: DatabaseKey,
    pub(crate) device_secret: DeviceSecret,
    pub(crate) slots: KeySlots,
    /// What the unlock found wrong outside the database, for the clinic crate to report.
    pub(crate) findings: Vec<TrustFinding>,
}

/// Creates a new vault in a claimed, empty data folder: a fresh database key, a device secret in
/// the keyring, the first user's slot, the recovery slot, and the database at the latest schema.
pub fn create_vault(
    claim: &ClaimedDataDir,
    keyring: &dyn DeviceSecretStore,
    first_user: SlotHolder<'_>,
    kdf: KdfParams,
) -> VaultResult<CreatedVault> {
    let data_dir = claim.data_dir();
    if data_dir.holds_vault() {
        return Err(VaultError::VaultExists(data_dir.root().to_path_buf()));
    }
    let vault_id = uuid::Uuid::new_v4().to_string();
    let database_key = DatabaseKey::generate()?;
    let device_secret = DeviceSecret::generate()?;
    let (recovery_key, recipient) = generate_recovery_key();
    let mut slots = KeySlots::new(&vault_id, &device_secret, seal_to_recipient(&recipient, &database_key)?);
    slots.seal_user(
        first_user.user_id,
        first_user.username,
        first_user.password,
        kdf,
        &device_secret,
        &database_key,
    )?;

    // The keyring first: if it is unavailable nothing is written to the folder.
    let mut entry = KeyringEntry::new(device_secret.clone());
    entry.database_key_checks = vec![database_key_check(&device_secret, &database_key)];
    entry.key_slots_generation = 1;
    keyring.write(&vault_id, &entry)?;
    let connection = match open_encrypted(&data_dir.database(), &database_key, &data_dir.pre_migration_copies()) {
        Ok(connection) => connection,
        Err(error) => {
            let _ = std::fs::remove_file(data_dir.database());
            let _ = keyring.delete(&vault_id);
            return Err(error);
        }
    };
    slots.save(&data_dir.key_slots(), &database_key)?;
    record_slots(&connection, &slots)?;
    let vault = UnlockedVault {
        data_dir: data_dir.clone(),
        connection,
        database_key,
        device_secret,
        slots,
        findings: Vec::new(),
    };
    Ok(CreatedVault { vault, recovery_key })
}

/// Refuses to go on without the database file: opening would create an empty one, and every
/// password would then seem wrong.
pub(crate) fn require_database(data_dir: &DataDir) -> VaultResult<()> {
    if data_dir.database().exists() { Ok(()) } else { Err(VaultError::DatabaseMissing(data_dir.database())) }
}

/// Reads the key-slot file of a data folder (no secret needed).
pub fn read_key_slots(data_dir: &DataDir) -> VaultResult<KeySlots> {
    if !data_dir.key_slots().exists() {
        return Err(VaultError::NoVault(data_dir.root().to_path_buf()));
    }
    KeySlots::load(&data_dir.key_slots())
}

/// Loads this PC's keyring entry for the vault and checks that its device secret is the one the
/// slots expect.
pub fn load_keyring_entry(slots: &KeySlots, keyring: &dyn DeviceSecretStore) -> VaultResult<KeyringEntry> {
    let entry = keyring.read(slots.vault_id())?.ok_or(VaultError::DeviceSecretMissing)?;
    if !slots.matches_device(&entry.device_secret) {
        return Err(VaultError::DeviceSecretMismatch);
    }
    Ok(entry)
}

/// Loads this PC's device secret for the vault and checks that it is the one the slots expect.
pub fn load_device_secret(slots: &KeySlots, keyring: &dyn DeviceSecretStore) -> VaultResult<DeviceSecret> {
    Ok(load_keyring_entry(slots, keyring)?.device_secret)
}

/// The database as it opened: with which key, and whether that was a rotation's new key.
struct Opened {
    key: DatabaseKey,
    connection: Connection,
    rotation: RotationState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RotationState {
    None,
    /// The slots hold a rotation's new key but the database still opens with the current one.
    Interrupted,
    /// The database opens only with the rotation's new key: its swap happened.
    Completed,
}

/// Opens the database with the current key, or with a rotation's new key when the rotated
/// database is already in place.
fn open_current_or_pending(
    data_dir: &DataDir,
    entry: &KeyringEntry,
    current: DatabaseKey,
    pending: Option<DatabaseKey>,
) -> VaultResult<Opened> {
    let copies = data_dir.pre_migration_copies();
    let tried =
        require_known_key(entry, &current).and_then(|()| open_encrypted(&data_dir.database(), &current, &copies));
    match (tried, pending) {
        (Ok(connection), pending) => {
            let rotation = if pending.is_some() { RotationState::Interrupted } else { RotationState::None };
            Ok(Opened { key: current, connection, rotation })
        }
        (Err(VaultError::DatabaseUnreadable | VaultError::KeySlotsForeign), Some(new_key)) => {
            require_known_key(entry, &new_key)?;
            let connection = open_encrypted(&data_dir.database(), &new_key, &copies)?;
            Ok(Opened { key: new_key, connection, rotation: RotationState::Completed })
        }
        (Err(error), _) => Err(error),
    }
}

/// Opens the vault as `username`. The unseal of the user's slot is the password check; an
/// unknown username costs the same Argon2id work as a wrong password, so neither is revealed.
/// Then the key-slot file is checked against the database and the keyring (see `trust.rs`).
pub fn unlock_with_password(
    claim: &ClaimedDataDir,
    keyring: &dyn DeviceSecretStore,
    username: &str,
    password: &Password,
) -> VaultResult<UnlockedVault> {
    let data_dir = claim.data_dir();
    let mut slots = read_key_slots(data_dir)?;
    let entry = load_keyring_entry(&slots, keyring)?;
    let Some(slot) = slots.find_user(username).cloned() else {
        let decoy = slots.users().first().map(|slot| slot.kdf).unwrap_or(KdfParams::FLOOR);
        let _ = crate::kdf::key_encryption_key(password, &[0u8; 16], decoy, &entry.device_secret);
        return Err(VaultError::WrongCredentials);
    };
    let opened_slot = slots.open_user(&slot, password, &entry.device_secret)?;
    slots.check_authenticity(&opened_slot.key);
    require_database(data_dir)?;
    let pending = match &opened_slot.identity {
        Some(identity) => slots.open_pending_for(&slot.user_id, identity).transpose()?,
        None => None,
    };
    let opened = open_current_or_pending(data_dir, &entry, opened_slot.key, pending)?;
    let mut reconciled = reconcile(slots, recorded_slots(&opened.connection)?, entry.key_slots_generation);
    match opened.rotation {
        RotationState::None => {}
        RotationState::Interrupted => {
            reconciled.slots.set_pending(None);
            reconciled.rewrite_file = true;
            reconciled.findings.push(TrustFinding::KeyRotationInterrupted);
        }
        RotationState::Completed => {
            // The rotated database recorded the promoted slots one generation after the file
            // with the pending key: that is the rotation's own state, not a rollback.
            reconciled.findings.retain(|finding| {
                !matches!(finding, TrustFinding::KeySlotFileRolledBack { found, recorded } if *recorded == found + 1)
            });
            reconciled.slots.promote_pending();
            reconciled.rewrite_file = true;
            reconciled.findings.push(TrustFinding::KeyRotationCompleted);
        }
    }
    if reconciled.slots.find_user(username).is_some_and(|slot| slot.is_first_format()) {
        // The password is at hand: the slot is rewritten in the current form.
        reconciled.slots.seal_user(
            &slot.user_id,
            &slot.username,
            password,
            slot.kdf,
            &entry.device_secret,
            &opened.key,
        )?;
        reconciled.rewrite_file = true;
    }
    let recorded_generation = reconciled.slots.generation();
    if reconciled.rewrite_file {
        reconciled.slots.raise_generation_to(recorded_generation.max(entry.key_slots_generation));
    }
    if let Err(error) =
        write_reconciled(&mut reconciled, &data_dir.key_slots(), &opened.connection, &opened.key, keyring)
    {
        tracing::error!(%error, "the key slots could not be written back after the unlock's check");
    }
    if opened.rotation == RotationState::Completed {
        let check = database_key_check(&entry.device_secret, &opened.key);
        keyring.update(reconciled.slots.vault_id(), &mut |entry| entry.database_key_checks = vec![check.clone()])?;
    }
    Ok(UnlockedVault {
        data_dir: data_dir.clone(),
        connection: opened.connection,
        database_key: opened.key,
        device_secret: entry.device_secret,
        slots: reconciled.slots,
        findings: reconciled.findings,
    })
}

impl UnlockedVault {
    pub fn data_dir(&self) -> &DataDir {
        &self.data_dir
    }

    pub fn vault_id(&self) -> &str {
        self.slots.vault_id()
    }

    pub fn key_slots(&self) -> &KeySlots {
        &self.slots
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn connection_mut(&mut self) -> &mut Connection {
        &mut self.connection
    }

    pub(crate) fn database_key(&self) -> &DatabaseKey {
        &self.database_key
    }

    /// What a backup needs of this vault (see [`crate::backup`]), to make a backup while the
    /// vault goes on being used. Its recipients come from the database's record, never from the
    /// key-slot file alone.
    pub fn backup_source(&self) -> VaultResult<crate::backup::BackupSource> {
        let recorded = recorded_slots(&self.connection)?.ok_or(VaultError::RecoveryRecipientUnconfirmed)?;
        Ok(crate::backup::BackupSource::new(
            self.data_dir.database(),
            self.database_key.clone(),
            self.slots.vault_id().to_owned(),
            recorded.recovery().recipient.clone(),
            crate::rotation::retired_keys(&self.connection)?,
        ))
    }

    /// What SQLCipher's page check and SQLite's structure check find wrong in the database as it
    /// is now; empty when both pass.
    pub fn integrity_problems(&self) -> Vec<String> {
        crate::database::integrity_problems(&self.connection)
    }

    /// What the unlock found wrong in the files beside the database (each to be reported once).
    pub fn take_trust_findings(&mut self) -> Vec<TrustFinding> {
        std::mem::take(&mut self.findings)
    }

    /// A second connection that only reads, for reading in parallel on another thread. It sees
    /// what was committed; it is closed when dropped.
    pub fn reader(&self) -> VaultResult<Connection> {
        crate::database::open_reader(&self.data_dir.database(), &self.database_key)
    }

    /// A 32-byte key for one purpose, derived from the database key with HKDF-SHA256. It
    /// changes when the database key is rotated: keys that must outlive a rotation are
    /// [`UnlockedVault::practice_key`]s.
    pub fn derive_key(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        subkey(self.database_key.as_bytes(), purpose)
    }

    /// Reads the slot file again before changing it, so a change made meanwhile by another
    /// session on this PC (a new user's slot) is kept rather than written over. A file the vault
    /// did not write is not adopted: the slots in memory, checked at unlock, stay.
    fn reload_slots(&mut self) -> VaultResult<()> {
        let mut on_disk = KeySlots::load(&self.data_dir.key_slots())?;
        if on_disk.vault_id() != self.slots.vault_id() || !on_disk.matches_device(&self.device_secret) {
            return Err(VaultError::KeySlotFileDamaged("it belongs to another vault or device"));
        }
        on_disk.check_authenticity(&self.database_key);
        if on_disk.is_authentic() && on_disk.generation() >= self.slots.generation() {
            self.slots = on_disk;
        } else {
            tracing::error!("the key-slot file changed under the vault; keeping the slots checked at unlock");
        }
        Ok(())
    }

    /// Saves the slots as the next generation, and records them in the database.
    pub(crate) fn save_slots(&mut self) -> VaultResult<()> {
        let recorded = recorded_slots(&self.connection)?.map_or(0, |recorded| recorded.generation());
        self.slots.raise_generation_to(recorded);
        self.slots.save(&self.data_dir.key_slots(), &self.database_key)?;
        record_slots(&self.connection, &self.slots)
    }

    /// Seals (or re-seals) the database key for a user and saves the key-slot file.
    pub fn seal_for_user(&mut self, holder: SlotHolder<'_>, kdf: KdfParams) -> VaultResult<()> {
        self.reload_slots()?;
        self.slots.seal_user(
            holder.user_id,
            holder.username,
            holder.password,
            kdf,
            &self.device_secret,
            &self.database_key,
        )?;
        self.save_slots()
    }

    /// Checks a user's password against their slot, without changing anything: used before a
    /// user changes their own password.
    pub fn verify_password(&self, username: &str, password: &Password) -> VaultResult<()> {
        let slot = self.slots.find_user(username).ok_or(VaultError::WrongCredentials)?;
        let opened = self.slots.open_user(slot, password, &self.device_secret)?;
        if opened.key.as_bytes() == self.database_key.as_bytes() { Ok(()) } else { Err(VaultError::WrongCredentials) }
    }

    /// Removes a user's slot, so that user can no longer unlock the vault with it. (A copy of
    /// the file kept elsewhere still holds the slot: only rotating the database key, see
    /// `rotation.rs`, ends what such a copy opens.)
    pub fn remove_slot(&mut self, user_id: &str) -> VaultResult<()> {
        self.reload_slots()?;
        self.slots.remove_user(user_id);
        self.save_slots()
    }

    /// Puts back a copy of the key slots taken with `key_slots().clone()` before a change whose
    /// database half then failed, so the slot file and the database never disagree.
    pub fn restore_key_slots(&mut self, slots: KeySlots) -> VaultResult<()> {
        if slots.vault_id() != self.slots.vault_id() {
            return Err(VaultError::KeySlotFileDamaged("the slots belong to another vault"));
        }
        let generation = self.slots.generation();
        self.slots = slots;
        self.slots.raise_generation_to(generation);
        self.save_slots()
    }

    /// Locks the vault: closes the database connection; the keys are wiped as they drop. Before
    /// closing, SQLite refreshes the statistics its query planner uses, where they are stale.
    pub fn lock(self) -> VaultResult<()> {
        let UnlockedVault { connection, .. } = self;
        if let Err(error) = connection.execute_batch("PRAGMA analysis_limit = 1000; PRAGMA optimize;") {
            tracing::warn!(%error, "the query planner's statistics could not be refreshed");
        }
        connection.close().map_err(|(_, error)| VaultError::Database(error))
    }
}
