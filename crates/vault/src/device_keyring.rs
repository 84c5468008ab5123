//! This PC's entry in the OS keyring (Secret Service on Linux, Credential Manager on Windows,
//! Keychain on macOS): one entry per vault, and the only place outside the encrypted database that
//! someone who can write the data folder cannot change.
//!
//! The entry's value is a small JSON document ([`KeyringEntry`]): the device secret, this PC's
//! workstation id, the audit chain's anchor, the key-slot file's generation, checks of the
//! database keys the vault may open with, and what proves the sign-in files beside the database
//! whole (the throttle's digests, the next sign-in event's number). It stays small, far under
//! Windows' 2,560-byte limit for a credential. There is deliberately no fallback store: when the
//! keyring is unavailable the vault refuses to open and says why.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::secrets::DeviceSecret;

const SERVICE: &str = "chartkeep";
const FORMAT: u32 = 2;

/// The audit chain's head as this PC last recorded it (at sign-in, while working, at lock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainAnchor {
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// What the entry says about the audit chain's anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnchorState {
    /// The entry holds no anchor: a vault just created, or an entry made anew by recovery.
    Absent,
    Present(ChainAnchor),
    /// The entry holds an anchor that does not read: it was damaged or tampered with.
    Unreadable,
}

/// Everything Chartkeep keeps in this PC's keyring for one vault.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyringEntry {
    pub device_secret: DeviceSecret,
    /// This PC's id in audit entries (kept here, where the data folder's users cannot change it).
    pub workstation_id: Option<String>,
    pub anchor: AnchorState,
    /// The head of a database being restored in place: accepted beside `anchor` until the next
    /// sign-in settles on whichever database is there (a crash during the swap leaves either).
    pub restored_anchor: Option<ChainAnchor>,
    /// The key-slot file's generation as this PC last wrote or checked it.
    pub key_slots_generation: u64,
    /// Checks of the database keys the key slots may open (one; two while a rotation completes).
    pub database_key_checks: Vec<String>,
    /// Digests of the sign-in throttle file that are its present state (two while it is written).
    pub throttle_digests: Vec<String>,
    /// The number the next sign-in event buffered beside the closed database takes.
    pub next_sign_in_event: u64,
    /// The highest number of a buffered sign-in event already in the audit trail.
    pub sign_in_events_recorded_through: u64,
}

impl std::fmt::Debug for KeyringEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringEntry")
            .field("anchor", &self.anchor)
            .field("key_slots_generation", &self.key_slots_generation)
            .finish_non_exhaustive()
    }
}

impl KeyringEntry {
    /// A new entry for a device secret: nothing recorded yet.
    pub fn new(device_secret: DeviceSecret) -> KeyringEntry {
        KeyringEntry {
            device_secret,
            workstation_id: None,
            anchor: AnchorState::Absent,
            restored_anchor: None,
            key_slots_generation: 0,
            database_key_checks: Vec::new(),
            throttle_digests: Vec::new(),
            next_sign_in_event: 1,
            sign_in_events_recorded_through: 0,
        }
    }
}

/// Where the keyring entries are kept. The only implementation for real use is [`OsKeyring`];
/// the trait exists so the vault's code reads in terms of what it needs from a keyring (and a
/// test can keep its entries under other names).
pub trait DeviceSecretStore: Send + Sync + std::fmt::Debug {
    /// Returns `Ok(None)` when the keyring works but holds no entry for this vault. An entry
    /// that does not read is [`VaultError::DeviceSecretMismatch`]: it opens nothing.
    fn read(&self, vault_id: &str) -> VaultResult<Option<KeyringEntry>>;
    fn write(&self, vault_id: &str, entry: &KeyringEntry) -> VaultResult<()>;
    fn delete(&self, vault_id: &str) -> VaultResult<()>;

    /// The device secret alone.
    fn load(&self, vault_id: &str) -> VaultResult<Option<DeviceSecret>> {
        Ok(self.read(vault_id)?.map(|entry| entry.device_secret))
    }

    /// Stores a device secret. An entry that exists keeps its anchor and workstation id; what
    /// was bound to the old secret (the throttle's digests) is dropped with it.
    fn store(&self, vault_id: &str, secret: &DeviceSecret) -> VaultResult<()> {
        let kept = self.read(vault_id).ok().flatten();
        let mut entry = KeyringEntry::new(secret.clone());
        if let Some(old) = kept {
            entry.workstation_id = old.workstation_id;
            entry.anchor = old.anchor;
            entry.restored_anchor = old.restored_anchor;
            entry.key_slots_generation = old.key_slots_generation;
            entry.database_key_checks = old.database_key_checks;
            entry.next_sign_in_event = old.next_sign_in_event;
            entry.sign_in_events_recorded_through = old.sign_in_events_recorded_through;
        }
        self.write(vault_id, &entry)
    }

    /// Reads the entry, changes it and writes it back. The entry must exist.
    fn update(&self, vault_id: &str, change: &mut dyn FnMut(&mut KeyringEntry)) -> VaultResult<()> {
        let Some(mut entry) = self.read(vault_id)? else { return Err(VaultError::DeviceSecretMissing) };
        let before = entry.clone();
        change(&mut entry);
        if entry == before { Ok(()) } else { self.write(vault_id, &entry) }
    }

    fn load_anchor(&self, vault_id: &str) -> VaultResult<AnchorState> {
        Ok(self.read(vault_id)?.map_or(AnchorState::Absent, |entry| entry.anchor))
    }

    /// Replaces the anchor beside the device secret (settling a restore's, if one waited). The
    /// entry must exist.
    fn store_anchor(&self, vault_id: &str, anchor: &ChainAnchor) -> VaultResult<()> {
        self.update(vault_id, &mut |entry| {
            entry.anchor = AnchorState::Present(anchor.clone());
            entry.restored_anchor = None;
        })
    }
}

/// The operating system's keyring, through the `keyring` crate.
#[derive(Debug, Default, Clone, Copy)]
pub struct OsKeyring;

/// The entry as stored. Fields added since the first format default, so an entry written by an
/// older Chartkeep still reads; unknown fields are refused.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryValue {
    format: u32,
    device_secret: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    workstation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_anchor: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    restored_anchor: Option<serde_json::Value>,
    #[serde(default)]
    key_slots_generation: u64,
    #[serde(default)]
    database_key_checks: Vec<String>,
    #[serde(default)]
    throttle_digests: Vec<String>,
    #[serde(default = "first_event")]
    next_sign_in_event: u64,
    #[serde(default)]
    sign_in_events_recorded_through: u64,
}

fn first_event() -> u64 {
    1
}

impl Drop for EntryValue {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.device_secret);
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnchorValue {
    seq: i64,
    hash: String,
}

fn entry(vault_id: &str) -> VaultResult<keyring::Entry> {
    keyring::Entry::new(SERVICE, &format!("vault-{vault_id}")).map_err(unavailable)
}

fn unavailable(error: keyring::Error) -> VaultError {
    VaultError::KeyringUnavailable(error.to_string())
}

fn decode_anchor(value: Option<&serde_json::Value>) -> AnchorState {
    let Some(value) = value else { return AnchorState::Absent };
    let Ok(anchor) = serde_json::from_value::<AnchorValue>(value.clone()) else { return AnchorState::Unreadable };
    match hex::decode(&anchor.hash) {
        Ok(hash) if hash.len() == 32 && anchor.seq >= 1 => AnchorState::Present(ChainAnchor { seq: anchor.seq, hash }),
        _ => AnchorState::Unreadable,
    }
}

/// Reads an entry's text; anything that does not read is a foreign secret.
pub(crate) fn decode_entry(text: &str) -> VaultResult<KeyringEntry> {
    let value: EntryValue = serde_json::from_str(text).map_err(|_| VaultError::DeviceSecretMismatch)?;
    if value.format == 0 || value.format > FORMAT {
        return Err(VaultError::DeviceSecretMismatch);
    }
    let bytes =
        Zeroizing::new(hex::decode(value.device_secret.as_str()).map_err(|_| VaultError::DeviceSecretMismatch)?);
    let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| VaultError::DeviceSecretMismatch)?;
    // Chartkeep only ever writes a UUID here; anything else was not written by it.
    if let Some(id) = &value.workstation_id
        && uuid::Uuid::parse_str(id).is_err()
    {
        return Err(VaultError::DeviceSecretMismatch);
    }
    Ok(KeyringEntry {
        device_secret: DeviceSecret::from_bytes(array),
        workstation_id: value.workstation_id.clone(),
        anchor: decode_anchor(value.audit_anchor.as_ref()),
        // A restore's anchor that does not read is no anchor to accept.
        restored_anchor: match decode_anchor(value.restored_anchor.as_ref()) {
            AnchorState::Present(anchor) => Some(anchor),
            AnchorState::Absent | AnchorState::Unreadable => None,
        },
        key_slots_generation: value.key_slots_generation,
        database_key_checks: value.database_key_checks.clone(),
        throttle_digests: value.throttle_digests.clone(),
        next_sign_in_event: value.next_sign_in_event.max(1),
        sign_in_events_recorded_through: value.sign_in_events_recorded_through,
    })
}

pub(crate) fn encode_entry(entry: &KeyringEntry) -> VaultResult<Zeroizing<String>> {
    let audit_anchor = match &entry.anchor {
        AnchorState::Present(anchor) => {
            Some(serde_json::json!({ "seq": anchor.seq, "hash": hex::encode(&anchor.hash) }))
        }
        // An unreadable anchor is kept as unreadable, so it keeps raising its alert until a
        // new anchor replaces it.
        AnchorState::Unreadable => Some(serde_json::json!("unreadable")),
        AnchorState::Absent => None,
    };
    let restored_anchor = entry
        .restored_anchor
        .as_ref()
        .map(|anchor| serde_json::json!({ "seq": anchor.seq, "hash": hex::encode(&anchor.hash) }));
    let value = EntryValue {
        format: FORMAT,
        device_secret: hex::encode(entry.device_secret.as_bytes()),
        workstation_id: entry.workstation_id.clone(),
        audit_anchor,
        restored_anchor,
        key_slots_generation: entry.key_slots_generation,
        database_key_checks: entry.database_key_checks.clone(),
        throttle_digests: entry.throttle_digests.clone(),
        next_sign_in_event: entry.next_sign_in_event,
        sign_in_events_recorded_through: entry.sign_in_events_recorded_through,
    };
    serde_json::to_string(&value).map(Zeroizing::new).map_err(|error| VaultError::KeyringUnavailable(error.to_string()))
}

/// One keyring call at a time in this process. gnome-keyring 42 (Debian 12) aborts on a GLib
/// error ("g_variant_new: expected GVariant of type 'v'") when calls from several connections
/// overlap: the clinic tests' threads brought it down within 20 s, and the bus then started a
/// fresh daemon with the login keyring locked, so every later call failed. The app's own threads
/// (the window, the session timer's anchoring) must not do that to a practice's keyring either.
static ONE_CALL_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn keyring_turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_CALL_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The pauses before each new try of a keyring call that failed in the platform's store.
/// gnome-keyring 42 still aborts now and then although one process's calls never overlap (in 2
/// of 5 runs of the clinic tests on this 2-core machine while other builds ran, the same GLib
/// error each time); the session starts it again (a desktop's D-Bus, or the tests'
/// `with-private-keyring`) within a second, and until then every call fails with
/// "org.freedesktop.secrets was not provided". Waiting through that is better than telling the
/// person at the screen the keyring is gone. A keyring that stays away is reported after 3.1 s.
/// Every call is safe to repeat: a read, writing the same text again, or a removal (of an entry
/// already gone it is a success). A locked keyring (no storage access) is an answer: trying
/// again would only ask for its password again.
const RETRY_PAUSES_MS: [u64; 5] = [100, 200, 400, 800, 1600];

/// Runs `call`, and again after each pause while it fails in the platform's store; an absent
/// entry, bad data and the like are answers, not failures, and are returned at once.
fn with_retries<T>(mut call: impl FnMut() -> keyring::Result<T>, pause: impl Fn(Duration)) -> keyring::Result<T> {
    let mut pauses = RETRY_PAUSES_MS.iter();
    loop {
        match call() {
            Err(keyring::Error::PlatformFailure(_)) if pauses.len() > 0 => {
                if let Some(&millis) = pauses.next() {
                    pause(Duration::from_millis(millis));
                }
            }
            answer => return answer,
        }
    }
}

impl DeviceSecretStore for OsKeyring {
    fn read(&self, vault_id: &str) -> VaultResult<Option<KeyringEntry>> {
        let _turn = keyring_turn();
        let entry = entry(vault_id)?;
        let text = match with_retries(|| entry.get_password(), std::thread::sleep) {
            Ok(text) => Zeroizing::new(text),
            Err(keyring::Error::NoEntry) => return Ok(None),
            Err(other) => return Err(unavailable(other)),
        };
        decode_entry(&text).map(Some)
    }

    fn write(&self, vault_id: &str, value: &KeyringEntry) -> VaultResult<()> {
        let text = encode_entry(value)?;
        let _turn = keyring_turn();
        let entry = entry(vault_id)?;
        with_retries(|| entry.set_password(&text), std::thread::sleep).map_err(unavailable)
    }

    fn delete(&self, vault_id: &str) -> VaultResult<()> {
        let _turn = keyring_turn();
        let entry = entry(vault_id)?;
        match with_retries(|| entry.delete_credential(), std::thread::sleep) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(other) => Err(unavailable(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_as_written_and_stays_small() {
        let mut entry = KeyringEntry::new(DeviceSecret::from_bytes([7; 32]));
        entry.workstation_id = Some(uuid::Uuid::new_v4().to_string());
        entry.anchor = AnchorState::Present(ChainAnchor { seq: 12, hash: vec![3; 32] });
        entry.restored_anchor = Some(ChainAnchor { seq: 9, hash: vec![4; 32] });
        entry.key_slots_generation = 9;
        entry.database_key_checks = vec!["a".repeat(32), "b".repeat(32)];
        entry.throttle_digests = vec!["c".repeat(64), "d".repeat(64)];
        entry.next_sign_in_event = 41;
        entry.sign_in_events_recorded_through = 39;
        let text = encode_entry(&entry).unwrap();
        assert!(text.len() * 2 < 2560, "fits Windows' credential limit as UTF-16: {} bytes", text.len() * 2);
        assert_eq!(decode_entry(&text).unwrap(), entry);
    }

    /// Windows' Credential Manager takes at most 2,560 bytes (`CRED_MAX_CREDENTIAL_BLOB_SIZE`),
    /// and keyring's Windows store writes the text as UTF-16, refusing more. The largest entry the
    /// vault writes (an anchor and a restored anchor mid-restore, two key checks mid-rotation, two
    /// throttle digests mid-write, every number at its maximum) stays far below: 1,556 bytes.
    #[test]
    fn the_largest_entry_fits_credential_managers_limit() {
        let mut entry = KeyringEntry::new(DeviceSecret::from_bytes([0xff; 32]));
        entry.workstation_id = Some(uuid::Uuid::new_v4().to_string());
        entry.anchor = AnchorState::Present(ChainAnchor { seq: i64::MAX, hash: vec![0xff; 32] });
        entry.restored_anchor = Some(ChainAnchor { seq: i64::MAX, hash: vec![0xff; 32] });
        entry.key_slots_generation = u64::MAX;
        entry.database_key_checks = vec!["a".repeat(32), "b".repeat(32)];
        entry.throttle_digests = vec!["c".repeat(64), "d".repeat(64)];
        entry.next_sign_in_event = u64::MAX;
        entry.sign_in_events_recorded_through = u64::MAX;
        let text = encode_entry(&entry).unwrap();
        let utf16_bytes = text.encode_utf16().count() * 2;
        assert_eq!(utf16_bytes, 1556, "the measured size; update the comment above when it changes");
        assert!(utf16_bytes <= 2560);
    }

    #[test]
    fn a_call_the_platform_failed_is_tried_again_and_an_answer_is_not() {
        let pauses = std::cell::RefCell::new(Vec::new());
        let pause = |length: Duration| pauses.borrow_mut().push(length.as_millis());
        let mut failures_left = 2;
        let answer = with_retries(
            || match failures_left {
                0 => Ok("read"),
                _ => {
                    failures_left -= 1;
                    Err(keyring::Error::PlatformFailure("org.freedesktop.secrets was not provided".into()))
                }
            },
            pause,
        );
        assert_eq!(answer.unwrap(), "read");
        assert_eq!(*pauses.borrow(), [100, 200]);

        pauses.borrow_mut().clear();
        let absent: keyring::Result<()> = with_retries(|| Err(keyring::Error::NoEntry), pause);
        assert!(matches!(absent, Err(keyring::Error::NoEntry)));
        assert!(pauses.borrow().is_empty(), "an absent entry is an answer");

        let locked: keyring::Result<()> = with_retries(|| Err(keyring::Error::NoStorageAccess("locked".into())), pause);
        assert!(matches!(locked, Err(keyring::Error::NoStorageAccess(_))));
        assert!(pauses.borrow().is_empty(), "a locked keyring is an answer");

        let gone: keyring::Result<()> = with_retries(|| Err(keyring::Error::PlatformFailure("gone".into())), pause);
        assert!(matches!(gone, Err(keyring::Error::PlatformFailure(_))));
        assert_eq!(*pauses.borrow(), [100, 200, 400, 800, 1600], "given up after 3.1 s");
    }

    #[test]
    fn an_entry_from_the_first_format_still_reads() {
        let text = format!(
            r#"{{"format":1,"device_secret":"{}","audit_anchor":{{"seq":4,"hash":"{}"}}}}"#,
            "11".repeat(32),
            "22".repeat(32)
        );
        let entry = decode_entry(&text).unwrap();
        assert_eq!(entry.anchor, AnchorState::Present(ChainAnchor { seq: 4, hash: vec![0x22; 32] }));
        assert_eq!(entry.next_sign_in_event, 1);
        assert!(entry.database_key_checks.is_empty());
    }

    #[test]
    fn a_damaged_anchor_is_unreadable_not_absent() {
        for anchor in [r#""x""#, r#"{"seq":4,"hash":"zz"}"#, r#"{"seq":4,"hash":"22"}"#, r#"{"seq":0,"hash":"2222"}"#] {
            let text = format!(r#"{{"format":2,"device_secret":"{}","audit_anchor":{anchor}}}"#, "11".repeat(32));
            assert_eq!(decode_entry(&text).unwrap().anchor, AnchorState::Unreadable, "{anchor}");
        }
    }

    /// Found by fuzzing (`keyring_entry`): an entry whose workstation id was no UUID was
    /// accepted, and the id went into every audit entry of this PC.
    #[test]
    fn a_workstation_id_that_is_no_uuid_opens_nothing() {
        for id in
            ["5eed5eed-0000-4000-8000-0000004294967295aaaa", "", "pc-1", "{5eed5eed-0000-4000-8000-00000000aaaa} x"]
        {
            let text = format!(r#"{{"format":2,"device_secret":"{}","workstation_id":"{id}"}}"#, "11".repeat(32));
            assert!(matches!(decode_entry(&text), Err(VaultError::DeviceSecretMismatch)), "{id}");
        }
        let id = uuid::Uuid::new_v4().to_string();
        let text = format!(r#"{{"format":2,"device_secret":"{}","workstation_id":"{id}"}}"#, "11".repeat(32));
        assert_eq!(decode_entry(&text).unwrap().workstation_id, Some(id));
    }

    #[test]
    fn an_entry_that_does_not_read_opens_nothing() {
        for text in ["", "{}", r#"{"format":3,"device_secret":"00"}"#, r#"{"format":2,"device_secret":"zz"}"#] {
            assert!(matches!(decode_entry(text), Err(VaultError::DeviceSecretMismatch)), "{text}");
        }
        let unknown = format!(r#"{{"format":2,"device_secret":"{}","surprise":1}}"#, "11".repeat(32));
        assert!(matches!(decode_entry(&unknown), Err(VaultError::DeviceSecretMismatch)));
    }
}
