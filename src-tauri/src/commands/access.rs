//! Commands of access control: user administration, my account, settings, and activity.
//! Each is arguments in, one core call on the signed-in session, a DTO out.

use chartkeep_vault::{KdfChoice, Password};
use tauri::State;

use super::Reply;
use crate::dto::{
    AccessSettingsView, AppStatus, EmergencyAccessForReviewView, IssuedPasswordView, KeyRotationView, NewUserForm,
    RoleView, TotpEnrolmentView, UserSummaryView, roles_from_views,
};
use crate::state::AppState;

/// Activity in the UI (sent at most every few seconds); answers the lock screen once the
/// session has run out.
#[tauri::command]
pub fn touch(state: State<'_, AppState>) -> Reply<AppStatus> {
    state.touch()
}

#[tauri::command]
pub fn list_users(state: State<'_, AppState>) -> Reply<Vec<UserSummaryView>> {
    let users = state.with_session(|session| session.list_users())?;
    Ok(users.into_iter().map(UserSummaryView::from).collect())
}

#[tauri::command(async)]
pub fn create_user(state: State<'_, AppState>, form: NewUserForm) -> Reply<IssuedPasswordView> {
    let new_user = chartkeep_clinic::NewUser {
        full_name: form.full_name,
        username: form.username,
        roles: roles_from_views(&form.roles),
    };
    state.with_session(|session| session.create_user(&new_user, KdfChoice::Calibrated)).map(IssuedPasswordView::from)
}

#[tauri::command]
pub fn change_roles(state: State<'_, AppState>, user_id: String, roles: Vec<RoleView>) -> Reply<UserSummaryView> {
    state.with_session(|session| session.change_roles(&user_id, &roles_from_views(&roles))).map(UserSummaryView::from)
}

/// Deactivates a user and rotates the database key ("backup-progress" events as it
/// re-encrypts; `cancel_backup` stops it before the swap).
#[tauri::command(async)]
pub fn deactivate_user(app: tauri::AppHandle, state: State<'_, AppState>, user_id: String) -> Reply<UserSummaryView> {
    state.deactivate_user(&user_id, &mut super::backups::progress_events(&app)).map(UserSummaryView::from)
}

/// Rotates the database key by hand, with progress.
#[tauri::command(async)]
pub fn rotate_database_key(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<KeyRotationView> {
    state.rotate_database_key(&mut super::backups::progress_events(&app)).map(KeyRotationView::from)
}

/// Since when a rotation has been needed and not completed, for the Owner's reminder.
#[tauri::command]
pub fn database_key_rotation_needed(state: State<'_, AppState>) -> Reply<Option<String>> {
    state.with_session(|session| session.database_key_rotation_needed())
}

#[tauri::command(async)]
pub fn reactivate_user(state: State<'_, AppState>, user_id: String) -> Reply<IssuedPasswordView> {
    state.with_session(|session| session.reactivate_user(&user_id, KdfChoice::Calibrated)).map(IssuedPasswordView::from)
}

#[tauri::command(async)]
pub fn reset_password(state: State<'_, AppState>, user_id: String) -> Reply<IssuedPasswordView> {
    state.with_session(|session| session.reset_password(&user_id, KdfChoice::Calibrated)).map(IssuedPasswordView::from)
}

#[tauri::command]
pub fn unlock_account(state: State<'_, AppState>, user_id: String) -> Reply<UserSummaryView> {
    state.with_session(|session| session.unlock_account(&user_id)).map(UserSummaryView::from)
}

#[tauri::command(async)]
pub fn change_own_password(state: State<'_, AppState>, current: String, new_password: String) -> Reply<AppStatus> {
    let (current, new_password) = (Password::new(current), Password::new(new_password));
    state.with_session(|session| session.change_own_password(&current, &new_password, KdfChoice::Calibrated))?;
    state.status()
}

#[tauri::command]
pub fn access_settings(state: State<'_, AppState>) -> Reply<AccessSettingsView> {
    state.with_session(|session| session.access_settings()).map(AccessSettingsView::from)
}

#[tauri::command]
pub fn update_access_settings(state: State<'_, AppState>, settings: AccessSettingsView) -> Reply<AccessSettingsView> {
    let settings = settings.into();
    state.with_session(|session| session.update_access_settings(&settings)).map(AccessSettingsView::from)
}

/// The code after the password, from the authenticator app or a recovery code.
#[tauri::command]
pub fn verify_second_factor(state: State<'_, AppState>, code: String) -> Reply<AppStatus> {
    state.with_session(|session| session.verify_second_factor(&code))?;
    state.status()
}

#[tauri::command]
pub fn begin_second_factor_enrolment(state: State<'_, AppState>) -> Reply<TotpEnrolmentView> {
    state.with_session(|session| session.begin_second_factor_enrolment()).map(TotpEnrolmentView::from)
}

/// Confirms enrolment with a first code; answers the recovery codes, shown once.
#[tauri::command]
pub fn confirm_second_factor_enrolment(state: State<'_, AppState>, code: String) -> Reply<Vec<String>> {
    state.with_session(|session| session.confirm_second_factor_enrolment(&code))
}

#[tauri::command]
pub fn reset_second_factor(state: State<'_, AppState>, user_id: String) -> Reply<UserSummaryView> {
    state.with_session(|session| session.reset_second_factor(&user_id)).map(UserSummaryView::from)
}

#[tauri::command]
pub fn unreviewed_emergency_accesses(state: State<'_, AppState>) -> Reply<Vec<EmergencyAccessForReviewView>> {
    let accesses = state.with_session(|session| session.unreviewed_emergency_accesses())?;
    Ok(accesses.into_iter().map(EmergencyAccessForReviewView::from).collect())
}

#[tauri::command]
pub fn review_emergency_access(state: State<'_, AppState>, access_id: String, comment: String) -> Reply<()> {
    state.with_session(|session| session.review_emergency_access(&access_id, &comment))
}
