//! The seeds of the vault's fuzz targets, made by the real writers with the fixed keys.

use std::io::Read as _;
use std::path::Path;

use sha2::{Digest as _, Sha256};

use super::{DEVICE_SECRET, PASSWORD, VAULT_ID, fixture};
use crate::backup::{BackupDescription, BackupSource, ManifestChainHead};
use crate::device_keyring::{AnchorState, ChainAnchor, KeyringEntry, encode_entry};
use crate::error::{VaultError, VaultResult};
use crate::kdf::KdfParams;
use crate::key_slots::{KeySlots, PendingKey, PendingUserKey, RecoverySlot};
use crate::secrets::{DatabaseKey, DeviceSecret, Password};

/// Writes the seed corpus of the vault's targets into `corpus/<target>/`, made by the real
/// writers with the fixed keys.
pub fn write_seeds(corpus: &Path) -> VaultResult<()> {
    let put = |target: &str, name: &str, bytes: &[u8]| -> VaultResult<()> {
        let folder = corpus.join(target);
        std::fs::create_dir_all(&folder).map_err(VaultError::io(&folder))?;
        let path = folder.join(name);
        std::fs::write(&path, bytes).map_err(VaultError::io(&path))
    };
    let read = |path: &Path| std::fs::read(path).map_err(VaultError::io(path));
    let fixture = fixture();

    // A backup of a small database, by the real writer; its plaintext; its manifest, with the
    // snapshot's fields describing the third mode's stand-in snapshot.
    let work = tempfile::tempdir().map_err(VaultError::io(&std::env::temp_dir()))?;
    let database = work.path().join("seed.db");
    let connection = crate::database::open_keyed(&database, &fixture.key)?;
    connection.execute_batch(
        "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL); INSERT INTO note (text) VALUES ('synthetic');",
    )?;
    drop(connection);
    let source = BackupSource::new(
        database,
        fixture.key.clone(),
        VAULT_ID.to_owned(),
        fixture.recovery_recipient.to_string(),
        Vec::new(),
    );
    let snapshot = source.take_snapshot(&work.path().join("snapshot"), &mut |_| true)?;
    let description = BackupDescription {
        app_version: env!("CARGO_PKG_VERSION"),
        created_at: "2026-01-02T03:04:05.678Z",
        practice_name: "Synthetic Seed Practice",
        audit_head: Some(ManifestChainHead { seq: 7, hash: "ab".repeat(32) }),
        further_recipients: &[],
    };
    let backups = work.path().join("backups");
    std::fs::create_dir_all(&backups).map_err(VaultError::io(&backups))?;
    let written = source.write_backup(&snapshot, &description, &backups, "seed.ckbackup", &mut |_| true)?;
    let file = read(&written.path)?;
    put("backup_file", "real-backup", &[&[0u8][..], &file].concat())?;
    let damaged = |_| VaultError::BackupDamaged("the seed does not decrypt".into());
    let decryptor = age::Decryptor::new(file.as_slice()).map_err(damaged)?;
    let mut reader = decryptor.decrypt(std::iter::once(&fixture.recovery as &dyn age::Identity)).map_err(damaged)?;
    let mut plaintext = Vec::new();
    reader.read_to_end(&mut plaintext).map_err(VaultError::io(&written.path))?;
    put("backup_file", "real-plaintext", &[&[1u8][..], &plaintext].concat())?;
    let mut manifest = written.manifest.clone();
    manifest.snapshot_bytes = 4096;
    manifest.snapshot_sha256 = hex::encode(Sha256::digest([0u8; 4096]));
    let manifest = serde_json::to_vec(&manifest).map_err(|_| VaultError::KeyDerivation("the seed manifest".into()))?;
    put("backup_file", "sealed-manifest", &[&[2u8][..], &manifest].concat())?;

    // Key slots: the current format with a user and a rotation's pending key, a file without
    // users, and a file of the first format.
    let device = DeviceSecret::from_bytes(DEVICE_SECRET);
    let password = Password::new(PASSWORD);
    let recovery_sealed =
        crate::key_slots::seal_key_to_recipient(&fixture.recovery_recipient.to_string(), &fixture.key)?;
    let recovery = RecoverySlot { recipient: fixture.recovery_recipient.to_string(), sealed_key: recovery_sealed };
    let slots_path = work.path().join("keyslots.json");
    let mut slots = KeySlots::new(VAULT_ID, &device, recovery.clone());
    slots.save(&slots_path, &fixture.key)?;
    put("key_slots_file", "no-users", &read(&slots_path)?)?;
    let kdf = KdfParams::INSECURE_FOR_TESTS;
    slots.seal_user("owner-id", "owner", &password, kdf, &device, &fixture.key)?;
    slots.save(&slots_path, &fixture.key)?;
    put("key_slots_file", "one-user", &read(&slots_path)?)?;
    let new_key = DatabaseKey::from_bytes([0x43; 32]);
    let user_recipient = slots.users()[0].recipient.clone().unwrap_or_default();
    slots.set_pending(Some(PendingKey {
        recovery_sealed_key: crate::key_slots::seal_key_to_recipient(
            &fixture.recovery_recipient.to_string(),
            &new_key,
        )?,
        users: vec![PendingUserKey {
            user_id: "owner-id".into(),
            sealed_key: crate::key_slots::seal_key_to_recipient(&user_recipient, &new_key)?,
        }],
    }));
    slots.save(&slots_path, &fixture.key)?;
    put("key_slots_file", "pending-rotation", &read(&slots_path)?)?;
    let first_slot =
        crate::key_slots::user_slot_first_format(VAULT_ID, "owner-id", "owner", &password, kdf, &device, &fixture.key);
    let first = first_format_file(&device, recovery, first_slot)?;
    put("key_slots_file", "first-format", &first)?;

    // Keyring entries: one with everything, and one of the first format.
    let mut entry = KeyringEntry::new(device.clone());
    entry.workstation_id = Some("5eed5eed-0000-4000-8000-00000000aaaa".into());
    entry.anchor = AnchorState::Present(ChainAnchor { seq: 12, hash: vec![3; 32] });
    entry.key_slots_generation = 3;
    entry.database_key_checks = vec!["a".repeat(32)];
    entry.throttle_digests = vec!["c".repeat(64), "d".repeat(64)];
    entry.next_sign_in_event = 41;
    entry.sign_in_events_recorded_through = 39;
    put("keyring_entry", "full", encode_entry(&entry)?.as_bytes())?;
    let first = format!(
        r#"{{"format":1,"device_secret":"{}","audit_anchor":{{"seq":4,"hash":"{}"}}}}"#,
        hex::encode(DEVICE_SECRET),
        "22".repeat(32)
    );
    put("keyring_entry", "first-format", first.as_bytes())?;
    Ok(())
}

/// A key-slot file of the first format, as Chartkeep wrote it before the MAC.
fn first_format_file(
    device: &DeviceSecret,
    recovery: RecoverySlot,
    slot: crate::key_slots::UserSlot,
) -> VaultResult<Vec<u8>> {
    #[derive(serde::Serialize)]
    struct Body<'a> {
        format: u32,
        vault_id: &'a str,
        device_check: &'a str,
        recovery: &'a RecoverySlot,
        users: &'a [crate::key_slots::UserSlot],
    }
    let check = crate::key_slots::device_check(device);
    let users = [slot];
    let body = Body { format: 1, vault_id: VAULT_ID, device_check: &check, recovery: &recovery, users: &users };
    let encode = |_| VaultError::KeySlotFileDamaged("cannot encode");
    let checksum = hex::encode(Sha256::digest(serde_json::to_vec(&body).map_err(encode)?));
    let mut value = serde_json::to_value(&body).map_err(encode)?;
    value["checksum"] = serde_json::Value::String(checksum);
    serde_json::to_vec_pretty(&value).map_err(encode)
}
