//! What the vault trusts outside the encrypted database, checked against it at every unlock.
//!
//! - The key-slot file must carry the vault's MAC (keyed from the database key) and a generation
//!   no older than the copy the database recorded when the file was last written; otherwise it
//!   was edited, forged or rolled back, and it is put right from the database's copy.
//! - The keyring entry records the key-slot generation too, so a database and a file rolled back
//!   together are noticed; and a check of the database key, so a file whose slots open another
//!   key (a substituted database) is refused before anything is opened.
//!
//! Findings are handed to the clinic crate, which raises an integrity alert for each.

use rusqlite::{Connection, OptionalExtension, params};

use crate::device_keyring::{DeviceSecretStore, KeyringEntry};
use crate::error::{VaultError, VaultResult};
use crate::key_slots::{FileAuthenticity, KeySlots};
use crate::secrets::{DatabaseKey, DeviceSecret};

/// Something the unlock found wrong (and, where it could, put right) in what lies outside the
/// database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustFinding {
    /// The key-slot file was not written by the vault: its MAC fails, or it lacks one. It was
    /// rewritten from the database's copy when there was one.
    KeySlotFileAltered { repaired: bool },
    /// The key-slot file is an older copy than the one the database recorded. It was rewritten
    /// from the database's copy.
    KeySlotFileRolledBack { found: u64, recorded: u64 },
    /// The database recorded an older key-slot file than this PC's keyring remembers: the
    /// database itself was rolled back to an older copy.
    KeySlotRecordBehindKeyring { recorded: u64, remembered: u64 },
    /// A key-slot file from before schema 8 was recorded in the database for the first time
    /// (trusted as found, since nothing older could vouch for it).
    KeySlotsRecordedOnUpgrade,
    /// A rotation of the database key was cut off before the new database was in place; the old
    /// key still opens it. The rotation must be run again.
    KeyRotationInterrupted,
    /// A rotation that was cut off after the new database was in place was completed now.
    KeyRotationCompleted,
}

/// A check of a database key, keyed from the device secret: it says whether a key is the one this
/// PC's vault uses without revealing it.
pub(crate) fn database_key_check(device_secret: &DeviceSecret, key: &DatabaseKey) -> String {
    use hmac::Mac;
    let check_key = device_secret.derive_key("chartkeep/database-key-check/v1");
    let mut mac = <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(check_key.as_slice())
        .unwrap_or_else(|_| unreachable!("HMAC-SHA256 accepts a 32-byte key"));
    mac.update(key.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..16])
}

/// Refuses a key the keyring does not know, when it knows any (an entry from before checks
/// were kept knows none; the first unlock records one).
pub(crate) fn require_known_key(entry: &KeyringEntry, key: &DatabaseKey) -> VaultResult<()> {
    if entry.database_key_checks.is_empty()
        || entry.database_key_checks.contains(&database_key_check(&entry.device_secret, key))
    {
        Ok(())
    } else {
        Err(VaultError::KeySlotsForeign)
    }
}

/// The key slots the database recorded, if any.
pub(crate) fn recorded_slots(connection: &Connection) -> VaultResult<Option<KeySlots>> {
    let body: Option<String> =
        connection.query_row("SELECT body FROM vault_key_slots WHERE id = 1", [], |row| row.get(0)).optional()?;
    body.map(|text| KeySlots::from_recorded(&text)).transpose()
}

/// Records the key slots as saved, in the database.
pub(crate) fn record_slots(connection: &Connection, slots: &KeySlots) -> VaultResult<()> {
    let generation = i64::try_from(slots.generation()).map_err(|_| VaultError::KeySlotFileDamaged("generation"))?;
    connection.execute(
        "INSERT INTO vault_key_slots (id, generation, body) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET generation = ?1, body = ?2",
        params![generation, slots.body_text()?],
    )?;
    Ok(())
}

/// What reconciling the file with the database decided.
pub(crate) struct Reconciled {
    pub slots: KeySlots,
    pub findings: Vec<TrustFinding>,
    /// The file on disk must be written again (from `slots`).
    pub rewrite_file: bool,
    /// The database's record must be written again (from `slots`).
    pub record: bool,
}

/// Compares the key-slot file (already checked with the key that opened it) with the database's
/// record and the keyring's generation, and says what to trust and what to write.
pub(crate) fn reconcile(file: KeySlots, recorded: Option<KeySlots>, remembered_generation: u64) -> Reconciled {
    let mut findings = Vec::new();
    let (slots, rewrite_file, record) = match (&file.authenticity, recorded) {
        (FileAuthenticity::FirstFormat, None) => {
            findings.push(TrustFinding::KeySlotsRecordedOnUpgrade);
            (file, true, true)
        }
        (FileAuthenticity::Authentic, None) => (file, false, true),
        (FileAuthenticity::Authentic, Some(recorded)) if file.generation() > recorded.generation() => {
            // The vault wrote the file and was cut off before recording it.
            (file, false, true)
        }
        (FileAuthenticity::Authentic, Some(recorded)) if file.generation() == recorded.generation() => {
            if file.body == recorded.body {
                (file, false, false)
            } else {
                findings.push(TrustFinding::KeySlotFileAltered { repaired: true });
                (recorded, true, false)
            }
        }
        (FileAuthenticity::Authentic, Some(recorded)) => {
            findings.push(TrustFinding::KeySlotFileRolledBack {
                found: file.generation(),
                recorded: recorded.generation(),
            });
            (recorded, true, false)
        }
        (_, Some(recorded)) => {
            findings.push(TrustFinding::KeySlotFileAltered { repaired: true });
            (recorded, true, false)
        }
        (_, None) => {
            findings.push(TrustFinding::KeySlotFileAltered { repaired: false });
            (file, false, false)
        }
    };
    let trusted_generation = slots.generation();
    if trusted_generation < remembered_generation && !matches!(slots.authenticity, FileAuthenticity::FirstFormat) {
        findings.push(TrustFinding::KeySlotRecordBehindKeyring {
            recorded: trusted_generation,
            remembered: remembered_generation,
        });
    }
    Reconciled { slots, findings, rewrite_file, record }
}

/// Writes what reconciling decided: the file (as the next generation), the database's record and
/// the keyring's generation. A failure to write is reported, not fatal: the unlock goes on and the
/// next one tries again.
pub(crate) fn write_reconciled(
    reconciled: &mut Reconciled,
    path: &std::path::Path,
    connection: &Connection,
    key: &DatabaseKey,
    keyring: &dyn DeviceSecretStore,
) -> VaultResult<()> {
    if reconciled.rewrite_file {
        reconciled.slots.save(path, key)?;
        record_slots(connection, &reconciled.slots)?;
    } else if reconciled.record {
        record_slots(connection, &reconciled.slots)?;
    }
    let generation = reconciled.slots.generation();
    let check = |entry: &KeyringEntry| database_key_check(&entry.device_secret, key);
    keyring.update(reconciled.slots.vault_id(), &mut |entry| {
        entry.key_slots_generation = entry.key_slots_generation.max(generation);
        let known = check(entry);
        if !entry.database_key_checks.contains(&known) {
            entry.database_key_checks = vec![known];
        }
    })
}
