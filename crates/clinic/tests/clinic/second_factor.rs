//! Two-step sign-in: the default policy makes owners enrol first; TOTP codes are accepted once
//! and within one step either side; recovery codes work once; wrong codes end the sign-in; a
//! lock cannot skip the second factor; the Owner resets a lost one.

use chartkeep_clinic::{Clock, ErrorCode, Role, SecondFactorGate, Session, Workstation};
use chartkeep_vault::Password;

use super::{
    ManualClock, OWNER_PASSWORD, count_audit_entries, create_user, first_sign_in, new_practice_with_default_policy_on,
    staff_password,
};

/// An authenticator app: the secret from the enrolment screen, codes at any time.
struct Authenticator(totp_rs::Totp);

impl Authenticator {
    fn code_at(&self, clock: &ManualClock, offset_seconds: i64) -> String {
        let at = u64::try_from(clock.now().unix_timestamp() + offset_seconds).unwrap();
        self.0.generate(at).to_string()
    }
}

fn enrol(session: &mut Session, clock: &ManualClock) -> (Authenticator, Vec<String>) {
    let enrolment = session.begin_second_factor_enrolment().unwrap();
    assert!(!enrolment.qr_png_base64.is_empty());
    let secret = totp_rs::Secret::try_from_base32(&enrolment.secret_base32).unwrap();
    let authenticator = Authenticator(totp_rs::Builder::new().with_secret(secret).build().unwrap());
    let wrong = session.confirm_second_factor_enrolment("000000").unwrap_err();
    assert_eq!(wrong.field(), Some("code"));
    let codes = session.confirm_second_factor_enrolment(&authenticator.code_at(clock, 0)).unwrap();
    (authenticator, codes)
}

fn owner_signs_in(workstation: &Workstation) -> Session {
    workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap()
}

#[test]
fn with_the_default_policy_an_owner_enrols_before_anything_else_and_then_gives_a_code_once() {
    let clock = ManualClock::new();
    let (practice, workstation, setup_session) = new_practice_with_default_policy_on(clock.clone());
    setup_session.log_out().unwrap();

    let mut owner = owner_signs_in(&workstation);
    assert_eq!(owner.second_factor_gate(), SecondFactorGate::EnrolmentRequired);
    assert_eq!(owner.list_users().unwrap_err().code(), ErrorCode::SecondFactorEnrolmentRequired);
    let (authenticator, recovery_codes) = enrol(&mut owner, &clock);
    assert_eq!(recovery_codes.len(), 10);

    assert!(recovery_codes.iter().all(|code| code.len() == 11 && code.as_bytes()[5] == b'-'));
    assert!(owner.list_users().is_ok());
    owner.log_out().unwrap();

    let mut owner = owner_signs_in(&workstation);
    assert_eq!(owner.second_factor_gate(), SecondFactorGate::CodeRequired { wrong_codes: 0 });
    assert_eq!(owner.list_users().unwrap_err().code(), ErrorCode::SecondFactorRequired);
    let replay = owner.verify_second_factor(&authenticator.code_at(&clock, 0)).unwrap_err();
    assert_eq!(replay.field(), Some("code"), "the enrolment's code cannot be used again");
    clock.advance(time::Duration::seconds(30));
    owner.verify_second_factor(&authenticator.code_at(&clock, 0)).unwrap();
    assert!(owner.list_users().is_ok());
    owner.log_out().unwrap();

    clock.advance(time::Duration::seconds(60));
    let mut owner = owner_signs_in(&workstation);
    assert!(owner.verify_second_factor(&authenticator.code_at(&clock, 60)).is_err(), "two steps ahead");
    owner.verify_second_factor(&authenticator.code_at(&clock, -30)).unwrap();
    owner.log_out().unwrap();
    let mut owner = owner_signs_in(&workstation);
    owner.verify_second_factor(&authenticator.code_at(&clock, 30)).unwrap();
    owner.log_out().unwrap();

    // Recovery codes work once each.
    let mut owner = owner_signs_in(&workstation);
    owner.verify_second_factor(&recovery_codes[0].to_lowercase()).unwrap();
    owner.log_out().unwrap();
    let mut owner = owner_signs_in(&workstation);
    assert!(owner.verify_second_factor(&recovery_codes[0]).is_err());
    owner.verify_second_factor(&recovery_codes[1]).unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'second_factor_enrolled'"), 1);
    // Recovery codes are stored only as keyed hashes: no row holds a code, with or without its dash.
    let typed: Vec<String> =
        recovery_codes.iter().flat_map(|code| [format!("'{code}'"), format!("'{}'", code.replace('-', ""))]).collect();
    let stored_in_clear = format!(
        "seq = 1 AND (SELECT count(*) FROM second_factor_recovery_codes WHERE code_hash IN ({}) OR length(code_hash) != 64) > 0",
        typed.join(", ")
    );
    assert_eq!(count_audit_entries(&practice, &stored_in_clear), 0);
    assert_eq!(
        count_audit_entries(&practice, "seq = 1 AND (SELECT count(*) FROM second_factor_recovery_codes) = 10"),
        1
    );
    assert_eq!(count_audit_entries(&practice, "action = 'second_factor_verified' AND reason = 'totp'"), 3);
    assert_eq!(count_audit_entries(&practice, "action = 'second_factor_verified' AND reason = 'recovery_code'"), 2);
    assert_eq!(count_audit_entries(&practice, "action = 'second_factor_failed'"), 3);
}

#[test]
fn wrong_codes_end_the_sign_in_and_a_lock_cannot_skip_the_code() {
    let clock = ManualClock::new();
    let (_practice, workstation, mut owner) = new_practice_with_default_policy_on(clock.clone());
    let (authenticator, _) = enrol(&mut owner, &clock);
    owner.log_out().unwrap();

    let owner = owner_signs_in(&workstation);
    let locked = owner.lock().unwrap();
    assert!(!locked.second_factor_given);
    let mut owner = workstation.unlock(&locked, &Password::new(OWNER_PASSWORD)).unwrap();
    assert_eq!(owner.second_factor_gate(), SecondFactorGate::CodeRequired { wrong_codes: 0 });
    for _ in 0..4 {
        // Past the sign-in throttle's growing delay, which wrong codes count towards too.
        clock.advance(time::Duration::seconds(20));
        assert_eq!(owner.verify_second_factor("123456").unwrap_err().code(), ErrorCode::InvalidInput);
    }
    clock.advance(time::Duration::seconds(20));
    assert_eq!(owner.verify_second_factor("123456").unwrap_err().code(), ErrorCode::SessionEnded);
    assert_eq!(
        owner.verify_second_factor(&authenticator.code_at(&clock, 0)).unwrap_err().code(),
        ErrorCode::SessionExpired
    );
    owner.log_off_automatically().unwrap();

    clock.advance(time::Duration::seconds(30));
    let mut owner = owner_signs_in(&workstation);
    owner.verify_second_factor(&authenticator.code_at(&clock, 0)).unwrap();
    let locked = owner.lock().unwrap();
    assert!(locked.second_factor_given);
    let owner = workstation.unlock(&locked, &Password::new(OWNER_PASSWORD)).unwrap();
    assert_eq!(owner.second_factor_gate(), SecondFactorGate::Passed, "a lock after the code keeps it");
    owner.log_out().unwrap();
}

#[test]
fn a_stolen_password_cannot_guess_codes_by_signing_in_again_and_again() {
    let clock = ManualClock::new();
    let (_practice, workstation, mut owner) = new_practice_with_default_policy_on(clock.clone());
    let (authenticator, _) = enrol(&mut owner, &clock);
    owner.log_out().unwrap();
    for attempt in 1..=10 {
        clock.advance(time::Duration::minutes(5));
        let mut owner = owner_signs_in(&workstation);
        let wrong = owner.verify_second_factor("123456").unwrap_err();
        assert_eq!(wrong.code(), ErrorCode::InvalidInput, "attempt {attempt}");
        owner.log_out().unwrap();
    }
    clock.advance(time::Duration::minutes(1));
    let refused = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::AccountLocked, "ten wrong codes within an hour lock the account");
    clock.advance(time::Duration::minutes(15));
    let mut owner = owner_signs_in(&workstation);
    owner.verify_second_factor(&authenticator.code_at(&clock, 0)).unwrap();
    owner.log_out().unwrap();
    clock.advance(time::Duration::seconds(30));
    let mut owner = owner_signs_in(&workstation);
    owner.verify_second_factor("123456").unwrap_err();
    clock.advance(time::Duration::seconds(1));
    let next = owner.verify_second_factor("654321").unwrap_err();
    assert_eq!(next.code(), ErrorCode::InvalidInput, "the right code cleared the counters: no delay yet");
    owner.log_out().unwrap();
}

#[test]
fn the_owner_resets_a_lost_second_factor() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_with_default_policy_on(clock.clone());
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    enrol(&mut desk, &clock);
    desk.log_out().unwrap();
    let listed = owner.list_users().unwrap();
    assert!(listed.iter().any(|user| user.username == "desk" && user.has_second_factor));

    let reset = owner.reset_second_factor(&issued.user.id).unwrap();
    assert!(!reset.has_second_factor);
    let desk = workstation.log_in("desk", &Password::new(staff_password("desk"))).unwrap();
    assert_eq!(desk.second_factor_gate(), SecondFactorGate::Passed, "front desk does not require one by default");
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'second_factor_reset'"), 1);
}
