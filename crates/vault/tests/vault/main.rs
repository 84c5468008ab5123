//! The vault against real parts: SQLCipher files on disk and the OS keyring (run through
//! `scripts/with-private-keyring`, as `make test` does, so a throwaway keyring is used).
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The Secret Service daemon (gnome-keyring) exists on Linux only.
#[cfg(target_os = "linux")]
mod keyring_restart;
mod migrations_upgrade;
mod rotation;
mod trust;

use std::path::Path;

use chartkeep_vault::{
    CreatedVault, DataDir, DeviceSecretStore, KdfParams, OsKeyring, Password, RecoveryKey, SlotHolder, TrustFinding,
    UnlockedVault, VaultError, create_vault, open_with_recovery_key, read_key_slots, unlock_with_password,
};

/// Failpoints are armed for the whole process: the tests that arm them run one at a time.
pub static FAILPOINTS: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub const OWNER_ID: &str = "00000000-0000-4000-8000-000000000001";
pub const PASSWORD: &str = "harbour lantern quietly";

#[derive(Debug)]
pub struct Fixture {
    pub _folder: tempfile::TempDir,
    pub data_dir: DataDir,
}

pub fn fixture() -> Fixture {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = DataDir::at(folder.path().join("practice"));
    Fixture { _folder: folder, data_dir }
}

pub fn create(fixture: &Fixture) -> CreatedVault {
    let claim = fixture.data_dir.claim().unwrap();
    let password = Password::new(PASSWORD);
    let holder = SlotHolder { user_id: OWNER_ID, username: "owner", password: &password };
    create_vault(&claim, &OsKeyring, holder, KdfParams::INSECURE_FOR_TESTS)
        .expect("create a vault (is a keyring running?)")
}

pub fn unlock(fixture: &Fixture, password: &str) -> Result<UnlockedVault, VaultError> {
    let claim = fixture.data_dir.claim().unwrap();
    unlock_with_password(&claim, &OsKeyring, "owner", &Password::new(password))
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

#[test]
fn the_owner_unlocks_with_their_password_and_the_data_is_there() {
    let fixture = fixture();
    let created = create(&fixture);
    created.vault.connection().execute_batch("CREATE TABLE note (text); INSERT INTO note VALUES ('hello');").unwrap();
    created.vault.lock().unwrap();
    let vault = unlock(&fixture, PASSWORD).unwrap();
    let text: String = vault.connection().query_row("SELECT text FROM note", [], |row| row.get(0)).unwrap();
    assert_eq!(text, "hello");
}

#[test]
fn a_wrong_password_fails_and_changes_nothing() {
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    let database_before = file_bytes(&fixture.data_dir.database());
    let slots_before = file_bytes(&fixture.data_dir.key_slots());
    assert!(matches!(unlock(&fixture, "not the password at all"), Err(VaultError::WrongCredentials)));
    let claim = fixture.data_dir.claim().unwrap();
    let unknown = unlock_with_password(&claim, &OsKeyring, "nobody", &Password::new(PASSWORD));
    assert!(matches!(unknown, Err(VaultError::WrongCredentials)), "an unknown user looks like a wrong password");
    assert_eq!(file_bytes(&fixture.data_dir.database()), database_before);
    assert_eq!(file_bytes(&fixture.data_dir.key_slots()), slots_before);
}

#[test]
fn every_single_bit_flip_in_the_key_slot_file_fails_cleanly_or_is_put_right() {
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    let original = file_bytes(&fixture.data_dir.key_slots());
    let step = (original.len() / 97).max(1);
    let mut repaired = 0;
    for offset in (0..original.len()).step_by(step) {
        for bit in [0, 3, 7] {
            let mut damaged = original.clone();
            damaged[offset] ^= 1 << bit;
            std::fs::write(fixture.data_dir.key_slots(), &damaged).unwrap();
            match unlock(&fixture, PASSWORD) {
                Err(VaultError::KeySlotFileDamaged(_)) => {}
                // A flip in the MAC passes the checksum: the unlock notices the file is not the
                // vault's and writes it again from the database's copy.
                Ok(mut vault) => {
                    let findings = vault.take_trust_findings();
                    assert_eq!(findings, [TrustFinding::KeySlotFileAltered { repaired: true }], "flip at {offset}");
                    vault.lock().unwrap();
                    let mut again = unlock(&fixture, PASSWORD).unwrap();
                    assert!(again.take_trust_findings().is_empty(), "the file was put right");
                    again.lock().unwrap();
                    repaired += 1;
                }
                other => panic!("flip at byte {offset} bit {bit}: expected a damaged-file error, got {other:?}"),
            }
        }
    }
    assert!(repaired > 0, "some flips hit the MAC");
    std::fs::write(fixture.data_dir.key_slots(), &original).unwrap();
    assert!(unlock(&fixture, PASSWORD).is_ok());
}

#[cfg(unix)]
#[test]
fn the_key_slot_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    let mode = std::fs::metadata(fixture.data_dir.key_slots()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let folder_mode = std::fs::metadata(fixture.data_dir.root()).unwrap().permissions().mode();
    assert_eq!(folder_mode & 0o777, 0o700);
}

/// Windows' equivalent of modes 0600 and 0700: a protected ACL that lets only the owner in.
#[cfg(windows)]
#[test]
fn the_key_slot_file_is_private_to_its_owner() {
    use chartkeep_windows::owner_only::access_of;
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    let user = chartkeep_windows::owner_only::current_user_sid().unwrap();
    let slots = access_of(&fixture.data_dir.key_slots()).unwrap();
    assert_eq!(slots.allowed, [user], "{slots:?}");
    assert_eq!(slots.other_entries, 0);
    let folder = access_of(fixture.data_dir.root()).unwrap();
    assert!(folder.is_owner_only().unwrap(), "{folder:?}");
}

#[test]
fn without_the_keyring_entry_only_the_recovery_key_opens_the_vault() {
    let fixture = fixture();
    let created = create(&fixture);
    let recovery_key = created.recovery_key.clone();
    let vault_id = created.vault.vault_id().to_owned();
    created.vault.lock().unwrap();

    OsKeyring.delete(&vault_id).unwrap();
    assert!(matches!(unlock(&fixture, PASSWORD), Err(VaultError::DeviceSecretMissing)));
    let everything_in_the_folder: Vec<u8> =
        walk(fixture.data_dir.root()).iter().flat_map(|path| file_bytes(path)).collect();
    assert!(!everything_in_the_folder.is_empty());
    let slot_file = std::fs::read_to_string(fixture.data_dir.key_slots()).unwrap();
    assert!(!slot_file.contains("device_secret"), "the device secret is never written into the folder");

    let claim = fixture.data_dir.claim().unwrap();
    let wrong = RecoveryKey::parse(&format!("{}QQQQQQ", &recovery_key.expose()[..68]));
    assert!(open_with_recovery_key(&claim, &wrong).is_err());
    let recovered = open_with_recovery_key(&claim, &recovery_key).unwrap();
    assert!(OsKeyring.load(&vault_id).unwrap().is_none(), "opening with the recovery key changes nothing yet");
    let new_password = Password::new("a brand new owner password");
    let holder = SlotHolder { user_id: OWNER_ID, username: "owner", password: &new_password };
    let vault = recovered.bind_to_this_pc(&OsKeyring, holder, KdfParams::INSECURE_FOR_TESTS).unwrap();
    assert_eq!(vault.key_slots().users().len(), 1, "only the owner's slot, sealed under the new secret");
    assert!(OsKeyring.load(&vault_id).unwrap().is_some(), "a fresh device secret is in the keyring");
    vault.lock().unwrap();
    drop(claim);
    assert!(unlock(&fixture, "a brand new owner password").is_ok());
    assert!(matches!(unlock(&fixture, PASSWORD), Err(VaultError::WrongCredentials)));
}

#[test]
fn a_foreign_secret_in_the_keyring_is_reported_as_a_mismatch() {
    let first = fixture();
    let created = create(&first);
    let vault_id = created.vault.vault_id().to_owned();
    created.vault.lock().unwrap();
    let other = fixture();
    let other_vault = create(&other);
    let slots = read_key_slots(&other.data_dir).unwrap();
    let other_secret = OsKeyring.load(slots.vault_id()).unwrap().unwrap();
    other_vault.vault.lock().unwrap();
    OsKeyring.store(&vault_id, &other_secret).unwrap();
    assert!(matches!(unlock(&first, PASSWORD), Err(VaultError::DeviceSecretMismatch)));
}

#[test]
fn a_database_from_a_newer_chartkeep_is_refused_and_left_untouched() {
    let fixture = fixture();
    let created = create(&fixture);
    created.vault.connection().pragma_update(None, "user_version", 999).unwrap();
    created.vault.lock().unwrap();
    let before = file_bytes(&fixture.data_dir.database());
    match unlock(&fixture, PASSWORD) {
        Err(VaultError::DatabaseNewerThanApp { found: 999, .. }) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(file_bytes(&fixture.data_dir.database()), before);
}

#[test]
fn a_second_vault_cannot_be_created_over_an_existing_one() {
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    let claim = fixture.data_dir.claim().unwrap();
    let password = Password::new(PASSWORD);
    let holder = SlotHolder { user_id: OWNER_ID, username: "owner", password: &password };
    let again = create_vault(&claim, &OsKeyring, holder, KdfParams::INSECURE_FOR_TESTS);
    assert!(matches!(again, Err(VaultError::VaultExists(_))));
}

#[test]
fn a_data_folder_is_claimed_by_one_program_at_a_time() {
    let fixture = fixture();
    let first = fixture.data_dir.claim().unwrap();
    assert!(matches!(fixture.data_dir.claim(), Err(VaultError::AlreadyRunning(_))));
    drop(first);
}

pub fn walk(root: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else { return files };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_chain_anchor_sits_beside_the_device_secret_and_survives_its_replacement() {
    let fixture = fixture();
    let created = create(&fixture);
    let vault_id = created.vault.vault_id().to_owned();
    assert_eq!(OsKeyring.load_anchor(&vault_id).unwrap(), chartkeep_vault::AnchorState::Absent);
    let anchor = chartkeep_vault::ChainAnchor { seq: 42, hash: vec![7; 32] };
    OsKeyring.store_anchor(&vault_id, &anchor).unwrap();
    assert_eq!(OsKeyring.load_anchor(&vault_id).unwrap(), chartkeep_vault::AnchorState::Present(anchor.clone()));
    let secret_before = OsKeyring.load(&vault_id).unwrap().unwrap();
    assert!(created.vault.key_slots().matches_device(&secret_before), "the secret is intact beside the anchor");
    created.vault.lock().unwrap();

    // Recovery gives the PC a fresh device secret; the anchor stays.
    let claim = fixture.data_dir.claim().unwrap();
    let password = Password::new(PASSWORD);
    let holder = SlotHolder { user_id: OWNER_ID, username: "owner", password: &password };
    let recovered = open_with_recovery_key(&claim, &created.recovery_key)
        .unwrap()
        .bind_to_this_pc(&OsKeyring, holder, KdfParams::INSECURE_FOR_TESTS)
        .unwrap();
    assert!(!recovered.key_slots().matches_device(&secret_before), "a fresh device secret");
    assert!(recovered.key_slots().matches_device(&OsKeyring.load(&vault_id).unwrap().unwrap()));
    recovered.lock().unwrap();

    // Without an entry there is nothing to put an anchor beside.
    OsKeyring.delete(&vault_id).unwrap();
    let refused = OsKeyring.store_anchor(&vault_id, &chartkeep_vault::ChainAnchor { seq: 1, hash: vec![1; 32] });
    assert!(matches!(refused, Err(VaultError::DeviceSecretMissing)));
}

#[test]
fn a_missing_database_file_is_refused_and_not_recreated_empty() {
    let fixture = fixture();
    create(&fixture).vault.lock().unwrap();
    std::fs::remove_file(fixture.data_dir.database()).unwrap();
    let refused = unlock(&fixture, PASSWORD).unwrap_err();
    assert!(matches!(refused, VaultError::DatabaseMissing(_)), "{refused:?}");
    assert!(refused.to_string().contains("restore"), "{refused}");
    assert!(!fixture.data_dir.database().exists(), "no empty database was created");
}
