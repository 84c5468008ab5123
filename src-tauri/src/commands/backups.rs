//! Backup commands: settings, the list and the home status, "Back up now", verifying a file,
//! restoring on this PC and onto a new one, and the daily schedule's tick. Long work reports
//! "backup-progress" events; `cancel_backup` stops it before anything changes.

use std::path::PathBuf;
use std::time::Instant;

use chartkeep_clinic::backups::BackupTrigger;
use chartkeep_vault::backup::BackupProgress;
use chartkeep_vault::{Password, RecoveryKey};
use tauri::{AppHandle, Emitter, Manager, State};

use super::Reply;
use crate::dto::AppStatus;
use crate::dto::backups::{
    BackupProgressView, BackupRecordView, BackupSettingsView, BackupStatusView, BackupSummaryView,
    BackupVerificationView, RestoreOutcomeView,
};
use crate::state::AppState;

pub const BACKUP_PROGRESS: &str = "backup-progress";
/// Sent when a daily backup started by the tick ends: `true` when it was made and verified.
pub const DAILY_BACKUP_FINISHED: &str = "daily-backup-finished";

/// Sends progress reports to the window.
pub fn progress_events(app: &AppHandle) -> impl FnMut(BackupProgress) + use<> {
    let app = app.clone();
    let started = Instant::now();
    move |progress| {
        let _ = app.emit(BACKUP_PROGRESS, BackupProgressView::of(progress, started.elapsed()));
    }
}

#[tauri::command]
pub fn backup_settings(state: State<'_, AppState>) -> Reply<BackupSettingsView> {
    state.with_session(|session| session.backup_settings()).map(Into::into)
}

#[tauri::command]
pub fn update_backup_settings(state: State<'_, AppState>, settings: BackupSettingsView) -> Reply<BackupSettingsView> {
    state.with_session(|session| session.update_backup_settings(&settings.into())).map(Into::into)
}

#[tauri::command]
pub fn backups(state: State<'_, AppState>) -> Reply<Vec<BackupRecordView>> {
    Ok(state.with_session(|session| session.backups())?.into_iter().map(Into::into).collect())
}

#[tauri::command]
pub fn backup_status(state: State<'_, AppState>) -> Reply<BackupStatusView> {
    state.with_session(|session| session.backup_status()).map(Into::into)
}

#[tauri::command(async)]
pub fn back_up_now(app: AppHandle, state: State<'_, AppState>) -> Reply<BackupRecordView> {
    state.run_backup(BackupTrigger::Manual, &mut progress_events(&app)).map(Into::into)
}

#[tauri::command]
pub fn cancel_backup(state: State<'_, AppState>) {
    state.cancel_backup();
}

/// Verifies a backup file; `cancel_backup` stops it.
#[tauri::command(async)]
pub fn verify_backup(app: AppHandle, state: State<'_, AppState>, path: PathBuf) -> Reply<BackupVerificationView> {
    state.verify_backup(&path, &mut progress_events(&app)).map(Into::into)
}

#[tauri::command(async)]
pub fn inspect_backup(state: State<'_, AppState>, path: PathBuf, recovery_key: String) -> Reply<BackupSummaryView> {
    let key = RecoveryKey::parse(&recovery_key);
    state.with_session(|session| session.inspect_backup(&path, &key)).map(Into::into)
}

/// Replaces this practice's database with the backup; everyone signs in again afterwards.
#[tauri::command(async)]
pub fn restore_backup(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
    recovery_key: String,
) -> Reply<RestoreOutcomeView> {
    let key = RecoveryKey::parse(&recovery_key);
    state.restore_backup(&path, &key, &mut progress_events(&app)).map(Into::into)
}

/// What a backup holds, for the first-run screen's "Restore from a backup" (no one signed in).
#[tauri::command(async)]
pub fn inspect_backup_for_new_pc(path: PathBuf, recovery_key: String) -> Reply<BackupSummaryView> {
    let key = RecoveryKey::parse(&recovery_key);
    Ok(chartkeep_clinic::backups::inspect_backup_with_key(&path, &key)?.into())
}

#[tauri::command(async)]
pub fn restore_onto_this_pc(
    app: AppHandle,
    state: State<'_, AppState>,
    path: PathBuf,
    recovery_key: String,
    new_password: String,
) -> Reply<AppStatus> {
    let key = RecoveryKey::parse(&recovery_key);
    state.restore_onto_this_pc(&path, &key, &Password::new(new_password), &mut progress_events(&app))
}

/// Called every minute by the signed-in window: starts the daily backup when it is due.
#[tauri::command]
pub fn backup_tick(app: AppHandle, state: State<'_, AppState>, offset_minutes: i16) -> Reply<bool> {
    if !state.daily_backup_due(offset_minutes)? {
        return Ok(false);
    }
    let spawned = std::thread::Builder::new().name("daily-backup".into()).spawn(move || {
        let result = app.state::<AppState>().run_backup(BackupTrigger::Daily, &mut progress_events(&app));
        let _ = app
            .emit(DAILY_BACKUP_FINISHED, result.as_ref().is_ok_and(|record| record.verification_passed == Some(true)));
    });
    Ok(spawned.is_ok())
}
