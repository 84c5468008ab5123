//! When a scheduled backup is due: daily at the Owner's local time while the app is unlocked,
//! and on sign-out or exit when the last verified backup has grown too old.

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, Time, UtcOffset};

/// `HH:MM` as a time of day.
pub fn parse_time_of_day(text: &str) -> Option<Time> {
    let (hours, minutes) = text.trim().split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    Time::from_hms(hours.parse().ok()?, minutes.parse().ok()?, 0).ok()
}

/// Whole hours from a stored timestamp to `now`; `None` when the timestamp does not read.
pub fn hours_since(stored: &str, now: OffsetDateTime) -> Option<i64> {
    let then = OffsetDateTime::parse(stored, &Rfc3339).ok()?;
    Some((now - then).whole_hours())
}

/// Whether the daily backup is due: today's backup time (on the clock at `offset`) has passed,
/// and no backup was made since that time.
pub fn daily_backup_due(
    daily_at: Option<&str>,
    last_backup_at: Option<&str>,
    now: OffsetDateTime,
    offset: UtcOffset,
) -> bool {
    let Some(at) = daily_at.and_then(parse_time_of_day) else { return false };
    let local_now = now.to_offset(offset);
    let scheduled = local_now.replace_time(at);
    if local_now < scheduled {
        return false;
    }
    match last_backup_at.and_then(|stored| OffsetDateTime::parse(stored, &Rfc3339).ok()) {
        Some(last) => last < scheduled,
        None => true,
    }
}

/// Whether signing out (or closing the app) should make a backup first.
pub fn log_off_backup_due(after_hours: Option<u32>, last_verified_at: Option<&str>, now: OffsetDateTime) -> bool {
    let Some(limit) = after_hours else { return false };
    match last_verified_at.and_then(|stored| hours_since(stored, now)) {
        Some(hours) => hours >= i64::from(limit),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{datetime, offset};

    use super::*;

    #[test]
    fn times_of_day_read_only_as_hh_mm() {
        assert_eq!(parse_time_of_day("18:30"), Some(time::macros::time!(18:30)));
        assert_eq!(parse_time_of_day(" 07:05 "), Some(time::macros::time!(07:05)));
        for wrong in ["7:05", "24:00", "18:60", "1830", "", "aa:bb"] {
            assert_eq!(parse_time_of_day(wrong), None, "{wrong:?}");
        }
    }

    #[test]
    fn the_daily_backup_is_due_once_its_local_time_has_passed_and_none_was_made_since() {
        // 18:30 in Vienna in winter (UTC+1) is 17:30 UTC.
        let vienna = offset!(+1);
        let before = datetime!(2026-11-25 17:29 UTC);
        let after = datetime!(2026-11-25 17:31 UTC);
        assert!(!daily_backup_due(Some("18:30"), None, before, vienna));
        assert!(daily_backup_due(Some("18:30"), None, after, vienna));
        assert!(daily_backup_due(Some("18:30"), Some("2026-11-24T17:40:00.000Z"), after, vienna), "yesterday's");
        assert!(!daily_backup_due(Some("18:30"), Some("2026-11-25T17:30:30.000Z"), after, vienna), "made today");
        assert!(!daily_backup_due(None, None, after, vienna), "no schedule");
    }

    #[test]
    fn signing_out_backs_up_when_the_last_verified_backup_is_too_old() {
        let now = datetime!(2026-11-25 12:00 UTC);
        assert!(log_off_backup_due(Some(24), None, now));
        assert!(log_off_backup_due(Some(24), Some("2026-11-24T11:00:00.000Z"), now));
        assert!(!log_off_backup_due(Some(24), Some("2026-11-24T13:00:00.000Z"), now));
        assert!(!log_off_backup_due(None, None, now));
    }
}
