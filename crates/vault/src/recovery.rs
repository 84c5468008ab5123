//! The recovery slot: the database key encrypted with age (X25519) to the practice's recovery
//! recipient. The matching identity is the recovery key, shown once at setup and never stored.

use std::str::FromStr;

use age::secrecy::ExposeSecret;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::key_slots::RecoverySlot;
use crate::secrets::{DatabaseKey, RecoveryKey};

/// Makes a new recovery identity; returns the secret key (to show once) and its public recipient.
pub(crate) fn generate_recovery_key() -> (RecoveryKey, String) {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    let secret = RecoveryKey::parse(identity.to_string().expose_secret());
    (secret, recipient)
}

pub(crate) fn seal_to_recipient(recipient: &str, database_key: &DatabaseKey) -> VaultResult<RecoverySlot> {
    let parsed = age::x25519::Recipient::from_str(recipient)
        .map_err(|_| VaultError::KeySlotFileDamaged("the recovery recipient is not valid"))?;
    let sealed = age::encrypt(&parsed, database_key.as_bytes())
        .map_err(|_| VaultError::KeyDerivation("sealing the recovery slot failed".into()))?;
    Ok(RecoverySlot { recipient: recipient.to_owned(), sealed_key: BASE64.encode(sealed) })
}

/// Opens the recovery slot with the recovery key.
pub(crate) fn unseal_with_recovery_key(slot: &RecoverySlot, key: &RecoveryKey) -> VaultResult<DatabaseKey> {
    let identity = age::x25519::Identity::from_str(key.expose()).map_err(|_| VaultError::RecoveryKeyMalformed)?;
    if identity.to_public().to_string() != slot.recipient {
        return Err(VaultError::RecoveryKeyWrong);
    }
    let sealed = BASE64
        .decode(&slot.sealed_key)
        .map_err(|_| VaultError::KeySlotFileDamaged("the recovery slot is not valid base64"))?;
    let opened = Zeroizing::new(
        age::decrypt(&identity, &sealed)
            .map_err(|_| VaultError::KeySlotFileDamaged("the recovery slot does not open"))?,
    );
    let bytes: [u8; 32] = opened
        .as_slice()
        .try_into()
        .map_err(|_| VaultError::KeySlotFileDamaged("the recovery slot holds a key of the wrong length"))?;
    Ok(DatabaseKey::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_slot_opens_with_its_key_only() {
        let database_key = DatabaseKey::from_bytes([42; 32]);
        let (key, recipient) = generate_recovery_key();
        assert!(key.expose().starts_with("AGE-SECRET-KEY-1"));
        assert_eq!(key.expose().len(), 74);
        let slot = seal_to_recipient(&recipient, &database_key).unwrap();
        let opened = unseal_with_recovery_key(&slot, &key).unwrap();
        assert_eq!(opened.as_bytes(), database_key.as_bytes());

        let (other_key, _) = generate_recovery_key();
        assert!(matches!(unseal_with_recovery_key(&slot, &other_key), Err(VaultError::RecoveryKeyWrong)));
        let garbage = RecoveryKey::parse("AGE-SECRET-KEY-1NOTAKEY");
        assert!(matches!(unseal_with_recovery_key(&slot, &garbage), Err(VaultError::RecoveryKeyMalformed)));
    }
}
