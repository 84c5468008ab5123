//! One search box for the front desk. A query is read as a date of birth (ISO, the practice's
//! order, or dotted), as a phone number or MRN (digits, whatever the formatting), or as the
//! beginnings of name parts, in any order, case and accents ignored ("mull anna" finds Anna
//! Müller); name parts and a date of birth can be combined. The text itself is never stored.

use rusqlite::{Connection, params};
use serde::Serialize;
use time::Date;

use super::dates::{DateOrder, looks_like_date, parse_typed_date};
use super::search_keys::{number_of_mrn, phone_digits, phone_key, query_alternatives};
use crate::error::ClinicResult;

/// What the query was read as (recorded in the audit trail instead of the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Empty,
    Name,
    NameAndDateOfBirth,
    DateOfBirth,
    PhoneOrMrn,
    Incomplete,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Empty => "empty",
            SearchKind::Name => "name",
            SearchKind::NameAndDateOfBirth => "name_and_date_of_birth",
            SearchKind::DateOfBirth => "date_of_birth",
            SearchKind::PhoneOrMrn => "phone_or_mrn",
            SearchKind::Incomplete => "incomplete",
        }
    }
}

/// Patient numbers matching a query, best first, at most `limit` of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHits {
    pub kind: SearchKind,
    pub numbers: Vec<u64>,
}

/// How many token rows one name search reads at most when other words or a date of birth must
/// also match; two-letter prefixes of common names match many rows, and the front desk types on.
const SCAN_BUDGET: usize = 20_000;

/// The smallest text greater than every text starting with `prefix`.
fn upper_bound(prefix: &str) -> String {
    let mut characters: Vec<char> = prefix.chars().collect();
    while let Some(last) = characters.pop() {
        if let Some(next) = char::from_u32(u32::from(last) + 1) {
            characters.push(next);
            return characters.into_iter().collect();
        }
    }
    String::from(char::MAX)
}

/// Reads a query and finds the patients it matches, skipping records entered in error.
pub fn find(connection: &Connection, query: &str, order: DateOrder, limit: usize) -> ClinicResult<SearchHits> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(SearchHits { kind: SearchKind::Empty, numbers: Vec::new() });
    }
    if let Some(born) = parse_typed_date(query, order) {
        return Ok(SearchHits { kind: SearchKind::DateOfBirth, numbers: by_date_of_birth(connection, born, limit)? });
    }
    let phone_like = query.chars().all(|c| c.is_ascii_digit() || " +-()/.".contains(c));
    if phone_like && !looks_like_date(query) {
        let digits = phone_digits(query);
        if digits.len() < 5 {
            return Ok(SearchHits { kind: SearchKind::Incomplete, numbers: Vec::new() });
        }
        return Ok(SearchHits { kind: SearchKind::PhoneOrMrn, numbers: by_phone_or_mrn(connection, &digits, limit)? });
    }
    let mut born = None;
    let mut words = Vec::new();
    for word in query.split_whitespace() {
        if looks_like_date(word) {
            match parse_typed_date(word, order) {
                Some(date) => born = Some(date),
                None => return Ok(SearchHits { kind: SearchKind::Incomplete, numbers: Vec::new() }),
            }
        } else {
            let alternatives = query_alternatives(word);
            if !alternatives.is_empty() {
                words.push(alternatives);
            }
        }
    }
    let kind = if born.is_some() { SearchKind::NameAndDateOfBirth } else { SearchKind::Name };
    if words.is_empty() {
        return Ok(SearchHits { kind: SearchKind::Incomplete, numbers: Vec::new() });
    }
    Ok(SearchHits { kind, numbers: by_names(connection, &words, born, limit)? })
}

fn by_date_of_birth(connection: &Connection, born: Date, limit: usize) -> ClinicResult<Vec<u64>> {
    let mut statement = connection.prepare_cached(
        "SELECT number FROM patients WHERE date_of_birth = ?1 AND entered_in_error = 0 AND number IS NOT NULL
         ORDER BY family_name, given_names LIMIT ?2",
    )?;
    let numbers = statement
        .query_map(params![super::dates::iso(born), limit as i64], |row| row.get::<_, i64>(0))?
        .map(|number| number.map(i64::unsigned_abs))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(numbers)
}

fn by_phone_or_mrn(connection: &Connection, digits: &str, limit: usize) -> ClinicResult<Vec<u64>> {
    let mut numbers = Vec::new();
    if let Some(number) = number_of_mrn(digits) {
        let exists: bool = connection.query_row(
            "SELECT EXISTS (SELECT 1 FROM patients WHERE number = ?1 AND entered_in_error = 0)",
            [number as i64],
            |row| row.get(0),
        )?;
        if exists {
            numbers.push(number);
        }
    }
    if digits.len() >= 6 {
        let key = phone_key(digits);
        let mut statement = connection.prepare_cached(
            "SELECT k.number FROM patient_phone_keys k JOIN patients p ON p.number = k.number
             WHERE k.reversed_digits >= ?1 AND k.reversed_digits < ?2 AND p.entered_in_error = 0
             ORDER BY p.family_name, p.given_names LIMIT ?3",
        )?;
        let found = statement
            .query_map(params![key, upper_bound(&key), limit as i64], |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        for number in found.into_iter().map(i64::unsigned_abs) {
            if !numbers.contains(&number) {
                numbers.push(number);
            }
        }
    }
    numbers.truncate(limit);
    Ok(numbers)
}

/// Name search: the longest word drives a scan of the token index in alphabetical order; each
/// candidate must then match every other word (and the date of birth, if given).
fn by_names(
    connection: &Connection,
    words: &[Vec<String>],
    born: Option<Date>,
    limit: usize,
) -> ClinicResult<Vec<u64>> {
    let driver_index = (0..words.len()).max_by_key(|&index| words[index].iter().map(String::len).max()).unwrap_or(0);
    let others: Vec<&Vec<String>> =
        words.iter().enumerate().filter(|(index, _)| *index != driver_index).map(|(_, word)| word).collect();
    // With nothing else to check, a few rows per result are enough (a patient has several tokens).
    let budget = if others.is_empty() && born.is_none() { limit * 4 } else { SCAN_BUDGET };
    let mut candidates: Vec<(String, u64)> = Vec::new();
    for prefix in &words[driver_index] {
        candidates.extend(scan_prefix(connection, prefix, budget)?);
    }
    candidates.sort();
    let mut found: Vec<u64> = Vec::new();
    let mut tokens_of = connection.prepare_cached("SELECT token FROM patient_name_tokens WHERE number = ?1")?;
    let mut patient_of =
        connection.prepare_cached("SELECT date_of_birth, entered_in_error FROM patients WHERE number = ?1")?;
    for (_, number) in candidates {
        if found.len() >= limit {
            break;
        }
        if found.contains(&number) {
            continue;
        }
        if !others.is_empty() {
            let tokens =
                tokens_of.query_map([number as i64], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
            let matches_all = others.iter().all(|alternatives| {
                alternatives.iter().any(|prefix| tokens.iter().any(|token| token.starts_with(prefix.as_str())))
            });
            if !matches_all {
                continue;
            }
        }
        let (date_of_birth, entered_in_error): (Option<String>, bool) =
            patient_of.query_row([number as i64], |row| Ok((row.get(0)?, row.get(1)?)))?;
        if entered_in_error {
            continue;
        }
        if let Some(born) = born
            && date_of_birth.as_deref() != Some(super::dates::iso(born).as_str())
        {
            continue;
        }
        found.push(number);
    }
    Ok(found)
}

/// Tokens starting with `prefix`, in alphabetical order, at most `budget` of them.
fn scan_prefix(connection: &Connection, prefix: &str, budget: usize) -> ClinicResult<Vec<(String, u64)>> {
    let mut statement = connection.prepare_cached(
        "SELECT token, number FROM patient_name_tokens WHERE token >= ?1 AND token < ?2 ORDER BY token, number LIMIT ?3",
    )?;
    let rows = statement
        .query_map(params![prefix, upper_bound(prefix), budget as i64], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?.unsigned_abs()))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upper_bounds_close_a_prefix_range() {
        assert_eq!(upper_bound("mull"), "mulm");
        assert_eq!(upper_bound("müll"), "mülm");
        assert!("mullerx" < upper_bound("mull").as_str() && "mull" >= "mull");
    }
}
