//! The SQL of emergency accesses: started, looked up while they last, reviewed.

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use super::{EmergencyAccess, EmergencyAccessForReview};
use crate::error::ClinicResult;

pub(super) fn insert(
    connection: &Connection,
    access: &EmergencyAccess,
    user_id: &str,
    reason: &str,
    started_at: &str,
) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO emergency_accesses (id, user_id, patient_id, reason, started_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![access.id, user_id, access.patient_id, reason, started_at, access.expires_at],
    )?;
    Ok(())
}

/// The user's access to the patient that still runs at `now`, the latest ending first.
pub(crate) fn running(
    connection: &Connection,
    user_id: &str,
    patient_id: &PatientId,
    now: &str,
) -> ClinicResult<Option<String>> {
    Ok(connection
        .query_row(
            "SELECT id FROM emergency_accesses WHERE user_id = ?1 AND patient_id = ?2 AND expires_at > ?3
             ORDER BY expires_at DESC LIMIT 1",
            params![user_id, patient_id, now],
            |row| row.get(0),
        )
        .optional()?)
}

pub(crate) fn by_id(connection: &Connection, id: &str) -> ClinicResult<Option<EmergencyAccess>> {
    Ok(connection
        .query_row("SELECT id, patient_id, expires_at FROM emergency_accesses WHERE id = ?1", [id], |row| {
            Ok(EmergencyAccess { id: row.get(0)?, patient_id: row.get(1)?, expires_at: row.get(2)? })
        })
        .optional()?)
}

/// The accesses not reviewed yet, oldest first.
pub(super) fn unreviewed(connection: &Connection) -> ClinicResult<Vec<EmergencyAccessForReview>> {
    let mut statement = connection.prepare(
        "SELECT e.id, u.username, u.full_name, e.patient_id, e.reason, e.started_at, e.expires_at,
             CASE WHEN p.mrn IS NULL THEN NULL ELSE p.family_name || ', ' || p.given_names || ' (MRN ' || p.mrn || ')' END
         FROM emergency_accesses e JOIN users u ON u.id = e.user_id LEFT JOIN patients p ON p.id = e.patient_id
         WHERE e.reviewed_at IS NULL ORDER BY e.started_at",
    )?;
    let accesses = statement
        .query_map([], |row| {
            Ok(EmergencyAccessForReview {
                id: row.get(0)?,
                username: row.get(1)?,
                full_name: row.get(2)?,
                patient_id: row.get(3)?,
                reason: row.get(4)?,
                started_at: row.get(5)?,
                expires_at: row.get(6)?,
                patient_label: row.get(7)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(accesses)
}

/// Who started the access, if it exists.
pub(super) fn requested_by(connection: &Connection, access_id: &str) -> ClinicResult<Option<String>> {
    Ok(connection
        .query_row("SELECT user_id FROM emergency_accesses WHERE id = ?1", [access_id], |row| row.get(0))
        .optional()?)
}

/// Marks an unreviewed access reviewed; false when there is no such unreviewed access.
pub(super) fn mark_reviewed(
    connection: &Connection,
    access_id: &str,
    reviewer: &str,
    reviewed_at: &str,
    comment: &str,
) -> ClinicResult<bool> {
    let updated = connection.execute(
        "UPDATE emergency_accesses SET reviewed_by = ?2, reviewed_at = ?3, review_comment = ?4
         WHERE id = ?1 AND reviewed_at IS NULL",
        params![access_id, reviewer, reviewed_at, comment],
    )?;
    Ok(updated == 1)
}
