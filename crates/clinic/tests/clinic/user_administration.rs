//! User administration: the last Owner is kept, deactivation takes effect at once, throttling
//! and lockout survive a restart, and bad input changes nothing.

use std::sync::Arc;

use chartkeep_clinic::{ErrorCode, NewUser, Role, Workstation};
use chartkeep_vault::{OsKeyring, Password};

use super::{
    ManualClock, OWNER_PASSWORD, cheap_kdf, count_audit_entries, create_user, first_sign_in, new_practice_on,
    staff_password,
};

#[test]
fn the_last_active_owner_cannot_be_deactivated_or_lose_the_owner_role() {
    let (_practice, workstation, mut owner) = new_practice_on(ManualClock::new());
    let owner_id = owner.user().id.clone();
    let refused = owner.change_roles(&owner_id, &[Role::Clinician]).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert_eq!(owner.user().roles, [Role::Owner], "nothing changed");

    let second = create_user(&mut owner, "second", &[Role::Owner]);
    let mut second_owner = first_sign_in(&workstation, "second", &second);
    let demoted = second_owner.change_roles(&owner_id, &[Role::Clinician, Role::FrontDesk]).unwrap();
    assert_eq!(demoted.roles, [Role::Clinician, Role::FrontDesk]);
    assert_eq!(owner.list_users().unwrap_err().code(), ErrorCode::Forbidden, "a role change applies at once");
    let second_id = second_owner.user().id.clone();
    let alone = second_owner.deactivate_user(&second_id, &mut |_| true).unwrap_err();
    assert_eq!(alone.field(), Some("user"));
    assert_eq!(second_owner.change_roles(&second_id, &[Role::Auditor]).unwrap_err().field(), Some("roles"));
}

#[test]
fn deactivation_ends_a_live_session_and_removes_the_key_slot() {
    let (practice, workstation, mut owner) = new_practice_on(ManualClock::new());
    let issued = create_user(&mut owner, "frontdesk", &[Role::FrontDesk]);
    let mut front_desk = first_sign_in(&workstation, "frontdesk", &issued);
    assert!(front_desk.my_permissions().is_ok());

    // The front desk's live session holds the database open, so the rotation that follows the
    // deactivation cannot swap the re-encrypted copy in yet: the deactivation stands, the
    // error says so, and the Owner is reminded until a rotation completes.
    let pending = owner.deactivate_user(&issued.user.id, &mut |_| true).unwrap_err();
    assert_eq!(pending.code(), ErrorCode::KeyRotationPending);
    assert!(owner.database_key_rotation_needed().unwrap().is_some());
    assert_eq!(front_desk.my_permissions().unwrap_err().code(), ErrorCode::SessionEnded);
    front_desk.log_off_automatically().unwrap();
    owner.rotate_database_key(&mut |_| true).unwrap();
    assert!(owner.database_key_rotation_needed().unwrap().is_none(), "the reminder ends with the rotation");
    assert!(!owner.list_users().unwrap().iter().any(|user| user.username == "frontdesk" && user.active));
    let slots = chartkeep_vault::read_key_slots(&practice.data_dir).unwrap();
    assert!(slots.find_user("frontdesk").is_none(), "the key slot is gone");
    let again = workstation.log_in("frontdesk", &Password::new(staff_password("frontdesk"))).unwrap_err();
    assert_eq!(again.code(), ErrorCode::WrongCredentials);

    let reactivated = owner.reactivate_user(&issued.user.id, cheap_kdf()).unwrap();
    assert!(reactivated.user.active && reactivated.user.must_change_password);
    first_sign_in(&workstation, "frontdesk", &reactivated).log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'user_deactivated' AND details LIKE '%front_desk%'"), 1);
    assert_eq!(count_audit_entries(&practice, "action = 'user_reactivated'"), 1);
}

#[test]
fn bad_user_input_is_explained_per_field_and_creates_nothing() {
    let (_practice, _workstation, mut owner) = new_practice_on(ManualClock::new());
    let cases = [
        (NewUser { full_name: " ".into(), username: "valid".into(), roles: vec![Role::FrontDesk] }, "full_name"),
        (NewUser { full_name: "A B".into(), username: "no spaces".into(), roles: vec![Role::FrontDesk] }, "username"),
        (NewUser { full_name: "A B".into(), username: "aokafor".into(), roles: vec![Role::FrontDesk] }, "username"),
        (NewUser { full_name: "A B".into(), username: "valid".into(), roles: vec![] }, "roles"),
    ];
    for (new_user, field) in cases {
        let error = owner.create_user(&new_user, cheap_kdf()).unwrap_err();
        assert_eq!(error.field(), Some(field));
    }
    assert_eq!(owner.list_users().unwrap().len(), 1);
    assert_eq!(owner.deactivate_user("no-such-user", &mut |_| true).unwrap_err().code(), ErrorCode::NotFound);
}

#[test]
fn wrong_passwords_slow_down_then_lock_the_account_across_a_restart_until_the_owner_unlocks_it() {
    let clock = ManualClock::new();
    let (practice, workstation, mut owner) = new_practice_on(clock.clone());
    let issued = create_user(&mut owner, "clinician", &[Role::Clinician]);
    first_sign_in(&workstation, "clinician", &issued).log_out().unwrap();
    let right = Password::new(staff_password("clinician"));
    let wrong = Password::new("not the right password at all");

    for _ in 0..3 {
        assert_eq!(workstation.log_in("clinician", &wrong).unwrap_err().code(), ErrorCode::WrongCredentials);
    }
    let waiting = workstation.log_in("clinician", &right).unwrap_err();
    assert_eq!(waiting.code(), ErrorCode::TooManyAttempts, "even the right password waits");
    for _ in 3..10 {
        clock.advance(time::Duration::minutes(5));
        assert_eq!(workstation.log_in("clinician", &wrong).unwrap_err().code(), ErrorCode::WrongCredentials);
    }
    assert_eq!(workstation.log_in("clinician", &right).unwrap_err().code(), ErrorCode::AccountLocked);

    // A restart of the app does not reset the counters.
    owner.log_out().unwrap();
    drop(workstation);
    let workstation = Workstation::open(&practice.data_dir, Box::new(OsKeyring), clock.clone()).unwrap();
    clock.advance(time::Duration::minutes(1));
    assert_eq!(workstation.log_in("clinician", &right).unwrap_err().code(), ErrorCode::AccountLocked);
    let mut owner = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap();
    let listed = owner.list_users().unwrap();
    assert!(listed.iter().any(|user| user.username == "clinician" && user.locked_out));
    owner.unlock_account(&issued.user.id).unwrap();
    workstation.log_in("clinician", &right).unwrap().log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert!(count_audit_entries(&practice, "action = 'login_failed' AND reason = 'wrong_credentials'") >= 10);
    assert!(count_audit_entries(&practice, "action = 'login_failed' AND reason = 'throttled'") >= 2);
    assert_eq!(count_audit_entries(&practice, "action = 'account_unlocked'"), 1);
    let _: Arc<ManualClock> = clock;
}

#[test]
fn every_user_administration_entry_holds_the_old_and_new_roles() {
    let (practice, workstation, mut owner) = new_practice_on(ManualClock::new());
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let id = issued.user.id.clone();
    owner.change_roles(&id, &[Role::FrontDesk, Role::Clinician]).unwrap();
    owner.reset_password(&id, cheap_kdf()).unwrap();
    owner.unlock_account(&id).unwrap();
    owner.reset_second_factor(&id).unwrap();
    owner.deactivate_user(&id, &mut |_| true).unwrap();
    owner.reactivate_user(&id, cheap_kdf()).unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let administration = "action IN ('user_created', 'roles_changed', 'password_reset', 'account_unlocked', \
         'second_factor_reset', 'user_deactivated', 'user_reactivated') AND object_id = (SELECT id FROM users WHERE username = 'desk')";
    assert_eq!(count_audit_entries(&practice, administration), 7);
    let with_roles =
        format!("{administration} AND details LIKE '%\"old_roles\":%' AND details LIKE '%\"new_roles\":%'");
    assert_eq!(count_audit_entries(&practice, &with_roles), 7, "each entry says the roles before and after");
    let role_change = format!(
        "{administration} AND action = 'roles_changed' AND details LIKE '%\"old_roles\":[\"front_desk\"]%' \
         AND details LIKE '%\"new_roles\":[\"clinician\",\"front_desk\"]%'"
    );
    assert_eq!(count_audit_entries(&practice, &role_change), 1);
}

#[test]
fn two_sessions_on_this_pc_never_write_over_each_others_key_slots() {
    let (_practice, workstation, mut owner) = new_practice_on(ManualClock::new());
    let first = create_user(&mut owner, "first", &[Role::FrontDesk]);
    let mut first = first_sign_in(&workstation, "first", &first);
    // The first user's session was opened before this user existed.
    let second = create_user(&mut owner, "second", &[Role::FrontDesk]);
    first
        .change_own_password(
            &Password::new(staff_password("first")),
            &Password::new("first picks another one"),
            cheap_kdf(),
        )
        .unwrap();
    first_sign_in(&workstation, "second", &second).log_out().unwrap();
    workstation.log_in("first", &Password::new("first picks another one")).unwrap().log_out().unwrap();
}
