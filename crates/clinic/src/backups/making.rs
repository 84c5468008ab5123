//! Making a backup: prepare under the session, run without it, finish under it again. The
//! backup is verified right after it is written, and rotation then removes what the Owner's
//! policy no longer keeps.

use std::path::{Path, PathBuf};

use chartkeep_vault::backup::{
    BackupDescription, BackupProgress, BackupSource, BackupUnlock, ManifestChainHead, WrittenBackup,
};

use super::checking::{BackupVerification, ExpectedRecipients, verify_backup};
use super::rotation::{KeptBackup, backups_to_remove};
use super::{BACKUP_WORK_FOLDER, BackupRecord, BackupTrigger, store};
use crate::audit::{self, AuditAction, AuditEvent, Detail, Outcome};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::session::Session;

/// What to back up to, and why.
#[derive(Debug, Clone)]
pub struct BackupRequest {
    pub trigger: BackupTrigger,
    /// A folder of its own (the command line's `--out`); otherwise the Owner's destination.
    pub folder: Option<PathBuf>,
}

/// A backup ready to run: everything it needs, so it can run while the app goes on working.
#[derive(Debug)]
pub struct BackupJob {
    id: String,
    trigger: BackupTrigger,
    source: BackupSource,
    work_folder: PathBuf,
    folder: PathBuf,
    file_name: String,
    created_at: String,
    practice_name: String,
    further_recipients: Vec<String>,
}

/// What running a job came to; [`Session::finish_backup`] records it.
#[derive(Debug)]
pub struct BackupJobOutcome {
    id: String,
    trigger: BackupTrigger,
    folder: PathBuf,
    created_at: String,
    result: ClinicResult<(WrittenBackup, BackupVerification)>,
}

fn file_name_for(now: time::OffsetDateTime) -> String {
    format!(
        "chartkeep-backup-{:04}-{:02}-{:02}T{:02}{:02}{:02}Z.{}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second(),
        chartkeep_vault::backup::BACKUP_EXTENSION
    )
}

impl Session {
    /// Checks the permission and the destination, and records that a backup starts.
    pub fn prepare_backup(&mut self, request: &BackupRequest) -> ClinicResult<BackupJob> {
        let mut authorized = self.authorize_backup(request.trigger)?;
        let settings = store::settings(authorized.connection())?;
        let folder = match (&request.folder, &settings.destination) {
            (Some(folder), _) => folder.clone(),
            (None, Some(destination)) => PathBuf::from(destination),
            (None, None) => {
                return Err(ClinicError::invalid("destination", "Choose the folder backups go to first."));
            }
        };
        if !folder.is_dir() {
            return Err(chartkeep_vault::VaultError::DestinationUnreachable(folder).into());
        }
        let now = authorized.now();
        let job = BackupJob {
            id: uuid::Uuid::new_v4().to_string(),
            trigger: request.trigger,
            source: authorized.vault().backup_source()?,
            work_folder: authorized.vault().data_dir().root().join(BACKUP_WORK_FOLDER),
            folder,
            file_name: file_name_for(now),
            created_at: timestamp(now),
            practice_name: authorized.session_mut().practice_name()?,
            further_recipients: settings.further_recipients,
        };
        authorized.record(
            &AuditEvent::success(AuditAction::Backup)
                .object("backup", &job.id)
                .category("whole_database")
                .reason("started")
                .detail("trigger", Detail::Code(job.trigger.as_str())),
        )?;
        Ok(job)
    }

    /// Records what a job came to, then applies the rotation. A failed job's error is returned
    /// after it has been recorded.
    pub fn finish_backup(&mut self, outcome: BackupJobOutcome) -> ClinicResult<BackupRecord> {
        let mut authorized = self.authorize_backup(outcome.trigger)?;
        let (written, verification) = match outcome.result {
            Ok(done) => done,
            Err(error) => {
                authorized.record(
                    &AuditEvent::new(AuditAction::Backup, Outcome::Failed)
                        .object("backup", &outcome.id)
                        .category("whole_database")
                        .reason(error_reason(&error))
                        .detail("trigger", Detail::Code(outcome.trigger.as_str())),
                )?;
                return Err(error);
            }
        };
        let user_id = authorized.user().id.clone();
        let verified_at = timestamp(authorized.now());
        let file_name = written.path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let folder = outcome.folder.to_string_lossy().into_owned();
        let mut change = authorized.begin_change()?;
        if verification.recipients_differ() {
            crate::audit_integrity::raise_alert(
                &mut change,
                crate::audit::IntegrityAlertKind::BackupRecipientsDiffer,
                None,
                &verified_at,
            )?;
        }
        store::insert_record(
            change.connection(),
            &store::NewRecord {
                id: &outcome.id,
                file_name: &file_name,
                folder: &folder,
                created_at: &outcome.created_at,
                created_by: &user_id,
                trigger: outcome.trigger,
                bytes: written.bytes,
                snapshot_sha256: &written.manifest.snapshot_sha256,
                audit_head_seq: written.manifest.audit_head.as_ref().map(|head| head.seq),
                verified_at: &verified_at,
                verification_passed: verification.passed,
                verification_problems: &verification.problems(),
            },
        )?;
        change.commit(
            &AuditEvent::new(AuditAction::Backup, if verification.passed { Outcome::Success } else { Outcome::Failed })
                .object("backup", &outcome.id)
                .category("whole_database")
                .reason(if verification.passed { "verified" } else { "verification_failed" })
                .detail("trigger", Detail::Code(outcome.trigger.as_str()))
                .detail("bytes", Detail::Count(written.bytes)),
        )?;
        self.rotate_backups(&outcome.folder)?;
        let authorized = self.authorize_backup(outcome.trigger)?;
        store::record_by_id(authorized.connection(), &outcome.id)?
            .ok_or(ClinicError::Internal("The backup just recorded cannot be read back."))
    }

    /// The gate for a backup: a scheduled one does not count as activity.
    fn authorize_backup(&mut self, trigger: BackupTrigger) -> ClinicResult<crate::session::Authorized<'_>> {
        if trigger.asked_for() {
            self.authorize(trigger.permission(), AuditAction::Backup)
        } else {
            self.authorize_in_background(trigger.permission(), AuditAction::Backup)
        }
    }

    /// Prepares, runs and finishes a backup in one go.
    pub fn back_up(
        &mut self,
        request: &BackupRequest,
        progress: &mut dyn FnMut(BackupProgress) -> bool,
    ) -> ClinicResult<BackupRecord> {
        let job = self.prepare_backup(request)?;
        let outcome = job.run(progress);
        self.finish_backup(outcome)
    }

    /// Removes the backups in `folder` that the retention policy no longer keeps.
    fn rotate_backups(&mut self, folder: &Path) -> ClinicResult<()> {
        let mut authorized =
            self.authorize_in_background(crate::permissions::Permission::RunScheduledBackup, AuditAction::Backup)?;
        let policy = store::settings(authorized.connection())?.retention;
        let folder_text = folder.to_string_lossy().into_owned();
        let records: Vec<BackupRecord> = store::records(authorized.connection(), 10_000)?
            .into_iter()
            .filter(|record| record.folder == folder_text && record.removed_at.is_none())
            .collect();
        let kept: Vec<KeptBackup> = records
            .iter()
            .filter_map(|record| {
                let created_at =
                    time::OffsetDateTime::parse(&record.created_at, &time::format_description::well_known::Rfc3339)
                        .ok()?;
                Some(KeptBackup { id: record.id.clone(), created_at, verified: record.verification_passed })
            })
            .collect();
        let remove = backups_to_remove(&kept, policy);
        if remove.is_empty() {
            return Ok(());
        }
        // The removal is recorded first and the files go after it commits: a crash in between
        // leaves an extra file the list calls removed, never a backup the list calls kept whose
        // file is gone (the torture run found that with the files removed first).
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        let removing: Vec<&BackupRecord> = records.iter().filter(|record| remove.contains(&record.id)).collect();
        for record in &removing {
            store::mark_removed(change.connection(), &record.id, &now)?;
        }
        chartkeep_vault::failpoints::hit("backup.rotation-before-commit")?;
        change.commit(
            &AuditEvent::success(AuditAction::Backup)
                .category("whole_database")
                .reason("rotation")
                .detail("removed", Detail::Count(removing.len() as u64)),
        )?;
        chartkeep_vault::failpoints::hit("backup.rotation-recorded")?;
        for record in removing {
            // A file already gone, or one that cannot be removed now, stays recorded as removed:
            // the worst left behind is an extra encrypted backup.
            let _ = std::fs::remove_file(folder.join(&record.file_name));
        }
        Ok(())
    }
}

/// The reason code a failed backup is recorded with.
fn error_reason(error: &ClinicError) -> &'static str {
    match error.code() {
        crate::error::ErrorCode::Cancelled => "cancelled",
        crate::error::ErrorCode::DestinationUnavailable => "destination_unavailable",
        _ => "failed",
    }
}

impl BackupJob {
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// Snapshot, encryption, verification. Needs no session; nothing is left behind on failure.
    pub fn run(self, progress: &mut dyn FnMut(BackupProgress) -> bool) -> BackupJobOutcome {
        let result = self.write_and_verify(progress);
        BackupJobOutcome {
            id: self.id,
            trigger: self.trigger,
            folder: self.folder,
            created_at: self.created_at,
            result,
        }
    }

    fn write_and_verify(
        &self,
        progress: &mut dyn FnMut(BackupProgress) -> bool,
    ) -> ClinicResult<(WrittenBackup, BackupVerification)> {
        let snapshot = self.source.take_snapshot(&self.work_folder, progress)?;
        let audit_head = audit::chain_head(&snapshot.open_read_only()?)?
            .map(|head| ManifestChainHead { seq: head.seq, hash: hex::encode(&head.hash) });
        let description = BackupDescription {
            app_version: env!("CARGO_PKG_VERSION"),
            created_at: &self.created_at,
            practice_name: &self.practice_name,
            audit_head,
            further_recipients: &self.further_recipients,
        };
        let written = self.source.write_backup(&snapshot, &description, &self.folder, &self.file_name, progress)?;
        drop(snapshot);
        let expected =
            ExpectedRecipients { recovery: self.source.recovery_recipient(), further: Some(&self.further_recipients) };
        let unlock = BackupUnlock::Practice(&self.source);
        let verification = verify_backup(&written.path, unlock, Some(expected), &self.work_folder, progress)?;
        Ok((written, verification))
    }
}
