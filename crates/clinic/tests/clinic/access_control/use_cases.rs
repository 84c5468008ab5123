//! The use cases of a signed-in session, each callable with any session: what the access-control
//! tests call as every role, as a session that ran out, as a deactivated user, and under an
//! emergency access to another patient. A case's name starts with the `Session` method it calls
//! (a few call one method two ways: "prepare_backup by hand").

use chartkeep_clinic::audit::query::{AuditFilter, AuditSort};
use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::chart::{EncounterKind, ItemDraft, SoapNote};
use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::patients::{ImportMapping, PatientDraft};
use chartkeep_clinic::{
    AmendmentItem, AmendmentOutcome, AppointmentStatus, ClinicResult, ErrorCode, NewAmendmentRequest, NewAppointment,
    NewDisclosure, Role, Session, WallClock,
};
use chartkeep_vault::Password;

use super::super::cheap_kdf;

/// What a case is called with: a user to act on, a patient, and a suffix unique to the call.
#[derive(Debug)]
pub struct Context {
    pub target: String,
    pub patient: PatientId,
    pub suffix: String,
}

/// Whether a case acts on one patient's record (`Context::patient`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Practice,
    Patient,
}

pub type Call = fn(&mut Session, &Context) -> ClinicResult<()>;

#[derive(Debug)]
pub struct UseCase {
    pub name: &'static str,
    pub scope: Scope,
    pub call: Call,
}

impl UseCase {
    /// The `Session` method the case calls.
    pub fn method(&self) -> &'static str {
        self.name.split(' ').next().unwrap_or(self.name)
    }
}

fn case(name: &'static str, scope: Scope, call: Call) -> UseCase {
    UseCase { name, scope, call }
}

/// Every use case, each callable with any session.
pub fn use_cases() -> Vec<UseCase> {
    vec![
        case("my_permissions", Scope::Practice, |session, _| session.my_permissions().map(drop)),
        case("list_users", Scope::Practice, |session, _| session.list_users().map(drop)),
        case("create_user", Scope::Practice, |session, context| {
            let suffix = context.suffix.as_str();
            let new_user = chartkeep_clinic::NewUser {
                full_name: "Table Test".into(),
                username: format!("table-{suffix}"),
                roles: vec![Role::FrontDesk],
            };
            session.create_user(&new_user, cheap_kdf()).map(drop)
        }),
        case("change_roles", Scope::Practice, |session, context| {
            let target = context.target.as_str();
            session.change_roles(target, &[Role::FrontDesk]).map(drop)
        }),
        case("reset_password", Scope::Practice, |session, context| {
            let target = context.target.as_str();
            session.reset_password(target, cheap_kdf()).map(drop)
        }),
        case("unlock_account", Scope::Practice, |session, context| {
            let target = context.target.as_str();
            session.unlock_account(target).map(drop)
        }),
        case("deactivate_user", Scope::Practice, |session, context| {
            let target = context.target.as_str();
            // Other sessions of this test hold the database open, so the rotation that follows
            // the deactivation waits: the permission let it through all the same.
            match session.deactivate_user(target, &mut |_| true) {
                Err(error) if error.code() == ErrorCode::KeyRotationPending => Ok(()),
                other => other.map(drop),
            }
        }),
        case("reactivate_user", Scope::Practice, |session, context| {
            let target = context.target.as_str();
            session.reactivate_user(target, cheap_kdf()).map(drop)
        }),
        case("access_settings", Scope::Practice, |session, _| session.access_settings().map(drop)),
        case("update_access_settings", Scope::Practice, |session, _| {
            let mut settings = session.access_settings()?;
            let policy = &mut settings.role_policies[0];
            policy.idle_timeout_minutes = if policy.idle_timeout_minutes == 10 { 11 } else { 10 };
            session.update_access_settings(&settings).map(drop)
        }),
        case("verify_audit_chain", Scope::Practice, |session, _| session.verify_audit_chain().map(drop)),
        case("open_chart", Scope::Patient, |session, context| let_through(session.open_chart(&context.patient))),
        case("start_encounter", Scope::Patient, |session, context| {
            let_through(session.start_encounter(&context.patient, EncounterKind::Visit, ""))
        }),
        case("save_draft_note", Scope::Practice, |session, _| {
            let_through(session.save_draft_note("no-such-encounter", EncounterKind::Visit, &SoapNote::default()))
        }),
        case("discard_draft_note", Scope::Practice, |session, _| {
            let_through(session.discard_draft_note("no-such-encounter"))
        }),
        case("sign_note", Scope::Practice, |session, _| let_through(session.sign_note("no-such-encounter"))),
        case("add_addendum", Scope::Practice, |session, _| {
            let_through(session.add_addendum("no-such-encounter", "Text"))
        }),
        case("encounter", Scope::Practice, |session, _| let_through(session.encounter("no-such-encounter"))),
        case("record_chart_item", Scope::Patient, |session, context| {
            let_through(session.record_chart_item(&context.patient, &ItemDraft::NoKnownAllergies))
        }),
        case("update_chart_item", Scope::Practice, |session, _| {
            let_through(session.update_chart_item("no-such-item", 1, &ItemDraft::NoKnownAllergies))
        }),
        case("mark_chart_item_entered_in_error", Scope::Practice, |session, _| {
            let_through(session.mark_chart_item_entered_in_error("no-such-item", 1, "Wrong patient"))
        }),
        case("chart_item_history", Scope::Practice, |session, _| {
            let_through(session.chart_item_history("no-such-item"))
        }),
        case("accept_amendment_to_item", Scope::Practice, |session, _| {
            let_through(session.accept_amendment_to_item(
                "no-such",
                "Reason",
                "no-such-item",
                1,
                &ItemDraft::NoKnownAllergies,
            ))
        }),
        case("accept_amendment_to_note", Scope::Practice, |session, _| {
            let_through(session.accept_amendment_to_note("no-such", "Reason", "no-such-encounter", "Text"))
        }),
        case("print_patient_summary", Scope::Patient, |session, context| {
            let path = std::env::temp_dir().join("chartkeep-table-never-written.pdf");
            let_through(session.print_patient_summary(
                &context.patient,
                5,
                WallClock::default(),
                &chartkeep_clinic::ExportDestination::new_file(&path),
            ))
        }),
        case("export_patient_fhir", Scope::Patient, |session, context| {
            let path = std::env::temp_dir().join("chartkeep-table-never-written.json");
            let_through(
                session.export_patient_fhir(&context.patient, &chartkeep_clinic::ExportDestination::new_file(&path)),
            )
        }),
        case("reset_second_factor", Scope::Practice, |session, context| {
            let target = context.target.as_str();
            session.reset_second_factor(target).map(drop)
        }),
        case("change_own_password", Scope::Practice, |session, _| {
            let wrong = Password::new("not the current password at all");
            let_through(session.change_own_password(&wrong, &Password::new("whatever comes next here"), cheap_kdf()))
        }),
        case("begin_second_factor_enrolment", Scope::Practice, |session, _| {
            session.begin_second_factor_enrolment().map(drop)
        }),
        case("confirm_second_factor_enrolment", Scope::Practice, |session, _| {
            let_through(session.confirm_second_factor_enrolment("000000"))
        }),
        case("request_emergency_access", Scope::Patient, |session, context| {
            let_through(session.request_emergency_access(&context.patient, "a reason long enough to pass"))
        }),
        case("audit_integrity_status", Scope::Practice, |session, _| session.audit_integrity_status().map(drop)),
        case("acknowledge_integrity_alert", Scope::Practice, |session, _| {
            let_through(session.acknowledge_integrity_alert("no-such-alert", "Looked at it."))
        }),
        case("audit_entries", Scope::Practice, |session, _| {
            session.audit_entries(&AuditFilter::default(), AuditSort::default(), 0, 10).map(drop)
        }),
        case("audit_patient_by_mrn", Scope::Practice, |session, _| {
            let_through(session.audit_patient_by_mrn("1000009"))
        }),
        case("audit_staff_choices", Scope::Practice, |session, _| session.audit_staff_choices().map(drop)),
        case("export_audit_csv", Scope::Practice, |session, context| {
            let suffix = context.suffix.as_str();
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
        case("patient_access_report", Scope::Patient, |session, context| {
            let period = ("2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z");
            let path = std::env::temp_dir().join("chartkeep-table-never-written.pdf");
            let_through(session.patient_access_report(
                &context.patient,
                period,
                WallClock::default(),
                &chartkeep_clinic::ExportDestination::new_file(&path),
            ))
        }),
        case("record_disclosure", Scope::Patient, |session, context| {
            let disclosure = NewDisclosure {
                disclosed_on: "2026-11-24".into(),
                recipient: "R".into(),
                purpose: "P".into(),
                information: "I".into(),
            };
            let_through(session.record_disclosure(&context.patient, &disclosure))
        }),
        case("patient_disclosures", Scope::Patient, |session, context| {
            session.patient_disclosures(&context.patient).map(drop)
        }),
        case("record_amendment_request", Scope::Patient, |session, context| {
            let request = NewAmendmentRequest {
                received_on: "2026-11-24".into(),
                item: AmendmentItem::Demographics,
                item_id: None,
                requested_change: "Spelling".into(),
            };
            let_through(session.record_amendment_request(&context.patient, &request))
        }),
        case("patient_amendment_requests", Scope::Patient, |session, context| {
            session.patient_amendment_requests(&context.patient).map(drop)
        }),
        case("decide_amendment_request", Scope::Practice, |session, _| {
            let_through(session.decide_amendment_request("no-such-request", AmendmentOutcome::Denied, "No", None))
        }),
        case("search_patients", Scope::Practice, |session, _| session.search_patients("ok").map(drop)),
        case("check_for_duplicates", Scope::Practice, |session, _| {
            session.check_for_duplicates(&table_patient("x")).map(drop)
        }),
        case("register_patient", Scope::Practice, |session, context| {
            let suffix = context.suffix.as_str();
            session.register_patient(&table_patient(suffix), &[]).map(drop)
        }),
        case("open_patient", Scope::Patient, |session, context| {
            let_through(session.open_patient(&context.patient, "search"))
        }),
        case("update_patient", Scope::Patient, |session, context| {
            let suffix = context.suffix.as_str();
            let_through(session.update_patient(&context.patient, 1, &table_patient(suffix)))
        }),
        case("mark_patient_entered_in_error", Scope::Patient, |session, context| {
            let_through(session.mark_patient_entered_in_error(&context.patient, 1, "Registered twice"))
        }),
        case("patient_history", Scope::Patient, |session, context| {
            let_through(session.patient_history(&context.patient))
        }),
        case("entered_in_error_patients", Scope::Practice, |session, _| session.entered_in_error_patients().map(drop)),
        case("patient_merges", Scope::Patient, |session, context| session.patient_merges(&context.patient).map(drop)),
        case("merge_preview", Scope::Patient, |session, context| {
            let_through(session.merge_preview(&context.patient, &PatientId::new("no-such-other")))
        }),
        case("merge_patients", Scope::Patient, |session, context| {
            let_through(session.merge_patients(&context.patient, &PatientId::new("no-such-other")))
        }),
        case("unmerge_patients", Scope::Practice, |session, _| let_through(session.unmerge_patients("no-such-merge"))),
        case("patient_for_merge", Scope::Practice, |session, _| let_through(session.patient_for_merge("0000000"))),
        case("duplicate_review_queue", Scope::Practice, |session, _| session.duplicate_review_queue().map(drop)),
        case("dismiss_duplicate_review", Scope::Patient, |session, context| {
            let_through(session.dismiss_duplicate_review(&context.patient))
        }),
        case("date_order", Scope::Practice, |session, _| session.date_order().map(drop)),
        case("clinicians", Scope::Practice, |session, _| session.clinicians().map(drop)),
        case("day_schedule", Scope::Practice, |session, _| {
            session.day_schedule("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z").map(drop)
        }),
        case("book_appointment", Scope::Patient, |session, context| {
            let new = NewAppointment {
                patient_id: context.patient.clone(),
                clinician_id: "no-such-clinician".into(),
                starts_at: "2026-11-25T09:00:00Z".into(),
                minutes: 20,
                reason: String::new(),
            };
            let_through(session.book_appointment(&new, false))
        }),
        case("register_walk_in", Scope::Patient, |session, context| {
            let_through(session.register_walk_in(&context.patient, "no-such-clinician", 15, ""))
        }),
        case("reschedule_appointment", Scope::Practice, |session, _| {
            let_through(session.reschedule_appointment("no-such", "2026-11-25T09:00:00Z", 20, "no-such", false))
        }),
        case("set_appointment_status", Scope::Practice, |session, _| {
            let_through(session.set_appointment_status("no-such", AppointmentStatus::CheckedIn, None))
        }),
        case("patient_appointments", Scope::Patient, |session, context| {
            session.patient_appointments(&context.patient).map(drop)
        }),
        case("preview_import", Scope::Practice, |session, _| {
            let_through(session.preview_import(std::path::Path::new("/no/such/file.csv"), None))
        }),
        case("dry_run_import", Scope::Practice, |session, _| {
            let mapping = ImportMapping::synthea();
            let_through(session.dry_run_import(std::path::Path::new("/no/such/file.csv"), &mapping, &mut |_, _| true))
        }),
        case("import_patients", Scope::Practice, |session, _| {
            let mapping = ImportMapping::synthea();
            let path = std::path::Path::new("/no/such/file.csv");
            let_through(session.import_patients(path, &mapping, false, &mut |_, _| true))
        }),
        case("import_mapping_names", Scope::Practice, |session, _| session.import_mapping_names().map(drop)),
        case("import_mapping", Scope::Practice, |session, _| session.import_mapping("synthea").map(drop)),
        case("save_import_mapping", Scope::Practice, |session, context| {
            let suffix = context.suffix.as_str();
            session.save_import_mapping(&format!("Mapping {suffix}"), &ImportMapping::synthea())
        }),
        case("set_date_order", Scope::Practice, |session, _| {
            session.set_date_order(chartkeep_clinic::patients::DateOrder::DayFirst)
        }),
        case("backup_settings", Scope::Practice, |session, _| session.backup_settings().map(drop)),
        case("update_backup_settings", Scope::Practice, |session, _| {
            let mut settings = session.backup_settings()?;
            settings.retention.daily = if settings.retention.daily == 7 { 8 } else { 7 };
            session.update_backup_settings(&settings).map(drop)
        }),
        case("backups", Scope::Practice, |session, _| session.backups().map(drop)),
        case("backup_status", Scope::Practice, |session, _| session.backup_status().map(drop)),
        case("prepare_backup by hand", Scope::Practice, |session, _| {
            let request = BackupRequest { trigger: BackupTrigger::Manual, folder: None };
            let_through(session.prepare_backup(&request))
        }),
        case("prepare_backup on schedule", Scope::Practice, |session, _| {
            let request = BackupRequest { trigger: BackupTrigger::Daily, folder: None };
            let_through(session.prepare_backup(&request))
        }),
        case("verify_backup_file", Scope::Practice, |session, _| {
            let_through(session.verify_backup_file(std::path::Path::new("/no/such.ckbackup"), &mut |_| true))
        }),
        case("inspect_backup", Scope::Practice, |session, _| {
            let_through(session.inspect_backup(std::path::Path::new("/no/such.ckbackup"), &table_recovery_key()))
        }),
        case("prepare_restore", Scope::Practice, |session, _| {
            let path = std::path::Path::new("/no/such.ckbackup");
            let_through(session.prepare_restore(path, &table_recovery_key(), &mut |_| true))
        }),
        case("unreviewed_emergency_accesses", Scope::Practice, |session, _| {
            session.unreviewed_emergency_accesses().map(drop)
        }),
        case("review_emergency_access", Scope::Practice, |session, _| {
            let_through(session.review_emergency_access("no-such-access", "Looked at it."))
        }),
        case("correct_disclosure", Scope::Practice, |session, _| {
            let disclosure = NewDisclosure {
                disclosed_on: "2026-11-24".into(),
                recipient: "R".into(),
                purpose: "P".into(),
                information: "I".into(),
            };
            let_through(session.correct_disclosure("no-such-disclosure", &disclosure, "Wrong recipient"))
        }),
        case("export_audit_pdf", Scope::Practice, |session, context| {
            let path =
                std::env::temp_dir().join(format!("chartkeep-table-{}-{}.pdf", context.suffix, std::process::id()));
            let destination = chartkeep_clinic::ExportDestination::new_file(&path);
            let outcome = session
                .export_audit_pdf(&AuditFilter::default(), AuditSort::default(), WallClock::default(), &destination)
                .map(drop);
            let _ = std::fs::remove_file(&path);
            outcome
        }),
        case("daily_backup_due", Scope::Practice, |session, _| {
            session.daily_backup_due(time::UtcOffset::UTC).map(drop)
        }),
        case("log_off_backup_due", Scope::Practice, |session, _| session.log_off_backup_due().map(drop)),
        case("integrity_alerts_to_show", Scope::Practice, |session, _| session.integrity_alerts_to_show().map(drop)),
        case("back_up", Scope::Practice, |session, _| {
            let request = BackupRequest { trigger: BackupTrigger::Manual, folder: None };
            let_through(session.back_up(&request, &mut |_| true))
        }),
        case("rotate_database_key", Scope::Practice, |session, _| {
            // Other sessions of this test hold the database open: the rotation is let through by
            // the permission and then waits.
            match session.rotate_database_key(&mut |_| true) {
                Err(error) if error.code() == ErrorCode::KeyRotationPending => Ok(()),
                other => other.map(drop),
            }
        }),
        case("database_key_rotation_needed", Scope::Practice, |session, _| {
            session.database_key_rotation_needed().map(drop)
        }),
    ]
}

/// Allowed use cases asked about something that does not exist answer "not found", and those
/// given input they refuse answer "invalid input": for these tests both count as let through,
/// since the permission gate comes first.
pub fn let_through<T>(outcome: ClinicResult<T>) -> ClinicResult<()> {
    match outcome {
        Err(error) if matches!(error.code(), ErrorCode::NotFound | ErrorCode::InvalidInput) => Ok(()),
        other => other.map(drop),
    }
}

fn table_recovery_key() -> chartkeep_vault::RecoveryKey {
    // age's own published test key: well formed, and no practice's.
    chartkeep_vault::RecoveryKey::parse("AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33")
}

/// A patient born on a day of their own, so registrations never warn of duplicates.
pub fn table_patient(suffix: &str) -> PatientDraft {
    static BORN: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
    let days = BORN.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let born = time::macros::date!(1950 - 01 - 01) + time::Duration::days(days * 37);
    PatientDraft {
        family_name: format!("Table{}", suffix.replace(['-', '_', ' '], "")),
        given_names: "Test".into(),
        date_of_birth: born.to_string(),
        ..PatientDraft::default()
    }
}
