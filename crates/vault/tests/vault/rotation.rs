//! Rotating the database key: afterwards, a copy of the old key-slot file opens nothing, the
//! remaining users and the recovery key open the new database, and a rotation that fails or is
//! cancelled changes nothing.

use chartkeep_vault::{
    KdfParams, OsKeyring, Password, SlotHolder, TrustFinding, UnlockedVault, VaultError, open_with_recovery_key,
    unlock_with_password,
};

use super::{OWNER_ID, PASSWORD, create, fixture, unlock};

const SECOND: &str = "second-user";

fn with_second_user(vault: &mut UnlockedVault) -> Password {
    let password = Password::new("a second user's long password");
    let holder = SlotHolder { user_id: SECOND, username: "second", password: &password };
    vault.seal_for_user(holder, KdfParams::INSECURE_FOR_TESTS).unwrap();
    password
}

fn notes(vault: &UnlockedVault) -> i64 {
    vault.connection().query_row("SELECT count(*) FROM note", [], |row| row.get(0)).unwrap()
}

#[test]
fn after_a_rotation_a_kept_copy_of_the_old_slots_opens_nothing() {
    let _serial = super::FAILPOINTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let fixture = fixture();
    let created = create(&fixture);
    let recovery_key = created.recovery_key.clone();
    let mut vault = created.vault;
    vault.connection().execute_batch("CREATE TABLE note (text); INSERT INTO note VALUES ('kept');").unwrap();
    let second_password = with_second_user(&mut vault);
    // The second user keeps a copy of the slot file (and could keep the database too).
    let kept_slots = std::fs::read(fixture.data_dir.key_slots()).unwrap();
    let database_before = std::fs::read(fixture.data_dir.database()).unwrap();
    vault.remove_slot(SECOND).unwrap();

    let mut reports = 0;
    let outcome = vault
        .rotate_database_key(&OsKeyring, &[OWNER_ID.to_owned()], &mut |_| Ok(()), &mut |_| {
            reports += 1;
            true
        })
        .unwrap();
    assert_eq!(outcome.carried_users, 1);
    assert!(reports > 0, "the copy reported its progress");
    assert_eq!(notes(&vault), 1, "the vault goes on, open with the new key");
    vault.lock().unwrap();
    assert_ne!(std::fs::read(fixture.data_dir.database()).unwrap(), database_before, "every page re-encrypted");

    // The owner and the recovery key open the new database.
    let mut owner = unlock(&fixture, PASSWORD).unwrap();
    assert!(owner.take_trust_findings().is_empty());
    assert_eq!(notes(&owner), 1);
    owner.lock().unwrap();
    {
        let claim = fixture.data_dir.claim().unwrap();
        let recovered = open_with_recovery_key(&claim, &recovery_key).unwrap();
        let count: i64 = recovered.connection().query_row("SELECT count(*) FROM note", [], |row| row.get(0)).unwrap();
        assert_eq!(count, 1);
    }

    // The kept copy, put back, opens nothing for anyone.
    let current_slots = std::fs::read(fixture.data_dir.key_slots()).unwrap();
    std::fs::write(fixture.data_dir.key_slots(), &kept_slots).unwrap();
    let claim = fixture.data_dir.claim().unwrap();
    let second = unlock_with_password(&claim, &OsKeyring, "second", &second_password);
    assert!(matches!(second, Err(VaultError::KeySlotsForeign | VaultError::DatabaseUnreadable)), "{second:?}");
    drop(claim);
    std::fs::write(fixture.data_dir.key_slots(), &current_slots).unwrap();
    let claim = fixture.data_dir.claim().unwrap();
    let second = unlock_with_password(&claim, &OsKeyring, "second", &second_password);
    assert!(matches!(second, Err(VaultError::WrongCredentials)), "no slot for the second user any more");
}

#[test]
fn a_rotation_that_is_cancelled_or_fails_changes_nothing() {
    let _serial = super::FAILPOINTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let fixture = fixture();
    let vault = create(&fixture).vault;
    vault.connection().execute_batch("CREATE TABLE note (text); INSERT INTO note VALUES ('kept');").unwrap();
    vault.lock().unwrap();
    let slots_before = std::fs::read(fixture.data_dir.key_slots()).unwrap();
    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    let cancelled = vault.rotate_database_key(&OsKeyring, &[OWNER_ID.to_owned()], &mut |_| Ok(()), &mut |_| false);
    assert!(matches!(cancelled, Err(VaultError::Cancelled)));
    let failed = vault.rotate_database_key(
        &OsKeyring,
        &[OWNER_ID.to_owned()],
        &mut |_| Err(VaultError::RotationRefused("the caller's record failed")),
        &mut |_| true,
    );
    assert!(matches!(failed, Err(VaultError::RotationRefused(_))));
    assert_eq!(notes(&vault), 1, "the vault still works with the old key");
    vault.lock().unwrap();
    assert_eq!(std::fs::read(fixture.data_dir.key_slots()).unwrap(), slots_before, "the slots are as they were");
    assert!(!fixture.data_dir.root().join(chartkeep_vault::ROTATION_WORK_FOLDER).exists());
    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    assert!(vault.take_trust_findings().is_empty());
}

/// A rotation stopped at `point` (as by a crash there), then the next unlock.
#[cfg(feature = "failpoints")]
fn rotation_stopped_at(point: &'static str) -> (super::Fixture, Vec<TrustFinding>, i64) {
    let fixture = fixture();
    let vault = create(&fixture).vault;
    vault.connection().execute_batch("CREATE TABLE note (text); INSERT INTO note VALUES ('kept');").unwrap();
    let mut vault = vault;
    chartkeep_vault::failpoints::arm(point, chartkeep_vault::failpoints::Action::Fail);
    let stopped = vault.rotate_database_key(&OsKeyring, &[OWNER_ID.to_owned()], &mut |_| Ok(()), &mut |_| true);
    chartkeep_vault::failpoints::disarm_all();
    assert!(stopped.is_err(), "the rotation stopped at {point}");
    drop(vault);
    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    let findings = vault.take_trust_findings();
    let count = notes(&vault);
    vault.lock().unwrap();
    (fixture, findings, count)
}

#[cfg(feature = "failpoints")]
#[test]
fn a_rotation_stopped_anywhere_leaves_a_database_one_key_opens_and_says_what_happened() {
    let _serial = super::FAILPOINTS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let (_, findings, count) = rotation_stopped_at("rotation.copy-prepared");
    assert_eq!((findings.as_slice(), count), (&[][..], 1), "before anything was announced: as it was");

    let (_, findings, count) = rotation_stopped_at("rotation.pending-sealed");
    assert_eq!((findings.as_slice(), count), (&[TrustFinding::KeyRotationInterrupted][..], 1));

    let (fixture, findings, count) = rotation_stopped_at("rotation.swapped");
    assert_eq!((findings.as_slice(), count), (&[TrustFinding::KeyRotationCompleted][..], 1));
    let mut vault = unlock(&fixture, PASSWORD).unwrap();
    assert!(vault.take_trust_findings().is_empty(), "completed once, and quiet from then on");
}
