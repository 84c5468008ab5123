//! The upgrade of a practice set up before schema 8: its key-slot file of the first format is
//! recorded in the database once, and its user's slot is sealed anew at that user's sign-in.

use crate::data_dir::DataDir;
use crate::device_keyring::{DeviceSecretStore, OsKeyring};
use crate::kdf::KdfParams;
use crate::secrets::Password;
use crate::trust::TrustFinding;
use crate::vault::{SlotHolder, UnlockedVault, create_vault, unlock_with_password};

/// Rewrites a new vault's files as Chartkeep wrote them before schema 8: a key-slot file of
/// the first format (no MAC, no generation, the key sealed under the password) and a
/// database that records no key slots.
fn as_before_schema_8(vault: UnlockedVault, password: &Password) -> DataDir {
    let UnlockedVault { data_dir, connection, database_key, device_secret, slots, .. } = vault;
    connection.execute("DELETE FROM vault_key_slots", []).unwrap();
    drop(connection);
    let owner = &slots.users()[0];
    let first = crate::key_slots::user_slot_first_format(
        slots.vault_id(),
        &owner.user_id,
        &owner.username,
        password,
        owner.kdf,
        &device_secret,
        &database_key,
    );
    #[derive(serde::Serialize)]
    struct FirstFormatBody<'a> {
        format: u32,
        vault_id: &'a str,
        device_check: &'a str,
        recovery: &'a crate::key_slots::RecoverySlot,
        users: Vec<crate::key_slots::UserSlot>,
    }
    let body = FirstFormatBody {
        format: 1,
        vault_id: slots.vault_id(),
        device_check: &slots.body.device_check,
        recovery: slots.recovery(),
        users: vec![first],
    };
    let body_bytes = serde_json::to_vec(&body).unwrap();
    let mut file = serde_json::to_value(&body).unwrap();
    file["checksum"] = serde_json::json!(hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&body_bytes)));
    std::fs::write(data_dir.key_slots(), serde_json::to_vec(&file).unwrap()).unwrap();
    data_dir
}

#[test]
fn a_key_slot_file_from_before_schema_8_is_upgraded_and_recorded_once() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = DataDir::at(folder.path().join("practice"));
    let claim = data_dir.claim().unwrap();
    let password = Password::new("an owner password from long ago");
    let holder = SlotHolder { user_id: "owner-id", username: "owner", password: &password };
    let created = create_vault(&claim, &OsKeyring, holder, KdfParams::INSECURE_FOR_TESTS).unwrap();
    let vault_id = created.vault.vault_id().to_owned();
    let data_dir = as_before_schema_8(created.vault, &password);
    OsKeyring.update(&vault_id, &mut |entry| entry.database_key_checks.clear()).unwrap();

    let mut vault = unlock_with_password(&claim, &OsKeyring, "owner", &password).unwrap();
    assert_eq!(vault.take_trust_findings(), [TrustFinding::KeySlotsRecordedOnUpgrade]);
    assert!(!vault.key_slots().users()[0].is_first_format(), "the owner's slot was sealed anew");
    assert!(vault.backup_source().is_ok(), "the recovery recipient is recorded");
    vault.lock().unwrap();
    let mut again = unlock_with_password(&claim, &OsKeyring, "owner", &password).unwrap();
    assert!(again.take_trust_findings().is_empty(), "recorded once, trusted from then on");
    again.lock().unwrap();
    assert_eq!(crate::key_slots::KeySlots::load(&data_dir.key_slots()).unwrap().body.format, 2);
    let _ = OsKeyring.delete(&vault_id);
}
