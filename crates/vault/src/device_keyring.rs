//! This PC's device secret in the OS keyring (Secret Service on Linux, Credential Manager on
//! Windows, Keychain on macOS): one entry per vault, the only secret Chartkeep keeps there.
//!
//! The entry's value is a small JSON document: the device secret, and beside it the audit chain's
//! anchor (the sequence number and hash of the chain's last entry when the vault was last locked),
//! so a database rolled back to an older copy, or cut short, is noticed at the next unlock. There
//! is deliberately no fallback store: when the keyring is unavailable the vault refuses to open
//! and says why.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::secrets::DeviceSecret;

const SERVICE: &str = "chartkeep";

/// The audit chain's head as it stood when the vault was last locked or the app closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainAnchor {
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// Where device secrets are kept. The only implementation for real use is [`OsKeyring`]; the
/// trait exists so the vault's code reads in terms of what it needs from a keyring.
pub trait DeviceSecretStore: Send + Sync + std::fmt::Debug {
    /// Returns `Ok(None)` when the keyring works but holds no entry for this vault.
    fn load(&self, vault_id: &str) -> VaultResult<Option<DeviceSecret>>;
    /// Stores the device secret, keeping an anchor the entry already holds.
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> VaultResult<()>;
    fn delete(&self, vault_id: &str) -> VaultResult<()>;
    /// The audit chain's anchor, `Ok(None)` when the entry holds none (yet).
    fn load_anchor(&self, vault_id: &str) -> VaultResult<Option<ChainAnchor>>;
    /// Replaces the anchor beside the device secret. The entry must exist.
    fn store_anchor(&self, vault_id: &str, anchor: &ChainAnchor) -> VaultResult<()>;
}

/// The operating system's keyring, through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

#[derive(Serialize, Deserialize)]
struct EntryValue {
    format: u32,
    device_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_anchor: Option<AnchorValue>,
}

#[derive(Clone, Serialize, Deserialize)]
struct AnchorValue {
    seq: i64,
    hash: String,
}

impl Drop for EntryValue {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.device_secret);
    }
}

fn entry(vault_id: &str) -> VaultResult<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("vault-{vault_id}")).map_err(unavailable)
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::KeyringUnavailable(error.to_string())
}

/// Reads this vault's entry: `Ok(None)` when there is none.
fn read_entry(vault_id: &str) -> VaultResult<Option<EntryValue>> {
    let text = match entry(vault_id)?.get_password() {
        Ok(text) => Zeroizing::new(text),
        Err(keyring::Error::NoEntry) => return Ok(None),
        Err(other) => return Err(unavailable(other)),
    };
    // A value we cannot read is treated like a foreign secret: it does not open the vault.
    serde_json::from_str::<EntryValue>(&text).map(Some).map_err(|_| VaultError::DeviceSecretMismatch)
}

fn write_entry(vault_id: &str, value: &EntryValue) -> VaultResult<()> {
    let text = Zeroizing::new(
        serde_json::to_string(value).map_err(|error| VaultError::KeyringUnavailable(error.to_string()))?,
    );
    entry(vault_id)?.set_password(&text).map_err(unavailable)
}

impl DeviceSecretStore for OsKeyring {
    fn load(&self, vault_id: &str) -> VaultResult<Option<DeviceSecret>> {
        let Some(value) = read_entry(vault_id)? else { return Ok(None) };
        let bytes =
            Zeroizing::new(hex::decode(value.device_secret.as_str()).map_err(|_| VaultError::DeviceSecretMismatch)?);
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| VaultError::DeviceSecretMismatch)?;
        Ok(Some(DeviceSecret::from_bytes(array)))
    }

    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> VaultResult<()> {
        // An unreadable or missing entry has no anchor worth keeping.
        let kept_anchor = read_entry(vault_id).ok().flatten().and_then(|old| old.audit_anchor.clone());
        let value = EntryValue { format: 1, device_secret: hex::encode(secret.as_bytes()), audit_anchor: kept_anchor };
        write_entry(vault_id, &value)
    }

    fn delete(&self, vault_id: &str) -> VaultResult<()> {
        match entry(vault_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }

    fn load_anchor(&self, vault_id: &str) -> VaultResult<Option<ChainAnchor>> {
        let Some(value) = read_entry(vault_id)? else { return Ok(None) };
        let Some(anchor) = &value.audit_anchor else { return Ok(None) };
        // A damaged anchor is no anchor: the unlock then verifies the whole chain instead.
        Ok(hex::decode(&anchor.hash).ok().map(|hash| ChainAnchor { seq: anchor.seq, hash }))
    }

    fn store_anchor(&self, vault_id: &str, anchor: &ChainAnchor) -> VaultResult<()> {
        let Some(mut value) = read_entry(vault_id)? else { return Err(VaultError::DeviceSecretMissing) };
        value.audit_anchor = Some(AnchorValue { seq: anchor.seq, hash: hex::encode(&anchor.hash) });
        write_entry(vault_id, &value)
    }
}
