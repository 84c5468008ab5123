//! The SQL behind the duplicate check: living records by date of birth and by phone key.

use rusqlite::{Connection, params};
use time::Date;

use crate::error::ClinicResult;
use crate::patients::dates::iso;

/// A living record born on a given day, to compare names with.
pub struct Candidate {
    pub number: u64,
    pub family_name: String,
    pub given_names: String,
}

pub fn with_date_of_birth(connection: &Connection, born: Date) -> ClinicResult<Vec<Candidate>> {
    let mut statement = connection.prepare_cached(
        "SELECT number, family_name, given_names FROM patients
         WHERE date_of_birth = ?1 AND entered_in_error = 0 AND merged_into IS NULL AND number IS NOT NULL LIMIT 500",
    )?;
    let rows = statement
        .query_map([iso(born)], |row| {
            Ok(Candidate {
                number: row.get::<_, i64>(0)?.unsigned_abs(),
                family_name: row.get(1)?,
                given_names: row.get(2)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The living records with a phone whose key (reversed digits) is `key`, at most 50.
pub fn numbers_with_phone_key(connection: &Connection, key: &str) -> ClinicResult<Vec<u64>> {
    let mut statement = connection.prepare_cached(
        "SELECT k.number FROM patient_phone_keys k JOIN patients p ON p.number = k.number
         WHERE k.reversed_digits = ?1 AND p.entered_in_error = 0 AND p.merged_into IS NULL LIMIT 50",
    )?;
    let numbers = statement.query_map(params![key], |row| row.get::<_, i64>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(numbers.into_iter().map(i64::unsigned_abs).collect())
}
