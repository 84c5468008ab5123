//! Restoring a backup. On this PC: [`Session::prepare_restore`] decrypts and checks the backup
//! (cancellable, nothing changes), then [`Session::complete_restore`] records the restore in
//! both databases and swaps the restored one in, ending the session. Onto a new PC (or one whose
//! keyring entry is gone): [`Workstation::restore_onto_this_pc`] does the same from the first-run
//! screen and signs the Owner in with a new password. The restore is always recorded in the
//! restored database's audit chain, naming the backup.

use std::path::Path;

use chartkeep_vault::backup::{
    BackupManifest, BackupProgress, BackupUnlock, OpenedBackup, Snapshot, install_onto_this_pc, open_backup,
};
use chartkeep_vault::{ChainAnchor, KdfChoice, Password, RecoveryKey, VaultError};
use serde::Serialize;

use super::{RESTORE_WORK_FOLDER, store};
use crate::audit::{self, AuditAction, AuditEvent, AuditKey, ChainVerification, Detail};
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::Session;
use crate::validation::check_new_password;
use crate::workstation::{PracticeState, Workstation};

/// What a backup holds, to show before restoring it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupSummary {
    pub file_name: String,
    pub created_at: String,
    pub app_version: String,
    pub schema_version: u32,
    pub practice_name: String,
    pub patients: u64,
    pub encounters: u64,
    pub users: u64,
    pub audit_entries: u64,
    pub bytes: u64,
}

impl BackupSummary {
    fn of(path: &Path, manifest: &BackupManifest) -> Self {
        let count = |table: &str| manifest.row_counts.get(table).copied().unwrap_or(0);
        BackupSummary {
            file_name: path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default(),
            created_at: manifest.created_at.clone(),
            app_version: manifest.app_version.clone(),
            schema_version: manifest.schema_version,
            practice_name: manifest.practice_name.clone(),
            patients: count("patients"),
            encounters: count("encounters"),
            users: count("users"),
            audit_entries: count("audit_log"),
            bytes: manifest.snapshot_bytes,
        }
    }
}

/// A restore on this PC, done: sign in again to use the restored database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RestoreOutcome {
    pub summary: BackupSummary,
    /// The encrypted copy of the database as it was before, in the data folder.
    pub pre_restore_copy: String,
}

/// A backup decrypted and checked, ready to replace the database.
#[derive(Debug)]
pub struct PreparedRestore {
    snapshot: Snapshot,
    summary: BackupSummary,
}

impl PreparedRestore {
    pub fn summary(&self) -> &BackupSummary {
        &self.summary
    }
}

/// Reads what a backup holds with a key, with no practice open (the new-PC path shows it).
pub fn inspect_backup_with_key(path: &Path, key: &RecoveryKey) -> ClinicResult<BackupSummary> {
    let opened = open_backup(path, BackupUnlock::Key(key))?;
    Ok(BackupSummary::of(path, &opened.manifest))
}

/// Decrypts and checks a backup's database: every check verification makes must pass.
fn extract_checked(
    opened: &OpenedBackup,
    work_folder: &Path,
    progress: &mut dyn FnMut(BackupProgress) -> bool,
) -> ClinicResult<Snapshot> {
    let snapshot = opened.extract_snapshot(work_folder, progress)?;
    let found = snapshot.check(progress)?;
    if !found.problems.is_empty() {
        return Err(VaultError::BackupDamaged(found.problems.join("; ")).into());
    }
    if found.row_counts != opened.manifest.row_counts {
        return Err(VaultError::BackupDamaged("its tables do not have the rows its manifest counted".into()).into());
    }
    let connection = snapshot.open_read_only()?;
    match audit::verify_chain(&connection, &AuditKey::from_snapshot(&snapshot)?)? {
        ChainVerification::Intact { head, .. }
            if head.as_ref().map(|head| (head.seq, hex::encode(&head.hash)))
                == opened.manifest.audit_head.as_ref().map(|head| (head.seq, head.hash.clone())) => {}
        verification => {
            return Err(VaultError::BackupDamaged(format!(
                "its audit chain does not verify ({})",
                verification.describe()
            ))
            .into());
        }
    }
    drop(connection);
    Ok(snapshot)
}

fn restore_event(summary: &BackupSummary, reason: &'static str) -> AuditEvent {
    AuditEvent::success(AuditAction::Restore)
        .object("backup_file", &summary.file_name)
        .category("whole_database")
        .reason(reason)
        .detail("backup_created_at", Detail::Identifier(summary.created_at.clone()))
}

impl Session {
    /// Lists the backup the practice was just restored from onto this PC: it was checked in
    /// full, so it counts as a verified backup until this PC makes its own.
    fn list_restored_backup(&mut self, path: &Path, manifest: &BackupManifest) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::ManageBackups, AuditAction::Backup)?;
        let id = uuid::Uuid::new_v4().to_string();
        let now = crate::clock::timestamp(authorized.now());
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let folder = path.parent().map(|folder| folder.to_string_lossy().into_owned()).unwrap_or_default();
        let user_id = authorized.user().id.clone();
        let change = authorized.begin_change()?;
        store::insert_record(
            change.connection(),
            &store::NewRecord {
                id: &id,
                file_name: &file_name,
                folder: &folder,
                created_at: &manifest.created_at,
                created_by: &user_id,
                trigger: super::BackupTrigger::Restored,
                bytes: std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(manifest.snapshot_bytes),
                snapshot_sha256: &manifest.snapshot_sha256,
                audit_head_seq: manifest.audit_head.as_ref().map(|head| head.seq),
                verified_at: &now,
                verification_passed: true,
                verification_problems: &[],
            },
        )?;
        change.commit(
            &AuditEvent::success(AuditAction::Backup)
                .object("backup", &id)
                .category("whole_database")
                .reason("listed_restored_backup"),
        )?;
        Ok(())
    }

    /// What a backup of this practice holds; the key must be the recovery key (or a further
    /// recipient's), and the backup this practice's.
    pub fn inspect_backup(&mut self, path: &Path, key: &RecoveryKey) -> ClinicResult<BackupSummary> {
        let mut authorized = self.authorize(Permission::ManageBackups, AuditAction::Restore)?;
        let opened = open_backup(path, BackupUnlock::Key(key))?;
        if !opened.belongs_to(authorized.vault()) {
            return Err(VaultError::BackupOfAnotherPractice.into());
        }
        let summary = BackupSummary::of(path, &opened.manifest);
        authorized.record(
            &AuditEvent::success(AuditAction::Restore)
                .object("backup_file", &summary.file_name)
                .category("whole_database")
                .reason("inspected"),
        )?;
        Ok(summary)
    }

    /// Decrypts and checks the backup for a restore on this PC. Nothing changes; cancelling
    /// through `progress` leaves nothing behind.
    pub fn prepare_restore(
        &mut self,
        path: &Path,
        key: &RecoveryKey,
        progress: &mut dyn FnMut(BackupProgress) -> bool,
    ) -> ClinicResult<PreparedRestore> {
        let authorized = self.authorize(Permission::ManageBackups, AuditAction::Restore)?;
        let opened = open_backup(path, BackupUnlock::Key(key))?;
        if !opened.belongs_to(authorized.vault()) {
            return Err(VaultError::BackupOfAnotherPractice.into());
        }
        let work_folder = authorized.vault().data_dir().root().join(RESTORE_WORK_FOLDER);
        let snapshot = extract_checked(&opened, &work_folder, progress)?;
        Ok(PreparedRestore { snapshot, summary: BackupSummary::of(path, &opened.manifest) })
    }

    /// Replaces the database with the prepared backup: the restore is recorded in the current
    /// database (kept as an encrypted pre-restore copy) and in the restored one, the backup
    /// settings and list are carried over, and the database is swapped atomically. The session
    /// ends; the restored chain's head becomes the anchor.
    pub fn complete_restore(mut self, prepared: PreparedRestore) -> ClinicResult<RestoreOutcome> {
        let mut authorized = self.authorize(Permission::ManageBackups, AuditAction::Restore)?;
        authorized.record(&restore_event(&prepared.summary, "replaced_by_backup"))?;
        let restored = prepared.snapshot.open_for_restore()?;
        let head = crate::store::within_transaction(&restored, |restored| {
            store::carry_over(self.connection_for_restore(), restored)?;
            self.record_into(restored, &restore_event(&prepared.summary, "restored_from_backup"))
        })?;
        restored.close().map_err(|(_, error)| ClinicError::Database(error))?;
        self.anchor_chain();
        let (vault, keyring) = self.end_for_restore();
        let done = vault.replace_database_with(prepared.snapshot, keyring.as_ref(), Some(ChainAnchor::from(&head)))?;
        tracing::warn!("the practice database was replaced by a backup");
        Ok(RestoreOutcome {
            summary: prepared.summary,
            pre_restore_copy: done.pre_restore_copy.to_string_lossy().into_owned(),
        })
    }
}

impl Workstation {
    /// Restores a backup onto this PC when it has no usable practice (a new PC, or the keyring
    /// entry is gone): the key (recovery key, or a further recipient's) opens the backup, the
    /// backup is checked in full, whatever was in the data folder is kept as a pre-restore copy,
    /// this PC gets a fresh device secret and the Owner `new_password`. Other users need new
    /// passwords from the Owner: their key slots belonged to the old PC.
    pub fn restore_onto_this_pc(
        &self,
        path: &Path,
        key: &RecoveryKey,
        new_password: &Password,
        kdf: KdfChoice,
        progress: &mut dyn FnMut(BackupProgress) -> bool,
    ) -> ClinicResult<Session> {
        match self.practice_state() {
            PracticeState::Ready { .. } => {
                return Err(ClinicError::invalid(
                    "backup",
                    "This PC already has a working practice. Sign in as the Owner and restore from Backups instead.",
                ));
            }
            PracticeState::KeyringUnavailable { message, .. } => return Err(ClinicError::invalid("backup", message)),
            PracticeState::NoPractice | PracticeState::RecoveryNeeded { .. } | PracticeState::Damaged { .. } => {}
        }
        check_new_password(new_password, None)?;
        let params = kdf.resolve()?;
        let opened = open_backup(path, BackupUnlock::Key(key))?;
        let summary = BackupSummary::of(path, &opened.manifest);
        let snapshot = extract_checked(&opened, &self.data_dir().root().join(RESTORE_WORK_FOLDER), progress)?;
        let recovered = install_onto_this_pc(self.claim(), snapshot, &opened)?;
        let restored = Some(restore_event(&summary, "restored_onto_new_pc"));
        let mut session = self.bind_recovered_vault(recovered, new_password, params, restored)?;
        session.list_restored_backup(path, &opened.manifest)?;
        Ok(session)
    }
}
