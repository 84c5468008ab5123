//! Backups against real parts: a vault in a temporary folder (its device secret in the OS
//! keyring, as `make test` provides), real SQLCipher files, real age files. Damage is made the
//! way it happens: files cut short at many places (chunk boundaries included), single bits
//! flipped, a forged trailer, the wrong key, a backup from a newer schema.

use std::path::{Path, PathBuf};

use super::container::{Trailer, footer, header};
use super::*;
use crate::data_dir::DataDir;
use crate::device_keyring::{DeviceSecretStore, OsKeyring};
use crate::error::VaultError;
use crate::kdf::KdfParams;
use crate::secrets::{Password, RecoveryKey};
use crate::vault::{CreatedVault, SlotHolder, UnlockedVault, create_vault, unlock_with_password};

const PASSWORD: &str = "backup tests password";

struct Practice {
    folder: tempfile::TempDir,
    data_dir: DataDir,
    recovery_key: RecoveryKey,
    vault: Option<UnlockedVault>,
}

impl Drop for Practice {
    fn drop(&mut self) {
        if let Some(vault) = &self.vault {
            let _ = OsKeyring.delete(vault.vault_id());
        }
    }
}

impl Practice {
    fn new(rows: u32) -> Practice {
        let folder = tempfile::tempdir().unwrap();
        let data_dir = DataDir::at(folder.path().join("practice"));
        let claim = data_dir.claim().unwrap();
        let password = Password::new(PASSWORD);
        let holder = SlotHolder { user_id: "owner-id", username: "owner", password: &password };
        let CreatedVault { vault, recovery_key } =
            create_vault(&claim, &OsKeyring, holder, KdfParams::INSECURE_FOR_TESTS).expect("a keyring is running");
        vault.connection().execute_batch("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT NOT NULL);").unwrap();
        insert_notes(&vault, rows);
        Practice { folder, data_dir, recovery_key, vault: Some(vault) }
    }

    fn vault(&self) -> &UnlockedVault {
        self.vault.as_ref().unwrap()
    }

    fn backups(&self) -> PathBuf {
        let folder = self.folder.path().join("backups");
        std::fs::create_dir_all(&folder).unwrap();
        folder
    }

    fn work(&self) -> PathBuf {
        self.data_dir.root().join("backup-work")
    }

    fn back_up(&self, further: &[String]) -> WrittenBackup {
        let source = self.vault().backup_source().unwrap();
        let snapshot = source.take_snapshot(&self.work(), &mut |_| true).unwrap();
        let description = BackupDescription {
            app_version: "0.1.0",
            created_at: "2026-11-25T10:00:00.000Z",
            practice_name: "Backup Test Practice",
            audit_head: None,
            further_recipients: further,
        };
        source.write_backup(&snapshot, &description, &self.backups(), "test.ckbackup", &mut |_| true).unwrap()
    }
}

fn insert_notes(vault: &UnlockedVault, rows: u32) {
    let connection = vault.connection();
    connection.execute_batch("BEGIN").unwrap();
    for index in 0..rows {
        connection
            .execute("INSERT INTO note (text) VALUES (?1)", [format!("synthetic note {index} {}", "x".repeat(180))])
            .unwrap();
    }
    connection.execute_batch("COMMIT").unwrap();
}

fn key_of(identity: &age::x25519::Identity) -> RecoveryKey {
    RecoveryKey::parse(age::secrecy::ExposeSecret::expose_secret(&identity.to_string()))
}

fn notes_in(snapshot: &Snapshot) -> i64 {
    snapshot.open_read_only().unwrap().query_row("SELECT count(*) FROM note", [], |row| row.get(0)).unwrap()
}

/// Opens and extracts a backup; the snapshot when both succeed.
fn restore_attempt(path: &Path, unlock: BackupUnlock<'_>, work: &Path) -> Result<Snapshot, VaultError> {
    open_backup(path, unlock)?.extract_snapshot(work, &mut |_| true)
}

#[test]
fn a_backup_reads_back_identical_with_the_vault_or_the_recovery_key() {
    let practice = Practice::new(6_000);
    let written = practice.back_up(&[]);
    assert_eq!(written.manifest.row_counts.get("note"), Some(&6_000));
    assert_eq!(written.manifest.schema_version, crate::migrations::latest_version());
    let bytes = std::fs::read(&written.path).unwrap();
    assert!(!bytes.windows(14).any(|window| window == b"synthetic note"), "nothing readable in the file");
    let source = practice.vault().backup_source().unwrap();
    for unlock in [BackupUnlock::Practice(&source), BackupUnlock::Key(&practice.recovery_key)] {
        let opened = open_backup(&written.path, unlock).unwrap();
        assert_eq!(opened.manifest, written.manifest);
        assert!(opened.belongs_to(practice.vault()));
        let snapshot = opened.extract_snapshot(&practice.work(), &mut |_| true).unwrap();
        let check = snapshot.check(&mut |_| true).unwrap();
        assert!(check.problems.is_empty(), "{:?}", check.problems);
        assert_eq!(check.row_counts, written.manifest.row_counts);
        assert_eq!(notes_in(&snapshot), 6_000);
    }
    let leftovers: Vec<_> =
        std::fs::read_dir(practice.backups()).unwrap().flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(leftovers, ["test.ckbackup"], "no temporary file left beside the backup");
}

#[test]
fn writes_during_the_snapshot_are_not_in_it_and_the_app_keeps_working() {
    let practice = Practice::new(100_000);
    let vault = practice.vault();
    let mut steps = 0;
    let snapshot = vault
        .backup_source()
        .unwrap()
        .take_snapshot(&practice.work(), &mut |_| {
            steps += 1;
            insert_notes(vault, 10);
            true
        })
        .unwrap();
    assert!(steps > 1, "the copy took several steps");
    assert_eq!(notes_in(&snapshot), 100_000, "a consistent copy as of its start");
    let now: i64 = vault.connection().query_row("SELECT count(*) FROM note", [], |row| row.get(0)).unwrap();
    assert_eq!(now, 100_000 + 10 * steps as i64);
}

/// Where age's payload starts: after the header's MAC line and the 16-byte nonce.
fn payload_start(bytes: &[u8]) -> usize {
    let mac_line = bytes.windows(4).position(|window| window == b"\n---").unwrap() + 1;
    let end_of_line = mac_line + bytes[mac_line..].iter().position(|byte| *byte == b'\n').unwrap();
    end_of_line + 1 + 16
}

#[test]
fn a_backup_cut_short_anywhere_is_refused() {
    let practice = Practice::new(2_000);
    let written = practice.back_up(&[]);
    let bytes = std::fs::read(&written.path).unwrap();
    let source = practice.vault().backup_source().unwrap();
    let start = payload_start(&bytes);
    let chunk = 64 * 1024 + 16;
    let mut cuts = vec![0, 10, start - 1, start, start + 1, bytes.len() / 2, bytes.len() - 17, bytes.len() - 1];
    cuts.extend((1..).map(|k| start + k * chunk).take_while(|cut| *cut < bytes.len()));
    let damaged = practice.folder.path().join("cut.ckbackup");
    for cut in cuts {
        std::fs::write(&damaged, &bytes[..cut]).unwrap();
        let attempt = restore_attempt(&damaged, BackupUnlock::Practice(&source), &practice.work());
        assert!(attempt.is_err(), "a backup cut at {cut} of {} was accepted", bytes.len());
    }
}

#[test]
fn a_single_flipped_bit_anywhere_is_refused() {
    let practice = Practice::new(2_000);
    let written = practice.back_up(&[]);
    let bytes = std::fs::read(&written.path).unwrap();
    let damaged = practice.folder.path().join("flipped.ckbackup");
    let step = (bytes.len() / 150).max(1);
    for offset in (0..bytes.len()).step_by(step).chain([bytes.len() - 1]) {
        let mut flipped = bytes.clone();
        flipped[offset] ^= 1 << (offset % 8);
        std::fs::write(&damaged, &flipped).unwrap();
        let attempt = restore_attempt(&damaged, BackupUnlock::Key(&practice.recovery_key), &practice.work());
        assert!(attempt.is_err(), "a flipped bit at {offset} was accepted");
    }
}

#[test]
fn a_forged_backup_with_the_real_key_slot_but_not_the_key_is_refused() {
    let practice = Practice::new(100);
    let written = practice.back_up(&[]);
    // The forger has the key-slot file (it is not secret) and the recipient, not the key.
    let slots = crate::vault::read_key_slots(&practice.data_dir).unwrap();
    let snapshot = open_backup(&written.path, BackupUnlock::Practice(&practice.vault().backup_source().unwrap()))
        .unwrap()
        .extract_snapshot(&practice.work(), &mut |_| true)
        .unwrap();
    let forger_key = crate::secrets::DatabaseKey::from_bytes([0x66; 32]);
    let manifest = serde_json::to_string(&written.manifest).unwrap();
    let trailer = Trailer::seal(&forger_key, manifest, slots.recovery().sealed_key.clone()).unwrap();
    let trailer = serde_json::to_vec(&trailer).unwrap();
    let mut plaintext = header();
    plaintext.extend(std::fs::read(snapshot.path()).unwrap());
    plaintext.extend(&trailer);
    plaintext.extend(footer(trailer.len() as u64));
    let recipient = parse_recipient(&slots.recovery().recipient).unwrap();
    let forged = age::encrypt(&recipient, &plaintext).unwrap();
    let path = practice.folder.path().join("forged.ckbackup");
    std::fs::write(&path, forged).unwrap();
    let refused = open_backup(&path, BackupUnlock::Key(&practice.recovery_key)).unwrap_err();
    assert!(matches!(refused, VaultError::BackupForged), "{refused:?}");
}

#[test]
fn the_wrong_key_another_practice_and_a_newer_schema_are_refused_with_their_reasons() {
    let practice = Practice::new(100);
    let written = practice.back_up(&[]);
    let stranger = key_of(&age::x25519::Identity::generate());
    assert!(matches!(open_backup(&written.path, BackupUnlock::Key(&stranger)), Err(VaultError::BackupKeyWrong)));
    let other = Practice::new(1);
    assert!(matches!(
        open_backup(&written.path, BackupUnlock::Practice(&other.vault().backup_source().unwrap())),
        Err(VaultError::BackupOfAnotherPractice)
    ));
    let not_a_backup = practice.folder.path().join("notes.txt");
    std::fs::write(&not_a_backup, "just some text").unwrap();
    assert!(matches!(
        open_backup(&not_a_backup, BackupUnlock::Key(&practice.recovery_key)),
        Err(VaultError::NotABackup)
    ));

    practice.vault().connection().execute_batch("PRAGMA user_version = 99;").unwrap();
    let newer = practice.back_up(&[]);
    let refused = open_backup(&newer.path, BackupUnlock::Key(&practice.recovery_key)).unwrap_err();
    assert!(matches!(refused, VaultError::BackupNewerThanApp { found: 99, .. }), "{refused:?}");
}

#[test]
fn a_further_recipient_opens_the_backup_with_their_own_key() {
    let practice = Practice::new(10);
    let custodian = age::x25519::Identity::generate();
    let written = practice.back_up(&[custodian.to_public().to_string()]);
    let key = key_of(&custodian);
    let snapshot = restore_attempt(&written.path, BackupUnlock::Key(&key), &practice.work()).unwrap();
    assert_eq!(notes_in(&snapshot), 10);
}

#[test]
fn a_cancelled_backup_leaves_nothing_behind() {
    let practice = Practice::new(2_000);
    let source = practice.vault().backup_source().unwrap();
    let snapshot = source.take_snapshot(&practice.work(), &mut |_| true).unwrap();
    let description = BackupDescription {
        app_version: "0.1.0",
        created_at: "2026-11-25T10:00:00.000Z",
        practice_name: "P",
        audit_head: None,
        further_recipients: &[],
    };
    let cancelled = source.write_backup(&snapshot, &description, &practice.backups(), "c.ckbackup", &mut |_| false);
    assert!(matches!(cancelled, Err(VaultError::Cancelled)));
    assert_eq!(std::fs::read_dir(practice.backups()).unwrap().count(), 0);
    let path = snapshot.path().to_path_buf();
    drop(snapshot);
    assert!(!path.exists(), "the snapshot goes when it is dropped");
}

#[test]
fn a_restore_in_place_swaps_the_database_and_keeps_the_old_one() {
    let mut practice = Practice::new(50);
    let written = practice.back_up(&[]);
    insert_notes(practice.vault(), 7);
    let vault = practice.vault.take().unwrap();
    let vault_id = vault.vault_id().to_owned();
    let snapshot = restore_attempt(&written.path, BackupUnlock::Key(&practice.recovery_key), &practice.work()).unwrap();
    let restored = vault.replace_database_with(snapshot, &OsKeyring, None).unwrap();
    assert!(restored.pre_restore_copy.exists());
    let claim = practice.data_dir.claim().unwrap();
    let reopened = unlock_with_password(&claim, &OsKeyring, "owner", &Password::new(PASSWORD)).unwrap();
    let notes: i64 = reopened.connection().query_row("SELECT count(*) FROM note", [], |row| row.get(0)).unwrap();
    assert_eq!(notes, 50, "the notes added after the backup are gone");
    assert_eq!(reopened.vault_id(), vault_id);
    practice.vault = Some(reopened);
}

#[test]
fn a_backup_installs_onto_a_new_pc_with_only_the_recovery_key() {
    let practice = Practice::new(25);
    let written = practice.back_up(&[]);
    let new_pc = tempfile::tempdir().unwrap();
    let data_dir = DataDir::at(new_pc.path().join("practice"));
    let claim = data_dir.claim().unwrap();
    let opened = open_backup(&written.path, BackupUnlock::Key(&practice.recovery_key)).unwrap();
    let snapshot = opened.extract_snapshot(&data_dir.root().join("restore-work"), &mut |_| true).unwrap();
    let recovered = install_onto_this_pc(&claim, snapshot, &opened).unwrap();
    let password = Password::new("the new owner password");
    let holder = SlotHolder { user_id: "owner-id", username: "owner", password: &password };
    // A keyring entry of its own, under another name, so the old PC's entry is left alone.
    let store = RenamedKeyring;
    let vault = recovered.bind_to_this_pc(&store, holder, KdfParams::INSECURE_FOR_TESTS).unwrap();
    let notes: i64 = vault.connection().query_row("SELECT count(*) FROM note", [], |row| row.get(0)).unwrap();
    assert_eq!(notes, 25);
    let _ = store.delete(vault.vault_id());
}

/// The OS keyring, with entries under a test-only name.
#[derive(Debug)]
struct RenamedKeyring;

impl DeviceSecretStore for RenamedKeyring {
    fn read(&self, vault_id: &str) -> crate::error::VaultResult<Option<crate::device_keyring::KeyringEntry>> {
        OsKeyring.read(&format!("new-pc-{vault_id}"))
    }
    fn write(&self, vault_id: &str, entry: &crate::device_keyring::KeyringEntry) -> crate::error::VaultResult<()> {
        OsKeyring.write(&format!("new-pc-{vault_id}"), entry)
    }
    fn delete(&self, vault_id: &str) -> crate::error::VaultResult<()> {
        OsKeyring.delete(&format!("new-pc-{vault_id}"))
    }
}
