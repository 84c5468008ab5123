//! Sign-in, failures buffered outside the database, the second-instance guard, bad setup input,
//! and the recovery path.

use chartkeep_clinic::{ErrorCode, PracticeState, Workstation};
use chartkeep_vault::{DeviceSecretStore, OsKeyring, Password, RecoveryKey, VaultError};

use super::{OWNER_PASSWORD, cheap_kdf, log_in, new_practice, setup_form};

#[test]
fn failed_sign_ins_reach_the_audit_chain_at_the_next_sign_in_without_the_typed_text() {
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    let wrong = workstation.log_in("aokafor", &Password::new("definitely not it")).unwrap_err();
    assert_eq!(wrong.code(), ErrorCode::WrongCredentials);
    let unknown = workstation.log_in("canary-typed-name", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::WrongCredentials);
    let buffer = std::fs::read_to_string(practice.data_dir.failed_logins()).unwrap();
    assert_eq!(buffer.lines().count(), 2);
    assert!(!buffer.contains("canary-typed-name"), "typed text that is not a username is never stored");

    let session = log_in(&workstation);
    session.log_out().unwrap();
    assert!(!practice.data_dir.failed_logins().exists(), "the buffer is cleared once flushed");
    drop(workstation);
    let vault = {
        let claim = practice.data_dir.claim().unwrap();
        chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "aokafor", &Password::new(OWNER_PASSWORD)).unwrap()
    };
    let failures: Vec<(Option<String>, String)> = vault
        .connection()
        .prepare("SELECT username, reason FROM audit_log WHERE action = 'login_failed' ORDER BY seq")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        failures,
        [(Some("aokafor".to_owned()), "wrong_credentials".to_owned()), (None, "wrong_credentials".to_owned())]
    );
}

#[test]
fn a_second_program_on_the_same_data_folder_is_refused() {
    let (practice, _workstation, _created) = new_practice();
    let second =
        Workstation::open(&practice.data_dir, Box::new(OsKeyring), std::sync::Arc::new(chartkeep_clinic::SystemClock));
    assert_eq!(second.unwrap_err().code(), ErrorCode::AlreadyRunning);
}

#[test]
fn bad_setup_input_is_explained_per_field_and_creates_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = chartkeep_vault::DataDir::at(folder.path().join("practice"));
    let workstation =
        Workstation::open(&data_dir, Box::new(OsKeyring), std::sync::Arc::new(chartkeep_clinic::SystemClock)).unwrap();
    let cases = [
        (
            {
                let mut form = setup_form();
                form.practice_name = "   ".into();
                form
            },
            "practice_name",
        ),
        (
            {
                let mut form = setup_form();
                form.owner_username = "a b".into();
                form
            },
            "username",
        ),
        (
            {
                let mut form = setup_form();
                form.owner_password = Password::new("password1234");
                form
            },
            "password",
        ),
        (
            {
                let mut form = setup_form();
                form.owner_password = Password::new("short");
                form
            },
            "password",
        ),
    ];
    for (form, field) in cases {
        let error = workstation.set_up_practice(&form, cheap_kdf()).unwrap_err();
        assert_eq!((error.code(), error.field()), (ErrorCode::InvalidInput, Some(field)));
        assert_eq!(workstation.practice_state(), PracticeState::NoPractice);
    }
}

#[test]
fn a_lost_keyring_entry_leads_to_the_recovery_path_and_the_recovery_key_restores_access() {
    let (_practice, workstation, created) = new_practice();
    let recovery_key: RecoveryKey = created.recovery_key.clone();
    let vault_id = created.session.vault_id().to_owned();
    created.session.log_out().unwrap();

    OsKeyring.delete(&vault_id).unwrap();
    assert!(matches!(workstation.practice_state(), PracticeState::RecoveryNeeded { .. }));
    let error = workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap_err();
    assert_eq!(error.code(), ErrorCode::RecoveryNeeded);
    assert!(matches!(error, chartkeep_clinic::ClinicError::Vault(VaultError::DeviceSecretMissing)));

    let weak = workstation.recover(&recovery_key, &Password::new("short"), cheap_kdf()).unwrap_err();
    assert_eq!(weak.code(), ErrorCode::InvalidInput);
    let new_password = Password::new("a brand new owner password");
    let mut session = workstation.recover(&recovery_key, &new_password, cheap_kdf()).unwrap();
    assert_eq!(session.user().username, "aokafor");
    assert!(session.verify_audit_chain().unwrap().is_intact());
    session.log_out().unwrap();
    assert!(matches!(workstation.practice_state(), PracticeState::Ready { .. }));
    assert!(workstation.log_in("aokafor", &new_password).is_ok());
}

#[test]
fn switching_user_from_the_lock_screen_reaches_the_chain_as_a_log_out() {
    let (practice, workstation, created) = new_practice();
    let locked = created.session.lock().unwrap();
    workstation.end_locked_session(&locked);
    log_in(&workstation).log_out().unwrap();
    drop(workstation);
    assert_eq!(
        super::count_audit_entries(
            &practice,
            "action = 'logout' AND reason = 'signed_out_from_lock_screen' AND username = 'aokafor'"
        ),
        1
    );
}

#[test]
fn a_recovery_refused_for_its_new_password_changes_nothing() {
    let (practice, workstation, created) = new_practice();
    let recovery_key = created.recovery_key.clone();
    created.session.log_out().unwrap();
    let slots_before = std::fs::read(practice.data_dir.key_slots()).unwrap();
    let refused = workstation.recover(&recovery_key, &Password::new("aokafor"), super::cheap_kdf()).unwrap_err();
    assert_eq!(refused.code(), ErrorCode::InvalidInput);
    assert_eq!(std::fs::read(practice.data_dir.key_slots()).unwrap(), slots_before, "the slot file is untouched");
    log_in(&workstation).log_out().unwrap();
}
