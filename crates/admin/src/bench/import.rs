//! `bench import`: the CSV import at N rows (Synthea's layout, synthetic patients with about one
//! in fifty a near-duplicate), into a practice that already holds N patients, so the duplicate
//! check runs against a full index. The check and the import are timed separately.

use std::time::Instant;

use chartkeep_clinic::bench_support::patients::{seed_patients, write_synthea_csv};
use chartkeep_clinic::patients::ImportMapping;
use serde_json::json;

use super::{BenchPractice, cheap_kdf};
use crate::commands::{Failure, Report};
use crate::progress::Progress;

/// The goal for 10^5 rows.
const GOAL_SECONDS: f64 = 60.0;

pub fn import(rows: u64, existing: u64, progress: Progress) -> Result<Report, Failure> {
    let (practice, mut session) = BenchPractice::new(cheap_kdf())?;
    let bar = progress.counter("Adding the existing patients", existing);
    seed_patients(&mut session, existing, 7, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    let today = time::OffsetDateTime::now_utc().date();
    let file = practice.folder().join("patients.csv");
    let spinner = progress.spinner("Writing the CSV file");
    write_synthea_csv(&file, rows, 2027, today)?;
    drop(spinner);
    let size = std::fs::metadata(&file).map(|meta| meta.len()).unwrap_or_default();
    let mapping = ImportMapping::synthea();

    let bar = progress.counter("Checking the file (dry run)", rows);
    let started = Instant::now();
    let report = session.dry_run_import(&file, &mapping, &mut |done, total| {
        bar.set(done, total);
        true
    })?;
    let checked = started.elapsed().as_secs_f64();
    drop(bar);
    let bar = progress.counter("Importing", rows);
    let started = Instant::now();
    let summary = session.import_patients(&file, &mapping, true, &mut |done, total| {
        bar.set(done, total);
        true
    })?;
    let imported = started.elapsed().as_secs_f64();
    drop(bar);
    session.log_out()?;
    // The file held synthetic data only; it goes with the temporary folder.
    drop(practice);

    let verdict = if imported <= GOAL_SECONDS { "within" } else { "OVER" };
    let human = format!(
        "CSV import benchmark: {rows} rows ({:.1} MB, Synthea layout) into a practice of {existing} patients.\n  \
         check (dry run):  {checked:>6.1} s  ({} invalid, {} probable duplicates)\n  \
         import:           {imported:>6.1} s  ({} imported, {} flagged for review) — {verdict} the goal of {GOAL_SECONDS} s",
        size as f64 / 1e6,
        report.problems.len(),
        report.duplicates.len(),
        summary.imported,
        summary.flagged_for_review,
    );
    let json = json!({
        "ok": true, "bench": "import", "rows": rows, "existing_patients": existing, "file_bytes": size,
        "check_s": checked, "import_s": imported, "imported": summary.imported,
        "flagged_for_review": summary.flagged_for_review, "invalid": report.problems.len(),
        "goal_s": GOAL_SECONDS,
    });
    Ok(Report { human, json })
}
