//! The SQL of encounters and their notes: a draft is written and rewritten by its author, then
//! signed once with a hash of its content, after which the row does not change.

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use crate::chart::{EncounterKind, SoapNote};
use crate::error::ClinicResult;

pub fn insert_draft(
    connection: &Connection,
    id: &str,
    patient_id: &PatientId,
    author_id: &str,
    occurred_at: &str,
    kind: EncounterKind,
    now: &str,
) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO encounters (id, patient_id, author_id, occurred_at, kind, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'draft', ?6, ?6)",
        params![id, patient_id, author_id, occurred_at, kind.as_str(), now],
    )?;
    Ok(())
}

/// The patient an encounter belongs to, if there is such an encounter.
pub fn patient_of(connection: &Connection, encounter_id: &str) -> ClinicResult<Option<crate::patients::PatientId>> {
    Ok(connection
        .query_row("SELECT patient_id FROM encounters WHERE id = ?1", [encounter_id], |row| row.get(0))
        .optional()?)
}

pub fn save_draft(
    connection: &Connection,
    encounter_id: &str,
    kind: EncounterKind,
    note: &SoapNote,
    now: &str,
) -> ClinicResult<()> {
    connection.execute(
        "UPDATE encounters SET kind = ?2, subjective = ?3, objective = ?4, assessment = ?5, plan = ?6, free_text = ?7,
             updated_at = ?8 WHERE id = ?1 AND status = 'draft'",
        params![
            encounter_id,
            kind.as_str(),
            note.subjective,
            note.objective,
            note.assessment,
            note.plan,
            note.free_text,
            now
        ],
    )?;
    Ok(())
}

pub fn delete_draft(connection: &Connection, encounter_id: &str) -> ClinicResult<()> {
    connection.execute("DELETE FROM encounters WHERE id = ?1 AND status = 'draft'", [encounter_id])?;
    Ok(())
}

pub fn sign(
    connection: &Connection,
    encounter_id: &str,
    signer: &str,
    signed_at: &str,
    hash: &[u8],
) -> ClinicResult<()> {
    connection.execute(
        "UPDATE encounters SET status = 'signed', signed_by = ?2, signed_at = ?3, content_hash = ?4, updated_at = ?3
         WHERE id = ?1 AND status = 'draft'",
        params![encounter_id, signer, signed_at, hash],
    )?;
    Ok(())
}

/// The hash a signed note was signed with (none for a draft or an unknown encounter).
pub fn content_hash(connection: &Connection, encounter_id: &str) -> ClinicResult<Option<Vec<u8>>> {
    Ok(connection
        .query_row("SELECT content_hash FROM encounters WHERE id = ?1", [encounter_id], |row| row.get(0))
        .optional()?
        .flatten())
}
