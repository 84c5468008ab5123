//! Emergency access against a minimal patient row: who may ask, the reason, the time limit, the
//! break-glass flag on every action, the Role switch, and the Owner's review.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::{ErrorCode, Role};
use chartkeep_vault::Password;

use super::{
    ManualClock, OTHER_PATIENT, OWNER_PASSWORD, PATIENT, count_audit_entries, create_user, first_sign_in,
    new_practice_on, with_patients,
};

#[test]
fn front_desk_breaks_the_glass_for_one_patient_for_a_limited_time_and_the_owner_reviews_it() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock.clone());
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);

    assert_eq!(desk.open_chart(&PATIENT).unwrap_err().code(), ErrorCode::Forbidden, "front desk reads no charts");
    assert_eq!(desk.request_emergency_access(&PATIENT, "urgent").unwrap_err().field(), Some("reason"));
    assert_eq!(
        desk.request_emergency_access(&PatientId::new("no-such-patient"), "collapsed in the waiting room")
            .unwrap_err()
            .code(),
        ErrorCode::NotFound
    );
    let access = desk.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap();
    let opened = desk.open_chart(&PATIENT).unwrap();
    assert_eq!(opened.emergency_access.as_ref().map(|access| access.id.as_str()), Some(access.id.as_str()));
    assert_eq!(desk.open_chart(&OTHER_PATIENT).unwrap_err().code(), ErrorCode::Forbidden, "one patient only");

    // Front desk's idle timeout is 5 minutes: stay active, every 4 minutes, for 56 minutes.
    for _ in 0..14 {
        clock.advance(time::Duration::minutes(4));
        desk.touch().unwrap();
    }
    assert!(desk.open_chart(&PATIENT).is_ok(), "still inside the 60 minutes");
    clock.advance(time::Duration::minutes(4));
    assert_eq!(desk.open_chart(&PATIENT).unwrap_err().code(), ErrorCode::Forbidden, "it ends after 60 minutes");
    desk.log_out().unwrap();

    let mut owner = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap();
    let queue = owner.unreviewed_emergency_accesses().unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!((queue[0].username.as_str(), queue[0].reason.as_str()), ("desk", "collapsed in the waiting room"));
    let label = queue[0].patient_label.as_deref().unwrap_or_default();
    assert!(label.contains(" (MRN ") && label.contains(", "), "the reviewer sees whose record: {label:?}");
    assert_eq!(owner.review_emergency_access(&access.id, " ").unwrap_err().field(), Some("comment"));
    owner.review_emergency_access(&access.id, "Checked with the nurse on duty: justified.").unwrap();
    assert!(owner.unreviewed_emergency_accesses().unwrap().is_empty());
    assert_eq!(owner.review_emergency_access(&access.id, "again").unwrap_err().code(), ErrorCode::NotFound);
    owner.log_out().unwrap();
    drop(workstation);

    let flagged = "emergency_access = 1 AND patient_id = 'patient-1'";
    assert_eq!(count_audit_entries(&practice, &format!("{flagged} AND action = 'emergency_access_started'")), 1);
    assert_eq!(count_audit_entries(&practice, &format!("{flagged} AND action = 'view' AND outcome = 'success'")), 2);
    assert_eq!(count_audit_entries(&practice, "action = 'view' AND outcome = 'denied'"), 3);
    assert_eq!(count_audit_entries(&practice, "action = 'emergency_access_reviewed'"), 1);
    assert_eq!(count_audit_entries(&practice, "details LIKE '%waiting room%'"), 0, "details never hold typed text");
    assert_eq!(
        count_audit_entries(
            &practice,
            "action = 'emergency_access_started' AND reason = 'collapsed in the waiting room' AND emergency_access = 1"
        ),
        1,
        "the reason for breaking the glass is kept in the chain, with the flag"
    );
}

#[test]
fn nobody_reviews_their_own_emergency_access_and_the_auditor_can_review_it() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let access = owner.request_emergency_access(&PATIENT, "the clinician is away and the lab calls").unwrap();
    let own = owner.review_emergency_access(&access.id, "Fine.").unwrap_err();
    assert_eq!(own.field(), Some("comment"), "an owner cannot review their own access");
    let issued = create_user(&mut owner, "privacy", &[Role::Auditor]);
    owner.log_out().unwrap();
    let mut auditor = first_sign_in(&workstation, "privacy", &issued);
    assert_eq!(auditor.unreviewed_emergency_accesses().unwrap().len(), 1);
    auditor.review_emergency_access(&access.id, "Lab call confirmed in the phone log.").unwrap();
    auditor.log_out().unwrap();
}

#[test]
fn switching_emergency_access_off_ends_an_access_already_running() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    desk.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap();
    assert!(desk.open_chart(&PATIENT).is_ok());
    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.emergency_access_allowed = false;
    }
    owner.update_access_settings(&settings).unwrap();
    assert_eq!(desk.open_chart(&PATIENT).unwrap_err().code(), ErrorCode::Forbidden, "ended at once");
}

#[test]
fn the_owner_sets_how_long_an_emergency_access_lasts() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock.clone());
    let mut settings = owner.access_settings().unwrap();
    settings.emergency_access_minutes = 15;
    owner.update_access_settings(&settings).unwrap();
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    let access = desk.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap();
    assert_eq!(access.expires_at, "2026-11-25T08:15:00.000Z");
    clock.advance(time::Duration::minutes(4));
    assert!(desk.open_chart(&PATIENT).is_ok());
    clock.advance(time::Duration::minutes(4));
    assert!(desk.open_chart(&PATIENT).is_ok());
    clock.advance(time::Duration::minutes(4));
    assert!(desk.open_chart(&PATIENT).is_ok());
    clock.advance(time::Duration::minutes(4));
    assert_eq!(desk.open_chart(&PATIENT).unwrap_err().code(), ErrorCode::Forbidden, "over after 15 minutes");
}

#[test]
fn clinicians_need_no_emergency_access_and_the_owner_can_switch_it_off_per_role() {
    let clock = ManualClock::new();
    let (practice, workstation, owner) = new_practice_on(clock.clone());
    let (workstation, mut owner) = with_patients(&practice, workstation, owner, clock);
    let clinician = create_user(&mut owner, "clin", &[Role::Clinician]);
    let mut clinician = first_sign_in(&workstation, "clin", &clinician);
    assert!(clinician.open_chart(&PATIENT).unwrap().emergency_access.is_none());
    assert_eq!(
        clinician.request_emergency_access(&PATIENT, "just to be sure here").unwrap_err().code(),
        ErrorCode::Forbidden,
        "roles that read charts have no emergency access to ask for"
    );

    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.emergency_access_allowed = false;
    }
    owner.update_access_settings(&settings).unwrap();
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    assert_eq!(
        desk.request_emergency_access(&PATIENT, "collapsed in the waiting room").unwrap_err().code(),
        ErrorCode::Forbidden
    );
    assert_eq!(desk.open_chart(&PATIENT).unwrap_err().code(), ErrorCode::Forbidden);
}
