//! Canary strings written through the core API never appear in plaintext in the database, its
//! WAL and SHM files, the key-slot file or the failed-login buffer; as a control, the same bytes
//! written to an unencrypted SQLite file are found.

use std::sync::Arc;

use chartkeep_clinic::{PracticeSetup, SystemClock, Workstation};
use chartkeep_tests::canary::find_canaries;
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
    let created = workstation.set_up_practice(&setup, KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS)).unwrap();
    assert_eq!(created.session.practice_name().unwrap(), PRACTICE_CANARY, "the canary is really stored");
    let canaries = [PRACTICE_CANARY, OWNER_CANARY, PASSWORD_CANARY, TYPED_USERNAME_CANARY];

    // While the session is open the latest writes sit in the WAL: scan now, and after closing.
    assert!(data_dir.database().with_extension("db-wal").exists(), "the WAL is part of the scan");
    assert_eq!(find_canaries(&[data_dir.root()], &canaries), []);
    created.session.log_out().unwrap();
    assert!(workstation.log_in(TYPED_USERNAME_CANARY, &Password::new(PASSWORD_CANARY)).is_err());
    let session = workstation.log_in("owner", &Password::new(PASSWORD_CANARY)).unwrap();
    session.lock().unwrap();
    assert_eq!(find_canaries(&[data_dir.root()], &canaries), []);

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
