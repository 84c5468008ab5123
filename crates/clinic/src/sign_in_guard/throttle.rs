//! Sign-in throttling. After 3 wrong passwords each further attempt waits longer; after 10
//! within an hour the account is locked for 15 minutes (the Owner can unlock it sooner). The
//! counters must work while the database is closed and survive a restart, so they live in a
//! small file beside it: usernames of the practice's staff and times, never typed text.
//!
//! The file carries an HMAC keyed from this PC's device secret, and the keyring entry keeps the
//! digests of its present state (`mod.rs`). A file that was edited, forged, rolled back or
//! deleted is therefore noticed; then every account is locked for the lockout time (the safe
//! side: the counters it held are unknown) and an integrity alert follows at the next sign-in.

use std::collections::BTreeMap;

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

/// The counters, as the file holds them under its MAC.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ThrottleState {
    pub accounts: BTreeMap<String, AccountFailures>,
    /// Set when the file was found tampered with: every account waits until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub everyone_locked_until: Option<i64>,
}

#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountFailures {
    /// Unix times of the failures within the last hour.
    pub failures: Vec<i64>,
    pub locked_until: Option<i64>,
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

impl ThrottleState {
    /// Refuses an attempt on a locked account or one that must still wait.
    pub fn check(&self, account: &str, now: OffsetDateTime) -> ClinicResult<()> {
        let now_unix = now.unix_timestamp();
        let locked_until = self.accounts.get(account).and_then(|entry| entry.locked_until);
        let until = [locked_until, self.everyone_locked_until].into_iter().flatten().filter(|until| *until > now_unix);
        if let Some(until) = until.max() {
            return Err(ClinicError::AccountLocked { minutes: whole_minutes(Duration::seconds(until - now_unix)) });
        }
        let Some(entry) = self.accounts.get(account) else { return Ok(()) };
        let recent = recent(&entry.failures, now);
        let Some(last) = recent.iter().max() else { return Ok(()) };
        let wait_until = *last + delay_after(recent.len()).whole_seconds();
        if wait_until > now_unix {
            return Err(ClinicError::TooManyAttempts { seconds: wait_until - now_unix });
        }
        Ok(())
    }

    /// Counts a failure; the tenth within an hour locks the account. Returns whether it did.
    pub fn record_failure(&mut self, account: &str, now: OffsetDateTime) -> bool {
        let entry = self.accounts.entry(account.to_owned()).or_default();
        let mut failures = recent(&entry.failures, now);
        failures.push(now.unix_timestamp());
        let locked = failures.len() >= LOCKOUT_FAILURES;
        if locked {
            entry.locked_until = Some((now + LOCKOUT).unix_timestamp());
            failures.clear();
            tracing::warn!("an account was locked after too many wrong passwords");
        }
        entry.failures = failures;
        locked
    }

    /// Forgets an account's failures and lockout (and a lockout of everyone): after a
    /// successful sign-in, or the Owner's unlock.
    pub fn clear(&mut self, account: &str) {
        self.accounts.remove(account);
        self.everyone_locked_until = None;
    }

    /// The state to adopt when the file cannot be trusted: every account locked out.
    pub fn everyone_locked(now: OffsetDateTime) -> ThrottleState {
        ThrottleState { accounts: BTreeMap::new(), everyone_locked_until: Some((now + LOCKOUT).unix_timestamp()) }
    }

    pub fn is_locked(&self, account: &str, now: OffsetDateTime) -> bool {
        matches!(self.check(account, now), Err(ClinicError::AccountLocked { .. }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-11-25 08:00 UTC);

    #[test]
    fn three_failures_are_free_then_delays_grow_then_ten_lock_the_account() {
        let mut state = ThrottleState::default();
        let mut now = START;
        for _ in 0..FREE_FAILURES - 1 {
            state.record_failure("dana", now);
            assert!(state.check("dana", now).is_ok());
        }
        state.record_failure("dana", now);
        assert!(matches!(state.check("dana", now), Err(ClinicError::TooManyAttempts { seconds: 5 })));
        now += Duration::seconds(5);
        assert!(state.check("dana", now).is_ok());
        state.record_failure("dana", now);
        assert!(matches!(state.check("dana", now), Err(ClinicError::TooManyAttempts { seconds: 10 })));
        assert!(state.check("sam", now).is_ok(), "other accounts are not affected");
        for _ in FREE_FAILURES + 1..LOCKOUT_FAILURES {
            now += LONGEST_DELAY;
            state.record_failure("dana", now);
        }
        assert!(matches!(state.check("dana", now), Err(ClinicError::AccountLocked { minutes: 15 })));
        assert!(state.is_locked("dana", now + Duration::minutes(14)));
        assert!(state.check("dana", now + LOCKOUT).is_ok(), "the lockout ends by itself");
        state.record_failure("dana", now + LOCKOUT);
        state.clear("dana");
        assert!(state.check("dana", now + LOCKOUT).is_ok());
    }

    #[test]
    fn failures_older_than_an_hour_no_longer_count() {
        let mut state = ThrottleState::default();
        for _ in 0..FREE_FAILURES {
            state.record_failure("dana", START);
        }
        assert!(state.check("dana", START + FAILURE_WINDOW + Duration::seconds(1)).is_ok());
    }

    #[test]
    fn a_state_that_cannot_be_trusted_locks_everyone_for_the_lockout_time() {
        let state = ThrottleState::everyone_locked(START);
        assert!(matches!(state.check("dana", START), Err(ClinicError::AccountLocked { minutes: 15 })));
        assert!(state.check(UNKNOWN_ACCOUNT, START + Duration::minutes(10)).is_err());
        assert!(state.check("dana", START + LOCKOUT).is_ok());
    }
}
