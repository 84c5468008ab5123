//! `chartkeep-admin bench`: performance figures measured on this PC, each on a practice of its
//! own in a temporary folder (with a throwaway keyring entry). Timings are reported as measured
//! in one run, beside their goals; the benchmarks never touch a real practice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chartkeep_clinic::audit::query::{AuditFilter, AuditSort, AuditSortColumn};
use chartkeep_clinic::audit::{AuditAction, Outcome};
use chartkeep_clinic::bench_support::{bench_patient_id, bench_user_id, fill_audit_trail, time_unlock_check};
use chartkeep_clinic::{PracticeSetup, Session, SystemClock, Workstation};
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password};
use serde_json::{Value, json};

use crate::commands::{Failure, Report};

const PASSWORD: &str = "benchmark owner password";

/// A throwaway practice; its keyring entry is removed when it is dropped.
pub(crate) struct BenchPractice {
    _folder: tempfile::TempDir,
    pub workstation: Workstation,
    vault_id: String,
}

impl Drop for BenchPractice {
    fn drop(&mut self) {
        let _ = chartkeep_vault::DeviceSecretStore::delete(&OsKeyring, &self.vault_id);
    }
}

impl BenchPractice {
    /// Sets up a practice; `kdf` decides how costly each sign-in is.
    pub(crate) fn new(kdf: KdfChoice) -> Result<(BenchPractice, Session), Failure> {
        let folder = tempfile::tempdir().map_err(|error| format!("No temporary folder: {error}"))?;
        let data_dir = DataDir::at(folder.path().join("practice"));
        let workstation = Workstation::open(&data_dir, Box::new(OsKeyring), Arc::new(SystemClock))?;
        let setup = PracticeSetup {
            practice_name: "Benchmark Practice".into(),
            owner_full_name: "Bench Owner".into(),
            owner_username: "owner".into(),
            owner_password: Password::new(PASSWORD),
        };
        let mut created = workstation.set_up_practice(&setup, kdf)?;
        let mut settings = created.session.access_settings()?;
        for policy in &mut settings.role_policies {
            policy.mfa_required = false;
        }
        created.session.update_access_settings(&settings)?;
        let vault_id = created.session.vault_id().to_owned();
        Ok((BenchPractice { _folder: folder, workstation, vault_id }, created.session))
    }

    pub(crate) fn sign_in(&self) -> Result<Session, Failure> {
        Ok(self.workstation.log_in("owner", &Password::new(PASSWORD))?)
    }
}

/// The cheapest Argon2id work, for benchmarks of everything but sign-in itself.
pub(crate) fn cheap_kdf() -> KdfChoice {
    KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS)
}

pub(crate) fn millis(duration: Duration) -> f64 {
    (duration.as_secs_f64() * 10_000.0).round() / 10.0
}

/// The value at `quantile` (0..=1) of `samples`, by the nearest-rank method.
pub(crate) fn percentile(samples: &[Duration], quantile: f64) -> Duration {
    let mut sorted = samples.to_vec();
    sorted.sort();
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (quantile * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// Sign-in with the Argon2id parameters calibrated on this PC: the password's work, opening
/// SQLCipher and the schema check, and the audit chain's check against its anchor.
pub fn unlock(runs: u32) -> Result<Report, Failure> {
    let (practice, session) = BenchPractice::new(KdfChoice::Calibrated)?;
    session.log_out()?;
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let session = practice.sign_in()?;
        samples.push(started.elapsed());
        session.log_out()?;
    }
    let (p50, p95) = (percentile(&samples, 0.5), percentile(&samples, 0.95));
    Ok(Report {
        human: format!(
            "Sign-in with calibrated Argon2id (Argon2id + open + migration and chain checks), {} runs:\n  p50 {} ms, p95 {} ms (goal: under a second; Argon2id is calibrated to about 500 ms)",
            samples.len(),
            millis(p50),
            millis(p95)
        ),
        json: json!({ "ok": true, "bench": "unlock", "runs": samples.len(), "p50_ms": millis(p50), "p95_ms": millis(p95) }),
    })
}

/// The audit trail at `entries` entries: full verification, the check at unlock, and the audit
/// view's filtered queries.
pub fn audit(entries: u64, runs: u32) -> Result<Report, Failure> {
    let (practice, mut session) = BenchPractice::new(cheap_kdf())?;
    let started = Instant::now();
    fill_audit_trail(&mut session, entries, 7)?;
    let built = started.elapsed();

    let started = Instant::now();
    let verification = session.verify_audit_chain()?;
    let full = started.elapsed();
    if !verification.is_intact() {
        return Err(Failure::from(format!("The benchmark's chain failed verification: {}", verification.describe())));
    }

    // The check at unlock verifies what was written since the anchor: a working session's worth.
    session.log_out()?;
    let mut session = practice.sign_in()?;
    fill_audit_trail(&mut session, 500, 11)?;
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
    for (name, filter, sort, offset) in &queries {
        let mut samples = Vec::new();
        for _ in 0..runs.max(1) {
            let started = Instant::now();
            session.audit_entries(filter, *sort, *offset, 100)?;
            samples.push(started.elapsed());
        }
        let (p50, p95) = (percentile(&samples, 0.5), percentile(&samples, 0.95));
        worst_p95 = worst_p95.max(p95);
        lines.push(format!("  {name:<28} p50 {:>7} ms   p95 {:>7} ms", millis(p50), millis(p95)));
        results.push(json!({ "query": name, "p50_ms": millis(p50), "p95_ms": millis(p95) }));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let samples: Vec<Duration> = (1..=20).map(Duration::from_millis).collect();
        assert_eq!(percentile(&samples, 0.95), Duration::from_millis(19));
        assert_eq!(percentile(&samples, 0.5), Duration::from_millis(10));
        assert_eq!(percentile(&[], 0.5), Duration::ZERO);
    }
}
