//! The vault's life cycle: create it, unlock it with a password or the recovery key, and lock it.
//! An [`UnlockedVault`] holds the only connection to the database and the database key; dropping
//! it (locking) closes the connection and wipes the key.

use rusqlite::Connection;
use zeroize::Zeroizing;

use crate::data_dir::{ClaimedDataDir, DataDir};
use crate::database::open_encrypted;
use crate::device_keyring::DeviceSecretStore;
use crate::error::{VaultError, VaultResult};
use crate::kdf::{KdfParams, subkey};
use crate::key_slots::KeySlots;
use crate::recovery::{generate_recovery_key, seal_to_recipient, unseal_with_recovery_key};
use crate::secrets::{DatabaseKey, DeviceSecret, Password, RecoveryKey};

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
    data_dir: DataDir,
    connection: Connection,
    database_key: DatabaseKey,
    device_secret: DeviceSecret,
    slots: KeySlots,
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
    keyring.store(&vault_id, &device_secret)?;
    let connection = match open_encrypted(&data_dir.database(), &database_key, &data_dir.pre_migration_copies()) {
        Ok(connection) => connection,
        Err(error) => {
            let _ = std::fs::remove_file(data_dir.database());
            let _ = keyring.delete(&vault_id);
            return Err(error);
        }
    };
    slots.save(&data_dir.key_slots())?;
    let vault = UnlockedVault { data_dir: data_dir.clone(), connection, database_key, device_secret, slots };
    Ok(CreatedVault { vault, recovery_key })
}

/// Refuses to go on without the database file: opening would create an empty one, and every
/// password would then seem wrong.
fn require_database(data_dir: &DataDir) -> VaultResult<()> {
    if data_dir.database().exists() { Ok(()) } else { Err(VaultError::DatabaseMissing(data_dir.database())) }
}

/// Reads the key-slot file of a data folder (no secret needed).
pub fn read_key_slots(data_dir: &DataDir) -> VaultResult<KeySlots> {
    if !data_dir.key_slots().exists() {
        return Err(VaultError::NoVault(data_dir.root().to_path_buf()));
    }
    KeySlots::load(&data_dir.key_slots())
}

/// Loads this PC's device secret for the vault and checks that it is the one the slots expect.
pub fn load_device_secret(slots: &KeySlots, keyring: &dyn DeviceSecretStore) -> VaultResult<DeviceSecret> {
    let device_secret = keyring.load(slots.vault_id())?.ok_or(VaultError::DeviceSecretMissing)?;
    if !slots.matches_device(&device_secret) {
        return Err(VaultError::DeviceSecretMismatch);
    }
    Ok(device_secret)
}

/// Opens the vault as `username`. The unseal of the user's slot is the password check; an
/// unknown username costs the same Argon2id work as a wrong password, so neither is revealed.
pub fn unlock_with_password(
    claim: &ClaimedDataDir,
    keyring: &dyn DeviceSecretStore,
    username: &str,
    password: &Password,
) -> VaultResult<UnlockedVault> {
    let data_dir = claim.data_dir();
    let slots = read_key_slots(data_dir)?;
    let device_secret = load_device_secret(&slots, keyring)?;
    let Some(slot) = slots.find_user(username) else {
        let decoy = slots.users().first().map(|slot| slot.kdf).unwrap_or(KdfParams::FLOOR);
        let _ = crate::kdf::key_encryption_key(password, &[0u8; 16], decoy, &device_secret);
        return Err(VaultError::WrongCredentials);
    };
    let database_key = slots.unseal_user(slot, password, &device_secret)?;
    require_database(data_dir)?;
    let connection = open_encrypted(&data_dir.database(), &database_key, &data_dir.pre_migration_copies())?;
    Ok(UnlockedVault { data_dir: data_dir.clone(), connection, database_key, device_secret, slots })
}

/// A vault opened with the recovery key, whatever the keyring holds. Nothing on this PC has
/// changed yet: the caller reads what it needs (which owner to give a new password), checks the
/// new password, and only then binds the vault to this PC with [`RecoveredVault::bind_to_this_pc`].
#[derive(Debug)]
pub struct RecoveredVault {
    data_dir: DataDir,
    connection: Connection,
    database_key: DatabaseKey,
    slots: KeySlots,
}

/// Opens the vault with the recovery key, changing nothing.
pub fn open_with_recovery_key(claim: &ClaimedDataDir, recovery_key: &RecoveryKey) -> VaultResult<RecoveredVault> {
    let data_dir = claim.data_dir();
    let slots = read_key_slots(data_dir)?;
    let database_key = unseal_with_recovery_key(slots.recovery(), recovery_key)?;
    require_database(data_dir)?;
    let connection = open_encrypted(&data_dir.database(), &database_key, &data_dir.pre_migration_copies())?;
    Ok(RecoveredVault { data_dir: data_dir.clone(), connection, database_key, slots })
}

impl RecoveredVault {
    pub(crate) fn from_parts(
        data_dir: DataDir,
        connection: Connection,
        database_key: DatabaseKey,
        slots: KeySlots,
    ) -> Self {
        RecoveredVault { data_dir, connection, database_key, slots }
    }

    pub fn connection(&self) -> &Connection {
        &self.connection
    }

    pub fn vault_id(&self) -> &str {
        self.slots.vault_id()
    }

    /// Gives this PC a fresh device secret in the keyring and seals `holder`'s slot under it.
    /// Every other user's slot was sealed under the old secret and is dropped: the owner resets
    /// those users.
    pub fn bind_to_this_pc(
        self,
        keyring: &dyn DeviceSecretStore,
        holder: SlotHolder<'_>,
        kdf: KdfParams,
    ) -> VaultResult<UnlockedVault> {
        let RecoveredVault { data_dir, connection, database_key, mut slots } = self;
        let device_secret = DeviceSecret::generate()?;
        // Sealed in memory first, so nothing is stored if sealing fails.
        slots.replace_device(&device_secret);
        slots.seal_user(holder.user_id, holder.username, holder.password, kdf, &device_secret, &database_key)?;
        keyring.store(slots.vault_id(), &device_secret)?;
        slots.save(&data_dir.key_slots())?;
        Ok(UnlockedVault { data_dir, connection, database_key, device_secret, slots })
    }
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

    /// What a backup needs of this vault (the database's path, its key, the key slots), to make
    /// a backup while the vault goes on being used (see [`crate::backup`]).
    pub fn backup_source(&self) -> crate::backup::BackupSource {
        crate::backup::BackupSource::new(self.data_dir.database(), self.database_key.clone(), self.slots.clone())
    }

    /// A second connection that only reads, for reading in parallel on another thread. It sees
    /// what was committed; it is closed when dropped.
    pub fn reader(&self) -> VaultResult<Connection> {
        crate::database::open_reader(&self.data_dir.database(), &self.database_key)
    }

    /// A 32-byte key for one purpose (for example the audit chain's HMAC), derived from the
    /// database key with HKDF-SHA256.
    pub fn derive_key(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        subkey(self.database_key.as_bytes(), purpose)
    }

    /// Reads the slot file again before changing it, so a change made meanwhile by another
    /// session on this PC (a new user's slot) is kept rather than written over.
    fn reload_slots(&mut self) -> VaultResult<()> {
        let on_disk = KeySlots::load(&self.data_dir.key_slots())?;
        if on_disk.vault_id() != self.slots.vault_id() || !on_disk.matches_device(&self.device_secret) {
            return Err(VaultError::KeySlotFileDamaged("it belongs to another vault or device"));
        }
        self.slots = on_disk;
        Ok(())
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
        self.slots.save(&self.data_dir.key_slots())
    }

    /// Checks a user's password against their slot, without changing anything: used before a
    /// user changes their own password.
    pub fn verify_password(&self, username: &str, password: &Password) -> VaultResult<()> {
        let slot = self.slots.find_user(username).ok_or(VaultError::WrongCredentials)?;
        let unsealed = self.slots.unseal_user(slot, password, &self.device_secret)?;
        if unsealed.as_bytes() == self.database_key.as_bytes() { Ok(()) } else { Err(VaultError::WrongCredentials) }
    }

    /// Removes a user's slot, so that user can no longer unlock the vault.
    pub fn remove_slot(&mut self, user_id: &str) -> VaultResult<()> {
        self.reload_slots()?;
        self.slots.remove_user(user_id);
        self.slots.save(&self.data_dir.key_slots())
    }

    /// Puts back a copy of the key slots taken with `key_slots().clone()` before a change whose
    /// database half then failed, so the slot file and the database never disagree.
    pub fn restore_key_slots(&mut self, slots: KeySlots) -> VaultResult<()> {
        if slots.vault_id() != self.slots.vault_id() {
            return Err(VaultError::KeySlotFileDamaged("the slots belong to another vault"));
        }
        self.slots = slots;
        self.slots.save(&self.data_dir.key_slots())
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
