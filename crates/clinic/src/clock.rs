//! The time source of use cases, injectable so tests can move time without sleeping.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

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

/// A UTC timestamp as stored in the database: RFC 3339 with milliseconds, e.g.
/// `2026-11-25T01:58:00.123Z`, which sorts as text in time order.
pub fn timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    let truncated = at.replace_nanosecond(at.millisecond() as u32 * 1_000_000).unwrap_or(at);
    truncated.format(&Rfc3339).unwrap_or_else(|_| at.unix_timestamp().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds() {
        let at = time::macros::datetime!(2026-11-25 03:04:05.123456 +02:00);
        assert_eq!(timestamp(at), "2026-11-25T01:04:05.123Z");
    }
}
