//! The audit view against a scripted day at the practice: filters by user, patient, action,
//! outcome, period and emergency access; sort orders and pages; the per-patient access report
//! (its PDF text checked with pdftotext); CSV and PDF exports, which are audited themselves and
//! leave nothing behind when they fail.

use chartkeep_clinic::patients::PatientId;
use std::path::Path;
use std::process::Command;

use chartkeep_clinic::audit::query::{AuditFilter, AuditSort, AuditSortColumn};
use chartkeep_clinic::audit::{AuditAction, Outcome};
use chartkeep_clinic::{ErrorCode, NewDisclosure, Role, Session, WallClock, Workstation};

use super::{
    ManualClock, OTHER_PATIENT, PATIENT, Practice, count_audit_entries, create_user, first_sign_in, new_practice_on,
    with_patients,
};

const VIENNA: WallClock = WallClock { offset_minutes: 60 };
const NEXT_DAY: &str = "2026-11-26T00:00:00Z";

struct Day {
    practice: Practice,
    workstation: Workstation,
    owner: Session,
    clinician_id: String,
}

/// A clinician opens PATIENT twice and OTHER_PATIENT once and records a disclosure; the front
/// desk is refused PATIENT's chart, then breaks the glass and opens it. Times are 2026-11-25
/// from 08:00 UTC, one event a minute or so.
fn scripted_day() -> Day {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock.clone());
    let clinician = create_user(&mut owner, "clin", &[Role::Clinician]);
    let desk = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut clin = first_sign_in(&workstation, "clin", &clinician);
    clock.advance(time::Duration::minutes(1));
    clin.open_chart(&PATIENT).unwrap();
    clock.advance(time::Duration::minutes(1));
    clin.open_chart(&OTHER_PATIENT).unwrap();
    clock.advance(time::Duration::minutes(1));
    clin.open_chart(&PATIENT).unwrap();
    let disclosure = NewDisclosure {
        disclosed_on: "2026-11-25".into(),
        recipient: "Dr Canary Referral Clinic".into(),
        purpose: "Referral to cardiology".into(),
        information: "Summary and medication list".into(),
    };
    clin.record_disclosure(&PATIENT, &disclosure).unwrap();
    clin.log_out().unwrap();
    let mut front_desk = first_sign_in(&workstation, "desk", &desk);
    clock.advance(time::Duration::minutes(1));
    assert_eq!(front_desk.open_chart(&PATIENT).unwrap_err().code(), ErrorCode::Forbidden);
    front_desk.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap();
    front_desk.open_chart(&PATIENT).unwrap();
    front_desk.log_out().unwrap();
    owner.log_out().unwrap();
    clock.advance(time::Duration::days(1));
    let owner = super::log_in(&workstation);
    Day { practice, workstation, owner, clinician_id: clinician.user.id }
}

fn all_of(session: &mut Session, filter: &AuditFilter, sort: AuditSort) -> Vec<(i64, String, Option<String>)> {
    let page = session.audit_entries(filter, sort, 0, 500).unwrap();
    page.rows.into_iter().map(|row| (row.seq, row.action, row.username)).collect()
}

fn pdf_text(path: &Path) -> String {
    let output =
        Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_audit_view_filters_by_user_patient_action_outcome_period_and_emergency_access() {
    let Day { mut owner, clinician_id, .. } = scripted_day();
    let by_clinician = AuditFilter { user_id: Some(clinician_id), ..AuditFilter::default() };
    let actions: Vec<String> =
        all_of(&mut owner, &by_clinician, AuditSort { column: AuditSortColumn::Entry, descending: false })
            .into_iter()
            .map(|(_, action, username)| {
                assert_eq!(username.as_deref(), Some("clin"));
                action
            })
            .collect();
    assert_eq!(actions, ["login", "password_changed", "view", "view", "view", "create", "logout"]);

    let denied =
        AuditFilter { action: Some(AuditAction::View), outcome: Some(Outcome::Denied), ..AuditFilter::default() };
    assert_eq!(all_of(&mut owner, &denied, AuditSort::default()).len(), 1);

    let emergency = AuditFilter { emergency_only: true, ..AuditFilter::default() };
    let flagged: Vec<String> =
        all_of(&mut owner, &emergency, AuditSort::default()).into_iter().map(|row| row.1).collect();
    assert_eq!(flagged, ["view", "emergency_access_started"], "newest first");

    let on_patient = AuditFilter { patient_id: Some(PATIENT.clone()), ..AuditFilter::default() };
    assert_eq!(all_of(&mut owner, &on_patient, AuditSort::default()).len(), 6);

    let next_day = AuditFilter { from: Some("2026-11-26T00:00:00+01:00".into()), ..AuditFilter::default() };
    let today: Vec<String> = all_of(&mut owner, &next_day, AuditSort::default()).into_iter().map(|row| row.1).collect();
    assert!(today.iter().all(|action| action == "view" || action == "login"), "only the owner's own reads: {today:?}");
    let bad = AuditFilter { to: Some("the day after".into()), ..AuditFilter::default() };
    assert_eq!(owner.audit_entries(&bad, AuditSort::default(), 0, 10).unwrap_err().field(), Some("to"));
}

#[test]
fn entries_sort_by_any_column_and_pages_join_up_to_the_whole() {
    let Day { mut owner, .. } = scripted_day();
    // The scripted day only: reading the trail adds entries of its own the next day.
    let everything = AuditFilter { to: Some(NEXT_DAY.into()), ..AuditFilter::default() };
    let by_user = AuditSort { column: AuditSortColumn::User, descending: false };
    let sorted = all_of(&mut owner, &everything, by_user);
    let usernames: Vec<String> = sorted.iter().map(|row| row.2.clone().unwrap_or_default()).collect();
    let mut expected = usernames.clone();
    expected.sort();
    assert_eq!(usernames, expected);
    for column in [
        AuditSortColumn::Time,
        AuditSortColumn::Action,
        AuditSortColumn::Patient,
        AuditSortColumn::Category,
        AuditSortColumn::Outcome,
        AuditSortColumn::Emergency,
    ] {
        let sort = AuditSort { column, descending: true };
        assert_eq!(all_of(&mut owner, &everything, sort).len(), sorted.len(), "{column:?}");
    }
    let whole = owner.audit_entries(&everything, by_user, 0, 500).unwrap();
    let mut joined = Vec::new();
    for offset in (0..whole.total).step_by(7) {
        joined.extend(owner.audit_entries(&everything, by_user, offset, 7).unwrap().rows);
    }
    assert_eq!(joined.len() as u64, whole.total);
    assert_eq!(
        joined.iter().map(|row| row.seq).collect::<Vec<_>>(),
        whole.rows.iter().map(|row| row.seq).collect::<Vec<_>>()
    );
    assert_eq!(owner.audit_entries(&everything, by_user, 0, 501).unwrap_err().field(), Some("limit"));
}

#[test]
fn the_access_report_lists_exactly_the_accesses_to_one_patient_in_the_period() {
    let Day { practice, workstation, mut owner, .. } = scripted_day();
    let pdf = practice.folder.path().join("access-report.pdf");
    let listed = owner
        .patient_access_report(
            &PATIENT,
            ("2026-11-25T00:00:00+01:00", "2026-11-26T00:00:00+01:00"),
            VIENNA,
            &chartkeep_clinic::ExportDestination::new_file(&pdf),
        )
        .unwrap();
    assert_eq!(
        listed, 6,
        "two views and a disclosure by the clinician; a refusal, a break-glass and a view by the desk"
    );
    let text = pdf_text(&pdf);
    for expected in [
        "Access report: who accessed this record",
        "Riverside Family Practice",
        "Generated by",
        "Amara Okafor (aokafor)",
        "UTC+01:00",
        "Chain verified up to entry",
        "Page 1 of 1",
        "Dr Canary Referral Clinic",
        "Referral to cardiology",
        "Emergency access started",
    ] {
        assert!(text.contains(expected), "the report lacks {expected:?}:\n{text}");
    }
    let view_lines = text.lines().filter(|line| line.contains("Staff clin (clin)") && line.contains(" View ")).count();
    assert_eq!(view_lines, 2, "the clinician's two views of this patient, not the other patient's:\n{text}");
    assert!(text.contains("2026-11-25 09:01"), "times on the wall clock of the reader:\n{text}");
    let missing = owner.patient_access_report(
        &PatientId::new("nobody"),
        ("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z"),
        VIENNA,
        &chartkeep_clinic::ExportDestination::new_file(&pdf),
    );
    assert_eq!(missing.unwrap_err().code(), ErrorCode::NotFound);
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'audit_export' AND data_category = 'access_report'"), 1);
}

#[test]
fn the_filtered_view_exports_as_csv_that_round_trips_and_as_pdf_and_both_are_audited() {
    let Day { practice, workstation, mut owner, .. } = scripted_day();
    let filter = AuditFilter { patient_id: Some(PATIENT.clone()), to: Some(NEXT_DAY.into()), ..AuditFilter::default() };
    let sort = AuditSort { column: AuditSortColumn::Entry, descending: false };
    let page = owner.audit_entries(&filter, sort, 0, 500).unwrap();
    let csv_path = practice.folder.path().join("audit.csv");
    assert_eq!(
        owner.export_audit_csv(&filter, sort, &chartkeep_clinic::ExportDestination::new_file(&csv_path)).unwrap(),
        page.total
    );
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(reader.headers().unwrap().iter().next(), Some("entry"));
    let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(records.len(), page.rows.len());
    for (record, row) in records.iter().zip(&page.rows) {
        assert_eq!(record[0], row.seq.to_string());
        assert_eq!(record[1], row.occurred_at);
        assert_eq!(&record[5], row.action.as_str());
        assert_eq!(record[14], row.details, "details with commas and quotes survive the round trip");
    }

    let pdf_path = practice.folder.path().join("audit.pdf");
    assert_eq!(
        owner
            .export_audit_pdf(&filter, sort, VIENNA, &chartkeep_clinic::ExportDestination::new_file(&pdf_path))
            .unwrap(),
        page.total
    );
    let text = pdf_text(&pdf_path);
    assert!(
        text.contains("Audit trail") && text.contains("patient patient-1") && text.contains("Page 1 of 1"),
        "{text}"
    );

    let nowhere = practice.folder.path().join("no-such-folder").join("audit.csv");
    assert_eq!(
        owner
            .export_audit_csv(&filter, sort, &chartkeep_clinic::ExportDestination::new_file(&nowhere))
            .unwrap_err()
            .field(),
        Some("destination")
    );
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(
        count_audit_entries(&practice, "action = 'audit_export' AND reason = 'csv'"),
        1,
        "the failed one is not"
    );
    assert_eq!(count_audit_entries(&practice, "action = 'audit_export' AND reason = 'pdf'"), 1);
    let leftovers: Vec<_> = std::fs::read_dir(practice.folder.path())
        .unwrap()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn reading_the_trail_is_recorded_once_per_filter_and_only_owner_and_auditor_may() {
    let Day { practice, workstation, mut owner, .. } = scripted_day();
    let filter = AuditFilter::default();
    owner.audit_entries(&filter, AuditSort::default(), 0, 5).unwrap();
    owner.audit_entries(&filter, AuditSort::default(), 5, 5).unwrap();
    let desk = create_user(&mut owner, "desk2", &[Role::FrontDesk]);
    let mut front_desk = first_sign_in(&workstation, "desk2", &desk);
    assert_eq!(front_desk.audit_entries(&filter, AuditSort::default(), 0, 5).unwrap_err().code(), ErrorCode::Forbidden);
    front_desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'view' AND data_category = 'audit_trail'"), 1);
}
