//! The clinical chart: signed notes that never change (through any use case, or at the
//! database), addenda, drafts only their author sees, co-signing only where allowed, the allergy
//! banner's three states, items that keep every version, and amendments appended to the item
//! they are about.

use chartkeep_clinic::chart::{
    AllergyBanner, AllergySeverity, EncounterKind, ItemChange, ItemData, ItemDraft, ItemStatus, SoapNote,
    signed_content_is_intact,
};
use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::{AmendmentItem, AmendmentOutcome, ErrorCode, NewAmendmentRequest, Role, Session, Workstation};

use super::audit_chain::raw_vault;
use super::patients::{draft, register};
use super::{ManualClock, Practice, count_audit_entries, create_user, first_sign_in, new_practice_on};

pub struct Clinic {
    pub practice: Practice,
    pub workstation: Workstation,
    pub owner: Session,
    pub doctor: Session,
    pub desk: Session,
    pub patient: PatientId,
}

/// A practice with a clinician and a front desk user signed in, and one patient.
pub fn clinic() -> Clinic {
    let (practice, workstation, mut owner) = new_practice_on(ManualClock::new());
    let doctor = create_user(&mut owner, "drlee", &[Role::Clinician]);
    let desk = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let doctor = first_sign_in(&workstation, "drlee", &doctor);
    let mut desk = first_sign_in(&workstation, "desk", &desk);
    let patient = register(&mut desk, &draft("Okafor", "Ada", "1970-01-02"));
    Clinic { practice, workstation, owner, doctor, desk, patient }
}

pub fn note(text: &str) -> SoapNote {
    SoapNote {
        subjective: format!("{text}: cough for a week"),
        objective: "Temperature 37.9".into(),
        assessment: "Viral bronchitis".into(),
        plan: "Rest, fluids, review in 7 days".into(),
        free_text: String::new(),
    }
}

pub fn allergy(substance: &str) -> ItemDraft {
    ItemDraft::Allergy {
        substance: substance.into(),
        reaction: "Hives".into(),
        severity: Some(AllergySeverity::Moderate),
        status: ItemStatus::Active,
    }
}

#[test]
fn a_signed_note_never_changes_through_any_use_case_or_at_the_database() {
    let Clinic { practice, workstation, owner, mut doctor, desk, patient } = clinic();
    let encounter = doctor.start_encounter(&patient, EncounterKind::Visit, "").unwrap();
    doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &note("Draft")).unwrap();
    let signed = doctor.sign_note(&encounter.id).unwrap();
    assert!(signed.signed && signed.signed_by_name.as_deref() == Some("Staff drlee"));

    let refusals = [
        doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &note("Changed")).unwrap_err(),
        doctor.sign_note(&encounter.id).unwrap_err(),
        doctor.discard_draft_note(&encounter.id).unwrap_err(),
    ];
    for refusal in refusals {
        assert_eq!(refusal.field(), Some("note"), "{refusal:?}");
    }
    assert_eq!(doctor.encounter(&encounter.id).unwrap().note, note("Draft"), "nothing changed");
    doctor.log_out().unwrap();
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let vault = raw_vault(&practice);
    let connection = vault.connection();
    assert!(connection.execute("UPDATE encounters SET assessment = 'changed' WHERE id = ?1", [&encounter.id]).is_err());
    assert!(connection.execute("DELETE FROM encounters WHERE id = ?1", [&encounter.id]).is_err());
    assert!(signed_content_is_intact(connection, &encounter.id).unwrap(), "the content hash still matches");
    connection.execute_batch("DROP TRIGGER encounters_signed_are_immutable").unwrap();
    connection.execute("UPDATE encounters SET assessment = 'changed' WHERE id = ?1", [&encounter.id]).unwrap();
    assert!(!signed_content_is_intact(connection, &encounter.id).unwrap(), "a change behind the database's back shows");
    vault.lock().unwrap();
    assert_eq!(count_audit_entries(&practice, "object_type = 'encounter' AND reason = 'signed'"), 1);
}

#[test]
fn corrections_are_addenda_with_their_own_author_and_time() {
    let Clinic { practice: _practice, workstation, mut owner, mut doctor, patient, .. } = clinic();
    let encounter = doctor.start_encounter(&patient, EncounterKind::Phone, "").unwrap();
    assert_eq!(
        doctor.add_addendum(&encounter.id, "Too early").unwrap_err().field(),
        Some("text"),
        "a draft has no addenda"
    );
    doctor.save_draft_note(&encounter.id, EncounterKind::Phone, &note("Call")).unwrap();
    doctor.sign_note(&encounter.id).unwrap();
    let partner = create_user(&mut owner, "drkim", &[Role::Clinician]);
    let mut partner = first_sign_in(&workstation, "drkim", &partner);
    let with_addendum = partner.add_addendum(&encounter.id, "Lab result came back normal.").unwrap();
    assert_eq!(with_addendum.addenda.len(), 1);
    assert_eq!(with_addendum.addenda[0].author_name, "Staff drkim");
    assert_eq!(with_addendum.note, note("Call"), "the signed note itself is as it was");
    let chart = partner.open_chart(&patient).unwrap();
    assert_eq!(chart.encounters[0].addenda[0].text, "Lab result came back normal.");
}

#[test]
fn a_draft_is_its_authors_alone_and_signing_someone_elses_note_needs_co_signing() {
    let Clinic { practice: _practice, workstation, mut owner, mut doctor, patient, .. } = clinic();
    let partner = create_user(&mut owner, "drkim", &[Role::Clinician]);
    let mut partner = first_sign_in(&workstation, "drkim", &partner);
    let draft_note = doctor.start_encounter(&patient, EncounterKind::Telehealth, "").unwrap();
    doctor.save_draft_note(&draft_note.id, EncounterKind::Telehealth, &note("Video")).unwrap();
    assert!(partner.open_chart(&patient).unwrap().encounters.is_empty(), "another clinician sees no draft");
    assert_eq!(partner.encounter(&draft_note.id).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(partner.sign_note(&draft_note.id).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(doctor.open_chart(&patient).unwrap().encounters.len(), 1, "the author sees their draft");

    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.co_sign_allowed = true;
    }
    let refused = owner.update_access_settings(&settings).unwrap_err();
    assert_eq!(refused.field(), Some("co_sign_allowed"), "only a role that signs notes may co-sign");
    for policy in &mut settings.role_policies {
        policy.co_sign_allowed = policy.role == Role::Clinician;
    }
    owner.update_access_settings(&settings).unwrap();
    let co_signed = partner.sign_note(&draft_note.id).unwrap();
    assert_eq!(co_signed.signed_by_name.as_deref(), Some("Staff drkim"));
    assert_eq!(co_signed.author_name, "Staff drlee");
    let empty = doctor.start_encounter(&patient, EncounterKind::Other, "").unwrap();
    assert_eq!(doctor.sign_note(&empty.id).unwrap_err().field(), Some("note"), "an empty note is not signed");
    doctor.discard_draft_note(&empty.id).unwrap();
}

#[test]
fn the_allergy_banner_says_not_recorded_then_no_known_allergies_then_the_allergies() {
    let Clinic { practice: _practice, mut doctor, patient, .. } = clinic();
    assert!(matches!(doctor.open_chart(&patient).unwrap().allergy_banner, AllergyBanner::NotRecorded));
    doctor.record_chart_item(&patient, &ItemDraft::NoKnownAllergies).unwrap();
    assert!(matches!(doctor.open_chart(&patient).unwrap().allergy_banner, AllergyBanner::NoKnownAllergies));
    let penicillin = doctor.record_chart_item(&patient, &allergy("Penicillin")).unwrap();
    let chart = doctor.open_chart(&patient).unwrap();
    let AllergyBanner::Allergies { allergies } = &chart.allergy_banner else { panic!("expected allergies") };
    assert_eq!(allergies, &[("Penicillin".to_owned(), Some(AllergySeverity::Moderate))]);
    assert!(
        chart
            .allergies
            .iter()
            .any(|item| matches!(&item.data, ItemData::NoKnownAllergies { status: ItemStatus::Inactive })),
        "superseded"
    );
    let refused = doctor.record_chart_item(&patient, &ItemDraft::NoKnownAllergies).unwrap_err();
    assert_eq!(refused.field(), Some("allergies"));
    doctor.mark_chart_item_entered_in_error(&penicillin.id, 1, "Wrong patient's allergy").unwrap();
    assert!(
        matches!(doctor.open_chart(&patient).unwrap().allergy_banner, AllergyBanner::NotRecorded),
        "no active statement left"
    );
}

#[test]
fn items_keep_every_version_and_entered_in_error_stays_in_history() {
    let Clinic { practice, workstation, owner, mut doctor, desk, patient } = clinic();
    let medication = ItemDraft::Medication {
        name: "Metformin".into(),
        dose: "500 mg".into(),
        route: "oral".into(),
        frequency: "twice daily".into(),
        start: "2026-01-10".into(),
        stop: String::new(),
        status: ItemStatus::Active,
    };
    let item = doctor.record_chart_item(&patient, &medication).unwrap();
    let ItemDraft::Medication { name, route, frequency, start, stop, status, .. } = medication.clone() else {
        panic!()
    };
    let higher = ItemDraft::Medication { name, dose: "1000 mg".into(), route, frequency, start, stop, status };
    let updated = doctor.update_chart_item(&item.id, 1, &higher).unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(doctor.update_chart_item(&item.id, 1, &medication).unwrap_err().code(), ErrorCode::StaleRecord);
    assert_eq!(doctor.mark_chart_item_entered_in_error(&item.id, 2, "no").unwrap_err().field(), Some("reason"));
    doctor.mark_chart_item_entered_in_error(&item.id, 2, "Prescribed for another patient").unwrap();
    assert!(doctor.open_chart(&patient).unwrap().medications.is_empty(), "gone from the lists");
    let history = doctor.chart_item_history(&item.id).unwrap();
    let changes: Vec<ItemChange> = history.iter().map(|version| version.change).collect();
    assert_eq!(changes, [ItemChange::Recorded, ItemChange::Updated, ItemChange::EnteredInError]);
    assert_eq!(history[1].changed_fields, ["dose"]);
    assert_eq!(history[2].reason.as_deref(), Some("Prescribed for another patient"));
    doctor.log_out().unwrap();
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let vault = raw_vault(&practice);
    assert!(vault.connection().execute("DELETE FROM chart_item_versions", []).is_err(), "versions are append-only");
    vault.lock().unwrap();
    assert_eq!(
        count_audit_entries(
            &practice,
            "object_type = 'medication' AND action = 'entered_in_error' AND details NOT LIKE '%another%'"
        ),
        1
    );
}

#[test]
fn an_accepted_amendment_is_appended_to_its_item_and_a_denied_one_is_kept_with_its_reason() {
    let Clinic { practice: _practice, mut doctor, mut desk, patient, .. } = clinic();
    let item = doctor.record_chart_item(&patient, &allergy("Penicillin")).unwrap();
    let request = |item_kind| NewAmendmentRequest {
        received_on: "2026-11-25".into(),
        item: item_kind,
        item_id: None,
        requested_change: "It was amoxicillin, not penicillin.".into(),
    };
    let asked = desk.record_amendment_request(&patient, &request(AmendmentItem::Allergy)).unwrap();
    let accepted = doctor
        .accept_amendment_to_item(&asked.id, "Pharmacy record confirms.", &item.id, 1, &allergy("Amoxicillin"))
        .unwrap();
    let decision = accepted.decision.unwrap();
    assert_eq!(
        (decision.outcome, decision.applied_item_id.as_deref()),
        (AmendmentOutcome::Accepted, Some(item.id.as_str()))
    );
    let history = doctor.chart_item_history(&item.id).unwrap();
    assert_eq!(history[1].change, ItemChange::Amended);
    assert_eq!(history[1].amendment_request_id.as_deref(), Some(asked.id.as_str()), "linked to the request");

    let encounter = doctor.start_encounter(&patient, EncounterKind::Visit, "").unwrap();
    doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &note("Visit")).unwrap();
    doctor.sign_note(&encounter.id).unwrap();
    let about_note = desk.record_amendment_request(&patient, &request(AmendmentItem::Note)).unwrap();
    doctor
        .accept_amendment_to_note(
            &about_note.id,
            "Agreed.",
            &encounter.id,
            "Correction: the cough began two weeks ago.",
        )
        .unwrap();
    let addenda = doctor.encounter(&encounter.id).unwrap().addenda;
    assert_eq!(addenda[0].amendment_request_id.as_deref(), Some(about_note.id.as_str()));

    let denied = desk.record_amendment_request(&patient, &request(AmendmentItem::Problem)).unwrap();
    let kept = doctor
        .decide_amendment_request(&denied.id, AmendmentOutcome::Denied, "The problem list is correct.", None)
        .unwrap();
    assert_eq!(kept.decision.unwrap().reason, "The problem list is correct.");
    assert_eq!(desk.patient_amendment_requests(&patient).unwrap().len(), 3);
}

#[test]
fn only_clinicians_reach_the_chart_and_others_only_read_it_through_emergency_access() {
    let Clinic { practice: _practice, mut owner, mut desk, patient, .. } = clinic();
    assert_eq!(desk.open_chart(&patient).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(desk.record_chart_item(&patient, &allergy("Latex")).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(owner.open_chart(&patient).unwrap_err().code(), ErrorCode::Forbidden);
    desk.request_emergency_access(&patient, "Collapsed at the front desk, paramedics ask").unwrap();
    let chart = desk.open_chart(&patient).unwrap();
    assert!(chart.emergency_access.is_some(), "the chart says it was opened under emergency access");
    assert_eq!(chart.patient.family_name, "Okafor");
    // Emergency access lets someone read the chart, not write in it: that stays with clinicians.
    assert_eq!(desk.record_chart_item(&patient, &allergy("Latex")).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(desk.start_encounter(&patient, EncounterKind::Other, "").unwrap_err().code(), ErrorCode::Forbidden);
}

#[test]
fn the_patient_summary_prints_the_record_with_page_numbers_and_is_audited_as_a_disclosure() {
    let Clinic { practice, workstation, owner, mut doctor, desk, patient } = clinic();
    doctor.record_chart_item(&patient, &allergy("Penicillin")).unwrap();
    doctor
        .record_chart_item(
            &patient,
            &ItemDraft::Problem {
                description: "Type 2 diabetes".into(),
                icd10: "E11.9".into(),
                onset: "2019-03-01".into(),
                status: ItemStatus::Active,
            },
        )
        .unwrap();
    doctor
        .record_chart_item(
            &patient,
            &ItemDraft::Medication {
                name: "Metformin".into(),
                dose: "500 mg".into(),
                route: "oral".into(),
                frequency: "twice daily".into(),
                start: "2020-01-01".into(),
                stop: String::new(),
                status: ItemStatus::Active,
            },
        )
        .unwrap();
    for day in 1..=3 {
        let encounter =
            doctor.start_encounter(&patient, EncounterKind::Visit, &format!("2026-11-0{day}T09:00:00Z")).unwrap();
        doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &note(&format!("Visit {day}"))).unwrap();
        doctor.sign_note(&encounter.id).unwrap();
    }
    let latest = doctor.open_chart(&patient).unwrap().encounters[0].id.clone();
    doctor.add_addendum(&latest, "Addendum text for the summary.").unwrap();
    let pdf = practice.folder.path().join("summary.pdf");
    let included = doctor
        .print_patient_summary(
            &patient,
            2,
            chartkeep_clinic::WallClock { offset_minutes: 60 },
            &chartkeep_clinic::ExportDestination::new_file(&pdf),
        )
        .unwrap();
    assert_eq!(included, 2, "the last N encounters, as chosen");
    let output = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "Patient summary",
        "Riverside Family Practice",
        "Okafor, Ada",
        "Type 2 diabetes",
        "E11.9",
        "Metformin",
        "Penicillin",
        "Visit 3: cough for a week",
        "Visit 2: cough for a week",
        "Addendum by Staff drlee",
        "Printed by",
        "Staff drlee (drlee)",
        "Page 1 of",
    ] {
        assert!(text.contains(expected), "the summary lacks {expected:?}:\n{text}");
    }
    assert!(!text.contains("Visit 1:"), "only the last two encounters");
    doctor.log_out().unwrap();
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(
        count_audit_entries(
            &practice,
            "action = 'print' AND data_category = 'patient_summary' AND reason = 'disclosure'"
        ),
        1
    );
}
