//! The ways round the vault that the PC's own files left open, each tried as someone who can
//! read and write the data folder (staff sharing the OS account, malware, a repair shop), and
//! each closed: noticed, refused or put right, and raised as an integrity alert.

use std::path::Path;

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::{ErrorCode, ExportDestination, Role, Session, WallClock};
use chartkeep_vault::{AnchorState, DeviceSecretStore, OsKeyring, Password, read_key_slots};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::audit_chain::{raw_vault, tamper};
use super::{
    ManualClock, OWNER_PASSWORD, PATIENT, Practice, count_audit_entries, create_user, first_sign_in, log_in,
    new_practice, new_practice_on, open_workstation, staff_password, with_patients,
};

/// The open alerts' kinds, as the Owner sees them after signing in.
fn open_alerts(owner: &mut Session) -> Vec<String> {
    owner
        .audit_integrity_status()
        .unwrap()
        .open_alerts
        .into_iter()
        .map(|alert| <&str>::from(alert.kind).to_owned())
        .collect()
}

/// Rewrites the key-slot file's JSON with `change` and a freshly computed checksum, keeping the
/// vault's field order (as someone who read the source would).
fn tamper_with_slot_file(path: &Path, change: impl FnOnce(&mut serde_json::Map<String, Value>)) {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct File {
        body: Body,
        checksum: String,
        mac: Option<String>,
    }
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Body {
        format: u32,
        vault_id: String,
        generation: u64,
        device_check: String,
        recovery: Recovery,
        users: Vec<User>,
    }
    #[derive(serde::Deserialize, serde::Serialize)]
    struct User {
        user_id: String,
        username: String,
        kdf: chartkeep_vault::KdfParams,
        salt: String,
        nonce: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        recipient: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        sealed_identity: Option<String>,
        sealed_key: String,
    }
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Recovery {
        recipient: String,
        sealed_key: String,
    }
    let mut file: File = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut recovery = serde_json::Map::new();
    recovery.insert("recipient".into(), Value::String(file.body.recovery.recipient.clone()));
    recovery.insert("sealed_key".into(), Value::String(file.body.recovery.sealed_key.clone()));
    change(&mut recovery);
    file.body.recovery.recipient = recovery["recipient"].as_str().unwrap().to_owned();
    file.body.recovery.sealed_key = recovery["sealed_key"].as_str().unwrap().to_owned();
    let body_text = serde_json::to_string(&file.body).unwrap();
    file.checksum = hex::encode(Sha256::digest(body_text.as_bytes()));
    std::fs::write(path, serde_json::to_vec_pretty(&file).unwrap()).unwrap();
}

fn back_up(owner: &mut Session, folder: &Path) -> std::path::PathBuf {
    let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(folder.to_path_buf()) };
    let job = owner.prepare_backup(&request).unwrap();
    let record = owner.finish_backup(job.run(&mut |_| true)).unwrap();
    assert_eq!(record.verification_passed, Some(true), "{:?}", record.verification_problems);
    folder.join(&record.file_name)
}

#[test]
fn a_recipient_swapped_into_the_key_slots_never_receives_a_backup() {
    let (practice, workstation, created) = new_practice();
    let recovery_key = created.recovery_key.clone();
    created.session.log_out().unwrap();
    drop(workstation);
    let attacker = age::x25519::Identity::generate();
    let their_recipient = attacker.to_public().to_string();
    tamper_with_slot_file(&practice.data_dir.key_slots(), |recovery| {
        recovery.insert("recipient".into(), Value::String(their_recipient.clone()));
    });

    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    assert_eq!(open_alerts(&mut owner), ["key_slot_file_altered"]);
    let backups = tempfile::tempdir().unwrap();
    let backup = back_up(&mut owner, backups.path());
    owner.log_out().unwrap();

    let their_key =
        chartkeep_vault::RecoveryKey::parse(age::secrecy::ExposeSecret::expose_secret(&attacker.to_string()));
    let theirs = chartkeep_vault::backup::open_backup(&backup, chartkeep_vault::backup::BackupUnlock::Key(&their_key));
    assert!(theirs.is_err(), "the attacker's key opens nothing");
    let real = chartkeep_vault::backup::open_backup(&backup, chartkeep_vault::backup::BackupUnlock::Key(&recovery_key));
    assert!(real.is_ok(), "the practice's recovery key opens the backup");
    assert_ne!(read_key_slots(&practice.data_dir).unwrap().recovery().recipient, their_recipient, "put right");
}

#[test]
fn a_backup_sealed_to_keys_the_database_did_not_record_fails_its_verification() {
    let (practice, workstation, mut created) = new_practice();
    let backups = tempfile::tempdir().unwrap();
    let backup = back_up(&mut created.session, backups.path());
    created.session.log_out().unwrap();
    drop(workstation);
    // The database's record now names another recovery recipient (as after a change the
    // backup did not follow): the older backup no longer matches it.
    let other = age::x25519::Identity::generate().to_public().to_string();
    let vault = raw_vault(&practice);
    let body: String = vault.connection().query_row("SELECT body FROM vault_key_slots", [], |row| row.get(0)).unwrap();
    let mut body: Value = serde_json::from_str(&body).unwrap();
    body["recovery"]["recipient"] = Value::String(other);
    vault.connection().execute("UPDATE vault_key_slots SET body = ?1", [body.to_string()]).unwrap();
    vault.lock().unwrap();

    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    let verification = owner.verify_backup_file(&backup, &mut |_| true).unwrap();
    assert!(!verification.passed);
    assert!(
        verification.problems().iter().any(|problem| problem.contains("other keys")),
        "{:?}",
        verification.problems()
    );
    assert!(open_alerts(&mut owner).contains(&"backup_recipients_differ".to_owned()));
    owner.log_out().unwrap();
}

#[test]
fn a_session_that_dies_before_it_locks_cannot_be_rolled_back_unseen() {
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    drop(workstation);
    let database = practice.data_dir.database();
    let before_the_session = practice.folder.path().join("before.db");
    std::fs::copy(&database, &before_the_session).unwrap();

    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    owner.list_users().unwrap();
    // The app dies here (a crash, a power cut; kill -9 is tried on the real program in the
    // journeys): no lock, no log-out, so nothing is anchored on the way out.
    drop(owner);
    drop(workstation);
    for side in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{side}", database.display()));
    }
    std::fs::copy(&before_the_session, &database).unwrap();

    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    assert_eq!(open_alerts(&mut owner), ["chain_shorter_than_anchor"], "the anchor was written at sign-in");
    owner.log_out().unwrap();
}

#[test]
fn an_anchor_removed_from_the_keyring_raises_an_alert_instead_of_being_ignored() {
    let (practice, workstation, created) = new_practice();
    let vault_id = created.session.vault_id().to_owned();
    created.session.log_out().unwrap();
    OsKeyring.update(&vault_id, &mut |entry| entry.anchor = AnchorState::Absent).unwrap();
    let mut owner = log_in(&workstation);
    assert_eq!(open_alerts(&mut owner), ["anchor_missing"]);
    owner.log_out().unwrap();
    OsKeyring.update(&vault_id, &mut |entry| entry.anchor = AnchorState::Unreadable).unwrap();
    let mut owner = log_in(&workstation);
    assert_eq!(open_alerts(&mut owner), ["anchor_missing", "anchor_unreadable"]);
    owner.log_out().unwrap();
    drop(workstation);
    let _ = practice;
}

#[test]
fn a_forged_failed_sign_in_line_is_refused_and_raises_an_alert() {
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    assert!(workstation.log_in("aokafor", &Password::new("not the password")).is_err());
    let forged = [
        // "dr.jones signed out in 2019", with a MAC made up, and one with none at all.
        r#"{"seq":2,"event":{"id":"forged-1","at":"2019-03-01T09:00:00.000Z","username":"aokafor","reason":"signed_out_from_lock_screen"},"mac":"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}"#,
        r#"{"seq":null,"event":{"id":"forged-2","at":"2019-03-01T09:00:00.000Z","username":"aokafor","reason":"wrong_credentials"},"mac":null}"#,
    ];
    let mut buffer = std::fs::read_to_string(practice.data_dir.failed_logins()).unwrap();
    for line in forged {
        buffer.push_str(line);
        buffer.push('\n');
    }
    std::fs::write(practice.data_dir.failed_logins(), buffer).unwrap();

    let mut owner = log_in(&workstation);
    assert_eq!(open_alerts(&mut owner), ["sign_in_events_forged"]);
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "object_id LIKE 'forged-%' OR occurred_at LIKE '2019%'"), 0);
    assert_eq!(count_audit_entries(&practice, "action = 'login_failed' AND reason = 'wrong_credentials'"), 1);
    assert_eq!(count_audit_entries(&practice, "reason = 'unauthenticated_buffer_lines'"), 1);
}

#[test]
fn a_removed_failed_sign_in_line_is_noticed() {
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    assert!(workstation.log_in("aokafor", &Password::new("not the password")).is_err());
    std::fs::remove_file(practice.data_dir.failed_logins()).unwrap();
    let mut owner = log_in(&workstation);
    assert_eq!(open_alerts(&mut owner), ["sign_in_events_removed"]);
    owner.log_out().unwrap();
}

#[test]
fn deleting_the_throttle_file_does_not_reset_a_lockout() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    owner.log_out().unwrap();
    let wrong = Password::new("not the owner password");
    for _ in 0..chartkeep_clinic::LOCKOUT_FAILURES {
        let _ = workstation.log_in("aokafor", &wrong);
        clock.advance(time::Duration::minutes(5));
    }
    let locked = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(locked.code(), ErrorCode::AccountLocked);
    std::fs::remove_file(practice.data_dir.sign_in_throttle()).unwrap();
    let still = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(still.code(), ErrorCode::AccountLocked, "a deleted file locks everyone, it resets nothing");
    // An edited file is no better than a deleted one.
    clock.advance(chartkeep_clinic::LOCKOUT);
    std::fs::write(practice.data_dir.sign_in_throttle(), br#"{"state":{"accounts":{}},"mac":"00"}"#).unwrap();
    let edited = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(edited.code(), ErrorCode::AccountLocked);
    clock.advance(chartkeep_clinic::LOCKOUT);
    let mut owner = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap();
    assert_eq!(open_alerts(&mut owner), ["throttle_state_tampered"]);
    owner.log_out().unwrap();
}

#[test]
fn emergency_access_shows_a_chart_but_never_prints_or_exports_it() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    desk.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap();
    assert!(desk.open_chart(&PATIENT).is_ok(), "seeing is what it is for");
    let folder = tempfile::tempdir().unwrap();
    let fhir = ExportDestination::new_file(folder.path().join("chart.json"));
    assert_eq!(desk.export_patient_fhir(&PATIENT, &fhir).unwrap_err().code(), ErrorCode::Forbidden);
    let pdf = ExportDestination::new_file(folder.path().join("summary.pdf"));
    let printed = desk.print_patient_summary(&PATIENT, 5, WallClock::default(), &pdf);
    assert_eq!(printed.unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0, "nothing was written");
    desk.log_out().unwrap();
    owner.log_out().unwrap();
}

#[test]
fn a_deactivated_users_copy_of_the_key_slots_opens_nothing() {
    let (practice, workstation, mut created) = new_practice();
    let issued = create_user(&mut created.session, "leaver", &[Role::Clinician]);
    first_sign_in(&workstation, "leaver", &issued).log_out().unwrap();
    let kept_copy = std::fs::read(practice.data_dir.key_slots()).unwrap();
    let mut reports = 0;
    created
        .session
        .deactivate_user(&issued.user.id, &mut |_| {
            reports += 1;
            true
        })
        .unwrap();
    assert!(reports > 0, "the rotation reported its progress");
    created.session.log_out().unwrap();
    drop(workstation);

    let current = std::fs::read(practice.data_dir.key_slots()).unwrap();
    std::fs::write(practice.data_dir.key_slots(), &kept_copy).unwrap();
    let claim = practice.data_dir.claim().unwrap();
    let leaver =
        chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "leaver", &Password::new(staff_password("leaver")));
    assert!(leaver.is_err(), "the old slot opens an old key, which opens nothing now");
    drop(claim);
    std::fs::write(practice.data_dir.key_slots(), &current).unwrap();
    assert_eq!(count_audit_entries_after_restoring_slots(&practice), 1);
}

/// Puts the current slots back (the owner's unlock writes them from the database's record) and
/// counts the rotations recorded.
fn count_audit_entries_after_restoring_slots(practice: &Practice) -> u64 {
    count_audit_entries(practice, "action = 'database_key_rotated' AND reason = 'user_deactivated'")
}

#[test]
fn guessing_the_current_password_is_counted_audited_and_ends_the_session() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_on(clock.clone());
    let wrong = Password::new("a guess at the password");
    let new = Password::new("a brand new owner password");
    let mut refusals = Vec::new();
    for _ in 0..chartkeep_clinic::LOCKOUT_FAILURES {
        let refused = owner.change_own_password(&wrong, &new, super::cheap_kdf()).unwrap_err();
        refusals.push(refused.code());
        // Each try waits out the growing delay, staying inside the owner's idle timeout.
        clock.advance(time::Duration::minutes(5));
    }
    assert_eq!(refusals.first(), Some(&ErrorCode::InvalidInput));
    assert_eq!(refusals.last(), Some(&ErrorCode::AccountLocked), "{refusals:?}");
    assert_eq!(owner.list_users().unwrap_err().code(), ErrorCode::SessionExpired, "the lockout ended the session");
    drop(owner);
    let refused = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::AccountLocked, "and signing in again waits too");
    drop(workstation);
    let counted = count_audit_entries(&practice, "action = 'password_changed' AND outcome = 'failed'");
    assert_eq!(counted, chartkeep_clinic::LOCKOUT_FAILURES as u64);
}

#[test]
fn exports_are_never_written_into_the_data_folder_over_a_link_or_over_a_file_not_chosen() {
    let (practice, workstation, mut created) = new_practice();
    let owner = &mut created.session;
    let filter = chartkeep_clinic::audit::query::AuditFilter::default();
    let sort = chartkeep_clinic::audit::query::AuditSort::default();
    let slots_before = std::fs::read(practice.data_dir.key_slots()).unwrap();
    for target in
        [practice.data_dir.key_slots(), practice.data_dir.database(), practice.data_dir.root().join("new.csv")]
    {
        for destination in [ExportDestination::new_file(&target), ExportDestination::chosen_in_save_dialog(&target)] {
            let refused = owner.export_audit_csv(&filter, sort, &destination).unwrap_err();
            assert_eq!(refused.field(), Some("destination"), "{}", target.display());
        }
    }
    assert_eq!(std::fs::read(practice.data_dir.key_slots()).unwrap(), slots_before);
    let outside = tempfile::tempdir().unwrap();
    let victim = outside.path().join("victim.txt");
    std::fs::write(&victim, b"kept").unwrap();
    let link = outside.path().join("link.csv");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    // Windows lets only administrators and Developer Mode make symbolic links: a test run
    // without either cannot check this part (and says so).
    #[cfg(windows)]
    std::os::windows::fs::symlink_file(&victim, &link)
        .expect("making a symbolic link (needs Developer Mode or an administrator)");
    let through_link = owner.export_audit_csv(&filter, sort, &ExportDestination::chosen_in_save_dialog(&link));
    assert_eq!(through_link.unwrap_err().field(), Some("destination"));
    assert_eq!(std::fs::read(&victim).unwrap(), b"kept", "nothing was written through the link");
    let existing = ExportDestination::new_file(&victim);
    assert_eq!(owner.export_audit_csv(&filter, sort, &existing).unwrap_err().field(), Some("destination"));
    assert!(owner.export_audit_csv(&filter, sort, &ExportDestination::chosen_in_save_dialog(&victim)).is_ok());
    drop(workstation);
}

#[test]
fn an_import_of_a_device_or_an_oversized_file_is_refused_before_it_is_read() {
    let (_practice, _workstation, mut created) = new_practice();
    let owner = &mut created.session;
    let started = std::time::Instant::now();
    #[cfg(unix)]
    let device = Path::new("/dev/zero");
    #[cfg(windows)]
    let device = Path::new(r"\\.\NUL");
    let zero = owner.preview_import(device, None).unwrap_err();
    assert_eq!(zero.field(), Some("file"));
    #[cfg(unix)]
    assert!(zero.to_string().contains("not a plain file"), "{zero}");
    let folder = tempfile::tempdir().unwrap();
    let huge = folder.path().join("huge.csv");
    std::fs::File::create(&huge).unwrap().set_len(chartkeep_clinic::patients::IMPORT_FILE_LIMIT_BYTES + 1).unwrap();
    let refused = owner.preview_import(&huge, None).unwrap_err();
    assert!(refused.to_string().contains("200 MB"), "{refused}");
    assert_eq!(owner.preview_import(folder.path(), None).unwrap_err().field(), Some("file"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "refused without reading");
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_every_file_in_it_are_the_owners_alone() {
    use std::os::unix::fs::PermissionsExt;
    let (practice, workstation, mut created) = new_practice();
    let backups = tempfile::tempdir().unwrap();
    back_up(&mut created.session, backups.path());
    created.session.log_out().unwrap();
    let _ = workstation.log_in("aokafor", &Password::new("wrong again"));
    log_in(&workstation).lock().unwrap();
    fn check(path: &Path) {
        let meta = std::fs::symlink_metadata(path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        if meta.is_dir() {
            assert_eq!(mode, 0o700, "{}", path.display());
            for entry in std::fs::read_dir(path).unwrap() {
                check(&entry.unwrap().path());
            }
        } else {
            assert_eq!(mode, 0o600, "{}", path.display());
        }
    }
    check(practice.data_dir.root());
}

/// Windows' equivalent: every folder and file in the data folder lets only its owner in (the
/// folder's own protected ACL, and what its files inherit from it).
#[cfg(windows)]
#[test]
fn the_data_folder_and_every_file_in_it_are_the_owners_alone() {
    use chartkeep_windows::owner_only::{access_of, current_user_sid};
    let (practice, workstation, mut created) = new_practice();
    let backups = tempfile::tempdir().unwrap();
    back_up(&mut created.session, backups.path());
    created.session.log_out().unwrap();
    let _ = workstation.log_in("aokafor", &Password::new("wrong again"));
    log_in(&workstation).lock().unwrap();
    let user = current_user_sid().unwrap();
    fn check(path: &Path, user: &str) {
        let access = access_of(path).unwrap();
        assert_eq!(access.allowed, [user], "{}: {access:?}", path.display());
        assert_eq!(access.other_entries, 0, "{}: {access:?}", path.display());
        if std::fs::symlink_metadata(path).unwrap().is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                check(&entry.unwrap().path(), user);
            }
        }
    }
    assert!(access_of(practice.data_dir.root()).unwrap().is_owner_only().unwrap());
    check(practice.data_dir.root(), &user);
    for entry in std::fs::read_dir(backups.path()).unwrap() {
        check(&entry.unwrap().path(), &user);
    }
}

#[test]
fn unknown_codes_are_refused_wherever_they_come_from() {
    use chartkeep_clinic::AmendmentItem;
    assert!(AmendmentItem::parse("demographics").is_ok());
    for unknown in ["other_thing", "Allergy", "", "allergy "] {
        assert_eq!(AmendmentItem::parse(unknown).unwrap_err().code(), ErrorCode::InvalidInput, "{unknown:?}");
    }
    assert!(chartkeep_clinic::chart::EncounterKind::parse("surgery").is_err());
    assert!(chartkeep_clinic::patients::DateOrder::parse("ymd").is_err());

    // A stored value no code matches is refused when read, not taken for a default.
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    drop(workstation);
    tamper(
        &practice,
        "PRAGMA ignore_check_constraints = ON;
         INSERT INTO backups (id, file_name, folder, created_at, trigger, bytes, snapshot_sha256)
         VALUES ('odd', 'odd.ckbackup', '/nowhere', '2026-11-25T08:00:00.000Z', 'sideways', 1, '00');",
    );
    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    assert_eq!(owner.backups().unwrap_err().code(), ErrorCode::InvalidInput, "not read as a manual backup");
    owner.log_out().unwrap();
}
