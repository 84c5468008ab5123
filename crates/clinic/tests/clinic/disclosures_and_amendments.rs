//! The accounting of disclosures and amendment requests: append-only rows, corrections that
//! name what they correct, decisions made once with the permission to change the item, and the
//! database itself refusing any edit.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::{AmendmentItem, AmendmentOutcome, ErrorCode, NewAmendmentRequest, NewDisclosure, Role};

use super::audit_chain::raw_vault;
use super::{ManualClock, PATIENT, count_audit_entries, create_user, first_sign_in, new_practice_on, with_patients};

fn disclosure(recipient: &str) -> NewDisclosure {
    NewDisclosure {
        disclosed_on: "2026-11-24".into(),
        recipient: recipient.into(),
        purpose: "Insurance claim".into(),
        information: "Invoice with diagnosis codes".into(),
    }
}

#[test]
fn a_disclosure_is_corrected_by_a_new_row_and_the_original_stays() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);

    let mut future = disclosure("Acme Insurance");
    future.disclosed_on = "2026-11-26".into();
    assert_eq!(desk.record_disclosure(&PATIENT, &future).unwrap_err().field(), Some("disclosed_on"));
    assert_eq!(desk.record_disclosure(&PATIENT, &disclosure("  ")).unwrap_err().field(), Some("recipient"));
    assert_eq!(
        desk.record_disclosure(&PatientId::new("nobody"), &disclosure("Acme")).unwrap_err().code(),
        ErrorCode::NotFound
    );

    let original = desk.record_disclosure(&PATIENT, &disclosure("Acme Insurence")).unwrap();
    assert_eq!(
        desk.correct_disclosure(&original.id, &disclosure("Acme Insurance"), " ").unwrap_err().field(),
        Some("reason")
    );
    let correction =
        desk.correct_disclosure(&original.id, &disclosure("Acme Insurance"), "Recipient misspelt").unwrap();
    assert_eq!(correction.corrects_id.as_deref(), Some(original.id.as_str()));
    let twice = desk.correct_disclosure(&original.id, &disclosure("Acme"), "Again").unwrap_err();
    assert_eq!(twice.field(), Some("reason"), "an original is corrected once; later fixes correct the correction");

    let listed = desk.patient_disclosures(&PATIENT).unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().any(|d| d.id == original.id && d.corrected && d.recipient == "Acme Insurence"));
    assert_eq!(owner.record_disclosure(&PATIENT, &disclosure("Owner")).unwrap_err().code(), ErrorCode::Forbidden);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);

    let vault = raw_vault(&practice);
    assert!(vault.connection().execute("UPDATE disclosures SET recipient = 'x'", []).is_err());
    assert!(vault.connection().execute("DELETE FROM disclosures", []).is_err());
    vault.lock().unwrap();
    assert_eq!(count_audit_entries(&practice, "object_type = 'disclosure' AND action = 'create'"), 1);
    assert_eq!(count_audit_entries(&practice, "object_type = 'disclosure' AND action = 'update'"), 1);
}

#[test]
fn an_amendment_request_is_decided_once_by_someone_who_may_change_the_item() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let desk_issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let clin_issued = create_user(&mut owner, "clin", &[Role::Clinician]);
    let mut desk = first_sign_in(&workstation, "desk", &desk_issued);
    let mut clin = first_sign_in(&workstation, "clin", &clin_issued);

    let about_allergy = NewAmendmentRequest {
        received_on: "2026-11-25".into(),
        item: AmendmentItem::Allergy,
        item_id: None,
        requested_change: "I am not allergic to penicillin; it was amoxicillin.".into(),
    };
    let request = desk.record_amendment_request(&PATIENT, &about_allergy).unwrap();
    assert!(request.decision.is_none());
    let refused = desk.decide_amendment_request(&request.id, AmendmentOutcome::Denied, "No", None).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden, "the front desk cannot decide about clinical items");
    let decided = clin
        .decide_amendment_request(
            &request.id,
            AmendmentOutcome::Accepted,
            "Confirmed with the lab.",
            Some(("allergy", "a-1")),
        )
        .unwrap();
    let decision = decided.decision.unwrap();
    assert_eq!((decision.outcome, decision.applied_item_id.as_deref()), (AmendmentOutcome::Accepted, Some("a-1")));
    let again = clin.decide_amendment_request(&request.id, AmendmentOutcome::Denied, "Changed my mind", None);
    assert_eq!(again.unwrap_err().field(), Some("decision"));

    let about_address = NewAmendmentRequest { item: AmendmentItem::Demographics, ..about_allergy };
    let address = desk.record_amendment_request(&PATIENT, &about_address).unwrap();
    let denied = desk
        .decide_amendment_request(&address.id, AmendmentOutcome::Denied, "The address on file is right.", None)
        .unwrap();
    assert_eq!(denied.decision.unwrap().outcome, AmendmentOutcome::Denied);
    assert_eq!(desk.patient_amendment_requests(&PATIENT).unwrap().len(), 2);
    desk.log_out().unwrap();
    clin.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);

    let vault = raw_vault(&practice);
    assert!(vault.connection().execute("UPDATE amendment_decisions SET decision = 'denied'", []).is_err());
    assert!(vault.connection().execute("DELETE FROM amendment_requests", []).is_err());
    vault.lock().unwrap();
    assert_eq!(count_audit_entries(&practice, "object_type = 'amendment_request' AND action = 'update'"), 2);
}
