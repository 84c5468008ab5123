//! Opening the vault with the recovery key, when this PC's keyring entry is gone or the Owner's
//! password is forgotten, and binding it to this PC with a new device secret.

use rusqlite::Connection;

use crate::data_dir::{ClaimedDataDir, DataDir};
use crate::database::open_encrypted;
use crate::device_keyring::DeviceSecretStore;
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;
use crate::key_slots::KeySlots;
use crate::recovery::unseal_with_recovery_key;
use crate::secrets::{DatabaseKey, DeviceSecret, RecoveryKey};
use crate::trust::{database_key_check, record_slots, recorded_slots};
use crate::vault::{SlotHolder, UnlockedVault, read_key_slots, require_database};

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

/// Opens the vault with the recovery key, changing nothing. A rotation of the database key that
/// was cut off after its swap is followed: its new key, sealed to the same recipient, opens.
pub fn open_with_recovery_key(claim: &ClaimedDataDir, recovery_key: &RecoveryKey) -> VaultResult<RecoveredVault> {
    let data_dir = claim.data_dir();
    let mut slots = read_key_slots(data_dir)?;
    let current = unseal_with_recovery_key(slots.recovery(), recovery_key)?;
    require_database(data_dir)?;
    let copies = data_dir.pre_migration_copies();
    let (database_key, connection) = match open_encrypted(&data_dir.database(), &current, &copies) {
        Ok(connection) => {
            slots.set_pending(None);
            (current, connection)
        }
        Err(VaultError::DatabaseUnreadable) if slots.pending().is_some() => {
            let pending = slots.pending().map(|pending| pending.recovery_sealed_key.clone()).unwrap_or_default();
            let slot =
                crate::key_slots::RecoverySlot { recipient: slots.recovery().recipient.clone(), sealed_key: pending };
            let new_key = unseal_with_recovery_key(&slot, recovery_key)?;
            let connection = open_encrypted(&data_dir.database(), &new_key, &copies)?;
            slots.promote_pending();
            (new_key, connection)
        }
        Err(error) => return Err(error),
    };
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
    /// those users. The key slots are saved as a generation after any the database recorded.
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
        let recorded = recorded_slots(&connection)?.map_or(0, |recorded| recorded.generation());
        slots.raise_generation_to(recorded);
        keyring.store(slots.vault_id(), &device_secret)?;
        crate::failpoints::hit("bind.keyring-stored")?;
        let check = database_key_check(&device_secret, &database_key);
        slots.save(&data_dir.key_slots(), &database_key)?;
        record_slots(&connection, &slots)?;
        let generation = slots.generation();
        keyring.update(slots.vault_id(), &mut |entry| {
            entry.database_key_checks = vec![check.clone()];
            entry.key_slots_generation = generation;
        })?;
        Ok(UnlockedVault { data_dir, connection, database_key, device_secret, slots, findings: Vec::new() })
    }
}
