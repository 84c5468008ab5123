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
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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

/// How many index rows a word's prefixes match, counted no further than this: enough to
/// choose the rarest word to drive the search.
const SELECTIVITY_CAP: i64 = 5_000;

fn matching_tokens(connection: &Connection, prefixes: &[String]) -> ClinicResult<i64> {
    let mut statement = connection.prepare_cached(
        "SELECT count(*) FROM (SELECT 1 FROM patient_name_tokens WHERE token >= ?1 AND token < ?2 LIMIT ?3)",
    )?;
    let mut total = 0;
    for prefix in prefixes {
        total +=
            statement.query_row(params![prefix, upper_bound(prefix), SELECTIVITY_CAP], |row| row.get::<_, i64>(0))?;
    }
    Ok(total)
}

/// Below this many matching index rows, the rarest word drives the search (each of its rows
/// checked against the other words); above it, the words' ranges are intersected.
const DRIVE_BELOW: i64 = 1_000;

/// The condition "a token starts with one of these prefixes", for column `column`.
fn prefix_condition(column: &str, prefixes: &[String], values: &mut Vec<rusqlite::types::Value>) -> String {
    let ranges: Vec<String> = prefixes
        .iter()
        .map(|prefix| {
            values.push(prefix.clone().into());
            values.push(upper_bound(prefix).into());
            format!("({column} >= ? AND {column} < ?)")
        })
        .collect();
    format!("({})", ranges.join(" OR "))
}

/// Name search. One word, or a rare one among several, drives a scan of the token index in
/// alphabetical order, with the other words, the date of birth and "not entered in error"
/// checked inside the same query so the scan stops at `limit`. Several common words (two or
/// three letters of frequent names) are found by intersecting each word's range of the index,
/// read in order rather than row by row, and shown sorted by name.
fn by_names(
    connection: &Connection,
    words: &[Vec<String>],
    born: Option<Date>,
    limit: usize,
) -> ClinicResult<Vec<u64>> {
    let mut counts = Vec::with_capacity(words.len());
    for word in words {
        counts.push(if words.len() == 1 { 0 } else { matching_tokens(connection, word)? });
    }
    let driver_index = (0..words.len()).min_by_key(|&index| counts[index]).unwrap_or(0);
    if words.len() > 1 && counts[driver_index] >= DRIVE_BELOW {
        return by_intersection(connection, words, born, limit);
    }
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    let driver = prefix_condition("t.token", &words[driver_index], &mut values);
    let mut conditions = String::new();
    for word in words.iter().enumerate().filter(|(index, _)| *index != driver_index).map(|(_, word)| word) {
        let other = prefix_condition("o.token", word, &mut values);
        conditions.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM patient_name_tokens o WHERE o.number = t.number AND {other})"
        ));
    }
    conditions
        .push_str(" AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.number = t.number AND p.entered_in_error = 1)");
    if let Some(born) = born {
        conditions.push_str(" AND EXISTS (SELECT 1 FROM patients p WHERE p.number = t.number AND p.date_of_birth = ?)");
        values.push(super::dates::iso(born).into());
    }
    // A patient may match through several of their tokens: read enough rows for `limit` people.
    values.push(((limit * 4) as i64).into());
    let sql = format!(
        "SELECT t.token, t.number FROM patient_name_tokens t WHERE {driver}{conditions} ORDER BY t.token, t.number LIMIT ?"
    );
    let candidates = connection
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(values), |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?.unsigned_abs()))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut found: Vec<u64> = Vec::new();
    for (_, number) in candidates {
        if found.len() >= limit {
            break;
        }
        if !found.contains(&number) {
            found.push(number);
        }
    }
    Ok(found)
}

/// The patients whose tokens match every word, by intersecting the words' ranges of the index;
/// the first `limit` of them (and of those born on `born`) in order of name.
fn by_intersection(
    connection: &Connection,
    words: &[Vec<String>],
    born: Option<Date>,
    limit: usize,
) -> ClinicResult<Vec<u64>> {
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    let parts: Vec<String> = words
        .iter()
        .map(|word| {
            format!("SELECT number FROM patient_name_tokens WHERE {}", prefix_condition("token", word, &mut values))
        })
        .collect();
    let mut sql = format!(
        "SELECT p.number FROM patients p WHERE p.number IN ({}) AND p.entered_in_error = 0",
        parts.join(" INTERSECT ")
    );
    if let Some(born) = born {
        sql.push_str(" AND p.date_of_birth = ?");
        values.push(super::dates::iso(born).into());
    }
    sql.push_str(" ORDER BY p.family_name, p.given_names LIMIT ?");
    values.push((limit as i64).into());
    let numbers = connection
        .prepare_cached(&sql)?
        .query_map(rusqlite::params_from_iter(values), |row| row.get::<_, i64>(0))?
        .map(|number| number.map(i64::unsigned_abs))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(numbers)
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
