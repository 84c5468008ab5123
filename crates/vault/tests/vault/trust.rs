//! Attacks on the files beside the database, by someone who can read and write the data folder
//! (and has read Chartkeep's source) but holds no key: each is noticed at the next unlock and put
//! right from the database's own record.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{OWNER_ID, PASSWORD, create, fixture, unlock};
use chartkeep_vault::{
    DeviceSecretStore, KdfParams, OsKeyring, Password, SlotHolder, TrustFinding, VaultError, unlock_with_password,
};

/// The key-slot file as an attacker reads it: the same fields in the same order as the vault's,
/// so the checksum they compute is the one the vault checks.
#[derive(Serialize, Deserialize, Clone)]
pub struct AttackerFile {
    pub body: AttackerBody,
    pub checksum: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mac: Option<String>,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct AttackerBody {
    pub format: u32,
    pub vault_id: String,
    pub generation: u64,
    pub device_check: String,
    pub recovery: AttackerRecovery,
    pub users: Vec<AttackerUser>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<serde_json::Value>,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct AttackerRecovery {
    pub recipient: String,
    pub sealed_key: String,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct AttackerUser {
    pub user_id: String,
    pub username: String,
    pub kdf: KdfParams,
    pub salt: String,
    pub nonce: String,
    pub recipient: Option<String>,
    pub sealed_identity: Option<String>,
    pub sealed_key: String,
}

/// Rewrites the key-slot file with `change` applied and a freshly computed checksum.
pub fn tamper_with_slot_file(path: &std::path::Path, change: impl FnOnce(&mut AttackerBody)) {
    let mut file: AttackerFile = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    change(&mut file.body);
    file.checksum = hex::encode(Sha256::digest(serde_json::to_vec(&file.body).unwrap()));
    std::fs::write(path, serde_json::to_vec_pretty(&file).unwrap()).unwrap();
}

fn attacker_recipient() -> (age::x25519::Identity, String) {
    let identity = age::x25519::Identity::generate();
    let recipient = identity.to_public().to_string();
    (identity, recipient)
}

#[test]
fn a_recovery_recipient_swapped_into_the_file_is_noticed_put_right_and_never_used_for_backups() {
    let fixture = fixture();
    let created = create(&fixture);
    let real_recipient = created.vault.key_slots().recovery().recipient.clone();
    created.vault.lock().unwrap();
    let (_attacker, their_recipient) = attacker_recipient();
    let sealed_to_them = {
        let recipient: age::x25519::Recipient = their_recipient.parse().unwrap();
        base64_of(&age::encrypt(&recipient, b"not the database key, they do not have it").unwrap())
    };
    tamper_with_slot_file(&fixture.data_dir.key_slots(), |body| {
        body.recovery.recipient = their_recipient.clone();
        body.recovery.sealed_key = sealed_to_them.clone();
    });

    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    assert_eq!(vault.take_trust_findings(), [TrustFinding::KeySlotFileAltered { repaired: true }]);
    assert_eq!(vault.key_slots().recovery().recipient, real_recipient, "the database's record wins");
    assert_eq!(vault.backup_source().unwrap().recovery_recipient(), real_recipient);
    vault.lock().unwrap();
    let on_disk = chartkeep_vault::read_key_slots(&fixture.data_dir).unwrap();
    assert_eq!(on_disk.recovery().recipient, real_recipient, "the file was written again from the record");
}

#[test]
fn a_key_slot_file_rolled_back_to_an_older_copy_is_noticed_and_put_right() {
    let fixture = fixture();
    let mut vault = create(&fixture).vault;
    let older = std::fs::read(fixture.data_dir.key_slots()).unwrap();
    let password = Password::new("a second user's long password");
    let holder = SlotHolder { user_id: "second-user", username: "second", password: &password };
    vault.seal_for_user(holder, KdfParams::INSECURE_FOR_TESTS).unwrap();
    vault.lock().unwrap();
    std::fs::write(fixture.data_dir.key_slots(), &older).unwrap();

    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    let findings = vault.take_trust_findings();
    assert!(
        matches!(findings.as_slice(), [TrustFinding::KeySlotFileRolledBack { found, recorded }] if found < recorded),
        "{findings:?}"
    );
    assert!(vault.key_slots().find_user("second").is_some(), "the newer slots came back from the record");
    vault.lock().unwrap();
    let claim = fixture.data_dir.claim().unwrap();
    assert!(unlock_with_password(&claim, &OsKeyring, "second", &password).is_ok());
}

#[test]
fn a_database_and_file_rolled_back_together_are_noticed_through_the_keyring() {
    let fixture = fixture();
    let mut vault = create(&fixture).vault;
    vault.lock().unwrap();
    let database_before = std::fs::read(fixture.data_dir.database()).unwrap();
    let slots_before = std::fs::read(fixture.data_dir.key_slots()).unwrap();
    vault = unlock(&fixture, PASSWORD).unwrap();
    let password = Password::new("a second user's long password");
    let holder = SlotHolder { user_id: "second-user", username: "second", password: &password };
    vault.seal_for_user(holder, KdfParams::INSECURE_FOR_TESTS).unwrap();
    vault.lock().unwrap();
    // An unlock records the new generation in the keyring.
    unlock(&fixture, PASSWORD).unwrap().lock().unwrap();
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", fixture.data_dir.database().display()));
    }
    std::fs::write(fixture.data_dir.database(), &database_before).unwrap();
    std::fs::write(fixture.data_dir.key_slots(), &slots_before).unwrap();

    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    let findings = vault.take_trust_findings();
    assert!(
        findings.iter().any(|finding| matches!(finding, TrustFinding::KeySlotRecordBehindKeyring { .. })),
        "{findings:?}"
    );
}

#[test]
fn a_key_slot_file_without_a_mac_is_not_the_vaults() {
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    let path = fixture.data_dir.key_slots();
    let mut file: AttackerFile = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    file.mac = None;
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    assert_eq!(vault.take_trust_findings(), [TrustFinding::KeySlotFileAltered { repaired: true }]);
}

#[test]
fn a_keyring_entry_that_does_not_know_the_key_refuses_the_slots() {
    let fixture = fixture();
    let created = create(&fixture);
    let vault_id = created.vault.vault_id().to_owned();
    created.vault.lock().unwrap();
    // The keyring remembers another key than the one the slots open (a substituted file and
    // database): nothing is opened.
    OsKeyring
        .update(&vault_id, &mut |entry| entry.database_key_checks = vec!["0123456789abcdef0123456789abcdef".into()])
        .unwrap();
    assert!(matches!(unlock(&fixture, PASSWORD), Err(VaultError::KeySlotsForeign)));
    let owner_slot = chartkeep_vault::read_key_slots(&fixture.data_dir).unwrap().users()[0].user_id.clone();
    assert_eq!(owner_slot, OWNER_ID);
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
