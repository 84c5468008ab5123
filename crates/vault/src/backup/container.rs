//! The plaintext layout inside a backup's age encryption: header, snapshot, trailer, footer.
//! The trailer holds the manifest as the exact text its HMAC covers, so no re-encoding can
//! change what was authenticated.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::{VaultError, VaultResult};
use crate::kdf::subkey;
use crate::secrets::DatabaseKey;

/// The format this code writes and reads.
pub(crate) const FORMAT: u32 = 1;

const MAGIC: &[u8; 17] = b"CHARTKEEP BACKUP\n";
pub(crate) const HEADER_BYTES: u64 = MAGIC.len() as u64 + 4;

const END_MARK: &[u8; 8] = b"CK-END\n\0";
pub(crate) const FOOTER_BYTES: u64 = 8 + END_MARK.len() as u64;

/// A trailer larger than this is damage, not a manifest.
const TRAILER_LIMIT: u64 = 4 * 1024 * 1024;

const MAC_PURPOSE: &str = "chartkeep/backup-manifest/v1";

pub(crate) fn header() -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&FORMAT.to_be_bytes());
    bytes
}

/// Checks the header; returns the format version.
pub(crate) fn read_header(bytes: &[u8; HEADER_BYTES as usize]) -> VaultResult<u32> {
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(VaultError::NotABackup);
    }
    let mut version = [0u8; 4];
    version.copy_from_slice(&bytes[MAGIC.len()..]);
    match u32::from_be_bytes(version) {
        FORMAT => Ok(FORMAT),
        other => {
            Err(VaultError::BackupDamaged(format!("it uses backup format {other}, which this version does not read")))
        }
    }
}

pub(crate) fn footer(trailer_bytes: u64) -> Vec<u8> {
    let mut bytes = trailer_bytes.to_be_bytes().to_vec();
    bytes.extend_from_slice(END_MARK);
    bytes
}

/// The trailer's length, from the footer.
pub(crate) fn read_footer(bytes: &[u8; FOOTER_BYTES as usize]) -> VaultResult<u64> {
    if &bytes[8..] != END_MARK {
        return Err(VaultError::BackupDamaged("its end mark is missing".into()));
    }
    let mut length = [0u8; 8];
    length.copy_from_slice(&bytes[..8]);
    let length = u64::from_be_bytes(length);
    if length == 0 || length > TRAILER_LIMIT {
        return Err(VaultError::BackupDamaged("its trailer has an impossible length".into()));
    }
    Ok(length)
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Trailer {
    /// The manifest's JSON text, exactly as authenticated.
    pub manifest: String,
    /// HMAC-SHA256 over the manifest and the key slot, in hex.
    pub hmac: String,
    /// The database key sealed with age to the recovery recipient and the further recipients,
    /// in base64.
    pub key_slot: String,
}

fn mac_over(key: &DatabaseKey, manifest: &str, key_slot: &str) -> VaultResult<Hmac<Sha256>> {
    let mac_key = subkey(key.as_bytes(), MAC_PURPOSE);
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(mac_key.as_slice())
        .map_err(|_| VaultError::KeyDerivation("the manifest key has the wrong length".into()))?;
    for part in [MAC_PURPOSE, manifest, key_slot] {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part.as_bytes());
    }
    Ok(mac)
}

impl Trailer {
    pub(crate) fn seal(key: &DatabaseKey, manifest: String, key_slot: String) -> VaultResult<Trailer> {
        let hmac = hex::encode(mac_over(key, &manifest, &key_slot)?.finalize().into_bytes());
        Ok(Trailer { manifest, hmac, key_slot })
    }

    /// Checks the HMAC with `key`, in constant time.
    pub(crate) fn verify(&self, key: &DatabaseKey) -> VaultResult<()> {
        let claimed = hex::decode(&self.hmac).map_err(|_| VaultError::BackupForged)?;
        mac_over(key, &self.manifest, &self.key_slot)?.verify_slice(&claimed).map_err(|_| VaultError::BackupForged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hmac_covers_the_manifest_and_the_key_slot() {
        let key = DatabaseKey::from_bytes([1; 32]);
        let trailer = Trailer::seal(&key, "{\"a\":1}".into(), "slot".into()).unwrap();
        trailer.verify(&key).unwrap();
        assert!(matches!(trailer.verify(&DatabaseKey::from_bytes([2; 32])), Err(VaultError::BackupForged)));
        let edited =
            Trailer { manifest: "{\"a\":2}".into(), ..Trailer::seal(&key, "{\"a\":1}".into(), "slot".into()).unwrap() };
        assert!(matches!(edited.verify(&key), Err(VaultError::BackupForged)));
        let moved =
            Trailer { key_slot: "other".into(), ..Trailer::seal(&key, "{\"a\":1}".into(), "slot".into()).unwrap() };
        assert!(matches!(moved.verify(&key), Err(VaultError::BackupForged)));
    }

    #[test]
    fn headers_and_footers_read_back_and_refuse_what_is_not_theirs() {
        let header: [u8; HEADER_BYTES as usize] = header().try_into().unwrap();
        assert_eq!(read_header(&header).unwrap(), FORMAT);
        let mut other = header;
        other[0] = b'X';
        assert!(matches!(read_header(&other), Err(VaultError::NotABackup)));
        let footer: [u8; FOOTER_BYTES as usize] = footer(1234).try_into().unwrap();
        assert_eq!(read_footer(&footer).unwrap(), 1234);
        let huge: [u8; FOOTER_BYTES as usize] = super::footer(u64::MAX).try_into().unwrap();
        assert!(read_footer(&huge).is_err());
    }
}
