//! The SQL of merges: a merged record points at its survivor; the merge is a row that an
//! unmerge closes. Nothing else is moved or rewritten.

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ClinicResult;
use crate::patients::PatientMerge;

const MERGE_COLUMNS: &str = "m.id, m.survivor_id, s.mrn,
    s.family_name || CASE WHEN s.given_names = '' THEN '' ELSE ', ' || s.given_names END,
    m.merged_id, d.mrn, d.family_name || CASE WHEN d.given_names = '' THEN '' ELSE ', ' || d.given_names END,
    mu.full_name || ' (' || mu.username || ')', m.merged_at,
    uu.full_name || ' (' || uu.username || ')', m.unmerged_at
    FROM patient_merges m
    JOIN patients s ON s.id = m.survivor_id
    JOIN patients d ON d.id = m.merged_id
    JOIN users mu ON mu.id = m.merged_by
    LEFT JOIN users uu ON uu.id = m.unmerged_by";

pub fn merges_where(connection: &Connection, condition: &str, id: &str) -> ClinicResult<Vec<PatientMerge>> {
    let sql = format!("SELECT {MERGE_COLUMNS} WHERE {condition} ORDER BY m.merged_at DESC, m.id");
    let mut statement = connection.prepare(&sql)?;
    let merges = statement
        .query_map([id], |row| {
            Ok(PatientMerge {
                id: row.get(0)?,
                survivor_id: row.get(1)?,
                survivor_mrn: row.get::<_, Option<String>>(2)?.unwrap_or_default(),
                survivor_name: row.get(3)?,
                merged_id: row.get(4)?,
                merged_mrn: row.get::<_, Option<String>>(5)?.unwrap_or_default(),
                merged_name: row.get(6)?,
                merged_by: row.get(7)?,
                merged_at: row.get(8)?,
                unmerged_by: row.get(9)?,
                unmerged_at: row.get(10)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(merges)
}

/// Points the duplicate at the survivor, takes both off the review list (they were looked at
/// together) and records the merge.
pub fn merge(
    connection: &Connection,
    merge_id: &str,
    survivor_id: &PatientId,
    duplicate_id: &PatientId,
    merged_by: &str,
    merged_at: &str,
) -> ClinicResult<()> {
    connection.execute("UPDATE patients SET merged_into = ?2 WHERE id = ?1", params![duplicate_id, survivor_id])?;
    connection.execute(
        "UPDATE patients SET needs_duplicate_review = 0 WHERE id IN (?1, ?2) AND needs_duplicate_review = 1",
        params![duplicate_id, survivor_id],
    )?;
    connection.execute(
        "INSERT INTO patient_merges (id, survivor_id, merged_id, merged_by, merged_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![merge_id, survivor_id, duplicate_id, merged_by, merged_at],
    )?;
    Ok(())
}

/// The survivor, the merged record and when the merge was undone, if it was.
pub fn merge_parties(
    connection: &Connection,
    merge_id: &str,
) -> ClinicResult<Option<(PatientId, PatientId, Option<String>)>> {
    Ok(connection
        .query_row("SELECT survivor_id, merged_id, unmerged_at FROM patient_merges WHERE id = ?1", [merge_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?)
}

/// Lets the merged record stand on its own again and closes the merge; false when the merged
/// record no longer points at the survivor (nothing is changed then).
pub fn unmerge(
    connection: &Connection,
    merge_id: &str,
    survivor_id: &PatientId,
    merged_id: &PatientId,
    unmerged_by: &str,
    unmerged_at: &str,
) -> ClinicResult<bool> {
    let restored = connection.execute(
        "UPDATE patients SET merged_into = NULL WHERE id = ?1 AND merged_into = ?2",
        params![merged_id, survivor_id],
    )?;
    if restored != 1 {
        return Ok(false);
    }
    connection.execute(
        "UPDATE patient_merges SET unmerged_by = ?2, unmerged_at = ?3 WHERE id = ?1",
        params![merge_id, unmerged_by, unmerged_at],
    )?;
    Ok(true)
}

/// The living records flagged for a duplicate check, by name: each one's number and the id of
/// the record it resembles.
pub fn flagged_for_review(connection: &Connection, limit: u32) -> ClinicResult<Vec<(u64, Option<PatientId>)>> {
    let flagged: Vec<(i64, Option<PatientId>)> = connection
        .prepare(
            "SELECT number, probable_duplicate_of FROM patients WHERE needs_duplicate_review = 1
             AND merged_into IS NULL AND entered_in_error = 0 ORDER BY family_name, given_names LIMIT ?1",
        )?
        .query_map([limit], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(flagged.into_iter().map(|(number, resembles)| (number.unsigned_abs(), resembles)).collect())
}

/// Takes a record off the review list; false when it was not on it.
pub fn dismiss_review(connection: &Connection, patient_id: &PatientId) -> ClinicResult<bool> {
    let updated = connection.execute(
        "UPDATE patients SET needs_duplicate_review = 0 WHERE id = ?1 AND needs_duplicate_review = 1",
        [patient_id],
    )?;
    Ok(updated == 1)
}
