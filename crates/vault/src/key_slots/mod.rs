//! The key-slot file next to the database: for each user, the database key sealed so that only
//! their password on this PC opens it (`user_slot.rs`), plus the recovery slot (the database key
//! encrypted with age to the practice's recovery recipient), and while a rotation of the database
//! key completes, the new key sealed the same ways (`pending`).
//!
//! The file holds no patient data and no secret in the clear. Before anything is opened, a
//! SHA-256 checksum tells damage from a wrong password. Once a slot has given the database key,
//! an HMAC keyed from that key proves the whole file was written by the vault (`file.rs`), and its
//! generation number is compared with the copy inside the database and with the keyring entry
//! (`trust.rs` in the crate root): an edited, forged or rolled-back file is noticed, reported and
//! put right from the database's copy.

mod file;
mod user_slot;

use serde::{Deserialize, Serialize};

use crate::error::{VaultError, VaultResult};
use crate::kdf::{KdfParams, subkey};
use crate::secrets::{DatabaseKey, DeviceSecret, Password};

pub use file::write_atomically;
pub(crate) use file::{FileAuthenticity, SlotFileBody};
pub use user_slot::UserSlot;
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) use user_slot::seal_first_format as user_slot_first_format;
pub(crate) use user_slot::{OpenedSlot, open_key_with_identity, seal_key_to_recipient};

/// The database key encrypted to the practice's recovery recipient (an age X25519 public key).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RecoverySlot {
    pub recipient: String,
    pub sealed_key: String,
}

/// A rotation's new database key, sealed to the recovery recipient and to each remaining user's
/// recipient, until the rotated database is in place and the slots are promoted.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct PendingKey {
    pub recovery_sealed_key: String,
    pub users: Vec<PendingUserKey>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct PendingUserKey {
    pub user_id: String,
    pub sealed_key: String,
}

/// The key-slot file, loaded and checked for damage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySlots {
    pub(crate) body: SlotFileBody,
    /// What the file's MAC said when it was read (not yet known before a key opens it).
    pub(crate) authenticity: FileAuthenticity,
}

pub(crate) fn device_check(device_secret: &DeviceSecret) -> String {
    hex::encode(&subkey(device_secret.as_bytes(), "chartkeep/device-check/v1")[..16])
}

impl KeySlots {
    pub(crate) fn new(vault_id: &str, device_secret: &DeviceSecret, recovery: RecoverySlot) -> Self {
        KeySlots {
            body: SlotFileBody {
                format: file::FORMAT,
                vault_id: vault_id.to_owned(),
                generation: 0,
                device_check: device_check(device_secret),
                recovery,
                users: Vec::new(),
                pending: None,
            },
            authenticity: FileAuthenticity::Unknown,
        }
    }

    pub fn vault_id(&self) -> &str {
        &self.body.vault_id
    }

    pub fn recovery(&self) -> &RecoverySlot {
        &self.body.recovery
    }

    pub fn users(&self) -> &[UserSlot] {
        &self.body.users
    }

    /// The number of the file's last save; every save increases it.
    pub fn generation(&self) -> u64 {
        self.body.generation
    }

    /// Makes the next save's generation follow `generation` (one the database or the keyring
    /// recorded), so a saved file is never taken for an older one.
    pub(crate) fn raise_generation_to(&mut self, generation: u64) {
        self.body.generation = self.body.generation.max(generation);
    }

    pub fn find_user(&self, username: &str) -> Option<&UserSlot> {
        self.body.users.iter().find(|slot| slot.username == username)
    }

    pub fn matches_device(&self, device_secret: &DeviceSecret) -> bool {
        self.body.device_check == device_check(device_secret)
    }

    pub(crate) fn pending(&self) -> Option<&PendingKey> {
        self.body.pending.as_ref()
    }

    /// Seals the database key for a user, replacing any slot the user had. A re-sealed slot
    /// keeps its place, so the first slot stays the owner who set up the practice.
    pub(crate) fn seal_user(
        &mut self,
        user_id: &str,
        username: &str,
        password: &Password,
        kdf: KdfParams,
        device_secret: &DeviceSecret,
        database_key: &DatabaseKey,
    ) -> VaultResult<()> {
        let slot = UserSlot::seal(&self.body.vault_id, user_id, username, password, kdf, device_secret, database_key)?;
        match self.body.users.iter_mut().find(|existing| existing.user_id == user_id) {
            Some(existing) => *existing = slot,
            None => self.body.users.push(slot),
        }
        Ok(())
    }

    pub(crate) fn remove_user(&mut self, user_id: &str) {
        self.body.users.retain(|slot| slot.user_id != user_id);
        if let Some(pending) = &mut self.body.pending {
            pending.users.retain(|slot| slot.user_id != user_id);
        }
    }

    /// Drops every user slot: after a device secret is replaced they can no longer be opened.
    pub(crate) fn replace_device(&mut self, device_secret: &DeviceSecret) {
        self.body.users.clear();
        self.body.pending = None;
        self.body.device_check = device_check(device_secret);
    }

    pub(crate) fn set_pending(&mut self, pending: Option<PendingKey>) {
        self.body.pending = pending;
    }

    /// Makes a completed rotation's new key the key of every slot: the pending copies replace
    /// the old ones, and a user the rotation did not carry over loses their slot.
    pub(crate) fn promote_pending(&mut self) {
        let Some(pending) = self.body.pending.take() else { return };
        self.body.recovery.sealed_key = pending.recovery_sealed_key;
        self.body.users.retain_mut(|slot| match pending.users.iter().find(|p| p.user_id == slot.user_id) {
            Some(carried) => {
                slot.sealed_key = carried.sealed_key.clone();
                true
            }
            None => false,
        });
    }

    /// Opens a user's slot with their password.
    pub(crate) fn open_user(
        &self,
        slot: &UserSlot,
        password: &Password,
        device_secret: &DeviceSecret,
    ) -> VaultResult<OpenedSlot> {
        slot.open(&self.body.vault_id, password, device_secret)
    }

    /// The pending key of a rotation, opened with a user's identity.
    pub(crate) fn open_pending_for(
        &self,
        user_id: &str,
        identity: &age::x25519::Identity,
    ) -> Option<VaultResult<DatabaseKey>> {
        let pending = self.body.pending.as_ref()?;
        let sealed = pending.users.iter().find(|slot| slot.user_id == user_id)?;
        Some(open_key_with_identity(&sealed.sealed_key, identity))
    }

    pub fn load(path: &std::path::Path) -> VaultResult<KeySlots> {
        let (body, authenticity) = file::load(path)?;
        Ok(KeySlots { body, authenticity })
    }

    /// The file's bytes checked for damage, as [`KeySlots::load`] checks them once read.
    #[cfg(any(test, feature = "fuzzing"))]
    pub(crate) fn parse(bytes: &[u8]) -> VaultResult<KeySlots> {
        let (body, authenticity) = file::parse(bytes)?;
        Ok(KeySlots { body, authenticity })
    }

    /// Checks the file's MAC with the database key that one of its slots gave.
    pub(crate) fn check_authenticity(&mut self, database_key: &DatabaseKey) {
        self.authenticity = self.authenticity.checked_with(&self.body, database_key);
    }

    /// Whether the file was proven written by the vault with `database_key`'s MAC.
    pub(crate) fn is_authentic(&self) -> bool {
        self.authenticity == FileAuthenticity::Authentic
    }

    /// Saves the file as the next generation, with its MAC keyed from `database_key`.
    pub(crate) fn save(&mut self, path: &std::path::Path, database_key: &DatabaseKey) -> VaultResult<()> {
        self.prepare_next_generation();
        self.save_as_is(path, database_key)
    }

    /// Makes the slots the next generation without saving them yet: for a database that
    /// records them before the file is written ([`KeySlots::save_as_is`]).
    pub(crate) fn prepare_next_generation(&mut self) {
        self.body.generation += 1;
        self.body.format = file::FORMAT;
    }

    /// Saves the slots as they are (their generation already set), with the MAC.
    pub(crate) fn save_as_is(&mut self, path: &std::path::Path, database_key: &DatabaseKey) -> VaultResult<()> {
        file::save(path, &self.body, database_key)?;
        self.authenticity = FileAuthenticity::Authentic;
        Ok(())
    }

    /// The body as recorded inside the database, and back.
    pub(crate) fn body_text(&self) -> VaultResult<String> {
        serde_json::to_string(&self.body).map_err(|_| VaultError::KeySlotFileDamaged("cannot encode"))
    }

    pub(crate) fn from_recorded(text: &str) -> VaultResult<KeySlots> {
        let body: SlotFileBody = serde_json::from_str(text)
            .map_err(|_| VaultError::KeySlotFileDamaged("the database's copy of the key slots does not read"))?;
        Ok(KeySlots { body, authenticity: FileAuthenticity::Authentic })
    }
}
