//! The role × use-case table, tested against a golden table written by hand
//! (`tests/expected-permissions.csv` at the top of the repository), never against the
//! production matrix: a change to `PERMISSION_MATRIX` without a deliberate matching change there
//! (or the other way round) fails. The list of use cases is checked against the code: every
//! public method of `Session` is in `use_cases()` or in `EXEMPT` with its reason.
//!
//! Every use case is also called as a session that ran out, as a deactivated user, and under an
//! emergency access to another patient. "No session" and "a locked session" cannot be written in
//! the core at all (use cases take a `Session`; a `LockedSession` holds nothing but a name): the
//! app's command-boundary test covers them.

mod use_cases;

use chartkeep_clinic::patients::PatientId;
use std::collections::{BTreeMap, BTreeSet};

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::{ErrorCode, Role, Session};
use chartkeep_vault::Password;

use super::{
    ManualClock, OTHER_PATIENT, PATIENT, cheap_kdf, count_audit_entries, create_user, first_sign_in, new_practice,
    new_practice_on, staff_password, with_patients,
};
use use_cases::{Context, Scope, use_cases};

/// Public `Session` methods that are not use cases of the table, and why.
const EXEMPT: &[(&str, &str)] = &[
    ("user", "what the session holds in memory: its user"),
    ("vault_id", "what the session holds in memory: the practice's id"),
    ("data_folder", "what the session holds in memory: where the data folder is"),
    ("idle_timeout", "what the session holds in memory: its idle timeout"),
    ("must_change_password", "what the session holds in memory: whether a temporary password waits"),
    ("second_factor_gate", "what the session holds in memory: whether a code is still due"),
    ("check_live", "the session's own clock; every use case runs it first"),
    ("touch", "activity from the person at the screen; no data"),
    ("anchor_if_due", "writes the audit chain's head into the keyring; reads nothing for anyone"),
    ("practice_name", "the practice's name for the app's header: no patient data, needed by every role"),
    ("schema_version", "the database's schema number: no data"),
    ("lock", "ends the session (and records it)"),
    ("log_out", "ends the session (and records it)"),
    ("log_off_automatically", "ends the session (and records it)"),
    ("verify_second_factor", "the second-factor gate itself; second_factor.rs tests it"),
    ("finish_backup", "takes what prepare_backup made; its own gate: finishing_and_restoring_are_gated_too"),
    ("complete_restore", "takes what prepare_restore made; its own gate: finishing_and_restoring_are_gated_too"),
];

/// The role sets the golden table has a column for, in its order.
const ROLE_SETS: &[(&str, &[Role])] = &[
    ("owner", &[Role::Owner]),
    ("clinician", &[Role::Clinician]),
    ("front_desk", &[Role::FrontDesk]),
    ("auditor", &[Role::Auditor]),
    ("owner+clinician", &[Role::Owner, Role::Clinician]),
];

/// The golden table: for each use case, "allow" or "deny" per role set.
fn golden_table() -> BTreeMap<String, Vec<bool>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/expected-permissions.csv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines = text.lines().filter(|line| !line.trim().is_empty() && !line.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split(',').map(str::trim).collect();
    let expected_header: Vec<&str> =
        std::iter::once("use_case").chain(ROLE_SETS.iter().map(|(name, _)| *name)).collect();
    assert_eq!(header, expected_header, "the golden table's columns");
    let mut table = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let outcomes = cells[1..]
            .iter()
            .map(|cell| match *cell {
                "allow" => true,
                "deny" => false,
                other => panic!("{other:?} in the golden table: write allow or deny"),
            })
            .collect::<Vec<bool>>();
        assert_eq!(outcomes.len(), ROLE_SETS.len(), "a cell is missing in {line:?}");
        assert!(table.insert(cells[0].to_owned(), outcomes).is_none(), "{} is listed twice", cells[0]);
    }
    table
}

/// Every `pub fn` inside an `impl Session` block of the clinic crate's sources.
fn public_session_methods() -> BTreeSet<String> {
    fn walk(folder: &std::path::Path, found: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (start, _) in text.match_indices("\nimpl Session {") {
                    let mut depth = 0_i32;
                    let block_start = start + "\nimpl Session ".len();
                    let mut end = block_start;
                    for (offset, character) in text[block_start..].char_indices() {
                        match character {
                            '{' => depth += 1,
                            '}' => depth -= 1,
                            _ => {}
                        }
                        if depth == 0 {
                            end = block_start + offset;
                            break;
                        }
                    }
                    for line in text[block_start..end].lines() {
                        if let Some(rest) = line.strip_prefix("    pub fn ") {
                            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                            found.insert(name);
                        }
                    }
                }
            }
        }
    }
    let mut found = BTreeSet::new();
    walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut found);
    found
}

#[test]
fn every_public_session_method_is_in_the_table_or_exempted_with_a_reason() {
    let methods = public_session_methods();
    assert!(methods.len() > 90, "the scan found the use cases: {}", methods.len());
    let tested: BTreeSet<String> = use_cases().iter().map(|case| case.method().to_owned()).collect();
    let exempt: BTreeSet<String> = EXEMPT.iter().map(|(name, _)| (*name).to_owned()).collect();
    let untested: Vec<&String> =
        methods.iter().filter(|name| !tested.contains(*name) && !exempt.contains(*name)).collect();
    assert!(untested.is_empty(), "public Session methods neither in the table nor exempted: {untested:?}");
    let gone: Vec<&String> = tested.union(&exempt).filter(|name| !methods.contains(*name)).collect();
    assert!(gone.is_empty(), "listed but no longer public Session methods: {gone:?}");
    assert!(tested.is_disjoint(&exempt), "a method is both tested and exempted");
}

#[test]
fn the_golden_table_has_one_row_per_use_case() {
    let table = golden_table();
    let names: BTreeSet<String> = use_cases().iter().map(|case| case.name.to_owned()).collect();
    let rows: BTreeSet<String> = table.keys().cloned().collect();
    assert_eq!(rows, names, "the golden table's rows and use_cases() differ");
}

/// A practice whose roles may all use emergency access and import (so the golden table alone
/// decides), with two patients; its owner signed in.
fn practice_for_the_table() -> (super::Practice, chartkeep_clinic::Workstation, Session, String) {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.emergency_access_allowed = true;
        policy.import_allowed = true;
    }
    owner.update_access_settings(&settings).unwrap();
    let target = create_user(&mut owner, "target", &[Role::FrontDesk]).user.id;
    (practice, workstation, owner, target)
}

#[test]
fn every_use_case_as_every_role_matches_the_golden_table() {
    let table = golden_table();
    let (practice, workstation, mut owner, target) = practice_for_the_table();
    let mut denials = 0_u64;
    let mut differences = Vec::new();
    for (column, (label, roles)) in ROLE_SETS.iter().enumerate() {
        let username = format!("actor{column}");
        let issued = create_user(&mut owner, &username, roles);
        let mut actor = first_sign_in(&workstation, &username, &issued);
        for case in use_cases() {
            let context = Context {
                target: target.clone(),
                patient: PatientId::new("no-such-patient"),
                suffix: format!("{column}-{}", case.name),
            };
            let expected = table[case.name][column];
            match (expected, (case.call)(&mut actor, &context)) {
                (true, Ok(())) => {}
                (false, Err(error)) if error.code() == ErrorCode::Forbidden => denials += 1,
                (expected, outcome) => {
                    differences.push(format!("{} as {label}: golden {expected}, got {outcome:?}", case.name));
                }
            }
        }
        actor.log_out().unwrap();
    }
    assert!(differences.is_empty(), "the outcomes differ from the golden table:\n{}", differences.join("\n"));
    assert!(owner.verify_audit_chain().unwrap().is_intact());
    owner.log_out().unwrap();
    drop(workstation);
    // Each denial was recorded in the audit chain, with outcome "denied".
    assert!(denials > 0);
    assert_eq!(count_audit_entries(&practice, "outcome = 'denied' AND reason = 'permission_denied'"), denials);
}

#[test]
fn a_session_that_ran_out_refuses_every_use_case() {
    let clock = ManualClock::new();
    let (_practice, _workstation, mut owner) = new_practice_on(clock.clone());
    clock.advance(time::Duration::hours(1));
    for case in use_cases() {
        let context = Context { target: "nobody".into(), patient: PATIENT.clone(), suffix: case.name.into() };
        let error = (case.call)(&mut owner, &context).unwrap_err();
        assert_eq!(error.code(), ErrorCode::SessionExpired, "{}", case.name);
    }
}

#[test]
fn a_deactivated_users_session_refuses_every_use_case() {
    let (_practice, workstation, mut owner, _target) = practice_for_the_table();
    let issued = create_user(&mut owner, "leaver", &[Role::Owner, Role::Clinician]);
    let mut leaver = first_sign_in(&workstation, "leaver", &issued);
    let refused = owner.deactivate_user(&issued.user.id, &mut |_| true).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::KeyRotationPending, "the leaver's session holds the database open");
    for case in use_cases() {
        let context = Context { target: "nobody".into(), patient: PATIENT.clone(), suffix: case.name.into() };
        let error = (case.call)(&mut leaver, &context).unwrap_err();
        assert!(
            matches!(error.code(), ErrorCode::SessionEnded | ErrorCode::SessionExpired),
            "{}: {error:?}",
            case.name
        );
    }
}

#[test]
fn emergency_access_to_one_patient_opens_nothing_of_another() {
    let (_practice, workstation, mut owner, target) = practice_for_the_table();
    let issued = create_user(&mut owner, "nightaudit", &[Role::Auditor]);
    let mut auditor = first_sign_in(&workstation, "nightaudit", &issued);
    auditor.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap();
    assert!(auditor.open_chart(&PATIENT).is_ok(), "the access is for this patient");
    // The patient use cases an Auditor may not run on their own (the golden table's column).
    let table = golden_table();
    let auditor_column = ROLE_SETS.iter().position(|(label, _)| *label == "auditor").unwrap();
    let scoped: Vec<_> = use_cases()
        .into_iter()
        .filter(|case| case.scope == Scope::Patient && !table[case.name][auditor_column])
        .collect();
    assert!(scoped.len() >= 15, "{} patient use cases", scoped.len());
    for case in scoped {
        let context = Context { target: target.clone(), patient: OTHER_PATIENT.clone(), suffix: case.name.into() };
        let error = (case.call)(&mut auditor, &context).unwrap_err();
        assert_eq!(error.code(), ErrorCode::Forbidden, "{} on another patient", case.name);
    }
    auditor.log_out().unwrap();
}

/// The use cases every signed-in user may run on their own account.
const OWN_ACCOUNT: &[&str] = &[
    "my_permissions",
    "change_own_password",
    "begin_second_factor_enrolment",
    "confirm_second_factor_enrolment",
    "date_order",
];

#[test]
fn a_temporary_password_must_be_replaced_before_anything_else() {
    let clock = ManualClock::new();
    let (_practice, workstation, mut owner) = new_practice_on(clock);
    let issued = create_user(&mut owner, "newowner", &[Role::Owner]);
    let mut session = workstation.log_in("newowner", &issued.temporary_password).unwrap();
    for case in use_cases() {
        let context = Context { target: "nobody".into(), patient: PATIENT.clone(), suffix: case.name.into() };
        let outcome = (case.call)(&mut session, &context);
        if OWN_ACCOUNT.contains(&case.name) {
            assert!(outcome.is_ok(), "{}", case.name);
        } else {
            assert_eq!(outcome.unwrap_err().code(), ErrorCode::PasswordChangeRequired, "{}", case.name);
        }
    }
    let new_password = Password::new(staff_password("newowner"));
    let reused = session.change_own_password(&issued.temporary_password, &issued.temporary_password, cheap_kdf());
    assert_eq!(reused.unwrap_err().field(), Some("new_password"));
    session.change_own_password(&issued.temporary_password, &new_password, cheap_kdf()).unwrap();
    assert!(session.list_users().is_ok());
    session.log_out().unwrap();
    assert!(workstation.log_in("newowner", &issued.temporary_password).is_err(), "the temporary password is gone");
    workstation.log_in("newowner", &new_password).unwrap().log_out().unwrap();
}

#[test]
fn finishing_and_restoring_are_gated_too() {
    let (_practice, workstation, mut created) = new_practice();
    let backups = tempfile::tempdir().unwrap();
    let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(backups.path().to_path_buf()) };
    let issued = create_user(&mut created.session, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);

    // A job the Owner prepared and ran, finished by a role that may not make backups by hand.
    let outcome = created.session.prepare_backup(&request).unwrap().run(&mut |_| true);
    assert_eq!(desk.finish_backup(outcome).unwrap_err().code(), ErrorCode::Forbidden);
    let record = created.session.back_up(&request, &mut |_| true).unwrap();
    let file = backups.path().join(&record.file_name);

    // A restore the Owner prepared, completed by that role.
    let prepared = created.session.prepare_restore(&file, &created.recovery_key, &mut |_| true).unwrap();
    assert_eq!(desk.complete_restore(prepared).unwrap_err().code(), ErrorCode::Forbidden);
    let _ = created.session.log_out();
}
