//! `chartkeep-admin backup create|verify|restore`: the app's backups from the command line, for
//! scripts and for the day the PC died. Secrets come from standard input only: the recovery key
//! on the first line, then a password on the next when one is needed.

use std::path::Path;

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger, BackupVerification, verify_backup_with_key};
use chartkeep_clinic::{PracticeState, Workstation};
use chartkeep_vault::{DataDir, KdfChoice, Password, RecoveryKey};
use serde_json::json;

use crate::commands::{Failure, Report, signed_in_from_stdin, workstation};
use crate::progress::Progress;
use crate::stdin_lines::{next_line, stdin_lines};

/// Backs up into `folder` as an Owner (password on standard input).
pub fn create(
    data_dir: &DataDir,
    folder: &Path,
    username: Option<&str>,
    progress: Progress,
) -> Result<Report, Failure> {
    let (_workstation, mut session) = signed_in_from_stdin(data_dir, username)?;
    let request = BackupRequest { trigger: BackupTrigger::CommandLine, folder: Some(folder.to_path_buf()) };
    let bar = progress.bytes("Backing up");
    let made = session.back_up(&request, &mut |step| bar.step(step));
    drop(bar);
    session.log_out()?;
    let record = made?;
    let path = folder.join(&record.file_name);
    let verified = record.verification_passed == Some(true);
    let json = json!({ "ok": verified, "path": path, "bytes": record.bytes, "verified": verified,
        "problems": record.verification_problems });
    if !verified {
        return Err(Failure {
            code: "backup_unusable".into(),
            message: format!(
                "The backup {} was written but failed its verification: {}",
                path.display(),
                record.verification_problems.join("; ")
            ),
            details: None,
        });
    }
    Ok(Report { human: format!("Backed up and verified: {} ({} bytes).", path.display(), record.bytes), json })
}

/// Verifies a backup, with an Owner's password on this practice or with a key anywhere.
pub fn verify(
    data_dir: &DataDir,
    file: &Path,
    with_key: bool,
    username: Option<&str>,
    progress: Progress,
) -> Result<Report, Failure> {
    let verification = if with_key {
        let mut lines = stdin_lines();
        let key = RecoveryKey::parse(next_line(&mut lines, "recovery key")?.as_str());
        let work = tempfile::tempdir().map_err(|error| format!("No temporary folder: {error}"))?;
        let bar = progress.bytes("Verifying");
        verify_backup_with_key(file, &key, work.path(), &mut |step| bar.step(step))?
    } else {
        let (_workstation, mut session) = signed_in_from_stdin(data_dir, username)?;
        let bar = progress.bytes("Verifying");
        let verified = session.verify_backup_file(file, &mut |step| bar.step(step));
        drop(bar);
        session.log_out()?;
        verified?
    };
    report_verification(file, &verification)
}

fn report_verification(file: &Path, verification: &BackupVerification) -> Result<Report, Failure> {
    let lines: Vec<String> = verification
        .checks
        .iter()
        .map(|check| {
            format!(
                "  {} {:<12} {}",
                if check.passed { "ok  " } else { "FAIL" },
                <&str>::from(check.check),
                check.detail
            )
        })
        .collect();
    if !verification.passed {
        return Err(Failure {
            code: "backup_unusable".into(),
            message: format!("{} failed its verification: {}", file.display(), verification.problems().join("; ")),
            details: None,
        });
    }
    Ok(Report {
        human: format!("{} is sound:\n{}", file.display(), lines.join("\n")),
        json: json!({ "ok": true, "checks": verification.checks }),
    })
}

/// Restores a backup. The recovery key comes first on standard input. On a PC where the
/// practice is ready, an Owner's password follows and the database is replaced in place; on a
/// PC without a usable practice, the Owner's new password follows.
pub fn restore(data_dir: &DataDir, file: &Path, username: Option<&str>, progress: Progress) -> Result<Report, Failure> {
    let mut lines = stdin_lines();
    let key = RecoveryKey::parse(next_line(&mut lines, "recovery key")?.as_str());
    let workstation = workstation(data_dir)?;
    match workstation.practice_state() {
        PracticeState::Ready { .. } => restore_in_place(&workstation, file, &key, username, &mut lines, progress),
        _ => {
            let password = Password::new(next_line(&mut lines, "owner's new password")?.as_str());
            let bar = progress.bytes("Restoring");
            let session =
                workstation
                    .restore_onto_this_pc(file, &key, &password, KdfChoice::Calibrated, &mut |step| bar.step(step))?;
            drop(bar);
            let owner = session.user().username.clone();
            session.log_out()?;
            Ok(Report {
                human: format!(
                    "Restored onto this PC. The owner ({owner}) has the new password; every other user needs a new password from the owner."
                ),
                json: json!({ "ok": true, "where": "new_pc", "owner": owner }),
            })
        }
    }
}

fn restore_in_place(
    workstation: &Workstation,
    file: &Path,
    key: &RecoveryKey,
    username: Option<&str>,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    progress: Progress,
) -> Result<Report, Failure> {
    let password = Password::new(next_line(lines, "owner's password")?.as_str());
    let username = match username {
        Some(name) => name.to_owned(),
        None => chartkeep_vault::read_key_slots(workstation.data_dir())
            .map_err(chartkeep_clinic::ClinicError::from)?
            .users()
            .first()
            .map(|slot| slot.username.clone())
            .unwrap_or_default(),
    };
    let mut session = workstation.log_in(&username, &password)?;
    let bar = progress.bytes("Restoring");
    let prepared = session.prepare_restore(file, key, &mut |step| bar.step(step));
    drop(bar);
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(error) => {
            session.log_out()?;
            return Err(error.into());
        }
    };
    let spinner = progress.spinner("Putting the restored database in place");
    let outcome = session.complete_restore(prepared)?;
    drop(spinner);
    Ok(Report {
        human: format!(
            "Restored the backup of {} in place. The database as it was is kept, encrypted, at {}.",
            outcome.summary.created_at, outcome.pre_restore_copy
        ),
        json: json!({ "ok": true, "where": "this_pc", "backup_created_at": outcome.summary.created_at,
            "pre_restore_copy": outcome.pre_restore_copy }),
    })
}
