//! `chartkeep-admin bench`: performance figures measured on this PC, each on a practice of its
//! own in a temporary folder (with a throwaway keyring entry). Timings are reported as measured
//! in one run, beside their goals; the benchmarks never touch a real practice.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chartkeep_clinic::{NewPractice, NewUser, PracticeSetup, Role, Session, SystemClock, Workstation};
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password, RecoveryKey};
use serde_json::json;

mod audit;
mod backup;
mod chart;
mod crash;
mod import;
mod search;
// WebKitWebDriver, Xvfb and /proc: Linux only.
#[cfg(target_os = "linux")]
mod startup;

pub use audit::audit;
pub use backup::backup;
pub use chart::chart;
pub use crash::{crash, crash_writer};
pub use import::import;
pub use search::search;
#[cfg(target_os = "linux")]
pub use startup::{StartupRequest, startup};

use crate::commands::{Failure, Report};
use crate::progress::Progress;

/// The benchmark practices' owner, who signs in with `PASSWORD`.
pub(crate) const USERNAME: &str = "owner";
pub(crate) const PASSWORD: &str = "benchmark owner password";

/// A throwaway practice; its keyring entry is removed when it is dropped.
pub(crate) struct BenchPractice {
    _folder: tempfile::TempDir,
    pub workstation: Workstation,
    vault_id: String,
    recovery_key: RecoveryKey,
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
        let created = set_up_without_second_factor(&workstation, kdf)?;
        let vault_id = created.session.vault_id().to_owned();
        let practice = BenchPractice { _folder: folder, workstation, vault_id, recovery_key: created.recovery_key };
        Ok((practice, created.session))
    }

    pub(crate) fn sign_in(&self) -> Result<Session, Failure> {
        Ok(self.workstation.log_in(USERNAME, &Password::new(PASSWORD))?)
    }

    pub(crate) fn recovery_key(&self) -> &RecoveryKey {
        &self.recovery_key
    }

    pub(crate) fn folder(&self) -> &std::path::Path {
        self._folder.path()
    }

    /// A front desk user of the practice, signed in with their own password.
    pub(crate) fn front_desk_session(&self) -> Result<Session, Failure> {
        self.staff_session("desk", "Bench Desk", Role::FrontDesk)
    }

    /// A new clinician of the practice, signed in with their own password.
    pub(crate) fn clinician_session(&self) -> Result<Session, Failure> {
        self.staff_session("clinician", "Bench Clinician", Role::Clinician)
    }

    /// Signs in again as a staff member created before.
    pub(crate) fn sign_in_staff(&self, username: &str) -> Result<Session, Failure> {
        Ok(self.workstation.log_in(username, &staff_password(username))?)
    }

    fn staff_session(&self, username: &str, full_name: &str, role: Role) -> Result<Session, Failure> {
        let own = staff_password(username);
        let mut owner = self.sign_in()?;
        let new_user = NewUser { full_name: full_name.into(), username: username.into(), roles: vec![role] };
        let issued = owner.create_user(&new_user, cheap_kdf())?;
        owner.log_out()?;
        let mut session = self.workstation.log_in(username, &issued.temporary_password)?;
        session.change_own_password(&issued.temporary_password, &own, cheap_kdf())?;
        Ok(session)
    }
}

/// Sets up the benchmark practice on `workstation`, its owner signed in, with no role asked for a
/// second factor.
pub(crate) fn set_up_without_second_factor(workstation: &Workstation, kdf: KdfChoice) -> Result<NewPractice, Failure> {
    let setup = PracticeSetup {
        practice_name: "Benchmark Practice".into(),
        owner_full_name: "Bench Owner".into(),
        owner_username: USERNAME.into(),
        owner_password: Password::new(PASSWORD),
    };
    let mut created = workstation.set_up_practice(&setup, kdf)?;
    let mut settings = created.session.access_settings()?;
    for policy in &mut settings.role_policies {
        policy.mfa_required = false;
    }
    created.session.update_access_settings(&settings)?;
    Ok(created)
}

fn staff_password(username: &str) -> Password {
    Password::new(format!("benchmark {username} password"))
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
pub fn unlock(runs: u32, progress: Progress) -> Result<Report, Failure> {
    let spinner = progress.spinner("Setting up a practice (calibrating Argon2id)");
    let (practice, session) = BenchPractice::new(KdfChoice::Calibrated)?;
    session.log_out()?;
    drop(spinner);
    let bar = progress.counter("Signing in", u64::from(runs.max(1)));
    let mut samples = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let session = practice.sign_in()?;
        samples.push(started.elapsed());
        session.log_out()?;
        bar.advance();
    }
    drop(bar);
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
