//! One search box for the front desk. A query is read as a date of birth (ISO, the practice's
//! order, or dotted), as a phone number or MRN (digits, whatever the formatting), or as the
//! beginnings of name parts, in any order, case and accents ignored ("mull anna" finds Anna
//! Müller); name parts and a date of birth can be combined. The text itself is never stored.

use rusqlite::Connection;
use serde::Serialize;
use time::Date;

use super::dates::{DateOrder, iso, looks_like_date, parse_typed_date};
use super::search_keys::{number_of_mrn, phone_digits, phone_key, query_alternatives};
use super::store::search as store;
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

/// Reads a query and finds the patients it matches, skipping records entered in error.
pub fn find(connection: &Connection, query: &str, order: DateOrder, limit: usize) -> ClinicResult<SearchHits> {
    let query = query.trim();
    if query.is_empty() {
        return Ok(SearchHits { kind: SearchKind::Empty, numbers: Vec::new() });
    }
    if let Some(born) = parse_typed_date(query, order) {
        let numbers = store::by_date_of_birth(connection, &iso(born), limit)?;
        return Ok(SearchHits { kind: SearchKind::DateOfBirth, numbers });
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

fn by_phone_or_mrn(connection: &Connection, digits: &str, limit: usize) -> ClinicResult<Vec<u64>> {
    let mut numbers = Vec::new();
    if let Some(number) = number_of_mrn(digits)
        && store::is_listed(connection, number)?
    {
        numbers.push(number);
    }
    if digits.len() >= 6 {
        for number in store::by_phone_key(connection, &phone_key(digits), limit)? {
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

/// Below this many matching index rows, the rarest word drives the search (each of its rows
/// checked against the other words); above it, the words' ranges are intersected.
const DRIVE_BELOW: i64 = 1_000;

/// Name search. Two words ("ma jo", "mueller anna") are found in the name pairs, in order of
/// name, reading no further than the page of results needs. Otherwise one word, or a rare one
/// among several, drives a scan of the token index in alphabetical order, with the other words,
/// the date of birth and "not entered in error" checked inside the same query so the scan stops
/// at `limit`; several common words (two or three letters of frequent names) are found by
/// intersecting each word's range of the index and shown sorted by name.
fn by_names(
    connection: &Connection,
    words: &[Vec<String>],
    born: Option<Date>,
    limit: usize,
) -> ClinicResult<Vec<u64>> {
    if let ([first, second], None) = (words, born)
        && pairs_can_answer(first, second)
    {
        return by_name_pair(connection, first, second, limit);
    }
    let born = born.map(iso);
    let mut counts = Vec::with_capacity(words.len());
    for word in words {
        counts.push(if words.len() == 1 { 0 } else { store::matching_tokens(connection, word, SELECTIVITY_CAP)? });
    }
    let driver = (0..words.len()).min_by_key(|&index| counts[index]).unwrap_or(0);
    if words.len() > 1 && counts[driver] >= DRIVE_BELOW {
        return store::by_intersection(connection, words, born.as_deref(), limit);
    }
    store::by_driving_word(connection, words, driver, born.as_deref(), limit)
}

/// The first two characters of `text`.
fn beginning(text: &str) -> String {
    text.chars().take(2).collect()
}

/// Whether the name pairs find exactly what the token index would: every way of writing each
/// word has at least two characters (the pairs' key), and neither word can match the same token
/// as the other (no way of writing one begins another), so a match is always two different
/// tokens of the patient, which is what a pair holds.
fn pairs_can_answer(first: &[String], second: &[String]) -> bool {
    let long_enough = first.iter().chain(second).all(|word| word.chars().nth(1).is_some());
    let apart = first.iter().all(|one| second.iter().all(|other| !one.starts_with(other) && !other.starts_with(one)));
    long_enough && apart
}

/// Whether `token` starts with one of the ways of writing a word.
fn begins_with_any(token: &str, word: &[String]) -> bool {
    word.iter().any(|alternative| token.starts_with(alternative.as_str()))
}

/// The patients who have one token matching each word, read from the name pairs in order of
/// name: the first `limit` of them that were not entered in error.
fn by_name_pair(connection: &Connection, first: &[String], second: &[String], limit: usize) -> ClinicResult<Vec<u64>> {
    let mut keys: Vec<String> = Vec::new();
    for one in first {
        for other in second {
            let key = store::pair_key(&beginning(one), &beginning(other));
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let mut found: Vec<u64> = Vec::new();
    let mut last_checked = None;
    store::scan_name_pairs(connection, &keys, &mut |number, token_a, token_b| {
        let matches = (begins_with_any(token_a, first) && begins_with_any(token_b, second))
            || (begins_with_any(token_a, second) && begins_with_any(token_b, first));
        // The pairs of one patient come together: each patient is checked once.
        if !matches || last_checked == Some(number) || found.contains(&number) {
            return Ok(true);
        }
        last_checked = Some(number);
        if store::is_listed(connection, number)? {
            found.push(number);
        }
        Ok(found.len() < limit)
    })?;
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(alternatives: &[&str]) -> Vec<String> {
        alternatives.iter().map(|alternative| (*alternative).to_owned()).collect()
    }

    #[test]
    fn pairs_answer_two_words_that_cannot_match_one_token() {
        assert!(pairs_can_answer(&word(&["ma"]), &word(&["jo"])));
        assert!(pairs_can_answer(&word(&["muell", "mull", "müll"]), &word(&["anna"])));
        assert!(!pairs_can_answer(&word(&["m"]), &word(&["jo"])), "one letter has no pair key");
        assert!(!pairs_can_answer(&word(&["mu"]), &word(&["mull"])), "both may match Muller alone");
        assert!(!pairs_can_answer(&word(&["an"]), &word(&["an"])), "the same word twice");
    }
}
