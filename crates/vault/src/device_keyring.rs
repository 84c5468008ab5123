//! This PC's device secret in the OS keyring (Secret Service on Linux, Credential Manager on
//! Windows, Keychain on macOS): one entry per vault, the only secret Chartkeep keeps there.
//!
//! The entry's value is a small JSON document so later fields (the audit chain's anchor) can live
//! beside the secret. There is deliberately no fallback store: when the keyring is unavailable
//! the vault refuses to open and says why.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::secrets::DeviceSecret;

const SERVICE: &str = "chartkeep";

/// Where device secrets are kept. The only implementation for real use is [`OsKeyring`]; the
/// trait exists so the vault's code reads in terms of what it needs from a keyring.
pub trait DeviceSecretStore: Send + Sync + std::fmt::Debug {
    /// Returns `Ok(None)` when the keyring works but holds no entry for this vault.
    fn load(&self, vault_id: &str) -> VaultResult<Option<DeviceSecret>>;
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> VaultResult<()>;
    fn delete(&self, vault_id: &str) -> VaultResult<()>;
}

/// The operating system's keyring, through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

#[derive(Serialize, Deserialize)]
struct EntryValue {
    format: u32,
    device_secret: String,
}

fn entry(vault_id: &str) -> VaultResult<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("vault-{vault_id}")).map_err(unavailable)
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::KeyringUnavailable(error.to_string())
}

impl DeviceSecretStore for OsKeyring {
    fn load(&self, vault_id: &str) -> VaultResult<Option<DeviceSecret>> {
        let text = match entry(vault_id)?.get_password() {
            Ok(text) => Zeroizing::new(text),
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(other) => return Err(unavailable(other)),
        };
        // A value we cannot read is treated like a foreign secret: it does not open the vault.
        let Ok(value) = serde_json::from_str::<EntryValue>(&text) else {
            return Err(VaultError::DeviceSecretMismatch);
        };
        let value = Zeroizing::new(value.device_secret);
        let bytes = Zeroizing::new(hex::decode(value.as_str()).map_err(|_| VaultError::DeviceSecretMismatch)?);
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| VaultError::DeviceSecretMismatch)?;
        Ok(Some(DeviceSecret::from_bytes(array)))
    }

    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> VaultResult<()> {
        let value = EntryValue { format: 1, device_secret: hex::encode(secret.as_bytes()) };
        let text = Zeroizing::new(
            serde_json::to_string(&value).map_err(|error| VaultError::KeyringUnavailable(error.to_string()))?,
        );
        let mut value = value;
        zeroize::Zeroize::zeroize(&mut value.device_secret);
        entry(vault_id)?.set_password(&text).map_err(unavailable)
    }

    fn delete(&self, vault_id: &str) -> VaultResult<()> {
        match entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }
}
