//! Sign-in throttling. After 3 wrong passwords each further attempt waits longer; after 10
//! within an hour the account is locked for 15 minutes (the Owner can unlock it sooner). The
//! counters must work while the database is closed and survive a restart, so they live in a
//! small file beside it: usernames of the practice's staff and times, never typed text.
//!
//! Someone with write access to the data folder could delete the file to reset the counters;
//! they would still need this PC's keyring and would face Argon2id on every guess.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::error::{ClinicError, ClinicResult};

pub const FREE_FAILURES: usize = 3;
pub const LOCKOUT_FAILURES: usize = 10;
pub const FAILURE_WINDOW: Duration = Duration::hours(1);
pub const LOCKOUT: Duration = Duration::minutes(15);
const FIRST_DELAY: Duration = Duration::seconds(5);
const LONGEST_DELAY: Duration = Duration::minutes(5);

/// The bucket for usernames that do not belong to the practice (never stored as typed).
pub const UNKNOWN_ACCOUNT: &str = "?";

#[derive(Debug, Default, Serialize, Deserialize)]
struct ThrottleFile {
    accounts: BTreeMap<String, AccountFailures>,
}

#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct AccountFailures {
    /// Unix times of the failures within the last hour.
    failures: Vec<i64>,
    locked_until: Option<i64>,
}

fn load(path: &Path) -> ThrottleFile {
    std::fs::read(path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default()
}

fn save(path: &Path, file: &ThrottleFile) {
    let written = serde_json::to_vec(file)
        .map_err(|_| ClinicError::Internal("encoding failed"))
        .and_then(|bytes| chartkeep_vault::write_atomically(path, &bytes).map_err(ClinicError::from));
    if let Err(error) = written {
        tracing::error!(%error, "could not save the sign-in throttle counters");
    }
}

fn recent(failures: &[i64], now: OffsetDateTime) -> Vec<i64> {
    let since = (now - FAILURE_WINDOW).unix_timestamp();
    failures.iter().copied().filter(|at| *at > since).collect()
}

/// How long to wait after `count` recent failures before the next attempt.
fn delay_after(count: usize) -> Duration {
    if count < FREE_FAILURES {
        return Duration::ZERO;
    }
    let doublings = u32::try_from(count - FREE_FAILURES).unwrap_or(u32::MAX).min(16);
    (FIRST_DELAY * 2_i32.pow(doublings)).min(LONGEST_DELAY)
}

fn whole_minutes(duration: Duration) -> i64 {
    (duration.whole_seconds() + 59) / 60
}

/// Refuses an attempt on a locked account or one that must still wait.
pub fn check(path: &Path, account: &str, now: OffsetDateTime) -> ClinicResult<()> {
    let file = load(path);
    let Some(entry) = file.accounts.get(account) else { return Ok(()) };
    let now_unix = now.unix_timestamp();
    if let Some(until) = entry.locked_until.filter(|until| *until > now_unix) {
        return Err(ClinicError::AccountLocked { minutes: whole_minutes(Duration::seconds(until - now_unix)) });
    }
    let recent = recent(&entry.failures, now);
    let Some(last) = recent.iter().max() else { return Ok(()) };
    let wait_until = *last + delay_after(recent.len()).whole_seconds();
    if wait_until > now_unix {
        return Err(ClinicError::TooManyAttempts { seconds: wait_until - now_unix });
    }
    Ok(())
}

/// Counts a failure; the tenth within an hour locks the account.
pub fn record_failure(path: &Path, account: &str, now: OffsetDateTime) {
    let mut file = load(path);
    let entry = file.accounts.entry(account.to_owned()).or_default();
    let mut failures = recent(&entry.failures, now);
    failures.push(now.unix_timestamp());
    if failures.len() >= LOCKOUT_FAILURES {
        entry.locked_until = Some((now + LOCKOUT).unix_timestamp());
        failures.clear();
        tracing::warn!("an account was locked after too many wrong passwords");
    }
    entry.failures = failures;
    save(path, &file);
}

/// Forgets an account's failures and lockout: after a successful sign-in, or the Owner's unlock.
pub fn clear(path: &Path, account: &str) {
    let mut file = load(path);
    if file.accounts.remove(account).is_some() {
        save(path, &file);
    }
}

/// Whether an account is locked out now (for the Owner's user list).
pub fn is_locked(path: &Path, account: &str, now: OffsetDateTime) -> bool {
    matches!(check(path, account, now), Err(ClinicError::AccountLocked { .. }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-11-25 08:00 UTC);

    #[test]
    fn three_failures_are_free_then_delays_grow_then_ten_lock_the_account() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("throttle.json");
        let mut now = START;
        for _ in 0..FREE_FAILURES - 1 {
            record_failure(&path, "dana", now);
            assert!(check(&path, "dana", now).is_ok());
        }
        record_failure(&path, "dana", now);
        assert!(matches!(check(&path, "dana", now), Err(ClinicError::TooManyAttempts { seconds: 5 })));
        now += Duration::seconds(5);
        assert!(check(&path, "dana", now).is_ok());
        record_failure(&path, "dana", now);
        assert!(matches!(check(&path, "dana", now), Err(ClinicError::TooManyAttempts { seconds: 10 })));
        assert!(check(&path, "sam", now).is_ok(), "other accounts are not affected");
        for _ in FREE_FAILURES + 1..LOCKOUT_FAILURES {
            now += LONGEST_DELAY;
            record_failure(&path, "dana", now);
        }
        assert!(matches!(check(&path, "dana", now), Err(ClinicError::AccountLocked { minutes: 15 })));
        assert!(is_locked(&path, "dana", now + Duration::minutes(14)));
        assert!(check(&path, "dana", now + LOCKOUT).is_ok(), "the lockout ends by itself");
        record_failure(&path, "dana", now + LOCKOUT);
        clear(&path, "dana");
        assert!(check(&path, "dana", now + LOCKOUT).is_ok());
    }

    #[test]
    fn failures_older_than_an_hour_no_longer_count() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("throttle.json");
        for _ in 0..FREE_FAILURES {
            record_failure(&path, "dana", START);
        }
        assert!(check(&path, "dana", START + FAILURE_WINDOW + Duration::seconds(1)).is_ok());
    }
}
