//! Canary strings written through the core API never appear in plaintext in the database, its
//! WAL and SHM files, the key-slot file, the failed-login buffer, a backup file or the backup's
//! work folders; as a control, the same bytes written to an unencrypted SQLite file are found.

use std::sync::Arc;

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::{PracticeSetup, SystemClock, Workstation};
use chartkeep_tests::canary::find_canaries;
use chartkeep_vault::backup::BackupStep;
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password};

const PRACTICE_CANARY: &str = "CanaryPractice-QX7fB2";
const OWNER_CANARY: &str = "CanaryOwner-Zk39Lw";
const PASSWORD_CANARY: &str = "canary password Vt6pQm";
const TYPED_USERNAME_CANARY: &str = "canaryuser-hq2m";

#[test]
fn canaries_written_through_the_core_never_reach_disk_in_plaintext() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = DataDir::at(folder.path().join("practice"));
    let workstation = Workstation::open(&data_dir, Box::new(OsKeyring), Arc::new(SystemClock)).unwrap();
    let setup = PracticeSetup {
        practice_name: PRACTICE_CANARY.into(),
        owner_full_name: OWNER_CANARY.into(),
        owner_username: "owner".into(),
        owner_password: Password::new(PASSWORD_CANARY),
    };
    let mut created = workstation.set_up_practice(&setup, KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS)).unwrap();
    // No authenticator app in this test: the Owner's role stops requiring one.
    let mut settings = created.session.access_settings().unwrap();
    settings.role_policies.iter_mut().for_each(|policy| policy.mfa_required = false);
    created.session.update_access_settings(&settings).unwrap();
    assert_eq!(created.session.practice_name().unwrap(), PRACTICE_CANARY, "the canary is really stored");
    let canaries = [PRACTICE_CANARY, OWNER_CANARY, PASSWORD_CANARY, TYPED_USERNAME_CANARY];

    // While the session is open the latest writes sit in the WAL: scan now, and after closing.
    assert!(data_dir.database().with_extension("db-wal").exists(), "the WAL is part of the scan");
    assert_eq!(find_canaries(&[data_dir.root()], &canaries), []);
    created.session.log_out().unwrap();
    assert!(workstation.log_in(TYPED_USERNAME_CANARY, &Password::new(PASSWORD_CANARY)).is_err());
    let mut session = workstation.log_in("owner", &Password::new(PASSWORD_CANARY)).unwrap();
    // A backup, and its verification (which decrypts the snapshot into a work folder): the
    // file on the "USB drive" and everything left in the data folder hold no canary either.
    let drive = folder.path().join("usb-drive");
    std::fs::create_dir(&drive).unwrap();
    let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(drive.clone()) };
    let mut scanned_during = false;
    let made = session
        .back_up(&request, &mut |progress| {
            if progress.step == BackupStep::Reading && !scanned_during {
                scanned_during = true;
                assert_eq!(find_canaries(&[data_dir.root(), &drive], &canaries), [], "while verifying");
            }
            true
        })
        .unwrap();
    assert!(scanned_during && made.verification_passed == Some(true));
    session.lock().unwrap();
    assert_eq!(find_canaries(&[data_dir.root(), &drive], &canaries), []);

    // Control: the scanner finds the same bytes in an unencrypted SQLite file.
    let plain = folder.path().join("control");
    std::fs::create_dir(&plain).unwrap();
    let connection = rusqlite::Connection::open(plain.join("plain.db")).unwrap();
    connection.execute_batch("CREATE TABLE practice (name TEXT)").unwrap();
    connection.execute("INSERT INTO practice VALUES (?1)", [PRACTICE_CANARY]).unwrap();
    drop(connection);
    let found = find_canaries(&[&plain], &canaries);
    assert_eq!(found.len(), 1, "the control file must show the canary: {found:?}");
}
