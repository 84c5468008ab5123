//! The keys a backup is encrypted to: the recovery recipient, the practice's own backup
//! recipient (an X25519 key derived from the database key with HKDF), and further recipients
//! the Owner added.

use std::str::FromStr;

use bech32::{ToBase32, Variant};
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::kdf::subkey;
use crate::secrets::DatabaseKey;

const PRACTICE_IDENTITY_PURPOSE: &str = "chartkeep/backup-identity/v1";

/// The practice's own backup identity: whoever holds the database key can derive it, so the
/// signed-in app can open and verify the practice's backups without the recovery key.
pub(crate) fn practice_identity(key: &DatabaseKey) -> VaultResult<age::x25519::Identity> {
    identity_from_secret(&subkey(key.as_bytes(), PRACTICE_IDENTITY_PURPOSE))
}

/// The age X25519 identity whose secret scalar is `secret` (a user's slot identity, the
/// practice's backup identity).
pub(crate) fn identity_from_secret(secret: &[u8; 32]) -> VaultResult<age::x25519::Identity> {
    let encoded = Zeroizing::new(
        bech32::encode("age-secret-key-", secret.to_base32(), Variant::Bech32)
            .map_err(|_| VaultError::KeyDerivation("the backup identity could not be encoded".into()))?
            .to_uppercase(),
    );
    age::x25519::Identity::from_str(&encoded)
        .map_err(|_| VaultError::KeyDerivation("the backup identity could not be derived".into()))
}

/// Reads an age X25519 recipient (`age1…`), as the Owner pastes it.
pub fn parse_recipient(text: &str) -> VaultResult<age::x25519::Recipient> {
    age::x25519::Recipient::from_str(text.trim()).map_err(|_| VaultError::RecipientMalformed)
}

/// Seals the database key with age to several recipients (the backup's key slot).
pub(crate) fn seal_key_to(recipients: &[age::x25519::Recipient], key: &DatabaseKey) -> VaultResult<Vec<u8>> {
    let sealing = || VaultError::KeyDerivation("the backup's key slot could not be sealed".into());
    let encryptor =
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient)).map_err(|_| sealing())?;
    let mut sealed = Vec::new();
    let mut writer = encryptor.wrap_output(&mut sealed).map_err(|_| sealing())?;
    std::io::Write::write_all(&mut writer, key.as_bytes()).map_err(|_| sealing())?;
    writer.finish().map_err(|_| sealing())?;
    Ok(sealed)
}

/// Opens the backup's key slot with `identity`.
pub(crate) fn unseal_key(sealed: &[u8], identity: &age::x25519::Identity) -> Option<DatabaseKey> {
    let opened = Zeroizing::new(age::decrypt(identity, sealed).ok()?);
    let bytes: [u8; 32] = opened.as_slice().try_into().ok()?;
    Some(DatabaseKey::from_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_practice_identity_is_fixed_by_the_database_key() {
        let key = DatabaseKey::from_bytes([7; 32]);
        let first = practice_identity(&key).unwrap().to_public().to_string();
        let again = practice_identity(&key).unwrap().to_public().to_string();
        let other = practice_identity(&DatabaseKey::from_bytes([8; 32])).unwrap().to_public().to_string();
        assert!(first.starts_with("age1"));
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert!(parse_recipient(&format!("  {first}\n")).is_ok());
        assert!(matches!(parse_recipient("age1notakey"), Err(VaultError::RecipientMalformed)));
    }
}
