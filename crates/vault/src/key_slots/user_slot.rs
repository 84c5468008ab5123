//! One user's key slot. The user's password and this PC's device secret give the key-encryption
//! key (KEK, see `kdf.rs`). The KEK seals the user's own X25519 identity (XChaCha20-Poly1305,
//! bound to the vault, the user and the cost parameters), and the database key is sealed with age
//! to that identity's public recipient.
//!
//! The indirection is what lets the database key be rotated without anyone's password: a
//! rotation seals the new key to every remaining user's recipient, and a user who was
//! deactivated (and kept a copy of the file) holds only the old key.
//!
//! Slots written before this format (`v1`) seal the database key directly under the KEK. They
//! still open; each is rewritten in the new form the next time its user signs in.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::backup::identity_from_secret;
use crate::error::{VaultError, VaultResult};
use crate::kdf::{KdfParams, key_encryption_key};
use crate::secrets::{DatabaseKey, DeviceSecret, Password, random_32};

/// One user's slot, as stored in the file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UserSlot {
    pub user_id: String,
    pub username: String,
    pub kdf: KdfParams,
    pub(crate) salt: String,
    pub(crate) nonce: String,
    /// The user's public recipient (`age1…`); absent in a slot of the first format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// The user's identity sealed under the KEK; absent in a slot of the first format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) sealed_identity: Option<String>,
    /// The database key: sealed with age to `recipient`, or (first format) under the KEK.
    pub(crate) sealed_key: String,
}

/// What opening a slot gives: the database key, and the user's identity (which also opens the
/// new key of a rotation that has not completed).
pub(crate) struct OpenedSlot {
    pub key: DatabaseKey,
    pub identity: Option<age::x25519::Identity>,
}

fn associated_data(format: u32, vault_id: &str, user_id: &str, username: &str, kdf: &KdfParams) -> Vec<u8> {
    format!(
        "chartkeep/slot/v{format}\0{vault_id}\0{user_id}\0{username}\0{}\0{}\0{}",
        kdf.memory_kib, kdf.iterations, kdf.parallelism
    )
    .into_bytes()
}

fn damaged(_: base64::DecodeError) -> VaultError {
    VaultError::KeySlotFileDamaged("a slot is not valid base64")
}

/// Seals the database key to an age recipient (a user's, or the recovery recipient).
pub(crate) fn seal_key_to_recipient(recipient: &str, key: &DatabaseKey) -> VaultResult<String> {
    let parsed = crate::backup::parse_recipient(recipient)
        .map_err(|_| VaultError::KeySlotFileDamaged("a slot's recipient is not valid"))?;
    let sealed = age::encrypt(&parsed, key.as_bytes())
        .map_err(|_| VaultError::KeyDerivation("sealing a key slot failed".into()))?;
    Ok(BASE64.encode(sealed))
}

/// Opens a database key sealed with age to `identity`.
pub(crate) fn open_key_with_identity(sealed: &str, identity: &age::x25519::Identity) -> VaultResult<DatabaseKey> {
    let sealed = BASE64.decode(sealed).map_err(damaged)?;
    let opened = Zeroizing::new(
        age::decrypt(identity, &sealed).map_err(|_| VaultError::KeySlotFileDamaged("a sealed key does not open"))?,
    );
    let bytes: [u8; 32] = opened
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::KeySlotFileDamaged("a sealed key has the wrong length"))?;
    Ok(DatabaseKey::from_bytes(bytes))
}

impl UserSlot {
    /// A new slot (of the current format) for `user_id`.
    pub(crate) fn seal(
        vault_id: &str,
        user_id: &str,
        username: &str,
        password: &Password,
        kdf: KdfParams,
        device_secret: &DeviceSecret,
        database_key: &DatabaseKey,
    ) -> VaultResult<UserSlot> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)?;
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce)?;
        let identity_secret = random_32()?;
        let identity = identity_from_secret(&identity_secret)?;
        let recipient = identity.to_public().to_string();
        let kek = key_encryption_key(password, &salt, kdf, device_secret)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let aad = associated_data(2, vault_id, user_id, username, &kdf);
        let sealed_identity = cipher
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: identity_secret.as_slice(), aad: &aad })
            .map_err(|_| VaultError::KeyDerivation("sealing the key slot failed".into()))?;
        Ok(UserSlot {
            user_id: user_id.to_owned(),
            username: username.to_owned(),
            kdf,
            salt: BASE64.encode(salt),
            nonce: BASE64.encode(nonce),
            sealed_key: seal_key_to_recipient(&recipient, database_key)?,
            recipient: Some(recipient),
            sealed_identity: Some(BASE64.encode(sealed_identity)),
        })
    }

    /// Whether the slot is of the first format, which a rotation cannot carry over.
    pub fn is_first_format(&self) -> bool {
        self.sealed_identity.is_none() || self.recipient.is_none()
    }

    /// Opens the slot with the user's password. A failure to authenticate means a wrong
    /// password: the file's checksum and the device check have already ruled out damage and a
    /// foreign device secret.
    pub(crate) fn open(
        &self,
        vault_id: &str,
        password: &Password,
        device_secret: &DeviceSecret,
    ) -> VaultResult<OpenedSlot> {
        let salt = BASE64.decode(&self.salt).map_err(damaged)?;
        let nonce = BASE64.decode(&self.nonce).map_err(damaged)?;
        if nonce.len() != 24 {
            return Err(VaultError::KeySlotFileDamaged("a slot nonce has the wrong length"));
        }
        let kek = key_encryption_key(password, &salt, self.kdf, device_secret)?;
        let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
        let (format, sealed) = match &self.sealed_identity {
            Some(sealed_identity) => (2, BASE64.decode(sealed_identity).map_err(damaged)?),
            None => (1, BASE64.decode(&self.sealed_key).map_err(damaged)?),
        };
        let aad = associated_data(format, vault_id, &self.user_id, &self.username, &self.kdf);
        let opened = Zeroizing::new(
            cipher
                .decrypt(XNonce::from_slice(&nonce), Payload { msg: &sealed, aad: &aad })
                .map_err(|_| VaultError::WrongCredentials)?,
        );
        let secret: Zeroizing<[u8; 32]> = Zeroizing::new(
            opened
                .as_slice()
                .try_into()
                .map_err(|_| VaultError::KeySlotFileDamaged("a sealed key has the wrong length"))?,
        );
        if format == 1 {
            return Ok(OpenedSlot { key: DatabaseKey::from_bytes(*secret), identity: None });
        }
        let identity = identity_from_secret(&secret)?;
        if self.recipient.as_deref() != Some(identity.to_public().to_string().as_str()) {
            return Err(VaultError::KeySlotFileDamaged("a slot's recipient is not its identity's"));
        }
        let key = open_key_with_identity(&self.sealed_key, &identity)?;
        Ok(OpenedSlot { key, identity: Some(identity) })
    }
}

/// A slot of the first format, as Chartkeep wrote it before rotations were possible: the
/// database key sealed directly under the KEK. For the upgrade tests and the fuzz seeds only.
#[cfg(any(test, feature = "fuzzing"))]
#[allow(clippy::unwrap_used)]
pub(crate) fn seal_first_format(
    vault_id: &str,
    user_id: &str,
    username: &str,
    password: &Password,
    kdf: KdfParams,
    device_secret: &DeviceSecret,
    database_key: &DatabaseKey,
) -> UserSlot {
    let (salt, nonce) = ([5u8; 16], [6u8; 24]);
    let kek = key_encryption_key(password, &salt, kdf, device_secret).unwrap();
    let cipher = XChaCha20Poly1305::new(kek.as_ref().into());
    let aad = associated_data(1, vault_id, user_id, username, &kdf);
    let sealed =
        cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: database_key.as_bytes(), aad: &aad }).unwrap();
    UserSlot {
        user_id: user_id.to_owned(),
        username: username.to_owned(),
        kdf,
        salt: BASE64.encode(salt),
        nonce: BASE64.encode(nonce),
        recipient: None,
        sealed_identity: None,
        sealed_key: BASE64.encode(sealed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot() -> (UserSlot, DeviceSecret, DatabaseKey) {
        let device_secret = DeviceSecret::from_bytes([9; 32]);
        let key = DatabaseKey::from_bytes([4; 32]);
        let password = Password::new("correct horse battery");
        let slot =
            UserSlot::seal("vault", "u1", "dana", &password, KdfParams::INSECURE_FOR_TESTS, &device_secret, &key)
                .unwrap();
        (slot, device_secret, key)
    }

    fn open(slot: &UserSlot, device_secret: &DeviceSecret) -> VaultResult<OpenedSlot> {
        slot.open("vault", &Password::new("correct horse battery"), device_secret)
    }

    #[test]
    fn a_slot_opens_with_its_password_and_gives_the_key_and_identity() {
        let (slot, device_secret, key) = slot();
        let opened = open(&slot, &device_secret).unwrap();
        assert_eq!(opened.key.as_bytes(), key.as_bytes());
        assert_eq!(opened.identity.unwrap().to_public().to_string(), slot.recipient.clone().unwrap());
        let wrong = slot.open("vault", &Password::new("not the password"), &device_secret);
        assert!(matches!(wrong, Err(VaultError::WrongCredentials)));
        assert!(matches!(open(&slot, &DeviceSecret::from_bytes([8; 32])), Err(VaultError::WrongCredentials)));
    }

    #[test]
    fn a_flipped_bit_in_the_sealed_identity_fails_authentication_cleanly() {
        let (mut slot, device_secret, _) = slot();
        let mut sealed = BASE64.decode(slot.sealed_identity.as_ref().unwrap()).unwrap();
        sealed[3] ^= 0x10;
        slot.sealed_identity = Some(BASE64.encode(sealed));
        assert!(matches!(open(&slot, &device_secret), Err(VaultError::WrongCredentials)));
    }

    #[test]
    fn changed_cost_parameters_fail_authentication_because_they_are_bound_to_the_slot() {
        let (mut slot, device_secret, _) = slot();
        slot.kdf.iterations += 1;
        assert!(matches!(open(&slot, &device_secret), Err(VaultError::WrongCredentials)));
    }

    #[test]
    fn a_key_sealed_to_another_recipient_does_not_open() {
        let (mut slot, device_secret, _) = slot();
        let stranger = age::x25519::Identity::generate().to_public().to_string();
        slot.sealed_key = seal_key_to_recipient(&stranger, &DatabaseKey::from_bytes([5; 32])).unwrap();
        assert!(matches!(open(&slot, &device_secret), Err(VaultError::KeySlotFileDamaged(_))));
        let (mut slot, device_secret, _) = self::slot();
        slot.recipient = Some(stranger);
        assert!(matches!(open(&slot, &device_secret), Err(VaultError::KeySlotFileDamaged(_))));
    }

    #[test]
    fn a_slot_asking_for_unreasonable_work_is_refused_before_any_hashing() {
        let (mut slot, device_secret, _) = slot();
        slot.kdf.memory_kib = u32::MAX;
        let started = std::time::Instant::now();
        assert!(matches!(open(&slot, &device_secret), Err(VaultError::KeySlotFileDamaged(_))));
        assert!(started.elapsed() < std::time::Duration::from_secs(1), "refused before allocating 4 TiB");
    }
}
