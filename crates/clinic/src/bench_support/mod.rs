//! Synthetic data and timing hooks for `chartkeep-admin bench`, compiled only with the `bench`
//! feature, which only the admin tool turns on (the desktop app never calls it, and a packaged
//! build of the app alone does not contain it). Entries are appended through the real chain code,
//! many to a transaction, so a million of them take seconds rather than hours of fsyncs. The
//! benchmark runs on a practice of its own in a temporary folder.

pub mod chart;
pub mod demo_charts;
mod names;
pub mod patients;
pub mod search;
mod store;

use std::time::{Duration, Instant};

use crate::audit::{self, Actor, AuditAction, AuditEvent, Detail, Outcome};
use crate::clock::timestamp;
use crate::error::ClinicResult;
use crate::session::Session;

/// A small deterministic generator (xorshift64*), so every run builds the same data.
#[derive(Debug, Clone)]
pub struct Synthetic(u64);

impl Synthetic {
    pub fn new(seed: u64) -> Self {
        Synthetic(seed.max(1))
    }

    pub fn next_value(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_value() % bound.max(1)
    }
}

pub const BENCH_USERS: u64 = 20;
pub const BENCH_PATIENTS: u64 = 50_000;

pub fn bench_user_id(index: u64) -> String {
    format!("00000000-0000-4000-8000-{index:012}")
}

pub fn bench_patient_id(index: u64) -> crate::patients::PatientId {
    crate::patients::PatientId::new(format!("10000000-0000-4000-8000-{index:012}"))
}

/// Appends `count` synthetic entries spread over the year before now: mostly chart views and
/// searches, some sign-ins, denials and emergency accesses, by 20 staff on 50,000 patients.
/// The anchor moves at the next lock or log-out, as with any entries. `progress` hears
/// (appended, count) after each transaction of 50,000.
pub fn fill_audit_trail(
    session: &mut Session,
    count: u64,
    seed: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> ClinicResult<()> {
    let mut random = Synthetic::new(seed);
    let start = session.clock().now() - time::Duration::days(365);
    let step_ms = (365 * 24 * 3600 * 1000) / i64::try_from(count.max(1)).unwrap_or(i64::MAX);
    let mut written = 0u64;
    while written < count {
        let batch = (count - written).min(50_000);
        let change = session.begin_bench_change()?;
        let (connection, key) = (change.connection(), change.audit_key());
        for index in written..written + batch {
            let user = random.below(BENCH_USERS);
            let actor = Actor {
                user_id: Some(bench_user_id(user)),
                username: Some(format!("staff{user:02}")),
                roles: if user < 2 {
                    "owner".into()
                } else if user < 12 {
                    "clinician".into()
                } else {
                    "front_desk".into()
                },
                workstation_id: "bench-workstation".into(),
            };
            let patient = bench_patient_id(random.below(BENCH_PATIENTS));
            let roll = random.below(1000);
            let event = match roll {
                0..=599 => AuditEvent::success(AuditAction::View).patient(&patient).category("chart"),
                600..=749 => AuditEvent::success(AuditAction::Search)
                    .category("patients")
                    .detail("results", Detail::Count(random.below(20))),
                750..=849 => AuditEvent::success(AuditAction::Update).patient(&patient).category("demographics"),
                850..=899 => AuditEvent::success(AuditAction::Login),
                900..=949 => AuditEvent::success(AuditAction::Logout),
                950..=989 => {
                    AuditEvent::new(AuditAction::View, Outcome::Denied).patient(&patient).reason("permission_denied")
                }
                _ => AuditEvent::success(AuditAction::View)
                    .patient(&patient)
                    .category("chart")
                    .under_emergency_access("bench-access"),
            };
            let at = start + time::Duration::milliseconds(step_ms * i64::try_from(index).unwrap_or(0));
            audit::append(connection, key, &actor, &event, timestamp(at))?;
        }
        change.commit_appended_entries()?;
        written += batch;
        progress(written, count);
    }
    Ok(())
}

/// How long the unlock's check against the anchor takes now (the anchor is read from the keyring
/// as at unlock), and whether it found the chain intact.
pub fn time_unlock_check(session: &mut Session) -> ClinicResult<(Duration, bool)> {
    let started = Instant::now();
    let check = session.check_against_stored_anchor()?;
    Ok((started.elapsed(), check.intact()))
}
