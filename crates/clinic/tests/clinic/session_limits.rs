//! Automatic log-off, enforced in Rust with an injected clock: the idle timeout per role (set
//! by the Owner), the 12-hour absolute limit, and activity keeping a session alive.

use chartkeep_clinic::{ErrorCode, Role};

use super::{ManualClock, count_audit_entries, create_user, first_sign_in, new_practice_on};

#[test]
fn an_idle_session_is_refused_after_its_role_timeout_even_without_the_ui() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_on(clock.clone());
    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        if policy.role == Role::FrontDesk {
            policy.idle_timeout_minutes = 1;
        }
    }
    owner.update_access_settings(&settings).unwrap();
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut front_desk = first_sign_in(&workstation, "desk", &issued);

    clock.advance(time::Duration::seconds(50));
    front_desk.touch().unwrap();
    clock.advance(time::Duration::seconds(50));
    assert!(front_desk.my_permissions().is_ok(), "activity kept the session alive");
    clock.advance(time::Duration::seconds(61));
    assert_eq!(front_desk.my_permissions().unwrap_err().code(), ErrorCode::SessionExpired);
    assert_eq!(front_desk.touch().unwrap_err().code(), ErrorCode::SessionExpired, "activity cannot revive it");
    let locked = front_desk.log_off_automatically().unwrap();
    assert_eq!(locked.username, "desk");

    clock.advance(time::Duration::minutes(10));
    assert_eq!(owner.touch().unwrap_err().code(), ErrorCode::SessionExpired, "the owner's timeout is 10 minutes");
    owner.log_off_automatically().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'automatic_logoff' AND reason = 'idle_timeout'"), 2);
    // One change by the test fixture (the second-factor policy), one by this test.
    assert_eq!(count_audit_entries(&practice, "action = 'settings_changed'"), 2);
}

#[test]
fn no_session_outlives_the_absolute_limit_however_active() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_on(clock.clone());
    // Active every 9 minutes for 11 h 51 min, then 9 more minutes reach 12 hours.
    for _ in 0..79 {
        clock.advance(time::Duration::minutes(9));
        owner.touch().unwrap();
    }
    clock.advance(time::Duration::minutes(9));
    assert_eq!(owner.list_users().unwrap_err().code(), ErrorCode::SessionExpired);
    owner.log_off_automatically().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'automatic_logoff' AND reason = 'absolute_limit'"), 1);
}

#[test]
fn settings_out_of_range_are_refused_and_change_nothing() {
    let (_practice, _workstation, mut owner) = new_practice_on(ManualClock::new());
    let before = owner.access_settings().unwrap();
    let mut settings = before.clone();
    settings.role_policies[0].idle_timeout_minutes = 61;
    assert_eq!(owner.update_access_settings(&settings).unwrap_err().field(), Some("idle_timeout_minutes"));
    let mut settings = before.clone();
    settings.role_policies[1].idle_timeout_minutes = 0;
    assert_eq!(owner.update_access_settings(&settings).unwrap_err().field(), Some("idle_timeout_minutes"));
    let mut settings = before.clone();
    settings.role_policies.pop();
    assert_eq!(owner.update_access_settings(&settings).unwrap_err().field(), Some("role_policies"));
    assert_eq!(owner.access_settings().unwrap(), before);
}
