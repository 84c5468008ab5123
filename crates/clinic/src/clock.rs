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

/// The offset from UTC of the clock on the wall where a printout is read, in minutes (east is
/// positive). The UI sends its own; printouts say which offset they use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WallClock {
    pub offset_minutes: i16,
}

impl WallClock {
    fn offset(self) -> time::UtcOffset {
        let seconds = i32::from(self.offset_minutes.clamp(-18 * 60 + 1, 18 * 60 - 1)) * 60;
        time::UtcOffset::from_whole_seconds(seconds).unwrap_or(time::UtcOffset::UTC)
    }

    /// A stored timestamp as people read it here, e.g. `2026-11-25 10:42`; stored text that is
    /// not a timestamp is shown as it is.
    pub fn show(self, stored: &str) -> String {
        let format = format_description!("[year]-[month]-[day] [hour]:[minute]");
        OffsetDateTime::parse(stored, &time::format_description::well_known::Rfc3339)
            .ok()
            .and_then(|at| at.to_offset(self.offset()).format(&format).ok())
            .unwrap_or_else(|| stored.to_owned())
    }

    /// The zone as printed beside times, e.g. `UTC+01:00`.
    pub fn zone_label(self) -> String {
        let minutes = i32::from(self.offset_minutes);
        let sign = if minutes < 0 { '-' } else { '+' };
        format!("UTC{sign}{:02}:{:02}", minutes.abs() / 60, minutes.abs() % 60)
    }
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

    #[test]
    fn stored_times_are_shown_on_the_wall_clock_with_its_zone() {
        let vienna = WallClock { offset_minutes: 60 };
        assert_eq!(vienna.show("2026-11-25T09:41:59.999Z"), "2026-11-25 10:41");
        assert_eq!(vienna.zone_label(), "UTC+01:00");
        assert_eq!(WallClock { offset_minutes: -210 }.zone_label(), "UTC-03:30");
        assert_eq!(WallClock::default().show("not a time"), "not a time");
    }
}
