//! `bench backup`: a practice of about N MB (synthetic patients and signed encounters) backed
//! up, verified and restored, each beside a plain copy of the same database file, as ratios.
//! Export is the snapshot plus the encrypted file; the verified restore is decrypting, every
//! check, and the swap.

use std::time::{Duration, Instant};

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::bench_support::chart::seed_chart;
use chartkeep_clinic::bench_support::patients::seed_patients;
use chartkeep_vault::backup::BackupStep;
use serde_json::json;

use super::{BenchPractice, cheap_kdf};
use crate::commands::{Failure, Report};
use crate::progress::Progress;

/// The goals: export at least this fast, a verified restore at most this long per GB.
const EXPORT_GOAL_MB_S: f64 = 100.0;
const RESTORE_GOAL_S_PER_GB: f64 = 30.0;

fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}

pub fn backup(size_mb: u64, progress: Progress) -> Result<Report, Failure> {
    let (practice, mut owner) = BenchPractice::new(cheap_kdf())?;
    let started = Instant::now();
    // About 1 MB per 110 patients with 10 signed encounters each (measured).
    let patients = (size_mb * 110).max(100);
    let bar = progress.counter("Adding synthetic patients", patients);
    seed_patients(&mut owner, patients, 11, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    owner.log_out()?;
    let mut clinician = practice.clinician_session()?;
    let bar = progress.counter("Writing signed encounters", patients * 10);
    seed_chart(&mut clinician, patients * 10, 12, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    clinician.log_out()?;
    let built = started.elapsed();

    let database = practice.workstation.data_dir().database();
    let bytes = std::fs::metadata(&database).map_err(|error| format!("No database: {error}"))?.len();
    let copy_target = practice.folder().join("plain-copy-of-the-database.db");
    let spinner = progress.spinner("Copying the database file");
    let copy_started = Instant::now();
    std::fs::copy(&database, &copy_target).map_err(|error| format!("The plain copy failed: {error}"))?;
    let copy = copy_started.elapsed();
    drop(spinner);
    std::fs::remove_file(&copy_target).map_err(|error| format!("The plain copy stays: {error}"))?;

    let folder = practice.folder().join("backups");
    std::fs::create_dir_all(&folder).map_err(|error| format!("No backup folder: {error}"))?;
    let mut owner = practice.sign_in()?;
    let job = owner.prepare_backup(&BackupRequest { trigger: BackupTrigger::Manual, folder: Some(folder.clone()) })?;
    let job_started = Instant::now();
    let mut verify_started = None;
    let mut writing_started = None;
    let bar = progress.bytes("Backing up");
    let outcome = job.run(&mut |step| {
        if step.step == BackupStep::Writing && writing_started.is_none() {
            writing_started = Some(job_started.elapsed());
        }
        if step.step == BackupStep::Reading && verify_started.is_none() {
            verify_started = Some(job_started.elapsed());
        }
        bar.step(step)
    });
    drop(bar);
    let job_time = job_started.elapsed();
    let record = owner.finish_backup(outcome)?;
    let export = verify_started.unwrap_or(job_time);
    let verify = job_time.saturating_sub(export);
    let snapshot = writing_started.unwrap_or(export);

    let recovery = practice.recovery_key();
    let restore_started = Instant::now();
    let bar = progress.bytes("Restoring");
    let prepared = owner.prepare_restore(&folder.join(&record.file_name), recovery, &mut |step| bar.step(step))?;
    owner.complete_restore(prepared)?;
    drop(bar);
    let restore = restore_started.elapsed();

    let export_rate = megabytes(bytes) / export.as_secs_f64().max(1e-9);
    let copy_rate = megabytes(bytes) / copy.as_secs_f64().max(1e-9);
    let per_gb = |time: Duration| time.as_secs_f64() / (bytes as f64 / 1e9).max(1e-9);
    let human = format!(
        "Backup benchmark: a database of {:.0} MB ({patients} synthetic patients, {} encounters; built in {:.0} s). \
         The backup file is {:.0} MB; its verification {}.\n  \
         export (snapshot + encrypted file)   {export_rate:>7.0} MB/s  ({:.1} s: snapshot {:.1} s, file {:.1} s)   goal at least {EXPORT_GOAL_MB_S} MB/s\n  \
         plain file copy of the database      {copy_rate:>7.0} MB/s  ({:.1} s)   export/copy time ratio {:.1}\n  \
         verification after the backup        {:>7.1} s per GB\n  \
         verified restore (decrypt, check, swap) {:>5.1} s per GB ({:.1} s)   goal at most {RESTORE_GOAL_S_PER_GB} s per GB; restore/copy time ratio {:.1}",
        megabytes(bytes),
        patients * 10,
        built.as_secs_f64(),
        megabytes(record.bytes),
        if record.verification_passed == Some(true) { "passed" } else { "FAILED" },
        export.as_secs_f64(),
        snapshot.as_secs_f64(),
        export.saturating_sub(snapshot).as_secs_f64(),
        copy.as_secs_f64(),
        export.as_secs_f64() / copy.as_secs_f64().max(1e-9),
        per_gb(verify),
        per_gb(restore),
        restore.as_secs_f64(),
        restore.as_secs_f64() / copy.as_secs_f64().max(1e-9),
    );
    let json = json!({ "ok": true, "bench": "backup", "database_bytes": bytes, "backup_bytes": record.bytes,
        "export_mb_s": export_rate, "copy_mb_s": copy_rate, "export_s": export.as_secs_f64(), "copy_s": copy.as_secs_f64(),
        "verify_s_per_gb": per_gb(verify), "restore_s_per_gb": per_gb(restore), "restore_s": restore.as_secs_f64(),
        "verified": record.verification_passed == Some(true) });
    Ok(Report { human, json })
}
