//! The app state at the command boundary: what "no session", "a locked session" and "the
//! recovery key not yet confirmed" mean for every session command. (The core's role × use-case
//! table covers the roles; here no session exists for a use case to take.)

use std::sync::Arc;

use chartkeep_clinic::{SystemClock, Workstation};
use chartkeep_vault::{DataDir, OsKeyring};

use crate::dto::{AppStatus, ErrorCodeView, SetupForm};
use crate::state::AppState;

fn app_state(folder: &tempfile::TempDir) -> AppState {
    let data_dir = DataDir::at(folder.path().join("practice"));
    AppState::new(Workstation::open(&data_dir, Box::new(OsKeyring), Arc::new(SystemClock)))
}

fn refused_code(state: &AppState) -> ErrorCodeView {
    state.with_session(|session| session.list_users()).unwrap_err().code
}

#[test]
fn session_commands_need_a_signed_in_and_confirmed_session() {
    let folder = tempfile::tempdir().unwrap();
    let state = app_state(&folder);
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn, "no practice, no session");

    let form = SetupForm {
        practice_name: "Boundary Practice".into(),
        owner_full_name: "Bo Owner".into(),
        owner_username: "owner".into(),
        owner_password: "boundary owner password".into(),
    };
    let created = state.set_up_practice(form).unwrap();
    assert_eq!(refused_code(&state), ErrorCodeView::InvalidInput, "the recovery key must be confirmed first");
    let last_six = created.recovery_key[created.recovery_key.len() - 6..].to_owned();
    state.confirm_recovery_key(&last_six).unwrap();
    assert!(state.with_session(|session| session.list_users()).is_ok());

    assert!(matches!(state.lock().unwrap(), AppStatus::Locked { .. }));
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn, "a locked session reaches nothing");
    assert!(matches!(state.log_out().unwrap(), AppStatus::SignedOut));
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn);
}
