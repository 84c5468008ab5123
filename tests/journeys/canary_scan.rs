//! A canary patient written through the core API, with every field a person types about a
//! patient (registration, a search, allergies, medications, problems, a signed note and its
//! addendum, a disclosure and its correction, an amendment request and its decision, an
//! appointment and its cancellation, an emergency access and its review), never appears in any
//! form the scanner knows in the database, its WAL and SHM files, the key-slot file, the
//! sign-in files, the logs, a backup file or the backup's work folders (scanned while the
//! backup is verified too), nor anywhere else in /tmp, /var/tmp, /dev/shm or the private
//! keyring's folder. As controls, the same canary in an unencrypted SQLite file and a leak
//! planted in the logs (JSON-escaped and gzip'd) are found. And `canary-scan`, run as a user who
//! may not read a file, reports that file and fails.

use std::path::Path;
use std::sync::Arc;

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::chart::{AllergySeverity, EncounterKind, ItemDraft, ItemStatus, SoapNote};
use chartkeep_clinic::{
    AmendmentItem, AmendmentOutcome, AppointmentStatus, NewAmendmentRequest, NewAppointment, NewDisclosure, NewUser,
    PracticeSetup, Role, Session, SystemClock, Workstation,
};
use chartkeep_tests::canary::{Canary, Scanner};
use chartkeep_tests::canary_patient::{CanaryPatient, tag};
use chartkeep_tests::leak_check::{assert_nothing_leaked, scan_for_leaks};
use chartkeep_vault::backup::BackupStep;
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password};

const CHEAP: KdfChoice = KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS);

/// A user created by the Owner, signed in with a password of their own.
fn staff_session(workstation: &Workstation, mut owner: Session, username: &str, role: Role) -> Session {
    let new_user = NewUser { full_name: format!("Staff {username}"), username: username.into(), roles: vec![role] };
    let issued = owner.create_user(&new_user, CHEAP).unwrap();
    owner.log_out().unwrap();
    let mut session = workstation.log_in(username, &issued.temporary_password).unwrap();
    session
        .change_own_password(&issued.temporary_password, &Password::new(format!("{username} password")), CHEAP)
        .unwrap();
    session
}

/// The clinician's part: the patient and everything typed about them.
fn clinician_writes_everything(
    doctor: &mut Session,
    patient: &mut CanaryPatient,
) -> chartkeep_clinic::patients::PatientId {
    assert!(doctor.search_patients(&patient.search_text).unwrap().patients.is_empty(), "the search finds no one");
    let record = doctor.register_patient(&patient.draft(), &[]).unwrap();
    patient.mrn = Some(record.mrn.clone());
    let found = doctor.search_patients(&patient.family_name).unwrap();
    assert_eq!(found.patients.len(), 1, "the canary is really stored and found");
    let id = record.id;
    let allergy = ItemDraft::Allergy {
        substance: patient.allergy_substance.clone(),
        reaction: patient.allergy_reaction.clone(),
        severity: Some(AllergySeverity::Severe),
        status: ItemStatus::Active,
    };
    let medication = ItemDraft::Medication {
        name: patient.medication_name.clone(),
        dose: patient.medication_dose.clone(),
        route: "oral".into(),
        frequency: patient.medication_frequency.clone(),
        start: String::new(),
        stop: String::new(),
        status: ItemStatus::Active,
    };
    let problem = ItemDraft::Problem {
        description: patient.problem.clone(),
        icd10: String::new(),
        onset: String::new(),
        status: ItemStatus::Active,
    };
    for item in [allergy, medication, problem] {
        doctor.record_chart_item(&id, &item).unwrap();
    }
    let encounter = doctor.start_encounter(&id, EncounterKind::Visit, "").unwrap();
    let note = SoapNote {
        subjective: patient.subjective.clone(),
        objective: patient.objective.clone(),
        assessment: patient.assessment.clone(),
        plan: patient.plan.clone(),
        free_text: String::new(),
    };
    doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &note).unwrap();
    doctor.sign_note(&encounter.id).unwrap();
    doctor.add_addendum(&encounter.id, &patient.addendum).unwrap();
    let disclosure = NewDisclosure {
        disclosed_on: "2026-01-15".into(),
        recipient: patient.disclosure_recipient.clone(),
        purpose: patient.disclosure_purpose.clone(),
        information: patient.disclosure_information.clone(),
    };
    let first = doctor.record_disclosure(&id, &disclosure).unwrap();
    doctor.correct_disclosure(&first.id, &disclosure, &patient.disclosure_correction).unwrap();
    let request = NewAmendmentRequest {
        received_on: "2026-01-16".into(),
        item: AmendmentItem::Other,
        item_id: None,
        requested_change: patient.amendment_request.clone(),
    };
    let asked = doctor.record_amendment_request(&id, &request).unwrap();
    doctor.decide_amendment_request(&asked.id, AmendmentOutcome::Denied, &patient.amendment_reason, None).unwrap();
    let booking = NewAppointment {
        patient_id: id.clone(),
        clinician_id: doctor.user().id.clone(),
        starts_at: "2030-03-04T09:00:00Z".into(),
        minutes: 20,
        reason: patient.appointment_reason.clone(),
    };
    let booked = doctor.book_appointment(&booking, true).unwrap();
    doctor.set_appointment_status(&booked.id, AppointmentStatus::Cancelled, Some(&patient.cancel_reason)).unwrap();
    id
}

#[test]
fn a_canary_patient_written_through_the_core_never_reaches_disk_in_any_form() {
    let mut patient = CanaryPatient::new();
    let practice = Canary::new("practice name", format!("Canary Practice {}", tag()));
    let owner_name = Canary::new("owner's name", format!("Canary Owner {}", tag()));
    let password = Canary::new("owner's password", format!("canary password {}", tag()));
    let typed_username = Canary::new("a mistyped username", tag().to_lowercase());
    let folder = tempfile::tempdir().unwrap();
    let data_dir = DataDir::at(folder.path().join("practice"));
    let workstation = Workstation::open(&data_dir, Box::new(OsKeyring), Arc::new(SystemClock)).unwrap();
    let setup = PracticeSetup {
        practice_name: practice.text.clone(),
        owner_full_name: owner_name.text.clone(),
        owner_username: "owner".into(),
        owner_password: Password::new(&password.text),
    };
    let mut created = workstation.set_up_practice(&setup, CHEAP).unwrap();
    // No authenticator app in this test: the Owner's role stops requiring one.
    let mut settings = created.session.access_settings().unwrap();
    settings.role_policies.iter_mut().for_each(|policy| policy.mfa_required = false);
    created.session.update_access_settings(&settings).unwrap();
    assert_eq!(created.session.practice_name().unwrap(), practice.text, "the canary is really stored");

    let mut doctor = staff_session(&workstation, created.session, "cleo", Role::Clinician);
    let patient_id = clinician_writes_everything(&mut doctor, &mut patient);
    doctor.log_out().unwrap();
    let owner = workstation.log_in("owner", &Password::new(&password.text)).unwrap();
    let mut desk = staff_session(&workstation, owner, "desk", Role::FrontDesk);
    desk.request_emergency_access(&patient_id, &patient.emergency_reason).unwrap();
    desk.open_chart(&patient_id).unwrap();
    desk.log_out().unwrap();
    let mut canaries = patient.canaries();
    canaries.extend([practice, owner_name, password.clone(), typed_username.clone()]);
    let scanner = Scanner::new(&canaries);

    // While the session is open the latest writes sit in the WAL: scan now, and after closing.
    assert!(workstation.log_in(&typed_username.text, &Password::new(&password.text)).is_err());
    let mut owner = workstation.log_in("owner", &Password::new(&password.text)).unwrap();
    let waiting = owner.unreviewed_emergency_accesses().unwrap();
    owner.review_emergency_access(&waiting[0].id, &patient.review_comment).unwrap();
    assert!(data_dir.database().with_extension("db-wal").exists(), "the WAL is part of the scan");
    let report = scanner.scan(&[data_dir.root()]);
    assert!(report.is_clean(), "with a session open:\n{}", report.problems());

    // A backup, and its verification (which decrypts the snapshot into a work folder): the
    // file on the "USB drive" and everything left in the data folder hold no canary either.
    let drive = folder.path().join("usb-drive");
    std::fs::create_dir(&drive).unwrap();
    let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(drive.clone()) };
    let mut scanned_during = false;
    let made = owner
        .back_up(&request, &mut |progress| {
            if progress.step == BackupStep::Reading && !scanned_during {
                scanned_during = true;
                let report = scanner.scan(&[data_dir.root(), &drive]);
                assert!(report.is_clean(), "while verifying:\n{}", report.problems());
            }
            true
        })
        .unwrap();
    assert!(scanned_during && made.verification_passed == Some(true));
    owner.lock().unwrap();
    let report = assert_nothing_leaked(&canaries, patient.made_at, &[folder.path()], &[]);
    super::in_app::report("canary scan", &format!("{} canaries: {}", canaries.len(), report.figures()));

    // Controls: the scanner finds the canary in an unencrypted SQLite file, and a leak planted
    // in the logs (escaped as JSON, compressed), through the very scan above.
    let plain = folder.path().join("control");
    std::fs::create_dir(&plain).unwrap();
    let connection = rusqlite::Connection::open(plain.join("plain.db")).unwrap();
    connection.execute_batch("CREATE TABLE patients (note TEXT)").unwrap();
    connection.execute("INSERT INTO patients VALUES (?1)", [&patient.front_desk_note]).unwrap();
    drop(connection);
    let found = scanner.scan(&[&plain]).findings;
    assert_eq!(found.len(), 1, "the control file must show the canary: {found:?}");
    let planted = plant_a_leak(&data_dir.root().join("logs"), &patient.front_desk_note);
    let caught = scan_for_leaks(&canaries, patient.made_at, &[folder.path()], &[]);
    let forms: Vec<&str> =
        caught.findings.iter().filter(|finding| finding.file == planted).map(|f| f.form.as_str()).collect();
    assert!(forms.contains(&"JSON-escaped, UTF-8, inside a gzip stream at byte 0"), "{}", caught.problems());
}

/// Writes `text` into a gzip'd log line as JSON, as a careless logger would; returns the file.
fn plant_a_leak(logs: &Path, text: &str) -> std::path::PathBuf {
    use std::io::Write;
    let line = serde_json::json!({ "level": "DEBUG", "fields": { "note": text } }).to_string();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(line.as_bytes()).unwrap();
    std::fs::create_dir_all(logs).unwrap();
    let file = logs.join("chartkeep.log.1.gz");
    std::fs::write(&file, encoder.finish().unwrap()).unwrap();
    file.canonicalize().unwrap()
}

/// Root may read any file; a user who may not read one is made with setpriv (util-linux). The
/// scanner's command, run as nobody over a file of mode 000 and a folder of mode 000, reports
/// both and exits 1; with `--shared` it lists root's as not scanned, but still fails on a closed
/// file of nobody's own.
#[test]
fn the_scan_command_fails_on_a_file_it_may_not_read() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().unwrap();
    let mode = |path: &Path, mode: u32| std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    mode(folder.path(), 0o755);
    let command = folder.path().join("canary-scan");
    std::fs::copy(env!("CARGO_BIN_EXE_canary-scan"), &command).unwrap();
    let scanned = folder.path().join("scanned");
    std::fs::create_dir_all(scanned.join("closed")).unwrap();
    std::fs::write(scanned.join("secret.txt"), "nothing of note").unwrap();
    std::fs::write(scanned.join("open.txt"), "nothing of note").unwrap();
    mode(&scanned.join("secret.txt"), 0o000);
    mode(&scanned.join("closed"), 0o000);
    let canary = format!("canary {}", tag());
    let output = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(&command)
        .arg(&scanned)
        .env("CHARTKEEP_CANARIES", &canary)
        .output()
        .expect("setpriv (util-linux) runs");
    let said = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("secret.txt: unreadable: Permission denied"), "{said}");
    assert!(said.contains("closed: unreadable: Permission denied"), "{said}");
    // In a shared folder such as /tmp, root's closed file and folder are someone else's and are
    // listed as not scanned; a closed file nobody owns still fails the scan.
    let shared = |root: &Path| {
        std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&command)
            .arg("--shared")
            .arg(root)
            .env("CHARTKEEP_CANARIES", &canary)
            .output()
            .unwrap()
    };
    let others = shared(&scanned);
    let said = String::from_utf8_lossy(&others.stdout);
    assert_eq!(others.status.code(), Some(0), "{said}");
    assert!(said.contains("secret.txt (another user's (uid 0), closed to this one)"), "{said}");
    assert!(said.contains("closed (another user's (uid 0), closed to this one)"), "{said}");
    let own = scanned.join("own");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::write(own.join("own.txt"), "nothing of note").unwrap();
    std::os::unix::fs::chown(own.join("own.txt"), Some(65534), Some(65534)).unwrap();
    mode(&own.join("own.txt"), 0o000);
    let failed = shared(&own);
    let said = String::from_utf8_lossy(&failed.stdout);
    assert_eq!(failed.status.code(), Some(1), "{said}");
    assert!(said.contains("own.txt: unreadable: Permission denied"), "{said}");
    // The same folder read by root is clean, and a canary in it makes the command fail.
    let clean = std::process::Command::new(&command).arg(&scanned).env("CHARTKEEP_CANARIES", &canary).output().unwrap();
    assert!(clean.status.success(), "{}", String::from_utf8_lossy(&clean.stdout));
    std::fs::write(scanned.join("open.txt"), canary.to_uppercase()).unwrap();
    let found = std::process::Command::new(&command).arg(&scanned).env("CHARTKEEP_CANARIES", &canary).output().unwrap();
    assert_eq!(found.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&found.stdout).contains("open.txt: the canary"));
}
