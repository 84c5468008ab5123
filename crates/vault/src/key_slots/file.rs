//! The key-slot file on disk: its body, a SHA-256 checksum of the body (so damage is reported as
//! damage, before any password is tried) and an HMAC of the body keyed from the database key (so
//! only the vault can write a file that the vault accepts). Written atomically, owner-only.

use std::fs;
use std::io::Write;
use std::path::Path;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{PendingKey, RecoverySlot, UserSlot};
use crate::error::{VaultError, VaultResult};
use crate::kdf::subkey;
use crate::secrets::DatabaseKey;

/// The format this code writes. Format 1 (no MAC, no generation, slots sealing the key under the
/// password) is still read, once, to upgrade it.
pub(crate) const FORMAT: u32 = 2;
const FIRST_FORMAT: u32 = 1;

const MAC_PURPOSE: &str = "chartkeep/key-slots/v2";

/// A key-slot file larger than this is damage, not key slots.
const FILE_LIMIT: u64 = 4 * 1024 * 1024;

/// Everything in the file but its checksum and MAC, in the order it is hashed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct SlotFileBody {
    pub format: u32,
    pub vault_id: String,
    #[serde(default)]
    pub generation: u64,
    /// A value derived from the device secret (not the secret itself), to tell "the keyring
    /// holds another secret" apart from "wrong password".
    pub device_check: String,
    pub recovery: RecoverySlot,
    pub users: Vec<UserSlot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingKey>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SlotFileOnDisk {
    body: SlotFileBody,
    checksum: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mac: Option<String>,
}

/// The first format kept the body's fields at the top level.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FirstFormatOnDisk {
    format: u32,
    vault_id: String,
    device_check: String,
    recovery: RecoverySlot,
    users: Vec<UserSlot>,
    checksum: String,
}

/// What is known of the file's origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileAuthenticity {
    /// A file of the current format whose MAC has not been checked yet (no key opened it).
    Unchecked { mac: String },
    /// The file's MAC checks with the database key: the vault wrote it.
    Authentic,
    /// The MAC does not check: someone without the database key wrote or edited the file.
    Altered,
    /// A file of the first format, which had no MAC.
    FirstFormat,
    /// Made in memory, not read from a file.
    Unknown,
}

impl FileAuthenticity {
    pub(crate) fn checked_with(&self, body: &SlotFileBody, key: &DatabaseKey) -> FileAuthenticity {
        match self {
            FileAuthenticity::Unchecked { mac } => {
                let verified =
                    hex::decode(mac).ok().is_some_and(|claimed| mac_of(body, key).verify_slice(&claimed).is_ok());
                if verified { FileAuthenticity::Authentic } else { FileAuthenticity::Altered }
            }
            other => other.clone(),
        }
    }
}

fn encoded(body: &SlotFileBody) -> VaultResult<Vec<u8>> {
    serde_json::to_vec(body).map_err(|_| VaultError::KeySlotFileDamaged("cannot encode"))
}

fn checksum(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn mac_of(body: &SlotFileBody, key: &DatabaseKey) -> Hmac<Sha256> {
    let mac_key = subkey(key.as_bytes(), MAC_PURPOSE);
    // HMAC takes keys of any length, so a 32-byte key cannot be refused.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(mac_key.as_slice())
        .unwrap_or_else(|_| unreachable!("HMAC-SHA256 accepts a 32-byte key"));
    mac.update(MAC_PURPOSE.as_bytes());
    mac.update(&serde_json::to_vec(body).unwrap_or_default());
    mac
}

/// Reads and checks the file for damage. Its authenticity is decided later, with a key.
pub(crate) fn load(path: &Path) -> VaultResult<(SlotFileBody, FileAuthenticity)> {
    let size = fs::metadata(path).map_err(VaultError::io(path))?.len();
    if size > FILE_LIMIT {
        return Err(VaultError::KeySlotFileDamaged("it is far too large"));
    }
    let bytes = fs::read(path).map_err(VaultError::io(path))?;
    parse(&bytes)
}

/// Reads the file's bytes and checks them for damage.
pub(crate) fn parse(bytes: &[u8]) -> VaultResult<(SlotFileBody, FileAuthenticity)> {
    if bytes.len() as u64 > FILE_LIMIT {
        return Err(VaultError::KeySlotFileDamaged("it is far too large"));
    }
    if let Ok(on_disk) = serde_json::from_slice::<SlotFileOnDisk>(bytes) {
        if on_disk.body.format != FORMAT {
            return Err(VaultError::KeySlotFileDamaged("unknown format version"));
        }
        if checksum(&encoded(&on_disk.body)?) != on_disk.checksum {
            return Err(VaultError::KeySlotFileDamaged("its checksum does not match"));
        }
        let authenticity = match on_disk.mac {
            Some(mac) => FileAuthenticity::Unchecked { mac },
            None => FileAuthenticity::Altered,
        };
        return Ok((on_disk.body, authenticity));
    }
    let first: FirstFormatOnDisk =
        serde_json::from_slice(bytes).map_err(|_| VaultError::KeySlotFileDamaged("it is not readable"))?;
    if first.format != FIRST_FORMAT {
        return Err(VaultError::KeySlotFileDamaged("unknown format version"));
    }
    #[derive(Serialize)]
    struct FirstFormatBody<'a> {
        format: u32,
        vault_id: &'a str,
        device_check: &'a str,
        recovery: &'a RecoverySlot,
        users: &'a [UserSlot],
    }
    let hashed = FirstFormatBody {
        format: first.format,
        vault_id: &first.vault_id,
        device_check: &first.device_check,
        recovery: &first.recovery,
        users: &first.users,
    };
    let bytes = serde_json::to_vec(&hashed).map_err(|_| VaultError::KeySlotFileDamaged("cannot encode"))?;
    if checksum(&bytes) != first.checksum {
        return Err(VaultError::KeySlotFileDamaged("its checksum does not match"));
    }
    if first.users.iter().any(|slot| !slot.is_first_format()) {
        return Err(VaultError::KeySlotFileDamaged("it mixes slot formats"));
    }
    let body = SlotFileBody {
        format: FIRST_FORMAT,
        vault_id: first.vault_id,
        generation: 0,
        device_check: first.device_check,
        recovery: first.recovery,
        users: first.users,
        pending: None,
    };
    Ok((body, FileAuthenticity::FirstFormat))
}

/// Writes the file with its checksum and its MAC keyed from `key`.
pub(crate) fn save(path: &Path, body: &SlotFileBody, key: &DatabaseKey) -> VaultResult<()> {
    let mac = hex::encode(mac_of(body, key).finalize().into_bytes());
    let on_disk = SlotFileOnDisk { body: body.clone(), checksum: checksum(&encoded(body)?), mac: Some(mac) };
    let bytes = serde_json::to_vec_pretty(&on_disk).map_err(|_| VaultError::KeySlotFileDamaged("cannot encode"))?;
    write_atomically(path, &bytes)
}

/// Replaces `path` with `bytes` so that a crash leaves either the old or the new file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> VaultResult<()> {
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
    crate::failpoints::hit("atomic-write.before-rename")?;
    fs::rename(&temporary, path).map_err(VaultError::io(path))?;
    crate::failpoints::hit("atomic-write.renamed")?;
    #[cfg(unix)]
    {
        let folder = path.parent().unwrap_or(Path::new("."));
        fs::File::open(folder).and_then(|dir| dir.sync_all()).map_err(VaultError::io(folder))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body() -> SlotFileBody {
        SlotFileBody {
            format: FORMAT,
            vault_id: "vault".into(),
            generation: 3,
            device_check: "check".into(),
            recovery: RecoverySlot { recipient: "age1test".into(), sealed_key: "sealed".into() },
            users: Vec::new(),
            pending: None,
        }
    }

    #[test]
    fn the_mac_proves_the_vault_wrote_the_file_and_nothing_else_does() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keyslots.json");
        let key = DatabaseKey::from_bytes([1; 32]);
        save(&path, &body(), &key).unwrap();
        let (read, authenticity) = load(&path).unwrap();
        assert_eq!(authenticity.checked_with(&read, &key), FileAuthenticity::Authentic);
        let other_key = DatabaseKey::from_bytes([2; 32]);
        assert_eq!(authenticity.checked_with(&read, &other_key), FileAuthenticity::Altered);

        // Someone without the key changes the recovery recipient and recomputes the checksum.
        let mut changed = read.clone();
        changed.recovery.recipient = "age1attacker".into();
        let text = serde_json::json!({
            "body": changed, "checksum": checksum(&encoded(&changed).unwrap()),
            "mac": match &authenticity { FileAuthenticity::Unchecked { mac } => mac.clone(), _ => String::new() },
        });
        std::fs::write(&path, text.to_string()).unwrap();
        let (read, authenticity) = load(&path).unwrap();
        assert_eq!(authenticity.checked_with(&read, &key), FileAuthenticity::Altered);

        // Or drops the MAC altogether.
        let text = serde_json::json!({ "body": changed, "checksum": checksum(&encoded(&changed).unwrap()) });
        std::fs::write(&path, text.to_string()).unwrap();
        assert_eq!(load(&path).unwrap().1, FileAuthenticity::Altered);
    }

    #[test]
    fn unknown_fields_and_formats_are_damage() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("keyslots.json");
        let mut with_extra = serde_json::to_value(body()).unwrap();
        with_extra["surprise"] = serde_json::json!(1);
        let text = serde_json::json!({ "body": with_extra, "checksum": "x" });
        std::fs::write(&path, text.to_string()).unwrap();
        assert!(matches!(load(&path), Err(VaultError::KeySlotFileDamaged(_))));
        let mut future = body();
        future.format = 3;
        let text = serde_json::json!({ "body": future, "checksum": checksum(&encoded(&future).unwrap()) });
        std::fs::write(&path, text.to_string()).unwrap();
        assert!(matches!(load(&path), Err(VaultError::KeySlotFileDamaged(_))));
    }
}
