//! Backups end to end in the core: a practice backs up, changes, restores in place and is back
//! where it was (canonical dump and audit chain up to the backup); the same backup restores into
//! a fresh data folder with an empty keyring (the new-PC path); wrong keys, other practices'
//! backups and damaged files change nothing; scheduled backups run under any signed-in user and
//! rotation keeps the policy; the home screen's status warns when backups are old.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chartkeep_clinic::backups::{
    BackupCheck, BackupRequest, BackupSettings, BackupTrigger, RetentionPolicy, verify_backup_with_key,
};
use chartkeep_clinic::{ErrorCode, Role, Session};
use chartkeep_vault::{DeviceSecretStore, OsKeyring, Password, RecoveryKey};

use super::patients::{draft, register};
use super::{
    OWNER_PASSWORD, Practice, cheap_kdf, create_user, first_sign_in, log_in, new_practice, open_workstation,
    staff_password,
};

fn backup_folder(practice: &Practice) -> PathBuf {
    let folder = practice.folder.path().join("usb-drive");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

fn send_backups_to(owner: &mut Session, folder: &Path, retention: RetentionPolicy) {
    let settings = BackupSettings {
        destination: Some(folder.to_string_lossy().into_owned()),
        daily_at: Some("18:30".into()),
        on_log_off_after_hours: Some(24),
        retention,
        further_recipients: Vec::new(),
    };
    owner.update_backup_settings(&settings).unwrap();
}

fn manual() -> BackupRequest {
    BackupRequest { trigger: BackupTrigger::Manual, folder: None }
}

/// Every row of every table (sorted), except the tables a restore changes on purpose.
fn canonical_dump(practice: &Practice) -> BTreeMap<String, Vec<String>> {
    let claim = practice.data_dir.claim().unwrap();
    let vault =
        chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "aokafor", &Password::new(OWNER_PASSWORD)).unwrap();
    let connection = vault.connection();
    let tables: Vec<String> = connection
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut dump = BTreeMap::new();
    for table in tables
        .into_iter()
        // The backups' list and settings are carried over, the chain's status is the latest check,
        // and the key slots are this PC's as they are now (recorded into the restored database).
        .filter(|table| {
            !["backups", "backup_settings", "audit_chain_status", "vault_key_slots"].contains(&table.as_str())
        })
    {
        let mut statement = connection.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = statement.column_count();
        let mut rows: Vec<String> = statement
            .query_map([], |row| {
                let values: Vec<String> = (0..columns)
                    .map(|index| format!("{:?}", row.get::<_, rusqlite::types::Value>(index).unwrap()))
                    .collect();
                Ok(values.join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        dump.insert(table, rows);
    }
    vault.lock().unwrap();
    dump
}

/// An audit row's sequence number (its first column).
fn sequence_of(row: &str) -> i64 {
    let first = row.split('|').next().unwrap_or_default();
    first.trim_start_matches("Integer(").trim_end_matches(')').parse().unwrap()
}

fn keep_audit_up_to(dump: &mut BTreeMap<String, Vec<String>>, head: i64) {
    if let Some(rows) = dump.get_mut("audit_log") {
        rows.retain(|row| sequence_of(row) <= head);
    }
}

#[test]
fn a_restore_in_place_brings_the_practice_back_to_the_backup_exactly() {
    let (practice, workstation, created) = new_practice();
    let recovery_key = created.recovery_key;
    let mut owner = created.session;
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    register(&mut desk, &draft("Okafor", "Ada", "1970-01-02"));
    register(&mut desk, &draft("Müller", "Anna", "1984-03-07"));
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy::default());
    let mut reports = 0;
    let record = owner
        .back_up(&manual(), &mut |_| {
            reports += 1;
            true
        })
        .unwrap();
    assert!(reports > 2, "progress was reported");
    assert_eq!(record.verification_passed, Some(true), "{:?}", record.verification_problems);
    let backup = folder.join(&record.file_name);
    assert!(record.file_name.ends_with(".ckbackup") && backup.exists());
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let mut before = canonical_dump(&practice);

    // After the backup: a new patient and a new user.
    let workstation = open_workstation(&practice);
    let mut desk = workstation.log_in("desk", &Password::new(staff_password("desk"))).unwrap();
    register(&mut desk, &draft("Later", "Lou", "2001-05-20"));
    desk.log_out().unwrap();
    let mut owner = log_in(&workstation);
    create_user(&mut owner, "later", &[Role::Clinician]);

    let wrong = RecoveryKey::parse("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ");
    assert!(owner.prepare_restore(&backup, &wrong, &mut |_| true).is_err(), "a malformed or wrong key is refused");
    let summary = owner.inspect_backup(&backup, &recovery_key).unwrap();
    assert_eq!((summary.patients, summary.users), (2, 2));
    let prepared = owner.prepare_restore(&backup, &recovery_key, &mut |_| true).unwrap();
    let outcome = owner.complete_restore(prepared).unwrap();
    assert!(Path::new(&outcome.pre_restore_copy).exists(), "the replaced database is kept, encrypted");
    drop(workstation);

    let mut after = canonical_dump(&practice);
    let restore_rows: Vec<&String> =
        after["audit_log"].iter().filter(|row| row.contains("restored_from_backup")).collect();
    assert_eq!(restore_rows.len(), 1, "the restore is in the restored chain, naming the backup");
    assert!(restore_rows[0].contains(&record.file_name));
    // Up to the backup's moment the chains are the same, entry for entry; every other table is
    // exactly as it was when the backup was made.
    let snapshot_head = sequence_of(restore_rows[0]) - 1;
    keep_audit_up_to(&mut before, snapshot_head);
    keep_audit_up_to(&mut after, snapshot_head);
    assert_eq!(before.len(), after.len(), "the same tables");
    for (table, rows) in &before {
        assert_eq!(Some(rows), after.get(table), "table {table} differs after the restore");
    }

    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    assert!(owner.backups().unwrap().iter().any(|listed| listed.id == record.id), "the list of backups is kept");
    assert!(workstation.log_in("later", &Password::new("whatever it was")).is_err(), "the later user is gone");
    let mut desk = workstation.log_in("desk", &Password::new(staff_password("desk"))).unwrap();
    assert!(desk.search_patients("later").unwrap().patients.is_empty(), "the later patient is gone");
    assert_eq!(desk.search_patients("okafor").unwrap().patients.len(), 1);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
}

#[test]
fn a_backup_restores_onto_a_new_pc_with_an_empty_keyring() {
    let (practice, workstation, created) = new_practice();
    let recovery_key = created.recovery_key;
    let mut owner = created.session;
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    register(&mut desk, &draft("Okafor", "Ada", "1970-01-02"));
    desk.log_out().unwrap();
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy::default());
    let record = owner.back_up(&manual(), &mut |_| true).unwrap();
    let vault_id = owner.vault_id().to_owned();
    owner.log_out().unwrap();
    drop(workstation);
    // The old PC is gone: its keyring entry too.
    OsKeyring.delete(&vault_id).unwrap();

    let new_pc = tempfile::tempdir().unwrap();
    let new_practice =
        Practice { data_dir: chartkeep_vault::DataDir::at(new_pc.path().join("practice")), folder: new_pc };
    let workstation = open_workstation(&new_practice);
    let backup = folder.join(&record.file_name);
    let summary = chartkeep_clinic::backups::inspect_backup_with_key(&backup, &recovery_key).unwrap();
    assert_eq!(summary.practice_name, "Riverside Family Practice");
    let weak =
        workstation.restore_onto_this_pc(&backup, &recovery_key, &Password::new("short"), cheap_kdf(), &mut |_| true);
    assert_eq!(weak.unwrap_err().code(), ErrorCode::InvalidInput, "a weak new password is refused first");
    let new_password = Password::new("the owner's new password on the new PC");
    let mut owner =
        workstation.restore_onto_this_pc(&backup, &recovery_key, &new_password, cheap_kdf(), &mut |_| true).unwrap();
    assert!(owner.verify_audit_chain().unwrap().is_intact());
    let status = owner.backup_status().unwrap();
    let listed = status.last_verified.expect("the backup it came from counts as verified");
    assert_eq!((listed.trigger, listed.file_name.as_str()), (BackupTrigger::Restored, record.file_name.as_str()));
    assert!(!status.overdue);
    owner.log_out().unwrap();
    let mut owner = workstation.log_in("aokafor", &new_password).unwrap();
    assert_eq!(owner.integrity_alerts_to_show().unwrap(), 0);
    let users = owner.list_users().unwrap();
    assert!(users.iter().any(|user| user.username == "desk"), "the other users are there");
    assert!(
        workstation.log_in("desk", &Password::new(staff_password("desk"))).is_err(),
        "their passwords belonged to the old PC: the Owner resets them"
    );
    owner.log_out().unwrap();
    drop(workstation);
    let claim = new_practice.data_dir.claim().unwrap();
    let vault = chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "aokafor", &new_password).unwrap();
    let restores: i64 = vault
        .connection()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'restore' AND reason = 'restored_onto_new_pc'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(restores, 1, "the restore is recorded in the restored chain");
    vault.lock().unwrap();
    let _ = OsKeyring.delete(&vault_id);
}

#[test]
fn wrong_keys_other_practices_and_damaged_files_change_nothing() {
    let (practice, workstation, created) = new_practice();
    let recovery_key = created.recovery_key;
    let mut owner = created.session;
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy::default());
    let record = owner.back_up(&manual(), &mut |_| true).unwrap();
    let backup = folder.join(&record.file_name);

    let (other_practice, other_workstation, other) = new_practice();
    let other_key = other.recovery_key;
    let mut other_owner = other.session;
    let other_folder = backup_folder(&other_practice);
    send_backups_to(&mut other_owner, &other_folder, RetentionPolicy::default());
    let other_record = other_owner.back_up(&manual(), &mut |_| true).unwrap();
    let other_backup = other_folder.join(&other_record.file_name);

    let error = owner.prepare_restore(&backup, &other_key, &mut |_| true).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BackupKeyWrong, "{error}");
    let error = owner.prepare_restore(&other_backup, &other_key, &mut |_| true).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BackupUnusable, "another practice's backup: {error}");
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x10;
    let damaged = folder.join("damaged.ckbackup");
    std::fs::write(&damaged, &bytes).unwrap();
    let error = owner.prepare_restore(&damaged, &recovery_key, &mut |_| true).unwrap_err();
    assert_eq!(error.code(), ErrorCode::BackupUnusable, "{error}");
    let cancelled = owner.prepare_restore(&backup, &recovery_key, &mut |_| false).unwrap_err();
    assert_eq!(cancelled.code(), ErrorCode::Cancelled);
    assert!(owner.list_users().is_ok(), "the session goes on after every refusal");

    // Verification anywhere, with the key: the damage is named.
    let work = tempfile::tempdir().unwrap();
    let report = verify_backup_with_key(&damaged, &recovery_key, work.path(), &mut |_| true).unwrap();
    assert!(!report.passed);
    assert_eq!(report.checks.iter().find(|check| !check.passed).map(|check| check.check), Some(BackupCheck::Contents));
    let report = verify_backup_with_key(&backup, &recovery_key, work.path(), &mut |_| true).unwrap();
    assert!(report.passed, "{:?}", report.problems());
    let checks: Vec<BackupCheck> = report.checks.iter().map(|check| check.check).collect();
    use BackupCheck::*;
    assert_eq!(checks, [Opens, Manifest, Contents, Pages, Structure, AuditChain, RowCounts]);
    assert_eq!(std::fs::read_dir(work.path()).unwrap().flatten().filter(|e| e.path().is_file()).count(), 0);
    other_owner.log_out().unwrap();
    drop(other_workstation);
    owner.log_out().unwrap();
    drop(workstation);
}

#[test]
fn scheduled_backups_run_for_anyone_signed_in_and_rotation_keeps_the_policy() {
    let (practice, workstation, created) = new_practice();
    let mut owner = created.session;
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy { daily: 2, weekly: 0, monthly: 0 });
    let status = owner.backup_status().unwrap();
    assert!(status.overdue && status.last_verified.is_none() && status.destination_reachable);
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    // A time zone in which it is noon now, so "11:00" has passed today.
    let now = time::OffsetDateTime::now_utc();
    let since_midnight = i32::from(now.hour()) * 3600 + i32::from(now.minute()) * 60;
    let noon_here = time::UtcOffset::from_whole_seconds(12 * 3600 - since_midnight).unwrap();
    let mut settings = owner.backup_settings().unwrap();
    settings.daily_at = Some("11:00".into());
    owner.update_backup_settings(&settings).unwrap();
    assert!(desk.daily_backup_due(noon_here).unwrap(), "due: 11:00 has passed and there is no backup");
    assert!(desk.log_off_backup_due().unwrap(), "due: there is no verified backup");
    let scheduled = BackupRequest { trigger: BackupTrigger::Daily, folder: None };
    assert_eq!(desk.back_up(&manual(), &mut |_| true).unwrap_err().code(), ErrorCode::Forbidden);
    let mut made = Vec::new();
    for _ in 0..3 {
        made.push(desk.back_up(&scheduled, &mut |_| true).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    let files: Vec<String> =
        std::fs::read_dir(&folder).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    // All three on the same day: the newest of the day is kept.
    assert_eq!(files, [made[2].file_name.clone()], "rotation removed the older backups of the day");
    assert!(!desk.daily_backup_due(noon_here).unwrap(), "made today");
    assert!(!desk.log_off_backup_due().unwrap(), "a verified backup is fresh");
    let listed = owner.backups().unwrap();
    assert_eq!(listed.iter().filter(|record| record.removed_at.is_none()).count(), 1);
    let status = owner.backup_status().unwrap();
    assert!(!status.overdue);
    assert_eq!(status.last_verified.map(|record| record.id), Some(made[2].id.clone()));

    // A destination that cannot be reached is a clear refusal, and a cancel leaves nothing.
    let gone = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(practice.folder.path().join("unplugged")) };
    assert_eq!(owner.back_up(&gone, &mut |_| true).unwrap_err().code(), ErrorCode::DestinationUnavailable);
    assert_eq!(owner.back_up(&manual(), &mut |_| false).unwrap_err().code(), ErrorCode::Cancelled);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 1, "nothing left by the cancelled backup");
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(
        super::count_audit_entries(&practice, "action = 'backup' AND reason = 'cancelled' AND outcome = 'failed'"),
        1
    );
}

#[test]
fn two_backups_in_the_same_second_are_two_files_and_rotation_keeps_the_newest() {
    let (practice, workstation, mut owner) = super::new_practice_on(super::ManualClock::new());
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy { daily: 2, weekly: 0, monthly: 0 });
    // File names carry the second they were made in; the clock here does not move between the
    // two, as when a scheduled backup and a manual one meet.
    let first = owner.back_up(&manual(), &mut |_| true).unwrap();
    let second = owner.back_up(&manual(), &mut |_| true).unwrap();
    assert_ne!(first.file_name, second.file_name, "the second backup does not take the first one's name");
    let files: Vec<String> =
        std::fs::read_dir(&folder).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(files, std::slice::from_ref(&second.file_name), "rotation removed the older backup and kept the newer");
    let verification = owner.verify_backup_file(&folder.join(&second.file_name), &mut |_| true).unwrap();
    assert!(verification.passed, "{:?}", verification.checks);
    owner.log_out().unwrap();
    drop(workstation);
}

#[test]
fn settings_are_checked_field_by_field() {
    let (practice, workstation, created) = new_practice();
    let mut owner = created.session;
    let wrong = BackupSettings {
        destination: Some(practice.folder.path().join("nowhere").to_string_lossy().into_owned()),
        daily_at: Some("25:00".into()),
        on_log_off_after_hours: Some(0),
        retention: RetentionPolicy { daily: 0, weekly: 4, monthly: 12 },
        further_recipients: vec!["age1notakey".into()],
    };
    let error = owner.update_backup_settings(&wrong).unwrap_err();
    let fields: Vec<&str> = error.field_errors().iter().map(|field| field.field).collect();
    assert_eq!(fields, ["destination", "daily_at", "on_log_off_after_hours", "keep_daily", "further_recipients"]);
    assert_eq!(owner.backup_settings().unwrap().destination, None, "nothing saved");
    owner.log_out().unwrap();
    drop(workstation);
}

#[test]
fn scheduled_backups_do_not_count_as_activity_so_an_idle_session_still_ends() {
    let clock = super::ManualClock::new();
    let (practice, workstation, mut owner) = super::new_practice_on(clock.clone());
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy::default());
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    let idle = desk.idle_timeout();
    clock.advance(idle - time::Duration::minutes(1));
    let scheduled = BackupRequest { trigger: BackupTrigger::Daily, folder: None };
    assert!(desk.log_off_backup_due().unwrap());
    let made = desk.back_up(&scheduled, &mut |_| true).unwrap();
    assert_eq!(made.verification_passed, Some(true));
    clock.advance(time::Duration::minutes(2));
    assert_eq!(desk.check_live().unwrap_err().code(), ErrorCode::SessionExpired, "the backup kept nobody signed in");
    owner.log_out().unwrap();
}

#[test]
fn a_restore_into_a_fresh_folder_replaces_an_older_anchor_left_in_the_keyring() {
    let (practice, workstation, created) = new_practice();
    let recovery_key = created.recovery_key;
    let mut owner = created.session;
    let folder = backup_folder(&practice);
    send_backups_to(&mut owner, &folder, RetentionPolicy::default());
    let record = owner.back_up(&manual(), &mut |_| true).unwrap();
    let vault_id = owner.vault_id().to_owned();
    // More entries after the backup: the keyring's anchor is now ahead of the backup's chain.
    create_user(&mut owner, "later", &[Role::Clinician]);
    owner.log_out().unwrap();
    drop(workstation);

    let other_folder = tempfile::tempdir().unwrap();
    let elsewhere =
        Practice { data_dir: chartkeep_vault::DataDir::at(other_folder.path().join("practice")), folder: other_folder };
    let workstation = open_workstation(&elsewhere);
    let new_password = Password::new("the owner's password in the fresh folder");
    let backup = folder.join(&record.file_name);
    let mut owner =
        workstation.restore_onto_this_pc(&backup, &recovery_key, &new_password, cheap_kdf(), &mut |_| true).unwrap();
    assert_eq!(owner.integrity_alerts_to_show().unwrap(), 0, "no false alert from the older anchor");
    owner.log_out().unwrap();
    let _ = OsKeyring.delete(&vault_id);
}
