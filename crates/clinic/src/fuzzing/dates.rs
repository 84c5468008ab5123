//! The typed dates' target.

use time::Date;

use crate::patients::dates::{DateOrder, iso, looks_like_date, parse_typed_date};

/// Typed dates: any text, either date order; an accepted date is a real day that reads back
/// the same from its ISO form and from the form it was typed in, and looks like a date to search.
/// The first byte chooses the order (odd: month first).
pub fn typed_date(data: &[u8]) {
    let Some((&mode, body)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(body) else { return };
    let order = if mode & 1 == 1 { DateOrder::MonthFirst } else { DateOrder::DayFirst };
    let _ = DateOrder::parse(text);
    let Some(date) = parse_typed_date(text, order) else { return };
    let written = iso(date);
    assert_eq!(written.len(), 10, "an ISO date of another length: {written}");
    for either in [DateOrder::DayFirst, DateOrder::MonthFirst] {
        assert_eq!(parse_typed_date(&written, either), Some(date), "{written} does not read back");
    }
    let (year, month, day) = (date.year(), u8::from(date.month()), date.day());
    assert_eq!(Date::from_calendar_date(year, date.month(), day).ok(), Some(date));
    let typed = text.trim();
    let again = if typed.contains('.') {
        format!("{day}.{month}.{year:04}")
    } else if typed.contains('/') {
        match order {
            DateOrder::DayFirst => format!("{day:02}/{month:02}/{year:04}"),
            DateOrder::MonthFirst => format!("{month:02}/{day:02}/{year:04}"),
        }
    } else {
        written.clone()
    };
    assert_eq!(parse_typed_date(&again, order), Some(date), "{again} does not read back");
    assert!(looks_like_date(typed), "an accepted date that search does not take for one");
}
