//! The Tauri commands: arguments in, one call, a DTO or a `{code, message}` error out.

pub mod access;
pub mod audit;
pub mod backups;
pub mod chart;
pub mod front_desk;
pub mod patients;

use chartkeep_vault::{Password, RecoveryKey};
use tauri::State;

use crate::dto::{AppStatus, CommandError, PendingRecoveryKeyView, SavedFileView, SetupForm};
use crate::save_dialog::{SaveDialog, ask_where_to_save};
use crate::state::AppState;

type Reply<T> = Result<T, CommandError>;

#[tauri::command]
pub fn app_status(state: State<'_, AppState>) -> Reply<AppStatus> {
    state.status()
}

#[tauri::command(async)]
pub fn set_up_practice(state: State<'_, AppState>, form: SetupForm) -> Reply<AppStatus> {
    state.set_up_practice(form)
}

/// The recovery key again, only on the recovery key step (after setup, or after unlocking a
/// lock taken on that step).
#[tauri::command]
pub fn pending_recovery_key(state: State<'_, AppState>) -> Reply<PendingRecoveryKeyView> {
    state.pending_recovery_key()
}

/// Saves the Recovery Kit PDF where the owner chooses; `None` when they closed the dialog.
#[tauri::command(async)]
pub fn save_recovery_kit(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    suggested_name: String,
) -> Reply<Option<SavedFileView>> {
    let dialog =
        SaveDialog { title: "Save the Recovery Kit", suggested_name: &suggested_name, kind: "PDF", extension: "pdf" };
    let Some(destination) = ask_where_to_save(&app, dialog) else { return Ok(None) };
    state.save_recovery_kit(&destination)?;
    Ok(Some(SavedFileView::of(&destination, 1)))
}

#[tauri::command]
pub fn confirm_recovery_key(state: State<'_, AppState>, last_characters: String) -> Reply<AppStatus> {
    state.confirm_recovery_key(&last_characters)
}

#[tauri::command(async)]
pub fn log_in(state: State<'_, AppState>, username: String, password: String) -> Reply<AppStatus> {
    state.log_in(&username, &Password::new(password))
}

#[tauri::command(async)]
pub fn unlock(state: State<'_, AppState>, password: String) -> Reply<AppStatus> {
    state.unlock(&Password::new(password))
}

#[tauri::command]
pub fn lock(state: State<'_, AppState>) -> Reply<AppStatus> {
    state.lock()
}

/// Signs out; first a backup when the Owner's policy says one is due ("backup-progress" events).
#[tauri::command(async)]
pub fn log_out(app: tauri::AppHandle, state: State<'_, AppState>) -> Reply<AppStatus> {
    state.log_out(&mut backups::progress_events(&app))
}

#[tauri::command(async)]
pub fn recover(state: State<'_, AppState>, recovery_key: String, new_password: String) -> Reply<AppStatus> {
    state.recover(&RecoveryKey::parse(&recovery_key), &Password::new(new_password))
}
