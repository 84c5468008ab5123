//! Entry points for the fuzz targets (`fuzz/`, run by `make fuzz`) and for their quick runs under
//! `cargo test`: thin wrappers that hand bytes to the parsers of what the vault reads from
//! outside (a `.ckbackup` file, `keyslots.json`, the keyring entry), with fixed keys, and check
//! what must hold of what they accept or refuse. Only built for tests and with the `fuzzing`
//! feature; the app never contains it.
//!
//! A target's input may carry a mode byte first. The backup's modes reach behind age's
//! authentication: the input encrypted to the fixed keys, or a manifest sealed with a trailer
//! that authenticates, so the fuzzer works on Chartkeep's own layout, not on age's MACs.

pub mod quick;
mod seeds;
#[cfg(test)]
mod tests;

pub use seeds::write_seeds;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, OnceLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use bech32::ToBase32 as _;
use sha2::{Digest as _, Sha256};

use crate::backup::container::{FOOTER_BYTES, HEADER_BYTES, Trailer, footer, header};
use crate::backup::identity::{identity_from_secret, practice_identity, seal_key_to};
use crate::backup::{BackupSource, BackupUnlock, open_backup};
use crate::device_keyring::{DeviceSecretStore, KeyringEntry, decode_entry, encode_entry};
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;
use crate::key_slots::{KeySlots, open_key_with_identity};
use crate::secrets::{DatabaseKey, DeviceSecret, Password, RecoveryKey};

/// The practice the fuzz inputs belong to: fixed keys, so seeds made once keep opening.
pub const VAULT_ID: &str = "5eed5eed-f022-4000-8000-000000000001";
const DATABASE_KEY: [u8; 32] = [0x42; 32];
const RECOVERY_SECRET: [u8; 32] = [0x17; 32];
const DEVICE_SECRET: [u8; 32] = [0x5d; 32];
const PASSWORD: &str = "fuzzing seed password";

/// The stand-in snapshot of the backup's third mode: zeros of the length the manifest claims,
/// at most this long.
const STAND_IN_SNAPSHOT_LIMIT: u64 = 1024 * 1024;

/// A slot asking for more than this is not opened by the key-slot target: how much work a slot
/// may ask for is the KDF's ceiling's business (`KdfParams::CEILING`, tested beside it), not the
/// parser's, and a fuzzer waiting on gigabytes of Argon2 finds nothing.
const AFFORDABLE_KDF: KdfParams = KdfParams { memory_kib: 8 * 1024, iterations: 4, parallelism: 4 };

struct Fixture {
    key: DatabaseKey,
    recovery: age::x25519::Identity,
    recovery_key: RecoveryKey,
    recovery_recipient: age::x25519::Recipient,
    practice_recipient: age::x25519::Recipient,
    source: BackupSource,
    /// The database key sealed to the recovery recipient, once (sealing is randomised).
    key_slot: String,
}

fn secret_key_text(secret: &[u8; 32]) -> String {
    bech32::encode("age-secret-key-", secret.to_base32(), bech32::Variant::Bech32)
        .map(|text| text.to_uppercase())
        .unwrap_or_default()
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let key = DatabaseKey::from_bytes(DATABASE_KEY);
        let Ok(recovery) = identity_from_secret(&RECOVERY_SECRET) else { panic!("the recovery identity") };
        let Ok(practice) = practice_identity(&key) else { panic!("the practice identity") };
        let recovery_recipient = recovery.to_public();
        let Ok(sealed) = seal_key_to(std::slice::from_ref(&recovery_recipient), &key) else { panic!("the key slot") };
        let source = BackupSource::new(
            std::env::temp_dir().join("chartkeep-fuzzing-unused.db"),
            key.clone(),
            VAULT_ID.to_owned(),
            recovery_recipient.to_string(),
            Vec::new(),
        );
        Fixture {
            key,
            recovery_key: RecoveryKey::parse(&secret_key_text(&RECOVERY_SECRET)),
            recovery,
            recovery_recipient,
            practice_recipient: practice.to_public(),
            source,
            key_slot: BASE64.encode(sealed),
        }
    })
}

/// Encrypts `plaintext` as the writer does: to the practice's own recipient and the recovery
/// recipient.
fn encrypt(plaintext: &[u8]) -> Vec<u8> {
    let fixture = fixture();
    let recipients: [&dyn age::Recipient; 2] = [&fixture.practice_recipient, &fixture.recovery_recipient];
    let Ok(encryptor) = age::Encryptor::with_recipients(recipients.into_iter()) else { panic!("an encryptor") };
    let mut out = Vec::with_capacity(plaintext.len() + 512);
    let Ok(mut writer) = encryptor.wrap_output(&mut out) else { panic!("age output") };
    let written = std::io::Write::write_all(&mut writer, plaintext).and_then(|()| writer.finish().map(|_| ()));
    assert!(written.is_ok(), "encrypting into memory cannot fail");
    out
}

/// A backup's plaintext around `manifest`, with a trailer that authenticates: a stand-in
/// snapshot of zeros as long as the manifest claims (unless `flags` says otherwise), and a
/// footer that may lie about the trailer's length.
fn sealed_plaintext(flags: u8, manifest: &[u8]) -> Vec<u8> {
    let fixture = fixture();
    let manifest = String::from_utf8_lossy(manifest).into_owned();
    let claimed = serde_json::from_str::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|value| value.get("snapshot_bytes").and_then(serde_json::Value::as_u64))
        .unwrap_or(0)
        .min(STAND_IN_SNAPSHOT_LIMIT);
    let snapshot_len = if flags & 0x10 != 0 { claimed + u64::from(flags >> 6) + 1 } else { claimed };
    let Ok(trailer) = Trailer::seal(&fixture.key, manifest, fixture.key_slot.clone()) else { panic!("a trailer") };
    let Ok(trailer) = serde_json::to_vec(&trailer) else { panic!("a trailer's text") };
    let trailer_len = trailer.len() as u64;
    let footer_len = match flags & 0x60 {
        0x20 => trailer_len + u64::from(flags >> 7) + 1,
        0x40 => trailer_len.saturating_sub(1),
        _ => trailer_len,
    };
    let mut plaintext = header();
    plaintext.resize(plaintext.len() + snapshot_len as usize, 0);
    plaintext.extend_from_slice(&trailer);
    plaintext.extend_from_slice(&footer(footer_len));
    plaintext
}

/// Every way a backup may be refused: plain words, never a panic or a failure of the disk.
fn assert_backup_refusal(error: &VaultError) {
    assert!(
        matches!(
            error,
            VaultError::NotABackup
                | VaultError::BackupDamaged(_)
                | VaultError::BackupForged
                | VaultError::BackupKeyWrong
                | VaultError::BackupOfAnotherPractice
                | VaultError::BackupNewerThanApp { .. }
        ),
        "an unexpected refusal: {error:?}"
    );
    assert!(!error.to_string().is_empty());
}

/// The `.ckbackup` reader: header, footer, trailer, key slot, manifest and the snapshot's
/// extraction. The first byte chooses how the rest becomes a file: as it is (`% 3 == 0`),
/// encrypted to the fixed keys (`1`), or as a manifest sealed in a trailer that authenticates
/// (`2`, higher bits bend the snapshot's and the footer's lengths).
pub fn backup_file(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let fixture = fixture();
    let (file, plaintext_len) = match mode % 3 {
        0 => (body.to_vec(), None),
        1 => (encrypt(body), Some(body.len() as u64)),
        _ => {
            let plaintext = sealed_plaintext(mode, body);
            (encrypt(&plaintext), Some(plaintext.len() as u64))
        }
    };
    let folder = scratch_folder();
    let path = folder.path().join("input.ckbackup");
    assert!(std::fs::write(&path, &file).is_ok(), "writing the input");
    for unlock in [BackupUnlock::Key(&fixture.recovery_key), BackupUnlock::Practice(&fixture.source)] {
        let opened = match open_backup(&path, unlock) {
            Ok(opened) => opened,
            Err(error) => {
                assert_backup_refusal(&error);
                continue;
            }
        };
        let manifest = &opened.manifest;
        assert!(manifest.schema_version <= crate::migrations::latest_version());
        if matches!(unlock, BackupUnlock::Practice(_)) {
            assert_eq!(manifest.vault_id, VAULT_ID, "another practice's backup was opened as this one's");
        }
        if let Some(total) = plaintext_len {
            assert!(
                HEADER_BYTES + manifest.snapshot_bytes + FOOTER_BYTES < total,
                "the manifest's snapshot does not fit in the backup"
            );
        }
        let work = folder.path().join("work");
        match opened.extract_snapshot(&work, &mut |_| true) {
            Ok(snapshot) => {
                let Ok(bytes) = std::fs::read(snapshot.path()) else { panic!("the extracted snapshot") };
                assert_eq!(bytes.len() as u64, manifest.snapshot_bytes);
                assert_eq!(hex::encode(Sha256::digest(&bytes)), manifest.snapshot_sha256);
            }
            Err(error) => assert_backup_refusal(&error),
        }
        let _ = std::fs::remove_dir_all(&work);
    }
}

/// `keyslots.json`: the checks for damage, then what a sign-in does with an accepted file (its
/// MAC, each slot opened with a password, the pending key, the recovery slot).
pub fn key_slots_file(data: &[u8]) {
    let fixture = fixture();
    let mut slots = match KeySlots::parse(data) {
        Ok(slots) => slots,
        Err(error) => {
            assert!(matches!(error, VaultError::KeySlotFileDamaged(_)), "an unexpected refusal: {error:?}");
            return;
        }
    };
    assert!(matches!(slots.body.format, 1 | 2), "an unknown format was accepted");
    let Ok(text) = slots.body_text() else { panic!("an accepted body encodes") };
    let Ok(again) = KeySlots::from_recorded(&text) else { panic!("an accepted body reads back") };
    assert_eq!(again.body, slots.body, "the body does not survive the database's copy");
    slots.check_authenticity(&fixture.key);
    let device = DeviceSecret::from_bytes(DEVICE_SECRET);
    let _ = slots.matches_device(&device);
    let _ = open_key_with_identity(&slots.recovery().sealed_key, &fixture.recovery);
    let password = Password::new(PASSWORD);
    for slot in slots.users().iter().take(4) {
        let kdf = slot.kdf;
        if kdf.memory_kib > AFFORDABLE_KDF.memory_kib
            || kdf.iterations > AFFORDABLE_KDF.iterations
            || kdf.parallelism > AFFORDABLE_KDF.parallelism
        {
            continue;
        }
        match slots.open_user(slot, &password, &device) {
            Ok(opened) => {
                if let Some(identity) = &opened.identity {
                    let _ = slots.open_pending_for(&slot.user_id, identity);
                }
            }
            Err(error) => assert!(
                matches!(error, VaultError::WrongCredentials | VaultError::KeySlotFileDamaged(_)),
                "an unexpected refusal of a slot: {error:?}"
            ),
        }
    }
}

/// The keyring entry's JSON: what reads must write back the same; everything else opens nothing.
pub fn keyring_entry(data: &[u8]) {
    // The keyring hands over text; bytes that are not UTF-8 never reach the decoder.
    let Ok(text) = std::str::from_utf8(data) else { return };
    match decode_entry(text) {
        Ok(entry) => {
            let Ok(encoded) = encode_entry(&entry) else { panic!("an accepted entry encodes") };
            let Ok(again) = decode_entry(&encoded) else { panic!("an encoded entry reads back") };
            assert_eq!(again, entry, "the entry does not survive being written back");
            if let Some(id) = &entry.workstation_id {
                assert!(uuid::Uuid::parse_str(id).is_ok(), "a workstation id that is no UUID was accepted");
            }
        }
        Err(error) => assert!(matches!(error, VaultError::DeviceSecretMismatch), "an unexpected refusal: {error:?}"),
    }
}

/// The fixed device secret of the fuzz inputs, for the clinic's targets (the MACs of the sign-in
/// files in their seeds are made with it).
pub fn device_secret() -> DeviceSecret {
    DeviceSecret::from_bytes(DEVICE_SECRET)
}

/// A scratch folder for one input, in memory when the system has `/dev/shm` (the targets' writes
/// are flushed to disk as in real use, which a disk makes slow).
pub fn scratch_folder() -> tempfile::TempDir {
    let in_memory = Path::new("/dev/shm");
    let made = if in_memory.is_dir() { tempfile::tempdir_in(in_memory) } else { tempfile::tempdir() };
    match made {
        Ok(folder) => folder,
        Err(error) => panic!("a scratch folder: {error}"),
    }
}

/// A keyring in memory, holding each entry as the text the OS keyring would hold: for the
/// clinic's fuzz targets, which need a practice without a Secret Service.
#[derive(Debug, Default)]
pub struct MemoryKeyring {
    entries: Mutex<HashMap<String, zeroize::Zeroizing<String>>>,
}

impl DeviceSecretStore for MemoryKeyring {
    fn read(&self, vault_id: &str) -> VaultResult<Option<KeyringEntry>> {
        let entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        entries.get(vault_id).map(|text| decode_entry(text)).transpose()
    }

    fn write(&self, vault_id: &str, entry: &KeyringEntry) -> VaultResult<()> {
        let text = encode_entry(entry)?;
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(vault_id.to_owned(), text);
        Ok(())
    }

    fn delete(&self, vault_id: &str) -> VaultResult<()> {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(vault_id);
        Ok(())
    }
}
