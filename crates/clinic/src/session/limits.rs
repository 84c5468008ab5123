//! How long a session may last: an idle timeout per role (set by the Owner) and an absolute
//! limit whatever the activity. Times come from the wall clock, so a suspended laptop counts
//! its whole night as idle time.

use time::{Duration, OffsetDateTime};

/// No session lasts longer than this, however active.
pub const ABSOLUTE_SESSION_LIMIT: Duration = Duration::hours(12);

/// How far the clock may step back (a time-zone or NTP correction) before the session stops
/// trusting its own idle measurement and ends.
const CLOCK_STEP_BACK_TOLERANCE: Duration = Duration::minutes(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionLimits {
    pub idle: Duration,
    pub absolute: Duration,
}

/// Why a session ended by itself, as recorded in the audit trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Idle,
    AbsoluteLimit,
    ClockSteppedBack,
}

impl Expiry {
    pub fn as_str(self) -> &'static str {
        match self {
            Expiry::Idle => "idle_timeout",
            Expiry::AbsoluteLimit => "absolute_limit",
            Expiry::ClockSteppedBack => "clock_stepped_back",
        }
    }
}

impl SessionLimits {
    pub fn with_idle_minutes(minutes: u32) -> SessionLimits {
        SessionLimits { idle: Duration::minutes(i64::from(minutes)), absolute: ABSOLUTE_SESSION_LIMIT }
    }

    /// Whether a session that started at `started_at` and was last used at `last_activity` has
    /// run out at `now`.
    pub fn expiry(
        &self,
        started_at: OffsetDateTime,
        last_activity: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Option<Expiry> {
        if now < last_activity - CLOCK_STEP_BACK_TOLERANCE {
            Some(Expiry::ClockSteppedBack)
        } else if now - started_at >= self.absolute {
            Some(Expiry::AbsoluteLimit)
        } else if now - last_activity >= self.idle {
            Some(Expiry::Idle)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const START: OffsetDateTime = datetime!(2026-11-25 08:00 UTC);

    #[test]
    fn idle_time_absolute_limit_and_a_clock_stepping_back_each_end_a_session() {
        let limits = SessionLimits::with_idle_minutes(5);
        let minutes = |m: i64| START + Duration::minutes(m);
        assert_eq!(limits.expiry(START, START, minutes(4)), None);
        assert_eq!(limits.expiry(START, START, minutes(5)), Some(Expiry::Idle));
        assert_eq!(limits.expiry(START, minutes(719), minutes(720)), Some(Expiry::AbsoluteLimit));
        assert_eq!(limits.expiry(START, minutes(30), minutes(29)), None, "a small step back is tolerated");
        assert_eq!(limits.expiry(START, minutes(30), minutes(20)), Some(Expiry::ClockSteppedBack));
    }
}
