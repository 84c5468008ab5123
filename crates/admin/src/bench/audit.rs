//! `bench audit`: the audit trail at a million entries.

use std::time::{Duration, Instant};

use chartkeep_clinic::audit::query::{AuditFilter, AuditSort, AuditSortColumn};
use chartkeep_clinic::audit::{AuditAction, Outcome};
use chartkeep_clinic::bench_support::{bench_patient_id, bench_user_id, fill_audit_trail, time_unlock_check};
use serde_json::{Value, json};

use super::{BenchPractice, cheap_kdf, millis, percentile};
use crate::commands::{Failure, Report};
use crate::progress::Progress;

/// The audit trail at `entries` entries: full verification, the check at unlock, and the audit
/// view's filtered queries.
pub fn audit(entries: u64, runs: u32, progress: Progress) -> Result<Report, Failure> {
    let (practice, mut session) = BenchPractice::new(cheap_kdf())?;
    let started = Instant::now();
    let bar = progress.counter("Appending synthetic audit entries", entries);
    fill_audit_trail(&mut session, entries, 7, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    let built = started.elapsed();

    let spinner = progress.spinner("Verifying the whole chain");
    let started = Instant::now();
    let verification = session.verify_audit_chain()?;
    let full = started.elapsed();
    drop(spinner);
    if !verification.is_intact() {
        return Err(Failure::from(format!("The benchmark's chain failed verification: {}", verification.describe())));
    }

    // The check at unlock verifies what was written since the anchor: a working session's worth.
    session.log_out()?;
    let mut session = practice.sign_in()?;
    fill_audit_trail(&mut session, 500, 11, &mut |_, _| {})?;
    let (since_anchor, intact) = time_unlock_check(&mut session)?;
    if !intact {
        return Err(Failure::from("The benchmark's chain failed its check against the anchor.".to_owned()));
    }

    let now = time::OffsetDateTime::now_utc();
    let day = |days_ago: i64| chartkeep_clinic::timestamp(now - time::Duration::days(days_ago));
    let newest = AuditSort::default();
    let queries: Vec<(&str, AuditFilter, AuditSort, u64)> = vec![
        ("everything, newest first", AuditFilter::default(), newest, 0),
        ("one user", AuditFilter { user_id: Some(bench_user_id(5)), ..AuditFilter::default() }, newest, 0),
        ("one patient", AuditFilter { patient_id: Some(bench_patient_id(42)), ..AuditFilter::default() }, newest, 0),
        ("one action (login)", AuditFilter { action: Some(AuditAction::Login), ..AuditFilter::default() }, newest, 0),
        ("denied only", AuditFilter { outcome: Some(Outcome::Denied), ..AuditFilter::default() }, newest, 0),
        ("emergency access only", AuditFilter { emergency_only: true, ..AuditFilter::default() }, newest, 0),
        ("one day", AuditFilter { from: Some(day(30)), to: Some(day(29)), ..AuditFilter::default() }, newest, 0),
        (
            "one week of one user",
            AuditFilter {
                from: Some(day(60)),
                to: Some(day(53)),
                user_id: Some(bench_user_id(3)),
                ..AuditFilter::default()
            },
            newest,
            0,
        ),
        (
            "everything, by user",
            AuditFilter::default(),
            AuditSort { column: AuditSortColumn::User, descending: false },
            0,
        ),
        (
            "one user, by action",
            AuditFilter { user_id: Some(bench_user_id(7)), ..AuditFilter::default() },
            AuditSort { column: AuditSortColumn::Action, descending: false },
            0,
        ),
        ("everything, page 101", AuditFilter::default(), newest, 10_000),
    ];
    let mut lines = Vec::new();
    let mut results = Vec::new();
    let mut worst_p95 = Duration::ZERO;
    let bar = progress.counter("Querying the audit view", (queries.len() * runs.max(1) as usize) as u64);
    for (name, filter, sort, offset) in &queries {
        let mut samples = Vec::new();
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            session.audit_entries(filter, *sort, *offset, 100)?;
            samples.push(started.elapsed());
            bar.advance();
        }
        let (p50, p95) = (percentile(&samples, 0.5), percentile(&samples, 0.95));
        worst_p95 = worst_p95.max(p95);
        lines.push(format!("  {name:<28} p50 {:>7} ms   p95 {:>7} ms", millis(p50), millis(p95)));
        results.push(json!({ "query": name, "p50_ms": millis(p50), "p95_ms": millis(p95) }));
    }
    drop(bar);
    session.log_out()?;
    let human = format!(
        "Audit trail benchmark: {entries} entries in SQLCipher on this PC (built in {:.1} s)\n\
         Full verification: {:.2} s (goal: at most 2 s)\n\
         Check at unlock, 500 entries since the anchor: {} ms (goal: at most 50 ms)\n\
         Audit view, first 100 entries with their count, {runs} runs each (goal: p95 at most 100 ms):\n{}\n\
         Worst p95: {} ms",
        built.as_secs_f64(),
        full.as_secs_f64(),
        millis(since_anchor),
        lines.join("\n"),
        millis(worst_p95)
    );
    let json: Value = json!({
        "ok": true, "bench": "audit", "entries": entries, "build_s": built.as_secs_f64(),
        "full_verification_s": full.as_secs_f64(), "unlock_check_ms": millis(since_anchor),
        "queries": results, "worst_p95_ms": millis(worst_p95),
    });
    Ok(Report { human, json })
}
