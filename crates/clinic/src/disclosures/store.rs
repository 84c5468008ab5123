//! The SQL of the accounting of disclosures (rows are never changed).

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use super::{CheckedDisclosure, Disclosure};
use crate::error::ClinicResult;

const COLUMNS: &str = "d.id, d.patient_id, d.disclosed_on, d.recipient, d.purpose, d.information, d.corrects_id, \
     d.correction_reason, EXISTS (SELECT 1 FROM disclosures c WHERE c.corrects_id = d.id), \
     u.full_name || ' (' || u.username || ')', d.recorded_at";

fn read(row: &rusqlite::Row<'_>) -> rusqlite::Result<Disclosure> {
    Ok(Disclosure {
        id: row.get(0)?,
        patient_id: row.get(1)?,
        disclosed_on: row.get(2)?,
        recipient: row.get(3)?,
        purpose: row.get(4)?,
        information: row.get(5)?,
        corrects_id: row.get(6)?,
        correction_reason: row.get(7)?,
        corrected: row.get(8)?,
        recorded_by: row.get(9)?,
        recorded_at: row.get(10)?,
    })
}

/// The disclosures of one patient recorded between two stored instants, oldest first.
pub(crate) fn disclosures_between(
    connection: &Connection,
    patient_id: &PatientId,
    from: &str,
    to: &str,
) -> ClinicResult<Vec<Disclosure>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM disclosures d JOIN users u ON u.id = d.recorded_by
         WHERE d.patient_id = ?1 AND d.disclosed_on >= substr(?2, 1, 10) AND d.disclosed_on <= substr(?3, 1, 10)
         ORDER BY d.disclosed_on, d.recorded_at"
    );
    let mut statement = connection.prepare(&sql)?;
    let rows = statement.query_map(params![patient_id, from, to], read)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub(super) fn by_id(connection: &Connection, id: &str) -> ClinicResult<Option<Disclosure>> {
    let sql = format!("SELECT {COLUMNS} FROM disclosures d JOIN users u ON u.id = d.recorded_by WHERE d.id = ?1");
    Ok(connection.query_row(&sql, [id], read).optional()?)
}

pub(super) fn insert(
    connection: &Connection,
    id: &str,
    patient_id: &PatientId,
    fields: &CheckedDisclosure,
    correction: Option<(&str, &str)>,
    recorded_by: &str,
    recorded_at: &str,
) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO disclosures (id, patient_id, disclosed_on, recipient, purpose, information, corrects_id,
             correction_reason, recorded_by, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            id,
            patient_id,
            fields.disclosed_on,
            fields.recipient,
            fields.purpose,
            fields.information,
            correction.map(|(original, _)| original),
            correction.map(|(_, reason)| reason),
            recorded_by,
            recorded_at
        ],
    )?;
    Ok(())
}
