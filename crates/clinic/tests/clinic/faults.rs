//! I/O errors and a full disk in the middle of the work that writes: saving a note, making a
//! backup, restoring one, migrating the schema, importing patients. Each gives a plain error and
//! changes nothing. The I/O errors come from the named failpoints (armed on this test's thread
//! only; the vault's `failpoints` feature, on in `make test`); the full disk is a small tmpfs
//! holding the data folder (mounting it needs root, as in CI).
#![cfg(feature = "failpoints")]
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::Command;

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::chart::{EncounterKind, SoapNote};
use chartkeep_clinic::patients::ImportMapping;
use chartkeep_clinic::{ErrorCode, Role, Session};
use chartkeep_vault::failpoints::{Action, arm, disarm_all};

use super::patients::{draft, register};
use super::{create_user, first_sign_in, log_in, new_practice, open_workstation};

/// Runs `work` with `point` failing, on this thread only.
fn failing_at<T>(point: &str, work: impl FnOnce() -> T) -> T {
    arm(point, Action::Fail);
    let outcome = work();
    disarm_all();
    outcome
}

fn plain(error: &chartkeep_clinic::ClinicError) {
    let message = error.to_string();
    assert!(!message.is_empty() && message.lines().count() == 1, "one plain line: {message}");
}

fn note_text(session: &mut Session, encounter: &str) -> String {
    session.encounter(encounter).unwrap().note.subjective
}

#[test]
fn a_note_save_that_fails_to_commit_keeps_the_note_as_it_was() {
    let (_practice, workstation, mut created) = new_practice();
    let issued = create_user(&mut created.session, "doc", &[Role::Clinician]);
    let mut doctor = first_sign_in(&workstation, "doc", &issued);
    let patient = register(&mut doctor, &draft("Faulty", "Fay", "1961-02-03"));
    let encounter = doctor.start_encounter(&patient, EncounterKind::Visit, "").unwrap();
    let first = SoapNote { subjective: "First words".into(), ..SoapNote::default() };
    doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &first).unwrap();
    let second = SoapNote { subjective: "Second words".into(), ..SoapNote::default() };
    let failed =
        failing_at("audit.before-commit", || doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &second));
    plain(&failed.unwrap_err());
    assert_eq!(note_text(&mut doctor, &encounter.id), "First words", "nothing of the failed save is kept");
    doctor.log_out().unwrap();
}

#[test]
fn a_backup_that_fails_to_write_leaves_nothing_and_changes_nothing() {
    let (_practice, _workstation, mut created) = new_practice();
    let owner = &mut created.session;
    let folder = tempfile::tempdir().unwrap();
    let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(folder.path().to_path_buf()) };
    for point in ["snapshot.copied", "backup.encrypted", "backup.synced"] {
        let failed = failing_at(point, || owner.back_up(&request, &mut |_| true));
        plain(&failed.unwrap_err());
        let left: Vec<_> = std::fs::read_dir(folder.path()).unwrap().flatten().map(|entry| entry.file_name()).collect();
        assert!(left.is_empty(), "nothing left after an error at {point}: {left:?}");
    }
    assert!(owner.backups().unwrap().iter().all(|record| record.verification_passed != Some(true)));
    assert!(owner.back_up(&request, &mut |_| true).is_ok(), "a backup works again afterwards");
}

#[test]
fn a_restore_that_fails_before_its_swap_leaves_the_database_as_it_was() {
    let (practice, workstation, mut created) = new_practice();
    let folder = tempfile::tempdir().unwrap();
    let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(folder.path().to_path_buf()) };
    let record = created.session.back_up(&request, &mut |_| true).unwrap();
    create_user(&mut created.session, "later", &[Role::FrontDesk]);
    let file = folder.path().join(&record.file_name);
    for point in ["restore.recorded", "restore.copy-kept", "restore.before-swap"] {
        let mut owner = log_in(&workstation);
        let prepared = owner.prepare_restore(&file, &created.recovery_key, &mut |_| true).unwrap();
        let failed = failing_at(point, || owner.complete_restore(prepared));
        plain(&failed.unwrap_err());
        let mut owner = log_in(&workstation);
        assert!(owner.list_users().unwrap().iter().any(|user| user.username == "later"), "still the old database");
        assert!(owner.audit_integrity_status().unwrap().open_alerts.is_empty(), "and no alert after {point}");
        owner.log_out().unwrap();
    }
    created.session.log_out().unwrap();
    drop(workstation);
    let _ = practice;
}

#[test]
fn a_migration_that_fails_leaves_the_old_schema_and_runs_again() {
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    drop(workstation);
    {
        let vault = super::audit_chain::raw_vault(&practice);
        vault
            .connection()
            .execute_batch(
                "DROP TABLE vault_key_slots; DROP TABLE practice_keys; DROP TABLE retired_database_keys;
                 DROP TABLE database_key_rotation; DROP TABLE patient_name_pairs; PRAGMA user_version = 7;",
            )
            .unwrap();
        vault.lock().unwrap();
    }
    let workstation = open_workstation(&practice);
    let failed = failing_at("migration.before-commit", || {
        workstation.log_in("aokafor", &chartkeep_vault::Password::new(super::OWNER_PASSWORD))
    });
    plain(&failed.unwrap_err());
    let owner = log_in(&workstation);
    assert_eq!(owner.schema_version().unwrap(), chartkeep_vault::migrations::latest_version());
    owner.log_out().unwrap();
}

#[test]
fn an_import_that_fails_to_commit_adds_no_patient() {
    let (_practice, _workstation, mut created) = new_practice();
    let owner = &mut created.session;
    let mut settings = owner.access_settings().unwrap();
    settings.role_policies.iter_mut().for_each(|policy| policy.import_allowed = true);
    owner.update_access_settings(&settings).unwrap();
    let folder = tempfile::tempdir().unwrap();
    let csv = folder.path().join("patients.csv");
    std::fs::write(
        &csv,
        "Id,BIRTHDATE,DEATHDATE,SSN,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP\n\
         a1,1984-03-07,,,,Ina,Faultline,,,,,,F,,,,,,\n",
    )
    .unwrap();
    let failed = failing_at("import.rows-written", || {
        owner.import_patients(&csv, &ImportMapping::synthea(), false, &mut |_, _| true)
    });
    plain(&failed.unwrap_err());
    created.session.log_out().unwrap();
    drop(_workstation);
    let vault = super::audit_chain::raw_vault(&_practice);
    let patients: i64 = vault.connection().query_row("SELECT count(*) FROM patients", [], |row| row.get(0)).unwrap();
    assert_eq!(patients, 0, "no patient of the failed import");
}

/// A tmpfs of `megabytes` mounted at `path`, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(path: &Path, megabytes: u32) -> SmallDisk {
        std::fs::create_dir_all(path).unwrap();
        let options = format!("size={megabytes}m");
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &options, "chartkeep-test"]).arg(path).status();
        assert!(mounted.is_ok_and(|status| status.success()), "mounting a small tmpfs needs root (CI runs as root)");
        SmallDisk(path.to_path_buf())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_under_the_database_is_a_plain_error_that_changes_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let disk = SmallDisk::mount(&folder.path().join("small"), 4);
    let practice = super::Practice {
        data_dir: chartkeep_vault::DataDir::at(disk.0.join("practice")),
        folder: tempfile::tempdir().unwrap(),
    };
    let workstation = open_workstation(&practice);
    let mut created = workstation.set_up_practice(&super::setup_form(), super::cheap_kdf()).unwrap();
    super::without_second_factor_policy(&mut created.session);
    let mut owner = created.session;
    let users_before = owner.list_users().unwrap().len();
    // Fill what is left of the disk.
    let filler = disk.0.join("filler");
    let _ = std::fs::write(&filler, vec![0u8; 8 * 1024 * 1024]);
    let refused = owner.create_user(
        &chartkeep_clinic::NewUser {
            full_name: "Full Disk".into(),
            username: "fulldisk".into(),
            roles: vec![Role::FrontDesk],
        },
        super::cheap_kdf(),
    );
    let error = refused.unwrap_err();
    plain(&error);
    let _ = std::fs::remove_file(&filler);
    assert_eq!(owner.list_users().unwrap().len(), users_before, "no half-made user");
    assert!(chartkeep_vault::read_key_slots(&practice.data_dir).unwrap().find_user("fulldisk").is_none());
    assert_ne!(error.code(), ErrorCode::Forbidden);
    owner.log_out().unwrap();
    drop(workstation);
}

/// The backups a folder's records call kept, each with whether its file is there.
fn kept_backups(session: &mut Session, folder: &Path) -> Vec<(String, bool)> {
    let records = session.backups().unwrap();
    records
        .into_iter()
        .filter(|record| record.removed_at.is_none())
        .map(|record| {
            let there = folder.join(&record.file_name).exists();
            (record.file_name, there)
        })
        .collect()
}

/// The torture run found this: a rotation removed the older files and was then cut off before
/// its record committed, so the list still called them kept. A rotation cut off anywhere leaves
/// every backup the list calls kept on disk; cut off after its record, it leaves an extra file the
/// list calls removed (an extra encrypted backup, never a missing one).
#[test]
fn a_rotation_cut_off_anywhere_leaves_every_backup_the_list_keeps_on_disk() {
    use chartkeep_clinic::backups::{BackupSettings, RetentionPolicy};
    let (_practice, _workstation, mut created) = new_practice();
    let owner = &mut created.session;
    let folder = tempfile::tempdir().unwrap();
    let settings = BackupSettings {
        destination: Some(folder.path().to_string_lossy().into_owned()),
        daily_at: None,
        on_log_off_after_hours: None,
        retention: RetentionPolicy { daily: 1, weekly: 0, monthly: 0 },
        further_recipients: Vec::new(),
    };
    owner.update_backup_settings(&settings).unwrap();
    let manual = BackupRequest { trigger: BackupTrigger::Manual, folder: None };
    owner.back_up(&manual, &mut |_| true).unwrap();
    let files = || std::fs::read_dir(folder.path()).unwrap().flatten().count();
    for (point, files_after) in [("backup.rotation-before-commit", 2), ("backup.rotation-recorded", 3)] {
        let cut_off = failing_at(point, || owner.back_up(&manual, &mut |_| true));
        plain(&cut_off.unwrap_err());
        let kept = kept_backups(owner, folder.path());
        assert!(kept.iter().all(|(_, there)| *there), "after a rotation cut off at {point}, kept: {kept:?}");
        assert_eq!(files(), files_after, "cut off at {point}, no file was removed");
    }
    assert_eq!(kept_backups(owner, folder.path()).len(), 1, "the rotation recorded before it was cut off");
    owner.back_up(&manual, &mut |_| true).unwrap();
    let kept = kept_backups(owner, folder.path());
    assert_eq!(kept.len(), 1, "a whole rotation keeps the policy: {kept:?}");
    assert_eq!(files(), 3, "the newest, and the two files the rotation cut off after its record left");
    created.session.log_out().unwrap();
}
