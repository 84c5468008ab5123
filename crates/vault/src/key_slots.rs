//! The key-slot file next to the database: for each user, the database key sealed with
//! XChaCha20-Poly1305 under a key derived from their password and this PC's device secret, plus
//! the recovery slot (the database key encrypted with age to the practice's recovery recipient).
//!
//! The file holds no patient data and no secret in the clear. It carries a SHA-256 checksum so
//! that damage is reported as damage rather than as a wrong password, and every slot's sealed key
//! is bound (as associated data) to the vault, the user and the cost parameters, so moving or
//! editing a slot makes it fail to open.

use std::fs;
use std::io::Write;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{VaultError, VaultResult};
use crate::kdf::{KdfParams, key_encryption_key, subkey};
use crate::secrets::{DatabaseKey, DeviceSecret, Password};

const FORMAT: u32 = 1;

/// One user's sealed copy of the database key.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct UserSlot {
    pub user_id: String,
    pub username: String,
    pub kdf: KdfParams,
    salt: String,
    nonce: String,
    sealed_key: String,
}

/// The database key encrypted to the practice's recovery recipient (an age X25519 public key).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct RecoverySlot {
    pub recipient: String,
    pub sealed_key: String,
}

/// Everything in the file but its checksum, in the order it is hashed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct SlotFileBody {
    format: u32,
    vault_id: String,
    /// A value derived from the device secret (not the secret itself), to tell "the keyring holds
    /// another secret" apart from "wrong password".
    device_check: String,
    recovery: RecoverySlot,
    users: Vec<UserSlot>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SlotFileOnDisk {
    #[serde(flatten)]
    body: SlotFileBody,
    checksum: String,
}

/// The key-slot file, loaded and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeySlots {
    body: SlotFileBody,
}

pub(crate) fn device_check(device_secret: &DeviceSecret) -> String {
    hex::encode(&subkey(device_secret.as_bytes(), "chartkeep/device-check/v1")[..16])
}

fn checksum(body: &SlotFileBody) -> VaultResult<String> {
    let bytes = serde_json::to_vec(body).map_err(|_| VaultError::KeySlotFileDamaged("cannot encode"))?;
    Ok(hex::encode(Sha256::digest(bytes)))
}

fn slot_associated_data(vault_id: &str, user_id: &str, username: &str, kdf: &KdfParams) -> Vec<u8> {
    format!(
        "chartkeep/slot/v{FORMAT}\0{vault_id}\0{user_id}\0{username}\0{}\0{}\0{}",
        kdf.memory_kib, kdf.iterations, kdf.parallelism
    )
    .into_bytes()
}

impl KeySlots {
    pub(crate) fn new(vault_id: &str, device_secret: &DeviceSecret, recovery: RecoverySlot) -> Self {
        KeySlots {
            body: SlotFileBody {
                format: FORMAT,
                vault_id: vault_id.to_owned(),
                device_check: device_check(device_secret),
                recovery,
                users: Vec::new(),
            },
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

    pub fn find_user(&self, username: &str) -> Option<&UserSlot> {
        self.body.users.iter().find(|slot| slot.username == username)
    }

    pub fn matches_device(&self, device_secret: &DeviceSecret) -> bool {
        self.body.device_check == device_check(device_secret)
    }

    /// Seals the database key for a user, replacing any slot the user had.
    pub(crate) fn seal_user(
        &mut self,
        user_id: &str,
        username: &str,
        password: &Password,
        kdf: KdfParams,
        device_secret: &DeviceSecret,
        database_key: &DatabaseKey,
    ) -> VaultResult<()> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)?;
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce)?;
        let kek = key_encryption_key(password, &salt, kdf, device_secret)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = slot_associated_data(&self.body.vault_id, user_id, username, &kdf);
        let sealed = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: database_key.as_bytes(), aad: &aad })
            .map_err(|_| VaultError::KeyDerivation("sealing the key slot failed".into()))?;
        let slot = UserSlot {
            user_id: user_id.to_owned(),
            username: username.to_owned(),
            kdf,
            salt: BASE64.encode(salt),
            nonce: BASE64.encode(nonce),
            sealed_key: BASE64.encode(sealed),
        };
        // A re-sealed slot keeps its place, so the first slot stays the owner who set up the practice.
        match self.body.users.iter_mut().find(|existing| existing.user_id == user_id) {
            Some(existing) => *existing = slot,
            None => self.body.users.push(slot),
        }
        Ok(())
    }

    pub(crate) fn remove_user(&mut self, user_id: &str) {
        self.body.users.retain(|slot| slot.user_id != user_id);
    }

    /// Drops every user slot: after a device secret is replaced they can no longer be opened.
    pub(crate) fn replace_device(&mut self, device_secret: &DeviceSecret) {
        self.body.users.clear();
        self.body.device_check = device_check(device_secret);
    }

    /// Opens a user's slot. A failure to authenticate means a wrong password (the file checksum
    /// and the device check have already ruled out damage and a foreign device secret).
    pub(crate) fn unseal_user(
        &self,
        slot: &UserSlot,
        password: &Password,
        device_secret: &DeviceSecret,
    ) -> VaultResult<DatabaseKey> {
        let damaged = |_| VaultError::KeySlotFileDamaged("a slot is not valid base64");
        let salt = BASE64.decode(&slot.salt).map_err(damaged)?;
        let nonce = BASE64.decode(&slot.nonce).map_err(damaged)?;
        let sealed = BASE64.decode(&slot.sealed_key).map_err(damaged)?;
        if nonce.len() != 24 {
            return Err(VaultError::KeySlotFileDamaged("a slot nonce has the wrong length"));
        }
        let kek = key_encryption_key(password, &salt, slot.kdf, device_secret)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = slot_associated_data(&self.body.vault_id, &slot.user_id, &slot.username, &slot.kdf);
        let opened = zeroize::Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: &aad })
                .map_err(|_| VaultError::WrongCredentials)?,
        );
        let bytes: [u8; 32] = opened
            .as_slice()
            .try_into()
            .map_err(|_| VaultError::KeySlotFileDamaged("a sealed key has the wrong length"))?;
        Ok(DatabaseKey::from_bytes(bytes))
    }

    pub fn load(path: &Path) -> VaultResult<KeySlots> {
        let bytes = fs::read(path).map_err(VaultError::io(path))?;
        let on_disk: SlotFileOnDisk =
            serde_json::from_slice(&bytes).map_err(|_| VaultError::KeySlotFileDamaged("it is not readable"))?;
        if on_disk.body.format != FORMAT {
            return Err(VaultError::KeySlotFileDamaged("unknown format version"));
        }
        if checksum(&on_disk.body)? != on_disk.checksum {
            return Err(VaultError::KeySlotFileDamaged("its checksum does not match"));
        }
        Ok(KeySlots { body: on_disk.body })
    }

    /// Writes the file atomically: a temporary file in the same folder, owner-only permissions,
    /// fsync, rename over the old file, then fsync of the folder.
    pub fn save(&self, path: &Path) -> VaultResult<()> {
        let on_disk = SlotFileOnDisk { body: self.body.clone(), checksum: checksum(&self.body)? };
        let bytes = serde_json::to_vec_pretty(&on_disk).map_err(|_| VaultError::KeySlotFileDamaged("cannot encode"))?;
        write_atomically(path, &bytes)
    }
}

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> VaultResult<()> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = std::path::PathBuf::from(temporary);
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(VaultError::io(&temporary))?;
    file.write_all(bytes).map_err(VaultError::io(&temporary))?;
    file.sync_all().map_err(VaultError::io(&temporary))?;
    drop(file);
    fs::rename(&temporary, path).map_err(VaultError::io(path))?;
    #[cfg(unix)]
    fs::File::open(folder).and_then(|dir| dir.sync_all()).map_err(VaultError::io(folder))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A slot file with one user, tampered with in memory and saved with a fresh checksum, as
    /// someone who can write the folder (but knows no secret) could do.
    fn tampered(change: impl FnOnce(&mut UserSlot)) -> (tempfile::TempDir, DeviceSecret) {
        let folder = tempfile::tempdir().unwrap();
        let device_secret = DeviceSecret::from_bytes([9; 32]);
        let recovery = RecoverySlot { recipient: "age1test".into(), sealed_key: "none".into() };
        let mut slots = KeySlots::new("vault", &device_secret, recovery);
        let password = Password::new("correct horse battery");
        let key = DatabaseKey::from_bytes([4; 32]);
        slots.seal_user("u1", "dana", &password, KdfParams::INSECURE_FOR_TESTS, &device_secret, &key).unwrap();
        change(&mut slots.body.users[0]);
        slots.save(&folder.path().join("keyslots.json")).unwrap();
        (folder, device_secret)
    }

    fn unseal(folder: &tempfile::TempDir, device_secret: &DeviceSecret) -> VaultResult<DatabaseKey> {
        let slots = KeySlots::load(&folder.path().join("keyslots.json")).unwrap();
        let slot = slots.find_user("dana").unwrap().clone();
        slots.unseal_user(&slot, &Password::new("correct horse battery"), device_secret)
    }

    #[test]
    fn a_flipped_bit_in_the_sealed_key_fails_authentication_cleanly() {
        let (folder, device_secret) = tampered(|slot| {
            let mut sealed = BASE64.decode(&slot.sealed_key).unwrap();
            sealed[3] ^= 0x10;
            slot.sealed_key = BASE64.encode(sealed);
        });
        assert!(matches!(unseal(&folder, &device_secret), Err(VaultError::WrongCredentials)));
    }

    #[test]
    fn changed_cost_parameters_fail_authentication_because_they_are_bound_to_the_slot() {
        let (folder, device_secret) = tampered(|slot| slot.kdf.iterations += 1);
        assert!(matches!(unseal(&folder, &device_secret), Err(VaultError::WrongCredentials)));
    }

    #[test]
    fn a_slot_asking_for_unreasonable_work_is_refused_before_any_hashing() {
        let (folder, device_secret) = tampered(|slot| slot.kdf.memory_kib = u32::MAX);
        let started = std::time::Instant::now();
        assert!(matches!(unseal(&folder, &device_secret), Err(VaultError::KeySlotFileDamaged(_))));
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "refused before allocating 4 TiB");
    }
}
