//! Verifying a backup: it opens, its manifest is authentic, its database matches the hash, every
//! page passes its HMAC, SQLite finds its structure sound, the audit chain inside verifies up to
//! the head the manifest names, and every table has the rows the manifest counted. The report
//! says which check failed and why.

use std::path::Path;

use chartkeep_vault::VaultError;
use chartkeep_vault::backup::{BackupProgress, BackupUnlock, open_backup};
use serde::Serialize;

use super::BackupTrigger;
use crate::audit::{self, AuditAction, AuditEvent, AuditKey, ChainVerification, Detail, Outcome};
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::Session;

/// What a verification checks, in the order it checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum BackupCheck {
    Opens,
    Manifest,
    /// Checked only by the practice itself, which knows the keys it recorded.
    Recipients,
    Contents,
    Pages,
    Structure,
    AuditChain,
    RowCounts,
}

/// One check and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerificationCheck {
    pub check: BackupCheck,
    pub passed: bool,
    /// What was found, in words.
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupVerification {
    pub passed: bool,
    pub checks: Vec<VerificationCheck>,
    /// When the backup was made, as its manifest says (once the manifest is authentic).
    pub created_at: Option<String>,
}

impl BackupVerification {
    fn from_checks(checks: Vec<VerificationCheck>, created_at: Option<String>) -> Self {
        BackupVerification { passed: checks.iter().all(|check| check.passed), checks, created_at }
    }

    /// Whether the backup was sealed to other keys than the database recorded.
    pub fn recipients_differ(&self) -> bool {
        self.checks.iter().any(|check| check.check == BackupCheck::Recipients && !check.passed)
    }

    /// The failed checks, as sentences.
    pub fn problems(&self) -> Vec<String> {
        self.checks.iter().filter(|check| !check.passed).map(|check| check.detail.clone()).collect()
    }
}

fn passed(check: BackupCheck, detail: impl Into<String>) -> VerificationCheck {
    VerificationCheck { check, passed: true, detail: detail.into() }
}

fn failed(check: BackupCheck, detail: impl Into<String>) -> VerificationCheck {
    VerificationCheck { check, passed: false, detail: detail.into() }
}

/// Whether an error means "this file is no good" (a failed check) rather than "cannot check".
fn is_damage(error: &VaultError) -> bool {
    matches!(
        error,
        VaultError::NotABackup
            | VaultError::BackupForged
            | VaultError::BackupDamaged(_)
            | VaultError::BackupOfAnotherPractice
            | VaultError::DatabaseUnreadable
    )
}

/// The keys a backup should be sealed to, as the practice's database records them: the recovery
/// recipient, and (right after making it) the further recipients its job took from the settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ExpectedRecipients<'a> {
    pub recovery: &'a str,
    pub further: Option<&'a [String]>,
}

fn recipients_check(
    manifest: &chartkeep_vault::backup::BackupManifest,
    expected: ExpectedRecipients<'_>,
) -> VerificationCheck {
    let recovery_matches = manifest.recovery_recipient == expected.recovery
        && manifest.recipients.first().is_none_or(|first| first == expected.recovery);
    let further_match = match expected.further {
        Some(further) => manifest.recipients.get(1..).unwrap_or_default() == further,
        None => true,
    };
    if recovery_matches && further_match {
        let others = manifest.recipients.len().saturating_sub(1);
        passed(
            BackupCheck::Recipients,
            format!(
                "It is sealed to the practice's recovery key as its database records it, and to {others} further key(s)."
            ),
        )
    } else {
        failed(
            BackupCheck::Recipients,
            "It is sealed to other keys than the practice's database records: someone changed where backups go.",
        )
    }
}

/// Verifies the backup at `path`, decrypting its database into `work_folder` (still encrypted
/// with the database key) and removing it afterwards. With `expected`, the keys the backup was
/// sealed to are compared with the database's record too.
pub(crate) fn verify_backup(
    path: &Path,
    unlock: BackupUnlock<'_>,
    expected: Option<ExpectedRecipients<'_>>,
    work_folder: &Path,
    progress: &mut dyn FnMut(BackupProgress) -> bool,
) -> ClinicResult<BackupVerification> {
    let mut checks = Vec::new();
    let opened = match open_backup(path, unlock) {
        Ok(opened) => opened,
        Err(error) if is_damage(&error) => {
            checks.push(failed(BackupCheck::Opens, damage_detail(&error)));
            return Ok(BackupVerification::from_checks(checks, None));
        }
        Err(error) => return Err(error.into()),
    };
    let manifest = opened.manifest.clone();
    checks.push(passed(BackupCheck::Opens, "The file opens with the practice's key."));
    checks.push(passed(BackupCheck::Manifest, "The manifest is authentic: it was made with the practice's key."));
    if let Some(expected) = expected {
        checks.push(recipients_check(&manifest, expected));
    }
    let snapshot = match opened.extract_snapshot(work_folder, progress) {
        Ok(snapshot) => snapshot,
        Err(error) if is_damage(&error) => {
            checks.push(failed(BackupCheck::Contents, damage_detail(&error)));
            return Ok(BackupVerification::from_checks(checks, Some(manifest.created_at)));
        }
        Err(error) => return Err(error.into()),
    };
    checks
        .push(passed(BackupCheck::Contents, "The database matches the hash in the manifest, to the end of the file."));
    let found = snapshot.check(progress)?;
    let page_problems: Vec<&String> = found.problems.iter().filter(|problem| problem.starts_with("page")).collect();
    let structure_problems: Vec<&String> =
        found.problems.iter().filter(|problem| !problem.starts_with("page")).collect();
    checks.push(match page_problems.as_slice() {
        [] => passed(BackupCheck::Pages, "Every page passes its HMAC check."),
        problems => failed(BackupCheck::Pages, join(problems)),
    });
    if !page_problems.is_empty() {
        return Ok(BackupVerification::from_checks(checks, Some(manifest.created_at)));
    }
    checks.push(match structure_problems.as_slice() {
        [] => passed(BackupCheck::Structure, "SQLite's integrity check finds nothing wrong."),
        problems => failed(BackupCheck::Structure, join(problems)),
    });
    checks.push(chain_check(&snapshot, manifest.audit_head.as_ref())?);
    checks.push(if found.row_counts == manifest.row_counts {
        let total: u64 = found.row_counts.values().sum();
        passed(
            BackupCheck::RowCounts,
            format!("All {} tables have the rows the manifest counted ({total} rows).", found.row_counts.len()),
        )
    } else {
        let differing: Vec<String> = manifest
            .row_counts
            .keys()
            .chain(found.row_counts.keys())
            .filter(|table| manifest.row_counts.get(*table) != found.row_counts.get(*table))
            .map(|table| {
                format!(
                    "{table}: {} in the manifest, {} in the database",
                    manifest.row_counts.get(table).copied().unwrap_or(0),
                    found.row_counts.get(table).copied().unwrap_or(0)
                )
            })
            .collect();
        failed(BackupCheck::RowCounts, format!("Row counts differ: {}.", differing.join("; ")))
    });
    Ok(BackupVerification::from_checks(checks, Some(manifest.created_at)))
}

/// What a damaged backup's error says, as a check's finding (the error's own words are for a
/// refused restore, which changes nothing; a check changes nothing anyway).
fn damage_detail(error: &VaultError) -> String {
    match error {
        VaultError::BackupDamaged(what) => format!("The file is damaged: {what}."),
        VaultError::BackupForged => "The manifest was not made with the practice's key: altered or forged.".into(),
        VaultError::NotABackup => "The file is not a Chartkeep backup.".into(),
        VaultError::BackupOfAnotherPractice => "The backup was made by another practice.".into(),
        VaultError::DatabaseUnreadable => "The database inside does not open with the practice's key.".into(),
        other => other.to_string(),
    }
}

fn join(problems: &[&String]) -> String {
    let shown: Vec<&str> = problems.iter().take(5).map(|problem| problem.as_str()).collect();
    let more = problems.len().saturating_sub(shown.len());
    if more > 0 { format!("{} (and {more} more)", shown.join("; ")) } else { shown.join("; ") }
}

/// The audit chain inside the snapshot verifies, and ends where the manifest says.
fn chain_check(
    snapshot: &chartkeep_vault::backup::Snapshot,
    head: Option<&chartkeep_vault::backup::ManifestChainHead>,
) -> ClinicResult<VerificationCheck> {
    let connection = snapshot.open_read_only()?;
    let key = AuditKey::from_snapshot(snapshot)?;
    Ok(match audit::verify_chain(&connection, &key)? {
        broken @ ChainVerification::Broken { .. } => failed(BackupCheck::AuditChain, broken.describe()),
        ChainVerification::Intact { entries, head: found } => {
            let found = found.map(|head| (head.seq, hex::encode(head.hash)));
            let expected = head.map(|head| (head.seq, head.hash.clone()));
            if found == expected {
                passed(
                    BackupCheck::AuditChain,
                    format!("The audit chain verifies: {entries} entries, up to the manifest's head."),
                )
            } else {
                failed(BackupCheck::AuditChain, "The audit chain verifies but does not end where the manifest says.")
            }
        }
    })
}

/// Verifies a backup with a key (the recovery key or a further recipient's), with no practice
/// open: for checking a backup anywhere.
pub fn verify_backup_with_key(
    path: &Path,
    key: &chartkeep_vault::RecoveryKey,
    work_folder: &Path,
    progress: &mut dyn FnMut(BackupProgress) -> bool,
) -> ClinicResult<BackupVerification> {
    verify_backup(path, BackupUnlock::Key(key), None, work_folder, progress)
}

impl Session {
    /// Verifies a backup of this practice with the practice's key, recording the result (and,
    /// when it is one of the listed backups, updating its line).
    pub fn verify_backup_file(
        &mut self,
        path: &Path,
        progress: &mut dyn FnMut(BackupProgress) -> bool,
    ) -> ClinicResult<BackupVerification> {
        let mut authorized = self.authorize(Permission::ManageBackups, AuditAction::Backup)?;
        let source = authorized.vault().backup_source()?;
        let work = authorized.vault().data_dir().root().join(super::RESTORE_WORK_FOLDER);
        let expected = ExpectedRecipients { recovery: source.recovery_recipient(), further: None };
        let verification = verify_backup(path, BackupUnlock::Practice(&source), Some(expected), &work, progress)?;
        let now = crate::clock::timestamp(authorized.now());
        let folder = path.parent().map(|folder| folder.to_string_lossy().into_owned()).unwrap_or_default();
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let problems = serde_json::to_string(&verification.problems())
            .map_err(|_| ClinicError::Internal("The verification could not be saved."))?;
        let mut change = authorized.begin_change()?;
        if verification.recipients_differ() {
            crate::audit_integrity::raise_alert(
                &mut change,
                crate::audit::IntegrityAlertKind::BackupRecipientsDiffer,
                None,
                &now,
            )?;
        }
        super::store::record_verification(
            change.connection(),
            &folder,
            &file_name,
            &now,
            verification.passed,
            &problems,
        )?;
        change.commit(
            &AuditEvent::new(AuditAction::Backup, if verification.passed { Outcome::Success } else { Outcome::Failed })
                .category("whole_database")
                .reason(if verification.passed { "verified" } else { "verification_failed" })
                .detail("trigger", Detail::Code(BackupTrigger::Manual.as_str())),
        )?;
        Ok(verification)
    }
}
