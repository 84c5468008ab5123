//! Appointments at the front desk: a clinician's day, the overlap warning, rescheduling,
//! check-in through completion, cancelling with a reason, walk-ins, and the last visit shown
//! in search results.

use chartkeep_clinic::{AppointmentStatus, ErrorCode, NewAppointment, Role};

use super::patients::{draft, register};
use super::{ManualClock, count_audit_entries, create_user, first_sign_in, new_practice_on};

#[test]
fn the_front_desk_books_checks_in_and_sees_each_clinicians_day() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_on(clock.clone());
    let desk_password = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let doctor = create_user(&mut owner, "drlee", &[Role::Clinician]).user;
    create_user(&mut owner, "drkim", &[Role::Clinician]);
    let auditor = create_user(&mut owner, "privacy", &[Role::Auditor]);
    owner.log_out().unwrap();
    let mut desk = first_sign_in(&workstation, "desk", &desk_password);
    let anna = register(&mut desk, &draft("Müller", "Anna", "1984-03-07"));
    let ben = register(&mut desk, &draft("Okafor", "Ben", "1990-01-01"));
    assert_eq!(desk.clinicians().unwrap().len(), 2);

    let at = |time: &str| NewAppointment {
        patient_id: anna.clone(),
        clinician_id: doctor.id.clone(),
        starts_at: format!("2026-11-25T{time}:00Z"),
        minutes: 20,
        reason: "Follow-up".into(),
    };
    let first = desk.book_appointment(&at("09:00"), false).unwrap();
    assert_eq!(first.status, AppointmentStatus::Booked);
    let clash = NewAppointment { patient_id: ben.clone(), ..at("09:10") };
    let warned = desk.book_appointment(&clash, false).unwrap_err();
    assert_eq!(warned.code(), ErrorCode::NeedsConfirmation, "an overlap for one clinician is a warning");
    assert!(warned.to_string().contains("Staff drlee"), "{warned}");
    let squeezed = desk.book_appointment(&clash, true).unwrap();
    let later = desk.reschedule_appointment(&squeezed.id, "2026-11-25T09:20:00Z", 20, &doctor.id, false).unwrap();
    assert_eq!(later.starts_at, "2026-11-25T09:20:00.000Z");
    assert_eq!(
        desk.book_appointment(&NewAppointment { minutes: 2, ..at("11:00") }, false).unwrap_err().field(),
        Some("minutes")
    );
    let not_a_clinician = NewAppointment { clinician_id: desk.user().id.clone(), ..at("12:00") };
    assert_eq!(desk.book_appointment(&not_a_clinician, false).unwrap_err().field(), Some("clinician"));

    let day = desk.day_schedule("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z").unwrap();
    let lee = day.iter().find(|day| day.clinician_id == doctor.id).unwrap();
    assert_eq!(
        lee.appointments.iter().map(|a| a.starts_at.as_str()).collect::<Vec<_>>(),
        ["2026-11-25T09:00:00.000Z", "2026-11-25T09:20:00.000Z"]
    );
    assert_eq!(day.len(), 2, "every clinician has a column, booked or not");

    for next in [AppointmentStatus::CheckedIn, AppointmentStatus::InProgress, AppointmentStatus::Completed] {
        desk.set_appointment_status(&first.id, next, None).unwrap();
    }
    let refused = desk.set_appointment_status(&first.id, AppointmentStatus::NoShow, None).unwrap_err();
    assert_eq!(refused.field(), Some("status"), "a completed visit is not a no-show");
    assert_eq!(
        desk.set_appointment_status(&later.id, AppointmentStatus::Cancelled, None).unwrap_err().field(),
        Some("cancel_reason")
    );
    desk.set_appointment_status(&later.id, AppointmentStatus::Cancelled, Some("Patient called")).unwrap();

    desk.log_out().unwrap();
    clock.advance(time::Duration::hours(3));
    let mut desk = workstation.log_in("desk", &chartkeep_vault::Password::new(super::staff_password("desk"))).unwrap();
    let walk_in = desk.register_walk_in(&ben, &doctor.id, 15, "Cut on hand").unwrap();
    assert_eq!((walk_in.status, walk_in.walk_in), (AppointmentStatus::CheckedIn, true));
    let found = desk.search_patients("müller").unwrap().patients;
    assert_eq!(found[0].last_visit.as_deref(), Some("2026-11-25T09:00:00.000Z"), "the completed visit is the last one");
    assert_eq!(desk.patient_appointments(&anna).unwrap().len(), 1);
    desk.log_out().unwrap();

    let mut auditor = first_sign_in(&workstation, "privacy", &auditor);
    assert_eq!(
        auditor.day_schedule("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z").unwrap_err().code(),
        ErrorCode::Forbidden
    );
    auditor.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "object_type = 'appointment' AND action = 'create'"), 3);
    assert_eq!(
        count_audit_entries(&practice, "object_type = 'appointment' AND action = 'update' AND reason = 'checked_in'"),
        1
    );
    assert_eq!(count_audit_entries(&practice, "action = 'create' AND details LIKE '%\"overlap_accepted\":true%'"), 1);
    assert_eq!(count_audit_entries(&practice, "reason LIKE '%Patient called%' OR details LIKE '%Follow-up%'"), 0);
}
