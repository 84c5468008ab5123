//! Encrypted backups for the practice: the Owner's settings, making a backup (by hand, daily,
//! on sign-out, from the command line), verifying it, keeping a rotation, and restoring, on this
//! PC or onto a new one. The file format and the swap are the vault's (`chartkeep_vault::backup`);
//! this module adds what the practice needs: permissions, the audit trail, the audit chain's
//! check inside a backup, and the list of backups with their verification.
//!
//! Making a backup is three steps, so the app keeps working while the file is written:
//! [`Session::prepare_backup`] (under the session: permission, settings, the audit entry),
//! [`BackupJob::run`] (no session needed: snapshot, encryption, verification), and
//! [`Session::finish_backup`] (under the session again: the list, the audit entry with the
//! result, rotation). [`Session::back_up`] runs all three.

mod checking;
mod making;
mod restoring;
pub mod rotation;
pub mod schedule;
mod store;

use serde::{Deserialize, Serialize};

pub use checking::{BackupCheck, BackupVerification, VerificationCheck, verify_backup_with_key};
pub use making::{BackupJob, BackupJobOutcome, BackupRequest};
pub use restoring::{BackupSummary, RestoreOutcome, inspect_backup_with_key};
pub use rotation::RetentionPolicy;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::Session;

/// Where backups are written from, in the data folder: snapshots wait here, encrypted.
pub(crate) const BACKUP_WORK_FOLDER: &str = "backup-work";
/// Where a backup's database is decrypted (still SQLCipher-encrypted) before a restore.
pub(crate) const RESTORE_WORK_FOLDER: &str = "restore-work";

/// The Owner's backup settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupSettings {
    /// The folder backups go to; `None` until the Owner chooses one.
    pub destination: Option<String>,
    /// A daily backup at this local time (`HH:MM`) while the app is unlocked.
    pub daily_at: Option<String>,
    /// On sign-out or exit, back up when the last verified backup is older than this.
    pub on_log_off_after_hours: Option<u32>,
    pub retention: RetentionPolicy,
    /// Further age recipients (`age1…`), e.g. an off-site custodian's public key.
    pub further_recipients: Vec<String>,
}

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BackupTrigger {
    Manual,
    Daily,
    LogOff,
    CommandLine,
    /// The backup this practice was restored from onto this PC (listed, not made here).
    Restored,
}

impl BackupTrigger {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Backups the Owner asked for need the Owner's permission; the scheduled ones run under
    /// whoever is signed in, because the Owner set the schedule.
    fn permission(self) -> Permission {
        match self {
            BackupTrigger::Manual | BackupTrigger::CommandLine | BackupTrigger::Restored => Permission::ManageBackups,
            BackupTrigger::Daily | BackupTrigger::LogOff => Permission::RunScheduledBackup,
        }
    }

    /// Whether someone at the screen asked for it (otherwise it does not count as activity).
    fn asked_for(self) -> bool {
        !matches!(self, BackupTrigger::Daily | BackupTrigger::LogOff)
    }
}

/// A backup in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupRecord {
    pub id: String,
    pub file_name: String,
    pub folder: String,
    pub created_at: String,
    /// "Full name (username)"; `None` if that user is gone.
    pub created_by: Option<String>,
    pub trigger: BackupTrigger,
    pub bytes: u64,
    pub verified_at: Option<String>,
    pub verification_passed: Option<bool>,
    pub verification_problems: Vec<String>,
    /// When rotation removed the file.
    pub removed_at: Option<String>,
}

/// What the Owner's home shows about backups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupStatus {
    pub last_verified: Option<BackupRecord>,
    /// Whether the last verified backup is older than 48 hours (or there is none).
    pub overdue: bool,
    pub destination: Option<String>,
    /// Whether the destination folder can be written to now.
    pub destination_reachable: bool,
}

/// The age after which the home screen warns.
pub const OVERDUE_AFTER_HOURS: i64 = 48;

fn check_settings(settings: &BackupSettings) -> ClinicResult<()> {
    let mut problems = Vec::new();
    if let Some(destination) = &settings.destination
        && !std::path::Path::new(destination).is_dir()
    {
        problems.push(("destination", "Choose a folder that exists (connect the drive first).".to_owned()));
    }
    if let Some(time) = &settings.daily_at
        && schedule::parse_time_of_day(time).is_none()
    {
        problems.push(("daily_at", "Write the time as HH:MM, for example 18:30.".to_owned()));
    }
    if let Some(hours) = settings.on_log_off_after_hours
        && !(1..=720).contains(&hours)
    {
        problems.push(("on_log_off_after_hours", "Choose between 1 and 720 hours.".to_owned()));
    }
    let retention = &settings.retention;
    if !(1..=366).contains(&retention.daily) {
        problems.push(("keep_daily", "Keep between 1 and 366 daily backups.".to_owned()));
    }
    if retention.weekly > 260 {
        problems.push(("keep_weekly", "Keep at most 260 weekly backups.".to_owned()));
    }
    if retention.monthly > 120 {
        problems.push(("keep_monthly", "Keep at most 120 monthly backups.".to_owned()));
    }
    for recipient in &settings.further_recipients {
        if chartkeep_vault::backup::parse_recipient(recipient).is_err() {
            problems
                .push(("further_recipients", format!("{recipient:?} is not an age public key (it starts with age1).")));
        }
    }
    ClinicError::fields_or_ok(problems)
}

/// Whether files can be created in `folder` now.
pub(crate) fn folder_is_writable(folder: &std::path::Path) -> bool {
    let probe = folder.join(format!(".chartkeep-probe-{}", uuid::Uuid::new_v4()));
    let written = std::fs::write(&probe, b"probe").is_ok();
    let _ = std::fs::remove_file(&probe);
    written
}

impl Session {
    pub fn backup_settings(&mut self) -> ClinicResult<BackupSettings> {
        let authorized = self.authorize(Permission::ManageBackups, AuditAction::SettingsViewed)?;
        store::settings(authorized.connection())
    }

    pub fn update_backup_settings(&mut self, settings: &BackupSettings) -> ClinicResult<BackupSettings> {
        let mut authorized = self.authorize(Permission::ManageBackups, AuditAction::SettingsChanged)?;
        let mut settings = settings.clone();
        settings.further_recipients = settings.further_recipients.iter().map(|r| r.trim().to_owned()).collect();
        settings.further_recipients.retain(|recipient| !recipient.is_empty());
        settings.further_recipients.dedup();
        check_settings(&settings)?;
        let old = store::settings(authorized.connection())?;
        let mut changed = Vec::new();
        if old.destination != settings.destination {
            changed.push("destination");
        }
        if old.daily_at != settings.daily_at || old.on_log_off_after_hours != settings.on_log_off_after_hours {
            changed.push("schedule");
        }
        if old.retention != settings.retention {
            changed.push("retention");
        }
        if old.further_recipients != settings.further_recipients {
            changed.push("further_recipients");
        }
        if changed.is_empty() {
            return Ok(old);
        }
        let change = authorized.begin_change()?;
        store::save_settings(change.connection(), &settings)?;
        change.commit(
            &AuditEvent::success(AuditAction::SettingsChanged)
                .category("backup_settings")
                .detail("changed", Detail::Fields(changed))
                .detail("further_recipients", Detail::Count(settings.further_recipients.len() as u64)),
        )?;
        store::settings(authorized.connection())
    }

    /// The backups made, newest first.
    pub fn backups(&mut self) -> ClinicResult<Vec<BackupRecord>> {
        let authorized = self.authorize(Permission::ManageBackups, AuditAction::SettingsViewed)?;
        store::records(authorized.connection(), 500)
    }

    /// Whether the Owner's daily backup is due now, on the clock at `offset` (the PC's time zone).
    pub fn daily_backup_due(&mut self, offset: time::UtcOffset) -> ClinicResult<bool> {
        let authorized = self.authorize_in_background(Permission::RunScheduledBackup, AuditAction::Backup)?;
        let settings = store::settings(authorized.connection())?;
        if settings.destination.is_none() {
            return Ok(false);
        }
        let last = store::records(authorized.connection(), 1)?.into_iter().next().map(|record| record.created_at);
        Ok(schedule::daily_backup_due(settings.daily_at.as_deref(), last.as_deref(), authorized.now(), offset))
    }

    /// Whether signing out (or closing the app) should make a backup first.
    pub fn log_off_backup_due(&mut self) -> ClinicResult<bool> {
        let authorized = self.authorize_in_background(Permission::RunScheduledBackup, AuditAction::Backup)?;
        let settings = store::settings(authorized.connection())?;
        if settings.destination.is_none() {
            return Ok(false);
        }
        let last = store::last_verified(authorized.connection())?.map(|record| record.created_at);
        Ok(schedule::log_off_backup_due(settings.on_log_off_after_hours, last.as_deref(), authorized.now()))
    }

    /// The last verified backup and whether the Owner should be warned.
    pub fn backup_status(&mut self) -> ClinicResult<BackupStatus> {
        let authorized = self.authorize(Permission::ManageBackups, AuditAction::SettingsViewed)?;
        let last_verified = store::last_verified(authorized.connection())?;
        let settings = store::settings(authorized.connection())?;
        let now = authorized.now();
        let overdue = match &last_verified {
            Some(record) => {
                schedule::hours_since(&record.created_at, now).is_none_or(|hours| hours >= OVERDUE_AFTER_HOURS)
            }
            None => true,
        };
        let destination_reachable =
            settings.destination.as_deref().is_some_and(|folder| folder_is_writable(std::path::Path::new(folder)));
        Ok(BackupStatus { last_verified, overdue, destination: settings.destination, destination_reachable })
    }
}
