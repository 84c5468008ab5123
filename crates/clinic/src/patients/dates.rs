//! Dates as people type them at the front desk: ISO (1984-03-07), the practice's own order with
//! slashes (07/03/1984 day first, or 03/07/1984 month first), and dotted dates (7.3.1984), which
//! are always day first.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// Whether the practice writes the day or the month first in slashed dates.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum DateOrder {
    /// 07/03/1984 is the 7th of March.
    #[default]
    #[serde(rename = "dmy")]
    #[strum(serialize = "dmy")]
    DayFirst,
    /// 03/07/1984 is the 7th of March.
    #[serde(rename = "mdy")]
    #[strum(serialize = "mdy")]
    MonthFirst,
}

impl DateOrder {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Reads the practice's date order strictly: `dmy` or `mdy`, nothing else.
    pub fn parse(text: &str) -> crate::ClinicResult<DateOrder> {
        crate::codes::parse_code("date_order", text)
    }
}

fn date(year: i32, month: u8, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// Three numbers separated by `separator`, the last of four digits (a year): `(a, b, year)`.
fn three_numbers(text: &str, separator: char) -> Option<(u8, u8, i32)> {
    let parts: Vec<&str> = text.split(separator).collect();
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|byte| byte.is_ascii_digit());
    match parts.as_slice() {
        [a, b, year] if digits(a) && digits(b) && digits(year) && year.len() == 4 && a.len() <= 2 && b.len() <= 2 => {
            Some((a.parse().ok()?, b.parse().ok()?, year.parse().ok()?))
        }
        _ => None,
    }
}

/// A typed date, or `None` when the text is not one of the accepted forms or not a real day.
pub fn parse_typed_date(text: &str, order: DateOrder) -> Option<Date> {
    let text = text.trim();
    if let [year, month, day] = text.split('-').collect::<Vec<_>>().as_slice() {
        let (month, day, year) = three_numbers(&format!("{month}-{day}-{year}"), '-')?;
        return date(year, month, day);
    }
    if let Some((day, month, year)) = three_numbers(text, '.') {
        return date(year, month, day);
    }
    let (first, second, year) = three_numbers(text, '/')?;
    match order {
        DateOrder::DayFirst => date(year, second, first),
        DateOrder::MonthFirst => date(year, first, second),
    }
}

/// Whether the text looks like an attempt at a date (digits with date separators), so search
/// can treat it as one even before it is complete.
pub fn looks_like_date(text: &str) -> bool {
    let has_separator = text.contains(['-', '/', '.']);
    has_separator && text.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.')) && text.len() >= 6
}

pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Whole years between `born` and `on`.
pub fn age_on(born: Date, on: Date) -> i64 {
    let mut years = i64::from(on.year() - born.year());
    if (u8::from(on.month()), on.day()) < (u8::from(born.month()), born.day()) {
        years -= 1;
    }
    years.max(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_accepted_forms_of_a_typed_date() {
        let march_7 = Some(date!(1984 - 03 - 07));
        assert_eq!(parse_typed_date("1984-03-07", DateOrder::DayFirst), march_7);
        assert_eq!(parse_typed_date("07/03/1984", DateOrder::DayFirst), march_7);
        assert_eq!(parse_typed_date("03/07/1984", DateOrder::MonthFirst), march_7);
        assert_eq!(parse_typed_date("7.3.1984", DateOrder::MonthFirst), march_7, "dots are always day first");
        assert_eq!(parse_typed_date("31/02/1984", DateOrder::DayFirst), None, "not a real day");
        assert_eq!(parse_typed_date("7.3.84", DateOrder::DayFirst), None, "two-digit years are ambiguous");
        assert_eq!(parse_typed_date("Müller", DateOrder::DayFirst), None);
    }

    #[test]
    fn ages_count_whole_years() {
        assert_eq!(age_on(date!(1984 - 03 - 07), date!(2026 - 03 - 06)), 41);
        assert_eq!(age_on(date!(1984 - 03 - 07), date!(2026 - 03 - 07)), 42);
        assert!(looks_like_date("1984-03") && !looks_like_date("1984") && !looks_like_date("anna"));
    }
}
