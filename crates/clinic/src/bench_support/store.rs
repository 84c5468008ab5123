//! The SQL of the benchmarks' synthetic data: rows written in bulk past the use cases (their
//! audit entries are appended by the caller), and the lookups the benchmarks draw samples from.

use rusqlite::{Connection, params};

use crate::chart::notes::{Encounter, content_hash};
use crate::error::ClinicResult;

/// The ids of the records that are neither merged nor entered in error.
pub(super) fn living_patient_ids(connection: &Connection) -> ClinicResult<Vec<crate::patients::PatientId>> {
    Ok(connection
        .prepare("SELECT id FROM patients WHERE merged_into IS NULL AND entered_in_error = 0 ORDER BY id")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}

/// The numbers (MRNs) of the records that are neither merged nor entered in error.
pub(super) fn living_patient_numbers(connection: &Connection) -> ClinicResult<Vec<u64>> {
    let numbers: Vec<i64> = connection
        .prepare(
            "SELECT number FROM patients WHERE number IS NOT NULL AND entered_in_error = 0 AND merged_into IS NULL",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(numbers.into_iter().map(i64::unsigned_abs).collect())
}

/// The lowest and highest patient number.
pub(super) fn number_range(connection: &Connection) -> ClinicResult<(i64, i64)> {
    Ok(connection
        .query_row("SELECT min(number), max(number) FROM patients", [], |row| Ok((row.get(0)?, row.get(1)?)))?)
}

pub(super) fn clinician_ids(connection: &Connection) -> ClinicResult<Vec<String>> {
    Ok(connection
        .prepare("SELECT user_id FROM user_roles WHERE role = 'clinician' ORDER BY user_id")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}

/// Copies the database into an unencrypted SQLite file at `target`, for the comparison only.
pub(super) fn export_plain_copy(connection: &Connection, target: &str) -> ClinicResult<()> {
    connection.execute("ATTACH DATABASE ?1 AS plain KEY ''", [target])?;
    connection.query_row("SELECT sqlcipher_export('plain')", [], |_| Ok(()))?;
    connection.execute_batch("DETACH DATABASE plain")?;
    Ok(())
}

pub(super) fn insert_signed_encounter(
    connection: &Connection,
    encounter: &Encounter,
    signed_at: &str,
) -> ClinicResult<()> {
    let hash = content_hash(encounter, &encounter.author_id, signed_at);
    let note = &encounter.note;
    connection
        .prepare_cached(
            "INSERT INTO encounters (id, patient_id, author_id, occurred_at, kind, status, subjective, objective,
                 assessment, plan, free_text, created_at, updated_at, signed_by, signed_at, content_hash)
             VALUES (?1, ?2, ?3, ?4, ?5, 'signed', ?6, ?7, ?8, ?9, ?10, ?4, ?11, ?3, ?11, ?12)",
        )?
        .execute(params![
            encounter.id,
            encounter.patient_id,
            encounter.author_id,
            encounter.occurred_at,
            encounter.kind.as_str(),
            note.subjective,
            note.objective,
            note.assessment,
            note.plan,
            note.free_text,
            signed_at,
            hash
        ])?;
    Ok(())
}
