//! Backups and restores in the app's screen flow. A backup is prepared under the session, runs
//! without holding it (so the app keeps working), and is finished under the session again; if
//! the screen locked meanwhile, its result waits and is recorded at the next sign-in. One backup
//! runs at a time. A restore on this PC ends the session; one onto a new PC signs the Owner in.

use std::path::Path;
use std::sync::atomic::Ordering;

use chartkeep_clinic::backups::{BackupJobOutcome, BackupRecord, BackupRequest, BackupTrigger, RestoreOutcome};
use chartkeep_vault::backup::BackupProgress;
use chartkeep_vault::{KdfChoice, Password, RecoveryKey};

use super::{AppState, CommandResult, Screen, status_of};
use crate::dto::{AppStatus, CommandError};

/// Clears the "running" flag however the backup ends.
pub(super) struct Running<'a>(pub(super) &'a std::sync::atomic::AtomicBool);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl AppState {
    /// Makes a backup. `progress` is called as it goes; [`AppState::cancel_backup`] stops it.
    pub fn run_backup(
        &self,
        trigger: BackupTrigger,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> CommandResult<BackupRecord> {
        if self.backup_running.swap(true, Ordering::SeqCst) {
            return Err(CommandError::invalid("backup", "A backup is already being made. Wait for it to finish."));
        }
        let _running = Running(&self.backup_running);
        self.backup_cancelled.store(false, Ordering::SeqCst);
        let job = self.with_session(|session| session.prepare_backup(&BackupRequest { trigger, folder: None }))?;
        let outcome = job.run(&mut |report| {
            progress(report);
            !self.backup_cancelled.load(Ordering::SeqCst)
        });
        self.finish_backup(outcome)
    }

    /// Records a finished backup; when no one is signed in now, keeps it for the next sign-in.
    fn finish_backup(&self, outcome: BackupJobOutcome) -> CommandResult<BackupRecord> {
        let mut waiting = Some(outcome);
        let finished = self.with_screen(|screen| match screen {
            Screen::SignedIn { session, .. } => match waiting.take() {
                Some(outcome) => session.finish_backup(outcome).map(Some).map_err(CommandError::from),
                None => Ok(None),
            },
            _ => Ok(None),
        })?;
        match (finished, waiting) {
            (Some(record), _) => Ok(record),
            (None, Some(outcome)) => {
                *self.pending_backup.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(outcome);
                Err(CommandError::not_signed_in())
            }
            (None, None) => Err(CommandError::not_signed_in()),
        }
    }

    /// Records a backup that finished while the screen was locked.
    pub(super) fn finish_pending_backup(&self) {
        let pending = self.pending_backup.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(outcome) = pending
            && let Err(error) = self.finish_backup(outcome)
        {
            tracing::warn!(code = ?error.code, "a backup made while the screen was locked could not be recorded");
        }
    }

    /// Verifies a backup of this practice; [`AppState::cancel_backup`] stops it.
    pub fn verify_backup(
        &self,
        path: &Path,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> CommandResult<chartkeep_clinic::backups::BackupVerification> {
        self.backup_cancelled.store(false, Ordering::SeqCst);
        self.with_session(|session| {
            session.verify_backup_file(path, &mut |report| {
                progress(report);
                !self.backup_cancelled.load(Ordering::SeqCst)
            })
        })
    }

    pub fn cancel_backup(&self) {
        self.backup_cancelled.store(true, Ordering::SeqCst);
    }

    /// Whether the daily backup is due now, on the clock at `offset_minutes` from UTC (the PC's
    /// time zone, as the window reports it), and none is running.
    pub fn daily_backup_due(&self, offset_minutes: i16) -> CommandResult<bool> {
        let offset = time::UtcOffset::from_whole_seconds(i32::from(offset_minutes) * 60)
            .map_err(|_| CommandError::invalid("offsetMinutes", "That is not a time zone offset."))?;
        if self.backup_running.load(Ordering::SeqCst) {
            return Ok(false);
        }
        self.with_session(|session| session.daily_backup_due(offset))
    }

    /// Before signing out or closing: a backup when the last verified one is too old. A failure
    /// is logged and does not keep anyone from leaving.
    pub(super) fn back_up_before_leaving(&self, progress: &mut dyn FnMut(BackupProgress)) {
        let due = self.with_session(|session| session.log_off_backup_due()).unwrap_or(false);
        if due && let Err(error) = self.run_backup(BackupTrigger::LogOff, progress) {
            tracing::warn!(code = ?error.code, "the backup before signing out failed");
        }
    }

    /// Decrypts and checks a backup of this practice, then replaces the database with it. The
    /// session ends; everyone signs in again.
    pub fn restore_backup(
        &self,
        path: &Path,
        key: &RecoveryKey,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> CommandResult<RestoreOutcome> {
        self.backup_cancelled.store(false, Ordering::SeqCst);
        let prepared = self.with_session(|session| {
            session.prepare_restore(path, key, &mut |report| {
                progress(report);
                !self.backup_cancelled.load(Ordering::SeqCst)
            })
        })?;
        self.with_screen(|screen| {
            let Some((session, _)) = screen.take_session() else {
                return Err(CommandError::not_signed_in());
            };
            Ok(session.complete_restore(prepared)?)
        })
    }

    /// Restores a backup onto this PC from the first-run screen (no practice here, or its keyring
    /// entry is gone) and signs the Owner in with `new_password`.
    pub fn restore_onto_this_pc(
        &self,
        path: &Path,
        key: &RecoveryKey,
        new_password: &Password,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.backup_cancelled.store(false, Ordering::SeqCst);
        let session =
            workstation.restore_onto_this_pc(path, key, new_password, KdfChoice::Calibrated, &mut |report| {
                progress(report);
                !self.backup_cancelled.load(Ordering::SeqCst)
            })?;
        self.with_screen(|screen| {
            *screen = Screen::SignedIn { session: Box::new(session), unconfirmed_recovery_key: None };
            status_of(workstation, screen)
        })
    }
}
