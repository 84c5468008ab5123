//! The SQL of the search box: dates of birth, MRNs, phone keys, name tokens and name pairs.
//! `patients::search` decides which of these a query needs; everything here only reads,
//! except the name pairs, which are written and removed with a patient's other search keys.

use rusqlite::types::Value;
use rusqlite::{Connection, params, params_from_iter};

use crate::error::ClinicResult;

/// The smallest text greater than every text starting with `prefix`.
pub(crate) fn upper_bound(prefix: &str) -> String {
    let mut characters: Vec<char> = prefix.chars().collect();
    while let Some(last) = characters.pop() {
        if let Some(next) = char::from_u32(u32::from(last) + 1) {
            characters.push(next);
            return characters.into_iter().collect();
        }
    }
    String::from(char::MAX)
}

fn numbers(rows: impl Iterator<Item = rusqlite::Result<i64>>) -> ClinicResult<Vec<u64>> {
    Ok(rows.map(|number| number.map(i64::unsigned_abs)).collect::<Result<Vec<_>, _>>()?)
}

/// Patients born on `born` (ISO), not entered in error, in order of name.
pub(crate) fn by_date_of_birth(connection: &Connection, born: &str, limit: usize) -> ClinicResult<Vec<u64>> {
    let mut statement = connection.prepare_cached(
        "SELECT number FROM patients WHERE date_of_birth = ?1 AND entered_in_error = 0 AND number IS NOT NULL
         ORDER BY family_name, given_names LIMIT ?2",
    )?;
    numbers(statement.query_map(params![born, limit as i64], |row| row.get::<_, i64>(0))?)
}

/// Whether patient `number` exists and was not entered in error.
pub(crate) fn is_listed(connection: &Connection, number: u64) -> ClinicResult<bool> {
    Ok(connection
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM patients WHERE number = ?1 AND entered_in_error = 0)")?
        .query_row([number as i64], |row| row.get(0))?)
}

/// Patients with a phone number ending in the digits of `key` (reversed), in order of name.
pub(crate) fn by_phone_key(connection: &Connection, key: &str, limit: usize) -> ClinicResult<Vec<u64>> {
    let mut statement = connection.prepare_cached(
        "SELECT k.number FROM patient_phone_keys k JOIN patients p ON p.number = k.number
         WHERE k.reversed_digits >= ?1 AND k.reversed_digits < ?2 AND p.entered_in_error = 0
         ORDER BY p.family_name, p.given_names LIMIT ?3",
    )?;
    numbers(statement.query_map(params![key, upper_bound(key), limit as i64], |row| row.get::<_, i64>(0))?)
}

/// How many name tokens start with any of `prefixes`, counted no further than `cap` each.
pub(crate) fn matching_tokens(connection: &Connection, prefixes: &[String], cap: i64) -> ClinicResult<i64> {
    let mut statement = connection.prepare_cached(
        "SELECT count(*) FROM (SELECT 1 FROM patient_name_tokens WHERE token >= ?1 AND token < ?2 LIMIT ?3)",
    )?;
    let mut total = 0;
    for prefix in prefixes {
        total += statement.query_row(params![prefix, upper_bound(prefix), cap], |row| row.get::<_, i64>(0))?;
    }
    Ok(total)
}

/// The condition "a token starts with one of these prefixes", for column `column`.
fn prefix_condition(column: &str, prefixes: &[String], values: &mut Vec<Value>) -> String {
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

/// Scans the tokens matching `words[driver]` in alphabetical order, with the other words, the
/// date of birth (ISO) and "not entered in error" checked in the same query, so the scan stops
/// at `limit` people.
pub(crate) fn by_driving_word(
    connection: &Connection,
    words: &[Vec<String>],
    driver: usize,
    born: Option<&str>,
    limit: usize,
) -> ClinicResult<Vec<u64>> {
    let mut values: Vec<Value> = Vec::new();
    let driving = prefix_condition("t.token", &words[driver], &mut values);
    let mut conditions = String::new();
    for word in words.iter().enumerate().filter(|(index, _)| *index != driver).map(|(_, word)| word) {
        let other = prefix_condition("o.token", word, &mut values);
        conditions.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM patient_name_tokens o WHERE o.number = t.number AND {other})"
        ));
    }
    conditions
        .push_str(" AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.number = t.number AND p.entered_in_error = 1)");
    if let Some(born) = born {
        conditions.push_str(" AND EXISTS (SELECT 1 FROM patients p WHERE p.number = t.number AND p.date_of_birth = ?)");
        values.push(born.to_owned().into());
    }
    // A patient may match through several of their tokens: read enough rows for `limit` people.
    values.push(((limit * 4) as i64).into());
    let sql = format!(
        "SELECT t.number FROM patient_name_tokens t WHERE {driving}{conditions} ORDER BY t.token, t.number LIMIT ?"
    );
    let candidates = numbers(connection.prepare_cached(&sql)?.query_map(params_from_iter(values), |row| row.get(0))?)?;
    let mut found: Vec<u64> = Vec::new();
    for number in candidates {
        if found.len() >= limit {
            break;
        }
        if !found.contains(&number) {
            found.push(number);
        }
    }
    Ok(found)
}

/// The patients whose tokens match every word, by intersecting the words' ranges of the token
/// index; the first `limit` of them (and of those born on `born`) in order of name.
pub(crate) fn by_intersection(
    connection: &Connection,
    words: &[Vec<String>],
    born: Option<&str>,
    limit: usize,
) -> ClinicResult<Vec<u64>> {
    let mut values: Vec<Value> = Vec::new();
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
        values.push(born.to_owned().into());
    }
    sql.push_str(" ORDER BY p.family_name, p.given_names LIMIT ?");
    values.push((limit as i64).into());
    numbers(connection.prepare_cached(&sql)?.query_map(params_from_iter(values), |row| row.get(0))?)
}

/// The pairs of one patient's name tokens as the table keeps them: each pair once (the smaller
/// token first), keyed by both tokens' first two characters, with the order results are shown
/// in (family name, then given names). Migration 9 builds the same rows for earlier patients.
const PAIRS_OF_ONE_PATIENT: &str = "SELECT substr(a.token, 1, 2) || ' ' || substr(b.token, 1, 2),
         p.family_name || char(31) || p.given_names, a.number, a.token, b.token
     FROM patient_name_tokens a
     JOIN patient_name_tokens b ON b.number = a.number AND b.token > a.token
     JOIN patients p ON p.number = a.number
     WHERE a.number = ?1";

/// Writes the name pairs of patient `number` from its tokens and names, as stored now.
pub(crate) fn write_name_pairs(connection: &Connection, number: u64) -> ClinicResult<()> {
    let sql = format!(
        "INSERT OR IGNORE INTO patient_name_pairs (pair_key, sort_key, number, token_a, token_b) {PAIRS_OF_ONE_PATIENT}"
    );
    connection.prepare_cached(&sql)?.execute([number as i64])?;
    Ok(())
}

/// Removes the name pairs of patient `number`: call it before its tokens or names change.
pub(crate) fn delete_name_pairs(connection: &Connection, number: u64) -> ClinicResult<()> {
    let sql = format!(
        "DELETE FROM patient_name_pairs WHERE (pair_key, sort_key, number, token_a, token_b) IN ({PAIRS_OF_ONE_PATIENT})"
    );
    connection.prepare_cached(&sql)?.execute([number as i64])?;
    Ok(())
}

/// The key of the pairs whose tokens start with these two beginnings (two characters each).
pub(crate) fn pair_key(first: &str, second: &str) -> String {
    if first <= second { format!("{first} {second}") } else { format!("{second} {first}") }
}

/// Reads the name pairs under `keys`, merged in the order results are shown (name, then patient
/// number), and hands each (number, token, token) to `visit` until it returns `false`. Only the
/// rows visited are read, so a search that has found enough stops early.
pub(crate) fn scan_name_pairs(
    connection: &Connection,
    keys: &[String],
    visit: &mut dyn FnMut(u64, &str, &str) -> ClinicResult<bool>,
) -> ClinicResult<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let arm = "SELECT sort_key, number, token_a, token_b FROM patient_name_pairs WHERE pair_key = ?";
    let sql = format!("{} ORDER BY 1, 2", vec![arm; keys.len()].join(" UNION ALL "));
    let mut statement = connection.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(keys))?;
    while let Some(row) = rows.next()? {
        let number = row.get::<_, i64>(1)?.unsigned_abs();
        let (first, second): (String, String) = (row.get(2)?, row.get(3)?);
        if !visit(number, &first, &second)? {
            break;
        }
    }
    Ok(())
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

    #[test]
    fn a_pair_key_puts_the_smaller_beginning_first() {
        assert_eq!(pair_key("ma", "jo"), "jo ma");
        assert_eq!(pair_key("jo", "ma"), "jo ma");
        assert_eq!(pair_key("mü", "an"), "an mü");
    }
}
