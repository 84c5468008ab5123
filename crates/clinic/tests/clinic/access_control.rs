//! The role × use-case table: every use case a signed-in user can reach is called as every role
//! (and as a session that has run out, and one still on a temporary password), and each outcome
//! is checked against the permission matrix. "No session" and "a locked session" cannot be
//! written in the core at all: use cases take a `Session`, and a `LockedSession` holds nothing
//! but a name; the app's state tests cover them at the command boundary.
//!
//! `verify_second_factor` is the gate itself and not in the table (its own tests cover it).
//! Every role's emergency access and import are switched on in the settings first, so the
//! matrix alone decides. Later capabilities add their use cases to `use_cases()`.

use chartkeep_clinic::audit::query::{AuditFilter, AuditSort};
use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::chart::{EncounterKind, ItemDraft, SoapNote};
use chartkeep_clinic::patients::{ImportMapping, PatientDraft};
use chartkeep_clinic::{
    AmendmentItem, AmendmentOutcome, AppointmentStatus, ClinicResult, ErrorCode, NewAmendmentRequest, NewAppointment,
    NewDisclosure, Permission, Role, Session, WallClock, is_allowed,
};
use chartkeep_vault::Password;

use super::{ManualClock, cheap_kdf, count_audit_entries, create_user, first_sign_in, new_practice_on, staff_password};

type UseCase = fn(&mut Session, &str, &str) -> ClinicResult<()>;

/// (name, the permissions that let it through (any one will do), call with a target user id
/// and a unique suffix)
fn use_cases() -> Vec<(&'static str, &'static [Permission], UseCase)> {
    vec![
        ("my_permissions", &[Permission::OwnAccount], |session, _, _| session.my_permissions().map(drop)),
        ("list_users", &[Permission::ManageUsers], |session, _, _| session.list_users().map(drop)),
        ("create_user", &[Permission::ManageUsers], |session, _, suffix| {
            let new_user = chartkeep_clinic::NewUser {
                full_name: "Table Test".into(),
                username: format!("table-{suffix}"),
                roles: vec![Role::FrontDesk],
            };
            session.create_user(&new_user, cheap_kdf()).map(drop)
        }),
        ("change_roles", &[Permission::ManageUsers], |session, target, _| {
            session.change_roles(target, &[Role::FrontDesk]).map(drop)
        }),
        ("reset_password", &[Permission::ManageUsers], |session, target, _| {
            session.reset_password(target, cheap_kdf()).map(drop)
        }),
        ("unlock_account", &[Permission::ManageUsers], |session, target, _| session.unlock_account(target).map(drop)),
        ("deactivate_user", &[Permission::ManageUsers], |session, target, _| {
            // Other sessions of this test hold the database open, so the rotation that follows
            // the deactivation waits: the permission let it through all the same.
            match session.deactivate_user(target, &mut |_| true) {
                Err(error) if error.code() == ErrorCode::KeyRotationPending => Ok(()),
                other => other.map(drop),
            }
        }),
        ("reactivate_user", &[Permission::ManageUsers], |session, target, _| {
            session.reactivate_user(target, cheap_kdf()).map(drop)
        }),
        ("access_settings", &[Permission::ManageSettings], |session, _, _| session.access_settings().map(drop)),
        ("update_access_settings", &[Permission::ManageSettings], |session, _, _| {
            let mut settings = session.access_settings()?;
            let policy = &mut settings.role_policies[0];
            policy.idle_timeout_minutes = if policy.idle_timeout_minutes == 10 { 11 } else { 10 };
            session.update_access_settings(&settings).map(drop)
        }),
        ("verify_audit_chain", &[Permission::ViewAudit], |session, _, _| session.verify_audit_chain().map(drop)),
        ("open_chart", &[Permission::ReadChart], |session, _, _| let_through(session.open_chart("no-such-patient"))),
        ("start_encounter", &[Permission::WriteChart], |session, _, _| {
            let_through(session.start_encounter("no-such-patient", EncounterKind::Visit, ""))
        }),
        ("save_draft_note", &[Permission::WriteChart], |session, _, _| {
            let_through(session.save_draft_note("no-such-encounter", EncounterKind::Visit, &SoapNote::default()))
        }),
        ("discard_draft_note", &[Permission::WriteChart], |session, _, _| {
            let_through(session.discard_draft_note("no-such-encounter"))
        }),
        ("sign_note", &[Permission::SignNotes], |session, _, _| let_through(session.sign_note("no-such-encounter"))),
        ("add_addendum", &[Permission::WriteChart], |session, _, _| {
            let_through(session.add_addendum("no-such-encounter", "Text"))
        }),
        ("encounter", &[Permission::ReadChart], |session, _, _| let_through(session.encounter("no-such-encounter"))),
        ("record_chart_item", &[Permission::WriteChart], |session, _, _| {
            let_through(session.record_chart_item("no-such-patient", &ItemDraft::NoKnownAllergies))
        }),
        ("update_chart_item", &[Permission::WriteChart], |session, _, _| {
            let_through(session.update_chart_item("no-such-item", 1, &ItemDraft::NoKnownAllergies))
        }),
        ("mark_chart_item_entered_in_error", &[Permission::WriteChart], |session, _, _| {
            let_through(session.mark_chart_item_entered_in_error("no-such-item", 1, "Wrong patient"))
        }),
        ("chart_item_history", &[Permission::ReadChart], |session, _, _| {
            let_through(session.chart_item_history("no-such-item"))
        }),
        ("accept_amendment_to_item", &[Permission::WriteChart], |session, _, _| {
            let_through(session.accept_amendment_to_item(
                "no-such",
                "Reason",
                "no-such-item",
                1,
                &ItemDraft::NoKnownAllergies,
            ))
        }),
        ("accept_amendment_to_note", &[Permission::WriteChart], |session, _, _| {
            let_through(session.accept_amendment_to_note("no-such", "Reason", "no-such-encounter", "Text"))
        }),
        ("print_patient_summary", &[Permission::ExportChart], |session, _, _| {
            let path = std::env::temp_dir().join("chartkeep-table-never-written.pdf");
            let_through(session.print_patient_summary(
                "no-such-patient",
                5,
                WallClock::default(),
                &chartkeep_clinic::ExportDestination::new_file(&path),
            ))
        }),
        ("export_patient_fhir", &[Permission::ExportChart], |session, _, _| {
            let path = std::env::temp_dir().join("chartkeep-table-never-written.json");
            let_through(
                session.export_patient_fhir("no-such-patient", &chartkeep_clinic::ExportDestination::new_file(&path)),
            )
        }),
        ("reset_second_factor", &[Permission::ManageUsers], |session, target, _| {
            session.reset_second_factor(target).map(drop)
        }),
        ("change_own_password", &[Permission::OwnAccount], |session, _, _| {
            let wrong = Password::new("not the current password at all");
            let_through(session.change_own_password(&wrong, &Password::new("whatever comes next here"), cheap_kdf()))
        }),
        ("begin_second_factor_enrolment", &[Permission::OwnAccount], |session, _, _| {
            session.begin_second_factor_enrolment().map(drop)
        }),
        ("confirm_second_factor_enrolment", &[Permission::OwnAccount], |session, _, _| {
            let_through(session.confirm_second_factor_enrolment("000000"))
        }),
        ("request_emergency_access", &[Permission::RequestEmergencyAccess], |session, _, _| {
            let_through(session.request_emergency_access("no-such-patient", "a reason long enough to pass"))
        }),
        ("audit_integrity_status", &[Permission::ViewAudit], |session, _, _| {
            session.audit_integrity_status().map(drop)
        }),
        ("acknowledge_integrity_alert", &[Permission::ViewAudit], |session, _, _| {
            let_through(session.acknowledge_integrity_alert("no-such-alert", "Looked at it."))
        }),
        ("audit_entries", &[Permission::ViewAudit], |session, _, _| {
            session.audit_entries(&AuditFilter::default(), AuditSort::default(), 0, 10).map(drop)
        }),
        ("audit_patient_by_mrn", &[Permission::ViewAudit], |session, _, _| {
            let_through(session.audit_patient_by_mrn("1000009"))
        }),
        ("audit_staff_choices", &[Permission::ViewAudit], |session, _, _| session.audit_staff_choices().map(drop)),
        ("export_audit_csv", &[Permission::ViewAudit], |session, _, suffix| {
            let path = std::env::temp_dir().join(format!("chartkeep-table-{suffix}-{}.csv", std::process::id()));
            let outcome = session
                .export_audit_csv(
                    &AuditFilter::default(),
                    AuditSort::default(),
                    &chartkeep_clinic::ExportDestination::new_file(&path),
                )
                .map(drop);
            let _ = std::fs::remove_file(&path);
            outcome
        }),
        ("patient_access_report", &[Permission::ViewAudit], |session, _, _| {
            let period = ("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
            let path = std::env::temp_dir().join("chartkeep-table-never-written.pdf");
            let_through(session.patient_access_report(
                "no-such-patient",
                period,
                WallClock::default(),
                &chartkeep_clinic::ExportDestination::new_file(&path),
            ))
        }),
        ("record_disclosure", &[Permission::RecordDisclosure], |session, _, _| {
            let disclosure = NewDisclosure {
                disclosed_on: "2026-11-24".into(),
                recipient: "R".into(),
                purpose: "P".into(),
                information: "I".into(),
            };
            let_through(session.record_disclosure("no-such-patient", &disclosure))
        }),
        ("patient_disclosures", &[Permission::RecordDisclosure], |session, _, _| {
            session.patient_disclosures("no-such-patient").map(drop)
        }),
        ("record_amendment_request", &[Permission::RecordAmendmentRequest], |session, _, _| {
            let request = NewAmendmentRequest {
                received_on: "2026-11-24".into(),
                item: AmendmentItem::Demographics,
                item_id: None,
                requested_change: "Spelling".into(),
            };
            let_through(session.record_amendment_request("no-such-patient", &request))
        }),
        ("patient_amendment_requests", &[Permission::RecordAmendmentRequest], |session, _, _| {
            session.patient_amendment_requests("no-such-patient").map(drop)
        }),
        ("decide_amendment_request", &[Permission::RecordAmendmentRequest], |session, _, _| {
            let_through(session.decide_amendment_request("no-such-request", AmendmentOutcome::Denied, "No", None))
        }),
        ("search_patients", &[Permission::ReadDemographics], |session, _, _| session.search_patients("ok").map(drop)),
        ("check_for_duplicates", &[Permission::ReadDemographics], |session, _, _| {
            session.check_for_duplicates(&table_patient("x")).map(drop)
        }),
        ("register_patient", &[Permission::WriteDemographics], |session, _, suffix| {
            session.register_patient(&table_patient(suffix), &[]).map(drop)
        }),
        ("open_patient", &[Permission::ReadDemographics], |session, _, _| {
            let_through(session.open_patient("no-such-patient", "search"))
        }),
        ("update_patient", &[Permission::WriteDemographics], |session, _, suffix| {
            let_through(session.update_patient("no-such-patient", 1, &table_patient(suffix)))
        }),
        ("mark_patient_entered_in_error", &[Permission::WriteDemographics], |session, _, _| {
            let_through(session.mark_patient_entered_in_error("no-such-patient", 1, "Registered twice"))
        }),
        ("patient_history", &[Permission::ReadDemographics, Permission::ReviewEnteredInError], |session, _, _| {
            let_through(session.patient_history("no-such-patient"))
        }),
        ("entered_in_error_patients", &[Permission::ReviewEnteredInError], |session, _, _| {
            session.entered_in_error_patients().map(drop)
        }),
        ("patient_merges", &[Permission::ReadDemographics, Permission::MergePatients], |session, _, _| {
            session.patient_merges("no-such-patient").map(drop)
        }),
        ("merge_preview", &[Permission::MergePatients], |session, _, _| {
            let_through(session.merge_preview("no-such-patient", "no-such-other"))
        }),
        ("merge_patients", &[Permission::MergePatients], |session, _, _| {
            let_through(session.merge_patients("no-such-patient", "no-such-other"))
        }),
        ("unmerge_patients", &[Permission::MergePatients], |session, _, _| {
            let_through(session.unmerge_patients("no-such-merge"))
        }),
        ("patient_for_merge", &[Permission::MergePatients], |session, _, _| {
            let_through(session.patient_for_merge("0000000"))
        }),
        ("duplicate_review_queue", &[Permission::MergePatients], |session, _, _| {
            session.duplicate_review_queue().map(drop)
        }),
        ("dismiss_duplicate_review", &[Permission::MergePatients], |session, _, _| {
            let_through(session.dismiss_duplicate_review("no-such-patient"))
        }),
        ("date_order", &[Permission::OwnAccount], |session, _, _| session.date_order().map(drop)),
        ("clinicians", &[Permission::ManageAppointments], |session, _, _| session.clinicians().map(drop)),
        ("day_schedule", &[Permission::ManageAppointments], |session, _, _| {
            session.day_schedule("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z").map(drop)
        }),
        ("book_appointment", &[Permission::ManageAppointments], |session, _, _| {
            let new = NewAppointment {
                patient_id: "no-such-patient".into(),
                clinician_id: "no-such-clinician".into(),
                starts_at: "2026-11-25T09:00:00Z".into(),
                minutes: 20,
                reason: String::new(),
            };
            let_through(session.book_appointment(&new, false))
        }),
        ("register_walk_in", &[Permission::ManageAppointments], |session, _, _| {
            let_through(session.register_walk_in("no-such-patient", "no-such-clinician", 15, ""))
        }),
        ("reschedule_appointment", &[Permission::ManageAppointments], |session, _, _| {
            let_through(session.reschedule_appointment("no-such", "2026-11-25T09:00:00Z", 20, "no-such", false))
        }),
        ("set_appointment_status", &[Permission::ManageAppointments], |session, _, _| {
            let_through(session.set_appointment_status("no-such", AppointmentStatus::CheckedIn, None))
        }),
        ("patient_appointments", &[Permission::ManageAppointments], |session, _, _| {
            session.patient_appointments("no-such-patient").map(drop)
        }),
        ("preview_import", &[Permission::ImportPatients], |session, _, _| {
            let_through(session.preview_import(std::path::Path::new("/no/such/file.csv"), None))
        }),
        ("dry_run_import", &[Permission::ImportPatients], |session, _, _| {
            let mapping = ImportMapping::synthea();
            let_through(session.dry_run_import(std::path::Path::new("/no/such/file.csv"), &mapping, &mut |_, _| true))
        }),
        ("import_patients", &[Permission::ImportPatients], |session, _, _| {
            let mapping = ImportMapping::synthea();
            let path = std::path::Path::new("/no/such/file.csv");
            let_through(session.import_patients(path, &mapping, false, &mut |_, _| true))
        }),
        ("import_mapping_names", &[Permission::ImportPatients], |session, _, _| {
            session.import_mapping_names().map(drop)
        }),
        ("import_mapping", &[Permission::ImportPatients], |session, _, _| session.import_mapping("synthea").map(drop)),
        ("save_import_mapping", &[Permission::ImportPatients], |session, _, suffix| {
            session.save_import_mapping(&format!("Mapping {suffix}"), &ImportMapping::synthea())
        }),
        ("set_date_order", &[Permission::ManageSettings], |session, _, _| {
            session.set_date_order(chartkeep_clinic::patients::DateOrder::DayFirst)
        }),
        ("backup_settings", &[Permission::ManageBackups], |session, _, _| session.backup_settings().map(drop)),
        ("update_backup_settings", &[Permission::ManageBackups], |session, _, _| {
            let mut settings = session.backup_settings()?;
            settings.retention.daily = if settings.retention.daily == 7 { 8 } else { 7 };
            session.update_backup_settings(&settings).map(drop)
        }),
        ("backups", &[Permission::ManageBackups], |session, _, _| session.backups().map(drop)),
        ("backup_status", &[Permission::ManageBackups], |session, _, _| session.backup_status().map(drop)),
        ("back_up by hand", &[Permission::ManageBackups], |session, _, _| {
            let request = BackupRequest { trigger: BackupTrigger::Manual, folder: None };
            let_through(session.prepare_backup(&request))
        }),
        ("back_up on schedule", &[Permission::RunScheduledBackup], |session, _, _| {
            let request = BackupRequest { trigger: BackupTrigger::Daily, folder: None };
            let_through(session.prepare_backup(&request))
        }),
        ("verify_backup_file", &[Permission::ManageBackups], |session, _, _| {
            let_through(session.verify_backup_file(std::path::Path::new("/no/such.ckbackup"), &mut |_| true))
        }),
        ("inspect_backup", &[Permission::ManageBackups], |session, _, _| {
            let_through(session.inspect_backup(std::path::Path::new("/no/such.ckbackup"), &table_recovery_key()))
        }),
        ("prepare_restore", &[Permission::ManageBackups], |session, _, _| {
            let path = std::path::Path::new("/no/such.ckbackup");
            let_through(session.prepare_restore(path, &table_recovery_key(), &mut |_| true))
        }),
        ("unreviewed_emergency_accesses", &[Permission::ReviewEmergencyAccess], |session, _, _| {
            session.unreviewed_emergency_accesses().map(drop)
        }),
        ("review_emergency_access", &[Permission::ReviewEmergencyAccess], |session, _, _| {
            let_through(session.review_emergency_access("no-such-access", "Looked at it."))
        }),
    ]
}

fn table_recovery_key() -> chartkeep_vault::RecoveryKey {
    // age's own published test key: well formed, and no practice's.
    chartkeep_vault::RecoveryKey::parse("AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33")
}

/// A patient born on a day of their own, so registrations never warn of duplicates.
fn table_patient(suffix: &str) -> PatientDraft {
    static BORN: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let days = BORN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let born = time::macros::date!(1950 - 01 - 01) + time::Duration::days(days * 37);
    PatientDraft {
        family_name: format!("Table{}", suffix.replace(['-', '_'], "")),
        given_names: "Test".into(),
        date_of_birth: born.to_string(),
        ..PatientDraft::default()
    }
}

/// Allowed use cases asked about something that does not exist answer "not found", and those
/// given input they refuse answer "invalid input": for this table both count as let through,
/// since the permission gate comes first.
fn let_through<T>(outcome: ClinicResult<T>) -> ClinicResult<()> {
    match outcome {
        Err(error) if matches!(error.code(), ErrorCode::NotFound | ErrorCode::InvalidInput) => Ok(()),
        other => other.map(drop),
    }
}

const ROLE_SETS: &[&[Role]] =
    &[&[Role::Owner], &[Role::Clinician], &[Role::FrontDesk], &[Role::Auditor], &[Role::Owner, Role::Clinician]];

#[test]
fn every_use_case_as_every_role_matches_the_permission_matrix() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_on(clock.clone());
    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.emergency_access_allowed = true;
        policy.import_allowed = true;
    }
    owner.update_access_settings(&settings).unwrap();
    let target = create_user(&mut owner, "target", &[Role::FrontDesk]).user.id;
    let mut denials = 0_u64;
    for (index, roles) in ROLE_SETS.iter().enumerate() {
        let username = format!("actor{index}");
        let issued = create_user(&mut owner, &username, roles);
        let mut actor = first_sign_in(&workstation, &username, &issued);
        for (name, permissions, call) in use_cases() {
            let allowed = permissions.iter().any(|permission| is_allowed(roles, *permission));
            let outcome = call(&mut actor, &target, &format!("{index}-{name}"));
            match (allowed, outcome) {
                (true, Ok(())) => {}
                (false, Err(error)) if error.code() == ErrorCode::Forbidden => denials += 1,
                (allowed, outcome) => panic!("{name} as {roles:?}: allowed = {allowed}, got {outcome:?}"),
            }
        }
        actor.log_out().unwrap();
    }
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
    for (name, _, call) in use_cases() {
        let error = call(&mut owner, "nobody", name).unwrap_err();
        assert_eq!(error.code(), ErrorCode::SessionExpired, "{name}");
    }
}

#[test]
fn a_temporary_password_must_be_replaced_before_anything_else() {
    let clock = ManualClock::new();
    let (_practice, workstation, mut owner) = new_practice_on(clock);
    let issued = create_user(&mut owner, "newowner", &[Role::Owner]);
    let mut session = workstation.log_in("newowner", &issued.temporary_password).unwrap();
    for (name, permissions, call) in use_cases() {
        let outcome = call(&mut session, "nobody", name);
        if permissions == [Permission::OwnAccount] {
            assert!(outcome.is_ok(), "{name}");
        } else {
            assert_eq!(outcome.unwrap_err().code(), ErrorCode::PasswordChangeRequired, "{name}");
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
