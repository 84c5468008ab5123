//! Backups at the boundary: the Owner's settings, the list of backups, the home screen's status,
//! a verification report, what a backup holds, and progress. None of these hold patient data
//! (the practice's name and row counts at most).

use chartkeep_clinic::backups::{
    BackupCheck, BackupRecord, BackupSettings, BackupStatus, BackupSummary, BackupTrigger, BackupVerification,
    RestoreOutcome, RetentionPolicy, VerificationCheck,
};
use chartkeep_vault::backup::{BackupProgress, BackupStep};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::front_desk::narrow;

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupSettingsView {
    /// The folder backups go to; `null` until chosen.
    pub destination: Option<String>,
    /// `HH:MM` on this PC's clock; `null` for no daily backup.
    pub daily_at: Option<String>,
    /// On sign-out or exit, back up when the last verified backup is older (hours); `null` off.
    pub on_log_off_after_hours: Option<u32>,
    pub keep_daily: u32,
    pub keep_weekly: u32,
    pub keep_monthly: u32,
    /// Further age recipients (`age1…`).
    pub further_recipients: Vec<String>,
}

impl From<BackupSettings> for BackupSettingsView {
    fn from(settings: BackupSettings) -> Self {
        BackupSettingsView {
            destination: settings.destination,
            daily_at: settings.daily_at,
            on_log_off_after_hours: settings.on_log_off_after_hours,
            keep_daily: settings.retention.daily,
            keep_weekly: settings.retention.weekly,
            keep_monthly: settings.retention.monthly,
            further_recipients: settings.further_recipients,
        }
    }
}

impl From<BackupSettingsView> for BackupSettings {
    fn from(view: BackupSettingsView) -> Self {
        BackupSettings {
            destination: view.destination.filter(|folder| !folder.trim().is_empty()),
            daily_at: view.daily_at.filter(|time| !time.trim().is_empty()),
            on_log_off_after_hours: view.on_log_off_after_hours,
            retention: RetentionPolicy { daily: view.keep_daily, weekly: view.keep_weekly, monthly: view.keep_monthly },
            further_recipients: view.further_recipients,
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BackupTrigger")]
pub enum BackupTriggerView {
    Manual,
    Daily,
    LogOff,
    CommandLine,
    /// The backup this practice was restored from onto this PC.
    Restored,
}

impl From<BackupTrigger> for BackupTriggerView {
    fn from(trigger: BackupTrigger) -> Self {
        match trigger {
            BackupTrigger::Manual => BackupTriggerView::Manual,
            BackupTrigger::Daily => BackupTriggerView::Daily,
            BackupTrigger::LogOff => BackupTriggerView::LogOff,
            BackupTrigger::CommandLine => BackupTriggerView::CommandLine,
            BackupTrigger::Restored => BackupTriggerView::Restored,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupRecordView {
    pub id: String,
    pub file_name: String,
    pub folder: String,
    pub created_at: String,
    pub created_by: Option<String>,
    pub trigger: BackupTriggerView,
    /// Size in bytes (as a number the UI can format; exact up to 2^53).
    pub bytes: f64,
    pub verified_at: Option<String>,
    pub verification_passed: Option<bool>,
    pub verification_problems: Vec<String>,
    pub removed_at: Option<String>,
}

impl From<BackupRecord> for BackupRecordView {
    fn from(record: BackupRecord) -> Self {
        BackupRecordView {
            id: record.id,
            file_name: record.file_name,
            folder: record.folder,
            created_at: record.created_at,
            created_by: record.created_by,
            trigger: record.trigger.into(),
            bytes: record.bytes as f64,
            verified_at: record.verified_at,
            verification_passed: record.verification_passed,
            verification_problems: record.verification_problems,
            removed_at: record.removed_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupStatusView {
    pub last_verified: Option<BackupRecordView>,
    /// The last verified backup is older than 48 hours, or there is none.
    pub overdue: bool,
    pub destination: Option<String>,
    pub destination_reachable: bool,
}

impl From<BackupStatus> for BackupStatusView {
    fn from(status: BackupStatus) -> Self {
        BackupStatusView {
            last_verified: status.last_verified.map(Into::into),
            overdue: status.overdue,
            destination: status.destination,
            destination_reachable: status.destination_reachable,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationCheckView {
    pub check: BackupCheck,
    pub passed: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupVerificationView {
    pub passed: bool,
    pub checks: Vec<VerificationCheckView>,
    pub created_at: Option<String>,
}

impl From<BackupVerification> for BackupVerificationView {
    fn from(verification: BackupVerification) -> Self {
        let check = |check: VerificationCheck| VerificationCheckView {
            check: check.check,
            passed: check.passed,
            detail: check.detail,
        };
        BackupVerificationView {
            passed: verification.passed,
            checks: verification.checks.into_iter().map(check).collect(),
            created_at: verification.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupSummaryView {
    pub file_name: String,
    pub created_at: String,
    pub app_version: String,
    pub schema_version: u32,
    pub practice_name: String,
    pub patients: u32,
    pub encounters: u32,
    pub users: u32,
    pub audit_entries: u32,
    pub bytes: f64,
}

impl From<BackupSummary> for BackupSummaryView {
    fn from(summary: BackupSummary) -> Self {
        BackupSummaryView {
            file_name: summary.file_name,
            created_at: summary.created_at,
            app_version: summary.app_version,
            schema_version: summary.schema_version,
            practice_name: summary.practice_name,
            patients: narrow(summary.patients),
            encounters: narrow(summary.encounters),
            users: narrow(summary.users),
            audit_entries: narrow(summary.audit_entries),
            bytes: summary.bytes as f64,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreOutcomeView {
    pub summary: BackupSummaryView,
    pub pre_restore_copy: String,
}

impl From<RestoreOutcome> for RestoreOutcomeView {
    fn from(outcome: RestoreOutcome) -> Self {
        RestoreOutcomeView { summary: outcome.summary.into(), pre_restore_copy: outcome.pre_restore_copy }
    }
}

#[derive(Debug, Clone, Copy, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "BackupStep")]
pub enum BackupStepView {
    Snapshot,
    Writing,
    Reading,
    Checking,
    Reencrypting,
}

/// How far a backup, verification or restore has got, sent as the "backup-progress" event. The
/// UI works out the rate and the time left from `done` and `elapsedMs`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupProgressView {
    pub step: BackupStepView,
    pub done: f64,
    pub total: f64,
    /// Since the work started.
    pub elapsed_ms: f64,
}

impl BackupProgressView {
    pub fn of(progress: BackupProgress, elapsed: std::time::Duration) -> Self {
        BackupProgressView {
            step: match progress.step {
                BackupStep::Snapshot => BackupStepView::Snapshot,
                BackupStep::Writing => BackupStepView::Writing,
                BackupStep::Reading => BackupStepView::Reading,
                BackupStep::Checking => BackupStepView::Checking,
                BackupStep::Reencrypting => BackupStepView::Reencrypting,
            },
            done: progress.done as f64,
            total: progress.total as f64,
            elapsed_ms: elapsed.as_secs_f64() * 1000.0,
        }
    }
}
