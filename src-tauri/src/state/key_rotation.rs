//! Deactivating a user, which rotates the database key, and rotating it by hand: long work with
//! progress, run one at a time with backups (both read the whole database), and cancellable
//! until the swap.

use std::sync::atomic::Ordering;

use chartkeep_clinic::{KeyRotation, UserSummary};
use chartkeep_vault::backup::BackupProgress;

use super::backups::Running;
use super::{AppState, CommandResult};
use crate::dto::CommandError;

impl AppState {
    fn one_at_a_time(&self) -> CommandResult<Running<'_>> {
        if self.backup_running.swap(true, Ordering::SeqCst) {
            return Err(CommandError::invalid(
                "backup",
                "A backup is being made. Wait for it to finish, then try again.",
            ));
        }
        self.backup_cancelled.store(false, Ordering::SeqCst);
        Ok(Running(&self.backup_running))
    }

    /// Deactivates a user, then rotates the database key (`progress` as it re-encrypts).
    pub fn deactivate_user(
        &self,
        user_id: &str,
        progress: &mut dyn FnMut(BackupProgress),
    ) -> CommandResult<UserSummary> {
        let _running = self.one_at_a_time()?;
        self.with_session(|session| {
            session.deactivate_user(user_id, &mut |report| {
                progress(report);
                !self.backup_cancelled.load(Ordering::SeqCst)
            })
        })
    }

    /// Rotates the database key by hand.
    pub fn rotate_database_key(&self, progress: &mut dyn FnMut(BackupProgress)) -> CommandResult<KeyRotation> {
        let _running = self.one_at_a_time()?;
        self.with_session(|session| {
            session.rotate_database_key(&mut |report| {
                progress(report);
                !self.backup_cancelled.load(Ordering::SeqCst)
            })
        })
    }
}
