//! The time source of use cases, injectable so tests can move time without sleeping.

use time::OffsetDateTime;
use time::macros::format_description;

pub trait Clock: Send + Sync + std::fmt::Debug {
    fn now(&self) -> OffsetDateTime;
}

/// The system's clock, in UTC.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// A UTC timestamp as stored in the database: RFC 3339 with exactly three fractional digits,
/// e.g. `2026-11-25T01:58:00.000Z`. The fixed width makes text order the same as time order.
pub fn timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    at.format(&format).unwrap_or_else(|_| at.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let at = time::macros::datetime!(2026-11-25 03:04:05.123456 +02:00);
        assert_eq!(timestamp(at), "2026-11-25T01:04:05.123Z");
        let whole_second = time::macros::datetime!(2026-11-25 03:04:05 +02:00);
        assert_eq!(timestamp(whole_second), "2026-11-25T01:04:05.000Z", "always three digits, so text sorts by time");
    }
}
