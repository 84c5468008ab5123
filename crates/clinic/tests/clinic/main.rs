//! The clinic use cases against real parts: SQLCipher files and the OS keyring (run through
//! `scripts/with-private-keyring`, as `make test` does).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_control;
mod appointments;
mod audit_chain;
mod audit_integrity;
mod audit_view;
mod backups;
mod chart;
mod disclosures_and_amendments;
mod duplicates_and_merges;
mod emergency_access;
mod faults;
mod fhir_bundle;
mod import;
mod name_search;
mod patients;
mod second_factor;
mod session_limits;
mod sign_in;
mod trust;
mod user_administration;

use chartkeep_clinic::patients::PatientId;
use std::sync::{Arc, Mutex};

use chartkeep_clinic::{
    Clock, IssuedPassword, NewPractice, NewUser, PracticeSetup, Role, Session, SystemClock, Workstation,
};
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password};

pub const OWNER_PASSWORD: &str = "harbour lantern quietly";

#[derive(Debug)]
pub struct Practice {
    pub folder: tempfile::TempDir,
    pub data_dir: DataDir,
}

pub fn cheap_kdf() -> KdfChoice {
    KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS)
}

pub fn setup_form() -> PracticeSetup {
    PracticeSetup {
        practice_name: "Riverside Family Practice".into(),
        owner_full_name: "Amara Okafor".into(),
        owner_username: "aokafor".into(),
        owner_password: Password::new(OWNER_PASSWORD),
    }
}

pub fn open_workstation(practice: &Practice) -> Workstation {
    Workstation::open(&practice.data_dir, Box::new(OsKeyring), Arc::new(SystemClock)).unwrap()
}

/// A practice set up in a fresh folder; returns the owner's session and its workstation.
pub fn new_practice() -> (Practice, Workstation, NewPractice) {
    let folder = tempfile::tempdir().unwrap();
    let practice = Practice { data_dir: DataDir::at(folder.path().join("practice")), folder };
    let workstation = open_workstation(&practice);
    let mut created = workstation.set_up_practice(&setup_form(), cheap_kdf()).expect("setup (is a keyring running?)");
    without_second_factor_policy(&mut created.session);
    (practice, workstation, created)
}

/// Turns off the second-factor requirement of every role, for tests about something else
/// (`second_factor.rs` tests the default policy and the factor itself).
pub fn without_second_factor_policy(owner: &mut Session) {
    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.mfa_required = false;
    }
    owner.update_access_settings(&settings).unwrap();
}

pub fn log_in(workstation: &Workstation) -> Session {
    workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap()
}

/// A clock the test moves by hand, so timeouts are tested without sleeping.
#[derive(Debug)]
pub struct ManualClock(Mutex<time::OffsetDateTime>);

impl ManualClock {
    pub fn new() -> Arc<ManualClock> {
        Arc::new(ManualClock(Mutex::new(time::macros::datetime!(2026-11-25 08:00 UTC))))
    }

    pub fn advance(&self, by: time::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> time::OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

/// A practice whose workstation runs on `clock`.
pub fn new_practice_on(clock: Arc<ManualClock>) -> (Practice, Workstation, Session) {
    let (practice, workstation, mut owner) = new_practice_with_default_policy_on(clock);
    without_second_factor_policy(&mut owner);
    (practice, workstation, owner)
}

/// A practice whose workstation runs on `clock`, with the default access settings.
pub fn new_practice_with_default_policy_on(clock: Arc<ManualClock>) -> (Practice, Workstation, Session) {
    let folder = tempfile::tempdir().unwrap();
    let practice = Practice { data_dir: DataDir::at(folder.path().join("practice")), folder };
    let workstation = Workstation::open(&practice.data_dir, Box::new(OsKeyring), clock).unwrap();
    let created = workstation.set_up_practice(&setup_form(), cheap_kdf()).expect("setup (is a keyring running?)");
    (practice, workstation, created.session)
}

/// The owner creates a user; returns the user's id and temporary password.
pub fn create_user(owner: &mut Session, username: &str, roles: &[Role]) -> IssuedPassword {
    let new_user = NewUser { full_name: format!("Staff {username}"), username: username.into(), roles: roles.to_vec() };
    owner.create_user(&new_user, cheap_kdf()).unwrap()
}

/// Signs a new user in with their temporary password and sets their own; returns the session.
pub fn first_sign_in(workstation: &Workstation, username: &str, issued: &IssuedPassword) -> Session {
    let mut session = workstation.log_in(username, &issued.temporary_password).unwrap();
    assert!(session.must_change_password());
    session
        .change_own_password(&issued.temporary_password, &Password::new(staff_password(username)), cheap_kdf())
        .unwrap();
    session
}

pub fn staff_password(username: &str) -> String {
    format!("{username} walks the long garden path")
}

/// Counts audit entries matching `condition`, reading the database directly as the owner (the
/// workstation must be closed first).
pub fn count_audit_entries(practice: &Practice, condition: &str) -> u64 {
    let claim = practice.data_dir.claim().unwrap();
    let vault =
        chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "aokafor", &Password::new(OWNER_PASSWORD)).unwrap();
    let sql = format!("SELECT count(*) FROM audit_log WHERE {condition}");
    vault.connection().query_row(&sql, [], |row| row.get::<_, i64>(0)).unwrap().unsigned_abs()
}

/// Two patients added as bare rows by `with_patients`.
pub static PATIENT: std::sync::LazyLock<PatientId> = std::sync::LazyLock::new(|| PatientId::new("patient-1"));
pub static OTHER_PATIENT: std::sync::LazyLock<PatientId> = std::sync::LazyLock::new(|| PatientId::new("patient-2"));

/// Adds two patient rows directly (for use cases that only need a patient to exist), then
/// reopens the practice on `clock` and signs the owner in.
pub fn with_patients(
    practice: &Practice,
    workstation: Workstation,
    owner: Session,
    clock: Arc<ManualClock>,
) -> (Workstation, Session) {
    owner.log_out().unwrap();
    drop(workstation);
    {
        let claim = practice.data_dir.claim().unwrap();
        let vault =
            chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "aokafor", &Password::new(OWNER_PASSWORD))
                .unwrap();
        for (index, id) in [PATIENT.as_str(), OTHER_PATIENT.as_str()].into_iter().enumerate() {
            let number = 900_001 + index as u64;
            let record = format!(
                r#"{{"family_name":"Patient","given_names":"Number {index}","preferred_name":"","date_of_birth":"1980-01-0{}",
                "sex":"unknown","gender_identity":"","phones":[],"email":"",
                "address":{{"line1":"","line2":"","city":"","region":"","postal_code":"","country":""}},
                "emergency_contact":{{"name":"","relationship":"","phone":""}},"insurance":{{"payer":"","member_id":""}},
                "front_desk_note":"","status":"active","deceased_on":""}}"#,
                index + 1
            );
            vault
                .connection()
                .execute(
                    "INSERT INTO patients (id, created_at, number, mrn, version, family_name, given_names, date_of_birth, record)
                     VALUES (?1, '2026-11-25T08:00:00.000Z', ?2, ?3, 1, 'Patient', ?4, ?5, ?6)",
                    rusqlite::params![
                        id,
                        number as i64,
                        chartkeep_clinic::patients::search_keys::mrn_of(number),
                        format!("Number {index}"),
                        format!("1980-01-0{}", index + 1),
                        record
                    ],
                )
                .unwrap();
        }
        vault.lock().unwrap();
    }
    let workstation = Workstation::open(&practice.data_dir, Box::new(OsKeyring), clock).unwrap();
    let owner = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap();
    (workstation, owner)
}
