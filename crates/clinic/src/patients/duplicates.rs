//! Probable duplicates: the same person registered twice is the classic failure of small
//! practices. A new or imported record is compared with existing ones on four signs: the same
//! date of birth with a similar name (Jaro-Winkler on folded names), the same phone number, the
//! same name with day and month of birth swapped, and given and family names transposed.

use rusqlite::Connection;
use serde::Serialize;
use time::Date;

use super::search_keys::{fold_words, phone_digits, phone_key};
use super::store::duplicates::{numbers_with_phone_key, with_date_of_birth};
use crate::error::ClinicResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum DuplicateSign {
    SameDateOfBirthSimilarName,
    NamesTransposed,
    DayAndMonthSwapped,
    SamePhone,
}

impl DuplicateSign {
    pub fn as_str(self) -> &'static str {
        match self {
            DuplicateSign::SameDateOfBirthSimilarName => "same_date_of_birth_similar_name",
            DuplicateSign::NamesTransposed => "names_transposed",
            DuplicateSign::DayAndMonthSwapped => "day_and_month_swapped",
            DuplicateSign::SamePhone => "same_phone",
        }
    }

    /// The sign in words, for reports printed outside the app.
    pub fn describe(self) -> &'static str {
        match self {
            DuplicateSign::SameDateOfBirthSimilarName => "same date of birth, similar name",
            DuplicateSign::NamesTransposed => "given and family names swapped",
            DuplicateSign::DayAndMonthSwapped => "same name, day and month of birth swapped",
            DuplicateSign::SamePhone => "same phone number",
        }
    }
}

/// What a record is compared on.
#[derive(Clone, Default)]
pub struct DuplicateProbe {
    pub family_name: String,
    pub given_names: String,
    pub date_of_birth: Option<Date>,
    pub phones: Vec<String>,
}

impl std::fmt::Debug for DuplicateProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DuplicateProbe([redacted])")
    }
}

/// An existing record that is probably the same person, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateMatch {
    pub number: u64,
    pub signs: Vec<DuplicateSign>,
}

fn folded(name: &str) -> String {
    fold_words(name).join(" ")
}

/// How two names compare: similar in the same order, similar with given and family names
/// swapped, or neither. Empty given names compare on the family name alone.
pub fn compare_names(
    family_a: &str,
    given_a: &str,
    family_b: &str,
    given_b: &str,
    strict: bool,
) -> Option<DuplicateSign> {
    let (family_a, given_a, family_b, given_b) = (folded(family_a), folded(given_a), folded(family_b), folded(given_b));
    if family_a.is_empty() || family_b.is_empty() {
        return None;
    }
    let similar =
        |a: &str, b: &str, threshold: f64| a.is_empty() || b.is_empty() || strsim::jaro_winkler(a, b) >= threshold;
    let (family_threshold, given_threshold) = if strict { (0.93, 0.90) } else { (0.88, 0.80) };
    if strsim::jaro_winkler(&family_a, &family_b) >= family_threshold && similar(&given_a, &given_b, given_threshold) {
        return Some(DuplicateSign::SameDateOfBirthSimilarName);
    }
    let transposed = !given_a.is_empty()
        && !given_b.is_empty()
        && strsim::jaro_winkler(&family_a, &given_b) >= 0.92
        && strsim::jaro_winkler(&given_a, &family_b) >= 0.92;
    transposed.then_some(DuplicateSign::NamesTransposed)
}

/// The same day with day and month swapped, when that is another real day.
pub fn swapped_day_and_month(date: Date) -> Option<Date> {
    let (day, month) = (date.day(), u8::from(date.month()));
    if day == month || day > 12 {
        return None;
    }
    Date::from_calendar_date(date.year(), time::Month::try_from(day).ok()?, month).ok()
}

fn add(matches: &mut Vec<DuplicateMatch>, number: u64, sign: DuplicateSign) {
    match matches.iter_mut().find(|found| found.number == number) {
        Some(found) if !found.signs.contains(&sign) => found.signs.push(sign),
        Some(_) => {}
        None => matches.push(DuplicateMatch { number, signs: vec![sign] }),
    }
}

/// Existing records that are probably the person described by `probe`, leaving out `itself`.
pub fn probable_duplicates(
    connection: &Connection,
    probe: &DuplicateProbe,
    itself: Option<u64>,
) -> ClinicResult<Vec<DuplicateMatch>> {
    let mut matches = Vec::new();
    if let Some(born) = probe.date_of_birth {
        for candidate in with_date_of_birth(connection, born)? {
            let compared = compare_names(
                &probe.family_name,
                &probe.given_names,
                &candidate.family_name,
                &candidate.given_names,
                false,
            );
            if let Some(sign) = compared {
                add(&mut matches, candidate.number, sign);
            }
        }
        if let Some(swapped) = swapped_day_and_month(born) {
            for candidate in with_date_of_birth(connection, swapped)? {
                let compared = compare_names(
                    &probe.family_name,
                    &probe.given_names,
                    &candidate.family_name,
                    &candidate.given_names,
                    true,
                );
                if compared == Some(DuplicateSign::SameDateOfBirthSimilarName) {
                    add(&mut matches, candidate.number, DuplicateSign::DayAndMonthSwapped);
                }
            }
        }
    }
    for phone in &probe.phones {
        let digits = phone_digits(phone);
        if digits.len() < 6 {
            continue;
        }
        for number in numbers_with_phone_key(connection, &phone_key(&digits))? {
            add(&mut matches, number, DuplicateSign::SamePhone);
        }
    }
    matches.retain(|found| Some(found.number) != itself);
    for found in &mut matches {
        found.signs.sort();
    }
    Ok(matches)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_duplicate_signs_between_two_names() {
        let sign = |a: (&str, &str), b: (&str, &str)| compare_names(a.0, a.1, b.0, b.1, false);
        assert_eq!(sign(("Müller", "Anna"), ("Mueller", "Anna")), Some(DuplicateSign::SameDateOfBirthSimilarName));
        assert_eq!(sign(("Martha", "Jones"), ("Jones", "Martha")), Some(DuplicateSign::NamesTransposed));
        assert_eq!(sign(("Smith", "John"), ("Smyth", "Jon")), Some(DuplicateSign::SameDateOfBirthSimilarName));
        assert_eq!(sign(("Smith", "John"), ("Okafor", "Amara")), None);
        assert_eq!(sign(("Nguyễn", "Văn An"), ("Nguyen", "Van An")), Some(DuplicateSign::SameDateOfBirthSimilarName));
    }

    #[test]
    fn day_and_month_swap_only_when_it_makes_another_real_day() {
        assert_eq!(swapped_day_and_month(date!(1984 - 03 - 07)), Some(date!(1984 - 07 - 03)));
        assert_eq!(swapped_day_and_month(date!(1984 - 03 - 13)), None);
        assert_eq!(swapped_day_and_month(date!(1984 - 05 - 05)), None);
    }
}
